//! `--format json`: a stable contract, documented in the README.

use super::Summary;
use crate::diagnostic::Diagnostic;
use serde::Serialize;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    pointer: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
    source: Option<&'a str>,
    related: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Diagnostics<'a>,
    summary: &'a Summary,
}

/// Serialised one at a time: a report over many files is written, not built, in memory.
struct Diagnostics<'a>(&'a [Diagnostic]);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(json_diagnostic))
    }
}

fn json_diagnostic(d: &Diagnostic) -> JsonDiagnostic<'_> {
    let (start, end) = (d.start(), d.end());
    JsonDiagnostic {
        rule: d.rule(),
        severity: d.severity.as_str(),
        message: &d.message,
        file: d.file.name(),
        pointer: &d.pointer,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        help: d.help.as_deref(),
        source: d.source(),
        related: d
            .related
            .iter()
            .map(|l| {
                let (s, e) = (l.file.position(l.span.start), l.file.position(l.span.end));
                JsonLabel {
                    message: &l.message,
                    file: l.file.name(),
                    line: s.line,
                    column: s.column,
                    end_line: e.line,
                    end_column: e.column,
                }
            })
            .collect(),
    }
}

/// Writes the report to `out` as it is serialised.
pub fn write(
    diagnostics: &[Diagnostic],
    summary: &Summary,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let report = JsonReport {
        diagnostics: Diagnostics(diagnostics),
        summary,
    };
    // serde_json writes many small pieces: a buffer of a known type takes them without a
    // dynamic call each.
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, &report)?;
    out.write_all(b"\n")?;
    out.flush()
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let mut out = Vec::new();
    write(diagnostics, summary, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
