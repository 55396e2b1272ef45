//! [`Client`]: one OneAPI (ZIdentity) login for every product.
//!
//! ```no_run
//! # #[cfg(all(feature = "zia", feature = "zpa"))]
//! # async fn run() -> zscaler::Result<()> {
//! let client = zscaler::Client::builder()
//!     .client_id("my-client-id")
//!     .client_secret("my-client-secret")
//!     .vanity_domain("acme")
//!     .customer_id("216196257331281920")
//!     .build()?;
//! let users = client.zia().users().list().max_items(10).collect().await?;
//! let groups = client.zpa()?.segment_groups().list().collect().await?;
//! # Ok(())
//! # }
//! ```

// Without a product feature the client fetches tokens for nothing; it still builds.
#![cfg_attr(
    not(any(feature = "zia", feature = "zpa")),
    allow(dead_code, unused_variables)
)]

use std::fmt;
use std::sync::Arc;

use zscaler_core::config::Problems;
use zscaler_core::http::{HeaderMap, HeaderName, HeaderValue};
use zscaler_core::oneapi::{
    ClientCredential, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_CLOUD, ENV_CUSTOMER_ID,
    ENV_MICROTENANT_ID, ENV_PARTNER_ID, ENV_PRIVATE_KEY, ENV_VANITY_DOMAIN, OneApiAuth,
    OneApiCloud, PrivateKey,
};
use zscaler_core::{
    CacheSettings, ClientSettings, ConfigError, Env, HttpSettings, Product, RateLimitSettings,
    Result, RetryPolicy, Secret, Service, Transport, TransportConfig,
};

/// `ZSCALER_TOKEN_URL`: replaces the token URL derived from the vanity domain and cloud.
pub const ENV_TOKEN_URL: &str = "ZSCALER_TOKEN_URL";
/// `ZSCALER_GATEWAY_URL`: replaces the cloud's API gateway URL.
pub const ENV_GATEWAY_URL: &str = "ZSCALER_GATEWAY_URL";

/// The header that carries the partner id.
const PARTNER_HEADER: &str = "x-partner-id";

/// A OneAPI client: one ZIdentity token for ZIA and ZPA, through the API gateway.
///
/// Building one makes no request. The token is fetched on the first call of any product,
/// once even when many calls start together, renewed before it expires and after a 401, and
/// shared by every product client and clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    auth: Arc<OneApiAuth>,
    gateway: String,
    #[cfg(feature = "zia")]
    zia: zscaler_zia::ZiaClient,
    #[cfg(feature = "zpa")]
    zpa: Option<zscaler_zpa::ZpaClient>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("auth", &self.inner.auth)
            .field("gateway", &self.inner.gateway)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Returns a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Builds a client from the process environment: `ZSCALER_CLIENT_ID`, either
    /// `ZSCALER_CLIENT_SECRET` or `ZSCALER_PRIVATE_KEY`, `ZSCALER_VANITY_DOMAIN`, and optionally
    /// `ZSCALER_CLOUD`, `ZSCALER_CUSTOMER_ID`, `ZSCALER_MICROTENANT_ID`, `ZSCALER_PARTNER_ID`,
    /// `ZSCALER_TOKEN_URL`, `ZSCALER_GATEWAY_URL`, and the shared HTTP, retry and cache
    /// variables. Every missing or invalid variable is listed in one error.
    pub fn from_env() -> Result<Self> {
        Client::from_env_with(&Env::process())
    }

    /// Same as [`from_env`](Self::from_env), reading the given environment.
    pub fn from_env_with(env: &Env) -> Result<Self> {
        Client::builder().with_env(env).build()
    }

    /// Returns the ZIA client, routed through the gateway's `/zia` prefix.
    #[cfg(feature = "zia")]
    #[cfg_attr(docsrs, doc(cfg(feature = "zia")))]
    pub fn zia(&self) -> &zscaler_zia::ZiaClient {
        &self.inner.zia
    }

    /// Returns the ZPA client, routed through the gateway's `/zpa` prefix. Fails when no
    /// customer id was configured.
    #[cfg(feature = "zpa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "zpa")))]
    pub fn zpa(&self) -> Result<&zscaler_zpa::ZpaClient> {
        self.inner.zpa.as_ref().ok_or_else(|| {
            ConfigError::missing(
                "ZPA customer id for OneAPI",
                "ClientBuilder::customer_id",
                Some(ENV_CUSTOMER_ID),
            )
            .into()
        })
    }

    /// Returns the API gateway URL.
    pub fn gateway_url(&self) -> &str {
        &self.inner.gateway
    }

    /// Returns the number of tokens fetched so far.
    pub async fn tokens_fetched(&self) -> u64 {
        self.inner.auth.tokens_fetched().await
    }
}

