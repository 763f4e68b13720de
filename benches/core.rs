//! Developer benchmarks for the hot paths that exist so far: client search on a demo database
//! and the series scheduler. `cargo bench`; never a CI gate.
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
    // The app asks for up to 500 hits per keystroke (`ui::state::MAX_HITS`).
    for (name, query) in [
        ("name_fragment", "ove"),
        ("phone_digits", "4125"),
        ("email", "ada.chen12@mail.example.net"),
        ("birth_date", "1990-02-14"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| store.search_clients(black_box(query), 500).map(|h| h.len()))
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

criterion_group!(benches, scheduler, search);
criterion_main!(benches);
