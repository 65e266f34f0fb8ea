//! Declarative rule sets: loading, `extends`, overrides, and validation with spans.

pub mod functions;
pub mod plan;
pub mod regex;
pub mod selector;
pub mod tables;

use crate::builtin;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::document::{self, pointer_join, ParseLimits, Tree};
use crate::kind::Kind;
use crate::project::Root;
use crate::schema;
use crate::source::SourceFile;
use crate::suggest::did_you_mean;
use functions::{Check, OptionError};
use jiff::civil::Date;
use selector::Selector;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tables::{Table, TableEntry, Tables};

/// The bundled rule sets, embedded so the binary works anywhere: the profiles `meta` and
/// `genesys`, and the per-area files they extend (which rule files may extend too).
macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../rules/", $name, ".yaml"))),)*]
    };
}

pub const PROFILES: &[(&str, &str)] = bundled![
    "meta",
    "meta/template",
    "meta/template_kinds",
    "meta/authentication",
    "meta/phone_number",
    "meta/account",
    "meta/campaign",
    "meta/limits",
    "meta/across_files",
    "genesys",
    "genesys/template",
    "genesys/phone_number",
    "genesys/account",
    "genesys/agentless",
    "genesys/campaign",
];

/// The names `--profile` accepts.
pub fn profile_names() -> impl Iterator<Item = &'static str> {
    PROFILES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !name.contains('/'))
}

include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

/// A bundled rule file as JSON (converted from its YAML at build time).
fn bundled_json(name: &str) -> Option<&'static str> {
    PROFILES_JSON
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, json)| *json)
}

pub const DEFAULT_PROFILE: &str = "genesys";
const MAX_EXTENDS_DEPTH: usize = 16;

/// The public document a rule comes from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub title: String,
    pub url: Option<String>,
    pub section: Option<String>,
    pub date: Option<String>,
}

impl SourceRef {
    /// "Title, “Section” (date) <url>"
    pub fn cite(&self) -> String {
        let mut s = self.title.clone();
        if let Some(section) = &self.section {
            s.push_str(&format!(", “{section}”"));
        }
        if let Some(date) = &self.date {
            s.push_str(&format!(" ({date})"));
        }
        if let Some(url) = &self.url {
            s.push_str(&format!(" <{url}>"));
        }
        s
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// A guard: the rule applies where the function passes on the selected node(s).
#[derive(Debug)]
pub struct Condition {
    pub path: Selector,
    pub check: Check,
    pub negate: bool,
    /// The condition as written, keys sorted: conditions with the same text are the same
    /// condition, so rules that repeat one can share its answer.
    pub text: String,
}

impl Condition {
    /// Whether the condition looks at the manifest root (`$…`) rather than at the selected
    /// node: its answer is then the same for every node of a unit.
    pub fn is_about_unit(&self) -> bool {
        !self.path.is_relative()
    }
}

#[derive(Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub kind: Kind,
    pub severity: Severity,
    pub default_severity: Severity,
    pub summary: Arc<str>,
    pub given: Selector,
    pub field: Option<String>,
    pub when: Vec<Condition>,
    pub check: Check,
    pub message: String,
    pub why: Option<String>,
    pub help: Option<Arc<str>>,
    pub source: Option<SourceRef>,
    /// What the rule's diagnostics tell of it, shared by them; made when first needed (citing
    /// the source takes time a clean run does not need to spend).
    about: std::sync::OnceLock<Arc<crate::diagnostic::About>>,
    pub confidence: Option<Confidence>,
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// Whether Meta applies the rule when it reviews a template: the errors of such rules on
    /// an exported record Meta approved are shown as warnings (see `ExportedRecords`).
    pub review: bool,
    /// The Meta error codes and subcodes the rule prevents (`wabalint explain 2388299`).
    pub meta_errors: Vec<u64>,
    /// The rule set file that defined the rule.
    pub defined_in: String,
}

impl Rule {
    pub fn in_effect(&self, day: Date) -> bool {
        tables::in_effect(self.from, self.until, day)
    }

