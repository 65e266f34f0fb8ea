//! The command line as a user meets it: exit codes, broken rule files, the `--format json`
//! contract with exact positions, stdin, directory walks, dated limits, human output, and the
//! `rules` / `explain` commands. Every test runs the real binary.
//!
//! Test data lives in `tests/data/`; files that must be byte-exact (CRLF, BOM) or that need a
//! directory of their own are written into temporary directories.

mod common;

use common::{
    diagnostics, listed_level, only, parse_report, read_data, root, rules_of, run, run_in, span_of,
    tempdir, write, Run, AS_OF,
};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Checks across files and the density heuristic are tested elsewhere; these tests look at
/// positions, walking and exit codes of one rule at a time.
const UNRELATED: &str = "template/duplicate-name-and-language,campaign/template-not-in-run,campaign/account-not-in-run,template/placeholder-density";

/// `wabalint check <paths> --as-of 2026-11-26 --format json --no-config --ignore <UNRELATED>
/// <extra>`, run in `dir` (`extra` may give another `--as-of`).
fn check_json_in(dir: &Path, paths: &[&str], extra: &[&str]) -> (Run, Value) {
    let mut args = vec!["check", "--no-config", "--ignore", UNRELATED];
    args.extend_from_slice(paths);
    if !extra.contains(&"--as-of") {
        args.extend_from_slice(&["--as-of", AS_OF]);
    }
    args.extend_from_slice(&["--format", "json"]);
    args.extend_from_slice(extra);
    let r = run_in(dir, &args, None);
    let report = parse_report(&r);
    (r, report)
}

fn check_json(paths: &[&str]) -> (Run, Value) {
    check_json_in(root(), paths, &[])
}

fn summary_of(report: &Value) -> (u64, u64, u64) {
    let s = &report["summary"];
    (
        s["files"].as_u64().expect("summary.files"),
        s["errors"].as_u64().expect("summary.errors"),
        s["warnings"].as_u64().expect("summary.warnings"),
    )
}

fn data(path: &str) -> String {
    format!("tests/data/{path}")
}

const ESC: &str = "\x1b[";

// ------------------------------------------------------------------------------- exit codes

