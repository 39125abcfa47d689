//! Two servers on one database, each sweeping and delivering from several
//! tasks at once, several times over, while the sinks fail now and then:
//! every message reaches its sink exactly once.
//!
//! On PostgreSQL the two servers are two separate pools (`Store::open`
//! twice on the same database), as two machines would be. SQLite is a
//! single-server database (one process holds the write lock), so there the
//! two "servers" share one pool under different names; claims are still
//! contended by six tasks.

mod common;

use chrono::{Duration as ChronoDuration, Utc};
use common::*;
use duban_domain::org::Role;
use duban_notify::{deliver, sweep, Senders, SmtpConfig, SmtpSender, SweepParams, WebhookSender};
use duban_store::testing::fresh_databases;
use duban_store::Store;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

const DAYS: [&str; 4] = ["2024-09-26", "2024-09-27", "2024-09-30", "2024-10-09"];

async fn world(store: &Store) {
    let cal = store.calendar().await.unwrap();
    let names = ["市能源局", "市交通运输局", "市水务局", "市住房和城乡建设局"];
    let mut units = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let u = unit(store, n).await;
        user(
            store,
            &format!("head{i}"),
            Role::UnitHead,
            Some(u),
            Some(&format!("head{i}@gov.cn")),
        )
        .await;
        user(
            store,
            &format!("liaison{i}"),
            Role::Liaison,
            Some(u),
            Some(&format!("liaison{i}@gov.cn")),
        )
        .await;
        units.push(u);
    }
    let l1 = user(store, "leader1", Role::Leader, None, Some("leader1@gov.cn")).await;
    let l2 = user(store, "leader2", Role::Leader, None, Some("leader2@gov.cn")).await;
    store.set_leader_units(None, l1, &units[..2]).await.unwrap();
    store.set_leader_units(None, l2, &units[1..]).await.unwrap();
    for i in 0..8 {
        let when = if i % 2 == 0 {
            "2024-09-26 09:00"
        } else {
            "2024-09-27 09:00"
        };
        matter(
            store,
            &cal,
            &format!("第{}项重点工作", i + 1),
            vec![units[i % 4]],
            vec![units[(i + 1) % 4]],
            when,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_deliver_every_message_exactly_once() {
    for url in fresh_databases("notify_once").await {
        let a = Store::open(&url).await.unwrap();
        let b = if url.starts_with("postgres") {
            Store::open(&url).await.unwrap()
        } else {
            a.clone()
        };
        let backend = a.backend();
        world(&a).await;
        let mail = SmtpSink::start(None).await;
        let robot = HttpSink::start().await;
        mail.fail_data.store(3, Ordering::SeqCst);
        robot.fail_next.store(3, Ordering::SeqCst);
        let senders = Senders::new(
            Some(
                SmtpSender::new(SmtpConfig {
                    from: "duban@gov.cn".into(),
                    helo: "duban".into(),
                    timeout: Duration::from_secs(20),
                    ..mail.config()
                })
                .unwrap(),
            ),
            Some(WebhookSender::new(&robot.url(), Duration::from_secs(20)).unwrap()),
        );
        // Small batches: many claims, contended.
        let senders = Senders {
            batch: 4,
            ..senders
        };
        let params = SweepParams {
            webhook: true,
            page: 3,
            ..SweepParams::default()
        };

        // Six tasks, three per server, each sweeping the four days in its
        // own order and delivering after every sweep.
        let mut tasks = Vec::new();
        for (store, server) in [(a.clone(), "server-a"), (b.clone(), "server-b")] {
            for j in 0..3 {
                let (store, senders) = (store.clone(), senders.clone());
                tasks.push(tokio::spawn(async move {
                    let cal = store.calendar().await.unwrap();
                    let mut sent = 0;
                    for round in 0..DAYS.len() * 2 {
                        let d = day(DAYS[(round / 2 + j) % DAYS.len()]);
                        sweep(&store, &cal, d, &params).await.unwrap();
                        let r = deliver(&store, &senders, server, Utc::now()).await.unwrap();
                        assert_eq!(r.lost, 0, "{r:?}");
                        sent += r.sent;
                    }
                    sent
                }));
            }
        }
        let mut sent_by_tasks = 0;
        for t in tasks {
            sent_by_tasks += t.await.unwrap();
        }

        // Whatever failed is retried later; both servers drain, the clock
        // moved on past the back-off each time, for a bounded number of
        // rounds.
        let mut late = 0;
        for k in 1..=20 {
            let status = a.outbox_status(Utc::now()).await.unwrap();
            if status.pending == 0 {
                break;
            }
            let now = Utc::now() + ChronoDuration::hours(2 * k);
            for (s, name) in [(&a, "server-a"), (&b, "server-b")] {
                late += deliver(s, &senders, name, now).await.unwrap().sent;
            }
        }

        // Sweeping every day once more queues nothing: the concurrent run
        // queued everything there was.
        let cal = a.calendar().await.unwrap();
        for d in DAYS {
            let r = sweep(&a, &cal, day(d), &params).await.unwrap();
            assert_eq!(r.queued, 0, "{backend:?} {d}: {r:?}");
        }

        let rows = a.outbox_messages(0, 100_000).await.unwrap();
        let status = a.outbox_status(Utc::now()).await.unwrap();
        assert_eq!((status.pending, status.failed), (0, 0), "{backend:?}");
        assert_eq!(status.sent as usize, rows.len());
        assert_eq!((sent_by_tasks + late) as usize, rows.len(), "{backend:?}");
        assert!(
            rows.len() >= 100,
            "{backend:?}: only {} messages",
            rows.len()
        );
        assert!(mail.refused_data.load(Ordering::SeqCst) == 3);

        let mut got: BTreeMap<String, usize> = BTreeMap::new();
        for m in mail.mails() {
            *got.entry(m.key().to_string()).or_default() += 1;
        }
        for p in robot.accepted() {
            *got.entry(p.key().to_string()).or_default() += 1;
        }
        let twice: Vec<(&String, &usize)> = got.iter().filter(|(_, n)| **n != 1).collect();
        assert!(
            twice.is_empty(),
            "{backend:?}: delivered more than once: {twice:?}"
        );
        let mut want: Vec<&str> = rows.iter().map(|m| m.key.as_str()).collect();
        want.sort();
        assert_eq!(
            got.keys().map(String::as_str).collect::<Vec<_>>(),
            want,
            "{backend:?}"
        );
        for m in &rows {
            assert!(
                matches!(m.claimed_by.as_deref(), Some("server-a" | "server-b")),
                "{:?}",
                m.claimed_by
            );
        }
        let by_a = rows
            .iter()
            .filter(|m| m.claimed_by.as_deref() == Some("server-a"))
            .count();
        eprintln!(
            "{backend:?}: {} messages, {by_a} sent by server-a, {} by server-b, {late} after the back-off",
            rows.len(),
            rows.len() - by_a
        );
        a.close().await;
        b.close().await;
    }
}
