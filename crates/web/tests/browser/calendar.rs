//! The admin enters next year's holiday arrangement in the browser: a
//! continuing matter's next report window, in a year the State Council has
//! not yet published, shows 暂定; the admin pastes the notice, reviews the
//! parsed year beside the provisional one with the differences, applies
//! it, and the calendar lists the year as official.

use crate::helpers::TestApp;
use crate::{driver, Person};
use chrono::Datelike;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_store::NewMatter;

const NOTICE_2027: &str = include_str!("../../../domain/tests/data/notices/2027-made-up.txt");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_pastes_a_notice_reviews_the_differences_and_applies_it() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_calendar")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let unit = app.unit("区发改局").await;
    app.user("liaison", Role::Liaison, Some(unit)).await;
    let cal = app.store.calendar().await.unwrap();
    let now = duban_domain::clock::LocalTime::beijing().local(chrono::Utc::now());
    let m = app
        .store
        .create_matter(
            None,
            NewMatter {
                title: "推进新能源项目建设".into(),
                detail: "按季度报送进展。".into(),
                matter_type: MatterType::continuing(),
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

    let admin = Person::open(&driver, &app).await;
    admin.login("admin").await;
    // While 2027 is provisional, the limits resting on it say so.
    admin.go(&format!("/matters/{}", m.matter.id)).await;
    let text = admin.text().await;
    if cal.is_provisional(now.year() + 1) {
        assert!(text.contains("暂定"), "{text}");
    }
    admin.shot("matter-provisional").await;

    admin.go("/admin/calendar").await;
    let text = admin.text().await;
    assert!(text.contains("2027") && text.contains("暂定"), "{text}");
    admin
        .fill("form#notice textarea[name=text]", NOTICE_2027)
        .await;
    admin.shot("calendar").await;
    admin.click("form#notice button[type=submit]").await;
    let text = admin.text().await;
    assert!(text.contains("核对"), "{text}");
    assert!(
        text.contains("新增放假日") && text.contains("1月4日"),
        "{text}"
    );
    assert!(
        text.contains("新增调休上班日") && text.contains("1月9日"),
        "{text}"
    );
    admin.shot("calendar-notice").await;
    assert!(app.store.calendar().await.unwrap().is_provisional(2027));
    admin.click_xpath("//button[text()='确认录入']").await;
    assert_eq!(admin.path().await, "/admin/calendar?ok=calendar_applied");
    let text = admin.text().await;
    assert!(text.contains("放假通知已录入"), "{text}");
    let cal = app.store.calendar().await.unwrap();
    assert!(!cal.is_provisional(2027));
    // The matter's window is official now.
    if now.year() == 2026 {
        admin.go(&format!("/matters/{}", m.matter.id)).await;
        let text = admin.text().await;
        assert!(!text.contains("暂定"), "{text}");
        assert!(text.contains("时限调整"), "the log names the move: {text}");
    }
    admin.quit().await;
    app.stop().await;
}
