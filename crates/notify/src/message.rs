//! One e-mail as it goes on the wire, built with `lettre`'s message builder:
//! the sender and recipient parsed and checked as RFC 5322 mailboxes, the
//! subject and a Chinese display name as RFC 2047 encoded-words, the body as
//! UTF-8 plain text in base64, so the message is plain ASCII and survives
//! any relay. The outbox key names the message: its `Message-ID` and an
//! `X-Duban-Key` header let a receiver tell a repeat.

use crate::SendError;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::{Address, Message};
use std::time::SystemTime;

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

/// A recipient's address; one that cannot be an address is refused for
/// good (sending again would not mend it).
pub(crate) fn recipient(to: &str) -> Result<Address, SendError> {
    to.trim()
        .parse::<Address>()
        .map_err(|_| SendError::permanent(format!("邮件地址“{to}”无效")))
}

/// The sender from `smtp.from`: `duban@example.gov.cn` or
/// `督查室 <duban@example.gov.cn>`.
pub(crate) fn sender(from: &str) -> Result<Mailbox, String> {
    from.trim().parse::<Mailbox>().map_err(|_| {
        format!(
            "smtp.from “{from}” 不是有效的发件人地址（例如 duban@example.gov.cn 或 督查室 <duban@example.gov.cn>）"
        )
    })
}

/// A `Message-ID` from the key: only characters safe in a dot-atom, at the
/// sender's domain.
fn message_id(key: &str, from: &Address) -> String {
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
    format!("<{}@{}>", local.trim_matches('.'), from.domain())
}

/// The message from `from` to `to`, dated `date`.
pub(crate) fn build(
    from: &Mailbox,
    to: &Address,
    email: &Email<'_>,
    date: SystemTime,
) -> Result<Message, SendError> {
    let key: String = email.key.chars().filter(|c| c.is_ascii_graphic()).collect();
    let body = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .header(ContentTransferEncoding::Base64)
        .body(email.body.to_string());
    Message::builder()
        .date(date)
        .from(from.clone())
        .to(Mailbox::new(None, to.clone()))
        .subject(email.subject)
        .message_id(Some(message_id(email.key, &from.email)))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Duban-Key"),
            key,
        ))
        .singlepart(body)
        .map_err(|e| SendError::permanent(format!("无法生成邮件：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn senders_parse_with_or_without_a_name() {
        let m = sender("督查室 <duban@gov.cn>").unwrap();
        assert_eq!(m.name.as_deref(), Some("督查室"));
        assert_eq!(m.email.to_string(), "duban@gov.cn");
        let m = sender("duban@gov.cn").unwrap();
        assert_eq!((m.name, m.email.to_string()), (None, "duban@gov.cn".into()));
        let e = sender("督查室").unwrap_err();
        assert!(e.contains("smtp.from"), "{e}");
    }

    #[test]
    fn addresses_cannot_inject_commands() {
        assert!(recipient("a@b.cn").is_ok());
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
            let e = recipient(bad).unwrap_err();
            assert!(e.permanent, "{bad:?}");
            assert!(e.message.contains("无效"), "{bad:?}");
        }
    }

    #[test]
    fn a_chinese_message_is_ascii_on_the_wire() {
        let email = Email {
            to: "head@energy.gov.cn",
            subject: "【催办】推进充电桩建设",
            body: "市能源局：\n请立即办理。",
            key: "urge:7:deploy:2024-09-27:email:3",
        };
        let from = sender("督查室 <duban@gov.cn>").unwrap();
        let to = recipient(email.to).unwrap();
        let date = UNIX_EPOCH + Duration::from_secs(1_727_658_000);
        let m = build(&from, &to, &email, date).unwrap();
        let text = String::from_utf8(m.formatted()).unwrap();
        assert!(text.is_ascii(), "{text}");
        assert!(
            text.contains("Message-ID: <urge.7.deploy.2024-09-27.email.3@gov.cn>\r\n"),
            "{text}"
        );
        assert!(text.contains("X-Duban-Key: urge:7:deploy:2024-09-27:email:3\r\n"));
        assert!(text.contains("MIME-Version: 1.0\r\n"), "{text}");
        assert!(text.contains("Content-Transfer-Encoding: base64\r\n"));
        assert!(
            text.contains("Date: Mon, 30 Sep 2024 01:00:00 +0000\r\n"),
            "{text}"
        );
        assert!(text.contains("<duban@gov.cn>"));
        assert!(!text.contains("催办"));
        assert_eq!(m.envelope().to(), [to]);
    }
}
