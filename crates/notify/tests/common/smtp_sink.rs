//! A small SMTP server on 127.0.0.1 that records every message it accepts
//! (read back with [`super::mail`]): plain, `STARTTLS` or implicit TLS (with
//! certificates from [`super::certs`]), `AUTH LOGIN` and `AUTH PLAIN`,
//! refusals on demand.

use super::accept_each;
use super::certs::{internal_ca, ServerCert};
use super::mail::{b64decode, Mail};
use duban_notify::{SmtpConfig, Tls};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

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
