//! Statistics of the supervision work (督查督办统计): tracks by state and by
//! light, matters by status, each unit's on-time rates and returns, the most
//! overdue open tracks, and a monthly trend — within a set of units, on a
//! given day.
//!
//! Nothing here reads a track's JSON per request, and nothing counts the
//! years of finished work again on every request:
//!
//! - Every write of a track keeps copies of what the figures compare beside
//!   it ([`TrackFacts`]: the days of assignment, signing for, the first
//!   account, the standing close application and the closing, with the
//!   13710 limits the domain computes for them). The figures of *open*
//!   tracks, which depend on the day, are one `GROUP BY unit_id` over an
//!   index that holds only open tracks and those columns.
//! - A closed or withdrawn track never changes again, so what it adds to
//!   the figures is added once, in the transaction that finishes it, to
//!   `track_stats` (per unit and month, with the tracks assigned per
//!   month): the figures of finished work are a sum over units × months
//!   rows. The tests hold these sums to a count over the tracks
//!   themselves.
//!
//! Rows written before migration 0003 are filled from their JSON, and
//! added to `track_stats`, once ([`Store::backfill_track_facts`]).
//!
//! The definitions (the API states the same in Chinese):
//!
//! - **Light** of an open track, one per track, worst first: *red* when its
//!   earliest unmet limit (`next_due`) has passed; else *unknown* when the
//!   calendar lacks a year its limits need; else *yellow* from the day it
//!   turns yellow (`yellow_from`); else *green*. Closed and withdrawn tracks
//!   are *done*. The board ranks a matter's tracks the same way.
//! - **Overdue** (逾期) is red.
//! - The three **on-time rates** are `on_time / due` over the tracks that
//!   are not withdrawn (a withdrawn track owes nothing) and whose limit is
//!   known (a limit in a year the calendar lacks is left out):
//!   - *sign-for* (签收及时率): `due` = tracks signed for, plus those not
//!     signed for whose deploy limit has passed (today is later);
//!     `on_time` = tracks signed for on or before the deploy limit.
//!   - *report* (反馈及时率): the same with the first account (a progress
//!     report or a close application) against the first-report limit. The
//!     later reporting nodes of continuing matters are not counted.
//!   - *close* (按期办结率): over tracks with a resolve limit (a granted
//!     extension, the track's deadline, or the type's term; a continuing
//!     matter without a deadline has none and is left out): `due` = tracks
//!     whose close application stands (under review, or closed), plus those
//!     without one whose resolve limit has passed; `on_time` = those whose
//!     standing application was made on or before the resolve limit. A
//!     returned application no longer stands: the unit carries on.
//!
//!   An action on the limit's day is on time; a limit counts as passed from
//!   the next day. With `due` = 0 there is no rate.
//! - **Trend**, per calendar month: tracks assigned that month; tracks
//!   closed that month; and of those, closed on time (a resolve limit, met
//!   by the application that was accepted).

use crate::db::{Tx, Val};
use crate::{args, Error, Result, Store};
use chrono::{Datelike, Months, NaiveDate};
use duban_domain::calendar::Calendar;
use duban_domain::limits;
use duban_domain::matter::{MatterId, MatterType, TrackId, UnitId};
use duban_domain::workflow::{Track, TrackState};
use serde::Serialize;
use std::collections::HashMap;

/// What the statistics compare, kept beside each track: the days things
/// happened and the 13710 limits they are measured against. Dates are
/// local days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TrackFacts {
    pub(crate) assigned_on: Option<NaiveDate>,
    pub(crate) signed_on: Option<NaiveDate>,
    pub(crate) first_report_on: Option<NaiveDate>,
    /// The close application that stands (under review or accepted).
    pub(crate) applied_on: Option<NaiveDate>,
    pub(crate) closed_on: Option<NaiveDate>,
    pub(crate) returns: i64,
    /// The limits; `None` for one the calendar cannot give (or, for
    /// resolve, that the track does not have).
    pub(crate) deploy_due: Option<NaiveDate>,
    pub(crate) first_report_due: Option<NaiveDate>,
    pub(crate) resolve_due: Option<NaiveDate>,
    /// Closed or withdrawn, and when (not stored: it decides what the
    /// track adds to `track_stats`).
    pub(crate) finished: Option<Finished>,
}

/// How and when a track finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finished {
    /// Closed (销号); withdrawn otherwise.
    pub(crate) closed: bool,
    pub(crate) on: NaiveDate,
}

/// The columns of [`TrackFacts`] that follow from the track alone, in the
/// order of [`TrackFacts::dates`].
pub(crate) const DATE_COLUMNS: [&str; 6] = [
    "assigned_on",
    "signed_on",
    "first_report_on",
    "applied_on",
    "closed_on",
    "returns",
];

/// The columns of [`TrackFacts`] that need the matter type and the
/// calendar, in the order of [`TrackFacts::dues`].
pub(crate) const DUE_COLUMNS: [&str; 3] = ["deploy_due", "first_report_due", "resolve_due"];

fn day(d: Option<NaiveDate>) -> Val {
    Val::OptS(d.map(|d| d.to_string()))
}

impl TrackFacts {
    /// The facts of a track of type `ty`, its limits from `cal`.
    pub(crate) fn of(t: &Track, ty: &MatterType, cal: &Calendar) -> TrackFacts {
        TrackFacts {
            deploy_due: limits::deploy_due(t, ty, cal).ok(),
            first_report_due: limits::first_report_due(t, ty, cal).ok(),
            resolve_due: limits::resolve_due(t, ty, cal).ok().flatten(),
            ..TrackFacts::dates_of(t)
        }
    }

    /// The facts that follow from the track alone (no limits): enough when
    /// an action cannot move a limit (a withdrawal).
    pub(crate) fn dates_of(t: &Track) -> TrackFacts {
        let closed = matches!(t.state, TrackState::Closed { .. });
        let standing = closed || t.state == TrackState::CloseRequested;
        let finished = match t.state {
            TrackState::Closed { .. } => Some(t.closed_at),
            TrackState::Withdrawn => Some(t.withdrawn_at),
            _ => None,
        }
        .map(|at| Finished {
            closed,
            on: at.unwrap_or(t.updated_at).date(),
        });
        TrackFacts {
            assigned_on: Some(t.assigned_at.date()),
            signed_on: t.signed_at.map(|a| a.date()),
            first_report_on: t.first_report_at().map(|a| a.date()),
            applied_on: t.close_requested_at.filter(|_| standing).map(|a| a.date()),
            closed_on: t.closed_at.filter(|_| closed).map(|a| a.date()),
            returns: i64::from(t.returns),
            finished,
            ..TrackFacts::default()
        }
    }

    /// The values of [`DATE_COLUMNS`].
    pub(crate) fn dates(&self) -> Vec<Val> {
        vec![
            day(self.assigned_on),
            day(self.signed_on),
            day(self.first_report_on),
            day(self.applied_on),
            day(self.closed_on),
            Val::I(self.returns),
        ]
    }

    /// The values of [`DUE_COLUMNS`].
    pub(crate) fn dues(&self) -> Vec<Val> {
        vec![
            day(self.deploy_due),
            day(self.first_report_due),
            day(self.resolve_due),
        ]
    }
}

