//! The Today lists as the front desk sees them: who is booked today, who is due this week, who
//! is overdue, whose deferral ends soon. Every date is relative to a fixed "today".

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, date, file_only, open, plan_limits, temp_db, TempDb};
use chrono::{Duration, NaiveDate};
use needlepoint::domain::today::{DEFERRAL_DAYS_AHEAD, DUE_DAYS_AHEAD, MAX_ROWS};
use needlepoint::domain::{
    Client, ClientId, Finding, IntervalWindow, Outcome, OutcomeKind, PlanStatus, Screening, ScreeningId,
    SeriesSpec, Session, SessionStatus, TodayList, TodayOverview, TodayRow, TreatmentPlan,
};
use needlepoint::store::Store;
use needlepoint::ui::views::today::TodayView;
use needlepoint::ui::Action;

fn today() -> NaiveDate {
    date("2026-11-22")
}

/// Today plus `n` days (minus for the past).
fn day(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

struct Clinic {
    store: Store,
    db: TempDb,
}

impl Clinic {
    fn new() -> Self {
        let db = temp_db();
        let store = open(&db);
        Self { store, db }
    }

    fn client(&mut self, name: &str) -> Client {
        let c = client(name, "1980-05-17", Some("0412 555 010"));
        self.store
            .write("Reception", |w| w.insert_client(&c))
            .expect("save client");
        c
    }

    fn archived_client(&mut self, name: &str) -> Client {
        let mut c = client(name, "1980-05-17", None);
        c.archived = true;
        self.store
            .write("Reception", |w| w.insert_client(&c))
            .expect("save client");
        c
    }

    fn plan(&mut self, plan: &TreatmentPlan, sessions: &[Session]) {
        self.store
            .write("Reception", |w| w.insert_plan(plan, sessions, &plan_limits(plan)))
            .expect("save plan");
    }

    fn screening(&mut self, s: &Screening) {
        self.store
            .write(crate::common::lead(), |w| w.insert_screening(s))
            .expect("save screening");
    }

    fn overview(&self) -> TodayOverview {
        self.store.today_overview(today()).expect("today overview")
    }
}

/// A series of `count` sessions, four to six weeks apart, starting on `start`: session 2's
/// window is `start + 28` to `start + 42`, its target `start + 28`.
fn series(client: ClientId, title: &str, start: NaiveDate, count: u32) -> (TreatmentPlan, Vec<Session>) {
    let spec = SeriesSpec::new(start, count, IntervalWindow::default()).expect("spec");
    let plan = TreatmentPlan::new(client, title, spec, "2026.11-1").expect("plan");
    let sessions = plan.initial_sessions();
    (plan, sessions)
}

fn done(s: &mut Session, on: NaiveDate) {
    s.status = SessionStatus::Done;
    s.performed_on = Some(on);
}

fn book(s: &mut Session, on: NaiveDate) {
    s.status = SessionStatus::Booked;
    s.booked_on = Some(on);
}

/// A plan whose first session is done and whose second session's window opens on `opens`.
fn second_session_opens(client: ClientId, opens: NaiveDate) -> (TreatmentPlan, Vec<Session>) {
    let start = opens - Duration::days(28);
    let (plan, mut sessions) = series(client, "Acne scar series", start, 3);
    done(&mut sessions[0], start);
    (plan, sessions)
}

/// A plan whose first session is done and whose second session's window ends on `ends`.
fn second_session_ends(client: ClientId, ends: NaiveDate) -> (TreatmentPlan, Vec<Session>) {
    second_session_opens(client, ends - Duration::days(14))
}

fn screening(client: ClientId, on: NaiveDate, defer_until: Option<NaiveDate>, signed: bool) -> Screening {
    let findings = defer_until
        .map(|until| Finding {
            rule: "isotretinoin".to_owned(),
            kind: OutcomeKind::Defer,
            message: format!("Isotretinoin: do not treat before {until}."),
            area: None,
            defer_until: Some(until),
            clearance_from: None,
            sources: vec!["I5".to_owned()],
            tier: "I".to_owned(),
            disagreement: None,
        })
        .into_iter()
        .collect();
    Screening {
        id: ScreeningId::new(),
        client_id: client,
        screened_on: on,
        answers: Default::default(),
        planned_areas: vec!["cheeks".to_owned()],
        outcome: Outcome::from_findings(findings),
        clearances: Vec::new(),
        protocol_version: "2026.11-1".to_owned(),
        signed_by: signed.then(|| "Dr. Maya Lindqvist".to_owned()),
        signed_at: None,
        amends: None,
        amendment_reason: None,
    }
}

fn names(list: &TodayList) -> Vec<&str> {
    list.rows.iter().map(|r| r.client_name.as_str()).collect()
}

fn shows(list: &TodayList, c: &Client) -> bool {
    list.rows.iter().any(|r| r.client_id == c.id)
}

#[test]
fn an_empty_clinic_has_an_empty_day() {
    let clinic = Clinic::new();
    assert_eq!(clinic.overview(), TodayOverview::default());
}

#[test]
fn a_session_booked_for_today_is_in_booked_today_only() {
    let mut clinic = Clinic::new();
    let ada = clinic.client("Ada Lovelace");
    let (plan, mut sessions) = series(ada.id, "Acne scar series", day(-30), 4);
    done(&mut sessions[0], day(-30));
    book(&mut sessions[1], today());
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(o.booked_today.total, 1);
    let row = &o.booked_today.rows[0];
    assert_eq!(row.client_id, ada.id);
    assert_eq!(row.client_name, "Ada Lovelace");
    assert_eq!(row.date, today());
    assert_eq!(row.detail, "Session 2 of 4 · Acne scar series");
    assert!(!shows(&o.due_this_week, &ada), "booked today is not also due");
    assert!(!shows(&o.overdue, &ada));
}

#[test]
fn bookings_on_other_days_are_not_booked_today() {
    let mut clinic = Clinic::new();
    let tomorrow = clinic.client("Booked Tomorrow");
    let (plan, mut sessions) = series(tomorrow.id, "Series", day(-27), 3);
    done(&mut sessions[0], day(-27));
    book(&mut sessions[1], day(1));
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(o.booked_today.total, 0);
    assert!(!shows(&o.due_this_week, &tomorrow), "booked ahead is not due");
    assert!(!shows(&o.overdue, &tomorrow));
}

#[test]
fn a_second_session_whose_window_ended_yesterday_is_overdue_not_due() {
    let mut clinic = Clinic::new();
    let bea = clinic.client("Bea Okafor");
    let (plan, sessions) = second_session_ends(bea.id, day(-1));
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(o.overdue.total, 1);
    let row = &o.overdue.rows[0];
    assert_eq!(row.client_id, bea.id);
    assert_eq!(row.date, day(-1));
    assert_eq!(
        row.detail,
        format!("Session 2 of 3 · window ended {} (1 day ago)", day(-1))
    );
    assert!(!shows(&o.due_this_week, &bea));
}

#[test]
fn overdue_says_how_many_days_ago() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Chen Wei");
    let (plan, sessions) = second_session_ends(c.id, day(-9));
    clinic.plan(&plan, &sessions);
    let o = clinic.overview();
    assert_eq!(
        o.overdue.rows[0].detail,
        format!("Session 2 of 3 · window ended {} (9 days ago)", day(-9))
    );
}

