//! Matter types in the store, on every backend under test: the standard
//! ones built in and reserved, custom ones created, changed and retired
//! with an event each, and new matters picking them by name while old
//! matters keep the terms they were created with.

use chrono::NaiveDate;
use duban_domain::matter::{Counting, MatterKind, MatterType, Schedule, Source, Term};
use duban_domain::org::{Level, UnitKind};
use duban_store::testing::fresh_stores;
use duban_store::{Error, NewMatter, NewUnit};

fn custom(name: &str, counting: Counting, resolve_days: u32) -> MatterType {
    MatterType {
        name: name.into(),
        kind: MatterKind::Custom,
        counting,
        deploy_days: 0,
        report_days: 3,
        resolve: Some(Term::Days(resolve_days)),
        schedule: None,
        near_days: 1,
    }
}

#[tokio::test]
async fn custom_types_are_created_changed_and_retired() {
    for store in fresh_stores("types").await.expect("stores open") {
        let backend = store.backend();
        let all = store.matter_types().await.unwrap();
        assert_eq!(
            all.iter()
                .map(|r| r.matter_type.name.as_str())
                .collect::<Vec<_>>(),
            ["普通事项", "重大事项", "持续推进事项"]
        );
        assert!(all.iter().all(|r| r.standard && r.active));

        let t = store
            .create_matter_type(Some(1), custom("专项整治事项", Counting::Working, 5))
            .await
            .unwrap();
        assert_eq!((t.id, t.standard, t.active), (1, false, true));
        let monthly = MatterType {
            resolve: None,
            schedule: Some(Schedule::Monthly { day: 23 }),
            ..custom("月调度事项", Counting::Calendar, 0)
        };
        let m = store
            .create_matter_type(None, monthly.clone())
            .await
            .unwrap();
        assert_eq!(m.id, 2);
        assert_eq!(
            store
                .matter_type_record("月调度事项")
                .await
                .unwrap()
                .matter_type,
            monthly
        );

        // Refusals, each saying what to change.
        let refused = [
            (custom("专项整治事项", Counting::Calendar, 9), "已存在"),
            (custom("普通事项", Counting::Working, 7), "标准事项类型"),
            (custom("重大", Counting::Working, 7), "标准事项类型"),
            (custom("ordinary", Counting::Working, 7), "标准事项类型"),
            (custom("", Counting::Working, 7), "名称不能为空"),
            (custom(" 空格 ", Counting::Working, 7), "空格"),
            (
                custom(
                    "一二三四五六七八九十一二三四五六七八九十一",
                    Counting::Working,
                    7,
                ),
                "不超过20个字",
            ),
            (
                custom("反馈晚于办结", Counting::Working, 2),
                "请把办结时限设为不少于反馈时限",
            ),
            (
                MatterType {
                    resolve: None,
                    ..custom("无时限", Counting::Working, 0)
                },
                "至少一项",
            ),
            (
                MatterType {
                    kind: MatterKind::Major,
                    ..custom("冒充重大", Counting::Working, 7)
                },
                "custom",
            ),
        ];
        for (t, says) in refused {
            let e = store.create_matter_type(None, t.clone()).await.unwrap_err();
            match (&e, says) {
                (Error::Duplicate(m), _) | (Error::Invalid(m), _) if m.contains(says) => {}
                _ => panic!("{backend:?} {}: {e:?}, wanted “{says}”", t.name),
            }
        }

        // Matters pick types by name: standard by any of their names,
        // custom by theirs; the refusal lists what there is.
        assert_eq!(
            store.matter_type_named("重大").await.unwrap(),
            MatterType::major()
        );
        assert_eq!(
            store.matter_type_named(" 专项整治事项 ").await.unwrap(),
            custom("专项整治事项", Counting::Working, 5)
        );
        let e = store.matter_type_named("紧急").await.unwrap_err();
        assert!(
            matches!(&e, Error::Invalid(m) if m.contains("未知的事项类型“紧急”") && m.contains("普通事项、重大事项、持续推进事项、专项整治事项、月调度事项")),
            "{e:?}"
        );
        let e = store.matter_type_named("").await.unwrap_err();
        assert!(
            matches!(&e, Error::Invalid(m) if m.starts_with("请选择事项类型")),
            "{e:?}"
        );

        // A matter made with the type keeps its terms when the type changes.
        let unit = store
            .create_unit(
                None,
                NewUnit {
                    name: "区发展和改革局".into(),
                    aliases: vec![],
                    parent: None,
                    level: Level::County,
                    kind: UnitKind::Department,
                },
            )
            .await
            .unwrap();
        let cal = store.calendar().await.unwrap();
        // Friday before the 2024 National Day holidays (1–7 October; Sunday
        // 29 September is a 调休 workday).
        let at = NaiveDate::from_ymd_opt(2024, 9, 27)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let matter = store
            .create_matter(
                None,
                NewMatter {
                    title: "专项整治".into(),
                    detail: String::new(),
                    matter_type: store.matter_type_named("专项整治事项").await.unwrap(),
                    source: Source::Meeting {
                        name: "常务会议".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: serde_json::json!([]),
                    lead: vec![unit.id],
                    co: vec![],
                    raised_by: None,
                },
                at,
                &cal,
            )
            .await
            .unwrap();
        let ty = &matter.matter.matter_type;
        let track = &matter.tracks[0].track;
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        use duban_domain::limits;
        assert_eq!(
            limits::deploy_due(track, ty, &cal).unwrap(),
            d("2024-09-27")
        );
        assert_eq!(
            limits::first_report_due(track, ty, &cal).unwrap(),
            d("2024-10-08")
        );
        assert_eq!(
            limits::resolve_due(track, ty, &cal).unwrap(),
            Some(d("2024-10-10"))
        );

        let changed = store
            .update_matter_type(
                Some(1),
                "专项整治事项",
                custom("专项整治事项", Counting::Calendar, 10),
                true,
            )
            .await
            .unwrap();
        assert_eq!(
            (changed.id, changed.matter_type.counting),
            (1, Counting::Calendar)
        );
        let again = store.matter(matter.matter.id).await.unwrap();
        assert_eq!(
            again.matter.matter_type,
            custom("专项整治事项", Counting::Working, 5)
        );

        // Standard types cannot change, names cannot change, unknown types
        // are not found.
        let e = store
            .update_matter_type(
                None,
                "普通事项",
                MatterType {
                    kind: MatterKind::Custom,
                    ..MatterType::ordinary()
                },
                true,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid(m) if m.contains("不能修改")),
            "{e:?}"
        );
        let e = store
            .update_matter_type(
                None,
                "专项整治事项",
                custom("整治事项", Counting::Working, 5),
                true,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid(m) if m.contains("不能改名")),
            "{e:?}"
        );
        let e = store
            .update_matter_type(
                None,
                "没有的类型",
                custom("没有的类型", Counting::Working, 5),
                true,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, Error::NotFound(_)), "{e:?}");

        // Retired: listed, not offered.
        store
            .update_matter_type(None, "月调度事项", monthly.clone(), false)
            .await
            .unwrap();
        let all = store.matter_types().await.unwrap();
        let names: Vec<(&str, bool)> = all
            .iter()
            .map(|r| (r.matter_type.name.as_str(), r.active))
            .collect();
        assert_eq!(
            names,
            [
                ("普通事项", true),
                ("重大事项", true),
                ("持续推进事项", true),
                ("专项整治事项", true),
                ("月调度事项", false)
            ]
        );
        let e = store.matter_type_named("月调度事项").await.unwrap_err();
        assert!(
            matches!(&e, Error::Invalid(m) if m.contains("已停用") && !m.contains("、月调度事项")),
            "{e:?}"
        );

        // Every change is in the chain, under the type's number.
        let events = store.events_of("matter_type", 1).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["matter_type.create", "matter_type.update"]
        );
        assert_eq!(events[1].before["counting"], "working");
        assert_eq!(events[1].after["counting"], "calendar");
        assert_eq!(store.events_of("matter_type", 2).await.unwrap().len(), 2);
        assert!(store.verify_events().await.unwrap().is_ok());
        store.close().await;
    }
}
