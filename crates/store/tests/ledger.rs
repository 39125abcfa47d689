//! Creating a batch of matters (an imported list) all or nothing, the
//! repeat check inside the batch's transaction, the matters of a list, and
//! the latest report of each track, on every backend.

use chrono::NaiveDateTime;
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterError, MatterType, Source};
use duban_domain::org::{Level, UnitKind};
use duban_domain::workflow::Action;
use duban_domain::RuleError;
use duban_store::testing::fresh_stores;
use duban_store::{Error, NewMatter, NewUnit};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn item(list: &str, n: &str, title: &str, lead: Vec<i64>) -> NewMatter {
    NewMatter {
        title: title.into(),
        detail: title.into(),
        matter_type: MatterType::ordinary(),
        source: Source::List {
            list: list.into(),
            item: n.into(),
        },
        deadline: None,
        targets: serde_json::json!([]),
        lead,
        co: vec![],
        raised_by: None,
    }
}

#[tokio::test]
async fn batches_are_all_or_nothing_and_repeats_are_refused() {
    for store in fresh_stores("store_ledger").await.unwrap() {
        let cal = Calendar::official();
        let unit = NewUnit {
            name: "区财政局".into(),
            aliases: vec![],
            parent: None,
            level: Level::County,
            kind: UnitKind::Department,
        };
        let u = store.create_unit(None, unit).await.unwrap().id;
        let now = at("2024-03-04 09:00");
        // A list name with LIKE's wildcards and a quote in it.
        let list = "2024年%_任务\"表";

        // The second matter has no lead unit: nothing of the batch is kept.
        let e = store
            .create_matters(
                None,
                vec![
                    item(list, "1", "甲", vec![u]),
                    item(list, "2", "乙", vec![]),
                ],
                now,
                &cal,
            )
            .await
            .unwrap_err();
        assert_eq!(e.index, Some(1));
        assert!(
            matches!(e.error, Error::Rule(RuleError::Matter(MatterError::NoLead))),
            "{e}"
        );
        assert!(store.matters(None, 10, 0).await.unwrap().is_empty());

        let made = store
            .create_matters(
                None,
                vec![
                    item(list, "1", "甲", vec![u]),
                    item(list, "2", "乙", vec![u]),
                ],
                now,
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(made.len(), 2);
        let listed = store.list_matters(list).await.unwrap();
        assert_eq!(
            listed.iter().map(|m| m.item.as_str()).collect::<Vec<_>>(),
            ["1", "2"]
        );
        assert!(store.list_matters("2024年任务表").await.unwrap().is_empty());

        // A repeat of item 2 is refused inside the transaction; a new item
        // with it is not written either.
        let e = store
            .create_matters(
                None,
                vec![
                    item(list, "3", "丙", vec![u]),
                    item(list, "2", "乙", vec![u]),
                ],
                now,
                &cal,
            )
            .await
            .unwrap_err();
        assert_eq!(e.index, Some(1));
        assert!(e.to_string().contains("已于此前导入"), "{e}");
        assert_eq!(store.matters(None, 10, 0).await.unwrap().len(), 2);

        // The latest report or close application of each track.
        let t = made[0].tracks[0].track.id;
        let v = store
            .act(None, t, 1, &Action::SignFor, at("2024-03-04 10:00"), &cal)
            .await
            .unwrap()
            .version;
        let v = store
            .act(
                None,
                t,
                v,
                &Action::Report {
                    text: "已部署".into(),
                },
                at("2024-03-05 10:00"),
                &cal,
            )
            .await
            .unwrap()
            .version;
        store
            .act(
                None,
                t,
                v,
                &Action::Report {
                    text: "已完成过半".into(),
                },
                at("2024-03-06 10:00"),
                &cal,
            )
            .await
            .unwrap();
        let other = made[1].tracks[0].track.id;
        let last = store.last_reports(&[t, other]).await.unwrap();
        assert_eq!(last.get(&t).map(String::as_str), Some("已完成过半"));
        assert_eq!(last.get(&other), None);
        store.close().await;
    }
}
