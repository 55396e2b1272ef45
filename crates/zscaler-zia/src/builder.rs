//! Configuring a [`ZiaClient`]: in code with [`ZiaClientBuilder`], or from environment
//! variables.
//!
//! | variable | setting |
//! |---|---|
//! | `ZIA_USERNAME` | [`ZiaClientBuilder::username`] |
//! | `ZIA_PASSWORD` | [`ZiaClientBuilder::password`] |
//! | `ZIA_API_KEY` | [`ZiaClientBuilder::api_key`] |
//! | `ZIA_CLOUD` | [`ZiaClientBuilder::cloud_name`], e.g. `zscalertwo` |
//! | `ZIA_BASE_URL` | [`ZiaClientBuilder::base_url`], replaces the cloud's URL |
//!
//! The HTTP, retry and cache settings also read their `ZSCALER_*` variables (see
//! [`HttpSettings::from_env`], [`RetryPolicy::from_env`], [`CacheSettings::from_env`] and
//! [`RateLimitSettings::from_env`]).
//!
//! ```
//! use zscaler_zia::{Cloud, ZiaClient};
//!
//! // Building makes no request and needs no runtime; the login happens on first use.
//! let zia = ZiaClient::builder()
//!     .username("admin@example.com")
//!     .password("correct horse battery staple")
//!     .api_key("0123456789abcdef")
//!     .cloud(Cloud::ZscalerTwo)
//!     .build()?;
//! assert_eq!(zia.base_url(), "https://zsapi.zscalertwo.net");
//! # Ok::<(), zscaler_core::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::{Host, Url};
use zscaler_core::config::Problems;
use zscaler_core::{
    CacheSettings, ClientSettings, ConfigError, Env, HttpSettings, Product, RateLimitSettings,
    Result, RetryPolicy, Secret, Service, Transport, TransportConfig,
};

use crate::auth::{MIN_API_KEY_CHARS, ZiaAuth};
use crate::client::ZiaClient;
use crate::cloud::{API_PREFIX, Cloud};

/// `ZIA_USERNAME`: the administrator's login name.
pub const ENV_USERNAME: &str = "ZIA_USERNAME";
/// `ZIA_PASSWORD`: the administrator's password.
pub const ENV_PASSWORD: &str = "ZIA_PASSWORD";
/// `ZIA_API_KEY`: the tenant's API key (Administration > API Key Management).
pub const ENV_API_KEY: &str = "ZIA_API_KEY";
/// `ZIA_CLOUD`: the cloud name, such as `zscaler` or `zscalertwo`.
pub const ENV_CLOUD: &str = "ZIA_CLOUD";
/// `ZIA_BASE_URL`: a base URL that replaces the cloud's, for proxies and local simulators.
pub const ENV_BASE_URL: &str = "ZIA_BASE_URL";

/// Default idle time after which ZIA drops a session (5 minutes observed).
pub const DEFAULT_SESSION_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// Builds a [`ZiaClient`]. Every setter takes its value as given; [`build`](Self::build)
/// checks them all and reports every missing or invalid one in a single error.
#[derive(Clone)]
pub struct ZiaClientBuilder {
    username: Option<String>,
    password: Option<Secret>,
    api_key: Option<Secret>,
    cloud: Option<Cloud>,
    cloud_name: Option<String>,
    base_url: Option<String>,
    http: HttpSettings,
    retry: RetryPolicy,
    cache: CacheSettings,
    rate_limit: RateLimitSettings,
    session_idle_timeout: Duration,
    env_problems: Vec<String>,
}

impl Default for ZiaClientBuilder {
    fn default() -> Self {
        ZiaClientBuilder {
            username: None,
            password: None,
            api_key: None,
            cloud: None,
            cloud_name: None,
            base_url: None,
            http: HttpSettings::default(),
            retry: RetryPolicy::default(),
            cache: CacheSettings::default(),
            rate_limit: RateLimitSettings::default(),
            session_idle_timeout: DEFAULT_SESSION_IDLE_TIMEOUT,
            env_problems: Vec::new(),
        }
    }
}

impl fmt::Debug for ZiaClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZiaClientBuilder")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("api_key", &self.api_key)
            .field("cloud", &self.cloud)
            .field("cloud_name", &self.cloud_name)
            .field("base_url", &self.base_url)
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("cache", &self.cache)
            .field("rate_limit", &self.rate_limit)
            .field("session_idle_timeout", &self.session_idle_timeout)
            .finish()
    }
}

impl ZiaClientBuilder {
    /// Creates a builder with no credentials and default settings.
    pub fn new() -> Self {
        ZiaClientBuilder::default()
    }

