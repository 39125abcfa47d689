//! The API: imports all or nothing, and the ledger read back by openpyxl.

use super::*;
use crate::matters::stored_matter;
use duban_domain::matter::MatterType;
use duban_domain::workflow::Action;
use std::collections::BTreeSet;

/// The workbook as Python's openpyxl reads it: rows as values (dates in ISO
/// form), frozen panes, filter range, whether the header is bold and the
/// first data row's 完成时限 is a date. `None` (skipped, with a message)
/// when Python or openpyxl is missing, unless `DUBAN_REQUIRE_PYTHON=1`.
fn openpyxl(path: &std::path::Path) -> Option<Value> {
    const SCRIPT: &str = r#"
import json, sys
try:
    import openpyxl
except ImportError:
    print("NO_OPENPYXL")
    sys.exit(3)
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
iso = lambda v: v.isoformat() if hasattr(v, "isoformat") else v
print(json.dumps({
    "sheet": ws.title,
    "freeze": ws.freeze_panes,
    "filter": ws.auto_filter.ref,
    "bold": bool(ws.cell(2, 1).font.b),
    "deadline_is_date": ws.cell(3, 8).is_date if ws.max_row >= 3 else None,
    "rows": [[iso(c) for c in r] for r in ws.iter_rows(values_only=True)],
}, ensure_ascii=False))
"#;
    let required = std::env::var("DUBAN_REQUIRE_PYTHON").is_ok_and(|v| v == "1");
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(path)
        .output();
    let missing = match &out {
        Err(e) => Some(format!("python3 cannot run: {e}")),
        Ok(o) if o.status.code() == Some(3) => {
            Some("python3 has no openpyxl (pip install openpyxl)".to_string())
        }
        Ok(o) if !o.status.success() => panic!(
            "openpyxl could not read {}: {}",
            path.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Ok(_) => None,
    };
    if let Some(why) = missing {
        assert!(!required, "DUBAN_REQUIRE_PYTHON=1 but {why}");
        eprintln!("skipping the openpyxl check: {why}");
        return None;
    }
    Some(serde_json::from_slice(&out.unwrap().stdout).expect("the script prints JSON"))
}

/// Downloads the ledger as `who` and reads it with openpyxl.
async fn ledger(s: &Session, dir: &std::path::Path, name: &str) -> Option<Value> {
    let resp = s.get("/api/v1/ledger.xlsx").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], XLSX);
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = resp.bytes().await.unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    openpyxl(&path)
}

