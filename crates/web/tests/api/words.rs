//! The words a query parameter takes, as the document lists them and as
//! the server reads them: both come from one table per parameter
//! (`params::Words`). Every listed word of every query parameter of every
//! read is sent, and none is refused as malformed; a word the list does
//! not hold is refused with a message that names the parameter.

use crate::helpers::{json, TestApp};
use crate::matters::World;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::Value;

/// A value for a required parameter that takes no words.
fn filler(param: &Value) -> String {
    match param["schema"]["type"].as_str() {
        Some("integer") => param["schema"]["minimum"].as_i64().unwrap_or(1).to_string(),
        _ => "督办".to_string(),
    }
}

#[tokio::test]
async fn every_word_a_parameter_lists_is_taken_and_no_other() {
    for url in fresh_databases("api_param_words").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let office = &w.sessions["office"];
        let (status, doc) = json(
            app.anonymous()
                .get(format!("{}/api/openapi.json", app.base))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            let Some(params) = item["get"]["parameters"].as_array() else {
                continue;
            };
            if path.contains('{') {
                continue;
            }
            let required: Vec<String> = params
                .iter()
                .filter(|p| p["required"] == true && p["in"] == "query")
                .map(|p| format!("{}={}", p["name"].as_str().unwrap(), filler(p)))
                .collect();
            for p in params.iter().filter(|p| p["in"] == "query") {
                let Some(words) = p["schema"]["enum"].as_array() else {
                    continue;
                };
                let name = p["name"].as_str().unwrap();
                let others: Vec<&String> = required
                    .iter()
                    .filter(|r| !r.starts_with(&format!("{name}=")))
                    .collect();
                let ask = |word: &str| {
                    let mut q: Vec<String> = others.iter().map(|s| s.to_string()).collect();
                    let word: String = form_urlencoded::byte_serialize(word.as_bytes()).collect();
                    q.push(format!("{name}={word}"));
                    format!("{path}?{}", q.join("&"))
                };
                for word in words {
                    let word = word.as_str().expect("a word is a string");
                    let (status, body) = json(office.get(&ask(word)).await).await;
                    assert_ne!(
                        status,
                        StatusCode::BAD_REQUEST,
                        "{path}: {name}={word} is listed but refused: {body}"
                    );
                    checked += 1;
                }
                let (status, body) = json(office.get(&ask("没有这个词")).await).await;
                assert_eq!(
                    status,
                    StatusCode::BAD_REQUEST,
                    "{path}: {name} takes a word not listed: {body}"
                );
                assert!(
                    body["error"].as_str().unwrap_or_default().contains(name),
                    "{path}: the refusal of {name} names it: {body}"
                );
            }
        }
        // The board's, the tracks', the appeals', the search's and the
        // excel export's filters at least.
        assert!(checked > 50, "only {checked} words were listed");
        // The board's page shows the option a word chose, and refuses an
        // unknown word saying what may be chosen, in Chinese too.
        let page = |path: &'static str| async move {
            let resp = office.get(path).await;
            (resp.status(), resp.text().await.unwrap())
        };
        let (status, html) = page("/board?light=%E7%BA%A2%E7%81%AF&sort=due").await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(
            html.contains(r#"<option value="red" selected>"#)
                && html.contains(r#"<option value="due" selected>"#),
            "红灯 and due are chosen in the filter: {html}"
        );
        let (_, html) = page("/board?light=%E7%B4%AB%E7%81%AF").await;
        assert!(
            html.contains("无法识别“紫灯”") && html.contains("red（红灯）"),
            "{html}"
        );
        app.stop().await;
    }
}
