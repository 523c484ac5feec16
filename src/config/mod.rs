//! Configuration: find the file, parse it, resolve it into immutable [`Settings`].
//!
//! Sources, first found walking up from the current directory to the
//! repository root: `.antipasta.toml`, `.antipasta.yaml`/`.yml` (antipasta
//! 1.x's format, read unchanged), `pyproject.toml` with `[tool.antipasta]`.
//! Every file format shares one schema; unknown keys are errors that name
//! the file, the key and (where the parser knows it) the line.

pub mod gate;
pub mod metric;
pub mod migrate;
pub mod overrides;
pub mod patterns;
pub mod size;
mod yaml_depth;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::model::Language;
use gate::{GateOptions, GateSettings};
use metric::{Comparison, Metric, Threshold};
use overrides::{LimitSource, OverrideEntry, Overrides};
use patterns::PathFilter;

/// antipasta 1.x's default ignore patterns, plus installed packages and the
/// JavaScript/TypeScript test-file conventions.
pub const DEFAULT_IGNORE_PATTERNS: [&str; 6] = [
    "**/test_*.py",
    "**/*_test.py",
    "**/tests/**",
    "**/node_modules/**",
    "**/__tests__/**",
    "**/*.{test,spec}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}",
];

/// The on-disk schema (antipasta 1.x's `.antipasta.yaml`, also used for TOML).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub defaults: Option<Defaults>,
    pub languages: Option<Vec<LanguageEntry>>,
    pub ignore_patterns: Option<Vec<String>>,
    /// Patterns added to `ignore_patterns` (or to the defaults).
    pub extend_ignore_patterns: Option<Vec<String>>,
    pub use_gitignore: Option<bool>,
    pub cache: Option<CacheOptions>,
    pub max_file_size: Option<size::ByteSize>,
    pub gate: Option<GateOptions>,
    pub overrides: Option<Vec<OverrideEntry>>,
    // antipasta 1.x keys for analyses antipasta does not run: accepted, unused.
    pub profile: Option<IgnoredAny>,
    pub tree_shape: Option<IgnoredAny>,
    pub import_graph: Option<IgnoredAny>,
    pub narrative: Option<IgnoredAny>,
    pub duplication: Option<IgnoredAny>,
    /// Read from an antipasta 1.x `.antipasta.yaml`: `defaults` and
    /// `languages` then mean what they meant in 1.x (see [`Settings::resolve`]).
    #[serde(skip)]
    pub dialect_1x: bool,
}

impl ConfigFile {
    /// The antipasta 1.x blocks present that antipasta does not implement.
    pub fn unimplemented_blocks(&self) -> Vec<&'static str> {
        [
            ("profile", self.profile.is_some()),
            ("tree_shape", self.tree_shape.is_some()),
            ("import_graph", self.import_graph.is_some()),
            ("narrative", self.narrative.is_some()),
            ("duplication", self.duplication.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// `defaults:` — the thresholds every language starts from, each checked
/// by [`Metric::check_threshold`] as it is read (so an error has its line).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    #[serde(default, deserialize_with = "limit::cyclomatic")]
    pub max_cyclomatic_complexity: Option<f64>,
    #[serde(default, deserialize_with = "limit::cognitive")]
    pub max_cognitive_complexity: Option<f64>,
    #[serde(default, deserialize_with = "limit::maintainability")]
    pub min_maintainability_index: Option<f64>,
    #[serde(default, deserialize_with = "limit::volume")]
    pub max_halstead_volume: Option<f64>,
    #[serde(default, deserialize_with = "limit::difficulty")]
    pub max_halstead_difficulty: Option<f64>,
    #[serde(default, deserialize_with = "limit::effort")]
    pub max_halstead_effort: Option<f64>,
}

/// The readers of the `defaults` keys: a number, valid for its metric.
mod limit {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    use super::Metric;

    /// The key is named in the error: a YAML error's line is that of the
    /// enclosing `defaults` mapping.
    fn threshold<'de, D: Deserializer<'de>>(
        key: &str,
        metric: Metric,
        deserializer: D,
    ) -> Result<Option<f64>, D::Error> {
        let value = f64::deserialize(deserializer)?;
        metric
            .check_threshold(value)
            .map(Some)
            .map_err(|err| D::Error::custom(format!("{key}: {err}")))
    }

    macro_rules! readers {
        ($($name:ident: $key:literal => $metric:ident),* $(,)?) => {$(
            pub fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
                threshold($key, Metric::$metric, deserializer)
            }
        )*};
    }

    readers! {
        cyclomatic: "max_cyclomatic_complexity" => CyclomaticComplexity,
        cognitive: "max_cognitive_complexity" => CognitiveComplexity,
        maintainability: "min_maintainability_index" => MaintainabilityIndex,
        volume: "max_halstead_volume" => HalsteadVolume,
        difficulty: "max_halstead_difficulty" => HalsteadDifficulty,
        effort: "max_halstead_effort" => HalsteadEffort,
    }
}

/// `[cache]` — the result cache.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheOptions {
    pub enabled: Option<bool>,
    pub dir: Option<PathBuf>,
    pub max_age_days: Option<u64>,
    pub max_size_mb: Option<u64>,
}

