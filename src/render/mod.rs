//! Turning diagnostics into text: `human` (miette), `concise`, `json` (the documented
//! contract), `github` (workflow commands), `junit` and `sarif`.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

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
