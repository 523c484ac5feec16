//! `--format sarif` output validated against the SARIF 2.1.0 JSON schema
//! (fetched by `fixtures/sarif/fetch_schema.sh`), for `check` and `diff`
//! reports with violations, a file that cannot be analysed, renamed and
//! deleted files.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::git;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/sarif/schema/sarif-2.1.0-rtm.5.json"
);

const LEGACY: &str = "def legacy(x):\n    if x: return 1\n    if x: return 2\n    if x: return 3\n    if x: return 4\n    return 0\n";
const BRANCHY: &str =
    "def branchy(a):\n    if a and a: return 1\n    if a: return 2\n    return a\n";

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(SCHEMA)
        .unwrap_or_else(|e| panic!("{SCHEMA}: {e}: run fixtures/sarif/fetch_schema.sh"));
    let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    // The published schema's `language` patterns (of `run` and
    // `toolComponent`) have a stray `]`, which the meta-schema check rejects
    // as a regex. antipasta never writes `language`; those two patterns are
    // dropped, everything else is kept.
    let dropped = drop_pattern(&mut schema, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
    assert_eq!(dropped, 2);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// Removes every `"pattern": pattern` in the schema; returns how many.
fn drop_pattern(value: &mut Value, pattern: &str) -> usize {
    match value {
        Value::Object(map) => {
            let own = usize::from(map.get("pattern").and_then(Value::as_str) == Some(pattern));
            if own == 1 {
                map.remove("pattern");
            }
            own + map
                .values_mut()
                .map(|v| drop_pattern(v, pattern))
                .sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(|v| drop_pattern(v, pattern)).sum(),
        _ => 0,
    }
}

fn sarif(dir: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(args)
        .args(["--format", "sarif", "-t", "cyc=3"])
        .current_dir(dir)
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("antipasta runs");
    assert_eq!(output.status.code(), Some(1), "{args:?}");
    serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
}

fn assert_valid(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}\n{log:#}", errors.join("\n"));
}

#[test]
fn check_and_diff_reports_are_valid_sarif_2_1_0() {
    let validator = validator();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    std::fs::write(root.join("legacy.py"), LEGACY).expect("write");
    std::fs::write(root.join("gone.py"), BRANCHY).expect("write");
    std::fs::write(root.join("moved.py"), format!("{LEGACY}\n\n{BRANCHY}")).expect("write");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    git(root, &["rm", "-q", "gone.py"]);
    git(root, &["mv", "moved.py", "renamed.py"]);
    std::fs::write(
        root.join("renamed.py"),
        // `twin` is unlike `branchy` of the deleted gone.py: a new
        // function, not one moved from there.
        format!(
            "{LEGACY}\n\n{BRANCHY}\n\n{}",
            "def twin(items):\n    for item in items:\n        while item:\n            item -= 1\n    return [i for i in items if i]\n"
        ),
    )
    .expect("write");
    std::fs::write(root.join("broken.py"), "def f(:\n").expect("write");
    git(root, &["add", "-A"]);

    let check = sarif(root, &["check"]);
    assert_valid(&validator, &check);
    let results = check["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 4, "{check:#}");
    let notifications = &check["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notifications.as_array().map(Vec::len), Some(1));

    // The validator does reject what the schema forbids.
    let mut broken = check.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let diff = sarif(root, &["diff", "--staged"]);
    assert_valid(&validator, &diff);
    let states: Vec<&str> = diff["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["baselineState"].as_str().expect("baselineState"))
        .collect();
    assert_eq!(states, vec!["new"], "{diff:#}");
}
