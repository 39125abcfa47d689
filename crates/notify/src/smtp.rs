//! A small SMTP client (RFC 5321) over a plain TCP connection: one
//! connection per message, `EHLO` (falling back to `HELO`), `AUTH LOGIN`
//! when a user name is configured, `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`.
//! The message is UTF-8 plain text, its subject as RFC 2047 base64
//! encoded-words and its body in base64, so Chinese survives any relay.
//!
//! **Not supported:** `STARTTLS` and implicit TLS (port 465). Use a relay on
//! the local network or on the same host (a Postfix or the mail gateway of
//! the government intranet) that accepts plain SMTP from Duban and takes
//! care of onward encryption. Credentials sent with `AUTH LOGIN` over plain
//! TCP are only base64-encoded: configure a user name only on a trusted
//! network.

use crate::mime::{base64, body_base64, encode_header};
use crate::SendError;
use std::fmt;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

/// Where and how to send e-mail.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// The sender: `duban@example.gov.cn` or `督查室 <duban@example.gov.cn>`.
    pub from: String,
    /// Empty: no `AUTH`.
    pub username: String,
    pub password: String,
    /// The name this host gives in `EHLO`.
    pub helo: String,
    /// The whole exchange for one message must finish within this.
    pub timeout: Duration,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field(
                "password",
                &if self.password.is_empty() { "" } else { "***" },
            )
            .field("helo", &self.helo)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// One e-mail.
#[derive(Debug, Clone)]
pub struct Email<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// A stable identity (the outbox key): the `Message-ID` and an
    /// `X-Duban-Key` header, so a receiver can tell a repeat.
    pub key: &'a str,
}

/// Sends e-mail through one SMTP server.
#[derive(Debug, Clone)]
pub struct SmtpSender {
    cfg: SmtpConfig,
}

/// An address fit for the envelope and headers: no spaces, brackets or line
/// breaks, one `@` with something on both sides.
pub(crate) fn check_address(a: &str) -> Result<(), SendError> {
    let ok = !a.is_empty()
        && a.len() <= 254
        && !a
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
        && a.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains('@'));
    if ok {
        Ok(())
    } else {
        Err(SendError::permanent(format!("邮件地址“{a}”无效")))
    }
}

/// Splits `Name <addr>` into the display name and the address.
pub(crate) fn split_from(from: &str) -> (Option<&str>, &str) {
    let from = from.trim();
    match (from.rfind('<'), from.ends_with('>')) {
        (Some(i), true) => {
            let name = from[..i].trim().trim_matches('"').trim();
            let addr = from[i + 1..from.len() - 1].trim();
            ((!name.is_empty()).then_some(name), addr)
        }
        _ => (None, from),
    }
}

/// A reply: its code and the text of its last line.
struct Reply {
    code: u16,
    text: String,
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

struct Conn {
    r: BufReader<OwnedReadHalf>,
    w: OwnedWriteHalf,
    host: String,
}

impl Conn {
    async fn reply(&mut self) -> Result<Reply, SendError> {
        let mut text = Vec::new();
        loop {
            let mut line = String::new();
            let n = (&mut self.r)
                .take(4096)
                .read_line(&mut line)
                .await
                .map_err(|e| {
                    SendError::transient(format!("读取邮件服务器 {} 应答失败：{e}", self.host))
                })?;
            if n == 0 {
                return Err(SendError::transient(format!(
                    "邮件服务器 {} 断开了连接",
                    self.host
                )));
            }
            let line = line.trim_end_matches(['\r', '\n']);
            let code = line
                .get(..3)
                .and_then(|c| c.parse::<u16>().ok())
                .ok_or_else(|| {
                    SendError::transient(format!("邮件服务器 {} 的应答无法识别：{line}", self.host))
                })?;
            text.push(line.get(4..).unwrap_or("").to_string());
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(Reply {
                    code,
                    text: text.join(" / "),
                });
            }
        }
    }

