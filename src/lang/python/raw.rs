//! Placeholder until the radon-exact implementation lands.
use crate::metrics::raw::RawCounts;
#[derive(Debug, thiserror::Error)]
#[error("SyntaxError at line: {line}")]
pub struct RawError {
    pub line: u32,
}
pub fn raw_counts(_source: &str) -> Result<RawCounts, RawError> {
    Ok(RawCounts::default())
}
