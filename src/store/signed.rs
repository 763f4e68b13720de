//! What a signature covers, hashed one way in one place: when a row is signed (the audit row
//! recording the signing carries the hash, chained like every audit field) and when `check`
//! recomputes it for every signed row.
//!
//! The signed content of a record is its row, every column by name, and its child rows (a
//! session's areas, in id order). Each value is hashed with its type and length, so no two
//! different records hash the same bytes. The column lists are fixed here rather than read
//! from the table, so a column added by a later migration does not change older hashes.

use super::db::Row;
use super::db::{Db, OptionalExtension};
use rusqlite::types::Value;
use sha2::{Digest, Sha256};

use super::error::StoreResult;

/// A kind of signed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Signed {
    Screening,
    Session,
    Amendment,
    Clearance,
    Consent,
    Photo,
}

/// The kinds that existed when migration 0006 hashed every signed row.
pub(super) const SIGNED_BEFORE_0006: [Signed; 3] = [Signed::Screening, Signed::Session, Signed::Amendment];

pub(super) const ALL: [Signed; 6] = [
    Signed::Screening,
    Signed::Session,
    Signed::Amendment,
    Signed::Clearance,
    Signed::Consent,
    Signed::Photo,
];

const SCREENING: &[&str] = &[
    "id",
    "client_id",
    "screened_on",
    "answers",
    "planned_areas",
    "outcome",
    "defer_until",
    "outcome_detail",
    "clearances",
    "protocol_version",
    "signed_by",
    "signed_at",
    "amends",
    "amendment_reason",
    "created_at",
];
const SESSION: &[&str] = &[
    "id",
    "plan_id",
    "number",
    "status",
    "earliest_on",
    "target_on",
    "latest_on",
    "booked_on",
    "performed_on",
    "practitioner",
    "screening_id",
    "serum_product_id",
    "cartridge_product_id",
    "numbing_product_id",
    "serum_reason",
    "interval_override_reason",
    "notes",
    "signed_by",
    "signed_at",
    "created_at",
];
const AREA: &[&str] = &[
    "id",
    "session_id",
    "area",
    "depth_hundredths",
    "passes",
    "depth_reason",
    "endpoint",
    "response",
];
const AMENDMENT: &[&str] = &[
    "id",
    "session_id",
    "reason",
    "correction",
    "signed_by",
    "signed_at",
    "created_at",
];

const CLEARANCE: &[&str] = &[
    "id",
    "client_id",
    "rule",
    "given_by",
    "role",
    "given_on",
    "expires_on",
    "covers",
    "recorded_by",
    "recorded_at",
    "created_at",
];

const CONSENT: &[&str] = &[
    "id",
    "client_id",
    "kind",
    "document_version",
    "signed_on",
    "signer_name",
    "representative",
    "relationship",
    "strokes",
    "signature_svg",
    "witness_name",
    "withdraws",
    "withdrawal_reason",
    "signed_at",
    "created_at",
];

const PHOTO: &[&str] = &[
    "id",
    "client_id",
    "session_id",
    "area",
    "view",
    "taken_on",
    "sha256",
    "format",
    "width",
    "height",
    "bytes",
    "consent_id",
    "imported_by",
    "signed_at",
    "created_at",
];

impl Signed {
    /// The table, as named in `audit_log.table_name`.
    pub fn table(self) -> &'static str {
        match self {
            Signed::Screening => "screenings",
            Signed::Session => "sessions",
            Signed::Amendment => "session_amendments",
            Signed::Clearance => "clearances",
            Signed::Consent => "consents",
            Signed::Photo => "photos",
        }
    }

    pub fn from_table(table: &str) -> Option<Self> {
        ALL.into_iter().find(|s| s.table() == table)
    }

    /// What the front desk calls one.
    pub fn words(self) -> &'static str {
        match self {
            Signed::Screening => "screening",
            Signed::Session => "session",
            Signed::Amendment => "session amendment",
            Signed::Clearance => "written clearance",
            Signed::Consent => "consent",
            Signed::Photo => "photo",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Signed::Screening => SCREENING,
            Signed::Session => SESSION,
            Signed::Amendment => AMENDMENT,
            Signed::Clearance => CLEARANCE,
            Signed::Consent => CONSENT,
            Signed::Photo => PHOTO,
        }
    }

    /// Ids of every row of this kind that is signed now, in storage order.
    pub fn signed_ids_sql(self) -> &'static str {
        match self {
            Signed::Screening => "SELECT id FROM screenings WHERE signed_at IS NOT NULL ORDER BY rowid",
            Signed::Session => "SELECT id FROM sessions WHERE signed_at IS NOT NULL ORDER BY rowid",
            Signed::Amendment => "SELECT id FROM session_amendments ORDER BY rowid",
            Signed::Clearance => "SELECT id FROM clearances ORDER BY rowid",
            Signed::Consent => "SELECT id FROM consents ORDER BY rowid",
            Signed::Photo => "SELECT id FROM photos ORDER BY rowid",
        }
    }

    /// The client a signed row belongs to, for its audit row.
    pub fn client_sql(self) -> &'static str {
        match self {
            Signed::Screening => "SELECT client_id FROM screenings WHERE id = ?1",
            Signed::Session => {
                "SELECT p.client_id FROM sessions s JOIN treatment_plans p ON p.id = s.plan_id WHERE s.id = ?1"
            }
            Signed::Amendment => {
                "SELECT p.client_id FROM session_amendments a JOIN sessions s ON s.id = a.session_id
                 JOIN treatment_plans p ON p.id = s.plan_id WHERE a.id = ?1"
            }
            Signed::Clearance => "SELECT client_id FROM clearances WHERE id = ?1",
            Signed::Consent => "SELECT client_id FROM consents WHERE id = ?1",
            Signed::Photo => "SELECT client_id FROM photos WHERE id = ?1",
        }
    }
}

