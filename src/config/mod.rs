//! Configuration: find the file, parse it, resolve it into immutable [`Settings`].
//!
//! Sources, first found walking up from the current directory to the
//! repository root: `.antipasta.toml`, `.antipasta.yaml`/`.yml` (antipasta
//! 1.x's format, read unchanged), `pyproject.toml` with `[tool.antipasta]`.
//! Every file format shares one schema; unknown keys are errors that name
//! the file, the key and (where the parser knows it) the line.

pub mod metric;
pub mod size;
mod yaml_depth;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::model::Language;
use metric::{Comparison, Metric, Threshold};

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
    pub use_gitignore: Option<bool>,
    pub cache: Option<CacheOptions>,
    pub max_file_size: Option<size::ByteSize>,
    // antipasta 1.x keys for analyses antipasta does not run: accepted, unused.
    pub profile: Option<IgnoredAny>,
    pub tree_shape: Option<IgnoredAny>,
    pub import_graph: Option<IgnoredAny>,
    pub narrative: Option<IgnoredAny>,
    pub duplication: Option<IgnoredAny>,
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
    pub ignore_patterns: Vec<String>,
    pub ignore: GlobSet,
    pub use_gitignore: bool,
    pub cache: CacheSettings,
    /// Files larger than this many bytes are not read (a per-file error).
    pub max_file_size: u64,
    /// The file the settings came from, if any.
    pub source: Option<PathBuf>,
}

/// A configuration problem, always naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        path: PathBuf,
        line: Option<usize>,
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
        let defaults = file.defaults.unwrap_or_default();
        let mut thresholds = BTreeMap::new();
        for language in [Language::Python, Language::JavaScript, Language::TypeScript] {
            thresholds.insert(language, default_thresholds(&defaults, language));
        }
        for entry in file.languages.unwrap_or_default() {
            let language = match entry.name.to_ascii_lowercase().as_str() {
                "python" => Language::Python,
                "javascript" => Language::JavaScript,
                "typescript" => Language::TypeScript,
                other => {
                    return Err(invalid(format!(
                        "languages: unknown language '{other}' (supported: python, javascript, typescript)"
                    )))
                }
            };
            let list = thresholds
                .entry(language)
                .or_insert_with(|| default_thresholds(&defaults, language));
            for metric in entry.metrics {
                list.retain(|t| t.metric != metric.metric);
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
        let ignore_patterns = file.ignore_patterns.unwrap_or_else(|| {
            DEFAULT_IGNORE_PATTERNS
                .iter()
                .map(|p| p.to_string())
                .collect()
        });
        let ignore = build_globset(&ignore_patterns)
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
        Ok(Settings {
            thresholds,
            ignore_patterns,
            ignore,
            use_gitignore: file.use_gitignore.unwrap_or(true),
            cache,
            max_file_size: file
                .max_file_size
                .map_or(size::DEFAULT_MAX_FILE_SIZE, |size| size.0),
            source,
        })
    }

    /// Applies `-t metric=value` overrides to every language.
    pub fn override_threshold(&mut self, metric: Metric, value: f64) {
        for list in self.thresholds.values_mut() {
            let comparison = list
                .iter()
                .find(|t| t.metric == metric)
                .map_or(metric.default_comparison(), |t| t.comparison);
            list.retain(|t| t.metric != metric);
            list.push(Threshold {
                metric,
                comparison,
                value,
            });
            list.sort_by_key(|t| t.metric);
        }
    }

    /// The thresholds for a language (empty when it has none).
    pub fn thresholds_for(&self, language: Language) -> &[Threshold] {
        self.thresholds.get(&language).map_or(&[], Vec::as_slice)
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

fn build_globset(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern)?);
        // `**/tests/**` should also match a top-level `tests/…`, as antipasta 1.x's matcher does.
        if let Some(rest) = pattern.strip_prefix("**/") {
            builder.add(Glob::new(rest)?);
        }
    }
    builder.build()
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
        let table: toml::Table = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
        let section = table
            .get("tool")
            .and_then(|t| t.get("antipasta"))
            .cloned()
            .ok_or_else(|| ConfigError::Invalid {
                path: path.to_owned(),
                message: "no [tool.antipasta] section".to_owned(),
            })?;
        section
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Parse {
                path: path.to_owned(),
                line: None,
                message: format!("[tool.antipasta]: {}", e.message()),
            })
    } else if name.ends_with(".toml") {
        toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))
    } else {
        if text.trim().is_empty() {
            return Ok(ConfigFile::default());
        }
        if let Some(line) = yaml_depth::first_line_deeper_than(&text, yaml_depth::MAX_DEPTH) {
            return Err(ConfigError::Parse {
                path: path.to_owned(),
                line: Some(line),
                message: format!(
                    "nested deeper than {} levels; a configuration file never needs that many",
                    yaml_depth::MAX_DEPTH
                ),
            });
        }
        serde_yaml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            line: e.location().map(|l| l.line()),
            message: e.to_string(),
        })
    }
}

fn toml_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    ConfigError::Parse {
        path: path.to_owned(),
        line,
        message: error.message().trim().to_owned(),
    }
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
    fn antipasta_1x_yaml_reads_unchanged() {
        let dir = tempfile::tempdir().expect("tempdir");
        let yaml = "defaults:\n  max_cyclomatic_complexity: 12\nlanguages:\n  - name: python\n    extensions: [.py]\n    metrics:\n      - type: cognitive_complexity\n        threshold: 20\n        comparison: \"<\"\n      - type: halstead_volume\n        threshold: 1000\n        enabled: false\nignore_patterns: [\"build/**\"]\nuse_gitignore: false\nprofile: standard\n";
        let path = write(dir.path(), ".antipasta.yaml", yaml);
        let settings = settings_for(None, dir.path()).expect("loads");
        assert_eq!(settings.source.as_deref(), Some(path.as_path()));
        assert_eq!(
            threshold(&settings, Metric::CyclomaticComplexity),
            Some((Comparison::Le, 12.0))
        );
        assert_eq!(
            threshold(&settings, Metric::CognitiveComplexity),
            Some((Comparison::Lt, 20.0))
        );
        assert_eq!(threshold(&settings, Metric::HalsteadVolume), None);
        assert!(!settings.use_gitignore);
        assert!(settings.ignore.is_match("build/x.py"));
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
                    ":3: max_cyclomatic_complexity: ",
                ),
                (
                    ".antipasta.toml",
                    format!("[[languages]]\nname = \"python\"\n\n[[languages.metrics]]\ntype = \"cyclomatic_complexity\"\nthreshold = {toml}\n"),
                    ":4: ",
                ),
                (
                    ".antipasta.yaml",
                    format!("defaults:\n  max_cognitive_complexity: 15\n  max_cyclomatic_complexity: {yaml}\n"),
                    ":2: defaults: max_cyclomatic_complexity: ",
                ),
                (
                    ".antipasta.yaml",
                    format!("languages:\n  - name: python\n    metrics:\n      - type: cyclomatic_complexity\n        threshold: {yaml}\n"),
                    ":4: languages[0].metrics: ",
                ),
                (
                    "pyproject.toml",
                    format!("[tool.antipasta.defaults]\nmax_cyclomatic_complexity = {toml}\n"),
                    ": [tool.antipasta]: max_cyclomatic_complexity: ",
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
