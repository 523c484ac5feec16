//! The engine: reads each file, analyses it in parallel, returns results in path order.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::cache::{Cache, CacheKey};
use crate::lang::{self, javascript, python};
use crate::model::{AnalysisError, Baseline, FileResult, Language, Scored};
use crate::source::{blob_id, ReadError, Reader, SourceFile};

/// Stack size of analysis threads: the visitors recurse over syntax trees;
/// deeper than a thousand levels they run on a thread of their own, sized
/// for the tree (`lang::deep`).
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// The outcome of a run: results in input order plus cache accounting.
#[derive(Debug)]
pub struct Run {
    pub results: Vec<FileResult>,
    pub cache_hits: usize,
    pub cache_misses: usize,
    /// Functions analysed in this run (in files not answered by the cache).
    pub units_scored: usize,
    /// The first cache failure, if any: the run went on without the cache.
    pub cache_problem: Option<String>,
}

enum Lookup {
    Hit,
    Miss(CacheKey),
    Failed(String),
    NotCached,
}

/// Analyses files on `jobs` threads (0 = all cores), answering from `cache`
/// where it can and storing the rest in one transaction. `baselines` is
/// empty or parallel to `files`: a file's previous version, whose
/// unchanged functions are not scored again. The output order is the input
/// order, whatever the thread count.
pub fn analyze_files(
    files: &[SourceFile],
    baselines: &[Option<Baseline>],
    reader: &Reader<'_>,
    jobs: usize,
    cache: Option<&Cache>,
) -> Result<Run, rayon::ThreadPoolBuildError> {
    analyze_files_streaming(files, baselines, reader, jobs, cache, |_| {
        ControlFlow::Continue(())
    })
}

/// [`analyze_files`], handing each file's result to `deliver` on the
/// calling thread as soon as it and every file before it are done: in
/// input order, while later files are still being analysed (a reorder
/// buffer over the parallel results), so output can begin early. When
/// `deliver` breaks, files not yet started are left out of the run (their
/// results are missing from it).
pub fn analyze_files_streaming(
    files: &[SourceFile],
    baselines: &[Option<Baseline>],
    reader: &Reader<'_>,
    jobs: usize,
    cache: Option<&Cache>,
    mut deliver: impl FnMut(&FileResult) -> ControlFlow<()>,
) -> Result<Run, rayon::ThreadPoolBuildError> {
    let analysed = in_order(
        files,
        jobs,
        |index, file| {
            let baseline = baselines.get(index).and_then(Option::as_ref);
            analyze_file(file, baseline, reader, cache)
        },
        |(result, ..)| deliver(result),
    )?;
    let mut run = Run {
        results: Vec::with_capacity(analysed.len()),
        cache_hits: 0,
        cache_misses: 0,
        units_scored: 0,
        cache_problem: None,
    };
    let mut to_store = Vec::new();
    for (index, (_, lookup, scored)) in analysed.iter().enumerate() {
        run.units_scored += scored;
        match lookup {
            Lookup::Hit => run.cache_hits += 1,
            Lookup::Miss(key) => {
                run.cache_misses += 1;
                to_store.push((key.clone(), index));
            }
            Lookup::Failed(problem) => {
                run.cache_misses += 1;
                run.cache_problem.get_or_insert_with(|| problem.clone());
            }
            Lookup::NotCached => {}
        }
    }
    if let (Some(cache), None) = (cache, &run.cache_problem) {
        let entries: Vec<_> = to_store
            .iter()
            .map(|(key, index)| (key.clone(), &analysed[*index].0.outcome))
            .collect();
        if let Err(err) = cache.put_all(&entries) {
            run.cache_problem = Some(err.to_string());
        }
    }
    run.results = analysed.into_iter().map(|(result, ..)| result).collect();
    Ok(run)
}

