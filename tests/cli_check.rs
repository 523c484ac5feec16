//! End-to-end tests of `antipasta check` through the real binary.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::git;

fn antipasta(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("the antipasta binary runs")
}

fn json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = antipasta(dir, &all);
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    (
        serde_json::from_str(&text).expect("stdout is one JSON document"),
        output.status.code().unwrap_or(-1),
    )
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

const COMPLEX: &str = "def branchy(a, b, c, d):\n    if a and b:\n        return 1\n    elif c or d:\n        return 2\n    elif a:\n        return 3\n    return 4\n";

#[test]
fn violations_exit_1_and_name_function_and_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m.py", COMPLEX);
    let output = antipasta(dir.path(), &["check", "-t", "cyc=3"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("m.py:1:1: cyclomatic_complexity 6 (limit <= 3) in branchy"),
        "{stdout}"
    );
    let output = antipasta(dir.path(), &["check"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn quiet_prints_violations_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m.py", COMPLEX);
    let output = antipasta(
        dir.path(),
        &["check", "-q", "-t", "cyclomatic_complexity=3"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn json_document_has_schema_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "pkg/m.py", format!("class Outer:\n    @staticmethod\n    def method(x):\n        def inner(y):\n            return y and x\n        return inner\n\n{COMPLEX}"));
    let (doc, code) = json(dir.path(), &["-t", "cyc=3"]);
    assert_eq!(code, 1);
    assert_eq!(doc["schema_version"], 1);
    let file = &doc["files"][0];
    assert_eq!(file["path"], "pkg/m.py");
    assert_eq!(file["language"], "python");
    assert_eq!(file["error"], Value::Null);
    assert_eq!(file["blob_id"].as_str().map(str::len), Some(40));
    let functions = file["functions"].as_array().expect("functions");
    let names: Vec<&str> = functions
        .iter()
        .filter_map(|f| f["qualified_name"].as_str())
        .collect();
    assert_eq!(names, ["Outer.method", "Outer.method.inner", "branchy"]);
    assert_eq!(functions[0]["kind"], "method");
    assert_eq!(functions[0]["line"], 3);
    assert_eq!(functions[0]["start_line"], 2);
    assert_eq!(functions[1]["kind"], "function");
    assert_eq!(functions[2]["metrics"]["cyclomatic_complexity"], 6);
    // radon's per-function Halstead list skips nested defs: the key is absent.
    assert!(functions[1]["metrics"].get("halstead_volume").is_none());
    assert!(functions[0]["metrics"].get("halstead_volume").is_some());
    assert_eq!(file["classes"][0]["qualified_name"], "Outer");
    for key in [
        "lines_of_code",
        "maintainability_index",
        "maintainability_rank",
        "halstead_bugs",
        "cognitive_complexity",
    ] {
        assert!(file["metrics"].get(key).is_some(), "missing {key}");
    }
    assert_eq!(doc["violations"][0]["function"], "branchy");
    assert_eq!(doc["violations"][0]["value"], 6.0);
    assert_eq!(doc["summary"]["violations"], 1);
    assert_eq!(doc["summary"]["functions"], 3);
}

#[test]
fn bad_files_are_reported_and_others_still_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a_syntax.py", "def f(:\n    pass\n");
    write(dir.path(), "b_binary.py", b"x = 1\0\x01\x02");
    write(dir.path(), "c_latin1.py", b"s = '\xe9'\n");
    write(dir.path(), "d_good.py", "def ok():\n    return 1\n");
    write(dir.path(), "e_py2.py", "print 'hello'\n");
    write(dir.path(), "f_no_body.py", "def f():\nreturn 1\n");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    let errors: Vec<String> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["error"]["message"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(errors[0].starts_with("syntax error"), "{errors:?}");
    assert_eq!(doc["files"][0]["error"]["line"], 1);
    assert!(errors[1].contains("binary"), "{errors:?}");
    assert!(errors[2].contains("UTF-8"), "{errors:?}");
    assert_eq!(errors[3], "");
    assert!(errors[4].contains("print"), "{errors:?}");
    assert!(
        errors[5].contains("expected an indented block"),
        "{errors:?}"
    );
    // Binary content is not source: skipped with a note, not an error.
    assert_eq!(doc["summary"]["errors"], 4);
    assert_eq!(doc["files"][3]["functions"][0]["name"], "ok");
}

#[test]
fn bom_crlf_form_feed_tabs_and_empty_files_are_fine() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "bom.py",
        b"\xef\xbb\xbfdef f(a):\r\n    if a:\r\n        return 1\r\n",
    );
    write(
        dir.path(),
        "ff.py",
        "x = 1\n\x0c\ndef g(b):\n\tif b:\n\t\treturn 2\n",
    );
    write(dir.path(), "empty.py", "");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc}");
    let files = doc["files"].as_array().expect("files");
    assert_eq!(
        files[0]["functions"][0]["metrics"]["cyclomatic_complexity"],
        2
    );
    assert_eq!(files[1]["metrics"]["maintainability_index"], 100.0);
    assert_eq!(files[1]["metrics"]["lines_of_code"], 0);
    assert_eq!(
        files[2]["functions"][0]["metrics"]["cyclomatic_complexity"],
        2
    );
}

#[test]
fn deep_nesting_and_huge_files_finish_without_crashing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut deep = String::new();
    for level in 0..5000 {
        deep.push_str(&" ".repeat(level));
        deep.push_str("if x:\n");
    }
    deep.push_str(&" ".repeat(5000));
    deep.push_str("pass\n");
    write(dir.path(), "deep.py", deep);
    write(
        dir.path(),
        "parens.py",
        format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000)),
    );
    let mut huge = String::new();
    let mut index = 0;
    // As large as the default max_file_size (10 MB) lets a file be.
    loop {
        let function = format!("def f{index}(a, b):\n    if a and b:\n        return a + b\n    return [x for x in a if x]\n\n");
        if huge.len() + function.len() > 10 * 1024 * 1024 {
            break;
        }
        huge.push_str(&function);
        index += 1;
    }
    write(dir.path(), "huge.py", huge);
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    let files = doc["files"].as_array().expect("files");
    // CPython rejects both too (100 indentation levels, 200 nested brackets).
    assert!(
        files[0]["error"]["message"].is_string(),
        "{}",
        files[0]["error"]
    );
    assert_eq!(files[1]["functions"].as_array().map(Vec::len), Some(index));
    assert_eq!(
        files[1]["functions"][0]["metrics"]["cyclomatic_complexity"],
        5
    );
    // 5,000 nested brackets (CPython stops at 200, ruff at 255): scored on
    // a stack sized for the tree, not refused (fixtures/KNOWN_DIFFERENCES.md).
    assert!(files[2]["error"].is_null(), "{}", files[2]["error"]);
    assert_eq!(files[2]["metrics"]["cyclomatic_complexity"], 1);
    assert_eq!(files[2]["metrics"]["cognitive_complexity"], 0);
}

