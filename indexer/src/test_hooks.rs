//! Hooks for the crash tests, compiled only with the `test-hooks` feature: the workspace's
//! tests enable it through a dev-dependency, so `cargo build` and release binaries carry none
//! of this.

/// Environment variable for the crash test (tests/crash.rs): milliseconds to sleep at the
/// start of every commit, after the documents were added, so that a kill lands inside it.
pub const PAUSE_IN_COMMIT_ENV: &str = "WOO_TEST_PAUSE_IN_COMMIT";

/// Sleeps as long as [`PAUSE_IN_COMMIT_ENV`] says (at most 10 s); nothing when it is unset.
pub fn pause_in_commit() {
    let Ok(text) = std::env::var(PAUSE_IN_COMMIT_ENV) else {
        return;
    };
    if let Ok(milliseconds) = text.trim().parse::<u64>() {
        std::thread::sleep(std::time::Duration::from_millis(milliseconds.min(10_000)));
    }
}
