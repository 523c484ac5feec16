//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other
//! dashboards. One rule per metric; one result per violation with a
//! repository-relative location (`%SRCROOT%`), or an absolute `file://` URI
//! without a base for a file outside the repository (never a `../` URI);
//! files that could not be analysed become tool execution notifications.
//!
//! Levels follow the gate: `error` when the violation fails the run; in
//! diff mode `warning` for a new or worsened one that `--fail-on` lets pass
//! and `note` for an existing one, whose `baselineState` is `new`, `updated`
//! or `unchanged`. `partialFingerprints["antipasta/v1"]` hashes the path,
//! the function's qualified name, the metric and the rank among identical
//! keys (FNV-1a, 64 bit), never a line, so an alert survives code moving.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use super::sarif_wire as wire;
use super::Report;
use crate::config::metric::Metric;
use crate::gate::{Violation, ViolationChange};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT: &str = "antipasta/v1";

/// Renders the SARIF log (with a trailing newline).
pub fn render(report: &Report) -> String {
    let notifications = report
        .errors()
        .map(|(result, err)| {
            let (line, column) = err.position().unwrap_or((1, 1));
            wire::Notification {
                level: "error",
                message: wire::Text {
                    text: format!("{}: cannot analyse: {err}", result.path),
                },
                locations: vec![location(report, &result.path, line, column, None, None)],
            }
        })
        .collect();
    let mut seen: HashMap<(&str, Option<&str>, Metric), usize> = HashMap::new();
    let results = report
        .violations
        .iter()
        .map(|violation| {
            let rank = seen
                .entry((
                    &violation.path,
                    violation.function.as_deref(),
                    violation.metric,
                ))
                .or_default();
            *rank += 1;
            result(report, violation, *rank)
        })
        .collect();
    let log = wire::Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![wire::Run {
            tool: wire::Tool {
                driver: wire::Driver {
                    name: "antipasta",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: Some(env!("CARGO_PKG_REPOSITORY")).filter(|u| !u.is_empty()),
                    rules: Metric::ALL.iter().map(|&metric| rule(metric)).collect(),
                },
            },
            invocations: vec![wire::Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
    out.push('\n');
    out
}

fn result(report: &Report, violation: &Violation, rank: usize) -> wire::SarifResult {
    let level = match violation.change {
        _ if report.fails(violation) => "error",
        Some(ViolationChange::Existing) => "note",
        _ => "warning",
    };
    let end_line = report
        .function_of(violation)
        .map(|(unit, _)| unit.span.end_line);
    let fingerprint = fingerprint(
        &violation.path,
        violation.function.as_deref(),
        violation.metric,
        rank,
    );
    wire::SarifResult {
        rule_id: violation.metric.name(),
        rule_index: Metric::ALL
            .iter()
            .position(|&m| m == violation.metric)
            .unwrap_or_default(),
        level,
        message: wire::Text {
            text: violation.message(),
        },
        locations: vec![location(
            report,
            &violation.path,
            violation.line,
            violation.column,
            end_line,
            violation.function.as_deref(),
        )],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT, fingerprint)]),
        baseline_state: violation.change.map(|change| match change {
            ViolationChange::New => "new",
            ViolationChange::Worsened => "updated",
            ViolationChange::Existing => "unchanged",
        }),
        properties: wire::Properties {
            value: violation.value,
            threshold: violation.threshold,
            comparison: violation.comparison.symbol(),
        },
    }
}

fn location(
    report: &Report,
    path: &str,
    line: u32,
    column: u32,
    end_line: Option<u32>,
    function: Option<&str>,
) -> wire::Location {
    wire::Location {
        physical_location: wire::PhysicalLocation {
            artifact_location: artifact(path, report.root),
            region: wire::Region {
                start_line: line,
                start_column: column,
                end_line,
            },
        },
        logical_locations: function
            .map(|name| wire::LogicalLocation {
                fully_qualified_name: name.to_owned(),
                kind: "function",
            })
            .into_iter()
            .collect(),
    }
}

