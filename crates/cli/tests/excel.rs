//! `duban import tasks|projects` and `duban export ledger` as an office
//! runs them: the real binary on a SQLite database and real .xlsx files.
//! A refused file exits non-zero with the per-row report and writes
//! nothing; a dry run writes nothing; the ledger reads back.

use chrono::{Datelike, Duration, Utc};
use duban_domain::org::{Level, UnitKind};
use duban_office::xlsx::{self, Cell, SheetSpec};
use duban_store::{NewUnit, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn duban(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(args)
        .env("DUBAN_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env_remove("DUBAN_CONFIG")
        .output()
        .expect("the duban binary runs")
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duban-cli-{}-excel", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn task_list(path: &Path, second_lead: &str) {
    let y = (Utc::now() + Duration::hours(8)).year() + 1;
    let t = |s: &str| Cell::text(s);
    let sheet = SheetSpec {
        name: "任务".into(),
        rows: vec![
            vec![
                t("序号"),
                t("任务内容"),
                t("牵头单位"),
                t("配合单位"),
                t("完成时限"),
            ],
            vec![
                Cell::Number(1.0),
                t("推进充电桩建设"),
                t("区发改局"),
                t("区财政局"),
                t(&format!("{y}年6月底前")),
            ],
            vec![
                Cell::Number(2.0),
                t("老旧小区改造"),
                t(second_lead),
                Cell::Empty,
                t("长期坚持"),
            ],
        ],
        ..Default::default()
    };
    std::fs::write(path, xlsx::write(&[sheet]).unwrap()).unwrap();
}

#[tokio::test]
async fn import_and_export_from_the_command_line() {
    let dir = scratch();
    let db = dir.join("duban.db");
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    for (name, alias) in [("区发展和改革局", "区发改局"), ("区财政局", "财政局")]
    {
        let unit = NewUnit {
            name: name.into(),
            aliases: vec![alias.into()],
            parent: None,
            level: Level::County,
            kind: UnitKind::Department,
        };
        store.create_unit(None, unit).await.unwrap();
    }
    let count = || async { store.matters(None, 1000, 0).await.unwrap().len() };

    // An unknown unit: non-zero, the row and its candidates printed, nothing written.
    let bad = dir.join("bad.xlsx");
    task_list(&bad, "区发展改革局");
    let out = duban(&db, &["import", "tasks", bad.to_str().unwrap()]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("第3行  不能导入"), "{said}");
    assert!(said.contains("是否指：区发展和改革局"), "{said}");
    assert!(said.contains("未导入"), "{said}");
    assert_eq!(count().await, 0);

    // A dry run of the good file, then the import.
    let good = dir.join("good.xlsx");
    task_list(&good, "区发改局");
    let out = duban(
        &db,
        &["import", "tasks", good.to_str().unwrap(), "--dry-run"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("检查通过，可导入 2 项"),
        "{}",
        text(&out)
    );
    assert_eq!(count().await, 0);
    let out = duban(
        &db,
        &[
            "import",
            "tasks",
            good.to_str().unwrap(),
            "--type",
            "重大",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["written"], true);
    assert_eq!(report["rows"][1]["matter_type"], "持续推进事项");
    assert_eq!(count().await, 2);

    // The ledger: all rows, then one unit's.
    let all = dir.join("ledger.xlsx");
    let out = duban(&db, &["export", "ledger", "--out", all.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("2 个事项，3 行"), "{}", text(&out));
    let sheets = xlsx::read(&std::fs::read(&all).unwrap()).unwrap();
    assert_eq!(sheets[0].height(), 2 + 3);
    let one = dir.join("one.xlsx");
    let out = duban(
        &db,
        &[
            "export",
            "ledger",
            "--out",
            one.to_str().unwrap(),
            "--unit",
            "财政局",
            "--status",
            "open",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let sheets = xlsx::read(&std::fs::read(&one).unwrap()).unwrap();
    assert_eq!(sheets[0].height(), 2 + 1);
    assert_eq!(sheets[0].raw(2, 5).text(), "区财政局");
    let out = duban(
        &db,
        &[
            "export",
            "ledger",
            "--out",
            one.to_str().unwrap(),
            "--unit",
            "区财政",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("是否指：区财政局"), "{}", text(&out));
    store.close().await;
}
