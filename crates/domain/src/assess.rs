//! The year-end assessment (年终考核) and the rules of bulletins (通报):
//! rules an admin edits as JSON, checked here with Chinese messages, and
//! the pure functions that turn one unit's figures for a period
//! ([`UnitFigures`], gathered by the store) into a score with an
//! explanation line per indicator ([`score`]), grades by quota
//! ([`grade_units`]) and the commended and criticised units of a bulletin
//! ([`verdict`]).
//!
//! How points are computed (stated once here; the explanation lines repeat
//! the arithmetic for each unit):
//!
//! - **Rate indicators** (签收及时率, 反馈及时率, 按期办结率): points =
//!   rate × weight, the rate as the dashboard defines it (on time ÷ due).
//!   **Return rate** (退回率 = returned close applications ÷ all close
//!   applications made): points = (1 − rate) × weight. With nothing due the
//!   indicator scores per [`Rules::when_nothing_due`] (full weight by
//!   default, so a unit is not punished for having had nothing to do).
//! - **Review grades** (办结质量): the mean of each closed track's grade
//!   value ([`GradeValues`], 优秀 1, 良好 0.8, 合格 0.6, 不合格 0) × weight;
//!   no graded track scores as nothing due.
//! - **Deduction indicators** (督查发现, 约谈): the weight minus the
//!   deductions — an inspection's own points, a summons' `per_event` — with
//!   the ordinary deductions capped at the weight; deductions marked major
//!   (重大问题, 一票否决-like) are not capped and may take points from the
//!   rest of the score.
//! - **Bonuses** (加分): `per` point for each event of the source, at most
//!   `cap`, on top of the weights.
//! - Each line is rounded to 0.01 point; the total is the sum of the
//!   rounded lines, never below 0.
//!
//! Grades by quota (等次): units are ranked by total, best first; equal
//! totals share a rank (1, 1, 3). A grade's quota is an upper limit,
//! counted cumulatively and rounded down: with `n` units, the grades up to
//! and including grade `g` hold at most ⌊n × (sum of their percents) ÷
//! 100⌋ units; the last grade takes the rest. Units with equal totals
//! always get the same grade: a tie that would straddle a quota line goes
//! down whole to the first grade that holds it (so a quota is never
//! exceeded). A grade may also require a minimum score.

mod bulletin;
mod figures;
mod grade;
mod lists;
mod score;

pub use bulletin::{verdict, BulletinRules, Standing, Verdict};
pub use figures::{
    Grades, InspectionRef, OverdueItem, Period, PeriodKind, RateFigures, SummonsRef, UnitFigures,
};
pub use grade::{grade_units, Graded};
pub use lists::{red_black, Lists};
pub use score::{round2, score, Line, Ref, Score};

use serde::{Deserialize, Serialize};

/// What an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// 签收及时率.
    SignFor,
    /// 反馈及时率 (the first account).
    Report,
    /// 按期办结率.
    Close,
    /// 退回率 (fewer is better).
    Returns,
    /// 办结质量: the office's review grades.
    Grades,
    /// 督查发现: inspection findings, each with its own deduction.
    Inspections,
    /// 约谈: each summons deducts `per_event`.
    Summons,
}

impl IndicatorKind {
    pub fn label(self) -> &'static str {
        match self {
            IndicatorKind::SignFor => "签收及时率",
            IndicatorKind::Report => "反馈及时率",
            IndicatorKind::Close => "按期办结率",
            IndicatorKind::Returns => "退回率",
            IndicatorKind::Grades => "办结质量",
            IndicatorKind::Inspections => "督查发现问题",
            IndicatorKind::Summons => "约谈",
        }
    }
}

/// One weighted indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub kind: IndicatorKind,
    /// The name shown; the kind's label when empty.
    #[serde(default)]
    pub label: String,
    pub weight: f64,
    /// Points deducted per event (约谈); unused by the other kinds
    /// (an inspection carries its own deduction).
    #[serde(default)]
    pub per_event: f64,
}

impl Indicator {
    pub fn name(&self) -> &str {
        if self.label.trim().is_empty() {
            self.kind.label()
        } else {
            &self.label
        }
    }
}

/// Where bonus points come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BonusSource {
    /// Each track closed with 优秀.
    Excellent,
}

/// Bonus points (加分), on top of the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    pub source: BonusSource,
    #[serde(default)]
    pub label: String,
    /// Points per event.
    pub per: f64,
    /// At most this many points.
    pub cap: f64,
}

