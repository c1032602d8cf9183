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
/// `TalusError.InvalidInput`. Each case carries `code`, the stable name of the case (never
/// changes between releases; branch on the case), `cause_code`, the stable name of the
/// precise cause within the case (`rest_day`, `session_open`, `bad_zone`…; for logs,
/// analytics and the few screens that treat causes differently), and `detail`, a short
/// English sentence for logs and developer screens (never personal data). The table of
/// codes, causes and what a shell should do is in `docs/shell-guide.md` §9 (a test keeps it
/// equal to [`ErrorCause::ALL`]). Show the runner `user_message(locale)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum TalusError {
    /// A value from the caller is out of range or malformed (pain 11, negative cm, unknown
    /// time zone, end before start…). Nothing was changed.
    #[error("{detail}")]
    InvalidInput {
        /// Always `invalid_input`.
        code: String,
        /// Which value was wrong: `bad_value`, `bad_id`, `bad_instant`, `bad_zone`,
        /// `implausible_run`, `bad_setting`, `bad_event`, `bad_answer`, `bad_clearance`,
        /// `empty_profile_path`, `rejected_record`.
        cause_code: String,
        /// What was wrong, in English, without personal data.
        detail: String,
    },
    /// The drill, session or record does not exist.
    #[error("{detail}")]
    NotFound {
        /// Always `not_found`.
        code: String,
        /// What was missing: `unknown_drill`, `unknown_record`, `unknown_clip`.
        cause_code: String,
        /// What was missing, in English.
        detail: String,
    },
    /// The request conflicts with the current state (finishing a finished session, a
    /// check-in in the future). Nothing was changed.
    #[error("{detail}")]
    Conflict {
        /// Always `conflict`.
        code: String,
        /// Which conflict: `rest_day`, `session_open`, `in_future`, `state_changed`.
        cause_code: String,
        /// What conflicted, in English.
        detail: String,
    },
    /// Drills are locked by a red-flag answer until a clinician clears the runner.
    #[error("{detail}")]
    Locked {
        /// Always `locked`.
        code: String,
        /// Always `red_flag`.
        cause_code: String,
        /// Why, in English.
        detail: String,
    },
    /// A session ended for severe pain: drills are paused until the follow-up screening
    /// (`Engine.submit_follow_up`) says it is safe to go on.
    #[error("{detail}")]
    Paused {
        /// Always `paused`.
        code: String,
        /// Always `severe_pain`.
        cause_code: String,
        /// Why, in English.
        detail: String,
    },
    /// First run: the safety screening must be answered before the first drill.
    #[error("{detail}")]
    ScreeningNeeded {
        /// Always `screening_needed`.
        code: String,
        /// Always `not_screened`.
        cause_code: String,
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
        /// Always `profile_busy`.
        cause_code: String,
        /// What was busy, in English.
        detail: String,
    },
    /// The database could not be read or written (disk full, I/O error).
    #[error("{detail}")]
    Storage {
        /// Always `storage`.
        code: String,
        /// What failed: `disk_full`, `io`, `database`.
        cause_code: String,
        /// What failed, in English.
        detail: String,
    },
    /// The profile or file was written by a newer app version (or, refused by the phone
    /// libraries only, is a profile from before schema v4: ADR 0019); it was left untouched.
    #[error("{detail}")]
    IncompatibleVersion {
        /// Always `incompatible_version`.
        code: String,
        /// Always `newer_version`.
        cause_code: String,
        /// Which versions, in English.
        detail: String,
    },
    /// A file (database, segment, snapshot, catalog) is damaged or was tampered with.
    #[error("{detail}")]
    Corrupt {
        /// Always `corrupt`.
        code: String,
        /// What was damaged: `damaged_file`, `bad_catalog`, `bad_snapshot`.
        cause_code: String,
        /// What was damaged, in English.
        detail: String,
    },
    /// A sync segment could not be exchanged or merged.
    #[error("{detail}")]
    Sync {
        /// Always `sync`.
        code: String,
        /// Always `merge_failed`.
        cause_code: String,
        /// What failed, in English.
        detail: String,
    },
    /// A bug: something that should not happen. Please report it.
    #[error("{detail}")]
    Unexpected {
        /// Always `unexpected`.
        code: String,
        /// Always `bug`.
        cause_code: String,
        /// What happened, in English.
        detail: String,
    },
}

