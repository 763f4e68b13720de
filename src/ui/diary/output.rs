//! What leaves the diary on paper or in a file: the printed day list (rendered off the window's
//! thread, then opened or sent to the printer) and tomorrow's reminder call list, saved as CSV
//! only when the desk asks.

use std::path::PathBuf;

use chrono::Duration;

use crate::domain::AuditAction;
use crate::print::day_list::{print_day_list, reminders, reminders_csv};
use crate::print::deliver::{self, Delivery};
use crate::print::{documents_folder, PrintError, Templates};
use crate::store::Store;
use crate::ui::desk::Desk;
use crate::ui::jobs::{self, Job, Stopped};

use super::{DiaryArea, DiaryDialog};

/// Where the day list went: the file, its pages, and how it was handed over.
pub(crate) type DayListJob =
    Job<Result<(PathBuf, usize, Option<Result<deliver::Delivered, String>>), PrintError>>;

impl DiaryArea {
    pub(super) fn print_day_list(&mut self, desk: &mut Desk) {
        if self.printing.is_some() {
            desk.error("The day list is still being made. Try again when it is done.");
            return;
        }
        let path = desk.store.path().to_path_buf();
        let clock = desk.store.clock();
        let (day, today, actor, delivery) = (self.day, desk.today, desk.actor(), desk.delivery);
        self.printing = Some(Job::spawn(&desk.waker, move || {
            let mut store = Store::open_with_clock(&path, clock)?;
            let settings = store.print_settings()?;
            let folder = documents_folder(&path, &settings);
            std::fs::create_dir_all(&folder).map_err(|e| PrintError::Write {
                path: folder.display().to_string(),
                reason: e.to_string(),
            })?;
            let out = folder.join(format!("day-list-{day}-{}.pdf", store.now().format("%H%M%S")));
            let pages = print_day_list(
                &mut store,
                &Templates::beside_database(&path),
                day,
                today,
                &out,
                actor,
            )?;
            store.close()?;
            let delivered = match delivery {
                Delivery::System => Some(deliver::deliver(&out, settings.use_lp)),
                Delivery::SaveOnly => None,
            };
            Ok((out, pages, delivered))
        }));
        desk.info(format!("Making the day list for {}…", self.day));
    }

    pub(super) fn poll_print(&mut self, desk: &mut Desk, wait: bool) {
        let answer = if wait {
            jobs::wait_for(&mut self.printing)
        } else {
            jobs::take_finished(&mut self.printing)
        };
        match answer {
            None => {}
            Some(Ok(Ok((path, pages, delivered)))) => {
                let path = path.display();
                match delivered {
                    Some(Err(why)) => desk.error(format!(
                        "The day list was saved to {path} but could not be opened: {why}"
                    )),
                    _ => desk.info(format!("The day list ({pages} page(s)) was saved to {path}.")),
                }
            }
            Some(Ok(Err(e))) => desk.error(e.to_string()),
            Some(Err(Stopped)) => desk.error("Making the day list stopped unexpectedly."),
        }
    }

    /// Tomorrow's appointments as a call list, in a dialog; nothing is written yet.
    pub(super) fn show_reminders(&mut self, desk: &mut Desk) {
        let day = desk.today + Duration::days(1);
        match reminders(&desk.store, day) {
            Ok(list) => {
                self.dialog = Some(DiaryDialog::Reminders {
                    day,
                    list,
                    saved: None,
                })
            }
            Err(e) => desk.error(e.to_string()),
        }
    }

    /// Saves the call list as CSV in the documents folder and records the export.
    pub(super) fn save_reminders_csv(&mut self, desk: &mut Desk) {
        let Some(DiaryDialog::Reminders { day, list, saved }) = &mut self.dialog else {
            return;
        };
        let folder = match desk.store.print_settings() {
            Ok(settings) => documents_folder(desk.store.path(), &settings),
            Err(e) => return desk.fail(&e),
        };
        let out = folder.join(format!("reminders-{day}.csv"));
        let written = std::fs::create_dir_all(&folder)
            .and_then(|()| crate::paths::write_whole_file(&out, reminders_csv(list).as_bytes()));
        if let Err(e) = written {
            return desk.error(format!(
                "The reminders could not be saved to {}: {e}",
                out.display()
            ));
        }
        let (shown, count, on) = (out.display().to_string(), list.len(), *day);
        let actor = desk.actor();
        let recorded = desk.store.write(&actor, |w| {
            w.audit(
                AuditAction::Export,
                "appointments",
                &on.to_string(),
                None,
                &format!("{count} reminders to {shown}"),
            )
        });
        match recorded {
            Ok(()) => {
                *saved = Some(shown.clone());
                desk.info(format!("{count} reminders saved to {shown}."));
            }
            Err(e) => desk.fail(&e),
        }
    }
}