/// `col = $n, …` for `columns`, numbering the placeholders from `first`.
pub(crate) fn assignments(columns: &[&str], first: usize) -> String {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", first + i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$n, …` for `count` values, numbered from `first`.
pub(crate) fn placeholders(count: usize, first: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the limits of track `id` inside `tx` (the calendar may give
/// some it could not before).
pub(crate) async fn write_dues(tx: &mut Tx, id: TrackId, f: &TrackFacts) -> Result<()> {
    let mut values = f.dues();
    values.push(Val::I(id));
    tx.exec(
        &format!(
            "UPDATE tracks SET {} WHERE id = ${}",
            assignments(&DUE_COLUMNS, 1),
            DUE_COLUMNS.len() + 1
        ),
        values,
    )
    .await?;
    Ok(())
}

/// One limit of one track as an on-time rate's two counts: `(on_time,
/// due)`. `today` is `None` for a finished track, whose limits no longer
/// pass. The same rule as the SQL of [`Store::stats`].
fn ratio_of(
    done: Option<NaiveDate>,
    limit: Option<NaiveDate>,
    today: Option<NaiveDate>,
) -> (i64, i64) {
    let Some(limit) = limit else { return (0, 0) };
    let on_time = done.is_some_and(|d| d <= limit);
    let due = done.is_some() || today.is_some_and(|t| limit < t);
    (i64::from(on_time), i64::from(due))
}

/// A row of `track_stats`: what tracks add to one unit's figures in one
/// month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    assigned: i64,
    closed: i64,
    closed_on_time: i64,
    withdrawn: i64,
    returns: i64,
    sign_ok: i64,
    sign_due: i64,
    report_ok: i64,
    report_due: i64,
    close_ok: i64,
    close_due: i64,
}

const TALLY_COLUMNS: [&str; 11] = [
    "assigned",
    "closed",
    "closed_on_time",
    "withdrawn",
    "returns",
    "sign_ok",
    "sign_due",
    "report_ok",
    "report_due",
    "close_ok",
    "close_due",
];

impl Tally {
    /// The values of [`TALLY_COLUMNS`].
    fn values(&self) -> [i64; 11] {
        [
            self.assigned,
            self.closed,
            self.closed_on_time,
            self.withdrawn,
            self.returns,
            self.sign_ok,
            self.sign_due,
            self.report_ok,
            self.report_due,
            self.close_ok,
            self.close_due,
        ]
    }

    pub(crate) fn add(&mut self, o: &Tally) {
        let v = o.values();
        for (mine, theirs) in [
            &mut self.assigned,
            &mut self.closed,
            &mut self.closed_on_time,
            &mut self.withdrawn,
            &mut self.returns,
            &mut self.sign_ok,
            &mut self.sign_due,
            &mut self.report_ok,
            &mut self.report_due,
            &mut self.close_ok,
            &mut self.close_due,
        ]
        .into_iter()
        .zip(v)
        {
            *mine += theirs;
        }
    }
}

/// What a track adds to `track_stats`, by month: its assignment when
/// `assigned`, and, when `finished` and the track is closed or withdrawn,
/// its finished figures. Each must be added exactly once per track: the
/// assignment when the track is written first (or filled in after
/// migration 0003), the rest in the transaction that finishes it.
pub(crate) fn tallies(f: &TrackFacts, assigned: bool, finished: bool) -> Vec<(String, Tally)> {
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let mut out = Vec::new();
    if let (true, Some(on)) = (assigned, f.assigned_on) {
        out.push((
            month(on),
            Tally {
                assigned: 1,
                ..Tally::default()
            },
        ));
    }
    if let (true, Some(done)) = (finished, f.finished) {
        let mut t = Tally {
            returns: f.returns,
            ..Tally::default()
        };
        if done.closed {
            (t.sign_ok, t.sign_due) = ratio_of(f.signed_on, f.deploy_due, None);
            (t.report_ok, t.report_due) = ratio_of(f.first_report_on, f.first_report_due, None);
            (t.close_ok, t.close_due) = ratio_of(f.applied_on, f.resolve_due, None);
            t.closed = 1;
            t.closed_on_time = t.close_ok;
        } else {
            // A withdrawn track owes nothing: it is in no rate.
            t.withdrawn = 1;
        }
        out.push((month(done.on), t));
    }
    out
}

/// Adds `t` to unit `unit`'s row of `month` in `track_stats`.
pub(crate) async fn add_tally(tx: &mut Tx, unit: UnitId, month: &str, t: &Tally) -> Result<()> {
    let mut values: Vec<Val> = vec![Val::I(unit), Val::S(month.to_string())];
    values.extend(t.values().into_iter().map(Val::I));
    tx.exec(
        &format!(
            "INSERT INTO track_stats (unit_id, month, {}) VALUES ($1, $2, {}) \
             ON CONFLICT (unit_id, month) DO UPDATE SET {}",
            TALLY_COLUMNS.join(", "),
            placeholders(TALLY_COLUMNS.len(), 3),
            TALLY_COLUMNS
                .iter()
                .map(|c| format!("{c} = track_stats.{c} + excluded.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        values,
    )
    .await?;
    Ok(())
}

/// Adds what a track contributes (see [`tallies`]) inside `tx`.
pub(crate) async fn add_track(
    tx: &mut Tx,
    unit: UnitId,
    f: &TrackFacts,
    assigned: bool,
    finished: bool,
) -> Result<()> {
    for (month, t) in tallies(f, assigned, finished) {
        add_tally(tx, unit, &month, &t).await?;
    }
    Ok(())
}

/// What to count.
#[derive(Debug, Clone)]
pub struct StatsQuery {
    /// Only these units' tracks; `None` for every unit.
    pub units: Option<Vec<UnitId>>,
    /// The day lights and passed limits are judged on.
    pub today: NaiveDate,
    /// How many of the most overdue tracks to list.
    pub overdue_limit: i64,
    /// How many calendar months the trend covers, ending with today's.
    pub months: u32,
}

/// Tracks by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    pub assigned: i64,
    pub signed_for: i64,
    pub close_requested: i64,
    pub returned: i64,
    pub closed: i64,
    pub withdrawn: i64,
}

/// Tracks by light.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LightCounts {
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub done: i64,
    pub unknown: i64,
}

/// An on-time rate as its two counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// Done by the limit.
    pub on_time: i64,
    /// Done, or whose limit has passed.
    pub due: i64,
}

impl Ratio {
    /// `on_time / due`; `None` when nothing was due.
    pub fn rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.on_time as f64 / self.due as f64)
    }

    fn add(&mut self, o: Ratio) {
        self.on_time += o.on_time;
        self.due += o.due;
    }
}

/// One unit's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitStats {
    pub unit_id: UnitId,
    pub unit_name: String,
    /// Every track of the unit, withdrawn ones included.
    pub tracks: i64,
    /// Neither closed nor withdrawn.
    pub open: i64,
    pub states: StateCounts,
    pub lights: LightCounts,
    /// Close applications returned (退回), counted over all its tracks.
    pub returns: i64,
    pub sign_for: Ratio,
    pub report: Ratio,
    pub close: Ratio,
}

impl UnitStats {
    /// Adds another unit's counts (for totals).
    fn add(&mut self, o: &UnitStats) {
        self.tracks += o.tracks;
        self.open += o.open;
        let (s, t) = (&mut self.states, &o.states);
        s.assigned += t.assigned;
        s.signed_for += t.signed_for;
        s.close_requested += t.close_requested;
        s.returned += t.returned;
        s.closed += t.closed;
        s.withdrawn += t.withdrawn;
        let (l, m) = (&mut self.lights, &o.lights);
        l.green += m.green;
        l.yellow += m.yellow;
        l.red += m.red;
        l.done += m.done;
        l.unknown += m.unknown;
        self.returns += o.returns;
        self.sign_for.add(o.sign_for);
        self.report.add(o.report);
        self.close.add(o.close);
    }
}

/// Matters by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MatterCounts {
    pub open: i64,
    pub closed: i64,
    pub withdrawn: i64,
}

/// Which limit an overdue track missed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissedLimit {
    Deploy,
    FirstReport,
    Node,
    Resolve,
}

impl MissedLimit {
    pub fn label(self) -> &'static str {
        match self {
            MissedLimit::Deploy => "签收部署",
            MissedLimit::FirstReport => "首次反馈",
            MissedLimit::Node => "节点报送",
            MissedLimit::Resolve => "申请办结",
        }
    }
}

/// An open track whose earliest unmet limit has passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueTrack {
    pub track_id: TrackId,
    pub matter_id: MatterId,
    pub title: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub limit: MissedLimit,
    /// The limit's day.
    pub due: NaiveDate,
    /// Days late in the matter type's counting, as the matter's page says
    /// it; `None` when the calendar lacks a year between.
    pub days_late: Option<u32>,
}

/// One month of the trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthTrend {
    /// `YYYY-MM`.
    pub month: String,
    pub assigned: i64,
    pub closed: i64,
    pub closed_on_time: i64,
}

/// How long computed figures are served while no event was appended; past
/// it, and up to twice it, they are served only while a request computes
/// them afresh.
pub const STATS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Computed figures by query (its `Debug` text: units, day, lengths), each
/// with the event-chain version it was computed at and when; and the
/// computations under way, so that requests asking at once for the same
/// query at the same version share one ([`StatsCache::shared`]).
#[derive(Clone, Default)]
pub(crate) struct StatsCache(std::sync::Arc<CacheInner>);

