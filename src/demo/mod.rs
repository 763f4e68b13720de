//! Realistic, varied demo data: clients with names from many cultures, concerns, plans with
//! done and planned sessions, screenings including deferrals and clearances, and products.
//! Deterministic for a given seed and "today", so a demo database can be reproduced.

use chrono::{Duration, NaiveDate};
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::domain::series::{self, SeriesSpec};
use crate::domain::{
    Actor, Answer, Clearance, Client, ClientConcern, ClientDetails, ClientId, ConcernId, IntervalWindow,
    NeedleDepth, Outcome, PlannedArea, Product, ProductKind, Screening, ScreeningId, Session, SessionArea,
    SessionStatus, Severity, SkinType, TreatmentPlan,
};
use crate::protocol::{ContraindicationClass, Deferral, Protocol, ScreeningToSign};
use crate::store::{Store, StoreResult, Writer};

pub mod consent;
mod diary;
mod photos;
mod team;

use team::team_member;
pub use team::{demo_team, DEMO_PASSWORD, DEMO_TEAM};

const GIVEN: &[&str] = &[
    "Ada", "Zoë", "Łukasz", "Amara", "Mei", "Sofia", "Olivia", "Aisha", "Priya", "Yuki", "Chloé", "Ingrid",
    "Fatima", "Noa", "Leilani", "Camila", "Hannah", "Grace", "Siobhán", "Thandiwe", "Elif", "Mariana",
    "Anjali", "Kateryna", "Jun", "Rania", "Emma", "Lucía", "Nkechi", "Sun-hee", "Freya", "Malia", "Daniel",
    "Omar", "Mateo", "Kwame", "Ravi", "Tomás", "Henrik", "Wei", "Mohammed", "Jonas", "李雷", "محمد", "Ngozi",
    "Ayşe", "Bích", "Anh", "Tariq", "Isla",
];
const FAMILY: &[&str] = &[
    "Lovelace",
    "Nowak",
    "Okafor",
    "Chen",
    "Rossi",
    "Smith",
    "Khan",
    "Sharma",
    "Tanaka",
    "Dubois",
    "Johansson",
    "Haddad",
    "Levi",
    "Kahale",
    "García",
    "Müller",
    "O'Brien",
    "Dlamini",
    "Yılmaz",
    "Silva",
    "Patel",
    "Shevchenko",
    "Park",
    "Nasser",
    "Brown",
    "Fernández",
    "Adeyemi",
    "Kim",
    "MacLeod",
    "Fifita",
    "Mensah",
    "Iyer",
    "Santos",
    "Nguyễn",
    "Jensen",
    "Wang",
    "Al-Farsi",
    "Schmidt",
    "Kowalski",
    "Rahman",
    "Van der Berg",
    "Ó Súilleabháin",
];
const PRACTITIONERS: &[&str] = &["Dr. Maya Lindqvist", "Nurse Tomasz Wójcik", "Aroha Ngata"];

const DOMAINS: &[&str] = &["example.com", "example.org", "mail.example.net"];
/// What the generator made, for the progress line and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub clients: usize,
    /// Appointments in the diary (`diary.rs`).
    pub appointments: usize,
    pub plans: usize,
    pub sessions: usize,
    pub screenings: usize,
    /// Before-and-after photos (`photos.rs`): a few clients' series.
    pub photos: usize,
}

/// Clients written per transaction: large enough to be fast, small enough to show progress.
const BATCH: usize = 2000;

