//! A search: the words typed, the filters, who is asking; ranked hits with
//! highlighted snippets and the source line of the first match.
//!
//! Who may open what is part of the query itself (the `see` field), so
//! counts and snippets never include anything the viewer may not open.

use crate::index::Reader as Index;
use crate::load::parse_ranges;
use crate::snippet::{snippet, Piece};
use crate::tokenize::{grams, query_words};
use anyhow::Result;
use duban_domain::archive::Status;
use serde::Serialize;
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::EnableScoring;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument, Term, TERMINATED};

/// Who is searching, as the web layer's scoping decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// The office and admins: everything.
    Office,
    /// A unit's users or a leader: matters these units have a track on and
    /// those units' reports.
    Units(Vec<i64>),
    /// The public: what they raised.
    User(i64),
}

/// The kinds of things found.
pub const KINDS: [(&str, &str); 4] = [
    ("document", "公文"),
    ("matter", "督办事项"),
    ("report", "反馈"),
    ("appeal", "诉求"),
];

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub unit: Option<i64>,
    /// yyyymmdd, inclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub state: Option<String>,
    /// Documents of this standing on `today` only (有效, 已修改, 已失效,
    /// 已废止; `archive::status`'s order: repealed, then an ended term,
    /// then amended).
    pub in_force: Option<Status>,
    /// yyyymmdd: the day a document's term is judged on.
    pub today: i64,
    pub limit: usize,
    pub offset: usize,
    /// How many matches are ranked at most (0: [`WINDOW`]); see [`search`].
    pub window: usize,
}

/// Matches ranked and counted at most, beyond the strong ones (an equal
/// title, a 发文字号, a unit or issuer named whole), which are always
/// ranked. A search matching more says so (`Results::capped`).
pub const WINDOW: usize = 5000;

/// One thing found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// The text around the best match, matches marked.
    pub snippet: Vec<Piece>,
    /// The source line of the first match (documents).
    pub line: Option<u32>,
    /// The matter a report belongs to, or an appeal was made into.
    pub matter_id: Option<i64>,
    pub number: Option<String>,
    pub issuer: Vec<String>,
    pub units: Vec<String>,
    pub state: Option<String>,
    /// yyyy-mm-dd: a document's date, otherwise when it was made.
    pub date: Option<String>,
    pub deadline: Option<String>,
    /// A document's standing on the query's day: 有效, 已修改, 已失效, 已废止.
    pub in_force: Option<String>,
    pub score: f32,
}

/// A page of hits and how many there are in all.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Results {
    /// How many match; a lower bound when `capped`.
    pub total: usize,
    /// More match than the window ranks: `total` is the window, and the
    /// hits are the best of the strong matches and of the window.
    pub capped: bool,
    pub hits: Vec<Hit>,
}

fn term(f: Field, v: &str) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(f, v),
        IndexRecordOption::WithFreqs,
    ))
}

fn boost(q: Box<dyn TQuery>, by: f32) -> Box<dyn TQuery> {
    Box::new(BoostQuery::new(q, by))
}

fn filter(q: Box<dyn TQuery>) -> (Occur, Box<dyn TQuery>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

/// `text` as a run of characters in a bigram field: a phrase of its
/// bigrams, or one term when it has one.
fn run(f: Field, text: &str) -> Option<Box<dyn TQuery>> {
    let g: Vec<Term> = grams(text)
        .into_iter()
        .map(|(g, ..)| Term::from_field_text(f, &g))
        .collect();
    match g.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            g[0].clone(),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new(g))),
    }
}

/// What one whitespace-separated part of the input must match: all its
/// words (anywhere in title, text or meta), or the part as one run of
/// characters; a title, 发文字号 or unit name equal to it weighs most.
fn part(idx: &Index, p: &str) -> Option<Box<dyn TQuery>> {
    let f = &idx.fields;
    let mut any: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    let words = query_words(p);
    if !words.is_empty() {
        let all = words
            .iter()
            .map(|w| {
                let q: Box<dyn TQuery> = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, boost(term(f.title, w), 2.0)),
                    (Occur::Should, term(f.body, w)),
                    (Occur::Should, term(f.meta, w)),
                ]));
                (Occur::Must, q)
            })
            .collect();
        any.push((Occur::Should, Box::new(BooleanQuery::new(all))));
    }
    if let Some(q) = run(f.title_grams, p) {
        any.push((Occur::Should, boost(q, 4.0)));
    }
    if let Some(q) = run(f.grams, p) {
        any.push((Occur::Should, boost(q, 2.0)));
    }
    any.push((Occur::Should, boost(term(f.number, p), 8.0)));
    any.push((Occur::Should, boost(term(f.unit_name, p), 4.0)));
    any.push((Occur::Should, boost(term(f.issuer, p), 4.0)));
    Some(Box::new(BooleanQuery::new(any)))
}

