//! The gazette reader: from damaged gazette text to documents, tasks, owners,
//! deadlines and targets.
//!
//! It does no I/O and never panics on input: [`extract`] takes text and
//! returns what it found plus warnings for what it could not resolve.
//! [`decode`] turns bytes the caller has read into text.
//!
//! The pipeline: [`layout`] classifies lines (text, page furniture, contents)
//! and puts pages back in reading order per document; [`header`] reads each
//! document's metadata; [`para`] joins wrapped lines into paragraphs, cleaned
//! by [`normalize`] and [`glyph`]; [`tasks`] walks the heading tree
//! ([`heading`]) and attaches owner clauses ([`owner`]), deadlines
//! ([`deadline`]) and targets ([`target`]). [`extract_with_tables`] adds
//! the tasks of task tables ([`table`]) that a document reader found.

pub mod cite;
pub mod clause;
pub mod deadline;
pub mod declare;
pub mod decode;
pub mod division;
pub mod glyph;
pub mod header;
pub mod heading;
pub mod layout;
pub mod model;
pub mod names;
pub mod normalize;
pub mod owner;
pub mod pairing;
pub mod para;
pub mod prose;
pub mod recall;
pub mod span;
pub mod table;
pub mod target;
pub mod tasks;
pub mod unit;

pub use decode::{decode, DecodeError, Decoded, Encoding};
pub use model::*;

/// Reads a gazette (or a single document) and extracts its documents and tasks.
pub fn extract(text: &str) -> Extraction {
    let input: Vec<&str> = text.split('\n').collect();
    let lay = layout::layout(&input);
    let mut out = Extraction::default();
    for d in &lay.docs {
        let meta = header::read(&lay.lines, d);
        let full = para::full_width(&lay.lines, d);
        let paras = para::paragraphs(&lay.lines, d, full);
        let (tasks, task_warnings) = tasks::tasks(&paras, meta.date);
        let (citations, validity) = cite::read(
            &paras,
            meta.number.as_deref(),
            meta.title.as_deref(),
            meta.date,
        );
        out.warnings.extend(task_warnings);
        let spans = span::spans_of(d.lines.iter().map(|&i| lay.lines[i].no));
        if meta.title.is_none() && meta.number.is_none() && tasks.is_empty() {
            // A stretch of text with no header: keep it, but say so.
            if let Some(&first) = d.lines.first() {
                out.warnings.push(Warning {
                    line: lay.lines[first].no,
                    message: format!(
                        "无法确定此处文字所属的公文（{}行），已作为无标题文件输出",
                        d.lines.len()
                    ),
                });
            }
        }
        out.documents.push(Document {
            spans,
            tasks,
            citations,
            validity,
            ..meta
        });
    }
    recall::check(
        &lay.contents,
        &lay.lines,
        &mut out.documents,
        &mut out.warnings,
    );
    for (d, doc) in lay.docs.iter().zip(&out.documents) {
        if !d.has_header {
            continue;
        }
        let line = d.lines.first().map_or(0, |&i| lay.lines[i].no);
        let title = doc.title.as_deref().unwrap_or("");
        if doc.number.is_none() {
            out.warnings.push(Warning {
                line,
                message: format!("《{title}》未找到发文字号"),
            });
        }
        if doc.date.is_none() {
            out.warnings.push(Warning {
                line,
                message: format!("《{title}》未找到成文日期"),
            });
        }
    }
    out.warnings.sort_by_key(|w| w.line);
    out
}

/// Reads a text like [`extract`] and adds the tasks of the task tables a
/// document reader found in it: each table's rows replace whatever the
/// text reading made of the same lines, inside the document holding them.
pub fn extract_with_tables(text: &str, tables: &[table::Table]) -> Extraction {
    let mut out = extract(text);
    for t in tables {
        let Some(first) = t.rows.first().map(|r| r.span[0]) else {
            continue;
        };
        let last = t.rows.iter().map(|r| r.span[1]).max().unwrap_or(first);
        let inside = |s: &LineSpan| s[0] <= last && s[1] >= first;
        let at = out
            .documents
            .iter()
            .position(|d| d.spans.iter().any(inside))
            .or_else(|| {
                out.documents
                    .iter()
                    .rposition(|d| d.spans.iter().any(|s| s[0] <= first))
            });
        let date = at.and_then(|i| out.documents[i].date);
        let Some(rows) = table::tasks(t, date) else {
            continue;
        };
        if rows.is_empty() {
            out.warnings.push(Warning {
                line: first,
                message: "任务表只有表头，没有读出任务行".into(),
            });
            continue;
        }
        let i = match at {
            Some(i) => i,
            None => {
                out.documents.push(Document {
                    spans: vec![[first, last]],
                    ..Document::default()
                });
                out.documents.len() - 1
            }
        };
        let doc = &mut out.documents[i];
        doc.tasks.retain(|task| !task.spans.iter().any(inside));
        doc.tasks.extend(rows);
        doc.tasks
            .sort_by_key(|task| task.spans.first().map_or(0, |s| s[0]));
        if !doc.spans.iter().any(inside) {
            doc.spans.push([first, last]);
            doc.spans.sort();
        }
    }
    out
}
