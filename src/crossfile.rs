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
    pub tree: u32,
    pub root: Box<str>,
}

impl Origin {
    /// The file's name as reports show it: a file read from a path is named by it.
    pub fn name(&self) -> std::borrow::Cow<'_, str> {
        match (&self.source, &self.path) {
            (Some(source), _) => source.name().into(),
            (None, Some(path)) => crate::source::shown_path(path).into(),
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
/// few per template, so it is small: its key and its unit; where it points and what it offers
/// only when a source needs them, or for the few sources (campaigns, accounts) that are not
/// templates.
#[derive(Debug, Clone)]
pub struct CrossRecord {
    pub rule: u32,
    role: Role,
    /// Whether the record also stands for its unit in the counts of the unit's kind: the first
    /// record of each unit a count rule looks for (a template is counted without a record of
    /// its own, as a large run holds 100,000s).
    counted: bool,
    key: Key,
    origin: Arc<Origin>,
    /// `None` until a finding needs it: most templates are never reported nor looked up, and
    /// `complete` reads the others again.
    whole: Option<Arc<Located>>,
}

#[derive(Debug)]
struct Located {
    record: Record,
    /// Spans of the record's pointer and of each value's pointer, in that order.
    spans: Box<[Span]>,
    /// The value at the record's pointer, for `{{value}}` (sources only: targets are never
    /// reported).
    shown: Option<Box<str>>,
}

impl Located {
    fn new(origin: &Origin, record: Record, tree: &Tree, unit: &Value) -> Located {
        let spans = std::iter::once(&record.pointer)
            .chain(record.values.iter().map(|(_, p)| p))
            .map(|p| tree.locate(&format!("{}{p}", origin.root), false))
            .collect();
        let shown = (record.role == Role::Source).then(|| {
            crate::document::resolve(unit, &record.pointer)
                .map(crate::rules::functions::display)
                .unwrap_or_default()
                .into_boxed_str()
        });
        Located {
            record,
            spans,
            shown,
        }
    }
}

impl CrossRecord {
    /// The whole record, or its key alone while it is not completed.
    pub fn record(&self) -> std::borrow::Cow<'_, Record> {
        match &self.whole {
            Some(located) => std::borrow::Cow::Borrowed(&located.record),
            None => std::borrow::Cow::Owned(bare(self.role, Key::clone(&self.key))),
        }
    }

    fn origin(&self) -> &Origin {
        &self.origin
    }

    fn shown(&self) -> &str {
        self.whole
            .as_ref()
            .and_then(|l| l.shown.as_deref())
            .unwrap_or_default()
    }

    fn pointer(&self) -> &str {
        self.whole
            .as_ref()
            .map_or("", |l| l.record.pointer.as_str())
    }

    fn place(&self, pointer: &str) -> Place<'_> {
        let Some(located) = &self.whole else {
            // A unit that no longer reads: its root.
            return Place {
                origin: self.origin(),
                pointer: self.origin().root.to_string(),
                span: Span::default(),
            };
        };
        let record = &located.record;
        let pointers = std::iter::once(&record.pointer).chain(record.values.iter().map(|(_, p)| p));
        let (relative, span) = pointers
            .zip(located.spans.iter())
            .find(|(p, _)| *p == pointer)
            .unwrap_or((&record.pointer, &located.spans[0]));
        Place {
            origin: self.origin(),
            pointer: format!("{}{relative}", self.origin().root),
            span: *span,
        }
    }
}

