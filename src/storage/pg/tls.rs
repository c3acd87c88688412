//! TLS to the server with rustls and its ring provider, checking as much as libpq's sslmode
//! asks: `prefer` and `require` encrypt without checking who answers (unless a root
//! certificate file is there, when `require` checks the chain, as in libpq), `verify-ca`
//! checks the chain, `verify-full` the chain and the host name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::{Error, Result};

use super::address::SslMode;

/// How much of the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    Nothing,
    Chain,
    ChainAndName,
}

/// What `sslmode` checks, given the root certificate file that would be used (libpq: a root
/// file turns `require` into `verify-ca`).
pub(crate) fn check_for(mode: SslMode, root_file: Option<&Path>) -> Check {
    match mode {
        SslMode::VerifyFull => Check::ChainAndName,
        SslMode::VerifyCa => Check::Chain,
        SslMode::Require if root_file.is_some() => Check::Chain,
        _ => Check::Nothing,
    }
}

/// The root certificate file libpq would use: `sslrootcert`, else `~/.postgresql/root.crt`
/// when it exists; None for the system's roots (`sslrootcert=system`, or no file).
pub(crate) fn root_file(sslrootcert: Option<&Path>, home: Option<&Path>) -> Option<PathBuf> {
    match sslrootcert {
        Some(p) if p == Path::new("system") => None,
        Some(p) => Some(p.to_path_buf()),
        None => home
            .map(|h| h.join(".postgresql/root.crt"))
            .filter(|p| p.is_file()),
    }
}

/// A connector for the client that checks what `check` says against `root_file`'s
/// certificates, or the system's.
pub(crate) fn connector(check: Check, root_file: Option<&Path>) -> Result<MakeRustlsConnect> {
    // rustls 0.23.48 deprecates ring's provider for its lack of post-quantum key exchange;
    // the one that has it, aws-lc-rs, needs cmake and a C compiler to build, which is what
    // choosing rustls was to avoid.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::env(format!("cannot set up TLS: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = match check {
        Check::Nothing => Arc::new(AnyCertificate(provider)),
        Check::Chain | Check::ChainAndName => {
            let roots = roots(root_file)?;
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| Error::env(format!("cannot check the server's certificate: {e}")))?;
            if check == Check::Chain {
                Arc::new(ChainOnly(webpki))
            } else {
                webpki
            }
        }
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn roots(root_file: Option<&Path>) -> Result<RootCertStore> {
    let mut store = RootCertStore::empty();
    match root_file {
        Some(file) => {
            let unreadable = |e: &dyn std::fmt::Display| {
                Error::env(format!(
                    "cannot read the root certificates in {} (sslrootcert): {e}",
                    file.display()
                ))
            };
            let certs = CertificateDer::pem_file_iter(file)
                .map_err(|e| unreadable(&e))?
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| unreadable(&e))?;
            let (added, _) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(unreadable(&"no certificate in it"));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(Error::env(
                    "no trusted root certificates found on this system to check the \
                     PostgreSQL server's certificate; give one with sslrootcert=FILE",
                ));
            }
        }
    }
    Ok(store)
}

/// libpq's `require`: any certificate is accepted, but the handshake's signatures are still
/// checked, so the session is encrypted with whoever holds that certificate's key.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// libpq's `verify-ca`: the chain must lead to a trusted root, whatever name the certificate
/// is for.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        // webpki checks the chain before the name: a wrong name means the chain held.
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_and_a_root_file_decide_what_is_checked() {
        let file = Some(Path::new("/r.crt"));
        assert_eq!(check_for(SslMode::Prefer, file), Check::Nothing);
        assert_eq!(check_for(SslMode::Require, None), Check::Nothing);
        assert_eq!(check_for(SslMode::Require, file), Check::Chain);
        assert_eq!(check_for(SslMode::VerifyCa, None), Check::Chain);
        assert_eq!(check_for(SslMode::VerifyFull, None), Check::ChainAndName);
        assert_eq!(root_file(Some(Path::new("system")), None), None);
        assert_eq!(
            root_file(Some(Path::new("/r.crt")), None).as_deref(),
            Some(Path::new("/r.crt"))
        );
        let home = tempfile::tempdir().expect("temp dir");
        assert_eq!(root_file(None, Some(home.path())), None);
        std::fs::create_dir(home.path().join(".postgresql")).expect("mkdir");
        std::fs::write(home.path().join(".postgresql/root.crt"), "x").expect("write");
        assert!(root_file(None, Some(home.path())).is_some());
    }

    #[test]
    fn a_root_file_without_certificates_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("root.crt");
        std::fs::write(&file, "not a certificate\n").expect("write");
        let e = connector(Check::Chain, Some(&file)).err().expect("refused");
        assert!(e.to_string().contains("root.crt (sslrootcert)"), "{e}");
        let e = connector(Check::Chain, Some(&dir.path().join("none")))
            .err()
            .expect("refused");
        assert!(
            e.to_string().contains("cannot read the root certificates"),
            "{e}"
        );
        assert!(connector(Check::Nothing, None).is_ok());
    }
}
