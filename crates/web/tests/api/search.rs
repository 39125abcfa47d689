//! Full-text search through the API: what each role finds, refused
//! parameters, and two servers on one database finding each other's
//! changes.

use crate::documents::upload_first_document;
use crate::helpers::{json, Session, TestApp};
use crate::matters::World;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn meeting() -> Value {
    json!({ "type": "meeting", "name": "区政府第5次常务会议", "date": "2024-09-26" })
}

/// The (kind, id) of the hits and the total of a search.
async fn search(s: &Session, query: &str) -> (Vec<(String, i64)>, i64) {
    let (status, body) = json(s.get(&format!("/api/v1/search?{query}")).await).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    let hits = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_string(),
                h["id"].as_i64().unwrap(),
            )
        })
        .collect();
    (hits, body["total"].as_i64().unwrap())
}

fn q(text: &str) -> String {
    format!("q={}", urlencode(text))
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn every_role_finds_what_it_may_open_and_bad_parameters_are_explained() {
    for url in fresh_databases("api_search").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let office = w.s("office");
        let body = json!({
            "title": "推进海绵城市建设",
            "detail": "在解州镇完成海绵城市改造试点。",
            "type": "普通",
            "source": meeting(),
            "lead": [w.a],
        });
        let (status, made) = json(office.post("/api/v1/matters", &body).await).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let id = made["matter"]["id"].as_i64().unwrap();
        let want = vec![("matter".to_string(), id)];

        // The office finds its own change at once, with a link and a marked snippet.
        let (status, res) =
            json(office.get(&format!("/api/v1/search?{}", q("解州镇"))).await).await;
        assert_eq!(status, StatusCode::OK, "{res}");
        assert_eq!(res["total"], 1, "{res}");
        let hit = &res["hits"][0];
        assert_eq!(hit["link"], format!("/matters/{id}"));
        assert_eq!(hit["kind_label"], "督办事项");
        assert!(
            hit["snippet"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["hit"] == true && p["text"] == "解州镇"),
            "{hit}"
        );
        // The unit's own full name finds it too.
        assert_eq!(search(office, &q("区发展和改革局")).await.0, want);

        for (who, sees) in [
            ("admin", true),
            ("head_a", true),
            ("liaison_a", true),
            ("handler_a", true),
            ("leader_a", true),
            ("liaison_b", false),
            ("leader_b", false),
            ("public1", false),
            ("public2", false),
        ] {
            let (hits, total) = search(w.s(who), &q("海绵城市")).await;
            if sees {
                assert_eq!((hits, total), (want.clone(), 1), "{who}");
            } else {
                assert_eq!((hits, total), (vec![], 0), "{who}");
            }
        }
        // Filters reach the index.
        let by_unit = format!("{}&unit={}", q("海绵城市"), w.b);
        assert_eq!(search(office, &by_unit).await.1, 0);
        let by_kind = format!("{}&kind=document", q("海绵城市"));
        assert_eq!(search(office, &by_kind).await.1, 0);

        // The page renders the same hits, marked, linking to the matter; a
        // unit without a part in it gets nothing, not even a count.
        let page = office
            .get(&format!("/search?{}", q("海绵城市")))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("<mark>海绵城市</mark>"), "{page}");
        assert!(page.contains(&format!("href=\"/matters/{id}\"")), "{page}");
        let page = w
            .s("liaison_b")
            .get(&format!("/search?{}", q("海绵城市")))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("没有找到") && !page.contains("<mark>"),
            "{page}"
        );
        let page = office
            .get("/search?q=x&from=2024-05-01&to=2024-04-01")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("晚于"), "{page}");

        for (query, needle) in [
            ("", "请输入要搜索的内容"),
            ("q=%20", "请输入要搜索的内容"),
            ("q=x&kind=people", "类别"),
            ("q=x&from=2024-13-01", "from"),
            ("q=x&colour=red", "未知的查询参数"),
        ] {
            let (status, body) = json(office.get(&format!("/api/v1/search?{query}")).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
            let msg = body["error"].as_str().unwrap();
            assert!(msg.contains(needle), "{query}: {msg}");
        }
        // Well formed, but the range is empty: 422.
        let (status, body) = json(
            office
                .get("/api/v1/search?q=x&from=2024-05-01&to=2024-04-01")
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("晚于"), "{body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_matter_made_through_one_server_is_found_through_the_other_within_seconds() {
    for url in fresh_databases("api_search_two").await {
        let one = TestApp::spawn(&url).await;
        let w = World::new(&one).await;
        let two = TestApp::spawn_beside(&url).await;
        let there = |s: &Session| Session {
            client: s.client.clone(),
            csrf: s.csrf.clone(),
            base: two.base.clone(),
            user_id: s.user_id,
        };
        let office_two = there(w.s("office"));
        let liaison_b_two = there(w.s("liaison_b"));
        // The second server has built its index before the change.
        assert_eq!(search(&office_two, &q("充电桩")).await.1, 0);

        let body = json!({
            "title": "新建公共充电桩",
            "detail": "年底前新建公共充电桩1350台。",
            "type": "普通",
            "source": meeting(),
            "lead": [w.a],
        });
        let made = Instant::now();
        let (status, m) = json(w.s("office").post("/api/v1/matters", &body).await).await;
        assert_eq!(status, StatusCode::CREATED, "{m}");
        let id = m["matter"]["id"].as_i64().unwrap();
        loop {
            let (hits, _) = search(&office_two, &q("充电桩")).await;
            if hits == [("matter".to_string(), id)] {
                break;
            }
            assert!(
                made.elapsed() < Duration::from_secs(5),
                "not found through the other server within 5 s: {hits:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(search(&liaison_b_two, &q("充电桩")).await.1, 0);
        two.stop().await;
        one.stop().await;
    }
}

/// Five notices of one city: one repealing an older one, the older one,
/// one whose term ended, one amended by a later one, and the later one.
const STANDING: [(&str, &str); 5] = [
    ("new", "示范市人民政府文件\n\n示政发〔2024〕9号\n\n示范市人民政府关于印发示范市数据共享管理办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市数据共享管理办法》印发给你们，请认真贯彻执行。\n\n示范市人民政府\n\n2024年3月15日\n\n示范市数据共享管理办法\n\n第一条 本办法自2024年4月1日起施行，有效期5年。原《示范市数据共享暂行办法》（示政发〔2019〕12号）同时废止。\n"),
    ("old", "示范市人民政府文件\n\n示政发〔2019〕12号\n\n示范市人民政府关于印发示范市数据共享暂行办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市数据共享暂行办法》印发给你们，请认真贯彻执行。\n\n示范市人民政府\n\n2019年5月6日\n\n示范市数据共享暂行办法\n\n第一条 本办法自印发之日起施行。\n"),
    ("ended", "示范市人民政府办公室文件\n\n示政办发〔2020〕3号\n\n示范市人民政府办公室关于印发示范市停车管理办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市停车管理办法》印发给你们。\n\n示范市人民政府办公室\n\n2020年1月10日\n\n示范市停车管理办法\n\n第一条 本办法自印发之日起施行，有效期至2022年12月31日。\n"),
    ("amended", "示范市人民政府办公室文件\n\n示政办发〔2023〕8号\n\n示范市人民政府办公室关于印发示范市公共自行车管理办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市公共自行车管理办法》印发给你们。\n\n示范市人民政府办公室\n\n2023年2月1日\n\n示范市公共自行车管理办法\n\n第一条 本办法自印发之日起施行。\n"),
    ("amending", "示范市人民政府办公室文件\n\n示政办发〔2024〕20号\n\n示范市人民政府办公室关于调整公共自行车停放规定的通知\n\n各县（市、区）人民政府：\n\n经研究，决定对《示范市公共自行车管理办法》（示政办发〔2023〕8号）作如下修改：将第一条中的“印发之日”修改为“2023年3月1日”。\n\n示范市人民政府办公室\n\n2024年6月1日\n"),
];

#[tokio::test]
async fn documents_are_found_by_their_standing_today() {
    for url in fresh_databases("api_search_standing").await {
        let app = TestApp::spawn(&url).await;
        app.user("office", duban_domain::org::Role::Office, None)
            .await;
        let s = app.login("office").await;
        let mut ids = std::collections::HashMap::new();
        for (name, text) in STANDING {
            let doc = upload_first_document(&s, &format!("{name}.txt"), text).await;
            ids.insert(name, doc);
        }
        let docs = |names: &[&str]| -> Vec<(String, i64)> {
            let mut v: Vec<(String, i64)> = names
                .iter()
                .map(|n| ("document".to_string(), ids[n]))
                .collect();
            v.sort();
            v
        };
        let by = |st: &str| format!("{}&in_force={}", q("示范市"), urlencode(st));
        for (st, want) in [
            ("有效", docs(&["new", "amending"])),
            ("true", docs(&["new", "amending"])),
            ("已废止", docs(&["old"])),
            ("已失效", docs(&["ended"])),
            ("已修改", docs(&["amended"])),
        ] {
            let (mut hits, total) = search(&s, &by(st)).await;
            hits.sort();
            assert_eq!((hits, total), (want.clone(), want.len() as i64), "{st}");
        }
        // Each hit says its standing; the page offers the filter.
        let (_, body) = json(s.get(&format!("/api/v1/search?{}", by("已废止"))).await).await;
        assert_eq!(body["hits"][0]["in_force"], "已废止", "{body}");
        let page = s
            .get(&format!("/search?{}", by("已修改")))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("name=\"in_force\""), "{page}");
        assert!(
            page.contains(&format!("href=\"/documents/{}", ids["amended"])),
            "{page}"
        );
        assert!(
            !page.contains(&format!("href=\"/documents/{}", ids["new"])),
            "{page}"
        );
        let (status, body) = json(s.get(&format!("/api/v1/search?{}", by("作废"))).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"].as_str().unwrap().contains("已废止"), "{body}");
        app.stop().await;
    }
}
