//! Embeds each rule's failing and passing fixture so `wabalint explain` can show them, and the
//! bundled rule files as JSON: parsing JSON at start-up costs a fraction of parsing the YAML.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new("fixtures/rules");
    println!("cargo:rerun-if-changed=fixtures/rules");
    let mut out = String::from("/// (rule id, file name, contents) of every rule fixture.\npub const EXAMPLES: &[(&str, &str, &str)] = &[\n");
    let mut entries = Vec::new();
    if let Ok(kinds) = std::fs::read_dir(root) {
        for kind in kinds.flatten() {
            let Ok(rules) = std::fs::read_dir(kind.path()) else {
                continue;
            };
            for rule in rules.flatten() {
                println!("cargo:rerun-if-changed={}", rule.path().display());
                let Ok(files) = std::fs::read_dir(rule.path()) else {
                    continue;
                };
                for file in files.flatten() {
                    let name = file.file_name().to_string_lossy().to_string();
                    if !(name.starts_with("fail.") || name.starts_with("pass.")) {
                        continue;
                    }
                    let id = format!(
                        "{}/{}",
                        kind.file_name().to_string_lossy(),
                        rule.file_name().to_string_lossy()
                    );
                    let abs = std::fs::canonicalize(file.path()).expect("fixture path");
                    entries.push((id, name, abs));
                }
            }
        }
    }
    entries.sort();
    for (id, name, abs) in entries {
        writeln!(
            out,
            "    ({id:?}, {name:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    out.push_str(&omitted());
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("examples.rs"), out).expect("write examples.rs");
    std::fs::write(Path::new(&out_dir).join("profiles.rs"), profiles_as_json())
        .expect("write profiles.rs");
}

/// `rules/*.yaml` and `rules/*/*.yaml` (not `omitted/`) as (name, JSON text). The YAML is read
/// with the options manifests are read with; a unit test checks both give the same value.
fn profiles_as_json() -> String {
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    for entry in std::fs::read_dir("rules").expect("rules/").flatten() {
        let path = entry.path();
        if path.is_dir()
            && path
                .file_name()
                .is_some_and(|n| n != "omitted" && n != "schemas")
        {
            for inner in std::fs::read_dir(&path).expect("rules/*/").flatten() {
                files.push(inner.path());
            }
        } else {
            files.push(path);
        }
    }
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    let mut out = String::from(
        "/// (profile name, rule file as JSON) of every bundled rule file.\n\
         pub const PROFILES_JSON: &[(&str, &str)] = &[\n",
    );
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("rule file is UTF-8");
        let mut options = serde_saphyr::Options::default();
        options.strict_booleans = true;
        options.underscored_numbers_as_strings = true;
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
        let value: serde_json::Value = serde_saphyr::from_str_with_options(&text, options)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .strip_prefix("rules")
            .unwrap()
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(out, "    ({name:?}, {:?}),", value.to_string()).unwrap();
    }
    out.push_str("];\n");
    out
}

/// Embeds `rules/omitted/*.yaml`: facts the rule set consciously does not check.
fn omitted() -> String {
    let dir = Path::new("rules/omitted");
    println!("cargo:rerun-if-changed=rules/omitted");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("/// (area, YAML list of {fact, source, reason}) of every rules/omitted file.\npub const OMITTED: &[(&str, &str)] = &[\n");
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let area = f.file_stem().unwrap().to_string_lossy().to_string();
        let abs = std::fs::canonicalize(&f).expect("omitted path");
        writeln!(
            out,
            "    ({area:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    out
}
