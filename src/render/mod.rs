//! Turning diagnostics into text: `human` (miette) and `json` (the documented contract).

pub mod human;
pub mod json;

/// Totals printed at the end of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Manifest files checked.
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files skipped because they are not manifests (directory walks only).
    pub skipped: usize,
}
