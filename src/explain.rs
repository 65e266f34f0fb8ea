//! Rule documentation generated from the one place rules are defined (the rule files and the
//! built-in table): `wabalint rules`, `wabalint explain` and the rule reference `rules/README.md`
//! all come from here.

use crate::builtin::{self, BUILTIN_CODES};
use crate::document::{self, ParseLimits};
use crate::kind::Kind;
use crate::rules::{self, Rule, RuleSet};
use crate::source::SourceFile;
use std::fmt::Write;
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// Longest example shown in full; longer ones are cut (the fixture holds the rest).
const EXAMPLE_LINES: usize = 40;

/// The bundled fixtures of a rule: (file name, contents).
pub fn examples(rule_id: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    EXAMPLES
        .iter()
        .filter(move |(id, _, _)| *id == rule_id)
        .map(|(_, name, text)| (*name, *text))
}

/// The rules that prevent Meta error `code` (a code or subcode), as `list` shows them; `None`
/// when none does.
pub fn rules_of_meta_error(set: &RuleSet, code: u64) -> Option<String> {
    let rules: Vec<&Rule> = set
        .rules
        .iter()
        .chain(&set.disabled)
        .filter(|r| r.meta_errors.contains(&code))
        .collect();
    if rules.is_empty() {
        return None;
    }
    let mut out = format!("Rules that prevent Meta error {code}:\n\n");
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(20);
    for r in rules {
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {}",
            r.id,
            r.severity.as_str(),
            r.summary
        );
    }
    Some(out)
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
    let mut line = |id: &str, level: &str, kind: &str, summary: &str| {
        let _ = writeln!(out, "{id:width$}  {level:7}  {kind:17}  {summary}");
    };
    for r in &set.rules {
        line(&r.id, r.severity.as_str(), r.kind.as_str(), &r.summary);
    }
    for r in &set.disabled {
        line(&r.id, "off", r.kind.as_str(), &r.summary);
    }
    for c in BUILTIN_CODES {
        line(
            c.id,
            set.builtin_level(c.id).map(|s| s.as_str()).unwrap_or("off"),
            "(built-in)",
            c.summary,
        );
    }
    out
}

/// The text of a rule or built-in check (the same section as in the rule reference).
pub fn explain(set: &RuleSet, id: &str) -> Option<String> {
    if let Some(rule) = set.rule(id) {
        let level = if set.rules.iter().any(|r| &*r.id == id) {
            rule.severity.as_str()
        } else {
            "off"
        };
        return Some(rule_section(rule, level, "#"));
    }
    let code = builtin::find(id)?;
    let level = set.builtin_level(id).map(|s| s.as_str()).unwrap_or("off");
    Some(builtin_section(code, level, "#"))
}

fn profile_of(rule: &Rule) -> String {
    match rule.defined_in.strip_prefix("rules/") {
        Some(path) if path.starts_with("meta") => "`meta` and `genesys`".into(),
        Some(path) if path.starts_with("genesys") => "`genesys`".into(),
        _ => format!("`{}`", rule.defined_in),
    }
}

