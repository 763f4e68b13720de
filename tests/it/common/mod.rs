//! Shared test helpers: a temporary database and ready-made records.
#![allow(dead_code)]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use needlepoint::domain::{Client, ClientDetails, ClientId, SkinType};
use needlepoint::store::Store;

pub mod cli;
pub mod engines;
pub mod pg;
pub mod ui;

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0)
        .single()
        .expect("time")
}

/// A test's clinic database and a folder of its own (exports, photos, backups).
pub struct TempDb {
    pub dir: tempfile::TempDir,
    /// The file's path, or on a server the database's address (as `--db` takes either).
    pub path: std::path::PathBuf,
    /// True when `path` is a database on the tests' PostgreSQL cluster.
    pub on_server: bool,
}

/// A new clinic database: a SQLite file, or, for the store tests run again under
/// `on_server::` (see `on_server.rs`), a database on the tests' own PostgreSQL cluster. The
/// test harness names each test's thread after the test, which is how one body serves both.
pub fn temp_db() -> TempDb {
    let dir = tempfile::tempdir().expect("temp dir");
    if on_server_test() {
        if let Some(target) = pg::initialised_database() {
            let path = std::path::PathBuf::from(target.shown());
            return TempDb {
                dir,
                path,
                on_server: true,
            };
        }
    }
    let path = dir.path().join("clinic.db");
    TempDb {
        dir,
        path,
        on_server: false,
    }
}

/// For a test of the SQLite file itself (its pragmas, its own SQL written by hand, files kept
/// beside it): true when it runs under `on_server::`, where there is no file, and the test
/// returns at once. The server's own versions of these are in `server_store.rs`.
pub fn file_only(db: &TempDb) -> bool {
    db.on_server
}

/// Whether the running test is one of the store tests repeated on the server.
pub fn on_server_test() -> bool {
    std::thread::current()
        .name()
        .is_some_and(|name| name.starts_with("on_server::"))
}

/// Opens the test database, with the clinic's lead account ([`LEAD`]) on it.
pub fn open(db: &TempDb) -> Store {
    let store = Store::open_with_clock(&db.path, fixed_now).expect("open store");
    add_lead(&store);
    store
}

/// The clinical lead every test clinic has: signs what the tests sign.
pub const LEAD: &str = "Dr. Maya Lindqvist";
pub const LEAD_PASSWORD: &str = "correct horse battery";
pub const LEAD_PIN: &str = "2580";
const LEAD_ID: &str = "00000000-0000-7000-8000-00000000cafe";

/// The lead's actor: what a signature written by the tests is signed as.
pub fn lead() -> needlepoint::domain::Actor {
    needlepoint::domain::Actor {
        name: LEAD.to_owned(),
        staff: Some(LEAD_ID.parse().expect("id")),
    }
}

/// Puts the lead's account on `store` (once; hashed once per test run).
pub fn add_lead(store: &Store) {
    static HASHES: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    let (password, pin) = HASHES.get_or_init(|| {
        (
            needlepoint::credentials::hash_secret(LEAD_PASSWORD).expect("hash"),
            needlepoint::credentials::hash_secret(LEAD_PIN).expect("hash"),
        )
    });
    if store.is_read_only() {
        return;
    }
    store
        .execute_raw(&format!(
            "INSERT INTO staff (id, name, role, password_hash, pin_hash, created_at)
             VALUES ('{LEAD_ID}', '{LEAD}', 'clinical_lead', '{password}', '{pin}', '2026-01-01T00:00:00.000Z')
             ON CONFLICT DO NOTHING"
        ))
        .expect("the lead's account");
}

/// Adds an account as the lead (the store's own way), returning it.
pub fn add_staff(
    store: &mut Store,
    name: &str,
    role: needlepoint::domain::Role,
    pin: &str,
) -> needlepoint::domain::StaffMember {
    let new = needlepoint::domain::NewStaff {
        name: name.to_owned(),
        role,
        registration: None,
        password: "a long enough password".to_owned(),
        pin: pin.to_owned(),
    };
    store.write(lead(), |w| w.add_staff(&new)).expect("add staff")
}

/// Has `client` sign the treatment consent on `on`, witnessed by the lead (against a small test
/// document: the consent tests render the real ones).
pub fn give_treatment_consent(store: &mut Store, client: ClientId, on: NaiveDate) {
    give_consent(store, client, needlepoint::domain::ConsentKind::Treatment, on);
}

