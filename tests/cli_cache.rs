//! The result cache: identical results warm, cold and uncached; survives
//! corruption, unusable directories and concurrent processes.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;

fn run(dir: &Path, cache: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["check", "--format", "json", "--cache-dir"])
        .arg(cache)
        .args(extra)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("ANTIPASTA_NO_CACHE")
        .output()
        .expect("antipasta runs")
}

/// The document without the cache counters (and the scored-unit count,
/// which a cache hit makes 0), and the counters.
fn split(output: &Output) -> (Value, (u64, u64)) {
    let mut doc: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let summary = doc["summary"].as_object_mut().expect("summary");
    summary.remove("units_scored").expect("units_scored");
    let hits = summary
        .remove("cache_hits")
        .and_then(|v| v.as_u64())
        .unwrap_or(u64::MAX);
    let misses = summary
        .remove("cache_misses")
        .and_then(|v| v.as_u64())
        .unwrap_or(u64::MAX);
    (doc, (hits, misses))
}

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..12 {
        let source = format!("def f{i}(a, b):\n    if a and b:\n        return {i}\n    return [x for x in a if x]\n");
        std::fs::write(dir.path().join(format!("m{i:02}.py")), source).expect("write");
    }
    std::fs::write(dir.path().join("broken.py"), "def f(:\n").expect("write");
    dir
}

#[test]
fn warm_cold_and_uncached_runs_agree() {
    let dir = corpus();
    let cache = tempfile::tempdir().expect("cache dir");
    let (cold, cold_counts) = split(&run(dir.path(), cache.path(), &[]));
    let (warm, warm_counts) = split(&run(dir.path(), cache.path(), &[]));
    let (uncached, uncached_counts) = split(&run(dir.path(), cache.path(), &["--no-cache"]));
    assert_eq!(cold_counts, (0, 13));
    assert_eq!(warm_counts, (13, 0));
    assert_eq!(uncached_counts, (0, 0));
    assert_eq!(cold, warm);
    assert_eq!(cold, uncached);
    // A threshold change re-judges cached numbers without re-analysis.
    let (strict, counts) = split(&run(dir.path(), cache.path(), &["-t", "cyc=2"]));
    assert_eq!(counts, (13, 0));
    assert_eq!(strict["summary"]["violations"], 12);
}

#[test]
fn a_corrupt_cache_never_changes_results() {
    let dir = corpus();
    let cache = tempfile::tempdir().expect("cache dir");
    let (expected, _) = split(&run(dir.path(), cache.path(), &["--no-cache"]));
    run(dir.path(), cache.path(), &[]);
    let data = cache.path().join("data.mdb");
    let mut bytes = std::fs::read(&data).expect("cache data file");
    for (i, byte) in bytes.iter_mut().enumerate().skip(4096) {
        *byte = (i * 7 % 251) as u8;
    }
    std::fs::write(&data, bytes).expect("overwrite");
    let output = run(dir.path(), cache.path(), &[]);
    assert!(
        matches!(output.status.code(), Some(1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (doc, _) = split(&output);
    assert_eq!(doc, expected);
}

#[test]
fn an_unusable_cache_directory_degrades_to_no_cache_with_a_warning() {
    let dir = corpus();
    let blocker = tempfile::NamedTempFile::new().expect("a file where the cache dir should be");
    let output = run(dir.path(), &blocker.path().join("cache"), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
    let (doc, counts) = split(&output);
    assert_eq!(counts, (0, 0));
    assert_eq!(doc["summary"]["files"], 13);
}

#[test]
fn eight_processes_share_one_cache() {
    let dir = corpus();
    let cache = tempfile::tempdir().expect("cache dir");
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_antipasta"))
                .args(["check", "--format", "json", "--cache-dir"])
                .arg(cache.path())
                .current_dir(dir.path())
                .env_remove("ANTIPASTA_NO_CACHE")
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("spawns")
        })
        .collect();
    let outputs: Vec<Value> = children
        .into_iter()
        .map(|child| split(&child.wait_with_output().expect("finishes")).0)
        .collect();
    for output in &outputs[1..] {
        assert_eq!(output, &outputs[0]);
    }
    let (_, counts) = split(&run(dir.path(), cache.path(), &[]));
    assert_eq!(counts, (13, 0));
}

#[test]
fn clean_tracked_files_hit_by_index_id_and_edits_are_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| common::git(dir.path(), args);
    git(&["init", "-q"]);
    std::fs::write(dir.path().join("a.py"), "def f(a):\n    return a\n").expect("write");
    std::fs::write(dir.path().join("b.py"), "def g(b):\n    return b\n").expect("write");
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    // Let the index stat data stop being racy, then refresh it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    git(&["update-index", "--really-refresh"]);
    let cache = dir.path().join(".git/antipasta/cache");
    let (_, counts) = split(&run(dir.path(), &cache, &[]));
    assert_eq!(counts, (0, 2));
    let (_, counts) = split(&run(dir.path(), &cache, &[]));
    assert_eq!(counts, (2, 0));
    std::fs::write(
        dir.path().join("a.py"),
        "def f(a, b):\n    if a and b:\n        return a\n    return b\n",
    )
    .expect("edit");
    let (doc, counts) = split(&run(dir.path(), &cache, &[]));
    assert_eq!(counts, (1, 1));
    assert_eq!(
        doc["files"][0]["functions"][0]["metrics"]["cyclomatic_complexity"],
        3
    );
}

#[test]
fn a_process_killed_mid_write_leaves_a_usable_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..300 {
        let body: String = (0..40)
            .map(|j| format!("    if a == {j}:\n        b += {i}\n"))
            .collect();
        std::fs::write(
            dir.path().join(format!("m{i:03}.py")),
            format!("def f{i}(a, b):\n{body}    return b\n"),
        )
        .expect("write");
    }
    let cache = tempfile::tempdir().expect("cache dir");
    let (expected, _) = split(&run(dir.path(), cache.path(), &["--no-cache"]));
    for delay_ms in [5u64, 20, 60, 120, 250] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_antipasta"))
            .args(["check", "--format", "json", "--cache-dir"])
            .arg(cache.path())
            .current_dir(dir.path())
            .env_remove("ANTIPASTA_NO_CACHE")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Each killed run may or may not have committed; the cache stays consistent.
        let (doc, _) = split(&run(dir.path(), cache.path(), &[]));
        assert_eq!(doc, expected, "after a kill at {delay_ms} ms");
    }
}

