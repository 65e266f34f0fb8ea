//! Diagnostics the engine itself raises (reading, parsing, shape). Rule files cannot turn these
//! into something else, but severity overrides and `off` apply to them like to any rule.

use crate::diagnostic::Severity;

/// Metadata of a built-in check; the same fields a YAML rule carries.
pub struct BuiltinCode {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub why: &'static str,
    pub help: &'static str,
}

macro_rules! codes {
    ($($name:ident = $id:literal, $sev:ident, $summary:literal, $why:literal, $help:literal;)*) => {
        $(pub const $name: &str = $id;)*
        pub const BUILTIN_CODES: &[BuiltinCode] = &[
            $(BuiltinCode { id: $id, severity: Severity::$sev, summary: $summary, why: $why, help: $help },)*
        ];
    };
}

codes! {
    UNREADABLE = "manifest/unreadable", Error,
        "The file cannot be read",
        "wabalint can only check what it can read; an unreadable file in a CI gate must not pass silently.",
        "Check that the path exists and that the file is readable.";
    ENCODING = "manifest/encoding", Error,
        "The file is not UTF-8 text",
        "YAML and JSON manifests are UTF-8; Meta's API and Genesys Cloud reject other encodings.",
        "Save the file as UTF-8 (not UTF-16 or UTF-32, which start with a byte-order mark).";
    SYNTAX = "manifest/syntax", Error,
        "The file is not valid YAML or JSON",
        "A manifest that does not parse cannot be submitted or checked.",
        "Fix the syntax at the marked place; duplicate keys count as errors because parsers disagree on which one wins.";
    EMPTY = "manifest/empty", Error,
        "The file holds no document",
        "An empty manifest usually means a file was truncated or committed by mistake.",
        "Add the manifest's content or delete the file.";
    LIMIT = "manifest/limit", Error,
        "A file exceeds a limit wabalint applies to untrusted input",
        "Huge files, deep nesting and alias bombs could exhaust time or memory; wabalint stops at configurable limits instead.",
        "Split the file, or raise the limit named in the message (`limits:` in the configuration, or `--limit NAME=VALUE`).";
    UNRECOGNIZED = "manifest/unrecognized", Warning,
        "The file is not a manifest wabalint knows",
        "Files given on the command line are expected to be manifests; a template with a typo in every key would otherwise pass unchecked.",
        "Templates need `name`/`language`/`category`/`components`; other manifests need `kind: phone_number`, `account` or `campaign`.";
    UNKNOWN_KIND = "manifest/unknown-kind", Error,
        "`kind` names an unknown manifest kind",
        "The kind decides which schema and rules apply; an unknown kind would leave the file unchecked.",
        "Use `kind: phone_number`, `kind: account` or `kind: campaign` (templates need no `kind`).";
    UNKNOWN_KEY = "manifest/unknown-key", Error,
        "A key is not part of the manifest format",
        "Meta rejects unknown fields with error 100, and a misspelled optional key is silently ignored by most tools.",
        "Remove the key or correct its spelling.";
    MISSING_KEY = "manifest/missing-key", Error,
        "A required key is missing",
        "Meta and Genesys Cloud reject manifests without their required fields.",
        "Add the key.";
    WRONG_TYPE = "manifest/wrong-type", Error,
        "A value has the wrong type",
        "A string written as a number loses leading zeros and plus signs; Meta rejects wrong types with error 100.",
        "Write the value with the expected type; quote strings that YAML would read as numbers or booleans.";
    INVALID_VALUE = "manifest/invalid-value", Error,
        "A value is not one of the allowed values or not in the allowed form",
        "Enumerations and formats such as dates are fixed by Meta's API.",
        "Use one of the values the message lists.";
    NUMBER_RANGE = "manifest/number-out-of-range", Error,
        "An integer is too large for 64 bits",
        "Integers beyond 64 bits are read as floating-point numbers and lose their last digits, in wabalint as in most JSON tools, so checks see another value than the one written.",
        "Quote the value if it is an identifier (`id: \"18446744073709551617\"`), or correct the number.";
    REFERENCE = "manifest/missing-reference", Error,
        "A referenced manifest cannot be loaded",
        "A campaign is checked against its account; without it the messaging limit cannot be verified.",
        "Point the reference at an existing manifest of the right kind, relative to the referring file.";
    RULESET_SYNTAX = "ruleset/syntax", Error,
        "A rule file is not valid YAML or cannot be read",
        "A broken rule set must stop the run: checking with half the rules would pass bad manifests.",
        "Fix the rule file at the marked place.";
    RULESET_INVALID = "ruleset/invalid", Error,
        "A rule file does not follow the rule-set format",
        "Unknown keys and wrong types in a rule file are mistakes that would silently change what is checked.",
        "See the rule format in the README; `wabalint functions` lists the check functions and their options.";
    RULESET_UNKNOWN_FUNCTION = "ruleset/unknown-function", Error,
        "A rule uses a function that is not in the catalogue",
        "Rules can only combine built-in functions; wabalint runs no code from rule files.",
        "Use one of the functions `wabalint functions` lists.";
    RULESET_BAD_OPTION = "ruleset/invalid-option", Error,
        "A check function is given an unknown or invalid option",
        "A misspelled option would silently fall back to a default and change the rule.",
        "Fix the option; `wabalint functions` lists each function's options.";
    RULESET_BAD_SELECTOR = "ruleset/invalid-selector", Error,
        "A selector is not valid JSONPath (RFC 9535)",
        "A selector that does not parse selects nothing, so its rule would never fire.",
        "Write an RFC 9535 JSONPath starting with `$` (manifest root) or `@` (current node).";
    RULESET_UNKNOWN_TABLE = "ruleset/unknown-table", Error,
        "A check looks up a table that is not defined",
        "Without its table the limit cannot be determined.",
        "Define the table under `tables:` in this file or in a file it extends.";
    RULESET_DUPLICATE_RULE = "ruleset/duplicate-rule", Error,
        "Two rules in one file have the same id",
        "Rule ids are how users select, ignore and override rules; they must be unique.",
        "Rename one of the rules; to replace an inherited rule, define it in a file that extends the other.";
    RULESET_UNKNOWN_RULE = "ruleset/unknown-rule", Error,
        "An override names a rule that does not exist",
        "An override of a misspelled rule id would silently change nothing.",
        "Use an id from `wabalint rules`.";
    RULESET_EXTENDS = "ruleset/extends", Error,
        "`extends` names a rule set that cannot be loaded, or the chain is cyclic or too deep",
        "The inherited rules are part of what the rule set checks.",
        "Extend `meta`, `genesys` or a path relative to the rule file, without cycles.";
    RULESET_DATES = "ruleset/invalid-dates", Error,
        "A rule or table entry ends before it starts",
        "An effective-date window that can never be in effect hides the rule.",
        "Make `from` earlier than `until`.";
    CONFIG_INVALID = "config/invalid", Error,
        "The configuration file is invalid",
        "A misspelled setting would silently change what is checked.",
        "Fix the configuration at the marked place; `wabalint schema config` prints its JSON Schema.";
    SUPPRESSION_NO_REASON = "suppression/missing-reason", Error,
        "A suppression comment gives no reason",
        "Every suppression must say why the finding is acceptable, so reviewers can judge it later.",
        "Write the reason after the rule list: `# wabalint: ignore[rule-id] approved by Meta in 2023`.";
    SUPPRESSION_UNUSED = "suppression/unused", Warning,
        "A suppression matches no finding",
        "Stale suppressions pile up and hide future problems.",
        "Remove the suppression, or correct its rule id.";
}

pub fn find(id: &str) -> Option<&'static BuiltinCode> {
    BUILTIN_CODES.iter().find(|c| c.id == id)
}

/// Findings that mean a file was not checked (or not fully): a comment in the file cannot
/// suppress them, `--select` does not hide them, and only `--ignore` of the exact id, the
/// command line's `--severity` or an `ignore:` entry with a reason in the configuration can.
pub const NOT_CHECKED: [&str; 4] = [UNREADABLE, ENCODING, SYNTAX, LIMIT];

/// Whether `id` says that a file was not (fully) checked.
pub fn means_not_checked(id: &str) -> bool {
    NOT_CHECKED.contains(&id)
}
