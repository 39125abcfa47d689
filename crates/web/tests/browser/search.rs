//! The office searches from the navigation's search box and opens a
//! document hit at the source line where the words stand — words the
//! source wraps across two lines.

use crate::helpers::TestApp;
use crate::{driver, Person};
use duban_domain::org::Role;
use fantoccini::Locator;

const DOCUMENT: &str = "运城市盐湖区人民政府办公室文件\n\n运盐政办发〔2024〕5号\n\n关于推进海绵城市建设的实施意见\n\n各乡镇人民政府，区直各部门：\n为推进海绵城市建设，加快解州镇雨水花\n园和透水铺装改造，现提出如下意见。\n一、建设雨水花园。2024年底前建成雨水花园3处。（区住房和城乡建设局牵头，区财政局配合）\n二、改造透水铺装。（区住房和城乡建设局负责）\n\n运城市盐湖区人民政府办公室\n2024年3月1日\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_searches_from_the_navigation_and_opens_the_source_line() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_search")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    for name in ["区住房和城乡建设局", "区财政局"] {
        app.unit(name).await;
    }
    app.user("ducha", Role::Office, None).await;
    let dir = std::env::temp_dir().join(format!("duban-browser-search-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("海绵城市实施意见.txt");
    std::fs::write(&file, DOCUMENT).unwrap();

    let office = Person::open(&driver, &app).await;
    office.login("ducha").await;
    office.upload(&file, false).await;
    assert!(
        office.text().await.contains("文件已读入"),
        "{}",
        office.text().await
    );

    // From any page: the search box in the navigation.
    office.go("/board").await;
    office
        .fill("header form.search input[name=q]", "雨水花园")
        .await;
    office.click("header form.search button").await;
    let text = office.text().await;
    assert!(text.contains("关于推进海绵城市建设的实施意见"), "{text}");
    assert!(text.contains("原文第 8 行"), "{text}");
    let marked = office
        .c
        .find(Locator::Css("ol.hits mark"))
        .await
        .expect("a marked match");
    assert_eq!(marked.text().await.unwrap(), "雨水花园");
    office.shot("search").await;

    office.click("ol.hits li a[href^='/documents/']").await;
    let path = office.path().await;
    assert!(
        path.starts_with("/documents/") && path.ends_with("#L8"),
        "{path}"
    );
    let line = office
        .c
        .find(Locator::Css(".source div:target"))
        .await
        .expect("the source line in focus");
    assert!(line.text().await.unwrap().contains("雨水花"), "{path}");
    office.shot("search-document-line").await;
    office.quit().await;
    let _ = std::fs::remove_dir_all(&dir);
}
