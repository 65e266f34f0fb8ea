//! Span-preserving documents: a JSON value for evaluation plus, for every node, where it is.

mod escapes;
mod json;
mod yaml;

pub use escapes::sub_span;

pub use yaml::{ParseError, ParseLimits};

use crate::source::{SourceFile, Span};
use serde_json::Value;
use std::sync::Arc;

/// Where one node is in the source.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NodeSpan {
    /// The mapping key that holds the node, if any.
    pub key: Option<Span>,
    /// The whole node (for collections: from the first token to the end of the last child).
    pub value: Span,
    /// A one-line stand-in for a collection: its first entry.
    pub head: Span,
    /// Where an aliased or merged value was originally written, when that differs.
    pub defined: Option<Span>,
}

/// One YAML document (or the JSON text) as a value plus the spans of its nodes.
#[derive(Debug)]
pub struct Tree {
    pub value: Value,
    pub spans: SpanTree,
    /// Pointers of integers too large for 64 bits, which are read as (inexact) floats.
    pub inexact: Vec<String>,
}

/// The spans of a node and of its children, in the order of the array's items or of the
/// object's entries: a tree shaped like the value, so nothing is keyed by pointer strings.
#[derive(Debug, Default, PartialEq)]
pub struct SpanTree {
    pub span: NodeSpan,
    pub children: Vec<SpanTree>,
}

impl SpanTree {
    /// How many nodes have spans.
    pub fn len(&self) -> usize {
        1 + self.children.iter().map(SpanTree::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

impl Tree {
    /// The best span for a diagnostic at `pointer`; walks up to the nearest known ancestor.
    pub fn locate(&self, pointer: &str, at_key: bool) -> Span {
        let (spans, value, _) = self.walk(pointer);
        spans
            .span
            .label(at_key, value.is_array() || value.is_object())
    }

    pub fn node_span(&self, pointer: &str) -> Option<&NodeSpan> {
        let (spans, _, exact) = self.walk(pointer);
        exact.then_some(&spans.span)
    }

    /// The deepest node on the way to `pointer` that has spans, its value, and whether it is
    /// the node `pointer` names (nodes added after parsing, such as `/computed`, have none).
    fn walk(&self, pointer: &str) -> (&SpanTree, &Value, bool) {
        let (mut spans, mut value) = (&self.spans, &self.value);
        if pointer.is_empty() {
            return (spans, value, true);
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return (spans, value, false);
        };
        for token in rest.split('/') {
            let token = unescape_token(token);
            let child = match value {
                Value::Object(map) => map
                    .iter()
                    .enumerate()
                    .find(|(_, (k, _))| k.as_str() == token)
                    .map(|(i, (_, v))| (i, v)),
                Value::Array(items) => {
                    array_index(&token).and_then(|i| items.get(i).map(|v| (i, v)))
                }
                _ => None,
            };
            match child.and_then(|(i, v)| spans.children.get(i).map(|s| (s, v))) {
                Some((s, v)) => (spans, value) = (s, v),
                None => return (spans, value, false),
            }
        }
        (spans, value, true)
    }
}

/// An RFC 6901 array index: digits without leading zeros.
fn array_index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    (digits && (token == "0" || !token.starts_with('0')))
        .then(|| token.parse().ok())
        .flatten()
}

fn unescape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

impl NodeSpan {
    /// Scalars are labelled on their value; collections on their key or their first entry.
    pub fn label(&self, at_key: bool, collection: bool) -> Span {
        match (at_key || collection, self.key) {
            (true, Some(key)) => key,
            _ if collection => self.head,
            _ => self.value,
        }
    }
}

/// A parsed input file.
#[derive(Debug)]
pub struct Document {
    pub source: Arc<SourceFile>,
    pub trees: Vec<Tree>,
}

/// Why a file could not be turned into a document.
#[derive(Debug)]
pub enum LoadError {
    /// Not UTF-8 text; the span marks the first bad byte when known.
    Encoding {
        message: String,
        offset: Option<usize>,
    },
    Syntax(ParseError),
}

/// Decodes bytes as UTF-8 text, refusing UTF-16/32 and invalid sequences with a precise message.
pub fn decode(bytes: Vec<u8>) -> Result<String, LoadError> {
    // The UTF-32 little-endian mark begins with the UTF-16 one: test it first.
    let encoding =
        if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
            Some("UTF-32")
        } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            Some("UTF-16")
        } else {
            None
        };
    if let Some(encoding) = encoding {
        return Err(LoadError::Encoding {
            message: format!(
                "the file is {encoding} (it starts with a {encoding} byte-order mark); save it as UTF-8"
            ),
            offset: None,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        LoadError::Encoding {
            message: format!("the file is not valid UTF-8 text: invalid byte sequence at byte {at}; is it a binary file?"),
            offset: Some(at),
        }
    })
}

/// Parses a source file into span trees.
pub fn parse(source: Arc<SourceFile>, limits: &ParseLimits) -> Result<Document, LoadError> {
    let trees = match json::parse(&source, limits) {
        Some(tree) => vec![tree],
        None => yaml::parse(&source, limits).map_err(LoadError::Syntax)?,
    };
    Ok(Document { source, trees })
}

/// For the differential fuzz target: `Err` with the difference when the JSON fast path takes a
/// text and reads it other than the YAML parser does.
#[doc(hidden)]
pub fn json_fast_path_agrees(text: &str) -> Result<(), String> {
    let source = SourceFile::new("fuzz.json", text);
    let limits = ParseLimits::default();
    let Some(fast) = json::parse(&source, &limits) else {
        return Ok(());
    };
    let yaml = yaml::parse(&source, &limits).map_err(|e| format!("YAML refuses it: {e:?}"))?;
    match yaml.as_slice() {
        [tree]
            if tree.value == fast.value && tree.spans == fast.spans && tree.inexact.is_empty() =>
        {
            Ok(())
        }
        _ => Err(format!("fast path: {:?}\nYAML: {yaml:?}", fast)),
    }
}

/// A member of an object by name, with its key: small objects (most manifest objects) are
/// scanned, which is cheaper than hashing the name.
pub fn member<'v>(
    map: &'v serde_json::Map<String, Value>,
    name: &str,
) -> Option<(&'v String, &'v Value)> {
    if map.len() <= 8 {
        map.iter().find(|(k, _)| k.as_str() == name)
    } else {
        map.get_key_value(name)
    }
}

