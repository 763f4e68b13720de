//! Products and lots: the shelf of serums, needle cartridges and numbing creams with their lot
//! numbers and expiry dates, what expires soon, and the recall search by lot with CSV export.

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::product::product_field;
use crate::domain::{expiring_soon, Product, ProductDraft, ProductKind, RecallRow, ValidationErrors};
use crate::protocol::Protocol;
use crate::ui::products::ProductsAction;
use crate::ui::views::empty::{empty_ui, READ_ONLY};
use crate::ui::widgets::{banner, enter_in, error_line, text_row, BannerLevel};
use crate::ui::Action;

/// Lots expiring within this many days are listed at the top.
pub const EXPIRING_DAYS: i64 = 60;
pub const ADD_LABEL: &str = "Add lot";
pub const RECALL_LABEL: &str = "Lot to recall";
pub const FIND_LABEL: &str = "Find clients";
pub const EXPORT_LABEL: &str = "Export CSV";
pub const EXPORT_PATH_LABEL: &str = "Export to file";
/// The empty shelf's button: the cursor goes to the lot form's first field.
pub const FIRST_LOT_LABEL: &str = "Add the first lot";

/// What is typed and chosen on the products screen, kept between frames.
#[derive(Debug, Clone, Default)]
pub struct ProductsForm {
    pub show_inactive: bool,
    pub draft: ProductDraft,
    pub recall_lot: String,
    pub export_path: String,
    /// Put the cursor in "Product name" (the empty shelf's button asked for it).
    pub focus_name: bool,
}

pub struct ProductsView<'a> {
    pub form: &'a mut ProductsForm,
    /// Every lot, active or not.
    pub products: &'a [Product],
    pub errors: Option<&'a ValidationErrors>,
    pub save_error: Option<&'a str>,
    /// The last recall search: the lot searched and its rows.
    pub recall: Option<&'a (String, Vec<RecallRow>)>,
    pub recall_message: Option<&'a str>,
    pub protocol: &'a Protocol,
    pub today: NaiveDate,
    pub read_only: bool,
}

