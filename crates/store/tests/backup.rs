//! `Store::backup_to` on every backend: a copy written while the database
//! is in use is a Duban SQLite database with the same rows, a sound event
//! chain, and no file is ever overwritten.

use chrono::NaiveDate;
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::{Level, Role, UnitKind};
use duban_domain::workflow::Action;
use duban_store::testing::fresh_stores;
use duban_store::{Error, NewMatter, NewUnit, NewUser, Store};

#[tokio::test]
async fn a_backup_is_a_working_copy_with_every_row_and_a_sound_chain() {
    let cal = Calendar::official();
    let dir = std::env::temp_dir().join(format!("duban-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for store in fresh_stores("backup").await.expect("stores") {
        let backend = store.backend();
        let unit = store
            .create_unit(
                None,
                NewUnit {
                    name: "区住建局".into(),
                    aliases: vec!["区住房和城乡建设局".into()],
                    parent: None,
                    level: Level::County,
                    kind: UnitKind::Department,
                },
            )
            .await
            .unwrap()
            .id;
        let at = NaiveDate::from_ymd_opt(2024, 9, 27)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let m = store
            .create_matter(
                None,
                NewMatter {
                    title: "完成10座直饮水站建设".into(),
                    detail: "城区小区直饮水站".into(),
                    matter_type: MatterType::ordinary(),
                    source: Source::Meeting {
                        name: "常务会议".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: serde_json::json!([]),
                    lead: vec![unit],
                    co: vec![],
                    raised_by: None,
                },
                at,
                &cal,
            )
            .await
            .unwrap();
        let t = m.tracks[0].track.id;
        let signed = store
            .act(None, t, 1, &Action::SignFor, at, &cal)
            .await
            .unwrap();
        let report = Action::Report {
            text: "已完成选址".into(),
        };
        store
            .act(None, t, signed.version, &report, at, &cal)
            .await
            .unwrap();
        // An API token, revoked, and one live, each with its id.
        let liaison = store
            .create_user(
                None,
                NewUser {
                    login: "zhujian".into(),
                    name: "住建联络员".into(),
                    role: Role::Liaison,
                    unit_id: Some(unit),
                    email: None,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap()
            .id;
        let old = store
            .create_api_token(None, liaison, "旧对接", "hash-old")
            .await
            .unwrap();
        store.revoke_api_token(None, old.id).await.unwrap();
        store
            .create_api_token(None, liaison, "对接", "hash-live")
            .await
            .unwrap();

        let file = dir.join(format!("{backend:?}.db"));
        store
            .backup_to(&file)
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        // Never over an existing file.
        let again = store.backup_to(&file).await;
        assert!(
            matches!(again, Err(Error::Invalid(ref msg)) if msg.contains("已存在")),
            "{again:?}"
        );

        let copy = Store::open(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        assert_eq!(
            copy.units().await.unwrap(),
            store.units().await.unwrap(),
            "{backend:?}"
        );
        // The counts kept by trigger are the copy's own, not doubled.
        assert_eq!(
            copy.matter_total(None).await.unwrap(),
            store.matter_total(None).await.unwrap(),
            "{backend:?}"
        );
        let (orig, back) = (
            store.matter(m.matter.id).await.unwrap(),
            copy.matter(m.matter.id).await.unwrap(),
        );
        assert_eq!(back.matter, orig.matter, "{backend:?}");
        assert_eq!(back.tracks[0].track, orig.tracks[0].track, "{backend:?}");
        assert_eq!(
            copy.reports_of(t).await.unwrap(),
            store.reports_of(t).await.unwrap()
        );
        let tokens = |s: &Store| {
            let s = s.clone();
            async move {
                let list = s.api_tokens().await.unwrap();
                list.into_iter()
                    .map(|t| (t.id, t.name, t.revoked_at))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(tokens(&copy).await, tokens(&store).await, "{backend:?}");
        assert!(copy.user_by_api_token("hash-live").await.unwrap().is_some());
        assert!(copy.user_by_api_token("hash-old").await.unwrap().is_none());
        let checked = copy
            .verify_events()
            .await
            .unwrap()
            .expect("the chain holds in the copy");
        assert_eq!(
            Ok(checked),
            store.verify_events().await.unwrap(),
            "{backend:?}"
        );
        assert!(checked >= 4, "{backend:?}: {checked} events");
        copy.close().await;
        std::fs::remove_file(&file).ok();
    }
    std::fs::remove_dir_all(&dir).ok();
}
