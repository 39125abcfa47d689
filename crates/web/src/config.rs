//! Typed, layered configuration: defaults, then a TOML file, then `DUBAN_*`
//! environment variables; checked at start-up. Secrets never print.

use duban_domain::clock::LocalTime;
use serde::Deserialize;
use std::fmt;

/// A value that must not appear in logs.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

/// How the connection to the mail relay is protected.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain connection upgraded with `STARTTLS` before anything is sent;
    /// a relay without it is refused.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, port 465).
    Implicit,
    /// No encryption: a relay on this host or a trusted segment only.
    None,
}

/// Where reminders and urgings go out.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Smtp {
    /// Empty: e-mail is not sent.
    pub host: String,
    /// Absent: the standard port of `tls` (587, 465 or 25).
    pub port: Option<u16>,
    pub from: String,
    pub username: String,
    pub password: Secret,
    pub tls: SmtpTls,
    /// Send the user name and password over a connection that is not
    /// encrypted (`tls = "none"`); off by default.
    pub allow_auth_without_tls: bool,
    /// A PEM file of CA certificates trusted besides the system's (an
    /// internal CA, or the relay's self-signed certificate); empty: none.
    pub ca_file: String,
    /// The name the relay's certificate must carry; empty: `host`.
    pub tls_server_name: String,
}

/// Account rules (等保 level 3 身份鉴别): the configuration file gives the
/// starting values; once the security admin changes them
/// (`PUT /api/v1/security/settings`) the database's copy rules.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Accounts {
    pub password_min_length: usize,
    /// Of lower-case, upper-case, digits and other characters.
    pub password_min_classes: usize,
    /// Earlier passwords a new one may not repeat.
    pub password_history: usize,
    /// Failed log-ins in a row that lock an account.
    pub max_failed_logins: i64,
    pub lock_minutes: i64,
    /// A session unused this long ends, whatever its absolute expiry.
    pub idle_minutes: i64,
    /// Log-in attempts one address may make in a minute.
    pub login_attempts_per_minute: u32,
    /// The three admin roles must log in with a TOTP code as well.
    pub totp_for_admins: bool,
    /// Writes (unsafe requests) one user may make in a minute.
    pub writes_per_minute: u32,
}

impl Default for Accounts {
    fn default() -> Self {
        Accounts {
            password_min_length: 10,
            password_min_classes: 3,
            password_history: 5,
            max_failed_logins: 5,
            lock_minutes: 15,
            idle_minutes: 30,
            login_attempts_per_minute: 20,
            totp_for_admins: false,
            writes_per_minute: 300,
        }
    }
}

impl Accounts {
    pub fn password_policy(&self) -> duban_domain::password::PasswordPolicy {
        duban_domain::password::PasswordPolicy {
            min_length: self.password_min_length,
            min_classes: self.password_min_classes,
            history: self.password_history,
        }
    }
}

/// The whole configuration; see `duban.example.toml` for every key.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://duban.db` (default) or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub listen: String,
    /// How long a browser session lasts, in hours.
    pub session_hours: i64,
    /// Offset of local time from UTC in hours (China: 8).
    pub utc_offset_hours: i32,
    /// Seconds between two sweeps inside `duban serve`; 0 turns the sweep off.
    pub sweep_interval_secs: u64,
    /// A JSON POST robot (DingTalk/WeCom style) for reminders; empty: none.
    pub webhook_url: String,
    pub smtp: Smtp,
    /// A name for this server, used to claim outbox messages.
    pub server_name: String,
    /// Served behind a TLS-terminating proxy: cookies get `Secure`, every
    /// answer carries HSTS, and the proxy's `X-Real-IP` names the client.
    pub behind_tls: bool,
    /// A bearer token that opens `/metrics` from anywhere; empty: only
    /// from this host, not through a proxy.
    pub metrics_token: Secret,
    /// Seconds a connection may take to send a request's head; a slower
    /// one is closed.
    pub header_timeout_secs: u64,
    /// Seconds a whole request may take, its body included.
    pub request_timeout_secs: u64,
    /// Connections open at once; more wait until one closes.
    pub max_connections: usize,
    pub accounts: Accounts,
    /// The search index's folder; empty: beside an SQLite database
    /// (`duban.db.search`), or for PostgreSQL a folder of this server's own
    /// under the temporary directory (rebuilt at start).
    pub search_dir: String,
    /// Seconds between two looks at the event log for changes to index.
    pub search_poll_secs: u64,
    /// The event chain's hash for a new database: `sha256` or `sm3`
    /// (密评). Stored when the database is made; never changed later.
    pub chain_hash: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://duban.db".into(),
            listen: "127.0.0.1:8080".into(),
            session_hours: 8,
            utc_offset_hours: 8,
            sweep_interval_secs: 300,
            webhook_url: String::new(),
            smtp: Smtp::default(),
            server_name: "duban".into(),
            behind_tls: false,
            metrics_token: Secret::default(),
            header_timeout_secs: 10,
            request_timeout_secs: 300,
            max_connections: 1024,
            accounts: Accounts::default(),
            search_dir: String::new(),
            search_poll_secs: 2,
            chain_hash: "sha256".into(),
        }
    }
}

