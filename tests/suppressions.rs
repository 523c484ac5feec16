//! Inline suppressions end to end: every marker form in Python and
//! JavaScript/TypeScript, on the definition line, the line above, a line of
//! a multi-line signature and inside a string (where it must not count);
//! file-level markers; `--no-suppressions`; `--report-unused-suppressions`;
//! the JSON, text and SARIF shapes; and `diff`.
//!
//! The limits are `cyclomatic_complexity <= 1` and `cognitive_complexity
//! <= 0`, so every function with a branch violates both; the tests assert
//! which violations a marker sets aside, never a metric value of their own
//! (values shown for suppressed violations are compared with the values the
//! same run measured).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::git;

const LIMITS: [&str; 4] = ["-t", "cyc=1", "-t", "cog=0"];

fn antipasta(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antipasta"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ANTIPASTA_NO_CACHE", "1")
        .output()
        .expect("the antipasta binary runs")
}

/// `check --format json` with the test limits: the document and the exit code.
fn check_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(&LIMITS);
    all.extend_from_slice(args);
    let output = antipasta(dir, &all);
    let doc = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON output ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (doc, output.status.code().unwrap_or(-1))
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn short(metric: &Value) -> &'static str {
    match metric.as_str() {
        Some("cyclomatic_complexity") => "cyc",
        Some("cognitive_complexity") => "cog",
        Some("lines_of_code") => "loc",
        _ => "other",
    }
}

/// `function metric` of a list of violations (`<file>` for a file metric),
/// limited to `path`.
fn listed(list: &Value, path: &str) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["path"] == path)
        .map(|v| {
            format!(
                "{} {}",
                v["function"].as_str().unwrap_or("<file>"),
                short(&v["metric"])
            )
        })
        .collect()
}

fn violations(doc: &Value, path: &str) -> Vec<String> {
    listed(&doc["violations"], path)
}

fn suppressed(doc: &Value, path: &str) -> Vec<String> {
    listed(&doc["suppressed"], path)
}

