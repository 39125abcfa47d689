use crate::helpers::{json, TestApp, PASSWORD};
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn log_in_see_yourself_log_out() {
    for url in fresh_databases("api_session").await {
        let app = TestApp::spawn(&url).await;
        let anon = app.anonymous();
        let (status, body) = json(
            anon.get(format!("{}/api/v1/me", app.base))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body["error"].as_str().unwrap().contains("登录"));

        let (status, body) = json(
            anon.post(format!("{}/api/v1/session", app.base))
                .json(&json!({ "login": "admin", "password": "wrong" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "登录名或密码不正确");

        let s = app.login("admin").await;
        let (status, body) = json(s.get("/api/v1/me").await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["user"]["login"], "admin");
        assert_eq!(body["user"]["role"], "admin");

        // An unsafe request without the CSRF token is refused.
        let resp = s
            .client
            .delete(format!("{}/api/v1/session", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let resp = s
            .client
            .delete(format!("{}/api/v1/session", app.base))
            .header("x-csrf-token", &s.csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(s.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
        let _ = PASSWORD;
        app.stop().await;
    }
}

#[tokio::test]
async fn health_and_metrics() {
    for url in fresh_databases("api_health").await {
        let app = TestApp::spawn(&url).await;
        let c = app.anonymous();
        let r = c.get(format!("{}/healthz", app.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let _ = c
            .get(format!("{}/api/v1/me", app.base))
            .send()
            .await
            .unwrap();
        let text = c
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            text.contains(
                "duban_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"} 1"
            ),
            "{text}"
        );
        assert!(text.contains("duban_http_request_duration_seconds_bucket"));
        app.stop().await;
    }
}
