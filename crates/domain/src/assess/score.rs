//! A unit's score under the rules, one explanation line per indicator and
//! bonus, and the grades by quota. The arithmetic is in the parent
//! module's documentation; each line's `why` repeats it with the unit's
//! numbers, and its `refs` name the tracks and records it came from.

use super::{BonusSource, IndicatorKind, Rules, UnitFigures, WhenNothingDue};
use crate::matter::UnitId;
use serde::{Deserialize, Serialize};

/// What a line's points came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Ref {
    Track(i64),
    Inspection(i64),
    Summons(i64),
}

/// One indicator's or bonus's points for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The indicator's name.
    pub indicator: String,
    /// The indicator's kind (`sign_for`, …) or `bonus`.
    pub kind: String,
    /// The weight (or a bonus's cap).
    pub max: f64,
    pub points: f64,
    /// The arithmetic, in Chinese.
    pub why: String,
    pub refs: Vec<Ref>,
}

/// A unit's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub total: f64,
    pub lines: Vec<Line>,
}

/// `x` rounded to 0.01.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A number as people write it: 15, 17.5, 18.75.
fn num(x: f64) -> String {
    let r = round2(x);
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn pct(r: f64) -> String {
    format!("{:.2}%", r * 100.0)
}

fn tracks(ids: &[i64]) -> Vec<Ref> {
    ids.iter().map(|&i| Ref::Track(i)).collect()
}

/// The points of a rate-like indicator with nothing due.
fn nothing_due(rules: &Rules, weight: f64, what: &str) -> (f64, String) {
    match rules.when_nothing_due {
        WhenNothingDue::Full => (weight, format!("{what}，按满分计 {}", num(weight))),
        WhenNothingDue::Zero => (0.0, format!("{what}，不得分")),
    }
}

/// The unit's score under `rules`.
pub fn score(rules: &Rules, f: &UnitFigures) -> Score {
    let mut lines = Vec::new();
    for ind in &rules.indicators {
        let w = ind.weight;
        let (points, why, refs) = match ind.kind {
            IndicatorKind::SignFor | IndicatorKind::Report | IndicatorKind::Close => {
                let (r, done) = match ind.kind {
                    IndicatorKind::SignFor => (&f.sign, "签收"),
                    IndicatorKind::Report => (&f.report, "反馈"),
                    _ => (&f.close, "申请办结"),
                };
                let mut refs = tracks(&r.late);
                refs.extend(tracks(&r.missed));
                match r.rate() {
                    Some(rate) => {
                        let p = rate * w;
                        let mut why = format!(
                            "按时{done} {} 项 ÷ 应{done} {} 项 = {}，{} × {} = {}",
                            r.on_time,
                            r.due(),
                            pct(rate),
                            pct(rate),
                            num(w),
                            num(p)
                        );
                        if !r.late.is_empty() || !r.missed.is_empty() {
                            why.push_str(&format!(
                                "；超时{done} {} 项，逾期未{done} {} 项",
                                r.late.len(),
                                r.missed.len()
                            ));
                        }
                        (p, why, refs)
                    }
                    None => {
                        let (p, why) = nothing_due(rules, w, &format!("无应{done}的任务"));
                        (p, why, refs)
                    }
                }
            }
            IndicatorKind::Returns => match f.return_rate() {
                Some(rate) => {
                    let p = (1.0 - rate) * w;
                    let why = format!(
                        "退回 {} 次 ÷ 申请办结 {} 次 = {}，(1 − {}) × {} = {}",
                        f.returns,
                        f.applications,
                        pct(rate),
                        pct(rate),
                        num(w),
                        num(p)
                    );
                    (p, why, tracks(&f.returned))
                }
                None => {
                    let (p, why) = nothing_due(rules, w, "没有申请办结");
                    (p, why, Vec::new())
                }
            },
            IndicatorKind::Grades => {
                let g = &f.grades;
                let v = rules.grade_values;
                let n = g.count();
                if n == 0 {
                    let (p, why) = nothing_due(rules, w, "没有评定等次的办结任务");
                    (p, why, Vec::new())
                } else {
                    let sum = g.excellent.len() as f64 * v.excellent
                        + g.good.len() as f64 * v.good
                        + g.pass.len() as f64 * v.pass
                        + g.fail.len() as f64 * v.fail;
                    let mean = sum / n as f64;
                    let p = mean * w;
                    let why = format!(
                        "优秀 {} 项 × {} + 良好 {} 项 × {} + 合格 {} 项 × {} + 不合格 {} 项 × {} = {}，÷ {} 项 = {}，× {} = {}",
                        g.excellent.len(),
                        num(v.excellent),
                        g.good.len(),
                        num(v.good),
                        g.pass.len(),
                        num(v.pass),
                        g.fail.len(),
                        num(v.fail),
                        num(sum),
                        n,
                        pct(mean),
                        num(w),
                        num(p)
                    );
                    let mut refs = tracks(&g.excellent);
                    refs.extend(tracks(&g.good));
                    refs.extend(tracks(&g.pass));
                    refs.extend(tracks(&g.fail));
                    (p, why, refs)
                }
            }
            IndicatorKind::Inspections => {
                let hits: Vec<_> = f
                    .inspections
                    .iter()
                    .filter(|i| i.points > 0.0 || i.major)
                    .collect();
                let normal: f64 = hits.iter().filter(|i| !i.major).map(|i| i.points).sum();
                let major: f64 = hits.iter().filter(|i| i.major).map(|i| i.points).sum();
                let n_major = hits.iter().filter(|i| i.major).count();
                let capped = normal.min(w);
                let p = w - capped - major;
                let mut why = format!(
                    "满分 {}；督查发现问题 {} 次扣 {} 分",
                    num(w),
                    hits.len() - n_major,
                    num(normal)
                );
                if normal > w {
                    why.push_str(&format!("，以本项权重封顶扣 {}", num(w)));
                }
                if n_major > 0 {
                    why.push_str(&format!(
                        "；重大问题 {n_major} 次扣 {} 分（不封顶）",
                        num(major)
                    ));
                }
                why.push_str(&format!("，得 {}", num(p)));
                let refs = hits.iter().map(|i| Ref::Inspection(i.id)).collect();
                (p, why, refs)
            }
            IndicatorKind::Summons => {
                let n = f.summons.len();
                let ded = n as f64 * ind.per_event;
                let p = w - ded.min(w);
                let mut why = format!(
                    "满分 {}；约谈 {n} 次 × {} = 扣 {} 分",
                    num(w),
                    num(ind.per_event),
                    num(ded)
                );
                if ded > w {
                    why.push_str(&format!("，以本项权重封顶扣 {}", num(w)));
                }
                why.push_str(&format!("，得 {}", num(p)));
                let refs = f.summons.iter().map(|s| Ref::Summons(s.id)).collect();
                (p, why, refs)
            }
        };
        lines.push(Line {
            indicator: ind.name().to_string(),
            kind: serde_json::to_value(ind.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            max: w,
            points: round2(points),
            why,
            refs,
        });
    }
    for b in &rules.bonuses {
        let (n, refs, what) = match b.source {
            BonusSource::Excellent => (
                f.grades.excellent.len(),
                tracks(&f.grades.excellent),
                "优秀办结",
            ),
        };
        let raw = n as f64 * b.per;
        let p = raw.min(b.cap);
        let mut why = format!("{what} {n} 项 × {} = {}", num(b.per), num(raw));
        if raw > b.cap {
            why.push_str(&format!("，加分上限 {}", num(b.cap)));
        }
        why.push_str(&format!("，加 {}", num(p)));
        let label = if b.label.trim().is_empty() {
            "加分".to_string()
        } else {
            b.label.clone()
        };
        lines.push(Line {
            indicator: label,
            kind: "bonus".into(),
            max: b.cap,
            points: round2(p),
            why,
            refs,
        });
    }
    let total: f64 = lines.iter().map(|l| l.points).sum();
    Score {
        unit_id: f.unit_id,
        unit_name: f.unit_name.clone(),
        total: round2(total.max(0.0)),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{InspectionRef, RateFigures, SummonsRef};
    use super::*;
    use chrono::NaiveDate;

    fn rate(on_time: i64, late: &[i64], missed: &[i64]) -> RateFigures {
        RateFigures {
            on_time,
            late: late.to_vec(),
            missed: missed.to_vec(),
            ..RateFigures::default()
        }
    }

    fn insp(id: i64, points: f64, major: bool) -> InspectionRef {
        InspectionRef {
            id,
            date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            kind: "现场督查".into(),
            finding: "台账不全".into(),
            points,
            major,
        }
    }

    fn summons(id: i64) -> SummonsRef {
        SummonsRef {
            id,
            date: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
            reason: "反馈不及时".into(),
        }
    }

    /// A unit with a bit of everything.
    fn busy() -> UnitFigures {
        let mut f = UnitFigures::empty(1, "甲局");
        f.sign = rate(9, &[11], &[]);
        f.report = rate(8, &[12], &[13]);
        f.close = rate(3, &[14], &[]);
        f.applications = 5;
        f.returns = 1;
        f.returned = vec![15];
        f.grades.excellent = vec![21, 22];
        f.grades.good = vec![23];
        f.grades.fail = vec![24];
        f.inspections = vec![insp(1, 3.0, false), insp(2, 2.0, false), insp(3, 4.0, true)];
        f.summons = vec![summons(1)];
        f
    }

    fn points(s: &Score) -> Vec<f64> {
        s.lines.iter().map(|l| l.points).collect()
    }

    #[test]
    fn scores_match_the_hand_computed_tables() {
        let full = Rules::default();
        let zero = Rules {
            when_nothing_due: WhenNothingDue::Zero,
            ..Rules::default()
        };
        let mut capped = UnitFigures::empty(3, "丙局");
        // 6 + 7 = 13 ordinary points, capped at 10; a major 3 on top.
        capped.inspections = vec![insp(4, 6.0, false), insp(5, 7.0, false), insp(6, 3.0, true)];
        // 3 × 5 = 15, capped at 10.
        capped.summons = vec![summons(2), summons(3), summons(4)];
        // 12 优秀: grades 10; bonus 12 × 0.5 = 6, capped at 5.
        capped.grades.excellent = (100..112).collect();
        let mut odd = UnitFigures::empty(4, "丁局");
        odd.sign = rate(2, &[1], &[]); // 2/3 × 15 = 10
        odd.report = rate(1, &[], &[2, 3]); // 1/3 × 20 = 6.666… → 6.67
        odd.close = rate(1, &[4, 5, 6], &[7, 8, 9]); // 1/7 × 25 = 3.571… → 3.57
        let mut sunk = UnitFigures::empty(5, "戊局");
        sunk.inspections = vec![insp(7, 200.0, true)];
        // (rules, figures, lines: sign report close returns grades inspections summons bonus, total)
        let cases: Vec<(&Rules, UnitFigures, [f64; 8], f64)> = vec![
            // 0.9×15=13.5; 0.8×20=16; 0.75×25=18.75; (1−1/5)×10=8;
            // (2×1+0.8+0)/4=0.7 ×10=7; 10−(3+2)−4=1; 10−5=5; 2×0.5=1.
            (
                &full,
                busy(),
                [13.5, 16.0, 18.75, 8.0, 7.0, 1.0, 5.0, 1.0],
                70.25,
            ),
            // No matters: every rate-like indicator scores full.
            (
                &full,
                UnitFigures::empty(2, "乙局"),
                [15.0, 20.0, 25.0, 10.0, 10.0, 10.0, 10.0, 0.0],
                100.0,
            ),
            // No matters, nothing due scores zero: only the deductions' 20.
            (
                &zero,
                UnitFigures::empty(2, "乙局"),
                [0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 10.0, 0.0],
                20.0,
            ),
            // 15+20+25+10+10 + (10−10−3) + (10−10) + 5 = 82.
            (
                &full,
                capped,
                [15.0, 20.0, 25.0, 10.0, 10.0, -3.0, 0.0, 5.0],
                82.0,
            ),
            // 10 + 6.67 + 3.57 + 10 + 10 + 10 + 10 = 60.24.
            (
                &full,
                odd,
                [10.0, 6.67, 3.57, 10.0, 10.0, 10.0, 10.0, 0.0],
                60.24,
            ),
            // 90 + (10 − 0 − 200) = −100: the total stops at 0.
            (
                &full,
                sunk,
                [15.0, 20.0, 25.0, 10.0, 10.0, -190.0, 10.0, 0.0],
                0.0,
            ),
        ];
        for (rules, f, lines, total) in cases {
            let s = score(rules, &f);
            assert_eq!(points(&s), lines, "{}", f.unit_name);
            assert_eq!(s.total, total, "{}", f.unit_name);
        }
    }

    #[test]
    fn lines_explain_and_name_their_sources() {
        let s = score(&Rules::default(), &busy());
        let line = |k: &str| s.lines.iter().find(|l| l.kind == k).unwrap();
        assert_eq!(
            line("report").why,
            "按时反馈 8 项 ÷ 应反馈 10 项 = 80.00%，80.00% × 20 = 16；超时反馈 1 项，逾期未反馈 1 项"
        );
        assert_eq!(line("report").refs, [Ref::Track(12), Ref::Track(13)]);
        assert_eq!(
            line("inspections").why,
            "满分 10；督查发现问题 2 次扣 5 分；重大问题 1 次扣 4 分（不封顶），得 1"
        );
        assert_eq!(
            line("inspections").refs,
            [Ref::Inspection(1), Ref::Inspection(2), Ref::Inspection(3)]
        );
        assert_eq!(line("summons").refs, [Ref::Summons(1)]);
        assert_eq!(
            line("returns").why,
            "退回 1 次 ÷ 申请办结 5 次 = 20.00%，(1 − 20.00%) × 10 = 8"
        );
        assert_eq!(line("bonus").why, "优秀办结 2 项 × 0.5 = 1，加 1");
        let empty = score(&Rules::default(), &UnitFigures::empty(9, "空"));
        assert_eq!(empty.lines[0].why, "无应签收的任务，按满分计 15");
    }
}