#[test]
fn clean_template_exits_0_with_nothing_to_report() {
    let r = run(&["check", &data("templates/clean.yaml"), "--as-of", AS_OF]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(
        r.stdout,
        "1 file checked: 0 errors, 0 warnings, 0 infos\nproject root `.`, no configuration\n"
    );
    assert_eq!(r.stderr, "");
}

#[test]
fn errors_exit_1() {
    let (r, report) = check_json(&[&data("templates/trailing-placeholder.yaml")]);
    assert_eq!(r.code, 1, "{r:#?}");
    assert_eq!(rules_of(&report), ["template/body-trailing-placeholder"]);
    assert_eq!(summary_of(&report), (1, 1, 0));
}

#[test]
fn warnings_alone_exit_0() {
    let (r, report) = check_json(&[&data("templates/warning-only.yaml")]);
    assert_eq!(r.code, 0, "{r:#?}");
    let d = only(&report, "template/body-trailing-placeholder-punctuation");
    assert_eq!(d["severity"], "warning");
    assert_eq!(summary_of(&report), (1, 0, 1));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let r = run(&[
        "check",
        &data("templates/clean.yaml"),
        "--as-of",
        AS_OF,
        "--bogus",
    ]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("--bogus"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let r = run(&["chekc", &data("templates/clean.yaml")]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("chekc"), "{}", r.stderr);
}

#[test]
fn bad_as_of_is_a_usage_error() {
    for bad in ["2026-13-45", "2026-02-30", "yesterday", "26.11.2026", ""] {
        let r = run(&["check", &data("templates/clean.yaml"), "--as-of", bad]);
        assert_eq!(r.code, 2, "--as-of {bad:?}: {r:#?}");
        assert!(
            r.stderr.contains("--as-of") && r.stderr.contains("YYYY-MM-DD"),
            "--as-of {bad:?} should explain the expected format: {}",
            r.stderr
        );
        assert_eq!(r.stdout, "", "--as-of {bad:?}: nothing is checked");
    }
}

#[test]
fn help_and_version_exit_0() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stdout.contains("check"), "{}", r.stdout);
    let r = run(&["--version"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.starts_with("wabalint "),
        "--version prints the name: {}",
        r.stdout
    );
}

#[test]
fn unknown_profile_exits_2_with_a_suggestion() {
    let r = run(&[
        "check",
        &data("templates/clean.yaml"),
        "--as-of",
        AS_OF,
        "--profile",
        "metta",
    ]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert_eq!(r.stdout, "", "nothing was checked");
    assert!(
        r.stderr.contains("invalid value 'metta' for '--profile"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("a similar value exists: 'meta'"),
        "{}",
        r.stderr
    );

    // Nothing close: the bundled profiles are listed instead.
    let r = run(&["rules", "--profile", "nope"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(
        r.stderr.contains("[possible values: meta, genesys]"),
        "{}",
        r.stderr
    );
}

// ------------------------------------------------------------------------ broken rule files

/// A broken rule file stops the run before anything is checked: exit 2, no report on stdout,
/// and a diagnostic on stderr with the rule file's path, line and column and the problem.
#[track_caller]
fn assert_broken_rules(file: &str, code: &str, line: u32, column: u32, needles: &[&str]) {
    let path = data(file);
    for format in ["human", "json"] {
        let r = run(&[
            "check",
            &data("templates/clean.yaml"),
            "--as-of",
            AS_OF,
            "--rules",
            &path,
            "--format",
            format,
        ]);
        assert_eq!(r.code, 2, "{file} ({format}): {r:#?}");
        assert_eq!(
            r.stdout, "",
            "{file} ({format}): no report, nothing was checked"
        );
        assert!(
            r.stderr.contains(code),
            "{file}: no `{code}` in\n{}",
            r.stderr
        );
        let at = format!("{path}:{line}:{column}");
        assert!(r.stderr.contains(&at), "{file}: no `{at}` in\n{}", r.stderr);
        for needle in needles {
            assert!(
                r.stderr.contains(needle),
                "{file}: no `{needle}` in\n{}",
                r.stderr
            );
        }
        assert!(
            r.stderr
                .contains("error: the rule set is invalid (1 problem); nothing was checked"),
            "{file}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains(ESC), "{file}: colour on stderr");
    }
    // The other commands refuse the file the same way.
    for command in [
        vec!["rules", "--rules", &path],
        vec!["explain", "template/name-length", "--rules", &path],
    ] {
        let r = run(&command);
        assert_eq!(r.code, 2, "{command:?}: {r:#?}");
        assert_eq!(r.stdout, "", "{command:?}");
        assert!(r.stderr.contains(&format!("{path}:{line}:{column}")));
    }
}

#[test]
fn rule_file_with_invalid_yaml() {
    assert_broken_rules(
        "rules/broken/invalid-yaml.yaml",
        "ruleset/syntax",
        4,
        25,
        &["the rule file is not valid YAML", "unclosed bracket"],
    );
}

#[test]
fn rule_file_with_unknown_top_level_key() {
    assert_broken_rules(
        "rules/broken/unknown-top-level-key.yaml",
        "ruleset/invalid",
        3,
        1,
        &["unknown key `override`", "did you mean `overrides`?"],
    );
}

#[test]
fn rule_file_with_unknown_function() {
    assert_broken_rules(
        "rules/broken/unknown-function.yaml",
        "ruleset/unknown-function",
        8,
        24,
        &["unknown function `lenght`", "did you mean `length`?"],
    );
}

#[test]
fn rule_file_with_option_of_wrong_type() {
    assert_broken_rules(
        "rules/broken/option-wrong-type.yaml",
        "ruleset/invalid-option",
        8,
        37,
        &["invalid type", "\"ten\""],
    );
}

#[test]
fn rule_file_with_unknown_option() {
    assert_broken_rules(
        "rules/broken/unknown-option.yaml",
        "ruleset/invalid-option",
        10,
        7,
        &["unknown field `maximum`", "`min` or `max`"],
    );
}

#[test]
fn rule_file_with_invalid_regex() {
    assert_broken_rules(
        "rules/broken/invalid-regex.yaml",
        "ruleset/invalid-option",
        10,
        14,
        &["invalid regular expression", "unclosed group"],
    );
}

#[test]
fn rule_file_overriding_an_unknown_rule() {
    assert_broken_rules(
        "rules/broken/unknown-override.yaml",
        "ruleset/unknown-rule",
        5,
        3,
        &[
            "there is no rule `template/body-trailing-placeholdr` to override",
            "did you mean `template/body-trailing-placeholder`?",
        ],
    );
}

#[test]
fn rule_file_extending_a_missing_file() {
    assert_broken_rules(
        "rules/broken/extends-missing.yaml",
        "ruleset/extends",
        2,
        10,
        &["cannot read rule file", "no-such-rules.yaml"],
    );
}

#[test]
fn rule_files_extending_each_other_form_a_cycle() {
    let dir = tempdir();
    write(
        dir.path(),
        "team.yaml",
        "ruleset: team\nextends: [meta, shared.yaml]\n",
    );
    write(
        dir.path(),
        "shared.yaml",
        "ruleset: shared\n# shared rules\nextends: team.yaml\n",
    );
    write(dir.path(), "t.yaml", read_data("templates/clean.yaml"));
    let r = run_in(
        dir.path(),
        &["check", "t.yaml", "--as-of", AS_OF, "--rules", "team.yaml"],
        None,
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert_eq!(r.stdout, "", "nothing was checked");
    assert!(r.stderr.contains("ruleset/extends"), "{}", r.stderr);
    assert!(r.stderr.contains("`extends` forms a cycle"), "{}", r.stderr);
    // The cycle is reported where it closes: `extends: team.yaml` in shared.yaml.
    assert!(r.stderr.contains("shared.yaml:3:10"), "{}", r.stderr);
    assert!(r.stderr.contains("team.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was checked"), "{}", r.stderr);

    // A file extending itself is the shortest cycle.
    write(dir.path(), "self.yaml", "extends: ./self.yaml\n");
    let r = run_in(
        dir.path(),
        &["check", "t.yaml", "--as-of", AS_OF, "--rules", "self.yaml"],
        None,
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("forms a cycle"), "{}", r.stderr);
    assert!(r.stderr.contains("self.yaml:1:10"), "{}", r.stderr);
}

#[test]
fn missing_rule_file_exits_2() {
    let r = run(&[
        "check",
        &data("templates/clean.yaml"),
        "--as-of",
        AS_OF,
        "--rules",
        "tests/data/rules/does-not-exist.yaml",
    ]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("cannot read rule file `tests/data/rules/does-not-exist.yaml`"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_problem_of_a_rule_file_is_reported_at_once() {
    let dir = tempdir();
    write(
        dir.path(),
        "two.yaml",
        "extends: meta\noverrides:\n  template/name-lenght: warning\n  template/body-missin: off\n",
    );
    write(dir.path(), "t.yaml", read_data("templates/clean.yaml"));
    let r = run_in(
        dir.path(),
        &["check", "t.yaml", "--as-of", AS_OF, "--rules", "two.yaml"],
        None,
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("two.yaml:3:3"), "{}", r.stderr);
    assert!(r.stderr.contains("two.yaml:4:3"), "{}", r.stderr);
    assert!(
        r.stderr.contains("(2 problems); nothing was checked"),
        "{}",
        r.stderr
    );
}

// ------------------------------------------------------------------- the JSON report contract

fn is_rfc6901_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    if !p.starts_with('/') {
        return false;
    }
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

#[test]
fn json_report_has_the_documented_shape() {
    let (r, report) = check_json(&[
        &data("templates/trailing-placeholder.yaml"),
        &data("templates/multibyte-name.json"),
        &data("templates/warning-only.yaml"),
        &data("templates/alias.yaml"),
    ]);
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(report.is_object());
    let diags = diagnostics(&report);
    assert!(diags.len() >= 4, "{report:#}");
    for d in diags {
        for key in ["rule", "message", "file", "pointer"] {
            assert!(d[key].is_string(), "`{key}` is a string in {d:#}");
        }
        let severity = d["severity"].as_str().expect("severity");
        assert!(
            ["error", "warning", "info"].contains(&severity),
            "severity {severity}"
        );
        assert!(
            d["help"].is_string() || d["help"].is_null(),
            "help is a string or null: {d:#}"
        );
        let pointer = d["pointer"].as_str().unwrap();
        assert!(
            is_rfc6901_pointer(pointer),
            "`{pointer}` is not an RFC 6901 pointer"
        );
        let (line, column, end_line, end_column) = span_of(d);
        assert!(line >= 1 && column >= 1, "1-based: {d:#}");
        assert!(
            (end_line, end_column) >= (line, column),
            "the end is not before the start: {d:#}"
        );
        assert!(d["related"].is_array(), "related is a list: {d:#}");
    }
    let count = |s: &str| diags.iter().filter(|d| d["severity"] == s).count() as u64;
    assert_eq!(
        summary_of(&report),
        (4, count("error"), count("warning")),
        "the summary counts what the report lists"
    );
    // Files sorted by path, whatever the order they were given in; each file's diagnostics by
    // position.
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    let order = [
        "alias.yaml",
        "multibyte-name.json",
        "trailing-placeholder.yaml",
        "warning-only.yaml",
    ];
    let rank = |f: &str| order.iter().position(|o| f.ends_with(o)).unwrap();
    assert!(
        files.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{files:?}"
    );
    for w in diags.windows(2).filter(|w| w[0]["file"] == w[1]["file"]) {
        let pos = |d: &serde_json::Value| (d["line"].as_u64(), d["column"].as_u64());
        assert!(pos(&w[0]) <= pos(&w[1]), "{w:?}");
    }
}

#[test]
fn json_pointer_addresses_the_offending_node() {
    let (_, report) = check_json(&[&data("templates/trailing-placeholder.json")]);
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(d["pointer"], "/components/0/text");
    let source: Value =
        serde_json::from_slice(&read_data("templates/trailing-placeholder.json")).unwrap();
    let pointer = d["pointer"].as_str().unwrap();
    assert_eq!(
        source.pointer(pointer),
        Some(&Value::from("Hi {{1}}, your order is {{2}}"))
    );
}

#[test]
fn position_in_a_yaml_file() {
    let (_, report) = check_json(&[&data("templates/trailing-placeholder.yaml")]);
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(d["file"], data("templates/trailing-placeholder.yaml"));
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "the body ends with {{2}}");
    assert_eq!(d["pointer"], "/components/0/text");
    // `    text: "Hi {{1}}, your order is {{2}}"`: the `{{2}}` itself.
    assert_eq!(span_of(d), (6, 36, 6, 41));
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("Add fixed text after the last placeholder"),
        "{d:#}"
    );
}

#[test]
fn position_in_a_json_file() {
    let (_, report) = check_json(&[&data("templates/trailing-placeholder.json")]);
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(d["file"], data("templates/trailing-placeholder.json"));
    assert_eq!(span_of(d), (6, 56, 6, 61));
}

#[test]
fn positions_in_files_with_crlf_line_endings() {
    let dir = tempdir();
    let crlf = |bytes: Vec<u8>| {
        String::from_utf8(bytes)
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes()
    };
    let yaml = crlf(read_data("templates/trailing-placeholder.yaml"));
    assert!(yaml.windows(2).any(|w| w == b"\r\n"));
    write(dir.path(), "crlf.yaml", yaml);
    write(
        dir.path(),
        "crlf.json",
        crlf(read_data("templates/trailing-placeholder.json")),
    );
    let (r, report) = check_json_in(dir.path(), &["crlf.json", "crlf.yaml"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), 2, "{report:#}");
    assert_eq!(diags[0]["file"], "crlf.json");
    assert_eq!(span_of(&diags[0]), (6, 56, 6, 61));
    assert_eq!(diags[1]["file"], "crlf.yaml");
    assert_eq!(diags[1]["rule"], "template/body-trailing-placeholder");
    assert_eq!(span_of(&diags[1]), (6, 36, 6, 41));
}

#[test]
fn positions_in_files_with_a_byte_order_mark() {
    let dir = tempdir();
    let bom = |text: &str| [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat();
    // The BOM is not a column: the name on line 1 starts at column 7 / 10 as without it.
    write(
        dir.path(),
        "bom.yaml",
        bom("name: Order-Update\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Your order has shipped.\"\n"),
    );
    write(
        dir.path(),
        "bom.json",
        bom("{\"name\": \"Order-Update\", \"language\": \"en_US\", \"category\": \"UTILITY\", \"components\": [{\"type\": \"BODY\", \"text\": \"Your order has shipped.\"}]}\n"),
    );
    // A BOM and CRLF together, with the finding on a later line.
    let mut text = String::from_utf8(read_data("templates/trailing-placeholder.yaml")).unwrap();
    text = text.replace('\n', "\r\n");
    write(dir.path(), "bom-crlf.yaml", bom(&text));

    let (r, report) = check_json_in(dir.path(), &["bom.yaml", "bom.json", "bom-crlf.yaml"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let by_file = |name: &str| {
        diagnostics(&report)
            .iter()
            .find(|d| d["file"] == name)
            .unwrap_or_else(|| panic!("no diagnostic for {name} in {report:#}"))
    };
    let d = by_file("bom.yaml");
    assert_eq!(d["rule"], "template/name-invalid-characters");
    assert_eq!(d["pointer"], "/name");
    assert_eq!(span_of(d), (1, 7, 1, 19));
    let d = by_file("bom.json");
    assert_eq!(d["rule"], "template/name-invalid-characters");
    assert_eq!(span_of(d), (1, 10, 1, 24));
    let d = by_file("bom-crlf.yaml");
    assert_eq!(d["rule"], "template/body-trailing-placeholder");
    assert_eq!(span_of(d), (6, 36, 6, 41));
}

#[test]
fn value_through_an_alias_points_at_the_alias_and_relates_the_anchor() {
    let (_, report) = check_json(&[&data("templates/alias.yaml")]);
    let diags = diagnostics(&report);
    assert_eq!(
        rules_of(&report),
        [
            "template/language-unsupported",
            "template/language-unsupported"
        ]
    );
    // The anchored value itself: no related place.
    assert_eq!(diags[0]["pointer"], "/0/language");
    assert_eq!(span_of(&diags[0]), (3, 19, 3, 24));
    assert_eq!(diags[0]["related"], serde_json::json!([]));
    // The second template uses `language: *lang` on line 9.
    assert_eq!(diags[1]["pointer"], "/1/language");
    assert_eq!(span_of(&diags[1]), (9, 13, 9, 18));
    let related = diags[1]["related"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{:#}", diags[1]);
    assert!(
        related[0]["message"]
            .as_str()
            .unwrap()
            .contains("defined here"),
        "{:#}",
        related[0]
    );
    assert_eq!(related[0]["file"], data("templates/alias.yaml"));
    assert_eq!(span_of(&related[0]), (3, 19, 3, 24));
}

#[test]
fn value_through_a_merge_key_points_at_the_merge_and_relates_the_definition() {
    let (_, report) = check_json(&[&data("templates/merge-key.yaml")]);
    let diags = diagnostics(&report);
    assert_eq!(
        rules_of(&report),
        [
            "template/body-trailing-placeholder",
            "template/body-trailing-placeholder"
        ]
    );
    assert_eq!(diags[0]["pointer"], "/0/components/0/text");
    assert_eq!(span_of(&diags[0]), (8, 38, 8, 43));
    // `- <<: *base` on line 10: the second template gets its body through the merge.
    assert_eq!(diags[1]["pointer"], "/1/components/0/text");
    let (line, column, _, _) = span_of(&diags[1]);
    assert_eq!((line, column), (10, 7), "points at `*base`: {:#}", diags[1]);
    let related = diags[1]["related"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{:#}", diags[1]);
    assert!(related[0]["message"]
        .as_str()
        .unwrap()
        .contains("defined here"));
    let (line, column, _, _) = span_of(&related[0]);
    assert_eq!(line, 8, "the text is defined on line 8: {:#}", related[0]);
    assert!(column <= 38, "{:#}", related[0]);
}

#[test]
fn columns_count_characters_not_bytes() {
    // `    text: "Grüße 👋 {{1}}, Ihre Bestellung ist unterwegs: {{2}}"`
    let (_, report) = check_json(&[&data("templates/multibyte.yaml")]);
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(span_of(d), (7, 58, 7, 63));

    // `{ "category": "UTILITY", "language": "de", "name": "größe_👋", …`
    let (_, report) = check_json(&[&data("templates/multibyte-name.json")]);
    let d = only(&report, "template/name-invalid-characters");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("`größe_👋`"), "{message}");
    assert_eq!(span_of(d), (1, 52, 1, 61));
}

#[test]
fn columns_count_escapes_as_written() {
    // `\u00fc`, `\ud83d\udc4b` and `''` are several characters in the file but one in the value;
    // the column is where `{{2}}` stands in the file.
    let (_, report) = check_json(&[&data("templates/escapes.json")]);
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(span_of(d), (1, 137, 1, 142));

    let (_, report) = check_json(&[&data("templates/escapes.yaml")]);
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), 2, "{report:#}");
    assert_eq!(diags[0]["pointer"], "/0/components/0/text");
    assert_eq!(span_of(&diags[0]), (7, 31, 7, 36));
    assert_eq!(diags[1]["pointer"], "/1/components/0/text");
    assert_eq!(span_of(&diags[1]), (14, 46, 14, 51));
}

// ---------------------------------------------------------------------------------- stdin

#[test]
fn stdin_is_reported_under_the_stdin_filename() {
    let input = read_data("templates/trailing-placeholder.json");
    let r = run_in(
        root(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "templates/x.json",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
        Some(&input),
    );
    assert_eq!(r.code, 1, "{r:#?}");
    let report = parse_report(&r);
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(d["file"], "templates/x.json");
    assert_eq!(span_of(d), (6, 56, 6, 61));

    let r = run_in(
        root(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "templates/x.yaml",
            "--as-of",
            AS_OF,
        ],
        Some(&read_data("templates/clean.yaml")),
    );
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(
        r.stdout,
        "1 file checked: 0 errors, 0 warnings, 0 infos\nproject root `.`, no configuration\n"
    );
}

#[test]
fn stdin_without_a_name_is_called_stdin() {
    let r = run_in(
        root(),
        &["check", "-", "--as-of", AS_OF],
        Some(&read_data("templates/trailing-placeholder.yaml")),
    );
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(r.stdout.contains("<stdin>:6:36"), "{}", r.stdout);
}

#[test]
fn empty_stdin_is_an_error() {
    let r = run_in(
        root(),
        &["check", "-", "--as-of", AS_OF, "--format", "json"],
        Some(b""),
    );
    assert_eq!(r.code, 1, "{r:#?}");
    assert_eq!(rules_of(&parse_report(&r)), ["manifest/empty"]);
}

#[test]
fn stdin_references_resolve_from_the_stdin_filename() {
    let dir = tempdir();
    write(dir.path(), "acme/account.yaml", VERIFIED_ACCOUNT);
    let campaign = campaign("account.yaml", 1500);
    let args = |name: &'static str| {
        vec![
            "check",
            "-",
            "--stdin-filename",
            name,
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
            "--ignore",
            UNRELATED,
        ]
    };
    let r = run_in(dir.path(), &args("acme/x.yaml"), Some(campaign.as_bytes()));
    assert_eq!(r.code, 1, "{r:#?}");
    let report = parse_report(&r);
    assert_eq!(rules_of(&report), ["campaign/messaging-limit-exceeded"]);
    assert_eq!(diagnostics(&report)[0]["file"], "acme/x.yaml");

    // Named in another directory, the account is not found.
    let r = run_in(dir.path(), &args("x.yaml"), Some(campaign.as_bytes()));
    assert_eq!(r.code, 1, "{r:#?}");
    assert_eq!(rules_of(&parse_report(&r)), ["manifest/missing-reference"]);
}

// ----------------------------------------------------------------------------- directories

fn manifest_tree(dir: &Path) {
    let bad = read_data("templates/trailing-placeholder.yaml");
    write(dir, "tree/c.yaml", &bad);
    write(
        dir,
        "tree/a/one.json",
        read_data("templates/trailing-placeholder.json"),
    );
    write(dir, "tree/b/sub/two.yml", &bad);
    write(dir, "tree/b/clean.yaml", read_data("templates/clean.yaml"));
    // Skipped: hidden directories and files, .gitignore'd paths, other extensions.
    write(dir, "tree/.hidden/h.yaml", &bad);
    write(dir, "tree/b/.secret.yaml", &bad);
    write(dir, "tree/generated/g.yaml", &bad);
    write(dir, "tree/b/scratch.yaml", &bad);
    write(dir, "tree/notes.txt", &bad);
    write(dir, "tree/template.yaml.bak", &bad);
    write(dir, "tree/README.md", "# templates\n");
    write(dir, "tree/.gitignore", "generated/\nscratch.yaml\n");
}

#[test]
fn directories_are_walked_recursively_skipping_hidden_and_ignored_paths() {
    let dir = tempdir();
    manifest_tree(dir.path());
    // The walk must honour .gitignore without a git repository around it.
    assert!(!dir.path().join(".git").exists());
    let (r, report) = check_json_in(dir.path(), &["tree"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let files: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["tree/a/one.json", "tree/b/sub/two.yml", "tree/c.yaml"],
        "{report:#}"
    );
    // clean.yaml was checked too; it has nothing to report. The hidden and ignored manifests
    // are counted as skipped (notes.txt and the rest are not manifests by their names).
    assert_eq!(summary_of(&report), (4, 3, 0));
    assert_eq!(report["summary"]["skipped"], 4, "{report:#}");
}

#[test]
fn directory_output_is_stable() {
    let dir = tempdir();
    manifest_tree(dir.path());
    let args = ["check", "tree", "--as-of", AS_OF, "--ignore", UNRELATED];
    let first = run_in(dir.path(), &args, None);
    assert_eq!(first.code, 1);
    let headers: Vec<&str> = first
        .stdout
        .lines()
        .filter_map(|l| l.split_once("╭─[").map(|(_, rest)| rest))
        .collect();
    assert_eq!(
        headers,
        [
            "tree/a/one.json:6:56]",
            "tree/b/sub/two.yml:6:36]",
            "tree/c.yaml:6:36]"
        ],
        "{}",
        first.stdout
    );
    assert!(first
        .stdout
        .ends_with("4 files checked: 3 errors, 0 warnings, 0 infos; 4 skipped\nproject root `.`, no configuration\n"));
    for _ in 0..3 {
        let again = run_in(dir.path(), &args, None);
        assert_eq!(again.stdout, first.stdout);
    }
}

#[test]
fn the_current_directory_is_checked_by_default() {
    let dir = tempdir();
    manifest_tree(dir.path());
    // A repository: its root's ignore files count for a run in a directory below it.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let r = run_in(
        &dir.path().join("tree/b"),
        &[
            "check", "--as-of", AS_OF, "--format", "json", "--ignore", UNRELATED,
        ],
        None,
    );
    assert_eq!(r.code, 1, "{r:#?}");
    let report = parse_report(&r);
    let files: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    // scratch.yaml is ignored by the parent directory's .gitignore.
    assert_eq!(files.len(), 1, "{report:#}");
    assert!(files[0].ends_with("sub/two.yml"), "{files:?}");
}

#[test]
fn a_missing_path_is_reported_as_unreadable() {
    let (r, report) = check_json(&["tests/data/no/such/file.yaml"]);
    // A path that does not exist means wabalint cannot run as asked: exit 2.
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(
        r.stderr
            .contains("`tests/data/no/such/file.yaml` does not exist"),
        "{}",
        r.stderr
    );
    let d = only(&report, "manifest/unreadable");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "tests/data/no/such/file.yaml");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("cannot read `tests/data/no/such/file.yaml`"),
        "{d:#}"
    );
    assert_eq!(summary_of(&report), (1, 1, 0));

    // The other paths are still checked and reported; the run still exits 2.
    let (r, report) = check_json(&[
        "tests/data/no/such/file.yaml",
        &data("templates/trailing-placeholder.yaml"),
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(
        rules_of(&report),
        ["manifest/unreadable", "template/body-trailing-placeholder"],
        "in the order the paths were given"
    );
}

// ------------------------------------------------------------------------- phone numbers

#[test]
fn phone_number_written_as_a_bare_yaml_integer_must_be_quoted() {
    for (file, end_column) in [
        ("phone/plus-integer.yaml", 20),
        ("phone/leading-zeros-integer.yaml", 22),
    ] {
        let (r, report) = check_json(&[&data(file)]);
        assert_eq!(r.code, 1, "{file}: {r:#?}");
        let d = only(&report, "manifest/wrong-type");
        assert_eq!(d["pointer"], "/number", "{file}");
        assert_eq!(span_of(d), (2, 9, 2, end_column), "{file}");
        let message = d["message"].as_str().unwrap();
        assert!(
            message.starts_with("`number` must be a string, found a number"),
            "{file}: {message}"
        );
        let help = d["help"].as_str().unwrap_or_default();
        assert!(help.contains("quotes"), "{file}: help {help:?}");
    }
    let (r, report) = check_json(&[&data("phone/quoted.yaml")]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(!rules_of(&report).contains(&"manifest/wrong-type"));
}

// ---------------------------------------------------------------- campaigns and dated limits

const VERIFIED_ACCOUNT: &str = "\
kind: account
business:
  name: Acme GmbH
  portfolio_owner: brand
  verification:
    status: verified
waba:
  id: \"102290129340398\"
  partners: [genesys]
  payment_method: genesys
";

const PENDING_ACCOUNT: &str = "\
kind: account
business:
  name: Acme GmbH
  portfolio_owner: brand
  verification:
    status: pending
    trial_started: 2026-11-20
waba:
  id: \"102290129340398\"
  partners: [genesys]
  payment_method: genesys
";

fn campaign(account: &str, recipients: u32) -> String {
    format!(
        "kind: campaign\naccount: {account}\ntemplate: {{ name: order_update, language: en_US }}\nrecipients_per_day: {recipients}\nstart: 2026-12-01\n"
    )
}

/// Whether `text` names `n`, grouped (`2,000`) or not (`2000`).
fn names_number(text: &str, n: u32) -> bool {
    let plain = n.to_string();
    let grouped = if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        plain.clone()
    };
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_digit() || c == ','))
        .map(|w| w.trim_matches(','))
        .collect();
    words.contains(&plain.as_str()) || words.contains(&grouped.as_str())
}

fn campaign_dir(account: &str, recipients: u32) -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "account.yaml", account);
    write(
        dir.path(),
        "campaign.yaml",
        campaign("account.yaml", recipients),
    );
    dir
}

#[test]
fn messaging_limit_of_a_verified_business_depends_on_the_date() {
    let dir = campaign_dir(VERIFIED_ACCOUNT, 1500);
    // Since 2025-10-07 a verified business starts at 2,000.
    let (r, report) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(rules_of(&report), Vec::<&str>::new());

    // Before, it started at 1,000.
    let (r, report) = check_json_in(dir.path(), &["campaign.yaml"], &["--as-of", "2025-06-01"]);
    assert_eq!(r.code, 1, "{r:#?}");
    let d = only(&report, "campaign/messaging-limit-exceeded");
    assert_eq!(d["pointer"], "/recipients_per_day");
    assert_eq!(span_of(d), (4, 21, 4, 25));
    let message = d["message"].as_str().unwrap();
    assert!(names_number(message, 1000), "names the limit: {message}");
    assert!(names_number(message, 1500), "names the amount: {message}");
    assert!(message.contains("verified"), "names the basis: {message}");
}

#[test]
fn messaging_limit_is_inclusive() {
    let dir = campaign_dir(VERIFIED_ACCOUNT, 2000);
    let (r, _) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 0, "2,000 of 2,000 is allowed: {r:#?}");
    let dir = campaign_dir(VERIFIED_ACCOUNT, 2001);
    let (r, report) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let message = only(&report, "campaign/messaging-limit-exceeded")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(names_number(&message, 2000), "{message}");
}

#[test]
fn messaging_limit_of_an_unverified_business_is_250() {
    let dir = campaign_dir(PENDING_ACCOUNT, 250);
    let (r, _) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 0, "{r:#?}");
    let dir = campaign_dir(PENDING_ACCOUNT, 300);
    let (r, report) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let message = only(&report, "campaign/messaging-limit-exceeded")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(names_number(&message, 250), "{message}");
    assert!(message.contains("pending"), "{message}");
}

#[test]
fn messaging_limit_tier_of_the_account_wins_over_verification() {
    let account = VERIFIED_ACCOUNT.replace(
        "  payment_method: genesys\n",
        "  payment_method: genesys\n  messaging_limit: TIER_10K\n",
    );
    let dir = campaign_dir(&account, 9000);
    let (r, _) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 0, "{r:#?}");
    let dir = campaign_dir(&account, 10_001);
    let (r, report) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let message = only(&report, "campaign/messaging-limit-exceeded")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(names_number(&message, 10_000), "{message}");
    assert!(message.contains("TIER_10K"), "{message}");
}

#[test]
fn campaign_with_a_missing_account() {
    let dir = tempdir();
    write(
        dir.path(),
        "campaign.yaml",
        campaign("accounts/acme.yaml", 10),
    );
    let (r, report) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let d = only(&report, "manifest/missing-reference");
    assert_eq!(d["pointer"], "/account");
    assert_eq!(span_of(d), (2, 10, 2, 28));
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("`accounts/acme.yaml`"), "{message}");
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("relative to the campaign file"), "{help}");
    assert!(help.contains("accounts/acme.yaml"), "{help}");
}

#[test]
fn campaign_whose_account_is_not_an_account() {
    let dir = tempdir();
    write(
        dir.path(),
        "template.yaml",
        read_data("templates/clean.yaml"),
    );
    write(dir.path(), "campaign.yaml", campaign("template.yaml", 10));
    let (r, report) = check_json_in(dir.path(), &["campaign.yaml"], &[]);
    assert_eq!(r.code, 1, "{r:#?}");
    let message = only(&report, "manifest/missing-reference")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("kind: account"), "{message}");
}

// -------------------------------------------------------------------------- human output

#[test]
fn human_output_without_a_terminal_has_no_colour() {
    let r = run(&[
        "check",
        &data("templates/trailing-placeholder.yaml"),
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(r.code, 1, "{r:#?}");
    let out = &r.stdout;
    assert!(!out.contains(ESC), "ANSI escape in\n{out}");
    assert!(
        out.starts_with("template/body-trailing-placeholder\n"),
        "{out}"
    );
    assert!(out.contains("the body ends with {{2}}"), "{out}");
    assert!(
        out.contains("tests/data/templates/trailing-placeholder.yaml:6:36"),
        "{out}"
    );
    assert!(
        out.contains(
            r#"help: Add fixed text after the last placeholder, e.g. "… {{2}}. Thank you!"."#
        ),
        "{out}"
    );
    assert!(
        out.contains("source: Meta for Developers — WhatsApp: Error codes"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "\n1 file checked: 1 error, 0 warnings, 0 infos\nproject root `.`, no configuration\n"
        ),
        "{out}"
    );
}

#[test]
fn colour_follows_the_color_flag() {
    let path = data("templates/trailing-placeholder.yaml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wabalint"));
    let out = cmd
        .args(["check", &path, "--as-of", AS_OF, "--color", "never"])
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(ESC));

    let r = run(&["check", &path, "--as-of", AS_OF, "--color", "always"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains(ESC),
        "--color always colours even without a terminal:\n{}",
        r.stdout
    );
}

#[test]
fn summary_line_counts_files_and_severities() {
    let r = run(&[
        "check",
        &data("templates/trailing-placeholder.yaml"),
        &data("templates/warning-only.yaml"),
        &data("templates/clean.yaml"),
        "--as-of",
        AS_OF,
        "--ignore",
        UNRELATED,
    ]);
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(
        r.stdout.ends_with(
            "\n3 files checked: 1 error, 1 warning, 0 infos\nproject root `.`, no configuration\n"
        ),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("template/body-trailing-placeholder-punctuation"));
}

// ------------------------------------------------------------------------- rules, explain

#[test]
fn rules_lists_ids_with_severities() {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = &r.stdout;
    assert_eq!(
        listed_level(out, "template/body-trailing-placeholder").as_deref(),
        Some("error")
    );
    assert_eq!(
        listed_level(out, "template/body-trailing-placeholder-punctuation").as_deref(),
        Some("warning")
    );
    assert_eq!(
        listed_level(out, "campaign/messaging-limit-exceeded").as_deref(),
        Some("error")
    );
    // The default profile is genesys: Genesys Cloud's rules are there.
    assert_eq!(
        listed_level(out, "account/genesys-partner-missing").as_deref(),
        Some("error")
    );
    // Built-in checks are listed too.
    assert_eq!(
        listed_level(out, "manifest/unrecognized").as_deref(),
        Some("warning")
    );
    assert!(out.contains("Body text ends with a placeholder"), "{out}");
}

#[test]
fn rules_of_the_meta_profile_leave_out_genesys() {
    let r = run(&["rules", "--profile", "meta"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(listed_level(&r.stdout, "template/body-trailing-placeholder").is_some());
    for id in [
        "account/genesys-partner-missing",
        "template/genesys-dynamic-url",
        "phone/in-use-on-whatsapp",
    ] {
        assert_eq!(listed_level(&r.stdout, id), None, "{id} is a genesys rule");
    }
    assert!(!r.stdout.contains("genesys"), "{}", r.stdout);
}

#[test]
fn explain_prints_summary_why_fix_and_source() {
    let r = run(&["explain", "template/body-trailing-placeholder"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = &r.stdout;
    assert!(
        out.starts_with(
            "### `template/body-trailing-placeholder`\n\n**error** · template manifests"
        ),
        "{out}"
    );
    assert!(
        out.contains("\nBody text ends with a placeholder.\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "\n**Why.** Meta rejects bodies that start or end with a parameter (error 2388299"
        ),
        "{out}"
    );
    assert!(
        out.contains("\n**How to fix.** Add fixed text after the last placeholder"),
        "{out}"
    );
    assert!(
        out.contains("\n**Source.** Meta for Developers — WhatsApp: Error codes, “2388299”"),
        "{out}"
    );
    // Once the rule has fixtures, explain shows the failing one.
    let fixtures = root().join("fixtures/rules/template/body-trailing-placeholder");
    let fail = std::fs::read_dir(&fixtures).ok().and_then(|entries| {
        entries
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with("fail."))
    });
    if let Some(fail) = fail {
        let name = fail.file_name().to_string_lossy().to_string();
        let header = format!(
            "Failing example (`fixtures/rules/template/body-trailing-placeholder/{name}`):"
        );
        assert!(out.contains(&header), "{out}");
        let text = std::fs::read_to_string(fail.path()).unwrap();
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap();
        assert!(out.contains(&format!("\n{first}\n")), "{out}");
    }
}

#[test]
fn explain_shows_the_fixtures_as_examples() {
    let r = run(&["explain", "template/name-length"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = &r.stdout;
    let failing = out
        .find("Failing example (`fixtures/rules/template/name-length/fail.yaml`):")
        .unwrap_or_else(|| panic!("no failing example in\n{out}"));
    let passing = out
        .find("Passing example (`fixtures/rules/template/name-length/pass.json`):")
        .unwrap_or_else(|| panic!("no passing example in\n{out}"));
    assert!(failing < passing, "{out}");
    assert!(out[failing..passing].contains("```yaml\n"), "{out}");
    assert!(out[failing..passing].contains("\nname: \"\"\n"), "{out}");
}

#[test]
fn explain_a_built_in_check() {
    let r = run(&["explain", "manifest/wrong-type"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout
            .starts_with("### `manifest/wrong-type`\n\n**error** · built-in"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("**How to fix.**"), "{}", r.stdout);
}

#[test]
fn explain_a_misspelt_rule_suggests_the_right_one() {
    let r = run(&["explain", "template/body-trailing-placeholdr"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains(
            "there is no rule `template/body-trailing-placeholdr`; did you mean `template/body-trailing-placeholder`?"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_an_unknown_rule_exits_2() {
    let r = run(&["explain", "no/such-rule"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("there is no rule `no/such-rule`"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_an_unknown_rule_tells_where_to_find_ids() {
    let r = run(&["explain", "no/such-rule"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(
        r.stderr.contains("did you mean") || r.stderr.contains("wabalint rules"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_a_genesys_rule_under_the_meta_profile_fails() {
    let r = run(&[
        "explain",
        "template/genesys-dynamic-url",
        "--profile",
        "meta",
    ]);
    assert_eq!(r.code, 2, "{r:#?}");
    let r = run(&["explain", "template/genesys-dynamic-url"]);
    assert_eq!(r.code, 0, "{r:#?}");
}

/// Files are checked on all cores; the report is the same, in the same order, whatever the
/// number of threads (checks across files included: fixtures/rules has their companions).
#[test]
fn report_does_not_depend_on_the_thread_count() {
    let reports: Vec<String> = ["1", "2", "7"]
        .iter()
        .map(|threads| {
            let out = Command::new(env!("CARGO_BIN_EXE_wabalint"))
                .args(["check", "--no-config", "--as-of", AS_OF])
                .args(["--format", "json", "fixtures/rules"])
                .current_dir(root())
                .env("RAYON_NUM_THREADS", threads)
                .output()
                .expect("wabalint runs");
            assert_eq!(out.status.code(), Some(1), "{threads} threads");
            String::from_utf8(out.stdout).expect("UTF-8")
        })
        .collect();
    let diagnostics = diagnostics(&serde_json::from_str(&reports[0]).unwrap()).len();
    assert!(diagnostics > 300, "{diagnostics} diagnostics");
    assert!(reports[1] == reports[0], "2 threads differ from 1");
    assert!(reports[2] == reports[0], "7 threads differ from 1");
}

/// Without a graphical report the texts of files with findings are dropped once their positions
/// are known; the positions must be the ones worked out from the text (BOM, CRLF, wide
/// characters, labels in the same file).
#[test]
fn positions_do_not_depend_on_whether_the_report_quotes_lines() {
    let dir = tempdir();
    let template = "\u{feff}name: Grüße_\r\nlanguage: de\r\ncategory: UTILITY\r\ncomponents:\r\n  - type: BODY\r\n    text: \"👋 Hallo {{1}}\"\r\n";
    write(dir.path(), "crlf.yaml", template);
    write(
        dir.path(),
        "alias.yaml",
        "base: &b\n  type: BODY\n  text: \"{{1}} ✓\"\nname: x\nname: y\nlanguage: en\ncategory: UTILITY\ncomponents:\n  - *b\n",
    );
    let fixtures = root().join("fixtures");
    let paths = [dir.path(), fixtures.as_path()].map(|p| p.to_str().unwrap().to_string());
    let quoted = dir.path().join("human.txt");
    // Both directories in the project, so their files are quoted.
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_wabalint"))
            .args(["check", "--no-config", "--root", "/", "--as-of", AS_OF])
            .args(["--format", "json"])
            .args(extra)
            .args(&paths)
            .current_dir(root())
            .output()
            .expect("wabalint runs");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let alone = run(&[]);
    let with_human = run(&["--output", &format!("human:{}", quoted.display())]);
    assert!(
        alone == with_human,
        "positions differ when the text is dropped"
    );
    let report: Value = serde_json::from_str(&alone).unwrap();
    let in_dir = |name: &str| {
        diagnostics(&report)
            .iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with(name))
            .count()
    };
    assert!(
        in_dir("crlf.yaml") > 0 && in_dir("alias.yaml") > 0,
        "{alone}"
    );
    let related = diagnostics(&report)
        .iter()
        .any(|d| !d["related"].as_array().unwrap().is_empty());
    assert!(related, "no diagnostic with a related place");
}

/// A file named several ways (walked, named on the command line, through `..`, through a link
/// in the walk or a linked directory) is checked once, under its most direct name: the report
/// does not depend on the order of the paths.
#[test]
fn a_file_reached_several_ways_is_checked_once() {
    let dir = tempdir();
    let bad = "name: a\nlanguage: en\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Hi {{1}}\"\n";
    write(dir.path(), "repo/sub/a.yaml", bad);
    std::os::unix::fs::symlink("sub/a.yaml", dir.path().join("repo/b.yaml")).unwrap();
    std::os::unix::fs::symlink("repo", dir.path().join("alias")).unwrap();
    let paths = [
        "repo",
        "repo/sub/a.yaml",
        "./repo/../repo",
        "alias",
        "alias/sub",
    ];
    let (_, report) = check_json_in(dir.path(), &paths, &[]);
    let mut reversed = paths;
    reversed.reverse();
    let (_, again) = check_json_in(dir.path(), &reversed, &[]);
    assert_eq!(report, again, "the order of the paths changes the report");
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    let files: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(files.iter().all(|f| *f == "repo/sub/a.yaml"), "{report:#}");
    let trailing = rules_of(&report)
        .iter()
        .filter(|r| **r == "template/body-trailing-placeholder")
        .count();
    assert_eq!(trailing, 1, "{report:#}");
}

/// Findings across files can push a file over `max_diagnostics` after its text was dropped
/// (no graphical report): the note about the limit still gets a position (1:1).
#[test]
fn the_limit_note_added_after_checks_across_files_has_a_position() {
    let dir = tempdir();
    let campaign =
        std::fs::read(root().join("fixtures/rules/campaign/template-not-in-run/fail.yaml"))
            .expect("fixture exists");
    write(dir.path(), "c.yaml", campaign);
    let args = ["check", "--no-config", "--as-of", AS_OF, "--format", "json"];
    let run = run_in(
        dir.path(),
        &[&args[..], &["--limit", "max_diagnostics=1", "c.yaml"]].concat(),
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = parse_report(&run);
    let note = only(&report, "manifest/limit");
    assert_eq!(
        (&note["line"], &note["column"]),
        (&1.into(), &1.into()),
        "{report:#}"
    );
    assert_eq!(diagnostics(&report).len(), 2, "{report:#}");
}

/// Duplicates are matched by name and language alone; the places both files show are read
/// again once all files are checked: right in the second document of a YAML file with a
/// byte-order mark and CRLF, and in a JSON export.
#[test]
fn a_duplicate_across_files_points_into_both_files() {
    let dir = tempdir();
    let template = |name: &str| {
        format!("{{\"name\": \"{name}\", \"language\": \"en_US\", \"category\": \"UTILITY\", \"components\": [{{\"type\": \"BODY\", \"text\": \"Your order is ready.\"}}]}}")
    };
    write(
        dir.path(),
        "a.json",
        format!(
            "{{\"data\": [\n  {},\n  {}\n]}}\n",
            template("first"),
            template("order_ready")
        ),
    );
    let yaml = "name: unrelated\nlanguage: en_US\ncategory: UTILITY\ncomponents: [{type: BODY, text: \"Hello there.\"}]\n---\nname: order_ready\nlanguage: en_US\ncategory: UTILITY\ncomponents: [{type: BODY, text: \"Your order is ready.\"}]\n";
    write(
        dir.path(),
        "b.yaml",
        format!("\u{feff}{}", yaml.replace('\n', "\r\n")),
    );
    let args = [
        "check",
        "--no-config",
        "--as-of",
        AS_OF,
        "--select",
        "template/duplicate-name-and-language",
        "--format",
        "json",
        "a.json",
        "b.yaml",
    ];
    let r = run_in(dir.path(), &args, None);
    let report = parse_report(&r);
    assert_eq!(r.code, 1, "{r:#?}");
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), 1, "{report:#}");
    let d = &diags[0];
    assert_eq!(d["file"], "b.yaml");
    assert_eq!(d["pointer"], "/name");
    assert_eq!(span_of(d), (6, 7, 6, 18));
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("order_ready / en_US"),
        "{d:#}"
    );
    let first = &d["related"][0];
    assert_eq!(first["file"], "a.json");
    assert_eq!(first["message"], "first defined here");
    assert_eq!(span_of(first), (3, 12, 3, 25));
}

/// Meta's error codes lead to the rules that prevent them.
#[test]
fn explain_a_meta_error_code_lists_its_rules() {
    let r = run(&["explain", "2388299"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.contains("template/body-trailing-placeholder"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("template/body-leading-placeholder"),
        "{}",
        r.stdout
    );
    let r = run(&["rules", "--meta-error", "132001"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.contains("campaign/template-not-approved"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("template/name-length"), "{}", r.stdout);
    let r = run(&["explain", "template/body-trailing-placeholder"]);
    assert!(
        r.stdout.contains("**Prevents Meta errors.** 2388299"),
        "{}",
        r.stdout
    );
    let r = run(&["explain", "4242"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(
        r.stderr
            .contains("no rule of the rule set lists Meta error 4242"),
        "{}",
        r.stderr
    );
}
