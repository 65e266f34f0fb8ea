//! Presence, enumerations, patterns, lengths and numeric ranges.

use super::{display, Ctx, Finding, LazyRegex, OptionError, Target, Validated};
use crate::suggest::did_you_mean;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Present {}
impl Validated for Present {}

/// Null, "", [] and {} count as missing: an empty example is no example.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

impl Present {
    pub fn passes(&self, value: Option<&Value>) -> bool {
        !value.is_none_or(is_empty)
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        if !self.passes(t.value) {
            out.push(Finding::at(t.pointer(ctx)));
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Absent {}
impl Validated for Absent {}

impl Absent {
    pub fn passes(&self, value: Option<&Value>) -> bool {
        value.is_none_or(Value::is_null)
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        if !self.passes(t.value) {
            out.push(Finding::at(t.pointer(ctx)).on_key());
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enumeration {
    values: Vec<Value>,
    #[serde(default)]
    ignore_case: bool,
    /// A long list of strings, sorted: Meta's 111 language codes are looked up, not scanned.
    #[serde(skip)]
    sorted: Option<Box<[Box<str>]>>,
    /// The values as a finding shows them, and joined: written for the first finding, not
    /// for each one, nor at start-up for the many lists that never find anything.
    #[serde(skip)]
    displayed: std::sync::OnceLock<(Box<[String]>, String)>,
}

impl Validated for Enumeration {
    fn validated(mut self) -> Result<Self, OptionError> {
        let strings: Option<Vec<Box<str>>> = self
            .values
            .iter()
            .map(|v| v.as_str().map(Box::from))
            .collect();
        if let Some(mut strings) = strings.filter(|s| s.len() > 8 && !self.ignore_case) {
            strings.sort_unstable();
            self.sorted = Some(strings.into());
        }
        Ok(self)
    }
}

impl Enumeration {
    fn matches(&self, v: &Value) -> bool {
        if let Some(sorted) = &self.sorted {
            // Only strings are listed, and no other value equals a string.
            return v
                .as_str()
                .is_some_and(|s| sorted.binary_search_by(|a| (**a).cmp(s)).is_ok());
        }
        self.values.iter().any(|allowed| match (allowed, v) {
            (Value::String(a), Value::String(b)) if self.ignore_case => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        })
    }

    pub fn passes(&self, value: Option<&Value>) -> bool {
        value.is_none_or(|v| self.matches(v))
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(v) = t.value.filter(|_| !self.passes(t.value)) else {
            return;
        };
        if !ctx.explain.get() {
            out.push(Finding::at(t.pointer(ctx)));
            return;
        }
        let (displayed, listed) = self.displayed.get_or_init(|| {
            let displayed: Box<[String]> = self.values.iter().map(display).collect();
            let listed = displayed.join(", ");
            (displayed, listed)
        });
        let suggestion = v
            .as_str()
            .and_then(|s| did_you_mean(s, displayed.iter().map(String::as_str)))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        out.push(
            Finding::at(t.pointer(ctx))
                .arg("allowed", listed.clone())
                .arg("did_you_mean", suggestion),
        );
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    #[serde(rename = "match")]
    must_match: Option<LazyRegex>,
    not_match: Option<LazyRegex>,
}

impl Validated for Pattern {
    fn validated(self) -> Result<Self, OptionError> {
        if self.must_match.is_none() && self.not_match.is_none() {
            return Err(OptionError {
                pointer: String::new(),
                message: "`pattern` needs `match` or `not_match`".into(),
            });
        }
        Ok(self)
    }
}

impl Pattern {
    /// [`Pattern::run`] finds nothing: `not_match` only needs to know whether there is a match.
    pub fn passes(&self, value: Option<&Value>) -> bool {
        let Some(Value::String(s)) = value else {
            return true;
        };
        self.must_match.as_ref().is_none_or(|re| re.is_match(s))
            && self.not_match.as_ref().is_none_or(|re| !re.is_match(s))
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(Value::String(s)) = t.value else {
            return;
        };
        if let Some(re) = &self.must_match {
            if !re.is_match(s) {
                out.push(
                    Finding::at(t.pointer(ctx))
                        .arg("pattern", re.as_str())
                        .arg("found", ""),
                );
                return;
            }
        }
        if let Some(re) = &self.not_match {
            if let Some(found) = re.find(s) {
                out.push(
                    Finding::at(t.pointer(ctx))
                        .arg("pattern", re.as_str())
                        .arg("found", found),
                );
            }
        }
    }

    pub fn regexes(&self) -> Vec<(String, &LazyRegex)> {
        [
            ("/match", &self.must_match),
            ("/not_match", &self.not_match),
        ]
        .into_iter()
        .filter_map(|(option, re)| re.as_ref().map(|re| (option.to_string(), re)))
        .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Length {
    min: Option<usize>,
    max: Option<usize>,
}
impl Validated for Length {}

impl Length {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let len = match t.value {
            Some(Value::String(s)) => s.chars().count(),
            Some(Value::Array(a)) => a.len(),
            _ => return,
        };
        if self.min.is_some_and(|m| len < m) || self.max.is_some_and(|m| len > m) {
            out.push(
                Finding::at(t.pointer(ctx))
                    .arg("length", len)
                    .arg("min", self.min.map(|m| m.to_string()).unwrap_or_default())
                    .arg("max", self.max.map(|m| m.to_string()).unwrap_or_default()),
            );
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    min: Option<f64>,
    max: Option<f64>,
}
impl Validated for Range {}

impl Range {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(n) = t.value.and_then(Value::as_f64) else {
            return;
        };
        if self.min.is_some_and(|m| n < m) || self.max.is_some_and(|m| n > m) {
            out.push(
                Finding::at(t.pointer(ctx))
                    .arg("min", self.min.map(fmt_number).unwrap_or_default())
                    .arg("max", self.max.map(fmt_number).unwrap_or_default()),
            );
        }
    }
}

pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{Enumeration, Validated};
    use serde_json::{json, Value};

    fn enumeration(values: Value, ignore_case: bool) -> Enumeration {
        let options = json!({ "values": values, "ignore_case": ignore_case });
        let e: Enumeration = serde_json::from_value(options).unwrap();
        e.validated().unwrap()
    }

    /// A long list of strings is looked up in order; the answers are those of the plain scan.
    #[test]
    fn a_long_list_answers_as_the_scan_does() {
        let codes = json!(["en", "en_US", "de", "pt_BR", "zh_CN", "fil", "ar_EG", "es", "fr"]);
        let long = enumeration(codes.clone(), false);
        assert!(long.sorted.is_some());
        let scanned = Enumeration {
            sorted: None,
            ..enumeration(codes, false)
        };
        let probes = [
            json!("en_US"),
            json!("fil"),
            json!("en-US"),
            json!("EN"),
            json!(""),
            json!(1),
            json!(null),
            json!(["en"]),
        ];
        for probe in &probes {
            assert_eq!(
                long.passes(Some(probe)),
                scanned.passes(Some(probe)),
                "{probe}"
            );
        }
        assert!(long.passes(Some(&json!("zh_CN"))));
        assert!(!long.passes(Some(&json!("zh_cn"))));
        // Case-insensitive lists, short lists and lists with other values are scanned.
        let letters = json!(["a", "b", "c", "d", "e", "f", "g", "h", "i"]);
        assert!(enumeration(letters.clone(), true).sorted.is_none());
        assert!(enumeration(letters.clone(), true).passes(Some(&json!("A"))));
        assert!(enumeration(json!(["a", "b"]), false).sorted.is_none());
        let mixed = json!(["a", "b", "c", "d", "e", "f", "g", "h", 1]);
        assert!(enumeration(mixed.clone(), false).sorted.is_none());
        assert!(enumeration(mixed, false).passes(Some(&json!(1))));
    }
}
