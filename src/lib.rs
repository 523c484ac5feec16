//! antipasta: a git-native code-complexity gate.
//!
//! Data flows one way: `source` lists files, `lang` front ends turn them into
//! units and metric inputs, `metrics` does the math, `gate` applies
//! thresholds, `report` renders. `engine` drives the pipeline in parallel.

pub mod cache;
pub mod cli;
pub mod config;
pub mod diff;
pub mod engine;
pub mod gate;
pub mod lang;
pub mod metrics;
pub mod model;
pub mod paths;
pub mod report;
pub mod source;
