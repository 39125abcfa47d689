//! Tasks: the items of a document's heading tree that carry owners.
//!
//! An item is a heading paragraph (`1.` `（一）` …) with the unnumbered
//! paragraphs after it, or an unnumbered paragraph that closes with its own
//! owner clause. An owner clause belongs to the item it closes; when the
//! items before it in the same section have none, it covers them too
//! (`owner_scope: "group"`). A paragraph with several clauses is several
//! tasks, each owning the text since the previous clause. A standing clause
//! (`以下均需落实，不再列出`), on its own or inside a clause, adds its units
//! to this and every later task of the document; a declared role rule
//! (`列第一位的为牵头单位`) holds from where it is declared. Strings in unit
//! position that are not unit names become warnings.

use crate::clause::{self, Found};
use crate::deadline::find_deadline;
use crate::heading::{self, Family};
use crate::model::{OwnerScope, Task, Warning};
use crate::owner::{self, Context, Owners};
use crate::span::{spans_of, Spanned};
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
    /// The paragraphs (or parts of paragraphs) `text` is made of.
    parts: Vec<Spanned>,
    /// Lines of the owner clause, if it stands apart.
    clause: Spanned,
    owners: Option<Owners>,
    scope: OwnerScope,
    /// For a later clause of a paragraph: the paragraph's first line.
    head_line: Option<u32>,
    /// The owners came from a label paragraph, which another label
    /// paragraph right after it may complete (`牵头单位：` then `配合单位：`).
    label: Option<String>,
}

/// What the walk over a document's paragraphs keeps.
struct Walk<'a> {
    items: Vec<Item>,
    /// Heading stack: (family, marker text, item index).
    stack: Vec<(Family, String, usize)>,
    /// Standing units and the first item they apply to.
    standing: Vec<(usize, Vec<String>)>,
    ctx: Context,
    /// Text that belongs to no item with an owner clause, with its path;
    /// it may name owners in prose.
    loose: Vec<(Spanned, Vec<String>)>,
    warnings: Vec<Warning>,
    lists_are_clauses: bool,
    paras: &'a [Spanned],
}

/// Builds the tasks of one document from its paragraphs.
/// Also returns warnings for owner clauses that could not be placed or read.
pub fn tasks(paras: &[Spanned], doc_date: Option<NaiveDate>) -> (Vec<Task>, Vec<Warning>) {
    let mut w = Walk {
        items: Vec::new(),
        stack: Vec::new(),
        standing: Vec::new(),
        ctx: Context {
            rule: None,
            pairs_one_body: pairs_one_body(paras),
        },
        loose: Vec::new(),
        warnings: Vec::new(),
        lists_are_clauses: lists_are_clauses(paras),
        paras,
    };
    for pi in 0..paras.len() {
        w.paragraph(pi);
    }
    w.finish(doc_date)
}

