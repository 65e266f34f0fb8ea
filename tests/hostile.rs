//! Hostile inputs: every one ends in a diagnostic that says what is wrong and where, exit 1 (a
//! problem in a manifest) or 2 (wabalint cannot run as asked), within 2 s and 200 MB — never a
//! crash, a hang, unbounded memory or a silent pass. The same for hostile rule files and
//! configurations (exit 2, a diagnostic pointing into the offending file). Inputs are generated
//! in temporary directories; nothing big is kept in git.
//!
//! Each run is measured: wall time around the process, and peak memory (maximum resident set
//! size) from GNU `/usr/bin/time -f %M` when it exists, else by polling `VmHWM` in
//! `/proc/<pid>/status`. Runs are serialised (one at a time) so their timings do not disturb each
//! other, capped at 4 GiB of address space so that a regression cannot take the machine, and
//! killed (with their process group) after 30 s, which the test reports as a hang.
//!
//! The budgets apply to the binary under test: `cargo test` builds it with the dev profile
//! (`opt-level = 1`, see Cargo.toml), so they hold with room to spare in a release build.
//!
//! Tests of behaviour that is still wrong are kept, marked `#[ignore = "bug: …"]`; run them with
//! `cargo test --test hostile -- --ignored`.

mod common;

use common::{clip, diagnostics, only, root, rules_of, tempdir, write, AS_OF};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

const BIN: &str = env!("CARGO_BIN_EXE_wabalint");
/// Wall time allowed for one run over a hostile input.
const TIME_BUDGET: Duration = Duration::from_secs(2);
/// Peak resident memory allowed for one run, in KiB.
const MEMORY_BUDGET_KB: u64 = 200 * 1024;
/// A run still going after this is killed and reported as a hang.
const HANG: Duration = Duration::from_secs(30);
/// Address-space cap for every run (KiB), so a runaway allocation fails instead of swapping.
const ADDRESS_SPACE_KB: u64 = 4 * 1024 * 1024;
/// How much of stdout a run keeps (it still counts all of it).
const KEEP_STDOUT: usize = 16 << 20;

/// One measured run at a time.
static SERIAL: Mutex<()> = Mutex::new(());

thread_local! {
    static EXCLUSIVE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Holds [`SERIAL`] for a whole test whose own work (creating 100,000 files) would disturb the
/// timing of other tests' runs; its runs then do not take the lock again.
struct Exclusive(#[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

fn exclusive() -> Exclusive {
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    EXCLUSIVE.with(|e| e.set(true));
    Exclusive(guard)
}

impl Drop for Exclusive {
    fn drop(&mut self) {
        EXCLUSIVE.with(|e| e.set(false));
    }
}

fn serial() -> Option<std::sync::MutexGuard<'static, ()>> {
    if EXCLUSIVE.with(|e| e.get()) {
        None
    } else {
        Some(SERIAL.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

// ---------------------------------------------------------------------------------------------
// Running and measuring the binary
// ---------------------------------------------------------------------------------------------

/// What the run reads on stdin.
enum Stdin {
    Null,
    /// `len` bytes repeating `chunk`, written as fast as the child reads them.
    Stream {
        chunk: Vec<u8>,
        len: usize,
    },
}

#[derive(Debug)]
struct Run {
    /// `None` when the process was killed by a signal (or by the hang guard).
    code: Option<i32>,
    /// The first [`KEEP_STDOUT`] bytes.
    stdout: Vec<u8>,
    stdout_len: usize,
    stderr: String,
    wall: Duration,
    /// Peak resident set size in KiB, when it could be measured.
    peak_kb: Option<u64>,
    hung: bool,
}

impl Run {
    fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The `--format json` report.
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a JSON report ({e}); exit {:?}\n--- stdout ({} bytes) ---\n{}\n--- stderr ---\n{}",
                self.code,
                self.stdout_len,
                clip(&self.stdout_text()),
                clip(&self.stderr)
            )
        })
    }
}

/// GNU time, which can write `%M` (peak RSS in KiB) to a file of its own.
fn gnu_time() -> Option<&'static str> {
    static FOUND: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *FOUND.get_or_init(|| {
        Command::new("/usr/bin/time")
            .args(["-f", "%M", "-o", "/dev/null", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    ok.then_some("/usr/bin/time")
}

/// `VmHWM` (peak RSS, KiB) of a live process.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut total = 0;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n;
                    let room = KEEP_STDOUT.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        (kept, total)
    })
}

