//! `talus rom show --png`: the knee-to-wall series of both sides as a PNG chart, with the
//! band of the minimal detectable change around each side's first result, and below it the
//! side-to-side difference against the asymmetry threshold. Dates are local days of the
//! measurements, each labelled once.
//!
//! Labels need a font file. The binary embeds none (size and licence), so it looks for a
//! common system font at run time; without one it still draws the series, bands and grid,
//! just without text, and says so.

use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use plotters::prelude::*;
use talus_ffi::RomPoint;

use crate::words::{german, komma, t, tf};

/// Width and height of the written image, in pixels.
pub const SIZE: (u32, u32) = (960, 640);

const FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// Registers the first system font found under the name "sans-serif"; false if none.
fn load_font() -> bool {
    for path in FONT_PATHS {
        if let Ok(bytes) = std::fs::read(path) {
            // The font must outlive every chart; the process draws one chart and exits.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                return true;
            }
        }
    }
    false
}

/// The local calendar day of a measurement, in the zone it was taken in.
pub fn local_day(p: &RomPoint) -> NaiveDate {
    let utc = DateTime::<Utc>::from_timestamp_millis(p.at_ms).unwrap_or_default();
    match p.zone.parse::<talus_core::time::Tz>() {
        Ok(tz) => utc.with_timezone(&tz).date_naive(),
        Err(_) => utc.date_naive(),
    }
}

/// Days since 1970-01-01 as the chart's x value: whole days, so every axis label is a
/// distinct date.
fn x_of(d: NaiveDate) -> i32 {
    (d - NaiveDate::default()).num_days() as i32
}

fn date_of(x: i32) -> NaiveDate {
    NaiveDate::default() + chrono::Duration::days(i64::from(x))
}

/// Month abbreviations as German writes them (chrono's `%b` is English only).
const GERMAN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
];

/// An axis label in English or German: the month and year over most of a year
/// (`long_span`), else the day and month ("05 Mar" / "5. Mär").
pub fn axis_label(day: NaiveDate, long_span: bool, german: bool) -> String {
    if german {
        let month = GERMAN_MONTHS[day.month0() as usize];
        if long_span {
            format!("{month} {}", day.year())
        } else {
            format!("{}. {month}", day.day())
        }
    } else if long_span {
        day.format("%b %Y").to_string()
    } else {
        day.format("%d %b").to_string()
    }
}

/// The chart's x range (a day of margin each side) and how many labels to ask for: never
/// more than there are days, so each label is a different whole day.
pub fn x_axis(first: NaiveDate, last: NaiveDate) -> (std::ops::Range<i32>, usize) {
    let (x0, x1) = (x_of(first) - 1, x_of(last) + 1);
    (x0..x1, ((x1 - x0) as usize).clamp(2, 8))
}

/// The difference between the sides on every day both were measured.
pub fn differences(left: &[RomPoint], right: &[RomPoint]) -> Vec<(NaiveDate, f64)> {
    let mut out = Vec::new();
    for l in left {
        let day = local_day(l);
        if let Some(r) = right.iter().rev().find(|r| local_day(r) == day) {
            out.push((day, (l.cm - r.cm).abs()));
        }
    }
    out.dedup_by_key(|(d, _)| *d);
    out
}

