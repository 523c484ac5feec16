//! End-to-end tests of `antipasta check` on JavaScript and TypeScript.

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

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn file<'d>(doc: &'d Value, path: &str) -> &'d Value {
    doc["files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"] == path))
        .unwrap_or_else(|| panic!("{path} not in {doc}"))
}

/// `qualified_name line:column cyclomatic` of every function of a file.
fn units(doc: &Value, path: &str) -> Vec<String> {
    file(doc, path)["functions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["qualified_name"].as_str().unwrap_or(""),
                f["line"],
                f["column"],
                f["metrics"]["cyclomatic_complexity"]
            )
        })
        .collect()
}

const BRANCHY: &str = "export function handler(a, b, c) {\n  if (a && b) { return 1; }\n  else if (c || a) { return 2; }\n  for (const x of a) { if (x?.y) { return x; } }\n  return a ? b : c;\n}\n";

#[test]
fn violations_name_the_function_at_eslint_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "src/app.js", BRANCHY);
    let output = antipasta(dir.path(), &["check", "-t", "cyc=5"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("src/app.js:1:8: cyclomatic_complexity 9 (limit <= 5) in handler"),
        "{stdout}"
    );
    // Defaults: cyclomatic <= 10, cognitive <= 15, no file-level Halstead limits.
    let output = antipasta(dir.path(), &["check"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn modern_syntax_parses_jsx_private_fields_decorators_top_level_await_hashbang() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "cli.mjs",
        "#!/usr/bin/env node\nconst data = await load();\n@sealed\nclass Store {\n  #items = data ?? [];\n  #find(id) { return this.#items.find((i) => i.id === id) || null; }\n  static { Store.ready = true; }\n}\n",
    );
    write(
        dir.path(),
        "view.jsx",
        "export const List = ({ items }) => (\n  <ul>{items.length > 0 ? items.map((i) => <li key={i}>{i}</li>) : <Empty />}</ul>\n);\n",
    );
    write(
        dir.path(),
        "component.js",
        "function App(props) {\n  return <div>{props.ok && <span />}</div>;\n}\n",
    );
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(
        units(&doc, "cli.mjs"),
        vec![
            "Store.#items 5:12 2",
            "Store.#find 6:3 2",
            "Store.#find.<anonymous> 6:43 1",
            "Store.<static> 7:3 1",
        ]
    );
    assert_eq!(
        units(&doc, "view.jsx"),
        vec!["List 1:33 2", "List.<anonymous> 2:41 1"]
    );
    assert_eq!(units(&doc, "component.js"), vec!["App 1:1 2"]);
    assert_eq!(file(&doc, "cli.mjs")["language"], "javascript");
}

#[test]
fn typescript_and_tsx_use_their_grammars_and_declaration_files_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "cast.ts",
        "export function first<T>(xs: unknown): T | undefined {\n  const list = <T[]>xs;\n  return list?.[0];\n}\n",
    );
    write(
        dir.path(),
        "Panel.tsx",
        "export function Panel({ open }: { open?: boolean }) {\n  return <p>{open ? 'on' : 'off'}</p>;\n}\n",
    );
    write(
        dir.path(),
        "types.d.ts",
        "export declare function f(a: string): void;\n",
    );
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc}");
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, vec!["Panel.tsx", "cast.ts"]);
    assert_eq!(units(&doc, "cast.ts"), vec!["first 1:8 2"]);
    assert_eq!(units(&doc, "Panel.tsx"), vec!["Panel 1:8 2"]);
    assert_eq!(file(&doc, "Panel.tsx")["language"], "typescript");
}

#[test]
fn syntax_errors_and_flow_annotations_are_reported_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "flow.js",
        "// @flow\nfunction f(x: number): string {\n  return String(x);\n}\n",
    );
    write(dir.path(), "broken.ts", "function g( {\n  return 1;\n}\n");
    write(dir.path(), "fine.js", "const ok = () => 1;\n");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 1, "{doc}");
    for path in ["flow.js", "broken.ts"] {
        let error = &file(&doc, path)["error"];
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("syntax error")),
            "{path}: {error}"
        );
        assert!(error["line"].as_u64().is_some_and(|l| l >= 1), "{error}");
    }
    assert_eq!(file(&doc, "flow.js")["error"]["line"], 2);
    assert!(file(&doc, "fine.js")["error"].is_null());
    assert_eq!(doc["summary"]["errors"], 2);
    let output = antipasta(dir.path(), &["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("flow.js:2:"), "{stdout}");
    assert!(stdout.contains("error: syntax error"), "{stdout}");
}

#[test]
fn minified_bundles_are_skipped_with_a_note_and_do_not_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = format!(
        "/*! lib v1 */\n{}\n",
        "function a(b){return b?1:2}".repeat(100)
    );
    write(dir.path(), "dist/lib.min.js", &bundle);
    write(dir.path(), "src/index.js", "export const one = () => 1;\n");
    let output = antipasta(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "dist/lib.min.js: note: skipped: minified code (line 2 is 2700 characters long)"
        ),
        "{stdout}"
    );
    let quiet = antipasta(dir.path(), &["check", "-q"]);
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["errors"], 0);
    assert!(file(&doc, "dist/lib.min.js")["error"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("skipped: minified")));
}

#[test]
fn language_entries_set_their_own_thresholds_and_node_modules_is_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "app.ts", BRANCHY);
    write(dir.path(), "app.js", BRANCHY);
    write(dir.path(), "node_modules/dep/index.js", BRANCHY);
    write(dir.path(), "src/app.test.js", BRANCHY);
    write(
        dir.path(),
        ".antipasta.toml",
        "[[languages]]\nname = \"typescript\"\n[[languages.metrics]]\ntype = \"cyclomatic_complexity\"\nthreshold = 8\n",
    );
    let output = antipasta(dir.path(), &["check", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "app.ts:1:8: cyclomatic_complexity 9 (limit <= 8) in handler\n"
    );
}

