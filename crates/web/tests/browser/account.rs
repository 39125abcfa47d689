//! A user changes their own password in the browser: a weak one is refused
//! with the rule it breaks, a strong one taken; after logging out the old
//! password no longer opens the account and the new one does.

use crate::helpers::{TestApp, PASSWORD};
use crate::{driver, Person};
use duban_domain::org::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_changes_their_password() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_password")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    app.user("lisi", Role::Office, None).await;
    let new_password = "新的口令Xy2026";

    let user = Person::open(&driver, &app).await;
    user.login("lisi").await;
    let change = |current: &'static str, new: &'static str| {
        let user = &user;
        async move {
            user.go("/account/password").await;
            user.fill("input[name=current_password]", current).await;
            user.fill("input[name=new_password]", new).await;
            user.fill("input[name=repeat_password]", new).await;
            user.click("main form[action='/account/password'] button[type=submit]")
                .await;
            user.text().await
        }
    };

    // A weak password: refused, saying which rule, on the same page.
    let page = change(PASSWORD, "abcdefghijk").await;
    assert!(
        page.contains("密码须包含大写字母、小写字母、数字、其他字符"),
        "{page}"
    );
    assert!(page.contains("至少 3 类"), "{page}");
    assert_eq!(user.path().await, "/account/password");

    // A strong one: taken.
    let page = change(PASSWORD, new_password).await;
    assert!(page.contains("密码已修改。"), "{page}");

    // Logged out, the old password is refused and the new one opens.
    user.click("form[action='/logout'] button[type=submit]")
        .await;
    let log_in = |password: &'static str| {
        let user = &user;
        async move {
            user.go("/login").await;
            user.fill("input[name=login]", "lisi").await;
            user.fill("input[name=password]", password).await;
            user.click("main button[type=submit]").await;
            user.text().await
        }
    };
    let page = log_in(PASSWORD).await;
    assert!(page.contains("登录名或密码不正确"), "{page}");
    assert!(user.path().await.starts_with("/login"));
    let page = log_in(new_password).await;
    assert!(!page.contains("登录名或密码不正确"), "{page}");
    assert!(page.contains("退出"), "{page}");
    assert!(!user.path().await.starts_with("/login"));

    user.quit().await;
    app.stop().await;
}
