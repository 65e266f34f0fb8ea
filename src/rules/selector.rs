//! Selectors: RFC 9535 JSONPath, absolute (`$…`, from the manifest root) or relative (`@…`).
//!
//! serde_json_path is the reference: it parses what `compiled` does not cover (slices, function
//! extensions) and evaluates it. The subset rules are written in — names, indices, wildcards,
//! descendants and filters of comparisons, existence tests, `&&`, `||`, `!` and parentheses — is
//! compiled here and evaluated without building a path object per visited node, which is most of
//! the cost of evaluating a rule set.

mod compiled;
mod locations;
pub use compiled::Descendants;
pub use locations::Locations;

/// Nodes a selector found, in document order: most selections find a few, kept inline.
pub type Nodes<'v> = smallvec::SmallVec<[&'v Value; 4]>;

use serde_json::Value;
use serde_json_path::JsonPath;

#[derive(Debug, Clone)]
pub struct Selector {
    text: String,
    /// The same for every selector with this text: caches are keyed by it.
    id: u32,
    relative: bool,
    plan: Plan,
}

#[derive(Debug, Clone)]
enum Plan {
    Compiled(compiled::Query),
    Reference(JsonPath),
}

impl Selector {
    /// Parses `$…` or `@…`; `@` addresses the node a rule is looking at.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let trimmed = text.trim();
        let (relative, query) = match trimmed.strip_prefix('@') {
            Some(rest) => (true, format!("${rest}")),
            None => (false, trimmed.to_string()),
        };
        let plan = match compiled::parse(&query) {
            Some(q) => Plan::Compiled(q),
            None => Plan::Reference(
                JsonPath::parse(&query)
                    .map_err(|e| format!("invalid JSONPath `{trimmed}`: {e}"))?,
            ),
        };
        Ok(Selector {
            text: trimmed.to_string(),
            id: interned(trimmed),
            relative,
            plan,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    pub fn is_relative(&self) -> bool {
        self.relative
    }

    /// Matches under `root`, as (pointer relative to `root`, node) pairs in document order.
    pub fn select<'v>(&self, root: &'v Value) -> Vec<(String, &'v Value)> {
        self.select_with_prefix(root, "")
    }

    fn select_with_prefix<'v>(&self, root: &'v Value, prefix: &str) -> Vec<(String, &'v Value)> {
        match &self.plan {
            Plan::Compiled(q) => q.select(root, prefix),
            Plan::Reference(path) => reference_select(path, root, prefix),
        }
    }

    /// Matches from the unit root (absolute) or from the node at `base` (relative).
    pub fn select_from<'v>(
        &self,
        unit: &'v Value,
        base: &str,
        node: Option<&'v Value>,
    ) -> Vec<(String, &'v Value)> {
        if self.relative {
            match node {
                Some(node) => self.select_with_prefix(node, base),
                None => Vec::new(),
            }
        } else {
            self.select(unit)
        }
    }

    /// The nodes of [`Selector::select`], without their pointers.
    pub fn nodes<'v>(&self, root: &'v Value) -> Nodes<'v> {
        match &self.plan {
            Plan::Compiled(q) => q.nodes(root),
            Plan::Reference(path) => Nodes::from_vec(path.query(root).all()),
        }
    }

    /// [`Selector::nodes`] when it is at most one step from `node` (`@`, `@.text`): cheaper
    /// than looking it up among the selections made.
    pub fn nodes_near<'v>(&self, node: &'v Value) -> Option<Nodes<'v>> {
        match &self.plan {
            Plan::Compiled(q) => q.nodes_near(node),
            Plan::Reference(_) => None,
        }
    }

    /// [`Selector::nodes`] from the root `members` was made for, reusing what it found.
    pub fn nodes_at_root<'v>(&self, members: &Descendants<'v>) -> Nodes<'v> {
        match &self.plan {
            Plan::Compiled(q) => q.nodes_at_root(members),
            Plan::Reference(path) => Nodes::from_vec(path.query(members.root()).all()),
        }
    }
}