/// Records what `unit` contributes to the cross-file rules.
/// `across` are the indices of the rules in effect that check across files.
pub fn collect(
    rules: &RuleSet,
    across: &[usize],
    tree: &Tree,
    file: &Arc<SourceFile>,
    path: Option<&Arc<Path>>,
    unit: &Unit,
    source_passes: impl Fn(&Rule) -> bool,
) -> Vec<CrossRecord> {
    let Some(value) = tree.value.pointer(&unit.root) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let origin = Arc::new(Origin {
        path: path.cloned(),
        source: path.is_none().then(|| Arc::clone(file)),
        kind: unit.kind,
        // Past 4 G documents (only with raised limits) the unit is not found again.
        tree: u32::try_from(unit.tree).unwrap_or(u32::MAX),
        root: unit.root.as_str().into(),
    });
    let mut made: Vec<Arc<Located>> = Vec::new();
    let mut memo = KeyMemo::default();
    // A unit is recorded as a target once per target signature, under the first rule that has
    // it; `finish` gives those targets to every rule with the same signature.
    let mut targeted: foldhash::HashSet<&str> = Default::default();
    // The rule a count of this unit's kind is recorded under, if a count rule looks for it.
    let mut counted_by: Option<u32> = None;
    for &index in across {
        let rule = &rules.rules[index];
        let is_source = rule.kind == unit.kind && source_passes(rule);
        if let Check::CountAcrossFiles(c) = &rule.check {
            if c.target_kind() == unit.kind {
                counted_by.get_or_insert(index as u32);
            }
        }
        for (record, partial) in records_of(rule, unit, value, is_source, &mut memo, &mut targeted)
        {
            let whole = (!partial).then(|| {
                let located = Located::new(&origin, record.clone(), tree, value);
                let same =
                    |l: &&Arc<Located>| l.record == located.record && l.shown == located.shown;
                match made.iter().find(same) {
                    Some(l) => Arc::clone(l),
                    None => {
                        let l = Arc::new(located);
                        made.push(Arc::clone(&l));
                        l
                    }
                }
            });
            out.push(CrossRecord {
                rule: index as u32,
                role: record.role,
                counted: false,
                key: record.key,
                origin: Arc::clone(&origin),
                whole,
            });
        }
    }
    if let Some(rule) = counted_by {
        match out.first_mut() {
            Some(first) => first.counted = true,
            // Nothing else recorded: a record of its own, only to be counted.
            None => out.push(CrossRecord {
                rule,
                role: Role::Target,
                counted: true,
                key: no_key(),
                origin,
                whole: None,
            }),
        }
    }
    out
}

/// The empty key of counted records, shared.
fn no_key() -> Key {
    static EMPTY: std::sync::OnceLock<Key> = std::sync::OnceLock::new();
    Key::clone(EMPTY.get_or_init(|| Key::new([])))
}

/// A record of its key alone.
fn bare(role: Role, key: Key) -> Record {
    Record {
        role,
        key,
        pointer: String::new(),
        values: Vec::new(),
    }
}

/// Units read again, the last document kept: the records of one file come one after another
/// (10,000 duplicates in one export are one read, not 10,000).
struct Reloaded<'f> {
    read: &'f dyn Fn(&Origin) -> Option<Arc<SourceFile>>,
    last: Option<LastRead>,
    limits: &'f crate::document::ParseLimits,
}

struct LastRead {
    name: String,
    document: u32,
    /// `None` if it no longer reads.
    tree: Option<Tree>,
    /// The units prepared in it, by root: a file can hold thousands.
    prepared: foldhash::HashSet<Box<str>>,
}

impl<'f> Reloaded<'f> {
    fn new(
        read: &'f dyn Fn(&Origin) -> Option<Arc<SourceFile>>,
        limits: &'f crate::document::ParseLimits,
    ) -> Self {
        Reloaded {
            read,
            last: None,
            limits,
        }
    }

    /// The unit's document read and parsed again.
    fn tree(&self, origin: &Origin) -> Option<Tree> {
        let doc = crate::document::parse((self.read)(origin)?, self.limits).ok()?;
        doc.trees.into_iter().nth(origin.tree as usize)
    }

    /// The unit's document, prepared as for checking (a template normalised, with the facts
    /// only comparisons across files read, `$.computed`), and the unit in it.
    fn unit(&mut self, origin: &Origin) -> Option<(&Tree, &Value)> {
        let name = origin.name();
        let cached = matches!(&self.last, Some(l) if l.name == name && l.document == origin.tree);
        if !cached {
            self.last = Some(LastRead {
                tree: self.tree(origin),
                name: name.into_owned(),
                document: origin.tree,
                prepared: Default::default(),
            });
        }
        let LastRead { tree, prepared, .. } = self.last.as_mut()?;
        let tree = tree.as_mut()?;
        if prepared.insert(origin.root.clone()) {
            let unit = tree.value.pointer_mut(&origin.root)?;
            if origin.kind == crate::kind::Kind::Template {
                crate::kind::normalize_template(unit);
                crate::kind::compute_template_facts(unit);
            }
        }
        let value = tree.value.pointer(&origin.root)?;
        Some((tree, value))
    }
}

