//! What a file is, from its bytes: the magic numbers of PDF, zip and OLE
//! compound files, then the zip's entries (a .docx has `word/document.xml`,
//! an .ofd its `OFD.xml`, an .xlsx `xl/workbook.xml`). File names are never
//! consulted: a .wps may be a Word 97 file, a .doc may be a .docx.

/// The kinds of input Duban tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anything else: handed to the text decoder, which refuses binary.
    Text,
    Docx,
    Pdf,
    Ofd,
    /// An OLE compound file (Word 97-2003 .doc, WPS .wps): read through
    /// LibreOffice by the caller.
    LegacyWord,
    Xlsx,
    /// A zip archive of another kind.
    Zip,
}

impl Kind {
    /// The name used in the extract JSON's `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Docx => "docx",
            Kind::Pdf => "pdf",
            Kind::Ofd => "ofd",
            Kind::LegacyWord => "doc",
            Kind::Xlsx => "xlsx",
            Kind::Zip => "zip",
        }
    }
}

const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The kind of `bytes`.
pub fn detect(bytes: &[u8]) -> Kind {
    // A PDF header may follow some junk within the first kilobyte.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Kind::Pdf;
    }
    if bytes.starts_with(OLE) {
        return Kind::LegacyWord;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes);
    }
    Kind::Text
}

/// Tells the zip-based formats apart by their entries' names, read from the
/// central directory without inflating anything; a damaged archive is
/// reported as the format its local headers suggest, so its reader can say
/// what is wrong with it.
fn zip_kind(bytes: &[u8]) -> Kind {
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    if has(b"word/document.xml") {
        Kind::Docx
    } else if has(b"OFD.xml") {
        Kind::Ofd
    } else if has(b"xl/workbook.xml") {
        Kind::Xlsx
    } else {
        Kind::Zip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content() {
        assert_eq!(detect(b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(detect(OLE), Kind::LegacyWord);
        assert_eq!(detect(b"PK\x03\x04....word/document.xml"), Kind::Docx);
        assert_eq!(detect(b"PK\x03\x04....OFD.xml"), Kind::Ofd);
        assert_eq!(detect(b"PK\x03\x04....xl/workbook.xml"), Kind::Xlsx);
        assert_eq!(detect(b"PK\x03\x04...."), Kind::Zip);
        assert_eq!(detect("通知".as_bytes()), Kind::Text);
    }
}
