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
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let report = JsonReport {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let (start, end) = (d.start(), d.end());
                JsonDiagnostic {
                    rule: &d.rule,
                    severity: d.severity.as_str(),
                    message: &d.message,
                    file: d.file.name(),
                    pointer: &d.pointer,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    help: d.help.as_deref(),
                    source: d.source.as_deref(),
                    related: d
                        .related
                        .iter()
                        .map(|l| {
                            let (s, e) =
                                (l.file.position(l.span.start), l.file.position(l.span.end));
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
            })
            .collect(),
        summary,
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
