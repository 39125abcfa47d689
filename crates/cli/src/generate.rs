//! `duban generate`: a benchmark data set of N units and M matters with
//! realistic histories, into the configured (empty) database.

use crate::common::{open_store, run_async, ConfigArg};
use duban_store::generate::Spec;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Number of units (each gets a liaison, login genN).
    #[arg(long, default_value_t = 200)]
    units: usize,
    /// Number of matters.
    #[arg(long, default_value_t = 10_000)]
    matters: usize,
    /// Random seed (the same seed gives the same data).
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Matters per transaction.
    #[arg(long, default_value_t = 5_000)]
    batch: usize,
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(args: &Args) -> ExitCode {
    run_async("generate", async {
        let (config, store) = open_store(&args.config).await?;
        if !store.units().await.map_err(|e| e.to_string())?.is_empty() {
            return Err("数据库中已有数据；请使用一个空数据库（DUBAN_DATABASE_URL）".into());
        }
        let cal = store.calendar().await.map_err(|e| e.to_string())?;
        // Only the configured local time: a server's state would also start
        // the search index following the log, reading back every matter
        // as it is written (the index is built when the server starts).
        let spec = Spec {
            units: args.units,
            matters: args.matters,
            seed: args.seed,
            now: config.clock().local(chrono::Utc::now()),
            batch: args.batch.max(1),
            password_hash: duban_web::auth::hash_password("duban2026"),
        };
        let start = Instant::now();
        let total = args.matters;
        let r = store
            .generate(&spec, &cal, |done| {
                if done % 50_000 == 0 || done == total {
                    eprintln!(
                        "  {done}/{total} 项 ({:.0} 秒)",
                        start.elapsed().as_secs_f64()
                    );
                }
            })
            .await;
        store.close().await;
        let g = r.map_err(|e| e.to_string())?;
        println!(
            "已生成 {} 个单位、{} 项事项、{} 条办理记录，用时 {:.1} 秒（登录名 admin、ducha、gen1…gen{}，密码 duban2026）",
            g.units,
            g.matters,
            g.tracks,
            start.elapsed().as_secs_f64(),
            g.units
        );
        Ok(ExitCode::SUCCESS)
    })
}
