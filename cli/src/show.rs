//! Terminal rendering of the API's records: plans, session frames, runs, charts.

use chrono::{DateTime, Utc};

use crate::words::{komma, komma_signed, t, tf};
use talus_ffi::{
    wire_name, DrillInfo, FrameInfo, LevelChange, LevelInfo, PlanInfo, ReminderInfo, RomPoint,
    RunInfo, SessionInfo, Side, Step,
};

fn side(s: Option<Side>) -> &'static str {
    match s {
        Some(Side::Left) => t("left", "links"),
        Some(Side::Right) => t("right", "rechts"),
        None => t("both", "beide"),
    }
}

/// The plan's variant in words.
pub fn variant(v: talus_ffi::PlanVariant) -> String {
    // The core names the kinds of day, in the runner's language.
    v.label(crate::words::locale())
}

fn date(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
}

fn clock(ms: i64) -> String {
    format!("{}:{:02}", ms / 60_000, ms / 1000 % 60)
}

fn bar(progress: f64) -> String {
    let filled = (progress.clamp(0.0, 1.0) * 20.0).round() as usize;
    format!(
        "[{}{}] {:>3.0}%",
        "#".repeat(filled),
        ".".repeat(20 - filled),
        progress * 100.0
    )
}

pub fn plan(p: &PlanInfo) {
    crate::outln!(
        "{} ({}, {}): {}",
        t("Today", "Heute"),
        p.date,
        p.zone,
        p.variant_label
    );
    for r in &p.reasons {
        crate::outln!("  · {}", r.message);
    }
    match p.variant {
        talus_ffi::PlanVariant::Locked => crate::outln!(
            "  {}",
            t(
                "Once a clinician has seen you: `talus clear`.",
                "Sobald dich eine Ärztin oder ein Physio gesehen hat: `talus clear`."
            )
        ),
        talus_ffi::PlanVariant::Paused => crate::outln!("  {}", crate::followup::pointer()),
        talus_ffi::PlanVariant::ScreeningNeeded => crate::outln!(
            "  {}",
            t(
                "Answer the safety questions first: `talus screen`.",
                "Beantworte zuerst den Sicherheits-Check: `talus screen`."
            )
        ),
        _ => {}
    }
    for item in &p.items {
        let work = match (item.reps, item.hold_ms) {
            (Some(r), _) => format!("{} × {r} {}", item.sets, t("reps", "Wdh.")),
            (_, Some(h)) => format!("{} × {} s", item.sets, h / 1000),
            _ => String::new(),
        };
        let sides = if item.sides.is_empty() {
            t("both feet", "beide Füße").to_string()
        } else {
            item.sides
                .iter()
                .map(|s| side(Some(*s)))
                .collect::<Vec<_>>()
                .join(t(" then ", " dann "))
        };
        let extra = item.extra_set_side.map_or(String::new(), |s| {
            format!(", +1 {} {}", t("set", "Satz"), side(Some(s)))
        });
        crate::outln!(
            "  {:<34} {} {}  {work}  ({sides}{extra})  — {}",
            item.drill_name,
            t("level", "Stufe"),
            item.level,
            item.reason.message
        );
    }
    for l in &p.levels {
        if l.change != LevelChange::Hold {
            level_change(l);
        }
    }
}

/// One progression or regression, with its reason.
pub fn level_change(l: &LevelInfo) {
    let arrow = if l.change == LevelChange::Progress {
        "↑"
    } else {
        "↓"
    };
    let target = if l.to_drill_id == l.from_drill_id {
        format!("{} {} → {}", t("level", "Stufe"), l.from_level, l.to_level)
    } else {
        format!("{} {} {}", l.to_drill_name, t("level", "Stufe"), l.to_level)
    };
    crate::outln!(
        "  {arrow} {} ({}): {target} — {}",
        l.drill_name,
        side(l.side),
        l.reason.message
    );
}

/// A clip segment's name in the profile's language.
pub fn segment_name(segment: &talus_ffi::SegmentKind) -> &'static str {
    use talus_ffi::SegmentKind as S;
    match segment {
        S::Intro => t("intro", "Einführung"),
        S::Demo => t("demo", "Vorführung"),
        S::RepLoop => t("rep loop", "Übungsschleife"),
        S::CommonMistake => t("common mistake", "häufiger Fehler"),
    }
}

