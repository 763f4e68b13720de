//! The consents on a client's record: each kind with whether it is in force today, buttons to
//! have one signed, and each signed consent with its signed copy and a way to withdraw it.

use egui::RichText;

use crate::domain::consent::consent_state;
use crate::domain::{ConsentKind, ConsentState};
use crate::store::ClientRecord;
use crate::ui::action::Action;
use crate::ui::consent::{ConsentAction, WithdrawForm};
use crate::ui::theme::{ERROR_RED, OK_GREEN, WARN_AMBER};
use crate::ui::views::signing::signer_combo;
use crate::ui::widgets::{error_line, secret_row, text_row};

pub const WITHDRAW_LABEL: &str = "Withdraw…";
pub const PRINT_COPY_LABEL: &str = "Signed copy";
pub const REASON_LABEL: &str = "Why it is withdrawn";
pub const ASKED_BY_LABEL: &str = "Who asked";
pub const CONFIRM_WITHDRAW_LABEL: &str = "Withdraw the consent";

/// "Sign treatment consent", the record's button for a kind.
pub fn sign_label(kind: ConsentKind) -> String {
    format!("Sign {} consent", kind.code())
}

pub fn consents_ui(
    ui: &mut egui::Ui,
    r: &ClientRecord,
    today: chrono::NaiveDate,
    can_sign: bool,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Consent").heading());
    for kind in ConsentKind::ALL {
        let state = consent_state(&r.consents, kind, today, r.consent_renewal_months);
        ui.horizontal(|ui| {
            let (mark, color) = match &state {
                ConsentState::Valid { .. } => ("✔", OK_GREEN),
                ConsentState::Missing => ("—", ui.visuals().weak_text_color()),
                ConsentState::Withdrawn { .. } => ("✖", ERROR_RED),
                ConsentState::Expired { .. } => ("⚠", WARN_AMBER),
            };
            ui.label(RichText::new(mark).color(color));
            ui.label(state.words(kind));
            let again = !matches!(state, ConsentState::Valid { .. });
            if again
                && ui
                    .add_enabled(
                        can_sign && !r.client.archived,
                        egui::Button::new(sign_label(kind)),
                    )
                    .clicked()
            {
                actions.push(Action::Consent(ConsentAction::Start(kind)));
            }
        });
    }
    let given: Vec<_> = r.consents.iter().filter(|c| c.withdraws.is_none()).collect();
    if given.is_empty() {
        return;
    }
    egui::Grid::new("consents_signed")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for c in given.iter().rev() {
                ui.label(c.signed_on.to_string())
                    .on_hover_text(format!("Consent id {} (for `needlepoint print consent`)", c.id));
                let who = match &c.representative {
                    Some(rep) => format!("{} ({})", rep.name, rep.relationship),
                    None => c.signer_name.clone(),
                };
                ui.label(format!(
                    "{} · signed by {who}, witness {}",
                    c.kind.title(),
                    c.witness_name
                ));
                if ui.small_button(PRINT_COPY_LABEL).clicked() {
                    actions.push(Action::Consent(ConsentAction::Print(c.id)));
                }
                let withdrawn = r.consents.iter().any(|w| w.withdraws == Some(c.id));
                if withdrawn {
                    ui.label(RichText::new("withdrawn").color(ERROR_RED));
                } else if ui
                    .add_enabled(can_sign, egui::Button::new(WITHDRAW_LABEL).small())
                    .clicked()
                {
                    actions.push(Action::Consent(ConsentAction::Withdraw(c.id)));
                }
                ui.end_row();
            }
        });
}

/// The withdrawal dialog.
pub(crate) fn withdraw_ui(
    ui: &mut egui::Ui,
    form: &mut WithdrawForm,
    witnesses: &[String],
    pin_problem: Option<&str>,
) -> Option<ConsentAction> {
    let mut action = None;
    ui.heading(format!("Withdraw: {}", form.title));
    ui.label("The consent ends from today. It stays on the record, with this withdrawal beside it.");
    egui::Grid::new("withdraw_consent").num_columns(2).show(ui, |ui| {
        text_row(
            ui,
            ASKED_BY_LABEL,
            &mut form.asked_by,
            None,
            "the client, or who spoke for them",
        );
        ui.end_row();
        text_row(
            ui,
            REASON_LABEL,
            &mut form.reason,
            None,
            "e.g. by letter of 3 December",
        );
        ui.end_row();
        signer_combo(
            ui,
            crate::ui::views::consent_form::WITNESS_LABEL,
            &mut form.witness,
            witnesses,
        );
        ui.end_row();
        secret_row(
            ui,
            crate::ui::views::consent_form::WITNESS_PIN_LABEL,
            &mut form.pin,
            pin_problem.map(str::to_owned),
        );
        ui.end_row();
    });
    error_line(ui, form.error.clone());
    ui.horizontal(|ui| {
        if ui
            .button(RichText::new(CONFIRM_WITHDRAW_LABEL).strong())
            .clicked()
        {
            action = Some(ConsentAction::SubmitWithdrawal);
        }
        if ui.button("Keep it").clicked() {
            action = Some(ConsentAction::CloseDialog);
        }
    });
    action
}
