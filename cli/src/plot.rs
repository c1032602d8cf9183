//! `talus rom show --png`: the knee-to-wall series of both sides as a PNG line chart.
//!
//! Labels need a font file. The binary embeds none (size and licence), so it looks for a
//! common system font at run time; without one it still draws the series, grid and
//! legend swatches, just without text, and says so.

use std::path::Path;

use chrono::{DateTime, Utc};
use plotters::prelude::*;
use talus_ffi::RomPoint;

/// Width and height of the written image, in pixels.
pub const SIZE: (u32, u32) = (960, 540);

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

fn day(ms: i64) -> f64 {
    ms as f64 / 86_400_000.0
}

fn date_label(days: &f64) -> String {
    DateTime::<Utc>::from_timestamp_millis((days * 86_400_000.0) as i64)
        .map_or_else(String::new, |t| t.format("%d %b").to_string())
}

/// Draws both series into `out`. Returns whether labels could be drawn.
pub fn rom_png(left: &[RomPoint], right: &[RomPoint], out: &Path) -> Result<bool, String> {
    let all: Vec<&RomPoint> = left.iter().chain(right).collect();
    if all.is_empty() {
        return Err("no knee-to-wall results to plot yet".into());
    }
    let labels = load_font();
    let (mut x0, mut x1) = (f64::MAX, f64::MIN);
    let (mut y0, mut y1) = (f64::MAX, f64::MIN);
    for p in &all {
        x0 = x0.min(day(p.at_ms));
        x1 = x1.max(day(p.at_ms));
        y0 = y0.min(p.cm);
        y1 = y1.max(p.cm);
    }
    let (x0, x1) = (x0 - 1.0, x1 + 1.0);
    let (y0, y1) = ((y0 - 1.0).floor().max(0.0), (y1 + 1.0).ceil());
    let fail = |e: &dyn std::fmt::Display| format!("cannot draw the chart: {e}");
    {
        let root = BitMapBackend::new(out, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut builder = ChartBuilder::on(&root);
        builder.margin(20);
        if labels {
            builder
                .caption("Knee-to-wall (cm)", ("sans-serif", 28))
                .x_label_area_size(40)
                .y_label_area_size(50);
        }
        let mut chart = builder
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| fail(&e))?;
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(&date_label).y_desc("cm");
        if !labels {
            mesh.disable_x_axis().disable_y_axis();
        }
        mesh.draw().map_err(|e| fail(&e))?;
        for (series, colour, name) in [(left, BLUE, "left"), (right, RED, "right")] {
            let points: Vec<(f64, f64)> = series.iter().map(|p| (day(p.at_ms), p.cm)).collect();
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
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(|e| fail(&e))?;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(labels)
}