/// The kind of a [`TalusError`] (its case), for code that builds errors in Rust.
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
    /// Every kind, in declaration order.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::InvalidInput,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Locked,
        ErrorKind::Paused,
        ErrorKind::ScreeningNeeded,
        ErrorKind::Busy,
        ErrorKind::Storage,
        ErrorKind::IncompatibleVersion,
        ErrorKind::Corrupt,
        ErrorKind::Sync,
        ErrorKind::Unexpected,
    ];

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

    /// The cause used when nothing more precise is known.
    fn general_cause(self) -> ErrorCause {
        match self {
            ErrorKind::InvalidInput => ErrorCause::BadValue,
            ErrorKind::NotFound => ErrorCause::UnknownRecord,
            ErrorKind::Conflict => ErrorCause::StateChanged,
            ErrorKind::Locked => ErrorCause::RedFlag,
            ErrorKind::Paused => ErrorCause::SeverePain,
            ErrorKind::ScreeningNeeded => ErrorCause::NotScreened,
            ErrorKind::Busy => ErrorCause::ProfileBusy,
            ErrorKind::Storage => ErrorCause::Database,
            ErrorKind::IncompatibleVersion => ErrorCause::NewerVersion,
            ErrorKind::Corrupt => ErrorCause::DamagedFile,
            ErrorKind::Sync => ErrorCause::MergeFailed,
            ErrorKind::Unexpected => ErrorCause::Bug,
        }
    }
}

/// The precise cause of a [`TalusError`]: its `cause_code`. Each cause belongs to one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCause {
    /// A value out of range or malformed (pain 11, negative cm, end before start).
    BadValue,
    /// An id that is not a UUID.
    BadId,
    /// An instant outside 1970–2200.
    BadInstant,
    /// An unknown IANA zone, or a local time the zone cannot resolve.
    BadZone,
    /// A run that cannot be a run (too long, implausible pace).
    ImplausibleRun,
    /// A setting outside its range.
    BadSetting,
    /// A session event not allowed in the current step.
    BadEvent,
    /// An unknown screening question, or a required answer missing.
    BadAnswer,
    /// A clearance without a clinician or with an impossible date.
    BadClearance,
    /// The profile folder path is empty.
    EmptyProfilePath,
    /// A record the store refuses (a duplicate run in one import…).
    RejectedRecord,
    /// A drill (or drill family) the catalog does not have.
    UnknownDrill,
    /// A stored record (session, run, check-in, result) that does not exist (any more).
    UnknownRecord,
    /// A clip asset the content manifest does not have.
    UnknownClip,
    /// Today's plan has no drills.
    RestDay,
    /// A session is already open: resume or discard it.
    SessionOpen,
    /// The runner's own input is stamped in the future.
    InFuture,
    /// The record's state does not allow it (already finished, nothing to clear).
    StateChanged,
    /// A red flag is open.
    RedFlag,
    /// A session ended for severe pain and the follow-up is not passed.
    SeverePain,
    /// The first safety screening is not answered.
    NotScreened,
    /// Another engine or process held the write lock too long.
    ProfileBusy,
    /// The disk is full.
    DiskFull,
    /// A file could not be read or written.
    Io,
    /// The database failed.
    Database,
    /// Written by a newer app version (or, refused by the phone libraries only, a profile
    /// from before schema v4, which no phone ever wrote: ADR 0019).
    NewerVersion,
    /// A damaged, truncated or tampered file (database, segment, backup).
    DamagedFile,
    /// The embedded catalog or content manifest does not parse or validate.
    BadCatalog,
    /// A saved session snapshot cannot be read back.
    BadSnapshot,
    /// A segment could not be merged.
    MergeFailed,
    /// Something that should not happen.
    Bug,
}

