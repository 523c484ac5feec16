//! Git hooks: installing antipasta's pre-commit hook into a repository's
//! hooks directory ([`super::git::GitSource::hooks_dir`]). Writes only inside that hooks directory; never the
//! worktree's files, the index or refs.

use std::io;
use std::path::{Path, PathBuf};

/// The pre-commit hook script, the very bytes of `hooks/pre-commit`.
pub const PRE_COMMIT: &str = include_str!("../../hooks/pre-commit");

/// The line of [`PRE_COMMIT`] that runs the change gate, and the strict
/// hook's version of it (every staged file judged whole).
const CHANGE_GATE: &str = "\nexec antipasta check --staged\n";
const STRICT_GATE: &str = "\nexec antipasta check --staged --fail-on any\n";

/// The hook script to install: [`PRE_COMMIT`], or with `strict` its
/// whole-file variant.
pub fn pre_commit_script(strict: bool) -> String {
    if strict {
        PRE_COMMIT.replacen(CHANGE_GATE, STRICT_GATE, 1)
    } else {
        PRE_COMMIT.to_owned()
    }
}

/// The line by which antipasta recognises a hook it installed itself.
pub const MARKER: &str =
    "# antipasta-hook: installed by `antipasta hook install`, which may replace this file.";

/// What went wrong installing a hook.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error(
        "{path}: a hook that antipasta did not install is already there; \
         add it to your own hook or run `antipasta hook install --force` to replace it"
    )]
    Foreign { path: PathBuf },
    #[error("{path}: cannot {action}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
}

/// What `install_pre_commit` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Installed {
    /// There was no pre-commit hook.
    Created,
    /// An older or edited antipasta hook was brought up to date.
    Updated,
    /// The same antipasta hook was already there.
    Unchanged,
    /// A foreign hook was replaced (`--force`).
    Replaced,
}

/// Writes antipasta's pre-commit hook ([`pre_commit_script`]) into
/// `hooks_dir` (created if missing), executable. A hook without [`MARKER`]
/// is left alone unless `force`.
pub fn install_pre_commit(
    hooks_dir: &Path,
    force: bool,
    strict: bool,
) -> Result<Installed, HookError> {
    let path = hooks_dir.join("pre-commit");
    let script = pre_commit_script(strict);
    let installed = match std::fs::read(&path) {
        Ok(existing) if existing == script.as_bytes() => return Ok(Installed::Unchanged),
        Ok(existing) if is_ours(&existing) => Installed::Updated,
        Ok(_) if force => Installed::Replaced,
        Ok(_) => return Err(HookError::Foreign { path }),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Installed::Created,
        Err(source) => {
            return Err(HookError::Io {
                path,
                action: "read the existing hook",
                source,
            })
        }
    };
    let io_error = |path: &Path, action| {
        let path = path.to_owned();
        move |source| HookError::Io {
            path,
            action,
            source,
        }
    };
    std::fs::create_dir_all(hooks_dir).map_err(io_error(hooks_dir, "create the directory"))?;
    // Written beside the hook and renamed over it, so git never runs half a script.
    let temporary = hooks_dir.join(".pre-commit.antipasta-tmp");
    std::fs::write(&temporary, &script).map_err(io_error(&temporary, "write"))?;
    make_executable(&temporary).map_err(io_error(&temporary, "make it executable"))?;
    std::fs::rename(&temporary, &path).map_err(io_error(&path, "replace"))?;
    Ok(installed)
}

fn is_ours(script: &[u8]) -> bool {
    script
        .split(|&byte| byte == b'\n')
        .any(|line| line.trim_ascii_end() == MARKER.as_bytes())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_script_carries_the_marker() {
        assert!(is_ours(PRE_COMMIT.as_bytes()));
        assert!(PRE_COMMIT.starts_with("#!/bin/sh\n"));
    }

    #[test]
    fn the_strict_script_judges_whole_files() {
        assert_eq!(PRE_COMMIT.matches(CHANGE_GATE).count(), 1);
        let strict = pre_commit_script(true);
        assert!(strict.contains(STRICT_GATE), "{strict}");
        assert!(!strict.contains(CHANGE_GATE), "{strict}");
        assert!(is_ours(strict.as_bytes()));
        assert_eq!(pre_commit_script(false), PRE_COMMIT);
    }

    #[test]
    fn a_foreign_script_is_not_ours() {
        assert!(!is_ours(b"#!/bin/sh\nexec pre-commit run\n"));
        assert!(!is_ours(b""));
    }
}
