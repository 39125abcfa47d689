//! Appeals (诉求): raised by the public, accepted into a matter or rejected
//! by the office, and followed by the raiser to the answer.

use crate::helpers::{json, TestApp};
use crate::matters::World;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let (status, body) = json(resp).await;
    (
        status,
        body["error"].as_str().unwrap_or_default().to_string(),
    )
}

fn raise() -> Value {
    json!({
        "title": "厂区门口道路破损",
        "content": "园区纬三路厂区门口路面塌陷，货车无法通行。",
        "location": "经济开发区纬三路88号",
        "contact": "王经理 13800000000",
    })
}

#[tokio::test]
async fn an_appeal_becomes_a_matter_and_the_raiser_follows_it_to_the_answer() {
    for url in fresh_databases("api_appeals_flow").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let public = w.s("public1");
        let office = w.s("office");

        let (status, body) = json(public.post("/api/v1/appeals", &raise()).await).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let appeal = &body["appeal"];
        assert_eq!(appeal["status"], "pending");
        assert_eq!(appeal["status_label"], "待受理");
        let id = appeal["id"].as_i64().unwrap();

        // The raiser and the office see it; nobody else does.
        let (_, body) = json(public.get("/api/v1/appeals").await).await;
        assert_eq!(body["total"], 1);
        let (_, body) = json(w.s("public2").get("/api/v1/appeals").await).await;
        assert_eq!(body["total"], 0);
        let (status, _) = json(w.s("public2").get(&format!("/api/v1/appeals/{id}")).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, body) = json(office.get("/api/v1/appeals?status=pending").await).await;
        assert_eq!(body["total"], 1);

        // The office accepts it, assigning unit A to lead.
        let (status, msg) = error_of(
            office
                .post(
                    &format!("/api/v1/appeals/{id}/accept"),
                    &json!({ "type": "普通", "lead": [77777] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("单位 77777 不存在"), "{msg}");
        let (status, msg) = error_of(
            office
                .post(
                    &format!("/api/v1/appeals/{id}/accept"),
                    &json!({ "type": "普通", "lead": [w.a], "version": 5 }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(msg.contains("刷新"), "{msg}");
        let (status, body) = json(
            office
                .post(
                    &format!("/api/v1/appeals/{id}/accept"),
                    &json!({ "type": "普通", "lead": [w.a], "version": 1 }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["appeal"]["status"], "accepted");
        let matter_id = body["matter_id"].as_i64().unwrap();
        assert_eq!(body["appeal"]["matter"]["id"], matter_id);
        let (status, msg) = error_of(
            office
                .post(
                    &format!("/api/v1/appeals/{id}/reject"),
                    &json!({ "reason": "重复" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("已受理"), "{msg}");

        // The matter: from an appeal, raised by the raiser, on the board.
        let (_, body) = json(office.get(&format!("/api/v1/matters/{matter_id}")).await).await;
        let m = &body["matter"];
        assert_eq!(m["source"]["type"], "appeal");
        assert_eq!(m["source"]["from"], "public1的名字");
        assert_eq!(m["raised_by"], w.ids["public1"]);
        assert_eq!(m["title"], "厂区门口道路破损");
        assert!(m["detail"].as_str().unwrap().contains("纬三路88号"));
        let (_, body) = json(office.get("/api/v1/matters?source=appeal").await).await;
        assert_eq!(body["total"], 1);
        // The raiser sees the matter, without the government's internals.
        let (_, body) = json(public.get("/api/v1/matters").await).await;
        assert_eq!(body["total"], 1);
        let (status, body) = json(public.get(&format!("/api/v1/matters/{matter_id}")).await).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body["matter"].get("events").is_none(), "{body}");
        assert!(body["matter"]["tracks"][0].get("reports").is_none());
        assert_eq!(body["matter"]["answer"], Value::Null);
        let (status, _) = json(
            w.s("public2")
                .get(&format!("/api/v1/matters/{matter_id}"))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Unit A carries it to the end.
        let tid = body["matter"]["tracks"][0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/tracks/{tid}/actions");
        let steps = [
            ("liaison_a", json!({ "version": 1, "action": "sign_for" })),
            (
                "liaison_a",
                json!({ "version": 2, "action": "apply_to_close", "text": "已修复路面并恢复通行。" }),
            ),
            (
                "office",
                json!({ "version": 3, "action": "close", "grade": "excellent" }),
            ),
        ];
        for (who, body) in steps {
            let (status, resp) = json(w.s(who).post(&path, &body).await).await;
            assert_eq!(status, StatusCode::OK, "{who}: {resp}");
        }
        let (_, body) = json(public.get(&format!("/api/v1/appeals/{id}")).await).await;
        let a = &body["appeal"];
        assert_eq!(a["matter"]["status"], "closed");
        assert_eq!(a["matter"]["status_label"], "已销号");
        assert_eq!(a["answer"]["text"], "已修复路面并恢复通行。");
        assert!(a["answer"]["closed_at"].is_string());
        let (_, body) = json(public.get(&format!("/api/v1/matters/{matter_id}")).await).await;
        assert_eq!(body["matter"]["answer"]["text"], "已修复路面并恢复通行。");
        assert!(app.store.verify_events().await.unwrap().is_ok());
        app.stop().await;
    }
}

#[tokio::test]
async fn appeals_are_rejected_with_a_reason_and_bad_ones_refused() {
    for url in fresh_databases("api_appeals_bad").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let public = w.s("public1");
        let office = w.s("office");

        for (field, needle) in [
            ("content", "诉求内容"),
            ("location", "地点"),
            ("contact", "联系方式"),
        ] {
            let mut body = raise();
            body[field] = json!("  ");
            let (status, msg) = error_of(public.post("/api/v1/appeals", &body).await).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
            assert!(msg.contains(needle), "{field}: {msg}");
        }
        let (status, msg) =
            error_of(public.post_raw("/api/v1/appeals", "{\"content\"").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(msg.starts_with("JSON 格式错误"), "{msg}");
        let (status, _) = json(
            public
                .post(
                    "/api/v1/appeals",
                    &json!({ "content": "x", "location": "y", "contact": "z", "urgent": true }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // Only the public raises appeals.
        let (status, _) = json(office.post("/api/v1/appeals", &raise()).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = json(w.s("liaison_a").post("/api/v1/appeals", &raise()).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A title is made from the content when none is given.
        let mut body = raise();
        body["title"] = json!("");
        let (status, body) = json(public.post("/api/v1/appeals", &body).await).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            body["appeal"]["title"],
            "园区纬三路厂区门口路面塌陷，货车无法通行。"
        );
        let id = body["appeal"]["id"].as_i64().unwrap();

        let reject = format!("/api/v1/appeals/{id}/reject");
        let (status, msg) = error_of(office.post(&reject, &json!({ "reason": "" })).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("理由"), "{msg}");
        let (status, _) = json(public.post(&reject, &json!({ "reason": "撤回" })).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = json(
            office
                .post(
                    &reject,
                    &json!({ "reason": "属于民事纠纷，请通过法律途径解决" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, body) = json(public.get(&format!("/api/v1/appeals/{id}")).await).await;
        assert_eq!(body["appeal"]["status_label"], "不予受理");
        assert_eq!(body["appeal"]["reason"], "属于民事纠纷，请通过法律途径解决");
        let (status, msg) = error_of(
            office
                .post(
                    &format!("/api/v1/appeals/{id}/accept"),
                    &json!({ "type": "普通", "lead": [w.a] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("不予受理"), "{msg}");
        let (status, _) = json(office.get("/api/v1/appeals/424242").await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = json(office.get("/api/v1/appeals?status=lost").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        app.stop().await;
    }
}

/// Following `next` through `after` lists every appeal in view once,
/// newest first, for the office (all, or one status) and for a raiser (his
/// own); a garbled cursor is a 400, `after` with `offset` a 422; the page's
/// 下一页 carries the cursor and the filter.
#[tokio::test]
async fn the_appeals_page_by_cursor_each_appeal_once_newest_first() {
    for url in fresh_databases("api_appeals_keyset").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let (p1, p2) = (w.ids["public1"], w.ids["public2"]);
        let mut raised = Vec::new();
        for i in 0..70 {
            let raiser = if i % 4 == 0 { p2 } else { p1 };
            let a = app
                .store
                .create_appeal(
                    raiser,
                    duban_store::appeals::NewAppeal {
                        title: format!("诉求{i}"),
                        content: format!("第{i}个问题"),
                        location: "纬三路".into(),
                        contact: "13800000000".into(),
                    },
                )
                .await
                .unwrap();
            if i % 5 == 0 {
                app.store
                    .reject_appeal(Some(w.ids["office"]), a.id, None, "不属于督办范围")
                    .await
                    .unwrap();
            }
            raised.push((a.id, raiser, i % 5 == 0));
        }
        for (who, filter) in [
            ("office", ""),
            ("office", "&status=rejected"),
            ("office", "&status=pending"),
            ("public1", ""),
        ] {
            let expected: Vec<i64> = raised
                .iter()
                .rev()
                .filter(|(_, raiser, rejected)| {
                    (who == "office" || *raiser == p1)
                        && match filter {
                            "&status=rejected" => *rejected,
                            "&status=pending" => !*rejected,
                            _ => true,
                        }
                })
                .map(|(id, _, _)| *id)
                .collect();
            let s = w.s(who);
            let mut got = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let cursor = after.as_deref().map(|a| format!("&after={a}"));
                let (status, page) = json(
                    s.get(&format!(
                        "/api/v1/appeals?limit=9{filter}{}",
                        cursor.unwrap_or_default()
                    ))
                    .await,
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{page}");
                assert_eq!(page["total"], expected.len(), "{who} {filter}");
                let ids: Vec<i64> = page["appeals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["id"].as_i64().unwrap())
                    .collect();
                assert!(ids.len() <= 9);
                got.extend(ids);
                match page["next"].as_str() {
                    Some(n) => after = Some(n.to_string()),
                    None => break,
                }
            }
            assert_eq!(got, expected, "{who} {filter}");
        }

        // The offset still pages; a bad cursor or both at once are refused.
        let office = w.s("office");
        let (status, page) = json(office.get("/api/v1/appeals?limit=4&offset=4").await).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            page["appeals"][0]["id"].as_i64(),
            Some(raised[raised.len() - 5].0)
        );
        for bad in ["x", "0", "-3", "07"] {
            let (status, msg) =
                error_of(office.get(&format!("/api/v1/appeals?after={bad}")).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(msg.contains("after"), "{msg}");
        }
        let (status, msg) = error_of(office.get("/api/v1/appeals?after=5&offset=4").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(msg.contains("offset"), "{msg}");

        // The page (50 a page) has 下一页 keeping the filter, with the cursor.
        let html = office
            .get("/appeals?status=pending")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("下一页"), "{html}");
        assert!(
            html.contains("status=pending&amp;after=") || html.contains("status=pending&after="),
            "{html}"
        );
        let (_, first) = json(office.get("/api/v1/appeals?status=pending").await).await;
        assert!(first["next"].is_string(), "{first}");
    }
}
