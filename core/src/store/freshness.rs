//! What tells a read kept in memory from a fresh one: a marker that moves with every commit
//! to the file (this connection's and any other's), and the next dated record at or after an
//! instant (what a read window moving forward takes in next). `Coach::day_reads_fresh` keeps
//! the day's history between `today()` calls with these.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use super::repo::ms;
use super::{Store, StoreError};

/// Taken before a read: equal markers mean nothing was committed to the file in between,
/// neither through this store nor by any other connection or process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeMarker {
    /// `PRAGMA data_version`: moves when another connection (or process) commits.
    others: i64,
    /// Rows this connection inserted, updated or deleted since it opened; every write of
    /// the store is such a statement (a rolled-back one moves it too, which only costs a
    /// fresh read).
    own: u64,
}

impl Store {
    /// The file's change marker now (see [`ChangeMarker`]). A few microseconds.
    pub fn change_marker(&self) -> Result<ChangeMarker, StoreError> {
        let inner = self.lock();
        let others = inner
            .conn
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| self.noticed(e.into()))?;
        Ok(ChangeMarker {
            others,
            own: inner.conn.total_changes(),
        })
    }

    /// The earliest instant at or after `at` of a check-in, a run's start or a knee-to-wall
    /// measurement of either leg: the records the day's history reads by instant. `None`
    /// when there is none. Index look-ups only.
    pub fn next_dated_record_at_or_after(
        &self,
        at: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let inner = self.lock();
        let next: Option<i64> = inner
            .conn
            .prepare_cached(
                // Scalar subqueries, not UNION ALL: the library is built without compound
                // SELECTs (ADR 0031). A table with no such record gives i64::MAX, which is
                // past any instant chrono holds, so "none anywhere" is still None below.
                "SELECT MIN( \
                   COALESCE((SELECT MIN(at_ms) FROM checkin WHERE at_ms >= ?1), ?2), \
                   COALESCE((SELECT MIN(start_ms) FROM run WHERE start_ms >= ?1), ?2), \
                   COALESCE((SELECT MIN(at_ms) FROM rom_measurement \
                     WHERE side = 'left' AND at_ms >= ?1), ?2), \
                   COALESCE((SELECT MIN(at_ms) FROM rom_measurement \
                     WHERE side = 'right' AND at_ms >= ?1), ?2))",
            )
            .and_then(|mut s| s.query_row([ms(at), i64::MAX], |r| r.get(0)).optional())
            .map_err(|e| self.noticed(e.into()))?
            .flatten();
        // An instant past what chrono holds is no bound at all.
        Ok(next.and_then(DateTime::<Utc>::from_timestamp_millis))
    }
}
