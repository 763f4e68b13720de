//! Printing a sheet from the client record: rendered, saved and recorded off the window's thread
//! (the first sheet loads the fonts, longer than a frame), then opened or sent to the printer;
//! the status line says where it went.

use std::path::Path;

use super::RecordArea;
use crate::domain::DocumentKind;
use crate::print::deliver::{self, Delivered, Delivery};
use crate::print::{PrintError, PrintRequest, Printed};
use crate::protocol::Protocol;
use crate::store::Store;
use crate::ui::desk::{Desk, Status};
use crate::ui::jobs::{self, Job, Stopped};

/// What a finished print did.
pub(super) struct PrintOutcome {
    printed: Printed,
    /// `None` when only saved (tests, the bench); else how the sheet was handed over.
    delivered: Option<Result<Delivered, String>>,
}

/// The sheet asked for, and how printing it went.
pub(super) type PrintJob = Job<(PrintRequest, Result<PrintOutcome, PrintError>)>;

/// "aftercare sheet", as the status line names it.
fn sheet_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Aftercare => "aftercare sheet",
        DocumentKind::Preparation => "preparation sheet",
        DocumentKind::Screening => "screening copy",
    }
}

/// Renders, saves and records the sheet on this thread's own connection, then hands it over.
fn print_sheet(
    path: &Path,
    clock: fn() -> chrono::DateTime<chrono::Utc>,
    protocol: &Protocol,
    request: PrintRequest,
    today: chrono::NaiveDate,
    actor: &crate::domain::Actor,
    delivery: Delivery,
) -> Result<PrintOutcome, PrintError> {
    use crate::print::{documents_folder, print_into_folder, Templates};
    let mut store = Store::open_with_clock(path, clock)?;
    let settings = store.print_settings()?;
    let folder = documents_folder(path, &settings);
    let templates = Templates::beside_database(path);
    let printed = print_into_folder(&mut store, protocol, &templates, request, today, &folder, actor)?;
    store.close()?;
    let delivered = match delivery {
        Delivery::System => Some(deliver::deliver(&printed.path, settings.use_lp)),
        Delivery::SaveOnly => None,
    };
    Ok(PrintOutcome { printed, delivered })
}

impl RecordArea {
    pub(super) fn start_print(&mut self, request: PrintRequest, desk: &mut Desk) {
        if self.printing.is_some() {
            desk.error("A sheet is still being printed. Try again when it is done.");
            return;
        }
        let path = desk.store.path().to_path_buf();
        let clock = desk.store.clock();
        let protocol = desk.protocol.clone();
        let (today, actor, delivery) = (desk.today, desk.actor(), desk.delivery);
        self.printing = Some(Job::spawn(&desk.waker, move || {
            let result = print_sheet(&path, clock, &protocol, request, today, &actor, delivery);
            (request, result)
        }));
        desk.info(format!("Making the {}…", sheet_name(request.kind())));
    }

    /// Whether a sheet is being printed.
    pub fn printing(&self) -> bool {
        self.printing.is_some()
    }

    /// Takes a finished print's outcome (each frame).
    pub fn poll(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::take_finished(&mut self.printing) {
            self.print_finished(answer, desk);
        }
    }

    /// Waits for a print in progress (tests).
    pub fn wait(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.printing) {
            self.print_finished(answer, desk);
        }
    }

    fn print_finished(
        &mut self,
        answer: Result<(PrintRequest, Result<PrintOutcome, PrintError>), Stopped>,
        desk: &mut Desk,
    ) {
        desk.status = Some(match answer {
            Ok((request, Ok(outcome))) => printed_status(sheet_name(request.kind()), outcome),
            Ok((_, Err(e))) => Status::Error(e.to_string()),
            Err(Stopped) => Status::Error("Printing stopped unexpectedly.".to_owned()),
        });
        // Show "Aftercare printed …" on the session row.
        self.reload(desk);
    }
}

/// Where the sheet went, and anything to check on it.
fn printed_status(name: &str, outcome: PrintOutcome) -> Status {
    let path = outcome.printed.path.display().to_string();
    let status = match outcome.delivered {
        None => Status::Info(format!("The {name} was saved to {path}.")),
        Some(Ok(Delivered::Opened)) => Status::Info(format!("The {name} was saved to {path} and opened.")),
        Some(Ok(Delivered::SentToPrinter(said))) => Status::Info(format!(
            "The {name} was sent to the printer{} and saved to {path}.",
            if said.is_empty() { String::new() } else { format!(" ({said})") }
        )),
        Some(Ok(Delivered::OpenedWithoutLp)) => Status::Info(format!(
            "The printer command (lp) was not found, so the {name} was opened instead. It was saved to {path}."
        )),
        Some(Err(why)) => Status::Error(format!("The {name} was saved to {path}, but {why}.")),
    };
    if outcome.printed.warnings.is_empty() {
        status
    } else {
        let note = format!(" Check the sheet: {}.", outcome.printed.warnings.join("; "));
        Status::Error(format!("{}{note}", status.text()))
    }
}
