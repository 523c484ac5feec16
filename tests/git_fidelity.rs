//! antipasta judges exactly what git sees: each test builds a real
//! repository with the git CLI and compares antipasta's changed files,
//! statuses and blob ids with git's own answers (`git diff --name-status`,
//! `git ls-files -s`, `git hash-object --path`), then checks the verdict.

use std::path::Path;
use std::process::{Command, Output};

use antipasta::model::Language;
use antipasta::source::git::GitSource;
use antipasta::source::snapshot::Snapshot;
use serde_json::Value;

mod common;
use common::git;

const SIMPLE: &str = "def simple(a):\n    return a\n";
/// Cyclomatic complexity 5.
const LEGACY: &str = "def legacy(x):\n    if x: return 1\n    if x: return 2\n    if x: return 3\n    if x: return 4\n    return 0\n";
/// `simple` made complex (cyclomatic complexity 5): a worsened function.
const WORSE: &str = "def simple(x):\n    if x: return 1\n    if x: return 2\n    if x: return 3\n    if x: return 4\n    return 0\n";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

fn write(dir: &Path, path: &str, content: &str) {
    write_bytes(dir, path, content.as_bytes());
}

fn write_bytes(dir: &Path, path: &str, content: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// git's standard output; panics when git fails.
fn git_stdout(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs antipasta in `dir` with `--format json`, CC threshold 3, no cache.
fn antipasta(dir: &Path, args: &[&str]) -> Output {
    let (command, rest) = args.split_first().expect("a subcommand");
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .arg(command)
        .args(["-t", "cyc=3", "--format", "json"])
        .args(rest)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("antipasta runs")
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

/// A changed file as `git diff --name-status` names it: (path, status
/// letter, old path of a rename).
type Change = (String, char, Option<String>);

fn analysable(path: &str) -> bool {
    Language::from_path(Path::new(path)).is_some()
}

/// git's changed analysable files for `git diff --name-status ARGS`.
fn git_changes(dir: &Path, args: &[&str]) -> Vec<Change> {
    let mut full = vec!["-c", "core.quotePath=false", "diff", "--name-status"];
    full.extend(args);
    let mut changes: Vec<Change> = git_stdout(dir, &full)
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let status = fields[0].chars().next()?;
            let (path, old) = match fields.as_slice() {
                [_, old, new] => (new.to_string(), Some(old.to_string())),
                [_, path] => (path.to_string(), None),
                _ => return None,
            };
            analysable(&path).then_some((path, status, old))
        })
        .collect();
    changes.sort();
    changes
}

/// antipasta's changed files from a `diff` JSON report, as git letters.
fn antipasta_changes(doc: &Value) -> Vec<Change> {
    let mut changes: Vec<Change> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|file| {
            let status = match file["status"].as_str().expect("status") {
                "added" => 'A',
                "deleted" => 'D',
                "renamed" => 'R',
                _ => 'M',
            };
            (
                file["path"].as_str().expect("path").to_owned(),
                status,
                file["old_path"].as_str().map(str::to_owned),
            )
        })
        .collect();
    changes.sort();
    changes
}

/// The paths a `check` JSON report judged.
fn judged(doc: &Value) -> Vec<String> {
    let mut paths: Vec<String> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|file| file["path"].as_str().expect("path").to_owned())
        .collect();
    paths.sort();
    paths
}

/// git's staged analysable files (`git diff --cached --name-only ARGS`).
fn git_staged(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut full = vec!["diff", "--cached", "--name-only", "--diff-filter=AMCR"];
    full.extend(args);
    let mut paths: Vec<String> = git_stdout(dir, &full)
        .lines()
        .filter(|path| analysable(path))
        .map(str::to_owned)
        .collect();
    paths.sort();
    paths
}

