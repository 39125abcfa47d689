//! The gazette's front matter and page furniture: the 目录 and its
//! entries, the lines that print a title the 目录 lists, running titles
//! repeated at page edges, and where pages start.

use super::*;

/// Finds the table of contents (目录) and the cover before it; returns its
/// entries.
pub(super) fn mark_contents(lines: &mut [Line]) -> Vec<ContentsEntry> {
    let Some(start) = lines
        .iter()
        .take(400)
        .position(|l| l.kind == Kind::Text && l.squeezed == "目录")
    else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    let mut end = start;
    let mut j = start + 1;
    let mut misses = 0;
    while j < lines.len() {
        if lines[j].kind != Kind::Text {
            j += 1;
            continue;
        }
        let t = lines[j]
            .squeezed
            .trim_start_matches(['-', '·', '•'])
            .to_string();
        if let Some(number) = doc_number(&t) {
            // A section label before the title (`市政府文件`) is not part of it.
            let clean = |k: usize| lines[k].squeezed.trim_start_matches(['-', '·', '•']);
            let from = pending
                .iter()
                .rposition(|&k| title_start(clean(k)).is_some())
                .unwrap_or(0);
            let title: String = pending[from..].iter().map(|&k| clean(k)).collect();
            entries.push(ContentsEntry {
                title,
                number,
                line: lines[j].no,
            });
            pending.clear();
            end = j;
            misses = 0;
        } else if pending.len() < 3 && header_apart(lines, j).is_none() {
            pending.push(j);
            misses += 1;
            if misses > 3 {
                break;
            }
        } else {
            break;
        }
        j += 1;
    }
    if entries.is_empty() {
        return entries;
    }
    // Section labels between entries (区政府文件) and the cover above 目录
    // belong to the front matter too.
    for l in lines.iter_mut().take(end + 1) {
        if l.kind == Kind::Text {
            l.kind = Kind::Contents;
        }
    }
    entries
}

/// Marks the lines outside the 目录 that print a title it lists (whole,
/// or as the first of two lines), so a header is found by its title even
/// where its issuer line is missing or its title does not open with 关于.
pub(super) fn mark_contents_titles(lines: &mut [Line], contents: &[ContentsEntry]) {
    if contents.is_empty() {
        return;
    }
    let titles: HashSet<&str> = contents.iter().map(|e| e.title.as_str()).collect();
    for i in 0..lines.len() {
        if lines[i].kind != Kind::Text || lines[i].squeezed.chars().count() < 6 {
            continue;
        }
        let one = titles.contains(lines[i].squeezed.as_str());
        let two = || {
            next_text(lines, i + 1).is_some_and(|j| {
                j <= i + 2
                    && titles
                        .contains(format!("{}{}", lines[i].squeezed, lines[j].squeezed).as_str())
            })
        };
        if one || two() {
            lines[i].contents_title = true;
        }
    }
}

