//! Carrying out what views ask for: each action that changes data is one store write; a
//! failed save keeps the form open with what was typed and says why.

use chrono::Duration;

use super::app::{Action, NeedlepointApp, Screen};
use super::jobs::{BackupJob, DemoJob, PrintJob, RecallJob, TodayJob};
use super::state::{Dialog, Status, MAX_HITS, PAGE};
use super::views::client_form::ClientForm;
use super::views::concern_form::ConcernForm;
use super::views::plan_form::{BookingForm, PlanForm};
use super::views::screening::ScreeningForm;
use super::views::settings::SettingsForm;
use crate::domain::{Client, ClientDraft, ClientId, SessionStatus};
use crate::store::StoreError;

impl NeedlepointApp {
    pub(super) fn apply(&mut self, action: Action, ctx: &egui::Context) {
        if self.store.is_read_only() && action.writes() {
            self.status = Some(Status::Error(StoreError::ReadOnly.to_string()));
            return;
        }
        match action {
            Action::Navigate(screen) => {
                if screen == Screen::Clients && self.prefs.screen == Screen::Clients {
                    self.record = None;
                }
                self.prefs.screen = screen;
                if screen == Screen::Clients && self.record.is_none() {
                    self.focus_search = true;
                }
                self.refresh_lists();
            }
            Action::Search(query) => {
                self.clients.query = query;
                self.refresh_clients();
            }
            Action::ShowClientRows { first, last } => self.load_client_rows(first, last),
            Action::OpenClient(id) => {
                self.prefs.screen = Screen::Clients;
                self.screening = None;
                self.session_form = None;
                self.open_client(id);
            }
            Action::CloseClient => {
                self.record = None;
                self.screening = None;
                self.session_form = None;
                self.focus_search = true;
            }
            Action::NewClient => {
                self.dialog = Some(Dialog::Client(Box::default()));
            }
            Action::EditClient => {
                if let Some(r) = &self.record {
                    self.dialog = Some(Dialog::Client(Box::new(ClientForm {
                        editing: Some(r.client.id),
                        draft: ClientDraft::from_details(&r.client.details),
                        ..ClientForm::default()
                    })));
                }
            }
            Action::SubmitClientForm { confirm_duplicate } => self.submit_client(confirm_duplicate),
            Action::ArchiveClient => self.dialog = Some(Dialog::ConfirmArchive),
            Action::ConfirmArchive => self.archive_client(),
            Action::ExportRecord => self.open_export(),
            Action::ConfirmExport => self.export_record(),
            Action::AnonymiseClient => {
                if self.record.is_some() {
                    self.dialog = Some(Dialog::ConfirmAnonymise);
                }
            }
            Action::ConfirmAnonymise => self.anonymise_client(),
            Action::ImportClients => self.open_import(),
            Action::PreviewImport => self.preview_import(),
            Action::ConfirmImport => self.confirm_import(),
            Action::AddConcern => self.dialog = Some(Dialog::Concern(Box::default())),
            Action::EditConcern(id) => {
                if let Some(c) = self.concern(id) {
                    self.dialog = Some(Dialog::Concern(Box::new(ConcernForm::edit(c))));
                }
            }
            Action::SubmitConcernForm => self.submit_concern(),
            Action::NewPlan => {
                if let Some(r) = &self.record {
                    self.dialog = Some(Dialog::Plan(Box::new(PlanForm::new(
                        &self.protocol,
                        &r.concerns,
                        self.today,
                    ))));
                }
            }
            Action::SubmitPlanForm => self.submit_plan(),
            Action::BookSession(id) => self.open_booking(id),
            Action::SubmitBooking => self.submit_booking(),
            Action::CloseDialog => self.dialog = None,
            Action::SaveSettings => self.save_settings(),
            Action::SetDarkMode(dark) => self.prefs.dark_mode = dark,
            Action::SetUser(user) => self.prefs.user = user.chars().take(120).collect(),
            Action::StartScreening => self.start_screening(None),
            Action::AmendScreening(id) => self.start_screening(Some(id)),
            Action::CancelScreening => self.screening = None,
            Action::SubmitScreening => self.submit_screening(),
            Action::StartSession(id) => self.start_session(id),
            Action::RecordSession(id) => self.open_session_form(id),
            Action::ReusePreviousSettings => {
                if let Some(f) = &mut self.session_form {
                    f.reuse_previous();
                }
            }
            Action::SubmitSessionRecord => self.submit_session_record(),
            Action::CancelSessionRecord => self.session_form = None,
            Action::AmendSession(id) => self.open_session_amendment(id),
            Action::SubmitSessionAmendment => self.submit_session_amendment(),
            Action::SaveProduct => self.save_product(),
            Action::SetProductActive(id, active) => self.set_product_active(id, active),
            Action::RecallSearch => self.recall_search(),
            Action::ExportRecall => self.export_recall(),
            Action::GenerateDemo { clients } => {
                if self.demo.is_none() {
                    let path = self.store.path().to_path_buf();
                    self.demo = Some(DemoJob::start(
                        path,
                        self.protocol.clone(),
                        clients,
                        self.today,
                        ctx.clone(),
                    ));
                }
            }
            Action::DismissStatus => self.status = None,
            Action::BackupNow => {
                if self.backup.is_none() {
                    self.start_backup(ctx);
                    self.status = Some(Status::Info("Backing up…".to_owned()));
                }
            }
            Action::AskRestore(backup) => self.dialog = Some(Dialog::ConfirmRestore(backup)),
            Action::ConfirmRestore(backup) => {
                self.dialog = None;
                self.restore_running(&backup);
            }
            Action::Print(request) => self.start_print(request, ctx),
        }
    }