#[test]
fn a_form_feed_in_a_string_omits_raw_counts_and_mi_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    // radon 6.0.1: raw and mi fail ("SyntaxError at line: 3"), cc gives 2.
    write(
        dir.path(),
        "ff.py",
        "def fmt(a):\n    if a:\n        return \"a\x0cb\"\n    return a\n",
    );
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc}");
    let file = &doc["files"][0];
    assert!(file["error"].is_null(), "{doc}");
    let metrics = &file["metrics"];
    assert_eq!(
        metrics["raw_unavailable"],
        "radon's raw analysis fails on this file: SyntaxError at line: 3"
    );
    for absent in [
        "lines_of_code",
        "source_lines_of_code",
        "maintainability_index",
    ] {
        assert!(metrics.get(absent).is_none(), "{absent}: {metrics}");
    }
    assert_eq!(metrics["cyclomatic_complexity"], 2);
    assert_eq!(file["functions"][0]["metrics"]["cognitive_complexity"], 1);
}

#[test]
fn a_100000_deep_expression_is_scored() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The numbers are complexipy 8.3.0's (fixtures/constructs has the same
    // chain for every metric); radon fails with RecursionError.
    let chain = format!(
        "def f(a, b):\n    if b:\n        return 1\n    elif a{}:\n        return 2\n",
        ".x".repeat(100_000)
    );
    write(dir.path(), "chain.py", chain);
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc}");
    let function = &doc["files"][0]["functions"][0];
    assert_eq!(function["metrics"]["cognitive_complexity"], 2, "{doc}");
}

