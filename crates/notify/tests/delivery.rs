//! Delivery through real sinks on 127.0.0.1: an SMTP server (offering
//! STARTTLS with a certificate of an internal CA the sender is told to
//! trust) and an HTTP robot, written here. Texts decode back to the Chinese queued; a sink that
//! fails first is retried after the back-off and then succeeds; a refused
//! recipient and a dead server are given up on, visibly.

mod common;

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use common::*;
use duban_domain::org::Role;
use duban_notify::{deliver, sweep, Senders, SmtpConfig, SmtpSender, SweepParams, WebhookSender};
use duban_store::outbox::{backoff, Message, MAX_ATTEMPTS};
use duban_store::testing::fresh_stores;
use duban_store::{from_micros, micros, Store};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn smtp(sink: &SmtpSink) -> SmtpSender {
    SmtpSender::new(sink.config()).unwrap()
}

/// Times as stored (microseconds), so they compare with what reads back.
fn stored(t: DateTime<Utc>) -> DateTime<Utc> {
    from_micros(micros(t))
}

async fn messages(store: &Store) -> BTreeMap<String, Message> {
    store
        .outbox_messages(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.key.clone(), m))
        .collect()
}

/// A unit with a head, its leader, and one matter two working days late on
/// 2024-09-30: a reminder, an urging and an escalation, each by e-mail and
/// webhook.
async fn six_messages(store: &Store) {
    let cal = store.calendar().await.unwrap();
    let energy = unit(store, "市能源局").await;
    user(
        store,
        "head",
        Role::UnitHead,
        Some(energy),
        Some("head@energy.gov.cn"),
    )
    .await;
    let leader = user(store, "leader", Role::Leader, None, Some("leader@gov.cn")).await;
    store
        .set_leader_units(None, leader, &[energy])
        .await
        .unwrap();
    matter(
        store,
        &cal,
        "推进充电桩建设",
        vec![energy],
        vec![],
        "2024-09-27 09:00",
    )
    .await;
    let params = SweepParams {
        webhook: true,
        ..SweepParams::default()
    };
    let r = sweep(store, &cal, day("2024-09-30"), &params)
        .await
        .unwrap();
    assert_eq!(r.queued, 6, "{r:?}");
}

