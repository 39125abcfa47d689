//! One SQL text, two backends. Every statement is written once with `$1`
//! placeholders (SQLite reads them as positional too), bound from [`Val`]s
//! and read back as [`Row`]s, so the rest of the crate never says which
//! backend it runs on. Backend differences (schema, locking) stay here and
//! in the two migration trees.

use crate::{Error, Result};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Column, Postgres, Row as _, Sqlite, Transaction, TypeInfo, ValueRef};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

mod readers;
use readers::Readers;

/// A value to bind.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    I(i64),
    OptI(Option<i64>),
    S(String),
    OptS(Option<String>),
    F(f64),
    Bytes(Vec<u8>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::OptI(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::S(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::S(v)
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::OptS(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F(v)
    }
}
impl From<Vec<u8>> for Val {
    fn from(v: Vec<u8>) -> Val {
        Val::Bytes(v)
    }
}

/// Builds a `Vec<Val>` from values of mixed types.
#[macro_export]
macro_rules! args {
    ($($v:expr),* $(,)?) => { vec![$($crate::db::Val::from($v)),*] };
}

/// A cell read back.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A row read back, by column name.
pub struct Row(Cells);

enum Cells {
    /// Cells read already (SQLite), beside the result's column names,
    /// which every row of the result shares.
    Read(Arc<[String]>, Vec<Cell>),
    /// A PostgreSQL row, decoded a column at a time as it is read: a
    /// column nobody reads is never copied out of the message (a matter's
    /// columns repeat on each of its tracks' rows in a join).
    Pg(PgRow),
}

/// A row without columns: every read of it says the column is missing.
impl Default for Row {
    fn default() -> Row {
        Row::read(Arc::from(Vec::new()), Vec::new())
    }
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Cells::Read(names, cells) => f
                .debug_map()
                .entries(names.iter().zip(cells.iter()))
                .finish(),
            Cells::Pg(r) => f
                .debug_list()
                .entries(r.columns().iter().map(|c| c.name()))
                .finish(),
        }
    }
}

impl Row {
    /// Cells read already, under `names` (shared by the result's rows).
    fn read(names: Arc<[String]>, cells: Vec<Cell>) -> Row {
        Row(Cells::Read(names, cells))
    }