    async fn send_line(&mut self, line: &str) -> Result<(), SendError> {
        self.w
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .map_err(|e| SendError::transient(format!("向邮件服务器 {} 发送失败：{e}", self.host)))
    }

    /// Sends a command and wants one of `ok`; `what` names the step in the
    /// error. A 5xx reply is permanent when `permanent_5xx`.
    async fn command(
        &mut self,
        line: &str,
        what: &str,
        ok: &[u16],
        permanent_5xx: bool,
    ) -> Result<Reply, SendError> {
        self.send_line(line).await?;
        let reply = self.reply().await?;
        expect(reply, what, ok, permanent_5xx)
    }
}

fn expect(reply: Reply, what: &str, ok: &[u16], permanent_5xx: bool) -> Result<Reply, SendError> {
    if ok.contains(&reply.code) {
        return Ok(reply);
    }
    let message = format!("邮件服务器拒绝{what}：{reply}");
    if permanent_5xx && (500..600).contains(&reply.code) {
        Err(SendError::permanent(message))
    } else {
        Err(SendError::transient(message))
    }
}

/// A `Message-ID` from the key: only characters safe in a dot-atom.
fn message_id(key: &str, from_addr: &str) -> String {
    let local: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    let domain = from_addr
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("duban.invalid");
    format!("<{}@{domain}>", local.trim_matches('.'))
}

