//! Turning raw bytes into text: UTF-8, GB18030 (covers GBK and GB2312) and
//! UTF-16 with a byte-order mark, detected without being told. Works on
//! bytes already read; the caller does the I/O.

use encoding_rs::{Encoding as Enc, GB18030, UTF_16BE, UTF_16LE};
use std::fmt;

/// The encoding a text was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
    Utf16,
}

impl Encoding {
    /// The name used in the extract JSON.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16 => "utf-16",
        }
    }
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    Empty,
    Binary,
    Undecodable,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecodeError::Empty => "文件为空（empty input）",
            DecodeError::Binary => "不是文本文件，像是二进制数据（binary data）；请提供 .txt 文本",
            DecodeError::Undecodable => {
                "无法识别文字编码（not UTF-8, GB18030/GBK or UTF-16）；请另存为 UTF-8 文本后重试"
            }
        })
    }
}

impl std::error::Error for DecodeError {}

/// Decoded text and the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// Detects the encoding of `bytes` and decodes them.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom)) = Enc::for_bom(bytes) {
        let body = &bytes[bom..];
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(DecodeError::Undecodable);
        }
        let encoding = if enc == UTF_16LE || enc == UTF_16BE {
            Encoding::Utf16
        } else {
            Encoding::Utf8
        };
        return finish(text.into_owned(), encoding);
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text.to_owned(), Encoding::Utf8);
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DecodeError::Undecodable);
    }
    finish(text.into_owned(), Encoding::Gb18030)
}

fn finish(text: String, encoding: Encoding) -> Result<Decoded, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if control_share(&text) > 0.01 {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded { text, encoding })
}

/// NUL bytes never occur in UTF-8 or GB18030 text; UTF-16 without a BOM
/// is not accepted (the contract asks for a BOM).
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// The share of control characters other than tab, CR, LF and form feed.
fn control_share(text: &str) -> f64 {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            control += 1;
        }
    }
    control as f64 / total.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "关于印发2022年政府工作报告的通知\n运盐政发〔2022〕2号\n";

    #[test]
    fn detects_utf8() {
        let d = decode(SAMPLE.as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, Encoding::Utf8));
    }

    #[test]
    fn detects_utf8_with_bom() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, Encoding::Utf8));
    }

    #[test]
    fn detects_gbk() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, Encoding::Gb18030));
    }

    #[test]
    fn detects_utf16_both_orders() {
        let units: Vec<u16> = SAMPLE.encode_utf16().collect();
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in &units {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        for b in [le, be] {
            let d = decode(&b).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, Encoding::Utf16));
        }
    }

    #[test]
    fn refuses_empty_binary_and_garbage() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\n"), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
        assert_eq!(
            decode(&[0xFF, 0xFF, 0xFF, 0x80, 0x81]),
            Err(DecodeError::Undecodable)
        );
    }
}
