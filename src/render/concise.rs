//! `--format concise`: one line per finding, `file:line:col: severity rule message`.

use super::escape_controls;
use crate::diagnostic::Diagnostic;
use std::fmt::Write;

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let p = d.start();
        // One line per finding: no line break or other control character gets through.
        let message = d.message.replace('\n', " ");
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} {}",
            escape_controls(d.file.name(), &[]),
            p.line,
            p.column,
            d.severity,
            escape_controls(d.rule(), &[]),
            escape_controls(&message, &[])
        );
    }
    super::defuse_text(&out).into_owned()
}