/// The message text as sent after `DATA`, dot-stuffed, without the final
/// `.` line.
pub fn format_message(from: &str, email: &Email<'_>, date: &str) -> String {
    let (name, addr) = split_from(from);
    let from_header = match name {
        Some(n) => format!("{} <{addr}>", encode_header(n)),
        None => addr.to_string(),
    };
    let key: String = email.key.chars().filter(|c| c.is_ascii_graphic()).collect();
    let mut m = String::new();
    m.push_str(&format!("Date: {date}\r\n"));
    m.push_str(&format!("From: {from_header}\r\n"));
    m.push_str(&format!("To: {}\r\n", email.to));
    m.push_str(&format!("Subject: {}\r\n", encode_header(email.subject)));
    m.push_str(&format!("Message-ID: {}\r\n", message_id(email.key, addr)));
    m.push_str(&format!("X-Duban-Key: {key}\r\n"));
    m.push_str("MIME-Version: 1.0\r\n");
    m.push_str("Content-Type: text/plain; charset=UTF-8\r\n");
    m.push_str("Content-Transfer-Encoding: base64\r\n");
    m.push_str("\r\n");
    m.push_str(&body_base64(email.body));
    // Dot-stuffing (RFC 5321 4.5.2); base64 lines never start with a dot,
    // but the headers are not ours alone.
    m.split("\r\n")
        .map(|l| {
            if l.starts_with('.') {
                format!(".{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

impl SmtpSender {
    pub fn new(cfg: SmtpConfig) -> SmtpSender {
        SmtpSender { cfg }
    }

    pub fn config(&self) -> &SmtpConfig {
        &self.cfg
    }

    /// Sends one e-mail. A 5xx refusal of the recipient or of the message
    /// is permanent; everything else (4xx, a dropped connection, a timeout)
    /// is worth trying again.
    pub async fn send(&self, email: &Email<'_>) -> Result<(), SendError> {
        check_address(email.to)?;
        let (_, from_addr) = split_from(&self.cfg.from);
        check_address(from_addr).map_err(|_| {
            SendError::transient(format!(
                "发件人地址“{}”无效，请检查 smtp.from 配置",
                self.cfg.from
            ))
        })?;
        match tokio::time::timeout(self.cfg.timeout, self.exchange(email, from_addr)).await {
            Ok(r) => r,
            Err(_) => Err(SendError::transient(format!(
                "邮件服务器 {}:{} 在 {} 秒内未完成发送",
                self.cfg.host,
                self.cfg.port,
                self.cfg.timeout.as_secs()
            ))),
        }
    }

    async fn exchange(&self, email: &Email<'_>, from_addr: &str) -> Result<(), SendError> {
        let host = format!("{}:{}", self.cfg.host, self.cfg.port);
        let stream = TcpStream::connect((self.cfg.host.as_str(), self.cfg.port))
            .await
            .map_err(|e| SendError::transient(format!("无法连接邮件服务器 {host}：{e}")))?;
        let (r, w) = stream.into_split();
        let mut c = Conn {
            r: BufReader::new(r),
            w,
            host,
        };
        let greeting = c.reply().await?;
        expect(greeting, "连接", &[220], false)?;
        let helo = if self.cfg.helo.is_empty() {
            "localhost"
        } else {
            self.cfg.helo.as_str()
        };
        if c.command(&format!("EHLO {helo}"), "EHLO", &[250], false)
            .await
            .is_err()
        {
            c.command(&format!("HELO {helo}"), "HELO", &[250], false)
                .await?;
        }
        if !self.cfg.username.is_empty() {
            c.command("AUTH LOGIN", "登录", &[334], false).await?;
            c.command(
                &base64(self.cfg.username.as_bytes()),
                "登录用户名",
                &[334],
                false,
            )
            .await?;
            c.command(
                &base64(self.cfg.password.as_bytes()),
                "登录（用户名或密码错误？）",
                &[235],
                false,
            )
            .await?;
        }
        c.command(&format!("MAIL FROM:<{from_addr}>"), "发件人", &[250], false)
            .await?;
        c.command(
            &format!("RCPT TO:<{}>", email.to),
            "收件人",
            &[250, 251],
            true,
        )
        .await?;
        c.command("DATA", "DATA", &[354], false).await?;
        let date = chrono::Utc::now().to_rfc2822();
        let text = format_message(&self.cfg.from, email, &date);
        c.w.write_all(text.as_bytes())
            .await
            .map_err(|e| SendError::transient(format!("发送邮件内容失败：{e}")))?;
        c.command(".", "邮件内容", &[250], true).await?;
        // The message is accepted; a failed QUIT changes nothing.
        let _ = c.command("QUIT", "QUIT", &[221], false).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_splits_name_and_address() {
        assert_eq!(
            split_from("督查室 <duban@gov.cn>"),
            (Some("督查室"), "duban@gov.cn")
        );
        assert_eq!(split_from("duban@gov.cn"), (None, "duban@gov.cn"));
        assert_eq!(split_from("<duban@gov.cn>"), (None, "duban@gov.cn"));
    }

    #[test]
    fn addresses_cannot_inject_commands() {
        assert!(check_address("a@b.cn").is_ok());
        for bad in [
            "",
            "a",
            "a@",
            "@b",
            "a@b\r\nRCPT TO:<x@y>",
            "a b@c",
            "<a@b>",
            "a@b@c",
        ] {
            let e = check_address(bad).unwrap_err();
            assert!(e.permanent, "{bad:?}");
        }
    }

    #[test]
    fn message_has_encoded_subject_and_base64_body() {
        let email = Email {
            to: "head@energy.gov.cn",
            subject: "【催办】推进充电桩建设",
            body: "市能源局：\n请立即办理。",
            key: "urge:7:deploy:2024-09-27:email:3",
        };
        let m = format_message(
            "督查室 <duban@gov.cn>",
            &email,
            "Mon, 30 Sep 2024 09:00:00 +0800",
        );
        assert!(
            m.contains("From: =?UTF-8?B?552j5p+l5a6k?= <duban@gov.cn>\r\n"),
            "{m}"
        );
        assert!(m.contains("Subject: =?UTF-8?B?"));
        assert!(m.contains("Message-ID: <urge.7.deploy.2024-09-27.email.3@gov.cn>\r\n"));
        assert!(m.contains("X-Duban-Key: urge:7:deploy:2024-09-27:email:3\r\n"));
        assert!(m.contains("Content-Transfer-Encoding: base64\r\n\r\n"));
        assert!(!m.contains("催办"));
        assert!(m.ends_with("\r\n"));
    }
}