/// The value of each review grade, as a share of the indicator's weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeValues {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
    pub fail: f64,
}

/// How a rate indicator scores when nothing was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenNothingDue {
    /// Full weight.
    Full,
    /// No points.
    Zero,
}

/// One assessment grade (等次) and its quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// 优秀, 良好, 一般, 较差…
    pub name: String,
    /// The most units this grade may hold, in percent of all units; `None`
    /// for the last grade, which takes the rest.
    #[serde(default)]
    pub percent: Option<u32>,
    /// The lowest total this grade accepts.
    #[serde(default)]
    pub min_score: Option<f64>,
}

/// Everything an admin edits, per year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The full score; the weights add up to it.
    pub total: f64,
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub bonuses: Vec<Bonus>,
    pub grade_values: GradeValues,
    pub when_nothing_due: WhenNothingDue,
    /// Best first; the last has no percent.
    pub grades: Vec<Quota>,
    pub bulletin: BulletinRules,
}

impl Default for Rules {
    /// The rules a year starts with: 100 points over the seven indicators,
    /// up to 5 bonus points for 优秀 work, 优秀 30% (at least 90 points),
    /// 良好 60%, then 一般.
    fn default() -> Rules {
        let ind = |kind, weight, per_event| Indicator {
            kind,
            label: String::new(),
            weight,
            per_event,
        };
        Rules {
            total: 100.0,
            indicators: vec![
                ind(IndicatorKind::SignFor, 15.0, 0.0),
                ind(IndicatorKind::Report, 20.0, 0.0),
                ind(IndicatorKind::Close, 25.0, 0.0),
                ind(IndicatorKind::Returns, 10.0, 0.0),
                ind(IndicatorKind::Grades, 10.0, 0.0),
                ind(IndicatorKind::Inspections, 10.0, 0.0),
                ind(IndicatorKind::Summons, 10.0, 5.0),
            ],
            bonuses: vec![Bonus {
                source: BonusSource::Excellent,
                label: "优秀办结加分".into(),
                per: 0.5,
                cap: 5.0,
            }],
            grade_values: GradeValues {
                excellent: 1.0,
                good: 0.8,
                pass: 0.6,
                fail: 0.0,
            },
            when_nothing_due: WhenNothingDue::Full,
            grades: vec![
                Quota {
                    name: "优秀".into(),
                    percent: Some(30),
                    min_score: Some(90.0),
                },
                Quota {
                    name: "良好".into(),
                    percent: Some(60),
                    min_score: None,
                },
                Quota {
                    name: "一般".into(),
                    percent: None,
                    min_score: None,
                },
            ],
            bulletin: BulletinRules::default(),
        }
    }
}

/// Tolerance for adding up weights given with decimals.
const EPS: f64 = 1e-6;

