//! The ZPA client, its builder and the environment variables it reads.
//!
//! ```no_run
//! use zscaler_zpa::{Cloud, ZpaClient};
//!
//! # fn run() -> zscaler_zpa::Result<()> {
//! let zpa = ZpaClient::builder()
//!     .client_id("my-client-id")
//!     .client_secret("my-client-secret")
//!     .customer_id("216196257331281920")
//!     .cloud(Cloud::ZpaTwo)
//!     .build()?;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use zscaler_core::config::Problems;
use zscaler_core::{
    CacheSettings, ClientSettings, ConfigError, Env, HttpSettings, Product, RateLimitSettings,
    Result, RetryPolicy, Secret, Service, Stats, Transport, TransportConfig,
};

use crate::app_connector_groups::AppConnectorGroups;
use crate::application_segments::ApplicationSegments;
use crate::auth::ZpaAuthenticator;
use crate::cloud::Cloud;
use crate::paths::Paths;
use crate::policy::{Policies, PolicyState};
use crate::resource::{Resources, ZpaResource};
use crate::segment_groups::SegmentGroups;
use crate::server_groups::ServerGroups;

/// `ZPA_CLIENT_ID`: the API client's id.
pub const ENV_CLIENT_ID: &str = "ZPA_CLIENT_ID";
/// `ZPA_CLIENT_SECRET`: the API client's secret.
pub const ENV_CLIENT_SECRET: &str = "ZPA_CLIENT_SECRET";
/// `ZPA_CUSTOMER_ID`: the tenant's numeric customer id.
pub const ENV_CUSTOMER_ID: &str = "ZPA_CUSTOMER_ID";
/// `ZPA_CLOUD`: the cloud name, such as `PRODUCTION` (the default) or `ZPATWO`.
pub const ENV_CLOUD: &str = "ZPA_CLOUD";
/// `ZPA_MICROTENANT_ID`: a microtenant sent as `microtenantId` on every call.
pub const ENV_MICROTENANT_ID: &str = "ZPA_MICROTENANT_ID";
/// `ZPA_BASE_URL`: a base URL that replaces the cloud's host, for proxies and simulators.
pub const ENV_BASE_URL: &str = "ZPA_BASE_URL";

/// A client of one ZPA tenant.
///
/// Building one makes no request; the first call signs in. Clones share the token, the
/// connection pool, the rate limiter, the cache and the counters.
#[derive(Clone)]
pub struct ZpaClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    service: Service,
    paths: Paths,
    cloud: Option<Cloud>,
    base_url: String,
    microtenant_id: Option<String>,
    policy_state: PolicyState,
}

impl fmt::Debug for ZpaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZpaClient")
            .field("customer_id", &self.inner.paths.customer_id())
            .field("cloud", &self.inner.cloud)
            .field("base_url", &self.inner.base_url)
            .field("microtenant_id", &self.inner.microtenant_id)
            .finish_non_exhaustive()
    }
}

impl ZpaClient {
    /// Returns a builder.
    pub fn builder() -> ZpaClientBuilder {
        ZpaClientBuilder::default()
    }

    /// Builds a client from the process environment: `ZPA_CLIENT_ID`, `ZPA_CLIENT_SECRET`,
    /// `ZPA_CUSTOMER_ID`, and optionally `ZPA_CLOUD` (default `PRODUCTION`),
    /// `ZPA_MICROTENANT_ID` and `ZPA_BASE_URL`, plus the shared `ZSCALER_HTTP_*`,
    /// `ZSCALER_MAX_RETRIES`, `ZSCALER_MAX_RETRY_WAIT`, `ZSCALER_REQUEST_DEADLINE`, `ZSCALER_PROXY`
    /// and `ZSCALER_CLIENT_CACHE_*` settings. Every missing or invalid variable is listed in
    /// one [`ConfigError`].
    pub fn from_env() -> Result<Self> {
        ZpaClient::from_env_with(&Env::process())
    }

    /// Same as [`from_env`](Self::from_env), reading the given environment.
    pub fn from_env_with(env: &Env) -> Result<Self> {
        ZpaClient::builder().with_env(env).build()
    }