pub fn frame(f: &FrameInfo) {
    for e in &f.effects {
        match e {
            talus_ffi::EffectInfo::PlayVideo {
                asset_id,
                segment,
                start_ms,
                end_ms,
                mirrored,
                ..
            } => crate::outln!(
                "  ▶ {asset_id} {} {}–{}{}",
                segment_name(segment),
                clock(*start_ms),
                clock(*end_ms),
                if *mirrored {
                    t(" (mirrored)", " (gespiegelt)")
                } else {
                    ""
                }
            ),
            talus_ffi::EffectInfo::SpeakCue {
                text,
                at_video_ms: None,
                ..
            } => crate::outln!("  “{text}”"),
            _ => {}
        }
    }
    let detail = detail(f);
    if f.step != Step::Work || f.rep.is_none_or(|r| r == 0) || f.time_left_ms.is_some() {
        crate::outln!("  {} {detail}", bar(f.progress));
    }
}

/// One line saying where the runner is: set, side, rep or countdown.
pub fn detail(f: &FrameInfo) -> String {
    match f.step {
        Step::Work => match (f.rep, f.reps, f.time_left_ms.map(|ms| ms / 1000)) {
            (Some(r), Some(n), _) => format!(
                "{} {}/{} {} — {} {}/{}",
                t("set", "Satz"),
                f.set,
                f.sets,
                side(f.side),
                t("rep", "Wdh."),
                r,
                n
            ),
            (_, _, Some(s)) => format!(
                "{} {}/{} {} — {} {s} s",
                t("set", "Satz"),
                f.set,
                f.sets,
                side(f.side),
                t("hold", "halten")
            ),
            _ => String::new(),
        },
        Step::Rest | Step::SideSwitch | Step::EndRangePause => format!(
            "{} {} s",
            match f.step {
                Step::Rest => t("rest", "Pause"),
                Step::SideSwitch => t("switch sides", "Seitenwechsel"),
                _ => t("end-range pause", "Endposition halten"),
            },
            f.time_left_ms.unwrap_or(0) / 1000
        ),
        // Each leg's pain is asked after its side of the set.
        Step::PainCheck => format!(
            "{} {}/{}{} {}",
            t("set", "Satz"),
            f.set,
            f.sets,
            f.side
                .map_or(String::new(), |s| format!(" {}", side(Some(s)))),
            t("done", "fertig")
        ),
        Step::Summary => t("session over", "Einheit vorbei").into(),
        Step::NotStarted => t("not started", "noch nicht begonnen").into(),
        Step::Intro => t("demo", "Vorführung").into(),
    }
}

pub fn run(r: &RunInfo) {
    let minutes = (r.end_ms - r.start_ms) / 60_000;
    let tags = if r.tags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", r.tags.join(", "))
    };
    crate::outln!(
        "  {}  {}  {:>3} min  {:>5.1} km  {}{}",
        crate::delete::short(&r.id),
        date(r.start_ms),
        minutes,
        r.distance_m / 1000.0,
        r.source,
        tags
    );
}

pub fn session(s: &SessionInfo) {
    let pains: Vec<i32> = s.sets.iter().filter_map(|x| x.pain).collect();
    let max = pains.iter().max().copied().unwrap_or(0);
    let stopped = s.sets.iter().filter(|x| x.stopped).count();
    let stretches = s.sets.iter().filter(|x| x.stretch).count();
    // How it ended, in the core's words (ended for pain is not "finished"); the status
    // only for open sessions and those stored before outcomes were.
    let status = match &s.outcome {
        Some(outcome) => outcome.label(crate::words::locale()),
        None => match s.status {
            talus_ffi::SessionStatus::Finished => t("finished", "beendet"),
            talus_ffi::SessionStatus::Abandoned => t("stopped early", "vorzeitig beendet"),
            talus_ffi::SessionStatus::Paused => t("paused", "pausiert"),
            talus_ffi::SessionStatus::Started => t("unfinished", "unvollendet"),
            talus_ffi::SessionStatus::Planned => t("planned", "geplant"),
        }
        .to_owned(),
    };
    crate::outln!(
        "  {}  {}  {:<22} {:<13} {:>3} {}  {} {max}/10{}{}",
        crate::delete::short(&s.id),
        s.planned_for,
        status,
        variant(s.variant),
        s.sets.len(),
        t("sets", "Sätze"),
        t("max pain", "max. Schmerz"),
        if stopped > 0 {
            tf(
                format!("  ({stopped} stopped)"),
                format!("  ({stopped} gestoppt)"),
            )
        } else {
            String::new()
        },
        // A stretch answered as such is not pain; it is counted on its own.
        if stretches > 0 {
            tf(
                format!("  ({stretches} just a stretch)"),
                format!("  ({stretches} nur Dehnung)"),
            )
        } else {
            String::new()
        }
    );
}

