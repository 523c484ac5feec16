//! Which files `check` looks at: ignore patterns with gitignore semantics,
//! `extend_ignore_patterns`, `--exclude`, `--extend-exclude`, `--include`,
//! `--force-exclude`.

use std::path::Path;
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

/// The paths `check` analysed (sorted), with `args` after `check --format json`.
fn analysed(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = antipasta(dir, &all);
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    });
    let mut paths: Vec<String> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_owned())
        .collect();
    paths.sort();
    paths
}

/// A repository with application code, migrations, tests and generated code.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    for file in [
        "app/models.py",
        "app/migrations/0001_initial.py",
        "app/tests/test_models.py",
        "gen/api.py",
        "web/static/app.js",
    ] {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let body = if file.ends_with(".js") {
            "function f() {\n  return 1;\n}\n"
        } else {
            "def f():\n    return 1\n"
        };
        std::fs::write(path, body).expect("write");
    }
    dir
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn defaults_exclude_tests_only() {
    let dir = tree();
    assert_eq!(
        analysed(dir.path(), &[]),
        strings(&[
            "app/migrations/0001_initial.py",
            "app/models.py",
            "gen/api.py",
            "web/static/app.js"
        ])
    );
}

#[test]
fn bare_directory_names_in_config_match_at_any_depth_in_yaml_and_toml() {
    for (name, text) in [
        (
            ".antipasta.yaml",
            "ignore_patterns: [migrations, \"static/\"]\n",
        ),
        (
            ".antipasta.toml",
            "ignore_patterns = [\"migrations\", \"static/\"]\n",
        ),
    ] {
        let dir = tree();
        std::fs::write(dir.path().join(name), text).expect("write");
        // Replacing the patterns brings the tests back, as in 1.x.
        assert_eq!(
            analysed(dir.path(), &[]),
            strings(&["app/models.py", "app/tests/test_models.py", "gen/api.py"]),
            "{name}"
        );
    }
}

#[test]
fn extend_ignore_patterns_adds_to_the_defaults() {
    let dir = tree();
    std::fs::write(
        dir.path().join(".antipasta.toml"),
        "extend_ignore_patterns = [\"migrations\"]\n",
    )
    .expect("write");
    assert_eq!(
        analysed(dir.path(), &[]),
        strings(&["app/models.py", "gen/api.py", "web/static/app.js"])
    );
}

#[test]
fn exclude_replaces_and_extend_exclude_adds() {
    let dir = tree();
    assert_eq!(
        analysed(dir.path(), &["--exclude", "gen", "--exclude", "*.js"]),
        strings(&[
            "app/migrations/0001_initial.py",
            "app/models.py",
            "app/tests/test_models.py"
        ])
    );
    assert_eq!(
        analysed(
            dir.path(),
            &["--extend-exclude", "gen/", "--extend-exclude", "migrations"]
        ),
        strings(&["app/models.py", "web/static/app.js"])
    );
    assert_eq!(analysed(dir.path(), &["--no-ignore-patterns"]).len(), 5);
}

#[test]
fn include_beats_the_ignore_patterns() {
    let dir = tree();
    assert_eq!(
        analysed(
            dir.path(),
            &["--extend-exclude", "app", "--include", "app/tests/*.py"]
        ),
        strings(&[
            "app/tests/test_models.py",
            "gen/api.py",
            "web/static/app.js"
        ])
    );
}

#[test]
fn named_files_are_analysed_unless_force_exclude() {
    let dir = tree();
    let named = ["app/tests/test_models.py", "app/models.py", "gen/api.py"];
    let mut args = vec!["--extend-exclude", "gen"];
    args.extend_from_slice(&named);
    assert_eq!(analysed(dir.path(), &args).len(), 3);
    let mut forced = vec!["--extend-exclude", "gen", "--force-exclude"];
    forced.extend_from_slice(&named);
    assert_eq!(analysed(dir.path(), &forced), strings(&["app/models.py"]));
}

#[test]
fn an_invalid_pattern_is_a_usage_error_naming_it() {
    let dir = tree();
    let output = antipasta(dir.path(), &["check", "--exclude", "a{b,c"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid pattern 'a{b,c'"), "{stderr}");
}

#[test]
fn verbose_names_the_configuration_and_unimplemented_blocks_warn_once() {
    let dir = tree();
    std::fs::write(
        dir.path().join(".antipasta.yaml"),
        "tree_shape:\n  fan_out_max: 7\nduplication: {}\n",
    )
    .expect("write");
    let output = antipasta(dir.path(), &["check", "-v"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("antipasta: configuration: "), "{stderr}");
    assert!(stderr.contains(".antipasta.yaml"), "{stderr}");
    assert_eq!(
        stderr
            .matches("not implemented here, not enforced: tree_shape, duplication")
            .count(),
        1,
        "{stderr}"
    );
}
