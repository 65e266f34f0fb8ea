//! The configuration file (`wabalint.yaml` or `.wabalint.yaml`), found by walking up from the
//! working directory, validated with spans like a rule file.

use crate::builtin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{self, pointer_join, ParseLimits, Tree};
use crate::project::Root;
use crate::rules::{Level, RuleSet, RuleSetError};
use crate::schema::Shape;
use crate::source::{SourceFile, Span};
use crate::suggest::did_you_mean;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub const FILE_NAMES: [&str; 2] = ["wabalint.yaml", ".wabalint.yaml"];
pub const CONFIG_SCHEMA: &str = include_str!("../rules/schemas/config.schema.json");

/// The errors that review rules find on an exported record Meta approved (`status: APPROVED`
/// or `PAUSED`): warnings by default, since the template works and would be refused only if
/// submitted again (`exported_records: error` in the configuration, for teams that edit exports
/// and resubmit them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportedRecords {
    #[default]
    Warning,
    Error,
}

/// Severity changes for some paths (and a JSON pointer inside them).
#[derive(Debug)]
pub struct PathOverride {
    pointer: String,
    levels: Vec<(String, Level)>,
}

/// At most this many `overrides:` entries: each is matched against every file of a run.
pub const MAX_OVERRIDES: usize = 1_000;
/// At most this many `ignore:` entries.
pub const MAX_IGNORES: usize = 10_000;
/// At most this many globs in `include:`, `exclude:` and all `overrides:` together.
pub const MAX_GLOBS: usize = 10_000;

#[derive(Debug)]
pub struct Config {
    pub file: Arc<SourceFile>,
    /// The file as found.
    pub path: PathBuf,
    /// Paths in the configuration are relative to this directory.
    pub dir: PathBuf,
    pub profile: Option<String>,
    pub rules: Vec<PathBuf>,
    pub as_of: Option<Date>,
    /// `limits:` entries (name, value), applied over the defaults.
    pub limits: Vec<(String, usize)>,
    /// `exported_records: error` keeps the errors on exported records Meta approved.
    pub exported_records: ExportedRecords,
    include: Option<GlobSet>,
    exclude: GlobSet,
    severity: Vec<(String, Level, String)>,
    overrides: Vec<PathOverride>,
    /// The files of every override, each glob tagged with its override's index: one match
    /// per file finds the overrides that apply.
    override_files: GlobSet,
    override_of_glob: Vec<usize>,
    pub ignores: Vec<ConfigIgnore>,
    /// The `file` glob of each ignore entry, in order.
    ignore_files: GlobSet,
    tree: Tree,
}

#[derive(Deserialize)]
struct RawOverride {
    files: Vec<String>,
    #[serde(default)]
    pointer: String,
    severity: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawIgnore {
    file: String,
    #[serde(default)]
    pointer: String,
    rule: String,
    reason: String,
}

#[derive(Deserialize)]
struct RawConfig {
    profile: Option<String>,
    #[serde(default)]
    rules: Vec<String>,
    as_of: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
    #[serde(default)]
    limits: BTreeMap<String, usize>,
    exported_records: Option<String>,
}

/// The nearest configuration file in `start` or one of its parents, up to `boundary` (the
/// project root): a `wabalint.yaml` above the repository is not the project's.
pub fn discover(start: &Path, boundary: &Path) -> Option<PathBuf> {
    let boundary = crate::project::real_path(boundary);
    start
        .ancestors()
        .take_while(|dir| crate::project::real_path(dir).starts_with(&boundary))
        .flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n)))
        .find(|p| std::fs::symlink_metadata(p).is_ok())
}

fn shape() -> &'static Shape {
    static CELL: OnceLock<Shape> = OnceLock::new();
    CELL.get_or_init(|| Shape::compile(CONFIG_SCHEMA).expect("bundled schema compiles"))
}

fn glob(pattern: &str) -> Result<Glob, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| e.to_string())
}

struct Problems {
    file: Arc<SourceFile>,
    tree: Option<Tree>,
    list: Vec<Diagnostic>,
}

