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
mod suppress;
mod syntax;
pub mod tokenize;
mod units;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use tree_sitter::{Language, Parser};

use crate::lang::deep;
use crate::lang::line_breaks::lone_carriage_returns_as_newlines;
use crate::lang::tree::{Node, SyntaxTree};
use crate::metrics::halstead::HalsteadReport;
use crate::metrics::maintainability::{maintainability_index, maintainability_rank, MiInputs};
use crate::model::{
    Analysis, AnalysisError, Baseline, ClassUnit, FileMetrics, FunctionUnit, Lines, Scored,
    Suppression,
};

/// Deepest syntax tree analysed, far beyond generated code (complexipy
/// scores 60,000-term expressions); deep trees are scored on a stack sized
/// for them (`lang::deep`), the limit bounds that stack.
pub const MAX_TREE_DEPTH: usize = 500_000;

static PYTHON: LazyLock<Language> = LazyLock::new(|| tree_sitter_python::LANGUAGE.into());

thread_local! {
    /// One parser per thread, reused across files.
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&PYTHON)
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter ABI");
    parser
}

/// Parses and copies a source text into a [`SyntaxTree`].
fn syntax_tree(source: &str) -> Result<SyntaxTree<'_>, AnalysisError> {
    let parsed = PARSER
        .with(|parser| parser.borrow_mut().parse(source, None))
        .ok_or_else(|| AnalysisError::Syntax {
            message: "the parser gave up on this file".to_owned(),
            line: 1,
            column: 1,
        })?;
    SyntaxTree::copy(&parsed, source, &PYTHON, MAX_TREE_DEPTH).map_err(|_| AnalysisError::TooDeep {
        limit: MAX_TREE_DEPTH,
    })
}

/// A syntax tree for unit tests of the visitors.
#[cfg(test)]
pub(crate) fn test_tree(source: &str) -> SyntaxTree<'_> {
    syntax_tree(source).expect("test snippet parses")
}

/// Analyses one Python source text (BOM already removed). Functions whose
/// text is unchanged from `baseline` take their cyclomatic and cognitive
/// complexity from it instead of being scored (the file-wide passes, raw
/// lines and Halstead, still read every line).
pub fn analyze(source: &str, baseline: Option<&Baseline>) -> Result<Scored, AnalysisError> {
    let source = lone_carriage_returns_as_newlines(source);
    let source = source.as_ref();
    let tree = syntax_tree(source)?;
    deep::with_stack_for_depth(tree.depth(), || score(&tree, source, baseline)).ok_or(
        AnalysisError::NoStack {
            depth: tree.depth(),
        },
    )?
}

/// Scores a parsed file (on a stack sized for its depth).
fn score(
    tree: &SyntaxTree<'_>,
    source: &str,
    baseline: Option<&Baseline>,
) -> Result<Scored, AnalysisError> {
    check_syntax(tree)?;
    let root = tree.root();
    // radon's `raw` (and so `mi`) fails on some files CPython parses, a
    // form feed inside a string; the other metrics are still reported.
    let raw = raw::raw_counts(source);
    let definitions = units::collect(root);
    let known = baseline.map_or_else(HashMap::new, |b| unchanged_units(&definitions, source, b));
    let cc = cyclomatic::analyze(root, &known);
    let hal = halstead::analyze(root);
    let cog = cognitive::analyze(root, source, &known);

    let total_halstead = HalsteadReport::from_counts(hal.total);
    let mi = raw.as_ref().ok().map(|raw| {
        maintainability_index(MiInputs {
            halstead_volume: total_halstead.volume,
            cyclomatic: cc.module_total,
            logical_lines: raw.lloc,
            comment_percent: MiInputs::comment_percent(raw.comments, raw.multi, raw.sloc),
        })
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
    let complexipy_markers: Vec<(usize, &Suppression)> = cog
        .functions
        .iter()
        .filter_map(|f| Some((f.node_start_byte, f.ignored_by.as_ref()?)))
        .collect();
    let mut placed = suppress::place(
        tree,
        source,
        &definitions,
        &complexipy_markers
            .iter()
            .map(|(_, s)| *s)
            .collect::<Vec<_>>(),
    );
    for (key, suppression) in &complexipy_markers {
        placed
            .functions
            .entry(*key)
            .or_default()
            .push((*suppression).clone());
    }

    let mut functions = Vec::new();
    let mut classes = Vec::new();
    for definition in definitions {
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
                suppressions: placed.functions.remove(&definition.key).unwrap_or_default(),
            });
        }
    }
    let analysis = Analysis {
        metrics: FileMetrics {
            raw_unavailable: raw
                .as_ref()
                .err()
                .map(|err| format!("radon's raw analysis fails on this file: {err}")),
            raw: raw.ok(),
            cyclomatic: cc.module_total,
            cognitive: cog.total,
            maintainability_index: mi,
            maintainability_rank: mi.map(maintainability_rank),
            halstead: total_halstead,
        },
        functions,
        classes,
        file_suppressions: placed.file,
        stray_suppressions: placed.stray,
    };
    Ok(Scored {
        analysis,
        reused: known.len(),
    })
}

/// The functions whose qualified name and lines are identical in the
/// baseline, by definition key, with the baseline's numbers. Both metrics
/// depend on a function's own text only (the name keeps a def moved
/// between class and function scope apart), so the numbers are the ones
/// scoring would give.
fn unchanged_units<'b>(
    definitions: &[units::Definition],
    source: &str,
    baseline: &'b Baseline,
) -> HashMap<usize, &'b FunctionUnit> {
    let old_source = lone_carriage_returns_as_newlines(&baseline.source);
    let old_lines = Lines::new(&old_source);
    let new_lines = Lines::new(source);
    let by_text: HashMap<(&str, &str), &FunctionUnit> = baseline
        .functions
        .iter()
        .map(|unit| {
            (
                (unit.qualified_name.as_str(), old_lines.of(&unit.span)),
                unit,
            )
        })
        .collect();
    definitions
        .iter()
        .filter(|definition| !definition.is_class)
        .filter_map(|definition| {
            let text = new_lines.of(&definition.span);
            let unit = by_text.get(&(definition.qualified_name.as_str(), text))?;
            Some((definition.key, *unit))
        })
        .collect()
}

/// Fails on what CPython would not parse: tree-sitter error or missing
/// nodes, and Python 2 statements the grammar still accepts.
fn check_syntax(tree: &SyntaxTree<'_>) -> Result<(), AnalysisError> {
    for node in tree.nodes() {
        let problem = if node.is_missing() {
            Some(format!("expected '{}'", node.kind()))
        } else if node.is_error() {
            Some("invalid syntax".to_owned())
        } else {
            match node.kind() {
                // tree-sitter accepts a header with no indented body after it.
                "block" if node.named_children().next().is_none() => {
                    Some("expected an indented block".to_owned())
                }
                "print_statement" => {
                    Some("Missing parentheses in call to 'print' (Python 2 syntax)".to_owned())
                }
                "exec_statement" => {
                    Some("Missing parentheses in call to 'exec' (Python 2 syntax)".to_owned())
                }
                _ => None,
            }
        };
        if let Some(message) = problem {
            return Err(syntax_error_at(node, message));
        }
    }
    Ok(())
}

fn syntax_error_at(node: Node<'_>, message: String) -> AnalysisError {
    AnalysisError::Syntax {
        message,
        line: node.start_position().row as u32 + 1,
        column: node.start_char_column() as u32 + 1,
    }
}
