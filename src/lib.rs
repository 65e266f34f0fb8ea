//! wabalint — a policy linter for WhatsApp Business Platform manifests.
//!
//! Data flows one way: [`source`] (load file) → [`document`] (span-preserving tree) →
//! [`kind`] (detect manifest kind) → [`schema`] (validate shape) → [`rules`] (evaluate the
//! declarative rule set) → [`diagnostic`] → [`render`]. [`engine`] drives the pipeline.

pub mod builtin;
pub mod config;
pub mod crossfile;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod engine;
pub mod explain;
pub mod kind;
pub mod phone;
pub mod placeholder;
pub mod project;
pub mod render;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod suppress;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::{Engine, FileReport, Options};
