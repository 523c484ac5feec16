//! The GitHub Action (`action.yml`): its structure, and its shell steps run
//! locally, in order, with simulated `GITHUB_*` variables against a
//! temporary repository that has a base branch and a pull-request branch.
//! The install step is run against a fake release served on the loopback
//! interface, with `cargo` replaced by a stub that records its arguments.
//! The steps are bash scripts for Linux and macOS runners: Unix only.
#![cfg(unix)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_norway::Value;

mod common;
use common::git;

const ACTION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml");

/// Cyclomatic complexity 5.
const LEGACY: &str = "def legacy(x):\n    if x: return 1\n    if x: return 2\n    if x: return 3\n    if x: return 4\n    return 0\n";
/// Cyclomatic complexity 4.
const BRANCHY: &str =
    "def branchy(a):\n    if a and a: return 1\n    if a: return 2\n    return a\n";

fn action() -> Value {
    let text = std::fs::read_to_string(ACTION).expect("action.yml readable");
    serde_norway::from_str(&text).expect("action.yml is YAML")
}

fn steps(action: &Value) -> Vec<Value> {
    action["runs"]["steps"]
        .as_sequence()
        .expect("runs.steps")
        .clone()
}

/// Every `${{ … }}` expression in a text, trimmed.
fn expressions(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        found.push(rest[start + 3..start + length].trim());
        rest = &rest[start + length + 2..];
    }
    found
}

/// `name` in every `inputs.name` (also inside a larger expression).
fn referenced_inputs(expression: &str) -> Vec<&str> {
    expression
        .match_indices("inputs.")
        .filter(|(index, _)| {
            *index == 0 || !expression.as_bytes()[index - 1].is_ascii_alphanumeric()
        })
        .map(|(index, _)| {
            let name = &expression[index + "inputs.".len()..];
            let end = name
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(name.len());
            &name[..end]
        })
        .collect()
}

#[test]
fn action_yml_is_a_well_formed_composite_action() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_mapping().expect("inputs");
    for name in ["version", "args", "base", "fail-on", "sarif-file"] {
        assert!(inputs.contains_key(name), "input {name} missing");
    }
    assert_eq!(action["inputs"]["fail-on"]["default"], "worsened");
    let text = std::fs::read_to_string(ACTION).expect("action.yml readable");
    for expression in expressions(&text) {
        for input in referenced_inputs(expression) {
            assert!(
                inputs.contains_key(input),
                "`{expression}` names an unknown input"
            );
        }
    }
    let mut ids = Vec::new();
    for step in steps(&action) {
        if step.get("run").is_some() {
            assert!(
                step["shell"].as_str().is_some(),
                "a run step without shell: {step:?}"
            );
        } else {
            assert!(step["uses"].as_str().is_some(), "{step:?}");
        }
        // A step may read only the outputs of steps before it.
        let step_text = serde_norway::to_string(&step).expect("step serialises");
        for expression in expressions(&step_text) {
            if let Some(rest) = expression.strip_prefix("steps.") {
                let id = rest.split('.').next().unwrap_or_default();
                assert!(
                    ids.contains(&id.to_owned()),
                    "`{expression}` before step {id}"
                );
            }
        }
        if let Some(id) = step["id"].as_str() {
            ids.push(id.to_owned());
        }
    }
    let output = &action["outputs"]["exit-code"]["value"];
    assert_eq!(output, "${{ steps.run.outputs.exit-code }}");
}

/// The simulated runner: values for the expressions the steps use.
struct Runner {
    inputs: HashMap<String, String>,
    github: HashMap<&'static str, String>,
    temp: PathBuf,
    outputs: HashMap<String, HashMap<String, String>>,
    path: Vec<PathBuf>,
    /// Variables every step sees besides its own `env` (test overrides).
    env: Vec<(String, String)>,
}

/// What the last step run printed, and how it ended.
struct Ran {
    stdout: String,
    stderr: String,
    status: Option<i32>,
}

impl Runner {
    fn evaluate(&self, expression: &str) -> String {
        if let Some(name) = expression.strip_prefix("inputs.") {
            return self.inputs[name].clone();
        }
        if let Some(name) = expression.strip_prefix("github.") {
            return self.github.get(name).cloned().unwrap_or_default();
        }
        if expression == "runner.temp" {
            return self.temp.display().to_string();
        }
        if let Some(rest) = expression.strip_prefix("steps.") {
            let mut parts = rest.split('.');
            let (id, _, name) = (parts.next(), parts.next(), parts.next());
            return self.outputs[id.expect("id")][name.expect("name")].clone();
        }
        panic!("the simulated runner does not know `{expression}`");
    }