impl Config {
    /// The configured local time: the one conversion of UTC instants to
    /// the local dates and times people read (Beijing unless configured).
    pub fn clock(&self) -> LocalTime {
        LocalTime::new(self.utc_offset_hours)
    }

    /// Defaults, then `file` (if given), then the environment.
    pub fn load(
        file: Option<&str>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, String> {
        let mut cfg = match file {
            Some(text) => {
                toml::from_str::<Config>(text).map_err(|e| format!("配置文件有误：{e}"))?
            }
            None => Config::default(),
        };
        for (k, v) in env {
            let Some(key) = k.strip_prefix("DUBAN_") else {
                continue;
            };
            let bad = |what: &str| format!("环境变量 {k}={v} 不是有效的{what}");
            match key {
                "DATABASE_URL" => cfg.database_url = v,
                "LISTEN" => cfg.listen = v,
                "SESSION_HOURS" => cfg.session_hours = v.parse().map_err(|_| bad("小时数"))?,
                "UTC_OFFSET_HOURS" => cfg.utc_offset_hours = v.parse().map_err(|_| bad("时差"))?,
                "SWEEP_INTERVAL_SECS" => {
                    cfg.sweep_interval_secs = v.parse().map_err(|_| bad("秒数"))?
                }
                "WEBHOOK_URL" => cfg.webhook_url = v,
                "SERVER_NAME" => cfg.server_name = v,
                "BEHIND_TLS" => {
                    cfg.behind_tls = v.parse().map_err(|_| bad("开关（true 或 false）"))?
                }
                "METRICS_TOKEN" => cfg.metrics_token = Secret(v),
                "HEADER_TIMEOUT_SECS" => {
                    cfg.header_timeout_secs = v.parse().map_err(|_| bad("秒数"))?
                }
                "REQUEST_TIMEOUT_SECS" => {
                    cfg.request_timeout_secs = v.parse().map_err(|_| bad("秒数"))?
                }
                "MAX_CONNECTIONS" => cfg.max_connections = v.parse().map_err(|_| bad("连接数"))?,
                "SEARCH_DIR" => cfg.search_dir = v,
                "SEARCH_POLL_SECS" => cfg.search_poll_secs = v.parse().map_err(|_| bad("秒数"))?,
                "CHAIN_HASH" => cfg.chain_hash = v,
                "SMTP_HOST" => cfg.smtp.host = v,
                "SMTP_PORT" => cfg.smtp.port = Some(v.parse().map_err(|_| bad("端口"))?),
                "SMTP_FROM" => cfg.smtp.from = v,
                "SMTP_USERNAME" => cfg.smtp.username = v,
                "SMTP_PASSWORD" => cfg.smtp.password = Secret(v),
                "SMTP_TLS" => {
                    cfg.smtp.tls = match v.as_str() {
                        "starttls" => SmtpTls::Starttls,
                        "implicit" => SmtpTls::Implicit,
                        "none" => SmtpTls::None,
                        _ => return Err(bad("加密方式（starttls、implicit 或 none）")),
                    }
                }
                "SMTP_ALLOW_AUTH_WITHOUT_TLS" => {
                    cfg.smtp.allow_auth_without_tls =
                        v.parse().map_err(|_| bad("开关（true 或 false）"))?
                }
                "SMTP_CA_FILE" => cfg.smtp.ca_file = v,
                "SMTP_TLS_SERVER_NAME" => cfg.smtp.tls_server_name = v,
                // DUBAN_CONFIG names the file; others are not ours to refuse.
                _ => {}
            }
        }
        cfg.check()?;
        Ok(cfg)
    }

    /// Where the search index lives (see [`Config::search_dir`]).
    pub fn search_path(&self) -> std::path::PathBuf {
        if !self.search_dir.is_empty() {
            return self.search_dir.clone().into();
        }
        let file = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|p| p.split('?').next().unwrap_or(p))
            .filter(|p| !p.is_empty() && !p.contains(":memory:"));
        match file {
            Some(p) => format!("{p}.search").into(),
            None => {
                // Several servers may run in one process (tests): each its own.
                static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
                std::env::temp_dir().join(format!(
                    "duban-search-{}-{}-{}",
                    self.server_name
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
                    std::process::id(),
                    N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                ))
            }
        }
    }

