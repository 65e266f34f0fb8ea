//! The closed catalogue of check functions rules are built from. Each function validates its
//! options when the rule set loads, so a bad option is a rule-file error, never a runtime one.

mod basic;
mod collections;
mod dates;
mod phone;
mod placeholders;
pub mod workspace;

pub use super::regex::LazyRegex;

use super::tables::Tables;
use crate::document::pointer_join;
use crate::placeholder::Placeholder;
use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::rc::Rc;

pub use basic::{Enumeration, Length, Pattern, Range};
pub use collections::{Contiguous, Count, Distinct, Uniform, Unique};
pub use dates::{fmt_thousands, DateWindow, TableMax};
pub use phone::{PhoneInternational, PhoneShortCode, PhoneType, PhoneValid};
pub use placeholders::{
    PlaceholderAdjacent, PlaceholderCount, PlaceholderDensity, PlaceholderEdges,
    PlaceholderExamples, PlaceholderKinds, PlaceholderSequence,
};
pub use workspace::{CountAcrossFiles, ExistsAcrossFiles, UniqueAcrossFiles};

/// What every check sees besides its target.
pub struct Ctx<'a> {
    pub as_of: Date,
    pub tables: &'a Tables,
    /// The whole manifest unit (for `$` paths in options).
    pub unit: &'a Value,
    /// Selections from this unit's root: rules share selectors and conditions, so each runs
    /// once.
    cache: std::cell::RefCell<SelectionCache<'a>>,
    /// Off while guards are evaluated: their findings are only counted, never shown.
    pub explain: std::cell::Cell<bool>,
    /// Placeholders of the unit's texts (by address): several rules read each text.
    placeholders: std::cell::RefCell<PlaceholderCache>,
    /// Members by name anywhere in the unit, for selectors that start with `$..name`.
    pub members: super::selector::Descendants<'a>,
    /// Where the unit's nodes are, noted when a pointer is first asked for.
    locations: std::cell::OnceCell<super::selector::Locations<'a>>,
}

/// Selections of absolute selectors by selector id.
type SelectionCache<'a> = foldhash::HashMap<u32, Selection<'a>>;

/// Placeholders by (address, length) of the text they were parsed from.
type PlaceholderCache = foldhash::HashMap<(usize, usize), Rc<Vec<Placeholder>>>;

/// Nodes a selector found, in document order; [`Ctx::pointer`] tells where each is. A copy
/// of a cached one: most are a few nodes, copied without allocating.
pub type Selection<'a> = super::selector::Nodes<'a>;

impl<'a> Ctx<'a> {
    pub fn new(as_of: Date, tables: &'a Tables, unit: &'a Value) -> Ctx<'a> {
        Ctx {
            as_of,
            tables,
            unit,
            cache: Default::default(),
            explain: std::cell::Cell::new(true),
            placeholders: Default::default(),
            members: super::selector::Descendants::new(unit),
            locations: Default::default(),
        }
    }

    /// The placeholders of `text`, a string of this unit.
    pub fn placeholders(&self, text: &'a str) -> Rc<Vec<Placeholder>> {
        let key = (text.as_ptr() as usize, text.len());
        Rc::clone(
            self.placeholders
                .borrow_mut()
                .entry(key)
                .or_insert_with(|| Rc::new(crate::placeholder::parse(text))),
        )
    }

    /// What `sel` selects from the unit root (`$`, kept for the next rule) or from `node` (`@`).
    pub fn select(
        &self,
        sel: &super::selector::Selector,
        node: Option<&'a Value>,
    ) -> Selection<'a> {
        // Relative selections start at nodes few rules share: making one again costs less
        // than keeping it.
        let key = match (sel.is_relative(), node) {
            (false, _) => sel.id(),
            (true, Some(node)) => return sel.nodes_near(node).unwrap_or_else(|| sel.nodes(node)),
            (true, None) => return Selection::new(),
        };
        let mut cache = self.cache.borrow_mut();
        if let Some(found) = cache.get(&key) {
            return found.clone();
        }
        let found = sel.nodes_at_root(&self.members);
        if cache.capacity() == 0 {
            // A template's rules make a few dozen selections from its root: grow once.
            cache.reserve(64);
        }
        cache.insert(key, found.clone());
        found
    }

    /// [`Ctx::select`] of a selection the caller keeps: not kept here too.
    pub fn select_kept(&self, sel: &super::selector::Selector) -> Selection<'a> {
        if sel.is_relative() {
            return self.select(sel, Some(self.unit));
        }
        if let Some(found) = self.cache.borrow().get(&sel.id()) {
            return found.clone();
        }
        sel.nodes_at_root(&self.members)
    }

    /// The pointer of `node`, a node of the unit, from the unit root.
    pub fn pointer(&self, node: &Value) -> &str {
        let found = self
            .locations
            .get_or_init(|| super::selector::Locations::new(self.unit))
            .of(node);
        debug_assert!(found.is_some(), "a node from outside the unit");
        found.unwrap_or_default()
    }
}