fn viewer_filter(idx: &Index, v: &Viewer) -> Option<Box<dyn TQuery>> {
    let f = &idx.fields;
    match v {
        Viewer::Office => None,
        Viewer::Units(units) => Some(Box::new(BooleanQuery::new(
            units
                .iter()
                .map(|u| (Occur::Should, term(f.see, &format!("unit:{u}"))))
                .collect(),
        ))),
        Viewer::User(u) => Some(term(f.see, &format!("user:{u}"))),
    }
}

/// Documents whose standing on `today` is `st`: the stored standing
/// (repealed, amended, valid) with the stated term's end compared here, as
/// `archive::status` ranks them.
fn standing(idx: &Index, st: Status, today: i64) -> Box<dyn TQuery> {
    let f = &idx.fields;
    let ended = || -> Box<dyn TQuery> {
        Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Excluded(Term::from_field_i64(f.until, today)),
        ))
    };
    let (must, expired) = match st {
        Status::Repealed => return term(f.in_force, "repealed"),
        Status::Expired => (term(f.kind, "document"), true),
        Status::Amended => (term(f.in_force, "amended"), false),
        Status::InForce => (term(f.in_force, "valid"), false),
    };
    let mut c = vec![(Occur::Must, must)];
    if expired {
        c.push((Occur::MustNot, term(f.in_force, "repealed")));
        c.push((Occur::Must, ended()));
    } else {
        c.push((Occur::MustNot, ended()));
    }
    Box::new(BooleanQuery::new(c))
}

/// What makes a match strong: the whole input as a title, or a part as a
/// 发文字号, a unit's or an issuer's whole name. These are few and rank
/// first, so they are ranked wherever they lie.
fn strong(idx: &Index, q: &Query) -> Box<dyn TQuery> {
    let f = &idx.fields;
    let mut any = vec![(Occur::Should, term(f.title_exact, q.text.trim()))];
    for p in q.text.split_whitespace() {
        for field in [f.number, f.unit_name, f.issuer] {
            any.push((Occur::Should, term(field, p)));
        }
    }
    Box::new(BooleanQuery::new(any))
}

