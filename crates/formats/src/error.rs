//! Why a document could not be read, in Chinese for the person who gave
//! it: what was wrong and what to do.

use std::fmt;

/// A refused document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Plain text the reader's decoder refused (empty, binary, undecodable).
    Text(duban_reader::DecodeError),
    TooLarge {
        size: usize,
        limit: usize,
    },
    /// The container or file is damaged or cut short; what failed.
    Damaged(String),
    /// Inflating the container would pass a limit: a zip bomb or a
    /// container far larger than any document.
    Bomb(String),
    /// Encrypted with a password Duban does not have.
    Encrypted,
    /// A PDF whose pages carry no text (a scan).
    NoText {
        pages: usize,
    },
    /// Text in private-use code points that only OCR could recover.
    Unreadable {
        share: u32,
    },
    /// More pages than the limit.
    TooManyPages {
        pages: usize,
        limit: usize,
    },
    /// A Word 97-2003 binary (.doc, and .wps saved as one): needs LibreOffice.
    LegacyWord,
    /// LibreOffice is needed and not installed, or failed; what happened.
    Converter(String),
    /// A spreadsheet: task lists in Excel go through the import.
    Spreadsheet,
    /// A zip archive of no kind Duban reads.
    UnknownZip,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Text(duban_reader::DecodeError::Binary) => f.write_str(
                "无法识别的文件格式（二进制数据，不是文本、Word、PDF 或 OFD）；请另存为 .docx、.pdf、.ofd 或 .txt 后再试",
            ),
            Error::Text(e) => write!(f, "{e}"),
            Error::TooLarge { size, limit } => write!(
                f,
                "文件太大（{:.1} MB，上限 {} MB）；请拆分后分别上传",
                *size as f64 / 1048576.0,
                limit / 1048576
            ),
            Error::Damaged(what) => write!(
                f,
                "文件已损坏或不完整（{what}）；请重新导出或重新下载后再试"
            ),
            Error::Bomb(what) => write!(
                f,
                "文件解压后超出安全上限（{what}），已拒绝读取；正常公文不会如此，请核对文件来源"
            ),
            Error::Encrypted => f.write_str(
                "文件已加密，需要密码才能打开；请在原软件中取消密码保护后另存再上传",
            ),
            Error::NoText { pages } => write!(
                f,
                "PDF 没有文字层（{pages} 页均未读出文字，可能是扫描件）；需要先用 OCR（文字识别）软件转成可检索文字的 PDF 或 Word 后再上传"
            ),
            Error::Unreadable { share } => write!(
                f,
                "文字使用了私有编码字体（{share}% 的字符无法还原），只有 OCR（文字识别）才能恢复；请取得 Word 或文字版后再上传"
            ),
            Error::TooManyPages { pages, limit } => write!(
                f,
                "文件页数过多（{pages} 页，上限 {limit} 页）；请拆分后分别上传"
            ),
            Error::LegacyWord => f.write_str(
                "这是旧版 Word 二进制文件（.doc/.wps），需要 LibreOffice 转换；请安装 LibreOffice（如 apt-get install libreoffice-writer-nogui），或在 Word/WPS 中另存为 .docx 后上传",
            ),
            Error::Converter(what) => write!(f, "{what}"),
            Error::Spreadsheet => f.write_str(
                "这是 Excel 表格；任务分解表请通过“导入”功能（duban import tasks）读取",
            ),
            Error::UnknownZip => f.write_str(
                "这是压缩包，不是 Word（.docx）或 OFD 文件；请解压后上传其中的公文",
            ),
        }
    }
}

impl std::error::Error for Error {}
