//! What each sslmode checks, against a fake server on a loopback port: it answers the client's
//! SSLRequest with TLS (the certificate in tests/fixtures/tls, for `localhost`, signed by
//! `ca.pem`) or with "no", reads the startup message, and refuses the login. A refused login
//! means the TLS handshake was accepted; a TLS error means the client turned the server down.
//! Needs no PostgreSQL, so it always runs.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use salesdesk::error::Error;
use salesdesk::storage::pg::address::Env;
use salesdesk::storage::pg::connect::connect_in;

/// The `SSLRequest` message's code.
const SSL_REQUEST: u32 = 80877103;
const SECRET: &str = "s3cret-tls";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// What the fake server saw of the one client it served.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    /// The startup message came over TLS.
    Tls,
    /// It came in the clear after the client asked for TLS and was told no.
    PlainAfterAsking,
    /// The client asked for TLS, was told no, and hung up.
    GaveUpAfterNo,
    /// It came in the clear and the client never asked for TLS.
    PlainUnasked,
    /// The client asked for TLS and gave up during the handshake.
    HandshakeFailed,
}

struct Fake {
    port: u16,
    served: JoinHandle<Seen>,
}

/// A server for one client on a free loopback port, offering TLS or not.
fn fake(offer_tls: bool) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("address").port();
    let served = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("a client");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        serve(&mut stream, offer_tls)
    });
    Fake { port, served }
}

fn serve(stream: &mut TcpStream, offer_tls: bool) -> Seen {
    let first = read_message(stream).expect("the first message");
    if code(&first) != SSL_REQUEST {
        refuse_login(stream);
        return Seen::PlainUnasked;
    }
    if !offer_tls {
        stream.write_all(b"N").expect("write");
        if read_message(stream).is_none() {
            return Seen::GaveUpAfterNo;
        }
        refuse_login(stream);
        return Seen::PlainAfterAsking;
    }
    stream.write_all(b"S").expect("write");
    let mut tls = rustls::StreamOwned::new(
        rustls::ServerConnection::new(server_config()).expect("server session"),
        stream,
    );
    if read_message(&mut tls).is_none() {
        return Seen::HandshakeFailed;
    }
    refuse_login(&mut tls);
    Seen::Tls
}

fn server_config() -> Arc<rustls::ServerConfig> {
    let chain: Vec<CertificateDer> = CertificateDer::pem_file_iter(fixture("server.pem"))
        .expect("server.pem")
        .collect::<Result<_, _>>()
        .expect("certificates");
    let key = PrivateKeyDer::from_pem_file(fixture("server-key.pem")).expect("server-key.pem");
    Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server config"),
    )
}

/// A message without a type byte (SSLRequest, StartupMessage): its length, then its body.
fn read_message(stream: &mut impl Read) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).ok()?;
    let len = u32::from_be_bytes(len) as usize;
    let mut body = vec![0u8; len.checked_sub(4)?];
    stream.read_exact(&mut body).ok()?;
    Some(body)
}

fn code(body: &[u8]) -> u32 {
    body.get(..4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_be_bytes)
}

/// An ErrorResponse as a server sends for a wrong password.
fn refuse_login(stream: &mut impl Write) {
    let mut fields = Vec::new();
    for (tag, text) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', "28P01"),
        (b'M', "password authentication failed for user \"ana\""),
    ] {
        fields.push(tag);
        fields.extend_from_slice(text.as_bytes());
        fields.push(0);
    }
    fields.push(0);
    let mut message = vec![b'E'];
    message.extend_from_slice(&(fields.len() as u32 + 4).to_be_bytes());
    message.extend_from_slice(&fields);
    // The client may already have gone; what it got is what the test checks.
    let _ = stream.write_all(&message).and_then(|()| stream.flush());
}

/// Connects to the fake server at `host` with `params`, and gives the client's error and what
/// the server saw.
fn attempt(offer_tls: bool, host: &str, params: &str) -> (String, Seen) {
    let f = fake(offer_tls);
    let address = format!("postgres://ana:{SECRET}@{host}:{}/sales?{params}", f.port);
    let result = connect_in(&address, &Env::from_vars(&[], Some("ana")));
    let e = match result {
        Ok(_) => panic!("the fake server let {params} in"),
        Err(e) => e,
    };
    let text = e.to_string();
    assert!(matches!(e, Error::Env(_)), "{text}");
    assert!(!text.contains(SECRET) && !text.contains('\n'), "{text}");
    (text, f.served.join().expect("the fake server"))
}

