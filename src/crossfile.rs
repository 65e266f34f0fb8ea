//! Checks across the files of one run: every file contributes small records while it is
//! checked; once all files are read, the records are matched and become diagnostics that
//! label both files.

use crate::diagnostic::{Diagnostic, Label};
use crate::document::Tree;
use crate::kind::Unit;
use crate::rules::functions::workspace::{Key, KeyMemo, Record, Role};
use crate::rules::functions::{Check, Ctx, Finding};
use crate::rules::{Rule, RuleSet};
use crate::source::{SourceFile, Span};
use jiff::civil::Date;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The unit a record comes from: enough to re-read its file and point into it later. One per
/// unit, shared by all its records.
#[derive(Debug)]
pub struct Origin {
    pub path: Option<Arc<Path>>,
    /// Files without a path (stdin) keep their text.
    pub source: Option<Arc<SourceFile>>,
    pub kind: crate::kind::Kind,
    /// The unit's YAML document in the file, and its pointer there.
    pub tree: usize,
    pub root: String,
}

impl Origin {
    /// The file's name as reports show it: a file read from a path is named by it.
    pub fn name(&self) -> std::borrow::Cow<'_, str> {
        match (&self.source, &self.path) {
            (Some(source), _) => source.name().into(),
            (None, Some(path)) => path.display().to_string().into(),
            (None, None) => "".into(),
        }
    }
}

/// Where a recorded node is.
pub struct Place<'r> {
    pub origin: &'r Origin,
    /// Absolute pointer of the node in its file.
    pub pointer: String,
    pub span: Span,
}

/// One record of one unit for one cross-file rule: a source per rule, a target per target
/// signature (the rules that look for the same kind by the same keys share it). A run holds a
/// few per template, so it is small: what it records, where, and which value it shows are
/// shared by the rules of a unit that take the same record.
#[derive(Debug, Clone)]
pub struct CrossRecord {
    pub rule: u32,
    /// A target of `exists_across_files` holds only its key until a source needs the rest:
    /// every template is a target of several rules, and few are looked up.
    partial: bool,
    located: Arc<Located>,
}

#[derive(Debug)]
struct Located {
    origin: Arc<Origin>,
    record: Record,
    /// Spans of the record's pointer and of each value's pointer, in that order.
    spans: Box<[Span]>,
    /// The value at the record's pointer, for `{{value}}` (sources only: targets are never
    /// reported).
    shown: Option<Box<str>>,
}

impl Located {
    fn new(origin: &Arc<Origin>, record: Record, tree: &Tree, shown: Option<Box<str>>) -> Located {
        let spans = std::iter::once(&record.pointer)
            .chain(record.values.iter().map(|(_, p)| p))
            .map(|p| tree.locate(&format!("{}{p}", origin.root), false))
            .collect();
        Located {
            origin: Arc::clone(origin),
            record,
            spans,
            shown,
        }
    }
}

impl CrossRecord {
    pub fn record(&self) -> &Record {
        &self.located.record
    }

    fn origin(&self) -> &Origin {
        &self.located.origin
    }

    fn place(&self, pointer: &str) -> Place<'_> {
        let pointers = std::iter::once(&self.record().pointer)
            .chain(self.record().values.iter().map(|(_, p)| p));
        let (relative, span) = pointers
            .zip(self.located.spans.iter())
            .find(|(p, _)| *p == pointer)
            .unwrap_or((&self.record().pointer, &self.located.spans[0]));
        Place {
            origin: self.origin(),
            pointer: format!("{}{relative}", self.origin().root),
            span: *span,
        }
    }
}

/// Records what `unit` contributes to the cross-file rules.
pub fn collect(
    rules: &RuleSet,
    as_of: Date,
    tree: &Tree,
    file: &Arc<SourceFile>,
    path: Option<&std::path::Path>,
    unit: &Unit,
    source_passes: impl Fn(&Rule) -> bool,
) -> Vec<CrossRecord> {
    let Some(value) = tree.value.pointer(&unit.root) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let origin = Arc::new(Origin {
        path: path.map(Arc::from),
        source: path.is_none().then(|| Arc::clone(file)),
        kind: unit.kind,
        tree: unit.tree,
        root: unit.root.clone(),
    });
    let mut made: Vec<Arc<Located>> = Vec::new();
    let mut memo = KeyMemo::default();
    // A unit is recorded as a target once per target signature, under the first rule that has
    // it; `finish` gives those targets to every rule with the same signature.
    let mut targeted: Vec<&str> = Vec::new();
    for (index, rule) in rules.rules.iter().enumerate() {
        if !rule.check.is_cross_file() || !rule.in_effect(as_of) {
            continue;
        }
        let is_source = rule.kind == unit.kind && source_passes(rule);
        for (record, partial) in records_of(rule, unit, value, is_source, &mut memo, &mut targeted)
        {
            let shown = (record.role == Role::Source).then(|| {
                value
                    .pointer(&record.pointer)
                    .map(crate::rules::functions::display)
                    .unwrap_or_default()
                    .into_boxed_str()
            });
            let located = match made.iter().find(|l| l.record == record && l.shown == shown) {
                _ if !partial && record.role == Role::Target && record.key.is_empty() => counted(),
                Some(l) => Arc::clone(l),
                None => {
                    let l = Arc::new(Located::new(&origin, record, tree, shown));
                    made.push(Arc::clone(&l));
                    l
                }
            };
            out.push(CrossRecord {
                rule: index as u32,
                partial,
                located,
            });
        }
    }
    out
}

