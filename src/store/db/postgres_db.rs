//! A clinic database on a PostgreSQL server: one connection per desk (or per reader thread),
//! statements prepared once per connection, the password from `~/.pgpass` or asked for —
//! never on the command line.

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use postgres::{Client, Statement};

use super::pg_values::PgParam;
use super::placeholders::to_postgres;
use crate::store::error::{StoreError, StoreResult};

/// How long a desk waits for the server to answer a connection before saying so.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Rows a cursor hands over at a time.
const CURSOR_BATCH: usize = 10_000;
/// Prepared statements kept per connection; the store runs a few hundred distinct ones.
const STATEMENT_CACHE: usize = 512;

/// Where a clinic's server database is: `postgres://user@host:port/clinic`, without password.
#[derive(Clone)]
pub struct PgTarget {
    config: postgres::Config,
    shown: String,
}

impl std::fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl PgTarget {
    /// Whether `text` names a server database rather than a file.
    pub fn is_server_url(text: &str) -> bool {
        crate::paths::is_server_address(text)
    }

    /// Reads `postgres://user@host:port/database`. A password written in it is refused: a
    /// command line is seen by every program on the PC and kept in shell history.
    pub fn parse(url: &str) -> StoreResult<Self> {
        let bad = |why: String| StoreError::ServerAddress {
            address: url.to_owned(),
            problem: why,
        };
        let mut config = postgres::Config::from_str(url).map_err(|e| bad(e.to_string()))?;
        if config.get_password().is_some() {
            return Err(bad(
                "it contains a password. Leave the password out (postgres://user@host/clinic) and put it in \
                 ~/.pgpass, or type it when Needlepoint asks"
                    .to_owned(),
            ));
        }
        let user = config
            .get_user()
            .map(str::to_owned)
            .or_else(|| std::env::var("PGUSER").ok());
        let Some(user) = user.filter(|u| !u.is_empty()) else {
            return Err(bad(
                "it names no user. Write it as postgres://user@host/clinic".to_owned()
            ));
        };
        config.user(&user);
        if config.get_dbname().is_none_or(str::is_empty) {
            return Err(bad(
                "it names no database. Write it as postgres://user@host/clinic".to_owned(),
            ));
        }
        if config.get_hosts().is_empty() {
            config.host("localhost");
        }
        config.connect_timeout(CONNECT_TIMEOUT);
        // A network that goes away without a word (a cable pulled) ends the connection within
        // about two seconds instead of the system's minutes, so no save waits on it.
        config.keepalives_idle(Duration::from_secs(1));
        config.keepalives_interval(Duration::from_secs(1));
        config.keepalives_retries(1);
        config.tcp_user_timeout(Duration::from_secs(2));
        config.application_name("needlepoint");
        let shown = format!(
            "postgres://{user}@{}:{}/{}",
            host_text(&config),
            config.get_ports().first().copied().unwrap_or(5432),
            config.get_dbname().unwrap_or_default()
        );
        Ok(Self { config, shown })
    }

    /// The address as shown to people (never with a password).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    pub fn host(&self) -> String {
        host_text(&self.config)
    }

    pub fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    /// The same server, another database on it (the server's own `postgres`, to create one).
    pub fn with_database(&self, database: &str) -> Self {
        let mut config = self.config.clone();
        config.dbname(database);
        let shown = format!(
            "postgres://{}@{}:{}/{database}",
            self.user(),
            self.host(),
            self.port()
        );
        Self { config, shown }
    }

    /// The password for this address from `~/.pgpass` (or `PGPASSFILE`), as libpq finds it.
    pub fn password_from_pgpass(&self) -> Option<String> {
        let file = std::env::var_os("PGPASSFILE")
            .map(std::path::PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
        let text = std::fs::read_to_string(file).ok()?;
        super::super::pgpass::find(&text, &self.host(), self.port(), self.database(), self.user())
    }

    /// Connects, with `password` if given, else the one in `~/.pgpass`, else none (trust or
    /// peer authentication).
    pub fn connect(&self, password: Option<&str>) -> StoreResult<PgDb> {
        Ok(PgDb {
            client: RefCell::new(self.connect_raw(password)?),
            statements: RefCell::new(HashMap::new()),
            target: self.clone(),
            password: password.map(str::to_owned),
            health: RefCell::new(None),
            in_transaction: std::cell::Cell::new(false),
            made_after: std::cell::Cell::new(0),
            cursors: std::cell::Cell::new(0),
            own_cursor_transaction: std::cell::Cell::new(false),
        })
    }

    /// A plain connection (the live listener's own).
    pub fn connect_raw(&self, password: Option<&str>) -> StoreResult<Client> {
        let mut config = self.config.clone();
        if let Some(p) = password
            .map(str::to_owned)
            .or_else(|| self.password_from_pgpass())
        {
            config.password(p);
        }
        config
            .connect(super::tls::connector(&self.shown)?)
            .map_err(|e| StoreError::from_postgres(&self.shown, e))
    }
}

