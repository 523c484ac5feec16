//! Lexical path helpers shared by the configuration and the command line.

use std::path::{Component, Path, PathBuf};

/// Removes `.` and `..` components without touching the filesystem.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_removed_lexically() {
        assert_eq!(
            normalize(Path::new("/repo/./pkg/sub/../m.py")),
            PathBuf::from("/repo/pkg/m.py")
        );
    }
}
