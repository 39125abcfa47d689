//! Fresh databases for tests, on every backend the run asks for: SQLite
//! always; PostgreSQL when `DUBAN_TEST_POSTGRES` names a server
//! (`postgres://postgres@127.0.0.1:5432`). With `DUBAN_REQUIRE_POSTGRES=1`
//! (as CI sets it) a missing or unreachable server fails the tests instead
//! of skipping that backend.

use crate::{Result, Store};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// URLs of fresh, empty databases, one per backend under test.
pub async fn fresh_databases(name: &str) -> Vec<String> {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let tag = format!(
        "{}_{}_{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id(),
        n
    );
    let dir = std::env::temp_dir().join("duban-tests");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{tag}.db"));
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
    }
    let mut urls = vec![format!("sqlite://{}", file.display())];
    let required = std::env::var("DUBAN_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    match std::env::var("DUBAN_TEST_POSTGRES") {
        Ok(base) => match create_pg_database(&base, &tag).await {
            Ok(url) => urls.push(url),
            Err(e) if required => {
                panic!("PostgreSQL is required for this run but {base} failed: {e}")
            }
            Err(e) => eprintln!("skipping PostgreSQL: {e}"),
        },
        Err(_) if required => panic!("DUBAN_REQUIRE_POSTGRES=1 but DUBAN_TEST_POSTGRES is not set"),
        Err(_) => {}
    }
    urls
}

static SWEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Drops the test databases of test processes that have ended, so runs do
/// not pile databases up on a shared server.
async fn drop_stale(conn: &mut sqlx::PgConnection) {
    if SWEPT.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(rows) = sqlx::query_scalar::<_, String>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'duban\\_t\\_%'",
    )
    .fetch_all(&mut *conn)
    .await
    else {
        return;
    };
    for name in rows {
        // duban_t_<test>_<pid>_<n>
        let pid = name.rsplit('_').nth(1).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut *conn)
                .await;
        }
    }
}

async fn create_pg_database(base: &str, tag: &str) -> std::result::Result<String, String> {
    use sqlx::Connection;
    let base = base.trim_end_matches('/');
    let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .map_err(|e| e.to_string())?;
    drop_stale(&mut conn).await;
    let db = format!("duban_t_{tag}").to_lowercase();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("{base}/{db}"))
}

/// Opened stores on fresh databases, one per backend under test.
pub async fn fresh_stores(name: &str) -> Result<Vec<Store>> {
    let mut out = Vec::new();
    for url in fresh_databases(name).await {
        out.push(Store::open(&url).await?);
    }
    Ok(out)
}

/// A fresh PostgreSQL database whose files live in `dir` (a tablespace
/// there, made for it), for tests that fill a small disk: `None` when no
/// server is named (`DUBAN_TEST_POSTGRES`), else the URL or why it failed.
/// [`drop_pg_tablespace`] removes both.
pub async fn fresh_pg_database_in(
    name: &str,
    dir: &std::path::Path,
) -> Option<std::result::Result<(String, String), String>> {
    use sqlx::Connection;
    let base = std::env::var("DUBAN_TEST_POSTGRES").ok()?;
    let base = base.trim_end_matches('/').to_string();
    let tag = format!("{name}_{}", std::process::id()).to_lowercase();
    let made = async {
        let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
            .await
            .map_err(|e| e.to_string())?;
        let (db, ts) = (format!("duban_t_{tag}_0"), format!("duban_ts_{tag}"));
        for sql in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("DROP TABLESPACE IF EXISTS {ts}"),
            format!("CREATE TABLESPACE {ts} LOCATION '{}'", dir.display()),
            format!("CREATE DATABASE {db} TABLESPACE {ts}"),
        ] {
            sqlx::query(&sql)
                .execute(&mut conn)
                .await
                .map_err(|e| format!("{sql}: {e}"))?;
        }
        Ok((format!("{base}/{db}"), ts))
    };
    Some(made.await)
}

/// Drops the database at `url` and the tablespace `ts` it lived in.
pub async fn drop_pg_tablespace(url: &str, ts: &str) {
    use sqlx::Connection;
    let Some((base, db)) = url.rsplit_once('/') else {
        return;
    };
    if let Ok(mut conn) = sqlx::PgConnection::connect(&format!("{base}/postgres")).await {
        for sql in [
            format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
            format!("DROP TABLESPACE IF EXISTS {ts}"),
        ] {
            let _ = sqlx::query(&sql).execute(&mut conn).await;
        }
    }
}
