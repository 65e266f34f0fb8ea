//! A gate that a hostile pull request can neither fool, nor leak through, nor damage. Each test
//! is a reproducer of what a pull request could do (it controls every file of the repository,
//! not the command line of the workflow) and asserts the guarantee the README's "Safety"
//! section makes. Budgets in time and memory for rule files are in `tests/hostile.rs`.

mod common;

use common::{diagnostics, parse_report, rules_of, tempdir, write, Run, AS_OF};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TRAILING: &str = "name: order_update\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Hi {{1}}, your order has shipped and arrives on {{2}}\"\n    example:\n      body_text: [[\"Ana\", \"Friday\"]]\n";
const CLEAN: &str = "name: order_ready\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Hi {{1}}, your order is ready for pickup today. See you soon!\"\n    example:\n      body_text: [[\"Ana\"]]\n";
/// What a CI machine keeps that must never reach a public log.
const SECRET: &str = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI-K7MDENG";

/// A repository (`repo/`, with `.git`) and a directory beside it that holds secrets.
struct Sandbox {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    outside: PathBuf,
}

fn sandbox() -> Sandbox {
    let dir = tempdir();
    let repo = dir.path().join("repo");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    // Not valid YAML either way, so a parse error would quote it.
    write(&outside, "secret.yaml", format!("{SECRET}: [\n"));
    write(
        &outside,
        "account.yaml",
        format!("kind: account\nbusiness:\n  name: \"{SECRET}\"\n"),
    );
    Sandbox {
        repo: repo.canonicalize().unwrap(),
        outside: outside.canonicalize().unwrap(),
        _dir: dir,
    }
}