/// Runs `wabalint ARGS` in `dir`, measured.
fn run_with(dir: &Path, args: &[&str], stdin: Stdin, env: &[(&str, &str)]) -> Run {
    let _one_at_a_time = serial();
    let mem_file = tempfile::NamedTempFile::new().expect("temporary file");
    // sh caps the address space, then execs (GNU time →) wabalint.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {ADDRESS_SPACE_KB} && exec \"$@\""))
        .arg("sh");
    let time = gnu_time();
    if let Some(time) = time {
        cmd.arg(time)
            .args(["-f", "%M", "-o"])
            .arg(mem_file.path())
            .arg("--");
    }
    cmd.arg(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .envs(env.iter().copied())
        .stdin(match stdin {
            Stdin::Null => Stdio::null(),
            Stdin::Stream { .. } => Stdio::piped(),
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let start = Instant::now();
    let mut child = cmd.spawn().expect("wabalint starts");
    let pid = child.id();
    let feeder = match stdin {
        Stdin::Null => None,
        Stdin::Stream { chunk, len } => {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            Some(std::thread::spawn(move || {
                let mut left = len;
                while left > 0 {
                    let n = left.min(chunk.len());
                    if pipe.write_all(&chunk[..n]).is_err() {
                        break; // the child stopped reading: fine
                    }
                    left -= n;
                }
            }))
        }
    };
    let out = reader(child.stdout.take().expect("stdout is piped"));
    let err = reader(child.stderr.take().expect("stderr is piped"));
    let mut polled: Option<u64> = None;
    let mut hung = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for wabalint") {
            break status;
        }
        if time.is_none() {
            // The child is `sh` exec'd into wabalint: same pid.
            if let Some(kb) = vm_hwm(pid) {
                polled = Some(polled.unwrap_or(0).max(kb));
            }
        }
        if start.elapsed() > HANG {
            hung = true;
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            break child.wait().expect("wait for the killed run");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = start.elapsed();
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let (stdout, stdout_len) = out.join().expect("stdout reader");
    let (stderr, _) = err.join().expect("stderr reader");
    let measured = std::fs::read_to_string(mem_file.path()).unwrap_or_default();
    // GNU time writes "Command exited with non-zero status N" / "Command terminated by
    // signal N" before the format's line.
    let signalled = measured.contains("terminated by signal");
    let peak_kb = match time {
        Some(_) => measured
            .lines()
            .rev()
            .find_map(|l| l.trim().parse::<u64>().ok()),
        None => polled,
    };
    if std::env::var_os("HOSTILE_TIMES").is_some() {
        eprintln!(
            "TIME {:>10.3?} {:>8?} KiB  {}",
            wall,
            peak_kb,
            args.join(" ").chars().take(120).collect::<String>()
        );
    }
    Run {
        code: if hung || signalled {
            None
        } else {
            status.code()
        },
        stdout,
        stdout_len,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        wall,
        peak_kb,
        hung,
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, Stdin::Null, &[])
}

/// `wabalint check --no-config --as-of 2026-11-26 --format json PATHS…` in `dir`.
fn check(dir: &Path, paths: &[&str]) -> Run {
    let mut args = vec!["check", "--no-config", "--as-of", AS_OF, "--format", "json"];
    args.extend_from_slice(paths);
    run(dir, &args)
}

/// Within `time` and the memory budget, not hung.
fn assert_budget(r: &Run, time: Duration, what: &str) {
    assert!(
        !r.hung,
        "{what}: still running after {HANG:?}, killed (a hang)\n--- stderr ---\n{}",
        clip(&r.stderr)
    );
    assert!(
        r.wall < time,
        "{what}: took {:.2?}, the budget is {time:?}",
        r.wall
    );
    match r.peak_kb {
        Some(kb) => assert!(
            kb < MEMORY_BUDGET_KB,
            "{what}: peak memory {} MB, the budget is {} MB",
            kb / 1024,
            MEMORY_BUDGET_KB / 1024
        ),
        None => eprintln!("{what}: peak memory not measured (no GNU time, no /proc)"),
    }
}

fn assert_exit(r: &Run, code: i32, what: &str) {
    assert_eq!(
        r.code,
        Some(code),
        "{what}: exit code\n--- stdout ({} bytes) ---\n{}\n--- stderr ---\n{}",
        r.stdout_len,
        clip(&r.stdout_text()),
        clip(&r.stderr)
    );
}

/// Exit code, time and memory budget, and the JSON report.
fn checked(r: &Run, code: i32, what: &str) -> Value {
    assert_budget(r, TIME_BUDGET, what);
    assert_exit(r, code, what);
    r.json()
}

/// (line, column) of a diagnostic.
fn at(d: &Value) -> (u64, u64) {
    (
        d["line"].as_u64().expect("line"),
        d["column"].as_u64().expect("column"),
    )
}

fn message(d: &Value) -> String {
    d["message"].as_str().unwrap_or("").to_lowercase()
}

fn assert_mentions(d: &Value, words: &[&str]) {
    let m = message(d);
    for w in words {
        assert!(
            m.contains(&w.to_lowercase()),
            "the message should mention `{w}`: {d:#}"
        );
    }
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

// ---------------------------------------------------------------------------------------------
// The hostile inputs (shared by the single tests and the whole-corpus test)
// ---------------------------------------------------------------------------------------------

const CLEAN: &str = "name: order_ready\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Your order is ready for pickup. See you soon!\"\n";

/// A template whose body ends with a placeholder, with its body text on `line`
/// (`template/body-trailing-placeholder` at column 5 + "text: " = column 11 for the value).
fn trailing(newline: &str) -> String {
    [
        "name: order_ready",
        "language: en_US",
        "category: UTILITY",
        "components:",
        "  - type: BODY",
        "    text: \"Your order is ready for {{1}}\"",
        "    example:",
        "      body_text: [[\"pickup\"]]",
        "",
    ]
    .join(newline)
}

/// 10 levels of 10 aliases each: 10^10 nodes when expanded.
fn billion_laughs() -> String {
    let mut s = String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(",");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s
}

/// The first bytes of a PNG image, then binary noise.
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89".to_vec();
    b.extend((0..=255u8).cycle().take(4096));
    b
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

/// Small hostile files: (name, content, expected exit code of `check FILE`, rule expected).
fn corpus() -> Vec<(&'static str, Vec<u8>, i32, &'static str)> {
    vec![
        ("empty.yaml", Vec::new(), 1, "manifest/empty"),
        (
            "whitespace.yaml",
            b"  \n\t\n   \r\n\n".to_vec(),
            1,
            "manifest/empty",
        ),
        ("image.json", png(), 1, "manifest/encoding"),
        (
            "latin1.yaml",
            b"name: x\nlanguage: caf\xe9\n".to_vec(),
            1,
            "manifest/encoding",
        ),
        ("utf16le.yaml", utf16(CLEAN, false), 1, "manifest/encoding"),
        ("utf16be.yaml", utf16(CLEAN, true), 1, "manifest/encoding"),
        (
            "bom.yaml",
            [b"\xef\xbb\xbf".as_slice(), trailing("\n").as_bytes()].concat(),
            1,
            "template/body-trailing-placeholder",
        ),
        (
            "crlf.yaml",
            trailing("\r\n").into_bytes(),
            1,
            "template/body-trailing-placeholder",
        ),
        (
            "tabs.yaml",
            b"name: order_ready\ncomponents:\n\t- type: BODY\n".to_vec(),
            1,
            "manifest/syntax",
        ),
        (
            "last-byte.yaml",
            b"name: order_ready\nlanguage: en_US\ncategory: UTILITY\ncomponents: [".to_vec(),
            1,
            "manifest/syntax",
        ),
        (
            "duplicate.yaml",
            b"name: a\nlanguage: en_US\nname: b\n".to_vec(),
            1,
            "manifest/syntax",
        ),
        (
            "documents.yaml",
            format!("{CLEAN}---\n{}", trailing("\n")).into_bytes(),
            1,
            "template/body-trailing-placeholder",
        ),
        (
            "bomb.yaml",
            billion_laughs().into_bytes(),
            1,
            "manifest/limit",
        ),
        (
            "deep-flow.json",
            [vec![b'['; 100_000], vec![b']'; 100_000]].concat(),
            1,
            "manifest/limit",
        ),
        (
            "deep-block.yaml",
            [b"- ".repeat(100_000), b"x\n".to_vec()].concat(),
            1,
            "manifest/limit",
        ),
        (
            "raw-nul.yaml",
            b"name: order\x00ready\nlanguage: en_US\n".to_vec(),
            1,
            "manifest/syntax",
        ),
        (
            "infinite.json",
            b"{\"name\": \"order_ready\", \"message_send_ttl_seconds\": 1e999}".to_vec(),
            1,
            "manifest/syntax",
        ),
        ("clean.yaml", CLEAN.as_bytes().to_vec(), 0, ""),
    ]
}

fn corpus_file(name: &str) -> Vec<u8> {
    corpus()
        .into_iter()
        .find(|(n, ..)| *n == name)
        .unwrap_or_else(|| panic!("no corpus file {name}"))
        .1
}

/// Writes one corpus file into a fresh directory and checks it.
fn check_corpus_file(name: &str) -> (tempfile::TempDir, Run) {
    let dir = tempdir();
    write(dir.path(), name, corpus_file(name));
    let r = check(dir.path(), &[name]);
    (dir, r)
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_file() {
    let (_dir, r) = check_corpus_file("empty.yaml");
    let report = checked(&r, 1, "empty file");
    let d = only(&report, "manifest/empty");
    assert_eq!(at(d), (1, 1));
    assert_mentions(d, &["empty"]);
}

#[test]
fn whitespace_only_file() {
    let (_dir, r) = check_corpus_file("whitespace.yaml");
    let report = checked(&r, 1, "whitespace only");
    assert_mentions(only(&report, "manifest/empty"), &["empty"]);
}

#[test]
fn png_renamed_to_json() {
    let (_dir, r) = check_corpus_file("image.json");
    let report = checked(&r, 1, "PNG renamed .json");
    let d = only(&report, "manifest/encoding");
    assert_eq!(at(d), (1, 1), "the first byte is not UTF-8");
    assert_mentions(d, &["UTF-8", "binary"]);
    assert_eq!(rules_of(&report), ["manifest/encoding"]);
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let (_dir, r) = check_corpus_file("latin1.yaml");
    let report = checked(&r, 1, "invalid UTF-8");
    let d = only(&report, "manifest/encoding");
    // "language: caf" is 13 characters; the Latin-1 é is the 14th.
    assert_eq!(at(d), (2, 14));
    assert_mentions(d, &["UTF-8", "byte 21"]);
}

#[test]
fn utf16_with_byte_order_mark() {
    for name in ["utf16le.yaml", "utf16be.yaml"] {
        let (_dir, r) = check_corpus_file(name);
        let report = checked(&r, 1, name);
        let d = only(&report, "manifest/encoding");
        assert_eq!(at(d), (1, 1));
        assert_mentions(d, &["UTF-16", "UTF-8"]);
    }
}

#[test]
fn utf32_with_byte_order_mark_is_not_called_utf16() {
    let dir = tempdir();
    let mut le = vec![0xFF, 0xFE, 0x00, 0x00];
    let mut be = vec![0x00, 0x00, 0xFE, 0xFF];
    for c in CLEAN.chars() {
        le.extend((c as u32).to_le_bytes());
        be.extend((c as u32).to_be_bytes());
    }
    write(dir.path(), "utf32le.yaml", le);
    write(dir.path(), "utf32be.yaml", be);
    for name in ["utf32le.yaml", "utf32be.yaml"] {
        let report = checked(&check(dir.path(), &[name]), 1, name);
        let d = only(&report, "manifest/encoding");
        assert_eq!(at(d), (1, 1));
        assert_mentions(d, &["UTF-32", "UTF-8"]);
    }
}

#[test]
fn utf8_byte_order_mark_is_accepted_and_not_a_column() {
    let (_dir, r) = check_corpus_file("bom.yaml");
    let report = checked(&r, 1, "UTF-8 BOM");
    assert!(
        !rules_of(&report).iter().any(|r| r.starts_with("manifest/")),
        "a UTF-8 BOM is fine: {report:#}"
    );
    // Line 1 starts after the BOM: the name's value is at column 7 of line 1.
    let dir = tempdir();
    write(
        dir.path(),
        "t.yaml",
        format!("\u{feff}{}", CLEAN.replace("order_ready", "Order-Ready")),
    );
    let report = checked(&check(dir.path(), &["t.yaml"]), 1, "UTF-8 BOM, bad name");
    assert_eq!(
        at(only(&report, "template/name-invalid-characters")),
        (1, 7)
    );
}

#[test]
fn crlf_line_endings() {
    let (_dir, r) = check_corpus_file("crlf.yaml");
    let report = checked(&r, 1, "CRLF");
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(d["line"], 6);
    assert!(
        !rules_of(&report).iter().any(|r| r.starts_with("manifest/")),
        "CRLF is fine: {report:#}"
    );
}

#[test]
fn mixed_line_endings() {
    // LF, CRLF and a lone CR (a line break in YAML) in one file.
    let text = "name: order_ready\r\nlanguage: en_US\rcategory: UTILITY\ncomponents:\r\n  - type: BODY\r    text: \"Your order is ready for {{1}}\"\r\n    example:\n      body_text: [[\"pickup\"]]\r\n";
    let dir = tempdir();
    write(dir.path(), "mixed.yaml", text);
    let report = checked(&check(dir.path(), &["mixed.yaml"]), 1, "mixed line endings");
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(d["line"], 6);
    assert!(
        !rules_of(&report).iter().any(|r| r.starts_with("manifest/")),
        "{report:#}"
    );
}

#[test]
fn tabs_in_yaml_indentation() {
    let (_dir, r) = check_corpus_file("tabs.yaml");
    let report = checked(&r, 1, "tab indentation");
    let d = only(&report, "manifest/syntax");
    assert_eq!(d["line"], 3);
    assert!(at(d).1 <= 2, "at the tab (or just after it): {d:#}");
    assert_mentions(d, &["tab"]);
}

#[test]
fn syntax_error_at_the_last_byte() {
    let (_dir, r) = check_corpus_file("last-byte.yaml");
    let report = checked(&r, 1, "unclosed [ at the last byte");
    let d = only(&report, "manifest/syntax");
    assert_eq!(at(d), (4, 13), "at the unclosed `[`, the file's last byte");
    assert_mentions(d, &["unclosed"]);

    let dir = tempdir();
    let text = CLEAN.trim_end().trim_end_matches('"');
    write(dir.path(), "quote.yaml", text);
    let report = checked(
        &check(dir.path(), &["quote.yaml"]),
        1,
        "unclosed quote at EOF",
    );
    let d = only(&report, "manifest/syntax");
    assert_eq!(at(d), (6, 11), "at the opening quote: {d:#}");
    assert_mentions(d, &["quote"]);
}

#[test]
fn duplicate_keys_name_both_places() {
    let (_dir, r) = check_corpus_file("duplicate.yaml");
    let report = checked(&r, 1, "duplicate key");
    let d = only(&report, "manifest/syntax");
    assert_eq!(at(d), (3, 1), "at the second `name`");
    assert_mentions(d, &["duplicate", "name"]);
    let related = d["related"].as_array().expect("related");
    assert!(
        related.iter().any(|l| l["line"] == 1 && l["column"] == 1),
        "the first `name` is shown too: {d:#}"
    );

    // JSON, nested, on one line.
    let dir = tempdir();
    write(
        dir.path(),
        "dup.json",
        r#"{"name": "a", "components": [{"type": "BODY", "text": "x", "type": "HEADER"}]}"#,
    );
    let report = checked(&check(dir.path(), &["dup.json"]), 1, "duplicate JSON key");
    let d = only(&report, "manifest/syntax");
    assert_eq!(at(d), (1, 60), "at the second \"type\": {d:#}");
    assert_mentions(d, &["duplicate", "type"]);
    assert!(
        d["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["line"] == 1 && l["column"] == 31),
        "the first \"type\" is shown too: {d:#}"
    );
}

#[test]
fn several_documents_in_one_file() {
    let (_dir, r) = check_corpus_file("documents.yaml");
    let report = checked(&r, 1, "two documents");
    // The second document starts on line 8 (after 6 lines and `---`): its body is on line 13.
    let d = only(&report, "template/body-trailing-placeholder");
    assert_eq!(d["line"], 13);
}

#[test]
fn more_documents_than_the_limit() {
    let dir = tempdir();
    write(dir.path(), "docs.yaml", "---\nname: a\n".repeat(1001));
    let report = checked(&check(dir.path(), &["docs.yaml"]), 1, "1001 documents");
    let d = only(&report, "manifest/limit");
    assert_mentions(d, &["1000", "max_documents"]);
    assert!(
        d["line"].as_u64().unwrap() > 1,
        "where the limit was hit: {d:#}"
    );
}

#[test]
fn anchors_aliases_and_merge_keys_used_legitimately() {
    // An export whose second template reuses the first one's body through an alias and the
    // first one's settings through a merge key; a quick-reply button is merged too.
    let text = r#"data:
  - &first
    name: order_ready
    language: en_US
    category: UTILITY
    components:
      - &body
        type: BODY
        text: "Your order is ready for pickup. See you soon!"
      - type: BUTTONS
        buttons:
          - &yes { type: QUICK_REPLY, text: "Yes" }
          - <<: *yes
            text: "No"
  - <<: *first
    name: order_ready_2
    language: de
    components:
      - *body
  - name: order_late
    language: en_US
    category: UTILITY
    components:
      - type: BODY
        text: &late "Your order is late, it arrives {{1}}"
        example: { body_text: [["tomorrow"]] }
  - name: order_late_2
    language: en_US
    category: UTILITY
    components:
      - type: BODY
        text: *late
        example: { body_text: [["tomorrow"]] }
"#;
    let dir = tempdir();
    write(dir.path(), "export.yaml", text);
    let report = checked(&check(dir.path(), &["export.yaml"]), 1, "anchors");
    let found = rules_of(&report);
    assert!(
        !found.iter().any(|r| r.starts_with("manifest/")),
        "anchors, aliases and merge keys are valid YAML: {report:#}"
    );
    // The trailing placeholder is reported for both templates: in the second at the alias,
    // with the place where the text is written.
    let trailing: Vec<&Value> = diagnostics(&report)
        .iter()
        .filter(|d| d["rule"] == "template/body-trailing-placeholder")
        .collect();
    assert_eq!(trailing.len(), 2, "{report:#}");
    assert_eq!(trailing[0]["line"], 25);
    assert_eq!(trailing[1]["line"], 32);
    assert!(
        trailing[1]["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["line"] == 25),
        "the alias's diagnostic shows where the value is defined: {:#}",
        trailing[1]
    );
}

#[test]
fn alias_bomb() {
    let (_dir, r) = check_corpus_file("bomb.yaml");
    let report = checked(&r, 1, "billion laughs");
    assert_mentions(only(&report, "manifest/limit"), &["max_nodes"]);
}

#[test]
fn alias_bomb_is_stopped_by_a_configurable_limit() {
    // The part of `alias_bomb` that holds today, fast: with `--limit max_nodes=10000` the bomb
    // is stopped within budget, with a diagnostic naming the limit.
    let dir = tempdir();
    write(dir.path(), "bomb.yaml", billion_laughs());
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--limit",
            "max_nodes=10000",
            "bomb.yaml",
        ],
    );
    let report = checked(&r, 1, "billion laughs, max_nodes=10000");
    let d = only(&report, "manifest/limit");
    assert_mentions(d, &["10000", "max_nodes"]);
    assert!(d["line"].as_u64().unwrap() >= 1);
}

#[test]
fn nesting_100000_deep_flow() {
    let (_dir, r) = check_corpus_file("deep-flow.json");
    let report = checked(&r, 1, "100,000 x [");
    let d = only(&report, "manifest/limit");
    assert_eq!(d["line"], 1);
    assert_mentions(d, &["deeper"]);

    // Unclosed, and mappings.
    let dir = tempdir();
    write(dir.path(), "open.json", vec![b'['; 100_000]);
    write(
        dir.path(),
        "maps.json",
        ["{\"a\":".repeat(100_000), "1".into(), "}".repeat(100_000)].concat(),
    );
    for name in ["open.json", "maps.json"] {
        let report = checked(&check(dir.path(), &[name]), 1, name);
        assert_mentions(only(&report, "manifest/limit"), &["deeper"]);
    }
}

#[test]
fn nesting_100000_deep_block_collections() {
    // `- - - … x`: 100,000 nested block sequences on one line.
    let (_dir, r) = check_corpus_file("deep-block.yaml");
    let report = checked(&r, 1, "100,000 nested block sequences");
    let d = only(&report, "manifest/limit");
    assert_mentions(d, &["64", "max_depth"]);
    assert_eq!(d["line"], 1);

    // Block mappings need one more column of indentation per level: 100,000 levels would be
    // 5 GB of spaces (far over max_file_size), so 3,000 levels (4.5 MB) stand in for them.
    let dir = tempdir();
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    write(dir.path(), "maps.yaml", text);
    let report = checked(
        &check(dir.path(), &["maps.yaml"]),
        1,
        "3,000 nested mappings",
    );
    let d = only(&report, "manifest/limit");
    assert_mentions(d, &["max_depth"]);
    assert_eq!(d["line"], 65, "where the 65th level starts: {d:#}");
}

#[test]
fn file_of_200_mb() {
    // Sparse: 200 MB on paper, nothing on disk. The size is checked before reading.
    let dir = tempdir();
    let f = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    let report = checked(&check(dir.path(), &["huge.yaml"]), 1, "200 MB file");
    let d = only(&report, "manifest/limit");
    assert_mentions(d, &["200.0 MB", "max_file_size"]);
    assert_eq!(rules_of(&report), ["manifest/limit"]);

    // Raising the limit is possible, and then the file is read.
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--limit",
            "max_file_size=1000",
            "huge.yaml",
        ],
    );
    assert_exit(&r, 1, "200 MB, lower limit");
    assert_mentions(only(&r.json(), "manifest/limit"), &["max_file_size"]);
}

#[test]
fn stream_of_200_mb_on_stdin() {
    let dir = tempdir();
    let r = run_with(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "-",
        ],
        Stdin::Stream {
            chunk: b"# padding padding padding padding padding padding padding padding\n"
                .repeat(1024),
            len: 200 << 20,
        },
        &[],
    );
    let report = checked(&r, 1, "200 MB on stdin");
    assert_mentions(only(&report, "manifest/limit"), &["max_file_size"]);
}

#[test]
fn single_line_string_of_1_mb() {
    let dir = tempdir();
    let text = CLEAN.replace(
        "Your order is ready for pickup. See you soon!",
        &"a".repeat(1 << 20),
    );
    write(dir.path(), "long.yaml", text);
    let report = checked(&check(dir.path(), &["long.yaml"]), 1, "1 MB string");
    let d = only(&report, "template/body-too-long");
    assert_eq!(at(d), (6, 11));
    assert_mentions(d, &["1048576"]);
}

#[test]
fn human_report_of_a_long_line_is_bounded() {
    let dir = tempdir();
    let text = CLEAN.replace(
        "Your order is ready for pickup. See you soon!",
        &"a".repeat(1 << 20),
    );
    write(dir.path(), "long.yaml", text);
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--color",
            "never",
            "long.yaml",
        ],
    );
    assert_budget(&r, TIME_BUDGET, "human report of a 1 MB line");
    assert_exit(&r, 1, "human report of a 1 MB line");
    assert!(
        r.stdout_len < 64 * 1024,
        "the report of one finding is {} bytes",
        r.stdout_len
    );
    // Many findings on one line: a minified export.
    let mut data = Vec::new();
    for i in 0..600 {
        data.push(format!(r#"{{"name":"t{i}","language":"en_US","category":"UTILITY","components":[{{"type":"BODY","text":"Hi {{{{1}}}}"}}]}}"#));
    }
    write(
        dir.path(),
        "min.json",
        format!("{{\"data\":[{}]}}", data.join(",")),
    );
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--color",
            "never",
            "min.json",
        ],
    );
    assert_budget(&r, TIME_BUDGET, "human report of a minified export");
    assert!(
        r.stdout_len < 4 << 20,
        "the report is {} bytes",
        r.stdout_len
    );
}

