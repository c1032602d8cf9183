//! Schema versions and the step-by-step migrations between them.
//!
//! `user_version` holds the schema version. Version N is built by running every migration
//! from 1 to N in order, all in one IMMEDIATE transaction, so a fresh database and an
//! upgraded one end up with identical schemas (checked by the migration tests against the
//! SQL snapshots in `snapshots/`).

/// The schema version this build writes.
pub const LATEST_VERSION: u32 = 11;

/// The version whose migration re-encodes the op-log's JSON ops as compact records.
pub(super) const COMPACT_OP_LOG_VERSION: u32 = 4;

/// The version that last changed the records of sets (v7 created them, v8 changed their
/// layout): an upgrade from before it derives every session's record
/// (`store::rule_sets::write_all`, in the migration's transaction).
pub(super) const RULE_SETS_VERSION: u32 = 8;

/// The version that adds `op_log.op_checksum`. SQLite has no `ADD COLUMN IF NOT EXISTS`, so
/// `store::migrate` skips the step on a file that has the column already (one whose version
/// was set back by hand, as the upgrade tests do).
pub(super) const OP_CHECKSUM_VERSION: u32 = 11;

/// Migration `i` (0-based) upgrades a database from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11];

const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    json       TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE safety_lock (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    json       TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE drill_progress (
    drill_id   TEXT NOT NULL,
    side       TEXT NOT NULL CHECK (side IN ('left', 'right', 'both')),
    level      INTEGER NOT NULL CHECK (level >= 0),
    changed_ms INTEGER NOT NULL,
    PRIMARY KEY (drill_id, side)
) STRICT, WITHOUT ROWID;

CREATE TABLE session (
    id          TEXT PRIMARY KEY,
    planned_for TEXT NOT NULL,
    zone        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('planned', 'started', 'paused', 'finished', 'abandoned')),
    variant     TEXT NOT NULL,
    started_ms  INTEGER,
    ended_ms    INTEGER,
    snapshot    TEXT,
    CHECK (ended_ms IS NULL OR started_ms IS NULL OR ended_ms >= started_ms)
) STRICT, WITHOUT ROWID;