    /// Builds a client on a service that already authenticates its requests, such as the
    /// OneAPI service of `zscaler::Client`. The service's base URL ends with the ZPA prefix of
    /// the gateway (`https://api.zsapi.net/zpa`), since every ZPA path is appended to it. Makes
    /// no request.
    pub fn from_service(
        service: Service,
        customer_id: impl Into<String>,
        microtenant_id: Option<String>,
    ) -> Result<Self> {
        let customer_id = customer_id.into().trim().to_owned();
        if customer_id.is_empty() || !customer_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError::new(format!(
                "invalid ZPA customer id {customer_id:?}: expected the tenant's numeric id such \
                 as 216196257331281920"
            ))
            .into());
        }
        let base_url = service.transport().base_url().to_owned();
        Ok(ZpaClient {
            inner: Arc::new(ClientInner {
                service,
                paths: Paths::new(customer_id),
                cloud: None,
                base_url,
                microtenant_id: microtenant_id
                    .map(|id| id.trim().to_owned())
                    .filter(|id| !id.is_empty()),
                policy_state: PolicyState::default(),
            }),
        })
    }

    /// Returns the application segment API.
    pub fn application_segments(&self) -> ApplicationSegments {
        self.resources()
    }

    /// Returns the segment group API.
    pub fn segment_groups(&self) -> SegmentGroups {
        self.resources()
    }

    /// Returns the server group API.
    pub fn server_groups(&self) -> ServerGroups {
        self.resources()
    }

    /// Returns the app connector group API.
    pub fn app_connector_groups(&self) -> AppConnectorGroups {
        self.resources()
    }

    /// Returns the policy rule API of the access policy, or of another policy type chosen with
    /// [`Policies::policy_type`]. It looks policy sets up once and serialises rule writes per
    /// policy set.
    pub fn policies(&self) -> Policies {
        Policies::new(self.clone())
    }

    pub(crate) fn policy_state(&self) -> &PolicyState {
        &self.inner.policy_state
    }

    /// Returns the API of any collection with a [`ZpaResource`] model, including models a
    /// program defines for collections this crate has no module for.
    pub fn resources<T: ZpaResource>(&self) -> Resources<T> {
        Resources::new(self.clone())
    }

    /// Returns the tenant's customer id.
    pub fn customer_id(&self) -> &str {
        self.inner.paths.customer_id()
    }

    /// Returns the client's default microtenant, sent as `microtenantId` on every call.
    pub fn microtenant_id(&self) -> Option<&str> {
        self.inner.microtenant_id.as_deref()
    }

    /// Returns the cloud of a legacy login, or `None` for a client built on a OneAPI service
    /// with [`from_service`](Self::from_service).
    pub fn cloud(&self) -> Option<Cloud> {
        self.inner.cloud
    }

    /// Returns the base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Returns the path builder of the tenant.
    pub fn paths(&self) -> &Paths {
        &self.inner.paths
    }

    /// Returns the authenticated request service, for calls this crate has no method for.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// Returns a snapshot of the request counters, shared by every clone.
    pub fn stats(&self) -> Stats {
        self.inner.service.stats()
    }
}

/// Settings of a [`ZpaClient`]. Every setting is validated in [`build`](Self::build), which
/// lists all problems at once.
#[derive(Default)]
pub struct ZpaClientBuilder {
    client_id: Option<String>,
    client_secret: Option<Secret>,
    customer_id: Option<String>,
    cloud: Option<Cloud>,
    cloud_name: Option<String>,
    microtenant_id: Option<String>,
    base_url: Option<String>,
    http: Option<HttpSettings>,
    retry: Option<RetryPolicy>,
    cache: Option<CacheSettings>,
    rate_limit: Option<RateLimitSettings>,
    problems: Vec<String>,
}

