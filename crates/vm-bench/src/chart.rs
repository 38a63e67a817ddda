//! The chart: for each workload, one bar per runner with numbers showing its speed
//! relative to qemu (qemu = 1, log scale, higher is faster), drawn to SVG by plotters.
//!
//! Invariant: no font library is involved; text goes into the SVG as `<text>` elements
//! and the viewer renders it.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use plotters::prelude::*;

use crate::report::Report;
use crate::runners::Runner;

const COLORS: [RGBColor; 5] = [
    RGBColor(0x1b, 0x9e, 0x77),
    RGBColor(0x66, 0xa6, 0x1e),
    RGBColor(0xd9, 0x5f, 0x02),
    RGBColor(0x75, 0x70, 0xb3),
    RGBColor(0x66, 0x66, 0x66),
];

fn color(r: Runner) -> RGBColor {
    let i = Runner::ALL.iter().position(|x| *x == r).unwrap_or(0);
    COLORS[i % COLORS.len()]
}

/// Writes the chart of `report` to `path`.
pub fn write_svg(report: &Report, path: &Path) -> Result<()> {
    let runners: Vec<Runner> = report
        .runners
        .iter()
        .filter(|r| r.unavailable.is_none())
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
    let lo = bars.iter().map(|b| b.2).fold(1.0f64, f64::min) / 2.0;
    let hi = bars.iter().map(|b| b.2).fold(1.0f64, f64::max) * 2.0;
    let n = report.workloads.len().max(1);
    let width = (160 * n as u32).max(640);
    let root = SVGBackend::new(path, (width, 480)).into_drawing_area();
    let err = |e| anyhow!("drawing the chart: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let names: Vec<&str> = report.workloads.iter().map(|w| w.name).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "speed relative to qemu-riscv64-static (higher is faster), {} {}",
                report.date,
                report.mode.name()
            ),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..n as f64, (lo..hi).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            names.get(i).map(|s| s.to_string()).unwrap_or_default()
        })
        .y_desc("× qemu speed (log)")
        .y_label_formatter(&|y| format!("{y}"))
        .draw()
        .map_err(err)?;
    let slot = 0.8 / runners.len().max(1) as f64;
    for (ri, r) in runners.iter().enumerate() {
        let c = color(*r);
        chart
            .draw_series(bars.iter().filter(|b| b.1 == ri).map(|&(wi, _, v)| {
                let x0 = wi as f64 + 0.1 + slot * ri as f64;
                Rectangle::new([(x0, lo), (x0 + slot * 0.9, v)], c.filled())
            }))
            .map_err(err)?
            .label(r.label())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], c.filled()));
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 1.0), (n as f64, 1.0)],
            BLACK.stroke_width(1),
        )))
        .map_err(err)?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(err)?;
    root.present()
        .map_err(err)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
