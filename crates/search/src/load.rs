//! From the store into the index: every entity as an index document, the
//! full rebuild, and catching up with the event log.

use crate::index::Store as Index;
use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use duban_domain::matter::MatterStatus;
use duban_store::appeals::Appeal;
use duban_store::feed::{DocumentText, ReportEntry};
use duban_store::{MatterRecord, Store};
use std::collections::{BTreeSet, HashMap};
use tantivy::TantivyDocument;

/// How many entities a page of the rebuild reads.
const PAGE: i64 = 2000;

/// What one rebuild indexed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub documents: u64,
    pub matters: u64,
    pub reports: u64,
    pub appeals: u64,
}

/// A serde enum as its code (`open`, `pending`, …).
fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn day_of(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 10000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

/// A written date (`2022-01-05`, `2022年1月5日`) as yyyymmdd.
fn day_of_text(s: &str) -> Option<i64> {
    let nums: Vec<i64> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match nums[..] {
        [y, m, d, ..]
            if (1900..3000).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) =>
        {
            Some(y * 10000 + m * 100 + d)
        }
        _ => None,
    }
}

/// Runs of consecutive line numbers written `a-b,c-d`.
pub fn line_ranges(lines: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let a = lines[i];
        let mut b = a;
        while i + 1 < lines.len() && lines[i + 1] == b + 1 {
            i += 1;
            b = lines[i];
        }
        out.push(format!("{a}-{b}"));
        i += 1;
    }
    out.join(",")
}

/// `a-b,c-d` back into line numbers.
pub fn parse_ranges(s: &str) -> Vec<u32> {
    s.split(',')
        .filter_map(|r| {
            let (a, b) = r.split_once('-')?;
            Some(a.parse::<u32>().ok()?..=b.parse::<u32>().ok()?)
        })
        .flatten()
        .collect()
}

struct Builder<'a> {
    idx: &'a Index,
    doc: TantivyDocument,
}

impl<'a> Builder<'a> {
    fn new(idx: &'a Index, kind: &str, id: i64, group: &str) -> Builder<'a> {
        let f = &idx.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.key, format!("{kind}:{id}"));
        doc.add_text(f.group, group);
        doc.add_text(f.kind, kind);
        doc.add_i64(f.entity_id, id);
        doc.add_text(f.see, "office");
        Builder { idx, doc }
    }
    fn title(mut self, t: &str) -> Self {
        let f = &self.idx.fields;
        self.doc.add_text(f.title, t);
        self.doc.add_text(f.title_grams, t);
        self.doc.add_text(f.title_exact, t.trim());
        self
    }
    fn body(mut self, b: &str) -> Self {
        let f = &self.idx.fields;
        self.doc.add_text(f.body, b);
        self.doc.add_text(f.grams, b);
        self
    }
    /// Searched as words and as characters, not shown.
    fn meta(mut self, m: &str) -> Self {
        let f = &self.idx.fields;
        self.doc.add_text(f.meta, m);
        self.doc.add_text(f.grams, m);
        self
    }
    fn text(mut self, field: tantivy::schema::Field, v: &str) -> Self {
        self.doc.add_text(field, v);
        self
    }
    fn int(mut self, field: tantivy::schema::Field, v: i64) -> Self {
        self.doc.add_i64(field, v);
        self
    }
    fn unit(mut self, id: i64, names: &HashMap<i64, String>) -> Self {
        let f = self.idx.fields;
        self.doc.add_i64(f.units, id);
        self.doc.add_text(f.see, format!("unit:{id}"));
        // A unit's name is found whole (`unit_name`) or by its words, not
        // as a run of characters: every matter names its units, and names
        // that share most of their characters (区…局) would make a run of
        // them a candidate in nearly every matter, each checked position
        // by position.
        if let Some(n) = names.get(&id) {
            self = self.text(f.unit_name, n).text(f.meta, n);
        }
        self
    }
    fn add(self) -> Result<()> {
        self.idx.add(self.doc)
    }
}

