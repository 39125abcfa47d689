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