#[test]
fn a_window_ending_today_is_still_due_not_overdue() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Last Day");
    let (plan, sessions) = second_session_ends(c.id, today());
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert!(shows(&o.due_this_week, &c));
    assert!(!shows(&o.overdue, &c));
}

#[test]
fn a_window_open_now_is_due_with_its_target_date_and_window() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Open Now");
    let (plan, sessions) = second_session_opens(c.id, day(-2));
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(o.due_this_week.total, 1);
    let row = &o.due_this_week.rows[0];
    assert_eq!(row.date, sessions[1].target_on);
    assert_eq!(
        row.detail,
        format!("Session 2 of 3 · window {} to {}", day(-2), day(12))
    );
}

#[test]
fn a_window_opening_in_three_days_is_due_one_opening_in_ten_is_not() {
    let mut clinic = Clinic::new();
    let soon = clinic.client("Soon Enough");
    let later = clinic.client("Later On");
    let (plan, sessions) = second_session_opens(soon.id, day(3));
    clinic.plan(&plan, &sessions);
    let (plan, sessions) = second_session_opens(later.id, day(10));
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(names(&o.due_this_week), ["Soon Enough"]);
    assert_eq!(o.due_this_week.rows[0].date, day(3));
    assert!(!shows(&o.overdue, &later));
}

