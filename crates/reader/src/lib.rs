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
//! ([`deadline`]) and targets ([`target`]).

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
