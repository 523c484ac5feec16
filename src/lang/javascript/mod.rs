//! JavaScript and TypeScript front end: units and metric inputs as ESLint
//! 10.15.0 `complexity` and eslint-plugin-sonarjs 4.2.2
//! `cognitive-complexity` see them.
//!
//! One front end serves both languages (the TypeScript grammar is a
//! superset): `.js .mjs .cjs .jsx` parse with tree-sitter-javascript (JSX
//! included), `.ts .mts .cts` with tree-sitter-typescript and `.tsx` with its
//! TSX grammar. Minified files are skipped, files that do not parse are
//! syntax errors; the rest runs one visitor per metric, joined onto the
//! units by node.

pub mod cognitive;
mod cyclomatic;
mod halstead;
mod minified;
mod raw;
mod suppress;
mod syntax;
mod units;

use std::cell::RefCell;
use std::sync::LazyLock;

use tree_sitter::{Language as Grammar, Parser};

use crate::lang::deep;
use crate::lang::line_breaks::lone_carriage_returns_as_newlines;
use crate::lang::tree::{Node, SyntaxTree};
use crate::metrics::halstead::HalsteadReport;
use crate::metrics::maintainability::{maintainability_index, maintainability_rank, MiInputs};
use crate::model::{Analysis, AnalysisError, ClassUnit, FileMetrics, FunctionUnit, Language};
use units::UnitKind;

/// Deepest syntax tree analysed, far beyond generated code; deep trees are
/// scored on a stack sized for them (`lang::deep`), the limit bounds it.
pub const MAX_TREE_DEPTH: usize = 500_000;

/// Which grammar a file is parsed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// JavaScript with JSX.
    JavaScript,
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
}

impl Dialect {
    /// The dialect of a file of `language` at `path`.
    pub fn of(language: Language, path: &str) -> Dialect {
        match language {
            Language::TypeScript if path.ends_with(".tsx") => Dialect::Tsx,
            Language::TypeScript => Dialect::TypeScript,
            _ => Dialect::JavaScript,
        }
    }

    fn grammar(self) -> &'static Grammar {
        static JAVASCRIPT: LazyLock<Grammar> =
            LazyLock::new(|| tree_sitter_javascript::LANGUAGE.into());
        static TYPESCRIPT: LazyLock<Grammar> =
            LazyLock::new(|| tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into());
        static TSX: LazyLock<Grammar> =
            LazyLock::new(|| tree_sitter_typescript::LANGUAGE_TSX.into());
        match self {
            Dialect::JavaScript => &JAVASCRIPT,
            Dialect::TypeScript => &TYPESCRIPT,
            Dialect::Tsx => &TSX,
        }
    }
}

thread_local! {
    /// One parser per thread and grammar, reused across files.
    static PARSERS: RefCell<[Option<Parser>; 3]> = const { RefCell::new([None, None, None]) };
}

/// Parses and copies a source text into a [`SyntaxTree`].
fn syntax_tree(source: &str, dialect: Dialect) -> Result<SyntaxTree<'_>, AnalysisError> {
    let grammar = dialect.grammar();
    let parsed = PARSERS
        .with(|parsers| {
            let mut parsers = parsers.borrow_mut();
            let parser = parsers[dialect as usize].get_or_insert_with(|| {
                let mut parser = Parser::new();
                parser
                    .set_language(grammar)
                    .expect("the bundled JavaScript/TypeScript grammars match the tree-sitter ABI");
                parser
            });
            parser.parse(source, None)
        })
        .ok_or_else(|| AnalysisError::Syntax {
            message: "the parser gave up on this file".to_owned(),
            line: 1,
            column: 1,
        })?;
    SyntaxTree::copy(&parsed, source, grammar, MAX_TREE_DEPTH).map_err(|_| AnalysisError::TooDeep {
        limit: MAX_TREE_DEPTH,
    })
}

/// A syntax tree for unit tests of the visitors.
#[cfg(test)]
pub(crate) fn test_tree(source: &str, dialect: Dialect) -> SyntaxTree<'_> {
    syntax_tree(source, dialect).expect("test snippet parses")
}

