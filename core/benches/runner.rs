//! Cost of one `SessionRunner::handle` call, against a floor of cloning the runner (which
//! `handle` does once to stay unchanged on error), measured in the same run.

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::Criterion;
use talus_core::catalog::Catalog;
use talus_core::domain::{PlanVariant, PlannedItem, PlannedSession, Reason, Side};
use talus_core::session::{RunnerEvent, SessionRunner};

fn main() {
    let c = Catalog::embedded().unwrap();
    let items = [
        "banded_df_mob",
        "calf_stance_pron_sup_swings",
        "gastroc_wall_stretch",
        "double_leg_calf_raise",
        "single_leg_balance",
        "toe_yoga",
    ]
    .iter()
    .map(|id| PlannedItem {
        drill_id: (*id).into(),
        level: 1,
        dose: c.drill(id).unwrap().dose(1).unwrap().clone(),
        sides: vec![Side::Left, Side::Right],
        extra_set_side: None,
        reason: Reason::default(),
    })
    .collect();
    let plan = PlannedSession {
        date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
        zone: "UTC".into(),
        locale: "en".into(),
        variant: PlanVariant::Normal,
        items,
        reasons: vec![],
    };
    let mut started = SessionRunner::new(&plan, &c).unwrap();
    started.handle(RunnerEvent::Start, 0).unwrap();
    started.handle(RunnerEvent::VideoEnded, 1).unwrap();
    let mut crit = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    crit.bench_function("floor: clone runner", |b| {
        b.iter(|| black_box(started.clone()))
    });
    crit.bench_function("handle(Tick)", |b| {
        let mut r = started.clone();
        let mut now = 2;
        b.iter(|| {
            now += 1;
            black_box(r.handle(RunnerEvent::Tick, now).unwrap())
        })
    });
    crit.bench_function("handle(RepDone) incl. reset", |b| {
        b.iter_batched(
            || started.clone(),
            |mut r| black_box(r.handle(RunnerEvent::RepDone, 10).unwrap()),
            criterion::BatchSize::SmallInput,
        )
    });
    crit.final_summary();
}
