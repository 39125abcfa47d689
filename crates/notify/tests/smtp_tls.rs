//! The SMTP sender against a real server on 127.0.0.1 with certificates made
//! in the test: STARTTLS and implicit TLS deliver, with the login only after
//! encryption; a password goes in clear only when the configuration says so;
//! a certificate not trusted, or for another name, is refused with an error
//! that says what to configure; Chinese subjects and bodies arrive intact.

mod common;

use common::certs::{internal_ca, self_signed};
use common::*;
use duban_notify::{Email, SmtpConfig, SmtpSender, Tls};
use std::time::Duration;

/// Long enough to need several encoded words; a character outside the
/// Basic Multilingual Plane (four bytes in UTF-8) among them.
const SUBJECT: &str =
    "【催办】关于推进全市公共充电基础设施建设的督办事项（第二批）——请吉𠮷祥同志于“十一”前反馈";
const BODY: &str = "市能源局：\n督办事项“推进充电桩建设”的首次反馈时限为2024年10月8日。\n.以句点开头的一行\n\n附：进度表 ① ② ③，联系人 𠮷 同志。";

fn email(key: &str) -> Email<'_> {
    Email {
        to: "head@energy.gov.cn",
        subject: SUBJECT,
        body: BODY,
        key,
    }
}

fn sender(config: SmtpConfig) -> SmtpSender {
    SmtpSender::new(config).unwrap()
}

/// Sends with `config` and wants a failure worth trying again, with
/// nothing delivered; its text.
async fn refused(sink: &SmtpSink, config: SmtpConfig) -> String {
    let e = sender(config).send(&email("refused")).await.unwrap_err();
    assert!(!e.permanent, "{e}");
    assert!(sink.mails().is_empty(), "{e}");
    e.message
}

/// The verbs a sink received in clear.
fn in_clear(sink: &SmtpSink) -> Vec<String> {
    sink.commands
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, encrypted)| !encrypted)
        .map(|(v, _)| v.clone())
        .collect()
}

/// The one message a sink received, read back as sent.
fn the_mail(sink: &SmtpSink) -> Mail {
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{:?}", sink.verbs());
    let m = mails.into_iter().next().unwrap();
    assert_eq!(m.subject, SUBJECT);
    assert_eq!(m.body, BODY);
    assert_eq!(decode_header(&m.headers["from"]), "督查室 <duban@gov.cn>");
    assert_eq!(m.mail_from, "duban@gov.cn");
    assert_eq!(m.rcpt_to, ["head@energy.gov.cn"]);
    assert!(m.raw.is_ascii(), "only ASCII on the wire");
    for line in m.raw.split("\r\n") {
        assert!(
            line.len() <= 78,
            "a line of {} characters: {line}",
            line.len()
        );
    }
    m
}

#[tokio::test]
async fn starttls_delivers_and_logs_in_only_after_encryption() {
    let sink = SmtpSink::start(Some(("duban", "s3cret"))).await;
    sender(sink.config()).send(&email("k1")).await.unwrap();
    let m = the_mail(&sink);
    assert!(m.encrypted);
    assert_eq!(m.auth_user.as_deref(), Some("duban"));
    assert_eq!(m.key(), "k1");
    assert_eq!(sink.auth_seen(), [("duban".to_string(), true)]);
    assert_eq!(in_clear(&sink), ["EHLO", "STARTTLS"]);
    assert_eq!(
        sink.verbs(),
        ["EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"]
    );
}

#[tokio::test]
async fn implicit_tls_delivers() {
    let cert = internal_ca(&["127.0.0.1"]);
    let sink = SmtpSink::start_with(Some(("duban", "s3cret")), SinkTls::Implicit(cert)).await;
    sender(sink.config()).send(&email("k2")).await.unwrap();
    let m = the_mail(&sink);
    assert!(m.encrypted);
    assert_eq!(m.auth_user.as_deref(), Some("duban"));
    assert!(in_clear(&sink).is_empty(), "{:?}", sink.verbs());
    assert_eq!(sink.auth_seen(), [("duban".to_string(), true)]);
}

