//! The office's urging (催办) reaches the unit through the sweep: one
//! message per urging to the unit's first responsible person and liaison
//! with an address (and the webhook), kind `urge`, once.

mod common;

use common::*;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_notify::{sweep, SweepParams};
use duban_store::testing::fresh_stores;
use duban_store::NewMatter;
use serde_json::json;

#[tokio::test]
async fn an_urging_is_sent_to_the_unit_once() {
    for store in fresh_stores("notify_urge").await.unwrap() {
        let b = store.backend();
        let cal = store.calendar().await.unwrap();
        let energy = unit(&store, "市能源局").await;
        user(
            &store,
            "head_e",
            Role::UnitHead,
            Some(energy),
            Some("head@energy.gov.cn"),
        )
        .await;
        user(
            &store,
            "liaison_e",
            Role::Liaison,
            Some(energy),
            Some("liaison@energy.gov.cn"),
        )
        .await;
        let m = store
            .create_matter(
                None,
                NewMatter {
                    title: "推进充电桩建设".into(),
                    detail: String::new(),
                    matter_type: MatterType::ordinary(),
                    source: Source::Meeting {
                        name: "常务会议".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: json!([]),
                    lead: vec![energy],
                    co: vec![],
                    raised_by: None,
                },
                at("2026-03-02 09:00"),
                &cal,
            )
            .await
            .unwrap();
        let urged = store
            .urge_matter(
                Some(1),
                m.matter.id,
                &[],
                "已逾期，请立即签收",
                at("2026-03-10 10:00"),
                &cal,
                |u| ("【催办】推进充电桩建设".into(), format!("催办：{}", u.body)),
            )
            .await
            .unwrap();
        assert_eq!(urged.len(), 1);
        let params = SweepParams {
            webhook: true,
            ..SweepParams::default()
        };
        let report = sweep(&store, &cal, day("2026-03-10"), &params)
            .await
            .unwrap();
        assert!(report.urged >= 1, "{b:?} {report:?}");
        let msgs = store.outbox_messages(0, 100).await.unwrap();
        let told: Vec<_> = msgs
            .iter()
            .filter(|m| m.kind == "urge" && m.body.contains("已逾期，请立即签收"))
            .collect();
        let mut to: Vec<&str> = told.iter().map(|m| m.recipient.as_str()).collect();
        to.sort();
        assert_eq!(
            to,
            ["head@energy.gov.cn", "liaison@energy.gov.cn", "webhook"],
            "{b:?}"
        );
        assert!(told.iter().all(|m| m.subject == "【催办】推进充电桩建设"));
        // Sweeping again sends it no more.
        sweep(&store, &cal, day("2026-03-10"), &params)
            .await
            .unwrap();
        let again = store
            .outbox_messages(0, 100)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "urge" && m.body.contains("已逾期，请立即签收"))
            .count();
        assert_eq!(again, 3, "{b:?}");
        store.verify_events().await.unwrap().unwrap();
    }
}