    /// The rule's source, cited as reports show it.
    pub fn cited(&self) -> Option<&str> {
        self.about().source.as_deref()
    }

    /// What the rule's diagnostics tell of it.
    pub fn about(&self) -> &Arc<crate::diagnostic::About> {
        self.about.get_or_init(|| {
            Arc::new(crate::diagnostic::About {
                rule: self.id.as_ref().into(),
                label: self.summary.as_ref().into(),
                source: self.source.as_ref().map(|s| s.cite().into()),
            })
        })
    }
}

/// A severity override: a level, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            "error" => Some(Level::On(Severity::Error)),
            "warning" => Some(Level::On(Severity::Warning)),
            "info" => Some(Level::On(Severity::Info)),
            _ => None,
        }
    }
}

/// A loaded, validated rule set with everything it extends folded in.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub name: String,
    pub description: String,
    /// Enabled rules in definition order (parents first).
    pub rules: Vec<Rule>,
    pub tables: Tables,
    /// Overrides of built-in checks (`manifest/…`).
    pub builtin_levels: BTreeMap<String, Level>,
    /// Rules turned off, kept so `rules`/`explain` can still show them.
    pub disabled: Vec<Rule>,
    /// The rule files read from disk (not the bundled ones), as found.
    pub files: Vec<PathBuf>,
}

impl RuleSet {
    /// Effective level of a built-in check.
    pub fn builtin_level(&self, code: &str) -> Option<Severity> {
        match self.builtin_levels.get(code) {
            Some(Level::Off) => None,
            Some(Level::On(s)) => Some(*s),
            None => builtin::find(code).map(|c| c.severity),
        }
    }

    /// Changes a rule's (or built-in check's) level; `Err` lists the known ids.
    pub fn set_level(&mut self, id: &str, level: Level) -> Result<(), Vec<String>> {
        if builtin::find(id).is_some() {
            self.builtin_levels.insert(id.to_string(), level);
            return Ok(());
        }
        if let Some(pos) = self.disabled.iter().position(|r| &*r.id == id) {
            let rule = self.disabled.remove(pos);
            self.rules.push(rule);
        }
        match (self.rules.iter().position(|r| &*r.id == id), level) {
            (Some(pos), Level::Off) => {
                let rule = self.rules.remove(pos);
                self.disabled.push(rule);
                Ok(())
            }
            (Some(pos), Level::On(s)) => {
                self.rules[pos].severity = s;
                Ok(())
            }
            (None, _) => Err(self
                .rules
                .iter()
                .map(|r| r.id.to_string())
                .chain(builtin::BUILTIN_CODES.iter().map(|c| c.id.to_string()))
                .collect()),
        }
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .chain(&self.disabled)
            .find(|r| &*r.id == id)
    }
}

/// A rule set that cannot be used, with diagnostics pointing into the offending file(s).
#[derive(Debug)]
pub struct RuleSetError {
    pub diagnostics: Vec<Diagnostic>,
}

/// At most this many rule files in one rule set (the bundled profiles are 14): a rule file that
/// a pull request can change must not make wabalint load an endless graph.
pub const MAX_RULE_FILES: usize = 64;

/// The compiled regular expressions of the rule files a user gives may take this much memory
/// in all (each one at most 1 MiB): thousands of patterns just under the limit of one would
/// otherwise take gigabytes.
pub const MAX_REGEX_MEMORY: usize = 32 << 20;

/// At most this many regular expressions in the rule files a user gives: each keeps a cache per
/// thread while it matches.
pub const MAX_REGEXES: usize = 1_000;

/// Loads a bundled profile by name.
pub fn load_profile(name: &str) -> Result<RuleSet, RuleSetError> {
    let mut loader = Loader::new(None);
    loader.load(Origin::Profile(name.to_string()), None);
    loader.finish()
}

