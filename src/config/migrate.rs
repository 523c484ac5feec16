//! `antipasta config migrate`: an antipasta 1.x `.antipasta.yaml` rewritten
//! as the equivalent TOML, for `.antipasta.toml` or `[tool.antipasta]`.
//!
//! The TOML dialect keeps `[defaults]` under a `[[languages]]` entry and
//! gives JavaScript and TypeScript the complexity defaults, where 1.x's
//! YAML did neither (see [`super::Settings::resolve`]). So the migrated
//! file spells out every language's resolved list: each metric 1.x
//! enforces, and `enabled = false` for each default it did not.

use std::path::Path;

use serde_norway::Value;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, Table};

use super::metric::Metric;
use super::{load, read, ConfigError, Settings};
use crate::model::Language;

/// The metrics every language starts from in the TOML dialect.
const STARTING_METRICS: [Metric; 6] = [
    Metric::CyclomaticComplexity,
    Metric::CognitiveComplexity,
    Metric::MaintainabilityIndex,
    Metric::HalsteadVolume,
    Metric::HalsteadDifficulty,
    Metric::HalsteadEffort,
];

/// The keys of a 1.x file that antipasta reads but does not implement.
const UNIMPLEMENTED: [&str; 5] = [
    "profile",
    "tree_shape",
    "import_graph",
    "narrative",
    "duplication",
];

/// A 1.x file as antipasta TOML settings.
#[derive(Debug)]
pub struct Migration {
    /// The settings, as the body of `.antipasta.toml` or `[tool.antipasta]`.
    pub settings: Table,
    /// 1.x blocks left out (not implemented here).
    pub dropped: Vec<String>,
}

/// Reads and validates the 1.x YAML file at `path` and builds its TOML form.
pub fn from_yaml(path: &Path) -> Result<Migration, ConfigError> {
    let resolved = Settings::resolve(load(path)?, Some(path.to_owned()))?;
    let text = read(path)?;
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_owned(),
        message,
    };
    let document: Value = if text.trim().is_empty() {
        Value::Mapping(Default::default())
    } else {
        serde_norway::from_str(&text).map_err(|e| super::yaml_error(path, &e))?
    };
    let Value::Mapping(mapping) = document else {
        return Err(invalid("not a mapping of settings".to_owned()));
    };
    let mut settings = Table::new();
    let mut dropped = Vec::new();
    for (key, entry) in &mapping {
        let Some(key) = key.as_str() else {
            return Err(invalid("a key that is not a string".to_owned()));
        };
        if UNIMPLEMENTED.contains(&key) {
            dropped.push(key.to_owned());
            continue;
        }
        if key == "languages" {
            continue;
        }
        if let Some(item) = to_item(entry).map_err(|e| invalid(format!("{key}: {e}")))? {
            settings.insert(key, item);
        }
    }
    settings.insert("languages", Item::ArrayOfTables(languages(&resolved)));
    Ok(Migration { settings, dropped })
}

/// Every language's resolved list, spelled out.
fn languages(resolved: &Settings) -> ArrayOfTables {
    let mut entries = ArrayOfTables::new();
    for language in [Language::Python, Language::JavaScript, Language::TypeScript] {
        let list = resolved.thresholds_for(language);
        let mut metrics = ArrayOfTables::new();
        for threshold in list {
            let mut row = Table::new();
            row.insert("type", value(threshold.metric.name()));
            row.insert("threshold", number(threshold.value));
            row.insert("comparison", value(threshold.comparison.symbol()));
            metrics.push(row);
        }
        for metric in STARTING_METRICS {
            if list.iter().any(|t| t.metric == metric) {
                continue;
            }
            let mut row = Table::new();
            row.insert("type", value(metric.name()));
            row.insert("threshold", number(built_in(metric)));
            row.insert("enabled", value(false));
            metrics.push(row);
        }
        let mut entry = Table::new();
        entry.insert("name", value(language_name(language)));
        entry.insert("metrics", Item::ArrayOfTables(metrics));
        entries.push(entry);
    }
    entries
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Python => "python",
        Language::JavaScript => "javascript",
        Language::TypeScript => "typescript",
    }
}

/// A placeholder threshold for a disabled entry (never checked).
fn built_in(metric: Metric) -> f64 {
    match metric {
        Metric::CyclomaticComplexity | Metric::HalsteadDifficulty => 10.0,
        Metric::CognitiveComplexity => 15.0,
        Metric::MaintainabilityIndex => 50.0,
        Metric::HalsteadVolume => 1000.0,
        _ => 10000.0,
    }
}

/// A threshold as TOML writes it: an integer when whole.
fn number(threshold: f64) -> Item {
    if threshold.fract() == 0.0 && threshold.abs() < 1e15 {
        value(threshold as i64)
    } else {
        value(threshold)
    }
}

