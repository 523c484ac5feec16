//! The commit gate: the plain hook `antipasta hook install` writes judges
//! what the commit changes (`check --staged`, function by function against
//! HEAD), `--strict` judges whole files, and naming unchanged files audits
//! them whole. Real `git commit` runs in temporary repositories.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output};

/// `legacy` has cyclomatic complexity 12 (limit 10): over the limit
/// before any commit judged here.
fn busy(name: &str, branches: usize) -> String {
    let mut source = format!("def {name}(x):\n");
    for i in 0..branches {
        source.push_str(&format!("    if x == {i}:\n        return {i}\n"));
    }
    source.push_str("    return -1\n");
    source
}

/// Thirty arithmetic functions: a file whose maintainability index (about
/// 25) is under the limit of 50, as are its Halstead volume and effort.
fn arithmetic(edited: Option<usize>) -> String {
    let mut source = String::new();
    for i in 0..30 {
        let tail = if edited == Some(i) { " + 1" } else { "" };
        source.push_str(&format!(
            "def step_{i}(a, b, c):\n    total = a * {i} + b * c - (a - b) / (c + {})\n    return total % {} + a ** 2 - b // (c or 1){tail}\n\n\n",
            i + 1,
            i + 7
        ));
    }
    source
}

/// The legacy file: the over-limit `legacy` function and the arithmetic,
/// with `extra` appended.
fn legacy_file(legacy_branches: usize, edited: Option<usize>, extra: &str) -> String {
    format!(
        "{}\n\n{}{extra}",
        busy("legacy", legacy_branches),
        arithmetic(edited)
    )
}

const SMALL: &str = "def helper(a):\n    return a\n";

/// PATH with the built antipasta first.
fn path_with_antipasta() -> OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_antipasta"))
        .parent()
        .expect("the binary has a directory")
        .to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest)))
        .expect("joinable PATH")
}

fn command(program: &str, dir: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .env("PATH", path_with_antipasta())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("ANTIPASTA_NO_CACHE", "1")
        .env("NO_COLOR", "1");
    command
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = command("git", dir).args(args).output().expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
    output
}

fn antipasta(dir: &Path, args: &[&str]) -> Output {
    command(env!("CARGO_BIN_EXE_antipasta"), dir)
        .args(args)
        .output()
        .expect("antipasta runs")
}

/// stdout and stderr together (git sends hook output to stderr).
fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn commits(dir: &Path) -> usize {
    let log = git(dir, &["rev-list", "--count", "HEAD"]);
    String::from_utf8_lossy(&log.stdout)
        .trim()
        .parse()
        .expect("a count")
}

/// A repository whose first commit (made past the hook) holds the legacy
/// file, with antipasta's hook installed (`hook install` plus `extra` flags).
fn legacy_repo(install: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(dir.path().join("legacy.py"), legacy_file(11, None, "")).expect("write");
    git(dir.path(), &["add", "legacy.py"]);
    git(dir.path(), &["commit", "-qm", "legacy"]);
    let output = antipasta(dir.path(), &[&["hook", "install"][..], install].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    dir
}

/// Writes the legacy file as `source`, stages it and commits through the hook.
fn commit_legacy(dir: &Path, source: &str) -> Output {
    std::fs::write(dir.join("legacy.py"), source).expect("write");
    git(dir, &["add", "legacy.py"]);
    command("git", dir)
        .args(["commit", "-qm", "change"])
        .output()
        .expect("git runs")
}

#[test]
fn the_legacy_file_is_over_its_limits_to_begin_with() {
    let dir = legacy_repo(&[]);
    let output = antipasta(dir.path(), &["check", "-q", "legacy.py"]);
    assert_eq!(output.status.code(), Some(1));
    let report = text(&output);
    assert!(
        report.contains("legacy.py:1:1: cyclomatic_complexity 12 (limit <= 10) in legacy\n"),
        "{report}"
    );
    assert!(
        report.contains("legacy.py:1:1: maintainability_index 2"),
        "{report}"
    );
}

#[test]
fn a_commit_editing_another_function_of_the_legacy_file_passes() {
    // (a)
    let dir = legacy_repo(&[]);
    let output = commit_legacy(dir.path(), &legacy_file(11, Some(3), ""));
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(commits(dir.path()), 2);
    let report = text(&output);
    assert!(report.contains("modified step_3"), "{report}");
    assert!(!report.contains("in legacy"), "untouched: {report}");
    assert!(
        report.contains("maintainability_index") && report.contains("[existing]"),
        "the file's existing violations are shown as such: {report}"
    );
}

#[test]
fn a_commit_making_the_legacy_function_worse_fails_with_old_and_new_value() {
    // (b)
    let dir = legacy_repo(&[]);
    let output = commit_legacy(dir.path(), &legacy_file(12, None, ""));
    assert!(!output.status.success(), "{}", text(&output));
    assert_eq!(commits(dir.path()), 1);
    let report = text(&output);
    assert!(
        report.contains(
            "legacy.py:1:1: cyclomatic_complexity 13 (limit <= 10) in legacy [worsened from 12]"
        ),
        "{report}"
    );
    assert!(
        report.contains("modified legacy line 1: cyclomatic_complexity 12 → 13 (+1)"),
        "{report}"
    );
}

#[test]
fn a_commit_adding_an_over_limit_function_fails() {
    // (c)
    let dir = legacy_repo(&[]);
    let extra = format!("\n\n{}", busy("fresh", 11));
    let output = commit_legacy(dir.path(), &legacy_file(11, None, &extra));
    assert!(!output.status.success(), "{}", text(&output));
    assert_eq!(commits(dir.path()), 1);
    let report = text(&output);
    assert!(
        report.contains("cyclomatic_complexity 12 (limit <= 10) in fresh [new]"),
        "{report}"
    );
    assert!(!report.contains("in legacy ["), "{report}");
}

#[test]
fn a_commit_adding_a_small_function_to_the_low_mi_file_passes() {
    // (d): the file's maintainability index, volume and effort move within
    // the default tolerance.
    let dir = legacy_repo(&[]);
    let extra = format!("\n\n{SMALL}");
    let output = commit_legacy(dir.path(), &legacy_file(11, None, &extra));
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("added    helper"),
        "{}",
        text(&output)
    );
    assert_eq!(commits(dir.path()), 2);
}

