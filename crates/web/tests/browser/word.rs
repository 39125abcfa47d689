//! The office takes in a 任务分解 as it arrives, a Word file with a task
//! table (a two-row header, merged cells): uploaded on the documents page,
//! each row becomes a proposal pointing at its row, the office confirms
//! one with the proposed title, the rest at once, and completes by hand
//! the one whose co-operating units are not in the registry. The same file
//! uploaded again is not read twice until the office ticks the box.

use crate::helpers::TestApp;
use crate::{driver, Person};
use duban_domain::org::Role;
use fantoccini::Locator;

/// The confirm button of the proposal in focus.
const CONFIRM: &str = "//form[.//input[@name='action' and @value='confirm']]//button";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_uploads_a_word_task_table_and_confirms_its_rows() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_word")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    for name in [
        "区行政审批局",
        "区市场监管局",
        "区税务局",
        "区发改局",
        "区财政局",
        "区工信局",
        "区住建局",
        "各街道办事处",
        "区人社局",
        "区教育局",
        "区民政局",
        "区卫健委",
    ] {
        app.unit(name).await;
    }
    app.user("ducha", Role::Office, None).await;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/tests/files/task_table.docx")
        .canonicalize()
        .expect("the Word fixture");
    let office = Person::open(&driver, &app).await;
    office.login("ducha").await;
    office.upload(&file, false).await;
    let text = office.text().await;
    assert!(
        text.contains("文件已读入") && text.contains("docx"),
        "{text}"
    );
    office
        .click_xpath("//td/a[contains(@href, '/documents/') and not(contains(@href, 'source'))]")
        .await;
    let text = office.text().await;
    assert!(text.contains("7 条，待确认 7 条"), "{text}");
    // The source pane shows the table's rows, the first one highlighted.
    let hit = office
        .c
        .find(Locator::Css(".source .hit"))
        .await
        .expect("a highlighted row");
    assert!(hit.text().await.unwrap().contains("区行政审批局"));
    let title = office
        .c
        .find(Locator::Css("input[name=title]"))
        .await
        .expect("the title field")
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(
        title,
        "优化营商环境：建成企业开办一窗通办平台，压缩开办时间至1个工作日"
    );
    office.shot("document-word").await;
    office
        .c
        .set_window_size(390, 844)
        .await
        .expect("a phone-sized window");
    office.shot("document-word-390").await;
    office
        .c
        .set_window_size(1366, 900)
        .await
        .expect("back to a desktop");

    // The first row, confirmed as proposed.
    office.click_xpath(CONFIRM).await;
    assert!(
        office.text().await.contains("6 条"),
        "{}",
        office.text().await
    );
    // The rest at once: all but the row whose co-operating units
    // (各乡镇、街道) are in no registry.
    office.click("form[action$='/confirm-all'] button").await;
    let text = office.text().await;
    assert!(
        text.contains("以下 1 条任务未能一并立项") && text.contains("各乡镇"),
        "{text}"
    );
    office.click_xpath("//li/a[contains(., '任务')]").await;
    office.fill("input[name=co]", "").await;
    office.click_xpath(CONFIRM).await;
    let text = office.text().await;
    assert!(text.contains("7 条，待确认 0 条"), "{text}");

    // The same file again: the office is asked before it is read twice.
    office.upload(&file, false).await;
    let text = office.text().await;
    assert!(
        text.contains("内容完全相同") && text.contains("已上传过的文件：文件 1"),
        "{text}"
    );
    office.shot("documents-duplicate").await;
    office.upload(&file, true).await;
    assert!(
        office.text().await.contains("文件已读入"),
        "{}",
        office.text().await
    );
    office.quit().await;
}
