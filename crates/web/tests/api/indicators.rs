//! Indicators over HTTP on both backends: values recorded and corrected,
//! progress checked against figures worked out by hand, scope (another
//! unit neither sees nor reports; a leader sees but does not report; a
//! co-operating unit sees but does not report), bad input, and the pages.
//!
//! The matter is assigned on 2024-03-22 with targets due 2024-12-31, so
//! the window is 2024-01-01 to 2024-12-31, 366 days (a leap year): the pace
//! at the end of day `n` is `n / 366`. 31 March is day 91, 30 June day 182.

use crate::helpers::{json, TestApp};
use crate::matters::{now, World};
use chrono::NaiveDate;
use duban_domain::matter::{MatterType, Source};
use duban_store::testing::fresh_databases;
use duban_store::{NewMatter, Store};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The current month, a period every fresh target accepts.
pub fn this_month() -> String {
    now().format("%Y-%m").to_string()
}

/// The targets of a 政府工作报告 item: a growth rate, an amount, a
/// ceiling, and a milestone that is not an indicator.
fn targets(by: &str) -> Value {
    json!([
        { "text": "地区生产总值增长8.5%", "metric": "地区生产总值增长", "op": "=", "value": 8.5, "unit": "%", "by": by },
        { "text": "公共充电桩13502台", "metric": "公共充电桩", "op": ">=", "value": 13502.0, "unit": "台", "by": by },
        { "text": "PM2.5平均浓度控制在63.7微克/立方米以内", "metric": "PM2.5平均浓度", "op": "<=", "value": 63.7, "unit": "微克/立方米", "by": by },
        { "text": "计划竣工时间：2024-12-31", "metric": "计划竣工时间", "kind": "milestone", "date": by },
    ])
}

async fn create(
    store: &Store,
    title: &str,
    targets: Value,
    lead: i64,
    co: Vec<i64>,
    at: chrono::NaiveDateTime,
) -> i64 {
    let cal = store.calendar().await.unwrap();
    store
        .create_matter(
            None,
            NewMatter {
                title: title.into(),
                detail: format!("{title}的具体任务"),
                matter_type: MatterType::continuing(),
                source: Source::Meeting {
                    name: "区政府第5次常务会议".into(),
                    date: None,
                },
                deadline: None,
                targets,
                lead: vec![lead],
                co,
                raised_by: None,
            },
            at,
            &cal,
        )
        .await
        .unwrap()
        .matter
        .id
}

/// A fresh matter led by `lead` with targets due at the end of this year
/// (for the authorisation table).
pub async fn target_matter(store: &Store, lead: i64) -> i64 {
    let by = format!("{}-12-31", now().format("%Y"));
    create(store, "主要经济指标", targets(&by), lead, vec![], now()).await
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|g| (g - want).abs() < 1e-6)
}

/// Checks an indicator's progress: status, latest period and value,
/// as-of day, expected value, margin and ratio.
fn check(
    ind: &Value,
    status: &str,
    latest: Option<(&str, f64)>,
    as_of: &str,
    expected: f64,
    margin: Option<f64>,
) {
    let p = &ind["progress"];
    assert_eq!(p["status"], status, "{ind}");
    assert_eq!(p["as_of"], as_of, "{ind}");
    assert!(
        close(&p["expected_by_now"], expected),
        "expected {expected}: {ind}"
    );
    match latest {
        Some((period, value)) => {
            assert_eq!(p["latest"]["period"], period, "{ind}");
            assert!(close(&p["latest"]["value"], value), "{ind}");
            let target = ind["target"].as_f64().unwrap();
            assert!(close(&p["ratio_of_target"], value / target), "{ind}");
        }
        None => assert!(
            p["latest"].is_null() && p["ratio_of_target"].is_null(),
            "{ind}"
        ),
    }
    match margin {
        Some(m) => assert!(close(&p["ahead_or_behind"], m), "margin {m}: {ind}"),
        None => assert!(p["ahead_or_behind"].is_null(), "{ind}"),
    }
}