    /// Creates a builder from environment variables: the `ZIA_*` variables of the table in
    /// [this module](self) and the `ZSCALER_*` HTTP, retry and cache variables. Setters called
    /// afterwards override what the environment gave. An invalid value is reported by
    /// [`build`](Self::build), together with every other problem.
    pub fn from_env(env: &Env) -> Self {
        let mut problems = Problems::default();
        let mut builder = ZiaClientBuilder::new();
        builder.username = problems.take(env.text(ENV_USERNAME));
        builder.password = problems.take(env.text(ENV_PASSWORD)).map(Secret::new);
        builder.api_key = problems.take(env.text(ENV_API_KEY)).map(Secret::new);
        builder.cloud_name = problems.take(env.text(ENV_CLOUD));
        builder.base_url = problems.take(env.text(ENV_BASE_URL));
        let shared = ClientSettings::from_env(env, &mut problems);
        builder.http = shared.http;
        builder.retry = shared.retry;
        builder.cache = shared.cache;
        builder.rate_limit = shared.rate_limit;
        if let Err(error) = problems.finish() {
            builder.env_problems = error.problems().to_vec();
        }
        builder
    }

    /// Sets the administrator's login name (`ZIA_USERNAME`).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Sets the administrator's password (`ZIA_PASSWORD`).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(Secret::new(password));
        self
    }

    /// Sets the API key (`ZIA_API_KEY`). It must have at least 12 characters.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(api_key));
        self
    }

    /// Sets the cloud, which gives the base URL unless [`base_url`](Self::base_url) is set.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = Some(cloud);
        self.cloud_name = None;
        self
    }

    /// Sets the cloud by name (`ZIA_CLOUD`), without regard to case. An unknown name is
    /// reported by [`build`](Self::build) with the list of valid ones.
    pub fn cloud_name(mut self, name: impl Into<String>) -> Self {
        self.cloud_name = Some(name.into());
        self.cloud = None;
        self
    }

    /// Replaces the cloud's base URL (`ZIA_BASE_URL`), for a proxy or a local simulator. API
    /// paths (`/api/v1/...`) are appended to it; a trailing `/api/v1` is removed first. Must be
    /// `https`, except that plain `http` is allowed for loopback hosts (`127.0.0.0/8`, `::1`,
    /// `localhost`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the HTTP client settings.
    pub fn http(mut self, http: HttpSettings) -> Self {
        self.http = http;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the response cache settings (off by default).
    pub fn cache(mut self, cache: CacheSettings) -> Self {
        self.cache = cache;
        self
    }

    /// Sets the client-side rate limits.
    pub fn rate_limit(mut self, rate_limit: RateLimitSettings) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Sets how long ZIA keeps an unused session (default 5 minutes). The client logs in
    /// again before a session has been idle that long, so no request is sent on a session the
    /// server has dropped.
    pub fn session_idle_timeout(mut self, timeout: Duration) -> Self {
        self.session_idle_timeout = timeout;
        self
    }

    /// Checks the settings and builds the client. Makes no request and needs no async
    /// runtime; the login happens on the first call.
    ///
    /// Fails with one [`ConfigError`] listing every missing or invalid setting, each naming
    /// its setter and its environment variable.
    pub fn build(self) -> Result<ZiaClient> {
        let mut problems = Problems::default();
        for problem in self.env_problems {
            problems.push(problem);
        }

        let username = self.username.filter(|name| !name.trim().is_empty());
        if username.is_none() {
            problems.extend(missing("ZIA username", "username", ENV_USERNAME));
        }
        let password = self.password.filter(|password| !password.is_empty());
        if password.is_none() {
            problems.extend(missing("ZIA password", "password", ENV_PASSWORD));
        }
        let api_key = self.api_key.filter(|key| !key.is_empty());
        match &api_key {
            None => problems.extend(missing("ZIA API key", "api_key", ENV_API_KEY)),
            Some(key) if key.expose().chars().count() < MIN_API_KEY_CHARS => {
                problems.push(format!(
                    "invalid ZIA API key: it has {} characters but at least {MIN_API_KEY_CHARS} \
                     are required; check the value given to `ZiaClientBuilder::api_key` or \
                     {ENV_API_KEY}",
                    key.expose().chars().count()
                ));
            }
            Some(_) => {}
        }

        let cloud = match (self.cloud, &self.cloud_name) {
            (Some(cloud), _) => Some(cloud),
            (None, Some(name)) => match name.parse::<Cloud>() {
                Ok(cloud) => Some(cloud),
                Err(error) => {
                    problems.push(format!(
                        "{error} (set with `ZiaClientBuilder::cloud_name` or {ENV_CLOUD})"
                    ));
                    None
                }
            },
            (None, None) => None,
        };
        let base_url = match (&self.base_url, cloud) {
            (Some(url), _) => match normalize_base_url(url) {
                Ok(url) => Some(url),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            (None, Some(cloud)) => Some(cloud.base_url().to_owned()),
            (None, None) => {
                if self.cloud_name.is_none() {
                    problems.push(format!(
                        "missing ZIA cloud: call `ZiaClientBuilder::cloud` or set {ENV_CLOUD}, \
                         or give a base URL with `ZiaClientBuilder::base_url` or {ENV_BASE_URL}"
                    ));
                }
                None
            }
        };
        if self.session_idle_timeout.is_zero() {
            problems.push(
                "invalid ZIA session idle timeout: it must be greater than zero; check \
                 `ZiaClientBuilder::session_idle_timeout`",
            );
        }
        problems.finish()?;

        let (Some(username), Some(password), Some(api_key), Some(base_url)) =
            (username, password, api_key, base_url)
        else {
            // Each of these is reported as a problem above when it is missing.
            return Err(ConfigError::new("missing ZIA settings").into());
        };

        let mut config = TransportConfig::new(
            Product::Zia,
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            base_url.clone(),
        );
        config.http = self.http;
        config.retry = self.retry;
        config.rate_limit = self.rate_limit;
        let transport = Transport::new(config)?;

        let tenant = format!("{base_url}|{username}");
        let auth = Arc::new(ZiaAuth::new(
            username.clone(),
            password,
            api_key,
            self.session_idle_timeout,
        ));
        let service = Service::new(transport, auth.clone(), &self.cache, &tenant);
        Ok(ZiaClient::from_parts(
            service, auth, base_url, cloud, username,
        ))
    }
}

fn missing(setting: &str, setter: &str, variable: &str) -> ConfigError {
    ConfigError::missing(
        setting,
        &format!("ZiaClientBuilder::{setter}"),
        Some(variable),
    )
}

/// Checks a base URL override and returns it without a trailing slash or `/api/v1`.
fn normalize_base_url(raw: &str) -> Result<String, String> {
    let redacted_url = zscaler_core::redact::url_for_log(raw.trim());
    let source = format!("set with `ZiaClientBuilder::base_url` or {ENV_BASE_URL}");
    let url = Url::parse(raw.trim()).map_err(|error| {
        format!(
            "invalid ZIA base URL {redacted_url:?}: {error}; expected a URL such as \
             https://zsapi.zscaler.net ({source})"
        )
    })?;
    if url.host().is_none() {
        return Err(format!(
            "invalid ZIA base URL {redacted_url:?}: it has no host ({source})"
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "invalid ZIA base URL {redacted_url:?}: plain http is allowed only for loopback \
                 hosts (127.0.0.0/8, ::1, localhost), because credentials would cross the network \
                 unencrypted; use https ({source})"
            ));
        }
        other => {
            return Err(format!(
                "invalid ZIA base URL {redacted_url:?}: unsupported scheme {other:?}; use https \
                 ({source})"
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "invalid ZIA base URL {redacted_url:?}: it must not contain a user name or password \
             ({source})"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "invalid ZIA base URL {redacted_url:?}: it must not have a query or fragment ({source})"
        ));
    }

    let path = url.path().trim_end_matches('/');
    let path = path.strip_suffix(API_PREFIX).unwrap_or(path);
    Ok(format!("{}{path}", url.origin().ascii_serialization()))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(address)) => address.is_loopback(),
        Some(Host::Ipv6(address)) => address.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        let accepted = [
            ("https://zsapi.example.net/", "https://zsapi.example.net"),
            (
                "https://proxy.example.net/zia/api/v1",
                "https://proxy.example.net/zia",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.10.0.3:9/api/v1/", "http://127.10.0.3:9"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("http://LOCALHOST:3000", "http://localhost:3000"),
        ];
        for (input, expected) in accepted {
            assert_eq!(
                normalize_base_url(input).as_deref(),
                Ok(expected),
                "{input}"
            );
        }

        let rejected = [
            (
                "http://zsapi.zscaler.net",
                "plain http is allowed only for loopback",
            ),
            (
                "http://10.0.0.1:8080",
                "plain http is allowed only for loopback",
            ),
            (
                "http://localhost.example.com",
                "plain http is allowed only for loopback",
            ),
            ("ftp://127.0.0.1", "unsupported scheme"),
            ("zsapi.zscaler.net", "invalid ZIA base URL"),
            ("https://user:pw@zsapi.zscaler.net", "user name or password"),
            ("https://zsapi.zscaler.net/?a=b", "query or fragment"),
        ];
        for (input, expected) in rejected {
            let problem = normalize_base_url(input).expect_err(input);
            assert!(problem.contains(expected), "{input}: {problem}");
            assert!(problem.contains(ENV_BASE_URL), "{input}: {problem}");
            assert!(!problem.contains(":pw@"), "{input}: {problem}");
        }
    }

    #[test]
    fn builder_debug_hides_secrets() {
        let builder = ZiaClientBuilder::new()
            .username("admin@example.com")
            .password("p4ssw0rd-value")
            .api_key("0123456789abcdefKEY");
        let printed = format!("{builder:?}");
        assert!(printed.contains("admin@example.com"), "{printed}");
        assert!(!printed.contains("p4ssw0rd-value"), "{printed}");
        assert!(!printed.contains("0123456789abcdefKEY"), "{printed}");
    }
}