impl Walk<'_> {
    fn warn(&mut self, line: Option<u32>, message: String) {
        self.warnings.push(Warning {
            line: line.unwrap_or(0),
            message,
        });
    }

    fn paragraph(&mut self, pi: usize) {
        let paras = self.paras;
        let p = &paras[pi];
        let chars = p.chars();
        let text = p.text();
        let marker = heading::parse(&chars[..chars.len().min(12)]);
        let found = clause::find_with(chars, self.lists_are_clauses);
        // A role rule declared outside any clause (`注：列第一位的为牵头单位`).
        if let Some(rule) = owner::role_rule(&text) {
            if found.is_empty() {
                self.ctx.rule = Some(rule);
                if marker.is_none() && text.chars().count() <= 60 {
                    return;
                }
            }
        }
        // A standing clause on its own.
        if marker.is_none() && found.is_empty() && !owner::label_clause(&text) {
            let units = owner::standing_in(&text);
            if !units.is_empty() {
                self.standing.push((self.items.len(), units));
                return;
            }
        }
        let cur = self.items.len().checked_sub(1);
        // A label paragraph or a paragraph that is only an owner clause
        // belongs to the item before it.
        let whole_clause = found.len() == 1
            && found[0].open == 0
            && clause::is_tail(&chars[found[0].end..])
            && marker.is_none();
        if owner::label_clause(&text) || whole_clause {
            let inner = if whole_clause {
                found[0].inner.clone()
            } else {
                text.clone()
            };
            self.label_paragraph(cur, p, inner, !whole_clause);
            return;
        }
        match marker {
            Some(m) => {
                if let Some(pos) = self.stack.iter().position(|(f, _, _)| *f == m.family) {
                    self.stack.truncate(pos);
                }
                let parent = self.stack.last().map(|s| s.2);
                let mut path: Vec<String> = self.stack.iter().map(|s| s.1.clone()).collect();
                path.push(m.text.clone());
                self.items.push(Item {
                    path,
                    parent,
                    family: Some(m.family),
                    ..Item::default()
                });
                self.stack.push((m.family, m.text, self.items.len() - 1));
            }
            None => {
                let open_item = cur.filter(|&c| self.items[c].owners.is_none());
                if open_item.is_none() {
                    if found.is_empty() {
                        let path = self.path();
                        self.loose.push((p.clone(), path));
                        return;
                    }
                    let parent = self.stack.last().map(|s| s.2);
                    self.items.push(Item {
                        path: self.path(),
                        parent,
                        ..Item::default()
                    });
                }
            }
        }
        let c = self.items.len() - 1;
        let single = found.len() == 1 && clause::is_tail(&chars[found[0].end..]);
        if found.is_empty() || single || self.items[c].owners.is_some() {
            self.items[c].text.append(p);
            self.items[c].parts.push(p.clone());
            if let (true, Some(f)) = (single, found.first()) {
                if self.items[c].owners.is_none() {
                    if let Some(o) = self.read_clause(p, f, c) {
                        set_owners(&mut self.items, c, o);
                    }
                }
            }
            return;
        }
        self.several_clauses(p, &found, c);
    }

    /// The path of an unnumbered item: the headings above it.
    fn path(&self) -> Vec<String> {
        self.stack.iter().map(|s| s.1.clone()).collect()
    }

    /// A paragraph with several clauses, or a clause with text after it:
    /// each clause owns the text since the previous one. The first goes
    /// to item `c`, the others become tasks of their own on the same path.
    fn several_clauses(&mut self, p: &Spanned, found: &[Found], c: usize) {
        let head_line = self.items[c].text.first_line().or_else(|| p.first_line());
        let mut from = 0;
        for (k, f) in found.iter().enumerate() {
            let segment = p.slice(from..f.end);
            from = f.end;
            let target = if k == 0 {
                self.items[c].text.append(&segment);
                self.items[c].parts.push(segment);
                c
            } else {
                let it = &self.items[c];
                let item = Item {
                    path: it.path.clone(),
                    parent: it.parent,
                    text: segment,
                    head_line,
                    ..Item::default()
                };
                self.items.push(item);
                self.items.len() - 1
            };
            if let Some(o) = self.read_clause(p, f, target) {
                self.items[target].owners = Some(o);
            }
        }
        let rest = p.slice(from..p.len());
        if !clause::is_tail(rest.chars()) {
            let path = self.items[c].path.clone();
            self.loose.push((rest, path));
        }
    }

    /// Reads one clause found in paragraph `p` for item `item`: warns for
    /// what is not a unit, records standing units and role rules.
    fn read_clause(&mut self, p: &Spanned, f: &Found, item: usize) -> Option<Owners> {
        let line = p.line_at(f.open);
        self.read(&f.inner, line, item)
    }

    fn read(&mut self, inner: &str, line: Option<u32>, item: usize) -> Option<Owners> {
        let parsed = owner::parse_with(inner, &self.ctx);
        for (u, why) in &parsed.refused {
            self.warn(
                line,
                format!("责任单位条款中的“{u}”不像单位名称（{why}），未列为责任单位，请人工核对"),
            );
        }
        if let Some(rule) = parsed.rule {
            self.ctx.rule = Some(rule);
        }
        if !parsed.standing.is_empty() {
            self.standing.push((item, parsed.standing));
        }
        if parsed.owners.is_empty() {
            self.warn(
                line,
                "责任单位条款中未能识别出单位名称，请人工核对".to_string(),
            );
            return None;
        }
        Some(parsed.owners)
    }

    /// A `责任单位：` paragraph or a paragraph that is only a clause: the
    /// owners of the item before it. A second label right after a first
    /// completes it.
    fn label_paragraph(&mut self, cur: Option<usize>, p: &Spanned, inner: String, label: bool) {
        let line = p.first_line();
        match cur {
            Some(c) if self.items[c].owners.is_none() => {
                if let Some(o) = self.read(&inner, line, c) {
                    self.items[c].clause = p.clone();
                    self.items[c].label = label.then_some(inner);
                    set_owners(&mut self.items, c, o);
                }
            }
            Some(c) if label && self.items[c].label.is_some() => {
                let joined = format!(
                    "{}；{inner}",
                    self.items[c].label.clone().unwrap_or_default()
                );
                if let Some(o) = self.read(&joined, line, c) {
                    self.items[c].clause.append(p);
                    self.items[c].label = Some(joined);
                    replace_owners(&mut self.items, c, o);
                }
            }
            _ => self.warn(
                line,
                "责任单位条款前没有可对应的事项（或该事项已有责任单位），请人工核对".to_string(),
            ),
        }
    }

    fn finish(mut self, doc_date: Option<NaiveDate>) -> (Vec<Task>, Vec<Warning>) {
        // Items that never got owners: their text is loose too.
        for it in &self.items {
            if it.owners.is_none() {
                for part in &it.parts {
                    self.loose.push((part.clone(), it.path.clone()));
                }
            }
        }
        let mut prose: Vec<Task> = Vec::new();
        for (p, path) in &self.loose {
            prose.extend(crate::prose::prose_tasks(p, path, doc_date));
        }
        let standing = std::mem::take(&mut self.standing);
        let mut out: Vec<Task> = self
            .items
            .into_iter()
            .enumerate()
            .filter_map(|(k, it)| {
                let mut owners = it.owners?;
                for (from, units) in &standing {
                    if k >= *from {
                        for u in units {
                            if !owners.contains(u) {
                                owners.co.push(u.clone());
                            }
                        }
                    }
                }
                let mut all = it.text.clone();
                all.append(&it.clause);
                let lines: Vec<u32> = it
                    .head_line
                    .into_iter()
                    .chain(all.spans().iter().flat_map(|s| s[0]..=s[1]))
                    .collect();
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
                    spans: spans_of(lines),
                    lead_units: owners.lead,
                    co_units: owners.co,
                    owner_scope: it.scope,
                })
            })
            .collect();
        out.extend(prose);
        out.sort_by_key(|t| t.spans.first().map_or(0, |s| s[0]));
        (out, self.warnings)
    }
}