impl Problems {
    fn push(&mut self, pointer: &str, at_key: bool, message: String, help: Option<String>) {
        let span = self
            .tree
            .as_ref()
            .map(|t| t.locate(pointer, at_key))
            .unwrap_or_default();
        self.list.push(
            Diagnostic::new(
                builtin::CONFIG_INVALID,
                Severity::Error,
                &self.file,
                pointer,
                span,
                message,
            )
            .with_help(help),
        );
    }
}

/// Reads and validates a configuration file; the rule files it names must be inside `root`.
pub fn load(path: &Path, root: &Root) -> Result<Config, RuleSetError> {
    let name = crate::source::shown_path(path);
    let bytes = crate::source::read_config(path).map_err(|e| {
        single(
            &name,
            format!("cannot read `{name}`: {}", crate::source::io_reason(&e)),
        )
    })?;
    let text = document::decode(bytes)
        .map_err(|_| single(&name, format!("`{name}` is not UTF-8 text")))?;
    let file = Arc::new(SourceFile::new(name.clone(), text));
    let mut problems = Problems {
        file: Arc::clone(&file),
        tree: None,
        list: Vec::new(),
    };
    let mut doc = match document::parse(Arc::clone(&file), &ParseLimits::default()) {
        Ok(doc) => doc,
        Err(document::LoadError::Syntax(e)) => {
            let mut d = single(
                &name,
                format!("the configuration is not valid YAML: {}", e.message),
            );
            d.diagnostics[0].file = Arc::clone(&file);
            d.diagnostics[0].span = e.span.unwrap_or_default();
            return Err(d);
        }
        Err(document::LoadError::Encoding { message, .. }) => return Err(single(&name, message)),
    };
    let tree = if doc.trees.is_empty() {
        Tree {
            value: Value::Object(Default::default()),
            spans: Default::default(),
            inexact: Vec::new(),
        }
    } else {
        doc.trees.remove(0)
    };
    let value = if tree.value.is_null() {
        Value::Object(Default::default())
    } else {
        tree.value.clone()
    };
    let shape_errors = shape().validate(&value);
    problems.tree = Some(tree);
    for e in shape_errors {
        problems.push(&e.pointer, e.at_key, e.message, e.help);
    }
    if !problems.list.is_empty() {
        return Err(RuleSetError {
            diagnostics: problems.list,
        });
    }
    let raw: RawConfig = serde_json::from_value(value).map_err(|e| single(&name, e.to_string()))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut config = build(raw, dir, root, &mut problems);
    config.path = path.to_path_buf();
    if problems.list.is_empty() {
        Ok(config)
    } else {
        Err(RuleSetError {
            diagnostics: problems.list,
        })
    }
}

fn single(name: &str, message: String) -> RuleSetError {
    RuleSetError {
        diagnostics: vec![Diagnostic {
            about: crate::diagnostic::About::new(builtin::CONFIG_INVALID, "here"),
            severity: Severity::Error,
            message: message.into(),
            help: None,
            file: Arc::new(SourceFile::new(name, "")),
            pointer: "".into(),
            span: Span::default(),
            related: Vec::new(),
        }],
    }
}

fn globset(patterns: &[String], base: &str, problems: &mut Problems) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for (i, p) in patterns.iter().enumerate() {
        if let Some(g) = checked_glob(p, &format!("{base}/{i}"), problems) {
            builder.add(g);
        }
    }
    built(&builder, base, problems)
}

fn checked_glob(pattern: &str, pointer: &str, problems: &mut Problems) -> Option<Glob> {
    glob(pattern)
        .map_err(|e| {
            problems.push(
                pointer,
                false,
                format!("invalid glob `{pattern}`: {e}"),
                None,
            )
        })
        .ok()
}

/// The longest glob, in bytes.
pub const MAX_GLOB_LEN: usize = 4 << 10;
/// The globs with wildcards (`*`, `?`, `[…]`, `{…}`) of one configuration, in bytes: each
/// becomes part of one regular expression, and 6 globs of brace alternatives of 650 kB took
/// 1.4 GB.
pub const MAX_WILDCARD_GLOBS_LEN: usize = 256 << 10;

