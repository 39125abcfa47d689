//! `duban demo`: Duban on an embedded database with the sample gazettes
//! ingested, the district's units, leaders and users, and matters in every
//! state; prints the address and the demo log-ins, then serves.

use crate::common::{init_tracing, runtime};
use duban_service::demo::{seed, Gazette, PASSWORD};
use duban_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

/// The sample gazettes, built into the binary so the demo runs anywhere.
const GAZETTES: [(&str, &[u8]); 3] = [
    (
        "001_b27284c7e3085e72.txt",
        include_bytes!("../../../samples/001_b27284c7e3085e72.txt"),
    ),
    (
        "002_16a5ea1dd1efe10d.txt",
        include_bytes!("../../../samples/002_16a5ea1dd1efe10d.txt"),
    ),
    (
        "004_52b7b3caced91b16.txt",
        include_bytes!("../../../samples/004_52b7b3caced91b16.txt"),
    ),
];

#[derive(clap::Args)]
pub struct Args {
    /// The SQLite file of the demo.
    #[arg(long, default_value = "duban-demo.db")]
    db: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Start over: delete the demo database first.
    #[arg(long)]
    fresh: bool,
    /// Only build the database, do not serve.
    #[arg(long)]
    no_serve: bool,
}

pub fn run(args: &Args) -> ExitCode {
    init_tracing();
    runtime().block_on(async move {
        match demo(args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("duban demo: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

async fn demo(args: &Args) -> Result<(), String> {
    if args.fresh {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", args.db.display()));
        }
    }
    let url = format!("sqlite://{}", args.db.display());
    let store = Store::open(&url)
        .await
        .map_err(|e| format!("无法打开数据库 {}：{e}", args.db.display()))?;
    let mut config = duban_web::Config {
        database_url: url.clone(),
        listen: args.listen.clone(),
        ..duban_web::Config::default()
    };
    config.sweep_interval_secs = 0;
    duban_web::security::install_chain_hash(&store, &config).await?;
    // The local time the demo's history is built back from. Not an
    // `AppState`: that would start a search index whose writer and
    // catch-up task outlive the seeding and hold the index's lock against
    // the server started below.
    let now = crate::common::local_now(&config);
    if store.users().await.map_err(|e| e.to_string())?.is_empty() {
        println!("正在生成演示数据（读取 3 期公报、建立单位与领导分工、确认任务分解）……");
        let gazettes: Vec<Gazette> = GAZETTES
            .iter()
            .map(|(name, bytes)| Gazette { name, bytes })
            .collect();
        let cal = store.calendar().await.map_err(|e| e.to_string())?;
        let seeded = seed(&store, &gazettes, duban_web::auth::hash_password, now, &cal)
            .await
            .map_err(|e| format!("生成演示数据失败：{e}"))?;
        println!(
            "已生成：{} 个单位，{} 项督办事项。",
            seeded.units, seeded.matters
        );
        println!("\n演示账号（密码均为 {PASSWORD}）：");
        for l in &seeded.logins {
            println!("  {:<10} {:<8} {}", l.login, l.role, l.name);
        }
        println!("  其余单位联络员：unit<单位编号>");
    } else {
        println!(
            "使用已有的演示数据库 {}（--fresh 重新生成）；演示密码 {PASSWORD}",
            args.db.display()
        );
    }
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    store.close().await;
    crate::serve::serve(config).await
}
