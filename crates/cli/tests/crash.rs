//! Crash safety: `duban serve` killed with SIGKILL in the middle of a stream
//! of writes loses none it acknowledged, and its event log still verifies.
//! Runs on every backend under test.

use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use duban_store::{NewUser, Store};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_duban");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

fn start(url: &str, port: u16) -> Child {
    Command::new(BIN)
        .arg("serve")
        .env("DUBAN_DATABASE_URL", url)
        .env("DUBAN_LISTEN", format!("127.0.0.1:{port}"))
        .env("DUBAN_SWEEP_INTERVAL_SECS", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("duban serve starts")
}

async fn wait_healthy(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let c = reqwest::Client::new();
    while Instant::now() < deadline {
        if let Ok(r) = c.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not come up at {base}");
}

async fn login(base: &str) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let r: serde_json::Value = c
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "login": "admin", "password": "crash-test-pw" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (c, r["csrf"].as_str().expect("logged in").to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_server_keeps_every_acknowledged_write() {
    for url in fresh_databases("crash").await {
        let store = Store::open(&url).await.unwrap();
        store
            .create_user(
                None,
                NewUser {
                    login: "admin".into(),
                    name: "管理员".into(),
                    role: Role::Admin,
                    unit_id: None,
                    email: None,
                    password_hash: duban_web::auth::hash_password("crash-test-pw"),
                },
            )
            .await
            .unwrap();
        store.close().await;

        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = start(&url, port);
        wait_healthy(&base).await;
        let (client, csrf) = login(&base).await;

        // Four writers create units until the server dies under them.
        let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let mut writers = Vec::new();
        for w in 0..4 {
            let (client, csrf, base, acked) =
                (client.clone(), csrf.clone(), base.clone(), acked.clone());
            writers.push(tokio::spawn(async move {
                for i in 0..10_000 {
                    let name = format!("测试单位{w}号{i}");
                    let r = client
                        .post(format!("{base}/api/v1/units"))
                        .header("x-csrf-token", &csrf)
                        .json(&serde_json::json!({ "name": name, "level": "county", "kind": "department" }))
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status().is_success() => acked.lock().unwrap().push(name),
                        _ => return,
                    }
                }
            }));
        }
        // Kill it once a good number of writes went through.
        let deadline = Instant::now() + Duration::from_secs(60);
        while acked.lock().unwrap().len() < 60 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill().expect("SIGKILL");
        let _ = server.wait();
        for w in writers {
            let _ = w.await;
        }
        let acked = acked.lock().unwrap().clone();
        assert!(
            acked.len() >= 60,
            "only {} writes before the kill",
            acked.len()
        );

        // Restart: everything acknowledged is there, and the chain holds.
        let mut server = start(&url, port);
        wait_healthy(&base).await;
        let (client, _) = login(&base).await;
        let units: serde_json::Value = client
            .get(format!("{base}/api/v1/units"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let names: std::collections::HashSet<&str> = units["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|u| u["name"].as_str())
            .collect();
        let lost: Vec<&String> = acked
            .iter()
            .filter(|n| !names.contains(n.as_str()))
            .collect();
        assert!(
            lost.is_empty(),
            "acknowledged but lost after SIGKILL: {lost:?}"
        );
        server.kill().ok();
        let _ = server.wait();

        let verify = Command::new(BIN)
            .arg("verify")
            .env("DUBAN_DATABASE_URL", &url)
            .output()
            .expect("verify runs");
        let out = String::from_utf8_lossy(&verify.stdout);
        assert!(verify.status.success(), "verify failed: {out}");
        assert!(out.contains("哈希链连续"), "{out}");
    }
}
