//! The rules of each manifest kind, arranged once per run for checking units.
//!
//! Many rules hold only for some manifests: a `when` on the manifest root ("`$.status` is
//! absent", "`$.category` is AUTHENTICATION") has one answer for every node a rule selects. Such
//! unit guards are answered once per unit and shared by every rule that states the same one,
//! and a rule whose guard fails selects nothing, so its `given` is not even looked up. Rules
//! share their `given` selectors too: each is selected once per unit and lent to the rules.

use super::functions::{Check, Selection};
use super::{Condition, Rule, RuleSet};
use crate::kind::Kind;
use jiff::civil::Date;
use serde_json::Value;

/// What to evaluate for each kind of manifest.
#[derive(Debug, Default)]
pub struct Plan {
    /// The rules of each kind (by its place in [`Kind::ALL`]), in rule-set order.
    kinds: Vec<Vec<Planned>>,
    /// The distinct unit guards: where each is first stated, (rule, condition) indices.
    guards: Vec<(usize, usize)>,
    /// The number of distinct `given` selectors.
    givens: usize,
    /// The rules that check across files, by index: each unit records what they match.
    across: Vec<usize>,
}

/// One rule of a kind.
#[derive(Debug)]
pub struct Planned {
    /// The rule's index in [`RuleSet::rules`].
    pub rule: usize,
    /// Its `given` selector, as an index among the plan's distinct ones.
    given: usize,
    /// Its unit guards, as indices into the plan's distinct guards.
    guards: Box<[usize]>,
    /// Its other conditions, evaluated at each selected node: indices into the rule's `when`.
    node_conditions: Box<[usize]>,
    /// Whether a node condition runs a regular expression: the check, rarely dearer, is then
    /// run first, and the conditions only where it finds something.
    pub check_first: bool,
}

impl Planned {
    /// The conditions to evaluate at each node the rule selects, in the rule's order.
    pub fn node_conditions<'p, 'r>(
        &'p self,
        rule: &'r Rule,
    ) -> impl Iterator<Item = &'r Condition> + Clone + use<'p, 'r> {
        self.node_conditions.iter().map(move |&i| &rule.when[i])
    }
}

impl Plan {
    /// Plans the rules in effect on `as_of` that look into one unit (checks across files are
    /// matched after all files are read).
    pub fn new(rules: &RuleSet, as_of: Date) -> Plan {
        let mut plan = Plan {
            kinds: Kind::ALL.iter().map(|_| Vec::new()).collect(),
            guards: Vec::new(),
            givens: 0,
            across: Vec::new(),
        };
        let mut texts: Vec<&str> = Vec::new();
        let mut givens: Vec<u32> = Vec::new();
        for (index, rule) in rules.rules.iter().enumerate() {
            if !rule.in_effect(as_of) {
                continue;
            }
            if rule.check.is_cross_file() {
                plan.across.push(index);
                continue;
            }
            let mut guards = Vec::new();
            let mut node_conditions = Vec::new();
            for (c, condition) in rule.when.iter().enumerate() {
                if !condition.is_about_unit() {
                    node_conditions.push(c);
                    continue;
                }
                let guard = match texts.iter().position(|t| *t == condition.text) {
                    Some(known) => known,
                    None => {
                        texts.push(&condition.text);
                        plan.guards.push((index, c));
                        plan.guards.len() - 1
                    }
                };
                guards.push(guard);
            }
            let given = match givens.iter().position(|id| *id == rule.given.id()) {
                Some(known) => known,
                None => {
                    givens.push(rule.given.id());
                    givens.len() - 1
                }
            };
            let check_first = node_conditions
                .iter()
                .any(|&c| matches!(rule.when[c].check, Check::Pattern(_)));
            plan.kinds[kind_index(rule.kind)].push(Planned {
                rule: index,
                given,
                guards: guards.into(),
                node_conditions: node_conditions.into(),
                check_first,
            });
        }
        plan.givens = givens.len();
        plan
    }

