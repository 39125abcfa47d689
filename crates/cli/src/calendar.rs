//! `duban calendar`: the holiday calendar from the command line. `import
//! FILE` reads the State Council's notice (UTF-8 or GB18030 text as
//! published), shows what it sets beside the years in use, and enters it,
//! recomputing the open limits as the settings page does; `--dry-run` only
//! shows. `show [YEAR]` prints the years or one year.

use crate::common::{open_store, run_async, today, ConfigArg};
use duban_domain::calendar::notice;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Enter a year from the State Council's notice (国务院办公厅关于20XX年部分节假日安排的通知).
    Import {
        /// The notice as text.
        file: PathBuf,
        /// Only read and compare; change nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print the calendar's years (正式 or 暂定), or one year's days.
    Show {
        year: Option<i32>,
        #[command(flatten)]
        config: ConfigArg,
    },
}

fn dates(days: &[chrono::NaiveDate]) -> String {
    days.iter()
        .map(|d| d.format("%-m月%-d日").to_string())
        .collect::<Vec<_>>()
        .join("、")
}

/// Reads a text file as the reader does (UTF-8, GB18030, UTF-16).
fn read_text(path: &PathBuf) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
    duban_reader::decode::decode(&bytes)
        .map(|d| d.text)
        .map_err(|e| format!("{}：{e}", path.display()))
}

pub fn run(args: &Args) -> ExitCode {
    match &args.what {
        What::Import {
            file,
            dry_run,
            config,
        } => run_async("calendar import", async move {
            let text = read_text(file)?;
            let n = notice::parse(&text).map_err(|e| e.to_string())?;
            let (cfg, store) = open_store(config).await?;
            let cal = store.calendar().await.map_err(|e| e.to_string())?;
            println!("{}", n.source);
            for s in &n.spans {
                let name = if s.name.is_empty() { "放假" } else { &s.name };
                let mut line = format!("  {name}：{} 至 {}", s.first, s.last);
                if !s.workdays.is_empty() {
                    line.push_str(&format!("，{}上班", dates(&s.workdays)));
                }
                println!("{line}");
            }
            let changes = n.changes(&cal);
            for (year, data) in &changes {
                let (label, d) = match cal.year_in_use(*year) {
                    Some((current, p)) => (p.label(), notice::differences(current, data)),
                    None => ("无", notice::differences(&Default::default(), data)),
                };
                if d.same {
                    println!("{year} 年：与正在使用的日历（{label}）一致");
                    continue;
                }
                println!("{year} 年与正在使用的日历（{label}）相比：");
                for (what, days) in [
                    ("新增放假日", &d.holidays_added),
                    ("不再放假", &d.holidays_removed),
                    ("新增调休上班日", &d.workdays_added),
                    ("不再调休上班", &d.workdays_removed),
                ] {
                    if !days.is_empty() {
                        println!("  {what}：{}", dates(days));
                    }
                }
            }
            if *dry_run {
                println!("（--dry-run：未录入）");
                store.close().await;
                return Ok(ExitCode::SUCCESS);
            }
            let today = today(&cfg);
            let reason = format!("国务院办公厅公布了{}年部分节假日安排", n.year);
            let list: Vec<_> = changes.into_iter().map(|(y, d)| (y, Some(d))).collect();
            let done = store
                .change_calendar(None, &list, &reason, today)
                .await
                .map_err(|e| e.to_string())?;
            store.close().await;
            println!(
                "已录入。重算了 {} 个未办结的办理记录，其中 {} 个时限有变动，相关单位将在下次督办扫描时收到通知。",
                done.tracks, done.moved
            );
            Ok(ExitCode::SUCCESS)
        }),
        What::Show { year, config } => run_async("calendar show", async move {
            let (cfg, store) = open_store(config).await?;
            let cal = store.calendar().await.map_err(|e| e.to_string())?;
            store.close().await;
            let today = today(&cfg);
            let years: Vec<i32> = match year {
                Some(y) => vec![*y],
                None => {
                    let first = cal.years().next().unwrap_or(chrono::Datelike::year(&today));
                    (first..=chrono::Datelike::year(&today) + 1).collect()
                }
            };
            for y in years {
                let Some((data, p)) = cal.year_in_use(y) else {
                    return Err(format!("{y} 年不在日历能推算的范围（1901–2099）内"));
                };
                println!(
                    "{y} 年（{}）：放假 {} 天，调休上班 {} 天；{}",
                    p.label(),
                    data.holidays.len(),
                    data.workdays.len(),
                    data.source.as_deref().unwrap_or("—")
                );
                if year.is_some() {
                    let h: Vec<_> = data.holidays.iter().copied().collect();
                    let w: Vec<_> = data.workdays.iter().copied().collect();
                    println!("  放假：{}", dates(&h));
                    println!(
                        "  调休上班：{}",
                        if w.is_empty() {
                            "无".into()
                        } else {
                            dates(&w)
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }),
    }
}