/// Loads a profile and layers further rule files on top (their rules add to or replace the
/// profile's; rule ids they do not mention are kept). What they `extends` must be in `root`.
pub fn load_layers(profile: &str, files: &[PathBuf], root: &Root) -> Result<RuleSet, RuleSetError> {
    let mut loader = Loader::new(Some(root));
    loader.load(Origin::Profile(profile.to_string()), None);
    for file in files {
        loader.load(Origin::File(file.to_path_buf()), None);
    }
    loader.finish()
}

/// Loads a user rule file (read as given) and what it extends (which must be in `root`).
pub fn load_file(path: &Path, root: &Root) -> Result<RuleSet, RuleSetError> {
    let mut loader = Loader::new(Some(root));
    loader.load(Origin::File(path.to_path_buf()), None);
    loader.finish()
}

/// Loads a rule set from text, as if read from `name`; relative `extends` resolve from `root`
/// and must stay in it (without a root, only bundled profiles can be extended).
pub fn load_text(name: &str, text: &str, root: Option<&Root>) -> Result<RuleSet, RuleSetError> {
    let source = Arc::new(SourceFile::new(name, text));
    let mut loader = Loader::new(root);
    let base = root.map(|r| r.path().to_path_buf());
    loader.load_source(source, base, "text:".to_string() + name, None);
    loader.finish()
}

#[derive(Debug, Clone)]
enum Origin {
    Profile(String),
    File(PathBuf),
}

/// Loads the files of one rule set into it, each once, parents before the file that extends
/// them: a file reached again (a diamond of `extends`) is not loaded again.
struct Loader {
    root: Option<Root>,
    set: RuleSet,
    /// The files visited, by identity.
    visited: std::collections::HashSet<String>,
    /// Rule sets being loaded: (identity, name shown to the user).
    stack: Vec<(String, String)>,
    errors: Vec<Diagnostic>,
    /// What the regular expressions of user rule files take so far.
    regexes: regex::Budget,
}

struct Errors {
    file: Arc<SourceFile>,
    tree: Option<Tree>,
    list: Vec<Diagnostic>,
}

impl Errors {
    fn push(
        &mut self,
        code: &str,
        pointer: &str,
        at_key: bool,
        message: String,
        help: Option<String>,
    ) {
        let span = self
            .tree
            .as_ref()
            .map(|t| t.locate(pointer, at_key))
            .unwrap_or_default();
        self.list.push(
            Diagnostic::new(code, Severity::Error, &self.file, pointer, span, message)
                .with_help(help),
        );
    }

    fn push_option(&mut self, base: &str, e: OptionError) {
        let code = if e.pointer == "/function" {
            builtin::RULESET_UNKNOWN_FUNCTION
        } else {
            builtin::RULESET_BAD_OPTION
        };
        let help = (code == builtin::RULESET_UNKNOWN_FUNCTION).then(|| {
            let name = e
                .message
                .trim_start_matches("unknown function `")
                .trim_end_matches('`');
            did_you_mean(name, functions::FUNCTIONS.iter().map(|f| f.name))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "run `wabalint functions` to list the catalogue".into())
        });
        let at_key = e.message.starts_with("unknown field");
        let pointer = match (at_key, unknown_field(&e.message)) {
            (true, Some(field)) => pointer_join(base, field),
            _ => format!("{base}{}", e.pointer),
        };
        self.push(code, &pointer, at_key, e.message, help);
    }
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct RawFile {
    ruleset: Option<String>,
    description: Option<String>,
    extends: Option<OneOrMany>,
    #[serde(default)]
    tables: BTreeMap<String, RawTable>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    overrides: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawTable {
    #[serde(default)]
    description: String,
    entries: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    key: String,
    value: Value,
    from: Option<String>,
    until: Option<String>,
}

#[derive(Deserialize)]
struct RawRule {
    id: String,
    kind: Kind,
    severity: Severity,
    summary: String,
    given: Option<String>,
    field: Option<String>,
    #[serde(default)]
    when: Vec<Map<String, Value>>,
    check: Map<String, Value>,
    message: String,
    why: Option<String>,
    help: Option<String>,
    source: Option<SourceRef>,
    confidence: Option<Confidence>,
    from: Option<String>,
    until: Option<String>,
    #[serde(default = "yes")]
    review: bool,
    #[serde(default)]
    meta_errors: Vec<u64>,
}

fn yes() -> bool {
    true
}

pub const RULESET_SCHEMA: &str = include_str!("../../rules/schemas/ruleset.schema.json");

fn ruleset_shape() -> &'static schema::Shape {
    static CELL: OnceLock<schema::Shape> = OnceLock::new();
    CELL.get_or_init(|| schema::Shape::compile(RULESET_SCHEMA).expect("bundled schema compiles"))
}