fn rule_section(r: &Rule, level: &str, heading: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{heading}## `{}`\n", r.id);
    let confidence = r
        .confidence
        .map(|c| format!(" · confidence {}", format!("{c:?}").to_lowercase()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "**{level}** · {} manifests · profiles {}{confidence}\n",
        r.kind,
        profile_of(r)
    );
    let _ = writeln!(out, "{}.\n", r.summary.trim_end_matches('.'));
    if !r.meta_errors.is_empty() {
        let codes: Vec<String> = r.meta_errors.iter().map(u64::to_string).collect();
        let _ = writeln!(out, "**Prevents Meta errors.** {}\n", codes.join(", "));
    }
    if let Some(why) = &r.why {
        let _ = writeln!(out, "**Why.** {}\n", why.trim());
    }
    if let Some(help) = &r.help {
        let _ = writeln!(out, "**How to fix.** {}\n", help.trim());
    }
    if let Some(source) = &r.source {
        let _ = writeln!(out, "**Source.** {}\n", source.cite());
    }
    if r.from.is_some() || r.until.is_some() {
        let from = r
            .from
            .map(|d| d.to_string())
            .unwrap_or_else(|| "always".into());
        let until = r
            .until
            .map(|d| format!("until {d} (exclusive)"))
            .unwrap_or_else(|| "onwards".into());
        let _ = writeln!(out, "**In effect.** From {from} {until}.\n");
    }
    if r.kind == crate::kind::Kind::Template && !r.review {
        let _ = writeln!(
            out,
            "**Exported records.** Not a rule of Meta's review: its findings keep their severity on records Meta approved.\n"
        );
    }
    let field = r
        .field
        .as_deref()
        .map(|f| format!(", field `{f}`"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "**Check.** `{}` on `{}`{field} · defined in `{}`\n",
        r.check.name(),
        r.given.text(),
        r.defined_in
    );
    for (name, text) in examples(&r.id) {
        let kind = if name.starts_with("fail") {
            "Failing"
        } else {
            "Passing"
        };
        let lang = if name.ends_with(".json") {
            "json"
        } else {
            "yaml"
        };
        let _ = writeln!(out, "{kind} example (`fixtures/rules/{}/{name}`):\n", r.id);
        let _ = writeln!(out, "```{lang}\n{}```\n", clip(text));
    }
    out
}

fn clip(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= EXAMPLE_LINES {
        return format!("{}\n", text.trim_end());
    }
    let mut out = lines[..EXAMPLE_LINES].join("\n");
    let _ = writeln!(
        out,
        "\n… ({} more lines in the fixture)",
        lines.len() - EXAMPLE_LINES
    );
    out
}

fn builtin_section(code: &builtin::BuiltinCode, level: &str, heading: &str) -> String {
    format!(
        "{heading}## `{}`\n\n**{level}** · built-in\n\n{}.\n\n**Why.** {}\n\n**How to fix.** {}\n\n",
        code.id, code.summary, code.why, code.help
    )
}

/// Facts from Meta's and Genesys's documentation the rule set deliberately does not check.
pub fn omitted() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for (area, text) in OMITTED {
        let source = Arc::new(SourceFile::new(*area, *text));
        let Ok(doc) = document::parse(source, &ParseLimits::default()) else {
            continue;
        };
        for tree in doc.trees {
            for entry in tree.value.as_array().into_iter().flatten() {
                let field = |k: &str| {
                    entry
                        .get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .trim()
                        .to_string()
                };
                out.push((
                    area.to_string(),
                    field("fact"),
                    field("source"),
                    field("reason"),
                ));
            }
        }
    }
    out
}

/// The whole rule reference (`rules/README.md`).
pub fn reference() -> String {
    let meta = rules::load_profile("meta").expect("bundled profile");
    let genesys = rules::load_profile("genesys").expect("bundled profile");
    let mut out = String::new();
    out.push_str("# wabalint rule reference\n\n");
    out.push_str("<!-- Generated from the rule files by `cargo run -- reference > rules/README.md`; a test fails when it is stale. -->\n\n");
    out.push_str("Every rule of the bundled profiles: what it checks, why, how to fix it, the public source it comes from, the confidence of that source, and a failing and a passing example (from `fixtures/rules/`). `wabalint explain ID` prints the same text.\n\n");
    out.push_str("| area | `meta` | `genesys` (incl. meta) |\n| --- | --- | --- |\n");
    for kind in Kind::ALL {
        let n = |s: &RuleSet| s.rules.iter().filter(|r| r.kind == kind).count();
        let _ = writeln!(out, "| {kind} | {} | {} |", n(&meta), n(&genesys));
    }
    let _ = writeln!(
        out,
        "| **total** | {} | {} |\n",
        meta.rules.len(),
        genesys.rules.len()
    );
    for kind in Kind::ALL {
        let rules: Vec<&Rule> = genesys.rules.iter().filter(|r| r.kind == kind).collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {kind} rules\n");
        for r in rules {
            out.push_str(&rule_section(r, r.severity.as_str(), "#"));
        }
    }
    out.push_str("## Built-in checks\n\nRaised by the engine itself while reading files and rule sets; rule files can change their severity or turn the `manifest/…` ones off.\n\n");
    for code in BUILTIN_CODES {
        out.push_str(&builtin_section(code, code.severity.as_str(), "#"));
    }
    out.push_str("## Facts not checked\n\nDocumented rules a linter cannot check from manifests, and why.\n\n| area | fact | source | why not |\n| --- | --- | --- | --- |\n");
    for (area, fact, source, reason) in omitted() {
        let cell = |s: &str| s.replace('|', "\\\\|").replace('\n', " ");
        let _ = writeln!(
            out,
            "| {area} | {} | {} | {} |",
            cell(&fact),
            cell(&source),
            cell(&reason)
        );
    }
    out
}
