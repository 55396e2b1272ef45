//! Sending requests: the retry loop, authentication, caching and request logs.
//!
//! A [`Transport`] owns the HTTP client, the retry policy and the rate limiter of one SDK
//! client, and sends requests with retries; login and token calls use it directly. A
//! [`Service`] adds an [`Authenticator`] and the response cache, and is what resource APIs call.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{Authenticator, Credentials};
use crate::cache::{CacheSettings, CachedResponse, ResponseCache};
use crate::error::{ApiError, ConfigError, Error, Result};
use crate::product::Product;
use crate::rate_limit::{RateLimitSettings, RateLimiter};
use crate::redact;
use crate::retry::{self, Attempt, Decision, Outcome, RetryPolicy, TransportFailure};
use crate::transport::{self, HttpSettings};

/// Characters left as they are in query values: the unreserved set of RFC 3986. Everything
/// else is percent-encoded exactly once, so a space is `%20` and `+` is `%2B`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Response headers that carry a request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "x-request-id",
    "x-zscaler-request-id",
    "request-id",
    "x-correlation-id",
];

/// How many times one call may log in again after its credentials expired.
const MAX_RENEWALS_PER_CALL: u32 = 2;

/// One API request: method, path under the base URL, query, body and extra headers.
///
/// `Debug` masks secrets in the body and headers, so a login request can be printed safely.
#[derive(Clone)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Body,
    headers: Vec<(HeaderName, HeaderValue)>,
    return_error_responses: bool,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body", &redact::body_for_log(self.body_bytes()))
            .field("headers", &headers)
            .finish()
    }
}

#[derive(Debug, Clone)]
enum Body {
    Empty,
    Json(Bytes),
    Form(String),
    Raw { content_type: String, bytes: Bytes },
}

impl Request {
    /// Creates a request with a method and a path such as `/api/v1/users`.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            body: Body::Empty,
            headers: Vec::new(),
            return_error_responses: false,
        }
    }

    /// Makes the request loop return a final error response (one it does not retry, or whose
    /// retries ran out) as `Ok` instead of an [`Error`], for callers that must read the whole
    /// body, such as a login that looks for a refusal message. Rate-limit waits over the
    /// maximum and transport failures are still errors.
    pub fn return_error_responses(mut self) -> Self {
        self.return_error_responses = true;
        self
    }

    /// Returns true when the path is an absolute `http://` or `https://` URL.
    pub fn is_absolute(&self) -> bool {
        self.path.starts_with("https://") || self.path.starts_with("http://")
    }

    /// Creates a GET request.
    pub fn get(path: impl Into<String>) -> Self {
        Request::new(Method::GET, path)
    }

    /// Creates a POST request.
    pub fn post(path: impl Into<String>) -> Self {
        Request::new(Method::POST, path)
    }

    /// Creates a PUT request.
    pub fn put(path: impl Into<String>) -> Self {
        Request::new(Method::PUT, path)
    }

    /// Creates a DELETE request.
    pub fn delete(path: impl Into<String>) -> Self {
        Request::new(Method::DELETE, path)
    }

    /// Adds a query parameter. The value is percent-encoded when the request is sent.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds several query parameters.
    pub fn queries<I, K, V>(mut self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.query
            .extend(pairs.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            Error::Config(ConfigError::new(format!(
                "failed to encode the request body of {} {} as JSON: {error}",
                self.method, self.path
            )))
        })?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets a form body (`application/x-www-form-urlencoded`).
    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        let encoded = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        self.body = Body::Form(encoded);
        self
    }

    /// Sets a raw body with its content type, for uploads.
    pub fn raw_body(mut self, content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        self.body = Body::Raw {
            content_type: content_type.into(),
            bytes: bytes.into(),
        };
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Returns the method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Returns the path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Returns the query parameters, not yet encoded.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// Returns the path followed by the encoded query, the form used in URLs and cache keys.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        format!("{}?{}", self.path, self.encoded_query())
    }

    /// Returns the query percent-encoded, without the `?`; empty when there is none.
    pub fn encoded_query(&self) -> String {
        self.query
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn body_bytes(&self) -> &[u8] {
        match &self.body {
            Body::Empty => &[],
            Body::Json(bytes) | Body::Raw { bytes, .. } => bytes,
            Body::Form(text) => text.as_bytes(),
        }
    }
}

/// Percent-encodes a query or form component.
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// A response: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Bytes,
}

impl Response {
    /// Returns true for a 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Returns the body as text, replacing invalid UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Returns true when the body is empty or only whitespace.
    pub fn is_empty(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }
}