/// Settings of a [`Client`], validated in [`build`](Self::build).
#[derive(Default)]
pub struct ClientBuilder {
    client_id: Option<String>,
    client_secret: Option<Secret>,
    private_key: Option<Secret>,
    vanity_domain: Option<String>,
    cloud: Option<OneApiCloud>,
    cloud_name: Option<String>,
    customer_id: Option<String>,
    microtenant_id: Option<String>,
    partner_id: Option<String>,
    token_url: Option<String>,
    gateway_url: Option<String>,
    http: Option<HttpSettings>,
    retry: Option<RetryPolicy>,
    cache: Option<CacheSettings>,
    rate_limit: Option<RateLimitSettings>,
    problems: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("private_key", &self.private_key)
            .field("vanity_domain", &self.vanity_domain)
            .field("cloud", &self.cloud)
            .field("customer_id", &self.customer_id)
            .field("partner_id", &self.partner_id)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sets the ZIdentity API client id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Authenticates with a client secret.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Authenticates with a signed client assertion: the RSA private key (at least 2048 bits)
    /// as PEM text, a JWK, or the path of a file holding either.
    pub fn private_key(mut self, key: impl Into<Secret>) -> Self {
        self.private_key = Some(key.into());
        self
    }

    /// Sets the tenant's ZIdentity vanity domain (`acme` for `acme.zslogin.net`).
    pub fn vanity_domain(mut self, domain: impl Into<String>) -> Self {
        self.vanity_domain = Some(domain.into());
        self
    }

    /// Sets the cloud (default production).
    pub fn cloud(mut self, cloud: OneApiCloud) -> Self {
        self.cloud = Some(cloud);
        self.cloud_name = None;
        self
    }

    /// Sets the cloud by name (`PRODUCTION`, `BETA`, `GOV`, `GOVUS`), parsed in
    /// [`build`](Self::build).
    pub fn cloud_name(mut self, name: impl Into<String>) -> Self {
        self.cloud_name = Some(name.into());
        self.cloud = None;
        self
    }

    /// Sets the ZPA customer id, needed for ZPA calls.
    pub fn customer_id(mut self, id: impl Into<String>) -> Self {
        self.customer_id = Some(id.into());
        self
    }

    /// Sets a ZPA microtenant sent on every ZPA call.
    pub fn microtenant_id(mut self, id: impl Into<String>) -> Self {
        self.microtenant_id = Some(id.into());
        self
    }

    /// Sets the partner id sent as `x-partner-id` on every request, token requests included.
    pub fn partner_id(mut self, id: impl Into<String>) -> Self {
        self.partner_id = Some(id.into());
        self
    }

    /// Replaces the token URL derived from the vanity domain and cloud. It must be `https://`,
    /// or `http://` to a loopback host.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Replaces the cloud's API gateway URL. It must be `https://`, or `http://` to a loopback
    /// host.
    pub fn gateway_url(mut self, url: impl Into<String>) -> Self {
        self.gateway_url = Some(url.into());
        self
    }