    fn cell(&self, name: &str) -> Result<std::borrow::Cow<'_, Cell>> {
        let missing = || Error::Corrupt(format!("no column {name}"));
        match &self.0 {
            Cells::Read(names, cells) => names
                .iter()
                .position(|n| n == name)
                .map(|i| std::borrow::Cow::Borrowed(&cells[i]))
                .ok_or_else(missing),
            Cells::Pg(r) => {
                let i = r
                    .columns()
                    .iter()
                    .position(|c| c.name() == name)
                    .ok_or_else(missing)?;
                Ok(std::borrow::Cow::Owned(pg_cell(r, i)?))
            }
        }
    }

    pub fn i64(&self, name: &str) -> Result<i64> {
        self.opt_i64(name)?
            .ok_or_else(|| Error::Corrupt(format!("{name} is null")))
    }

    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>> {
        match self.cell(name)?.as_ref() {
            Cell::Null => Ok(None),
            Cell::Int(v) => Ok(Some(*v)),
            other => Err(Error::Corrupt(format!(
                "{name}: expected an integer, found {other:?}"
            ))),
        }
    }

    pub fn str(&self, name: &str) -> Result<String> {
        self.opt_str(name)?
            .ok_or_else(|| Error::Corrupt(format!("{name} is null")))
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<String>> {
        match self.cell(name)? {
            std::borrow::Cow::Owned(Cell::Text(v)) => Ok(Some(v)),
            c => match c.as_ref() {
                Cell::Null => Ok(None),
                Cell::Text(v) => Ok(Some(v.clone())),
                other => Err(Error::Corrupt(format!(
                    "{name}: expected text, found {other:?}"
                ))),
            },
        }
    }

    pub fn f64(&self, name: &str) -> Result<f64> {
        match self.cell(name)?.as_ref() {
            Cell::Real(v) => Ok(*v),
            Cell::Int(v) => Ok(*v as f64),
            other => Err(Error::Corrupt(format!(
                "{name}: expected a number, found {other:?}"
            ))),
        }
    }

    pub fn bytes(&self, name: &str) -> Result<Vec<u8>> {
        match self.cell(name)? {
            std::borrow::Cow::Owned(Cell::Bytes(v)) => Ok(v),
            c => match c.as_ref() {
                Cell::Bytes(v) => Ok(v.clone()),
                other => Err(Error::Corrupt(format!(
                    "{name}: expected bytes, found {other:?}"
                ))),
            },
        }
    }

    /// A JSON column decoded into `T`, read in place (not copied first).
    pub fn json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T> {
        self.opt_json(name)?
            .ok_or_else(|| Error::Corrupt(format!("{name} is null")))
    }

    /// A JSON text column parsed where it lies (no copy of the text); `None`
    /// when null.
    pub fn opt_json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        let parse =
            |s: &str| serde_json::from_str(s).map_err(|e| Error::Corrupt(format!("{name}: {e}")));
        match &self.0 {
            Cells::Pg(r) => {
                let text: Option<&str> = r.try_get(name).map_err(|e| match e {
                    sqlx::Error::ColumnNotFound(_) => Error::Corrupt(format!("no column {name}")),
                    e => Error::Corrupt(format!("{name}: {e}")),
                })?;
                text.map(parse).transpose()
            }
            Cells::Read(..) => match self.cell(name)?.as_ref() {
                Cell::Text(s) => parse(s).map(Some),
                Cell::Null => Ok(None),
                other => Err(Error::Corrupt(format!(
                    "{name}: expected text, found {other:?}"
                ))),
            },
        }
    }

    fn from_sqlite(names: &Arc<[String]>, r: &SqliteRow) -> Result<Row> {
        let mut cells = Vec::with_capacity(names.len());
        for i in 0..r.columns().len() {
            let raw = r.try_get_raw(i)?;
            let cell = if raw.is_null() {
                Cell::Null
            } else {
                match raw.type_info().name() {
                    "INTEGER" | "BOOLEAN" | "INT8" | "BIGINT" => Cell::Int(r.try_get(i)?),
                    "REAL" => Cell::Real(r.try_get(i)?),
                    "BLOB" => Cell::Bytes(r.try_get(i)?),
                    _ => Cell::Text(r.try_get(i)?),
                }
            };
            cells.push(cell);
        }
        Ok(Row::read(names.clone(), cells))
    }

    /// Rows of one SQLite result, sharing its column names.
    fn all_from_sqlite(rows: &[SqliteRow]) -> Result<Vec<Row>> {
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        let names: Arc<[String]> = first
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        rows.iter().map(|r| Row::from_sqlite(&names, r)).collect()
    }
}

/// Column `i` of a PostgreSQL row as a cell.
fn pg_cell(r: &PgRow, i: usize) -> Result<Cell> {
    let raw = r.try_get_raw(i)?;
    Ok(if raw.is_null() {
        Cell::Null
    } else {
        match raw.type_info().name() {
            "INT8" => Cell::Int(r.try_get(i)?),
            "INT4" => Cell::Int(r.try_get::<i32, _>(i)?.into()),
            "INT2" => Cell::Int(r.try_get::<i16, _>(i)?.into()),
            "BOOL" => Cell::Int(r.try_get::<bool, _>(i)?.into()),
            "FLOAT8" => Cell::Real(r.try_get(i)?),
            "FLOAT4" => Cell::Real(r.try_get::<f32, _>(i)?.into()),
            "BYTEA" => Cell::Bytes(r.try_get(i)?),
            _ => Cell::Text(r.try_get(i)?),
        }
    })
}

type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>;
type PgQuery<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