/// Has `client` sign a consent of `kind` on `on`, witnessed by the lead (a small test document).
pub fn give_consent(
    store: &mut Store,
    client: ClientId,
    kind: needlepoint::domain::ConsentKind,
    on: NaiveDate,
) {
    let (doc, to_sign) = consent_to_sign(client, kind);
    store
        .write(lead(), |w| {
            w.keep_consent_document(&doc)?;
            w.sign_consent(&to_sign, on)
        })
        .expect("consent");
}

/// A small test document of `kind`, and `client`'s signing of it as the form would hand it over.
pub fn consent_to_sign(
    client: ClientId,
    kind: needlepoint::domain::ConsentKind,
) -> (
    needlepoint::store::ConsentDocument,
    needlepoint::store::ConsentToSign,
) {
    use needlepoint::domain::consent::{Signature, SignaturePoint};
    let text = format!("{} (test document)\n", kind.title());
    let doc = needlepoint::store::ConsentDocument {
        version: needlepoint::store::document_version(&text),
        kind,
        title: kind.title().to_owned(),
        text: text.clone(),
        template: "tests".to_owned(),
    };
    let to_sign = needlepoint::store::ConsentToSign {
        id: needlepoint::domain::ConsentId::new(),
        client_id: client,
        kind,
        document_version: doc.version.clone(),
        signer_name: "The client".to_owned(),
        representative: None,
        signature: Signature {
            strokes: vec![(0..20u16)
                .map(|i| SignaturePoint {
                    x: 100 + i * 30,
                    y: 400 + (i % 3) * 60,
                    t: u32::from(i) * 20,
                })
                .collect()],
        },
    };
    (doc, to_sign)
}

/// The shipped protocol, parsed once for the whole test binary.
pub fn shipped_protocol() -> &'static needlepoint::protocol::Protocol {
    static SHIPPED: std::sync::OnceLock<needlepoint::protocol::Protocol> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(|| needlepoint::protocol::Protocol::shipped().expect("protocol"))
}

/// The shipped protocol's depth limits for the plan's areas, as the plan form uses them.
pub fn plan_limits(plan: &needlepoint::domain::TreatmentPlan) -> needlepoint::domain::PlanDepthLimits {
    shipped_protocol().plan_depth_limits(plan.area_ids(), &[])
}

/// A moderate concern `id` (protocol concern id) in `area`, noted 2026-11-22, of no client in
/// particular (set `client_id` to keep it).
pub fn concern(id: &str, area: &str) -> needlepoint::domain::ClientConcern {
    needlepoint::domain::ClientConcern {
        id: needlepoint::domain::ConcernId::new(),
        client_id: ClientId::new(),
        concern: id.to_owned(),
        area: area.to_owned(),
        severity: needlepoint::domain::Severity::Moderate,
        noted_on: date("2026-11-22"),
        resolved_on: None,
        notes: String::new(),
    }
}

pub fn client(name: &str, dob: &str, phone: Option<&str>) -> Client {
    Client {
        id: ClientId::new(),
        details: ClientDetails {
            full_name: name.to_owned(),
            date_of_birth: date(dob),
            phone: phone.map(str::to_owned),
            email: Some(format!(
                "{}@example.com",
                name.split_whitespace().next().unwrap_or("x").to_lowercase()
            )),
            skin_type: SkinType::II,
            notes: String::new(),
        },
        archived: false,
    }
}

pub mod sessions {
    //! A client with an acne-scar plan on cheeks and chin, products on the shelf, and today's
    //! screening signed and linked to a session: the treatment room's starting point.
    use super::{client, date, open, TempDb};
    use chrono::NaiveDate;
    use needlepoint::domain::{
        Answer, Answers, Client, ClientConcern, ConcernId, DepthRange, IntervalWindow, NeedleDepth,
        PlannedArea, Product, ProductKind, Screening, SeriesSpec, Session, Severity, TreatmentPlan,
    };
    use needlepoint::protocol::{Protocol, ScreeningToSign};
    use needlepoint::store::Store;

    pub struct Fixture {
        pub store: Store,
        pub protocol: Protocol,
        pub client: Client,
        pub concern: ClientConcern,
        pub plan: TreatmentPlan,
        pub ha_gel: Product,
        pub vitamin_c: Product,
        pub expired_serum: Product,
        pub cartridge: Product,
        pub numbing: Product,
    }

