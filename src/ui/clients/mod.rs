//! The client list: a search box that filters as you type, rows loaded a page at a time as they
//! scroll into view, and adding clients from a CSV file after a preview.

mod import;

use std::collections::HashMap;

use crate::store::ClientSummary;

use super::action::{Action, Event};
use super::areas::AreaDialog;
use super::desk::Desk;
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
            | ClientsAction::PreviewImport
            | ClientsAction::CloseDialog => false,
            ClientsAction::Import | ClientsAction::ConfirmImport => true,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ClientList {
    pub query: String,
    /// Search results, best first (when `query` is not blank).
    pub hits: Vec<ClientSummary>,
    /// All active clients (when `query` is blank).
    pub total: usize,
    pub pages: HashMap<usize, Vec<ClientSummary>>,
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

    /// Reloads the list (after a change, or a new search).
    pub fn refresh(&mut self, desk: &mut Desk) {
        self.list.pages.clear();
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
        self.load_rows(0, PAGE, desk);
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
            match desk.store.client_page(page * PAGE, PAGE, false) {
                Ok(rows) => {
                    self.list.pages.insert(page, rows);
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
        }
    }

    /// The search box and the list.
    pub fn list_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Vec<Action> {
        views::clients::ClientsView {
            list: &self.list,
            focus_search: std::mem::take(&mut self.focus_search),
            read_only: desk.read_only(),
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
