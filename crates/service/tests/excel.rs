//! Excel imports and the ledger export against a real store (SQLite, and
//! PostgreSQL when the run asks for it): a good task list becomes matters
//! with the right units and deadlines; a file with one bad row writes
//! nothing and says why; a dry run writes nothing; a file imported twice is
//! refused; key projects carry their figures; the ledger holds a row per
//! matter and unit.

use chrono::{Datelike, NaiveDate};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterKind, Role, Source};
use duban_office::xlsx::{self, Cell, Merge, SheetSpec, Value};
use duban_service::excel::{self, ImportOptions, ImportReport, LedgerFilter};
mod common;

use common::now;
use duban_store::testing::fresh_databases;
use duban_store::Store;
use std::collections::HashMap;

fn next_year() -> i32 {
    now().year() + 1
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn setup(url: &str) -> (Store, Calendar) {
    common::store_with(
        url,
        &[
            ("区发展和改革局", &["区发改局"]),
            ("区财政局", &[]),
            ("区住房和城乡建设局", &["区住建局"]),
        ],
    )
    .await
}

fn t(s: &str) -> Cell {
    Cell::text(s)
}

/// A task list below a title, with a lead unit merged over two rows, an
/// Excel date, a text date without a year, and a continuing task.
fn task_list(y: i32, third_lead: &str) -> Vec<u8> {
    let sheet = SheetSpec {
        name: "任务分解".into(),
        rows: vec![
            vec![t(&format!("{y}年重点工作任务分解表"))],
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
                Cell::Date(d(&format!("{y}-06-30"))),
            ],
            vec![
                Cell::Number(2.0),
                t("扩大有效投资"),
                Cell::Empty,
                Cell::Empty,
                t("12月底前"),
            ],
            vec![
                Cell::Number(3.0),
                t("老旧小区改造"),
                t(third_lead),
                Cell::Empty,
                t("长期坚持"),
            ],
        ],
        merges: vec![
            Merge {
                first_row: 0,
                first_col: 0,
                last_row: 0,
                last_col: 4,
            },
            Merge {
                first_row: 2,
                first_col: 2,
                last_row: 3,
                last_col: 2,
            },
        ],
        ..Default::default()
    };
    xlsx::write(&[
        sheet,
        SheetSpec {
            name: "Sheet2".into(),
            rows: vec![vec![t("备用")]],
            ..Default::default()
        },
    ])
    .unwrap()
}

async fn matter_count(store: &Store) -> usize {
    store.matters(None, 100_000, 0).await.unwrap().len()
}

async fn import(store: &Store, cal: &Calendar, bytes: &[u8], dry_run: bool) -> ImportReport {
    let options = ImportOptions {
        dry_run,
        ..Default::default()
    };
    excel::import_tasks(store, None, "任务.xlsx", bytes, &options, now(), cal)
        .await
        .unwrap()
}

#[tokio::test]
async fn task_lists_import_all_or_nothing() {
    for url in fresh_databases("service_excel_tasks").await {
        let (store, cal) = setup(&url).await;
        let y = next_year();

        // One unknown unit refuses the file: nothing is written, and the
        // row names the unit the office may have meant.
        let bad = task_list(y, "区住房城乡建设局");
        let r = import(&store, &cal, &bad, false).await;
        assert!(!r.ok() && !r.written, "{r:#?}");
        assert_eq!((r.accepted, r.refused), (2, 1), "{r:#?}");
        let row = r.rows.iter().find(|x| x.row == 5).unwrap();
        assert_eq!(row.status, "refused");
        assert!(
            row.reasons[0].contains("“区住房城乡建设局”不在单位名录中"),
            "{row:?}"
        );
        assert!(row.reasons[0].contains("区住房和城乡建设局"), "{row:?}");
        assert!(
            r.notes.iter().any(|n| n.contains("Sheet2")),
            "{:?}",
            r.notes
        );
        assert!(r.summary().contains("未导入"));
        assert_eq!(matter_count(&store).await, 0);

        // A calendar that cannot give the limits refuses the file at the
        // store, the row saying why in the calendar's words; nothing is
        // written.
        let good = task_list(y, "区住建局");
        let no_years = Calendar::default().strict();
        let r = import(&store, &no_years, &good, false).await;
        assert!(!r.ok() && !r.written, "{r:#?}");
        let row = r
            .rows
            .iter()
            .find(|x| x.status == "refused")
            .expect("a refused row");
        let year = format!("{} 年", now().year());
        assert!(
            row.reasons
                .iter()
                .any(|m| m.contains("节假日日历") && m.contains(&year)),
            "{row:?}"
        );
        assert_eq!(matter_count(&store).await, 0);

        // A dry run of the good file reports it importable and writes nothing.
        let r = import(&store, &cal, &good, true).await;
        assert!(r.ok() && !r.written, "{r:#?}");
        assert_eq!(r.accepted, 3);
        assert_eq!(matter_count(&store).await, 0);

        // The real import writes every row, in one go.
        let r = import(&store, &cal, &good, false).await;
        assert!(r.ok() && r.written, "{r:#?}");
        assert_eq!(r.list, format!("{y}年重点工作任务分解表"));
        assert_eq!(matter_count(&store).await, 3);
        let by_row = |n: u32| r.rows.iter().find(|x| x.row == n).unwrap();
        let m = store.matter(by_row(3).matter_id.unwrap()).await.unwrap();
        assert_eq!(m.matter.title, "推进充电桩建设");
        assert_eq!(m.matter.deadline, Some(d(&format!("{y}-06-30"))));
        assert_eq!(
            m.matter.source,
            Source::List {
                list: r.list.clone(),
                item: "1".into()
            }
        );
        let names: HashMap<i64, String> = store
            .units()
            .await
            .unwrap()
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let roles: Vec<(Role, &str)> = m
            .tracks
            .iter()
            .map(|t| (t.track.role, names[&t.track.unit_id].as_str()))
            .collect();
        assert_eq!(
            roles,
            [(Role::Lead, "区发展和改革局"), (Role::Co, "区财政局")]
        );
        // The merged 牵头单位 applies to row 4 as well; the year comes from the title.
        let m2 = store.matter(by_row(4).matter_id.unwrap()).await.unwrap();
        assert_eq!(m2.matter.deadline, Some(d(&format!("{y}-12-31"))));
        assert_eq!(m2.tracks.len(), 1);
        assert_eq!(m2.tracks[0].track.unit_id, m.tracks[0].track.unit_id);
        let m3 = store.matter(by_row(5).matter_id.unwrap()).await.unwrap();
        assert_eq!(m3.matter.matter_type.kind, MatterKind::Continuing);
        assert_eq!(m3.matter.deadline, None);

        // The same file again is refused row by row; nothing is added.
        let r = import(&store, &cal, &good, false).await;
        assert!(!r.ok() && !r.written);
        assert!(
            r.rows
                .iter()
                .all(|x| x.reasons.iter().any(|m| m.contains("已于此前导入"))),
            "{r:#?}"
        );
        assert_eq!(matter_count(&store).await, 3);

        // Not a workbook at all.
        let r = import(&store, &cal, b"a,b\n1,2\n", false).await;
        assert!(
            r.error
                .as_deref()
                .is_some_and(|e| e.contains("不是 Excel 文件")),
            "{r:?}"
        );
        store.close().await;
    }
}