#[test]
fn due_looks_exactly_a_week_ahead() {
    let mut clinic = Clinic::new();
    let edge = clinic.client("Edge Of Week");
    let beyond = clinic.client("Beyond Week");
    let (plan, sessions) = second_session_opens(edge.id, day(DUE_DAYS_AHEAD));
    clinic.plan(&plan, &sessions);
    let (plan, sessions) = second_session_opens(beyond.id, day(DUE_DAYS_AHEAD + 1));
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(names(&o.due_this_week), ["Edge Of Week"]);
}

#[test]
fn a_first_session_starting_today_is_due_until_it_is_done() {
    let mut clinic = Clinic::new();
    let fresh = clinic.client("Fresh Start");
    let (plan, sessions) = series(fresh.id, "Series", today(), 3);
    clinic.plan(&plan, &sessions);
    let treated = clinic.client("Treated Today");
    let (plan, mut sessions) = series(treated.id, "Series", today(), 3);
    done(&mut sessions[0], today());
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(names(&o.due_this_week), ["Fresh Start"]);
    assert_eq!(o.booked_today.total, 0);
    assert_eq!(o.overdue.total, 0);
}

#[test]
fn done_sessions_do_not_appear() {
    let mut clinic = Clinic::new();
    let c = clinic.client("All Done");
    // Session 2's window ended yesterday, but it was done in time; session 3 opens later.
    let (plan, mut sessions) = second_session_ends(c.id, day(-1));
    let on = sessions[1].target_on;
    done(&mut sessions[1], on);
    clinic.plan(&plan, &sessions);
    // A one-session plan done a while ago.
    let (plan, mut sessions) = series(c.id, "Single", day(-60), 1);
    done(&mut sessions[0], day(-60));
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert!(!shows(&o.overdue, &c));
    assert!(!shows(&o.due_this_week, &c));
    assert!(!shows(&o.booked_today, &c));
}

#[test]
fn only_the_next_session_of_a_plan_counts() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Long Overdue");
    // Sessions 2 and 3 are both past their windows: only session 2 is listed.
    let (plan, mut sessions) = series(c.id, "Series", day(-120), 4);
    done(&mut sessions[0], day(-120));
    clinic.plan(&plan, &sessions);
    assert!(sessions[2].latest_on < today(), "fixture: session 3 is also past");

    let o = clinic.overview();
    assert_eq!(o.overdue.total, 1);
    assert!(o.overdue.rows[0].detail.starts_with("Session 2 of 4"));
    assert!(!shows(&o.due_this_week, &c));
}

#[test]
fn a_later_session_is_not_due_while_an_earlier_one_is_booked_ahead() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Booked Ahead");
    let (plan, mut sessions) = series(c.id, "Series", day(-40), 3);
    done(&mut sessions[0], day(-40));
    book(&mut sessions[1], day(2));
    // Session 3, counted from session 2's target, is not in its window yet anyway; move its
    // window so only "next session" rules could hide it.
    sessions[2].earliest_on = day(1);
    sessions[2].target_on = day(3);
    sessions[2].latest_on = day(20);
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert!(!shows(&o.due_this_week, &c));
    assert!(!shows(&o.overdue, &c));
}

