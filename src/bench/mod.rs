//! `needlepoint bench`: the front desk's hot paths measured on one database, as the app runs
//! them — the real app driven headless (egui_kittest, no GPU) for frames, the store for
//! searches and saves. Each figure is the median and 95th percentile of its samples, beside
//! its budget. Figures are measurements, never a test: nothing here fails a build.

pub mod command;
mod consent;
mod diary;
mod live;
mod photos;
mod report;

pub use report::{peak_memory_mb, table, Figure, Report};

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::domain::session_record::validate_record;
use crate::domain::{
    AreaDraft, Client, ClientDetails, ClientId, DepthRange, IntervalWindow, NeedleDepth, PlannedArea,
    Product, ProductKind, RecordRules, Screening, SeriesSpec, SessionRecordDraft, SkinType, TreatmentPlan,
};
use crate::protocol::{Protocol, ScreeningToSign};
use crate::store::{ClientSummary, Store, StoreError};
use crate::ui::NeedlepointApp;

/// Who the bench's own records are saved by, so they are easy to find in the audit log.
pub const BENCH_ACTOR: &str = "Needlepoint bench";

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Print(#[from] crate::print::PrintError),
    #[error(transparent)]
    Startup(#[from] crate::startup::StartupError),
}

/// The budgets of issue 7, by database size.
struct Budgets {
    search_ms: f64,
    frame_ms: f64,
    open_ms: f64,
    memory_mb: f64,
}

impl Budgets {
    fn for_clients(clients: usize) -> Self {
        if clients > 500_000 {
            Self {
                search_ms: 8.0,
                frame_ms: 8.0,
                open_ms: 500.0,
                memory_mb: 250.0,
            }
        } else {
            Self {
                search_ms: 5.0,
                frame_ms: 4.0,
                open_ms: 300.0,
                memory_mb: 200.0,
            }
        }
    }
}

fn figure(
    name: &'static str,
    mut samples: Vec<Duration>,
    budget_ms: impl Into<Option<f64>>,
    note: &'static str,
) -> Figure {
    samples.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = samples.len();
    let at = |q: f64| {
        // Nearest rank: the smallest sample with at least q of the samples at or below it.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n.max(1));
        samples.get(rank - 1).copied().map_or(0.0, ms)
    };
    Figure {
        name,
        samples: n,
        median_ms: at(0.5),
        p95_ms: at(0.95),
        budget_ms: budget_ms.into(),
        note,
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed(), value)
}

/// Measures every path on the database at `db` (which must exist). `today` is the day the app
/// believes it is; `progress` hears what is being measured.
pub fn run(
    db: &Path,
    protocol: &Protocol,
    today: NaiveDate,
    mut progress: impl FnMut(&str),
) -> Result<Report, BenchError> {
    let mut store = Store::open(db)?;
    let clients = store.client_count(true)?;
    if clients == 0 {
        return Err(BenchError::Setup(format!(
            "{} has no clients to measure. Make one with `needlepoint demo --clients 100000 --db {}`.",
            db.display(),
            db.display()
        )));
    }
    let budgets = Budgets::for_clients(clients);
    // The demo team signs what the bench saves, and its clinical lead is at the desk.
    let team = crate::demo::demo_team(&mut store)?;
    let signer = team
        .first()
        .cloned()
        .ok_or_else(|| BenchError::Setup("the demo team has no clinical lead".to_owned()))?;
    let mut rng = SmallRng::seed_from_u64(7);
    let sample = sample_clients(&store, &mut rng, 60)?;
    let mut figures = Vec::new();

    progress("open the database and draw the first frame");
    figures.extend(open_to_first_frame(db, protocol, today, budgets.open_ms)?);

    progress("client search");
    figures.extend(searches(&store, &sample, budgets.search_ms)?);

    progress("client list and Today frames");
    figures.extend(frames(db, protocol, today, budgets.frame_ms)?);

    figures.extend(diary::figures(
        db,
        protocol,
        today,
        &signer,
        budgets.frame_ms,
        &mut progress,
    )?);

    progress("open a client record");
    figures.push(open_records(db, protocol, today, &sample)?);

    progress("screening outcome");
    figures.push(consent::screening_outcomes(protocol, today));

    progress("switch user by PIN");
    figures.push(switch_by_pin(&mut store, &signer, 10)?);

    progress("save a session");
    let (saved, last_session) = save_sessions(&mut store, protocol, today, 20, &signer)?;
    figures.push(saved);

    if let Some(session) = last_session {
        progress("render an aftercare PDF");
        figures.push(aftercare_pdfs(&store, protocol, today, session)?);
        progress("render a signed consent PDF");
        figures.push(consent::consent_pdfs(&store, today, session)?);
    }
    progress("signature pad frame");
    figures.push(consent::pad_frames());
    progress("a change seen at another desk (a clinic server)");
    figures.extend(live::change_seen_elsewhere(db, today, &signer)?);
    // The desk's peak so far; the photo figures' own is measured from a reset mark.
    let peak = peak_memory_mb();
    drop(store);
    let (photo_figures, photo_memory_mb) =
        photos::figures(db, protocol, today, &signer, budgets.frame_ms, &mut progress)?;
    figures.extend(photo_figures);

    Ok(Report {
        database: db.to_path_buf(),
        clients,
        figures,
        peak_memory_mb: peak,
        memory_budget_mb: budgets.memory_mb,
        photo_memory_mb,
        photo_memory_budget_mb: 300.0,
    })
}

fn sample_clients(store: &Store, rng: &mut SmallRng, n: usize) -> Result<Vec<ClientSummary>, StoreError> {
    let total = store.client_count(false)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let offset = rng.random_range(0..total.max(1));
        out.extend(store.client_page(offset, 1, false)?);
    }
    Ok(out)
}