#[tokio::test]
async fn key_projects_and_the_ledger() {
    for url in fresh_databases("service_excel_projects").await {
        let (store, cal) = setup(&url).await;
        let y = next_year();
        let sheet = SheetSpec {
            name: "项目".into(),
            rows: vec![
                vec![
                    t("序号"),
                    t("项目名称"),
                    t("项目单位"),
                    t("总投资（万元）"),
                    t("年度计划投资（万元）"),
                    t("计划开工时间"),
                    t("计划竣工时间"),
                ],
                vec![
                    Cell::Number(1.0),
                    t("城区供热管网改造"),
                    t("区住建局"),
                    Cell::Number(12000.0),
                    Cell::Number(5000.0),
                    Cell::Date(d(&format!("{y}-03-01"))),
                    Cell::Date(d(&format!("{y}-10-31"))),
                ],
                vec![
                    Cell::Number(2.0),
                    t("标准化厂房"),
                    t("区发改局、区财政局"),
                    t("2.5亿元"),
                    Cell::Number(8000.0),
                    t(&format!("{y}年4月")),
                    t(&format!("{}年6月底", y + 1)),
                ],
            ],
            ..Default::default()
        };
        let bytes = xlsx::write(&[sheet]).unwrap();
        let r = excel::import_projects(
            &store,
            None,
            "重点项目.xlsx",
            &bytes,
            &ImportOptions::default(),
            now(),
            &cal,
        )
        .await
        .unwrap();
        assert!(r.ok() && r.written, "{r:#?}");
        assert_eq!(r.list, "重点项目");
        let m = store.matter(r.rows[1].matter_id.unwrap()).await.unwrap();
        assert_eq!(m.matter.deadline, Some(d(&format!("{}-06-30", y + 1))));
        assert_eq!(m.tracks.len(), 2, "both units lead");
        let targets = m.targets.as_array().unwrap();
        assert_eq!(targets[0]["value"], 25000.0);
        assert_eq!(targets[0]["metric"], "总投资");
        assert_eq!(targets[1]["value"], 8000.0);
        assert_eq!(targets[2]["date"], format!("{y}-04-01"));
        assert!(
            m.matter.detail.contains("总投资25000万元"),
            "{}",
            m.matter.detail
        );

        // The ledger: a title row, the header, one row per matter and unit.
        let ledger = excel::export_ledger(
            &store,
            &LedgerFilter::default(),
            now().date(),
            "北京时间",
            &cal,
        )
        .await
        .unwrap();
        assert_eq!((ledger.matters, ledger.rows), (2, 3));
        let sheets = xlsx::read(&ledger.bytes).unwrap();
        let s = &sheets[0];
        let header: Vec<String> = (0..18).map(|c| s.raw(1, c).text()).collect();
        assert_eq!(header, excel::ledger::headers());
        assert_eq!(s.height(), 5);
        let first = store.matter(r.rows[0].matter_id.unwrap()).await.unwrap();
        assert_eq!(s.raw(2, 2).text(), first.matter.detail);
        assert_eq!(s.raw(2, 5).text(), "区住房和城乡建设局");
        assert!(matches!(s.raw(2, 7), Value::Date(_)));
        // One unit's ledger holds that unit's rows only.
        let unit = m.tracks[1].track.unit_id;
        let one = excel::export_ledger(
            &store,
            &LedgerFilter {
                units: Some(vec![unit]),
                status: None,
            },
            now().date(),
            "北京时间",
            &cal,
        )
        .await
        .unwrap();
        assert_eq!((one.matters, one.rows), (1, 1));
        store.close().await;
    }
}
