//! Before-and-after photos at the desk: a client's timelines (standing in for the record while
//! open), importing files (dropped on the window or typed) with progress off the window's thread,
//! two photos compared, one opened at full size (audited), hidden with a reason, noted on,
//! exported, and the progress report printed.

mod import;
pub mod pictures;
mod screen;

use std::path::PathBuf;

use crate::domain::{ClientId, ConsentKind, Photo, PhotoId, SessionId};
use crate::store::{ClientRecord, PhotoUse};

use super::action::{Action, Event};
use super::desk::Desk;
use super::jobs::{self, Job};
use super::views::photo_compare::CompareState;
use super::views::photo_import::{ExportForm, ImportForm, TextForm};
use import::finish_print;
use pictures::PictureCache;

pub const PHOTOS_LABEL: &str = "Photos";
pub const IMPORT_PHOTOS_LABEL: &str = "Import photos…";
pub const COMPARE_LABEL: &str = "Compare";
pub const OPEN_PHOTO_LABEL: &str = "Open photo";
pub const REPORT_LABEL: &str = "Print progress report";

/// What the photos area can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoAction {
    /// Show the open client's photos.
    Open,
    /// Back to the record.
    Close,
    /// The import dialog, with these files in it.
    Import(Vec<PathBuf>),
    AddTypedPath,
    RemoveFile(usize),
    RunImport,
    /// Select a photo (two to compare); again to unselect.
    Select(PhotoId),
    Compare,
    CloseCompare,
    AddPairToReport,
    RemovePair(usize),
    PrintReport,
    View(PhotoId),
    CloseView,
    /// The original at full size (audited).
    FullSize(PhotoId),
    Hide(PhotoId),
    SubmitHide,
    Show(PhotoId),
    Note(PhotoId),
    SubmitNote,
    Export(PhotoId),
    SubmitExport,
    CloseDialog,
}

impl PhotoAction {
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Self::RunImport
                | Self::SubmitHide
                | Self::Show(_)
                | Self::SubmitNote
                | Self::SubmitExport
                | Self::FullSize(_)
                | Self::PrintReport
        )
    }

    /// The permission it needs beyond seeing photos at all.
    pub fn requires(&self) -> Option<crate::domain::Act> {
        use crate::domain::Act;
        match self {
            Self::Import(_) | Self::RunImport | Self::Hide(_) | Self::SubmitHide | Self::Show(_) => {
                Some(Act::Photos)
            }
            Self::PrintReport => Some(Act::Print),
            Self::Export(_) | Self::SubmitExport => Some(Act::ExportClient),
            _ => None,
        }
    }
}

/// The open client's photos.
pub(crate) struct PhotoScreen {
    pub client: ClientId,
    pub client_name: String,
    pub photos: Vec<Photo>,
    pub selected: Vec<PhotoId>,
    pub compare: Option<CompareState>,
    pub viewing: Option<PhotoId>,
    /// The open photo's zoom and pan.
    pub single_view: super::views::photo_compare::ZoomPan,
    pub full_size: Option<(PhotoId, egui::TextureHandle)>,
    pub report_pairs: Vec<(PhotoId, PhotoId)>,
    /// "Session 2 · 3 Oct 2026" by session.
    pub sessions: Vec<(SessionId, String)>,
    pub consent: String,
    pub consent_ok: bool,
}

enum Dialog {
    Import(Box<ImportForm>),
    Hide(TextForm),
    Note(TextForm),
    Export(ExportForm),
}

type FullSizeAnswer = Result<(PhotoId, egui::ColorImage), String>;

#[derive(Default)]
pub(crate) struct PhotosArea {
    pub screen: Option<PhotoScreen>,
    dialog: Option<Dialog>,
    importing: Option<Job<Vec<(bool, String)>>>,
    pub(super) loading_full: Option<Job<FullSizeAnswer>>,
    pub(super) printing: Option<Job<Result<PathBuf, String>>>,
    /// An original decoded off the window's thread, made a texture by the next frame.
    pub(super) full_size_ready: Option<(PhotoId, egui::ColorImage)>,
    pub pictures: PictureCache,
}

