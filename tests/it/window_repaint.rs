//! The window sleeps when there is nothing to do: no job running and no input means no frame
//! asked for. A background job wakes it exactly when it finishes (nothing polls), and the answer
//! shows on that frame. Also: which actions count as saving, so the read-only desk refuses them.

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::domain::{IntervalWindow, SeriesSpec, TreatmentPlan};
use needlepoint::ui::jobs::{Job, Stopped, Waker};
use needlepoint::ui::NeedlepointApp;

use crate::common::ui::{app_on, replace_in};
use crate::common::{client, date, open, temp_db, TempDb};

/// A context that has drawn its first frames and settled: it asks for no more.
fn settled_context() -> egui::Context {
    let ctx = egui::Context::default();
    for _ in 0..10 {
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.label("idle");
        });
        // No renderer here to upload the font texture to.
        output.textures_delta.clear();
        if !ctx.has_requested_repaint() {
            return ctx;
        }
    }
    panic!("an empty window kept asking for frames");
}

/// Waits (without drawing) until someone asks the window for a frame.
fn until_woken(ctx: &egui::Context) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ctx.has_requested_repaint() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[test]
fn a_running_job_asks_for_no_frames_and_its_end_wakes_the_window() {
    let ctx = settled_context();
    let waker = Waker::default();
    waker.set(&ctx);
    let (go, gate) = std::sync::mpsc::channel::<()>();
    let mut job = Job::spawn(&waker, move || {
        gate.recv().ok();
        42
    });
    std::thread::sleep(Duration::from_millis(50));
    assert!(!ctx.has_requested_repaint(), "nothing polls the running job");
    assert_eq!(job.try_take(), None);

    go.send(()).unwrap();
    assert!(until_woken(&ctx), "the finished job did not wake the window");
    assert_eq!(job.try_take(), Some(Ok(42)));
}

#[test]
fn a_job_that_panics_still_wakes_the_window_and_says_it_stopped() {
    let ctx = settled_context();
    let waker = Waker::default();
    waker.set(&ctx);
    let mut job: Job<u8> = Job::spawn(&waker, || panic!("a job that breaks"));
    assert!(until_woken(&ctx));
    assert_eq!(job.try_take(), Some(Err(Stopped)));
}

#[test]
fn a_counting_job_reports_its_progress() {
    let waker = Waker::default();
    let job = Job::spawn_counting(&waker, 10, |progress| {
        for n in 1..=10 {
            progress.set(n);
        }
        "done"
    });
    let total = job.progress().map(|(_, total)| total);
    assert_eq!(total, Some(10));
    assert_eq!(job.wait(), Ok("done"));
}

/// A client whose second session is overdue on 2026-11-22, so Today lists them.
fn with_overdue_client(db: &TempDb) {
    let mut store = open(db);
    let c = client("Amara Okafor", "1992-07-01", Some("0400 123 456"));
    let spec = SeriesSpec::new(date("2026-08-03"), 3, IntervalWindow::default()).unwrap();
    let plan = TreatmentPlan::new(c.id, "Acne scar series", spec, "2026.11-1").unwrap();
    let sessions = plan.initial_sessions();
    store
        .write("Reception", |w| {
            w.insert_client(&c)?;
            w.insert_plan(&plan, &sessions, &crate::common::plan_limits(&plan))
        })
        .unwrap();
}