pub fn drill(d: &DrillInfo) {
    crate::outln!("{}  ({})\n\n{}\n", d.name, d.id, d.description);
    for c in &d.cues {
        crate::outln!("  • {c}");
    }
    for c in &d.cautions {
        crate::outln!("  ! {c}");
    }
    for (i, l) in d.dosage.iter().enumerate() {
        let work = l.reps.map_or_else(
            || {
                format!(
                    "{} s {}",
                    l.hold_ms.unwrap_or(0) / 1000,
                    t("hold", "halten")
                )
            },
            |r| format!("{r} {}", t("reps", "Wdh.")),
        );
        crate::outln!(
            "  {} {}: {} × {work}, {} {} s, {} {} s",
            t("level", "Stufe"),
            i + 1,
            l.sets,
            t("end-range pause", "Endposition"),
            l.end_pause_ms / 1000,
            t("rest", "Pause"),
            l.rest_ms / 1000
        );
    }
    for s in &d.segments {
        crate::outln!(
            "  ▶ {} {} {}–{}",
            d.video_asset,
            wire_name(&s.kind).replace('_', " "),
            clock(s.start_ms),
            clock(s.end_ms)
        );
    }
}

/// Knee-to-wall series of both sides on one text chart: one column per measurement day
/// (L = left, R = right, * = both), dated underneath.
pub fn rom_chart(left: &[RomPoint], right: &[RomPoint]) {
    use crate::plot::local_day;
    let all: Vec<&RomPoint> = left.iter().chain(right).collect();
    if all.is_empty() {
        crate::outln!(
            "{}",
            t(
                "No knee-to-wall results yet: `talus rom add --side left --cm 9.5`.",
                "Noch keine Knie-zur-Wand-Werte: `talus rom add --side left --cm 9.5`."
            )
        );
        return;
    }
    let mut days: Vec<chrono::NaiveDate> = all.iter().map(|p| local_day(p)).collect();
    days.sort();
    days.dedup();
    // The most recent twelve days fit an 80-column terminal.
    let days: Vec<chrono::NaiveDate> = days.iter().rev().take(12).rev().copied().collect();
    let (lo, hi) = all.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.cm), hi.max(p.cm))
    });
    let (lo, hi) = ((lo - 0.5).floor(), (hi + 0.5).ceil());
    let rows = 10;
    const COL: usize = 6;
    crate::outln!(
        "{}",
        t(
            "Knee-to-wall (cm) by day: L left, R right, * both",
            "Knie zur Wand (cm) je Tag: L links, R rechts, * beide"
        )
    );
    for row in (0..=rows).rev() {
        let value = lo + (hi - lo) * f64::from(row) / f64::from(rows);
        let mut line = vec![' '; days.len() * COL];
        for (series, mark) in [(left, 'L'), (right, 'R')] {
            for p in series {
                let Some(col) = days.iter().position(|d| *d == local_day(p)) else {
                    continue;
                };
                let r = ((p.cm - lo) / (hi - lo) * f64::from(rows)).round() as i32;
                if r == row {
                    let at = col * COL + 2;
                    line[at] = if line[at] == ' ' || line[at] == mark {
                        mark
                    } else {
                        '*'
                    };
                }
            }
        }
        crate::outln!(
            "{value:>5.1} |{}",
            line.iter().collect::<String>().trim_end()
        );
    }
    crate::outln!("      +{}", "-".repeat(days.len() * COL));
    let mut axis = String::new();
    let mut year = String::new();
    for d in &days {
        axis.push_str(&format!("{:<COL$}", d.format("%d.%m")));
    }
    if let (Some(a), Some(b)) = (days.first(), days.last()) {
        year = if a.format("%Y").to_string() == b.format("%Y").to_string() {
            a.format("%Y").to_string()
        } else {
            format!("{}–{}", a.format("%Y"), b.format("%Y"))
        };
    }
    crate::outln!("       {} {year}", axis.trim_end());
}

