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

#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Shared with the rule: a run can hold many thousands of diagnostics.
    pub rule: Arc<str>,
    pub severity: Severity,
    pub message: String,
    /// How to fix it.
    pub help: Option<Arc<str>>,
    /// The public document the rule comes from.
    pub source: Option<Arc<str>>,
    pub file: Arc<SourceFile>,
    /// RFC 6901 pointer of the node in its file ("" for the whole file).
    pub pointer: String,
    pub span: Span,
    /// Text of the primary label.
    pub label: Arc<str>,
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
            rule: rule.into(),
            severity,
            message,
            help: None,
            source: None,
            file: Arc::clone(file),
            pointer: pointer.to_string(),
            span,
            label: "here".into(),
            related: Vec::new(),
        }
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
        (self.file.name(), self.span.start, self.span.end, &self.rule)
    }
}
