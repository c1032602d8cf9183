//! Segments: the append-only, versioned, checksummed files devices exchange, and their
//! crash-safe writing to a (shared) folder.
//!
//! Layout of format v2, what this build writes (all integers little-endian; `varint` is
//! unsigned LEB128):
//!
//! ```text
//! header (72 bytes)
//!   magic            8   b"TALUSSEG"
//!   format version   2   2
//!   flags            2   0 (no flag is defined)
//!   writer device   16   UUID bytes
//!   hlc from        12   wall_ms u64, counter u32 (lowest op clock; zero when no op)
//!   hlc to          12   highest op clock
//!   op count         8
//!   catalog version  4   drill catalog version of the writer (0 = not recorded)
//!   body length      8
//! body
//!   base vector      varint n, n × (device 16, wall varint, counter varint)
//!   top vector       same; the segment holds every op o with base[o.dev] < o.hlc ≤ top[o.dev]
//!   ops              op count × (device index varint into top, wall delta varint,
//!                    counter varint, record length varint, op record)
//! trailer
//!   SHA-256 of header and body (32 bytes)
//! ```
//!
//! An op record is exactly what the store's op-log keeps for the op ([`encode_op_record`]:
//! version byte, entity kind u8, entity id 16, action u8, payload with every string
//! inline; values are a tagged binary form of JSON), so exporting copies records and
//! importing stores them without re-encoding (ADR 0013). A v2 record must be in its one
//! canonical form (shortest varints, keys in ascending order): every accepted record is the
//! bytes the encoder gives for the op it decodes to.
//!
//! Format v1 (still read, no longer written) had a string table after the top vector
//! (`varint n, n × (varint len, UTF-8)`) and ops as `device index, wall delta, counter,
//! entity kind u8, entity id 16, action u8, payload` with field names, keys and strings up
//! to 64 bytes given as indexes into that table.
//!
//! Decoding checks size, magic and version first, then the digest, then parses the body
//! without ever trusting a count for an allocation.

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::op::{EntityKind, Hlc, Op, OpAction, Stamp};
use super::vv::VersionVector;
use super::SyncError;

/// First eight bytes of every segment.
pub const SEGMENT_MAGIC: [u8; 8] = *b"TALUSSEG";
/// The format version this build writes; it reads this one and [`SEGMENT_FORMAT_V1`].
/// Anything newer is refused with [`SyncError::UnsupportedVersion`].
pub const SEGMENT_FORMAT_VERSION: u16 = 2;
/// The first format (string table, interned strings), still read.
pub const SEGMENT_FORMAT_V1: u16 = 1;
/// File extension of complete segment files; anything else in a folder is ignored.
pub const SEGMENT_EXTENSION: &str = "talseg";
/// Largest segment accepted: a decade of one runner's history is a few MB, and the cap
/// bounds the decoded tree (at most ~32 bytes of memory per input byte).
pub const MAX_SEGMENT_BYTES: u64 = 64 * 1024 * 1024;

const HEADER_LEN: usize = 72;
/// Where the header keeps the catalog version (after magic, version, flags, writer, the
/// two clocks and the op count).
const CATALOG_VERSION_AT: usize = 60;
const DIGEST_LEN: usize = 32;
/// Deepest nesting of arrays/objects inside a value.
const MAX_VALUE_DEPTH: usize = 16;
/// Most elements in one array or object (a record has a few dozen fields).
pub const MAX_VALUE_ELEMENTS: usize = 1024;
/// Most JSON values (every null, number, string, array and object counts) in one op, so a
/// crafted op (millions of nulls, one byte each) cannot turn a few MB into GBs of memory.
pub const MAX_OP_VALUES: usize = 4096;
/// Most entries in a v1 segment's string table (every short value was interned, so a decade of
/// history interns a few hundred thousand ids, instants, names and zones; 16 bytes each).
pub const MAX_STRINGS: usize = 1 << 22;
/// Largest encoded op (a record with a 2000-character note is a few KB).
pub const MAX_OP_BYTES: usize = 64 * 1024;
/// Smallest encoded v1 op: device, wall, counter (1 each), kind 1, id 16, action 1.
const MIN_OP_BYTES_V1: usize = 21;
/// Smallest encoded v2 op: device, wall, counter, record length (1 each), a record of
/// version 1, kind 1, id 16, action 1.
const MIN_OP_BYTES_V2: usize = 23;
/// Smallest encoded version-vector entry: device 16, wall 1, counter 1.
const MIN_VV_ENTRY_BYTES: usize = 18;

const ENTITY_KINDS: [EntityKind; 8] = [
    EntityKind::Session,
    EntityKind::SetLog,
    EntityKind::CheckIn,
    EntityKind::Run,
    EntityKind::RomMeasurement,
    EntityKind::DrillProgress,
    EntityKind::Settings,
    EntityKind::SafetyLock,
];

const ACTION_PUT: u8 = 0;
const ACTION_SET: u8 = 1;
const ACTION_DELETE: u8 = 2;

const VALUE_NULL: u8 = 0;
const VALUE_FALSE: u8 = 1;
const VALUE_TRUE: u8 = 2;
const VALUE_INT: u8 = 3;
const VALUE_UINT: u8 = 4;
const VALUE_FLOAT: u8 = 5;
const VALUE_STR_INLINE: u8 = 6;
const VALUE_STR_TABLE: u8 = 7;
const VALUE_ARRAY: u8 = 8;
const VALUE_OBJECT: u8 = 9;

/// A validated batch of ops with the watermarks it covers: every op `o` it holds satisfies
/// `base[o.device] < o.hlc ≤ top[o.device]`, and it holds *all* such ops the writer had.
/// `top` is also what the writer had seen when it wrote the segment.
///
/// A segment the store exports is made from its encoded bytes ([`Segment::ops`] decodes
/// them on first use, [`encode_segment`] returns them as they are), so exporting and
/// handing a segment to another profile never builds JSON values.
#[derive(Clone)]
pub struct Segment {
    writer: Uuid,
    catalog_version: u32,
    base: VersionVector,
    top: VersionVector,
    ops: OnceLock<Vec<Op>>,
    /// The encoded segment when it was made from its bytes (checked when they were made).
    encoded: Option<Vec<u8>>,
}

impl PartialEq for Segment {
    fn eq(&self, other: &Self) -> bool {
        self.writer == other.writer
            && self.catalog_version == other.catalog_version
            && self.base == other.base
            && self.top == other.top
            && self.ops() == other.ops()
    }
}

impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segment")
            .field("writer", &self.writer)
            .field("catalog_version", &self.catalog_version)
            .field("base", &self.base)
            .field("top", &self.top)
            .field("ops", &self.ops())
            .finish()
    }
}

impl Segment {
    /// Builds a segment, checking its invariants; ops are put in stamp order.
    pub fn new(
        writer: Uuid,
        base: VersionVector,
        top: VersionVector,
        mut ops: Vec<Op>,
    ) -> Result<Segment, SyncError> {
        if !base.dominated_by(&top) {
            return Err(SyncError::Invalid("base watermark above top watermark"));
        }
        for op in &ops {
            let device = &op.stamp.device;
            if op.stamp.hlc <= base.get(device) || op.stamp.hlc > top.get(device) {
                return Err(SyncError::Invalid("op outside the segment's watermarks"));
            }
        }
        super::op::sort_by_stamp(&mut ops);
        Ok(Segment::with_ops(writer, 0, base, top, ops))
    }

    fn with_ops(
        writer: Uuid,
        catalog_version: u32,
        base: VersionVector,
        top: VersionVector,
        ops: Vec<Op>,
    ) -> Segment {
        Segment {
            writer,
            catalog_version,
            base,
            top,
            ops: OnceLock::from(ops),
            encoded: None,
        }
    }

    /// Builds a segment whose invariants the caller guarantees (the replica's own exports).
    pub(crate) fn trusted(
        writer: Uuid,
        base: VersionVector,
        top: VersionVector,
        mut ops: Vec<Op>,
    ) -> Segment {
        super::op::sort_by_stamp(&mut ops);
        Segment::with_ops(writer, 0, base, top, ops)
    }

    /// A segment from bytes a [`SegmentEncoder`] just made for `head` (the store's exports):
    /// every record in them was checked as the decoder checks it, or is byte for byte one
    /// that was when it was written (its kept checksum, ADR 0013 addendum), so the ops are
    /// decoded only if asked for.
    pub(crate) fn from_own_encoding(head: SegmentHead, bytes: Vec<u8>) -> Segment {
        Segment {
            writer: head.writer,
            catalog_version: head.catalog_version,
            base: head.base,
            top: head.top,
            ops: OnceLock::new(),
            encoded: Some(bytes),
        }
    }

    /// A segment of a device's own ops after `since` (the folder exchange: each device
    /// writes only what it authored). Every op must be from `writer`.
    pub fn own_ops(writer: Uuid, since: Hlc, ops: Vec<Op>) -> Result<Segment, SyncError> {
        let to = ops
            .iter()
            .map(|o| o.stamp.hlc)
            .max()
            .unwrap_or(since)
            .max(since);
        let base: VersionVector = [(writer, since)].into_iter().collect();
        let top: VersionVector = [(writer, to)].into_iter().collect();
        Segment::new(writer, base, top, ops)
    }

    /// The same segment recording the writer's drill-catalog version (backups).
    pub fn with_catalog_version(mut self, version: u32) -> Segment {
        self.catalog_version = version;
        if self
            .encoded
            .as_ref()
            .is_some_and(|b| b.len() < HEADER_LEN + DIGEST_LEN)
        {
            // Not a whole segment (never made so): keep the decoded ops instead.
            self.ops();
            self.encoded = None;
        }
        if let Some(bytes) = &mut self.encoded {
            reseal_with_catalog_version(bytes, version);
        }
        self
    }

    /// The device that wrote the segment.
    pub fn writer(&self) -> Uuid {
        self.writer
    }

    /// Drill-catalog version recorded by the writer (0 = not recorded).
    pub fn catalog_version(&self) -> u32 {
        self.catalog_version
    }

    /// Watermarks the segment starts after.
    pub fn base(&self) -> &VersionVector {
        &self.base
    }

    /// Watermarks the segment is complete up to (and what the writer had seen).
    pub fn top(&self) -> &VersionVector {
        &self.top
    }

    /// The ops, in stamp order (decoded on first use for a segment made from its bytes).
    pub fn ops(&self) -> &[Op] {
        self.ops.get_or_init(|| {
            let mut ops = Vec::new();
            if let Some(bytes) = &self.encoded {
                // The records were checked when they were made or written (a kept
                // checksum), so this cannot fail short of a checksum collision on damaged
                // bytes (odds 2^-32); if it did, the segment would read as empty, never as
                // wrong.
                let decoded = visit_ops(bytes, |op, _| {
                    ops.push(op);
                    Ok::<(), SyncError>(())
                });
                if decoded.is_err() {
                    ops.clear();
                }
            }
            ops
        })
    }

    /// The encoded bytes when the segment was made from them (see [`Segment::ops`]).
    pub(crate) fn encoded(&self) -> Option<&[u8]> {
        self.encoded.as_deref()
    }

