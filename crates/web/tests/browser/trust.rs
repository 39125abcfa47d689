//! 三员分立 and the second factor in the browser: the security admin asks
//! TOTP of admins on the security page (and is the first sent to enrol);
//! the system admin, sent to enrol,
//! adds the secret shown (the test computes the authenticator's codes),
//! confirms it, and from then on logs in with the password and a code.

use crate::helpers::{TestApp, PASSWORD};
use crate::{driver, Person};
use duban_domain::org::Role;
use fantoccini::Locator;

fn code(secret: &str, ahead: i64) -> String {
    let t = (chrono::Utc::now().timestamp() + ahead) as u64;
    duban_web::security::code_at(secret, t).expect("a code")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_enrols_totp_and_logs_in_with_a_code() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_totp")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    app.user("anquan", Role::Security, None).await;

    // The security admin starts on the security page and asks TOTP of
    // the three admins.
    let security = Person::open(&driver, &app).await;
    security.login("anquan").await;
    assert_eq!(security.path().await, "/security");
    // Nobody has failed a log-in: no account offers 解除锁定.
    let unlocks = |p: &Person| {
        let c = p.c.clone();
        async move {
            c.find_all(Locator::Css("form[action$='/unlock']"))
                .await
                .expect("the unlock forms")
                .len()
        }
    };
    assert_eq!(unlocks(&security).await, 0);
    // A wrong password for the system admin: that account alone offers
    // it, and unlocking clears the count.
    let stranger = Person::open(&driver, &app).await;
    stranger.go("/login").await;
    stranger.fill("input[name=login]", "admin").await;
    stranger
        .fill("input[name=password]", "not-the-password")
        .await;
    stranger.click("main button[type=submit]").await;
    stranger.quit().await;
    security.go("/security").await;
    assert_eq!(unlocks(&security).await, 1);
    let page = security.text().await;
    assert!(page.contains("已连续失败 1 次"), "{page}");
    security
        .click("form[action$='/unlock'] button[type=submit]")
        .await;
    let page = security.text().await;
    assert!(page.contains("已解除锁定。"), "{page}");
    assert_eq!(unlocks(&security).await, 0);
    security
        .c
        .find(Locator::Css("input[name=totp_for_admins]"))
        .await
        .expect("the box")
        .click()
        .await
        .expect("ticked");
    let page = security.text().await;
    assert!(page.contains("账号安全策略"), "{page}");
    assert!(page.contains("未启用"), "{page}");
    security
        .click("form[action='/security'] button[type=submit]")
        .await;
    // The rule is in force at once: the security admin, one of the three,
    // is the first sent to enrol.
    assert_eq!(security.path().await, "/account/totp");
    let page = security.text().await;
    assert!(page.contains("安全策略要求管理员使用动态口令"), "{page}");
    security.quit().await;

    // The system admin is sent to enrol before anything else.
    let admin = Person::open(&driver, &app).await;
    admin.login("admin").await;
    assert_eq!(admin.path().await, "/account/totp");
    admin.go("/dashboard").await;
    assert_eq!(admin.path().await, "/account/totp");
    admin.click("main form button[type=submit]").await;
    let secret = admin
        .c
        .find(Locator::Css("code.secret"))
        .await
        .expect("the secret shown")
        .text()
        .await
        .unwrap();
    assert_eq!(secret.len(), 32, "{secret}");
    // A wrong code does not enable it.
    admin.fill("input[name=code]", "000000").await;
    admin.click("main form button[type=submit]").await;
    let page = admin.text().await;
    assert!(page.contains("验证码不正确"), "{page}");
    admin.fill("input[name=code]", &code(&secret, 0)).await;
    admin.click("main form button[type=submit]").await;
    let page = admin.text().await;
    assert!(page.contains("动态口令已启用。"), "{page}");
    admin.go("/dashboard").await;
    assert_eq!(admin.path().await, "/dashboard");

    // Logged out, the password leads to the code; a wrong code is refused
    // on the same form, the authenticator's next code lets the admin in.
    admin
        .click("form[action='/logout'] button[type=submit]")
        .await;
    admin.go("/login").await;
    admin.fill("input[name=login]", "admin").await;
    admin.fill("input[name=password]", PASSWORD).await;
    admin.click("main button[type=submit]").await;
    let page = admin.text().await;
    assert!(page.contains("输入动态口令"), "{page}");
    admin.fill("input[name=code]", "123456").await;
    admin.click("main form button[type=submit]").await;
    let page = admin.text().await;
    assert!(page.contains("动态口令不正确"), "{page}");
    admin.fill("input[name=code]", &code(&secret, 30)).await;
    admin.click("main form button[type=submit]").await;
    assert_eq!(admin.path().await, "/dashboard");
    let page = admin.text().await;
    assert!(page.contains("退出"), "{page}");

    admin.quit().await;
    app.stop().await;
}