#[test]
fn a_missed_session_passes_next_to_the_one_after() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Missed One");
    let (plan, mut sessions) = series(c.id, "Series", day(-60), 3);
    done(&mut sessions[0], day(-60));
    sessions[1].status = SessionStatus::Missed;
    sessions[2].earliest_on = day(-1);
    sessions[2].target_on = day(1);
    sessions[2].latest_on = day(10);
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(o.due_this_week.total, 1);
    assert!(o.due_this_week.rows[0].detail.starts_with("Session 3 of 3"));
    assert!(!shows(&o.overdue, &c));
}

#[test]
fn a_booking_in_the_past_never_marked_done_is_overdue_once_its_window_ends() {
    let mut clinic = Clinic::new();
    let c = clinic.client("No Show");
    let (plan, mut sessions) = second_session_ends(c.id, day(-3));
    book(&mut sessions[1], day(-5));
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert!(shows(&o.overdue, &c));
    assert!(!shows(&o.booked_today, &c));
}

#[test]
fn closed_and_completed_plans_are_neither_due_nor_overdue() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Plan Closed");
    let (mut plan, sessions) = second_session_ends(c.id, day(-1));
    plan.status = PlanStatus::Closed;
    clinic.plan(&plan, &sessions);
    let (mut plan, sessions) = second_session_opens(c.id, day(1));
    plan.status = PlanStatus::Completed;
    clinic.plan(&plan, &sessions);

    let o = clinic.overview();
    assert_eq!(o.overdue.total, 0);
    assert_eq!(o.due_this_week.total, 0);
}

#[test]
fn an_archived_client_appears_in_no_list() {
    let mut clinic = Clinic::new();
    let gone = clinic.archived_client("Archived Person");
    let (plan, mut sessions) = series(gone.id, "Booked", day(-30), 3);
    done(&mut sessions[0], day(-30));
    book(&mut sessions[1], today());
    clinic.plan(&plan, &sessions);
    let (plan, sessions) = second_session_opens(gone.id, day(1));
    clinic.plan(&plan, &sessions);
    let (plan, sessions) = second_session_ends(gone.id, day(-2));
    clinic.plan(&plan, &sessions);
    clinic.screening(&screening(gone.id, day(-3), Some(day(5)), true));

    assert_eq!(clinic.overview(), TodayOverview::default());
}

#[test]
fn a_signed_deferral_ending_in_five_days_is_listed_one_ending_in_twenty_is_not() {
    let mut clinic = Clinic::new();
    let soon = clinic.client("Deferred Soon");
    let later = clinic.client("Deferred Later");
    clinic.screening(&screening(soon.id, day(-10), Some(day(5)), true));
    clinic.screening(&screening(later.id, day(-10), Some(day(20)), true));

    let o = clinic.overview();
    assert_eq!(names(&o.deferrals_ending), ["Deferred Soon"]);
    let row = &o.deferrals_ending.rows[0];
    assert_eq!(row.client_id, soon.id);
    assert_eq!(row.date, day(5));
    assert_eq!(
        row.detail,
        format!("Isotretinoin: do not treat before {}.", day(5))
    );
}

#[test]
fn deferrals_ending_look_from_today_to_two_weeks_ahead() {
    let mut clinic = Clinic::new();
    for (name, ends) in [
        ("Ended Yesterday", -1),
        ("Ends Today", 0),
        ("Ends At Edge", DEFERRAL_DAYS_AHEAD),
        ("Ends Past Edge", DEFERRAL_DAYS_AHEAD + 1),
    ] {
        let c = clinic.client(name);
        clinic.screening(&screening(c.id, day(-30), Some(day(ends)), true));
    }
    let o = clinic.overview();
    assert_eq!(names(&o.deferrals_ending), ["Ends Today", "Ends At Edge"]);
    assert_eq!(o.deferrals_ending.total, 2);
}