    pub(super) fn start_backup(&mut self, ctx: &egui::Context) {
        if self.backup.is_none() {
            let path = self.store.path().to_path_buf();
            self.backup = Some(BackupJob::start(
                path,
                self.store.clock(),
                self.actor(),
                ctx.clone(),
            ));
        }
    }

    pub(super) fn backup_finished(&mut self, job: BackupJob) {
        self.refresh_backups();
        match job.finish() {
            Ok(report) => {
                self.backup_warning = report.location_warning.clone();
                let text = format!("Backup saved and checked: {}.", report.backup.file_name());
                // A failure shown earlier stays until dismissed; success is only worth a word.
                if !matches!(self.status, Some(Status::Error(_))) {
                    self.status = Some(Status::Info(text));
                }
            }
            Err(e) => self.status = Some(Status::Error(format!("The backup failed: {e}"))),
        }
    }

    pub(super) fn refresh_backups(&mut self) {
        match crate::store::list_backups(self.store.path()) {
            Ok(list) => self.backups = list,
            Err(e) => self.fail(&e),
        }
        if self.backup_warning.is_none() {
            self.backup_warning = crate::paths::risky_location(&crate::store::backup_dir(self.store.path()));
        }
    }

    /// The last backup when the window closes (on this thread: the process is ending).
    pub(super) fn backup_on_exit(&mut self) {
        self.wait_for_backup();
        if let Some(job) = self.demo.take() {
            // Demo data still being written: let it finish so the backup includes it.
            let _ = job.finish();
        }
        let actor = self.actor();
        if let Err(e) = self.store.backup_now(&actor) {
            tracing::error!("backup on closing failed: {e}");
            eprintln!("{e}");
        }
    }

