//! Helpers shared by the integration tests.
#![allow(dead_code)]

use jiff::civil::Date;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use wabalint::engine::{Engine, FileReport, Options};
use wabalint::render::{self, human, Summary};
use wabalint::rules::{self, RuleSet};
use wabalint::Severity;

/// Every run of the binary is checked as of this day, so date-dependent rules give the same
/// result every day.
pub const AS_OF: &str = "2026-11-26";

/// Fixtures are evaluated as of this day, so date rules give the same result every day.
pub fn fixture_day() -> Date {
    jiff::civil::date(2026, 11, 26)
}

pub fn engine(profile: &str, as_of: Date) -> Engine {
    let set = rules::load_profile(profile).expect("bundled profile loads");
    engine_for(set, as_of)
}

pub fn engine_for(set: RuleSet, as_of: Date) -> Engine {
    Engine::new(set, Options::new(as_of))
}

/// Checks one file with the path as given (relative to the crate root).
pub fn check(engine: &Engine, path: &Path) -> FileReport {
    engine.check_path(&std::sync::Arc::from(path), true)
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
        root: None,
        config: None,
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
    report.diagnostics.iter().map(|d| d.rule()).collect()
}

// Running the binary.

/// The crate root: test data paths are relative to it.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("create a temporary directory")
}

/// Writes `dir/name`, creating its directories.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create directories");
    }
    std::fs::write(&path, contents).expect("write test file");
    path
}

/// A file under `tests/data`.
pub fn read_data(path: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/data").join(path)).expect("test data exists")
}

/// What a user sees after running the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `wabalint` in `dir`, without a terminal, with NO_COLOR set and a wide screen (so long
/// messages are not wrapped), feeding `stdin` if given.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wabalint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wabalint starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wabalint finishes");
    Run {
        code: out.status.code().expect("wabalint exits with a code"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `wabalint` from the crate root.
pub fn run(args: &[&str]) -> Run {
    run_in(root(), args, None)
}

/// The `--format json` report a run printed.
pub fn parse_report(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON report ({e})\n--- stdout ---\n{}\n--- stderr ---\n{}",
            r.stdout, r.stderr
        )
    })
}

/// The severity column of `wabalint rules` for a rule id.
pub fn listed_level(listing: &str, id: &str) -> Option<String> {
    listing.lines().find_map(|line| {
        let mut cols = line.split_whitespace();
        (cols.next() == Some(id)).then(|| cols.next().unwrap_or_default().to_string())
    })
}

/// At most the first 4,000 bytes of `text`, for failure messages about huge outputs.
pub fn clip(text: &str) -> String {
    if text.len() <= 4000 {
        return text.to_string();
    }
    let mut end = 4000;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
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
        "expected exactly one `{rule}` diagnostic in\n{}",
        clip(&format!("{report:#}"))
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