    /// Sets the HTTP client settings, used for token and API requests alike.
    pub fn http(mut self, settings: HttpSettings) -> Self {
        self.http = Some(settings);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the response cache settings (off by default).
    pub fn cache(mut self, settings: CacheSettings) -> Self {
        self.cache = Some(settings);
        self
    }

    /// Sets the client-side rate limits.
    pub fn rate_limit(mut self, settings: RateLimitSettings) -> Self {
        self.rate_limit = Some(settings);
        self
    }

    /// Reads every `ZSCALER_*` variable that is set, replacing what was set before. Invalid
    /// values are reported by [`build`](Self::build).
    pub fn with_env(mut self, env: &Env) -> Self {
        let mut problems = Problems::default();
        if let Some(value) = problems.take(env.text(ENV_CLIENT_ID)) {
            self.client_id = Some(value);
        }
        if let Some(value) = problems.take(env.text(ENV_CLIENT_SECRET)) {
            self.client_secret = Some(Secret::new(value));
        }
        if let Some(value) = problems.take(env.text(ENV_PRIVATE_KEY)) {
            self.private_key = Some(Secret::new(value));
        }
        if let Some(value) = problems.take(env.text(ENV_VANITY_DOMAIN)) {
            self.vanity_domain = Some(value);
        }
        if let Some(value) = problems.take(env.text(ENV_CLOUD)) {
            self = self.cloud_name(value);
        }
        if let Some(value) = problems.take(env.text(ENV_CUSTOMER_ID)) {
            self.customer_id = Some(value);
        }
        if let Some(value) = problems.take(env.text(ENV_MICROTENANT_ID)) {
            self.microtenant_id = Some(value);
        }
        if let Some(value) = problems.take(env.text(ENV_PARTNER_ID)) {
            self.partner_id = Some(value);
        }
        if let Some(value) = problems.take(env.text(ENV_TOKEN_URL)) {
            self.token_url = Some(value);
        }
        if let Some(value) = problems.take(env.text(ENV_GATEWAY_URL)) {
            self.gateway_url = Some(value);
        }
        let shared = ClientSettings::from_env(env, &mut problems);
        self.http = Some(shared.http);
        self.retry = Some(shared.retry);
        self.cache = Some(shared.cache);
        self.rate_limit = Some(shared.rate_limit);
        if let Err(error) = problems.finish() {
            self.problems.extend(error.problems().iter().cloned());
        }
        self
    }

    /// Validates the settings and builds the client and its product clients. Makes no request
    /// and needs no running async runtime.
    pub fn build(self) -> Result<Client> {
        let mut problems = Problems::default();
        for problem in &self.problems {
            problems.push(problem.clone());
        }

        let client_id = non_empty(self.client_id.clone());
        if client_id.is_none() {
            problems.extend(ConfigError::missing(
                "OneAPI client id",
                "ClientBuilder::client_id",
                Some(ENV_CLIENT_ID),
            ));
        }
        let credential = self.credential(&mut problems);
        let cloud = self.resolve_cloud(&mut problems);
        let token_url = self.resolve_token_url(cloud, &mut problems);
        let gateway = match &self.gateway_url {
            Some(url) => checked_url(
                url,
                "ClientBuilder::gateway_url",
                ENV_GATEWAY_URL,
                &mut problems,
            ),
            None => Some(cloud.gateway_url().to_owned()),
        };
        let customer_id = non_empty(self.customer_id.clone());
        if let Some(id) = &customer_id
            && !id.bytes().all(|b| b.is_ascii_digit())
        {
            problems.push(format!(
                "invalid ZPA customer id {id:?}: expected the tenant's numeric id such as \
                 216196257331281920; call `ClientBuilder::customer_id` or set {ENV_CUSTOMER_ID}"
            ));
        }
        let partner_header = match non_empty(self.partner_id.clone()) {
            Some(id) => match HeaderValue::from_str(&id) {
                Ok(value) => Some(value),
                Err(_) => {
                    problems.push(format!(
                        "invalid partner id {id:?}: it must be printable ASCII; call \
                         `ClientBuilder::partner_id` or set {ENV_PARTNER_ID}"
                    ));
                    None
                }
            },
            None => None,
        };
        problems.finish()?;

        let (Some(client_id), Some(credential), Some(token_url), Some(gateway)) =
            (client_id, credential, token_url, gateway)
        else {
            unreachable!("every missing setting was recorded, so finish() returned an error");
        };

        let auth = Arc::new(OneApiAuth::new(client_id.clone(), credential, token_url));
        let mut headers = HeaderMap::new();
        if let Some(value) = partner_header {
            headers.insert(HeaderName::from_static(PARTNER_HEADER), value);
        }
        let gateway = gateway.trim_end_matches('/').to_owned();
        let parts = Parts {
            auth: Arc::clone(&auth),
            gateway: gateway.clone(),
            headers,
            http: self.http.clone().unwrap_or_default(),
            retry: self.retry.clone().unwrap_or_default(),
            cache: self.cache.clone().unwrap_or_default(),
            rate_limit: self.rate_limit.clone().unwrap_or_default(),
        };

        #[cfg(feature = "zia")]
        let zia = {
            let service = parts.service(
                Product::Zia,
                "zscaler-zia",
                "/zia",
                &format!("oneapi:{client_id}"),
            )?;
            zscaler_zia::ZiaClient::from_service(service)?
        };
        #[cfg(feature = "zpa")]
        let zpa = match customer_id {
            Some(customer_id) => {
                let service = parts.service(Product::Zpa, "zscaler-zpa", "/zpa", &customer_id)?;
                Some(zscaler_zpa::ZpaClient::from_service(
                    service,
                    customer_id,
                    non_empty(self.microtenant_id.clone()),
                )?)
            }
            None => None,
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                auth,
                gateway,
                #[cfg(feature = "zia")]
                zia,
                #[cfg(feature = "zpa")]
                zpa,
            }),
        })
    }

    fn credential(&self, problems: &mut Problems) -> Option<ClientCredential> {
        let secret = self.client_secret.clone().filter(|s| !s.is_empty());
        let key = self.private_key.clone().filter(|k| !k.is_empty());
        match (secret, key) {
            (Some(_), Some(_)) => {
                problems.push(format!(
                    "both a OneAPI client secret and a private key are set: keep one, through \
                     `ClientBuilder::client_secret` or {ENV_CLIENT_SECRET}, or \
                     `ClientBuilder::private_key` or {ENV_PRIVATE_KEY}"
                ));
                None
            }
            (Some(secret), None) => Some(ClientCredential::Secret(secret)),
            (None, Some(key)) => match PrivateKey::parse(key.expose()) {
                Ok(key) => Some(ClientCredential::PrivateKey(Arc::new(key))),
                Err(error) => {
                    problems.push(format!(
                        "{}; call `ClientBuilder::private_key` or set {ENV_PRIVATE_KEY}",
                        error.problems().join("; ")
                    ));
                    None
                }
            },
            (None, None) => {
                problems.push(format!(
                    "missing OneAPI client credential: call `ClientBuilder::client_secret` or \
                     set {ENV_CLIENT_SECRET}, or call `ClientBuilder::private_key` or set \
                     {ENV_PRIVATE_KEY}"
                ));
                None
            }
        }
    }

    fn resolve_cloud(&self, problems: &mut Problems) -> OneApiCloud {
        match (self.cloud, &self.cloud_name) {
            (Some(cloud), _) => cloud,
            (None, Some(name)) => name.parse().unwrap_or_else(|error: ConfigError| {
                problems.push(format!(
                    "{}; call `ClientBuilder::cloud_name` or set {ENV_CLOUD}",
                    error.problems().join("; ")
                ));
                OneApiCloud::PRODUCTION
            }),
            (None, None) => OneApiCloud::PRODUCTION,
        }
    }

    fn resolve_token_url(&self, cloud: OneApiCloud, problems: &mut Problems) -> Option<String> {
        if let Some(url) = &self.token_url {
            return checked_url(url, "ClientBuilder::token_url", ENV_TOKEN_URL, problems);
        }
        let Some(domain) = non_empty(self.vanity_domain.clone()) else {
            problems.extend(ConfigError::missing(
                "OneAPI vanity domain",
                "ClientBuilder::vanity_domain",
                Some(ENV_VANITY_DOMAIN),
            ));
            return None;
        };
        let valid = domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            problems.push(format!(
                "invalid vanity domain {domain:?}: expected the first label of the ZIdentity \
                 host, such as acme for acme.zslogin.net; call `ClientBuilder::vanity_domain` \
                 or set {ENV_VANITY_DOMAIN}"
            ));
            return None;
        }
        Some(cloud.token_url(&domain))
    }
}