fn host_text(config: &postgres::Config) -> String {
    match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_owned(),
    }
}

/// One open connection to the server.
pub struct PgDb {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    target: PgTarget,
    /// The password this connection was made with, to connect again after the server was gone.
    password: Option<String>,
    /// The live listener's view of the server, once the desk listens (`live.rs`).
    health: RefCell<Option<std::sync::Arc<crate::store::live::ServerHealth>>>,
    /// A transaction is open: a lost connection must never be replaced under it (what follows
    /// would be saved outside the transaction).
    in_transaction: std::cell::Cell<bool>,
    /// The server's returns (`ServerHealth::returns`) this connection was made after.
    made_after: std::cell::Cell<u64>,
    /// Cursors opened so far (each gets a name of its own).
    cursors: std::cell::Cell<u64>,
    /// A read-only transaction was begun for a cursor (none was open).
    own_cursor_transaction: std::cell::Cell<bool>,
}

impl PgDb {
    pub fn target(&self) -> &PgTarget {
        &self.target
    }

    fn failed(&self, e: postgres::Error) -> StoreError {
        StoreError::from_postgres(&self.target.shown, e)
    }

    /// Shares the live listener's view of the server: while it says the server is gone, every
    /// statement fails at once instead of waiting on the network.
    pub fn watch_health(&self, health: std::sync::Arc<crate::store::live::ServerHealth>) {
        self.made_after.set(health.returns());
        *self.health.borrow_mut() = Some(health);
    }

    /// Fails at once while the server is known gone; after it was gone (the connection is
    /// closed), connects again and forgets the statements prepared on the old connection.
    fn ready(&self) -> StoreResult<()> {
        let mut stale = false;
        if let Some(h) = self.health.borrow().as_ref() {
            if !h.is_reachable() {
                return Err(StoreError::ServerGone {
                    address: self.target.shown.clone(),
                    problem: "the connection was lost".to_owned(),
                });
            }
            stale = h.returns() != self.made_after.get();
        }
        if stale || self.client.borrow().is_closed() {
            if self.in_transaction.get() {
                return Err(StoreError::ServerGone {
                    address: self.target.shown.clone(),
                    problem: "the connection was lost during the save, so none of it was kept".to_owned(),
                });
            }
            let fresh = self.target.connect_raw(self.password.as_deref())?;
            *self.client.borrow_mut() = fresh;
            self.statements.borrow_mut().clear();
            if let Some(h) = self.health.borrow().as_ref() {
                self.made_after.set(h.returns());
            }
        }
        Ok(())
    }

    fn statement(&self, sql: &str) -> StoreResult<Statement> {
        self.ready()?;
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.client.borrow_mut().prepare(&to_postgres(sql)).map_err(|e| {
            tracing::warn!("the server could not prepare: {e}\n{}", to_postgres(sql));
            self.failed(e)
        })?;
        let mut cache = self.statements.borrow_mut();
        if cache.len() >= STATEMENT_CACHE {
            cache.clear();
        }
        cache.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }

    fn bound(params: &[&dyn rusqlite::ToSql]) -> StoreResult<Vec<PgParam>> {
        params
            .iter()
            .map(|p| PgParam::from_sql_param(*p).map_err(StoreError::from))
            .collect()
    }