#[tokio::test]
async fn failing_sinks_are_retried_with_back_off_then_succeed() {
    for store in fresh_stores("notify_delivery").await.unwrap() {
        let b = store.backend();
        six_messages(&store).await;
        let mail = SmtpSink::start(Some(("duban", "s3cret"))).await;
        let robot = HttpSink::start().await;
        mail.fail_data.store(1, Ordering::SeqCst);
        robot.fail_next.store(2, Ordering::SeqCst);
        let senders = Senders::new(
            Some(smtp(&mail)),
            Some(WebhookSender::new(&robot.url(), Duration::from_secs(10)).unwrap()),
        );
        let t0 = Utc::now();

        // First round: one e-mail and two posts fail.
        let r = deliver(&store, &senders, "alpha", t0).await.unwrap();
        assert_eq!(
            (r.claimed, r.sent, r.retrying, r.gave_up, r.lost),
            (6, 3, 3, 0, 0),
            "{b:?} {r:?}"
        );
        let ms = messages(&store).await;
        let failed: Vec<&Message> = ms.values().filter(|m| m.sent_at.is_none()).collect();
        assert_eq!(failed.len(), 3);
        for m in &failed {
            assert_eq!(m.attempts, 1, "{}", m.key);
            assert_eq!(
                m.next_attempt_at,
                stored(t0) + ChronoDuration::minutes(1),
                "{}",
                m.key
            );
            assert_eq!(m.claimed_by, None);
            let e = m.last_error.as_deref().unwrap_or("");
            match m.channel.as_str() {
                "email" => assert!(e.contains("451"), "{e}"),
                _ => assert!(e.contains("HTTP 500"), "{e}"),
            }
            // The robot's token is not written into the error.
            assert!(!e.contains("t0ken"), "{e}");
        }
        for m in ms.values().filter(|m| m.sent_at.is_some()) {
            assert_eq!(m.claimed_by.as_deref(), Some("alpha"));
            assert_eq!(m.attempts, 0);
        }
        let status = store.outbox_status(t0).await.unwrap();
        assert_eq!(
            (status.pending, status.retrying, status.sent, status.failed),
            (3, 3, 3, 0)
        );

        // Not yet due half a minute on.
        let r = deliver(&store, &senders, "alpha", t0 + ChronoDuration::seconds(30))
            .await
            .unwrap();
        assert_eq!(r.claimed, 0, "{b:?} {r:?}");

        // A minute on: the e-mail goes; the robot fails once more, so one
        // post fails a second time and waits two minutes.
        robot.fail_next.store(1, Ordering::SeqCst);
        let t1 = t0 + ChronoDuration::seconds(61);
        let r = deliver(&store, &senders, "alpha", t1).await.unwrap();
        assert_eq!((r.claimed, r.sent, r.retrying), (3, 2, 1), "{b:?} {r:?}");
        let again: Vec<Message> = messages(&store)
            .await
            .into_values()
            .filter(|m| m.sent_at.is_none())
            .collect();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].attempts, 2);
        assert_eq!(
            again[0].next_attempt_at,
            stored(t1) + ChronoDuration::minutes(2)
        );
        let r = deliver(&store, &senders, "alpha", t1 + ChronoDuration::seconds(119))
            .await
            .unwrap();
        assert_eq!(r.claimed, 0, "{b:?} {r:?}");
        let r = deliver(&store, &senders, "alpha", t1 + ChronoDuration::seconds(121))
            .await
            .unwrap();
        assert_eq!((r.claimed, r.sent), (1, 1), "{b:?} {r:?}");
        let status = store.outbox_status(t1).await.unwrap();
        assert_eq!(
            (status.pending, status.sent, status.failed),
            (0, 6, 0),
            "{b:?}"
        );

        // What arrived: each message once, reading back as queued.
        let ms = messages(&store).await;
        let mails = mail.mails();
        assert_eq!(mails.len(), 3, "{b:?}");
        assert_eq!(mail.refused_data.load(Ordering::SeqCst), 1);
        for got in &mails {
            let m = ms
                .get(got.key())
                .unwrap_or_else(|| panic!("unknown key {:?}", got.key()));
            assert_eq!(m.channel, "email");
            assert_eq!(got.rcpt_to, vec![m.recipient.clone()]);
            assert_eq!(got.mail_from, "duban@gov.cn");
            assert_eq!(got.auth_user.as_deref(), Some("duban"));
            assert!(got.encrypted, "sent after STARTTLS");
            assert_eq!(got.ehlo.as_deref(), Some("duban-test"));
            assert_eq!(got.subject, m.subject);
            assert_eq!(got.body, m.body);
            assert_eq!(decode_header(&got.headers["from"]), "督查室 <duban@gov.cn>");
            assert_eq!(got.headers["to"], m.recipient);
            assert!(got.headers["message-id"].starts_with('<'));
            // Nothing but ASCII on the wire.
            assert!(got.raw.is_ascii());
        }
        let mut subjects: Vec<(String, String)> = mails
            .iter()
            .map(|m| (m.rcpt_to[0].clone(), m.subject.clone()))
            .collect();
        subjects.sort();
        assert_eq!(
            subjects,
            [
                (
                    "head@energy.gov.cn".to_string(),
                    "【临近提醒】推进充电桩建设".to_string()
                ),
                (
                    "head@energy.gov.cn".to_string(),
                    "【催办】推进充电桩建设".to_string()
                ),
                (
                    "leader@gov.cn".to_string(),
                    "【升级督办】市能源局：推进充电桩建设".to_string()
                ),
            ]
        );
        let urge = mails
            .iter()
            .find(|m| m.subject.starts_with("【催办】"))
            .unwrap();
        assert_eq!(
            urge.body,
            "市能源局：\n督办事项“推进充电桩建设”（普通事项，牵头单位）的签收部署时限为2024年9月27日，现已逾期2个工作日，尚未签收部署。请立即签收并报送部署情况，并说明逾期原因。逾期仍未办理的，将报请分管领导督办。"
        );

        let posts = robot.accepted();
        assert_eq!(posts.len(), 3, "{b:?}");
        assert_eq!(robot.posts.lock().unwrap().len(), 6);
        let mut keys: Vec<&str> = posts.iter().map(|p| p.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 3);
        for p in &posts {
            let m = &ms[p.key()];
            assert_eq!(m.channel, "webhook");
            assert_eq!(p.path, "/robot/send?access_token=t0ken");
            assert_eq!(p.json["msgtype"], "text");
            assert_eq!(p.content(), format!("{}\n{}", m.subject, m.body));
            assert!(p.headers["content-type"].starts_with("application/json"));
        }
        assert!(posts.iter().any(|p| p
            .content()
            .starts_with("【升级督办】市能源局：推进充电桩建设\n市能源局承办的")));
    }
}