#[test]
fn cache_commands_report_prune_and_clear() {
    let dir = corpus();
    let cache = tempfile::tempdir().expect("cache dir");
    run(dir.path(), cache.path(), &[]);
    let command = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_antipasta"))
            .arg("cache")
            .args(args)
            .arg("--cache-dir")
            .arg(cache.path())
            .current_dir(dir.path())
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let stats = command(&["stats"]);
    assert!(stats.contains("entries: 13"), "{stats}");
    assert!(stats.contains("last run: 0 hits, 13 misses"), "{stats}");
    assert!(command(&["prune", "--days", "30"]).starts_with("removed 0 entries"));
    assert!(command(&["prune", "--max-size", "0"]).starts_with("removed 13 entries"));
    run(dir.path(), cache.path(), &[]);
    assert!(command(&["clear"]).starts_with("removed 13 entries"));
    assert!(!cache.path().join("data.mdb").exists());
    assert!(command(&["stats"]).contains("no cache here yet"));
}

#[test]
fn config_can_disable_or_place_the_cache() {
    let dir = corpus();
    let check_with_config_only = || {
        Command::new(env!("CARGO_BIN_EXE_antipasta"))
            .args(["check", "--format", "json"])
            .current_dir(dir.path())
            .env_remove("ANTIPASTA_NO_CACHE")
            .env_remove("ANTIPASTA_CACHE_DIR")
            .output()
            .expect("runs")
    };
    std::fs::write(
        dir.path().join(".antipasta.toml"),
        "[cache]\nenabled = false\n",
    )
    .expect("write");
    let output = check_with_config_only();
    assert_eq!(split(&output).1, (0, 0));
    std::fs::write(
        dir.path().join(".antipasta.toml"),
        "[cache]\ndir = \"build/cache\"\nmax_age_days = 7\n",
    )
    .expect("write");
    let output = check_with_config_only();
    assert_eq!(split(&output).1, (0, 13));
    assert!(dir.path().join("build/cache/data.mdb").is_file());
}

#[test]
fn a_read_only_location_degrades_to_no_cache_with_a_warning() {
    // /proc is read-only for everyone, root included (permission bits are not).
    let read_only = Path::new("/proc/self/antipasta-cache");
    if !Path::new("/proc/self").is_dir() {
        eprintln!("SKIPPED: no /proc on this system to provide a read-only directory");
        return;
    }
    let dir = corpus();
    let (expected, _) = split(&run(dir.path(), read_only, &["--no-cache"]));
    let output = run(dir.path(), read_only, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
    assert_eq!(split(&output).0, expected);
}

#[test]
fn the_fixture_corpus_is_byte_identical_with_and_without_cache() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python/corpus");
    assert!(
        corpus.is_dir(),
        "{} is missing: run fixtures/python/fetch_corpus.sh first",
        corpus.display()
    );
    let cache = tempfile::tempdir().expect("cache dir");
    let config = cache.path().join("antipasta.toml");
    std::fs::write(&config, "ignore_patterns = []\n").expect("write config");
    let config = config.to_string_lossy().into_owned();
    let args = ["--config", config.as_str()];
    let (uncached, _) = split(&run(
        &corpus,
        cache.path(),
        &[&args[..], &["--no-cache"]].concat(),
    ));
    let (cold, (hits, misses)) = split(&run(&corpus, cache.path(), &args));
    assert_eq!((hits, misses), (0, 615));
    let (warm, (hits, misses)) = split(&run(&corpus, cache.path(), &args));
    assert_eq!((hits, misses), (615, 0));
    assert_eq!(
        serde_json::to_string(&uncached).ok(),
        serde_json::to_string(&cold).ok()
    );
    assert_eq!(
        serde_json::to_string(&uncached).ok(),
        serde_json::to_string(&warm).ok()
    );
}
