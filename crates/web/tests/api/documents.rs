use crate::helpers::{json, Session, TestApp};
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
        assert_eq!(body["source"]["id"], source);
        assert!(body["lines"].as_i64().unwrap() > 0, "{body}");
        let (status, list) = json(s.get("/api/v1/sources").await).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["sources"][0]["id"], source, "{list}");
        assert_eq!(list["sources"][0]["pending"], 2, "{list}");
        let (status, missing) = json(s.get("/api/v1/sources/999999").await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert!(
            missing["error"].as_str().unwrap().contains("不存在"),
            "{missing}"
        );
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

/// Uploads `text` as the file `name`: the id of the first document read.
pub(crate) async fn upload_first_document(s: &Session, name: &str, text: &str) -> i64 {
    let resp = s
        .client
        .post(format!("{}/api/v1/sources?name={name}", s.base))
        .header("x-csrf-token", &s.csrf)
        .body(text.to_string())
        .send()
        .await
        .unwrap();
    let (status, body) = json(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let source = body["ingested"]["source_id"].as_i64().unwrap();
    let (_, body) = json(s.get(&format!("/api/v1/sources/{source}")).await).await;
    body["documents"][0]["id"].as_i64().unwrap()
}

/// A notice that repeals an older one by number and cites a law Duban does
/// not hold; the older one, uploaded after it, and a third whose term ended.
const REPEALING: &str = "示范市人民政府文件\n\n示政发〔2024〕9号\n\n示范市人民政府关于印发示范市数据共享管理办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市数据共享管理办法》印发给你们，请认真贯彻执行。\n\n示范市人民政府\n\n2024年3月15日\n\n示范市数据共享管理办法\n\n第一条 根据《中华人民共和国数据安全法》，制定本办法。\n\n第二条 本办法自2024年4月1日起施行，有效期5年。原《示范市数据共享暂行办法》（示政发〔2019〕12号）同时废止。\n";
const REPEALED: &str = "示范市人民政府文件\n\n示政发〔2019〕12号\n\n示范市人民政府关于印发示范市数据共享暂行办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市数据共享暂行办法》印发给你们，请认真贯彻执行。\n\n示范市人民政府\n\n2019年5月6日\n\n示范市数据共享暂行办法\n\n第一条 本办法自印发之日起施行。\n";
const ENDED: &str = "示范市人民政府办公室文件\n\n示政办发〔2020〕3号\n\n示范市人民政府办公室关于印发示范市停车管理办法的通知\n\n各县（市、区）人民政府：\n\n现将《示范市停车管理办法》印发给你们。\n\n示范市人民政府办公室\n\n2020年1月10日\n\n示范市停车管理办法\n\n第一条 本办法自印发之日起施行，有效期至2022年12月31日。\n";

#[tokio::test]
async fn documents_know_what_repeals_them_and_when_their_term_ends() {
    for url in fresh_databases("api_document_links").await {
        let app = TestApp::spawn(&url).await;
        app.user("office", Role::Office, None).await;
        app.user("liaison", Role::Liaison, Some(app.unit("市数据局").await))
            .await;
        let s = app.login("office").await;
        let mut ids = Vec::new();
        // The repealing notice first: its citation waits for the older one.
        for (name, text) in [
            ("new.txt", REPEALING),
            ("old.txt", REPEALED),
            ("ended.txt", ENDED),
        ] {
            ids.push(upload_first_document(&s, name, text).await);
        }
        let (new, old, ended) = (ids[0], ids[1], ids[2]);

        let (_, body) = json(s.get(&format!("/api/v1/documents/{new}")).await).await;
        let links = &body["links"];
        assert_eq!(links["status"], "in_force", "{links}");
        assert_eq!(links["valid_from"], "2024-04-01");
        assert_eq!(links["valid_until"], "2029-03-31");
        let out = links["outgoing"].as_array().unwrap();
        let law = out.iter().find(|l| l["relation"] == "cites").unwrap();
        assert_eq!(law["other"]["title"], "中华人民共和国数据安全法");
        assert_eq!(law["other"]["id"], serde_json::Value::Null, "not held");
        let repeal = out.iter().find(|l| l["relation"] == "repeals").unwrap();
        assert_eq!(
            repeal["other"]["id"], old,
            "resolved once the old one arrived"
        );
        assert_eq!(repeal["other"]["number"], "示政发〔2019〕12号");

        let (_, body) = json(s.get(&format!("/api/v1/documents/{old}")).await).await;
        let links = &body["links"];
        assert_eq!(links["status"], "repealed", "{links}");
        assert_eq!(links["status_label"], "已废止");
        assert_eq!(
            links["reason"],
            "由《示范市人民政府关于印发示范市数据共享管理办法的通知》（示政发〔2024〕9号）废止"
        );
        assert_eq!(links["incoming"][0]["other"]["id"], new);

        let (_, body) = json(s.get(&format!("/api/v1/documents/{ended}")).await).await;
        assert_eq!(body["links"]["status"], "expired", "{}", body["links"]);
        assert_eq!(body["links"]["reason"], "有效期至2022-12-31，已届满");

        // The document page says it, naming and linking the repealing one.
        let page = s
            .get(&format!("/documents/{old}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("已废止"), "{page}");
        assert!(
            page.contains(&format!("href=\"/documents/{new}\"")),
            "{page}"
        );
        // Units do not see the archive's documents.
        let unit = app.login("liaison").await;
        assert_eq!(
            unit.get(&format!("/api/v1/documents/{old}")).await.status(),
            StatusCode::FORBIDDEN
        );
        app.stop().await;
    }
}