fn date(text: &Option<String>) -> Option<Date> {
    text.as_deref().and_then(|s| s.parse().ok())
}

impl Loader {
    fn new(root: Option<&Root>) -> Loader {
        Loader {
            root: root.cloned(),
            set: RuleSet::default(),
            visited: Default::default(),
            stack: Vec::new(),
            errors: Vec::new(),
            regexes: Default::default(),
        }
    }

    fn finish(self) -> Result<RuleSet, RuleSetError> {
        if self.errors.is_empty() {
            Ok(self.set)
        } else {
            Err(RuleSetError {
                diagnostics: self.errors,
            })
        }
    }

    /// Loads `origin` into the set unless it was loaded before; `from` is the `extends` entry
    /// that names it.
    fn load(&mut self, origin: Origin, from: Option<(&Errors, &str)>) {
        let (key, source, base, bundled) = match &origin {
            Origin::Profile(name) => match PROFILES.iter().find(|(n, _)| n == name) {
                Some((n, text)) => (
                    format!("profile:{n}"),
                    Arc::new(SourceFile::new(format!("rules/{n}.yaml"), *text)),
                    None,
                    bundled_json(n),
                ),
                None => {
                    let help = profile_help(name);
                    return self.refuse(from, format!("unknown profile `{name}`"), help);
                }
            },
            Origin::File(path) => {
                let canonical = crate::project::real_path(path);
                let key = format!("file:{}", canonical.display());
                if self.visited.contains(&key) && !self.stack.iter().any(|(k, _)| *k == key) {
                    return;
                }
                match read_rule_file(path) {
                    Ok(text) => {
                        self.set.files.push(path.clone());
                        (
                            key,
                            Arc::new(SourceFile::new(crate::source::shown_path(path), text)),
                            path.parent().map(Path::to_path_buf),
                            None,
                        )
                    }
                    Err(e) => {
                        let message = format!(
                            "cannot read rule file `{}`: {e}",
                            crate::source::shown_path(path)
                        );
                        let bare_name = path.file_name().map(|n| n.to_string_lossy().to_string());
                        let help = bare_name
                            .filter(|n| !n.contains('.'))
                            .and_then(|n| profile_help(&n));
                        if from.is_some() {
                            return self.refuse(from, message, help);
                        }
                        let file = Arc::new(SourceFile::new(crate::source::shown_path(path), ""));
                        let d = Diagnostic::new(
                            builtin::RULESET_SYNTAX,
                            Severity::Error,
                            &file,
                            "",
                            Default::default(),
                            message,
                        );
                        self.errors.push(d);
                        return;
                    }
                }
            }
        };
        if self.stack.iter().any(|(k, _)| *k == key) {
            let chain = self
                .stack
                .iter()
                .map(|(_, shown)| shown.as_str())
                .chain(std::iter::once(source.name()))
                .collect::<Vec<_>>()
                .join(" → ");
            return self.refuse(from, format!("`extends` forms a cycle: {chain}"), None);
        }
        if !self.visited.insert(key.clone()) {
            return;
        }
        if self.stack.len() >= MAX_EXTENDS_DEPTH {
            let message = format!("`extends` is nested deeper than {MAX_EXTENDS_DEPTH} levels");
            return self.refuse(from, message, None);
        }
        if self.visited.len() > MAX_RULE_FILES {
            let message = format!(
                "`extends` reaches more than {MAX_RULE_FILES} rule files; wabalint loads at most {MAX_RULE_FILES}"
            );
            return self.refuse(from, message, Some("merge rule files".into()));
        }
        self.load_source(source, base, key, bundled);
    }

