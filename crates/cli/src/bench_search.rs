//! `duban bench search`: the full-text index over the configured database —
//! how long a rebuild takes, how big the index is, and search latency with
//! several clients at once (in process, on the library: no HTTP). With
//! `--documents N`, N synthetic documents (runs of the sample gazettes'
//! lines, each with its own 发文字号) are stored first, since `duban
//! generate` makes matters but no documents.

use crate::common::{open_store, run_async, ConfigArg};
use duban_search::{Query, Search, Viewer};
use duban_store::{NewDocument, NewSource};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Synthetic documents to store before the rebuild (0: none).
    #[arg(long, default_value_t = 0)]
    documents: usize,
    /// Lines per synthetic document.
    #[arg(long, default_value_t = 40)]
    lines: usize,
    /// Gazette text files, or folders of them (every `.txt` inside), whose
    /// lines make the synthetic documents.
    #[arg(long, default_values = ["samples"])]
    samples: Vec<PathBuf>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Search the index as it is (built by an earlier run or `duban
    /// reindex`) instead of rebuilding it first.
    #[arg(long)]
    keep_index: bool,
    /// Searches per client.
    #[arg(long, default_value_t = 500)]
    queries: usize,
    #[command(flatten)]
    config: ConfigArg,
}

/// Documents per stored source.
const PER_SOURCE: usize = 1000;

async fn add_documents(store: &duban_store::Store, a: &Args) -> Result<(), String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &a.samples {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}：{e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "txt"))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(p.clone());
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}：{e}", f.display()))?;
        lines.extend(
            text.lines()
                .filter(|l| l.trim().chars().count() > 8)
                .map(str::to_string),
        );
    }
    if lines.len() < a.lines {
        return Err("样本文件的行数不够".into());
    }
    let started = Instant::now();
    let mut made = 0;
    while made < a.documents {
        let n = PER_SOURCE.min(a.documents - made);
        let mut text = String::new();
        let mut docs = Vec::with_capacity(n);
        let mut line_no = 1u32;
        for k in 0..n {
            let i = made + k;
            let start = (i * 7919) % (lines.len() - a.lines);
            let first = line_no;
            for l in &lines[start..start + a.lines] {
                text.push_str(l);
                text.push('\n');
                line_no += 1;
            }
            docs.push(NewDocument {
                number: Some(format!("测政办发〔{}〕{}号", 2000 + i % 26, i / 26 + 1)),
                title: Some(format!(
                    "关于{}的通知（{i}）",
                    lines[start].chars().take(16).collect::<String>()
                )),
                issuer: vec![format!("测试市人民政府办公室{}", i % 50)],
                date: Some(format!(
                    "{}-{:02}-{:02}",
                    2000 + i % 26,
                    i % 12 + 1,
                    i % 28 + 1
                )),
                kind: Some("通知".into()),
                spans: vec![[first, line_no - 1]],
                proposals: vec![],
                citations: vec![],
                validity: None,
            });
        }
        store
            .ingest(
                None,
                NewSource {
                    name: format!("bench-{made}.txt"),
                    sha256: format!("bench-{made}"),
                    encoding: "utf-8".into(),
                    text,
                    warnings: serde_json::json!([]),
                },
                docs,
            )
            .await
            .map_err(|e| e.to_string())?;
        made += n;
        eprint!("\r  {made}/{} 篇公文", a.documents);
    }
    eprintln!(" ({:.0} 秒)", started.elapsed().as_secs_f64());
    Ok(())
}

pub fn run(a: &Args) -> ExitCode {
    run_async("bench search", async {
        let (cfg, store) = open_store(&a.config).await?;
        if a.documents > 0 {
            add_documents(&store, a).await?;
        }
        let search =
            Search::open(store.clone(), &cfg.search_path()).map_err(|e| format!("{e:#}"))?;
        let started = Instant::now();
        let n = if a.keep_index && !search.rebuilding() {
            duban_search::Counts::default()
        } else {
            search.rebuild().await.map_err(|e| format!("{e:#}"))?
        };
        let build = started.elapsed();
        let size = search.size_bytes().await;
        let segments = search.segments().await;
        let units: Vec<i64> = store
            .units()
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .map(|u| u.id)
            .collect();
        let names: Vec<String> = store
            .units()
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|u| u.name)
            .take(20)
            .collect();
        store.close().await;
        println!(
            "索引：公文 {} 篇、事项 {} 项、反馈 {} 条、诉求 {} 件；重建 {:.1} 秒；{:.1} MB，{segments} 个段",
            n.documents,
            n.matters,
            n.reports,
            n.appeals,
            build.as_secs_f64(),
            size as f64 / 1e6
        );
        let mut texts: Vec<String> = [
            "营商环境",
            "充电桩",
            "河道",
            "数字经济",
            "人居环境",
            "安全生产",
            "海绵城市",
            "乡村振兴",
            "〔2020〕5号",
            "测政办发〔2024〕17号",
            "优化营商环境",
            "高标准农田",
            "招商引资 项目",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend(names);
        let texts = Arc::new(texts);
        let units = Arc::new(units);
        let wall = Instant::now();
        let mut handles = Vec::new();
        for c in 0..a.clients.max(1) {
            let (search, texts, units) = (search.clone(), texts.clone(), units.clone());
            let per = a.queries;
            handles.push(std::thread::spawn(move || {
                let mut times: Vec<(usize, Duration)> = Vec::with_capacity(per);
                let mut found = 0usize;
                for i in 0..per {
                    let k = c * 7 + i;
                    let which = k % texts.len();
                    let q = Query {
                        text: texts[which].clone(),
                        limit: 20,
                        ..Query::default()
                    };
                    // Half the searches as the office, half as a unit.
                    let v = if k % 2 == 0 || units.is_empty() {
                        Viewer::Office
                    } else {
                        Viewer::Units(vec![units[k % units.len()]])
                    };
                    let t = Instant::now();
                    let r = search.query(&q, &v).expect("search");
                    times.push((which, t.elapsed()));
                    found += r.hits.len();
                }
                (times, found)
            }));
        }
        let mut timed: Vec<(usize, Duration)> = Vec::new();
        let mut found = 0;
        for h in handles {
            let (t, f) = h.join().map_err(|_| "a client failed".to_string())?;
            timed.extend(t);
            found += f;
        }
        let mut all: Vec<Duration> = timed.iter().map(|(_, d)| *d).collect();
        let secs = wall.elapsed().as_secs_f64();
        all.sort();
        let pct =
            |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)].as_secs_f64() * 1e3;
        println!(
            "搜索：{} 个并发客户端共 {} 次，{:.0} 次/秒；p50 {:.2} ms，p99 {:.2} ms，最慢 {:.2} ms；平均每次 {:.1} 条结果",
            a.clients,
            all.len(),
            all.len() as f64 / secs,
            pct(0.50),
            pct(0.99),
            all.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
            found as f64 / all.len().max(1) as f64
        );
        // Which searches cost most: each text's median, slowest first.
        let mut by_text: Vec<(f64, &str)> = (0..texts.len())
            .filter_map(|i| {
                let mut t: Vec<Duration> = timed
                    .iter()
                    .filter(|(w, _)| *w == i)
                    .map(|(_, d)| *d)
                    .collect();
                t.sort();
                let mid = t.get(t.len() / 2)?;
                Some((mid.as_secs_f64() * 1e3, texts[i].as_str()))
            })
            .collect();
        by_text.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, text) in by_text.iter().take(8) {
            println!("  {text}：中位 {ms:.2} ms");
        }
        Ok(ExitCode::SUCCESS)
    })
}
