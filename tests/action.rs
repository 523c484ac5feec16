//! The GitHub Action (`action.yml`): its structure, and its shell steps run
//! locally, in order, with simulated `GITHUB_*` variables against a
//! temporary repository that has a base branch and a pull-request branch.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

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
        let summary = self.temp.join("summary.md");
        std::fs::write(&summary, "").expect("summary file");
        let mut last = (String::new(), None);
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
                .current_dir(repo)
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
            let stderr = String::from_utf8_lossy(&output.stderr);
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
            last = (stdout, output.status.code());
            if !output.status.success() {
                eprintln!("step {:?} failed: {stderr}", step["name"]);
                break;
            }
        }
        let summary = std::fs::read_to_string(&summary).expect("summary");
        (last.0, summary, last.1)
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
    let head = Command::new("git")
        .args(["-C", action_path, "rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    std::fs::write(root.join(".antipasta-version"), format!("path:{head}\n")).expect("stamp");
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
