//! File-level pairing: which files differ between two versions, and which
//! of the added and deleted ones are really renames.

use std::collections::HashMap;

use similar::TextDiff;

use super::FileStatus;
use crate::source::SourceFile;

/// The least line similarity at which a deleted and an added file count as
/// one renamed file (git's default `-M50%`).
const RENAME_SIMILARITY: f32 = 0.5;

/// Above this many (deleted × added) candidates, only exact renames (same
/// blob) are looked for, keeping huge moves linear.
const MAX_SIMILARITY_PAIRS: usize = 40_000;

/// A file that differs between the base and the target version.
#[derive(Debug, Clone, PartialEq)]
pub struct FilePair {
    pub status: FileStatus,
    /// The base version (`None` when added).
    pub old: Option<SourceFile>,
    /// The target version (`None` when deleted).
    pub new: Option<SourceFile>,
}

/// Pairs two listings by path. Both must carry blob ids: files with the
/// same id on both sides are unchanged and left out without being read.
/// `read` gives a file's text for rename similarity (only called for added
/// and deleted files of the same language).
pub fn pair_files(
    old: Vec<SourceFile>,
    new: Vec<SourceFile>,
    read: &dyn Fn(&SourceFile) -> Option<String>,
) -> Vec<FilePair> {
    let mut old_by_path: HashMap<String, SourceFile> = old
        .into_iter()
        .map(|file| (file.display.clone(), file))
        .collect();
    let mut pairs = Vec::new();
    let mut added = Vec::new();
    for file in new {
        match old_by_path.remove(&file.display) {
            Some(before) if before.blob.is_some() && before.blob == file.blob => {}
            Some(before) => pairs.push(FilePair {
                status: FileStatus::Modified,
                old: Some(before),
                new: Some(file),
            }),
            None => added.push(file),
        }
    }
    let mut deleted: Vec<SourceFile> = old_by_path.into_values().collect();
    deleted.sort();
    pairs.extend(renames(&mut deleted, &mut added, read));
    pairs.extend(added.into_iter().map(|file| FilePair {
        status: FileStatus::Added,
        old: None,
        new: Some(file),
    }));
    pairs.extend(deleted.into_iter().map(|file| FilePair {
        status: FileStatus::Deleted,
        old: Some(file),
        new: None,
    }));
    pairs.sort_by(|a, b| display_of(a).cmp(display_of(b)));
    pairs
}

/// The path a pair is listed under: the target's, or the base's when deleted.
fn display_of(pair: &FilePair) -> &str {
    pair.new
        .as_ref()
        .or(pair.old.as_ref())
        .map_or("", |file| file.display.as_str())
}

