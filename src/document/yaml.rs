//! The only module that knows serde-saphyr: YAML 1.2 (and therefore JSON) text → span trees.
//!
//! serde-saphyr is young and moves fast; everything it gives us is converted here into our
//! own [`Tree`] so that a replacement parser only has to reimplement this file.

use super::{pointer_push, NodeSpan, SpanTree, Tree};
use crate::source::{SourceFile, Span};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::{DuplicateKeyPolicy, Location, Spanned};
use std::fmt;

/// Limits on untrusted input; each breach is reported as a diagnostic, never a crash, a hang
/// or unbounded memory. All are configurable (`limits:` in the configuration, `--limit`).
#[derive(Clone, Debug)]
pub struct ParseLimits {
    /// Files larger than this are not read (bytes).
    pub max_file_size: usize,
    /// Nesting of mappings and lists.
    pub max_depth: usize,
    /// Nodes after alias expansion (stops "billion laughs").
    pub max_nodes: usize,
    pub max_aliases: usize,
    /// YAML documents in one file.
    pub max_documents: usize,
    /// Warnings and infos shown per file; the rest are counted (errors are always shown).
    pub max_diagnostics: usize,
    /// Nodes the selections of a rule set may visit while checking one manifest.
    pub max_selector_steps: u64,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_file_size: 10 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 400_000,
            max_aliases: 10_000,
            max_documents: 1_000,
            max_diagnostics: 500,
            max_selector_steps: 100_000,
        }
    }
}

impl ParseLimits {
    pub const NAMES: [&'static str; 7] = [
        "max_file_size",
        "max_depth",
        "max_nodes",
        "max_aliases",
        "max_documents",
        "max_diagnostics",
        "max_selector_steps",
    ];

    /// Deepest nesting any setting allows: checks recurse into the tree, and deeper input
    /// would exhaust a thread's stack.
    pub const MAX_DEPTH_CEILING: usize = 256;

    /// A limit's value by name.
    pub fn get(&self, name: &str) -> Option<u64> {
        let value = match name {
            "max_file_size" => self.max_file_size,
            "max_depth" => self.max_depth,
            "max_nodes" => self.max_nodes,
            "max_aliases" => self.max_aliases,
            "max_documents" => self.max_documents,
            "max_diagnostics" => self.max_diagnostics,
            "max_selector_steps" => return Some(self.max_selector_steps),
            _ => return None,
        };
        Some(value as u64)
    }

    /// Sets a limit by name; `Err` names the known limits.
    pub fn set(&mut self, name: &str, value: usize) -> Result<(), String> {
        if name == "max_depth" && value > Self::MAX_DEPTH_CEILING {
            return Err(format!(
                "`max_depth` can be at most {}: checks recurse into the tree, and deeper input would exhaust the stack",
                Self::MAX_DEPTH_CEILING
            ));
        }
        let slot = match name {
            "max_file_size" => &mut self.max_file_size,
            "max_depth" => &mut self.max_depth,
            "max_nodes" => &mut self.max_nodes,
            "max_aliases" => &mut self.max_aliases,
            "max_documents" => &mut self.max_documents,
            "max_diagnostics" => &mut self.max_diagnostics,
            "max_selector_steps" => {
                self.max_selector_steps = value as u64;
                return Ok(());
            }
            _ => {
                return Err(format!(
                    "unknown limit `{name}`; known: {}",
                    Self::NAMES.join(", ")
                ))
            }
        };
        *slot = value;
        Ok(())
    }
}

/// A parse failure with the place it happened, when the parser knows it.
#[derive(Debug)]
pub struct ParseError {
    pub message: String,
    pub span: Option<Span>,
    /// Another place the error involves (the first of two duplicate keys).
    pub related: Option<(Span, String)>,
    /// The failure is a limit being reached, not a syntax error.
    pub limit: bool,
}

enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = access.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Parses every YAML document of `source` (JSON is YAML 1.2) into trees.
pub fn parse(source: &SourceFile, limits: &ParseLimits) -> Result<Vec<Tree>, ParseError> {
    let mut options = serde_saphyr::Options::default();
    // YAML 1.2 core schema: `no` stays a string, `1_000` stays a string, duplicate keys fail.
    options.strict_booleans = true;
    options.underscored_numbers_as_strings = true;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    options.budget = Some(budget(limits));

    let docs: Vec<Spanned<Node>> =
        serde_saphyr::from_str_multiple_with_options(source.text(), options)
            .map_err(|e| parse_error(source, &e, limits))?;
    Ok(docs.into_iter().map(|doc| to_tree(source, doc)).collect())
}