impl PhotosArea {
    pub fn is_open(&self) -> bool {
        self.screen.is_some()
    }

    pub fn close(&mut self) {
        self.screen = None;
        self.dialog = None;
        self.pictures.clear();
    }

    pub fn apply(
        &mut self,
        action: PhotoAction,
        desk: &mut Desk,
        record: Option<&ClientRecord>,
    ) -> Option<Event> {
        match action {
            PhotoAction::Open => self.open(desk, record?),
            PhotoAction::Close => self.close(),
            PhotoAction::Import(files) => self.open_import(files, desk, record),
            PhotoAction::AddTypedPath => self.add_typed_path(),
            PhotoAction::RemoveFile(i) => {
                if let Some(Dialog::Import(f)) = &mut self.dialog {
                    if i < f.files.len() {
                        f.files.remove(i);
                    }
                }
            }
            PhotoAction::RunImport => self.run_import(desk),
            PhotoAction::Select(id) => {
                let s = self.screen.as_mut()?;
                if let Some(at) = s.selected.iter().position(|x| *x == id) {
                    s.selected.remove(at);
                } else {
                    s.selected.push(id);
                    if s.selected.len() > 2 {
                        s.selected.remove(0);
                    }
                }
            }
            PhotoAction::Compare => self.compare(desk, record?),
            PhotoAction::CloseCompare => {
                if let Some(s) = &mut self.screen {
                    s.compare = None;
                }
            }
            PhotoAction::AddPairToReport => {
                let s = self.screen.as_mut()?;
                let pair = s.compare.as_ref().map(|c| (c.before, c.after))?;
                if !s.report_pairs.contains(&pair) {
                    s.report_pairs.push(pair);
                }
                desk.info(format!(
                    "{} pair(s) chosen for the progress report.",
                    s.report_pairs.len()
                ));
            }
            PhotoAction::RemovePair(i) => {
                let s = self.screen.as_mut()?;
                if i < s.report_pairs.len() {
                    s.report_pairs.remove(i);
                }
            }
            PhotoAction::PrintReport => self.print_report(desk),
            PhotoAction::View(id) => {
                let s = self.screen.as_mut()?;
                s.viewing = Some(id);
                s.full_size = None;
                s.single_view = Default::default();
            }
            PhotoAction::CloseView => {
                let s = self.screen.as_mut()?;
                s.viewing = None;
                s.full_size = None;
            }
            PhotoAction::FullSize(id) => self.load_full_size(id, desk),
            PhotoAction::Hide(photo) => {
                self.dialog = Some(Dialog::Hide(TextForm {
                    photo,
                    text: String::new(),
                    error: None,
                }));
            }
            PhotoAction::Note(photo) => {
                self.dialog = Some(Dialog::Note(TextForm {
                    photo,
                    text: String::new(),
                    error: None,
                }));
            }
            PhotoAction::SubmitHide | PhotoAction::SubmitNote => return self.submit_text(desk),
            PhotoAction::Show(id) => {
                let actor = desk.actor();
                match desk.store.write(&actor, |w| w.show_photo(id)) {
                    Ok(()) => self.reload(desk),
                    Err(e) => desk.fail(&e),
                }
            }
            PhotoAction::Export(photo) => {
                let s = self.screen.as_ref()?;
                let p = s.photos.iter().find(|p| p.id == photo)?;
                let name = format!(
                    "{}-{}-{}-{}.{}",
                    p.taken_on,
                    p.area,
                    p.view.code(),
                    p.id.short(),
                    if p.format == "png" { "png" } else { "jpg" }
                );
                self.dialog = Some(Dialog::Export(ExportForm {
                    photo,
                    path: crate::paths::exports_dir(desk.store.path())
                        .join(name)
                        .display()
                        .to_string(),
                    marketing: false,
                    error: None,
                }));
            }
            PhotoAction::SubmitExport => self.submit_export(desk),
            PhotoAction::CloseDialog => {
                if self.importing.is_none() {
                    self.dialog = None;
                }
            }
        }
        None
    }

