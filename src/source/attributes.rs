//! The `.gitattributes` that keep files out of the judgement, as linguist
//! and code-review tools read them: `-antipasta` (or `antipasta=false`)
//! excludes a path, `linguist-generated` and `linguist-vendored` exclude
//! generated and third-party code, and `antipasta` (set) brings a path
//! back in whatever linguist says. Attributes are read from the worktree's
//! `.gitattributes` files first, then the index's, as git does for a
//! checkout (see docs/git.md).

use gix::attrs::StateRef;
use gix::bstr::ByteSlice;

/// The attributes antipasta reads, in this order.
const NAMES: [&str; 3] = ["antipasta", "linguist-generated", "linguist-vendored"];

/// Answers, path by path, whether the attributes exclude a file.
pub(crate) struct AttributeCheck<'repo> {
    stack: gix::AttributeStack<'repo>,
    outcome: gix::attrs::search::Outcome,
}

impl<'repo> AttributeCheck<'repo> {
    pub(crate) fn new(
        repo: &'repo gix::Repository,
        index: &gix::index::State,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        use gix::worktree::stack::state::attributes::Source;
        let source = if repo.workdir().is_some() {
            Source::WorktreeThenIdMapping
        } else {
            Source::IdMapping
        };
        let stack = repo.attributes_only(index, source)?;
        let outcome = stack.selected_attribute_matches(NAMES);
        Ok(AttributeCheck { stack, outcome })
    }

    /// Whether the file at the repository-relative `path` is excluded.
    pub(crate) fn excludes(&mut self, path: &str) -> bool {
        self.outcome.reset();
        let Ok(platform) = self.stack.at_entry(path, None) else {
            return false;
        };
        platform.matching_attributes(&mut self.outcome);
        let mut states = [StateRef::Unspecified; 3];
        for found in self.outcome.iter_selected() {
            if let Some(at) = NAMES
                .iter()
                .position(|name| *name == found.assignment.name.as_str())
            {
                states[at] = found.assignment.state;
            }
        }
        match states[0] {
            StateRef::Unset => return true,
            StateRef::Set => return false,
            StateRef::Value(value) => return !is_true(value.as_bstr().as_bytes()),
            StateRef::Unspecified => {}
        }
        states[1..].iter().any(|state| match state {
            StateRef::Set => true,
            StateRef::Value(value) => is_true(value.as_bstr().as_bytes()),
            StateRef::Unset | StateRef::Unspecified => false,
        })
    }
}

/// Linguist's reading of an attribute value: anything but `false` (and
/// `0`) is true.
fn is_true(value: &[u8]) -> bool {
    !(value.eq_ignore_ascii_case(b"false") || value == b"0")
}
