//! A fast path for plain JSON: jsonc-parser gives the byte range of every node several times
//! faster than the YAML parser reads the same text. It takes only what the YAML parser reads
//! the same way, into the same tree and spans; anything else (comments, duplicate keys,
//! integers beyond 64 bits, surrogate escapes, characters YAML does not allow, sizes near a
//! limit, …) returns `None` and goes through the YAML parser, which also reports what is wrong.

use super::{NodeSpan, ParseLimits, SpanTree, Tree};
use crate::source::{SourceFile, Span};
use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use serde_json::{Map, Number, Value};

/// The tree of `source` if it is plain JSON the YAML parser would read identically.
pub fn parse(source: &SourceFile, limits: &ParseLimits) -> Option<Tree> {
    let text = source.text();
    // Well within the YAML parser's budgets, so that it would not have stopped either.
    let yaml = super::yaml::budget(limits);
    let mut budget = Budget {
        nodes: yaml.max_nodes.min(yaml.max_events) / 4,
        depth: yaml
            .max_depth
            .min(yaml.flow_nesting_limit)
            .saturating_sub(2),
        key_to_value: yaml.simple_key_max_lookahead.saturating_sub(24),
    };
    let opens = text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with(['{', '[']);
    if !opens || text.len() > yaml.max_total_scalar_bytes / 2 || !yaml_printable(text) {
        return None;
    }
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).ok()?;
    let (value, spans) = convert(text, parsed.value?, None, 0, &mut budget)?;
    Some(Tree {
        value,
        spans,
        inexact: Vec::new(),
    })
}

struct Budget {
    nodes: usize,
    /// From a key to its value: YAML looks at most so far for the `:` of a key in a flow
    /// mapping (`simple_key_max_lookahead`).
    key_to_value: usize,
    depth: usize,
}

fn convert(
    text: &str,
    node: ast::Value<'_>,
    key: Option<Span>,
    depth: usize,
    budget: &mut Budget,
) -> Option<(Value, SpanTree)> {
    budget.nodes = budget.nodes.checked_sub(1)?;
    let (value, full, head, children) = match node {
        ast::Value::NullKeyword(n) => (Value::Null, span(n.range), span(n.range), Vec::new()),
        ast::Value::BooleanLit(b) => (
            Value::Bool(b.value),
            span(b.range),
            span(b.range),
            Vec::new(),
        ),
        ast::Value::NumberLit(n) => (number(n.value)?, span(n.range), span(n.range), Vec::new()),
        ast::Value::StringLit(s) => {
            let range = s.range;
            let value = string(text, s)?;
            (Value::String(value), span(range), span(range), Vec::new())
        }
        ast::Value::Array(a) => {
            let (mut full, mut head) = opening(a.range, depth, budget)?;
            let mut items = Vec::with_capacity(a.elements.len());
            let mut children = Vec::with_capacity(a.elements.len());
            for (i, element) in a.elements.into_iter().enumerate() {
                let (v, child) = convert(text, element, None, depth + 1, budget)?;
                if i == 0 {
                    head = child.span.head;
                }
                full.end = full.end.max(child.span.value.end);
                items.push(v);
                children.push(child);
            }
            (Value::Array(items), full, head, children)
        }
        ast::Value::Object(o) => {
            let (mut full, mut head) = opening(o.range, depth, budget)?;
            let mut map = Map::with_capacity(o.properties.len());
            let mut children = Vec::with_capacity(o.properties.len());
            for (i, prop) in o.properties.into_iter().enumerate() {
                let ast::ObjectPropName::String(name) = prop.name else {
                    return None;
                };
                budget.nodes = budget.nodes.checked_sub(1)?;
                let key_span = span(name.range);
                let name = string(text, name)?;
                // YAML finds the `:` of a key in a flow mapping only so far after its start,
                // and may read `<<` as a merge key.
                let to_value = prop.value.range().start.saturating_sub(key_span.start);
                if to_value > budget.key_to_value || name == "<<" || map.contains_key(&name) {
                    return None;
                }
                let (v, child) = convert(text, prop.value, Some(key_span), depth + 1, budget)?;
                if i == 0 {
                    let collection = v.is_object() || v.is_array();
                    let end = if collection {
                        key_span.end
                    } else {
                        child.span.value.end
                    };
                    head = Span::new(key_span.start, end);
                }
                full.end = full.end.max(child.span.value.end).max(key_span.end);
                map.insert(name, v);
                children.push(child);
            }
            (Value::Object(map), full, head, children)
        }
    };
    let span = NodeSpan {
        key,
        value: full,
        head,
        defined: None,
    };
    Some((value, SpanTree { span, children }))
}