#[test]
fn nul_and_control_characters_in_keys_and_values() {
    let dir = tempdir();
    // Escaped in double quotes: valid YAML.
    let text = "name: \"order\\0ready\\a\"\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: \"Your order is ready.\"\n\"k\\0e\\x1b[2Jy\": 1\n";
    write(dir.path(), "escaped.yaml", text);
    let report = checked(&check(dir.path(), &["escaped.yaml"]), 1, "escaped NUL");
    assert_eq!(
        at(only(&report, "template/name-invalid-characters")),
        (1, 7)
    );
    let d = only(&report, "manifest/unknown-key");
    assert_eq!(at(d), (7, 1));
    // Raw NUL: not allowed in YAML.
    let (_dir, r) = check_corpus_file("raw-nul.yaml");
    let report = checked(&r, 1, "raw NUL");
    let d = only(&report, "manifest/syntax");
    assert_eq!(at(d), (1, 12));
}

#[test]
fn control_characters_are_escaped_in_text_reports() {
    let dir = tempdir();
    let text = format!("{CLEAN}\"\\e]0;pwned\\a\\e[2J\\0\": 1\n");
    write(dir.path(), "t.yaml", text);
    // The machine-readable formats (json, sarif, junit) escape through their serializers.
    for format in ["human", "concise", "github", "json", "sarif", "junit"] {
        let r = run(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--as-of",
                AS_OF,
                "--color",
                "never",
                "--format",
                format,
                "t.yaml",
            ],
        );
        assert_exit(&r, 1, format);
        let bad: Vec<u8> = r
            .stdout
            .iter()
            .copied()
            .filter(|b| *b < 0x20 && *b != b'\n')
            .collect();
        assert!(
            bad.is_empty(),
            "--format {format}: control bytes {bad:?} in\n{}",
            r.stdout_text()
        );
        if ["human", "concise", "github"].contains(&format) {
            assert!(
                r.stdout_text().contains("\\x1b]0;pwned\\x07"),
                "--format {format}: the key is shown, escaped\n{}",
                r.stdout_text()
            );
        }
    }
}

