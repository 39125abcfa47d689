//! `duban reindex` (rebuild the full-text index from the database) and
//! `duban search QUERY` (search it as the office, from the terminal).

use crate::common::{open_store, run_async, ConfigArg};
use duban_domain::archive::Status;
use duban_domain::clock::LocalTime;
use duban_search::{Query, Search, Viewer};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// What to search for: a unit name, a 发文字号, words (all must occur).
    query: String,
    /// Only one kind: document, matter, report, appeal.
    #[arg(long)]
    kind: Option<String>,
    /// Only matters and reports of this unit (its id).
    #[arg(long)]
    unit: Option<i64>,
    /// Only documents of this issuer (full name).
    #[arg(long)]
    issuer: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    from: Option<chrono::NaiveDate>,
    /// Up to this day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    to: Option<chrono::NaiveDate>,
    /// Only this state (open, closed, withdrawn; pending, accepted, rejected).
    #[arg(long)]
    state: Option<String>,
    /// Only documents of this standing today: 有效, 已修改, 已失效, 已废止.
    #[arg(long)]
    in_force: Option<String>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    config: ConfigArg,
}

/// The index of the configuration, explained when a server holds it.
async fn open(config: &ConfigArg) -> Result<(duban_store::Store, Arc<Search>, LocalTime), String> {
    let (cfg, store) = open_store(config).await?;
    let dir = cfg.search_path();
    let s = Search::open(store.clone(), &dir).map_err(|e| {
        format!(
            "无法打开搜索索引 {}：{e:#}。若服务器正在使用该目录，请通过网页或 API 搜索，或停止服务器后再试",
            dir.display()
        )
    })?;
    Ok((store, s, cfg.clock()))
}

pub fn reindex(args: &ReindexArgs) -> ExitCode {
    run_async("reindex", async {
        let (store, s, _) = open(&args.config).await?;
        let started = std::time::Instant::now();
        let n = s
            .rebuild()
            .await
            .map_err(|e| format!("重建索引失败：{e:#}"))?;
        let size = s.size_bytes().await;
        store.close().await;
        println!(
            "搜索索引已重建（{}）：公文 {} 篇、督办事项 {} 项、反馈 {} 条、诉求 {} 件，用时 {:.1} 秒，占用 {:.1} MB",
            s.dir().display(),
            n.documents,
            n.matters,
            n.reports,
            n.appeals,
            started.elapsed().as_secs_f64(),
            size as f64 / 1e6
        );
        Ok(ExitCode::SUCCESS)
    })
}

fn day(d: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(d.year()) * 10000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

pub fn search(args: &SearchArgs) -> ExitCode {
    run_async("search", async {
        if let Some(k) = &args.kind {
            if !duban_search::KINDS.iter().any(|(c, _)| c == k) {
                return Err(format!(
                    "--kind “{k}” 无法识别；可选：document、matter、report、appeal"
                ));
            }
        }
        let in_force = match args.in_force.as_deref() {
            None => None,
            Some(v) => Some(
                [
                    Status::InForce,
                    Status::Amended,
                    Status::Expired,
                    Status::Repealed,
                ]
                .into_iter()
                .find(|s| s.label() == v)
                .ok_or_else(|| {
                    format!("--in-force “{v}” 无法识别；可选：有效、已修改、已失效、已废止")
                })?,
            ),
        };
        let (store, s, clock) = open(&args.config).await?;
        if s.rebuilding() {
            s.rebuild()
                .await
                .map_err(|e| format!("建立索引失败：{e:#}"))?;
        } else {
            s.catch_up()
                .await
                .map_err(|e| format!("更新索引失败：{e:#}"))?;
        }
        store.close().await;
        let q = Query {
            text: args.query.clone(),
            kind: args.kind.clone(),
            issuer: args.issuer.clone(),
            unit: args.unit,
            from: args.from.map(day),
            to: args.to.map(day),
            state: args.state.clone(),
            in_force,
            today: day(clock.today(chrono::Utc::now())),
            limit: args.limit,
            offset: 0,
            window: 0,
        };
        let r = s
            .query(&q, &Viewer::Office)
            .map_err(|e| format!("搜索失败：{e:#}"))?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&r).map_err(|e| e.to_string())?
            );
            return Ok(ExitCode::SUCCESS);
        }
        if r.capped {
            println!(
                "超过 {} 条结果，以下为其中最相关的；可加上类别、日期等条件缩小范围",
                r.total
            );
        } else {
            println!("共 {} 条结果", r.total);
        }
        for h in &r.hits {
            let label = duban_search::KINDS
                .iter()
                .find(|(k, _)| *k == h.kind)
                .map_or("", |(_, l)| l);
            let at = match (h.kind.as_str(), h.line, h.matter_id) {
                ("document", Some(l), _) => format!("第 {l} 行"),
                ("report", _, Some(m)) => format!("事项 {m}"),
                _ => String::new(),
            };
            println!(
                "\n[{label} {}] {} {}",
                h.id,
                h.title,
                h.number.as_deref().unwrap_or("")
            );
            if let Some(st) = &h.in_force {
                println!("  {st}");
            }
            let snippet: String = h
                .snippet
                .iter()
                .map(|p| {
                    if p.hit {
                        format!("【{}】", p.text)
                    } else {
                        p.text.clone()
                    }
                })
                .collect();
            println!("  {snippet}");
            if !at.is_empty() {
                println!("  {at}");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
