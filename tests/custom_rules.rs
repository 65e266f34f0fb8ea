//! A new rule needs no Rust change: rule files written only for these tests combine the
//! existing check functions, extend or replace the bundled profiles, turn rules off and change
//! severities, and the binary reports their findings like its own.

mod common;

use common::{
    listed_level, only, parse_report, read_data, root, rules_of, run, run_in, span_of, tempdir,
    write, Run, AS_OF,
};
use serde_json::Value;
use std::path::Path;

/// `wabalint check <paths> --rules <rules> --as-of <day> --format json`, run in `dir`.
fn check_json_in(dir: &Path, rules: &str, paths: &[&str], as_of: &str) -> (Run, Value) {
    let mut args = vec!["check"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--rules", rules, "--as-of", as_of, "--format", "json"]);
    let r = run_in(dir, &args, None);
    let report = parse_report(&r);
    (r, report)
}

fn check_json(rules: &str, paths: &[&str]) -> (Run, Value) {
    check_json_in(root(), rules, paths, AS_OF)
}

fn summary_of(report: &Value) -> (u64, u64, u64, u64) {
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("summary.{k}"));
    (n("files"), n("errors"), n("warnings"), n("infos"))
}

const ACME: &str = "tests/data/rules/acme.yaml";
const STANDALONE: &str = "tests/data/rules/standalone.yaml";
const UNSIGNED: &str = "tests/data/templates/acme-unsigned.yaml";
const SIGNED: &str = "tests/data/templates/acme-signed.yaml";

// ------------------------------------------------------------ a rule file extending `meta`

#[test]
fn new_rule_fires_with_its_message_at_the_value() {
    let (r, report) = check_json(ACME, &[UNSIGNED]);
    assert_eq!(r.code, 1, "the new rule is an error: {r:#?}");
    let d = only(&report, "template/body-mentions-brand");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["message"],
        "the body does not mention Acme: `Hi {{1}}, your order is {{2}}`"
    );
    assert_eq!(d["file"], UNSIGNED);
    assert_eq!(d["pointer"], "/components/0/text");
    // `    text: "Hi {{1}}, your order is {{2}}"`: the whole string, quotes included.
    assert_eq!(span_of(d), (6, 11, 6, 42));
    assert_eq!(
        d["help"],
        r#"Sign the message, e.g. "… Thank you! Your Acme team"."#
    );
    assert!(
        d["source"]
            .as_str()
            .unwrap_or_default()
            .contains("Acme messaging style guide"),
        "{d:#}"
    );
}

