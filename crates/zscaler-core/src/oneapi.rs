//! OneAPI: one ZIdentity OAuth2 token for every product.
//!
//! A tenant migrated to OneAPI has one API client in ZIdentity. Its token, fetched with the
//! client-credentials grant from `https://<vanity>.zslogin.net/oauth2/v1/token`, authorizes ZIA
//! and ZPA calls alike through the gateway `https://api.zsapi.net`, under the `/zia` and `/zpa`
//! prefixes. [`OneApiAuth`] fetches and renews that token and is shared by every product client
//! of one [`OneApiCloud`] login.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use reqwest::header::AUTHORIZATION;
use rsa::RsaPrivateKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde::Deserialize;
use tokio::time::Instant;

use crate::auth::{Authenticator, Credentials, Renewable, SessionSlot, sensitive_header};
use crate::error::{ConfigError, Error, Result};
use crate::secret::Secret;
use crate::service::{Request, Transport};

/// `ZSCALER_CLIENT_ID`: the ZIdentity API client id.
pub const ENV_CLIENT_ID: &str = "ZSCALER_CLIENT_ID";
/// `ZSCALER_CLIENT_SECRET`: the API client's secret.
pub const ENV_CLIENT_SECRET: &str = "ZSCALER_CLIENT_SECRET";
/// `ZSCALER_PRIVATE_KEY`: the API client's RSA private key: PEM text, a JWK, or a file path.
pub const ENV_PRIVATE_KEY: &str = "ZSCALER_PRIVATE_KEY";
/// `ZSCALER_VANITY_DOMAIN`: the tenant's ZIdentity vanity domain.
pub const ENV_VANITY_DOMAIN: &str = "ZSCALER_VANITY_DOMAIN";
/// `ZSCALER_CLOUD`: the OneAPI cloud (default `PRODUCTION`).
pub const ENV_CLOUD: &str = "ZSCALER_CLOUD";
/// `ZSCALER_CUSTOMER_ID`: the ZPA customer id, for ZPA calls.
pub const ENV_CUSTOMER_ID: &str = "ZSCALER_CUSTOMER_ID";
/// `ZSCALER_MICROTENANT_ID`: a ZPA microtenant id sent on every ZPA call.
pub const ENV_MICROTENANT_ID: &str = "ZSCALER_MICROTENANT_ID";
/// `ZSCALER_PARTNER_ID`: sent as `x-partner-id` on every request.
pub const ENV_PARTNER_ID: &str = "ZSCALER_PARTNER_ID";

/// The `audience` of every OneAPI token request and client assertion.
pub const AUDIENCE: &str = "https://api.zscaler.com";

/// Lifetime of a signed client assertion.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(600);

/// Smallest RSA key accepted for client assertions, in bits.
const MIN_RSA_BITS: usize = 2048;

/// One row of the cloud table: the ZIdentity domain that issues tokens and the API gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OneApiCloud {
    name: &'static str,
    identity_domain: &'static str,
    gateway: &'static str,
}

/// Every OneAPI cloud the SDK supports. A new cloud, or a corrected host, is one row here.
pub const CLOUDS: [OneApiCloud; 4] = [
    OneApiCloud {
        name: "PRODUCTION",
        identity_domain: "zslogin.net",
        gateway: "https://api.zsapi.net",
    },
    OneApiCloud {
        name: "BETA",
        identity_domain: "zsloginbeta.net",
        gateway: "https://api.beta.zsapi.net",
    },
    OneApiCloud {
        name: "GOV",
        identity_domain: "zidentitygov.net",
        gateway: "https://api.zscalergov.net",
    },
    // NOTE: the GOV-US identity host is uncertain. The Python and Go SDKs' code use
    // `zidentitygov.us`; the Go SDK's changelog names `zidentitygovus.net`. Change this row
    // if Zscaler confirms the other one.
    OneApiCloud {
        name: "GOVUS",
        identity_domain: "zidentitygov.us",
        gateway: "https://api.zscalergov.us",
    },
];

impl OneApiCloud {
    /// The default cloud.
    pub const PRODUCTION: OneApiCloud = CLOUDS[0];

    /// Returns the cloud's name as written in `ZSCALER_CLOUD`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Returns the token URL for a vanity domain.
    pub fn token_url(&self, vanity_domain: &str) -> String {
        format!(
            "https://{vanity_domain}.{}/oauth2/v1/token",
            self.identity_domain
        )
    }

    /// Returns the API gateway URL, without a product prefix.
    pub fn gateway_url(&self) -> &'static str {
        self.gateway
    }
}

impl std::str::FromStr for OneApiCloud {
    type Err = ConfigError;