/// Running titles: a document's (or attachment's) title repeated at a page
/// edge. They are recognised by being the same as a known title and by
/// standing where a page turns (after an unfinished sentence, or just before
/// a page start).
pub(super) fn mark_running_titles(lines: &mut [Line], contents: &[ContentsEntry]) {
    let mut titles: HashSet<String> = HashSet::new();
    for e in contents {
        titles.insert(e.title.clone());
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in lines.iter().filter(|l| l.kind == Kind::Text) {
        let n = l.squeezed.chars().count();
        if (6..=40).contains(&n) && could_be_title(l) {
            *counts.entry(l.squeezed.as_str()).or_default() += 1;
        }
        // Names in 《》 and the object of 关于印发…的通知.
        let mut rest = l.squeezed.as_str();
        while let Some(a) = rest.find('《') {
            let after = &rest[a + '《'.len_utf8()..];
            let Some(b) = after.find('》') else { break };
            let name = &after[..b];
            if name.chars().count() >= 6 {
                titles.insert(name.to_string());
            }
            rest = &after[b..];
        }
    }
    // A line printed more than once is a running title when it reads as a
    // title (ends with a kind of document) or as a byline (市长 储祥好).
    for (t, n) in counts {
        if n >= 2 && (TITLE_ENDS.iter().any(|e| t.ends_with(e)) || is_byline(t)) {
            titles.insert(t.to_string());
        }
    }
    let titles: HashSet<String> = titles
        .into_iter()
        .filter(|t| t.chars().count() >= 6)
        .collect();
    let n = lines.len();
    let mut i = 0;
    while i < n {
        if lines[i].kind != Kind::Text
            || !could_be_title(&lines[i])
            || lines[i].heading.is_some()
            || header_at(lines, i)
        {
            i += 1;
            continue;
        }
        // One line, or two lines with no blank between them.
        let mut matched = None;
        if titles.contains(&lines[i].squeezed) {
            matched = Some(i);
        } else if i + 1 < n && lines[i + 1].kind == Kind::Text {
            let pair = format!("{}{}", lines[i].squeezed, lines[i + 1].squeezed);
            if titles.contains(&pair) {
                matched = Some(i + 1);
            }
        }
        // A title never seen elsewhere still counts where it stands between
        // a broken-off sentence and a page start.
        let unseen_title = matched.is_none()
            && TITLE_ENDS.iter().any(|e| lines[i].squeezed.ends_with(e))
            && prev_text(lines, i).is_some_and(|p| !ends_sentence(&lines[p].squeezed))
            && next_text(lines, i + 1).is_some_and(|q| lines[q].raw.starts_with([' ', '\u{3000}']));
        if unseen_title {
            matched = Some(i);
        }
        let Some(last) = matched else {
            i += 1;
            continue;
        };
        // A signature (issuer, date, publication marker) ends a block too:
        // the title after it opens the next one.
        let prev_unfinished = prev_text(lines, i).is_some_and(|p| {
            let l = &lines[p];
            !ends_sentence(&l.squeezed)
                && l.date.is_none()
                && !l.publication
                && l.number.is_none()
                && !is_issuer(&l.squeezed)
        });
        let next_is_page = next_text(lines, last + 1).is_some_and(|q| {
            let raw = &lines[q].raw;
            raw.starts_with(' ') || raw.starts_with('\u{3000}') || q == last + 1
        });
        if prev_unfinished || next_is_page {
            for l in &mut lines[i..=last] {
                l.kind = Kind::Furniture;
            }
        }
        i = last + 1;
    }
}

/// Words a document or attachment title ends with.
pub(super) const TITLE_ENDS: [&str; 16] = [
    "方案",
    "规划",
    "计划",
    "意见",
    "细则",
    "办法",
    "报告",
    "通知",
    "纲要",
    "条例",
    "规定",
    "决定",
    "制度",
    "规则",
    "（试行）",
    "清单",
];

/// Does a line end as a document or attachment title does (`…方案`)?
pub fn ends_like_title(t: &str) -> bool {
    TITLE_ENDS.iter().any(|e| t.ends_with(e))
}

/// `运城市人民政府市长储祥好`: an office ending in 长 and a two- or
/// three-character name.
pub(super) fn is_byline(t: &str) -> bool {
    let chars: Vec<char> = t.chars().collect();
    let n = chars.len();
    (n >= 6)
        && [2, 3].iter().any(|&k| {
            n > k + 1 && chars[n - k - 1] == '长' && (t.contains("政府") || t.contains("委"))
        })
}

/// Can a line be a (running) title? Not a date, marker, number, issuer,
/// addressee or sentence.
pub(super) fn could_be_title(l: &Line) -> bool {
    let t = &l.squeezed;
    !t.contains(['，', '。', '；'])
        && !t.ends_with('：')
        && !is_issuer(t)
        && l.date.is_none()
        && !l.publication
        && l.number.is_none()
}

pub(super) fn mark_page_starts(lines: &mut [Line]) {
    let mut after_furniture = false;
    for l in lines.iter_mut() {
        match l.kind {
            Kind::Blank => {}
            Kind::Furniture | Kind::Contents => after_furniture = true,
            Kind::Text => {
                let leading = l.raw.starts_with(' ') || l.raw.starts_with('\u{3000}');
                l.page_start = leading || after_furniture;
                after_furniture = false;
            }
        }
    }
}