/// `path:line marker` of every unused marker.
fn unused(doc: &Value) -> Vec<String> {
    doc["unused_suppressions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            format!(
                "{}:{} {}",
                u["path"].as_str().unwrap_or(""),
                u["line"],
                u["marker"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Where a marker is written relative to a function with one branch.
#[derive(Clone, Copy, Debug)]
enum Place {
    DefLine,
    Above,
    Signature,
    InString,
}

const PLACES: [Place; 4] = [
    Place::DefLine,
    Place::Above,
    Place::Signature,
    Place::InString,
];

fn python_source(marker: &str, place: Place) -> String {
    let template = match place {
        Place::DefLine => "def f(a):  MARK\n    if a:\n        return 1\n    return 0\n",
        Place::Above => "MARK\ndef f(a):\n    if a:\n        return 1\n    return 0\n",
        Place::Signature => {
            "def f(\n    a,  MARK\n    b,\n):\n    if a:\n        return b\n    return 0\n"
        }
        Place::InString => "def f(a=\"MARK\"):\n    if a:\n        return 1\n    return 0\n",
    };
    template.replace("MARK", marker)
}

fn javascript_source(marker: &str, place: Place) -> String {
    let template = match place {
        Place::DefLine => "function f(a) { MARK\n  if (a) {\n    return 1;\n  }\n  return 0;\n}\n",
        Place::Above => "MARK\nfunction f(a) {\n  if (a) {\n    return 1;\n  }\n  return 0;\n}\n",
        Place::Signature => {
            "function f(\n  a, MARK\n  b,\n) {\n  if (a) {\n    return b;\n  }\n  return 0;\n}\n"
        }
        Place::InString => {
            "const s = \"MARK\";\nfunction f(a) {\n  if (a) {\n    return s;\n  }\n  return 0;\n}\n"
        }
    };
    template.replace("MARK", marker)
}

/// Writes one file per (marker, place), checks them all in one run, and
/// compares what each file's marker set aside with `expected(marker, place)`.
fn each_form(extension: &str, markers: &[(&str, [&[&str]; 4])], source: fn(&str, Place) -> String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cases = Vec::new();
    for (m, (marker, expected)) in markers.iter().enumerate() {
        for (p, place) in PLACES.into_iter().enumerate() {
            let name = format!("case_{m}_{p}.{extension}");
            write(dir.path(), &name, &source(marker, place));
            cases.push((name, *marker, place, expected[p]));
        }
    }
    let (doc, _) = check_json(dir.path(), &[]);
    let mut wrong = Vec::new();
    for (name, marker, place, expected) in cases {
        let hidden = suppressed(&doc, &name);
        let standing = violations(&doc, &name);
        let expected_hidden: Vec<String> = expected.iter().map(|m| format!("f {m}")).collect();
        let expected_standing: Vec<String> = ["cyc", "cog"]
            .iter()
            .filter(|m| !expected.contains(m))
            .map(|m| format!("f {m}"))
            .collect();
        if hidden != expected_hidden || standing != expected_standing {
            wrong.push(format!(
                "{marker:?} {place:?}: suppressed {hidden:?} (expected {expected_hidden:?}), violations {standing:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

const BOTH: &[&str] = &["cyc", "cog"];
const CYC: &[&str] = &["cyc"];
const COG: &[&str] = &["cog"];
const NONE: &[&str] = &[];

#[test]
fn python_markers_in_every_place() {
    // [def line, line above, signature line, inside a string]
    each_form(
        "py",
        &[
            ("# antipasta: ignore", [BOTH, BOTH, BOTH, NONE]),
            ("# antipasta: ignore[cyc]", [CYC, CYC, CYC, NONE]),
            (
                "# antipasta: ignore[cognitive_complexity] -- legacy",
                [COG, COG, COG, NONE],
            ),
            (
                "# ANTIPASTA: ignore[cyclomatic_complexity, cog]",
                [BOTH, BOTH, BOTH, NONE],
            ),
            // ruff reports C901 on the name's line only.
            ("# noqa: C901", [CYC, NONE, NONE, NONE]),
            ("# noqa: E501, C901", [CYC, NONE, NONE, NONE]),
            ("# noqa", [CYC, NONE, NONE, NONE]),
            ("# noqa: E501", [NONE, NONE, NONE, NONE]),
            // complexipy's own search: the line above and signature lines too.
            ("# complexipy: ignore", [COG, COG, COG, NONE]),
            ("# noqa: complexipy", [COG, COG, COG, NONE]),
        ],
        python_source,
    );
}

#[test]
fn python_decorated_and_async_definitions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "    return 1 if a else 0\n";
    write(
        dir.path(),
        "decorated.py",
        &format!(
            "@deco  # antipasta: ignore[cyc]\nasync def f(a):\n{body}\n\n\
             @deco\n# antipasta: ignore[cog]\n@other\ndef g(a):\n{body}\n\n\
             @deco  # noqa: C901\ndef h(a):\n{body}\n\n\
             @deco\nasync def k(a):  # noqa: C901\n{body}"
        ),
    );
    let (doc, _) = check_json(dir.path(), &[]);
    // ruff reports C901 on the name's line, not on a decorator.
    assert_eq!(
        suppressed(&doc, "decorated.py"),
        ["f cyc", "g cog", "k cyc"]
    );
    assert_eq!(
        violations(&doc, "decorated.py"),
        ["f cog", "g cyc", "h cyc", "h cog", "k cog"]
    );
}

#[test]
fn javascript_markers_in_every_place() {
    // [function line, line above, signature line, inside a string]
    each_form(
        "js",
        &[
            ("// antipasta-ignore", [BOTH, BOTH, BOTH, NONE]),
            ("// antipasta-ignore[cog] -- generated", [COG, COG, COG, NONE]),
            ("/* antipasta-ignore[cyc] */", [CYC, CYC, CYC, NONE]),
            // ESLint's directives apply at ESLint's report line (line 1 here).
            (
                "// eslint-disable-next-line complexity",
                [NONE, CYC, NONE, NONE],
            ),
            (
                "// eslint-disable-next-line sonarjs/cognitive-complexity",
                [NONE, COG, NONE, NONE],
            ),
            (
                "// eslint-disable-next-line no-console, complexity, sonarjs/cognitive-complexity -- legacy",
                [NONE, BOTH, NONE, NONE],
            ),
            (
                "/* eslint-disable-next-line complexity */",
                [NONE, CYC, NONE, NONE],
            ),
            ("// eslint-disable-next-line", [NONE, BOTH, NONE, NONE]),
            ("// eslint-disable-line complexity", [CYC, NONE, NONE, NONE]),
            ("// eslint-disable-next-line no-console", [NONE, NONE, NONE, NONE]),
        ],
        javascript_source,
    );
}

#[test]
fn typescript_markers_follow_the_same_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.ts",
        "class C {\n  // antipasta-ignore[cyc]\n  m(a: number): number {\n    return a ? 1 : 0;\n  }\n  // eslint-disable-next-line sonarjs/cognitive-complexity\n  n(a: number): number {\n    return a ? 1 : 0;\n  }\n}\n",
    );
    // ESLint's `complexity` reports a decorated member at its decorator,
    // sonarjs at its name.
    write(
        dir.path(),
        "decorated.ts",
        "class D {\n  // eslint-disable-next-line complexity\n  @log()\n  // eslint-disable-next-line sonarjs/cognitive-complexity\n  m(a: number): number {\n    return a ? 1 : 0;\n  }\n  @log()\n  // eslint-disable-next-line complexity\n  n(a: number): number {\n    return a ? 1 : 0;\n  }\n}\n",
    );
    let (doc, _) = check_json(dir.path(), &[]);
    assert_eq!(suppressed(&doc, "a.ts"), ["C.m cyc", "C.n cog"]);
    assert_eq!(violations(&doc, "a.ts"), ["C.m cog", "C.n cyc"]);
    assert_eq!(suppressed(&doc, "decorated.ts"), ["D.m cyc", "D.m cog"]);
    assert_eq!(violations(&doc, "decorated.ts"), ["D.n cyc", "D.n cog"]);
}

#[test]
fn an_eslint_next_line_directive_follows_the_report_line_of_an_arrow() {
    // ESLint reports an arrow at its `=>` (line 3 here).
    let dir = tempfile::tempdir().expect("tempdir");
    let arrow = |marker_line: usize| {
        let mut lines = vec!["const f = (a,", "  b) =>", "  a ? b : 0;"];
        lines.insert(marker_line, "  // eslint-disable-next-line complexity");
        lines.join("\n") + "\n"
    };
    write(dir.path(), "above_start.js", &arrow(0));
    write(dir.path(), "above_arrow.js", &arrow(1));
    let (doc, _) = check_json(dir.path(), &[]);
    assert_eq!(suppressed(&doc, "above_start.js"), Vec::<String>::new());
    assert_eq!(suppressed(&doc, "above_arrow.js"), ["f cyc"]);
}

#[test]
fn eslint_disable_blocks_run_to_the_matching_enable_or_the_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "blocks.js",
        "function before(a) { return a ? 1 : 0; }\n\
         /* eslint-disable complexity, sonarjs/cognitive-complexity -- legacy */\n\
         function inside(a) { return a ? 1 : 0; }\n\
         /* eslint-enable complexity */\n\
         function after(a) { return a ? 1 : 0; }\n\
         // eslint-disable complexity (a line comment is no block directive)\n\
         function last(a) { return a ? 1 : 0; }\n",
    );
    write(
        dir.path(),
        "open.js",
        "/* eslint-disable complexity */\nfunction one(a) { return a ? 1 : 0; }\nfunction two(a) { return a ? 1 : 0; }\n",
    );
    let (doc, _) = check_json(dir.path(), &[]);
    assert_eq!(
        suppressed(&doc, "blocks.js"),
        ["inside cyc", "inside cog", "after cog", "last cog"]
    );
    assert_eq!(
        violations(&doc, "blocks.js"),
        ["before cyc", "before cog", "after cyc", "last cyc"]
    );
    assert_eq!(suppressed(&doc, "open.js"), ["one cyc", "two cyc"]);
}

#[test]
fn a_marker_on_a_class_covers_its_methods() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "legacy.py",
        "# antipasta: ignore[cyc] -- legacy\nclass Legacy:\n    def m(self, a):\n        return 1 if a else 0\n\n    def n(self, a):\n        return 1 if a else 0\n\n\ndef free(a):\n    return 1 if a else 0\n",
    );
    write(
        dir.path(),
        "legacy.js",
        "class Legacy { // antipasta-ignore[cog]\n  m(a) { return a ? 1 : 0; }\n}\nfunction free(a) { return a ? 1 : 0; }\n",
    );
    let (doc, _) = check_json(dir.path(), &[]);
    assert_eq!(
        suppressed(&doc, "legacy.py"),
        ["Legacy.m cyc", "Legacy.n cyc"]
    );
    assert_eq!(
        violations(&doc, "legacy.py"),
        ["Legacy.m cog", "Legacy.n cog", "free cyc", "free cog"]
    );
    assert_eq!(suppressed(&doc, "legacy.js"), ["Legacy.m cog"]);
}

#[test]
fn file_level_markers_cover_file_metrics_from_the_first_comment_block() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "def f(a):\n    return a\n";
    write(
        dir.path(),
        "head.py",
        &format!(
            "#!/usr/bin/env python\n# antipasta: ignore-file[lines_of_code] -- generated\n\n{body}"
        ),
    );
    write(
        dir.path(),
        "late.py",
        &format!("{body}# antipasta: ignore-file[lines_of_code]\n"),
    );
    write(
        dir.path(),
        "string.py",
        &format!("\"\"\"\n# antipasta: ignore-file\n\"\"\"\n{body}"),
    );
    write(
        dir.path(),
        "head.js",
        "// antipasta-ignore-file -- vendored\n'use strict';\nexport const f = (a) => a;\n",
    );
    // Naming a function metric covers it in every function.
    write(
        dir.path(),
        "functions.py",
        "# antipasta: ignore-file[cog]\ndef f(a):\n    return 1 if a else 0\n\n\ndef g(a):\n    return 1 if a else 0\n",
    );
    write(
        dir.path(),
        "late.js",
        "export const f = (a) => a;\n// antipasta-ignore-file\n",
    );
    let (doc, code) = check_json(
        dir.path(),
        &["-t", "lines_of_code=1", "--report-unused-suppressions"],
    );
    assert_eq!(code, 1);
    for path in ["head.py", "head.js"] {
        assert_eq!(suppressed(&doc, path), ["<file> loc"], "{path}");
        assert_eq!(violations(&doc, path), Vec::<String>::new(), "{path}");
    }
    for path in ["late.py", "string.py", "late.js"] {
        assert_eq!(suppressed(&doc, path), Vec::<String>::new(), "{path}");
        assert_eq!(violations(&doc, path), ["<file> loc"], "{path}");
    }
    assert_eq!(suppressed(&doc, "functions.py"), ["f cog", "g cog"]);
    assert_eq!(
        violations(&doc, "functions.py"),
        ["<file> loc", "f cyc", "g cyc"]
    );
    // A file-level marker after the first statement covers nothing.
    assert_eq!(
        unused(&doc),
        [
            "late.js:2 // antipasta-ignore-file",
            "late.py:3 # antipasta: ignore-file[lines_of_code]"
        ]
    );
    assert_eq!(
        file_of(&doc, "head.py")["suppressed"],
        serde_json::json!([{
            "metric": "lines_of_code",
            "value": file_of(&doc, "head.py")["metrics"]["lines_of_code"].as_f64(),
            "threshold": 1.0,
            "marker": "# antipasta: ignore-file[lines_of_code]",
            "line": 2,
            "reason": "generated"
        }])
    );
}