    /// Restores a backup while the window is open: the store is closed, the backup restored
    /// (it is checked before anything is replaced) and the database opened again.
    fn restore_running(&mut self, backup: &crate::store::BackupInfo) {
        if self.demo.is_some() || self.backup.is_some() {
            self.status = Some(Status::Error(
                "Wait until the demo data or the backup in progress has finished, then restore again."
                    .to_owned(),
            ));
            return;
        }
        let path = self.store.path().to_path_buf();
        let placeholder = match crate::store::Store::open_in_memory() {
            Ok(s) => s,
            Err(e) => return self.fail(&e),
        };
        let open = std::mem::replace(&mut self.store, placeholder);
        if let Err(e) = open.close() {
            tracing::warn!("closing before restore: {e}");
        }
        let actor = self.actor();
        let restored = crate::store::restore(&path, &backup.path, &actor);
        match crate::store::Store::open(&path) {
            Ok(store) => self.store = store,
            Err(e) => {
                self.status = Some(Status::Error(format!(
                    "The database could not be opened again after the restore: {e} Close Needlepoint and run `needlepoint check`."
                )));
                return;
            }
        }
        self.record = None;
        self.screening = None;
        self.load_settings();
        self.refresh_lists();
        self.refresh_backups();
        self.status = Some(match restored {
            Ok(report) => Status::Info(match report.previous_kept_at {
                Some(kept) => format!(
                    "Restored the backup of {} UTC. The data it replaced was kept in {}.",
                    backup.taken_at.format("%Y-%m-%d %H:%M"),
                    kept.display()
                ),
                None => format!(
                    "Restored the backup of {} UTC.",
                    backup.taken_at.format("%Y-%m-%d %H:%M")
                ),
            }),
            Err(e) => Status::Error(e.to_string()),
        });
    }

    pub(super) fn poll_jobs(&mut self) {
        if self.print_job.as_ref().is_some_and(PrintJob::is_finished) {
            if let Some(job) = self.print_job.take() {
                self.print_finished(job);
            }
        }
        if self.recall_job.as_ref().is_some_and(RecallJob::is_finished) {
            if let Some(job) = self.recall_job.take() {
                self.recall_found(job);
            }
        }
        if self
            .recall_export_job
            .as_ref()
            .is_some_and(super::jobs::RecallExportJob::is_finished)
        {
            if let Some(job) = self.recall_export_job.take() {
                self.recall_exported(job);
            }
        }
        if self.today_job.as_ref().is_some_and(TodayJob::is_finished) {
            if let Some(job) = self.today_job.take() {
                self.apply_today(job);
            }
        }
        if self.backup.as_ref().is_some_and(BackupJob::is_finished) {
            if let Some(job) = self.backup.take() {
                self.backup_finished(job);
            }
        }
        if self.demo.as_ref().is_some_and(DemoJob::is_finished) {
            if let Some(job) = self.demo.take() {
                let total = job.total;
                self.status = Some(match job.finish() {
                    Ok(()) => Status::Info(format!("Added {total} demo clients.")),
                    Err(e) => Status::Error(e),
                });
                self.refresh_lists();
            }
        }
    }

    pub(super) fn fail(&mut self, e: &StoreError) {
        self.status = Some(Status::Error(e.to_string()));
    }

    pub(super) fn load_settings(&mut self) {
        match self.store.clinic_settings() {
            Ok(s) => {
                self.practitioners = s.practitioners.clone();
                self.settings_form = SettingsForm::from_settings(&s);
            }
            Err(e) => self.fail(&e),
        }
        match self.store.print_settings() {
            Ok(p) => self.print_settings = p,
            Err(e) => self.fail(&e),
        }
    }

    /// Reloads what the current screen lists (after a change, or on arrival).
    pub(super) fn refresh_lists(&mut self) {
        let started = std::time::Instant::now();
        self.refresh_clients();
        self.refresh_products();
        tracing::debug!(
            "clients and products refreshed in {} ms",
            started.elapsed().as_millis()
        );
        // A newer request replaces a running one; the old thread's answer is dropped.
        self.today_job = Some(TodayJob::start(self.store.path().to_path_buf(), self.today));
        if let Some(id) = self.record.as_ref().map(|r| r.client.id) {
            self.open_client(id);
        }
    }

    /// Blocks until the Today lists are loaded. For tests, which must not race the thread.
    #[doc(hidden)]
    pub fn wait_for_background_work(&mut self) {
        if let Some(job) = self.today_job.take() {
            self.apply_today(job);
        }
        if let Some(job) = self.recall_job.take() {
            self.recall_found(job);
        }
        if let Some(job) = self.recall_export_job.take() {
            self.recall_exported(job);
        }
        if let Some(job) = self.print_job.take() {
            self.print_finished(job);
        }
    }