/// The empty key of counted records, shared.
fn no_key() -> Key {
    static EMPTY: std::sync::OnceLock<Key> = std::sync::OnceLock::new();
    Key::clone(EMPTY.get_or_init(|| Key::from([])))
}

/// The record of a target that is only counted (`count_across_files`), shared by all: the
/// counted templates of a large run would otherwise each keep one.
fn counted() -> Arc<Located> {
    static COUNTED: std::sync::OnceLock<Arc<Located>> = std::sync::OnceLock::new();
    let record = || Record {
        role: Role::Target,
        key: no_key(),
        pointer: String::new(),
        values: Vec::new(),
    };
    Arc::clone(COUNTED.get_or_init(|| {
        let nowhere = Origin {
            path: None,
            source: None,
            kind: crate::kind::Kind::Template,
            tree: 0,
            root: String::new(),
        };
        Arc::new(Located {
            origin: Arc::new(nowhere),
            record: record(),
            spans: Box::new([Span::default()]),
            shown: None,
        })
    }))
}

/// The whole record of a partial target, from its unit read again (`reload`).
fn complete(
    rule: &Rule,
    partial: &CrossRecord,
    reload: &dyn Fn(&Origin) -> Option<Tree>,
) -> Option<CrossRecord> {
    let Check::ExistsAcrossFiles(c) = &rule.check else {
        return None;
    };
    let origin = &partial.located.origin;
    let tree = reload(origin)?;
    let value = tree.value.pointer(&origin.root)?;
    let record = c
        .record(Role::Target, value, &mut KeyMemo::default())
        .into_iter()
        .next()?;
    Some(CrossRecord {
        partial: false,
        located: Arc::new(Located::new(origin, record, &tree, None)),
        ..partial.clone()
    })
}

/// The records `rule` takes from a unit: as the unit it reports on (source) and as the unit
/// it looks for (target), each with whether it is partial (a target's key only).
fn records_of<'s>(
    rule: &'s Rule,
    unit: &Unit,
    value: &Value,
    is_source: bool,
    memo: &mut KeyMemo<'s>,
    targeted: &mut Vec<&'s str>,
) -> Vec<(Record, bool)> {
    let mut first_of = |signature: &'s str| {
        let first = !targeted.contains(&signature);
        if first {
            targeted.push(signature);
        }
        first
    };
    let bare = |role, key| Record {
        role,
        key,
        pointer: String::new(),
        values: Vec::new(),
    };
    let whole = |records: Vec<Record>| records.into_iter().map(|r| (r, false));
    let mut out = Vec::new();
    match &rule.check {
        Check::UniqueAcrossFiles(c) if is_source => out.extend(whole(c.record(value, memo))),
        Check::ExistsAcrossFiles(c) => {
            if is_source {
                out.extend(whole(c.record(Role::Source, value, memo)));
            }
            if c.target_kind() == unit.kind && first_of(c.target_signature()) {
                if let Some(key) = c.target_key(value, memo) {
                    out.push((bare(Role::Target, key), true));
                }
            }
        }
        Check::CountAcrossFiles(c) => {
            if is_source {
                out.push((bare(Role::Source, no_key()), false));
            }
            if c.target_kind() == unit.kind && first_of(c.target_signature()) {
                out.push((bare(Role::Target, no_key()), false));
            }
        }
        _ => {}
    }
    out
}