/// Does the document write its unit lists with `，` between units, so that
/// a `、` inside one entry joins two names of one body? Seen over all its
/// labelled lists: several lists of three or more entries without duty
/// words, entries mostly single names, and no entry of three names joined
/// by `、` (which would make `、` the list separator).
fn pairs_one_body(paras: &[Spanned]) -> bool {
    let mut lists = 0;
    let (mut singles, mut pairs) = (0, 0);
    for p in paras {
        let head: String = p.chars().iter().take(6).collect();
        if !owner::label_clause(&head) {
            continue;
        }
        let text = p.text();
        let body = text.split_once(['：', ':']).map_or("", |(_, b)| b);
        if owner::has_duty_word(body) {
            continue;
        }
        let entries = crate::unit::split_top(body.trim_end_matches('。'), &['，']);
        if entries.len() < 2 {
            continue;
        }
        lists += 1;
        for e in &entries {
            match crate::unit::split_top(e, &['、']).len() {
                1 => singles += 1,
                2 => pairs += 1,
                _ => return false,
            }
        }
    }
    lists >= 3 && pairs > 0 && singles >= 2 * pairs
}

/// Does the document end item after item with a bracket that lists only
/// units (`（市商务局、市财政局）`), so such brackets are its owner clauses?
fn lists_are_clauses(paras: &[Spanned]) -> bool {
    let mut lists = 0;
    let mut rule = false;
    for p in paras {
        let chars = p.chars();
        let declares = chars.windows(2).enumerate().any(|(k, w)| {
            w == ['下', '同'] || w == ['牵', '头'] && k > 0 && matches!(chars[k - 1], '为' | '是')
        });
        if declares && owner::role_rule(&p.text()).is_some() {
            rule = true;
        }
        if clause::trailing_list(chars).is_some() {
            lists += 1;
        }
    }
    lists >= 3 || (rule && lists >= 1)
}

/// The parts of an inline enumeration, each without the trailing
/// punctuation and the owner clause.
fn inline_parts(body: &str) -> Vec<String> {
    let chars: Vec<char> = body.chars().collect();
    let starts = heading::inline_items(&chars);
    if starts.is_empty() {
        return Vec::new();
    }
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

/// The last day of the document's year, the default term of a target.
pub fn year_end(doc_date: Option<NaiveDate>) -> Option<NaiveDate> {
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

/// Replaces the owners item `c` and its group got from a first label with
/// those of the completed label.
fn replace_owners(items: &mut [Item], c: usize, o: Owners) {
    let old = items[c].owners.clone();
    for it in items[..c].iter_mut().rev() {
        if it.scope != OwnerScope::Group || it.owners != old {
            break;
        }
        it.owners = Some(o.clone());
    }
    items[c].owners = Some(o);
}