/// Runs `wabalint` in `dir` with extra environment variables, without a terminal.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_wabalint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("wabalint runs");
    Run {
        code: out.status.code().expect("exits with a code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

/// `check --as-of … --format json ARGS` in `dir`.
fn check_json(dir: &Path, args: &[&str]) -> (Run, Value) {
    let r = run(
        dir,
        &[&["check", "--as-of", AS_OF, "--format", "json"], args].concat(),
    );
    let report = parse_report(&r);
    (r, report)
}

fn assert_no_secret(r: &Run, what: &str) {
    for (name, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert!(
            !text.contains("wJalrXUtnFEMI") && !text.contains("AWS_SECRET"),
            "{what}: the secret is in {name}:\n{text}"
        );
    }
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

// 1. ------------------------------------------------------------------------------------------

/// `rules:`, `extends:` and a `wabalint.yaml` link that lead out of the project are refused
/// before anything is read, with the same words whether or not the file exists.
#[cfg(unix)]
#[test]
fn files_named_by_files_outside_the_root_are_never_read_or_quoted() {
    let s = sandbox();
    write(&s.repo, "t.yaml", CLEAN);
    let refused = |config: &str, what: &str| -> String {
        write(&s.repo, "wabalint.yaml", config);
        let r = run(&s.repo, &["check", "--as-of", AS_OF, "t.yaml"]);
        assert_eq!(r.code, 2, "{what}: {r:#?}");
        assert_no_secret(&r, what);
        assert!(
            r.stderr.contains("leads outside the project root"),
            "{what}: {}",
            r.stderr
        );
        // The problem and its help, without the quoted line of the configuration.
        r.stderr
            .lines()
            .filter(|l| l.contains('×') || l.contains("help:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    refused("rules: [/proc/self/environ]\n", "an absolute path");
    let existing = refused("rules: [../outside/secret.yaml]\n", "`..` to a file");
    let missing = refused("rules: [../outside/missing.yaml]\n", "`..` to nothing");
    assert_eq!(
        existing.replace("secret", "X"),
        missing.replace("missing", "X"),
        "the message tells whether the file exists"
    );
    symlink(s.outside.join("secret.yaml"), s.repo.join("rules.yaml"));
    refused("rules: [rules.yaml]\n", "a link in the repository");
    // A rule file in the repository that extends one outside it.
    write(
        &s.repo,
        "acme.yaml",
        "extends: ../outside/secret.yaml\nrules: []\n",
    );
    refused("rules: [acme.yaml]\n", "extends");
    write(&s.repo, "acme.yaml", "extends: rules.yaml\nrules: []\n");
    refused("rules: [acme.yaml]\n", "extends through a link");

    // The configuration itself a link to a secret: not read.
    std::fs::remove_file(s.repo.join("wabalint.yaml")).unwrap();
    symlink(s.outside.join("secret.yaml"), s.repo.join("wabalint.yaml"));
    let r = run(&s.repo, &["check", "--as-of", AS_OF, "t.yaml"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert_no_secret(&r, "a linked configuration");
    assert!(r.stderr.contains("was not read"), "{}", r.stderr);

    // A rule file named on the command line is read as given, but never quoted.
    let secret = s.outside.join("secret.yaml");
    let r = run(
        &s.repo,
        &[
            "check",
            "--no-config",
            "--rules",
            secret.to_str().unwrap(),
            "t.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert_no_secret(&r, "--rules outside the root");
    assert!(r.stderr.contains("ruleset/syntax"), "{}", r.stderr);
}

/// A manifest named on the command line (a pre-commit hook passes what is staged) that is a
/// link to a secret is checked, and nothing of it is quoted.
#[cfg(unix)]
#[test]
fn a_checked_file_outside_the_root_is_never_quoted() {
    let s = sandbox();
    symlink(s.outside.join("secret.yaml"), s.repo.join("evil.yaml"));
    for format in ["human", "concise", "json", "sarif", "github", "junit"] {
        let r = run(
            &s.repo,
            &[
                "check",
                "--no-config",
                "--as-of",
                AS_OF,
                "--format",
                format,
                "evil.yaml",
            ],
        );
        assert_eq!(r.code, 1, "{format}: {r:#?}");
        assert_no_secret(&r, format);
        assert!(
            r.stdout.contains("manifest/syntax"),
            "{format}: {}",
            r.stdout
        );
    }
    let (_, report) = check_json(&s.repo, &["--no-config", "evil.yaml"]);
    let d = &diagnostics(&report)[0];
    assert!(
        d["message"].as_str().unwrap().contains("not quoted"),
        "{d:#}"
    );
    assert_eq!(d["pointer"], "", "keys are content too: {d:#}");
    assert!(d["line"].as_u64() >= Some(1), "{d:#}");
}

// 2, 6, 7 ------------------------------------------------------------------------------------

/// `--output` never writes through a link, over an input, or twice to one file.
#[cfg(unix)]
#[test]
fn reports_are_never_written_through_links_or_over_inputs() {
    let s = sandbox();
    write(&s.repo, "t.yaml", TRAILING);
    write(&s.outside, "bashrc", "export PATH=/usr/bin\n");
    symlink(s.outside.join("bashrc"), s.repo.join("wabalint.sarif"));
    let r = run(
        &s.repo,
        &[
            "check",
            "--no-config",
            "--output",
            "wabalint.sarif",
            "t.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(s.outside.join("bashrc")).unwrap(),
        "export PATH=/usr/bin\n"
    );
    // A directory that leads out of the project.
    symlink(&s.outside, s.repo.join("reports"));
    let r = run(
        &s.repo,
        &[
            "check",
            "--no-config",
            "--output",
            "reports/w.sarif",
            "t.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(!s.outside.join("w.sarif").exists());

    write(&s.repo, "wabalint.yaml", "as_of: 2026-11-26\n");
    write(&s.repo, "rules/acme.yaml", "extends: meta\nrules: []\n");
    write(&s.repo, "dir/walked.json", "{\"name\": \"x\"}\n");
    for (output, what) in [
        ("json:t.yaml", "the manifest checked"),
        ("dir/walked.json", "a walked file"),
        ("json:wabalint.yaml", "the configuration"),
        ("json:rules/acme.yaml", "a rule file"),
    ] {
        let before: Vec<(PathBuf, Vec<u8>)> = [
            "t.yaml",
            "dir/walked.json",
            "wabalint.yaml",
            "rules/acme.yaml",
        ]
        .iter()
        .map(|f| (s.repo.join(f), std::fs::read(s.repo.join(f)).unwrap()))
        .collect();
        let r = run(
            &s.repo,
            &[
                "check",
                "--rules",
                "rules/acme.yaml",
                "--output",
                output,
                "t.yaml",
                "dir",
            ],
        );
        assert_eq!(r.code, 2, "{what}: {r:#?}");
        assert!(
            r.stderr.contains("never writes over what it reads"),
            "{what}: {}",
            r.stderr
        );
        for (path, bytes) in before {
            assert_eq!(
                std::fs::read(&path).unwrap(),
                bytes,
                "{what}: {} changed",
                path.display()
            );
        }
    }
    let r = run(
        &s.repo,
        &[
            "check",
            "--output",
            "a.json",
            "--output",
            "sarif:./a.json",
            "t.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("named twice"), "{}", r.stderr);
    assert!(!s.repo.join("a.json").exists());
}

/// A report that cannot be written whole leaves the old file as it was and exits 2 (a full
/// disk: the file-size limit of the process); two runs writing one file never mix.
#[cfg(unix)]
#[test]
fn reports_are_written_atomically() {
    let s = sandbox();
    write(&s.repo, "t.yaml", TRAILING);
    write(&s.repo, "report.txt", "the old report\n");
    let bin = env!("CARGO_BIN_EXE_wabalint");
    // SIGXFSZ ignored, so a write past `ulimit -f` fails as on a full disk.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 1; exec '{bin}' check --no-config --as-of {AS_OF} --output json:report.txt --format concise t.yaml"
        ))
        .current_dir(&s.repo)
        .output()
        .unwrap();
    let report = s.repo.join("report.txt");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("left as it was"));
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "the old report\n"
    );

    let many: String = (0..200)
        .map(|i| TRAILING.replace("order_update", &format!("order_update_{i}")) + "---\n")
        .collect();
    write(&s.repo, "many.yaml", many);
    let runs: Vec<_> = (0..6)
        .map(|_| {
            Command::new(bin)
                .args([
                    "check",
                    "--no-config",
                    "--as-of",
                    AS_OF,
                    "--format",
                    "concise",
                ])
                .args(["--output", "json:report.txt", "many.yaml"])
                .current_dir(&s.repo)
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in runs {
        assert_eq!(child.wait().unwrap().code(), Some(1));
    }
    let text = std::fs::read_to_string(&report).unwrap();
    let json: Value = serde_json::from_str(&text).expect("one whole report");
    assert_eq!(json["summary"]["files"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(&s.repo)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("wabalint-report"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

// 3 ------------------------------------------------------------------------------------------

/// Whether `text` has a line the GitHub Actions runner reads as a workflow command.
fn forged_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with("::") || l.contains("##["))
        .collect()
}

/// File names, messages, help texts and values from a pull request cannot forge `::error`,
/// `::add-mask::` or `::stop-commands::` lines (nor the older `##[…]`) in any report.
#[cfg(unix)]
#[test]
fn workflow_commands_cannot_be_forged() {
    let s = sandbox();
    write(
        &s.repo,
        "::error file=x::y.yaml",
        TRAILING.replace("order_update", "a ##[add-mask]b"),
    );
    write(
        &s.repo,
        "rules.yaml",
        "extends: meta\nrules:\n  - id: acme/forged\n    kind: template\n    severity: error\n    summary: \"s\\n::stop-commands::x\"\n    given: $.name\n    check: { function: pattern, match: \"^zz$\" }\n    message: \"bad\\n::error file=ci.yml::pwned ##[set-output name=x]y\"\n    help: \"fix\\n  ::add-mask::secret\"\n",
    );
    for format in ["human", "concise", "json", "sarif", "junit"] {
        let r = run(
            &s.repo,
            &[
                "check",
                "--no-config",
                "--as-of",
                AS_OF,
                "--rules",
                "rules.yaml",
                "--format",
                format,
                ".",
            ],
        );
        assert_eq!(r.code, 1, "{format}: {r:#?}");
        assert!(r.stdout.contains("acme/forged"), "{format}: {}", r.stdout);
        assert!(
            forged_lines(&r.stdout).is_empty(),
            "{format}: {:?}",
            forged_lines(&r.stdout)
        );
        assert!(
            forged_lines(&r.stderr).is_empty(),
            "{format}: {:?}",
            forged_lines(&r.stderr)
        );
    }
    // The github format's own lines are its commands, one per finding, each on one line.
    let r = run(
        &s.repo,
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--rules",
            "rules.yaml",
            "--format",
            "github",
            ".",
        ],
    );
    // The forged text stays in the data of one command, percent-encoded line breaks and all.
    let (_, report) = check_json(&s.repo, &["--no-config", "--rules", "rules.yaml", "."]);
    assert_eq!(
        r.stdout.lines().count(),
        diagnostics(&report).len(),
        "{}",
        r.stdout
    );
    for line in r.stdout.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
    }
    for args in [&["rules"][..], &["explain", "acme/forged"]] {
        let r = run(&s.repo, &[args, &["--rules", "rules.yaml"]].concat());
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(
            forged_lines(&r.stdout).is_empty(),
            "{args:?}: {:?}",
            forged_lines(&r.stdout)
        );
    }
}

// 5 ------------------------------------------------------------------------------------------

/// A campaign's `account:` is opened only inside the root; elsewhere it is refused alike
/// whether the file exists, is a device that would block, or is missing.
#[cfg(unix)]
#[test]
fn a_campaign_cannot_name_an_account_outside_the_root() {
    let s = sandbox();
    let campaign = |account: &str| {
        format!("kind: campaign\naccount: {account}\ntemplate: {{ name: spring_sale, language: de }}\nrecipients_per_day: 100\nstart: 2026-12-01\n")
    };
    let mut messages = Vec::new();
    for account in [
        "../outside/account.yaml",
        "../outside/missing.yaml",
        "/etc/passwd",
        "/proc/kmsg",
        "/proc/self/environ",
    ] {
        write(&s.repo, "c.yaml", campaign(account));
        let started = std::time::Instant::now();
        let (r, report) = check_json(&s.repo, &["--no-config", "--select", "manifest/", "c.yaml"]);
        assert!(
            started.elapsed().as_secs() < 10,
            "{account}: took {:?}",
            started.elapsed()
        );
        assert_eq!(r.code, 1, "{account}: {r:#?}");
        assert_no_secret(&r, account);
        let d = diagnostics(&report)
            .iter()
            .find(|d| d["rule"] == "manifest/missing-reference")
            .unwrap_or_else(|| panic!("{account}: {report:#}"))
            .clone();
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .contains("leads outside the project root"),
            "{d:#}"
        );
        messages.push(d["message"].as_str().unwrap().replace(account, "X"));
    }
    messages.dedup();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    // An account's phone numbers given as paths are held to the root too.
    write(&s.repo, "a.yaml", "kind: account\nbusiness: { name: Acme, portfolio_owner: brand, verification: { status: verified } }\nwaba: { id: \"1\", partners: [genesys], payment_method: genesys }\nphone_numbers: [../outside/n.yaml]\n");
    let (_, report) = check_json(&s.repo, &["--no-config", "a.yaml"]);
    assert!(
        rules_of(&report).contains(&"manifest/missing-reference"),
        "{report:#}"
    );
}

// 8 ------------------------------------------------------------------------------------------

/// 520 warnings and then one invalid template: the error is shown and counted, whatever the
/// cap; `--select` comes before the cap; a configuration cannot hide errors with the cap.
#[test]
fn the_cap_never_decides_the_verdict() {
    let dir = tempdir();
    let warning = |i: usize| {
        format!("  - {{name: t{i}, language: en_US, category: UTILITY, components: [{{type: BODY, text: \"Hi {{{{1}}}}, your order is {{{{2}}}}.\", example: {{body_text: [[Ana, A-1]]}}}}]}}\n")
    };
    let mut export = String::from("data:\n");
    for i in 0..520 {
        export.push_str(&warning(i));
    }
    export.push_str("  - {name: zz, language: en_US, category: UTILITY, components: [{type: BODY, text: \"Hi {{1}}\"}]}\n");
    write(dir.path(), "t.yaml", &export);
    let (r, report) = check_json(dir.path(), &["--no-config", "t.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(report["summary"]["errors"].as_u64() >= Some(1));
    // 520, and one about the invalid template's few words.
    assert_eq!(report["summary"]["warnings"], 521, "{}", report["summary"]);
    assert!(rules_of(&report).contains(&"template/body-trailing-placeholder"));
    let note = diagnostics(&report)
        .iter()
        .find(|d| d["rule"] == "manifest/limit")
        .unwrap();
    assert_eq!(note["severity"], "info");

    let (_, selected) = check_json(
        dir.path(),
        &[
            "--no-config",
            "--select",
            "template/body-trailing-placeholder",
            "--ignore",
            "template/body-trailing-placeholder-punctuation",
            "t.yaml",
        ],
    );
    assert_eq!(
        rules_of(&selected),
        ["template/body-trailing-placeholder"],
        "selected before the cap"
    );

    write(
        dir.path(),
        "wabalint.yaml",
        "limits: { max_diagnostics: 1 }\n",
    );
    let (r, capped) = check_json(dir.path(), &["t.yaml"]);
    assert_eq!(r.code, 1);
    assert!(rules_of(&capped).contains(&"template/body-trailing-placeholder"));
    assert_eq!(capped["summary"]["warnings"], 521);
    let r = run(
        dir.path(),
        &["check", "--as-of", AS_OF, "--format", "concise", "t.yaml"],
    );
    assert!(
        r.stdout.contains("template/body-trailing-placeholder"),
        "{}",
        r.stdout
    );
}

// 9 ------------------------------------------------------------------------------------------

/// One record that is not a template does not make an export "not a manifest"; a template
/// with a `data` key is checked as a template.
#[test]
fn recognition_by_content_cannot_be_steered() {
    let dir = tempdir();
    let bad = r#"{"name": "late", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "Arrives at {{1}}"}]}"#;
    for (junk, rule) in [
        ("{}", "manifest/missing-key"),
        ("null", "manifest/wrong-type"),
    ] {
        write(
            dir.path(),
            "export.json",
            format!("{{\"data\": [{junk}, {bad}]}}"),
        );
        let (r, report) = check_json(dir.path(), &["--no-config", "export.json"]);
        assert_eq!(r.code, 1, "{junk}: {r:#?}");
        let pointers: Vec<(&str, &str)> = diagnostics(&report)
            .iter()
            .map(|d| (d["rule"].as_str().unwrap(), d["pointer"].as_str().unwrap()))
            .collect();
        assert!(
            pointers
                .iter()
                .any(|(r, p)| *r == rule && p.starts_with("/data/0")),
            "{junk}: {pointers:?}"
        );
        assert!(
            pointers.iter().any(
                |(r, p)| *r == "template/body-trailing-placeholder" && p.starts_with("/data/1")
            ),
            "{junk}: {pointers:?}"
        );
    }
    write(
        dir.path(),
        "both.json",
        r#"{"name": "late", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "Arrives at {{1}}"}], "data": [{"name": "ok", "language": "en_US", "category": "UTILITY", "components": []}]}"#,
    );
    let (_, report) = check_json(dir.path(), &["--no-config", "both.json"]);
    let rules = rules_of(&report);
    assert!(
        rules.contains(&"template/body-trailing-placeholder"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"manifest/unknown-key"),
        "`data` is a key of the template: {rules:?}"
    );
}

// 10 -----------------------------------------------------------------------------------------

/// A comment in a file cannot suppress the findings that say it was not checked; nor can the
/// configuration turn them off without an `ignore:` entry and its reason.
#[test]
fn a_file_cannot_declare_itself_checked() {
    let dir = tempdir();
    write(
        dir.path(),
        "docs.yaml",
        format!("# wabalint: ignore-file[manifest/limit] too many documents\n{CLEAN}---\n{CLEAN}"),
    );
    write(
        dir.path(),
        "broken.yaml",
        "# wabalint: ignore-file[manifest/syntax] generated\nname: [unclosed\n",
    );
    let (r, report) = check_json(
        dir.path(),
        &[
            "--no-config",
            "--limit",
            "max_documents=1",
            "docs.yaml",
            "broken.yaml",
        ],
    );
    assert_eq!(r.code, 1, "{r:#?}");
    let rules = rules_of(&report);
    assert!(rules.contains(&"manifest/limit"), "{rules:?}");
    assert!(rules.contains(&"manifest/syntax"), "{rules:?}");
    assert!(
        rules.contains(&"suppression/unused"),
        "the comment is reported: {rules:?}"
    );
    for config in [
        "severity:\n  manifest/syntax: off\n",
        "severity:\n  manifest/limit: warning\n",
        "overrides:\n  - files: [\"*.yaml\"]\n    severity: { manifest/syntax: info }\n",
    ] {
        write(dir.path(), "wabalint.yaml", config);
        let r = run(dir.path(), &["check", "broken.yaml"]);
        assert_eq!(r.code, 2, "{config}: {r:#?}");
        assert!(
            r.stderr.contains("means a file was not checked"),
            "{}",
            r.stderr
        );
    }
    write(
        dir.path(),
        "rules.yaml",
        "extends: meta\noverrides:\n  manifest/syntax: off\n",
    );
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--rules",
            "rules.yaml",
            "broken.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{r:#?}");
    // The configuration can accept it for a file, with a reason.
    write(
        dir.path(),
        "wabalint.yaml",
        "ignore:\n  - file: broken.yaml\n    rule: manifest/syntax\n    reason: a template for another tool\n",
    );
    let (r, _) = check_json(dir.path(), &["broken.yaml"]);
    assert_eq!(r.code, 0, "{r:#?}");
}

// 11 -----------------------------------------------------------------------------------------

/// Only `.gitignore` files inside the project count; every manifest passed over is counted.
#[cfg(unix)]
#[test]
fn ignore_files_outside_the_project_do_not_decide_what_is_checked() {
    let s = sandbox();
    let above = s.repo.parent().unwrap();
    write(above, ".gitignore", "*.yaml\n");
    write(above, ".ignore", "*.yaml\n");
    write(&s.repo, ".ignore", "t.yaml\n");
    write(&s.repo, ".git/info/exclude", "t.yaml\n");
    write(&s.outside, "global-excludes", "t.yaml\n");
    write(
        &s.outside,
        ".gitconfig",
        format!(
            "[core]\n\texcludesFile = {}\n",
            s.outside.join("global-excludes").display()
        ),
    );
    write(&s.repo, "t.yaml", TRAILING);
    write(&s.repo, "drafts/old.yaml", TRAILING);
    write(&s.repo, ".gitignore", "drafts/\n");
    let home = s.outside.to_str().unwrap();
    let r = run_env(
        &s.repo,
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            ".",
        ],
        &[("HOME", home), ("XDG_CONFIG_HOME", home)],
    );
    assert_eq!(r.code, 1, "t.yaml is checked: {r:#?}");
    let report = parse_report(&r);
    let files: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(files.iter().all(|f| *f == "t.yaml"), "{files:?}");
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(
        report["summary"]["skipped"], 1,
        "the git-ignored draft is counted: {}",
        report["summary"]
    );
}

// 12 -----------------------------------------------------------------------------------------

/// A configuration above the repository is not the project's; the summary names the
/// configuration and root in use.
#[test]
fn a_configuration_above_the_repository_is_not_applied() {
    let s = sandbox();
    let above = s.repo.parent().unwrap();
    write(
        above,
        "wabalint.yaml",
        "severity:\n  template/body-trailing-placeholder: off\n",
    );
    write(&s.repo, "sub/t.yaml", TRAILING);
    let sub = s.repo.join("sub");
    let (r, report) = check_json(&sub, &["t.yaml"]);
    assert_eq!(r.code, 1, "{r:#?}");
    assert_eq!(report["summary"]["root"], "..");
    assert_eq!(report["summary"]["config"], Value::Null);
    let human = run(&sub, &["check", "--as-of", AS_OF, "t.yaml"]);
    assert!(
        human.stdout.contains("project root `..`, no configuration"),
        "{}",
        human.stdout
    );
    write(
        &s.repo,
        ".wabalint.yaml",
        "severity:\n  template/body-trailing-placeholder: warning\n",
    );
    let (r, report) = check_json(&sub, &["t.yaml"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(report["summary"]["config"], "../.wabalint.yaml");
    assert_eq!(report["summary"]["root"], "..");
}

// 13 -----------------------------------------------------------------------------------------

/// Suppression directives are YAML comments: not text in strings or block scalars; placed on
/// their line with any line ending and a byte-order mark.
#[test]
fn suppressions_are_real_comments() {
    let dir = tempdir();
    let id = "template/body-trailing-placeholder";
    let in_string = TRAILING.replace(
        "name: order_update\n",
        &format!("name: order_update\nnotes: \"x # wabalint: ignore-file[{id}] approved\"\n"),
    );
    let in_block = TRAILING.replace(
        "name: order_update\n",
        &format!("name: order_update\nnotes: |\n  # wabalint: ignore-file[{id}] approved\n"),
    );
    for (name, text) in [("string.yaml", in_string), ("block.yaml", in_block)] {
        write(dir.path(), name, text);
        let (_, report) = check_json(dir.path(), &["--no-config", "--select", id, name]);
        assert_eq!(rules_of(&report), [id], "{name}: {report:#}");
    }
    let directive = format!("# wabalint: ignore[{id}] approved in 2022");
    let lone_cr = TRAILING
        .replace("    text:", &format!("    {directive}\n    text:"))
        .replace('\n', "\r");
    write(dir.path(), "cr.yaml", lone_cr);
    let bom = format!("\u{feff}# wabalint: ignore-file[{id}] approved in 2022\n{TRAILING}");
    write(dir.path(), "bom.yaml", bom);
    for name in ["cr.yaml", "bom.yaml"] {
        let (r, report) = check_json(dir.path(), &["--no-config", "--select", id, name]);
        assert_eq!(r.code, 0, "{name}: {report:#}");
    }
}

// 14 -----------------------------------------------------------------------------------------

#[test]
fn select_does_not_hide_that_a_file_was_not_checked() {
    let dir = tempdir();
    write(dir.path(), "big.yaml", format!("{CLEAN}---\n{CLEAN}"));
    let (r, report) = check_json(
        dir.path(),
        &[
            "--no-config",
            "--select",
            "template/",
            "--limit",
            "max_documents=1",
            "big.yaml",
        ],
    );
    assert_eq!(r.code, 1, "{r:#?}");
    assert_eq!(rules_of(&report), ["manifest/limit"]);
    let (r, _) = check_json(
        dir.path(),
        &[
            "--no-config",
            "--ignore",
            "manifest/",
            "--limit",
            "max_documents=1",
            "big.yaml",
        ],
    );
    assert_eq!(r.code, 1, "a prefix does not ignore it");
    let (r, _) = check_json(
        dir.path(),
        &[
            "--no-config",
            "--ignore",
            "manifest/limit",
            "--limit",
            "max_documents=1",
            "big.yaml",
        ],
    );
    assert_eq!(r.code, 0, "the exact id does");
}

/// The default evaluation date is today in UTC: as far east (UTC+14) and as far west (UTC−12)
/// as time zones go, at least one local date differs from UTC's at any moment.
#[test]
fn the_default_date_is_today_in_utc() {
    let dir = tempdir();
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let tomorrow = today.tomorrow().unwrap();
    write(
        dir.path(),
        "rules.yaml",
        format!("extends: meta\nrules:\n  - id: acme/today\n    kind: template\n    severity: error\n    summary: s\n    given: $.name\n    check: {{ function: absent }}\n    message: m\n    from: {today}\n    until: {tomorrow}\n"),
    );
    write(dir.path(), "t.yaml", CLEAN);
    for tz in ["Etc/GMT-14", "Etc/GMT+12", "UTC"] {
        let r = run_env(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--rules",
                "rules.yaml",
                "--format",
                "concise",
                "t.yaml",
            ],
            &[("TZ", tz)],
        );
        // Passes only on the UTC day (a run just across midnight UTC may see the next day).
        let next_day = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
            != today;
        if !next_day {
            assert!(r.stdout.contains("acme/today"), "TZ={tz}: {r:#?}");
        }
    }
}

/// Which of two duplicates is blamed, and the whole report, do not depend on the order of the
/// paths.
#[test]
fn the_report_does_not_depend_on_the_order_of_the_paths() {
    let dir = tempdir();
    write(dir.path(), "b.yaml", CLEAN);
    write(dir.path(), "a/x.yaml", CLEAN);
    write(
        dir.path(),
        "c.json",
        r#"{"name": "order_ready", "language": "en_US", "category": "UTILITY", "components": []}"#,
    );
    let (_, one) = check_json(dir.path(), &["--no-config", "b.yaml", "a", "c.json"]);
    let (_, two) = check_json(dir.path(), &["--no-config", "c.json", "b.yaml", "a"]);
    assert_eq!(one, two);
    let blamed: Vec<&str> = diagnostics(&one)
        .iter()
        .filter(|d| d["rule"] == "template/duplicate-name-and-language")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        blamed,
        ["b.yaml", "c.json"],
        "the first path in order is the original"
    );
}

#[test]
fn a_reason_needs_visible_characters() {
    let dir = tempdir();
    let id = "template/body-trailing-placeholder";
    write(
        dir.path(),
        "t.yaml",
        TRAILING.replace(
            "    text:",
            &format!("    # wabalint: ignore[{id}] \u{200b}\u{200c}\u{2060}\n    text:"),
        ),
    );
    let (r, report) = check_json(dir.path(), &["--no-config", "t.yaml"]);
    assert_eq!(r.code, 1);
    let rules = rules_of(&report);
    assert!(
        rules.contains(&id) && rules.contains(&"suppression/missing-reason"),
        "{rules:?}"
    );
    write(
        dir.path(),
        "wabalint.yaml",
        format!("ignore:\n  - file: t.yaml\n    rule: {id}\n    reason: \"\u{200b} \u{feff}\"\n"),
    );
    let r = run(dir.path(), &["check", "t.yaml"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("no visible character"), "{}", r.stderr);
}

// Smaller ------------------------------------------------------------------------------------

/// Every subcommand survives a closed pipe and a full disk: exit 2, no panic.
#[cfg(unix)]
#[test]
fn subcommands_handle_a_closed_pipe_and_a_full_disk() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", TRAILING);
    let commands: [&[&str]; 7] = [
        &["rules"],
        &["functions"],
        &["reference"],
        &["explain", "template/body-trailing-placeholder"],
        &["schema", "template"],
        &["check", "--no-config", "t.yaml"],
        &["check", "--no-config", "--format", "json", "t.yaml"],
    ];
    for args in commands {
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_wabalint"))
            .args(args)
            .current_dir(dir.path())
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} on a full disk: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_wabalint"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked"),
            "{args:?} on a closed pipe: {stderr}"
        );
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{args:?}: {:?}",
            out.status
        );
    }
}

/// JUnit stays valid XML with characters XML cannot hold; SARIF URIs are percent-encoded;
/// names that are not UTF-8 stay distinct.
#[cfg(unix)]
#[test]
fn reports_are_valid_and_names_distinct() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir();
    write(
        dir.path(),
        "a b#1.yaml",
        TRAILING.replace("order_update", "order\u{fffe}\u{ffff}update"),
    );
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "junit",
            ".",
        ],
    );
    assert!(
        !r.stdout.contains('\u{fffe}') && !r.stdout.contains('\u{ffff}'),
        "{}",
        r.stdout
    );
    if let Ok(mut python) = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(Stdio::piped())
        .spawn()
    {
        python
            .stdin
            .take()
            .unwrap()
            .write_all(r.stdout.as_bytes())
            .unwrap();
        assert!(
            python.wait().unwrap().success(),
            "not well-formed XML:\n{}",
            r.stdout
        );
    }
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "sarif",
            ".",
        ],
    );
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, "a%20b%231.yaml");

    let names = [&b"t\xff.yaml"[..], b"t\xfe.yaml"];
    for name in names {
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), TRAILING).unwrap();
    }
    let (_, report) = check_json(
        dir.path(),
        &[
            "--no-config",
            "--select",
            "template/body-trailing-placeholder",
            ".",
        ],
    );
    let mut files: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    files.dedup();
    assert_eq!(
        files,
        ["a b#1.yaml", "\"t\\xfe.yaml\"", "\"t\\xff.yaml\""],
        "{report:#}"
    );
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "sarif",
            ".",
        ],
    );
    assert!(
        r.stdout.contains("t%FE.yaml") && r.stdout.contains("t%FF.yaml"),
        "{}",
        r.stdout
    );
}

