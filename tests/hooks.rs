//! The plain git hook `hooks/pre-commit` and `antipasta hook install`,
//! exercised through real `git commit` runs in temporary repositories.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCRIPT: &str = include_str!("../hooks/pre-commit");
const SIMPLE: &str = "def simple(a):\n    return a\n";

/// `busy` has cyclomatic complexity 12, over the default limit of 10.
fn busy() -> String {
    let mut source = String::from("def busy(x):\n");
    for i in 0..11 {
        source.push_str(&format!("    if x == {i}:\n        return {i}\n"));
    }
    source.push_str("    return -1\n");
    source
}

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

/// git (or antipasta) in `dir` with a fixed identity, no user or system
/// config, and antipasta on PATH.
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
        .env("NO_COLOR", "1");
    command
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = command("git", dir).args(args).output().expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        text(&output)
    );
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

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

/// A repository with one commit and antipasta's hook installed.
fn hooked_repo() -> tempfile::TempDir {
    let dir = repo();
    std::fs::write(dir.path().join("README"), "x\n").expect("write");
    git(dir.path(), &["add", "README"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    let output = antipasta(dir.path(), &["hook", "install"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    dir
}

fn commit(dir: &Path, message: &str) -> Output {
    command("git", dir)
        .args(["commit", "-qm", message])
        .output()
        .expect("git runs")
}

fn hook_path(dir: &Path) -> PathBuf {
    dir.join(".git/hooks/pre-commit")
}

#[test]
fn a_function_over_the_threshold_is_refused_by_name_and_value() {
    let dir = hooked_repo();
    std::fs::write(dir.path().join("a.py"), busy()).expect("write");
    git(dir.path(), &["add", "a.py"]);
    let output = commit(dir.path(), "busy");
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("a.py:1:1: cyclomatic_complexity 12 (limit <= 10) in busy"),
        "{}",
        text(&output)
    );
    let log = git(dir.path(), &["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 1);
}

#[test]
fn a_simple_function_commits() {
    let dir = hooked_repo();
    std::fs::write(dir.path().join("a.py"), SIMPLE).expect("write");
    git(dir.path(), &["add", "a.py"]);
    let output = commit(dir.path(), "simple");
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn a_partially_staged_file_is_judged_by_its_staged_content() {
    let dir = hooked_repo();
    let file = dir.path().join("a.py");
    // Simple staged, busy in the worktree only: commits.
    std::fs::write(&file, SIMPLE).expect("write");
    git(dir.path(), &["add", "a.py"]);
    std::fs::write(&file, busy()).expect("write");
    let output = commit(dir.path(), "simple staged");
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), busy());
    // Busy staged, simple in the worktree: refused.
    git(dir.path(), &["add", "a.py"]);
    std::fs::write(&file, SIMPLE).expect("write");
    let output = commit(dir.path(), "busy staged");
    assert!(!output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("in busy"), "{}", text(&output));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), SIMPLE);
}

#[test]
fn without_antipasta_on_path_the_hook_says_so() {
    let dir = repo();
    let output = Command::new("/bin/sh")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-commit"))
        .current_dir(dir.path())
        .env("PATH", "/nonexistent")
        .output()
        .expect("sh runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("'antipasta' is not on PATH"),
        "{}",
        text(&output)
    );
}

#[test]
fn install_writes_the_script_executable_and_is_idempotent() {
    let dir = hooked_repo();
    let hook = hook_path(dir.path());
    assert_eq!(std::fs::read_to_string(&hook).expect("installed"), SCRIPT);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).expect("stat").permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "executable: {mode:o}");
    }
    let again = antipasta(dir.path(), &["hook", "install"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again).contains("already up to date"),
        "{}",
        text(&again)
    );
    // An older antipasta hook (marker present, text differs) is updated.
    std::fs::write(&hook, SCRIPT.replace("exec antipasta", "exec  antipasta")).expect("write");
    let update = antipasta(dir.path(), &["hook", "install"]);
    assert_eq!(update.status.code(), Some(0));
    assert!(text(&update).contains("updated"), "{}", text(&update));
    assert_eq!(std::fs::read_to_string(&hook).expect("read"), SCRIPT);
}

