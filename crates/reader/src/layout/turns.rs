//! Where another document's page begins inside a chunk without any mark: a
//! top-level heading that breaks one document's numbering and continues
//! another's; a page that uses a short name another unfinished document
//! defined; an appointment inside a removal list; text after a notice's
//! publication marker signed on a day another notice names.

use super::*;

/// Where, inside a chunk bound for document `d`, text carries on after
/// `d`'s publication marker and ends with a signature dated on a day another
/// unfinished, unsigned document names in its text: those lines are that
/// document's last page.
pub(super) fn after_close_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let closed_at = chunk.iter().position(|&i| lines[i].publication)?;
    let j = closed_at + 1;
    let next = &lines[*chunk.get(j)?];
    if next.number.is_some() || next.squeezed.starts_with("附件") || next.heading.is_some() {
        return None;
    }
    let signed_on: Vec<chrono::NaiveDate> = chunk[j..]
        .iter()
        .take(40)
        .filter_map(|&i| lines[i].date)
        .collect();
    let lo = docs.len().saturating_sub(4);
    (lo..docs.len())
        .rev()
        .find(|&e| {
            e != d
                && !docs[e].closed
                && !docs[e].signed
                && signed_on.iter().any(|s| docs[e].mentioned.contains(s))
        })
        .map(|e| (j, e))
}

/// The two lists of a personnel notice (任免).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PersonnelList {
    Appoint,
    Remove,
}

/// A line that opens a personnel list: `任命：`, `定，任命：`, `免去：`.
pub(super) fn personnel_label(t: &str) -> Option<PersonnelList> {
    if !t.ends_with('：') || t.chars().count() > 12 {
        return None;
    }
    if t.ends_with("任命：") || t.ends_with("聘任：") {
        Some(PersonnelList::Appoint)
    } else if t.ends_with("免去：") || t.ends_with("解聘：") {
        Some(PersonnelList::Remove)
    } else {
        None
    }
}

/// An appointment item, `卫秀红为运城中学副校长…`: a name and 为 near the start.
pub(super) fn is_appointment(t: &str) -> bool {
    let head: String = t.chars().take(12).collect();
    head.find('为')
        .is_some_and(|p| p >= 3 * 2 && !head[..p].contains(['，', '。', '：', '（']))
}

/// Where, inside a chunk bound for document `d` that is in its 免去 list,
/// an appointment item appears while another unfinished personnel notice
/// is in its 任命 list: the page is that notice's.
pub(super) fn personnel_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let mut list = docs[d].list;
    let lo = docs.len().saturating_sub(4);
    for (j, &i) in chunk.iter().enumerate() {
        let t = &lines[i].squeezed;
        if let Some(l) = personnel_label(t) {
            list = Some(l);
            continue;
        }
        if j > 0 && list == Some(PersonnelList::Remove) && is_appointment(t) {
            let other = (lo..docs.len()).rev().find(|&e| {
                e != d
                    && !docs[e].closed
                    && !docs[e].signed
                    && docs[e].list == Some(PersonnelList::Appoint)
            });
            if let Some(e) = other {
                return Some((j, e));
            }
        }
    }
    None
}

/// Short names a text defines: `（以下简称市领导小组）`, `以下简称“工作专班”`.
pub(super) fn defined_terms(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(p) = rest.find("以下简称") {
        let after = &rest[p + "以下简称".len()..];
        let after = after.trim_start_matches(['“', '"', '：']);
        let term: String = after
            .chars()
            .take_while(|c| !matches!(c, '）' | '”' | '"' | '，' | '。' | '；' | ')'))
            .take(13)
            .collect();
        let n = term.chars().count();
        if (2..=12).contains(&n) {
            out.push(term);
        }
        rest = &rest[p + "以下简称".len()..];
    }
    out
}

/// Where, inside a chunk bound for document `d`, a line uses a short name
/// that another unfinished document defined and `d` did not: that page
/// belongs to the other document.
pub(super) fn borrowed_term_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let lo = docs.len().saturating_sub(4);
    if (lo..docs.len()).all(|e| e == d || docs[e].terms.is_empty()) {
        return None;
    }
    let mut own: Vec<String> = docs[d].terms.clone();
    let mut prev: &str = &docs[d].last_text;
    for (j, &i) in chunk.iter().enumerate() {
        let t = &lines[i].squeezed;
        if t.contains('简')
            || t.contains('称')
            || prev.contains('简')
            || prev.ends_with(['以', '下'])
        {
            own.extend(defined_terms(&format!("{prev}{t}")));
        }
        if j > 0 {
            for e in (lo..docs.len()).rev().filter(|&e| e != d) {
                let o = &docs[e];
                if o.closed || o.signed {
                    continue;
                }
                let borrowed = o.terms.iter().any(|term| {
                    term.chars().count() >= 4 && !own.contains(term) && t.contains(term.as_str())
                });
                if borrowed {
                    return Some((j, e));
                }
            }
        }
        prev = t;
    }
    None
}

/// Where, inside a chunk bound for document `d`, another document's page
/// begins without any mark: a top-level heading that goes back in `d`'s
/// numbering but continues an unfinished document's. Returns the position
/// in the chunk and that document.
pub(super) fn unmarked_page_turn(
    lines: &[Line],
    docs: &[DocState],
    d: usize,
    chunk: &[usize],
) -> Option<(usize, usize)> {
    let mut seen: HashMap<Family, u32> = docs[d].last_heading.clone();
    for (j, &i) in chunk.iter().enumerate() {
        let Some((fam, ord)) = line_heading(&lines[i]) else {
            continue;
        };
        let top = matches!(fam, Family::Chinese | Family::Article | Family::Chapter);
        // Going back in the numbering, jumping ahead of it, or a family
        // this document has not used arriving mid-way (第三条 after 一、).
        let unused = !seen.contains_key(&fam);
        let off_sequence = match seen.get(&fam) {
            Some(&prev) => ord <= prev || ord > prev + 1,
            None => ord > 1 && !ends_sentence(&lines[chunk[j.saturating_sub(1)]].squeezed),
        };
        if j > 0 && top && off_sequence {
            let before = &lines[chunk[j - 1]].squeezed;
            let restart = before.starts_with("附件")
                || could_be_title(&lines[chunk[j - 1]]) && !before.contains('：');
            if !restart {
                let lo = docs.len().saturating_sub(4);
                let fits = (lo..docs.len()).rev().find(|&e| {
                    let o = &docs[e];
                    e != d
                        && !o.closed
                        && (unused || !o.signed)
                        && match o.last_heading.get(&fam) {
                            Some(&p) => p + 1 == ord,
                            None => ord == 1 && seen.get(&fam).is_some_and(|&prev| ord <= prev),
                        }
                });
                if let Some(e) = fits {
                    // The page may begin a line earlier, with the end of the
                    // sentence that document broke off.
                    let target_last = docs[e].lines.lines.last().map(|&i| &lines[i].squeezed);
                    let broke_off = target_last.is_some_and(|t| !ends_sentence(t));
                    let at = if j >= 2
                        && broke_off
                        && ends_sentence(before)
                        && !ends_sentence(&lines[chunk[j - 2]].squeezed)
                    {
                        j - 1
                    } else {
                        j
                    };
                    return Some((at, e));
                }
            }
        }
        seen.insert(fam, ord);
    }
    None
}