    /// Lowest and highest op clock (both zero for an empty segment).
    pub fn hlc_range(&self) -> (Hlc, Hlc) {
        let ops = self.ops();
        let lo = ops.iter().map(|o| o.stamp.hlc).min();
        let hi = ops.iter().map(|o| o.stamp.hlc).max();
        (lo.unwrap_or_default(), hi.unwrap_or_default())
    }
}

/// Sets the header's catalog version in `bytes` (a whole segment) and recomputes the
/// digest.
fn reseal_with_catalog_version(bytes: &mut [u8], version: u32) {
    if let Some(field) = bytes.get_mut(CATALOG_VERSION_AT..CATALOG_VERSION_AT + 4) {
        field.copy_from_slice(&version.to_le_bytes());
    }
    let content_end = bytes.len().saturating_sub(DIGEST_LEN);
    let digest = segment_checksum(&bytes[..content_end]);
    if let Some(trailer) = bytes.get_mut(content_end..) {
        trailer.copy_from_slice(&digest);
    }
}

/// The trailer digest over `header_and_body`. Exposed so tools and fuzzers can build
/// segments whose checksum is right and exercise the body parser.
pub fn segment_checksum(header_and_body: &[u8]) -> [u8; DIGEST_LEN] {
    Sha256::digest(header_and_body).into()
}

/// Appends the correct trailer to `header_and_body` (tools and fuzzers).
pub fn seal_segment(header_and_body: &[u8]) -> Vec<u8> {
    let mut out = header_and_body.to_vec();
    out.extend_from_slice(&segment_checksum(header_and_body));
    out
}

/// Encodes a segment (format v2). A segment made from its bytes gives them back as they are.
pub fn encode_segment(segment: &Segment) -> Vec<u8> {
    if let Some(bytes) = segment.encoded() {
        return bytes.to_vec();
    }
    let ops = segment.ops();
    let head = SegmentHead {
        writer: segment.writer,
        catalog_version: segment.catalog_version,
        base: segment.base.clone(),
        top: segment.top.clone(),
        op_count: ops.len() as u64,
    };
    let mut writer = BodyWriter::new(&head, ops.len() * 160);
    let mut record = Vec::with_capacity(256);
    for op in ops {
        record.clear();
        put_op_record(&mut record, op);
        writer.push(op.stamp, &record);
    }
    writer.finish()
}

/// Writes a v2 segment: the header (completed by [`BodyWriter::finish`]), the watermarks,
/// then one op after the other, straight into the output.
struct BodyWriter {
    out: Vec<u8>,
    devices: Vec<Uuid>,
    prev_wall: u64,
    count: u64,
    range: Option<(Hlc, Hlc)>,
}

impl BodyWriter {
    fn new(head: &SegmentHead, ops_capacity: usize) -> BodyWriter {
        let mut out = Vec::with_capacity(HEADER_LEN + ops_capacity + 128 + DIGEST_LEN);
        out.extend_from_slice(&SEGMENT_MAGIC);
        out.extend_from_slice(&SEGMENT_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(head.writer.as_bytes());
        // Clock range, op count (filled in by `finish`), catalog version, body length.
        out.extend_from_slice(&[0u8; 32]);
        out.extend_from_slice(&head.catalog_version.to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes());
        put_vv(&mut out, &head.base);
        put_vv(&mut out, &head.top);
        BodyWriter {
            out,
            devices: head.top.iter().map(|(d, _)| *d).collect(),
            prev_wall: 0,
            count: 0,
            range: None,
        }
    }

    /// Appends one op: its stamp and its record. Ops must come in stamp order.
    fn push(&mut self, stamp: Stamp, record: &[u8]) {
        let device_index = self.devices.binary_search(&stamp.device).unwrap_or(0);
        put_varint(&mut self.out, device_index as u64);
        put_varint(
            &mut self.out,
            stamp.hlc.wall_ms.saturating_sub(self.prev_wall),
        );
        self.prev_wall = stamp.hlc.wall_ms;
        put_varint(&mut self.out, u64::from(stamp.hlc.counter));
        put_varint(&mut self.out, record.len() as u64);
        self.out.extend_from_slice(record);
        self.count += 1;
        self.range = Some(match self.range {
            None => (stamp.hlc, stamp.hlc),
            Some((lo, hi)) => (lo.min(stamp.hlc), hi.max(stamp.hlc)),
        });
    }

    /// Completes the header (clock range, op count, body length) and appends the digest.
    fn finish(mut self) -> Vec<u8> {
        let (from, to) = self.range.unwrap_or_default();
        let body_len = (self.out.len() - HEADER_LEN) as u64;
        let mut fixed = Vec::with_capacity(32);
        put_hlc_fixed(&mut fixed, from);
        put_hlc_fixed(&mut fixed, to);
        fixed.extend_from_slice(&self.count.to_le_bytes());
        self.out[28..60].copy_from_slice(&fixed);
        self.out[64..72].copy_from_slice(&body_len.to_le_bytes());
        let digest = segment_checksum(&self.out);
        self.out.extend_from_slice(&digest);
        self.out
    }
}

/// Encodes a segment straight from op-log records ([`encode_op_record`]) and their stamps,
/// without decoding their values into JSON trees: each record is checked as the decoder
/// would check it (bounds, UTF-8, canonical form) and copied as it is. The bytes are
/// exactly those [`encode_segment`] gives for the same ops (`head.op_count` is ignored;
/// the records are sorted into stamp order here). A record that does not pass is refused.
pub fn encode_segment_from_records(
    head: &SegmentHead,
    records: &mut [(Stamp, &[u8])],
) -> Result<Vec<u8>, SyncError> {
    // One device's records come in stamp order already (the op-log's key order).
    if !records.is_sorted_by_key(|(stamp, _)| *stamp) {
        records.sort_by_key(|(stamp, _)| *stamp);
    }
    let capacity = records.iter().map(|(_, r)| r.len() + 8).sum();
    let mut writer = BodyWriter::new(head, capacity);
    for (stamp, record) in records.iter() {
        check_op_record(record)?;
        writer.push(*stamp, record);
    }
    Ok(writer.finish())
}

/// The checksum a store keeps beside each op record it wrote after the record passed the
/// checks a v2 segment's decoder makes (ADR 0013 addendum): XXH64 (seed 0) of the record's
/// bytes, its low 32 bits as a signed integer (SQLite stores it in 4 bytes). A record that
/// still gives its checksum is byte for byte the one that was checked; random damage
/// passes unseen with odds of 2^-32, far below what the field-by-field checks miss (a
/// changed letter or digit).
pub fn op_record_checksum(record: &[u8]) -> i64 {
    i64::from(xxhash_rust::xxh64::xxh64(record, 0) as u32 as i32)
}

/// [`op_record_checksum`] of `record` if it passes the checks a v2 segment's decoder makes
/// (what a store keeps beside a record it writes), `None` if it does not.
pub fn checked_op_record_checksum(record: &[u8]) -> Option<i64> {
    check_op_record(record).ok()?;
    Some(op_record_checksum(record))
}

/// Checks a record kept with `checksum`: a record that gives its checksum passed the
/// checks when it was written; any other (no checksum, or bytes changed since) is checked
/// field by field, so the outcome is the checks' own.
#[inline]
fn check_kept_op_record(record: &[u8], checksum: Option<i64>) -> Result<(), SyncError> {
    if checksum.is_some_and(|sum| sum == op_record_checksum(record)) {
        return Ok(());
    }
    check_op_record(record)
}

/// What a [`SegmentEncoder`] reserves for its segment before the first record: a year of
/// history is ≈ 3.4 MB. Reserved, not touched: a large allocation is mapped fresh and its
/// pages are only faulted in as the records are written, so a small segment costs no more
/// memory, and a large one is written without the copies of growing from a small buffer
/// (measured: an export of one year 1.75–1.82× → 1.71–1.75× its floor). What is left
/// unused is given back by [`SegmentEncoder::finish`].
const STREAMED_SEGMENT_RESERVE: usize = 4 << 20;

/// Encodes a segment from op-log records handed over one at a time in stamp order (what
/// [`encode_segment_from_records`] does for records it can sort), so a store can stream
/// them from a query into the segment without gathering them first. Each record is checked
/// as the decoder would check it.
pub struct SegmentEncoder {
    writer: BodyWriter,
    last: Option<Stamp>,
}

impl SegmentEncoder {
    /// Starts a segment with `head`'s writer, catalog version and watermarks
    /// (`head.op_count` is ignored: the ops pushed are counted).
    pub fn new(head: &SegmentHead) -> SegmentEncoder {
        SegmentEncoder {
            writer: BodyWriter::new(head, STREAMED_SEGMENT_RESERVE),
            last: None,
        }
    }

    /// Appends one op's record. Refuses a record that does not pass the checks, and a
    /// stamp below the previous one.
    pub fn push(&mut self, stamp: Stamp, record: &[u8]) -> Result<(), SyncError> {
        self.push_kept(stamp, record, None)
    }

    /// [`SegmentEncoder::push`] for a record a store kept with `checksum`
    /// ([`op_record_checksum`], `None` when it has none): a record whose bytes still give
    /// that checksum is the one that passed the checks when it was written, so it is copied
    /// without walking it again; any other record is checked as by `push`.
    pub fn push_kept(
        &mut self,
        stamp: Stamp,
        record: &[u8],
        checksum: Option<i64>,
    ) -> Result<(), SyncError> {
        if self.last.is_some_and(|last| stamp < last) {
            return Err(SyncError::Invalid("records not in stamp order"));
        }
        check_kept_op_record(record, checksum)?;
        self.last = Some(stamp);
        self.writer.push(stamp, record);
        Ok(())
    }

    /// Ops pushed so far.
    pub fn op_count(&self) -> u64 {
        self.writer.count
    }

    /// The encoded segment (its buffer's unused reserve given back when it is more than
    /// the segment itself).
    pub fn finish(self) -> Vec<u8> {
        let mut out = self.writer.finish();
        if out.capacity() / 2 > out.len() {
            out.shrink_to_fit();
        }
        out
    }
}

/// Checks that `record` is an op record in canonical form, as a v2 segment's decoder
/// requires, without building its values.
fn check_op_record(record: &[u8]) -> Result<(), SyncError> {
    if record.len() > MAX_OP_BYTES {
        return Err(SyncError::Malformed {
            offset: 0,
            reason: "op larger than the op size limit",
        });
    }
    Reader::strict(record, 0).check_record()
}

/// A segment's header and watermarks, without its ops (see [`visit_segment`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentHead {
    /// The device that wrote the segment.
    pub writer: Uuid,
    /// Drill-catalog version of the writer (0 = not recorded).
    pub catalog_version: u32,
    /// The segment holds every op above these watermarks…
    pub base: VersionVector,
    /// …and up to these (also what the writer had seen).
    pub top: VersionVector,
    /// Number of ops.
    pub op_count: u64,
}

/// Decodes and fully validates a segment (format v2 or v1). Never panics; allocation is
/// bounded by the input length whatever the header claims. Errors are typed: truncation,
/// bad magic, unsupported version or flags, checksum mismatch, malformed body.
pub fn decode_segment(bytes: &[u8]) -> Result<Segment, SyncError> {
    let mut ops = Vec::new();
    let head = visit_segment(bytes, |op| {
        ops.push(op);
        Ok::<(), SyncError>(())
    })?;
    Ok(Segment::with_ops(
        head.writer,
        head.catalog_version,
        head.base,
        head.top,
        ops,
    ))
}

