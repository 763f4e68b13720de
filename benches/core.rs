//! Developer benchmarks for the hot paths that exist so far: client search on a demo database,
//! the series scheduler, and rendering an aftercare PDF. `cargo bench`; never a CI gate.
//!
//! `NEEDLEPOINT_BENCH_DB=big.db cargo bench --bench core` searches an existing database (e.g.
//! one made with `needlepoint demo --clients 100000`) instead of a fresh 10,000-client one.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use needlepoint::domain::series::{self, SeriesSpec};
use needlepoint::domain::IntervalWindow;
use needlepoint::protocol::Protocol;
use needlepoint::store::Store;
use std::hint::black_box;

const CLIENTS: usize = 10_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

fn search(c: &mut Criterion) {
    let Ok(dir) = tempfile::tempdir() else { return };
    let given = std::env::var_os("NEEDLEPOINT_BENCH_DB").map(std::path::PathBuf::from);
    let path = given.clone().unwrap_or_else(|| dir.path().join("bench.db"));
    let (Ok(mut store), Ok(protocol)) = (Store::open(&path), Protocol::shipped()) else {
        return;
    };
    if given.is_none()
        && needlepoint::demo::generate(&mut store, &protocol, CLIENTS, today(), 7, |_, _| {}).is_err()
    {
        return;
    }
    let clients = store.client_count(true).unwrap_or_default();
    let mut group = c.benchmark_group(format!("search_{clients}_clients"));
    // As many hits per keystroke as the client list asks for.
    for (name, query) in [
        ("name_fragment", "ove"),
        ("phone_digits", "4125"),
        ("email", "ada.chen12@mail.example.net"),
        ("birth_date", "1990-02-14"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                store
                    .search_clients(black_box(query), needlepoint::ui::clients::MAX_HITS)
                    .map(|h| h.len())
            })
        });
    }
    group.bench_function("list_page", |b| {
        b.iter(|| store.client_page(black_box(5_000), 40, false).map(|p| p.len()))
    });
    group.finish();
}

fn scheduler(c: &mut Criterion) {
    let Ok(window) = IntervalWindow::new(28, 42) else {
        return;
    };
    let Ok(spec) = SeriesSpec::new(today(), 6, window) else {
        return;
    };
    let done = [(1, today()), (2, today() + chrono::Duration::days(33))];
    c.bench_function("replan_series_of_six", |b| {
        b.iter(|| series::plan(black_box(&spec), black_box(&done)))
    });
}

/// A realistic completed session, built in memory: the sheet's data without the store.
fn aftercare_facts(protocol: &Protocol) -> Option<needlepoint::print::build::SessionFacts> {
    use needlepoint::domain::{
        Client, ClientDetails, ClientId, ClinicSettings, NeedleDepth, SessionArea, SessionStatus, SkinType,
        TreatmentPlan,
    };
    let window = IntervalWindow::new(28, 42).ok()?;
    let spec = SeriesSpec::new(today(), 4, window).ok()?;
    let client = Client {
        id: ClientId::new(),
        details: ClientDetails {
            full_name: "Zoë Łukasz 李雷 محمد".to_owned(),
            date_of_birth: NaiveDate::from_ymd_opt(1988, 4, 2)?,
            phone: Some("0400 222 333".to_owned()),
            email: None,
            skin_type: SkinType::III,
            notes: String::new(),
        },
        archived: false,
    };
    let plan = TreatmentPlan::new(client.id, "Acne scar series", spec, &protocol.version).ok()?;
    let mut sessions = plan.initial_sessions();
    let next = sessions.get(1).cloned();
    let mut session = sessions.drain(..).next()?;
    session.status = SessionStatus::Done;
    session.performed_on = Some(today());
    session.practitioner = Some("Dr. Maya Lindqvist".to_owned());
    let areas = ["cheeks", "forehead", "chin_jawline"]
        .iter()
        .filter_map(|a| SessionArea::new(session.id, a, NeedleDepth::from_hundredths(100).ok()?, 2).ok())
        .collect();
    Some(needlepoint::print::build::SessionFacts {
        clinic: ClinicSettings {
            name: "Clínica Aurora".to_owned(),
            address: "Rua das Flores 12\nLisboa".to_owned(),
            phone: "+351 21 123 4567".to_owned(),
            ..ClinicSettings::default()
        },
        client,
        sessions_in_plan: 4,
        plan,
        session,
        areas,
        serum: None,
        concerns: Vec::new(),
        next,
        done_after: false,
        next_time: None,
        own_time: None,
        printed_on: today(),
    })
}

fn aftercare_pdf(c: &mut Criterion) {
    use needlepoint::print::{build, render, Sheet, Templates};
    let Ok(protocol) = Protocol::shipped() else { return };
    let Some(facts) = aftercare_facts(&protocol) else {
        return;
    };
    let Ok(sheet) = build::aftercare(&facts, &protocol) else {
        return;
    };
    let sheet = Sheet::Aftercare(sheet);
    let templates = Templates::shipped();
    c.bench_function("render_aftercare_pdf", |b| {
        b.iter(|| render(black_box(&sheet), &templates, today()).map(|r| r.pdf.len()))
    });
}

criterion_group!(benches, scheduler, aftercare_pdf, search);
criterion_main!(benches);
