//! JavaScript / TypeScript front end.

pub mod cognitive;
