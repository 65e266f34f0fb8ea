//! Which manifest a document is, recognised by its content, and the units it holds.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The manifest kinds wabalint checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Template,
    PhoneNumber,
    Account,
    Campaign,
    /// Genesys Cloud's `POST /api/v2/conversations/messages/agentless` request body.
    AgentlessRequest,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Template,
        Kind::PhoneNumber,
        Kind::Account,
        Kind::Campaign,
        Kind::AgentlessRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Template => "template",
            Kind::PhoneNumber => "phone_number",
            Kind::Account => "account",
            Kind::Campaign => "campaign",
            Kind::AgentlessRequest => "agentless_request",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One manifest inside a document: a template of an export list, an inline phone number, …
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub kind: Kind,
    /// Index of the YAML document in the file.
    pub tree: usize,
    /// JSON pointer of the unit's root inside that document.
    pub root: String,
}

/// The outcome of looking at one document.
#[derive(Debug, PartialEq, Eq)]
pub enum Detection {
    Units(Vec<Unit>),
    /// `kind:` names something wabalint does not know.
    UnknownKind(String),
    /// Nothing about the document looks like a manifest.
    Unrecognized,
}

/// Recognises the manifest kind of one document by its content.
pub fn detect(tree: usize, value: &Value) -> Detection {
    let unit = |kind, root: String| Unit { kind, tree, root };
    match value {
        Value::Object(map) => {
            if let Some(kind) = map.get("kind") {
                return match kind.as_str().and_then(Kind::parse) {
                    Some(Kind::Account) => {
                        let mut units = vec![unit(Kind::Account, String::new())];
                        units.extend(
                            inline_phone_numbers(value).map(|p| unit(Kind::PhoneNumber, p)),
                        );
                        Detection::Units(units)
                    }
                    Some(kind) => Detection::Units(vec![unit(kind, String::new())]),
                    None => Detection::UnknownKind(kind_text(kind)),
                };
            }
            // A template with a `data` key is still a template (the key is checked as one of
            // its keys): otherwise a key beside it would leave its own fields unchecked.
            if looks_like_template(value) {
                return Detection::Units(vec![unit(Kind::Template, String::new())]);
            }
            // An export: every record is a template unit, so one that is not (`{}`, `null`)
            // is a finding of its own and the others are still checked.
            if let Some(Value::Array(items)) = map.get("data") {
                if items.iter().any(looks_like_template) {
                    return Detection::Units(
                        (0..items.len())
                            .map(|i| unit(Kind::Template, format!("/data/{i}")))
                            .collect(),
                    );
                }
            }
            if map.contains_key("toAddressMessengerType") && map.contains_key("toAddress") {
                return Detection::Units(vec![unit(Kind::AgentlessRequest, String::new())]);
            }
            Detection::Unrecognized
        }
        Value::Array(items) if !items.is_empty() && items.iter().any(looks_like_template) => {
            Detection::Units(
                (0..items.len())
                    .map(|i| unit(Kind::Template, format!("/{i}")))
                    .collect(),
            )
        }
        _ => Detection::Unrecognized,
    }
}

fn kind_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Lenient on purpose: a template with a misspelled key must still be checked, not skipped.
fn looks_like_template(v: &Value) -> bool {
    let Some(map) = v.as_object() else {
        return false;
    };
    map.contains_key("components")
        || map.contains_key("category")
        || (map.contains_key("name") && map.contains_key("language"))
}

fn inline_phone_numbers(account: &Value) -> impl Iterator<Item = String> + '_ {
    account
        .get("phone_numbers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, v)| v.is_object())
        .map(|(i, _)| format!("/phone_numbers/{i}"))
}

/// What an exported template record (a GET object or an entry of an export's `data`) says
/// of Meta's state. A record is exported only with Meta's `id` (or in an export's `data`)
/// together with its `status`: a `status` alone on a create request changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// Upper-cased, as normalised.
    pub status: String,
}

impl Exported {
    /// Whether Meta accepted the record once, and keeps its own text for it (the text of an
    /// approved authentication template is Meta's): creation-only rules do not apply. A
    /// rejected or pending record still has the text that was submitted.
    pub fn accepted(&self) -> bool {
        !matches!(self.status.as_str(), "REJECTED" | "PENDING" | "IN_APPEAL")
    }