/// The client's message when it turned the certificate down under `mode`.
fn assert_tls_refused(text: &str, mode: &str, why: &str) {
    assert!(
        text.starts_with("cannot set up TLS with the PostgreSQL server at ")
            && text.contains(&format!("(sslmode={mode}): "))
            && text.contains(why)
            && text.ends_with("; check sslmode and sslrootcert"),
        "{text}"
    );
}

#[test]
fn require_encrypts_without_checking_whose_certificate_it_is() {
    let (text, seen) = attempt(true, "127.0.0.1", "sslmode=require");
    assert_eq!(seen, Seen::Tls);
    assert!(
        text.starts_with("the PostgreSQL server at 127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("refused the login of user \"ana\""), "{text}");
    // prefer, the default, takes the TLS the server offers, unchecked too.
    let (_, seen) = attempt(true, "127.0.0.1", "");
    assert_eq!(seen, Seen::Tls);
}

#[test]
fn require_with_a_root_file_checks_the_chain_as_libpq_does() {
    let other = fixture("other-ca.pem");
    let params = format!("sslmode=require&sslrootcert={}", other.display());
    let (text, seen) = attempt(true, "127.0.0.1", &params);
    assert_eq!(seen, Seen::HandshakeFailed);
    assert_tls_refused(&text, "require", "UnknownIssuer");
}

#[test]
fn verify_ca_checks_the_chain_but_not_the_name() {
    let ca = fixture("ca.pem");
    // The certificate is for localhost, not 127.0.0.1: verify-ca does not mind.
    let params = format!("sslmode=verify-ca&sslrootcert={}", ca.display());
    let (text, seen) = attempt(true, "127.0.0.1", &params);
    assert_eq!(seen, Seen::Tls);
    assert!(text.contains("refused the login"), "{text}");
    let other = fixture("other-ca.pem");
    let params = format!("sslmode=verify-ca&sslrootcert={}", other.display());
    let (text, seen) = attempt(true, "127.0.0.1", &params);
    assert_eq!(seen, Seen::HandshakeFailed);
    assert_tls_refused(&text, "verify-ca", "UnknownIssuer");
}

#[test]
fn verify_full_checks_the_chain_and_the_name() {
    let ca = fixture("ca.pem");
    let params = format!("sslmode=verify-full&sslrootcert={}", ca.display());
    let (text, seen) = attempt(true, "localhost", &params);
    assert_eq!(seen, Seen::Tls);
    assert!(text.contains("refused the login of user \"ana\""), "{text}");
    let (text, seen) = attempt(true, "127.0.0.1", &params);
    assert_eq!(seen, Seen::HandshakeFailed);
    assert_tls_refused(&text, "verify-full", "not valid for name \"127.0.0.1\"");
}

#[test]
fn a_server_without_tls_is_used_in_the_clear_unless_tls_is_required() {
    let (text, seen) = attempt(false, "127.0.0.1", "sslmode=prefer");
    assert_eq!(seen, Seen::PlainAfterAsking);
    assert!(text.contains("refused the login"), "{text}");
    let (text, seen) = attempt(false, "127.0.0.1", "sslmode=require");
    assert_eq!(seen, Seen::GaveUpAfterNo);
    assert_tls_refused(&text, "require", "server does not support TLS");
    let (text, seen) = attempt(false, "127.0.0.1", "sslmode=disable");
    assert_eq!(seen, Seen::PlainUnasked);
    assert!(text.contains("refused the login"), "{text}");
    // allow tries without TLS first, and a wrong password is no reason to try with it.
    let (text, seen) = attempt(true, "127.0.0.1", "sslmode=allow");
    assert_eq!(seen, Seen::PlainUnasked);
    assert!(text.contains("refused the login"), "{text}");
}

#[test]
fn a_server_that_accepts_and_then_says_nothing_is_unreachable_after_connect_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        let held = listener.accept();
        std::thread::sleep(Duration::from_secs(6));
        drop(held);
    });
    let started = std::time::Instant::now();
    let address = format!("postgres://ana:{SECRET}@127.0.0.1:{port}/sales?connect_timeout=2");
    let e = match connect_in(&address, &Env::from_vars(&[], Some("ana"))) {
        Ok(_) => panic!("a silent server let the client in"),
        Err(e) => e,
    };
    assert_eq!(
        e.to_string(),
        format!(
            "cannot reach the PostgreSQL server at 127.0.0.1:{port}; is it running, and is the \
             address right?"
        )
    );
    assert_eq!(e.exit_code(), 1);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(5),
        "{took:?}"
    );
}
