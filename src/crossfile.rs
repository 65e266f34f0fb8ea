//! Checks across the files of one run: every file contributes small records while it is
//! checked; once all files are read, the records are matched and become diagnostics that
//! label both files.

use crate::diagnostic::{Diagnostic, Label};
use crate::document::Tree;
use crate::kind::Unit;
use crate::rules::functions::workspace::{Record, Role};
use crate::rules::functions::{Check, Ctx, Finding};
use crate::rules::{Rule, RuleSet};
use crate::source::{SourceFile, Span};
use jiff::civil::Date;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// Where a recorded node is: enough to re-read the file and point at it later.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: Arc<str>,
    /// Absolute pointer of the node in its file.
    pub pointer: String,
    pub path: Option<Arc<Path>>,
    /// Files without a path (stdin) keep their text.
    pub source: Option<Arc<SourceFile>>,
    pub span: Span,
}

/// One record of one unit for one cross-file rule.
#[derive(Debug, Clone)]
pub struct CrossRecord {
    pub rule: usize,
    pub record: Record,
    /// Pointer (relative to the unit) → place, for every pointer the record names.
    places: Vec<(String, Place)>,
    /// The value at the record's pointer, for `{{value}}` (sources only: targets are never
    /// reported).
    shown: String,
}

impl CrossRecord {
    fn place(&self, pointer: &str) -> &Place {
        self.places
            .iter()
            .find(|(p, _)| p == pointer)
            .or_else(|| self.places.first())
            .map(|(_, place)| place)
            .expect("a record has at least one place")
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
    let name: Arc<str> = Arc::from(file.name());
    let path: Option<Arc<Path>> = path.map(Arc::from);
    for (index, rule) in rules.rules.iter().enumerate() {
        if !rule.check.is_cross_file() || !rule.in_effect(as_of) {
            continue;
        }
        let is_source = rule.kind == unit.kind && source_passes(rule);
        let records = match &rule.check {
            Check::UniqueAcrossFiles(c) if is_source => c.record(value),
            Check::ExistsAcrossFiles(c) => {
                let mut r = if is_source {
                    c.record(Role::Source, value)
                } else {
                    Vec::new()
                };
                if c.target_kind() == unit.kind {
                    r.extend(c.record(Role::Target, value));
                }
                r
            }
            Check::CountAcrossFiles(c) => {
                let mut r = Vec::new();
                if is_source {
                    r.push(Record {
                        role: Role::Source,
                        key: Vec::new(),
                        pointer: String::new(),
                        values: Vec::new(),
                    });
                }
                if c.target_kind() == unit.kind {
                    r.push(Record {
                        role: Role::Target,
                        key: Vec::new(),
                        pointer: String::new(),
                        values: Vec::new(),
                    });
                }
                r
            }
            _ => Vec::new(),
        };
        for record in records {
            let pointers = std::iter::once(record.pointer.clone())
                .chain(record.values.iter().map(|(_, p)| p.clone()));
            let places = pointers
                .map(|p| {
                    let absolute = format!("{}{p}", unit.root);
                    let place = Place {
                        file: Arc::clone(&name),
                        pointer: absolute.clone(),
                        path: path.clone(),
                        source: path.is_none().then(|| Arc::clone(file)),
                        span: tree.locate(&absolute, false),
                    };
                    (p, place)
                })
                .collect();
            let shown = match record.role {
                Role::Source => value
                    .pointer(&record.pointer)
                    .map(crate::rules::functions::display)
                    .unwrap_or_default(),
                Role::Target => String::new(),
            };
            out.push(CrossRecord {
                rule: index,
                record,
                places,
                shown,
            });
        }
    }
    out
}

/// Matches the records of all files and returns the diagnostics, in record order: at most
/// `max` per file (`max_diagnostics`), and how many more each file name has.
pub fn finish(
    rules: &RuleSet,
    as_of: Date,
    records: Vec<CrossRecord>,
    max: usize,
) -> (Vec<Diagnostic>, HashMap<String, usize>) {
    let mut by_rule: BTreeMap<usize, Vec<CrossRecord>> = BTreeMap::new();
    for r in records {
        by_rule.entry(r.rule).or_default().push(r);
    }
    let mut sources = Sources::default();
    let mut out = Vec::new();
    let mut shown: HashMap<String, usize> = HashMap::new();
    let mut hidden: HashMap<String, usize> = HashMap::new();
    let null = Value::Null;
    let ctx = Ctx::new(as_of, &rules.tables, &null);
    for (index, records) in by_rule {
        let rule = &rules.rules[index];
        let mut emit = |ours: &CrossRecord, theirs: Option<&CrossRecord>, f: Finding| {
            // Beyond the limit, only count: 20,000 copies of a template are 19,999 findings.
            let file = &ours.place(&f.pointer).file;
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
                let mut first: HashMap<&[String], &CrossRecord> = HashMap::new();
                for r in &records {
                    match first.get(r.record.key.as_slice()) {
                        Some(earlier) => {
                            let f = Finding::at(&r.record.pointer)
                                .arg("key", r.record.key.join(" / "))
                                .related(earlier.record.pointer.clone(), "first defined here");
                            emit(r, Some(earlier), f);
                        }
                        None => {
                            first.insert(&r.record.key, r);
                        }
                    }
                }
            }
            Check::ExistsAcrossFiles(c) => {
                let mut targets: HashMap<&[String], &CrossRecord> = HashMap::new();
                for r in records.iter().filter(|r| r.record.role == Role::Target) {
                    targets.entry(&r.record.key).or_insert(r);
                }
                for ours in records.iter().filter(|r| r.record.role == Role::Source) {
                    let theirs = targets.get(ours.record.key.as_slice()).copied();
                    if let Some(f) = c.judge(&ctx, &ours.record, theirs.map(|t| &t.record)) {
                        emit(ours, theirs, f);
                    }
                }
            }
            Check::CountAcrossFiles(c) => {
                let count = records
                    .iter()
                    .filter(|r| r.record.role == Role::Target)
                    .count();
                if count > c.max() {
                    for ours in records.iter().filter(|r| r.record.role == Role::Source) {
                        let f = Finding::at(&ours.record.pointer)
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

/// Re-reads the files diagnostics point into, once each.
#[derive(Default)]
struct Sources(HashMap<Arc<str>, Arc<SourceFile>>);

impl Sources {
    fn get(&mut self, place: &Place) -> Arc<SourceFile> {
        if let Some(source) = &place.source {
            return Arc::clone(source);
        }
        Arc::clone(self.0.entry(Arc::clone(&place.file)).or_insert_with(|| {
            let text = place
                .path
                .as_ref()
                .and_then(|p| std::fs::read(p).ok())
                .and_then(|b| crate::document::decode(b).ok())
                .unwrap_or_default();
            Arc::new(SourceFile::new(place.file.to_string(), text))
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
    let file = sources.get(place);
    let mut args: Vec<(&str, String)> = vec![
        ("value", ours.shown.clone()),
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
                file: sources.get(place),
                span: place.span,
                message: label.clone(),
            })
        })
        .collect();
    Diagnostic {
        rule: rule.id.clone(),
        severity: rule.severity,
        message: crate::engine::fill(&rule.message, &args),
        help: rule.help.as_deref().map(|h| crate::engine::fill(h, &args)),
        source: rule.source.as_ref().map(|s| s.cite()),
        file,
        pointer: place.pointer.clone(),
        span: place.span,
        label: rule.summary.clone(),
        related,
    }
}
