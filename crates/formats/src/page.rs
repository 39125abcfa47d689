//! Positioned text (PDF glyphs, OFD TextCodes) put into lines in reading
//! order: glyphs on one baseline make a line, whatever order the file drew
//! them in (an OFD writes a form's labels first and its values after, a
//! WPS export its footer first); lines are read top to bottom, a page of
//! two columns left column first; a vertical gap of several line pitches
//! keeps its blank lines, so the text keeps the look of the page.
//!
//! Tables are found by their layout where no container marks them: a line
//! whose runs of text (separated by wide gaps) name a task table's columns
//! (`牵头单位`, `完成时限`, …) starts one; the column edges are where the
//! lines below it leave a gutter; every line below is cut at those edges,
//! a row starting where the 序号 column (or the first column) has text. A
//! header printed again on the next page continues the table. Each printed
//! line stays one line of the text, so a row points to the lines it was
//! printed on.

use crate::text::{Builder, CELL_SEP};
use duban_reader::table::{self, Cell, Row, Table};

/// One glyph (or a run drawn as one) at its place on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge.
    pub x: f32,
    /// Baseline, measured down from the top of the page.
    pub y: f32,
    /// Font size, in the page's units.
    pub size: f32,
    /// Advance width.
    pub width: f32,
    pub text: String,
}

/// One page's glyphs, and the horizontal rules drawn on it (table
/// borders), as `(left, right, y)` with y measured down from the top.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<(f32, f32, f32)>,
}

/// A printed line: its glyphs left to right.
#[derive(Debug, Clone)]
struct Line {
    y: f32,
    size: f32,
    glyphs: Vec<Glyph>,
}

impl Line {
    /// Runs of text separated by gaps wider than two characters.
    fn segments(&self) -> Vec<(f32, f32, String)> {
        let mut out: Vec<(f32, f32, String)> = Vec::new();
        for g in self.glyphs.iter().filter(|g| !blank(g)) {
            match out.last_mut() {
                Some(s) if g.x - s.1 < 1.5 * self.size => {
                    s.1 = s.1.max(g.x + g.width);
                    s.2.push_str(&g.text);
                }
                _ => out.push((g.x, g.x + g.width, g.text.clone())),
            }
        }
        out
    }

    /// The line as text: spaces where the file drew them, one more where a
    /// gap wider than a character separates two glyphs.
    fn text(&self) -> String {
        let mut s = String::new();
        let mut end: Option<f32> = None;
        for g in &self.glyphs {
            if let Some(e) = end {
                if g.x - e > 1.0 * self.size && !s.ends_with(' ') && !blank(g) {
                    s.push(' ');
                }
            }
            s.push_str(&g.text);
            end = Some(end.map_or(g.x + g.width, |e: f32| e.max(g.x + g.width)));
        }
        s.trim_end().to_string()
    }
}

fn blank(g: &Glyph) -> bool {
    g.text.trim().is_empty()
}

/// Glyphs of a page grouped into lines, top to bottom, each left to right.
fn lines_of(page: &Page) -> Vec<Line> {
    let mut glyphs: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite())
        .collect();
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Line> = Vec::new();
    for g in glyphs {
        let size = g.size.abs().max(0.1);
        match lines.last_mut() {
            Some(l) if (g.y - l.y).abs() < 0.45 * size.min(l.size) => {
                l.size = l.size.max(size);
                l.glyphs.push(g.clone());
            }
            _ => lines.push(Line {
                y: g.y,
                size,
                glyphs: vec![g.clone()],
            }),
        }
    }
    for l in &mut lines {
        l.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        // The same glyph drawn twice in one place (fake bold) is one glyph.
        l.glyphs
            .dedup_by(|b, a| a.text == b.text && (a.x - b.x).abs() < 0.2 * a.size.max(0.1));
    }
    lines.retain(|l| l.glyphs.iter().any(|g| !blank(g)));
    lines
}

