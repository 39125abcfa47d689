//! What the notify tests share: real sinks on 127.0.0.1 (a small SMTP
//! server and a raw HTTP responder, both recording what they receive), the
//! decoders that read a message back (written here, independent of the
//! crate's encoders), and a small organisation with matters.

#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::{Level, Role, UnitKind};
use duban_domain::workflow::Action;
use duban_store::{NewMatter, NewUnit, NewUser, Store};
use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

// ---------------------------------------------------------------- decoding

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

    fn parse(
        raw: String,
        mail_from: String,
        rcpt_to: Vec<String>,
        auth_user: Option<String>,
        ehlo: Option<String>,
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
            .is_some_and(|c| c.contains("charset=UTF-8")));
        for line in body.split("\r\n") {
            assert!(line.len() <= 76, "a body line of {} characters", line.len());
        }
        let b64: String = body.split("\r\n").collect();
        let body = String::from_utf8(b64decode(&b64).expect("base64 body")).expect("UTF-8 body");
        let subject = decode_header(headers.get("subject").expect("a subject"));
        Mail {
            mail_from,
            rcpt_to,
            auth_user,
            ehlo,
            headers,
            subject,
            body,
            raw,
        }
    }
}

// ---------------------------------------------------------------- SMTP sink

/// A tiny SMTP server on 127.0.0.1 that records every message it accepts.
#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub mails: Arc<Mutex<Vec<Mail>>>,
    /// Answer the next this many `DATA` ends with `451`.
    pub fail_data: Arc<AtomicU32>,
    /// Recipients refused with `550`.
    pub refuse: Arc<Mutex<HashSet<String>>>,
    /// Demand `AUTH LOGIN` with these credentials before `MAIL`.
    pub auth: Option<(String, String)>,
    /// Messages refused with 451 so far.
    pub refused_data: Arc<AtomicU32>,
}

impl SmtpSink {
    pub async fn start(auth: Option<(&str, &str)>) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink {
            addr: listener.local_addr().unwrap(),
            mails: Arc::default(),
            fail_data: Arc::default(),
            refuse: Arc::default(),
            auth: auth.map(|(u, p)| (u.to_string(), p.to_string())),
            refused_data: Arc::default(),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.session(sock).await;
                });
            }
        });
        sink
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    async fn session(&self, sock: tokio::net::TcpStream) -> std::io::Result<()> {
        let (r, mut w) = sock.into_split();
        let mut r = BufReader::new(r);
        w.write_all(b"220 sink.test ESMTP ready\r\n").await?;
        let mut ehlo = None;
        let mut authed: Option<String> = None;
        let mut from = String::new();
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            assert!(line.ends_with("\r\n"), "a command without CRLF: {line:?}");
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            if upper.starts_with("EHLO ") {
                ehlo = Some(cmd[5..].to_string());
                w.write_all(b"250-sink.test\r\n250-AUTH LOGIN PLAIN\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n")
                    .await?;
            } else if upper.starts_with("HELO ") {
                ehlo = Some(cmd[5..].to_string());
                w.write_all(b"250 sink.test\r\n").await?;
            } else if upper == "AUTH LOGIN" {
                w.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
                line.clear();
                r.read_line(&mut line).await?;
                let user = String::from_utf8(b64decode(line.trim_end()).unwrap_or_default())
                    .unwrap_or_default();
                w.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
                line.clear();
                r.read_line(&mut line).await?;
                let pass = String::from_utf8(b64decode(line.trim_end()).unwrap_or_default())
                    .unwrap_or_default();
                if self.auth.as_ref() == Some(&(user.clone(), pass)) {
                    authed = Some(user);
                    w.write_all(b"235 2.7.0 Authentication successful\r\n")
                        .await?;
                } else {
                    w.write_all(b"535 5.7.8 Authentication credentials invalid\r\n")
                        .await?;
                }
            } else if upper.starts_with("MAIL FROM:") {
                if self.auth.is_some() && authed.is_none() {
                    w.write_all(b"530 5.7.0 Authentication required\r\n")
                        .await?;
                    continue;
                }
                from = cmd[10..].trim_matches(['<', '>']).to_string();
                to.clear();
                w.write_all(b"250 2.1.0 Ok\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                let rcpt = cmd[8..].trim_matches(['<', '>']).to_string();
                if self.refuse.lock().unwrap().contains(&rcpt) {
                    w.write_all(b"550 5.1.1 No such user here\r\n").await?;
                } else {
                    to.push(rcpt);
                    w.write_all(b"250 2.1.5 Ok\r\n").await?;
                }
            } else if upper == "DATA" {
                w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    let l = line.strip_prefix('.').unwrap_or(&line);
                    data.push_str(l);
                }
                let fail = self
                    .fail_data
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if fail {
                    self.refused_data.fetch_add(1, Ordering::SeqCst);
                    w.write_all(b"451 4.3.0 Try again later\r\n").await?;
                } else {
                    let mail =
                        Mail::parse(data, from.clone(), to.clone(), authed.clone(), ehlo.clone());
                    self.mails.lock().unwrap().push(mail);
                    w.write_all(b"250 2.0.0 Ok: queued\r\n").await?;
                }
            } else if upper == "QUIT" {
                w.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            } else {
                w.write_all(b"500 5.5.2 Unknown command\r\n").await?;
            }
        }
    }
}