#[test]
fn rule_turned_off_does_not_fire() {
    // Under plain `meta`, the unsigned template ends with a placeholder…
    let r = run(&[
        "check",
        UNSIGNED,
        "--profile",
        "meta",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        rules_of(&report).contains(&"template/body-trailing-placeholder"),
        "{report:#}"
    );
    // …which the acme rule set turned off.
    let (_, report) = check_json(ACME, &[UNSIGNED, SIGNED]);
    assert!(
        !rules_of(&report).contains(&"template/body-trailing-placeholder"),
        "{report:#}"
    );
}

#[test]
fn severity_override_shows_in_the_report() {
    let (_, report) = check_json(ACME, &[UNSIGNED]);
    let d = only(&report, "template/name-length");
    assert_eq!(d["severity"], "warning", "overridden from error: {d:#}");
    assert_eq!(span_of(d), (1, 7, 1, 9));
    assert_eq!(
        rules_of(&report),
        ["template/name-length", "template/body-mentions-brand"]
    );
    assert_eq!(summary_of(&report), (1, 1, 1, 0));
}

#[test]
fn inherited_rules_still_apply() {
    let dir = tempdir();
    let text = String::from_utf8(read_data("templates/acme-signed.yaml"))
        .unwrap()
        .replace("acme_order_update", "Acme-Order");
    write(dir.path(), "t.yaml", text);
    let rules = root().join(ACME);
    let (r, report) = check_json_in(dir.path(), rules.to_str().unwrap(), &["t.yaml"], AS_OF);
    assert_eq!(r.code, 1, "{r:#?}");
    assert_eq!(rules_of(&report), ["template/name-invalid-characters"]);
}

#[test]
fn template_that_follows_the_house_rules_is_clean() {
    let (r, report) = check_json(ACME, &[SIGNED]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(rules_of(&report), Vec::<&str>::new());
}

#[test]
fn human_report_of_a_custom_rule() {
    let r = run(&["check", UNSIGNED, "--rules", ACME, "--as-of", AS_OF]);
    assert_eq!(r.code, 1, "{r:#?}");
    let out = &r.stdout;
    assert!(out.contains("template/body-mentions-brand\n"), "{out}");
    assert!(
        out.contains("the body does not mention Acme: `Hi {{1}}, your order is {{2}}`"),
        "{out}"
    );
    assert!(out.contains("acme-unsigned.yaml:6:11"), "{out}");
    assert!(out.contains("The body text does not mention Acme"), "{out}");
    assert!(out.contains("help: Sign the message"), "{out}");
    assert!(
        out.contains("source: Acme messaging style guide, “Brand”"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "\n1 file checked: 1 error, 1 warning, 0 infos\nproject root `.`, no configuration\n"
        ),
        "{out}"
    );
}

#[test]
fn rules_lists_the_custom_rule_and_the_overrides() {
    let r = run(&["rules", "--rules", ACME]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = &r.stdout;
    assert_eq!(
        listed_level(out, "template/body-mentions-brand").as_deref(),
        Some("error")
    );
    assert_eq!(
        listed_level(out, "template/body-trailing-placeholder").as_deref(),
        Some("off")
    );
    assert_eq!(
        listed_level(out, "template/name-length").as_deref(),
        Some("warning")
    );
    assert_eq!(
        listed_level(out, "template/name-invalid-characters").as_deref(),
        Some("error")
    );
    // `extends: meta`, not genesys.
    assert_eq!(listed_level(out, "account/genesys-partner-missing"), None);
}

#[test]
fn explain_a_custom_rule() {
    let r = run(&["explain", "template/body-mentions-brand", "--rules", ACME]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = &r.stdout;
    assert!(
        out.starts_with("### `template/body-mentions-brand`\n\n**error** · template manifests"),
        "{out}"
    );
    assert!(
        out.contains("\nThe body text does not mention Acme.\n"),
        "{out}"
    );
    assert!(
        out.contains("\n**Why.** Customers trust messages that say who sends them.\n"),
        "{out}"
    );
    assert!(out.contains("\n**How to fix.** Sign the message"), "{out}");
    assert!(
        out.contains("\n**Source.** Acme messaging style guide, “Brand”"),
        "{out}"
    );
    assert!(out.contains(&format!("defined in `{ACME}`")), "{out}");

    let r = run(&[
        "explain",
        "template/body-trailing-placeholder",
        "--rules",
        ACME,
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.starts_with(
            "### `template/body-trailing-placeholder`\n\n**off** · template manifests"
        ),
        "{}",
        r.stdout
    );
}

// ------------------------------------------------------------------ a standalone rule file

#[test]
fn standalone_rule_file_applies_only_its_own_rule() {
    let (r, report) = check_json(STANDALONE, &[UNSIGNED, SIGNED]);
    // Only a warning: exit 0.
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(rules_of(&report), ["template/name-prefix"], "{report:#}");
    let d = only(&report, "template/name-prefix");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], UNSIGNED);
    assert_eq!(d["message"], "template name `` does not start with `acme_`");
    assert_eq!(d["pointer"], "/name");
    assert_eq!(span_of(d), (1, 7, 1, 9));
    assert_eq!(summary_of(&report), (2, 0, 1, 0));
}

#[test]
fn standalone_rule_file_lists_no_bundled_rules() {
    let r = run(&["rules", "--rules", STANDALONE]);
    assert_eq!(r.code, 0, "{r:#?}");
    let ids: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| !wabalint::builtin::BUILTIN_CODES.iter().any(|c| c.id == *id))
        .collect();
    assert_eq!(ids, ["template/name-prefix"], "{}", r.stdout);
}

#[test]
fn standalone_rule_file_keeps_the_built_in_shape_checks() {
    let dir = tempdir();
    write(
        dir.path(),
        "t.yaml",
        "name: acme_hello\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    txt: Hello\n",
    );
    let rules = root().join(STANDALONE);
    let (r, report) = check_json_in(dir.path(), rules.to_str().unwrap(), &["t.yaml"], AS_OF);
    assert_eq!(r.code, 1, "{r:#?}");
    let d = only(&report, "manifest/unknown-key");
    assert_eq!(d["pointer"], "/components/0/txt");
    assert_eq!(d["help"], "did you mean `text`?");
}

// ------------------------------------------------------------------- more rule-file features

#[test]
fn info_severity_is_counted_and_does_not_fail_the_run() {
    let dir = tempdir();
    write(
        dir.path(),
        "info.yaml",
        r#"ruleset: notes
rules:
  - id: template/marketing-note
    kind: template
    severity: info
    summary: Utility template
    given: $.category
    check: { function: enum, values: [MARKETING] }
    message: "`{{value}}` templates are billed at the utility rate"
"#,
    );
    write(dir.path(), "t.yaml", read_data("templates/clean.yaml"));
    let (r, report) = check_json_in(dir.path(), "info.yaml", &["t.yaml"], AS_OF);
    assert_eq!(r.code, 0, "{r:#?}");
    let d = only(&report, "template/marketing-note");
    assert_eq!(d["severity"], "info");
    assert_eq!(
        d["message"],
        "`UTILITY` templates are billed at the utility rate"
    );
    assert_eq!(span_of(d), (3, 11, 3, 18));
    assert_eq!(summary_of(&report), (1, 0, 0, 1));

    let r = run_in(
        dir.path(),
        &["check", "t.yaml", "--rules", "info.yaml", "--as-of", AS_OF],
        None,
    );
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.ends_with(
            "1 file checked: 0 errors, 0 warnings, 1 info\nproject root `.`, no configuration\n"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn dated_custom_rule_applies_from_its_start_date() {
    let dir = tempdir();
    write(
        dir.path(),
        "dated.yaml",
        r#"ruleset: dated
rules:
  - id: template/footer-required
    kind: template
    severity: error
    summary: Templates need a footer from 2027
    given: $
    field: components
    check: { function: count, of: "@[?@.type == 'FOOTER']", min: 1 }
    message: "from 2027 every template needs a footer"
    from: 2027-01-01
"#,
    );
    write(dir.path(), "t.yaml", read_data("templates/clean.yaml"));
    let (r, report) = check_json_in(dir.path(), "dated.yaml", &["t.yaml"], "2026-12-31");
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(rules_of(&report), Vec::<&str>::new());
    let (r, report) = check_json_in(dir.path(), "dated.yaml", &["t.yaml"], "2027-01-01");
    assert_eq!(r.code, 1, "{r:#?}");
    let d = only(&report, "template/footer-required");
    assert_eq!(d["message"], "from 2027 every template needs a footer");
    assert_eq!(d["pointer"], "/components");
}

#[test]
fn templates_are_counted_across_files_whatever_else_they_record() {
    let dir = tempdir();
    let count_rule = r#"
  - id: account/too-many-templates-here
    kind: account
    severity: error
    summary: More than two templates
    given: $
    check: { function: count_across_files, kind: template, max: 2 }
    message: "the checked files hold {{count}} templates; at most {{max}}"
"#;
    let unique_rule = r#"
  - id: template/same-name
    kind: template
    severity: error
    summary: Two templates share a name
    given: $
    check: { function: unique_across_files, key: [$.name] }
    message: "`{{key}}` again"
"#;
    // Counting alone, and counting next to a rule that records each named template.
    write(
        dir.path(),
        "count.yaml",
        format!("ruleset: c\nrules:{count_rule}"),
    );
    write(
        dir.path(),
        "both.yaml",
        format!("ruleset: b\nrules:{unique_rule}{count_rule}"),
    );
    write(
        dir.path(),
        "account.yaml",
        std::fs::read(root().join("fixtures/rules/account/too-many-templates/pass.yaml")).unwrap(),
    );
    write(dir.path(), "one.yaml", read_data("templates/clean.yaml"));
    // Two templates in one export, the second without a name (so without a key to record).
    let body = r#"[{"type":"BODY","text":"Your order is ready."}]"#;
    write(
        dir.path(),
        "export.json",
        format!(
            r#"{{"data":[{{"name":"order_ready","language":"en_US","category":"UTILITY","components":{body}}},{{"language":"en_US","category":"UTILITY","components":{body}}}]}}"#
        ),
    );
    let files = ["account.yaml", "one.yaml", "export.json"];
    for rules in ["count.yaml", "both.yaml"] {
        let (r, report) = check_json_in(dir.path(), rules, &files, AS_OF);
        assert_eq!(r.code, 1, "{rules}: {r:#?}");
        let d = only(&report, "account/too-many-templates-here");
        assert_eq!(
            d["message"], "the checked files hold 3 templates; at most 2",
            "{rules}"
        );
        assert_eq!(d["file"], "account.yaml", "{rules}");
    }
}

#[test]
fn rule_files_extend_relative_rule_files() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    write(
        dir.path(),
        "shared/base.yaml",
        r#"ruleset: base
extends: meta
rules:
  - id: template/name-prefix
    kind: template
    severity: error
    summary: Template name does not start with acme_
    given: $.name
    check: { function: pattern, match: "^acme_" }
    message: "`{{value}}` lacks the acme_ prefix"
"#,
    );
    // The child downgrades the parent's rule and replaces a bundled one by its own definition.
    write(
        dir.path(),
        "team.yaml",
        r#"ruleset: team
extends: shared/base.yaml
rules:
  - id: template/name-length
    kind: template
    severity: error
    summary: Template name is longer than 20 characters
    given: $.name
    check: { function: length, max: 20 }
    message: "template name has {{length}} characters; the team allows {{max}}"
overrides:
  template/name-prefix: warning
"#,
    );
    write(
        dir.path(),
        "t.yaml",
        "name: a_rather_long_template_name\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: Hello there.\n",
    );
    let (r, report) = check_json_in(dir.path(), "team.yaml", &["t.yaml"], AS_OF);
    assert_eq!(r.code, 1, "{r:#?}");
    assert_eq!(
        rules_of(&report),
        ["template/name-length", "template/name-prefix"]
    );
    let length = only(&report, "template/name-length");
    assert_eq!(
        length["message"],
        "template name has 27 characters; the team allows 20"
    );
    assert_eq!(length["severity"], "error");
    assert_eq!(only(&report, "template/name-prefix")["severity"], "warning");
}

#[test]
fn a_built_in_check_can_be_turned_off() {
    let dir = tempdir();
    write(
        dir.path(),
        "lenient.yaml",
        "extends: meta\noverrides:\n  manifest/unknown-key: off\n",
    );
    write(
        dir.path(),
        "t.yaml",
        "name: hello\nlanguage: en_US\ncategory: UTILITY\nlanguag: en\ncomponents:\n  - type: BODY\n    text: Hello there.\n",
    );
    let r = run_in(
        dir.path(),
        &["check", "t.yaml", "--profile", "meta", "--as-of", AS_OF],
        None,
    );
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(r.stdout.contains("manifest/unknown-key"), "{}", r.stdout);
    let (r, report) = check_json_in(dir.path(), "lenient.yaml", &["t.yaml"], AS_OF);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(rules_of(&report), Vec::<&str>::new());
}

#[test]
fn options_documented_by_the_functions_command_are_accepted() {
    let listing = run(&["functions"]).stdout;
    let edges = listing
        .split("\nplaceholder_edges\n")
        .nth(1)
        .expect("placeholder_edges is listed");
    let options = edges.lines().nth(1).unwrap_or_default();
    assert!(options.contains("strip_punctuation"), "{options}");

    let dir = tempdir();
    write(
        dir.path(),
        "edges.yaml",
        r#"ruleset: edges
rules:
  - id: template/body-ends-with-placeholder
    kind: template
    severity: error
    summary: Body ends with a placeholder, even before punctuation
    given: "$.components[?@.type == 'BODY']"
    field: text
    check: { function: placeholder_edges, position: trailing, strip_punctuation: true }
    message: "the body ends with {{placeholder}}"
"#,
    );
    write(
        dir.path(),
        "t.yaml",
        read_data("templates/warning-only.yaml"),
    );
    let r = run_in(
        dir.path(),
        &["check", "t.yaml", "--rules", "edges.yaml", "--as-of", AS_OF],
        None,
    );
    assert_eq!(
        r.code, 1,
        "the documented option is accepted and works: {r:#?}"
    );
}

/// `rules` and `explain` print text from a user's rule file: terminal escapes and bidi
/// overrides in it are shown escaped, as reports show them.
#[test]
fn rules_and_explain_escape_control_characters_of_a_rule_file() {
    let dir = tempdir();
    let rules = "ruleset: hostile\nextends: meta\nrules:\n  - id: template/hostile\n    kind: template\n    severity: error\n    summary: \"Red \\e[31mtext\\u202e reversed\"\n    given: $\n    field: name\n    check: { function: present }\n    message: \"missing\"\n    why: \"Bell \\a here\"\n";
    let file = write(dir.path(), "hostile.yaml", rules);
    let file = file.to_str().unwrap();
    for args in [
        &["rules", "--rules", file][..],
        &["explain", "template/hostile", "--rules", file][..],
    ] {
        let r = run(args);
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(r.stdout.contains("template/hostile"), "{}", r.stdout);
        let raw = ['\u{1b}', '\u{7}', '\u{202e}'];
        assert!(!r.stdout.contains(raw), "{:?}", r.stdout);
        assert!(r.stdout.contains("\\x1b[31mtext"), "{}", r.stdout);
        assert!(r.stdout.contains("\\u202e"), "{}", r.stdout);
    }
}
