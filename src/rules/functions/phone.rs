//! Phone-number predicates on manifest strings.

use super::{Ctx, Finding, OptionError, Target, Validated};
use crate::phone::{self, NumberType};
use serde::Deserialize;
use serde_json::Value;

fn text<'a>(t: &'a Target) -> Option<&'a str> {
    t.value
        .and_then(Value::as_str)
        .filter(|s| phone::is_dialable(s))
}

/// Digits after the country code. Without a `+` a number is only read as international where
/// the rule says so (`plus: optional`, e.g. Meta's button numbers); a national format would
/// otherwise be misread as another country's number. `phone_international` reports those.
fn international_digits(s: &str, plus: Plus) -> Option<String> {
    let s = s.trim();
    let (has_plus, body) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let allowed = has_plus || (plus != Plus::Required && s.chars().all(|c| c.is_ascii_digit()));
    (allowed && !body.starts_with('0')).then(|| phone::digits(body))
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Plus {
    #[default]
    Required,
    Forbidden,
    Optional,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneInternational {
    #[serde(default)]
    plus: Plus,
}
impl Validated for PhoneInternational {}

impl PhoneInternational {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(s) = t.value.and_then(Value::as_str) else {
            return;
        };
        let trimmed = s.trim();
        let has_plus = trimmed.starts_with('+');
        let digits = phone::digits(trimmed);
        let ok = phone::is_dialable(trimmed)
            && match self.plus {
                Plus::Required => has_plus,
                Plus::Forbidden => !has_plus && trimmed.chars().all(|c| c.is_ascii_digit()),
                Plus::Optional => true,
            }
            && !digits.starts_with('0')
            && phone::reads(&digits);
        if !ok {
            let problem = if !phone::is_dialable(trimmed) {
                "is not a phone number".to_string()
            } else if self.plus == Plus::Required && !has_plus {
                "does not start with `+` and the country code".to_string()
            } else if self.plus == Plus::Forbidden && !trimmed.chars().all(|c| c.is_ascii_digit()) {
                "must be digits only, starting with the country code (no `+`, spaces or dashes)"
                    .to_string()
            } else if digits.starts_with('0') {
                "starts with 0: a national or `00` prefix, not a country code".to_string()
            } else {
                format!(
                    "does not start with a known country calling code (`+{}…`)",
                    &digits[..digits.len().min(3)]
                )
            };
            out.push(
                Finding::at(t.pointer(ctx))
                    .arg("digits", digits)
                    .arg("problem", problem),
            );
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneValid {
    #[serde(default)]
    plus: Plus,
}
impl Validated for PhoneValid {}

impl PhoneValid {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(digits) = text(t).and_then(|s| international_digits(s, self.plus)) else {
            return;
        };
        if let Some(f) = phone::facts(&digits) {
            if !f.valid {
                out.push(Finding::at(t.pointer(ctx)).arg("region", f.origin()));
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneShortCode {
    #[serde(default = "default_short_code_digits")]
    max_digits: usize,
}

fn default_short_code_digits() -> usize {
    8
}
impl Validated for PhoneShortCode {}

impl PhoneShortCode {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(s) = text(t) else { return };
        let digits = phone::digits(s);
        let is_short =
            !s.trim().starts_with('+') && !digits.is_empty() && digits.len() <= self.max_digits;
        if is_short {
            out.push(
                Finding::at(t.pointer(ctx))
                    .arg("count", digits.len())
                    .arg("digits", digits),
            );
        }
    }
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    #[default]
    In,
    NotIn,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneType {
    types: Vec<String>,
    #[serde(default)]
    expect: Expect,
    #[serde(default)]
    plus: Plus,
}

impl Validated for PhoneType {
    fn validated(self) -> Result<Self, OptionError> {
        for (i, t) in self.types.iter().enumerate() {
            if !NumberType::NAMES.contains(&t.as_str()) {
                return Err(OptionError {
                    pointer: format!("/types/{i}"),
                    message: format!(
                        "unknown number type `{t}`; known: {}",
                        NumberType::NAMES.join(", ")
                    ),
                });
            }
        }
        Ok(self)
    }
}

impl PhoneType {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(digits) = text(t).and_then(|s| international_digits(s, self.plus)) else {
            return;
        };
        let Some(f) = phone::facts(&digits).filter(|f| f.valid) else {
            return;
        };
        let name = f.number_type.as_str();
        let listed = self.types.iter().any(|t| t == name);
        if listed != (self.expect == Expect::In) {
            out.push(Finding::at(t.pointer(ctx)).arg("type", f.number_type.describe()));
        }
    }
}
