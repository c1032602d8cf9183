//! The one public error of the Talus API and the central mapping from every core module's
//! error into it. Messages never contain personal data (notes, names, pain values).

use talus_core::catalog::CatalogError;
use talus_core::domain::DomainError;
use talus_core::progression::ProgressionError;
use talus_core::schedule::ScheduleError;
use talus_core::store::StoreError;
use talus_core::sync::SyncError;
use talus_core::time::TimeError;

/// Every failure the API reports. Kotlin sees `TalusException.InvalidInput` etc.; Swift sees
/// `TalusError.InvalidInput`. Codes (see [`TalusError::code`]) are stable across releases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TalusError {
    /// A value from the caller is out of range or malformed (pain 11, negative cm, unknown
    /// time zone, end before start…). Nothing was changed.
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },
    /// The drill, session or record does not exist.
    #[error("not found: {reason}")]
    NotFound { reason: String },
    /// The request conflicts with the current state (finishing a finished session, a
    /// check-in in the future). Nothing was changed.
    #[error("conflict: {reason}")]
    Conflict { reason: String },
    /// Drills are locked by a red-flag answer until a clinician clears the runner.
    #[error("locked: {reason}")]
    Locked { reason: String },
    /// The database could not be read or written (disk full, I/O error).
    #[error("storage: {reason}")]
    Storage { reason: String },
    /// The profile was written by a newer app version; it was left untouched.
    #[error("incompatible version: {reason}")]
    IncompatibleVersion { reason: String },
    /// A file (database, segment, catalog) is damaged or was tampered with.
    #[error("corrupt: {reason}")]
    Corrupt { reason: String },
    /// A sync segment could not be exchanged or merged.
    #[error("sync: {reason}")]
    Sync { reason: String },
    /// A bug: something that should not happen. Please report it.
    #[error("unexpected: {reason}")]
    Unexpected { reason: String },
}

impl TalusError {
    /// Stable machine-readable code of the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            TalusError::InvalidInput { .. } => "invalid_input",
            TalusError::NotFound { .. } => "not_found",
            TalusError::Conflict { .. } => "conflict",
            TalusError::Locked { .. } => "locked",
            TalusError::Storage { .. } => "storage",
            TalusError::IncompatibleVersion { .. } => "incompatible_version",
            TalusError::Corrupt { .. } => "corrupt",
            TalusError::Sync { .. } => "sync",
            TalusError::Unexpected { .. } => "unexpected",
        }
    }

    pub(crate) fn invalid(reason: impl Into<String>) -> TalusError {
        TalusError::InvalidInput {
            reason: reason.into(),
        }
    }
}

impl From<CatalogError> for TalusError {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::UnknownDrill(_) | CatalogError::UnknownChain(_) => TalusError::NotFound {
                reason: e.to_string(),
            },
            CatalogError::Parse(_) | CatalogError::Invalid(_) => TalusError::Corrupt {
                reason: e.to_string(),
            },
        }
    }
}

impl From<TimeError> for TalusError {
    fn from(e: TimeError) -> Self {
        TalusError::invalid(e.to_string())
    }
}

impl From<DomainError> for TalusError {
    fn from(e: DomainError) -> Self {
        TalusError::invalid(e.to_string())
    }
}

impl From<StoreError> for TalusError {
    fn from(e: StoreError) -> Self {
        let reason = e.to_string();
        match e {
            StoreError::IncompatibleVersion { .. } => TalusError::IncompatibleVersion { reason },
            StoreError::Invalid(_) | StoreError::Zone(_) => TalusError::InvalidInput { reason },
            StoreError::UnknownDrill(_) | StoreError::NotFound { .. } => {
                TalusError::NotFound { reason }
            }
            StoreError::Conflict(_) => TalusError::Conflict { reason },
            StoreError::Sqlite(_) | StoreError::Io(_) | StoreError::Full => {
                TalusError::Storage { reason }
            }
            StoreError::Segment(_) => TalusError::Sync { reason },
            StoreError::Rejected(_) => TalusError::InvalidInput { reason },
            StoreError::Damaged(_) => TalusError::Corrupt { reason },
        }
    }
}

impl From<SyncError> for TalusError {
    fn from(e: SyncError) -> Self {
        let reason = e.to_string();
        match e {
            SyncError::UnsupportedVersion { .. } | SyncError::UnsupportedFlags(_) => {
                TalusError::IncompatibleVersion { reason }
            }
            SyncError::Truncated { .. }
            | SyncError::BadMagic
            | SyncError::TrailingBytes { .. }
            | SyncError::TooLarge { .. }
            | SyncError::ChecksumMismatch
            | SyncError::Malformed { .. } => TalusError::Corrupt { reason },
            SyncError::Io(_) => TalusError::Storage { reason },
            SyncError::Time(_) => TalusError::InvalidInput { reason },
            SyncError::Invalid(_) | SyncError::Render(_) => TalusError::Sync { reason },
        }
    }
}

impl From<ProgressionError> for TalusError {
    fn from(e: ProgressionError) -> Self {
        let reason = e.to_string();
        match e {
            ProgressionError::FutureCheckIn | ProgressionError::FutureSet => {
                TalusError::Conflict { reason }
            }
            ProgressionError::Zone(_) | ProgressionError::UnknownQuestion(_) => {
                TalusError::InvalidInput { reason }
            }
        }
    }
}

impl From<ScheduleError> for TalusError {
    fn from(e: ScheduleError) -> Self {
        let reason = e.to_string();
        match e {
            ScheduleError::UnknownRun(_) => TalusError::NotFound { reason },
            ScheduleError::Zone(_) | ScheduleError::OutOfRange(_) => {
                TalusError::InvalidInput { reason }
            }
        }
    }
}
