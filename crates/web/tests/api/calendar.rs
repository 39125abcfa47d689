//! The holiday calendar over HTTP: the State Council's notice read,
//! compared with the provisional year and applied (API and pages); and one
//! clock: every time a page or export shows of a known history is in local
//! (Beijing) time, none in UTC.

use crate::helpers::{json, TestApp};
use crate::matters::{stored_matter, World};
use chrono::{DateTime, Utc};
use duban_domain::clock::LocalTime;
use duban_domain::matter::MatterType;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeSet;

const NOTICE_2027: &str = include_str!("../../../domain/tests/data/notices/2027-made-up.txt");

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_notice_is_read_compared_and_applied() {
    for url in fresh_databases("api_calendar_notice").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let admin = w.s("admin");
        // Read only: the differences from the provisional 2027.
        let (status, body) = json(
            admin
                .post("/api/v1/calendar/notice", &json!({ "text": NOTICE_2027 }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["year"], 2027);
        assert_eq!(body["applied"], false);
        assert_eq!(body["spans"].as_array().unwrap().len(), 7, "{body}");
        let y = &body["years"][0];
        assert_eq!(y["year"], 2027);
        assert_eq!(y["current_provenance"], "provisional");
        assert_eq!(
            y["differences"]["holidays_added"],
            json!(["2027-01-04"]),
            "{y}"
        );
        assert_eq!(
            y["differences"]["workdays_added"],
            json!(["2027-01-09"]),
            "{y}"
        );
        let cal = app.store.calendar().await.unwrap();
        assert!(cal.is_provisional(2027));
        // A notice that contradicts itself is refused with the reason.
        let wrong = NOTICE_2027.replace("1月1日（周五）", "1月1日（周四）");
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/calendar/notice",
                    &json!({ "text": wrong, "apply": true }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("周五"), "{body}");
        // Only an admin reads or enters notices.
        let (status, _) = json(
            w.s("office")
                .post("/api/v1/calendar/notice", &json!({ "text": NOTICE_2027 }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Applied: 2027 is official.
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/calendar/notice",
                    &json!({ "text": NOTICE_2027, "apply": true }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["applied"], true);
        let (_, body) = json(w.s("liaison_a").get("/api/v1/calendar/2027").await).await;
        assert_eq!(body["provenance"], "official", "{body}");
        assert!(body["data"]["source"]
            .as_str()
            .unwrap()
            .contains("国办发明电"));
        assert_eq!(body["differences"]["holidays_added"], json!(["2027-01-04"]));
        app.stop().await;
    }
}

#[tokio::test]
async fn the_admin_pastes_a_notice_on_the_page_reviews_and_applies_it() {
    for url in fresh_databases("pages_calendar_notice").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let client = no_redirects();
        let (cookie, csrf) = crate::pages::cookie(&app, w.ids["admin"], 1).await;
        let get = |path: &str| {
            client
                .get(format!("{}{path}", app.base))
                .header("cookie", &cookie)
                .send()
        };
        let html = get("/admin/calendar").await.unwrap().text().await.unwrap();
        assert!(
            html.contains("暂定") && html.contains("录入放假通知"),
            "{html}"
        );
        let post = |fields: Vec<(&str, &str)>| {
            client
                .post(format!("{}/admin/calendar/notice", app.base))
                .header("cookie", &cookie)
                .form(&fields)
                .send()
        };
        // A paste that is no notice: the page again, with what was typed.
        let resp = post(vec![("_csrf", &csrf), ("text", "放假安排见附件")])
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("放假安排见附件") && html.contains("标题"),
            "{html}"
        );
        // The preview: the parsed year beside the provisional one.
        let resp = post(vec![("_csrf", &csrf), ("text", NOTICE_2027)])
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("新增放假日") && html.contains("1月4日"),
            "{html}"
        );
        assert!(
            html.contains("新增调休上班日") && html.contains("1月9日"),
            "{html}"
        );
        assert!(html.contains("确认录入"), "{html}");
        assert!(app.store.calendar().await.unwrap().is_provisional(2027));
        // Without the session's token nothing is entered.
        let resp = post(vec![
            ("_csrf", "wrong"),
            ("text", NOTICE_2027),
            ("apply", "1"),
        ])
        .await
        .unwrap();
        assert_ne!(resp.status(), StatusCode::SEE_OTHER);
        assert!(app.store.calendar().await.unwrap().is_provisional(2027));
        // Confirmed.
        let resp = post(vec![
            ("_csrf", &csrf),
            ("text", NOTICE_2027),
            ("apply", "1"),
        ])
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            resp.headers()["location"],
            "/admin/calendar?ok=calendar_applied"
        );
        assert!(!app.store.calendar().await.unwrap().is_provisional(2027));
        let html = get("/admin/calendar/2027")
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("正式") && html.contains("国办发明电"),
            "{html}"
        );
        // Edited whole: an empty year is refused on the page too.
        let resp = client
            .post(format!("{}/admin/calendar/2027", app.base))
            .header("cookie", &cookie)
            .form(&[("_csrf", csrf.as_str()), ("holidays", ""), ("workdays", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!app.store.calendar().await.unwrap().is_provisional(2027));
        // Removed: provisional again.
        let resp = client
            .post(format!("{}/admin/calendar/2027/delete", app.base))
            .header("cookie", &cookie)
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert!(app.store.calendar().await.unwrap().is_provisional(2027));
        app.stop().await;
    }
}

/// Every `YYYY-MM-DD HH:MM` in `text`.
fn times_in(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeSet::new();
    for i in 0..chars.len().saturating_sub(15) {
        let s: String = chars[i..i + 16].iter().collect();
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            r.into_iter()
                .all(|k| b.get(k).is_some_and(u8::is_ascii_digit))
        };
        if s.len() == 16
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && (b[10] == b' ' || b[10] == b'T')
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
        {
            out.insert(s.replace('T', " "));
        }
    }
    out
}