/// (change, function) of every violation.
fn violations(doc: &Value) -> Vec<(String, String)> {
    doc["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            (
                v["change"].as_str().unwrap_or("").to_owned(),
                v["function"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// (path, blob id) of a snapshot's files, as antipasta lists them.
fn snapshot_blobs(dir: &Path, snapshot: Snapshot) -> Vec<(String, String)> {
    let git = GitSource::discover(dir).expect("repository");
    let settings = antipasta::config::settings_for(None, dir).expect("settings");
    let mut blobs: Vec<(String, String)> = snapshot
        .files(&git, &settings)
        .expect("listing")
        .into_iter()
        .map(|file| {
            let blob = file.blob.map(|id| id.to_string()).unwrap_or_default();
            (file.display, blob)
        })
        .collect();
    blobs.sort();
    blobs
}

/// (path, blob id) of the analysable index entries, as `git ls-files -s`.
fn git_index_blobs(dir: &Path) -> Vec<(String, String)> {
    let mut blobs: Vec<(String, String)> = git_stdout(dir, &["ls-files", "-s"])
        .lines()
        .filter_map(|line| {
            let (meta, path) = line.split_once('\t')?;
            let blob = meta.split(' ').nth(1)?;
            analysable(path).then(|| (path.to_owned(), blob.to_owned()))
        })
        .collect();
    blobs.sort();
    blobs
}

/// (path, id) of what git would store for each worktree file listed.
fn git_hashed(dir: &Path, paths: &[String]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|path| {
            let id = git_stdout(dir, &["hash-object", "--path", path, "--", path]);
            (path.clone(), id.trim().to_owned())
        })
        .collect()
}

/// A repository of five files committed, then each of them edited to be
/// complex and committed again.
fn pathspec_repo() -> tempfile::TempDir {
    let dir = repo();
    let files = ["a.py", "pkg/b.py", "pkg/sub/c.py", "web/d.js", "a[1].py"];
    for file in files {
        write(dir.path(), file, SIMPLE);
    }
    commit(dir.path(), "base");
    for file in files {
        write(dir.path(), file, LEGACY);
    }
    commit(dir.path(), "complex");
    dir
}

#[test]
fn pathspecs_select_what_git_selects() {
    let dir = pathspec_repo();
    let specs: &[&[&str]] = &[
        &["*.py"],
        &[":(glob)**/b.py"],
        &[":(glob)*.py"],
        &[":!pkg"],
        &[":(exclude)pkg/sub", "pkg"],
        &[":(icase)PKG/B.PY"],
        &[":(literal)a[1].py"],
        &["a[1].py"],
        &["pkg/"],
        &["web", "a.py"],
    ];
    for spec in specs {
        let mut git_args = vec!["HEAD~1", "HEAD", "--"];
        git_args.extend(*spec);
        let expected = git_changes(dir.path(), &git_args);
        assert!(!expected.is_empty(), "{spec:?} selects something");
        let mut args = vec!["diff", "HEAD~1", "HEAD", "--"];
        args.extend(*spec);
        let output = antipasta(dir.path(), &args);
        assert_eq!(antipasta_changes(&json(&output)), expected, "{spec:?}");
        // Every selected file got complex: the diff fails.
        assert_eq!(output.status.code(), Some(1), "{spec:?}");
    }
}

#[test]
fn pathspecs_from_a_subdirectory_and_top_magic() {
    let dir = pathspec_repo();
    let pkg = dir.path().join("pkg");
    for spec in [&["b.py"][..], &["."], &[":(top)web"], &[":/a.py", "sub"]] {
        let mut git_args = vec!["HEAD~1", "HEAD", "--"];
        git_args.extend(spec);
        let expected = git_changes(&pkg, &git_args);
        assert!(!expected.is_empty(), "{spec:?} selects something");
        let mut args = vec!["diff", "HEAD~1", "HEAD", "--"];
        args.extend(spec);
        let doc = json(&antipasta(&pkg, &args));
        assert_eq!(antipasta_changes(&doc), expected, "{spec:?}");
    }
}

#[test]
fn staged_pathspecs_select_what_git_selects() {
    let dir = repo();
    for file in ["a.py", "pkg/b.py", "web/d.js", "a[1].py"] {
        write(dir.path(), file, SIMPLE);
    }
    commit(dir.path(), "base");
    for file in ["a.py", "pkg/b.py", "web/d.js", "a[1].py"] {
        write(dir.path(), file, LEGACY);
    }
    git(dir.path(), &["add", "-A"]);
    for spec in [&["*.py"][..], &[":!pkg"], &[":(glob)**/*.js"], &["a[1].py"]] {
        let mut git_args = vec!["--"];
        git_args.extend(spec);
        let expected = git_staged(dir.path(), &git_args);
        let mut args = vec!["check", "--staged"];
        args.extend(spec);
        let output = antipasta(dir.path(), &args);
        assert_eq!(judged(&json(&output)), expected, "{spec:?}");
        assert_eq!(output.status.code(), Some(1), "{spec:?}");
    }
}

#[test]
fn a_pathspec_that_matches_nothing_is_an_error() {
    let dir = pathspec_repo();
    let output = antipasta(dir.path(), &["diff", "HEAD~1", "HEAD", "--", "*.rs"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "antipasta: error: pathspec '*.rs' did not match any file known to git\n"
    );
    let output = antipasta(dir.path(), &["check", "--staged", "*.rs"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn parent_revision_forms_match_git() {
    let dir = repo();
    write(dir.path(), "a.py", SIMPLE);
    commit(dir.path(), "base");
    write(dir.path(), "a.py", LEGACY);
    commit(dir.path(), "main edit");
    git(dir.path(), &["checkout", "-q", "-b", "side", "HEAD~1"]);
    // Unlike `legacy` in name and text: new, not moved, in `HEAD^@`.
    write(
        dir.path(),
        "side.py",
        "def side(items):\n    for item in items:\n        while item:\n            item -= 1\n    return [i for i in items if i]\n",
    );
    commit(dir.path(), "side");
    git(dir.path(), &["checkout", "-q", "main"]);
    git(dir.path(), &["merge", "-q", "--no-edit", "side"]);
    for spec in ["HEAD~1^!", "HEAD^-", "HEAD^-1", "HEAD^-2", "HEAD^@"] {
        let expected = git_changes(dir.path(), &[spec]);
        assert!(!expected.is_empty(), "{spec} changes something");
        let output = antipasta(dir.path(), &["diff", spec]);
        assert_eq!(antipasta_changes(&json(&output)), expected, "{spec}");
        assert_eq!(output.status.code(), Some(1), "{spec}");
    }
    // A merge's `^!` is git's combined diff: nothing differs from both
    // parents of this clean merge.
    assert!(git_changes(dir.path(), &["HEAD^!"]).is_empty());
    let output = antipasta(dir.path(), &["diff", "HEAD^!"]);
    assert!(antipasta_changes(&json(&output)).is_empty());
    assert_eq!(output.status.code(), Some(0));
}

/// A repository with `in/` and `out/`, sparse to `in/`, then `in/a.py`
/// made complex in the worktree.
fn sparse_repo(extra: &[&str]) -> tempfile::TempDir {
    let dir = repo();
    write(dir.path(), "in/a.py", SIMPLE);
    write(dir.path(), "out/b.py", LEGACY);
    write(dir.path(), "out/deep/c.py", LEGACY);
    write(dir.path(), "top.py", SIMPLE);
    commit(dir.path(), "base");
    let mut args = vec!["sparse-checkout", "set", "--cone"];
    args.extend(extra);
    args.push("in");
    git(dir.path(), &args);
    assert!(!dir.path().join("out").exists());
    write(dir.path(), "in/a.py", WORSE);
    dir
}

#[test]
fn sparse_checkout_files_outside_the_cone_are_not_deleted() {
    for extra in [&[][..], &["--sparse-index"]] {
        let dir = sparse_repo(extra);
        let expected = git_changes(dir.path(), &["HEAD"]);
        assert_eq!(expected, [("in/a.py".to_owned(), 'M', None)]);
        let output = antipasta(dir.path(), &["diff"]);
        let doc = json(&output);
        assert_eq!(antipasta_changes(&doc), expected, "{extra:?}");
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            violations(&doc),
            [("worsened".to_owned(), "simple".to_owned())]
        );
        // The index side: what `git ls-files -s` lists, blob for blob.
        assert_eq!(
            snapshot_blobs(dir.path(), Snapshot::Index),
            git_index_blobs(dir.path()),
            "{extra:?}"
        );
        git(dir.path(), &["add", "in/a.py"]);
        assert_eq!(
            antipasta_changes(&json(&antipasta(dir.path(), &["diff", "--staged"]))),
            git_changes(dir.path(), &["--cached"]),
            "{extra:?}"
        );
        assert_eq!(
            judged(&json(&antipasta(dir.path(), &["check", "--staged"]))),
            git_staged(dir.path(), &[]),
        );
    }
}

#[test]
fn skip_worktree_and_assume_unchanged_take_the_index_version() {
    for flag in ["--skip-worktree", "--assume-unchanged"] {
        let dir = repo();
        write(dir.path(), "a.py", SIMPLE);
        commit(dir.path(), "base");
        git(dir.path(), &["update-index", flag, "a.py"]);
        write(dir.path(), "a.py", LEGACY);
        let expected = git_changes(dir.path(), &["HEAD"]);
        assert!(expected.is_empty(), "{flag}: git sees no change");
        let output = antipasta(dir.path(), &["diff"]);
        assert_eq!(antipasta_changes(&json(&output)), expected, "{flag}");
        assert_eq!(output.status.code(), Some(0), "{flag}");
        assert_eq!(
            snapshot_blobs(dir.path(), Snapshot::Worktree),
            git_index_blobs(dir.path()),
            "{flag}"
        );
    }
}

/// Three functions; the middle one gets a branch in the edited version.
const THREE: &str = "def one(a):\n    return a + 1\n\n\ndef two(a):\n    return a\n\n\ndef three(a):\n    return [a, a]\n";
const THREE_EDITED: &str = "def one(a):\n    return a + 1\n\n\ndef two(a):\n    if a:\n        return 1\n    return a\n\n\ndef three(a):\n    return [a, a]\n";

/// (qualified name, change status) of a file's functions in a diff report.
fn function_changes(doc: &Value, path: &str) -> Vec<(String, String)> {
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
            )
        })
        .collect()
}

#[test]
fn autocrlf_worktree_files_are_compared_after_the_clean_conversion() {
    let dir = repo();
    git(dir.path(), &["config", "core.autocrlf", "true"]);
    write(dir.path(), "a.py", &THREE.replace('\n', "\r\n"));
    write(dir.path(), "b.py", &SIMPLE.replace('\n', "\r\n"));
    commit(dir.path(), "base");
    write(dir.path(), "a.py", &THREE_EDITED.replace('\n', "\r\n"));
    // Rewritten unchanged: new stat data, same content once converted.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(dir.path(), "b.py", &SIMPLE.replace('\n', "\r\n"));
    let expected = git_changes(dir.path(), &["HEAD"]);
    assert_eq!(expected, [("a.py".to_owned(), 'M', None)]);
    let output = antipasta(dir.path(), &["diff"]);
    let doc = json(&output);
    assert_eq!(antipasta_changes(&doc), expected);
    // One function edited: one function modified, as git shows one hunk.
    assert_eq!(
        function_changes(&doc, "a.py"),
        [
            ("one".to_owned(), "unchanged".to_owned()),
            ("two".to_owned(), "modified".to_owned()),
            ("three".to_owned(), "unchanged".to_owned()),
        ]
    );
    let listed = snapshot_blobs(dir.path(), Snapshot::Worktree);
    let paths: Vec<String> = listed.iter().map(|(path, _)| path.clone()).collect();
    assert_eq!(listed, git_hashed(dir.path(), &paths));
}

#[test]
fn eol_attribute_and_touch_leave_a_file_unchanged() {
    let dir = repo();
    write(dir.path(), ".gitattributes", "*.py text eol=crlf\n");
    write(dir.path(), "a.py", LEGACY);
    commit(dir.path(), "base");
    // What a checkout writes: CRLF line endings.
    std::fs::remove_file(dir.path().join("a.py")).expect("rm");
    git(dir.path(), &["checkout", "--", "a.py"]);
    assert!(std::fs::read(dir.path().join("a.py"))
        .expect("read")
        .windows(2)
        .any(|pair| pair == b"\r\n"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(dir.path(), "a.py", &LEGACY.replace('\n', "\r\n"));
    let expected = git_changes(dir.path(), &["HEAD"]);
    assert!(expected.is_empty());
    let output = antipasta(dir.path(), &["diff", "--fail-on", "any"]);
    assert_eq!(antipasta_changes(&json(&output)), expected);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_clean_filter_decides_what_is_modified() {
    let dir = repo();
    // The filter drops every line marked `# secret`, as a clean filter that
    // hides local code from the repository would.
    git(
        dir.path(),
        &["config", "filter.hide.clean", "grep -v '# secret'"],
    );
    git(dir.path(), &["config", "filter.hide.smudge", "cat"]);
    write(dir.path(), ".gitattributes", "*.py filter=hide\n");
    write(dir.path(), "a.py", SIMPLE);
    commit(dir.path(), "base");
    let hidden = format!("{SIMPLE}{}", LEGACY.replace('\n', "  # secret\n"));
    write(dir.path(), "a.py", &hidden);
    let expected = git_changes(dir.path(), &["HEAD"]);
    assert!(expected.is_empty(), "git sees no change: {expected:?}");
    let output = antipasta(dir.path(), &["diff"]);
    assert_eq!(antipasta_changes(&json(&output)), expected);
    assert_eq!(output.status.code(), Some(0));
    let listed = snapshot_blobs(dir.path(), Snapshot::Worktree);
    let paths: Vec<String> = listed.iter().map(|(path, _)| path.clone()).collect();
    assert_eq!(listed, git_hashed(dir.path(), &paths));
}

#[test]
fn staged_check_covers_the_repository_from_a_subdirectory() {
    let dir = repo();
    write(dir.path(), "top.py", SIMPLE);
    write(dir.path(), "sub/a.py", SIMPLE);
    commit(dir.path(), "base");
    write(dir.path(), "top.py", LEGACY);
    write(dir.path(), "sub/a.py", LEGACY);
    git(dir.path(), &["add", "-A"]);
    let sub = dir.path().join("sub");
    let expected = git_staged(&sub, &[]);
    assert_eq!(expected, ["sub/a.py", "top.py"]);
    let output = antipasta(&sub, &["check", "--staged"]);
    assert_eq!(judged(&json(&output)), expected);
    assert_eq!(output.status.code(), Some(1));
    // An explicit `.` still means here, as for git.
    let output = antipasta(&sub, &["check", "--staged", "."]);
    assert_eq!(judged(&json(&output)), git_staged(&sub, &["--", "."]));
}

#[cfg(unix)]
#[test]
fn a_non_utf8_file_name_is_read_by_its_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    std::fs::write(dir.path().join(name), SIMPLE).expect("write");
    commit(dir.path(), "base");
    std::fs::write(dir.path().join(name), WORSE).expect("write");
    let expected = git_changes(dir.path(), &["HEAD"]);
    assert_eq!(expected.len(), 1);
    assert_eq!(expected[0].1, 'M');
    let output = antipasta(dir.path(), &["diff"]);
    let doc = json(&output);
    let changes = antipasta_changes(&doc);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].1, 'M');
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        violations(&doc),
        [("worsened".to_owned(), "simple".to_owned())]
    );
}

/// The files `git check-attr` says the attributes exclude: `-antipasta`
/// (or `antipasta=false`), else `linguist-generated`/`linguist-vendored`
/// set, unless `antipasta` is set.
fn git_attribute_excluded(dir: &Path, paths: &[String]) -> Vec<String> {
    let mut args = vec![
        "check-attr",
        "antipasta",
        "linguist-generated",
        "linguist-vendored",
        "--",
    ];
    args.extend(paths.iter().map(String::as_str));
    let mut states: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in git_stdout(dir, &args).lines() {
        let mut parts = line.rsplitn(3, ": ");
        let (value, _name, path) = (parts.next(), parts.next(), parts.next());
        if let (Some(value), Some(path)) = (value, path) {
            states
                .entry(path.to_owned())
                .or_default()
                .push(value.to_owned());
        }
    }
    states
        .into_iter()
        .filter(|(_, values)| match values[0].as_str() {
            "unset" | "false" => true,
            "unspecified" => values[1..].iter().any(|v| v == "set" || v == "true"),
            _ => false,
        })
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn gitattributes_exclude_generated_vendored_and_opted_out_paths() {
    let dir = repo();
    write(
        dir.path(),
        ".gitattributes",
        "vendor/** linguist-vendored\ngen_*.py linguist-generated\nskip.py -antipasta\n\
         off.py antipasta=false\nvendor/ours.py antipasta\nnot_gen.py linguist-generated=false\n",
    );
    commit(dir.path(), "attributes");
    let files = [
        "vendor/jquery.js",
        "vendor/ours.py",
        "gen_api.py",
        "skip.py",
        "off.py",
        "not_gen.py",
        "real.py",
    ];
    for file in files {
        write(dir.path(), file, LEGACY);
    }
    git(dir.path(), &["add", "-A"]);
    let staged = git_staged(dir.path(), &[]);
    let excluded = git_attribute_excluded(dir.path(), &staged);
    assert_eq!(
        excluded,
        ["gen_api.py", "off.py", "skip.py", "vendor/jquery.js"]
    );
    let expected: Vec<String> = staged
        .into_iter()
        .filter(|path| !excluded.contains(path))
        .collect();
    let output = antipasta(dir.path(), &["check", "--staged"]);
    assert_eq!(judged(&json(&output)), expected);
    assert_eq!(output.status.code(), Some(1));
    // The same files in a diff of the committed change.
    commit(dir.path(), "files");
    let output = antipasta(dir.path(), &["diff", "HEAD~1", "HEAD"]);
    let diffed: Vec<String> = antipasta_changes(&json(&output))
        .into_iter()
        .map(|(path, _, _)| path)
        .collect();
    assert_eq!(diffed, expected);
}

#[test]
fn lfs_pointers_and_binary_blobs_are_skipped_with_a_note() {
    let dir = repo();
    write(dir.path(), "a.py", SIMPLE);
    commit(dir.path(), "base");
    let pointer = "version https://git-lfs.github.com/spec/v1\n\
                   oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n\
                   size 12345\n";
    write(dir.path(), "model.py", pointer);
    // What git-crypt stores: a marker with NUL bytes, then ciphertext.
    write_bytes(dir.path(), "secret.py", b"\0GITCRYPT\0\x8f\x01\x02\x03");
    git(dir.path(), &["add", "-A"]);
    assert_eq!(git_staged(dir.path(), &[]), ["model.py", "secret.py"]);
    let output = antipasta(dir.path(), &["check", "--staged"]);
    let doc = json(&output);
    assert_eq!(judged(&doc), ["model.py", "secret.py"]);
    let notes: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|file| file["error"]["message"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        notes,
        [
            "skipped: a Git LFS pointer, not source code",
            "skipped: binary file (contains a NUL byte), not source code"
        ]
    );
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(output.status.code(), Some(0));
    commit(dir.path(), "blobs");
    assert_eq!(
        antipasta(dir.path(), &["diff", "HEAD~1", "HEAD"])
            .status
            .code(),
        Some(0)
    );
}

/// A deterministic pseudo-random sequence (a linear congruential generator).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// A Python module of `functions` small functions, seeded for variety.
fn module(seed: u64, functions: u64) -> String {
    (0..functions)
        .map(|i| {
            format!(
                "def f{seed}_{i}(a, b):\n    total = a * {i} + b\n    if total > {seed}:\n        return total - {i}\n    return b\n\n\n"
            )
        })
        .collect()
}

/// `text` with about `percent` of its lines replaced, dropped or doubled.
fn mutate(text: &str, percent: u64, random: &mut Lcg) -> String {
    let mut out = String::new();
    for (at, line) in text.lines().enumerate() {
        match (random.next(100) < percent, random.next(3)) {
            (true, 0) => out.push_str(&format!("    changed_{at} = {}\n", random.next(1000))),
            (true, 1) => {}
            (true, _) => {
                out.push_str(line);
                out.push('\n');
                out.push_str(line);
                out.push('\n');
            }
            (false, _) => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn renames_are_paired_as_git_pairs_them() {
    let dir = repo();
    let mut random = Lcg(14);
    let mut originals = Vec::new();
    for i in 0..40 {
        let text = module(i, 2 + random.next(6));
        write(dir.path(), &format!("old/m{i}.py"), &text);
        originals.push(text);
    }
    write(
        dir.path(),
        "web/app.js",
        &LEGACY.replace("def ", "function ").replace(":\n", " {\n"),
    );
    commit(dir.path(), "base");
    for (i, text) in originals.iter().enumerate() {
        std::fs::remove_file(dir.path().join(format!("old/m{i}.py"))).expect("rm");
        // Edits from none to most of the file: some pairs stay above
        // git's 50 %, some fall below it.
        let edited = mutate(text, random.next(80), &mut random);
        let name = if i % 3 == 0 {
            format!("m{i}.py")
        } else {
            format!("n{i}.py")
        };
        write(dir.path(), &format!("new/{name}"), &edited);
    }
    commit(dir.path(), "moved and edited");
    for flags in [
        &[][..],
        &["-M90%"],
        &["--find-renames=30%"],
        &["-M5"],
        &["--no-renames"],
    ] {
        let mut git_args = vec!["HEAD~1", "HEAD"];
        git_args.extend(flags);
        if flags.is_empty() {
            git_args.push("-M");
        }
        let expected = git_changes(dir.path(), &git_args);
        let mut args = vec!["diff", "HEAD~1", "HEAD"];
        args.extend(flags);
        let doc = json(&antipasta(dir.path(), &args));
        assert_eq!(antipasta_changes(&doc), expected, "{flags:?}");
        if flags.is_empty() {
            let renamed = expected.iter().filter(|c| c.1 == 'R').count();
            let added = expected.iter().filter(|c| c.1 == 'A').count();
            assert!(renamed > 10 && added >= 2, "a mix: {expected:?}");
        }
    }
}

#[test]
fn a_javascript_file_migrated_to_typescript_is_a_rename() {
    let dir = repo();
    let legacy: String = (0..6)
        .map(|i| {
            format!(
                "function legacy{i}(x) {{\n  if (x > {i}) {{ return 1; }}\n  if (x < -{i}) {{ return 2; }}\n  if (x === 0) {{ return 3; }}\n  return x;\n}}\n\n"
            )
        })
        .collect();
    write(dir.path(), "src/util.js", &legacy);
    commit(dir.path(), "base");
    std::fs::remove_file(dir.path().join("src/util.js")).expect("rm");
    let migrated = legacy.replace("(x)", "(x: number): number");
    write(dir.path(), "src/util.ts", &migrated);
    commit(dir.path(), "migrate");
    let expected = git_changes(dir.path(), &["-M", "HEAD~1", "HEAD"]);
    assert_eq!(
        expected,
        [(
            "src/util.ts".to_owned(),
            'R',
            Some("src/util.js".to_owned())
        )]
    );
    let output = antipasta(dir.path(), &["diff", "-t", "cyc=3", "HEAD~1", "HEAD"]);
    let doc = json(&output);
    assert_eq!(antipasta_changes(&doc), expected);
    // The legacy functions are paired across the rename: inherited, not new.
    assert_eq!(output.status.code(), Some(0));
    let changes = violations(&doc);
    assert_eq!(changes.len(), 6);
    assert!(
        changes.iter().all(|(change, _)| change == "existing"),
        "{changes:?}"
    );
}

#[test]
fn two_hundred_moved_and_edited_files_are_renames() {
    let dir = repo();
    for i in 0..201 {
        write(dir.path(), &format!("a/f{i}.py"), &module(i, 3));
    }
    commit(dir.path(), "base");
    for i in 0..201 {
        std::fs::remove_file(dir.path().join(format!("a/f{i}.py"))).expect("rm");
        let edited = module(i, 3).replacen("return b", "return -b", 1);
        write(dir.path(), &format!("b/g{i}.py"), &edited);
    }
    commit(dir.path(), "move");
    let expected = git_changes(dir.path(), &["-M", "HEAD~1", "HEAD"]);
    assert_eq!(expected.iter().filter(|c| c.1 == 'R').count(), 201);
    let output = antipasta(dir.path(), &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(antipasta_changes(&json(&output)), expected);
    assert_eq!(output.status.code(), Some(0));
    // The repository's settings, as git reads them: a rename limit below
    // the 201 × 201 candidates, then renames off.
    git(dir.path(), &["config", "diff.renameLimit", "100"]);
    let limited = git_changes(dir.path(), &["-M", "HEAD~1", "HEAD"]);
    assert_eq!(limited.iter().filter(|c| c.1 == 'R').count(), 0);
    let doc = json(&antipasta(dir.path(), &["diff", "HEAD~1", "HEAD"]));
    assert_eq!(antipasta_changes(&doc), limited);
    git(dir.path(), &["config", "--unset", "diff.renameLimit"]);
    git(dir.path(), &["config", "diff.renames", "false"]);
    let off = git_changes(dir.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(off.iter().filter(|c| c.1 == 'R').count(), 0);
    let doc = json(&antipasta(dir.path(), &["diff", "HEAD~1", "HEAD"]));
    assert_eq!(antipasta_changes(&doc), off);
}

#[test]
fn a_function_moved_to_another_file_is_judged_against_its_old_version() {
    let dir = repo();
    write(dir.path(), "a.py", &format!("{SIMPLE}\n\n{LEGACY}"));
    write(
        dir.path(),
        "c.py",
        &format!("{SIMPLE}\n\n{WORSE}").replacen("simple", "keep", 1),
    );
    commit(dir.path(), "base");
    // `legacy` moves unchanged to a new file; `simple` (complex) of c.py
    // moves to b.py and gets worse.
    write(dir.path(), "a.py", SIMPLE);
    let worse_still = WORSE.replace("return 0", "if x: return 5\n    return 0");
    write(dir.path(), "b.py", &format!("{LEGACY}\n\n{worse_still}"));
    write(dir.path(), "c.py", &SIMPLE.replace("simple", "keep"));
    commit(dir.path(), "move");
    let expected = git_changes(dir.path(), &["-M", "HEAD~1", "HEAD"]);
    let output = antipasta(dir.path(), &["diff", "HEAD~1", "HEAD"]);
    let doc = json(&output);
    assert_eq!(antipasta_changes(&doc), expected);
    let moved: Vec<(String, String, String)> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|file| file["functions"].as_array().cloned().unwrap_or_default())
        .filter(|f| !f["change"]["moved_from"].is_null())
        .map(|f| {
            (
                f["qualified_name"].as_str().unwrap_or("").to_owned(),
                f["change"]["status"].as_str().unwrap_or("").to_owned(),
                f["change"]["moved_from"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            (
                "legacy".to_owned(),
                "modified".to_owned(),
                "a.py".to_owned()
            ),
            (
                "simple".to_owned(),
                "modified".to_owned(),
                "c.py".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(&doc),
        [
            ("existing".to_owned(), "legacy".to_owned()),
            ("worsened".to_owned(), "simple".to_owned()),
        ]
    );
    assert_eq!(output.status.code(), Some(1));
    // Moved unchanged only: nothing new, the diff passes.
    git(dir.path(), &["reset", "-q", "--hard", "HEAD~1"]);
    write(dir.path(), "a.py", SIMPLE);
    write(dir.path(), "b.py", LEGACY);
    commit(dir.path(), "move unchanged");
    let output = antipasta(dir.path(), &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(
        violations(&json(&output)),
        [("existing".to_owned(), "legacy".to_owned())]
    );
    assert_eq!(output.status.code(), Some(0));
}
