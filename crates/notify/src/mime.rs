//! The bits of MIME an e-mail in Chinese needs: base64 (RFC 4648), header
//! encoded-words (RFC 2047, `=?UTF-8?B?…?=`), and a base64 body in lines of
//! 76 characters (RFC 2045).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The longest piece of text, in bytes, one encoded-word carries: 39 bytes
/// make 52 base64 characters, a 64-character word, which leaves room for
/// `Subject: ` within the 76 characters RFC 2047 allows a line.
const WORD_BYTES: usize = 39;

/// A header value as RFC 2047 encoded-words, folded one word a line
/// (`CRLF SP` between words); each word holds whole characters. Plain
/// printable ASCII is returned as it is.
pub fn encode_header(value: &str) -> String {
    if value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'=' && b != b'?')
        && value.len() <= 60
    {
        return value.to_string();
    }
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, c) in value.char_indices() {
        let next = i + c.len_utf8();
        if next - start > WORD_BYTES && end > start {
            words.push(&value[start..end]);
            start = end;
        }
        end = next;
    }
    if end > start || words.is_empty() {
        words.push(&value[start..end]);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64(w.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// A body as base64 lines of at most 76 characters, each ending in CRLF.
pub fn body_base64(text: &str) -> String {
    let encoded = base64(text.as_bytes());
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 76 * 2 + 2);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, enc) in cases {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
        assert_eq!(base64("督办".as_bytes()), "552j5Yqe");
    }

    #[test]
    fn headers_fold_into_short_words_of_whole_characters() {
        let subject = "【催办】关于推进全市公共充电基础设施建设的督办事项（第二批）";
        let h = encode_header(subject);
        for line in h.split("\r\n") {
            let word = line.trim_start();
            assert!(
                word.starts_with("=?UTF-8?B?") && word.ends_with("?="),
                "{word}"
            );
            assert!(("Subject: ".len() + word.len()) <= 76, "{word}");
        }
        assert!(h.contains("\r\n "));
        assert_eq!(encode_header("Plain ASCII"), "Plain ASCII");
        assert!(encode_header("a=?b").starts_with("=?UTF-8?B?"));
    }

    #[test]
    fn body_lines_are_short() {
        let b = body_base64(&"督办".repeat(100));
        assert!(b.lines().all(|l| l.len() <= 76));
        assert!(b.ends_with("\r\n"));
    }
}
