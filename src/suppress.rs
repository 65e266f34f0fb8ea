//! Suppressions: `# wabalint: ignore[rule] reason` comments in YAML, and config entries (file
//! glob + JSON pointer + rule + reason) for JSON, which has no comments. Unused ones are reported.

use crate::builtin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, Span};
use std::sync::Arc;

/// One `# wabalint: ignore[…]` or `# wabalint: ignore-file[…]` comment.
#[derive(Debug, Clone)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: usize,
    /// The comment is alone on its line (so it covers the next line).
    pub own_line: bool,
    pub whole_file: bool,
    pub rules: Vec<String>,
    pub reason: String,
    pub span: Span,
}

pub const MARKER: &str = "wabalint:";

/// Finds the directives of a YAML file (JSON has no comments).
pub fn directives(file: &SourceFile) -> Vec<Directive> {
    let text = file.text();
    let mut out = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some(d) = directive(line, index + 1, offset) {
            out.push(d);
        }
        offset += line.len();
    }
    out
}

fn directive(line: &str, number: usize, offset: usize) -> Option<Directive> {
    let hash = line
        .find('#')
        .filter(|&i| i == 0 || line[..i].ends_with([' ', '\t']))?;
    let comment = line[hash + 1..].trim();
    let rest = comment.strip_prefix(MARKER)?.trim_start();
    let (whole_file, rest) = match rest.strip_prefix("ignore-file[") {
        Some(r) => (true, r),
        None => (false, rest.strip_prefix("ignore[")?),
    };
    let (list, reason) = rest.split_once(']')?;
    let rules = list
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    let end = offset + line.trim_end_matches(['\n', '\r']).len();
    Some(Directive {
        line: number,
        own_line: line[..hash].trim().is_empty(),
        whole_file,
        rules,
        reason: reason.trim().to_string(),
        span: Span::new(offset + hash, end),
    })
}

impl Directive {
    fn covers(&self, d: &Diagnostic) -> bool {
        if !self.rules.iter().any(|r| r.as_str() == d.rule()) {
            return false;
        }
        let line = d.start().line;
        self.whole_file || line == self.line || (self.own_line && line == self.line + 1)
    }
}

/// A suppression from the configuration.
#[derive(Debug, Clone)]
pub struct ConfigIgnore {
    pub files: globset::GlobMatcher,
    pub pointer: String,
    pub rule: String,
    pub reason: String,
    /// Where the entry is in the configuration file, to report it when unused.
    pub at: (Arc<SourceFile>, Span),
}

impl ConfigIgnore {
    pub fn covers(&self, relative_path: &str, d: &Diagnostic) -> bool {
        d.rule() == &*self.rule
            && self.files.is_match(relative_path)
            && pointer_within(&d.pointer, &self.pointer)
    }
}

/// Whether `pointer` is `prefix` or below it.
pub fn pointer_within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix
        || prefix.is_empty()
        || pointer
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn note(
    file: &Arc<SourceFile>,
    span: Span,
    code: &str,
    severity: Severity,
    message: String,
    help: &str,
) -> Diagnostic {
    let mut d =
        Diagnostic::new(code, severity, file, "", span, message).with_help(Some(help.to_string()));
    d.about = crate::diagnostic::About::new(code, "suppression");
    d
}

