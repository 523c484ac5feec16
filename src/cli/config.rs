//! `antipasta config validate [FILE]`, `config explain PATH`, `config view`,
//! `config migrate` (1.x YAML to TOML) and `config generate`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::selection::SelectionOptions;
use super::Outcome;
use crate::config::metric::Metric;
use crate::config::overrides::{Change, LimitSource};
use crate::config::{discover, load, migrate, settings_for, ConfigFile, Settings};
use crate::gate::format_value;
use crate::model::Language;
use crate::paths::normalize;
use crate::source::walk::{display_path, repository_root};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check a configuration file (default: the one `check` would use).
    Validate {
        /// The file to validate.
        file: Option<PathBuf>,
    },
    /// Print the effective limits for a file and where each came from
    /// (built-in default, [defaults], [[languages]], [[overrides]] #N).
    Explain {
        /// The file (it need not exist; its extension gives the language).
        path: PathBuf,
        /// Use this configuration file instead of searching for one.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Print the effective settings and where each came from (built-in
    /// default, the configuration file, the command line).
    View {
        /// Use this configuration file instead of searching for one.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Override a threshold, as `check -t` does: METRIC=VALUE.
        #[arg(short = 't', long = "threshold", value_name = "METRIC=VALUE", value_parser = super::options::parse_threshold)]
        thresholds: Vec<(Metric, f64)>,
        #[command(flatten)]
        selection: SelectionOptions,
    },
    /// Rewrite an antipasta 1.x .antipasta.yaml as the equivalent
    /// .antipasta.toml (or [tool.antipasta] in pyproject.toml).
    Migrate {
        /// The 1.x file (default: .antipasta.yaml or .antipasta.yml here).
        file: Option<PathBuf>,
        /// Write [tool.antipasta] into pyproject.toml beside it, leaving
        /// the rest of that file byte for byte as it was.
        #[arg(long)]
        pyproject: bool,
        /// Replace an existing .antipasta.toml or [tool.antipasta].
        #[arg(long)]
        force: bool,
    },
    /// Write a new .antipasta.toml: asks for each limit on a terminal,
    /// writes the defaults otherwise.
    Generate {
        /// Where to write.
        #[arg(short, long, default_value = ".antipasta.toml")]
        output: PathBuf,
        /// Never ask; write the defaults.
        #[arg(long)]
        non_interactive: bool,
        /// Replace an existing file without asking.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(
    command: &ConfigCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    match command {
        ConfigCommand::Validate { file } => validate(file.as_deref(), &cwd, out),
        ConfigCommand::Explain { path, config } => explain(path, config.as_deref(), &cwd, out),
        ConfigCommand::View {
            config,
            thresholds,
            selection,
        } => {
            let mut settings = settings_for(config.as_deref(), &cwd).map_err(|e| e.to_string())?;
            for (metric, value) in thresholds {
                settings.override_threshold(*metric, *value);
            }
            let file_patterns = settings.ignore_patterns.clone();
            selection.apply(&mut settings)?;
            view(&settings, &file_patterns, out);
            Ok(Outcome::Clean)
        }
        ConfigCommand::Migrate {
            file,
            pyproject,
            force,
        } => migrate_file(file.as_deref(), *pyproject, *force, &cwd, out),
        ConfigCommand::Generate {
            output,
            non_interactive,
            force,
        } => {
            let interactive = !non_interactive && std::io::stdin().is_terminal();
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            generate(output, interactive, *force, &mut input, out, err)
        }
    }
}

fn validate(file: Option<&Path>, cwd: &Path, out: &mut dyn Write) -> Result<Outcome, String> {
    let path = match file {
        Some(path) => path.to_path_buf(),
        None => match discover(cwd).map_err(|e| e.to_string())? {
            Some(path) => path,
            None => {
                let _ = writeln!(
                    out,
                    "No configuration file found; the built-in defaults apply:"
                );
                let settings =
                    Settings::resolve(ConfigFile::default(), None).map_err(|e| e.to_string())?;
                print_thresholds(&settings, out);
                let _ = writeln!(
                    out,
                    "  ignore_patterns {}",
                    settings.ignore_patterns.join(" ")
                );
                return Ok(Outcome::Clean);
            }
        },
    };
    let parsed = load(&path).map_err(|e| e.to_string())?;
    let settings = Settings::resolve(parsed, Some(path.clone())).map_err(|e| e.to_string())?;
    let _ = writeln!(out, "{}: valid", path.display());
    for warning in &settings.warnings {
        let _ = writeln!(out, "  warning: {warning}");
    }
    print_thresholds(&settings, out);
    for entry in settings.overrides.entries() {
        let language = entry
            .language
            .map(|l| format!(" ({})", l.name()))
            .unwrap_or_default();
        let changes: Vec<String> = entry
            .changes
            .iter()
            .map(|change| match change {
                Change::Set(t) => format!("{} {} {}", t.metric, t.comparison.symbol(), t.value),
                Change::Disable(metric) => format!("{metric} disabled"),
            })
            .collect();
        let _ = writeln!(
            out,
            "  overrides #{} {:?}{language}: {}",
            entry.number,
            entry.paths,
            changes.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "  gate file_metric_tolerance {} %",
        settings.gate.file_metric_tolerance
    );
    Ok(Outcome::Clean)
}

fn explain(
    path: &Path,
    config: Option<&Path>,
    cwd: &Path,
    out: &mut dyn Write,
) -> Result<Outcome, String> {
    let language = Language::from_path(path).ok_or_else(|| {
        format!(
            "{}: not a file antipasta analyses (.py .pyi .js .mjs .cjs .jsx .ts .mts .cts .tsx)",
            path.display()
        )
    })?;
    let mut settings = settings_for(config, cwd).map_err(|e| e.to_string())?;
    let root = repository_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
    settings.set_path_root(&root);
    let display = display_path(&normalize(&cwd.join(path)), &root);
    let origin = settings.source.as_ref().map_or_else(
        || "no configuration file: built-in defaults".to_owned(),
        |source| format!("configuration {}", source.display()),
    );
    let _ = writeln!(out, "{} ({}), {origin}", display, language.name());
    if settings.ignore.is_match(&display) {
        let _ = writeln!(
            out,
            "  ignored by ignore_patterns: not analysed unless named"
        );
    }
    let (limits, matched) = settings.explain(&display, language);
    let matched: Vec<String> = matched.iter().map(|n| format!("#{n}")).collect();
    let _ = writeln!(
        out,
        "  matching overrides: {}",
        if matched.is_empty() {
            "none".to_owned()
        } else {
            matched.join(", ")
        }
    );
    for limit in limits {
        let value = match limit.threshold {
            Some(t) => format!("{} {}", t.comparison.symbol(), format_value(t.value)),
            None => "not checked".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:<22} {value:<12} {}",
            limit.metric.name(),
            limit.source
        );
    }
    Ok(Outcome::Clean)
}

fn print_thresholds(settings: &Settings, out: &mut dyn Write) {
    for (language, thresholds) in &settings.thresholds {
        for t in thresholds {
            let _ = writeln!(
                out,
                "  {} {} {} {}",
                language.name(),
                t.metric,
                t.comparison.symbol(),
                t.value
            );
        }
    }
}

/// `config view`: every setting, and where it came from.
fn view(settings: &Settings, file_patterns: &[String], out: &mut dyn Write) {
    let file = settings.source.as_ref().map(|p| p.display().to_string());
    let from_file = |configured: bool| match (&file, configured) {
        (Some(file), true) => file.clone(),
        _ => "built-in default".to_owned(),
    };
    let _ = writeln!(
        out,
        "configuration: {}",
        file.clone()
            .unwrap_or_else(|| "none (built-in defaults)".to_owned())
    );
    for warning in &settings.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    for language in settings.thresholds.keys() {
        let _ = writeln!(out, "[{}]", language.name());
        let (limits, _) = settings.explain("", *language);
        for limit in limits {
            if limit.threshold.is_none() && limit.source == LimitSource::BuiltIn {
                continue;
            }
            let shown = match limit.threshold {
                Some(t) => format!(
                    "{} {}",
                    t.comparison.symbol(),
                    crate::gate::format_value(t.value)
                ),
                None => "not checked".to_owned(),
            };
            let source = match limit.source {
                LimitSource::BuiltIn => "built-in default".to_owned(),
                LimitSource::CommandLine => "command line (-t)".to_owned(),
                other => format!("{} {other}", file.as_deref().unwrap_or("")),
            };
            let _ = writeln!(out, "  {:<22} {shown:<12} {source}", limit.metric.name());
        }
    }
    let patterns_source = if settings.ignore_patterns.as_slice() != file_patterns {
        "command line".to_owned()
    } else {
        from_file(
            settings.ignore_patterns.as_slice()
                != crate::config::default_ignore_patterns().as_slice(),
        )
    };
    let _ = writeln!(
        out,
        "ignore_patterns: {}  ({patterns_source})",
        settings.ignore_patterns.join(" ")
    );
    if !settings.include_patterns.is_empty() {
        let _ = writeln!(
            out,
            "include: {}  (command line)",
            settings.include_patterns.join(" ")
        );
    }
    let _ = writeln!(out, "use_gitignore: {}", settings.use_gitignore);
    let _ = writeln!(out, "max_file_size: {} bytes", settings.max_file_size);
    let _ = writeln!(
        out,
        "cache: {} (max {} days, {} MB)",
        if settings.cache.enabled { "on" } else { "off" },
        settings.cache.max_age_days,
        settings.cache.max_size_mb
    );
    let _ = writeln!(
        out,
        "gate file_metric_tolerance: {} %",
        settings.gate.file_metric_tolerance
    );
    let _ = writeln!(out, "overrides: {}", settings.overrides.entries().len());
}

/// `config migrate`: the 1.x YAML as `.antipasta.toml` or `[tool.antipasta]`.
fn migrate_file(
    file: Option<&Path>,
    pyproject: bool,
    force: bool,
    cwd: &Path,
    out: &mut dyn Write,
) -> Result<Outcome, String> {
    let source = match file {
        Some(path) => path.to_path_buf(),
        None => [".antipasta.yaml", ".antipasta.yml"]
            .iter()
            .map(|name| cwd.join(name))
            .find(|path| path.is_file())
            .ok_or("no .antipasta.yaml or .antipasta.yml here (name the file to migrate)")?,
    };
    let migration = migrate::from_yaml(&source).map_err(|e| e.to_string())?;
    let dir = source
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let source_name = source
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let (target, text) = if pyproject {
        let target = dir.join("pyproject.toml");
        let existing = match std::fs::read_to_string(&target) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("{}: {e}", target.display())),
        };
        (target, migration.into_pyproject(&existing, force)?)
    } else {
        let target = dir.join(".antipasta.toml");
        if target.exists() && !force {
            return Err(format!("{} exists (--force replaces it)", target.display()));
        }
        (target, migration.standalone(&source_name))
    };
    write_new(&target, &text)?;
    let _ = writeln!(out, "wrote {} from {}", target.display(), source.display());
    if !migration.dropped.is_empty() {
        let _ = writeln!(
            out,
            "left out (1.x analyses antipasta does not run): {}",
            migration.dropped.join(", ")
        );
    }
    let _ = if pyproject {
        writeln!(
            out,
            "[tool.antipasta] is read once {} is removed (it comes first)",
            source.display()
        )
    } else {
        writeln!(
            out,
            "{} is no longer read (.antipasta.toml beside it comes first); remove it when done",
            source.display()
        )
    };
    Ok(Outcome::Clean)
}

