//! Segment format v1: the append-only, versioned, checksummed file devices exchange, and
//! its crash-safe writing to a (shared) folder.
//!
//! Layout (all integers little-endian; `varint` is unsigned LEB128):
//!
//! ```text
//! header (72 bytes)
//!   magic            8   b"TALUSSEG"
//!   format version   2   1
//!   flags            2   0 (no flag is defined in v1)
//!   writer device   16   UUID bytes
//!   hlc from        12   wall_ms u64, counter u32 (lowest op clock; zero when no op)
//!   hlc to          12   highest op clock
//!   op count         8
//!   catalog version  4   drill catalog version of the writer (0 = not recorded)
//!   body length      8
//! body
//!   base vector      varint n, n × (device 16, wall varint, counter varint)
//!   top vector       same; the segment holds every op o with base[o.dev] < o.hlc ≤ top[o.dev]
//!   string table     varint n, n × (varint len, UTF-8)
//!   ops              op count × (device index varint into top, wall delta varint,
//!                    counter varint, entity kind u8, entity id 16, action u8, payload)
//! trailer
//!   SHA-256 of header and body (32 bytes)
//! ```
//!
//! Field names and short strings (zones, drill ids) go through the string table; values are
//! a tagged binary form of JSON. Decoding checks size, magic and version first, then the
//! digest, then parses the body without ever trusting a count for an allocation.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::op::{EntityKind, Hlc, Op, OpAction, Stamp};
use super::vv::VersionVector;
use super::SyncError;

/// First eight bytes of every segment.
pub const SEGMENT_MAGIC: [u8; 8] = *b"TALUSSEG";
/// The format version this build writes and reads.
pub const SEGMENT_FORMAT_VERSION: u16 = 1;
/// File extension of complete segment files; anything else in a folder is ignored.
pub const SEGMENT_EXTENSION: &str = "talseg";
/// Largest segment accepted: a decade of one runner's history is a few MB, and the cap
/// bounds the decoded tree (at most ~32 bytes of memory per input byte).
pub const MAX_SEGMENT_BYTES: u64 = 64 * 1024 * 1024;

