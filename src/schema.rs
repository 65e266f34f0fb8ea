//! Shape validation with the JSON Schemas under `rules/schemas/`, errors mapped to nodes.

use crate::builtin;
use crate::document::{pointer_join, pointer_last};
use crate::kind::Kind;
use crate::suggest::did_you_mean;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;
use serde_json::Value;
use std::sync::OnceLock;

pub const TEMPLATE_SCHEMA: &str = include_str!("../rules/schemas/template.schema.json");
pub const PHONE_NUMBER_SCHEMA: &str = include_str!("../rules/schemas/phone_number.schema.json");
pub const ACCOUNT_SCHEMA: &str = include_str!("../rules/schemas/account.schema.json");
pub const CAMPAIGN_SCHEMA: &str = include_str!("../rules/schemas/campaign.schema.json");
pub const AGENTLESS_REQUEST_SCHEMA: &str =
    include_str!("../rules/schemas/agentless_request.schema.json");

/// A shape problem at a node of the unit (pointer relative to the unit root).
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeError {
    pub code: &'static str,
    pub pointer: String,
    pub at_key: bool,
    pub message: String,
    pub help: Option<String>,
    /// Something the schema does not know but that is no likely mistake in a schema that is
    /// open to what Meta adds (`x-wabalint-open`): a warning, not an error.
    pub unknown_to_rules: bool,
}

pub fn schema_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Template => TEMPLATE_SCHEMA,
        Kind::PhoneNumber => PHONE_NUMBER_SCHEMA,
        Kind::Account => ACCOUNT_SCHEMA,
        Kind::Campaign => CAMPAIGN_SCHEMA,
        Kind::AgentlessRequest => AGENTLESS_REQUEST_SCHEMA,
    }
}

/// A compiled schema; the only type outside this module that stands for jsonschema.
pub struct Shape {
    schema: Value,
    validator: Validator,
    /// The schema is open to keys and values Meta adds (`"x-wabalint-open"` at its root), and
    /// the month its knowledge dates from (`"x-wabalint-as-of"`).
    open: Option<String>,
}

impl Shape {
    /// Compiles a schema with the options wabalint uses everywhere (formats on, linear regexes).
    pub fn compile(text: &str) -> Result<Shape, String> {
        let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(&schema)
            .map_err(|e| e.to_string())?;
        let open = (schema.get("x-wabalint-open") == Some(&Value::Bool(true))).then(|| {
            schema
                .get("x-wabalint-as-of")
                .and_then(Value::as_str)
                .unwrap_or("this version")
                .to_string()
        });
        Ok(Shape {
            schema,
            validator,
            open,
        })
    }

    /// Validates `value`; every error becomes a located, explained shape error.
    pub fn validate(&self, value: &Value) -> Vec<ShapeError> {
        validate_with(self, value)
    }
}

fn compiled(kind: Kind) -> &'static Shape {
    static CELLS: [OnceLock<Shape>; Kind::ALL.len()] = [const { OnceLock::new() }; Kind::ALL.len()];
    let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    CELLS[index].get_or_init(|| Shape::compile(schema_text(kind)).expect("bundled schema compiles"))
}

/// Validates one unit against its kind's schema.
pub fn validate(kind: Kind, value: &Value) -> Vec<ShapeError> {
    compiled(kind).validate(value)
}