    fn substitute(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for expression in expressions(text) {
            let value = self.evaluate(expression);
            out = out.replacen(&format!("${{{{ {expression} }}}}"), &value, 1);
        }
        out
    }

    /// Runs every `run` step in order in `repo`; returns the last step's
    /// stdout, the summary and the exit code.
    fn run(&mut self, repo: &Path) -> (String, String, Option<i32>) {
        let ran = self.run_until(repo, None);
        let summary = std::fs::read_to_string(self.temp.join("summary.md")).expect("summary");
        (ran.stdout, summary, ran.status)
    }

    /// Runs the `run` steps in order in `dir` until one fails or the step
    /// named `last` has run.
    fn run_until(&mut self, dir: &Path, last: Option<&str>) -> Ran {
        let summary = self.temp.join("summary.md");
        std::fs::write(&summary, "").expect("summary file");
        let mut ran = Ran {
            stdout: String::new(),
            stderr: String::new(),
            status: None,
        };
        for step in steps(&action()) {
            let Some(script) = step["run"].as_str() else {
                continue;
            };
            let github_output = self.temp.join("output");
            let github_path = self.temp.join("path");
            std::fs::write(&github_output, "").expect("output file");
            std::fs::write(&github_path, "").expect("path file");
            let mut command = Command::new("bash");
            command
                .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
                .current_dir(dir)
                .envs(self.env.iter().map(|(k, v)| (k, v)))
                .env("GITHUB_OUTPUT", &github_output)
                .env("GITHUB_PATH", &github_path)
                .env("GITHUB_STEP_SUMMARY", &summary)
                .env("NO_COLOR", "1");
            let rest = std::env::var_os("PATH").unwrap_or_default();
            let path = self
                .path
                .iter()
                .cloned()
                .chain(std::env::split_paths(&rest));
            command.env("PATH", std::env::join_paths(path).expect("PATH"));
            for (key, value) in step["env"].as_mapping().into_iter().flatten() {
                let key = key.as_str().expect("env key");
                command.env(key, self.substitute(value.as_str().unwrap_or_default()));
            }
            let output = command.output().expect("bash runs");
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            if let Some(id) = step["id"].as_str() {
                let written = std::fs::read_to_string(&github_output).expect("output");
                let values = written
                    .lines()
                    .filter_map(|line| line.split_once('='))
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect();
                self.outputs.insert(id.to_owned(), values);
            }
            for line in std::fs::read_to_string(&github_path).expect("path").lines() {
                self.path.insert(0, PathBuf::from(line));
            }
            if !output.status.success() {
                eprintln!("step {:?} failed: {stderr}", step["name"]);
            }
            ran = Ran {
                stdout,
                stderr,
                status: output.status.code(),
            };
            if ran.status != Some(0) || last.is_some_and(|name| step["name"] == name) {
                break;
            }
        }
        ran
    }
}

/// A clone of an "origin" whose `main` has a legacy violation and whose
/// branch `pr` adds a violating function and touches the legacy one.
fn pull_request(worse_legacy: bool) -> (tempfile::TempDir, tempfile::TempDir) {
    let origin = tempfile::tempdir().expect("tempdir");
    git(origin.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(origin.path().join("legacy.py"), LEGACY).expect("write");
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "base"]);
    let clone = tempfile::tempdir().expect("tempdir");
    let url = origin.path().to_str().expect("utf-8 path");
    git(clone.path(), &["clone", "-q", url, "."]);
    git(clone.path(), &["checkout", "-q", "-b", "pr"]);
    let legacy = if worse_legacy {
        LEGACY.replace("return 0", "if x: return 5\n    return 0")
    } else {
        std::fs::write(clone.path().join("new.py"), BRANCHY).expect("write");
        LEGACY.replace("return 0", "return None")
    };
    std::fs::write(clone.path().join("legacy.py"), legacy).expect("write");
    git(clone.path(), &["add", "-A"]);
    git(clone.path(), &["commit", "-q", "-m", "pr"]);
    (origin, clone)
}

