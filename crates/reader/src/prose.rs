//! Owners stated in prose: sentences that open with units and a duty, such
//! as `区农业农村局负责做好美丽乡村建设` or `区林业局发挥牵头抓总作用`, in
//! paragraphs that carry no owner clause. They are output with
//! `owner_scope: "prose"`, beside the clause-owned tasks.

use crate::deadline::find_deadline;
use crate::heading;
use crate::model::{OwnerScope, Task};
use crate::owner::{self, Owners};
use crate::span::Spanned;
use crate::target::find_targets;
use chrono::NaiveDate;

/// Owners stated in prose: sentences that open with units and a duty, such
/// as `区农业农村局负责做好美丽乡村建设` or `区林业局发挥牵头抓总作用`.
pub fn prose_tasks(p: &Spanned, path: &[String], doc_date: Option<NaiveDate>) -> Vec<Task> {
    let text = p.text();
    if !text.contains("负责") && !text.contains("牵头") {
        return Vec::new();
    }
    let chars = p.chars();
    let mut out = Vec::new();
    // Skip a heading marker.
    let mut start = heading::parse(&chars[..chars.len().min(12)]).map_or(0, |m| m.len);
    let mut start_byte: usize = chars[..start].iter().map(|c| c.len_utf8()).sum();
    let mut byte = 0;
    for (i, &c) in chars.iter().enumerate() {
        byte += c.len_utf8();
        if !(matches!(c, '。' | '；') || i + 1 == chars.len()) {
            continue;
        }
        let sentence = &text[start_byte..byte];
        if let Some(owners) = prose_owners(sentence) {
            let body = sentence.to_string();
            let deadline = find_deadline(&body, doc_date);
            let by = deadline
                .as_ref()
                .and_then(|d| d.date)
                .or_else(|| crate::tasks::year_end(doc_date));
            out.push(Task {
                path: path.to_vec(),
                targets: find_targets(&body, by),
                deadline,
                text: body,
                spans: p.slice(start..i + 1).spans(),
                parts: Vec::new(),
                lead_units: owners.lead,
                co_units: owners.co,
                owner_scope: OwnerScope::Prose,
            });
        }
        start = i + 1;
        start_byte = byte;
    }
    out
}

/// Duty phrases that follow the subject units of a prose sentence.
const PROSE_DUTIES: [&str; 5] = ["负责", "发挥牵头", "牵头", "要牵头", "具体负责"];

fn prose_owners(sentence: &str) -> Option<Owners> {
    let pos = PROSE_DUTIES.iter().filter_map(|d| sentence.find(d)).min()?;
    let subject = &sentence[..pos];
    if subject.is_empty()
        || subject.chars().count() > 60
        || subject.contains(['，', '：', '“', '《', '由'])
    {
        return None;
    }
    // 本规划由市能源局负责解读 is not a duty.
    if sentence[pos..].starts_with("负责解读") || sentence[pos..].starts_with("负责解释") {
        return None;
    }
    let units = owner::split_units(subject);
    let all_units = !units.is_empty()
        && units.iter().all(|u| {
            let n = u.chars().count();
            (2..=24).contains(&n)
                && u.chars().last().is_some_and(owner::unit_suffix)
                && (u.starts_with(['市', '区', '县', '省', '各', '国', '中'])
                    || STRONG_SUFFIXES.iter().any(|s| u.ends_with(s)))
        });
    all_units.then(|| Owners {
        lead: units,
        co: Vec::new(),
    })
}

/// Endings that make a word a unit name wherever it starts.
const STRONG_SUFFIXES: [&str; 12] = [
    "局",
    "委",
    "办",
    "中心",
    "公司",
    "政府",
    "管委会",
    "大队",
    "支队",
    "分局",
    "院",
    "部",
];