/// Lists in a configuration are bounded and matched in one pass per file.
#[test]
fn configuration_lists_are_bounded() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", CLEAN);
    let overrides: String = (0..40_000)
        .map(|i| {
            format!(
                "  - files: [\"x{i}/*.yaml\"]\n    severity: {{ template/body-too-long: off }}\n"
            )
        })
        .collect();
    write(
        dir.path(),
        "wabalint.yaml",
        format!("overrides:\n{overrides}"),
    );
    let started = std::time::Instant::now();
    let r = run(dir.path(), &["check", "t.yaml"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(
        r.stderr.contains("40000 overrides, more than the 1000"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("wabalint.yaml:2002:"),
        "at the entry past the limit: {}",
        r.stderr
    );
    let ignores: String = (0..40_000)
        .map(|i| {
            format!("  - {{ file: \"x{i}.json\", rule: template/body-too-long, reason: legacy }}\n")
        })
        .collect();
    write(dir.path(), "wabalint.yaml", format!("ignore:\n{ignores}"));
    let r = run(dir.path(), &["check", "t.yaml"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("more than the 10000"), "{}", r.stderr);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());

    // At the limits, 300 files are checked within seconds.
    let overrides: String = (0..1_000)
        .map(|i| format!("  - files: [\"d{i}/**/*.yaml\", \"*{i}.json\"]\n    pointer: /components/0\n    severity: {{ template/body-too-long: warning }}\n"))
        .collect();
    let ignores: String = (0..10_000)
        .map(|i| {
            format!(
                "  - {{ file: \"f{i}/*.json\", rule: template/body-too-long, reason: legacy }}\n"
            )
        })
        .collect();
    write(
        dir.path(),
        "wabalint.yaml",
        format!("overrides:\n{overrides}ignore:\n{ignores}"),
    );
    for i in 0..300 {
        write(
            dir.path(),
            &format!("many/t{i}.yaml"),
            CLEAN.replace("order_ready", &format!("order_ready_{i}")),
        );
    }
    let started = std::time::Instant::now();
    let r = run(
        dir.path(),
        &["check", "--as-of", AS_OF, "--format", "concise", "many"],
    );
    assert!(r.code == 0 || r.code == 1, "{r:#?}");
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn a_configuration_over_4_mib_is_reported_against_its_own_limit() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", CLEAN);
    write(
        dir.path(),
        "wabalint.yaml",
        format!("# {}\n", "x".repeat(5 << 20)),
    );
    let r = run(dir.path(), &["check", "t.yaml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("larger than 4 MiB"), "{}", r.stderr);
    assert!(!r.stderr.contains("max_file_size"), "{}", r.stderr);
}

// Found in review --------------------------------------------------------------------------------

/// A finding in a file of the project whose values come from a file outside it (its
/// counterpart in a check across files) quotes nothing of that file.
#[test]
fn checks_across_files_quote_nothing_of_a_counterpart_outside_the_root() {
    let s = sandbox();
    write(
        &s.outside,
        "spring.yaml",
        "name: spring_sale\nlanguage: de\ncategory: MARKETING\nstatus: paused_wJalrXUtnFEMI\ncomponents: [{type: BODY, text: \"Fr\u{fc}hling ist da. Jetzt 20 % sparen!\"}]\n",
    );
    write(
        &s.repo,
        "c.yaml",
        "kind: campaign\ntemplate: { name: spring_sale, language: de }\nrecipients_per_day: 100\nstart: 2026-12-01\n",
    );
    let outside = s.outside.join("spring.yaml");
    for format in ["human", "json", "concise"] {
        let r = run(
            &s.repo,
            &[
                "check",
                "--no-config",
                "--as-of",
                AS_OF,
                "--format",
                format,
                "c.yaml",
                outside.to_str().unwrap(),
            ],
        );
        assert!(
            r.stdout.contains("campaign/template-not-approved"),
            "{format}: {r:#?}"
        );
        let lower = r.stdout.to_lowercase();
        assert!(
            !lower.contains("wjalrxutnfemi"),
            "{format}: the status is quoted:\n{}",
            r.stdout
        );
    }
}

/// A configuration may lower limits, not raise them (a pull request could exhaust the runner);
/// the command line may, up to the depth the stack allows.
#[test]
fn a_configuration_cannot_raise_limits() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", CLEAN);
    for limit in [
        "max_depth: 9007199254740991",
        "max_selector_steps: 100000000",
        "max_file_size: 100000000",
    ] {
        write(dir.path(), "wabalint.yaml", format!("limits:\n  {limit}\n"));
        let r = run(dir.path(), &["check", "t.yaml"]);
        assert_eq!(r.code, 2, "{limit}: {r:#?}");
        assert!(
            r.stderr.contains("may lower limits, not raise them"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("wabalint.yaml:2:"), "{}", r.stderr);
    }
    write(
        dir.path(),
        "wabalint.yaml",
        "limits:\n  max_depth: 8\n  max_diagnostics: 1\n",
    );
    let (r, _) = check_json(dir.path(), &["t.yaml"]);
    assert_eq!(r.code, 0, "lowering is fine: {r:#?}");
    let deep = format!(
        "{CLEAN}deep:\n{}",
        (0..5000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect::<String>()
    );
    write(dir.path(), "deep.yaml", deep);
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--limit",
            "max_depth=100000",
            "deep.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("at most 256"), "{}", r.stderr);
    let (r, report) = check_json(
        dir.path(),
        &["--no-config", "--limit", "max_depth=256", "deep.yaml"],
    );
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(rules_of(&report).contains(&"manifest/limit"), "{report:#}");
}

/// `--output` into a directory that is a committed link, even one outside a narrower root.
#[cfg(unix)]
#[test]
fn reports_are_never_written_through_a_linked_directory() {
    let s = sandbox();
    write(&s.repo, "sub/t.yaml", CLEAN);
    write(&s.outside, "wabalint.sarif", "keep me\n");
    symlink(&s.outside, s.repo.join("reports"));
    for extra in [&[][..], &["--root", "sub"]] {
        let r = run(
            &s.repo,
            &[
                &["check", "--no-config", "--output", "reports/wabalint.sarif"],
                extra,
                &["sub"],
            ]
            .concat(),
        );
        assert_eq!(r.code, 2, "{extra:?}: {r:#?}");
        assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
        assert_eq!(
            std::fs::read_to_string(s.outside.join("wabalint.sarif")).unwrap(),
            "keep me\n"
        );
    }
}

/// `.git` is not the project's: a checkout keeps its token in `.git/config`.
#[test]
fn references_into_git_are_refused() {
    let s = sandbox();
    write(
        &s.repo,
        ".git/config",
        "[http]\n\textraheader = AUTHORIZATION: basic wJalrXUtnFEMI\n",
    );
    write(&s.repo, "t.yaml", CLEAN);
    write(&s.repo, "wabalint.yaml", "rules: [.git/config]\n");
    let r = run(&s.repo, &["check", "t.yaml"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert_no_secret(&r, "rules: [.git/config]");
    assert!(r.stderr.contains("into its `.git`"), "{}", r.stderr);
}

/// A link named on the command line to a file that blocks when read (`/proc/kmsg`, readable by
/// root) or a FIFO is unreadable, not a hang.
#[cfg(unix)]
#[test]
fn a_named_link_to_a_blocking_file_does_not_hang() {
    let dir = tempdir();
    let kmsg = Path::new("/proc/kmsg");
    if std::fs::File::open(kmsg).is_ok() {
        symlink(kmsg, dir.path().join("kmsg.yaml"));
        let started = std::time::Instant::now();
        let (r, report) = check_json(dir.path(), &["--no-config", "kmsg.yaml"]);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert_eq!(r.code, 1, "{r:#?}");
        assert_eq!(rules_of(&report), ["manifest/unreadable"]);
    } else {
        eprintln!("SKIPPED the /proc/kmsg case: not readable by this user");
    }
}

/// Globs are bounded in length, and a glob set that cannot be built is an error (an `include:`
/// dropped silently would exclude every file).
#[test]
fn configuration_globs_are_bounded() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", TRAILING);
    let alternatives: Vec<String> = (0..600).map(|i| format!("x{i}*y*z")).collect();
    let glob = format!("**/{{{}}}/**", alternatives.join(","));
    write(
        dir.path(),
        "wabalint.yaml",
        format!("exclude: [\"{glob}\"]\n"),
    );
    let r = run(dir.path(), &["check", "t.yaml"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("more than the 4096"), "{}", r.stderr);
    let short: String = (0..100)
        .map(|g| format!("\"**/{{{}}}{g}/**\", ", alternatives[..300].join(",")))
        .collect();
    write(
        dir.path(),
        "wabalint.yaml",
        format!("include: [{}]\n", short.trim_end_matches(", ")),
    );
    let r = run(dir.path(), &["check", "t.yaml"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("config/invalid"), "{}", r.stderr);
}
