//! The sweep: finds the open tracks near or past a limit, asks the domain
//! what to say ([`duban_domain::sweep::notices`]), works out who hears it,
//! and queues one message per recipient and channel in the outbox.
//!
//! It also tells units whose limits a change of the holiday calendar moved
//! (the messages the change left in `limit_moves`), on the same channels to
//! the same people as a reminder, keyed `moved:{id}:…`.
//!
//! Recipients: reminders and urgings go to the unit's 第一责任人 and 联络员
//! (active, with an e-mail address); escalations go to the leaders who
//! oversee the unit (active, with an e-mail address). With a webhook
//! configured, every notice also goes to the robot once. Message keys are
//! the notice's key plus the channel: `{key}:email:{user id}` and
//! `{key}:webhook`, so a recipient added later still hears of a limit that
//! is still open, and nobody hears of one twice.

use chrono::{Days, NaiveDate, Utc};
use duban_domain::calendar::Calendar;
use duban_domain::matter::UnitId;
use duban_domain::org::{Role, User, UserId};
use duban_domain::sweep::{notices, About, Notice, NoticeKind, SweepRules};
use duban_store::outbox::{NewMessage, SweepCursor};
use duban_store::Store;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// How a sweep runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepParams {
    pub rules: SweepRules,
    /// Queue e-mail (only when a server can send it).
    pub email: bool,
    /// Queue one webhook message per notice.
    pub webhook: bool,
    /// How far ahead to look for limits, in working days (and at least as
    /// many calendar days): at least the largest `near_days` of any matter
    /// type in use. A larger value only reads more tracks.
    pub horizon_days: u32,
    /// Tracks read per page.
    pub page: i64,
    /// Tracks whose stored next limit is refreshed before the sweep.
    pub refresh_batch: i64,
}

impl Default for SweepParams {
    fn default() -> Self {
        SweepParams {
            rules: SweepRules::default(),
            email: true,
            webhook: false,
            horizon_days: 5,
            page: 500,
            refresh_batch: 10_000,
        }
    }
}

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub today: Option<NaiveDate>,
    /// Tracks looked at.
    pub tracks: u64,
    /// Notices the domain gave, new or not.
    pub notices: u64,
    /// Notices of each kind with at least one message queued by this sweep.
    pub reminded: u64,
    pub urged: u64,
    pub escalated: u64,
    /// Units told that a change of the holiday calendar moved their limits.
    pub moved: u64,
    /// Documents in force whose stated term ends within 30 days, of which
    /// the office was told by this sweep.
    pub expiring: u64,
    /// Messages queued by this sweep.
    pub queued: u64,
    /// Notices nobody could be told of (no recipient with an address, no
    /// webhook); they are queued by a later sweep once someone can be.
    pub unaddressed: u64,
    /// Tracks the sweep could not decide on (a calendar year missing, say),
    /// with the reason; the first 50.
    pub errors: Vec<String>,
    pub error_count: u64,
}

impl SweepReport {
    fn error(&mut self, e: String) {
        self.error_count += 1;
        if self.errors.len() < 50 {
            self.errors.push(e);
        }
    }
}

/// Who hears what, loaded once per sweep.
struct Audience {
    /// Unit → (user, address) of its heads and liaisons.
    unit: HashMap<UnitId, Vec<(UserId, String)>>,
    /// The 督查室's staff (office and admins) with an address.
    office: Vec<(UserId, String)>,
    /// Unit → its overseeing leaders with an address; filled as needed.
    leaders: HashMap<UnitId, Vec<(UserId, String)>>,
}

fn address(u: &User) -> Option<String> {
    u.email
        .as_deref()
        .map(str::trim)
        .filter(|e| u.active && !e.is_empty())
        .map(String::from)
}

impl Audience {
    async fn load(store: &Store) -> duban_store::Result<Audience> {
        let mut unit: HashMap<UnitId, Vec<(UserId, String)>> = HashMap::new();
        let mut office = Vec::new();
        for u in store.users().await? {
            if matches!(u.role, Role::Office | Role::Admin) {
                office.extend(address(&u).map(|a| (u.id, a)));
                continue;
            }
            if !matches!(u.role, Role::UnitHead | Role::Liaison) {
                continue;
            }
            if let (Some(unit_id), Some(a)) = (u.unit_id, address(&u)) {
                unit.entry(unit_id).or_default().push((u.id, a));
            }
        }
        Ok(Audience {
            unit,
            office,
            leaders: HashMap::new(),
        })
    }