/// Where `path` (relative to `root`, the repository root) is: a URI
/// relative to `%SRCROOT%` when it stays inside the root once `.` and `..`
/// are resolved, else an absolute `file://` URI with no base.
fn artifact(path: &str, root: Option<&Path>) -> wire::ArtifactLocation {
    let given = Path::new(path);
    let inside = !given.has_root() && lexical(given).is_some_and(|p| p.components().count() > 0);
    let absolute = match (inside, root) {
        (true, _) => None,
        (false, _) if given.is_absolute() => lexical(given),
        (false, Some(root)) => lexical(&root.join(given)),
        (false, None) => None,
    };
    match absolute {
        Some(absolute) => wire::ArtifactLocation {
            uri: file_uri(&absolute),
            uri_base_id: None,
        },
        None => wire::ArtifactLocation {
            uri: encode(&slashed(
                &lexical(given).unwrap_or_else(|| given.to_owned()),
            )),
            uri_base_id: Some(SRCROOT),
        },
    }
}

/// `path` with `.` and `..` resolved without touching the filesystem,
/// `/`-separated; `None` when a `..` climbs above its start.
fn lexical(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    let mut depth = 0_usize;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if depth == 0 => return None,
            Component::ParentDir => {
                out.pop();
                depth -= 1;
            }
            Component::Normal(name) => {
                out.push(name);
                depth += 1;
            }
            root => out.push(root),
        }
    }
    Some(out)
}

