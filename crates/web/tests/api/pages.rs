//! The web pages over real HTTP: who may open which page (a table, like
//! the API's), log-in and expired sessions, CSRF on forms, refused forms
//! that keep what was typed, escaping, and the board's CSV export. The
//! browser tests walk the same pages as people do; these pin the rules.

use crate::helpers::{login_form, TestApp, PASSWORD};
use crate::matters::{stored_matter, World};
use chrono::{Duration, Utc};
use duban_domain::matter::MatterType;
use duban_store::testing::fresh_databases;
use duban_web::auth::{new_token, token_hash};
use reqwest::StatusCode;

const Y: u16 = 200;
const F: u16 = 403;
const N: u16 = 404;

/// The callers of the table, in its column order.
const WHO: [&str; 8] = [
    "admin",
    "office",
    "liaison_a",
    "liaison_b",
    "leader_a",
    "leader_b",
    "public1",
    "public2",
];

/// What each caller gets from each page; `{m}` is a matter of unit A,
/// `{p}` an appeal raised by public1.
#[rustfmt::skip]
const PAGES: &[(&str, [u16; 8])] = &[
    //                          admin office l_a  l_b  ld_a ld_b pub1 pub2
    ("/board",                 [Y,    Y,     Y,   Y,   Y,   Y,   Y,   Y]),
    ("/board.csv",             [Y,    Y,     Y,   Y,   Y,   Y,   Y,   Y]),
    ("/matters/{m}",           [Y,    Y,     Y,   N,   Y,   N,   N,   N]),
    ("/matters/{m}/notice",    [Y,    Y,     Y,   N,   Y,   N,   N,   N]),
    ("/owe",                   [F,    F,     Y,   Y,   F,   F,   F,   F]),
    ("/review",                [Y,    Y,     F,   F,   F,   F,   F,   F]),
    ("/documents",             [Y,    Y,     F,   F,   F,   F,   F,   F]),
    ("/appeals",               [Y,    Y,     F,   F,   F,   F,   Y,   Y]),
    ("/appeals/new",           [F,    F,     F,   F,   F,   F,   Y,   Y]),
    ("/appeals/{p}",           [Y,    Y,     N,   N,   N,   N,   Y,   N]),
    ("/admin",                 [Y,    Y,     F,   F,   F,   F,   F,   F]),
    ("/admin/types",           [Y,    Y,     F,   F,   F,   F,   F,   F]),
    ("/admin/calendar",        [Y,    Y,     F,   F,   F,   F,   F,   F]),
    ("/admin/calendar/2027",   [Y,    Y,     F,   F,   F,   F,   F,   F]),
    ("/dashboard",             [Y,    Y,     F,   F,   Y,   Y,   F,   F]),
    ("/leader",                [F,    F,     F,   F,   Y,   Y,   F,   F]),
    ("/indicators",            [Y,    Y,     Y,   Y,   Y,   Y,   F,   F]),
    ("/imports",               [Y,    Y,     F,   F,   F,   F,   F,   F]),
    ("/reports",               [Y,    Y,     F,   F,   Y,   Y,   F,   F]),
    ("/messages",              [Y,    Y,     Y,   Y,   Y,   Y,   Y,   Y]),
    ("/search",                [Y,    Y,     Y,   Y,   Y,   Y,   Y,   Y]),
    // The audit and security admins' pages (none of these callers); the
    // second factor is everyone's.
    ("/audit",                 [F,    F,     F,   F,   F,   F,   F,   F]),
    ("/security",              [F,    F,     F,   F,   F,   F,   F,   F]),
    ("/account/totp",          [Y,    Y,     Y,   Y,   Y,   Y,   Y,   Y]),
    ("/nowhere",               [N,    N,     N,   N,   N,   N,   N,   N]),
];

pub(crate) fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The cookie header of a fresh session of `user`.
pub(crate) async fn cookie(app: &TestApp, user: i64, hours: i64) -> (String, String) {
    let token = new_token();
    let csrf = new_token();
    app.store
        .create_session(
            &token_hash(&token),
            user,
            &csrf,
            Utc::now() + Duration::hours(hours),
        )
        .await
        .unwrap();
    (format!("duban_session={token}"), csrf)
}