    pub fn fixture(db: &TempDb, start: &str, sessions: u32) -> Fixture {
        let mut store = open(db);
        let protocol = Protocol::shipped().expect("protocol");
        let client = client("Amara Okafor", "1988-04-02", Some("0400 222 333"));
        let concern = ClientConcern {
            id: ConcernId::new(),
            client_id: client.id,
            concern: "acne_scars_rolling".to_owned(),
            area: "cheeks".to_owned(),
            severity: Severity::Moderate,
            noted_on: date(start),
            resolved_on: None,
            notes: String::new(),
        };
        let spec = SeriesSpec::new(date(start), sessions, IntervalWindow::default()).expect("series");
        let mut plan =
            TreatmentPlan::new(client.id, "Acne scar series", spec, &protocol.version).expect("plan");
        plan.concerns = vec![concern.id];
        let range = |a: u16, b: u16| {
            DepthRange::new(
                NeedleDepth::from_hundredths(a).expect("depth"),
                NeedleDepth::from_hundredths(b).expect("depth"),
            )
            .expect("range")
        };
        plan.areas = vec![
            PlannedArea {
                area: "cheeks".to_owned(),
                depth: range(50, 100),
                reason: None,
            },
            PlannedArea {
                area: "chin_jawline".to_owned(),
                depth: range(50, 100),
                reason: None,
            },
        ];
        plan.serums = vec!["ha_gel".to_owned()];
        let lot = |kind, name: &str, serum: Option<&str>, lot: &str, exp: &str| {
            Product::new(kind, name, serum, lot, date(exp), true).expect("product")
        };
        let ha_gel = lot(
            ProductKind::Serum,
            "Sterile HA gel",
            Some("ha_gel"),
            "HA-2611",
            "2027-06-30",
        );
        let vitamin_c = lot(
            ProductKind::Serum,
            "Vitamin C ampoule",
            Some("vitamin_c"),
            "VC-1",
            "2027-06-30",
        );
        let expired_serum = lot(
            ProductKind::Serum,
            "Sterile HA gel",
            Some("ha_gel"),
            "HA-OLD",
            "2026-10-31",
        );
        let cartridge = lot(
            ProductKind::NeedleCartridge,
            "12-pin cartridge",
            None,
            "CT-77",
            "2028-01-31",
        );
        let numbing = lot(
            ProductKind::NumbingCream,
            "Lidocaine 4% cream",
            None,
            "LC-9",
            "2027-03-31",
        );
        let initial = plan.initial_sessions();
        store
            .write("Reception", |w| {
                w.insert_client(&client)?;
                w.insert_concern(&concern)?;
                w.insert_plan(
                    &plan,
                    &initial,
                    &protocol.plan_depth_limits(plan.area_ids(), &[&concern]),
                )?;
                for p in [&ha_gel, &vitamin_c, &expired_serum, &cartridge, &numbing] {
                    w.insert_product(p)?;
                }
                Ok(())
            })
            .expect("fixture");
        // The client signed the treatment consent at the consultation a week before: a session
        // cannot start without it.
        super::give_treatment_consent(&mut store, client.id, date(start) - chrono::Duration::days(7));
        Fixture {
            store,
            protocol,
            client,
            concern,
            plan,
            ha_gel,
            vitamin_c,
            expired_serum,
            cartridge,
            numbing,
        }
    }

    /// An open wound on the chin: the chin is excluded today, the cheeks are not.
    pub fn wound_on_chin(protocol: &Protocol) -> Answers {
        let mut answers = protocol.safe_answers();
        let mut wound = Answer::yes();
        wound.conditions = vec!["open_wound".to_owned()];
        wound.details.insert("area".to_owned(), "chin_jawline".to_owned());
        answers.insert("skin_conditions_in_area".to_owned(), wound);
        answers
    }

    impl Fixture {
        pub fn sessions(&self) -> Vec<Session> {
            self.store.sessions_of(self.plan.id).expect("sessions")
        }

        pub fn session(&self, number: u8) -> Session {
            self.sessions()
                .into_iter()
                .find(|s| s.number == number)
                .expect("session")
        }

