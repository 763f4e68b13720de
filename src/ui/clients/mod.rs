//! The client list: a search box that filters as you type, rows loaded a page at a time as they
//! scroll into view, and adding clients from a CSV file after a preview.

mod import;

use std::collections::HashMap;

use crate::domain::ClientId;
use crate::store::{ClientOrder, ClientSummary, ClientVisits};

use super::action::{Action, Event};
use super::areas::AreaDialog;
use super::desk::{Desk, Status};
use super::views;
use super::views::import::ImportForm;

/// Rows of the client list are loaded a page at a time as they scroll into view.
pub const PAGE: usize = 100;
/// The most search results listed; more means the search should be narrowed.
pub const MAX_HITS: usize = 200;

/// What the client list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientsAction {
    /// The search box changed.
    Search(String),
    /// Scroll the client list so that these rows are loaded.
    ShowRows {
        first: usize,
        last: usize,
    },
    /// Put the cursor in the search box when the list next shows (Ctrl+F).
    FocusSearch,
    /// A column heading was clicked: sort by it (again: the other way round).
    Sort(SortColumn),
    /// Down (+1) or Up (-1): move the highlighted row (Enter opens it: `Action::OpenClient`).
    MoveCursor(isize),
    /// Open the CSV import of clients.
    Import,
    /// Read the chosen file and show what would be added, adding nothing.
    PreviewImport,
    /// Add the previewed good lines.
    ConfirmImport,
    CloseDialog,
}

impl ClientsAction {
    /// Whether carrying this out saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        match self {
            ClientsAction::Search(_)
            | ClientsAction::ShowRows { .. }
            | ClientsAction::FocusSearch
            | ClientsAction::Sort(_)
            | ClientsAction::MoveCursor(_)
            | ClientsAction::PreviewImport
            | ClientsAction::CloseDialog => false,
            ClientsAction::Import | ClientsAction::ConfirmImport => true,
        }
    }
}

/// The client list's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Born,
    Phone,
    NextAppointment,
    LastVisit,
}

