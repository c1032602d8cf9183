//! The device's hybrid logical clock (Kulkarni et al. 2014): issues stamps for local changes
//! and absorbs stamps seen from other devices, refusing to be dragged into the far future.
//!
//! A remote clock value more than [`MAX_CLOCK_AHEAD_MS`] ahead of the local wall clock is not
//! adopted: the local clock keeps its own time and the caller gets a [`DriftReport`] to show
//! ("the tablet's clock is 3 days ahead"). Adopting it would stamp every later local edit in
//! that future too, and the bad value would spread to every device it syncs with.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::op::Hlc;

/// How far ahead of the local wall clock a remote clock value may be and still be adopted.
pub const MAX_CLOCK_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// A clock value seen from elsewhere that is too far ahead of this device's wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    /// The device whose op carried the value, when known.
    pub device: Option<Uuid>,
    /// The offending clock value.
    pub remote: Hlc,
    /// The local wall clock when the value was seen.
    pub local_now_ms: u64,
    /// How far ahead the remote value is (milliseconds).
    pub ahead_ms: u64,
}

/// The error [`HlcClock::observe`] returns for a far-future value; the clock is unchanged
/// apart from its ordinary tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("remote clock is {} ms ahead of the local clock (limit {MAX_CLOCK_AHEAD_MS} ms)", .report.ahead_ms)]
pub struct ClockDrift {
    /// What was seen, and how far ahead it was.
    pub report: DriftReport,
    /// The local clock value after the refused observation (a plain tick).
    pub local: Hlc,
}

/// This device's hybrid logical clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HlcClock {
    /// The last value issued or adopted; every later value is greater.
    pub last: Hlc,
}

impl HlcClock {
    /// A clock that resumes after `last` (as persisted by the store).
    pub fn new(last: Hlc) -> HlcClock {
        HlcClock { last }
    }

    /// The stamp for a local change at wall time `now_ms`: strictly greater than every value
    /// this clock issued or adopted before, even if the device clock went backwards.
    pub fn now(&mut self, now_ms: u64) -> Hlc {
        self.last = self.last.tick(now_ms);
        self.last
    }

    /// Absorbs a clock value received from another device (the HLC receive rule): the result
    /// is greater than both the local clock and `remote`. A `remote` more than
    /// [`MAX_CLOCK_AHEAD_MS`] ahead of `now_ms` is not adopted; the clock only ticks and the
    /// drift is returned as an error for the caller to report.
    pub fn observe(&mut self, remote: Hlc, now_ms: u64) -> Result<Hlc, ClockDrift> {
        let ahead_ms = remote.wall_ms.saturating_sub(now_ms);
        if ahead_ms > MAX_CLOCK_AHEAD_MS {
            let local = self.now(now_ms);
            return Err(ClockDrift {
                report: DriftReport {
                    device: None,
                    remote,
                    local_now_ms: now_ms,
                    ahead_ms,
                },
                local,
            });
        }
        let wall_ms = self.last.wall_ms.max(remote.wall_ms).max(now_ms);
        let counter = if wall_ms == self.last.wall_ms && wall_ms == remote.wall_ms {
            self.last.counter.max(remote.counter).saturating_add(1)
        } else if wall_ms == self.last.wall_ms {
            self.last.counter.saturating_add(1)
        } else if wall_ms == remote.wall_ms {
            remote.counter.saturating_add(1)
        } else {
            0
        };
        self.last = Hlc { wall_ms, counter };
        Ok(self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hlc(wall_ms: u64, counter: u32) -> Hlc {
        Hlc { wall_ms, counter }
    }

    #[test]
    fn observe_moves_past_remote_and_local() {
        let mut clock = HlcClock::new(hlc(1_000, 3));
        assert_eq!(clock.observe(hlc(1_000, 7), 900), Ok(hlc(1_000, 8)));
        assert_eq!(clock.observe(hlc(2_000, 2), 1_500), Ok(hlc(2_000, 3)));
        assert_eq!(clock.observe(hlc(100, 0), 2_500), Ok(hlc(2_500, 0)));
        assert_eq!(clock.observe(hlc(100, 0), 2_400), Ok(hlc(2_500, 1)));
        assert!(clock.now(2_400) > hlc(2_500, 1));
    }

    #[test]
    fn far_future_remote_is_reported_and_not_adopted() {
        let now = 1_700_000_000_000;
        let mut clock = HlcClock::new(hlc(now - 10, 0));
        let remote = hlc(now + MAX_CLOCK_AHEAD_MS + 1, 0);
        let err = clock.observe(remote, now).unwrap_err();
        assert_eq!(err.report.ahead_ms, MAX_CLOCK_AHEAD_MS + 1);
        assert_eq!(err.report.remote, remote);
        assert_eq!(clock.last, hlc(now, 0));
        assert_eq!(err.local, clock.last);
    }

    #[test]
    fn exactly_the_limit_ahead_is_adopted() {
        let now = 5_000;
        let mut clock = HlcClock::default();
        let remote = hlc(now + MAX_CLOCK_AHEAD_MS, 4);
        assert_eq!(
            clock.observe(remote, now),
            Ok(hlc(now + MAX_CLOCK_AHEAD_MS, 5))
        );
    }
}