/// The node an RFC 6901 pointer names: what `Value::pointer` finds, without copying each
/// token to look it up.
pub fn resolve<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .try_fold(value, |node, token| match node {
            Value::Object(map) => member(map, &unescape_token(token)).map(|(_, v)| v),
            Value::Array(items) => array_index(token).and_then(|i| items.get(i)),
            _ => None,
        })
}

/// Appends one RFC 6901 reference token to a pointer.
pub fn pointer_push(ptr: &mut String, token: &str) {
    ptr.push('/');
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        ptr.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => ptr.push_str("~0"),
            '/' => ptr.push_str("~1"),
            c => ptr.push(c),
        }
    }
}

/// Joins a pointer and a token.
pub fn pointer_join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + token.len());
    out.push_str(base);
    pointer_push(&mut out, token);
    out
}

/// The last reference token of a pointer, unescaped.
pub fn pointer_last(ptr: &str) -> String {
    ptr.rsplit('/')
        .next()
        .unwrap_or("")
        .replace("~1", "/")
        .replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> (Arc<SourceFile>, Tree) {
        let src = Arc::new(SourceFile::new("t.yaml", text));
        let mut doc = parse(Arc::clone(&src), &ParseLimits::default()).unwrap();
        (src, doc.trees.remove(0))
    }

    #[test]
    fn resolve_finds_what_serde_json_finds() {
        let v = serde_json::json!({
            "a": [1, {"b/c": 2, "d~e": [3]}, [4]],
            "": {"": 5},
            "k0": 0, "k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5, "k6": 6, "k7": 7, "k8": 8,
            "10": "ten"
        });
        let pointers = [
            "",
            "/",
            "//",
            "/a",
            "/a/0",
            "/a/00",
            "/a/01",
            "/a/+1",
            "/a/-1",
            "/a/1/b~1c",
            "/a/1/b/c",
            "/a/1/d~0e/0",
            "/a/1/d~e",
            "/a/1/d~0e/1",
            "/a/2/0",
            "/a/3",
            "/k8",
            "/k3",
            "/10",
            "/a/1/",
            "a",
            "/a/0/x",
            "/a/18446744073709551616",
            "/k9",
        ];
        for p in pointers {
            assert_eq!(resolve(&v, p), v.pointer(p), "{p:?}");
        }
    }

    #[test]
    fn yaml_spans_point_at_values_and_keys() {
        let (src, t) = tree("name: Hello\ncomponents:\n  - type: BODY\n    text: \"hi {{1}}\"\n");
        assert_eq!(src.slice(t.locate("/name", false)), "Hello");
        assert_eq!(src.slice(t.locate("/name", true)), "name");
        assert_eq!(
            src.slice(t.locate("/components/0/text", false)),
            "\"hi {{1}}\""
        );
        assert_eq!(src.slice(t.locate("/components/0", false)), "type: BODY");
        assert_eq!(src.slice(t.locate("/components", false)), "components");
    }

    #[test]
    fn json_with_bom_and_crlf() {
        let (src, t) = tree("\u{feff}{\"name\": \"x\",\r\n \"a~b/c\": [1, {\"k\": true}]}\r\n");
        assert_eq!(src.slice(t.locate("/name", false)), "\"x\"");
        assert_eq!(src.slice(t.locate("/a~0b~1c/1/k", false)), "true");
        let pos = src.position(t.locate("/a~0b~1c/1/k", false).start);
        assert_eq!((pos.line, pos.column), (2, 21));
    }

    #[test]
    fn aliases_and_merges_point_at_use_and_remember_definition() {
        let (src, t) = tree("base: &b\n  type: BODY\nx:\n  <<: *b\n  text: over\n");
        assert_eq!(t.value["x"]["type"], "BODY");
        assert_eq!(t.value["x"]["text"], "over");
        let span = t.node_span("/x/type").unwrap();
        assert_eq!(src.slice(span.value), "*b");
        assert_eq!(src.slice(span.defined.unwrap()), "BODY");
    }

    #[test]
    fn a_merged_key_written_again_points_at_the_override() {
        let (src, mut t) =
            tree("base: &b\n  type: BODY\n  text: old\nx:\n  <<: *b\n  text: over\n  n: 1\n");
        assert_eq!(t.value["x"]["text"], "over");
        assert_eq!(src.slice(t.locate("/x/text", false)), "over");
        assert_eq!(src.slice(t.locate("/x/n", false)), "1");
        assert_eq!(src.slice(t.locate("/x/type", false)), "*b");
        // Nodes added after parsing have no span: the nearest ancestor stands in.
        t.value["x"]["computed"] = serde_json::json!({"k": 1});
        assert_eq!(src.slice(t.locate("/x/computed/k", false)), "x");
        assert!(t.node_span("/x/computed").is_none());
        assert_eq!(src.slice(t.locate("/x/01", false)), "x");
    }

    #[test]
    fn duplicate_keys_and_syntax_errors_are_located() {
        let src = Arc::new(SourceFile::new("t", "a: 1\nb:\n  c: 2\n  c: 3\n"));
        let Err(LoadError::Syntax(e)) = parse(Arc::clone(&src), &ParseLimits::default()) else {
            panic!("expected a syntax error")
        };
        assert_eq!(
            e.message,
            "duplicate key `c`: the key is defined twice in this mapping"
        );
        assert_eq!(src.position(e.span.unwrap().start).line, 4);
        let (first, _) = e.related.expect("the first occurrence is named");
        assert_eq!(src.position(first.start).line, 3);
    }

    #[test]
    fn rejects_utf16_utf32_and_invalid_utf8() {
        let message = |bytes: &[u8]| match decode(bytes.to_vec()) {
            Err(LoadError::Encoding { message, .. }) => message,
            other => panic!("{other:?}"),
        };
        assert!(message(&[0xFF, 0xFE, b'a', 0]).contains("UTF-16"));
        assert!(message(&[0xFE, 0xFF, 0, b'a']).contains("UTF-16"));
        assert!(message(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]).contains("UTF-32"));
        assert!(message(&[0, 0, 0xFE, 0xFF, 0, 0, 0, b'a']).contains("UTF-32"));
        assert!(matches!(
            decode(vec![b'a', 0xC3]),
            Err(LoadError::Encoding {
                offset: Some(1),
                ..
            })
        ));
    }
}