/// The whole record of a partial one, from its unit read again.
fn complete(rule: &Rule, partial: &CrossRecord, reloaded: &mut Reloaded) -> Option<Arc<Located>> {
    let origin = &partial.origin;
    let steps = reloaded.limits.max_selector_steps;
    let (tree, value) = reloaded.unit(origin)?;
    let memo = &mut KeyMemo::default();
    crate::rules::selector::budget::start(steps);
    let record = match (&rule.check, partial.role) {
        (Check::ExistsAcrossFiles(c), role) => c.record(role, value, memo),
        (Check::UniqueAcrossFiles(c), Role::Source) => c.record(value, memo),
        _ => Vec::new(),
    };
    crate::rules::selector::budget::finish();
    let record = record.into_iter().next()?;
    Some(Arc::new(Located::new(origin, record, tree, value)))
}

/// Records completed while matching, once each.
#[derive(Default)]
struct Completed(HashMap<*const CrossRecord, Option<Arc<Located>>>);

impl Completed {
    /// Completes the partial records among `records` file by file, so each document is read
    /// again once: completed in the order they are reported, two files whose duplicates
    /// alternate would read each other again at every step.
    fn complete_all<'r>(
        &mut self,
        rule: &Rule,
        records: impl Iterator<Item = &'r CrossRecord>,
        reloaded: &mut Reloaded,
    ) {
        let mut partial: Vec<&CrossRecord> = records
            .filter(|r| r.whole.is_none() && !self.0.contains_key(&(*r as *const CrossRecord)))
            .collect();
        partial.sort_by_cached_key(|r| (r.origin.name().into_owned(), r.origin.tree));
        for r in partial {
            self.whole(rule, r, reloaded);
        }
    }

    fn get(&mut self, rule: &Rule, record: &CrossRecord, reloaded: &mut Reloaded) -> CrossRecord {
        if record.whole.is_some() {
            return record.clone();
        }
        CrossRecord {
            whole: self.whole(rule, record, reloaded).clone(),
            ..record.clone()
        }
    }

    /// The whole record of a partial one, completed the first time it is asked for.
    fn whole(
        &mut self,
        rule: &Rule,
        partial: &CrossRecord,
        reloaded: &mut Reloaded,
    ) -> &Option<Arc<Located>> {
        self.0
            .entry(partial as *const CrossRecord)
            .or_insert_with(|| complete(rule, partial, reloaded))
    }
}

/// The records `rule` takes from a unit: as the unit it reports on (source) and as the unit
/// it looks for (target), each with whether it is partial (its key only).
fn records_of<'s>(
    rule: &'s Rule,
    unit: &Unit,
    value: &Value,
    is_source: bool,
    memo: &mut KeyMemo<'s>,
    targeted: &mut foldhash::HashSet<&'s str>,
) -> Vec<(Record, bool)> {
    let mut first_of = |signature: &'s str| targeted.insert(signature);
    let whole = |records: Vec<Record>| records.into_iter().map(|r| (r, false));
    let mut out = Vec::new();
    match &rule.check {
        Check::UniqueAcrossFiles(c) if is_source => {
            if let Some(key) = c.key(value, memo) {
                out.push((bare(Role::Source, key), true));
            }
        }
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
        // Its targets are counted through their units' first records (see `collect`).
        Check::CountAcrossFiles(_) if is_source => {
            out.push((bare(Role::Source, no_key()), false));
        }
        _ => {}
    }
    out
}