fn harness(store: Store, protocol: &Protocol, today: NaiveDate) -> Harness<'static, NeedlepointApp> {
    harness_sized(store, protocol, today, egui::vec2(1280.0, 800.0))
}

fn harness_sized(
    store: Store,
    protocol: &Protocol,
    today: NaiveDate,
    size: egui::Vec2,
) -> Harness<'static, NeedlepointApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .build_eframe(|cc| crate::ui::window_app(cc, store, protocol.clone(), today));
    // The desk as it is used all day: the day opened by the clinical lead.
    if let Some((lead, ..)) = crate::demo::DEMO_TEAM.first() {
        h.state_mut().sign_in_for_test(lead);
    }
    h
}

/// Switching person at the desk: the PIN checked against its Argon2id hash and the check
/// recorded, as the lock screen does it (off the window's thread there).
fn switch_by_pin(store: &mut Store, who: &crate::domain::Actor, n: usize) -> Result<Figure, BenchError> {
    let setup = |e: &dyn std::fmt::Display| BenchError::Setup(e.to_string());
    let id = who
        .staff
        .ok_or_else(|| setup(&"the bench signer has no account"))?;
    let pin = crate::demo::DEMO_TEAM
        .iter()
        .find(|(name, ..)| *name == who.name)
        .map(|(.., pin)| *pin)
        .ok_or_else(|| setup(&"the bench signer is not in the demo team"))?;
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let (took, right) = time(|| -> Result<bool, StoreError> {
            let hash = store.stored_secrets(id)?.pin_hash;
            let right = crate::credentials::verify_secret(pin, &hash);
            store.write(who, |w| {
                w.record_pin(id, right, "switched in with their PIN (bench)")
            })?;
            Ok(right)
        });
        if !right? {
            return Err(setup(&"the demo PIN did not verify"));
        }
        samples.push(took);
    }
    Ok(figure(
        "switch user by PIN",
        samples,
        300.0,
        "Argon2id with OWASP's parameters (19 MiB, 2 passes) is slow on purpose; the window runs it off its thread",
    ))
}

fn open_to_first_frame(
    db: &Path,
    protocol: &Protocol,
    today: NaiveDate,
    budget: f64,
) -> Result<Vec<Figure>, BenchError> {
    let mut samples = Vec::new();
    let mut today_ready = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let (took, result) = time(|| -> Result<Harness<'static, NeedlepointApp>, BenchError> {
            let store = Store::open(db)?;
            let mut h = harness(store, protocol, today);
            h.step();
            Ok(h)
        });
        // Today's lists load off the UI thread; the desk sees them when the job finishes.
        result?.state_mut().wait_for_background_work();
        today_ready.push(started.elapsed());
        samples.push(took);
    }
    Ok(vec![
        figure(
            "open to first frame",
            samples,
            budget,
            "opening the file and its pragmas, fonts, the client count; Today's lists load off the UI thread",
        ),
        figure(
            "open until Today's lists show",
            today_ready,
            None,
            "the background job's own connection; counting and reading the four lists (due and overdue are ranges of next_sessions)",
        ),
    ])
}

