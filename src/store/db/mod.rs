//! One way for the store to run SQL, whichever engine holds the clinic: SQLite (one PC, the
//! embedded default) or a PostgreSQL server (several desks).
//!
//! The store's queries are written once, in the SQL both engines speak, with `?1` placeholders
//! (rewritten to `$1` for PostgreSQL, `placeholders.rs`). Values cross in rusqlite's vocabulary
//! (`ToSql`, `FromSql`, `params![]`) on both engines, so a row struct's `from_row` reads a
//! PostgreSQL row exactly as it reads a SQLite one; `pg_values.rs` translates.

mod pg_values;
mod placeholders;
mod postgres_db;
mod tls;

use rusqlite::types::{FromSql, ToSql};

use super::error::{StoreError, StoreResult};
pub use postgres_db::{PgDb, PgTarget};

/// The engine a store runs on.
pub enum Db<'c> {
    Sqlite(SqliteConn<'c>),
    Postgres(Box<PgDb>),
}

/// A SQLite connection the store owns, or one lent to it (a migration's transaction, whose
/// upgrade steps use the same queries as the store).
pub enum SqliteConn<'c> {
    Owned(rusqlite::Connection),
    Lent(&'c rusqlite::Connection),
}

impl std::ops::Deref for SqliteConn<'_> {
    type Target = rusqlite::Connection;
    fn deref(&self) -> &rusqlite::Connection {
        match self {
            SqliteConn::Owned(conn) => conn,
            SqliteConn::Lent(conn) => conn,
        }
    }
}

/// Which engine, for the few places whose SQL differs (search, checks, backups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Parameters of one statement, written as for rusqlite: `params![a, b]`, `[x]`, `[]`.
pub trait Params {
    fn with_refs<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R;
}

impl Params for &[&dyn ToSql] {
    fn with_refs<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(self)
    }
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn with_refs<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(&[])
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with_refs<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                let refs: Vec<&dyn ToSql> = self.iter().map(|v| v as &dyn ToSql).collect();
                f(&refs)
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn with_refs<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                let refs: Vec<&dyn ToSql> = self.iter().map(|v| v as &dyn ToSql).collect();
                f(&refs)
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// Parameters gathered at run time (a list of any length).
pub struct ParamList<T>(Vec<T>);

pub fn params_from_iter<I: IntoIterator>(values: I) -> ParamList<I::Item>
where
    I::Item: ToSql,
{
    ParamList(values.into_iter().collect())
}

impl<T: ToSql> Params for ParamList<T> {
    fn with_refs<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        let refs: Vec<&dyn ToSql> = self.0.iter().map(|v| v as &dyn ToSql).collect();
        f(&refs)
    }
}

/// A column named by position or by name, on either engine.
pub trait Column: rusqlite::RowIndex + Copy + std::fmt::Display {
    fn position(self, columns: &[postgres::Column]) -> Option<usize>;
}

impl Column for usize {
    fn position(self, columns: &[postgres::Column]) -> Option<usize> {
        (self < columns.len()).then_some(self)
    }
}

impl Column for &str {
    fn position(self, columns: &[postgres::Column]) -> Option<usize> {
        columns.iter().position(|c| c.name().eq_ignore_ascii_case(self))
    }
}

/// One row of a result, read with `get` as a rusqlite row is.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    pub fn get<I: Column, T: FromSql>(&self, column: I) -> rusqlite::Result<T> {
        match self {
            Row::Sqlite(row) => row.get(column),
            Row::Postgres(row) => {
                let at = column
                    .position(row.columns())
                    .ok_or_else(|| rusqlite::Error::InvalidColumnName(column.to_string()))?;
                let value = pg_values::read(row, at)?;
                T::column_result(rusqlite::types::ValueRef::from(&value)).map_err(|e| match e {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(at, column.to_string(), value.data_type())
                    }
                    other => {
                        rusqlite::Error::FromSqlConversionFailure(at, value.data_type(), Box::new(other))
                    }
                })
            }
        }
    }

    /// A column's value as it is stored (signed content is hashed from these).
    pub fn value(&self, at: usize) -> rusqlite::Result<rusqlite::types::Value> {
        match self {
            Row::Sqlite(row) => rusqlite::types::Value::try_from(row.get_ref(at)?).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, Box::new(e))
            }),
            Row::Postgres(row) => pg_values::read(row, at),
        }
    }

    pub fn column_count(&self) -> usize {
        match self {
            Row::Sqlite(row) => row.as_ref().column_count(),
            Row::Postgres(row) => row.len(),
        }
    }
}