impl ErrorCause {
    /// Every cause, grouped by kind.
    pub const ALL: &'static [ErrorCause] = &[
        ErrorCause::BadValue,
        ErrorCause::BadId,
        ErrorCause::BadInstant,
        ErrorCause::BadZone,
        ErrorCause::ImplausibleRun,
        ErrorCause::BadSetting,
        ErrorCause::BadEvent,
        ErrorCause::BadAnswer,
        ErrorCause::BadClearance,
        ErrorCause::EmptyProfilePath,
        ErrorCause::RejectedRecord,
        ErrorCause::UnknownDrill,
        ErrorCause::UnknownRecord,
        ErrorCause::UnknownClip,
        ErrorCause::RestDay,
        ErrorCause::SessionOpen,
        ErrorCause::InFuture,
        ErrorCause::StateChanged,
        ErrorCause::RedFlag,
        ErrorCause::SeverePain,
        ErrorCause::NotScreened,
        ErrorCause::ProfileBusy,
        ErrorCause::DiskFull,
        ErrorCause::Io,
        ErrorCause::Database,
        ErrorCause::NewerVersion,
        ErrorCause::DamagedFile,
        ErrorCause::BadCatalog,
        ErrorCause::BadSnapshot,
        ErrorCause::MergeFailed,
        ErrorCause::Bug,
    ];

    /// The stable `cause_code`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorCause::BadValue => "bad_value",
            ErrorCause::BadId => "bad_id",
            ErrorCause::BadInstant => "bad_instant",
            ErrorCause::BadZone => "bad_zone",
            ErrorCause::ImplausibleRun => "implausible_run",
            ErrorCause::BadSetting => "bad_setting",
            ErrorCause::BadEvent => "bad_event",
            ErrorCause::BadAnswer => "bad_answer",
            ErrorCause::BadClearance => "bad_clearance",
            ErrorCause::EmptyProfilePath => "empty_profile_path",
            ErrorCause::RejectedRecord => "rejected_record",
            ErrorCause::UnknownDrill => "unknown_drill",
            ErrorCause::UnknownRecord => "unknown_record",
            ErrorCause::UnknownClip => "unknown_clip",
            ErrorCause::RestDay => "rest_day",
            ErrorCause::SessionOpen => "session_open",
            ErrorCause::InFuture => "in_future",
            ErrorCause::StateChanged => "state_changed",
            ErrorCause::RedFlag => "red_flag",
            ErrorCause::SeverePain => "severe_pain",
            ErrorCause::NotScreened => "not_screened",
            ErrorCause::ProfileBusy => "profile_busy",
            ErrorCause::DiskFull => "disk_full",
            ErrorCause::Io => "io",
            ErrorCause::Database => "database",
            ErrorCause::NewerVersion => "newer_version",
            ErrorCause::DamagedFile => "damaged_file",
            ErrorCause::BadCatalog => "bad_catalog",
            ErrorCause::BadSnapshot => "bad_snapshot",
            ErrorCause::MergeFailed => "merge_failed",
            ErrorCause::Bug => "bug",
        }
    }

    /// The kind (the `TalusError` case) this cause is reported as.
    pub fn kind(self) -> ErrorKind {
        use ErrorCause::*;
        match self {
            BadValue | BadId | BadInstant | BadZone | ImplausibleRun | BadSetting | BadEvent
            | BadAnswer | BadClearance | EmptyProfilePath | RejectedRecord => {
                ErrorKind::InvalidInput
            }
            UnknownDrill | UnknownRecord | UnknownClip => ErrorKind::NotFound,
            RestDay | SessionOpen | InFuture | StateChanged => ErrorKind::Conflict,
            RedFlag => ErrorKind::Locked,
            SeverePain => ErrorKind::Paused,
            NotScreened => ErrorKind::ScreeningNeeded,
            ProfileBusy => ErrorKind::Busy,
            DiskFull | Io | Database => ErrorKind::Storage,
            NewerVersion => ErrorKind::IncompatibleVersion,
            DamagedFile | BadCatalog | BadSnapshot => ErrorKind::Corrupt,
            MergeFailed => ErrorKind::Sync,
            Bug => ErrorKind::Unexpected,
        }
    }
}

