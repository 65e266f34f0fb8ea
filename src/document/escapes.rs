//! Maps byte offsets inside a decoded string scalar back to its source text, through quotes
//! and escapes, so a diagnostic can underline one placeholder inside a long JSON string.

use crate::source::Span;

/// The source span of `value[start..end]`, when `raw` (the scalar as written, quotes included)
/// decodes to `value` with a mapping we can follow; `None` otherwise (block scalars, folding).
pub fn sub_span(
    raw: &str,
    raw_start: usize,
    indent: usize,
    value: &str,
    start: usize,
    end: usize,
) -> Option<Span> {
    let offsets = match raw.chars().next()? {
        '"' if raw.len() >= 2 && raw.ends_with('"') => double_quoted(&raw[1..raw.len() - 1])?,
        '\'' if raw.len() >= 2 && raw.ends_with('\'') => single_quoted(&raw[1..raw.len() - 1])?,
        '|' => return block_literal(raw, raw_start, value, start, end),
        '>' => return None,
        _ if raw.contains('\n') => return block_body(raw, raw_start, indent, value, start, end),
        _ => plain(raw)?,
    };
    let quote = usize::from(raw.starts_with(['"', '\'']));
    let (decoded, map) = offsets;
    if decoded != value {
        return None;
    }
    let at = |i: usize| -> Option<usize> {
        if i == decoded.len() {
            Some(raw.len() - 2 * quote)
        } else {
            map.iter().find(|(d, _)| *d == i).map(|(_, r)| *r)
        }
    };
    Some(Span::new(
        raw_start + quote + at(start)?,
        raw_start + quote + at(end)?,
    ))
}

type Decoded = (String, Vec<(usize, usize)>);

/// The content of a block scalar as the parser locates it (from its first character; later
/// lines indented by `indent`): literal (`|`) keeps line breaks, folded (`>`) joins lines with a
/// space. Maps `value[start..end]` when either reading gives `value`.
fn block_body(
    raw: &str,
    raw_start: usize,
    indent: usize,
    value: &str,
    start: usize,
    end: usize,
) -> Option<Span> {
    let mut decoded = String::new();
    let mut map = Vec::new();
    let mut offset = 0;
    for (i, line) in raw.split_inclusive('\n').enumerate() {
        let strip = if i == 0 {
            0
        } else {
            line.len() - line.trim_start_matches(' ').len()
        }
        .min(if i == 0 { 0 } else { indent });
        for (j, c) in line[strip..].char_indices() {
            map.push((decoded.len(), offset + strip + j));
            decoded.push(c);
        }
        offset += line.len();
    }
    let wanted = value.trim_end_matches('\n');
    let literal = decoded.trim_end_matches(['\n', ' ']);
    let folded: String = fold(literal);
    if (literal != wanted && folded != wanted) || end > wanted.len() {
        return None;
    }
    let at = |i: usize| map.iter().find(|(d, _)| *d == i).map(|(_, r)| *r);
    let last = at(end.checked_sub(1)?)? + value[..end].chars().last()?.len_utf8();
    Some(Span::new(raw_start + at(start)?, raw_start + last))
}

/// YAML folding of a block: a single line break between text becomes a space (same length).
fn fold(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in bytes.iter().enumerate() {
        let single_break = *c == '\n'
            && i > 0
            && bytes[i - 1] != '\n'
            && bytes.get(i + 1).is_some_and(|n| *n != '\n');
        out.push(if single_break { ' ' } else { *c });
    }
    out
}

/// A literal block scalar (`|`, `|-`, `|+`): each content line minus its indentation, joined by
/// newlines; chomping only changes trailing newlines.
fn block_literal(
    raw: &str,
    raw_start: usize,
    value: &str,
    start: usize,
    end: usize,
) -> Option<Span> {
    let header_end = raw.find('\n')? + 1;
    let body = &raw[header_end..];
    let indent = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    let mut decoded = String::new();
    let mut map = Vec::new();
    let mut offset = header_end;
    for line in body.split_inclusive('\n') {
        let content = line
            .get(indent..)
            .unwrap_or_else(|| line.trim_start_matches(' '));
        let skipped = line.len() - content.len();
        for (i, c) in content.char_indices() {
            map.push((decoded.len(), offset + skipped + i));
            decoded.push(c);
        }
        offset += line.len();
    }
    let trimmed = value.trim_end_matches('\n');
    if decoded.trim_end_matches('\n') != trimmed || end > trimmed.len() {
        return None;
    }
    let at = |i: usize| map.iter().find(|(d, _)| *d == i).map(|(_, r)| *r);
    let last = at(end.checked_sub(1)?)? + value[..end].chars().last()?.len_utf8();
    Some(Span::new(raw_start + at(start)?, raw_start + last))
}

