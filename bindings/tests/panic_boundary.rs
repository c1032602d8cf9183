//! A panic inside an API call is caught at the FFI boundary and reaches Swift/Kotlin as an
//! unexpected error instead of killing the app: every exported function runs in uniffi's
//! `rust_call`, which needs `panic = "unwind"` (Cargo.toml). The unwinding passes through
//! store code on the way out (here an open SQLite transaction and a prepared statement), and
//! the file is left as it was. SQLite's own C code never sits between the panic and the
//! catch (rusqlite catches panics in callbacks before returning to C), which is why the
//! phone builds compile it without unwind tables (scripts/build-android.sh).

use uniffi::{RustCallStatus, RustCallStatusCode};

#[test]
fn a_panic_mid_write_becomes_an_unexpected_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("boundary.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER NOT NULL) STRICT; INSERT INTO t VALUES (1);")
        .unwrap();

    let mut status = RustCallStatus::default();
    let returned: i32 = uniffi::rust_call(
        &mut status,
        std::panic::AssertUnwindSafe(|| {
            let tx = conn.transaction().unwrap();
            tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
            let mut stmt = tx.prepare("SELECT x FROM t ORDER BY x").unwrap();
            let mut rows = stmt.query([]).unwrap();
            let _first = rows.next().unwrap();
            panic!("a bug deep in a write");
        }),
    );

    assert_eq!(
        returned, 0,
        "the FFI default stands in for the missing result"
    );
    assert!(matches!(status.code, RustCallStatusCode::UnexpectedError));
    let message = std::mem::ManuallyDrop::into_inner(status.error_buf).destroy_into_vec();
    assert!(
        String::from_utf8_lossy(&message).contains("a bug deep in a write"),
        "{}",
        String::from_utf8_lossy(&message)
    );

    // The transaction was rolled back on the way out; the connection still works.
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
    drop(conn);
    let reopened = rusqlite::Connection::open(&path).unwrap();
    let rows: Vec<i64> = reopened
        .prepare("SELECT x FROM t")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, vec![1]);
}
