//! The sweep on every backend: a known organisation and known matters,
//! swept on chosen days; exactly these messages are queued, and sweeping
//! again queues nothing.

mod common;

use common::*;
use duban_domain::org::Role;
use duban_domain::sweep::SweepRules;
use duban_domain::workflow::Action;
use duban_notify::{sweep, SweepParams, SweepReport};
use duban_store::outbox::{NewMessage, SweepCursor};
use duban_store::testing::fresh_stores;
use duban_store::Store;
use std::collections::BTreeMap;

/// The queued messages as `key → (channel, recipient, subject)`.
async fn queued(store: &Store) -> BTreeMap<String, (String, String, String)> {
    store
        .outbox_messages(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.key, (m.channel, m.recipient, m.subject)))
        .collect()
}

fn counts(r: &SweepReport) -> [u64; 6] {
    [
        r.tracks,
        r.reminded,
        r.urged,
        r.escalated,
        r.queued,
        r.unaddressed,
    ]
}

#[tokio::test]
async fn sweeps_queue_exactly_the_owed_messages_once() {
    for store in fresh_stores("notify_sweep").await.unwrap() {
        let b = store.backend();
        let cal = store.calendar().await.unwrap();
        let energy = unit(&store, "市能源局").await;
        let transport = unit(&store, "市交通运输局").await;
        let water = unit(&store, "市水务局").await;
        let head_e = user(
            &store,
            "head_e",
            Role::UnitHead,
            Some(energy),
            Some("head@energy.gov.cn"),
        )
        .await;
        let liaison_e = user(
            &store,
            "liaison_e",
            Role::Liaison,
            Some(energy),
            Some("liaison@energy.gov.cn"),
        )
        .await;
        // a handler and a liaison without an address hear nothing
        user(
            &store,
            "handler_e",
            Role::Handler,
            Some(energy),
            Some("handler@energy.gov.cn"),
        )
        .await;
        user(&store, "liaison_e2", Role::Liaison, Some(energy), None).await;
        let head_t = user(
            &store,
            "head_t",
            Role::UnitHead,
            Some(transport),
            Some("head@transport.gov.cn"),
        )
        .await;
        user(&store, "office", Role::Office, None, Some("office@gov.cn")).await;
        let leader = user(
            &store,
            "leader",
            Role::Leader,
            None,
            Some("vice-mayor@gov.cn"),
        )
        .await;
        let leader2 = user(&store, "leader2", Role::Leader, None, None).await;
        store
            .set_leader_units(None, leader, &[energy, transport])
            .await
            .unwrap();
        store
            .set_leader_units(None, leader2, &[energy])
            .await
            .unwrap();

        let m1 = matter(
            &store,
            &cal,
            "推进充电桩建设",
            vec![energy],
            vec![transport],
            "2024-09-27 09:00",
        )
        .await;
        let (t1e, t1t) = (m1[0], m1[1]);
        let t2w = matter(
            &store,
            &cal,
            "整治背街小巷",
            vec![water],
            vec![],
            "2024-09-27 09:00",
        )
        .await[0];
        let t3t = matter(
            &store,
            &cal,
            "清理违规广告牌",
            vec![transport],
            vec![],
            "2024-09-27 09:00",
        )
        .await[0];
        act(&store, &cal, t3t, Action::Withdraw, "2024-09-27 10:00").await;

        let params = SweepParams {
            email: true,
            webhook: true,
            page: 2, // three candidate tracks: two pages
            ..SweepParams::default()
        };

        // ---- Friday 2024-09-27, the day of assignment: deploy reminders.
        let r = sweep(&store, &cal, day("2024-09-27"), &params)
            .await
            .unwrap();
        assert_eq!(counts(&r), [3, 3, 0, 0, 6, 0], "{b:?} {r:?}");
        assert_eq!(r.notices, 3);
        let want: BTreeMap<String, (String, String, String)> = [
            (
                format!("remind:{t1e}:deploy:2024-09-27:email:{head_e}"),
                ("email", "head@energy.gov.cn"),
            ),
            (
                format!("remind:{t1e}:deploy:2024-09-27:email:{liaison_e}"),
                ("email", "liaison@energy.gov.cn"),
            ),
            (
                format!("remind:{t1e}:deploy:2024-09-27:webhook"),
                ("webhook", "webhook"),
            ),
            (
                format!("remind:{t1t}:deploy:2024-09-27:email:{head_t}"),
                ("email", "head@transport.gov.cn"),
            ),
            (
                format!("remind:{t1t}:deploy:2024-09-27:webhook"),
                ("webhook", "webhook"),
            ),
            (
                format!("remind:{t2w}:deploy:2024-09-27:webhook"),
                ("webhook", "webhook"),
            ),
        ]
        .into_iter()
        .map(|(k, (c, to))| {
            let subject = if k.contains(&format!(":{t2w}:")) {
                "【临近提醒】整治背街小巷"
            } else {
                "【临近提醒】推进充电桩建设"
            };
            (k, (c.to_string(), to.to_string(), subject.to_string()))
        })
        .collect();
        assert_eq!(queued(&store).await, want, "{b:?}");
        let m = store
            .outbox_message(&format!("remind:{t1t}:deploy:2024-09-27:email:{head_t}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.kind, "remind");
        assert_eq!(
            m.body,
            "市交通运输局：\n督办事项“推进充电桩建设”（普通事项，配合单位）的签收部署时限为2024年9月27日，今日到期。请按时签收并报送部署情况。"
        );
        assert_eq!((m.attempts, m.sent_at, m.claimed_by), (0, None, None));

        // Again, the same day: nothing new.
        let r = sweep(&store, &cal, day("2024-09-27"), &params)
            .await
            .unwrap();
        assert_eq!(counts(&r), [3, 0, 0, 0, 0, 0], "{b:?} {r:?}");
        assert_eq!(r.notices, 3);
        assert_eq!(queued(&store).await.len(), 6);

        // The energy bureau signs for it on Saturday.
        act(&store, &cal, t1e, Action::SignFor, "2024-09-28 10:00").await;

        // ---- Monday 2024-09-30: two working days after the deploy limit
        // (the 调休 Sunday counts). Energy is reminded of its first report;
        // transport and water are reminded, urged and escalated.
        let before = queued(&store).await;
        let r = sweep(&store, &cal, day("2024-09-30"), &params)
            .await
            .unwrap();
        assert_eq!(counts(&r), [3, 3, 2, 2, 12, 0], "{b:?} {r:?}");
        let after = queued(&store).await;
        let new: BTreeMap<&String, &(String, String, String)> = after
            .iter()
            .filter(|(k, _)| !before.contains_key(*k))
            .collect();
        let mut want = vec![
            format!("remind:{t1e}:first_report:2024-10-08:email:{head_e} email head@energy.gov.cn"),
            format!("remind:{t1e}:first_report:2024-10-08:email:{liaison_e} email liaison@energy.gov.cn"),
            format!("remind:{t1e}:first_report:2024-10-08:webhook webhook webhook"),
            format!("remind:{t1t}:first_report:2024-10-08:email:{head_t} email head@transport.gov.cn"),
            format!("remind:{t1t}:first_report:2024-10-08:webhook webhook webhook"),
            format!("urge:{t1t}:deploy:2024-09-27:email:{head_t} email head@transport.gov.cn"),
            format!("urge:{t1t}:deploy:2024-09-27:webhook webhook webhook"),
            format!("escalate:{t1t}:deploy:2024-09-27:email:{leader} email vice-mayor@gov.cn"),
            format!("escalate:{t1t}:deploy:2024-09-27:webhook webhook webhook"),
            format!("remind:{t2w}:first_report:2024-10-08:webhook webhook webhook"),
            format!("urge:{t2w}:deploy:2024-09-27:webhook webhook webhook"),
            format!("escalate:{t2w}:deploy:2024-09-27:webhook webhook webhook"),
        ];
        want.sort();
        let got: Vec<String> = new
            .iter()
            .map(|(k, (c, to, _))| format!("{k} {c} {to}"))
            .collect();
        assert_eq!(got, want, "{b:?}");
        let esc = store
            .outbox_message(&format!("escalate:{t1t}:deploy:2024-09-27:email:{leader}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(esc.kind, "escalate");
        assert_eq!(esc.subject, "【升级督办】市交通运输局：推进充电桩建设");
        assert!(
            esc.body
                .starts_with("市交通运输局承办的督办事项“推进充电桩建设”"),
            "{}",
            esc.body
        );
        assert!(esc.body.contains("已逾期2个工作日"), "{}", esc.body);
        let urge = store
            .outbox_message(&format!("urge:{t2w}:deploy:2024-09-27:webhook"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(urge.subject, "【催办】整治背街小巷");
        assert!(urge.body.starts_with("市水务局：\n"), "{}", urge.body);

        // Again the same day, and once more on the holiday (no working day
        // has passed): nothing new.
        for d in ["2024-09-30", "2024-10-03"] {
            let r = sweep(&store, &cal, day(d), &params).await.unwrap();
            assert_eq!(r.queued, 0, "{b:?} {d} {r:?}");
            assert_eq!([r.reminded, r.urged, r.escalated], [0, 0, 0]);
        }
        assert_eq!(queued(&store).await.len(), 18);

        // ---- Wednesday 2024-10-09, e-mail only: the first report is a
        // working day late. The water bureau has nobody to tell.
        let email_only = SweepParams {
            webhook: false,
            ..params
        };
        let r = sweep(&store, &cal, day("2024-10-09"), &email_only)
            .await
            .unwrap();
        assert_eq!(counts(&r), [3, 0, 2, 0, 3, 3], "{b:?} {r:?}");
        assert_eq!(r.notices, 7);
        let all = queued(&store).await;
        assert_eq!(all.len(), 21);
        for k in [
            format!("urge:{t1e}:first_report:2024-10-08:email:{head_e}"),
            format!("urge:{t1e}:first_report:2024-10-08:email:{liaison_e}"),
            format!("urge:{t1t}:first_report:2024-10-08:email:{head_t}"),
        ] {
            assert!(all.contains_key(&k), "{b:?} {k} missing");
        }

        // A leader who takes the water bureau on hears of its escalation,
        // once; nobody else hears anything twice.
        store
            .set_leader_units(None, leader, &[energy, transport, water])
            .await
            .unwrap();
        let r = sweep(&store, &cal, day("2024-10-09"), &email_only)
            .await
            .unwrap();
        assert_eq!(counts(&r), [3, 0, 0, 1, 1, 2], "{b:?} {r:?}");
        assert!(queued(&store)
            .await
            .contains_key(&format!("escalate:{t2w}:deploy:2024-09-27:email:{leader}")));
        let r = sweep(&store, &cal, day("2024-10-09"), &email_only)
            .await
            .unwrap();
        assert_eq!(r.queued, 0, "{b:?}");

        // Nothing about the withdrawn matter, ever.
        assert!(!queued(&store)
            .await
            .keys()
            .any(|k| k.contains(&format!(":{t3t}:"))));
        let status = store.outbox_status(chrono::Utc::now()).await.unwrap();
        assert_eq!((status.pending, status.sent, status.failed), (22, 0, 0));
    }
}

#[tokio::test]
async fn escalation_waits_the_configured_working_days() {
    for store in fresh_stores("notify_escalate").await.unwrap() {
        let cal = store.calendar().await.unwrap();
        let energy = unit(&store, "市能源局").await;
        user(
            &store,
            "head",
            Role::UnitHead,
            Some(energy),
            Some("head@energy.gov.cn"),
        )
        .await;
        let leader = user(&store, "leader", Role::Leader, None, Some("leader@gov.cn")).await;
        store
            .set_leader_units(None, leader, &[energy])
            .await
            .unwrap();
        let t = matter(
            &store,
            &cal,
            "推进充电桩建设",
            vec![energy],
            vec![],
            "2024-09-27 09:00",
        )
        .await[0];
        let params = SweepParams {
            rules: SweepRules { escalate_after: 3 },
            ..SweepParams::default()
        };
        // 09-30 is two working days late: urged, not escalated.
        let r = sweep(&store, &cal, day("2024-09-30"), &params)
            .await
            .unwrap();
        assert_eq!([r.urged, r.escalated], [1, 0], "{r:?}");
        // 10-08 is the third (the first report is due that day: no urging).
        let r = sweep(&store, &cal, day("2024-10-08"), &params)
            .await
            .unwrap();
        assert_eq!([r.urged, r.escalated], [0, 1], "{r:?}");
        let m = store
            .outbox_message(&format!("escalate:{t}:deploy:2024-09-27:email:{leader}"))
            .await
            .unwrap()
            .expect("escalated to the leader");
        assert!(m.body.contains("已逾期3个工作日"), "{}", m.body);
    }
}

#[tokio::test]
async fn candidates_come_a_page_at_a_time_in_due_order() {
    for store in fresh_stores("notify_candidates").await.unwrap() {
        let cal = store.calendar().await.unwrap();
        let energy = unit(&store, "市能源局").await;
        let mut all = Vec::new();
        for (i, when) in [
            "2024-09-27 09:00",
            "2024-09-26 09:00",
            "2024-09-27 09:00",
            "2024-10-08 09:00",
            "2024-09-26 09:00",
        ]
        .iter()
        .enumerate()
        {
            let t = matter(
                &store,
                &cal,
                &format!("事项{i}"),
                vec![energy],
                vec![],
                when,
            )
            .await[0];
            all.push(t);
        }
        // Closed and withdrawn tracks are not candidates.
        act(&store, &cal, all[2], Action::Withdraw, "2024-09-27 10:00").await;
        let mut seen = Vec::new();
        let mut cursor = SweepCursor::default();
        let mut pages = 0;
        loop {
            let (page, next) = store
                .sweep_candidates(day("2024-09-30"), cursor, 2)
                .await
                .unwrap();
            pages += 1;
            assert!(page.len() <= 2);
            seen.extend(
                page.iter()
                    .map(|c| (c.next_due.to_string(), c.track.id, c.unit_name.clone())),
            );
            match next {
                Some(c) => cursor = c,
                None => break,
            }
            assert!(pages < 10, "paging does not end");
        }
        let want = vec![
            ("2024-09-26".to_string(), all[1], "市能源局".to_string()),
            ("2024-09-26".to_string(), all[4], "市能源局".to_string()),
            ("2024-09-27".to_string(), all[0], "市能源局".to_string()),
        ];
        assert_eq!(seen, want);
        assert_eq!(pages, 2);
    }
}

#[tokio::test]
async fn enqueue_is_all_or_nothing_and_skips_known_keys() {
    for store in fresh_stores("notify_enqueue").await.unwrap() {
        let now = chrono::Utc::now();
        let msg = |k: &str| NewMessage {
            key: k.into(),
            kind: "remind".into(),
            channel: "email".into(),
            recipient: "a@b.cn".into(),
            subject: "主题".into(),
            body: "正文".into(),
        };
        assert_eq!(
            store
                .enqueue(&[msg("a"), msg("b"), msg("a")], now)
                .await
                .unwrap(),
            2
        );
        assert_eq!(store.enqueue(&[msg("b"), msg("c")], now).await.unwrap(), 1);
        // A bad item refuses the whole batch.
        let mut bad = msg("e");
        bad.channel.clear();
        assert!(store.enqueue(&[msg("d"), bad], now).await.is_err());
        assert!(store.outbox_message("d").await.unwrap().is_none());
        let keys: Vec<String> = store
            .outbox_messages(0, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.key)
            .collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }
}

/// A continuing matter whose first report also stood for the first quarter
/// is owed its second-quarter report by 2024-07-05; the domain reminds of
/// it on 07-03 (crates/domain/tests/data/sweep.txt). Once every limit owed
/// so far is met, the store's `next_due` falls back to the next node, so the
/// sweep sees the track again in time.
#[tokio::test]
async fn continuing_matters_are_reminded_of_their_next_node() {
    use duban_domain::matter::{MatterType, Source};
    use duban_store::NewMatter;
    for store in fresh_stores("notify_continuing").await.unwrap() {
        let b = store.backend();
        let cal = store.calendar().await.unwrap();
        let energy = unit(&store, "市能源局").await;
        let head = user(
            &store,
            "head",
            Role::UnitHead,
            Some(energy),
            Some("head@energy.gov.cn"),
        )
        .await;
        let m = store
            .create_matter(
                None,
                NewMatter {
                    title: "推进抽水蓄能电站建设".into(),
                    detail: "全年持续推进，按季度报送进展。".into(),
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
                at("2024-01-15 09:00"),
                &cal,
            )
            .await
            .unwrap();
        let t = m.tracks[0].track.id;
        act(&store, &cal, t, Action::SignFor, "2024-01-15 10:00").await;
        act(
            &store,
            &cal,
            t,
            Action::Report {
                text: "已部署".into(),
            },
            "2024-01-17 10:00",
        )
        .await;
        let params = SweepParams::default();
        for d in ["2024-02-01", "2024-04-09", "2024-07-02"] {
            let r = sweep(&store, &cal, day(d), &params).await.unwrap();
            assert_eq!(r.queued, 0, "{b:?} {d}: {r:?}");
        }
        let r = sweep(&store, &cal, day("2024-07-03"), &params)
            .await
            .unwrap();
        assert_eq!((r.reminded, r.queued), (1, 1), "{b:?}: {r:?}");
        assert!(queued(&store).await.contains_key(&format!(
            "remind:{t}:node-2024-06-30:2024-07-05:email:{head}"
        )));
    }
}

#[tokio::test]
async fn tracks_the_calendar_cannot_decide_on_are_reported() {
    for store in fresh_stores("notify_blocked").await.unwrap() {
        let b = store.backend();
        // A calendar that refuses years without official data (the path a
        // year outside 1901–2099 takes); the provisional case is below.
        let cal = store.calendar().await.unwrap().strict();
        assert!(
            cal.year(2027).is_none(),
            "the shipped calendar ends in 2026"
        );
        let energy = unit(&store, "市能源局").await;
        user(
            &store,
            "head",
            Role::UnitHead,
            Some(energy),
            Some("head@energy.gov.cn"),
        )
        .await;
        // The first report falls in 2027, which nobody entered yet.
        let t = matter(
            &store,
            &cal,
            "年底前完成清理",
            vec![energy],
            vec![],
            "2026-12-30 09:00",
        )
        .await[0];
        let r = sweep(&store, &cal, day("2026-12-30"), &SweepParams::default())
            .await
            .unwrap();
        assert_eq!(r.error_count, 1, "{b:?} {r:?}");
        assert!(
            r.errors[0].contains(&format!("办理记录 {t}")),
            "{:?}",
            r.errors
        );
        assert!(r.errors[0].contains("2027"), "{:?}", r.errors);
        // What the calendar can decide is still reminded of: signing for is
        // due today.
        assert_eq!(r.queued, 1, "{b:?} {r:?}");
        let keys = queued(&store).await;
        assert!(
            keys.keys()
                .all(|k| k.starts_with(&format!("remind:{t}:deploy"))),
            "{keys:?}"
        );
        // With the provisional 2027 the sweep decides: no error, and the
        // first report (due 2027-01-05) is reminded of the working day
        // before, marked 暂定.
        let cal = store.calendar().await.unwrap();
        let r = sweep(&store, &cal, day("2027-01-04"), &SweepParams::default())
            .await
            .unwrap();
        assert_eq!(r.error_count, 0, "{b:?} {r:?}");
        let msgs = store.outbox_messages(0, 100).await.unwrap();
        let first = msgs
            .iter()
            .find(|m| m.key.starts_with(&format!("remind:{t}:first_report")))
            .expect("the first report reminded of");
        assert!(first.body.contains("（暂定）"), "{}", first.body);
    }
}
