//! E-mail through one SMTP relay, with `lettre` over rustls: one connection
//! per message, encrypted by `STARTTLS` (the default) or from the first
//! byte (implicit TLS, port 465), then `AUTH` when a user name is
//! configured, `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`.
//!
//! The password never crosses the network in clear unless the configuration
//! says so in as many words: [`SmtpConfig::allow_auth_without_tls`], off by
//! default, is the only way to combine a user name with [`Tls::None`], and a
//! relay that does not offer `STARTTLS` is refused before anything is sent.
//! Certificates are always verified (see [`crate::tls`]).
//!
//! Each step has its own error, so the outbox knows what to do: a refused
//! recipient or message (5xx) is permanent; a refused sender or login, a
//! TLS failure, a dropped connection or a timeout is worth trying again
//! once the cause is mended.

use crate::message::{self, Email};
use crate::{tls, SendError};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::Error as SmtpError;
use lettre::Message;
use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tls {
    /// Plain TCP, then `STARTTLS` before anything else; a relay that does
    /// not offer it is refused. Submission port 587 (or a relay's 25).
    #[default]
    StartTls,
    /// TLS from the first byte (SMTPS), port 465.
    Implicit,
    /// No encryption: only for a relay on this host or a trusted segment.
    None,
}

impl Tls {
    /// The standard port of this way of connecting.
    pub fn default_port(self) -> u16 {
        match self {
            Tls::StartTls => 587,
            Tls::Implicit => 465,
            Tls::None => 25,
        }
    }
}

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
    /// The name this host gives in `EHLO`; empty: `localhost`.
    pub helo: String,
    /// The whole exchange for one message must finish within this; so must
    /// connecting.
    pub timeout: Duration,
    pub tls: Tls,
    /// Send the user name and password over a connection that is not
    /// encrypted ([`Tls::None`]). Off by default; when on, every start logs
    /// a warning.
    pub allow_auth_without_tls: bool,
    /// A PEM file of CA certificates trusted besides the system's store: the
    /// internal CA of a government network, or the relay's self-signed
    /// certificate itself.
    pub ca_file: Option<PathBuf>,
    /// The name the relay's certificate must carry; empty: `host`. For a
    /// relay reached by IP address whose certificate names it.
    pub tls_server_name: String,
}

impl Default for SmtpConfig {
    /// No relay; `STARTTLS` on port 587, 30 seconds a message.
    fn default() -> Self {
        SmtpConfig {
            host: String::new(),
            port: Tls::StartTls.default_port(),
            from: String::new(),
            username: String::new(),
            password: String::new(),
            helo: String::new(),
            timeout: Duration::from_secs(30),
            tls: Tls::StartTls,
            allow_auth_without_tls: false,
            ca_file: None,
            tls_server_name: String::new(),
        }
    }
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
            .field("tls", &self.tls)
            .field("allow_auth_without_tls", &self.allow_auth_without_tls)
            .field("ca_file", &self.ca_file)
            .field("tls_server_name", &self.tls_server_name)
            .finish()
    }
}

/// Sends e-mail through one SMTP server.
#[derive(Clone)]
pub struct SmtpSender {
    cfg: SmtpConfig,
    from: Mailbox,
    hello: ClientId,
    /// `None` with [`Tls::None`].
    tls: Option<TlsParameters>,
}

impl fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSender")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

/// A refusal's code and text (`550 5.1.1 No such user here`), or the error.
fn reply(e: &SmtpError) -> String {
    match (e.status(), e.source()) {
        (Some(code), Some(text)) => format!("{code} {text}"),
        _ => e.to_string(),
    }
}