/// The node under check; `value` is `None` when the selected field does not exist.
pub struct Target<'a, 'p> {
    pub value: Option<&'a Value>,
    at: At<'a, 'p>,
}

/// Where a target is. Its pointer is written only when asked for: most targets pass, and a
/// unit none of whose nodes is reported never needs the pointers of its nodes.
#[derive(Clone, Copy)]
enum At<'a, 'p> {
    /// A node of the unit.
    Node(&'a Value),
    /// A missing member of a node of the unit, by name.
    Missing(&'a Value, &'p str),
    /// A pointer already written.
    Pointer(&'p str),
}

impl<'a, 'p> Target<'a, 'p> {
    /// A node of the unit.
    pub fn node(node: &'a Value) -> Self {
        Target {
            value: Some(node),
            at: At::Node(node),
        }
    }

    /// The member `field` of `node`, a node of the unit; its value is `None` when missing.
    pub fn member(node: &'a Value, field: &'p str) -> Self {
        match node
            .as_object()
            .and_then(|o| crate::document::member(o, field))
        {
            Some((_, child)) => Target::node(child),
            None => Target {
                value: None,
                at: At::Missing(node, field),
            },
        }
    }

    /// A value whose pointer is known.
    pub fn at(pointer: &'p str, value: Option<&'a Value>) -> Self {
        Target {
            value,
            at: At::Pointer(pointer),
        }
    }

    /// The target's pointer from the unit root.
    pub fn pointer<'c>(&self, ctx: &'c Ctx<'a>) -> std::borrow::Cow<'c, str>
    where
        'p: 'c,
    {
        use std::borrow::Cow;
        match self.at {
            At::Node(node) => Cow::Borrowed(ctx.pointer(node)),
            At::Missing(node, field) => Cow::Owned(pointer_join(ctx.pointer(node), field)),
            At::Pointer(pointer) => Cow::Borrowed(pointer),
        }
    }
}

/// One violation: where, what to put into the message, and other places worth showing.
#[derive(Debug, Clone, Default)]
pub struct Finding {
    pub pointer: String,
    pub at_key: bool,
    pub args: Vec<(&'static str, String)>,
    pub related: Vec<(String, String)>,
    /// A byte range inside the string value, when the problem is one part of it.
    pub within: Option<(usize, usize)>,
}

impl Finding {
    pub fn at(pointer: impl Into<String>) -> Finding {
        Finding {
            pointer: pointer.into(),
            ..Finding::default()
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Finding {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn related(mut self, pointer: impl Into<String>, label: impl Into<String>) -> Finding {
        self.related.push((pointer.into(), label.into()));
        self
    }

    pub fn within(mut self, start: usize, end: usize) -> Finding {
        self.within = Some((start, end));
        self
    }

    pub fn on_key(mut self) -> Finding {
        self.at_key = true;
        self
    }
}

/// A problem with a function's options: the offending option (relative pointer) and why.
#[derive(Debug)]
pub struct OptionError {
    pub pointer: String,
    pub message: String,
}

/// Documentation of one catalogue function.
pub struct FunctionDoc {
    pub name: &'static str,
    pub summary: &'static str,
    pub options: &'static str,
    pub args: &'static str,
}

macro_rules! catalogue {
    ($($variant:ident($ty:ty) = $name:literal, $summary:literal, options: $opts:literal, args: $args:literal;)*) => {
        /// A configured check function.
        #[derive(Debug)]
        pub enum Check { $($variant($ty),)* }

        pub const FUNCTIONS: &[FunctionDoc] = &[
            $(FunctionDoc { name: $name, summary: $summary, options: $opts, args: $args },)*
        ];

        impl Check {
            /// Builds a check from its name and options (the check mapping minus `function`).
            pub fn parse(name: &str, options: Value) -> Result<Check, OptionError> {
                match name {
                    $($name => Ok(Check::$variant(options_of::<$ty>(options)?.validated()?)),)*
                    _ => Err(OptionError { pointer: "/function".into(), message: format!("unknown function `{name}`") }),
                }
            }

            /// Whether the check compares files instead of looking into one.
            pub fn is_cross_file(&self) -> bool {
                matches!(self, Check::UniqueAcrossFiles(_) | Check::ExistsAcrossFiles(_) | Check::CountAcrossFiles(_))
            }

            pub fn name(&self) -> &'static str {
                match self { $(Check::$variant(_) => $name,)* }
            }

            pub fn run<'a>(&self, ctx: &Ctx<'a>, target: &Target<'a, '_>, out: &mut Vec<Finding>) {
                match self { $(Check::$variant(f) => f.run(ctx, target, out),)* }
            }

            /// Whether [`Check::run`] finds nothing at `node`, a node of the unit: guards only ask
            /// this, and the checks they use most answer without building findings.
            pub fn passes<'a>(&self, ctx: &Ctx<'a>, node: &'a Value) -> bool {
                let value = Some(node);
                match self {
                    Check::Present(f) => f.passes(value),
                    Check::Absent(f) => f.passes(value),
                    Check::Enumeration(f) => f.passes(value),
                    Check::Pattern(f) => f.passes(value),
                    _ => {
                        let mut found = Vec::new();
                        self.run(ctx, &Target::node(node), &mut found);
                        found.is_empty()
                    }
                }
            }

            /// The regular expressions of the check, with the pointer of their option.
            pub fn regexes(&self) -> Vec<(String, &LazyRegex)> {
                match self {
                    Check::Pattern(p) => p.regexes(),
                    Check::Count(c) => c.regexes(),
                    Check::PlaceholderKinds(p) => p.regexes(),
                    Check::ExistsAcrossFiles(e) => e.regexes(),
                    _ => Vec::new(),
                }
            }
        }
    };
}

catalogue! {
    Present(basic::Present) = "present", "The field exists and is not empty (null, \"\", [] and {} count as missing).",
        options: "none", args: "";
    Absent(basic::Absent) = "absent", "The field does not exist (or is null).",
        options: "none", args: "";
    Enumeration(Enumeration) = "enum", "The value is one of a list.",
        options: "values: [..] (required); ignore_case: bool", args: "allowed, did_you_mean";
    Pattern(Pattern) = "pattern", "A string matches (`match`) and/or does not match (`not_match`) a regular expression.",
        options: "match: regex; not_match: regex (Rust regex syntax, linear time)", args: "pattern, found";
    Length(Length) = "length", "Length of a string in characters, or of a list in items.",
        options: "min: int; max: int", args: "length, min, max";
    Range(Range) = "range", "A number lies within bounds.",
        options: "min: number; max: number", args: "min, max";
    Count(Count) = "count", "Number of nodes a relative JSONPath selects.",
        options: "of: JSONPath (required); min: int; max: int; matching: regex (count only strings that match)", args: "count, min, max";
    Contiguous(Contiguous) = "contiguous", "Items whose key is one of `values` form one unbroken group in a list.",
        options: "of: JSONPath (required); key: JSONPath (required); values: [..] (required); at_edge: bool (the group must come first or last)", args: "found";
    Unique(Unique) = "unique", "Items are unique by a key; the second occurrence is reported, the first labelled.",
        options: "of: JSONPath (required); key: JSONPath (required); ignore_case: bool", args: "duplicate";
    Uniform(Uniform) = "uniform", "Items all have the same shape: what `key` selects in each, in order; each item unlike the first is reported.",
        options: "of: JSONPath (required); key: JSONPath (required), relative to each item", args: "found, expected";
    Distinct(Distinct) = "distinct", "Selected values fall into at most `max` of the named groups.",
        options: "of: JSONPath (required); groups: {name: [values]} (required); max: int (required)", args: "groups, count, max";
    DateWindow(DateWindow) = "date_window", "A date plus `days` has not passed (`report: expired`) or is not near (`report: expiring`, within `warn_days`) on the evaluation date.",
        options: "days: int (required); report: expired|expiring (required); warn_days: int", args: "start, expiry, days, days_left";
    TableMax(TableMax) = "table_max", "A number does not exceed the limit looked up in a dated table; the first lookup whose key resolves wins.",
        options: "lookups: [{table, key: JSONPath, label: text with {{key}}}] (required)", args: "limit, amount, key, basis, table";
    PhoneInternational(PhoneInternational) = "phone_international", "A phone number is written in international format with its country code.",
        options: "plus: required|forbidden|optional (default required)", args: "digits, problem";
    PhoneValid(PhoneValid) = "phone_valid", "An international phone number is a valid number for its country (libphonenumber metadata); numbers in national format are left to `phone_international`.",
        options: "plus: required|optional (default required: digits without `+` are not read as international)", args: "region";
    PhoneShortCode(PhoneShortCode) = "phone_short_code", "A phone number is not a short code (too few digits for a full number).",
        options: "max_digits: int (default 8)", args: "digits, count";
    PhoneType(PhoneType) = "phone_type", "A valid phone number's type (MOBILE, FIXED_LINE, TOLL_FREE, PAGER, …) is (`expect: in`) or is not (`expect: not_in`) one of `types`.",
        options: "types: [..] (required); expect: in|not_in (default in); plus: required|optional", args: "type";
    PlaceholderSequence(PlaceholderSequence) = "placeholder_sequence", "Positional placeholders are numbered 1..n without gaps or repeats.",
        options: "none", args: "placeholder, expected";
    PlaceholderEdges(PlaceholderEdges) = "placeholder_edges", "A text does not start (`position: leading`) or end (`position: trailing`) with a placeholder.",
        options: "position: leading|trailing (required); strip_punctuation: bool (punctuation next to the placeholder counts as nothing)", args: "placeholder";
    PlaceholderAdjacent(PlaceholderAdjacent) = "placeholder_adjacent", "No two placeholders follow each other without text between them.",
        options: "allow_whitespace: bool (default true)", args: "first, second";
    PlaceholderKinds(PlaceholderKinds) = "placeholder_kinds", "Placeholders are only of the allowed kinds (positional `{{1}}`, named `{{first_name}}`, malformed `{{ #x }}`); named ones match `name_pattern`.",
        options: "allowed: [positional|named|malformed] (required); name_pattern: regex", args: "placeholder";
    PlaceholderCount(PlaceholderCount) = "placeholder_count", "Number of placeholders in a text.",
        options: "min: int; max: int", args: "count, min, max";
    PlaceholderDensity(PlaceholderDensity) = "placeholder_density", "A text has enough words of fixed text for its placeholders: at least `words_per_placeholder` × placeholders + `extra_words`.",
        options: "words_per_placeholder: int (required); extra_words: int", args: "words, count, required";
    PlaceholderExamples(PlaceholderExamples) = "placeholder_examples", "Every placeholder of a component's text has an example value (positional lists may be flat or nested one level, as Meta accepts both).",
        options: "text: JSONPath (default @.text); positional: JSONPath to the example list; named: JSONPath to the named-example list", args: "count, examples, placeholder";
    UniqueAcrossFiles(UniqueAcrossFiles) = "unique_across_files", "No two manifests of the rule's kind among the checked files share the key (e.g. template name and language); the later one is reported, the first labelled.",
        options: "key: [JSONPath from the manifest root] (required)", args: "key";
    ExistsAcrossFiles(ExistsAcrossFiles) = "exists_across_files", "A manifest of another kind that this one refers to is among the checked files (`report: missing`), or, when it is, passes `require` and agrees on `compare` (`report: mismatch`).",
        options: "kind (required); match: [{ours, theirs}] (required); report: missing|mismatch; at: JSONPath; compare: [{ours, theirs, count_ours, name, theirs_at}]; require: {path, function, …}", args: "key, found, expected, what, theirs";
    CountAcrossFiles(CountAcrossFiles) = "count_across_files", "At most `max` manifests of `kind` are among the checked files (reported on each manifest of the rule's kind).",
        options: "kind (required); max: int (required)", args: "count, max";
}

/// Options types validate beyond their serde shape (regexes, bounds) here.
pub trait Validated: Sized {
    fn validated(self) -> Result<Self, OptionError> {
        Ok(self)
    }
}

fn options_of<T: DeserializeOwned>(options: Value) -> Result<T, OptionError> {
    serde_path_to_error::deserialize(options).map_err(|e| {
        let mut pointer = String::new();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer = pointer_join(&pointer, &index.to_string())
                }
                serde_path_to_error::Segment::Map { key } => pointer = pointer_join(&pointer, key),
                _ => {}
            }
        }
        let option = pointer.rsplit('/').next().unwrap_or("").to_string();
        let detail = friendly_types(&e.into_inner().to_string());
        let message = if option.is_empty() || detail.starts_with("unknown field") {
            detail
        } else {
            format!("option `{option}`: {detail}")
        };
        OptionError { pointer, message }
    })
}