    fn apply_today(&mut self, job: TodayJob) {
        let started = std::time::Instant::now();
        match job.finish() {
            Ok(o) => self.today_overview = o,
            Err(e) => self.status = Some(Status::Error(e)),
        }
        tracing::debug!(
            "today lists applied after waiting {} ms",
            started.elapsed().as_millis()
        );
    }

    fn refresh_clients(&mut self) {
        self.clients.pages.clear();
        let result = if self.clients.searching() {
            self.store
                .search_clients(&self.clients.query, MAX_HITS)
                .map(|hits| {
                    self.clients.hits = hits.into_iter().map(|h| h.client).collect();
                })
        } else {
            self.clients.hits.clear();
            self.store.client_count(false).map(|n| self.clients.total = n)
        };
        if let Err(e) = result {
            self.fail(&e);
        }
        self.load_client_rows(0, PAGE);
    }

    /// Loads the pages holding rows `first..last` (and one page of margin each side).
    fn load_client_rows(&mut self, first: usize, last: usize) {
        if self.clients.searching() {
            return;
        }
        let from = first.saturating_sub(PAGE) / PAGE;
        let to = (last + PAGE) / PAGE;
        for page in from..=to {
            if page * PAGE >= self.clients.total || self.clients.pages.contains_key(&page) {
                continue;
            }
            match self.store.client_page(page * PAGE, PAGE, false) {
                Ok(rows) => {
                    self.clients.pages.insert(page, rows);
                }
                Err(e) => {
                    self.fail(&e);
                    return;
                }
            }
        }
        // Keep memory flat while scrolling through 100,000 clients.
        if self.clients.pages.len() > 40 {
            self.clients.pages.retain(|p, _| *p + 2 >= from && *p <= to + 2);
        }
    }

    pub(super) fn open_client(&mut self, id: ClientId) {
        match self.store.client_record(id) {
            Ok(Some(record)) => self.record = Some(record),
            Ok(None) => {
                self.record = None;
                self.status = Some(Status::Error(StoreError::NotFound { what: "client" }.to_string()));
            }
            Err(e) => self.fail(&e),
        }
    }

    fn submit_client(&mut self, confirm_duplicate: bool) {
        let actor = self.actor();
        let Some(Dialog::Client(form)) = &mut self.dialog else {
            return;
        };
        let details = match form.draft.validate(self.today) {
            Ok(d) => d,
            Err(errors) => {
                form.errors = Some(errors);
                return;
            }
        };
        form.errors = None;
        if !confirm_duplicate {
            match self
                .store
                .same_name_and_birth(&details.full_name, details.date_of_birth, form.editing)
            {
                Ok(dups) if !dups.is_empty() => {
                    form.duplicates = dups;
                    return;
                }
                Ok(_) => {}
                Err(e) => {
                    form.save_error = Some(e.to_string());
                    return;
                }
            }
        }
        let editing = form.editing;
        let before = self
            .record
            .as_ref()
            .filter(|r| Some(r.client.id) == editing)
            .map(|r| r.client.details.clone());
        let result = match (editing, before) {
            (Some(id), Some(before)) => self
                .store
                .write(&actor, |w| w.update_client(id, &before, &details))
                .map(|()| id),
            _ => {
                let client = Client {
                    id: ClientId::new(),
                    details,
                    archived: false,
                };
                self.store
                    .write(&actor, |w| w.insert_client(&client))
                    .map(|()| client.id)
            }
        };
        match result {
            Ok(id) => {
                self.dialog = None;
                self.status = Some(Status::Info("Client saved.".to_owned()));
                self.prefs.screen = Screen::Clients;
                self.open_client(id);
                self.refresh_clients();
            }
            Err(e) => {
                if let Some(Dialog::Client(form)) = &mut self.dialog {
                    form.save_error = Some(e.to_string());
                }
            }
        }
    }