#[tokio::test]
async fn values_progress_scope_and_refusals() {
    for url in fresh_databases("api_indicators").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let s = &app.store;
        let assigned = NaiveDate::from_ymd_opt(2024, 3, 22)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let m = create(
            s,
            "2024年主要经济指标",
            targets("2024-12-31"),
            w.a,
            vec![w.b],
            assigned,
        )
        .await;
        let other = create(
            s,
            "财政收入目标",
            targets("2024-12-31"),
            w.b,
            vec![],
            assigned,
        )
        .await;
        // A matter without targets is no indicator.
        create(s, "没有量化目标的事项", json!([]), w.a, vec![], assigned).await;
        let (office, la, lb, lda) = (
            w.s("office"),
            w.s("liaison_a"),
            w.s("liaison_b"),
            w.s("leader_a"),
        );
        let post = |who: &'static str, index: usize, body: Value| {
            let sess = w.s(who);
            async move {
                json(
                    sess.post(&format!("/api/v1/indicators/{m}/{index}/values"), &body)
                        .await,
                )
                .await
            }
        };

        // Nothing reported: judged today, the window is over, so the
        // amount expects the whole target.
        let (st, list) = json(office.get("/api/v1/indicators").await).await;
        assert_eq!(st, StatusCode::OK, "{list}");
        assert_eq!(
            list["total"], 6,
            "three targets of each of two matters: {list}"
        );
        let first = &list["indicators"][1];
        assert_eq!(
            (first["matter_id"].as_i64(), first["index"].as_i64()),
            (Some(m), Some(1))
        );
        assert_eq!(first["kind"], "amount");
        assert_eq!(
            first["leads"],
            json!([{ "id": w.a, "name": "区发展和改革局" }])
        );
        check(
            first,
            "no_data",
            None,
            &now().date().to_string(),
            13502.0,
            None,
        );

        // The amount, cumulative: Q1 3000 against 13502 × 91/366.
        let (st, body) = post(
            "liaison_a",
            1,
            json!({ "period": "2024Q1", "value": 3000, "note": "一季度新建" }),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        assert!(body["replaced"].is_null());
        check(
            &body["indicator"],
            "behind",
            Some(("2024Q1", 3000.0)),
            "2024-03-31",
            13502.0 * 91.0 / 366.0,
            Some(3000.0 - 13502.0 * 91.0 / 366.0),
        );
        // June 7000 (typed as text) against 13502 × 182/366 = 6714.06: on pace.
        let (st, body) = post(
            "head_a",
            1,
            json!({ "period": "2024-06", "value": "7,000" }),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        check(
            &body["indicator"],
            "on_pace",
            Some(("2024-06", 7000.0)),
            "2024-06-30",
            13502.0 * 182.0 / 366.0,
            Some(7000.0 - 13502.0 * 182.0 / 366.0),
        );
        // A correction of June to 6500 keeps the old value: now behind.
        let (st, body) = post("office", 1, json!({ "period": "2024-06", "value": 6500 })).await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        assert_eq!(body["replaced"]["value"], 7000.0);
        assert_eq!(body["value"]["version"], 2);
        let ind = &body["indicator"];
        check(
            ind,
            "behind",
            Some(("2024-06", 6500.0)),
            "2024-06-30",
            13502.0 * 182.0 / 366.0,
            Some(6500.0 - 13502.0 * 182.0 / 366.0),
        );
        let values = ind["values"].as_array().unwrap();
        assert_eq!(values.len(), 3, "{ind}");
        assert_eq!(
            (values[0]["value"].as_f64(), values[0]["current"].as_bool()),
            (Some(6500.0), Some(true))
        );
        assert_eq!(
            (values[1]["value"].as_f64(), values[1]["current"].as_bool()),
            (Some(7000.0), Some(false))
        );
        assert_eq!(values[1]["unit_name"], "区发展和改革局");
        assert!(
            close(&values[2]["expected"], 13502.0 * 91.0 / 366.0),
            "{ind}"
        );
        let events = s
            .events_of("indicator_value", values[0]["id"].as_i64().unwrap())
            .await
            .unwrap();
        assert_eq!(events[0].action, "indicator.correct");
        // Q4 above the target: met.
        let (_, body) = post(
            "liaison_a",
            1,
            json!({ "period": "2024Q4", "value": 14000 }),
        )
        .await;
        check(
            &body["indicator"],
            "met",
            Some(("2024Q4", 14000.0)),
            "2024-12-31",
            13502.0,
            Some(498.0),
        );

        // The growth rate: above target mid-year is on pace; the final
        // figure below it is behind.
        let (_, body) = post("liaison_a", 0, json!({ "period": "2024Q2", "value": 8.75 })).await;
        check(
            &body["indicator"],
            "on_pace",
            Some(("2024Q2", 8.75)),
            "2024-06-30",
            8.5,
            Some(0.25),
        );
        let (_, body) = post("liaison_a", 0, json!({ "period": "2024Q4", "value": 8.25 })).await;
        check(
            &body["indicator"],
            "behind",
            Some(("2024Q4", 8.25)),
            "2024-12-31",
            8.5,
            Some(-0.25),
        );
        // The ceiling: the year's figure within it is met.
        let (_, body) = post(
            "liaison_a",
            2,
            json!({ "period": "2024-12", "value": 60.5 }),
        )
        .await;
        check(
            &body["indicator"],
            "met",
            Some(("2024-12", 60.5)),
            "2024-12-31",
            63.7,
            Some(63.7 - 60.5),
        );

        // The list shows the same figures.
        let (_, list) = json(la.get("/api/v1/indicators").await).await;
        assert_eq!(list["total"], 3, "unit A sees its own matter only: {list}");
        assert_eq!(list["indicators"][1]["progress"]["status"], "met");
        let (_, list) = json(
            office
                .get(&format!("/api/v1/indicators?unit={}", w.b))
                .await,
        )
        .await;
        assert_eq!(list["total"], 3);
        assert_eq!(list["indicators"][0]["matter_id"], other);

        // Scope: B co-operates on the matter, so sees it but may not report;
        // leader A sees it but may not report; unit B's own matter is
        // hidden from A; the public has no indicators.
        let (st, _) = json(lb.get(&format!("/api/v1/indicators/{m}/1")).await).await;
        assert_eq!(st, StatusCode::OK);
        let (st, body) = post("liaison_b", 1, json!({ "period": "2024-07", "value": 1 })).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
        assert!(body["error"].as_str().unwrap().contains("牵头单位"));
        let (st, _) = post("leader_a", 1, json!({ "period": "2024-07", "value": 1 })).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, _) = json(lda.get(&format!("/api/v1/indicators/{m}/1")).await).await;
        assert_eq!(st, StatusCode::OK);
        let (st, _) = json(la.get(&format!("/api/v1/indicators/{other}/1")).await).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = json(
            la.post(
                &format!("/api/v1/indicators/{other}/1/values"),
                &json!({ "period": "2024-07", "value": 1 }),
            )
            .await,
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = json(w.s("public1").get("/api/v1/indicators").await).await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // Bad input, each refused with what to fix.
        for (index, body, status, says) in [
            (
                1,
                json!({ "period": "2024-13", "value": 1 }),
                400,
                "2024-03",
            ),
            (1, json!({ "period": "三月", "value": 1 }), 400, "2024Q1"),
            (1, json!({ "value": 1 }), 400, "期间"),
            (
                1,
                json!({ "period": "2024-07", "value": "一千" }),
                400,
                "不是数字",
            ),
            (1, json!({ "period": "2024-07" }), 400, "填报值"),
            (
                1,
                json!({ "period": "2024-07", "value": 1, "amount": 2 }),
                400,
                "未知字段 amount：只接受 period、value、note",
            ),
            (
                1,
                json!({ "period": "2024-07", "value": 1, "note": 5 }),
                400,
                "note 应为文本",
            ),
            (
                1,
                json!({ "period": 202407, "value": 1 }),
                400,
                "period 应为文本",
            ),
            (
                1,
                json!({ "period": "2024-07", "value": true }),
                400,
                "value 应为数字",
            ),
            (
                1,
                json!({ "period": "2024-07", "value": [1250] }),
                400,
                "value 应为数字",
            ),
            (
                1,
                json!({ "period": "2024-07", "value": null }),
                400,
                "请填写填报值",
            ),
            (
                1,
                json!({ "period": "2024-07", "value": " " }),
                400,
                "请填写填报值",
            ),
            (1, json!({ "period": "2023-12", "value": 1 }), 422, "考核期"),
            (1, json!({ "period": "2025-01", "value": 1 }), 422, "考核期"),
            (
                3,
                json!({ "period": "2024-07", "value": 1 }),
                404,
                "第 3 项",
            ),
            (
                9,
                json!({ "period": "2024-07", "value": 1 }),
                404,
                "第 9 项",
            ),
        ] {
            let (st, b) = post("liaison_a", index, body.clone()).await;
            assert_eq!(st.as_u16(), status, "{body}: {b}");
            assert!(
                b["error"].as_str().unwrap_or_default().contains(says),
                "{body}: {b}"
            );
        }
        let (st, _) = json(la.get(&format!("/api/v1/indicators/{m}/x")).await).await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        let (st, _) = json(la.get("/api/v1/indicators?units=1").await).await;
        assert_eq!(
            st,
            StatusCode::BAD_REQUEST,
            "an unknown parameter is refused"
        );
        // Nothing refused was written.
        assert_eq!(s.indicator_values(m, 1).await.unwrap().len(), 4);

        pages(&app, &w, m).await;
        app.stop().await;
    }
}

