//! History sync between a runner's own devices: the op-log model, hybrid logical clocks,
//! segments, merge, backup and clinician export.
//!
//! - [`op`](Op): the operation model shared with the store.
//! - [`HlcClock`]: issues and absorbs hybrid logical clock values, refusing far-future ones.
//! - [`VersionVector`]: per-device watermarks ("everything up to here seen").
//! - [`Segment`], [`encode_segment`], [`decode_segment`], [`write_segment_file`]: the
//!   versioned, checksummed file format devices exchange.
//! - [`ReplicaState`]: field-level last-writer-wins merge with tombstones, segment import
//!   and export.
//! - [`clinician_export`]: CSV and JSON of pain, knee-to-wall and runs for a clinician.
//!
//! The merge rule and the format choice are explained in `docs/adr/0005-sync-merge.md`.

mod export;
mod hlc;
mod merge;
mod op;
mod segment;
mod vv;

pub use export::*;
pub use hlc::*;
pub use merge::*;
pub use op::*;
pub use segment::*;
pub use vv::*;

/// Errors from reading, writing and importing segments and from exports.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Too few bytes for a segment header and trailer, or fewer body bytes than announced.
    #[error("segment is truncated: {actual} bytes, expected at least {expected}")]
    Truncated { expected: u64, actual: u64 },
    /// The file does not start with the segment magic: not a Talus segment.
    #[error("not a Talus segment (bad magic)")]
    BadMagic,
    /// A segment written by a newer (or unknown) format version.
    #[error("segment format version {found} is not supported (this build reads {supported})")]
    UnsupportedVersion { found: u16, supported: u16 },
    /// Header flags this version does not know.
    #[error("segment uses unknown flags {0:#06x}")]
    UnsupportedFlags(u16),
    /// More bytes than the header announces.
    #[error("segment has {extra} unexpected trailing bytes")]
    TrailingBytes { extra: u64 },
    /// Larger than [`MAX_SEGMENT_BYTES`].
    #[error("segment is {len} bytes, above the {max} byte limit")]
    TooLarge { len: u64, max: u64 },
    /// The trailer digest does not match the content: corrupted or tampered with.
    #[error("segment checksum does not match its content")]
    ChecksumMismatch,
    /// The checksum matched but the content breaks the format's rules.
    #[error("malformed segment at byte {offset}: {reason}")]
    Malformed { offset: u64, reason: &'static str },
    /// A segment built in memory broke an invariant (ops outside its range and so on).
    #[error("invalid segment: {0}")]
    Invalid(&'static str),
    /// Reading or writing a segment file failed.
    #[error("segment file I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// A time zone in an export request or record could not be used.
    #[error(transparent)]
    Time(#[from] crate::time::TimeError),
    /// JSON rendering of an export failed.
    #[error("export rendering failed: {0}")]
    Render(String),
}