#[tokio::test]
async fn each_page_opens_for_the_roles_it_serves_and_no_other() {
    for url in fresh_databases("pages_access").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let m = stored_matter(
            &app.store,
            "推进充电桩建设",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            Utc::now().naive_utc(),
        )
        .await;
        let (_, body) = crate::helpers::json(
            w.s("public1")
                .post("/api/v1/appeals", &serde_json::json!({
                    "title": "路灯不亮", "content": "纬三路路灯不亮", "location": "纬三路", "contact": "王先生"
                }))
                .await,
        )
        .await;
        let p = body["appeal"]["id"].as_i64().unwrap();
        let client = no_redirects();
        let mut wrong = Vec::new();
        for (page, expected) in PAGES {
            let path = page
                .replace("{m}", &m.matter.id.to_string())
                .replace("{p}", &p.to_string());
            // Nobody signed in: sent to the log-in page, which brings them
            // back (a page that does not exist is simply not found).
            let resp = client
                .get(format!("{}{path}", app.base))
                .send()
                .await
                .unwrap();
            let to = resp
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string());
            let to_login = resp.status() == StatusCode::SEE_OTHER
                && to.as_deref().is_some_and(|l| l.starts_with("/login?next="));
            let missing =
                expected.iter().all(|e| *e == N) && resp.status() == StatusCode::NOT_FOUND;
            if !to_login && !missing {
                wrong.push(format!("anonymous {path}: {} {to:?}", resp.status()));
            }
            for (who, want) in WHO.iter().zip(expected) {
                let (cookie, _) = cookie(&app, w.ids[who], 1).await;
                let resp = client
                    .get(format!("{}{path}", app.base))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap();
                let got = resp.status().as_u16();
                let html = resp.text().await.unwrap();
                if got != *want {
                    wrong.push(format!("{who} {path}: {got}, expected {want}"));
                }
                if got != Y && !html.contains("返回首页") {
                    wrong.push(format!("{who} {path}: {got} without a page saying so"));
                }
                if got == N && html.contains("推进充电桩建设") {
                    wrong.push(format!("{who} {path}: a 404 page shows the matter"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        app.stop().await;
    }
}

#[tokio::test]
async fn log_in_expiry_csrf_refusals_escaping_and_export() {
    for url in fresh_databases("pages_rules").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let m = stored_matter(
            &app.store,
            "<script>alert('x')</script>清理河道",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            Utc::now().naive_utc(),
        )
        .await;
        let client = no_redirects();
        let base = &app.base;

        // A wrong password keeps the log-in name and says what was wrong.
        let (form_cookie, form_token) = login_form(&client, base).await;
        let resp = client
            .post(format!("{base}/login"))
            .header("cookie", &form_cookie)
            .form(&[
                ("login", "liaison_a"),
                ("password", "wrong"),
                ("next", "/owe"),
                ("_csrf", &form_token),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("登录名或密码不正确") && html.contains("value=\"liaison_a\""),
            "{html}"
        );
        // The right one goes where the user was going, never off the site.
        for (next, to) in [("/matters/1", "/matters/1"), ("//evil.example/", "/owe")] {
            let resp = client
                .post(format!("{base}/login"))
                .header("cookie", &form_cookie)
                .form(&[
                    ("login", "liaison_a"),
                    ("password", PASSWORD),
                    ("next", next),
                    ("_csrf", &form_token),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::SEE_OTHER);
            assert_eq!(resp.headers()["location"], to);
            assert!(resp.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("HttpOnly"));
        }

        // An expired session is sent to log in again, told why.
        let (old, _) = cookie(&app, w.ids["liaison_a"], -1).await;
        let resp = client
            .get(format!("{base}/owe"))
            .header("cookie", old)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(resp.headers()["location"], "/login?next=%2Fowe&expired=1");

        // Everything printed is escaped.
        let (unit, csrf) = cookie(&app, w.ids["liaison_a"], 1).await;
        let page = client
            .get(format!("{base}/matters/{}", m.matter.id))
            .header("cookie", &unit)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("&lt;script&gt;alert('x')&lt;/script&gt;清理河道"),
            "{page}"
        );
        assert!(!page.contains("<script>alert"), "{page}");

        // A form without this session's token is refused, and what was
        // typed is kept for the next try; nothing changes.
        let track = m.tracks[0].track.id;
        let post = |fields: Vec<(&'static str, String)>| {
            client
                .post(format!("{base}/tracks/{track}/act"))
                .header("cookie", &unit)
                .form(&fields)
                .send()
        };
        let resp = post(vec![
            ("_csrf", "forged".into()),
            ("version", "1".into()),
            ("action", "sign_for".into()),
        ])
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        assert!(resp.text().await.unwrap().contains("表单已过期"));
        assert_eq!(app.store.track(track).await.unwrap().version, 1);
        // Signed for with the token: back to the page with a notice.
        let resp = post(vec![
            ("_csrf", csrf.clone()),
            ("version", "1".into()),
            ("action", "sign_for".into()),
            ("back", "/owe".into()),
        ])
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(resp.headers()["location"], "/owe?ok=sign_for");
        // A report from a stale page: refused with the conflict, text kept.
        let resp = post(vec![
            ("_csrf", csrf.clone()),
            ("version", "1".into()),
            ("action", "report".into()),
            ("text", "已完成河道清淤3公里".into()),
        ])
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::CONFLICT);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("已被他人更新") && html.contains("已完成河道清淤3公里"),
            "{html}"
        );
        // An extension to a day that is not a date: what to write instead.
        let resp = post(vec![
            ("_csrf", csrf.clone()),
            ("version", "2".into()),
            ("action", "request_extension".into()),
            ("until", "下个月".into()),
            ("plan", "分三步推进".into()),
        ])
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("YYYY-MM-DD") && html.contains("分三步推进"),
            "{html}"
        );
        assert_eq!(app.store.track(track).await.unwrap().version, 2);

        // The board's view as CSV, for Excel: a BOM, the header, the row.
        let (office, _) = cookie(&app, w.ids["office"], 1).await;
        let resp = client
            .get(format!("{base}/board.csv?q=清理河道"))
            .header("cookie", &office)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = resp.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("\u{feff}编号,事项,类型"), "{csv}");
        assert_eq!(lines.len(), 2, "{csv}");
        assert!(
            lines[1].contains("清理河道") && lines[1].contains("区发展和改革局"),
            "{csv}"
        );
        // Logging out ends the session: the same cookie is sent to log in.
        let (gone, gone_csrf) = cookie(&app, w.ids["liaison_b"], 1).await;
        let resp = client
            .post(format!("{base}/logout"))
            .header("cookie", &gone)
            .form(&[("_csrf", gone_csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(resp.headers()["location"], "/login?ok=logged_out");
        assert!(resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        let resp = client
            .get(format!("{base}/owe"))
            .header("cookie", &gone)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.headers()["location"], "/login?next=%2Fowe&expired=1");
        // A malformed filter is shown on the page, not as a broken page.
        let resp = client
            .get(format!("{base}/board?deadline_from=明天"))
            .header("cookie", &office)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("不是有效日期") && html.contains("value=\"明天\""),
            "{html}"
        );

        app.stop().await;
    }
}

#[tokio::test]
async fn an_admin_sets_which_units_a_leader_oversees_from_the_users_page() {
    for url in fresh_databases("pages_oversees").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let m = stored_matter(
            &app.store,
            "整治背街小巷",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            Utc::now().naive_utc(),
        )
        .await;
        let client = no_redirects();
        let base = &app.base;
        let leader = w.ids["leader_b"];
        let path = format!("{base}/admin/users/{leader}/oversees");
        let matter = format!("{base}/matters/{}", m.matter.id);
        let (leader_cookie, _) = cookie(&app, leader, 1).await;
        let sees = || async {
            client
                .get(&matter)
                .header("cookie", &leader_cookie)
                .send()
                .await
                .unwrap()
                .status()
        };
        assert_eq!(sees().await, StatusCode::NOT_FOUND, "not yet overseen");
        // The office may look but not change who oversees what.
        let (office, csrf) = cookie(&app, w.ids["office"], 1).await;
        let resp = client
            .post(&path)
            .header("cookie", &office)
            .form(&[("_csrf", csrf.as_str()), ("units", "区发展和改革局")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        // A name the registry lacks: refused with the candidates, kept.
        let (admin, csrf) = cookie(&app, w.ids["admin"], 1).await;
        let resp = client
            .post(&path)
            .header("cookie", &admin)
            .form(&[
                ("_csrf", csrf.as_str()),
                ("units", "区财政局、区发改委员会"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("“区发改委员会”不在单位名录中")
                && html.contains("区财政局、区发改委员会"),
            "{html}"
        );
        assert_eq!(app.store.leader_units(leader).await.unwrap(), vec![w.b]);
        // Resolved names (an alias would do too) replace the leader's units.
        let resp = client
            .post(&path)
            .header("cookie", &admin)
            .form(&[
                ("_csrf", csrf.as_str()),
                ("units", "区发展和改革局、区财政局"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(resp.headers()["location"], "/admin/users?ok=created");
        let mut now = app.store.leader_units(leader).await.unwrap();
        now.sort();
        assert_eq!(now, vec![w.a.min(w.b), w.a.max(w.b)]);
        assert_eq!(
            sees().await,
            StatusCode::OK,
            "the leader now sees unit A's matter"
        );
        app.stop().await;
    }
}

/// A page address that only takes a form, opened in the address bar (a
/// pasted link, a reload after the form): a page in words with the way
/// back, status 405, for anyone; the form itself still works.
#[tokio::test]
async fn a_form_address_opened_directly_says_so_in_a_page() {
    for url in fresh_databases("pages_form_only").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let client = no_redirects();
        let (office, _) = cookie(&app, w.ids["office"], 1).await;
        for path in ["/admin/tokens", "/messages/read-all", "/logout"] {
            for cookie in [Some(office.as_str()), None] {
                let mut req = client.get(format!("{}{path}", app.base));
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                let resp = req.send().await.unwrap();
                assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
                let html = resp.text().await.unwrap();
                assert!(html.contains("只接受页面上的表单提交"), "{path}: {html}");
                assert!(html.contains(path), "{path}: names the address");
                assert!(html.contains("返回首页"), "{path}: the way back");
            }
        }
        app.stop().await;
    }
}