/// Maps `items` through `work` on `jobs` threads (0 = all cores) and
/// returns the outputs in input order; each output is also passed to
/// `deliver`, on the calling thread, in input order, as soon as it and all
/// earlier ones exist. Once `deliver` breaks, items not yet started are
/// skipped and nothing more is delivered: the outputs are then a subset.
fn in_order<I: Sync, T: Send>(
    items: &[I],
    jobs: usize,
    work: impl Fn(usize, &I) -> T + Sync,
    mut deliver: impl FnMut(&T) -> ControlFlow<()>,
) -> Result<Vec<T>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK_BYTES)
        .build()?;
    let (sender, receiver) = mpsc::channel::<(usize, T)>();
    // Outputs that arrived before an earlier one: the reorder buffer.
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let mut next = 0;
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let work = &work;
        let stop = &stop;
        scope.spawn(move || {
            pool.install(|| {
                items
                    .par_iter()
                    .enumerate()
                    .for_each_with(sender, |sender, (index, item)| {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        // The receiver lives until every sender is gone.
                        let _ = sender.send((index, work(index, item)));
                    });
            });
        });
        for (index, output) in receiver {
            slots[index] = Some(output);
            while let (false, Some(Some(ready))) = (stop.load(Ordering::Relaxed), slots.get(next)) {
                if deliver(ready).is_break() {
                    stop.store(true, Ordering::Relaxed);
                }
                next += 1;
            }
        }
    });
    Ok(slots.into_iter().flatten().collect())
}

/// One file's result, how it was looked up, and how many functions were scored.
fn analyze_file(
    file: &SourceFile,
    baseline: Option<&Baseline>,
    reader: &Reader<'_>,
    cache: Option<&Cache>,
) -> (FileResult, Lookup, usize) {
    let result = |blob_id: String, outcome| FileResult {
        path: file.display.clone(),
        language: file.language,
        blob_id,
        outcome,
    };
    let grammar = lang::grammar_name(file.language, &file.display);
    // A known blob id (staged blob, clean tracked file) is looked up before reading anything.
    let known = file.blob.map(|id| id.to_string());
    let mut known_lookup_failure = None;
    let unreadable = |err: ReadError| {
        let outcome = Err(AnalysisError::Read {
            message: err.to_string(),
        });
        (result(String::new(), outcome), Lookup::NotCached, 0)
    };
    if let (Some(cache), Some(id)) = (cache, &known) {
        // A file over the size limit is an error whether or not it is cached.
        if let Err(err) = reader.check_size(file) {
            return unreadable(err);
        }
        match cache.get(&CacheKey::new(id, grammar)) {
            Ok(Some(outcome)) => return (result(id.clone(), outcome), Lookup::Hit, 0),
            Ok(None) => {}
            Err(err) => known_lookup_failure = Some(err.to_string()),
        }
    }
    let bytes = match reader.read(file) {
        Ok(bytes) => bytes,
        Err(err) => return unreadable(err),
    };
    let blob_id = blob_id(&bytes);
    let analyse = |blob_id: String, lookup: Lookup| {
        let (result, scored) =
            analyze_blob(&file.display, file.language, blob_id, &bytes, baseline);
        (result, lookup, scored)
    };
    let Some(cache) = cache else {
        return analyse(blob_id, Lookup::NotCached);
    };
    let key = CacheKey::new(&blob_id, grammar);
    // Already looked up under the known id when the bytes hash to it.
    let lookup = if known.as_ref() == Some(&blob_id) {
        known_lookup_failure.map_or(Ok(None), Err)
    } else {
        cache.get(&key).map_err(|err| err.to_string())
    };
    match lookup {
        Ok(Some(outcome)) => (result(blob_id, outcome), Lookup::Hit, 0),
        Ok(None) => analyse(blob_id, Lookup::Miss(key)),
        Err(problem) => analyse(blob_id, Lookup::Failed(problem)),
    }
}

/// Analyses one blob's bytes.
pub fn analyze_bytes(path: &str, language: Language, bytes: &[u8]) -> FileResult {
    analyze_blob(path, language, blob_id(bytes), bytes, None).0
}

/// The result and the number of functions scored (not reused from `baseline`).
fn analyze_blob(
    path: &str,
    language: Language,
    blob_id: String,
    bytes: &[u8],
    baseline: Option<&Baseline>,
) -> (FileResult, usize) {
    let scored = decode(bytes).and_then(|source| match language {
        Language::Python => python::analyze(source, baseline),
        Language::JavaScript | Language::TypeScript => {
            javascript::analyze(source, javascript::Dialect::of(language, path)).map(|analysis| {
                Scored {
                    analysis,
                    reused: 0,
                }
            })
        }
    });
    let (outcome, count) = match scored {
        Ok(scored) => {
            let count = scored
                .analysis
                .functions
                .len()
                .saturating_sub(scored.reused);
            (Ok(scored.analysis), count)
        }
        Err(err) => (Err(err), 0),
    };
    let result = FileResult {
        path: path.to_owned(),
        language,
        blob_id,
        outcome,
    };
    (result, count)
}

