//! The sweep reminds the office of documents whose stated term ends within
//! a month, once at 30 days and once at 7, on every backend; a repealed
//! document and one with a distant term are left alone.

mod common;

use chrono::NaiveDate;
use common::*;
use duban_domain::archive::Relation;
use duban_domain::org::Role;
use duban_notify::{sweep, SweepParams};
use duban_store::testing::fresh_stores;
use duban_store::{NewCitation, NewDocument, NewSource, NewValidity, Store};

fn doc(number: &str, title: &str, until: &str) -> NewDocument {
    NewDocument {
        number: Some(number.into()),
        title: Some(title.into()),
        issuer: vec![],
        date: Some("2021-01-01".into()),
        kind: None,
        spans: vec![[1, 1]],
        proposals: vec![],
        citations: vec![],
        validity: Some(NewValidity {
            from: Some("2021-01-01".into()),
            until: Some(until.into()),
            text: format!("本办法有效期至{until}。"),
        }),
    }
}

async fn ingest(store: &Store, name: &str, docs: Vec<NewDocument>) {
    store
        .ingest(
            None,
            NewSource {
                name: name.into(),
                sha256: name.into(),
                encoding: "utf-8".into(),
                text: "正文\n".into(),
                warnings: serde_json::json!([]),
            },
            docs,
        )
        .await
        .unwrap();
}

/// The expiry messages queued: (key, recipient, subject).
async fn expiry(store: &Store) -> Vec<(String, String, String)> {
    store
        .outbox_messages(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.key.starts_with("expiry:"))
        .map(|m| (m.key, m.recipient, m.subject))
        .collect()
}

#[tokio::test]
async fn the_office_hears_of_a_term_ending_at_30_and_at_7_days() {
    for store in fresh_stores("notify_expiry").await.unwrap() {
        let cal = store.calendar().await.unwrap();
        let clerk = user(&store, "clerk", Role::Office, None, Some("clerk@gov.cn")).await;
        // A unit's liaison does not hear of the archive.
        let u = unit(&store, "市数据局").await;
        user(&store, "liaison", Role::Liaison, Some(u), Some("l@gov.cn")).await;
        let mut repealing = doc("示政发〔2026〕2号", "示范市新停车办法", "2031-12-31");
        repealing.citations.push(NewCitation {
            relation: Relation::Repeals,
            number: Some("示政发〔2021〕9号".into()),
            title: None,
            spans: vec![[1, 1]],
        });
        ingest(
            &store,
            "a.txt",
            vec![
                doc("示政发〔2021〕1号", "示范市数据管理办法", "2026-12-31"),
                doc("示政发〔2021〕9号", "示范市停车办法", "2026-12-31"),
                doc("示政发〔2021〕5号", "示范市长期办法", "2030-12-31"),
                repealing,
            ],
        )
        .await;
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let params = SweepParams::default();

        // 31 days before: nothing yet.
        let r = sweep(&store, &cal, day("2026-11-30"), &params)
            .await
            .unwrap();
        assert_eq!(r.expiring, 0);
        // 30 days before: the clerk hears of the one in force, not of the
        // repealed one, not of the distant one; again the same day: nothing.
        let r = sweep(&store, &cal, day("2026-12-01"), &params)
            .await
            .unwrap();
        assert_eq!(r.expiring, 1, "{r:?}");
        let got = expiry(&store).await;
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.ends_with(&format!(":30:email:{clerk}")), "{got:?}");
        assert_eq!(got[0].1, "clerk@gov.cn");
        assert!(got[0].2.contains("示范市数据管理办法") && got[0].2.contains("2026-12-31"));
        let r = sweep(&store, &cal, day("2026-12-10"), &params)
            .await
            .unwrap();
        assert_eq!(r.expiring, 0);
        // 7 days before: once more.
        let r = sweep(&store, &cal, day("2026-12-24"), &params)
            .await
            .unwrap();
        assert_eq!(r.expiring, 1);
        let got = expiry(&store).await;
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().any(|m| m.0.contains(":7:email:")));
        // After the last day: no more.
        let r = sweep(&store, &cal, day("2027-01-01"), &params)
            .await
            .unwrap();
        assert_eq!(r.expiring, 0);
        assert_eq!(expiry(&store).await.len(), 2);
    }
}
