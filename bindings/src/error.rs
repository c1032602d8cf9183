//! The one public error of the Talus API and the central mapping from every core module's
//! error into it. Messages never contain personal data (notes, names, pain values).

use talus_core::app::AppError;
use talus_core::catalog::clips::ClipsError;
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
/// `TalusError.InvalidInput`. Each case carries `code`, its stable machine-readable name
/// (never changes between releases; log it, branch on the case), and `detail`, a short
/// English sentence for logs and developer screens (never personal data).
///
/// | code | case | what a shell should do |
/// |---|---|---|
/// | `invalid_input` | `InvalidInput` | a bug in the shell or a bad form value: show the form error, nothing was changed |
/// | `not_found` | `NotFound` | the record was deleted (maybe on another device): refresh the screen |
/// | `conflict` | `Conflict` | the action does not fit the current state: refresh and let the runner retry |
/// | `locked` | `Locked` | drills are locked by a red flag: show the safety screen (`safety_state`) |
/// | `paused` | `Paused` | a session ended for severe pain: show the follow-up screening (`follow_up_questions`) |
/// | `screening_needed` | `ScreeningNeeded` | first run: show the safety screening (`screening_questions`) |
/// | `busy` | `Busy` | another engine or process kept the profile busy past the wait: nothing changed, retry in a moment |
/// | `storage` | `Storage` | disk full or I/O error: tell the runner, retry later; nothing half-written |
/// | `incompatible_version` | `IncompatibleVersion` | written by a newer app: ask to update; the file was left untouched |
/// | `corrupt` | `Corrupt` | a damaged file (segment, backup, snapshot): skip it, offer restore from backup |
/// | `sync` | `Sync` | a segment could not be merged: report it, keep syncing the rest |
/// | `unexpected` | `Unexpected` | a bug: report it with `detail` |
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum TalusError {
    /// A value from the caller is out of range or malformed (pain 11, negative cm, unknown
    /// time zone, end before start…). Nothing was changed.
    #[error("{detail}")]
    InvalidInput {
        /// Always `invalid_input`.
        code: String,
        /// What was wrong, in English, without personal data.
        detail: String,
    },
    /// The drill, session or record does not exist.
    #[error("{detail}")]
    NotFound {
        /// Always `not_found`.
        code: String,
        /// What was missing, in English.
        detail: String,
    },
    /// The request conflicts with the current state (finishing a finished session, a
    /// check-in in the future). Nothing was changed.
    #[error("{detail}")]
    Conflict {
        /// Always `conflict`.
        code: String,
        /// What conflicted, in English.
        detail: String,
    },
    /// Drills are locked by a red-flag answer until a clinician clears the runner.
    #[error("{detail}")]
    Locked {
        /// Always `locked`.
        code: String,
        /// Why, in English.
        detail: String,
    },
    /// A session ended for severe pain: drills are paused until the follow-up screening
    /// (`Engine.submit_follow_up`) says it is safe to go on.
    #[error("{detail}")]
    Paused {
        /// Always `paused`.
        code: String,
        /// Why, in English.
        detail: String,
    },
    /// First run: the safety screening must be answered before the first drill.
    #[error("{detail}")]
    ScreeningNeeded {
        /// Always `screening_needed`.
        code: String,
        /// Why, in English.
        detail: String,
    },
    /// Another `Engine` on the same profile (in this process or another one) held the write
    /// lock longer than the wait (5 s). Writes from several engines and processes are
    /// serialised safely; this only reports that one waited too long. Nothing was changed;
    /// retrying later succeeds.
    #[error("{detail}")]
    Busy {
        /// Always `busy`.
        code: String,
        /// What was busy, in English.
        detail: String,
    },
    /// The database could not be read or written (disk full, I/O error).
    #[error("{detail}")]
    Storage {
        /// Always `storage`.
        code: String,
        /// What failed, in English.
        detail: String,
    },
    /// The profile or file was written by a newer app version; it was left untouched.
    #[error("{detail}")]
    IncompatibleVersion {
        /// Always `incompatible_version`.
        code: String,
        /// Which versions, in English.
        detail: String,
    },
    /// A file (database, segment, snapshot, catalog) is damaged or was tampered with.
    #[error("{detail}")]
    Corrupt {
        /// Always `corrupt`.
        code: String,
        /// What was damaged, in English.
        detail: String,
    },
    /// A sync segment could not be exchanged or merged.
    #[error("{detail}")]
    Sync {
        /// Always `sync`.
        code: String,
        /// What failed, in English.
        detail: String,
    },
    /// A bug: something that should not happen. Please report it.
    #[error("{detail}")]
    Unexpected {
        /// Always `unexpected`.
        code: String,
        /// What happened, in English.
        detail: String,
    },
}