/// Draws frames only when the window asks for them, until `label` shows.
fn frames_until_shown(h: &mut Harness<'_, NeedlepointApp>, label: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.query_by_label_contains(label).is_none() {
        assert!(Instant::now() < deadline, "{label:?} never showed");
        if h.ctx.has_requested_repaint() {
            h.run();
        } else {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// At rest: no frame asked for before the idle lock's own timer (minutes away).
fn resting(h: &Harness<'_, NeedlepointApp>) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_none_or(|v| v.repaint_delay >= std::time::Duration::from_secs(60))
}

fn assert_idle(h: &Harness<'_, NeedlepointApp>, screen: &str) {
    assert!(
        resting(h),
        "the idle window on {screen} asks for frames: {:?}",
        h.ctx.repaint_causes()
    );
}

/// The window comes to rest: within a few frames it asks for no more, and then one more frame
/// settles at once. A window that polls asks again after every frame and never comes to rest.
/// (On a loaded machine egui may ask for one or two extra frames, with no cause named, after a
/// frame took long in real time; rest is what matters, not the exact count.)
fn assert_comes_to_rest(h: &mut Harness<'_, NeedlepointApp>, screen: &str) {
    for _ in 0..5 {
        if resting(h) {
            break;
        }
        h.run();
    }
    assert_idle(h, screen);
    let steps = h.run();
    assert!(
        steps <= 3,
        "on {screen}, one more frame took {steps} steps to settle"
    );
    for _ in 0..5 {
        if resting(h) {
            break;
        }
        h.run();
    }
    assert_idle(h, screen);
}

#[test]
fn the_idle_window_asks_for_no_frames_on_any_screen() {
    let db = temp_db();
    with_overdue_client(&db);
    let mut h = app_on(&db, date("2026-11-22"), 960.0);
    h.state_mut().without_idle_lock_for_test();
    // Clients is left out: its focused search box blinks its cursor, as any text field does.
    for screen in ["Today", "Products", "Protocol", "Settings"] {
        h.get_by_label(screen).click();
        h.run();
        h.state_mut().wait_for_background_work();
        h.run();
        assert_comes_to_rest(&mut h, screen);
    }
}

/// Keeps the preferences eframe would save between runs.
#[derive(Default)]
struct Kept(std::collections::HashMap<String, String>);

impl eframe::Storage for Kept {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn todays_lists_load_at_start_and_wake_the_window_even_on_another_screen() {
    let db = temp_db();
    with_overdue_client(&db);
    // Left on Products last time: nothing there moves while Today's lists load, so if they are
    // still loading when the window settles, only the finished job can ask for the frame that
    // takes them. The job started before the window existed (the app is built first).
    let mut kept = Kept::default();
    {
        let mut h = app_on(&db, date("2026-11-22"), 960.0);
        h.state_mut().without_idle_lock_for_test();
        h.state_mut().without_idle_lock_for_test();
        h.get_by_label("Products").click();
        h.run();
        h.state_mut().wait_for_background_work();
        eframe::App::save(h.state_mut(), &mut kept);
    }
    let app = NeedlepointApp::new(
        open(&db),
        needlepoint::protocol::Protocol::shipped().unwrap(),
        date("2026-11-22"),
    )
    .signed_in_as(crate::common::LEAD)
    .with_storage(Some(&kept));
    assert!(app.background_work_running(), "Today's lists load from the start");
    let mut h = Harness::builder()
        .with_max_steps(10_000)
        .with_size(egui::vec2(1280.0, 960.0))
        .build_eframe(|cc| {
            needlepoint::ui::fonts::install(&cc.egui_ctx);
            app
        });
    h.run();
    h.get_by_label("Products and lots");
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.state().background_work_running() {
        assert!(Instant::now() < deadline, "the window was never woken");
        if h.ctx.has_requested_repaint() {
            h.run();
        } else {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    // The job's last wake may still be pending when it is seen to end: draw that frame, then
    // the window must settle.
    assert_comes_to_rest(&mut h, "Products");
    // And on Today, the lists show once loaded, without the test waiting on the job.
    h.get_by_label("Today").click();
    h.run();
    frames_until_shown(&mut h, "Amara Okafor");
    assert_comes_to_rest(&mut h, "Today");
}

#[test]
fn a_recall_search_shows_when_its_job_wakes_the_window() {
    let db = temp_db();
    with_overdue_client(&db);
    let mut h = app_on(&db, date("2026-11-22"), 960.0);
    h.state_mut().without_idle_lock_for_test();
    h.get_by_label("Products").click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    replace_in(&mut h, needlepoint::ui::views::products::RECALL_LABEL, "HA-2611");
    h.get_by_label(needlepoint::ui::views::products::FIND_LABEL)
        .click();
    h.run();
    frames_until_shown(&mut h, "0 session(s) used lot HA-2611.");
    assert_comes_to_rest(&mut h, "Products");
}

#[test]
fn what_counts_as_saving_is_what_it_was_before_the_split() {
    use needlepoint::domain::{ProductId, ScreeningId, SessionId};
    use needlepoint::print::PrintRequest;
    use needlepoint::store::BackupInfo;
    use needlepoint::ui::clients::ClientsAction;
    use needlepoint::ui::products::ProductsAction;
    use needlepoint::ui::record::RecordAction;
    use needlepoint::ui::screening::ScreeningAction;
    use needlepoint::ui::sessions::SessionsAction;
    use needlepoint::ui::settings::SettingsAction;
    use needlepoint::ui::{Action, Screen};

    let backup = BackupInfo {
        path: "backups/needlepoint-2026-11-21.db".into(),
        taken_at: crate::common::fixed_now(),
        size: 4096,
        content: None,
        note: None,
    };
    let session = SessionId::new();
    let saving: Vec<Action> = vec![
        RecordAction::NewClient.into(),
        RecordAction::SubmitClientForm {
            confirm_duplicate: false,
        }
        .into(),
        RecordAction::ConfirmArchive.into(),
        RecordAction::SubmitPlanForm.into(),
        RecordAction::BookSession(session).into(),
        RecordAction::Print(PrintRequest::Aftercare(session)).into(),
        ScreeningAction::Start.into(),
        ScreeningAction::Amend(ScreeningId::new()).into(),
        ScreeningAction::Submit.into(),
        SessionsAction::Start(session).into(),
        SessionsAction::Record(session).into(),
        SessionsAction::Submit.into(),
        SessionsAction::SubmitAmendment.into(),
        ProductsAction::Save.into(),
        ProductsAction::SetActive(ProductId::new(), false).into(),
        ProductsAction::ExportRecall.into(),
        SettingsAction::Save.into(),
        SettingsAction::AskRestore(backup.clone()).into(),
        SettingsAction::ConfirmRestore(backup).into(),
        SettingsAction::GenerateDemo { clients: 10 }.into(),
        ClientsAction::ConfirmImport.into(),
    ];
    for a in &saving {
        assert!(a.writes(), "{a:?} saves something");
    }
    let reading: Vec<Action> = vec![
        Action::Navigate(Screen::Clients),
        Action::OpenClient(needlepoint::domain::ClientId::new()),
        Action::CloseDialog,
        Action::DismissStatus,
        Action::SetDarkMode(true),
        ClientsAction::Search("Ada".to_owned()).into(),
        ClientsAction::ShowRows { first: 0, last: 100 }.into(),
        ClientsAction::PreviewImport.into(),
        RecordAction::Close.into(),
        RecordAction::CloseDialog.into(),
        ScreeningAction::Cancel.into(),
        SessionsAction::ReusePreviousSettings.into(),
        SessionsAction::Cancel.into(),
        ProductsAction::RecallSearch.into(),
        // A backup reads the database: a read-only desk may still make one.
        SettingsAction::BackupNow.into(),
    ];
    for a in &reading {
        assert!(!a.writes(), "{a:?} saves nothing");
    }
}
