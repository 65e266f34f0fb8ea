//! `--format github`: GitHub Actions workflow commands, which annotate pull requests.

use super::escape_controls;
use crate::diagnostic::{Diagnostic, Severity};
use std::fmt::Write;

/// Escaping for the message part of a workflow command: line breaks as the runner decodes them,
/// other control characters as `\xHH`.
fn data(s: &str) -> String {
    escape_controls(s, &['\r', '\n'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a property value (`file=…`, `title=…`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (s, e) = (d.start(), d.end());
        let mut message = d.message.to_string();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(d.file.name()),
            s.line,
            s.column,
            e.line,
            e.column,
            property(d.rule()),
            data(&message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(
            property("x\n::error file=y\u{1b}"),
            "x%0A%3A%3Aerror file=y\\x1b"
        );
    }
}