/// Settings every product service of one client shares.
struct Parts {
    auth: Arc<OneApiAuth>,
    gateway: String,
    headers: HeaderMap,
    http: HttpSettings,
    retry: RetryPolicy,
    cache: CacheSettings,
    rate_limit: RateLimitSettings,
}

impl Parts {
    fn service(
        &self,
        product: Product,
        product_crate: &'static str,
        prefix: &str,
        tenant: &str,
    ) -> Result<Service> {
        let mut config = TransportConfig::new(
            product,
            product_crate,
            env!("CARGO_PKG_VERSION"),
            format!("{}{prefix}", self.gateway),
        );
        config.http = self.http.clone();
        config.retry = self.retry.clone();
        config.rate_limit = self.rate_limit.clone();
        config.default_headers = self.headers.clone();
        let transport = Transport::new(config)?;
        let auth: Arc<dyn zscaler_core::Authenticator> = self.auth.clone();
        Ok(Service::new(transport, auth, &self.cache, tenant))
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// Returns the URL without a trailing slash when it is `https://`, or `http://` to a loopback
/// host; else records a problem.
fn checked_url(url: &str, setter: &str, variable: &str, problems: &mut Problems) -> Option<String> {
    let redacted_url = zscaler_core::redact::url_for_log(url.trim());
    let parsed = match url::Url::parse(url.trim()) {
        Ok(parsed) => parsed,
        Err(error) => {
            problems.push(format!(
                "invalid URL {redacted_url:?}: {error}; call `{setter}` or set {variable}"
            ));
            return None;
        }
    };
    let loopback = match parsed.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    };
    match parsed.scheme() {
        "https" => Some(url.trim().trim_end_matches('/').to_owned()),
        "http" if loopback => Some(url.trim().trim_end_matches('/').to_owned()),
        "http" => {
            problems.push(format!(
                "invalid URL {redacted_url:?}: plain http is allowed only for loopback hosts; use \
                 https, through `{setter}` or {variable}"
            ));
            None
        }
        other => {
            problems.push(format!(
                "invalid URL {redacted_url:?}: unsupported scheme {other:?}; use https, through \
                 `{setter}` or {variable}"
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_settings_listed_together() {
        let error = Client::from_env_with(&Env::default()).expect_err("nothing is set");
        let text = error.to_string();
        for variable in [ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_VANITY_DOMAIN] {
            assert!(text.contains(variable), "{variable} missing from {text}");
        }
    }

    #[test]
    fn secret_and_key_together_rejected() {
        let env = Env::from_pairs([
            (ENV_CLIENT_ID, "id"),
            (ENV_CLIENT_SECRET, "secret"),
            (ENV_PRIVATE_KEY, "/some/key.pem"),
            (ENV_VANITY_DOMAIN, "acme"),
        ]);
        let error = Client::from_env_with(&env).expect_err("two credentials");
        assert!(error.to_string().contains("keep one"), "{error}");
        assert!(!error.to_string().contains("secret\""), "{error}");
    }

    #[test]
    fn plain_http_gateway_rejected_off_loopback() {
        let error = Client::builder()
            .client_id("id")
            .client_secret("secret")
            .vanity_domain("acme")
            .gateway_url("http://api.example.com")
            .build()
            .expect_err("plain http to a remote host");
        assert!(error.to_string().contains("loopback"), "{error}");
    }

    #[test]
    fn unknown_cloud_and_bad_vanity_reported() {
        let env = Env::from_pairs([
            (ENV_CLIENT_ID, "id"),
            (ENV_CLIENT_SECRET, "secret"),
            (ENV_VANITY_DOMAIN, "acme.zslogin.net"),
            (ENV_CLOUD, "moon"),
        ]);
        let text = Client::from_env_with(&env)
            .expect_err("two problems")
            .to_string();
        assert!(text.contains("\"moon\""), "{text}");
        assert!(text.contains("invalid vanity domain"), "{text}");
        assert_eq!(text.matches("invalid configuration").count(), 1, "{text}");
    }

    #[test]
    fn invalid_customer_id_names_variable() {
        let env = Env::from_pairs([
            (ENV_CLIENT_ID, "id"),
            (ENV_CLIENT_SECRET, "secret"),
            (ENV_VANITY_DOMAIN, "acme"),
            (ENV_CUSTOMER_ID, "acme-corp"),
        ]);
        let error = Client::from_env_with(&env).expect_err("not numeric");
        assert!(error.to_string().contains(ENV_CUSTOMER_ID), "{error}");
        assert!(error.to_string().contains("\"acme-corp\""), "{error}");
    }

    #[test]
    fn debug_hides_secret() {
        let builder = Client::builder().client_id("id").client_secret("hunter2");
        assert!(!format!("{builder:?}").contains("hunter2"));
    }

    #[cfg(feature = "zpa")]
    #[test]
    fn zpa_needs_customer_id() {
        let client = Client::builder()
            .client_id("id")
            .client_secret("secret")
            .vanity_domain("acme")
            .build()
            .expect("valid settings");
        let error = client.zpa().expect_err("no customer id");
        assert!(error.to_string().contains(ENV_CUSTOMER_ID), "{error}");
        assert_eq!(client.gateway_url(), "https://api.zsapi.net");
    }
}