/// Resolved cache settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    pub enabled: bool,
    /// Relative paths are resolved against the config file's directory.
    pub dir: Option<PathBuf>,
    pub max_age_days: u64,
    pub max_size_mb: u64,
}

/// `languages[]` — per-language metric thresholds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageEntry {
    pub name: String,
    #[serde(default)]
    pub extensions: Vec<String>,
    #[serde(default)]
    pub metrics: Vec<MetricEntry>,
}

/// `languages[].metrics[]`, its threshold checked by
/// [`Metric::check_threshold`] as it is read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawMetricEntry")]
pub struct MetricEntry {
    pub metric: Metric,
    pub threshold: f64,
    pub comparison: Option<Comparison>,
    pub enabled: Option<bool>,
}

/// A `languages[].metrics[]` entry as written, before its threshold is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetricEntry {
    #[serde(rename = "type")]
    metric: Metric,
    threshold: f64,
    #[serde(default)]
    comparison: Option<Comparison>,
    #[serde(default)]
    enabled: Option<bool>,
}

impl TryFrom<RawMetricEntry> for MetricEntry {
    type Error = metric::InvalidThreshold;

    fn try_from(raw: RawMetricEntry) -> Result<Self, Self::Error> {
        Ok(MetricEntry {
            metric: raw.metric,
            threshold: raw.metric.check_threshold(raw.threshold)?,
            comparison: raw.comparison,
            enabled: raw.enabled,
        })
    }
}

/// Resolved settings, built once and passed down by reference.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Thresholds per language, in a stable order.
    pub thresholds: BTreeMap<Language, Vec<Threshold>>,
    /// `ignore_patterns` (or the defaults), then `extend_ignore_patterns`,
    /// as `--exclude`/`--extend-exclude` leave them.
    pub ignore_patterns: Vec<String>,
    /// `--include`: files analysed even when an ignore pattern matches.
    pub include_patterns: Vec<String>,
    /// Excluded paths: gitignore semantics (see [`patterns`]).
    pub ignore: PathFilter,
    /// `--force-exclude`: the ignore patterns apply to named files too.
    pub force_exclude: bool,
    pub use_gitignore: bool,
    pub cache: CacheSettings,
    /// Files larger than this many bytes are not read (a per-file error).
    pub max_file_size: u64,
    /// `[gate]`: how change gates judge file-level metrics.
    pub gate: GateSettings,
    /// `[[overrides]]`: per-path limits on top of `thresholds`.
    pub overrides: Overrides,
    /// Where each language's threshold (or its absence) came from.
    pub sources: BTreeMap<(Language, Metric), LimitSource>,
    /// `-t METRIC=VALUE` flags, applied after every override.
    pub command_line: Vec<(Metric, f64)>,
    /// The file the settings came from, if any.
    pub source: Option<PathBuf>,
    /// Problems worth a warning that do not stop the run.
    pub warnings: Vec<String>,
    /// Read from an antipasta 1.x YAML file (see [`ConfigFile::dialect_1x`]).
    pub dialect_1x: bool,
}

/// One effective limit of a path, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub metric: Metric,
    /// `None`: the metric is not checked.
    pub threshold: Option<Threshold>,
    pub source: LimitSource,
}