    async fn of(
        &mut self,
        store: &Store,
        n: &Notice,
    ) -> duban_store::Result<Vec<(UserId, String)>> {
        if !n.kind.to_leaders() {
            return Ok(self.unit.get(&n.unit).cloned().unwrap_or_default());
        }
        if let Some(l) = self.leaders.get(&n.unit) {
            return Ok(l.clone());
        }
        let l: Vec<(UserId, String)> = store
            .leaders_of(n.unit)
            .await?
            .iter()
            .filter_map(|u| address(u).map(|a| (u.id, a)))
            .collect();
        self.leaders.insert(n.unit, l.clone());
        Ok(l)
    }
}

/// The last day the sweep looks ahead to.
fn horizon(cal: &Calendar, today: NaiveDate, days: u32) -> NaiveDate {
    let by_calendar = today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(today);
    match cal.add_working_days(today, days) {
        Ok(d) => d.max(by_calendar),
        // A year not covered: look further rather than miss a limit.
        Err(_) => today
            .checked_add_days(Days::new(u64::from(days) * 3 + 14))
            .unwrap_or(by_calendar),
    }
}

/// The messages for one notice.
fn messages(n: &Notice, to: &[(UserId, String)], params: &SweepParams) -> Vec<NewMessage> {
    let mut out = Vec::new();
    let message = |channel: &str, key: String, recipient: String| NewMessage {
        key,
        kind: n.kind.code().to_string(),
        channel: channel.to_string(),
        recipient,
        subject: n.subject.clone(),
        body: n.body.clone(),
    };
    if params.email {
        for (id, a) in to {
            out.push(message("email", format!("{}:email:{id}", n.key), a.clone()));
        }
    }
    if params.webhook {
        out.push(message(
            "webhook",
            format!("{}:webhook", n.key),
            "webhook".to_string(),
        ));
    }
    out
}

/// Runs one sweep for `today`: refreshes the stored next limits, then reads
/// the candidate tracks a page at a time and queues what is new. A track
/// the domain cannot decide on is reported and skipped; a store error
/// stops the sweep (what was queued stays queued; the next sweep goes on
/// where this one could not).
pub async fn sweep(
    store: &Store,
    cal: &Calendar,
    today: NaiveDate,
    params: &SweepParams,
) -> duban_store::Result<SweepReport> {
    let mut report = SweepReport {
        today: Some(today),
        ..SweepReport::default()
    };
    store.refresh_due(today, cal, params.refresh_batch).await?;
    // Tracks whose limits the calendar cannot give are not candidates
    // (they have no next limit); say so rather than pass over them.
    let (blocked, first) = store.sweep_blocked(50).await?;
    report.error_count += u64::try_from(blocked).unwrap_or(0);
    for (id, unit, title, why) in first {
        report
            .errors
            .push(format!("办理记录 {id}（{unit}，“{title}”）：{why}"));
    }
    let mut audience = Audience::load(store).await?;
    let due_by = horizon(cal, today, params.horizon_days);
    let mut cursor = SweepCursor::default();
    loop {
        let (page, next) = store.sweep_candidates(due_by, cursor, params.page).await?;
        let mut batch = Vec::new();
        let mut page_notices: Vec<(NoticeKind, Vec<String>)> = Vec::new();
        for c in &page {
            report.tracks += 1;
            let about = About {
                title: &c.title,
                unit_name: &c.unit_name,
            };
            let ns = match notices(&c.track, &c.matter_type, about, cal, today, params.rules) {
                Ok(ns) => ns,
                Err(e) => {
                    // Counted with the blocked tracks already.
                    if !c.due_error {
                        report.error(format!(
                            "办理记录 {}（{}，“{}”）：{e}",
                            c.track.id, c.unit_name, c.title
                        ));
                    }
                    continue;
                }
            };
            for n in ns {
                report.notices += 1;
                let to = audience.of(store, &n).await?;
                let ms = messages(&n, &to, params);
                if ms.is_empty() {
                    report.unaddressed += 1;
                    tracing::debug!(key = %n.key, "no recipient for notice");
                    continue;
                }
                page_notices.push((n.kind, ms.iter().map(|m| m.key.clone()).collect()));
                batch.extend(ms);
            }
        }
        if !batch.is_empty() {
            let added: BTreeSet<String> = store
                .enqueue_new(&batch, Utc::now())
                .await?
                .into_iter()
                .collect();
            report.queued += added.len() as u64;
            for (kind, keys) in &page_notices {
                if keys.iter().any(|k| added.contains(k)) {
                    match kind {
                        NoticeKind::Remind => report.reminded += 1,
                        NoticeKind::Urge => report.urged += 1,
                        NoticeKind::Escalate => report.escalated += 1,
                    }
                }
            }
        }
        match next {
            Some(c) => cursor = c,
            None => break,
        }
    }
    tell_moves(store, &audience, params, &mut report).await?;
    remind_expiring(store, &audience, today, params, &mut report).await?;
    Ok(report)
}

/// Days before a document's stated term ends that the office is reminded:
/// once within the month, once within the week.
const EXPIRY_STAGES: [u64; 2] = [30, 7];

