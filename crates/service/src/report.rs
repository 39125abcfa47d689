//! Supervision outputs built from the record: the bulletin (通报) of a
//! period for a set of units, the red and black lists (红黑榜), and the
//! year-end assessment (年终考核). The figures come from the store
//! ([`Store::period_figures`]), the rules and arithmetic from the domain
//! ([`duban_domain::assess`]); this module puts them together, and
//! [`docx`] lays them out as official documents.
//!
//! Every output is judged on one day, `as_of`: by default the period's last
//! day, or today while the period runs (a bulletin for the third quarter
//! made in October speaks "截至9月30日").
//!
//! The scores of a period use the assessment rules of the year the period
//! starts in. Grades by quota are given among **all** units, whoever looks
//! (a leader's view does not change a unit's grade); the red and black
//! lists rank the units in view.

pub mod docx;

use chrono::{Datelike, NaiveDate};
use duban_domain::assess::{
    self, grade_units, verdict, BulletinRules, Line, Period, RateFigures, Rules, Score, Standing,
    UnitFigures,
};
use duban_domain::calendar::Calendar;
use duban_domain::matter::UnitId;
use duban_store::assess::FiguresQuery;
use duban_store::{Result, Store};
use serde::Serialize;

/// The day a period is judged on: its last day, or `today` while it runs.
pub fn default_as_of(p: &Period, today: NaiveDate) -> NaiveDate {
    p.to.min(today)
}

/// A rate as shown: its buckets and the rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RateView {
    pub on_time: i64,
    pub late: i64,
    pub missed: i64,
    pub pending: i64,
    pub no_limit: i64,
    pub due: i64,
    pub rate: Option<f64>,
}

impl RateView {
    fn of(r: &RateFigures) -> RateView {
        RateView {
            on_time: r.on_time,
            late: r.late.len() as i64,
            missed: r.missed.len() as i64,
            pending: r.pending,
            no_limit: r.no_limit,
            due: r.due(),
            rate: r.rate(),
        }
    }

    fn add(&mut self, o: &RateView) {
        self.on_time += o.on_time;
        self.late += o.late;
        self.missed += o.missed;
        self.pending += o.pending;
        self.no_limit += o.no_limit;
        self.due += o.due;
        self.rate = (self.due > 0).then(|| self.on_time as f64 / self.due as f64);
    }

    /// `95.6%`, or `—` with nothing due.
    pub fn percent(&self) -> String {
        match self.rate {
            Some(r) => format!("{:.1}%", r * 100.0),
            None => "—".into(),
        }
    }
}

/// One unit's row of a bulletin (or the total, `unit_id` 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BulletinRow {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub assigned: i64,
    pub withdrawn: i64,
    pub sign_for: RateView,
    pub report: RateView,
    pub close: RateView,
    pub closed: i64,
    pub overdue: i64,
    /// Close applications returned, counted per return.
    pub returns: i64,
    /// Tracks returned at least once.
    pub returned: i64,
    /// Tracks granted an extension.
    pub extended: i64,
    /// Nothing fell due in the period (无考核事项): not commended, not
    /// criticised, not ranked.
    pub nothing_due: bool,
}

impl BulletinRow {
    fn of(f: &UnitFigures) -> BulletinRow {
        BulletinRow {
            unit_id: f.unit_id,
            unit_name: f.unit_name.clone(),
            assigned: f.assigned,
            withdrawn: f.withdrawn,
            sign_for: RateView::of(&f.sign),
            report: RateView::of(&f.report),
            close: RateView::of(&f.close),
            closed: f.closed,
            overdue: f.overdue.len() as i64,
            returns: f.returns,
            returned: f.returned.len() as i64,
            extended: f.extended.len() as i64,
            nothing_due: f.nothing_due(),
        }
    }

    fn add(&mut self, o: &BulletinRow) {
        self.assigned += o.assigned;
        self.withdrawn += o.withdrawn;
        self.sign_for.add(&o.sign_for);
        self.report.add(&o.report);
        self.close.add(&o.close);
        self.closed += o.closed;
        self.overdue += o.overdue;
        self.returns += o.returns;
        self.returned += o.returned;
        self.extended += o.extended;
    }
}

/// A track in the bulletin's overdue list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverdueRow {
    pub track_id: i64,
    pub matter_id: i64,
    pub title: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub limit: String,
    pub due: NaiveDate,
    pub days_late: Option<u32>,
}

