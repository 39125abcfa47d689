//! Ingesting documents of every format against a real store (SQLite, and
//! PostgreSQL when the run asks for it): a Word task table becomes one
//! proposal per row; the same file again is refused until the office says
//! to read it again; bad files (cut short, a zip bomb, encrypted, a scan)
//! are refused with their message and store nothing; a proposal confirmed
//! without a title gets one without its list number.

mod common;

use common::now;
use duban_service::ingest::{confirm, ingest, Confirm};
use duban_store::testing::fresh_databases;
use duban_store::{Error, Store};
use std::path::Path;

fn file(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../formats/tests/files")
            .join(name),
    )
    .unwrap()
}

async fn setup(url: &str) -> Store {
    let units: &[(&str, &[&str])] = &[
        ("区行政审批服务管理局", &["区行政审批局"]),
        ("区市场监督管理局", &["区市场监管局"]),
        ("区税务局", &[]),
    ];
    common::store_with(url, units).await.0
}

#[tokio::test(flavor = "multi_thread")]
async fn word_tables_duplicates_and_bad_files() {
    for url in fresh_databases("service_ingest_formats").await {
        let store = setup(&url).await;
        let table = file("task_table.docx");
        let done = ingest(&store, None, "任务分解.docx", &table, false)
            .await
            .unwrap();
        assert_eq!(
            (done.encoding.as_str(), done.proposals, done.task_tables),
            ("docx", 7, 1)
        );
        assert!(
            done.unresolved.contains(&"区住建局".to_string()),
            "{done:?}"
        );

        // The same bytes again, under another name: refused, naming the first.
        let again = ingest(&store, None, "副本.docx", &table, false)
            .await
            .unwrap_err();
        assert!(
            matches!(&again, Error::Duplicate(m) if m.contains("任务分解.docx")),
            "{again}"
        );
        assert_eq!(store.sources().await.unwrap().len(), 1);
        // Read again when the office says so.
        ingest(&store, None, "副本.docx", &table, true)
            .await
            .unwrap();
        assert_eq!(store.sources().await.unwrap().len(), 2);

        for (name, says) in [
            ("truncated.docx", "损坏"),
            ("bomb.docx", "安全上限"),
            ("bomb.ofd", "安全上限"),
            ("encrypted.pdf", "加密"),
            ("scanned.pdf", "OCR"),
        ] {
            let e = ingest(&store, None, name, &file(name), false)
                .await
                .unwrap_err();
            let msg = e.to_string();
            assert!(msg.starts_with(name) && msg.contains(says), "{name}: {msg}");
        }
        assert_eq!(
            store.sources().await.unwrap().len(),
            2,
            "a refused file stored something"
        );

        // The first row's proposal, confirmed as proposed: its title has no
        // list number and its units and deadline come from the row.
        let source = store.sources().await.unwrap().pop().unwrap();
        let doc = store.documents_of(source.id).await.unwrap().remove(0);
        let p = store.proposals_of(doc.id).await.unwrap().remove(0);
        assert_eq!(p.task.spans.len(), 1);
        let cal = store.calendar().await.unwrap();
        let (_, matter) = confirm(
            &store,
            None,
            p.id,
            Confirm {
                version: p.version,
                matter_type: Some("普通".into()),
                ..Confirm::default()
            },
            now(),
            &cal,
        )
        .await
        .unwrap();
        let m = store.matter(matter).await.unwrap();
        assert_eq!(
            m.matter.title,
            "优化营商环境：建成企业开办一窗通办平台，压缩开办时间至1个工作日"
        );
        store.close().await;
    }
}