/// A segment opened by [`open_segment`]: its head, the body reader positioned at the first
/// op, the format version, the v1 string table (empty in v2) and the header's clock range.
struct OpenSegment<'a> {
    head: SegmentHead,
    body: Reader<'a>,
    version: u16,
    strings: Vec<&'a str>,
    from: Hlc,
    to: Hlc,
}

/// Checks size, magic, version, length, digest and flags, then reads the watermarks (and a
/// v1 string table).
fn open_segment(bytes: &[u8]) -> Result<OpenSegment<'_>, SyncError> {
    let len = bytes.len() as u64;
    if len > MAX_SEGMENT_BYTES {
        return Err(SyncError::TooLarge {
            len,
            max: MAX_SEGMENT_BYTES,
        });
    }
    if bytes.len() < SEGMENT_MAGIC.len() {
        return Err(SyncError::Truncated {
            expected: (HEADER_LEN + DIGEST_LEN) as u64,
            actual: len,
        });
    }
    if bytes[..SEGMENT_MAGIC.len()] != SEGMENT_MAGIC {
        return Err(SyncError::BadMagic);
    }
    let mut header = Reader::new(bytes, 0);
    header.skip(SEGMENT_MAGIC.len())?;
    let version = header.u16_le().map_err(|_| truncated(bytes))?;
    if version != SEGMENT_FORMAT_VERSION && version != SEGMENT_FORMAT_V1 {
        return Err(SyncError::UnsupportedVersion {
            found: version,
            supported: SEGMENT_FORMAT_VERSION,
        });
    }
    if bytes.len() < HEADER_LEN + DIGEST_LEN {
        return Err(truncated(bytes));
    }
    let flags = header.u16_le()?;
    let writer = header.uuid()?;
    let from = header.hlc_fixed()?;
    let to = header.hlc_fixed()?;
    let op_count = header.u64_le()?;
    let catalog_version = header.u32_le()?;
    let body_len = header.u64_le()?;
    let expected = (HEADER_LEN as u64 + DIGEST_LEN as u64).saturating_add(body_len);
    if len < expected {
        return Err(SyncError::Truncated {
            expected,
            actual: len,
        });
    }
    if len > expected {
        return Err(SyncError::TrailingBytes {
            extra: len - expected,
        });
    }
    let content_end = bytes.len() - DIGEST_LEN;
    let (content, trailer) = bytes.split_at(content_end);
    if segment_checksum(content) != trailer {
        return Err(SyncError::ChecksumMismatch);
    }
    if flags != 0 {
        return Err(SyncError::UnsupportedFlags(flags));
    }

    let mut body = Reader::new(content, HEADER_LEN);
    let base = body.vv()?;
    let top = body.vv()?;
    let (strings, min_op_bytes) = if version == SEGMENT_FORMAT_V1 {
        (body.string_table()?, MIN_OP_BYTES_V1)
    } else {
        (Vec::new(), MIN_OP_BYTES_V2)
    };
    if op_count > (body.remaining() / min_op_bytes) as u64 {
        return Err(body.malformed("op count larger than the body can hold"));
    }
    if !base.dominated_by(&top) {
        return Err(SyncError::Malformed {
            offset: HEADER_LEN as u64,
            reason: "base watermark above top watermark",
        });
    }
    let head = SegmentHead {
        writer,
        catalog_version,
        base,
        top,
        op_count,
    };
    Ok(OpenSegment {
        head,
        body,
        version,
        strings,
        from,
        to,
    })
}

/// Reads a segment's head only (digest checked, ops not decoded): enough to decide whether
/// a file is worth importing.
pub fn segment_head(bytes: &[u8]) -> Result<SegmentHead, SyncError> {
    open_segment(bytes).map(|open| open.head)
}

/// Decodes a segment one op at a time, handing each to `visit` as soon as it is read and
/// validated, so a caller can store ops without holding them all in memory (import of a
/// 64 MiB segment stays within a small multiple of its size). The checks are those of
/// [`decode_segment`]; some (the header's clock range, trailing bytes) can only fail after
/// the last op, so a caller must apply what it was handed atomically (one transaction) and
/// drop it on error. An error from `visit` stops decoding and is returned.
pub fn visit_segment<E: From<SyncError>>(
    bytes: &[u8],
    mut visit: impl FnMut(Op) -> Result<(), E>,
) -> Result<SegmentHead, E> {
    visit_ops(bytes, |op, _| visit(op))
}

/// [`visit_segment`] that also hands over each op's record as it is in the segment (v2:
/// exactly [`encode_op_record`] of the op, so a store can keep it without re-encoding;
/// `None` for a v1 segment, which has no records).
pub fn visit_ops<'a, E: From<SyncError>>(
    bytes: &'a [u8],
    mut visit: impl FnMut(Op, Option<&'a [u8]>) -> Result<(), E>,
) -> Result<SegmentHead, E> {
    walk_segment(bytes, true, |walked| match walked {
        Walked::Op(op, record) => visit(op, record),
        // Not asked for: every op comes decoded.
        Walked::Record(..) => Err(SyncError::Invalid("undecoded op").into()),
    })
}

/// One op of a segment as its op-log record ([`encode_op_record`]), its values not decoded
/// ([`visit_records`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OpRecord<'a> {
    pub stamp: Stamp,
    pub entity: EntityKind,
    pub id: Uuid,
    /// The record: borrowed from a v2 segment, encoded from the decoded op of a v1 one.
    pub record: Cow<'a, [u8]>,
}

/// Walks a segment handing over each op as its record without decoding its values (a v2
/// record is checked as the decoder checks it, then borrowed; a v1 op is decoded and
/// encoded as a record). The checks and the all-or-nothing caveat are those of
/// [`visit_segment`].
pub fn visit_records<'a, E: From<SyncError>>(
    bytes: &'a [u8],
    mut visit: impl FnMut(OpRecord<'a>) -> Result<(), E>,
) -> Result<SegmentHead, E> {
    walk_segment(bytes, false, |walked| {
        let record = match walked {
            Walked::Op(op, record) => OpRecord {
                stamp: op.stamp,
                entity: op.entity,
                id: op.id,
                record: match record {
                    Some(record) => Cow::Borrowed(record),
                    None => Cow::Owned(encode_op_record(&op)),
                },
            },
            Walked::Record(stamp, record) => {
                let (entity, id) = record_key(record)?;
                OpRecord {
                    stamp,
                    entity,
                    id,
                    record: Cow::Borrowed(record),
                }
            }
        };
        visit(record)
    })
}

/// The entity kind and id at the start of a checked op record.
fn record_key(record: &[u8]) -> Result<(EntityKind, Uuid), SyncError> {
    let mut r = Reader::new(record, 1);
    let entity = ENTITY_KINDS
        .get(usize::from(r.u8()?))
        .copied()
        .ok_or_else(|| r.malformed("unknown entity kind"))?;
    Ok((entity, r.uuid()?))
}

/// What the body walk hands over for one op.
enum Walked<'a> {
    /// The op decoded, with its record when the segment carries one (v2).
    Op(Op, Option<&'a [u8]>),
    /// A v2 record, checked, not decoded.
    Record(Stamp, &'a [u8]),
}

/// Checks a segment and walks its ops: decoded (`decode`, or a v1 segment, whose ops have
/// no records) or as checked records.
fn walk_segment<'a, E: From<SyncError>>(
    bytes: &'a [u8],
    decode: bool,
    mut visit: impl FnMut(Walked<'a>) -> Result<(), E>,
) -> Result<SegmentHead, E> {
    let OpenSegment {
        head,
        mut body,
        version,
        strings,
        from,
        to,
    } = open_segment(bytes)?;
    let devices: Vec<Uuid> = head.top.iter().map(|(d, _)| *d).collect();
    let (base, top) = (&head.base, &head.top);
    let mut range: Option<(Hlc, Hlc)> = None;
    let mut prev: Option<Stamp> = None;
    let mut wall = 0u64;
    for _ in 0..head.op_count {
        let device_index = body.varint()?;
        let device = usize::try_from(device_index)
            .ok()
            .and_then(|i| devices.get(i).copied())
            .ok_or_else(|| body.malformed("op device not in the top vector"))?;
        let delta = body.varint()?;
        wall = wall
            .checked_add(delta)
            .ok_or_else(|| body.malformed("op clock overflows"))?;
        let counter = u32::try_from(body.varint()?)
            .map_err(|_| body.malformed("op clock counter overflows"))?;
        let stamp = Stamp {
            hlc: Hlc {
                wall_ms: wall,
                counter,
            },
            device,
        };
        if prev.is_some_and(|p| stamp < p) {
            return Err(body.malformed("ops not in stamp order").into());
        }
        prev = Some(stamp);
        if stamp.hlc <= base.get(&device) || stamp.hlc > top.get(&device) {
            return Err(body.malformed("op outside the segment's watermarks").into());
        }
        if stamp.hlc < from || stamp.hlc > to {
            return Err(body.malformed("op outside the header's clock range").into());
        }
        let walked = if version == SEGMENT_FORMAT_V1 {
            Walked::Op(body.v1_op(stamp, &strings)?, None)
        } else if decode {
            let (op, record) = body.v2_op(stamp)?;
            Walked::Op(op, Some(record))
        } else {
            Walked::Record(stamp, body.v2_record()?)
        };
        range = Some(match range {
            None => (stamp.hlc, stamp.hlc),
            Some((lo, hi)) => (lo.min(stamp.hlc), hi.max(stamp.hlc)),
        });
        visit(walked)?;
    }
    if body.remaining() != 0 {
        return Err(body.malformed("bytes after the last op").into());
    }
    if range.unwrap_or_default() != (from, to) {
        return Err(SyncError::Malformed {
            offset: 8 + 2 + 2 + 16,
            reason: "header clock range does not match the ops",
        }
        .into());
    }
    Ok(head)
}

/// Format version of an op-log record ([`encode_op_record`]), its first byte. A JSON op
/// (what the op-log held before schema v4) starts with `{`, never with this byte.
pub const OP_RECORD_VERSION: u8 = 1;

/// The compact form an op is kept in in the store's op-log (one row per op; the stamp lives
/// in the row's own columns) and in a v2 segment: version byte, entity kind, entity id (16
/// bytes), then the action and its payload with every string inline. Decoding it
/// allocates only the op's values: no text parsing, no number formatting.
pub fn encode_op_record(op: &Op) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    put_op_record(&mut out, op);
    out
}

fn put_op_record(out: &mut Vec<u8>, op: &Op) {
    out.push(OP_RECORD_VERSION);
    out.push(kind_index(op.entity));
    out.extend_from_slice(op.id.as_bytes());
    put_action(out, &op.action);
}

/// The bytes a field and its value take inside an op record (a put's field or a set's), to
/// find records by content in SQL (`instr`).
pub fn op_record_field(name: &str, value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    put_str(&mut out, name);
    put_value(&mut out, value);
    out
}

/// Decodes an op-log record written by [`encode_op_record`], giving it `stamp`. Checks the
/// same bounds as a segment's ops (size, values per op, nesting, UTF-8); never panics.
pub fn decode_op_record(bytes: &[u8], stamp: Stamp) -> Result<Op, SyncError> {
    if bytes.len() > MAX_OP_BYTES {
        return Err(SyncError::Malformed {
            offset: 0,
            reason: "op larger than the op size limit",
        });
    }
    let mut r = Reader::new(bytes, 0);
    let op = r.record(stamp)?;
    if r.remaining() != 0 {
        return Err(r.malformed("bytes after the op"));
    }
    Ok(op)
}