    /// Whether the record works today as Meta approved it: what it breaks is only refused if
    /// it is submitted again.
    pub fn approved(&self) -> bool {
        matches!(self.status.as_str(), "APPROVED" | "PAUSED")
    }
}

/// The exported state of the template at `root` of a document, if it is an exported record.
pub fn exported(template: &Value, root: &str) -> Option<Exported> {
    let status = template.get("status")?.as_str()?;
    let from_meta = template.get("id").is_some() || root.starts_with("/data/");
    from_meta.then(|| Exported {
        status: status.to_ascii_uppercase(),
    })
}

/// Keys whose values Meta accepts in any case; rules and schemas see them upper-cased.
const CASE_INSENSITIVE_KEYS: [&str; 7] = [
    "type",
    "format",
    "category",
    "parameter_format",
    "otp_type",
    "sub_category",
    "status",
];

/// Facts comparisons across files need about a template that are not fields: placeholder
/// counts per component, under `/computed` (added when a counterpart is completed).
pub fn compute_template_facts(value: &mut Value) {
    let distinct = |text: Option<&str>| {
        let mut names: Vec<String> = crate::placeholder::parse(text.unwrap_or(""))
            .into_iter()
            .map(|p| p.name)
            .collect();
        names.sort();
        names.dedup();
        names.len()
    };
    let components: &[Value] = value
        .get("components")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let of_type = |t: &'static str| {
        components
            .iter()
            .filter(move |c| c.get("type").and_then(Value::as_str) == Some(t))
    };
    fn text(c: &Value) -> Option<&str> {
        c.get("text").and_then(Value::as_str)
    }
    let header: usize = of_type("HEADER").map(|c| distinct(text(c))).sum();
    let body: usize = of_type("BODY").map(|c| distinct(text(c))).sum();
    let buttons: usize = of_type("BUTTONS")
        .flat_map(|c| {
            c.get("buttons")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter(|b| b.get("type").and_then(Value::as_str) == Some("URL"))
        .map(|b| distinct(b.get("url").and_then(Value::as_str)))
        .sum();
    if let Value::Object(map) = value {
        map.insert(
            "computed".into(),
            serde_json::json!({ "placeholders": { "header": header, "body": body, "url_buttons": buttons } }),
        );
    }
}

/// Upper-cases the enum-like strings of a template, as Meta does when it stores one.
pub fn normalize_template(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if CASE_INSENSITIVE_KEYS.contains(&key.as_str()) => {
                        s.make_ascii_uppercase();
                    }
                    Value::Object(_) | Value::Array(_) if key != "example" => normalize_template(v),
                    _ => {}
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_template),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_every_shape() {
        let units = |v: Value| match detect(0, &v) {
            Detection::Units(u) => u.into_iter().map(|u| (u.kind, u.root)).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            units(json!({"name": "a", "language": "en", "components": []})),
            [(Kind::Template, String::new())]
        );
        assert_eq!(
            units(json!({"data": [{"name": "a", "components": []}], "paging": {}})),
            [(Kind::Template, "/data/0".to_string())]
        );
        assert_eq!(
            units(json!([{"category": "UTILITY"}])),
            [(Kind::Template, "/0".to_string())]
        );
        assert_eq!(
            units(json!({"kind": "account", "phone_numbers": ["a.yaml", {"number": "+1"}]})),
            [
                (Kind::Account, String::new()),
                (Kind::PhoneNumber, "/phone_numbers/1".to_string())
            ]
        );
        assert_eq!(
            detect(0, &json!({"kind": "robot"})),
            Detection::UnknownKind("robot".into())
        );
        assert_eq!(detect(0, &json!({"jobs": {}})), Detection::Unrecognized);
    }

    #[test]
    fn normalises_enum_case_but_not_text() {
        let mut v = json!({"category": "marketing", "components": [{"type": "body", "text": "hi"}],
            "example": {"type": "keep"}});
        normalize_template(&mut v);
        assert_eq!(v["category"], "MARKETING");
        assert_eq!(v["components"][0]["type"], "BODY");
        assert_eq!(v["components"][0]["text"], "hi");
    }
}