#[test]
fn a_deferral_superseded_by_a_newer_clear_screening_is_not_listed() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Cleared Since");
    clinic.screening(&screening(c.id, day(-20), Some(day(4)), true));
    clinic.screening(&screening(c.id, day(-2), None, true));

    assert_eq!(clinic.overview().deferrals_ending.total, 0);
}

#[test]
fn only_signed_screenings_count_for_deferrals() {
    let mut clinic = Clinic::new();
    let draft = clinic.client("Draft Deferral");
    clinic.screening(&screening(draft.id, day(-1), Some(day(4)), false));
    // A newer unsigned clear screening does not hide the signed deferral before it.
    let signed = clinic.client("Signed Deferral");
    clinic.screening(&screening(signed.id, day(-5), Some(day(6)), true));
    clinic.screening(&screening(signed.id, day(-1), None, false));

    let o = clinic.overview();
    assert_eq!(names(&o.deferrals_ending), ["Signed Deferral"]);
}

#[test]
fn a_screening_saved_later_on_the_same_day_supersedes_the_earlier_one() {
    let mut clinic = Clinic::new();
    let c = clinic.client("Same Day");
    // Both saved with the same fixed clock: the order they were saved in decides.
    clinic.screening(&screening(c.id, day(-1), Some(day(3)), true));
    clinic.screening(&screening(c.id, day(-1), None, true));
    assert_eq!(clinic.overview().deferrals_ending.total, 0);

    let d = clinic.client("Same Day Deferred");
    clinic.screening(&screening(d.id, day(-1), None, true));
    clinic.screening(&screening(d.id, day(-1), Some(day(3)), true));
    assert_eq!(names(&clinic.overview().deferrals_ending), ["Same Day Deferred"]);
}

#[test]
fn an_unreadable_deferral_detail_says_deferred() {
    let mut clinic = Clinic::new();
    let odd = clinic.client("Odd Record");
    clinic
        .store
        .execute_raw(&format!(
            "INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, defer_until,
                outcome_detail, protocol_version, signed_by, signed_at, created_at, signer_id)
             VALUES ('{}', '{}', '{}', '{{}}', '[]', 'defer', '{}', '{{\"written_by\": \"another tool\"}}',
                '2026.11-1', 'Dr. Maya Lindqvist', '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z',
                '00000000-0000-7000-8000-00000000cafe')",
            ScreeningId::new(),
            odd.id,
            day(-2),
            day(3)
        ))
        .expect("raw insert");
    let o = clinic.overview();
    assert_eq!(o.deferrals_ending.total, 1);
    assert_eq!(o.deferrals_ending.rows[0].detail, "Deferred");
}

#[test]
fn lists_are_sorted_by_date_then_name() {
    let mut clinic = Clinic::new();
    for (name, opens) in [
        ("Zoë Park", 1),
        ("amara Mensah", 1),
        ("Björn Jensen", -1),
        ("Yuki Tanaka", 5),
    ] {
        let c = clinic.client(name);
        let (plan, sessions) = second_session_opens(c.id, day(opens));
        clinic.plan(&plan, &sessions);
    }
    let o = clinic.overview();
    assert_eq!(
        names(&o.due_this_week),
        ["Björn Jensen", "amara Mensah", "Zoë Park", "Yuki Tanaka"]
    );
}

