//! Checks across the files of one run. Per file they only record small facts (keys, values,
//! places); the engine matches the records of all files once every file has been read.

use super::super::selector::Selector;
use super::{display, path_option, shown, Check, Ctx, Finding, OptionError, Target, Validated};
use crate::kind::Kind;
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// The values a unit is matched by, as shown: shared by all records of a unit with the same
/// key paths (a template is the target of many rules), in one allocation, as a run holds one
/// per template. Each value is written as its length in bytes, `:` and its text, so that no two
/// lists of values make the same key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key(Arc<str>);

impl Key {
    pub fn new<'v>(values: impl IntoIterator<Item = &'v str>) -> Key {
        let mut encoded = String::new();
        values.into_iter().for_each(|v| Key::push(&mut encoded, v));
        Key(encoded.into())
    }

    /// Appends one value as `length:value`.
    fn push(encoded: &mut String, value: &str) {
        encoded.push_str(itoa::Buffer::new().format(value.len()));
        encoded.push(':');
        encoded.push_str(value);
    }

    /// What matching compares.
    pub fn encoded(&self) -> &str {
        &self.0
    }

    /// The values, as messages show them: `order_ready / en_US`.
    pub fn shown(&self) -> String {
        let mut values = Vec::new();
        let mut rest = &*self.0;
        while let Some((len, tail)) = rest.split_once(':') {
            // Always a length at a character boundary: `new` wrote it.
            let value = len
                .parse()
                .ok()
                .and_then(|n: usize| tail.get(..n))
                .unwrap_or(tail);
            values.push(value);
            rest = &tail[value.len()..];
        }
        values.join(" / ")
    }
}

/// Which side of a cross-file check a unit is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A unit of the rule's own kind (the one that is reported).
    Source,
    /// A unit of the kind the rule looks for.
    Target,
}

/// What one unit contributes to a cross-file check. Pointers are relative to the unit root.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub role: Role,
    pub key: Key,
    /// Where to report (source) or to label (target).
    pub pointer: String,
    /// Values a target offers for comparison, with their pointers.
    pub values: Vec<(Option<Value>, String)>,
}

fn first<'v>(sel: &Selector, unit: &'v Value) -> Option<(String, &'v Value)> {
    sel.select(unit).into_iter().next()
}

fn key_of<'s>(paths: impl Iterator<Item = &'s Selector>, unit: &Value) -> Option<Key> {
    let mut encoded = String::with_capacity(64);
    for path in paths {
        // The first node in document order, as `first` finds it, without its pointer.
        Key::push(&mut encoded, &shown(path.nodes(unit).first()?));
    }
    Some(Key(encoded.into()))
}

/// The keys already read from one unit, by key paths: the rules across files share them.
#[derive(Default)]
pub struct KeyMemo<'s>(Vec<(Vec<&'s str>, Option<Key>)>);

