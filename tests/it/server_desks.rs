//! Four desks writing to one clinic server at once: two are killed mid-write, the server is
//! restarted without a clean shutdown (`pg_ctl restart -m immediate`) while the others write,
//! and afterwards every write a desk was told was saved is there, none twice, the audit chain
//! unbroken and `check` clean. The desks are `needlepoint crash-writer` processes, each saving
//! a demo client with plans, sessions and screenings per transaction and telling so on stdout.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{fixed_now, pg};
use needlepoint::domain::ClientId;
use needlepoint::store::{init_server, Store};

type Heard = Arc<Mutex<Vec<(usize, Instant, String)>>>;

fn desk(n: usize, url: &str, heard: &Heard) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args([
            "crash-writer",
            "--db",
            url,
            "--seed",
            &(1000 + n).to_string(),
            "--max",
            "1000000",
        ])
        .env("NEEDLEPOINT_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a desk");
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let told = heard.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            told.lock()
                .unwrap()
                .push((n, Instant::now(), format!("stderr {line}")));
        }
    });
    let heard = heard.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            heard.lock().unwrap().push((n, Instant::now(), line));
        }
    });
    child
}

#[test]
fn four_desks_two_killed_and_the_server_restarted_lose_nothing_they_were_told_was_saved() {
    let Some(cluster) = pg::private_cluster() else {
        return;
    };
    let cluster = &cluster.0;
    cluster.admin().batch_execute("CREATE DATABASE clinic").unwrap();
    let target = cluster.target("clinic");
    init_server(&target, None, fixed_now()).expect("server init");
    let url = target.shown().to_owned();

    let heard: Heard = Arc::new(Mutex::new(Vec::new()));
    // The first desk sets the clinic up (its team and products), as a clinic does once; then
    // the others join and all four write at once.
    let mut desks = vec![desk(0, &url, &heard)];
    let started = Instant::now();
    while !heard
        .lock()
        .unwrap()
        .iter()
        .any(|(_, _, l)| l.starts_with("client "))
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the first desk never saved"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    desks.extend((1..4).map(|n| desk(n, &url, &heard)));
    std::thread::sleep(Duration::from_millis(2500));
    for d in &mut desks[..2] {
        d.kill().unwrap(); // SIGKILL, mid-write or not
        d.wait().unwrap();
    }
    std::thread::sleep(Duration::from_millis(1000));
    let restart = cluster.restart_immediately();
    assert!(
        restart.status.success(),
        "{}",
        String::from_utf8_lossy(&restart.stderr)
    );
    let restarted = Instant::now();
    std::thread::sleep(Duration::from_millis(3000));
    for d in &mut desks[2..] {
        d.kill().unwrap();
        d.wait().unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));

    let heard = heard.lock().unwrap().clone();
    let saved: Vec<(usize, Instant, ClientId)> = heard
        .iter()
        .filter_map(|(n, at, line)| Some((*n, *at, line.strip_prefix("client ")?.parse().ok()?)))
        .collect();
    let mut notes: HashMap<ClientId, u64> = HashMap::new();
    for (_, _, line) in &heard {
        if let Some(rest) = line.strip_prefix("notes ") {
            let (id, n) = rest.split_once(' ').unwrap();
            let n: u64 = n.parse().unwrap();
            let e = notes.entry(id.parse().unwrap()).or_default();
            *e = (*e).max(n);
        }
    }
    let said: Vec<&String> = heard
        .iter()
        .map(|(_, _, l)| l)
        .filter(|l| !l.starts_with("client "))
        .take(12)
        .collect();
    assert!(
        saved.len() >= 8,
        "the desks saved too little to prove anything: {} ({said:?})",
        saved.len()
    );
    for killed in 0..2 {
        assert!(
            saved.iter().any(|(n, _, _)| *n == killed),
            "desk {killed} saved nothing before it was killed ({said:?})"
        );
    }
    let after_restart = saved
        .iter()
        .filter(|(n, at, _)| *n >= 2 && *at > restarted)
        .count();
    assert!(
        after_restart > 0,
        "the surviving desks saved nothing after the server came back"
    );

    let store = Store::open(std::path::Path::new(&url)).expect("open after the trial");
    for (n, _, id) in &saved {
        assert!(
            store.client(*id).unwrap().is_some(),
            "desk {n} was told client {id} was saved; it is gone"
        );
    }
    for (id, n) in &notes {
        let kept = store.client(*id).unwrap().unwrap().details.notes;
        let m: u64 = kept
            .strip_prefix("Visit note ")
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        assert!(m >= *n, "client {id}: told note {n} was saved, found \"{kept}\"");
    }
    let twice = store
        .execute_raw(
            "CREATE TEMP TABLE twice AS SELECT record_id FROM audit_log WHERE table_name = 'clients'
             AND action = 'create' GROUP BY record_id HAVING count(*) > 1",
        )
        .unwrap();
    assert_eq!(twice, 0, "a client was created twice");
    let report = store.check().unwrap();
    assert!(report.audit_chain.is_intact(), "{}", report.audit_chain);
    assert!(report.is_clean(), "{report:#?}");
}