/// Draws both series into `out`. Returns whether labels could be drawn.
pub fn rom_png(
    left: &[RomPoint],
    right: &[RomPoint],
    mdc_cm: f64,
    asymmetry_cm: f64,
    out: &Path,
) -> Result<bool, String> {
    let all: Vec<&RomPoint> = left.iter().chain(right).collect();
    let (Some(first), Some(last)) = (
        all.iter().map(|p| local_day(p)).min(),
        all.iter().map(|p| local_day(p)).max(),
    ) else {
        return Err(t(
            "no knee-to-wall results to plot yet",
            "noch keine Knie-zur-Wand-Ergebnisse zum Darstellen",
        )
        .into());
    };
    let labels = load_font();
    let (range, label_count) = x_axis(first, last);
    let (x0, x1) = (range.start, range.end);
    let bases: Vec<f64> = [left.first(), right.first()]
        .into_iter()
        .flatten()
        .map(|p| p.cm)
        .collect();
    let lo = all
        .iter()
        .map(|p| p.cm)
        .chain(bases.iter().map(|b| b - mdc_cm))
        .fold(f64::MAX, f64::min);
    let hi = all
        .iter()
        .map(|p| p.cm)
        .chain(bases.iter().map(|b| b + mdc_cm))
        .fold(f64::MIN, f64::max);
    let (y0, y1) = ((lo - 0.5).floor().max(0.0), (hi + 0.5).ceil());
    let diffs = differences(left, right);
    let d1 = diffs
        .iter()
        .map(|(_, d)| *d)
        .fold(asymmetry_cm, f64::max)
        .ceil()
        + 0.5;
    let fail = |e: &dyn std::fmt::Display| {
        tf(
            format!("cannot draw the chart: {e}"),
            format!("das Diagramm lässt sich nicht zeichnen: {e}"),
        )
    };
    // Over most of a year a month names each label once; within it, day and month.
    let long_span = (last - first).num_days() > 300;
    let in_german = german();
    let label = |x: &i32| axis_label(date_of(*x), long_span, in_german);
    let (left_name, right_name) = (t("left", "links"), t("right", "rechts"));
    {
        let root = BitMapBackend::new(out, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let (top, bottom) = root.split_vertically(430);
        let mut builder = ChartBuilder::on(&top);
        builder.margin(16).margin_right(40);
        if labels {
            builder
                .caption(
                    t("Knee-to-wall (cm)", "Knie zur Wand (cm)"),
                    ("sans-serif", 26),
                )
                .x_label_area_size(30)
                .y_label_area_size(50);
        }
        let mut chart = builder
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| fail(&e))?;
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(label_count)
            .x_label_formatter(&label)
            .y_desc("cm");
        if !labels {
            mesh.disable_x_axis().disable_y_axis();
        }
        mesh.draw().map_err(|e| fail(&e))?;
        for (series, colour, name) in [(left, BLUE, left_name), (right, RED, right_name)] {
            // The minimal detectable change around the first result: inside it, a change
            // may be measurement noise.
            if let Some(base) = series.first() {
                let band = chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, base.cm - mdc_cm), (x1, base.cm + mdc_cm)],
                        colour.mix(0.08).filled(),
                    )))
                    .map_err(|e| fail(&e))?;
                if labels {
                    band.label(tf(
                        format!("{name}: ±{mdc_cm:.1} cm of the first result"),
                        format!("{name}: ±{} cm um den ersten Wert", komma(mdc_cm)),
                    ))
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 20, y + 5)], colour.mix(0.2).filled())
                    });
                }
            }
            let points: Vec<(i32, f64)> =
                series.iter().map(|p| (x_of(local_day(p)), p.cm)).collect();
            let line = chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(3)))
                .map_err(|e| fail(&e))?;
            if labels {
                line.label(name).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
                });
            }
            chart
                .draw_series(points.iter().map(|p| Circle::new(*p, 4, colour.filled())))
                .map_err(|e| fail(&e))?;
        }
        if labels {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(|e| fail(&e))?;
        }
        let mut builder = ChartBuilder::on(&bottom);
        builder.margin(16).margin_right(40);
        if labels {
            builder
                .caption(
                    t(
                        "Left–right difference (cm)",
                        "Unterschied links–rechts (cm)",
                    ),
                    ("sans-serif", 20),
                )
                .x_label_area_size(30)
                .y_label_area_size(50);
        }
        let mut diff = builder
            .build_cartesian_2d(x0..x1, 0.0..d1)
            .map_err(|e| fail(&e))?;
        let mut mesh = diff.configure_mesh();
        mesh.x_labels(label_count)
            .x_label_formatter(&label)
            .y_desc("cm");
        if !labels {
            mesh.disable_x_axis().disable_y_axis();
        }
        mesh.draw().map_err(|e| fail(&e))?;
        let threshold = diff
            .draw_series(LineSeries::new(
                vec![(x0, asymmetry_cm), (x1, asymmetry_cm)],
                BLACK.mix(0.6).stroke_width(2),
            ))
            .map_err(|e| fail(&e))?;
        if labels {
            threshold
                .label(tf(
                    format!("flag above {asymmetry_cm:.1} cm"),
                    format!("auffällig über {} cm", komma(asymmetry_cm)),
                ))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.6).stroke_width(2))
                });
        }
        diff.draw_series(diffs.iter().map(|(d, v)| {
            let colour = if *v > asymmetry_cm { RED } else { GREEN };
            PathElement::new(
                vec![(x_of(*d), 0.0), (x_of(*d), *v)],
                colour.stroke_width(10),
            )
        }))
        .map_err(|e| fail(&e))?;
        if labels {
            diff.configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(|e| fail(&e))?;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn axis_labels_are_whole_distinct_days() {
        use plotters::coord::ranged1d::Ranged;
        use plotters::coord::types::RangedCoordi32;
        for (a, b) in [
            ("2026-11-30", "2026-11-30"),
            ("2026-11-29", "2026-11-30"),
            ("2026-11-20", "2026-11-30"),
            ("2026-09-01", "2026-11-30"),
            ("2026-01-01", "2026-11-30"),
        ] {
            let (range, n) = x_axis(day(a), day(b));
            let ticks = RangedCoordi32::from(range).key_points(n);
            assert!(ticks.len() >= 2 && ticks.len() <= 8, "{a}..{b}: {ticks:?}");
            let text: Vec<String> = ticks
                .iter()
                .map(|x| axis_label(date_of(*x), false, false))
                .collect();
            let mut unique = text.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), text.len(), "{a}..{b}: {text:?}");
        }
    }

    #[test]
    fn axis_labels_follow_the_profile_language() {
        let march = day("2026-03-05");
        let german = (
            axis_label(march, false, true),
            axis_label(march, true, true),
        );
        let english = (
            axis_label(march, false, false),
            axis_label(march, true, false),
        );
        assert_eq!(german, ("5. Mär".to_owned(), "Mär 2026".to_owned()));
        assert_eq!(english, ("05 Mar".to_owned(), "Mar 2026".to_owned()));
    }
}
