//! antipasta 1.x users: `config migrate` of 1.2's own files, `--pyproject`,
//! and the `metrics` command.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn antipasta(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("the antipasta binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The 1.x files: 1.2's README example and what its `config generate
/// --non-interactive` writes, copied unchanged.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/migrate")
        .join(name)
}

/// `config validate`'s list of limits (every line after the first, but
/// warnings): the resolved thresholds of every language.
fn limits(dir: &Path, file: &str) -> Vec<String> {
    let output = antipasta(dir, &["config", "validate", file]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
        .lines()
        .skip(1)
        .filter(|line| !line.contains("warning:"))
        .map(str::to_owned)
        .collect()
}

/// The migrated TOML resolves to the same limits, the same ignore
/// patterns and the same .gitignore switch as the YAML it came from.
fn assert_round_trip(name: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(fixture(name), dir.path().join(".antipasta.yaml")).expect("copy");
    let before = limits(dir.path(), ".antipasta.yaml");
    let output = antipasta(dir.path(), &["config", "migrate"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("wrote"),
        "{}",
        text(&output.stdout)
    );
    let after = limits(dir.path(), ".antipasta.toml");
    assert_eq!(before, after);
    assert!(!before.is_empty());
    let view = |file: &str| -> Vec<String> {
        let output = antipasta(dir.path(), &["config", "view", "--config", file]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout)
            .lines()
            .filter(|l| l.starts_with("ignore_patterns") || l.starts_with("use_gitignore"))
            .map(|l| l.split("  (").next().unwrap_or(l).to_owned())
            .collect()
    };
    assert_eq!(view(".antipasta.yaml"), view(".antipasta.toml"));
    // A second migration does not overwrite without --force.
    let again = antipasta(dir.path(), &["config", "migrate"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn migrate_round_trips_the_readme_example_of_1_2() {
    assert_round_trip("readme_example.yaml");
}

#[test]
fn migrate_round_trips_what_1_2_generates() {
    assert_round_trip("generated.yaml");
}

#[test]
fn migrate_round_trips_partial_lists_and_directory_ignores() {
    assert_round_trip("only_cyclomatic.yaml");
    assert_round_trip("directory_ignores.yaml");
}

#[test]
fn the_readme_example_keeps_1x_meaning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = fixture("readme_example.yaml");
    let limits = limits(dir.path(), config.to_str().expect("UTF-8 path"));
    // Python: the six listed; JavaScript and TypeScript: cyclomatic only,
    // as 1.x built them from `defaults`.
    assert_eq!(
        limits,
        [
            "  python cyclomatic_complexity <= 10",
            "  python cognitive_complexity <= 15",
            "  python maintainability_index >= 50",
            "  python halstead_volume <= 1000",
            "  python halstead_difficulty <= 10",
            "  python halstead_effort <= 10000",
            "  javascript cyclomatic_complexity <= 10",
            "  typescript cyclomatic_complexity <= 10",
            "  gate file_metric_tolerance 5 %",
        ]
    );
    let output = antipasta(
        dir.path(),
        &["config", "validate", config.to_str().expect("UTF-8")],
    );
    assert!(
        text(&output.stdout).contains("not implemented here, not enforced: profile"),
        "{}",
        text(&output.stdout)
    );
}

const PYPROJECT: &str = "[project]\nname = \"demo\"  # keep this comment\nversion = \"1.0\"\n\n[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = [ \"E\",\"F\" ]   # odd spacing stays\n\n[build-system]\nrequires = [\"hatchling\"]\n";

#[test]
fn migrate_into_pyproject_leaves_every_other_byte_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        fixture("generated.yaml"),
        dir.path().join(".antipasta.yaml"),
    )
    .expect("copy");
    std::fs::write(dir.path().join("pyproject.toml"), PYPROJECT).expect("write");
    let output = antipasta(dir.path(), &["config", "migrate", "--pyproject"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(dir.path().join("pyproject.toml")).expect("read");
    assert!(written.starts_with(PYPROJECT), "{written}");
    let added = &written[PYPROJECT.len()..];
    assert!(added.contains("[tool.antipasta]"), "{added}");
    assert!(added.contains("[[tool.antipasta.languages]]"), "{added}");
    assert!(!dir.path().join(".antipasta.toml").exists());
    // The section reads back to the same limits as the YAML.
    let from_yaml = limits(dir.path(), ".antipasta.yaml");
    let from_pyproject = limits(dir.path(), "pyproject.toml");
    assert_eq!(from_yaml, from_pyproject);
    // An existing section is kept unless --force.
    let again = antipasta(dir.path(), &["config", "migrate", "--pyproject"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("pyproject.toml")).expect("read"),
        written
    );
    let forced = antipasta(dir.path(), &["config", "migrate", "--pyproject", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let rewritten = std::fs::read_to_string(dir.path().join("pyproject.toml")).expect("read");
    assert!(rewritten.starts_with(PYPROJECT), "{rewritten}");
    assert_eq!(
        rewritten.matches("[tool.antipasta]").count(),
        1,
        "{rewritten}"
    );
}

#[test]
fn generate_non_interactive_writes_loadable_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = antipasta(dir.path(), &["config", "generate", "--non-interactive"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let limits = limits(dir.path(), ".antipasta.toml");
    assert_eq!(limits[0], "  python cyclomatic_complexity <= 10");
    assert_eq!(limits.len(), 6 + 2 + 2 + 1, "{limits:?}");
    let again = antipasta(dir.path(), &["config", "generate", "--non-interactive"]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn validate_without_a_file_shows_the_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    let output = antipasta(dir.path(), &["config", "validate"]);
    let shown = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(shown.contains("built-in defaults apply"), "{shown}");
    assert!(
        shown.contains("  python maintainability_index >= 50"),
        "{shown}"
    );
    assert!(
        shown.contains("  javascript cognitive_complexity <= 15"),
        "{shown}"
    );
    assert!(shown.contains("**/tests/**"), "{shown}");
}

const BRANCHY: &str = "def branchy(a, b, c, d):\n    if a and b:\n        return 1\n    elif c or d:\n        return 2\n    elif a:\n        return 3\n    return 4\n";

#[test]
fn metrics_runs_check_with_a_note_and_the_new_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    std::fs::create_dir(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("src/m.py"), BRANCHY).expect("write");
    std::fs::write(dir.path().join("other.py"), BRANCHY).expect("write");
    let output = antipasta(
        dir.path(),
        &[
            "metrics", "-d", "src", "-t", "cyc=3", "--format", "json", "-q",
        ],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("running `antipasta check --quiet --format json --threshold cyc=3 -- src`"),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(doc["violations"][0]["path"], "src/m.py");
    assert_eq!(doc["violations"].as_array().map(Vec::len), Some(1));
    let clean = antipasta(dir.path(), &["metrics", "-f", "src/m.py", "-t", "cyc=20"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stderr));
}

#[test]
fn generate_asks_on_a_terminal() {
    // util-linux `script` gives the command a pseudo-terminal.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) not found");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let command = format!("{} config generate", env!("CARGO_BIN_EXE_antipasta"));
    let mut child = Command::new("script")
        .args(["-qc", &command, "/dev/null"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(b"8\n\n\n\n\n\nn\nvendor, gen/\n")
            .expect("answers");
    }
    let output = child.wait_with_output().expect("script ends");
    let shown = text(&output.stdout);
    assert!(
        shown.contains("Maximum cyclomatic complexity per function [10]: "),
        "{shown}"
    );
    let written = std::fs::read_to_string(dir.path().join(".antipasta.toml")).expect("written");
    assert!(
        written.contains("max_cyclomatic_complexity = 8\n"),
        "{written}"
    );
    assert!(
        written.contains("extend_ignore_patterns = [\"vendor\", \"gen/\"]\n"),
        "{written}"
    );
    assert!(written.contains("use_gitignore = false\n"), "{written}");
}
