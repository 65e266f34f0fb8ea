//! Checks against the evaluation date and dated tables.

use super::super::selector::Selector;
use super::basic::fmt_number;
use super::{display, path_option, Ctx, Finding, OptionError, Target, Validated};
use jiff::civil::Date;
use jiff::ToSpan;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WindowReport {
    /// The window has closed on the evaluation date.
    Expired,
    /// The window closes within `warn_days`.
    Expiring,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateWindow {
    days: i32,
    report: WindowReport,
    #[serde(default)]
    warn_days: i32,
}

impl Validated for DateWindow {
    fn validated(self) -> Result<Self, OptionError> {
        if !(0..=36_500).contains(&self.days) || !(0..=36_500).contains(&self.warn_days) {
            return Err(OptionError {
                pointer: "/days".into(),
                message: "`days` and `warn_days` must be between 0 and 36500".into(),
            });
        }
        Ok(self)
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(v: &Value) -> Option<Date> {
    v.as_str()?.trim().parse::<Date>().ok()
}

impl DateWindow {
    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(start) = t.value.and_then(parse_date) else {
            return;
        };
        let Ok(expiry) = start.checked_add(self.days.days()) else {
            return;
        };
        let Ok(left) = ctx.as_of.until(expiry) else {
            return;
        };
        let days_left = left.get_days();
        let hit = match self.report {
            WindowReport::Expired => days_left <= 0,
            WindowReport::Expiring => days_left > 0 && days_left <= self.warn_days,
        };
        if hit {
            out.push(
                Finding::at(t.pointer(ctx))
                    .arg("start", start)
                    .arg("expiry", expiry)
                    .arg("days", self.days)
                    .arg("days_left", days_left),
            );
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    table: String,
    #[serde(with = "path_option")]
    key: Selector,
    /// How to name the looked-up key in messages, e.g. "tier {{key}}".
    label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableMax {
    lookups: Vec<Lookup>,
}

impl Validated for TableMax {}

impl TableMax {
    /// Table names this check reads, for the loader's "unknown table" check.
    pub fn tables(&self) -> impl Iterator<Item = &str> {
        self.lookups.iter().map(|l| l.table.as_str())
    }

    pub fn run<'a>(&self, ctx: &Ctx<'a>, t: &Target<'a, '_>, out: &mut Vec<Finding>) {
        let Some(n) = t.value.and_then(Value::as_f64) else {
            return;
        };
        for lookup in &self.lookups {
            let Some(table) = ctx.tables.get(&lookup.table) else {
                continue;
            };
            let Some((_, key)) = lookup
                .key
                .select_from(ctx.unit, &t.pointer(ctx), t.value)
                .into_iter()
                .next()
            else {
                continue;
            };
            let key = display(key);
            let entry = table
                .lookup(&key, ctx.as_of)
                .or_else(|| table.lookup("default", ctx.as_of));
            let Some(limit) = entry.and_then(|e| e.value.as_f64()) else {
                continue;
            };
            if n > limit {
                out.push(
                    Finding::at(t.pointer(ctx))
                        .arg("limit", fmt_thousands(limit))
                        .arg("amount", fmt_thousands(n))
                        .arg(
                            "basis",
                            match &lookup.label {
                                Some(label) => label.replace("{{key}}", &key),
                                None => key.clone(),
                            },
                        )
                        .arg("key", key)
                        .arg("table", &lookup.table),
                );
            }
            return;
        }
    }
}

/// 2000 → "2,000": limits read better grouped.
pub fn fmt_thousands(n: f64) -> String {
    let s = fmt_number(n);
    if s.contains('.') || s.len() <= 3 {
        return s;
    }
    let (sign, digits) = s.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", &s));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::fmt_thousands;

    #[test]
    fn groups_thousands() {
        assert_eq!(fmt_thousands(2000.0), "2,000");
        assert_eq!(fmt_thousands(250.0), "250");
        assert_eq!(fmt_thousands(1_000_000.0), "1,000,000");
    }
}
