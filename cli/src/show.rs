//! Terminal rendering of the API's records: plans, session frames, runs, charts.

use chrono::{DateTime, Utc};
use talus_ffi::{
    DrillInfo, FrameInfo, LevelInfo, PlanInfo, ReminderInfo, RomPoint, RunInfo, SessionInfo, Side,
};

fn side(s: Option<Side>) -> &'static str {
    match s {
        Some(Side::Left) => "left",
        Some(Side::Right) => "right",
        None => "both",
    }
}

fn date(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
}

fn clock(ms: u32) -> String {
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
        "Today ({}, {}): {}",
        p.date,
        p.zone,
        p.variant.replace('_', " ")
    );
    for r in &p.reasons {
        crate::outln!("  · {}", r.message);
    }
    for item in &p.items {
        let work = match (item.reps, item.hold_s) {
            (Some(r), _) => format!("{} × {r} reps", item.sets),
            (_, Some(h)) => format!("{} × {h} s", item.sets),
            _ => String::new(),
        };
        let sides = if item.sides.is_empty() {
            "both feet".to_string()
        } else {
            item.sides
                .iter()
                .map(|s| side(Some(*s)))
                .collect::<Vec<_>>()
                .join(" then ")
        };
        let extra = item
            .extra_set_side
            .map_or(String::new(), |s| format!(", +1 set {}", side(Some(s))));
        crate::outln!(
            "  {:<34} level {}  {work}  ({sides}{extra})  — {}",
            item.drill_name,
            item.level,
            item.reason.message
        );
    }
    for l in &p.levels {
        if l.change != "hold" {
            level_change(l);
        }
    }
}

/// One progression or regression, with its reason.
pub fn level_change(l: &LevelInfo) {
    let arrow = if l.change == "progress" { "↑" } else { "↓" };
    let target = if l.to_drill_id == l.from_drill_id {
        format!("level {} → {}", l.from_level, l.to_level)
    } else {
        format!("{} level {}", l.to_drill_id, l.to_level)
    };
    crate::outln!(
        "  {arrow} {} ({}): {target} — {}",
        l.drill_id,
        side(l.side),
        l.reason.message
    );
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
                segment.replace('_', " "),
                clock(*start_ms),
                clock(*end_ms),
                if *mirrored { " (mirrored)" } else { "" }
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
    if f.step != "work" || f.rep.is_none_or(|r| r == 0) || f.seconds_left.is_some() {
        crate::outln!("  {} {detail}", bar(f.progress));
    }
}

/// One line saying where the runner is: set, side, rep or countdown.
pub fn detail(f: &FrameInfo) -> String {
    match f.step.as_str() {
        "work" => match (f.rep, f.reps, f.seconds_left) {
            (Some(r), Some(n), _) => format!(
                "set {}/{} {} — rep {}/{}",
                f.set,
                f.sets,
                side(f.side),
                r,
                n
            ),
            (_, _, Some(s)) => format!("set {}/{} {} — hold {s} s", f.set, f.sets, side(f.side)),
            _ => String::new(),
        },
        "rest" | "side_switch" | "end_range_pause" => format!(
            "{} {} s",
            f.step.replace('_', " "),
            f.seconds_left.unwrap_or(0)
        ),
        "pain_check" => format!("set {}/{} done", f.set, f.sets),
        "summary" => "session complete".into(),
        other => other.replace('_', " "),
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
        "  {}  {:>3} min  {:>5.1} km  {}{}",
        date(r.start_ms),
        minutes,
        r.distance_m / 1000.0,
        r.source,
        tags
    );
}

pub fn session(s: &SessionInfo) {
    let pains: Vec<u8> = s.sets.iter().filter_map(|x| x.pain).collect();
    let max = pains.iter().max().copied().unwrap_or(0);
    let stopped = s.sets.iter().filter(|x| x.stopped).count();
    crate::outln!(
        "  {}  {:<9} {:<13} {:>3} sets  max pain {max}/10{}",
        s.planned_for,
        s.status,
        s.variant,
        s.sets.len(),
        if stopped > 0 {
            format!("  ({stopped} stopped)")
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
            || format!("{} s hold", l.hold_s.unwrap_or(0)),
            |r| format!("{r} reps"),
        );
        crate::outln!(
            "  level {i}: {} × {work}, end-range pause {} s, rest {} s",
            l.sets,
            l.end_pause_s,
            l.rest_s
        );
    }
    for s in &d.segments {
        crate::outln!(
            "  ▶ {} {} {}–{}",
            d.video_asset,
            s.kind.replace('_', " "),
            clock(s.start_ms),
            clock(s.end_ms)
        );
    }
}

/// Knee-to-wall series of both sides on one text chart (L = left, R = right).
pub fn rom_chart(left: &[RomPoint], right: &[RomPoint]) {
    let all: Vec<&RomPoint> = left.iter().chain(right).collect();
    if all.is_empty() {
        crate::outln!("No knee-to-wall results yet: `talus rom add --side left --cm 9.5`.");
        return;
    }
    let (lo, hi) = all.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.cm), hi.max(p.cm))
    });
    let (lo, hi) = ((lo - 0.5).floor(), (hi + 0.5).ceil());
    let width = left.len().max(right.len()).clamp(1, 60);
    let rows = 10;
    crate::outln!("Knee-to-wall (cm), oldest → newest");
    for row in (0..=rows).rev() {
        let value = lo + (hi - lo) * f64::from(row) / f64::from(rows);
        let mut line = vec![' '; width];
        for (series, mark) in [(left, 'L'), (right, 'R')] {
            for (i, p) in series.iter().rev().take(width).rev().enumerate() {
                let r = ((p.cm - lo) / (hi - lo) * f64::from(rows)).round() as i32;
                if r == row {
                    line[i] = if line[i] == ' ' { mark } else { '*' };
                }
            }
        }
        crate::outln!("{value:>5.1} |{}", line.iter().collect::<String>());
    }
    crate::outln!("      +{}", "-".repeat(width));
    if let (Some(l), Some(r)) = (left.last(), right.last()) {
        crate::outln!(
            "latest: left {:.1} cm, right {:.1} cm (difference {:.1} cm)",
            l.cm,
            r.cm,
            (l.cm - r.cm).abs()
        );
    }
}

pub fn reminders(list: &[ReminderInfo]) {
    if list.is_empty() {
        crate::outln!("No reminders in the next seven days.");
        return;
    }
    for r in list {
        crate::outln!(
            "  {} ({})  {:<8} {} — {}  [{}]",
            r.local_time.replace('T', " "),
            r.zone,
            r.kind,
            r.title,
            r.body,
            r.deep_link
        );
    }
}
