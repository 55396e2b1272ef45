//! TLS against a local HTTPS server with a certificate from a private CA: rejected by default,
//! accepted with the CA bundle, and accepted with verification turned off.

use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use zscaler_core::{
    Error, HttpSettings, Product, RateLimitSettings, Request, RetryPolicy, Transport,
    TransportConfig,
};

struct PrivateCa {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
}

fn private_ca() -> PrivateCa {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("CA certificate");

    let server_key = KeyPair::generate().expect("server key");
    let server_params =
        CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("server params");
    let server = server_params
        .signed_by(&server_key, &ca, &ca_key)
        .expect("server certificate");

    PrivateCa {
        ca_pem: ca.pem(),
        server_chain: vec![server.der().clone()],
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
    }
}

/// Serves `{}` over HTTPS on 127.0.0.1 and returns the base URL.
async fn start_https_server(ca: &PrivateCa) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(ca.server_chain.clone(), ca.server_key.clone_key())
        .expect("server certificate accepted");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("https://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut buffer = [0u8; 4096];
                let _ = tls.read(&mut buffer).await;
                let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                             content-length: 2\r\nconnection: close\r\n\r\n{}";
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    url
}

fn transport(url: &str, http: HttpSettings) -> Transport {
    let mut config = TransportConfig::new(Product::Zia, "zscaler-test", "0.0.0", url);
    config.http = http;
    config.retry = RetryPolicy::none();
    config.rate_limit = RateLimitSettings::disabled();
    Transport::new(config).expect("transport builds")
}

#[tokio::test]
async fn private_ca_rejected_by_default() {
    let ca = private_ca();
    let url = start_https_server(&ca).await;
    let http = HttpSettings::default().with_connect_timeout(Duration::from_secs(5));

    let error = transport(&url, http)
        .send(&Request::get("/api/v1/status"))
        .await
        .expect_err("an unknown CA is not trusted");

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn private_ca_trusted_with_bundle() {
    let ca = private_ca();
    let url = start_https_server(&ca).await;
    let http = HttpSettings::default().with_ca_bundle_pem(ca.ca_pem.clone().into_bytes());

    let response = transport(&url, http)
        .send(&Request::get("/api/v1/status"))
        .await
        .expect("the bundle's CA is trusted");

    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn verification_off_accepts_any_certificate() {
    let ca = private_ca();
    let url = start_https_server(&ca).await;
    let http = HttpSettings::default().insecure_skip_tls_verify_for_tests_only();

    let response = transport(&url, http)
        .send(&Request::get("/api/v1/status"))
        .await
        .expect("verification is off");

    assert_eq!(response.status, 200);
}
