//! Hostile input against the edges of the server (issue 14): log-in
//! redirects and CSRF, security headers, limits on what is sent.

use crate::helpers::{json, login_form, TestApp, PASSWORD};
use crate::matters::{now, stored_matter, World};
use crate::pages::no_redirects;
use duban_domain::matter::MatterType;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::json;

/// Log in through the form with `next`; the answer's status and location.
async fn form_login(app: &TestApp, next: &str) -> (StatusCode, String) {
    let client = no_redirects();
    let (cookie, token) = login_form(&client, &app.base).await;
    let resp = client
        .post(format!("{}/login", app.base))
        .header("cookie", cookie)
        .form(&[
            ("login", "admin"),
            ("password", PASSWORD),
            ("next", next),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    let to = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (resp.status(), to)
}

#[tokio::test]
async fn log_in_never_leads_off_the_site() {
    let url = &fresh_databases("sec_redirect").await[0];
    let app = TestApp::spawn(url).await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:evil.example",
        " //evil.example",
        "/ /evil.example",
    ] {
        let (status, to) = form_login(&app, next).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(to, "/dashboard", "{next:?} must not be followed");
    }
    let (_, to) = form_login(&app, "/matters?status=open").await;
    assert_eq!(to, "/matters?status=open");

    // The page itself never echoes a hostile next into its form.
    let html = no_redirects()
        .get(format!("{}/login?next=/%09/evil.example", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"name="next" value="/""#), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn the_log_in_form_needs_its_own_token() {
    let url = &fresh_databases("sec_login_csrf").await[0];
    let app = TestApp::spawn(url).await;
    let client = no_redirects();
    let (cookie, token) = login_form(&client, &app.base).await;
    let wrong = "0".repeat(64);
    // No cookie, a wrong token, no token: refused, nobody logged in.
    for (cookie, token) in [
        (None, token.as_str()),
        (Some(cookie.as_str()), wrong.as_str()),
        (Some(cookie.as_str()), ""),
    ] {
        let mut req = client.post(format!("{}/login", app.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let resp = req
            .form(&[("login", "admin"), ("password", PASSWORD), ("_csrf", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let set = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>();
        assert!(
            !set.iter().any(|c| c.starts_with("duban_session=")),
            "{set:?}"
        );
        let html = resp.text().await.unwrap();
        assert!(html.contains("登录页面已过期"), "{html}");
        assert!(html.contains(r#"value="admin""#), "the log-in name is kept");
    }
    app.stop().await;
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let url = &fresh_databases("sec_headers").await[0];
    let app = TestApp::spawn(url).await;
    let client = no_redirects();
    let css_path = {
        let html = client
            .get(format!("{}/login", app.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("style="), "no inline style: {html}");
        assert!(!html.contains("<script"), "no script: {html}");
        html.split("rel=\"stylesheet\" href=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    for path in [
        "/login",
        "/",
        "/api/v1/me",
        "/nowhere",
        "/healthz",
        &css_path,
    ] {
        let resp = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(h.get("strict-transport-security").is_none(), "plain HTTP");
    }
    // Signed-in pages carry the same.
    let admin = app.login("admin").await;
    let resp = admin.get("/dashboard").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().contains_key("content-security-policy"));
    let html = resp.text().await.unwrap();
    assert!(!html.contains("style="), "no inline style on the dashboard");
    app.stop().await;
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_hsts_is_sent() {
    let url = &fresh_databases("sec_tls").await[0];
    let app = TestApp::spawn_with(url, |c| c.behind_tls = true).await;
    let client = no_redirects();
    let resp = client
        .get(format!("{}/login", app.base))
        .send()
        .await
        .unwrap();
    assert!(resp.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    assert!(resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));
    let resp = client
        .post(format!("{}/api/v1/session", app.base))
        .json(&serde_json::json!({ "login": "admin", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("duban_session=") && cookie.contains("; Secure"),
        "{cookie}"
    );
    app.stop().await;
}

#[tokio::test]
async fn metrics_only_from_this_host_or_with_the_token() {
    let url = &fresh_databases("sec_metrics").await[0];
    let app = TestApp::spawn_with(url, |c| {
        c.metrics_token = duban_web::config::Secret("prom-token".into())
    })
    .await;
    let client = no_redirects();
    let get = |headers: Vec<(&'static str, &'static str)>| {
        let mut req = client.get(format!("{}/metrics", app.base));
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send()
    };
    // This host, directly: open.
    assert_eq!(get(vec![]).await.unwrap().status(), StatusCode::OK);
    // Through a proxy (a forwarding header), a loopback peer proves nothing.
    for h in ["x-forwarded-for", "x-real-ip"] {
        let resp = get(vec![(h, "203.0.113.9")]).await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{h}");
        assert!(!resp.text().await.unwrap().contains("duban_http"));
    }
    let resp = get(vec![
        ("x-forwarded-for", "203.0.113.9"),
        ("authorization", "Bearer wrong"),
    ])
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = get(vec![
        ("x-forwarded-for", "203.0.113.9"),
        ("authorization", "Bearer prom-token"),
    ])
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("duban_http_requests_total"));
    app.stop().await;
}

/// A matter of unit A, signed for, and the path of its track's actions.
async fn signed_for(app: &TestApp, w: &World) -> (i64, String) {
    let m = stored_matter(
        &app.store,
        "更换破损井盖",
        MatterType::ordinary(),
        vec![w.a],
        vec![],
        None,
        now() - chrono::Duration::minutes(1),
    )
    .await;
    let path = format!("/api/v1/tracks/{}/actions", m.tracks[0].track.id);
    let (status, _) = json(
        w.s("liaison_a")
            .post(&path, &json!({ "version": 1, "action": "sign_for" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    (m.matter.id, path)
}

#[tokio::test]
async fn text_fields_have_a_length_limit() {
    let url = &fresh_databases("sec_text_limit").await[0];
    let app = TestApp::spawn(url).await;
    let w = World::new(&app).await;
    let (matter, path) = signed_for(&app, &w).await;
    let long = "已".repeat(10_001);
    let liaison = w.s("liaison_a");
    // Through the API: a 400 naming the field and the limit.
    let (status, body) = json(
        liaison
            .post(
                &path,
                &json!({ "version": 2, "action": "report", "text": long }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let msg = body["error"].as_str().unwrap_or_default();
    assert!(
        msg.contains("“text”过长") && msg.contains("10000 字"),
        "{body}"
    );
    // Through the page's form: the same refusal, nothing stored.
    let track: i64 = path.split('/').nth(4).unwrap().parse().unwrap();
    let resp = liaison
        .client
        .post(format!("{}/tracks/{track}/act", app.base))
        .form(&[
            ("_csrf", liaison.csrf.as_str()),
            ("action", "report"),
            ("version", "2"),
            ("text", &long),
            ("back", &format!("/matters/{matter}")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("过长"));
    let entries = app.store.report_entries(track).await.unwrap();
    assert!(entries.is_empty(), "{entries:?}");
    // Within the limit it is taken.
    let (status, body) = json(
        liaison
            .post(
                &path,
                &json!({ "version": 2, "action": "report", "text": "已".repeat(10_000) }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn a_hostile_content_type_never_breaks_a_download() {
    use base64::Engine as _;
    let url = &fresh_databases("sec_mime").await[0];
    let app = TestApp::spawn(url).await;
    let w = World::new(&app).await;
    let (matter, path) = signed_for(&app, &w).await;
    let b64 = base64::engine::general_purpose::STANDARD.encode(b"hello");
    let files = json!([
        { "name": "a.txt", "mime": "text/plain\r\nSet-Cookie: x=1", "base64": b64 },
        { "name": "b.txt", "mime": "text/plain; charset=utf-8", "base64": b64 },
        { "name": "c.txt", "mime": "文本/纯文本", "base64": b64 },
    ]);
    let (status, body) = json(
        w.s("liaison_a")
            .post(
                &path,
                &json!({ "version": 2, "action": "report", "text": "已办", "files": files }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = json(
        w.s("office")
            .get(&format!("/api/v1/matters/{matter}"))
            .await,
    )
    .await;
    let files = body["matter"]["tracks"][0]["reports"][0]["files"]
        .as_array()
        .unwrap()
        .clone();
    let want = [
        "application/octet-stream",
        "text/plain; charset=utf-8",
        "application/octet-stream",
    ];
    for (file, want) in files.iter().zip(want) {
        let resp = w
            .s("office")
            .get(&format!("/api/v1/attachments/{}", file["id"]))
            .await;
        assert_eq!(resp.status(), StatusCode::OK, "{file}");
        assert_eq!(resp.headers()["content-type"], want);
        assert!(resp.headers().get("set-cookie").is_none());
        assert_eq!(resp.bytes().await.unwrap().as_ref(), b"hello");
    }
    app.stop().await;
}

/// Whether the server closes `stream` within `secs` seconds.
async fn closed_within(stream: &mut tokio::net::TcpStream, secs: u64) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    let wait = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(secs), wait)
        .await
        .is_ok()
}

#[tokio::test]
async fn half_open_connections_are_dropped_and_capped() {
    use tokio::io::AsyncWriteExt;
    let url = &fresh_databases("sec_conns").await[0];
    let app = TestApp::spawn_with(url, |c| {
        c.header_timeout_secs = 1;
        c.max_connections = 8;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // Half a request head, then silence: closed after the deadline.
    let mut half = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert!(closed_within(&mut half, 5).await, "half a head is dropped");
    // A connection that never sends a byte: closed too.
    let mut silent = tokio::net::TcpStream::connect(&addr).await.unwrap();
    assert!(closed_within(&mut silent, 5).await, "silence is dropped");
    // Fifty silent connections against a cap of eight: the server still
    // answers, once the deadline has cleared the slots they held.
    let mut held = Vec::new();
    for _ in 0..50 {
        held.push(tokio::net::TcpStream::connect(&addr).await.unwrap());
    }
    let started = std::time::Instant::now();
    let resp = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        reqwest::get(format!("{}/healthz", app.base)),
    )
    .await
    .expect("answered while under attack")
    .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    drop(held);
    app.stop().await;
}

#[tokio::test]
async fn a_body_sent_too_slowly_ends_with_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = &fresh_databases("sec_slow_body").await[0];
    let app = TestApp::spawn_with(url, |c| c.request_timeout_secs = 1).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    s.write_all(
        b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"login\"",
    )
    .await
    .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut buf))
        .await
        .expect("answered")
        .unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    app.stop().await;
}

#[tokio::test]
async fn a_changed_report_or_file_is_found_by_verify() {
    use base64::Engine as _;
    for url in fresh_databases("sec_contents").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let (_, path) = signed_for(&app, &w).await;
        let b64 = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4 original");
        let (status, body) = json(
            w.s("liaison_a")
                .post(
                    &path,
                    &json!({ "version": 2, "action": "report", "text": "已更换12处井盖",
                             "files": [{ "name": "照片.pdf", "mime": "application/pdf", "base64": b64 }] }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(app.store.verify_contents().await.unwrap().is_empty());
        assert!(app.store.verify_events().await.unwrap().is_ok());
        let tamper_with = |sql: &'static str, args: Vec<duban_store::db::Val>| async {
            let mut tx = app.store.pool().begin().await.unwrap();
            tx.exec(sql, args).await.unwrap();
            tx.commit().await.unwrap();
        };
        let tamper = |sql: &'static str| tamper_with(sql, vec![]);
        tamper("UPDATE reports SET body = '已更换2处井盖'").await;
        let wrong = app.store.verify_contents().await.unwrap();
        assert!(
            wrong.len() == 1 && wrong[0].contains("内容已被改动"),
            "{wrong:?}"
        );
        tamper("UPDATE reports SET body = '已更换12处井盖'").await;
        assert!(app.store.verify_contents().await.unwrap().is_empty());
        tamper_with(
            "UPDATE attachments SET bytes = $1",
            vec![duban_store::db::Val::from(b"%PDF-1.4 forged".to_vec())],
        )
        .await;
        let wrong = app.store.verify_contents().await.unwrap();
        assert!(
            wrong.len() == 1 && wrong[0].contains("文件已被改动"),
            "{wrong:?}"
        );
        tamper("DELETE FROM attachments").await;
        let wrong = app.store.verify_contents().await.unwrap();
        assert!(wrong[0].contains("已不在数据库中"), "{wrong:?}");
        app.stop().await;
    }
}
