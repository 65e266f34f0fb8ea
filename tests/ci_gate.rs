//! The CI-gate surface: configuration, suppressions, selection, exit-code flags, output formats.

mod common;

use common::{run_in, tempdir, write};

const TRAILING: &str = "name: order_update\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Hi {{1}}, your order has shipped and arrives on {{2}}\"\n    example:\n      body_text: [[\"Ana\", \"Friday\"]]\n";
const CLEAN: &str = "name: order_ready\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Hi {{1}}, your order is ready for pickup today. See you soon!\"\n    example:\n      body_text: [[\"Ana\"]]\n";
const EXPORT: &str = r#"{"data": [{"id": "1", "status": "APPROVED", "name": "late_note", "language": "en_US", "category": "UTILITY",
  "components": [{"type": "BODY", "text": "Your parcel arrives between {{1}} and {{2}}", "example": {"body_text": [["9:00", "11:00"]]}}]}]}"#;

fn lines(text: &str, needle: &str) -> usize {
    text.lines().filter(|l| l.contains(needle)).count()
}

#[test]
fn config_is_discovered_from_a_parent_directory() {
    let dir = tempdir();
    // A repository: discovery goes up to its root.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        "wabalint.yaml",
        "as_of: 2026-11-26\nseverity:\n  template/body-trailing-placeholder: warning\n",
    );
    write(dir.path(), "sub/t.yaml", TRAILING);
    let r = run_in(
        &dir.path().join("sub"),
        &["check", "--format", "concise", "t.yaml"],
        None,
    );
    assert_eq!(
        r.code, 0,
        "the error became a warning: {}{}",
        r.stdout, r.stderr
    );
    assert!(
        r.stdout
            .contains("t.yaml:6:60: warning template/body-trailing-placeholder"),
        "{}",
        r.stdout
    );
    let r = run_in(
        &dir.path().join("sub"),
        &["check", "--no-config", "--as-of", "2026-11-26", "t.yaml"],
        None,
    );
    assert_eq!(r.code, 1, "without the config it is an error again");
}

