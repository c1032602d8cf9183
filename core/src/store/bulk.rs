//! Multi-row `INSERT`s whose values are bound without copying them (ADR 0029), for the
//! import's batches of op-log and set rows and the derived records of new sessions.
//!
//! rusqlite binds every text and blob with `SQLITE_TRANSIENT`: SQLite frees the value bound
//! before, allocates a buffer and copies the value into it, for each of the ≈ 100,000 texts
//! and blobs a year's import binds (≈ 6 % of its instructions). A [`BulkInsert`] binds
//! borrowed values with `SQLITE_STATIC` instead, and only inside [`BulkInsert::run`], which
//! steps the statement, resets it and clears its bindings before it returns: SQLite never
//! holds a pointer past the borrow. This is the store's only `unsafe` code; everything
//! else goes through rusqlite.

use std::ffi::{c_int, c_void, CStr};
use std::ptr::NonNull;

use rusqlite::{ffi, Connection};

/// One value for a parameter of a [`BulkInsert`], borrowed for one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Bound<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl From<Option<i64>> for Bound<'_> {
    fn from(value: Option<i64>) -> Self {
        value.map_or(Bound::Null, Bound::Int)
    }
}

impl<'a> From<Option<&'a str>> for Bound<'a> {
    fn from(value: Option<&'a str>) -> Self {
        value.map_or(Bound::Null, Bound::Text)
    }
}

/// A prepared `INSERT` on `conn`, finalized when dropped.
pub(super) struct BulkInsert<'conn> {
    conn: &'conn Connection,
    stmt: NonNull<ffi::sqlite3_stmt>,
    params: usize,
}