/// A unit commended or criticised, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub reasons: Vec<String>,
}

/// A bulletin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bulletin {
    pub period: Period,
    pub as_of: NaiveDate,
    /// Whose units, when not all (a leader's name).
    pub scope: Option<String>,
    pub title: String,
    /// Distinct matters assigned in the period.
    pub matters: i64,
    pub total: BulletinRow,
    /// Every unit in view, by id (those without a track too).
    pub units: Vec<BulletinRow>,
    /// How many tracks are overdue in all.
    pub overdue_total: usize,
    /// Most overdue first, at most the query's `overdue_limit`.
    pub overdue: Vec<OverdueRow>,
    pub commended: Vec<Named>,
    pub criticised: Vec<Named>,
    pub rules: BulletinRules,
}

/// What a bulletin covers.
#[derive(Debug, Clone)]
pub struct BulletinQuery {
    pub period: Period,
    pub as_of: NaiveDate,
    /// `None` for all units.
    pub units: Option<Vec<UnitId>>,
    pub scope: Option<String>,
    /// How many overdue tracks to list (the longest overdue first).
    pub overdue_limit: usize,
}

/// The bulletin's title.
pub fn bulletin_title(p: &Period) -> String {
    format!("关于{}重点工作督办情况的通报", p.label)
}

async fn figures(
    store: &Store,
    p: &Period,
    as_of: NaiveDate,
    units: Option<Vec<UnitId>>,
    cal: &Calendar,
) -> Result<duban_store::assess::PeriodFigures> {
    store
        .period_figures(
            &FiguresQuery {
                from: p.from,
                to: p.to,
                as_of,
                units,
            },
            cal,
        )
        .await
}

/// The bulletin for `q`.
pub async fn bulletin(store: &Store, q: &BulletinQuery, cal: &Calendar) -> Result<Bulletin> {
    let (rules, _) = store.assessment_rules(q.period.from.year()).await?;
    let figs = figures(store, &q.period, q.as_of, q.units.clone(), cal).await?;
    let mut total = BulletinRow::default();
    let mut units = Vec::new();
    let (mut commended, mut criticised, mut overdue) = (Vec::new(), Vec::new(), Vec::new());
    for f in &figs.units {
        let row = BulletinRow::of(f);
        total.add(&row);
        units.push(row);
        let v = verdict(&rules.bulletin, f);
        let named = Named {
            unit_id: f.unit_id,
            unit_name: f.unit_name.clone(),
            reasons: v.reasons,
        };
        match v.standing {
            Standing::Commended => commended.push(named),
            Standing::Criticised => criticised.push(named),
            Standing::Neither => {}
        }
        overdue.extend(f.overdue.iter().map(|o| OverdueRow {
            track_id: o.track_id,
            matter_id: o.matter_id,
            title: o.title.clone(),
            unit_id: f.unit_id,
            unit_name: f.unit_name.clone(),
            limit: o.limit.clone(),
            due: o.due,
            days_late: o.days_late,
        }));
    }
    overdue.sort_by_key(|o| (o.due, o.track_id));
    let overdue_total = overdue.len();
    overdue.truncate(q.overdue_limit);
    total.unit_name = "合计".into();
    total.nothing_due = units.iter().all(|u| u.nothing_due);
    Ok(Bulletin {
        title: bulletin_title(&q.period),
        period: q.period.clone(),
        as_of: q.as_of,
        scope: q.scope.clone(),
        matters: figs.matters,
        total,
        units,
        overdue_total,
        overdue,
        commended,
        criticised,
        rules: rules.bulletin,
    })
}

/// A unit's line of an assessment or a red and black list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessed {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub total: f64,
    pub rank: usize,
    pub grade: String,
    pub lines: Vec<Line>,
}

