//! `duban sweep`: one sweep on demand; and the periodic sweep inside
//! `duban serve`. (To be written.)

use crate::common::ConfigArg;
use duban_store::Store;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(_args: &Args) -> ExitCode {
    eprintln!("duban sweep: 尚未实现");
    ExitCode::FAILURE
}

/// Starts the periodic sweep and sender for `duban serve`, if configured.
pub fn spawn_periodic(
    _store: Store,
    _config: &duban_web::Config,
) -> Option<tokio::task::JoinHandle<()>> {
    None
}
