//! Settings › This desk's database: which database the desk has open, which it opens at the
//! next start, and a clinic server's address to connect to instead of this PC's own file.

use crate::ui::settings::SettingsAction;
use egui::RichText;

pub struct DatabaseChoicePanel<'a> {
    /// The database open now (a file's path or a server's address).
    pub open_now: String,
    /// The server chosen for the next start, if any (else this PC's own file).
    pub chosen: Option<String>,
    /// The address as typed.
    pub address: &'a mut String,
    /// A connection to the typed address is being tried.
    pub connecting: bool,
    /// What the last try found, and whether it is a problem.
    pub outcome: Option<(&'a str, bool)>,
    /// Only the clinic's lead (or an account allowed Settings) may change it.
    pub editable: bool,
}

impl DatabaseChoicePanel<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SettingsAction> {
        let mut action = None;
        ui.label(RichText::new("This desk's database").strong());
        ui.label(format!("Open now: {}", self.open_now));
        ui.label(match &self.chosen {
            Some(server) => format!("From the next start: the clinic server {server}"),
            None => "From the next start: this PC's own file".to_owned(),
        });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label("Clinic server address");
            let field = ui
                .add_enabled(
                    self.editable && !self.connecting,
                    egui::TextEdit::singleline(self.address)
                        .desired_width(360.0)
                        .hint_text("postgres://front-desk@clinic-server/clinic"),
                )
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let connect = ui.add_enabled(
                self.editable && !self.connecting && !self.address.trim().is_empty(),
                egui::Button::new("Connect and use from the next start"),
            );
            if (connect.clicked() || enter) && !self.address.trim().is_empty() {
                action = Some(SettingsAction::UseServer(self.address.trim().to_owned()));
            }
        });
        ui.small(
            "For a clinic with several desks. The password is never part of the address: Needlepoint \
             reads it from the desk's .pgpass file or asks for it when it starts.",
        );
        if self.connecting {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Connecting to the server…");
            });
        }
        if let Some((text, problem)) = self.outcome {
            if problem {
                ui.colored_label(ui.visuals().error_fg_color, text);
            } else {
                ui.label(text);
            }
        }
        if self.chosen.is_some()
            && ui
                .add_enabled(
                    self.editable && !self.connecting,
                    egui::Button::new("Use this PC's own file from the next start"),
                )
                .clicked()
        {
            action = Some(SettingsAction::UseOwnFile);
        }
        action
    }
}
