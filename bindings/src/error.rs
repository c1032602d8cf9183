//! The one public error of the Talus API and the central mapping from every core module's
//! error into it. Messages never contain personal data (notes, names, pain values).

use talus_core::app::AppError;
use talus_core::catalog::CatalogError;
use talus_core::domain::DomainError;
use talus_core::progression::ProgressionError;
use talus_core::safety::SafetyError;
use talus_core::schedule::ScheduleError;
use talus_core::session::SessionError;
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
    /// A session ended for severe pain: drills are paused until the follow-up screening
    /// (`Engine.submit_follow_up`) says it is safe to go on.
    #[error("paused: {reason}")]
    Paused { reason: String },
    /// First run: the safety screening must be answered before the first drill.
    #[error("screening needed: {reason}")]
    ScreeningNeeded { reason: String },
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
            TalusError::Paused { .. } => "paused",
            TalusError::ScreeningNeeded { .. } => "screening_needed",
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
            StoreError::Sqlite(_) | StoreError::Io(_) => TalusError::Storage { reason },
            StoreError::Segment(_) => TalusError::Sync { reason },
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

impl From<SafetyError> for TalusError {
    fn from(e: SafetyError) -> Self {
        let reason = e.to_string();
        match e {
            SafetyError::NothingToResolve(_) => TalusError::Conflict { reason },
            SafetyError::UnknownQuestion(_)
            | SafetyError::MissingAnswer(_)
            | SafetyError::BadClinician
            | SafetyError::BadClearanceDate(_) => TalusError::InvalidInput { reason },
        }
    }
}

impl From<SessionError> for TalusError {
    fn from(e: SessionError) -> Self {
        let reason = e.to_string();
        match e {
            SessionError::BadSnapshot(_) => TalusError::Corrupt { reason },
            _ => TalusError::InvalidInput { reason },
        }
    }
}

impl From<AppError> for TalusError {
    fn from(e: AppError) -> Self {
        let reason = e.to_string();
        match e {
            AppError::Store(e) => e.into(),
            AppError::Catalog(e) => e.into(),
            AppError::Progression(e) => e.into(),
            AppError::Safety(e) => e.into(),
            AppError::Session(e) => e.into(),
            AppError::Schedule(e) => e.into(),
            AppError::Domain(e) => e.into(),
            AppError::Time(e) => e.into(),
            AppError::InstantOutOfRange { .. }
            | AppError::ImplausibleRun(_)
            | AppError::EmptyProfilePath
            | AppError::BadSetting(_) => TalusError::InvalidInput { reason },
            AppError::InFuture { .. } | AppError::RestDay | AppError::SessionOpen => {
                TalusError::Conflict { reason }
            }
            AppError::Locked => TalusError::Locked { reason },
            AppError::Paused => TalusError::Paused { reason },
            AppError::ScreeningNeeded => TalusError::ScreeningNeeded { reason },
        }
    }
}
