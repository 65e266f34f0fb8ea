//! A bound on the work selections do for one manifest. Selectors are limited in shape when
//! they are parsed, but a rule file can still ask for many descendant walks of a deep manifest;
//! every node a compiled selection visits is a step, and once a unit's steps are spent the
//! rest of its selections find nothing and the unit is reported as not fully checked.
//!
//! Per thread, as each thread checks one unit at a time: the walk only reads a counter.

use std::cell::{Cell, RefCell};

thread_local! {
    static LEFT: Cell<u64> = const { Cell::new(u64::MAX) };
    static SPENT: Cell<bool> = const { Cell::new(false) };
    /// The selector that was running when the steps ran out.
    static CULPRIT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Starts a budget of `steps` for the selections of one unit on this thread.
pub fn start(steps: u64) {
    LEFT.set(steps);
    SPENT.set(false);
    CULPRIT.with_borrow_mut(|c| *c = None);
}

/// Ends the unit's budget: the selector the steps ran out in, if they did. Selections are
/// unbounded again until the next [`start`].
pub fn finish() -> Option<String> {
    LEFT.set(u64::MAX);
    SPENT.set(false);
    CULPRIT.with_borrow_mut(Option::take)
}

/// Takes a step; `false` once the budget is spent.
#[inline]
pub(super) fn step() -> bool {
    let left = LEFT.get();
    if left == 0 {
        SPENT.set(true);
        return false;
    }
    LEFT.set(left - 1);
    true
}

/// Names `selector` as the one the budget ran out in, if it just did.
#[inline]
pub(super) fn blame(selector: &str) {
    if SPENT.get() {
        CULPRIT.with_borrow_mut(|c| {
            c.get_or_insert_with(|| selector.to_string());
        });
    }
}