/// The parser's budgets: wabalint's limits, the parser's defaults for the rest.
pub(super) fn budget(limits: &ParseLimits) -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_nodes = limits.max_nodes;
    budget.max_aliases = limits.max_aliases;
    budget.max_documents = limits.max_documents;
    budget
}

fn parse_error(
    source: &SourceFile,
    error: &serde_saphyr::Error,
    limits: &ParseLimits,
) -> ParseError {
    let span = error.location().and_then(|l| location_span(source, &l));
    let raw = clean_message(&error.without_snippet().to_string());
    let (message, limit) = explain_limit(&raw, limits);
    let related = raw
        .strip_prefix("duplicate mapping key: ")
        .zip(span)
        .and_then(|(key, at)| first_occurrence(source, key, at))
        .map(|first| (first, "first defined here".to_string()));
    let message = match &related {
        Some(_) => format!(
            "duplicate key `{}`: the key is defined twice in this mapping",
            raw.trim_start_matches("duplicate mapping key: ")
        ),
        None => message,
    };
    ParseError {
        message,
        span,
        related,
        limit,
    }
}

/// Turns the parser's budget messages into what was exceeded and which limit to raise.
fn explain_limit(raw: &str, limits: &ParseLimits) -> (String, bool) {
    let base = raw.split(" at line ").next().unwrap_or(raw);
    let text = if base.contains("Depth") {
        format!(
            "the document nests deeper than {} levels (limit `max_depth`)",
            limits.max_depth
        )
    } else if base.contains("recursion limit") {
        "the document nests deeper than the parser allows (flow collections, `[`/`{`)".to_string()
    } else if base.contains("Nodes") || base.contains("Events") {
        format!(
            "the document expands to more than {} nodes — an alias bomb or a huge file (limit `max_nodes`)",
            limits.max_nodes
        )
    } else if base.contains("Aliases") || base.contains("alias") && base.contains("budget") {
        format!(
            "the document uses more than {} aliases (limit `max_aliases`)",
            limits.max_aliases
        )
    } else if base.contains("Documents") {
        format!(
            "the file holds more than {} YAML documents (limit `max_documents`)",
            limits.max_documents
        )
    } else if base.contains("budget breached") {
        format!("the document exceeds a parser budget ({base})")
    } else {
        return (raw.to_string(), false);
    };
    (text, true)
}

/// The earlier occurrence of a duplicated key: the same key text at the same column, above.
fn first_occurrence(source: &SourceFile, key: &str, at: Span) -> Option<Span> {
    let text = source.text();
    let column = source.position(at.start).column;
    let candidates = [format!("\"{key}\""), format!("'{key}'"), key.to_string()];
    let before = &text[..at.start.min(text.len())];
    let mut best: Option<usize> = None;
    for c in &candidates {
        let mut end = before.len();
        while let Some(i) = before[..end].rfind(c.as_str()) {
            let after = before[i + c.len()..].trim_start_matches([' ', '\t']);
            let boundary =
                i == 0 || !before[..i].ends_with(|ch: char| ch.is_alphanumeric() || ch == '_');
            let same_place = source.position(i).column == column
                || source.position(i).line == source.position(at.start).line;
            if after.starts_with(':') && boundary && same_place {
                best = Some(best.map_or(i, |b: usize| b.max(i)));
                break;
            }
            end = i;
        }
    }
    best.map(|i| {
        let len = candidates
            .iter()
            .find(|c| text[i..].starts_with(c.as_str()))
            .map_or(key.len(), |c| c.len());
        Span::new(i, i + len)
    })
}

/// serde-saphyr prefixes "line N column M:" and suffixes tips about its own options.
fn clean_message(raw: &str) -> String {
    let mut msg = raw.trim().trim_start_matches("error:").trim();
    if let Some(rest) = msg.strip_prefix("line ") {
        if let Some(idx) = rest.find(": ") {
            if rest[..idx].contains("column") {
                msg = &rest[idx + 2..];
            }
        }
    }
    let msg = msg
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(msg)
        .trim();
    let mut out = msg.to_string();
    if let Some(first) = out.get(0..1) {
        out.replace_range(0..1, &first.to_lowercase());
    }
    out
}