fn bind_sqlite<'q>(mut q: SqliteQuery<'q>, args: &'q [Val]) -> SqliteQuery<'q> {
    for a in args {
        q = match a {
            Val::I(v) => q.bind(*v),
            Val::OptI(v) => q.bind(*v),
            Val::S(v) => q.bind(v.as_str()),
            Val::OptS(v) => q.bind(v.as_deref()),
            Val::F(v) => q.bind(*v),
            Val::Bytes(v) => q.bind(v.as_slice()),
        };
    }
    q
}

fn bind_pg<'q>(mut q: PgQuery<'q>, args: &'q [Val]) -> PgQuery<'q> {
    for a in args {
        q = match a {
            Val::I(v) => q.bind(*v),
            Val::OptI(v) => q.bind(*v),
            Val::S(v) => q.bind(v.as_str()),
            Val::OptS(v) => q.bind(v.as_deref()),
            Val::F(v) => q.bind(*v),
            Val::Bytes(v) => q.bind(v.as_slice()),
        };
    }
    q
}

/// The connection pool of one backend.
#[derive(Clone)]
pub enum Pool {
    /// SQLite, with a process-wide write lock: one writer at a time keeps
    /// the event chain linear and SQLite free of lock upgrades.
    /// Reads outside a transaction go through `Readers` when the
    /// database is a file.
    Sqlite(
        SqlitePool,
        Arc<tokio::sync::Mutex<()>>,
        Option<Arc<Readers>>,
    ),
    Postgres(PgPool),
}