/// Each side's first and latest result with the core's verdict (real change or within the
/// minimal detectable change), the side-to-side difference and whether a retest is due.
pub fn rom_report(r: &talus_ffi::KneeToWallReport, mdc_cm: f64, asymmetry_cm: f64) {
    use crate::plot::local_day;
    for (trend, name) in [
        (&r.left, t("left", "links")),
        (&r.right, t("right", "rechts")),
    ] {
        let (Some(first), Some(last)) = (trend.points.first(), trend.points.last()) else {
            continue;
        };
        let (a, b) = (
            local_day(first).format("%d.%m.%Y"),
            local_day(last).format("%d.%m.%Y"),
        );
        if trend.points.len() == 1 {
            crate::outln!(
                "{}",
                tf(
                    format!("{name:<6} {:.1} cm on {a}: your first result, the baseline later ones are measured against", first.cm),
                    format!("{name:<6} {} cm am {a}: dein erster Wert, der Ausgangswert für alle weiteren", komma(first.cm))
                )
            );
            continue;
        }
        let change = last.cm - first.cm;
        // The core judges the change of the last weeks; older results are shown without it.
        let verdict = if trend.change_cm.is_none() {
            t("older than the last weeks", "älter als die letzten Wochen").to_string()
        } else if trend.real_change {
            tf(
                format!("a real change (beyond {mdc_cm:.1} cm)"),
                format!("eine echte Veränderung (mehr als {} cm)", komma(mdc_cm)),
            )
        } else {
            tf(
                format!("within measurement error ({mdc_cm:.1} cm)"),
                format!("innerhalb der Messungenauigkeit ({} cm)", komma(mdc_cm)),
            )
        };
        crate::outln!(
            "{}",
            tf(
                format!(
                    "{name:<6} {:.1} cm on {a} → {:.1} cm on {b}: {change:+.1} cm, {verdict}",
                    first.cm, last.cm
                ),
                format!(
                    "{name:<6} {} cm am {a} → {} cm am {b}: {} cm, {verdict}",
                    komma(first.cm),
                    komma(last.cm),
                    komma_signed(change)
                )
            )
        );
    }
    if let Some(diff) = r.asymmetry_cm {
        let diff = diff.abs();
        crate::outln!(
            "{}",
            match (r.asymmetry_flag, crate::words::german()) {
                (true, false) => format!(
                    "difference now {diff:.1} cm — above {asymmetry_cm:.1} cm, worth watching"
                ),
                (false, false) =>
                    format!("difference now {diff:.1} cm (flagged above {asymmetry_cm:.1} cm)"),
                (true, true) => format!(
                    "Seitenunterschied jetzt {} cm — über {} cm, im Blick behalten",
                    komma(diff),
                    komma(asymmetry_cm)
                ),
                (false, true) => format!(
                    "Seitenunterschied jetzt {} cm (auffällig ab {} cm)",
                    komma(diff),
                    komma(asymmetry_cm)
                ),
            }
        );
    }
    if r.retest_due {
        crate::outln!(
            "{}",
            t(
                "A week or more since the last test: time to measure again.",
                "Eine Woche oder länger seit dem letzten Test: Zeit für eine neue Messung."
            )
        );
    }
}

pub fn reminders(list: &[ReminderInfo]) {
    if list.is_empty() {
        crate::outln!(
            "{}",
            t(
                "No reminders in the next seven days.",
                "Keine Erinnerungen in den nächsten sieben Tagen."
            )
        );
        return;
    }
    for r in list {
        crate::outln!(
            "  {} ({})  {:<8} {} — {}  [{}]",
            r.local_time.replace('T', " "),
            r.zone,
            wire_name(&r.kind),
            r.title,
            r.body,
            r.deep_link
        );
    }
}
