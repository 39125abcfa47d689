use crate::helpers::{json, TestApp};
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn units_are_created_by_admins_and_resolved_by_everyone() {
    for url in fresh_databases("api_units").await {
        let app = TestApp::spawn(&url).await;
        let admin = app.login("admin").await;
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/units",
                    &json!({ "name": "区工业和信息化科技局", "aliases": ["区工科局"], "level": "county", "kind": "department" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let id = body["unit"]["id"].as_i64().unwrap();

        let (status, body) = json(
            admin.post("/api/v1/units", &json!({ "name": "区工业和信息化科技局", "level": "county", "kind": "department" })).await,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body["error"].as_str().unwrap().contains("已存在"));

        let (status, body) = json(admin.post_raw("/api/v1/units", "{\"name\": ").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["error"].as_str().unwrap().starts_with("JSON 格式错误"),
            "{body}"
        );
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/units",
                    &json!({ "name": "区财政局", "level": "moon", "kind": "department" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"].as_str().unwrap().contains("level"), "{body}");

        // Well formed but wrong in what it says: a parent that does not
        // exist (was a foreign-key 500), an alias of one character, an
        // alias that is another unit's name. Nothing is stored.
        for (unit, status_want, needle) in [
            (
                json!({ "name": "区财政局", "level": "county", "kind": "department", "parent": 424242 }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "上级单位 424242 不存在",
            ),
            (
                json!({ "name": "区财政局", "aliases": [" 财 "], "level": "county", "kind": "department" }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "至少两个字",
            ),
            (
                json!({ "name": "区财政局", "aliases": ["区工科局"], "level": "county", "kind": "department" }),
                StatusCode::CONFLICT,
                "已是单位“区工业和信息化科技局”的名称或别名",
            ),
        ] {
            let (status, body) = json(admin.post("/api/v1/units", &unit).await).await;
            assert_eq!(status, status_want, "{unit}: {body}");
            assert!(body["error"].as_str().unwrap().contains(needle), "{body}");
        }
        let (_, body) = json(admin.get("/api/v1/units").await).await;
        assert!(
            !body.to_string().contains("区财政局"),
            "a refused unit was stored: {body}"
        );

        let unit_user = app.user("liaison", Role::Liaison, Some(id)).await;
        let _ = unit_user;
        let s = app.login("liaison").await;
        let (status, _) = json(
            s.post(
                "/api/v1/units",
                &json!({ "name": "区财政局", "level": "county", "kind": "department" }),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, body) = json(s.get("/api/v1/units/resolve?name=区工科局").await).await;
        assert_eq!(body["unit"], id);
        let (_, body) = json(s.get("/api/v1/units/resolve?name=区工信局").await).await;
        assert_eq!(body["unit"], serde_json::Value::Null);
        assert_eq!(body["candidates"][0]["unit"], id);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_admin_merges_two_units_and_edits_a_kind() {
    for url in fresh_databases("api_units_merge").await {
        let app = TestApp::spawn(&url).await;
        let short = app.unit("区发改局").await;
        let full = app.unit("区发展和改革委员会").await;
        let other = app.unit("区财政局").await;
        app.user("liaison_full", Role::Liaison, Some(full)).await;
        let admin = app.login("admin").await;

        // A unit merged into itself, or into one that does not exist.
        let (status, body) = json(
            admin
                .post(
                    &format!("/api/v1/units/{full}/merge"),
                    &json!({ "into": full }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("自己"), "{body}");
        let (status, _) = json(
            admin
                .post(
                    &format!("/api/v1/units/{full}/merge"),
                    &json!({ "into": 9999 }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (status, body) = json(
            admin
                .post(
                    &format!("/api/v1/units/{full}/merge"),
                    &json!({ "into": short }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["unit"]["aliases"], json!(["区发展和改革委员会"]));
        assert_eq!(body["moved"]["users"], 1);
        let (_, body) = json(
            admin
                .get("/api/v1/units/resolve?name=区发展和改革委员会")
                .await,
        )
        .await;
        assert_eq!(body["unit"], short);
        let (_, body) = json(admin.get("/api/v1/units").await).await;
        assert!(body["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["id"] != full));

        // An alias that is another unit's name is refused: that is a merge.
        let (status, body) = json(
            admin
                .patch(
                    &format!("/api/v1/units/{short}"),
                    &json!({ "aliases": ["区财政局"] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["error"].as_str().unwrap().contains("合并"), "{body}");
        let (status, body) = json(
            admin
                .patch(
                    &format!("/api/v1/units/{other}"),
                    &json!({ "kind": "township" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["unit"]["kind"], "township");
        let (status, _) = json(
            admin
                .patch(&format!("/api/v1/units/{other}"), &json!({}))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        app.stop().await;
    }
}
