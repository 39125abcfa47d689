//! The admin merges two units in the browser: the short and the full name
//! of one bureau were entered as two units; after the merge the full name
//! is an alias of the survivor, the matter and the liaison of the merged
//! unit belong to the survivor, and the leader who oversaw it oversees the
//! survivor. Then the admin corrects a unit's kind from its row.

use crate::helpers::TestApp;
use crate::{driver, Person};
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::{Role, UnitKind};
use duban_store::NewMatter;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_merges_two_units() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_registry")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let short = app.unit("区发改局").await;
    let full = app.unit("区发展和改革委员会").await;
    let town = app.unit("解州镇").await;
    let liaison = app.user("liaison_full", Role::Liaison, Some(full)).await;
    let leader = app.user("leader", Role::Leader, None).await;
    app.store
        .set_leader_units(None, leader, &[full])
        .await
        .unwrap();
    let cal = app.store.calendar().await.unwrap();
    let now = duban_domain::clock::LocalTime::beijing().local(chrono::Utc::now());
    let m = app
        .store
        .create_matter(
            None,
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
                lead: vec![full],
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
    admin.go("/admin/units").await;
    let pick = |name: &'static str, label: &'static str| {
        let c = admin.c.clone();
        async move {
            c.find(Locator::Css(&format!(
                "form[action='/admin/units/merge'] select[name={name}]"
            )))
            .await
            .expect("a unit select")
            .select_by_label(label)
            .await
            .expect("chosen");
        }
    };
    // Merging a unit into itself is refused with the reason, nothing lost.
    pick("from", "区发展和改革委员会").await;
    pick("into", "区发展和改革委员会").await;
    admin
        .click("form[action='/admin/units/merge'] button[type=submit]")
        .await;
    let text = admin.text().await;
    assert!(text.contains("不能把单位合并到它自己"), "{text}");

    pick("from", "区发展和改革委员会").await;
    pick("into", "区发改局").await;
    admin
        .click("form[action='/admin/units/merge'] button[type=submit]")
        .await;
    let text = admin.text().await;
    assert!(text.contains("已合并单位"), "{text}");
    let row = admin
        .c
        .find(Locator::XPath(
            "//table[@id='units']//tr[td[@data-label='名称' and text()='区发改局']]",
        ))
        .await
        .expect("the survivor's row")
        .text()
        .await
        .unwrap();
    assert!(row.contains("区发展和改革委员会"), "{row}");
    assert!(app.store.unit(full).await.is_err());
    let matter = app.store.matter(m.matter.id).await.unwrap();
    assert_eq!(matter.tracks[0].track.unit_id, short);
    assert_eq!(app.store.user(liaison).await.unwrap().unit_id, Some(short));
    assert_eq!(app.store.leader_units(leader).await.unwrap(), [short]);
    let log = app.store.events_of("unit", short).await.unwrap();
    assert_eq!(log.last().unwrap().action, "unit.merge");

    // The unit's kind, corrected from its row.
    let form = format!("form[action='/admin/units/{town}/kind']");
    admin
        .c
        .find(Locator::Css(&format!("{form} select[name=kind]")))
        .await
        .expect("the kind select")
        .select_by_label("乡镇、街道")
        .await
        .expect("chosen");
    admin.click(&format!("{form} button[type=submit]")).await;
    assert!(admin.text().await.contains("已修改单位类别"));
    assert_eq!(app.store.unit(town).await.unwrap().kind, UnitKind::Township);
    admin.shot("admin-units").await;
    admin.quit().await;
    app.stop().await;
}
