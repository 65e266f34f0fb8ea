//! Every rule has a failing and a passing fixture under `fixtures/rules/<namespace>/<name>/`:
//! the failing one must raise the rule (its report is snapshotted), the passing one must be clean.
//! Other files in the directory (an account a campaign refers to, a template an agentless
//! request sends, …) are checked in the same run, before the fixture, so checks across files see
//! them. Run one rule's fixtures with `INSTA_GLOB_FILTER='template/name-length/*' cargo test --test rules`.

mod common;

use std::path::{Path, PathBuf};
use wabalint::engine::{Engine, FileReport};
use wabalint::rules::{self, RuleSet};

fn genesys() -> RuleSet {
    rules::load_profile("genesys").unwrap()
}

/// The rule a fixture file belongs to, and the profile that defines it.
fn rule_of(path: &Path) -> (String, &'static str) {
    let dir = path.parent().unwrap();
    let name = dir.file_name().unwrap().to_string_lossy();
    let ns = dir.parent().unwrap().file_name().unwrap().to_string_lossy();
    let id = format!("{ns}/{name}");
    let set = genesys();
    let rule = set
        .rule(&id)
        .unwrap_or_else(|| panic!("fixture {} names no rule `{id}`", path.display()));
    let profile = if rule.defined_in.starts_with("rules/meta") {
        "meta"
    } else {
        "genesys"
    };
    (id, profile)
}

fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Checks the fixture together with the directory's companion files, as one run.
fn check_with_companions(engine: &Engine, fixture: &Path) -> FileReport {
    let dir = fixture.parent().unwrap();
    let mut companions: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            !name.starts_with("fail.") && !name.starts_with("pass.")
        })
        .collect();
    companions.sort();
    let mut records = Vec::new();
    for c in &companions {
        records.extend(common::check(engine, &relative(c)).records);
    }
    let mut report = common::check(engine, &relative(fixture));
    records.append(&mut report.records);
    let name = report.file.name().to_string();
    report.diagnostics.extend(
        engine
            .finish(records.iter())
            .into_iter()
            .filter(|d| d.file.name() == name),
    );
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

#[test]
fn failing_fixtures_raise_their_rule() {
    insta::glob!("../fixtures/rules", "*/*/fail.*", |path| {
        let (id, profile) = rule_of(path);
        let engine = common::engine(profile, common::fixture_day());
        let report = check_with_companions(&engine, path);
        assert!(
            common::rule_ids(&report).contains(&id.as_str()),
            "{} should raise `{id}` under the {profile} profile, got {:?}",
            path.display(),
            common::rule_ids(&report)
        );
        insta::assert_snapshot!(format!(
            "{}\n--- json ---\n{}",
            common::human(&report),
            common::json(&report)
        ));
    });
}

#[test]
fn passing_fixtures_are_clean() {
    insta::glob!("../fixtures/rules", "*/*/pass.*", |path| {
        let (id, profile) = rule_of(path);
        let engine = common::engine(profile, common::fixture_day());
        let report = check_with_companions(&engine, path);
        // Clean: nothing of its own rule, nothing at warning or error level; hints of other
        // rules (info) may remain.
        let problems = report
            .diagnostics
            .iter()
            .any(|d| d.rule() == &*id || d.severity > wabalint::Severity::Info);
        assert!(
            !problems,
            "{} should be clean under {profile}:\n{}",
            path.display(),
            common::human(&report)
        );
    });
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut missing = Vec::new();
    for rule in &genesys().rules {
        let dir = root.join(&*rule.id);
        for prefix in ["fail.", "pass."] {
            let found = std::fs::read_dir(&dir)
                .map(|entries| {
                    entries
                        .flatten()
                        .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
                })
                .unwrap_or(false);
            if !found {
                missing.push(format!("{}/{prefix}{{yaml,json}}", rule.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures:\n{}",
        missing.join("\n")
    );
}
