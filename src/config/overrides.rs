//! Per-path limits: `[[overrides]]` entries with gitignore-style `paths`
//! (relative to the config file's directory) and an optional `language`,
//! applied in order on top of the defaults and language settings: the last
//! matching entry wins for each metric it sets. Also where every effective
//! limit came from, for `antipasta config explain`.

use std::fmt;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

use super::metric::{Comparison, Metric, Threshold};
use super::{parse_language, MetricEntry};
use crate::model::Language;
use crate::paths::normalize;

/// `[[overrides]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideEntry {
    /// gitignore-style patterns, relative to the config file's directory.
    pub paths: Vec<String>,
    /// Only files of this language (default: every language).
    pub language: Option<String>,
    pub max_cyclomatic_complexity: Option<f64>,
    pub max_cognitive_complexity: Option<f64>,
    pub min_maintainability_index: Option<f64>,
    pub max_halstead_volume: Option<f64>,
    pub max_halstead_difficulty: Option<f64>,
    pub max_halstead_effort: Option<f64>,
    /// Metrics not checked at all on the matching files (names or short names).
    #[serde(default)]
    pub disable: Vec<String>,
    /// Any metric, as in `[[languages.metrics]]` (`enabled = false` disables it).
    #[serde(default)]
    pub metrics: Vec<MetricEntry>,
}

/// What an override does to one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    Set(Threshold),
    Disable(Metric),
}

impl Change {
    fn metric(self) -> Metric {
        match self {
            Change::Set(threshold) => threshold.metric,
            Change::Disable(metric) => metric,
        }
    }
}

/// One resolved `[[overrides]]` entry.
#[derive(Debug, Clone)]
pub struct Override {
    /// 1-based position among the file's overrides.
    pub number: usize,
    pub paths: Vec<String>,
    pub language: Option<Language>,
    matcher: Gitignore,
    /// In the order written; a later change to the same metric wins.
    pub changes: Vec<Change>,
}

/// Where an effective limit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LimitSource {
    /// antipasta's built-in default.
    BuiltIn,
    /// `[defaults]`.
    Defaults,
    /// `[[languages]]` for the file's language.
    Language,
    /// The `[[overrides]]` entry with this number.
    Override(usize),
    /// `-t METRIC=VALUE`.
    CommandLine,
}

impl fmt::Display for LimitSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitSource::BuiltIn => f.write_str("built-in default"),
            LimitSource::Defaults => f.write_str("[defaults]"),
            LimitSource::Language => f.write_str("[[languages]]"),
            LimitSource::Override(number) => write!(f, "[[overrides]] #{number}"),
            LimitSource::CommandLine => f.write_str("command line (-t)"),
        }
    }
}

/// The resolved overrides of one config file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    entries: Vec<Override>,
    /// The config file's directory (absolute): `paths` are relative to it.
    dir: PathBuf,
    /// The directory the analysed paths are relative to (the repository
    /// root, else the current directory); the config directory until set.
    root: Option<PathBuf>,
}

impl Overrides {
    /// Resolves the entries of a config file in `dir`; errors name the entry.
    pub fn resolve(entries: Vec<OverrideEntry>, dir: &Path) -> Result<Overrides, String> {
        let dir = absolute(dir);
        let mut resolved = Vec::with_capacity(entries.len());
        for (index, entry) in entries.into_iter().enumerate() {
            let number = index + 1;
            let context = |message: String| format!("overrides[{number}]: {message}");
            resolved.push(resolve_entry(entry, number, &dir).map_err(context)?);
        }
        Ok(Overrides {
            entries: resolved,
            dir,
            root: None,
        })
    }

    /// The resolved entries, in order.
    pub fn entries(&self) -> &[Override] {
        &self.entries
    }

    /// Sets the directory the paths given to [`Overrides::matching`] are relative to.
    pub fn set_root(&mut self, root: &Path) {
        self.root = Some(absolute(root));
    }

    /// The entries that apply to `path` (relative to the root) of `language`, in order.
    pub fn matching<'s>(
        &'s self,
        path: &str,
        language: Language,
    ) -> impl Iterator<Item = &'s Override> + 's {
        let relative = self.relative_to_dir(path);
        self.entries.iter().filter(move |entry| {
            entry.language.is_none_or(|wanted| wanted == language)
                && relative.as_deref().is_some_and(|relative| {
                    entry
                        .matcher
                        .matched_path_or_any_parents(relative, false)
                        .is_ignore()
                })
        })
    }

    /// `path` relative to the config file's directory, when it lies under it.
    fn relative_to_dir(&self, path: &str) -> Option<PathBuf> {
        let root = self.root.as_deref().unwrap_or(&self.dir);
        let full = normalize(&root.join(path));
        let relative = full.strip_prefix(&self.dir).ok()?;
        (!relative.as_os_str().is_empty()).then(|| relative.to_path_buf())
    }
}

