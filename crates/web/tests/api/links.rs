//! Duplicate matters through the API: candidates when a matter is created
//! or a proposal confirmed (same units, close text), the check before
//! creating, links both matters show (to those who may open the other),
//! and unlinking; and the search's filter by a document's standing.

use crate::documents::upload_first_document;
use crate::helpers::TestApp;
use crate::helpers::{json, Session};
use crate::matters::World;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn create(s: &Session, title: &str, detail: &str, lead: i64) -> Value {
    let body = json!({
        "title": title,
        "detail": detail,
        "type": "普通",
        "source": { "type": "meeting", "name": "区政府第7次常务会议", "date": "2024-10-10" },
        "lead": [lead],
    });
    let (status, made) = json(s.post("/api/v1/matters", &body).await).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

async fn links_of(s: &Session, id: i64) -> Vec<i64> {
    let (status, body) = json(s.get(&format!("/api/v1/matters/{id}")).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    ids(&body["matter"]["links"])
}

/// A work plan whose one task repeats a matter already assigned.
fn plan(unit: &str) -> String {
    format!(
        "示范区人民政府办公室文件\n\n示政办发〔2024〕31号\n\n关于印发城区排水设施建设工作方案的通知\n\n\
         各有关单位：\n现将工作方案印发给你们，请认真落实。\n\n示范区人民政府办公室\n2024年10月8日\n\n\
         一、完成城区老旧小区雨污分流管网改造12公里，消除污水直排。（{unit}负责）\n"
    )
}

#[tokio::test]
async fn matters_like_a_new_one_are_shown_and_links_show_both_ways() {
    for url in fresh_databases("api_links").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let office = w.s("office");
        let first = create(
            office,
            "推进城区雨污分流管网改造",
            "完成城区老旧小区雨污分流管网改造12公里，消除污水直排。",
            w.a,
        )
        .await;
        let a = first["matter"]["id"].as_i64().unwrap();
        assert_eq!(
            ids(&first["similar"]),
            Vec::<i64>::new(),
            "nothing before it"
        );
        let other = create(
            office,
            "开展森林防火专项检查",
            "对林区重点部位开展防火检查，整改隐患。",
            w.b,
        )
        .await["matter"]["id"]
            .as_i64()
            .unwrap();

        // The check before creating: the same work comes first, the other
        // work not at all; the same units weigh more than other units.
        let check = |lead: i64| {
            format!(
                "/api/v1/matters/similar?title={}&detail={}&lead={lead}",
                urlencode("城区雨污分流管网改造工程"),
                urlencode("年内完成城区老旧小区雨污分流管网改造12公里。")
            )
        };
        let (status, same_unit) = json(office.get(&check(w.a)).await).await;
        assert_eq!(status, StatusCode::OK, "{same_unit}");
        assert_eq!(ids(&same_unit["similar"]), vec![a], "{same_unit}");
        let c = &same_unit["similar"][0];
        assert_eq!(c["title"], "推进城区雨污分流管网改造");
        assert_eq!(c["units"], json!(["区发展和改革局"]));
        assert_eq!(c["state_label"], "办理中");
        assert_eq!(c["unit_overlap"], 1.0);
        let (_, other_unit) = json(office.get(&check(w.b)).await).await;
        assert_eq!(
            other_unit["similar"][0]["unit_overlap"], 0.0,
            "{other_unit}"
        );
        assert!(
            other_unit["similar"][0]["score"].as_f64().unwrap() < c["score"].as_f64().unwrap(),
            "{other_unit} {same_unit}"
        );
        let (status, body) = json(office.get("/api/v1/matters/similar?lead=1").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["error"].as_str().unwrap().contains("标题"), "{body}");

        // Creating it anyway is the office's choice: made, with the candidate.
        let second = create(
            office,
            "城区雨污分流管网改造工程",
            "年内完成城区老旧小区雨污分流管网改造12公里。",
            w.a,
        )
        .await;
        let b = second["matter"]["id"].as_i64().unwrap();
        assert_eq!(ids(&second["similar"]), vec![a], "{second}");
        assert!(!ids(&second["similar"]).contains(&other));

        // Only the office links; then both matters show each other, with
        // the reason, and both logs have the entry.
        let body = json!({ "other": a, "reason": "同一项工作" });
        let path = format!("/api/v1/matters/{b}/links");
        let (status, _) = json(w.s("liaison_a").post(&path, &body).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, linked) = json(office.post(&path, &body).await).await;
        assert_eq!(status, StatusCode::OK, "{linked}");
        assert_eq!(ids(&linked["links"]), vec![a]);
        assert_eq!(linked["links"][0]["reason"], "同一项工作");
        assert_eq!(links_of(office, a).await, vec![b]);
        assert_eq!(links_of(office, b).await, vec![a]);
        for m in [a, b] {
            let (_, d) = json(office.get(&format!("/api/v1/matters/{m}")).await).await;
            let logged = d["matter"]["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "matter.link" && e["after"]["reason"] == "同一项工作");
            assert!(logged, "{m}: {d}");
        }
        // Linked once; never to itself; a linked matter is no candidate.
        let (status, _) = json(office.post(&path, &body).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let own = json!({ "other": b });
        let (status, _) = json(office.post(&path, &own).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, s) = json(office.get(&format!("/api/v1/matters/{b}/similar")).await).await;
        assert!(!ids(&s["similar"]).contains(&a), "{s}");

        // A unit sees a link only to a matter it may open.
        let unit_b = create(
            office,
            "城区雨污分流管网改造资金保障",
            "保障城区老旧小区雨污分流管网改造资金。",
            w.b,
        )
        .await["matter"]["id"]
            .as_i64()
            .unwrap();
        let path_a = format!("/api/v1/matters/{a}/links");
        let (status, _) = json(office.post(&path_a, &json!({ "other": unit_b })).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(links_of(office, a).await, vec![b, unit_b]);
        assert_eq!(links_of(w.s("liaison_a"), a).await, vec![b]);
        assert_eq!(links_of(w.s("liaison_b"), unit_b).await, Vec::<i64>::new());

        // Unlinked: gone from both, the record kept in the log.
        let unlink = format!("/api/v1/matters/{a}/unlink");
        let (status, left) = json(
            office
                .post(&unlink, &json!({ "other": b, "reason": "并非同一工作" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{left}");
        assert_eq!(ids(&left["links"]), vec![unit_b]);
        assert_eq!(links_of(office, b).await, Vec::<i64>::new());
        let (status, _) = json(office.post(&unlink, &json!({ "other": b })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A proposal repeating matter A: shown before and after confirming.
        let doc = upload_first_document(office, "plan.txt", &plan("区发展和改革局")).await;
        let (_, d) = json(office.get(&format!("/api/v1/documents/{doc}")).await).await;
        let p = &d["proposals"][0];
        let pid = p["id"].as_i64().unwrap();
        let (status, s) = json(
            office
                .get(&format!("/api/v1/proposals/{pid}/similar"))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(ids(&s["similar"])[0], a, "{s}");
        let (status, _) = json(
            w.s("liaison_a")
                .get(&format!("/api/v1/proposals/{pid}/similar"))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let confirm = json!({ "version": p["version"], "matter_type": "普通" });
        let (status, done) = json(
            office
                .post(&format!("/api/v1/proposals/{pid}/confirm"), &confirm)
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        let made = done["matter"].as_i64().unwrap();
        let found = ids(&done["similar"]);
        assert!(found.contains(&a) && !found.contains(&made), "{done}");
        app.stop().await;
    }
}
