//! The shelf of products and their lots (add one, take one off the shelf), and the recall search
//! by lot with its CSV export.

mod recall;

use crate::domain::{Product, ProductDraft, ProductId, RecallRow, ValidationErrors};

use super::action::{Action, Event};
use super::desk::Desk;
use super::views;
use super::views::products::ProductsForm;

/// What the products screen asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductsAction {
    /// Put the lot in the product form on the shelf.
    Save,
    SetActive(ProductId, bool),
    /// Find every client who received the lot typed in the recall box.
    RecallSearch,
    ExportRecall,
}

impl ProductsAction {
    /// Whether carrying this out saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        match self {
            ProductsAction::Save | ProductsAction::SetActive(..) | ProductsAction::ExportRecall => true,
            ProductsAction::RecallSearch => false,
        }
    }
}

#[derive(Default)]
pub(crate) struct ProductsArea {
    /// What is typed on the screen.
    form: ProductsForm,
    /// Every lot, active or not.
    products: Vec<Product>,
    errors: Option<ValidationErrors>,
    save_error: Option<String>,
    /// The last recall search: the lot searched and its rows.
    recall: Option<(String, Vec<RecallRow>)>,
    recall_message: Option<String>,
    /// A recall search running off the window's thread.
    search: Option<recall::SearchJob>,
    /// A recall list being written as CSV off the window's thread.
    export: Option<recall::ExportJob>,
}

impl ProductsArea {
    pub fn apply(&mut self, action: ProductsAction, desk: &mut Desk) -> Option<Event> {
        match action {
            ProductsAction::Save => self.save(desk),
            ProductsAction::SetActive(id, active) => self.set_active(id, active, desk),
            ProductsAction::RecallSearch => self.recall_search(desk),
            ProductsAction::ExportRecall => self.export_recall(desk),
        }
        None
    }

    pub fn refresh(&mut self, desk: &mut Desk) {
        match desk.store.products(true) {
            Ok(p) => self.products = p,
            Err(e) => desk.fail(&e),
        }
    }

    fn save(&mut self, desk: &mut Desk) {
        let product = match self.form.draft.validate(desk.today) {
            Ok(p) => p,
            Err(e) => {
                self.errors = Some(e);
                return;
            }
        };
        self.errors = None;
        let duplicate = self.products.iter().any(|p| {
            p.kind == product.kind
                && p.name.eq_ignore_ascii_case(&product.name)
                && p.lot_number.eq_ignore_ascii_case(&product.lot_number)
        });
        if duplicate {
            // The form keeps what was typed.
            self.save_error = Some(format!(
                "{} lot {} is already on the shelf.",
                product.name, product.lot_number
            ));
            return;
        }
        let actor = desk.actor();
        match desk.store.write(&actor, |w| w.insert_product(&product)) {
            Ok(()) => {
                self.save_error = None;
                self.form.draft = ProductDraft {
                    kind: product.kind,
                    ..ProductDraft::default()
                };
                desk.info(format!(
                    "{} lot {} added to the shelf.",
                    product.name, product.lot_number
                ));
                self.refresh(desk);
            }
            Err(e) => self.save_error = Some(e.to_string()),
        }
    }

    fn set_active(&mut self, id: ProductId, active: bool, desk: &mut Desk) {
        let actor = desk.actor();
        match desk.store.write(&actor, |w| w.set_product_active(id, active)) {
            Ok(()) => self.refresh(desk),
            Err(e) => desk.fail(&e),
        }
    }

    /// The products screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        views::products::ProductsView {
            form: &mut self.form,
            products: &self.products,
            errors: self.errors.as_ref(),
            save_error: self.save_error.as_deref(),
            recall: self.recall.as_ref(),
            recall_message: self.recall_message.as_deref(),
            protocol: &desk.protocol,
            today: desk.today,
            read_only: desk.read_only(),
        }
        .ui(ui)
    }
}
