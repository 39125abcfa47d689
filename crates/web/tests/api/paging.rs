//! Keyset paging of the board over HTTP: following `next` through `after`
//! lists every matter in view exactly once, in the order of the sort, for
//! the office and for a unit's liaison; a garbled cursor, one of another
//! sort, or `after` with `offset` is a 400 in Chinese; the page's 下一页
//! carries the cursor.

use crate::helpers::json;
use crate::helpers::TestApp;
use crate::matters::{now, stored_matter, World};
use chrono::Duration;
use duban_domain::matter::MatterType;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use std::collections::HashSet;

#[tokio::test]
async fn the_board_pages_by_cursor_each_matter_once_in_order() {
    for url in fresh_databases("api_board_keyset").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let t = now();
        let n: i64 = 61;
        for i in 0..n {
            let unit = if i % 3 == 0 { w.b } else { w.a };
            let deadline = (i % 4 != 0).then(|| t.date() + Duration::days(20 + i % 6));
            stored_matter(
                &app.store,
                &format!("第{i}项"),
                MatterType::ordinary(),
                vec![unit],
                vec![],
                deadline,
                t - Duration::days(i % 10) - Duration::minutes(1),
            )
            .await;
        }
        for (who, filter, expected) in [
            ("office", "", n),
            ("office", "&status=open", n),
            ("office", &format!("&unit={}", w.b), (n + 2) / 3),
            ("liaison_b", "", (n + 2) / 3),
        ] {
            let s = w.s(who);
            for sort in ["newest", "created", "deadline", "-deadline", "due"] {
                // The whole view on one page, as the reference order.
                let (status, whole) = json(
                    s.get(&format!("/api/v1/matters?limit=200&sort={sort}{filter}"))
                        .await,
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{whole}");
                assert!(whole["next"].is_null(), "{who} {sort}: {}", whole["next"]);
                // Each matter with its tracks: a page reads them with it.
                let with_tracks = |m: &serde_json::Value| {
                    let tracks: Vec<i64> = m["tracks"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t["id"].as_i64().unwrap())
                        .collect();
                    assert!(!tracks.is_empty(), "{who} {sort}: {m}");
                    (m["id"].as_i64().unwrap(), tracks)
                };
                let order: Vec<(i64, Vec<i64>)> = whole["matters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(with_tracks)
                    .collect();
                assert_eq!(order.len() as i64, expected, "{who} {sort} {filter}");
                let mut got = Vec::new();
                let mut after = String::new();
                loop {
                    let (status, body) = json(
                        s.get(&format!(
                            "/api/v1/matters?limit=9&sort={sort}{filter}{after}"
                        ))
                        .await,
                    )
                    .await;
                    assert_eq!(status, StatusCode::OK, "{body}");
                    assert_eq!(
                        body["total"], expected,
                        "{who} {sort}: the total on every page"
                    );
                    got.extend(body["matters"].as_array().unwrap().iter().map(with_tracks));
                    match body["next"].as_str() {
                        Some(next) => after = format!("&after={next}"),
                        None => break,
                    }
                    assert!(got.len() as i64 <= expected, "{who} {sort}: paging runs on");
                }
                assert_eq!(got, order, "{who} {sort} {filter}: each once, in order");
                assert_eq!(
                    got.iter().map(|(id, _)| id).collect::<HashSet<_>>().len(),
                    got.len()
                );
            }
            // Past the end: no matters, and still how many there are.
            let (status, past) = json(
                s.get(&format!("/api/v1/matters?limit=9&offset=1000{filter}"))
                    .await,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{past}");
            assert_eq!(past["matters"].as_array().unwrap().len(), 0);
            assert_eq!(past["total"], expected, "{who} {filter}: past the end");
        }

        // The track list pages the same way, by next limit then id.
        for (who, filter) in [("office", "open=false"), ("liaison_b", "open=true")] {
            let s = w.s(who);
            let (status, whole) =
                json(s.get(&format!("/api/v1/tracks?limit=200&{filter}")).await).await;
            assert_eq!(status, StatusCode::OK, "{whole}");
            let order: Vec<i64> = whole["tracks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap())
                .collect();
            assert!(order.len() > 9, "{who}: more than a page");
            let mut got = Vec::new();
            let mut after = String::new();
            loop {
                let (status, body) = json(
                    s.get(&format!("/api/v1/tracks?limit=9&{filter}{after}"))
                        .await,
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{body}");
                assert_eq!(body["total"], whole["total"]);
                got.extend(
                    body["tracks"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t["id"].as_i64().unwrap()),
                );
                match body["next"].as_str() {
                    Some(next) => after = format!("&after={next}"),
                    None => break,
                }
                assert!(got.len() <= order.len(), "{who}: paging runs on");
            }
            assert_eq!(got, order, "{who}: every track once, in order");
        }
        let (status, _) = json(w.s("office").get("/api/v1/tracks?after=x.1").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Bad cursors are refused with what to do.
        let office = w.s("office");
        // Malformed: 400; well formed but for another order, or beside an
        // offset: 422.
        for (q, want) in [
            ("after=abc", StatusCode::BAD_REQUEST),
            ("sort=due&after=due.2024-02-30.5", StatusCode::BAD_REQUEST),
            ("after=due.2024-01-01.5", StatusCode::UNPROCESSABLE_ENTITY),
            ("sort=due&after=17", StatusCode::UNPROCESSABLE_ENTITY),
            ("after=5&offset=10", StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let (status, body) = json(office.get(&format!("/api/v1/matters?{q}")).await).await;
            assert_eq!(status, want, "{q}: {body}");
            let msg = body["error"].as_str().unwrap_or_default();
            assert!(msg.contains("after"), "{q}: {msg}");
        }

        // The page's 下一页 carries the cursor, and following it shows the
        // next matters.
        let (_, first) = json(office.get("/api/v1/matters?limit=50").await).await;
        let next = first["next"].as_str().expect("a second page").to_string();
        let html = office.get("/board").await.text().await.unwrap();
        let link = format!("after={next}");
        assert!(html.contains(&link), "下一页 with {link}");
        assert!(html.contains("下一页"));
        let html = office
            .get(&format!("/board?{link}"))
            .await
            .text()
            .await
            .unwrap();
        let last = first["matters"].as_array().unwrap().last().unwrap()["id"]
            .as_i64()
            .unwrap();
        assert!(
            html.contains(&format!("/matters/{}\"", last - 1)),
            "the page after"
        );
        assert!(
            !html.contains(&format!("/matters/{last}\"")),
            "not the first page again"
        );
        assert!(html.contains("第一页"));
        app.stop().await;
    }
}
