//! The office's actions on a matter over HTTP: urging (numbered 催办单 per
//! unit, left for the sweep to send, read by the unit and only by it),
//! reassigning, adjusting the deadline, editing, and the assignment
//! notice's number; each in the event log with its reason, and each
//! refused in Chinese when the request is wrong.

use crate::helpers::{json, TestApp};
use crate::matters::{now, stored_matter, World};
use chrono::{Datelike, Duration};
use duban_domain::matter::MatterType;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn meeting() -> Value {
    json!({ "type": "meeting", "name": "区政府第5次常务会议", "date": "2024-09-26" })
}

async fn detail(w: &World, who: &str, id: i64) -> Value {
    let (status, body) = json(w.s(who).get(&format!("/api/v1/matters/{id}")).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["matter"].clone()
}

fn events_named(m: &Value, action: &str) -> Vec<Value> {
    m["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_office_urges_a_red_matter_and_the_unit_reads_its_urging() {
    for url in fresh_databases("api_office_urge").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let y = now().year();
        let m = stored_matter(
            &app.store,
            "逾期未签收事项",
            MatterType::ordinary(),
            vec![w.a],
            vec![w.b],
            None,
            now() - Duration::days(20),
        )
        .await;
        let id = m.matter.id;
        let office = w.s("office");
        let path = format!("/api/v1/matters/{id}/urge");

        // Refused: no text, a unit without a track on the matter.
        let (status, body) = json(office.post(&path, &json!({ "text": "  " })).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("理由"), "{body}");
        let other = app.unit("区审计局").await;
        let (status, body) = json(
            office
                .post(&path, &json!({ "text": "请签收", "units": [other] }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["error"].as_str().unwrap().contains("没有正在办理"),
            "{body}"
        );

        // Both units urged, each with its own number this year.
        let (status, body) = json(
            office
                .post(&path, &json!({ "text": "已逾期20天，请立即签收部署" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let urgings = body["urgings"].as_array().unwrap();
        assert_eq!(urgings.len(), 2);
        assert_eq!(urgings[0]["number"], format!("催字〔{y}〕1号"));
        assert_eq!(urgings[1]["number"], format!("催字〔{y}〕2号"));
        assert!(urgings[0]["due"]["text"]
            .as_str()
            .unwrap()
            .starts_with("逾期"));
        // Only unit A again: the next number.
        let (_, body) = json(
            office
                .post(&path, &json!({ "text": "再次催办", "units": [w.a] }))
                .await,
        )
        .await;
        assert_eq!(body["urgings"][0]["number"], format!("催字〔{y}〕3号"));

        // The messages wait for the sweep, one per urging, kind urge.
        let moves = app.store.unnotified_moves(100).await.unwrap();
        let urges: Vec<_> = moves.iter().filter(|m| m.kind == "urge").collect();
        assert_eq!(urges.len(), 3);
        assert!(urges[0].subject.contains("催办"), "{:?}", urges[0]);
        assert!(urges[0].body.contains("已逾期20天"), "{:?}", urges[0]);

        // The log names each urging with its text.
        let m = detail(&w, "office", id).await;
        let logged = events_named(&m, "track.urge");
        assert_eq!(logged.len(), 3);
        assert_eq!(logged[0]["after"]["text"], "已逾期20天，请立即签收部署");
        assert_eq!(m["urgings"].as_array().unwrap().len(), 3);

        // Unit A reads its own two urgings, unit B its one.
        let a = detail(&w, "liaison_a", id).await;
        let mine = a["urgings"].as_array().unwrap();
        assert_eq!(mine.len(), 2);
        assert!(mine.iter().all(|u| u["unit_id"] == w.a));
        let b = detail(&w, "liaison_b", id).await;
        assert_eq!(b["urgings"].as_array().unwrap().len(), 1);
        let (status, body) = json(
            w.s("handler_a")
                .get(&format!("/api/v1/matters/{id}/urgings"))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["urgings"].as_array().unwrap().len(), 2);

        // The 催办单: the unit urged opens it, the other unit does not.
        let ua = mine[0]["id"].as_i64().unwrap();
        let page = w.s("liaison_a").get(&format!("/urgings/{ua}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        assert!(
            page.contains("催办单") && page.contains(&format!("催字〔{y}〕1号")),
            "{page}"
        );
        assert!(page.contains("已逾期20天"), "{page}");
        let page = w.s("liaison_b").get(&format!("/urgings/{ua}")).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        // The matter page lists the urgings and names the action in its log.
        let page = w
            .s("liaison_a")
            .get(&format!("/matters/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("催办记录") && page.contains(&format!("/urgings/{ua}")),
            "{page}"
        );
        assert!(page.contains("<td>催办</td>"), "{page}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_office_reassigns_adjusts_the_deadline_and_edits_with_reasons() {
    for url in fresh_databases("api_office_change").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let office = w.s("office");
        let y = now().year();
        // Two matters through the API: each gets the next notice number.
        let mut ids = Vec::new();
        for title in ["推进充电桩建设", "老旧小区改造"] {
            let (status, body) = json(
                office
                    .post(
                        "/api/v1/matters",
                        &json!({ "title": title, "type": "普通", "source": meeting(), "lead": [w.a] }),
                    )
                    .await,
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            ids.push(body["matter"]["id"].as_i64().unwrap());
        }
        let n1 = detail(&w, "office", ids[0]).await["notice_number"].clone();
        let n2 = detail(&w, "office", ids[1]).await["notice_number"].clone();
        let num = |v: &Value| -> i64 {
            let s = v.as_str().unwrap();
            assert!(s.starts_with(&format!("督字〔{y}〕")), "{s}");
            s.trim_start_matches(&format!("督字〔{y}〕"))
                .trim_end_matches('号')
                .parse()
                .unwrap()
        };
        assert_eq!(num(&n2), num(&n1) + 1);
        let page = office
            .get(&format!("/matters/{}/notice", ids[0]))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("督办通知单") && page.contains(n1.as_str().unwrap()),
            "{page}"
        );
        let id = ids[0];

        // 改派: A leads alone → B leads, A co-operates.
        let path = format!("/api/v1/matters/{id}/reassign");
        let (status, body) = json(
            office
                .post(&path, &json!({ "lead": [w.b], "co": [w.a] }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("理由"), "{body}");
        let (status, body) = json(
            office
                .post(&path, &json!({ "lead": [w.a], "reason": "不变" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["error"].as_str().unwrap().contains("没有变化"),
            "{body}"
        );
        let (status, body) = json(
            office
                .post(
                    &path,
                    &json!({ "lead": [w.b], "co": [w.a], "reason": "职责调整，由区财政局牵头" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let tracks = body["matter"]["tracks"].as_array().unwrap();
        let role_of = |u: i64| {
            tracks
                .iter()
                .find(|t| t["unit_id"] == u)
                .map(|t| t["role"].as_str().unwrap().to_string())
        };
        assert_eq!(role_of(w.a).as_deref(), Some("co"));
        assert_eq!(role_of(w.b).as_deref(), Some("lead"));
        // Unit B now sees the matter; its log keeps the reason.
        let m = detail(&w, "liaison_b", id).await;
        let e = &events_named(&m, "matter.reassign")[0];
        assert_eq!(e["after"]["reason"], "职责调整，由区财政局牵头");
        assert_eq!(e["before"]["lead"], json!([w.a]));
        // A's track out: withdrawn, the reason kept.
        let (_, body) = json(
            office
                .post(
                    &path,
                    &json!({ "lead": [w.b], "reason": "区发改局不再配合" }),
                )
                .await,
        )
        .await;
        let a = body["matter"]["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["unit_id"] == w.a)
            .unwrap()
            .clone();
        assert_eq!(a["state"], "withdrawn");

        // 调整时限: a past day refused; a new one recomputes the limits.
        let path = format!("/api/v1/matters/{id}/deadline");
        let past = (now().date() - Duration::days(3)).to_string();
        let (status, body) = json(
            office
                .post(&path, &json!({ "deadline": past, "reason": "x" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["error"].as_str().unwrap().contains("早于今天"),
            "{body}"
        );
        let (status, body) = json(
            office
                .post(&path, &json!({ "deadline": "明年", "reason": "x" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let new = (now().date() + Duration::days(45)).to_string();
        let (status, body) = json(
            office
                .post(
                    &path,
                    &json!({ "deadline": new, "reason": "需协调用地，延后完成" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let m = &body["matter"];
        assert_eq!(m["deadline"], new.as_str());
        assert_eq!(m["completion"]["text"], new.as_str());
        let b = m["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["unit_id"] == w.b)
            .unwrap()
            .clone();
        assert_eq!(b["limits"]["resolve"], new.as_str());
        let m = detail(&w, "office", id).await;
        let e = &events_named(&m, "matter.deadline")[0];
        assert_eq!(e["after"]["reason"], "需协调用地，延后完成");
        assert_eq!(e["before"]["deadline"], Value::Null);

        // 修改: the title and content, with the reason.
        let path = format!("/api/v1/matters/{id}/edit");
        let (status, _) = json(
            office
                .post(&path, &json!({ "title": " ", "reason": "x" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = json(
            office
                .post(&path, &json!({ "title": "推进公共充电桩建设", "detail": "全区新增充电桩500台。", "reason": "按会议纪要修改" }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["matter"]["title"], "推进公共充电桩建设");
        let m = detail(&w, "office", id).await;
        let e = &events_named(&m, "matter.edit")[0];
        assert_eq!(e["before"]["title"], "推进充电桩建设");
        assert_eq!(e["after"]["reason"], "按会议纪要修改");
        // The page's log names every action and its reason.
        let page = office
            .get(&format!("/matters/{id}"))
            .await
            .text()
            .await
            .unwrap();
        for s in [
            "<td>改派</td>",
            "<td>调整时限</td>",
            "<td>修改事项</td>",
            "需协调用地，延后完成",
            "按会议纪要修改",
        ] {
            assert!(page.contains(s), "{s} in the log");
        }

        // A withdrawn matter takes no more office actions.
        let (status, _) = json(
            office
                .post(
                    &format!("/api/v1/matters/{id}/withdraw"),
                    &json!({ "reason": "任务取消" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = json(
            office
                .post(
                    &format!("/api/v1/matters/{id}/urge"),
                    &json!({ "text": "请办理" }),
                )
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("已撤销"), "{body}");
        app.stop().await;
    }
}