impl<'conn> BulkInsert<'conn> {
    /// Prepares `sql` (one statement, no results) on `conn`.
    pub(super) fn new(conn: &'conn Connection, sql: &str) -> rusqlite::Result<Self> {
        let len = c_int::try_from(sql.len()).map_err(|_| rusqlite::Error::InvalidQuery)?;
        let mut stmt = std::ptr::null_mut();
        let mut tail = std::ptr::null();
        // SAFETY: `conn` is open for as long as it is borrowed; SQLite reads `len` bytes of
        // `sql` (no terminator needed) and writes the statement pointer and the tail.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                conn.handle(),
                sql.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT as _,
                &mut stmt,
                &mut tail,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(error(conn, rc));
        }
        let Some(stmt) = NonNull::new(stmt) else {
            // Only whitespace or a comment: nothing to run.
            return Err(rusqlite::Error::InvalidQuery);
        };
        let mut insert = BulkInsert {
            conn,
            stmt,
            params: 0,
        };
        // What SQLite did not read: `tail` points into `sql` (at its end when it read it
        // all; `sql` has no terminator, so it is never read through).
        let read = if tail.is_null() {
            sql.len()
        } else {
            (tail as usize).wrapping_sub(sql.as_ptr() as usize)
        };
        if sql.get(read..).is_some_and(|rest| !rest.trim().is_empty()) {
            return Err(rusqlite::Error::MultipleStatement);
        }
        // SAFETY: `stmt` is a live statement of this connection (finalized by `drop`).
        let (params, readonly) = unsafe {
            (
                ffi::sqlite3_bind_parameter_count(insert.stmt.as_ptr()),
                ffi::sqlite3_stmt_readonly(insert.stmt.as_ptr()) != 0,
            )
        };
        if readonly {
            return Err(rusqlite::Error::ExecuteReturnedResults);
        }
        insert.params = usize::try_from(params).unwrap_or(0);
        Ok(insert)
    }

    /// Binds `values` to the parameters in order (borrowed, not copied), runs the
    /// statement once, then resets it and clears its bindings; the rows it changed.
    pub(super) fn run(&mut self, values: &[Bound<'_>]) -> rusqlite::Result<usize> {
        if values.len() != self.params {
            return Err(rusqlite::Error::InvalidParameterCount(
                values.len(),
                self.params,
            ));
        }
        let result = self.bind_and_step(values);
        // SAFETY: a live statement; after these two calls SQLite holds no pointer to
        // `values` (a reset statement keeps its bindings, clearing them drops them).
        unsafe {
            ffi::sqlite3_reset(self.stmt.as_ptr());
            ffi::sqlite3_clear_bindings(self.stmt.as_ptr());
        }
        result
    }

    fn bind_and_step(&mut self, values: &[Bound<'_>]) -> rusqlite::Result<usize> {
        let stmt = self.stmt.as_ptr();
        for (i, value) in values.iter().enumerate() {
            // Parameters are numbered from 1; `i < params`, which fits a `c_int`.
            let n = (i + 1) as c_int;
            // SAFETY: a live statement and a parameter number in range. Texts and blobs
            // are bound `SQLITE_STATIC`: they stay borrowed until `run` has reset the
            // statement and cleared its bindings. An empty one is bound from a static.
            let rc = unsafe {
                match *value {
                    Bound::Null => ffi::sqlite3_bind_null(stmt, n),
                    Bound::Int(v) => ffi::sqlite3_bind_int64(stmt, n, v),
                    Bound::Text(s) => {
                        let s = if s.is_empty() { "" } else { s };
                        ffi::sqlite3_bind_text(
                            stmt,
                            n,
                            s.as_ptr().cast(),
                            length(s.len())?,
                            ffi::SQLITE_STATIC(),
                        )
                    }
                    Bound::Blob([]) => ffi::sqlite3_bind_zeroblob(stmt, n, 0),
                    Bound::Blob(b) => ffi::sqlite3_bind_blob(
                        stmt,
                        n,
                        b.as_ptr().cast::<c_void>(),
                        length(b.len())?,
                        ffi::SQLITE_STATIC(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(error(self.conn, rc));
            }
        }
        // SAFETY: a live statement with every parameter bound to live values.
        match unsafe { ffi::sqlite3_step(stmt) } {
            ffi::SQLITE_DONE => Ok(usize::try_from(self.conn.changes()).unwrap_or(usize::MAX)),
            ffi::SQLITE_ROW => Err(rusqlite::Error::ExecuteReturnedResults),
            rc => Err(error(self.conn, rc)),
        }
    }
}

impl Drop for BulkInsert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is live and finalized only here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// A text's or blob's length as SQLite takes it.
fn length(len: usize) -> rusqlite::Result<c_int> {
    c_int::try_from(len)
        .map_err(|_| rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_TOOBIG), None))
}

/// The connection's error for result code `rc`, as rusqlite reports it (extended code and
/// message), so callers match on it as on any rusqlite error.
fn error(conn: &Connection, rc: c_int) -> rusqlite::Error {
    // SAFETY: `conn` is open; `sqlite3_errmsg` returns a terminated string owned by SQLite,
    // valid until the next call on the connection, copied here at once.
    let (code, message) = unsafe {
        let db = conn.handle();
        let code = ffi::sqlite3_extended_errcode(db);
        let message = ffi::sqlite3_errmsg(db);
        let message =
            (!message.is_null()).then(|| CStr::from_ptr(message).to_string_lossy().into_owned());
        (code, message)
    };
    // The step's own code when the connection holds none (e.g. a misuse).
    let code = if code == ffi::SQLITE_OK { rc } else { code };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, b BLOB, CHECK (n >= 0)) STRICT",
        )
        .unwrap();
        conn
    }

    #[test]
    fn values_are_stored_as_rusqlite_stores_them() {
        let conn = conn();
        let mut insert =
            BulkInsert::new(&conn, "INSERT INTO t(k, n, b) VALUES (?, ?, ?), (?, ?, ?)").unwrap();
        let (k1, k2) = (String::from("a"), String::from("bé"));
        let blob = vec![0u8, 1, 2];
        let n = insert
            .run(&[
                Bound::Text(&k1),
                Bound::Int(7),
                Bound::Blob(&blob),
                Bound::Text(&k2),
                Bound::Null,
                Bound::Blob(&[]),
            ])
            .unwrap();
        assert_eq!(n, 2);
        // The borrowed buffers may go: nothing refers to them any more.
        drop((k1, k2, blob));
        let rows: Vec<(String, Option<i64>, Vec<u8>)> = conn
            .prepare("SELECT k, n, b FROM t ORDER BY k")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                ("a".into(), Some(7), vec![0, 1, 2]),
                ("bé".into(), None, vec![])
            ]
        );
        let typeof_empty: String = conn
            .query_row("SELECT typeof(b) FROM t WHERE k = 'bé'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(typeof_empty, "blob");
    }

    #[test]
    fn a_refused_row_reports_rusqlite_s_error_and_the_statement_runs_again() {
        let conn = conn();
        let mut insert =
            BulkInsert::new(&conn, "INSERT INTO t(k, n) VALUES (?, ?), (?, ?)").unwrap();
        let err = insert
            .run(&[
                Bound::Text("a"),
                Bound::Int(1),
                Bound::Text("b"),
                Bound::Int(-1),
            ])
            .unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation)
        );
        assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
        // The statement's rows are all or nothing (no row of the refused run is kept).
        let count = |conn: &Connection| -> i64 {
            conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(&conn), 0);
        let err = insert
            .run(&[
                Bound::Text("a"),
                Bound::Int(1),
                Bound::Text("a"),
                Bound::Int(2),
            ])
            .unwrap_err();
        assert!(
            err.to_string().contains("UNIQUE constraint failed"),
            "{err}"
        );
        assert_eq!(count(&conn), 0);
        insert
            .run(&[
                Bound::Text("a"),
                Bound::Int(1),
                Bound::Text("b"),
                Bound::Int(2),
            ])
            .unwrap();
        assert_eq!(count(&conn), 2);
    }

    #[test]
    fn a_wrong_number_of_values_or_a_statement_that_is_not_one_insert_is_refused() {
        let conn = conn();
        let mut insert = BulkInsert::new(&conn, "INSERT INTO t(k) VALUES (?)").unwrap();
        assert!(matches!(
            insert.run(&[]),
            Err(rusqlite::Error::InvalidParameterCount(0, 1))
        ));
        assert!(insert.run(&[Bound::Text("x"), Bound::Null]).is_err());
        assert!(BulkInsert::new(&conn, "SELECT 1").is_err());
        assert!(BulkInsert::new(&conn, "INSERT INTO t(k) VALUES ('y'); SELECT 1").is_err());
        assert!(BulkInsert::new(&conn, "INSERT INTO nowhere VALUES (1)").is_err());
        assert!(BulkInsert::new(&conn, "  ").is_err());
    }
}
