//! SQLite reads on the calling thread. sqlx's SQLite driver runs each
//! connection on a worker thread of its own and sends every row back
//! through a channel, so a read's cost grows with its rows by a thread
//! hand-off each (about two fifths of a matter's page at a million
//! matters, by `perf`). Reads outside a transaction instead go through a
//! small set of plain SQLite connections to the same file, each keeping
//! its prepared statements, and run where the request runs: under
//! `block_in_place` on the multi-threaded runtime (other tasks move to
//! another worker meanwhile), inline on a current-thread runtime (tests,
//! the CLI).
//!
//! Writes and reads inside a transaction stay on sqlx's connections; in
//! WAL mode a read here sees every transaction committed before it began,
//! as a read on sqlx's pool does.

use super::{Cell, Row, Val};
use crate::{Error, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// How many idle connections are kept; more are opened when every kept
/// one is busy, and closed when given back to a full set.
const KEEP: usize = 16;
/// Prepared statements kept per connection.
const STATEMENTS: usize = 128;

pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub fn new(path: PathBuf) -> Readers {
        Readers {
            path,
            idle: Mutex::new(Vec::new()),
        }
    }

    fn open(&self) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(sqlite)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(sqlite)?;
        // A reader never writes, whatever statement it is given.
        conn.pragma_update(None, "query_only", true)
            .map_err(sqlite)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
        Ok(conn)
    }

    /// Runs one query and reads every row, on this thread.
    pub fn fetch(&self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        let kept = self.idle.lock().map_err(|_| poisoned())?.pop();
        let conn = match kept {
            Some(c) => c,
            None => self.open()?,
        };
        let rows = read(&conn, sql, args);
        let mut idle = self.idle.lock().map_err(|_| poisoned())?;
        if idle.len() < KEEP {
            idle.push(conn);
        }
        rows
    }

    /// [`Readers::fetch`] where the caller is: on a worker of the
    /// multi-threaded runtime, telling it this thread blocks for a while.
    pub fn fetch_here(&self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        use tokio::runtime::{Handle, RuntimeFlavor};
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(|| self.fetch(sql, args)),
            _ => self.fetch(sql, args),
        }
    }
}

fn read(conn: &Connection, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(sql).map_err(sqlite)?;
    // SQLite numbers `$N` parameters by first appearance in the text, not
    // by N (a text may use `$5` before `$4`, or one twice): bind each by
    // its name, as sqlx does.
    for at in 1..=stmt.parameter_count() {
        let n = match stmt.parameter_name(at) {
            Some(name) => name[1..]
                .parse::<usize>()
                .map_err(|_| Error::Corrupt(format!("parameter {name} is not $N")))?,
            None => at,
        };
        let a = args
            .get(n - 1)
            .ok_or_else(|| Error::Corrupt(format!("no value for parameter ${n}")))?;
        match a {
            Val::I(v) => stmt.raw_bind_parameter(at, v),
            Val::OptI(v) => stmt.raw_bind_parameter(at, v),
            Val::S(v) => stmt.raw_bind_parameter(at, v.as_str()),
            Val::OptS(v) => stmt.raw_bind_parameter(at, v.as_deref()),
            Val::F(v) => stmt.raw_bind_parameter(at, v),
            Val::Bytes(v) => stmt.raw_bind_parameter(at, v.as_slice()),
        }
        .map_err(sqlite)?;
    }
    let names: std::sync::Arc<[String]> =
        stmt.column_names().iter().map(|n| n.to_string()).collect();
    let mut out = Vec::new();
    let mut rows = stmt.raw_query();
    while let Some(r) = rows.next().map_err(sqlite)? {
        let mut cols = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let cell = match r.get_ref(i).map_err(sqlite)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Int(v),
                ValueRef::Real(v) => Cell::Real(v),
                ValueRef::Text(t) => Cell::Text(
                    std::str::from_utf8(t)
                        .map_err(|e| Error::Corrupt(format!("{name}: {e}")))?
                        .to_string(),
                ),
                ValueRef::Blob(b) => Cell::Bytes(b.to_vec()),
            };
            cols.push(cell);
        }
        out.push(Row::read(names.clone(), cols));
    }
    Ok(out)
}

fn sqlite(e: rusqlite::Error) -> Error {
    Error::Db(sqlx::Error::Io(std::io::Error::other(format!(
        "SQLite: {e}"
    ))))
}

fn poisoned() -> Error {
    Error::Db(sqlx::Error::Io(std::io::Error::other(
        "SQLite 读连接池状态异常，请重启服务",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `$N` is bound by N wherever and however often it appears, and cells
    /// come back in their storage classes.
    #[test]
    fn parameters_by_number_and_cells_by_class() {
        let path = std::env::temp_dir().join(format!("duban-readers-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, day TEXT, x REAL, b BLOB);
                 INSERT INTO t VALUES (1, '2026-01-05', 1.5, x'00ff'), (2, '2026-01-05', NULL, NULL),
                                      (3, '2026-02-01', 2.0, NULL);",
            )
            .unwrap();
        }
        let r = Readers::new(path.clone());
        let rows = r
            .fetch(
                "SELECT id, day, x, b FROM t WHERE day > $2 OR (day = $2 AND id > $1) ORDER BY id",
                &[Val::I(1), Val::S("2026-01-05".into())],
            )
            .unwrap();
        let ids: Vec<i64> = rows.iter().map(|r| r.i64("id").unwrap()).collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!(
            rows[0].opt_str("day").unwrap().as_deref(),
            Some("2026-01-05")
        );
        assert_eq!(rows[0].opt_i64("x").unwrap(), None);
        assert_eq!(rows[1].f64("x").unwrap(), 2.0);
        let one = r
            .fetch("SELECT b FROM t WHERE id = $1", &[Val::I(1)])
            .unwrap();
        assert_eq!(one[0].bytes("b").unwrap(), vec![0, 255]);
        // A reader refuses to write.
        assert!(r
            .fetch("DELETE FROM t WHERE id = $1", &[Val::I(1)])
            .is_err());
        let _ = std::fs::remove_file(&path);
    }
}
