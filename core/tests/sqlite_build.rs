//! The bundled SQLite is built with the options in `.cargo/config.toml` (`LIBSQLITE3_FLAGS`):
//! the features Talus does not use are left out to keep the phone library small (issue 21),
//! and the ones it relies on stay in. Tests run the same SQLite the phones ship, so this
//! checks that the options reached the build and that nothing the store needs went with them.

use rusqlite::Connection;

fn compile_options(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("PRAGMA compile_options").unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn unused_sqlite_features_are_left_out_and_the_needed_ones_kept() {
    let conn = Connection::open_in_memory().unwrap();
    let options = compile_options(&conn);
    let has = |name: &str| {
        options
            .iter()
            .any(|o| o == name || o.starts_with(&format!("{name}=")))
    };
    for gone in [
        "ENABLE_FTS3",
        "ENABLE_FTS5",
        "ENABLE_RTREE",
        "ENABLE_DBSTAT_VTAB",
        "ENABLE_STAT4",
        "SOUNDEX",
        "ENABLE_COLUMN_METADATA",
        "ENABLE_LOAD_EXTENSION",
    ] {
        assert!(!has(gone), "{gone} is still compiled in: {options:?}");
    }
    for kept in [
        "OMIT_JSON",
        "OMIT_LOAD_EXTENSION",
        "OMIT_SHARED_CACHE",
        "DEFAULT_MEMSTATUS=0",
        "ENABLE_API_ARMOR",
        "DEFAULT_FOREIGN_KEYS",
        "THREADSAFE=1",
    ] {
        assert!(
            options.iter().any(|o| o == kept),
            "{kept} is missing: {options:?}"
        );
    }
}

#[test]
fn left_out_features_fail_cleanly_and_the_store_features_work() {
    let conn = Connection::open_in_memory().unwrap();
    let err = conn
        .query_row("SELECT json('{}')", [], |r| r.get::<_, String>(0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no such function"), "{err}");
    let err = conn
        .execute_batch("CREATE VIRTUAL TABLE t USING fts5(x)")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no such module"), "{err}");

    // What the store relies on: STRICT and WITHOUT ROWID tables, foreign keys with cascades,
    // ALTER TABLE, WAL-compatible pragmas and the integrity checks.
    conn.execute_batch(
        "CREATE TABLE p (id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
         CREATE TABLE c (id TEXT PRIMARY KEY, p TEXT NOT NULL REFERENCES p(id) ON DELETE CASCADE)
             STRICT, WITHOUT ROWID;
         ALTER TABLE c ADD COLUMN n INTEGER NOT NULL DEFAULT 0;
         INSERT INTO p VALUES ('a');
         INSERT INTO c(id, p) VALUES ('x', 'a');
         DELETE FROM p;",
    )
    .unwrap();
    let left: i64 = conn
        .query_row("SELECT COUNT(*) FROM c", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "foreign keys are on by default and cascade");
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

/// The options added in issue 21's third round (BENCHMARKS.md "Size"): each is in the build,
/// and what it removes is really gone while the store's own use of SQLite is unchanged.
/// (`SQLITE_OMIT_TRACE`, `SQLITE_OMIT_GENERATED_COLUMNS` and
/// `SQLITE_OMIT_CASE_SENSITIVE_LIKE_PRAGMA` are set too, but SQLite does not list them among
/// its compile options.)
#[test]
fn date_functions_auto_vacuum_and_other_unused_apis_are_left_out() {
    let conn = Connection::open_in_memory().unwrap();
    let options = compile_options(&conn);
    for kept in [
        "OMIT_DATETIME_FUNCS",
        "OMIT_AUTOVACUUM",
        "OMIT_DESERIALIZE",
        "OMIT_AUTHORIZATION",
        "OMIT_UTF16",
        "OMIT_INCRBLOB",
        "OMIT_INTROSPECTION_PRAGMAS",
        "UNTESTABLE",
        "OMIT_SCHEMA_PRAGMAS",
        "OMIT_XFER_OPT",
        "OMIT_AUTOINCREMENT",
        "MAX_MMAP_SIZE=0",
    ] {
        assert!(
            options.iter().any(|o| o == kept),
            "{kept} is missing: {options:?}"
        );
    }
    assert!(
        !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
        "{options:?}"
    );
    // No table of the store uses AUTOINCREMENT or generated columns; asking for a generated
    // column is a clean error.
    let err = conn
        .execute_batch("CREATE TABLE g (a INTEGER, b INTEGER AS (a + 1))")
        .unwrap_err()
        .to_string();
    assert!(err.contains("generated columns not supported"), "{err}");
    // The store keeps instants as integers and does calendar work in Rust; SQL's date
    // functions are gone.
    for sql in ["SELECT date('now')", "SELECT strftime('%s', 'now')"] {
        let err = conn
            .query_row(sql, [], |r| r.get::<_, String>(0))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no such function"), "{sql}: {err}");
    }
    // An unknown pragma is a no-op in SQLite: the introspection and schema pragmas now list
    // nothing.
    conn.execute_batch("CREATE TABLE s (id INTEGER PRIMARY KEY)")
        .unwrap();
    for pragma in ["PRAGMA function_list", "PRAGMA table_info(s)"] {
        let mut listed = conn.prepare(pragma).unwrap();
        let rows = listed.query_map([], |_| Ok(())).unwrap().count();
        assert_eq!(rows, 0, "{pragma}");
    }

    // A profile is created without auto-vacuum, and asking for it changes nothing: the
    // file stays writable and passes the integrity check.
    let dir = tempfile::tempdir().unwrap();
    let file = Connection::open(dir.path().join("p.db")).unwrap();
    file.execute_batch(
        "PRAGMA auto_vacuum = FULL;
         PRAGMA journal_mode = WAL;
         CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL) STRICT;
         INSERT INTO t (v) VALUES (zeroblob(10000)), (x'00ff');
         DELETE FROM t WHERE id = 1;",
    )
    .unwrap();
    // Memory-mapped I/O cannot be turned on.
    let mmap: i64 = file
        .query_row("PRAGMA mmap_size = 1048576", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mmap, 0);
    // The pragma itself is gone (an unknown pragma returns nothing).
    let mut pragma = file.prepare("PRAGMA auto_vacuum").unwrap();
    assert_eq!(pragma.query_map([], |_| Ok(())).unwrap().count(), 0);
    drop(pragma);
    let check: String = file
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let plan: String = file
        .query_row("EXPLAIN QUERY PLAN SELECT v FROM t WHERE id = 2", [], |r| {
            r.get(3)
        })
        .unwrap();
    assert!(plan.contains("INTEGER PRIMARY KEY"), "{plan}");
    drop(file);
    // Header bytes 52..56 hold the largest root page for auto-vacuum, 0 without it.
    let header = std::fs::read(dir.path().join("p.db")).unwrap();
    assert_eq!(&header[52..56], &[0, 0, 0, 0]);
}

/// Session 8: the query planner's automatic indexes are compiled out
/// (`SQLITE_OMIT_AUTOMATIC_INDEX`, −2.5 KB). No query of the store's chose one (each was
/// checked with `EXPLAIN QUERY PLAN`; BENCHMARKS.md "Size"), so their plans are unchanged;
/// the pragma that would turn them on is gone with them.
#[test]
fn automatic_indexes_are_left_out() {
    let conn = Connection::open_in_memory().unwrap();
    let options = compile_options(&conn);
    assert!(
        options.iter().any(|o| o == "OMIT_AUTOMATIC_INDEX"),
        "{options:?}"
    );
    let mut stmt = conn.prepare("PRAGMA automatic_index").unwrap();
    assert!(stmt.query([]).unwrap().next().unwrap().is_none());
    // A join with no index on its inner table scans it instead of indexing it on the fly.
    conn.execute_batch("CREATE TABLE a(x); CREATE TABLE b(y);")
        .unwrap();
    let mut stmt = conn
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM a JOIN b ON b.y = a.x")
        .unwrap();
    let plan: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!plan.join(" ").contains("AUTOMATIC"), "{plan:?}");
}

/// Session 11: the parser itself leaves out views, ANALYZE, REINDEX, window functions, common
/// table expressions and compound SELECTs (ADR 0031: vendor/libsqlite3-sys, regenerated by
/// scripts/vendor-sqlite.sh with the options also given to lemon). No SQL of the project uses
/// them; each is now a syntax error, while what the store's SQL relies on still parses and runs
/// (scalar and IN subqueries, upserts, CAST, ALTER TABLE with CHECK, cascades, EXPLAIN QUERY PLAN).
#[test]
fn the_parser_leaves_out_views_analyze_reindex_window_functions_ctes_and_compounds() {
    let conn = Connection::open_in_memory().unwrap();
    let version: String = conn
        .query_row("SELECT sqlite_version()", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version, "3.53.4",
        "scripts/vendor-sqlite.sh pins the version"
    );
    let options = compile_options(&conn);
    // SQLite does not list SQLITE_OMIT_WINDOWFUNC or _COMPOUND_SELECT among its compile
    // options; the syntax errors below show them.
    for kept in ["OMIT_VIEW", "OMIT_ANALYZE", "OMIT_REINDEX", "OMIT_CTE"] {
        assert!(
            options.iter().any(|o| o == kept),
            "{kept} is missing: {options:?}"
        );
    }
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
        .unwrap();
    for sql in [
        "CREATE VIEW w AS SELECT v FROM t",
        "ANALYZE",
        "REINDEX",
        "SELECT v, row_number() OVER (ORDER BY v) FROM t",
        "WITH c AS (SELECT v FROM t) SELECT v FROM c",
        "SELECT v FROM t UNION ALL SELECT 1",
    ] {
        let err = conn.execute_batch(sql).unwrap_err().to_string();
        assert!(err.contains("syntax error"), "{sql}: {err}");
    }
    conn.execute_batch(
        "CREATE TABLE p (id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
         CREATE TABLE c (id TEXT PRIMARY KEY, p TEXT NOT NULL REFERENCES p(id) ON DELETE CASCADE)
             STRICT, WITHOUT ROWID;
         INSERT INTO p VALUES ('a'), ('b');
         INSERT INTO c(id, p) VALUES ('x', 'a'), ('y', 'b');
         ALTER TABLE c ADD COLUMN n INTEGER NOT NULL DEFAULT 0 CHECK (n IN (0, 1));
         INSERT INTO t(id, v) VALUES (1, 5) ON CONFLICT(id) DO UPDATE SET v = excluded.v;
         INSERT INTO t(id, v) VALUES (1, 6) ON CONFLICT(id) DO UPDATE SET v = excluded.v;
         DELETE FROM p WHERE id = 'a';",
    )
    .unwrap();
    let (children, v): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM c WHERE p IN (SELECT id FROM p)),
                    MAX(COALESCE((SELECT CAST(v AS INTEGER) FROM t), 0), 0)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((children, v), (1, 6));
    let err = conn
        .execute_batch("UPDATE c SET n = 2")
        .unwrap_err()
        .to_string();
    assert!(err.contains("CHECK constraint failed"), "{err}");
}
