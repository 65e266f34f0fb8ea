//! The graphical report: source snippet, label on the exact node, rule id, help and source.

use super::escape_controls;
use super::excerpt::Excerpt;
use super::Summary;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};
use std::fmt::Write;

/// How the report looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width)
        .with_context_lines(1)
}

/// Text from inputs as the report shows it: control characters escaped, line breaks kept in
/// messages (miette indents what follows them).
fn text(s: &str) -> String {
    escape_controls(s, &['\n']).into_owned()
}

/// A file name as the report shows it: on one line.
fn file_name(file: &SourceFile) -> String {
    escape_controls(file.name(), &[]).into_owned()
}

fn to_miette(d: &Diagnostic, style: Style) -> String {
    let mut help = d.help.as_deref().unwrap_or_default().to_string();
    if let Some(source) = d.source() {
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str(&format!("source: {source}"));
    }
    let related: Vec<&Label> = d
        .related
        .iter()
        .filter(|l| std::sync::Arc::ptr_eq(&l.file, &d.file))
        .collect();
    if d.file.is_positions_only() {
        return without_source(d, &related, &help, style);
    }
    let spans: Vec<Span> = std::iter::once(d.span)
        .chain(related.iter().map(|l| l.span))
        .collect();
    let excerpt = Excerpt::new(&d.file, file_name(&d.file), &spans);
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(text(d.label())),
        excerpt.span(d.span),
    )];
    for l in related {
        labels.push(LabeledSpan::new_with_span(
            Some(text(&l.message)),
            excerpt.span(l.span),
        ));
    }
    let mut diag = MietteDiagnostic::new(text(&d.message))
        .with_code(text(d.rule()))
        .with_severity(severity(d.severity))
        .with_labels(labels);
    if !help.is_empty() {
        diag = diag.with_help(text(&help));
    }
    render_with(diag, excerpt, style)
}

/// A file that is not quoted (outside the project root): the places as `[file:line:col]`.
fn without_source(d: &Diagnostic, related: &[&Label], help: &str, style: Style) -> String {
    let place = |file: &SourceFile, span: Span| {
        let p = file.position(span.start);
        format!("[{}:{}:{}]", file_name(file), p.line, p.column)
    };
    let mut message = format!("{} {}", text(&d.message), place(&d.file, d.span));
    for l in related {
        message.push_str(&format!(
            "\n{} {}",
            text(&l.message),
            place(&l.file, l.span)
        ));
    }
    let mut diag = MietteDiagnostic::new(message)
        .with_code(text(d.rule()))
        .with_severity(severity(d.severity));
    if !help.is_empty() {
        diag = diag.with_help(text(help));
    }
    let mut out = String::new();
    match handler(style).render_report(&mut out, &diag) {
        Ok(()) => out,
        Err(_) => String::new(),
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Renders with miette; empty when miette fails.
fn render_with(diag: MietteDiagnostic, excerpt: Excerpt, style: Style) -> String {
    let report = Report::new(diag).with_source_code(excerpt);
    let mut out = String::new();
    match handler(style).render_report(&mut out, report.as_ref()) {
        Ok(()) => out,
        Err(_) => String::new(),
    }
}

/// Renders one diagnostic, then each place it names in another file; no line of it can be
/// read as a CI workflow command (see [`super::defuse`]).
pub fn render(d: &Diagnostic, style: Style) -> String {
    match super::defuse_text(&render_raw(d, style)) {
        std::borrow::Cow::Borrowed(_) => render_raw(d, style),
        std::borrow::Cow::Owned(safe) => safe,
    }
}

fn render_raw(d: &Diagnostic, style: Style) -> String {
    let mut out = to_miette(d, style);
    if out.is_empty() {
        let pos = d.start();
        let _ = writeln!(
            out,
            "{}: {} [{}] {}:{}:{}",
            d.severity,
            text(&d.message),
            text(d.rule()),
            file_name(&d.file),
            pos.line,
            pos.column
        );
    }
    // Places in other files become notes with their own snippet.
    for l in d
        .related
        .iter()
        .filter(|l| !std::sync::Arc::ptr_eq(&l.file, &d.file))
    {
        if l.file.is_positions_only() {
            let p = l.file.position(l.span.start);
            let note = MietteDiagnostic::new(format!(
                "{} [{}:{}:{}]",
                text(&l.message),
                file_name(&l.file),
                p.line,
                p.column
            ))
            .with_severity(miette::Severity::Advice);
            let mut rendered = String::new();
            if handler(style).render_report(&mut rendered, &note).is_ok() {
                out.push_str(&rendered);
            }
            continue;
        }
        let excerpt = Excerpt::new(&l.file, file_name(&l.file), &[l.span]);
        let note = MietteDiagnostic::new(format!("{} ({})", text(&l.message), file_name(&l.file)))
            .with_severity(miette::Severity::Advice)
            .with_labels([LabeledSpan::new_primary_with_span(
                Some(text(&l.message)),
                excerpt.span(l.span),
            )]);
        out.push_str(&render_with(note, excerpt, style));
    }
    out
}

/// Renders every diagnostic and, unless `summary` is `None` (`--quiet`), the summary line.
pub fn render_all(diagnostics: &[Diagnostic], summary: Option<&Summary>, style: Style) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render(d, style));
        out.push('\n');
    }
    if let Some(summary) = summary {
        out.push_str(&super::defuse_text(&summary_line(summary)));
    }
    out
}

/// The summary: counts of files and findings (every finding, shown or not), what was skipped,
/// and, for a run, the project root and configuration it used.
pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = format!(
        "{} checked: {}, {}, {}",
        plural(s.files, "file"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    );
    if s.skipped > 0 {
        out.push_str(&format!("; {} skipped", s.skipped));
    }
    out.push('\n');
    if let Some(root) = &s.root {
        let config = match s.config.as_ref().and_then(Option::as_ref) {
            Some(config) => format!("configuration `{}`", escape_controls(config, &[])),
            None => "no configuration".to_string(),
        };
        out.push_str(&format!(
            "project root `{}`, {config}\n",
            escape_controls(root, &[])
        ));
    }
    out
}
