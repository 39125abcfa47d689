//! The import page: its forms, the report after an upload, the CSRF
//! check, and the ledger download for a browser session.

use super::*;

/// A multipart/form-data body of text fields and one file, as a browser
/// sends the page's form.
fn multipart(fields: &[(&str, &str)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----dubanTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"任务.xlsx\"\r\nContent-Type: {XLSX}\r\n\r\n").as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Submits the page's upload form.
async fn upload_page(
    s: &Session,
    path: &str,
    csrf: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> (StatusCode, String) {
    let mut fields = vec![("_csrf", csrf), ("type", "持续推进事项")];
    if dry_run {
        fields.push(("dry_run", "1"));
    }
    let (content_type, body) = multipart(&fields, &bytes);
    let resp = s
        .client
        .post(format!("{}{path}", s.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.text().await.unwrap())
}

#[tokio::test]
async fn the_import_page_shows_the_report() {
    for url in fresh_databases("pages_excel").await {
        let app = TestApp::spawn(&url).await;
        let w = World::new(&app).await;
        let office = w.s("office");
        let page = office.get("/imports").await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        for want in [
            "导入任务分解表",
            "导入重点工程项目",
            "只检查不导入",
            "导出台账（Excel）",
            "name=\"_csrf\"",
            "href=\"/imports\"",
        ] {
            assert!(html.contains(want), "{want}");
        }
        assert_eq!(
            w.s("liaison_a").get("/imports").await.status(),
            StatusCode::FORBIDDEN
        );

        // A refused file: 422, the report table with the reason, nothing written.
        let (status, html) = upload_page(
            office,
            "/imports/tasks",
            &office.csrf,
            task_list("区发展改革局"),
            false,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("导入报告")
                && html.contains("不能导入")
                && html.contains("是否指：区发展和改革局"),
            "{html}"
        );
        assert_eq!(count(&app.store).await, 0);

        // Checked only, then imported.
        let (status, html) = upload_page(
            office,
            "/imports/tasks",
            &office.csrf,
            task_list("区财政局"),
            true,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("检查通过") && html.contains("可导入"),
            "{html}"
        );
        assert_eq!(count(&app.store).await, 0);
        let (status, html) = upload_page(
            office,
            "/imports/tasks",
            &office.csrf,
            task_list("区财政局"),
            false,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("已导入 3 项") && html.contains("href=\"/matters/"),
            "{html}"
        );
        assert_eq!(count(&app.store).await, 3);

        // A form without the session's token is refused.
        let (status, _) = upload_page(
            office,
            "/imports/tasks",
            "wrong",
            task_list("区财政局"),
            false,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(count(&app.store).await, 3);

        // The ledger for the browser session, with the form's empty filter.
        let resp = w.s("leader_a").get("/ledger.xlsx?status=").await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()["content-type"], XLSX);
        let sheets = xlsx::read(&resp.bytes().await.unwrap()).unwrap();
        assert_eq!(sheets[0].height(), 2 + 2, "leader A sees unit A's two rows");
        app.stop().await;
    }
}