/// A collection starts as its opening bracket, as the YAML parser places it (its end grows
/// with its children); `None` when it nests too deep for the fast path.
fn opening(
    range: jsonc_parser::common::Range,
    depth: usize,
    budget: &Budget,
) -> Option<(Span, Span)> {
    let start = Span::new(range.start, range.start + 1);
    (depth < budget.depth).then_some((start, start))
}

fn span(range: jsonc_parser::common::Range) -> Span {
    Span::new(range.start, range.end)
}

/// A JSON number as the YAML 1.2 core schema reads it; `None` for integers beyond 64 bits
/// (the YAML path reports them).
fn number(written: &str) -> Option<Value> {
    let integer = !written.contains(['.', 'e', 'E']);
    if integer {
        if let Ok(i) = written.parse::<i64>() {
            return Some(Value::Number(i.into()));
        }
        return written.parse::<u64>().ok().map(|u| Value::Number(u.into()));
    }
    let f: f64 = written.parse().ok()?;
    Number::from_f64(f).map(Value::Number)
}

/// A string's value, unless YAML would read its token differently: raw line breaks and tabs
/// (folded or kept by YAML, invalid in JSON), and escapes YAML treats on its own (`\/`,
/// surrogate halves).
fn string(text: &str, s: ast::StringLit<'_>) -> Option<String> {
    let raw = text.as_bytes().get(s.range.start..s.range.end)?;
    if raw.first() != Some(&b'"') || raw.iter().any(|&b| b < 0x20) {
        return None;
    }
    for at in memchr::memchr_iter(b'\\', raw) {
        match raw.get(at + 1..at + 3) {
            Some([b'/', _]) | Some([b'u', b'd' | b'D']) => return None,
            _ => {}
        }
    }
    Some(s.value.into_owned())
}

