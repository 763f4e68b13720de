//! The pre-treatment checklist: every question answered (nothing pre-filled), follow-ups for
//! each "yes", last time's answer beside each question, the outcome worked out as you go, and
//! the practitioner's signature. An amendment corrects a signed screening and says why.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::{Answer, Answers, ClientId, Outcome, OutcomeKind, Screening, ScreeningId, SkinType};
use crate::protocol::screening::{ScreeningError, AGE_QUESTION};
use crate::protocol::Protocol;
use crate::protocol::ScreeningToSign;
use crate::ui::screening::ScreeningAction;
use crate::ui::views::screening_follow_ups::{follow_up_ui, more_entries_ui};
use crate::ui::views::session_form::START_BLANK_LABEL;
use crate::ui::views::signing::{self, Choice};
use crate::ui::widgets::{banner, error_line, sources_mark, BannerLevel, WARN_AMBER};

/// One answer as it is being given.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AnswerDraft {
    pub yes: Option<bool>,
    pub conditions: Vec<String>,
    pub details: BTreeMap<String, String>,
    /// Further entries of a question that takes several (another procedure).
    pub more: Vec<crate::domain::AnswerEntry>,
}

#[derive(Debug, Clone)]
pub struct ScreeningForm {
    /// The id the signed screening will have (see `ScreeningToSign::id`).
    pub screening_id: ScreeningId,
    pub client_id: ClientId,
    pub client_name: String,
    pub skin_type: SkinType,
    pub date_of_birth: NaiveDate,
    pub drafts: BTreeMap<String, AnswerDraft>,
    /// Every protocol area with whether it is planned for today.
    pub planned: Vec<(String, bool)>,
    pub previous: Option<Screening>,
    pub amends: Option<ScreeningId>,
    pub amendment_reason: String,
    pub signer: String,
    /// The signer's PIN, typed under the summary (never saved in a draft).
    pub pin: String,
    pub error: Option<String>,
    /// The signed screening shown for a last look (the second step): what Sign saves.
    pub confirming: Option<Screening>,
    /// Said when an unsigned draft was put back into the form.
    pub restored: Option<String>,
    /// [`ScreeningForm::body`] as the form opened, to tell whether anything was typed.
    pub opened: String,
    /// Put the keyboard on the first question when the form is next drawn.
    pub focus_first: bool,
    /// The written clearances on the client's file, which the outcome takes into account.
    pub clearances: Vec<crate::domain::Clearance>,
    /// The consent question answered from the signed treatment consent on file (what it says),
    /// not by a button.
    pub consent_on_file: Option<String>,
    /// The open questions (answered in words; blank is an answer too).
    pub open_questions: Vec<String>,
}

/// What a screening's unsigned draft keeps: the answers given, the areas, the reason, the signer.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ScreeningDraft {
    pub answers: BTreeMap<String, AnswerDraft>,
    pub planned: Vec<String>,
    pub amendment_reason: String,
    pub signer: String,
}

pub const SIGN_LABEL: &str = "Sign screening";
pub const SIGNER_LABEL: &str = crate::protocol::signed_screening::field::SIGNER;

