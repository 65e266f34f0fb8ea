//! Settling a file's findings: per-path severities from the configuration, suppressions (YAML
//! comments, and the configuration's `ignore:` entries for JSON, which has no comments),
//! `--select`/`--ignore`, the counts the verdict comes from, and the cap on what is shown.
//! Unused suppressions are reported.

use crate::builtin;
use crate::config::has_visible;
use crate::diagnostic::{Counts, Diagnostic, Severity};
use crate::source::{SourceFile, Span};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// Empty unless it has a visible character.
    pub reason: String,
    pub span: Span,
    used: bool,
}

pub const MARKER: &str = "wabalint:";

/// The directives among the comments of a YAML file (JSON has no comments). Comments are found
/// by the YAML parser, so `# wabalint:` inside a quoted string or a block scalar is text, not
/// a directive; comments after a syntax error are not read.
pub fn directives(file: &SourceFile) -> Vec<Directive> {
    let text = file.text();
    let mut out = Vec::new();
    for event in granit_parser::Parser::new_from_str(text) {
        let Ok((granit_parser::Event::Comment(comment, _), span)) = event else {
            if event.is_err() {
                break;
            }
            continue;
        };
        let Some(start) = span.start.byte_offset() else {
            continue;
        };
        let end = span.end.byte_offset().unwrap_or(start);
        if let Some(d) = directive(file, &comment, Span::new(start, end)) {
            out.push(d);
        }
    }
    out
}

