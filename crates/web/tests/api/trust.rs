//! 三员分立, the second factor and the write limit: three admin roles held
//! by three people; the security admin alone changes the account rules,
//! unlocks and resets; TOTP enrolled with a code, then asked at log-in,
//! good once, counted in the lock-out, required of admins when the rules
//! say so; a user writing too fast is told to wait; the audit page.

use crate::helpers::{json, TestApp, PASSWORD};
use duban_domain::events::EventKind;
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn log_in(app: &TestApp, body: Value) -> (StatusCode, Value) {
    json(
        app.anonymous()
            .post(format!("{}/api/v1/session", app.base))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

#[tokio::test]
async fn one_person_holds_one_admin_role_and_the_security_admin_owns_the_rules() {
    for url in fresh_databases("trust_three").await {
        let app = TestApp::spawn(&url).await;
        let admin = app.login("admin").await;
        let me: Value = admin.get("/api/v1/me").await.json().await.unwrap();
        let name = me["user"]["name"].as_str().unwrap().to_string();
        for role in ["security", "auditor"] {
            let (status, body) = json(
                admin
                    .post(
                        "/api/v1/users",
                        &json!({ "login": format!("{role}2"), "name": name, "role": role, "password": "另一个账号Abc123" }),
                    )
                    .await,
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let says = body["error"].as_str().unwrap();
            assert!(
                says.contains("三员分立") && says.contains("已是系统管理员"),
                "{body}"
            );
        }
        // Another person may be the security admin.
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/users",
                    &json!({ "login": "anquan", "name": "李安全", "role": "security", "password": "安全管理Abc123" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");

        // The rules: the security admin's alone.
        app.user("security", Role::Security, None).await;
        app.user("auditor", Role::Auditor, None).await;
        let security = app.login("security").await;
        for who in [&admin, &app.login("auditor").await] {
            let resp = who
                .put(
                    "/api/v1/security/settings",
                    &json!({ "accounts": { "password_min_length": 14 } }),
                )
                .await;
            assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        }
        let (status, body) = json(
            security
                .put(
                    "/api/v1/security/settings",
                    &json!({ "accounts": { "password_min_length": 3 } }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("8 到 64"),
            "{body}"
        );
        let (status, body) = json(
            security
                .put(
                    "/api/v1/security/settings",
                    &json!({ "accounts": { "password_min_length": 14, "max_failed_logins": 3 } }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["accounts"]["password_min_length"], 14);
        assert_eq!(body["accounts"]["lock_minutes"], 15, "the rest kept");
        // In force at once: a 13-character password is now too short …
        let (status, body) = json(
            admin
                .post(
                    "/api/v1/users",
                    &json!({ "login": "wangwu", "name": "王五", "role": "office", "password": "十三个字符的密码Ab12" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("至少 14"),
            "{body}"
        );
        // … three failures lock, and only the security admin unlocks.
        let id = app.user("zhaoliu", Role::Office, None).await;
        for _ in 0..3 {
            log_in(&app, json!({ "login": "zhaoliu", "password": "wrong" })).await;
        }
        let (status, _) = log_in(&app, json!({ "login": "zhaoliu", "password": PASSWORD })).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "locked");
        let resp = admin
            .post(&format!("/api/v1/users/{id}/unlock"), &json!(null))
            .await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let resp = security
            .post(&format!("/api/v1/users/{id}/unlock"), &json!(null))
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
        let (status, body) =
            log_in(&app, json!({ "login": "zhaoliu", "password": PASSWORD })).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // The rule change and the unlock are in the trail, by whom.
        let auditor = app.login("auditor").await;
        let (_, trail) = json(auditor.get("/api/v1/audit?kind=settings.").await).await;
        let changed = &trail["entries"][0];
        assert_eq!(changed["action"], "settings.security");
        assert_eq!(changed["actor"], security.user_id);
        assert_eq!(changed["after"]["value"]["password_min_length"], 14);
        let (_, trail) = json(
            auditor
                .get("/api/v1/audit?kind=user.unlock&user=security")
                .await,
        )
        .await;
        assert_eq!(trail["entries"].as_array().unwrap().len(), 1, "{trail}");
        // The rules survive a restart: they are the database's now.
        let beside = TestApp::spawn_beside(&url).await;
        let security2 = beside.login("security").await;
        let (_, body) = json(security2.get("/api/v1/security/settings").await).await;
        assert_eq!(body["accounts"]["password_min_length"], 14);
        beside.stop().await;
        app.stop().await;
    }
}

#[tokio::test]
async fn totp_is_enrolled_with_a_code_then_asked_once_per_code_and_counted() {
    for url in fresh_databases("trust_totp").await {
        let app = TestApp::spawn(&url).await;
        let id = app.user("zhang", Role::Office, None).await;
        let zhang = app.login("zhang").await;
        let (status, begun) = json(zhang.post("/api/v1/me/totp", &json!(null)).await).await;
        assert_eq!(status, StatusCode::OK, "{begun}");
        let secret = begun["secret"].as_str().unwrap().to_string();
        assert!(begun["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/"));
        // Not asked before it is confirmed; a wrong code does not confirm.
        let (status, _) = log_in(&app, json!({ "login": "zhang", "password": PASSWORD })).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = json(
            zhang
                .post("/api/v1/me/totp/confirm", &json!({ "code": "000000" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["error"].as_str().unwrap().contains("6 位数字"));
        let code = duban_web::security::code_at(&secret, now() - 30).unwrap();
        let (status, body) = json(
            zhang
                .post("/api/v1/me/totp/confirm", &json!({ "code": code }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // Now the password alone is not enough, and says what is missing.
        let (status, body) = log_in(&app, json!({ "login": "zhang", "password": PASSWORD })).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["totp_required"], true);
        assert!(body["error"].as_str().unwrap().contains("动态口令"));
        // The code of the step already used is refused (good once) …
        let (status, _) = log_in(
            &app,
            json!({ "login": "zhang", "password": PASSWORD, "totp": code }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "replayed");
        // … the current one opens a session.
        let current = duban_web::security::code_at(&secret, now()).unwrap();
        let (status, body) = log_in(
            &app,
            json!({ "login": "zhang", "password": PASSWORD, "totp": current }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // Wrong codes count towards the lock like wrong passwords.
        for _ in 0..5 {
            let (status, _) = log_in(
                &app,
                json!({ "login": "zhang", "password": PASSWORD, "totp": "999999x" }),
            )
            .await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
        }
        let (status, body) = log_in(&app, json!({ "login": "zhang", "password": PASSWORD })).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "locked: {body}");

        // A lost phone: the security admin resets it; the user's sessions
        // end and the password alone works again (after the unlock).
        app.user("security", Role::Security, None).await;
        let security = app.login("security").await;
        assert_eq!(
            zhang.get("/api/v1/me").await.status(),
            StatusCode::OK,
            "still signed in"
        );
        let resp = security.delete(&format!("/api/v1/users/{id}/totp")).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            zhang.get("/api/v1/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
        security
            .post(&format!("/api/v1/users/{id}/unlock"), &json!(null))
            .await;
        let (status, body) = log_in(&app, json!({ "login": "zhang", "password": PASSWORD })).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // Every step is in the trail.
        let actions: Vec<String> = app
            .store
            .events_of("user", id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        for a in [
            "user.totp_enable",
            "audit.totp_failed",
            "user.lock",
            "user.totp_reset",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        // The secret itself never enters the chain.
        let all = app.store.audit_trail(None, 1000).await.unwrap();
        assert!(!all.iter().any(|e| e.after.to_string().contains(&secret)));
        app.stop().await;
    }
}

#[tokio::test]
async fn admins_must_enrol_when_the_rules_say_so() {
    for url in fresh_databases("trust_required").await {
        let app = TestApp::spawn(&url).await;
        app.user("security", Role::Security, None).await;
        let security = app.login("security").await;
        let (status, _) = json(
            security
                .put(
                    "/api/v1/security/settings",
                    &json!({ "accounts": { "totp_for_admins": true } }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let admin = app.login("admin").await;
        let (status, body) = json(admin.get("/api/v1/users").await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("/account/totp"),
            "{body}"
        );
        // The page sends the admin to enrol; the office is not asked.
        let page = admin.get("/dashboard").await;
        assert_eq!(page.url().path(), "/account/totp");
        app.user("ducha", Role::Office, None).await;
        let office = app.login("ducha").await;
        assert_eq!(office.get("/api/v1/users").await.status(), StatusCode::OK);
        // Enrolled, the admin works again.
        let (_, begun) = json(admin.post("/api/v1/me/totp", &json!(null)).await).await;
        let code = duban_web::security::code_at(begun["secret"].as_str().unwrap(), now()).unwrap();
        let (status, _) = json(
            admin
                .post("/api/v1/me/totp/confirm", &json!({ "code": code }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(admin.get("/api/v1/users").await.status(), StatusCode::OK);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_user_writing_too_fast_is_told_to_wait_and_others_are_not() {
    for url in fresh_databases("trust_writes").await {
        let app = TestApp::spawn_with(&url, |c| c.accounts.writes_per_minute = 10).await;
        app.user("other", Role::Office, None).await;
        let admin = app.login("admin").await;
        let other = app.login("other").await;
        for i in 0..10 {
            let resp = admin
                .post("/api/v1/messages/read", &json!({ "all": true }))
                .await;
            assert_eq!(resp.status(), StatusCode::OK, "write {i}");
        }
        let (status, body) = json(
            admin
                .post("/api/v1/messages/read", &json!({ "all": true }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("请稍等一分钟"),
            "{body}"
        );
        // Reading goes on; another user writes.
        assert_eq!(admin.get("/api/v1/me").await.status(), StatusCode::OK);
        let resp = other
            .post("/api/v1/messages/read", &json!({ "all": true }))
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_audit_page_filters_and_pages_for_the_audit_admin_alone() {
    for url in fresh_databases("trust_audit_page").await {
        let app = TestApp::spawn(&url).await;
        app.user("auditor", Role::Auditor, None).await;
        for _ in 0..3 {
            log_in(&app, json!({ "login": "admin", "password": "wrong" })).await;
        }
        let admin = app.login("admin").await;
        assert_eq!(admin.get("/audit").await.status(), StatusCode::FORBIDDEN);
        let auditor = app.login("auditor").await;
        let resp = auditor.get("/").await;
        assert_eq!(resp.url().path(), "/audit", "the auditor starts here");
        // Every kind of a group, named in words; its content as lines.
        let html = auditor
            .get("/audit?kind=audit.&user=")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"data-label="种类">登录失败<"#), "{html}");
        assert!(html.contains("<dt>登录名</dt><dd>admin</dd>"), "{html}");
        assert!(html.contains("<dt>地址</dt><dd>127.0.0.1</dd>"), "{html}");
        assert!(
            !html.contains(r#"data-label="种类">添加用户<"#),
            "filtered by kind"
        );
        assert!(!html.contains("{&quot;"), "no raw JSON: {html}");
        // One kind alone.
        let html = auditor
            .get("/audit?kind=audit.login")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"data-label="种类">登录<"#), "{html}");
        assert!(!html.contains(r#"data-label="种类">登录失败<"#), "{html}");
        // The object in words, a matter's linking to its page; a track's to its matter's.
        let unit = app.unit("区住建局").await;
        app.user("ducha", Role::Office, None).await;
        let office = app.login("ducha").await;
        let (status, created) = json(
            office
                .post(
                    "/api/v1/matters",
                    &json!({ "title": "老旧小区改造", "type": "普通", "lead": [unit],
                             "source": { "type": "meeting", "name": "常务会议" } }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let matter = created["matter"]["id"].as_i64().unwrap();
        let html = auditor
            .get("/audit?kind=matter.create")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"data-label="种类">立项交办<"#), "{html}");
        assert!(
            html.contains(&format!(r#"<a href="/matters/{matter}">事项 {matter}</a>"#)),
            "{html}"
        );
        assert!(
            html.contains("<dt>标题</dt><dd>老旧小区改造</dd>"),
            "{html}"
        );
        let html = auditor
            .get("/audit?kind=track.assign")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"data-label="种类">交办<"#), "{html}");
        assert!(
            html.contains(&format!(r#"<a href="/matters/{matter}">单位任务 "#)),
            "{html}"
        );
        let html = auditor
            .get("/audit?kind=user.create")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("用户 "), "{html}");
        assert!(html.contains("（auditor）"), "{html}");
        // An unknown kind is refused in words.
        let (status, body) = json(auditor.get("/api/v1/audit?kind=audit.nonsense").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("user."), "{body}");
        // One day ahead: nothing yet.
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
        let html = auditor
            .get(&format!("/audit?from={tomorrow}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("没有符合条件的记录"), "{html}");
        let resp = auditor.get("/audit?from=昨天").await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        assert!(resp.text().await.unwrap().contains("2024-03-01"));
        // Paging: 50 to a page, the next link goes further back.
        for i in 0..60 {
            app.store
                .audit(None, EventKind::AuditDownload, "attachment", i, json!({}))
                .await
                .unwrap();
        }
        let html = auditor
            .get("/audit?kind=audit.download")
            .await
            .text()
            .await
            .unwrap();
        let next = html
            .split("href=\"")
            .find_map(|h| h.split('"').next().filter(|h| h.contains("before=")))
            .expect("a next page")
            .replace("&amp;", "&");
        let html = auditor.get(&next).await.text().await.unwrap();
        assert_eq!(
            html.matches(r#"data-label="种类">附件下载<"#).count(),
            10,
            "{html}"
        );
        assert!(html.contains(">第一页<"), "{html}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_change_of_the_rules_changes_only_what_it_names_and_names_what_is_wrong() {
    for url in fresh_databases("trust_partial").await {
        let app = TestApp::spawn(&url).await;
        app.user("security", Role::Security, None).await;
        let security = app.login("security").await;
        let (_, before) = json(security.get("/api/v1/security/settings").await).await;
        let (status, after) = json(
            security
                .put(
                    "/api/v1/security/settings",
                    &json!({ "accounts": { "lock_minutes": 30 } }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{after}");
        let mut expected = before.clone();
        expected["accounts"]["lock_minutes"] = json!(30);
        assert_ne!(before, expected);
        assert_eq!(after, expected, "only lock_minutes changed");
        let (_, read) = json(security.get("/api/v1/security/settings").await).await;
        assert_eq!(read, expected);
        // A second partial change keeps the first.
        let (_, after) = json(
            security
                .put(
                    "/api/v1/security/settings",
                    &json!({ "accounts": { "totp_for_admins": false, "writes_per_minute": 600 } }),
                )
                .await,
        )
        .await;
        assert_eq!(after["accounts"]["lock_minutes"], 30);
        assert_eq!(after["accounts"]["writes_per_minute"], 600);

        // Each refusal names the field and leaves the rules as they were.
        for (body, says) in [
            (
                json!({ "accounts": { "lock_minute": 30 } }),
                "未知字段 lock_minute",
            ),
            (
                json!({ "accounts": { "lock_minutes": 30 }, "reason": "x" }),
                "未知字段 reason",
            ),
            (
                json!({ "accounts": { "lock_minutes": "三十" } }),
                "accounts.lock_minutes 应为整数",
            ),
            (
                json!({ "accounts": { "totp_for_admins": "yes" } }),
                "accounts.totp_for_admins 应为 true 或 false",
            ),
            (
                json!({ "accounts": { "password_history": -1 } }),
                "password_history 须在 0 到 24 之间（收到 -1）",
            ),
            (json!({ "lock_minutes": 30 }), "未知字段 lock_minutes"),
            (json!({}), "{\"accounts\": {\"lock_minutes\": 30}}"),
        ] {
            let (status, answer) =
                json(security.put("/api/v1/security/settings", &body).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
            let message = answer["error"].as_str().unwrap_or_default();
            assert!(message.contains(says), "{body}: {message}");
        }
        let (_, read) = json(security.get("/api/v1/security/settings").await).await;
        assert_eq!(read["accounts"]["lock_minutes"], 30);
        assert_eq!(read["accounts"]["writes_per_minute"], 600);
        app.stop().await;
    }
}
