//! The README states facts that come from code; these tests keep them true.

use std::collections::BTreeMap;
use wabalint::rules::{self, functions::FUNCTIONS};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn counts(profile: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for rule in &rules::load_profile(profile).unwrap().rules {
        *out.entry(rule.kind.as_str().to_string()).or_insert(0) += 1;
    }
    out
}

#[test]
fn rule_count_table_matches_the_profiles() {
    let (meta, genesys) = (counts("meta"), counts("genesys"));
    let text = readme();
    for (area, n) in &genesys {
        let row = format!(
            "| {area} | {} | {n} |",
            meta.get(area).copied().unwrap_or(0)
        );
        assert!(
            text.contains(&row),
            "README rule-count table should have the row `{row}`"
        );
    }
}

#[test]
fn every_check_function_is_named_in_the_readme() {
    let text = readme();
    for f in FUNCTIONS {
        assert!(
            text.contains(&format!("`{}`", f.name)),
            "README should list the function `{}`",
            f.name
        );
    }
}

#[test]
fn the_two_commands_are_in_the_readme() {
    let text = readme();
    assert!(text.contains("cargo run --release -- check fixtures/examples"));
    assert!(text.contains("\ncargo test\n"));
}

#[test]
fn rule_reference_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md");
    let expected = wabalint::explain::reference();
    if std::env::var_os("WABALINT_UPDATE_REFERENCE").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "rules/README.md is stale: run `cargo run -- reference > rules/README.md` \
         (or `WABALINT_UPDATE_REFERENCE=1 cargo test --test docs`)"
    );
}

#[test]
fn every_omitted_fact_names_its_source_and_reason() {
    for (area, fact, source, reason) in wabalint::explain::omitted() {
        assert!(
            !fact.is_empty() && !source.is_empty() && !reason.is_empty(),
            "rules/omitted/{area}.yaml: every entry needs fact, source and reason ({fact:?})"
        );
    }
}

#[test]
fn explain_prints_the_reference_text_of_a_rule() {
    let set = rules::load_profile("genesys").unwrap();
    let text = wabalint::explain::explain(&set, "template/body-trailing-placeholder").unwrap();
    let reference = wabalint::explain::reference();
    let section = text.lines().skip(1).take(12).collect::<Vec<_>>().join("\n");
    assert!(
        reference.contains(&section),
        "explain and the reference differ:\n{section}"
    );
}

/// The Safety section lists every limit with its default, and the budgets of rule files and
/// configurations with the values the code has.
#[test]
fn safety_names_every_limit_and_budget() {
    let readme = readme();
    let safety = &readme[readme.find("## Safety").expect("a Safety section")..];
    let defaults = wabalint::document::ParseLimits::default();
    for name in wabalint::document::ParseLimits::NAMES {
        assert!(
            safety.contains(&format!("| `{name}` |")),
            "Safety: no row for `{name}`"
        );
    }
    let group = |n: u64| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    for (what, value) in [
        ("max_selector_steps", defaults.max_selector_steps),
        ("max_diagnostics", defaults.max_diagnostics as u64),
        ("overrides", wabalint::config::MAX_OVERRIDES as u64),
        ("ignore entries", wabalint::config::MAX_IGNORES as u64),
        ("globs", wabalint::config::MAX_GLOBS as u64),
        ("regular expressions", wabalint::rules::MAX_REGEXES as u64),
        ("rule files", wabalint::rules::MAX_RULE_FILES as u64),
    ] {
        assert!(
            safety.contains(&group(value)),
            "Safety: {what} = {} not stated",
            group(value)
        );
    }
    let mib = wabalint::rules::MAX_REGEX_MEMORY >> 20;
    assert!(
        safety.contains(&format!("{mib} MiB compiled in all")),
        "regex memory"
    );
    let descendants = wabalint::rules::selector::MAX_DESCENDANTS;
    let width = wabalint::rules::selector::MAX_WIDTH;
    assert!(safety.contains(&format!("at most {descendants} descendant segments")));
    assert!(safety.contains(&format!("unions multiplying to at most {width}")));
}
