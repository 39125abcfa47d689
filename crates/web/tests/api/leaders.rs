//! Leaders: a principal leader sees the whole district (the board, a
//! matter of a unit nobody made them oversee, the leader page), the admin
//! marks who is principal, and a leader's 批示 is read by the unit and
//! kept in the log.

use crate::helpers::{json, TestApp};
use crate::matters::{now, session, stored_matter, user, World};
use duban_domain::matter::MatterType;
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn principal_leaders_see_the_district_and_leaders_write_instructions() {
    for url in fresh_databases("api_leaders").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let s = &app.store;
        let chief_id = user(s, "quzhang", Role::Leader, None).await;
        let chief = session(&app, chief_id).await;
        let ma = stored_matter(
            s,
            "推进充电桩建设",
            MatterType::ordinary(),
            vec![w.a],
            vec![],
            None,
            now(),
        )
        .await;
        let mb = stored_matter(
            s,
            "财政收入增长",
            MatterType::ordinary(),
            vec![w.b],
            vec![],
            None,
            now(),
        )
        .await;

        // Not yet principal: oversees nothing, sees nothing.
        let (_, board) = json(chief.get("/api/v1/matters").await).await;
        assert_eq!(board["total"], 0);
        let (status, _) = json(
            chief
                .get(&format!("/api/v1/matters/{}", mb.matter.id))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The admin marks the leader principal; refused for a non-leader.
        let admin = w.s("admin");
        let (status, body) = json(
            admin
                .put(
                    &format!("/api/v1/users/{}/principal", w.ids["office"]),
                    &json!({ "principal": true }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = json(
            admin
                .put(
                    &format!("/api/v1/users/{chief_id}/principal"),
                    &json!({ "principal": true }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let (_, users) = json(admin.get("/api/v1/users").await).await;
        let flagged: Vec<i64> = users["users"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["principal"] == true)
            .map(|u| u["id"].as_i64().unwrap())
            .collect();
        assert_eq!(flagged, [chief_id]);
        let page = admin.get("/admin/users").await.text().await.unwrap();
        assert!(page.contains("主要领导（查看全区）"), "{page}");

        // Now the whole district: both units' matters, and the leader page.
        let (_, board) = json(chief.get("/api/v1/matters").await).await;
        assert_eq!(board["total"], 2);
        let (status, _) = json(
            chief
                .get(&format!("/api/v1/matters/{}", mb.matter.id))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, me) = json(chief.get("/api/v1/me").await).await;
        assert!(me.to_string().contains(&w.b.to_string()), "{me}");
        let page = chief.get("/leader").await.text().await.unwrap();
        assert!(page.contains("全区督办情况"), "{page}");
        assert!(!page.contains("您还没有分管单位"), "{page}");
        assert!(
            page.contains("区财政局") && page.contains("区发展和改革局"),
            "{page}"
        );
        // An ordinary leader still sees only their units.
        let (_, board) = json(w.s("leader_a").get("/api/v1/matters").await).await;
        assert_eq!(board["total"], 1);

        // 批示: written by the leader, refused empty or by the office.
        let path = format!("/api/v1/matters/{}/instructions", ma.matter.id);
        let (status, body) = json(chief.post(&path, &json!({ "text": " " })).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, _) = json(
            w.s("office")
                .post(&path, &json!({ "text": "请办理" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = json(
            chief
                .post(
                    &path,
                    &json!({ "text": "此事关系群众出行，务必年底前完成。" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (_, body) = json(
            w.s("leader_a")
                .post(&path, &json!({ "text": "区发改局主要负责同志亲自抓。" }))
                .await,
        )
        .await;
        assert_eq!(body["instruction"]["leader_name"], "leader_a的名字");

        // The unit reads both, the log keeps them, the page shows them.
        let (_, d) = json(
            w.s("liaison_a")
                .get(&format!("/api/v1/matters/{}", ma.matter.id))
                .await,
        )
        .await;
        let ins = d["matter"]["instructions"].as_array().unwrap();
        assert_eq!(ins.len(), 2);
        assert_eq!(ins[0]["text"], "此事关系群众出行，务必年底前完成。");
        assert_eq!(ins[0]["leader_name"], "quzhang的名字");
        let logged = d["matter"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "matter.instruction")
            .count();
        assert_eq!(logged, 2);
        let page = w
            .s("liaison_a")
            .get(&format!("/matters/{}", ma.matter.id))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("领导批示") && page.contains("务必年底前完成"),
            "{page}"
        );
        app.stop().await;
    }
}
