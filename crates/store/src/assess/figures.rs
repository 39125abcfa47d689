//! A period's figures per unit ([`UnitFigures`]), for bulletins and the
//! assessment: the tracks **assigned** in the period (by `assigned_on`),
//! judged on the report's day `as_of`, plus the inspections and summons
//! dated in the period. Every unit in view appears, those without a track
//! with zeros.
//!
//! Read from the copies migration 0003 keeps beside each track, through
//! the `tracks_assigned` index (migration 0004, which also keeps the review
//! grade and the extensions granted beside each track), one row per track,
//! never the JSON. The on-time rule is the
//! dashboard's (`crate::stats`): an action on the limit's day is on time, a
//! limit has passed from the next day, withdrawn tracks owe nothing; on top
//! of it, an action dated after `as_of` counts as not yet done, so a
//! bulletin made later for an earlier day says what was known then.
//! Returns and extensions are counted as they stand now.
//!
//! **Overdue** on `as_of`: a track neither withdrawn nor closed by then
//! that missed one of the three 13710 limits the rates judge (sign-for,
//! first report, close application), with the earliest such limit and how
//! many days (in the matter type's counting) it is late. The later
//! reporting nodes of continuing matters are left out here as in the
//! rates; the dashboard's red light counts them too.

use crate::db::Row;
use crate::{args, Error, Result, Store};
use chrono::{Datelike, NaiveDate};
use duban_domain::assess::{InspectionRef, OverdueItem, RateFigures, SummonsRef, UnitFigures};
use duban_domain::calendar::Calendar;
use duban_domain::limits;
use duban_domain::matter::{Counting, MatterType, UnitId};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A comma-separated list of ids for `IN (…)`; ids are integers, so this is
/// safe to inline.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(|u| u.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// What to gather.
#[derive(Debug, Clone)]
pub struct FiguresQuery {
    /// The period, inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the figures are judged on.
    pub as_of: NaiveDate,
    /// Only these units; `None` for every unit.
    pub units: Option<Vec<UnitId>>,
}

/// The figures of a [`FiguresQuery`].
#[derive(Debug, Clone, Default)]
pub struct PeriodFigures {
    /// Every unit in view, by id.
    pub units: Vec<UnitFigures>,
    /// Distinct matters with a track assigned in the period (withdrawn
    /// tracks apart).
    pub matters: i64,
}

/// One track's columns packed into one text (`|`-separated, NULL as
/// empty), in the order [`Packed::parse`] reads them. A year of a large
/// data set is millions of rows; one text per row costs a fraction of
/// fourteen cells each, and the rules stay in one place (here, in Rust).
const PACKED_SQL: &str = "t.id || '|' || t.unit_id || '|' || t.matter_id || '|' || t.state || '|' || \
     COALESCE(t.deploy_due, '') || '|' || COALESCE(t.signed_on, '') || '|' || \
     COALESCE(t.first_report_due, '') || '|' || COALESCE(t.first_report_on, '') || '|' || \
     COALESCE(t.resolve_due, '') || '|' || COALESCE(t.applied_on, '') || '|' || \
     COALESCE(t.closed_on, '') || '|' || t.returns || '|' || COALESCE(t.grade, '') || '|' || t.extensions AS r";

/// A track's columns read back from [`PACKED_SQL`].
struct Packed<'a> {
    id: i64,
    unit: i64,
    matter: i64,
    state: &'a str,
    deploy_due: Option<NaiveDate>,
    signed_on: Option<NaiveDate>,
    first_report_due: Option<NaiveDate>,
    first_report_on: Option<NaiveDate>,
    resolve_due: Option<NaiveDate>,
    applied_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    returns: i64,
    grade: &'a str,
    extensions: i64,
}

impl<'a> Packed<'a> {
    fn parse(text: &'a str) -> Result<Packed<'a>> {
        let bad = || Error::Corrupt(format!("track row {text}"));
        let f: Vec<&str> = text.split('|').collect();
        if f.len() != 14 {
            return Err(bad());
        }
        let int = |s: &str| s.parse::<i64>().map_err(|_| bad());
        let day = |s: &str| -> Result<Option<NaiveDate>> {
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse().map(Some).map_err(|_| bad())
            }
        };
        Ok(Packed {
            id: int(f[0])?,
            unit: int(f[1])?,
            matter: int(f[2])?,
            state: f[3],
            deploy_due: day(f[4])?,
            signed_on: day(f[5])?,
            first_report_due: day(f[6])?,
            first_report_on: day(f[7])?,
            resolve_due: day(f[8])?,
            applied_on: day(f[9])?,
            closed_on: day(f[10])?,
            returns: int(f[11])?,
            grade: f[12],
            extensions: int(f[13])?,
        })
    }
}

