//! Excel over HTTP, on every backend: importing a task list and a project
//! list (matters with the right units and deadlines), files refused whole
//! with a report naming each bad row and nothing written (an unknown unit
//! with its candidates; a missing unit, a bad date, a merged cell and a
//! second sheet), a dry run that writes nothing, and the ledger opened by
//! an independent reader (Python's openpyxl) with its header and rows
//! checked against the matters — for the office and for one unit. Also
//! the import page's forms and report (`page`).

mod api;
mod page;

use crate::helpers::{json, Session, TestApp};
use crate::matters::{now, World};
use chrono::{Datelike, NaiveDate};
use duban_office::xlsx::{self, Cell, Merge, SheetSpec};
use duban_store::testing::fresh_databases;
use duban_store::Store;
use reqwest::StatusCode;
use serde_json::Value;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn t(s: &str) -> Cell {
    Cell::text(s)
}

fn next_year() -> i32 {
    now().year() + 1
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A workbook of one task (or project) led by 区发展和改革局, numbered `n`
/// so no two are the same.
pub fn one_row_workbook(projects: bool, n: u32) -> Vec<u8> {
    let y = next_year();
    let rows = if projects {
        vec![
            vec![
                t("项目名称"),
                t("项目单位"),
                t("总投资（万元）"),
                t("计划竣工时间"),
            ],
            vec![
                t(&format!("授权测试项目{n}")),
                t("区发展和改革局"),
                Cell::Number(100.0),
                Cell::Date(date(&format!("{y}-12-31"))),
            ],
        ]
    } else {
        vec![
            vec![t("序号"), t("任务内容"), t("牵头单位"), t("完成时限")],
            vec![
                Cell::Number(1.0),
                t(&format!("授权测试任务{n}")),
                t("区发展和改革局"),
                t(&format!("{y}年底前")),
            ],
        ]
    };
    xlsx::write(&[SheetSpec {
        name: "Sheet1".into(),
        rows,
        ..Default::default()
    }])
    .unwrap()
}

/// A task list: a title, a lead unit merged over two rows, a co unit, an
/// Excel date, a text date and a continuing task. `third` leads row 5.
fn task_list(third: &str) -> Vec<u8> {
    let y = next_year();
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
                t("区发展和改革局"),
                t("区财政局"),
                Cell::Date(date(&format!("{y}-06-30"))),
            ],
            vec![
                Cell::Number(2.0),
                t("扩大有效投资"),
                Cell::Empty,
                Cell::Empty,
                t("9月底前"),
            ],
            vec![
                Cell::Number(3.0),
                t("盘活存量资产"),
                t(third),
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
    xlsx::write(&[sheet]).unwrap()
}

/// A list whose rows are broken each its own way, after a sheet of
/// instructions and with a second task sheet after it.
fn broken_list() -> Vec<u8> {
    let y = next_year();
    let help = SheetSpec {
        name: "填表说明".into(),
        rows: vec![vec![t("完成时限请写到日")]],
        ..Default::default()
    };
    let tasks = SheetSpec {
        name: "任务".into(),
        rows: vec![
            vec![t("序号"), t("工作任务"), t("责任单位"), t("完成时限")],
            vec![
                Cell::Number(1.0),
                t("建设口袋公园"),
                t("区财政局"),
                t(&format!("{y}-05-31")),
            ],
            vec![
                Cell::Number(2.0),
                t("整治城区道路"),
                Cell::Empty,
                t(&format!("{y}年底前")),
            ],
            vec![
                Cell::Number(3.0),
                t("建设智慧城市平台"),
                t("区发展和改革局"),
                t("尽快"),
            ],
            // Row 5 and 6 share a merged unit cell whose top is empty.
            vec![
                Cell::Number(4.0),
                t("推进数字乡村"),
                Cell::Empty,
                t(&format!("{y}-09-30")),
            ],
            vec![
                Cell::Number(5.0),
                t("推进智慧农业"),
                Cell::Empty,
                t(&format!("{y}-10-31")),
            ],
        ],
        merges: vec![Merge {
            first_row: 4,
            first_col: 2,
            last_row: 5,
            last_col: 2,
        }],
        ..Default::default()
    };
    let second = SheetSpec {
        name: "第二批".into(),
        rows: vec![
            vec![t("序号"), t("工作任务"), t("责任单位")],
            vec![Cell::Number(1.0), t("另一项"), t("区财政局")],
        ],
        ..Default::default()
    };
    xlsx::write(&[help, tasks, second]).unwrap()
}

async fn post_xlsx(s: &Session, path: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    json(
        s.client
            .post(format!("{}{path}", s.base))
            .header("x-csrf-token", &s.csrf)
            .header("content-type", XLSX)
            .body(bytes)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn count(store: &Store) -> usize {
    store.matters(None, 100_000, 0).await.unwrap().len()
}

fn row(report: &Value, n: u64) -> &Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["row"] == n)
        .unwrap_or_else(|| panic!("row {n} in {report}"))
}

fn reasons(r: &Value) -> String {
    r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("；")
}