fn resolve_entry(entry: OverrideEntry, number: usize, dir: &Path) -> Result<Override, String> {
    if entry.paths.is_empty() {
        return Err("paths is empty: name at least one pattern".to_owned());
    }
    let mut builder = GitignoreBuilder::new(dir);
    for pattern in &entry.paths {
        if pattern.trim().is_empty() {
            return Err("paths: an empty pattern matches nothing".to_owned());
        }
        builder
            .add_line(None, pattern)
            .map_err(|e| format!("paths: '{pattern}': {e}"))?;
    }
    let matcher = builder.build().map_err(|e| format!("paths: {e}"))?;
    let language = entry.language.as_deref().map(parse_language).transpose()?;
    let keys = [
        (
            Metric::CyclomaticComplexity,
            entry.max_cyclomatic_complexity,
        ),
        (Metric::CognitiveComplexity, entry.max_cognitive_complexity),
        (
            Metric::MaintainabilityIndex,
            entry.min_maintainability_index,
        ),
        (Metric::HalsteadVolume, entry.max_halstead_volume),
        (Metric::HalsteadDifficulty, entry.max_halstead_difficulty),
        (Metric::HalsteadEffort, entry.max_halstead_effort),
    ];
    let mut changes = Vec::new();
    for (metric, value) in keys {
        if let Some(value) = value {
            changes.push(Change::Set(threshold(metric, value, None)?));
        }
    }
    for metric in entry.metrics {
        if metric.enabled == Some(false) {
            changes.push(Change::Disable(metric.metric));
        } else {
            changes.push(Change::Set(threshold(
                metric.metric,
                metric.threshold,
                metric.comparison,
            )?));
        }
    }
    for name in &entry.disable {
        let metric: Metric = name.parse().map_err(|e| format!("disable: {e}"))?;
        changes.push(Change::Disable(metric));
    }
    Ok(Override {
        number,
        paths: entry.paths,
        language,
        matcher,
        changes,
    })
}

fn threshold(
    metric: Metric,
    value: f64,
    comparison: Option<Comparison>,
) -> Result<Threshold, String> {
    let value = metric.check_threshold(value).map_err(|e| e.to_string())?;
    Ok(Threshold {
        metric,
        comparison: comparison.unwrap_or(metric.default_comparison()),
        value,
    })
}

/// Applies `changes` to a threshold list kept sorted by metric, recording
/// each metric's source in `sources` when given.
pub fn apply(
    list: &mut Vec<Threshold>,
    changes: &[Change],
    source: LimitSource,
    mut sources: Option<&mut Vec<(Metric, LimitSource)>>,
) {
    for change in changes {
        let metric = change.metric();
        list.retain(|t| t.metric != metric);
        if let Change::Set(threshold) = change {
            list.push(*threshold);
        }
        if let Some(sources) = sources.as_deref_mut() {
            sources.retain(|(m, _)| *m != metric);
            sources.push((metric, source));
        }
    }
    list.sort_by_key(|t| t.metric);
}

/// An absolute form of `path` without touching the filesystem beyond the
/// current directory (and symlinks resolved when the path exists).
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        let joined = std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf());
        normalize(&joined)
    })
}

#[cfg(test)]
mod tests {
    use super::super::{load, Settings};
    use super::*;