/// Writes `text` to `path` through a temporary file beside it, never
/// through a symbolic link at `path`.
fn write_new(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{}: a symbolic link; not written through",
            path.display()
        ));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temporary =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    temporary
        .write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    temporary
        .persist(path)
        .map_err(|e| format!("{}: {}", path.display(), e.error))?;
    Ok(())
}

/// The answers `config generate` asks for, with their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    pub cyclomatic: f64,
    pub cognitive: f64,
    pub maintainability: f64,
    pub volume: f64,
    pub difficulty: f64,
    pub effort: f64,
    pub use_gitignore: bool,
    pub extra_ignores: Vec<String>,
}

impl Default for Answers {
    fn default() -> Answers {
        Answers {
            cyclomatic: 10.0,
            cognitive: 15.0,
            maintainability: 50.0,
            volume: 1000.0,
            difficulty: 10.0,
            effort: 10000.0,
            use_gitignore: true,
            extra_ignores: Vec::new(),
        }
    }
}

/// Asks each question on `out`, reading answers from `input`; an empty
/// answer keeps the default, an invalid one is asked again.
pub fn ask(input: &mut dyn BufRead, out: &mut dyn Write) -> Result<Answers, String> {
    let mut answers = Answers::default();
    let limits: [(&str, Metric, &mut f64); 6] = [
        (
            "Maximum cyclomatic complexity per function",
            Metric::CyclomaticComplexity,
            &mut answers.cyclomatic,
        ),
        (
            "Maximum cognitive complexity per function",
            Metric::CognitiveComplexity,
            &mut answers.cognitive,
        ),
        (
            "Minimum maintainability index per file (Python)",
            Metric::MaintainabilityIndex,
            &mut answers.maintainability,
        ),
        (
            "Maximum Halstead volume per file (Python)",
            Metric::HalsteadVolume,
            &mut answers.volume,
        ),
        (
            "Maximum Halstead difficulty per file (Python)",
            Metric::HalsteadDifficulty,
            &mut answers.difficulty,
        ),
        (
            "Maximum Halstead effort per file (Python)",
            Metric::HalsteadEffort,
            &mut answers.effort,
        ),
    ];
    for (question, metric, slot) in limits {
        loop {
            let answer = prompt(
                input,
                out,
                &format!("{question} [{}]: ", crate::gate::format_value(*slot)),
            )?;
            if answer.is_empty() {
                break;
            }
            match answer
                .parse::<f64>()
                .map_err(|e| e.to_string())
                .and_then(|v| metric.check_threshold(v).map_err(|e| e.to_string()))
            {
                Ok(value) => {
                    *slot = value;
                    break;
                }
                Err(problem) => {
                    let _ = writeln!(out, "  {problem}");
                }
            }
        }
    }
    loop {
        let answer = prompt(input, out, "Also skip what .gitignore ignores? [Y/n]: ")?;
        match answer.to_ascii_lowercase().as_str() {
            "" | "y" | "yes" => break,
            "n" | "no" => {
                answers.use_gitignore = false;
                break;
            }
            _ => {
                let _ = writeln!(out, "  answer y or n");
            }
        }
    }
    let answer = prompt(
        input,
        out,
        "Extra ignore patterns, gitignore-style, comma-separated (added to the defaults) []: ",
    )?;
    answers.extra_ignores = answer
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(answers)
}