/// The kind of a [`TalusError`], for code that builds errors in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidInput,
    NotFound,
    Conflict,
    Locked,
    Paused,
    ScreeningNeeded,
    Busy,
    Storage,
    IncompatibleVersion,
    Corrupt,
    Sync,
    Unexpected,
}

impl ErrorKind {
    /// The stable code of this kind.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Locked => "locked",
            ErrorKind::Paused => "paused",
            ErrorKind::ScreeningNeeded => "screening_needed",
            ErrorKind::Busy => "busy",
            ErrorKind::Storage => "storage",
            ErrorKind::IncompatibleVersion => "incompatible_version",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::Sync => "sync",
            ErrorKind::Unexpected => "unexpected",
        }
    }
}

impl TalusError {
    /// An error of `kind` with `detail` (English, no personal data).
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> TalusError {
        let code = kind.code().to_owned();
        let detail = detail.into();
        match kind {
            ErrorKind::InvalidInput => TalusError::InvalidInput { code, detail },
            ErrorKind::NotFound => TalusError::NotFound { code, detail },
            ErrorKind::Conflict => TalusError::Conflict { code, detail },
            ErrorKind::Locked => TalusError::Locked { code, detail },
            ErrorKind::Paused => TalusError::Paused { code, detail },
            ErrorKind::ScreeningNeeded => TalusError::ScreeningNeeded { code, detail },
            ErrorKind::Busy => TalusError::Busy { code, detail },
            ErrorKind::Storage => TalusError::Storage { code, detail },
            ErrorKind::IncompatibleVersion => TalusError::IncompatibleVersion { code, detail },
            ErrorKind::Corrupt => TalusError::Corrupt { code, detail },
            ErrorKind::Sync => TalusError::Sync { code, detail },
            ErrorKind::Unexpected => TalusError::Unexpected { code, detail },
        }
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            TalusError::InvalidInput { .. } => ErrorKind::InvalidInput,
            TalusError::NotFound { .. } => ErrorKind::NotFound,
            TalusError::Conflict { .. } => ErrorKind::Conflict,
            TalusError::Locked { .. } => ErrorKind::Locked,
            TalusError::Paused { .. } => ErrorKind::Paused,
            TalusError::ScreeningNeeded { .. } => ErrorKind::ScreeningNeeded,
            TalusError::Busy { .. } => ErrorKind::Busy,
            TalusError::Storage { .. } => ErrorKind::Storage,
            TalusError::IncompatibleVersion { .. } => ErrorKind::IncompatibleVersion,
            TalusError::Corrupt { .. } => ErrorKind::Corrupt,
            TalusError::Sync { .. } => ErrorKind::Sync,
            TalusError::Unexpected { .. } => ErrorKind::Unexpected,
        }
    }

    /// Stable machine-readable code of the error kind (the `code` field).
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The English detail (the `detail` field).
    pub fn detail(&self) -> &str {
        match self {
            TalusError::InvalidInput { detail, .. }
            | TalusError::NotFound { detail, .. }
            | TalusError::Conflict { detail, .. }
            | TalusError::Locked { detail, .. }
            | TalusError::Paused { detail, .. }
            | TalusError::ScreeningNeeded { detail, .. }
            | TalusError::Busy { detail, .. }
            | TalusError::Storage { detail, .. }
            | TalusError::IncompatibleVersion { detail, .. }
            | TalusError::Corrupt { detail, .. }
            | TalusError::Sync { detail, .. }
            | TalusError::Unexpected { detail, .. } => detail,
        }
    }

    pub(crate) fn invalid(detail: impl Into<String>) -> TalusError {
        TalusError::new(ErrorKind::InvalidInput, detail)
    }
}

impl From<CatalogError> for TalusError {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::UnknownDrill(_) | CatalogError::UnknownChain(_) => {
                TalusError::new(ErrorKind::NotFound, e.to_string())
            }
            CatalogError::Parse(_) | CatalogError::Invalid(_) => {
                TalusError::new(ErrorKind::Corrupt, e.to_string())
            }
        }
    }
}

