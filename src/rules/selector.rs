//! Selectors: RFC 9535 JSONPath, absolute (`$…`, from the manifest root) or relative (`@…`).
//!
//! serde_json_path is the reference: it parses what `compiled` does not cover (slices, function
//! extensions) and evaluates it. The subset rules are written in — names, indices, wildcards,
//! descendants and filters of comparisons, existence tests, `&&`, `||`, `!` and parentheses — is
//! compiled here and evaluated without building a path object per visited node, which is most of
//! the cost of evaluating a rule set.

pub mod budget;
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
        // Both parsers recurse into brackets and parentheses: bounded before either runs.
        if nesting(trimmed) > MAX_NESTING {
            return Err(format!(
                "`{}…` nests brackets and parentheses deeper than {MAX_NESTING} levels",
                trimmed.chars().take(40).collect::<String>()
            ));
        }
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
        if let Some(why) = too_costly(&plan, &query) {
            return Err(format!("`{trimmed}` {why}"));
        }
        if let Plan::Compiled(q) = &plan {
            for re in q.regexes() {
                crate::rules::regex::charge(re).map_err(|e| format!("`{trimmed}`: {e}"))?;
            }
        }
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
        let found = match &self.plan {
            Plan::Compiled(q) => q.select(root, prefix),
            Plan::Reference(path) => reference_select(path, root, prefix),
        };
        budget::blame(&self.text);
        found
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
        let found = match &self.plan {
            Plan::Compiled(q) => q.nodes(root),
            Plan::Reference(path) => Nodes::from_vec(path.query(root).all()),
        };
        budget::blame(&self.text);
        found
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
        let found = match &self.plan {
            Plan::Compiled(q) => q.nodes_at_root(members),
            Plan::Reference(path) => Nodes::from_vec(path.query(members.root()).all()),
        };
        budget::blame(&self.text);
        found
    }
}

/// Deepest nesting of brackets and parentheses in a selector.
pub const MAX_NESTING: usize = 64;

/// The bytes of `text` outside its string literals, with their offsets.
fn unquoted(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    text.bytes().enumerate().filter(move |&(_, b)| {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if b == b'\\' => escaped = true,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None => return true,
        }
        false
    })
}

