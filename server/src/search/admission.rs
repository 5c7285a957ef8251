//! Admission of searches (RELIABILITY.md §4.3): the [`LoadLimits`] of a service and its gate,
//! which lets at most `searches_at_once` searches run, lets at most `waiting` more wait for a
//! place, and hands each admitted search a [`SearchPlace`] that knows its deadline and frees
//! the place when dropped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::{ApiError, Result};

/// The admission limits of a [`crate::search::SearchService`] (RELIABILITY.md §4.3): at most
/// `searches_at_once` searches run, at most `waiting` more wait for a place (beyond that a
/// search is refused at once: 503 `overloaded`), and a search that has not got a place or
/// has not finished matching within `budget` is given up (503 `search_timeout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Searches running at once.
    pub searches_at_once: usize,
    /// Searches waiting for a place.
    pub waiting: usize,
    /// Time a search may take, waiting included.
    pub budget: Duration,
}

/// Searches that may wait for a place by default.
pub const DEFAULT_WAITING_SEARCHES: usize = 64;
/// A search's default time budget, waiting included.
pub const DEFAULT_SEARCH_BUDGET: Duration = Duration::from_secs(2);

impl Default for LoadLimits {
    /// One search per core, 64 waiting, 2 s.
    fn default() -> LoadLimits {
        LoadLimits {
            searches_at_once: std::thread::available_parallelism().map_or(2, |cores| cores.get()),
            waiting: DEFAULT_WAITING_SEARCHES,
            budget: DEFAULT_SEARCH_BUDGET,
        }
    }
}

/// The waiting/running gate of a service: how many searches were started and how many run.
pub(super) struct SearchGate {
    /// Searches started and not finished, waiting ones included (see
    /// [`SearchGate::start_search`]).
    in_flight: AtomicUsize,
    /// Searches running now, at most [`LoadLimits::searches_at_once`] (the rest wait).
    running: Mutex<usize>,
    /// Signalled when a running search ends.
    search_ended: Condvar,
    /// How many searches run at once (one per core), how many may wait, and how long a
    /// search may take.
    pub(super) limits: LoadLimits,
}

impl SearchGate {
    /// A gate with no search started.
    pub(super) fn new(limits: LoadLimits) -> SearchGate {
        SearchGate {
            in_flight: AtomicUsize::new(0),
            running: Mutex::new(0),
            search_ended: Condvar::new(),
            limits,
        }
    }

    /// The count of running searches, locked (a panic while it was held changes nothing in
    /// a plain counter, so a poisoned lock is used as it is).
    fn lock_running(&self) -> MutexGuard<'_, usize> {
        match self.running.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Starts a search: waits until fewer than [`LoadLimits::searches_at_once`] searches run,
    /// then returns its place (see [`crate::search::SearchService::start_search`]).
    ///
    /// Refused at once with 503 `overloaded` when [`LoadLimits::waiting`] searches already
    /// wait; 503 `search_timeout` when no place came free within [`LoadLimits::budget`].
    pub(super) fn start_search(&self) -> Result<SearchPlace<'_>> {
        let deadline = Instant::now() + self.limits.budget;
        let mut running = self.lock_running();
        let in_flight = self.in_flight.load(Ordering::SeqCst);
        let waiting = in_flight.saturating_sub(*running);
        if *running >= self.limits.searches_at_once && waiting >= self.limits.waiting {
            return Err(ApiError::Overloaded {
                waiting: self.limits.waiting,
            });
        }
        let started_before = self.in_flight.fetch_add(1, Ordering::SeqCst);
        while *running >= self.limits.searches_at_once {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.in_flight.fetch_sub(1, Ordering::SeqCst);
                return Err(ApiError::SearchTimeout {
                    budget_ms: self.limits.budget.as_millis(),
                });
            }
            running = match self.search_ended.wait_timeout(running, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        *running += 1;
        Ok(SearchPlace {
            gate: self,
            alone: started_before == 0,
            deadline,
        })
    }
}

/// A started search: counted in the gate's searches in flight and holding one of the
/// running places while it lives (see [`crate::search::SearchService::start_search`]).
pub struct SearchPlace<'a> {
    gate: &'a SearchGate,
    /// Whether no other search was started when this one started.
    pub(super) alone: bool,
    /// When the search's budget runs out.
    deadline: Instant,
}

impl SearchPlace<'_> {
    /// A 503 `search_timeout` when the search's budget has run out.
    pub(super) fn check_deadline(&self) -> Result<()> {
        if Instant::now() >= self.deadline {
            return Err(ApiError::SearchTimeout {
                budget_ms: self.gate.limits.budget.as_millis(),
            });
        }
        Ok(())
    }
}

impl Drop for SearchPlace<'_> {
    fn drop(&mut self) {
        let gate = self.gate;
        gate.in_flight.fetch_sub(1, Ordering::SeqCst);
        let mut running = gate.lock_running();
        *running = running.saturating_sub(1);
        gate.search_ended.notify_one();
    }
}