fn plain(raw: &str) -> Option<Decoded> {
    if raw.contains(['\n', '\r']) {
        return None;
    }
    Some((
        raw.to_string(),
        raw.char_indices().map(|(i, _)| (i, i)).collect(),
    ))
}

fn single_quoted(inner: &str) -> Option<Decoded> {
    if inner.contains(['\n', '\r']) {
        return None;
    }
    let mut out = String::new();
    let mut map = Vec::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        map.push((out.len(), i));
        if c == '\'' {
            chars.next_if(|(_, n)| *n == '\'')?;
        }
        out.push(c);
    }
    Some((out, map))
}

fn double_quoted(inner: &str) -> Option<Decoded> {
    if inner.contains(['\n', '\r']) {
        return None;
    }
    let mut out = String::new();
    let mut map = Vec::new();
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i..].chars().next()?;
        map.push((out.len(), i));
        if c != '\\' {
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let e = *bytes.get(i + 1)? as char;
        let simple = match e {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            '0' => Some('\0'),
            'a' => Some('\u{7}'),
            'v' => Some('\u{b}'),
            'e' => Some('\u{1b}'),
            ' ' => Some(' '),
            '"' | '\\' | '/' => Some(e),
            '_' => Some('\u{a0}'),
            'N' => Some('\u{85}'),
            'L' => Some('\u{2028}'),
            'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            i += 2;
            continue;
        }
        let width = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => return None,
        };
        let hex = inner.get(i + 2..i + 2 + width)?;
        let mut code = u32::from_str_radix(hex, 16).ok()?;
        i += 2 + width;
        if (0xD800..0xDC00).contains(&code) {
            // A UTF-16 surrogate pair, as JSON writes characters outside the BMP.
            let low = inner.get(i..i + 6).filter(|s| s.starts_with("\\u"))?;
            let low = u32::from_str_radix(&low[2..], 16).ok()?;
            code = 0x10000 + ((code - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
            i += 6;
        }
        out.push(char::from_u32(code)?);
    }
    Some((out, map))
}

#[cfg(test)]
mod tests {
    use super::sub_span;

    fn check(raw: &str, value: &str, needle: &str) -> String {
        let start = value.find(needle).unwrap();
        let span = sub_span(raw, 0, 2, value, start, start + needle.len()).expect("mappable");
        raw[span.start..span.end].to_string()
    }

    #[test]
    fn follows_json_escapes() {
        let raw = r#""Hi\n\u00fc \ud83d\ude00 {{1}}\t{{2}}""#;
        let value = "Hi\nü 😀 {{1}}\t{{2}}";
        assert_eq!(check(raw, value, "{{1}}"), "{{1}}");
        assert_eq!(check(raw, value, "{{2}}"), "{{2}}");
    }

    #[test]
    fn plain_and_single_quoted() {
        assert_eq!(check("Hi {{1}}", "Hi {{1}}", "{{1}}"), "{{1}}");
        assert_eq!(check("'it''s {{1}}'", "it's {{1}}", "{{1}}"), "{{1}}");
    }

    #[test]
    fn literal_block_scalars() {
        let raw = "|\n  Hi there,\n  your code is {{1}}\n";
        let value = "Hi there,\nyour code is {{1}}\n";
        assert_eq!(check(raw, value, "{{1}}"), "{{1}}");
    }

    #[test]
    fn block_bodies_as_the_parser_locates_them() {
        let raw = "Hi {{1}}, your order is ready\n  for pick-up at {{2}}\n";
        assert_eq!(
            check(
                raw,
                "Hi {{1}}, your order is ready\nfor pick-up at {{2}}",
                "{{2}}"
            ),
            "{{2}}"
        );
        assert_eq!(
            check(
                raw,
                "Hi {{1}}, your order is ready for pick-up at {{2}}\n",
                "{{2}}"
            ),
            "{{2}}"
        );
    }

    #[test]
    fn gives_up_on_what_it_cannot_follow() {
        assert!(sub_span("\"a\n  b\"", 0, 2, "a b", 0, 1).is_none());
    }
}