impl fmt::Debug for ZpaClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZpaClientBuilder")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("customer_id", &self.customer_id)
            .field("cloud", &self.cloud)
            .field("cloud_name", &self.cloud_name)
            .field("microtenant_id", &self.microtenant_id)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ZpaClientBuilder {
    /// Sets the API client's id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Sets the API client's secret.
    pub fn client_secret(mut self, client_secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(client_secret.into());
        self
    }

    /// Sets the tenant's customer id, a string of digits such as `216196257331281920`.
    pub fn customer_id(mut self, customer_id: impl Into<String>) -> Self {
        self.customer_id = Some(customer_id.into());
        self
    }

    /// Sets the cloud (default [`Cloud::Production`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = Some(cloud);
        self.cloud_name = None;
        self
    }

    /// Sets the cloud by name, such as `zpatwo`, parsed case-insensitively in
    /// [`build`](Self::build).
    pub fn cloud_name(mut self, name: impl Into<String>) -> Self {
        self.cloud_name = Some(name.into());
        self.cloud = None;
        self
    }

    /// Sets a microtenant, sent as `microtenantId` on every call.
    pub fn microtenant_id(mut self, id: impl Into<String>) -> Self {
        self.microtenant_id = Some(id.into());
        self
    }

    /// Sends requests to this base URL instead of the cloud's host, for a proxy, a gateway or a
    /// local simulator. It must be `https://`, or `http://` to a loopback host (`127.0.0.0/8`,
    /// `::1` or `localhost`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the HTTP client settings.
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

    /// Reads every `ZPA_*` variable that is set, and the shared HTTP, retry and cache
    /// variables, replacing what was set before. Setters called afterwards replace these
    /// values in turn. Invalid values are reported by [`build`](Self::build).
    pub fn with_env(mut self, env: &Env) -> Self {
        let mut problems = Problems::default();
        if let Some(id) = problems.take(env.text(ENV_CLIENT_ID)) {
            self.client_id = Some(id);
        }
        if let Some(secret) = problems.take(env.text(ENV_CLIENT_SECRET)) {
            self.client_secret = Some(Secret::new(secret));
        }
        if let Some(id) = problems.take(env.text(ENV_CUSTOMER_ID)) {
            self.customer_id = Some(id);
        }
        if let Some(name) = problems.take(env.text(ENV_CLOUD)) {
            self = self.cloud_name(name);
        }
        if let Some(id) = problems.take(env.text(ENV_MICROTENANT_ID)) {
            self.microtenant_id = Some(id);
        }
        if let Some(url) = problems.take(env.text(ENV_BASE_URL)) {
            self.base_url = Some(url);
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

    /// Validates the settings and builds the client. Makes no request and needs no running
    /// async runtime.
    pub fn build(self) -> Result<ZpaClient> {
        let mut problems = Problems::default();
        for problem in self.problems {
            problems.push(problem);
        }

        let client_id = self
            .client_id
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty());
        if client_id.is_none() {
            problems.extend(ConfigError::missing(
                "ZPA client id",
                "ZpaClientBuilder::client_id",
                Some(ENV_CLIENT_ID),
            ));
        }
        let client_secret = self.client_secret.filter(|secret| !secret.is_empty());
        if client_secret.is_none() {
            problems.extend(ConfigError::missing(
                "ZPA client secret",
                "ZpaClientBuilder::client_secret",
                Some(ENV_CLIENT_SECRET),
            ));
        }
        let customer_id = self
            .customer_id
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty());
        match &customer_id {
            None => problems.extend(ConfigError::missing(
                "ZPA customer id",
                "ZpaClientBuilder::customer_id",
                Some(ENV_CUSTOMER_ID),
            )),
            Some(id) if !id.bytes().all(|b| b.is_ascii_digit()) => problems.push(format!(
                "invalid ZPA customer id {id:?}: expected the tenant's numeric id such as \
                 216196257331281920; call `ZpaClientBuilder::customer_id` or set \
                 {ENV_CUSTOMER_ID}"
            )),
            Some(_) => {}
        }

        let cloud = match (self.cloud, &self.cloud_name) {
            (Some(cloud), _) => cloud,
            (None, Some(name)) => match name.parse::<Cloud>() {
                Ok(cloud) => cloud,
                Err(error) => {
                    problems.push(format!(
                        "{error}; call `ZpaClientBuilder::cloud` or `ZpaClientBuilder::cloud_name`, \
                         or set {ENV_CLOUD}"
                    ));
                    Cloud::default()
                }
            },
            (None, None) => Cloud::default(),
        };

        let base_url = match &self.base_url {
            Some(url) => match validate_base_url(url) {
                Ok(url) => url,
                Err(problem) => {
                    problems.push(problem);
                    String::new()
                }
            },
            None => cloud.base_url().to_owned(),
        };

        let microtenant_id = self
            .microtenant_id
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty());

        let required = match (client_id, client_secret, customer_id) {
            (Some(id), Some(secret), Some(customer)) => Some((id, secret, customer)),
            _ => None,
        };
        problems.finish()?;
        let (client_id, client_secret, customer_id) =
            required.expect("every missing setting was recorded, so finish() returned an error");

        let mut config = TransportConfig::new(
            Product::Zpa,
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            base_url.clone(),
        );
        config.http = self.http.unwrap_or_default();
        config.retry = self.retry.unwrap_or_default();
        config.rate_limit = self.rate_limit.unwrap_or_default();
        let transport = Transport::new(config)?;

        let authenticator = ZpaAuthenticator::new(client_id, client_secret, customer_id.clone());
        let cache = self.cache.unwrap_or_default();
        let service = Service::new(transport, Arc::new(authenticator), &cache, &customer_id);

        Ok(ZpaClient {
            inner: Arc::new(ClientInner {
                service,
                paths: Paths::new(customer_id),
                cloud: Some(cloud),
                base_url: base_url.trim_end_matches('/').to_owned(),
                microtenant_id,
                policy_state: PolicyState::default(),
            }),
        })
    }
}

