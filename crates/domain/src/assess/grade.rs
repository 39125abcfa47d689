//! Ranks and grades by quota (等次): the rule is in the parent module's
//! documentation — totals compared to the hundredth, equal totals share a
//! rank and a grade, quotas are cumulative upper limits rounded down, a tie
//! that straddles a quota line goes down whole.

use super::{Rules, Score};
use crate::matter::UnitId;
use serde::{Deserialize, Serialize};

/// A unit's place after grading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graded {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub total: f64,
    /// Equal totals share a rank: 1, 1, 3.
    pub rank: usize,
    pub grade: String,
}

/// Ranks and grades the units: best total first, ties by unit id for the
/// order only (they share rank and grade). See the parent module for the
/// quota rule.
pub fn grade_units(rules: &Rules, scores: &[Score]) -> Vec<Graded> {
    let key = |s: &Score| (s.total * 100.0).round() as i64;
    let mut order: Vec<&Score> = scores.iter().collect();
    order.sort_by_key(|s| (-key(s), s.unit_id));
    let n = order.len() as u64;
    // The most units the grades up to each one may hold together.
    let mut caps = Vec::new();
    let mut cum = 0u64;
    for q in &rules.grades {
        match q.percent {
            Some(p) => {
                cum += u64::from(p);
                caps.push(Some(n * cum / 100));
            }
            None => caps.push(None),
        }
    }
    let mut out = Vec::with_capacity(order.len());
    let mut placed = 0u64;
    let mut g = 0usize;
    let mut i = 0usize;
    while i < order.len() {
        let k = key(order[i]);
        let group: Vec<&Score> = order[i..]
            .iter()
            .take_while(|s| key(s) == k)
            .copied()
            .collect();
        let size = group.len() as u64;
        let total = group[0].total;
        while g + 1 < rules.grades.len() {
            let fits = caps[g].is_none_or(|c| placed + size <= c);
            let enough = rules.grades[g].min_score.is_none_or(|m| total >= m);
            if fits && enough {
                break;
            }
            g += 1;
        }
        let grade = rules
            .grades
            .get(g)
            .map(|q| q.name.clone())
            .unwrap_or_default();
        for s in &group {
            out.push(Graded {
                unit_id: s.unit_id,
                unit_name: s.unit_name.clone(),
                total: s.total,
                rank: i + 1,
                grade: grade.clone(),
            });
        }
        placed += size;
        i += group.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::round2;
    use super::*;

    fn s(unit_id: i64, total: f64) -> Score {
        Score {
            unit_id,
            unit_name: format!("单位{unit_id}"),
            total,
            lines: vec![],
        }
    }

    /// (units' totals, expected (unit, rank, grade) in order)
    type Case = (Vec<Score>, Vec<(i64, usize, &'static str)>);

    #[test]
    fn grades_follow_the_quotas_rounded_down_and_keep_ties_together() {
        let cases: Vec<Case> = vec![
            // 7 units: 优秀 ⌊7×30%⌋ = 2, 优秀+良好 ⌊7×90%⌋ = 6, the rest 一般.
            // 91 would be the 3rd 优秀: over the quota, so 良好.
            (
                vec![
                    s(1, 95.0),
                    s(2, 93.0),
                    s(3, 91.0),
                    s(4, 80.0),
                    s(5, 80.0),
                    s(6, 70.0),
                    s(7, 60.0),
                ],
                vec![
                    (1, 1, "优秀"),
                    (2, 2, "优秀"),
                    (3, 3, "良好"),
                    (4, 4, "良好"),
                    (5, 4, "良好"),
                    (6, 6, "良好"),
                    (7, 7, "一般"),
                ],
            ),
            // 4 units: 优秀 ⌊1.2⌋ = 1, up to 良好 ⌊3.6⌋ = 3. The tie at 93
            // straddles the 优秀 line: both go to 良好; 80 is the 4th.
            (
                vec![s(4, 80.0), s(2, 93.0), s(1, 95.0), s(3, 93.0)],
                vec![
                    (1, 1, "优秀"),
                    (2, 2, "良好"),
                    (3, 2, "良好"),
                    (4, 4, "一般"),
                ],
            ),
            // A three-way tie at the top cannot fit a quota of 1: no 优秀.
            (
                vec![s(1, 90.0), s(2, 90.0), s(3, 90.0), s(4, 50.0)],
                vec![
                    (1, 1, "良好"),
                    (2, 1, "良好"),
                    (3, 1, "良好"),
                    (4, 4, "一般"),
                ],
            ),
            // 10 units: 3 may be 优秀, but 89 is below its 90 points.
            (
                (1..=10).map(|i| s(i, 90.0 - i as f64)).collect(),
                vec![
                    (1, 1, "良好"),
                    (2, 2, "良好"),
                    (3, 3, "良好"),
                    (4, 4, "良好"),
                    (5, 5, "良好"),
                    (6, 6, "良好"),
                    (7, 7, "良好"),
                    (8, 8, "良好"),
                    (9, 9, "良好"),
                    (10, 10, "一般"),
                ],
            ),
            // One unit: ⌊0.3⌋ = ⌊0.9⌋ = 0, so the last grade.
            (vec![s(1, 100.0)], vec![(1, 1, "一般")]),
            // Nobody.
            (vec![], vec![]),
            // Totals equal to the hundredth tie; 80.004 rounds to 80.
            (
                vec![s(1, 80.0), s(2, round2(80.004)), s(3, 79.99)],
                vec![(1, 1, "良好"), (2, 1, "良好"), (3, 3, "一般")],
            ),
        ];
        for (scores, want) in cases {
            let got: Vec<(i64, usize, String)> = grade_units(&Rules::default(), &scores)
                .into_iter()
                .map(|g| (g.unit_id, g.rank, g.grade))
                .collect();
            let want: Vec<(i64, usize, String)> = want
                .into_iter()
                .map(|(u, r, g)| (u, r, g.to_string()))
                .collect();
            assert_eq!(got, want);
        }
    }
}