/// How deep brackets and parentheses nest in `text`, outside string literals.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (_, b) in unquoted(text) {
        match b {
            b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Most descendant segments (`..`) a selector may have: each can multiply the nodes a selection
/// visits by the depth of the manifest (the bundled rules need two, in
/// `$..components[*].example..*`).
pub const MAX_DESCENDANTS: usize = 2;
/// Largest product of the number of selectors in each segment (`[a, b]` is 2): a union selects
/// a node once per selector that finds it, so unions in a row multiply.
pub const MAX_WIDTH: usize = 8;

/// Why a selector could make a selection too expensive to bound, if it could. The reference
/// plan (slices, function extensions) cannot be bounded while it runs, so it gets neither a
/// descendant segment nor `match()` / `search()` (whose pattern it would compile at every node
/// when it is not a literal).
fn too_costly(plan: &Plan, text: &str) -> Option<String> {
    let (descendants, width, regex) = match plan {
        Plan::Compiled(q) => {
            let (d, w) = q.shape();
            (d, w, false)
        }
        Plan::Reference(_) => reference_shape(text),
    };
    let max_descendants = match plan {
        Plan::Compiled(_) => MAX_DESCENDANTS,
        Plan::Reference(_) => 0,
    };
    if descendants > max_descendants {
        return Some(match plan {
            Plan::Compiled(_) => format!(
                "has {descendants} descendant segments (`..`); a selector may have at most {MAX_DESCENDANTS}, because each one can multiply the nodes a selection visits by the depth of the manifest"
            ),
            Plan::Reference(_) => "combines a descendant segment (`..`) with JSONPath that wabalint does not compile (slices, function extensions), whose cost it cannot bound".to_string(),
        });
    }
    if width > MAX_WIDTH {
        return Some(format!(
            "selects each node up to {width} times through unions in a row; at most {MAX_WIDTH} are allowed"
        ));
    }
    if regex {
        return Some("uses `match()` or `search()` in a form wabalint does not compile (the pattern must be a string literal, the value a singular query)".to_string());
    }
    None
}

/// For JSONPath outside the compiled subset, read from its text: descendant segments, the
/// product of union widths, and whether it calls `match()` or `search()`.
fn reference_shape(text: &str) -> (usize, usize, bool) {
    let bytes = text.as_bytes();
    let (mut descendants, mut width, mut regex) = (0, 1usize, false);
    let (mut brackets, mut parens, mut members) = (0usize, 0usize, 1usize);
    let mut after_dot = false;
    for (i, b) in unquoted(text) {
        match b {
            b'.' if after_dot => {
                descendants += 1;
                after_dot = false;
                continue;
            }
            b'.' => {
                after_dot = bytes.get(i + 1) == Some(&b'.');
                continue;
            }
            b'[' => {
                brackets += 1;
                if brackets == 1 {
                    members = 1;
                }
            }
            b']' => {
                if brackets == 1 {
                    width = width.saturating_mul(members);
                }
                brackets = brackets.saturating_sub(1);
            }
            b'(' => {
                parens += 1;
                let before = &text[..i];
                regex |= before.ends_with("match") || before.ends_with("search");
            }
            b')' => parens = parens.saturating_sub(1),
            b',' if brackets == 1 && parens == 0 => members += 1,
            _ => {}
        }
        after_dot = false;
    }
    (descendants, width, regex)
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
    fn selectors_whose_cost_cannot_be_bounded_are_refused() {
        for (text, why) in &[
            ("$..*..*..*..*..*", "5 descendant segments"),
            ("$..a..b..c", "3 descendant segments"),
            ("$[*,*,*][*,*,*]", "up to 9 times"),
            ("$..[0:2]", "cannot bound"),
            ("$[0:1,0:1,0:1][0:1,0:1,0:1]", "up to 9 times"),
            (
                &format!("$[?{}@.a{}]", "(".repeat(20_000), ")".repeat(20_000)),
                "deeper than 64",
            ),
        ] {
            let refused = Selector::parse(text).err().unwrap_or_default();
            assert!(
                refused.contains(why),
                "{}: {refused}",
                &text[..text.len().min(40)]
            );
        }
        for text in [
            "$..components[*].example..*",
            "$..['text','url']",
            "$[0:2]",
            "$[?length(@) > 1]",
            "$[*,*][*,*,*,*]",
        ] {
            assert!(Selector::parse(text).is_ok(), "{text}");
        }
    }

    /// A unit's selections stop at its budget of steps, and name the selector it ran out in.
    #[test]
    fn selections_stop_at_the_step_budget() {
        let mut deep = json!(1);
        for _ in 0..60 {
            deep = json!({ "a": [deep.clone(), deep] });
            if deep.to_string().len() > 200_000 {
                break;
            }
        }
        let s = Selector::parse("$..*..*").unwrap();
        budget::start(10_000);
        let found = s.nodes(&deep);
        assert!(found.len() <= 10_000, "{}", found.len());
        assert_eq!(budget::finish().as_deref(), Some("$..*..*"));
        budget::start(u64::MAX);
        assert!(s.nodes(&deep).len() > 10_000);
        assert_eq!(budget::finish(), None);
    }

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
        // The reference would compile a pattern read from the manifest at every node: refused.
        for text in [
            "$[?match(@, $.pattern)]",
            "$[?match('x', 'x')]",
            "$[?search(length(@), '1')]",
        ] {
            let refused = Selector::parse(text).err().unwrap_or_default();
            assert!(
                refused.contains("must be a string literal"),
                "{text}: {refused}"
            );
        }
        for text in compiled {
            let s = Selector::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(matches!(s.plan, Plan::Compiled(_)), "{text}");
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
