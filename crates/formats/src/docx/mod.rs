//! Word (.docx): the body's paragraphs in order, one per line, each with
//! the number Word's automatic numbering gives it ([`numbering`]); text
//! boxes before the paragraph that anchors them; tables one row per line
//! with their cells (merged cells repeated, marked continued) handed on as
//! [`crate::Table`]s. Headers, footers, footnotes, comments, deleted text
//! and field codes are not body text and are skipped; the title in the
//! document properties is kept only where the body bears it out.

pub mod numbering;

use crate::safezip::SafeZip;
use crate::text::{borne_out, Builder};
use crate::xml::{attr, local};
use crate::{Error, Kind, Limits, Meta, Read};
use duban_reader::table::Cell;
use numbering::Numbering;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Reads a .docx.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Read, Error> {
    let mut zip = SafeZip::open(bytes, limits.zip)?;
    let body = zip
        .read_text("word/document.xml")?
        .ok_or_else(|| Error::Damaged("缺少 word/document.xml".into()))?;
    let numbering = zip.read_text("word/numbering.xml").ok().flatten();
    let styles = zip.read_text("word/styles.xml").ok().flatten();
    let core = zip.read_text("docProps/core.xml").ok().flatten();
    let mut numbers = Numbering::parse(numbering.as_deref(), styles.as_deref());
    let mut out = Builder::default();
    walk(&body, &mut numbers, &mut out)?;
    let text = out.text();
    let title = core.as_deref().and_then(|c| element_text(c, "title"));
    Ok(Read {
        kind: Kind::Docx,
        encoding: "docx".into(),
        meta: Meta {
            title: borne_out(title, &text),
            number: None,
        },
        text,
        tables: out.tables,
        pages: 0,
        warnings: out.warnings,
    })
}

/// The text of the first element named `name` (any prefix).
fn element_text(xml: &str, name: &str) -> Option<String> {
    let mut r = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == name => inside = true,
            Ok(Event::Text(t)) if inside => {
                return Some(t.xml10_content().trim().to_string()).filter(|s| !s.is_empty())
            }
            Ok(Event::End(_)) if inside => return None,
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num: Option<String>,
    ilvl: Option<usize>,
}

/// A table cell being read: its paragraphs, the columns it spans and
/// whether it continues a vertical merge.
#[derive(Default)]
struct CellBuild {
    paras: Vec<String>,
    span: usize,
    continues: bool,
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    cell: Option<CellBuild>,
    before: usize,
}