/// "Trojan Source": a right-to-left override in a key would show the report's text in another
/// order than it has. The text reports show it as an escape; right-to-left marks stay.
#[test]
fn bidirectional_overrides_are_escaped_in_text_reports() {
    let dir = tempdir();
    write(
        dir.path(),
        "t.yaml",
        format!("{CLEAN}\"a\u{202e}b\u{200f}c\": 1\n"),
    );
    for format in ["human", "concise", "github"] {
        let args = ["check", "--no-config", "--as-of", AS_OF, "--color", "never"];
        let r = run(
            dir.path(),
            &[&args[..], &["--format", format, "t.yaml"]].concat(),
        );
        assert_exit(&r, 1, format);
        let text = r.stdout_text();
        assert!(
            !text.contains('\u{202e}'),
            "--format {format}: raw override in\n{text}"
        );
        assert!(
            text.contains("a\\u202eb\u{200f}c"),
            "--format {format}: the key, escaped\n{text}"
        );
    }
}

#[test]
fn file_names_cannot_forge_report_lines() {
    let dir = tempdir();
    write(
        dir.path(),
        "evil\n::error file=x.yaml::forged\u{1b}[2J.yaml",
        "name: a\nname: b\n",
    );
    for format in ["concise", "human", "github"] {
        let r = run(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--as-of",
                AS_OF,
                "--color",
                "never",
                "--format",
                format,
                ".",
            ],
        );
        assert_exit(&r, 1, format);
        let text = r.stdout_text();
        assert!(
            !text.lines().any(|l| l.starts_with("::error file=x.yaml")),
            "--format {format}: a forged line\n{text}"
        );
        assert!(
            !text.contains('\u{1b}'),
            "--format {format}: ESC in\n{text}"
        );
    }
}

#[test]
fn non_finite_float_in_json() {
    let (_dir, r) = check_corpus_file("infinite.json");
    let report = checked(&r, 1, "1e999");
    let d = only(&report, "manifest/syntax");
    assert_eq!(d["line"], 1);
    assert_mentions(d, &["1e999"]);
}

#[test]
fn integer_too_large_for_64_bits() {
    let dir = tempdir();
    // `id` may be a string or an integer: 2^64 + 1 is neither an i64 nor a u64.
    write(
        dir.path(),
        "t.yaml",
        format!("{CLEAN}id: 18446744073709551617\n"),
    );
    write(
        dir.path(),
        "t.json",
        r#"{"name": "order_ready", "language": "en_US", "category": "UTILITY", "id": 18446744073709551617,
 "components": [{"type": "BODY", "text": "Your order is ready for pickup. See you soon!"}]}"#,
    );
    for (name, line, column) in [("t.yaml", 7, 5), ("t.json", 1, 75)] {
        let report = checked(&check(dir.path(), &[name]), 1, name);
        let d = diagnostics(&report)
            .iter()
            .find(|d| d["line"] == line)
            .unwrap_or_else(|| panic!("{name}: no diagnostic at the number: {report:#}"));
        assert_eq!(at(d), (line, column), "{name}: {d:#}");
        assert!(
            message(d).contains("18446744073709551617") || message(d).contains("64"),
            "{name}: the message says what is wrong with the number: {d:#}"
        );
        assert_eq!(d["rule"], "manifest/number-out-of-range");
    }
    // The 64-bit extremes, floats and digits with leading zeros (which YAML 1.2 reads as a
    // float, exactly: a phone number written as a number) fit: nothing to say here.
    for id in [
        "18446744073709551615",
        "-9223372036854775808",
        "1.5e300",
        "0049301234567",
    ] {
        write(dir.path(), "ok.yaml", format!("{CLEAN}id: {id}\n"));
        let report = check(dir.path(), &["ok.yaml"]).json();
        assert!(
            !rules_of(&report).contains(&"manifest/number-out-of-range"),
            "{id}: {report:#}"
        );
    }
}

#[test]
fn number_out_of_range_is_reported_where_written() {
    // A number too large for 64 bits: a rule that checks the value still reports it at the
    // number (next to `manifest/number-out-of-range`).
    let dir = tempdir();
    write(
        dir.path(),
        "t.yaml",
        format!("{CLEAN}message_send_ttl_seconds: 123456789012345678901234567890\n"),
    );
    let report = checked(&check(dir.path(), &["t.yaml"]), 1, "huge TTL");
    let d = only(&report, "template/utility-ttl-out-of-range");
    assert_eq!(at(d), (7, 27));
}

