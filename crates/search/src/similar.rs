//! Matters that look like the same work as a new one, so the office links
//! instead of assigning twice (shown when a proposal is confirmed or a
//! matter created).
//!
//! The score, with nothing fitted to any set of documents:
//!
//! 1. **Candidates**: matters (withdrawn ones left out) sharing words with
//!    the new matter's title and content, ranked by tantivy's BM25 over the
//!    jieba words of titles (×2) and texts; the best `3 × limit` go on.
//! 2. **Text likeness** `t`: the IDF-weighted Jaccard of the two sets of
//!    words (title and content, jieba's precise mode):
//!    `Σ idf(w) over shared words / Σ idf(w) over all words of either`,
//!    with `idf(w) = ln(1 + N / (1 + df(w)))` over the index's `N` entries
//!    (`df` the entries holding `w` in a title or a text). A word every
//!    matter says (`推进`, `工作`) weighs little, a place or a project
//!    much; the same words give 1, none shared 0.
//! 3. **Unit overlap** `u`: the Jaccard of the two sets of units (lead and
//!    co-operating); 0 when the new matter names none yet.
//! 4. **Score** `t × (1 + u) / 2`: the same text with the same units is 1,
//!    the same text with other units ½. A candidate is shown from
//!    [`SHOWN`]: a fifth of the weighted words shared by the same units,
//!    or two fifths by others.

use crate::index::Reader as Index;
use crate::tokenize::query_words;
use anyhow::Result;
use serde::Serialize;
use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

/// The least score shown.
pub const SHOWN: f32 = 0.2;

/// What a new matter (or a proposal) says.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub title: String,
    pub detail: String,
    /// Lead and co-operating units.
    pub units: Vec<i64>,
    /// Matters not to propose (the matter itself, those already linked).
    pub exclude: Vec<i64>,
    pub limit: usize,
}

/// A matter that may be the same work.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Similar {
    pub id: i64,
    pub title: String,
    pub units: Vec<String>,
    pub unit_ids: Vec<i64>,
    /// `open`, `closed`.
    pub state: Option<String>,
    pub deadline: Option<String>,
    /// Text likeness, unit overlap and the score (see the module).
    pub text: f32,
    pub unit_overlap: f32,
    pub score: f32,
}

fn words_of(title: &str, detail: &str) -> HashSet<String> {
    query_words(title)
        .into_iter()
        .chain(query_words(detail))
        .collect()
}

fn idf(searcher: &Searcher, idx: &Index, w: &str, n: f32) -> f32 {
    let f = &idx.fields;
    let df = [f.title, f.body]
        .iter()
        .map(|&fld| {
            searcher
                .doc_freq(&Term::from_field_text(fld, w))
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0) as f32;
    (1.0 + n / (1.0 + df)).ln()
}

/// The Jaccard of two sets of units; 0 when either is empty.
pub fn unit_overlap(a: &[i64], b: &[i64]) -> f32 {
    let a: HashSet<i64> = a.iter().copied().collect();
    let b: HashSet<i64> = b.iter().copied().collect();
    let union = a.union(&b).count();
    if a.is_empty() || b.is_empty() || union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f32 / union as f32
}

/// The score of a text likeness `t` and unit overlap `u`.
pub fn score(t: f32, u: f32) -> f32 {
    t * (1.0 + u) / 2.0
}

/// Matters like `p`, best first, those scoring at least [`SHOWN`].
pub fn similar(idx: &Index, p: &Probe) -> Result<Vec<Similar>> {
    let f = idx.fields;
    let mine = words_of(&p.title, &p.detail);
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let searcher = idx.reader.searcher();
    let n = searcher.num_docs() as f32;
    let term = |fld, w: &str| -> Box<dyn TQuery> {
        Box::new(TermQuery::new(
            Term::from_field_text(fld, w),
            IndexRecordOption::WithFreqs,
        ))
    };
    let any: Vec<(Occur, Box<dyn TQuery>)> = mine
        .iter()
        .flat_map(|w| {
            [
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(term(f.title, w), 2.0)) as Box<dyn TQuery>,
                ),
                (Occur::Should, term(f.body, w)),
            ]
        })
        .collect();
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![
        (Occur::Must, Box::new(BooleanQuery::new(any))),
        (Occur::Must, term(f.kind, "matter")),
        (Occur::MustNot, term(f.state, "withdrawn")),
    ];
    for &id in &p.exclude {
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_i64(f.entity_id, id),
                IndexRecordOption::Basic,
            )),
        ));
    }
    let limit = p.limit.clamp(1, 50);
    let top = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(limit * 3).order_by_score(),
    )?;
    let weight = |w: &String| idf(&searcher, idx, w, n);
    let mut out = Vec::new();
    for (_, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let s = |fld| {
            doc.get_first(fld)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let title = s(f.title);
        let theirs = words_of(&title, &s(f.body));
        let shared: f32 = mine.intersection(&theirs).map(weight).sum();
        let all: f32 = mine.union(&theirs).map(weight).sum();
        let t = if all > 0.0 { shared / all } else { 0.0 };
        let unit_ids: Vec<i64> = doc.get_all(f.units).filter_map(|v| v.as_i64()).collect();
        let u = unit_overlap(&p.units, &unit_ids);
        let sc = score(t, u);
        if sc < SHOWN {
            continue;
        }
        out.push(Similar {
            id: doc
                .get_first(f.entity_id)
                .and_then(|v| v.as_i64())
                .unwrap_or(0),
            title,
            units: doc
                .get_all(f.unit_name)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            unit_ids,
            state: doc
                .get_first(f.state)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            deadline: doc
                .get_first(f.deadline)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            text: t,
            unit_overlap: u,
            score: sc,
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    out.truncate(limit);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_overlap_is_jaccard_and_zero_without_units() {
        assert_eq!(unit_overlap(&[1, 2], &[2, 3]), 1.0 / 3.0);
        assert_eq!(unit_overlap(&[1, 2], &[2, 1]), 1.0);
        assert_eq!(unit_overlap(&[], &[1]), 0.0);
    }

    #[test]
    fn same_units_double_the_text_likeness() {
        assert_eq!(score(0.8, 1.0), 0.8);
        assert_eq!(score(0.8, 0.0), 0.4);
        assert!(score(0.3, 0.0) < SHOWN && score(0.3, 1.0) >= SHOWN);
    }
}