#[test]
fn deep_nesting_bom_crlf_and_empty_files_finish_without_crashing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let depth = 1_000;
    let nested = format!(
        "const x = {}1{};\n",
        "(a ?\n".repeat(depth),
        " : b)\n".repeat(depth)
    );
    write(dir.path(), "deep.js", &nested);
    let too_deep = format!(
        "const y = {}1{};\n",
        "[\n".repeat(20_000),
        "]\n".repeat(20_000)
    );
    write(dir.path(), "too_deep.js", &too_deep);
    write(
        dir.path(),
        "crlf.ts",
        "\u{feff}// c\r\nexport const f = (a?: number) => a ?? 0;\r\n",
    );
    write(dir.path(), "empty.js", "");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{doc}");
    assert!(file(&doc, "deep.js")["error"].is_null());
    assert_eq!(
        file(&doc, "deep.js")["metrics"]["cyclomatic_complexity"],
        depth + 1
    );
    // 20,000 nested arrays: ESLint's parser runs out of stack ("Not enough
    // stack space to parse input"); antipasta scores the tree on a stack
    // sized for it (fixtures/KNOWN_DIFFERENCES.md).
    assert!(file(&doc, "too_deep.js")["error"].is_null(), "{doc}");
    assert_eq!(
        file(&doc, "too_deep.js")["metrics"]["cyclomatic_complexity"],
        1
    );
    assert_eq!(units(&doc, "crlf.ts"), vec!["f 2:31 2"]);
    assert_eq!(file(&doc, "crlf.ts")["metrics"]["lines_of_code"], 2);
    assert_eq!(file(&doc, "crlf.ts")["metrics"]["single_comment_lines"], 1);
    assert_eq!(file(&doc, "empty.js")["metrics"]["lines_of_code"], 0);
}

#[test]
fn typescript_5_type_only_star_exports_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "index.ts",
        "export type * from './a';\nexport type * as ns from './b';\nexport function f(a?: number) { return a ?? 1; }\n",
    );
    write(dir.path(), "bad.ts", "export type * * from './a';\n");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 1, "{doc}");
    assert!(file(&doc, "index.ts")["error"].is_null(), "{doc}");
    assert_eq!(units(&doc, "index.ts"), vec!["f 3:8 2"]);
    assert!(file(&doc, "bad.ts")["error"].is_object(), "{doc}");
}

/// `gate` has ESLint `complexity` 26 (ESLint 10.15.0 reports it at 2:8 in
/// both files below).
fn gate_function() -> String {
    let mut text = "export function gate(a) {\n".to_owned();
    for i in 0..25 {
        text.push_str(&format!("  if (a === {i}) return {i};\n"));
    }
    text.push_str("  return -1;\n}\n");
    text
}

/// A 10 KB comment line, then a complex function.
fn commented_gate() -> String {
    format!("// {}\n{}", "x".repeat(10 * 1024), gate_function())
}

#[test]
fn a_long_comment_line_does_not_hide_a_file_in_check_staged_or_diff() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "src/base.js", "export const one = () => 1;\n");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    write(dir.path(), "src/gate.js", &commented_gate());
    git(dir.path(), &["add", "-A"]);
    let violation = "src/gate.js:2:8: cyclomatic_complexity 26 (limit <= 10) in gate";
    for args in [
        &["check", "src"][..],
        &["check", "--staged"],
        &["diff", "--staged"],
    ] {
        let output = antipasta(dir.path(), args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stdout}");
        assert!(stdout.contains(violation), "{args:?}: {stdout}");
        assert!(!stdout.contains("minified"), "{args:?}: {stdout}");
    }
}

#[test]
fn a_module_with_one_long_base64_string_is_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let icon = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk".repeat(200);
    write(
        dir.path(),
        "icon.js",
        &format!("export const icon = \"{icon}\";\n{}", gate_function()),
    );
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(units(&doc, "icon.js"), vec!["gate 2:8 26"]);
}

#[test]
fn a_real_minified_bundle_is_still_skipped() {
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/javascript/corpus/preact-11.2.0/dist/preact.mjs");
    let bytes = std::fs::read(&bundle)
        .unwrap_or_else(|e| panic!("{}: {e} (run fixtures/fetch.sh)", bundle.display()));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("preact.mjs"), bytes).expect("write");
    let (doc, code) = json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(file(&doc, "preact.mjs")["error"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("skipped: minified code (line 1 is")));
}

#[test]
fn a_file_skipped_as_minified_in_diff_is_not_judged_and_loses_no_function() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "lib.js", &gate_function());
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    let bundle = format!("{}\n", "function a(b){return b?1:2}".repeat(100));
    write(dir.path(), "lib.js", &bundle);
    for args in [&["diff"][..], &["check", "--staged", "lib.js"]] {
        if args[0] == "check" {
            git(dir.path(), &["add", "-A"]);
        }
        let output = antipasta(dir.path(), args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stdout}");
        assert!(!stdout.contains("removed"), "{args:?}: {stdout}");
        assert!(
            stdout
                .contains("lib.js: note: skipped: minified code (line 1 is 2700 characters long)"),
            "{args:?}: {stdout}"
        );
        assert!(
            stdout.contains("1 file not judged (minified or not source)."),
            "{args:?}: {stdout}"
        );
    }
}
