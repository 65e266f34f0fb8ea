//! WhatsApp template placeholders: `{{1}}` (positional) and `{{first_name}}` (named).

/// What is between the braces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaceholderKind {
    Positional(u32),
    Named,
    /// Anything else: spaces, `#`, `$`, empty, … (Meta rejects these).
    Malformed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range of `{{…}}` in the text.
    pub start: usize,
    pub end: usize,
    /// The text between the braces.
    pub name: String,
    pub kind: PlaceholderKind,
}

impl Placeholder {
    pub fn token(&self) -> String {
        format!("{{{{{}}}}}", self.name)
    }
}

/// Where `pair` (`{{` or `}}`) next occurs in `text` at or after `from`.
fn find_pair(text: &str, from: usize, pair: &[u8; 2]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr(pair[0], &bytes[at..]) {
        let i = at + i;
        if bytes.get(i + 1) == Some(&pair[1]) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// All placeholders of a text, in order.
pub fn parse(text: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(start) = find_pair(text, rest, b"{{") {
        let Some(close) = find_pair(text, start + 2, b"}}") else {
            break;
        };
        let inner = &text[start + 2..close];
        if find_pair(inner, 0, b"{{").is_some() {
            rest = start + 2;
            continue;
        }
        let end = close + 2;
        out.push(Placeholder {
            start,
            end,
            name: inner.to_string(),
            kind: classify(inner),
        });
        rest = end;
    }
    out
}

fn classify(inner: &str) -> PlaceholderKind {
    if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) && !inner.starts_with('0') {
        return match inner.parse() {
            Ok(n) => PlaceholderKind::Positional(n),
            Err(_) => PlaceholderKind::Malformed,
        };
    }
    let mut chars = inner.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {
            if chars.all(|c| c.is_alphanumeric() || c == '_') {
                PlaceholderKind::Named
            } else {
                PlaceholderKind::Malformed
            }
        }
        _ => PlaceholderKind::Malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_kind() {
        let p = parse("Hi {{1}}, {{first_name}} {{ 2 }} {{#x}} {{2}} {{01}}");
        let kinds: Vec<_> = p.iter().map(|p| p.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                PlaceholderKind::Positional(1),
                PlaceholderKind::Named,
                PlaceholderKind::Malformed,
                PlaceholderKind::Malformed,
                PlaceholderKind::Positional(2),
                PlaceholderKind::Malformed
            ]
        );
        assert_eq!(p[0].start, 3);
        assert_eq!(p[1].token(), "{{first_name}}");
    }

    #[test]
    fn unclosed_braces_are_not_placeholders() {
        assert!(parse("Hi {{1").is_empty());
    }
}
