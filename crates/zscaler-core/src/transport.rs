//! HTTP settings and the one `reqwest` client each SDK client owns.

use std::time::Duration;

use crate::config::{Env, Problems};
use crate::error::{ConfigError, Error, Result};

/// `ZSCALER_HTTP_CONNECT_TIMEOUT`: time limit for opening a connection.
pub const ENV_CONNECT_TIMEOUT: &str = "ZSCALER_HTTP_CONNECT_TIMEOUT";
/// `ZSCALER_HTTP_REQUEST_TIMEOUT`: time limit of one attempt, body included.
pub const ENV_REQUEST_TIMEOUT: &str = "ZSCALER_HTTP_REQUEST_TIMEOUT";
/// `ZSCALER_PROXY`: proxy URL for every request (`HTTPS_PROXY` and `NO_PROXY` also apply when
/// this is unset).
pub const ENV_PROXY: &str = "ZSCALER_PROXY";
/// `ZSCALER_CA_BUNDLE`: path of a PEM file with extra root certificates to trust.
pub const ENV_CA_BUNDLE: &str = "ZSCALER_CA_BUNDLE";

/// Settings of the HTTP client.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HttpSettings {
    /// Time limit for opening a TCP and TLS connection (default 10 s, an estimate: long enough
    /// for a slow proxy path, short enough that an unreachable host fails fast).
    pub connect_timeout: Duration,
    /// Time limit of one attempt, response body included (default 60 s, an estimate: a page
    /// of 10,000 simulated users is about 3 MiB, so this leaves room for slow links while
    /// still catching a stalled response).
    pub request_timeout: Duration,
    /// Idle pooled connections are closed after this (default 90 s).
    pub pool_idle_timeout: Duration,
    /// Proxy URL for every request, login and token calls included. When `None`, the
    /// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` variables apply.
    pub proxy: Option<String>,
    /// Text appended to the user agent, e.g. the name of the calling tool.
    pub user_agent_suffix: Option<String>,
    /// Extra root certificates to trust, as PEM text (one or more certificates), for a
    /// TLS-inspecting proxy or a private gateway. The built-in web roots stay trusted.
    pub ca_bundle_pem: Option<Vec<u8>>,
    /// Turns TLS certificate verification off. Only for tests against a local server with a
    /// self-signed certificate: anyone on the network path could then read the credentials.
    pub insecure_skip_tls_verify_for_tests_only: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            pool_idle_timeout: Duration::from_secs(90),
            proxy: None,
            user_agent_suffix: None,
            ca_bundle_pem: None,
            insecure_skip_tls_verify_for_tests_only: false,
        }
    }
}

impl HttpSettings {
    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the time limit of one attempt.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the proxy URL for every request.
    pub fn with_proxy(mut self, proxy: impl Into<String>) -> Self {
        self.proxy = Some(proxy.into());
        self
    }

    /// Sets text appended to the user agent.
    pub fn with_user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Trusts the root certificates in this PEM text in addition to the built-in ones.
    pub fn with_ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundle_pem = Some(pem.into());
        self
    }

    /// Reads a PEM file of extra root certificates.
    pub fn with_ca_bundle_file(self, path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|error| {
            ConfigError::new(format!(
                "failed to read the CA bundle {}: {error}",
                path.display()
            ))
        })?;
        Ok(self.with_ca_bundle_pem(pem))
    }

    /// Turns TLS certificate verification off. Never use this outside tests against a local
    /// server: it lets anyone on the network path read the credentials.
    pub fn insecure_skip_tls_verify_for_tests_only(mut self) -> Self {
        self.insecure_skip_tls_verify_for_tests_only = true;
        self
    }

    /// Reads `ZSCALER_HTTP_CONNECT_TIMEOUT`, `ZSCALER_HTTP_REQUEST_TIMEOUT`, `ZSCALER_PROXY` and
    /// `ZSCALER_CA_BUNDLE` over the defaults.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let mut problems = Problems::default();
        let mut settings = HttpSettings::default();
        if let Some(timeout) = problems.take(env.positive_duration(ENV_CONNECT_TIMEOUT)) {
            settings.connect_timeout = timeout;
        }
        if let Some(timeout) = problems.take(env.positive_duration(ENV_REQUEST_TIMEOUT)) {
            settings.request_timeout = timeout;
        }
        settings.proxy = problems.take(env.text(ENV_PROXY));
        if let Some(path) = problems.take(env.text(ENV_CA_BUNDLE)) {
            match std::fs::read(&path) {
                Ok(pem) if !has_certificate(&pem) => problems.push(format!(
                    "invalid value {path:?} for {ENV_CA_BUNDLE}: the file contains no PEM \
                     certificate (-----BEGIN CERTIFICATE-----)"
                )),
                Ok(pem) => settings.ca_bundle_pem = Some(pem),
                Err(error) => problems.push(format!(
                    "invalid value {path:?} for {ENV_CA_BUNDLE}: failed to read the file: {error}"
                )),
            }
        }
        problems.finish()?;
        Ok(settings)
    }
}

/// Returns true when the PEM text contains at least one certificate that parses.
fn has_certificate(pem: &[u8]) -> bool {
    reqwest::Certificate::from_pem_bundle(pem).is_ok_and(|certificates| !certificates.is_empty())
}

