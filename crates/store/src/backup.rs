//! `duban backup FILE` on PostgreSQL: a consistent copy of the whole
//! database as a Duban SQLite file, written while the server runs.
//!
//! The copy reads every table inside one `REPEATABLE READ READ ONLY`
//! transaction, so it is one snapshot however long it takes and however many
//! servers write meanwhile. The file it writes is an ordinary Duban database
//! (the SQLite migrations, then the rows): `duban verify` checks its event
//! chain and `duban serve` can run on it. The two migration trees are kept
//! in step, so every column has its counterpart.

use crate::{Error, Result};
use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Column, ConnectOptions, Connection, Row, TypeInfo};
use std::path::Path;
use std::str::FromStr;

/// Rows read and written at a time.
const BATCH: i64 = 2_000;

/// Tables the database keeps by trigger from the others (migrations 0016
/// and 0017): not copied, since the copy's own triggers rebuild them as the
/// rows arrive (copied as well, the counts would be doubled).
const KEPT_BY_TRIGGER: [&str; 2] = ["matter_counts", "registry_version"];

/// One value of a row, as both backends store it.
enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

fn value(row: &PgRow, i: usize) -> Result<Value> {
    let ty = row.columns()[i].type_info().name().to_string();
    Ok(match ty.as_str() {
        "INT8" => Value::Int(row.try_get(i)?),
        "INT4" => Value::Int(row.try_get::<Option<i32>, _>(i)?.map(i64::from)),
        "INT2" => Value::Int(row.try_get::<Option<i16>, _>(i)?.map(i64::from)),
        "BOOL" => Value::Int(row.try_get::<Option<bool>, _>(i)?.map(i64::from)),
        "FLOAT8" => Value::Real(row.try_get(i)?),
        "FLOAT4" => Value::Real(row.try_get::<Option<f32>, _>(i)?.map(f64::from)),
        "TEXT" | "VARCHAR" | "BPCHAR" => Value::Text(row.try_get(i)?),
        "BYTEA" => Value::Bytes(row.try_get(i)?),
        other => {
            return Err(Error::Invalid(format!(
                "备份无法复制列 {} 的类型 {other}；请用 pg_dump 备份",
                row.columns()[i].name()
            )))
        }
    })
}

/// How many rows of each table were copied.
pub type Copied = Vec<(String, u64)>;

/// Copies the PostgreSQL database of `pg` into a new SQLite file at `path`.
pub(crate) async fn postgres_to_sqlite(pg: &PgPool, path: &Path) -> Result<Copied> {
    if path.exists() {
        return Err(Error::Invalid(format!(
            "{} 已存在；请换一个文件名（不会覆盖已有文件）",
            path.display()
        )));
    }
    // The schema first, by the SQLite migrations, on a file of its own.
    let url = format!("sqlite://{}", path.display());
    let dest = crate::db::Pool::open(&url, 1).await?;
    dest.close().await;
    // Rows are written with foreign keys off (tables are copied whole, in
    // any order) and checked once at the end.
    let mut out = SqliteConnectOptions::from_str(&url)?
        .foreign_keys(false)
        .connect()
        .await?;
    let mut src = pg.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *src)
        .await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
           AND table_name NOT LIKE '\\_sqlx%' ORDER BY table_name",
    )
    .fetch_all(&mut *src)
    .await?;
    let mut copied = Vec::new();
    for table in tables {
        if KEPT_BY_TRIGGER.contains(&table.as_str()) {
            continue;
        }
        let keyed: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id')",
        )
        .bind(&table)
        .fetch_one(&mut *src)
        .await?;
        let mut n = 0u64;
        let mut after = i64::MIN;
        let mut tx = out.begin().await?;
        loop {
            // Keyed tables are read in pages by id; the others are small
            // (settings, sessions, links) and read at once.
            let rows = if keyed {
                sqlx::query(&format!(
                    "SELECT * FROM {table} WHERE id > $1 ORDER BY id LIMIT {BATCH}"
                ))
                .bind(after)
                .fetch_all(&mut *src)
                .await?
            } else {
                sqlx::query(&format!("SELECT * FROM {table}"))
                    .fetch_all(&mut *src)
                    .await?
            };
            let Some(first) = rows.first() else { break };
            let names: Vec<&str> = first.columns().iter().map(|c| c.name()).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                vec!["?"; names.len()].join(", ")
            );
            for row in &rows {
                let mut q = sqlx::query(&sql);
                for i in 0..names.len() {
                    q = match value(row, i)? {
                        Value::Int(v) => q.bind(v),
                        Value::Real(v) => q.bind(v),
                        Value::Text(v) => q.bind(v),
                        Value::Bytes(v) => q.bind(v),
                    };
                }
                q.execute(&mut *tx).await?;
                n += 1;
            }
            if !keyed || (rows.len() as i64) < BATCH {
                break;
            }
            after = rows
                .last()
                .map(|r| r.try_get::<i64, _>("id"))
                .transpose()?
                .unwrap_or(i64::MAX);
        }
        tx.commit().await?;
        copied.push((table, n));
    }
    src.commit().await?;
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut out)
        .await?;
    if let Some((t,)) = broken.first() {
        return Err(Error::Corrupt(format!(
            "备份文件中表 {t} 有引用不到的记录；备份不完整，请重试"
        )));
    }
    out.close().await?;
    Ok(copied)
}
