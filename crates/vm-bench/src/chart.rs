//! The chart: for each workload, one bar per runner showing its speed relative to qemu
//! on a log scale, drawn to SVG by plotters. qemu is the baseline line at 1×: bars
//! rise above it for runners faster than qemu and hang below it for slower ones, and
//! each carries its value. Steady-state and start-up workloads are separated.
//!
//! Invariant: no font library is involved; text goes into the SVG as `<text>` elements
//! and the viewer renders it. Labels outside the plot (workload names, the legend) are
//! placed in pixels on the whole drawing area, from the plot's own coordinate mapping.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::{times, Report};
use crate::runners::Runner;
use crate::workloads::Kind;

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 560;
/// Pixels above the plot for the caption and the legend.
const TOP: u32 = 78;

fn color(r: Runner) -> RGBColor {
    match r {
        Runner::VmCold => RGBColor(0x1b, 0x9e, 0x77),
        Runner::VmWarm => RGBColor(0x66, 0xa6, 0x1e),
        Runner::VmInterp => RGBColor(0xd9, 0x5f, 0x02),
        Runner::Qemu => RGBColor(0x75, 0x70, 0xb3),
        Runner::Native => RGBColor(0x66, 0x66, 0x66),
    }
}

/// The plotted range: every bar and its label fit, and it spans at least 0.1×..10×.
fn y_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((0.1f64, 10.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    (lo / 3.0, hi * 3.0)
}

/// Writes the chart of `report` to `path`.
pub fn write_svg(report: &Report, path: &Path) -> Result<()> {
    // qemu is the baseline; every other runner with numbers gets a bar.
    let runners: Vec<Runner> = report
        .runners
        .iter()
        .filter(|r| r.unavailable.is_none() && r.runner != Runner::Qemu)
        .map(|r| r.runner)
        .collect();
    let bars: Vec<(usize, usize, f64)> = report
        .workloads
        .iter()
        .enumerate()
        .flat_map(|(wi, w)| {
            runners.iter().enumerate().filter_map(move |(ri, r)| {
                w.results
                    .iter()
                    .find(|x| x.runner == *r)
                    .and_then(|x| x.speed_vs_qemu)
                    .map(|v| (wi, ri, v))
            })
        })
        .collect();
    let (lo, hi) = y_range(bars.iter().map(|b| b.2));
    let n = report.workloads.len().max(1);
    let err = |e| anyhow!("drawing the chart: {e:?}");

    let root = SVGBackend::new(path, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (top, plot_area) = root.split_vertically(TOP);
    top.draw(&Text::new(
        format!(
            "Speed relative to qemu-riscv64-static (log scale, higher is faster) · {} run, {} {} UTC",
            report.mode.name(),
            report.date,
            report.time_utc
        ),
        (WIDTH as i32 / 2, 10),
        ("sans-serif", 20)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(err)?;
    draw_legend(&top, &runners, report).map_err(err)?;

    let mut chart = ChartBuilder::on(&plot_area)
        .margin_left(12)
        .margin_right(16)
        .margin_bottom(8)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..n as f64, (lo..hi).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("× qemu speed")
        // The log scale puts its labelled ticks on decades: 0.1, 1, 10.
        .y_label_formatter(&|y| format!("{y}×"))
        .axis_desc_style(("sans-serif", 15))
        .y_label_style(("sans-serif", 14))
        .draw()
        .map_err(err)?;

    let slot = 0.8 / runners.len().max(1) as f64;
    let value_style = ("sans-serif", 12).into_font().color(&BLACK);
    for (ri, r) in runners.iter().enumerate() {
        let c = color(*r);
        let mine = || bars.iter().filter(move |b| b.1 == ri);
        chart
            .draw_series(mine().map(|&(wi, _, v)| {
                let x0 = wi as f64 + 0.1 + slot * ri as f64;
                Rectangle::new([(x0, 1.0), (x0 + slot * 0.9, v)], c.filled())
            }))
            .map_err(err)?;
        chart
            .draw_series(mine().map(|&(wi, _, v)| {
                let x = wi as f64 + 0.1 + slot * (ri as f64 + 0.45);
                let (vpos, dy) = if v >= 1.0 {
                    (VPos::Bottom, -3)
                } else {
                    (VPos::Top, 3)
                };
                EmptyElement::at((x, v))
                    + Text::new(
                        times(v),
                        (0, dy),
                        value_style.clone().pos(Pos::new(HPos::Center, vpos)),
                    )
            }))
            .map_err(err)?;
    }
    // The qemu baseline, and a divider between steady-state and start-up workloads.
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 1.0), (n as f64, 1.0)],
            RGBColor(0x75, 0x70, 0xb3).stroke_width(2),
        )))
        .map_err(err)?;
    let first_startup = report
        .workloads
        .iter()
        .position(|w| w.kind == Kind::Startup);
    if let Some(k) = first_startup.filter(|&k| k > 0) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(k as f64, lo), (k as f64, hi)],
                BLACK.mix(0.5).stroke_width(1),
            )))
            .map_err(err)?;
    }

    // Workload names under their groups; section names at the top of the plot.
    let name_style = ("sans-serif", 15)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let section_style = ("sans-serif", 14)
        .into_font()
        .color(&BLACK.mix(0.7))
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (wi, w) in report.workloads.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(wi as f64 + 0.5, lo));
        root.draw(&Text::new(w.name, (x, y + 8), name_style.clone()))
            .map_err(err)?;
    }
    let split = first_startup.unwrap_or(n);
    for (from, to, title) in [(0, split, "steady state"), (split, n, "start-up")] {
        if from < to {
            let (x, y) = chart.backend_coord(&((from + to) as f64 / 2.0, hi));
            root.draw(&Text::new(title, (x, y + 6), section_style.clone()))
                .map_err(err)?;
        }
    }
    root.present()
        .map_err(err)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// One row of swatches under the caption: the runners with bars, the qemu baseline,