impl SmtpSender {
    /// Checks the configuration and prepares TLS (reading `ca_file`); a
    /// configuration that would send a password in clear without saying so
    /// is refused.
    pub fn new(cfg: SmtpConfig) -> Result<SmtpSender, String> {
        if cfg.host.trim().is_empty() {
            return Err("smtp.host 为空".into());
        }
        if cfg.port == 0 {
            return Err("smtp.port 不能为 0".into());
        }
        let from = message::sender(&cfg.from)?;
        let auth = !cfg.username.is_empty();
        if cfg.tls == Tls::None && auth && !cfg.allow_auth_without_tls {
            return Err(
                "已配置 smtp.username，但 smtp.tls = \"none\"：用户名和密码将以明文在网络上传输，已拒绝。请改用 smtp.tls = \"starttls\"（587 端口）或 \"implicit\"（465 端口）；只有在可信网络上且中继不支持加密时，才可明确设置 smtp.allow_auth_without_tls = true".into(),
            );
        }
        let tls = match cfg.tls {
            Tls::None => {
                if auth {
                    tracing::warn!(host = %cfg.host, "smtp.allow_auth_without_tls is on: the mail password crosses the network in clear");
                } else {
                    tracing::warn!(host = %cfg.host, "smtp.tls is none: e-mail to the relay is not encrypted");
                }
                None
            }
            Tls::StartTls | Tls::Implicit => {
                Some(tls::parameters(cfg.server_name(), cfg.ca_file.as_deref())?)
            }
        };
        let hello = ClientId::Domain(if cfg.helo.is_empty() {
            "localhost".into()
        } else {
            cfg.helo.clone()
        });
        Ok(SmtpSender {
            cfg,
            from,
            hello,
            tls,
        })
    }

    pub fn config(&self) -> &SmtpConfig {
        &self.cfg
    }

    /// Sends one e-mail. A 5xx refusal of the recipient or of the message
    /// is permanent; everything else (4xx, a refused login, a TLS failure,
    /// a dropped connection, a timeout) is worth trying again.
    pub async fn send(&self, email: &Email<'_>) -> Result<(), SendError> {
        let to = message::recipient(email.to)?;
        let message = message::build(&self.from, &to, email, SystemTime::now())?;
        match tokio::time::timeout(self.cfg.timeout, self.exchange(&message)).await {
            Ok(r) => r,
            Err(_) => Err(SendError::transient(format!(
                "邮件服务器 {} 在 {} 秒内未完成发送{}",
                self.server(),
                self.cfg.timeout.as_secs(),
                self.mode_hint()
            ))),
        }
    }

    fn server(&self) -> String {
        format!("{}:{}", self.cfg.host, self.cfg.port)
    }

    /// A hint for a silent relay: a TLS mode that does not fit the port
    /// looks like one.
    fn mode_hint(&self) -> &'static str {
        match (self.cfg.tls, self.cfg.port) {
            (Tls::StartTls | Tls::None, 465) => "（465 端口通常要求 smtp.tls = \"implicit\"）",
            (Tls::Implicit, 25 | 587) => "（25、587 端口通常应为 smtp.tls = \"starttls\"）",
            _ => "",
        }
    }

    /// What went wrong with TLS, if that is what `e` is.
    fn tls_failure(&self, e: &SmtpError) -> Option<SendError> {
        tls::explain(e, self.cfg.server_name())
            .map(|why| SendError::transient(format!("邮件服务器 {}：{why}", self.server())))
    }

    async fn exchange(&self, message: &Message) -> Result<(), SendError> {
        let implicit = match self.cfg.tls {
            Tls::Implicit => self.tls.clone(),
            Tls::StartTls | Tls::None => None,
        };
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (self.cfg.host.as_str(), self.cfg.port),
            Some(self.cfg.timeout),
            &self.hello,
            implicit,
            None,
        )
        .await
        .map_err(|e| {
            self.tls_failure(&e).unwrap_or_else(|| {
                let server = self.server();
                if e.status().is_some() {
                    SendError::transient(format!("邮件服务器 {server} 拒绝了连接：{}", reply(&e)))
                } else {
                    SendError::transient(format!(
                        "无法连接邮件服务器 {server}：{e}{}",
                        self.mode_hint()
                    ))
                }
            })
        })?;
        if let (Tls::StartTls, Some(params)) = (self.cfg.tls, &self.tls) {
            self.starttls(&mut conn, params).await?;
        }
        let result = self.session(&mut conn, message).await;
        // QUIT and close, sent or not; the outcome is already decided.
        conn.abort().await;
        result
    }

    /// Upgrades the connection before anything else is said. After a failed
    /// upgrade the connection is only dropped: lettre's stream is gone.
    async fn starttls(
        &self,
        conn: &mut AsyncSmtpConnection,
        params: &TlsParameters,
    ) -> Result<(), SendError> {
        let server = self.server();
        if !conn.can_starttls() {
            conn.abort().await;
            return Err(SendError::transient(format!(
                "邮件服务器 {server} 不支持 STARTTLS，未发送任何内容（也未发送用户名和密码）。465 端口请设 smtp.tls = \"implicit\"；中继确实不支持加密时，只可在可信网络上设 smtp.tls = \"none\""
            )));
        }
        conn.starttls(params.clone(), &self.hello)
            .await
            .map_err(|e| {
                self.tls_failure(&e).unwrap_or_else(|| {
                    SendError::transient(format!("邮件服务器 {server} STARTTLS 失败：{e}"))
                })
            })
    }

    /// After connecting (and `STARTTLS`): the login and the message.
    async fn session(
        &self,
        conn: &mut AsyncSmtpConnection,
        message: &Message,
    ) -> Result<(), SendError> {
        let server = self.server();
        if !self.cfg.username.is_empty() {
            if !conn.is_encrypted() && !self.cfg.allow_auth_without_tls {
                return Err(SendError::transient(format!(
                    "与邮件服务器 {server} 的连接未加密，不发送用户名和密码"
                )));
            }
            let credentials =
                Credentials::new(self.cfg.username.clone(), self.cfg.password.clone());
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .await
                .map_err(|e| {
                    SendError::transient(format!(
                        "邮件服务器 {server} 拒绝登录（请检查 smtp.username 和 smtp.password）：{}",
                        reply(&e)
                    ))
                })?;
        }
        let envelope = message.envelope();
        conn.command(Mail::new(envelope.from().cloned(), vec![]))
            .await
            .map_err(|e| {
                SendError::transient(format!(
                    "邮件服务器拒绝发件人 {}（请检查 smtp.from）：{}",
                    self.from.email,
                    reply(&e)
                ))
            })?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![]))
                .await
                .map_err(|e| refusal(&e, format!("邮件服务器拒绝收件人 {to}：{}", reply(&e))))?;
        }
        conn.command(Data)
            .await
            .map_err(|e| SendError::transient(format!("邮件服务器拒绝 DATA：{}", reply(&e))))?;
        conn.message(&message.formatted())
            .await
            .map_err(|e| refusal(&e, format!("邮件服务器拒绝邮件内容：{}", reply(&e))))?;
        Ok(())
    }
}