#[derive(Default)]
struct CacheInner {
    figures: std::sync::Mutex<HashMap<String, Cached>>,
    /// One cell per query and version being computed: the first request
    /// computes into it, the others wait on it. A cell leaves the map when
    /// its figures are in `figures` (later requests read them there), or
    /// when the last request holding it is gone (the computation failed or
    /// was cancelled and no one took it over).
    flights: std::sync::Mutex<HashMap<(String, i64), FlightCell>>,
    /// Computations begun, for the tests to count.
    computations: std::sync::atomic::AtomicU64,
}

/// What memory holds of a query's figures at a version: fresh (within
/// [`STATS_MAX_AGE`]), aged (past it, not twice it: served while they are
/// renewed), or nothing to serve.
enum Kept {
    Fresh(Stats),
    Aged(Stats),
    Missing,
}

/// Figures with the event-chain version they were computed at, and when.
type Cached = (i64, std::time::Instant, Stats);

type FlightCell = std::sync::Arc<tokio::sync::OnceCell<Stats>>;

/// Locks a map; a panic elsewhere while it was held left nothing half done
/// (each use is one insert, removal or lookup), so a poisoned lock is used
/// as it is.
fn locked<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl StatsCache {
    /// The figures of `key` at `version` in memory, fresh or aged, with one
    /// look-up and one copy.
    fn kept(&self, key: &str, version: i64) -> Kept {
        let map = locked(&self.0.figures);
        match map.get(key) {
            Some((v, at, s)) if *v == version && at.elapsed() < STATS_MAX_AGE => {
                Kept::Fresh(s.clone())
            }
            Some((v, at, s)) if *v == version && at.elapsed() < 2 * STATS_MAX_AGE => {
                Kept::Aged(s.clone())
            }
            _ => Kept::Missing,
        }
    }

    fn get(&self, key: &str, version: i64) -> Option<Stats> {
        match self.kept(key, version) {
            Kept::Fresh(s) => Some(s),
            _ => None,
        }
    }

    /// Whether a request is computing the figures of `key` at `version`.
    fn computing(&self, key: &str, version: i64) -> bool {
        locked(&self.0.flights).contains_key(&(key.to_string(), version))
    }

    fn put(&self, key: String, version: i64, stats: Stats) {
        self.put_computed_at(key, version, stats, std::time::Instant::now());
    }

    fn put_computed_at(&self, key: String, version: i64, stats: Stats, at: std::time::Instant) {
        let mut map = locked(&self.0.figures);
        // Versions only grow: figures of an older one, computed by a
        // request that read the version before a write, are not kept over
        // newer ones.
        if map.values().any(|(v, _, _)| *v > version) {
            return;
        }
        // Old versions are useless: keep the map to the queries in use.
        map.retain(|_, (v, at, _)| *v == version && at.elapsed() < 2 * STATS_MAX_AGE);
        if map.len() < 1000 {
            map.insert(key, (version, at, stats));
        }
    }

    /// The figures of `key` at `version`: from memory when they are there
    /// and fresh, else computed by `compute` — once for all the requests
    /// that ask meanwhile. They wait for that computation's figures (of
    /// their own version: a request that read another version waits on, or
    /// starts, that version's computation). When the computing request
    /// fails or is cancelled (its future dropped, as when a client goes
    /// away), one of those waiting computes instead, with its own
    /// `compute`; an error reaches only the request whose computation
    /// failed.
    async fn shared<F, Fut>(&self, key: String, version: i64, compute: F) -> Result<Stats>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Stats>>,
    {
        if let Some(s) = self.get(&key, version) {
            return Ok(s);
        }
        let flight = Flight::join(self, key, version);
        let cell = flight.cell();
        let s = cell
            .get_or_try_init(|| async {
                // Computed and landed between the look-up above and
                // joining: no flight left to join, the figures are here.
                if let Some(s) = self.get(&flight.key.0, version) {
                    return Ok(s);
                }
                self.0
                    .computations
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let s = compute().await?;
                self.put(flight.key.0.clone(), version, s.clone());
                // From now on requests find the figures in `figures`; the
                // cell serves only those already waiting on it, so a cell's
                // figures are never older than the requests it serves.
                flight.land();
                Ok::<_, Error>(s)
            })
            .await?;
        Ok(s.clone())
    }

    /// How many requests hold the cell of `key` at `version` (waiting on
    /// it or computing into it).
    #[cfg(test)]
    fn holders(&self, key: &str, version: i64) -> usize {
        locked(&self.0.flights)
            .get(&(key.to_string(), version))
            .map_or(0, |c| std::sync::Arc::strong_count(c) - 1)
    }

    #[cfg(test)]
    fn computations(&self) -> u64 {
        self.0
            .computations
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// One request's hold on the cell of a query and version; dropping it (at
/// the end of the request, or when the request is cancelled) removes the
/// cell from the map when no other request holds it.
struct Flight<'a> {
    cache: &'a StatsCache,
    key: (String, i64),
    cell: Option<FlightCell>,
}

impl<'a> Flight<'a> {
    fn join(cache: &'a StatsCache, key: String, version: i64) -> Flight<'a> {
        let key = (key, version);
        let cell = locked(&cache.0.flights)
            .entry(key.clone())
            .or_default()
            .clone();
        Flight {
            cache,
            key,
            cell: Some(cell),
        }
    }

    fn cell(&self) -> &tokio::sync::OnceCell<Stats> {
        self.cell.as_ref().expect("held until dropped")
    }

    /// Takes this flight's cell out of the map (if it is still there).
    fn land(&self) {
        let mut flights = locked(&self.cache.0.flights);
        if let (Some(c), Some(mine)) = (flights.get(&self.key), &self.cell) {
            if std::sync::Arc::ptr_eq(c, mine) {
                flights.remove(&self.key);
            }
        }
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut flights = locked(&self.cache.0.flights);
        // This request's hold goes under the lock, so of two requests
        // leaving at once the second sees the first gone.
        drop(self.cell.take());
        if flights
            .get(&self.key)
            .is_some_and(|c| std::sync::Arc::strong_count(c) == 1)
        {
            flights.remove(&self.key);
        }
    }
}

/// The figures of a [`StatsQuery`].
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub today: NaiveDate,
    /// Every unit in view (those without a track too), by id.
    pub units: Vec<UnitStats>,
    /// The sums over `units` (`unit_id` 0).
    pub total: UnitStats,
    /// Matters with a track of a unit in view.
    pub matters: MatterCounts,
    /// The most overdue open tracks: the earliest missed limit first.
    pub overdue: Vec<OverdueTrack>,
    /// Oldest month first, ending with today's.
    pub trend: Vec<MonthTrend>,
}

/// A comma-separated list of ids for `IN (…)`; ids are integers, so this is
/// safe to inline.
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(|u| u.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Counts `cond` over the group, as an integer on both backends.
fn count_if(cond: &str, name: &str) -> String {
    format!("CAST(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS BIGINT) AS {name}")
}

/// The first day of the month `back` months before `today`'s.
fn month_start(today: NaiveDate, back: u32) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    first.checked_sub_months(Months::new(back)).unwrap_or(first)
}

/// `AND <alias>.unit_id IN (…)` for a set of units; empty for all.
fn in_units(alias: &str, units: &Option<Vec<UnitId>>) -> String {
    match units {
        Some(u) => format!(" AND {alias}.unit_id IN ({})", id_list(u)),
        None => String::new(),
    }
}

/// The conditions of the figures of open tracks (alias `t`), `$1` being
/// today: the light of each track and the rates' counts of each limit.
const RED: &str = "(t.next_due IS NOT NULL AND t.next_due < $1)";
const UNKNOWN: &str = "(t.due_error IS NOT NULL)";
const YELLOW: &str =
    "(t.next_due IS NOT NULL AND t.yellow_from IS NOT NULL AND t.yellow_from <= $1)";
/// Only open tracks: the condition of the `tracks_open_stats` index, word
/// for word, so both backends read that index.
const OPEN: &str = "t.state NOT IN ('closed', 'withdrawn')";

/// The two counts of a rate over open tracks, as [`ratio_of`] counts them.
fn ratio_sql(done: &str, limit: &str, name: &str) -> String {
    format!(
        "{}, {}",
        count_if(
            &format!("t.{limit} IS NOT NULL AND t.{done} IS NOT NULL AND t.{done} <= t.{limit}"),
            &format!("{name}_ok"),
        ),
        count_if(
            &format!("t.{limit} IS NOT NULL AND (t.{done} IS NOT NULL OR t.{limit} < $1)"),
            &format!("{name}_due"),
        ),
    )
}

impl Store {
    /// The figures for `q`; limits and days late from `cal`. Rows not yet
    /// filled since migration 0003 are filled first, so the figures are
    /// never computed over part of the tracks.
    /// The figures of `q`: computed once, then served from memory while
    /// the data stay as they were. Every write appends to the event chain,
    /// so the chain's last seq is the data's version (one index probe); a
    /// new day, or [`STATS_MAX_AGE`] (a calendar change's recomputation of
    /// limits runs after its event), computes them again — past the age
    /// (up to twice it) in a task of its own while the aged figures are
    /// served, so no request waits on the renewal. Several servers
    /// on one database each see the others' writes through the chain.
    /// Requests that find no figures and ask at once for the same query at
    /// the same version share one computation ([`StatsCache::shared`]).
    pub async fn stats(&self, q: &StatsQuery, cal: &Calendar) -> Result<Stats> {
        // Rows not yet filled (a database from before migration 0003, or
        // copies wiped) are filled first, and the figures computed afresh:
        // filling appends no event.
        let unfilled = self
            .pool
            .fetch_opt(
                "SELECT id FROM tracks WHERE assigned_on IS NULL LIMIT 1",
                args![],
            )
            .await?
            .is_some();
        if unfilled {
            self.backfill_track_facts(cal, 2000).await?;
        }
        let version = self
            .pool
            .fetch_opt("SELECT MAX(seq) AS v FROM events", args![])
            .await?
            .map(|r| r.opt_i64("v"))
            .transpose()?
            .flatten()
            .unwrap_or(0);
        let key = format!("{q:?}");
        if unfilled {
            let s = self.compute_stats(q, cal).await?;
            self.stats_cache.put(key, version, s.clone());
            return Ok(s);
        }
        // Figures past their age at this version: served as they are while
        // a task of its own computes them afresh, so that no request waits
        // on the renewal (the first waits only when there are none).
        match self.stats_cache.kept(&key, version) {
            Kept::Fresh(s) => return Ok(s),
            Kept::Aged(s) => {
                if !self.stats_cache.computing(&key, version) {
                    let (store, q, cal) = (self.clone(), q.clone(), cal.clone());
                    tokio::spawn(async move {
                        let renew = store
                            .stats_cache
                            .shared(key, version, || store.compute_stats(&q, &cal));
                        if let Err(e) = renew.await {
                            tracing::warn!(error = %e, "renewing the dashboard figures failed");
                        }
                    });
                }
                return Ok(s);
            }
            Kept::Missing => {}
        }
        self.stats_cache
            .shared(key, version, || self.compute_stats(q, cal))
            .await
    }

    async fn compute_stats(&self, q: &StatsQuery, cal: &Calendar) -> Result<Stats> {
        if q.units.as_ref().is_some_and(|u| u.is_empty()) {
            return Ok(Stats {
                today: q.today,
                units: Vec::new(),
                total: UnitStats::default(),
                matters: MatterCounts::default(),
                overdue: Vec::new(),
                trend: empty_trend(q),
            });
        }
        let names = match &q.units {
            Some(u) => format!(
                "SELECT id, name FROM units WHERE id IN ({}) ORDER BY id",
                id_list(u)
            ),
            None => "SELECT id, name FROM units ORDER BY id".into(),
        };
        let mut units: Vec<UnitStats> = self
            .pool
            .fetch(&names, args![])
            .await?
            .iter()
            .map(|r| {
                Ok(UnitStats {
                    unit_id: r.i64("id")?,
                    unit_name: r.str("name")?,
                    ..UnitStats::default()
                })
            })
            .collect::<Result<_>>()?;
        let mut at: HashMap<UnitId, usize> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.unit_id, i))
            .collect();
        let mut slot = |id: UnitId, units: &mut Vec<UnitStats>| -> usize {
            *at.entry(id).or_insert_with(|| {
                // A unit the registry lacks cannot happen with the foreign
                // keys; keep its figures rather than drop them.
                units.push(UnitStats {
                    unit_id: id,
                    unit_name: format!("单位{id}"),
                    ..UnitStats::default()
                });
                units.len() - 1
            })
        };

        // Finished work: sums of `track_stats`.
        let sums = TALLY_COLUMNS
            .iter()
            .map(|c| format!("CAST(SUM(s.{c}) AS BIGINT) AS {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT s.unit_id, {sums} FROM track_stats s WHERE 1 = 1{} GROUP BY s.unit_id",
                    in_units("s", &q.units)
                ),
                args![],
            )
            .await?;
        for r in &rows {
            let i = slot(r.i64("unit_id")?, &mut units);
            let u = &mut units[i];
            let (closed, withdrawn) = (r.i64("closed")?, r.i64("withdrawn")?);
            u.tracks += closed + withdrawn;
            u.states.closed = closed;
            u.states.withdrawn = withdrawn;
            u.lights.done = closed + withdrawn;
            u.returns += r.i64("returns")?;
            let ratio = |name: &str| -> Result<Ratio> {
                Ok(Ratio {
                    on_time: r.i64(&format!("{name}_ok"))?,
                    due: r.i64(&format!("{name}_due"))?,
                })
            };
            u.sign_for.add(ratio("sign")?);
            u.report.add(ratio("report")?);
            u.close.add(ratio("close")?);
        }

        // Open work, on today: one pass over the open tracks' index.
        let mut cols = vec!["t.unit_id".to_string(), "COUNT(*) AS open".to_string()];
        for s in ["assigned", "signed_for", "close_requested", "returned"] {
            cols.push(count_if(&format!("t.state = '{s}'"), &format!("s_{s}")));
        }
        cols.push(count_if(RED, "l_red"));
        cols.push(count_if(&format!("NOT {RED} AND {UNKNOWN}"), "l_unknown"));
        cols.push(count_if(
            &format!("NOT {RED} AND NOT {UNKNOWN} AND {YELLOW}"),
            "l_yellow",
        ));
        cols.push("CAST(SUM(t.returns) AS BIGINT) AS returns".into());
        cols.push(ratio_sql("signed_on", "deploy_due", "sign"));
        cols.push(ratio_sql("first_report_on", "first_report_due", "report"));
        cols.push(ratio_sql("applied_on", "resolve_due", "close"));
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT {} FROM tracks t WHERE {OPEN}{} GROUP BY t.unit_id",
                    cols.join(", "),
                    in_units("t", &q.units)
                ),
                args![q.today.to_string()],
            )
            .await?;
        for r in &rows {
            let i = slot(r.i64("unit_id")?, &mut units);
            let u = &mut units[i];
            let open = r.i64("open")?;
            u.tracks += open;
            u.open = open;
            u.states.assigned = r.i64("s_assigned")?;
            u.states.signed_for = r.i64("s_signed_for")?;
            u.states.close_requested = r.i64("s_close_requested")?;
            u.states.returned = r.i64("s_returned")?;
            let (red, unknown, yellow) = (r.i64("l_red")?, r.i64("l_unknown")?, r.i64("l_yellow")?);
            u.lights.red = red;
            u.lights.unknown = unknown;
            u.lights.yellow = yellow;
            u.lights.green = open - red - unknown - yellow;
            u.returns += r.i64("returns")?;
            let ratio = |name: &str| -> Result<Ratio> {
                Ok(Ratio {
                    on_time: r.i64(&format!("{name}_ok"))?,
                    due: r.i64(&format!("{name}_due"))?,
                })
            };
            u.sign_for.add(ratio("sign")?);
            u.report.add(ratio("report")?);
            u.close.add(ratio("close")?);
        }
        let mut total = UnitStats::default();
        for u in &units {
            total.add(u);
        }

        let matters = self.matter_counts(&q.units).await?;
        let overdue = self.overdue(q, cal).await?;
        let trend = self.trend(q).await?;
        Ok(Stats {
            today: q.today,
            units,
            total,
            matters,
            overdue,
            trend,
        })
    }

    async fn matter_counts(&self, units: &Option<Vec<UnitId>>) -> Result<MatterCounts> {
        let sql = match units {
            // The whole district's: the counts kept by trigger (0016).
            None => "SELECT status, n FROM matter_counts".to_string(),
            Some(u) => format!(
                "SELECT m.status, COUNT(*) AS n FROM matters m \
                 WHERE m.id IN (SELECT t.matter_id FROM tracks t WHERE t.unit_id IN ({})) \
                 GROUP BY m.status",
                id_list(u)
            ),
        };
        let mut out = MatterCounts::default();
        for r in self.pool.fetch(&sql, args![]).await? {
            let n = r.i64("n")?;
            match r.str("status")?.as_str() {
                "open" => out.open = n,
                "closed" => out.closed = n,
                "withdrawn" => out.withdrawn = n,
                other => return Err(Error::Corrupt(format!("matter status {other}"))),
            }
        }
        Ok(out)
    }

    /// The open tracks whose earliest unmet limit passed longest ago (the
    /// board's red), with the limit they missed and how late they are.
    async fn overdue(&self, q: &StatsQuery, cal: &Calendar) -> Result<Vec<OverdueTrack>> {
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT t.id, t.matter_id, t.unit_id, t.next_due, t.signed_on, t.deploy_due, \
                     t.first_report_on, t.first_report_due, t.resolve_due, m.title, m.matter_type, u.name AS unit_name \
                     FROM tracks t JOIN matters m ON m.id = t.matter_id JOIN units u ON u.id = t.unit_id \
                     WHERE {OPEN} AND {RED}{} ORDER BY t.next_due, t.id LIMIT $2",
                    in_units("t", &q.units)
                ),
                args![q.today.to_string(), q.overdue_limit.max(0)],
            )
            .await?;
        let date = |s: Option<String>| s.and_then(|s| s.parse::<NaiveDate>().ok());
        rows.iter()
            .map(|r| {
                let due = date(r.opt_str("next_due")?)
                    .ok_or_else(|| Error::Corrupt("next_due is not a date".into()))?;
                let ty: MatterType = r.json("matter_type")?;
                // The limits of one day are listed deploy, first report,
                // then the rest (the domain's order); which one the stored
                // earliest limit is follows from the copies.
                let limit = if r.opt_str("signed_on")?.is_none()
                    && date(r.opt_str("deploy_due")?) == Some(due)
                {
                    MissedLimit::Deploy
                } else if r.opt_str("first_report_on")?.is_none()
                    && date(r.opt_str("first_report_due")?) == Some(due)
                {
                    MissedLimit::FirstReport
                } else if date(r.opt_str("resolve_due")?) == Some(due) {
                    MissedLimit::Resolve
                } else {
                    MissedLimit::Node
                };
                Ok(OverdueTrack {
                    track_id: r.i64("id")?,
                    matter_id: r.i64("matter_id")?,
                    title: r.str("title")?,
                    unit_id: r.i64("unit_id")?,
                    unit_name: r.str("unit_name")?,
                    limit,
                    due,
                    // As `limits::overdue_days`: at least one day once red.
                    days_late: limits::days_between(ty.counting, cal, due, q.today)
                        .ok()
                        .map(|d| d.max(1)),
                })
            })
            .collect()
    }

    async fn trend(&self, q: &StatsQuery) -> Result<Vec<MonthTrend>> {
        let mut out = empty_trend(q);
        let Some(first) = out.first().map(|m| m.month.clone()) else {
            return Ok(out);
        };
        let index: HashMap<String, usize> = out
            .iter()
            .enumerate()
            .map(|(i, m)| (m.month.clone(), i))
            .collect();
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT s.month, CAST(SUM(s.assigned) AS BIGINT) AS assigned, CAST(SUM(s.closed) AS BIGINT) AS closed, \
                     CAST(SUM(s.closed_on_time) AS BIGINT) AS closed_on_time FROM track_stats s \
                     WHERE s.month >= $1{} GROUP BY s.month",
                    in_units("s", &q.units)
                ),
                args![first],
            )
            .await?;
        for r in &rows {
            if let Some(&i) = index.get(&r.str("month")?) {
                out[i].assigned = r.i64("assigned")?;
                out[i].closed = r.i64("closed")?;
                out[i].closed_on_time = r.i64("closed_on_time")?;
            }
        }
        Ok(out)
    }

    /// Fills the statistics' copies ([`TrackFacts`]) of tracks written
    /// before migration 0003 from their JSON, and adds them to
    /// `track_stats`, `batch` rows per transaction. Returns how many rows
    /// it filled; a second run fills none. Safe beside other writers: a
    /// row someone acted on meanwhile was filled and counted by that
    /// action and is left alone.
    pub async fn backfill_track_facts(&self, cal: &Calendar, batch: i64) -> Result<u64> {
        let columns: Vec<&str> = DATE_COLUMNS.iter().chain(&DUE_COLUMNS).copied().collect();
        let sql = format!(
            "UPDATE tracks SET {} WHERE id = ${} AND assigned_on IS NULL",
            assignments(&columns, 1),
            columns.len() + 1
        );
        let mut filled = 0;
        loop {
            let rows = self
                .pool
                .fetch(
                    "SELECT t.id, t.unit_id, t.data, m.matter_type FROM tracks t JOIN matters m ON m.id = t.matter_id \
                     WHERE t.assigned_on IS NULL ORDER BY t.id LIMIT $1",
                    args![batch.max(1)],
                )
                .await?;
            if rows.is_empty() {
                break;
            }
            let mut tx = self.pool.begin().await?;
            let mut sums: HashMap<(UnitId, String), Tally> = HashMap::new();
            for r in &rows {
                let track: Track = r.json("data")?;
                let ty: MatterType = r.json("matter_type")?;
                let f = TrackFacts::of(&track, &ty, cal);
                let mut values = f.dates();
                values.extend(f.dues());
                values.push(Val::I(r.i64("id")?));
                if tx.exec(&sql, values).await? == 1 {
                    filled += 1;
                    for (month, t) in tallies(&f, true, true) {
                        sums.entry((r.i64("unit_id")?, month)).or_default().add(&t);
                    }
                }
            }
            for ((unit, month), t) in &sums {
                add_tally(&mut tx, *unit, month, t).await?;
            }
            tx.commit().await?;
        }
        Ok(filled)
    }
}