#[test]
fn with_no_tolerance_the_same_small_addition_worsens_the_file() {
    let dir = legacy_repo(&[]);
    std::fs::write(
        dir.path().join(".antipasta.toml"),
        "[gate]\nfile_metric_tolerance = 0\n",
    )
    .expect("write");
    let extra = format!("\n\n{SMALL}");
    let output = commit_legacy(dir.path(), &legacy_file(11, None, &extra));
    assert!(!output.status.success(), "{}", text(&output));
    let report = text(&output);
    assert!(
        report.contains("halstead_volume") && report.contains("[worsened from "),
        "{report}"
    );
}

#[test]
fn naming_the_unchanged_files_audits_them_whole() {
    // (e): what `pre-commit run --all-files` does.
    let dir = legacy_repo(&[]);
    let output = antipasta(dir.path(), &["check", "--staged", "legacy.py"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    assert!(
        report.contains("legacy.py:1:1: cyclomatic_complexity 12 (limit <= 10) in legacy\n"),
        "{report}"
    );
    // With a changed file beside it, each is judged its own way.
    std::fs::write(dir.path().join("new.py"), SMALL).expect("write");
    git(dir.path(), &["add", "new.py"]);
    let output = antipasta(dir.path(), &["check", "--staged", "legacy.py", "new.py"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    assert!(
        report.contains("legacy.py (unchanged by this change: judged whole)"),
        "{report}"
    );
    assert!(
        report.contains("cyclomatic_complexity 12 (limit <= 10) in legacy\n"),
        "{report}"
    );
    assert!(report.contains("new.py (added)"), "{report}");
}

#[test]
fn the_strict_hook_fails_on_an_edit_of_another_function() {
    // (f)
    let dir = legacy_repo(&["--strict"]);
    let hook = std::fs::read_to_string(dir.path().join(".git/hooks/pre-commit")).expect("read");
    assert!(
        hook.contains("\nexec antipasta check --staged --fail-on any\n"),
        "{hook}"
    );
    let output = commit_legacy(dir.path(), &legacy_file(11, Some(3), ""));
    assert!(!output.status.success(), "{}", text(&output));
    assert_eq!(commits(dir.path()), 1);
    assert!(
        text(&output).contains("cyclomatic_complexity 12 (limit <= 10) in legacy\n"),
        "{}",
        text(&output)
    );
    // Installing without --strict brings the change gate back.
    let output = antipasta(dir.path(), &["hook", "install"]);
    assert!(text(&output).contains("updated"), "{}", text(&output));
    let output = command("git", dir.path())
        .args(["commit", "-qm", "change"])
        .output()
        .expect("git runs");
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn quiet_counts_the_existing_violations() {
    let dir = legacy_repo(&[]);
    std::fs::write(dir.path().join("legacy.py"), legacy_file(11, Some(3), "")).expect("write");
    git(dir.path(), &["add", "legacy.py"]);
    let output = antipasta(dir.path(), &["check", "--staged", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "3 existing violations in changed code, not failing (listed without -q)\n"
    );
}

#[test]
fn fail_on_new_lets_a_worsened_function_pass() {
    let dir = legacy_repo(&[]);
    std::fs::write(dir.path().join("legacy.py"), legacy_file(12, None, "")).expect("write");
    git(dir.path(), &["add", "legacy.py"]);
    let output = antipasta(dir.path(), &["check", "--staged", "--fail-on", "new"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("[worsened from 12]"),
        "{}",
        text(&output)
    );
    let output = antipasta(dir.path(), &["check", "--staged", "--fail-on", "worsened"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
}

#[test]
fn on_an_unborn_head_everything_is_new() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(dir.path().join("legacy.py"), legacy_file(11, None, "")).expect("write");
    git(dir.path(), &["add", "legacy.py"]);
    let output = antipasta(dir.path(), &["check", "--staged", "-q"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        report.contains("cyclomatic_complexity 12 (limit <= 10) in legacy [new]"),
        "{report}"
    );
    assert!(
        report.contains("maintainability_index") && !report.contains("existing"),
        "{report}"
    );
}

#[test]
fn fail_on_needs_staged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = antipasta(dir.path(), &["check", "--fail-on", "any", "."]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("--staged"), "{}", text(&output));
}
