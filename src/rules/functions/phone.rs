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

/// Digits after the country code's `+`; plus-less numbers count only when too long for a short
/// code, and national formats (leading 0) never do: the other phone functions report those.
fn international_digits(s: &str) -> Option<String> {
    let s = s.trim();
    let (plus, body) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let digits = phone::digits(body);
    (!body.starts_with('0') && (plus || digits.len() > 8)).then_some(digits)
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
    pub fn run(&self, _: &Ctx, t: &Target, out: &mut Vec<Finding>) {
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
            && phone::facts(&digits).is_some();
        if !ok {
            out.push(Finding::at(&t.pointer).arg("digits", digits));
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneValid {}
impl Validated for PhoneValid {}

impl PhoneValid {
    pub fn run(&self, _: &Ctx, t: &Target, out: &mut Vec<Finding>) {
        let Some(digits) = text(t).and_then(international_digits) else {
            return;
        };
        if let Some(f) = phone::facts(&digits) {
            if !f.valid {
                out.push(
                    Finding::at(&t.pointer).arg("region", f.region.unwrap_or_else(|| "?".into())),
                );
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
    pub fn run(&self, _: &Ctx, t: &Target, out: &mut Vec<Finding>) {
        let Some(s) = text(t) else { return };
        let digits = phone::digits(s);
        let is_short =
            !s.trim().starts_with('+') && !digits.is_empty() && digits.len() <= self.max_digits;
        if is_short {
            out.push(Finding::at(&t.pointer).arg("digits", digits));
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
    pub fn run(&self, _: &Ctx, t: &Target, out: &mut Vec<Finding>) {
        let Some(digits) = text(t).and_then(international_digits) else {
            return;
        };
        let Some(f) = phone::facts(&digits).filter(|f| f.valid) else {
            return;
        };
        let name = f.number_type.as_str();
        let listed = self.types.iter().any(|t| t == name);
        if listed != (self.expect == Expect::In) {
            out.push(Finding::at(&t.pointer).arg("type", name.to_lowercase().replace('_', " ")));
        }
    }
}