    pub fn execute(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> StoreResult<usize> {
        let statement = self.statement(sql)?;
        let values = Self::bound(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = values
            .iter()
            .map(|v| v as &(dyn postgres::types::ToSql + Sync))
            .collect();
        let changed = self
            .client
            .borrow_mut()
            .execute(&statement, &refs)
            .map_err(|e| self.failed(e))?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub fn query(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> StoreResult<Vec<postgres::Row>> {
        let statement = self.statement(sql)?;
        let values = Self::bound(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = values
            .iter()
            .map(|v| v as &(dyn postgres::types::ToSql + Sync))
            .collect();
        self.client
            .borrow_mut()
            .query(&statement, &refs)
            .map_err(|e| self.failed(e))
    }

    /// Every row of a query without parameters, one at a time as the server sends them (a
    /// million-row table is never held whole). `each` must not use this connection.
    pub fn stream(
        &self,
        sql: &str,
        mut each: impl FnMut(&super::Row<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let statement = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let mut rows = client
            .query_raw(
                &statement,
                std::iter::empty::<&(dyn postgres::types::ToSql + Sync)>(),
            )
            .map_err(|e| StoreError::from_postgres(&self.target.shown, e))?;
        while let Some(row) = rows
            .next()
            .map_err(|e| StoreError::from_postgres(&self.target.shown, e))?
        {
            each(&super::Row::Postgres(&row))?;
        }
        Ok(())
    }

    /// A query prepared for this one run (planned with its values), not kept.
    pub fn query_once(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> StoreResult<Vec<postgres::Row>> {
        self.ready()?;
        let values = Self::bound(params)?;
        // Sent with their types, the statement is parsed, planned for these values and run in
        // one round trip (preparing it first would take three).
        let typed: Vec<(&(dyn postgres::types::ToSql + Sync), postgres::types::Type)> = values
            .iter()
            .map(|v| (v as &(dyn postgres::types::ToSql + Sync), v.own_type()))
            .collect();
        self.client
            .borrow_mut()
            .query_typed(&to_postgres(sql), &typed)
            .map_err(|e| self.failed(e))
    }

    /// Opens a cursor over `sql` (no parameters), inside the open transaction or a read-only
    /// one of its own; its name.
    pub fn open_cursor(&self, sql: &str) -> StoreResult<String> {
        let n = self.cursors.get() + 1;
        self.cursors.set(n);
        let name = format!("needlepoint_cursor_{n}");
        if !self.in_transaction.get() {
            self.batch("BEGIN READ ONLY")?;
            self.own_cursor_transaction.set(true);
        }
        let declared = self.batch(&format!(
            "DECLARE {name} NO SCROLL CURSOR FOR {}",
            to_postgres(sql)
        ));
        if let Err(e) = declared {
            // Its own transaction ends with it, so the connection can be used (or replaced) again.
            if self.own_cursor_transaction.replace(false) {
                let _ = self.batch("ROLLBACK");
            }
            return Err(e);
        }
        Ok(name)
    }

    /// The next rows of a cursor (none after the last).
    pub fn fetch(&self, cursor: &str) -> StoreResult<Vec<postgres::Row>> {
        self.ready()?;
        self.client
            .borrow_mut()
            .query(&format!("FETCH {CURSOR_BATCH} FROM {cursor}"), &[])
            .map_err(|e| self.failed(e))
    }

    /// Closes a cursor, and the read-only transaction opened for it.
    pub fn close_cursor(&self, cursor: &str) {
        let _ = self.batch(&format!("CLOSE {cursor}"));
        if self.own_cursor_transaction.replace(false) {
            let _ = self.batch("COMMIT");
        }
    }

    /// Statements without parameters, run as one simple query (schema, transaction control).
    pub fn batch(&self, sql: &str) -> StoreResult<()> {
        let ends = sql.starts_with("COMMIT") || sql.starts_with("ROLLBACK");
        if ends {
            // Whatever the answer, no transaction is open on this connection afterwards.
            self.in_transaction.set(false);
        } else {
            self.ready()?;
        }
        if sql.starts_with("BEGIN") {
            self.in_transaction.set(true);
        }
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| self.failed(e))
    }

    /// `BEGIN`, then the audit chain's head locked until `COMMIT`: every write appends to the
    /// chain, so desks' writes queue here as they would on SQLite's write lock.
    pub fn begin_write(&self) -> StoreResult<()> {
        let begun = self.batch("BEGIN; SELECT seq FROM audit_chain_head FOR UPDATE");
        if begun.is_err() {
            // No transaction was opened (or the connection that held it is gone with it).
            let _ = self.batch("ROLLBACK");
        }
        begun
    }

    /// Streams rows into a table with `COPY ... FROM STDIN` (text format): `write` is given
    /// the writer; the number of rows the server took is returned.
    pub fn copy_in(
        &self,
        sql: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        let mut client = self.client.borrow_mut();
        let mut writer = client.copy_in(sql).map_err(|e| self.failed(e))?;
        write(&mut writer)?;
        writer.finish().map_err(|e| self.failed(e))
    }

    /// Whether the connection to the server is gone (it closed, or the network went).
    pub fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }
}
