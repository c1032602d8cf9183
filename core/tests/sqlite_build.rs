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
