//! Accounts as 等保 level 3 asks: password rules, the forced change of an
//! initial or reset password, lockout after failures, per-address log-in
//! throttling, the idle timeout, disabling a user.

use crate::helpers::{json, TestApp, PASSWORD};
use crate::pages::cookie;
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use duban_web::auth::token_hash;
use reqwest::StatusCode;
use serde_json::json;

/// Logs `login` in with `password` through the API: status and body.
async fn log_in(app: &TestApp, login: &str, password: &str) -> (StatusCode, serde_json::Value) {
    json(
        app.anonymous()
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn weak_passwords_are_refused_and_an_initial_one_must_be_changed() {
    for url in fresh_databases("acc_passwords").await {
        let app = TestApp::spawn(&url).await;
        let admin = app.login("admin").await;
        let create = |password: &str| json!({ "login": "zhangsan", "name": "张三", "role": "office", "password": password });
        for (weak, says) in [
            ("12345678", "太短"),
            ("        ", "首尾"),
            ("abcdefghijkl", "至少 3 类"),
            ("Zhangsan#2024", "登录名"),
        ] {
            let (status, body) = json(admin.post("/api/v1/users", &create(weak)).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{weak:?}: {body}");
            assert!(body["error"].as_str().unwrap().contains(says), "{body}");
        }
        let initial = "初始密码Abc2024";
        let (status, body) = json(admin.post("/api/v1/users", &create(initial)).await).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");

        // The initial password opens only the change of it.
        let client = app.anonymous();
        let resp = client
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({ "login": "zhangsan", "password": initial }))
            .send()
            .await
            .unwrap();
        let (status, body) = json(resp).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["must_change_password"], true);
        let csrf = body["csrf"].as_str().unwrap().to_string();
        let get = |path: &str| client.get(format!("{}{path}", app.base)).send();
        let resp = get("/api/v1/matters").await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        assert!(resp.text().await.unwrap().contains("/api/v1/me/password"));
        assert_eq!(get("/api/v1/me").await.unwrap().status(), StatusCode::OK);
        // A page sends the user to the change of password.
        let resp = get("/board").await.unwrap();
        assert_eq!(resp.url().path(), "/account/password");
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.text().await.unwrap().contains("修改密码"));
        let change = |current: &str, new: &str| {
            client
                .post(format!("{}/api/v1/me/password", app.base))
                .header("x-csrf-token", &csrf)
                .json(&json!({ "current_password": current, "new_password": new }))
                .send()
        };
        let (status, body) = json(change("wrong", "新的密码Abc2025").await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"].as_str().unwrap().contains("当前密码不正确"));
        let (status, body) = json(change(initial, initial).await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"].as_str().unwrap().contains("最近"), "{body}");
        let (status, body) = json(change(initial, "新的密码Abc2025").await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            get("/api/v1/matters").await.unwrap().status(),
            StatusCode::OK
        );
        // The old password no longer opens anything; the new one does,
        // without a forced change.
        assert_eq!(
            log_in(&app, "zhangsan", initial).await.0,
            StatusCode::BAD_REQUEST
        );
        let (status, body) = log_in(&app, "zhangsan", "新的密码Abc2025").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["must_change_password"], false);
        app.stop().await;
    }
}

#[tokio::test]
async fn failures_lock_an_account_and_a_reset_opens_it() {
    for url in fresh_databases("acc_lockout").await {
        let app = TestApp::spawn(&url).await;
        let id = app.user("liaison", Role::Office, None).await;
        for _ in 0..5 {
            let (status, _) = log_in(&app, "liaison", "wrong").await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
        }
        // Locked: even the right password is refused, and says so.
        let (status, body) = log_in(&app, "liaison", PASSWORD).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("已被锁定"),
            "{body}"
        );
        let events = app.store.events_of("user", id).await.unwrap();
        assert!(events.iter().any(|e| e.action == "user.lock"), "{events:?}");
        // A reset by the security admin lifts the lock and forces a
        // change; the system admin may not (三员分立).
        let admin = app.login("admin").await;
        let (status, body) = json(
            admin
                .post(
                    &format!("/api/v1/users/{id}/password"),
                    &json!({ "password": "重置密码Abc2024" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("安全管理员"),
            "{body}"
        );
        app.user("security", Role::Security, None).await;
        let security = app.login("security").await;
        let (status, body) = json(
            security
                .post(
                    &format!("/api/v1/users/{id}/password"),
                    &json!({ "password": "重置密码Abc2024" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let client = app.anonymous();
        let (status, body) = json(
            client
                .post(format!("{}/api/v1/session", app.base))
                .json(&json!({ "login": "liaison", "password": "重置密码Abc2024" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["must_change_password"], true);
        // Changed through the page's form: mismatched twice, then done.
        let csrf = body["csrf"].as_str().unwrap().to_string();
        let post = |new: &str, repeat: &str| {
            client
                .post(format!("{}/account/password", app.base))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("current_password", "重置密码Abc2024"),
                    ("new_password", new),
                    ("repeat_password", repeat),
                ])
                .send()
        };
        let resp = post("新密码Abc2025", "新密码Abc2026").await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp
            .text()
            .await
            .unwrap()
            .contains("两次输入的新密码不一致"));
        let resp = post("新密码Abc2025", "新密码Abc2025").await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.text().await.unwrap().contains("密码已修改"));
        let (status, body) = log_in(&app, "liaison", "新密码Abc2025").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["must_change_password"], false);
        app.stop().await;
    }
}

#[tokio::test]
async fn one_address_is_throttled() {
    let url = &fresh_databases("acc_throttle").await[0];
    let app = TestApp::spawn_with(url, |c| c.accounts.login_attempts_per_minute = 3).await;
    for _ in 0..3 {
        assert_eq!(log_in(&app, "nobody", "x").await.0, StatusCode::BAD_REQUEST);
    }
    let (status, body) = log_in(&app, "admin", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body["error"].as_str().unwrap().contains("过于频繁"));
    app.stop().await;
}

#[tokio::test]
async fn an_idle_session_ends_and_a_disabled_user_is_shut_out() {
    for url in fresh_databases("acc_idle").await {
        let app = TestApp::spawn(&url).await;
        let admin_id = app
            .store
            .user_by_login("admin")
            .await
            .unwrap()
            .unwrap()
            .0
            .id;
        let me = |cookie: String| {
            reqwest::Client::new()
                .get(format!("{}/api/v1/me", app.base))
                .header("cookie", cookie)
                .send()
        };
        let (c, _) = cookie(&app, admin_id, 8).await;
        assert_eq!(me(c.clone()).await.unwrap().status(), StatusCode::OK);
        let token = c.trim_start_matches("duban_session=");
        app.store
            .touch_session(
                &token_hash(token),
                chrono::Utc::now() - chrono::Duration::minutes(31),
            )
            .await
            .unwrap();
        assert_eq!(
            me(c).await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "idle for 31 minutes"
        );

        let id = app.user("handler", Role::Office, None).await;
        let theirs = app.login("handler").await;
        let admin = app.login("admin").await;
        let (status, body) = json(
            admin
                .put(
                    &format!("/api/v1/users/{id}/active"),
                    &json!({ "active": false }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            theirs.get("/api/v1/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            log_in(&app, "handler", PASSWORD).await.0,
            StatusCode::BAD_REQUEST
        );
        let (status, _) = json(
            admin
                .put(
                    &format!("/api/v1/users/{admin_id}/active"),
                    &json!({ "active": false }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not oneself");
        app.stop().await;
    }
}

#[tokio::test]
async fn only_the_audit_admin_reads_the_trail_of_log_ins() {
    for url in fresh_databases("acc_audit").await {
        let app = TestApp::spawn(&url).await;
        app.user("auditor", Role::Auditor, None).await;
        assert_eq!(
            log_in(&app, "admin", "wrong").await.0,
            StatusCode::BAD_REQUEST
        );
        let admin = app.login("admin").await;
        let resp = admin.get("/api/v1/audit").await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "not the system admin");
        let auditor = app.login("auditor").await;
        let (status, body) = json(auditor.get("/api/v1/audit?limit=10").await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let entries = body["entries"].as_array().unwrap();
        let failed = entries
            .iter()
            .find(|e| e["action"] == "audit.login_failed")
            .expect("the failure is in the trail");
        assert_eq!(failed["after"]["login"], "admin");
        assert_eq!(failed["after"]["addr"], "127.0.0.1");
        assert!(entries
            .iter()
            .any(|e| e["action"] == "audit.login" && e["actor"] == admin.user_id));
        // Exports are in it too.
        assert_eq!(admin.get("/board.csv").await.status(), StatusCode::OK);
        let (_, body) = json(auditor.get("/api/v1/audit?limit=5").await).await;
        assert!(
            body["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "audit.export" && e["after"]["what"] == "board.csv"),
            "{body}"
        );
        // The trail is the chain: it verifies.
        assert!(app.store.verify_events().await.unwrap().is_ok());
        // The audit admin sees no matter.
        let (status, body) = json(auditor.get("/api/v1/matters").await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["total"], 0, "{body}");
        app.stop().await;
    }
}