/// Fills `store` with `clients` demo clients as of `today`. `progress(done, total)` is called
/// after each batch.
pub fn generate(
    store: &mut Store,
    protocol: &Protocol,
    clients: usize,
    today: NaiveDate,
    seed: u64,
    mut progress: impl FnMut(usize, usize),
) -> StoreResult<DemoSummary> {
    let mut rng = SmallRng::seed_from_u64(seed);
    // A demo clinic's details, so printed sheets have a letterhead; a clinic's own are kept.
    let clinic = store.clinic_settings()?;
    let team = demo_team(store)?;
    let mut products = store.write("Demo data", |w| {
        if clinic.name.trim().is_empty() {
            w.save_clinic_settings(&crate::domain::ClinicSettings {
                name: "Needlepoint Demo Clinic".to_owned(),
                address: "12 Example Street\nSpringfield".to_owned(),
                phone: "+1 555 0100".to_owned(),
                paper_size: clinic.paper_size,
                practitioners: PRACTITIONERS.iter().map(|p| (*p).to_owned()).collect(),
            })?;
        }
        demo_products(w, today, "")
    })?;
    products.team = team;
    store.bulk_demo_mode(true)?;
    let result = generate_batches(
        store,
        protocol,
        &products,
        clients,
        today,
        &mut rng,
        &mut progress,
    );
    // Durability comes back whatever happened, before anything else is written.
    store.bulk_demo_mode(false)?;
    let mut summary = result?;
    summary.appointments = diary::fill(store, &products.team, today, summary.clients, &mut rng)?;
    summary.photos = photos::fill(store, &products.team, today, &mut rng)?;
    Ok(summary)
}

fn generate_batches(
    store: &mut Store,
    protocol: &Protocol,
    products: &DemoProducts,
    clients: usize,
    today: NaiveDate,
    rng: &mut SmallRng,
    progress: &mut impl FnMut(usize, usize),
) -> StoreResult<DemoSummary> {
    let mut summary = DemoSummary::default();
    let mut done = 0;
    while done < clients {
        let n = BATCH.min(clients - done);
        store.write("Demo data", |w| {
            for i in 0..n {
                one_client(w, protocol, products, today, rng, done + i, &mut summary)?;
            }
            Ok(())
        })?;
        done += n;
        progress(done, clients);
    }
    summary.clients = done;
    Ok(summary)
}

struct DemoProducts {
    serums: Vec<Product>,
    cartridge: Product,
    numbing: Product,
    /// Who signs the demo's records.
    team: Vec<Actor>,
}

/// Writes realistic records one transaction at a time (the crash trials): each
/// [`DemoWriter::next_client`] saves one client with concerns, usually a plan with done and
/// planned sessions, and signed screenings, as one action.
pub struct DemoWriter {
    rng: SmallRng,
    products: DemoProducts,
    today: NaiveDate,
    index: usize,
}

impl DemoWriter {
    /// Saves this writer's products (lot numbers carry the seed, so writers with different
    /// seeds can share a database).
    pub fn new(store: &mut Store, today: NaiveDate, seed: u64) -> StoreResult<Self> {
        let suffix = format!("-{seed}");
        let team = demo_team(store)?;
        let mut products = store.write("Demo data", |w| demo_products(w, today, &suffix))?;
        products.team = team;
        Ok(Self {
            rng: SmallRng::seed_from_u64(seed),
            products,
            today,
            index: 0,
        })
    }

    /// Saves one more client and their records in one transaction; returns the client's id
    /// once the transaction has committed.
    pub fn next_client(&mut self, store: &mut Store, protocol: &Protocol) -> StoreResult<ClientId> {
        let mut summary = DemoSummary::default();
        let (rng, products, today, index) = (&mut self.rng, &self.products, self.today, self.index);
        let id = store.write("Demo data", |w| {
            one_client(w, protocol, products, today, rng, index, &mut summary)
        })?;
        self.index += 1;
        Ok(id)
    }
}

fn demo_products(w: &mut Writer<'_>, today: NaiveDate, lot_suffix: &str) -> StoreResult<DemoProducts> {
    w.keep_consent_document(&consent::demo_document())?;
    let year = today + Duration::days(365);
    let mk = |kind, name: &str, serum: Option<&str>, lot: &str| {
        Product::new(kind, name, serum, &format!("{lot}{lot_suffix}"), year, true)
    };
    let serums = vec![
        mk(
            ProductKind::Serum,
            "Sterile HA glide gel",
            Some("ha_gel"),
            "HA-24-0917",
        )?,
        mk(
            ProductKind::Serum,
            "Tranexamic acid 100 mg/ml",
            Some("tranexamic_acid"),
            "TXA-25-0311",
        )?,
        mk(
            ProductKind::Serum,
            "Growth factor serum",
            Some("growth_factors"),
            "GF-25-0102",
        )?,
    ];
    let cartridge = mk(
        ProductKind::NeedleCartridge,
        "12-pin sterile cartridge",
        None,
        "NC-25-4410",
    )?;
    let numbing = mk(
        ProductKind::NumbingCream,
        "Lidocaine 4% cream",
        Some("topical_anaesthetic"),
        "LC-25-0077",
    )?;
    for p in serums.iter().chain([&cartridge, &numbing]) {
        w.insert_product(p)?;
    }
    Ok(DemoProducts {
        serums,
        cartridge,
        numbing,
        team: Vec::new(),
    })
}

