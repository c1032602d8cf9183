//! Run import on `Engine`: files from other apps (CSV here; GPX/TCX/FIT parsed by the
//! terminal coach) go through one core commit path, `Store::upsert_runs`, so every importer
//! gets the same rules: every record checked before the first write, one transaction (a
//! kill leaves all or nothing), and a re-run changes nothing. Touches disk.

use talus_core::store::{parse_runs_csv, UpsertOutcome};

use crate::engine::Engine;
use crate::error::TalusError;
use crate::records::{instant, RunInput};

/// What a run import did. Nothing is stored when any record is refused (the error lists
/// the problems by line or record number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, uniffi::Record)]
pub struct RunImportReport {
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
}

impl RunImportReport {
    fn from_outcomes(outcomes: &[UpsertOutcome]) -> RunImportReport {
        let mut report = RunImportReport::default();
        for outcome in outcomes {
            match outcome {
                UpsertOutcome::Inserted => report.inserted += 1,
                UpsertOutcome::Updated => report.updated += 1,
                UpsertOutcome::Unchanged => report.unchanged += 1,
            }
        }
        report
    }
}

#[uniffi::export]
impl Engine {
    /// Imports runs from a CSV file's bytes (`start,minutes,km[,tags]`, optional header,
    /// tags separated by `;`; BOM, quotes and CRLF accepted; local start times read in
    /// `zone`). All or nothing. Touches disk.
    pub fn import_runs_csv(
        &self,
        csv: Vec<u8>,
        zone: String,
        now_ms: i64,
    ) -> Result<RunImportReport, TalusError> {
        let now = instant(now_ms, "now")?;
        let runs = parse_runs_csv(&csv, &zone)?;
        let outcomes = self.store().upsert_runs(&runs, now)?;
        Ok(RunImportReport::from_outcomes(&outcomes))
    }

    /// Imports many runs parsed by the shell (GPX, TCX, FIT…) in one transaction: all are
    /// checked before the first is stored, a re-run changes nothing. Touches disk.
    pub fn import_runs(
        &self,
        runs: Vec<RunInput>,
        now_ms: i64,
    ) -> Result<RunImportReport, TalusError> {
        let now = instant(now_ms, "now")?;
        let records = runs
            .iter()
            .map(TryInto::try_into)
            .collect::<Result<Vec<_>, TalusError>>()?;
        let outcomes = self.store().upsert_runs(&records, now)?;
        Ok(RunImportReport::from_outcomes(&outcomes))
    }
}