    fn from_str(name: &str) -> Result<Self, ConfigError> {
        let wanted = name.trim().replace(['-', '_'], "");
        CLOUDS
            .iter()
            .find(|cloud| cloud.name.eq_ignore_ascii_case(&wanted))
            .copied()
            .ok_or_else(|| {
                let names: Vec<&str> = CLOUDS.iter().map(|cloud| cloud.name).collect();
                ConfigError::new(format!(
                    "unknown OneAPI cloud {name:?}; valid clouds are {}",
                    names.join(", ")
                ))
            })
    }
}

/// Credential the API client authenticates with.
#[derive(Clone)]
pub enum ClientCredential {
    /// A client secret.
    Secret(Secret),
    /// An RSA private key that signs a JWT client assertion.
    PrivateKey(Arc<PrivateKey>),
}

impl fmt::Debug for ClientCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientCredential::Secret(_) => f.write_str("Secret([redacted])"),
            ClientCredential::PrivateKey(key) => write!(f, "PrivateKey({key:?})"),
        }
    }
}

/// An RSA private key of at least 2048 bits, ready to sign client assertions.
pub struct PrivateKey {
    encoding: jsonwebtoken::EncodingKey,
    bits: usize,
    key_id: Option<String>,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey {{ RSA {} bits, [redacted] }}", self.bits)
    }
}

impl PrivateKey {
    /// Reads a key given as PEM text (PKCS#1 or PKCS#8), as a JWK, or as the path of a file
    /// holding either.
    pub fn parse(input: &str) -> Result<Self, ConfigError> {
        let trimmed = input.trim();
        if trimmed.starts_with("-----BEGIN") {
            return PrivateKey::from_pem(trimmed);
        }
        if trimmed.starts_with('{') {
            return PrivateKey::from_jwk(trimmed);
        }
        let path = Path::new(trimmed);
        let text = std::fs::read_to_string(path).map_err(|error| {
            ConfigError::new(format!(
                "failed to read the private key file {}: {error}; give PEM text, a JWK, or the \
                 path of a file holding one",
                path.display()
            ))
        })?;
        let text = text.trim();
        if text.starts_with('{') {
            PrivateKey::from_jwk(text)
        } else {
            PrivateKey::from_pem(text)
        }
    }

    /// Reads a PEM key (`BEGIN RSA PRIVATE KEY` or `BEGIN PRIVATE KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, ConfigError> {
        let key = RsaPrivateKey::from_pkcs1_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs8_pem(pem))
            .map_err(|_| {
                ConfigError::new(
                    "invalid private key: not an RSA private key in PEM form (PKCS#1 or PKCS#8)",
                )
            })?;
        PrivateKey::from_rsa(key, None)
    }

    /// Reads a JWK of an RSA private key (`kty` `RSA` with `n`, `e`, `d`, `p`, `q`).
    pub fn from_jwk(jwk: &str) -> Result<Self, ConfigError> {
        #[derive(Deserialize)]
        struct Jwk {
            kty: String,
            n: String,
            e: String,
            d: Option<String>,
            p: Option<String>,
            q: Option<String>,
            kid: Option<String>,
        }
        let jwk: Jwk = serde_json::from_str(jwk)
            .map_err(|error| ConfigError::new(format!("invalid private key JWK: {error}")))?;
        if jwk.kty != "RSA" {
            return Err(ConfigError::new(format!(
                "invalid private key JWK: kty is {:?}, expected \"RSA\"",
                jwk.kty
            )));
        }
        let (Some(d), Some(p), Some(q)) = (&jwk.d, &jwk.p, &jwk.q) else {
            return Err(ConfigError::new(
                "invalid private key JWK: it is a public key (d, p and q are missing)",
            ));
        };
        let number = |field: &str, value: &str| {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(value.trim_end_matches('='))
                .map(|bytes| rsa::BigUint::from_bytes_be(&bytes))
                .map_err(|_| {
                    ConfigError::new(format!("invalid private key JWK: {field} is not base64url"))
                })
        };
        let key = RsaPrivateKey::from_components(
            number("n", &jwk.n)?,
            number("e", &jwk.e)?,
            number("d", d)?,
            vec![number("p", p)?, number("q", q)?],
        )
        .map_err(|error| ConfigError::new(format!("invalid private key JWK: {error}")))?;
        PrivateKey::from_rsa(key, jwk.kid)
    }

    fn from_rsa(key: RsaPrivateKey, key_id: Option<String>) -> Result<Self, ConfigError> {
        let bits = key.size() * 8;
        if bits < MIN_RSA_BITS {
            return Err(ConfigError::new(format!(
                "invalid private key: it has {bits} bits, and OneAPI needs an RSA key of at \
                 least {MIN_RSA_BITS} bits"
            )));
        }
        let pem = key
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|error| ConfigError::new(format!("invalid private key: {error}")))?;
        let encoding = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes())
            .map_err(|error| ConfigError::new(format!("invalid private key: {error}")))?;
        Ok(PrivateKey {
            encoding,
            bits,
            key_id,
        })
    }

    /// Returns the key size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Signs a client assertion: RS256, `iss` = `sub` = client id, `aud` = [`AUDIENCE`],
    /// `iat` now, `exp` ten minutes later, and a random `jti`.
    pub fn sign_assertion(&self, client_id: &str, now: SystemTime) -> Result<String> {
        let issued = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let claims = serde_json::json!({
            "iss": client_id,
            "sub": client_id,
            "aud": AUDIENCE,
            "iat": issued,
            "exp": issued + ASSERTION_LIFETIME.as_secs(),
            "jti": format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
        });
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = self.key_id.clone();
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|error| {
            Error::Config(ConfigError::new(format!(
                "failed to sign the client assertion: {error}"
            )))
        })
    }
}