    fn open(&mut self, desk: &mut Desk, record: &ClientRecord) {
        let may_view = desk
            .signed_in
            .as_ref()
            .map(|s| desk.store.may_view_photos(s.role).unwrap_or(false))
            .unwrap_or(true);
        if !may_view {
            desk.error(
                "Clinical photos are for the clinical team: the clinical lead can allow the front desk to see them (Settings).",
            );
            return;
        }
        let client = record.client.id;
        let photos = match desk.store.photos_of(client) {
            Ok(p) => p,
            Err(e) => return desk.fail(&e),
        };
        let state = crate::domain::consent::consent_state(
            &record.consents,
            ConsentKind::Photographs,
            desk.today,
            record.consent_renewal_months,
        );
        let mut sessions: Vec<(SessionId, String)> = record
            .plans
            .iter()
            .flat_map(|p| p.sessions.iter())
            .map(|s| {
                let day = s.performed_on.or(s.booked_on).unwrap_or(s.target_on);
                (
                    s.id,
                    format!("Session {} · {}", s.number, day.format("%-d %b %Y")),
                )
            })
            .collect();
        sessions.sort_by(|a, b| a.1.cmp(&b.1));
        self.pictures.clear();
        self.screen = Some(PhotoScreen {
            client,
            client_name: record.client.details.full_name.clone(),
            photos,
            selected: Vec::new(),
            compare: None,
            viewing: None,
            single_view: Default::default(),
            full_size: None,
            report_pairs: Vec::new(),
            sessions,
            consent_ok: state.is_valid(),
            consent: state.words(ConsentKind::Photographs),
        });
    }

    /// Reads the photos again after a change (keeping what is selected and open).
    fn reload(&mut self, desk: &mut Desk) {
        let Some(s) = &mut self.screen else { return };
        match desk.store.photos_of(s.client) {
            Ok(p) => s.photos = p,
            Err(e) => desk.fail(&e),
        }
    }

    fn compare(&mut self, desk: &mut Desk, record: &ClientRecord) {
        let Some(s) = &mut self.screen else { return };
        let chosen: Vec<&Photo> = s
            .selected
            .iter()
            .filter_map(|id| s.photos.iter().find(|p| p.id == *id))
            .collect();
        let [a, b] = chosen[..] else {
            desk.error("Select two photos to compare: click one, then another of the same area and view.");
            return;
        };
        if !crate::domain::photo::comparable(a, b) {
            desk.error(format!(
                "These photos show different areas or views ({} and {}): compare two of the same area and view.",
                a.caption(desk.protocol.area_name(&a.area)),
                b.caption(desk.protocol.area_name(&b.area))
            ));
            return;
        }
        let (before, after) = if a.taken_on <= b.taken_on { (a, b) } else { (b, a) };
        let between = crate::print::progress_report::between_lines(
            &desk.store,
            &desk.protocol,
            record,
            before.taken_on,
            after.taken_on,
        );
        s.compare = Some(CompareState::new(before.id, after.id, between));
    }

    fn add_typed_path(&mut self) {
        let Some(Dialog::Import(form)) = &mut self.dialog else {
            return;
        };
        let typed = form.typed_path.trim().trim_matches('"').to_owned();
        if typed.is_empty() {
            form.error = Some("Type or paste the path of a photo file or a folder of photos.".to_owned());
            return;
        }
        let path = PathBuf::from(&typed);
        match import::files_at(&path) {
            Ok(found) if found.is_empty() => {
                form.error = Some(format!("{typed} holds no JPEG or PNG files."));
            }
            Ok(found) => {
                for f in found {
                    if !form.files.contains(&f) {
                        form.files.push(f);
                    }
                }
                form.typed_path.clear();
                form.error = None;
            }
            Err(e) => form.error = Some(e),
        }
    }

    fn open_import(&mut self, files: Vec<PathBuf>, desk: &mut Desk, record: Option<&ClientRecord>) {
        if self.screen.is_none() {
            let Some(record) = record else { return };
            self.open(desk, record);
            if self.screen.is_none() {
                return;
            }
        }
        if let Some(Dialog::Import(form)) = &mut self.dialog {
            for f in files {
                if !form.files.contains(&f) {
                    form.files.push(f);
                }
            }
            return;
        }
        let area = record
            .and_then(|r| r.plans.first())
            .and_then(|p| p.plan.areas.first())
            .map(|a| a.area.clone())
            .unwrap_or_default();
        self.dialog = Some(Dialog::Import(Box::new(ImportForm {
            files,
            area,
            view: Some(crate::domain::PhotoView::Front),
            camera_date: true,
            taken: desk.today.to_string(),
            ..ImportForm::default()
        })));
    }