fn location_span(source: &SourceFile, loc: &Location) -> Option<Span> {
    if loc.line() == 0 {
        return None;
    }
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(l)) => Some(Span::new(o as usize, (o + l) as usize)),
        _ => {
            let start = source.offset_of(loc.line() as usize, loc.column() as usize);
            Some(Span::new(start, start))
        }
    }
}

fn spans_of(source: &SourceFile, node: &Spanned<Node>) -> (Span, Option<Span>) {
    let referenced = location_span(source, &node.referenced).unwrap_or_default();
    let defined = location_span(source, &node.defined).filter(|d| *d != referenced);
    (referenced, defined)
}

fn to_tree(source: &SourceFile, doc: Spanned<Node>) -> Tree {
    let mut inexact = Vec::new();
    let mut ptr = String::new();
    let (value, spans) = convert(source, doc, &mut ptr, None, &mut inexact);
    Tree {
        value,
        spans,
        inexact,
    }
}

/// Converts a node into its value and its spans (`ptr` is its pointer, kept for `inexact`).
fn convert(
    source: &SourceFile,
    node: Spanned<Node>,
    ptr: &mut String,
    key: Option<Span>,
    inexact: &mut Vec<String>,
) -> (Value, SpanTree) {
    let (start, defined) = spans_of(source, &node);
    let mut full = start;
    let mut head = start;
    let mut children = Vec::new();
    let value = match node.value {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Int(i) => Value::Number(i.into()),
        Node::UInt(u) => Value::Number(u.into()),
        Node::Float(f) => {
            // The parser reads integers beyond 64 bits as floats (and some that fit, such as
            // `0049301234567`, whose leading zeros are not YAML 1.2 integer syntax).
            let written = source.slice(full).trim();
            let digits = written.strip_prefix(['-', '+']).unwrap_or(written);
            let integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            if integer && written.parse::<i64>().is_err() && digits.parse::<u64>().is_err() {
                inexact.push(ptr.clone());
            }
            Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null)
        }
        Node::Str(s) => {
            // Block scalars are located up to the next token; end them at their last character.
            let text = source.slice(full);
            if !text.starts_with(['"', '\'']) {
                full.end = full.start + text.trim_end().len();
                head = full;
            }
            Value::String(s)
        }
        Node::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            children.reserve_exact(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = ptr.len();
                pointer_push(ptr, &i.to_string());
                let (v, child) = convert(source, item, ptr, None, inexact);
                if i == 0 {
                    head = child.span.head;
                }
                full.end = full.end.max(child.span.value.end);
                ptr.truncate(len);
                out.push(v);
                children.push(child);
            }
            Value::Array(out)
        }
        Node::Map(entries) => {
            let mut out = Map::with_capacity(entries.len());
            children.reserve_exact(entries.len());
            for (i, (k, v)) in entries.into_iter().enumerate() {
                let (key_span, _) = spans_of(source, &k);
                let name = key_text(k.value);
                let len = ptr.len();
                pointer_push(ptr, &name);
                let (child_value, child_spans) = convert(source, v, ptr, Some(key_span), inexact);
                let child = child_spans.span.value;
                if i == 0 {
                    head = Span::new(
                        key_span.start,
                        if child_value.is_object() || child_value.is_array() {
                            key_span.end
                        } else {
                            child.end
                        },
                    );
                }
                full.end = full.end.max(child.end).max(key_span.end);
                ptr.truncate(len);
                // A key merged in (`<<`) and then written again keeps its first place.
                let again = out
                    .contains_key(&name)
                    .then(|| out.keys().position(|k| *k == name))
                    .flatten();
                match again {
                    Some(at) => children[at] = child_spans,
                    None => children.push(child_spans),
                }
                out.insert(name, child_value);
            }
            Value::Object(out)
        }
    };
    if head.is_empty() && !start.is_empty() {
        head = start;
    }
    let span = NodeSpan {
        key,
        value: full,
        head,
        defined,
    };
    (value, SpanTree { span, children })
}

fn key_text(node: Node) -> String {
    match node {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::UInt(u) => u.to_string(),
        Node::Float(f) => f.to_string(),
        Node::Str(s) => s,
        Node::Seq(_) | Node::Map(_) => "<complex key>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::clean_message;

    #[test]
    fn strips_parser_decorations() {
        assert_eq!(
            clean_message("line 4 column 3: duplicate mapping key: c, set DuplicateKeyPolicy in Options if acceptable"),
            "duplicate mapping key: c"
        );
        assert_eq!(clean_message("Illegal placement"), "illegal placement");
    }
}