/// A bearer token and when to renew it.
struct Token {
    header: reqwest::header::HeaderValue,
    renew_at: Instant,
}

impl Token {
    /// Creates a token that is due for renewal [`renewal_margin`] before `lifetime` ends.
    fn new(header: reqwest::header::HeaderValue, lifetime: Duration) -> Self {
        Token {
            header,
            renew_at: Instant::now() + lifetime - renewal_margin(lifetime),
        }
    }
}

impl Renewable for Token {
    fn needs_renewal(&self) -> bool {
        Instant::now() >= self.renew_at
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Secret,
    #[serde(default)]
    expires_in: Option<crate::wire::NumberString>,
}

/// Fetches, shares and renews the OneAPI token.
///
/// One instance serves every product client of a login, so ZIA and ZPA calls share one token,
/// and concurrent first calls make one token request.
pub struct OneApiAuth {
    client_id: String,
    credential: ClientCredential,
    token_url: String,
    slot: SessionSlot<Token>,
}

impl fmt::Debug for OneApiAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneApiAuth")
            .field("client_id", &self.client_id)
            .field("credential", &self.credential)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

impl OneApiAuth {
    /// Creates the authenticator. Makes no request: the token is fetched on first use.
    pub fn new(
        client_id: impl Into<String>,
        credential: ClientCredential,
        token_url: impl Into<String>,
    ) -> Self {
        OneApiAuth {
            client_id: client_id.into(),
            credential,
            token_url: token_url.into(),
            slot: SessionSlot::new(),
        }
    }

    /// Returns the token URL.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// Returns the number of tokens fetched so far.
    pub async fn tokens_fetched(&self) -> u64 {
        self.slot.logins().await
    }

    async fn fetch_token(&self, transport: &Transport) -> Result<Token> {
        let assertion;
        let mut fields = vec![
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("audience", AUDIENCE),
        ];
        match &self.credential {
            ClientCredential::Secret(secret) => fields.push(("client_secret", secret.expose())),
            ClientCredential::PrivateKey(key) => {
                assertion = key.sign_assertion(&self.client_id, SystemTime::now())?;
                fields.push(("client_assertion", assertion.as_str()));
                fields.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ));
            }
        }
        let request = Request::post(self.token_url.clone()).form(&fields);
        let response = transport
            .send(&request)
            .await
            .map_err(|error| match error {
                Error::Api(details) if matches!(details.status, 400 | 403) => {
                    Error::Authentication(details)
                }
                other => other,
            })?;
        let token: TokenResponse = transport.decode(&request, &response)?;
        let lifetime = token
            .expires_in
            .as_ref()
            .and_then(|value| value.as_f64())
            .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
            .map(Duration::from_secs_f64)
            .unwrap_or(Duration::from_secs(3600));
        let header = sensitive_header(&format!("Bearer {}", token.access_token.expose()))?;
        tracing::info!(lifetime_secs = lifetime.as_secs(), "fetched a OneAPI token");
        Ok(Token::new(header, lifetime))
    }
}

/// Returns how long before expiry a token is renewed: a tenth of its lifetime, at most five
/// minutes, so long-lived tokens renew five minutes early and short-lived ones still get used.
pub fn renewal_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(300))
}

#[async_trait]
impl Authenticator for OneApiAuth {
    async fn credentials(&self, transport: &Transport) -> Result<Credentials> {
        let (token, generation) = self
            .slot
            .get_or_login(|| self.fetch_token(transport))
            .await?;
        Ok(Credentials {
            generation,
            headers: vec![(AUTHORIZATION, token.header.clone())],
        })
    }

    fn is_expired(&self, status: u16, _body: &[u8]) -> bool {
        status == 401
    }