    fn archive_client(&mut self) {
        let Some(id) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let actor = self.actor();
        match self.store.write(&actor, |w| w.archive_client(id)) {
            Ok(()) => {
                self.dialog = None;
                self.record = None;
                self.status = Some(Status::Info(
                    "Client archived; their records are kept.".to_owned(),
                ));
                self.refresh_lists();
            }
            Err(e) => self.fail(&e),
        }
    }

    fn submit_concern(&mut self) {
        let Some(client) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let Some(Dialog::Concern(form)) = &mut self.dialog else {
            return;
        };
        let concern = match form.build(&self.protocol, client, self.today) {
            Ok(c) => c,
            Err(e) => {
                form.error = Some(e.to_string());
                return;
            }
        };
        let editing = form.editing.is_some();
        let actor = self.actor();
        let result = self.store.write(&actor, |w| {
            if editing {
                w.update_concern(&concern)
            } else {
                w.insert_concern(&concern)
            }
        });
        match result {
            Ok(()) => {
                self.dialog = None;
                self.open_client(client);
            }
            Err(e) => {
                if let Some(Dialog::Concern(form)) = &mut self.dialog {
                    form.error = Some(e.to_string());
                }
            }
        }
    }

    fn submit_plan(&mut self) {
        let Some(client) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let Some(Dialog::Plan(form)) = &mut self.dialog else {
            return;
        };
        let plan = match form.build(&self.protocol, client) {
            Ok(p) => p,
            Err(errors) => {
                form.errors = errors;
                return;
            }
        };
        form.errors.clear();
        let sessions = plan.initial_sessions();
        let actor = self.actor();
        match self.store.write(&actor, |w| w.insert_plan(&plan, &sessions)) {
            Ok(()) => {
                self.dialog = None;
                self.status = Some(Status::Info(format!(
                    "Plan saved: {} sessions from {}.",
                    sessions.len(),
                    plan.series.start
                )));
                self.refresh_lists();
            }
            Err(e) => {
                if let Some(Dialog::Plan(form)) = &mut self.dialog {
                    form.errors = vec![("Plan".to_owned(), e.to_string())];
                }
                self.fail(&e);
            }
        }
    }

    fn open_booking(&mut self, id: crate::domain::SessionId) {
        let Some(record) = &self.record else { return };
        for p in &record.plans {
            let Some(i) = p.sessions.iter().position(|s| s.id == id) else {
                continue;
            };
            let s = &p.sessions[i];
            let previous = i
                .checked_sub(1)
                .and_then(|j| p.sessions.get(j))
                .map(|prev| prev.performed_on.unwrap_or(prev.target_on));
            let suggested = s.target_on.max(self.today);
            self.dialog = Some(Dialog::Booking(Box::new(BookingForm {
                session: id,
                number: s.number,
                window: p.plan.series.window,
                previous,
                earliest: s.earliest_on,
                latest: s.latest_on,
                date: suggested.to_string(),
                reason: String::new(),
                error: None,
            })));
            return;
        }
    }

    fn submit_booking(&mut self) {
        let Some(Dialog::Booking(form)) = &mut self.dialog else {
            return;
        };
        let (date, reason) = match form.validate(self.today) {
            Ok(v) => v,
            Err(e) => {
                form.error = Some(e);
                return;
            }
        };
        let id = form.session;
        let Some(record) = &self.record else { return };
        let client = record.client.id;
        let Some(mut session) = record
            .plans
            .iter()
            .flat_map(|p| &p.sessions)
            .find(|s| s.id == id)
            .cloned()
        else {
            return;
        };
        session.status = SessionStatus::Booked;
        session.booked_on = Some(date);
        session.interval_override_reason = reason;
        let actor = self.actor();
        match self.store.write(&actor, |w| w.update_session(&session, client)) {
            Ok(()) => {
                self.dialog = None;
                let soon = if date <= self.today + Duration::days(7) {
                    " (this week)"
                } else {
                    ""
                };
                self.status = Some(Status::Info(format!(
                    "Session {} booked for {date}{soon}.",
                    session.number
                )));
                self.refresh_lists();
            }
            Err(e) => {
                if let Some(Dialog::Booking(form)) = &mut self.dialog {
                    form.error = Some(e.to_string());
                }
            }
        }
    }

