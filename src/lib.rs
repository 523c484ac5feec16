//! antipasta: a git-native code-complexity gate.

pub mod lang;
pub mod metrics;
pub mod model;