    /// Refuses what an `extends` entry (`from`) names, with a diagnostic at the entry.
    fn refuse(&mut self, from: Option<(&Errors, &str)>, message: String, help: Option<String>) {
        self.errors
            .extend(extends_error(from, message, help).diagnostics);
    }

    /// Loads one rule file into the set, its parents first; `bundled` is its JSON form when it
    /// is one of the bundled files, which are read without the span tree and schema check their
    /// tests already did.
    fn load_source(
        &mut self,
        file: Arc<SourceFile>,
        base: Option<PathBuf>,
        key: String,
        bundled: Option<&str>,
    ) {
        let mut errors = Errors {
            file: Arc::clone(&file),
            tree: None,
            list: Vec::new(),
        };
        let raw = match bundled {
            Some(json) => serde_json::from_str::<RawFile>(json)
                .map_err(|e| errors.push(builtin::RULESET_INVALID, "", false, e.to_string(), None))
                .ok(),
            None => parse_raw(&file, &mut errors),
        };
        let Some(raw) = raw else {
            self.errors.extend(errors.list);
            return;
        };
        if self.stack.is_empty() {
            self.set.name = raw
                .ruleset
                .clone()
                .unwrap_or_else(|| file.name().to_string());
            self.set.description = raw.description.clone().unwrap_or_default();
        }
        let parents = match &raw.extends {
            None => Vec::new(),
            Some(OneOrMany::One(s)) => vec![(s.clone(), "/extends".to_string())],
            Some(OneOrMany::Many(v)) => v
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), format!("/extends/{i}")))
                .collect(),
        };
        self.stack.push((key, file.name().to_string()));
        let before = self.errors.len();
        for (name, pointer) in parents {
            if PROFILES.iter().any(|(n, _)| *n == name) {
                self.load(Origin::Profile(name), Some((&errors, &pointer)));
                continue;
            }
            let resolved = match &self.root {
                Some(root) => root
                    .resolve(base.as_deref().unwrap_or(Path::new(".")), &name)
                    .map_err(|_| (root.refusal(&name), Some(root.refusal_help()))),
                None => Err((
                    format!("`{name}` is not a bundled profile, and a rule set given as text can extend only those"),
                    profile_help(&name),
                )),
            };
            match resolved {
                Ok(path) => self.load(Origin::File(path), Some((&errors, &pointer))),
                Err((message, help)) => self.refuse(Some((&errors, &pointer)), message, help),
            }
        }
        self.stack.pop();
        if self.errors.len() != before {
            return;
        }
        let set = &mut self.set;
        add_tables(set, &raw, &mut errors);
        // A user's expressions are compiled (and counted) as they load; bundled ones on first
        // use (a test compiles them all).
        let user = bundled.is_none();
        if user {
            regex::enter(std::mem::take(&mut self.regexes));
        }
        add_rules(set, raw.rules, file.name(), &mut errors);
        if user {
            self.regexes = regex::leave();
        }
        apply_overrides(set, &raw.overrides, &mut errors);
        self.errors.extend(errors.list);
    }
}

