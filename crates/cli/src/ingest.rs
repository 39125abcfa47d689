//! `duban ingest FILE...`: reads documents (text, Word, PDF, OFD) into the
//! configured database as proposals for the office to confirm; a file
//! already stored is refused unless `--again`; `duban backup FILE`: a consistent
//! copy of the database while the server runs.

use crate::common::{open_store, runtime, ConfigArg};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Gazettes or documents: text, .docx (.doc/.wps with LibreOffice), .pdf, .ofd.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Read a file again even though the same bytes are already stored.
    #[arg(long)]
    again: bool,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist yet).
    file: PathBuf,
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(args: &Args) -> ExitCode {
    runtime().block_on(async move {
        let store = match open_store(&args.config).await.map(|(_, s)| s) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("duban ingest: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut failed = false;
        for f in &args.files {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let result = match crate::extract::read_limited(f) {
                Ok(bytes) => duban_service::ingest::ingest(&store, None, &name, &bytes, args.again)
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            match result {
                Ok(done) => {
                    println!(
                        "{}：{} 个公文，{} 项拟办任务待确认（{}），{} 条提示",
                        f.display(),
                        done.documents,
                        done.proposals,
                        if done.unresolved.is_empty() {
                            "单位均已匹配".to_string()
                        } else {
                            format!(
                                "{} 个单位名称未匹配：{}",
                                done.unresolved.len(),
                                done.unresolved.join("、")
                            )
                        },
                        done.warnings
                    );
                }
                Err(e) => {
                    eprintln!("duban ingest: {}: {e}", f.display());
                    failed = true;
                }
            }
        }
        store.close().await;
        if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    })
}

pub fn backup(args: &BackupArgs) -> ExitCode {
    runtime().block_on(async move {
        let store = match open_store(&args.config).await.map(|(_, s)| s) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("duban backup: {e}");
                return ExitCode::FAILURE;
            }
        };
        let r = store.backup_to(&args.file).await;
        store.close().await;
        match r {
            Ok(()) => {
                println!("已备份到 {}", args.file.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("duban backup: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
