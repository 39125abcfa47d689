//! Where a document header starts: issuer lines and a title (`关于…`,
//! `印发…`), issuer and title on one line, the red header `…文件` with its
//! number, or the number printed above the title.

use super::*;

/// Is there a document header (issuer line(s) then a 关于… title, or both
/// on one line) starting at line `i`?
pub fn header_at(lines: &[Line], i: usize) -> bool {
    header_title_line(lines, i).is_some()
}

/// The index of the line where the header's title starts, if a header
/// starts at `i`.
pub fn header_title_line(lines: &[Line], i: usize) -> Option<usize> {
    if lines[i].kind != Kind::Text {
        return None;
    }
    header_apart(lines, i).or_else(|| header_run_together(lines, i))
}

/// A header whose issuer stands apart from its title: on lines of its
/// own, or a space before `关于` on the same line.
pub(super) fn header_apart(lines: &[Line], i: usize) -> Option<usize> {
    let t = &lines[i].squeezed;
    if lines[i].kind != Kind::Text {
        return None;
    }
    // Issuer and title on one line, a space apart.
    let raw = lines[i].raw.trim();
    if let Some(pos) = raw.find(" 关于").or_else(|| raw.find("\u{3000}关于")) {
        if is_issuer(&squeeze(&raw[..pos])) {
            return Some(i);
        }
    }
    // The number printed above the title, as the standard layout has it:
    // a number line and, next, a title (its issuer run into it or not).
    if lines[i].number.is_some() {
        let j = next_text(lines, i + 1)?;
        let tj = &lines[j].squeezed;
        let titled = lines[j].no <= lines[i].no + 4
            && (title_start(tj) == Some(0)
                || lines[j].contents_title
                || title_start(tj).is_some() && crate::header::title_complete(tj));
        // Where the document under that title prints its own number after
        // its signature (as some gazettes do), this number ended the
        // document before.
        return (titled && !numbered_after_signature(lines, j)).then_some(j);
    }
    if !is_issuer(t) {
        return None;
    }
    let mut j = i;
    for _ in 0..3 {
        j = next_text(lines, j + 1)?;
        if lines[j].no > lines[i].no + 4 {
            return None;
        }
        let tj = &lines[j].squeezed;
        let run_together = || title_start(tj).is_some() && crate::header::title_complete(tj);
        if title_start(tj) == Some(0) || lines[j].contents_title || run_together() {
            return Some(j);
        }
        // More issuers, or the number between the red header and the
        // title.
        if !is_issuer(tj) && lines[j].number.is_none() {
            return None;
        }
    }
    None
}

/// Does the document whose title is at `j` print a number line right after
/// its signature date (and publication marker)?
pub(super) fn numbered_after_signature(lines: &[Line], j: usize) -> bool {
    let Some(date) = (j + 1..lines.len().min(j + 400)).find(|&k| lines[k].date.is_some()) else {
        return false;
    };
    let mut k = date;
    for _ in 0..3 {
        let Some(n) = next_text(lines, k + 1) else {
            return false;
        };
        if lines[n].number.is_some() {
            return true;
        }
        if !lines[n].publication {
            return false;
        }
        k = n;
    }
    false
}

/// A header line that runs issuer and title together.
pub(super) fn header_run_together(lines: &[Line], i: usize) -> Option<usize> {
    let t = &lines[i].squeezed;
    // Issuer and title run together, as a web page prints its heading:
    // `东川市人民政府关于印发…的通知`, `东川市人民政府办公室印发…的通知`, a
    // line of its own that reads as a title and follows a finished sentence.
    if t.len() > 120 * 3 || !crate::header::title_complete(t) {
        return None;
    }
    if let Some(pos) = title_start(t) {
        let title = &t[pos..];
        let after_sentence = || {
            prev_text(lines, i).is_none_or(|p| {
                let l = &lines[p];
                ends_sentence(&l.squeezed) || l.date.is_some() || l.number.is_some()
            })
        };
        if pos > 0
            && crate::header::title_complete(title)
            && is_issuer(&t[..pos])
            && !title.contains(['，', '。', '；', '：'])
            && after_sentence()
        {
            return Some(i);
        }
    }
    None
}

/// Words a document title opens with once its issuer is stripped.
pub(super) const TITLE_VERBS: [&str; 4] = ["关于", "印发", "转发", "批转"];

/// Where the title starts in a line that may open with its issuer:
/// `关于…` at 0; `东川市人民政府关于…` or `东川市人民政府办公室印发…` after
/// the issuer.
pub fn title_start(t: &str) -> Option<usize> {
    let pos = TITLE_VERBS.iter().filter_map(|v| t.find(v)).min()?;
    (pos == 0 || is_issuer(&t[..pos])).then_some(pos)
}
