//! Chunks of text lines between page starts, each given to the document it
//! continues best (a sentence broken off at a page end, an open bracket,
//! heading numbers in sequence, a signature page to the unsigned document
//! whose text names its date); a bare header printed after its body joins
//! that body.

use super::*;

pub(super) struct DocState {
    pub(super) lines: DocLines,
    pub(super) last_heading: HashMap<Family, u32>,
    pub(super) signed: bool,
    pub(super) closed: bool,
    /// Dates its text mentions in running sentences (a decision taken on
    /// 2022年11月25日 is often signed that day).
    pub(super) mentioned: Vec<chrono::NaiveDate>,
    /// Short names it defines (`（以下简称市领导小组）`).
    pub(super) terms: Vec<String>,
    /// Its last line, to catch a definition wrapped over two lines.
    pub(super) last_text: String,
    /// In a personnel notice, the list it is in: 任命 or 免去.
    pub(super) list: Option<PersonnelList>,
}

/// Dates written out inside a squeezed line (`…2022年11月25日研究决定`).
pub(super) fn dates_in(t: &str) -> Vec<chrono::NaiveDate> {
    let chars: Vec<char> = t.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '年' || i < 4 || !chars[i - 4..i].iter().all(char::is_ascii_digit) {
            continue;
        }
        let num = |from: usize| -> (Option<u32>, usize) {
            let n = chars[from..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let v: String = chars[from..from + n].iter().collect();
            (
                if (1..=2).contains(&n) {
                    v.parse().ok()
                } else {
                    None
                },
                from + n,
            )
        };
        let year: i32 = chars[i - 4..i]
            .iter()
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        let (Some(m), j) = num(i + 1) else { continue };
        if chars.get(j) != Some(&'月') {
            continue;
        }
        let (Some(d), k) = num(j + 1) else { continue };
        if chars.get(k) != Some(&'日') {
            continue;
        }
        if let Some(date) = chrono::NaiveDate::from_ymd_opt(year, m, d) {
            out.push(date);
        }
    }
    out
}

