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

/// A notice repealed by a later one, uploaded before it.
const REPEALED: &str = "示范市人民政府文件\n\n示政发〔2019〕12号\n\n示范市人民政府关于印发示范市数据共享暂行办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市数据共享暂行办法》印发给你们，请认真贯彻执行。\n\n示范市人民政府\n\n2019年5月6日\n\n示范市数据共享暂行办法\n\n第一条 各部门应当建立政务数据目录清单，按月更新。\n第二条 本办法自印发之日起施行。\n";
const REPEALING: &str = "示范市人民政府文件\n\n示政发〔2024〕9号\n\n示范市人民政府关于印发示范市数据共享管理办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市数据共享管理办法》印发给你们，请认真贯彻执行。\n\n示范市人民政府\n\n2024年3月15日\n\n示范市数据共享管理办法\n\n第一条 本办法自2024年4月1日起施行。原《示范市数据共享暂行办法》（示政发〔2019〕12号）同时废止。\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repealed_document_found_from_the_navigation_says_what_repealed_it() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_search_repealed")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    app.user("ducha", Role::Office, None).await;
    let dir = std::env::temp_dir().join(format!("duban-browser-repealed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let office = Person::open(&driver, &app).await;
    office.login("ducha").await;
    for (name, text) in [("暂行办法.txt", REPEALED), ("管理办法.txt", REPEALING)] {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        office.upload(&file, false).await;
        assert!(office.text().await.contains("文件已读入"));
    }

    office.go("/board").await;
    office
        .fill("header form.search input[name=q]", "政务数据目录清单")
        .await;
    office.click("header form.search button").await;
    let text = office.text().await;
    assert!(
        text.contains("示范市人民政府关于印发示范市数据共享暂行办法的通知"),
        "{text}"
    );
    assert!(text.contains("已废止"), "the hit says it: {text}");
    assert!(text.contains("原文第 17 行"), "{text}");
    office.click("ol.hits li a[href^='/documents/']").await;
    let path = office.path().await;
    assert!(path.ends_with("#L17"), "{path}");
    let line = office
        .c
        .find(Locator::Css(".source div:target"))
        .await
        .expect("the source line in focus");
    assert!(line.text().await.unwrap().contains("政务数据目录清单"));
    // The page names the document that repealed it, and links to it.
    let text = office.text().await;
    assert!(
        text.contains(
            "已废止 由《示范市人民政府关于印发示范市数据共享管理办法的通知》（示政发〔2024〕9号）废止"
        ),
        "{text}"
    );
    office
        .click("section.links ul li a[href^='/documents/']")
        .await;
    let text = office.text().await;
    assert!(
        text.contains("示政发〔2024〕9号") && text.contains("有效"),
        "{text}"
    );
    office.shot("search-repealed").await;
    office.quit().await;
    let _ = std::fs::remove_dir_all(&dir);
}