fn pick<'a, T>(rng: &mut SmallRng, items: &'a [T]) -> &'a T {
    // The lists above are never empty; fall back to the first if one ever is.
    items.choose(rng).unwrap_or(&items[0])
}

#[allow(clippy::too_many_arguments)]
fn one_client(
    w: &mut Writer<'_>,
    protocol: &Protocol,
    products: &DemoProducts,
    today: NaiveDate,
    rng: &mut SmallRng,
    index: usize,
    summary: &mut DemoSummary,
) -> StoreResult<ClientId> {
    let given = pick(rng, GIVEN);
    let family = pick(rng, FAMILY);
    let full_name = format!("{given} {family}");
    let age_days = rng.random_range(22 * 365..75 * 365);
    let date_of_birth = today - Duration::days(age_days);
    let ascii: String = format!("{given}.{family}")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let email = (rng.random_bool(0.8) && !ascii.is_empty())
        .then(|| format!("{ascii}{}@{}", index, pick(rng, DOMAINS)));
    let phone = rng.random_bool(0.95).then(|| {
        format!(
            "+61 4{:02} {:03} {:03}",
            rng.random_range(0..100),
            rng.random_range(0..1000),
            index % 1000
        )
    });
    let skin_type = *pick(rng, &SkinType::ALL);
    let client = Client {
        id: ClientId::new(),
        details: ClientDetails {
            full_name,
            date_of_birth,
            phone,
            email,
            skin_type,
            notes: String::new(),
        },
        archived: rng.random_bool(0.02),
    };
    w.insert_client(&client)?;

    // One to three concerns, each in one of its suggested areas.
    let mut concerns = Vec::new();
    for _ in 0..rng.random_range(1..=3) {
        let concern = pick(rng, &protocol.concerns);
        let area = concern
            .suggested_areas
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| "cheeks".to_owned());
        if concerns
            .iter()
            .any(|c: &ClientConcern| c.concern == concern.id && c.area == area)
        {
            continue;
        }
        let c = ClientConcern {
            id: ConcernId::new(),
            client_id: client.id,
            concern: concern.id.clone(),
            area,
            severity: *pick(rng, &Severity::ALL),
            noted_on: today - Duration::days(rng.random_range(30..400)),
            resolved_on: None,
            notes: String::new(),
        };
        w.insert_concern(&c)?;
        concerns.push(c);
    }

    // Most clients have a plan; its series started some time ago, so some sessions are done,
    // some are due, some overdue.
    if !rng.random_bool(0.85) {
        return Ok(client.id);
    }
    let count = rng.random_range(3..=6);
    let start = today - Duration::days(rng.random_range(0..200));
    let window = IntervalWindow::default();
    let spec = SeriesSpec::new(start, count, window)?;
    let mut plan = TreatmentPlan::new(client.id, "Collagen induction series", spec, &protocol.version)?;
    plan.concerns = concerns.iter().map(|c| c.id).collect();
    let chosen: Vec<&ClientConcern> = concerns.iter().collect();
    let limits = protocol.plan_depth_limits(concerns.iter().map(|c| c.area.as_str()), &chosen);
    for c in &concerns {
        if plan.areas.iter().any(|a| a.area == c.area) {
            continue;
        }
        // What the plan form proposes: the concern's range (else the area's typical one),
        // limited to the area's maximum, so no depth needs a written reason.
        let range = protocol
            .propose_area(&c.concern, &c.area)
            .depth
            .filter(|d| limits.reason_needed(&c.area, *d).is_none());
        if let Some(depth) = range {
            plan.areas.push(PlannedArea {
                area: c.area.clone(),
                depth,
                reason: None,
            });
        }
    }
    // Each concern's first product a plan would tick (never a prescription or home product),
    // listed once.
    let preselected = |id: &String| {
        protocol
            .serum(id)
            .is_some_and(|s| !s.needs_prescriber() && s.use_in == crate::protocol::SerumUse::InSession)
    };
    plan.serums = Vec::new();
    for c in concerns.iter().filter_map(|c| protocol.concern(&c.concern)) {
        if let Some(id) = c.serums.iter().find(|id| preselected(id)) {
            if !plan.serums.contains(id) {
                plan.serums.push(id.clone());
            }
        }
    }

    // Sessions up to a point in the past are done, each a few days either side of its target.
    let mut done: Vec<(u8, NaiveDate)> = Vec::new();
    for slot in series::plan(&spec, &[]) {
        let replanned = series::plan(&spec, &done);
        let Some(s) = replanned.get(usize::from(slot.number) - 1) else {
            break;
        };
        let actual = s.target + Duration::days(rng.random_range(-3..=10));
        if actual >= today || actual < s.earliest && slot.number > 1 {
            break;
        }
        done.push((slot.number, actual));
    }
    let slots = series::plan(&spec, &done);
    let mut sessions: Vec<Session> = slots.iter().map(|slot| Session::planned(plan.id, slot)).collect();
    let mut screenings = Vec::new();
    for (session, slot) in sessions.iter_mut().zip(&slots) {
        if let Some(on) = slot.done_on {
            let practitioner = (*pick(rng, PRACTITIONERS)).to_owned();
            let screening = clear_screening(protocol, &client, on, &plan, &practitioner);
            session.status = SessionStatus::Done;
            session.performed_on = Some(on);
            session.practitioner = Some(practitioner);
            session.screening_id = Some(screening.id);
            session.serum_product_id = Some(pick(rng, &products.serums).id);
            session.cartridge_product_id = Some(products.cartridge.id);
            session.numbing_product_id = rng.random_bool(0.7).then_some(products.numbing.id);
            screenings.push(screening);
        }
        // Sessions to come are booked by the diary (`diary.rs`), which gives them a time.
    }
    // Signed on their own day, by the demo's clock, never at the moment the demo is made.
    for s in &screenings {
        let by = team_member(&products.team, s.signed_by.as_deref().unwrap_or_default())?;
        w.demo_signed(demo_time(s.screened_on, 9), by, |w| w.insert_screening(s))?;
    }
    w.insert_plan(&plan, &sessions, &limits)?;
    // A series to continue: the client signed the treatment consent (and renews it yearly).
    if sessions.iter().any(|s| s.status != SessionStatus::Done) {
        let first = slots.first().map_or(today, |s| s.done_on.unwrap_or(s.target));
        let by = team_member(&products.team, PRACTITIONERS[0])?;
        consent::sign(w, &client, consent::signed_on(first, today, rng), by, rng)?;
    }
    for session in sessions.iter().filter(|s| s.status == SessionStatus::Done) {
        for area in &plan.areas {
            let depth = area.depth.min;
            let mut a = SessionArea::new(session.id, &area.area, depth, rng.random_range(2..=4))?;
            a.endpoint = Some(
                if depth >= NeedleDepth::from_hundredths(100)? {
                    "pinpoint bleeding"
                } else {
                    "uniform erythema"
                }
                .to_owned(),
            );
            w.insert_session_area(&a, client.id)?;
        }
        if let (Some(by), Some(on)) = (&session.practitioner, session.performed_on) {
            let by = team_member(&products.team, by)?;
            w.demo_signed(demo_time(on, 10), by, |w| w.sign_session(session.id, client.id))?;
        }
    }
    summary.plans += 1;
    summary.sessions += sessions.len();
    summary.screenings += screenings.len();

    // About one client in ten has a recent screening that did not clear them.
    if rng.random_bool(0.1) {
        if let Some(s) = restricted_screening(protocol, client.id, today, rng) {
            let by = team_member(&products.team, s.signed_by.as_deref().unwrap_or_default())?;
            w.demo_signed(demo_time(s.screened_on, 9), by, |w| w.insert_screening(&s))?;
            summary.screenings += 1;
        }
    }
    Ok(client.id)
}

