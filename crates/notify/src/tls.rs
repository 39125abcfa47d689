//! TLS towards the mail relay (rustls through `lettre`): the certificates
//! trusted — the system's store (on Linux `/etc/ssl/certs`, or the files
//! `SSL_CERT_FILE` / `SSL_CERT_DIR` name) plus a CA file the configuration
//! adds for a relay with an internal or self-signed certificate — the name
//! the relay's certificate must carry, and what a failed handshake means, in
//! words an administrator can act on. Verification is never switched off.

use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::CertificateError;
use std::error::Error as StdError;
use std::path::Path;

/// The TLS parameters for a relay whose certificate must name `server_name`,
/// trusting the system's store and the certificates in `ca_file`.
pub(crate) fn parameters(
    server_name: &str,
    ca_file: Option<&Path>,
) -> Result<TlsParameters, String> {
    if ServerName::try_from(server_name.to_string()).is_err() {
        return Err(format!(
            "“{server_name}” 不是有效的主机名或 IP 地址，无法核对邮件服务器的证书（smtp.host 或 smtp.tls_server_name）"
        ));
    }
    let mut builder = TlsParameters::builder(server_name.to_string())
        .certificate_store(CertificateStore::Default);
    if let Some(path) = ca_file {
        for cert in ca_certificates(path)? {
            let cert = Certificate::from_der(cert.to_vec())
                .map_err(|e| format!("smtp.ca_file “{}” 中的证书无法使用：{e}", path.display()))?;
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build_rustls().map_err(|e| {
        let file = ca_file.map(|p| p.display().to_string()).unwrap_or_default();
        format!("无法建立 TLS 配置（smtp.ca_file “{file}”）：{e}")
    })
}

/// The certificates of a PEM file; a file without one is an error.
fn ca_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| format!("无法读取 smtp.ca_file “{shown}”：{e}"))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("smtp.ca_file “{shown}” 不是有效的 PEM 证书文件：{e}"))?;
    if certs.is_empty() {
        return Err(format!(
            "smtp.ca_file “{shown}” 中没有证书（应为 PEM 格式，以 -----BEGIN CERTIFICATE----- 开头）"
        ));
    }
    Ok(certs)
}

/// The rustls error somewhere in `e`'s chain of causes (an `io::Error`
/// carries it inside rather than as its source).
fn rustls_error<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(e);
    while let Some(e) = next {
        if let Some(r) = e.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(r) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(r);
        }
        next = e.source();
    }
    None
}

/// What a failed TLS handshake with the relay means and what to do, when
/// `e` is one; `server_name` is the name the certificate was checked for.
pub(crate) fn explain(e: &(dyn StdError + 'static), server_name: &str) -> Option<String> {
    let r = rustls_error(e)?;
    Some(match r {
        rustls::Error::InvalidCertificate(c) => match c {
            // A bad signature: a trusted CA of the same name did not sign it.
            CertificateError::UnknownIssuer | CertificateError::BadSignature => format!(
                "证书不是由受信任的机构签发（自签名或内部 CA 的证书，或 smtp.ca_file 中的 CA 并非签发者），已拒绝连接。请向中继的管理员索取签发该证书的 CA 证书（PEM 格式），用 smtp.ca_file 指定（{r}）"
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!(
                    "证书不属于“{server_name}”，已拒绝连接。请把 smtp.host 改为证书上的名称，或用 smtp.tls_server_name 指定证书上的名称（{r}）"
                )
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => format!(
                "证书已过期或尚未生效，已拒绝连接。请中继的管理员更换证书，并检查本机时间（{r}）"
            ),
            CertificateError::Revoked => {
                format!("证书已被吊销，已拒绝连接（{r}）")
            }
            _ => format!("证书无效，已拒绝连接（{r}）"),
        },
        _ => format!(
            "TLS 握手失败：{r}。请检查 smtp.tls 是否与端口相符（465 端口用 implicit，587 或 25 端口用 starttls）"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(r: Result<TlsParameters, String>) -> String {
        r.err().expect("an error")
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused() {
        let dir = std::env::temp_dir().join(format!("duban-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let e = error(parameters("mail.gov.cn", Some(&empty)));
        assert!(e.contains("没有证书"), "{e}");
        let e = error(parameters("mail.gov.cn", Some(&dir.join("missing.pem"))));
        assert!(e.contains("无法读取 smtp.ca_file"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_name_that_cannot_be_checked_is_refused() {
        let e = error(parameters("mail gov", None));
        assert!(e.contains("不是有效的主机名"), "{e}");
        assert!(parameters("10.1.2.3", None).is_ok());
        assert!(parameters("mail.gov.cn", None).is_ok());
    }

    #[test]
    fn handshake_errors_are_explained_through_an_io_error() {
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        );
        let text = explain(&io, "mail.gov.cn").unwrap();
        assert!(text.contains("smtp.ca_file"), "{text}");
        let plain = std::io::Error::other("refused");
        assert!(explain(&plain, "mail.gov.cn").is_none());
    }
}