/// Deterministic file name: writer, clock range and the first 8 bytes of the digest, so two
/// devices writing into one shared folder never collide and rewriting the same segment
/// produces the same name.
pub fn segment_file_name(writer: Uuid, encoded: &[u8]) -> Result<String, SyncError> {
    let segment_start = encoded
        .get(HEADER_LEN - 44..HEADER_LEN - 20)
        .ok_or(SyncError::Invalid(
            "encoded segment shorter than its header",
        ))?;
    let mut r = Reader::new(segment_start, 0);
    let from = r.hlc_fixed()?;
    let to = r.hlc_fixed()?;
    let digest = encoded
        .len()
        .checked_sub(DIGEST_LEN)
        .and_then(|start| encoded.get(start..start + 8))
        .ok_or(SyncError::Invalid("encoded segment has no trailer"))?;
    let digest_hex = crate::formats::lower_hex(digest);
    Ok(format!(
        "{writer}-{}_{}-{}_{}-{digest_hex}.{SEGMENT_EXTENSION}",
        from.wall_ms, from.counter, to.wall_ms, to.counter
    ))
}

/// Writes `segment` into `dir` crash-safely: a hidden temp file is written and fsynced,
/// renamed to its final `.talseg` name, then the folder is fsynced. A crash at any point
/// leaves either no file or the complete one under the final name (plus, at worst, a temp
/// file that readers ignore). Returns the final path.
pub fn write_segment_file(dir: &Path, segment: &Segment) -> Result<PathBuf, SyncError> {
    write_encoded_segment_file(dir, segment.writer, &encode_segment(segment))
}

/// [`write_segment_file`] for a segment already encoded (by `writer`).
pub fn write_encoded_segment_file(
    dir: &Path,
    writer: Uuid,
    encoded: &[u8],
) -> Result<PathBuf, SyncError> {
    let name = segment_file_name(writer, encoded)?;
    let final_path = dir.join(&name);
    let temp_path = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp_path)?;
        file.write_all(encoded)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp_path, &final_path)?;
        sync_dir(dir)
    })();
    if let Err(e) = result {
        // Best effort: a leftover temp file is harmless (readers skip it), so a failure to
        // remove it must not hide the original error.
        let _ = fs::remove_file(&temp_path);
        return Err(SyncError::Io(e));
    }
    Ok(final_path)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // Directories cannot be opened for fsync on Windows; rename is already durable there.
    Ok(())
}

/// Complete segment files in `dir` (name ends in `.talseg`, not hidden), sorted by name.
/// Temp files and anything else a cloud drive leaves behind are skipped.
pub fn list_segment_files(dir: &Path) -> Result<Vec<PathBuf>, SyncError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let is_segment = !name.starts_with('.')
            && path.extension().and_then(|e| e.to_str()) == Some(SEGMENT_EXTENSION);
        if is_segment && path.is_file() {
            out.push(path);
        }
    }
    crate::order::sort(&mut out);
    Ok(out)
}

/// Reads and decodes one segment file, refusing files above [`MAX_SEGMENT_BYTES`] before
/// reading them.
pub fn read_segment_file(path: &Path) -> Result<Segment, SyncError> {
    let len = fs::metadata(path)?.len();
    if len > MAX_SEGMENT_BYTES {
        return Err(SyncError::TooLarge {
            len,
            max: MAX_SEGMENT_BYTES,
        });
    }
    decode_segment(&fs::read(path)?)
}

/// One file read from a segment folder: its path and what decoding it gave.
pub type SegmentFileRead = (PathBuf, Result<Segment, SyncError>);

/// Reads every complete segment file in `dir`; each file gets its own result, so one
/// corrupt or half-downloaded file is reported without stopping the others.
pub fn read_segment_dir(dir: &Path) -> Result<Vec<SegmentFileRead>, SyncError> {
    Ok(list_segment_files(dir)?
        .into_iter()
        .map(|path| {
            let segment = read_segment_file(&path);
            (path, segment)
        })
        .collect())
}

fn truncated(bytes: &[u8]) -> SyncError {
    SyncError::Truncated {
        expected: (HEADER_LEN + DIGEST_LEN) as u64,
        actual: bytes.len() as u64,
    }
}

fn kind_index(kind: EntityKind) -> u8 {
    ENTITY_KINDS
        .iter()
        .position(|k| *k == kind)
        .map_or(0, |i| i as u8)
}

/// Whether every byte of `bytes[start..end]` (a field name or a short string, under 128
/// bytes) is ASCII, eight bytes at a time: the last word is read whole when `bytes` holds
/// eight bytes from it (the bytes after `end` masked off), byte by byte otherwise. `false`
/// for a range outside `bytes`.
#[inline(always)]
fn ascii_within(bytes: &[u8], start: usize, end: usize) -> bool {
    fn word(bytes: &[u8], at: usize) -> Option<u64> {
        let mut out = [0u8; 8];
        out.copy_from_slice(bytes.get(at..at.checked_add(8)?)?);
        Some(u64::from_le_bytes(out))
    }
    let mut high = 0u64;
    let mut at = start;
    while at + 8 <= end {
        match word(bytes, at) {
            Some(w) => high |= w,
            None => return false,
        }
        at += 8;
    }
    let tail = end.saturating_sub(at);
    if tail > 0 {
        match word(bytes, at) {
            Some(w) => high |= w & (u64::MAX >> (64 - 8 * tail)),
            None => match bytes.get(at..end) {
                Some(rest) => rest.iter().for_each(|b| high |= u64::from(*b)),
                None => return false,
            },
        }
    }
    high & 0x8080_8080_8080_8080 == 0
}

/// Whether `a` sorts strictly before `b` (byte order, as `str` orders), walking the bytes
/// in place: neighbouring keys differ within a few bytes (`session_id`, `set_index`,
/// `side`), where a call to `memcmp` costs more than the walk.
#[inline]
fn ascending(a: &[u8], b: &[u8]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x < y;
        }
    }
    a.len() < b.len()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_hlc_fixed(out: &mut Vec<u8>, hlc: Hlc) {
    out.extend_from_slice(&hlc.wall_ms.to_le_bytes());
    out.extend_from_slice(&hlc.counter.to_le_bytes());
}

fn put_vv(out: &mut Vec<u8>, vv: &VersionVector) {
    put_varint(out, vv.len() as u64);
    for (device, hlc) in vv.iter() {
        out.extend_from_slice(device.as_bytes());
        put_varint(out, hlc.wall_ms);
        put_varint(out, u64::from(hlc.counter));
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_action(out: &mut Vec<u8>, action: &OpAction) {
    match action {
        OpAction::Put { fields } => {
            out.push(ACTION_PUT);
            put_varint(out, fields.len() as u64);
            for (name, value) in fields {
                put_str(out, name);
                put_value(out, value);
            }
        }
        OpAction::Set { field, value } => {
            out.push(ACTION_SET);
            put_str(out, field);
            put_value(out, value);
        }
        OpAction::Delete => out.push(ACTION_DELETE),
    }
}

fn put_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(VALUE_NULL),
        Value::Bool(false) => out.push(VALUE_FALSE),
        Value::Bool(true) => out.push(VALUE_TRUE),
        Value::Number(n) => put_number(out, n),
        Value::String(s) => {
            out.push(VALUE_STR_INLINE);
            put_str(out, s);
        }
        Value::Array(items) => {
            out.push(VALUE_ARRAY);
            put_varint(out, items.len() as u64);
            for item in items {
                put_value(out, item);
            }
        }
        Value::Object(map) => {
            out.push(VALUE_OBJECT);
            put_varint(out, map.len() as u64);
            for (k, v) in map {
                put_str(out, k);
                put_value(out, v);
            }
        }
    }
}

fn put_number(out: &mut Vec<u8>, n: &Number) {
    if let Some(i) = n.as_i64() {
        out.push(VALUE_INT);
        put_varint(out, ((i << 1) ^ (i >> 63)) as u64);
    } else if let Some(u) = n.as_u64() {
        out.push(VALUE_UINT);
        put_varint(out, u);
    } else {
        out.push(VALUE_FLOAT);
        out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
    }
}

