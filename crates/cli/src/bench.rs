//! `duban bench extract`: the reader's single-thread throughput over the
//! sample gazettes repeated to a given size. The figure goes into
//! BENCHMARKS.md.

use duban_reader::{decode, extract};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Time `extract` over gazette text repeated to at least --mb megabytes.
    Extract {
        /// Gazette text files to repeat.
        #[arg(default_values = ["samples/001_b27284c7e3085e72.txt", "samples/002_16a5ea1dd1efe10d.txt", "samples/004_52b7b3caced91b16.txt"])]
        files: Vec<PathBuf>,
        /// Size of the input in megabytes (10^6 bytes).
        #[arg(long, default_value_t = 50)]
        mb: usize,
        /// Timed runs; the best and the median are reported.
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

pub fn run(args: &Args) -> ExitCode {
    match &args.what {
        What::Extract { files, mb, runs } => bench_extract(files, *mb, (*runs).max(1)),
    }
}

fn bench_extract(files: &[PathBuf], mb: usize, runs: usize) -> ExitCode {
    let mut one = String::new();
    for f in files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("duban bench: {}: 无法读取文件：{e}", f.display());
                return ExitCode::FAILURE;
            }
        };
        match decode(&bytes) {
            Ok(d) => {
                one.push_str(&d.text);
                one.push('\n');
            }
            Err(e) => {
                eprintln!("duban bench: {}: {e}", f.display());
                return ExitCode::FAILURE;
            }
        }
    }
    if one.is_empty() {
        eprintln!("duban bench: 没有输入文本");
        return ExitCode::FAILURE;
    }
    let target = mb * 1_000_000;
    let mut input = String::with_capacity(target + one.len());
    while input.len() < target {
        input.push_str(&one);
    }
    let size_mb = input.len() as f64 / 1e6;
    let mut secs: Vec<f64> = Vec::with_capacity(runs);
    let mut tasks = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let out = extract(&input);
        secs.push(start.elapsed().as_secs_f64());
        tasks = out.documents.iter().map(|d| d.tasks.len()).sum();
    }
    secs.sort_by(f64::total_cmp);
    let best = secs[0];
    let median = secs[secs.len() / 2];
    println!(
        "extract: {size_mb:.1} MB, {tasks} tasks, best {best:.2} s ({:.1} MB/s), median {median:.2} s ({:.1} MB/s), {runs} runs, 1 thread",
        size_mb / best,
        size_mb / median
    );
    ExitCode::SUCCESS
}
