//! Embeds each rule's failing and passing fixture so `wabalint explain` can show them.

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
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("examples.rs");
    std::fs::write(dest, out).expect("write examples.rs");
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