/// A configuration problem, always naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}{}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default(), column.map(|c| format!(":{c}")).unwrap_or_default())]
    Parse {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Settings {
    /// Settings from a parsed file (or the built-in defaults for `None`).
    pub fn resolve(file: ConfigFile, source: Option<PathBuf>) -> Result<Settings, ConfigError> {
        let origin = source
            .clone()
            .unwrap_or_else(|| PathBuf::from("<defaults>"));
        let invalid = |message: String| ConfigError::Invalid {
            path: origin.clone(),
            message,
        };
        let mut warnings = Vec::new();
        let unimplemented = file.unimplemented_blocks();
        if !unimplemented.is_empty() {
            warnings.push(format!(
                "{}: antipasta 1.x settings not implemented here, not enforced: {}",
                origin.display(),
                unimplemented.join(", ")
            ));
        }
        let dialect_1x = file.dialect_1x;
        let defaults = file.defaults.unwrap_or_default();
        let starting = |language: Language| {
            let list = default_thresholds(&defaults, language);
            if dialect_1x && language != Language::Python {
                // 1.x measured only cyclomatic complexity outside Python.
                list.into_iter()
                    .filter(|t| t.metric == Metric::CyclomaticComplexity)
                    .collect()
            } else {
                list
            }
        };
        let mut thresholds = BTreeMap::new();
        let mut sources = BTreeMap::new();
        for language in [Language::Python, Language::JavaScript, Language::TypeScript] {
            thresholds.insert(language, starting(language));
            for metric in Metric::ALL {
                let source = if defaults.configures(metric) {
                    LimitSource::Defaults
                } else {
                    LimitSource::BuiltIn
                };
                sources.insert((language, metric), source);
            }
        }
        for entry in file.languages.unwrap_or_default() {
            let language =
                parse_language(&entry.name).map_err(|e| invalid(format!("languages: {e}")))?;
            let list = thresholds
                .entry(language)
                .or_insert_with(|| starting(language));
            if dialect_1x {
                // In 1.x a `languages` entry's list is the whole list.
                list.clear();
                for metric in Metric::ALL {
                    sources.insert((language, metric), LimitSource::Language);
                }
            }
            for metric in entry.metrics {
                list.retain(|t| t.metric != metric.metric);
                sources.insert((language, metric.metric), LimitSource::Language);
                if metric.enabled.unwrap_or(true) {
                    list.push(Threshold {
                        metric: metric.metric,
                        comparison: metric.comparison.unwrap_or(Comparison::Le),
                        value: metric.threshold,
                    });
                }
            }
            list.sort_by_key(|t| t.metric);
        }
        let mut ignore_patterns = file.ignore_patterns.unwrap_or_else(default_ignore_patterns);
        ignore_patterns.extend(file.extend_ignore_patterns.unwrap_or_default());
        let ignore = PathFilter::new(&ignore_patterns, &[])
            .map_err(|e| invalid(format!("ignore_patterns: {e}")))?;
        let cache_options = file.cache.unwrap_or_default();
        let config_dir = source
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let cache = CacheSettings {
            enabled: cache_options.enabled.unwrap_or(true),
            dir: cache_options.dir.map(|dir| match &config_dir {
                Some(base) if dir.is_relative() => base.join(dir),
                _ => dir,
            }),
            max_age_days: cache_options.max_age_days.unwrap_or(30),
            max_size_mb: cache_options.max_size_mb.unwrap_or(256),
        };
        let gate = file.gate.unwrap_or_default().resolve().map_err(invalid)?;
        let overrides = match (file.overrides, &config_dir) {
            (Some(entries), Some(dir)) => Overrides::resolve(entries, dir).map_err(invalid)?,
            (Some(entries), None) => {
                Overrides::resolve(entries, Path::new(".")).map_err(invalid)?
            }
            (None, _) => Overrides::default(),
        };
        Ok(Settings {
            thresholds,
            ignore_patterns,
            include_patterns: Vec::new(),
            ignore,
            force_exclude: false,
            use_gitignore: file.use_gitignore.unwrap_or(true),
            cache,
            max_file_size: file
                .max_file_size
                .map_or(size::DEFAULT_MAX_FILE_SIZE, |size| size.0),
            gate,
            overrides,
            sources,
            command_line: Vec::new(),
            source,
            warnings,
            dialect_1x,
        })
    }

    /// Applies the command line's selection: `--exclude` replaces the
    /// ignore patterns (when given), `--extend-exclude` adds to them,
    /// `--include` re-admits files they exclude.
    pub fn select(
        &mut self,
        exclude: Option<Vec<String>>,
        extend_exclude: &[String],
        include: &[String],
        force_exclude: bool,
    ) -> Result<(), String> {
        if let Some(exclude) = exclude {
            self.ignore_patterns = exclude;
        }
        self.ignore_patterns.extend_from_slice(extend_exclude);
        self.include_patterns.extend_from_slice(include);
        self.ignore = PathFilter::new(&self.ignore_patterns, &self.include_patterns)?;
        self.force_exclude = force_exclude;
        Ok(())
    }

    /// Applies `-t metric=value` overrides to every language.
    /// From a 1.x file, as 1.x did: only where the metric is checked
    /// already (`-t` never adds a metric to a language's list).
    pub fn override_threshold(&mut self, metric: Metric, value: f64) {
        self.command_line.retain(|(m, _)| *m != metric);
        self.command_line.push((metric, value));
        for (language, list) in &mut self.thresholds {
            let existing = list.iter().find(|t| t.metric == metric);
            if self.dialect_1x && existing.is_none() {
                continue;
            }
            self.sources
                .insert((*language, metric), LimitSource::CommandLine);
            let comparison = existing.map_or(metric.default_comparison(), |t| t.comparison);
            list.retain(|t| t.metric != metric);
            list.push(Threshold {
                metric,
                comparison,
                value,
            });
            list.sort_by_key(|t| t.metric);
        }
    }

    /// The thresholds for a language (empty when it has none), before
    /// per-path overrides.
    pub fn thresholds_for(&self, language: Language) -> &[Threshold] {
        self.thresholds.get(&language).map_or(&[], Vec::as_slice)
    }

    /// The thresholds for a file: its language's, then every matching
    /// `[[overrides]]` entry in order, then the command line's `-t`.
    /// `path` is relative to the root set with [`Settings::set_path_root`].
    pub fn thresholds_at(&self, path: &str, language: Language) -> Cow<'_, [Threshold]> {
        let base = self.thresholds_for(language);
        let mut matching = self.overrides.matching(path, language).peekable();
        if matching.peek().is_none() {
            return Cow::Borrowed(base);
        }
        let mut list = base.to_vec();
        for entry in matching {
            overrides::apply(
                &mut list,
                &entry.changes,
                LimitSource::Override(entry.number),
                None,
            );
        }
        self.reapply_command_line(&mut list, None);
        Cow::Owned(list)
    }

    /// Every metric's effective limit for a file and where it came from
    /// (`antipasta config explain`), with the numbers of the matching overrides.
    pub fn explain(&self, path: &str, language: Language) -> (Vec<Limit>, Vec<usize>) {
        let mut list = self.thresholds_for(language).to_vec();
        let mut sources: Vec<(Metric, LimitSource)> = Metric::ALL
            .iter()
            .map(|&metric| {
                let source = self
                    .sources
                    .get(&(language, metric))
                    .copied()
                    .unwrap_or(LimitSource::BuiltIn);
                (metric, source)
            })
            .collect();
        let mut matched = Vec::new();
        for entry in self.overrides.matching(path, language) {
            matched.push(entry.number);
            let source = LimitSource::Override(entry.number);
            overrides::apply(&mut list, &entry.changes, source, Some(&mut sources));
        }
        self.reapply_command_line(&mut list, Some(&mut sources));
        let limits = Metric::ALL
            .iter()
            .map(|&metric| Limit {
                metric,
                threshold: list.iter().find(|t| t.metric == metric).copied(),
                source: sources
                    .iter()
                    .find(|(m, _)| *m == metric)
                    .map_or(LimitSource::BuiltIn, |(_, source)| *source),
            })
            .collect();
        (limits, matched)
    }

    /// Sets the directory the paths given to [`Settings::thresholds_at`]
    /// are relative to (the repository root, else the current directory).
    pub fn set_path_root(&mut self, root: &Path) {
        self.overrides.set_root(root);
    }

    /// `-t` beats every override: re-applied after them, keeping the comparison.
    fn reapply_command_line(
        &self,
        list: &mut Vec<Threshold>,
        sources: Option<&mut Vec<(Metric, LimitSource)>>,
    ) {
        let changes: Vec<overrides::Change> = self
            .command_line
            .iter()
            .filter(|(metric, _)| !self.dialect_1x || list.iter().any(|t| t.metric == *metric))
            .map(|&(metric, value)| {
                let comparison = list
                    .iter()
                    .find(|t| t.metric == metric)
                    .map_or(metric.default_comparison(), |t| t.comparison);
                overrides::Change::Set(Threshold {
                    metric,
                    comparison,
                    value,
                })
            })
            .collect();
        overrides::apply(list, &changes, LimitSource::CommandLine, sources);
    }
}