    fn check(&self) -> Result<(), String> {
        if !(self.database_url.starts_with("sqlite:") || self.database_url.starts_with("postgres"))
        {
            return Err(format!(
                "database_url “{}” 应以 sqlite: 或 postgres:// 开头",
                self.database_url
            ));
        }
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(format!(
                "listen “{}” 不是有效的地址（例如 127.0.0.1:8080）",
                self.listen
            ));
        }
        if !(1..=24 * 30).contains(&self.session_hours) {
            return Err("session_hours 应在 1 到 720 之间".into());
        }
        if !(1..=300).contains(&self.header_timeout_secs) {
            return Err("header_timeout_secs 应在 1 到 300 之间".into());
        }
        if !(1..=3600).contains(&self.request_timeout_secs) {
            return Err("request_timeout_secs 应在 1 到 3600 之间".into());
        }
        if !(1..=100_000).contains(&self.max_connections) {
            return Err("max_connections 应在 1 到 100000 之间".into());
        }
        let a = &self.accounts;
        if !(8..=64).contains(&a.password_min_length) || !(1..=4).contains(&a.password_min_classes)
        {
            return Err("[accounts] password_min_length 应在 8 到 64 之间，password_min_classes 应在 1 到 4 之间".into());
        }
        if a.max_failed_logins < 1 || a.lock_minutes < 1 || a.idle_minutes < 1 {
            return Err(
                "[accounts] max_failed_logins、lock_minutes、idle_minutes 应至少为 1".into(),
            );
        }
        if !(1..=3600).contains(&self.search_poll_secs) {
            return Err("search_poll_secs 应在 1 到 3600 之间".into());
        }
        if duban_domain::events::ChainHash::parse(&self.chain_hash).is_none() {
            return Err(format!(
                "chain_hash 应为 sha256 或 sm3（收到“{}”）",
                self.chain_hash
            ));
        }
        if !(-12..=14).contains(&self.utc_offset_hours) {
            return Err("utc_offset_hours 应在 -12 到 14 之间".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn layers_apply_in_order() {
        let file =
            "listen = \"0.0.0.0:9000\"\n[smtp]\nhost = \"mail.gov\"\npassword = \"s3cret\"\n";
        let cfg = Config::load(
            Some(file),
            env(&[("DUBAN_LISTEN", "127.0.0.1:9001"), ("PATH", "/bin")]),
        )
        .unwrap();
        assert_eq!(cfg.listen, "127.0.0.1:9001");
        assert_eq!(cfg.smtp.host, "mail.gov");
        assert_eq!(cfg.database_url, "sqlite://duban.db");
        assert!(!format!("{cfg:?}").contains("s3cret"));
    }

    #[test]
    fn the_example_file_documents_the_defaults() {
        let example = include_str!("../../../duban.example.toml");
        assert_eq!(
            Config::load(Some(example), env(&[])).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        assert!(Config::load(Some("lisen = 1"), env(&[]))
            .unwrap_err()
            .contains("配置文件有误"));
        assert!(Config::load(None, env(&[("DUBAN_SESSION_HOURS", "x")]))
            .unwrap_err()
            .contains("DUBAN_SESSION_HOURS"));
        assert!(
            Config::load(None, env(&[("DUBAN_DATABASE_URL", "mysql://x")]))
                .unwrap_err()
                .contains("database_url")
        );
        assert!(Config::load(None, env(&[("DUBAN_SMTP_TLS", "ssl")]))
            .unwrap_err()
            .contains("starttls、implicit 或 none"));
        assert!(Config::load(Some("[smtp]\ntls = \"ssl\"\n"), env(&[]))
            .unwrap_err()
            .contains("配置文件有误"));
    }

    #[test]
    fn mail_tls_is_on_unless_turned_off_in_so_many_words() {
        let cfg = Config::default();
        assert_eq!(cfg.smtp.tls, SmtpTls::Starttls);
        assert!(!cfg.smtp.allow_auth_without_tls);
        assert_eq!(cfg.smtp.port, None);
        let file = "[smtp]\nhost = \"10.0.0.5\"\ntls = \"implicit\"\nca_file = \"/etc/duban/relay-ca.pem\"\ntls_server_name = \"mail.gov.internal\"\n";
        let cfg = Config::load(Some(file), env(&[])).unwrap();
        assert_eq!(cfg.smtp.tls, SmtpTls::Implicit);
        assert_eq!(cfg.smtp.ca_file, "/etc/duban/relay-ca.pem");
        assert_eq!(cfg.smtp.tls_server_name, "mail.gov.internal");
        let cfg = Config::load(
            Some(file),
            env(&[
                ("DUBAN_SMTP_TLS", "none"),
                ("DUBAN_SMTP_ALLOW_AUTH_WITHOUT_TLS", "true"),
                ("DUBAN_SMTP_PORT", "2525"),
            ]),
        )
        .unwrap();
        assert_eq!(cfg.smtp.tls, SmtpTls::None);
        assert!(cfg.smtp.allow_auth_without_tls);
        assert_eq!(cfg.smtp.port, Some(2525));
    }
}