const HEADER_LEN: usize = 72;
const DIGEST_LEN: usize = 32;
/// Strings up to this many bytes are interned in the string table.
const INTERN_MAX_BYTES: usize = 64;
/// Deepest nesting of arrays/objects inside a value.
const MAX_VALUE_DEPTH: usize = 16;
/// Most elements in one array or object (a record has a few dozen fields).
pub const MAX_VALUE_ELEMENTS: usize = 1024;
/// Most JSON values (every null, number, string, array and object counts) in one op, so a
/// crafted op (millions of nulls, one byte each) cannot turn a few MB into GBs of memory.
pub const MAX_OP_VALUES: usize = 4096;
/// Most entries in a segment's string table (every short value is interned, so a decade of
/// history interns a few hundred thousand ids, instants, names and zones; 16 bytes each).
pub const MAX_STRINGS: usize = 1 << 22;
/// Largest encoded op (a record with a 2000-character note is a few KB).
pub const MAX_OP_BYTES: usize = 64 * 1024;
/// Smallest encoded op: device, wall, counter (1 each), kind 1, id 16, action 1.
const MIN_OP_BYTES: usize = 21;
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
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    writer: Uuid,
    catalog_version: u32,
    base: VersionVector,
    top: VersionVector,
    ops: Vec<Op>,
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
        ops.sort_by_key(|op| op.stamp);
        Ok(Segment {
            writer,
            catalog_version: 0,
            base,
            top,
            ops,
        })
    }

    /// Builds a segment whose invariants the caller guarantees (the replica's own exports).
    pub(crate) fn trusted(
        writer: Uuid,
        base: VersionVector,
        top: VersionVector,
        mut ops: Vec<Op>,
    ) -> Segment {
        ops.sort_by_key(|op| op.stamp);
        Segment {
            writer,
            catalog_version: 0,
            base,
            top,
            ops,
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

    /// The ops, in stamp order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// Lowest and highest op clock (both zero for an empty segment).
    pub fn hlc_range(&self) -> (Hlc, Hlc) {
        match (self.ops.first(), self.ops.last()) {
            (Some(first), Some(last)) => (
                self.ops
                    .iter()
                    .map(|o| o.stamp.hlc)
                    .min()
                    .unwrap_or(first.stamp.hlc),
                self.ops
                    .iter()
                    .map(|o| o.stamp.hlc)
                    .max()
                    .unwrap_or(last.stamp.hlc),
            ),
            _ => (Hlc::default(), Hlc::default()),
        }
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

/// Encodes a segment in format v1.
pub fn encode_segment(segment: &Segment) -> Vec<u8> {
    let mut strings = StringTable::default();
    let mut ops_buf = Vec::with_capacity(segment.ops.len() * 48);
    let devices: Vec<Uuid> = segment.top.iter().map(|(d, _)| *d).collect();
    let mut prev_wall = 0u64;
    for op in &segment.ops {
        put_op_head(&mut ops_buf, &devices, &mut prev_wall, op.stamp);
        ops_buf.push(kind_index(op.entity));
        ops_buf.extend_from_slice(op.id.as_bytes());
        put_action(&mut ops_buf, &op.action, &mut strings);
    }
    let list: Vec<&str> = strings.list.iter().map(String::as_str).collect();
    let head = SegmentHead {
        writer: segment.writer,
        catalog_version: segment.catalog_version,
        base: segment.base.clone(),
        top: segment.top.clone(),
        op_count: segment.ops.len() as u64,
    };
    assemble(&head, segment.hlc_range(), &list, strings.bytes, &ops_buf)
}

/// An op's device index, clock delta and counter (the start of every op in a body).
fn put_op_head(out: &mut Vec<u8>, devices: &[Uuid], prev_wall: &mut u64, stamp: Stamp) {
    let device_index = devices.binary_search(&stamp.device).unwrap_or(0);
    put_varint(out, device_index as u64);
    put_varint(out, stamp.hlc.wall_ms.saturating_sub(*prev_wall));
    *prev_wall = stamp.hlc.wall_ms;
    put_varint(out, u64::from(stamp.hlc.counter));
}

/// Header, body (watermarks, string table, ops) and digest.
fn assemble(
    head: &SegmentHead,
    (from, to): (Hlc, Hlc),
    strings: &[&str],
    string_bytes: usize,
    ops_buf: &[u8],
) -> Vec<u8> {
    let mut body = Vec::with_capacity(ops_buf.len() + string_bytes + 64);
    put_vv(&mut body, &head.base);
    put_vv(&mut body, &head.top);
    put_varint(&mut body, strings.len() as u64);
    for s in strings {
        put_varint(&mut body, s.len() as u64);
        body.extend_from_slice(s.as_bytes());
    }
    body.extend_from_slice(ops_buf);

    let mut out = Vec::with_capacity(HEADER_LEN + body.len() + DIGEST_LEN);
    out.extend_from_slice(&SEGMENT_MAGIC);
    out.extend_from_slice(&SEGMENT_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(head.writer.as_bytes());
    put_hlc_fixed(&mut out, from);
    put_hlc_fixed(&mut out, to);
    out.extend_from_slice(&head.op_count.to_le_bytes());
    out.extend_from_slice(&head.catalog_version.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    let digest = segment_checksum(&out);
    out.extend_from_slice(&digest);
    out
}

/// Encodes a segment straight from op-log records ([`encode_op_record`]) and their stamps,
/// without decoding their values into JSON trees: the records are walked and copied, field
/// names and short strings moved into the string table. The bytes are exactly those
/// [`encode_segment`] gives for the same ops (`head.op_count` is ignored; the records are
/// sorted into stamp order here). A record that does not decode is refused.
pub fn encode_segment_from_records(
    head: &SegmentHead,
    records: &mut [(Stamp, &[u8])],
) -> Result<Vec<u8>, SyncError> {
    records.sort_by_key(|(stamp, _)| *stamp);
    let devices: Vec<Uuid> = head.top.iter().map(|(d, _)| *d).collect();
    let mut strings = BorrowedStrings::default();
    let mut ops_buf = Vec::with_capacity(records.iter().map(|(_, r)| r.len()).sum());
    let mut prev_wall = 0u64;
    let mut range: Option<(Hlc, Hlc)> = None;
    for (stamp, record) in records.iter() {
        if record.len() > MAX_OP_BYTES {
            return Err(SyncError::Malformed {
                offset: 0,
                reason: "op larger than the op size limit",
            });
        }
        put_op_head(&mut ops_buf, &devices, &mut prev_wall, *stamp);
        let mut r = Reader::new(record, 0);
        if r.u8()? != OP_RECORD_VERSION {
            return Err(r.malformed("unknown op record version"));
        }
        let kind = r.u8()?;
        if usize::from(kind) >= ENTITY_KINDS.len() {
            return Err(r.malformed("unknown entity kind"));
        }
        ops_buf.push(kind);
        ops_buf.extend_from_slice(r.take(16)?);
        let mut budget = MAX_OP_VALUES;
        r.copy_action(&mut ops_buf, &mut strings, &mut budget)?;
        if r.remaining() != 0 {
            return Err(r.malformed("bytes after the op"));
        }
        range = Some(match range {
            None => (stamp.hlc, stamp.hlc),
            Some((lo, hi)) => (lo.min(stamp.hlc), hi.max(stamp.hlc)),
        });
    }
    let head = SegmentHead {
        op_count: records.len() as u64,
        ..head.clone()
    };
    Ok(assemble(
        &head,
        range.unwrap_or_default(),
        &strings.list,
        strings.bytes,
        &ops_buf,
    ))
}

/// The string table of [`encode_segment_from_records`], borrowing from the records.
#[derive(Default)]
struct BorrowedStrings<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, u64, foldhash::fast::RandomState>,
    bytes: usize,
}

impl<'a> BorrowedStrings<'a> {
    fn intern(&mut self, s: &'a str) -> u64 {
        let next = self.list.len() as u64;
        let i = *self.index.entry(s).or_insert(next);
        if i == next {
            self.list.push(s);
            self.bytes += s.len() + 2;
        }
        i
    }
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

/// Decodes and fully validates a segment. Never panics; allocation is bounded by the input
/// length whatever the header claims. Errors are typed: truncation, bad magic, unsupported
/// version or flags, checksum mismatch, malformed body.
pub fn decode_segment(bytes: &[u8]) -> Result<Segment, SyncError> {
    let mut ops = Vec::new();
    let head = visit_segment(bytes, |op| {
        ops.push(op);
        Ok::<(), SyncError>(())
    })?;
    Ok(Segment {
        writer: head.writer,
        catalog_version: head.catalog_version,
        base: head.base,
        top: head.top,
        ops,
    })
}

/// Checks size, magic, version, length, digest and flags, then reads the watermarks and the
/// string table; returns the head, the body reader positioned at the first op, the string
/// table and the header's clock range.
fn open_segment(bytes: &[u8]) -> Result<(SegmentHead, Reader<'_>, Vec<&str>, Hlc, Hlc), SyncError> {
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
    if version != SEGMENT_FORMAT_VERSION {
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
    let strings = body.string_table()?;
    if op_count > (body.remaining() / MIN_OP_BYTES) as u64 {
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
    Ok((head, body, strings, from, to))
}

/// Reads a segment's head only (digest checked, ops not decoded): enough to decide whether
/// a file is worth importing.
pub fn segment_head(bytes: &[u8]) -> Result<SegmentHead, SyncError> {
    open_segment(bytes).map(|(head, ..)| head)
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
    let (head, mut body, strings, from, to) = open_segment(bytes)?;
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
        let op_start = body.pos;
        let mut budget = MAX_OP_VALUES;
        let kind_byte = body.u8()?;
        let entity = ENTITY_KINDS
            .get(usize::from(kind_byte))
            .copied()
            .ok_or_else(|| body.malformed("unknown entity kind"))?;
        let id = body.uuid()?;
        let action = body.action(Some(&strings), &mut budget)?;
        if body.pos - op_start > MAX_OP_BYTES {
            return Err(body.malformed("op larger than the op size limit").into());
        }
        range = Some(match range {
            None => (stamp.hlc, stamp.hlc),
            Some((lo, hi)) => (lo.min(stamp.hlc), hi.max(stamp.hlc)),
        });
        visit(Op {
            stamp,
            entity,
            id,
            action,
        })?;
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
/// in the row's own columns): version byte, entity kind, entity id (16 bytes), then the
/// action and its payload exactly as in a segment body, with every string inline (a record
/// stands alone, so there is no string table). Decoding it allocates only the op's values:
/// no text parsing, no number formatting.
pub fn encode_op_record(op: &Op) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    out.push(OP_RECORD_VERSION);
    out.push(kind_index(op.entity));
    out.extend_from_slice(op.id.as_bytes());
    let mut strings = StringTable {
        inline: true,
        ..StringTable::default()
    };
    put_action(&mut out, &op.action, &mut strings);
    out
}

/// The bytes a field and its value take inside an op record (a put's field or a set's), to
/// find records by content in SQL (`instr`).
pub fn op_record_field(name: &str, value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let mut strings = StringTable {
        inline: true,
        ..StringTable::default()
    };
    strings.put_key(&mut out, name);
    put_value(&mut out, value, &mut strings);
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
    if r.u8()? != OP_RECORD_VERSION {
        return Err(r.malformed("unknown op record version"));
    }
    let entity = ENTITY_KINDS
        .get(usize::from(r.u8()?))
        .copied()
        .ok_or_else(|| r.malformed("unknown entity kind"))?;
    let id = r.uuid()?;
    let mut budget = MAX_OP_VALUES;
    let action = r.action(None, &mut budget)?;
    if r.remaining() != 0 {
        return Err(r.malformed("bytes after the op"));
    }
    Ok(Op {
        stamp,
        entity,
        id,
        action,
    })
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
    let digest_hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
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
    out.sort();
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

#[derive(Default)]
struct StringTable {
    list: Vec<String>,
    index: HashMap<String, u64, foldhash::fast::RandomState>,
    bytes: usize,
    /// Write every string inline and keep no table (an op-log record stands alone).
    inline: bool,
}

impl StringTable {
    /// A field name or object key: its index in the table, or inline in an op record.
    fn put_key(&mut self, out: &mut Vec<u8>, key: &str) {
        if self.inline {
            put_varint(out, key.len() as u64);
            out.extend_from_slice(key.as_bytes());
        } else {
            put_varint(out, self.intern(key));
        }
    }

    fn intern(&mut self, s: &str) -> u64 {
        if let Some(i) = self.index.get(s) {
            return *i;
        }
        let i = self.list.len() as u64;
        self.list.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        self.bytes += s.len() + 2;
        i
    }
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

fn put_action(out: &mut Vec<u8>, action: &OpAction, strings: &mut StringTable) {
    match action {
        OpAction::Put { fields } => {
            out.push(ACTION_PUT);
            put_varint(out, fields.len() as u64);
            for (name, value) in fields {
                strings.put_key(out, name);
                put_value(out, value, strings);
            }
        }
        OpAction::Set { field, value } => {
            out.push(ACTION_SET);
            strings.put_key(out, field);
            put_value(out, value, strings);
        }
        OpAction::Delete => out.push(ACTION_DELETE),
    }
}

fn put_value(out: &mut Vec<u8>, value: &Value, strings: &mut StringTable) {
    match value {
        Value::Null => out.push(VALUE_NULL),
        Value::Bool(false) => out.push(VALUE_FALSE),
        Value::Bool(true) => out.push(VALUE_TRUE),
        Value::Number(n) => {
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
        Value::String(s) if !strings.inline && s.len() <= INTERN_MAX_BYTES => {
            out.push(VALUE_STR_TABLE);
            put_varint(out, strings.intern(s));
        }
        Value::String(s) => {
            out.push(VALUE_STR_INLINE);
            put_varint(out, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            out.push(VALUE_ARRAY);
            put_varint(out, items.len() as u64);
            for item in items {
                put_value(out, item, strings);
            }
        }
        Value::Object(map) => {
            out.push(VALUE_OBJECT);
            put_varint(out, map.len() as u64);
            for (k, v) in map {
                strings.put_key(out, k);
                put_value(out, v, strings);
            }
        }
    }
}

/// Bounds-checked cursor; every read returns a typed error instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], pos: usize) -> Reader<'a> {
        Reader { bytes, pos }
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

    fn u8(&mut self) -> Result<u8, SyncError> {
        Ok(self.array::<1>()?[0])
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

    fn varint(&mut self) -> Result<u64, SyncError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(self.malformed("varint overflows 64 bits"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.malformed("varint too long"))
    }

    /// A count of items that each take at least `min_item_bytes`, checked against what is
    /// left so a forged count cannot drive an allocation.
    fn count(&mut self, min_item_bytes: usize) -> Result<usize, SyncError> {
        let n = self.varint()?;
        let max = (self.remaining() / min_item_bytes.max(1)) as u64;
        if n > max {
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

    fn inline_str(&mut self) -> Result<String, SyncError> {
        self.str_slice().map(str::to_owned)
    }

    /// A field name or object key: from the table in a segment, inline in an op record
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

    /// Copies an op record's action into a segment body (see
    /// [`encode_segment_from_records`]), checking it as [`Reader::action`] does.
    fn copy_action(
        &mut self,
        out: &mut Vec<u8>,
        strings: &mut BorrowedStrings<'a>,
        budget: &mut usize,
    ) -> Result<(), SyncError> {
        let action = self.u8()?;
        out.push(action);
        match action {
            ACTION_PUT => {
                let n = self.count(2)?;
                if n > MAX_VALUE_ELEMENTS {
                    return Err(self.malformed("put has too many fields"));
                }
                put_varint(out, n as u64);
                let mut prev: Option<&str> = None;
                for _ in 0..n {
                    let name = self.str_slice()?;
                    // Records are written from sorted maps; a repeat is a damaged record.
                    if prev.is_some_and(|p| p >= name) {
                        return Err(self.malformed("duplicate field in put"));
                    }
                    prev = Some(name);
                    put_varint(out, strings.intern(name));
                    self.copy_value(out, strings, 0, budget)?;
                }
            }
            ACTION_SET => {
                let name = self.str_slice()?;
                put_varint(out, strings.intern(name));
                self.copy_value(out, strings, 0, budget)?;
            }
            ACTION_DELETE => {}
            _ => return Err(self.malformed("unknown op action")),
        }
        Ok(())
    }

    /// Copies one value of an op record into a segment body, interning what
    /// [`encode_segment`] interns.
    fn copy_value(
        &mut self,
        out: &mut Vec<u8>,
        strings: &mut BorrowedStrings<'a>,
        depth: usize,
        budget: &mut usize,
    ) -> Result<(), SyncError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(self.malformed("value nested too deeply"));
        }
        *budget = budget
            .checked_sub(1)
            .ok_or_else(|| self.malformed("op holds too many values"))?;
        let tag = self.u8()?;
        match tag {
            VALUE_NULL | VALUE_FALSE | VALUE_TRUE => out.push(tag),
            VALUE_INT => {
                out.push(tag);
                put_varint(out, self.varint()?);
            }
            VALUE_UINT => {
                let u = self.varint()?;
                if i64::try_from(u).is_ok() {
                    return Err(self.malformed("small unsigned number not in signed form"));
                }
                out.push(tag);
                put_varint(out, u);
            }
            VALUE_FLOAT => {
                let bytes: [u8; 8] = self.array()?;
                if !f64::from_le_bytes(bytes).is_finite() {
                    return Err(self.malformed("number is not finite"));
                }
                out.push(tag);
                out.extend_from_slice(&bytes);
            }
            VALUE_STR_INLINE => {
                let s = self.str_slice()?;
                if s.len() <= INTERN_MAX_BYTES {
                    out.push(VALUE_STR_TABLE);
                    put_varint(out, strings.intern(s));
                } else {
                    out.push(VALUE_STR_INLINE);
                    put_varint(out, s.len() as u64);
                    out.extend_from_slice(s.as_bytes());
                }
            }
            VALUE_ARRAY => {
                let n = self.count(1)?;
                if n > MAX_VALUE_ELEMENTS || n > *budget {
                    return Err(self.malformed("array has too many elements"));
                }
                out.push(tag);
                put_varint(out, n as u64);
                for _ in 0..n {
                    self.copy_value(out, strings, depth + 1, budget)?;
                }
            }
            VALUE_OBJECT => {
                let n = self.count(2)?;
                if n > MAX_VALUE_ELEMENTS || n > *budget {
                    return Err(self.malformed("object has too many entries"));
                }
                out.push(tag);
                put_varint(out, n as u64);
                let mut prev: Option<&str> = None;
                for _ in 0..n {
                    let key = self.str_slice()?;
                    if prev.is_some_and(|p| p >= key) {
                        return Err(self.malformed("duplicate key in object"));
                    }
                    prev = Some(key);
                    put_varint(out, strings.intern(key));
                    self.copy_value(out, strings, depth + 1, budget)?;
                }
            }
            _ => return Err(self.malformed("unknown value tag")),
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
}
