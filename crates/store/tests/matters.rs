//! Matters and the 13710 workflow through the store, on every backend.

mod common;

use chrono::NaiveDate;
use common::{at, unit};
use duban_domain::calendar::{Calendar, CalendarError};
use duban_domain::matter::{Grade, MatterError, MatterStatus, MatterType, Source};
use duban_domain::org::Role;
use duban_domain::org::{Level, UnitKind};
use duban_domain::workflow::{Action, TrackState, TransitionErrorKind};
use duban_domain::RuleError;
use duban_store::testing::fresh_stores;
use duban_store::{Error, NewMatter, NewUnit, NewUser, Store, TrackFilter};

async fn user(store: &Store, login: &str, role: Role, unit: Option<i64>) -> Option<i64> {
    let u = NewUser {
        login: login.into(),
        name: login.into(),
        role,
        unit_id: unit,
        email: None,
        password_hash: "h".into(),
    };
    Some(store.create_user(None, u).await.unwrap().id)
}

fn matter(lead: Vec<i64>, co: Vec<i64>) -> NewMatter {
    NewMatter {
        title: "推进充电桩建设".into(),
        detail: "全市公共充电桩数量达到13502台以上。".into(),
        matter_type: MatterType::ordinary(),
        source: Source::Meeting {
            name: "第18次常务会议".into(),
            date: NaiveDate::from_ymd_opt(2024, 9, 26),
        },
        deadline: None,
        targets: serde_json::json!([]),
        lead,
        co,
        raised_by: None,
    }
}

