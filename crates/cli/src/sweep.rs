//! `duban sweep`: one sweep on demand (queue the reminders, urgings and
//! escalations owed today, then send what is due); and the periodic sweep
//! inside `duban serve`. The work is `duban_notify`'s; this maps the
//! configuration and prints a summary in Chinese.

use crate::common::{init_tracing, runtime, ConfigArg};
use chrono::{NaiveDate, Utc};
use duban_notify::{DeliveryReport, NotifyConfig, SmtpConfig, SweepReport, Tls};
use duban_store::Store;
use duban_web::config::SmtpTls;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArg,
    /// Sweep as of this day (YYYY-MM-DD) instead of today in the configured
    /// UTC offset; delivery still happens now.
    #[arg(long)]
    date: Option<NaiveDate>,
}

/// The notify crate's configuration from the server's.
pub fn notify_config(c: &duban_web::Config) -> NotifyConfig {
    let tls = match c.smtp.tls {
        SmtpTls::Starttls => Tls::StartTls,
        SmtpTls::Implicit => Tls::Implicit,
        SmtpTls::None => Tls::None,
    };
    let ca_file = c.smtp.ca_file.trim();
    let smtp = (!c.smtp.host.trim().is_empty()).then(|| SmtpConfig {
        host: c.smtp.host.trim().to_string(),
        port: c.smtp.port.unwrap_or(tls.default_port()),
        from: c.smtp.from.clone(),
        username: c.smtp.username.clone(),
        password: c.smtp.password.0.clone(),
        helo: c.server_name.clone(),
        timeout: Duration::from_secs(30),
        tls,
        allow_auth_without_tls: c.smtp.allow_auth_without_tls,
        ca_file: (!ca_file.is_empty()).then(|| PathBuf::from(ca_file)),
        tls_server_name: c.smtp.tls_server_name.trim().to_string(),
    });
    let webhook_url = Some(c.webhook_url.trim().to_string()).filter(|u| !u.is_empty());
    NotifyConfig {
        smtp,
        webhook_url,
        server_name: c.server_name.clone(),
        utc_offset_hours: c.utc_offset_hours,
        ..NotifyConfig::default()
    }
}