impl ProductsView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.heading("Products and lots");
        let soon = expiring_soon(self.products, self.today, EXPIRING_DAYS);
        for p in &soon {
            let text = if p.is_expired(self.today) {
                format!(
                    "{} lot {} expired on {}: take it off the shelf.",
                    p.name, p.lot_number, p.expires_on
                )
            } else {
                format!("{} lot {} expires on {}.", p.name, p.lot_number, p.expires_on)
            };
            let level = if p.is_expired(self.today) {
                BannerLevel::Stop
            } else {
                BannerLevel::Warn
            };
            banner(ui, level, &text);
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.add_form_ui(ui, &mut action);
                ui.add_space(10.0);
                self.shelf_ui(ui, &mut action);
                ui.add_space(10.0);
                self.recall_ui(ui, &mut action);
            });
        action
    }

    fn add_form_ui(&mut self, ui: &mut egui::Ui, action: &mut Option<Action>) {
        let errors = self.errors;
        let s = &mut *self.form;
        ui.label(RichText::new("Add a lot").heading());
        let err = |f: &str| errors.and_then(|e| e.for_field(f)).map(ToString::to_string);
        let (name_err, lot_err, exp_err) = (
            err(product_field::NAME),
            err(product_field::LOT),
            err(product_field::EXPIRES),
        );
        ui.add_enabled_ui(!self.read_only, |ui| {
            egui::Grid::new("product_form")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let label = ui.label("Kind");
                    egui::ComboBox::from_id_salt("product_kind")
                        .selected_text(s.draft.kind.to_string())
                        .show_ui(ui, |ui| {
                            for k in ProductKind::ALL {
                                ui.selectable_value(&mut s.draft.kind, k, k.to_string());
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    let name = text_row(
                        ui,
                        product_field::NAME,
                        &mut s.draft.name,
                        name_err,
                        "as on the box",
                    );
                    if std::mem::take(&mut s.focus_name) {
                        name.request_focus();
                    }
                    if s.draft.kind == ProductKind::Serum {
                        let label = ui.label("Protocol serum");
                        let shown = s
                            .draft
                            .serum
                            .as_deref()
                            .and_then(|id| self.protocol.serum(id))
                            .map_or("None", |x| x.name.as_str());
                        egui::ComboBox::from_id_salt("product_serum")
                            .selected_text(shown)
                            .width(320.0)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut s.draft.serum, None, "None");
                                for serum in &self.protocol.serums {
                                    ui.selectable_value(
                                        &mut s.draft.serum,
                                        Some(serum.id.clone()),
                                        serum.name.as_str(),
                                    );
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                    let lot = text_row(
                        ui,
                        product_field::LOT,
                        &mut s.draft.lot_number,
                        lot_err,
                        "e.g. HA-2611",
                    );
                    let exp = text_row(
                        ui,
                        product_field::EXPIRES,
                        &mut s.draft.expires_on,
                        exp_err,
                        "year-month-day",
                    );
                    ui.label("");
                    ui.checkbox(&mut s.draft.sterile, "Sterile, for use on needled skin");
                    ui.end_row();
                    if enter_in(ui, &[&name, &lot, &exp]) {
                        *action = Some(ProductsAction::Save.into());
                    }
                });
            error_line(ui, self.save_error.map(str::to_owned));
            if ui.button(ADD_LABEL).on_disabled_hover_text(READ_ONLY).clicked() {
                *action = Some(ProductsAction::Save.into());
            }
        });
    }

    fn shelf_ui(&mut self, ui: &mut egui::Ui, action: &mut Option<Action>) {
        let s = &mut *self.form;
        ui.horizontal(|ui| {
            ui.label(RichText::new("On the shelf").heading());
            ui.checkbox(&mut s.show_inactive, "Show deactivated lots");
        });
        let shown: Vec<&Product> = self
            .products
            .iter()
            .filter(|p| s.show_inactive || p.active)
            .collect();
        if shown.is_empty() {
            let text = "No lot recorded yet. Add the serums, needle cartridges and numbing creams \
                        in use, each with its lot number and expiry date.";
            if empty_ui(ui, text, FIRST_LOT_LABEL, !self.read_only, READ_ONLY) {
                s.focus_name = true;
                ui.ctx().request_repaint();
            }
            return;
        }
        egui::Grid::new("shelf")
            .striped(true)
            .num_columns(7)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for h in ["Kind", "Product", "Lot", "Expires", "Sterile", "Status", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for p in shown {
                    ui.label(p.kind.to_string());
                    ui.label(&p.name);
                    ui.label(&p.lot_number);
                    ui.label(p.expires_on.to_string());
                    ui.label(if p.sterile { "yes" } else { "no" });
                    ui.label(match (p.active, p.is_expired(self.today)) {
                        (false, _) => "deactivated",
                        (true, true) => "EXPIRED",
                        (true, false) => "in use",
                    });
                    let (label, active) = if p.active {
                        (format!("Deactivate {}", p.lot_number), false)
                    } else {
                        (format!("Reactivate {}", p.lot_number), true)
                    };
                    if ui
                        .add_enabled(!self.read_only, egui::Button::new(label).small())
                        .on_disabled_hover_text(READ_ONLY)
                        .clicked()
                    {
                        *action = Some(ProductsAction::SetActive(p.id, active).into());
                    }
                    ui.end_row();
                }
            });
    }

    fn recall_ui(&mut self, ui: &mut egui::Ui, action: &mut Option<Action>) {
        let s = &mut *self.form;
        ui.label(RichText::new("Recall by lot").heading());
        ui.label("Which clients received a lot: every done session that used it as serum, cartridge or numbing cream.");
        ui.horizontal(|ui| {
            let label = ui.label(RECALL_LABEL);
            let field = ui
                .add(egui::TextEdit::singleline(&mut s.recall_lot).desired_width(200.0))
                .labelled_by(label.id);
            if ui.button(FIND_LABEL).clicked() || enter_in(ui, &[&field]) {
                *action = Some(ProductsAction::RecallSearch.into());
            }
        });
        error_line(ui, None);
        if let Some(m) = self.recall_message {
            ui.label(m);
        }
        let Some((lot, rows)) = self.recall else { return };
        ui.label(format!("{} session(s) used lot {lot}.", rows.len()));
        if !rows.is_empty() {
            ui.horizontal(|ui| {
                let label = ui.label(EXPORT_PATH_LABEL);
                ui.add(egui::TextEdit::singleline(&mut s.export_path).desired_width(420.0))
                    .labelled_by(label.id);
                if ui.button(EXPORT_LABEL).clicked() {
                    *action = Some(ProductsAction::ExportRecall.into());
                }
            });
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        // Virtualised: a recall of a busy lot can list many thousands of sessions.
        egui::ScrollArea::vertical()
            .id_salt("recall_rows")
            .max_height(360.0)
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                for r in &rows[range] {
                    ui.horizontal(|ui| {
                        ui.label(r.performed_on.to_string());
                        ui.label(format!("session {}", r.session_number));
                        if ui.link(&r.client_name).clicked() {
                            *action = Some(Action::OpenClient(r.client_id));
                        }
                        ui.label(r.phone.as_deref().unwrap_or("no phone"));
                        ui.label(format!("{} ({})", r.product_name, r.product_kind));
                    });
                }
            });
    }
}
