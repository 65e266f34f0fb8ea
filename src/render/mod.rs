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
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Manifest files checked.
    pub files: usize,
    /// Every finding of each severity, including those not shown (`max_diagnostics`).
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files named like manifests that were passed over: not manifests, excluded, hidden,
    /// git-ignored, or symbolic links not followed.
    pub skipped: usize,
    /// The project root, relative to the working directory (a run always names it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// The configuration file in use, if any (named whenever `root` is).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Option<String>>,
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

/// Report text for a CI log in which untrusted text cannot be read as a workflow command. The
/// GitHub Actions runner takes a line whose first non-blank characters are `::` as a command
/// (`::error …`, `::add-mask::`, `::stop-commands::`) and finds the older form `##[command]`
/// anywhere in a line. A line's leading `::` gets its first colon as `colon`, and every `##[`
/// its second `#` as `hash`: `\x3a` and `\x23` in text reports, entities in XML, `\u0023` in
/// JSON (where both mean the same text to a parser).
pub fn defuse<'a>(text: &'a str, colon: &str, hash: &str) -> Cow<'a, str> {
    let starts_command = |line: &str| line.trim_start().starts_with("::");
    if !text.contains("##[") && !text.split('\n').any(starts_command) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = if starts_command(line) {
            let at = line.len() - line.trim_start().len();
            Cow::Owned(format!("{}{colon}{}", &line[..at], &line[at + 1..]))
        } else {
            Cow::Borrowed(line)
        };
        out.push_str(&line.replace("##[", &format!("#{hash}[")));
    }
    Cow::Owned(out)
}

/// [`defuse`] for text reports and messages on a terminal or in a log.
pub fn defuse_text(text: &str) -> Cow<'_, str> {
    defuse(text, "\\x3a", "\\x23")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_cannot_be_forged() {
        let forged = "ok\n::error file=x::y\n   ::add-mask::secret\nsee ##[error]z and ##[set-output name=a]b";
        let safe = defuse_text(forged);
        for line in safe.lines() {
            assert!(!line.trim_start().starts_with("::"), "{line}");
            assert!(!line.contains("##["), "{line}");
        }
        assert_eq!(
            safe,
            "ok\n\\x3a:error file=x::y\n   \\x3a:add-mask::secret\nsee #\\x23[error]z and #\\x23[set-output name=a]b"
        );
        assert!(matches!(defuse_text("a: b\nc::d\n"), Cow::Borrowed(_)));
    }

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