#[test]
fn directory_with_a_symlink_loop() {
    let dir = tempdir();
    let d = dir.path().join("repo");
    write(&d, "sub/t.yaml", trailing("\n"));
    std::os::unix::fs::symlink("..", d.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("self.yaml", d.join("self.yaml")).unwrap();
    std::os::unix::fs::symlink("b.yaml", d.join("a.yaml")).unwrap();
    std::os::unix::fs::symlink("a.yaml", d.join("b.yaml")).unwrap();
    let report = checked(&check(dir.path(), &["repo"]), 1, "symlink loop");
    // Symbolic links are not followed in a walk: the real file is checked, once.
    assert_eq!(rules_of(&report), ["template/body-trailing-placeholder"]);
    assert_eq!(report["summary"]["files"], 1);

    // Given explicitly, a looping link cannot be read: said, per file.
    let report = checked(
        &check(dir.path(), &["repo/self.yaml", "repo/a.yaml"]),
        1,
        "symlink loop given explicitly",
    );
    let found: Vec<&Value> = diagnostics(&report)
        .iter()
        .filter(|d| d["rule"] == "manifest/unreadable")
        .collect();
    assert_eq!(found.len(), 2, "{report:#}");
    for d in found {
        assert_mentions(d, &["symbolic links"]);
    }
}

#[test]
fn symlinked_manifest_in_a_walk_is_not_silently_ignored() {
    let dir = tempdir();
    write(dir.path(), "shared/t.yaml.txt", trailing("\n"));
    std::fs::create_dir_all(dir.path().join("repo")).unwrap();
    std::os::unix::fs::symlink("../shared/t.yaml.txt", dir.path().join("repo/t.yaml")).unwrap();
    let r = check(dir.path(), &["repo"]);
    assert_budget(&r, TIME_BUDGET, "symlinked manifest");
    let report = r.json();
    let checked_it = report["summary"]["files"] == 1;
    let counted = report["summary"]["skipped"] == 1;
    assert!(
        checked_it || counted,
        "the link is checked, or at least counted as skipped: {report:#}"
    );
    // It points outside the walked directory: not read (it could show any file of the machine
    // in the report), and said.
    assert!(counted, "{report:#}");
    assert!(
        r.stderr.contains("repo/t.yaml") && r.stderr.contains("outside"),
        "{}",
        r.stderr
    );

    // A link to a file inside the walked directory is checked, under its own name.
    write(dir.path(), "repo/shared/t.yaml.txt", trailing("\n"));
    std::fs::remove_file(dir.path().join("repo/t.yaml")).unwrap();
    std::os::unix::fs::symlink("shared/t.yaml.txt", dir.path().join("repo/t.yaml")).unwrap();
    let report = checked(&check(dir.path(), &["repo"]), 1, "symlink inside the walk");
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert_eq!(
        only(&report, "template/body-trailing-placeholder")["file"],
        "repo/t.yaml"
    );
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

#[test]
fn unreadable_file_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let file = write(dir.path(), "secret.yaml", CLEAN);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let args = [
        "check",
        "--no-config",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "secret.yaml",
        "ok.yaml",
    ];
    write(dir.path(), "ok.yaml", CLEAN);
    let r = if is_root() {
        // root reads any file: run the binary as `nobody` instead, if setpriv is there.
        let setpriv = Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            eprintln!(
                "SKIPPED unreadable_file_permission_denied: running as root (chmod 000 does not stop root) and /usr/bin/setpriv is missing"
            );
            return;
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let _one_at_a_time = serial();
        let start = Instant::now();
        let out = Command::new(setpriv)
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("setpriv runs");
        if String::from_utf8_lossy(&out.stderr).contains("setpriv:") {
            eprintln!(
                "SKIPPED unreadable_file_permission_denied: setpriv cannot drop root here: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        Run {
            code: out.status.code(),
            stdout_len: out.stdout.len(),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            wall: start.elapsed(),
            peak_kb: None,
            hung: false,
        }
    } else {
        run(dir.path(), &args)
    };
    let report = checked(&r, 1, "permission denied");
    let d = only(&report, "manifest/unreadable");
    assert_eq!(d["file"], "secret.yaml");
    assert_mentions(d, &["permission denied"]);
    assert_eq!(
        report["summary"]["files"], 2,
        "the readable file is checked too"
    );
}

#[test]
fn fifo_given_explicitly() {
    let dir = tempdir();
    if !mkfifo(&dir.path().join("pipe.yaml")) {
        eprintln!("SKIPPED fifo_given_explicitly: mkfifo is not available");
        return;
    }
    let report = checked(&check(dir.path(), &["pipe.yaml"]), 1, "FIFO");
    assert_mentions(only(&report, "manifest/unreadable"), &["pipe.yaml"]);
}

#[test]
fn fifo_in_a_walk_is_skipped() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", trailing("\n"));
    if !mkfifo(&dir.path().join("pipe.yaml")) {
        eprintln!("SKIPPED fifo_in_a_walk_is_skipped: mkfifo is not available");
        return;
    }
    let report = checked(&check(dir.path(), &["."]), 1, "FIFO in a walk");
    assert_eq!(rules_of(&report), ["template/body-trailing-placeholder"]);
}

#[test]
fn device_file_given_explicitly() {
    let dir = tempdir();
    let report = checked(&check(dir.path(), &["/dev/zero"]), 1, "/dev/zero");
    let found = rules_of(&report);
    assert!(
        found == ["manifest/limit"] || found == ["manifest/unreadable"],
        "{report:#}"
    );
}

fn campaign(account: &str) -> String {
    format!("kind: campaign\naccount: {account}\ntemplate: {{ name: spring_sale_2027, language: de }}\nrecipients_per_day: 12000\nstart: 2026-11-27\n")
}

#[test]
fn campaign_account_reference_is_bounded() {
    let dir = tempdir();
    let f = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    write(dir.path(), "huge-ref.yaml", campaign("huge.yaml"));
    write(dir.path(), "zero-ref.yaml", campaign("/dev/zero"));
    let mut names = vec!["huge-ref.yaml", "zero-ref.yaml"];
    if mkfifo(&dir.path().join("pipe.yaml")) {
        write(dir.path(), "pipe-ref.yaml", campaign("pipe.yaml"));
        names.push("pipe-ref.yaml");
    }
    for name in names {
        let report = checked(&check(dir.path(), &[name]), 1, name);
        let d = only(&report, "manifest/missing-reference");
        assert_eq!(at(d), (2, 10), "{name}: at the reference");
    }
}

#[test]
fn path_that_does_not_exist() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", trailing("\n"));
    let r = check(dir.path(), &["missing.yaml", "t.yaml"]);
    let report = checked(&r, 2, "missing path");
    let d = only(&report, "manifest/unreadable");
    assert_eq!(d["file"], "missing.yaml");
    assert_mentions(d, &["no such file"]);
    assert!(
        r.stderr.contains("`missing.yaml` does not exist"),
        "{}",
        r.stderr
    );
    assert!(
        rules_of(&report).contains(&"template/body-trailing-placeholder"),
        "the other paths are still checked: {report:#}"
    );
}

#[test]
fn directory_of_100000_empty_files() {
    let _alone = exclusive();
    let dir = tempdir();
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..100_000 {
        std::fs::File::create(many.join(format!("f{i:06}.yaml"))).unwrap();
    }
    // One of them is broken: it must not drown.
    write(&many, "f050000.yaml", "name: a\nname: b\n");
    let r = check(dir.path(), &["many"]);
    // Walking and reading 100,000 files needs more than 2 s in a debug build.
    assert_budget(&r, Duration::from_secs(20), "100,000 files");
    assert_exit(&r, 1, "100,000 files");
    let report = r.json();
    let d = only(&report, "manifest/syntax");
    assert_eq!(d["file"], "many/f050000.yaml");
    assert_eq!(at(d), (2, 1));
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(
        report["summary"]["skipped"], 99_999,
        "empty files found by a walk are skipped and counted"
    );
}

#[test]
fn diagnostics_per_file_are_capped() {
    // 600 warnings: 500 are shown, the rest counted, and the summary counts all of them.
    let dir = tempdir();
    let data: Vec<String> = (0..600)
        .map(|i| format!("  - {{name: t{i}, language: en_US, category: UTILITY, components: [{{type: BODY, text: \"Hi {{{{1}}}}, your order is {{{{2}}}}.\", example: {{body_text: [[Ana, A-1]]}}}}]}}"))
        .collect();
    write(
        dir.path(),
        "t.yaml",
        format!("data:\n{}\n", data.join("\n")),
    );
    let report = checked(&check(dir.path(), &["t.yaml"]), 0, "many warnings");
    let all = diagnostics(&report);
    assert_eq!(all.len(), 501, "500 findings and the note");
    let d = only(&report, "manifest/limit");
    assert_mentions(
        d,
        &["100 more", "max_diagnostics", "errors are always shown"],
    );
    assert_eq!(d["severity"], "info");
    assert_eq!(report["summary"]["warnings"], 600, "{}", report["summary"]);
    assert_eq!(report["summary"]["infos"], 0, "the note is not a finding");
}

#[test]
fn errors_are_never_capped() {
    // 100 copies of a template with findings of its own, and 99 duplicates: all are errors.
    let dir = tempdir();
    let copy = "  - {name: same, language: en_US, category: UTILITY, components: [{type: BODY, text: \"Hi {{1}}\", example: {body_text: [[Ann]]}}]}\n";
    write(dir.path(), "t.yaml", format!("data:\n{}", copy.repeat(100)));
    let r = check(dir.path(), &["--limit", "max_diagnostics=1000", "t.yaml"]);
    let all = checked(&r, 1, "all duplicates");
    let total = diagnostics(&all).len();
    let duplicates = rules_of(&all)
        .iter()
        .filter(|r| **r == "template/duplicate-name-and-language")
        .count();
    assert_eq!(duplicates, 99);
    assert!(total > 150, "{total}");
    let r = check(dir.path(), &["--limit", "max_diagnostics=1", "t.yaml"]);
    let capped = checked(&r, 1, "a cap of 1");
    let errors = |report: &Value| -> Vec<Value> {
        diagnostics(report)
            .iter()
            .filter(|d| d["severity"] == "error")
            .cloned()
            .collect()
    };
    assert!(errors(&capped) == errors(&all), "a cap hides no error");
    assert_eq!(
        capped["summary"], all["summary"],
        "the summary counts every finding"
    );
}

