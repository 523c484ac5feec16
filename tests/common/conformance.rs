//! The conformance harness both languages share: per-metric tallies of
//! compared units and mismatches, checked against the differences listed
//! in `fixtures/KNOWN_DIFFERENCES.md` and a mismatch budget.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Per metric: units compared and the mismatches found (`path`, detail).
#[derive(Default)]
pub struct Tally {
    compared: BTreeMap<&'static str, usize>,
    mismatches: BTreeMap<&'static str, Vec<(String, String)>>,
}

impl Tally {
    /// Counts one comparison of `metric` in `path`; `detail` describes a mismatch.
    pub fn check(
        &mut self,
        metric: &'static str,
        path: &str,
        ok: bool,
        detail: impl FnOnce() -> String,
    ) {
        *self.compared.entry(metric).or_default() += 1;
        if !ok {
            self.mismatches
                .entry(metric)
                .or_default()
                .push((path.to_owned(), detail()));
        }
    }

    /// Prints the match table and fails when a metric's mismatches exceed
    /// `budget` (a fraction of its units), or when a mismatch, or one of
    /// `disagreements` (file-level, always unexplained), is not listed in
    /// `fixtures/KNOWN_DIFFERENCES.md`.
    pub fn assert_within(&self, budget: f64, disagreements: Vec<String>) {
        let known = known_differences();
        let mut unexplained = Vec::new();
        let mut over_budget = Vec::new();
        println!(
            "\n{:<24} {:>8} {:>10} {:>9}",
            "metric", "units", "mismatch", "match %"
        );
        for (metric, compared) in &self.compared {
            let mismatches = self.mismatches.get(metric).map_or(&[][..], Vec::as_slice);
            let rate = 100.0 * (compared - mismatches.len()) as f64 / *compared as f64;
            println!(
                "{metric:<24} {compared:>8} {:>10} {rate:>8.3}%",
                mismatches.len()
            );
            if mismatches.len() as f64 > budget * *compared as f64 {
                over_budget.push(format!(
                    "{metric}: {} mismatches exceed {} % of {compared} units",
                    mismatches.len(),
                    budget * 100.0
                ));
            }
            for (path, detail) in mismatches {
                if !known.contains(&(path.clone(), metric.to_string())) {
                    unexplained.push(format!("{path} {metric}: {detail}"));
                }
            }
        }
        unexplained.extend(disagreements);
        let shown: Vec<&str> = unexplained.iter().take(60).map(String::as_str).collect();
        assert!(
            unexplained.is_empty() && over_budget.is_empty(),
            "{}\n{} differences not listed in fixtures/KNOWN_DIFFERENCES.md (first 60):\n{}",
            over_budget.join("\n"),
            unexplained.len(),
            shown.join("\n")
        );
    }
}

/// `(path, metric)` pairs listed as `- \`path\` \`metric\`: reason`.
fn known_differences() -> HashSet<(String, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/KNOWN_DIFFERENCES.md"),
    )
    .unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let mut ticks = line.strip_prefix("- ")?.split('`').skip(1).step_by(2);
            Some((ticks.next()?.to_owned(), ticks.next()?.to_owned()))
        })
        .collect()
}

/// One corpus file with the reference tools' expected output for it.
pub struct ExpectedFile<'a> {
    /// Path inside its package (as the expected document names it).
    pub relative: &'a str,
    /// `package/relative`: how mismatches and KNOWN_DIFFERENCES name it.
    pub path: String,
    pub expected: &'a serde_json::Value,
    pub bytes: Vec<u8>,
}

/// Calls `visit` for every file of every `expected/<package>.json` under
/// `fixtures`, reading its bytes from `corpus/<package>/`.
pub fn each_expected_file(fixtures: &Path, mut visit: impl FnMut(ExpectedFile<'_>)) {
    let expected_dir = fixtures.join("expected");
    let mut documents: Vec<std::path::PathBuf> = std::fs::read_dir(&expected_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", expected_dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    documents.sort();
    assert!(
        !documents.is_empty(),
        "no expected outputs in {}",
        expected_dir.display()
    );
    for document in &documents {
        let package = document
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        let corpus = fixtures.join("corpus").join(&package);
        assert!(
            corpus.is_dir(),
            "corpus {} is missing: run fixtures/fetch.sh first",
            corpus.display()
        );
        let text = std::fs::read_to_string(document).expect("expected output readable");
        let parsed: serde_json::Value =
            serde_json::from_str(&text).expect("expected output is JSON");
        for expected in parsed["files"].as_array().into_iter().flatten() {
            let relative = expected["path"].as_str().unwrap_or("");
            let path = format!("{package}/{relative}");
            let bytes =
                std::fs::read(corpus.join(relative)).unwrap_or_else(|e| panic!("{path}: {e}"));
            visit(ExpectedFile {
                relative,
                path,
                expected,
                bytes,
            });
        }
    }
}
