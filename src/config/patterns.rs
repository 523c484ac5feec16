//! `ignore_patterns`, `extend_ignore_patterns`, `--exclude`,
//! `--extend-exclude` and `--include`, matched with gitignore semantics
//! (as antipasta 1.x's pathspec matcher did): a bare name such as
//! `migrations` matches a file or directory of that name at any depth, a
//! trailing `/` only directories, a leading `/` anchors at the root, `*`
//! stops at `/`, `**` crosses it. A file is excluded when it or any parent
//! directory matches an exclude pattern and no include pattern names it.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// The compiled exclude and include patterns.
#[derive(Debug, Clone)]
pub struct PathFilter {
    excludes: Gitignore,
    includes: Gitignore,
}

impl PathFilter {
    /// Compiles the patterns; an invalid one is an error naming it.
    pub fn new(excludes: &[String], includes: &[String]) -> Result<PathFilter, String> {
        Ok(PathFilter {
            excludes: compile(excludes)?,
            includes: compile(includes)?,
        })
    }

    /// Whether the file at `path` (relative to the repository root, `/`
    /// separated; an absolute path is matched by its file name) is excluded.
    pub fn is_match(&self, path: &str) -> bool {
        let path = Path::new(path);
        let relative = if path.has_root() {
            match path.file_name() {
                Some(name) => Path::new(name),
                None => return false,
            }
        } else {
            path
        };
        if relative.as_os_str().is_empty() {
            return false;
        }
        let included = !self.includes.is_empty()
            && self
                .includes
                .matched_path_or_any_parents(relative, false)
                .is_ignore();
        !included
            && self
                .excludes
                .matched_path_or_any_parents(relative, false)
                .is_ignore()
    }
}

fn compile(patterns: &[String]) -> Result<Gitignore, String> {
    let mut builder = GitignoreBuilder::new("");
    for pattern in patterns {
        builder
            .add_line(None, pattern)
            .map_err(|e| format!("invalid pattern '{pattern}': {e}"))?;
    }
    builder.build().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(excludes: &[&str], includes: &[&str]) -> PathFilter {
        let owned = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        PathFilter::new(&owned(excludes), &owned(includes)).expect("valid patterns")
    }

    #[test]
    fn bare_directory_names_match_at_any_depth_as_in_gitignore() {
        let f = filter(&["migrations", "static/"], &[]);
        assert!(f.is_match("django/db/migrations/0001.py"));
        assert!(f.is_match("migrations/x.py"));
        assert!(f.is_match("a/static/js/app.js"));
        assert!(!f.is_match("a/migrations_helper.py"));
    }

    #[test]
    fn anchored_and_starred_patterns_follow_gitignore() {
        let f = filter(&["/build", "django/contrib/admin/static", "*.min.js"], &[]);
        assert!(f.is_match("build/x.py"));
        assert!(!f.is_match("src/build/x.py"));
        assert!(f.is_match("django/contrib/admin/static/admin/js/core.js"));
        assert!(f.is_match("a/b/jquery.min.js"));
        let f = filter(&["src/*.py"], &[]);
        assert!(f.is_match("src/a.py"));
        assert!(!f.is_match("src/pkg/a.py"));
    }

    #[test]
    fn the_default_patterns_keep_their_meaning() {
        let defaults: Vec<&str> = super::super::DEFAULT_IGNORE_PATTERNS.to_vec();
        let f = filter(&defaults, &[]);
        assert!(f.is_match("pkg/tests/x.py"));
        assert!(f.is_match("tests/x.py"));
        assert!(f.is_match("a/test_x.py"));
        assert!(f.is_match("web/a.spec.ts"));
        assert!(f.is_match("node_modules/x/index.js"));
        assert!(!f.is_match("a/x.py"));
    }

    #[test]
    fn includes_beat_excludes_and_absolute_paths_match_by_name() {
        let f = filter(&["tests"], &["tests/keep_me.py"]);
        assert!(f.is_match("tests/other.py"));
        assert!(!f.is_match("tests/keep_me.py"));
        let f = filter(&["test_*.py"], &[]);
        assert!(f.is_match("/elsewhere/test_a.py"));
        assert!(!f.is_match("/elsewhere/a.py"));
    }
}
