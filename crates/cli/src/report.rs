//! `duban report bulletin|redblack|assessment`: the supervision outputs
//! from the command line — the bulletin of a period as a Word file, the red
//! and black lists, the year-end assessment (as text or JSON, optionally as
//! a Word file). The numbers are the service's (`duban_service::report`),
//! the same the API and the pages show. How long building took is printed
//! to stderr.

use crate::common::{open_store, run_async, today, ConfigArg};
use chrono::{Datelike, NaiveDate};
use duban_domain::assess::Period;
use duban_domain::org::Role;
use duban_service::report::{self, docx::Letterhead};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Args)]
struct Common {
    /// The day to judge on (YYYY-MM-DD); default the period's last day, or
    /// today while it runs.
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(clap::Subcommand)]
enum What {
    /// The bulletin (通报) of a period: 2024-09, 2024Q3 or 2024.
    Bulletin {
        #[arg(long)]
        period: String,
        /// Only the units this leader oversees (their login).
        #[arg(long)]
        leader: Option<String>,
        /// Write the bulletin as a Word file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The document number (文号).
        #[arg(long)]
        number: Option<String>,
        /// The issuing office (发文机关).
        #[arg(long)]
        issuer: Option<String>,
        /// How many overdue tracks to list (the longest overdue first).
        #[arg(long, default_value_t = 200)]
        overdue: usize,
        #[command(flatten)]
        common: Common,
    },
    /// The red and black lists (红黑榜) of a period.
    Redblack {
        #[arg(long)]
        period: String,
        /// How many units on each list.
        #[arg(long, default_value_t = 5)]
        n: usize,
        #[command(flatten)]
        common: Common,
    },
    /// The year-end assessment (年终考核).
    Assessment {
        #[arg(long)]
        year: i32,
        /// Also write it as a Word file.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
}

fn write(path: &PathBuf, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    println!("已写入 {}", path.display());
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(v).map_err(|e| e.to_string())?
    );
    Ok(())
}

pub fn run(args: &Args) -> ExitCode {
    run_async("report", async {
        let common = match &args.what {
            What::Bulletin { common, .. }
            | What::Redblack { common, .. }
            | What::Assessment { common, .. } => common,
        };
        let (cfg, store) = open_store(&common.config).await?;
        let today = today(&cfg);
        let cal = store.calendar().await.map_err(|e| e.to_string())?;
        let started = Instant::now();
        match &args.what {
            What::Bulletin {
                period,
                leader,
                out,
                number,
                issuer,
                overdue,
                ..
            } => {
                let period = Period::parse(period)?;
                let as_of = common
                    .as_of
                    .unwrap_or_else(|| report::default_as_of(&period, today));
                let (units, scope) = match leader {
                    None => (None, None),
                    Some(login) => {
                        let (u, _) = store
                            .user_by_login(login)
                            .await
                            .map_err(|e| e.to_string())?
                            .ok_or_else(|| format!("没有登录名为 {login} 的用户"))?;
                        if u.role != Role::Leader {
                            return Err(format!("{login} 不是分管领导"));
                        }
                        let units = store.leader_units(u.id).await.map_err(|e| e.to_string())?;
                        (Some(units), Some(u.name))
                    }
                };
                let q = report::BulletinQuery {
                    period,
                    as_of,
                    units,
                    scope,
                    overdue_limit: *overdue,
                };
                let b = report::bulletin(&store, &q, &cal)
                    .await
                    .map_err(|e| e.to_string())?;
                eprintln!("通报用时 {:.3} 秒", started.elapsed().as_secs_f64());
                if let Some(out) = out {
                    let mut head = Letterhead {
                        number: number.clone(),
                        ..Letterhead::default()
                    };
                    if let Some(i) = issuer {
                        head.issuer = i.clone();
                    }
                    write(out, &report::docx::bulletin_bytes(&b, &head))?;
                }
                if common.json {
                    json(&b)?;
                } else if out.is_none() {
                    print_bulletin(&b);
                }
            }
            What::Redblack { period, n, .. } => {
                let period = Period::parse(period)?;
                let as_of = common
                    .as_of
                    .unwrap_or_else(|| report::default_as_of(&period, today));
                let r = report::redblack(&store, &period, as_of, (*n).max(1), None, &cal)
                    .await
                    .map_err(|e| e.to_string())?;
                eprintln!("红黑榜用时 {:.3} 秒", started.elapsed().as_secs_f64());
                if common.json {
                    json(&r)?;
                } else {
                    println!("{}红黑榜（截至{}）", r.period.label, r.as_of);
                    for (title, list) in [("红榜", &r.red), ("黑榜", &r.black)] {
                        println!("{title}：");
                        for a in list {
                            println!("  {:>3}  {:<20} {:>7.2}", a.rank, a.unit_name, a.total);
                        }
                    }
                    for note in &r.notes {
                        println!("{note}。");
                    }
                    if !r.unassessed.is_empty() {
                        println!("无考核事项、不参加排名的单位 {} 个", r.unassessed.len());
                    }
                }
            }
            What::Assessment { year, out, .. } => {
                let period = Period::year(*year).ok_or_else(|| format!("年份 {year} 无效"))?;
                let as_of = common
                    .as_of
                    .unwrap_or_else(|| report::default_as_of(&period, today));
                let a = report::assessment(&store, *year, as_of, None, &cal)
                    .await
                    .map_err(|e| e.to_string())?;
                eprintln!("考核用时 {:.3} 秒", started.elapsed().as_secs_f64());
                if let Some(out) = out {
                    write(
                        out,
                        &report::docx::assessment_bytes(&a, &Letterhead::default()),
                    )?;
                }
                if common.json {
                    json(&a)?;
                } else {
                    println!(
                        "{}年度考核（截至{}，{}个单位）",
                        a.year, a.as_of, a.graded_units
                    );
                    for u in &a.units {
                        println!(
                            "{:>3}  {:<20} {:>7.2}  {}",
                            u.rank, u.unit_name, u.total, u.grade
                        );
                        for l in &u.lines {
                            println!("       {}：{}", l.indicator, l.why);
                        }
                    }
                }
            }
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn print_bulletin(b: &report::Bulletin) {
    println!(
        "{}（截至{}年{}月{}日）",
        b.title,
        b.as_of.year(),
        b.as_of.month(),
        b.as_of.day()
    );
    let t = &b.total;
    println!(
        "交办事项 {} 项，任务 {} 项；按时签收率 {}，按时反馈率 {}，按时办结率 {}；逾期 {}，退回 {} 次，延期 {}",
        b.matters,
        t.assigned,
        t.sign_for.percent(),
        t.report.percent(),
        t.close.percent(),
        t.overdue,
        t.returns,
        t.extended
    );
    for u in b.units.iter().filter(|u| u.assigned > 0) {
        println!(
            "  {:<20} 交办 {:>5}  签收 {:>6}  反馈 {:>6}  办结 {:>6}  逾期 {:>4}",
            u.unit_name,
            u.assigned,
            u.sign_for.percent(),
            u.report.percent(),
            u.close.percent(),
            u.overdue
        );
    }
    let names = |l: &[report::Named]| {
        l.iter()
            .map(|n| n.unit_name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    println!("表扬：{}", names(&b.commended));
    println!("批评：{}", names(&b.criticised));
    println!("逾期 {} 项（列出 {} 项）", b.overdue_total, b.overdue.len());
}