fn searches(store: &Store, sample: &[ClientSummary], budget: f64) -> Result<Vec<Figure>, BenchError> {
    type Query = fn(&ClientSummary) -> Option<String>;
    let kinds: [(&'static str, Query, &'static str); 4] = [
        (
            "search: 3-letter name fragment",
            |c| {
                let chars: Vec<char> = c.full_name.chars().filter(|ch| ch.is_alphabetic()).collect();
                (chars.len() >= 4).then(|| chars[1..4].iter().collect())
            },
            "FTS5 trigram lookup, then ranking every match on name/email/birth date",
        ),
        (
            "search: 4 phone digits",
            |c| {
                let digits: String = c.phone.as_deref()?.chars().filter(char::is_ascii_digit).collect();
                (digits.len() >= 8).then(|| digits[digits.len() - 6..digits.len() - 2].to_owned())
            },
            "FTS5 trigram lookup in the phone-digits column",
        ),
        (
            "search: full email",
            |c| c.email.clone(),
            "FTS5 phrase lookup; one match",
        ),
        (
            "search: date of birth",
            |c| Some(c.date_of_birth.to_string()),
            "FTS5 phrase lookup; a few matches",
        ),
    ];
    let mut out = Vec::new();
    for (name, query, note) in kinds {
        let mut samples = Vec::new();
        for q in sample.iter().filter_map(query) {
            let (took, hits) = time(|| store.search_clients(&q, crate::ui::clients::MAX_HITS));
            hits?;
            samples.push(took);
        }
        out.push(figure(name, samples, budget, note));
    }
    Ok(out)
}

fn scroll(h: &Harness<'static, NeedlepointApp>, pixels: f32) {
    h.hover_at(egui::pos2(400.0, 400.0));
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -pixels),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
}

fn frames(db: &Path, protocol: &Protocol, today: NaiveDate, budget: f64) -> Result<Vec<Figure>, BenchError> {
    let mut h = harness(Store::open(db)?, protocol, today);
    h.step();
    h.state_mut().wait_for_background_work();
    h.step();
    let mut today_frames = Vec::new();
    for _ in 0..60 {
        scroll(&h, 120.0);
        let (took, ()) = time(|| h.step());
        today_frames.push(took);
    }
    h.get_by_label("Clients").click();
    h.step();
    h.step();
    let mut list_frames = Vec::new();
    for _ in 0..200 {
        // A steady scroll through the list: a new page of rows loads every few frames.
        scroll(&h, 600.0);
        let (took, ()) = time(|| h.step());
        list_frames.push(took);
    }
    Ok(vec![
        figure(
            "client list frame while scrolling",
            list_frames,
            budget,
            "layout of the visible rows; a page of 100 rows read from the covering name index when one scrolls in",
        ),
        figure(
            "Today frame",
            today_frames,
            budget,
            "layout of the visible rows of the four lists (capped at 500 rows each)",
        ),
    ])
}

fn open_records(
    db: &Path,
    protocol: &Protocol,
    today: NaiveDate,
    sample: &[ClientSummary],
) -> Result<Figure, BenchError> {
    let mut h = harness(Store::open(db)?, protocol, today);
    h.step();
    // The desk is on the Clients screen with Today's lists loaded, as when it picks a client.
    h.state_mut().wait_for_background_work();
    h.get_by_label("Clients").click();
    h.step();
    h.step();
    // Switching screens starts jobs of its own (Today's lists again, on their own connections);
    // a desk picks a client after they have finished, not within the same millisecond.
    h.state_mut().wait_for_background_work();
    let mut samples = Vec::new();
    for c in sample.iter().take(40) {
        let (took, ()) = time(|| {
            h.state_mut().open_client_for_test(c.id);
            h.step();
        });
        samples.push(took);
    }
    Ok(figure(
        "open a client record",
        samples,
        10.0,
        "reading the client, concerns, plans, sessions with their areas and screenings, and one frame",
    ))
}

/// Saves `n` sessions, each completed and signed in one transaction with `synchronous=FULL`.
/// Each needs a started session of its own, made (untimed) under a bench client that is
/// archived afterwards, so the clinic's lists are not disturbed.
fn save_sessions(
    store: &mut Store,
    protocol: &Protocol,
    today: NaiveDate,
    n: usize,
    signer: &crate::domain::Actor,
) -> Result<(Figure, Option<crate::domain::SessionId>), BenchError> {
    let cartridge = Product::new(
        ProductKind::NeedleCartridge,
        "Bench cartridge",
        None,
        // A lot of its own each run, so the bench can run again on the same database.
        &format!("BENCH-{}", store.now().format("%Y%m%d%H%M%S%3f")),
        today + chrono::Duration::days(365),
        true,
    )
    .map_err(|e| BenchError::Setup(e.to_string()))?;
    store.write(BENCH_ACTOR, |w| w.insert_product(&cartridge))?;
    let products = vec![cartridge.clone()];
    let discouraged = protocol.discouraged_serums();
    let mut samples = Vec::new();
    let mut last = None;
    for i in 0..n {
        let setup = started_session(store, protocol, today, i, signer)?;
        let (plan, session, screening, client) = setup;
        let rules = protocol.area_rules(&plan, &screening, &[]);
        let draft = SessionRecordDraft {
            areas: vec![AreaDraft {
                area: "cheeks".to_owned(),
                depth: "1.00".to_owned(),
                passes: "2".to_owned(),
                endpoint: "pinpoint bleeding".to_owned(),
                ..AreaDraft::default()
            }],
            cartridge: Some(cartridge.id),
            practitioner: signer.name.clone(),
            ..SessionRecordDraft::default()
        };
        let record = validate_record(
            &draft,
            &RecordRules {
                today,
                session_id: session.id,
                areas: &rules,
                products: &products,
                discouraged_serums: &discouraged,
                interval: None,
            },
        )
        .map_err(|e| BenchError::Setup(e.to_string()))?;
        let (took, saved) = time(|| {
            store.write(signer, |w| {
                w.complete_session(&session, client, &record, &screening)
            })
        });
        saved?;
        samples.push(took);
        last = Some(session.id);
        store.write(BENCH_ACTOR, |w| w.archive_client(client))?;
    }
    store.write(BENCH_ACTOR, |w| w.set_product_active(cartridge.id, false))?;
    Ok((
        figure(
            "save a session",
            samples,
            20.0,
            "the fsyncs of one WAL commit (synchronous=FULL); the rows, their audit entries and the series update are small",
        ),
        last,
    ))
}

