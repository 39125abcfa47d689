//! What the server commands share: the configuration (defaults, the TOML
//! file named by `--config` or `DUBAN_CONFIG`, then `DUBAN_*` variables),
//! logging, and the async runtime.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use duban_web::Config;
use std::path::PathBuf;

/// Local wall-clock time now, in the configured zone ([`Config::clock`]).
pub fn local_now(cfg: &Config) -> NaiveDateTime {
    cfg.clock().local(Utc::now())
}

/// Today's local date, in the configured zone ([`Config::clock`]).
pub fn today(cfg: &Config) -> NaiveDate {
    cfg.clock().today(Utc::now())
}

/// The `--config` option every server command takes.
#[derive(clap::Args, Clone, Debug)]
pub struct ConfigArg {
    /// A TOML configuration file (see duban.example.toml).
    #[arg(long, env = "DUBAN_CONFIG")]
    pub config: Option<PathBuf>,
}

impl ConfigArg {
    pub fn load(&self) -> Result<Config, String> {
        let text = match &self.config {
            Some(p) => Some(
                std::fs::read_to_string(p)
                    .map_err(|e| format!("无法读取配置文件 {}：{e}", p.display()))?,
            ),
            None => None,
        };
        Config::load(text.as_deref(), std::env::vars())
    }
}

/// Logs to stderr; `RUST_LOG` filters (default: info).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

/// Loads the configuration and opens its database.
pub async fn open_store(config: &ConfigArg) -> Result<(Config, duban_store::Store), String> {
    let cfg = config.load()?;
    let store = duban_store::Store::open(&cfg.database_url)
        .await
        .map_err(|e| format!("无法打开数据库：{e}"))?;
    duban_web::security::install_chain_hash(&store, &cfg).await?;
    Ok((cfg, store))
}

/// Runs a server command's body in the runtime; an error is printed as
/// `duban CMD: …` and fails the command.
pub fn run_async<F>(cmd: &str, body: F) -> std::process::ExitCode
where
    F: std::future::Future<Output = Result<std::process::ExitCode, String>>,
{
    match runtime().block_on(body) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("duban {cmd}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
