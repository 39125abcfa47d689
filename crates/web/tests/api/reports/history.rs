//! The known 2024 history of the reports test (the table in the parent
//! module's documentation), built through the store with explicit times
//! and, for the records, through the API as the office.

use crate::helpers::{json, TestApp};
use crate::matters::{stored_matter, World};
use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::matter::{Counting, Grade, MatterType};
use duban_domain::workflow::Action;
use duban_store::Store;
use reqwest::StatusCode;
use serde_json::json;

pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, day).unwrap()
}

fn at(m: u32, day: u32, h: u32) -> NaiveDateTime {
    d(m, day).and_hms_opt(h, 0, 0).unwrap()
}

async fn act(s: &Store, track: i64, action: Action, when: NaiveDateTime) {
    let cal = s.calendar().await.unwrap();
    let v = s.track(track).await.unwrap().version;
    s.act(None, track, v, &action, when, &cal)
        .await
        .unwrap_or_else(|e| panic!("{action:?} on {track} at {when}: {e}"));
}

fn report() -> Action {
    Action::Report {
        text: "已部署推进".into(),
    }
}

fn apply() -> Action {
    Action::ApplyToClose {
        text: "已完成".into(),
    }
}

fn close(grade: Grade) -> Action {
    Action::Close {
        grade,
        reason: "已核实".into(),
    }
}

/// A calendar-day matter of one lead unit assigned at 09:00 on `day`;
/// its track.
async fn track(s: &Store, title: &str, unit: i64, day: NaiveDate) -> (i64, i64) {
    let ty = MatterType::ordinary().with_counting(Counting::Calendar);
    let m = stored_matter(
        s,
        title,
        ty,
        vec![unit],
        vec![],
        None,
        day.and_hms_opt(9, 0, 0).unwrap(),
    )
    .await;
    (m.matter.id, m.tracks[0].track.id)
}

/// Signed for, reported, applied and closed: on the days given.
async fn run(s: &Store, t: i64, steps: &[(Action, NaiveDateTime)]) {
    for (a, when) in steps {
        act(s, t, a.clone(), *when).await;
    }
}

pub struct Ids {
    pub a: i64,
    pub b: i64,
    pub c: i64,
    pub dd: i64,
    pub a4: i64,
    pub b1: i64,
    pub a2: i64,
    pub a3: i64,
}

pub async fn build(app: &TestApp, w: &World) -> Ids {
    let s = &app.store;
    let (a, b) = (w.a, w.b);
    let c = app.unit("区教育局").await;
    let dd = app.unit("区卫生健康局").await;

    let (_, a5) = track(s, "上半年遗留任务", a, d(6, 14)).await;
    run(
        s,
        a5,
        &[
            (Action::SignFor, at(6, 14, 10)),
            (report(), at(6, 16, 10)),
            (apply(), at(6, 20, 10)),
            (close(Grade::Excellent), at(6, 21, 10)),
        ],
    )
    .await;
    let (_, a1) = track(s, "推进政务服务一网通办", a, d(7, 1)).await;
    run(
        s,
        a1,
        &[
            (Action::SignFor, at(7, 1, 10)),
            (report(), at(7, 3, 10)),
            (apply(), at(7, 5, 10)),
            (close(Grade::Excellent), at(7, 6, 10)),
        ],
    )
    .await;
    let (_, a2) = track(s, "编制重点项目投资计划", a, d(7, 10)).await;
    run(
        s,
        a2,
        &[
            (Action::SignFor, at(7, 11, 10)),
            (report(), at(7, 15, 10)),
            (apply(), at(7, 16, 10)),
            (
                Action::Return {
                    reason: "材料不全".into(),
                },
                at(7, 17, 10),
            ),
            (apply(), at(7, 20, 10)),
            (close(Grade::Good), at(7, 21, 10)),
        ],
    )
    .await;
    let (_, a3) = track(s, "完成价格监测报告", a, d(8, 1)).await;
    run(
        s,
        a3,
        &[
            (Action::SignFor, at(8, 1, 10)),
            (report(), at(8, 2, 10)),
            (
                Action::RequestExtension {
                    until: d(8, 20),
                    plan: "分两步完成".into(),
                },
                at(8, 5, 10),
            ),
            (Action::GrantExtension, at(8, 5, 11)),
            (apply(), at(8, 18, 10)),
            (close(Grade::Pass), at(8, 19, 10)),
        ],
    )
    .await;
    let (_, a4) = track(s, "开展粮食安全专项检查", a, d(9, 20)).await;
    run(s, a4, &[(Action::SignFor, at(9, 20, 10))]).await;

    let (_, b1) = track(s, "清理拖欠企业账款", b, d(7, 2)).await;
    let (_, b2) = track(s, "编制预算执行报告", b, d(7, 5)).await;
    run(
        s,
        b2,
        &[
            (Action::SignFor, at(7, 5, 10)),
            (report(), at(7, 6, 10)),
            (apply(), at(7, 8, 10)),
            (close(Grade::Fail), at(7, 9, 10)),
        ],
    )
    .await;
    track(s, "核查专项资金使用", b, d(9, 30)).await;
    let (m4, _) = track(s, "重复交办的任务", b, d(7, 3)).await;
    s.withdraw_matter(None, m4, None, "重复交办", at(7, 4, 10))
        .await
        .unwrap();

    for (i, grade) in [Grade::Excellent, Grade::Excellent, Grade::Good, Grade::Good]
        .into_iter()
        .enumerate()
    {
        let day = 5 + i as u32;
        let (_, t) = track(s, &format!("卫生健康任务{}", i + 1), dd, d(8, day)).await;
        run(
            s,
            t,
            &[
                (Action::SignFor, at(8, day, 10)),
                (report(), at(8, day + 1, 10)),
                (apply(), at(8, day + 2, 10)),
                (close(grade), at(8, day + 3, 10)),
            ],
        )
        .await;
    }

    // The records, entered by the office through the API.
    let office = w.s("office");
    for (unit, kind, date, points, major) in [
        (a, "phone", "2024-09-01", 2.0, true),
        (b, "onsite", "2024-08-10", 3.0, false),
        (b, "明查暗访", "2024-09-05", 12.0, false),
        (b, "onsite", "2024-10-02", 4.0, true),
        (dd, "现场督查", "2024-08-20", 0.0, false),
    ] {
        let body = json!({ "unit_id": unit, "kind": kind, "date": date, "finding": "台账不完整", "points": points, "major": major });
        let (status, v) = json(office.post("/api/v1/inspections", &body).await).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    for date in ["2024-09-10", "2024-11-15"] {
        let body = json!({ "unit_id": b, "date": date, "reason": "反馈不及时" });
        let (status, v) = json(office.post("/api/v1/summons", &body).await).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    Ids {
        a,
        b,
        c,
        dd,
        a4,
        b1,
        a2,
        a3,
    }
}