    /// Settings from `toml` written as `.antipasta.toml` in a temporary directory.
    fn settings(toml: &str) -> (tempfile::TempDir, Settings) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".antipasta.toml");
        std::fs::write(&path, toml).expect("write config");
        let mut settings =
            Settings::resolve(load(&path).expect("parses"), Some(path)).expect("valid");
        settings.set_path_root(dir.path());
        (dir, settings)
    }

    fn limit(settings: &Settings, path: &str, language: Language, metric: Metric) -> Option<f64> {
        settings
            .thresholds_at(path, language)
            .iter()
            .find(|t| t.metric == metric)
            .map(|t| t.value)
    }

    const OVERLAPPING: &str = "[defaults]\nmax_cyclomatic_complexity = 12\n\n\
        [[overrides]]\npaths = [\"legacy/\"]\nmax_cyclomatic_complexity = 20\nmax_cognitive_complexity = 30\n\n\
        [[overrides]]\npaths = [\"legacy/core/*.py\"]\nmax_cyclomatic_complexity = 25\n";

    #[test]
    fn overlapping_overrides_apply_in_order_and_the_last_match_wins() {
        let (_dir, settings) = settings(OVERLAPPING);
        let cyc = Metric::CyclomaticComplexity;
        let cog = Metric::CognitiveComplexity;
        assert_eq!(
            limit(&settings, "app.py", Language::Python, cyc),
            Some(12.0)
        );
        assert_eq!(
            limit(&settings, "legacy/a.py", Language::Python, cyc),
            Some(20.0)
        );
        // Both match: the second sets cyclomatic, the first still gives cognitive.
        assert_eq!(
            limit(&settings, "legacy/core/b.py", Language::Python, cyc),
            Some(25.0)
        );
        assert_eq!(
            limit(&settings, "legacy/core/b.py", Language::Python, cog),
            Some(30.0)
        );
        // `*` stops at `/`, as in .gitignore.
        assert_eq!(
            limit(&settings, "legacy/core/x/c.py", Language::Python, cyc),
            Some(20.0)
        );
        let (limits, matched) = settings.explain("legacy/core/b.py", Language::Python);
        assert_eq!(matched, vec![1, 2]);
        let source = |metric: Metric| limits.iter().find(|l| l.metric == metric).map(|l| l.source);
        assert_eq!(source(cyc), Some(LimitSource::Override(2)));
        assert_eq!(source(cog), Some(LimitSource::Override(1)));
        assert_eq!(
            source(Metric::MaintainabilityIndex),
            Some(LimitSource::BuiltIn)
        );
        let (limits, _) = settings.explain("app.py", Language::Python);
        let source = |metric: Metric| limits.iter().find(|l| l.metric == metric).map(|l| l.source);
        assert_eq!(source(cyc), Some(LimitSource::Defaults));
    }

    #[test]
    fn order_decides_not_specificity() {
        // The broad entry written last wins over the narrow one before it.
        let toml =
            "[[overrides]]\npaths = [\"legacy/core/*.py\"]\nmax_cyclomatic_complexity = 25\n\n\
            [[overrides]]\npaths = [\"legacy/\"]\nmax_cyclomatic_complexity = 20\n";
        let (_dir, settings) = settings(toml);
        let cyc = Metric::CyclomaticComplexity;
        assert_eq!(
            limit(&settings, "legacy/core/b.py", Language::Python, cyc),
            Some(20.0)
        );
    }

    #[test]
    fn a_language_specific_override_leaves_other_languages_alone() {
        let toml = "[[languages]]\nname = \"typescript\"\n[[languages.metrics]]\ntype = \"cyclomatic_complexity\"\nthreshold = 7\n\n\
            [[overrides]]\npaths = [\"web/\"]\nlanguage = \"typescript\"\nmax_cyclomatic_complexity = 15\n";
        let (_dir, settings) = settings(toml);
        let cyc = Metric::CyclomaticComplexity;
        assert_eq!(
            limit(&settings, "web/a.ts", Language::TypeScript, cyc),
            Some(15.0)
        );
        assert_eq!(
            limit(&settings, "web/a.js", Language::JavaScript, cyc),
            Some(10.0)
        );
        assert_eq!(
            limit(&settings, "web/a.py", Language::Python, cyc),
            Some(10.0)
        );
        assert_eq!(
            limit(&settings, "lib/a.ts", Language::TypeScript, cyc),
            Some(7.0)
        );
        let (limits, _) = settings.explain("lib/a.ts", Language::TypeScript);
        assert!(limits
            .iter()
            .any(|l| l.metric == cyc && l.source == LimitSource::Language));
    }

    #[test]
    fn enabled_false_and_disable_turn_a_metric_off_for_the_paths() {
        let toml = "[[overrides]]\npaths = [\"gen/**/*.py\"]\ndisable = [\"vol\"]\n\
            [[overrides.metrics]]\ntype = \"maintainability_index\"\nthreshold = 0\nenabled = false\n\
            [[overrides.metrics]]\ntype = \"lines_of_code\"\nthreshold = 3000\n\n\
            [[overrides]]\npaths = [\"gen/keep/\"]\nmax_halstead_volume = 5000\n";
        let (_dir, settings) = settings(toml);
        let py = Language::Python;
        assert_eq!(
            limit(&settings, "gen/a/b.py", py, Metric::HalsteadVolume),
            None
        );
        assert_eq!(
            limit(&settings, "gen/a/b.py", py, Metric::MaintainabilityIndex),
            None
        );
        assert_eq!(
            limit(&settings, "gen/a/b.py", py, Metric::LinesOfCode),
            Some(3000.0)
        );
        assert_eq!(
            limit(&settings, "src/b.py", py, Metric::HalsteadVolume),
            Some(1000.0)
        );
        // A later entry can turn it back on.
        assert_eq!(
            limit(&settings, "gen/keep/b.py", py, Metric::HalsteadVolume),
            Some(5000.0)
        );
        let (limits, _) = settings.explain("gen/a/b.py", py);
        let volume = limits.iter().find(|l| l.metric == Metric::HalsteadVolume);
        assert_eq!(
            volume.map(|l| (l.threshold, l.source)),
            Some((None, LimitSource::Override(1)))
        );
    }

    #[test]
    fn the_command_line_beats_every_override() {
        let (_dir, mut settings) = settings(OVERLAPPING);
        settings.override_threshold(Metric::CyclomaticComplexity, 5.0);
        let cyc = Metric::CyclomaticComplexity;
        assert_eq!(
            limit(&settings, "legacy/core/b.py", Language::Python, cyc),
            Some(5.0)
        );
        assert_eq!(limit(&settings, "app.py", Language::Python, cyc), Some(5.0));
    }

    #[test]
    fn paths_are_relative_to_the_config_file() {
        // Config in `sub/`, paths named relative to the repository root.
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).expect("mkdir");
        let path = sub.join(".antipasta.toml");
        std::fs::write(
            &path,
            "[[overrides]]\npaths = [\"old/\"]\nmax_cyclomatic_complexity = 40\n",
        )
        .expect("write");
        let mut settings =
            Settings::resolve(load(&path).expect("parses"), Some(path)).expect("valid");
        settings.set_path_root(dir.path());
        let cyc = Metric::CyclomaticComplexity;
        assert_eq!(
            limit(&settings, "sub/old/a.py", Language::Python, cyc),
            Some(40.0)
        );
        assert_eq!(
            limit(&settings, "old/a.py", Language::Python, cyc),
            Some(10.0)
        );
    }

    #[test]
    fn bad_overrides_are_errors_naming_the_entry() {
        let resolve = |toml: &str| -> String {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join(".antipasta.toml");
            std::fs::write(&path, toml).expect("write");
            match load(&path) {
                Ok(file) => Settings::resolve(file, Some(path))
                    .map(|_| "valid".to_owned())
                    .unwrap_or_else(|e| e.to_string()),
                Err(e) => e.to_string(),
            }
        };
        let message = resolve("[[overrides]]\npaths = []\n");
        assert!(
            message.contains("overrides[1]: paths is empty"),
            "{message}"
        );
        let message = resolve("[[overrides]]\npaths = [\"a/\"]\nlanguage = \"cobol\"\n");
        assert!(message.contains("unknown language 'cobol'"), "{message}");
        let message = resolve("[[overrides]]\npaths = [\"a/\"]\ndisable = [\"nope\"]\n");
        assert!(
            message.contains("disable: unknown metric 'nope'"),
            "{message}"
        );
        let message = resolve("[[overrides]]\npaths = [\"a/\"]\nmax_cyclomatic_complexity = -1\n");
        assert!(
            message.contains("threshold for cyclomatic_complexity must not be negative, got -1"),
            "{message}"
        );
        let message = resolve("[[overrides]]\npaths = [\"a/\"]\nmax_cyclomatic_complexity = 1.5\n");
        assert!(message.contains("cyclomatic_complexity"), "{message}");
        let message = resolve("[[overrides]]\npaths = [\"a/\"]\nmax_bogus = 1\n");
        assert!(message.contains("max_bogus"), "{message}");
        let message = resolve("[gate]\nfile_metric_tolerance = -2\n");
        assert!(message.contains("gate.file_metric_tolerance"), "{message}");
        assert_eq!(resolve("[gate]\nfile_metric_tolerance = 0\n"), "valid");
    }
}