CREATE TABLE set_log (
    id            TEXT NOT NULL,
    session_id    TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    drill_id      TEXT NOT NULL,
    side          TEXT CHECK (side IN ('left', 'right')),
    set_index     INTEGER NOT NULL,
    level         INTEGER NOT NULL,
    target_reps   INTEGER,
    reps_done     INTEGER,
    target_hold_s INTEGER,
    hold_s_done   INTEGER,
    pain          INTEGER CHECK (pain BETWEEN 0 AND 10),
    stopped       INTEGER NOT NULL,
    skipped       INTEGER NOT NULL,
    reason_code   TEXT,
    note          TEXT,
    at_ms         INTEGER NOT NULL,
    PRIMARY KEY (session_id, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX set_log_id ON set_log(id);

CREATE TABLE checkin (
    id             TEXT PRIMARY KEY,
    at_ms          INTEGER NOT NULL,
    zone           TEXT NOT NULL,
    local_date     TEXT NOT NULL,
    pain_calf      INTEGER NOT NULL CHECK (pain_calf BETWEEN 0 AND 10),
    pain_achilles  INTEGER NOT NULL CHECK (pain_achilles BETWEEN 0 AND 10),
    pain_ankle     INTEGER NOT NULL CHECK (pain_ankle BETWEEN 0 AND 10),
    stiff_calf     INTEGER NOT NULL CHECK (stiff_calf BETWEEN 0 AND 10),
    stiff_achilles INTEGER NOT NULL CHECK (stiff_achilles BETWEEN 0 AND 10),
    stiff_ankle    INTEGER NOT NULL CHECK (stiff_ankle BETWEEN 0 AND 10),
    red_flags_yes  TEXT NOT NULL,
    run_id         TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE run (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    start_ms    INTEGER NOT NULL,
    end_ms      INTEGER NOT NULL CHECK (end_ms >= start_ms),
    zone        TEXT NOT NULL,
    distance_m  REAL NOT NULL CHECK (distance_m >= 0),
    tags        TEXT NOT NULL,
    UNIQUE (source, external_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE rom_measurement (
    id    TEXT PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    zone  TEXT NOT NULL,
    side  TEXT NOT NULL CHECK (side IN ('left', 'right')),
    cm    REAL NOT NULL CHECK (cm >= 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE op_log (
    device      TEXT NOT NULL,
    hlc_wall_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    PRIMARY KEY (device, hlc_wall_ms, hlc_counter)
) STRICT, WITHOUT ROWID;
"#;

/// v2: the indexes behind the history queries, and reminder state.
const V2: &str = r#"
CREATE INDEX session_planned_for ON session(planned_for);
CREATE INDEX set_log_drill_at ON set_log(drill_id, at_ms);
CREATE INDEX checkin_at ON checkin(at_ms);
CREATE INDEX run_start ON run(start_ms);
CREATE INDEX rom_side_at ON rom_measurement(side, at_ms);
CREATE INDEX op_log_entity ON op_log(entity, entity_id);

CREATE TABLE reminder_state (
    id         TEXT PRIMARY KEY,
    fire_ms    INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('scheduled', 'delivered', 'acknowledged')),
    updated_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
"#;

/// v3: how a session ended (finished, stopped early, ended for pain or for a red flag).
const V3: &str = r#"
ALTER TABLE session ADD COLUMN outcome TEXT
    CHECK (outcome IN ('finished', 'stopped_early', 'ended_for_pain', 'ended_for_red_flag'));
"#;

/// v4: the op-log keeps each op in its compact binary record (`sync::encode_op_record`)
/// instead of JSON text, so export, merge and repair decode without parsing text. The table
/// is rebuilt with a BLOB column (a STRICT column's type cannot change); the rows are copied
/// as they are, and `store::migrate` then re-encodes every JSON op in the same transaction.
const V4: &str = r#"
CREATE TABLE op_log_v4 (
    device      TEXT NOT NULL,
    hlc_wall_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    op          BLOB NOT NULL,
    PRIMARY KEY (device, hlc_wall_ms, hlc_counter)
) STRICT, WITHOUT ROWID;
INSERT INTO op_log_v4(device, hlc_wall_ms, hlc_counter, entity, entity_id, op)
    SELECT device, hlc_wall_ms, hlc_counter, entity, entity_id, CAST(op AS BLOB) FROM op_log;
DROP TABLE op_log;
ALTER TABLE op_log_v4 RENAME TO op_log;
CREATE INDEX op_log_entity ON op_log(entity, entity_id);
"#;

/// v5: the pain question's "just a stretch, no pain" answer, kept apart from pain.
const V5: &str = r#"
ALTER TABLE set_log ADD COLUMN stretch INTEGER NOT NULL DEFAULT 0 CHECK (stretch IN (0, 1));
"#;

/// v6: no index on a set's id alone (ADR 0016). Every read finds sets by session (the
/// primary key) or by drill and time (`set_log_drill_at`); the writes that named a set by
/// id alone name its session too. One b-tree less to write per set: an import of a year
/// writes ~10 % fewer pages.
const V6: &str = r#"
DROP INDEX IF EXISTS set_log_id;
"#;

/// v7: each session's sets as the day's rules read them, in one derived record per session
/// (ADR 0020), so a cold start reads a few short blobs instead of a row per set. `set_log`
/// stays the truth; `store::migrate` fills the records in the same transaction. `IF NOT
/// EXISTS`: the step may run again on a file whose version was set back by hand (the
/// upgrade tests do that), and refills every record either way.
const V7: &str = r#"
CREATE TABLE IF NOT EXISTS session_rule_sets (
    session_id TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
    record     BLOB NOT NULL
) STRICT, WITHOUT ROWID;
"#;

/// v8: the records of sets gain a head (per drill and side, the latest non-skipped instant;
/// `store::migrate` rewrites every record), and `run_start` covers every column the
/// history reads of a run, so a window's runs are read from the index alone. A run's key
/// is a hash of its source and external id (`run_id`), so without it each run of the
/// window was a look-up on its own page of `run`: 24 of the 59 pages a cold start read on
/// a 10-year profile.
const V8: &str = r#"
DROP INDEX IF EXISTS run_start;
CREATE INDEX run_start ON run(start_ms, id, source, external_id, end_ms, zone, distance_m, tags);
"#;

/// v9: `checkin_at` and `rom_side_at` cover the columns the history reads, as `run_start`
/// does since v8: a window's check-ins and knee-to-wall results come from the index alone,
/// without a look-up of each row by its id (≈ 35 of each on a cold start).
const V9: &str = r#"
DROP INDEX IF EXISTS checkin_at;
CREATE INDEX checkin_at ON checkin(at_ms, id, zone, pain_calf, pain_achilles, pain_ankle,
    stiff_calf, stiff_achilles, stiff_ankle, red_flags_yes, run_id);
DROP INDEX IF EXISTS rom_side_at;
CREATE INDEX rom_side_at ON rom_measurement(side, at_ms, id, zone, cm);
"#;

/// v10: `set_log` without its foreign key to `session` (ADR 0021). The key cost every set
/// written a look-up of its session's row; the invariant it kept (every set row's session
/// row exists) is kept by the writers: a set is written only under a session row present
/// in the same transaction (the import checks each, the local writes write or find the
/// session first), and deleting a session deletes its sets in the same statement batch.
/// SQLite cannot drop a constraint, so the table is rebuilt with the same columns, checks,
/// key and index; the rows are copied as they are. Dropping the old table deletes only
/// child rows, which no key refers to, so no cascade runs.
const V10: &str = r#"
CREATE TABLE set_log_v10 (
    id            TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    drill_id      TEXT NOT NULL,
    side          TEXT CHECK (side IN ('left', 'right')),
    set_index     INTEGER NOT NULL,
    level         INTEGER NOT NULL,
    target_reps   INTEGER,
    reps_done     INTEGER,
    target_hold_s INTEGER,
    hold_s_done   INTEGER,
    pain          INTEGER CHECK (pain BETWEEN 0 AND 10),
    stopped       INTEGER NOT NULL,
    skipped       INTEGER NOT NULL,
    reason_code   TEXT,
    note          TEXT,
    at_ms         INTEGER NOT NULL,
    stretch       INTEGER NOT NULL DEFAULT 0 CHECK (stretch IN (0, 1)),
    PRIMARY KEY (session_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO set_log_v10(id, session_id, drill_id, side, set_index, level, target_reps,
    reps_done, target_hold_s, hold_s_done, pain, stopped, skipped, reason_code, note, at_ms,
    stretch)
    SELECT id, session_id, drill_id, side, set_index, level, target_reps, reps_done,
        target_hold_s, hold_s_done, pain, stopped, skipped, reason_code, note, at_ms, stretch
    FROM set_log;
DROP TABLE set_log;
ALTER TABLE set_log_v10 RENAME TO set_log;
CREATE INDEX set_log_drill_at ON set_log(drill_id, at_ms);
"#;

/// v11: beside each op-log record, the checksum of the record as this store wrote it after
/// checking it (`sync::op_record_checksum`, ADR 0013 addendum), so an export copies a
/// record that still gives its checksum without walking it again. Rows written before
/// v11 (and any row written by something else) have none and are checked field by field
/// as before. Adding a column rewrites no row: the upgrade is instant, in the migration's
/// one transaction.
const V11: &str = r#"
ALTER TABLE op_log ADD COLUMN op_checksum INTEGER;
"#;