/// Splits the text lines into chunks and assigns each chunk to a document.
pub(super) fn assign(lines: &[Line]) -> Vec<DocLines> {
    let text: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == Kind::Text)
        .collect();
    // Typical full line width, to tell a wrapped line from a paragraph end.
    let full = typical_full_width(text.iter().map(|&i| width(&lines[i].raw)).collect());
    let wrapped = full > 0;

    // Chunk boundaries.
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    // Whether a chunk starts a document: with its header, or (a second
    // addressee line since the last header) without one.
    let mut header_chunk: Vec<bool> = Vec::new();
    let mut headless_chunk: Vec<bool> = Vec::new();
    let mut addressed = false;
    let mut prev: Option<usize> = None;
    let mut k = 0;
    while k < text.len() {
        let i = text[k];
        let header = header_title_line(lines, i);
        let suspicious = wrapped
            && prev.is_some_and(|p| {
                let pl = &lines[p];
                !ends_sentence(&pl.squeezed)
                    && width(&pl.raw) * 100 >= full * 85
                    && line_heading(pl).is_none()
                    && line_heading(&lines[i]).is_some_and(|(f, _)| f != Family::Circled)
            });
        let second_addressee = is_addressee(&lines[i].squeezed) && addressed && header.is_none();
        if header.is_some() {
            addressed = false;
        }
        if is_addressee(&lines[i].squeezed) {
            addressed = true;
        }
        if chunks.is_empty()
            || lines[i].page_start
            || header.is_some()
            || suspicious
            || second_addressee
        {
            chunks.push(Vec::new());
            header_chunk.push(header.is_some());
            headless_chunk.push(second_addressee);
        }
        chunks.last_mut().expect("pushed above").push(i);
        // The lines of a header stay with it.
        if let Some(t) = header {
            while k + 1 < text.len() && text[k + 1] <= t {
                k += 1;
                chunks.last_mut().expect("pushed above").push(text[k]);
            }
        }
        prev = Some(*chunks.last().and_then(|c| c.last()).expect("non-empty"));
        k += 1;
    }

    let mut docs: Vec<DocState> = Vec::new();
    let mut current: Option<usize> = None;
    // A work queue: a chunk split where another document's page begins
    // unmarked puts its rest back, bound for that document.
    let mut queue: std::collections::VecDeque<(Vec<usize>, bool, bool, Option<usize>)> = chunks
        .into_iter()
        .zip(header_chunk.iter().zip(&headless_chunk))
        .map(|(c, (&h, &hl))| (c, h, hl, None))
        .collect();
    while let Some((chunk, is_header, is_headless, forced)) = queue.pop_front() {
        let first = &lines[chunk[0]];
        let starts_mid = line_heading(first).is_none();
        let signature_dates: Vec<chrono::NaiveDate> =
            chunk.iter().filter_map(|&i| lines[i].date).collect();
        let has_signature = !signature_dates.is_empty();
        let chunk_heading = chunk.iter().find_map(|&i| line_heading(&lines[i]));
        let target = if is_header || is_headless || docs.is_empty() {
            None
        } else if forced.is_some() {
            forced
        } else {
            let lo = docs.len().saturating_sub(4);
            let mut best: Option<(f32, usize)> = None;
            for d in lo..docs.len() {
                let st = &docs[d];
                let last = &lines[*st.lines.lines.last().expect("docs are never empty")];
                // A bare heading line ends nothing; a heading with text after
                // it can break off like any other line.
                let bare_heading =
                    line_heading(last).is_some() && !last.squeezed.contains(['，', '。', '；']);
                // A header's number, a signature date or an issuer ends a
                // block as a full stop does.
                let ends_mid = !ends_sentence(&last.squeezed)
                    && !bare_heading
                    && last.number.is_none()
                    && last.date.is_none()
                    && !is_issuer(&last.squeezed);
                let mut score = 0.0f32;
                if ends_mid {
                    score += if starts_mid { 4.0 } else { -3.0 };
                }
                if st.closed {
                    score -= 2.0;
                }
                // A bracket left open at a page end is closed on the page
                // that continues it.
                let open = open_bracket_at_end(lines, &st.lines.lines);
                let closes = closes_first(&first.squeezed);
                score += match (open, closes) {
                    (true, true) => 3.0,
                    (true, false) => -1.0,
                    (false, true) => -3.0,
                    (false, false) => 0.0,
                };
                // An attachment list (附件：1.…（见网络版）) carries on with
                // its next entry or the rest of an entry.
                let in_list =
                    last.squeezed.starts_with("附件") || last.squeezed.ends_with("网络版）");
                if in_list
                    && (first.squeezed.starts_with("（见")
                        || line_heading(first).is_some_and(|(f, _)| f == Family::Arabic))
                {
                    score += 3.0;
                }
                if let Some((fam, ord)) = chunk_heading {
                    match st.last_heading.get(&fam) {
                        Some(&prev) if prev + 1 == ord => score += 2.0,
                        Some(_) if ord != 1 => score -= 1.0,
                        _ => {}
                    }
                }
                if has_signature && !st.signed {
                    // Older unsigned documents first: their signature page
                    // comes before a later document's; surer still when
                    // the document's text names the day it is signed.
                    score += 1.5 + 0.1 * (docs.len() - d) as f32;
                    if signature_dates.iter().any(|s| st.mentioned.contains(s)) {
                        score += 5.0;
                    }
                } else if Some(d) == current {
                    score += 0.5;
                }
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, d));
                }
            }
            best.map(|(_, d)| d)
        };
        let d = match target {
            Some(d) => d,
            None => {
                if is_header || is_headless {
                    adopt_dangling_header(lines, &mut docs);
                }
                docs.push(DocState {
                    lines: DocLines {
                        has_header: is_header,
                        ..DocLines::default()
                    },
                    last_heading: HashMap::new(),
                    signed: false,
                    closed: false,
                    mentioned: Vec::new(),
                    terms: Vec::new(),
                    last_text: String::new(),
                    list: None,
                });
                docs.len() - 1
            }
        };
        let split = unmarked_page_turn(lines, &docs, d, &chunk)
            .or_else(|| borrowed_term_turn(lines, &docs, d, &chunk))
            .or_else(|| personnel_turn(lines, &docs, d, &chunk))
            .or_else(|| after_close_turn(lines, &docs, d, &chunk));
        let chunk = match split {
            Some((at, to)) => {
                queue.push_front((chunk[at..].to_vec(), false, false, Some(to)));
                chunk[..at].to_vec()
            }
            None => chunk,
        };
        let st = &mut docs[d];
        st.lines.chunk_starts.push(st.lines.lines.len());
        for &i in &chunk {
            st.lines.lines.push(i);
            if let Some((fam, ord)) = line_heading(&lines[i]) {
                st.last_heading.insert(fam, ord);
            }
            if lines[i].date.is_some() {
                st.signed = true;
            } else if lines[i].squeezed.contains('年') {
                st.mentioned.extend(dates_in(&lines[i].squeezed));
            }
            // `以下简称` may be wrapped over two lines.
            let t = &lines[i].squeezed;
            if t.contains('简')
                || t.contains('称')
                || st.last_text.contains('简')
                || st.last_text.ends_with(['以', '下'])
            {
                for term in defined_terms(&format!("{}{t}", st.last_text)) {
                    if !st.terms.contains(&term) {
                        st.terms.push(term);
                    }
                }
            }
            st.last_text.clear();
            st.last_text.push_str(t);
            if let Some(l) = personnel_label(&lines[i].squeezed) {
                st.list = Some(l);
            }
        }
        st.closed = lines[*chunk.last().expect("chunks are never empty")].publication;
        current = Some(d);
    }
    adopt_dangling_header(lines, &mut docs);
    docs.into_iter()
        .map(|d| DocLines {
            blank_breaks: !wrapped,
            ..d.lines
        })
        .collect()
}

