//! The office confirms a proposal that repeats matters already assigned:
//! the confirm form shows them (可能重复的事项), the office ticks one to
//! link; the new matter's page offers the other with a 关联 button; every
//! linked matter's page shows the others.

use crate::helpers::TestApp;
use crate::{driver, Person};
use chrono::Utc;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_store::NewMatter;
use fantoccini::Locator;
use serde_json::json;

const PLAN: &str = "示范区人民政府办公室文件\n\n示政办发〔2024〕31号\n\n关于印发城区排水设施建设工作方案的通知\n\n各有关单位：\n现将工作方案印发给你们，请认真落实。\n\n示范区人民政府办公室\n2024年10月8日\n\n一、完成城区老旧小区雨污分流管网改造12公里，消除污水直排。（区住房和城乡建设局负责）\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_links_a_proposal_to_the_matters_it_repeats() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_duplicates")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let housing = app.unit("区住房和城乡建设局").await;
    app.user("ducha", Role::Office, None).await;
    let cal = app.store.calendar().await.unwrap();
    let mut made = Vec::new();
    for (title, detail) in [
        (
            "推进城区雨污分流管网改造",
            "完成城区老旧小区雨污分流管网改造12公里，消除污水直排。",
        ),
        (
            "城区老旧小区雨污分流管网改造二期",
            "开展城区老旧小区雨污分流管网改造二期工程。",
        ),
    ] {
        let m = app
            .store
            .create_matter(
                None,
                NewMatter {
                    title: title.into(),
                    detail: detail.into(),
                    matter_type: MatterType::ordinary(),
                    source: Source::Meeting {
                        name: "区政府第7次常务会议".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: json!([]),
                    lead: vec![housing],
                    co: vec![],
                    raised_by: None,
                },
                Utc::now().naive_utc(),
                &cal,
            )
            .await
            .expect("a matter");
        made.push(m.matter.id);
    }
    let (first, second) = (made[0], made[1]);
    let dir = std::env::temp_dir().join(format!("duban-browser-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("排水设施工作方案.txt");
    std::fs::write(&file, PLAN).unwrap();

    let office = Person::open(&driver, &app).await;
    office.login("ducha").await;
    office.upload(&file, false).await;
    let source = app.store.sources().await.unwrap()[0].id;
    let doc = app.store.documents_of(source).await.unwrap()[0].id;

    // The confirm form shows both matters, with their units and state.
    office.go(&format!("/documents/{doc}")).await;
    let text = office.text().await;
    assert!(text.contains("可能重复的事项"), "{text}");
    assert!(text.contains("推进城区雨污分流管网改造"), "{text}");
    assert!(text.contains("城区老旧小区雨污分流管网改造二期"), "{text}");
    assert!(text.contains("区住房和城乡建设局 · 办理中"), "{text}");
    office.shot("duplicates-confirm").await;
    office
        .c
        .find(Locator::Css(&format!(
            "input[name=link_to][value='{first}']"
        )))
        .await
        .expect("a box to link the first matter")
        .click()
        .await
        .expect("ticked");
    office
        .click_xpath("//form[input[@name='action' and @value='confirm']]//button[@type='submit']")
        .await;
    let new = app.store.proposals_of(doc).await.unwrap()[0]
        .matter_id
        .expect("confirmed into a matter");

    // Linked at once: each page shows the other.
    office.go(&format!("/matters/{first}")).await;
    let text = office.text().await;
    assert!(
        text.contains("关联事项") && text.contains(&format!("事项 {new}：")),
        "{text}"
    );
    office.go(&format!("/matters/{new}")).await;
    let text = office.text().await;
    assert!(
        text.contains(&format!("事项 {first}：推进城区雨污分流管网改造")),
        "{text}"
    );
    // The other one is still offered, with a 关联 button.
    assert!(text.contains("可能重复的事项"), "{text}");
    office
        .click_xpath(&format!(
            "//form[@action='/matters/{new}/links'][input[@name='other' and @value='{second}']]//button"
        ))
        .await;
    let text = office.text().await;
    assert!(text.contains("已关联"), "{text}");
    assert!(
        text.contains(&format!("事项 {second}：城区老旧小区雨污分流管网改造二期")),
        "{text}"
    );
    office.shot("duplicates-linked").await;
    office.go(&format!("/matters/{second}")).await;
    let text = office.text().await;
    assert!(text.contains(&format!("事项 {new}：")), "{text}");
    assert!(text.contains("关联事项"), "{text}");
    office.quit().await;
    let _ = std::fs::remove_dir_all(&dir);
}