/// Whether the configuration's globs are within [`MAX_GLOB_LEN`] and
/// [`MAX_WILDCARD_GLOBS_LEN`]; problems at the first that is not.
fn globs_fit(raw: &RawConfig, problems: &mut Problems) -> bool {
    let lists = [("/include", &raw.include), ("/exclude", &raw.exclude)];
    let mut all: Vec<(String, &str)> = lists
        .iter()
        .flat_map(|(base, list)| {
            list.iter()
                .enumerate()
                .map(move |(i, g)| (format!("{base}/{i}"), g.as_str()))
        })
        .collect();
    for (i, o) in raw.overrides.iter().enumerate() {
        all.extend(
            o.files
                .iter()
                .enumerate()
                .map(|(j, g)| (format!("/overrides/{i}/files/{j}"), g.as_str())),
        );
    }
    all.extend(
        raw.ignore
            .iter()
            .enumerate()
            .map(|(i, ig)| (format!("/ignore/{i}/file"), ig.file.as_str())),
    );
    let mut wildcards = 0;
    for (pointer, glob) in all {
        let message = if glob.len() > MAX_GLOB_LEN {
            format!(
                "the glob is {} bytes long, more than the {MAX_GLOB_LEN} wabalint accepts",
                glob.len()
            )
        } else {
            if glob.contains(['*', '?', '[', '{']) {
                wildcards += glob.len();
            }
            if wildcards <= MAX_WILDCARD_GLOBS_LEN {
                continue;
            }
            format!("the globs with wildcards of the configuration take more than {} KiB, the most wabalint compiles", MAX_WILDCARD_GLOBS_LEN >> 10)
        };
        let help = Some("match files with fewer, shorter globs (a directory and `**`)".into());
        problems.push(&pointer, false, message, help);
        return false;
    }
    true
}

/// A glob set, or a problem at `pointer` when it cannot be built (an `include:` that failed
/// silently would exclude every file).
fn built(builder: &GlobSetBuilder, pointer: &str, problems: &mut Problems) -> GlobSet {
    builder.build().unwrap_or_else(|e| {
        problems.push(
            pointer,
            false,
            format!("the globs cannot be compiled: {e}"),
            None,
        );
        GlobSet::empty()
    })
}

/// Whether a list is within its limit; if not, a problem at its entry past the limit.
fn within(len: usize, max: usize, pointer: &str, what: &str, problems: &mut Problems) -> bool {
    if len <= max {
        return true;
    }
    problems.push(
        &format!("{pointer}/{max}"),
        false,
        format!("the configuration has {len} {what}, more than the {max} wabalint accepts"),
        Some("merge entries with globs and JSON-pointer prefixes, or split the repository's configuration".into()),
    );
    false
}