impl ScreeningForm {
    /// A blank checklist: no answer is filled in, whatever was answered last time.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        protocol: &Protocol,
        client_id: ClientId,
        client_name: &str,
        skin_type: SkinType,
        date_of_birth: NaiveDate,
        planned_areas: &[String],
        previous: Option<Screening>,
        signer: &str,
    ) -> Self {
        Self {
            screening_id: ScreeningId::new(),
            client_id,
            client_name: client_name.to_owned(),
            skin_type,
            date_of_birth,
            drafts: BTreeMap::new(),
            planned: protocol
                .areas
                .iter()
                .map(|a| (a.id.clone(), planned_areas.contains(&a.id)))
                .collect(),
            previous,
            amends: None,
            amendment_reason: String::new(),
            signer: signer.to_owned(),
            pin: String::new(),
            error: None,
            confirming: None,
            restored: None,
            opened: String::new(),
            focus_first: true,
            clearances: Vec::new(),
            consent_on_file: None,
            open_questions: protocol
                .intake_questions
                .iter()
                .filter(|q| q.open)
                .map(|q| q.id.clone())
                .collect(),
        }
        .opened_now()
    }

    /// Marks the form as it is now as "nothing typed".
    fn opened_now(mut self) -> Self {
        self.opened = self.body();
        self
    }

    /// The form's contents as a draft (questions not answered yet left out).
    pub fn draft(&self) -> ScreeningDraft {
        ScreeningDraft {
            answers: self
                .drafts
                .iter()
                .filter(|(_, d)| **d != AnswerDraft::default())
                .map(|(q, d)| (q.clone(), d.clone()))
                .collect(),
            planned: self.planned_areas(),
            amendment_reason: self.amendment_reason.clone(),
            signer: self.signer.clone(),
        }
    }

    /// The draft as saved in the database.
    pub fn body(&self) -> String {
        serde_json::to_string(&self.draft()).unwrap_or_default()
    }

    /// Puts a saved draft back into the form.
    pub fn put_back(&mut self, d: ScreeningDraft) {
        self.drafts = d.answers;
        for (area, on) in &mut self.planned {
            *on = d.planned.contains(area);
        }
        self.amendment_reason = d.amendment_reason;
        self.signer = d.signer;
    }

    /// Whether anything was typed (or a draft put back) since the form opened.
    pub fn has_input(&self) -> bool {
        self.body() != self.opened
    }

    /// A correction of `original`: its answers to change, a reason to give.
    pub fn amendment(
        protocol: &Protocol,
        original: &Screening,
        client_name: &str,
        skin_type: SkinType,
        born: NaiveDate,
    ) -> Self {
        let mut form = Self::new(
            protocol,
            original.client_id,
            client_name,
            skin_type,
            born,
            &original.planned_areas,
            Some(original.clone()),
            original.signed_by.as_deref().unwrap_or_default(),
        );
        form.drafts = original
            .answers
            .iter()
            .map(|(q, a)| {
                (
                    q.clone(),
                    AnswerDraft {
                        yes: Some(a.yes),
                        conditions: a.conditions.clone(),
                        details: a.details.clone(),
                        more: a.more.clone(),
                    },
                )
            })
            .collect();
        form.amends = Some(original.id);
        form.opened_now()
    }

    pub fn planned_areas(&self) -> Vec<String> {
        self.planned
            .iter()
            .filter(|(_, on)| *on)
            .map(|(a, _)| a.clone())
            .collect()
    }

    /// The answers given so far (unanswered questions left out; blank details dropped). An open
    /// question is always answered: "yes" when something was written.
    pub fn answers(&self) -> Answers {
        let mut answers: Answers = self
            .open_questions
            .iter()
            .map(|q| {
                let details: BTreeMap<String, String> = self
                    .drafts
                    .get(q)
                    .map(|d| {
                        d.details
                            .iter()
                            .filter(|(_, v)| !v.trim().is_empty())
                            .map(|(k, v)| (k.clone(), v.trim().to_owned()))
                            .collect()
                    })
                    .unwrap_or_default();
                let answer = Answer {
                    yes: !details.is_empty(),
                    conditions: Vec::new(),
                    details,
                    more: Vec::new(),
                };
                (q.clone(), answer)
            })
            .collect();
        let closed = self
            .drafts
            .iter()
            .filter(|(q, _)| !self.open_questions.contains(q))
            .filter_map(|(q, d)| {
                let yes = d.yes?;
                let given = |details: &BTreeMap<String, String>| -> BTreeMap<String, String> {
                    details
                        .iter()
                        .filter(|(_, v)| !v.trim().is_empty())
                        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
                        .collect()
                };
                // Entries with nothing chosen or written are left out.
                let more = d
                    .more
                    .iter()
                    .map(|e| crate::domain::AnswerEntry {
                        conditions: e.conditions.clone(),
                        details: given(&e.details),
                    })
                    .filter(|e| !e.conditions.is_empty() || !e.details.is_empty())
                    .collect();
                Some((
                    q.clone(),
                    Answer {
                        yes,
                        conditions: if yes { d.conditions.clone() } else { Vec::new() },
                        details: if yes { given(&d.details) } else { BTreeMap::new() },
                        more: if yes { more } else { Vec::new() },
                    },
                ))
            });
        answers.extend(closed);
        answers
    }

    /// What signing would save, as typed so far (the protocol checks and signs it).
    fn to_sign(&self, today: NaiveDate) -> ScreeningToSign {
        ScreeningToSign {
            id: self.screening_id,
            client_id: self.client_id,
            skin_type: self.skin_type,
            date_of_birth: self.date_of_birth,
            screened_on: today,
            answers: self.answers(),
            planned_areas: self.planned_areas(),
            signed_by: self.signer.clone(),
            amends: self.amends.map(|id| (id, self.amendment_reason.clone())),
            clearances: self.clearances.clone(),
        }
    }

    pub fn outcome(&self, protocol: &Protocol, today: NaiveDate) -> Result<Outcome, ScreeningError> {
        self.to_sign(today).outcome(protocol)
    }

    /// The signed screening to save, or why it cannot be signed yet.
    pub fn build(&self, protocol: &Protocol, today: NaiveDate) -> Result<Screening, String> {
        protocol
            .sign_screening(self.to_sign(today))
            .map_err(|e| e.to_string())
    }
}

