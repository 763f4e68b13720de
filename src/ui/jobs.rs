//! Slow work off the UI thread: the thread reports progress, the UI polls it each frame.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use chrono::NaiveDate;

use crate::protocol::Protocol;
use crate::store::{Store, StoreError};

/// Demo data being written by a background thread on its own connection (WAL lets the window
/// keep reading meanwhile).
pub struct DemoJob {
    done: Arc<AtomicUsize>,
    pub total: usize,
    handle: JoinHandle<Result<(), StoreError>>,
}

impl DemoJob {
    pub fn start(
        path: PathBuf,
        protocol: Protocol,
        clients: usize,
        today: NaiveDate,
        ctx: egui::Context,
    ) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let progress = done.clone();
        let handle = std::thread::spawn(move || {
            let mut store = Store::open(&path)?;
            crate::demo::generate(&mut store, &protocol, clients, today, 42, |n, _| {
                progress.store(n, Ordering::Relaxed);
                ctx.request_repaint();
            })?;
            ctx.request_repaint();
            Ok(())
        });
        Self {
            done,
            total: clients,
            handle,
        }
    }

    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total)
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the thread (call once finished) and gives its result.
    pub fn finish(self) -> Result<(), String> {
        match self.handle.join() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("Creating demo data stopped unexpectedly.".to_owned()),
        }
    }
}

/// The Today lists, computed on a thread with its own connection: with 100,000 clients they
/// take longer than a frame, and the window must open and answer at once.
pub struct TodayJob {
    handle: JoinHandle<Result<crate::domain::TodayOverview, StoreError>>,
}

impl TodayJob {
    /// The window polls the job while it runs (see `NeedlepointApp::ui`).
    pub fn start(path: PathBuf, today: NaiveDate) -> Self {
        let handle = std::thread::spawn(move || Store::open(&path)?.today_overview(today));
        Self { handle }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the thread and gives its result.
    pub fn finish(self) -> Result<crate::domain::TodayOverview, String> {
        match self.handle.join() {
            Ok(Ok(o)) => Ok(o),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("Loading today's lists stopped unexpectedly.".to_owned()),
        }
    }
}

/// A backup made by a background thread on its own connection, so the window never waits.
pub struct BackupJob {
    handle: JoinHandle<Result<crate::store::BackupReport, StoreError>>,
}

impl BackupJob {
    pub fn start(
        path: PathBuf,
        clock: fn() -> chrono::DateTime<chrono::Utc>,
        actor: String,
        ctx: egui::Context,
    ) -> Self {
        let handle = std::thread::spawn(move || {
            let result = Store::open_with_clock(&path, clock).and_then(|mut store| {
                let report = store.backup_now(&actor)?;
                store.close()?;
                Ok(report)
            });
            ctx.request_repaint();
            result
        });
        Self { handle }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the thread (call once finished) and gives its result.
    pub fn finish(self) -> Result<crate::store::BackupReport, String> {
        match self.handle.join() {
            Ok(Ok(report)) => Ok(report),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("The backup stopped unexpectedly.".to_owned()),
        }
    }
}

/// A recall search: a lot used in every session of a busy year lists tens of thousands of
/// sessions, longer than a frame.
pub struct RecallJob {
    pub lot: String,
    handle: JoinHandle<Result<Vec<crate::domain::RecallRow>, StoreError>>,
}

impl RecallJob {
    pub fn start(path: PathBuf, lot: String) -> Self {
        let wanted = lot.clone();
        let handle = std::thread::spawn(move || Store::open(&path)?.recall_by_lot(&wanted));
        Self { lot, handle }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    pub fn finish(self) -> (String, Result<Vec<crate::domain::RecallRow>, String>) {
        let result = match self.handle.join() {
            Ok(Ok(rows)) => Ok(rows),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("The recall search stopped unexpectedly.".to_owned()),
        };
        (self.lot, result)
    }
}

/// A recall list written as CSV on a thread of its own: tens of thousands of rows, perhaps to a
/// network folder, must not hold the window. The audit row is saved when it finishes.
pub struct RecallExportJob {
    pub lot: String,
    pub rows: usize,
    pub path: PathBuf,
    handle: JoinHandle<std::io::Result<()>>,
}

impl RecallExportJob {
    pub fn start(path: PathBuf, lot: String, rows: &[crate::domain::RecallRow]) -> Self {
        let csv = crate::domain::recall_csv(rows);
        let target = path.clone();
        let handle = std::thread::spawn(move || crate::paths::write_whole_file(&target, csv.as_bytes()));
        Self {
            lot,
            rows: rows.len(),
            path,
            handle,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the thread: the lot, how many sessions, the file, and whether it was written
    /// (the error in the clinic's words).
    pub fn finish(self) -> (String, usize, PathBuf, Result<(), String>) {
        let result = match self.handle.join() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!(
                "Could not write {}: {e}. Choose another folder.",
                self.path.display()
            )),
            Err(_) => Err("Writing the recall list stopped unexpectedly.".to_owned()),
        };
        (self.lot, self.rows, self.path, result)
    }
}

/// What a finished print job did.
pub struct PrintOutcome {
    pub printed: crate::print::Printed,
    /// `None` when only saved (tests, the bench); else how the sheet was handed over.
    pub delivered: Option<Result<crate::print::deliver::Delivered, String>>,
}

/// A sheet rendered, saved and recorded on a thread with its own connection: the first sheet
/// loads the fonts, longer than a frame.
pub struct PrintJob {
    pub request: crate::print::PrintRequest,
    handle: JoinHandle<Result<PrintOutcome, crate::print::PrintError>>,
}

impl PrintJob {
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        path: PathBuf,
        clock: fn() -> chrono::DateTime<chrono::Utc>,
        protocol: Protocol,
        request: crate::print::PrintRequest,
        today: NaiveDate,
        actor: String,
        delivery: crate::print::deliver::Delivery,
        ctx: egui::Context,
    ) -> Self {
        use crate::print::{deliver, documents_folder, print_into_folder, Templates};
        let handle = std::thread::spawn(move || {
            let result = (|| {
                let mut store = Store::open_with_clock(&path, clock)?;
                let settings = store.print_settings()?;
                let folder = documents_folder(&path, &settings);
                let templates = Templates::beside_database(&path);
                let printed =
                    print_into_folder(&mut store, &protocol, &templates, request, today, &folder, &actor)?;
                store.close()?;
                let delivered = match delivery {
                    deliver::Delivery::System => Some(deliver::deliver(&printed.path, settings.use_lp)),
                    deliver::Delivery::SaveOnly => None,
                };
                Ok(PrintOutcome { printed, delivered })
            })();
            ctx.request_repaint();
            result
        });
        Self { request, handle }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the thread (call once finished) and gives its result.
    pub fn finish(self) -> Result<PrintOutcome, String> {
        match self.handle.join() {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("Printing stopped unexpectedly.".to_owned()),
        }
    }
}
