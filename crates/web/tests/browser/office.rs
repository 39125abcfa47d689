//! The office's day on a red matter, in the browser: the clerk sees on the
//! board what is due and how late, urges the matter, and the unit reads
//! the urging and its 催办单; the clerk reassigns the lead unit and sets a
//! new deadline, and the log names both with their reasons.

use crate::helpers::TestApp;
use crate::{driver, Person};
use chrono::{Duration, Utc};
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_store::NewMatter;
use fantoccini::Locator;
use serde_json::json;

/// Opens the office form `action` on the matter page (its <details>).
async fn open_form(p: &Person, id: i64, action: &str) -> String {
    let form = format!("//form[@action='/matters/{id}/{action}']");
    let details =
        p.c.find(Locator::XPath(&format!("{form}/parent::details")))
            .await
            .expect("the form's details");
    if details.attr("open").await.expect("attr").is_none() {
        p.c.find(Locator::XPath(&format!("{form}/parent::details/summary")))
            .await
            .expect("summary")
            .click()
            .await
            .expect("open");
    }
    form
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clerk_urges_a_red_matter_reassigns_it_and_moves_its_deadline() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_office")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let housing = app.unit("区住建局").await;
    app.unit("区发改局").await;
    app.user("ducha", Role::Office, None).await;
    app.user("zhujian", Role::Liaison, Some(housing)).await;
    let cal = app.store.calendar().await.unwrap();
    let local = Utc::now().naive_utc() + Duration::hours(8);
    let m = app
        .store
        .create_matter(
            None,
            NewMatter {
                title: "城区小区直饮水站建设".into(),
                detail: "完成城区10座小区直饮水站建设。".into(),
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
            local - Duration::days(21),
            &cal,
        )
        .await
        .expect("a matter three weeks old, never signed for");
    let id = m.matter.id;

    // The board says what is due and how late.
    let office = Person::open(&driver, &app).await;
    office.login("ducha").await;
    office.go("/board").await;
    let row = office
        .c
        .find(Locator::XPath(&format!(
            "//tr[td/a[@href='/matters/{id}']]"
        )))
        .await
        .expect("the matter's row")
        .text()
        .await
        .unwrap();
    assert!(row.contains("签收部署") && row.contains("逾期"), "{row}");
    assert!(row.contains("红灯"), "{row}");
    assert!(!row.contains('—'), "every limit shown: {row}");
    office.shot("board-next-limit").await;

    // The clerk urges it.
    office.go(&format!("/matters/{id}")).await;
    assert!(
        office.text().await.contains("逾期"),
        "the next node says how late"
    );
    let form = open_form(&office, id, "urge").await;
    let text = office
        .c
        .find(Locator::XPath(&format!("{form}//textarea[@name='text']")))
        .await
        .unwrap();
    text.clear().await.unwrap();
    text.send_keys("已逾期三周未签收，请今日内签收并部署")
        .await
        .unwrap();
    office.click_xpath(&format!("{form}//button")).await;
    let page = office.text().await;
    assert!(page.contains("已催办"), "{page}");
    assert!(page.contains("催办记录"), "{page}");

    // The unit reads the urging and opens its 催办单.
    let unit = Person::open(&driver, &app).await;
    unit.login("zhujian").await;
    unit.go(&format!("/matters/{id}")).await;
    let page = unit.text().await;
    assert!(
        page.contains("催办记录") && page.contains("已逾期三周未签收"),
        "{page}"
    );
    unit.click_xpath("//table[contains(@class,'urgings')]//a")
        .await;
    let sheet = unit.text().await;
    assert!(
        sheet.contains("催办单") && sheet.contains("催字〔"),
        "{sheet}"
    );
    assert!(
        sheet.contains("区住建局") && sheet.contains("签收部署"),
        "{sheet}"
    );
    unit.shot("urging-notice").await;

    // The clerk reassigns the lead unit and sets a new deadline.
    let form = open_form(&office, id, "reassign").await;
    let lead = office
        .c
        .find(Locator::XPath(&format!("{form}//input[@name='lead']")))
        .await
        .unwrap();
    lead.clear().await.unwrap();
    lead.send_keys("区发改局").await.unwrap();
    let co = office
        .c
        .find(Locator::XPath(&format!("{form}//input[@name='co']")))
        .await
        .unwrap();
    co.clear().await.unwrap();
    co.send_keys("区住建局").await.unwrap();
    office
        .c
        .find(Locator::XPath(&format!("{form}//textarea[@name='reason']")))
        .await
        .unwrap()
        .send_keys("项目业主调整为区发改局")
        .await
        .unwrap();
    office.click_xpath(&format!("{form}//button")).await;
    let page = office.text().await;
    assert!(page.contains("已改派"), "{page}");
    let new = (local.date() + Duration::days(40)).to_string();
    let form = open_form(&office, id, "deadline").await;
    office
        .c
        .execute(
            &format!(
                "document.evaluate(\"{form}//input[@name='deadline']\", document, null, 9, null).singleNodeValue.value = arguments[0];"
            ),
            vec![json!(new)],
        )
        .await
        .expect("the date set");
    office
        .c
        .find(Locator::XPath(&format!("{form}//textarea[@name='reason']")))
        .await
        .unwrap()
        .send_keys("需协调用地，延至下月")
        .await
        .unwrap();
    office.click_xpath(&format!("{form}//button")).await;
    let page = office.text().await;
    assert!(page.contains("已调整完成时限"), "{page}");
    assert!(page.contains(&new), "the new deadline shown: {page}");
    for s in [
        "改派",
        "项目业主调整为区发改局",
        "调整时限",
        "需协调用地，延至下月",
        "催办",
    ] {
        assert!(page.contains(s), "{s} in the log");
    }
    office.shot("matter-office-actions").await;
    office.quit().await;
    unit.quit().await;
    app.stop().await;
}