/// Checks a base URL override and returns it without a trailing slash, or a problem message.
fn validate_base_url(url: &str) -> std::result::Result<String, String> {
    let url_text = zscaler_core::redact::url_for_log(url.trim());
    let hint = format!("call `ZpaClientBuilder::base_url` or set {ENV_BASE_URL}");
    let parsed = url::Url::parse(url.trim()).map_err(|error| {
        format!(
            "invalid ZPA base URL {url_text:?}: {error}; expected a URL such as \
             https://config.private.zscaler.com; {hint}"
        )
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "invalid ZPA base URL {url_text:?}: it must not contain a user name or password; {hint}"
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "invalid ZPA base URL {url_text:?}: it must not have a query or fragment; {hint}"
        ));
    }
    let Some(host) = parsed.host() else {
        return Err(format!(
            "invalid ZPA base URL {url_text:?}: it has no host; {hint}"
        ));
    };
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(format!(
                "invalid ZPA base URL {url_text:?}: plain http is allowed only for loopback hosts \
                 (127.0.0.0/8, ::1, localhost), because the client secret and token would \
                 cross the network unencrypted; use https; {hint}"
            ));
        }
        other => {
            return Err(format!(
                "invalid ZPA base URL {url_text:?}: unsupported scheme {other:?}; use https; {hint}"
            ));
        }
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(address) => IpAddr::V4(*address).is_loopback(),
        url::Host::Ipv6(address) => IpAddr::V6(*address).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_http_allowed() {
        for url in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3/",
            "http://[::1]:9000",
            "http://localhost:1234/zpa/",
            "https://config.example.com",
        ] {
            assert!(validate_base_url(url).is_ok(), "{url}");
        }
        assert_eq!(
            validate_base_url("http://localhost:1234/zpa/").as_deref(),
            Ok("http://localhost:1234/zpa")
        );
    }

    #[test]
    fn non_loopback_http_rejected() {
        for url in [
            "http://config.private.zscaler.com",
            "http://10.0.0.1",
            "http://localhost.example.com",
        ] {
            let problem = validate_base_url(url).expect_err(url);
            assert!(problem.contains("plain http"), "{problem}");
            assert!(problem.contains(ENV_BASE_URL), "{problem}");
        }
    }

    #[test]
    fn other_bad_urls_rejected() {
        let cases = [
            ("ftp://127.0.0.1", "unsupported scheme"),
            ("not a url", "invalid ZPA base URL"),
            ("https://u:hunter2@example.com", "user name or password"),
            ("https://example.com/?a=b", "query or fragment"),
        ];
        for (url, expected) in cases {
            let problem = validate_base_url(url).expect_err(url);
            assert!(problem.contains(expected), "{url}: {problem}");
            assert!(!problem.contains("hunter2"), "{problem}");
        }
    }
}