impl<'s> KeyMemo<'s> {
    fn key_of(
        &mut self,
        paths: impl Iterator<Item = &'s Selector> + Clone,
        unit: &Value,
    ) -> Option<Key> {
        let texts = || paths.clone().map(|p| p.text());
        if let Some((_, key)) = self.0.iter().find(|(t, _)| t.iter().copied().eq(texts())) {
            return key.clone();
        }
        let key = key_of(paths.clone(), unit);
        self.0.push((texts().collect(), key.clone()));
        key
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueAcrossFiles {
    key: Vec<KeyPath>,
}

#[derive(Debug, Deserialize)]
#[serde(transparent)]
struct KeyPath(#[serde(with = "path_option")] Selector);

impl Validated for UniqueAcrossFiles {
    fn validated(self) -> Result<Self, OptionError> {
        if self.key.is_empty() {
            return Err(OptionError {
                pointer: "/key".into(),
                message: "`key` needs at least one path".into(),
            });
        }
        Ok(self)
    }
}

impl UniqueAcrossFiles {
    /// The key a unit is compared by: what matching needs. The rest of its record is built
    /// only for the duplicates found (see `crossfile`).
    pub fn key<'s>(&'s self, unit: &Value, memo: &mut KeyMemo<'s>) -> Option<Key> {
        memo.key_of(self.key.iter().map(|k| &k.0), unit)
    }

    pub fn record<'s>(&'s self, unit: &Value, memo: &mut KeyMemo<'s>) -> Vec<Record> {
        let Some(key) = self.key(unit, memo) else {
            return Vec::new();
        };
        let pointer = first(&self.key[0].0, unit)
            .map(|(p, _)| p)
            .unwrap_or_default();
        vec![Record {
            role: Role::Source,
            key,
            pointer,
            values: Vec::new(),
        }]
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    #[serde(with = "path_option")]
    ours: Selector,
    #[serde(with = "path_option")]
    theirs: Selector,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Comparison {
    /// Counts the nodes `ours` selects instead of reading a value.
    #[serde(with = "path_option")]
    ours: Selector,
    #[serde(with = "path_option")]
    theirs: Selector,
    #[serde(default)]
    count_ours: bool,
    /// Name of the compared quantity in messages.
    #[serde(default)]
    name: String,
    /// Where to label the counterpart (default: where `theirs` is, or its unit's key).
    #[serde(default, deserialize_with = "optional_path")]
    theirs_at: Option<Selector>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Report {
    /// Report units whose counterpart is not among the checked files.
    #[default]
    Missing,
    /// Report units whose counterpart exists but fails `require` or `compare`.
    Mismatch,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExistsAcrossFiles {
    kind: Kind,
    #[serde(rename = "match")]
    keys: Vec<Pair>,
    #[serde(default)]
    report: Report,
    /// Where to report in our unit (default: the node of the first `ours` path).
    #[serde(default, deserialize_with = "optional_path")]
    at: Option<Selector>,
    #[serde(default)]
    compare: Vec<Comparison>,
    /// A check the counterpart must pass: `{path, function, …options}`.
    #[serde(default)]
    require: Option<serde_json::Map<String, Value>>,
    #[serde(skip)]
    required: Option<(Selector, Box<Check>)>,
    /// See [`ExistsAcrossFiles::target_signature`].
    #[serde(skip)]
    signature: String,
}

fn optional_path<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Selector>, D::Error> {
    path_option::deserialize(d).map(Some)
}

impl Validated for ExistsAcrossFiles {
    fn validated(mut self) -> Result<Self, OptionError> {
        if self.keys.is_empty() {
            return Err(OptionError {
                pointer: "/match".into(),
                message: "`match` needs at least one pair".into(),
            });
        }
        if let Some(mut spec) = self.require.take() {
            let path = spec
                .remove("path")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "$".into());
            let path = Selector::parse(&path).map_err(|message| OptionError {
                pointer: "/require/path".into(),
                message,
            })?;
            let name = spec
                .remove("function")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let check = Check::parse(&name, Value::Object(spec)).map_err(|e| OptionError {
                pointer: format!("/require{}", e.pointer),
                message: e.message,
            })?;
            self.required = Some((path, Box::new(check)));
        }
        let paths: Vec<&str> = self.keys.iter().map(|k| k.theirs.text()).collect();
        self.signature = format!("exists\0{}\0{}", self.kind.as_str(), paths.join("\0"));
        Ok(self)
    }
}

impl ExistsAcrossFiles {
    /// Whether a source is judged on its counterpart's content (not only on its presence).
    pub fn compares(&self) -> bool {
        self.report == Report::Mismatch
    }

    /// The key a target unit offers: what matching needs. The rest of a target's record is
    /// built only for the counterparts sources find (see `crossfile`).
    pub fn target_key<'s>(&'s self, unit: &Value, memo: &mut KeyMemo<'s>) -> Option<Key> {
        memo.key_of(self.keys.iter().map(|k| &k.theirs), unit)
    }

    pub fn regexes(&self) -> Vec<(String, &super::LazyRegex)> {
        self.required
            .iter()
            .flat_map(|(_, check)| check.regexes())
            .map(|(pointer, re)| (format!("/require{pointer}"), re))
            .collect()
    }

    /// The kind and key paths of the units this check looks for: checks with the same
    /// signature find the same targets.
    pub fn target_signature(&self) -> &str {
        &self.signature
    }

    /// The other kind this check reads.
    pub fn target_kind(&self) -> Kind {
        self.kind
    }

    pub fn record<'s>(&'s self, role: Role, unit: &Value, memo: &mut KeyMemo<'s>) -> Vec<Record> {
        match role {
            Role::Source => {
                let Some(key) = memo.key_of(self.keys.iter().map(|k| &k.ours), unit) else {
                    return Vec::new();
                };
                let at = self.at.as_ref().unwrap_or(&self.keys[0].ours);
                let pointer = first(at, unit).map(|(p, _)| p).unwrap_or_default();
                let values = self
                    .compare
                    .iter()
                    .map(|c| {
                        let hits = c.ours.select(unit);
                        let value = if c.count_ours {
                            Some(Value::from(hits.len()))
                        } else {
                            hits.first().map(|(_, v)| (*v).clone())
                        };
                        // A count is about the list, not its first item.
                        let ptr = match hits.first() {
                            Some((p, _)) if c.count_ours => p
                                .rsplit_once('/')
                                .map(|(parent, _)| parent.to_string())
                                .unwrap_or_default(),
                            Some((p, _)) => p.clone(),
                            None => nearest(&c.ours, unit).unwrap_or_else(|| pointer.clone()),
                        };
                        (value, ptr)
                    })
                    .collect();
                vec![Record {
                    role,
                    key,
                    pointer,
                    values,
                }]
            }
            Role::Target => {
                let Some(key) = self.target_key(unit, memo) else {
                    return Vec::new();
                };
                let pointer = first(&self.keys[0].theirs, unit)
                    .map(|(p, _)| p)
                    .unwrap_or_default();
                let mut values: Vec<(Option<Value>, String)> = self
                    .compare
                    .iter()
                    .map(|c| {
                        let label = c
                            .theirs_at
                            .as_ref()
                            .and_then(|at| first(at, unit))
                            .map(|(p, _)| p);
                        match first(&c.theirs, unit) {
                            Some((p, v)) => (Some(v.clone()), label.unwrap_or(p)),
                            None => (None, label.unwrap_or_else(|| pointer.clone())),
                        }
                    })
                    .collect();
                if let Some((path, _)) = &self.required {
                    values.push(match first(path, unit) {
                        Some((p, v)) => (Some(v.clone()), p),
                        None => (None, pointer.clone()),
                    });
                }
                vec![Record {
                    role,
                    key,
                    pointer,
                    values,
                }]
            }
        }
    }

    /// Compares a source with its counterpart; findings are at the source, labelled at the target.
    pub fn judge(&self, ctx: &Ctx, ours: &Record, theirs: Option<&Record>) -> Option<Finding> {
        let Some(theirs) = theirs else {
            return (self.report == Report::Missing)
                .then(|| Finding::at(&ours.pointer).arg("key", ours.key.shown()));
        };
        if self.report == Report::Missing {
            return None;
        }
        for (i, c) in self.compare.iter().enumerate() {
            let (mine, my_ptr) = &ours.values[i];
            let (their, their_ptr) = &theirs.values[i];
            if let (Some(a), Some(b)) = (mine, their) {
                if !numbers_equal(a, b) {
                    return Some(
                        Finding::at(my_ptr)
                            .arg("found", display(a))
                            .arg("expected", display(b))
                            .arg("what", &c.name)
                            .arg("key", ours.key.shown())
                            .related(
                                their_ptr.clone(),
                                format!(
                                    "{} {} here",
                                    display(b),
                                    if c.name.is_empty() {
                                        "defined"
                                    } else {
                                        &c.name
                                    }
                                ),
                            ),
                    );
                }
            }
        }
        if let Some((_, check)) = &self.required {
            let (value, ptr) = &theirs.values[self.compare.len()];
            let mut findings = Vec::new();
            let null = Value::Null;
            let local = Ctx::new(ctx.as_of, ctx.tables, value.as_ref().unwrap_or(&null));
            check.run(&local, &Target::at(ptr, value.as_ref()), &mut findings);
            if let Some(f) = findings.into_iter().next() {
                let mut out = Finding::at(&ours.pointer)
                    .arg("key", ours.key.shown())
                    .arg("theirs", value.as_ref().map(display).unwrap_or_default())
                    .related(
                        ptr.clone(),
                        format!("{} here", crate::document::pointer_last(ptr)),
                    );
                out.args.extend(f.args);
                return Some(out);
            }
        }
        None
    }
}

/// The deepest existing node on the way to what `path` would select (for a list that is missing,
/// its parent object), so a finding about it has a place.
fn nearest(path: &Selector, unit: &Value) -> Option<String> {
    let mut text = path.text().to_string();
    loop {
        let cut = text.rfind(['.', '['])?;
        text.truncate(cut);
        if text.is_empty() || text == "$" {
            return None;
        }
        if let Some((p, _)) = Selector::parse(&text).ok().and_then(|s| first(&s, unit)) {
            return Some(p);
        }
    }
}

fn numbers_equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountAcrossFiles {
    kind: Kind,
    max: usize,
}
impl Validated for CountAcrossFiles {}

impl CountAcrossFiles {
    /// Count checks of the same kind count the same targets.
    pub fn target_signature(&self) -> &'static str {
        self.kind.as_str()
    }

    pub fn target_kind(&self) -> Kind {
        self.kind
    }

    pub fn max(&self) -> usize {
        self.max
    }
}

macro_rules! no_per_file_run {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// Cross-file checks find nothing in one file; the engine matches their records.
            pub fn run<'a>(&self, _: &Ctx<'a>, _: &Target<'a, '_>, _: &mut Vec<Finding>) {}
        }
    )*};
}
no_per_file_run!(UniqueAcrossFiles, ExistsAcrossFiles, CountAcrossFiles);

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn keys_of_different_values_differ_whatever_the_values_hold() {
        let pairs = [
            (vec!["1:a", "b"], vec!["1", "a:b"]),
            (vec!["ab", ""], vec!["a", "b"]),
            (vec!["", ""], vec![""]),
            (vec!["3:abc"], vec!["3", "abc"]),
        ];
        for (a, b) in pairs {
            assert_ne!(Key::new(a.clone()), Key::new(b.clone()), "{a:?} and {b:?}");
        }
        assert_eq!(
            Key::new(["order_ready", "en_US"]),
            Key::new(["order_ready", "en_US"])
        );
    }

    #[test]
    fn a_key_shows_its_values() {
        assert_eq!(
            Key::new(["order:1 ready", "en_US"]).shown(),
            "order:1 ready / en_US"
        );
        assert_eq!(Key::new(["Größe", "de"]).shown(), "Größe / de");
        assert_eq!(Key::new(["", "x"]).shown(), " / x");
        assert_eq!(Key::new([]).shown(), "");
    }
}
