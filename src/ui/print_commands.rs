//! Printing a sheet from the client record: rendered, saved and recorded off the UI thread,
//! then opened or sent to the printer; the status line says where it went.

use super::app::NeedlepointApp;
use super::jobs::PrintJob;
use super::state::Status;
use crate::domain::DocumentKind;
use crate::print::deliver::Delivered;
use crate::print::PrintRequest;

/// "aftercare sheet", as the status line names it.
fn sheet_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Aftercare => "aftercare sheet",
        DocumentKind::Preparation => "preparation sheet",
        DocumentKind::Screening => "screening copy",
    }
}

impl NeedlepointApp {
    pub(super) fn start_print(&mut self, request: PrintRequest, ctx: &egui::Context) {
        if self.print_job.is_some() {
            self.status = Some(Status::Error(
                "A sheet is still being printed. Try again when it is done.".to_owned(),
            ));
            return;
        }
        self.print_job = Some(PrintJob::start(
            self.store.path().to_path_buf(),
            self.store.clock(),
            self.protocol.clone(),
            request,
            self.today,
            self.actor(),
            self.delivery,
            ctx.clone(),
        ));
        self.status = Some(Status::Info(format!(
            "Making the {}…",
            sheet_name(request.kind())
        )));
    }

    pub(super) fn print_finished(&mut self, job: PrintJob) {
        let name = sheet_name(job.request.kind());
        self.status = Some(match job.finish() {
            Ok(outcome) => {
                let path = outcome.printed.path.display().to_string();
                let mut status = match outcome.delivered {
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
                if !outcome.printed.warnings.is_empty() {
                    let note = format!(" Check the sheet: {}.", outcome.printed.warnings.join("; "));
                    status = Status::Error(format!("{}{note}", status.text()));
                }
                status
            }
            Err(e) => Status::Error(e),
        });
        // Show "Aftercare printed …" on the session row.
        if let Some(id) = self.record.as_ref().map(|r| r.client.id) {
            self.open_client(id);
        }
    }
}
