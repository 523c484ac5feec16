//! Pathspecs as git reads them (`diff -- PATHS`, `check --staged PATHS`):
//! globs, the magic words `:(glob)`, `:(exclude)`/`:!`, `:(icase)`,
//! `:(top)`/`:/` and `:(literal)`, relative to the directory the command
//! runs in. As with git, a pattern with glob characters also matches the
//! path it spells literally (`a[1].py` names the file `a[1].py`).
//!
//! Plain file and directory names (what pre-commit passes, often by the
//! thousand) are looked up in a set; anything else goes through gix's
//! pathspec search.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::Path;

use gix::bstr::{BStr, BString, ByteSlice};
use gix::pathspec::{MagicSignature, Pattern, Search, SearchMode};

/// A pathspec argument git cannot read.
#[derive(Debug, thiserror::Error)]
pub enum PathspecError {
    #[error("invalid pathspec '{spec}': {message}")]
    Invalid { spec: String, message: String },
    #[error("{spec}: outside the repository")]
    Outside { spec: String },
}

/// The pathspecs of one command, ready for matching repository-relative paths.
pub struct Pathspecs {
    /// The arguments as given, for messages (lossy when not UTF-8).
    args: Vec<String>,
    /// The repository-relative paths the non-excluding arguments spell.
    exact: HashSet<BString>,
    matcher: Matcher,
}

enum Matcher {
    /// No pathspec: the whole repository, from wherever the command runs.
    Everything,
    /// Only plain names of files or directories, repository-relative.
    Plain(Vec<BString>),
    Search {
        search: Box<Search>,
        /// Each argument alone, for telling which of them match nothing.
        alone: Vec<Option<Search>>,
    },
}

impl Pathspecs {
    /// Parses `args` as git would in `cwd`, a directory of the worktree
    /// `root`. `defaults` carries `GIT_*_PATHSPECS` and `core.ignoreCase`.
    pub(crate) fn parse(
        args: &[&OsStr],
        cwd: &Path,
        root: &Path,
        defaults: gix::pathspec::Defaults,
    ) -> Result<Pathspecs, PathspecError> {
        let display: Vec<String> = args
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        if args.is_empty() {
            return Ok(Pathspecs {
                args: display,
                exact: HashSet::new(),
                matcher: Matcher::Everything,
            });
        }
        let prefix = cwd.strip_prefix(root).unwrap_or(Path::new(""));
        let invalid = |spec: &str, err: &dyn std::fmt::Display| PathspecError::Invalid {
            spec: spec.to_owned(),
            message: err.to_string(),
        };
        let mut patterns = Vec::new();
        let mut normalized = Vec::new();
        for (arg, shown) in args.iter().zip(&display) {
            let bytes = gix::path::os_str_into_bstr(arg).map_err(|e| invalid(shown, &e))?;
            let pattern =
                gix::pathspec::parse(bytes.as_bytes(), defaults).map_err(|e| invalid(shown, &e))?;
            let mut resolved = pattern.clone();
            resolved
                .normalize(prefix, root)
                .map_err(|_| PathspecError::Outside {
                    spec: shown.clone(),
                })?;
            patterns.push(pattern);
            normalized.push(resolved);
        }
        let exact = normalized
            .iter()
            .filter(|pattern| !pattern.is_excluded())
            .map(|pattern| pattern.path().to_owned())
            .collect();
        let matcher = if normalized.iter().all(is_plain) {
            Matcher::Plain(
                normalized
                    .iter()
                    .map(|pattern| pattern.path().to_owned())
                    .collect(),
            )
        } else {
            let search = |patterns: Vec<Pattern>| {
                Search::from_specs(patterns, Some(prefix), root).map_err(|e| invalid("", &e))
            };
            let alone = patterns
                .iter()
                .map(|pattern| {
                    (!pattern.is_excluded())
                        .then(|| search(vec![pattern.clone()]))
                        .transpose()
                })
                .collect::<Result<_, _>>()?;
            Matcher::Search {
                search: Box::new(search(patterns)?),
                alone,
            }
        };
        Ok(Pathspecs {
            args: display,
            exact,
            matcher,
        })
    }

    /// Whether no pathspec was given (everything matches).
    pub fn is_empty(&self) -> bool {
        matches!(self.matcher, Matcher::Everything)
    }

    /// Whether an argument spells `path` itself (pre-commit names files).
    pub fn names_exactly(&self, path: &[u8]) -> bool {
        self.exact.contains(path.as_bstr())
    }

    /// Whether the repository-relative `path` (of a file) is selected.
    pub fn matches(&mut self, path: &[u8]) -> bool {
        let path = path.as_bstr();
        match &mut self.matcher {
            Matcher::Everything => true,
            Matcher::Plain(specs) => specs
                .iter()
                .any(|spec| is_at_or_under(path, spec.as_bstr())),
            Matcher::Search { search, .. } => search_includes(search, path),
        }
    }