#[test]
fn a_broken_config_exits_2_with_a_diagnostic_into_it() {
    let dir = tempdir();
    write(dir.path(), ".wabalint.yaml", "profile: genesys\nexcludes: [\"legacy/**\"]\nseverity:\n  template/body-traling-placeholder: off\n");
    write(dir.path(), "t.yaml", CLEAN);
    let r = run_in(dir.path(), &["check", "t.yaml"], None);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("config/invalid"), "{}", r.stderr);
    assert!(r.stderr.contains("unknown key `excludes`"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `exclude`?"), "{}", r.stderr);
    assert!(r.stderr.contains(".wabalint.yaml:2:1"), "{}", r.stderr);

    write(
        dir.path(),
        ".wabalint.yaml",
        "severity:\n  template/body-traling-placeholder: off\n",
    );
    let r = run_in(dir.path(), &["check", "t.yaml"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("there is no rule `template/body-traling-placeholder`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("did you mean `template/body-trailing-placeholder`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn inline_suppressions_need_a_reason_and_stale_ones_are_reported() {
    let dir = tempdir();
    let suppressed = TRAILING.replace(
        "  - type: BODY\n",
        "  - type: BODY\n    # wabalint: ignore[template/body-trailing-placeholder] approved before Meta enforced it\n",
    );
    write(dir.path(), "a.yaml", &suppressed);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            "2026-11-26",
            "--format",
            "concise",
            "a.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "", "the finding on the next line is suppressed");

    let no_reason = TRAILING.replace(
        "{{2}}\"\n",
        "{{2}}\"  # wabalint: ignore[template/body-trailing-placeholder]\n",
    );
    write(dir.path(), "b.yaml", &no_reason);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            "2026-11-26",
            "--format",
            "concise",
            "b.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        lines(&r.stdout, "template/body-trailing-placeholder"),
        2,
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("b.yaml:6:68: error suppression/missing-reason"),
        "{}",
        r.stdout
    );

    let stale = format!(
        "# wabalint: ignore-file[template/body-too-long] kept from an old version\n{CLEAN}"
    );
    write(dir.path(), "c.yaml", &stale);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            "2026-11-26",
            "--format",
            "concise",
            "c.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("c.yaml:1:1: warning suppression/unused"),
        "{}",
        r.stdout
    );
}

#[test]
fn json_is_suppressed_through_the_config_by_pointer() {
    let dir = tempdir();
    write(dir.path(), "exports/waba.json", EXPORT);
    write(
        dir.path(),
        "wabalint.yaml",
        "as_of: 2026-11-26\nignore:\n  - file: exports/*.json\n    pointer: /data/0\n    rule: template/body-trailing-placeholder\n    reason: approved in 2024\n  - file: exports/*.json\n    pointer: /data/9\n    rule: template/body-trailing-placeholder\n    reason: a template that was deleted\n",
    );
    let r = run_in(
        dir.path(),
        &["check", "--format", "concise", "exports"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        !r.stdout.contains("exports/waba.json"),
        "the finding is suppressed: {}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("wabalint.yaml:7:5: warning suppression/unused"),
        "{}",
        r.stdout
    );
}

#[test]
fn per_path_overrides_and_excludes() {
    let dir = tempdir();
    write(dir.path(), "legacy/old.yaml", TRAILING);
    write(dir.path(), "current/new.yaml", TRAILING);
    write(dir.path(), "drafts/draft.yaml", TRAILING);
    write(
        dir.path(),
        "wabalint.yaml",
        "as_of: 2026-11-26\nexclude: [\"drafts/**\"]\noverrides:\n  - files: [\"legacy/**\"]\n    severity: { template/body-trailing-placeholder: info }\n",
    );
    let r = run_in(dir.path(), &["check", "--format", "concise", "."], None);
    assert!(
        r.stdout.contains("current/new.yaml:6:60: error"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("legacy/old.yaml:6:60: info"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("drafts/"),
        "excluded while walking: {}",
        r.stdout
    );
    // Given explicitly, an excluded file is checked unless --force-exclude (pre-commit) is set.
    let r = run_in(
        dir.path(),
        &["check", "--format", "concise", "drafts/draft.yaml"],
        None,
    );
    assert!(r.stdout.contains("drafts/draft.yaml"), "{}", r.stdout);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--force-exclude",
            "drafts/draft.yaml",
        ],
        None,
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn select_ignore_severity_and_fail_on() {
    let dir = tempdir();
    write(
        dir.path(),
        "t.yaml",
        TRAILING.replace("order_update", "Order-Update"),
    );
    let base = [
        "check",
        "--no-config",
        "--as-of",
        "2026-11-26",
        "--format",
        "concise",
        "t.yaml",
    ];
    let r = run_in(dir.path(), &base, None);
    assert_eq!(lines(&r.stdout, "error"), 2, "{}", r.stdout);
    let r = run_in(
        dir.path(),
        &[&base[..], &["--select", "template/name"]].concat(),
        None,
    );
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains("template/name-invalid-characters"));
    let r = run_in(
        dir.path(),
        &[
            &base[..],
            &["--ignore", "template/name-invalid-characters,template/body"],
        ]
        .concat(),
        None,
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    let r = run_in(
        dir.path(),
        &[
            &base[..],
            &[
                "--severity",
                "template/name-invalid-characters=warning",
                "--severity",
                "template/body-trailing-placeholder=off",
            ],
        ]
        .concat(),
        None,
    );
    assert_eq!(r.code, 0, "a warning alone passes: {}", r.stdout);
    let r = run_in(
        dir.path(),
        &[
            &base[..],
            &[
                "--severity",
                "template/name-invalid-characters=warning",
                "--ignore",
                "template/body",
                "--fail-on",
                "warning",
            ],
        ]
        .concat(),
        None,
    );
    assert_eq!(r.code, 1, "--fail-on warning");
    let r = run_in(dir.path(), &[&base[..], &["--exit-zero"]].concat(), None);
    assert_eq!(r.code, 0, "--exit-zero");
    let r = run_in(
        dir.path(),
        &[&base[..], &["--severity", "template/nope=off"]].concat(),
        None,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("there is no rule `template/nope`"),
        "{}",
        r.stderr
    );
}

#[test]
fn quiet_statistics_and_output_files() {
    let dir = tempdir();
    write(dir.path(), "a.yaml", TRAILING);
    write(
        dir.path(),
        "b.yaml",
        TRAILING.replace("order_update", "order_update_b"),
    );
    let base = [
        "check",
        "--no-config",
        "--as-of",
        "2026-11-26",
        "a.yaml",
        "b.yaml",
    ];
    let r = run_in(dir.path(), &[&base[..], &["--quiet"]].concat(), None);
    assert!(!r.stdout.contains("files checked"), "{}", r.stdout);
    assert!(r.stdout.contains("template/body-trailing-placeholder"));
    let r = run_in(dir.path(), &[&base[..], &["--statistics"]].concat(), None);
    assert!(r.stdout.starts_with("     2  error    template/body-trailing-placeholder  Body text ends with a placeholder"), "{}", r.stdout);
    let r = run_in(
        dir.path(),
        &[
            &base[..],
            &[
                "--output",
                "out/report.sarif",
                "--output",
                "junit:out/report.xml",
            ],
        ]
        .concat(),
        None,
    );
    assert_eq!(r.code, 2, "the output directory does not exist");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let r = run_in(
        dir.path(),
        &[
            &base[..],
            &[
                "--format",
                "json",
                "--output",
                "out/report.sarif",
                "--output",
                "junit:out/report.xml",
            ],
        ]
        .concat(),
        None,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("{\n  \"diagnostics\""),
        "stdout keeps the --format report"
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/report.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
    let junit = std::fs::read_to_string(dir.path().join("out/report.xml")).unwrap();
    assert!(
        junit.contains(
            "<testcase name=\"template/body-trailing-placeholder\" classname=\"a.yaml\">"
        ),
        "{junit}"
    );
}

#[test]
fn sarif_has_what_github_code_scanning_requires() {
    let dir = tempdir();
    write(dir.path(), "templates/a.yaml", TRAILING);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            "2026-11-26",
            "--format",
            "sarif",
            "templates",
        ],
        None,
    );
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"]
        .as_str()
        .unwrap()
        .contains("sarif-schema-2.1.0.json"));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() > 50, "every rule is described");
    let result = &run["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], result["ruleId"]);
    for key in [
        "shortDescription",
        "fullDescription",
        "help",
        "helpUri",
        "defaultConfiguration",
    ] {
        assert!(!rules[index][key].is_null(), "{key}");
    }
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "templates/a.yaml");
    assert_eq!(location["region"]["startLine"], 6);
    assert_eq!(location["region"]["startColumn"], 60);
    assert_eq!(location["region"]["endColumn"], 65);
    let fingerprint = result["partialFingerprints"]["wabalint/v1"]
        .as_str()
        .unwrap()
        .to_string();
    // The fingerprint does not depend on the line: a line inserted above keeps it.
    write(
        dir.path(),
        "templates/a.yaml",
        format!("# a comment\n{TRAILING}"),
    );
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            "2026-11-26",
            "--format",
            "sarif",
            "templates",
        ],
        None,
    );
    let again: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        again["runs"][0]["results"][0]["partialFingerprints"]["wabalint/v1"],
        fingerprint.as_str()
    );
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", TRAILING);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            "2026-11-26",
            "--format",
            "github",
            "t.yaml",
        ],
        None,
    );
    let line = r.stdout.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=t.yaml,line=6,col=60,endLine=6,endColumn=65,title=template/body-trailing-placeholder::the body ends with {{2}}%0Ahelp: "),
        "{line}"
    );
}

