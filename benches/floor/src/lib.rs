//! The size floor: one uniffi export that opens a SQLite file and runs `SELECT 1`, so the
//! linker keeps uniffi's runtime and SQLite exactly as a real app would.

uniffi::setup_scaffolding!();

/// Opens `path` and returns the result of `SELECT 1` (or -1 when the file cannot be read).
#[uniffi::export]
pub fn select_one(path: String) -> i64 {
    rusqlite::Connection::open(path)
        .and_then(|c| c.query_row("SELECT 1", [], |r| r.get(0)))
        .unwrap_or(-1)
}