/// Returns the user agent: `zscaler-sdk-rust/<version> (<product crate>/<version>)
/// rust/<rustc> <os>/<arch>`.
pub fn user_agent(product_crate: &str, product_version: &str, suffix: Option<&str>) -> String {
    let mut agent = format!(
        "zscaler-sdk-rust/{} ({product_crate}/{product_version}) rust/{} {}/{}",
        env!("CARGO_PKG_VERSION"),
        env!("ZSCALER_RUSTC_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
    );
    if let Some(suffix) = suffix {
        agent.push(' ');
        agent.push_str(suffix);
    }
    agent
}

/// Builds the HTTP client: rustls, gzip, connection reuse, timeouts, proxy, extra root
/// certificates, default headers, and redirects followed only within the same origin (scheme,
/// host and port), at most five, so that credentials never reach another server.
pub fn build_client(
    settings: &HttpSettings,
    user_agent: &str,
    default_headers: reqwest::header::HeaderMap,
) -> Result<reqwest::Client> {
    let redirects = reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| {
            first.scheme() == attempt.url().scheme()
                && first.host_str() == attempt.url().host_str()
                && first.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if same_origin && attempt.previous().len() < 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });

    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .gzip(true)
        .connect_timeout(settings.connect_timeout)
        .pool_idle_timeout(settings.pool_idle_timeout)
        .tcp_keepalive(Duration::from_secs(60))
        .redirect(redirects)
        .default_headers(default_headers)
        .user_agent(user_agent);

    if let Some(pem) = &settings.ca_bundle_pem {
        let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|error| {
            ConfigError::new(format!(
                "invalid CA bundle: {error}; expected one or more PEM certificates"
            ))
        })?;
        if certificates.is_empty() {
            return Err(ConfigError::new(
                "invalid CA bundle: it contains no PEM certificate (-----BEGIN CERTIFICATE-----)",
            )
            .into());
        }
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    if settings.insecure_skip_tls_verify_for_tests_only {
        tracing::warn!("TLS certificate verification is OFF; use this only in tests");
        builder = builder.danger_accept_invalid_certs(true);
    }

    if let Some(proxy) = &settings.proxy {
        tracing::debug!(proxy = %crate::redact::url_for_log(proxy), "using a proxy");
        let proxy = reqwest::Proxy::all(proxy).map_err(|error| {
            ConfigError::new(format!(
                "invalid proxy URL {:?}: {error}; expected a URL such as http://proxy.example.com:3128",
                crate::redact::url_for_log(proxy)
            ))
        })?;
        builder = builder.proxy(proxy);
    }

    builder.build().map_err(|error| {
        Error::Config(ConfigError::new(format!(
            "failed to build the HTTP client: {error}"
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_sdk_and_platform() {
        let agent = user_agent("zscaler-zia", "1.2.3", Some("my-tool/4"));
        assert!(agent.starts_with("zscaler-sdk-rust/"), "{agent}");
        assert!(agent.contains("(zscaler-zia/1.2.3)"), "{agent}");
        assert!(agent.contains(" rust/"), "{agent}");
        assert!(agent.contains(std::env::consts::OS), "{agent}");
        assert!(agent.ends_with(" my-tool/4"), "{agent}");
    }

    #[test]
    fn settings_from_env() {
        let env = Env::from_pairs([
            (ENV_CONNECT_TIMEOUT, "3s"),
            (ENV_REQUEST_TIMEOUT, "2m"),
            (ENV_PROXY, "http://127.0.0.1:3128"),
        ]);
        let settings = HttpSettings::from_env(&env).expect("valid settings");
        assert_eq!(settings.connect_timeout, Duration::from_secs(3));
        assert_eq!(settings.request_timeout, Duration::from_secs(120));
        assert_eq!(settings.proxy.as_deref(), Some("http://127.0.0.1:3128"));
    }

    #[test]
    fn ca_bundle_without_certificate_rejected() {
        let settings = HttpSettings::default().with_ca_bundle_pem(b"not a certificate".to_vec());
        let error =
            build_client(&settings, "test", Default::default()).expect_err("no certificate");
        assert!(error.to_string().contains("invalid CA bundle"), "{error}");
    }

    #[test]
    fn ca_bundle_file_without_certificate_named() {
        let path = std::env::temp_dir().join(format!("zscaler-ca-{}.pem", std::process::id()));
        std::fs::write(&path, "not a certificate").expect("write file");
        let path_text = path.to_str().expect("utf-8 path").to_owned();
        let env = Env::from_pairs([(ENV_CA_BUNDLE, path_text.as_str())]);
        let error = HttpSettings::from_env(&env).expect_err("no certificate");
        std::fs::remove_file(&path).ok();
        assert!(error.to_string().contains(ENV_CA_BUNDLE), "{error}");
        assert!(error.to_string().contains(&path_text), "{error}");
    }

    #[test]
    fn zero_timeouts_rejected() {
        let env = Env::from_pairs([(ENV_REQUEST_TIMEOUT, "0"), (ENV_CONNECT_TIMEOUT, "0ms")]);
        let error = HttpSettings::from_env(&env).expect_err("zero timeouts");
        assert!(error.to_string().contains(ENV_REQUEST_TIMEOUT), "{error}");
        assert!(error.to_string().contains(ENV_CONNECT_TIMEOUT), "{error}");
    }

    #[test]
    fn missing_ca_bundle_file_named() {
        let env = Env::from_pairs([(ENV_CA_BUNDLE, "/nonexistent/ca.pem")]);
        let error = HttpSettings::from_env(&env).expect_err("file is missing");
        assert!(error.to_string().contains(ENV_CA_BUNDLE), "{error}");
        assert!(error.to_string().contains("/nonexistent/ca.pem"), "{error}");
    }

    #[test]
    fn invalid_proxy_is_config_error_without_password() {
        let settings = HttpSettings {
            proxy: Some("http://user:s3cret@[bad".into()),
            ..HttpSettings::default()
        };
        let error =
            build_client(&settings, "test", Default::default()).expect_err("invalid proxy URL");
        let text = error.to_string();
        assert!(text.contains("invalid proxy URL"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }
}
