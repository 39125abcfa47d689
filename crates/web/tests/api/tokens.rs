//! API tokens for integrations: the admin issues one to a user (shown
//! once), the token calls the API as that user, the list never shows it,
//! a revoked token is refused at once, and nobody but the admin may do
//! any of it.

use crate::helpers::{json, TestApp};
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use duban_web::auth::token_hash;
use reqwest::StatusCode;
use serde_json::json;

/// `GET /api/v1/me` with `token` as the bearer: status and body.
async fn me_by(app: &TestApp, token: &str) -> (StatusCode, serde_json::Value) {
    json(
        app.anonymous()
            .get(format!("{}/api/v1/me", app.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_admin_issues_a_token_once_and_revokes_it() {
    for url in fresh_databases("api_tokens").await {
        let app = TestApp::spawn(&url).await;
        let unit = app.unit("区财政局").await;
        let user = app.user("zhao", Role::Liaison, Some(unit)).await;
        app.user("office", Role::Office, None).await;
        let admin = app.login("admin").await;
        let office = app.login("office").await;
        let issue_path = format!("/api/v1/users/{user}/tokens");

        // A token needs a name saying what it is for.
        let (status, body) = json(admin.post(&issue_path, &json!({ "name": "  " })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("名称不能为空"),
            "{body}"
        );
        let (status, _) = json(
            admin
                .post("/api/v1/users/99999/tokens", &json!({ "name": "对接" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Issued: the token is in this answer and nowhere else.
        let (status, body) = json(
            admin
                .post(&issue_path, &json!({ "name": "政务平台对接" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let token = body["token"].as_str().unwrap().to_string();
        assert!(token.len() >= 32, "{body}");
        let id = body["api_token"]["id"].as_i64().unwrap();
        assert_eq!(body["api_token"]["user_id"], user);
        assert_eq!(body["api_token"]["last_used_at"], serde_json::Value::Null);

        // It calls the API as that user.
        let (status, body) = me_by(&app, &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["user"]["login"], "zhao");
        let (status, _) = me_by(&app, "not-a-token").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // The list names it and its owner, with its last use, but never
        // the token or its hash.
        let resp = admin.get("/api/v1/tokens").await;
        assert_eq!(resp.status(), StatusCode::OK);
        let text = resp.text().await.unwrap();
        assert!(!text.contains(&token), "{text}");
        assert!(!text.contains(&token_hash(&token)), "{text}");
        let list: serde_json::Value = serde_json::from_str(&text).unwrap();
        let listed = list["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("token {id} not listed: {list}"));
        assert_eq!(listed["name"], "政务平台对接");
        assert_eq!(listed["user_login"], "zhao");
        assert!(listed["last_used_at"].is_string(), "{listed}");
        assert_eq!(listed["revoked_at"], serde_json::Value::Null);

        // Nobody else may issue, list or revoke.
        for (status, _) in [
            json(office.post(&issue_path, &json!({ "name": "自发" })).await).await,
            json(office.get("/api/v1/tokens").await).await,
            json(office.delete(&format!("/api/v1/tokens/{id}")).await).await,
        ] {
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, _) = json(
            app.anonymous()
                .get(format!("{}/api/v1/tokens", app.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a liaison's token lists nothing"
        );

        // Revoked: refused at once, listed as revoked, not revoked twice.
        let (status, body) = json(admin.delete(&format!("/api/v1/tokens/{id}")).await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["api_token"]["revoked_at"].is_string(), "{body}");
        let (status, _) = me_by(&app, &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, body) = json(admin.delete(&format!("/api/v1/tokens/{id}")).await).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("已经吊销"),
            "{body}"
        );

        // The log keeps both, by the admin, on the user.
        let events = app.store.events_of("user", user).await.unwrap();
        for action in ["token.create", "token.revoke"] {
            assert!(
                events
                    .iter()
                    .any(|e| e.action == action && e.actor == Some(admin.user_id)),
                "{action} not logged: {events:?}"
            );
        }
        app.stop().await;
    }
}