/// Counters of one client, shared by its clones.
#[derive(Debug, Default)]
struct Counters {
    attempts: AtomicU64,
    retries: AtomicU64,
    renewals: AtomicU64,
    cache_hits: AtomicU64,
}

/// A snapshot of a client's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// HTTP requests sent, retries and login calls included.
    pub attempts: u64,
    /// Requests sent again after a retryable failure.
    pub retries: u64,
    /// Logins made again because credentials expired during a call.
    pub renewals: u64,
    /// Responses served from the cache.
    pub cache_hits: u64,
}

/// Settings a [`Transport`] is built from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TransportConfig {
    /// Product the transport talks to.
    pub product: Product,
    /// Name of the product crate, for the user agent.
    pub product_crate: &'static str,
    /// Version of the product crate, for the user agent.
    pub product_version: &'static str,
    /// Base URL every request path is appended to, e.g. `https://zsapi.zscaler.net`.
    pub base_url: String,
    /// HTTP client settings.
    pub http: HttpSettings,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Client-side rate limits.
    pub rate_limit: RateLimitSettings,
    /// Headers sent on every request, login and token calls included (e.g. `x-partner-id`).
    pub default_headers: HeaderMap,
}

impl TransportConfig {
    /// Creates a configuration with default HTTP, retry and rate-limit settings.
    pub fn new(
        product: Product,
        product_crate: &'static str,
        product_version: &'static str,
        base_url: impl Into<String>,
    ) -> Self {
        TransportConfig {
            product,
            product_crate,
            product_version,
            base_url: base_url.into(),
            http: HttpSettings::default(),
            retry: RetryPolicy::default(),
            rate_limit: RateLimitSettings::default(),
            default_headers: HeaderMap::new(),
        }
    }
}

/// The HTTP client, retry policy and rate limiter of one SDK client. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<TransportInner>,
}

struct TransportInner {
    product: Product,
    base_url: String,
    http: reqwest::Client,
    retry: RetryPolicy,
    request_timeout: Duration,
    limiter: RateLimiter,
    counters: Counters,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("product", &self.inner.product)
            .field("base_url", &self.inner.base_url)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Cause of an attempt that got no response.
enum SendFailure {
    Transport(TransportFailure, reqwest::Error),
    Invalid(reqwest::Error),
}

impl Transport {
    /// Builds the transport and its HTTP client. Makes no request.
    pub fn new(config: TransportConfig) -> Result<Self> {
        if config.http.request_timeout.is_zero()
            || config.http.connect_timeout.is_zero()
            || config.retry.deadline.is_zero()
        {
            return Err(ConfigError::new(
                "invalid timeouts: the request timeout, the connect timeout and the call \
                 deadline must each be greater than zero",
            )
            .into());
        }
        let agent = transport::user_agent(
            config.product_crate,
            config.product_version,
            config.http.user_agent_suffix.as_deref(),
        );
        let http = transport::build_client(&config.http, &agent, config.default_headers)?;
        Ok(Transport {
            inner: Arc::new(TransportInner {
                product: config.product,
                base_url: config.base_url.trim_end_matches('/').to_owned(),
                http,
                retry: config.retry,
                request_timeout: config.http.request_timeout,
                limiter: RateLimiter::new(&config.rate_limit),
                counters: Counters::default(),
            }),
        })
    }

    /// Returns the product.
    pub fn product(&self) -> Product {
        self.inner.product
    }

    /// Returns the base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Returns the retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Returns a snapshot of the counters.
    pub fn stats(&self) -> Stats {
        let counters = &self.inner.counters;
        Stats {
            attempts: counters.attempts.load(Ordering::Relaxed),
            retries: counters.retries.load(Ordering::Relaxed),
            renewals: counters.renewals.load(Ordering::Relaxed),
            cache_hits: counters.cache_hits.load(Ordering::Relaxed),
        }
    }

    /// Sends a request without credentials (login and token calls), with retries. A non-2xx
    /// response that is not retried, or whose retries ran out, is returned as an [`Error`].
    pub async fn send(&self, request: &Request) -> Result<Response> {
        self.execute(request, None).await
    }

    /// Sends a request with retries and, when `auth` is given, credentials and one re-login
    /// when they expire.
    pub async fn execute(
        &self,
        request: &Request,
        auth: Option<&dyn Authenticator>,
    ) -> Result<Response> {
        let span = tracing::info_span!(
            "zscaler_request",
            product = %self.inner.product,
            method = %request.method,
            path = %request.path,
        );
        self.execute_in_span(request, auth).instrument(span).await
    }