/// Whether `bytes` is a Git LFS pointer file: under 1,024 bytes, opening
/// with the spec's version line (docs/git.md, "Files that are not source").
fn is_lfs_pointer(bytes: &[u8]) -> bool {
    const VERSIONS: [&[u8]; 2] = [
        b"version https://git-lfs.github.com/spec/v1\n",
        b"version https://hawser.github.com/spec/v1\n",
    ];
    bytes.len() < 1024 && VERSIONS.iter().any(|version| bytes.starts_with(version))
}

/// UTF-8 text without a leading BOM; invalid UTF-8 is an error, binary
/// content and Git LFS pointers are not source.
fn decode(bytes: &[u8]) -> Result<&str, AnalysisError> {
    if is_lfs_pointer(bytes) {
        return Err(AnalysisError::LfsPointer);
    }
    if bytes.contains(&0) {
        return Err(AnalysisError::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|err| AnalysisError::not_utf8(bytes, err.valid_up_to()))
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;
    use std::sync::mpsc;
    use std::sync::Mutex;
    use std::time::Duration;

    use super::{analyze_files_streaming, in_order};
    use crate::model::Language;
    use crate::source::{Origin, Reader, SourceFile};

    /// The first output is delivered while the last item is still being
    /// worked on: the last item's work waits for the first delivery's
    /// signal (a run that delivered only at the end would time out and
    /// report `false`).
    #[test]
    fn the_first_output_is_delivered_before_the_last_item_is_done() {
        for jobs in [1, 2, 4] {
            let items: Vec<usize> = (0..50).collect();
            let (signal, signalled) = mpsc::channel::<()>();
            let signalled = Mutex::new(signalled);
            let mut delivered = Vec::new();
            let mut signal = Some(signal);
            let outputs = in_order(
                &items,
                jobs,
                |index, item| {
                    if index == items.len() - 1 {
                        let waited = signalled
                            .lock()
                            .expect("one waiter")
                            .recv_timeout(Duration::from_secs(60));
                        return (*item, waited.is_ok());
                    }
                    (*item, true)
                },
                |(item, _)| {
                    delivered.push(*item);
                    if let Some(signal) = signal.take() {
                        signal.send(()).expect("the last item waits");
                    }
                    ControlFlow::Continue(())
                },
            )
            .expect("a thread pool");
            assert_eq!(
                outputs.last(),
                Some(&(49, true)),
                "jobs {jobs}: the last item saw the first delivery"
            );
            assert_eq!(delivered, items, "jobs {jobs}: delivered in input order");
            let order: Vec<usize> = outputs.iter().map(|(item, _)| *item).collect();
            assert_eq!(order, items, "jobs {jobs}: returned in input order");
        }
    }

    /// Real files on several threads: every result is delivered once, in
    /// path order, and the run returns the same results.
    #[test]
    fn streamed_results_arrive_in_path_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files: Vec<SourceFile> = (0..40)
            .map(|n| {
                let name = format!("m{n:02}.py");
                let path = dir.path().join(&name);
                let body = "    if a:\n        a += 1\n".repeat(n);
                std::fs::write(&path, format!("def f(a):\n{body}    return a\n")).expect("write");
                SourceFile {
                    display: name,
                    origin: Origin::Path(path),
                    language: Language::Python,
                    blob: None,
                }
            })
            .collect();
        let mut delivered = Vec::new();
        let run = analyze_files_streaming(
            &files,
            &[],
            &Reader::filesystem(1 << 20),
            4,
            None,
            |result| {
                delivered.push((result.path.clone(), result.blob_id.clone()));
                ControlFlow::Continue(())
            },
        )
        .expect("a thread pool");
        let returned: Vec<(String, String)> = run
            .results
            .iter()
            .map(|result| (result.path.clone(), result.blob_id.clone()))
            .collect();
        let names: Vec<&str> = files.iter().map(|file| file.display.as_str()).collect();
        let delivered_names: Vec<&str> = delivered.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(delivered_names, names);
        assert_eq!(delivered, returned);
        assert!(run.results.iter().all(|result| result.outcome.is_ok()));
    }
}
