//! `duban verify`: checks the event log's hash chain (with the hash the
//! database was made with, SHA-256 or SM3), and every report text and
//! attachment against the digest the chain holds for it.

use crate::common::{open_store, run_async, ConfigArg};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(args: &Args) -> ExitCode {
    run_async("verify", async {
        let (_, store) = open_store(&args.config).await?;
        let alg = store.chain_hash().await.map_err(|e| e.to_string())?;
        let result = store.verify_events().await;
        let contents = store.verify_contents().await;
        store.close().await;
        let chain_ok = match result.map_err(|e| e.to_string())? {
            Ok(n) => {
                println!(
                    "操作日志完好：共 {n} 条，哈希链连续（哈希算法 {}）",
                    alg.name().to_uppercase()
                );
                true
            }
            Err(broken) => {
                println!("操作日志校验失败：{broken}");
                false
            }
        };
        let wrong = contents.map_err(|e| e.to_string())?;
        for w in &wrong {
            println!("内容校验失败：{w}");
        }
        if wrong.is_empty() {
            println!("反馈内容和附件与操作日志中的摘要一致");
        }
        Ok(if chain_ok && wrong.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(3)
        })
    })
}