/// Puts two-column stretches of a page into reading order: where most
/// lines of a stretch break at one gutter near the middle, its left halves
/// are read before its right halves.
fn columns(lines: Vec<Line>, width: f32) -> Vec<Line> {
    if lines.len() < 6 || width <= 0.0 {
        return lines;
    }
    let mid = width / 2.0;
    // Candidate gutter: the x between 35% and 65% of the width that the
    // most lines leave empty while having text on both sides.
    let splits = |x: f32| -> usize {
        lines
            .iter()
            .filter(|l| {
                let segs = l.segments();
                segs.len() >= 2
                    && segs.iter().any(|s| s.1 <= x && s.2.chars().count() >= 4)
                    && segs.iter().any(|s| s.0 >= x && s.2.chars().count() >= 4)
                    && !segs.iter().any(|s| s.0 < x && s.1 > x)
            })
            .count()
    };
    let step = width / 60.0;
    let best = (21..=39)
        .map(|i| i as f32 * step)
        .map(|x| (x, splits(x)))
        .max_by_key(|(_, n)| *n);
    let Some((cut, n)) = best else { return lines };
    if (n as f32) < 0.5 * lines.len() as f32 || (cut - mid).abs() > width * 0.15 {
        return lines;
    }
    // Split lines that break at the gutter; lines across it are full width
    // and end a two-column stretch.
    let mut out = Vec::new();
    let (mut left, mut right): (Vec<Line>, Vec<Line>) = (Vec::new(), Vec::new());
    for l in lines {
        let crosses = l
            .glyphs
            .iter()
            .any(|g| !blank(g) && g.x < cut && g.x + g.width > cut + 0.5);
        if crosses {
            out.append(&mut left);
            out.append(&mut right);
            out.push(l);
            continue;
        }
        let (a, b): (Vec<Glyph>, Vec<Glyph>) = l.glyphs.iter().cloned().partition(|g| g.x < cut);
        if a.iter().any(|g| !blank(g)) {
            left.push(Line {
                glyphs: a,
                ..l.clone()
            });
        }
        if b.iter().any(|g| !blank(g)) {
            right.push(Line { glyphs: b, ..l });
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

/// A table being read across lines and pages.
struct Open {
    /// Column edges: column `i` runs from `edges[i]` to `edges[i + 1]`.
    edges: Vec<f32>,
    header: Vec<Vec<String>>,
    /// Header texts, to recognise the header printed again.
    header_key: String,
    seq: bool,
    rows: Vec<Row>,
    /// Per data row: page, first and last baseline, line size.
    ys: Vec<(usize, f32, f32, f32)>,
}

impl Open {
    /// Where the rules between the last row and one starting at `y` on
    /// page `pi` leave a column open, the cell above runs on: it was merged
    /// over both rows. Without rules between the rows nothing is assumed.
    fn merge_from_above(
        &self,
        cells: &mut [Cell],
        rules: &[(f32, f32, f32)],
        pi: usize,
        y: f32,
        size: f32,
    ) {
        let (Some(above), Some(&(p, _, last, _))) = (self.rows.last(), self.ys.last()) else {
            return;
        };
        if p != pi || self.rows.len() <= self.header.len() {
            return;
        }
        let between: Vec<&(f32, f32, f32)> = rules
            .iter()
            .filter(|r| r.2 > last && r.2 < y - 0.6 * size)
            .collect();
        if between.is_empty() {
            return;
        }
        for (k, c) in cells.iter_mut().enumerate() {
            let mid = (self.edges[k] + self.edges[k + 1]) / 2.0;
            let closed = between.iter().any(|r| r.0 <= mid && r.1 >= mid);
            if c.text.is_empty() && !closed {
                if let Some(a) = above.cells.get(k) {
                    c.text = a.text.clone();
                    c.continued = true;
                }
            }
        }
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A 序号: a short number, Arabic or Chinese, with its punctuation.
fn number_like(s: &str) -> bool {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !"（）()．.、".contains(*c))
        .collect();
    !t.is_empty()
        && t.chars().count() <= 4
        && t.chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

/// Whether a line is a page number (`— 3 —`, `-3-`, `第3页`).
fn page_number(text: &str) -> bool {
    let t = squeeze(text);
    let core =
        t.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | '第' | '页' | '共' | '/'));
    !core.is_empty() && core.chars().count() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// A header found by layout: column edges, the header rows' texts per
/// column, how many lines it takes, and the extent of each column's
/// header text (the gutter between two columns lies between them).
struct Header {
    edges: Vec<f32>,
    rows: Vec<Vec<String>>,
    depth: usize,
    extents: Vec<(f32, f32)>,
}

/// The header a line (with the line below it, for a two-row header)
/// starts.
fn header_at(lines: &[Line], i: usize, width: f32) -> Option<Header> {
    let segs = lines[i].segments();
    if segs.len() < 2 {
        return None;
    }
    let names: Vec<&str> = segs.iter().map(|s| s.2.as_str()).collect();
    let size = lines[i].size;
    let second: Vec<(f32, f32, String)> = match lines.get(i + 1) {
        Some(l) if l.y - lines[i].y < 3.0 * size => l.segments(),
        _ => Vec::new(),
    };
    let sub = !second.is_empty() && second.iter().all(|s| table::field_of(&s.2).is_some());
    let mut all: Vec<&str> = names.clone();
    if sub {
        all.extend(second.iter().map(|s| s.2.as_str()));
    }
    if !table::is_task_header(&all) {
        return None;
    }
    // Columns: a top cell with two or more parts below it is split into
    // them. A part belongs to the top cell it overlaps, else to the nearest
    // top cell that another part overlaps (a group header), else to the
    // nearest.
    let overlaps = |a: &(f32, f32, String), b: &(f32, f32, String)| a.0 < b.1 && b.0 < a.1;
    let distance =
        |a: &(f32, f32, String), b: &(f32, f32, String)| (a.0 - b.1).max(b.0 - a.1).max(0.0);
    let mut parts: Vec<Vec<&(f32, f32, String)>> = vec![Vec::new(); segs.len()];
    let mut loose = Vec::new();
    for t in second.iter().filter(|_| sub) {
        match segs.iter().position(|s| overlaps(s, t)) {
            Some(k) => parts[k].push(t),
            None => loose.push(t),
        }
    }
    for t in loose {
        let nearest = |only_groups: bool| {
            (0..segs.len())
                .filter(|k| !only_groups || !parts[*k].is_empty())
                .min_by(|a, b| distance(&segs[*a], t).total_cmp(&distance(&segs[*b], t)))
        };
        if let Some(k) = nearest(true).or_else(|| nearest(false)) {
            parts[k].push(t);
        }
    }
    let mut cols: Vec<(f32, f32, String, String)> = Vec::new();
    for (s, under) in segs.iter().zip(&parts) {
        if under.len() >= 2 {
            for t in under {
                cols.push((t.0, t.1, s.2.clone(), t.2.clone()));
            }
        } else {
            cols.push((s.0, s.1, s.2.clone(), s.2.clone()));
        }
    }
    cols.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut edges = vec![0.0];
    for w in cols.windows(2) {
        edges.push((w[0].1 + w[1].0) / 2.0);
    }
    edges.push(width.max(cols.last().map_or(0.0, |c| c.1)) + 1.0);
    let top: Vec<String> = cols.iter().map(|c| c.2.clone()).collect();
    let bottom: Vec<String> = cols.iter().map(|c| c.3.clone()).collect();
    let rows = if sub { vec![top, bottom] } else { vec![top] };
    Some(Header {
        edges,
        rows,
        depth: if sub { 2 } else { 1 },
        extents: cols.iter().map(|c| (c.0, c.1)).collect(),
    })
}

/// Moves column edges into the gutters the table's body leaves, between
/// the header texts of the two columns: a left aligned cell starts well
/// left of its centred header.
fn fit_edges(edges: &mut [f32], extents: &[(f32, f32)], body: &[&Line]) {
    for k in 1..edges.len().saturating_sub(1) {
        let (lo, hi) = (extents[k - 1].1, extents[k].0);
        let steps = 40;
        let w = (hi - lo) / steps as f32;
        if w <= 0.0 {
            continue;
        }
        let mut cover = vec![0usize; steps];
        for l in body {
            for g in l.glyphs.iter().filter(|g| !blank(g)) {
                let a = ((g.x - lo) / w).floor().max(0.0) as usize;
                let b = ((g.x + g.width - lo) / w).ceil().max(0.0) as usize;
                for c in cover.iter_mut().take(b.min(steps)).skip(a) {
                    *c += 1;
                }
            }
        }
        // The widest run of the least covered steps, centred.
        let min = *cover.iter().min().unwrap_or(&0);
        let (mut best, mut run, mut best_len) = (None, None, 0);
        for i in 0..=steps {
            let low = cover.get(i) == Some(&min);
            match (low, run) {
                (true, None) => run = Some(i),
                (false, Some(s)) => {
                    if i - s > best_len {
                        best_len = i - s;
                        best = Some(s);
                    }
                    run = None;
                }
                _ => {}
            }
        }
        if let Some(s) = best {
            edges[k] = lo + w * (s as f32 + best_len as f32 / 2.0);
        }
    }
}

/// A line cut at the column edges.
fn cut(l: &Line, edges: &[f32]) -> Vec<String> {
    let n = edges.len() - 1;
    let mut cells = vec![String::new(); n];
    for g in &l.glyphs {
        let c = g.x + g.width / 2.0;
        let k = edges
            .windows(2)
            .position(|e| c >= e[0] && c < e[1])
            .unwrap_or(if c < edges[0] { 0 } else { n - 1 });
        if blank(g) {
            if !cells[k].is_empty() {
                cells[k].push(' ');
            }
        } else {
            cells[k].push_str(&g.text);
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// Joins a cell's text over the lines it wraps on: no space between
/// Chinese characters, one between Latin words, a new paragraph after a
/// line that ends a unit's name or a sentence (a cell listing units one
/// per line).
fn append(cell: &mut String, more: &str) {
    if more.is_empty() {
        return;
    }
    if cell.ends_with(|c: char| c.is_ascii_alphanumeric())
        && more.starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        cell.push(' ');
    } else if cell
        .ends_with(|c: char| duban_reader::owner::unit_suffix(c) || matches!(c, '。' | '；'))
        && more.starts_with(|c: char| "区市县省各乡镇街国中".contains(c))
    {
        cell.push('\n');
    }
    cell.push_str(more);
}

/// Lays out all pages into `out`: lines with blank lines for wide gaps,
/// tables found by layout.
pub(crate) fn lay_out(pages: &[Page], out: &mut Builder) {
    let laid: Vec<Vec<Line>> = pages
        .iter()
        .map(|p| columns(lines_of(p), p.width))
        .collect();
    let pitch = pitch(&laid);
    let top = usual(laid.iter().filter_map(|l| l.first()), false);
    let bottom = usual(laid.iter().filter_map(|l| l.last()), true);
    let mut open: Option<Open> = None;
    for (pi, (page, lines)) in pages.iter().zip(&laid).enumerate() {
        let mut i = 0;
        // A page whose text starts lower than pages usually do starts with
        // blank lines.
        let mut prev_y: Option<f32> = match (top, lines.first()) {
            (Some(t), Some(f)) if pitch.is_some() && f.y > t + 0.5 => {
                Some(t - pitch.unwrap_or(0.0))
            }
            _ => None,
        };
        // The last line read into the open table on this page.
        let mut table_y: Option<f32> = None;
        while i < lines.len() {
            let l = &lines[i];
            // Blank lines for a gap of several pitches (text going back up
            // the page, as in a second column, adds none).
            if let (Some(p), Some(pitch)) = (prev_y, pitch) {
                let gap = l.y - p;
                if gap > 1.6 * pitch {
                    let blanks = ((gap / pitch).round() as usize).saturating_sub(1).min(3);
                    for _ in 0..blanks {
                        out.line("");
                    }
                }
            }
            prev_y = Some(l.y);
            let text = l.text();
            // A header: a new table, or the open one's header printed again.
            if let Some(Header {
                edges,
                rows: header,
                depth,
                extents,
            }) = header_at(lines, i, page.width)
            {
                let key = squeeze(&header.concat().concat());
                let again = open.as_ref().is_some_and(|o| o.header_key == key);
                if !again {
                    finish(open.take(), out);
                    let body: Vec<&Line> = lines[i + depth..].iter().collect();
                    let mut edges = edges;
                    fit_edges(&mut edges, &extents, &body);
                    let seq = header[header.len() - 1]
                        .first()
                        .is_some_and(|h| table::field_of(h) == Some(table::Field::Seq));
                    let mut o = Open {
                        edges,
                        header: header.clone(),
                        header_key: key,
                        seq,
                        rows: Vec::new(),
                        ys: Vec::new(),
                    };
                    for (d, h) in header.iter().enumerate() {
                        let n = out.line(&lines[i + d].text());
                        let cells = h
                            .iter()
                            .enumerate()
                            .map(|(k, t)| Cell {
                                text: t.clone(),
                                continued: k > 0 && h[k - 1] == *t,
                            })
                            .collect();
                        o.rows.push(Row {
                            span: [n, n],
                            cells,
                        });
                    }
                    open = Some(o);
                    table_y = Some(lines[i + depth - 1].y);
                } else {
                    table_y = Some(lines[i + depth - 1].y);
                    for d in 0..depth {
                        out.line(&lines[i + d].text());
                    }
                }
                prev_y = Some(lines[i + depth - 1].y);
                i += depth;
                continue;
            }
            let gap = table_y.map_or(0.0, |y| l.y - y);
            let n = out.line(&text);
            let mut ended = false;
            if let Some(o) = open.as_mut() {
                let cells = cut(l, &o.edges);
                // With a 序号 column, a row starts at a number in it.
                let starts_row = if o.seq {
                    number_like(&cells[0])
                } else {
                    !cells[0].is_empty()
                };
                let straddles = l.glyphs.iter().any(|g| {
                    !blank(g)
                        && o.edges[1..o.edges.len() - 1]
                            .iter()
                            .any(|e| g.x < e - 0.3 * g.size && g.x + g.width > e + 0.3 * g.size)
                });
                let far = gap > 2.5 * l.size.max(1.0);
                if page_number(&text) {
                } else if straddles || far || (o.seq && !starts_row && !cells[0].is_empty()) {
                    ended = true;
                } else {
                    table_y = Some(l.y);
                    if starts_row || o.rows.len() <= o.header.len() {
                        let mut cells: Vec<Cell> = cells.into_iter().map(Cell::new).collect();
                        o.merge_from_above(&mut cells, &page.rules, pi, l.y, l.size);
                        o.rows.push(Row {
                            span: [n, n],
                            cells,
                        });
                        o.ys.push((pi, l.y, l.y, l.size));
                    } else if let Some(r) = o.rows.last_mut() {
                        r.span[1] = n;
                        if let Some(y) = o.ys.last_mut() {
                            y.2 = l.y;
                        }
                        for (c, more) in r.cells.iter_mut().zip(cells) {
                            if !c.continued {
                                append(&mut c.text, &more);
                            }
                        }
                    }
                }
            }
            if ended {
                finish(open.take(), out);
            }
            i += 1;
        }
        // A page whose text ends higher than pages usually do (not the
        // last) ends with blank lines.
        if let (Some(b), Some(p), Some(l)) = (bottom, pitch, lines.last()) {
            if pi + 1 < pages.len() && open.is_none() && b - l.y > 0.5 * p {
                for _ in 0..(((b - l.y) / p).round() as usize).min(3) {
                    out.line("");
                }
            }
        }
        // A table ends with its page unless the next page continues it.
        let next_continues = laid.get(pi + 1).is_some_and(|next| {
            open.as_ref().is_some_and(|o| {
                next.iter().take(3).any(|l| {
                    header_at(std::slice::from_ref(l), 0, page.width)
                        .is_some_and(|h| squeeze(&h.rows.concat().concat()) == o.header_key)
                        || cut(l, &o.edges).iter().filter(|c| !c.is_empty()).count() >= 2
                })
            })
        });
        if !next_continues {
            finish(open.take(), out);
        }
    }
    finish(open, out);
}

/// Ends a table: kept when it has rows below its header.
fn finish(open: Option<Open>, out: &mut Builder) {
    if let Some(o) = open {
        if o.rows.len() > o.header.len() {
            out.tables.push(Table { rows: o.rows });
        }
    }
}

/// The distance between two lines of body text set one after the other:
/// the smallest gap between consecutive lines, at least a font size, that
/// recurs (three times), so a text set double spaced still shows its single
/// steps, and its double steps as blank lines. (A blank line too many is
/// harmless: the reader joins paragraphs across blank lines, as gazette
/// text has them between wrapped lines.)
fn pitch(pages: &[Vec<Line>]) -> Option<f32> {
    let mut gaps: Vec<f32> = pages
        .iter()
        .flat_map(|ls| {
            ls.windows(2)
                .map(|w| w[1].y - w[0].y)
                .filter(move |g| *g >= w_size(ls))
        })
        .collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_by(f32::total_cmp);
    let need = 3;
    // Gaps within 3% of each other count as one step.
    let mut i = 0;
    while i < gaps.len() {
        let j = gaps[i..]
            .iter()
            .position(|g| *g > gaps[i] * 1.03)
            .map_or(gaps.len(), |k| i + k);
        if j - i >= need {
            return Some(gaps[i..j].iter().sum::<f32>() / (j - i) as f32);
        }
        i = j;
    }
    Some(gaps[gaps.len() / 10])
}

/// Where the pages' text usually starts (or ends): the highest first line
/// (the lowest last line) that two pages share, to the unit.
fn usual<'a>(lines: impl Iterator<Item = &'a Line>, lowest: bool) -> Option<f32> {
    let mut ys: Vec<i64> = lines.map(|l| l.y.round() as i64).collect();
    ys.sort_unstable();
    if lowest {
        ys.reverse();
    }
    ys.windows(2).find(|w| w[0] == w[1]).map(|w| w[0] as f32)
}

fn w_size(lines: &[Line]) -> f32 {
    let mut s: Vec<f32> = lines.iter().map(|l| l.size).collect();
    s.sort_by(f32::total_cmp);
    s.get(s.len() / 2).copied().unwrap_or(10.0)
}

/// The text of the lines, one per line, no tables: what a line-based
/// reader sees (used by tests).
pub fn plain(pages: &[Page]) -> String {
    let mut b = Builder::default();
    lay_out(pages, &mut b);
    b.text()
}

#[allow(dead_code)]
const _: &str = CELL_SEP;

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x: f32, y: f32, s: &str) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f32 * 10.0,
                y,
                size: 10.0,
                width: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    fn page(parts: &[(f32, f32, &str)]) -> Page {
        Page {
            width: 600.0,
            height: 800.0,
            glyphs: parts
                .iter()
                .rev()
                .flat_map(|(x, y, s)| run(*x, *y, s))
                .collect(),
            rules: Vec::new(),
        }
    }

    #[test]
    fn glyphs_in_any_order_make_lines_top_down() {
        let p = page(&[
            (50.0, 100.0, "关于"),
            (70.0, 100.0, "放假的通知"),
            (50.0, 114.0, "各有关单位："),
            (50.0, 142.0, "正文"),
        ]);
        assert_eq!(plain(&[p]), "关于放假的通知\n各有关单位：\n\n正文");
    }

    #[test]
    fn two_columns_read_left_first() {
        let mut parts = Vec::new();
        for k in 0..8 {
            parts.push((40.0, 100.0 + 14.0 * k as f32, "左栏的文字内容"));
            parts.push((330.0, 100.0 + 14.0 * k as f32, "右栏的文字内容"));
        }
        let text = plain(&[page(&parts)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 16);
        assert!(lines[..8].iter().all(|l| l.starts_with('左')), "{text}");
    }

    #[test]
    fn a_task_table_by_layout() {
        let p = page(&[
            (40.0, 100.0, "序号"),
            (100.0, 100.0, "重点任务"),
            (300.0, 100.0, "牵头单位"),
            (420.0, 100.0, "完成时限"),
            (40.0, 120.0, "1"),
            (100.0, 120.0, "建设数据中心一期"),
            (300.0, 120.0, "区发改局"),
            (420.0, 120.0, "年底前"),
            (100.0, 134.0, "工程"),
            (40.0, 154.0, "2"),
            (100.0, 154.0, "修订管理办法"),
            (300.0, 154.0, "区司法局"),
            (420.0, 154.0, "6月底前"),
        ]);
        let mut b = Builder::default();
        lay_out(&[p], &mut b);
        assert_eq!(b.tables.len(), 1, "{}", b.text());
        let t = &b.tables[0];
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1].cells[1].text, "建设数据中心一期工程");
        assert_eq!(t.rows[1].span, [2, 3]);
        assert_eq!(t.rows[2].cells[2].text, "区司法局");
        let tasks = table::tasks(t, None).unwrap();
        assert_eq!(tasks.len(), 2);
    }
}