/// The directive a comment (its text after `#`, at `span`) holds, if any.
fn directive(file: &SourceFile, comment: &str, span: Span) -> Option<Directive> {
    let rest = comment.trim().strip_prefix(MARKER)?.trim_start();
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
    let line = file.line_index(span.start);
    let (content, _) = file.line_content(line);
    let before = &file.text()[content.start..span.start];
    let reason = reason.trim();
    Some(Directive {
        line: line + 1,
        own_line: before.chars().all(|c| c.is_whitespace() || c == '\u{feff}'),
        whole_file,
        rules,
        reason: if has_visible(reason) {
            reason.to_string()
        } else {
            String::new()
        },
        span,
        used: false,
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

/// `--select` and `--ignore`: rule ids or prefixes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    /// Whether findings of `rule` are reported. A finding that means a file was not checked is
    /// reported unless `--ignore` names it exactly: `--select template/` must not let an
    /// unreadable or unparsable manifest pass.
    pub fn shows(&self, rule: &str) -> bool {
        let matches = |list: &[String]| {
            list.iter()
                .any(|p| rule == p || rule.starts_with(p.as_str()))
        };
        if builtin::means_not_checked(rule) {
            return !self.ignore.iter().any(|p| p == rule);
        }
        (self.select.is_empty() || matches(&self.select)) && !matches(&self.ignore)
    }
}

/// What the run keeps of a file's settled findings besides those shown.
#[derive(Debug, Default)]
pub struct Tally {
    /// Every settled and selected finding, shown or not.
    pub counts: Counts,
    /// How many of them are not shown (beyond `max_diagnostics`).
    pub hidden: usize,
    /// The file's suppression comments, for findings across files that come later, with the
    /// file they are in (its text, to quote them when they are reported).
    comments: Option<(Arc<SourceFile>, Vec<Directive>)>,
}

impl Tally {
    /// Whether nothing is left to settle or to tell about the file.
    pub fn is_empty(&self) -> bool {
        self.counts == Counts::default() && self.hidden == 0 && self.comments.is_none()
    }
}

/// Everything that changes findings after evaluation. One for the run, shared by the threads
/// that check files: the configuration's `ignore:` entries are marked used across the run.
pub struct Settle<'a> {
    config: Option<&'a crate::config::Config>,
    selection: &'a Selection,
    unused_level: Option<Severity>,
    reason_level: Option<Severity>,
    used: Vec<AtomicBool>,
    max_shown: usize,
}

impl<'a> Settle<'a> {
    pub fn new(
        config: Option<&'a crate::config::Config>,
        set: &crate::rules::RuleSet,
        selection: &'a Selection,
        max_shown: usize,
    ) -> Settle<'a> {
        Settle {
            config,
            selection,
            unused_level: set.builtin_level(builtin::SUPPRESSION_UNUSED),
            reason_level: set.builtin_level(builtin::SUPPRESSION_NO_REASON),
            used: (0..config.map_or(0, |c| c.ignores.len()))
                .map(|_| AtomicBool::new(false))
                .collect(),
            max_shown: max_shown.max(1),
        }
    }

    /// Settles a file's findings as checked, while its text is at hand (its suppression
    /// comments are read now). `path` is the file as found (`None` for stdin).
    pub fn file(
        &self,
        file: &Arc<SourceFile>,
        path: Option<&Path>,
        diagnostics: &mut Vec<Diagnostic>,
        tally: &mut Tally,
    ) {
        let yaml = !file.name().ends_with(".json");
        if yaml && file.text().contains(MARKER) {
            let found = directives(file);
            if !found.is_empty() {
                tally.comments = Some((Arc::clone(file), found));
            }
        }
        let found = std::mem::take(diagnostics);
        self.add(file.name(), path, found, diagnostics, tally);
    }

    /// Settles `found` (of the file named `name`) and adds what is shown to `shown`.
    pub fn add(
        &self,
        name: &str,
        path: Option<&Path>,
        mut found: Vec<Diagnostic>,
        shown: &mut Vec<Diagnostic>,
        tally: &mut Tally,
    ) {
        if let Some(config) = self.config {
            let display = Path::new(name);
            let path = path.unwrap_or(display);
            config.apply_overrides(path, &mut found);
            let entries = config.ignores_for(path);
            if !entries.is_empty() {
                found.retain(|d| {
                    let hit = entries.iter().find(|&&i| config.ignores[i].covers(d));
                    if let Some(&i) = hit {
                        self.used[i].store(true, Ordering::Relaxed);
                    }
                    hit.is_none()
                });
            }
        }
        if let Some((_, directives)) = &mut tally.comments {
            found.retain(|d| {
                // A comment in a file cannot say that the file need not be checked.
                if builtin::means_not_checked(d.rule()) {
                    return true;
                }
                let hit = directives
                    .iter_mut()
                    .find(|s| !s.reason.is_empty() && s.covers(d));
                match hit {
                    Some(s) => {
                        s.used = true;
                        false
                    }
                    None => true,
                }
            });
        }
        found.retain(|d| self.selection.shows(d.rule()));
        for d in &found {
            tally.counts.add(d.severity);
        }
        shown.extend(found);
        self.cap(shown, tally);
    }

    /// Keeps every error and, up to `max_diagnostics` in all, the first warnings and infos
    /// by position; the others are counted as hidden.
    fn cap(&self, shown: &mut Vec<Diagnostic>, tally: &mut Tally) {
        if shown.len() <= self.max_shown {
            return;
        }
        shown.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.sort_key().cmp(&b.sort_key()))
        });
        let errors = shown
            .iter()
            .take_while(|d| d.severity == Severity::Error)
            .count();
        let keep = errors.max(self.max_shown);
        tally.hidden += shown.len() - keep;
        shown.truncate(keep);
        shown.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }

    /// Ends a file: its comments without a reason or without effect are reported, and a note
    /// says how many findings are not shown. `shown` ends sorted by position.
    pub fn close(&self, path: Option<&Path>, shown: &mut Vec<Diagnostic>, tally: &mut Tally) {
        if let Some((file, directives)) = tally.comments.take() {
            let notes = self.comment_notes(&file, &directives);
            self.add(file.name(), path, notes, shown, tally);
        }
        if tally.hidden > 0 {
            let file = match shown.first() {
                Some(d) => Arc::clone(&d.file),
                None => return,
            };
            let message = format!(
                "{} more warning(s) and info(s) in this file are not shown (limit `max_diagnostics` = {}); errors are always shown, and the summary counts every finding",
                tally.hidden, self.max_shown
            );
            let mut limit = Diagnostic::new(
                builtin::LIMIT,
                Severity::Info,
                &file,
                "",
                Span::default(),
                message,
            )
            .with_help(Some(
                "fix the ones shown first, or raise the limit".to_string(),
            ));
            limit.about = crate::diagnostic::About::new(builtin::LIMIT, "here");
            shown.push(limit);
        }
        shown.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }

    fn comment_notes(&self, file: &Arc<SourceFile>, directives: &[Directive]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for s in directives {
            let rules = s.rules.join(", ");
            if s.reason.is_empty() {
                if let Some(level) = self.reason_level {
                    out.push(note(
                        file,
                        s.span,
                        builtin::SUPPRESSION_NO_REASON,
                        level,
                        format!("suppression of `{rules}` has no reason, so it is not applied"),
                        "write why the finding is acceptable after the rule list",
                    ));
                }
            } else if !s.used {
                if let Some(level) = self.unused_level {
                    let not_checked = s.rules.iter().any(|r| builtin::means_not_checked(r));
                    let (message, help) = if not_checked {
                        (
                            format!("suppression of `{rules}` has no effect: a comment in a file cannot suppress a finding that means the file was not checked"),
                            "fix the file; to accept the finding, add an `ignore:` entry with a reason to the configuration",
                        )
                    } else {
                        (
                            format!("suppression of `{rules}` matches no finding"),
                            "remove it, or correct the rule id",
                        )
                    };
                    out.push(note(
                        file,
                        s.span,
                        builtin::SUPPRESSION_UNUSED,
                        level,
                        message,
                        help,
                    ));
                }
            }
        }
        out
    }

    /// Configuration suppressions that matched nothing in the whole run, as `--select` shows
    /// them.
    pub fn unused(&self) -> Vec<Diagnostic> {
        let (Some(config), Some(level)) = (self.config, self.unused_level) else {
            return Vec::new();
        };
        config
            .ignores
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !used.load(Ordering::Relaxed))
            .map(|(ig, _)| {
                let message = format!(
                    "suppression of `{}` for `{}` matches no finding",
                    ig.rule, ig.glob
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
            .filter(|d| self.selection.shows(d.rule()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_real_comments() {
        let src = SourceFile::new(
            "t",
            "name: x  # wabalint: ignore[template/a, template/b] legacy\n# wabalint: ignore-file[phone/c]\ntext: \"ticket # wabalint: ignore[x] no\"\nbody: |\n  # wabalint: ignore[y] inside a block scalar\n",
        );
        let ds = directives(&src);
        assert_eq!(ds.len(), 2, "{ds:?}");
        assert_eq!(ds[0].rules, ["template/a", "template/b"]);
        assert_eq!(ds[0].reason, "legacy");
        assert_eq!((ds[0].line, ds[1].line), (1, 2));
        assert!(!ds[0].own_line && ds[1].own_line && ds[1].whole_file);
        assert!(ds[1].reason.is_empty());
    }

    #[test]
    fn directives_are_placed_on_their_line_with_any_line_ending_and_a_bom() {
        let src = SourceFile::new(
            "t",
            "\u{feff}# wabalint: ignore[a] first line\ra: 1\r# wabalint: ignore[b] third\rb: 2\r\n",
        );
        let ds = directives(&src);
        assert_eq!(ds.len(), 2, "{ds:?}");
        assert_eq!((ds[0].line, ds[0].own_line), (1, true));
        assert_eq!((ds[1].line, ds[1].own_line), (3, true));
    }

    #[test]
    fn a_reason_needs_a_visible_character() {
        assert!(has_visible("approved in 2022"));
        assert!(has_visible("ok\u{200b}"));
        for invisible in [
            "",
            "   ",
            "\u{200b}\u{200c}\u{200d}",
            "\u{2060}\u{feff}",
            "\u{202e}\t",
        ] {
            assert!(!has_visible(invisible), "{invisible:?}");
        }
    }

    #[test]
    fn pointer_prefixes_match_whole_tokens() {
        use crate::config::pointer_within;
        assert!(pointer_within("/data/2/name", "/data/2"));
        assert!(!pointer_within("/data/20/name", "/data/2"));
        assert!(pointer_within("/x", ""));
    }

    #[test]
    fn findings_that_mean_not_checked_are_shown_unless_ignored_by_id() {
        let selection = Selection {
            select: vec!["template/".into()],
            ignore: vec!["manifest/".into()],
        };
        assert!(selection.shows("template/body-too-long"));
        assert!(!selection.shows("phone/x"));
        assert!(selection.shows("manifest/limit"));
        assert!(selection.shows("manifest/syntax"));
        assert!(!selection.shows("manifest/unknown-key"));
        let ignored = Selection {
            select: vec![],
            ignore: vec!["manifest/limit".into()],
        };
        assert!(!ignored.shows("manifest/limit"));
    }
}