fn add_document(idx: &Index, d: &DocumentText) -> Result<()> {
    let f = idx.fields;
    let info = &d.info;
    let body: Vec<&str> = d.lines.iter().map(|(_, t)| t.as_str()).collect();
    let nums: Vec<u32> = d.lines.iter().map(|(n, _)| *n).collect();
    let mut b = Builder::new(
        idx,
        "document",
        info.id,
        &format!("source:{}", info.source_id),
    )
    .title(info.title.as_deref().unwrap_or(""))
    .body(&body.join("\n"))
    .text(f.lines, &line_ranges(&nums));
    if let Some(n) = &info.number {
        b = b.text(f.number, n.trim()).meta(n);
    }
    for issuer in info.issuer.as_array().into_iter().flatten() {
        if let Some(i) = issuer.as_str() {
            b = b.text(f.issuer, i).meta(i);
        }
    }
    if let Some(k) = &info.kind {
        b = b.meta(k);
    }
    if let Some(day) = info.date.as_deref().and_then(day_of_text) {
        b = b.int(f.day, day);
    }
    let standing = if d.repealed {
        "repealed"
    } else if d.amended {
        "amended"
    } else {
        "valid"
    };
    b = b.text(f.in_force, standing);
    if let Some(until) = d.valid_until.as_deref().and_then(day_of_text) {
        b = b.int(f.until, until);
    }
    b.add()
}

fn add_matter(idx: &Index, m: &MatterRecord, names: &HashMap<i64, String>) -> Result<()> {
    let f = idx.fields;
    let mm = &m.matter;
    let mut b = Builder::new(idx, "matter", mm.id, &format!("matter:{}", mm.id))
        .title(&mm.title)
        .body(&mm.detail)
        .text(f.state, &code(&mm.status))
        .meta(mm.status.label())
        .int(f.day, day_of(mm.created_at.date()));
    if let Some(d) = mm.deadline {
        b = b.text(f.deadline, &d.to_string());
    }
    let mut units: Vec<i64> = m.tracks.iter().map(|t| t.track.unit_id).collect();
    units.sort_unstable();
    units.dedup();
    for u in units {
        b = b.unit(u, names);
    }
    if let Some(r) = m.raised_by {
        b = b.text(f.see, &format!("user:{r}"));
    }
    b.add()
}

fn add_report(idx: &Index, r: &ReportEntry, names: &HashMap<i64, String>) -> Result<()> {
    let f = idx.fields;
    let day = duban_store::from_micros(r.created_at).date_naive();
    Builder::new(idx, "report", r.id, &format!("matter:{}", r.matter_id))
        .text(f.label, &r.matter_title)
        .body(&r.body)
        .int(f.matter_id, r.matter_id)
        .text(f.state, &r.kind)
        .int(f.day, day_of(day))
        .unit(r.unit_id, names)
        .add()
}

fn add_appeal(idx: &Index, a: &Appeal, answers: &[String]) -> Result<()> {
    let f = idx.fields;
    let mut body = vec![a.content.clone(), a.location.clone()];
    body.extend(a.reason.clone());
    body.extend(answers.iter().cloned());
    let mut b = Builder::new(idx, "appeal", a.id, &format!("appeal:{}", a.id))
        .title(&a.title)
        .body(&body.join("\n"))
        .text(f.state, &code(&a.status))
        .meta(a.status.label())
        .int(f.day, day_of(a.created_at.date_naive()))
        .text(f.see, &format!("user:{}", a.raised_by));
    if let Some(m) = a.matter_id {
        b = b.int(f.matter_id, m);
    }
    b.add()
}

