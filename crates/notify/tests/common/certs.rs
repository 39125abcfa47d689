//! Certificates made for one test with `rcgen`: an internal CA with a
//! server certificate it signs (as a government network's relay has), or a
//! self-signed server certificate; the rustls server configuration that
//! presents it, and the PEM file a client would be given to trust it.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use tokio_rustls::rustls::crypto::ring::default_provider;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;

/// What a relay presents and what a client must trust to accept it.
#[derive(Clone)]
pub struct ServerCert {
    pub config: Arc<ServerConfig>,
    /// A PEM file holding the certificate to trust (the CA's, or the
    /// self-signed certificate itself).
    pub trust_file: PathBuf,
}

fn server_config(chain: Vec<CertificateDer<'static>>, key: &KeyPair) -> Arc<ServerConfig> {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    Arc::new(config)
}

/// A fresh file under the temporary directory holding `pem`.
fn pem_file(pem: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!("duban-notify-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("trust-{}.pem", N.fetch_add(1, Ordering::SeqCst)));
    std::fs::write(&path, pem).unwrap();
    path
}

/// A CA named like a government network's, and a server certificate for
/// `names` (DNS names or IP addresses) that it signs.
pub fn internal_ca(names: &[&str]) -> ServerCert {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "政务网内部测试 CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    leaf.distinguished_name.push(
        DnType::CommonName,
        names.first().copied().unwrap_or("relay"),
    );
    let leaf_cert = leaf.signed_by(&key, &issuer).unwrap();
    ServerCert {
        config: server_config(vec![leaf_cert.der().clone(), ca_cert.der().clone()], &key),
        trust_file: pem_file(&ca_cert.pem()),
    }
}

/// A self-signed server certificate for `names`.
pub fn self_signed(names: &[&str]) -> ServerCert {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
        .unwrap()
        .self_signed(&key)
        .unwrap();
    ServerCert {
        config: server_config(vec![cert.der().clone()], &key),
        trust_file: pem_file(&cert.pem()),
    }
}