fn file_of<'d>(doc: &'d Value, path: &str) -> &'d Value {
    doc["files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"] == path))
        .unwrap_or_else(|| panic!("{path} not in {doc}"))
}

const NOQA_FILE: &str = "def f(a):  # noqa: C901 -- parser table\n    return 1 if a else 0\n";

#[test]
fn json_shows_suppressed_violations_with_their_marker_and_counts_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", NOQA_FILE);
    let (doc, code) = check_json(dir.path(), &["-t", "cog=5"]);
    assert_eq!(code, 0, "a suppressed violation never fails: {doc}");
    let function = &file_of(&doc, "a.py")["functions"][0];
    let measured = function["metrics"]["cyclomatic_complexity"].clone();
    assert!(measured.as_u64().is_some_and(|v| v > 1), "{function}");
    assert_eq!(
        function["suppressed"],
        serde_json::json!([{
            "metric": "cyclomatic_complexity",
            "value": measured.as_f64(),
            "threshold": 1.0,
            "marker": "# noqa: C901",
            "line": 1,
            "reason": "parser table"
        }])
    );
    let entry = &doc["suppressed"][0];
    assert_eq!(entry["path"], "a.py");
    assert_eq!(entry["function"], "f");
    assert_eq!(entry["metric"], "cyclomatic_complexity");
    assert_eq!(entry["marker"], "# noqa: C901");
    assert_eq!(entry["marker_line"], 1);
    assert_eq!(entry["reason"], "parser table");
    assert_eq!(doc["violations"], serde_json::json!([]));
    assert_eq!(doc["summary"]["suppressed"], 1);
    assert_eq!(doc["summary"]["violations"], 0);
    assert!(doc.get("unused_suppressions").is_none());
}