/// A runner whose install step finds antipasta already built (as after a
/// cache hit), so no test compiles the crate again.
fn simulated(inputs: &[(&str, &str)]) -> (Runner, tempfile::TempDir) {
    let temp = tempfile::tempdir().expect("tempdir");
    let action_path = env!("CARGO_MANIFEST_DIR");
    let root = temp.path().join("antipasta-install");
    std::fs::create_dir_all(root.join("bin")).expect("mkdir");
    std::fs::copy(env!("CARGO_BIN_EXE_antipasta"), root.join("bin/antipasta")).expect("copy");
    let plan = temp.path().join("plan");
    let planned = Command::new("bash")
        .args([&format!("{action_path}/hooks/github-action.sh"), "plan"])
        .env("ACTION_PATH", action_path)
        .env("ACTION_REPOSITORY", "example/antipasta")
        .env("GITHUB_OUTPUT", &plan)
        .env_remove("ANTIPASTA_VERSION")
        .env_remove("ACTION_REF")
        .output()
        .expect("bash runs");
    assert!(planned.status.success(), "{planned:?}");
    let plan = std::fs::read_to_string(&plan).expect("plan written");
    let key = plan
        .lines()
        .find_map(|line| line.strip_prefix("key="))
        .expect("a key");
    assert!(key.starts_with("path-"), "{plan}");
    std::fs::write(root.join(".antipasta-version"), format!("{key}\n")).expect("stamp");
    let mut values: HashMap<String, String> = action()["inputs"]
        .as_mapping()
        .expect("inputs")
        .iter()
        .map(|(k, v)| {
            let default = v["default"].as_str().unwrap_or_default().to_owned();
            (k.as_str().expect("name").to_owned(), default)
        })
        .collect();
    for (key, value) in inputs {
        values.insert((*key).to_owned(), (*value).to_owned());
    }
    let github = HashMap::from([
        ("action_path", action_path.to_owned()),
        ("action_repository", "example/antipasta".to_owned()),
        ("base_ref", "main".to_owned()),
        ("sha", "0".repeat(40)),
    ]);
    let runner = Runner {
        inputs: values,
        github,
        temp: temp.path().to_path_buf(),
        outputs: HashMap::new(),
        path: Vec::new(),
        env: Vec::new(),
    };
    (runner, temp)
}

#[test]
fn a_pull_request_with_a_new_violation_fails_with_annotations_and_a_summary() {
    let (_origin, repo) = pull_request(false);
    let sarif = repo.path().join("antipasta.sarif");
    let sarif_path = sarif.to_str().expect("utf-8 path");
    let (mut runner, _temp) = simulated(&[("args", "-t cyc=3"), ("sarif-file", sarif_path)]);
    let (stdout, summary, status) = runner.run(repo.path());
    assert_eq!(status, Some(1), "{stdout}\n{summary}");
    assert_eq!(runner.outputs["base"]["base"], "origin/main");
    assert_eq!(runner.outputs["run"]["exit-code"], "1");
    assert_eq!(
        stdout,
        "::notice file=legacy.py,line=1,endLine=6,title=antipasta%3A cyclomatic_complexity (existing)::cyclomatic_complexity 5 (limit <= 3) in legacy\n\
         ::error file=new.py,line=1,endLine=4,title=antipasta%3A cyclomatic_complexity (new)::cyclomatic_complexity 4 (limit <= 3) in branchy\n"
    );
    assert!(summary.starts_with("### ❌ antipasta: failed"), "{summary}");
    assert!(
        summary.contains("| new | new.py:1 | branchy | cyclomatic_complexity | 4 | \\<= 3 |"),
        "{summary}"
    );
    assert!(
        summary
            .contains("| existing | legacy.py:1 | legacy | cyclomatic_complexity | 5 | \\<= 3 |"),
        "{summary}"
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("SARIF written"))
            .expect("SARIF is JSON");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(2));
}

#[test]
fn fail_on_decides_whether_a_worsened_function_fails_the_step() {
    let (_origin, repo) = pull_request(true);
    let (mut runner, _temp) = simulated(&[("args", "-t cyc=3")]);
    let (stdout, _, status) = runner.run(repo.path());
    assert_eq!(status, Some(1), "{stdout}");
    assert!(
        stdout.starts_with("::error file=legacy.py,line=1,"),
        "{stdout}"
    );

    let (mut runner, _temp) = simulated(&[("args", "-t cyc=3"), ("fail-on", "new")]);
    let (stdout, summary, status) = runner.run(repo.path());
    assert_eq!(status, Some(0), "{stdout}");
    assert_eq!(runner.outputs["run"]["exit-code"], "0");
    assert!(
        stdout.starts_with("::warning file=legacy.py,line=1,"),
        "{stdout}"
    );
    assert!(
        summary.contains("| worsened | legacy.py:1 | legacy |"),
        "{summary}"
    );
}