#[test]
fn a_long_list_is_capped_and_keeps_its_full_count() {
    let mut clinic = Clinic::new();
    let extra = 7;
    clinic
        .store
        .write("Reception", |w| {
            for i in 0..MAX_ROWS + extra {
                let c = client(&format!("Client {i:04}"), "1990-01-01", None);
                w.insert_client(&c)?;
                let (plan, mut sessions) = series(c.id, "Series", day(-28), 2);
                done(&mut sessions[0], day(-28));
                book(&mut sessions[1], today());
                w.insert_plan(&plan, &sessions, &plan_limits(&plan))?;
            }
            Ok(())
        })
        .expect("save");
    let o = clinic.overview();
    assert_eq!(o.booked_today.total, MAX_ROWS + extra);
    assert_eq!(o.booked_today.rows.len(), MAX_ROWS);
    assert_eq!(o.booked_today.rows[0].client_name, "Client 0000");
    assert_eq!(
        o.booked_today.rows[MAX_ROWS - 1].client_name,
        format!("Client {:04}", MAX_ROWS - 1)
    );
}

#[test]
fn no_today_query_scans_a_whole_table() {
    let clinic = Clinic::new();
    if file_only(&clinic.db) {
        return;
    }
    let plans = clinic.store.today_query_plans().expect("query plans");
    assert_eq!(plans.len(), 10);
    for (sql, lines) in plans {
        assert!(
            lines.iter().all(|l| !l.starts_with("SCAN")),
            "{sql}\n{}",
            lines.join("\n")
        );
    }
}

// The Today screen, drawn headless (egui_kittest) from a ready-made overview.

type ViewHarness = egui_kittest::Harness<'static, (TodayOverview, Vec<Action>)>;

fn view(overview: TodayOverview) -> ViewHarness {
    let mut h = egui_kittest::Harness::builder()
        .with_max_steps(10_000)
        .with_size(egui::vec2(1000.0, 700.0))
        .build_ui_state(
            |ui, state: &mut (TodayOverview, Vec<Action>)| {
                let action = TodayView {
                    overview: &state.0,
                    today: today(),
                    loading: false,
                    has_clients: true,
                    with_booked: true,
                }
                .ui(ui);
                state.1.extend(action);
            },
            (overview, Vec::new()),
        );
    h.run();
    h
}

fn row(name: &str, on: NaiveDate, detail: &str) -> TodayRow {
    TodayRow {
        client_id: ClientId::new(),
        client_name: name.to_owned(),
        date: on,
        detail: detail.to_owned(),
        session_id: None,
    }
}

#[test]
fn the_today_screen_names_its_five_lists_and_says_when_one_is_empty() {
    use egui_kittest::kittest::Queryable;
    let overview = TodayOverview {
        overdue: TodayList {
            rows: vec![row(
                "Bea Okafor",
                day(-1),
                "Session 2 of 3 · window ended 2026-11-21 (1 day ago)",
            )],
            total: 1,
        },
        ..Default::default()
    };
    let h = view(overview);
    for heading in [
        "Booked today",
        "Due this week",
        "Overdue",
        "Deferrals ending soon",
        "Reviews of results due",
    ] {
        h.get_by_label(heading);
    }
    h.get_by_label("No series is due for its review of results.");
    h.get_by_label("Nobody is booked today.");
    h.get_by_label("Nobody is due this week.");
    h.get_by_label("No deferrals end in the next two weeks.");
    assert!(h.query_by_label("Nobody is overdue.").is_none());
    assert_eq!(h.query_all_by_label("(0)").count(), 4);
    h.get_by_label("(1)");
    h.get_by_label("Session 2 of 3 · window ended 2026-11-21 (1 day ago)");
}

#[test]
fn clicking_a_name_on_the_today_screen_opens_that_client() {
    use egui_kittest::kittest::Queryable;
    let ada = row("Ada Lovelace", today(), "Session 2 of 4 · Acne scar series");
    let id = ada.client_id;
    let mut h = view(TodayOverview {
        booked_today: TodayList {
            rows: vec![ada, row("Zoë Park", today(), "Session 1 of 3 · Melasma")],
            total: 2,
        },
        ..Default::default()
    });
    h.get_by_label("Ada Lovelace").click();
    h.run();
    assert_eq!(h.state().1, vec![Action::OpenClient(id)]);
}