#[test]
fn text_output_shows_suppressed_violations_only_with_verbose() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", NOQA_FILE);
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "-t", "cyc=1", "-t", "cog=5"];
        args.extend_from_slice(extra);
        let output = antipasta(dir.path(), &args);
        (
            String::from_utf8(output.stdout).expect("UTF-8"),
            output.status.code(),
        )
    };
    let (plain, code) = run(&[]);
    assert_eq!(code, Some(0));
    assert_eq!(
        plain,
        "All checks passed: 0 violations (1 suppressed) in 1 file, 1 function, 0 files that could not be analysed.\n"
    );
    let (verbose, _) = run(&["-v"]);
    let first = verbose.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("a.py:1:1: cyclomatic_complexity ")
            && first.ends_with(" in f [suppressed by '# noqa: C901' on line 1: parser table]"),
        "{verbose}"
    );
}

#[test]
fn no_suppressions_ignores_every_marker() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", NOQA_FILE);
    write(
        dir.path(),
        "b.js",
        "// eslint-disable-next-line complexity, sonarjs/cognitive-complexity\nfunction g(a) { return a ? 1 : 0; }\n",
    );
    let (doc, code) = check_json(dir.path(), &["--no-suppressions"]);
    assert_eq!(code, 1);
    assert_eq!(violations(&doc, "a.py"), ["f cyc", "f cog"]);
    assert_eq!(violations(&doc, "b.js"), ["g cyc", "g cog"]);
    assert_eq!(doc["suppressed"], serde_json::json!([]));
    assert_eq!(doc["summary"]["suppressed"], 0);
    // The two audits exclude each other.
    let both = antipasta(
        dir.path(),
        &["check", "--no-suppressions", "--report-unused-suppressions"],
    );
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn unused_suppressions_are_listed_and_fail_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.py",
        "def simple(a):  # noqa: C901\n    return a\n\n\n\
         def other(a):  # noqa\n    return a\n\n\n\
         # antipasta: ignore[cog]\n\
         def hidden(a):\n    return 1 if a else 0\n\n\n\
         x = 1  # antipasta: ignore -- nothing here\n\
         # antipasta: ignore[nonsense]\n\
         def named(a):\n    return a\n",
    );
    write(
        dir.path(),
        "b.js",
        "// eslint-disable-next-line complexity\nfunction simple(a) { return a; }\n// eslint-disable-next-line\nfunction other(a) { return a; }\n",
    );
    let (doc, code) = check_json(dir.path(), &["-t", "cyc=5", "--report-unused-suppressions"]);
    assert_eq!(code, 1, "unused markers fail check: {doc}");
    // A bare `# noqa` or rule-less ESLint directive may serve other linters:
    // never reported.
    assert_eq!(
        unused(&doc),
        [
            "a.py:1 # noqa: C901",
            "a.py:14 # antipasta: ignore",
            "a.py:15 # antipasta: ignore[nonsense]",
            "b.js:1 // eslint-disable-next-line complexity",
        ]
    );
    let messages: Vec<&str> = doc["unused_suppressions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "unused suppression '# noqa: C901': no violation to hide",
            "unused suppression '# antipasta: ignore': it is next to no function it could cover",
            "unused suppression '# antipasta: ignore[nonsense]': it names no metric antipasta knows",
            "unused suppression '// eslint-disable-next-line complexity': no violation to hide",
        ]
    );
    assert_eq!(doc["summary"]["unused_suppressions"], 4);
    assert_eq!(suppressed(&doc, "a.py"), ["hidden cog"]);

    // Text: one warning each; without the flag the run passes.
    let text = antipasta(
        dir.path(),
        &[
            "check",
            "-t",
            "cyc=5",
            "-t",
            "cog=0",
            "--report-unused-suppressions",
        ],
    );
    let stdout = String::from_utf8(text.stdout).expect("UTF-8");
    assert!(
        stdout
            .contains("a.py:1: warning: unused suppression '# noqa: C901': no violation to hide\n"),
        "{stdout}"
    );
    assert_eq!(text.status.code(), Some(1));
    // GitHub annotations: one warning each.
    let github = antipasta(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "-t",
            "cyc=5",
            "-t",
            "cog=0",
            "--report-unused-suppressions",
        ],
    );
    let annotations = String::from_utf8(github.stdout).expect("UTF-8");
    let first = annotations.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("::warning file=a.py,line=1,")
            && first.ends_with("::unused suppression '# noqa: C901': no violation to hide"),
        "{annotations}"
    );
    assert_eq!(annotations.lines().count(), 4, "{annotations}");
    let (_, code) = check_json(dir.path(), &["-t", "cyc=5"]);
    assert_eq!(code, 0);
}

