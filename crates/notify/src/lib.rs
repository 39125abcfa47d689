//! Reminders (临近提醒), urgings (催办) and escalations (升级督办), queued once
//! and delivered by e-mail and webhook with retries.
//!
//! Two halves meet at the outbox table:
//!
//! - [`sweep()`] decides, for a day, which messages are owed (the rules are
//!   the domain's, [`duban_domain::sweep`]) and queues them. Every message
//!   has a key naming its situation, and the outbox refuses a key it holds,
//!   so sweeping again — the same day, the next day, on another server —
//!   queues nothing twice.
//! - [`deliver()`] claims due messages for one server, sends them
//!   ([`smtp`] with `lettre` over TLS, [`webhook`]) and marks them sent, or failed with an
//!   exponential back-off, giving up after ten attempts.
//!
//! [`run_periodic`] does both every interval inside `duban serve`;
//! `duban sweep` does them once. [`NotifyConfig`] is this crate's own
//! configuration, so it does not depend on the web layer.

pub mod deliver;
pub mod message;
pub mod smtp;
pub mod sweep;
mod tls;
pub mod webhook;

pub use deliver::{deliver, DeliveryReport, Senders};
pub use message::Email;
pub use smtp::{SmtpConfig, SmtpSender, Tls};
pub use sweep::{sweep, SweepParams, SweepReport};
pub use webhook::WebhookSender;

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::sweep::SweepRules;
use duban_store::Store;
use std::fmt;
use std::time::Duration;

/// Why a message could not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// Trying again will not help (the address was refused).
    pub permanent: bool,
}

impl SendError {
    pub fn transient(message: String) -> SendError {
        SendError {
            message,
            permanent: false,
        }
    }

    pub fn permanent(message: String) -> SendError {
        SendError {
            message,
            permanent: true,
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SendError {}

/// What the sweep and the sender need to know.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// `None`: no e-mail is queued or sent.
    pub smtp: Option<SmtpConfig>,
    /// A robot to post every notice to; `None`: none.
    pub webhook_url: Option<String>,
    /// This server's name in claims; distinct per server.
    pub server_name: String,
    /// Local time's offset from UTC, which decides what "today" is.
    pub utc_offset_hours: i32,
    /// Working days after a missed limit before it goes to the leaders.
    pub escalate_after: u32,
    /// How far ahead the sweep looks, in working days.
    pub horizon_days: u32,
    /// The time one send may take (SMTP exchange, webhook request).
    pub send_timeout: Duration,
    /// How long a claim holds.
    pub lease: Duration,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            smtp: None,
            webhook_url: None,
            server_name: "duban".into(),
            utc_offset_hours: 8,
            escalate_after: SweepRules::default().escalate_after,
            horizon_days: SweepParams::default().horizon_days,
            send_timeout: Duration::from_secs(30),
            lease: Duration::from_secs(600),
        }
    }
}

impl NotifyConfig {
    /// The local date at `now`.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        duban_domain::clock::LocalTime::new(self.utc_offset_hours).today(now)
    }

    /// The sweep's parameters: e-mail queued only when it can be sent.
    pub fn sweep_params(&self) -> SweepParams {
        SweepParams {
            rules: SweepRules {
                escalate_after: self.escalate_after,
            },
            email: self.smtp.is_some(),
            webhook: self.webhook_url.is_some(),
            horizon_days: self.horizon_days,
            ..SweepParams::default()
        }
    }

    /// The senders; an unusable mail configuration (sender address, TLS
    /// settings, CA file) or webhook URL is an error.
    pub fn senders(&self) -> Result<Senders, String> {
        let email = match self.smtp.clone() {
            Some(mut c) => {
                c.timeout = self.send_timeout;
                if c.helo.is_empty() {
                    c.helo = self.server_name.clone();
                }
                Some(SmtpSender::new(c)?)
            }
            None => None,
        };
        let webhook = match &self.webhook_url {
            Some(u) => Some(WebhookSender::new(u, self.send_timeout)?),
            None => None,
        };
        let mut s = Senders::new(email, webhook);
        s.send_timeout = self.send_timeout;
        s.lease = self.lease;
        Ok(s)
    }
}

/// Why a run failed as a whole.
#[derive(Debug)]
pub enum RunError {
    Store(duban_store::Error),
    Config(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Store(e) => write!(f, "{e}"),
            RunError::Config(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for RunError {}

impl From<duban_store::Error> for RunError {
    fn from(e: duban_store::Error) -> RunError {
        RunError::Store(e)
    }
}

/// One sweep for the local date at `now` (on the calendar the store holds),
/// then one delivery of everything due, including what the sweep queued.
pub async fn run_once(
    store: &Store,
    config: &NotifyConfig,
    now: DateTime<Utc>,
) -> Result<(SweepReport, DeliveryReport), RunError> {
    let senders = config.senders().map_err(RunError::Config)?;
    run_with(store, config, &senders, now).await
}

async fn run_with(
    store: &Store,
    config: &NotifyConfig,
    senders: &Senders,
    now: DateTime<Utc>,
) -> Result<(SweepReport, DeliveryReport), RunError> {
    let cal = store.calendar().await?;
    let swept = sweep(store, &cal, config.today(now), &config.sweep_params()).await?;
    // What the sweep just queued is due from the moment it was queued.
    let delivered = deliver(store, senders, &config.server_name, now.max(Utc::now())).await?;
    Ok((swept, delivered))
}

/// Runs [`run_once`] now and then every `interval`, logging what each run
/// did; a failed run is logged and the next one goes ahead. The senders are
/// made once (an unusable configuration is logged and nothing runs). Abort
/// the handle to stop.
pub fn run_periodic(
    store: Store,
    config: NotifyConfig,
    interval: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let senders = match config.senders() {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "the periodic sweep is off");
                return;
            }
        };
        let mut tick = tokio::time::interval(interval.max(Duration::from_secs(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_with(&store, &config, &senders, Utc::now()).await {
                Ok((s, d)) => {
                    if s.error_count > 0 {
                        tracing::warn!(errors = ?s.errors, "sweep could not decide on some tracks");
                    }
                    tracing::info!(
                        tracks = s.tracks,
                        reminded = s.reminded,
                        urged = s.urged,
                        escalated = s.escalated,
                        queued = s.queued,
                        sent = d.sent,
                        retrying = d.retrying,
                        gave_up = d.gave_up,
                        "sweep done"
                    );
                }
                Err(e) => tracing::error!(error = %e, "sweep failed"),
            }
        }
    })
}
