//! Rule documentation generated from the one place rules are defined (the rule files and the
//! built-in table): `wabalint rules`, `wabalint explain` and the generated rule reference.

use crate::builtin::{self, BUILTIN_CODES};
use crate::rules::{Rule, RuleSet};
use std::fmt::Write;

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The bundled fixtures of a rule: (file name, contents).
pub fn examples(rule_id: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    EXAMPLES
        .iter()
        .filter(move |(id, _, _)| *id == rule_id)
        .map(|(_, name, text)| (*name, *text))
}

/// One line per rule: id, severity, kind, summary (off rules marked).
pub fn list(set: &RuleSet) -> String {
    let mut out = String::new();
    let width = set
        .rules
        .iter()
        .chain(&set.disabled)
        .map(|r| r.id.len())
        .max()
        .unwrap_or(20)
        .max(28);
    for r in &set.rules {
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {:12}  {}",
            r.id,
            r.severity.as_str(),
            r.kind.as_str(),
            r.summary
        );
    }
    for r in &set.disabled {
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {:12}  {}",
            r.id,
            "off",
            r.kind.as_str(),
            r.summary
        );
    }
    for c in BUILTIN_CODES {
        let level = set.builtin_level(c.id).map(|s| s.as_str()).unwrap_or("off");
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {:12}  {}",
            c.id, level, "(built-in)", c.summary
        );
    }
    out
}

/// The full text of a rule or built-in check, or `None` when the id is unknown.
pub fn explain(set: &RuleSet, id: &str) -> Option<String> {
    if let Some(rule) = set.rule(id) {
        return Some(explain_rule(set, rule));
    }
    let code = builtin::find(id)?;
    let level = set.builtin_level(id).map(|s| s.as_str()).unwrap_or("off");
    Some(format!(
        "{}  ({level}, built-in)\n\n{}.\n\nWhy: {}\n\nHow to fix: {}\n",
        code.id, code.summary, code.why, code.help
    ))
}

fn explain_rule(set: &RuleSet, r: &Rule) -> String {
    let mut out = String::new();
    let level = if set.rules.iter().any(|x| x.id == r.id) {
        r.severity.as_str()
    } else {
        "off"
    };
    let _ = writeln!(out, "{}  ({level}, {} manifests)\n", r.id, r.kind);
    let _ = writeln!(out, "{}.\n", r.summary.trim_end_matches('.'));
    if let Some(why) = &r.why {
        let _ = writeln!(out, "Why: {}\n", why.trim());
    }
    if let Some(help) = &r.help {
        let _ = writeln!(out, "How to fix: {}\n", help.trim());
    }
    if let Some(source) = &r.source {
        let _ = writeln!(out, "Source: {}", source.cite());
    }
    if let Some(c) = r.confidence {
        let _ = writeln!(out, "Confidence: {}", format!("{c:?}").to_lowercase());
    }
    match (r.from, r.until) {
        (None, None) => {}
        (f, u) => {
            let _ = writeln!(
                out,
                "In effect: {} to {}",
                f.map(|d| d.to_string()).unwrap_or_else(|| "always".into()),
                u.map(|d| format!("{d} (exclusive)"))
                    .unwrap_or_else(|| "today".into())
            );
        }
    }
    let _ = writeln!(out, "Defined in: {}", r.defined_in);
    let _ = writeln!(
        out,
        "Check: `{}` on `{}`{}",
        r.check.name(),
        r.given.text(),
        r.field
            .as_deref()
            .map(|f| format!(" → `{f}`"))
            .unwrap_or_default()
    );
    for (name, text) in examples(&r.id) {
        let kind = if name.starts_with("fail") {
            "Failing"
        } else {
            "Passing"
        };
        let _ = writeln!(out, "\n{kind} example ({name}):\n");
        for line in text.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}
