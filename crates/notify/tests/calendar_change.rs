//! A continuing matter's fourth-quarter window falls in a provisional (暂定)
//! year; the official year is then entered from the State Council's notice
//! with a different 调休 day, and the limit, the light, the event log and
//! the message to the unit all follow. On every backend.

mod common;

use common::*;
use duban_domain::calendar::notice;
use duban_domain::limits::{self, Light, Limit};
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::Role;
use duban_domain::workflow::Action;
use duban_notify::{sweep, SweepParams};
use duban_store::testing::fresh_stores;
use duban_store::NewMatter;

/// A 2027 notice made up for the tests (the real one is not known here): it
/// takes Monday 4 January off with the New Year and works Saturday 9
/// January, which the provisional calendar does not.
const NOTICE_2027: &str = include_str!("../../domain/tests/data/notices/2027-made-up.txt");

#[tokio::test]
async fn entering_the_official_year_moves_the_q4_window_and_tells_the_unit() {
    for store in fresh_stores("calendar_change").await.unwrap() {
        let b = store.backend();
        let cal = store.calendar().await.unwrap();
        assert!(
            cal.is_provisional(2027),
            "this test needs 2027 without official data"
        );
        let energy = unit(&store, "市能源局").await;
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
                    title: "推进新能源项目建设".into(),
                    detail: "按季度报送进展。".into(),
                    matter_type: MatterType::continuing(),
                    source: Source::Meeting {
                        name: "区政府常务会议".into(),
                        date: None,
                    },
                    deadline: None,
                    targets: serde_json::json!([]),
                    lead: vec![energy],
                    co: vec![],
                    raised_by: None,
                },
                at("2026-10-12 09:00"),
                &cal,
            )
            .await
            .unwrap();
        let track = m.tracks[0].track.id;
        act(&store, &cal, track, Action::SignFor, "2026-10-12 10:00").await;
        act(
            &store,
            &cal,
            track,
            Action::Report {
                text: "已部署。".into(),
            },
            "2026-10-13 10:00",
        )
        .await;

        // Before: the Q4 window is the first working week of the
        // provisional 2027, 01-04..01-08, and says 暂定.
        let today = day("2026-12-06");
        let t = store.track(track).await.unwrap().track;
        let ty = MatterType::continuing();
        let q4 = Limit::Node {
            day: day("2026-12-31"),
        };
        let due = |cal: &duban_domain::calendar::Calendar, on| {
            limits::dues(&t, &ty, cal, on)
                .unwrap()
                .into_iter()
                .find(|d| d.limit == q4)
                .unwrap()
        };
        let before = due(&cal, today);
        assert_eq!(
            (before.date, before.provisional),
            (day("2027-01-08"), true),
            "{b:?}"
        );
        // On 2027-01-08 the provisional calendar has the unit due today.
        assert_eq!(
            limits::light(&t, &ty, &cal, day("2027-01-08")),
            Ok(Light::Yellow)
        );
        let params = SweepParams {
            page: 50,
            ..SweepParams::default()
        };
        sweep(&store, &cal, day("2027-01-07"), &params)
            .await
            .unwrap();
        let msgs = store.outbox_messages(0, 100).await.unwrap();
        let remind = msgs
            .iter()
            .find(|m| m.kind == "remind")
            .expect("a reminder");
        assert!(
            remind.body.contains("2027年1月8日（暂定）"),
            "{}",
            remind.body
        );

        // The admin enters the notice: 01-04 is off, Saturday 01-09 worked.
        let n = notice::parse(NOTICE_2027).unwrap();
        let changes: Vec<_> = n
            .changes(&cal)
            .into_iter()
            .map(|(y, d)| (y, Some(d)))
            .collect();
        let done = store
            .change_calendar(
                Some(1),
                &changes,
                "国务院办公厅公布了2027年部分节假日安排",
                today,
            )
            .await
            .unwrap();
        assert_eq!((done.tracks, done.moved), (1, 1), "{b:?}");
        let cal = store.calendar().await.unwrap();
        assert!(!cal.is_provisional(2027));

        // The limit: the window is now 01-05..01-09, no longer 暂定.
        let after = due(&cal, today);
        assert_eq!(
            (after.date, after.provisional),
            (day("2027-01-09"), false),
            "{b:?}"
        );
        // The light: on 01-08 the unit is no longer due today, but near.
        assert_eq!(
            limits::light(&t, &ty, &cal, day("2027-01-08")),
            Ok(Light::Yellow)
        );
        assert_eq!(
            limits::light(&t, &ty, &cal, day("2027-01-11")),
            Ok(Light::Red)
        );
        assert_eq!(
            limits::light(&t, &ty, &cal, day("2027-01-06")),
            Ok(Light::Green)
        );
        // The stored copies the board filters on moved too.
        let stored = store.track(track).await.unwrap();
        assert_eq!(stored.next_due, Some(day("2027-01-09")), "{b:?}");

        // The event log: the calendar change and the track's moved limits.
        let cal_events = store.events_of("calendar", 2027).await.unwrap();
        assert_eq!(cal_events.len(), 1);
        assert_eq!(cal_events[0].action, "calendar.set_year");
        let track_events = store.events_of("track", track).await.unwrap();
        let moved = track_events
            .iter()
            .find(|e| e.action == "track.limits_moved")
            .unwrap();
        assert_eq!(moved.before["dues"][0]["date"], "2027-01-08");
        assert_eq!(moved.after["dues"][0]["date"], "2027-01-09");
        assert!(moved.after["reason"].as_str().unwrap().contains("2027年"));
        store.verify_events().await.unwrap().unwrap();

        // The unit is told on the next sweep, once, through its liaison.
        let report = sweep(&store, &cal, today, &params).await.unwrap();
        assert_eq!(report.moved, 1, "{report:?}");
        let msgs = store.outbox_messages(0, 100).await.unwrap();
        let told: Vec<_> = msgs.iter().filter(|m| m.kind == "moved").collect();
        assert_eq!(told.len(), 1, "{b:?}");
        assert_eq!(told[0].recipient, "liaison@energy.gov.cn");
        assert!(told[0].subject.contains("时限调整"), "{}", told[0].subject);
        assert!(
            told[0]
                .body
                .contains("由2027年1月8日（暂定）调整为2027年1月9日"),
            "{}",
            told[0].body
        );
        assert!(told[0]
            .body
            .contains("国务院办公厅公布了2027年部分节假日安排"));
        let again = sweep(&store, &cal, today, &params).await.unwrap();
        assert_eq!(again.moved, 0);
        // The reminder for the new date is a new one, without 暂定.
        sweep(&store, &cal, day("2027-01-08"), &params)
            .await
            .unwrap();
        let msgs = store.outbox_messages(0, 100).await.unwrap();
        let new_remind = msgs
            .iter()
            .find(|m| m.kind == "remind" && m.key.ends_with("2027-01-09:email:2"))
            .or_else(|| {
                msgs.iter()
                    .find(|m| m.kind == "remind" && m.body.contains("2027年1月9日"))
            })
            .expect("a reminder for the new date");
        assert!(!new_remind.body.contains("暂定"), "{}", new_remind.body);

        // Entering the same year again moves nothing and tells nobody.
        let done = store
            .change_calendar(Some(1), &changes, "再次录入", today)
            .await
            .unwrap();
        assert_eq!(done.moved, 0);
    }
}
