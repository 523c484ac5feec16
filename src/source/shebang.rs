//! Python scripts without an extension, recognised by their first line.
//!
//! radon analyses a file that does not end in `.py` when its first line is
//! a `#!` line naming Python; the pre-commit framework's file
//! identification tags an extension-less script `python` by its `#!`
//! interpreter. antipasta takes a file whose name has no extension as
//! Python when its first line is `#!` and the interpreter (after
//! `/usr/bin/env`, and `env -S`) is `python`, `python2`, `python3`,
//! `python3.12`-like or `pypy`/`pypy3` (see docs/metrics.md, "Which files").

use std::path::Path;

use crate::model::Language;

/// How much of a file is read to find its `#!` line.
pub const SNIFF_BYTES: usize = 256;

/// Whether `path` is a candidate: a file name without an extension.
pub fn may_be_script(path: &Path) -> bool {
    path.extension().is_none() && path.file_name().is_some()
}

/// The language a script's first bytes name in their `#!` line, if Python.
pub fn language_of(head: &[u8]) -> Option<Language> {
    let rest = head.strip_prefix(b"#!")?;
    let line = rest.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
    let mut words = line.split_ascii_whitespace();
    let mut command = words.next()?;
    if command.rsplit('/').next() == Some("env") {
        command = words.next()?;
        if command == "-S" {
            command = words.next()?;
        }
    }
    let interpreter = command.rsplit('/').next()?;
    is_python(interpreter).then_some(Language::Python)
}

/// `python`, `python3`, `python3.12`, `pypy3`, … (a version suffix of
/// digits and dots).
fn is_python(interpreter: &str) -> bool {
    ["python", "pypy"].iter().any(|name| {
        interpreter
            .strip_prefix(name)
            .is_some_and(|version| version.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    })
}

/// The language of an extension-less file on disk, by its first line. A
/// file that cannot be read here is not a script (it is not listed).
pub fn language_of_file(path: &Path) -> Option<Language> {
    language_of(&super::read_head(path, SNIFF_BYTES as u64).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_shebangs_are_recognised() {
        for line in [
            "#!/usr/bin/env python\n",
            "#!/usr/bin/env python3\nimport sys\n",
            "#!/usr/bin/python3.12 -u\n",
            "#! /usr/bin/env -S python3 -X dev\n",
            "#!/usr/bin/env pypy3\r\n",
            "#!python",
        ] {
            assert_eq!(
                language_of(line.as_bytes()),
                Some(Language::Python),
                "{line:?}"
            );
        }
    }

    #[test]
    fn other_first_lines_are_not_python() {
        for line in [
            "#!/bin/sh\n",
            "#!/usr/bin/env node\n",
            "#!/usr/bin/env pythonista\n",
            "# python\n",
            "import sys\n",
            "",
            "#!/usr/bin/env\n",
        ] {
            assert_eq!(language_of(line.as_bytes()), None, "{line:?}");
        }
    }

    #[test]
    fn only_names_without_an_extension_are_candidates() {
        assert!(may_be_script(Path::new("bin/tool")));
        assert!(!may_be_script(Path::new("bin/tool.sh")));
    }
}
