//! `duban bench extract`: the reader's single-thread throughput over the
//! sample gazettes repeated to a given size; `duban bench formats`: the
//! document readers' ([`formats`]). The figures go into BENCHMARKS.md.

#[path = "bench_formats.rs"]
mod formats;
#[path = "bench_search.rs"]
mod search;

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
    /// Requests per second and latency of the API of a running server.
    Api(api::Args),
    /// Pages per second (PDF, OFD) and MB per second (Word) of the document readers.
    Formats(formats::Args),
    /// Full-text index build time and size, and search latency with several clients.
    Search(search::Args),
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
        What::Api(a) => api::run(a),
        What::Formats(a) => formats::run(a),
        What::Search(a) => search::run(a),
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

/// `duban bench api`: requests per second and latency of the main read and
/// write endpoints of a running server, from concurrent clients on this
/// machine.
pub mod api {
    use serde_json::{json, Value};
    use std::time::{Duration, Instant};

    #[derive(clap::Args)]
    pub struct Args {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// An office login (reads the board and matters).
        #[arg(long, default_value = "admin")]
        office: String,
        /// Unit logins for the write test (report on their open tracks),
        /// e.g. gen1,gen2,gen3,gen4.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "gen1,gen2,gen3,gen4,gen5,gen6,gen7,gen8"
        )]
        units: Vec<String>,
        #[arg(long, default_value = "duban2026")]
        password: String,
        /// Concurrent clients per test.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Seconds per test.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Time the web pages (board, matter, dashboard) instead of the API,
        /// and skip the writes.
        #[arg(long)]
        pages: bool,
    }

    struct Client {
        http: reqwest::Client,
        csrf: String,
        base: String,
    }

    async fn login(base: &str, login: &str, password: &str) -> Result<Client, String> {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .map_err(|e| e.to_string())?;
        let r = http
            .post(format!("{base}/api/v1/session"))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .map_err(|e| format!("{base}: {e}"))?;
        if !r.status().is_success() {
            return Err(format!("无法以 {login} 登录：{}", r.status()));
        }
        let v: Value = r.json().await.map_err(|e| e.to_string())?;
        Ok(Client {
            http,
            csrf: v["csrf"].as_str().unwrap_or_default().to_string(),
            base: base.to_string(),
        })
    }

    /// Latencies of one test, and how many requests failed.
    struct Run {
        name: &'static str,
        latencies: Vec<Duration>,
        errors: usize,
        elapsed: Duration,
    }

    impl Run {
        fn line(&mut self) -> String {
            self.latencies.sort();
            let n = self.latencies.len();
            let pct = |p: f64| {
                self.latencies
                    .get(((n as f64 * p) as usize).min(n.saturating_sub(1)))
                    .copied()
                    .unwrap_or_default()
            };
            format!(
                "{:<34} {:>8.0} 次/秒  p50 {:>7.1} ms  p99 {:>7.1} ms  （{} 次，失败 {}）",
                self.name,
                n as f64 / self.elapsed.as_secs_f64(),
                pct(0.50).as_secs_f64() * 1e3,
                pct(0.99).as_secs_f64() * 1e3,
                n,
                self.errors
            )
        }
    }

    pub fn run(args: &Args) -> std::process::ExitCode {
        crate::common::runtime().block_on(async move {
            match bench(args).await {
                Ok(lines) => {
                    for l in lines {
                        println!("{l}");
                    }
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("duban bench api: {e}");
                    std::process::ExitCode::FAILURE
                }
            }
        })
    }

    async fn bench(args: &Args) -> Result<Vec<String>, String> {
        let office = std::sync::Arc::new(login(&args.url, &args.office, &args.password).await?);
        let board: Value = office
            .http
            .get(format!("{}/api/v1/matters?limit=1", args.url))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let total = board["total"].as_i64().unwrap_or(0).max(1);
        let dur = Duration::from_secs(args.seconds);
        let mut out = vec![format!(
            "服务器 {}，{} 项事项，每项测试 {} 个并发、{} 秒",
            args.url, total, args.concurrency, args.seconds
        )];

        // Reads.
        let reads: &[(&str, u8)] = if args.pages {
            &[
                ("GET /board（督办事项页）", 3u8),
                ("GET /matters/{id}（事项页）", 4),
                ("GET /dashboard（工作台）", 5),
                ("GET /board?unit=…（一个单位的事项）", 6),
            ]
        } else {
            &[
                ("GET /api/v1/matters（看板第一页）", 0u8),
                ("GET /api/v1/matters?offset=…（翻页）", 1),
                ("GET /api/v1/matters/{id}（事项详情）", 2),
            ]
        };
        for &(name, kind) in reads {
            let mut handles = Vec::new();
            let start = Instant::now();
            for w in 0..args.concurrency {
                let c = office.clone();
                handles.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    let mut errors = 0;
                    let mut i: i64 = w as i64 * 7919;
                    while start.elapsed() < dur {
                        i = (i * 1_103_515_245 + 12_345).rem_euclid(1 << 31);
                        let path = match kind {
                            0 => "/api/v1/matters?limit=50".to_string(),
                            1 => format!(
                                "/api/v1/matters?limit=50&offset={}",
                                (i % total).max(0) / 50 * 50
                            ),
                            2 => format!("/api/v1/matters/{}", 1 + i % total),
                            3 => "/board".to_string(),
                            4 => format!("/matters/{}", 1 + i % total),
                            5 => "/dashboard".to_string(),
                            // The office may not open a unit's to-do page;
                            // one unit's board is the same query.
                            _ => format!("/board?unit={}", 1 + i % 50),
                        };
                        let t = Instant::now();
                        match c.http.get(format!("{}{path}", c.base)).send().await {
                            Ok(r) if r.status().is_success() => {
                                let _ = r.bytes().await;
                                lat.push(t.elapsed());
                            }
                            _ => errors += 1,
                        }
                    }
                    (lat, errors)
                }));
            }
            let mut run = Run {
                name,
                latencies: Vec::new(),
                errors: 0,
                elapsed: Duration::ZERO,
            };
            for h in handles {
                let (l, e) = h.await.map_err(|e| e.to_string())?;
                run.latencies.extend(l);
                run.errors += e;
            }
            run.elapsed = start.elapsed();
            out.push(run.line());
        }

        if args.pages {
            return Ok(out);
        }
        // Writes: each unit client reports on its own open tracks.
        let mut handles = Vec::new();
        let start = Instant::now();
        for login_name in args.units.iter().take(args.concurrency) {
            let c = login(&args.url, login_name, &args.password).await?;
            handles.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0;
                let list: Value = match c.http.get(format!("{}/api/v1/tracks?limit=200", c.base)).send().await {
                    Ok(r) => r.json().await.unwrap_or(Value::Null),
                    Err(_) => return (lat, 1),
                };
                let mut tracks: Vec<(i64, i64)> = list["tracks"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter(|t| matches!(t["state"].as_str(), Some("signed_for" | "returned")))
                            .filter_map(|t| Some((t["id"].as_i64()?, t["version"].as_i64()?)))
                            .collect()
                    })
                    .unwrap_or_default();
                if tracks.is_empty() {
                    return (lat, 1);
                }
                let mut k = 0;
                while start.elapsed() < dur {
                    let (id, version) = tracks[k % tracks.len()];
                    let t = Instant::now();
                    let r = c
                        .http
                        .post(format!("{}/api/v1/tracks/{id}/actions", c.base))
                        .header("x-csrf-token", &c.csrf)
                        .json(&json!({ "version": version, "action": "report", "text": "压力测试：阶段进展" }))
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status().is_success() => {
                            let v: Value = r.json().await.unwrap_or(Value::Null);
                            lat.push(t.elapsed());
                            let i = k % tracks.len();
                            tracks[i].1 = v["track"]["version"].as_i64().unwrap_or(version + 1);
                        }
                        // A track the rules refuse (a limit in a year the
                        // calendar lacks) is left out, not counted.
                        Ok(r) if r.status() == reqwest::StatusCode::UNPROCESSABLE_ENTITY => {
                            tracks.remove(k % tracks.len());
                            if tracks.is_empty() {
                                break;
                            }
                        }
                        Ok(r) => {
                            if errors == 0 {
                                let status = r.status();
                                eprintln!("  {status}: {}", r.text().await.unwrap_or_default().chars().take(200).collect::<String>());
                            }
                            errors += 1;
                        }
                        Err(e) => {
                            if errors == 0 {
                                eprintln!("  {e}");
                            }
                            errors += 1;
                        }
                    }
                    k += 1;
                }
                (lat, errors)
            }));
        }
        let mut run = Run {
            name: "POST /api/v1/tracks/{id}/actions（反馈）",
            latencies: Vec::new(),
            errors: 0,
            elapsed: Duration::ZERO,
        };
        for h in handles {
            let (l, e) = h.await.map_err(|e| e.to_string())?;
            run.latencies.extend(l);
            run.errors += e;
        }
        run.elapsed = start.elapsed();
        out.push(run.line());
        Ok(out)
    }
}