    async fn execute_in_span(
        &self,
        request: &Request,
        auth: Option<&dyn Authenticator>,
    ) -> Result<Response> {
        let started = Instant::now();
        let policy = &self.inner.retry;
        let url = self.url_for(request);
        let mut retries_done = 0u32;
        let mut renewals = 0u32;

        let query = request.encoded_query();
        loop {
            let attempt_number = retries_done + renewals + 1;
            self.inner.limiter.acquire(&request.method).await;
            let credentials = match auth {
                Some(auth) => Some(auth.credentials(self).await?),
                None => None,
            };

            let elapsed = started.elapsed();
            if elapsed >= policy.deadline {
                return Err(self.timeout_error(request, elapsed, policy.deadline));
            }
            let attempt_timeout = self.inner.request_timeout.min(policy.deadline - elapsed);
            let attempt_started = Instant::now();
            self.inner.counters.attempts.fetch_add(1, Ordering::Relaxed);
            let sent = self
                .send_once(request, &url, credentials.as_ref(), attempt_timeout)
                .await;
            let duration_ms = attempt_started.elapsed().as_millis() as u64;

            let attempt = Attempt {
                method: &request.method,
                retries_done,
                jitter: fastrand::f64(),
                now: SystemTime::now(),
            };
            let (decision, failure, kept) = match sent {
                Ok(response) => {
                    if response.is_success() {
                        tracing::info!(
                            status = response.status,
                            attempt = attempt_number,
                            duration_ms,
                            query = %query,
                            "request completed"
                        );
                        return Ok(response);
                    }
                    tracing::debug!(
                        status = response.status,
                        attempt = attempt_number,
                        duration_ms,
                        query = %query,
                        "request failed"
                    );
                    if let (Some(auth), Some(credentials)) = (auth, &credentials)
                        && renewals < MAX_RENEWALS_PER_CALL
                        && auth.is_expired(response.status, &response.body)
                    {
                        tracing::info!(
                            status = response.status,
                            "credentials expired or were invalidated; logging in again"
                        );
                        auth.invalidate(credentials.generation).await;
                        renewals += 1;
                        self.inner.counters.renewals.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    if let Some(auth) = auth
                        && renewals >= MAX_RENEWALS_PER_CALL
                        && auth.is_expired(response.status, &response.body)
                    {
                        let mut error = self.response_error(request, &response);
                        if let Error::Authentication(details) = &mut error {
                            let note = format!(
                                "the credentials expired again after {renewals} fresh logins \
                                 during this call"
                            );
                            details.message = Some(match details.message.take() {
                                Some(message) => format!("{message} ({note})"),
                                None => note,
                            });
                        }
                        return Err(error);
                    }
                    let outcome = Outcome::Response {
                        status: response.status,
                        headers: &response.headers,
                        body: &response.body,
                    };
                    let decision = retry::classify(policy, attempt, outcome);
                    let failure = self.response_error(request, &response);
                    let kept = request.return_error_responses.then_some(response);
                    (decision, failure, kept)
                }
                Err(SendFailure::Invalid(error)) => {
                    return Err(Error::Config(ConfigError::new(format!(
                        "failed to build the request {} {}: {error}",
                        request.method,
                        redact::text_for_log(&request.path)
                    ))));
                }
                Err(SendFailure::Transport(kind, error)) => {
                    tracing::debug!(
                        error = %error,
                        failure = ?kind,
                        attempt = attempt_number,
                        duration_ms,
                        "no response"
                    );
                    let decision = retry::classify(policy, attempt, Outcome::Transport(kind));
                    (
                        decision,
                        self.transport_error(
                            request,
                            kind,
                            error,
                            started.elapsed(),
                            attempt_timeout,
                        ),
                        None,
                    )
                }
            };

            match decision {
                Decision::Retry { wait, reason } => {
                    if started.elapsed() + wait > policy.deadline {
                        tracing::warn!(
                            reason = reason.as_str(),
                            wait_ms = wait.as_millis() as u64,
                            deadline_ms = policy.deadline.as_millis() as u64,
                            "not retrying: the wait would pass the call's deadline"
                        );
                        return kept.ok_or(failure);
                    }
                    tracing::warn!(
                        reason = reason.as_str(),
                        wait_ms = wait.as_millis() as u64,
                        retry = retries_done + 1,
                        max_retries = policy.max_retries,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    retries_done += 1;
                    self.inner.counters.retries.fetch_add(1, Ordering::Relaxed);
                }
                Decision::WaitTooLong { requested } => {
                    tracing::warn!(
                        requested_ms = requested.as_millis() as u64,
                        max_wait_ms = policy.max_wait.as_millis() as u64,
                        "rate limited with a wait longer than the maximum; giving up"
                    );
                    return Err(match failure {
                        Error::RateLimited { details, .. } => Error::RateLimited {
                            details,
                            retry_after: requested,
                        },
                        other => other,
                    });
                }
                Decision::Fail => {
                    if retries_done > 0 {
                        tracing::warn!(retries = retries_done, error = %failure, "giving up");
                    }
                    return kept.ok_or(failure);
                }
            }
        }
    }

    /// Returns the URL of a request: its path appended to the base URL, or the path itself when
    /// it is an absolute URL (token endpoints live on another host than the API).
    pub fn url_for(&self, request: &Request) -> String {
        let path_and_query = request.path_and_query();
        if request.is_absolute() {
            path_and_query
        } else {
            format!("{}{path_and_query}", self.inner.base_url)
        }
    }

    async fn send_once(
        &self,
        request: &Request,
        url: &str,
        credentials: Option<&Credentials>,
        timeout: Duration,
    ) -> std::result::Result<Response, SendFailure> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .timeout(timeout);
        if let Some(credentials) = credentials {
            for (name, value) in &credentials.headers {
                builder = builder.header(name, value);
            }
        }
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Json(bytes) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Form(text) => builder
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(text.clone()),
            Body::Raw {
                content_type,
                bytes,
            } => builder
                .header(CONTENT_TYPE, content_type.as_str())
                .body(bytes.clone()),
        };
        if tracing::enabled!(tracing::Level::TRACE) && !request.body_bytes().is_empty() {
            tracing::trace!(body = %redact::body_for_log(request.body_bytes()), "request body");
        }

        let response = builder.send().await.map_err(classify_reqwest_error)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(classify_reqwest_error)?;
        if tracing::enabled!(tracing::Level::TRACE) {
            tracing::trace!(
                status,
                headers = %redact::headers_for_log(&headers),
                body = %redact::body_for_log(&body),
                "response"
            );
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// Turns a failed response into the matching [`Error`].
    pub fn response_error(&self, request: &Request, response: &Response) -> Error {
        let request_id = REQUEST_ID_HEADERS.iter().find_map(|name| {
            response
                .headers
                .get(*name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        });
        let details = Box::new(ApiError::from_response(
            self.inner.product,
            request.method.as_str(),
            &request.path,
            response.status,
            &response.body,
            request_id,
        ));
        let text = String::from_utf8_lossy(&response.body);
        let code = details.code.as_deref().unwrap_or_default();
        let concurrent = text.contains("api.concurrent.access.error")
            || text.contains("db.simultaneous.request")
            || text.contains("EDIT_LOCK_NOT_AVAILABLE")
            || text.contains("Failed during enter Org barrier");
        match response.status {
            401 => Error::Authentication(details),
            404 => Error::NotFound(details),
            429 => {
                let retry_after =
                    retry::requested_wait(&response.headers, &response.body, SystemTime::now())
                        .unwrap_or(retry::DEFAULT_RATE_LIMIT_WAIT);
                Error::RateLimited {
                    details,
                    retry_after,
                }
            }
            409 => Error::Conflict(details),
            _ if concurrent => Error::Conflict(details),
            _ if code.eq_ignore_ascii_case("RESOURCE_NOT_FOUND")
                || code == "resource.not.found" =>
            {
                Error::NotFound(details)
            }
            _ => Error::Api(details),
        }
    }

    fn transport_error(
        &self,
        request: &Request,
        kind: TransportFailure,
        error: reqwest::Error,
        elapsed: Duration,
        limit: Duration,
    ) -> Error {
        if kind == TransportFailure::Timeout {
            return Error::Timeout {
                product: self.inner.product,
                method: request.method.to_string(),
                path: request.path.clone(),
                elapsed,
                limit,
            };
        }
        // The host and port are not secret and show where the connection failed. The rest of
        // the URL may carry query values, so only these two are kept.
        let server = error
            .url()
            .and_then(|url| {
                let host = url.host_str()?;
                Some(match url.port_or_known_default() {
                    Some(port) => format!("{host}:{port}"),
                    None => host.to_owned(),
                })
            })
            .unwrap_or_else(|| "the server".to_owned());
        let message = match kind {
            TransportFailure::NotSent => format!("could not connect to {server}"),
            _ => format!("the connection to {server} failed before a complete response arrived"),
        };
        Error::Transport {
            product: self.inner.product,
            method: request.method.to_string(),
            path: request.path.clone(),
            message,
            source: Box::new(error.without_url()),
        }
    }

    fn timeout_error(&self, request: &Request, elapsed: Duration, limit: Duration) -> Error {
        Error::Timeout {
            product: self.inner.product,
            method: request.method.to_string(),
            path: request.path.clone(),
            elapsed,
            limit,
        }
    }

    /// Decodes a JSON body into `T`, reporting the JSON path that failed. An empty body
    /// decodes as `null`, so `Option<T>` and `()` accept it.
    pub fn decode<T: DeserializeOwned>(&self, request: &Request, response: &Response) -> Result<T> {
        let body: &[u8] = if response.is_empty() {
            b"null"
        } else {
            &response.body
        };
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let json_path = error.path().to_string();
            let inner = error.into_inner();
            let body_excerpt = if inner.is_syntax() || inner.is_eof() {
                Some(crate::error::excerpt(&response.body))
            } else {
                None
            };
            Error::invalid_response(
                self.inner.product,
                request,
                json_path,
                inner.to_string(),
                body_excerpt,
            )
        })
    }
}

fn classify_reqwest_error(error: reqwest::Error) -> SendFailure {
    if error.is_builder() {
        SendFailure::Invalid(error)
    } else if error.is_connect() {
        SendFailure::Transport(TransportFailure::NotSent, error)
    } else if error.is_timeout() {
        SendFailure::Transport(TransportFailure::Timeout, error)
    } else {
        SendFailure::Transport(TransportFailure::Interrupted, error)
    }
}

/// A [`Transport`] with credentials and the response cache: what resource APIs call.
#[derive(Clone)]
pub struct Service {
    transport: Transport,
    auth: Arc<dyn Authenticator>,
    cache: Option<ResponseCache>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("transport", &self.transport)
            .field("cache", &self.cache.is_some())
            .finish_non_exhaustive()
    }
}

impl Service {
    /// Creates a service. `tenant` separates cache entries of different tenants.
    pub fn new(
        transport: Transport,
        auth: Arc<dyn Authenticator>,
        cache: &CacheSettings,
        tenant: &str,
    ) -> Self {
        let cache = cache
            .enabled
            .then(|| ResponseCache::new(cache, &format!("{}:{tenant}", transport.product())));
        Service {
            transport,
            auth,
            cache,
        }
    }

