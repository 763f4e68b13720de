//! The bench's figures and the table it prints for people.

use std::path::PathBuf;

use serde::Serialize;

/// One measured path.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: &'static str,
    pub samples: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
    /// Issue 7's budget for the 95th percentile; `None` for figures measured for information.
    pub budget_ms: Option<f64>,
    /// What dominates the figure, for the README's table.
    pub note: &'static str,
}

impl Figure {
    /// `None` when the figure has no budget.
    pub fn within_budget(&self) -> Option<bool> {
        self.budget_ms.map(|budget| self.p95_ms <= budget)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub database: PathBuf,
    pub clients: usize,
    pub figures: Vec<Figure>,
    /// The process's peak resident memory (Linux `VmHWM`), when the OS reports it.
    pub peak_memory_mb: Option<f64>,
    pub memory_budget_mb: f64,
    /// Peak resident memory while the photo figures ran (500 photos in a record, 12 MP
    /// imports), measured from a reset high-water mark; `None` where the OS cannot reset it.
    pub photo_memory_mb: Option<f64>,
    pub photo_memory_budget_mb: f64,
}

/// Resets this process's peak resident memory to what it holds now (Linux: `5` written to
/// `/proc/self/clear_refs`); false where that cannot be done.
pub fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Peak resident memory of this process in MB (Linux: `VmHWM` in `/proc/self/status`).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The report as a table for people.
pub fn table(r: &Report) -> String {
    let mut out = format!(
        "Needlepoint bench: {} clients in {}\n\n",
        r.clients,
        r.database.display()
    );
    out.push_str(&format!(
        "{:<36} {:>8} {:>10} {:>10} {:>10}  {}\n",
        "what", "samples", "median", "p95", "budget", "within"
    ));
    for f in &r.figures {
        out.push_str(&format!(
            "{:<36} {:>8} {:>10} {:>10} {:>10}  {}\n",
            f.name,
            f.samples,
            show_ms(f.median_ms),
            show_ms(f.p95_ms),
            f.budget_ms.map_or_else(|| "—".to_owned(), show_ms),
            match f.within_budget() {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "(information)",
            }
        ));
    }
    match r.peak_memory_mb {
        Some(mb) => out.push_str(&format!(
            "{:<36} {:>8} {:>10} {:>10} {:>10}  {}\n",
            "peak memory",
            "",
            "",
            format!("{mb:.0} MB"),
            format!("{:.0} MB", r.memory_budget_mb),
            if mb <= r.memory_budget_mb { "yes" } else { "NO" }
        )),
        None => out.push_str("peak memory: not reported by this OS\n"),
    }
    if let Some(mb) = r.photo_memory_mb {
        out.push_str(&format!(
            "{:<36} {:>8} {:>10} {:>10} {:>10}  {}\n",
            "peak memory, photo figures",
            "",
            "",
            format!("{mb:.0} MB"),
            format!("{:.0} MB", r.photo_memory_budget_mb),
            if mb <= r.photo_memory_budget_mb {
                "yes"
            } else {
                "NO"
            }
        ));
    }
    out
}

fn show_ms(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.1} µs", ms * 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}
