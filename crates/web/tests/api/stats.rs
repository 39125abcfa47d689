//! The statistics API on a known history: eleven tracks of ten matters,
//! signed for on time and late, reported on time and late, closed on time
//! and late, returned, extended, withdrawn, overdue, near their limit, and
//! one whose year the calendar lacks. Every figure is checked against a
//! value worked out by hand (the table below), for every scope, on both
//! backends; then again after the stored copies are wiped and filled back
//! from the tracks' JSON; and the pages are checked to show the same
//! figures.
//!
//! The matters count calendar days (普通事项 in 自然日: sign for the same
//! day, first report within 3 days, resolve within 7, yellow 1 day before),
//! so the limits are plain arithmetic from the day of assignment. `T` is
//! today; `T-n` n days before.
//!
//! | matter | unit | history | state | light | sign | report | close |
//! |---|---|---|---|---|---|---|---|
//! | M1 | A | T-20, signed T-20, report T-18, applied T-15, closed T-14 | closed | done | ✓ | ✓ | ✓ |
//! | M2 | A lead | T-30, signed T-29, report T-25, applied T-24, returned T-23, applied T-20, closed T-19 | closed | done | ✗ | ✗ | ✗ (limit T-23) |
//! | M2 | B co | T-30, nothing | assigned | red, 30 days (deploy) | ✗ | ✗ | ✗ |
//! | M3 | B | T-2, signed T-2 | signed for | yellow (report due T+1) | ✓ | – | – |
//! | M4 | A | T-1, nothing | assigned | red, 1 day (deploy) | ✗ | – | – |
//! | M5 | A | T-1, signed and reported T-1 | signed for | green | ✓ | ✓ | – |
//! | M6 | A | T-10, signed T-9, withdrawn T-8 | withdrawn | done | left out | left out | left out |
//! | M7 | B | T-10, signed T-10, applied T-5 | close requested | green | ✓ | ✗ (due T-7) | ✓ (limit T-3) |
//! | M8 | A | T-12, signed T-12, report T-11, extended to T+10 | signed for | green | ✓ | ✓ | – |
//! | M9 | B | 2100-06-03 (working days; 2100 is past what the calendar can give, even provisionally) | assigned | unknown | left out | left out | left out |
//! | M10 | A | T-5, signed T-5 | signed for | red, 2 days (first report) | ✓ | ✗ | – |
//!
//! ✓ on time, ✗ late or missed (in the denominator, not the numerator),
//! – not yet due (in neither).