    async fn invalidate(&self, generation: u64) {
        self.slot.invalidate(generation).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_table_rows() {
        let rows = [
            (
                "PRODUCTION",
                "https://acme.zslogin.net/oauth2/v1/token",
                "https://api.zsapi.net",
            ),
            (
                "beta",
                "https://acme.zsloginbeta.net/oauth2/v1/token",
                "https://api.beta.zsapi.net",
            ),
            (
                "Gov",
                "https://acme.zidentitygov.net/oauth2/v1/token",
                "https://api.zscalergov.net",
            ),
            (
                "GOV-US",
                "https://acme.zidentitygov.us/oauth2/v1/token",
                "https://api.zscalergov.us",
            ),
        ];
        for (name, token_url, gateway) in rows {
            let cloud: OneApiCloud = name.parse().expect("known cloud");
            assert_eq!(cloud.token_url("acme"), token_url, "{name}");
            assert_eq!(cloud.gateway_url(), gateway, "{name}");
        }
    }

    #[test]
    fn unknown_cloud_lists_valid_ones() {
        let error = "mars".parse::<OneApiCloud>().expect_err("unknown cloud");
        let text = error.to_string();
        assert!(text.contains("\"mars\""), "{text}");
        assert!(text.contains("PRODUCTION, BETA, GOV, GOVUS"), "{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn token_due_for_renewal_before_expiry() {
        let header = reqwest::header::HeaderValue::from_static("Bearer test");
        let token = Token::new(header, Duration::from_secs(83_999));

        tokio::time::advance(Duration::from_secs(83_999 - 301)).await;
        assert!(!token.needs_renewal(), "still fresh 301 s before expiry");

        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(token.needs_renewal(), "due 299 s before expiry");
    }

    #[test]
    fn renewal_margin_scales() {
        assert_eq!(
            renewal_margin(Duration::from_secs(83_999)),
            Duration::from_secs(300)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(60)),
            Duration::from_secs(6)
        );
    }

    #[test]
    fn key_file_and_jwk_forms_parse() {
        let dir = std::env::temp_dir().join(format!("zscaler-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("key.pem");
        std::fs::write(&path, KEY_2048).expect("write key");
        let from_file = PrivateKey::parse(path.to_str().expect("utf-8 path")).expect("file key");
        assert_eq!(from_file.bits(), 2048);

        use base64::Engine as _;
        use rsa::traits::PrivateKeyParts;
        let key = RsaPrivateKey::from_pkcs1_pem(KEY_2048).expect("test key");
        let b64 = |n: &rsa::BigUint| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(n.to_bytes_be())
        };
        let primes = key.primes();
        let jwk = serde_json::json!({
            "kty": "RSA", "kid": "k1",
            "n": b64(key.n()), "e": b64(key.e()), "d": b64(key.d()),
            "p": b64(&primes[0]), "q": b64(&primes[1]),
        });
        let from_jwk = PrivateKey::parse(&jwk.to_string()).expect("JWK key");
        assert_eq!(from_jwk.bits(), 2048);
        assert_eq!(from_jwk.key_id.as_deref(), Some("k1"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn unreadable_key_is_config_error() {
        let error = PrivateKey::parse("/nonexistent/key.pem").expect_err("no such file");
        assert!(
            error.to_string().contains("/nonexistent/key.pem"),
            "{error}"
        );
        let error =
            PrivateKey::parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
                .expect_err("garbage PEM");
        assert!(
            error.to_string().contains("not an RSA private key"),
            "{error}"
        );
        let error = PrivateKey::parse(r#"{"kty":"EC","n":"","e":""}"#).expect_err("EC key");
        assert!(error.to_string().contains("expected \"RSA\""), "{error}");
    }

    const KEY_2048: &str = include_str!("../testdata/rsa2048.pem");
    const PUBLIC_2048: &str = include_str!("../testdata/rsa2048.pub.pem");
    const KEY_1024: &str = include_str!("../testdata/rsa1024.pem");

    #[test]
    fn short_key_is_rejected() {
        let error = PrivateKey::from_pem(KEY_1024).expect_err("1024 bits is too short");
        assert!(error.to_string().contains("1024 bits"), "{error}");
    }

    #[test]
    fn assertion_claims_and_signature() {
        let private = PrivateKey::parse(KEY_2048).expect("valid key");
        assert_eq!(private.bits(), 2048);
        assert!(!format!("{private:?}").contains("BEGIN"));

        let now = SystemTime::now();
        let token = private.sign_assertion("client-1", now).expect("signs");

        let decoding =
            jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC_2048.as_bytes()).expect("public key");
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&["client-1"]);
        let decoded = jsonwebtoken::decode::<serde_json::Value>(&token, &decoding, &validation)
            .expect("signature and claims verify");
        assert_eq!(decoded.claims["sub"], "client-1");
        let exp = decoded.claims["exp"].as_u64().expect("exp");
        let iat = decoded.claims["iat"].as_u64().expect("iat");
        assert_eq!(exp - iat, 600);
    }
}
