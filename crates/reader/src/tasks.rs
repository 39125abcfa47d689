//! Tasks: the items of a document's heading tree that carry owners.
//!
//! An item is a heading paragraph (`1.` `（一）` …) with the unnumbered
//! paragraphs after it, or an unnumbered paragraph that closes with its own
//! owner clause. An owner clause belongs to the item it closes; when the
//! items before it in the same section have none, it covers them too
//! (`owner_scope: "group"`). A standing clause (`以下均需落实，不再列出`)
//! adds its units to every later task of the document.

use crate::deadline::find_deadline;
use crate::heading::{self, Family};
use crate::model::{OwnerScope, Task, Warning};
use crate::owner::{self, Owners};
use crate::span::Spanned;
use crate::target::find_targets;
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Default)]
struct Item {
    /// Heading path from the document root, markers as printed.
    path: Vec<String>,
    /// Position of the parent in the heading stack (for sibling groups).
    parent: Option<usize>,
    family: Option<Family>,
    text: Spanned,
    /// The paragraphs the item is made of.
    paras: Vec<usize>,
    /// Lines of the owner clause, if it stands apart.
    clause: Spanned,
    owners: Option<Owners>,
    scope: OwnerScope,
}

/// Builds the tasks of one document from its paragraphs.
/// Also returns warnings for owner clauses that could not be placed or read.
pub fn tasks(paras: &[Spanned], doc_date: Option<NaiveDate>) -> (Vec<Task>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let warn = |warnings: &mut Vec<Warning>, p: &Spanned, message: &str| {
        warnings.push(Warning {
            line: p.first_line().unwrap_or(0),
            message: message.to_string(),
        });
    };
    let mut items: Vec<Item> = Vec::new();
    // Heading stack: (family, marker text, item index).
    let mut stack: Vec<(Family, String, usize)> = Vec::new();
    let mut standing: Option<Owners> = None;
    let mut standing_from = usize::MAX;
    // Paragraphs that belong to no item with an owner clause; they may
    // name owners in prose.
    let mut loose: Vec<(usize, Option<usize>)> = Vec::new();
    for (pi, p) in paras.iter().enumerate() {
        let chars = p.chars();
        let text = p.text();
        let starts_heading = heading::parse(&chars[..chars.len().min(12)]).is_some();
        if standing.is_none()
            && !starts_heading
            && (text.contains("不再列出") || text.contains("以下均需落实"))
        {
            if let Some(o) = standing_clause(&text) {
                standing = Some(o);
                standing_from = items.len();
                continue;
            }
        }
        let cur = items.len().checked_sub(1);
        // A label paragraph or a paragraph that is only an owner clause
        // belongs to the item before it.
        let whole_clause =
            matches!(chars.first(), Some('（' | '［')) && owner::trailing_clause(chars) == Some(0);
        if owner::label_clause(&text) || whole_clause {
            match cur {
                Some(c) if items[c].owners.is_none() => {
                    let inner = if whole_clause {
                        inner_of(chars)
                    } else {
                        text.clone()
                    };
                    let o = owner::parse(&inner);
                    if o.is_empty() {
                        warn(
                            &mut warnings,
                            p,
                            "责任单位条款中未能识别出单位名称，请人工核对",
                        );
                    } else {
                        items[c].clause = p.clone();
                        set_owners(&mut items, c, o);
                    }
                }
                _ => warn(
                    &mut warnings,
                    p,
                    "责任单位条款前没有可对应的事项（或该事项已有责任单位），请人工核对",
                ),
            }
            continue;
        }
        let marker = heading::parse(&chars[..chars.len().min(12)]);
        let clause_at = owner::trailing_clause(chars);
        match marker {
            Some(m) => {
                if let Some(pos) = stack.iter().position(|(f, _, _)| *f == m.family) {
                    stack.truncate(pos);
                }
                let parent = stack.last().map(|s| s.2);
                let mut path: Vec<String> = stack.iter().map(|s| s.1.clone()).collect();
                path.push(m.text.clone());
                items.push(Item {
                    path,
                    parent,
                    family: Some(m.family),
                    text: p.clone(),
                    paras: vec![pi],
                    ..Item::default()
                });
                stack.push((m.family, m.text, items.len() - 1));
            }
            None => {
                let open_item = cur.filter(|&c| items[c].owners.is_none());
                match (open_item, clause_at) {
                    (Some(c), _) => {
                        items[c].text.append(p);
                        items[c].paras.push(pi);
                    }
                    (None, Some(_)) => {
                        let parent = stack.last().map(|s| s.2);
                        let path: Vec<String> = stack.iter().map(|s| s.1.clone()).collect();
                        items.push(Item {
                            path,
                            parent,
                            text: p.clone(),
                            paras: vec![pi],
                            ..Item::default()
                        });
                    }
                    (None, None) => {
                        loose.push((pi, None));
                        continue;
                    }
                }
            }
        }
        if let Some(open) = clause_at {
            let c = items.len() - 1;
            if items[c].owners.is_none() {
                let o = owner::parse(&inner_of(&chars[open..]));
                if o.is_empty() {
                    warn(
                        &mut warnings,
                        p,
                        "责任单位条款中未能识别出单位名称，请人工核对",
                    );
                } else {
                    set_owners(&mut items, c, o);
                }
            }
        }
    }
    // Items that never got owners: their paragraphs are loose too.
    for (k, it) in items.iter().enumerate() {
        if it.owners.is_none() {
            loose.extend(it.paras.iter().map(|&pi| (pi, Some(k))));
        }
    }
    let mut prose: Vec<Task> = Vec::new();
    for (pi, item) in loose {
        let path = item.map_or(&[][..], |k| &items[k].path[..]);
        prose.extend(prose_tasks(&paras[pi], path, doc_date));
    }
    let mut out: Vec<Task> = items
        .into_iter()
        .enumerate()
        .filter_map(|(k, it)| {
            let mut owners = it.owners?;
            if k >= standing_from {
                if let Some(s) = &standing {
                    for u in s.lead.iter().chain(&s.co) {
                        if !owners.lead.contains(u) && !owners.co.contains(u) {
                            owners.co.push(u.clone());
                        }
                    }
                }
            }
            let mut all = it.text.clone();
            all.append(&it.clause);
            let body = it.text.text();
            let deadline = find_deadline(&body, doc_date);
            let by = deadline
                .as_ref()
                .and_then(|d| d.date)
                .or_else(|| year_end(doc_date));
            Some(Task {
                path: it.path,
                targets: find_targets(&body, by),
                deadline,
                parts: inline_parts(&body),
                text: body,
                spans: all.spans(),
                lead_units: owners.lead,
                co_units: owners.co,
                owner_scope: it.scope,
            })
        })
        .collect();
    out.extend(prose);
    out.sort_by_key(|t| t.spans.first().map_or(0, |s| s[0]));
    (out, warnings)
}