/// `file:///abs/path` (or `file:///C:/abs/path`), percent-encoded.
fn file_uri(absolute: &Path) -> String {
    let text = slashed(absolute);
    match text.as_bytes() {
        [drive, b':', ..] if drive.is_ascii_alphabetic() => {
            format!("file:///{}:{}", *drive as char, encode(&text[2..]))
        }
        _ => format!("file://{}", encode(&text)),
    }
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every byte but unreserved characters and `/` percent-encoded (UTF-8).
fn encode(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// FNV-1a (64 bit) of the identity of a violation, as 16 hex digits.
fn fingerprint(path: &str, function: Option<&str>, metric: Metric, rank: usize) -> String {
    let key = format!(
        "{path}\0{}\0{}\0{rank}",
        function.unwrap_or_default(),
        metric.name()
    );
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn rule(metric: Metric) -> wire::Rule {
    let (what, measured, help) = describe(metric);
    let name = metric
        .name()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    wire::Rule {
        id: metric.name(),
        name,
        short_description: wire::Text {
            text: format!("{what} outside its configured limit"),
        },
        full_description: wire::Text {
            text: format!(
                "{what}, {measured}, does not meet the threshold configured for antipasta."
            ),
        },
        help: wire::Text {
            text: help.to_owned(),
        },
        default_configuration: wire::Configuration { level: "error" },
    }
}

/// What a metric is, how it is measured, and how to bring it back in bounds.
fn describe(metric: Metric) -> (&'static str, &'static str, &'static str) {
    const SPLIT_FILE: &str =
        "Split the file into smaller modules or simplify its most complex functions.";
    match metric {
        Metric::CyclomaticComplexity => (
            "Cyclomatic complexity of a function",
            "counted as radon 6.0.1 `cc` counts it (1 plus one per decision point)",
            "Split the function: move independent branches into helpers and replace long if/elif chains with lookups.",
        ),
        Metric::CognitiveComplexity => (
            "Cognitive complexity of a function",
            "counted as complexipy 8.3.0 counts it (breaks in linear flow, weighted by nesting)",
            "Flatten the function: return early, and extract nested loops and conditions into named helpers.",
        ),
        Metric::MaintainabilityIndex => (
            "Maintainability index of a file",
            "computed as radon 6.0.1 `mi` computes it",
            SPLIT_FILE,
        ),
        Metric::HalsteadVolume
        | Metric::HalsteadDifficulty
        | Metric::HalsteadEffort
        | Metric::HalsteadTime
        | Metric::HalsteadBugs => (
            "A Halstead measure of a file",
            "computed as radon 6.0.1 `hal` computes it",
            SPLIT_FILE,
        ),
        Metric::LinesOfCode
        | Metric::LogicalLinesOfCode
        | Metric::SourceLinesOfCode
        | Metric::CommentLines
        | Metric::BlankLines => (
            "A line count of a file",
            "counted as radon 6.0.1 `raw` counts it",
            SPLIT_FILE,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    fn parse(report: &Report) -> serde_json::Value {
        serde_json::from_str(&render(report)).expect("valid JSON")
    }

    #[test]
    fn check_report_results() {
        let fixture = fixture::check();
        let log = parse(&fixture.report());
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "antipasta");
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["id"],
            "cyclomatic_complexity"
        );
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["name"],
            "CyclomaticComplexity"
        );
        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), 3);
        let parse_block = &results[1];
        assert_eq!(
            parse_block,
            &serde_json::json!({
                "ruleId": "cyclomatic_complexity",
                "ruleIndex": 0,
                "level": "error",
                "message": {"text": "cyclomatic_complexity 14 (limit <= 10) in Parser.parse"},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": "pkg/a.py", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 12, "startColumn": 5, "endLine": 30}
                    },
                    "logicalLocations": [{"fullyQualifiedName": "Parser.parse", "kind": "function"}]
                }],
                "partialFingerprints": {
                    "antipasta/v1": fingerprint("pkg/a.py", Some("Parser.parse"), Metric::CyclomaticComplexity, 1)
                },
                "properties": {"value": 14.0, "threshold": 10.0, "comparison": "<="}
            })
        );
        assert_eq!(results[0]["ruleId"], "maintainability_index");
        assert!(results[0]["locations"][0].get("logicalLocations").is_none());
        assert_eq!(
            results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "odd%2C%20100%25%3A%20%22q%22.py"
        );
        let notification = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(
            notification["message"]["text"],
            "pkg/broken.py: cannot analyse: syntax error: unexpected indent\nhere"
        );
        assert_eq!(
            notification["locations"][0]["physicalLocation"]["region"],
            serde_json::json!({"startLine": 3, "startColumn": 7})
        );
    }

    #[test]
    fn diff_levels_and_baseline_states() {
        let fixture = fixture::diff();
        let log = parse(&fixture.report());
        let states: Vec<(&str, &str)> = log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["level"].as_str().unwrap_or_default(),
                    r["baselineState"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            states,
            [
                ("error", "updated"),
                ("error", "new"),
                ("note", "unchanged")
            ]
        );
    }

    #[test]
    fn fingerprints_ignore_lines_but_not_identity() {
        let fixture = fixture::check();
        let mut moved = fixture::check();
        for violation in &mut moved.violations {
            violation.line += 7;
        }
        let prints = |report: &Report| -> Vec<serde_json::Value> {
            parse(report)["runs"][0]["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| r["partialFingerprints"].clone())
                .collect()
        };
        assert_eq!(prints(&fixture.report()), prints(&moved.report()));
        let key = |name, rank| fingerprint("a.py", Some(name), Metric::CyclomaticComplexity, rank);
        assert_ne!(key("f", 1), key("g", 1));
        assert_ne!(key("f", 1), key("f", 2));
        assert_ne!(
            key("f", 1),
            fingerprint("a.py", Some("f"), Metric::CognitiveComplexity, 1)
        );
        // Fixed forever: changing the scheme would reopen every alert.
        // (FNV-1a 64 of "a.py\0f\0cyclomatic_complexity\01", computed
        // independently with Python.)
        assert_eq!(key("f", 1), "fca66fcab71e639f");
    }

    #[test]
    fn locations_are_repository_relative_or_absolute_file_uris() {
        let root = Some(Path::new("/work/repo"));
        let shown = |path: &str| {
            let location = artifact(path, root);
            (location.uri, location.uri_base_id)
        };
        assert_eq!(
            shown("pkg/a b.py"),
            ("pkg/a%20b.py".to_owned(), Some(SRCROOT))
        );
        assert_eq!(shown("pkg/../a.py"), ("a.py".to_owned(), Some(SRCROOT)));
        assert_eq!(
            shown("../out/x.py"),
            ("file:///work/out/x.py".to_owned(), None)
        );
        assert_eq!(
            shown("pkg/../../x.py"),
            ("file:///work/x.py".to_owned(), None)
        );
        assert_eq!(
            shown("/tmp/x%.py"),
            ("file:///tmp/x%25.py".to_owned(), None)
        );
        assert_eq!(
            file_uri(Path::new("C:/Users/x.py")),
            "file:///C:/Users/x.py"
        );
    }
}
