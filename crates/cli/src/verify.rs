//! `duban verify`: checks the event log's hash chain.

use crate::common::{runtime, ConfigArg};
use duban_store::Store;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(args: &Args) -> ExitCode {
    let config = match args.config.load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("duban verify: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime().block_on(async move {
        let store = match Store::open(&config.database_url).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("duban verify: 无法打开数据库：{e}");
                return ExitCode::FAILURE;
            }
        };
        let result = store.verify_events().await;
        store.close().await;
        match result {
            Ok(Ok(n)) => {
                println!("操作日志完好：共 {n} 条，哈希链连续");
                ExitCode::SUCCESS
            }
            Ok(Err(broken)) => {
                println!("操作日志校验失败：{broken}");
                ExitCode::from(3)
            }
            Err(e) => {
                eprintln!("duban verify: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
