//! TLS to a clinic server, as libpq does it by default (`sslmode=prefer`): the connection is
//! encrypted whenever the server offers it. The server's certificate is verified — chain and
//! host name — when the clinic gives its certificate authority (`~/.postgresql/root.crt`, or
//! `PGSSLROOTCERT`); without one the connection is encrypted but the server is not proven, as
//! with libpq (a server's own self-signed certificate, Debian's default, then works).
//! `?sslmode=disable` in the address turns TLS off, `?sslmode=require` refuses a server
//! without it.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::error::{StoreError, StoreResult};

/// The clinic's certificate authority, if it gave one.
fn root_certificate_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGSSLROOTCERT") {
        return Some(PathBuf::from(p));
    }
    let home = directories::BaseDirs::new()?.home_dir().to_path_buf();
    Some(home.join(".postgresql").join("root.crt")).filter(|p| p.is_file())
}

/// The connector every server connection uses.
pub fn connector(address: &str) -> StoreResult<MakeRustlsConnect> {
    let bad = |problem: String| StoreError::ServerAddress {
        address: address.to_owned(),
        problem,
    };
    // ring builds with the C compiler Rust already needs (aws-lc would add cmake); the
    // post-quantum key exchange it lacks is not needed to reach the clinic's own server.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(format!("TLS could not be set up ({e})")))?;
    let config = match root_certificate_file() {
        Some(file) => {
            let mut roots = rustls::RootCertStore::empty();
            let certificates = CertificateDer::pem_file_iter(&file).map_err(|e| {
                bad(format!(
                    "the certificate authority {} could not be read ({e})",
                    file.display()
                ))
            })?;
            for certificate in certificates {
                let certificate = certificate.map_err(|e| {
                    bad(format!(
                        "{} holds a certificate that could not be read ({e})",
                        file.display()
                    ))
                })?;
                roots.add(certificate).map_err(|e| {
                    bad(format!(
                        "{} holds a certificate that is not usable ({e})",
                        file.display()
                    ))
                })?;
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        None => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
            .with_no_client_auth(),
    };
    Ok(MakeRustlsConnect::new(config))
}

/// Encrypts without proving who the server is (libpq's `prefer` and `require`): the handshake's
/// signatures are still checked, so the session keys are the certificate holder's.
#[derive(Debug)]
struct EncryptOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