    /// The arguments (as given) that select none of `paths`, the paths
    /// of every file the command could see (the index, both trees).
    pub fn unmatched<'p>(&mut self, paths: impl Iterator<Item = &'p [u8]>) -> Vec<String> {
        match &mut self.matcher {
            Matcher::Everything => Vec::new(),
            Matcher::Plain(specs) => {
                let mut known: HashSet<&[u8]> = HashSet::new();
                for path in paths {
                    known.insert(path);
                    known.extend(
                        path.iter()
                            .enumerate()
                            .filter(|(_, byte)| **byte == b'/')
                            .map(|(at, _)| &path[..at]),
                    );
                }
                specs
                    .iter()
                    .zip(&self.args)
                    .filter(|(spec, _)| !spec.is_empty() && !known.contains(spec.as_bytes()))
                    .map(|(_, arg)| arg.clone())
                    .collect()
            }
            Matcher::Search { alone, .. } => {
                let mut pending: Vec<usize> =
                    (0..alone.len()).filter(|&at| alone[at].is_some()).collect();
                for path in paths {
                    if pending.is_empty() {
                        break;
                    }
                    pending.retain(|&at| {
                        !alone[at]
                            .as_mut()
                            .is_some_and(|search| search_includes(search, path.as_bstr()))
                    });
                }
                pending
                    .into_iter()
                    .map(|at| self.args[at].clone())
                    .collect()
            }
        }
    }
}

/// A pattern that names one file or directory with nothing to interpret.
fn is_plain(pattern: &Pattern) -> bool {
    let magic = MagicSignature::EXCLUDE | MagicSignature::ICASE | MagicSignature::MUST_BE_DIR;
    let has_wildcard = pattern.search_mode != SearchMode::Literal
        && pattern
            .path()
            .iter()
            .any(|byte| matches!(byte, b'*' | b'?' | b'[' | b'\\'));
    !has_wildcard && pattern.attributes.is_empty() && !pattern.signature.intersects(magic)
}

fn is_at_or_under(path: &BStr, spec: &BStr) -> bool {
    spec.is_empty()
        || path
            .strip_prefix(spec.as_bytes())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(b"/"))
}

/// Whether `search` selects the file `path` (attribute magic is not
/// supported: a pattern that needs attributes matches nothing).
fn search_includes(search: &mut Search, path: &BStr) -> bool {
    search
        .pattern_matching_relative_path(path, Some(false), &mut |_, _, _, _| false)
        .is_some_and(|found| !found.is_excluded())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(args: &[&str], cwd: &str) -> Pathspecs {
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        Pathspecs::parse(
            &args,
            &Path::new("/repo").join(cwd),
            Path::new("/repo"),
            gix::pathspec::Defaults::default(),
        )
        .expect("valid pathspecs")
    }

    fn selected(specs: &mut Pathspecs, paths: &[&str]) -> Vec<String> {
        paths
            .iter()
            .filter(|path| specs.matches(path.as_bytes()))
            .map(|path| (*path).to_owned())
            .collect()
    }

    const PATHS: &[&str] = &["a.py", "pkg/b.py", "pkg/sub/c.py", "web/d.ts", "a[1].py"];

    #[test]
    fn plain_names_select_files_and_directories() {
        assert_eq!(
            selected(&mut specs(&["pkg", "a.py"], ""), PATHS),
            ["a.py", "pkg/b.py", "pkg/sub/c.py"]
        );
        assert_eq!(
            selected(&mut specs(&["b.py", "."], "pkg"), PATHS),
            ["pkg/b.py", "pkg/sub/c.py"]
        );
    }

    #[test]
    fn globs_and_magic() {
        assert_eq!(
            selected(&mut specs(&["*.py"], ""), PATHS),
            ["a.py", "pkg/b.py", "pkg/sub/c.py", "a[1].py"]
        );
        assert_eq!(
            selected(&mut specs(&[":(glob)*.py"], ""), PATHS),
            ["a.py", "a[1].py"]
        );
        assert_eq!(
            selected(&mut specs(&[":!pkg"], ""), PATHS),
            ["a.py", "web/d.ts", "a[1].py"]
        );
        assert_eq!(
            selected(&mut specs(&[":(icase)PKG/B.PY"], ""), PATHS),
            ["pkg/b.py"]
        );
        assert_eq!(
            selected(&mut specs(&[":(top)web", ":/a.py"], "pkg"), PATHS),
            ["a.py", "web/d.ts"]
        );
        assert_eq!(
            selected(&mut specs(&[":(literal)a[1].py"], ""), PATHS),
            ["a[1].py"]
        );
    }

    #[test]
    fn a_name_with_glob_characters_matches_itself() {
        assert_eq!(selected(&mut specs(&["a[1].py"], ""), PATHS), ["a[1].py"]);
    }

    #[test]
    fn unmatched_arguments_are_named() {
        let known = PATHS.iter().map(|path| path.as_bytes());
        assert_eq!(
            specs(&["pkg", "nosuch.py"], "").unmatched(known.clone()),
            ["nosuch.py"]
        );
        assert_eq!(
            specs(&["*.rs", "*.ts", ":!pkg"], "").unmatched(known),
            ["*.rs"]
        );
    }
}