#[test]
fn diagnostics_across_files_are_all_built_and_counted() {
    let dir = tempdir();
    let copy = "  - {name: same, language: en_US, category: UTILITY, components: [{type: BODY, text: \"Your order is ready for pickup. See you soon!\"}]}\n";
    write(
        dir.path(),
        "t.yaml",
        format!("data:\n{}", copy.repeat(10_000)),
    );
    let r = check(dir.path(), &["t.yaml"]);
    assert_exit(&r, 1, "duplicates");
    assert_budget(&r, TIME_BUDGET, "10,000 duplicates");
    let report = r.json();
    let duplicates = rules_of(&report)
        .iter()
        .filter(|r| **r == "template/duplicate-name-and-language")
        .count();
    assert_eq!(
        duplicates, 9_999,
        "every duplicate is an error, and errors are all shown"
    );
    assert_eq!(report["summary"]["errors"], 9_999);
}

/// A minified export of `count` distinct clean templates (14 nodes and 165 bytes each).
fn export(count: usize) -> String {
    let templates: Vec<String> = (0..count)
        .map(|i| format!(r#"{{"name":"order_ready_{i}","language":"en_US","category":"UTILITY","components":[{{"type":"BODY","text":"Your order {i} is ready for pickup. See you soon!"}}]}}"#))
        .collect();
    format!("{{\"data\":[{}]}}", templates.join(","))
}

#[test]
fn largest_allowed_file_stays_within_budget() {
    let dir = tempdir();
    // Just under the default max_nodes (400,000; keys count): 28,000 templates of 14 nodes,
    // 4.7 MB on one line.
    write(dir.path(), "big.json", export(28_000));
    let r = check(dir.path(), &["big.json"]);
    // Reading 5 MB takes milliseconds, parsing and checking 30,000 templates does not.
    assert_budget(&r, Duration::from_secs(8), "5 MB export");
    assert_exit(&r, 0, "5 MB export");

    // One step over: the limit is reported, with the way to raise it.
    write(dir.path(), "bigger.json", export(29_000));
    let r = check(dir.path(), &["bigger.json"]);
    let report = checked(&r, 1, "export over max_nodes");
    let d = only(&report, "manifest/limit");
    assert_mentions(d, &["max_nodes", "400000"]);
    assert!(d["help"].as_str().unwrap().contains("--limit"), "{d}");
}

/// A libFuzzer time-out of the `manifest` target (its -max_len truncated the largest fixture
/// to 1 MiB): 13 s under AddressSanitizer; here it must stay within the budget.
#[test]
fn fuzz_regression_truncated_export() {
    let full =
        std::fs::read(root().join("fixtures/rules/account/too-many-templates/templates.json"))
            .expect("fixture");
    let dir = tempdir();
    write(
        dir.path(),
        "truncated.json",
        &full[..full.len().min(1 << 20)],
    );
    let report = checked(
        &check(dir.path(), &["truncated.json"]),
        1,
        "truncated export",
    );
    let d = only(&report, "manifest/syntax");
    assert!(d["line"].as_u64().unwrap() > 1000, "{d:#}");
}

// ---------------------------------------------------------------------------------------------
// The whole corpus: exit codes, time, and files left as they were
// ---------------------------------------------------------------------------------------------

/// Contents, permissions and modification time of every entry under `dir` (links not followed).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, u32, Option<SystemTime>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let content = if meta.file_type().is_symlink() {
                std::fs::read_link(&path)
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else if meta.is_dir() {
                stack.push(path.clone());
                Vec::new()
            } else {
                std::fs::read(&path).unwrap()
            };
            out.push((
                path,
                content,
                meta.permissions().mode(),
                meta.modified().ok(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn hostile_corpus_exit_codes_time_and_files_unchanged() {
    let dir = tempdir();
    let c = dir.path().join("corpus");
    // The alias bomb is left out: it takes 3.3 s and 270 MB today (see `alias_bomb`, and
    // `alias_bomb_is_stopped` for what holds). Put it back when `alias_bomb` passes.
    let corpus: Vec<_> = corpus()
        .into_iter()
        .filter(|(name, ..)| *name != "bomb.yaml")
        .collect();
    for (name, bytes, ..) in &corpus {
        write(&c, name, bytes);
    }
    write(
        &c,
        "sub/clean.json",
        r#"{"name": "order_ready", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "Your order is ready for pickup. See you soon!"}]}"#,
    );
    std::os::unix::fs::symlink("..", c.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("dangling-target.yaml", c.join("dangling.yaml")).unwrap();
    let before = snapshot(&c);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    // Each file alone: its exit code and its diagnostic.
    let names: Vec<String> = corpus
        .iter()
        .map(|(name, ..)| format!("corpus/{name}"))
        .collect();
    for (name, _, code, rule) in &corpus {
        let path = format!("corpus/{name}");
        let report = checked(&check(dir.path(), &[&path]), *code, name);
        if !rule.is_empty() {
            assert!(
                rules_of(&report).contains(rule),
                "{name}: expected `{rule}` in {report:#}"
            );
        }
    }
    // All files at once, in every format, with a JSON report file written elsewhere: once as a
    // directory walk (where empty files are skipped), then as explicit paths.
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    let walk_args = ["corpus"];
    let runs: Vec<(&str, &[&str])> = vec![
        ("json", &walk_args),
        ("json", &all),
        ("human", &all),
        ("concise", &all),
        ("sarif", &all),
        ("github", &all),
        ("junit", &all),
    ];
    for (i, (format, paths)) in runs.into_iter().enumerate() {
        let file = out.join(format!("{i}-{format}.json"));
        let output = format!("json:{}", file.display());
        let mut args = vec![
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            format,
            "--output",
            &output,
        ];
        args.extend_from_slice(paths);
        let r = run(dir.path(), &args);
        let what = format!("the corpus, --format {format}, {} paths", paths.len());
        assert_budget(&r, Duration::from_secs(5), &what);
        let report: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_exit(&r, 1, &what);
        if paths.len() > 1 {
            assert!(
                rules_of(&report).contains(&"manifest/empty"),
                "{what}: `manifest/empty` missing from the report"
            );
        }
        for rule in [
            "manifest/encoding",
            "manifest/syntax",
            "manifest/limit",
            "template/body-trailing-placeholder",
        ] {
            assert!(
                rules_of(&report).contains(&rule),
                "{what}: `{rule}` missing from the report"
            );
        }
    }
    // Stdin too.
    let r = run_with(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "-",
        ],
        Stdin::Stream {
            chunk: png(),
            len: 1 << 20,
        },
        &[],
    );
    checked(&r, 1, "binary on stdin");

    let after = snapshot(&c);
    assert_eq!(
        before.len(),
        after.len(),
        "no file was added or removed in the checked directory"
    );
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0, "the same entries");
        assert!(b.1 == a.1, "{} changed", b.0.display());
        assert_eq!(b.2, a.2, "{}: permissions changed", b.0.display());
        assert_eq!(b.3, a.3, "{}: modification time changed", b.0.display());
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile rule files and configurations: exit 2, a diagnostic pointing into the file
// ---------------------------------------------------------------------------------------------

fn rule(i: usize) -> String {
    format!(
        "  - id: custom/rule-{i}\n    kind: template\n    severity: error\n    summary: Rule {i}\n    given: $.name\n    check: {{ function: pattern, not_match: \"^zz{i}zz$\" }}\n    message: \"`{{{{value}}}}` is rule {i}'s name\"\n"
    )
}

/// `check --rules RULES t.yaml` (stderr has the human report of the rule-file problems).
fn check_rules(dir: &Path, rules: &str) -> Run {
    write(dir, "t.yaml", CLEAN);
    run(
        dir,
        &[
            "check",
            "--no-config",
            "--rules",
            rules,
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "t.yaml",
        ],
    )
}

/// `check --config CONFIG t.yaml`.
fn check_config(dir: &Path, config: &str) -> Run {
    write(dir, "t.yaml", CLEAN);
    run(
        dir,
        &[
            "check", "--config", config, "--as-of", AS_OF, "--format", "json", "t.yaml",
        ],
    )
}

/// Exit 2 within budget; stderr names `rule` and points at `file:line:col`.
fn assert_setup_error(r: &Run, rule: &str, place: &str, what: &str) {
    assert_budget(r, TIME_BUDGET, what);
    assert_exit(r, 2, what);
    assert!(
        r.stderr.contains(rule),
        "{what}: `{rule}` expected in\n{}",
        clip(&r.stderr)
    );
    assert!(
        r.stderr.contains(&format!("[{place}")),
        "{what}: the diagnostic should point at {place}\n{}",
        clip(&r.stderr)
    );
    assert!(
        r.stdout.is_empty(),
        "{what}: nothing is checked, so no report: {}",
        clip(&r.stdout_text())
    );
}

#[test]
fn rule_file_with_unknown_keys() {
    let dir = tempdir();
    write(
        dir.path(),
        "rules.yaml",
        format!(
            "extends: meta\nrules:\n{}    colour: red\nbogus: 1\n",
            rule(1)
        ),
    );
    let r = check_rules(dir.path(), "rules.yaml");
    assert_setup_error(
        &r,
        "ruleset/invalid",
        "rules.yaml:10:5]",
        "unknown rule key",
    );
    assert!(r.stderr.contains("unknown key `colour`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("[rules.yaml:11:1]"),
        "both keys: {}",
        r.stderr
    );
}

#[test]
fn rule_file_with_wrong_types() {
    let dir = tempdir();
    write(
        dir.path(),
        "rules.yaml",
        "extends: meta\nrules:\n  - id: custom/x\n    kind: template\n    severity: 3\n    summary: [a]\n    given: $.name\n    check: { function: length, max: ten }\n    message: m\n",
    );
    let r = check_rules(dir.path(), "rules.yaml");
    assert_setup_error(&r, "ruleset/invalid", "rules.yaml:5:15]", "wrong types");
    assert!(r.stderr.contains("[rules.yaml:6:5]"), "{}", r.stderr);

    // Types inside a check's options.
    write(
        dir.path(),
        "options.yaml",
        "extends: meta\nrules:\n  - id: custom/x\n    kind: template\n    severity: error\n    summary: s\n    given: $.name\n    check: { function: length, max: ten }\n    message: m\n",
    );
    let r = check_rules(dir.path(), "options.yaml");
    assert_setup_error(
        &r,
        "ruleset/invalid-option",
        "options.yaml:8:",
        "wrong option type",
    );
}

#[test]
fn rule_file_with_a_huge_regex() {
    let dir = tempdir();
    write(
        dir.path(),
        "rules.yaml",
        "extends: meta\nrules:\n  - id: custom/huge\n    kind: template\n    severity: error\n    summary: s\n    given: $.name\n    check: { function: pattern, match: \"\\\\w{10000}\" }\n    message: m\n",
    );
    let r = check_rules(dir.path(), "rules.yaml");
    assert_setup_error(
        &r,
        "ruleset/invalid-option",
        "rules.yaml:8:40]",
        "huge regex",
    );
    assert!(r.stderr.contains("size limit"), "{}", r.stderr);
}

#[test]
fn rule_file_extends_chain_100_deep() {
    let dir = tempdir();
    for i in 0..100 {
        let extends = if i < 99 {
            format!("extends: c{:03}.yaml\n", i + 1)
        } else {
            "extends: meta\n".to_string()
        };
        write(
            dir.path(),
            &format!("c{i:03}.yaml"),
            format!("{extends}rules:\n{}", rule(i)),
        );
    }
    let r = check_rules(dir.path(), "c000.yaml");
    assert_setup_error(&r, "ruleset/extends", "c015.yaml:1:10]", "100-deep extends");
    assert!(r.stderr.contains("deeper than 16"), "{}", r.stderr);
    // 10 levels are fine.
    let r = check_rules(dir.path(), "c090.yaml");
    assert_budget(&r, TIME_BUDGET, "10-deep extends");
    assert_exit(&r, 0, "10-deep extends");
}

#[test]
fn rule_file_extends_cycle() {
    let dir = tempdir();
    write(dir.path(), "a.yaml", "extends: b.yaml\nrules: []\n");
    write(dir.path(), "b.yaml", "extends: [meta, a.yaml]\nrules: []\n");
    write(dir.path(), "self.yaml", "extends: self.yaml\nrules: []\n");
    let r = check_rules(dir.path(), "a.yaml");
    assert_setup_error(&r, "ruleset/extends", "b.yaml:1:17]", "cycle");
    assert!(
        r.stderr.contains("cycle: a.yaml → b.yaml → a.yaml"),
        "{}",
        r.stderr
    );
    let r = check_rules(dir.path(), "self.yaml");
    assert_setup_error(&r, "ruleset/extends", "self.yaml:1:10]", "self-cycle");
}

/// A rule without a regular expression (a rule file may hold at most 1,000 of those).
fn length_rule(i: usize) -> String {
    format!(
        "  - id: custom/rule-{i}\n    kind: template\n    severity: error\n    summary: Rule {i}\n    given: $.name\n    check: {{ function: length, max: {} }}\n    message: \"`{{{{value}}}}` is longer than rule {i} allows\"\n",
        1000 + i
    )
}

#[test]
fn rule_file_with_5000_rules() {
    let dir = tempdir();
    let rules: String = (0..5000).map(length_rule).collect();
    write(
        dir.path(),
        "rules.yaml",
        format!("extends: meta\nrules:\n{rules}"),
    );
    let r = check_rules(dir.path(), "rules.yaml");
    let report = checked(&r, 0, "5,000 rules");
    assert_eq!(report["summary"]["errors"], 0);
    // … and 5,000 rules that all fire are all reported: errors are never capped.
    let rules: String = (0..5000)
        .map(|i| length_rule(i).replace(&format!("max: {}", 1000 + i), "max: 2"))
        .collect();
    write(dir.path(), "firing.yaml", format!("rules:\n{rules}"));
    let r = check_rules(dir.path(), "firing.yaml");
    let report = checked(&r, 1, "5,000 firing rules");
    assert_eq!(diagnostics(&report).len(), 5000);
    assert_eq!(report["summary"]["errors"], 5000);
}

#[test]
fn rule_file_that_is_not_text() {
    let dir = tempdir();
    write(dir.path(), "rules.yaml", png());
    let r = check_rules(dir.path(), "rules.yaml");
    assert_budget(&r, TIME_BUDGET, "binary rule file");
    assert_exit(&r, 2, "binary rule file");
    assert!(r.stderr.contains("ruleset/syntax"), "{}", r.stderr);
    assert!(r.stderr.contains("not UTF-8"), "{}", r.stderr);
}

#[test]
fn rule_file_alias_bomb() {
    let dir = tempdir();
    write(dir.path(), "rules.yaml", billion_laughs());
    let r = check_rules(dir.path(), "rules.yaml");
    assert_setup_error(&r, "ruleset/syntax", "rules.yaml:", "rule-file alias bomb");
}

#[test]
fn rule_file_and_config_of_200_mb() {
    let dir = tempdir();
    let f = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    let r = check_rules(dir.path(), "huge.yaml");
    assert_setup_error(&r, "ruleset/", "huge.yaml", "200 MB rule file");
    assert!(
        r.stderr.len() < 64 * 1024,
        "{} bytes on stderr",
        r.stderr.len()
    );
    let r = check_config(dir.path(), "huge.yaml");
    assert_setup_error(&r, "config/", "huge.yaml", "200 MB configuration");
    assert!(
        r.stderr.len() < 64 * 1024,
        "{} bytes on stderr",
        r.stderr.len()
    );
}

#[test]
fn rule_file_extends_a_fifo() {
    let dir = tempdir();
    if !mkfifo(&dir.path().join("pipe.yaml")) {
        eprintln!("SKIPPED rule_file_extends_a_fifo: mkfifo is not available");
        return;
    }
    write(dir.path(), "rules.yaml", "extends: pipe.yaml\nrules: []\n");
    let r = check_rules(dir.path(), "rules.yaml");
    assert_setup_error(&r, "ruleset/extends", "rules.yaml:1:10]", "extends a FIFO");
}

#[test]
fn config_with_unknown_keys() {
    let dir = tempdir();
    write(
        dir.path(),
        "wabalint.yaml",
        "profile: meta\nsevrity:\n  template/body-too-long: off\nlimits:\n  max_depthh: 10\n",
    );
    let r = check_config(dir.path(), "wabalint.yaml");
    assert_setup_error(
        &r,
        "config/invalid",
        "wabalint.yaml:2:1]",
        "unknown config key",
    );
    assert!(
        r.stderr.contains("did you mean `severity`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_with_wrong_types() {
    let dir = tempdir();
    write(
        dir.path(),
        "wabalint.yaml",
        "profile: [meta]\nexclude: 3\nas_of: yesterday\nlimits:\n  max_depth: -1\n",
    );
    let r = check_config(dir.path(), "wabalint.yaml");
    assert_setup_error(&r, "config/invalid", "wabalint.yaml:1:1]", "config types");
    for place in [
        "[wabalint.yaml:2:10]",
        "[wabalint.yaml:3:8]",
        "[wabalint.yaml:5:14]",
    ] {
        assert!(
            r.stderr.contains(place),
            "{place} expected in\n{}",
            r.stderr
        );
    }
}

#[test]
fn config_limit_too_large_is_reported_at_the_value() {
    let dir = tempdir();
    write(
        dir.path(),
        "wabalint.yaml",
        "limits:\n  max_file_size: 99999999999999999999999\n",
    );
    let r = check_config(dir.path(), "wabalint.yaml");
    assert_setup_error(&r, "config/invalid", "wabalint.yaml:2:18]", "huge limit");
    assert!(!r.stderr.contains("usize"), "{}", r.stderr);
    assert!(r.stderr.contains("largest value allowed"), "{}", r.stderr);
}

#[test]
fn config_naming_a_hostile_rule_file() {
    let dir = tempdir();
    write(
        dir.path(),
        "rules/huge.yaml",
        "rules:\n  - id: custom/huge\n    kind: template\n    severity: error\n    summary: s\n    given: $.name\n    check: { function: pattern, match: \"(\\\\w{100}){100}\" }\n    message: m\n",
    );
    write(dir.path(), "wabalint.yaml", "rules: [rules/huge.yaml]\n");
    let r = check_config(dir.path(), "wabalint.yaml");
    assert_setup_error(
        &r,
        "ruleset/invalid-option",
        "rules/huge.yaml:7:40]",
        "config → huge regex",
    );
}

#[test]
fn config_with_invalid_limits_on_the_command_line() {
    let dir = tempdir();
    write(dir.path(), "t.yaml", CLEAN);
    for limit in [
        "max_depthh=3",
        "max_depth=-1",
        "max_depth=lots",
        "max_file_size",
    ] {
        let r = run(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--as-of",
                AS_OF,
                "--limit",
                limit,
                "t.yaml",
            ],
        );
        assert_budget(&r, TIME_BUDGET, limit);
        assert_exit(&r, 2, limit);
        assert!(r.stderr.contains("max_"), "{limit}: {}", r.stderr);
    }
}

#[test]
fn config_alias_bomb() {
    let dir = tempdir();
    write(dir.path(), "wabalint.yaml", billion_laughs());
    let r = check_config(dir.path(), "wabalint.yaml");
    assert_setup_error(&r, "config/invalid", "wabalint.yaml:", "config alias bomb");
}

// ---------------------------------------------------------------------------------------------
// Budgets a rule file from a pull request cannot exceed: each ends in a diagnostic within
// seconds and well under the memory budget
// ---------------------------------------------------------------------------------------------

/// A rule with `given: SELECTOR` that fires on every node it selects.
fn selector_rule(selector: &str) -> String {
    format!(
        "extends: meta\nrules:\n  - id: custom/walk\n    kind: template\n    severity: warning\n    summary: s\n    given: \"{selector}\"\n    check: {{ function: absent }}\n    message: m\n"
    )
}

#[test]
fn rule_file_with_a_descendant_selector_chain() {
    let dir = tempdir();
    write(dir.path(), "rules.yaml", selector_rule("$..*..*..*..*..*"));
    let r = check_rules(dir.path(), "rules.yaml");
    assert_setup_error(
        &r,
        "ruleset/invalid-selector",
        "rules.yaml:7:12]",
        "five descendant segments",
    );
    assert!(r.stderr.contains("at most 2"), "{}", r.stderr);
    write(
        dir.path(),
        "unions.yaml",
        selector_rule("$[*,*,*,*][*,*,*,*]"),
    );
    let r = check_rules(dir.path(), "unions.yaml");
    assert_setup_error(
        &r,
        "ruleset/invalid-selector",
        "unions.yaml:7:",
        "unions in a row",
    );
}

/// The two descendant segments a selector may have, on a deep and wide manifest: the steps of
/// one manifest run out, it is reported as not fully checked, and the run ends within budget.
#[test]
fn selections_of_a_deep_manifest_stop_at_the_step_budget() {
    let dir = tempdir();
    write(dir.path(), "rules.yaml", selector_rule("$..*..*"));
    // 60 levels of lists of two objects: 100,000 nodes whose depths add up to millions.
    let mut deep = String::from("1");
    for level in 0..60 {
        deep = if level % 6 == 5 {
            format!("[{deep}, {deep}]")
        } else {
            format!("{{\"a\": {deep}}}")
        };
    }
    let manifest = format!(
        "{{\"name\": \"x\", \"language\": \"en_US\", \"category\": \"UTILITY\", \"components\": [], \"deep\": {deep}}}"
    );
    write(dir.path(), "deep.json", manifest);
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--rules",
            "rules.yaml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "deep.json",
        ],
    );
    let report = checked(&r, 1, "a walk of a deep manifest");
    let d = diagnostics(&report)
        .iter()
        .find(|d| d["rule"] == "manifest/limit" && d["severity"] == "error")
        .unwrap_or_else(|| panic!("no limit error: {}", clip(&report.to_string())));
    assert_mentions(d, &["max_selector_steps", "$..*..*", "not fully checked"]);
    assert_eq!(d["severity"], "error");
}

/// A diamond of `extends` 12 levels deep and 3 wide (half a million paths) loads each file once;
/// a graph of more than 64 files is refused.
#[test]
fn rule_file_extends_a_diamond() {
    let dir = tempdir();
    for level in 0..13 {
        for side in ["l", "m", "r"] {
            let extends = if level == 12 {
                "extends: meta\n".to_string()
            } else {
                let n = level + 1;
                format!("extends: [d{n}l.yaml, d{n}m.yaml, d{n}r.yaml]\n")
            };
            write(
                dir.path(),
                &format!("d{level}{side}.yaml"),
                format!("{extends}rules: []\n"),
            );
        }
    }
    write(
        dir.path(),
        "top.yaml",
        "extends: [d1l.yaml, d1m.yaml, d1r.yaml]\nrules: []\n",
    );
    let r = check_rules(dir.path(), "top.yaml");
    assert_budget(&r, TIME_BUDGET, "a diamond of extends");
    assert_exit(&r, 0, "a diamond of extends");
    let wide: String = (0..70).map(|i| format!("w{i}.yaml, ")).collect();
    for i in 0..70 {
        write(dir.path(), &format!("w{i}.yaml"), "rules: []\n");
    }
    write(
        dir.path(),
        "wide.yaml",
        format!("extends: [{}]\nrules: []\n", wide.trim_end_matches(", ")),
    );
    let r = check_rules(dir.path(), "wide.yaml");
    assert_setup_error(&r, "ruleset/extends", "wide.yaml:1:", "70 files");
    assert!(r.stderr.contains("more than 64 rule files"), "{}", r.stderr);
}

/// Thousands of regular expressions, each just under the size limit of one: the rule set is
/// refused once they pass the budget of all, before they take gigabytes.
#[test]
fn rule_file_with_thousands_of_large_regexes() {
    let dir = tempdir();
    let rules: String = (0..5000)
        .map(|i| format!("  - id: custom/big-{i}\n    kind: template\n    severity: error\n    summary: s\n    given: $.name\n    check: {{ function: pattern, not_match: \"\\\\w{{20}}{i}\" }}\n    message: m\n"))
        .collect();
    write(
        dir.path(),
        "big.yaml",
        format!("extends: meta\nrules:\n{rules}"),
    );
    let r = check_rules(dir.path(), "big.yaml");
    assert_setup_error(&r, "ruleset/invalid-option", "big.yaml:", "large regexes");
    assert!(r.stderr.contains("32 MiB"), "{}", r.stderr);
    let rules: String = (0..1001)
        .map(|i| format!("  - id: custom/small-{i}\n    kind: template\n    severity: error\n    summary: s\n    given: $.name\n    check: {{ function: pattern, not_match: \"^zz{i}$\" }}\n    message: m\n"))
        .collect();
    write(
        dir.path(),
        "many.yaml",
        format!("extends: meta\nrules:\n{rules}"),
    );
    let r = check_rules(dir.path(), "many.yaml");
    assert_setup_error(&r, "ruleset/invalid-option", "many.yaml:", "1,001 regexes");
    assert!(
        r.stderr.contains("more than 1000 regular expressions"),
        "{}",
        r.stderr
    );
}

/// Regular expressions inside the selectors of a check's options count against the budget.
#[test]
fn rule_file_with_regexes_in_selector_options() {
    let dir = tempdir();
    let rules: String = (0..2500)
        .map(|i| format!("  - id: custom/rx-{i}\n    kind: template\n    severity: error\n    summary: s\n    given: $\n    check: {{ function: count, of: \"$.components[?match(@.type, '\\\\\\\\w{{20}}{i}')]\", max: 100 }}\n    message: m\n"))
        .collect();
    write(
        dir.path(),
        "rx.yaml",
        format!("extends: meta\nrules:\n{rules}"),
    );
    let r = check_rules(dir.path(), "rx.yaml");
    assert_setup_error(&r, "ruleset/", "rx.yaml:", "regexes in selectors");
    assert!(r.stderr.contains("32 MiB"), "{}", clip(&r.stderr));
}

/// Thousands of rules that check across files: each rule's records are picked out once.
#[test]
fn rule_file_with_thousands_of_rules_across_files() {
    let dir = tempdir();
    let rules: String = (0..12_000)
        .map(|i| format!("  - id: custom/u{i}\n    kind: template\n    severity: warning\n    summary: s\n    given: $\n    check: {{ function: unique_across_files, key: [\"$.name\"] }}\n    message: m\n"))
        .collect();
    write(
        dir.path(),
        "uq.yaml",
        format!("extends: meta\nrules:\n{rules}"),
    );
    for i in 0..200 {
        write(
            dir.path(),
            &format!("t/t{i}.yaml"),
            CLEAN.replace("order_ready", &format!("order_ready_{i}")),
        );
    }
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--rules",
            "uq.yaml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "t",
        ],
    );
    assert_budget(
        &r,
        Duration::from_secs(6),
        "12,000 rules across files, 200 files",
    );
    assert_exit(&r, 0, "12,000 rules across files");
}
