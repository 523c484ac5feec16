//! Git hooks: installing antipasta's pre-commit hook into a repository's
//! hooks directory ([`super::git::GitSource::hooks_dir`]). Writes only inside
//! that hooks directory, never through a symbolic link; never the worktree's
//! files, the index or refs.
//!
//! The directory itself is the one git runs hooks from: `core.hooksPath`
//! wherever it points (inside the repository or not), else `hooks` in the
//! common git directory, followed through symbolic links as git follows
//! them. Only the hook file is guarded: it is never written through a link.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The pre-commit hook script, the very bytes of `hooks/pre-commit`.
pub const PRE_COMMIT: &str = include_str!("../../hooks/pre-commit");

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
    #[error(
        "{path}: the hook is a symbolic link (to {target}); antipasta never writes through one. \
         Run `antipasta hook install --force` to replace the link itself with antipasta's hook"
    )]
    Symlink { path: PathBuf, target: String },
    #[error("{path}: cannot {action}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
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
    /// A foreign hook, or a symbolic link, was replaced (`--force`).
    Replaced,
}

/// Writes antipasta's pre-commit hook into `hooks_dir` (created if missing),
/// executable. A hook without [`MARKER`] is left alone unless `force`; so is
/// a symbolic link at the hook's path, which `force` replaces by the hook
/// itself (the link is renamed over, its target never touched).
///
/// The script is written to a fresh file of random name in `hooks_dir`,
/// created exclusively (a symbolic link planted at any name is never
/// followed), made executable through its open handle and renamed over the
/// hook, so git never runs half a script.
pub fn install_pre_commit(hooks_dir: &Path, force: bool) -> Result<Installed, HookError> {
    let path = hooks_dir.join("pre-commit");
    let installed = match existing_hook(&path)? {
        Existing::Missing => Installed::Created,
        Existing::Symlink { .. } if force => Installed::Replaced,
        Existing::Symlink { target } => return Err(HookError::Symlink { path, target }),
        Existing::File(existing) if existing == PRE_COMMIT.as_bytes() => {
            return Ok(Installed::Unchanged)
        }
        Existing::File(existing) if is_ours(&existing) => Installed::Updated,
        Existing::File(_) if force => Installed::Replaced,
        Existing::File(_) => return Err(HookError::Foreign { path }),
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
    let mut temporary = tempfile::Builder::new()
        .prefix(".pre-commit.antipasta-")
        .tempfile_in(hooks_dir)
        .map_err(io_error(hooks_dir, "create a temporary file in"))?;
    let written = temporary.path().to_owned();
    temporary
        .write_all(PRE_COMMIT.as_bytes())
        .and_then(|()| make_executable(temporary.as_file()))
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(io_error(&written, "write"))?;
    temporary
        .persist(&path)
        .map_err(|err| io_error(&path, "replace")(err.error))?;
    Ok(installed)
}

/// What is at the hook's path, looked at without following a symbolic link.
enum Existing {
    Missing,
    Symlink { target: String },
    File(Vec<u8>),
}

fn existing_hook(path: &Path) -> Result<Existing, HookError> {
    let io_error = |source| HookError::Io {
        path: path.to_owned(),
        action: "read the existing hook",
        source,
    };
    match std::fs::symlink_metadata(path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Existing::Missing),
        Err(err) => Err(io_error(err)),
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(path).map_err(io_error)?;
            Ok(Existing::Symlink {
                target: format!("{:?}", target.display().to_string()),
            })
        }
        Ok(_) => {
            // Enough to recognise antipasta's script; a larger file is foreign.
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|file| file.take(MAX_HOOK_BYTES).read_to_end(&mut bytes))
                .map_err(io_error)?;
            Ok(Existing::File(bytes))
        }
    }
}

/// How much of an existing hook is read to tell whether it is antipasta's.
const MAX_HOOK_BYTES: u64 = 1024 * 1024;

fn is_ours(script: &[u8]) -> bool {
    script
        .split(|&byte| byte == b'\n')
        .any(|line| line.trim_ascii_end() == MARKER.as_bytes())
}

/// rwxr-xr-x, set on the open file rather than by path.
#[cfg(unix)]
fn make_executable(file: &std::fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o755))
}

/// Windows has no executable bit: Git for Windows runs a hook through its
/// shell by the `#!` line, whatever the file's attributes.
#[cfg(not(unix))]
fn make_executable(_file: &std::fs::File) -> io::Result<()> {
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
    fn a_foreign_script_is_not_ours() {
        assert!(!is_ours(b"#!/bin/sh\nexec pre-commit run\n"));
        assert!(!is_ours(b""));
    }
}
