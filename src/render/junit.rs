//! `--format junit`: JUnit XML, one test case per file and rule, as CI systems render it.

use crate::diagnostic::{Diagnostic, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Text as XML character data or an attribute value: markup escaped; line breaks and tabs as
/// character references, so that no text from a manifest starts a line of the report (a CI log
/// shows it); characters XML 1.0 cannot hold (C0 controls, U+FFFE, U+FFFF) as `\xHH` /
/// `\uFFFE`; a `##[` with its second `#` as a reference (see [`super::defuse`]).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    super::defuse(&out, "&#58;", "&#35;").into_owned()
}

/// `files` are the names of every checked file, so clean files appear as passing cases.
pub fn render(diagnostics: &[Diagnostic], files: &[String]) -> String {
    let mut by_file: BTreeMap<&str, BTreeMap<&str, Vec<&Diagnostic>>> = BTreeMap::new();
    for f in files {
        by_file.entry(f.as_str()).or_default();
    }
    for d in diagnostics {
        by_file
            .entry(d.file.name())
            .or_default()
            .entry(d.rule())
            .or_default()
            .push(d);
    }
    let failing = |ds: &[&Diagnostic]| ds.iter().any(|d| d.severity == Severity::Error);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total: usize = by_file.values().map(|rules| rules.len().max(1)).sum();
    let failures: usize = by_file
        .values()
        .flat_map(|r| r.values())
        .filter(|ds| failing(ds))
        .count();
    let _ = writeln!(
        out,
        "<testsuites name=\"wabalint\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\">"
    );
    for (file, rules) in &by_file {
        let cases = rules.len().max(1);
        let fails = rules.values().filter(|ds| failing(ds)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{cases}\" failures=\"{fails}\" errors=\"0\">",
            xml(file)
        );
        if rules.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"wabalint\" classname=\"{}\"/>",
                xml(file)
            );
        }
        for (rule, ds) in rules {
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\">",
                xml(rule),
                xml(file)
            );
            let text: String = ds
                .iter()
                .map(|d| {
                    let p = d.start();
                    format!(
                        "{}:{}:{}: {} {}\n",
                        file, p.line, p.column, d.severity, d.message
                    )
                })
                .collect();
            let tag = if failing(ds) { "failure" } else { "system-out" };
            if tag == "failure" {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml(&ds[0].message),
                    xml(rule),
                    xml(&text)
                );
            } else {
                let _ = writeln!(out, "      <system-out>{}</system-out>", xml(&text));
            }
            let _ = writeln!(out, "    </testcase>");
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    let _ = writeln!(out, "</testsuites>");
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn escapes_markup_line_breaks_and_what_xml_cannot_hold() {
        assert_eq!(
            xml("a<b & \"c\"\u{1}\u{fffe}\u{ffff}"),
            "a&lt;b &amp; &quot;c&quot;\\x01\\ufffe\\uffff"
        );
        assert_eq!(xml("x\n::error::y ##[z]"), "x&#10;::error::y #&#35;[z]");
    }
}
