//! The only room that speaks SQL. `Store::open` creates or opens the clinic's database file,
//! refuses one from a newer version, sets the safety pragmas and applies the migrations.
//! Every user action is one `BEGIN IMMEDIATE` transaction through [`Store::write`], and every
//! write appends to `audit_log` in that same transaction.

mod anchor;
mod audit;
mod backup;
mod bulk;
mod check;
mod clearances;
mod clients;
mod concerns;
mod connect;
mod consents;
mod create;
mod db;
mod diary;
mod diary_setup;
mod diary_slots;
mod diary_writes;
mod drafts;
mod error;
mod exports;
mod live;
mod lock;
mod migrations;
mod offline_drafts;
mod originals;
mod pgpass;
pub mod photo_files;
mod photo_upkeep;
mod photos;
mod plan_rows;
mod plan_rules;
mod plans;
mod printed;
mod products;
mod record;
mod restore;
mod rights;
mod rows;
mod screenings;
mod search_sql;
mod server;
mod server_backup;
mod sessions;
mod settings;
mod signed;
mod staff;
mod today;
mod transfer;

pub use anchor::{anchor_path, newest as newest_anchor, read as read_anchor, Anchor, AnchorCheck};
pub use audit::{AuditChain, ClientHistory, GENESIS_HASH, HISTORY_LIMIT};
pub use backup::{
    backup_dir, backup_due, backup_file_name, list_backups, newest_good_backup, parse_backup_file_name,
    read_content, rotate_backups, BackupContent, BackupInfo, BackupReport, AUTOMATIC_AFTER, BACKUP_DIR,
};
pub use check::{CheckReport, TABLES};
pub use clients::{ClientHit, ClientOrder, ClientSummary, ClientVisits};
pub use consents::{document_version, ConsentDocument, ConsentToSign, RENEWAL_DEFAULT, RENEWAL_KEY};
pub use db::{Db, Engine, PgTarget};
pub use diary::DiaryEntry;
pub use drafts::{Draft, DraftKind};
pub use error::{StoreError, StoreResult};
pub use exports::{photo_folder, ExportError, ExportOf};
pub use live::{LiveEvent, LiveFeed, ServerHealth};
pub use lock::lock_path;
pub use migrations::{create_at_version, latest_version};
pub use offline_drafts::DraftKept;
pub use photos::{PhotoUse, FRONT_DESK_KEY};
pub use record::{ClientRecord, PlanWithSessions};
pub use restore::{kept_dir, restore, Previous, RestoreReport, KEPT_DIR};
pub use rights::{
    Anonymised, ClientExport, ExportedPhoto, PlanExport, SessionExport, EXPORT_FORMAT, EXPORT_VERSION,
};
pub use server::{init_server, remember_password, server_latest_version, ServerInit};
pub use server_backup::ServerBackup;
pub use sessions::{Completion, SessionAmendment};
pub use settings::Settings;
pub use staff::{StoredSecrets, IDLE_LOCK_DEFAULT, IDLE_LOCK_KEY};
pub use transfer::{migrate_to_server, MigrateReport, Progress as MigrateProgress};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::{Actor, AuditAction};
use connect::{is_cant_open, open_immutable, open_read_only_connection, open_reason, read_version};

/// How long a write waits for another window or process that is saving.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open clinic database.
pub struct Store {
    conn: Db<'static>,
    path: PathBuf,
    clock: fn() -> DateTime<Utc>,
    /// Opened read-only (the file or its folder may not be written): writes are refused.
    read_only: bool,
    /// The audit anchor beside the file is written (by `close`); dropping need not write it.
    anchored: bool,
    /// Where a server database's drafts wait on this desk while the server is away.
    offline_drafts: Option<PathBuf>,
    /// The shared lock on `<database>.lock` held while open, so a restore cannot replace the
    /// file under this store (`lock.rs`). Declared last: released after the connection closes.
    _lock: Option<lock::DbLock>,
}