/// Bounds-checked cursor; every read returns a typed error instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Where the reader started (a record's first byte inside a segment).
    start: usize,
    /// Refuse anything but the canonical form: varints in their shortest form, field names
    /// and object keys in strictly ascending order (v2 segment records).
    strict: bool,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], pos: usize) -> Reader<'a> {
        Reader {
            bytes,
            pos,
            start: pos,
            strict: false,
        }
    }

    fn strict(bytes: &'a [u8], pos: usize) -> Reader<'a> {
        Reader {
            bytes,
            pos,
            start: pos,
            strict: true,
        }
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn malformed(&self, reason: &'static str) -> SyncError {
        SyncError::Malformed {
            offset: self.pos as u64,
            reason,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], SyncError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| self.malformed("unexpected end of data"))?;
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| self.malformed("unexpected end of data"))?;
        self.pos = end;
        Ok(slice)
    }

    fn skip(&mut self, n: usize) -> Result<(), SyncError> {
        self.take(n).map(|_| ())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], SyncError> {
        let slice = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    #[inline]
    fn u8(&mut self) -> Result<u8, SyncError> {
        match self.bytes.get(self.pos) {
            Some(byte) => {
                self.pos += 1;
                Ok(*byte)
            }
            None => Err(self.malformed("unexpected end of data")),
        }
    }

    fn u16_le(&mut self) -> Result<u16, SyncError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32_le(&mut self) -> Result<u32, SyncError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64_le(&mut self) -> Result<u64, SyncError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn uuid(&mut self) -> Result<Uuid, SyncError> {
        Ok(Uuid::from_bytes(self.array()?))
    }

    fn hlc_fixed(&mut self) -> Result<Hlc, SyncError> {
        Ok(Hlc {
            wall_ms: self.u64_le()?,
            counter: self.u32_le()?,
        })
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, SyncError> {
        // Most varints here (tags' counts, lengths, small numbers) are one byte.
        if let Some(byte) = self.bytes.get(self.pos).filter(|b| **b < 0x80) {
            self.pos += 1;
            return Ok(u64::from(*byte));
        }
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(self.malformed("varint overflows 64 bits"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                if self.strict && byte == 0 && shift > 0 {
                    return Err(self.malformed("varint not in its shortest form"));
                }
                return Ok(value);
            }
        }
        Err(self.malformed("varint too long"))
    }

    /// A count of items that each take at least `min_item_bytes`, checked against what is
    /// left so a forged count cannot drive an allocation.
    fn count(&mut self, min_item_bytes: usize) -> Result<usize, SyncError> {
        let n = self.varint()?;
        // n items of at least `min_item_bytes` fit in what is left (n ≤ left / min, without
        // a division: this runs for every string and container).
        let needed = n.checked_mul(min_item_bytes.max(1) as u64);
        if needed.is_none_or(|needed| needed > self.remaining() as u64) {
            return Err(self.malformed("count larger than the data can hold"));
        }
        usize::try_from(n).map_err(|_| self.malformed("count too large"))
    }

    fn vv(&mut self) -> Result<VersionVector, SyncError> {
        let n = self.count(MIN_VV_ENTRY_BYTES)?;
        let mut vv = VersionVector::new();
        let mut prev: Option<Uuid> = None;
        for _ in 0..n {
            let device = self.uuid()?;
            if prev.is_some_and(|p| device <= p) {
                return Err(self.malformed("version vector not in device order"));
            }
            prev = Some(device);
            let wall_ms = self.varint()?;
            let counter = u32::try_from(self.varint()?)
                .map_err(|_| self.malformed("clock counter overflows"))?;
            let hlc = Hlc { wall_ms, counter };
            if hlc == Hlc::default() {
                return Err(self.malformed("zero watermark stored"));
            }
            vv.advance(device, hlc);
        }
        Ok(vv)
    }

    /// The string table, as slices of the input (16 bytes per entry, no copy).
    fn string_table(&mut self) -> Result<Vec<&'a str>, SyncError> {
        let n = self.count(1)?;
        if n > MAX_STRINGS {
            return Err(self.malformed("string table too large"));
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.str_slice()?);
        }
        Ok(out)
    }

    fn str_slice(&mut self) -> Result<&'a str, SyncError> {
        let len = self.count(1)?;
        if len > MAX_OP_BYTES {
            return Err(self.malformed("string longer than the op size limit"));
        }
        let raw = self.take(len)?;
        std::str::from_utf8(raw).map_err(|_| self.malformed("string is not UTF-8"))
    }

    /// A string's bytes, checked to be UTF-8 (the checking walks, which need no `&str`).
    /// The common case is taken in one step: a length under 128 (a one-byte varint, always
    /// in its shortest form) and ASCII text; anything else goes the general way, which
    /// decides alike (proptested: `a_record_check_takes_what_the_strict_reader_takes`).
    #[inline(always)]
    fn checked_str_bytes(&mut self) -> Result<&'a [u8], SyncError> {
        if let Some(&len) = self.bytes.get(self.pos) {
            if len < 0x80 {
                let start = self.pos + 1;
                let end = start + usize::from(len);
                if end <= self.bytes.len() && ascii_within(self.bytes, start, end) {
                    if let Some(raw) = self.bytes.get(start..end) {
                        self.pos = end;
                        return Ok(raw);
                    }
                }
            }
        }
        self.checked_str_bytes_general()
    }

    /// [`Reader::checked_str_bytes`] for any length and text.
    #[inline(never)]
    fn checked_str_bytes_general(&mut self) -> Result<&'a [u8], SyncError> {
        let len = self.count(1)?;
        if len > MAX_OP_BYTES {
            return Err(self.malformed("string longer than the op size limit"));
        }
        let raw = self.take(len)?;
        if raw.is_ascii() || std::str::from_utf8(raw).is_ok() {
            Ok(raw)
        } else {
            Err(self.malformed("string is not UTF-8"))
        }
    }

    fn inline_str(&mut self) -> Result<String, SyncError> {
        self.str_slice().map(str::to_owned)
    }

    /// A field name or object key: from the table in a v1 segment, inline in an op record
    /// (`strings` is `None`).
    fn key(&mut self, strings: Option<&[&str]>) -> Result<String, SyncError> {
        match strings {
            Some(table) => self.table_str(table),
            None => self.inline_str(),
        }
    }

    fn table_str(&mut self, strings: &[&str]) -> Result<String, SyncError> {
        let i = self.varint()?;
        usize::try_from(i)
            .ok()
            .and_then(|i| strings.get(i))
            .map(|s| (*s).to_owned())
            .ok_or_else(|| self.malformed("string index out of range"))
    }

    /// What the value here is, for an error message (as serde_json names a `Value`).
    fn unexpected(&mut self) -> Result<serde::de::Unexpected<'a>, SyncError> {
        use serde::de::Unexpected;
        Ok(match self.u8()? {
            VALUE_NULL => Unexpected::Unit,
            VALUE_FALSE => Unexpected::Bool(false),
            VALUE_TRUE => Unexpected::Bool(true),
            VALUE_INT => {
                let z = self.varint()?;
                let i = ((z >> 1) as i64) ^ -((z & 1) as i64);
                match u64::try_from(i) {
                    Ok(u) => Unexpected::Unsigned(u),
                    Err(_) => Unexpected::Signed(i),
                }
            }
            VALUE_UINT => Unexpected::Unsigned(self.varint()?),
            VALUE_FLOAT => Unexpected::Float(f64::from_le_bytes(self.array()?)),
            VALUE_STR_INLINE => Unexpected::Str(self.str_slice()?),
            VALUE_ARRAY => Unexpected::Seq,
            VALUE_OBJECT => Unexpected::Map,
            _ => return Err(self.malformed("unknown value tag")),
        })
    }

    /// An op record (version, kind, id, action) with every string inline.
    fn record(&mut self, stamp: Stamp) -> Result<Op, SyncError> {
        if self.u8()? != OP_RECORD_VERSION {
            return Err(self.malformed("unknown op record version"));
        }
        let entity = ENTITY_KINDS
            .get(usize::from(self.u8()?))
            .copied()
            .ok_or_else(|| self.malformed("unknown entity kind"))?;
        let id = self.uuid()?;
        let mut budget = MAX_OP_VALUES;
        let action = self.action(None, &mut budget)?;
        Ok(Op {
            stamp,
            entity,
            id,
            action,
        })
    }

    /// A v1 segment op after its stamp: kind, id, action with strings from the table.
    fn v1_op(&mut self, stamp: Stamp, strings: &[&str]) -> Result<Op, SyncError> {
        let op_start = self.pos;
        let mut budget = MAX_OP_VALUES;
        let entity = ENTITY_KINDS
            .get(usize::from(self.u8()?))
            .copied()
            .ok_or_else(|| self.malformed("unknown entity kind"))?;
        let id = self.uuid()?;
        let action = self.action(Some(strings), &mut budget)?;
        if self.pos - op_start > MAX_OP_BYTES {
            return Err(self.malformed("op larger than the op size limit"));
        }
        Ok(Op {
            stamp,
            entity,
            id,
            action,
        })
    }

    /// A v2 segment op after its stamp: the record's length and the record, which must be
    /// in canonical form. Returns the op and the record's bytes.
    fn v2_op(&mut self, stamp: Stamp) -> Result<(Op, &'a [u8]), SyncError> {
        let mut r = self.v2_record_reader()?;
        let op = r.record(stamp)?;
        if r.remaining() != 0 {
            return Err(r.malformed("bytes after the op"));
        }
        Ok((op, r.bytes.get(r.start..).unwrap_or_default()))
    }

    /// A v2 segment op's record after its stamp, checked as [`Reader::v2_op`] checks it
    /// but not decoded.
    fn v2_record(&mut self) -> Result<&'a [u8], SyncError> {
        let mut r = self.v2_record_reader()?;
        r.check_record()?;
        Ok(r.bytes.get(r.start..).unwrap_or_default())
    }

    /// Checks a whole op record as [`Reader::record`] reads it in strict mode (and that
    /// nothing follows it), without building its values.
    fn check_record(&mut self) -> Result<(), SyncError> {
        if self.u8()? != OP_RECORD_VERSION {
            return Err(self.malformed("unknown op record version"));
        }
        if usize::from(self.u8()?) >= ENTITY_KINDS.len() {
            return Err(self.malformed("unknown entity kind"));
        }
        self.skip(16)?;
        let mut budget = MAX_OP_VALUES;
        self.check_action(&mut budget)?;
        if self.remaining() != 0 {
            return Err(self.malformed("bytes after the op"));
        }
        Ok(())
    }

    /// Reads a v2 op's record length and steps over the record; returns a strict reader
    /// over just the record (offsets still count from the segment's start).
    fn v2_record_reader(&mut self) -> Result<Reader<'a>, SyncError> {
        let len = self.count(1)?;
        if len > MAX_OP_BYTES {
            return Err(self.malformed("op larger than the op size limit"));
        }
        let start = self.pos;
        self.take(len)?;
        let within = self
            .bytes
            .get(..self.pos)
            .ok_or_else(|| self.malformed("unexpected end of data"))?;
        Ok(Reader {
            bytes: within,
            pos: start,
            start,
            strict: true,
        })
    }

    /// Checks an op record's action as [`Reader::action`] reads it in strict mode, without
    /// building its values (see [`check_op_record`]).
    fn check_action(&mut self, budget: &mut usize) -> Result<(), SyncError> {
        match self.u8()? {
            ACTION_PUT => {
                let n = self.count(2)?;
                if n > MAX_VALUE_ELEMENTS {
                    return Err(self.malformed("put has too many fields"));
                }
                let mut prev: Option<&[u8]> = None;
                for _ in 0..n {
                    let name = self.checked_str_bytes()?;
                    if prev.is_some_and(|p| !ascending(p, name)) {
                        return Err(self.malformed("put fields not in ascending order"));
                    }
                    prev = Some(name);
                    self.check_field_value(budget)?;
                }
            }
            ACTION_SET => {
                self.checked_str_bytes()?;
                self.check_value(0, budget)?;
            }
            ACTION_DELETE => {}
            _ => return Err(self.malformed("unknown op action")),
        }
        Ok(())
    }

    /// [`Reader::check_value`] of a put field's value (depth 0), with the scalars most
    /// fields hold (null, booleans, integers, strings) checked in place, without a call.
    #[inline(always)]
    fn check_field_value(&mut self, budget: &mut usize) -> Result<(), SyncError> {
        match self.bytes.get(self.pos) {
            Some(&tag @ (VALUE_NULL | VALUE_FALSE | VALUE_TRUE | VALUE_INT | VALUE_STR_INLINE))
                if *budget > 0 =>
            {
                *budget -= 1;
                self.pos += 1;
                match tag {
                    VALUE_INT => self.varint().map(|_| ()),
                    VALUE_STR_INLINE => self.checked_str_bytes().map(|_| ()),
                    _ => Ok(()),
                }
            }
            _ => self.check_value(0, budget),
        }
    }

    /// Checks one value as [`Reader::value`] reads it in strict mode, without building it.
    fn check_value(&mut self, depth: usize, budget: &mut usize) -> Result<(), SyncError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(self.malformed("value nested too deeply"));
        }
        *budget = budget
            .checked_sub(1)
            .ok_or_else(|| self.malformed("op holds too many values"))?;
        match self.u8()? {
            VALUE_NULL | VALUE_FALSE | VALUE_TRUE => {}
            VALUE_INT => {
                self.varint()?;
            }
            VALUE_UINT => {
                let u = self.varint()?;
                if i64::try_from(u).is_ok() {
                    return Err(self.malformed("small unsigned number not in signed form"));
                }
            }
            VALUE_FLOAT => {
                if !f64::from_le_bytes(self.array()?).is_finite() {
                    return Err(self.malformed("number is not finite"));
                }
            }
            VALUE_STR_INLINE => {
                self.checked_str_bytes()?;
            }
            VALUE_ARRAY => {
                let n = self.count(1)?;
                if n > MAX_VALUE_ELEMENTS || n > *budget {
                    return Err(self.malformed("array has too many elements"));
                }
                for _ in 0..n {
                    self.check_value(depth + 1, budget)?;
                }
            }
            VALUE_OBJECT => {
                let n = self.count(2)?;
                if n > MAX_VALUE_ELEMENTS || n > *budget {
                    return Err(self.malformed("object has too many entries"));
                }
                let mut prev: Option<&[u8]> = None;
                for _ in 0..n {
                    let key = self.checked_str_bytes()?;
                    if prev.is_some_and(|p| !ascending(p, key)) {
                        return Err(self.malformed("object keys not in ascending order"));
                    }
                    prev = Some(key);
                    self.check_value(depth + 1, budget)?;
                }
            }
            // A string-table reference has no table to point into in a record.
            _ => return Err(self.malformed("unknown value tag")),
        }
        Ok(())
    }

    /// In strict mode, refuses `key` unless it sorts after every key already in `map`.
    fn check_key_order(&self, map: &Map<String, Value>, key: &str) -> Result<(), SyncError> {
        if self.strict
            && map
                .keys()
                .next_back()
                .is_some_and(|last| last.as_str() >= key)
        {
            return Err(self.malformed("keys not in ascending order"));
        }
        Ok(())
    }

    /// An op's action and its payload; `budget` as for [`Reader::value`].
    fn action(
        &mut self,
        strings: Option<&[&str]>,
        budget: &mut usize,
    ) -> Result<OpAction, SyncError> {
        Ok(match self.u8()? {
            ACTION_PUT => {
                let n = self.count(2)?;
                if n > MAX_VALUE_ELEMENTS {
                    return Err(self.malformed("put has too many fields"));
                }
                let mut fields = Map::new();
                for _ in 0..n {
                    let name = self.key(strings)?;
                    self.check_key_order(&fields, &name)?;
                    let value = self.value(strings, 0, budget)?;
                    if fields.insert(name, value).is_some() {
                        return Err(self.malformed("duplicate field in put"));
                    }
                }
                OpAction::Put { fields }
            }
            ACTION_SET => {
                let field = self.key(strings)?;
                let value = self.value(strings, 0, budget)?;
                OpAction::Set { field, value }
            }
            ACTION_DELETE => OpAction::Delete,
            _ => return Err(self.malformed("unknown op action")),
        })
    }

    /// One value; `budget` is how many more values the op may hold, checked before any
    /// allocation (ADR 0005: bounds on nesting, elements and values per op).
    fn value(
        &mut self,
        strings: Option<&[&str]>,
        depth: usize,
        budget: &mut usize,
    ) -> Result<Value, SyncError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(self.malformed("value nested too deeply"));
        }
        *budget = budget
            .checked_sub(1)
            .ok_or_else(|| self.malformed("op holds too many values"))?;
        Ok(match self.u8()? {
            VALUE_NULL => Value::Null,
            VALUE_FALSE => Value::Bool(false),
            VALUE_TRUE => Value::Bool(true),
            VALUE_INT => {
                let z = self.varint()?;
                let i = ((z >> 1) as i64) ^ -((z & 1) as i64);
                Value::Number(Number::from(i))
            }
            VALUE_UINT => {
                let u = self.varint()?;
                if i64::try_from(u).is_ok() {
                    return Err(self.malformed("small unsigned number not in signed form"));
                }
                Value::Number(Number::from(u))
            }
            VALUE_FLOAT => {
                let f = f64::from_le_bytes(self.array()?);
                Value::Number(
                    Number::from_f64(f).ok_or_else(|| self.malformed("number is not finite"))?,
                )
            }
            VALUE_STR_INLINE => Value::String(self.inline_str()?),
            VALUE_STR_TABLE => Value::String(self.table_str(strings.unwrap_or_default())?),
            VALUE_ARRAY => {
                let n = self.count(1)?;
                if n > MAX_VALUE_ELEMENTS || n > *budget {
                    return Err(self.malformed("array has too many elements"));
                }
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(strings, depth + 1, budget)?);
                }
                Value::Array(items)
            }
            VALUE_OBJECT => {
                let n = self.count(2)?;
                if n > MAX_VALUE_ELEMENTS || n > *budget {
                    return Err(self.malformed("object has too many entries"));
                }
                let mut map = Map::new();
                for _ in 0..n {
                    let key = self.key(strings)?;
                    self.check_key_order(&map, &key)?;
                    let value = self.value(strings, depth + 1, budget)?;
                    if map.insert(key, value).is_some() {
                        return Err(self.malformed("duplicate key in object"));
                    }
                }
                Value::Object(map)
            }
            _ => return Err(self.malformed("unknown value tag")),
        })
    }
}

