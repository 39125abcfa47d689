//! Inside a unit: the liaison passes a track to a named 承办人, who finds
//! it under 我的待办 and reports on it; who may pass it and to whom.

use crate::helpers::{json, TestApp};
use crate::matters::{now, session, stored_matter, user, World};
use duban_domain::matter::MatterType;
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_liaison_passes_a_track_to_a_handler_who_sees_it_and_reports() {
    for url in fresh_databases("api_handler").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let s = &app.store;
        let m1 = stored_matter(
            s,
            "推进充电桩建设",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            now(),
        )
        .await;
        let m2 = stored_matter(
            s,
            "老旧小区改造",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            now(),
        )
        .await;
        let t1 = m1.tracks[0].track.id;
        let second_handler = user(s, "handler_a2", Role::Handler, Some(w.a)).await;
        let handler_b = user(s, "handler_b", Role::Handler, Some(w.b)).await;
        let path = format!("/api/v1/tracks/{t1}/handler");
        let liaison = w.s("liaison_a");

        // Refused: no handler, a user who is not a handler, another unit's.
        for (body, want) in [
            (json!({}), "请选择承办人"),
            (json!({ "handler": w.ids["head_a"] }), "不是本单位的承办人"),
            (json!({ "handler": handler_b }), "不是本单位的承办人"),
            (json!({ "handler": 99999 }), "不存在"),
        ] {
            let (status, out) = json(liaison.post(&path, &body).await).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {out}");
            assert!(
                out["error"].as_str().unwrap().contains(want),
                "{body}: {out}"
            );
        }
        // The handler may not pass tracks on.
        let (status, _) = json(
            w.s("handler_a")
                .post(&path, &json!({ "handler": second_handler }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (status, out) = json(
            liaison
                .post(
                    &path,
                    &json!({ "handler": w.ids["handler_a"], "note": "请三日内反馈" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        assert_eq!(out["handler_name"], "handler_a的名字");

        // 我的待办 holds this track only; the unit's list holds both.
        let h = w.s("handler_a");
        let (_, mine) = json(h.get("/api/v1/tracks?mine=true").await).await;
        let mine = mine["tracks"].as_array().unwrap().clone();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["id"], t1);
        assert_eq!(mine[0]["handler_name"], "handler_a的名字");
        let (_, all) = json(h.get("/api/v1/tracks").await).await;
        assert_eq!(all["tracks"].as_array().unwrap().len(), 2);
        let other = session(&app, second_handler).await;
        let (_, theirs) = json(other.get("/api/v1/tracks?mine=true").await).await;
        assert!(theirs["tracks"].as_array().unwrap().is_empty());
        // The first responsible person sees everything of the unit.
        let (_, head) = json(w.s("head_a").get("/api/v1/tracks").await).await;
        let ids: Vec<i64> = head["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert!(
            ids.contains(&t1) && ids.contains(&m2.tracks[0].track.id),
            "{ids:?}"
        );

        // The handler signs for and reports; the log keeps the passing.
        let v = mine[0]["version"].as_i64().unwrap();
        let (status, out) = json(
            h.post(
                &format!("/api/v1/tracks/{t1}/actions"),
                &json!({ "version": v, "action": "sign_for" }),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        let v = out["track"]["version"].as_i64().unwrap_or(v + 1);
        let (status, out) = json(
            h.post(
                &format!("/api/v1/tracks/{t1}/actions"),
                &json!({ "version": v, "action": "report", "text": "已完成选址" }),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        let (_, d) = json(
            w.s("office")
                .get(&format!("/api/v1/matters/{}", m1.matter.id))
                .await,
        )
        .await;
        let e = d["matter"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "track.handler")
            .cloned()
            .unwrap();
        assert_eq!(e["after"]["note"], "请三日内反馈");
        assert_eq!(e["actor"], w.ids["liaison_a"]);
        assert_eq!(d["matter"]["tracks"][0]["handler_name"], "handler_a的名字");
        // The owe page shows the handler their own list first.
        let page = h.get("/owe").await.text().await.unwrap();
        assert!(page.contains("我的待办"), "{page}");
        app.stop().await;
    }
}