impl SortColumn {
    pub const ALL: [SortColumn; 5] = [
        SortColumn::Name,
        SortColumn::Born,
        SortColumn::Phone,
        SortColumn::NextAppointment,
        SortColumn::LastVisit,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Name => "Name",
            SortColumn::Born => "Born",
            SortColumn::Phone => "Phone",
            SortColumn::NextAppointment => "Next appointment",
            SortColumn::LastVisit => "Last visit",
        }
    }

    /// The column in a sentence ("Sorted by date of birth"); the short heading would read
    /// oddly there, and the heading must not share the new-client field's label.
    pub fn phrase(self) -> String {
        match self {
            SortColumn::Born => "date of birth".to_string(),
            other => other.title().to_lowercase(),
        }
    }

    /// Whether the whole list (not only search results) can be sorted by it: the columns an
    /// index keeps in order, so a page deep in a million clients stays one index range.
    pub fn sorts_whole_list(self) -> bool {
        matches!(self, SortColumn::Name | SortColumn::Born)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ClientList {
    pub query: String,
    /// Search results, best first (when `query` is not blank) or as sorted.
    pub hits: Vec<ClientSummary>,
    /// All active clients (when `query` is blank).
    pub total: usize,
    pub pages: HashMap<usize, Vec<ClientSummary>>,
    /// The column sorted by and whether upwards; none: by name (the whole list) or best
    /// match first (search results).
    pub sort: Option<(SortColumn, bool)>,
    /// Next appointment and last visit of the rows loaded.
    pub visits: HashMap<ClientId, ClientVisits>,
    /// The row highlighted by Down/Up, opened by Enter.
    pub cursor: Option<usize>,
    /// Scroll the highlighted row into view on the next frame.
    pub scroll_to_cursor: bool,
}

impl ClientList {
    pub fn searching(&self) -> bool {
        !self.query.trim().is_empty()
    }

    pub fn len(&self) -> usize {
        if self.searching() {
            self.hits.len()
        } else {
            self.total
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The order the whole list is paged in.
    fn page_order(&self) -> ClientOrder {
        match self.sort {
            Some((SortColumn::Name, false)) => ClientOrder::NameDescending,
            Some((SortColumn::Born, true)) => ClientOrder::BornAscending,
            Some((SortColumn::Born, false)) => ClientOrder::BornDescending,
            _ => ClientOrder::NameAscending,
        }
    }

    /// Sorts the search results by the chosen column (clients without a date go last).
    fn sort_hits(&mut self) {
        let Some((column, up)) = self.sort else {
            return;
        };
        let visits = &self.visits;
        let key = |c: &ClientSummary| -> (bool, String) {
            let v = visits.get(&c.id).copied().unwrap_or_default();
            let date =
                |d: Option<chrono::NaiveDate>| (d.is_none(), d.map(|d| d.to_string()).unwrap_or_default());
            match column {
                SortColumn::Name => (false, c.full_name.to_lowercase()),
                SortColumn::Born => (false, c.date_of_birth.to_string()),
                SortColumn::Phone => (c.phone.is_none(), c.phone.clone().unwrap_or_default()),
                SortColumn::NextAppointment => date(v.next_booked),
                SortColumn::LastVisit => date(v.last_visit),
            }
        };
        self.hits.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            // Missing values last either way; the rest in the chosen direction.
            ka.0.cmp(&kb.0)
                .then_with(|| if up { ka.1.cmp(&kb.1) } else { kb.1.cmp(&ka.1) })
        });
    }

    /// Row `i`, if loaded.
    pub fn row(&self, i: usize) -> Option<&ClientSummary> {
        if self.searching() {
            self.hits.get(i)
        } else {
            self.pages.get(&(i / PAGE)).and_then(|p| p.get(i % PAGE))
        }
    }
}

/// The client list's state between frames.
#[derive(Default)]
pub(crate) struct ClientsArea {
    list: ClientList,
    /// Focus the search box on the next frame (Ctrl+F, or arriving on Clients).
    focus_search: bool,
    /// The CSV import dialog.
    import: Option<ImportForm>,
}

impl ClientsArea {
    pub fn apply(&mut self, action: ClientsAction, desk: &mut Desk) -> Option<Event> {
        match action {
            ClientsAction::Search(query) => {
                self.list.query = query;
                self.refresh(desk);
            }
            ClientsAction::ShowRows { first, last } => self.load_rows(first, last, desk),
            ClientsAction::FocusSearch => self.focus_search = true,
            ClientsAction::Sort(column) => self.sort_by(column, desk),
            ClientsAction::MoveCursor(step) => self.move_cursor(step),
            ClientsAction::Import => self.import = Some(ImportForm::default()),
            ClientsAction::PreviewImport => self.preview_import(desk),
            ClientsAction::ConfirmImport => return self.confirm_import(desk),
            ClientsAction::CloseDialog => self.import = None,
        }
        None
    }

    /// How many active clients there are (the first-start demo offer shows at none).
    pub fn total(&self) -> usize {
        self.list.total
    }

    pub fn focus_search(&mut self) {
        self.focus_search = true;
    }

    /// A heading clicked: sort by it, or the other way round when it already sorts. The whole
    /// list sorts by name or birth date only; other columns sort search results.
    fn sort_by(&mut self, column: SortColumn, desk: &mut Desk) {
        self.list.sort = match self.list.sort {
            Some((c, up)) if c == column => Some((column, !up)),
            _ => Some((column, true)),
        };
        if !self.list.searching() && !column.sorts_whole_list() {
            self.list.sort = None;
            desk.status = Some(Status::Info(format!(
                "Search first to sort by {}: the whole list sorts by name or date of birth.",
                column.phrase()
            )));
            return;
        }
        self.list.cursor = None;
        if self.list.searching() {
            self.list.sort_hits();
        } else {
            self.refresh(desk);
        }
    }

    fn move_cursor(&mut self, step: isize) {
        let len = self.list.len();
        if len == 0 {
            self.list.cursor = None;
            return;
        }
        let next = match self.list.cursor {
            None if step > 0 => 0,
            None => len - 1,
            Some(i) => i.saturating_add_signed(step).min(len - 1),
        };
        self.list.cursor = Some(next);
        self.list.scroll_to_cursor = true;
    }

    /// Reloads the list (after a change, or a new search).
    pub fn refresh(&mut self, desk: &mut Desk) {
        self.list.pages.clear();
        self.list.visits.clear();
        self.list.cursor = None;
        let result = if self.list.searching() {
            desk.store.search_clients(&self.list.query, MAX_HITS).map(|hits| {
                self.list.hits = hits.into_iter().map(|h| h.client).collect();
            })
        } else {
            self.list.hits.clear();
            desk.store.client_count(false).map(|n| self.list.total = n)
        };
        if let Err(e) = result {
            desk.fail(&e);
        }
        if self.list.searching() {
            let ids: Vec<ClientId> = self.list.hits.iter().map(|c| c.id).collect();
            self.load_visits(&ids, desk);
            self.list.sort_hits();
        }
        self.load_rows(0, PAGE, desk);
    }

    fn load_visits(&mut self, ids: &[ClientId], desk: &mut Desk) {
        match desk.store.client_visits(ids, desk.today) {
            Ok(found) => self.list.visits.extend(found),
            Err(e) => desk.fail(&e),
        }
    }

    /// Loads the pages holding rows `first..last` (and one page of margin each side).
    fn load_rows(&mut self, first: usize, last: usize, desk: &mut Desk) {
        if self.list.searching() {
            return;
        }
        let from = first.saturating_sub(PAGE) / PAGE;
        let to = (last + PAGE) / PAGE;
        for page in from..=to {
            if page * PAGE >= self.list.total || self.list.pages.contains_key(&page) {
                continue;
            }
            match desk
                .store
                .client_page_in(self.list.page_order(), page * PAGE, PAGE)
            {
                Ok(rows) => {
                    let ids: Vec<ClientId> = rows.iter().map(|c| c.id).collect();
                    self.list.pages.insert(page, rows);
                    self.load_visits(&ids, desk);
                }
                Err(e) => {
                    desk.fail(&e);
                    return;
                }
            }
        }
        // Keep memory flat while scrolling through 100,000 clients.
        if self.list.pages.len() > 40 {
            self.list.pages.retain(|p, _| *p + 2 >= from && *p <= to + 2);
            let kept: std::collections::HashSet<ClientId> =
                self.list.pages.values().flatten().map(|c| c.id).collect();
            self.list.visits.retain(|id, _| kept.contains(id));
        }
    }

    /// The search box and the list; `keyboard`: Down, Up and Enter move through it (no dialog
    /// or overlay has the keys).
    pub fn list_ui(&mut self, ui: &mut egui::Ui, desk: &Desk, keyboard: bool) -> Vec<Action> {
        let scroll_to_cursor = std::mem::take(&mut self.list.scroll_to_cursor);
        views::clients::ClientsView {
            list: &self.list,
            focus_search: std::mem::take(&mut self.focus_search),
            scroll_to_cursor,
            read_only: desk.read_only(),
            keyboard,
            today: desk.today,
        }
        .ui(ui)
    }
}

impl AreaDialog for ClientsArea {
    fn has_dialog(&self) -> bool {
        self.import.is_some()
    }

    fn close_dialog(&mut self) {
        self.import = None;
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, _desk: &Desk) -> Option<Action> {
        let form = self.import.as_mut()?;
        views::import::ImportView { form }.ui(ui).map(Action::from)
    }
}