/// `text` as a permanent failure when `e` is a 5xx refusal, else transient.
fn refusal(e: &SmtpError, text: String) -> SendError {
    if e.is_permanent() {
        SendError::permanent(text)
    } else {
        SendError::transient(text)
    }
}

impl SmtpConfig {
    /// The name the relay's certificate is checked for.
    pub fn server_name(&self) -> &str {
        if self.tls_server_name.trim().is_empty() {
            self.host.trim()
        } else {
            self.tls_server_name.trim()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SmtpConfig {
        SmtpConfig {
            host: "mail.gov.cn".into(),
            from: "督查室 <duban@gov.cn>".into(),
            username: "duban".into(),
            password: "pw".into(),
            ..SmtpConfig::default()
        }
    }

    #[test]
    fn a_password_in_clear_needs_the_setting_that_says_so() {
        let plain = SmtpConfig {
            tls: Tls::None,
            port: 25,
            ..config()
        };
        let e = SmtpSender::new(plain.clone()).unwrap_err();
        assert!(e.contains("smtp.allow_auth_without_tls"), "{e}");
        assert!(SmtpSender::new(SmtpConfig {
            allow_auth_without_tls: true,
            ..plain.clone()
        })
        .is_ok());
        // Without a user name nothing secret is sent.
        assert!(SmtpSender::new(SmtpConfig {
            username: String::new(),
            ..plain
        })
        .is_ok());
        assert!(SmtpSender::new(config()).is_ok());
    }

    #[test]
    fn bad_settings_name_the_key() {
        for (cfg, key) in [
            (
                SmtpConfig {
                    from: "督查室".into(),
                    ..config()
                },
                "smtp.from",
            ),
            (
                SmtpConfig {
                    port: 0,
                    ..config()
                },
                "smtp.port",
            ),
            (
                SmtpConfig {
                    tls_server_name: "not a name".into(),
                    ..config()
                },
                "smtp.tls_server_name",
            ),
        ] {
            let e = SmtpSender::new(cfg).unwrap_err();
            assert!(e.contains(key), "{key}: {e}");
        }
    }

    #[test]
    fn the_certificate_is_checked_for_the_name_given() {
        assert_eq!(config().server_name(), "mail.gov.cn");
        let by_ip = SmtpConfig {
            host: "10.0.0.5".into(),
            tls_server_name: "relay.gov.internal".into(),
            ..config()
        };
        assert_eq!(by_ip.server_name(), "relay.gov.internal");
        assert!(!format!("{by_ip:?}").contains("\"pw\""));
    }
}
