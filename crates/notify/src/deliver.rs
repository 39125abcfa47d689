//! The sender: claims due messages from the outbox for this server, sends
//! each through its channel, and records the outcome (sent, retried later,
//! or given up). Several servers may deliver from one database at once: a
//! claimed message belongs to one server until its lease runs out.

use crate::message::Email;
use crate::smtp::SmtpSender;
use crate::webhook::WebhookSender;
use crate::SendError;
use chrono::{DateTime, Utc};
use duban_store::outbox::{Failure, Message};
use duban_store::Store;
use serde::Serialize;
use std::time::{Duration, Instant};

/// The channels a server can send on.
#[derive(Debug, Clone)]
pub struct Senders {
    pub email: Option<SmtpSender>,
    pub webhook: Option<WebhookSender>,
    /// Messages claimed at a time.
    pub batch: i64,
    /// How long a claim holds; well above the time a batch takes.
    pub lease: Duration,
    /// The longest one send may take (the senders' own timeouts); a batch
    /// stops sending when its lease has less than this left, and the rest
    /// of it is claimed again when the lease runs out.
    pub send_timeout: Duration,
    /// Batches per call, so one call ends even while new messages arrive.
    pub max_batches: u32,
}

impl Senders {
    pub fn new(email: Option<SmtpSender>, webhook: Option<WebhookSender>) -> Senders {
        Senders {
            email,
            webhook,
            batch: 50,
            lease: Duration::from_secs(600),
            send_timeout: Duration::from_secs(30),
            max_batches: 100,
        }
    }

    /// The channels this server can send on.
    pub fn channels(&self) -> Vec<&'static str> {
        let mut c = Vec::new();
        if self.email.is_some() {
            c.push("email");
        }
        if self.webhook.is_some() {
            c.push("webhook");
        }
        c
    }

    async fn send(&self, m: &Message) -> Result<(), SendError> {
        match m.channel.as_str() {
            "email" => match &self.email {
                Some(s) => {
                    s.send(&Email {
                        to: &m.recipient,
                        subject: &m.subject,
                        body: &m.body,
                        key: &m.key,
                    })
                    .await
                }
                None => Err(SendError::transient(
                    "本服务器未配置邮件发送（smtp）".into(),
                )),
            },
            "webhook" => match &self.webhook {
                Some(s) => s.send(&m.key, &format!("{}\n{}", m.subject, m.body)).await,
                None => Err(SendError::transient("本服务器未配置 webhook_url".into())),
            },
            other => Err(SendError::permanent(format!("未知的发送渠道“{other}”"))),
        }
    }
}

impl Default for Senders {
    /// No channel, and the default batch, lease and timeouts.
    fn default() -> Senders {
        Senders::new(None, None)
    }
}

/// What a delivery run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    pub claimed: u64,
    pub sent: u64,
    /// Failed this time, to be tried again later.
    pub retrying: u64,
    /// Failed for good (too many attempts, or refused permanently).
    pub gave_up: u64,
    /// Sent or failed after this server's lease ran out: another server
    /// may have the message now.
    pub lost: u64,
    /// Claimed but not tried because the lease was running out.
    pub deferred: u64,
    /// The first errors, for the log.
    pub errors: Vec<String>,
}

/// Claims and sends due messages as `server`, at `now` (the time claims,
/// leases and back-off count from), batch after batch until none is due.
/// Only the channels `senders` has are claimed.
pub async fn deliver(
    store: &Store,
    senders: &Senders,
    server: &str,
    now: DateTime<Utc>,
) -> duban_store::Result<DeliveryReport> {
    let mut report = DeliveryReport::default();
    let channels = senders.channels();
    if channels.is_empty() {
        return Ok(report);
    }
    let lease = senders.lease.max(senders.send_timeout * 2);
    for _ in 0..senders.max_batches.max(1) {
        let batch = store
            .claim(server, &channels, senders.batch.max(1), now, lease)
            .await?;
        if batch.is_empty() {
            break;
        }
        let started = Instant::now();
        report.claimed += batch.len() as u64;
        for m in &batch {
            if started.elapsed() + senders.send_timeout >= lease {
                report.deferred += 1;
                continue;
            }
            match senders.send(m).await {
                Ok(()) => {
                    if store.mark_sent(m.id, server, now).await? {
                        report.sent += 1;
                    } else {
                        report.lost += 1;
                        tracing::warn!(key = %m.key, "sent after the lease ran out");
                    }
                }
                Err(e) => {
                    tracing::info!(key = %m.key, error = %e.message, "send failed");
                    if report.errors.len() < 20 {
                        report.errors.push(format!("{}：{}", m.key, e.message));
                    }
                    match store
                        .mark_failed(m.id, server, &e.message, now, e.permanent)
                        .await?
                    {
                        Failure::Retry(_) => report.retrying += 1,
                        Failure::GaveUp => report.gave_up += 1,
                        Failure::NotHeld => report.lost += 1,
                    }
                }
            }
        }
    }
    Ok(report)
}