/// Drops the diagnostics the file's comments suppress; reports comments without a reason or
/// without effect. `unused_level` is the severity of `suppression/unused` (None = off).
pub fn apply_comments(
    file: &Arc<SourceFile>,
    directives: &[Directive],
    diagnostics: &mut Vec<Diagnostic>,
    unused_level: Option<Severity>,
    reason_level: Option<Severity>,
) {
    let mut used = vec![false; directives.len()];
    diagnostics.retain(|d| {
        let hit = directives
            .iter()
            .position(|s| !s.reason.is_empty() && s.covers(d));
        if let Some(i) = hit {
            used[i] = true;
        }
        hit.is_none()
    });
    for (s, used) in directives.iter().zip(used) {
        if s.reason.is_empty() {
            if let Some(level) = reason_level {
                let message = format!(
                    "suppression of `{}` has no reason, so it is not applied",
                    s.rules.join(", ")
                );
                diagnostics.push(note(
                    file,
                    s.span,
                    builtin::SUPPRESSION_NO_REASON,
                    level,
                    message,
                    "write why the finding is acceptable after the rule list",
                ));
            }
        } else if !used {
            if let Some(level) = unused_level {
                let message = format!("suppression of `{}` matches no finding", s.rules.join(", "));
                diagnostics.push(note(
                    file,
                    s.span,
                    builtin::SUPPRESSION_UNUSED,
                    level,
                    message,
                    "remove it, or correct the rule id",
                ));
            }
        }
    }
}

/// Everything that changes findings after evaluation: per-path severities from the
/// configuration, suppression comments, configuration suppressions (whose use is tracked across
/// the run).
pub struct Settle<'a> {
    pub config: Option<&'a crate::config::Config>,
    pub unused_level: Option<Severity>,
    pub reason_level: Option<Severity>,
    used: Vec<bool>,
}

impl<'a> Settle<'a> {
    pub fn new(
        config: Option<&'a crate::config::Config>,
        set: &crate::rules::RuleSet,
    ) -> Settle<'a> {
        Settle {
            config,
            unused_level: set.builtin_level(builtin::SUPPRESSION_UNUSED),
            reason_level: set.builtin_level(builtin::SUPPRESSION_NO_REASON),
            used: vec![false; config.map_or(0, |c| c.ignores.len())],
        }
    }

    /// Settles one file's diagnostics (`path` is the file as found; `None` for stdin).
    pub fn file(
        &mut self,
        file: &Arc<SourceFile>,
        path: Option<&std::path::Path>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let display = std::path::PathBuf::from(file.name());
        let path = path.unwrap_or(&display);
        if let Some(config) = self.config {
            config.apply_overrides(path, diagnostics);
            let rel = config.relative(path);
            let used = &mut self.used;
            diagnostics.retain(
                |d| match config.ignores.iter().position(|ig| ig.covers(&rel, d)) {
                    Some(i) => {
                        used[i] = true;
                        false
                    }
                    None => true,
                },
            );
        }
        if !file.name().ends_with(".json") {
            let found = directives(file);
            apply_comments(
                file,
                &found,
                diagnostics,
                self.unused_level,
                self.reason_level,
            );
        }
    }

    /// Configuration suppressions that matched nothing in the whole run.
    pub fn unused(&self) -> Vec<Diagnostic> {
        let (Some(config), Some(level)) = (self.config, self.unused_level) else {
            return Vec::new();
        };
        config
            .ignores
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(ig, _)| {
                let message = format!(
                    "suppression of `{}` for `{}` matches no finding",
                    ig.rule,
                    ig.files.glob()
                );
                note(
                    &ig.at.0,
                    ig.at.1,
                    builtin::SUPPRESSION_UNUSED,
                    level,
                    message,
                    "remove the entry, or correct its file, pointer or rule",
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_line_and_file_directives() {
        let src = SourceFile::new("t", "name: x  # wabalint: ignore[template/a, template/b] legacy\n# wabalint: ignore-file[phone/c]\ntext: \"ticket # 1\"\n");
        let ds = directives(&src);
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].rules, ["template/a", "template/b"]);
        assert_eq!(ds[0].reason, "legacy");
        assert!(!ds[0].own_line && ds[1].own_line && ds[1].whole_file);
        assert!(ds[1].reason.is_empty());
    }

    #[test]
    fn pointer_prefixes_match_whole_tokens() {
        assert!(pointer_within("/data/2/name", "/data/2"));
        assert!(!pointer_within("/data/20/name", "/data/2"));
        assert!(pointer_within("/x", ""));
    }
}
