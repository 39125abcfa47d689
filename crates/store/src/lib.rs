//! Duban's storage. SQLite embedded by default (WAL, foreign keys, busy
//! timeout), PostgreSQL when the database URL says so; migrations for each
//! run at start-up. All SQL of the project lives in this crate, written once
//! for both backends ([`db`]).
//!
//! Every change goes through a write transaction that also appends to the
//! hash-chained event log, so the log and the data cannot disagree.

pub mod accounts;
pub mod appeals;
pub mod assess;
pub mod attachments;
mod audit;
mod backup;
pub mod calendar;
mod contents;
pub mod db;
pub mod documents;
pub mod events;
pub mod feed;
pub mod generate;
pub mod indicators;
mod kept;
pub mod leaders;
pub mod ledger;
pub mod links;
pub mod matters;
pub mod messages;
pub mod office;
pub mod org;
pub mod outbox;
pub mod registry;
pub mod security;
pub mod stats;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tokens;
pub mod types;

pub use audit::TrailFilter;
pub use documents::{
    DocRef, DocumentInfo, DocumentLinks, Link, NewCitation, NewDocument, NewSource, NewValidity,
    Proposal, ProposalState, ProposedTask, ProposedUnit, SourceInfo,
};
pub use kept::Registry;
pub use matters::{MatterPage, MatterRecord, NewMatter, TrackFilter, TrackRecord};
pub use org::{NewUnit, NewUser, Session};
pub use registry::Merged;
pub use stats::{Stats, StatsQuery};
pub use types::TypeRecord;

use std::fmt;

pub use db::{Backend, Pool};

/// What went wrong in the store.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The thing asked for does not exist.
    NotFound(String),
    /// Someone else changed it first (stale version).
    Conflict(String),
    /// A unique name or key is taken.
    Duplicate(String),
    /// The request cannot be carried out as it stands.
    Invalid(String),
    /// A domain rule refused it (an illegal transition, a calendar year
    /// missing, a matter without a lead unit), kept typed for the caller.
    Rule(duban_domain::RuleError),
    /// Stored data does not read back as it should.
    Corrupt(String),
    /// The disk is full or refuses the write (SQLite's FULL or IOERR,
    /// PostgreSQL's 53100, ENOSPC): the transaction was not stored.
    Full(sqlx::Error),
    Db(sqlx::Error),
    Migrate(sqlx::migrate::MigrateError),
}

/// Whether `e` says the disk is full or cannot be written.
fn is_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => match d.code().as_deref() {
            Some("53100") => true,
            Some(code) => code
                .parse::<i64>()
                .is_ok_and(|c| matches!(c & 0xff, 10 | 13)),
            None => false,
        },
        sqlx::Error::Io(io) => io.raw_os_error() == Some(28),
        _ => false,
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound(m) | Error::Conflict(m) | Error::Duplicate(m) | Error::Invalid(m) => {
                f.write_str(m)
            }
            Error::Rule(e) => e.fmt(f),
            Error::Corrupt(m) => write!(f, "stored data is inconsistent: {m}"),
            Error::Full(e) => write!(f, "disk full or not writable: {e}"),
            Error::Db(e) => write!(f, "database error: {e}"),
            Error::Migrate(e) => write!(f, "migration failed: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Db(e) | Error::Full(e) => Some(e),
            Error::Migrate(e) => Some(e),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                Error::Duplicate(format!("已存在同名或重复的记录（{}）", d.message()))
            }
            _ if is_full(&e) => Error::Full(e),
            _ => Error::Db(e),
        }
    }
}

impl From<duban_domain::RuleError> for Error {
    fn from(e: duban_domain::RuleError) -> Error {
        Error::Rule(e)
    }
}

impl From<duban_domain::workflow::TransitionError> for Error {
    fn from(e: duban_domain::workflow::TransitionError) -> Error {
        Error::Rule(e.into())
    }
}

impl From<duban_domain::calendar::CalendarError> for Error {
    fn from(e: duban_domain::calendar::CalendarError) -> Error {
        Error::Rule(e.into())
    }
}

impl From<duban_domain::matter::MatterError> for Error {
    fn from(e: duban_domain::matter::MatterError) -> Error {
        Error::Rule(e.into())
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Error {
        Error::Migrate(e)
    }
}

/// The store: a pool and what the rest of Duban asks of it.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    /// Figures of the dashboard already computed, by query, with the data
    /// version they were computed at ([`stats::StatsCache`]).
    pub(crate) stats_cache: stats::StatsCache,
    /// This server's copy of the units and the calendar ([`kept`]).
    pub(crate) kept: kept::Kept,
}

impl Store {
    /// Opens the database at `url` and migrates it.
    pub async fn open(url: &str) -> Result<Store> {
        let max = if url.starts_with("sqlite:") { 8 } else { 16 };
        Ok(Store {
            pool: Pool::open(url, max).await?,
            stats_cache: stats::StatsCache::default(),
            kept: kept::Kept::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await
    }
}

/// Microseconds since the epoch, the stored form of a time.
pub fn micros(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_micros()
}

/// A stored time back as UTC.
pub fn from_micros(v: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_micros(v).unwrap_or_default()
}

impl Store {
    /// Writes a consistent copy of the database to `path` while the server
    /// runs, as a Duban SQLite file: SQLite's `VACUUM INTO`, or for
    /// PostgreSQL every table read in one snapshot (see [`backup`]).
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p, ..) => {
                if path.exists() {
                    return Err(Error::Invalid(format!(
                        "{} 已存在；请换一个文件名（不会覆盖已有文件）",
                        path.display()
                    )));
                }
                sqlx::query("VACUUM INTO $1")
                    .bind(path.to_string_lossy().to_string())
                    .execute(p)
                    .await?;
                Ok(())
            }
            Pool::Postgres(p) => backup::postgres_to_sqlite(p, path).await.map(|_| ()),
        }
    }
}
