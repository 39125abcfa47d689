//! Inside a unit, in the browser: the liaison passes a track to a named
//! 承办人, who finds it under 我的待办, signs for it and reports.

use crate::helpers::TestApp;
use crate::{driver, Person};
use chrono::{Duration, Utc};
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_store::NewMatter;
use fantoccini::Locator;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaison_passes_a_track_to_a_handler_who_reports() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_handler")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let housing = app.unit("区住建局").await;
    app.user("zhujian", Role::Liaison, Some(housing)).await;
    app.user("wanggong", Role::Handler, Some(housing)).await;
    let cal = app.store.calendar().await.unwrap();
    let m = app
        .store
        .create_matter(
            None,
            NewMatter {
                title: "城区小区直饮水站建设".into(),
                detail: String::new(),
                matter_type: MatterType::ordinary(),
                source: Source::Meeting {
                    name: "区政府第5次常务会议".into(),
                    date: None,
                },
                deadline: None,
                targets: json!([]),
                lead: vec![housing],
                co: vec![],
                raised_by: None,
            },
            Utc::now().naive_utc() + Duration::hours(8),
            &cal,
        )
        .await
        .expect("a matter");
    let (id, track) = (m.matter.id, m.tracks[0].track.id);

    // The liaison passes it to the handler from the matter page.
    let liaison = Person::open(&driver, &app).await;
    liaison.login("zhujian").await;
    liaison.go(&format!("/matters/{id}")).await;
    let form = format!("//form[@action='/tracks/{track}/handler']");
    liaison
        .c
        .find(Locator::XPath(&format!("{form}//input[@name='note']")))
        .await
        .expect("the note field")
        .send_keys("请三日内反馈选址情况")
        .await
        .unwrap();
    liaison.click_xpath(&format!("{form}//button")).await;
    let page = liaison.text().await;
    assert!(page.contains("已交承办人办理"), "{page}");
    assert!(page.contains("承办人：wanggong的名字"), "{page}");

    // The handler finds it under 我的待办, signs for it and reports.
    let handler = Person::open(&driver, &app).await;
    handler.login("wanggong").await;
    handler.go("/owe").await;
    let mine = handler
        .c
        .find(Locator::XPath(
            "//h2[contains(., '我的待办')]/following-sibling::table[1]",
        ))
        .await
        .expect("my own list")
        .text()
        .await
        .unwrap();
    assert!(mine.contains("直饮水站"), "{mine}");
    handler.shot("handler-mine").await;
    handler.go(&format!("/matters/{id}")).await;
    let form = handler.action_form(track, "sign_for").await;
    handler.click_xpath(&format!("{form}//button")).await;
    assert!(handler.text().await.contains("已签收"));
    handler.go(&format!("/matters/{id}")).await;
    let form = handler.action_form(track, "report").await;
    handler
        .c
        .find(Locator::XPath(&format!("{form}//textarea[@name='text']")))
        .await
        .expect("report text")
        .send_keys("已完成6座直饮水站选址。")
        .await
        .unwrap();
    handler.click_xpath(&format!("{form}//button")).await;
    handler.go(&format!("/matters/{id}")).await;
    let page = handler.text().await;
    assert!(page.contains("已完成6座直饮水站选址"), "{page}");
    assert!(
        page.contains("交承办人"),
        "the log names the passing: {page}"
    );
    liaison.quit().await;
    handler.quit().await;
    app.stop().await;
}
