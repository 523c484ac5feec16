//! `antipasta check --staged` against real repositories built with the git CLI.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::{git, snapshot};

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

fn check(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .arg("check")
        .arg("--staged")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("antipasta runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const SIMPLE: &str = "def f(a):\n    return a\n";
const BRANCHY: &str = "def f(a, b):\n    if a and b:\n        return a\n    return b\n";

#[test]
fn first_commit_on_unborn_head_is_judged() {
    let dir = repo();
    std::fs::write(dir.path().join("a.py"), BRANCHY).expect("write");
    git(dir.path(), &["add", "a.py"]);
    let output = check(dir.path(), &["-t", "cyc=2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("a.py:1:1: cyclomatic_complexity 3 (limit <= 2) in f"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_staged_extension_less_python_script_is_judged() {
    let dir = repo();
    let script = format!("#!/usr/bin/env python3\n{BRANCHY}");
    std::fs::write(dir.path().join("tool"), script).expect("write");
    std::fs::write(dir.path().join("run"), "#!/bin/sh\nexit 0\n").expect("write");
    git(dir.path(), &["add", "tool", "run"]);
    let output = check(dir.path(), &["-t", "cyc=2"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("tool:2:1: cyclomatic_complexity 3 (limit <= 2) in f"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn staged_content_is_judged_not_the_worktree_in_both_directions() {
    let dir = repo();
    std::fs::write(dir.path().join("a.py"), SIMPLE).expect("write");
    git(dir.path(), &["add", "a.py"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    // Complex in the worktree only: the staged (simple) version passes... but it equals HEAD, so nothing is staged.
    std::fs::write(dir.path().join("a.py"), BRANCHY).expect("write");
    let output = check(dir.path(), &["-t", "cyc=2", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("\"files\": []"),
        "{}",
        stdout(&output)
    );
    // Complex staged, simple (different) in the worktree: the staged version fails.
    git(dir.path(), &["add", "a.py"]);
    std::fs::write(dir.path().join("a.py"), "def f(a):\n    return a + 1\n").expect("write");
    let output = check(dir.path(), &["-t", "cyc=2"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    // Simple staged, complex in the worktree: passes.
    std::fs::write(dir.path().join("a.py"), "def f(a):\n    return a - 1\n").expect("write");
    git(dir.path(), &["add", "a.py"]);
    std::fs::write(dir.path().join("a.py"), BRANCHY).expect("write");
    let output = check(dir.path(), &["-t", "cyc=2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn deletions_and_intent_to_add_are_skipped_and_paths_restrict() {
    let dir = repo();
    std::fs::write(dir.path().join("gone.py"), BRANCHY).expect("write");
    std::fs::write(dir.path().join("kept.py"), SIMPLE).expect("write");
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "init"]);
    git(dir.path(), &["rm", "-q", "gone.py"]);
    std::fs::write(dir.path().join("later.py"), BRANCHY).expect("write");
    git(dir.path(), &["add", "-N", "later.py"]);
    std::fs::create_dir(dir.path().join("sub dir")).expect("mkdir");
    std::fs::write(dir.path().join("sub dir/ünï.py"), BRANCHY).expect("write");
    std::fs::write(dir.path().join("other.py"), BRANCHY).expect("write");
    git(dir.path(), &["add", "sub dir", "other.py"]);
    // Judged whole (`--fail-on any`), every listed file shows its violation:
    // the judgement by change would see other.py as gone.py renamed, unchanged.
    let whole = ["-t", "cyc=2", "-q", "--fail-on", "any"];
    let output = check(dir.path(), &whole);
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("other.py:1:1"), "{text}");
    assert!(text.contains("sub dir/ünï.py:1:1"), "{text}");
    let output = check(dir.path(), &[&whole[..], &["sub dir"]].concat());
    assert_eq!(stdout(&output).lines().count(), 1);
    let output = check(&dir.path().join("sub dir"), &[&whole[..], &["."]].concat());
    assert_eq!(stdout(&output).lines().count(), 1, "{}", stdout(&output));
    // Judged by change: the rename carries no new violation, the new file does.
    let output = check(dir.path(), &["-t", "cyc=2", "-q"]);
    let text = stdout(&output);
    assert_eq!(
        text, "sub dir/ünï.py:1:1: cyclomatic_complexity 3 (limit <= 2) in f [new]\n",
        "{text}"
    );
}

#[test]
fn a_file_named_exactly_is_judged_as_staged_even_when_unchanged() {
    // `pre-commit run --all-files` names every file, staged changes or not.
    let dir = repo();
    std::fs::write(dir.path().join("old.py"), BRANCHY).expect("write");
    std::fs::create_dir(dir.path().join("pkg")).expect("mkdir");
    std::fs::write(dir.path().join("pkg/inner.py"), BRANCHY).expect("write");
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "init"]);
    let output = check(dir.path(), &["-t", "cyc=2", "-q", "old.py"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("old.py:1:1: cyclomatic_complexity 3"),
        "{}",
        stdout(&output)
    );
    // A directory (or no path) still means "what this commit changes".
    let output = check(dir.path(), &["-t", "cyc=2", "-q", "pkg"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        check(dir.path(), &["-t", "cyc=2", "-q"]).status.code(),
        Some(0)
    );
}

#[test]
fn unchanged_directories_are_skipped_by_the_index_cache_tree() {
    // After a commit git's index carries a valid cache tree; staging one
    // file invalidates only its directory chain.
    let dir = repo();
    for sub in ["a", "a/deep", "b", "c"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        std::fs::write(dir.path().join(sub).join("m.py"), BRANCHY).expect("write");
    }
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "init"]);
    let output = check(dir.path(), &["-t", "cyc=2", "-q"]);
    assert_eq!(stdout(&output), "", "nothing staged");
    std::fs::write(dir.path().join("a/deep/m.py"), format!("{BRANCHY}\n")).expect("write");
    std::fs::write(dir.path().join("c/m.py"), format!("{BRANCHY}\n\n")).expect("write");
    git(dir.path(), &["add", "a/deep/m.py", "c/m.py"]);
    // Judged whole, so that every staged file shows (by change, the
    // appended blank lines change no function).
    let output = check(dir.path(), &["-t", "cyc=2", "-q", "--fail-on", "any"]);
    let text = stdout(&output);
    let paths: Vec<&str> = text
        .lines()
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(paths, vec!["a/deep/m.py", "c/m.py"], "{text}");
}

#[test]
fn unmerged_paths_are_reported_clearly() {
    let dir = repo();
    std::fs::write(dir.path().join("a.py"), SIMPLE).expect("write");
    git(dir.path(), &["add", "a.py"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    git(dir.path(), &["checkout", "-qb", "other"]);
    std::fs::write(dir.path().join("a.py"), "def f(a):\n    return 1\n").expect("write");
    git(dir.path(), &["commit", "-qam", "other"]);
    git(dir.path(), &["checkout", "-q", "main"]);
    std::fs::write(dir.path().join("a.py"), "def f(a):\n    return 2\n").expect("write");
    git(dir.path(), &["commit", "-qam", "main"]);
    let merge = Command::new("git")
        .args(["merge", "-q", "other"])
        .current_dir(dir.path())
        .output()
        .expect("git runs");
    assert!(!merge.status.success(), "the merge conflicts");
    let output = check(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("a.py: unmerged"));
}

#[test]
fn outside_a_repository_staged_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = check(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a git repository"));
}

#[test]
fn worktree_and_index_are_unchanged_by_a_run() {
    let dir = repo();
    std::fs::write(dir.path().join("a.py"), SIMPLE).expect("write");
    git(dir.path(), &["add", "a.py"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    std::fs::write(dir.path().join("a.py"), BRANCHY).expect("write");
    git(dir.path(), &["add", "a.py"]);
    std::fs::write(dir.path().join("a.py"), SIMPLE).expect("write");
    let before = snapshot(dir.path());
    check(dir.path(), &["-t", "cyc=2"]);
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["check", "."])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(snapshot(dir.path()), before);
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_corrupt_index_is_reported_with_what_is_wrong() {
    let dir = repo();
    std::fs::write(dir.path().join("a.py"), SIMPLE).expect("write");
    git(dir.path(), &["add", "a.py"]);
    let index = dir.path().join(".git/index");
    let good = std::fs::read(&index).expect("read index");
    let damaged = |change: &dyn Fn(&mut Vec<u8>)| {
        let mut bytes = good.clone();
        change(&mut bytes);
        bytes
    };
    let cases: [(Vec<u8>, &str); 4] = [
        (
            damaged(&|b| b[40] ^= 0xff),
            ".git/index: the file is corrupt: its checksum does not match its content (Hash was ",
        ),
        (
            damaged(&|b| b[5] = 9),
            ".git/index: Index version 589826 is not supported",
        ),
        (damaged(&|b| b[0] = b'A'), ".git/index: Signature mismatch"),
        (
            damaged(&|b| b.truncate(30)),
            ".git/index: File is too small",
        ),
    ];
    for (bytes, expected) in cases {
        std::fs::write(&index, bytes).expect("write index");
        let output = check(dir.path(), &[]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let message = stderr(&output);
        assert!(message.contains("cannot read the git index: "), "{message}");
        assert!(message.contains(expected), "{expected:?} in {message}");
        assert!(!message.contains("Shared index"), "{message}");
    }
}

#[test]
fn a_sha256_repository_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(
        dir.path(),
        &["init", "-q", "--object-format=sha256", "-b", "main"],
    );
    std::fs::write(dir.path().join("a.py"), SIMPLE).expect("write");
    git(dir.path(), &["add", "a.py"]);
    git(dir.path(), &["commit", "-qm", "one"]);
    let staged = check(dir.path(), &[]);
    let diff = Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["diff", "HEAD"])
        .current_dir(dir.path())
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("antipasta runs");
    for output in [staged, diff] {
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains(
                "the repository names objects with sha256 (extensions.objectFormat), \
                 which antipasta does not support"
            ),
            "{}",
            stderr(&output)
        );
    }
}