/// Matches the records of all files and returns the diagnostics, in record order. Every
/// finding is built: the verdict counts them all after suppressions and selection, and the
/// cap on what is shown comes later. Completing a record walks its unit again, within
/// `steps` selector steps.
// Key maps hold records, which reach a lazily built line index, but hash only their key.
#[allow(clippy::mutable_key_type)]
pub fn finish<'r>(
    rules: &RuleSet,
    as_of: Date,
    records: impl Iterator<Item = &'r CrossRecord> + Clone,
    limits: &crate::document::ParseLimits,
    read: &dyn Fn(&Origin) -> Option<Arc<SourceFile>>,
    quoted: &dyn Fn(&Origin) -> bool,
) -> Vec<Diagnostic> {
    // Rule by rule, each in file order; the records of a rule are picked from all records
    // again rather than copied into lists (a large run has 100,000s).
    // The records of each rule, picked out once: a rule file can hold thousands of rules.
    let mut by_rule: std::collections::BTreeMap<u32, Vec<&'r CrossRecord>> = Default::default();
    for r in records.clone() {
        by_rule.entry(r.rule).or_default().push(r);
    }
    let mut sources = Sources {
        read,
        known: HashMap::new(),
    };
    let mut reloaded = Reloaded::new(read, limits);
    let mut out = Vec::new();
    let null = Value::Null;
    let ctx = Ctx::new(as_of, &rules.tables, &null);
    // Targets are recorded under the first rule of each signature (see `collect`), which
    // comes first here too.
    let mut target_maps: HashMap<&str, KeyMap<'r>> = HashMap::new();
    let mut target_counts: HashMap<&str, usize> = HashMap::new();
    for (index, ours) in &by_rule {
        let (index, size) = (*index, ours.len());
        let rule = &rules.rules[index as usize];
        let of_rule = || ours.iter().copied();
        let mut completed = Completed::default();
        let mut emit = |ours: &CrossRecord, theirs: Option<&CrossRecord>, f: Finding| {
            let theirs_quoted = theirs.is_none_or(|t| quoted(t.origin()));
            out.push(diagnostic(
                rule,
                ours,
                theirs,
                f,
                theirs_quoted,
                &mut sources,
            ));
        };
        match &rule.check {
            Check::UniqueAcrossFiles(_) => {
                let mut first = KeyMap::with_capacity_and_hasher(size, Default::default());
                let mut duplicates = Vec::new();
                for r in of_rule() {
                    let Some(&ByKey(earlier)) = first.get(r.key.encoded()) else {
                        first.insert(ByKey(r));
                        continue;
                    };
                    duplicates.push((r, earlier));
                }
                let both = duplicates.iter().flat_map(|&(r, earlier)| [r, earlier]);
                completed.complete_all(rule, both, &mut reloaded);
                for (r, earlier) in duplicates {
                    let ours = completed.get(rule, r, &mut reloaded);
                    let theirs = completed.get(rule, earlier, &mut reloaded);
                    let f = Finding::at(ours.pointer())
                        .arg("key", r.key.shown())
                        .related(theirs.pointer().to_string(), "first defined here");
                    emit(&ours, Some(&theirs), f);
                }
            }
            Check::ExistsAcrossFiles(c) => {
                // Rules that look for the same kind by the same key paths find the same targets.
                let targets = target_maps.entry(c.target_signature()).or_insert_with(|| {
                    let mut targets = KeyMap::with_capacity_and_hasher(size, Default::default());
                    for r in of_rule().filter(|r| r.role == Role::Target) {
                        if !targets.contains(r.key.encoded()) {
                            targets.insert(ByKey(r));
                        }
                    }
                    targets
                });
                if c.compares() {
                    let found = of_rule()
                        .filter(|r| r.role == Role::Source)
                        .filter_map(|ours| targets.get(ours.key.encoded()).map(|&ByKey(t)| t));
                    completed.complete_all(rule, found, &mut reloaded);
                }
                for ours in of_rule().filter(|r| r.role == Role::Source) {
                    let theirs =
                        targets
                            .get(ours.key.encoded())
                            .map(|&ByKey(t)| match c.compares() {
                                true => completed.get(rule, t, &mut reloaded),
                                false => t.clone(),
                            });
                    let judged = c.judge(
                        &ctx,
                        &ours.record(),
                        theirs.as_ref().map(|t| t.record()).as_deref(),
                    );
                    if let Some(f) = judged {
                        emit(ours, theirs.as_ref(), f);
                    }
                }
            }
            Check::CountAcrossFiles(c) => {
                let count = *target_counts
                    .entry(c.target_signature())
                    .or_insert_with(|| {
                        let kind = c.target_kind();
                        records
                            .clone()
                            .filter(|r| r.counted && r.origin.kind == kind)
                            .count()
                    });
                if count > c.max() {
                    for ours in of_rule().filter(|r| r.role == Role::Source) {
                        let f = Finding::at(ours.pointer())
                            .arg("count", count)
                            .arg("max", c.max());
                        emit(ours, None, f);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The first record of each key, found by its key: a set of references, as a large run puts
/// 100,000s in it.
type KeyMap<'r> = foldhash::HashSet<ByKey<'r>>;

/// A record that hashes and compares as its key.
#[derive(Clone, Copy)]
struct ByKey<'r>(&'r CrossRecord);

impl std::borrow::Borrow<str> for ByKey<'_> {
    fn borrow(&self) -> &str {
        self.0.key.encoded()
    }
}

impl std::hash::Hash for ByKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.key.encoded().hash(state)
    }
}

impl PartialEq for ByKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.key.encoded() == other.0.key.encoded()
    }
}

impl Eq for ByKey<'_> {}