/// The months of the trend with nothing counted yet.
fn empty_trend(q: &StatsQuery) -> Vec<MonthTrend> {
    (0..q.months)
        .rev()
        .map(|back| MonthTrend {
            month: month_start(q.today, back).format("%Y-%m").to_string(),
            assigned: 0,
            closed: 0,
            closed_on_time: 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;
    use duban_domain::matter::{Grade, Role};
    use duban_domain::workflow::{apply, Action};

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn facts_follow_the_track_and_the_domain_limits() {
        let cal = Calendar::official();
        let ty = MatterType::ordinary();
        // Assigned on Friday 2024-03-01: deploy the same day, first report
        // 3 working days later (Wednesday 03-06), resolve 7 working days
        // later (Tuesday 03-12).
        let t = Track::new(1, 1, 1, Role::Lead, at("2024-03-01 09:00"));
        let f = TrackFacts::of(&t, &ty, &cal);
        assert_eq!(f.assigned_on, Some(d("2024-03-01")));
        assert_eq!(f.deploy_due, Some(d("2024-03-01")));
        assert_eq!(f.first_report_due, Some(d("2024-03-06")));
        assert_eq!(f.resolve_due, Some(d("2024-03-12")));
        assert_eq!(f.signed_on, None);

        let t = apply(&t, &Action::SignFor, at("2024-03-04 10:00")).unwrap();
        let t = apply(
            &t,
            &Action::ApplyToClose {
                text: "完成".into(),
            },
            at("2024-03-05 10:00"),
        )
        .unwrap();
        let f = TrackFacts::of(&t, &ty, &cal);
        assert_eq!(f.signed_on, Some(d("2024-03-04")));
        // A close application is the first account too.
        assert_eq!(f.first_report_on, Some(d("2024-03-05")));
        assert_eq!(f.applied_on, Some(d("2024-03-05")));

        // A return takes the application back; closing keeps the one that
        // was accepted.
        let t = apply(
            &t,
            &Action::Return {
                reason: "补充".into(),
            },
            at("2024-03-06 10:00"),
        )
        .unwrap();
        let f = TrackFacts::dates_of(&t);
        assert_eq!((f.applied_on, f.returns), (None, 1));
        let t = apply(
            &t,
            &Action::ApplyToClose {
                text: "已补充".into(),
            },
            at("2024-03-13 10:00"),
        )
        .unwrap();
        let t = apply(
            &t,
            &Action::Close {
                grade: Grade::Good,
                reason: String::new(),
            },
            at("2024-03-14 10:00"),
        )
        .unwrap();
        let f = TrackFacts::of(&t, &ty, &cal);
        assert_eq!(f.applied_on, Some(d("2024-03-13")));
        assert_eq!(f.closed_on, Some(d("2024-03-14")));
        assert_eq!(f.first_report_on, Some(d("2024-03-05")));
    }

    #[test]
    fn a_year_the_calendar_lacks_leaves_the_limits_unknown() {
        // Strict: 2019 has no official data and is not made provisional.
        let cal = Calendar::official().strict();
        let t = Track::new(1, 1, 1, Role::Lead, at("2019-06-03 09:00"));
        let f = TrackFacts::of(&t, &MatterType::ordinary(), &cal);
        assert_eq!(f.assigned_on, Some(d("2019-06-03")));
        assert_eq!(
            (f.deploy_due, f.first_report_due, f.resolve_due),
            (None, None, None)
        );
    }

    #[test]
    fn the_trend_ends_with_this_month() {
        let q = StatsQuery {
            units: None,
            today: d("2026-02-15"),
            overdue_limit: 10,
            months: 3,
        };
        let months: Vec<String> = empty_trend(&q).into_iter().map(|m| m.month).collect();
        assert_eq!(months, ["2025-12", "2026-01", "2026-02"]);
        assert_eq!(assignments(&["a", "b"], 3), "a = $3, b = $4");
        assert_eq!(placeholders(2, 5), "$5, $6");
    }

    /// The figures of `units` counted straight over every track's stored
    /// copies (closed and withdrawn ones too), the way the definitions read:
    /// what the sums of `track_stats` plus the open tracks must equal.
    async fn by_scan(store: &Store, q: &StatsQuery) -> (Vec<UnitStats>, Vec<MonthTrend>) {
        let today = q.today.to_string();
        let counted = "t.state <> 'withdrawn'";
        let ratio = |done: &str, due: &str, name: &str| {
            format!(
                "{}, {}",
                count_if(
                    &format!("{counted} AND t.{due} IS NOT NULL AND t.{done} IS NOT NULL AND t.{done} <= t.{due}"),
                    &format!("{name}_ok"),
                ),
                count_if(
                    &format!("{counted} AND t.{due} IS NOT NULL AND (t.{done} IS NOT NULL OR ({OPEN} AND t.{due} < $1))"),
                    &format!("{name}_due"),
                ),
            )
        };
        let mut cols = vec!["t.unit_id".to_string(), "COUNT(*) AS tracks".to_string()];
        for s in duban_domain::workflow::TrackState::CODES {
            cols.push(count_if(&format!("t.state = '{s}'"), &format!("s_{s}")));
        }
        cols.push(count_if(&format!("{OPEN} AND {RED}"), "l_red"));
        cols.push(count_if(
            &format!("{OPEN} AND NOT {RED} AND {UNKNOWN}"),
            "l_unknown",
        ));
        cols.push(count_if(
            &format!("{OPEN} AND NOT {RED} AND NOT {UNKNOWN} AND {YELLOW}"),
            "l_yellow",
        ));
        cols.push("CAST(SUM(t.returns) AS BIGINT) AS returns".into());
        cols.push(ratio("signed_on", "deploy_due", "sign"));
        cols.push(ratio("first_report_on", "first_report_due", "report"));
        cols.push(ratio("applied_on", "resolve_due", "close"));
        let rows = store
            .pool
            .fetch(
                &format!(
                    "SELECT {} FROM tracks t JOIN units u ON u.id = t.unit_id WHERE 1 = 1{} GROUP BY t.unit_id ORDER BY t.unit_id",
                    cols.join(", "),
                    in_units("t", &q.units)
                ),
                args![today],
            )
            .await
            .unwrap();
        let units = rows
            .iter()
            .map(|r| {
                let n = |c: &str| r.i64(c).unwrap();
                let states = StateCounts {
                    assigned: n("s_assigned"),
                    signed_for: n("s_signed_for"),
                    close_requested: n("s_close_requested"),
                    returned: n("s_returned"),
                    closed: n("s_closed"),
                    withdrawn: n("s_withdrawn"),
                };
                let open = n("tracks") - states.closed - states.withdrawn;
                let ratio = |k: &str| Ratio {
                    on_time: n(&format!("{k}_ok")),
                    due: n(&format!("{k}_due")),
                };
                UnitStats {
                    unit_id: n("unit_id"),
                    unit_name: String::new(),
                    tracks: n("tracks"),
                    open,
                    states,
                    lights: LightCounts {
                        green: open - n("l_red") - n("l_unknown") - n("l_yellow"),
                        yellow: n("l_yellow"),
                        red: n("l_red"),
                        done: states.closed + states.withdrawn,
                        unknown: n("l_unknown"),
                    },
                    returns: n("returns"),
                    sign_for: ratio("sign"),
                    report: ratio("report"),
                    close: ratio("close"),
                }
            })
            .collect();
        let mut trend = empty_trend(q);
        for m in &mut trend {
            let like = format!("{}-%", m.month);
            let r = store
                .pool
                .fetch_opt(
                    &format!(
                        "SELECT CAST(SUM(CASE WHEN t.assigned_on LIKE $1 THEN 1 ELSE 0 END) AS BIGINT) AS a, \
                         CAST(SUM(CASE WHEN t.closed_on LIKE $1 THEN 1 ELSE 0 END) AS BIGINT) AS c, \
                         CAST(SUM(CASE WHEN t.closed_on LIKE $1 AND t.resolve_due IS NOT NULL AND t.applied_on <= t.resolve_due THEN 1 ELSE 0 END) AS BIGINT) AS o \
                         FROM tracks t WHERE 1 = 1{}",
                        in_units("t", &q.units)
                    ),
                    args![like],
                )
                .await
                .unwrap()
                .unwrap();
            m.assigned = r.opt_i64("a").unwrap().unwrap_or(0);
            m.closed = r.opt_i64("c").unwrap().unwrap_or(0);
            m.closed_on_time = r.opt_i64("o").unwrap().unwrap_or(0);
        }
        (units, trend)
    }

    /// Holds `stats` to the count over the tracks for every unit, the
    /// totals and the trend, on `today`, for all units and for two.
    async fn agree(store: &Store, today: NaiveDate, what: &str) {
        let cal = Calendar::official();
        let all = store.units().await.unwrap();
        for units in [None, Some(vec![all[0].id, all[2].id])] {
            let q = StatsQuery {
                units: units.clone(),
                today,
                overdue_limit: 500,
                months: 14,
            };
            let s = store.stats(&q, &cal).await.unwrap();
            let (scan, trend) = by_scan(store, &q).await;
            let fast: Vec<UnitStats> = s
                .units
                .iter()
                .filter(|u| u.tracks > 0)
                .map(|u| UnitStats {
                    unit_name: String::new(),
                    ..u.clone()
                })
                .collect();
            assert_eq!(fast, scan, "{what} on {today}, units {units:?}");
            assert_eq!(s.trend, trend, "{what} on {today}, units {units:?}");
            assert_eq!(
                s.overdue.len() as i64,
                s.total.lights.red.min(500),
                "{what}: the overdue list is the red tracks"
            );
            assert!(s.total.tracks > 0);
        }
        // Every track's copies are what its JSON says.
        let rows = store
            .pool
            .fetch(
                "SELECT t.data, m.matter_type, t.assigned_on, t.deploy_due, t.signed_on, t.first_report_due, \
                 t.first_report_on, t.resolve_due, t.applied_on, t.closed_on, t.returns \
                 FROM tracks t JOIN matters m ON m.id = t.matter_id",
                args![],
            )
            .await
            .unwrap();
        for r in &rows {
            let t: Track = r.json("data").unwrap();
            let ty: MatterType = r.json("matter_type").unwrap();
            let f = TrackFacts::of(&t, &ty, &cal);
            let d = |c: &str| -> Option<NaiveDate> {
                r.opt_str(c).unwrap().map(|s| s.parse().unwrap())
            };
            let stored = TrackFacts {
                assigned_on: d("assigned_on"),
                signed_on: d("signed_on"),
                first_report_on: d("first_report_on"),
                applied_on: d("applied_on"),
                closed_on: d("closed_on"),
                returns: r.i64("returns").unwrap(),
                deploy_due: d("deploy_due"),
                first_report_due: d("first_report_due"),
                resolve_due: d("resolve_due"),
                finished: f.finished,
            };
            // A withdrawal keeps the limits it found.
            if t.state == TrackState::Withdrawn {
                assert_eq!(
                    TrackFacts {
                        deploy_due: None,
                        first_report_due: None,
                        resolve_due: None,
                        ..stored
                    },
                    TrackFacts {
                        deploy_due: None,
                        first_report_due: None,
                        resolve_due: None,
                        ..f.clone()
                    },
                    "{what}: track {}",
                    t.id
                );
            } else {
                assert_eq!(stored, f, "{what}: track {}", t.id);
            }
        }
    }

    #[tokio::test]
    async fn the_sums_equal_a_count_over_the_tracks_through_every_write() {
        use crate::generate::Spec;
        use crate::TrackFilter;
        for store in crate::testing::fresh_stores("stats_sums").await.unwrap() {
            let cal = Calendar::official();
            let now = at("2026-06-15 12:00");
            store
                .generate(
                    &Spec {
                        units: 6,
                        matters: 300,
                        seed: 7,
                        now,
                        batch: 70,
                        password_hash: "h".into(),
                    },
                    &cal,
                    |_| {},
                )
                .await
                .unwrap();
            for today in ["2026-06-15", "2026-07-20"] {
                agree(&store, d(today), "generated").await;
            }

            // Actions after the generated histories: close what waits for
            // review, return one, sign for and report what is open,
            // withdraw a matter, assign a new one.
            let open = store
                .tracks(&TrackFilter {
                    open_only: true,
                    limit: 1000,
                    ..TrackFilter::default()
                })
                .await
                .unwrap();
            let later = at("2026-06-16 10:00");
            let mut returned = false;
            for t in &open {
                let action = match t.track.state {
                    TrackState::Assigned => Action::SignFor,
                    TrackState::CloseRequested if !returned => {
                        returned = true;
                        Action::Return {
                            reason: "补充材料".into(),
                        }
                    }
                    TrackState::CloseRequested => Action::Close {
                        grade: Grade::Pass,
                        reason: String::new(),
                    },
                    _ => Action::ApplyToClose {
                        text: "完成".into(),
                    },
                };
                store
                    .act(None, t.track.id, t.version, &action, later, &cal)
                    .await
                    .unwrap();
            }
            let m = open[0].track.matter_id;
            store
                .withdraw_matter(None, m, None, "重复", later)
                .await
                .unwrap();
            let units = store.units().await.unwrap();
            store
                .create_matter(
                    None,
                    crate::NewMatter {
                        title: "新交办".into(),
                        detail: String::new(),
                        matter_type: MatterType::major(),
                        source: duban_domain::matter::Source::Meeting {
                            name: "常务会议".into(),
                            date: None,
                        },
                        deadline: None,
                        targets: serde_json::json!([]),
                        lead: vec![units[0].id],
                        co: vec![units[2].id],
                        raised_by: None,
                    },
                    later,
                    &cal,
                )
                .await
                .unwrap();
            agree(&store, d("2026-06-16"), "after actions").await;

            // A database from before migration 0003: nothing filled,
            // nothing summed; an action on a row not yet filled counts it
            // whole, the rest is filled on the first request.
            let mut tx = store.pool.begin().await.unwrap();
            tx.exec(
                "UPDATE tracks SET assigned_on = NULL, deploy_due = NULL, signed_on = NULL, first_report_due = NULL, \
                 first_report_on = NULL, resolve_due = NULL, applied_on = NULL, closed_on = NULL, returns = 0",
                args![],
            )
            .await
            .unwrap();
            tx.exec("DELETE FROM track_stats", args![]).await.unwrap();
            tx.commit().await.unwrap();
            let open = store
                .tracks(&TrackFilter {
                    open_only: true,
                    limit: 1000,
                    ..TrackFilter::default()
                })
                .await
                .unwrap();
            let t = open
                .iter()
                .find(|t| t.track.state == TrackState::CloseRequested)
                .expect("a close application under review");
            store
                .act(
                    None,
                    t.track.id,
                    t.version,
                    &Action::Close {
                        grade: Grade::Good,
                        reason: String::new(),
                    },
                    at("2026-06-17 10:00"),
                    &cal,
                )
                .await
                .unwrap();
            agree(&store, d("2026-06-17"), "filled after the migration").await;
            assert_eq!(store.backfill_track_facts(&cal, 10).await.unwrap(), 0);
        }
    }

    /// Generates `units` and `matters` (on 2026-06-15, noon) into `store`;
    /// the event chain's version after.
    async fn generated(store: &Store, units: usize, matters: usize, cal: &Calendar) -> i64 {
        store
            .generate(
                &crate::generate::Spec {
                    units,
                    matters,
                    seed: 3,
                    now: at("2026-06-15 12:00"),
                    batch: 30,
                    password_hash: "h".into(),
                },
                cal,
                |_| {},
            )
            .await
            .unwrap();
        version(store).await
    }

    /// The event chain's last seq.
    async fn version(store: &Store) -> i64 {
        store
            .pool
            .fetch_opt("SELECT MAX(seq) AS v FROM events", args![])
            .await
            .unwrap()
            .unwrap()
            .i64("v")
            .unwrap()
    }

    /// Figures past their age are served while one request computes them
    /// afresh (the others do not wait), and the fresh ones after; figures
    /// of another version, or older than twice the age, never are.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn aged_figures_are_served_while_one_request_renews_them() {
        for store in crate::testing::fresh_stores("stats_aged").await.unwrap() {
            let backend = store.backend();
            let cal = Calendar::official();
            let v = generated(&store, 3, 20, &cal).await;
            let q = StatsQuery {
                units: None,
                today: d("2026-06-15"),
                overdue_limit: 10,
                months: 6,
            };
            let key = format!("{q:?}");
            let fresh = store.compute_stats(&q, &cal).await.unwrap();
            // Figures computed a little over the age ago, marked so they
            // can be told from fresh ones.
            let mut aged = fresh.clone();
            aged.total.tracks = -1;
            let computed = |ago: std::time::Duration| {
                std::time::Instant::now()
                    .checked_sub(ago)
                    .expect("the clock reaches back")
            };
            let over_age = STATS_MAX_AGE + std::time::Duration::from_secs(1);
            store
                .stats_cache
                .put_computed_at(key.clone(), v, aged.clone(), computed(over_age));
            // Nobody renewing them yet: the first request computes (held
            // at a gate until the others have asked).
            let (open, gate) = tokio::sync::oneshot::channel::<()>();
            let lead = tokio::spawn({
                let (store, q, cal, key) = (store.clone(), q.clone(), cal.clone(), key.clone());
                async move {
                    store
                        .stats_cache
                        .shared(key, v, || async {
                            let _ = gate.await;
                            store.compute_stats(&q, &cal).await
                        })
                        .await
                }
            });
            tokio::time::timeout(std::time::Duration::from_secs(60), async {
                while !store.stats_cache.computing(&key, v) && !lead.is_finished() {
                    tokio::task::yield_now().await;
                }
            })
            .await
            .unwrap_or_else(|_| panic!("{backend:?}: the first request never computed"));
            assert!(!lead.is_finished(), "{backend:?}: {:?}", lead.await);
            // Meanwhile the others get the aged figures at once, and no
            // second computation begins.
            let begun = store.stats_cache.computations();
            for _ in 0..3 {
                let s = store.stats(&q, &cal).await.unwrap();
                assert_eq!(s.total.tracks, -1, "{backend:?}");
            }
            assert_eq!(
                store.stats_cache.computations(),
                begun,
                "{backend:?}: a second computation while one renews the figures"
            );
            open.send(()).unwrap();
            let renewed = lead.await.unwrap().unwrap();
            assert_eq!(renewed.total.tracks, fresh.total.tracks, "{backend:?}");
            let s = store.stats(&q, &cal).await.unwrap();
            assert_eq!(s.total.tracks, fresh.total.tracks, "{backend:?}");
            // Aged figures and nobody renewing them: a request gets them at
            // once and a task of its own renews them.
            store
                .stats_cache
                .put_computed_at(key.clone(), v, aged.clone(), computed(over_age));
            let before = store.stats_cache.computations();
            let s = store.stats(&q, &cal).await.unwrap();
            assert_eq!(s.total.tracks, -1, "{backend:?}");
            tokio::time::timeout(std::time::Duration::from_secs(60), async {
                while store.stats_cache.get(&key, v).is_none() {
                    tokio::task::yield_now().await;
                }
            })
            .await
            .unwrap_or_else(|_| panic!("{backend:?}: the figures were never renewed"));
            assert_eq!(store.stats_cache.computations(), before + 1, "{backend:?}");
            let s = store.stats(&q, &cal).await.unwrap();
            assert_eq!(s.total.tracks, fresh.total.tracks, "{backend:?}");
            // Figures older than twice the age are not served even while
            // a request renews them.
            let long_ago = 2 * STATS_MAX_AGE + std::time::Duration::from_secs(1);
            store
                .stats_cache
                .put_computed_at(key.clone(), v, aged.clone(), computed(long_ago));
            assert!(
                matches!(store.stats_cache.kept(&key, v), Kept::Missing),
                "{backend:?}"
            );
            // Nor are figures of another version: a request after a write
            // gets (here: computes) its own.
            store
                .stats_cache
                .put_computed_at(key.clone(), v, aged.clone(), computed(over_age));
            assert!(
                matches!(store.stats_cache.kept(&key, v), Kept::Aged(_)),
                "{backend:?}"
            );
            let other = store
                .stats_cache
                .shared(key.clone(), v + 1, || async { Ok(fresh.clone()) })
                .await
                .unwrap();
            assert_eq!(other.total.tracks, fresh.total.tracks, "{backend:?}");
        }
    }

    /// How the first request of a flight ends, and what the others see.
    #[derive(Debug, Clone, Copy)]
    enum First {
        /// It computes the figures; everyone gets them, computed once.
        Completes,
        /// Its computation fails: it gets the error, one of the others
        /// computes for all.
        Fails,
        /// It is cancelled mid-computation (its future dropped): one of
        /// the others computes for all.
        Cancelled,
    }

    /// Requests asking at once for the same figures share one computation,
    /// whatever becomes of the first; figures after a new event are
    /// computed afresh.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn figures_asked_for_at_once_are_computed_once() {
        // (how the first ends, computations begun in all)
        let cases = [
            (First::Completes, 1),
            (First::Fails, 2),
            (First::Cancelled, 2),
        ];
        const WAITERS: usize = 7;
        for store in crate::testing::fresh_stores("stats_flight").await.unwrap() {
            let backend = store.backend();
            let cal = Calendar::official();
            let v = generated(&store, 4, 60, &cal).await;
            for (i, (first, computations)) in cases.into_iter().enumerate() {
                let what = format!("{backend:?}, {first:?}");
                // A query of its own per case, so each starts with nothing
                // in memory.
                let q = StatsQuery {
                    units: None,
                    today: d("2026-06-15"),
                    overdue_limit: 10 + i as i64,
                    months: 6,
                };
                let key = format!("{q:?}");
                let before = store.stats_cache.computations();
                // The first request, held in its computation until every
                // other request waits on it.
                let (open, gate) = tokio::sync::oneshot::channel::<()>();
                let lead = tokio::spawn({
                    let (store, q, cal, key) = (store.clone(), q.clone(), cal.clone(), key.clone());
                    async move {
                        store
                            .stats_cache
                            .shared(key, v, || async {
                                let _ = gate.await;
                                match first {
                                    First::Completes => store.compute_stats(&q, &cal).await,
                                    First::Fails => Err(Error::Invalid("计算失败".into())),
                                    First::Cancelled => std::future::pending().await,
                                }
                            })
                            .await
                    }
                });
                // The others come once it computes.
                tokio::time::timeout(std::time::Duration::from_secs(60), async {
                    while store.stats_cache.computations() == before && !lead.is_finished() {
                        tokio::task::yield_now().await;
                    }
                })
                .await
                .unwrap_or_else(|_| panic!("{what}: the first request never computed"));
                assert!(!lead.is_finished(), "{what}: {:?}", lead.await);
                let waiters: Vec<_> = (0..WAITERS)
                    .map(|_| {
                        let (store, q, cal) = (store.clone(), q.clone(), cal.clone());
                        tokio::spawn(async move { store.stats(&q, &cal).await })
                    })
                    .collect();
                // Wait (without a clock) until all hold the one flight; a
                // request that ends meanwhile (none should: the database
                // failing, say) is reported rather than waited for.
                let mut waiters = waiters;
                tokio::time::timeout(std::time::Duration::from_secs(60), async {
                    while store.stats_cache.holders(&key, v) < WAITERS + 1
                        && !lead.is_finished()
                        && !waiters.iter().any(|w| w.is_finished())
                    {
                        tokio::task::yield_now().await;
                    }
                })
                .await
                .unwrap_or_else(|_| panic!("{what}: the requests never all waited"));
                if let Some(i) = waiters.iter().position(|w| w.is_finished()) {
                    let r = waiters.remove(i).await;
                    panic!("{what}: a request ended before the computation: {r:?}");
                }
                assert!(!lead.is_finished(), "{what}: {:?}", lead.await);
                assert_eq!(store.stats_cache.computations(), before + 1, "{what}");
                match first {
                    First::Cancelled => {
                        lead.abort();
                        assert!(lead.await.unwrap_err().is_cancelled(), "{what}");
                    }
                    _ => {
                        open.send(()).unwrap();
                        let r = lead.await.unwrap();
                        assert_eq!(
                            r.is_ok(),
                            matches!(first, First::Completes),
                            "{what}: {r:?}"
                        );
                    }
                }
                let expected =
                    serde_json::to_value(store.compute_stats(&q, &cal).await.unwrap()).unwrap();
                for w in waiters {
                    let s = w.await.unwrap().unwrap();
                    assert_eq!(serde_json::to_value(&s).unwrap(), expected, "{what}");
                }
                assert_eq!(
                    store.stats_cache.computations(),
                    before + computations,
                    "{what}: computations begun"
                );
                // Later requests read the figures from memory; no flight
                // is left behind.
                store.stats(&q, &cal).await.unwrap();
                assert_eq!(
                    store.stats_cache.computations(),
                    before + computations,
                    "{what}"
                );
                assert!(locked(&store.stats_cache.0.flights).is_empty(), "{what}");
            }

            // A new matter is a new event: the figures are computed again
            // and count it.
            let q = StatsQuery {
                units: None,
                today: d("2026-06-15"),
                overdue_limit: 10,
                months: 6,
            };
            let old = store.stats(&q, &cal).await.unwrap();
            let before = store.stats_cache.computations();
            let units = store.units().await.unwrap();
            store
                .create_matter(
                    None,
                    crate::NewMatter {
                        title: "新交办".into(),
                        detail: String::new(),
                        matter_type: MatterType::ordinary(),
                        source: duban_domain::matter::Source::Meeting {
                            name: "常务会议".into(),
                            date: None,
                        },
                        deadline: None,
                        targets: serde_json::json!([]),
                        lead: vec![units[0].id],
                        co: vec![],
                        raised_by: None,
                    },
                    at("2026-06-15 13:00"),
                    &cal,
                )
                .await
                .unwrap();
            assert!(version(&store).await > v);
            let new = store.stats(&q, &cal).await.unwrap();
            assert_eq!(store.stats_cache.computations(), before + 1, "{backend:?}");
            assert_eq!(new.total.tracks, old.total.tracks + 1, "{backend:?}");
            assert_eq!(new.matters.open, old.matters.open + 1, "{backend:?}");
            store.stats(&q, &cal).await.unwrap();
            assert_eq!(store.stats_cache.computations(), before + 1, "{backend:?}");
            store.close().await;
        }
    }
}
