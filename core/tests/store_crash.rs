//! Crash safety: a child process writes finished sessions in a loop and is killed with
//! SIGKILL at random moments. After every kill, every write the child saw succeed is in
//! the database and `PRAGMA integrity_check` is ok.
//!
//! `TALUS_CRASH_KILLS` sets the number of kills (default 200; the long mode uses more).

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use talus_core::catalog::Catalog;
use talus_core::domain::{PlanVariant, Score, SessionStatus, SetLog, Side};
use talus_core::store::Store;
use uuid::Uuid;

const CHILD_ENV: &str = "TALUS_CRASH_CHILD_DB";

/// The child's write loop. Ignored in normal runs; the parent starts it with `--ignored`.
#[test]
#[ignore = "entry point of the crash-test child process"]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let catalog = Catalog::embedded().unwrap();
    let (store, _) = Store::open(std::path::Path::new(&path), &catalog, Utc::now()).unwrap();
    let mut out = std::io::stdout().lock();
    // libtest prints the test name without a newline first, so markers are searched for
    // inside lines rather than matched whole.
    writeln!(out, "TALUS-READY").unwrap();
    out.flush().unwrap();
    loop {
        let now = Utc::now();
        let s = store
            .create_session(now.date_naive(), "UTC", PlanVariant::Normal, now)
            .unwrap();
        let sets: Vec<SetLog> = (0..6)
            .map(|i| SetLog {
                drill_id: "banded_df_mob".into(),
                side: Some(if i % 2 == 0 { Side::Left } else { Side::Right }),
                set_index: i / 2,
                level: 1,
                target_reps: Some(10),
                reps_done: Some(10),
                target_hold_s: None,
                hold_s_done: None,
                pain: Some(Score::new(i64::from(i % 3)).unwrap()),
                stretch: false,
                stopped: false,
                skipped: false,
                reason_code: None,
                note: None,
                at: now + Duration::seconds(i64::from(i)),
            })
            .collect();
        store
            .finish_session(s.id, &sets, now + Duration::seconds(10))
            .unwrap();
        // Acknowledge only after the write returned Ok.
        writeln!(out, "TALUS-ACK {}", s.id).unwrap();
        out.flush().unwrap();
    }
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn sigkill_mid_write_loses_no_acknowledged_session() {
    let kills: u32 = std::env::var("TALUS_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng(0x5EED_1234_ABCD_0001 ^ u64::from(std::process::id()));
    let mut acknowledged: Vec<Uuid> = Vec::new();
    let catalog = Catalog::embedded().unwrap();
    let started = Instant::now();
    for _ in 0..kills {
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "crash_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        // Wait until the child has opened the store and acknowledged its first write, then
        // let it write for a random while. Waiting for the first acknowledgement keeps the
        // test independent of machine load: a slow machine still kills mid-write, never
        // before anything was written.
        loop {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if let Some(id) = line.split("TALUS-ACK ").nth(1) {
                acknowledged.extend(Uuid::parse_str(id.trim()).ok());
                break;
            }
        }
        std::thread::sleep(StdDuration::from_micros(rng.below(40_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        acknowledged.extend(
            rest.lines()
                .filter_map(|l| l.split("TALUS-ACK ").nth(1))
                .filter_map(|id| Uuid::parse_str(id.trim()).ok()),
        );
        let (store, report) = Store::open(&db, &catalog, Utc::now()).unwrap();
        assert_eq!(
            report.quarantined, None,
            "a kill must never corrupt the file"
        );
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
    let (store, _) = Store::open(&db, &catalog, Utc::now()).unwrap();
    for id in &acknowledged {
        let s = store.session(*id).unwrap();
        assert_eq!(s.status, SessionStatus::Finished);
        assert_eq!(s.sets.len(), 6);
    }
    assert!(
        acknowledged.len() as u32 >= kills,
        "children barely wrote: {}",
        acknowledged.len()
    );
    eprintln!(
        "crash test: {kills} SIGKILLs, {} acknowledged sessions all present, integrity ok, {:.1} s",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}
