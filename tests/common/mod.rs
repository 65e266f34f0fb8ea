//! Helpers shared by the integration tests.
#![allow(dead_code)]

use jiff::civil::Date;
use serde_json::Value;
use std::path::Path;
use wabalint::engine::{Engine, FileReport, Options};
use wabalint::render::{self, human, Summary};
use wabalint::rules::{self, RuleSet};
use wabalint::Severity;

/// Fixtures are evaluated as of this day, so date rules give the same result every day.
pub fn fixture_day() -> Date {
    jiff::civil::date(2026, 11, 26)
}

pub fn engine(profile: &str, as_of: Date) -> Engine {
    let set = rules::load_profile(profile).expect("bundled profile loads");
    Engine::new(
        set,
        Options {
            as_of,
            limits: Default::default(),
        },
    )
}

pub fn engine_for(set: RuleSet, as_of: Date) -> Engine {
    Engine::new(
        set,
        Options {
            as_of,
            limits: Default::default(),
        },
    )
}

/// Checks one file with the path as given (relative to the crate root).
pub fn check(engine: &Engine, path: &Path) -> FileReport {
    engine.check_path(path, true)
}

pub fn summary(report: &FileReport) -> Summary {
    let count = |s| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    Summary {
        files: 1,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        skipped: 0,
    }
}

/// The report exactly as `wabalint check` prints it without a terminal.
pub fn human(report: &FileReport) -> String {
    human::render_all(
        &report.diagnostics,
        Some(&summary(report)),
        human::Style {
            color: false,
            width: 100,
        },
    )
}

pub fn json(report: &FileReport) -> String {
    render::json::render(&report.diagnostics, &summary(report))
}

pub fn rule_ids(report: &FileReport) -> Vec<&str> {
    report.diagnostics.iter().map(|d| d.rule.as_str()).collect()
}

// Helpers over the `--format json` report.

pub fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"]
        .as_array()
        .expect("`diagnostics` is an array")
}

pub fn rules_of(report: &Value) -> Vec<&str> {
    diagnostics(report)
        .iter()
        .map(|d| d["rule"].as_str().expect("rule is a string"))
        .collect()
}

/// The one diagnostic of `rule` (panics when there is none or more than one).
pub fn only<'a>(report: &'a Value, rule: &str) -> &'a Value {
    let found: Vec<&Value> = diagnostics(report)
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one `{rule}` diagnostic in\n{report:#}"
    );
    found[0]
}

/// (line, column, end_line, end_column) of a diagnostic or label.
pub fn span_of(d: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| {
        d[k].as_u64()
            .unwrap_or_else(|| panic!("`{k}` is not a positive integer in {d:#}"))
    };
    (n("line"), n("column"), n("end_line"), n("end_column"))
}