impl TalusError {
    /// An error of `kind` with its general cause and `detail` (English, no personal data).
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> TalusError {
        TalusError::of(kind.general_cause(), detail)
    }

    /// An error for `cause` (its kind follows from it) with `detail`.
    pub fn of(cause: ErrorCause, detail: impl Into<String>) -> TalusError {
        let code = cause.kind().code().to_owned();
        let cause_code = cause.code().to_owned();
        let detail = detail.into();
        match cause.kind() {
            ErrorKind::InvalidInput => TalusError::InvalidInput {
                code,
                cause_code,
                detail,
            },
            ErrorKind::NotFound => TalusError::NotFound {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Conflict => TalusError::Conflict {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Locked => TalusError::Locked {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Paused => TalusError::Paused {
                code,
                cause_code,
                detail,
            },
            ErrorKind::ScreeningNeeded => TalusError::ScreeningNeeded {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Busy => TalusError::Busy {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Storage => TalusError::Storage {
                code,
                cause_code,
                detail,
            },
            ErrorKind::IncompatibleVersion => TalusError::IncompatibleVersion {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Corrupt => TalusError::Corrupt {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Sync => TalusError::Sync {
                code,
                cause_code,
                detail,
            },
            ErrorKind::Unexpected => TalusError::Unexpected {
                code,
                cause_code,
                detail,
            },
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

    /// The precise cause (the `cause_code` field).
    pub fn cause_code(&self) -> &str {
        match self {
            TalusError::InvalidInput { cause_code, .. }
            | TalusError::NotFound { cause_code, .. }
            | TalusError::Conflict { cause_code, .. }
            | TalusError::Locked { cause_code, .. }
            | TalusError::Paused { cause_code, .. }
            | TalusError::ScreeningNeeded { cause_code, .. }
            | TalusError::Busy { cause_code, .. }
            | TalusError::Storage { cause_code, .. }
            | TalusError::IncompatibleVersion { cause_code, .. }
            | TalusError::Corrupt { cause_code, .. }
            | TalusError::Sync { cause_code, .. }
            | TalusError::Unexpected { cause_code, .. } => cause_code,
        }
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
        TalusError::of(ErrorCause::BadValue, detail)
    }

    pub(crate) fn bad_id(detail: impl Into<String>) -> TalusError {
        TalusError::of(ErrorCause::BadId, detail)
    }
}

impl From<CatalogError> for TalusError {
    fn from(e: CatalogError) -> Self {
        let cause = match e {
            CatalogError::UnknownDrill(_) | CatalogError::UnknownChain(_) => {
                ErrorCause::UnknownDrill
            }
            CatalogError::Parse(_) | CatalogError::Invalid(_) => ErrorCause::BadCatalog,
        };
        TalusError::of(cause, e.to_string())
    }
}

impl From<ClipsError> for TalusError {
    fn from(e: ClipsError) -> Self {
        let cause = match e {
            ClipsError::UnknownAsset(_) => ErrorCause::UnknownClip,
            ClipsError::Parse(_) | ClipsError::Invalid(_) => ErrorCause::BadCatalog,
        };
        TalusError::of(cause, e.to_string())
    }
}

impl From<TimeError> for TalusError {
    fn from(e: TimeError) -> Self {
        TalusError::of(ErrorCause::BadZone, e.to_string())
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
        let cause = match e {
            // An outdated profile (only a phone build refuses one, ADR 0019) is, like a
            // newer one, a version this build does not open, left untouched.
            StoreError::IncompatibleVersion { .. } | StoreError::Outdated { .. } => {
                ErrorCause::NewerVersion
            }
            StoreError::Invalid(inner) => return TalusError::from(inner),
            StoreError::Zone(inner) => return TalusError::from(inner),
            StoreError::UnknownDrill(_) => ErrorCause::UnknownDrill,
            StoreError::NotFound { .. } => ErrorCause::UnknownRecord,
            StoreError::Conflict(_) => ErrorCause::StateChanged,
            StoreError::Busy => ErrorCause::ProfileBusy,
            StoreError::Sqlite(_) => ErrorCause::Database,
            StoreError::Io(_) => ErrorCause::Io,
            StoreError::Full => ErrorCause::DiskFull,
            StoreError::Segment(_) => ErrorCause::MergeFailed,
            StoreError::Rejected(_) => ErrorCause::RejectedRecord,
            StoreError::Damaged(_) => ErrorCause::DamagedFile,
        };
        TalusError::of(cause, detail)
    }
}

impl From<SyncError> for TalusError {
    fn from(e: SyncError) -> Self {
        let cause = match &e {
            SyncError::UnsupportedVersion { .. } | SyncError::UnsupportedFlags(_) => {
                ErrorCause::NewerVersion
            }
            SyncError::Truncated { .. }
            | SyncError::BadMagic
            | SyncError::TrailingBytes { .. }
            | SyncError::TooLarge { .. }
            | SyncError::ChecksumMismatch
            | SyncError::Malformed { .. } => ErrorCause::DamagedFile,
            SyncError::Io(_) => ErrorCause::Io,
            SyncError::Time(_) => ErrorCause::BadInstant,
            SyncError::Invalid(_) | SyncError::Render(_) => ErrorCause::MergeFailed,
        };
        TalusError::of(cause, e.to_string())
    }
}

impl From<ProgressionError> for TalusError {
    fn from(e: ProgressionError) -> Self {
        let cause = match &e {
            ProgressionError::Zone(_) => ErrorCause::BadZone,
            ProgressionError::UnknownQuestion(_) => ErrorCause::BadAnswer,
        };
        TalusError::of(cause, e.to_string())
    }
}

impl From<ScheduleError> for TalusError {
    fn from(e: ScheduleError) -> Self {
        let detail = e.to_string();
        let cause = match e {
            ScheduleError::Plan(inner) => return inner.into(),
            ScheduleError::UnknownRun(_) => ErrorCause::UnknownRecord,
            ScheduleError::Zone(_) => ErrorCause::BadZone,
            ScheduleError::OutOfRange(_) => ErrorCause::BadInstant,
        };
        TalusError::of(cause, detail)
    }
}

impl From<SessionError> for TalusError {
    fn from(e: SessionError) -> Self {
        let cause = match &e {
            SessionError::InvalidEvent { .. } => ErrorCause::BadEvent,
            SessionError::PainOutOfRange(_) | SessionError::EmptyPlan => ErrorCause::BadValue,
            SessionError::InstantOutOfRange(_) => ErrorCause::BadInstant,
            SessionError::UnknownDrill(_) => ErrorCause::UnknownDrill,
            SessionError::BadSnapshot(_) => ErrorCause::BadSnapshot,
        };
        TalusError::of(cause, e.to_string())
    }
}

impl From<SafetyError> for TalusError {
    fn from(e: SafetyError) -> Self {
        let cause = match &e {
            SafetyError::NothingToResolve(_) => ErrorCause::StateChanged,
            SafetyError::UnknownQuestion(_) | SafetyError::MissingAnswer(_) => {
                ErrorCause::BadAnswer
            }
            SafetyError::BadClinician | SafetyError::BadClearanceDate(_) => {
                ErrorCause::BadClearance
            }
        };
        TalusError::of(cause, e.to_string())
    }
}

impl From<AppError> for TalusError {
    fn from(e: AppError) -> Self {
        let detail = e.to_string();
        let cause = match e {
            AppError::Store(e) => return e.into(),
            AppError::Catalog(e) => return e.into(),
            AppError::Progression(e) => return e.into(),
            AppError::Safety(e) => return e.into(),
            AppError::Session(e) => return e.into(),
            AppError::Schedule(e) => return e.into(),
            AppError::Domain(e) => return e.into(),
            AppError::Time(e) => return e.into(),
            AppError::InstantOutOfRange { .. } => ErrorCause::BadInstant,
            AppError::ImplausibleRun(_) => ErrorCause::ImplausibleRun,
            AppError::EmptyProfilePath => ErrorCause::EmptyProfilePath,
            AppError::BadSetting(_) => ErrorCause::BadSetting,
            AppError::InFuture { .. } => ErrorCause::InFuture,
            AppError::RestDay => ErrorCause::RestDay,
            AppError::SessionOpen => ErrorCause::SessionOpen,
            AppError::Locked => ErrorCause::RedFlag,
            AppError::Paused => ErrorCause::SeverePain,
            AppError::ScreeningNeeded => ErrorCause::NotScreened,
        };
        TalusError::of(cause, detail)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The `(code, cause)` rows of the error table in `docs/shell-guide.md` §9.
    fn documented() -> BTreeSet<(String, String)> {
        let guide = include_str!("../../docs/shell-guide.md");
        let section = guide
            .split("## 9. Errors")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("the guide has an error section");
        section
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                let cause = cells.get(2)?.strip_prefix('`')?.strip_suffix('`')?;
                Some((code.to_owned(), cause.to_owned()))
            })
            .collect()
    }

    #[test]
    fn the_guide_documents_every_code_and_cause_and_nothing_else() {
        let real: BTreeSet<(String, String)> = ErrorCause::ALL
            .iter()
            .map(|c| (c.kind().code().to_owned(), c.code().to_owned()))
            .collect();
        let documented = documented();
        let missing: Vec<_> = real.difference(&documented).collect();
        let stale: Vec<_> = documented.difference(&real).collect();
        assert!(
            missing.is_empty(),
            "not in docs/shell-guide.md §9: {missing:?}"
        );
        assert!(
            stale.is_empty(),
            "in the guide but never reported: {stale:?}"
        );
        // Every kind has at least one cause, and codes are unique.
        for kind in ErrorKind::ALL {
            assert!(
                ErrorCause::ALL.iter().any(|c| c.kind() == *kind),
                "{kind:?}"
            );
        }
        let codes: BTreeSet<&str> = ErrorCause::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), ErrorCause::ALL.len());
    }

    #[test]
    fn every_error_carries_its_code_and_cause() {
        for cause in ErrorCause::ALL {
            let e = TalusError::of(*cause, "x");
            assert_eq!(e.kind(), cause.kind());
            assert_eq!(e.code(), cause.kind().code());
            assert_eq!(e.cause_code(), cause.code());
            assert_eq!(e.detail(), "x");
        }
        let rest = TalusError::from(AppError::RestDay);
        assert_eq!((rest.code(), rest.cause_code()), ("conflict", "rest_day"));
        let open = TalusError::from(AppError::SessionOpen);
        assert_eq!(open.cause_code(), "session_open");
        let zone = TalusError::from(TimeError::UnknownZone("Mars/Olympus".into()));
        assert_eq!(
            (zone.code(), zone.cause_code()),
            ("invalid_input", "bad_zone")
        );
        let full = TalusError::from(StoreError::Full);
        assert_eq!((full.code(), full.cause_code()), ("storage", "disk_full"));
    }
}
