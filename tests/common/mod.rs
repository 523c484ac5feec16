//! Helpers shared by the integration tests.
// Each integration test crate compiles this module and uses a subset of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with a fixed identity; panics when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// Everything git keeps for the worktree and index, to prove nothing changed.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("readable dir") {
            let path = entry.expect("entry").path();
            let relative = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            if relative.starts_with(".git/") && relative != ".git/index" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((relative, std::fs::read(&path).expect("readable file")));
            }
        }
    }
    files.sort();
    files
}
