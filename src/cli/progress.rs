//! A progress bar on stderr for runs long enough to need one (indicatif):
//! only at a terminal, never under CI (`CI` set) and only for text output.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears: a short run stays silent.
const DELAY: Duration = Duration::from_secs(1);

/// Replaces [`DELAY`] (milliseconds), so tests need no long run.
const DELAY_VARIABLE: &str = "ANTIPASTA_PROGRESS_DELAY_MS";

/// Files done out of the total, drawn once the run has taken [`DELAY`].
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    delay: Duration,
    shown: bool,
}

impl Progress {
    /// A bar for `total` files when `wanted` (text output), stderr is a
    /// terminal and `CI` is unset; otherwise one that never draws.
    pub fn new(total: usize, wanted: bool) -> Progress {
        let enabled = wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = enabled.then(|| {
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            let total = u64::try_from(total).unwrap_or(u64::MAX);
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
                .with_style(style)
        });
        Progress {
            bar,
            started: Instant::now(),
            delay: std::env::var(DELAY_VARIABLE)
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map_or(DELAY, Duration::from_millis),
            shown: false,
        }
    }

    /// One more file done; the bar appears once the run has taken [`DELAY`]
    /// (or `ANTIPASTA_PROGRESS_DELAY_MS`).
    pub fn advance(&mut self) {
        let Some(bar) = &self.bar else {
            return;
        };
        if !self.shown && self.started.elapsed() >= self.delay {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        bar.inc(1);
        if bar.length().is_some_and(|total| bar.position() >= total) {
            // Cleared with the last file, before any warning of the run.
            bar.finish_and_clear();
        }
    }

    /// Runs `write` (output to the terminal) with the bar out of its way.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shown => bar.suspend(write),
            _ => write(),
        }
    }

    /// Clears the bar (if the run ended before its last file).
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