    /// Returns the transport.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Returns the authenticator.
    pub fn authenticator(&self) -> &Arc<dyn Authenticator> {
        &self.auth
    }

    /// Returns the product.
    pub fn product(&self) -> Product {
        self.transport.product()
    }

    /// Returns a snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.transport.stats()
    }

    /// Evicts every cached response at or below `path` (any query), for writes whose effect
    /// reaches past their own path, such as a bulk delete of a collection's items.
    pub fn evict_cached(&self, path: &str) {
        if let Some(cache) = &self.cache {
            cache.invalidate_below(path);
        }
    }

    /// Sends a request with credentials, retries and the cache. Returns the response when it
    /// is a 2xx, else the matching [`Error`].
    pub async fn execute(&self, request: &Request) -> Result<Response> {
        let is_read = request.method == Method::GET;
        let cache_key = match (&self.cache, is_read) {
            (Some(cache), true) => Some(cache.key(&request.path_and_query())),
            _ => None,
        };
        if let (Some(cache), Some(key)) = (&self.cache, &cache_key)
            && let Some(hit) = cache.get(key).await
        {
            self.transport
                .inner
                .counters
                .cache_hits
                .fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                product = %self.product(),
                path = %request.path,
                "cache hit"
            );
            return Ok(Response {
                status: hit.status,
                headers: hit.headers,
                body: hit.body,
            });
        }

        let result = self.transport.execute(request, Some(&*self.auth)).await;

        if let Some(cache) = &self.cache {
            if is_read {
                if let (Ok(response), Some(key)) = (&result, cache_key) {
                    let entry = CachedResponse {
                        status: response.status,
                        headers: response.headers.clone(),
                        body: response.body.clone(),
                    };
                    cache.insert(key, entry).await;
                }
            } else {
                // A failed write may still have changed the server's state, so evict either way.
                cache.invalidate_for_write(&request.path);
            }
        }
        result
    }

    /// Sends a request and decodes the JSON response body into `T`.
    pub async fn json<T: DeserializeOwned>(&self, request: &Request) -> Result<T> {
        let response = self.execute(request).await?;
        self.transport.decode(request, &response)
    }
}
