//! The 通报考核 page as the admin reads it: a short page of tabs (the
//! bulletin first, one part shown at a time), units with nothing due named
//! once as 无考核事项 and not ranked, and the year's rules edited in a
//! Chinese form — a value in words refused with its label, a threshold
//! changed and kept.

use crate::helpers::TestApp;
use crate::{driver, Person};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_page_is_tabs_and_the_rules_a_chinese_form() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_reports")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    app.unit("区发改局").await;
    app.unit("区财政局").await;

    let admin = Person::open(&driver, &app).await;
    admin.login("admin").await;
    admin.go("/reports").await;
    let shown = |css: &'static str| {
        let c = admin.c.clone();
        async move {
            c.find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("{css}: {e}"))
                .is_displayed()
                .await
                .unwrap()
        }
    };
    assert!(shown("section#bulletin").await);
    assert!(!shown("section#assessment").await);
    assert!(!shown("section#rules").await);
    let height = admin
        .c
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .unwrap();
    assert!(
        height.as_i64().unwrap() < 2000,
        "the page is {height} px long"
    );
    let text = admin.text().await;
    assert!(text.contains("无考核事项"), "{text}");

    admin
        .c
        .find(Locator::Css("nav.tabs a[href='#redblack']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(shown("section#redblack").await);
    assert!(!shown("section#bulletin").await);
    let rb = admin
        .c
        .find(Locator::Css("section#redblack"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rb.contains("不参加排名的单位 2 个"), "{rb}");

    // The rules: Chinese labels, no JSON.
    admin
        .c
        .find(Locator::Css("nav.tabs a[href='#rules']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let rules = admin
        .c
        .find(Locator::Css("section#rules"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        rules.contains("签收及时率（权重）") && rules.contains("考核等次"),
        "{rules}"
    );
    assert!(
        !rules.contains("JSON") && !rules.contains("weight"),
        "{rules}"
    );
    admin.fill("section#rules input[name=w0]", "十五").await;
    admin.click("section#rules button[type=submit]").await;
    assert!(shown("section#rules").await, "the refused form is shown");
    let text = admin.text().await;
    assert!(
        text.contains("“签收及时率的权重”应填数字，收到“十五”"),
        "{text}"
    );
    admin.fill("section#rules input[name=w0]", "15").await;
    admin
        .fill("section#rules input[name=criticise_overdue_days]", "15")
        .await;
    admin.click("section#rules button[type=submit]").await;
    assert!(
        admin.path().await.ends_with("#rules"),
        "{}",
        admin.path().await
    );
    assert!(shown("section#rules").await);
    let kept = admin
        .c
        .find(Locator::Css(
            "section#rules input[name=criticise_overdue_days]",
        ))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("15"));
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let (stored, set) = app.store.assessment_rules(year).await.unwrap();
    assert!(set);
    assert_eq!(stored.bulletin.criticise_overdue_days, 15);
    admin.shot("reports").await;
    admin.quit().await;
    app.stop().await;
}
