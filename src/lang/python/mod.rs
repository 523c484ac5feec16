//! Python front end: units and metric inputs as radon 6.0.1 and complexipy 8.3.0 see them.
//!
//! Parses with tree-sitter-python, rejects what CPython would reject, then
//! runs one visitor per reference tool and joins their numbers onto the
//! definitions found in the file.

pub mod cognitive;
mod cyclomatic;
mod halstead;
mod literal;
pub mod raw;
mod syntax;
pub mod tokenize;
mod units;

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::{Node, Parser, Tree};

use crate::metrics::halstead::HalsteadReport;
use crate::metrics::maintainability::{maintainability_index, maintainability_rank, MiInputs};
use crate::model::{Analysis, AnalysisError, ClassUnit, FileMetrics, FunctionUnit};

/// Deepest syntax tree analysed. CPython rejects far shallower code (100
/// indentation levels, 200 nested brackets); the limit keeps the visitors'
/// recursion bounded whatever the input.
pub const MAX_TREE_DEPTH: usize = 3_000;

thread_local! {
    /// One parser per thread, reused across files.
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter ABI");
    parser
}

/// Analyses one Python source text (BOM already removed).
pub fn analyze(source: &str) -> Result<Analysis, AnalysisError> {
    let tree = PARSER
        .with(|parser| parser.borrow_mut().parse(source, None))
        .ok_or_else(|| AnalysisError::Syntax {
            message: "the parser gave up on this file".to_owned(),
            line: 1,
            column: 1,
        })?;
    check_syntax(&tree, source)?;
    let root = tree.root_node();
    let raw = raw::raw_counts(source).map_err(|err| AnalysisError::Syntax {
        message: err.to_string(),
        line: err.line,
        column: 1,
    })?;
    let cc = cyclomatic::analyze(root);
    let hal = halstead::analyze(root, source);
    let cog = cognitive::analyze(root, source);

    let total_halstead = HalsteadReport::from_counts(hal.total);
    let mi = maintainability_index(MiInputs {
        halstead_volume: total_halstead.volume,
        cyclomatic: cc.module_total,
        logical_lines: raw.lloc,
        comment_percent: MiInputs::comment_percent(raw.comments, raw.multi, raw.sloc),
    });
    let halstead_by_key: HashMap<usize, HalsteadReport> = hal
        .functions
        .iter()
        .map(|(key, counts)| (*key, HalsteadReport::from_counts(*counts)))
        .collect();
    let cognitive_by_key: HashMap<usize, u64> = cog
        .functions
        .iter()
        .map(|f| (f.node_start_byte, f.complexity))
        .collect();

    let mut functions = Vec::new();
    let mut classes = Vec::new();
    for definition in units::collect(root, source) {
        if definition.is_class {
            classes.push(ClassUnit {
                name: definition.name,
                qualified_name: definition.qualified_name,
                span: definition.span,
                cyclomatic: cc.classes.get(&definition.key).copied(),
            });
        } else {
            functions.push(FunctionUnit {
                name: definition.name,
                qualified_name: definition.qualified_name,
                kind: definition.kind,
                span: definition.span,
                cyclomatic: cc.functions.get(&definition.key).copied(),
                cognitive: cognitive_by_key.get(&definition.key).copied(),
                halstead: halstead_by_key.get(&definition.key).copied(),
            });
        }
    }
    Ok(Analysis {
        metrics: FileMetrics {
            raw,
            cyclomatic: cc.module_total,
            cognitive: cog.total,
            maintainability_index: mi,
            maintainability_rank: maintainability_rank(mi),
            halstead: total_halstead,
        },
        functions,
        classes,
    })
}

/// Fails on what CPython would not parse: tree-sitter error or missing
/// nodes, Python 2 statements the grammar still accepts, and nesting deeper
/// than [`MAX_TREE_DEPTH`].
fn check_syntax(tree: &Tree, source: &str) -> Result<(), AnalysisError> {
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    let check_errors = tree.root_node().has_error();
    loop {
        let node = cursor.node();
        if depth > MAX_TREE_DEPTH {
            return Err(AnalysisError::TooDeep {
                limit: MAX_TREE_DEPTH,
            });
        }
        if let Some(message) = syntax_problem(node, check_errors) {
            return Err(syntax_error_at(node, source, message));
        }
        let descend = check_errors && node.has_error() || node.child_count() > 0;
        if descend && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return Ok(());
            }
            depth -= 1;
        }
    }
}

fn syntax_problem(node: Node<'_>, check_errors: bool) -> Option<String> {
    if check_errors && node.is_missing() {
        return Some(format!("expected '{}'", node.kind()));
    }
    if check_errors && node.is_error() {
        return Some("invalid syntax".to_owned());
    }
    match node.kind() {
        "print_statement" => {
            Some("Missing parentheses in call to 'print' (Python 2 syntax)".to_owned())
        }
        "exec_statement" => {
            Some("Missing parentheses in call to 'exec' (Python 2 syntax)".to_owned())
        }
        _ => None,
    }
}

fn syntax_error_at(node: Node<'_>, source: &str, message: String) -> AnalysisError {
    let position = node.start_position();
    let row_start = node.start_byte() - position.column;
    let column = source
        .get(row_start..node.start_byte())
        .map_or(position.column, |s| s.chars().count());
    AnalysisError::Syntax {
        message,
        line: position.row as u32 + 1,
        column: column as u32 + 1,
    }
}