/// The demo's clock: `hour` o'clock (UTC) on `day`, when a demo record is signed.
fn demo_time(day: NaiveDate, hour: u32) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(hour, 30, 0).unwrap_or_default().and_utc()
}

/// A screening with every answer the safe way; the engine still adds what the client's skin
/// type asks for (extra sun care for IV–VI), as it would at the desk.
fn clear_screening(
    protocol: &Protocol,
    client: &Client,
    on: NaiveDate,
    plan: &TreatmentPlan,
    by: &str,
) -> Screening {
    let planned_areas: Vec<String> = plan.areas.iter().map(|a| a.area.clone()).collect();
    let to_sign = ScreeningToSign::for_client(client, on, protocol.safe_answers(), planned_areas, by);
    // A client under 22 on an early session's day contradicts the "yes" to age: the demo keeps
    // a clear outcome rather than invent another answer.
    let outcome = to_sign
        .outcome(protocol)
        .unwrap_or_else(|_| Outcome::from_findings(Vec::new()));
    to_sign.with_outcome(protocol, outcome)
}

/// A screening with one "yes": a dated deferral, a clearance (sometimes on file), or a caution.
fn restricted_screening(
    protocol: &Protocol,
    client: ClientId,
    today: NaiveDate,
    rng: &mut SmallRng,
) -> Option<Screening> {
    let question = protocol
        .intake_questions
        .iter()
        .filter(|q| !q.screens_for.is_empty())
        .collect::<Vec<_>>();
    let q = *question.choose(rng)?;
    let c = protocol.contraindication(q.screens_for.first()?)?;
    let screened_on = today - Duration::days(rng.random_range(0..14));
    let mut answers = protocol.safe_answers();
    let mut details = std::collections::BTreeMap::new();
    let event_on = match &c.deferral.value {
        Some(Deferral::Period { .. }) => {
            let on = screened_on - Duration::days(rng.random_range(10..150));
            for f in q
                .follow_ups
                .iter()
                .filter(|f| f.kind == crate::protocol::FollowUpKind::Date)
            {
                details.insert(f.id.clone(), on.to_string());
            }
            Some(on)
        }
        _ => None,
    };
    let area = c.area_limited.then(|| "chin_jawline".to_owned());
    if let Some(a) = &area {
        for f in q
            .follow_ups
            .iter()
            .filter(|f| f.kind == crate::protocol::FollowUpKind::Area)
        {
            details.insert(f.id.clone(), a.clone());
        }
    }
    answers.insert(
        q.id.clone(),
        Answer {
            yes: true,
            conditions: q.screens_for.iter().take(1).cloned().collect(),
            details,
            more: Vec::new(),
        },
    );
    let clearance =
        (c.class.value == Some(ContraindicationClass::Clearance) && rng.random_bool(0.5)).then(|| {
            Clearance {
                rule: c.id.clone(),
                given_by: format!("Dr. {}", pick(rng, FAMILY)),
                given_on: screened_on - Duration::days(3),
                role: Some("GP".to_owned()),
                expires_on: Some(screened_on + Duration::days(180)),
            }
        });
    let finding = protocol.finding_for(c, screened_on, event_on, area.as_deref(), clearance.as_ref());
    Some(Screening {
        id: ScreeningId::new(),
        client_id: client,
        screened_on,
        answers,
        planned_areas: vec![
            "cheeks".to_owned(),
            "forehead".to_owned(),
            "chin_jawline".to_owned(),
        ],
        outcome: Outcome::from_findings(vec![finding]),
        clearances: clearance.into_iter().collect(),
        protocol_version: protocol.version.clone(),
        signed_by: Some((*pick(rng, PRACTITIONERS)).to_owned()),
        signed_at: None,
        amends: None,
        amendment_reason: None,
    })
}
