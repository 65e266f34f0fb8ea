//! Selectors: RFC 9535 JSONPath, absolute (`$…`, from the manifest root) or relative (`@…`).

use serde_json::Value;
use serde_json_path::JsonPath;

#[derive(Debug, Clone)]
pub struct Selector {
    text: String,
    path: JsonPath,
    relative: bool,
    /// `$.a.b` or `@.a` (names only): looked up directly, without the JSONPath machinery.
    fields: Option<Vec<String>>,
}

/// The field names of a path made only of `.name` segments (`$`, `$.a`, `$.a.b_c`).
fn plain_fields(query: &str) -> Option<Vec<String>> {
    let rest = query.strip_prefix('$')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    rest.strip_prefix('.')?
        .split('.')
        .map(|name| {
            let simple = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            simple.then(|| name.to_string())
        })
        .collect()
}

impl Selector {
    /// Parses `$…` or `@…`; `@` addresses the node a rule is looking at.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let trimmed = text.trim();
        let (relative, query) = match trimmed.strip_prefix('@') {
            Some(rest) => (true, format!("${rest}")),
            None => (false, trimmed.to_string()),
        };
        let path =
            JsonPath::parse(&query).map_err(|e| format!("invalid JSONPath `{trimmed}`: {e}"))?;
        Ok(Selector {
            text: trimmed.to_string(),
            path,
            relative,
            fields: plain_fields(&query),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_relative(&self) -> bool {
        self.relative
    }

    /// Matches under `root`, as (pointer relative to `root`, node) pairs in document order.
    pub fn select<'v>(&self, root: &'v Value) -> Vec<(String, &'v Value)> {
        if let Some(fields) = &self.fields {
            let mut node = root;
            let mut pointer = String::new();
            for f in fields {
                match node.get(f) {
                    Some(child) => node = child,
                    None => return Vec::new(),
                }
                crate::document::pointer_push(&mut pointer, f);
            }
            return vec![(pointer, node)];
        }
        self.path
            .query_located(root)
            .into_iter()
            .map(|n| (n.location().to_json_pointer(), n.node()))
            .collect()
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
                Some(node) => self
                    .select(node)
                    .into_iter()
                    .map(|(p, v)| (format!("{base}{p}"), v))
                    .collect(),
                None => Vec::new(),
            }
        } else {
            self.select(unit)
        }
    }
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
    fn plain_paths_agree_with_jsonpath() {
        let v = json!({"a": {"b_c": [1, 2]}, "x": null});
        for text in [
            "$",
            "$.a",
            "$.a.b_c",
            "$.missing",
            "$.x",
            "$.a.missing.deeper",
        ] {
            let fast = Selector::parse(text).unwrap();
            assert!(fast.fields.is_some(), "{text}");
            let slow = Selector {
                fields: None,
                ..fast.clone()
            };
            assert_eq!(fast.select(&v), slow.select(&v), "{text}");
        }
        assert!(plain_fields("$.a[0]").is_none());
        assert!(plain_fields("$..a").is_none());
    }

    #[test]
    fn rejects_bad_syntax() {
        assert!(Selector::parse("$.components[").is_err());
    }
}