/// The backend a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Pool {
    /// Opens a pool for `url` (`sqlite://path`, `sqlite::memory:` or
    /// `postgres://…`) and brings the schema up to date.
    pub async fn open(url: &str, max_connections: u32) -> Result<Pool> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // No round trip to test a connection before each use (sqlx's
            // default): it was a sixth of the server's time on the board. A
            // connection the database closed is found on use instead, and a
            // read or a transaction's start is made again on another
            // ([`on_live_connection`]).
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Ok(Pool::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .test_before_acquire(false)
                .connect_with(opts.clone())
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            // An in-memory database lives in sqlx's connections only.
            let file = opts.get_filename();
            let readers = (!url.contains(":memory:") && !file.as_os_str().is_empty())
                .then(|| Arc::new(Readers::new(file.to_path_buf())));
            Ok(Pool::Sqlite(
                pool,
                Arc::new(tokio::sync::Mutex::new(())),
                readers,
            ))
        } else {
            Err(Error::Invalid(format!(
                "不支持的数据库地址 {url}：请使用 sqlite://文件路径 或 postgres://…"
            )))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(..) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn fetch(&self, sql: &str, args: Vec<Val>) -> Result<Vec<Row>> {
        match self {
            Pool::Sqlite(_, _, Some(readers)) => readers.fetch_here(sql, &args),
            Pool::Sqlite(p, _, None) => {
                let rows = bind_sqlite(sqlx::query(sql), &args).fetch_all(p).await?;
                Row::all_from_sqlite(&rows)
            }
            Pool::Postgres(p) => {
                let rows =
                    on_live_connection(p, || bind_pg(sqlx::query(sql), &args).fetch_all(p)).await?;
                Ok(rows.into_iter().map(|r| Row(Cells::Pg(r))).collect())
            }
        }
    }

    pub async fn fetch_opt(&self, sql: &str, args: Vec<Val>) -> Result<Option<Row>> {
        Ok(self.fetch(sql, args).await?.into_iter().next())
    }

    /// Starts a write transaction. Writers are serialised: on SQLite by the
    /// process's write lock, on PostgreSQL by a transaction-scoped advisory
    /// lock, so every server appends to the one event chain in turn.
    pub async fn begin(&self) -> Result<Tx> {
        match self {
            Pool::Sqlite(p, lock, _) => {
                let guard = lock.clone().lock_owned().await;
                let mut conn = p.acquire().await?;
                if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
                    conn.close_on_drop();
                    return Err(e.into());
                }
                Ok(Tx::Sqlite(SqliteTx {
                    conn,
                    done: false,
                    _guard: guard,
                }))
            }
            Pool::Postgres(p) => {
                // Nothing is written yet: safe to begin again.
                let mut tx = on_live_connection(p, || p.begin()).await?;
                sqlx::query("SELECT pg_advisory_xact_lock(7710)")
                    .execute(&mut *tx)
                    .await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    /// `column IN (ids)` with the whole list bound as the one value
    /// [`Pool::ids`] makes, at `placeholder`: one statement text for every
    /// list, so each connection prepares it once (a list written into the
    /// text made a new statement, parsed and planned, per request).
    pub fn in_ids(&self, column: &str, placeholder: &str) -> String {
        match self {
            Pool::Sqlite(..) => format!("{column} IN (SELECT value FROM json_each({placeholder}))"),
            Pool::Postgres(_) => format!("{column} = ANY(CAST({placeholder} AS BIGINT[]))"),
        }
    }

    /// The value [`Pool::in_ids`] binds: a JSON array for SQLite, an array
    /// literal for PostgreSQL.
    pub fn ids(&self, ids: &[i64]) -> Val {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        Val::S(match self {
            Pool::Sqlite(..) => format!("[{list}]"),
            Pool::Postgres(_) => format!("{{{list}}}"),
        })
    }

    /// After a bulk load, PostgreSQL's `VACUUM ANALYZE`: planner statistics
    /// for the new rows, and the visibility map that lets a query answer
    /// from an index alone (without either, and with autovacuum off or not
    /// yet awake, the board's plans are made for empty tables). SQLite
    /// plans from its indexes alone and is left as it is.
    ///
    /// The kept counts' table (`matter_counts`, two to four rows) is
    /// rewritten first: each row a bulk load inserted updated one of its
    /// rows by trigger inside a long transaction, leaving a dead version
    /// each, and a plain `VACUUM` frees them without shrinking the file —
    /// at a million matters the board's total read 40 MB for two rows
    /// (6 ms a request instead of 0.02).
    pub async fn analyze(&self) -> Result<()> {
        if let Pool::Postgres(p) = self {
            sqlx::raw_sql("VACUUM FULL matter_counts")
                .execute(p)
                .await?;
            sqlx::raw_sql("VACUUM ANALYZE").execute(p).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Pool::Sqlite(p, ..) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// Runs `step` (a read, or a transaction's start: safe to repeat) again
/// while it meets a connection the database closed (it restarted, or ended
/// it idle): sqlx drops such a connection, so at worst each of the pool's
/// connections is met once.
async fn on_live_connection<T, F, Fut>(p: &PgPool, mut step: F) -> sqlx::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = sqlx::Result<T>>,
{
    let mut tries = p.size() + 1;
    loop {
        match step().await {
            Err(e) if tries > 0 && connection_closed(&e) => {
                tracing::warn!(error = %e, "a database connection was closed; trying again on another");
                tries -= 1;
            }
            r => return r,
        }
    }
}

/// Whether `e` says the connection is gone rather than the statement
/// wrong: an I/O error, or PostgreSQL's classes 08 (connection exception)
/// and 57P (the server ended it: shut down, restarted, terminated).
fn connection_closed(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// The most values one statement of [`Tx::insert_rows`] binds. PostgreSQL
/// takes up to 65,535. SQLite takes 32,766, but binding by name
/// (`sqlite3_bind_parameter_name`) walks the statement's list of names
/// for every value, so a statement's cost grows with the square of its
/// values: at 30,000 it bound one row's values slower than inserting rows
/// one by one.
const MAX_BOUND_POSTGRES: usize = 30_000;
const MAX_BOUND_SQLITE: usize = 500;

/// A write transaction; dropped without [`Tx::commit`] it rolls back.
pub enum Tx {
    Sqlite(SqliteTx),
    Postgres(Transaction<'static, Postgres>),
}

/// An SQLite write transaction on a connection of its own, begun and ended
/// by plain statements. A transaction that does not commit closes its
/// connection (which rolls it back) instead of returning it to the pool:
/// when the disk fills SQLite may end a transaction by itself, and sqlx's
/// own transaction then counts a depth that no longer exists, so the
/// connection's next "transaction" was a savepoint that never committed —
/// writes answered 200 and lost, and the write lock held until a restart.
pub struct SqliteTx {
    conn: sqlx::pool::PoolConnection<Sqlite>,
    done: bool,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if !self.done {
            self.conn.close_on_drop();
        }
    }
}

impl Tx {
    pub async fn fetch(&mut self, sql: &str, args: Vec<Val>) -> Result<Vec<Row>> {
        match self {
            Tx::Sqlite(tx) => {
                let rows = bind_sqlite(sqlx::query(sql), &args)
                    .fetch_all(&mut *tx.conn)
                    .await?;
                Row::all_from_sqlite(&rows)
            }
            Tx::Postgres(tx) => {
                let rows = bind_pg(sqlx::query(sql), &args)
                    .fetch_all(&mut **tx)
                    .await?;
                Ok(rows.into_iter().map(|r| Row(Cells::Pg(r))).collect())
            }
        }
    }

    pub async fn fetch_opt(&mut self, sql: &str, args: Vec<Val>) -> Result<Option<Row>> {
        Ok(self.fetch(sql, args).await?.into_iter().next())
    }

    /// Runs a statement; returns the number of rows it touched.
    pub async fn exec(&mut self, sql: &str, args: Vec<Val>) -> Result<u64> {
        match self {
            Tx::Sqlite(tx) => Ok(bind_sqlite(sqlx::query(sql), &args)
                .execute(&mut *tx.conn)
                .await?
                .rows_affected()),
            Tx::Postgres(tx) => Ok(bind_pg(sqlx::query(sql), &args)
                .execute(&mut **tx)
                .await?
                .rows_affected()),
        }
    }

    /// Inserts a row and returns its new `id` (`… RETURNING id`).
    pub async fn insert(&mut self, sql: &str, args: Vec<Val>) -> Result<i64> {
        let row = self
            .fetch_opt(sql, args)
            .await?
            .ok_or_else(|| Error::Corrupt("insert returned no id".into()))?;
        row.i64("id")
    }

    /// Inserts `rows` (each one value per column of `head`, an
    /// `INSERT INTO table (columns)`) with as few statements as the
    /// backends' limits on bound values allow: a bulk load crosses to the
    /// database once per few thousand values, not once per row.
    pub async fn insert_rows(&mut self, head: &str, rows: Vec<Vec<Val>>) -> Result<()> {
        let Some(width) = rows.first().map(Vec::len).filter(|w| *w > 0) else {
            return Ok(());
        };
        if let Some(bad) = rows.iter().find(|r| r.len() != width) {
            return Err(Error::Invalid(format!(
                "insert_rows: a row of {} values among rows of {width}",
                bad.len()
            )));
        }
        let bound = match self {
            Tx::Sqlite(_) => MAX_BOUND_SQLITE,
            Tx::Postgres(_) => MAX_BOUND_POSTGRES,
        };
        let per_statement = (bound / width).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Val>> = rows.by_ref().take(per_statement).collect();
            let mut sql = String::with_capacity(head.len() + chunk.len() * width * 6);
            sql.push_str(head);
            sql.push_str(" VALUES ");
            let mut n = 0;
            for i in 0..chunk.len() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for j in 0..width {
                    n += 1;
                    if j > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
                sql.push(')');
            }
            self.exec(&sql, chunk.into_iter().flatten().collect())
                .await?;
        }
        Ok(())
    }

    /// After rows were inserted into `table` with ids chosen by the caller
    /// ([`Tx::insert_rows`] with an `id` column): PostgreSQL's sequence for
    /// `table.id` moved past them, so the next ordinary insert does not
    /// collide. SQLite takes the next id from the largest, and needs nothing.
    pub async fn ids_taken(&mut self, table: &str) -> Result<()> {
        if let Tx::Postgres(_) = self {
            self.exec(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                ),
                vec![],
            )
            .await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(mut tx) => {
                sqlx::query("COMMIT").execute(&mut *tx.conn).await?;
                tx.done = true;
            }
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
