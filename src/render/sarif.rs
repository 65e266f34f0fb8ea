//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it: every rule as a reporting
//! descriptor, results with repository-relative locations, full regions and stable fingerprints.

use crate::builtin::BUILTIN_CODES;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RuleSet;
use serde_json::{json, Value};
use std::path::Path;

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/wabalint/wabalint";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One descriptor per rule and built-in check, in a fixed order (results refer to the index).
fn descriptors(set: &RuleSet) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for r in set.rules.iter().chain(&set.disabled) {
        let why = r.why.as_deref().unwrap_or(&r.summary);
        let help = r.help.as_deref().unwrap_or(&r.summary);
        let cited = r.cited();
        let source = cited.unwrap_or_default();
        let markdown = format!(
            "{}\n\n**Why.** {why}\n\n**How to fix.** {help}\n\n**Source.** {source}",
            r.summary
        );
        out.push((
            r.id.to_string(),
            json!({
                "id": &*r.id,
                "name": r.id.replace(['/', '-'], "_"),
                "shortDescription": { "text": clip(&r.summary) },
                "fullDescription": { "text": clip(why) },
                "help": { "text": format!("{help} Source: {source}"), "markdown": markdown },
                "helpUri": format!("{INFORMATION_URI}/blob/main/rules/README.md#{}", anchor(&r.id)),
                "defaultConfiguration": { "level": level(r.default_severity) },
                "properties": { "tags": [r.kind.as_str(), "whatsapp"], "confidence": r.confidence.map(|c| format!("{c:?}").to_lowercase()), "metaErrors": &r.meta_errors }
            }),
        ));
    }
    for c in BUILTIN_CODES {
        out.push((
            c.id.to_string(),
            json!({
                "id": c.id,
                "name": c.id.replace(['/', '-'], "_"),
                "shortDescription": { "text": c.summary },
                "fullDescription": { "text": c.why },
                "help": { "text": c.help, "markdown": format!("{}\n\n**Why.** {}\n\n**How to fix.** {}", c.summary, c.why, c.help) },
                "helpUri": format!("{INFORMATION_URI}/blob/main/rules/README.md#{}", anchor(c.id)),
                "defaultConfiguration": { "level": level(c.severity) },
                "properties": { "tags": ["built-in"] }
            }),
        ));
    }
    out
}

/// GitHub's anchor for a `### \`id\`` heading.
fn anchor(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_lowercase()
}

fn clip(s: &str) -> String {
    if s.chars().count() <= 1000 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(999).collect::<String>())
    }
}

/// Bytes a URI path keeps as they are: RFC 3986's unreserved characters and `/`.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Where a file named `name` (relative to the working directory) is: relative to `root` (the
/// project root, `%SRCROOT%`) with forward slashes, percent-encoded from the name's bytes (a
/// name that is not UTF-8 keeps its bytes); an absolute `file://` URI for a file outside it.
/// The second value says whether the URI is relative to `%SRCROOT%`.
pub fn uri(name: &str, root: &Path) -> (String, bool) {
    let path = crate::source::path_of_name(name);
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = crate::project::lexical(&cwd.join(path));
    match absolute.strip_prefix(root) {
        Ok(relative) => (encode(relative), true),
        Err(_) => (format!("file://{}", encode(&absolute)), false),
    }
}

/// A path's bytes, percent-encoded, with `/` between its parts.
fn encode(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part),
            _ => None,
        })
        .map(|part| {
            let bytes = crate::source::name_bytes_of(part);
            percent_encoding::percent_encode(&bytes, URI_PATH).to_string()
        })
        .collect();
    let joined = parts.join("/");
    if path.has_root() {
        format!("/{joined}")
    } else {
        joined
    }
}

/// FNV-1a: a fingerprint that stays the same across runs, versions and machines.
fn fnv1a(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn region(file: &crate::source::SourceFile, span: crate::source::Span) -> Value {
    let (s, e) = (file.position(span.start), file.position(span.end));
    json!({ "startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column.max(if e.line == s.line { s.column } else { 1 }) })
}

/// The report; `root` is the project root (absolute), which URIs are relative to.
pub fn render(diagnostics: &[Diagnostic], set: &RuleSet, root: &Path) -> String {
    let location = |name: &str| {
        let (uri, relative) = uri(name, root);
        match relative {
            true => json!({ "uri": uri, "uriBaseId": "%SRCROOT%" }),
            false => json!({ "uri": uri }),
        }
    };
    let rules = descriptors(set);
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = rules.iter().position(|(id, _)| id.as_str() == d.rule());
            let file_uri = uri(d.file.name(), root).0;
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i,
                        "message": { "text": l.message },
                        "physicalLocation": {
                            "artifactLocation": location(l.file.name()),
                            "region": region(&l.file, l.span)
                        }
                    })
                })
                .collect();
            let mut message = d.message.to_string();
            if let Some(help) = &d.help {
                message.push_str(&format!(" Help: {help}"));
            }
            let mut result = json!({
                "ruleId": d.rule(),
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": location(d.file.name()),
                        "region": region(&d.file, d.span)
                    },
                    "logicalLocations": [{ "name": d.pointer, "kind": "member" }]
                }],
                "partialFingerprints": { "wabalint/v1": fnv1a(&[d.rule(), &file_uri, &d.pointer, &d.message]) }
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    let report = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "wabalint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules.into_iter().map(|(_, v)| v).collect::<Vec<_>>()
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The project root wabalint ran with (the directory of its configuration, else the git work tree)." } } },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    super::defuse(&s, ":", "\\u0023").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fnv1a(&["a", "b"]), fnv1a(&["a", "b"]));
        assert_ne!(fnv1a(&["ab", ""]), fnv1a(&["a", "b"]));
        assert_eq!(fnv1a(&[]), "cbf29ce484222325");
    }

    #[test]
    fn uris_are_relative_to_the_root_and_percent_encoded() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            uri("a b/#1%.yaml", &cwd),
            ("a%20b/%231%25.yaml".into(), true)
        );
        assert_eq!(uri("./x/../ü.json", &cwd), ("%C3%BC.json".into(), true));
        assert_eq!(uri("\"a\\xff.yaml\"", &cwd), ("a%FF.yaml".into(), true));
        let (outside, relative) = uri("/etc/x y", &cwd.join("sub"));
        assert_eq!((outside.as_str(), relative), ("file:///etc/x%20y", false));
    }

    #[test]
    fn anchors_match_github_headings() {
        assert_eq!(anchor("template/body-too-long"), "templatebody-too-long");
    }
}