/// Renders the aftercare sheet of a completed session as the Print button does, without
/// saving it: reading the records, building the sheet, Typst layout and PDF export.
fn aftercare_pdfs(
    store: &Store,
    protocol: &Protocol,
    today: NaiveDate,
    session: crate::domain::SessionId,
) -> Result<Figure, BenchError> {
    use crate::print::{render, sheet, PrintRequest, Templates};
    let templates = Templates::shipped();
    let mut samples = Vec::new();
    for _ in 0..20 {
        let (took, rendered) = time(|| -> Result<usize, crate::print::PrintError> {
            let (made, _) = sheet(store, protocol, PrintRequest::Aftercare(session), today)?;
            Ok(render(&made, &templates, today)?.pdf.len())
        });
        std::hint::black_box(rendered?);
        samples.push(took);
    }
    Ok(figure(
        "render an aftercare PDF",
        samples,
        150.0,
        "Typst layout of the template and PDF export with embedded font subsets; the first sheet also parses the fonts",
    ))
}

type Started = (TreatmentPlan, crate::domain::Session, Screening, ClientId);

fn started_session(
    store: &mut Store,
    protocol: &Protocol,
    today: NaiveDate,
    i: usize,
    signer: &crate::domain::Actor,
) -> Result<Started, BenchError> {
    let setup = |e: crate::domain::DomainError| BenchError::Setup(e.to_string());
    let client = Client {
        id: ClientId::new(),
        details: ClientDetails {
            full_name: format!("Bench client {i}"),
            date_of_birth: NaiveDate::from_ymd_opt(1988, 4, 2).unwrap_or(today),
            phone: None,
            email: None,
            skin_type: SkinType::III,
            notes: String::new(),
        },
        archived: false,
    };
    let spec = SeriesSpec::new(today, 3, IntervalWindow::default()).map_err(setup)?;
    let mut plan = TreatmentPlan::new(client.id, "Bench series", spec, &protocol.version).map_err(setup)?;
    let depth = |h| NeedleDepth::from_hundredths(h).map_err(setup);
    plan.areas = vec![PlannedArea {
        area: "cheeks".to_owned(),
        depth: DepthRange::new(depth(50)?, depth(100)?).map_err(setup)?,
        reason: None,
    }];
    let sessions = plan.initial_sessions();
    let limits = protocol.plan_depth_limits(plan.area_ids(), &[]);
    let to_sign = ScreeningToSign::for_client(
        &client,
        today,
        protocol.safe_answers(),
        vec!["cheeks".to_owned()],
        &signer.name,
    );
    let mut screening = protocol
        .sign_screening(to_sign)
        .map_err(|e| BenchError::Setup(e.to_string()))?;
    // Signed now, as the store stamps it, so the session can start in the same action.
    screening.signed_at = Some(store.now());
    let first = sessions
        .first()
        .cloned()
        .ok_or_else(|| BenchError::Setup("the bench series has no session".to_owned()))?;
    let mut rng = SmallRng::seed_from_u64(u64::try_from(i).unwrap_or(0));
    let consent = crate::demo::consent::consent_to_sign(&client, &mut rng);
    store.write(signer, |w| {
        w.insert_client(&client)?;
        w.keep_consent_document(&crate::demo::consent::demo_document())?;
        w.sign_consent(&consent, today)?;
        w.insert_plan(&plan, &sessions, &limits)?;
        w.insert_screening(&screening)?;
        w.start_session(&first, client.id, &screening, today)
    })?;
    let started = store
        .session(first.id)?
        .ok_or_else(|| BenchError::Setup("the bench session was not saved".to_owned()))?;
    let signed = store
        .screening(screening.id)?
        .ok_or_else(|| BenchError::Setup("the bench screening was not saved".to_owned()))?;
    Ok((plan, started, signed, client.id))
}
