//! The `duban` command: parses arguments and calls into the library crates.
//! No business rule lives here.

mod bench;
mod calendar;
mod common;
mod demo;
mod excel;
mod extract;
mod generate;
mod indicators;
mod ingest;
mod report;
mod search;
mod serve;
mod sweep;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the reader and the server
/// allocate many small strings and vectors, and glibc's malloc spent a
/// sixth of the reader's time (BENCHMARKS.md, "Reader throughput").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "duban", version, about = "督办：政府督查督办系统")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read gazette or document text files and print their documents and tasks.
    Extract(extract::Args),
    /// Measure speed (see BENCHMARKS.md).
    Bench(bench::Args),
    /// Read documents into the database as proposals for the office.
    Ingest(ingest::Args),
    /// Write a consistent copy of the database while the server runs.
    Backup(ingest::BackupArgs),
    /// Generate a benchmark data set (N units, M matters with histories).
    Generate(generate::Args),
    /// Start Duban with sample data on an embedded database.
    Demo(demo::Args),
    /// Run the HTTP server (and the periodic sweep).
    Serve(serve::Args),
    /// Run one sweep now: queue reminders, urgings and escalations, and send.
    Sweep(sweep::Args),
    /// Check the event log's hash chain.
    Verify(verify::Args),
    /// Rebuild the full-text search index from the database.
    Reindex(search::ReindexArgs),
    /// Search documents, matters, reports and appeals (as the office).
    Search(search::SearchArgs),
    /// Print the indicators (量化指标) with their progress.
    Indicators(indicators::Args),
    /// Export the ledger (台账) as an Excel workbook.
    Export(excel::ExportArgs),
    /// Import a task list or a key-project list from Excel, all rows or none.
    Import(excel::ImportArgs),
    /// Bulletins (通报), red and black lists (红黑榜), the year-end assessment (年终考核).
    Report(report::Args),
    /// The holiday calendar: enter the State Council's notice, show the years.
    Calendar(calendar::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Backup(args) => ingest::backup(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Reindex(args) => search::reindex(&args),
        Command::Search(args) => search::search(&args),
        Command::Indicators(args) => indicators::run(&args),
        Command::Export(args) => excel::export(&args),
        Command::Import(args) => excel::import(&args),
        Command::Report(args) => report::run(&args),
        Command::Calendar(args) => calendar::run(&args),
    }
}
