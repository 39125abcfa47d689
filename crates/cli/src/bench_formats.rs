//! `duban bench formats FILE...`: how fast the document readers turn files
//! into text (`duban_formats::read`: unzip, XML, PDF content streams,
//! layout), per file, best of several runs: pages per second for PDF and
//! OFD, MB per second for Word. The figures go into BENCHMARKS.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Files to read (.docx, .pdf, .ofd).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Timed runs per file; the best is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

pub fn run(args: &Args) -> ExitCode {
    println!("file\tformat\tMB\tpages\tlines\tbest s\tpages/s\tMB/s");
    let limits = duban_formats::Limits::default();
    for f in &args.files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("duban bench: {}: 无法读取文件：{e}", f.display());
                return ExitCode::FAILURE;
            }
        };
        let mut best = f64::MAX;
        let mut last = None;
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            let r = duban_formats::read(&bytes, &limits);
            best = best.min(t.elapsed().as_secs_f64());
            last = Some(r);
        }
        match last {
            Some(Ok(r)) => {
                let mb = bytes.len() as f64 / 1e6;
                println!(
                    "{}\t{}\t{:.2}\t{}\t{}\t{:.3}\t{}\t{:.1}",
                    f.file_name().unwrap_or_default().to_string_lossy(),
                    r.kind.name(),
                    mb,
                    r.pages,
                    r.text.lines().count(),
                    best,
                    if r.pages > 0 {
                        format!("{:.0}", r.pages as f64 / best)
                    } else {
                        "—".into()
                    },
                    mb / best
                );
            }
            Some(Err(e)) => {
                eprintln!("duban bench: {}: {e}", f.display());
                return ExitCode::FAILURE;
            }
            None => {}
        }
    }
    ExitCode::SUCCESS
}