/// Deserializes `T` from the fields of a put op's record as if from the JSON object of
/// those fields (`serde_json::from_value(Value::Object(fields))`: the same visitor calls in
/// the same order, so the same result or error), without building that object. Records
/// must have been checked ([`visit_records`]); anything else still fails cleanly.
pub fn deserialize_put_fields<T: serde::de::DeserializeOwned>(
    record: &[u8],
) -> Result<T, serde_json::Error> {
    let mut r = Reader::new(record, 0);
    r.skip(18).map_err(record_error)?;
    if r.u8().map_err(record_error)? != ACTION_PUT {
        return Err(serde::de::Error::custom("not a put record"));
    }
    let n = r.count(2).map_err(record_error)?;
    let value = T::deserialize(PutFields { r: &mut r, n })?;
    if r.remaining() != 0 {
        return Err(serde::de::Error::custom("bytes after the put's fields"));
    }
    Ok(value)
}

/// Deserializes the field `name` of a put op's record as `T` (as a struct with that one
/// field would read it from the JSON object of the fields: a missing field is the same
/// `missing field` error), skipping the other fields without reading them into anything.
pub fn deserialize_put_field<T: serde::de::DeserializeOwned>(
    record: &[u8],
    name: &'static str,
) -> Result<T, serde_json::Error> {
    let mut r = Reader::new(record, 0);
    r.skip(18).map_err(record_error)?;
    if r.u8().map_err(record_error)? != ACTION_PUT {
        return Err(serde::de::Error::custom("not a put record"));
    }
    let n = r.count(2).map_err(record_error)?;
    for _ in 0..n {
        let key = r.str_slice().map_err(record_error)?;
        if key == name {
            return T::deserialize(RecordValue { r: &mut r });
        }
        let mut budget = MAX_OP_VALUES;
        r.check_value(0, &mut budget).map_err(record_error)?;
    }
    Err(serde::de::Error::missing_field(name))
}

/// One field value of a put's record as [`visit_put_record_fields`] hands it over: a
/// scalar as it is stored (an integer in its signed or unsigned form), an array or object
/// only as `Nested` (checked, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PutFieldValue<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'a str),
    Nested,
}

/// Walks the fields of a put op's record in their order, handing each name (as bytes) and
/// value to `field`, without building anything. `None` for a record that is not a put or
/// does not read to its end (never panics).
pub fn visit_put_record_fields<'a>(
    record: &'a [u8],
    mut field: impl FnMut(&'a [u8], PutFieldValue<'a>),
) -> Option<()> {
    let mut r = Reader::new(record, 18);
    if r.u8().ok()? != ACTION_PUT {
        return None;
    }
    let n = r.count(2).ok()?;
    for _ in 0..n {
        let len = r.count(1).ok()?;
        let name = r.take(len).ok()?;
        let at = r.pos;
        let value = match r.u8().ok()? {
            VALUE_NULL => PutFieldValue::Null,
            VALUE_FALSE => PutFieldValue::Bool(false),
            VALUE_TRUE => PutFieldValue::Bool(true),
            VALUE_INT => {
                let z = r.varint().ok()?;
                PutFieldValue::Int(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            VALUE_UINT => PutFieldValue::UInt(r.varint().ok()?),
            VALUE_FLOAT => PutFieldValue::Float(f64::from_le_bytes(r.array().ok()?)),
            VALUE_STR_INLINE => PutFieldValue::Str(r.str_slice().ok()?),
            VALUE_ARRAY | VALUE_OBJECT => {
                r.pos = at;
                let mut budget = MAX_OP_VALUES;
                r.check_value(0, &mut budget).ok()?;
                PutFieldValue::Nested
            }
            _ => return None,
        };
        field(name, value);
    }
    (r.remaining() == 0).then_some(())
}

/// How many fields a put op's record writes (`None` for a set or a delete).
pub fn put_record_fields(record: &[u8]) -> Option<usize> {
    let mut r = Reader::new(record, 18);
    if r.u8().ok()? != ACTION_PUT {
        return None;
    }
    r.varint().ok().and_then(|n| usize::try_from(n).ok())
}

fn record_error(e: SyncError) -> serde_json::Error {
    serde::de::Error::custom(e)
}

/// Drives `visitor` over a map of `n` entries at the reader, then refuses leftovers as
/// serde_json's object deserializer does.
fn visit_record_map<'de, V: serde::de::Visitor<'de>>(
    r: &mut Reader<'de>,
    n: usize,
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    let mut access = RecordMap { r, left: n };
    let value = visitor.visit_map(&mut access)?;
    if access.left == 0 {
        Ok(value)
    } else {
        Err(serde::de::Error::invalid_length(
            n,
            &"fewer elements in map",
        ))
    }
}

/// The top of a put record: its `n` fields, a map with no tag of its own (as a JSON object
/// it deserializes like one).
struct PutFields<'r, 'de> {
    r: &'r mut Reader<'de>,
    n: usize,
}

impl<'de> serde::de::Deserializer<'de> for PutFields<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visit_record_map(self.r, self.n, visitor)
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// A value inside a record, deserialized as serde_json's `Value` deserializer would.
struct RecordValue<'r, 'de> {
    r: &'r mut Reader<'de>,
}

impl RecordValue<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.r.bytes.get(self.r.pos).copied()
    }
}

struct RecordMap<'r, 'de> {
    r: &'r mut Reader<'de>,
    left: usize,
}

impl<'de> serde::de::MapAccess<'de> for RecordMap<'_, 'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.r.str_slice().map_err(record_error)?;
        seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        seed.deserialize(RecordValue { r: self.r })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct RecordSeq<'r, 'de> {
    r: &'r mut Reader<'de>,
    left: usize,
}

