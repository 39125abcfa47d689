//! Headers paired with their bodies by what they say, after the layout has
//! put pages in order by position. A gazette sometimes prints a one-page
//! notice as body, signature, then header; lets two documents' header
//! pages swap; or sets a header where another document's page is. Then a
//! header stands without the body it heads (no addressee, no signature)
//! and a body stands without a header. They belong together when the
//! title names what the body says: the object of `关于印发X的通知` quoted
//! in the body (`现将《X》印发给你们`), or a long run of the title's words in
//! the body's first lines. Position alone never pairs them, and no
//! document gets a second header.

use crate::layout::{is_addressee, DocLines, Line};

/// Joins bodies without a header to the header that names them.
pub fn pair(lines: &[Line], docs: &mut Vec<DocLines>) {
    // Headers stand near the bodies they lost: a few documents apart.
    const NEAR: usize = 4;
    let bodies: Vec<bool> = docs.iter().map(|d| has_body(lines, d)).collect();
    let titles: Vec<Option<String>> = docs
        .iter()
        .zip(&bodies)
        .map(|(d, &b)| (d.has_header && !b).then(|| title_of(lines, d)).flatten())
        .collect();
    // Every pairing a title supports, best first; each body and each header
    // is used once.
    let mut found: Vec<(u32, usize, usize)> = Vec::new();
    for (h, body) in docs.iter().enumerate() {
        if body.has_header || !bodies[h] {
            continue;
        }
        let text = head_text(lines, body, 12);
        let near = h.saturating_sub(NEAR)..(h + NEAR + 1).min(docs.len());
        for d in near {
            let Some(title) = &titles[d] else { continue };
            let score = match_score(title, &text).max(kind_score(title, &text))
                + u32::from(h.abs_diff(d) == 1);
            if score >= 3 {
                found.push((score, h, d));
            }
        }
    }
    found.sort_by_key(|&(score, h, d)| (std::cmp::Reverse(score), h.abs_diff(d), h));
    let mut used = vec![false; docs.len()];
    let mut merges: Vec<(usize, usize)> = Vec::new();
    for (_, h, d) in found {
        if !used[h] && !used[d] {
            used[h] = true;
            used[d] = true;
            merges.push((h, d));
        }
    }
    let mut gone = vec![false; docs.len()];
    for &(h, d) in &merges {
        let body = std::mem::take(&mut docs[h]);
        let header = &mut docs[d];
        let at = header_end(lines, header);
        let shift = body.lines.len();
        let rest = header.lines.split_off(at);
        header.lines.extend(body.lines.iter().copied());
        header.lines.extend(rest);
        header.chunk_starts = header
            .chunk_starts
            .iter()
            .map(|&c| if c >= at { c + shift } else { c })
            .chain(body.chunk_starts.iter().map(|&c| c + at))
            .collect();
        header.chunk_starts.sort_unstable();
        header.chunk_starts.dedup();
        gone[h] = true;
    }
    let mut k = 0;
    docs.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// A header printed twice in a row (a web page's plain and bold copies):
/// the first copy, with nothing of its own, joins the second, so the
/// document has one header and no empty twin.
pub fn merge_repeated_headers(lines: &[Line], docs: &mut Vec<DocLines>) {
    let mut d = 0;
    while d + 1 < docs.len() {
        let (a, b) = (&docs[d], &docs[d + 1]);
        let bare = a.has_header
            && b.has_header
            && a.lines.len() <= 4
            && !a.lines.iter().any(|&i| lines[i].number.is_some())
            && !has_body(lines, a);
        let same = bare
            && match (title_of(lines, a), title_of(lines, b)) {
                (Some(x), Some(y)) => same_title(&x, &y),
                _ => false,
            };
        if same {
            let first = docs.remove(d);
            let next = &mut docs[d];
            let shift = first.lines.len();
            next.lines.splice(0..0, first.lines);
            next.chunk_starts = std::iter::once(0)
                .chain(next.chunk_starts.iter().map(|c| c + shift))
                .collect();
        } else {
            d += 1;
        }
    }
}

/// Gives each `关于印发X的通知` the attachment titled X. An attachment
/// starts where a page (or the text after a notice's signature) opens with
/// a title that a nearby notice names; when that notice is another one
/// (two documents' header pages swapped, or an attachment page landed
/// under the wrong notice by position), the attachment moves to it, up to
/// the next such title.
pub fn match_attachments(lines: &[Line], docs: &mut [DocLines]) {
    const NEAR: usize = 4;
    let objects: Vec<Option<String>> = docs
        .iter()
        .map(|d| object_of(&title_of(lines, d)?))
        .collect();
    let mut moves: Vec<(usize, usize, usize, usize)> = Vec::new(); // (from, start, end, to)
    for (d, doc) in docs.iter().enumerate() {
        let start = attachment_start(lines, doc);
        let near = d.saturating_sub(NEAR)..(d + NEAR + 1).min(docs.len());
        // Attachment titles at page starts, with the notice that names them.
        let mut bounds: Vec<(usize, usize)> = Vec::new();
        for k in start..doc.lines.len() {
            if k != start && !doc.chunk_starts.contains(&k) {
                continue;
            }
            let Some(title) = attachment_title(lines, doc, k) else {
                continue;
            };
            let owner = near
                .clone()
                .find(|&e| objects[e].as_deref().is_some_and(|o| same_title(o, &title)));
            if let Some(e) = owner {
                bounds.push((k, e));
            }
        }
        for (n, &(k, e)) in bounds.iter().enumerate() {
            let end = bounds.get(n + 1).map_or(doc.lines.len(), |b| b.0);
            if e != d {
                moves.push((d, k, end, e));
            }
        }
    }
    // Take the moving stretches out (from the back, so positions hold),
    // then append each to its notice in reading order.
    let mut taken: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut by_source = moves.clone();
    by_source.sort_by(|a, b| (a.0, b.1).cmp(&(b.0, a.1)));
    for &(from, start, end, to) in &by_source {
        let stretch: Vec<usize> = docs[from].lines.drain(start..end).collect();
        taken.push((to, stretch));
    }
    taken.sort_by_key(|(_, s)| s.first().copied());
    for (to, stretch) in taken {
        let at = docs[to].lines.len();
        docs[to].chunk_starts.push(at);
        docs[to].lines.extend(stretch);
    }
    for doc in docs.iter_mut() {
        let n = doc.lines.len();
        doc.chunk_starts.retain(|&c| c < n);
        doc.chunk_starts.sort_unstable();
        doc.chunk_starts.dedup();
    }
}

/// Gives a number line that another document's text absorbed (it breaks
/// into that document's sentence, or that document has its own number)
/// to the nearest document with a header and no number.
pub fn adopt_numbers(lines: &[Line], docs: &mut [DocLines]) {
    const NEAR: usize = 4;
    let own: Vec<Option<usize>> = docs
        .iter()
        .map(|d| crate::header::own_number(lines, &d.lines, 0))
        .collect();
    let mut wanting: Vec<bool> = docs
        .iter()
        .zip(&own)
        .map(|(d, o)| d.has_header && o.is_none())
        .collect();
    if !wanting.contains(&true) {
        return;
    }
    let mut moves: Vec<(usize, usize, usize)> = Vec::new(); // (from, position, to)
    for (d, doc) in docs.iter().enumerate() {
        for (k, &i) in doc.lines.iter().enumerate() {
            if lines[i].number.is_none() || own[d] == Some(k) {
                continue;
            }
            if own[d].is_none() && !crate::header::interrupts_sentence(lines, &doc.lines, k) {
                continue;
            }
            let near = d.saturating_sub(NEAR)..(d + NEAR + 1).min(docs.len());
            let to = near.filter(|&e| e != d && wanting[e]).min_by_key(|&e| {
                let first = docs[e].lines.first().map_or(0, |&j| lines[j].no);
                first.abs_diff(lines[i].no)
            });
            if let Some(e) = to {
                wanting[e] = false;
                moves.push((d, k, e));
            }
        }
    }
    moves.sort_by_key(|m| std::cmp::Reverse((m.0, m.1)));
    for (d, k, e) in moves {
        let i = docs[d].lines.remove(k);
        let n = docs[d].lines.len();
        docs[d].chunk_starts.retain(|&c| c < n);
        // After the notice's publication marker or signature, as this
        // gazette prints numbers; or after the header.
        let signed = docs[e]
            .lines
            .iter()
            .any(|&j| lines[j].publication || lines[j].date.is_some());
        let at = if signed {
            attachment_start(lines, &docs[e]).min(docs[e].lines.len())
        } else {
            header_end(lines, &docs[e])
        };
        docs[e].lines.insert(at, i);
        for c in docs[e].chunk_starts.iter_mut() {
            if *c > at {
                *c += 1;
            }
        }
    }
}

/// Where a notice's attachment begins: after its publication marker, or
/// after its signature date when it has none.
fn attachment_start(lines: &[Line], doc: &DocLines) -> usize {
    let marker = doc.lines.iter().position(|&i| lines[i].publication);
    let date = doc.lines.iter().position(|&i| lines[i].date.is_some());
    let end = marker.or(date).map_or(doc.lines.len(), |p| p + 1);
    // A number printed after the signature still belongs to the notice.
    let mut k = end;
    while doc
        .lines
        .get(k)
        .is_some_and(|&i| lines[i].number.is_some() || lines[i].publication)
    {
        k += 1;
    }
    k
}

/// The title an attachment opens with: its first line, or its first two
/// when the title wraps, if they read as a title.
fn attachment_title(lines: &[Line], doc: &DocLines, start: usize) -> Option<String> {
    let mut title = String::new();
    for &i in doc.lines.iter().skip(start).take(3) {
        let t = &lines[i].squeezed;
        if t.contains(['，', '。', '；', '：'])
            || lines[i].heading.is_some()
            || t.starts_with("附件")
        {
            break;
        }
        title.push_str(t);
        if title.chars().count() >= 6 && crate::layout::ends_like_title(&title) {
            return Some(title);
        }
    }
    None
}

/// Do two titles name the same document (one holds the other, or they
/// share most of their characters in one run)?
pub fn same_title(a: &str, b: &str) -> bool {
    let short = a.chars().count().min(b.chars().count());
    short >= 4 && (a.contains(b) || b.contains(a) || longest_common_run(a, b) * 10 >= short * 8)
}

/// Does a document carry a body of its own: an addressee or a signature?
fn has_body(lines: &[Line], doc: &DocLines) -> bool {
    doc.lines.iter().any(|&i| {
        let l = &lines[i];
        l.date.is_some() || is_addressee(&l.squeezed)
    })
}

/// The first `n` text lines of a document, joined.
fn head_text(lines: &[Line], doc: &DocLines, n: usize) -> String {
    doc.lines
        .iter()
        .take(n)
        .map(|&i| lines[i].squeezed.as_str())
        .collect()
}

/// The title of a document with a header: the lines from the one that
/// starts with `关于` (or runs issuer and title together) to the number.
fn title_of(lines: &[Line], doc: &DocLines) -> Option<String> {
    let first = *doc.lines.first()?;
    let t = crate::layout::header_title_line(lines, first)?;
    let mut title = String::new();
    for &i in doc.lines.iter().skip_while(|&&i| i != t).take(4) {
        let l = &lines[i];
        if l.number.is_some() || (i != t && crate::header::title_complete(&title)) {
            break;
        }
        title.push_str(&l.squeezed);
    }
    let title = match crate::layout::title_start(&title) {
        Some(p) => title[p..].to_string(),
        None => title,
    };
    (!title.is_empty()).then_some(title)
}

/// Where a header ends in a document's lines: after its number line, or
/// after its title when it has no number near.
fn header_end(lines: &[Line], doc: &DocLines) -> usize {
    let title_end = doc
        .lines
        .iter()
        .position(|&i| crate::header::title_complete(&lines[i].squeezed))
        .map_or(1, |p| p + 1);
    doc.lines
        .iter()
        .take(title_end + 3)
        .position(|&i| lines[i].number.is_some())
        .map_or(title_end, |p| p + 1)
}

/// How strongly a title names a body's text: 3 for the object of a
/// `印发`/`转发` title found in the text, 2 for a run of eight or more of
/// the title's characters, 0 otherwise.
pub fn match_score(title: &str, text: &str) -> u32 {
    if let Some(object) = object_of(title) {
        if object.chars().count() >= 4 && text.contains(&object) {
            return 3;
        }
    }
    let core = title
        .trim_start_matches("关于")
        .trim_end_matches(['）', ')'])
        .trim_end_matches("的通知")
        .trim_end_matches("的批复")
        .trim_end_matches("的意见")
        .trim_end_matches("的决定");
    if longest_common_run(core, text) >= 8 {
        2
    } else {
        0
    }
}

/// How well the kind of document a title names fits a body's own words:
/// a 批复 answers a request (`你区…的请示收悉`), a 任免 notice appoints
/// and removes (`任命`, `免去`). 2 when it fits, 0 otherwise; with being
/// next to each other, enough to pair.
pub fn kind_score(title: &str, text: &str) -> u32 {
    let fits = (title.ends_with("批复") && text.contains("请示") && text.contains("收悉"))
        || ((title.contains("任免") || title.contains("任职"))
            && (text.contains("任命") || text.contains("免去")));
    if fits {
        2
    } else {
        0
    }
}

/// `关于印发《X》的通知` → `X`; also 转发, 批转, and titles without 关于.
pub fn object_of(title: &str) -> Option<String> {
    let verbs = ["印发", "转发", "批转", "公布"];
    let (pos, verb) = verbs
        .iter()
        .filter_map(|v| title.find(v).map(|p| (p, *v)))
        .min()?;
    let rest = &title[pos + verb.len()..];
    let end = rest.rfind("的通知").unwrap_or(rest.len());
    let object = rest[..end].trim_matches(['《', '》', '〈', '〉', '“', '”']);
    (!object.is_empty()).then(|| object.to_string())
}

/// Length in characters of the longest run shared by `a` and `b`.
fn longest_common_run(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut best = 0;
    for &ca in &a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_bodies() {
        assert_eq!(
            object_of("关于印发《东川市旧村改造办法》的通知").as_deref(),
            Some("东川市旧村改造办法")
        );
        assert_eq!(
            match_score(
                "关于印发东川市旧村改造办法的通知",
                "各区人民政府：现将《东川市旧村改造办法》印发给你们"
            ),
            3
        );
        assert_eq!(
            match_score(
                "关于同意设立北岭湿地公园的批复",
                "北岭县人民政府：你县关于设立北岭湿地公园的请示收悉"
            ),
            2
        );
        assert_eq!(
            match_score("关于做好春耕工作的通知", "各县：现将《防汛预案》印发"),
            0
        );
    }
}
