//! Reading a received message back, written here independent of the
//! encoders the crate uses: base64 (RFC 4648), header encoded-words
//! (RFC 2047), and a [`Mail`] with its envelope, headers and decoded text.

use std::collections::BTreeMap;

/// Standard base64 with padding; `None` on anything else.
pub fn b64decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let s = s.as_bytes();
    if !s.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::new();
    for chunk in s.chunks(4) {
        let pad = chunk.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = if i >= 4 - pad { 0 } else { val(*c)? };
            n = (n << 6) | v;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// A header value with RFC 2047 `=?UTF-8?B?…?=` words decoded (the
/// whitespace between two encoded words dropped, as RFC 2047 says).
pub fn decode_header(v: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = v;
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some(start) = rest.find("=?") {
            let (plain, tail) = rest.split_at(start);
            if !(after_word && plain.trim().is_empty()) {
                bytes.extend_from_slice(plain.as_bytes());
            }
            let inner = &tail[2..];
            let Some(end) = inner.find("?=") else {
                bytes.extend_from_slice(tail.as_bytes());
                break;
            };
            let word = &inner[..end];
            let parts: Vec<&str> = word.splitn(3, '?').collect();
            assert_eq!(parts.len(), 3, "bad encoded word {word}");
            assert!(parts[0].eq_ignore_ascii_case("utf-8"), "{word}");
            assert!(parts[1].eq_ignore_ascii_case("b"), "{word}");
            bytes.extend(b64decode(parts[2]).expect("base64 in an encoded word"));
            rest = &inner[end + 2..];
            after_word = true;
        } else {
            bytes.extend_from_slice(rest.as_bytes());
            break;
        }
    }
    String::from_utf8(bytes).expect("UTF-8 header")
}

/// A received e-mail, read back.
#[derive(Debug, Clone)]
pub struct Mail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub auth_user: Option<String>,
    pub ehlo: Option<String>,
    /// Whether the message came over TLS.
    pub encrypted: bool,
    /// Headers by lower-case name, unfolded, raw.
    pub headers: BTreeMap<String, String>,
    pub subject: String,
    pub body: String,
    pub raw: String,
}

impl Mail {
    pub fn key(&self) -> &str {
        self.headers
            .get("x-duban-key")
            .map(String::as_str)
            .unwrap_or("")
    }

    pub(super) fn parse(
        raw: String,
        mail_from: String,
        rcpt_to: Vec<String>,
        auth_user: Option<String>,
        ehlo: Option<String>,
        encrypted: bool,
    ) -> Mail {
        let (head, body) = raw.split_once("\r\n\r\n").expect("headers and body");
        let mut headers = BTreeMap::new();
        let mut last: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with(' ') || line.starts_with('\t') {
                let k = last.clone().expect("a continuation after a header");
                headers
                    .entry(k)
                    .and_modify(|v: &mut String| v.push_str(line));
                continue;
            }
            let (k, v) = line.split_once(':').expect("a header line");
            let k = k.trim().to_ascii_lowercase();
            headers.insert(k.clone(), v.trim().to_string());
            last = Some(k);
        }
        assert_eq!(
            headers.get("content-transfer-encoding").map(String::as_str),
            Some("base64")
        );
        assert!(headers
            .get("content-type")
            .is_some_and(|c| c.to_ascii_lowercase().contains("charset=utf-8")));
        for line in body.split("\r\n") {
            assert!(line.len() <= 76, "a body line of {} characters", line.len());
        }
        let b64: String = body.split("\r\n").collect();
        let body = String::from_utf8(b64decode(&b64).expect("base64 body")).expect("UTF-8 body");
        // Text travels with CRLF line ends (RFC 2046's canonical form), as
        // a reader's mail client turns them back into its own.
        assert!(
            !body.replace("\r\n", "").contains('\n'),
            "a bare LF: {body:?}"
        );
        let body = body.replace("\r\n", "\n");
        let subject = decode_header(headers.get("subject").expect("a subject"));
        Mail {
            mail_from,
            rcpt_to,
            auth_user,
            ehlo,
            encrypted,
            headers,
            subject,
            body,
            raw,
        }
    }
}

#[test]
fn decoders_read_known_values() {
    assert_eq!(b64decode("Zm9vYmE=").unwrap(), b"fooba");
    assert_eq!(b64decode("552j5Yqe").unwrap(), "督办".as_bytes());
    assert_eq!(
        decode_header("=?UTF-8?B?552j?=\r\n =?UTF-8?B?5Yqe?= x"),
        "督办 x"
    );
    assert!(b64decode("abc").is_none());
}