/// Re-reads the files diagnostics point into, once each.
struct Sources<'f> {
    read: &'f dyn Fn(&Origin) -> Option<Arc<SourceFile>>,
    known: HashMap<String, Arc<SourceFile>>,
}

impl Sources<'_> {
    fn get(&mut self, place: &Origin) -> Arc<SourceFile> {
        if let Some(source) = &place.source {
            return Arc::clone(source);
        }
        let name = place.name().into_owned();
        let read = self.read;
        Arc::clone(
            self.known.entry(name.clone()).or_insert_with(|| {
                read(place).unwrap_or_else(|| Arc::new(SourceFile::new(name, "")))
            }),
        )
    }
}

const NOT_QUOTED: &str = "not quoted";

/// The diagnostic of a finding of `ours` against `theirs`. When the counterpart is not to be
/// quoted (`theirs_quoted` false: it is outside the project root), nothing read from it shows:
/// the rule's summary stands for the message, and the places in it have no text.
fn diagnostic(
    rule: &Rule,
    ours: &CrossRecord,
    theirs: Option<&CrossRecord>,
    f: Finding,
    theirs_quoted: bool,
    sources: &mut Sources,
) -> Diagnostic {
    let place = ours.place(&f.pointer);
    let file = sources.get(place.origin);
    let mut args: Vec<(&str, String)> = vec![
        ("value", ours.shown().to_string()),
        ("property", crate::document::pointer_last(&f.pointer)),
    ];
    args.extend(f.args.iter().map(|(k, v)| (*k, v.clone())));
    let related = f
        .related
        .iter()
        .filter_map(|(pointer, label)| {
            let other = theirs?;
            let place = other.place(pointer);
            let file = sources.get(place.origin);
            Some(match theirs_quoted {
                true => Label {
                    file,
                    span: place.span,
                    message: label.clone(),
                },
                false => Label {
                    file: crate::diagnostic::without_text(&file, &[place.span]),
                    span: place.span,
                    message: NOT_QUOTED.into(),
                },
            })
        })
        .collect();
    let (message, help) = match theirs_quoted {
        true => (
            crate::diagnostic::fill(&rule.message, &args),
            rule.help
                .as_ref()
                .map(|h| crate::diagnostic::fill_shared(h, &args)),
        ),
        false => (
            format!(
                "{} ({NOT_QUOTED}: what it is compared with is outside the project root)",
                rule.summary
            ),
            None,
        ),
    };
    Diagnostic {
        about: Arc::clone(rule.about()),
        severity: rule.severity,
        message: message.into(),
        help,
        file,
        pointer: place.pointer.into(),
        span: place.span,
        related,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, Options};
    use std::cell::Cell;

    /// Two list exports that share every template name: the duplicates are completed file by
    /// file, so each file is read again once, not twice per duplicate.
    #[test]
    fn each_file_is_read_again_once_for_its_duplicates() {
        let as_of: Date = "2026-11-26".parse().unwrap();
        let rules = crate::rules::load_profile("meta").unwrap();
        let engine = Engine::new(rules, Options::new(as_of));
        let templates: Vec<Value> = (0..40)
            .map(|i| {
                serde_json::json!({
                    "name": format!("order_update_{i}"),
                    "language": "en_US",
                    "category": "UTILITY",
                    "components": [{ "type": "BODY", "text": "Your order has shipped." }]
                })
            })
            .collect();
        let export = serde_json::json!({ "data": templates }).to_string();
        let reports: Vec<_> = ["a.json", "b.json"]
            .map(|name| {
                let file = Arc::new(SourceFile::new(name, export.as_str()));
                engine.check_source(file, None, true)
            })
            .into();
        let reads = Cell::new(0);
        let read = |origin: &Origin| {
            reads.set(reads.get() + 1);
            origin.source.clone()
        };
        let records = reports.iter().flat_map(|r| r.records.iter());
        let limits = Default::default();
        let found = finish(engine.rules(), as_of, records, &limits, &read, &|_| true);
        let duplicates: Vec<_> = found
            .iter()
            .filter(|d| d.rule() == "template/duplicate-name-and-language")
            .collect();
        assert_eq!(duplicates.len(), 40);
        let last = duplicates.last().unwrap();
        assert_eq!(last.file.name(), "b.json");
        assert_eq!(&*last.pointer, "/data/39/name");
        assert_eq!(last.related[0].file.name(), "a.json");
        assert_eq!(reads.get(), 2, "documents read again");
    }
}
