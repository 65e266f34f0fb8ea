//! What a check reports: a rule id, a severity, a message, and where.

use crate::source::{Position, SourceFile, Span};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file, with the text to show there.
#[derive(Clone, Debug)]
pub struct Label {
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
}

/// What a diagnostic tells of its rule: the rule's id, the text of the primary label and the
/// public document the rule comes from. Shared by all diagnostics of a rule: a run can hold
/// many thousands.
#[derive(Debug)]
pub struct About {
    pub rule: Box<str>,
    pub label: Box<str>,
    pub source: Option<Box<str>>,
}

impl About {
    /// A rule (or built-in check) without a cited source, its findings labelled `label`.
    pub fn new(rule: &str, label: &str) -> Arc<About> {
        Arc::new(About {
            rule: rule.into(),
            label: label.into(),
            source: None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub about: Arc<About>,
    pub severity: Severity,
    /// Boxed, like the pointer: exactly as long as the text (a run can hold many thousands).
    pub message: Box<str>,
    /// How to fix it.
    pub help: Option<Arc<str>>,
    pub file: Arc<SourceFile>,
    /// RFC 6901 pointer of the node in its file ("" for the whole file).
    pub pointer: Box<str>,
    pub span: Span,
    /// Further places: where an alias was defined, the first of two duplicates, …
    pub related: Vec<Label>,
}

impl Diagnostic {
    /// A diagnostic at `span` of `file`, labelled "here", without help, source or other places.
    pub fn new(
        rule: &str,
        severity: Severity,
        file: &Arc<SourceFile>,
        pointer: &str,
        span: Span,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            about: About::new(rule, "here"),
            severity,
            message: message.into(),
            help: None,
            file: Arc::clone(file),
            pointer: pointer.into(),
            span,
            related: Vec::new(),
        }
    }

    /// The id of the rule that found it.
    pub fn rule(&self) -> &str {
        &self.about.rule
    }

    /// Text of the primary label.
    pub fn label(&self) -> &str {
        &self.about.label
    }

    /// The public document the rule comes from, cited.
    pub fn source(&self) -> Option<&str> {
        self.about.source.as_deref()
    }

    pub fn with_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help.map(Arc::from);
        self
    }

    pub fn start(&self) -> Position {
        self.file.position(self.span.start)
    }

    /// The position just past the end of the span (an exclusive end, as SARIF counts).
    pub fn end(&self) -> Position {
        self.file.position(self.span.end)
    }

    /// Ordering used by every renderer: file, then position, then rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (
            self.file.name(),
            self.span.start,
            self.span.end,
            self.rule(),
        )
    }
}

/// How many findings of each severity: the verdict and the summary come from these, never from
/// the (capped) list of what is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn merge(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// Findings at `threshold` or above.
    pub fn at_least(&self, threshold: Severity) -> usize {
        match threshold {
            Severity::Error => self.errors,
            Severity::Warning => self.errors + self.warnings,
            Severity::Info => self.errors + self.warnings + self.infos,
        }
    }
}

/// `d` without anything it quotes of its file: the file is outside the project root (a
/// committed symbolic link to a CI machine's secrets, say), so only what the rule says, the
/// rule and the position remain. `summary` is the rule's summary.
pub fn redact(d: &mut Diagnostic, summary: &str, root: &str) {
    d.message =
        format!("{summary} (not quoted: the file is outside the project root `{root}`)").into();
    d.help = Some(Arc::from(
        "wabalint does not quote files outside the project root; check the file from its own project, or widen the root with `--root`",
    ));
    d.pointer = "".into();
    let ours = Arc::clone(&d.file);
    let here = |l: &Label| Arc::ptr_eq(&l.file, &ours);
    let spans: Vec<Span> = std::iter::once(d.span)
        .chain(d.related.iter().filter(|l| here(l)).map(|l| l.span))
        .collect();
    let free = without_text(&ours, &spans);
    for l in d.related.iter_mut().filter(|l| Arc::ptr_eq(&l.file, &ours)) {
        l.file = Arc::clone(&free);
        l.message = "not quoted".into();
    }
    d.file = free;
}

/// `file` without its text, keeping the positions of `spans`: nothing of it can be quoted.
pub fn without_text(file: &Arc<SourceFile>, spans: &[Span]) -> Arc<SourceFile> {
    let offsets = spans.iter().flat_map(|s| [s.start, s.end]).chain([0]);
    file.positions_only(offsets)
        .map(Arc::new)
        .unwrap_or_else(|| Arc::new(SourceFile::named(file.name())))
}

/// [`fill`] for a rule's shared text: shared again when it has no placeholder.
pub fn fill_shared(template: &Arc<str>, args: &[(&str, String)]) -> Arc<str> {
    if template.contains("{{") {
        fill(template, args).into()
    } else {
        Arc::clone(template)
    }
}

/// Replaces `{{name}}` with its argument; unknown names stay as written.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}") {
            Some(close) => {
                let name = after[..close].trim();
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[open..open + 2 + close + 2]),
                }
                rest = &after[close + 2..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