/// A language name as configs write it.
pub(crate) fn parse_language(name: &str) -> Result<Language, String> {
    match name.to_ascii_lowercase().as_str() {
        "python" => Ok(Language::Python),
        "javascript" => Ok(Language::JavaScript),
        "typescript" => Ok(Language::TypeScript),
        other => Err(format!(
            "unknown language '{other}' (supported: python, javascript, typescript)"
        )),
    }
}

impl Defaults {
    /// Whether `[defaults]` sets this metric's threshold.
    fn configures(&self, metric: Metric) -> bool {
        match metric {
            Metric::CyclomaticComplexity => self.max_cyclomatic_complexity.is_some(),
            Metric::CognitiveComplexity => self.max_cognitive_complexity.is_some(),
            Metric::MaintainabilityIndex => self.min_maintainability_index.is_some(),
            Metric::HalsteadVolume => self.max_halstead_volume.is_some(),
            Metric::HalsteadDifficulty => self.max_halstead_difficulty.is_some(),
            Metric::HalsteadEffort => self.max_halstead_effort.is_some(),
            _ => false,
        }
    }
}

/// The thresholds a language starts from. Python gets antipasta 1.x's full
/// set. The file-level Halstead and maintainability defaults are calibrated
/// on radon's Python numbers, so JavaScript and TypeScript only get them when
/// `defaults` sets them explicitly; their complexity limits apply as for Python.
fn default_thresholds(defaults: &Defaults, language: Language) -> Vec<Threshold> {
    // (metric, requirement, configured value, built-in value, built-in applies to JS/TS)
    let table = [
        (
            Metric::CyclomaticComplexity,
            Comparison::Le,
            defaults.max_cyclomatic_complexity,
            10.0,
            true,
        ),
        (
            Metric::CognitiveComplexity,
            Comparison::Le,
            defaults.max_cognitive_complexity,
            15.0,
            true,
        ),
        (
            Metric::MaintainabilityIndex,
            Comparison::Ge,
            defaults.min_maintainability_index,
            50.0,
            false,
        ),
        (
            Metric::HalsteadVolume,
            Comparison::Le,
            defaults.max_halstead_volume,
            1000.0,
            false,
        ),
        (
            Metric::HalsteadDifficulty,
            Comparison::Le,
            defaults.max_halstead_difficulty,
            10.0,
            false,
        ),
        (
            Metric::HalsteadEffort,
            Comparison::Le,
            defaults.max_halstead_effort,
            10000.0,
            false,
        ),
    ];
    let mut list: Vec<Threshold> = table
        .into_iter()
        .filter(|(_, _, configured, _, for_js)| {
            language == Language::Python || *for_js || configured.is_some()
        })
        .map(|(metric, comparison, configured, built_in, _)| Threshold {
            metric,
            comparison,
            value: configured.unwrap_or(built_in),
        })
        .collect();
    list.sort_by_key(|t| t.metric);
    list
}