pub fn run(args: &Args) -> ExitCode {
    init_tracing();
    let config = match args.config.load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("duban sweep: {e}");
            return ExitCode::FAILURE;
        }
    };
    let date = args.date;
    runtime().block_on(async move {
        match once(&config, date).await {
            Ok(summary) => {
                println!("{summary}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("duban sweep: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

async fn once(config: &duban_web::Config, date: Option<NaiveDate>) -> Result<String, String> {
    let nc = notify_config(config);
    let senders = nc.senders()?;
    let store = Store::open(&config.database_url)
        .await
        .map_err(|e| format!("无法打开数据库：{e}"))?;
    let cal = store
        .calendar()
        .await
        .map_err(|e| format!("无法读取节假日日历：{e}"))?;
    let now = Utc::now();
    let today = date.unwrap_or_else(|| nc.today(now));
    let swept = duban_notify::sweep(&store, &cal, today, &nc.sweep_params())
        .await
        .map_err(|e| format!("扫描失败：{e}"))?;
    // After the sweep: what it queued is due now.
    let delivered = duban_notify::deliver(&store, &senders, &nc.server_name, Utc::now())
        .await
        .map_err(|e| format!("发送失败：{e}"))?;
    let status = store
        .outbox_status(Utc::now())
        .await
        .map_err(|e| format!("无法读取待发消息：{e}"))?;
    store.close().await;
    let mut out = summary(today, &nc, &swept, &delivered);
    out.push_str(&format!(
        "\n待发送 {} 条（其中等待重试 {} 条），已发送累计 {} 条，已放弃 {} 条",
        status.pending, status.retrying, status.sent, status.failed
    ));
    Ok(out)
}

/// The Chinese summary of one run.
fn summary(today: NaiveDate, nc: &NotifyConfig, s: &SweepReport, d: &DeliveryReport) -> String {
    let mut out = format!(
        "督办扫描 {today}（服务器 {}）\n检查办理记录 {} 条：临近提醒 {} 项，催办 {} 项，升级督办 {} 项；新排队消息 {} 条",
        nc.server_name, s.tracks, s.reminded, s.urged, s.escalated, s.queued
    );
    if s.unaddressed > 0 {
        out.push_str(&format!(
            "\n有 {} 项提醒找不到接收人（单位未设第一责任人或联络员的邮箱、未设分管领导，且未配置 webhook）",
            s.unaddressed
        ));
    }
    if nc.smtp.is_none() && nc.webhook_url.is_none() {
        out.push_str("\n未配置邮件（smtp.host）和 webhook_url：提醒不会排队发送");
    }
    out.push_str(&format!(
        "\n本次发送成功 {} 条，失败 {} 条（稍后重试 {} 条，已放弃 {} 条）",
        d.sent,
        d.retrying + d.gave_up,
        d.retrying,
        d.gave_up
    ));
    for e in &d.errors {
        out.push_str(&format!("\n  发送失败：{e}"));
    }
    if s.error_count > 0 {
        out.push_str(&format!("\n有 {} 条办理记录无法判断时限：", s.error_count));
        for e in &s.errors {
            out.push_str(&format!("\n  {e}"));
        }
    }
    out
}

/// Starts the periodic sweep and sender for `duban serve`, if configured
/// (`sweep_interval_secs` > 0); an unusable mail or webhook configuration
/// is logged by the task, which then ends.
pub fn spawn_periodic(
    store: Store,
    config: &duban_web::Config,
) -> Option<tokio::task::JoinHandle<()>> {
    if config.sweep_interval_secs == 0 {
        return None;
    }
    let nc = notify_config(config);
    Some(duban_notify::run_periodic(
        store,
        nc,
        Duration::from_secs(config.sweep_interval_secs),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_maps_to_notify() {
        let mut c = duban_web::Config::default();
        let nc = notify_config(&c);
        assert!(nc.smtp.is_none() && nc.webhook_url.is_none());
        assert_eq!(nc.utc_offset_hours, 8);
        c.smtp.host = "mail.gov.cn".into();
        c.smtp.from = "duban@gov.cn".into();
        c.smtp.password = duban_web::config::Secret("pw".into());
        c.webhook_url = " https://oapi.dingtalk.com/robot/send?access_token=x ".into();
        c.server_name = "node-1".into();
        let nc = notify_config(&c);
        let smtp = nc.smtp.as_ref().unwrap();
        assert_eq!(
            (smtp.host.as_str(), smtp.port, smtp.password.as_str()),
            ("mail.gov.cn", 587, "pw")
        );
        assert_eq!((smtp.tls, smtp.ca_file.as_ref()), (Tls::StartTls, None));
        assert_eq!(smtp.helo, "node-1");
        assert!(!format!("{nc:?}").contains("\"pw\""));
        assert_eq!(
            nc.webhook_url.as_deref(),
            Some("https://oapi.dingtalk.com/robot/send?access_token=x")
        );
        assert!(nc.senders().is_ok());
        let p = nc.sweep_params();
        assert!(p.email && p.webhook);

        // Implicit TLS on its standard port, a CA file; a login in clear
        // is refused unless allowed in so many words.
        c.smtp.tls = SmtpTls::Implicit;
        c.smtp.ca_file = " /etc/duban/relay-ca.pem ".into();
        let smtp = notify_config(&c).smtp.unwrap();
        assert_eq!(smtp.port, 465);
        assert_eq!(
            smtp.ca_file.as_deref(),
            Some(std::path::Path::new("/etc/duban/relay-ca.pem"))
        );
        c.smtp.tls = SmtpTls::None;
        c.smtp.ca_file.clear();
        c.smtp.username = "duban".into();
        let e = notify_config(&c).senders().unwrap_err();
        assert!(e.contains("smtp.allow_auth_without_tls"), "{e}");
        c.smtp.allow_auth_without_tls = true;
        let nc = notify_config(&c);
        assert_eq!(nc.smtp.as_ref().unwrap().port, 25);
        assert!(nc.senders().is_ok());
    }
}
