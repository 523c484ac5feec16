//! The engine: reads each file, analyses it in parallel, returns results in path order.

use rayon::prelude::*;

use crate::lang::python;
use crate::model::{AnalysisError, FileResult, Language};
use crate::source::{Reader, SourceFile};

/// Stack size of analysis threads: the visitors recurse over syntax trees
/// bounded by `python::MAX_TREE_DEPTH`.
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Analyses files on `jobs` threads (0 = all cores). The output order is the
/// input order, whatever the thread count.
pub fn analyze_files(
    files: &[SourceFile],
    reader: &Reader<'_>,
    jobs: usize,
) -> Result<Vec<FileResult>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK_BYTES)
        .build()?;
    Ok(pool.install(|| {
        files
            .par_iter()
            .map(|file| analyze_file(file, reader))
            .collect()
    }))
}

fn analyze_file(file: &SourceFile, reader: &Reader<'_>) -> FileResult {
    match reader.read(file) {
        Ok(bytes) => analyze_bytes(&file.display, file.language, &bytes),
        Err(err) => FileResult {
            path: file.display.clone(),
            language: file.language,
            blob_id: String::new(),
            outcome: Err(AnalysisError::Read {
                message: err.to_string(),
            }),
        },
    }
}

/// Analyses one blob's bytes.
pub fn analyze_bytes(path: &str, language: Language, bytes: &[u8]) -> FileResult {
    FileResult {
        path: path.to_owned(),
        language,
        blob_id: blob_id(bytes),
        outcome: decode(bytes).and_then(|source| match language {
            Language::Python => python::analyze(source),
        }),
    }
}

/// The git blob object id of some bytes, as `git hash-object` prints it.
pub fn blob_id(bytes: &[u8]) -> String {
    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes)
        .map(|id| id.to_string())
        .unwrap_or_default()
}

/// UTF-8 text without a leading BOM; binary and invalid UTF-8 are errors.
fn decode(bytes: &[u8]) -> Result<&str, AnalysisError> {
    if bytes.contains(&0) {
        return Err(AnalysisError::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|err| AnalysisError::NotUtf8 {
        offset: err.valid_up_to(),
    })
}