#[test]
fn extension_less_python_scripts_are_found_by_their_shebang() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "bin/tool",
        "#!/usr/bin/env python3\ndef main(a):\n    if a:\n        return 1\n",
    );
    write(dir.path(), "bin/run", "#!/bin/sh\necho hi\n");
    write(dir.path(), "bin/notes", "def not_a_script(): pass\n");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc}");
    let files = doc["files"].as_array().expect("files");
    assert_eq!(files.len(), 1, "{doc}");
    assert_eq!(files[0]["path"], "bin/tool");
    assert_eq!(files[0]["language"], "python");
    assert_eq!(
        files[0]["functions"][0]["metrics"]["cyclomatic_complexity"],
        2
    );
}

#[test]
fn walk_honours_gitignore_and_config_ignores_but_not_explicit_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    write(dir.path(), ".gitignore", "build/\n");
    write(dir.path(), "build/gen.py", "x = 1\n");
    write(dir.path(), "tests/test_x.py", "x = 1\n");
    write(dir.path(), "src/app.py", "x = 1\n");
    write(dir.path(), "src/notes.txt", "not python\n");
    let (doc, _) = json(dir.path(), &[]);
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["src/app.py"]);
    let (doc, _) = json(dir.path(), &["build/gen.py", "src"]);
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["build/gen.py", "src/app.py"]);
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..40 {
        write(
            dir.path(),
            &format!("m{i:02}.py"),
            format!("{COMPLEX}\ndef g{i}(x):\n    return x or {i}\n"),
        );
    }
    let one = antipasta(dir.path(), &["check", "--format", "json", "--jobs", "1"]);
    let many = antipasta(dir.path(), &["check", "--format", "json", "--jobs", "4"]);
    assert_eq!(one.stdout, many.stdout);
}

