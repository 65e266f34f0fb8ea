//! The configuration file (`wabalint.yaml` or `.wabalint.yaml`), found by walking up from the
//! working directory, validated with spans like a rule file.

use crate::builtin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{self, pointer_join, ParseLimits, Tree};
use crate::rules::{Level, RuleSet, RuleSetError};
use crate::schema::Shape;
use crate::source::{SourceFile, Span};
use crate::suggest::did_you_mean;
use crate::suppress::ConfigIgnore;
use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub const FILE_NAMES: [&str; 2] = ["wabalint.yaml", ".wabalint.yaml"];
pub const CONFIG_SCHEMA: &str = include_str!("../rules/schemas/config.schema.json");

/// Severity changes for some paths (and a JSON pointer inside them).
#[derive(Debug)]
pub struct PathOverride {
    files: GlobSet,
    pointer: String,
    levels: Vec<(String, Level)>,
}

#[derive(Debug)]
pub struct Config {
    pub file: Arc<SourceFile>,
    /// Paths in the configuration are relative to this directory.
    pub dir: PathBuf,
    pub profile: Option<String>,
    pub rules: Vec<PathBuf>,
    pub as_of: Option<Date>,
    /// `limits:` entries (name, value), applied over the defaults.
    pub limits: Vec<(String, usize)>,
    include: Option<GlobSet>,
    exclude: GlobSet,
    severity: Vec<(String, Level, String)>,
    overrides: Vec<PathOverride>,
    pub ignores: Vec<ConfigIgnore>,
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
}

/// The nearest configuration file in `start` or one of its parents.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
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

/// Reads and validates a configuration file.
pub fn load(path: &Path) -> Result<Config, RuleSetError> {
    let name = path.display().to_string();
    let bytes = crate::source::read_file(path, crate::source::MAX_CONFIG_SIZE).map_err(|e| {
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
    let config = build(raw, dir, &mut problems);
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
        match glob(p) {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => problems.push(
                &format!("{base}/{i}"),
                false,
                format!("invalid glob `{p}`: {e}"),
                None,
            ),
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

fn build(raw: RawConfig, dir: PathBuf, problems: &mut Problems) -> Config {
    let as_of = raw.as_of.as_deref().and_then(|d| d.parse().ok());
    let mut rules = Vec::new();
    for (i, r) in raw.rules.iter().enumerate() {
        let path = dir.join(r);
        if !path.is_file() {
            problems.push(
                &format!("/rules/{i}"),
                false,
                format!("rule file `{}` does not exist", path.display()),
                None,
            );
        }
        rules.push(path);
    }
    let include = (!raw.include.is_empty()).then(|| globset(&raw.include, "/include", problems));
    let exclude = globset(&raw.exclude, "/exclude", problems);
    let mut severity = Vec::new();
    for (id, level) in &raw.severity {
        if let Some(level) = Level::parse(level) {
            severity.push((id.clone(), level, pointer_join("/severity", id)));
        }
    }
    let mut overrides = Vec::new();
    for (i, o) in raw.overrides.iter().enumerate() {
        let files = globset(&o.files, &format!("/overrides/{i}/files"), problems);
        let levels = o
            .severity
            .iter()
            .filter_map(|(id, l)| Level::parse(l).map(|l| (id.clone(), l)))
            .collect();
        overrides.push(PathOverride {
            files,
            pointer: o.pointer.clone(),
            levels,
        });
    }
    let mut ignores = Vec::new();
    for (i, ig) in raw.ignore.iter().enumerate() {
        let base = format!("/ignore/{i}");
        match glob(&ig.file) {
            Ok(g) => {
                let span = problems
                    .tree
                    .as_ref()
                    .map(|t| t.locate(&base, false))
                    .unwrap_or_default();
                ignores.push(ConfigIgnore {
                    files: g.compile_matcher(),
                    pointer: ig.pointer.clone(),
                    rule: ig.rule.clone(),
                    reason: ig.reason.clone(),
                    at: (Arc::clone(&problems.file), span),
                });
            }
            Err(e) => problems.push(
                &format!("{base}/file"),
                false,
                format!("invalid glob `{}`: {e}", ig.file),
                None,
            ),
        }
    }
    Config {
        file: Arc::clone(&problems.file),
        dir,
        profile: raw.profile,
        rules,
        as_of,
        limits: raw.limits.into_iter().collect(),
        include,
        exclude,
        severity,
        overrides,
        ignores,
        tree: problems.tree.take().unwrap_or(Tree {
            value: Value::Null,
            spans: Default::default(),
            inexact: Vec::new(),
        }),
    }
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

    /// Applies per-path severity overrides to one file's diagnostics (the last match wins).
    pub fn apply_overrides(&self, path: &Path, diagnostics: &mut Vec<Diagnostic>) {
        if self.overrides.is_empty() {
            return;
        }
        let rel = self.relative(path);
        diagnostics.retain_mut(|d| {
            let mut keep = true;
            for o in self.overrides.iter().filter(|o| {
                o.files.is_match(&rel) && crate::suppress::pointer_within(&d.pointer, &o.pointer)
            }) {
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

/// A glob matcher for one pattern (used by tests and callers outside this module).
pub fn matcher(pattern: &str) -> Result<GlobMatcher, String> {
    glob(pattern).map(|g| g.compile_matcher())
}
