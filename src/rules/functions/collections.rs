//! Counting, grouping and uniqueness over selected nodes.

use super::super::selector::Selector;
use super::{display, path_option, shown, Ctx, Finding, LazyRegex, OptionError, Target, Validated};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

fn select<'v>(of: &Selector, ctx: &Ctx<'v>, t: &Target<'v, '_>) -> super::Selection<'v> {
    ctx.select(of, t.value)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    #[serde(with = "path_option")]
    of: Selector,
    min: Option<usize>,
    max: Option<usize>,
    /// Count only string nodes matching this regular expression (compiled once, unlike
    /// JSONPath's `search()`, which compiles its pattern on every evaluation).
    matching: Option<LazyRegex>,
}

impl Validated for Count {
    fn validated(self) -> Result<Self, OptionError> {
        Ok(self)
    }
}

impl Count {
    pub fn regexes(&self) -> Vec<(String, &LazyRegex)> {
        self.matching
            .iter()
            .map(|re| ("/matching".to_string(), re))
            .collect()
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        if t.value.is_none() && self.of.is_relative() {
            return;
        }
        let mut hits = select(&self.of, ctx, t);
        if let Some(re) = &self.matching {
            hits.retain(|v| v.as_str().is_some_and(|s| re.is_match(s)));
        }
        let n = hits.len();
        let args = |f: Finding| {
            f.arg("count", n)
                .arg("min", self.min.map(|m| m.to_string()).unwrap_or_default())
                .arg("max", self.max.map(|m| m.to_string()).unwrap_or_default())
        };
        if let Some(max) = self.max.filter(|m| n > *m) {
            // Point at the first node over the limit; label the ones that used it up.
            let mut f = args(Finding::at(ctx.pointer(hits[max])));
            if max > 0 {
                f = f.related(ctx.pointer(hits[0]), "the first of them");
            }
            out.push(f);
        } else if self.min.is_some_and(|m| n < m) {
            out.push(args(Finding::at(t.pointer(ctx))));
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contiguous {
    #[serde(with = "path_option")]
    of: Selector,
    #[serde(with = "path_option")]
    key: Selector,
    values: Vec<Value>,
    /// The group must also come first or last (before or after all other items).
    #[serde(default)]
    at_edge: bool,
}
impl Validated for Contiguous {}

impl Contiguous {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let items = select(&self.of, ctx, t);
        let keys: Vec<Option<&Value>> = items
            .iter()
            .map(|item| self.key.nodes(item).first().copied())
            .collect();
        let member: Vec<bool> = keys
            .iter()
            .map(|k| k.is_some_and(|k| self.values.contains(k)))
            .collect();
        let mut group_ended_at: Option<usize> = None;
        for i in 0..member.len() {
            if member[i] && group_ended_at.is_some() {
                let prev = group_ended_at.unwrap_or(0);
                out.push(
                    Finding::at(ctx.pointer(items[i]))
                        .arg("found", keys[i].map(display).unwrap_or_default())
                        .related(ctx.pointer(items[prev]), "the group is interrupted here"),
                );
                return;
            }
            if i > 0 && member[i - 1] && !member[i] {
                group_ended_at = Some(i);
            }
        }
        let (first, last) = (
            member.iter().position(|m| *m),
            member.iter().rposition(|m| *m),
        );
        if let (true, Some(first), Some(last)) = (self.at_edge, first, last) {
            if first > 0 && last + 1 < member.len() {
                out.push(
                    Finding::at(ctx.pointer(items[first]))
                        .arg("found", keys[first].map(display).unwrap_or_default())
                        .related(ctx.pointer(items[0]), "the first item is of another kind")
                        .related(ctx.pointer(items[member.len() - 1]), "and so is the last"),
                );
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unique {
    #[serde(with = "path_option")]
    of: Selector,
    #[serde(with = "path_option")]
    key: Selector,
    #[serde(default)]
    ignore_case: bool,
}
impl Validated for Unique {}

impl Unique {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        // Keys by their text, with the first node that has each.
        let mut seen: BTreeMap<std::borrow::Cow<str>, &Value> = BTreeMap::new();
        for &item in select(&self.of, ctx, t).iter() {
            let Some(&key) = ctx.select(&self.key, Some(item)).first() else {
                continue;
            };
            let mut k = shown(key);
            if self.ignore_case {
                k = k.to_lowercase().into();
            }
            match seen.get(&k) {
                Some(first) => out.push(
                    Finding::at(ctx.pointer(key))
                        .arg("duplicate", display(key))
                        .related(ctx.pointer(first), "first used here"),
                ),
                None => {
                    seen.insert(k, key);
                }
            }
        }
    }
}

/// Items that must all have the same shape: what `key` selects in each, in order (e.g. the
/// component types of carousel cards). Each item unlike the first is reported.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uniform {
    #[serde(with = "path_option")]
    of: Selector,
    #[serde(with = "path_option")]
    key: Selector,
}
impl Validated for Uniform {}

impl Uniform {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let shape = |item: &'a Value| -> Vec<std::borrow::Cow<'a, str>> {
            ctx.select(&self.key, Some(item))
                .iter()
                .map(|v| shown(v))
                .collect()
        };
        let items = select(&self.of, ctx, t);
        let Some((&first, rest)) = items.split_first() else {
            return;
        };
        let expected = shape(first);
        let listed = |s: &[std::borrow::Cow<str>]| match s.is_empty() {
            true => "nothing".to_string(),
            false => s.join(", "),
        };
        for &item in rest {
            let found = shape(item);
            if found != expected {
                out.push(
                    Finding::at(ctx.pointer(item))
                        .arg("found", listed(&found))
                        .arg("expected", listed(&expected))
                        .related(ctx.pointer(first), "the first one"),
                );
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distinct {
    #[serde(with = "path_option")]
    of: Selector,
    groups: BTreeMap<String, Vec<Value>>,
    max: usize,
}
impl Validated for Distinct {}

impl Distinct {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let mut found: Vec<&str> = Vec::new();
        let mut first_of_extra: Option<&Value> = None;
        for &v in select(&self.of, ctx, t).iter() {
            let Some(group) = self
                .groups
                .iter()
                .find(|(_, vals)| vals.contains(v))
                .map(|(g, _)| g.as_str())
            else {
                continue;
            };
            if !found.contains(&group) {
                found.push(group);
                if found.len() == self.max + 1 {
                    first_of_extra = Some(v);
                }
            }
        }
        if let Some(v) = first_of_extra {
            out.push(
                Finding::at(ctx.pointer(v))
                    .arg("groups", found.join(" and "))
                    .arg("count", found.len())
                    .arg("max", self.max),
            );
        }
    }
}