/// A rule file's text (at most [`crate::source::MAX_CONFIG_SIZE`] bytes of UTF-8), or why not.
fn read_rule_file(path: &Path) -> Result<String, String> {
    crate::source::read_config(path)
        .map_err(|e| crate::source::io_reason(&e))
        .and_then(|b| document::decode(b).map_err(|_| "the file is not UTF-8 text".to_string()))
}

fn profile_help(name: &str) -> Option<String> {
    did_you_mean(name, PROFILES.iter().map(|(n, _)| *n))
        .map(|s| format!("did you mean `{s}`?"))
        .or_else(|| {
            Some(format!(
                "bundled profiles: {}",
                PROFILES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

fn extends_error(
    from: Option<(&Errors, &str)>,
    message: String,
    help: Option<String>,
) -> RuleSetError {
    let diagnostic = match from {
        Some((errors, pointer)) => Diagnostic {
            about: crate::diagnostic::About::new(builtin::RULESET_EXTENDS, "extended here"),
            severity: Severity::Error,
            message: message.into(),
            help: help.map(Arc::from),
            file: Arc::clone(&errors.file),
            pointer: pointer.into(),
            span: errors
                .tree
                .as_ref()
                .map(|t| t.locate(pointer, false))
                .unwrap_or_default(),
            related: Vec::new(),
        },
        None => Diagnostic {
            about: crate::diagnostic::About::new(builtin::RULESET_EXTENDS, "here"),
            severity: Severity::Error,
            message: message.into(),
            help: help.map(Arc::from),
            file: Arc::new(SourceFile::new("<command line>", "")),
            pointer: "".into(),
            span: Default::default(),
            related: Vec::new(),
        },
    };
    RuleSetError {
        diagnostics: vec![diagnostic],
    }
}

fn parse_raw(file: &Arc<SourceFile>, errors: &mut Errors) -> Option<RawFile> {
    let mut doc = match document::parse(Arc::clone(file), &ParseLimits::default()) {
        Ok(doc) => doc,
        Err(document::LoadError::Syntax(e)) => {
            errors.list.push(Diagnostic {
                about: crate::diagnostic::About::new(builtin::RULESET_SYNTAX, "here"),
                severity: Severity::Error,
                message: format!("the rule file is not valid YAML: {}", e.message).into(),
                help: None,
                file: Arc::clone(file),
                pointer: "".into(),
                span: e.span.unwrap_or_default(),
                related: Vec::new(),
            });
            return None;
        }
        Err(document::LoadError::Encoding { message, .. }) => {
            errors.push(builtin::RULESET_SYNTAX, "", false, message, None);
            return None;
        }
    };
    if doc.trees.len() != 1 {
        errors.push(
            builtin::RULESET_INVALID,
            "",
            false,
            format!(
                "a rule file holds exactly one YAML document, this one holds {}",
                doc.trees.len()
            ),
            None,
        );
        return None;
    }
    let tree = doc.trees.remove(0);
    let shape = ruleset_shape().validate(&tree.value);
    let value = tree.value.clone();
    errors.tree = Some(tree);
    for e in shape {
        errors.push(
            builtin::RULESET_INVALID,
            &e.pointer,
            e.at_key,
            e.message,
            e.help,
        );
    }
    if !errors.list.is_empty() {
        return None;
    }
    match serde_json::from_value::<RawFile>(value) {
        Ok(raw) => Some(raw),
        Err(e) => {
            errors.push(builtin::RULESET_INVALID, "", false, e.to_string(), None);
            None
        }
    }
}

fn add_tables(set: &mut RuleSet, raw: &RawFile, errors: &mut Errors) {
    for (name, table) in &raw.tables {
        let mut entries = Vec::new();
        for (i, e) in table.entries.iter().enumerate() {
            let (from, until) = (date(&e.from), date(&e.until));
            if let (Some(f), Some(u)) = (from, until) {
                if f >= u {
                    let ptr = format!(
                        "/tables/{}/entries/{i}/until",
                        name.replace('~', "~0").replace('/', "~1")
                    );
                    errors.push(
                        builtin::RULESET_DATES,
                        &ptr,
                        false,
                        format!("`until` {u} is not after `from` {f}"),
                        None,
                    );
                }
            }
            entries.push(TableEntry {
                key: e.key.clone(),
                value: e.value.clone(),
                from,
                until,
            });
        }
        set.tables.insert(
            name.clone(),
            Table {
                description: table.description.clone(),
                entries,
            },
        );
    }
}

fn add_rules(set: &mut RuleSet, raw_rules: Vec<RawRule>, file_name: &str, errors: &mut Errors) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, raw) in raw_rules.into_iter().enumerate() {
        let base = format!("/rules/{i}");
        if let Some(first) = seen.get(&raw.id) {
            let first_ptr = format!("/rules/{first}/id");
            let related_span = errors
                .tree
                .as_ref()
                .map(|t| t.locate(&first_ptr, false))
                .unwrap_or_default();
            errors.push(
                builtin::RULESET_DUPLICATE_RULE,
                &format!("{base}/id"),
                false,
                format!("rule `{}` is defined twice", raw.id),
                None,
            );
            if let Some(last) = errors.list.last_mut() {
                last.related.push(Label {
                    file: Arc::clone(&errors.file),
                    span: related_span,
                    message: "first defined here".into(),
                });
            }
            continue;
        }
        seen.insert(raw.id.clone(), i);
        if let Some(rule) = compile_rule(raw, &base, file_name, set, errors) {
            set.rules.retain(|r| r.id != rule.id);
            set.disabled.retain(|r| r.id != rule.id);
            set.rules.push(rule);
        }
    }
}

fn compile_rule(
    raw: RawRule,
    base: &str,
    file_name: &str,
    set: &RuleSet,
    errors: &mut Errors,
) -> Option<Rule> {
    let before = errors.list.len();
    let given = match Selector::parse(raw.given.as_deref().unwrap_or("$")) {
        Ok(s) if s.is_relative() => {
            errors.push(
                builtin::RULESET_BAD_SELECTOR,
                &format!("{base}/given"),
                false,
                "`given` must start at the manifest root (`$`)".into(),
                None,
            );
            None
        }
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(
                builtin::RULESET_BAD_SELECTOR,
                &format!("{base}/given"),
                false,
                e,
                None,
            );
            None
        }
    };
    let check = compile_check(raw.check, &format!("{base}/check"), errors);
    if let Some(check) = &check {
        compile_regexes(check, &format!("{base}/check"), errors);
    }
    if let Some(Check::TableMax(t)) = &check {
        for name in t.tables() {
            if !set.tables.contains_key(name) {
                errors.push(
                    builtin::RULESET_UNKNOWN_TABLE,
                    &format!("{base}/check/lookups"),
                    false,
                    format!("table `{name}` is not defined"),
                    did_you_mean(name, set.tables.keys().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?")),
                );
            }
        }
    }
    let mut when = Vec::new();
    for (j, mut cond) in raw.when.into_iter().enumerate() {
        let cbase = format!("{base}/when/{j}");
        let text = sorted_keys(&Value::Object(cond.clone())).to_string();
        let path_text = cond
            .remove("path")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "@".into());
        let negate = cond
            .remove("not")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let path = Selector::parse(&path_text)
            .map_err(|e| {
                errors.push(
                    builtin::RULESET_BAD_SELECTOR,
                    &format!("{cbase}/path"),
                    false,
                    e,
                    None,
                )
            })
            .ok();
        let check = compile_check(cond, &cbase, errors);
        if let Some(check) = &check {
            compile_regexes(check, &cbase, errors);
        }
        if let (Some(path), Some(check)) = (path, check) {
            when.push(Condition {
                path,
                check,
                negate,
                text,
            });
        }
    }
    let (from, until) = (date(&raw.from), date(&raw.until));
    if let (Some(f), Some(u)) = (from, until) {
        if f >= u {
            errors.push(
                builtin::RULESET_DATES,
                &format!("{base}/until"),
                false,
                format!("`until` {u} is not after `from` {f}"),
                None,
            );
        }
    }
    if errors.list.len() != before {
        return None;
    }
    Some(Rule {
        id: raw.id.into(),
        kind: raw.kind,
        severity: raw.severity,
        default_severity: raw.severity,
        summary: raw.summary.into(),
        given: given?,
        field: raw.field,
        when,
        check: check?,
        message: raw.message,
        why: raw.why,
        help: raw.help.map(Arc::from),
        about: std::sync::OnceLock::new(),
        source: raw.source,
        confidence: raw.confidence,
        from,
        until,
        review: raw.review,
        meta_errors: raw.meta_errors,
        defined_in: file_name.to_string(),
    })
}

/// `value` with the keys of every mapping in sorted order.
fn sorted_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted_keys(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

/// Compiles the regular expressions of a check's options from a user's rule file now (see
/// [`regex::charge`]); those of its selectors were when they were parsed.
fn compile_regexes(check: &Check, base: &str, errors: &mut Errors) {
    for (pointer, re) in check.regexes() {
        if let Err(message) = regex::charge(re) {
            errors.push(
                builtin::RULESET_BAD_OPTION,
                &format!("{base}{pointer}"),
                false,
                message,
                None,
            );
        }
    }
}

fn compile_check(mut map: Map<String, Value>, base: &str, errors: &mut Errors) -> Option<Check> {
    let name = map
        .remove("function")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Check::parse(&name, Value::Object(map))
        .map_err(|e| errors.push_option(base, e))
        .ok()
}

fn apply_overrides(set: &mut RuleSet, overrides: &BTreeMap<String, String>, errors: &mut Errors) {
    for (id, level) in overrides {
        let Some(level) = Level::parse(level) else {
            continue;
        };
        if builtin::means_not_checked(id) {
            let pointer = pointer_join("/overrides", id);
            let message = format!(
                "`{id}` means a file was not checked; a rule file cannot change its severity"
            );
            let help = "fix the file, or accept the finding with an `ignore:` entry and a reason in the configuration".into();
            errors.push(
                builtin::RULESET_INVALID,
                &pointer,
                true,
                message,
                Some(help),
            );
            continue;
        }
        if let Err(known) = set.set_level(id, level) {
            let help = did_you_mean(id, known.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"));
            let pointer = pointer_join("/overrides", id);
            errors.push(
                builtin::RULESET_UNKNOWN_RULE,
                &pointer,
                true,
                format!("there is no rule `{id}` to override"),
                help,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build script's JSON is the YAML as manifests are read (anchors, merge keys, scalars).
    #[test]
    fn bundled_json_is_the_yaml() {
        assert_eq!(PROFILES.len(), PROFILES_JSON.len());
        for (name, yaml) in PROFILES {
            let source = Arc::new(SourceFile::new(*name, *yaml));
            let doc = document::parse(source, &ParseLimits::default()).unwrap();
            let json: Value = serde_json::from_str(bundled_json(name).unwrap()).unwrap();
            assert_eq!(doc.trees[0].value, json, "{name}");
        }
    }

    /// What start-up skips for bundled files — the schema check and compiling every regular
    /// expression — passes: each one loads cleanly as a user's rule file.
    #[test]
    fn bundled_files_load_as_user_rule_files() {
        for (name, yaml) in PROFILES {
            let loaded = load_text(&format!("rules/{name}.yaml"), yaml, None);
            let errors = loaded.err().map(|e| e.diagnostics).unwrap_or_default();
            assert!(
                errors.is_empty(),
                "{name}: {:?}",
                errors.first().map(|d| &d.message)
            );
        }
    }
}