#[test]
fn sarif_marks_suppressed_results_in_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", NOQA_FILE);
    let output = antipasta(
        dir.path(),
        &["check", "--format", "sarif", "-t", "cyc=1", "-t", "cog=5"],
    );
    assert_eq!(output.status.code(), Some(0));
    let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "cyclomatic_complexity");
    assert_eq!(result["level"], "note");
    assert_eq!(
        result["suppressions"],
        serde_json::json!([{
            "kind": "inSource",
            "justification": "# noqa: C901 (line 1): parser table"
        }])
    );
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The SARIF 2.1.0 schema (as `tests/sarif_schema.rs` loads it: the two
/// `language` patterns with a stray `]` dropped).
fn sarif_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/sarif/schema/sarif-2.1.0-rtm.5.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}: run fixtures/sarif/fetch_schema.sh"));
    let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    fn drop_language_patterns(value: &mut Value) {
        match value {
            Value::Object(map) => {
                let stray = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
                if map.get("pattern").and_then(Value::as_str) == Some(stray) {
                    map.remove("pattern");
                }
                map.values_mut().for_each(drop_language_patterns);
            }
            Value::Array(items) => items.iter_mut().for_each(drop_language_patterns),
            _ => {}
        }
    }
    drop_language_patterns(&mut schema);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

