//! Leaders in the browser: the 区长 (a principal leader) sees the whole
//! district and writes a 批示 the unit reads; the leader's and the unit's
//! pages fit a 390 px phone screen without scrolling sideways (saved as
//! phone-width screenshots for the README with `DUBAN_SCREENSHOTS=1`).

use crate::helpers::TestApp;
use crate::{driver, Person};
use chrono::{Duration, Utc};
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_store::NewMatter;
use serde_json::json;

/// The page's width beyond the window (0 or less when nothing scrolls
/// sideways): beyond `innerWidth`, and beyond the width left beside a
/// vertical scroll bar where the browser draws one.
async fn overflow(p: &Person) -> i64 {
    p.c.execute(
        "const s = document.scrollingElement;
         return Math.max(s.scrollWidth - window.innerWidth, s.scrollWidth - s.clientWidth);",
        vec![],
    )
    .await
    .expect("measured")
    .as_i64()
    .expect("a number")
}

/// The outermost elements reaching past the window's right edge, to say
/// what to fix.
async fn culprits(p: &Person) -> String {
    p.c.execute(
        "const w = document.scrollingElement.clientWidth; const out = [];
         for (const e of document.querySelectorAll('body *')) {
           const r = e.getBoundingClientRect();
           if (r.right > w + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 1)) {
             let path = ''; for (let a = e; a && a !== document.body; a = a.parentElement) {
               path = a.tagName.toLowerCase() + (a.className ? '.' + a.className : '') + (path ? ' > ' + path : '');
             }
             out.push(path + ' ' + Math.round(r.right));
           }
         }
         return out.slice(0, 8).join(', ');",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(String::from))
    .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chief_sees_the_district_writes_an_instruction_and_phones_fit() {
    let Some(driver) = driver().await else { return };
    let url = duban_store::testing::fresh_databases("browser_leaders")
        .await
        .into_iter()
        .next()
        .expect("a SQLite database");
    let app = TestApp::spawn(&url).await;
    let housing = app.unit("区住房和城乡建设局").await;
    let finance = app.unit("区财政局").await;
    app.user("zhujian", Role::Liaison, Some(housing)).await;
    let chief = app.user("quzhang", Role::Leader, None).await;
    app.store
        .set_principal(None, chief, true)
        .await
        .expect("the 区长 is principal");
    let cal = app.store.calendar().await.unwrap();
    let local = Utc::now().naive_utc() + Duration::hours(8);
    let mut ids = Vec::new();
    for (title, unit, days) in [
        ("城区小区直饮水站建设和老旧供水管网改造工程", housing, 20),
        ("一般公共预算收入增长7%", finance, 1),
    ] {
        let m = app
            .store
            .create_matter(
                None,
                NewMatter {
                    title: title.into(),
                    detail: String::new(),
                    matter_type: MatterType::ordinary(),
                    source: Source::Meeting {
                        name: "区政府第5次常务会议".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: json!([]),
                    lead: vec![unit],
                    co: vec![],
                    raised_by: None,
                },
                local - Duration::days(days),
                &cal,
            )
            .await
            .expect("a matter");
        ids.push(m.matter.id);
    }

    // The 区长 sees the whole district, not "no units".
    let leader = Person::open(&driver, &app).await;
    leader.login("quzhang").await;
    leader.go("/leader").await;
    let page = leader.text().await;
    assert!(page.contains("全区督办情况"), "{page}");
    assert!(!page.contains("您还没有分管单位"), "{page}");
    assert!(
        page.contains("区住房和城乡建设局") && page.contains("区财政局"),
        "{page}"
    );
    leader.go("/board").await;
    let page = leader.text().await;
    assert!(
        page.contains("直饮水站") && page.contains("预算收入"),
        "{page}"
    );

    // A 批示 on the red matter.
    leader.go(&format!("/matters/{}", ids[0])).await;
    leader
        .fill(
            "form.instruct textarea[name=text]",
            "此事关系群众饮水安全，务必本月内完成。",
        )
        .await;
    leader.click("form.instruct button[type=submit]").await;
    let page = leader.text().await;
    assert!(page.contains("批示已记录"), "{page}");
    assert!(page.contains("务必本月内完成"), "{page}");

    // The unit reads it.
    let unit = Person::open(&driver, &app).await;
    unit.login("zhujian").await;
    unit.go(&format!("/matters/{}", ids[0])).await;
    let page = unit.text().await;
    assert!(
        page.contains("领导批示") && page.contains("务必本月内完成"),
        "{page}"
    );

    // On a 390 px phone nothing scrolls sideways.
    for p in [&leader, &unit] {
        p.c.set_window_size(390, 844).await.expect("phone size");
    }
    let width: i64 = leader
        .c
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(width <= 400, "the window is phone-sized: {width}");
    let mut wide = Vec::new();
    for (p, path, shot) in [
        (&leader, "/leader".to_string(), "phone-leader"),
        (&leader, "/board".to_string(), "phone-leader-board"),
        (
            &leader,
            format!("/matters/{}", ids[0]),
            "phone-leader-matter",
        ),
        (&unit, "/owe".to_string(), "phone-unit-owe"),
        (&unit, format!("/matters/{}", ids[0]), "phone-unit-matter"),
        (&unit, "/board".to_string(), "phone-unit-board"),
    ] {
        p.go(&path).await;
        let over = overflow(p).await;
        if over > 0 {
            wide.push(format!(
                "{path}: {over} px too wide ({})",
                culprits(p).await
            ));
        }
        p.shot(shot).await;
    }
    assert!(wide.is_empty(), "pages scroll sideways at 390 px: {wide:?}");
    leader.quit().await;
    unit.quit().await;
    app.stop().await;
}
