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

#[tokio::test]
async fn the_users_page_issues_a_token_shown_once_and_revokes_it() {
    use crate::pages::{cookie, no_redirects};
    for url in fresh_databases("page_tokens").await {
        let app = TestApp::spawn(&url).await;
        let unit = app.unit("区财政局").await;
        let user = app.user("zhao", Role::Liaison, Some(unit)).await;
        let office_id = app.user("office", Role::Office, None).await;
        let admin_id = app
            .store
            .user_by_login("admin")
            .await
            .unwrap()
            .unwrap()
            .0
            .id;
        let client = no_redirects();
        let base = &app.base;
        let (admin, csrf) = cookie(&app, admin_id, 1).await;
        let user_field = user.to_string();
        let issue = |name: &'static str| {
            client
                .post(format!("{base}/admin/tokens"))
                .header("cookie", &admin)
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("user_id", user_field.as_str()),
                    ("name", name),
                ])
                .send()
        };

        // Without a name: refused, said why.
        let resp = issue("").await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.text().await.unwrap().contains("令牌名称不能为空"));

        // Issued: the token on this page, with the note, and never again.
        let resp = issue("数据交换").await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("请立即复制，离开本页后无法再次查看"),
            "{html}"
        );
        let token = html
            .split("id=\"new-token\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .expect("the token on the page")
            .to_string();
        let (status, body) = me_by(&app, &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["user"]["login"], "zhao");
        let page = |who: String| {
            let client = client.clone();
            async move {
                client
                    .get(format!("{base}/admin/users"))
                    .header("cookie", who)
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap()
            }
        };
        let again = page(admin.clone()).await;
        assert!(
            again.contains("数据交换") && !again.contains(&token),
            "{again}"
        );
        assert!(!again.contains("请立即复制"));

        // The office sees the users but not the tokens, and may not issue.
        let (office, office_csrf) = cookie(&app, office_id, 1).await;
        let seen = page(office.clone()).await;
        assert!(
            seen.contains("zhao") && !seen.contains("API 令牌"),
            "{seen}"
        );
        let resp = client
            .post(format!("{base}/admin/tokens"))
            .header("cookie", &office)
            .form(&[
                ("_csrf", office_csrf.as_str()),
                ("user_id", user_field.as_str()),
                ("name", "自发"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);

        // Revoked from the page: refused at once.
        let id = app.store.api_tokens().await.unwrap()[0].id;
        let resp = client
            .post(format!("{base}/admin/tokens/{id}/revoke"))
            .header("cookie", &admin)
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(resp.headers()["location"], "/admin/users?ok=token_revoked");
        let (status, _) = me_by(&app, &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(page(admin.clone()).await.contains("已吊销"));
        app.stop().await;
    }
}