/// Is a bracket still open at the end of a document's lines so far?
pub(super) fn open_bracket_at_end(lines: &[Line], order: &[usize]) -> bool {
    let mut depth = 0i32;
    for &i in order.iter().rev().take(8) {
        let t = &lines[i].squeezed;
        if depth != 0 && t.ends_with(['。', '；']) {
            break;
        }
        depth += crate::para::depth_change(t);
        if t.ends_with(['。', '；']) && depth <= 0 {
            break;
        }
        if depth > 0 {
            return true;
        }
    }
    depth > 0
}

/// Does a line close a bracket before it opens one (`责）…`)?
pub(super) fn closes_first(t: &str) -> bool {
    let mut depth = 0i32;
    for c in t.chars() {
        match c {
            '（' | '(' | '［' | '[' => depth += 1,
            '）' | ')' | '］' | ']' => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// A header printed after its document's body (issuer, title and number
/// with no text of their own) belongs to the headless document before it.
/// Checked for the last document whenever another one starts.
pub(super) fn adopt_dangling_header(lines: &[Line], docs: &mut Vec<DocState>) {
    let Some(d) = docs.last() else { return };
    let d = &d.lines;
    let bare = d.has_header
        && d.lines.len() <= 6
        && d.lines.iter().all(|&i| {
            let t = &lines[i].squeezed;
            is_issuer(t) || lines[i].number.is_some() || !t.contains(['，', '。', '：'])
        })
        && d.lines.iter().any(|&i| lines[i].number.is_some());
    let k = docs.len() - 1;
    // A host that opens with a title or an issuer has a header of its own
    // that was not recognised; it must not get a second one.
    let own_head = |h: usize| {
        docs[h].lines.lines.iter().take(3).any(|&i| {
            let t = &lines[i].squeezed;
            is_issuer(t) || crate::header::title_complete(t) || lines[i].number.is_some()
        })
    };
    let Some(h) = (0..k)
        .rev()
        .take(3)
        .find(|&h| !docs[h].lines.has_header && !own_head(h))
    else {
        return;
    };
    if !bare {
        return;
    }
    let dangling = docs.remove(k).lines;
    let host = &mut docs[h].lines;
    let shift = dangling.lines.len();
    host.lines.splice(0..0, dangling.lines);
    host.chunk_starts = std::iter::once(0)
        .chain(host.chunk_starts.iter().map(|c| c + shift))
        .collect();
    host.has_header = true;
}