/// The query tantivy runs for `q` as seen by `v`.
fn build(idx: &Index, q: &Query, v: &Viewer) -> Box<dyn TQuery> {
    let f = &idx.fields;
    let parts: Vec<&str> = q.text.split_whitespace().collect();
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    for p in &parts {
        match part(idx, p) {
            Some(pq) => clauses.push((Occur::Must, pq)),
            None => return Box::new(EmptyQuery),
        }
    }
    if clauses.is_empty() {
        return Box::new(EmptyQuery);
    }
    // The whole input as typed: an equal title first, then a title or a
    // text holding it as one run.
    let whole = q.text.trim();
    clauses.push((Occur::Should, boost(term(f.title_exact, whole), 20.0)));
    if parts.len() > 1 {
        if let Some(r) = run(f.title_grams, whole) {
            clauses.push((Occur::Should, boost(r, 6.0)));
        }
        if let Some(r) = run(f.grams, whole) {
            clauses.push((Occur::Should, boost(r, 3.0)));
        }
    }
    if let Some(k) = &q.kind {
        clauses.push(filter(term(f.kind, k)));
    }
    if let Some(i) = &q.issuer {
        clauses.push(filter(term(f.issuer, i)));
    }
    if let Some(u) = q.unit {
        clauses.push(filter(Box::new(TermQuery::new(
            Term::from_field_i64(f.units, u),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(s) = &q.state {
        clauses.push(filter(term(f.state, s)));
    }
    if q.from.is_some() || q.to.is_some() {
        let b = |d: Option<i64>| {
            d.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_i64(f.day, d))
            })
        };
        clauses.push(filter(Box::new(RangeQuery::new(b(q.from), b(q.to)))));
    }
    if let Some(st) = q.in_force {
        clauses.push(filter(standing(idx, st, q.today)));
    }
    if let Some(vf) = viewer_filter(idx, v) {
        clauses.push(filter(vf));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn first_str(doc: &TantivyDocument, f: Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn all_str(doc: &TantivyDocument, f: Field) -> Vec<String> {
    doc.get_all(f)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// A document's standing on `today` from what the index keeps.
fn status_of(standing: &str, until: Option<i64>, today: i64) -> Status {
    let ended = until.is_some_and(|u| u < today);
    match standing {
        "repealed" => Status::Repealed,
        _ if ended => Status::Expired,
        "amended" => Status::Amended,
        _ => Status::InForce,
    }
}

fn date_of(day: i64) -> String {
    format!("{:04}-{:02}-{:02}", day / 10000, day / 100 % 100, day % 100)
}

/// Runs `q` for `v`.
pub fn search(idx: &Index, q: &Query, v: &Viewer) -> Result<Results> {
    if matches!(v, Viewer::Units(u) if u.is_empty()) {
        return Ok(Results {
            total: 0,
            capped: false,
            hits: Vec::new(),
        });
    }
    let f = idx.fields;
    let query = build(idx, q, v);
    let searcher = idx.reader.searcher();
    let limit = q.limit.clamp(1, 100);
    let (top, total, capped) = rank(&searcher, &query, strong(idx, q), q, limit)?;
    let parts: Vec<String> = q.text.split_whitespace().map(str::to_string).collect();
    let words: Vec<String> = parts.iter().flat_map(|p| query_words(p)).collect();
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let body = first_str(&doc, f.body).unwrap_or_default();
        let title = first_str(&doc, f.title)
            .or_else(|| first_str(&doc, f.label))
            .unwrap_or_default();
        let (mut pieces, at) = snippet(&body, &parts, &words);
        let line = match (at, first_str(&doc, f.lines)) {
            (Some(at), Some(ranges)) => {
                let k = body[..at].matches('\n').count();
                parse_ranges(&ranges).get(k).copied()
            }
            (None, Some(ranges)) => parse_ranges(&ranges).first().copied(),
            _ => None,
        };
        if at.is_none() {
            // Nothing of the text matched: show the start of it.
            pieces = snippet(&body, &[], &[]).0;
        }
        hits.push(Hit {
            kind: first_str(&doc, f.kind).unwrap_or_default(),
            id: doc
                .get_first(f.entity_id)
                .and_then(|v| v.as_i64())
                .unwrap_or(0),
            title,
            snippet: pieces,
            line,
            matter_id: doc.get_first(f.matter_id).and_then(|v| v.as_i64()),
            number: first_str(&doc, f.number),
            issuer: all_str(&doc, f.issuer),
            units: all_str(&doc, f.unit_name),
            state: first_str(&doc, f.state),
            date: doc.get_first(f.day).and_then(|v| v.as_i64()).map(date_of),
            deadline: first_str(&doc, f.deadline),
            in_force: first_str(&doc, f.in_force).map(|st| {
                let until = doc.get_first(f.until).and_then(|v| v.as_i64());
                status_of(&st, until, q.today).label().to_string()
            }),
            score,
        });
    }
    Ok(Results {
        total,
        capped,
        hits,
    })
}

/// A page of (score, address), how many match, whether more than the window.
type Ranked = (Vec<(f32, DocAddress)>, usize, bool);

/// The page `q.offset..+limit` of the matches of `query` by score (ties in
/// index order), how many match, and whether more match than the window.
///
/// Scoring every match costs time in proportion to their number (each
/// match's phrases are checked position by position), and a common word
/// matches hundreds of thousands of matters; a person reads the first
/// pages. So the first `window` matches in index order are ranked and
/// counted, and the strong matches ([`strong`]) are ranked wherever they
/// lie: with fewer matches than the window the result is exact.
fn rank(
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    strong: Box<dyn TQuery>,
    q: &Query,
    limit: usize,
) -> Result<Ranked> {
    let window = if q.window == 0 { WINDOW } else { q.window }.max(q.offset + limit);
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut found: Vec<(f32, DocAddress)> = Vec::new();
    let mut seen = 0usize;
    let mut capped = false;
    'segments: for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let alive = seg.alive_bitset();
        let mut scorer = weight.scorer(seg, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                if seen == window {
                    capped = true;
                    break 'segments;
                }
                seen += 1;
                found.push((scorer.score(), DocAddress::new(ord as u32, doc)));
            }
            doc = scorer.advance();
        }
    }
    if capped {
        // The strong matches anywhere, scored by the query alone.
        let only_strong = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, Box::new(ConstScoreQuery::new(strong, 0.0))),
        ]);
        let more = searcher.search(
            &only_strong,
            &TopDocs::with_limit(q.offset + limit).order_by_score(),
        )?;
        let have: std::collections::HashSet<DocAddress> = found.iter().map(|h| h.1).collect();
        found.extend(more.into_iter().filter(|h| !have.contains(&h.1)));
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let page = found.into_iter().skip(q.offset).take(limit).collect();
    Ok((page, seen, capped))
}
