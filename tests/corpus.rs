//! A corpus of realistic, correct WhatsApp templates under `fixtures/corpus/` guards against
//! false positives: every file must be recognised and clean under the `meta` profile, and the
//! files in `fixtures/corpus/genesys/` must also be clean under `genesys`. The files in
//! `fixtures/corpus/meta-only/` use what Genesys Cloud does not support (authentication, media
//! and location headers, copy-code, flow and catalog buttons, dynamic URLs, carousels, …).
//!
//! The corpus must also stay varied: enough templates, and every required language, category
//! and header format.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wabalint::document::{self, ParseLimits};
use wabalint::kind::{self, Detection, Kind};
use wabalint::source::SourceFile;

const GENESYS_DIR: &str = "fixtures/corpus/genesys";
const META_ONLY_DIR: &str = "fixtures/corpus/meta-only";

const MIN_TEMPLATES: usize = 60;
const MIN_GENESYS_TEMPLATES: usize = 40;

const LANGUAGES: [&str; 16] = [
    "fil", "pt_BR", "zh_CN", "ar", "de", "es_MX", "fr", "hi", "id", "ja", "tr", "en_GB", "en_US",
    "it", "nl", "pl",
];
const CATEGORIES: [&str; 3] = ["UTILITY", "MARKETING", "AUTHENTICATION"];
const HEADER_FORMATS: [&str; 5] = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];
const BUTTON_TYPES: [&str; 7] = [
    "QUICK_REPLY",
    "URL",
    "PHONE_NUMBER",
    "COPY_CODE",
    "OTP",
    "FLOW",
    "CATALOG",
];
const OTP_TYPES: [&str; 3] = ["COPY_CODE", "ONE_TAP", "ZERO_TAP"];

/// The corpus files of one directory (relative to the crate root), sorted.
fn files(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(dir), &mut out);
    out.sort();
    assert!(!out.is_empty(), "{dir} holds no corpus files");
    out
}

/// What the coverage checks need to know about one template.
#[derive(Debug)]
struct Template {
    file: String,
    name: String,
    language: String,
    category: String,
    /// `None` when the template has no header.
    header: Option<String>,
    button_types: Vec<String>,
    otp_types: Vec<String>,
    named: bool,
}

/// Reads the templates of a file with wabalint's own parser and manifest detection, so an
/// export list counts as the templates it holds. Enum-like values come upper-cased, as the
/// rules see them.
fn templates(path: &Path) -> Vec<Template> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file = path.display().to_string();
    let source = Arc::new(SourceFile::new(file.clone(), text));
    let doc = document::parse(source, &ParseLimits::default())
        .unwrap_or_else(|e| panic!("{file} does not parse: {e:?}"));
    let mut out = Vec::new();
    for (i, tree) in doc.trees.iter().enumerate() {
        let Detection::Units(units) = kind::detect(i, &tree.value) else {
            continue;
        };
        for unit in units.iter().filter(|u| u.kind == Kind::Template) {
            let mut value = tree
                .value
                .pointer(&unit.root)
                .cloned()
                .unwrap_or_else(|| panic!("{file}: no template at `{}`", unit.root));
            kind::normalize_template(&mut value);
            out.push(describe(&file, &value));
        }
    }
    out
}

fn describe(file: &str, t: &serde_json::Value) -> Template {
    let string = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let components = t
        .get("components")
        .and_then(|c| c.as_array())
        .cloned()
        .unwrap_or_default();
    let header = components
        .iter()
        .find(|c| string(c, "type") == "HEADER")
        .map(|h| string(h, "format"));
    // Buttons of the template and of its carousel cards.
    let mut buttons = Vec::new();
    let mut stack: Vec<&serde_json::Value> = components.iter().collect();
    while let Some(c) = stack.pop() {
        if let Some(list) = c.get("buttons").and_then(|b| b.as_array()) {
            buttons.extend(list.iter().cloned());
        }
        for card in c
            .get("cards")
            .and_then(|b| b.as_array())
            .into_iter()
            .flatten()
        {
            stack.extend(
                card.get("components")
                    .and_then(|c| c.as_array())
                    .into_iter()
                    .flatten(),
            );
        }
    }
    Template {
        file: file.to_string(),
        name: string(t, "name"),
        language: string(t, "language"),
        category: string(t, "category"),
        header,
        button_types: buttons.iter().map(|b| string(b, "type")).collect(),
        otp_types: buttons
            .iter()
            .map(|b| string(b, "otp_type"))
            .filter(|o| !o.is_empty())
            .collect(),
        named: string(t, "parameter_format") == "NAMED",
    }
}

