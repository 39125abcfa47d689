//! The one way a document comes in, for `duban extract`, `duban ingest`,
//! the upload page and the API alike: the bytes are recognised by content
//! and read by `duban-formats` (text, .docx, .pdf, .ofd); a Word 97-2003
//! binary (.doc, and a .wps saved as one) is first converted to .docx by
//! LibreOffice when it is installed — the only part of Duban that needs it —
//! and refused with how to install it when it is not. Then the reader
//! extracts documents and tasks, task tables included.

use duban_formats::{Error as FormatError, Kind, Limits, Read};
use duban_reader::Extraction;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A document read and extracted.
#[derive(Debug, Clone)]
pub struct Intake {
    pub read: Read,
    pub extraction: Extraction,
    /// SHA-256 of the bytes as given, lower-case hex.
    pub sha256: String,
    /// Converted by LibreOffice from a legacy Word file.
    pub converted: bool,
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads and extracts `bytes`. Blocking (a large PDF takes seconds, a
/// conversion longer): async callers run it on a blocking thread.
pub fn read(bytes: &[u8]) -> Result<Intake, FormatError> {
    let limits = Limits::default();
    let (read, converted) = match duban_formats::read(bytes, &limits) {
        Err(FormatError::LegacyWord) => {
            let docx = convert_legacy(bytes)?;
            let mut r = duban_formats::read(&docx, &limits)?;
            r.kind = Kind::LegacyWord;
            r.encoding = "doc".into();
            (r, true)
        }
        other => (other?, false),
    };
    let mut extraction = duban_reader::extract_with_tables(&read.text, &read.tables);
    // What the container states fills what the text did not show.
    if let Some(first) = extraction.documents.first_mut() {
        if first.number.is_none() {
            first.number.clone_from(&read.meta.number);
        }
        if first.title.is_none() {
            first.title.clone_from(&read.meta.title);
        }
    }
    Ok(Intake {
        sha256: sha256_hex(bytes),
        read,
        extraction,
        converted,
    })
}

/// The LibreOffice program, if installed: `DUBAN_SOFFICE`, else `soffice`
/// or `libreoffice` on the path.
pub fn soffice() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DUBAN_SOFFICE") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| [d.join("soffice"), d.join("libreoffice")])
        .find(|p| p.is_file())
}

/// How long a conversion may take.
const CONVERT_LIMIT: Duration = Duration::from_secs(120);

/// Converts a legacy Word file to .docx with LibreOffice, in a folder of
/// its own with a profile of its own (two conversions at once would
/// otherwise fight over one profile), removed afterwards.
fn convert_legacy(bytes: &[u8]) -> Result<Vec<u8>, FormatError> {
    let Some(office) = soffice() else {
        return Err(FormatError::LegacyWord);
    };
    let dir = std::env::temp_dir().join(format!(
        "duban-convert-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let result = convert_in(&office, &dir, bytes);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn convert_in(office: &Path, dir: &Path, bytes: &[u8]) -> Result<Vec<u8>, FormatError> {
    let fail = |what: String| {
        FormatError::Converter(format!(
            "LibreOffice 转换旧版 Word 文件失败：{what}；请在 Word/WPS 中另存为 .docx 后上传"
        ))
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    let input = dir.join("input.doc");
    std::fs::write(&input, bytes).map_err(|e| fail(e.to_string()))?;
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let mut child = Command::new(office)
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(dir)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fail(format!("无法启动 {}（{e}）", office.display())))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > CONVERT_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!("超过 {} 秒未完成", CONVERT_LIMIT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(fail(e.to_string())),
        }
    }
    std::fs::read(dir.join("input.docx"))
        .map_err(|_| fail("没有生成 .docx（文件可能已损坏）".into()))
}