impl<'de> serde::de::SeqAccess<'de> for RecordSeq<'_, 'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(RecordValue { r: self.r }).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> serde::de::Deserializer<'de> for RecordValue<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let r = self.r;
        match r.u8().map_err(record_error)? {
            VALUE_NULL => visitor.visit_unit(),
            VALUE_FALSE => visitor.visit_bool(false),
            VALUE_TRUE => visitor.visit_bool(true),
            VALUE_INT => {
                let z = r.varint().map_err(record_error)?;
                let i = ((z >> 1) as i64) ^ -((z & 1) as i64);
                // serde_json keeps a non-negative integer as unsigned.
                match u64::try_from(i) {
                    Ok(u) => visitor.visit_u64(u),
                    Err(_) => visitor.visit_i64(i),
                }
            }
            VALUE_UINT => visitor.visit_u64(r.varint().map_err(record_error)?),
            VALUE_FLOAT => visitor.visit_f64(f64::from_le_bytes(r.array().map_err(record_error)?)),
            VALUE_STR_INLINE => visitor.visit_borrowed_str(r.str_slice().map_err(record_error)?),
            VALUE_ARRAY => {
                let n = r.count(1).map_err(record_error)?;
                let mut access = RecordSeq { r, left: n };
                let value = visitor.visit_seq(&mut access)?;
                if access.left == 0 {
                    Ok(value)
                } else {
                    Err(serde::de::Error::invalid_length(
                        n,
                        &"fewer elements in array",
                    ))
                }
            }
            VALUE_OBJECT => {
                let n = r.count(2).map_err(record_error)?;
                visit_record_map(r, n, visitor)
            }
            _ => Err(serde::de::Error::custom("unknown value tag in op record")),
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if self.peek() == Some(VALUE_NULL) {
            self.r.skip(1).map_err(record_error)?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.peek() {
            Some(VALUE_STR_INLINE) => {
                self.r.skip(1).map_err(record_error)?;
                let variant = self.r.str_slice().map_err(record_error)?;
                visitor.visit_enum(serde::de::value::BorrowedStrDeserializer::new(variant))
            }
            Some(VALUE_OBJECT) => {
                self.r.skip(1).map_err(record_error)?;
                let n = self.r.count(2).map_err(record_error)?;
                if n != 1 {
                    return Err(serde::de::Error::invalid_value(
                        serde::de::Unexpected::Map,
                        &"map with a single key",
                    ));
                }
                visitor.visit_enum(RecordEnum { r: self.r })
            }
            _ => Err(serde::de::Error::invalid_type(
                self.r.unexpected().map_err(record_error)?,
                &"string or map",
            )),
        }
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Only a string is offered to the visitor (a UUID's visitor would also take an
    /// array, which serde_json's `Value` never offers it when asked for a string).
    fn deserialize_str<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if self.peek() == Some(VALUE_STR_INLINE) {
            self.r.skip(1).map_err(record_error)?;
            visitor.visit_borrowed_str(self.r.str_slice().map_err(record_error)?)
        } else {
            Err(serde::de::Error::invalid_type(
                self.r.unexpected().map_err(record_error)?,
                &visitor,
            ))
        }
    }

    fn deserialize_string<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let mut budget = MAX_OP_VALUES;
        self.r.check_value(0, &mut budget).map_err(record_error)?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct
    }
}

/// An enum written as a one-entry object `{variant: value}`.
struct RecordEnum<'r, 'de> {
    r: &'r mut Reader<'de>,
}

impl<'r, 'de> serde::de::EnumAccess<'de> for RecordEnum<'r, 'de> {
    type Error = serde_json::Error;
    type Variant = RecordValue<'r, 'de>;

    fn variant_seed<V: serde::de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let key = self.r.str_slice().map_err(record_error)?;
        let variant = seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(key))?;
        Ok((variant, RecordValue { r: self.r }))
    }
}

impl<'de> serde::de::VariantAccess<'de> for RecordValue<'_, 'de> {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        serde::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::de::Deserializer::deserialize_map(self, visitor)
    }
}

#[cfg(test)]
mod v1_encoder {
    use std::collections::HashMap;

    use super::*;

    /// Strings up to this many bytes were interned in a v1 string table.
    const V1_INTERN_MAX_BYTES: usize = 64;

