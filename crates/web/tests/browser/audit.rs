//! The audit admin reads the trail: lands on it after logging in, sees who
//! did what in words, narrows it to one group of kinds with the form, and
//! pages back to older entries with 下一页 (keyset: no entry twice).

use crate::helpers::TestApp;
use crate::{driver, Person};
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_store::NewMatter;
use fantoccini::Locator;

/// The cells of one column of the trail's table, top to bottom.
async fn column(p: &Person, label: &str) -> Vec<String> {
    let mut out = Vec::new();
    for cell in
        p.c.find_all(Locator::Css(&format!(
            "table.audit tbody td[data-label='{label}']"
        )))
        .await
        .expect("the trail's cells")
    {
        out.push(cell.text().await.expect("a cell's text"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_admin_filters_and_pages_the_trail() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_audit")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let unit = app.unit("区交通运输局").await;
    let office = app.user("office", Role::Office, None).await;
    app.user("auditor", Role::Auditor, None).await;
    let cal = app.store.calendar().await.unwrap();
    let now = duban_domain::clock::LocalTime::beijing().local(chrono::Utc::now());
    // More matters than one page of the trail holds.
    for i in 1..=55 {
        app.store
            .create_matter(
                Some(office),
                NewMatter {
                    title: format!("完善农村公路养护机制第{i}项"),
                    detail: "按季度通报养护情况。".into(),
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
    }

    let auditor = Person::open(&driver, &app).await;
    auditor.login("auditor").await;
    assert_eq!(
        auditor.path().await,
        "/audit",
        "the audit admin's start page"
    );
    let text = auditor.text().await;
    assert!(text.contains("审计日志"), "{text}");
    // Newest first: the auditor's own log-in heads the trail, in words.
    let kinds = column(&auditor, "种类").await;
    assert_eq!(kinds.first().map(String::as_str), Some("登录"), "{kinds:?}");
    assert!(kinds.iter().any(|k| k == "立项交办"), "{kinds:?}");
    let users = column(&auditor, "用户").await;
    assert!(
        users.iter().any(|u| u == "office的名字（office）"),
        "who, by name and login: {users:?}"
    );

    // One group of kinds: only matters' entries stay.
    auditor
        .c
        .find(Locator::Css("form.filters select[name=kind]"))
        .await
        .expect("the kind filter")
        .select_by_value("matter.")
        .await
        .expect("choose 督办事项（全部）");
    auditor.click("form.filters button[type=submit]").await;
    assert!(auditor.path().await.contains("kind=matter."));
    let first = column(&auditor, "种类").await;
    assert_eq!(first.len(), 50, "a full page of 50: {first:?}");
    assert!(first.iter().all(|k| k == "立项交办"), "{first:?}");
    let first_seqs: Vec<i64> = column(&auditor, "序号")
        .await
        .iter()
        .map(|s| s.parse().expect("a number"))
        .collect();
    assert!(first_seqs.windows(2).all(|w| w[0] > w[1]), "newest first");

    // The next page keeps the filter and goes on where the first ended.
    auditor.click("nav.pager a:last-child").await;
    let path = auditor.path().await;
    assert!(
        path.contains("kind=matter.") && path.contains("before="),
        "{path}"
    );
    let rest: Vec<i64> = column(&auditor, "序号")
        .await
        .iter()
        .map(|s| s.parse().expect("a number"))
        .collect();
    assert_eq!(rest.len(), 5, "the five older matters: {rest:?}");
    assert!(rest.iter().all(|s| s < first_seqs.last().unwrap()));
    assert!(column(&auditor, "种类")
        .await
        .iter()
        .all(|k| k == "立项交办"));
    assert!(
        auditor
            .c
            .find(Locator::XPath(
                "//nav[@class='pager']/a[contains(., '下一页')]"
            ))
            .await
            .is_err(),
        "no next page after the last"
    );
}