/// Walks `word/document.xml` once.
fn walk(xml: &str, numbers: &mut Numbering, out: &mut Builder) -> Result<(), Error> {
    let mut r = Reader::from_str(xml);
    let mut paras: Vec<Para> = Vec::new();
    let mut tables: Vec<TableBuild> = Vec::new();
    // Depth inside a part skipped whole (mc:Fallback repeats mc:Choice).
    let mut skip = 0usize;
    let mut in_text = false;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| Error::Damaged(format!("word/document.xml：{e}")))?;
        match ev {
            Event::Start(e) => {
                let name = local(&e);
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                match name.as_str() {
                    "Fallback" | "del" | "moveFrom" | "instrText" | "delText" => skip = 1,
                    "p" => paras.push(Para::default()),
                    "t" => in_text = true,
                    "tbl" => tables.push(TableBuild::default()),
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row.clear();
                            t.before = 0;
                        }
                    }
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell = Some(CellBuild {
                                span: 1,
                                ..CellBuild::default()
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                let name = local(&e);
                match name.as_str() {
                    "tab" | "ptab" => {
                        if let Some(p) = paras.last_mut() {
                            p.text.push('\t');
                        }
                    }
                    // A page break starts no line of its own.
                    "br" | "cr" if attr(&e, "type").as_deref() != Some("page") => {
                        if let Some(p) = paras.last_mut() {
                            p.text.push('\n');
                        }
                    }
                    "noBreakHyphen" => {
                        if let Some(p) = paras.last_mut() {
                            p.text.push('-');
                        }
                    }
                    "pStyle" => {
                        if let Some(p) = paras.last_mut() {
                            p.style = attr(&e, "val");
                        }
                    }
                    "numId" => {
                        if let Some(p) = paras.last_mut() {
                            p.num = attr(&e, "val");
                        }
                    }
                    "ilvl" => {
                        if let Some(p) = paras.last_mut() {
                            p.ilvl = attr(&e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    "gridSpan" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.span = attr(&e, "val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .clamp(1, 64);
                        }
                    }
                    "vMerge" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.continues = attr(&e, "val").is_none_or(|v| v == "continue");
                        }
                    }
                    "gridBefore" => {
                        if let Some(t) = tables.last_mut() {
                            t.before = attr(&e, "val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(0)
                                .min(64);
                        }
                    }
                    "p" => paras.push(Para::default()),
                    _ => {}
                }
                if name.as_str() == "p" {
                    finish_para(&mut paras, &mut tables, numbers, out);
                }
            }
            Event::Text(t) if in_text && skip == 0 => {
                if let Some(p) = paras.last_mut() {
                    let s = t.xml10_content();
                    p.text.push_str(&s);
                }
            }
            Event::GeneralRef(g) if in_text && skip == 0 => {
                if let Some(p) = paras.last_mut() {
                    if let Ok(Some(c)) = g.resolve_char_ref() {
                        p.text.push(c);
                    } else {
                        match &*g.into_inner() {
                            "amp" => p.text.push('&'),
                            "lt" => p.text.push('<'),
                            "gt" => p.text.push('>'),
                            "quot" => p.text.push('"'),
                            "apos" => p.text.push('\''),
                            _ => {}
                        }
                    }
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "t" => in_text = false,
                    "p" => finish_para(&mut paras, &mut tables, numbers, out),
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(c) = t.cell.take() {
                                finish_cell(t, c);
                            }
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            let row = std::mem::take(&mut t.row);
                            t.rows.push(row);
                        }
                    }
                    "tbl" => {
                        if let Some(t) = tables.pop() {
                            finish_table(t, &mut tables, out);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// Ends the innermost paragraph: numbered, then into the open table cell
/// or onto its own line.
fn finish_para(
    paras: &mut Vec<Para>,
    tables: &mut [TableBuild],
    numbers: &mut Numbering,
    out: &mut Builder,
) {
    let Some(p) = paras.pop() else { return };
    let list = match (&p.num, p.ilvl) {
        (Some(n), l) => Some((n.clone(), l.unwrap_or(0))),
        (None, l) => p
            .style
            .as_deref()
            .and_then(|s| numbers.style_num(s))
            .map(|(n, sl)| (n, l.unwrap_or(sl))),
    };
    let label = list
        .and_then(|(n, l)| numbers.label(&n, l))
        .unwrap_or_default();
    // An empty numbered paragraph still takes its number in Word, but has
    // nothing to show.
    let text = if p.text.trim().is_empty() {
        p.text
    } else {
        format!("{label}{}", p.text)
    };
    if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
        c.paras.push(text);
    } else {
        for line in text.split('\n') {
            out.line(line);
        }
    }
}

fn finish_cell(t: &mut TableBuild, c: CellBuild) {
    let col = t.row.len();
    let text = c.paras.join("\n").trim().to_string();
    for _ in 0..t.before {
        t.row.push(Cell::default());
    }
    t.before = 0;
    let above = |k: usize| {
        t.rows
            .last()
            .and_then(|r| r.get(k))
            .map(|c: &Cell| c.text.clone())
            .unwrap_or_default()
    };
    for k in 0..c.span {
        let (text, continued) = if c.continues {
            (above(col + k), true)
        } else {
            (text.clone(), k > 0)
        };
        t.row.push(Cell { text, continued });
    }
}

/// A finished table: its rows as lines, or, nested in a cell, its rows as
/// that cell's paragraphs.
fn finish_table(t: TableBuild, outer: &mut [TableBuild], out: &mut Builder) {
    if let Some(c) = outer.last_mut().and_then(|o| o.cell.as_mut()) {
        for row in t.rows {
            let cells: Vec<String> = row
                .into_iter()
                .filter(|c| !c.continued)
                .map(|c| c.text)
                .collect();
            c.paras.push(cells.join(" "));
        }
        return;
    }
    let width = t.rows.iter().map(Vec::len).max().unwrap_or(0);
    let rows = t
        .rows
        .into_iter()
        .map(|mut r| {
            r.resize(
                width,
                Cell {
                    text: String::new(),
                    continued: true,
                },
            );
            r
        })
        .collect();
    out.table(rows);
}