        /// `draft` checked as the treatment-room form checks it on `today`: the plan's area
        /// limits under `screening`, the products on the shelf, no interval to explain.
        pub fn validated_record(
            &self,
            draft: &needlepoint::domain::SessionRecordDraft,
            session: &Session,
            screening: &Screening,
            today: NaiveDate,
        ) -> needlepoint::domain::SessionRecord {
            let rules = self.protocol.area_rules(&self.plan, screening, &[&self.concern]);
            let products = self.store.products(true).expect("products");
            let discouraged = self.protocol.discouraged_serums();
            needlepoint::domain::session_record::validate_record(
                draft,
                &needlepoint::domain::RecordRules {
                    today,
                    session_id: session.id,
                    areas: &rules,
                    products: &products,
                    discouraged_serums: &discouraged,
                    interval: None,
                },
            )
            .expect("a valid session record")
        }

        /// Completes session `number` through the store, as the practitioner's action would.
        pub fn try_complete(
            &mut self,
            number: u8,
            record: &needlepoint::domain::SessionRecord,
            screening: &Screening,
        ) -> needlepoint::store::StoreResult<needlepoint::store::Completion> {
            let session = self.session(number);
            let client = self.client.id;
            self.store.write(super::lead(), |w| {
                w.complete_session(&session, client, record, screening)
            })
        }

        /// Screens on `today` with `answers`, signs, and starts session `number`.
        pub fn screen_and_start(&mut self, number: u8, today: NaiveDate, answers: Answers) -> Screening {
            let areas: Vec<String> = self.plan.areas.iter().map(|a| a.area.clone()).collect();
            let to_sign =
                ScreeningToSign::for_client(&self.client, today, answers, areas, "Dr. Maya Lindqvist");
            let mut screening = self.protocol.sign_screening(to_sign).expect("screening outcome");
            // Signed now, as the store stamps it, so the session can start in the same action.
            screening.signed_at = Some(self.store.now());
            let session = self
                .sessions()
                .into_iter()
                .find(|s| s.number == number)
                .expect("session");
            let client = self.client.id;
            self.store
                .write(super::lead(), |w| {
                    w.insert_screening(&screening)?;
                    w.start_session(&session, client, &screening, today)
                })
                .expect("screen and start");
            screening
        }
    }
}

/// The audit chain's row hash as the app computes it (plain SHA-256: anyone with the code can).
/// The audit chain's row hash of a row with no acting account.
pub fn chain_row_hash(prev: &str, seq: i64, fields: &[Option<String>], content: Option<&str>) -> String {
    chain_row_hash_with(prev, seq, fields, content, None)
}

/// `actor_id`: the acting account, on rows written since sign-in.
pub fn chain_row_hash_with(
    prev: &str,
    seq: i64,
    fields: &[Option<String>],
    content: Option<&str>,
    actor_id: Option<&str>,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"needlepoint-audit-v1\n");
    h.update(prev.as_bytes());
    h.update(seq.to_be_bytes());
    let mut field = |v: Option<&str>| match v {
        Some(b) => {
            h.update([1u8]);
            h.update((b.len() as u64).to_be_bytes());
            h.update(b.as_bytes());
        }
        None => h.update([0u8]),
    };
    for v in fields {
        field(v.as_deref());
    }
    if let Some(c) = content {
        field(Some(c));
    }
    if let Some(id) = actor_id {
        field(Some(&format!("actor:{id}")));
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Recomputes every hash of the audit chain in `conn` (its update trigger must be gone), as a
/// forger would; `with_content` says whether the table has the `content_hash` column.
pub fn rechain(conn: &rusqlite::Connection, with_content: bool) {
    let content = if with_content { "content_hash" } else { "NULL" };
    // A database from before sign-in has no actor_id column.
    let actor_id = if with_content { "actor_id" } else { "NULL" };
    type Row = (i64, Vec<Option<String>>, Option<String>, Option<String>);
    let rows: Vec<Row> = conn
        .prepare(&format!(
            "SELECT seq, at, actor, action, table_name, record_id, client_id, detail, {content}, {actor_id}
             FROM audit_log ORDER BY seq"
        ))
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                (1..=7).map(|i| r.get(i)).collect::<Result<_, _>>()?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = needlepoint::store::GENESIS_HASH.to_owned();
    for (seq, fields, content, actor_id) in rows {
        let hash = chain_row_hash_with(&prev, seq, &fields, content.as_deref(), actor_id.as_deref());
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?2, row_hash = ?3 WHERE seq = ?1",
            rusqlite::params![seq, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
}