/// A YAML value as a TOML item (`None` for null, which TOML cannot say).
fn to_item(yaml: &Value) -> Result<Option<Item>, String> {
    Ok(match yaml {
        Value::Null => None,
        Value::Mapping(mapping) => {
            let mut table = Table::new();
            for (key, entry) in mapping {
                let key = key.as_str().ok_or("a key that is not a string")?;
                if let Some(item) = to_item(entry)? {
                    table.insert(key, item);
                }
            }
            Some(Item::Table(table))
        }
        Value::Sequence(items) if items.iter().any(Value::is_mapping) => {
            let mut tables = ArrayOfTables::new();
            for entry in items {
                match to_item(entry)? {
                    Some(Item::Table(table)) => tables.push(table),
                    _ => return Err("a list mixing tables and values".to_owned()),
                }
            }
            Some(Item::ArrayOfTables(tables))
        }
        Value::Sequence(items) => {
            let mut array = Array::new();
            for entry in items {
                match to_item(entry)? {
                    Some(Item::Value(v)) => array.push(v),
                    _ => return Err("a list holding null or nested lists".to_owned()),
                }
            }
            Some(value(array))
        }
        scalar => Some(scalar_item(scalar)?),
    })
}

fn scalar_item(yaml: &Value) -> Result<Item, String> {
    match yaml {
        Value::Bool(b) => Ok(value(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(value)
            .or_else(|| n.as_f64().map(value))
            .ok_or_else(|| format!("a number TOML cannot hold: {n}")),
        Value::String(s) => Ok(value(s.as_str())),
        Value::Tagged(tagged) => scalar_item(&tagged.value),
        other => Err(format!("a value TOML cannot hold: {other:?}")),
    }
}

impl Migration {
    /// The text of a standalone `.antipasta.toml`.
    pub fn standalone(&self, source: &str) -> String {
        let mut document = DocumentMut::new();
        for (key, item) in self.settings.iter() {
            document.insert(key, item.clone());
        }
        format!("{}{document}", self.header(source))
    }

    /// `pyproject` (the current text of a `pyproject.toml`, maybe empty)
    /// with `[tool.antipasta]` added; every other byte stays as it was.
    /// An existing section is an error unless `replace`.
    pub fn into_pyproject(&self, pyproject: &str, replace: bool) -> Result<String, String> {
        let parse = |text: &str| -> Result<DocumentMut, String> {
            text.parse()
                .map_err(|e: toml_edit::TomlError| format!("pyproject.toml: {}", e.message()))
        };
        let mut document = parse(pyproject)?;
        let existing = document
            .get("tool")
            .and_then(|tool| tool.get("antipasta"))
            .is_some();
        let base = match (existing, replace) {
            (false, _) => pyproject.to_owned(),
            (true, false) => {
                return Err(
                    "pyproject.toml already has [tool.antipasta] (--force replaces it)".to_owned(),
                )
            }
            (true, true) => {
                if let Some(tool) = document.get_mut("tool").and_then(Item::as_table_like_mut) {
                    tool.remove("antipasta");
                }
                document.to_string()
            }
        };
        // The section goes at the end, as text: toml_edit would place it
        // among the other `[tool.*]` tables.
        let mut section = DocumentMut::new();
        let mut tool = Table::new();
        tool.set_implicit(true);
        tool.insert("antipasta", Item::Table(self.settings.clone()));
        section.insert("tool", Item::Table(tool));
        let separator = match (
            base.is_empty(),
            base.ends_with("\n\n"),
            base.ends_with('\n'),
        ) {
            (true, _, _) | (false, true, _) => "",
            (false, false, true) => "\n",
            (false, false, false) => "\n\n",
        };
        let text = format!("{base}{separator}{section}");
        // Whatever the file held (`tool` as an inline table, say), the
        // result must still be one valid document.
        parse(&text)?;
        Ok(text)
    }

    fn header(&self, source: &str) -> String {
        let mut header = format!(
            "# Migrated by `antipasta config migrate` from {source} (antipasta 1.x).\n\
             # Each language's limits are spelled out: what 1.x enforced, and\n\
             # `enabled = false` for the defaults it did not.\n"
        );
        if !self.dropped.is_empty() {
            header.push_str(&format!(
                "# Left out (1.x analyses antipasta does not run): {}.\n",
                self.dropped.join(", ")
            ));
        }
        header.push('\n');
        header
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::metric::Comparison;

    /// The comparison a migrated entry carries.
    fn comparison_of(table: &Table) -> Option<Comparison> {
        match table.get("comparison")?.as_str()? {
            "<=" => Some(Comparison::Le),
            ">=" => Some(Comparison::Ge),
            "<" => Some(Comparison::Lt),
            ">" => Some(Comparison::Gt),
            _ => None,
        }
    }

    fn yaml(dir: &Path, text: &str) -> std::path::PathBuf {
        let path = dir.join(".antipasta.yaml");
        std::fs::write(&path, text).expect("write yaml");
        path
    }

    #[test]
    fn entries_carry_their_comparison() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = yaml(
            dir.path(),
            "languages:\n  - name: python\n    metrics:\n      - type: maintainability_index\n        threshold: 40\n        comparison: \">=\"\n",
        );
        let migration = from_yaml(&path).expect("migrates");
        let languages = migration.settings["languages"]
            .as_array_of_tables()
            .expect("languages");
        let python = languages.get(0).expect("python");
        let first = python["metrics"]
            .as_array_of_tables()
            .and_then(|m| m.get(0))
            .expect("a metric");
        assert_eq!(comparison_of(first), Some(Comparison::Ge));
    }
}
