//! PDF with a text layer: `lopdf` parses the file (decrypting one that
//! opens without a password), `pdf-extract` interprets each page's content
//! and maps every glyph to Unicode through the font's ToUnicode map or its
//! encoding, which is what CJK fonts embedded as Identity-H CID fonts need;
//! the glyphs with their positions go to [`crate::page`] for reading order
//! and tables. A file with pages but no text is a scan and is refused with a
//! message naming OCR; one with a user password is refused as encrypted.

use crate::page::{self, Glyph, Page};
use crate::text::{borne_out, Builder};
use crate::{Error, Kind, Limits, Meta, Read};
use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

/// Collects positioned glyphs page by page.
#[derive(Default)]
struct Collect {
    pages: Vec<Page>,
    height: f64,
    max_pages: usize,
}

impl OutputDev for Collect {
    fn begin_page(
        &mut self,
        _n: u32,
        media: &MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        if self.pages.len() >= self.max_pages {
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        self.height = media.ury;
        self.pages.push(Page {
            width: (media.urx - media.llx) as f32,
            height: (media.ury - media.lly) as f32,
            glyphs: Vec::new(),
            rules: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let scale = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let size = (font_size * scale) as f32;
        if let Some(p) = self.pages.last_mut() {
            p.glyphs.push(Glyph {
                x: trm.m31 as f32,
                y: (self.height - trm.m32) as f32,
                size,
                width: (width * font_size * scale) as f32,
                // A glyph the font cannot name comes as a control character.
                text: text
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect(),
            });
        }
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.rules(ctm, path, true);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.rules(ctm, path, false);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

impl Collect {
    /// Keeps the horizontal rules of a path: stroked horizontal segments,
    /// the top and bottom of stroked rectangles, and thin filled
    /// rectangles (how table borders are drawn).
    fn rules(&mut self, m: &Transform, path: &Path, stroked: bool) {
        let height = self.height;
        let at = |x: f64, y: f64| {
            (
                m.m11 * x + m.m21 * y + m.m31,
                height - (m.m12 * x + m.m22 * y + m.m32),
            )
        };
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        if page.rules.len() > 20_000 {
            return;
        }
        let mut add = |a: (f64, f64), b: (f64, f64)| {
            if (a.1 - b.1).abs() < 1.0 && (a.0 - b.0).abs() > 3.0 {
                page.rules.push((
                    a.0.min(b.0) as f32,
                    a.0.max(b.0) as f32,
                    ((a.1 + b.1) / 2.0) as f32,
                ));
            }
        };
        let mut cur = (0.0, 0.0);
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => cur = at(x, y),
                PathOp::LineTo(x, y) => {
                    let p = at(x, y);
                    if stroked {
                        add(cur, p);
                    }
                    cur = p;
                }
                PathOp::Rect(x, y, w, h) => {
                    let (a, b) = (at(x, y), at(x + w, y + h));
                    if stroked {
                        add(a, (b.0, a.1));
                        add((a.0, b.1), b);
                    } else if (a.1 - b.1).abs() < 2.5 {
                        add(a, (b.0, a.1));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Reads a PDF.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Read, Error> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| damaged(&e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(Error::Encrypted);
    }
    let pages = doc.get_pages().len();
    if pages > limits.max_pages {
        return Err(Error::TooManyPages {
            pages,
            limit: limits.max_pages,
        });
    }
    if pages == 0 {
        return Err(Error::Damaged("没有页面".into()));
    }
    inflate_within(&mut doc, limits.max_inflated)?;
    let title = info_title(&doc);
    let mut dev = Collect {
        max_pages: limits.max_pages,
        ..Collect::default()
    };
    // pdf-extract panics on some malformed files rather than returning an
    // error; a panic there is a damaged file, not a crash of Duban.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_extract::output_doc(&doc, &mut dev)
    }));
    match run {
        Ok(Ok(())) => {}
        Ok(Err(e)) if dev.pages.is_empty() => return Err(damaged(&e.to_string())),
        Ok(Err(_)) => {}
        Err(_) => return Err(damaged("页面内容无法解析")),
    }
    let chars: usize = dev
        .pages
        .iter()
        .map(|p| {
            p.glyphs
                .iter()
                .filter(|g| !g.text.trim().is_empty())
                .count()
        })
        .sum();
    if chars < 10 * dev.pages.len().min(3) {
        return Err(Error::NoText { pages });
    }
    let mut out = Builder::default();
    page::lay_out(&dev.pages, &mut out);
    let empty = dev
        .pages
        .iter()
        .filter(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
        .count();
    if empty > 0 {
        out.warn(
            0,
            format!(
                "有 {empty} 页没有文字层（可能是扫描页），这些页的内容需要 OCR（文字识别）后补录"
            ),
        );
    }
    let text = out.text();
    Ok(Read {
        kind: Kind::Pdf,
        encoding: "pdf".into(),
        meta: Meta {
            title: borne_out(title, &text),
            number: None,
        },
        text,
        tables: out.tables,
        pages: dev.pages.len(),
        warnings: out.warnings,
    })
}

/// Inflates every plain deflated stream (content streams, fonts, ToUnicode
/// maps) with a bound on the bytes produced in all, so a stream that would
/// inflate to gigabytes is refused instead of exhausting memory in the
/// interpreter. Streams with other filters or with predictors (images,
/// cross-reference streams) are left to lopdf.
fn inflate_within(doc: &mut lopdf::Document, limit: u64) -> Result<(), Error> {
    use std::io::Read as _;
    let mut total = 0u64;
    for obj in doc.objects.values_mut() {
        let lopdf::Object::Stream(s) = obj else {
            continue;
        };
        let plain_flate = s.filters().is_ok_and(|f| f == [b"FlateDecode".as_slice()])
            && s.dict.get(b"DecodeParms").is_err();
        if !plain_flate {
            continue;
        }
        let room = limit.saturating_sub(total);
        let mut out = Vec::new();
        let mut z = flate2::read::ZlibDecoder::new(s.content.as_slice());
        let mut buf = vec![0u8; 256 * 1024];
        let ok = loop {
            match z.read(&mut buf) {
                Ok(0) => break true,
                Ok(k) => out.extend_from_slice(&buf[..k]),
                Err(_) => break false,
            }
            let n = out.len() as u64;
            // Past 4 MB, more than 500:1 is no document's text.
            if n > room || (n > 4 << 20 && n / z.total_in().max(1) > 500) {
                return Err(Error::Bomb(format!(
                    "PDF 内容解压超过安全上限（已解压 {} MB）",
                    (total + n) >> 20
                )));
            }
        };
        total += out.len() as u64;
        if ok {
            s.set_plain_content(out);
        }
    }
    Ok(())
}

fn damaged(why: &str) -> Error {
    let short: String = why.chars().take(80).collect();
    Error::Damaged(format!("PDF 无法解析：{short}"))
}

/// The Title of the document information dictionary, UTF-16 or PDFDoc.
fn info_title(doc: &lopdf::Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let dict = match info {
        lopdf::Object::Reference(r) => doc.get_dictionary(*r).ok()?,
        lopdf::Object::Dictionary(d) => d,
        _ => return None,
    };
    let raw = dict.get(b"Title").ok()?.as_str().ok()?;
    if let Some(body) = raw.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16(&units).ok();
    }
    Some(raw.iter().map(|&b| b as char).collect())
}