#[test]
fn config_errors_exit_2_and_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        ".antipasta.toml",
        "[defaults]\nmax_cyclomatic = 3\n",
    );
    write(dir.path(), "m.py", "x = 1\n");
    let output = antipasta(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(".antipasta.toml:2"), "{stderr}");
    assert!(stderr.contains("max_cyclomatic"), "{stderr}");
    let output = antipasta(dir.path(), &["config", "validate"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn config_file_thresholds_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        ".antipasta.toml",
        "[defaults]\nmax_cyclomatic_complexity = 3\n",
    );
    write(dir.path(), "m.py", COMPLEX);
    let output = antipasta(dir.path(), &["check", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    let output = antipasta(dir.path(), &["config", "validate"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("python cyclomatic_complexity <= 3"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        antipasta(dir.path(), &["check", "-t", "bogus=3"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        antipasta(dir.path(), &["check", "missing_dir"])
            .status
            .code(),
        Some(2)
    );
}

/// A function with cyclomatic complexity 12, named `name`, in JavaScript
/// source: `name` is spliced into a class as a computed method name.
#[cfg(unix)]
fn busy_js_method(name: &str) -> String {
    let body: String = (0..11)
        .map(|i| format!("    if (x === {i}) return {i};\n"))
        .collect();
    format!("  [{name}](x) {{\n{body}    return -1;\n  }}\n")
}

/// A Python function with cyclomatic complexity 12.
fn busy_python() -> String {
    let body: String = (0..11)
        .map(|i| format!("    if x == {i}:\n        return {i}\n"))
        .collect();
    format!("def f(x):\n{body}    return 0\n")
}

#[cfg(unix)]
#[test]
fn untrusted_names_never_start_a_text_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A string with a line continuation, and a template literal, both
    // holding a real newline followed by a workflow command.
    let source = format!(
        "class A {{\n{}{}}}\n",
        busy_js_method("\"a\\\n::stop-commands::x\""),
        busy_js_method("`b\n::stop-commands::y`")
    );
    write(dir.path(), "a.js", source);
    write(dir.path(), "b\n::warning::evil.py", busy_python());
    write(dir.path(), "::error::c.py", busy_python());
    write(dir.path(), "d\u{1b}[2J.py", busy_python());
    let output = antipasta(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    for line in stdout.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line:?} in {stdout}");
        assert!(!line.contains('\u{1b}'), "{line:?}");
    }
    for expected in [
        "a.js:2:3: cyclomatic_complexity 12 (limit <= 10) in A.a\\\\n::stop-commands::x\n",
        "a.js:17:3: cyclomatic_complexity 12 (limit <= 10) in A.b\\n::stop-commands::y\n",
        "b\\n::warning::evil.py:1:1: cyclomatic_complexity 12 (limit <= 10) in f\n",
        "./::error::c.py:1:1: cyclomatic_complexity 12 (limit <= 10) in f\n",
        "d\\x1b[2J.py:1:1: cyclomatic_complexity 12 (limit <= 10) in f\n",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in {stdout}");
    }
    assert_eq!(stdout.lines().count(), 6, "{stdout}");
    // The formats that escaped these names already keep doing so.
    let github = antipasta(dir.path(), &["check", "--format", "github"]);
    let github = String::from_utf8(github.stdout).expect("UTF-8");
    assert_eq!(github.lines().count(), 5, "{github}");
    for line in github.lines() {
        assert!(line.starts_with("::error file="), "{line:?}");
    }
    let markdown = antipasta(dir.path(), &["check", "--format", "markdown"]);
    let markdown = String::from_utf8(markdown.stdout).expect("UTF-8");
    for line in markdown.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line:?}");
    }
}

#[cfg(unix)]
#[test]
fn csv_cells_that_read_as_formulas_are_neutralised() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "=1+2.py", busy_python());
    write(dir.path(), "@x.py", busy_python());
    write(
        dir.path(),
        "h.js",
        format!("({{\n{}}});\n", busy_js_method("\"-2+3\"")),
    );
    let output = antipasta(dir.path(), &["check", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let rows: Vec<&str> = stdout.split("\r\n").collect();
    assert_eq!(
        rows,
        [
            "path,line,end_line,column,function,metric,value,threshold,comparison,change,fails",
            "'=1+2.py,1,24,1,f,cyclomatic_complexity,12,10,<=,,true",
            "'@x.py,1,24,1,f,cyclomatic_complexity,12,10,<=,,true",
            "h.js,2,15,3,'-2+3,cyclomatic_complexity,12,10,<=,,true",
            "",
        ],
        "{stdout}"
    );
}

#[test]
fn sarif_locates_a_file_outside_the_repository_by_absolute_uri() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    write(&repo, "in.py", busy_python());
    write(dir.path(), "out/x.py", busy_python());
    std::fs::create_dir(repo.join(".git")).expect("mkdir .git");
    let output = antipasta(
        &repo,
        &["check", "--format", "sarif", "in.py", "../out/x.py"],
    );
    assert_eq!(output.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let locations: Vec<&Value> = doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| &result["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    let outside = dir.path().join("out/x.py");
    assert_eq!(
        locations,
        [
            &serde_json::json!({"uri": format!("file://{}", outside.display())}),
            &serde_json::json!({"uri": "in.py", "uriBaseId": "%SRCROOT%"}),
        ]
    );
}

#[test]
fn invalid_thresholds_exit_2_from_the_command_line_and_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m.py", COMPLEX);
    for (value, problem) in [
        ("nan", "must be a finite number, got NaN"),
        ("inf", "must be a finite number, got inf"),
        ("-inf", "must be a finite number, got -inf"),
        ("-1", "must not be negative, got -1"),
        (
            "1.5",
            "must be a whole number (the metric is a count), got 1.5",
        ),
    ] {
        let expected = format!("threshold for cyclomatic_complexity {problem}");
        let flag = format!("cyc={value}");
        let output = antipasta(dir.path(), &["check", "-t", &flag]);
        assert_eq!(output.status.code(), Some(2), "-t {flag}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&expected), "{stderr}");

        write(
            dir.path(),
            ".antipasta.toml",
            format!("[defaults]\nmax_cyclomatic_complexity = {value}\n"),
        );
        let wanted = format!(".antipasta.toml:2:29: max_cyclomatic_complexity: {expected}");
        for command in [&["check"][..], &["config", "validate"]] {
            let output = antipasta(dir.path(), command);
            assert_eq!(output.status.code(), Some(2), "{command:?} with {value}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains(&wanted), "{stderr}");
        }
    }
}

#[test]
fn a_deeply_nested_yaml_config_is_refused_before_parsing() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m.py", COMPLEX);
    let levels = 100_000;
    let flow = format!(
        "defaults:\n  max_cyclomatic_complexity: 10\nignore_patterns: {}{}\n",
        "[".repeat(levels),
        "]".repeat(levels)
    );
    let block = format!(
        "use_gitignore: true\nprofile:\n  {}x\n",
        "- ".repeat(levels)
    );
    for text in [flow, block] {
        write(dir.path(), ".antipasta.yaml", &text);
        for command in [&["check"][..], &["config", "validate"]] {
            let output = antipasta(dir.path(), command);
            assert_eq!(output.status.code(), Some(2), "{command:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains(".antipasta.yaml:3: nested deeper than 64 levels"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn a_config_file_over_one_mebibyte_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let padding = "# padding\n".repeat(110_000);
    write(
        dir.path(),
        ".antipasta.toml",
        format!("{padding}[defaults]\nmax_cyclomatic_complexity = 3\n"),
    );
    let output = antipasta(dir.path(), &["config", "validate"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(".antipasta.toml: larger than 1 MiB"),
        "{stderr}"
    );
}

#[test]
fn jobs_above_256_are_refused_and_256_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m.py", COMPLEX);
    for jobs in ["100000", "257"] {
        let output = antipasta(dir.path(), &["check", "-j", jobs]);
        assert_eq!(output.status.code(), Some(2), "-j {jobs}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!(
                "invalid value '{jobs}' for '--jobs <N>': at most 256 threads"
            )),
            "{stderr}"
        );
    }
    let output = antipasta(dir.path(), &["check", "-j", "256", "-t", "cyc=3"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("in branchy"));
}

#[test]
fn invalid_utf8_is_reported_at_the_bad_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "latin1.py",
        b"def f():\n    return 1\n\nname = 'caf\xe9'\n",
    );
    let output = antipasta(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("latin1.py:4:12: error: not valid UTF-8 (byte offset 34)\n"),
        "{stdout}"
    );
    let (doc, _) = json(dir.path(), &[]);
    assert_eq!(doc["files"][0]["error"]["line"], 4);
    assert_eq!(doc["files"][0]["error"]["column"], 12);
}

#[cfg(unix)]
#[test]
fn diagnostics_show_control_characters_in_paths_as_escapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = antipasta(dir.path(), &["check", "x\n::stop-commands::y.py"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("x\\n::stop-commands::y.py"), "{stderr}");
    for line in stderr.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line:?} in {stderr}");
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_missing_operand_exits_2_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m.py", COMPLEX);
    for args in [
        &["check", "nosuchfile.py"][..],
        &["check", "m.py", "nosuchfile.py"],
    ] {
        let output = antipasta(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&output),
            "antipasta: error: nosuchfile.py: No such file or directory\n"
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn staged_paths_that_name_nothing_are_errors_and_named_unchanged_files_still_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "m.py", COMPLEX);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    let missing = antipasta(dir.path(), &["check", "--staged", "nosuchfile.py"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "antipasta: error: nosuchfile.py: No such file or directory (and not in the index)\n"
    );
    let outside = tempfile::tempdir().expect("tempdir");
    let outside = outside.path().to_string_lossy().into_owned();
    let output = antipasta(dir.path(), &["check", "--staged", &outside]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!("antipasta: error: {outside}: outside the repository\n")
    );
    // pre-commit names existing files, changed or not: judged as staged.
    let (doc, code) = json(dir.path(), &["--staged", "-t", "cyc=3", "m.py"]);
    assert_eq!(code, 1);
    assert_eq!(doc["summary"]["files"], 1);
    // An existing untracked file has nothing staged: no error, nothing judged.
    write(dir.path(), "new.py", COMPLEX);
    let (doc, code) = json(dir.path(), &["--staged", "new.py"]);
    assert_eq!((code, doc["summary"]["files"].clone()), (0, 0.into()));
}

/// A file larger than `max_file_size` is a per-file error, read from disk
/// or from the index; the limit is configurable.
#[test]
fn files_over_max_file_size_are_per_file_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    let big = format!("x = [{}]\n", "1, ".repeat(50 * 1024 * 1024 / 3));
    write(dir.path(), "big.py", &big);
    write(dir.path(), "m.py", COMPLEX);
    let size = big.len();
    let message = format!(
        "cannot read: the file is {size} bytes, larger than max_file_size (10485760 bytes)"
    );
    let output = antipasta(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("big.py:1:1: error: {message}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("in 2 files, 1 function, 1 file that could not"),
        "{stdout}"
    );
    git(dir.path(), &["add", "-A"]);
    let (doc, code) = json(dir.path(), &["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(doc["files"][0]["path"], "big.py");
    assert_eq!(doc["files"][0]["error"]["message"], message.as_str());

    write(dir.path(), ".antipasta.toml", "max_file_size = \"1KB\"\n");
    let mid = format!("x = [{}]\n", "1, ".repeat(400));
    write(dir.path(), "mid.py", &mid);
    let (doc, code) = json(dir.path(), &["m.py", "mid.py"]);
    assert_eq!(code, 1);
    assert_eq!(doc["files"][0]["functions"][0]["name"], "branchy");
    assert_eq!(
        doc["files"][1]["error"]["message"],
        format!(
            "cannot read: the file is {} bytes, larger than max_file_size (1024 bytes)",
            mid.len()
        )
    );
    write(dir.path(), ".antipasta.toml", "max_file_size = \"ten\"\n");
    let output = antipasta(dir.path(), &["check", "m.py"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

/// The runner and a world-readable copy of a tree with one directory
/// nobody may read: as an unprivileged user (through `setpriv` when the
/// tests run as root, as in CI).
#[cfg(unix)]
fn unprivileged(dir: &Path, args: &[&str]) -> Option<Output> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root {
        if Command::new("setpriv").arg("--version").output().is_err() {
            eprintln!("SKIPPED: running as root and setpriv is missing: the unreadable-directory test cannot drop privileges");
            return None;
        }
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_antipasta"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_antipasta"))
    };
    Some(
        command
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("ANTIPASTA_NO_CACHE", "1")
            .env("HOME", dir)
            .output()
            .expect("the antipasta binary runs"),
    )
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_an_error_in_check_and_diff() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"]);
    write(&repo, "ok.py", "def fine():\n    return 1\n");
    write(&repo, "secret/m.py", COMPLEX);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    write(
        &repo,
        "secret/m.py",
        format!("{COMPLEX}\n\ndef more():\n    return 2\n"),
    );
    // World-readable, except the one directory.
    let status = Command::new("chmod")
        .args(["-R", "a+rwX"])
        .arg(dir.path())
        .status()
        .expect("chmod runs");
    assert!(status.success());
    let secret = repo.join("secret");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // An unreadable file, untracked: only `check` lists it.
    write(&repo, "locked.py", COMPLEX);
    std::fs::set_permissions(
        repo.join("locked.py"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    let restore = || {
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o755)).expect("chmod")
    };
    let Some(check) = unprivileged(&repo, &["check", "-t", "cyc=3", "."]) else {
        restore();
        return;
    };
    let diff = unprivileged(&repo, &["diff", "--format", "json"]).expect("ran once");
    restore();

    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert_eq!(
        stderr(&check),
        "antipasta: error: secret: Permission denied\n"
    );
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(
        stdout,
        "locked.py:1:1: error: cannot read: Permission denied\n\
         Found problems: 0 violations in 2 files, 1 function, 2 files that could not be analysed.\n"
    );

    assert_eq!(diff.status.code(), Some(1), "{}", stderr(&diff));
    let doc: Value = serde_json::from_slice(&diff.stdout).expect("JSON");
    let file = &doc["files"][0];
    assert_eq!(file["path"], "secret/m.py");
    assert_eq!(file["status"], "modified", "{doc}");
    assert_eq!(file["error"]["message"], "cannot read: Permission denied");
}

/// Files listed as regular files and then swapped, before they are read,
/// for a FIFO (whose open would block) or a symbolic link to `/dev/zero`
/// (endless): both are per-file errors, and the run ends. A symbolic link
/// named on the command line is still followed to its regular file.
#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_fifo_or_a_device_link_after_listing_is_refused() {
    use antipasta::config::{ConfigFile, Settings};
    use antipasta::engine::analyze_files;
    use antipasta::source::walk::collect;
    use antipasta::source::Reader;

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    for name in ["a.py", "b.py", "c.py"] {
        write(&root, name, COMPLEX);
    }
    std::os::unix::fs::symlink(root.join("c.py"), root.join("link.py")).expect("symlink");
    let settings = Settings::resolve(ConfigFile::default(), None).expect("defaults");
    let walked = collect(std::slice::from_ref(&root), &root, &root, &settings).expect("lists");
    let named = collect(&[root.join("link.py")], &root, &root, &settings).expect("lists");
    let mut files = walked.files;
    files.extend(named.files);
    let names: Vec<&str> = files.iter().map(|f| f.display.as_str()).collect();
    assert_eq!(names, ["a.py", "b.py", "c.py", "link.py"]);

    std::fs::remove_file(root.join("a.py")).expect("rm");
    let status = Command::new("mkfifo")
        .arg(root.join("a.py"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    std::fs::remove_file(root.join("b.py")).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", root.join("b.py")).expect("symlink");

    let (done, finished) = std::sync::mpsc::channel();
    let max_file_size = settings.max_file_size;
    std::thread::spawn(move || {
        let run = analyze_files(&files, &[], &Reader::filesystem(max_file_size), 2, None);
        let _ = done.send(run.map(|run| run.results));
    });
    let results = finished
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the run ends (a FIFO must not block it)")
        .expect("worker threads start");
    let outcomes: Vec<String> = results
        .iter()
        .map(|result| match &result.outcome {
            Ok(analysis) => format!("{}: {} function", result.path, analysis.functions.len()),
            Err(err) => format!("{}: {err}", result.path),
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            "a.py: cannot read: not a regular file (it is a FIFO)",
            "b.py: cannot read: not a regular file (it is a symbolic link)",
            "c.py: 1 function",
            "link.py: 1 function",
        ]
    );
}

/// `antipasta check | head -1`: when the reader closes the pipe, the run
/// ends quietly (no message) with the exit code its results give. The
/// output (about 300 kB) is larger than a pipe's buffer, so the binary is
/// still writing when the pipe closes.
#[test]
fn a_closed_pipe_ends_the_run_quietly_with_the_results_exit_code() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;

    let dir = tempfile::tempdir().expect("tempdir");
    let function = |n: usize| format!("def f{n}(a):\n    if a:\n        return 1\n    return 0\n");
    for file in 0..10 {
        let text: String = (0..500).map(function).collect();
        write(dir.path(), &format!("m{file}.py"), text);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["check", "-t", "cyc=1", "-j", "2"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the antipasta binary runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("a first line");
    assert!(
        first.starts_with("m0.py:1:1: cyclomatic_complexity 2 (limit <= 1) in f0"),
        "{first}"
    );
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("the run ends");
    assert_eq!(stderr, "", "no message about the closed pipe");
    assert_eq!(status.code(), Some(1), "violations: exit 1");
}

/// Run from a subdirectory, text output names files relative to it (a
/// terminal's jump-to-file works); JSON keeps repository-relative paths.
/// The summary counts the files with violations among those analysed.
#[test]
fn text_paths_are_relative_to_the_current_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q"]);
    write(dir.path(), "pkg/sub/m.py", COMPLEX);
    write(dir.path(), "pkg/n.py", COMPLEX);
    write(dir.path(), "pkg/ok.py", "def f():\n    return 1\n");
    let pkg = dir.path().join("pkg");
    let output = antipasta(&pkg, &["check", "-t", "cyc=3"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "n.py:1:1: cyclomatic_complexity 6 (limit <= 3) in branchy\n\
         sub/m.py:1:1: cyclomatic_complexity 6 (limit <= 3) in branchy\n\
         Found problems: 2 violations in 2 of 3 files, 3 functions, 0 files that could not be analysed.\n"
    );
    let (doc, code) = json(&pkg, &["-t", "cyc=3"]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = doc["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| v["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(paths, ["pkg/n.py", "pkg/sub/m.py"]);
    assert_eq!(doc["summary"]["files_with_violations"], 2);
    assert_eq!(doc["summary"]["files"], 3);
}

/// `-v` and `-q` go before or after the subcommand.
#[test]
fn global_flags_go_before_the_subcommand() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m.py", COMPLEX);
    let before = antipasta(dir.path(), &["-q", "-v", "check", "-t", "cyc=3"]);
    let after = antipasta(dir.path(), &["check", "-q", "-v", "-t", "cyc=3"]);
    assert_eq!(before.status.code(), Some(1));
    assert_eq!(before.stdout, after.stdout);
    assert_eq!(
        String::from_utf8_lossy(&before.stdout),
        "m.py:1:1: cyclomatic_complexity 6 (limit <= 3) in branchy\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&before.stderr),
        "antipasta: configuration: none found; built-in defaults\n\
         antipasta: cache: 0 hits, 0 misses; 1 function scored\n"
    );
}

/// Runs `antipasta ARGS` in `dir` under a pseudo-terminal (`script -qc`),
/// with the progress bar's delay at zero; returns what the terminal showed.
fn at_a_terminal(dir: &Path, args: &str, ci: bool) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_antipasta"));
    let mut script = Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .env("ANTIPASTA_PROGRESS_DELAY_MS", "0")
        .env_remove("CI");
    if ci {
        script.env("CI", "true");
    }
    let output = script.output().expect("script(1) runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The progress bar is drawn on stderr at a terminal for text output, and
/// never under CI, for machine formats, or when stderr is not a terminal.
#[test]
fn the_progress_bar_appears_only_at_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    for n in 0..20 {
        write(dir.path(), &format!("m{n:02}.py"), COMPLEX);
    }
    let bar = "/20 files (";
    let shown = at_a_terminal(dir.path(), "check -j 1", false);
    assert!(shown.contains(bar), "{shown}");
    assert!(
        shown.contains("All checks passed: 0 violations in 20 files"),
        "{shown}"
    );
    let under_ci = at_a_terminal(dir.path(), "check -j 1", true);
    assert!(!under_ci.contains(bar), "{under_ci}");
    assert!(under_ci.contains("All checks passed"), "{under_ci}");
    let json = at_a_terminal(dir.path(), "check -j 1 --format json", false);
    assert!(!json.contains(bar), "{json}");
    let piped = Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(["check", "-j", "1"])
        .current_dir(dir.path())
        .env("ANTIPASTA_NO_CACHE", "1")
        .env("ANTIPASTA_PROGRESS_DELAY_MS", "0")
        .env_remove("CI")
        .output()
        .expect("antipasta runs");
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
}
