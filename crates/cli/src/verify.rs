//! `duban verify`: checks the event log's hash chain.

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
        let result = store.verify_events().await;
        store.close().await;
        match result.map_err(|e| e.to_string())? {
            Ok(n) => {
                println!("操作日志完好：共 {n} 条，哈希链连续");
                Ok(ExitCode::SUCCESS)
            }
            Err(broken) => {
                println!("操作日志校验失败：{broken}");
                Ok(ExitCode::from(3))
            }
        }
    })
}
