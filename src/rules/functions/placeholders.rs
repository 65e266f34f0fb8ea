//! Placeholder analysis of template texts.

use super::super::selector::Selector;
use super::{path_option, Ctx, Finding, LazyRegex, OptionError, Target, Validated};
use crate::placeholder::{Placeholder, PlaceholderKind};
use serde::Deserialize;
use serde_json::Value;
use std::rc::Rc;

fn placeholders<'a>(ctx: &Ctx<'a>, t: &Target<'a, '_>) -> Option<(&'a str, Rc<Vec<Placeholder>>)> {
    let text = t.value?.as_str()?;
    Some((text, ctx.placeholders(text)))
}

fn at<'a>(ctx: &Ctx<'a>, t: &Target<'a, '_>, p: &Placeholder) -> Finding {
    Finding::at(t.pointer(ctx))
        .within(p.start, p.end)
        .arg("placeholder", p.token())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderSequence {}
impl Validated for PlaceholderSequence {}

impl PlaceholderSequence {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some((_, all)) = placeholders(ctx, t) else {
            return;
        };
        let mut numbers: Vec<u32> = all
            .iter()
            .filter_map(|p| match p.kind {
                PlaceholderKind::Positional(n) => Some(n),
                _ => None,
            })
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        for (i, n) in numbers.iter().enumerate() {
            let expected = i as u32 + 1;
            if *n != expected {
                if let Some(p) = all
                    .iter()
                    .find(|p| p.kind == PlaceholderKind::Positional(*n))
                {
                    out.push(at(ctx, t, p).arg("expected", format!("{{{{{expected}}}}}")));
                }
                return;
            }
        }
    }
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Edge {
    Leading,
    Trailing,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderEdges {
    position: Edge,
    /// Treat trailing/leading punctuation as if it were not there (`… {{2}}.` ends with {{2}}).
    #[serde(default)]
    strip_punctuation: bool,
}
impl Validated for PlaceholderEdges {}

impl PlaceholderEdges {
    fn ignorable(&self, c: char) -> bool {
        c.is_whitespace() || (self.strip_punctuation && c != '}' && c != '{' && is_punctuation(c))
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some((text, all)) = placeholders(ctx, t) else {
            return;
        };
        let hit = match self.position {
            Edge::Leading => {
                let start = text.len() - text.trim_start_matches(|c| self.ignorable(c)).len();
                all.first().filter(|p| p.start == start)
            }
            Edge::Trailing => {
                let end = text.trim_end_matches(|c| self.ignorable(c)).len();
                all.last().filter(|p| p.end == end)
            }
        };
        if let Some(p) = hit {
            out.push(at(ctx, t, p));
        }
    }
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || "…。、！？，：；¡¿«»“”‘’„‚،؟।".contains(c)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderAdjacent {
    #[serde(default = "yes")]
    allow_whitespace: bool,
}

fn yes() -> bool {
    true
}
impl Validated for PlaceholderAdjacent {}

impl PlaceholderAdjacent {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some((text, all)) = placeholders(ctx, t) else {
            return;
        };
        for pair in all.windows(2) {
            let between = &text[pair[0].end..pair[1].start];
            let adjacent =
                between.is_empty() || (!self.allow_whitespace && between.trim().is_empty());
            if adjacent {
                out.push(
                    Finding::at(t.pointer(ctx))
                        .within(pair[0].start, pair[1].end)
                        .arg("first", pair[0].token())
                        .arg("second", pair[1].token()),
                );
            }
        }
    }
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum KindName {
    Positional,
    Named,
    Malformed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderKinds {
    allowed: Vec<KindName>,
    name_pattern: Option<LazyRegex>,
}

impl Validated for PlaceholderKinds {
    fn validated(self) -> Result<Self, OptionError> {
        Ok(self)
    }
}

impl PlaceholderKinds {
    pub fn regexes(&self) -> Vec<(String, &LazyRegex)> {
        self.name_pattern
            .iter()
            .map(|re| ("/name_pattern".to_string(), re))
            .collect()
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some((_, all)) = placeholders(ctx, t) else {
            return;
        };
        for p in all.iter() {
            let kind = match p.kind {
                PlaceholderKind::Positional(_) => KindName::Positional,
                PlaceholderKind::Named => KindName::Named,
                PlaceholderKind::Malformed => KindName::Malformed,
            };
            let bad_name = kind == KindName::Named
                && self
                    .name_pattern
                    .as_ref()
                    .is_some_and(|re| !re.is_match(&p.name));
            if !self.allowed.contains(&kind) || bad_name {
                out.push(at(ctx, t, p));
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderCount {
    min: Option<usize>,
    max: Option<usize>,
}
impl Validated for PlaceholderCount {}

impl PlaceholderCount {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some((_, all)) = placeholders(ctx, t) else {
            return;
        };
        let n = all.len();
        let args = |f: Finding| {
            f.arg("count", n)
                .arg("min", self.min.map(|m| m.to_string()).unwrap_or_default())
                .arg("max", self.max.map(|m| m.to_string()).unwrap_or_default())
        };
        if let Some(max) = self.max.filter(|m| n > *m) {
            out.push(args(at(ctx, t, &all[max])));
        } else if self.min.is_some_and(|m| n < m) {
            out.push(args(Finding::at(t.pointer(ctx))));
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderExamples {
    #[serde(default = "default_text", with = "path_option")]
    text: Selector,
    #[serde(default, deserialize_with = "optional_path")]
    positional: Option<Selector>,
    #[serde(default, deserialize_with = "optional_path")]
    named: Option<Selector>,
}

fn default_text() -> Selector {
    Selector::parse("@.text").expect("static selector")
}

fn optional_path<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Selector>, D::Error> {
    path_option::deserialize(d).map(Some)
}
impl Validated for PlaceholderExamples {}

impl PlaceholderExamples {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(&text_node) = ctx.select(&self.text, t.value).first() else {
            return;
        };
        let Some(text) = text_node.as_str() else {
            return;
        };
        let all = ctx.placeholders(text);
        let positional: Vec<&Placeholder> = all
            .iter()
            .filter(|p| matches!(p.kind, PlaceholderKind::Positional(_)))
            .collect();
        let named: Vec<&Placeholder> = all
            .iter()
            .filter(|p| p.kind == PlaceholderKind::Named)
            .collect();
        let text_target = Target::node(text_node);

        if let (Some(sel), false) = (&self.positional, positional.is_empty()) {
            let found = ctx.select(sel, t.value).first().copied();
            let values = found.map(flat_examples).unwrap_or_default();
            let mut needed: Vec<u32> = positional
                .iter()
                .filter_map(|p| match p.kind {
                    PlaceholderKind::Positional(n) => Some(n),
                    _ => None,
                })
                .collect();
            needed.sort_unstable();
            needed.dedup();
            let first_missing = needed.get(values.len()).and_then(|n| {
                positional
                    .iter()
                    .find(|p| p.kind == PlaceholderKind::Positional(*n))
            });
            if let Some(first_missing) = first_missing {
                let mut f = at(ctx, &text_target, first_missing)
                    .arg("count", needed.len())
                    .arg("examples", values.len());
                if let Some(node) = found {
                    f = f.related(ctx.pointer(node), "examples given here");
                }
                out.push(f);
            }
        }
        if let (Some(sel), false) = (&self.named, named.is_empty()) {
            let found = ctx.select(sel, t.value).first().copied();
            let names: Vec<&str> = found
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("param_name").and_then(Value::as_str))
                .collect();
            for p in named {
                if !names.contains(&p.name.as_str()) {
                    let mut f = at(ctx, &text_target, p).arg("count", 1).arg("examples", 0);
                    if let Some(node) = found {
                        f = f.related(ctx.pointer(node), "named examples given here");
                    }
                    out.push(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::words_in;

    /// The count token by token, as it was first written: the reference for [`words_in`].
    fn word_count(token: &str) -> usize {
        if token.is_ascii() {
            return usize::from(token.bytes().any(|b| b.is_ascii_alphanumeric()));
        }
        let unspaced = token.chars().filter(|c| super::is_unspaced(*c)).count();
        match (unspaced, token.chars().any(char::is_alphanumeric)) {
            (0, true) => 1,
            (0, false) => 0,
            (n, _) => n.div_ceil(2),
        }
    }

    #[test]
    fn texts_count_as_their_tokens_do() {
        for text in [
            "",
            "  Hello, world!  ",
            "a\u{b}b\u{c}c\td\re\nf",
            "-- - ... x1 ?? 42",
            "a\u{1c}b",
            "Thanks for your order",
            "Hi — ご注文 x",
            "¡Hola! Su pedido está listo\u{a0}para recoger 🎉 —",
            "ご注文ありがとうございますabc 12 สวัสดีครับ",
            "\u{3000}x\u{2028}y\u{85}z",
            "Grüße über 5 Tage — Ärger",
            "Привет, мир! Ваш заказ №5 ½ ² ① …",
            "مرحبا بك ، طلبك جاهز",
            "é —é x— ü1 ―― ½",
        ] {
            let tokens: usize = text.split_whitespace().map(word_count).sum();
            assert_eq!(words_in(text), tokens, "{text:?}");
        }
    }

    #[test]
    fn counts_words_in_scripts_without_spaces() {
        for (token, words) in [("Hello,", 1), ("—", 0), ("ご注文ありがとうございます", 7)]
        {
            assert_eq!(word_count(token), words);
            assert_eq!(words_in(token), words);
        }
    }
}

/// `[["a","b"]]` (Meta's documented shape) or `["a","b"]` (also accepted) → the strings.
fn flat_examples(v: &Value) -> Vec<&Value> {
    match v.as_array() {
        Some(items) => match items.first() {
            Some(Value::Array(inner)) => inner.iter().collect(),
            _ => items.iter().collect(),
        },
        None if v.is_string() => vec![v],
        None => Vec::new(),
    }
}

/// Words in a text: whitespace-separated tokens with a letter or digit. Scripts written
/// without spaces (Chinese, Japanese, Thai, …) count one word per two of their characters in a
/// token, so their texts are not all "too dense". One pass over the characters.
fn words_in(text: &str) -> usize {
    if text.is_ascii() {
        return ascii_words_in(text.as_bytes());
    }
    let mut words = 0;
    let (mut unspaced, mut alphanumeric) = (0, false);
    for c in text.chars() {
        // ASCII characters first: most of a text in a Latin script is ASCII.
        let (whitespace, ascii) = match c.is_ascii() {
            true => (matches!(c, ' ' | '\t'..='\r'), true),
            false => (c.is_whitespace(), false),
        };
        if whitespace {
            words += token_words(unspaced, alphanumeric);
            (unspaced, alphanumeric) = (0, false);
        } else if alphanumeric {
            unspaced += usize::from(!ascii && is_unspaced(c));
        } else if ascii {
            alphanumeric = c.is_ascii_alphanumeric();
        } else if is_unspaced(c) {
            unspaced += 1;
        } else {
            alphanumeric = c.is_alphanumeric();
        }
    }
    words + token_words(unspaced, alphanumeric)
}

/// [`words_in`] for ASCII text (most texts), byte by byte.
fn ascii_words_in(text: &[u8]) -> usize {
    let mut words = 0;
    let mut counted = false;
    for &b in text {
        // The ASCII characters `char::is_whitespace` accepts.
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            counted = false;
        } else if !counted && b.is_ascii_alphanumeric() {
            words += 1;
            counted = true;
        }
    }
    words
}

/// Words in one token, from its characters of unspaced scripts and whether any other one is a
/// letter or digit.
fn token_words(unspaced: usize, alphanumeric: bool) -> usize {
    match (unspaced, alphanumeric) {
        (0, true) => 1,
        (0, false) => 0,
        (n, _) => n.div_ceil(2),
    }
}

/// A character of a script written without spaces between words.
fn is_unspaced(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderDensity {
    /// Words of fixed text required per placeholder.
    words_per_placeholder: usize,
    /// Words required on top.
    #[serde(default)]
    extra_words: usize,
}
impl Validated for PlaceholderDensity {}

impl PlaceholderDensity {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some((text, all)) = placeholders(ctx, t) else {
            return;
        };
        if all.is_empty() {
            return;
        }
        // The fixed text between placeholders: no word runs across one.
        let starts = std::iter::once(0).chain(all.iter().map(|p| p.end));
        let ends = all
            .iter()
            .map(|p| p.start)
            .chain(std::iter::once(text.len()));
        let words: usize = starts
            .zip(ends)
            .map(|(start, end)| words_in(&text[start..end]))
            .sum();
        let required = self.words_per_placeholder * all.len() + self.extra_words;
        if words < required {
            out.push(
                Finding::at(t.pointer(ctx))
                    .arg("words", words)
                    .arg("count", all.len())
                    .arg("required", required),
            );
        }
    }
}