    /// The rules in effect that check across files, by index, in rule-set order.
    pub fn across(&self) -> &[usize] {
        &self.across
    }

    /// The rules that check units of `kind`.
    pub fn rules(&self, kind: Kind) -> &[Planned] {
        &self.kinds[kind_index(kind)]
    }

    /// A fresh record of what the rules share on one unit.
    pub fn shared<'a>(&self) -> Shared<'a> {
        Shared {
            answers: vec![None; self.guards.len()],
            selections: vec![None; self.givens],
        }
    }
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// What a plan's rules share on one unit — the answers of its unit guards and what its `given`
/// selectors select — each worked out when first needed.
pub struct Shared<'a> {
    answers: Vec<Option<bool>>,
    selections: Vec<Option<Selection<'a>>>,
}

impl<'a> Shared<'a> {
    /// Whether all of `planned`'s unit guards hold; `holds` answers one the first time it is
    /// asked, given the condition as first stated in `rules`.
    pub fn all_hold(
        &mut self,
        plan: &Plan,
        rules: &RuleSet,
        planned: &Planned,
        mut holds: impl FnMut(&Condition) -> bool,
    ) -> bool {
        planned.guards.iter().all(|&g| {
            *self.answers[g].get_or_insert_with(|| {
                let (rule, condition) = plan.guards[g];
                holds(&rules.rules[rule].when[condition])
            })
        })
    }

    /// What `planned`'s `given` selects; `select` selects it the first time it is asked for.
    pub fn selected(
        &mut self,
        planned: &Planned,
        select: impl FnOnce() -> Selection<'a>,
    ) -> &[&'a Value] {
        self.selections[planned.given].get_or_insert_with(select)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
rules:
  - id: t/a
    kind: template
    severity: error
    summary: a
    given: $.name
    when:
      - { path: $.status, function: absent }
      - { path: "@", function: pattern, match: "x" }
    check: { function: length, max: 3 }
    message: a
  - id: t/b
    kind: template
    severity: error
    summary: b
    given: $.language
    when:
      - { function: absent, path: $.status }
    check: { function: length, max: 3 }
    message: b
  - id: t/c
    kind: template
    severity: error
    summary: c
    given: $.category
    when:
      - { path: $.status, function: absent, not: true }
    check: { function: length, max: 3 }
    message: c
  - id: p/d
    kind: phone_number
    severity: error
    summary: d
    given: $
    check: { function: present }
    message: d
"#;

    fn plan() -> (RuleSet, Plan) {
        let rules = crate::rules::load_text("plan.yaml", RULES, None).unwrap();
        let plan = Plan::new(&rules, "2026-01-01".parse().unwrap());
        (rules, plan)
    }

    #[test]
    fn the_same_guard_written_twice_is_one_guard() {
        let (_, plan) = plan();
        let rules = plan.rules(Kind::Template);
        assert_eq!(rules.len(), 3);
        // Keys in another order are the same condition; `not: true` is another one.
        assert_eq!(rules[0].guards, rules[1].guards);
        assert_ne!(rules[0].guards, rules[2].guards);
        assert_eq!(plan.guards.len(), 2);
        assert_eq!((plan.givens, rules[0].given, rules[2].given), (4, 0, 2));
        assert_eq!(&*rules[0].node_conditions, &[1]);
        assert_eq!(plan.rules(Kind::PhoneNumber).len(), 1);
    }

    #[test]
    fn a_guard_is_answered_once_per_unit() {
        let (rules, plan) = plan();
        let mut guards = plan.shared();
        let mut asked = 0;
        let answers: Vec<bool> = plan
            .rules(Kind::Template)
            .iter()
            .map(|p| {
                guards.all_hold(&plan, &rules, p, |c| {
                    asked += 1;
                    c.negate
                })
            })
            .collect();
        assert_eq!(answers, [false, false, true]);
        assert_eq!(asked, 2);
    }
}