/// Exported records are Meta's state: on an approved record the errors of review rules are
/// warnings that say so (unless `exported_records: error`); a rejected record is checked like a
/// create request; a `status` without Meta's `id` changes nothing.
#[test]
fn exported_records_are_judged_by_their_status() {
    let dir = tempdir();
    let record = |id: &str, status: &str, name: &str| {
        format!(
            r#"{{"id": "{id}", "status": "{status}", "name": "{name}", "language": "en_US", "category": "AUTHENTICATION",
          "components": [{{"type": "BODY", "text": "Your code is {{{{1}}}}.", "example": {{"body_text": [["123456"]]}}}}]}}"#
        )
    };
    write(
        dir.path(),
        "export.json",
        format!(
            "{{\"data\": [{}, {}]}}",
            record("1", "APPROVED", "login_code"),
            record("2", "REJECTED", "login_code_v2")
        ),
    );
    write(
        dir.path(),
        "create.json",
        r#"{"status": "APPROVED", "name": "late_note", "language": "en_US", "category": "UTILITY",
          "components": [{"type": "BODY", "text": "Your parcel arrives between {{1}} and {{2}}", "example": {"body_text": [["9:00", "11:00"]]}}]}"#,
    );
    let args = [
        "check",
        "--no-config",
        "--profile",
        "meta",
        "--as-of",
        "2026-11-26",
        "--format",
        "concise",
    ];
    let r = run_in(
        dir.path(),
        &[&args[..], &["export.json", "create.json"]].concat(),
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    let line_of = |file: &str, rule: &str| {
        r.stdout
            .lines()
            .find(|l| l.starts_with(file) && l.contains(rule))
            .map(str::to_string)
    };
    // The approved record (line 1 of the export) breaks no creation rule; the rejected one
    // (its text was never replaced by Meta's) does, as an error.
    assert!(
        r.stdout
            .contains("error template/authentication-custom-text"),
        "{}",
        r.stdout
    );
    assert_eq!(
        lines(&r.stdout, "template/authentication-custom-text"),
        1,
        "{}",
        r.stdout
    );
    // The status alone on a create request changes nothing: trailing placeholder is an error.
    let create = line_of("create.json", "template/body-trailing-placeholder").expect("checked");
    assert!(create.contains(": error "), "{create}");

    write(dir.path(), "old.json", EXPORT);
    let r = run_in(dir.path(), &[&args[..], &["old.json"]].concat(), None);
    assert_eq!(
        r.code, 0,
        "an approved record's old fault is a warning: {}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("warning template/body-trailing-placeholder"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Meta accepted it"), "{}", r.stdout);
    write(dir.path(), "wabalint.yaml", "exported_records: error\n");
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--profile",
            "meta",
            "--as-of",
            "2026-11-26",
            "--format",
            "concise",
            "old.json",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("error template/body-trailing-placeholder"),
        "{}",
        r.stdout
    );
}
