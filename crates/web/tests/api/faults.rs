//! Writes under faults: the SQLite database on a small tmpfs mounted by
//! the test (as root; skipped with a note where mounting is refused), a
//! stream of reports with files until the disk is full, then space freed.
//! Every 200 is in the database, after a restart too; every refusal says
//! 磁盘空间不足; writes succeed again without a restart; the chain and the
//! digests verify.

use crate::helpers::{json, TestApp};
use crate::matters::{now, stored_matter, World};
use duban_domain::matter::MatterType;
use duban_store::Store;
use reqwest::StatusCode;
use serde_json::json;
use std::process::Command;

/// A tmpfs of `mb` megabytes at a fresh directory, unmounted on drop.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(mb: u32) -> Option<Tmpfs> {
        let dir = std::env::temp_dir().join(format!("duban-full-{}-{mb}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: a failed run may still hold the database open.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Bytes that do not compress.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[tokio::test]
async fn a_full_disk_refuses_writes_in_words_and_loses_none() {
    let Some(fs) = Tmpfs::mount(6) else {
        eprintln!("skipping the disk-full test: cannot mount a tmpfs here (run as root)");
        return;
    };
    let db = fs.0.join("duban.db");
    let url = format!("sqlite://{}", db.display());
    fill_and_recover(&url, &fs.0, Ballast::Bytes(1024 * 1024)).await;
}

/// How much of the small disk to fill before the stream of reports.
enum Ballast {
    Bytes(usize),
    /// All but this many bytes of what is free.
    AllBut(usize),
}

/// Bytes free on the file system of `dir`.
fn available(dir: &std::path::Path) -> usize {
    let out = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(dir)
        .output()
        .expect("df runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .expect("df gives a number")
}

/// A server on the database at `url`, whose files are on the small disk
/// at `dir`: reports with files until the disk is full, then space freed;
/// every acknowledged report kept, every refusal in words, the chain whole.
async fn fill_and_recover(url: &str, dir: &std::path::Path, ballast_size: Ballast) {
    use base64::Engine as _;
    let url = url.to_string();
    let app = TestApp::spawn(&url).await;
    let w = World::new(&app).await;
    let m = stored_matter(
        &app.store,
        "更换破损井盖",
        MatterType::ordinary(),
        vec![w.a],
        vec![],
        None,
        now() - chrono::Duration::minutes(1),
    )
    .await;
    let track = m.tracks[0].track.id;
    let path = format!("/api/v1/tracks/{track}/actions");
    let liaison = w.s("liaison_a");
    let (status, _) = json(
        liaison
            .post(&path, &json!({ "version": 1, "action": "sign_for" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Ballast, freed later to make room again.
    let ballast = dir.join("ballast");
    let size = match ballast_size {
        Ballast::Bytes(n) => n,
        Ballast::AllBut(left) => available(dir).saturating_sub(left),
    };
    std::fs::write(&ballast, noise(size, 7)).unwrap();

    let mut version = 2;
    let (mut taken, mut refused) = (Vec::new(), 0);
    for i in 0..60 {
        let text = format!("第{i}次反馈");
        let b64 = base64::engine::general_purpose::STANDARD.encode(noise(200 * 1024, i));
        let resp = liaison
            .post(
                &path,
                &json!({ "version": version, "action": "report", "text": text,
                         "files": [{ "name": format!("照片{i}.jpg"), "mime": "image/jpeg", "base64": b64 }] }),
            )
            .await;
        let (status, body) = json(resp).await;
        match status {
            StatusCode::OK => {
                taken.push(text);
                version += 1;
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                let msg = body["error"].as_str().unwrap_or_default();
                assert!(msg.contains("磁盘空间不足，本次提交未保存"), "{body}");
                refused += 1;
            }
            other => panic!("report {i}: {other} {body}"),
        }
    }
    assert!(refused > 0, "the disk never filled ({} taken)", taken.len());
    assert!(!taken.is_empty());

    // Space returns: writes succeed again, no restart.
    std::fs::remove_file(&ballast).unwrap();
    let (status, body) = json(
        liaison
            .post(
                &path,
                &json!({ "version": version, "action": "report", "text": "空间恢复后的反馈" }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    taken.push("空间恢复后的反馈".into());

    let stored: Vec<String> = app
        .store
        .report_entries(track)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.body)
        .collect();
    assert_eq!(stored, taken, "every acknowledged report, and only those");
    app.stop().await;

    // After a restart: all there, the chain and the digests whole.
    let store = Store::open(&url).await.unwrap();
    let stored: Vec<String> = store
        .report_entries(track)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.body)
        .collect();
    assert_eq!(stored, taken);
    assert!(store.verify_events().await.unwrap().is_ok());
    assert_eq!(store.verify_contents().await.unwrap(), Vec::<String>::new());
    store.close().await;
}

#[tokio::test]
async fn a_full_disk_under_postgresql_refuses_writes_in_words_and_loses_none() {
    if std::env::var("DUBAN_TEST_POSTGRES").is_err() {
        return;
    }
    // The cluster itself is on another disk; only this database's
    // tablespace is on the small one, so PostgreSQL keeps running.
    let Some(fs) = Tmpfs::mount(48) else {
        eprintln!(
            "skipping the PostgreSQL disk-full test: cannot mount a tmpfs here (run as root)"
        );
        return;
    };
    let owned = Command::new("chown")
        .args(["postgres:postgres"])
        .arg(&fs.0)
        .status()
        .is_ok_and(|s| s.success());
    if !owned {
        eprintln!(
            "skipping the PostgreSQL disk-full test: cannot give the tmpfs to the postgres user"
        );
        return;
    }
    let made = duban_store::testing::fresh_pg_database_in("pg_full", &fs.0).await;
    let (url, ts) = match made {
        Some(Ok(made)) => made,
        Some(Err(e)) => {
            eprintln!("skipping the PostgreSQL disk-full test: no tablespace on the tmpfs ({e})");
            return;
        }
        None => return,
    };
    fill_and_recover(&url, &fs.0, Ballast::AllBut(3 * 1024 * 1024)).await;
    duban_store::testing::drop_pg_tablespace(&url, &ts).await;
}