/// Reminds the office of documents in force (not repealed) whose stated
/// term ends within 30 days, so a 规范性文件 is renewed or let lapse on
/// purpose: once at 30 days and once at 7, keyed
/// `expiry:{document}:{until}:{stage}:…` (a term changed by a newer reading
/// is a new reminder).
async fn remind_expiring(
    store: &Store,
    audience: &Audience,
    today: NaiveDate,
    params: &SweepParams,
    report: &mut SweepReport,
) -> duban_store::Result<()> {
    let last = today + Days::new(EXPIRY_STAGES[0]);
    for d in store.documents_expiring(today, last).await? {
        let left = (d.until - today).num_days().max(0) as u64;
        let stage = EXPIRY_STAGES
            .iter()
            .copied()
            .filter(|s| left <= *s)
            .min()
            .unwrap_or(EXPIRY_STAGES[0]);
        let name = format!(
            "《{}》{}",
            d.title.as_deref().unwrap_or("（无标题）"),
            d.number
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default()
        );
        let subject = format!("【文件到期提醒】{name}将于{}到期", d.until);
        let body = format!(
            "{name}的有效期至{}，还有 {left} 天届满。请组织评估，需要继续施行的按程序修订或重新印发，不再施行的按期失效。",
            d.until
        );
        let key = format!("expiry:{}:{}:{stage}", d.id, d.until);
        let message = |channel: &str, key: String, recipient: String| NewMessage {
            key,
            kind: "expiry".to_string(),
            channel: channel.to_string(),
            recipient,
            subject: subject.clone(),
            body: body.clone(),
        };
        let mut batch = Vec::new();
        if params.email {
            for (id, a) in &audience.office {
                batch.push(message("email", format!("{key}:email:{id}"), a.clone()));
            }
        }
        if params.webhook {
            batch.push(message(
                "webhook",
                format!("{key}:webhook"),
                "webhook".into(),
            ));
        }
        if batch.is_empty() {
            report.unaddressed += 1;
            continue;
        }
        let added = store.enqueue_new(&batch, Utc::now()).await?.len() as u64;
        if added > 0 {
            report.queued += added;
            report.expiring += 1;
        }
    }
    Ok(())
}

/// Queues the messages about limits a calendar change moved (written by
/// the change, see `duban_store::calendar`) to the unit's heads and
/// liaisons and the webhook, keyed `moved:{id}:…`, and marks each move
/// told once something is queued. A move nobody can be told of waits for a
/// later sweep, as a reminder does.
async fn tell_moves(
    store: &Store,
    audience: &Audience,
    params: &SweepParams,
    report: &mut SweepReport,
) -> duban_store::Result<()> {
    loop {
        let moves = store.unnotified_moves(params.page).await?;
        let mut told = 0;
        for m in &moves {
            let to = audience.unit.get(&m.unit).cloned().unwrap_or_default();
            let mut batch = Vec::new();
            let message = |channel: &str, key: String, recipient: String| NewMessage {
                key,
                kind: m.kind.clone(),
                channel: channel.to_string(),
                recipient,
                subject: m.subject.clone(),
                body: m.body.clone(),
            };
            if params.email {
                for (id, a) in &to {
                    batch.push(message(
                        "email",
                        format!("{}:{}:email:{id}", m.kind, m.id),
                        a.clone(),
                    ));
                }
            }
            if params.webhook {
                batch.push(message(
                    "webhook",
                    format!("{}:{}:webhook", m.kind, m.id),
                    "webhook".into(),
                ));
            }
            if batch.is_empty() {
                report.unaddressed += 1;
                continue;
            }
            report.queued += store.enqueue_new(&batch, Utc::now()).await?.len() as u64;
            store.mark_move_notified(m.id).await?;
            if m.kind == "moved" {
                report.moved += 1;
            } else {
                report.urged += 1;
            }
            told += 1;
        }
        // Stop when a page told nobody (what is left waits for recipients).
        if told == 0 || (moves.len() as i64) < params.page {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizon_covers_working_and_calendar_days() {
        let cal = Calendar::official();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Five working days from Monday 2024-09-30 run past 国庆 to 10-12.
        assert_eq!(horizon(&cal, d("2024-09-30"), 5), d("2024-10-12"));
        assert_eq!(horizon(&cal, d("2024-06-03"), 5), d("2024-06-11"));
        assert_eq!(horizon(&cal, d("2024-06-03"), 0), d("2024-06-03"));
        // 2030 is provisional: 元旦 is Tuesday, five working days end 01-08.
        assert_eq!(horizon(&cal, d("2030-01-01"), 5), d("2030-01-08"));
        // A year the calendar cannot give: a generous guess.
        let strict = Calendar::official().strict();
        assert_eq!(horizon(&strict, d("2030-01-01"), 5), d("2030-01-30"));
    }
}
