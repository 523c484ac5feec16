//! Where files come from. Today: the filesystem walk for `check`.

pub mod walk;
