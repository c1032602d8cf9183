//! Writes a multi-year fixture database: `cargo run --release -p talus-core --example
//! make_fixture -- <path> [years]`. Used to inspect and time the store by hand.

use chrono::{NaiveDate, Utc};
use talus_core::catalog::Catalog;
use talus_core::store::{generate_history, FixtureSpec, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: make_fixture <path> [years]")?;
    let years: u32 = args.next().map(|y| y.parse()).transpose()?.unwrap_or(10);
    let catalog = Catalog::embedded()?;
    let (store, _) = Store::open(std::path::Path::new(&path), &catalog, Utc::now())?;
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).ok_or("date")?;
    let spec = FixtureSpec {
        start,
        days: years * 365,
        zone: "Europe/London".into(),
        seed: 42,
    };
    let t = std::time::Instant::now();
    let summary = generate_history(&store, &catalog, &spec)?;
    println!("{summary:?} in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}