#[tokio::test]
async fn imports_write_all_or_nothing_and_the_ledger_reads_back() {
    let dir = std::env::temp_dir().join(format!("duban-excel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for url in fresh_databases("api_excel").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let office = w.s("office");
        let y = next_year();

        // An unknown unit: 422, the row and the unit it may mean are named,
        // and not one matter is written.
        let before = count(&app.store).await;
        let (status, body) = post_xlsx(
            office,
            "/api/v1/imports/tasks?name=任务.xlsx",
            task_list("区发展改革局"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("未导入"), "{body}");
        let report = &body["report"];
        assert_eq!(
            (report["written"].as_bool(), report["refused"].as_u64()),
            (Some(false), Some(1))
        );
        let bad = row(report, 5);
        assert_eq!(bad["status"], "refused");
        assert!(
            reasons(bad).contains("“区发展改革局”不在单位名录中；是否指：区发展和改革局"),
            "{bad}"
        );
        assert_eq!(row(report, 3)["status_label"], "可导入");
        assert_eq!(count(&app.store).await, before);

        // Broken rows: each refused with its reason, the merged cell with an
        // empty top refuses both its rows, the other sheets are named.
        let (status, body) = post_xlsx(
            office,
            "/api/v1/imports/tasks?name=坏表.xlsx",
            broken_list(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let report = &body["report"];
        assert_eq!(report["sheet"], "任务");
        assert_eq!(row(report, 2)["status"], "accepted");
        assert!(reasons(row(report, 3)).contains("缺少牵头单位"));
        assert!(reasons(row(report, 4)).contains("无法识别的时间“尽快”"));
        assert!(reasons(row(report, 5)).contains("缺少牵头单位"));
        assert!(reasons(row(report, 6)).contains("缺少牵头单位"));
        let notes = report["notes"].to_string();
        assert!(
            notes.contains("填表说明") && notes.contains("第二批"),
            "{notes}"
        );
        assert_eq!(count(&app.store).await, before);

        // A dry run of a good file: 200, importable, nothing written.
        let good = task_list("区财政局");
        let (status, body) =
            post_xlsx(office, "/api/v1/imports/tasks?dry_run=true", good.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["report"]["written"], false);
        assert_eq!(body["report"]["accepted"], 3);
        assert_eq!(count(&app.store).await, before);

        // The import itself: every row a matter with its units and deadline.
        let (status, body) = post_xlsx(
            office,
            "/api/v1/imports/tasks?name=任务.xlsx&type=重大",
            good.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let report = &body["report"];
        assert_eq!(report["written"], true);
        assert_eq!(count(&app.store).await, before + 3);
        let matter = |r: &Value| r["matter_id"].as_i64().unwrap();
        let m1 = app.store.matter(matter(row(report, 3))).await.unwrap();
        assert_eq!(m1.matter.deadline, Some(date(&format!("{y}-06-30"))));
        assert_eq!(m1.matter.matter_type.name, "重大事项");
        let units: Vec<(i64, &str)> = m1
            .tracks
            .iter()
            .map(|t| {
                (
                    t.track.unit_id,
                    if t.track.role == duban_domain::matter::Role::Lead {
                        "lead"
                    } else {
                        "co"
                    },
                )
            })
            .collect();
        assert_eq!(units, [(w.a, "lead"), (w.b, "co")]);
        let m2 = app.store.matter(matter(row(report, 4))).await.unwrap();
        assert_eq!(
            m2.matter.deadline,
            Some(date(&format!("{y}-09-30"))),
            "the year comes from the title"
        );
        assert_eq!(
            m2.tracks[0].track.unit_id, w.a,
            "the merged lead unit applies to row 4"
        );
        assert!(row(report, 4)["notes"]
            .to_string()
            .contains("牵头单位取自第3行的合并单元格"));
        let m3 = app.store.matter(matter(row(report, 5))).await.unwrap();
        assert_eq!(m3.matter.matter_type.name, "持续推进事项");
        assert!(row(report, 5)["notes"].to_string().contains("持续推进"));

        // The same file again is refused as already imported.
        let (status, body) = post_xlsx(office, "/api/v1/imports/tasks?name=任务.xlsx", good).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reasons(row(&body["report"], 3)).contains("已于此前导入"));
        assert_eq!(count(&app.store).await, before + 3);

        // Key projects: the planned finish is the deadline, the figures are targets.
        let (status, body) = post_xlsx(
            office,
            "/api/v1/imports/projects?name=项目.xlsx",
            one_row_workbook(true, 1),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let p = app
            .store
            .matter(matter(row(&body["report"], 2)))
            .await
            .unwrap();
        assert_eq!(p.matter.deadline, Some(date(&format!("{y}-12-31"))));
        assert_eq!(p.targets[0]["value"], 100.0);

        // Units may not import.
        let (status, body) = post_xlsx(
            w.s("liaison_a"),
            "/api/v1/imports/tasks",
            one_row_workbook(false, 9),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(count(&app.store).await, before + 4);

        // A progress report shows in the ledger's 进展情况.
        let cal = app.store.calendar().await.unwrap();
        let track = m1.tracks[0].track.id;
        let v = app
            .store
            .act(
                Some(w.ids["liaison_a"]),
                track,
                1,
                &Action::SignFor,
                now(),
                &cal,
            )
            .await
            .unwrap()
            .version;
        app.store
            .act(
                Some(w.ids["liaison_a"]),
                track,
                v,
                &Action::Report {
                    text: "已建成充电桩120个".into(),
                },
                now(),
                &cal,
            )
            .await
            .unwrap();
        let other = stored_matter(
            &app.store,
            "清理河道",
            MatterType::ordinary(),
            vec![w.b],
            vec![],
            None,
            now(),
        )
        .await;

        // The office's ledger, read by openpyxl: the header, then one row
        // per matter and unit, matching the matters.
        if let Some(book) = ledger(office, &dir, "office.xlsx").await {
            assert_eq!(book["sheet"], "台账");
            assert_eq!(book["freeze"], "A3");
            assert_eq!(book["bold"], true);
            assert_eq!(book["deadline_is_date"], true);
            let rows = book["rows"].as_array().unwrap();
            assert!(rows[0][0].as_str().unwrap().starts_with("督办事项台账"));
            let header: Vec<&str> = rows[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(
                header,
                [
                    "序号",
                    "事项编号",
                    "任务内容",
                    "牵头单位",
                    "配合单位",
                    "承办单位",
                    "角色",
                    "完成时限",
                    "下一时限",
                    "下一环节",
                    "剩余或逾期",
                    "进展情况",
                    "状态",
                    "灯色",
                    "签收时间",
                    "最近反馈",
                    "办结等次",
                    "来源"
                ]
            );
            let mut want = BTreeSet::new();
            for m in app.store.matters(None, 1000, 0).await.unwrap() {
                for t in app.store.matter(m.0.id).await.unwrap().tracks {
                    let unit = if t.track.unit_id == w.a {
                        "区发展和改革局"
                    } else {
                        "区财政局"
                    };
                    want.insert((m.0.id, unit.to_string()));
                }
            }
            let got: BTreeSet<(i64, String)> = rows[2..]
                .iter()
                .map(|r| (r[1].as_i64().unwrap(), r[5].as_str().unwrap().to_string()))
                .collect();
            assert_eq!(got, want);
            assert_eq!(rows.len() - 2, want.len());
            let first = rows
                .iter()
                .find(|r| r[1] == m1.matter.id && r[5] == "区发展和改革局")
                .unwrap();
            assert_eq!(first[2], "推进充电桩建设");
            assert_eq!(
                (first[3].as_str(), first[4].as_str(), first[6].as_str()),
                (Some("区发展和改革局"), Some("区财政局"), Some("牵头"))
            );
            assert_eq!(first[7], format!("{y}-06-30T00:00:00"));
            // The next limit: a date, its step, and the days left or late.
            assert!(first[8].is_string(), "next limit: {first:?}");
            assert!(
                ["签收部署", "首次反馈", "申请办结"]
                    .contains(&first[9].as_str().unwrap_or_default())
                    || first[9].as_str().unwrap_or_default().ends_with("节点报送"),
                "{first:?}"
            );
            let days = first[10].as_str().unwrap_or_default();
            assert!(
                days == "今日到期" || days.starts_with('剩') || days.starts_with("逾期"),
                "{first:?}"
            );
            assert_eq!(first[11], "已建成充电桩120个");
            assert_eq!(first[12], "办理中");
            assert!(
                first[14].is_string() && first[15].is_string(),
                "signed and reported: {first:?}"
            );
            assert_eq!(first[17], format!("清单：{y}年重点工作任务分解表 第1项"));
        }

        // Unit B's ledger holds unit B's rows only.
        if let Some(book) = ledger(w.s("liaison_b"), &dir, "unit_b.xlsx").await {
            let rows = &book["rows"].as_array().unwrap()[2..];
            assert!(!rows.is_empty());
            assert!(rows.iter().all(|r| r[5] == "区财政局"), "{rows:?}");
            assert!(rows.iter().any(|r| r[1] == other.matter.id));
        }
        let (status, _) = json(w.s("public1").get("/api/v1/ledger.xlsx").await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        app.stop().await;
    }
}