#[test]
fn corpus_is_clean() {
    let meta = common::engine("meta", common::fixture_day());
    let genesys = common::engine("genesys", common::fixture_day());
    let mut failures = Vec::new();
    for (dir, also_genesys) in [(GENESYS_DIR, true), (META_ONLY_DIR, false)] {
        for path in files(dir) {
            let report = common::check(&meta, &path);
            if !report.recognized {
                failures.push(format!(
                    "{} is not recognised as a manifest:\n{}",
                    path.display(),
                    common::human(&report)
                ));
                continue;
            }
            if has_problems(&report) {
                failures.push(format!(
                    "{} should be clean under the meta profile:\n{}",
                    path.display(),
                    common::human(&report)
                ));
            }
            if also_genesys {
                let report = common::check(&genesys, &path);
                if has_problems(&report) {
                    failures.push(format!(
                        "{} should be clean under the genesys profile (or move it to {META_ONLY_DIR}):\n{}",
                        path.display(),
                        common::human(&report)
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus problem(s):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_is_large_and_varied() {
    let genesys: Vec<Template> = files(GENESYS_DIR)
        .iter()
        .flat_map(|p| templates(p))
        .collect();
    let meta_only: Vec<Template> = files(META_ONLY_DIR)
        .iter()
        .flat_map(|p| templates(p))
        .collect();
    let all: Vec<&Template> = genesys.iter().chain(&meta_only).collect();

    assert!(
        genesys.len() >= MIN_GENESYS_TEMPLATES,
        "{GENESYS_DIR} holds {} templates; at least {MIN_GENESYS_TEMPLATES} are required",
        genesys.len()
    );
    assert!(
        all.len() >= MIN_TEMPLATES,
        "the corpus holds {} templates; at least {MIN_TEMPLATES} are required",
        all.len()
    );

    let present =
        |values: &mut dyn Iterator<Item = String>| -> BTreeSet<String> { values.collect() };
    let missing = |required: &[&str], found: &BTreeSet<String>| -> Vec<String> {
        required
            .iter()
            .filter(|r| !found.contains(**r))
            .map(|r| r.to_string())
            .collect()
    };
    let languages = present(&mut all.iter().map(|t| t.language.clone()));
    let categories = present(&mut all.iter().map(|t| t.category.clone()));
    let headers = present(&mut all.iter().filter_map(|t| t.header.clone()));
    let buttons = present(&mut all.iter().flat_map(|t| t.button_types.clone()));
    let otp_types = present(&mut all.iter().flat_map(|t| t.otp_types.clone()));
    for (what, required, found) in [
        ("languages", &LANGUAGES[..], &languages),
        ("categories", &CATEGORIES[..], &categories),
        ("header formats", &HEADER_FORMATS[..], &headers),
        ("button types", &BUTTON_TYPES[..], &buttons),
        ("OTP types", &OTP_TYPES[..], &otp_types),
    ] {
        let missing = missing(required, found);
        assert!(
            missing.is_empty(),
            "the corpus has no template with these {what}: {missing:?} (found {found:?})"
        );
    }
    assert!(
        all.iter().any(|t| t.named) && all.iter().any(|t| !t.named),
        "the corpus needs templates with named and with positional placeholders"
    );
    assert!(
        all.iter().any(|t| t.header.is_none()),
        "the corpus needs templates without a header"
    );
    // The genesys profile only lets TEXT headers through; keep a few of those in genesys/.
    assert!(
        genesys.iter().any(|t| t.header.as_deref() == Some("TEXT")),
        "{GENESYS_DIR} needs templates with a text header"
    );

    // One WABA cannot hold two templates with the same name and language, and the corpus is
    // checked as one run.
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for t in &all {
        if let Some(first) = seen.insert((&t.name, &t.language), &t.file) {
            panic!(
                "{} and {first} both hold the template `{}` in `{}`",
                t.file, t.name, t.language
            );
        }
    }
}

/// Clean means no error and no warning; info-level hints (such as a marketing template without
/// an opt-out button) may remain.
fn has_problems(report: &wabalint::engine::FileReport) -> bool {
    report
        .diagnostics
        .iter()
        .any(|d| d.severity > wabalint::Severity::Info)
}
