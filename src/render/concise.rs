//! `--format concise`: one line per finding, `file:line:col: severity rule message`.

use crate::diagnostic::Diagnostic;
use std::fmt::Write;

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let p = d.start();
        let message = d.message.replace('\n', " ");
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} {}",
            d.file.name(),
            p.line,
            p.column,
            d.severity,
            d.rule,
            message
        );
    }
    out
}