fn validate_with(shape: &Shape, value: &Value) -> Vec<ShapeError> {
    let (validator, schema) = (&shape.validator, &shape.schema);
    // Most manifests are well-formed: the yes/no check is cheaper than collecting errors.
    if validator.is_valid(value) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for error in validator.iter_errors(value) {
        let pointer = error.instance_path().as_str().to_string();
        let schema_path = error.schema_path().as_str().to_string();
        let node = value.pointer(&pointer);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let allowed = allowed_properties(schema, &schema_path);
                for key in unexpected {
                    let near = did_you_mean(key, allowed.iter().map(String::as_str));
                    let pointer_to = pointer_join(&pointer, key);
                    if let (None, Some(as_of), true) = (near, &shape.open, like_meta_name(key)) {
                        out.push(ShapeError {
                            code: builtin::UNKNOWN_KEY,
                            pointer: pointer_to,
                            at_key: true,
                            message: format!(
                                "the rule set of {as_of} does not know the key `{key}` {}; the rest of the manifest was still checked",
                                location(&pointer)
                            ),
                            help: Some("if Meta added the field, a newer rule set will know it; if not, remove it".into()),
                            unknown_to_rules: true,
                        });
                        continue;
                    }
                    let help = near.map(|s| format!("did you mean `{s}`?")).or_else(|| {
                        (!allowed.is_empty())
                            .then(|| format!("allowed keys here: {}", allowed.join(", ")))
                    });
                    out.push(ShapeError {
                        code: builtin::UNKNOWN_KEY,
                        pointer: pointer_to,
                        at_key: true,
                        message: format!("unknown key `{key}` {}", location(&pointer)),
                        help,
                        unknown_to_rules: false,
                    });
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                out.push(ShapeError {
                    code: builtin::MISSING_KEY,
                    pointer: pointer.clone(),
                    at_key: false,
                    message: format!("required key `{name}` is missing {}", location(&pointer)),
                    help: Some(format!("add the required key `{name}`")),
                    unknown_to_rules: false,
                });
            }
            ValidationErrorKind::Type { kind } => {
                out.push(type_error(&pointer, kind, node));
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> = options
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(display_value)
                    .collect();
                let found = node.map(display_value).unwrap_or_default();
                let near = did_you_mean(&found, allowed.iter().map(String::as_str));
                let open_enum = schema_node(schema, &schema_path)
                    .and_then(|n| n.get("x-wabalint-open"))
                    == Some(&Value::Bool(true));
                let plausible = open_enum && like_meta_name(&found.to_ascii_lowercase());
                if let (None, Some(as_of), true) = (near, &shape.open, plausible) {
                    out.push(ShapeError {
                        code: builtin::INVALID_VALUE,
                        pointer: pointer.clone(),
                        at_key: false,
                        message: format!(
                            "`{}` is `{found}`, which the rule set of {as_of} does not know (it knows {}); rules that need to understand this node skip it",
                            field(&pointer),
                            allowed.join(", ")
                        ),
                        help: Some("if Meta added the value, a newer rule set will know it; if not, use one of the values listed".into()),
                        unknown_to_rules: true,
                    });
                    continue;
                }
                let help = near
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("use one of: {}", allowed.join(", ")));
                out.push(ShapeError {
                    code: builtin::INVALID_VALUE,
                    pointer: pointer.clone(),
                    at_key: false,
                    message: format!(
                        "`{}` is `{found}`, which is not one of: {}",
                        field(&pointer),
                        allowed.join(", ")
                    ),
                    help: Some(help),
                    unknown_to_rules: false,
                });
            }
            ValidationErrorKind::Constant { expected_value } => {
                out.push(ShapeError {
                    code: builtin::INVALID_VALUE,
                    pointer: pointer.clone(),
                    at_key: false,
                    message: format!(
                        "`{}` must be `{}`",
                        field(&pointer),
                        display_value(expected_value)
                    ),
                    help: None,
                    unknown_to_rules: false,
                });
            }
            ValidationErrorKind::Format { format } if format == "date" => {
                out.push(ShapeError {
                    code: builtin::INVALID_VALUE,
                    pointer: pointer.clone(),
                    at_key: false,
                    message: format!(
                        "`{}` is `{}`, which is not a calendar date",
                        field(&pointer),
                        node.map(display_value).unwrap_or_default()
                    ),
                    help: Some("write the date as YYYY-MM-DD, e.g. 2026-03-31".into()),
                    unknown_to_rules: false,
                });
            }
            ValidationErrorKind::Maximum { limit } => {
                out.push(ShapeError {
                    code: builtin::INVALID_VALUE,
                    pointer: pointer.clone(),
                    at_key: false,
                    message: format!(
                        "`{}` is larger than {}, the largest value allowed",
                        field(&pointer),
                        display_value(limit)
                    ),
                    help: Some(format!("use a number up to {}", display_value(limit))),
                    unknown_to_rules: false,
                });
            }
            _ => out.push(ShapeError {
                code: builtin::INVALID_VALUE,
                pointer: pointer.clone(),
                at_key: false,
                message: format!("`{}`: {}", field(&pointer), error.masked()),
                help: None,
                unknown_to_rules: false,
            }),
        }
    }
    out
}

fn type_error(pointer: &str, kind: &TypeKind, node: Option<&Value>) -> ShapeError {
    let expected = match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    };
    let found = node.map(json_type).unwrap_or("nothing");
    let help = if expected.starts_with("string") && matches!(node, Some(Value::Number(_))) {
        Some(
            "YAML reads unquoted digits as a number, dropping a leading `+` or leading zeros \
             (`0049…` becomes 49…): put the value in quotes"
                .to_string(),
        )
    } else if expected.starts_with("string") && matches!(node, Some(Value::Bool(_))) {
        Some("put the value in quotes".to_string())
    } else {
        None
    };
    ShapeError {
        code: builtin::WRONG_TYPE,
        pointer: pointer.to_string(),
        at_key: false,
        message: format!(
            "`{}` must be {} {expected}, found {found}",
            field(pointer),
            article(&expected)
        ),
        help,
        unknown_to_rules: false,
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn field(pointer: &str) -> String {
    if pointer.is_empty() {
        "document".into()
    } else {
        pointer_last(pointer)
    }
}

/// "at the top level" or "in `components/0`".
fn location(pointer: &str) -> String {
    if pointer.is_empty() {
        "at the top level".into()
    } else {
        format!("in `{}`", pointer.trim_start_matches('/'))
    }
}

/// Whether `name` could be a field or value Meta added: Meta names them in ASCII snake case
/// (`disable_ios_autofill`, `CALL_PERMISSION_REQUEST` before case is normalised). Anything
/// else (spaces, dashes, control characters) is a mistake, not news.
fn like_meta_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 64
}