#[tokio::test]
async fn a_password_goes_in_clear_only_when_the_configuration_says_so() {
    // A lax relay: no STARTTLS, AUTH offered in clear.
    let sink = SmtpSink::start_with(Some(("duban", "s3cret")), SinkTls::None).await;

    // Expecting STARTTLS (the default): nothing is sent, not even the login.
    let e = refused(
        &sink,
        SmtpConfig {
            tls: Tls::StartTls,
            ..sink.config()
        },
    )
    .await;
    assert!(e.contains("不支持 STARTTLS"), "{e}");
    assert!(e.contains("smtp.tls"), "{e}");
    assert!(sink.auth_seen().is_empty());
    assert_eq!(sink.verbs(), ["EHLO", "QUIT"]);

    // No TLS and a user name: refused before any connection.
    let plain = sink.config();
    assert_eq!(plain.tls, Tls::None);
    let e = SmtpSender::new(plain.clone()).unwrap_err();
    assert!(e.contains("明文"), "{e}");
    assert!(e.contains("smtp.allow_auth_without_tls = true"), "{e}");
    assert_eq!(sink.verbs(), ["EHLO", "QUIT"]);

    // Said in as many words: delivered, the login in clear.
    let allowed = sender(SmtpConfig {
        allow_auth_without_tls: true,
        ..plain
    });
    allowed.send(&email("k3")).await.unwrap();
    let m = the_mail(&sink);
    assert!(!m.encrypted);
    assert_eq!(m.auth_user.as_deref(), Some("duban"));
    assert_eq!(sink.auth_seen(), [("duban".to_string(), false)]);
}

#[tokio::test]
async fn a_certificate_not_trusted_is_refused_with_a_clear_error() {
    for implicit in [false, true] {
        let cert = internal_ca(&["127.0.0.1"]);
        let tls = if implicit {
            SinkTls::Implicit(cert)
        } else {
            SinkTls::StartTls(cert)
        };
        let sink = SmtpSink::start_with(Some(("duban", "s3cret")), tls).await;
        // Neither the system's store nor another CA's file vouches for it.
        let other = internal_ca(&["127.0.0.1"]);
        for ca_file in [None, Some(other.trust_file.clone())] {
            let e = refused(
                &sink,
                SmtpConfig {
                    ca_file,
                    ..sink.config()
                },
            )
            .await;
            assert!(e.contains("不是由受信任的机构签发"), "{e}");
            assert!(e.contains("smtp.ca_file"), "{e}");
            assert!(
                e.contains(&format!("127.0.0.1:{}", sink.addr.port())),
                "{e}"
            );
        }
        assert!(sink.auth_seen().is_empty());
        assert!(
            in_clear(&sink)
                .iter()
                .all(|v| v == "EHLO" || v == "STARTTLS"),
            "{:?}",
            sink.verbs()
        );
        // The server saw the client break off the handshake.
        let (refused, n) = eventually(Duration::from_secs(5), || async {
            let n = sink.handshake_errors.lock().unwrap().len();
            (n == 2, n)
        })
        .await;
        assert!(refused, "implicit {implicit}: {n} failed handshakes");
        // With the CA's file, the same relay is fine.
        sender(sink.config()).send(&email("k4")).await.unwrap();
        assert!(the_mail(&sink).encrypted);
    }
}

#[tokio::test]
async fn a_certificate_for_another_name_is_accepted_only_for_that_name() {
    let cert = internal_ca(&["relay.gov.internal"]);
    let sink = SmtpSink::start_with(Some(("duban", "s3cret")), SinkTls::StartTls(cert)).await;
    let e = refused(&sink, sink.config()).await;
    assert!(e.contains("不属于“127.0.0.1”"), "{e}");
    assert!(e.contains("smtp.tls_server_name"), "{e}");
    let by_name = sender(SmtpConfig {
        tls_server_name: "relay.gov.internal".into(),
        ..sink.config()
    });
    by_name.send(&email("k5")).await.unwrap();
    assert!(the_mail(&sink).encrypted);
}

#[tokio::test]
async fn a_self_signed_relay_is_trusted_through_its_own_certificate() {
    // Named by IP address, and by host name.
    for host in ["127.0.0.1", "localhost"] {
        let cert = self_signed(&[host]);
        let sink = SmtpSink::start_with(None, SinkTls::Implicit(cert)).await;
        sender(SmtpConfig {
            host: host.into(),
            ..sink.config()
        })
        .send(&email("k6"))
        .await
        .unwrap();
        let m = the_mail(&sink);
        assert!(m.encrypted, "{host}");
        assert_eq!(m.auth_user, None);
    }
}

#[tokio::test]
async fn a_tls_mode_that_does_not_fit_the_port_is_explained() {
    // Implicit TLS to a port that greets in clear and offers STARTTLS.
    let sink = SmtpSink::start(None).await;
    let e = refused(
        &sink,
        SmtpConfig {
            tls: Tls::Implicit,
            ..sink.config()
        },
    )
    .await;
    assert!(e.contains("TLS 握手失败"), "{e}");
    assert!(e.contains("smtp.tls"), "{e}");
}
