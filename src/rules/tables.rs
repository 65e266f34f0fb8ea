//! Lookup tables whose entries carry effective dates (messaging limits, …).

use jiff::civil::Date;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct TableEntry {
    pub key: String,
    pub value: Value,
    /// First day the entry applies (inclusive).
    pub from: Option<Date>,
    /// First day the entry no longer applies (exclusive).
    pub until: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub description: String,
    pub entries: Vec<TableEntry>,
}

pub type Tables = BTreeMap<String, Table>;

/// Whether a `from`/`until` window contains `day`.
pub fn in_effect(from: Option<Date>, until: Option<Date>, day: Date) -> bool {
    from.is_none_or(|f| day >= f) && until.is_none_or(|u| day < u)
}

impl Table {
    /// The entry for `key` in effect on `day`.
    pub fn lookup(&self, key: &str, day: Date) -> Option<&TableEntry> {
        self.entries
            .iter()
            .find(|e| e.key == key && in_effect(e.from, e.until, day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn picks_the_entry_in_effect() {
        let t = Table {
            description: String::new(),
            entries: vec![
                TableEntry {
                    key: "verified".into(),
                    value: 1000.into(),
                    from: None,
                    until: Some(date(2025, 10, 7)),
                },
                TableEntry {
                    key: "verified".into(),
                    value: 2000.into(),
                    from: Some(date(2025, 10, 7)),
                    until: None,
                },
            ],
        };
        assert_eq!(t.lookup("verified", date(2025, 6, 1)).unwrap().value, 1000);
        assert_eq!(t.lookup("verified", date(2025, 10, 7)).unwrap().value, 2000);
        assert!(t.lookup("other", date(2025, 10, 7)).is_none());
    }
}
