//! Stack for deep syntax trees.
//!
//! The visitors recurse once per tree level. Trees up to [`INLINE_DEPTH`]
//! levels are scored on the calling thread (the engine's workers have
//! stack to spare for them); deeper ones, machine-generated expressions
//! tens of thousands of levels deep that complexipy scores, on a thread
//! whose stack is sized for the depth. Only the pages the recursion touches
//! are ever committed, so memory follows the tree actually analysed.

/// Deepest tree scored on the calling thread.
pub const INLINE_DEPTH: usize = 1_000;

/// Stack the deepest visitor takes per tree level, with a margin (measured
/// on debug builds, whose frames are the largest: docs/metrics.md, "Deep
/// syntax trees").
const STACK_BYTES_PER_LEVEL: usize = 8 * 1024;

/// Stack beyond the per-level share (the visitors' own setup).
const STACK_BASE_BYTES: usize = 8 * 1024 * 1024;

/// Runs `work` on a stack large enough for a tree `depth` levels deep:
/// inline when it is shallow, else on a scoped thread with its own stack.
/// `None` when no such thread could be started (the address space is
/// exhausted); a panic in `work` is passed on.
pub fn with_stack_for_depth<T: Send>(depth: usize, work: impl FnOnce() -> T + Send) -> Option<T> {
    if depth <= INLINE_DEPTH {
        return Some(work());
    }
    let stack = STACK_BASE_BYTES.saturating_add(depth.saturating_mul(STACK_BYTES_PER_LEVEL));
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("antipasta-deep-tree".to_owned())
            .stack_size(stack)
            .spawn_scoped(scope, work)
            .ok()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_work_runs_inline_and_deep_work_on_its_own_thread() {
        let here = std::thread::current().id();
        assert_eq!(
            with_stack_for_depth(10, || std::thread::current().id()),
            Some(here)
        );
        let there = with_stack_for_depth(INLINE_DEPTH + 1, || std::thread::current().id());
        assert!(there.is_some_and(|id| id != here));
    }
}