#[test]
fn install_refuses_a_foreign_hook_unless_forced() {
    let dir = repo();
    let hook = hook_path(dir.path());
    std::fs::create_dir_all(hook.parent().expect("hooks dir")).expect("mkdir");
    let foreign = "#!/bin/sh\nexec make lint\n";
    std::fs::write(&hook, foreign).expect("write");
    let refused = antipasta(dir.path(), &["hook", "install"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused).contains("a hook that antipasta did not install is already there"),
        "{}",
        text(&refused)
    );
    assert_eq!(std::fs::read_to_string(&hook).expect("read"), foreign);
    let forced = antipasta(dir.path(), &["hook", "install", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    assert!(text(&forced).contains("replaced"), "{}", text(&forced));
    assert_eq!(std::fs::read_to_string(&hook).expect("read"), SCRIPT);
}

#[test]
fn install_honours_a_relative_core_hooks_path_from_a_subdirectory() {
    let dir = repo();
    git(dir.path(), &["config", "core.hooksPath", ".githooks"]);
    std::fs::create_dir(dir.path().join("src")).expect("mkdir");
    let output = antipasta(&dir.path().join("src"), &["hook", "install"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let hook = dir.path().join(".githooks/pre-commit");
    assert_eq!(std::fs::read_to_string(hook).expect("installed"), SCRIPT);
    assert!(!hook_path(dir.path()).exists());
    // git runs it from there.
    std::fs::write(dir.path().join("a.py"), busy()).expect("write");
    git(dir.path(), &["add", "a.py"]);
    assert!(!commit(dir.path(), "busy").status.success());
}

#[test]
fn install_honours_an_absolute_core_hooks_path() {
    let dir = repo();
    let hooks = tempfile::tempdir().expect("tempdir");
    let target = hooks.path().join("shared hooks");
    let target_text = target.to_str().expect("utf-8 temp path");
    git(dir.path(), &["config", "core.hooksPath", target_text]);
    let output = antipasta(dir.path(), &["hook", "install"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(
        std::fs::read_to_string(target.join("pre-commit")).expect("installed"),
        SCRIPT
    );
}

#[test]
fn install_outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = command(env!("CARGO_BIN_EXE_antipasta"), dir.path())
        .args(["hook", "install"])
        .env(
            "GIT_CEILING_DIRECTORIES",
            dir.path().parent().expect("parent"),
        )
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("not inside a git repository"),
        "{}",
        text(&output)
    );
}

/// A file outside the repository that a planted symlink points at, with
/// its content and mode, to check that `hook install` never wrote to it.
#[cfg(unix)]
struct Victim {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

#[cfg(unix)]
const VICTIM_TEXT: &str = "export SECRET=1\n";

#[cfg(unix)]
impl Victim {
    fn new() -> Victim {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".bashrc");
        std::fs::write(&path, VICTIM_TEXT).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        Victim { _dir: dir, path }
    }

    fn assert_untouched(&self) {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::read_to_string(&self.path).expect("read"),
            VICTIM_TEXT
        );
        let mode = std::fs::metadata(&self.path)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    }
}

/// The installed hook is a regular file (not a symlink) holding the script.
#[cfg(unix)]
fn assert_regular_hook(hook: &Path) {
    let meta = std::fs::symlink_metadata(hook).expect("lstat");
    assert!(meta.file_type().is_file(), "{:?}", meta.file_type());
    assert_eq!(std::fs::read_to_string(hook).expect("read"), SCRIPT);
}

#[cfg(unix)]
#[test]
fn install_never_writes_through_a_symlink_planted_at_a_temporary_name() {
    // The repository commits `.githooks/.pre-commit.antipasta-tmp -> ~/.bashrc`
    // (the temporary name an earlier antipasta used) and points
    // core.hooksPath there.
    let dir = repo();
    let victim = Victim::new();
    let hooks = dir.path().join(".githooks");
    std::fs::create_dir(&hooks).expect("mkdir");
    std::os::unix::fs::symlink(&victim.path, hooks.join(".pre-commit.antipasta-tmp"))
        .expect("symlink");
    git(dir.path(), &["config", "core.hooksPath", ".githooks"]);
    let output = antipasta(dir.path(), &["hook", "install"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    victim.assert_untouched();
    assert_regular_hook(&hooks.join("pre-commit"));
}

#[cfg(unix)]
#[test]
fn install_refuses_a_symlinked_hook_and_replaces_it_only_when_forced() {
    let dir = repo();
    let victim = Victim::new();
    let hook = hook_path(dir.path());
    std::fs::create_dir_all(hook.parent().expect("hooks dir")).expect("mkdir");
    std::os::unix::fs::symlink(&victim.path, &hook).expect("symlink");
    let refused = antipasta(dir.path(), &["hook", "install"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("is a symbolic link"),
        "{}",
        text(&refused)
    );
    victim.assert_untouched();
    assert!(std::fs::symlink_metadata(&hook)
        .expect("lstat")
        .file_type()
        .is_symlink());
    let forced = antipasta(dir.path(), &["hook", "install", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    assert!(text(&forced).contains("replaced"), "{}", text(&forced));
    victim.assert_untouched();
    assert_regular_hook(&hook);
}