/// serde speaks Rust ("expected usize"); rule authors read YAML.
fn friendly_types(message: &str) -> String {
    [
        ("usize", "a whole number ≥ 0"),
        ("u32", "a whole number ≥ 0"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
        ("a sequence", "a list"),
        ("a map", "a mapping"),
    ]
    .iter()
    .fold(message.to_string(), |m, (rust, yaml)| {
        m.replace(&format!("expected {rust}"), &format!("expected {yaml}"))
    })
}

/// Short, single-line rendering of a value for messages.
pub fn display(v: &Value) -> String {
    shown(v).into_owned()
}

/// [`display`], borrowing a string that is shown as it is.
pub fn shown(v: &Value) -> std::borrow::Cow<'_, str> {
    let s = match v {
        Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
        other => std::borrow::Cow::Owned(other.to_string()),
    };
    let one_line = if s.contains('\n') {
        std::borrow::Cow::Owned(s.replace('\n', "\\n"))
    } else {
        s
    };
    // Up to 80 bytes are at most 80 characters.
    if one_line.len() > 80 && one_line.chars().count() > 80 {
        format!("{}…", one_line.chars().take(79).collect::<String>()).into()
    } else {
        one_line
    }
}

/// Parses an options selector, reporting failures at the option.
pub fn selector(text: &str, option: &str) -> Result<super::selector::Selector, OptionError> {
    super::selector::Selector::parse(text).map_err(|message| OptionError {
        pointer: format!("/{option}"),
        message,
    })
}

/// Deserializes a JSONPath option.
pub mod path_option {
    use super::super::selector::Selector;
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Selector, D::Error> {
        let text = String::deserialize(d)?;
        Selector::parse(&text).map_err(serde::de::Error::custom)
    }
}
