//! Placeholder until the complexipy-exact implementation lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitiveFunction {
    pub name: String,
    pub node_start_byte: usize,
    pub line_start: u32,
    pub line_end: u32,
    pub complexity: u64,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitiveReport {
    pub total: u64,
    pub functions: Vec<CognitiveFunction>,
}
pub fn analyze(_root: crate::lang::tree::Node<'_>, _source: &str) -> CognitiveReport {
    CognitiveReport {
        total: 0,
        functions: Vec::new(),
    }
}