fn build(raw: RawConfig, dir: PathBuf, root: &Root, problems: &mut Problems) -> Config {
    let as_of = raw.as_of.as_deref().and_then(|d| d.parse().ok());
    let mut rules = Vec::new();
    for (i, r) in raw.rules.iter().enumerate() {
        let pointer = format!("/rules/{i}");
        let Ok(path) = root.resolve(&dir, r) else {
            problems.push(&pointer, false, root.refusal(r), Some(root.refusal_help()));
            continue;
        };
        if !path.is_file() {
            problems.push(
                &pointer,
                false,
                format!(
                    "rule file `{}` does not exist",
                    crate::source::shown_path(&path)
                ),
                None,
            );
        }
        rules.push(path);
    }
    let globs = raw.include.len()
        + raw.exclude.len()
        + raw.overrides.iter().map(|o| o.files.len()).sum::<usize>();
    let fits = within(
        raw.overrides.len(),
        MAX_OVERRIDES,
        "/overrides",
        "overrides",
        problems,
    ) & within(
        raw.ignore.len(),
        MAX_IGNORES,
        "/ignore",
        "ignore entries",
        problems,
    ) & within(
        globs,
        MAX_GLOBS,
        "",
        "globs in include, exclude and overrides",
        problems,
    ) & globs_fit(&raw, problems);
    if !fits {
        return empty_config(raw, dir, problems);
    }
    let include = (!raw.include.is_empty()).then(|| globset(&raw.include, "/include", problems));
    let exclude = globset(&raw.exclude, "/exclude", problems);
    let mut severity = Vec::new();
    for (id, level) in &raw.severity {
        let pointer = pointer_join("/severity", id);
        if let Some(level) = Level::parse(level) {
            if refuse_not_checked(id, &pointer, problems) {
                severity.push((id.clone(), level, pointer));
            }
        }
    }
    let mut overrides = Vec::new();
    let mut override_files = GlobSetBuilder::new();
    let mut override_of_glob = Vec::new();
    for (i, o) in raw.overrides.iter().enumerate() {
        for (j, pattern) in o.files.iter().enumerate() {
            let pointer = format!("/overrides/{i}/files/{j}");
            if let Some(g) = checked_glob(pattern, &pointer, problems) {
                override_files.add(g);
                override_of_glob.push(i);
            }
        }
        let mut levels = Vec::new();
        for (id, l) in &o.severity {
            let pointer = pointer_join(&format!("/overrides/{i}/severity"), id);
            if let Some(l) = Level::parse(l) {
                if refuse_not_checked(id, &pointer, problems) {
                    levels.push((id.clone(), l));
                }
            }
        }
        overrides.push(PathOverride {
            pointer: o.pointer.clone(),
            levels,
        });
    }
    let mut ignores = Vec::new();
    let mut ignore_files = GlobSetBuilder::new();
    for (i, ig) in raw.ignore.iter().enumerate() {
        let base = format!("/ignore/{i}");
        if !has_visible(&ig.reason) {
            problems.push(
                &format!("{base}/reason"),
                false,
                "the reason has no visible character".into(),
                Some("say why the finding is acceptable, so reviewers can judge it later".into()),
            );
            continue;
        }
        let Some(g) = checked_glob(&ig.file, &format!("{base}/file"), problems) else {
            continue;
        };
        ignore_files.add(g);
        let span = problems
            .tree
            .as_ref()
            .map(|t| t.locate(&base, false))
            .unwrap_or_default();
        ignores.push(ConfigIgnore {
            pointer: ig.pointer.clone(),
            rule: ig.rule.clone(),
            reason: ig.reason.clone(),
            glob: ig.file.clone(),
            at: (Arc::clone(&problems.file), span),
        });
    }
    refuse_raised_limits(&raw.limits, problems);
    Config {
        file: Arc::clone(&problems.file),
        path: PathBuf::new(),
        dir,
        profile: raw.profile,
        rules,
        as_of,
        limits: raw.limits.into_iter().collect(),
        exported_records: match raw.exported_records.as_deref() {
            Some("error") => ExportedRecords::Error,
            _ => ExportedRecords::Warning,
        },
        include,
        exclude,
        severity,
        overrides,
        override_files: built(&override_files, "/overrides", problems),
        override_of_glob,
        ignores,
        ignore_files: built(&ignore_files, "/ignore", problems),
        tree: problems.tree.take().unwrap_or(Tree {
            value: Value::Null,
            spans: Default::default(),
            inexact: Vec::new(),
        }),
    }
}

/// The configuration of a file that is refused anyway (a list past its limit): nothing of its
/// lists is compiled.
fn empty_config(raw: RawConfig, dir: PathBuf, problems: &mut Problems) -> Config {
    let empty = RawConfig {
        include: Vec::new(),
        exclude: Vec::new(),
        severity: BTreeMap::new(),
        overrides: Vec::new(),
        ignore: Vec::new(),
        rules: Vec::new(),
        ..raw
    };
    build(
        empty,
        dir,
        &Root::at(Path::new("/"), Path::new("/"), crate::project::Found::Given),
        problems,
    )
}

/// A configuration (which a pull request can change) may lower the limits on untrusted input,
/// not raise them: a raised limit would let the pull request exhaust the runner. Raising one
/// is for the command line (`--limit`), which the workflow owns.
fn refuse_raised_limits(limits: &BTreeMap<String, usize>, problems: &mut Problems) {
    let defaults = crate::document::ParseLimits::default();
    for (name, value) in limits {
        let Some(default) = defaults.get(name) else {
            continue;
        };
        if *value as u64 > default {
            problems.push(
                &pointer_join("/limits", name),
                false,
                format!("`{name}` is {value}, above its default of {default}: a configuration may lower limits, not raise them"),
                Some(format!("raise it on the command line, which a pull request cannot change: `--limit {name}={value}`")),
            );
        }
    }
}