impl From<ClipsError> for TalusError {
    fn from(e: ClipsError) -> Self {
        match e {
            ClipsError::UnknownAsset(_) => TalusError::new(ErrorKind::NotFound, e.to_string()),
            ClipsError::Parse(_) | ClipsError::Invalid(_) => {
                TalusError::new(ErrorKind::Corrupt, e.to_string())
            }
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
        let detail = e.to_string();
        let kind = match e {
            StoreError::IncompatibleVersion { .. } => ErrorKind::IncompatibleVersion,
            StoreError::Invalid(inner) => return TalusError::from(inner),
            StoreError::Zone(inner) => return TalusError::from(inner),
            StoreError::UnknownDrill(_) | StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Conflict(_) => ErrorKind::Conflict,
            StoreError::Busy => ErrorKind::Busy,
            StoreError::Sqlite(_) | StoreError::Io(_) | StoreError::Full => ErrorKind::Storage,
            StoreError::Segment(_) => ErrorKind::Sync,
            StoreError::Rejected(_) => ErrorKind::InvalidInput,
            StoreError::Damaged(_) => ErrorKind::Corrupt,
        };
        TalusError::new(kind, detail)
    }
}

impl From<SyncError> for TalusError {
    fn from(e: SyncError) -> Self {
        let kind = match &e {
            SyncError::UnsupportedVersion { .. } | SyncError::UnsupportedFlags(_) => {
                ErrorKind::IncompatibleVersion
            }
            SyncError::Truncated { .. }
            | SyncError::BadMagic
            | SyncError::TrailingBytes { .. }
            | SyncError::TooLarge { .. }
            | SyncError::ChecksumMismatch
            | SyncError::Malformed { .. } => ErrorKind::Corrupt,
            SyncError::Io(_) => ErrorKind::Storage,
            SyncError::Time(_) => ErrorKind::InvalidInput,
            SyncError::Invalid(_) | SyncError::Render(_) => ErrorKind::Sync,
        };
        TalusError::new(kind, e.to_string())
    }
}

impl From<ProgressionError> for TalusError {
    fn from(e: ProgressionError) -> Self {
        let kind = match &e {
            ProgressionError::Zone(_) | ProgressionError::UnknownQuestion(_) => {
                ErrorKind::InvalidInput
            }
        };
        TalusError::new(kind, e.to_string())
    }
}

impl From<ScheduleError> for TalusError {
    fn from(e: ScheduleError) -> Self {
        let kind = match &e {
            ScheduleError::UnknownRun(_) => ErrorKind::NotFound,
            ScheduleError::Zone(_) | ScheduleError::OutOfRange(_) => ErrorKind::InvalidInput,
        };
        TalusError::new(kind, e.to_string())
    }
}

impl From<SessionError> for TalusError {
    fn from(e: SessionError) -> Self {
        let kind = match &e {
            SessionError::InvalidEvent { .. }
            | SessionError::PainOutOfRange(_)
            | SessionError::InstantOutOfRange(_)
            | SessionError::EmptyPlan => ErrorKind::InvalidInput,
            SessionError::UnknownDrill(_) => ErrorKind::NotFound,
            SessionError::BadSnapshot(_) => ErrorKind::Corrupt,
        };
        TalusError::new(kind, e.to_string())
    }
}

impl From<SafetyError> for TalusError {
    fn from(e: SafetyError) -> Self {
        let kind = match &e {
            SafetyError::NothingToResolve(_) => ErrorKind::Conflict,
            SafetyError::UnknownQuestion(_)
            | SafetyError::MissingAnswer(_)
            | SafetyError::BadClinician
            | SafetyError::BadClearanceDate(_) => ErrorKind::InvalidInput,
        };
        TalusError::new(kind, e.to_string())
    }
}

impl From<AppError> for TalusError {
    fn from(e: AppError) -> Self {
        let detail = e.to_string();
        let kind = match e {
            AppError::Store(e) => return e.into(),
            AppError::Catalog(e) => return e.into(),
            AppError::Progression(e) => return e.into(),
            AppError::Safety(e) => return e.into(),
            AppError::Session(e) => return e.into(),
            AppError::Schedule(e) => return e.into(),
            AppError::Domain(e) => return e.into(),
            AppError::Time(e) => return e.into(),
            AppError::InstantOutOfRange { .. }
            | AppError::ImplausibleRun(_)
            | AppError::EmptyProfilePath
            | AppError::BadSetting(_) => ErrorKind::InvalidInput,
            AppError::InFuture { .. } | AppError::RestDay | AppError::SessionOpen => {
                ErrorKind::Conflict
            }
            AppError::Locked => ErrorKind::Locked,
            AppError::Paused => ErrorKind::Paused,
            AppError::ScreeningNeeded => ErrorKind::ScreeningNeeded,
        };
        TalusError::new(kind, detail)
    }
}