/// The pages show the API's figures, draw the chart, and keep what was
/// typed when a report is refused.
async fn pages(app: &TestApp, w: &World, m: i64) {
    let la = w.s("liaison_a");
    let html = la.get("/indicators").await.text().await.unwrap();
    assert!(
        html.contains("2024年主要经济指标") && html.contains("公共充电桩13502台"),
        "{html}"
    );
    assert!(html.contains("达标") && html.contains("滞后"), "{html}");
    let page = la.get(&format!("/indicators/{m}/1")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("14000"), "{html}");
    assert!(
        html.contains("name=\"period\""),
        "a lead unit gets the form: {html}"
    );
    let html = w
        .s("leader_a")
        .get(&format!("/indicators/{m}/1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("name=\"period\""), "a leader gets no form");

    // A refused form keeps what was typed.
    let form = |csrf: &str, value: &str| {
        format!(
            "_csrf={csrf}&period=2024-08&value={}&note=%E5%B7%B2%E5%BB%BA",
            urlencode(value)
        )
    };
    let resp = la
        .client
        .post(format!("{}/indicators/{m}/1", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&la.csrf, "八千"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("不是数字") && html.contains("value=\"八千\"") && html.contains("已建"),
        "{html}"
    );
    // A done form redirects back to the page with a notice.
    let resp = la
        .client
        .post(format!("{}/indicators/{m}/1", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&la.csrf, "8000"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "followed the redirect");
    assert!(
        resp.url().as_str().contains("ok=indicator"),
        "{}",
        resp.url()
    );
    assert_eq!(app.store.indicator_values(m, 1).await.unwrap().len(), 5);
    // A wrong token is refused.
    let resp = la
        .client
        .post(format!("{}/indicators/{m}/1", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form("wrong", "8000"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