impl Rules {
    /// Every problem with the rules, in Chinese; empty when they can be
    /// used.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let finite = |x: f64| x.is_finite();
        if !finite(self.total) || self.total <= 0.0 {
            out.push(format!("总分应为正数，现为 {}", self.total));
        }
        if self.indicators.is_empty() {
            out.push("至少需要一项考核指标".into());
        }
        let mut seen = Vec::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            let at = format!("第{}项指标“{}”", i + 1, ind.name());
            if seen.contains(&ind.kind) {
                out.push(format!("{at}与前面的指标重复：每类指标只能设一项"));
            }
            seen.push(ind.kind);
            if !finite(ind.weight) || ind.weight <= 0.0 {
                out.push(format!("{at}的权重应为正数，现为 {}", ind.weight));
            }
            if !finite(ind.per_event) || ind.per_event < 0.0 {
                out.push(format!("{at}的每次扣分不能为负数，现为 {}", ind.per_event));
            }
            if ind.kind == IndicatorKind::Summons && ind.per_event <= 0.0 {
                out.push(format!("{at}须设每次约谈扣分（per_event）"));
            }
        }
        let sum: f64 = self.indicators.iter().map(|i| i.weight).sum();
        if (sum - self.total).abs() > EPS {
            out.push(format!(
                "各项指标权重之和为 {}，应等于总分 {}",
                round2(sum),
                self.total
            ));
        }
        for (i, b) in self.bonuses.iter().enumerate() {
            let at = format!("第{}项加分", i + 1);
            if !finite(b.per) || b.per < 0.0 {
                out.push(format!("{at}的每次加分不能为负数，现为 {}", b.per));
            }
            if !finite(b.cap) || b.cap < 0.0 {
                out.push(format!("{at}的加分上限不能为负数，现为 {}", b.cap));
            }
        }
        let g = self.grade_values;
        for (v, name) in [
            (g.excellent, "优秀"),
            (g.good, "良好"),
            (g.pass, "合格"),
            (g.fail, "不合格"),
        ] {
            if !(0.0..=1.0).contains(&v) {
                out.push(format!(
                    "办结质量中“{name}”的分值应在 0 到 1 之间，现为 {v}"
                ));
            }
        }
        if self.grades.is_empty() {
            out.push("至少需要一个考核等次".into());
        }
        let mut sum_pct = 0u32;
        let last = self.grades.len().saturating_sub(1);
        for (i, q) in self.grades.iter().enumerate() {
            if q.name.trim().is_empty() {
                out.push(format!("第{}个等次缺少名称", i + 1));
            }
            match (i == last, q.percent) {
                (true, Some(_)) => out.push(format!(
                    "最后一个等次“{}”不设比例（取其余单位），请删去 percent",
                    q.name
                )),
                (false, None) => out.push(format!("等次“{}”须设比例上限 percent", q.name)),
                (false, Some(p)) => sum_pct = sum_pct.saturating_add(p),
                (true, None) => {}
            }
            if let Some(m) = q.min_score {
                if !finite(m) || m < 0.0 {
                    out.push(format!("等次“{}”的最低分不能为负数，现为 {m}", q.name));
                }
            }
        }
        if sum_pct > 100 {
            out.push(format!("各等次比例之和为 {sum_pct}%，不能超过 100%"));
        }
        out.extend(self.bulletin.problems());
        out
    }

    /// The rules if they can be used, else every problem joined.
    pub fn validate(&self) -> Result<(), String> {
        let p = self.problems();
        if p.is_empty() {
            Ok(())
        } else {
            Err(p.join("；"))
        }
    }

    /// Rules from JSON text, checked.
    pub fn from_json(text: &str) -> Result<Rules, String> {
        let r: Rules =
            serde_json::from_str(text).map_err(|e| format!("考核规则不是有效的 JSON：{e}"))?;
        r.validate()?;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_rules_are_valid() {
        assert_eq!(Rules::default().problems(), Vec::<String>::new());
        let text = serde_json::to_string(&Rules::default()).unwrap();
        assert_eq!(Rules::from_json(&text).unwrap(), Rules::default());
    }

    #[test]
    fn bad_rules_are_refused_with_every_reason() {
        type Edit = fn(&mut Rules);
        let cases: &[(Edit, &str)] = &[
            (
                |r| r.indicators[0].weight = 20.0,
                "各项指标权重之和为 105，应等于总分 100",
            ),
            (|r| r.indicators[0].weight = -15.0, "权重应为正数"),
            (|r| r.bonuses[0].cap = -1.0, "第1项加分的加分上限不能为负数"),
            (|r| r.grades[0].percent = Some(50), "各等次比例之和为 110%"),
            // Large enough to overflow a sum (was a panic, the request's
            // connection dropped).
            (|r| r.grades[0].percent = Some(u32::MAX), "不能超过 100%"),
            (
                |r| r.grades[2].percent = Some(10),
                "最后一个等次“一般”不设比例",
            ),
            (|r| r.grades[1].percent = None, "等次“良好”须设比例上限"),
            (|r| r.indicators[1].kind = IndicatorKind::SignFor, "重复"),
            (|r| r.indicators[6].per_event = 0.0, "须设每次约谈扣分"),
            (
                |r| r.grade_values.good = 1.5,
                "“良好”的分值应在 0 到 1 之间",
            ),
            (|r| r.grades.clear(), "至少需要一个考核等次"),
            (|r| r.bulletin.criticise_close_rate_below = 120, "批评"),
        ];
        for (edit, want) in cases {
            let mut r = Rules::default();
            edit(&mut r);
            let got = r.validate().unwrap_err();
            assert!(got.contains(want), "want {want:?} in {got:?}");
        }
        assert!(Rules::from_json("{")
            .unwrap_err()
            .starts_with("考核规则不是有效的 JSON"));
        assert!(Rules::from_json(r#"{"total": 100, "oops": 1}"#).is_err());
    }
}
