//! The red and black lists (红黑榜) of N units: units ranked by total
//! (equal totals share a rank, 1, 1, 3), the red list from the top and the
//! black list from the bottom. A list never holds more than N units: units
//! tied at the place where the list would overflow are all left off, and
//! the list says so (a tie is never broken by anything the rules do not
//! state). A unit is on one list at most. Units with nothing due are not
//! ranked at all (the caller leaves them out, see
//! [`super::UnitFigures::nothing_due`]).

use super::Score;

/// A list's places: the index of a score in the input and its rank from
/// the top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    /// Best first.
    pub red: Vec<(usize, usize)>,
    /// Worst first.
    pub black: Vec<(usize, usize)>,
    /// Why units tied at a boundary are not listed, in Chinese.
    pub notes: Vec<String>,
}

fn key(s: &Score) -> i64 {
    (s.total * 100.0).round() as i64
}

/// The red and black lists of at most `n` units each.
pub fn red_black(scores: &[Score], n: usize) -> Lists {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by_key(|&i| (-key(&scores[i]), scores[i].unit_id));
    // Groups of equal totals, best first, with their rank from the top.
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (placed, &i) in order.iter().enumerate() {
        match groups.last_mut() {
            Some((_, g)) if key(&scores[g[0]]) == key(&scores[i]) => g.push(i),
            _ => groups.push((placed + 1, vec![i])),
        }
    }
    let mut out = Lists::default();
    let mut on_red = vec![false; scores.len()];
    let fill = |groups: &mut dyn Iterator<Item = &(usize, Vec<usize>)>,
                list: &mut Vec<(usize, usize)>,
                which: &str,
                on_red: &mut Vec<bool>,
                mark: bool| {
        let mut notes = Vec::new();
        for (rank, g) in groups {
            if g.iter().any(|&i| on_red[i]) || list.len() >= n {
                break;
            }
            if list.len() + g.len() > n {
                notes.push(format!(
                    "第{rank}名有 {} 个单位并列（{:.2} 分），全部列入将超过{which}名额 {n} 个，均未列入{which}",
                    g.len(),
                    scores[g[0]].total
                ));
                break;
            }
            for &i in g {
                list.push((i, *rank));
                if mark {
                    on_red[i] = true;
                }
            }
        }
        notes
    };
    let notes = fill(&mut groups.iter(), &mut out.red, "红榜", &mut on_red, true);
    out.notes.extend(notes);
    let notes = fill(
        &mut groups.iter().rev(),
        &mut out.black,
        "黑榜",
        &mut on_red,
        false,
    );
    out.notes.extend(notes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(unit_id: i64, total: f64) -> Score {
        Score {
            unit_id,
            unit_name: format!("单位{unit_id}"),
            total,
            lines: vec![],
        }
    }

    fn ids(scores: &[Score], l: &[(usize, usize)]) -> Vec<(i64, usize)> {
        l.iter().map(|&(i, r)| (scores[i].unit_id, r)).collect()
    }

    #[test]
    fn lists_hold_at_most_n_and_say_which_ties_are_left_off() {
        // 3 at 100, 98, then 97 ×3, 90, 80 ×2, 70: top 5 takes 100 ×3 and
        // 98 (4 units); the three at 97 would make 6, so none goes in.
        let scores = vec![
            s(1, 100.0),
            s(2, 100.0),
            s(3, 100.0),
            s(4, 98.0),
            s(5, 97.0),
            s(6, 97.0),
            s(7, 97.0),
            s(8, 90.0),
            s(9, 80.0),
            s(10, 80.0),
            s(11, 70.0),
        ];
        let l = red_black(&scores, 5);
        assert_eq!(ids(&scores, &l.red), [(1, 1), (2, 1), (3, 1), (4, 4)]);
        assert_eq!(ids(&scores, &l.black), [(11, 11), (9, 9), (10, 9), (8, 8)]);
        assert_eq!(l.notes.len(), 2, "{:?}", l.notes);
        assert!(
            l.notes[0].contains("第5名有 3 个单位并列（97.00 分）"),
            "{:?}",
            l.notes
        );
        assert!(l.notes[1].contains("黑榜"), "{:?}", l.notes);

        // Forty units tied at 100 are not a top 5: nobody is listed, and
        // the list says why.
        let tied: Vec<Score> = (1..=40).map(|i| s(i, 100.0)).collect();
        let l = red_black(&tied, 5);
        assert!(l.red.is_empty() && l.black.is_empty());
        assert!(
            l.notes[0].contains("第1名有 40 个单位并列"),
            "{:?}",
            l.notes
        );

        // Few units: each is on one list at most.
        let few = vec![s(1, 95.0), s(2, 90.0), s(3, 85.0)];
        let l = red_black(&few, 2);
        assert_eq!(ids(&few, &l.red), [(1, 1), (2, 2)]);
        assert_eq!(ids(&few, &l.black), [(3, 3)]);
        assert!(l.notes.is_empty());
    }
}