    fn submit_text(&mut self, desk: &mut Desk) -> Option<Event> {
        let actor = desk.actor();
        let result = match &mut self.dialog {
            Some(Dialog::Hide(f)) => {
                let (photo, text) = (f.photo, f.text.clone());
                (f, desk.store.write(&actor, |w| w.hide_photo(photo, &text)))
            }
            Some(Dialog::Note(f)) => {
                let (photo, text) = (f.photo, f.text.clone());
                (f, desk.store.write(&actor, |w| w.note_photo(photo, &text)))
            }
            _ => return None,
        };
        match result {
            (_, Ok(())) => {
                self.dialog = None;
                self.reload(desk);
                Some(Event::DataChanged)
            }
            (form, Err(e)) => {
                form.error = Some(e.to_string());
                None
            }
        }
    }

    fn submit_export(&mut self, desk: &mut Desk) {
        let Some(Dialog::Export(form)) = &mut self.dialog else {
            return;
        };
        let path = PathBuf::from(form.path.trim());
        if path.as_os_str().is_empty() || path.is_dir() {
            form.error = Some("Give the file to write, for example photo.jpg.".to_owned());
            return;
        }
        let purpose = if form.marketing {
            PhotoUse::Marketing
        } else {
            PhotoUse::Client
        };
        let (actor, today) = (desk.actor(), desk.today);
        match desk.store.export_photo(&actor, form.photo, purpose, &path, today) {
            Ok(()) => {
                desk.info(format!("The photo was written to {}.", path.display()));
                self.dialog = None;
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }

    /// Answers of finished jobs (each frame).
    pub fn poll(&mut self, desk: &mut Desk) -> Option<Event> {
        let mut event = None;
        if let Some(answer) = jobs::take_finished(&mut self.importing) {
            self.finish_import(answer, desk);
            event = Some(Event::DataChanged);
        }
        if let Some(answer) = jobs::take_finished(&mut self.loading_full) {
            self.finish_full_size(answer, desk);
        }
        if let Some(answer) = jobs::take_finished(&mut self.printing) {
            finish_print(answer, desk);
        }
        event
    }

    /// Waits for running jobs and takes their answers (tests, closing the window).
    pub fn wait(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.importing) {
            self.finish_import(answer, desk);
        }
        if let Some(answer) = jobs::wait_for(&mut self.loading_full) {
            self.finish_full_size(answer, desk);
        }
        if let Some(answer) = jobs::wait_for(&mut self.printing) {
            finish_print(answer, desk);
        }
    }

    /// (done, of) while an import runs.
    pub fn working(&self) -> Option<(usize, usize)> {
        self.importing.as_ref().and_then(Job::progress)
    }
}

impl super::areas::AreaDialog for PhotosArea {
    fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    fn close_dialog(&mut self) {
        if self.importing.is_none() {
            self.dialog = None;
        }
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        let progress = self.working();
        let screen = self.screen.as_ref();
        let action = match self.dialog.as_mut()? {
            Dialog::Import(form) => {
                let areas: Vec<(String, String)> = desk
                    .protocol
                    .areas
                    .iter()
                    .map(|a| (a.id.clone(), a.name.clone()))
                    .collect();
                let sessions = screen.map(|s| s.sessions.clone()).unwrap_or_default();
                super::views::photo_import::ImportView {
                    form,
                    areas: &areas,
                    sessions: &sessions,
                    progress,
                }
                .ui(ui)
            }
            Dialog::Hide(f) => super::views::photo_import::hide_ui(ui, f),
            Dialog::Note(f) => super::views::photo_import::note_ui(ui, f),
            Dialog::Export(f) => super::views::photo_import::export_ui(ui, f),
        };
        action.map(Action::Photos)
    }
}