/// [`DEFAULT_IGNORE_PATTERNS`], owned.
pub fn default_ignore_patterns() -> Vec<String> {
    DEFAULT_IGNORE_PATTERNS
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// The config file names looked for in each directory, in priority order.
const CANDIDATES: [&str; 4] = [
    ".antipasta.toml",
    ".antipasta.yaml",
    ".antipasta.yml",
    "pyproject.toml",
];

/// Finds the nearest config file from `start` up to the repository root.
pub fn discover(start: &Path) -> Result<Option<PathBuf>, ConfigError> {
    for dir in start.ancestors() {
        for name in CANDIDATES {
            let candidate = dir.join(name);
            if !candidate.is_file() {
                continue;
            }
            if name != "pyproject.toml" || pyproject_has_section(&candidate)? {
                return Ok(Some(candidate));
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Ok(None)
}

fn pyproject_has_section(path: &Path) -> Result<bool, ConfigError> {
    let text = read(path)?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
    Ok(table.get("tool").and_then(|t| t.get("antipasta")).is_some())
}

/// The largest configuration file read: far beyond any real one, small
/// enough that parsing it is quick.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

fn read(path: &Path) -> Result<String, ConfigError> {
    use std::io::Read;
    let error = |source| ConfigError::Read {
        path: path.to_owned(),
        source,
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_CONFIG_BYTES + 1).read_to_string(&mut text))
        .map_err(error)?;
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ConfigError::Invalid {
            path: path.to_owned(),
            message: format!(
                "larger than {} MiB; a configuration file never needs that much",
                MAX_CONFIG_BYTES / (1024 * 1024)
            ),
        });
    }
    Ok(text)
}

/// Parses a config file of any supported format.
pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = read(path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "pyproject.toml" {
        let parsed: Pyproject = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
        parsed.tool.antipasta.ok_or_else(|| ConfigError::Invalid {
            path: path.to_owned(),
            message: "no [tool.antipasta] section".to_owned(),
        })
    } else if name.ends_with(".toml") {
        toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))
    } else {
        if text.trim().is_empty() {
            return Ok(ConfigFile {
                dialect_1x: true,
                ..ConfigFile::default()
            });
        }
        if let Some(line) = yaml_depth::first_line_deeper_than(&text, yaml_depth::MAX_DEPTH) {
            return Err(ConfigError::Parse {
                path: path.to_owned(),
                line: Some(line),
                column: None,
                message: format!(
                    "nested deeper than {} levels; a configuration file never needs that many",
                    yaml_depth::MAX_DEPTH
                ),
            });
        }
        let mut file: ConfigFile =
            serde_norway::from_str(&text).map_err(|e| yaml_error(path, &e))?;
        file.dialect_1x = true;
        Ok(file)
    }
}

