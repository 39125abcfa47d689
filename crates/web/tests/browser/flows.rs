//! Each role's main flow, in one story on one server: the office ingests a
//! gazette, confirms its proposals and so assigns them; a unit signs for,
//! reports and applies to close; the office returns it once, then closes it
//! with a grade; the leader sees the change; an enterprise raises a problem
//! the office turns into a matter; and a unit cannot open another unit's
//! matter by its address.

use crate::helpers::TestApp;
use crate::{driver, Person};
use duban_domain::org::Role;
use fantoccini::Locator;

/// A small task list in the gazette's own form: two items with their
/// responsible units.
const GAZETTE: &str = "运城市盐湖区人民政府办公室 关于印发2026年民生实事任务分解的通知
运盐政办发〔2026〕3号
区直各有关单位：
现将民生实事任务分解印发给你们，请抓好落实。
运城市盐湖区人民政府办公室
2026年3月2日
（此件公开发布）
一、民生实事
1.完成城区10座小区直饮水站建设。
责任单位：区住建局
2.新建公共充电桩200台。（牵头单位：区发改局；配合单位：区住建局）
";

/// The id in a link like `/matters/3#track-7` after `marker`.
fn id_after(href: &str, marker: &str) -> i64 {
    let at = href
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {href}"))
        + marker.len();
    href[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("an id")
}

async fn href_of(p: &Person, xpath: &str) -> String {
    p.c.find(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("no link {xpath}: {e}"))
        .attr("href")
        .await
        .expect("href")
        .expect("a link")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_walks_its_main_flow() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let housing = app.unit("区住建局").await;
    let dev = app.unit("区发改局").await;
    let education = app.unit("区教育局").await;
    app.user("ducha", Role::Office, None).await;
    app.user("zhujian", Role::Liaison, Some(housing)).await;
    app.user("jiaoyu", Role::Liaison, Some(education)).await;
    let leader = app.user("leader", Role::Leader, None).await;
    app.store
        .set_leader_units(None, leader, &[housing, dev])
        .await
        .expect("the leader oversees housing and development");
    app.user("qiye", Role::Public, None).await;

    // The office uploads the gazette and confirms its proposals.
    let office = Person::open(&driver, &app).await;
    office.go("/board").await;
    assert!(
        office.path().await.starts_with("/login"),
        "pages need a log-in"
    );
    office.shot("login").await;
    office.login("ducha").await;
    let file = std::env::temp_dir().join(format!("duban-browser-{}.txt", std::process::id()));
    std::fs::write(&file, GAZETTE).expect("gazette written");
    office.upload(&file, false).await;
    assert!(
        office.text().await.contains("文件已读入"),
        "{}",
        office.text().await
    );
    office.shot("documents").await;
    let doc = href_of(
        &office,
        "//a[contains(@href, '/documents/') and not(contains(@href, 'source'))]",
    )
    .await;
    office
        .c
        .goto(&format!("{}{doc}", app.base))
        .await
        .expect("document");
    let text = office.text().await;
    assert!(
        text.contains("直饮水站") && text.contains("区住建局"),
        "{text}"
    );
    office.shot("document").await;
    office.click("form[action$='/confirm-all'] button").await;
    let text = office.text().await;
    assert!(
        text.contains("全部立项交办") || text.contains("已立项"),
        "{text}"
    );
    std::fs::remove_file(&file).ok();

    // The board shows both matters, assigned.
    office.go("/board?q=直饮水站").await;
    let matter_href = href_of(&office, "//td/a[contains(., '直饮水站')]").await;
    let matter = id_after(&matter_href, "/matters/");
    office.go("/board").await;
    let text = office.text().await;
    assert!(
        text.contains("新建公共充电桩200台") && text.contains("区发改局"),
        "{text}"
    );
    office.shot("board").await;

    // The unit signs for, reports and applies to close, from its to-do list.
    let unit = Person::open(&driver, &app).await;
    unit.login("zhujian").await;
    assert_eq!(unit.path().await, "/owe");
    assert!(unit.text().await.contains("直饮水站"));
    unit.shot("owe").await;
    let track_href = href_of(
        &unit,
        "//a[contains(., '直饮水站')][contains(@href, '#track-')]",
    )
    .await;
    let track = id_after(&track_href, "#track-");
    let form = unit.action_form(track, "sign_for").await;
    unit.click_xpath(&format!("{form}//button")).await;
    assert!(unit.text().await.contains("已签收"));
    unit.go(&format!("/matters/{matter}")).await;
    let form = unit.action_form(track, "report").await;
    unit.c
        .find(Locator::XPath(&format!("{form}//textarea[@name='text']")))
        .await
        .expect("report text")
        .send_keys("已完成6座直饮水站选址和设备采购。")
        .await
        .expect("typed");
    // With a photo of the site attached.
    let photo = std::env::temp_dir().join(format!("选址照片-{}.jpg", std::process::id()));
    std::fs::write(&photo, [0xff, 0xd8, 0xff, 0xe0]).expect("photo written");
    unit.c
        .find(Locator::XPath(&format!("{form}//input[@type='file']")))
        .await
        .expect("file field")
        .send_keys(photo.to_str().expect("path"))
        .await
        .expect("file chosen");
    unit.click_xpath(&format!("{form}//button")).await;
    std::fs::remove_file(&photo).ok();
    let text = unit.text().await;
    assert!(text.contains("反馈已提交"), "{text}");
    unit.go(&format!("/matters/{matter}")).await;
    let file = href_of(&unit, "//a[contains(@href, '/attachments/')]").await;
    assert!(
        unit.text().await.contains("选址照片"),
        "the report lists its file"
    );
    unit.go(&format!("/matters/{matter}")).await;
    let form = unit.action_form(track, "apply_to_close").await;
    unit.c
        .find(Locator::XPath(&format!("{form}//textarea[@name='text']")))
        .await
        .expect("result text")
        .send_keys("10座直饮水站已全部建成投用。")
        .await
        .expect("typed");
    unit.click_xpath(&format!("{form}//button")).await;
    assert!(unit.text().await.contains("办结申请已提交"));

    // The office returns it once, from the review queue.
    office.go("/review").await;
    assert!(office.text().await.contains("10座直饮水站已全部建成投用"));
    office.shot("review").await;
    let form = office.action_form(track, "return").await;
    office
        .c
        .find(Locator::XPath(&format!("{form}//textarea[@name='reason']")))
        .await
        .expect("reason")
        .send_keys("请补充水质检测报告。")
        .await
        .expect("typed");
    office.click_xpath(&format!("{form}//button")).await;
    assert!(office.text().await.contains("已退回"));

    // The unit applies again; the office closes it with a grade.
    unit.go(&format!("/matters/{matter}")).await;
    assert!(unit.text().await.contains("请补充水质检测报告"));
    let form = unit.action_form(track, "apply_to_close").await;
    unit.c
        .find(Locator::XPath(&format!("{form}//textarea[@name='text']")))
        .await
        .expect("result text")
        .send_keys("已补充水质检测报告，均达标。")
        .await
        .expect("typed");
    unit.click_xpath(&format!("{form}//button")).await;
    office.go(&format!("/matters/{matter}")).await;
    let form = office.action_form(track, "close").await;
    office
        .c
        .find(Locator::XPath(&format!(
            "{form}//select[@name='grade']/option[@value='良好']"
        )))
        .await
        .expect("the grade 良好")
        .click()
        .await
        .expect("grade chosen");
    office.click_xpath(&format!("{form}//button")).await;
    let text = office.text().await;
    assert!(
        text.contains("已办结并评定等次") && text.contains("良好"),
        "{text}"
    );
    office.shot("matter").await;

    // The leader sees it closed among the overseen units' matters.
    let lead = Person::open(&driver, &app).await;
    lead.login("leader").await;
    lead.shot("leader").await;
    lead.go("/board?status=closed").await;
    assert!(
        lead.text().await.contains("直饮水站"),
        "{}",
        lead.text().await
    );
    lead.go(&format!("/matters/{matter}")).await;
    assert!(lead.text().await.contains("良好"));

    // An enterprise raises a problem; the office makes it a matter.
    let public = Person::open(&driver, &app).await;
    public.login("qiye").await;
    public.go("/appeals/new").await;
    public.fill("input[name=title]", "厂区门前道路积水").await;
    public
        .fill(
            "textarea[name=content]",
            "雨后厂区门前道路积水严重，车辆无法通行。",
        )
        .await;
    public
        .fill("input[name=location]", "盐湖区工业园区纬三路")
        .await;
    public
        .fill("input[name=contact]", "王经理 13800000000")
        .await;
    public.shot("appeal-new").await;
    public.click("main form button[type=submit]").await;
    assert!(public.text().await.contains("诉求已提交"));
    let appeal = id_after(&public.path().await, "/appeals/");
    office.go(&format!("/appeals/{appeal}")).await;
    office
        .fill("form[action$='/accept'] input[name=lead]", "区住建局")
        .await;
    office.click("form[action$='/accept'] button").await;
    assert!(
        office.text().await.contains("诉求已受理"),
        "{}",
        office.text().await
    );
    public.go(&format!("/appeals/{appeal}")).await;
    assert!(public.text().await.contains("已受理"));
    public.shot("appeal").await;

    // Another unit cannot open the matter by its address.
    let other = Person::open(&driver, &app).await;
    other.login("jiaoyu").await;
    other.go(&format!("/matters/{matter}")).await;
    let text = other.text().await;
    assert!(
        text.contains("不存在") && !text.contains("直饮水站"),
        "{text}"
    );
    // Nor its files.
    other.c.goto(&file).await.expect("file address");
    assert!(other.text().await.contains("不存在"));

    office.go("/dashboard").await;
    office.shot("dashboard").await;
    for p in [office, unit, lead, public, other] {
        p.quit().await;
    }
    app.stop().await;
}