// ---------------------------------------------------------------- HTTP sink

/// One request the HTTP sink received.
#[derive(Debug, Clone)]
pub struct Post {
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub json: serde_json::Value,
    /// Whether the sink answered 200.
    pub accepted: bool,
}

impl Post {
    pub fn key(&self) -> &str {
        self.headers
            .get("x-duban-key")
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn content(&self) -> &str {
        self.json["text"]["content"].as_str().unwrap_or("")
    }
}

/// A raw HTTP/1.1 responder on 127.0.0.1 that records every POST.
#[derive(Clone)]
pub struct HttpSink {
    pub addr: SocketAddr,
    pub posts: Arc<Mutex<Vec<Post>>>,
    /// Answer the next this many requests with HTTP 500.
    pub fail_next: Arc<AtomicU32>,
}

impl HttpSink {
    pub async fn start() -> HttpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = HttpSink {
            addr: listener.local_addr().unwrap(),
            posts: Arc::default(),
            fail_next: Arc::default(),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.serve(sock).await;
                });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("http://{}/robot/send?access_token=t0ken", self.addr)
    }

    /// The requests answered 200.
    pub fn accepted(&self) -> Vec<Post> {
        self.posts
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.accepted)
            .cloned()
            .collect()
    }

    async fn serve(&self, sock: tokio::net::TcpStream) -> std::io::Result<()> {
        let (r, mut w) = sock.into_split();
        let mut r = BufReader::new(r);
        let mut request_line = String::new();
        if r.read_line(&mut request_line).await? == 0 {
            return Ok(());
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = BTreeMap::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h).await?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        r.read_exact(&mut body).await?;
        let fail = self
            .fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
        assert_eq!(method, "POST");
        self.posts.lock().unwrap().push(Post {
            path,
            headers,
            json,
            accepted: !fail,
        });
        let (status, text) = if fail {
            (
                "500 Internal Server Error",
                r#"{"errcode":-1,"errmsg":"busy"}"#,
            )
        } else {
            ("200 OK", r#"{"errcode":0,"errmsg":"ok"}"#)
        };
        let resp = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
            text.len()
        );
        w.write_all(resp.as_bytes()).await?;
        w.shutdown().await?;
        Ok(())
    }
}

// ---------------------------------------------------------------- the world

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub async fn unit(store: &Store, name: &str) -> i64 {
    store
        .create_unit(
            None,
            NewUnit {
                name: name.into(),
                aliases: vec![],
                parent: None,
                level: Level::City,
                kind: UnitKind::Department,
            },
        )
        .await
        .unwrap()
        .id
}

pub async fn user(
    store: &Store,
    login: &str,
    role: Role,
    unit: Option<i64>,
    email: Option<&str>,
) -> i64 {
    store
        .create_user(
            None,
            NewUser {
                login: login.into(),
                name: login.into(),
                role,
                unit_id: unit,
                email: email.map(String::from),
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap()
        .id
}

/// Creates an ordinary matter assigned at `when`; returns its tracks' ids
/// in the order lead units then co-operating units.
pub async fn matter(
    store: &Store,
    cal: &Calendar,
    title: &str,
    lead: Vec<i64>,
    co: Vec<i64>,
    when: &str,
) -> Vec<i64> {
    let m = store
        .create_matter(
            None,
            NewMatter {
                title: title.into(),
                detail: format!("{title}，按期完成。"),
                matter_type: MatterType::ordinary(),
                source: Source::Meeting {
                    name: "区政府常务会议".into(),
                    date: None,
                },
                deadline: None,
                targets: serde_json::json!([]),
                lead,
                co,
                raised_by: None,
            },
            at(when),
            cal,
        )
        .await
        .unwrap();
    m.tracks.iter().map(|t| t.track.id).collect()
}

/// Carries out an action on a track at `when`.
pub async fn act(store: &Store, cal: &Calendar, track: i64, action: Action, when: &str) {
    let t = store.track(track).await.unwrap();
    store
        .act(None, track, t.version, &action, at(when), cal)
        .await
        .unwrap();
}

/// Polls `check` until it holds, for at most `limit`; the last value
/// otherwise.
pub async fn eventually<T, F, Fut>(limit: Duration, mut check: F) -> (bool, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = (bool, T)>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let (ok, v) = check().await;
        if ok || tokio::time::Instant::now() >= deadline {
            return (ok, v);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
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