/// Matches the records of all files and returns the diagnostics, in record order: at most
/// `max` per file (`max_diagnostics`), and how many more each file name has.
pub fn finish<'r>(
    rules: &RuleSet,
    as_of: Date,
    records: impl Iterator<Item = &'r CrossRecord>,
    max: usize,
    reload: &dyn Fn(&Origin) -> Option<Tree>,
) -> (Vec<Diagnostic>, HashMap<String, usize>) {
    // Rule by rule, each in file order.
    let mut by_rule: std::collections::BTreeMap<u32, Vec<&CrossRecord>> = Default::default();
    for r in records {
        by_rule.entry(r.rule).or_default().push(r);
    }
    let mut sources = Sources::default();
    let mut out = Vec::new();
    let mut shown: HashMap<String, usize> = HashMap::new();
    let mut hidden: HashMap<String, usize> = HashMap::new();
    let null = Value::Null;
    let ctx = Ctx::new(as_of, &rules.tables, &null);
    // Targets are recorded under the first rule of each signature (see `collect`), which
    // comes first here too.
    let mut target_maps: HashMap<&str, KeyMap<'r>> = HashMap::new();
    let mut target_counts: HashMap<&str, usize> = HashMap::new();
    for (index, records) in by_rule {
        let rule = &rules.rules[index as usize];
        let mut emit = |ours: &CrossRecord, theirs: Option<&CrossRecord>, f: Finding| {
            // Beyond the limit, only count: 20,000 copies of a template are 19,999 findings.
            let file = ours.origin().name();
            let n = shown.entry(file.to_string()).or_default();
            if *n >= max {
                *hidden.entry(file.to_string()).or_default() += 1;
                return;
            }
            *n += 1;
            out.push(diagnostic(rule, ours, theirs, f, &mut sources));
        };
        match &rule.check {
            Check::UniqueAcrossFiles(_) => {
                let mut first: KeyMap =
                    KeyMap::with_capacity_and_hasher(records.len(), Default::default());
                for &r in &records {
                    match first.get(&*r.record().key) {
                        Some(earlier) => {
                            let f = Finding::at(&r.record().pointer)
                                .arg("key", r.record().key.join(" / "))
                                .related(earlier.record().pointer.clone(), "first defined here");
                            emit(r, Some(earlier), f);
                        }
                        None => {
                            first.insert(&r.record().key, r);
                        }
                    }
                }
            }
            Check::ExistsAcrossFiles(c) => {
                // Rules that look for the same kind by the same key paths find the same targets.
                let targets = target_maps.entry(c.target_signature()).or_insert_with(|| {
                    let mut targets =
                        KeyMap::with_capacity_and_hasher(records.len(), Default::default());
                    for &r in records.iter().filter(|r| r.record().role == Role::Target) {
                        targets.entry(&r.record().key).or_insert(r);
                    }
                    targets
                });
                // Partial targets a source compares with are completed once each.
                let mut completed: HashMap<*const CrossRecord, Option<CrossRecord>> =
                    HashMap::new();
                for &ours in records.iter().filter(|r| r.record().role == Role::Source) {
                    let mut theirs = targets.get(&*ours.record().key).copied();
                    if let Some(t) = theirs.filter(|t| t.partial && c.compares()) {
                        theirs = completed
                            .entry(t as *const CrossRecord)
                            .or_insert_with(|| complete(rule, t, reload))
                            .as_ref();
                    }
                    if let Some(f) = c.judge(&ctx, ours.record(), theirs.map(|t| t.record())) {
                        emit(ours, theirs, f);
                    }
                }
            }
            Check::CountAcrossFiles(c) => {
                let count = *target_counts
                    .entry(c.target_signature())
                    .or_insert_with(|| {
                        records
                            .iter()
                            .filter(|r| r.record().role == Role::Target)
                            .count()
                    });
                if count > c.max() {
                    for &ours in records.iter().filter(|r| r.record().role == Role::Source) {
                        let f = Finding::at(&ours.record().pointer)
                            .arg("count", count)
                            .arg("max", c.max());
                        emit(ours, None, f);
                    }
                }
            }
            _ => {}
        }
    }
    (out, hidden)
}

/// The first record of each key.
type KeyMap<'r> = foldhash::HashMap<&'r [Box<str>], &'r CrossRecord>;

/// Re-reads the files diagnostics point into, once each.
#[derive(Default)]
struct Sources(HashMap<String, Arc<SourceFile>>);

impl Sources {
    fn get(&mut self, place: &Origin) -> Arc<SourceFile> {
        if let Some(source) = &place.source {
            return Arc::clone(source);
        }
        let name = place.name().into_owned();
        Arc::clone(self.0.entry(name.clone()).or_insert_with(|| {
            let text = place
                .path
                .as_ref()
                .and_then(|p| std::fs::read(p).ok())
                .and_then(|b| crate::document::decode(b).ok())
                .unwrap_or_default();
            Arc::new(SourceFile::new(name, text))
        }))
    }
}

fn diagnostic(
    rule: &Rule,
    ours: &CrossRecord,
    theirs: Option<&CrossRecord>,
    f: Finding,
    sources: &mut Sources,
) -> Diagnostic {
    let place = ours.place(&f.pointer);
    let file = sources.get(place.origin);
    let mut args: Vec<(&str, String)> = vec![
        (
            "value",
            ours.located
                .shown
                .as_deref()
                .unwrap_or_default()
                .to_string(),
        ),
        ("property", crate::document::pointer_last(&f.pointer)),
    ];
    args.extend(f.args.iter().map(|(k, v)| (*k, v.clone())));
    let related = f
        .related
        .iter()
        .filter_map(|(pointer, label)| {
            let other = theirs?;
            let place = other.place(pointer);
            Some(Label {
                file: sources.get(place.origin),
                span: place.span,
                message: label.clone(),
            })
        })
        .collect();
    Diagnostic {
        rule: rule.id.clone(),
        severity: rule.severity,
        message: crate::engine::fill(&rule.message, &args),
        help: rule
            .help
            .as_ref()
            .map(|h| crate::engine::fill_shared(h, &args)),
        source: rule.cited(),
        file,
        pointer: place.pointer,
        span: place.span,
        label: rule.summary.clone(),
        related,
    }
}