impl Drop for Store {
    /// A store dropped without `close` still leaves the chain's head beside the file.
    fn drop(&mut self) {
        self.write_anchor();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Creates or opens the database at `path`. A file from a newer Needlepoint, or one that is
    /// not a database, is refused before anything is written to it.
    pub fn open(path: &Path) -> StoreResult<Self> {
        Self::open_with_clock(path, Utc::now)
    }

    /// An empty database in memory: a placeholder while the file is closed (restore), and tests.
    pub fn open_in_memory() -> StoreResult<Self> {
        Self::open_with_clock(Path::new(":memory:"), Utc::now)
    }

    /// Opens with a fixed clock for audit timestamps (tests, reproducible demo data).
    ///
    /// A file that may not be written (its permissions, or a read-only folder) is opened
    /// read-only: reading works and every write is refused with [`StoreError::ReadOnly`].
    ///
    /// A `postgres://user@host/clinic` address opens the clinic's database on that server
    /// instead (`server.rs`), with the password given earlier in this run, or `~/.pgpass`.
    pub fn open_with_clock(path: &Path, clock: fn() -> DateTime<Utc>) -> StoreResult<Self> {
        if let Some(target) = server_target(path)? {
            let password = server::remembered_password(&target);
            return Self::open_server(&target, password.as_deref(), clock);
        }
        let held = if path == Path::new(":memory:") || path.is_dir() {
            None
        } else {
            lock::shared(path)?
        };
        let mut store = Self::open_unlocked(path, clock)?;
        store._lock = held;
        Ok(store)
    }

    /// Opens without taking the shared lock: for a restore, which holds the exclusive one, and
    /// for files that are not the live database (a restore's staged copy).
    pub(super) fn open_unlocked(path: &Path, clock: fn() -> DateTime<Utc>) -> StoreResult<Self> {
        Self::open_unexplained(path, clock).map_err(|e| error::explain_io(path, e))
    }

    fn open_unexplained(path: &Path, clock: fn() -> DateTime<Utc>) -> StoreResult<Self> {
        let shown = path.display().to_string();
        // Errors from SQLite speak of "the file"; name it.
        let named = |e: StoreError| match e {
            StoreError::NotADatabase { .. } => StoreError::NotADatabase { path: shown.clone() },
            StoreError::Damaged { problem, .. } => StoreError::Damaged {
                path: shown.clone(),
                problem,
            },
            other => other,
        };
        let in_memory = path == Path::new(":memory:");
        if in_memory {
            return Self::set_up(path, clock);
        }
        // Only where nothing exists yet is a new database made (whole, then named).
        let is_new = std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
        if is_new {
            create::create_new(path, clock)?;
        }
        create::preflight(path).map_err(named)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
            path: shown.clone(),
            reason: open_reason(path, &e),
        })?;
        // A new database is owner-only on Unix (its journal files then take the same mode).
        if is_new {
            if let Err(e) = crate::paths::make_private(path) {
                tracing::warn!("could not make {shown} owner-only: {e}");
            }
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // SQLite opens a write-protected file read-only without saying so; ask.
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Self::finish_read_only(conn, path, clock, false).map_err(named);
        }
        match Self::finish_read_write(conn, path, clock, false) {
            // The file may be written but its folder not: the journal cannot be created.
            Err(StoreError::ReadOnly | StoreError::Open { .. }) if path.exists() => {
                let conn = open_read_only_connection(path)?;
                Self::finish_read_only(conn, path, clock, false).map_err(named)
            }
            Err(StoreError::Sqlite(e)) if is_cant_open(&e) && path.exists() => {
                let conn = open_read_only_connection(path)?;
                Self::finish_read_only(conn, path, clock, false).map_err(named)
            }
            other => other.map_err(named),
        }
    }

    /// A new, empty database at `path` (a temporary name, or `:memory:`), set up whole.
    fn set_up(path: &Path, clock: fn() -> DateTime<Utc>) -> StoreResult<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            reason: open_reason(path, &e),
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Self::finish_read_write(conn, path, clock, true)
    }

    /// `new_file`: this open made the file, so an empty one is expected.
    fn finish_read_write(
        mut conn: Connection,
        path: &Path,
        clock: fn() -> DateTime<Utc>,
        new_file: bool,
    ) -> StoreResult<Self> {
        let shown = path.display().to_string();
        // Read before writing anything: a foreign or newer file must stay untouched.
        let found = read_version(&conn, &shown)?;
        create::ensure_needlepoint(&conn, found, new_file, &shown)?;
        let supported = migrations::latest_version();
        if found > supported {
            return Err(StoreError::NewerSchema {
                path: shown,
                found,
                supported,
            });
        }

        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(|e| match StoreError::from(e) {
                StoreError::Sqlite(e) if is_cant_open(&e) => StoreError::Open {
                    path: shown.clone(),
                    reason: "its journal file could not be created".to_owned(),
                },
                other => other,
            })?;
        if !mode.eq_ignore_ascii_case("wal") && path != Path::new(":memory:") {
            tracing::warn!("journal mode is {mode}, not WAL (file system without shared memory?)");
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MB of page cache keeps the indexes a 100,000-client search and Today view touch in
        // memory (SQLite's default is 2 MB); the window and its Today reader each have one.
        conn.pragma_update(None, "cache_size", -32768)?;
        // Statement journals and sorts in memory, not in temporary files: a write with triggers
        // (audit, search index) needs one per statement.
        conn.pragma_update(None, "temp_store", "MEMORY")?;

        let now = format_time(clock());
        // A migration that fills a table from large ones (0004 at a million clients) spills a
        // 32 MB cache again and again: 64 s instead of 9 s. Only pages it touches are taken.
        conn.pragma_update(None, "cache_size", -262_144)?;
        migrations::migrate(&mut conn, &now)?;
        conn.pragma_update(None, "cache_size", -32768)?;
        conn.set_prepared_statement_cache_capacity(64);
        // Demo generation that was killed midway left search and Today behind: catch them up.
        bulk::repair_derived_data(&mut conn)?;
        Ok(Self {
            conn: Db::owning(conn),
            path: path.to_path_buf(),
            clock,
            read_only: false,
            anchored: false,
            offline_drafts: None,
            _lock: None,
        })
    }

    /// Opens the file for reading only, whatever its permissions: `check` looks and changes
    /// nothing (no migration, no journal mode, no repair).
    pub fn open_read_only(path: &Path) -> StoreResult<Self> {
        if let Some(target) = server_target(path)? {
            let password = server::remembered_password(&target);
            return Self::open_server(&target, password.as_deref(), Utc::now);
        }
        let shown = path.display().to_string();
        let named = |e: StoreError| match e {
            StoreError::NotADatabase { .. } => StoreError::NotADatabase { path: shown.clone() },
            StoreError::Damaged { problem, .. } => StoreError::Damaged {
                path: shown.clone(),
                problem,
            },
            other => other,
        };
        create::preflight(path).map_err(named)?;
        let conn = open_read_only_connection(path)?;
        Self::finish_read_only(conn, path, Utc::now, true).map_err(named)
    }

    /// `looking`: opened read-only on purpose (`check`), not because the file is protected.
    fn finish_read_only(
        conn: Connection,
        path: &Path,
        clock: fn() -> DateTime<Utc>,
        looking: bool,
    ) -> StoreResult<Self> {
        let shown = path.display().to_string();
        let conn = match read_version(&conn, &shown) {
            Ok(_) => conn,
            // WAL in a read-only folder with no journal files yet: SQLite cannot make its
            // shared-memory file. Nobody can write here, so reading the file as it is is safe.
            // SQLite says so as "can't open" to root (an immutable folder) and as "read-only"
            // (SQLITE_READONLY_CANTINIT) to an ordinary user whose folder is read-only.
            Err(StoreError::ReadOnly) => {
                drop(conn);
                Self::immutable_unless_journal(path, &shown)?
            }
            Err(StoreError::Sqlite(e)) if is_cant_open(&e) => {
                drop(conn);
                Self::immutable_unless_journal(path, &shown)?
            }
            Err(e) => return Err(e),
        };
        let found = read_version(&conn, &shown)?;
        create::ensure_needlepoint(&conn, found, false, &shown)?;
        let supported = migrations::latest_version();
        if found > supported {
            return Err(StoreError::NewerSchema {
                path: shown,
                found,
                supported,
            });
        }
        if found < supported && looking {
            return Err(StoreError::Open {
                path: shown,
                reason: format!(
                    "it was written by an older version of Needlepoint (data version {found}; this version \
                     writes {supported}). Nothing was changed. Open it in Needlepoint once to update it, then \
                     check it again"
                ),
            });
        }
        if found < supported {
            return Err(StoreError::Open {
                path: shown,
                reason: "it needs updating to this version of Needlepoint, but it is read-only. Check the \
                         file's and folder's permissions so it can be updated"
                    .to_owned(),
            });
        }
        migrations::verify(&conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if !looking {
            tracing::warn!("{shown} is read-only: opened for reading only");
        }
        Ok(Self {
            conn: Db::owning(conn),
            path: path.to_path_buf(),
            clock,
            read_only: true,
            anchored: false,
            offline_drafts: None,
            _lock: None,
        })
    }

    /// The file opened as unchanging, unless the last session's changes are still in its
    /// journal: reading the file without them would show old data as if it were current.
    fn immutable_unless_journal(path: &Path, shown: &str) -> StoreResult<Connection> {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 32) {
            return Err(StoreError::Open {
                path: shown.to_owned(),
                reason: "the latest changes are still in its journal file (ending in -wal) and \
                         this folder is read-only, so they cannot be read. Make the folder \
                         writable (or copy the database with its -wal file to a folder you may \
                         write) and open it again"
                    .to_owned(),
            });
        }
        // A rollback journal left by a save cut short must be played back before the file is
        // read, and it cannot be here.
        let mut journal = path.as_os_str().to_owned();
        journal.push("-journal");
        if std::fs::metadata(PathBuf::from(journal)).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::Open {
                path: shown.to_owned(),
                reason: "a save was cut short (its -journal file is still there) and this folder is \
                         read-only, so it cannot be finished. Make the folder writable and open it again"
                    .to_owned(),
            });
        }
        open_immutable(path)
    }

    /// Limits the file to `pages` pages, so a test can fill the "disk". Returns the limit set.
    #[doc(hidden)]
    pub fn set_max_page_count(&self, pages: u32) -> StoreResult<u32> {
        match self.conn.sqlite() {
            Some(conn) => Ok(conn.pragma_update_and_check(None, "max_page_count", pages, |r| r.get(0))?),
            None => Err(StoreError::Refused(
                "Only a database file has a page limit.".to_owned(),
            )),
        }
    }

    /// Closes the connection, folding the write-ahead journal into the file, and leaves the
    /// audit chain's head in the anchor file beside it.
    pub fn close(mut self) -> StoreResult<()> {
        self.write_anchor();
        match std::mem::replace(&mut self.conn, Db::owning(Connection::open_in_memory()?)) {
            Db::Sqlite(db::SqliteConn::Owned(conn)) => conn.close().map_err(|(_, e)| StoreError::from(e)),
            _ => Ok(()),
        }
    }

    /// Closes without leaving an anchor (a database made under a temporary name).
    fn close_without_anchor(mut self) -> StoreResult<()> {
        self.anchored = true;
        self.close()
    }

    /// Writes the anchor once, for a file this store may write.
    fn write_anchor(&mut self) {
        if self.anchored || self.read_only || self.path == Path::new(":memory:") {
            return;
        }
        self.anchored = true;
        if let Some(conn) = self.conn.sqlite() {
            anchor::write(conn, &self.path);
        }
    }

    /// Whether the database was opened read-only; every write is then refused.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The clock this store stamps changes with (for another connection to the same file).
    pub fn clock(&self) -> fn() -> DateTime<Utc> {
        self.clock
    }

    /// Runs one user action as one `BEGIN IMMEDIATE` transaction: all of it is saved, with its
    /// audit rows, or none of it is.
    pub fn write<T>(
        &mut self,
        actor: impl Into<Actor>,
        action: impl FnOnce(&mut Writer<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let mut actor: Actor = actor.into();
        actor.name =
            crate::domain::text::required("Your name", &actor.name, crate::domain::text::limits::NAME)?;
        let now = format_time((self.clock)());
        let path = self.path.clone();
        let done = (|| {
            let tx = self.conn.begin_write()?;
            let mut writer = Writer {
                tx,
                actor,
                now,
                last_audit: None,
            };
            let value = action(&mut writer)?;
            writer.tx.commit()?;
            Ok(value)
        })();
        done.map_err(|e| error::explain_io(&path, e))
    }

    /// The connection, for the store's own read queries.
    fn conn(&self) -> &Db<'static> {
        &self.conn
    }

    /// Runs raw SQL through the app's own connection. Only tests and `check` use it, to prove
    /// that the file itself refuses what the app would refuse.
    #[doc(hidden)]
    pub fn execute_raw(&self, sql: &str) -> StoreResult<usize> {
        self.conn.execute(sql, [])
    }
}

