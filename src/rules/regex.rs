//! Regular expressions of rules and selectors: the linear-time engine of the `regex` crate,
//! bounded in size, compiled on first use.

/// A regular expression, compiled on first use: a run meets few of the patterns a rule set
/// holds, and compiling them all is most of the start-up time. Rule files a user gives are
/// compiled as they load (see `Check::regexes`), so a bad pattern is still a rule-file error.
///
/// The `regex` crate's engine (regex-automata's meta regex) with the same syntax, but without
/// literal prefilters and fully built DFAs (the lazy one stays): rules match short texts, where
/// building them for a long case-insensitive alternation costs more than every search they
/// would speed up. Nor the one-pass DFA: it serves only searches for capture groups, and
/// rules ask whether and where a pattern matches.
/// What the lazy DFA of one expression may cache per thread: a rule file may hold up to
/// [`crate::rules::MAX_REGEXES`] expressions. Rules match short texts, where a DFA needs few
/// states; one that needs more falls back to the slower, equally linear PikeVM.
const HYBRID_CACHE: usize = 128 << 10;

#[derive(Debug)]
pub struct LazyRegex {
    pattern: String,
    compiled: std::sync::OnceLock<Result<regex_automata::meta::Regex, String>>,
}

impl LazyRegex {
    pub fn new(pattern: impl Into<String>) -> LazyRegex {
        LazyRegex {
            pattern: pattern.into(),
            compiled: std::sync::OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The compiled expression, or why it does not compile (bounded in size: a rule file cannot
    /// make wabalint build a huge automaton).
    pub fn compiled(&self) -> Result<&regex_automata::meta::Regex, &str> {
        use regex_automata::meta::{Config, Regex};
        self.compiled
            .get_or_init(|| {
                Regex::builder()
                    .configure(
                        Config::new()
                            .auto_prefilter(false)
                            .dfa(false)
                            .onepass(false)
                            .nfa_size_limit(Some(1 << 20))
                            .hybrid_cache_capacity(HYBRID_CACHE),
                    )
                    .build(&self.pattern)
                    .map_err(|e| {
                        let why = match (e.syntax_error(), e.size_limit()) {
                            (Some(syntax), _) => format!("regex parse error:\n{syntax}"),
                            (None, Some(limit)) => {
                                format!(
                                    "the compiled regex exceeds the size limit of {limit} bytes"
                                )
                            }
                            (None, None) => e.to_string(),
                        };
                        format!("invalid regular expression: {why}")
                    })
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Matches `s`; an expression that does not compile matches nothing (only bundled rule
    /// sets skip the check at load time, and a test compiles all of theirs).
    pub fn is_match(&self, s: &str) -> bool {
        self.compiled().is_ok_and(|re| re.is_match(s))
    }

    /// The first match in `s`.
    pub fn find<'s>(&self, s: &'s str) -> Option<&'s str> {
        let m = self.compiled().ok()?.find(s)?;
        s.get(m.range())
    }
}

impl<'de> serde::Deserialize<'de> for LazyRegex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LazyRegex, D::Error> {
        String::deserialize(d).map(LazyRegex::new)
    }
}

/// What the regular expressions of the user's rule files may take: at most
/// [`crate::rules::MAX_REGEXES`] of them, [`crate::rules::MAX_REGEX_MEMORY`] compiled in all.
/// Thousands of patterns each under the limit of one would otherwise take gigabytes.
#[derive(Debug, Default)]
pub struct Budget {
    count: usize,
    memory: usize,
}

impl Budget {
    fn spent(&self) -> bool {
        self.count > crate::rules::MAX_REGEXES || self.memory > crate::rules::MAX_REGEX_MEMORY
    }
}

thread_local! {
    /// The budget of the rule file being compiled, if it is a user's (bundled files compile
    /// their expressions on first use; a test compiles them all).
    static ACTIVE: std::cell::RefCell<Option<Budget>> = const { std::cell::RefCell::new(None) };
}

/// Compiles what follows on this thread against `budget`, until [`leave`].
pub fn enter(budget: Budget) {
    ACTIVE.with_borrow_mut(|b| *b = Some(budget));
}

/// Ends [`enter`], giving the budget back.
pub fn leave() -> Budget {
    ACTIVE.with_borrow_mut(Option::take).unwrap_or_default()
}

/// Compiles `re` now when a user's rule file is being compiled, so a bad pattern is reported
/// where it is written, and counts it against the budget. Past the budget (already reported),
/// nothing more is built.
pub fn charge(re: &LazyRegex) -> Result<(), String> {
    ACTIVE.with_borrow_mut(|budget| {
        let Some(budget) = budget else {
            return Ok(());
        };
        if budget.spent() {
            return Ok(());
        }
        budget.count += 1;
        match re.compiled() {
            Ok(compiled) => {
                budget.memory += compiled.memory_usage() + std::mem::size_of_val(compiled);
            }
            // Building it went as far as the limit of one expression before it failed.
            Err(message) => {
                budget.memory += 1 << 20;
                return Err(message.to_string());
            }
        }
        if budget.count > crate::rules::MAX_REGEXES {
            Err(format!(
                "the rule set has more than {} regular expressions, the most wabalint compiles",
                crate::rules::MAX_REGEXES
            ))
        } else if budget.memory > crate::rules::MAX_REGEX_MEMORY {
            Err(format!(
                "the regular expressions of the rule set take more than {} MiB compiled, the most wabalint builds; this one goes past it",
                crate::rules::MAX_REGEX_MEMORY >> 20
            ))
        } else {
            Ok(())
        }
    })
}