    fn save_settings(&mut self) {
        let settings = match self.settings_form.validate() {
            Ok(s) => s,
            Err(errors) => {
                self.settings_form.errors = Some(errors);
                return;
            }
        };
        self.settings_form.errors = None;
        let actor = self.actor();
        let print = self.print_settings.clone();
        match self.store.write(&actor, |w| {
            w.save_clinic_settings(&settings)?;
            w.save_print_settings(&print)
        }) {
            Ok(()) => {
                self.practitioners = settings.practitioners;
                self.status = Some(Status::Info("Settings saved.".to_owned()));
            }
            Err(e) => self.fail(&e),
        }
    }
}

impl NeedlepointApp {
    fn start_screening(&mut self, amends: Option<crate::domain::ScreeningId>) {
        let Some(r) = &self.record else { return };
        let d = &r.client.details;
        let form = match amends {
            Some(id) => match r.screenings.iter().find(|s| s.id == id) {
                Some(original) => ScreeningForm::amendment(
                    &self.protocol,
                    original,
                    &d.full_name,
                    d.skin_type,
                    d.date_of_birth,
                ),
                None => return,
            },
            None => {
                // Areas of the client's active plans are planned for today; the practitioner may change them.
                let planned: Vec<String> = r
                    .plans
                    .iter()
                    .filter(|p| p.plan.status == crate::domain::PlanStatus::Active)
                    .flat_map(|p| p.plan.areas.iter().map(|a| a.area.clone()))
                    .collect();
                let previous = r.screenings.iter().find(|s| s.is_signed()).cloned();
                let signer = self.practitioners.first().cloned().unwrap_or_default();
                ScreeningForm::new(
                    &self.protocol,
                    r.client.id,
                    &d.full_name,
                    d.skin_type,
                    d.date_of_birth,
                    &planned,
                    previous,
                    &signer,
                )
            }
        };
        self.screening = Some(form);
    }

    fn submit_screening(&mut self) {
        let Some(form) = &mut self.screening else { return };
        let screening = match form.build(&self.protocol, self.today) {
            Ok(s) => s,
            Err(e) => {
                form.error = Some(e);
                return;
            }
        };
        let actor = self.actor();
        match self.store.write(&actor, |w| w.insert_screening(&screening)) {
            Ok(()) => {
                self.screening = None;
                self.status = Some(Status::Info(format!(
                    "Screening signed by {}: {}.",
                    screening.signed_by.as_deref().unwrap_or_default(),
                    screening.outcome.kind
                )));
                self.refresh_lists();
            }
            Err(e) => {
                if let Some(form) = &mut self.screening {
                    form.error = Some(e.to_string());
                }
            }
        }
    }

    fn start_session(&mut self, id: crate::domain::SessionId) {
        let Some(r) = &self.record else { return };
        let Some(session) = r
            .plans
            .iter()
            .flat_map(|p| &p.sessions)
            .find(|s| s.id == id)
            .cloned()
        else {
            return;
        };
        let screening = match crate::domain::screening_for_session(&r.screenings, self.today) {
            Ok(s) => s.clone(),
            Err(refusal) => {
                self.status = Some(Status::Error(refusal.to_string()));
                return;
            }
        };
        let client = r.client.id;
        let actor = self.actor();
        match self.store.write(&actor, |w| {
            w.start_session(&session, client, &screening, self.today)
        }) {
            Ok(()) => {
                self.status = Some(Status::Info(format!(
                    "Session {} started after today's screening ({}).",
                    session.number, screening.outcome.kind
                )));
                self.refresh_lists();
            }
            Err(e) => self.fail(&e),
        }
    }
}