#[test]
fn a_capped_list_says_so_and_only_the_rows_in_view_are_drawn() {
    use egui_kittest::kittest::Queryable;
    let overview = TodayOverview {
        due_this_week: TodayList {
            rows: (0..MAX_ROWS)
                .map(|i| row(&format!("Client {i:04}"), day(1), "Session 2 of 3 · window"))
                .collect(),
            total: 1234,
        },
        ..Default::default()
    };
    let mut h = view(overview);
    h.get_by_label("(1234)");
    h.get_by_label(&format!("showing the first {MAX_ROWS} of 1234"));
    h.get_by_label("Client 0000");
    let drawn = h.query_all_by_label_contains("Client 0").count();
    assert!(drawn > 5 && drawn < 60, "{drawn} rows drawn");

    // Scrolling brings later rows in and takes the first ones out.
    for _ in 0..20 {
        h.query_all_by_label_contains("Client 0")
            .last()
            .expect("a row in view")
            .scroll_down();
        h.run();
    }
    assert!(h.query_by_label("Client 0000").is_none());
    let first_in_view: Vec<String> = h
        .query_all_by_label_contains("Client 0")
        .filter_map(|n| egui_kittest::kittest::NodeT::accesskit_node(&n).label())
        .collect();
    assert!(
        first_in_view.iter().any(|n| n.as_str() > "Client 0040"),
        "{first_in_view:?}"
    );
}

/// A demo clinic (as the desk's demo button makes it) fills every list it should: clients due
/// this week, overdue and booked, each list's total at least the rows it shows and no more rows
/// than a list holds, and the derived table in step with the sessions. Timing the lists at
/// 100,000 and a million clients is `needlepoint bench`'s job ("open until Today's lists show").
#[test]
fn a_demo_clinic_fills_the_lists_and_keeps_them_in_step() {
    let db = temp_db();
    let mut store = open(&db);
    let protocol = needlepoint::protocol::Protocol::shipped().expect("protocol");
    // A server writes the demo row by row over the network: a smaller clinic fills the lists too.
    let clients = if db.on_server { 800 } else { 3_000 };
    needlepoint::demo::generate(&mut store, &protocol, clients, today(), 7, |_, _| {}).expect("demo");
    let o = store.today_overview(today()).expect("overview");
    for (name, list) in [
        ("booked today", &o.booked_today),
        ("due this week", &o.due_this_week),
        ("overdue", &o.overdue),
    ] {
        assert!(!list.rows.is_empty(), "a demo clinic of 3,000 has nobody {name}");
        assert!(
            list.total >= list.rows.len(),
            "{name}: total {} < rows {}",
            list.total,
            list.rows.len()
        );
        assert!(list.rows.len() <= MAX_ROWS, "{name}: {} rows", list.rows.len());
    }
    assert!(
        o.overdue.rows.iter().all(|r| r.date < today()),
        "an overdue window ends in the past"
    );
    let report = store.check().expect("check");
    assert_eq!(report.next_sessions_out_of_step, 0);
    assert!(report.is_clean());
}

// Changes after the fact: the lists follow every write that moves a plan's next session, its
// plan or its client, and the derived table stays in step with the sessions.

fn in_step(clinic: &Clinic) {
    let report = clinic.store.check().expect("check");
    assert_eq!(report.next_sessions_out_of_step, 0);
    assert!(report.is_clean());
}

#[test]
fn renaming_or_anonymising_a_client_shows_at_once_in_the_lists() {
    let mut clinic = Clinic::new();
    let bea = clinic.client("Bea Okafor");
    let (plan, sessions) = second_session_ends(bea.id, day(-1));
    clinic.plan(&plan, &sessions);

    let mut renamed = bea.details.clone();
    renamed.full_name = "Beatrice Okafor-Lindqvist".to_owned();
    clinic
        .store
        .write("Reception", |w| w.update_client(bea.id, &bea.details, &renamed))
        .expect("rename");
    assert_eq!(names(&clinic.overview().overdue), ["Beatrice Okafor-Lindqvist"]);
    in_step(&clinic);

    clinic
        .store
        .write("Reception", |w| w.anonymise_client(bea.id).map(|_| ()))
        .expect("anonymise");
    let overdue = clinic.overview().overdue;
    assert_eq!(overdue.total, 1, "their clinical record stays");
    assert!(
        !overdue.rows[0].client_name.contains("Okafor"),
        "{}",
        overdue.rows[0].client_name
    );
    in_step(&clinic);
}

