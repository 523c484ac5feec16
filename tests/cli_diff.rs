//! `antipasta diff` against real repositories built with the git CLI.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{git, snapshot};

const SIMPLE: &str = "def simple(a):\n    return a\n";
/// Cyclomatic complexity 5.
const LEGACY: &str = "def legacy(x):\n    if x: return 1\n    if x: return 2\n    if x: return 3\n    if x: return 4\n    return 0\n";
/// Cyclomatic complexity 4.
const BRANCHY: &str =
    "def branchy(a):\n    if a: return 1\n    if a: return 2\n    if a: return 3\n    return a\n";
/// Three functions of CC 1; a rename or an edit touches one of them.
const THREE: &str = "def one(a):\n    return a + 1\n\n\ndef two(a, b, c):\n    total = a + b\n    total = total * c\n    return total\n\n\ndef three(a):\n    return [a, a]\n";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

fn write(dir: &Path, path: &str, content: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// Runs `antipasta diff ARGS -t cyc=3 --format json` with the cache off.
fn diff(dir: &Path, args: &[&str]) -> Output {
    diff_with(dir, args, &[("ANTIPASTA_NO_CACHE", "1")])
}

fn diff_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_antipasta"));
    command
        .arg("diff")
        .args(args)
        .args(["-t", "cyc=3", "--format", "json"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("ANTIPASTA_NO_CACHE");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("antipasta runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON output ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// (path, status, old_path) of every changed file.
fn files(doc: &Value) -> Vec<(String, String, Option<String>)> {
    doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_owned(),
                f["status"].as_str().expect("status").to_owned(),
                f["old_path"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// (qualified name, change status, CC before) of every function of a file.
fn functions(doc: &Value, path: &str) -> Vec<(String, String, Option<u64>)> {
    let file = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} in {doc}"));
    file["functions"]
        .as_array()
        .expect("functions")
        .iter()
        .map(|f| {
            (
                f["qualified_name"].as_str().expect("name").to_owned(),
                f["change"]["status"].as_str().expect("status").to_owned(),
                f["change"]["before"]["cyclomatic_complexity"].as_u64(),
            )
        })
        .collect()
}

/// (function, value, change) of every violation.
fn violations(doc: &Value) -> Vec<(String, u64, String)> {
    doc["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            (
                v["function"].as_str().unwrap_or("").to_owned(),
                v["value"].as_f64().expect("value") as u64,
                v["change"].as_str().expect("change").to_owned(),
            )
        })
        .collect()
}

fn owned(items: &[(&str, &str, Option<u64>)]) -> Vec<(String, String, Option<u64>)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect()
}

#[test]
fn staged_and_worktree_are_judged_separately_in_both_directions() {
    let dir = repo();
    write(dir.path(), "a.py", SIMPLE);
    write(dir.path(), "b.py", SIMPLE);
    commit(dir.path(), "base");
    // a.py: complex version staged, worktree back to simple.
    write(dir.path(), "a.py", LEGACY);
    git(dir.path(), &["add", "a.py"]);
    write(dir.path(), "a.py", SIMPLE);
    // b.py: simple staged (unchanged), complex only in the worktree.
    write(dir.path(), "b.py", BRANCHY);
    let before = snapshot(dir.path());

    let staged = diff(dir.path(), &["--staged"]);
    assert_eq!(staged.status.code(), Some(1));
    let doc = json(&staged);
    assert_eq!(files(&doc), vec![("a.py".into(), "modified".into(), None)]);
    assert_eq!(violations(&doc), vec![("legacy".into(), 5, "new".into())]);

    let worktree = diff(dir.path(), &[]);
    assert_eq!(worktree.status.code(), Some(1));
    let doc = json(&worktree);
    assert_eq!(files(&doc), vec![("b.py".into(), "modified".into(), None)]);
    assert_eq!(violations(&doc), vec![("branchy".into(), 4, "new".into())]);
    assert_eq!(snapshot(dir.path()), before, "worktree or index changed");
}

#[test]
fn extension_less_python_scripts_are_diffed_in_every_snapshot() {
    let dir = repo();
    let script = |body: &str| format!("#!/usr/bin/env python3\n{body}");
    write(dir.path(), "bin/same", &script(SIMPLE));
    write(dir.path(), "bin/tool", &script(SIMPLE));
    commit(dir.path(), "base");
    // Changed in the worktree only; `bin/same` is unchanged everywhere and
    // must not look deleted from the worktree snapshot.
    write(dir.path(), "bin/tool", &script(BRANCHY));
    let worktree = diff(dir.path(), &[]);
    let doc = json(&worktree);
    assert_eq!(
        files(&doc),
        vec![("bin/tool".into(), "modified".into(), None)]
    );
    assert_eq!(violations(&doc), vec![("branchy".into(), 4, "new".into())]);
}

#[test]
fn first_commit_on_an_unborn_head() {
    let dir = repo();
    write(dir.path(), "a.py", LEGACY);
    git(dir.path(), &["add", "a.py"]);
    let output = diff(dir.path(), &["--staged"]);
    assert_eq!(output.status.code(), Some(1));
    let doc = json(&output);
    assert_eq!(files(&doc), vec![("a.py".into(), "added".into(), None)]);
    assert_eq!(functions(&doc, "a.py"), owned(&[("legacy", "added", None)]));
    assert_eq!(
        doc["files"][0]["functions"][0]["change"]["before"],
        Value::Null
    );
}

#[test]
fn renames_with_and_without_edits_and_deletions() {
    let dir = repo();
    write(dir.path(), "old/same.py", THREE);
    write(dir.path(), "old/edited.py", &THREE.replace("one", "uno"));
    write(dir.path(), "gone.py", LEGACY);
    commit(dir.path(), "base");
    std::fs::create_dir(dir.path().join("new")).expect("mkdir");
    git(dir.path(), &["mv", "old/same.py", "new/same.py"]);
    git(dir.path(), &["mv", "old/edited.py", "new/edited.py"]);
    git(dir.path(), &["rm", "-q", "gone.py"]);
    write(
        dir.path(),
        "new/edited.py",
        &THREE
            .replace("one", "uno")
            .replace("return [a, a]", "return [a, a, a]"),
    );
    commit(dir.path(), "move");
    let before = snapshot(dir.path());

    let output = diff(dir.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = json(&output);
    assert_eq!(
        files(&doc),
        vec![
            ("gone.py".into(), "deleted".into(), None),
            (
                "new/edited.py".into(),
                "renamed".into(),
                Some("old/edited.py".into())
            ),
            (
                "new/same.py".into(),
                "renamed".into(),
                Some("old/same.py".into())
            ),
        ]
    );
    assert_eq!(
        functions(&doc, "new/edited.py"),
        owned(&[
            ("uno", "unchanged", Some(1)),
            ("two", "unchanged", Some(1)),
            ("three", "modified", Some(1)),
        ])
    );
    assert_eq!(
        functions(&doc, "new/same.py"),
        owned(&[
            ("one", "unchanged", Some(1)),
            ("two", "unchanged", Some(1)),
            ("three", "unchanged", Some(1)),
        ])
    );
    let removed = &doc["files"][0]["removed_functions"];
    assert_eq!(removed[0]["qualified_name"], "legacy");
    assert_eq!(doc["violations"], Value::Array(Vec::new()));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_renamed_function_is_modified_not_added_and_removed() {
    let dir = repo();
    write(dir.path(), "m.py", THREE);
    commit(dir.path(), "base");
    write(dir.path(), "m.py", &THREE.replace("def two(", "def deux("));
    let doc = json(&diff(dir.path(), &[]));
    assert_eq!(
        functions(&doc, "m.py"),
        owned(&[
            ("one", "unchanged", Some(1)),
            ("deux", "modified", Some(1)),
            ("three", "unchanged", Some(1)),
        ])
    );
    assert_eq!(
        doc["files"][0]["removed_functions"],
        Value::Array(Vec::new())
    );
}

#[test]
fn only_the_new_violation_fails_beside_an_untouched_legacy_one() {
    let dir = repo();
    write(dir.path(), "m.py", LEGACY);
    commit(dir.path(), "base");
    write(dir.path(), "m.py", &format!("{LEGACY}\n\n{BRANCHY}"));
    let output = diff(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let doc = json(&output);
    assert_eq!(violations(&doc), vec![("branchy".into(), 4, "new".into())]);
    assert_eq!(
        functions(&doc, "m.py"),
        owned(&[("legacy", "unchanged", Some(5)), ("branchy", "added", None)])
    );

    // Touching the legacy function without making it worse: shown as
    // existing, fails only with --fail-on any.
    write(
        dir.path(),
        "m.py",
        &LEGACY.replace("return 0", "return None"),
    );
    let doc = json(&diff(dir.path(), &[]));
    assert_eq!(
        violations(&doc),
        vec![("legacy".into(), 5, "existing".into())]
    );
    assert_eq!(diff(dir.path(), &[]).status.code(), Some(0));
    assert_eq!(
        diff(dir.path(), &["--fail-on", "any"]).status.code(),
        Some(1)
    );
    assert_eq!(
        diff(dir.path(), &["--fail-on", "new"]).status.code(),
        Some(0)
    );

    // Making it worse fails by default, not with --fail-on new.
    write(
        dir.path(),
        "m.py",
        &LEGACY.replace("return 0", "if x: return 5\n    return 0"),
    );
    let doc = json(&diff(dir.path(), &[]));
    assert_eq!(
        violations(&doc),
        vec![("legacy".into(), 6, "worsened".into())]
    );
    assert_eq!(diff(dir.path(), &[]).status.code(), Some(1));
    assert_eq!(
        diff(dir.path(), &["--fail-on", "new"]).status.code(),
        Some(0)
    );
}

#[test]
fn a_file_staged_then_edited_again() {
    let dir = repo();
    write(dir.path(), "m.py", SIMPLE);
    commit(dir.path(), "base");
    write(dir.path(), "m.py", &format!("{SIMPLE}\n\n{BRANCHY}"));
    git(dir.path(), &["add", "m.py"]);
    write(
        dir.path(),
        "m.py",
        &format!("{SIMPLE}\n\n{BRANCHY}\n\n{LEGACY}"),
    );
    let staged = json(&diff(dir.path(), &["--cached"]));
    assert_eq!(
        violations(&staged),
        vec![("branchy".into(), 4, "new".into())]
    );
    let worktree = json(&diff(dir.path(), &[]));
    assert_eq!(
        violations(&worktree),
        vec![
            ("branchy".into(), 4, "new".into()),
            ("legacy".into(), 5, "new".into())
        ]
    );
}

#[test]
fn detached_head_and_revision_ranges() {
    let dir = repo();
    write(dir.path(), "m.py", SIMPLE);
    commit(dir.path(), "one");
    write(dir.path(), "m.py", &format!("{SIMPLE}\n\n{BRANCHY}"));
    commit(dir.path(), "two");
    git(dir.path(), &["checkout", "-q", "--detach", "HEAD~1"]);
    // Detached at "one": the worktree matches HEAD, nothing changed.
    let clean = diff(dir.path(), &[]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(json(&clean)["files"], Value::Array(Vec::new()));
    // "one".."two" in both spellings.
    for args in [&["HEAD", "main"][..], &["HEAD..main"][..]] {
        let output = diff(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(
            violations(&json(&output)),
            vec![("branchy".into(), 4, "new".into())]
        );
    }
}

#[test]
fn three_dots_compare_from_the_merge_base() {
    let dir = repo();
    write(dir.path(), "shared.py", SIMPLE);
    commit(dir.path(), "base");
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    write(dir.path(), "feature.py", BRANCHY);
    commit(dir.path(), "feature work");
    git(dir.path(), &["checkout", "-q", "main"]);
    write(dir.path(), "main_only.py", LEGACY);
    commit(dir.path(), "main moves on");
    git(dir.path(), &["checkout", "-q", "feature"]);
    git(dir.path(), &["merge", "-q", "--no-edit", "main"]);
    // The PR (feature) changed feature.py only, whatever main did since.
    let output = diff(dir.path(), &["main...feature"]);
    assert_eq!(output.status.code(), Some(1));
    let doc = json(&output);
    assert_eq!(
        files(&doc),
        vec![("feature.py".into(), "added".into(), None)]
    );
    // Two dots compare the tips: main_only.py is no difference either way,
    // feature.py is new.
    let doc = json(&diff(dir.path(), &["main..feature"]));
    assert_eq!(
        files(&doc),
        vec![("feature.py".into(), "added".into(), None)]
    );
}

#[test]
fn unchanged_functions_are_not_scored_again() {
    let dir = repo();
    write(dir.path(), "m.py", THREE);
    commit(dir.path(), "base");
    write(
        dir.path(),
        "m.py",
        &THREE.replace("return [a, a]", "return [a, a, a]"),
    );
    let cache = tempfile::tempdir().expect("cache dir");
    let cache_dir = cache.path().to_str().expect("utf-8 path");
    let env = [("ANTIPASTA_CACHE_DIR", cache_dir)];
    // Cold: the base version is scored in full (3), of the edited version
    // only the one changed function.
    let cold = json(&diff_with(dir.path(), &[], &env));
    assert_eq!(cold["summary"]["units_scored"], 4);
    // Warm: both versions come from the cache.
    let warm = json(&diff_with(dir.path(), &[], &env));
    assert_eq!(warm["summary"]["units_scored"], 0);
    assert_eq!(warm["summary"]["cache_hits"], 2);
    assert_eq!(
        functions(&warm, "m.py"),
        owned(&[
            ("one", "unchanged", Some(1)),
            ("two", "unchanged", Some(1)),
            ("three", "modified", Some(1)),
        ])
    );
}

#[test]
fn revision_errors_exit_2_with_advice() {
    let dir = repo();
    write(dir.path(), "m.py", SIMPLE);
    commit(dir.path(), "one");
    let output = diff(dir.path(), &["no-such-branch"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown revision 'no-such-branch'"),
        "{stderr}"
    );

    let plain = tempfile::tempdir().expect("tempdir");
    let output = diff(plain.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("diff needs a git repository"), "{stderr}");
}

#[test]
fn a_shallow_clone_without_the_merge_base_says_what_to_fetch() {
    let origin = repo();
    write(origin.path(), "m.py", SIMPLE);
    commit(origin.path(), "base");
    git(origin.path(), &["checkout", "-q", "-b", "feature"]);
    for i in 0..3 {
        write(origin.path(), &format!("f{i}.py"), SIMPLE);
        commit(origin.path(), "feature");
    }
    git(origin.path(), &["checkout", "-q", "main"]);
    write(origin.path(), "main.py", SIMPLE);
    commit(origin.path(), "main");
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", origin.path().display());
    git(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            &url,
            ".",
        ],
    );
    let output = diff(clone.path(), &["origin/main...origin/feature"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no common ancestor"), "{stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
}

#[test]
fn untracked_files_are_no_part_of_a_diff_until_added() {
    let dir = repo();
    write(dir.path(), "m.py", SIMPLE);
    commit(dir.path(), "base");
    write(dir.path(), "new.py", BRANCHY);
    let doc = json(&diff(dir.path(), &[]));
    assert_eq!(files(&doc), Vec::new());
    git(dir.path(), &["add", "-N", "new.py"]);
    let doc = json(&diff(dir.path(), &[]));
    assert_eq!(files(&doc), vec![("new.py".into(), "added".into(), None)]);
    assert_eq!(violations(&doc), vec![("branchy".into(), 4, "new".into())]);
    // Intent-to-add has no staged content yet.
    let doc = json(&diff(dir.path(), &["--staged"]));
    assert_eq!(files(&doc), Vec::new());
}

#[test]
fn text_output_lists_changed_functions_with_deltas() {
    let dir = repo();
    write(dir.path(), "m.py", &format!("{THREE}\n\n{BRANCHY}"));
    write(dir.path(), "broken.py", "def f(:\n");
    commit(dir.path(), "base");
    std::fs::remove_file(dir.path().join("broken.py")).expect("rm");
    let edited = THREE
        .replace(
            "def two(a, b, c):\n",
            "def two(a, b, c):\n    if a:\n        return 0\n",
        )
        .replace("def one(a):\n    return a + 1\n\n\n", "");
    write(
        dir.path(),
        "m.py",
        &format!("{edited}\n\n{BRANCHY}\n\n{LEGACY}"),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["diff", "-t", "cyc=3"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("antipasta runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "broken.py (deleted)\n\
         m.py (modified)\n  \
         modified two line 1: cyclomatic_complexity 1 → 2 (+1), cognitive_complexity 0 → 1 (+1)\n  \
         added    legacy line 20: cyclomatic_complexity 5, cognitive_complexity 4\n  \
         removed  one\n\
         m.py:20:1: cyclomatic_complexity 5 (limit <= 3) in legacy [new]\n\
         Found problems: 1 violation in 1 of 2 changed files, 4 functions, 0 files that could not be analysed.\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_bare_repository_compares_revisions_only() {
    let origin = repo();
    write(origin.path(), "m.py", SIMPLE);
    commit(origin.path(), "one");
    write(origin.path(), "m.py", &format!("{SIMPLE}\n\n{BRANCHY}"));
    commit(origin.path(), "two");
    let bare = tempfile::tempdir().expect("tempdir");
    let source = origin.path().to_str().expect("utf-8 path");
    git(bare.path(), &["clone", "-q", "--bare", source, "."]);
    let output = diff(bare.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        violations(&json(&output)),
        vec![("branchy".into(), 4, "new".into())]
    );
    let output = diff(bare.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("a bare repository has no worktree"),
        "{stderr}"
    );
}