#[tokio::test]
async fn a_refused_recipient_is_given_up_at_once_and_stays_visible() {
    for store in fresh_stores("notify_refused").await.unwrap() {
        let b = store.backend();
        six_messages(&store).await;
        let mail = SmtpSink::start(None).await;
        mail.refuse.lock().unwrap().insert("leader@gov.cn".into());
        let senders = Senders::new(Some(smtp(&mail)), None);
        let t0 = Utc::now();
        let r = deliver(&store, &senders, "alpha", t0).await.unwrap();
        // Only e-mail is claimed: this server has no robot.
        assert_eq!(
            (r.claimed, r.sent, r.gave_up, r.retrying),
            (3, 2, 1, 0),
            "{b:?} {r:?}"
        );
        let status = store.outbox_status(t0).await.unwrap();
        assert_eq!(
            (status.pending, status.sent, status.failed),
            (3, 2, 1),
            "{b:?}"
        );
        let gone = messages(&store)
            .await
            .into_values()
            .find(|m| m.recipient == "leader@gov.cn")
            .unwrap();
        assert!(gone.failed());
        assert_eq!(gone.attempts, MAX_ATTEMPTS);
        assert!(
            gone.last_error.as_deref().unwrap_or("").contains("550"),
            "{:?}",
            gone.last_error
        );
        // Never claimed again, however late.
        let r = deliver(&store, &senders, "alpha", t0 + ChronoDuration::days(2))
            .await
            .unwrap();
        assert_eq!(r.claimed, 0);
        // An admin may give it another round.
        assert!(store.retry_message(gone.id, t0).await.unwrap());
        mail.refuse.lock().unwrap().clear();
        let r = deliver(&store, &senders, "alpha", t0).await.unwrap();
        assert_eq!(r.sent, 1, "{b:?} {r:?}");
        assert_eq!(mail.mails().len(), 3);
    }
}

