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

/// Diagnostics serialised together: each thread takes a share of a group, and a group is
/// written before the next is made, so a report over many files is never held whole.
const GROUP: usize = 1024;

/// Writes the report to `out`: the bytes `serde_json::to_writer_pretty` writes for it, with
/// the diagnostics serialised on all threads (a serial step otherwise, after all checks).
pub fn write(
    diagnostics: &[Diagnostic],
    summary: &Summary,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(b"{\n  \"diagnostics\": [")?;
    let serialise = |share: &[Diagnostic]| {
        let mut piece = Vec::with_capacity(share.len() * 768);
        let mut scratch = Vec::with_capacity(1024);
        for d in share {
            piece.extend_from_slice(b",\n    ");
            nested(&mut piece, &json_diagnostic(d), 4, &mut scratch);
        }
        piece
    };
    // The report's first diagnostic has no comma before it.
    let mut first = true;
    for group in diagnostics.chunks(GROUP) {
        // A few are serialised here: starting threads for them would cost more.
        let pieces: Vec<Vec<u8>> = if group.len() < GROUP / 4 {
            vec![serialise(group)]
        } else {
            group.par_chunks(GROUP / 16).map(serialise).collect()
        };
        for piece in &pieces {
            out.write_all(if first { &piece[1..] } else { piece })?;
            first = false;
        }
    }
    out.write_all(if diagnostics.is_empty() {
        b"]"
    } else {
        b"\n  ]"
    })?;
    out.write_all(b",\n  \"summary\": ")?;
    let mut rest = Vec::new();
    nested(&mut rest, summary, 2, &mut Vec::new());
    out.write_all(&rest)?;
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// `value` pretty-printed as it is at `indent` spaces inside a larger document, by way of
/// `alone` (a buffer reused across values). Its strings hold no raw line break (JSON escapes
/// them), so every line break is one of the layout's.
fn nested(out: &mut Vec<u8>, value: &impl Serialize, indent: usize, alone: &mut Vec<u8>) {
    alone.clear();
    serde_json::to_writer_pretty(&mut *alone, value).expect("writing to memory does not fail");
    // `##[` only occurs inside strings, where `#\u0023[` is the same text to a JSON reader but
    // not a workflow command to a CI log (see `super::defuse`).
    if memchr::memmem::find(alone, b"##[").is_some() {
        let text = String::from_utf8_lossy(alone).replace("##[", "#\\u0023[");
        *alone = text.into_bytes();
    }
    let mut last = 0;
    for at in memchr::memchr_iter(b'\n', alone) {
        out.extend_from_slice(&alone[last..=at]);
        out.extend(std::iter::repeat_n(b' ', indent));
        last = at + 1;
    }
    out.extend_from_slice(&alone[last..]);
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let mut out = Vec::new();
    write(diagnostics, summary, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Severity};
    use crate::source::{SourceFile, Span};
    use std::sync::Arc;

    /// The report as serde_json writes it whole: what [`write`] must write.
    #[derive(Serialize)]
    struct JsonReport<'a> {
        diagnostics: Vec<JsonDiagnostic<'a>>,
        summary: &'a Summary,
    }

    fn reference(diagnostics: &[Diagnostic], summary: &Summary) -> String {
        let report = JsonReport {
            diagnostics: diagnostics.iter().map(json_diagnostic).collect(),
            summary,
        };
        serde_json::to_string_pretty(&report).unwrap() + "\n"
    }

    #[test]
    fn the_report_is_what_serde_json_writes_whole() {
        let file = Arc::new(SourceFile::new("a.yaml", "name: x\nlanguage: \"en\\n\"\n"));
        let make = |i: usize| {
            let mut d = Diagnostic::new(
                "template/name",
                Severity::Error,
                &file,
                &format!("/name/{i}"),
                Span { start: 6, end: 7 },
                format!("message {i} with \"quotes\", a line\nbreak and ünïcode"),
            )
            .with_help(i.is_multiple_of(2).then(|| "fix\tit".to_string()));
            if i.is_multiple_of(3) {
                d.related.push(Label {
                    file: Arc::clone(&file),
                    span: Span { start: 8, end: 16 },
                    message: "first\nhere".into(),
                });
            }
            d
        };
        let summary = Summary {
            files: 3,
            errors: 2,
            warnings: 1,
            infos: 0,
            skipped: 4,
            root: Some(".".into()),
            config: Some(None),
        };
        for n in [0, 1, 2, 17, GROUP, GROUP + 1, 2 * GROUP + 300] {
            let diagnostics: Vec<Diagnostic> = (0..n).map(make).collect();
            assert_eq!(
                render(&diagnostics, &summary),
                reference(&diagnostics, &summary),
                "{n}"
            );
        }
    }
}
