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