/// Takes renamed files out of `deleted` and `added`: identical blobs first,
/// then the most similar same-language pairs above [`RENAME_SIMILARITY`].
fn renames(
    deleted: &mut Vec<SourceFile>,
    added: &mut Vec<SourceFile>,
    read: &dyn Fn(&SourceFile) -> Option<String>,
) -> Vec<FilePair> {
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut taken_old = vec![false; deleted.len()];
    let mut taken_new = vec![false; added.len()];
    for (n, new) in added.iter().enumerate() {
        if let Some(o) = (0..deleted.len())
            .find(|&o| !taken_old[o] && new.blob.is_some() && deleted[o].blob == new.blob)
        {
            taken_old[o] = true;
            taken_new[n] = true;
            matches.push((o, n));
        }
    }
    let candidates =
        taken_old.iter().filter(|t| !**t).count() * taken_new.iter().filter(|t| !**t).count();
    if candidates > 0 && candidates <= MAX_SIMILARITY_PAIRS {
        let old_texts: Vec<Option<String>> = deleted
            .iter()
            .enumerate()
            .map(|(o, file)| (!taken_old[o]).then(|| read(file)).flatten())
            .collect();
        let new_texts: Vec<Option<String>> = added
            .iter()
            .enumerate()
            .map(|(n, file)| (!taken_new[n]).then(|| read(file)).flatten())
            .collect();
        let mut scored = Vec::new();
        for (o, old_text) in old_texts.iter().enumerate() {
            for (n, new_text) in new_texts.iter().enumerate() {
                let (Some(old_text), Some(new_text)) = (old_text, new_text) else {
                    continue;
                };
                if deleted[o].language != added[n].language {
                    continue;
                }
                let ratio = TextDiff::from_lines(old_text, new_text).ratio();
                if ratio >= RENAME_SIMILARITY {
                    scored.push((ratio, o, n));
                }
            }
        }
        // Most similar first; ties by path order for a stable result.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for (_, o, n) in scored {
            if !taken_old[o] && !taken_new[n] {
                taken_old[o] = true;
                taken_new[n] = true;
                matches.push((o, n));
            }
        }
    }
    let mut old_slots: Vec<Option<SourceFile>> = deleted.drain(..).map(Some).collect();
    let mut new_slots: Vec<Option<SourceFile>> = added.drain(..).map(Some).collect();
    let pairs = matches
        .into_iter()
        .filter_map(|(o, n)| {
            Some(FilePair {
                status: FileStatus::Renamed,
                old: Some(old_slots[o].take()?),
                new: Some(new_slots[n].take()?),
            })
        })
        .collect();
    deleted.extend(old_slots.into_iter().flatten());
    added.extend(new_slots.into_iter().flatten());
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;
    use crate::source::Origin;

    fn file(path: &str, content: &str) -> SourceFile {
        let id = gix::objs::compute_hash(
            gix::hash::Kind::Sha1,
            gix::objs::Kind::Blob,
            content.as_bytes(),
        )
        .expect("hash");
        SourceFile {
            display: path.to_owned(),
            origin: Origin::Path(content.into()),
            language: Language::Python,
            blob: Some(id),
        }
    }

    fn read(file: &SourceFile) -> Option<String> {
        match &file.origin {
            Origin::Path(content) => Some(content.display().to_string()),
            Origin::Blob(_) | Origin::Converted { .. } => None,
        }
    }

    fn summary(pairs: &[FilePair]) -> Vec<(FileStatus, Option<&str>, Option<&str>)> {
        pairs
            .iter()
            .map(|p| {
                (
                    p.status,
                    p.old.as_ref().map(|f| f.display.as_str()),
                    p.new.as_ref().map(|f| f.display.as_str()),
                )
            })
            .collect()
    }

    #[test]
    fn same_blob_same_path_is_left_out() {
        let body = "def f():\n    return 1\n";
        let pairs = pair_files(vec![file("a.py", body)], vec![file("a.py", body)], &read);
        assert!(pairs.is_empty());
    }

    #[test]
    fn statuses_by_path() {
        let pairs = pair_files(
            vec![file("a.py", "x = 1\n"), file("gone.py", "y = 2\n")],
            vec![
                file("a.py", "x = 2\n"),
                file("new.py", "completely\ndifferent\n"),
            ],
            &read,
        );
        assert_eq!(
            summary(&pairs),
            vec![
                (FileStatus::Modified, Some("a.py"), Some("a.py")),
                (FileStatus::Deleted, Some("gone.py"), None),
                (FileStatus::Added, None, Some("new.py")),
            ]
        );
    }

    #[test]
    fn renames_exact_and_similar() {
        let long: String = (0..20).map(|i| format!("x{i} = {i}\n")).collect();
        let edited = long.replace("x3 = 3", "x3 = 33");
        let pairs = pair_files(
            vec![file("old/same.py", "a = 1\n"), file("old/long.py", &long)],
            vec![file("new/same.py", "a = 1\n"), file("new/long.py", &edited)],
            &read,
        );
        assert_eq!(
            summary(&pairs),
            vec![
                (
                    FileStatus::Renamed,
                    Some("old/long.py"),
                    Some("new/long.py")
                ),
                (
                    FileStatus::Renamed,
                    Some("old/same.py"),
                    Some("new/same.py")
                ),
            ]
        );
    }
}
