//! Turning diagnostics into text: `human` (miette), `concise`, `json` (the documented
//! contract), `github` (workflow commands), `junit` and `sarif`.

pub mod concise;
pub mod excerpt;
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

use std::borrow::Cow;

/// `c` as text reports show it: a control character (C0, DEL, C1) as `\xHH`, as a YAML
/// double-quoted string writes it, unless it is in `keep`, and a bidirectional embedding,
/// override or isolate as `\uHHHH` (the marks RLM and LRM, common in right-to-left text, stay). Raw, control characters from a manifest, a rule file or a file name
/// could drive the terminal (ESC sequences) or start a report line of their own, and
/// bidirectional controls could show text in another order than it has ("Trojan Source").
pub fn push_escaped(out: &mut String, c: char, keep: &[char]) {
    if c.is_control() && !keep.contains(&c) {
        out.push_str(&format!("\\x{:02x}", c as u32));
    } else if is_bidi_control(c) {
        out.push_str(&format!("\\u{:04x}", c as u32));
    } else {
        out.push(c);
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with control characters escaped (see [`push_escaped`]), except those in `keep`.
pub fn escape_controls<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text
        .chars()
        .any(|c| (c.is_control() && !keep.contains(&c)) || is_bidi_control(c))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c, keep);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_visibly() {
        assert_eq!(
            escape_controls("a\u{1b}[2J\u{7}\0\tb\u{7f}", &[]),
            "a\\x1b[2J\\x07\\x00\\x09b\\x7f"
        );
        assert_eq!(escape_controls("a\nb\r\u{9b}", &['\n']), "a\nb\\x0d\\x9b");
        assert_eq!(
            escape_controls("x\u{202e}y\u{2066}", &[]),
            "x\\u202ey\\u2066"
        );
        assert!(matches!(escape_controls("plain ü", &[]), Cow::Borrowed(_)));
    }
}
