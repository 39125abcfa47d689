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
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

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
}

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
    pub total: usize,
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
            hits: Vec::new(),
        });
    }
    let f = idx.fields;
    let query = build(idx, q, v);
    let searcher = idx.reader.searcher();
    let limit = q.limit.clamp(1, 100);
    let (top, total) = searcher.search(
        &query,
        &(
            TopDocs::with_limit(limit)
                .and_offset(q.offset)
                .order_by_score(),
            Count,
        ),
    )?;
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
    Ok(Results { total, hits })
}