pub use crate::ui::widgets::disagreement_line;

pub struct ScreeningView<'a> {
    pub form: &'a mut ScreeningForm,
    pub protocol: &'a Protocol,
    pub today: NaiveDate,
    /// The accounts that may sign.
    pub signers: &'a [String],
    pub signer_status: signing::SignerStatus<'a>,
}

fn outcome_level(kind: OutcomeKind) -> BannerLevel {
    match kind {
        OutcomeKind::Clear => BannerLevel::Ok,
        OutcomeKind::Caution | OutcomeKind::NeedsClearance => BannerLevel::Warn,
        OutcomeKind::Defer | OutcomeKind::DoNotTreat => BannerLevel::Stop,
    }
}

impl ScreeningView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<ScreeningAction> {
        let mut action = None;
        let (protocol, today) = (self.protocol, self.today);
        let form = &mut *self.form;
        ui.horizontal(|ui| {
            if ui.button("Cancel screening").clicked() {
                action = Some(ScreeningAction::Cancel);
            }
            let title = if form.amends.is_some() {
                "Amend screening"
            } else {
                "Pre-treatment screening"
            };
            ui.heading(format!("{title}: {} · {today}", form.client_name));
        });
        if let Some(text) = &form.restored {
            ui.horizontal(|ui| {
                banner(ui, BannerLevel::Info, text);
                if ui.button(START_BLANK_LABEL).clicked() {
                    action = Some(ScreeningAction::StartBlank);
                }
            });
        }
        if let Some(signed) = &form.confirming {
            let reason = form.amends.map(|_| form.amendment_reason.as_str());
            let choice = signing::screening_ui(
                ui,
                signed,
                protocol,
                reason,
                self.signer_status.entry(&mut form.pin),
            );
            error_line(ui, form.error.clone());
            return match choice {
                Some(Choice::Sign) => Some(ScreeningAction::Submit),
                Some(Choice::Back) => Some(ScreeningAction::BackToForm),
                None => action,
            };
        }
        let outcome = form.outcome(protocol, today);
        match &outcome {
            Ok(o) => {
                let head = match o.defer_until {
                    Some(d) => format!("Outcome: {} until {d}", o.kind),
                    None => format!("Outcome: {}", o.kind),
                };
                banner(ui, outcome_level(o.kind), &head);
                for f in &o.findings {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("• {}", f.message));
                        sources_mark(
                            ui,
                            &format!(
                                "Rule {} · sources {} · tier {}",
                                f.rule,
                                f.sources.join(", "),
                                f.tier
                            ),
                            f.disagreement.as_deref(),
                        );
                    });
                }
                if !o.excluded_areas.is_empty() {
                    let names: Vec<&str> = o.excluded_areas.iter().map(|a| protocol.area_name(a)).collect();
                    ui.colored_label(WARN_AMBER, format!("Leave out today: {}", names.join(", ")));
                }
            }
            Err(ScreeningError::Unanswered(list)) => {
                ui.label(RichText::new(format!("{} question(s) still to answer.", list.len())).strong());
            }
            Err(e) => error_line(ui, Some(e.to_string())),
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .max_height(ui.available_height() - 120.0)
            .show(ui, |ui| {
                let focus_first = std::mem::take(&mut form.focus_first);
                for (index, q) in protocol.intake_questions.iter().enumerate() {
                    // The date of birth on file answers "Are you 22 or older?".
                    if q.id == AGE_QUESTION {
                        continue;
                    }
                    let draft = form.drafts.entry(q.id.clone()).or_default();
                    ui.add_space(4.0);
                    let question = ui.label(RichText::new(format!("{}. {}", q.number, q.text)).strong());
                    if q.open {
                        // Answered in words; blank is an answer too ("nothing to add").
                        ui.indent(("open", &q.id), |ui| {
                            for f in &q.follow_ups {
                                // Kept only when written, so an untouched form has nothing typed.
                                let mut value = draft.details.get(&f.id).cloned().unwrap_or_default();
                                ui.horizontal(|ui| {
                                    let label = ui.label(&f.label);
                                    let r = follow_up_ui(ui, protocol, (&q.id, f), &mut value, label.id);
                                    if focus_first && index == 0 {
                                        r.request_focus();
                                    }
                                });
                                if value.is_empty() {
                                    draft.details.remove(&f.id);
                                } else {
                                    draft.details.insert(f.id.clone(), value);
                                }
                            }
                        });
                        continue;
                    }
                    if let (crate::protocol::screening::CONSENT_QUESTION, Some(words)) =
                        (q.id.as_str(), form.consent_on_file.as_ref())
                    {
                        // Answered by the consent itself: signed (and in force) or not.
                        let answer = if draft.yes == Some(true) { "Yes" } else { "No" };
                        ui.label(
                            RichText::new(format!("{answer}, from the consent on file: {words}")).weak(),
                        )
                        .labelled_by(question.id);
                        continue;
                    }
                    ui.horizontal(|ui| {
                        let yes = ui
                            .radio_value(&mut draft.yes, Some(true), "Yes")
                            .labelled_by(question.id);
                        if focus_first && index == 0 {
                            yes.request_focus();
                        }
                        ui.radio_value(&mut draft.yes, Some(false), "No")
                            .labelled_by(question.id);
                        if draft.yes.is_none() {
                            ui.label(RichText::new("not answered").italics().weak());
                        }
                        if let Some(prev) = form.previous.as_ref() {
                            let last = match prev.answers.get(&q.id) {
                                Some(a) if a.yes => "Yes",
                                Some(_) => "No",
                                None => "not asked",
                            };
                            ui.label(
                                RichText::new(format!("last time ({}): {last}", prev.screened_on)).weak(),
                            );
                        }
                    });
                    if draft.yes == Some(true) {
                        ui.indent(("follow", &q.id), |ui| {
                            if q.screens_for.len() > 1 {
                                ui.label("Which applies?");
                                for c in &q.screens_for {
                                    let name = protocol
                                        .contraindication(c)
                                        .map_or(c.as_str(), |x| x.name.as_str());
                                    let mut on = draft.conditions.contains(c);
                                    if ui.checkbox(&mut on, name).changed() {
                                        draft.conditions.retain(|x| x != c);
                                        if on {
                                            draft.conditions.push(c.clone());
                                        }
                                    }
                                }
                            }
                            for f in &q.follow_ups {
                                let value = draft.details.entry(f.id.clone()).or_default();
                                ui.horizontal(|ui| {
                                    let label = ui.label(&f.label);
                                    follow_up_ui(ui, protocol, (&q.id, f), value, label.id);
                                });
                            }
                            if q.repeatable {
                                more_entries_ui(ui, protocol, q, &mut draft.more);
                            }
                        });
                    }
                }
                ui.separator();
                ui.label(RichText::new("Areas planned for today").strong());
                ui.horizontal_wrapped(|ui| {
                    for (area, on) in &mut form.planned {
                        ui.checkbox(on, protocol.area_name(area));
                    }
                });
            });
        ui.separator();
        if form.amends.is_some() {
            ui.horizontal(|ui| {
                let l = ui.label("Reason for the amendment");
                ui.add(egui::TextEdit::singleline(&mut form.amendment_reason).desired_width(420.0))
                    .labelled_by(l.id);
            });
        }
        ui.horizontal(|ui| {
            signing::signer_combo(ui, SIGNER_LABEL, &mut form.signer, self.signers);
            let complete = !matches!(outcome, Err(ScreeningError::Unanswered(_)));
            let sign = ui.add_enabled(complete, egui::Button::new(SIGN_LABEL));
            if !complete {
                sign.on_disabled_hover_text("Answer every question first.");
            } else if sign.clicked() {
                // The first step: shows what would be signed.
                action = Some(ScreeningAction::Review);
            }
        });
        error_line(ui, form.error.clone());
        action
    }
}