#[test]
fn archiving_a_client_or_closing_a_plan_takes_them_off_the_lists() {
    let mut clinic = Clinic::new();
    let bea = clinic.client("Bea Okafor");
    let (plan, sessions) = second_session_ends(bea.id, day(-1));
    clinic.plan(&plan, &sessions);
    let cy = clinic.client("Cy Tanaka");
    let (cy_plan, cy_sessions) = second_session_opens(cy.id, day(1));
    clinic.plan(&cy_plan, &cy_sessions);
    assert_eq!(clinic.overview().overdue.total, 1);
    assert_eq!(clinic.overview().due_this_week.total, 1);

    clinic
        .store
        .write("Reception", |w| w.archive_client(bea.id))
        .expect("archive");
    clinic
        .store
        .write("Reception", |w| {
            w.set_plan_status(cy_plan.id, cy.id, PlanStatus::Closed)
        })
        .expect("close");
    let o = clinic.overview();
    assert_eq!(o.overdue.total, 0);
    assert_eq!(o.due_this_week.total, 0);
    in_step(&clinic);
}

#[test]
fn a_session_marked_missed_passes_next_to_the_one_after_in_the_lists() {
    let mut clinic = Clinic::new();
    let bea = clinic.client("Bea Okafor");
    // Session 2's window ended yesterday; session 3's opens 13 days from now.
    let (plan, mut sessions) = second_session_ends(bea.id, day(-1));
    clinic.plan(&plan, &sessions);
    assert_eq!(clinic.overview().overdue.total, 1);

    sessions[1].status = SessionStatus::Missed;
    clinic
        .store
        .write("Reception", |w| w.update_session(&sessions[1], bea.id))
        .expect("missed");
    let o = clinic.overview();
    assert_eq!(o.overdue.total, 0, "session 3 is next and its window is ahead");
    assert_eq!(o.due_this_week.total, 0);

    // Its window moved earlier (re-planned): now it is due this week.
    sessions[2].earliest_on = day(2);
    sessions[2].target_on = day(3);
    clinic
        .store
        .write("Reception", |w| w.update_session(&sessions[2], bea.id))
        .expect("re-plan");
    let due = clinic.overview().due_this_week;
    assert_eq!(due.total, 1);
    assert!(
        due.rows[0].detail.starts_with("Session 3 of 3"),
        "{}",
        due.rows[0].detail
    );
    in_step(&clinic);
}

#[test]
fn check_finds_the_today_table_out_of_step_when_someone_edits_the_file_by_hand() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let mut store = open(&db);
    let bea = client("Bea Okafor", "1980-05-17", None);
    store
        .write("Reception", |w| w.insert_client(&bea))
        .expect("client");
    let (plan, sessions) = second_session_ends(bea.id, day(-1));
    store
        .write("Reception", |w| {
            w.insert_plan(&plan, &sessions, &plan_limits(&plan))
        })
        .expect("plan");
    assert_eq!(store.check().expect("check").next_sessions_out_of_step, 0);
    drop(store);

    let raw = rusqlite::Connection::open(&db.path).expect("raw open");
    raw.execute("UPDATE next_sessions SET full_name = 'Someone Else'", [])
        .expect("edit by hand");
    drop(raw);
    let report = open(&db).check().expect("check");
    assert_eq!(
        report.next_sessions_out_of_step, 2,
        "the stale row, and the missing true one"
    );
    assert!(!report.is_clean());
}
