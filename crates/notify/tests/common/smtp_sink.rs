//! A small SMTP server on 127.0.0.1 that records every message it accepts:
//! plain, `STARTTLS` or implicit TLS (with certificates from [`super::certs`]),
//! `AUTH LOGIN` and `AUTH PLAIN`, refusals on demand; and the decoders that
//! read a message back (written here, independent of the encoders the crate
//! uses).

use super::accept_each;
use super::certs::{internal_ca, ServerCert};
use duban_notify::{SmtpConfig, Tls};
use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

// ---------------------------------------------------------------- decoding

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

    fn parse(
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

// ---------------------------------------------------------------- the server

/// How the sink protects its connections.
#[derive(Clone)]
pub enum SinkTls {
    /// Plain text only; `STARTTLS` is not offered (`AUTH` is, as a lax
    /// relay would).
    None,
    /// Plain text, offering `STARTTLS` with this certificate.
    StartTls(ServerCert),
    /// TLS from the first byte with this certificate.
    Implicit(ServerCert),
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
type Conn = BufReader<Box<dyn Io>>;

/// Writes one reply line.
async fn say(io: &mut Conn, text: &str) -> std::io::Result<()> {
    io.get_mut()
        .write_all(format!("{text}\r\n").as_bytes())
        .await?;
    io.get_mut().flush().await
}

/// Reads one line; `None` at the end of the stream.
async fn hear(io: &mut Conn) -> std::io::Result<Option<String>> {
    let mut line = String::new();
    if io.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    assert!(line.ends_with("\r\n"), "a line without CRLF: {line:?}");
    Ok(Some(line))
}

fn b64text(s: &str) -> String {
    String::from_utf8(b64decode(s.trim()).unwrap_or_default()).unwrap_or_default()
}

/// The address inside `<…>` of a `MAIL FROM:` or `RCPT TO:` argument.
fn bracketed(arg: &str) -> String {
    let start = arg.find('<').map(|i| i + 1).unwrap_or(0);
    let end = arg[start..]
        .find('>')
        .map(|i| start + i)
        .unwrap_or(arg.len());
    arg[start..end].to_string()
}

/// A tiny SMTP server on 127.0.0.1 that records every message it accepts.
#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub tls: SinkTls,
    pub mails: Arc<Mutex<Vec<Mail>>>,
    /// Answer the next this many `DATA` ends with `451`.
    pub fail_data: Arc<AtomicU32>,
    /// Recipients refused with `550`.
    pub refuse: Arc<Mutex<HashSet<String>>>,
    /// Demand `AUTH` with these credentials before `MAIL`.
    pub auth: Option<(String, String)>,
    /// Messages refused with 451 so far.
    pub refused_data: Arc<AtomicU32>,
    /// Every command's verb, and whether it came over TLS (what follows
    /// `AUTH` is not recorded here).
    pub commands: Arc<Mutex<Vec<(String, bool)>>>,
    /// Every `AUTH` attempt: the user name, and whether it came over TLS.
    pub auth_seen: Arc<Mutex<Vec<(String, bool)>>>,
    /// TLS handshakes that failed, as the server saw them.
    pub handshake_errors: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    /// A sink offering `STARTTLS` with a certificate for 127.0.0.1 that an
    /// internal CA signs (see [`SmtpSink::config`] for a client trusting it).
    pub async fn start(auth: Option<(&str, &str)>) -> SmtpSink {
        let cert = internal_ca(&["localhost", "127.0.0.1"]);
        SmtpSink::start_with(auth, SinkTls::StartTls(cert)).await
    }

    pub async fn start_with(auth: Option<(&str, &str)>, tls: SinkTls) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink {
            addr: listener.local_addr().unwrap(),
            tls,
            mails: Arc::default(),
            fail_data: Arc::default(),
            refuse: Arc::default(),
            auth: auth.map(|(u, p)| (u.to_string(), p.to_string())),
            refused_data: Arc::default(),
            commands: Arc::default(),
            auth_seen: Arc::default(),
            handshake_errors: Arc::default(),
        };
        accept_each(listener, sink.clone(), |s, sock| async move {
            let _ = s.serve(sock).await;
        });
        sink
    }

    /// A client configuration for this sink: its address, its way of TLS,
    /// its certificate's CA trusted, its credentials.
    pub fn config(&self) -> SmtpConfig {
        let (tls, ca_file) = match &self.tls {
            SinkTls::None => (Tls::None, None),
            SinkTls::StartTls(c) => (Tls::StartTls, Some(c.trust_file.clone())),
            SinkTls::Implicit(c) => (Tls::Implicit, Some(c.trust_file.clone())),
        };
        let (username, password) = self.auth.clone().unwrap_or_default();
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.addr.port(),
            from: "督查室 <duban@gov.cn>".into(),
            username,
            password,
            helo: "duban-test".into(),
            timeout: Duration::from_secs(10),
            tls,
            ca_file,
            ..SmtpConfig::default()
        }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// The verbs received, in order.
    pub fn verbs(&self) -> Vec<String> {
        self.commands
            .lock()
            .unwrap()
            .iter()
            .map(|(v, _)| v.clone())
            .collect()
    }

    pub fn auth_seen(&self) -> Vec<(String, bool)> {
        self.auth_seen.lock().unwrap().clone()
    }

    async fn handshake(&self, cert: &ServerCert, io: Box<dyn Io>) -> Option<Box<dyn Io>> {
        match TlsAcceptor::from(cert.config.clone()).accept(io).await {
            Ok(s) => Some(Box::new(s)),
            Err(e) => {
                self.handshake_errors.lock().unwrap().push(e.to_string());
                None
            }
        }
    }

    async fn serve(&self, sock: TcpStream) -> std::io::Result<()> {
        let (io, encrypted): (Box<dyn Io>, bool) = match &self.tls {
            SinkTls::Implicit(cert) => match self.handshake(cert, Box::new(sock)).await {
                Some(io) => (io, true),
                None => return Ok(()),
            },
            SinkTls::None | SinkTls::StartTls(_) => (Box::new(sock), false),
        };
        self.session(BufReader::new(io), encrypted).await
    }

    /// `AUTH …`: reads the credentials and answers; the user name.
    async fn auth(
        &self,
        io: &mut Conn,
        cmd: &str,
        encrypted: bool,
    ) -> std::io::Result<Option<String>> {
        let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let mechanism = args
            .first()
            .map(|m| m.to_ascii_uppercase())
            .unwrap_or_default();
        let (user, pass) = match (mechanism.as_str(), args.get(1)) {
            ("LOGIN", _) => {
                say(io, "334 VXNlcm5hbWU6").await?;
                let user = b64text(&hear(io).await?.unwrap_or_default());
                say(io, "334 UGFzc3dvcmQ6").await?;
                let pass = b64text(&hear(io).await?.unwrap_or_default());
                (user, pass)
            }
            ("PLAIN", initial) => {
                let text = match initial {
                    Some(t) => t.to_string(),
                    None => {
                        say(io, "334 ").await?;
                        hear(io).await?.unwrap_or_default()
                    }
                };
                let decoded = b64text(&text);
                let mut parts = decoded.split('\0').skip(1);
                let user = parts.next().unwrap_or("").to_string();
                let pass = parts.next().unwrap_or("").to_string();
                (user, pass)
            }
            _ => {
                say(io, "504 5.5.4 Unrecognized authentication type").await?;
                return Ok(None);
            }
        };
        self.auth_seen
            .lock()
            .unwrap()
            .push((user.clone(), encrypted));
        if self.auth.as_ref() == Some(&(user.clone(), pass)) {
            say(io, "235 2.7.0 Authentication successful").await?;
            Ok(Some(user))
        } else {
            say(io, "535 5.7.8 Authentication credentials invalid").await?;
            Ok(None)
        }
    }

    async fn session(&self, mut io: Conn, mut encrypted: bool) -> std::io::Result<()> {
        say(&mut io, "220 sink.test ESMTP ready").await?;
        let mut ehlo = None;
        let mut authed: Option<String> = None;
        let mut from = String::new();
        let mut to = Vec::new();
        loop {
            let Some(line) = hear(&mut io).await? else {
                return Ok(());
            };
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            let verb = upper.split([' ', ':']).next().unwrap_or("").to_string();
            self.commands
                .lock()
                .unwrap()
                .push((verb.clone(), encrypted));
            match verb.as_str() {
                "EHLO" => {
                    ehlo = Some(cmd[5..].to_string());
                    let mut lines = vec!["sink.test"];
                    if matches!(self.tls, SinkTls::StartTls(_)) && !encrypted {
                        lines.push("STARTTLS");
                    }
                    lines.extend(["AUTH LOGIN PLAIN", "8BITMIME", "SIZE 1000000"]);
                    let n = lines.len();
                    for (i, l) in lines.iter().enumerate() {
                        let sep = if i + 1 == n { ' ' } else { '-' };
                        say(&mut io, &format!("250{sep}{l}")).await?;
                    }
                }
                "HELO" => {
                    ehlo = Some(cmd[5..].to_string());
                    say(&mut io, "250 sink.test").await?;
                }
                "STARTTLS" => {
                    let SinkTls::StartTls(cert) = &self.tls else {
                        say(&mut io, "502 5.5.1 STARTTLS not offered").await?;
                        continue;
                    };
                    if encrypted {
                        say(&mut io, "503 5.5.1 TLS already active").await?;
                        continue;
                    }
                    say(&mut io, "220 2.0.0 Ready to start TLS").await?;
                    let Some(tls) = self.handshake(cert, io.into_inner()).await else {
                        return Ok(());
                    };
                    io = BufReader::new(tls);
                    encrypted = true;
                    // RFC 3207: everything known before is forgotten.
                    (ehlo, authed) = (None, None);
                    from.clear();
                    to.clear();
                }
                "AUTH" => authed = self.auth(&mut io, &cmd, encrypted).await?,
                "MAIL" => {
                    if self.auth.is_some() && authed.is_none() {
                        say(&mut io, "530 5.7.0 Authentication required").await?;
                        continue;
                    }
                    from = bracketed(&cmd[10..]);
                    to.clear();
                    say(&mut io, "250 2.1.0 Ok").await?;
                }
                "RCPT" => {
                    let rcpt = bracketed(&cmd[8..]);
                    if self.refuse.lock().unwrap().contains(&rcpt) {
                        say(&mut io, "550 5.1.1 No such user here").await?;
                    } else {
                        to.push(rcpt);
                        say(&mut io, "250 2.1.5 Ok").await?;
                    }
                }
                "DATA" => {
                    say(&mut io, "354 End data with <CR><LF>.<CR><LF>").await?;
                    let mut data = String::new();
                    loop {
                        let Some(line) = hear(&mut io).await? else {
                            return Ok(());
                        };
                        if line == ".\r\n" {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    let fail = self
                        .fail_data
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                    if fail {
                        self.refused_data.fetch_add(1, Ordering::SeqCst);
                        say(&mut io, "451 4.3.0 Try again later").await?;
                    } else {
                        let mail = Mail::parse(
                            data,
                            from.clone(),
                            to.clone(),
                            authed.clone(),
                            ehlo.clone(),
                            encrypted,
                        );
                        self.mails.lock().unwrap().push(mail);
                        say(&mut io, "250 2.0.0 Ok: queued").await?;
                    }
                }
                "RSET" | "NOOP" => say(&mut io, "250 2.0.0 Ok").await?,
                "QUIT" => {
                    say(&mut io, "221 2.0.0 Bye").await?;
                    return Ok(());
                }
                _ => say(&mut io, "500 5.5.2 Unknown command").await?,
            }
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