/// The open transaction of one user action.
pub struct Writer<'a> {
    tx: db::WriteTx<'a>,
    /// Who does this action: written into every audit row, and the signer of what it signs.
    actor: Actor,
    now: String,
    /// The last audit row written in this transaction (seq, row_hash): the chain's head.
    last_audit: Option<(i64, String)>,
}

impl Writer<'_> {
    /// Runs one statement through the connection's statement cache: the same few statements
    /// run for every row of a large write, and preparing each again costs more than running it.
    fn exec(&self, sql: &str, params: impl db::Params) -> StoreResult<usize> {
        self.tx.execute(sql, params)
    }

    /// Appends one audit row in this transaction, chained to the previous row by its hash.
    pub fn audit(
        &mut self,
        action: AuditAction,
        table: &str,
        record_id: &str,
        client_id: Option<&str>,
        detail: &str,
    ) -> StoreResult<()> {
        self.audit_with(action, table, record_id, client_id, detail, None)
    }

    /// Appends the audit row that records signing `record_id` (or inserting an amendment, which
    /// is signed as it is written), carrying the hash of its signed content as it now stands
    /// in this transaction.
    fn audit_signed(
        &mut self,
        kind: signed::Signed,
        action: AuditAction,
        record_id: &str,
        client_id: Option<&str>,
        detail: &str,
    ) -> StoreResult<()> {
        let content = signed::content_hash(&self.tx, kind, record_id)?
            .ok_or(StoreError::NotFound { what: kind.words() })?;
        self.audit_with(action, kind.table(), record_id, client_id, detail, Some(&content))
    }

    fn audit_with(
        &mut self,
        action: AuditAction,
        table: &str,
        record_id: &str,
        client_id: Option<&str>,
        detail: &str,
        content_hash: Option<&str>,
    ) -> StoreResult<()> {
        let row = audit::ChainRow {
            seq: 0,
            at: &self.now,
            actor: &self.actor.name,
            actor_id: self.actor.staff.map(|id| id.to_string()),
            action: action.code(),
            table,
            record_id,
            client_id,
            detail,
            content_hash,
        };
        self.last_audit = Some(audit::append(&self.tx, self.last_audit.take(), row)?);
        Ok(())
    }

    pub fn now(&self) -> &str {
        &self.now
    }
}

/// The server a `--db` value names, if it is an address rather than a file.
pub fn server_target(path: &Path) -> StoreResult<Option<PgTarget>> {
    match path.to_str().filter(|s| PgTarget::is_server_url(s)) {
        Some(url) => PgTarget::parse(url).map(Some),
        None => Ok(None),
    }
}

pub(crate) fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}
