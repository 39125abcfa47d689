//! A unit's liaison sees the unread count in the navigation, opens the
//! message centre, opens the assignment (it goes to the matter) and finds
//! one fewer unread.

use crate::helpers::TestApp;
use crate::{driver, Person};
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_store::NewMatter;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaison_reads_a_message_from_the_navigation() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_messages")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let unit = app.unit("区发改局").await;
    app.user("liaison", Role::Liaison, Some(unit)).await;
    let office = app.user("office", Role::Office, None).await;
    let cal = app.store.calendar().await.unwrap();
    let now = duban_domain::clock::LocalTime::beijing().local(chrono::Utc::now());
    let m = app
        .store
        .create_matter(
            Some(office),
            NewMatter {
                title: "推进重点项目前期工作".into(),
                detail: "完成项目立项审批。".into(),
                matter_type: MatterType::ordinary(),
                source: Source::Meeting {
                    name: "区政府常务会议".into(),
                    date: None,
                },
                deadline: None,
                targets: serde_json::json!([]),
                lead: vec![unit],
                co: vec![],
                raised_by: None,
            },
            now,
            &cal,
        )
        .await
        .unwrap();

    let liaison = Person::open(&driver, &app).await;
    liaison.login("liaison").await;
    let badge = |p: &Person| {
        let c = p.c.clone();
        async move {
            match c.find(Locator::Css("header a.inbox .badge")).await {
                Ok(b) => b.text().await.unwrap(),
                Err(_) => String::new(),
            }
        }
    };
    let before: i64 = badge(&liaison).await.parse().expect("an unread count");
    assert!(before >= 1);
    liaison.click("header a.inbox").await;
    assert_eq!(liaison.path().await, "/messages");
    let text = liaison.text().await;
    assert!(
        text.contains("【交办】") && text.contains("推进重点项目前期工作"),
        "{text}"
    );
    liaison
        .click_xpath("//ul[@class='messages']/li[span[@class='kind' and contains(., '交办')]]/a")
        .await;
    assert_eq!(liaison.path().await, format!("/matters/{}", m.matter.id));
    let after = badge(&liaison).await;
    assert_eq!(
        after,
        if before == 1 {
            String::new()
        } else {
            (before - 1).to_string()
        }
    );
    liaison.quit().await;
    app.stop().await;
}