impl<'c> Db<'c> {
    pub fn owning(conn: rusqlite::Connection) -> Db<'static> {
        Db::Sqlite(SqliteConn::Owned(conn))
    }

    pub fn lent(conn: &'c rusqlite::Connection) -> Self {
        Db::Sqlite(SqliteConn::Lent(conn))
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, for what only a file has (pragmas, backups, integrity checks).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Some(conn),
            Db::Postgres(_) => None,
        }
    }

    /// The connection, when the store owns it (a lent one is never changed in place).
    pub fn sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match self {
            Db::Sqlite(SqliteConn::Owned(conn)) => Some(conn),
            _ => None,
        }
    }

    /// Runs one statement (prepared once and cached); the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> StoreResult<usize> {
        match self {
            Db::Sqlite(conn) => params.with_refs(|p| Ok(conn.prepare_cached(sql)?.execute(p)?)),
            Db::Postgres(pg) => params.with_refs(|p| pg.execute(sql, p)),
        }
    }

    /// The statement `sql`, prepared once per connection and kept.
    pub fn prepare_cached<'s>(&self, sql: &'s str) -> StoreResult<Stmt<'_, 's>> {
        Ok(Stmt { db: self, sql })
    }

    /// The same as [`Db::prepare_cached`]: every statement is kept once prepared.
    pub fn prepare<'s>(&self, sql: &'s str) -> StoreResult<Stmt<'_, 's>> {
        self.prepare_cached(sql)
    }

    /// Runs several statements with no parameters (schema, transaction control).
    pub fn execute_batch(&self, sql: &str) -> StoreResult<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => pg.batch(sql),
        }
    }

    /// The first row of a query read by `read`; no row is [`rusqlite::Error::QueryReturnedNoRows`].
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        self.query_one(sql, params, read)?
            .ok_or(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
    }

    /// The first row of a query, if there is one.
    pub fn query_one<T>(
        &self,
        sql: &str,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Option<T>> {
        match self {
            Db::Sqlite(conn) => params.with_refs(|p| {
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = stmt.query(p)?;
                match rows.next()? {
                    Some(row) => Ok(Some(read(&Row::Sqlite(row))?)),
                    None => Ok(None),
                }
            }),
            Db::Postgres(pg) => {
                let rows = params.with_refs(|p| pg.query(sql, p))?;
                rows.first()
                    .map(|row| read(&Row::Postgres(row)))
                    .transpose()
                    .map_err(StoreError::from)
            }
        }
    }

    /// Every row of a query, each read by `read`.
    pub fn query_all<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Vec<T>> {
        let mut out = Vec::new();
        self.for_each(sql, params, |row| {
            out.push(read(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// As [`Db::query_all`], but on a server planned for these values every time (not a kept
    /// statement's plan); the same as `query_all` on a file.
    pub fn query_all_replanned<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Vec<T>> {
        match self {
            Db::Sqlite(_) => self.query_all(sql, params, read),
            Db::Postgres(pg) => {
                let rows = params.with_refs(|p| pg.query_once(sql, p))?;
                rows.iter()
                    .map(|row| read(&Row::Postgres(row)).map_err(StoreError::from))
                    .collect()
            }
        }
    }

    /// Calls `each` for every row of a query, in order, stopping at its first error.
    pub fn for_each(
        &self,
        sql: &str,
        params: impl Params,
        mut each: impl FnMut(&Row<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        match self {
            Db::Sqlite(conn) => params.with_refs(|p| {
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = stmt.query(p)?;
                while let Some(row) = rows.next()? {
                    each(&Row::Sqlite(row))?;
                }
                Ok(())
            }),
            Db::Postgres(pg) => params.with_refs(|p| {
                if p.is_empty() {
                    return self.with_rows(sql, [], |rows| {
                        while let Some(row) = rows.next()? {
                            each(&row)?;
                        }
                        Ok(())
                    });
                }
                // Read whole before calling back: `each` may query the same connection.
                let rows = pg.query(sql, p)?;
                rows.iter().try_for_each(|row| each(&Row::Postgres(row)))
            }),
        }
    }

    /// Runs `walk` over a cursor on the query's rows: SQLite streams them (a million-row
    /// audit log is never held whole); PostgreSQL's arrive first.
    pub fn with_rows<T>(
        &self,
        sql: &str,
        params: impl Params,
        walk: impl FnOnce(&mut Rows<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        match self {
            Db::Sqlite(conn) => params.with_refs(|p| {
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = Rows::Sqlite(stmt.query(p)?);
                let walked = walk(&mut rows);
                drop(rows);
                walked
            }),
            Db::Postgres(pg) => params.with_refs(|p| {
                if p.is_empty() {
                    // A cursor read in batches: a million clients' audit log is never held
                    // whole, and `walk` may still use the connection between batches.
                    let cursor = pg.open_cursor(sql)?;
                    let mut rows = Rows::PostgresCursor {
                        pg,
                        cursor: cursor.clone(),
                        batch: Vec::new().into_iter(),
                        current: None,
                        done: false,
                    };
                    let walked = walk(&mut rows);
                    drop(rows);
                    pg.close_cursor(&cursor);
                    walked
                } else {
                    let rows = pg.query(sql, p)?;
                    walk(&mut Rows::Postgres(rows.into_iter(), None))
                }
            }),
        }
    }

    /// Whether a query returns any row.
    pub fn exists(&self, sql: &str, params: impl Params) -> StoreResult<bool> {
        Ok(self.query_one(sql, params, |_| Ok(()))?.is_some())
    }

    /// Starts the transaction of one user action. SQLite takes the write lock at once
    /// (`BEGIN IMMEDIATE`); PostgreSQL locks the audit chain's head row, which every write
    /// appends to, so the desks' writes follow one another as on one PC.
    pub fn begin_write(&self) -> StoreResult<WriteTx<'_>> {
        match self {
            Db::Sqlite(conn) => conn.execute_batch("BEGIN IMMEDIATE")?,
            Db::Postgres(pg) => pg.begin_write()?,
        }
        Ok(WriteTx { db: self, open: true })
    }
}

/// A cursor over a query's rows (see [`Db::with_rows`]).
pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
    PostgresCursor {
        pg: &'s PgDb,
        cursor: String,
        batch: std::vec::IntoIter<postgres::Row>,
        current: Option<postgres::Row>,
        done: bool,
    },
}

impl Rows<'_> {
    /// The next row, or `None` after the last.
    pub fn next(&mut self) -> StoreResult<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres(rest, current) => {
                *current = rest.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
            Rows::PostgresCursor {
                pg,
                cursor,
                batch,
                current,
                done,
            } => {
                *current = batch.next();
                if current.is_none() && !*done {
                    let fetched = pg.fetch(cursor)?;
                    *done = fetched.is_empty();
                    *batch = fetched.into_iter();
                    *current = batch.next();
                }
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// A statement of the store's, run as rusqlite's cached statements are (`prepare_cached(sql)?`
/// then `execute`, `query_row`, `query_map`, `exists`), on either engine.
pub struct Stmt<'d, 's> {
    db: &'d Db<'d>,
    sql: &'s str,
}

impl Stmt<'_, '_> {
    pub fn execute(&mut self, params: impl Params) -> StoreResult<usize> {
        self.db.execute(self.sql, params)
    }

    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        self.db.query_row(self.sql, params, read)
    }

    /// Every row, read; the rows' own errors stay in the items as rusqlite gives them.
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<std::vec::IntoIter<rusqlite::Result<T>>> {
        let mut out = Vec::new();
        self.db.for_each(self.sql, params, |row| {
            out.push(read(row));
            Ok(())
        })?;
        Ok(out.into_iter())
    }

    pub fn exists(&mut self, params: impl Params) -> StoreResult<bool> {
        self.db.exists(self.sql, params)
    }
}

/// `.optional()` on a query's result: no row is `None`, as with rusqlite's own extension.
pub trait OptionalExtension<T> {
    fn optional(self) -> StoreResult<Option<T>>;
}

impl<T> OptionalExtension<T> for StoreResult<T> {
    fn optional(self) -> StoreResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// An open write transaction: rolled back when dropped unless committed.
pub struct WriteTx<'a> {
    db: &'a Db<'a>,
    open: bool,
}

impl WriteTx<'_> {
    /// Saves the transaction; if that fails it is rolled back (on drop) and the error returned.
    pub fn commit(mut self) -> StoreResult<()> {
        let done = match self.db {
            Db::Sqlite(conn) => conn.execute_batch("COMMIT").map_err(StoreError::from),
            Db::Postgres(pg) => pg.batch("COMMIT"),
        };
        if done.is_ok() {
            self.open = false;
        }
        done
    }
}

impl<'a> std::ops::Deref for WriteTx<'a> {
    type Target = Db<'a>;
    fn deref(&self) -> &Db<'a> {
        self.db
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            let undone = match self.db {
                Db::Sqlite(conn) => conn.execute_batch("ROLLBACK").map_err(StoreError::from),
                Db::Postgres(pg) => pg.batch("ROLLBACK"),
            };
            if let Err(e) = undone {
                tracing::warn!("could not roll back an unfinished save: {e}");
            }
        }
    }
}
