//! Turning diagnostics into text: `human` (miette), `concise`, `json` (the documented
//! contract), `github` (workflow commands), `junit` and `sarif`.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

/// Totals printed at the end of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Manifest files checked.
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files skipped because they are not manifests (directory walks only).
    pub skipped: usize,
}
pub mod excerpt;

use std::borrow::Cow;

/// Whether text reports escape `c`: control characters (C0, DEL, C1) other than tab. Taken raw
/// from a manifest, a rule file or a file name, they could drive the terminal (ESC sequences)
/// or start a report line of their own.
pub fn is_escaped(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// `c` as text reports show it: `\xHH` (as in a YAML double-quoted string) when
/// [`is_escaped`], else itself.
pub fn push_escaped(out: &mut String, c: char) {
    if is_escaped(c) {
        out.push_str(&format!("\\x{:02x}", c as u32));
    } else {
        out.push(c);
    }
}

/// The length in bytes of `text` as [`push_escaped`] writes it.
pub fn escaped_len(text: &str) -> usize {
    text.chars()
        .map(|c| if is_escaped(c) { 4 } else { c.len_utf8() })
        .sum()
}

/// `text` with control characters escaped, except those in `keep` (line breaks in messages of
/// the human report, which miette indents).
pub fn escape_controls<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text.chars().any(|c| is_escaped(c) && !keep.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if keep.contains(&c) {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_visibly() {
        assert_eq!(
            escape_controls("a\u{1b}[2J\u{7}\0\tb", &[]),
            "a\\x1b[2J\\x07\\x00\tb"
        );
        assert_eq!(escape_controls("a\nb\r\u{9b}", &['\n']), "a\nb\\x0d\\x9b");
        assert_eq!(escaped_len("\u{1b}é"), 6);
        assert!(matches!(escape_controls("plain ü", &[]), Cow::Borrowed(_)));
    }
}
