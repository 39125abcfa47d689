//! `duban serve`: the HTTP server, with the sweep running inside it.

use crate::common::{init_tracing, runtime, ConfigArg};
use duban_store::Store;
use duban_web::AppState;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(args: &Args) -> ExitCode {
    init_tracing();
    let config = match args.config.load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("duban serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime().block_on(async move {
        match serve(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("duban serve: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

pub async fn serve(config: duban_web::Config) -> Result<(), String> {
    let store = Store::open(&config.database_url)
        .await
        .map_err(|e| format!("无法打开数据库：{e}"))?;
    duban_web::security::install_chain_hash(&store, &config).await?;
    // Tracks written before the statistics columns existed are filled once
    // here, so no request pays for it (minutes on a million matters).
    let cal = store
        .calendar()
        .await
        .map_err(|e| format!("无法读取节假日日历：{e}"))?;
    let filled = store
        .backfill_track_facts(&cal, 5_000)
        .await
        .map_err(|e| format!("补全统计数据失败：{e}"))?;
    if filled > 0 {
        tracing::info!(filled, "statistics columns filled for older tracks");
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("无法监听 {}：{e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, backend = ?store.backend(), "duban serving");
    println!("督办已启动：http://{addr}/");
    let state = AppState::new(store.clone(), config.clone());
    let sweeper = crate::sweep::spawn_periodic(store.clone(), &config);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    let result = duban_web::serve(listener, state, shutdown)
        .await
        .map_err(|e| e.to_string());
    if let Some(handle) = sweeper {
        handle.abort();
    }
    store.close().await;
    result
}
