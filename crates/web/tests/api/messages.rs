//! The message centre over HTTP: a unit's liaison is told of an
//! assignment, a limit coming due and a return (what the office did), not
//! of what the unit did itself; the office is told of the application to
//! close; messages are marked read one by one or all at once, and the
//! navigation shows the unread count.

use crate::helpers::{json, TestApp};
use crate::matters::ensure_calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_domain::workflow::Action;
use duban_store::testing::fresh_databases;
use duban_store::NewMatter;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A cursor as written in a query string.
fn urlencoding(s: &str) -> String {
    s.replace('%', "%25").replace(':', "%3A")
}

fn kinds(v: &Value) -> Vec<String> {
    v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_unit_is_told_what_others_did_and_what_comes_due() {
    for url in fresh_databases("api_messages").await {
        let app = TestApp::spawn(&url).await;
        ensure_calendar(&app.store).await;
        let unit = app.unit("区发改局").await;
        let other = app.unit("区财政局").await;
        let office = app.user("office", Role::Office, None).await;
        let liaison = app.user("liaison", Role::Liaison, Some(unit)).await;
        app.user("liaison_b", Role::Liaison, Some(other)).await;
        let cal = app.store.calendar().await.unwrap();
        let now = duban_domain::clock::LocalTime::beijing().local(chrono::Utc::now());
        let m = app
            .store
            .create_matter(
                Some(office),
                NewMatter {
                    title: "推进重点项目前期工作".into(),
                    detail: "完成项目立项审批。".into(),
                    matter_type: MatterType::ordinary(),
                    source: Source::Meeting {
                        name: "区政府常务会议".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: json!([]),
                    lead: vec![unit],
                    co: vec![],
                    raised_by: None,
                },
                now,
                &cal,
            )
            .await
            .unwrap();
        let track = m.tracks[0].track.id;

        // Assigned today: the assignment, and signing for due today.
        let s = app.login("liaison").await;
        let (status, inbox) = json(s.get("/api/v1/messages").await).await;
        assert_eq!(status, StatusCode::OK, "{inbox}");
        assert_eq!(kinds(&inbox), ["track.assign", "due_soon"], "{inbox}");
        let due = &inbox["messages"][1];
        assert_eq!(due["label"], "临近时限");
        assert_eq!(
            due["note"],
            format!("时限 {}", due["detail"]["due"].as_str().unwrap())
        );
        assert_eq!(inbox["unread"], 2);
        assert_eq!(inbox["messages"][0]["label"], "交办");
        assert_eq!(inbox["messages"][0]["matter_id"], m.matter.id);
        // Another unit is told nothing.
        let (_, theirs) = json(app.login("liaison_b").await.get("/api/v1/messages").await).await;
        assert_eq!(theirs["unread"], 0, "{theirs}");

        // What the unit does itself is no news to it; the office is told
        // of the application; the return comes back to the unit.
        let v = app
            .store
            .act(Some(liaison), track, 1, &Action::SignFor, now, &cal)
            .await
            .unwrap()
            .version;
        let v = app
            .store
            .act(
                Some(liaison),
                track,
                v,
                &Action::ApplyToClose {
                    text: "已完成。".into(),
                },
                now,
                &cal,
            )
            .await
            .unwrap()
            .version;
        let o = app.login("office").await;
        let (_, asks) = json(o.get("/api/v1/messages").await).await;
        assert_eq!(kinds(&asks), ["track.apply_to_close"], "{asks}");
        app.store
            .act(
                Some(office),
                track,
                v,
                &Action::Return {
                    reason: "佐证材料不全".into(),
                },
                now,
                &cal,
            )
            .await
            .unwrap();
        let (_, inbox) = json(s.get("/api/v1/messages").await).await;
        let k = kinds(&inbox);
        assert!(k.contains(&"track.return".to_string()), "{inbox}");
        assert!(
            !k.iter()
                .any(|k| k == "track.sign_for" || k == "track.apply_to_close"),
            "{inbox}"
        );
        let ret = inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == "track.return")
            .unwrap();
        assert_eq!(ret["label"], "退回");
        assert_eq!(ret["actor"], "office的名字");

        // A page at a time by keyset: every message once, in the same order.
        let all: Vec<Value> = inbox["messages"].as_array().unwrap().clone();
        assert!(all.len() >= 2, "{inbox}");
        let mut paged = Vec::new();
        let mut link = "/api/v1/messages?limit=1".to_string();
        loop {
            let (status, page) = json(s.get(&link).await).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            assert_eq!(page["unread"], inbox["unread"], "the count is the newest's");
            paged.extend(
                page["messages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["key"].clone()),
            );
            match page["next"].as_str() {
                Some(next) => {
                    link = format!("/api/v1/messages?limit=1&after={}", urlencoding(next))
                }
                None => break,
            }
        }
        let keys: Vec<Value> = all.iter().map(|m| m["key"].clone()).collect();
        assert_eq!(paged, keys);
        for bad in ["after=x", "after=12.e0", "limit=0", "limit=101"] {
            let (status, err) = json(s.get(&format!("/api/v1/messages?{bad}")).await).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {err}");
        }
        // The page's 下一页 goes on from where the page ends.
        let html = s.get("/messages").await.text().await.unwrap();
        assert!(
            html.contains(&format!("【{}】", all[0]["label"].as_str().unwrap())),
            "{html}"
        );

        // Read one, then all; the navigation says how many are left.
        let unread = inbox["unread"].as_i64().unwrap();
        let (_, after) = json(
            s.post("/api/v1/messages/read", &json!({ "keys": [ret["key"]] }))
                .await,
        )
        .await;
        assert_eq!(after["unread"].as_i64().unwrap(), unread - 1);
        let page = s.get("/messages").await.text().await.unwrap();
        assert!(page.contains(&format!("{}条未读", unread - 1)), "{page}");
        let (_, after) = json(
            s.post("/api/v1/messages/read", &json!({ "all": true }))
                .await,
        )
        .await;
        assert_eq!(after["unread"], 0);
        let (_, inbox) = json(s.get("/api/v1/messages").await).await;
        assert!(inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["read"] == true));
        let (status, err) = json(s.post("/api/v1/messages/read", &json!({})).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(err["error"].as_str().unwrap().contains("keys"), "{err}");
        app.stop().await;
    }
}