/// A number per distinct selector text, for the life of the process.
fn interned(text: &str) -> u32 {
    static IDS: std::sync::Mutex<Option<std::collections::HashMap<String, u32>>> =
        std::sync::Mutex::new(None);
    let mut ids = IDS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let ids = ids.get_or_insert_with(Default::default);
    let next = ids.len() as u32;
    *ids.entry(text.to_string()).or_insert(next)
}

/// What serde_json_path finds, as (`prefix` + pointer, node): the reference the compiled plan
/// is held to.
fn reference_select<'v>(
    path: &JsonPath,
    root: &'v Value,
    prefix: &str,
) -> Vec<(String, &'v Value)> {
    path.query_located(root)
        .into_iter()
        .map(|n| {
            (
                format!("{prefix}{}", n.location().to_json_pointer()),
                n.node(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_and_pointers() {
        let v = json!({"components": [{"type": "HEADER"}, {"type": "BODY", "text": "x"}]});
        let s = Selector::parse("$.components[?@.type == 'BODY']").unwrap();
        let hits = s.select(&v);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "/components/1");
        let r = Selector::parse("@.text").unwrap();
        let hits = r.select_from(&v, "/components/1", v.pointer("/components/1"));
        assert_eq!(hits[0].0, "/components/1/text");
    }

    #[test]
    fn match_and_search_find_what_the_reference_finds() {
        let s = Selector::parse("$[?match(@, 'C.*')]").unwrap();
        assert!(matches!(s.plan, Plan::Compiled(_)));
        let v = json!(["CONNECTED", "PENDING", "CERTIFIED"]);
        let found: Vec<_> = s.select(&v).into_iter().map(|(p, _)| p).collect();
        assert_eq!(found, ["/0", "/2"]);

        let docs = [
            json!(["CONNECTED", "PENDING", "2024-05-01", "x2024-05-01", "a\nb", 7, null, {"d": "2024-05-01"}]),
            json!({"status": "CONNECTED", "registered_on": "2025-01-02", "n": {"d": "ab", "e": [1, "Ab"]}}),
        ];
        let compiled = [
            "$[?match(@, '[0-9]{4}-[0-9]{2}-[0-9]{2}')]",
            "$[?search(@, '[0-9]{4}-[0-9]{2}')]",
            "$[?@ == 'CONNECTED' || match(@, '[0-9]{4}-[0-9]{2}-[0-9]{2}')]",
            "$[?!match(@, 'C.*')]",
            "$[? ! search( @ , \"^P\" ) ]",
            "$..[?match(@.d, 'a.')]",
            "$..[?search(@[1], '(?i)^a')]",
            "$[?match(@, 'a.b')]",
            "$[?match(@, '(unclosed')]",
            "$[?!search(@, '[')]",
            "$[?match($.status, 'CONN.*') && search(@, '-')]",
        ];
        let referenced = [
            "$[?match(@, $.pattern)]",
            "$[?match('x', 'x')]",
            "$[?search(length(@), '1')]",
        ];
        for (text, compiled_plan) in compiled
            .iter()
            .map(|t| (t, true))
            .chain(referenced.iter().map(|t| (t, false)))
        {
            let s = Selector::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(matches!(s.plan, Plan::Compiled(_)), compiled_plan, "{text}");
            let reference = JsonPath::parse(text).unwrap();
            for doc in &docs {
                assert_eq!(
                    s.select(doc),
                    reference_select(&reference, doc, ""),
                    "{text}"
                );
            }
        }
    }

    /// Every selector string in the bundled rule sets, on every node of every fixture document:
    /// the compiled plan finds what the reference finds, in the same order.
    #[test]
    fn bundled_selectors_agree_with_the_reference_on_every_fixture() {
        use crate::document::{parse, ParseLimits};
        use crate::source::SourceFile;
        use std::sync::Arc;

        let mut selectors = Vec::new();
        for (name, text) in crate::rules::PROFILES {
            let src = Arc::new(SourceFile::new(*name, *text));
            let doc = parse(src, &ParseLimits::default()).unwrap();
            collect_selectors(&doc.trees[0].value, &mut selectors);
        }
        selectors.sort_by(|a, b| a.text.cmp(&b.text));
        selectors.dedup_by(|a, b| a.text == b.text);
        let compiled: Vec<_> = selectors
            .iter()
            .filter(|s| matches!(s.plan, Plan::Compiled(_)))
            .collect();
        assert!(
            compiled.len() > 100,
            "{} of {}",
            compiled.len(),
            selectors.len()
        );

        let mut documents = 0;
        let mut compared = 0;
        let mut near_compared = 0;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for path in fixture_files(&root) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let src = Arc::new(SourceFile::new(path.display().to_string(), text));
            let Ok(doc) = parse(src, &ParseLimits::default()) else {
                continue;
            };
            for tree in &doc.trees {
                documents += 1;
                for (pointer, node) in nodes(&tree.value) {
                    // Shared by all selectors from this node, as a unit's rules share it.
                    let members = Descendants::new(node);
                    for sel in &compiled {
                        let Plan::Compiled(q) = &sel.plan else {
                            unreachable!()
                        };
                        let text = match sel.text.strip_prefix('@') {
                            Some(rest) => format!("${rest}"),
                            None => sel.text.clone(),
                        };
                        let reference = JsonPath::parse(&text).unwrap();
                        let expected = reference_select(&reference, node, &pointer);
                        assert_eq!(
                            q.select(node, &pointer),
                            expected,
                            "{} at {pointer} in {}",
                            sel.text,
                            path.display()
                        );
                        let same_nodes = |found: Nodes| {
                            found.len() == expected.len()
                                && found
                                    .iter()
                                    .zip(&expected)
                                    .all(|(a, (_, b))| std::ptr::eq(*a, *b))
                        };
                        assert!(
                            same_nodes(sel.nodes(node)),
                            "{} nodes at {pointer} in {}",
                            sel.text,
                            path.display()
                        );
                        if let Some(near) = sel.nodes_near(node) {
                            near_compared += 1;
                            assert!(same_nodes(near), "{} near {pointer}", sel.text);
                        }
                        assert!(
                            same_nodes(sel.nodes_at_root(&members)),
                            "{} from {pointer} in {} with the members found once",
                            sel.text,
                            path.display()
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(
            documents > 300 && compared > 100_000 && near_compared > 10_000,
            "{documents} documents, {compared} comparisons ({near_compared} near)"
        );
    }

    fn collect_selectors(v: &Value, out: &mut Vec<Selector>) {
        match v {
            Value::String(s) if s.starts_with(['$', '@']) => out.extend(Selector::parse(s).ok()),
            Value::Array(items) => items.iter().for_each(|i| collect_selectors(i, out)),
            Value::Object(map) => map.values().for_each(|i| collect_selectors(i, out)),
            _ => {}
        }
    }

    fn nodes(v: &Value) -> Vec<(String, &Value)> {
        let mut out = vec![(String::new(), v)];
        let mut i = 0;
        while i < out.len() {
            let (pointer, node) = out[i].clone();
            match node {
                Value::Array(items) => out.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(j, c)| (format!("{pointer}/{j}"), c)),
                ),
                Value::Object(map) => out.extend(
                    map.iter()
                        .map(|(k, c)| (crate::document::pointer_join(&pointer, k), c)),
                ),
                _ => {}
            }
            i += 1;
        }
        out
    }

    fn fixture_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(fixture_files(&path));
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) && entry.metadata().is_ok_and(|m| m.len() < 100_000)
            {
                out.push(path);
            }
        }
        out.sort();
        out
    }

    #[test]
    fn rejects_bad_syntax() {
        for bad in ["$.components[", "$..", "$.a[?@.b = 1]", "@[?@.x == ]"] {
            assert!(Selector::parse(bad).is_err(), "{bad}");
        }
    }
}