fn prompt(input: &mut dyn BufRead, out: &mut dyn Write, question: &str) -> Result<String, String> {
    let _ = write!(out, "{question}");
    let _ = out.flush();
    let mut line = String::new();
    let read = input
        .read_line(&mut line)
        .map_err(|e| format!("reading the answer: {e}"))?;
    if read == 0 {
        return Err("input ended before every question was answered".to_owned());
    }
    Ok(line.trim().to_owned())
}

/// The `.antipasta.toml` that `config generate` writes for `answers`.
pub fn generated_text(answers: &Answers) -> String {
    let value = crate::gate::format_value;
    let quoted: Vec<String> = answers
        .extra_ignores
        .iter()
        .map(|p| toml_edit::Value::from(p.as_str()).to_string())
        .collect();
    format!(
        "# antipasta configuration (written by `antipasta config generate`).\n\
         # Every key: see the README's Configuration section.\n\n\
         # Added to the default ignore patterns (tests, node_modules).\n\
         extend_ignore_patterns = [{}]\n\
         use_gitignore = {}\n\n\
         # Per-function limits, for every language.\n\
         [defaults]\n\
         max_cyclomatic_complexity = {}\n\
         max_cognitive_complexity = {}\n\n\
         # File-level limits, calibrated on radon's Python numbers.\n\
         [[languages]]\n\
         name = \"python\"\n\
         metrics = [\n\
         \x20 {{ type = \"maintainability_index\", threshold = {}, comparison = \">=\" }},\n\
         \x20 {{ type = \"halstead_volume\", threshold = {} }},\n\
         \x20 {{ type = \"halstead_difficulty\", threshold = {} }},\n\
         \x20 {{ type = \"halstead_effort\", threshold = {} }},\n\
         ]\n",
        quoted.join(", "),
        answers.use_gitignore,
        value(answers.cyclomatic),
        value(answers.cognitive),
        value(answers.maintainability),
        value(answers.volume),
        value(answers.difficulty),
        value(answers.effort),
    )
}