/// Analyses one JavaScript or TypeScript source text (BOM already removed).
pub fn analyze(source: &str, dialect: Dialect) -> Result<Analysis, AnalysisError> {
    if let Some((line, length)) = minified::detect(source) {
        return Err(AnalysisError::Minified { line, length });
    }
    // ESLint ends a line at a lone `\r` too.
    let source = lone_carriage_returns_as_newlines(source);
    let source = source.as_ref();
    let tree = syntax_tree(source, dialect)?;
    deep::with_stack_for_depth(tree.depth(), || score(&tree, source)).ok_or(
        AnalysisError::NoStack {
            depth: tree.depth(),
        },
    )?
}

/// Scores a parsed file (on a stack sized for its depth).
fn score(tree: &SyntaxTree<'_>, source: &str) -> Result<Analysis, AnalysisError> {
    check_syntax(tree)?;
    let root = tree.root();
    let found = units::collect(root, source);
    let cc = cyclomatic::analyze(root);
    let tokens = halstead::tokens(root);
    let raw = raw::raw_counts(root, source);
    let cog = cognitive::score(root);
    let mut placed = suppress::place(tree, source, &found);

    let file_cyclomatic = cc.file_total();
    let total_halstead = HalsteadReport::from_counts(halstead::counts(&tokens, 0, usize::MAX));
    let mi = maintainability_index(MiInputs {
        halstead_volume: total_halstead.volume,
        cyclomatic: file_cyclomatic,
        logical_lines: raw.lloc,
        comment_percent: MiInputs::comment_percent(raw.comments, raw.multi, raw.sloc),
    });
    let functions = found
        .units
        .into_iter()
        .map(|unit| FunctionUnit {
            cyclomatic: cc.units.get(&unit.key).copied(),
            // sonarjs scores functions only (§2.1).
            cognitive: match unit.key.kind {
                UnitKind::Function => cog.functions.get(&unit.key.node).copied(),
                UnitKind::FieldInitializer | UnitKind::StaticBlock => None,
            },
            halstead: Some(HalsteadReport::from_counts(halstead::counts(
                &tokens,
                unit.bytes.0,
                unit.bytes.1,
            ))),
            name: unit.name,
            qualified_name: unit.qualified_name,
            kind: unit.kind,
            span: unit.span,
            suppressions: placed.units.remove(&unit.key).unwrap_or_default(),
        })
        .collect();
    let classes = found
        .classes
        .into_iter()
        .map(|class| ClassUnit {
            name: class.name,
            qualified_name: class.qualified_name,
            span: class.span,
            cyclomatic: None,
        })
        .collect();
    Ok(Analysis {
        metrics: FileMetrics {
            raw: Some(raw),
            cyclomatic: file_cyclomatic,
            cognitive: cog.file_total,
            maintainability_index: Some(mi),
            maintainability_rank: Some(maintainability_rank(mi)),
            halstead: total_halstead,
            raw_unavailable: None,
        },
        functions,
        classes,
        file_suppressions: placed.file,
        stray_suppressions: placed.stray,
    })
}

/// Fails on the first error or missing node tree-sitter recovered from.
fn check_syntax(tree: &SyntaxTree<'_>) -> Result<(), AnalysisError> {
    let problem = tree
        .nodes()
        .find(|n| (n.is_error() && !is_export_type_star(*n)) || n.is_missing());
    let Some(node) = problem else {
        return Ok(());
    };
    let message = if node.is_missing() {
        format!("expected '{}'", node.kind())
    } else {
        "invalid syntax".to_owned()
    };
    let (line, column) = syntax::eslint_position(node, tree.source());
    Err(AnalysisError::Syntax {
        message,
        line,
        column,
    })
}

/// tree-sitter-typescript 0.23 predates TypeScript 5.0's `export type * from
/// '…'` (and `export type * as ns from '…'`): it wraps the `type` keyword in
/// an error node and parses the rest as a plain re-export, which is all the
/// metrics need.
fn is_export_type_star(error: Node<'_>) -> bool {
    let Some(parent) = error.parent().filter(|p| p.kind() == "export_statement") else {
        return false;
    };
    let mut inside = error.children();
    let only_type = inside.next().is_some_and(|c| c.kind() == "type") && inside.next().is_none();
    let mut siblings = parent.children().skip_while(|c| *c != error).skip(1);
    only_type
        && siblings
            .next()
            .is_some_and(|next| matches!(next.kind(), "*" | "namespace_export"))
}
