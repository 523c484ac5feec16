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

/// Runs antipasta in `dir` with the cache enabled and nothing from the
/// environment choosing its place.
fn antipasta(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("ANTIPASTA_NO_CACHE")
        .env_remove("ANTIPASTA_CACHE_DIR")
        .output()
        .expect("antipasta runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const CLEAN_SOURCE: &str = "def ok(a):\n    return a\n";

/// A function of cyclomatic complexity 13.
fn complex_source() -> String {
    let body: String = (0..12)
        .map(|i| format!("    if a == {i}:\n        a += 1\n"))
        .collect();
    format!("def tangled(a):\n{body}    return a\n")
}

/// A repository whose first commit has a clean file and whose second adds
/// a function over the default cyclomatic threshold.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| common::git(dir.path(), args);
    git(&["init", "-q"]);
    std::fs::write(dir.path().join("clean.py"), CLEAN_SOURCE).expect("write");
    git(&["add", "."]);
    git(&["commit", "-qm", "clean"]);
    std::fs::write(dir.path().join("complex.py"), complex_source()).expect("write");
    git(&["add", "."]);
    git(&["commit", "-qm", "complex"]);
    dir
}

fn hash_object(dir: &Path, file: &str) -> String {
    let output = Command::new("git")
        .args(["hash-object", file])
        .current_dir(dir)
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Issue 10, finding 2: a clean file's cached value copied onto the
/// violating file's key made `check` and `diff` pass.
#[test]
fn a_value_forged_onto_another_key_is_rejected_and_the_violation_still_fails() {
    let dir = repository();
    let cache = tempfile::tempdir().expect("cache dir");
    let cache_arg = cache.path().to_string_lossy().into_owned();
    let check = ["check", "--cache-dir", &cache_arg];
    let diff = ["diff", "HEAD~1", "HEAD", "--cache-dir", &cache_arg];
    assert_eq!(antipasta(dir.path(), &check).status.code(), Some(1));
    assert_eq!(antipasta(dir.path(), &diff).status.code(), Some(1));
    let clean = hash_object(dir.path(), "clean.py");
    let complex = hash_object(dir.path(), "complex.py");
    let forge = || {
        // SAFETY: no antipasta process uses this cache while the test writes.
        let env = unsafe {
            heed::EnvOpenOptions::new()
                .max_dbs(1)
                .open(cache.path())
                .expect("opens the cache")
        };
        let wtxn = env.write_txn().expect("write txn");
        let db = env
            .create_databases_and_commit(wtxn, |opener, wtxn| -> Result<_, heed::Error> {
                let db = opener.create_database::<heed::types::Bytes, heed::types::Bytes>(
                    wtxn,
                    Some("results"),
                )?;
                Ok(heed::CommitOrAbort::<_, ()>::Commit(db))
            })
            .expect("opens the results database")
            .unwrap_commit();
        let mut wtxn = env.write_txn().expect("write txn");
        let (key, value) = db
            .iter(&wtxn)
            .expect("iterates")
            .map(|item| item.expect("entry"))
            .find(|(key, _)| key.starts_with(clean.as_bytes()))
            .map(|(key, value)| (key.to_vec(), value.to_vec()))
            .expect("the clean file's entry");
        let forged_key = [complex.as_bytes(), &key[clean.len()..]].concat();
        db.put(&mut wtxn, &forged_key, &value).expect("forges");
        wtxn.commit().expect("commits");
        env.prepare_for_closing().wait();
    };
    for args in [&check[..], &diff[..]] {
        forge();
        let output = antipasta(dir.path(), args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).contains("tangled"), "{}", stdout(&output));
        assert!(
            stderr(&output).contains("failed their checksum"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // The forged entry was rewritten with the real result.
    let output = antipasta(dir.path(), &check);
    assert_eq!(output.status.code(), Some(1));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}

/// Issue 10, finding 3: a truncated, zero-filled or garbled data file
/// killed every command with SIGBUS. Now each exits with its usual code
/// and says what it found.
#[test]
fn a_damaged_data_file_never_ends_a_command_with_a_signal() {
    let dir = repository();
    type Damaging = (&'static str, fn(&Path));
    let damages: [Damaging; 3] = [
        ("truncated", |data| {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(data)
                .expect("open");
            file.set_len(8192).expect("truncate");
        }),
        ("zero-filled", |data| {
            let length = std::fs::metadata(data).expect("stat").len();
            std::fs::write(data, vec![0u8; length as usize]).expect("write");
        }),
        ("random pages", |data| {
            let mut bytes = std::fs::read(data).expect("read");
            let mut state: u64 = 0x2545_f491_4f6c_dd1d;
            for byte in bytes.iter_mut().skip(2 * 4096) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *byte = state as u8;
            }
            std::fs::write(data, bytes).expect("write");
        }),
    ];
    let commands: [(&[&str], i32, &str); 5] = [
        (&["check"], 1, "warning: the cache was damaged"),
        (
            &["diff", "HEAD~1", "HEAD"],
            1,
            "warning: the cache was damaged",
        ),
        (&["cache", "stats"], 0, "warning: the cache is damaged"),
        (&["cache", "clear"], 0, "removed a damaged cache"),
        (&["cache", "prune"], 0, "warning: the cache was damaged"),
    ];
    for (damage, apply) in damages {
        for (command, code, says) in commands {
            let cache = tempfile::tempdir().expect("cache dir");
            let cache_arg = cache.path().to_string_lossy().into_owned();
            let with_cache = |args: &[&str]| {
                antipasta(dir.path(), &[args, &["--cache-dir", &cache_arg]].concat())
            };
            assert_eq!(with_cache(&["check"]).status.code(), Some(1));
            apply(&cache.path().join("data.mdb"));
            let output = with_cache(command);
            assert_eq!(
                output.status.code(),
                Some(code),
                "{command:?} on a {damage} cache: {output:?}"
            );
            let said = format!("{}{}", stdout(&output), stderr(&output));
            assert!(
                said.contains(says),
                "{command:?} on a {damage} cache: {said}"
            );
            // Whatever the command did, the next runs have a working cache
            // (after `cache stats`, which changes nothing, the next run rebuilds it).
            assert_eq!(with_cache(&["check"]).status.code(), Some(1));
            let output = with_cache(&["check"]);
            assert_eq!(output.status.code(), Some(1), "{output:?}");
            assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
        }
    }
}

/// Issue 10, finding 2: with `[cache] dir = ".cache/antipasta"` the cache
/// sat unignored in the worktree, where `git add -A` committed it.
#[test]
fn a_cache_in_the_worktree_is_ignored_by_git_or_refused() {
    let dir = repository();
    let git = |args: &[&str]| common::git(dir.path(), args);
    std::fs::write(
        dir.path().join(".antipasta.toml"),
        "[cache]\ndir = \".cache/antipasta\"\n",
    )
    .expect("write");
    git(&["add", ".antipasta.toml"]);
    git(&["commit", "-qm", "config"]);
    let output = antipasta(dir.path(), &["check", "--format", "json"]);
    assert_eq!(split(&output).1, (0, 2), "{}", stderr(&output));
    assert!(dir.path().join(".cache/antipasta/data.mdb").is_file());
    let status = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(dir.path())
        .output()
        .expect("git runs");
    assert_eq!(stdout(&status), "", "git would commit the cache");

    // A directory of other files that git does not ignore: refused.
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("mkdir");
    std::fs::write(shared.join("notes.txt"), "mine\n").expect("write");
    let output = antipasta(
        dir.path(),
        &["check", "--format", "json", "--cache-dir", "shared"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(split(&output).1, (0, 0));
    assert_eq!(stderr(&output).matches("warning").count(), 1);
    assert!(
        stderr(&output).contains("does not ignore"),
        "{}",
        stderr(&output)
    );
    assert!(!shared.join("data.mdb").exists());

    // A cache committed to the repository (ignored, but tracked): refused.
    let shipped = dir.path().join("shipped");
    std::fs::create_dir(&shipped).expect("mkdir");
    std::fs::write(shipped.join(".gitignore"), "*\n").expect("write");
    std::fs::write(shipped.join("data.mdb"), "").expect("write");
    git(&["add", "-f", "shipped"]);
    git(&["commit", "-qm", "a cache from elsewhere"]);
    let output = antipasta(
        dir.path(),
        &["check", "--format", "json", "--cache-dir", "shipped"],
    );
    assert_eq!(split(&output).1, (0, 0));
    assert!(
        stderr(&output).contains("git tracks"),
        "{}",
        stderr(&output)
    );
}

/// Issue 10, finding 12: `cache stats` created the cache it reported on.
#[test]
fn cache_stats_on_a_missing_cache_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no/cache/here");
    let missing_arg = missing.to_string_lossy().into_owned();
    let output = antipasta(dir.path(), &["cache", "stats", "--cache-dir", &missing_arg]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("no cache here yet"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("build fingerprint: "));
    assert!(!dir.path().join("no").exists());
}

/// Issue 10, finding 10: `days * 86400` wrapped and removed every entry,
/// from `cache prune --days` and from `max_age_days` in the config alike.
#[test]
fn prune_ages_and_sizes_saturate() {
    let dir = corpus();
    let cache = tempfile::tempdir().expect("cache dir");
    let cache_arg = cache.path().to_string_lossy().into_owned();
    std::fs::write(
        dir.path().join(".antipasta.toml"),
        "[cache]\nmax_age_days = 144115188075855872\nmax_size_mb = 18446744073709551615\n",
    )
    .expect("write");
    // The first run also prunes automatically, with the configured limits.
    let (_, counts) = split(&run(dir.path(), cache.path(), &[]));
    assert_eq!(counts, (0, 13));
    let stats = stdout(&antipasta(
        dir.path(),
        &["cache", "stats", "--cache-dir", &cache_arg],
    ));
    assert!(stats.contains("entries: 13"), "{stats}");
    for limits in [
        &["--days", "144115188075855872"][..],
        &["--days", "18446744073709551615"],
        &["--max-size", "18446744073709551615"],
        &["--max-size", "17592186044416"],
    ] {
        let output = antipasta(
            dir.path(),
            &[&["cache", "prune", "--cache-dir", &cache_arg][..], limits].concat(),
        );
        assert_eq!(
            stdout(&output),
            format!("removed 0 entries from {cache_arg}\n")
        );
    }
}

/// Issue 10, finding 12: a cache the user may read but not write was not
/// used at all. Now its entries answer and nothing is stored.
#[cfg(unix)]
#[test]
fn a_read_only_cache_is_read() {
    let unprivileged = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|status| status.success());
    if !unprivileged {
        eprintln!("SKIPPED: cannot run as another user (needs root and setpriv)");
        return;
    }
    let dir = corpus();
    let cache = tempfile::tempdir().expect("cache dir");
    let (expected, counts) = split(&run(dir.path(), cache.path(), &[]));
    assert_eq!(counts, (0, 13));
    // A cache others may read but not write (LMDB creates its files 0600).
    for (path, mode) in [
        (dir.path().to_owned(), 0o755),
        (cache.path().to_owned(), 0o755),
        (cache.path().join("data.mdb"), 0o644),
        (cache.path().join("lock.mdb"), 0o644),
    ] {
        let mode = std::os::unix::fs::PermissionsExt::from_mode(mode);
        std::fs::set_permissions(path, mode).expect("chmod");
    }
    let before = std::fs::read(cache.path().join("data.mdb")).expect("read");
    let output = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_antipasta"))
        .args(["check", "--format", "json", "--cache-dir"])
        .arg(cache.path())
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("ANTIPASTA_NO_CACHE")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let (doc, counts) = split(&output);
    assert_eq!(counts, (13, 0), "{}", stderr(&output));
    assert_eq!(doc, expected);
    assert_eq!(
        stderr(&output)
            .matches("note: the cache is read-only")
            .count(),
        1
    );
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(cache.path().join("data.mdb")).expect("read"),
        before
    );
}

/// Copies the crate's sources to `to`, renamed so that its build cannot
/// replace this test's binary in the shared target directory.
#[cfg(unix)]
fn copy_crate(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["Cargo.lock", "build.rs"] {
        std::fs::copy(root.join(file), to.join(file)).expect("copy");
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
    let manifest = manifest
        .replacen("name = \"antipasta\"\n", "name = \"antipasta-probe\"\n", 1)
        .replace("default-run = \"antipasta\"", "default-run = \"antipasta-probe\"")
        .replace(
            "[[bin]]\nname = \"antipasta\"",
            "[lib]\nname = \"antipasta\"\npath = \"src/lib.rs\"\n\n[[bin]]\nname = \"antipasta-probe\"",
        );
    std::fs::write(to.join("Cargo.toml"), manifest).expect("manifest");
    // The patched grammars are shared, not copied (25 MB).
    std::os::unix::fs::symlink(root.join("grammars"), to.join("grammars")).expect("symlink");
    // The sources and the files they include.
    let mut pending = vec![
        std::path::PathBuf::from("src"),
        std::path::PathBuf::from("hooks"),
    ];
    while let Some(relative) = pending.pop() {
        std::fs::create_dir_all(to.join(&relative)).expect("mkdir");
        for entry in std::fs::read_dir(root.join(&relative)).expect("read dir") {
            let name = relative.join(entry.expect("entry").file_name());
            if root.join(&name).is_dir() {
                pending.push(name);
            } else {
                std::fs::copy(root.join(&name), to.join(&name)).expect("copy");
            }
        }
    }
}

#[cfg(unix)]
fn fingerprint(binary: &Path, cache: &Path) -> String {
    let output = Command::new(binary)
        .args(["cache", "stats", "--cache-dir"])
        .arg(cache)
        .output()
        .expect("runs");
    stdout(&output)
        .lines()
        .find_map(|line| line.strip_prefix("build fingerprint: "))
        .expect("stats shows the fingerprint")
        .to_owned()
}

/// Issue 15, item 4: a build that differs in one metric rule (here the
/// maintainability index's cyclomatic weight) has another fingerprint and
/// never answers from the first build's entries, though the version is the same.
#[cfg(unix)]
#[test]
fn builds_that_differ_in_one_metric_rule_never_share_entries() {
    let probe = tempfile::tempdir().expect("tempdir");
    copy_crate(probe.path());
    let rule = probe.path().join("src/metrics/maintainability.rs");
    let source = std::fs::read_to_string(&rule).expect("read");
    let weight = "0.23 * inputs.cyclomatic";
    assert!(source.contains(weight), "the rule this test edits moved");
    std::fs::write(&rule, source.replace(weight, "0.46 * inputs.cyclomatic")).expect("write");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target directory")
        .to_owned();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // Built as `cargo test` builds this crate's binary, so that every
    // dependency is already compiled with the same features.
    std::fs::create_dir(probe.path().join("tests")).expect("mkdir");
    std::fs::write(probe.path().join("tests/probe.rs"), "").expect("write");
    let build = Command::new(cargo)
        .args(["test", "--offline", "--no-run", "--test", "probe"])
        .current_dir(probe.path())
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(build.success());
    let second = target.join("debug/antipasta-probe");
    let first = Path::new(env!("CARGO_BIN_EXE_antipasta"));

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("complex.py"), complex_source()).expect("write");
    let cache = tempfile::tempdir().expect("cache dir");
    let check = |binary: &Path| {
        let output = Command::new(binary)
            .args(["check", "--format", "json", "--cache-dir"])
            .arg(cache.path())
            .current_dir(dir.path())
            .env_remove("ANTIPASTA_NO_CACHE")
            .output()
            .expect("runs");
        let (doc, counts) = split(&output);
        (
            doc["files"][0]["metrics"]["maintainability_index"].clone(),
            counts,
        )
    };
    assert_ne!(
        fingerprint(first, cache.path()),
        fingerprint(&second, cache.path())
    );
    let (first_mi, counts) = check(first);
    assert_eq!(counts, (0, 1));
    assert_eq!(check(first), (first_mi.clone(), (1, 0)));
    let (second_mi, counts) = check(&second);
    assert_eq!(
        counts,
        (0, 1),
        "the second build answered from the first's entry"
    );
    assert_ne!(second_mi, first_mi);
    assert_eq!(check(&second), (second_mi, (1, 0)));
    assert_eq!(check(first), (first_mi, (1, 0)));
}

/// A garbled or truncated lock file is reinitialised by LMDB when no other
/// process holds it: the entries still answer.
#[test]
fn a_garbled_lock_file_costs_nothing() {
    let dir = corpus();
    let cache = tempfile::tempdir().expect("cache dir");
    let (expected, _) = split(&run(dir.path(), cache.path(), &[]));
    let lock = cache.path().join("lock.mdb");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    for bytes in [&garbage[..], &garbage[..10], &[]] {
        std::fs::write(&lock, bytes).expect("write");
        let output = run(dir.path(), cache.path(), &[]);
        assert_eq!(output.status.code(), Some(1));
        assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
        assert_eq!(split(&output), (expected.clone(), (13, 0)));
    }
}