/// The schema node a keyword of `schema_path` belongs to (the path without its keyword).
fn schema_node<'s>(schema: &'s Value, schema_path: &str) -> Option<&'s Value> {
    let parent = schema_path.rsplit_once('/').map(|(p, _)| p)?;
    let mut node = schema;
    for token in parent.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if token == "$ref" {
            let target = node.get("$ref").and_then(Value::as_str)?;
            node = schema.pointer(target.trim_start_matches('#'))?;
            continue;
        }
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Property names the schema allows where `additionalProperties` failed.
fn allowed_properties(schema: &Value, schema_path: &str) -> Vec<String> {
    schema_node(schema, schema_path)
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_bundled_schema_compiles() {
        for kind in Kind::ALL {
            let _ = compiled(kind);
        }
    }

    #[test]
    fn misspelled_key_gets_a_suggestion() {
        let errs = validate(
            Kind::Template,
            &json!({"name": "a", "language": "en", "category": "UTILITY",
                    "components": [{"type": "BODY", "txt": "hi"}]}),
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].pointer, "/components/0/txt");
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `text`?"));
    }

    /// Templates are open to what Meta adds: an unknown key or value that is no near miss is
    /// told, not refused; a near miss stays an error; wabalint's own kinds stay closed.
    #[test]
    fn templates_are_open_to_what_meta_adds() {
        let errs = validate(
            Kind::Template,
            &json!({"name": "a", "language": "en", "category": "UTILITY", "ios_rich_preview": true,
                    "componets": [], "Has Space": 1,
                    "components": [{"type": "BODY", "text": "hi"}, {"type": "HOLOGRAM"},
                                   {"type": "BUTTONS", "buttons": [{"type": "QUIK_REPLY", "text": "a"}]}]}),
        );
        let found = |p: &str| {
            errs.iter()
                .find(|e| e.pointer == p)
                .unwrap_or_else(|| panic!("{p}: {errs:?}"))
        };
        assert!(found("/ios_rich_preview").unknown_to_rules);
        assert!(found("/ios_rich_preview")
            .message
            .contains("rule set of 2026-12 does not know"));
        assert!(!found("/componets").unknown_to_rules);
        assert_eq!(
            found("/componets").help.as_deref(),
            Some("did you mean `components`?")
        );
        assert!(
            !found("/Has Space").unknown_to_rules,
            "not a name Meta would use"
        );
        assert!(found("/components/1/type").unknown_to_rules);
        assert!(!found("/components/2/buttons/0/type").unknown_to_rules);
        let errs = validate(
            Kind::PhoneNumber,
            &json!({"number": "+4930123456", "display_name": "Acme", "owned_by_business": true,
                    "can_receive": ["sms"], "whatsapp_usage": "none", "ios_rich_preview": true}),
        );
        assert!(errs.iter().all(|e| !e.unknown_to_rules), "{errs:?}");
        assert_eq!(errs.len(), 1, "{errs:?}");
    }

    #[test]
    fn number_instead_of_string_says_quote_it() {
        let errs = validate(
            Kind::PhoneNumber,
            &json!({"number": 49301234567u64, "display_name": "Acme", "owned_by_business": true,
                    "can_receive": ["sms"], "whatsapp_usage": "none"}),
        );
        assert_eq!(errs[0].code, builtin::WRONG_TYPE);
        assert!(errs[0].help.as_deref().unwrap().contains("quotes"));
    }

    #[test]
    fn unverified_account_needs_trial_start_and_real_dates() {
        let errs = validate(
            Kind::Account,
            &json!({"kind": "account", "business": {"name": "A", "portfolio_owner": "brand",
                    "verification": {"status": "pending"}},
                    "waba": {"id": "1", "partners": [], "payment_method": "genesys"}}),
        );
        assert_eq!(
            errs[0].message,
            "required key `trial_started` is missing in `business/verification`"
        );
        let errs = validate(
            Kind::Campaign,
            &json!({"kind": "campaign", "account": "a.yaml", "template": {"name": "x", "language": "en"},
                    "recipients_per_day": 5, "start": "2026-02-30"}),
        );
        assert_eq!(errs[0].code, builtin::INVALID_VALUE);
    }
}