/// The release archive's target for this machine, as the action names it.
fn release_target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        ("macos", "x86_64") => "x86_64-apple-darwin",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        other => panic!("no release target for {other:?}"),
    }
}

/// What the fake release's binary prints for `--version`.
const RELEASED: &str = "antipasta 9.9.9 (the release binary)";
/// What the binary the cargo stub "builds" prints for `--version`.
const BUILT: &str = "antipasta 0.0.0 (built by the cargo stub)";

/// A release archive as the release workflow makes it
/// (`antipasta-<target>/antipasta` in a .tar.gz), and its SHA-256.
fn release_archive(dir: &Path) -> (Vec<u8>, String) {
    let target = release_target();
    let folder = dir.join(format!("antipasta-{target}"));
    std::fs::create_dir_all(&folder).expect("mkdir");
    let binary = folder.join("antipasta");
    std::fs::write(&binary, format!("#!/bin/sh\necho '{RELEASED}'\n")).expect("write");
    executable(&binary);
    let archive = dir.join("release.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir)
        .arg(format!("antipasta-{target}"))
        .status()
        .expect("tar runs");
    assert!(status.success());
    let output = Command::new("sha256sum")
        .arg(&archive)
        .output()
        .expect("sha256sum runs");
    let digest = String::from_utf8_lossy(&output.stdout)[..64].to_owned();
    (std::fs::read(&archive).expect("archive"), digest)
}

fn executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Serves `files` (URL path to body) over HTTP on 127.0.0.1, 404 for any
/// other path, until the test process ends; returns the base URL and the
/// log of requested paths.
fn serve(files: HashMap<String, Vec<u8>>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the loopback interface");
    let address = listener.local_addr().expect("address");
    let requested = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requested);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(clone) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(clone);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or_default();
            log.lock().expect("log").push(path.to_owned());
            let (status, body) = match files.get(path) {
                Some(body) => ("200 OK", body.as_slice()),
                None => ("404 Not Found", &b"Not Found"[..]),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    (format!("http://{address}"), requested)
}

/// A fake release of `tag` at `base`/download/`tag` (or latest/download):
/// the archive, and SHA256SUMS naming it with `digest`.
fn release_files(
    prefix: &str,
    archive: &[u8],
    digest: &str,
    with_asset: bool,
) -> HashMap<String, Vec<u8>> {
    let asset = format!("antipasta-{}.tar.gz", release_target());
    let sums = format!(
        "{digest}  {asset}\n{}  antipasta-x86_64-pc-windows-msvc.zip\n",
        "0".repeat(64)
    );
    let mut files = HashMap::from([(format!("{prefix}/SHA256SUMS"), sums.into_bytes())]);
    if with_asset {
        files.insert(format!("{prefix}/{asset}"), archive.to_vec());
    }
    files
}

/// A runner for the install steps only: `version` as the input, the
/// releases at `releases`, and a `cargo` stub first on PATH that records
/// its arguments in the returned file and "builds" a binary printing BUILT.
fn installer(version: &str, releases: &str) -> (Runner, tempfile::TempDir, PathBuf) {
    let (mut runner, temp) = simulated(&[("version", version)]);
    std::fs::remove_dir_all(temp.path().join("antipasta-install")).expect("no install yet");
    let stub_dir = temp.path().join("stub-bin");
    std::fs::create_dir_all(&stub_dir).expect("mkdir");
    let calls = temp.path().join("cargo-calls");
    let stub = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nwhile [ $# -gt 0 ]; do\n  if [ \"$1\" = --root ]; then root=$2; fi\n  shift\ndone\nmkdir -p \"$root/bin\"\nprintf '#!/bin/sh\\necho \"{BUILT}\"\\n' > \"$root/bin/antipasta\"\nchmod 755 \"$root/bin/antipasta\"\n",
        calls.display()
    );
    std::fs::write(stub_dir.join("cargo"), stub).expect("stub");
    executable(&stub_dir.join("cargo"));
    runner.path.push(stub_dir);
    runner.env.push((
        "ANTIPASTA_RELEASES_URL".to_owned(),
        format!("{releases}/example/antipasta/releases"),
    ));
    (runner, temp, calls)
}

/// Runs the plan, cache and install steps; the installed `antipasta
/// --version` through the PATH the install step set, or None.
fn install(runner: &mut Runner, dir: &Path) -> (Ran, Option<String>) {
    runner
        .path
        .retain(|p| !p.ends_with("antipasta-install/bin"));
    let ran = runner.run_until(dir, Some("Install antipasta"));
    let installed = runner.temp.join("antipasta-install/bin/antipasta");
    let on_path = runner
        .path
        .iter()
        .any(|p| p == &runner.temp.join("antipasta-install/bin"));
    let version = (ran.status == Some(0) && on_path).then(|| {
        let output = Command::new(&installed)
            .arg("--version")
            .output()
            .expect("runs");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    });
    (ran, version)
}

fn cargo_calls(calls: &Path) -> Vec<String> {
    std::fs::read_to_string(calls)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_release_version_downloads_the_release_binary_verified_against_sha256sums() {
    let staging = tempfile::tempdir().expect("tempdir");
    let (archive, digest) = release_archive(staging.path());
    let prefix = "/example/antipasta/releases/download/v1.2.3";
    let (url, requested) = serve(release_files(prefix, &archive, &digest, true));
    let (mut runner, temp, calls) = installer("1.2.3", &url);
    let (ran, version) = install(&mut runner, temp.path());
    assert_eq!(ran.status, Some(0), "{}", ran.stderr);
    assert_eq!(runner.outputs["plan"]["tag"], "v1.2.3");
    assert_eq!(runner.outputs["plan"]["key"], "release-v1.2.3");
    assert_eq!(version.as_deref(), Some(RELEASED), "{}", ran.stderr);
    assert!(cargo_calls(&calls).is_empty(), "cargo ran");
    let asset = format!("{prefix}/antipasta-{}.tar.gz", release_target());
    assert_eq!(
        *requested.lock().expect("log"),
        [format!("{prefix}/SHA256SUMS"), asset]
    );

    // The cache restored the same key: nothing is downloaded again.
    let (ran, version) = install(&mut runner, temp.path());
    assert!(ran
        .stderr
        .contains("using the cached install (release-v1.2.3)"));
    assert_eq!(version.as_deref(), Some(RELEASED));
    assert_eq!(requested.lock().expect("log").len(), 2);
}

#[test]
fn the_actions_own_release_tag_and_latest_download_too() {
    let staging = tempfile::tempdir().expect("tempdir");
    let (archive, digest) = release_archive(staging.path());
    let mut files = release_files(
        "/example/antipasta/releases/download/v2.0.0",
        &archive,
        &digest,
        true,
    );
    files.extend(release_files(
        "/example/antipasta/releases/latest/download",
        &archive,
        &digest,
        true,
    ));
    let (url, _) = serve(files);

    let (mut runner, temp, calls) = installer("", &url);
    runner.github.insert("action_ref", "v2.0.0".to_owned());
    let (ran, version) = install(&mut runner, temp.path());
    assert_eq!(runner.outputs["plan"]["tag"], "v2.0.0", "{}", ran.stderr);
    assert_eq!(version.as_deref(), Some(RELEASED), "{}", ran.stderr);

    let (mut runner, temp, _) = installer("latest", &url);
    let (ran, version) = install(&mut runner, temp.path());
    assert_eq!(runner.outputs["plan"]["tag"], "latest");
    assert_eq!(runner.outputs["plan"]["key"], "", "latest is never cached");
    assert_eq!(version.as_deref(), Some(RELEASED), "{}", ran.stderr);
    assert!(cargo_calls(&calls).is_empty());
}

#[test]
fn a_checksum_mismatch_fails_closed() {
    let staging = tempfile::tempdir().expect("tempdir");
    let (archive, _) = release_archive(staging.path());
    let prefix = "/example/antipasta/releases/download/v1.2.3";
    let (url, _) = serve(release_files(prefix, &archive, &"1".repeat(64), true));
    let (mut runner, temp, calls) = installer("v1.2.3", &url);
    let (ran, version) = install(&mut runner, temp.path());
    assert_eq!(ran.status, Some(1), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("checksum mismatch for antipasta-"),
        "{}",
        ran.stderr
    );
    assert_eq!(version, None);
    assert!(!temp.path().join("antipasta-install/bin/antipasta").exists());
    assert!(
        cargo_calls(&calls).is_empty(),
        "a mismatch must not fall back"
    );
}

#[test]
fn a_release_without_an_asset_for_this_platform_falls_back_to_cargo_install() {
    let staging = tempfile::tempdir().expect("tempdir");
    let (archive, digest) = release_archive(staging.path());
    // Listed in SHA256SUMS but not uploaded; and a release with no files.
    let prefix = "/example/antipasta/releases/download/v1.2.3";
    let (url, _) = serve(release_files(prefix, &archive, &digest, false));
    for version in ["1.2.3", "3.0.0"] {
        let (mut runner, temp, calls) = installer(version, &url);
        let (ran, installed) = install(&mut runner, temp.path());
        assert_eq!(ran.status, Some(0), "{}", ran.stderr);
        assert_eq!(installed.as_deref(), Some(BUILT), "{}", ran.stderr);
        let root = temp.path().join("antipasta-install");
        assert_eq!(
            cargo_calls(&calls),
            [format!(
                "install --locked --force --root {} --git https://github.com/example/antipasta --tag v{version}",
                root.display()
            )]
        );
    }
}

#[test]
fn a_branch_version_is_built_at_its_current_commit_never_from_a_stale_cache() {
    let (url, _) = serve(HashMap::new());
    let origin = tempfile::tempdir().expect("tempdir");
    git(origin.path(), &["init", "-q", "-b", "feature"]);
    git(
        origin.path(),
        &["commit", "-q", "--allow-empty", "-m", "one"],
    );
    let head = |dir: &Path| {
        let output = Command::new("git")
            .args(["-C", dir.to_str().expect("utf-8"), "rev-parse", "HEAD"])
            .output()
            .expect("git runs");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    let first = head(origin.path());
    let (mut runner, temp, calls) = installer("feature", &url);
    runner.env.push((
        "ANTIPASTA_GIT_URL".to_owned(),
        origin.path().display().to_string(),
    ));
    let root = temp.path().join("antipasta-install");
    let (ran, installed) = install(&mut runner, temp.path());
    assert_eq!(ran.status, Some(0), "{}", ran.stderr);
    assert_eq!(runner.outputs["plan"]["key"], format!("commit-{first}"));
    assert_eq!(installed.as_deref(), Some(BUILT));
    let build = |commit: &str| {
        format!(
            "install --locked --force --root {} --git {} --rev {commit}",
            root.display(),
            origin.path().display()
        )
    };
    assert_eq!(cargo_calls(&calls), [build(&first)]);

    // The branch moves; the install root still holds the first build (as
    // a cache restored under an older key would): it is built again.
    git(
        origin.path(),
        &["commit", "-q", "--allow-empty", "-m", "two"],
    );
    let second = head(origin.path());
    let (ran, _) = install(&mut runner, temp.path());
    assert_eq!(ran.status, Some(0), "{}", ran.stderr);
    assert_eq!(runner.outputs["plan"]["key"], format!("commit-{second}"));
    assert_eq!(cargo_calls(&calls), [build(&first), build(&second)]);

    // An annotated tag that is not a release number: the commit it points
    // to, not the tag object.
    git(
        origin.path(),
        &["tag", "-a", "nightly", "-m", "nightly", &first],
    );
    let (mut runner, temp, calls) = installer("nightly", &url);
    runner.env.push((
        "ANTIPASTA_GIT_URL".to_owned(),
        origin.path().display().to_string(),
    ));
    let (ran, _) = install(&mut runner, temp.path());
    assert_eq!(ran.status, Some(0), "{}", ran.stderr);
    assert_eq!(runner.outputs["plan"]["key"], format!("commit-{first}"));
    let root = temp.path().join("antipasta-install");
    assert_eq!(
        cargo_calls(&calls),
        [format!(
            "install --locked --force --root {} --git {} --rev {first}",
            root.display(),
            origin.path().display()
        )]
    );

    let (mut runner, temp, _) = installer("no-such-branch", &url);
    runner.env.push((
        "ANTIPASTA_GIT_URL".to_owned(),
        origin.path().display().to_string(),
    ));
    let (ran, _) = install(&mut runner, temp.path());
    assert_eq!(ran.status, Some(1));
    assert!(
        ran.stderr.contains("has no branch or tag 'no-such-branch'"),
        "{}",
        ran.stderr
    );
}