#[tokio::test]
async fn a_dead_server_is_given_up_after_ten_attempts_with_doubling_waits() {
    for store in fresh_stores("notify_dead").await.unwrap() {
        let b = store.backend();
        six_messages(&store).await;
        // A port nobody listens on.
        let addr = {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            l.local_addr().unwrap()
        };
        let sender = SmtpSender::new(SmtpConfig {
            host: addr.ip().to_string(),
            port: addr.port(),
            from: "duban@gov.cn".into(),
            ..SmtpConfig::default()
        })
        .unwrap();
        let senders = Senders::new(Some(sender), None);
        let mut now = Utc::now();
        let mut waits = Vec::new();
        for attempt in 1..=MAX_ATTEMPTS {
            let r = deliver(&store, &senders, "alpha", now).await.unwrap();
            assert_eq!(r.claimed, 3, "{b:?} attempt {attempt}: {r:?}");
            let ms: Vec<Message> = messages(&store)
                .await
                .into_values()
                .filter(|m| m.channel == "email")
                .collect();
            for m in &ms {
                assert_eq!(m.attempts, attempt);
                assert!(m
                    .last_error
                    .as_deref()
                    .unwrap_or("")
                    .contains("无法连接邮件服务器"));
            }
            if attempt < MAX_ATTEMPTS {
                assert_eq!(r.retrying, 3);
                let wait = ms[0].next_attempt_at - stored(now);
                assert_eq!(wait, ChronoDuration::from_std(backoff(attempt)).unwrap());
                waits.push(wait.num_minutes());
                // Just before the wait is over nothing is due.
                let early = deliver(
                    &store,
                    &senders,
                    "alpha",
                    ms[0].next_attempt_at - ChronoDuration::seconds(1),
                )
                .await
                .unwrap();
                assert_eq!(early.claimed, 0);
                now = ms[0].next_attempt_at;
            } else {
                assert_eq!(r.gave_up, 3);
            }
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        let status = store.outbox_status(now).await.unwrap();
        assert_eq!((status.failed, status.pending), (3, 3), "{b:?}");
        let r = deliver(&store, &senders, "alpha", now + ChronoDuration::days(1))
            .await
            .unwrap();
        assert_eq!(r.claimed, 0);
    }
}

#[tokio::test]
async fn claims_are_exclusive_until_the_lease_runs_out() {
    for store in fresh_stores("notify_lease").await.unwrap() {
        let b = store.backend();
        six_messages(&store).await;
        let t0 = Utc::now();
        let lease = Duration::from_secs(300);
        let a = store.claim("a", &[], 4, t0, lease).await.unwrap();
        assert_eq!(a.len(), 4);
        assert!(a.iter().all(|m| m.claimed_by.as_deref() == Some("a")));
        let bb = store.claim("b", &[], 10, t0, lease).await.unwrap();
        assert_eq!(bb.len(), 2, "{b:?}");
        assert!(store
            .claim("c", &[], 10, t0, lease)
            .await
            .unwrap()
            .is_empty());
        // Only the holder marks.
        assert!(!store.mark_sent(a[0].id, "b", t0).await.unwrap());
        assert!(store.mark_sent(a[0].id, "a", t0).await.unwrap());
        assert!(!store.mark_sent(a[0].id, "a", t0).await.unwrap());
        // After the lease, the rest of a's claim goes to c; a can no longer mark.
        let later = t0 + ChronoDuration::seconds(301);
        let c = store.claim("c", &[], 10, later, lease).await.unwrap();
        assert_eq!(c.len(), 5, "{b:?}");
        assert_eq!(
            store
                .mark_failed(a[1].id, "a", "late", later, false)
                .await
                .unwrap(),
            duban_store::outbox::Failure::NotHeld
        );
        let status = store.outbox_status(later).await.unwrap();
        assert_eq!((status.claimed, status.sent, status.pending), (5, 1, 5));
    }
}

#[tokio::test]
async fn the_periodic_run_queues_and_sends_on_its_own() {
    for store in fresh_stores("notify_periodic").await.unwrap() {
        let b = store.backend();
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
        // Assigned today (local time): due today, a reminder is owed.
        let config = duban_notify::NotifyConfig {
            webhook_url: None,
            server_name: "solo".into(),
            ..duban_notify::NotifyConfig::default()
        };
        let today = config.today(Utc::now());
        let when = format!("{today} 00:00");
        matter(&store, &cal, "推进充电桩建设", vec![energy], vec![], &when).await;
        let mail = SmtpSink::start(None).await;
        let config = duban_notify::NotifyConfig {
            smtp: Some(SmtpConfig {
                from: "duban@gov.cn".into(),
                helo: String::new(),
                ..mail.config()
            }),
            ..config
        };
        let handle =
            duban_notify::run_periodic(store.clone(), config.clone(), Duration::from_secs(3600));
        let (ok, n) = eventually(Duration::from_secs(20), || async {
            (!mail.mails().is_empty(), mail.mails().len())
        })
        .await;
        handle.abort();
        assert!(ok, "{b:?}: {n} mails");
        let got = mail.mails();
        assert_eq!(got.len(), 1, "{b:?}");
        assert_eq!(got[0].subject, "【临近提醒】推进充电桩建设");
        assert_eq!(got[0].ehlo.as_deref(), Some("solo"));
        assert!(got[0].body.contains("今日到期"), "{}", got[0].body);
        // Once more by hand: nothing new, nothing sent twice.
        let (s, d) = duban_notify::run_once(&store, &config, Utc::now())
            .await
            .unwrap();
        assert_eq!((s.queued, d.sent), (0, 0), "{b:?}");
        assert_eq!(mail.mails().len(), 1);
    }
}
