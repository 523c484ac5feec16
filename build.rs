//! Build script: the cache fingerprint of this build.
//!
//! Cached results are keyed by a hash of everything that can change a
//! file's numbers: the sources of the front ends, the metrics, the model,
//! the engine's decoding and the cache format, plus the exact versions of
//! the grammar and serialisation crates in `Cargo.lock` and the patched
//! grammars' generated parsers under `grammars/`. Two builds that
//! differ in one metric rule therefore never answer from each other's
//! entries (see README "Cache").

use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use siphasher::sip128::{Hasher128, SipHasher13};

/// Sources whose content can change a cached value.
const HASHED_SOURCES: &[&str] = &[
    "src/lang",
    "src/metrics",
    "src/model.rs",
    "src/engine.rs",
    "src/cache",
    // The patched grammars' generated parsers and scanners (grammars/PATCHES.md).
    "grammars/javascript/src",
    "grammars/python/src",
    "grammars/typescript/common",
    "grammars/typescript/typescript/src",
    "grammars/typescript/tsx/src",
];

/// Crates whose version can change a cached value (grammars and encoding).
fn is_hashed_crate(name: &str) -> bool {
    name.starts_with("tree-sitter") || name == "postcard" || name == "serde"
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    for source in HASHED_SOURCES {
        println!("cargo:rerun-if-changed={source}");
        collect(&root.join(source), &mut files);
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    files.sort();
    let mut hasher = SipHasher13::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        let content = fs::read(file).unwrap_or_else(|err| {
            panic!("cannot read {}: {err}", file.display());
        });
        write_field(&mut hasher, relative.to_string_lossy().as_bytes());
        write_field(&mut hasher, &content);
    }
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    for (name, version) in locked_packages(&lock) {
        if is_hashed_crate(&name) {
            write_field(&mut hasher, name.as_bytes());
            write_field(&mut hasher, version.as_bytes());
        }
    }
    let hash = hasher.finish128();
    println!(
        "cargo:rustc-env=ANTIPASTA_BUILD_FINGERPRINT={:016x}{:016x}",
        hash.h1, hash.h2
    );
}

/// Length-prefixed, so that no two sequences of fields hash alike.
fn write_field(hasher: &mut SipHasher13, bytes: &[u8]) {
    hasher.write(&(bytes.len() as u64).to_le_bytes());
    hasher.write(bytes);
}

/// Every file under `path` (or `path` itself).
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    match fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect(&entry.path(), files);
            }
        }
        Err(_) if path.is_file() => files.push(path.to_owned()),
        Err(err) => panic!("cannot read {}: {err}", path.display()),
    }
}

/// (name, version) of each `[[package]]` in a lock file.
fn locked_packages(lock: &str) -> Vec<(String, String)> {
    let mut packages = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_owned());
        } else if let Some(value) = line.strip_prefix("version = ") {
            if let Some(name) = name.take() {
                packages.push((name, value.trim_matches('"').to_owned()));
            }
        }
    }
    packages
}