fn commit(dir: &Path) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "change"]);
}

#[test]
fn diff_sets_suppressed_violations_aside_and_reports_unused_markers_as_warnings() {
    let dir = repo();
    write(
        dir.path(),
        "a.py",
        "def legacy(a):  # noqa: C901\n    return a\n",
    );
    commit(dir.path());
    write(
        dir.path(),
        "a.py",
        "def legacy(a):  # noqa: C901\n    return a\n\n\n\
         def fresh(a):  # antipasta: ignore -- migrated as is\n    return 1 if a else 0\n\n\n\
         def tidy(a):  # antipasta: ignore[cog]\n    return a\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["diff", "--format", "json", "--report-unused-suppressions"];
        args.extend_from_slice(&LIMITS);
        args.extend_from_slice(extra);
        let output = antipasta(dir.path(), &args);
        let doc: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        (doc, output.status.code())
    };
    let (doc, code) = run(&[]);
    assert_eq!(code, Some(0), "{doc}");
    assert_eq!(suppressed(&doc, "a.py"), ["fresh cyc", "fresh cog"]);
    assert_eq!(doc["suppressed"][0]["change"], "new");
    // The untouched function's marker is not judged; the new one's is.
    assert_eq!(unused(&doc), ["a.py:9 # antipasta: ignore[cog]"]);
    let (_, code) = run(&["--fail-on", "any"]);
    assert_eq!(code, Some(1), "--fail-on any fails on unused markers");

    // Text: the suppressed violations of changed functions with -v, each
    // with its change; the unused marker as a warning.
    let mut args = vec!["diff", "-v", "--report-unused-suppressions"];
    args.extend_from_slice(&LIMITS);
    let text = antipasta(dir.path(), &args);
    let stdout = String::from_utf8(text.stdout).expect("UTF-8");
    assert!(
        stdout.contains(
            " in fresh [new] [suppressed by '# antipasta: ignore' on line 5: migrated as is]\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "a.py:9: warning: unused suppression '# antipasta: ignore[cog]': no violation to hide\n"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("legacy ["), "{stdout}");
}

/// A comment packed with markers stays linear: each reason ends where the
/// next marker begins, and a line counts at most eight markers (before,
/// every marker carried the rest of the comment as its reason and every one
/// was kept: quadratic time and memory).
#[test]
fn a_comment_packed_with_markers_stays_linear() {
    let dir = tempfile::tempdir().expect("tempdir");
    let packed: Vec<String> = (0..3000)
        .map(|i| format!("# antipasta: ignore[cyc, x{i}] -- r{i}"))
        .collect();
    write(
        dir.path(),
        "packed.py",
        &format!(
            "def f(a):  {}\n    return 1 if a else 0\n",
            packed.join(" ")
        ),
    );
    write(
        dir.path(),
        "packed.js",
        // Short lines first: a file of long lines is skipped as minified.
        &format!(
            "{}function f(a) {{ {}\n  return a ? 1 : 0;\n}}\n",
            "// filler\n".repeat(40),
            (0..60)
                .map(|i| format!("/* antipasta-ignore[cyc, x{i}] -- r{i} */"))
                .collect::<String>()
        ),
    );
    let (doc, _) = check_json(dir.path(), &["--report-unused-suppressions"]);
    for path in ["packed.py", "packed.js"] {
        let entry = doc["suppressed"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["path"] == path)
            .unwrap_or_else(|| panic!("{path} suppressed: {doc}"));
        assert_eq!(entry["reason"], "r0", "{path}");
        let unused: Vec<&Value> = doc["unused_suppressions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|u| u["path"] == path)
            .collect();
        // Eight markers count on the line: one hides the violation.
        assert_eq!(unused.len(), 7, "{path}");
        assert_eq!(unused[0]["reason"], "r1", "{path}");
    }
}