fn generate(
    output: &Path,
    interactive: bool,
    force: bool,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, String> {
    if output.exists() && !force {
        if !interactive {
            return Err(format!("{} exists (--force replaces it)", output.display()));
        }
        let answer = prompt(
            input,
            err,
            &format!("{} exists. Overwrite? [y/N]: ", output.display()),
        )?;
        if !matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes") {
            let _ = writeln!(err, "Aborted.");
            return Ok(Outcome::Clean);
        }
    }
    let answers = if interactive {
        ask(input, err)?
    } else {
        Answers::default()
    };
    let text = generated_text(&answers);
    // What is written must load: the answers were checked one by one.
    let parsed: ConfigFile =
        toml::from_str(&text).map_err(|e| format!("internal: generated TOML: {e}"))?;
    Settings::resolve(parsed, None).map_err(|e| e.to_string())?;
    write_new(output, &text)?;
    let _ = writeln!(out, "wrote {}", output.display());
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_replace_defaults_and_bad_answers_are_asked_again() {
        let mut input = std::io::Cursor::new("7\n1.5\n12\n\n\n\n\nmaybe\nn\nbuild, gen/\n");
        let mut shown = Vec::new();
        let answers = ask(&mut input, &mut shown).expect("answers");
        assert_eq!(
            answers,
            Answers {
                cyclomatic: 7.0,
                cognitive: 12.0,
                use_gitignore: false,
                extra_ignores: vec!["build".to_owned(), "gen/".to_owned()],
                ..Answers::default()
            }
        );
        let shown = String::from_utf8(shown).expect("utf-8");
        assert!(shown.contains("whole number"), "{shown}");
        assert!(shown.contains("answer y or n"), "{shown}");
    }

    #[test]
    fn the_generated_file_loads_with_the_answers() {
        let answers = Answers {
            cyclomatic: 8.0,
            extra_ignores: vec!["vendor".to_owned(), "a\"b".to_owned()],
            ..Answers::default()
        };
        let parsed: ConfigFile = toml::from_str(&generated_text(&answers)).expect("valid TOML");
        let settings = Settings::resolve(parsed, None).expect("valid settings");
        let python = settings.thresholds_for(crate::model::Language::Python);
        assert_eq!(python.len(), 6);
        assert_eq!(python[0].value, 8.0);
        assert!(settings.ignore.is_match("x/vendor/y.py"));
        assert!(settings.ignore.is_match("tests/y.py"));
    }

    #[test]
    fn input_that_ends_early_is_an_error() {
        let mut input = std::io::Cursor::new("7\n");
        assert!(ask(&mut input, &mut Vec::new()).is_err());
    }
}