    /// The v1 encoder as it was (string table, interned strings), to check that this build
    /// still reads what older builds wrote (tests only).
    pub(crate) fn encode_segment_v1(segment: &Segment) -> Vec<u8> {
        #[derive(Default)]
        struct Table {
            list: Vec<String>,
            index: HashMap<String, u64>,
        }
        impl Table {
            fn intern(&mut self, s: &str) -> u64 {
                if let Some(i) = self.index.get(s) {
                    return *i;
                }
                let i = self.list.len() as u64;
                self.list.push(s.to_owned());
                self.index.insert(s.to_owned(), i);
                i
            }
        }
        fn value(out: &mut Vec<u8>, v: &Value, t: &mut Table) {
            match v {
                Value::String(s) if s.len() <= V1_INTERN_MAX_BYTES => {
                    out.push(VALUE_STR_TABLE);
                    put_varint(out, t.intern(s));
                }
                Value::Array(items) => {
                    out.push(VALUE_ARRAY);
                    put_varint(out, items.len() as u64);
                    items.iter().for_each(|i| value(out, i, t));
                }
                Value::Object(map) => {
                    out.push(VALUE_OBJECT);
                    put_varint(out, map.len() as u64);
                    for (k, v) in map {
                        put_varint(out, t.intern(k));
                        value(out, v, t);
                    }
                }
                other => put_value(out, other),
            }
        }
        let mut t = Table::default();
        let mut ops = Vec::new();
        let devices: Vec<Uuid> = segment.top().iter().map(|(d, _)| *d).collect();
        let mut prev_wall = 0;
        for op in segment.ops() {
            let device_index = devices.binary_search(&op.stamp.device).unwrap_or(0);
            put_varint(&mut ops, device_index as u64);
            put_varint(&mut ops, op.stamp.hlc.wall_ms - prev_wall);
            prev_wall = op.stamp.hlc.wall_ms;
            put_varint(&mut ops, u64::from(op.stamp.hlc.counter));
            ops.push(kind_index(op.entity));
            ops.extend_from_slice(op.id.as_bytes());
            match &op.action {
                OpAction::Put { fields } => {
                    ops.push(ACTION_PUT);
                    put_varint(&mut ops, fields.len() as u64);
                    for (k, v) in fields {
                        put_varint(&mut ops, t.intern(k));
                        value(&mut ops, v, &mut t);
                    }
                }
                OpAction::Set { field, value: v } => {
                    ops.push(ACTION_SET);
                    put_varint(&mut ops, t.intern(field));
                    value(&mut ops, v, &mut t);
                }
                OpAction::Delete => ops.push(ACTION_DELETE),
            }
        }
        let mut body = Vec::new();
        put_vv(&mut body, segment.base());
        put_vv(&mut body, segment.top());
        put_varint(&mut body, t.list.len() as u64);
        for s in &t.list {
            put_str(&mut body, s);
        }
        body.extend_from_slice(&ops);
        let (from, to) = segment.hlc_range();
        let mut out = Vec::new();
        out.extend_from_slice(&SEGMENT_MAGIC);
        out.extend_from_slice(&SEGMENT_FORMAT_V1.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(segment.writer().as_bytes());
        put_hlc_fixed(&mut out, from);
        put_hlc_fixed(&mut out, to);
        out.extend_from_slice(&(segment.ops().len() as u64).to_le_bytes());
        out.extend_from_slice(&segment.catalog_version().to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        seal_segment(&out)
    }
}

#[cfg(test)]
pub(crate) use v1_encoder::encode_segment_v1;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn device(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn op(dev: u128, wall_ms: u64, action: OpAction) -> Op {
        Op {
            stamp: Stamp {
                hlc: Hlc {
                    wall_ms,
                    counter: 0,
                },
                device: device(dev),
            },
            entity: EntityKind::CheckIn,
            id: Uuid::from_u128(0xabc),
            action,
        }
    }

    fn sample() -> Segment {
        let fields = json!({"zone": "Europe/Berlin", "pain": {"calf": 2, "ankle": 0},
            "cm": 11.5, "big": u64::MAX, "neg": -3, "flags": ["a", null, true, false],
            "note": "x".repeat(100)});
        let ops = vec![
            op(
                1,
                1_000,
                OpAction::Put {
                    fields: fields.as_object().cloned().unwrap_or_default(),
                },
            ),
            op(
                1,
                1_005,
                OpAction::Set {
                    field: "zone".into(),
                    value: json!("UTC"),
                },
            ),
            op(1, 2_000, OpAction::Delete),
        ];
        Segment::own_ops(device(1), Hlc::default(), ops)
            .unwrap()
            .with_catalog_version(7)
    }

    #[test]
    fn round_trips() {
        let seg = sample();
        let bytes = encode_segment(&seg);
        assert_eq!(decode_segment(&bytes).unwrap(), seg);
    }

    #[test]
    fn header_claiming_huge_op_count_is_rejected_without_allocating() {
        let bytes = encode_segment(&sample());
        let mut forged = bytes[..bytes.len() - DIGEST_LEN].to_vec();
        forged[52..60].copy_from_slice(&(1u64 << 40).to_le_bytes());
        let sealed = seal_segment(&forged);
        assert!(matches!(
            decode_segment(&sealed),
            Err(SyncError::Malformed { .. })
        ));
    }

    #[test]
    fn segment_new_rejects_ops_outside_watermarks() {
        let base: VersionVector = [(device(1), Hlc::default().tick(5))].into_iter().collect();
        let top: VersionVector = [(device(1), Hlc::default().tick(10))].into_iter().collect();
        let early = op(1, 5, OpAction::Delete);
        assert!(Segment::new(device(1), base.clone(), top.clone(), vec![early]).is_err());
        let other_device = op(2, 7, OpAction::Delete);
        assert!(Segment::new(device(1), base, top, vec![other_device]).is_err());
    }

    #[test]
    fn file_name_is_deterministic_and_content_addressed() {
        let bytes = encode_segment(&sample());
        let name = segment_file_name(device(1), &bytes).unwrap();
        assert!(name.starts_with(&format!("{}-1000_0-2000_0-", device(1))));
        assert!(name.ends_with(".talseg"));
        assert_eq!(name, segment_file_name(device(1), &bytes).unwrap());
    }

    #[test]
    fn op_records_round_trip_every_value_kind() {
        for op in sample().ops() {
            let record = encode_op_record(op);
            assert_eq!(record.first(), Some(&OP_RECORD_VERSION));
            assert_eq!(&decode_op_record(&record, op.stamp).unwrap(), op);
        }
    }

    #[test]
    fn damaged_op_records_are_refused_without_panicking() {
        let segment = sample();
        let op = &segment.ops()[0];
        let record = encode_op_record(op);
        // Every truncation, and a byte flipped at every position, either decodes or fails
        // with a typed error.
        for end in 0..record.len() {
            assert!(decode_op_record(&record[..end], op.stamp).is_err(), "{end}");
        }
        for i in 0..record.len() {
            let mut flipped = record.clone();
            flipped[i] ^= 0xff;
            let _ = decode_op_record(&flipped, op.stamp);
        }
        let mut longer = record.clone();
        longer.push(0);
        assert!(decode_op_record(&longer, op.stamp).is_err());
        let json = serde_json::to_vec(op).unwrap();
        assert!(decode_op_record(&json, op.stamp).is_err());
    }

    #[test]
    fn a_field_is_found_inside_its_record() {
        let op = op(
            1,
            5,
            OpAction::Put {
                fields: json!({"session_id": "abc", "n": 1})
                    .as_object()
                    .cloned()
                    .unwrap(),
            },
        );
        let needle = op_record_field("session_id", &json!("abc"));
        let record = encode_op_record(&op);
        assert!(record.windows(needle.len()).any(|w| w == needle));
    }

    #[test]
    fn a_segment_from_records_is_the_encoded_segment() {
        let seg = sample();
        let owned: Vec<(Stamp, Vec<u8>)> = seg
            .ops()
            .iter()
            .rev()
            .map(|op| (op.stamp, encode_op_record(op)))
            .collect();
        let mut records: Vec<(Stamp, &[u8])> =
            owned.iter().map(|(s, r)| (*s, r.as_slice())).collect();
        let head = SegmentHead {
            writer: seg.writer(),
            catalog_version: seg.catalog_version(),
            base: seg.base().clone(),
            top: seg.top().clone(),
            op_count: 0,
        };
        let bytes = encode_segment_from_records(&head, &mut records).unwrap();
        assert_eq!(bytes, encode_segment(&seg));
        // A damaged record is refused, not copied.
        let mut bad = owned[1].1.clone();
        bad.truncate(bad.len() - 1);
        records[1].1 = &bad;
        assert!(encode_segment_from_records(&head, &mut records).is_err());
    }

    #[test]
    fn v1_segments_still_decode_to_the_same_ops() {
        let seg = sample();
        let v1 = encode_segment_v1(&seg);
        assert_eq!(u16::from_le_bytes([v1[8], v1[9]]), SEGMENT_FORMAT_V1);
        assert_eq!(decode_segment(&v1).unwrap(), seg);
        // v1 ops come without records; re-encoding them gives the v2 bytes.
        let mut records = 0;
        visit_ops(&v1, |_, record| {
            records += usize::from(record.is_some());
            Ok::<(), SyncError>(())
        })
        .unwrap();
        assert_eq!(records, 0);
        assert_eq!(
            encode_segment(&decode_segment(&v1).unwrap()),
            encode_segment(&seg)
        );
        // Damaged v1 files are still refused with typed errors.
        for end in 0..v1.len() {
            assert!(decode_segment(&v1[..end]).is_err());
        }
        let content = &v1[..v1.len() - DIGEST_LEN];
        for i in HEADER_LEN..content.len() {
            let mut bad = content.to_vec();
            bad[i] = bad[i].wrapping_add(0x41);
            if let Ok(got) = decode_segment(&seal_segment(&bad)) {
                assert_eq!(decode_segment(&encode_segment(&got)).ok(), Some(got));
            }
        }
    }

    #[test]
    fn v2_ops_carry_the_op_log_records() {
        let seg = sample();
        let bytes = encode_segment(&seg);
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 2);
        let mut seen = Vec::new();
        visit_ops(&bytes, |op, record| {
            seen.push((encode_op_record(&op), record.map(<[u8]>::to_vec)));
            Ok::<(), SyncError>(())
        })
        .unwrap();
        assert_eq!(seen.len(), seg.ops().len());
        for (encoded, record) in seen {
            assert_eq!(Some(encoded), record);
        }
    }

    /// A sealed v2 segment of one op whose record is `record` (not checked).
    fn v2_with_record(record: &[u8]) -> Vec<u8> {
        let stamp = Stamp {
            hlc: Hlc {
                wall_ms: 9,
                counter: 0,
            },
            device: device(1),
        };
        let head = SegmentHead {
            writer: device(1),
            catalog_version: 0,
            base: VersionVector::new(),
            top: [(device(1), stamp.hlc)].into_iter().collect(),
            op_count: 1,
        };
        let mut writer = BodyWriter::new(&head, 64);
        writer.push(stamp, record);
        writer.finish()
    }

    #[test]
    fn v2_records_must_be_canonical() {
        let put = op(
            1,
            9,
            OpAction::Put {
                fields: json!({"a": 1, "b": {"x": 2, "y": 3}})
                    .as_object()
                    .cloned()
                    .unwrap(),
            },
        );
        let good = encode_op_record(&put);
        assert!(decode_segment(&v2_with_record(&good)).is_ok());
        // Keys out of order: version, kind and id as in the good record, then a put of
        // "b" before "a".
        let mut swapped = good[..18].to_vec();
        swapped.push(ACTION_PUT);
        put_varint(&mut swapped, 2);
        for (k, v) in [("b", json!(5)), ("a", json!(1))] {
            put_str(&mut swapped, k);
            put_value(&mut swapped, &v);
        }
        // The same fields decode from a lenient op-log reader…
        assert!(decode_op_record(&swapped, put.stamp).is_ok());
        // …but not from a v2 segment, which takes only canonical records.
        assert!(matches!(
            decode_segment(&v2_with_record(&swapped)),
            Err(SyncError::Malformed { .. })
        ));
        // A varint in a longer form than needed (the int 1 as 0x82 0x00).
        let set = op(
            1,
            9,
            OpAction::Set {
                field: "n".into(),
                value: json!(1),
            },
        );
        let record = encode_op_record(&set);
        assert_eq!(record.last(), Some(&2));
        let mut long = record[..record.len() - 1].to_vec();
        long.extend_from_slice(&[0x82, 0x00]);
        assert!(decode_op_record(&long, set.stamp).is_ok());
        assert!(matches!(
            decode_segment(&v2_with_record(&long)),
            Err(SyncError::Malformed { .. })
        ));
        // The exporter refuses them too.
        for bad in [&swapped, &long] {
            let mut records = vec![(set.stamp, bad.as_slice())];
            let head = SegmentHead {
                writer: device(1),
                catalog_version: 0,
                base: VersionVector::new(),
                top: [(device(1), set.stamp.hlc)].into_iter().collect(),
                op_count: 1,
            };
            assert!(encode_segment_from_records(&head, &mut records).is_err());
        }
    }

    #[test]
    fn a_segment_made_from_its_bytes_is_the_decoded_segment() {
        let seg = sample();
        let bytes = encode_segment(&seg);
        let head = segment_head(&bytes).unwrap();
        let lazy = Segment::from_own_encoding(head, bytes.clone());
        assert_eq!(encode_segment(&lazy), bytes);
        assert_eq!(lazy, seg);
        assert_eq!(lazy.hlc_range(), seg.hlc_range());
        let relabelled = Segment::from_own_encoding(segment_head(&bytes).unwrap(), bytes)
            .with_catalog_version(11);
        assert_eq!(
            encode_segment(&relabelled),
            encode_segment(&seg.clone().with_catalog_version(11))
        );
        assert_eq!(relabelled.catalog_version(), 11);
        assert_eq!(
            decode_segment(&encode_segment(&relabelled)).unwrap(),
            relabelled
        );
    }

    /// Records to damage: the sample's ops and a set-like put with names and strings of
    /// every length class the check treats apart (under and over 8 and 128 bytes, ASCII
    /// and not).
    fn records_to_damage() -> Vec<Vec<u8>> {
        let mut records: Vec<Vec<u8>> = sample().ops().iter().map(encode_op_record).collect();
        let fields = json!({"at": "2025-01-01T07:00:00Z", "drill_id": "knee-to-wall-rocks",
            "hold_s_done": null, "level": 3, "note": "Wadenkrämpfe danach", "pain": 2,
            "reason_code": "x".repeat(130), "session_id": "0192f0c4-aaaa-7bbb-8ccc-0123456789ab",
            "side": "left", "ümlaut_key": "é".repeat(70)});
        records.push(encode_op_record(&op(
            2,
            7,
            OpAction::Put {
                fields: fields.as_object().cloned().unwrap_or_default(),
            },
        )));
        records
    }

    /// `record` with bytes overwritten at `edits` (positions wrapped), cut at `cut` (wrapped)
    /// and `extra` appended: the damage the record-check properties try.
    fn damaged(
        mut record: Vec<u8>,
        edits: &[(usize, u8)],
        cut: Option<usize>,
        extra: &[u8],
    ) -> Vec<u8> {
        for &(at, byte) in edits {
            let len = record.len();
            record[at % len] = byte;
        }
        if let Some(cut) = cut {
            record.truncate(cut % (record.len() + 1));
        }
        record.extend_from_slice(extra);
        record
    }

    /// The checksums stores keep beside their op-log records must mean the same in every
    /// build (a profile written by this one is exported by later ones): XXH64 with seed 0,
    /// its low 32 bits as a signed integer. The values are XXH64's published test vectors.
    #[test]
    fn op_record_checksums_are_xxh64_s_low_32_bits() {
        // XXH64("", 0) = 0xEF46DB3751D8E999; XXH64("a", 0) = 0xD24EC4F1A98C6E5B.
        assert_eq!(op_record_checksum(b""), i64::from(0x51D8_E999_u32 as i32));
        assert_eq!(op_record_checksum(b"a"), i64::from(0xA98C_6E5B_u32 as i32));
        let record = encode_op_record(&sample().ops()[0]);
        assert_eq!(
            checked_op_record_checksum(&record),
            Some(op_record_checksum(&record))
        );
        let mut cut = record.clone();
        cut.pop();
        assert_eq!(checked_op_record_checksum(&cut), None);
    }

    proptest::proptest! {
        /// The record check (export, import) takes exactly the records a v2 segment's
        /// strict decoder takes, however a record is damaged: bytes changed (ASCII or not),
        /// cut short or lengthened.
        #[test]
        fn a_record_check_takes_what_the_strict_reader_takes(
            which in 0usize..4,
            edits in proptest::collection::vec((0usize..400, proptest::prelude::any::<u8>()), 0..4),
            cut in proptest::option::of(0usize..400),
            extra in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3),
        ) {
            let records = records_to_damage();
            let record = damaged(records[which % records.len()].clone(), &edits, cut, &extra);
            let checked = check_op_record(&record).is_ok();
            let segment = v2_with_record(&record);
            proptest::prop_assert_eq!(checked, decode_segment(&segment).is_ok());
            let walked = visit_records(&segment, |_| Ok::<(), SyncError>(())).is_ok();
            proptest::prop_assert_eq!(checked, walked);
        }

        /// A record kept with the checksum of its whole form (what a store writes beside
        /// it) and then damaged in any way is decided by the field-by-field check alone;
        /// the segment is the one `push` makes.
        #[test]
        fn a_damaged_kept_record_is_decided_by_the_checks(
            which in 0usize..4,
            edits in proptest::collection::vec((0usize..400, proptest::prelude::any::<u8>()), 0..4),
            cut in proptest::option::of(0usize..400),
            extra in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3),
        ) {
            let records = records_to_damage();
            let whole = records[which % records.len()].clone();
            let kept = checked_op_record_checksum(&whole);
            proptest::prop_assert!(kept.is_some());
            let record = damaged(whole.clone(), &edits, cut, &extra);
            let checked = check_op_record(&record).is_ok();
            let stamp = Stamp { hlc: Hlc { wall_ms: 5, counter: 0 }, device: device(1) };
            let head = SegmentHead {
                writer: device(1),
                catalog_version: 0,
                base: VersionVector::new(),
                top: [(device(1), stamp.hlc)].into_iter().collect(),
                op_count: 1,
            };
            let mut kept_encoder = SegmentEncoder::new(&head);
            proptest::prop_assert_eq!(kept_encoder.push_kept(stamp, &record, kept).is_ok(), checked);
            let mut encoder = SegmentEncoder::new(&head);
            proptest::prop_assert_eq!(encoder.push(stamp, &record).is_ok(), checked);
            if checked {
                proptest::prop_assert_eq!(kept_encoder.finish(), encoder.finish());
            }
        }

        /// The key order the checks walk is the slices' own order (with shared prefixes
        /// and keys that are prefixes of others, as field names often are).
        #[test]
        fn ascending_is_byte_order(
            prefix in proptest::collection::vec(0u8..4, 0..6),
            a in proptest::collection::vec(0u8..4, 0..4),
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4),
        ) {
            let a = [prefix.as_slice(), &a].concat();
            let b = [prefix.as_slice(), &b].concat();
            proptest::prop_assert_eq!(ascending(&a, &b), a < b);
            proptest::prop_assert_eq!(ascending(&b, &a), b < a);
        }
    }
}