/// A configuration (which a pull request can change) cannot lower or turn off a finding that
/// means a file was not checked: only an `ignore:` entry, with its reason, can accept one.
fn refuse_not_checked(id: &str, pointer: &str, problems: &mut Problems) -> bool {
    if !builtin::means_not_checked(id) {
        return true;
    }
    problems.push(
        pointer,
        true,
        format!("`{id}` means a file was not checked; the configuration cannot change its severity"),
        Some("fix the file, or accept the finding for it with an `ignore:` entry and a reason; `--severity` and `--ignore` on the command line still apply".into()),
    );
    false
}

impl Config {
    /// A path relative to the configuration's directory, with `/` separators.
    pub fn relative(&self, path: &Path) -> String {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let dir = if self.dir.is_absolute() {
            self.dir.clone()
        } else {
            std::env::current_dir().unwrap_or_default().join(&self.dir)
        };
        let rel = absolute
            .strip_prefix(&dir)
            .map(Path::to_path_buf)
            .unwrap_or(absolute);
        let text = rel.to_string_lossy().replace('\\', "/");
        text.trim_start_matches("./").to_string()
    }

    pub fn excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(self.relative(path))
    }

    pub fn included(&self, path: &Path) -> bool {
        self.include
            .as_ref()
            .is_none_or(|g| g.is_match(self.relative(path)))
    }

    /// Applies `severity:` to the rule set; unknown rule ids are configuration errors.
    pub fn apply_severity(&self, set: &mut RuleSet) -> Result<(), RuleSetError> {
        let mut problems = Problems {
            file: Arc::clone(&self.file),
            tree: None,
            list: Vec::new(),
        };
        for (id, level, pointer) in &self.severity {
            if let Err(known) = set.set_level(id, *level) {
                let span = self.tree.locate(pointer, true);
                let help = did_you_mean(id, known.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                problems.list.push(
                    Diagnostic::new(
                        builtin::CONFIG_INVALID,
                        Severity::Error,
                        &self.file,
                        pointer,
                        span,
                        format!("there is no rule `{id}`"),
                    )
                    .with_help(help),
                );
            }
        }
        if problems.list.is_empty() {
            Ok(())
        } else {
            Err(RuleSetError {
                diagnostics: problems.list,
            })
        }
    }

    /// The indices of the `ignore:` entries whose glob matches `path`.
    pub fn ignores_for(&self, path: &Path) -> Vec<usize> {
        if self.ignores.is_empty() {
            return Vec::new();
        }
        self.ignore_files.matches(self.relative(path))
    }

    /// Applies per-path severity overrides to one file's diagnostics (the last match wins).
    pub fn apply_overrides(&self, path: &Path, diagnostics: &mut Vec<Diagnostic>) {
        if self.overrides.is_empty() || diagnostics.is_empty() {
            return;
        }
        let mut matching: Vec<usize> = self
            .override_files
            .matches(self.relative(path))
            .into_iter()
            .map(|g| self.override_of_glob[g])
            .collect();
        matching.dedup();
        if matching.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| {
            let mut keep = true;
            for o in matching
                .iter()
                .map(|&i| &self.overrides[i])
                .filter(|o| pointer_within(&d.pointer, &o.pointer))
            {
                for (id, level) in &o.levels {
                    if id.as_str() == d.rule() {
                        match level {
                            Level::Off => keep = false,
                            Level::On(s) => {
                                keep = true;
                                d.severity = *s;
                            }
                        }
                    }
                }
            }
            keep
        });
    }
}

/// A suppression from the configuration.
#[derive(Debug, Clone)]
pub struct ConfigIgnore {
    pub pointer: String,
    pub rule: String,
    pub reason: String,
    /// The glob as written, for messages.
    pub glob: String,
    /// Where the entry is in the configuration file, to report it when unused.
    pub at: (Arc<SourceFile>, Span),
}

impl ConfigIgnore {
    pub fn covers(&self, d: &Diagnostic) -> bool {
        d.rule() == &*self.rule && pointer_within(&d.pointer, &self.pointer)
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

/// Whether `text` has a character a reader sees: not only spaces, control characters and
/// invisible format characters (zero-width spaces and joiners, bidirectional marks, …).
pub fn has_visible(text: &str) -> bool {
    text.chars().any(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c,
                '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}'
                | '\u{17b5}' | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}'
                | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
    })
}