#[tokio::test]
async fn every_time_a_page_shows_is_local_time() {
    for url in fresh_databases("pages_local_time").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let clock = LocalTime::beijing();
        // A known history: a matter assigned, signed for, reported on,
        // applied to close; an appeal raised.
        let m = stored_matter(
            &app.store,
            "推进充电桩建设",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            clock.local(Utc::now()),
        )
        .await;
        let tid = m.tracks[0].track.id;
        let liaison = w.s("liaison_a");
        for (v, body) in [
            (1, json!({ "version": 1, "action": "sign_for" })),
            (
                2,
                json!({ "version": 2, "action": "report", "text": "已开工。" }),
            ),
            (
                3,
                json!({ "version": 3, "action": "apply_to_close", "text": "已建成。" }),
            ),
        ] {
            let (status, b) = json(
                liaison
                    .post(&format!("/api/v1/tracks/{tid}/actions"), &body)
                    .await,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{v}: {b}");
        }
        let (_, body) = json(
            w.s("public1")
                .post("/api/v1/appeals", &json!({
                    "title": "路灯不亮", "content": "纬三路路灯不亮", "location": "纬三路", "contact": "王先生"
                }))
                .await,
        )
        .await;
        let appeal = body["appeal"]["id"].as_i64().unwrap();

        // The instants stored (UTC), as local and as UTC text.
        let mut stored: Vec<DateTime<Utc>> = Vec::new();
        for e in app.store.events_of("matter", m.matter.id).await.unwrap() {
            stored.push(e.at);
        }
        for e in app.store.events_of("track", tid).await.unwrap() {
            stored.push(e.at);
        }
        for r in app.store.report_entries(tid).await.unwrap() {
            stored.push(duban_store::from_micros(r.created_at));
        }
        let a = app.store.appeal(appeal).await.unwrap();
        stored.push(a.created_at);
        let local: BTreeSet<String> = stored.iter().map(|t| clock.show(*t)).collect();
        let utc: BTreeSet<String> = stored
            .iter()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .collect();
        // The track's own times are local wall-clock times already.
        let track = app.store.track(tid).await.unwrap().track;
        let mut allowed = local.clone();
        for t in [
            Some(track.assigned_at),
            track.signed_at,
            track.close_requested_at,
        ]
        .into_iter()
        .flatten()
        .chain(track.report_times.iter().copied())
        {
            allowed.insert(LocalTime::show_local(t));
        }

        let pages = [
            (w.s("office"), format!("/matters/{}", m.matter.id)),
            (w.s("liaison_a"), format!("/matters/{}", m.matter.id)),
            (w.s("office"), format!("/appeals/{appeal}")),
            (w.s("public1"), format!("/appeals/{appeal}")),
            (w.s("office"), "/appeals".to_string()),
            (w.s("office"), "/review".to_string()),
            (w.s("office"), "/board".to_string()),
            (w.s("office"), "/board.csv".to_string()),
            (w.s("liaison_a"), "/owe".to_string()),
            (w.s("office"), "/dashboard".to_string()),
            (w.s("office"), "/documents".to_string()),
        ];
        let mut shown = BTreeSet::new();
        for (who, path) in &pages {
            let resp = who.get(path).await;
            assert_eq!(resp.status(), StatusCode::OK, "{path}");
            let text = resp.text().await.unwrap();
            for t in times_in(&text) {
                assert!(
                    allowed.contains(&t),
                    "{path} shows {t}, which is no local time of the history (UTC: {})",
                    utc.contains(&t)
                );
                shown.insert(t);
            }
            if path.starts_with("/matters/") {
                assert!(text.contains("北京时间"), "{path} names no zone");
                // The timeline names each action by its own name: one
                // report (反馈) and one close application (申请办结).
                let timeline = &text[text.find("class=\"timeline\"").unwrap()..];
                let timeline = &timeline[..timeline.find("</ul>").unwrap()];
                for (name, n) in [("交办", 1), ("签收", 1), ("反馈", 1), ("申请办结", 1)]
                {
                    let got = timeline.matches(&format!("</span> {name}</li>")).count();
                    assert_eq!(got, n, "{path}: {name} in {timeline}");
                }
            }
        }
        // The Excel ledger: its times are cells with a time of day, each
        // one of the history's local times, and its title names the zone.
        let resp = w.s("office").get("/ledger.xlsx").await;
        assert_eq!(resp.status(), StatusCode::OK);
        let sheets = duban_office::xlsx::read(&resp.bytes().await.unwrap()).unwrap();
        let sheet = &sheets[0];
        assert!(
            sheet.raw(0, 0).text().contains("北京时间"),
            "the ledger's title names no zone: {}",
            sheet.raw(0, 0).text()
        );
        let mut in_ledger = 0;
        for r in 0..sheet.height() {
            for c in 0..sheet.width() {
                if let duban_office::xlsx::Value::Date(d) = sheet.raw(r, c) {
                    if d.time() != chrono::NaiveTime::MIN {
                        let t = LocalTime::show_local(*d);
                        assert!(allowed.contains(&t), "the ledger shows {t}");
                        shown.insert(t);
                        in_ledger += 1;
                    }
                }
            }
        }
        assert!(
            in_ledger >= 2,
            "the ledger shows the sign-for and the report"
        );
        // Every stored instant appears somewhere, in local time.
        for t in &local {
            assert!(shown.contains(t), "{t} is shown nowhere: {shown:?}");
        }
        app.stop().await;
    }
}