fn yaml_error(path: &Path, error: &serde_norway::Error) -> ConfigError {
    let location = error.location();
    let mut message = error.to_string();
    if let Some(at) = &location {
        // The position goes in front, as for TOML, not at the end too.
        let suffix = format!(" at line {} column {}", at.line(), at.column());
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_owned();
        }
    }
    ConfigError::Parse {
        path: path.to_owned(),
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
        message,
    }
}

/// `pyproject.toml`: only `[tool.antipasta]` is read; the rest is
/// skipped unchecked, but parsed, so an error there has its position too.
#[derive(Deserialize)]
struct Pyproject {
    #[serde(default)]
    tool: PyprojectTools,
}

#[derive(Default, Deserialize)]
struct PyprojectTools {
    antipasta: Option<ConfigFile>,
}

fn toml_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let position = error.span().map(|span| {
        let before = &text[..floor_char_boundary(text, span.start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    });
    ConfigError::Parse {
        path: path.to_owned(),
        line: position.map(|(line, _)| line),
        column: position.map(|(_, column)| column),
        message: error.message().trim().to_owned(),
    }
}

/// The largest char boundary of `text` at or below `index`.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Loads the explicit file, or the discovered one, or the defaults.
pub fn settings_for(explicit: Option<&Path>, start: &Path) -> Result<Settings, ConfigError> {
    let path = match explicit {
        Some(path) => Some(path.to_owned()),
        None => discover(start)?,
    };
    match path {
        Some(path) => Settings::resolve(load(&path)?, Some(path)),
        None => Settings::resolve(ConfigFile::default(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write config");
        path
    }

    fn threshold(settings: &Settings, metric: Metric) -> Option<(Comparison, f64)> {
        settings
            .thresholds_for(Language::Python)
            .iter()
            .find(|t| t.metric == metric)
            .map(|t| (t.comparison, t.value))
    }

    #[test]
    fn defaults_match_antipasta_1x_with_cognitive_enabled() {
        let settings = Settings::resolve(ConfigFile::default(), None).expect("defaults resolve");
        assert_eq!(
            threshold(&settings, Metric::CyclomaticComplexity),
            Some((Comparison::Le, 10.0))
        );
        assert_eq!(
            threshold(&settings, Metric::CognitiveComplexity),
            Some((Comparison::Le, 15.0))
        );
        assert_eq!(
            threshold(&settings, Metric::MaintainabilityIndex),
            Some((Comparison::Ge, 50.0))
        );
        assert_eq!(
            threshold(&settings, Metric::HalsteadVolume),
            Some((Comparison::Le, 1000.0))
        );
        assert_eq!(
            threshold(&settings, Metric::HalsteadDifficulty),
            Some((Comparison::Le, 10.0))
        );
        assert_eq!(
            threshold(&settings, Metric::HalsteadEffort),
            Some((Comparison::Le, 10000.0))
        );
        assert!(settings.ignore.is_match("pkg/tests/x.py"));
        assert!(settings.ignore.is_match("tests/x.py"));
        assert!(settings.ignore.is_match("a/test_x.py"));
        assert!(!settings.ignore.is_match("a/x.py"));
    }

    #[test]
    fn antipasta_1x_yaml_means_what_it_meant_in_1x() {
        let dir = tempfile::tempdir().expect("tempdir");
        let yaml = "defaults:\n  max_cyclomatic_complexity: 12\n  max_halstead_volume: 900\nlanguages:\n  - name: python\n    extensions: [.py]\n    metrics:\n      - type: cognitive_complexity\n        threshold: 20\n        comparison: \"<\"\n      - type: halstead_volume\n        threshold: 1000\n        enabled: false\nignore_patterns: [\"build/**\", migrations]\nuse_gitignore: false\nprofile: standard\ntree_shape:\n  fan_out_max: 7\n";
        let path = write(dir.path(), ".antipasta.yaml", yaml);
        let settings = settings_for(None, dir.path()).expect("loads");
        assert_eq!(settings.source.as_deref(), Some(path.as_path()));
        // The `languages` entry's list is the whole list: no cyclomatic limit.
        let python: Vec<(Metric, Comparison, f64)> = settings
            .thresholds_for(Language::Python)
            .iter()
            .map(|t| (t.metric, t.comparison, t.value))
            .collect();
        assert_eq!(
            python,
            vec![(Metric::CognitiveComplexity, Comparison::Lt, 20.0)]
        );
        // `defaults` reach JavaScript only for what 1.x measured there.
        let javascript: Vec<(Metric, f64)> = settings
            .thresholds_for(Language::JavaScript)
            .iter()
            .map(|t| (t.metric, t.value))
            .collect();
        assert_eq!(javascript, vec![(Metric::CyclomaticComplexity, 12.0)]);
        assert!(!settings.use_gitignore);
        assert!(settings.ignore.is_match("build/x.py"));
        assert!(settings.ignore.is_match("app/migrations/0001_initial.py"));
        assert_eq!(
            settings.warnings,
            vec![format!(
                "{}: antipasta 1.x settings not implemented here, not enforced: profile, tree_shape",
                path.display()
            )]
        );
    }

    #[test]
    fn command_line_limits_reach_only_checked_metrics_of_a_1x_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let yaml = "languages:\n  - name: python\n    metrics:\n      - type: cyclomatic_complexity\n        threshold: 5\n";
        write(dir.path(), ".antipasta.yaml", yaml);
        let mut settings = settings_for(None, dir.path()).expect("loads");
        settings.override_threshold(Metric::CyclomaticComplexity, 7.0);
        settings.override_threshold(Metric::CognitiveComplexity, 9.0);
        let python: Vec<(Metric, f64)> = settings
            .thresholds_for(Language::Python)
            .iter()
            .map(|t| (t.metric, t.value))
            .collect();
        assert_eq!(python, vec![(Metric::CyclomaticComplexity, 7.0)]);
        let javascript: Vec<(Metric, f64)> = settings
            .thresholds_for(Language::JavaScript)
            .iter()
            .map(|t| (t.metric, t.value))
            .collect();
        assert_eq!(javascript, vec![(Metric::CyclomaticComplexity, 7.0)]);
        let (limits, _) = settings.explain("a.py", Language::Python);
        let cognitive = limits
            .iter()
            .find(|l| l.metric == Metric::CognitiveComplexity)
            .expect("listed");
        assert_eq!(cognitive.threshold, None);
        assert_eq!(cognitive.source, LimitSource::Language);
    }

    #[test]
    fn toml_keeps_defaults_under_language_entries_and_extends_ignores() {
        let dir = tempfile::tempdir().expect("tempdir");
        let toml = "extend_ignore_patterns = [\"migrations\"]\n[[languages]]\nname = \"python\"\n[[languages.metrics]]\ntype = \"cognitive_complexity\"\nthreshold = 20\n";
        let path = write(dir.path(), ".antipasta.toml", toml);
        let settings = settings_for(None, dir.path()).expect("loads");
        assert_eq!(settings.source.as_deref(), Some(path.as_path()));
        assert_eq!(settings.thresholds_for(Language::Python).len(), 6);
        assert!(settings.ignore.is_match("a/migrations/x.py"));
        assert!(settings.ignore.is_match("tests/x.py"));
        assert!(settings.warnings.is_empty());
    }

    #[test]
    fn unknown_keys_name_file_key_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            ".antipasta.toml",
            "[defaults]\nmax_cyclomatic_complexity = 5\nmax_bogus = 3\n",
        );
        let message = load(&path).expect_err("unknown key").to_string();
        assert!(message.contains(".antipasta.toml:3"), "{message}");
        assert!(message.contains("max_bogus"), "{message}");
        let path = write(dir.path(), "bad.yaml", "languages:\n  - name: python\n    metrics:\n      - type: nope\n        threshold: 3\n");
        let message = load(&path).expect_err("unknown metric").to_string();
        assert!(message.contains("bad.yaml:4"), "{message}");
        assert!(message.contains("nope"), "{message}");
    }

    #[test]
    fn pyproject_section_is_found_upward() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "pyproject.toml",
            "[project]\nname = 'x'\n\n[tool.antipasta.defaults]\nmax_cognitive_complexity = 7\n",
        );
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).expect("mkdir");
        let settings = settings_for(None, &nested).expect("loads");
        assert_eq!(
            threshold(&settings, Metric::CognitiveComplexity),
            Some((Comparison::Le, 7.0))
        );
    }

    #[test]
    fn pyproject_without_section_is_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "pyproject.toml", "[project]\nname = 'x'\n");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
        assert_eq!(discover(dir.path()).expect("discover"), None);
    }

    #[test]
    fn cli_override_keeps_the_comparison() {
        let mut settings = Settings::resolve(ConfigFile::default(), None).expect("defaults");
        settings.override_threshold(Metric::MaintainabilityIndex, 30.0);
        assert_eq!(
            threshold(&settings, Metric::MaintainabilityIndex),
            Some((Comparison::Ge, 30.0))
        );
    }

    #[test]
    fn javascript_and_typescript_have_complexity_defaults_and_own_entries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let toml = "[defaults]\nmax_halstead_volume = 3000\n\n[[languages]]\nname = \"typescript\"\n[[languages.metrics]]\ntype = \"cyclomatic_complexity\"\nthreshold = 7\n";
        let path = write(dir.path(), ".antipasta.toml", toml);
        let settings = Settings::resolve(load(&path).expect("parses"), Some(path)).expect("valid");
        let listed = |language: Language| -> Vec<(Metric, f64)> {
            settings
                .thresholds_for(language)
                .iter()
                .map(|t| (t.metric, t.value))
                .collect()
        };
        assert_eq!(
            listed(Language::JavaScript),
            vec![
                (Metric::CyclomaticComplexity, 10.0),
                (Metric::CognitiveComplexity, 15.0),
                (Metric::HalsteadVolume, 3000.0),
            ]
        );
        assert_eq!(
            listed(Language::TypeScript),
            vec![
                (Metric::CyclomaticComplexity, 7.0),
                (Metric::CognitiveComplexity, 15.0),
                (Metric::HalsteadVolume, 3000.0),
            ]
        );
        assert_eq!(listed(Language::Python).len(), 6);
    }

    /// NaN, ±infinity, a negative and a fractional cyclomatic limit, as
    /// each config format spells them.
    const BAD_CYCLOMATIC: [(&str, &str, &str); 5] = [
        ("nan", ".nan", "must be a finite number, got NaN"),
        ("inf", ".inf", "must be a finite number, got inf"),
        ("-inf", "-.inf", "must be a finite number, got -inf"),
        ("-1", "-1", "must not be negative, got -1"),
        (
            "1.5",
            "1.5",
            "must be a whole number (the metric is a count), got 1.5",
        ),
    ];

    #[test]
    fn invalid_thresholds_are_refused_in_every_config_source_with_their_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (toml, yaml, problem) in BAD_CYCLOMATIC {
            let expected = format!("threshold for cyclomatic_complexity {problem}");
            let sources = [
                (
                    ".antipasta.toml",
                    format!("# limits\n[defaults]\nmax_cyclomatic_complexity = {toml}\n"),
                    ":3:29: max_cyclomatic_complexity: ",
                ),
                (
                    ".antipasta.toml",
                    format!("[[languages]]\nname = \"python\"\n\n[[languages.metrics]]\ntype = \"cyclomatic_complexity\"\nthreshold = {toml}\n"),
                    ":4:1: ",
                ),
                (
                    ".antipasta.yaml",
                    format!("defaults:\n  max_cognitive_complexity: 15\n  max_cyclomatic_complexity: {yaml}\n"),
                    ":2:3: defaults: max_cyclomatic_complexity: ",
                ),
                (
                    ".antipasta.yaml",
                    format!("languages:\n  - name: python\n    metrics:\n      - type: cyclomatic_complexity\n        threshold: {yaml}\n"),
                    ":4:7: languages[0].metrics: ",
                ),
                (
                    "pyproject.toml",
                    format!("[tool.antipasta.defaults]\nmax_cyclomatic_complexity = {toml}\n"),
                    ":2:29: max_cyclomatic_complexity: ",
                ),
            ];
            for (name, text, location) in sources {
                let path = write(dir.path(), name, &text);
                let message = load(&path)
                    .and_then(|file| Settings::resolve(file, Some(path.clone())))
                    .expect_err(&text)
                    .to_string();
                let wanted = format!("{}{location}{expected}", path.display());
                assert!(message.starts_with(&wanted), "{message}\nwanted: {wanted}");
            }
        }
    }

    #[test]
    fn valid_thresholds_of_every_kind_are_accepted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            ".antipasta.yaml",
            "defaults:\n  max_cyclomatic_complexity: 0\n  min_maintainability_index: 47.5\n  max_halstead_effort: 1e4\n",
        );
        let settings = Settings::resolve(load(&path).expect("parses"), Some(path)).expect("valid");
        assert_eq!(
            threshold(&settings, Metric::CyclomaticComplexity),
            Some((Comparison::Le, 0.0))
        );
        assert_eq!(
            threshold(&settings, Metric::MaintainabilityIndex),
            Some((Comparison::Ge, 47.5))
        );
    }
}
