//! Zip containers (.docx, .ofd, and .xlsx for the office crate) read within
//! limits: the number of entries, the inflated size of one entry and of all
//! entries read, and the inflation ratio. Sizes declared in the archive are
//! not trusted: every entry is inflated through a counting reader that stops
//! at the limit, so a zip bomb costs at most the limit in memory and the
//! time to inflate it, never more.

use std::io::{Cursor, Read, Write};
use zip::ZipArchive;

/// How much a container may hold.
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    pub max_entries: usize,
    /// Inflated bytes of one entry.
    pub max_entry: u64,
    /// Inflated bytes of all entries read.
    pub max_total: u64,
    /// Inflated size over compressed size, checked once an entry passes
    /// 1 MB (small XML parts inflate well past 100:1).
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_entries: 20_000,
            max_entry: 128 * 1024 * 1024,
            max_total: 256 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// Why a container could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZipError {
    /// Not a zip archive, or a damaged or truncated one.
    Damaged(String),
    /// A limit was passed; which.
    Limit(String),
    /// An entry is encrypted.
    Encrypted,
}

impl std::fmt::Display for ZipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ZipError::Damaged(s) => write!(f, "压缩包损坏：{s}"),
            ZipError::Limit(s) => write!(f, "超出上限：{s}"),
            ZipError::Encrypted => f.write_str("压缩包内容已加密"),
        }
    }
}

impl std::error::Error for ZipError {}

impl From<ZipError> for crate::Error {
    fn from(e: ZipError) -> Self {
        match e {
            ZipError::Damaged(s) => crate::Error::Damaged(s),
            ZipError::Limit(s) => crate::Error::Bomb(s),
            ZipError::Encrypted => crate::Error::Encrypted,
        }
    }
}

/// An archive opened for reading within limits.
pub struct SafeZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    limits: ZipLimits,
    inflated: u64,
}

impl<'a> SafeZip<'a> {
    pub fn open(bytes: &'a [u8], limits: ZipLimits) -> Result<Self, ZipError> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ZipError::Damaged(format!("无法打开压缩结构（{e}）")))?;
        if archive.len() > limits.max_entries {
            return Err(ZipError::Limit(format!(
                "{} 个条目，上限 {}",
                archive.len(),
                limits.max_entries
            )));
        }
        let names = archive
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        Ok(SafeZip {
            archive,
            names,
            limits,
            inflated: 0,
        })
    }

    /// The entries' names, in the archive's order.
    pub fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// The entry named `name` (a leading `/` and letter case of the name
    /// are forgiven, as some writers differ), inflated; `None` if absent.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ZipError> {
        let want = name.trim_start_matches('/');
        let found = self
            .names
            .iter()
            .find(|n| *n == want)
            .or_else(|| {
                self.names
                    .iter()
                    .find(|n| n.trim_start_matches('/').eq_ignore_ascii_case(want))
            })
            .cloned();
        let Some(found) = found else {
            return Ok(None);
        };
        let mut out = Vec::new();
        self.inflate(&found, &mut out)?;
        Ok(Some(out))
    }

    /// Inflates every entry without keeping it, within the limits: a
    /// container checked so before a parser that reads it its own way
    /// (calamine for .xlsx) cannot make that parser hold a bomb.
    pub fn check_all(&mut self) -> Result<(), ZipError> {
        for name in self.names.clone() {
            self.inflate(&name, &mut std::io::sink())?;
        }
        Ok(())
    }

    /// Inflates the entry `found` into `out`, counting against the limits;
    /// returns the inflated size.
    fn inflate(&mut self, found: &str, out: &mut impl Write) -> Result<u64, ZipError> {
        let entry = self.archive.by_name(found).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                ZipError::Encrypted
            }
            e => ZipError::Damaged(format!("{found}：{e}")),
        })?;
        if entry.encrypted() {
            return Err(ZipError::Encrypted);
        }
        let compressed = entry.compressed_size().max(1);
        let room = self
            .limits
            .max_entry
            .min(self.limits.max_total.saturating_sub(self.inflated));
        // Inflated in steps, so a bomb is stopped at the first megabyte
        // past the ratio, not after the whole limit.
        let mut n = 0u64;
        let mut entry = entry;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let k = entry
                .read(&mut buf)
                .map_err(|e| ZipError::Damaged(format!("{found}：{e}")))?;
            if k == 0 {
                break;
            }
            out.write_all(&buf[..k])
                .map_err(|e| ZipError::Damaged(format!("{found}：{e}")))?;
            n += k as u64;
            if n > room {
                return Err(ZipError::Limit(format!(
                    "{found} 解压超过 {} MB",
                    room / 1048576
                )));
            }
            if n > 1024 * 1024 && n / compressed > self.limits.max_ratio {
                return Err(ZipError::Limit(format!(
                    "{found} 压缩比超过 {}:1",
                    self.limits.max_ratio
                )));
            }
        }
        self.inflated += n;
        Ok(n)
    }

    /// The entry as UTF-8 text (a byte-order mark dropped).
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, ZipError> {
        match self.read(name)? {
            None => Ok(None),
            Some(b) => {
                let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&b);
                String::from_utf8(b.to_vec())
                    .map(Some)
                    .map_err(|_| ZipError::Damaged(format!("{name} 不是 UTF-8 文本")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zip::write::SimpleFileOptions;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_read_and_limits_hold() {
        let big = vec![b'a'; 4 * 1024 * 1024];
        let bytes = archive(&[("a.xml", b"<a/>"), ("big.xml", &big)]);
        let mut z = SafeZip::open(&bytes, ZipLimits::default()).unwrap();
        assert_eq!(z.names(), ["a.xml", "big.xml"]);
        assert_eq!(z.read_text("/a.xml").unwrap().as_deref(), Some("<a/>"));
        assert_eq!(z.read("missing").unwrap(), None);
        // 4 MB of one letter deflates far past 200:1.
        assert!(matches!(z.read("big.xml"), Err(ZipError::Limit(_))));
        let small = ZipLimits {
            max_entry: 100,
            ..ZipLimits::default()
        };
        let mut z = SafeZip::open(&bytes, small).unwrap();
        assert!(matches!(z.read("big.xml"), Err(ZipError::Limit(_))));
        let few = ZipLimits {
            max_entries: 1,
            ..ZipLimits::default()
        };
        assert!(matches!(
            SafeZip::open(&bytes, few),
            Err(ZipError::Limit(_))
        ));
        assert!(matches!(
            SafeZip::open(&bytes[..bytes.len() / 2], ZipLimits::default()),
            Err(ZipError::Damaged(_))
        ));
    }
}