/// Owners stated in prose: sentences that open with units and a duty, such
/// as `区农业农村局负责做好美丽乡村建设` or `区林业局发挥牵头抓总作用`.
fn prose_tasks(p: &Spanned, path: &[String], doc_date: Option<NaiveDate>) -> Vec<Task> {
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
                .or_else(|| year_end(doc_date));
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

/// The parts of an inline enumeration, each without the trailing
/// punctuation and the owner clause.
fn inline_parts(body: &str) -> Vec<String> {
    let chars: Vec<char> = body.chars().collect();
    let starts = heading::inline_items(&chars);
    let clause = owner::trailing_clause(&chars).unwrap_or(chars.len());
    starts
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let b = starts
                .get(k + 1)
                .copied()
                .unwrap_or(clause)
                .min(clause)
                .max(a);
            chars[a..b]
                .iter()
                .collect::<String>()
                .trim_end_matches(['，', '；', '。', '、'])
                .to_string()
        })
        .collect()
}

fn year_end(doc_date: Option<NaiveDate>) -> Option<NaiveDate> {
    doc_date.and_then(|d| NaiveDate::from_ymd_opt(d.year(), 12, 31))
}

/// Gives item `c` its owners, and the same owners to the siblings before it
/// that have none (a clause closing a group of items).
fn set_owners(items: &mut [Item], c: usize, o: Owners) {
    let family = items[c].family;
    let parent = items[c].parent;
    let mut grouped = false;
    if family.is_some() {
        // Everything between the parent heading and this item is a sibling
        // or a sibling's descendant.
        let from = parent.map_or(0, |p| p + 1);
        for k in (from..c).rev() {
            if items[k].parent != parent || items[k].family != family {
                continue;
            }
            // A sibling with owners, or a section heading with items of its
            // own, ends the group.
            if items[k].owners.is_some() || items.get(k + 1).is_some_and(|n| n.parent == Some(k)) {
                break;
            }
            items[k].owners = Some(o.clone());
            items[k].scope = OwnerScope::Group;
            grouped = true;
        }
    }
    items[c].owners = Some(o);
    if grouped {
        items[c].scope = OwnerScope::Group;
    }
}

/// The text inside a bracket clause that starts at `chars[0]`.
fn inner_of(chars: &[char]) -> String {
    let mut end = chars.len();
    while end > 0 && !matches!(chars[end - 1], '）' | '］') {
        end -= 1;
    }
    chars[1.min(end)..end.saturating_sub(1).max(1.min(end))]
        .iter()
        .collect()
}

/// `各县（市、区）人民政府…负责落实本行政区相关工作，以下均需落实，不再列出`.
fn standing_clause(text: &str) -> Option<Owners> {
    let end = text.find("负责")?;
    let before = &text[..end];
    // The units open the sentence, or a bracket still open before 负责.
    let mut start = before
        .rfind(['。', '；'])
        .map_or(0, |p| p + '。'.len_utf8());
    let mut depth = 0;
    for (p, c) in before.char_indices().rev() {
        match c {
            '）' | '］' => depth += 1,
            '（' | '［' if depth == 0 => {
                start = start.max(p + c.len_utf8());
                break;
            }
            '（' | '［' => depth -= 1,
            _ => {}
        }
    }
    let units = owner::split_units(&before[start..]);
    (!units.is_empty()).then(|| Owners {
        lead: Vec::new(),
        co: units,
    })
}