/// Puts one limit of one track in its bucket.
fn bucket(
    r: &mut RateFigures,
    id: i64,
    done: Option<NaiveDate>,
    limit: Option<NaiveDate>,
    as_of: NaiveDate,
) {
    match (limit, done) {
        (None, _) => r.no_limit += 1,
        (Some(l), Some(d)) if d <= l => r.on_time += 1,
        (Some(_), Some(_)) => r.late.push(id),
        (Some(l), None) if l < as_of => r.missed.push(id),
        (Some(_), None) => r.pending += 1,
    }
}

fn day(r: &Row, name: &str) -> Result<Option<NaiveDate>> {
    r.opt_str(name)?
        .map(|s| {
            s.parse()
                .map_err(|e| Error::Corrupt(format!("{name} {s}: {e}")))
        })
        .transpose()
}

/// `from`–`to` cut at the ends of calendar months.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let next = start
            .with_day(1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .unwrap_or(to + chrono::Days::new(1));
        let end = next.pred_opt().unwrap_or(to).min(to);
        out.push((start, end));
        start = next;
    }
    out
}

/// An overdue track before its matter's title and counting are read.
struct Late {
    unit: usize,
    track: i64,
    matter: i64,
    limit: &'static str,
    due: NaiveDate,
}

impl Store {
    /// The figures of `q`; days late from `cal`. Rows not yet filled since
    /// migration 0003 are filled first.
    pub async fn period_figures(&self, q: &FiguresQuery, cal: &Calendar) -> Result<PeriodFigures> {
        if self
            .pool
            .fetch_opt(
                "SELECT id FROM tracks WHERE assigned_on IS NULL LIMIT 1",
                args![],
            )
            .await?
            .is_some()
        {
            self.backfill_track_facts(cal, 2000).await?;
        }
        if q.units.as_ref().is_some_and(|u| u.is_empty()) {
            return Ok(PeriodFigures::default());
        }
        let in_units = |alias: &str| match &q.units {
            Some(u) => format!(" AND {alias}.unit_id IN ({})", id_list(u)),
            None => String::new(),
        };
        let names = match &q.units {
            Some(u) => format!(
                "SELECT id, name FROM units WHERE id IN ({}) ORDER BY id",
                id_list(u)
            ),
            None => "SELECT id, name FROM units ORDER BY id".into(),
        };
        let mut units: Vec<UnitFigures> = Vec::new();
        let mut at: HashMap<UnitId, usize> = HashMap::new();
        for r in self.pool.fetch(&names, args![]).await? {
            at.insert(r.i64("id")?, units.len());
            units.push(UnitFigures::empty(r.i64("id")?, &r.str("name")?));
        }
        let (from, to, as_of) = (q.from.to_string(), q.to.to_string(), q.as_of);

        let mut matters = HashSet::new();
        let mut late = Vec::new();
        // A month at a time, so a year of a large data set is never held
        // in memory whole.
        let sql = format!(
            "SELECT {PACKED_SQL} FROM tracks t WHERE t.assigned_on >= $1 AND t.assigned_on <= $2{}",
            in_units("t")
        );
        for (start, end) in months(q.from, q.to) {
            let rows = self
                .pool
                .fetch(&sql, args![start.to_string(), end.to_string()])
                .await?;
            for row in &rows {
                let text = row.str("r")?;
                let r = Packed::parse(&text)?;
                let Some(&i) = at.get(&r.unit) else {
                    continue;
                };
                let u = &mut units[i];
                let id = r.id;
                if r.state == "withdrawn" {
                    u.withdrawn += 1;
                    continue;
                }
                matters.insert(r.matter);
                u.assigned += 1;
                // What was done by `as_of`.
                let by = |d: Option<NaiveDate>| d.filter(|d| *d <= as_of);
                let (signed, reported, applied, closed) = (
                    by(r.signed_on),
                    by(r.first_report_on),
                    by(r.applied_on),
                    by(r.closed_on),
                );
                bucket(&mut u.sign, id, signed, r.deploy_due, as_of);
                bucket(&mut u.report, id, reported, r.first_report_due, as_of);
                bucket(&mut u.close, id, applied, r.resolve_due, as_of);
                u.returns += r.returns;
                u.applications += r.returns + i64::from(applied.is_some());
                if r.returns > 0 {
                    u.returned.push(id);
                }
                if r.extensions > 0 {
                    u.extended.push(id);
                }
                if closed.is_some() {
                    u.closed += 1;
                    match r.grade {
                        "excellent" => u.grades.excellent.push(id),
                        "good" => u.grades.good.push(id),
                        "pass" => u.grades.pass.push(id),
                        "fail" => u.grades.fail.push(id),
                        _ => {}
                    }
                    continue;
                }
                // Open on `as_of`: the earliest limit it missed, if any (the
                // domain's order on one day: deploy, first report, resolve).
                let missed = [
                    (signed, r.deploy_due, "签收部署"),
                    (reported, r.first_report_due, "首次反馈"),
                    (applied, r.resolve_due, "申请办结"),
                ]
                .into_iter()
                .filter_map(|(done, due, what)| match (done, due) {
                    (None, Some(d)) if d < as_of => Some((d, what)),
                    _ => None,
                })
                .min_by_key(|(d, _)| *d);
                if let Some((due, limit)) = missed {
                    late.push(Late {
                        unit: i,
                        track: id,
                        matter: r.matter,
                        limit,
                        due,
                    });
                }
            }
        }
        // The id lists are in id order whatever order the rows came in.
        for u in &mut units {
            for v in [
                &mut u.sign.late,
                &mut u.sign.missed,
                &mut u.report.late,
                &mut u.report.missed,
                &mut u.close.late,
                &mut u.close.missed,
                &mut u.returned,
                &mut u.extended,
                &mut u.grades.excellent,
                &mut u.grades.good,
                &mut u.grades.pass,
                &mut u.grades.fail,
            ] {
                v.sort_unstable();
            }
        }

        // The titles and counting of the overdue tracks' matters.
        let mut info: HashMap<i64, (String, Counting)> = HashMap::new();
        // Matter types are few: each distinct JSON text is read once.
        let mut types: HashMap<String, Counting> = HashMap::new();
        let wanted: Vec<i64> = late
            .iter()
            .map(|l| l.matter)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for chunk in wanted.chunks(500) {
            let sql = format!(
                "SELECT id, title, matter_type FROM matters WHERE id IN ({})",
                id_list(chunk)
            );
            for r in self.pool.fetch(&sql, args![]).await? {
                let text = r.str("matter_type")?;
                let counting = match types.get(&text) {
                    Some(c) => *c,
                    None => {
                        let ty: MatterType = r.json("matter_type")?;
                        types.insert(text, ty.counting);
                        ty.counting
                    }
                };
                info.insert(r.i64("id")?, (r.str("title")?, counting));
            }
        }
        late.sort_by_key(|l| (l.due, l.track));
        // Many tracks share a limit's day: count each day's lateness once.
        let mut days: HashMap<(Counting, NaiveDate), Option<u32>> = HashMap::new();
        for l in late {
            let (title, counting) = info.get(&l.matter).ok_or_else(|| {
                Error::Corrupt(format!("matter {} of track {}", l.matter, l.track))
            })?;
            units[l.unit].overdue.push(OverdueItem {
                track_id: l.track,
                matter_id: l.matter,
                title: title.clone(),
                limit: l.limit.to_string(),
                due: l.due,
                // As the dashboard: at least one day once overdue.
                days_late: *days.entry((*counting, l.due)).or_insert_with(|| {
                    limits::days_between(*counting, cal, l.due, as_of)
                        .ok()
                        .map(|d| d.max(1))
                }),
            });
        }

        // Inspections and summons dated in the period.
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT r.id, r.unit_id, r.kind, r.date, r.finding, r.points, r.major FROM inspections r \
                     WHERE r.date >= $1 AND r.date <= $2{} ORDER BY r.date, r.id",
                    in_units("r")
                ),
                args![from.clone(), to.clone()],
            )
            .await?;
        for r in &rows {
            if let Some(&i) = at.get(&r.i64("unit_id")?) {
                let code = r.str("kind")?;
                units[i].inspections.push(InspectionRef {
                    id: r.i64("id")?,
                    date: day(r, "date")?.unwrap_or(q.from),
                    kind: super::InspectionKind::parse(&code)
                        .map_or(code.clone(), |k| k.label().to_string()),
                    finding: r.str("finding")?,
                    points: r.f64("points")?,
                    major: r.i64("major")? != 0,
                });
            }
        }
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT r.id, r.unit_id, r.date, r.reason FROM summons r \
                     WHERE r.date >= $1 AND r.date <= $2{} ORDER BY r.date, r.id",
                    in_units("r")
                ),
                args![from, to],
            )
            .await?;
        for r in &rows {
            if let Some(&i) = at.get(&r.i64("unit_id")?) {
                units[i].summons.push(SummonsRef {
                    id: r.i64("id")?,
                    date: day(r, "date")?.unwrap_or(q.from),
                    reason: r.str("reason")?,
                });
            }
        }
        Ok(PeriodFigures {
            units,
            matters: matters.len() as i64,
        })
    }
}

/// Figures per unit id, for tests and callers that look units up.
pub fn by_unit(p: &PeriodFigures) -> BTreeMap<UnitId, &UnitFigures> {
    p.units.iter().map(|u| (u.unit_id, u)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_a_month_at_a_time() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            months(d("2024-01-15"), d("2024-03-10")),
            [
                (d("2024-01-15"), d("2024-01-31")),
                (d("2024-02-01"), d("2024-02-29")),
                (d("2024-03-01"), d("2024-03-10")),
            ]
        );
        assert_eq!(
            months(d("2024-12-01"), d("2024-12-31")),
            [(d("2024-12-01"), d("2024-12-31"))]
        );
        assert!(months(d("2024-02-01"), d("2024-01-01")).is_empty());
        assert_eq!(months(d("2000-01-01"), d("2025-06-15")).len(), 306);
    }
}