/// and the runners without numbers yet.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    runners: &[Runner],
    report: &Report,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = ("sans-serif", 14)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let y = 52;
    let mut entries: Vec<(String, RGBColor, bool)> = runners
        .iter()
        .map(|r| (r.label().to_string(), color(*r), true))
        .collect();
    entries.push((
        "qemu-riscv64-static = 1×".to_string(),
        color(Runner::Qemu),
        false,
    ));
    let missing: Vec<&str> = report
        .runners
        .iter()
        .filter(|r| r.unavailable.is_some())
        .map(|r| r.label)
        .collect();
    // Rough text width: 7.5 px per character at 14 px.
    let widths: Vec<i32> = entries
        .iter()
        .map(|e| 24 + (e.0.chars().count() as f64 * 7.5) as i32 + 28)
        .collect();
    let note = if missing.is_empty() {
        String::new()
    } else {
        format!("({}: n/a, no JIT yet)", missing.join(", "))
    };
    let total: i32 = widths.iter().sum::<i32>() + (note.chars().count() as f64 * 7.5) as i32;
    let mut x = (WIDTH as i32 - total).max(0) / 2;
    for ((label, c, bar), w) in entries.iter().zip(&widths) {
        if *bar {
            area.draw(&Rectangle::new([(x, y - 7), (x + 16, y + 7)], c.filled()))?;
        } else {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 16, y)],
                c.stroke_width(2),
            ))?;
        }
        area.draw(&Text::new(label.as_str(), (x + 22, y), style.clone()))?;
        x += w;
    }
    if !note.is_empty() {
        area.draw(&Text::new(note, (x, y), style.color(&BLACK.mix(0.6))))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_covers_every_value_and_a_decade_each_way() {
        assert_eq!(y_range([1.0].into_iter()), (0.1 / 3.0, 30.0));
        let (lo, hi) = y_range([0.004, 40.0].into_iter());
        assert!(lo < 0.004 && hi > 40.0);
    }
}