/// Whether every character is one YAML accepts in a document and reads as JSON does: no
/// control characters other than tab and line breaks, no C1 controls, byte-order marks,
/// noncharacters or whitespace beyond ASCII.
fn yaml_printable(text: &str) -> bool {
    let ascii_ok = |b: u8| b >= 0x20 && b != 0x7F || matches!(b, b'\t' | b'\n' | b'\r');
    if text.is_ascii() {
        return text.bytes().all(ascii_ok);
    }
    // JSON's whitespace is ASCII; jsonc-parser also skips other Unicode spaces (such as
    // U+00A0 or U+2028), which YAML reads as part of a value.
    text.chars().all(|c| match c {
        c if c.is_ascii() => ascii_ok(c as u8),
        '\u{80}'..='\u{9F}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}' => false,
        c => !c.is_whitespace(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every JSON file of the fixtures reads into the same tree and spans on both paths.
    #[test]
    fn reads_json_as_the_yaml_parser_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut same = 0;
        for path in json_files(&root) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let source = SourceFile::new(path.display().to_string(), text);
            let limits = ParseLimits::default();
            let Some(fast) = parse(&source, &limits) else {
                continue;
            };
            let yaml = super::super::yaml::parse(&source, &limits)
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            assert_eq!(yaml.len(), 1, "{}", path.display());
            assert_eq!(fast.value, yaml[0].value, "{}", path.display());
            assert_eq!(fast.inexact, yaml[0].inexact, "{}", path.display());
            first_difference(&fast.spans, &yaml[0].spans, "", &path);
            same += 1;
        }
        assert!(same > 50, "{same} JSON fixtures read on the fast path");
    }

    fn same_as_yaml(text: &str) -> bool {
        let source = SourceFile::new("t.json", text);
        let limits = ParseLimits::default();
        let Some(fast) = parse(&source, &limits) else {
            return false;
        };
        let yaml = super::super::yaml::parse(&source, &limits).expect("YAML reads it too");
        assert_eq!(fast.value, yaml[0].value, "{text}");
        first_difference(&fast.spans, &yaml[0].spans, "", std::path::Path::new(text));
        true
    }

    #[test]
    fn plain_json_takes_the_fast_path_with_the_same_tree() {
        let cases = [
            r#"{"a": "x\n\"y\\ \u00e9 é 👋", "b": [1, -0, 1.0, 1e5, 1E-2, -2.5e+3]}"#,
            r#"{"big": 18446744073709551615, "neg": -9223372036854775808}"#,
            r#"{"e": {}, "l": [], "n": null, "t": true, "f": false, "nested": [[{"k": [{}]}]]}"#,
            "[\r\n  {\"a/b~c\": 1},\r\n  \"s\"\r\n]\r\n",
            "{\n\t\"tab\": \"indented with tabs\"\n}",
            r#"  {"ключ": "значение", "中文": "模板", "": "empty key"}  "#,
        ];
        for case in cases {
            assert!(same_as_yaml(case), "not on the fast path: {case}");
        }
    }

    /// What YAML reads differently, or only YAML reports, goes through the YAML parser.
    #[test]
    fn anything_else_goes_through_the_yaml_parser() {
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        let gap = format!("{{\"a\"{}: 1}}", " ".repeat(1100));
        let long_then_gap = format!("{{\"{}\"{}: 1}}", "k".repeat(900), "\r\n".repeat(60));
        let long_key = format!("{{\"{}\": 1}}", "k".repeat(1100));
        let cases = [
            r#"{"a": 1, "a": 2}"#,
            r#"{"<<": {"a": 1}}"#,
            "{\"a\": 1} // comment",
            "\u{feff}{\"a\": 1}",
            r#"{"a": "\ud83d\ude00"}"#,
            r#"{"a": "x\/y"}"#,
            "{\"a\": \"raw\ttab\"}",
            "{\"a\": \"c1 \u{85} control\"}",
            "{\"a\": \"del \u{7f}\"}",
            r#"{"a": 123456789012345678901234567890}"#,
            "{\"a\": 1}\n---\n{\"b\": 2}\n",
            "{a: 1}",
            "name: x",
            "",
            deep.as_str(),
            long_key.as_str(),
            gap.as_str(),
            long_then_gap.as_str(),
            "{\"a\":\u{a0} 1}",
            "[1,\u{2028} 2]",
            "\u{a0}{\"a\": 1}",
            "{\"a\"\u{a0}:1}",
            "[1]\u{3000}",
        ];
        for case in cases {
            let source = SourceFile::new("t.json", case);
            assert!(parse(&source, &ParseLimits::default()).is_none(), "{case}");
        }
    }

    /// Limits raised beyond the YAML parser's own budgets (flow nesting, events) do not let
    /// the fast path take what the YAML parser would stop at.
    #[test]
    fn raised_limits_stay_within_the_yaml_parsers_other_budgets() {
        let limits = ParseLimits {
            max_depth: 1000,
            max_nodes: 8_000_000,
            ..ParseLimits::default()
        };
        let nested = format!("{}{}", "[".repeat(256), "]".repeat(256));
        let wide = format!("[{}1]", "1,".repeat(1_000_000));
        for case in [nested, wide] {
            let source = SourceFile::new("t.json", case);
            assert!(parse(&source, &limits).is_none());
        }
    }

    fn first_difference(a: &SpanTree, b: &SpanTree, at: &str, path: &std::path::Path) {
        assert_eq!(a.span, b.span, "{at} in {}", path.display());
        assert_eq!(
            a.children.len(),
            b.children.len(),
            "{at} in {}",
            path.display()
        );
        for (i, (x, y)) in a.children.iter().zip(&b.children).enumerate() {
            first_difference(x, y, &format!("{at}/{i}"), path);
        }
    }

    fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(json_files(&path));
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
        out.sort();
        out
    }
}
