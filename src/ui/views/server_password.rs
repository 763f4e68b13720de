//! The clinic server's password, asked in a small window before the desk opens: a desk started
//! from an icon has no terminal to ask in, and the password is never written on a command line.

/// What the person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChoice {
    Connect,
    Close,
}

/// The sign-in form for `address`; `problem` is what the server said about the last try.
pub fn server_password_ui(
    ui: &mut egui::Ui,
    address: &str,
    password: &mut String,
    problem: Option<&str>,
) -> Option<PasswordChoice> {
    let mut choice = None;
    ui.heading("Sign in to the clinic server");
    ui.add_space(6.0);
    ui.label(format!("Needlepoint opens the clinic's database on {address}."));
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = ui.label("Server password");
        let field = ui
            .add(
                egui::TextEdit::singleline(password)
                    .password(true)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
        if !field.has_focus() && password.is_empty() {
            field.request_focus();
        }
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && !password.is_empty() {
            choice = Some(PasswordChoice::Connect);
        }
    });
    ui.small(
        "Kept in memory until Needlepoint closes; never saved. A .pgpass file on this desk saves asking.",
    );
    if let Some(problem) = problem {
        ui.add_space(4.0);
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!password.is_empty(), egui::Button::new("Connect"))
            .clicked()
        {
            choice = Some(PasswordChoice::Connect);
        }
        if ui.button("Close").clicked() {
            choice = Some(PasswordChoice::Close);
        }
    });
    choice
}
