use crate::helpers::{json, TestApp};
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use reqwest::StatusCode;
use serde_json::json;

const NOTICE: &str = "运城市人民政府办公室\n关于加强示范工作的通知\n\n运政办函〔2023〕5 号\n\n各县（市、区）人民政府：\n\n现将有关事项通知如下。\n\n运城市人民政府办公室\n\n2023 年 2 月 1 日\n\n（此件公开发布）\n\n（一）加强组织领导。2026年底前建立工作机制。（市应急局牵头，市公安局等按职责分工负责）\n\n（二）加强督查考核。定期通报进展。（市督查局负责）\n";

#[tokio::test]
async fn upload_confirm_and_reject_proposals() {
    for url in fresh_databases("api_documents").await {
        let app = TestApp::spawn(&url).await;
        let emergency = app.unit("市应急局").await;
        let police = app.unit("市公安局").await;
        app.user("office", Role::Office, None).await;
        let s = app.login("office").await;

        // Upload: the reader proposes two tasks; one unit name matches none.
        let resp = s
            .client
            .post(format!("{}/api/v1/sources?name=notice.txt", s.base))
            .header("x-csrf-token", &s.csrf)
            .body(NOTICE)
            .send()
            .await
            .unwrap();
        let (status, body) = json(resp).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["ingested"]["documents"], 1);
        assert_eq!(body["ingested"]["proposals"], 2);
        assert_eq!(body["ingested"]["unresolved"], json!(["市督查局"]));
        let source = body["ingested"]["source_id"].as_i64().unwrap();

        let (_, body) = json(s.get(&format!("/api/v1/sources/{source}")).await).await;
        let doc = body["documents"][0]["id"].as_i64().unwrap();
        assert_eq!(body["documents"][0]["number"], "运政办函〔2023〕5号");
        let (_, body) = json(s.get(&format!("/api/v1/documents/{doc}?lines=true")).await).await;
        let proposals = body["proposals"].as_array().unwrap().clone();
        assert_eq!(proposals[0]["task"]["lead"][0]["unit"], emergency);
        assert_eq!(proposals[0]["task"]["co"][0]["unit"], police);
        assert_eq!(
            proposals[1]["task"]["lead"][0]["unit"],
            serde_json::Value::Null
        );
        assert!(body["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["text"].as_str().unwrap().contains("加强组织领导")));

        // The unresolved one cannot be confirmed as proposed…
        let p2 = proposals[1]["id"].as_i64().unwrap();
        let (status, body) = json(
            s.post(
                &format!("/api/v1/proposals/{p2}/confirm"),
                &json!({ "version": 1 }),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["error"].as_str().unwrap().contains("市督查局"),
            "{body}"
        );
        // …but can be rejected with a reason; a second decision is refused.
        let (status, _) = json(
            s.post(
                &format!("/api/v1/proposals/{p2}/reject"),
                &json!({ "version": 1, "reason": "并入其他事项" }),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = json(
            s.post(
                &format!("/api/v1/proposals/{p2}/reject"),
                &json!({ "version": 1, "reason": "again" }),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Confirm all: the resolved one becomes a matter assigned to both units.
        let (status, body) = json(
            s.post(&format!("/api/v1/documents/{doc}/confirm-all"), &json!({}))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let matter = body["confirmed"][0]["matter"]
            .as_i64()
            .unwrap_or_else(|| panic!("{body}"));
        let (_, m) = json(s.get(&format!("/api/v1/matters/{matter}")).await).await;
        assert_eq!(m["matter"]["deadline"], "2026-12-31", "{m}");
        assert_eq!(
            m["matter"]["tracks"].as_array().map(Vec::len),
            Some(2),
            "{m}"
        );

        // Bad input: an empty file, a binary file, a non-numeric id, a unit user.
        let empty = s
            .client
            .post(format!("{}/api/v1/sources", s.base))
            .header("x-csrf-token", &s.csrf)
            .body("")
            .send()
            .await
            .unwrap();
        let (status, body) = json(empty).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("为空"), "{body}");
        let bin = s
            .client
            .post(format!("{}/api/v1/sources", s.base))
            .header("x-csrf-token", &s.csrf)
            .body(vec![0u8, 159, 146, 150, 0])
            .send()
            .await
            .unwrap();
        assert_eq!(bin.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = json(s.get("/api/v1/documents/abc").await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["error"].as_str().unwrap().contains("公文编号"),
            "{body}"
        );
        app.user("liaison", Role::Liaison, Some(emergency)).await;
        let unit = app.login("liaison").await;
        assert_eq!(
            unit.get(&format!("/api/v1/documents/{doc}")).await.status(),
            StatusCode::FORBIDDEN
        );
        app.stop().await;
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../formats/tests/files")
            .join(name),
    )
    .unwrap()
}

#[tokio::test]
async fn documents_of_every_format_and_the_same_file_twice() {
    for url in fresh_databases("api_documents_formats").await {
        let app = TestApp::spawn(&url).await;
        app.unit("区住建局").await;
        app.user("office", Role::Office, None).await;
        let s = app.login("office").await;
        let upload = |name: &str, body: Vec<u8>| {
            s.client
                .post(format!("{}/api/v1/sources?{name}", s.base))
                .header("x-csrf-token", &s.csrf)
                .body(body)
                .send()
        };

        // A Word task table: one proposal per row, detected by content
        // whatever the name says.
        let table = fixture("task_table.docx");
        let (status, body) = json(upload("name=任务分解.bin", table.clone()).await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["ingested"]["encoding"], "docx");
        assert_eq!(body["ingested"]["proposals"], 7);
        assert_eq!(body["ingested"]["task_tables"], 1);

        // The same bytes again: 409, naming the first upload; stored once.
        let (status, body) = json(upload("name=again.docx", table.clone()).await.unwrap()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            body["error"].as_str().unwrap().contains("任务分解.bin"),
            "{body}"
        );
        let (_, list) = json(s.get("/api/v1/sources").await).await;
        assert_eq!(list["sources"].as_array().unwrap().len(), 1);
        // The upload time for display is local time, derived from the
        // stored UTC instant.
        let first = &list["sources"][0];
        let stored = duban_store::from_micros(first["created_at"].as_i64().unwrap());
        assert_eq!(
            first["created_at_local"],
            duban_domain::clock::LocalTime::beijing().show(stored)
        );
        let (status, _) = json(upload("name=again.docx&again=true", table).await.unwrap()).await;
        assert_eq!(status, StatusCode::OK);

        // PDF and OFD; a scan and an encrypted file are refused, storing nothing.
        for (name, proposals) in [("task_table.pdf", 7), ("minimal.ofd", 2)] {
            let (status, body) = json(
                upload(&format!("name={name}"), fixture(name))
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{name}: {body}");
            assert_eq!(body["ingested"]["proposals"], proposals, "{name}: {body}");
        }
        for (name, says) in [
            ("scanned.pdf", "OCR"),
            ("encrypted.pdf", "加密"),
            ("bomb.docx", "安全上限"),
        ] {
            let (status, body) = json(
                upload(&format!("name={name}"), fixture(name))
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
            assert!(
                body["error"].as_str().unwrap().contains(says),
                "{name}: {body}"
            );
        }
        let (_, list) = json(s.get("/api/v1/sources").await).await;
        assert_eq!(list["sources"].as_array().unwrap().len(), 4);
        app.stop().await;
    }
}