#[tokio::test]
async fn a_matter_runs_from_assignment_to_close() {
    let cal = Calendar::official();
    for store in fresh_stores("matters").await.expect("stores") {
        let b = store.backend();
        let energy = unit(&store, "市能源局").await;
        let land = unit(&store, "市规划和自然资源局").await;
        let office = user(&store, "office", Role::Office, None).await;
        let liaison = user(&store, "liaison", Role::Liaison, Some(energy)).await;
        let other = user(&store, "other", Role::Liaison, Some(energy)).await;
        let m = store
            .create_matter(
                office,
                matter(vec![energy], vec![land]),
                at("2024-09-27 09:00"),
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(m.tracks.len(), 2);
        let lead = &m.tracks[0];
        // Assigned Friday 27 Sep 2024: signing for is due the same day.
        assert_eq!(lead.next_due, NaiveDate::from_ymd_opt(2024, 9, 27), "{b:?}");

        // Closing before anyone signed for it is refused with a reason.
        let early = store
            .act(
                liaison,
                lead.track.id,
                1,
                &Action::Close {
                    grade: Grade::Good,
                    reason: "好".into(),
                },
                at("2024-09-27 10:00"),
                &cal,
            )
            .await;
        assert!(
            matches!(early, Err(Error::Rule(RuleError::Transition(ref e))) if e.kind == TransitionErrorKind::NotSignedFor && e.message.contains("签收")),
            "{b:?}: {early:?}"
        );

        let t = store
            .act(
                liaison,
                lead.track.id,
                1,
                &Action::SignFor,
                at("2024-09-27 10:00"),
                &cal,
            )
            .await
            .unwrap();
        assert_eq!((t.track.state, t.version), (TrackState::SignedFor, 2));
        // A second writer with the old version gets a conflict, not a lost update.
        let stale = store
            .act(
                other,
                lead.track.id,
                1,
                &Action::SignFor,
                at("2024-09-27 10:05"),
                &cal,
            )
            .await;
        assert!(
            matches!(stale, Err(Error::Conflict(ref msg)) if msg.contains("刷新")),
            "{stale:?}"
        );

        let t = store
            .act(
                liaison,
                lead.track.id,
                2,
                &Action::Report {
                    text: "已完成选址".into(),
                },
                at("2024-09-29 16:00"),
                &cal,
            )
            .await
            .unwrap();
        let t = store
            .act(
                liaison,
                lead.track.id,
                t.version,
                &Action::ApplyToClose {
                    text: "已建成".into(),
                },
                at("2024-10-08 09:00"),
                &cal,
            )
            .await
            .unwrap();
        let t = store
            .act(
                office,
                lead.track.id,
                t.version,
                &Action::Return {
                    reason: "缺验收材料".into(),
                },
                at("2024-10-08 15:00"),
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(t.track.state, TrackState::Returned);
        let t = store
            .act(
                liaison,
                lead.track.id,
                t.version,
                &Action::ApplyToClose {
                    text: "补充验收材料".into(),
                },
                at("2024-10-09 09:00"),
                &cal,
            )
            .await
            .unwrap();
        let t = store
            .act(
                office,
                lead.track.id,
                t.version,
                &Action::Close {
                    grade: Grade::Excellent,
                    reason: "按期完成".into(),
                },
                at("2024-10-09 15:00"),
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(
            t.track.state,
            TrackState::Closed {
                grade: Grade::Excellent
            }
        );
        assert_eq!(t.next_due, None);

        // The co-operating unit's track is still open, but the matter closes
        // with its lead track.
        let m = store.matter(m.matter.id).await.unwrap();
        assert_eq!(m.matter.status, MatterStatus::Closed, "{b:?}");
        let reports = store.reports_of(lead.track.id).await.unwrap();
        let kinds: Vec<&str> = reports.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "report",
                "close_application",
                "return",
                "close_application",
                "close"
            ]
        );

        let open = store
            .tracks(&TrackFilter {
                open_only: true,
                limit: 100,
                ..TrackFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].track.unit_id, land);

        // 2 units, 3 users, 1 matter, 2 assignments, 6 actions, 1 status
        // change, and the digests of the 5 texts written (report, close
        // application, return, close application, close).
        assert_eq!(store.verify_events().await.unwrap(), Ok(20), "{b:?}");
        assert_eq!(store.verify_contents().await.unwrap(), Vec::<String>::new());
        store.close().await;
    }
}

#[tokio::test]
async fn bad_matters_are_refused() {
    let cal = Calendar::official();
    for store in fresh_stores("bad_matters").await.expect("stores") {
        let a = unit(&store, "区发改局").await;
        let no_lead = store
            .create_matter(None, matter(vec![], vec![a]), at("2024-03-01 09:00"), &cal)
            .await;
        assert!(
            matches!(
                no_lead,
                Err(Error::Rule(RuleError::Matter(MatterError::NoLead)))
            ),
            "{no_lead:?}"
        );
        assert!(no_lead.unwrap_err().to_string().contains("牵头"));
        let unknown = store
            .create_matter(
                None,
                matter(vec![a, 999], vec![]),
                at("2024-03-01 09:00"),
                &cal,
            )
            .await;
        assert!(matches!(unknown, Err(Error::Invalid(ref m)) if m.contains("999")));
        let both = store
            .create_matter(None, matter(vec![a], vec![a]), at("2024-03-01 09:00"), &cal)
            .await;
        assert!(
            matches!(both, Err(Error::Rule(RuleError::Matter(MatterError::LeadAndCo(u)))) if u == a),
            "{both:?}"
        );
        assert!(matches!(store.matter(42).await, Err(Error::NotFound(_))));
        // Nothing half-written: one unit event, no matter.
        assert_eq!(store.verify_events().await.unwrap(), Ok(1));
        assert!(store.matters(None, 10, 0).await.unwrap().is_empty());
        store.close().await;
    }
}

/// A continuing matter late in the calendar's last year: its next report
/// window falls after New Year, in a year the calendar lacks. The unit's
/// sign-for and report are still recorded (the track keeps the reason for
/// the admin); an action in a year that has begun without a calendar is
/// refused, since it could not be judged at all.
#[tokio::test]
async fn a_missing_future_year_hides_the_next_window_but_refuses_no_report() {
    // Strict: the years after the shipped data are refused rather than
    // provisional (the path of a year outside 1901–2099).
    let cal = Calendar::official().strict();
    let last = cal.years().max().expect("a year");
    for store in fresh_stores("matters_future_year").await.expect("stores") {
        let energy = unit(&store, "市能源局").await;
        let liaison = user(&store, "liaison", Role::Liaison, Some(energy)).await;
        let mut m = matter(vec![energy], vec![]);
        m.matter_type = MatterType::continuing();
        let assigned = at(&format!("{last}-11-23 09:00"));
        let created = store
            .create_matter_checked(None, m, assigned, &cal)
            .await
            .expect("assigned: the deploy and first report limits are known");
        let tid = created.tracks[0].track.id;
        let signed = store
            .act_checked(
                liaison,
                tid,
                1,
                &Action::SignFor,
                at(&format!("{last}-11-23 10:00")),
                &cal,
            )
            .await
            .expect("signed for");
        let report = Action::Report {
            text: "已完成年度任务的八成。".into(),
        };
        let reported = store
            .act_checked(
                liaison,
                tid,
                signed.version,
                &report,
                at(&format!("{last}-11-24 10:00")),
                &cal,
            )
            .await
            .expect("the report is recorded although the next window is unknown");
        assert_eq!(reported.track.report_times.len(), 1);
        assert_eq!(
            reported.next_due, None,
            "the next window is in a year the calendar lacks"
        );
        // In the missing year itself, an action cannot be judged: refused.
        let again = Action::Report {
            text: "一季度进展。".into(),
        };
        let next_year = at(&format!("{}-01-05 10:00", last + 1));
        match store
            .act_checked(liaison, tid, reported.version, &again, next_year, &cal)
            .await
        {
            Err(e @ Error::Rule(RuleError::Calendar(CalendarError::YearNotCovered(y)))) => {
                assert_eq!(y, last + 1);
                assert!(e.to_string().contains(&y.to_string()), "{e}");
            }
            other => panic!("expected a refusal naming {}, got {other:?}", last + 1),
        }
    }
}

#[tokio::test]
async fn two_units_merge_into_one() {
    let cal = Calendar::official();
    for store in fresh_stores("merge_units").await.expect("stores") {
        let b = store.backend();
        let short = unit(&store, "区发改局").await;
        let full = unit(&store, "区发展和改革委员会").await;
        let other = unit(&store, "区财政局").await;
        let office = user(&store, "office", Role::Office, None).await;
        let liaison = user(&store, "liaison", Role::Liaison, Some(full)).await;
        let leader = user(&store, "leader", Role::Leader, None).await.unwrap();
        store
            .set_leader_units(None, leader, &[short])
            .await
            .unwrap();
        let m = store
            .create_matter(
                office,
                matter(vec![full], vec![other]),
                at("2024-09-27 09:00"),
                &cal,
            )
            .await
            .unwrap();
        store
            .create_group(None, "各相关单位", &[full, other])
            .await
            .unwrap();

        // Merging a unit into itself, or two units on one matter, is refused.
        assert!(matches!(
            store.merge_units(office, full, full).await,
            Err(Error::Invalid(_))
        ));
        let clash = store.merge_units(office, other, full).await;
        assert!(
            matches!(clash, Err(Error::Conflict(ref m)) if m.contains("同在 1 个事项") && m.contains("改派")),
            "{b:?}: {clash:?}"
        );

        // An urging of the merged unit moves with it (it held the unit's
        // row before: a foreign-key failure, answered 500).
        store
            .urge_matter(
                office,
                m.matter.id,
                &[full],
                "请加快办理",
                at("2024-09-30 09:00"),
                &cal,
                |_| (String::new(), String::new()),
            )
            .await
            .unwrap();

        // The short name survives; the full name becomes its alias.
        let (survivor, moved) = store.merge_units(office, full, short).await.unwrap();
        assert_eq!(survivor.aliases, ["区发展和改革委员会"], "{b:?}");
        assert_eq!((moved.tracks, moved.users), (1, 1), "{b:?}");
        assert!(store.unit(full).await.is_err());
        let m = store.matter(m.matter.id).await.unwrap();
        assert_eq!(m.tracks[0].track.unit_id, short, "{b:?}");
        let tracks = store
            .tracks(&TrackFilter {
                units: Some(vec![short]),
                limit: 10,
                ..TrackFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(tracks.len(), 1);
        assert_eq!(
            store.user(liaison.unwrap()).await.unwrap().unit_id,
            Some(short)
        );
        assert_eq!(store.leader_units(leader).await.unwrap(), [short]);
        assert_eq!(store.groups().await.unwrap()[0].members, [short, other]);
        let events = store.events_of("unit", short).await.unwrap();
        assert_eq!(events.last().unwrap().action, "unit.merge", "{b:?}");

        // The kind is edited, and the log says from what to what.
        let u = store
            .set_unit_kind(office, short, UnitKind::Township)
            .await
            .unwrap();
        assert_eq!(u.kind, UnitKind::Township);
        assert_eq!(store.unit(short).await.unwrap().kind, UnitKind::Township);
        assert_eq!(
            store
                .events_of("unit", short)
                .await
                .unwrap()
                .last()
                .unwrap()
                .action,
            "unit.kind"
        );

        // A unit is not merged into one of its own sub-units.
        let town = store
            .create_unit(
                office,
                NewUnit {
                    name: "某某镇".into(),
                    aliases: vec![],
                    parent: Some(short),
                    level: Level::Township,
                    kind: UnitKind::Township,
                },
            )
            .await
            .unwrap()
            .id;
        let up = store.merge_units(office, short, town).await;
        assert!(
            matches!(up, Err(Error::Invalid(ref m)) if m.contains("下级单位")),
            "{b:?}: {up:?}"
        );
        store.verify_events().await.unwrap().unwrap();
    }
}