async fn unit_names(store: &Store) -> Result<HashMap<i64, String>> {
    Ok(store
        .units()
        .await
        .context("reading units")?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// The answer a raiser reads: the lead units' close applications, once the
/// matter is closed.
async fn answers(store: &Store, a: &Appeal) -> Result<Vec<String>> {
    let Some(m) = a.matter_id else {
        return Ok(Vec::new());
    };
    if store.matter(m).await?.matter.status != MatterStatus::Closed {
        return Ok(Vec::new());
    }
    Ok(store.close_texts(m).await?)
}

/// Empties the index and indexes everything in the database.
pub async fn rebuild(store: &Store, idx: &mut Index) -> Result<Counts> {
    let seq = store.last_event_seq().await?;
    let names = unit_names(store).await?;
    idx.delete_all()?;
    let mut n = Counts::default();
    let mut after = 0;
    loop {
        let page = store.documents_page(after, PAGE, None).await?;
        let Some(last) = page.last() else { break };
        after = last.info.id;
        for d in &page {
            add_document(idx, d)?;
        }
        n.documents += page.len() as u64;
    }
    after = 0;
    loop {
        let page = store.matters_page(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.matter.id;
        for m in &page {
            add_matter(idx, m, &names)?;
        }
        n.matters += page.len() as u64;
    }
    after = 0;
    loop {
        let page = store.report_entries_page(after, PAGE, None).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for r in &page {
            add_report(idx, r, &names)?;
        }
        n.reports += page.len() as u64;
    }
    after = 0;
    loop {
        let page = store.appeals_page(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for a in &page {
            add_appeal(idx, a, &answers(store, a).await?)?;
        }
        n.appeals += page.len() as u64;
    }
    idx.commit(seq)?;
    idx.merge_all()?;
    Ok(n)
}

/// What a change re-indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Source(i64),
    Matter(i64),
    Appeal(i64),
}

/// Re-indexes what the events after the index's last one touched; returns
/// how many entities were re-indexed.
pub async fn catch_up(store: &Store, idx: &mut Index) -> Result<usize> {
    let start = idx.seq();
    let mut seq = start;
    let mut targets = BTreeSet::new();
    loop {
        let changes = store.changes_after(seq, 1000).await?;
        let Some(last) = changes.last() else { break };
        seq = last.seq;
        for c in &changes {
            match c.entity.as_str() {
                "source" => {
                    targets.insert(Target::Source(c.entity_id));
                    // What its documents repeal or amend changes standing.
                    for s in store.sources_named_by(c.entity_id).await? {
                        targets.insert(Target::Source(s));
                    }
                }
                "matter" => {
                    targets.insert(Target::Matter(c.entity_id));
                }
                "track" => {
                    if let Some(m) = store.matter_of_track(c.entity_id).await? {
                        targets.insert(Target::Matter(m));
                    }
                }
                "appeal" => {
                    targets.insert(Target::Appeal(c.entity_id));
                }
                _ => {}
            }
        }
    }
    if seq == start {
        return Ok(0);
    }
    // A matter's answer is part of the appeal it was made of.
    for t in targets.clone() {
        if let Target::Matter(m) = t {
            if let Some(a) = store.appeal_of_matter(m).await? {
                targets.insert(Target::Appeal(a));
            }
        }
    }
    let names = unit_names(store).await?;
    for t in &targets {
        match *t {
            Target::Source(s) => {
                idx.delete_group(&format!("source:{s}"));
                for d in store.documents_page(0, i64::MAX, Some(s)).await? {
                    add_document(idx, &d)?;
                }
            }
            Target::Matter(m) => {
                idx.delete_group(&format!("matter:{m}"));
                match store.matter(m).await {
                    Ok(rec) => add_matter(idx, &rec, &names)?,
                    Err(duban_store::Error::NotFound(_)) => continue,
                    Err(e) => return Err(e.into()),
                }
                for r in store.report_entries_page(0, 0, Some(m)).await? {
                    add_report(idx, &r, &names)?;
                }
            }
            Target::Appeal(a) => {
                idx.delete_group(&format!("appeal:{a}"));
                match store.appeal(a).await {
                    Ok(ap) => add_appeal(idx, &ap, &answers(store, &ap).await?)?,
                    Err(duban_store::Error::NotFound(_)) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    idx.commit(seq)?;
    Ok(targets.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ranges_round_trip() {
        let l = [3, 4, 5, 9, 12, 13];
        assert_eq!(line_ranges(&l), "3-5,9-9,12-13");
        assert_eq!(parse_ranges("3-5,9-9,12-13"), l);
    }

    #[test]
    fn written_dates_read() {
        assert_eq!(day_of_text("2022-01-05"), Some(20220105));
        assert_eq!(day_of_text("2022年1月5日"), Some(20220105));
        assert_eq!(day_of_text("一月"), None);
    }
}