/// The scores of every unit with something due in a period, graded among
/// all of them, in rank order; and the units with nothing due.
async fn assessed(
    store: &Store,
    p: &Period,
    as_of: NaiveDate,
    rules: &Rules,
    cal: &Calendar,
) -> Result<(Vec<Assessed>, Vec<Unassessed>)> {
    let figs = figures(store, p, as_of, None, cal).await?;
    let unassessed = figs
        .units
        .iter()
        .filter(|f| f.nothing_due())
        .map(|f| Unassessed {
            unit_id: f.unit_id,
            unit_name: f.unit_name.clone(),
        })
        .collect();
    let scores: Vec<Score> = figs
        .units
        .iter()
        .filter(|f| !f.nothing_due())
        .map(|f| assess::score(rules, f))
        .collect();
    let graded = grade_units(rules, &scores);
    let ranked = graded
        .into_iter()
        .map(|g| {
            let lines = scores
                .iter()
                .find(|s| s.unit_id == g.unit_id)
                .map(|s| s.lines.clone())
                .unwrap_or_default();
            Assessed {
                unit_id: g.unit_id,
                unit_name: g.unit_name,
                total: g.total,
                rank: g.rank,
                grade: g.grade,
                lines,
            }
        })
        .collect();
    Ok((ranked, unassessed))
}

/// A unit with nothing due in the period (无考核事项): not ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unassessed {
    pub unit_id: UnitId,
    pub unit_name: String,
}

/// The year-end assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub year: i32,
    pub as_of: NaiveDate,
    pub rules: Rules,
    /// Whether the rules were set for the year (the defaults otherwise).
    pub rules_set: bool,
    /// How many units were graded (all with something due).
    pub graded_units: usize,
    /// The units in view, in rank order.
    pub units: Vec<Assessed>,
    /// The units in view with nothing due in the year (无考核事项).
    pub unassessed: Vec<Unassessed>,
}

/// The assessment of `year` on `as_of`, showing `view` (`None`: all).
pub async fn assessment(
    store: &Store,
    year: i32,
    as_of: NaiveDate,
    view: Option<&[UnitId]>,
    cal: &Calendar,
) -> Result<Assessment> {
    let period = Period::year(year)
        .ok_or_else(|| duban_store::Error::Invalid(format!("年份 {year} 无效")))?;
    let (rules, rules_set) = store.assessment_rules(year).await?;
    let (all, unassessed) = assessed(store, &period, as_of, &rules, cal).await?;
    let graded_units = all.len();
    let units = all
        .into_iter()
        .filter(|a| view.is_none_or(|v| v.contains(&a.unit_id)))
        .collect();
    let unassessed = unassessed
        .into_iter()
        .filter(|a| view.is_none_or(|v| v.contains(&a.unit_id)))
        .collect();
    Ok(Assessment {
        year,
        as_of,
        rules,
        rules_set,
        graded_units,
        units,
        unassessed,
    })
}

/// The red and black lists of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedBlack {
    pub period: Period,
    pub as_of: NaiveDate,
    pub n: usize,
    /// Best first: at most `n` units, ranked among those in view with
    /// something due.
    pub red: Vec<Assessed>,
    /// Worst first: at most `n` units, not on the red list.
    pub black: Vec<Assessed>,
    /// Units tied where a list would overflow, left off, and why.
    pub notes: Vec<String>,
    /// How many units were ranked.
    pub ranked: usize,
    /// Units in view with nothing due (无考核事项), not ranked.
    pub unassessed: Vec<Unassessed>,
}

/// The red and black lists of `period` among the units in `view` (see
/// [`assess::red_black`] for ties).
pub async fn redblack(
    store: &Store,
    period: &Period,
    as_of: NaiveDate,
    n: usize,
    view: Option<&[UnitId]>,
    cal: &Calendar,
) -> Result<RedBlack> {
    let (rules, _) = store.assessment_rules(period.from.year()).await?;
    let figs = figures(store, period, as_of, view.map(<[_]>::to_vec), cal).await?;
    let (due, idle): (Vec<&UnitFigures>, Vec<&UnitFigures>) =
        figs.units.iter().partition(|f| !f.nothing_due());
    let scores: Vec<Score> = due.iter().map(|f| assess::score(&rules, f)).collect();
    let lists = assess::red_black(&scores, n);
    let line = |&(i, rank): &(usize, usize)| Assessed {
        unit_id: scores[i].unit_id,
        unit_name: scores[i].unit_name.clone(),
        total: scores[i].total,
        rank,
        grade: String::new(),
        lines: scores[i].lines.clone(),
    };
    Ok(RedBlack {
        period: period.clone(),
        as_of,
        n,
        red: lists.red.iter().map(line).collect(),
        black: lists.black.iter().map(line).collect(),
        notes: lists.notes,
        ranked: scores.len(),
        unassessed: idle
            .iter()
            .map(|f| Unassessed {
                unit_id: f.unit_id,
                unit_name: f.unit_name.clone(),
            })
            .collect(),
    })
}