/// The hash of record `id`'s signed content as it is in the file now, or `None` when there is
/// no such row.
pub(super) fn content_hash(conn: &Db, kind: Signed, id: &str) -> StoreResult<Option<String>> {
    content_hash_of(conn, kind, id, true)
}

/// As [`content_hash`]; `with_signer: false` for a database not yet at migration 0012 (whose
/// rows have no signing account, so the hash is the same).
pub(super) fn content_hash_of(
    conn: &Db,
    kind: Signed,
    id: &str,
    with_signer: bool,
) -> StoreResult<Option<String>> {
    let mut h = Sha256::new();
    h.update(b"needlepoint-signed-v1\n");
    h.update(kind.table().as_bytes());
    let sql = format!(
        "SELECT {}, {} FROM {} WHERE id = ?1",
        kind.columns().join(", "),
        if with_signer { "signer_id" } else { "NULL" },
        kind.table()
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            hash_row(&mut h, kind.columns(), r)?;
            // The signing account (migration 0012) is covered where there is one; rows signed
            // before it have none and keep their hashes.
            let signer: Option<String> = r.get(kind.columns().len())?;
            if let Some(signer) = signer {
                h.update(b"signer_id");
                h.update((signer.len() as u64).to_be_bytes());
                h.update(signer.as_bytes());
            }
            Ok(())
        })
        .optional()?;
    if found.is_none() {
        return Ok(None);
    }
    if kind == Signed::Session {
        let sql = format!(
            "SELECT {} FROM session_areas WHERE session_id = ?1 ORDER BY id",
            AREA.join(", ")
        );
        let mut n: u64 = 0;
        conn.for_each(&sql, [id], |r| {
            h.update(b"session_areas");
            hash_row(&mut h, AREA, r)?;
            n += 1;
            Ok(())
        })?;
        // The number of areas closes the list, so areas removed show even if none is left.
        h.update(n.to_be_bytes());
    }
    Ok(Some(hex(&h.finalize())))
}

