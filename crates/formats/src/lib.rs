//! Documents as offices receive them, read from bytes with no I/O: plain
//! text in any of the reader's encodings, Word (.docx), PDF with a text
//! layer and OFD (GB/T 33190), detected by content, never by file name.
//!
//! Every reader gives the same [`Read`]: a text with one paragraph (Word) or
//! one printed line (PDF, OFD) per line — the text Duban stores and shows,
//! so the reader's line numbers point into it — the tables found, each row
//! with the lines it was rendered on (`duban_reader::table` turns task
//! tables into tasks), the metadata the container carries, and warnings.
//! What cannot be read is refused with an [`Error`] that says in Chinese
//! what was wrong and what to do: a scan without text names OCR, a legacy
//! Word file names LibreOffice (the caller converts; see [`Kind::LegacyWord`]),
//! a zip bomb is stopped by [`safezip`]'s limits before it is inflated.
//!
//! Modules: [`detect`] (what the bytes are), [`safezip`] (zip containers
//! within limits, shared with the .xlsx reader), [`docx`], [`pdf`], [`ofd`],
//! and [`page`] (positioned text put into lines in reading order, with
//! tables found by their layout; shared by PDF and OFD).

pub mod detect;
pub mod docx;
mod error;
pub mod ofd;
pub mod page;
pub mod pdf;
pub mod safezip;
mod text;
mod xml;

pub use detect::{detect, Kind};
pub use duban_reader::table::{Cell, Row, Table};
pub use error::Error;
pub use text::Warning;

/// How much a reader may take on. The defaults suit a supervision office's
/// largest documents (a whole year of a gazette) with room to spare.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest input taken at all.
    pub max_input: usize,
    /// Limits on zip containers (.docx, .ofd).
    pub zip: safezip::ZipLimits,
    /// The most pages a PDF or OFD may have.
    pub max_pages: usize,
    /// The most bytes a PDF's compressed streams may inflate to, in all.
    pub max_inflated: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input: 64 * 1024 * 1024,
            zip: safezip::ZipLimits::default(),
            max_pages: 3000,
            max_inflated: 256 * 1024 * 1024,
        }
    }
}

/// Metadata a container states about its document. Kept only where the
/// text bears it out: templates leave stale titles behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    /// 发文字号, where the container records one.
    pub number: Option<String>,
}

/// A document read into text.
#[derive(Debug, Clone)]
pub struct Read {
    pub kind: Kind,
    /// The encoding a plain text was found in (`utf-8`, `gb18030`,
    /// `utf-16`); the format's name for the other kinds (`docx`, `pdf`, `ofd`).
    pub encoding: String,
    /// One paragraph or printed line per line.
    pub text: String,
    pub tables: Vec<Table>,
    pub meta: Meta,
    /// Pages, for PDF and OFD (0 where the format has none).
    pub pages: usize,
    pub warnings: Vec<Warning>,
}

/// Reads `bytes` of any supported kind into text.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Read, Error> {
    if bytes.len() > limits.max_input {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit: limits.max_input,
        });
    }
    match detect(bytes) {
        Kind::Docx => docx::read(bytes, limits),
        Kind::Pdf => pdf::read(bytes, limits),
        Kind::Ofd => ofd::read(bytes, limits),
        Kind::LegacyWord => Err(Error::LegacyWord),
        Kind::Xlsx => Err(Error::Spreadsheet),
        Kind::Zip => Err(Error::UnknownZip),
        Kind::Text => {
            let d = duban_reader::decode(bytes).map_err(Error::Text)?;
            Ok(Read {
                kind: Kind::Text,
                encoding: d.encoding.name().to_string(),
                text: d.text,
                tables: Vec::new(),
                meta: Meta::default(),
                pages: 0,
                warnings: Vec::new(),
            })
        }
    }
}