use crate::helpers::{json, TestApp};
use crate::matters::{now, stored_matter, World};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use duban_domain::matter::{Counting, Grade, MatterType};
use duban_domain::workflow::Action;
use duban_store::testing::fresh_databases;
use duban_store::Store;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Local time `n` days before today at `hour`.
fn at(n: i64, hour: u32) -> NaiveDateTime {
    (now().date() - Duration::days(n))
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn day(n: i64) -> NaiveDate {
    now().date() - Duration::days(n)
}

fn calendar_days() -> MatterType {
    MatterType::ordinary().with_counting(Counting::Calendar)
}

/// Takes an action on a track as of `when`, at the track's current version.
async fn act(store: &Store, track: i64, action: Action, when: NaiveDateTime) {
    let cal = store.calendar().await.unwrap();
    let v = store.track(track).await.unwrap().version;
    store
        .act(None, track, v, &action, when, &cal)
        .await
        .unwrap_or_else(|e| panic!("{action:?} on {track} at {when}: {e}"));
}

fn report() -> Action {
    Action::Report {
        text: "已部署，正在推进".into(),
    }
}

fn apply() -> Action {
    Action::ApplyToClose {
        text: "已完成".into(),
    }
}

fn close() -> Action {
    Action::Close {
        grade: Grade::Good,
        reason: "按要求完成".into(),
    }
}

/// The matters of the table, by name.
struct History {
    m: BTreeMap<&'static str, i64>,
    /// The tracks that are overdue, with their matter: B's on M2, A's on
    /// M10 and M4.
    m2_b: i64,
}

async fn build(app: &TestApp, w: &World) -> History {
    let s = &app.store;
    let (a, b) = (w.a, w.b);
    let mut m = BTreeMap::new();
    let ty = calendar_days;
    let new = |title: &'static str, lead: i64, co: Vec<i64>, n: i64| {
        stored_matter(s, title, ty(), vec![lead], co, None, at(n, 9))
    };

    let m1 = new("统计测试一：按时办结", a, vec![], 20).await;
    let t = m1.tracks[0].track.id;
    act(s, t, Action::SignFor, at(20, 10)).await;
    act(s, t, report(), at(18, 10)).await;
    act(s, t, apply(), at(15, 10)).await;
    act(s, t, close(), at(14, 10)).await;
    m.insert("M1", m1.matter.id);

    let m2 = new("统计测试二：超时办结", a, vec![b], 30).await;
    let t = m2.tracks[0].track.id;
    act(s, t, Action::SignFor, at(29, 10)).await;
    act(s, t, report(), at(25, 10)).await;
    act(s, t, apply(), at(24, 10)).await;
    act(
        s,
        t,
        Action::Return {
            reason: "材料不全".into(),
        },
        at(23, 10),
    )
    .await;
    act(s, t, apply(), at(20, 10)).await;
    act(s, t, close(), at(19, 10)).await;
    m.insert("M2", m2.matter.id);
    let m2_b = m2.tracks[1].track.id;

    let m3 = new("统计测试三：临期", b, vec![], 2).await;
    act(s, m3.tracks[0].track.id, Action::SignFor, at(2, 10)).await;
    m.insert("M3", m3.matter.id);

    let m4 = new("统计测试四：未签收", a, vec![], 1).await;
    m.insert("M4", m4.matter.id);

    let m5 = new("统计测试五：正常", a, vec![], 1).await;
    let t = m5.tracks[0].track.id;
    act(s, t, Action::SignFor, at(1, 10)).await;
    act(s, t, report(), at(1, 11)).await;
    m.insert("M5", m5.matter.id);

    let m6 = new("统计测试六：撤销", a, vec![], 10).await;
    act(s, m6.tracks[0].track.id, Action::SignFor, at(9, 10)).await;
    s.withdraw_matter(None, m6.matter.id, None, "重复交办", at(8, 10))
        .await
        .unwrap();
    m.insert("M6", m6.matter.id);

    let m7 = new("统计测试七：待审核", b, vec![], 10).await;
    let t = m7.tracks[0].track.id;
    act(s, t, Action::SignFor, at(10, 10)).await;
    act(s, t, apply(), at(5, 10)).await;
    m.insert("M7", m7.matter.id);

    let m8 = new("统计测试八：延期", a, vec![], 12).await;
    let t = m8.tracks[0].track.id;
    act(s, t, Action::SignFor, at(12, 10)).await;
    act(s, t, report(), at(11, 10)).await;
    act(
        s,
        t,
        Action::RequestExtension {
            until: day(-10),
            plan: "分三步推进".into(),
        },
        at(6, 10),
    )
    .await;
    act(s, t, Action::GrantExtension, at(6, 11)).await;
    m.insert("M8", m8.matter.id);

    let m9 = stored_matter(
        s,
        "统计测试九：日历缺年份",
        MatterType::ordinary(),
        vec![b],
        vec![],
        None,
        NaiveDate::from_ymd_opt(2100, 6, 3)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
    .await;
    m.insert("M9", m9.matter.id);

    let m10 = new("统计测试十：未反馈", a, vec![], 5).await;
    act(s, m10.tracks[0].track.id, Action::SignFor, at(5, 10)).await;
    m.insert("M10", m10.matter.id);

    History { m, m2_b }
}

fn ratio(on_time: i64, due: i64) -> Value {
    let rate = if due > 0 {
        json!(on_time as f64 / due as f64)
    } else {
        Value::Null
    };
    json!({ "on_time": on_time, "due": due, "rate": rate })
}

/// Unit A's figures (M1, M2, M4, M5, M6, M8, M10).
fn unit_a(id: i64) -> Value {
    json!({
        "unit_id": id,
        "unit_name": "区发展和改革局",
        "tracks": 7,
        "open": 4,
        "overdue": 2,
        "returns": 1,
        "by_state": { "assigned": 1, "signed_for": 3, "close_requested": 0, "returned": 0, "closed": 2, "withdrawn": 1 },
        "by_light": { "green": 2, "yellow": 0, "red": 2, "done": 3, "unknown": 0 },
        "sign_for": ratio(4, 6),
        "report": ratio(3, 5),
        "close": ratio(1, 2),
    })
}

/// Unit B's figures (M2 as co-operating unit, M3, M7, M9).
fn unit_b(id: i64) -> Value {
    json!({
        "unit_id": id,
        "unit_name": "区财政局",
        "tracks": 4,
        "open": 4,
        "overdue": 1,
        "returns": 0,
        "by_state": { "assigned": 2, "signed_for": 1, "close_requested": 1, "returned": 0, "closed": 0, "withdrawn": 0 },
        "by_light": { "green": 1, "yellow": 1, "red": 1, "done": 0, "unknown": 1 },
        "sign_for": ratio(2, 3),
        "report": ratio(0, 2),
        "close": ratio(1, 2),
    })
}

/// A unit without tracks.
fn unit_c(id: i64) -> Value {
    json!({
        "unit_id": id,
        "unit_name": "区统计局",
        "tracks": 0,
        "open": 0,
        "overdue": 0,
        "returns": 0,
        "by_state": { "assigned": 0, "signed_for": 0, "close_requested": 0, "returned": 0, "closed": 0, "withdrawn": 0 },
        "by_light": { "green": 0, "yellow": 0, "red": 0, "done": 0, "unknown": 0 },
        "sign_for": ratio(0, 0),
        "report": ratio(0, 0),
        "close": ratio(0, 0),
    })
}

/// The totals of a stats answer's `tracks` from its units (as a check that
/// the two agree) and the expected matters.
fn tracks_of(units: &[&Value]) -> Value {
    let sum = |path: &[&str]| -> i64 {
        units
            .iter()
            .map(|u| path.iter().fold(*u, |v, k| &v[*k]).as_i64().unwrap())
            .sum()
    };
    let mut by_state = serde_json::Map::new();
    for s in [
        "assigned",
        "signed_for",
        "close_requested",
        "returned",
        "closed",
        "withdrawn",
    ] {
        by_state.insert(s.into(), json!(sum(&["by_state", s])));
    }
    let mut by_light = serde_json::Map::new();
    for l in ["green", "yellow", "red", "done", "unknown"] {
        by_light.insert(l.into(), json!(sum(&["by_light", l])));
    }
    let r = |k: &str| ratio(sum(&[k, "on_time"]), sum(&[k, "due"]));
    json!({
        "total": sum(&["tracks"]),
        "open": sum(&["open"]),
        "by_state": by_state,
        "by_light": by_light,
        "returns": sum(&["returns"]),
        "sign_for": r("sign_for"),
        "report": r("report"),
        "close": r("close"),
    })
}

/// The trend expected from days of assignment and of closing (closed on
/// time or not), month by month over the 12 months ending with today's.
fn trend(assigned: &[i64], closed: &[(i64, bool)]) -> Value {
    let today = now().date();
    let mut months: Vec<String> = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(
        today.format("%Y").to_string().parse().unwrap(),
        today.format("%m").to_string().parse().unwrap(),
        1,
    )
    .unwrap();
    for _ in 0..12 {
        months.push(m.format("%Y-%m").to_string());
        m = m.checked_sub_months(chrono::Months::new(1)).unwrap();
    }
    months.reverse();
    let month = |n: i64| day(n).format("%Y-%m").to_string();
    json!(months
        .iter()
        .map(|mo| json!({
            "month": mo,
            "assigned": assigned.iter().filter(|n| month(**n) == *mo).count(),
            "closed": closed.iter().filter(|(n, _)| month(*n) == *mo).count(),
            "closed_on_time": closed.iter().filter(|(n, ok)| *ok && month(*n) == *mo).count(),
        }))
        .collect::<Vec<_>>())
}

async fn get(app_session: &crate::helpers::Session, path: &str) -> (StatusCode, Value) {
    json(app_session.get(path).await).await
}

/// Checks one answer against the expected units (in order), matters and
/// overdue tracks.
fn check(
    what: &str,
    body: &Value,
    units: &[&Value],
    matters: Value,
    overdue: Value,
    trend: &Value,
) {
    assert_eq!(body["units"], json!(units), "{what}: units");
    assert_eq!(body["tracks"], tracks_of(units), "{what}: tracks");
    assert_eq!(body["matters"], matters, "{what}: matters");
    assert_eq!(body["overdue"], overdue, "{what}: overdue");
    assert_eq!(&body["trend"], trend, "{what}: trend");
    assert_eq!(body["today"], json!(now().date()), "{what}: today");
}

fn matters(open: i64, closed: i64, withdrawn: i64) -> Value {
    json!({ "total": open + closed + withdrawn, "by_status": { "open": open, "closed": closed, "withdrawn": withdrawn } })
}

#[tokio::test]
async fn every_figure_matches_the_hand_computed_history_in_every_scope() {
    for url in fresh_databases("api_stats").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let c = app.unit("区统计局").await;
        let h = build(&app, &w).await;
        let (a, b) = (unit_a(w.a), unit_b(w.b));
        let c = unit_c(c);

        let overdue = |m: &str, unit: i64, name: &str, limit: &str, label: &str, n: i64| {
            json!({
                "matter_id": h.m[m],
                "unit_id": unit,
                "unit_name": name,
                "limit": limit,
                "limit_label": label,
                "due": day(n),
                "days_late": n,
            })
        };
        let o_m2 = overdue("M2", w.b, "区财政局", "deploy", "签收部署", 30);
        let o_m10 = overdue("M10", w.a, "区发展和改革局", "first_report", "首次反馈", 2);
        let o_m4 = overdue("M4", w.a, "区发展和改革局", "deploy", "签收部署", 1);
        // The track ids and titles, which the table leaves out, are checked
        // apart; `strip` keeps the rest for comparison.
        let strip = |body: &Value| -> Value {
            json!(body["overdue"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| {
                    let mut o = o.clone();
                    let m = o.as_object_mut().unwrap();
                    m.remove("track_id");
                    m.remove("title");
                    o
                })
                .collect::<Vec<_>>())
        };
        let trend_all = trend(
            &[20, 30, 30, 2, 1, 1, 10, 10, 12, 5],
            &[(14, true), (19, false)],
        );
        let trend_a = trend(&[20, 30, 1, 1, 10, 12, 5], &[(14, true), (19, false)]);
        let trend_b = trend(&[30, 2, 10], &[]);

        // The office: every unit, who is behind first.
        for who in ["office", "admin"] {
            let (status, body) = get(w.s(who), "/api/v1/stats").await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let mut body = body;
            assert_eq!(body["overdue"][0]["track_id"], h.m2_b);
            assert_eq!(body["overdue"][0]["title"], "统计测试二：超时办结");
            body["overdue"] = strip(&body);
            check(
                who,
                &body,
                &[&a, &b, &c],
                matters(7, 2, 1),
                json!([o_m2, o_m10, o_m4]),
                &trend_all,
            );
            assert_eq!(body["filter"]["units"], Value::Null);
            assert!(body["definitions"]["sign_for"]
                .as_str()
                .unwrap()
                .contains("签收及时率"));
        }
        // Hand-computed totals, not only the units' sums.
        let (_, body) = get(w.s("office"), "/api/v1/stats").await;
        assert_eq!(body["tracks"]["total"], 11);
        assert_eq!(
            body["tracks"]["by_light"],
            json!({ "green": 3, "yellow": 1, "red": 3, "done": 3, "unknown": 1 })
        );
        assert_eq!(
            body["tracks"]["by_state"],
            json!({ "assigned": 3, "signed_for": 4, "close_requested": 1, "returned": 0, "closed": 2, "withdrawn": 1 })
        );
        assert_eq!(body["tracks"]["sign_for"], ratio(6, 9));
        assert_eq!(body["tracks"]["report"], ratio(3, 7));
        assert_eq!(body["tracks"]["close"], ratio(2, 4));

        // The lights agree with each matter's own view (computed by the
        // domain from the tracks, not from the stored copies).
        let mut lights: BTreeMap<String, i64> = BTreeMap::new();
        for id in h.m.values() {
            let (status, m) = get(w.s("office"), &format!("/api/v1/matters/{id}")).await;
            assert_eq!(status, StatusCode::OK);
            for t in m["matter"]["tracks"].as_array().unwrap() {
                *lights
                    .entry(t["light"].as_str().unwrap().into())
                    .or_default() += 1;
            }
        }
        for (l, n) in &lights {
            assert_eq!(body["tracks"]["by_light"][l], *n, "{l}: {lights:?}");
        }

        // A leader: their units only; the office may narrow to a leader's.
        let a_only = |who: &str, body: &Value| {
            let mut body = body.clone();
            body["overdue"] = strip(&body);
            check(
                who,
                &body,
                &[&a],
                matters(4, 2, 1),
                json!([o_m10, o_m4]),
                &trend_a,
            );
        };
        let (status, body) = get(w.s("leader_a"), "/api/v1/stats").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        a_only("leader_a", &body);
        let leader_a = w.ids["leader_a"];
        let (_, body) = get(w.s("office"), &format!("/api/v1/stats?leader={leader_a}")).await;
        a_only("office as leader_a", &body);
        assert_eq!(body["filter"]["leader"], leader_a);
        for who in ["liaison_a", "head_a", "handler_a"] {
            let (_, body) = get(w.s(who), "/api/v1/stats").await;
            a_only(who, &body);
        }

        // Unit B, by its own user and by the office's filter.
        let b_only = |who: &str, body: &Value| {
            let mut body = body.clone();
            body["overdue"] = strip(&body);
            check(who, &body, &[&b], matters(3, 1, 0), json!([o_m2]), &trend_b);
        };
        let (_, body) = get(w.s("liaison_b"), "/api/v1/stats").await;
        b_only("liaison_b", &body);
        let (_, body) = get(w.s("office"), &format!("/api/v1/stats?unit={}", w.b)).await;
        b_only("office unit=B", &body);
        assert_eq!(body["filter"]["unit"]["name"], "区财政局");
        let (_, body) = get(w.s("leader_b"), "/api/v1/stats").await;
        b_only("leader_b", &body);

        // A unit outside the caller's scope narrows to nothing.
        let (status, body) = get(w.s("leader_a"), &format!("/api/v1/stats?unit={}", w.b)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["units"], json!([]));
        assert_eq!(body["tracks"]["total"], 0);
        assert_eq!(body["matters"]["total"], 0);

        // The list's length and the trend's months.
        let (_, body) = get(w.s("office"), "/api/v1/stats?overdue=1&months=3").await;
        assert_eq!(body["overdue"].as_array().unwrap().len(), 1);
        assert_eq!(body["overdue"][0]["track_id"], h.m2_b);
        assert_eq!(body["trend"].as_array().unwrap().len(), 3);
        assert_eq!(body["trend"][2], trend_all[11]);

        // Refusals, in Chinese.
        let (status, body) = get(w.s("public1"), "/api/v1/stats").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body["error"].as_str().unwrap().contains("诉求"));
        let (status, body) =
            get(w.s("leader_a"), &format!("/api/v1/stats?leader={leader_a}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        for (q, want) in [
            ("months=0", "months"),
            ("overdue=500", "overdue"),
            ("unit=甲", "unit"),
            ("colour=red", "未知的查询参数"),
        ] {
            let (status, body) = get(w.s("office"), &format!("/api/v1/stats?{q}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
            assert!(
                body["error"].as_str().unwrap().contains(want),
                "{q}: {body}"
            );
        }

        // A well-formed leader parameter that names no leader: 422.
        let (status, body) = get(w.s("office"), "/api/v1/stats?leader=1").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("不是分管领导"));

        // The copies and sums wiped (a database from before they existed):
        // the figures come back the same, filled from the tracks' JSON.
        let (_, before) = get(w.s("office"), "/api/v1/stats").await;
        let mut tx = app.store.pool().begin().await.unwrap();
        tx.exec(
            "UPDATE tracks SET assigned_on = NULL, deploy_due = NULL, signed_on = NULL, first_report_due = NULL, \
             first_report_on = NULL, resolve_due = NULL, applied_on = NULL, closed_on = NULL, returns = 0",
            vec![],
        )
        .await
        .unwrap();
        tx.exec("DELETE FROM track_stats", vec![]).await.unwrap();
        tx.commit().await.unwrap();
        let (_, after) = get(w.s("office"), "/api/v1/stats").await;
        assert_eq!(before, after);
        let cal = app.store.calendar().await.unwrap();
        assert_eq!(app.store.backfill_track_facts(&cal, 3).await.unwrap(), 0);

        // The pages show the API's figures.
        let page = w.s("office").get("/dashboard").await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        for needle in [
            "区发展和改革局",
            "区统计局",
            "6/9",
            "4/6",
            "0/2",
            &format!("/matters/{}", h.m["M2"]),
            "统计测试十：未反馈",
            "<svg",
        ] {
            assert!(html.contains(needle), "dashboard lacks {needle}");
        }
        let page = w.s("leader_a").get("/leader").await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        for needle in ["区发展和改革局", "4/6", "3/5", "统计测试四：未签收"] {
            assert!(html.contains(needle), "leader page lacks {needle}");
        }
        assert!(!html.contains("区财政局"), "leader_a sees only unit A");
        let page = w.s("leader_a").get(&format!("/leader?unit={}", w.b)).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let page = w.s("liaison_a").get("/dashboard").await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        let page = w.s("office").get("/leader").await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        app.stop().await;
    }
}