/// Every row of `kind`, in id order, with the hash of its signed content as
/// [`content_hash_of`] computes it (a session with its areas, read in the same query).
fn stream_hashes(conn: &Db, kind: Signed, mut each: impl FnMut(&str, String)) -> StoreResult<()> {
    let columns = kind.columns();
    let with_areas = kind == Signed::Session;
    let sql = if with_areas {
        format!(
            "SELECT {}, s.signer_id, s.id, {} FROM sessions AS s
             LEFT JOIN session_areas AS a ON a.session_id = s.id ORDER BY s.id, a.id",
            columns
                .iter()
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            AREA.iter()
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!(
            "SELECT {}, signer_id, id FROM {} ORDER BY id",
            columns.join(", "),
            kind.table()
        )
    };
    let signer_at = columns.len();
    let areas_at = columns.len() + 2;
    // The row being hashed: its id, the hash so far, and how many areas it has.
    let mut open: Option<(String, Sha256, u64)> = None;
    let finish = |(id, mut h, areas): (String, Sha256, u64), each: &mut dyn FnMut(&str, String)| {
        if with_areas {
            h.update(areas.to_be_bytes());
        }
        each(&id, hex(&h.finalize()));
    };
    conn.for_each(&sql, [], |r| {
        let id: String = r.get(signer_at + 1)?;
        if open.as_ref().is_none_or(|(o, _, _)| *o != id) {
            if let Some(done) = open.take() {
                finish(done, &mut each);
            }
            let mut h = Sha256::new();
            h.update(b"needlepoint-signed-v1\n");
            h.update(kind.table().as_bytes());
            hash_row(&mut h, columns, r)?;
            let signer: Option<String> = r.get(signer_at)?;
            if let Some(signer) = signer {
                h.update(b"signer_id");
                h.update((signer.len() as u64).to_be_bytes());
                h.update(signer.as_bytes());
            }
            open = Some((id, h, 0));
        }
        if with_areas {
            let area: Option<String> = r.get(areas_at)?;
            if let (Some(_), Some((_, h, n))) = (area, open.as_mut()) {
                h.update(b"session_areas");
                hash_row_at(h, AREA, r, areas_at)?;
                *n += 1;
            }
        }
        Ok(())
    })?;
    if let Some(done) = open.take() {
        finish(done, &mut each);
    }
    Ok(())
}

fn hash_row(h: &mut Sha256, columns: &[&str], r: &Row<'_>) -> rusqlite::Result<()> {
    hash_row_at(h, columns, r, 0)
}

/// As [`hash_row`], the columns starting at `offset` in the row.
fn hash_row_at(h: &mut Sha256, columns: &[&str], r: &Row<'_>, offset: usize) -> rusqlite::Result<()> {
    for (i, name) in columns.iter().enumerate() {
        h.update((name.len() as u64).to_be_bytes());
        h.update(name.as_bytes());
        match r.value(offset + i)? {
            Value::Null => h.update([0u8]),
            Value::Integer(v) => {
                h.update([1u8]);
                h.update(v.to_be_bytes());
            }
            Value::Real(v) => {
                h.update([2u8]);
                h.update(v.to_bits().to_be_bytes());
            }
            Value::Text(b) => {
                h.update([3u8]);
                h.update((b.len() as u64).to_be_bytes());
                h.update(b.as_bytes());
            }
            Value::Blob(b) => {
                h.update([4u8]);
                h.update((b.len() as u64).to_be_bytes());
                h.update(b);
            }
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A signing recorded in the audit log: the content hash, its audit row and when.
type Recorded = (String, i64, String);

/// Problems with signed content: a signed row whose content differs from the hash recorded
/// when it was signed, a signed row whose signing was never recorded, a recorded signing whose
/// row is gone. At most `limit` are described; the count of all is returned beside them.
pub(super) fn verify_all(conn: &Db, limit: usize) -> StoreResult<(usize, Vec<String>)> {
    use std::collections::HashMap;
    // The newest recorded hash of each signed record (a later row supersedes an earlier one).
    let mut recorded: HashMap<(Signed, String), (String, i64, String)> = HashMap::new();
    {
        conn.for_each(
            "SELECT table_name, record_id, content_hash, seq, at FROM audit_log
             WHERE content_hash IS NOT NULL ORDER BY seq",
            [],
            |r| {
                let table: String = r.get("table_name")?;
                if let Some(kind) = Signed::from_table(&table) {
                    recorded.insert(
                        (kind, r.get("record_id")?),
                        (r.get("content_hash")?, r.get("seq")?, r.get("at")?),
                    );
                }
                Ok(())
            },
        )?;
    }
    let mut count = 0;
    let mut problems = Vec::new();
    let mut note = |text: String| {
        count += 1;
        if problems.len() < limit {
            problems.push(text);
        }
    };
    for kind in ALL {
        let ids: Vec<String> = conn
            .prepare(kind.signed_ids_sql())?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            if !recorded.contains_key(&(kind, id.clone())) {
                note(format!(
                    "{} {id} is marked signed, but no signing of it is in the audit log (added or changed outside Needlepoint)",
                    kind.words()
                ));
            }
        }
    }
    // Each kind's rows read once, in id order, beside its recorded hashes in the same order
    // (one pass per kind, not a query per record: a million signed records check in minutes).
    let mut by_kind: HashMap<Signed, Vec<(String, Recorded)>> = HashMap::new();
    for ((kind, id), found) in recorded {
        by_kind.entry(kind).or_default().push((id, found));
    }
    let mut found_problems: Vec<(i64, String)> = Vec::new();
    for kind in ALL {
        let mut expected = by_kind.remove(&kind).unwrap_or_default();
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        let mut next = expected.into_iter().peekable();
        let gone = |id: &str, (_, seq, at): &Recorded| {
            (
                *seq,
                format!(
                    "{} {id}, signed at {at} (audit row {seq}), is missing: it was removed from the file",
                    kind.words()
                ),
            )
        };
        stream_hashes(conn, kind, |id, now| {
            while let Some((gone_id, found)) = next.next_if(|(e, _)| e.as_str() < id) {
                found_problems.push(gone(&gone_id, &found));
            }
            if let Some((_, (hash, seq, at))) = next.next_if(|(e, _)| e == id) {
                if now != hash {
                    found_problems.push((
                        seq,
                        format!(
                            "{} {id}, signed at {at} (audit row {seq}), was changed after it was signed{}",
                            kind.words(),
                            if kind == Signed::Session {
                                " (the session or its areas)"
                            } else {
                                ""
                            }
                        ),
                    ));
                }
            }
        })?;
        for (gone_id, found) in next {
            found_problems.push(gone(&gone_id, &found));
        }
    }
    found_problems.sort_by_key(|(seq, _)| *seq);
    for (_, text) in found_problems {
        note(text);
    }
    Ok((count, problems))
}
