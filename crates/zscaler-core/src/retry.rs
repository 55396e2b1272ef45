//! When to retry a request and how long to wait first.
//!
//! [`classify`] is a pure function of one attempt's outcome: it returns a [`Decision`] and never
//! sleeps. The loop that applies it lives in [`crate::service`]. Keeping the two apart lets the
//! table tests below cover every status, header format and body marker without a server.

use std::time::{Duration, SystemTime};

use reqwest::Method;
use reqwest::header::HeaderMap;

use crate::config::{Env, Problems};
use crate::error::ConfigError;

/// `ZSCALER_MAX_RETRIES`: retries after the first attempt.
pub const ENV_MAX_RETRIES: &str = "ZSCALER_MAX_RETRIES";
/// `ZSCALER_MAX_RETRY_WAIT`: longest single wait honoured before failing with a rate-limit error.
pub const ENV_MAX_RETRY_WAIT: &str = "ZSCALER_MAX_RETRY_WAIT";
/// `ZSCALER_REQUEST_DEADLINE`: overall time limit of one call, retries included.
pub const ENV_REQUEST_DEADLINE: &str = "ZSCALER_REQUEST_DEADLINE";

/// The wait used for a 429 that states no wait at all.
pub const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(2);

/// How many times and how long to retry.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 5). Zero disables retries.
    pub max_retries: u32,
    /// Maximum single wait the client honours (default 60 s). A 429 asking for more fails at
    /// once with [`crate::Error::RateLimited`] carrying the requested wait.
    pub max_wait: Duration,
    /// Overall time limit of one call, retries and waits included (default 5 minutes).
    pub deadline: Duration,
    /// First backoff step for 5xx, transport failures and lock conflicts (default 500 ms).
    pub base_backoff: Duration,
    /// Largest backoff step (default 30 s).
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            max_wait: Duration::from_secs(60),
            deadline: Duration::from_secs(300),
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Returns a policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of retries after the first attempt.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the longest single wait honoured.
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Sets the overall deadline of one call.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the first and the largest backoff step.
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_backoff = base;
        self.max_backoff = max;
        self
    }

    /// Reads `ZSCALER_MAX_RETRIES`, `ZSCALER_MAX_RETRY_WAIT` and `ZSCALER_REQUEST_DEADLINE` over
    /// the defaults.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let mut problems = Problems::default();
        let mut policy = RetryPolicy::default();
        if let Some(retries) = problems.take(env.u64(ENV_MAX_RETRIES)) {
            match u32::try_from(retries) {
                Ok(retries) => policy.max_retries = retries,
                Err(_) => problems.push(format!(
                    "invalid value {retries:?} for {ENV_MAX_RETRIES}: expected at most {}",
                    u32::MAX
                )),
            }
        }
        if let Some(wait) = problems.take(env.duration(ENV_MAX_RETRY_WAIT)) {
            policy.max_wait = wait;
        }
        if let Some(deadline) = problems.take(env.positive_duration(ENV_REQUEST_DEADLINE)) {
            policy.deadline = deadline;
        }
        problems.finish()?;
        Ok(policy)
    }

    /// Returns the exponential backoff for a retry: `base * 2^retries_done`, capped at
    /// `max_backoff`, scaled by a jitter factor between 0.5 and 1.0.
    pub fn backoff(&self, retries_done: u32, jitter: f64) -> Duration {
        let factor = 2f64.powi(retries_done.min(30) as i32);
        let step = self
            .base_backoff
            .mul_f64(factor)
            .min(self.max_backoff.max(self.base_backoff));
        step.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// Failure of an attempt below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    /// The request provably never reached the server: DNS failure, connection refused, or a
    /// failure while connecting.
    NotSent,
    /// The attempt timed out after the request may have been sent.
    Timeout,
    /// The connection broke after the request may have been sent (reset, closed early).
    Interrupted,
}

/// The outcome of one attempt, as the classifier receives it.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The server sent a response.
    Response {
        /// HTTP status code.
        status: u16,
        /// Response headers.
        headers: &'a HeaderMap,
        /// Response body.
        body: &'a [u8],
    },
    /// No response was received.
    Transport(TransportFailure),
}

/// Facts about the attempt that the decision depends on.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// HTTP method of the request.
    pub method: &'a Method,
    /// Retries already made for this call.
    pub retries_done: u32,
    /// A random number in `0.0..1.0` for jitter, passed in so the decision stays pure.
    pub jitter: f64,
    /// The current time, for `Retry-After` given as an HTTP date.
    pub now: SystemTime,
}

/// Reason a request is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// 429 Too Many Requests.
    RateLimited,
    /// ZIA returned 401 `Resource Access Blocked`, which it does under load.
    AccessBlocked,
    /// 502, 503 or 504, or 500 for a method that is safe to repeat.
    Unavailable,
    /// A transport failure that is safe to retry.
    Transport,
    /// ZIA 409 `EDIT_LOCK_NOT_AVAILABLE`, or 409/412 `Failed during enter Org barrier`.
    EditLock,
    /// ZPA `api.concurrent.access.error` or `db.simultaneous.request`.
    ConcurrentChange,
}

impl RetryReason {
    /// Returns a short name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryReason::RateLimited => "rate limited",
            RetryReason::AccessBlocked => "access blocked",
            RetryReason::Unavailable => "service unavailable",
            RetryReason::Transport => "transport failure",
            RetryReason::EditLock => "edit lock held",
            RetryReason::ConcurrentChange => "concurrent change",
        }
    }
}

/// Next step after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait, then send the request again.
    Retry {
        /// Time to wait first.
        wait: Duration,
        /// Why.
        reason: RetryReason,
    },
    /// The server asked for a wait longer than [`RetryPolicy::max_wait`]: fail with a rate-limit
    /// error carrying this wait rather than sleep.
    WaitTooLong {
        /// The wait the server asked for.
        requested: Duration,
    },
    /// Return this outcome to the caller.
    Fail,
}

/// Decides whether to retry an attempt. A success is never passed here.
pub fn classify(policy: &RetryPolicy, attempt: Attempt<'_>, outcome: Outcome<'_>) -> Decision {
    let Some((reason, server_wait)) = retry_reason(attempt, outcome) else {
        return Decision::Fail;
    };

    if let Some(requested) = server_wait
        && requested > policy.max_wait
    {
        return Decision::WaitTooLong { requested };
    }
    if attempt.retries_done >= policy.max_retries {
        return Decision::Fail;
    }

    let backoff = policy.backoff(attempt.retries_done, attempt.jitter);
    let wait = match server_wait {
        // The server's wait is a floor: jitter only ever adds to it.
        Some(requested) if !requested.is_zero() => {
            requested + Duration::from_millis(250).mul_f64(attempt.jitter.clamp(0.0, 1.0))
        }
        _ => backoff,
    };
    Decision::Retry { wait, reason }
}

/// Returns why the outcome is retryable and the wait the server asked for, if any.
fn retry_reason(
    attempt: Attempt<'_>,
    outcome: Outcome<'_>,
) -> Option<(RetryReason, Option<Duration>)> {
    match outcome {
        Outcome::Transport(TransportFailure::NotSent) => Some((RetryReason::Transport, None)),
        Outcome::Transport(_) if is_idempotent(attempt.method) => {
            Some((RetryReason::Transport, None))
        }
        Outcome::Transport(_) => None,
        Outcome::Response {
            status,
            headers,
            body,
        } => {
            let text = String::from_utf8_lossy(body);
            match status {
                429 => Some((
                    RetryReason::RateLimited,
                    Some(
                        requested_wait(headers, body, attempt.now)
                            .unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
                    ),
                )),
                502..=504 => Some((
                    RetryReason::Unavailable,
                    header_retry_after(headers, attempt.now),
                )),
                // A 500 may come after the server applied a write, so only requests that are
                // safe to repeat are sent again.
                500 if is_idempotent(attempt.method) => Some((RetryReason::Unavailable, None)),
                401 if text.contains("Resource Access Blocked") => {
                    Some((RetryReason::AccessBlocked, None))
                }
                409 if text.contains("EDIT_LOCK_NOT_AVAILABLE") => {
                    Some((RetryReason::EditLock, None))
                }
                409 | 412 if text.contains("Failed during enter Org barrier") => {
                    Some((RetryReason::EditLock, None))
                }
                400 | 409
                    if text.contains("api.concurrent.access.error")
                        || text.contains("db.simultaneous.request") =>
                {
                    Some((RetryReason::ConcurrentChange, None))
                }
                _ => None,
            }
        }
    }
}

/// Returns true for methods that may be sent twice without changing the result.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Returns the wait a 429 requests: the larger of the `Retry-After` header and the ZIA body
/// field, else `x-ratelimit-reset`, else `None`.
pub fn requested_wait(headers: &HeaderMap, body: &[u8], now: SystemTime) -> Option<Duration> {
    let header = header_retry_after(headers, now);
    let in_body = body_retry_after(body);
    match (header, in_body) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => headers
            .get("x-ratelimit-reset")
            .and_then(|value| value.to_str().ok())
            .and_then(parse_seconds),
    }
}

fn header_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, now)
}

/// Reads the ZIA body field `"Retry-After": "1 seconds"` (or a bare number).
fn body_retry_after(body: &[u8]) -> Option<Duration> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let field = value
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("retry-after"))?
        .1;
    match field {
        serde_json::Value::String(text) => parse_seconds(text),
        serde_json::Value::Number(number) => {
            Duration::try_from_secs_f64(number.as_f64()?.max(0.0)).ok()
        }
        _ => None,
    }
}

/// Parses a `Retry-After` value: seconds (`1`), seconds with a unit (`4s`, `1 seconds`), or an
/// HTTP date. A date in the past gives zero.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Some(seconds) = parse_seconds(value) {
        return Some(seconds);
    }
    let date = httpdate::parse_http_date(value.trim()).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses `1`, `1.5`, `4s`, `0 seconds`, `2 sec` as a number of seconds.
fn parse_seconds(value: &str) -> Option<Duration> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    if number.is_empty() {
        return None;
    }
    let unit = unit.trim().to_ascii_lowercase();
    if !matches!(
        unit.as_str(),
        "" | "s" | "sec" | "secs" | "second" | "seconds"
    ) {
        return None;
    }
    let seconds: f64 = number.parse().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const NOW_SECS: u64 = 1_700_000_000;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW_SECS)
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("valid header"));
        }
        map
    }

    fn decide(method: Method, retries_done: u32, outcome: Outcome<'_>) -> Decision {
        let attempt = Attempt {
            method: &method,
            retries_done,
            jitter: 0.0,
            now: now(),
        };
        classify(&RetryPolicy::default(), attempt, outcome)
    }

    fn response<'a>(status: u16, headers: &'a HeaderMap, body: &'a str) -> Outcome<'a> {
        Outcome::Response {
            status,
            headers,
            body: body.as_bytes(),
        }
    }

    fn retry(wait_ms: u64, reason: RetryReason) -> Decision {
        Decision::Retry {
            wait: Duration::from_millis(wait_ms),
            reason,
        }
    }

    #[test]
    fn decision_table() {
        let http_date = httpdate::fmt_http_date(now() + Duration::from_secs(7));
        let zia_body = r#"{"message":"Rate Limit (1/SECOND) exceeded","Retry-After":"1 seconds"}"#;
        let zia_zero = r#"{"message":"Rate Limit (1/SECOND) exceeded","Retry-After":"0 seconds"}"#;
        let zpa_429 = r#"{"id":"invalid.toomanyrequests","reason":"Exceeded the number of requests allowed."}"#;
        // Backoff with jitter 0 is half the step: 250 ms for the first retry.
        let first_backoff = 250;

        let rows: Vec<(&str, u16, HeaderMap, &str, Decision)> = vec![
            (
                "429 Retry-After seconds",
                429,
                headers(&[("retry-after", "1")]),
                "",
                retry(1000, RetryReason::RateLimited),
            ),
            (
                "429 Retry-After with unit",
                429,
                headers(&[("retry-after", "4s")]),
                zpa_429,
                retry(4000, RetryReason::RateLimited),
            ),
            (
                "429 Retry-After HTTP date",
                429,
                headers(&[("retry-after", &http_date)]),
                "",
                retry(7000, RetryReason::RateLimited),
            ),
            (
                "429 ZIA body only",
                429,
                headers(&[]),
                zia_body,
                retry(1000, RetryReason::RateLimited),
            ),
            (
                "429 ZIA header and body",
                429,
                headers(&[("retry-after", "1")]),
                zia_body,
                retry(1000, RetryReason::RateLimited),
            ),
            (
                "429 ZIA zero seconds",
                429,
                headers(&[]),
                zia_zero,
                retry(first_backoff, RetryReason::RateLimited),
            ),
            (
                "429 x-ratelimit-reset only",
                429,
                headers(&[("x-ratelimit-reset", "3")]),
                "",
                retry(3000, RetryReason::RateLimited),
            ),
            (
                "429 nothing says",
                429,
                headers(&[]),
                "",
                retry(2000, RetryReason::RateLimited),
            ),
            (
                "429 wait over maximum",
                429,
                headers(&[("retry-after", "3600")]),
                "",
                Decision::WaitTooLong {
                    requested: Duration::from_secs(3600),
                },
            ),
            (
                "503",
                503,
                headers(&[]),
                "",
                retry(first_backoff, RetryReason::Unavailable),
            ),
            (
                "504",
                504,
                headers(&[]),
                "<html>Gateway Timeout</html>",
                retry(first_backoff, RetryReason::Unavailable),
            ),
            (
                "503 with Retry-After",
                503,
                headers(&[("retry-after", "2")]),
                "",
                retry(2000, RetryReason::Unavailable),
            ),
            (
                "ZIA edit lock",
                409,
                headers(&[]),
                r#"{"code":"EDIT_LOCK_NOT_AVAILABLE"}"#,
                retry(first_backoff, RetryReason::EditLock),
            ),
            (
                "ZIA org barrier 409",
                409,
                headers(&[]),
                r#"{"code":"UNEXPECTED_ERROR","message":"Failed during enter Org barrier"}"#,
                retry(first_backoff, RetryReason::EditLock),
            ),
            (
                "ZIA org barrier 412",
                412,
                headers(&[]),
                "Failed during enter Org barrier",
                retry(first_backoff, RetryReason::EditLock),
            ),
            (
                "ZPA concurrent access",
                409,
                headers(&[]),
                r#"{"id":"api.concurrent.access.error","reason":"x"}"#,
                retry(first_backoff, RetryReason::ConcurrentChange),
            ),
            (
                "ZPA simultaneous request",
                400,
                headers(&[]),
                r#"{"id":"db.simultaneous.request","reason":"x"}"#,
                retry(first_backoff, RetryReason::ConcurrentChange),
            ),
            (
                "ZIA access blocked",
                401,
                headers(&[]),
                r#"{"message":"Resource Access Blocked"}"#,
                retry(first_backoff, RetryReason::AccessBlocked),
            ),
            (
                "400 validation",
                400,
                headers(&[]),
                r#"{"code":"INVALID_INPUT_ARGUMENT","message":"Invalid"}"#,
                Decision::Fail,
            ),
            (
                "ZPA bad request",
                400,
                headers(&[]),
                r#"{"id":"bad.request","reason":"x"}"#,
                Decision::Fail,
            ),
            (
                "403 limit exceeded",
                403,
                headers(&[("retry-after", "1")]),
                r#"{"code":"LIMIT_EXCEEDED"}"#,
                Decision::Fail,
            ),
            (
                "404",
                404,
                headers(&[]),
                r#"{"code":"RESOURCE_NOT_FOUND"}"#,
                Decision::Fail,
            ),
            (
                "bad credentials",
                401,
                headers(&[]),
                r#"{"code":"AUTHENTICATION_FAILED"}"#,
                Decision::Fail,
            ),
            (
                "409 duplicate",
                409,
                headers(&[]),
                r#"{"code":"DUPLICATE_ITEM"}"#,
                Decision::Fail,
            ),
            (
                "500 on GET",
                500,
                headers(&[]),
                "",
                retry(first_backoff, RetryReason::Unavailable),
            ),
            (
                "502 proxy page",
                502,
                headers(&[]),
                "<html>502 Bad Gateway</html>",
                retry(first_backoff, RetryReason::Unavailable),
            ),
        ];

        for (name, status, headers, body, expected) in &rows {
            let decision = decide(Method::GET, 0, response(*status, headers, body));
            assert_eq!(decision, *expected, "row {name:?}");
        }
    }

    #[test]
    fn transport_failures_by_method() {
        let rows = [
            (Method::GET, TransportFailure::NotSent, true),
            (Method::GET, TransportFailure::Timeout, true),
            (Method::GET, TransportFailure::Interrupted, true),
            (Method::PUT, TransportFailure::Interrupted, true),
            (Method::DELETE, TransportFailure::Timeout, true),
            (Method::POST, TransportFailure::NotSent, true),
            (Method::POST, TransportFailure::Timeout, false),
            (Method::POST, TransportFailure::Interrupted, false),
            (Method::PATCH, TransportFailure::Interrupted, false),
        ];
        for (method, failure, retried) in rows {
            let decision = decide(method.clone(), 0, Outcome::Transport(failure));
            let expected = if retried {
                retry(250, RetryReason::Transport)
            } else {
                Decision::Fail
            };
            assert_eq!(decision, expected, "{method} {failure:?}");
        }
    }

    #[test]
    fn server_error_on_post_not_retried() {
        let empty = headers(&[]);
        assert_eq!(
            decide(Method::POST, 0, response(500, &empty, "")),
            Decision::Fail
        );
        assert!(matches!(
            decide(Method::POST, 0, response(502, &empty, "")),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn retries_stop_at_maximum() {
        let empty = headers(&[("retry-after", "1")]);
        assert!(matches!(
            decide(Method::GET, 4, response(429, &empty, "")),
            Decision::Retry { .. }
        ));
        assert_eq!(
            decide(Method::GET, 5, response(429, &empty, "")),
            Decision::Fail
        );
        assert_eq!(
            decide(
                Method::GET,
                5,
                Outcome::Transport(TransportFailure::NotSent)
            ),
            Decision::Fail
        );
    }

    #[test]
    fn jitter_never_shortens_server_wait() {
        let policy = RetryPolicy::default();
        let asked = headers(&[("retry-after", "1")]);
        for jitter in [0.0, 0.3, 0.99] {
            let attempt = Attempt {
                method: &Method::GET,
                retries_done: 0,
                jitter,
                now: now(),
            };
            let Decision::Retry { wait, .. } =
                classify(&policy, attempt, response(429, &asked, ""))
            else {
                panic!("429 must be retried");
            };
            assert!(
                wait >= Duration::from_secs(1),
                "jitter {jitter} gave {wait:?}"
            );
            assert!(
                wait <= Duration::from_millis(1250),
                "jitter {jitter} gave {wait:?}"
            );
        }
    }

    #[test]
    fn backoff_grows_and_caps() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(0, 1.0), Duration::from_millis(500));
        assert_eq!(policy.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(policy.backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(policy.backoff(20, 1.0), Duration::from_secs(30));
        assert_eq!(policy.backoff(20, 0.0), Duration::from_secs(15));
    }

    #[test]
    fn retry_after_formats() {
        let cases = [
            ("1", Some(Duration::from_secs(1))),
            ("4s", Some(Duration::from_secs(4))),
            ("0 seconds", Some(Duration::ZERO)),
            ("1 seconds", Some(Duration::from_secs(1))),
            ("1.5", Some(Duration::from_millis(1500))),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(Duration::ZERO)),
            ("soon", None),
            ("4m", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_retry_after(text, now()), expected, "input {text:?}");
        }
    }

    #[test]
    fn policy_from_env_reads_and_rejects() {
        let env = Env::from_pairs([
            (ENV_MAX_RETRIES, "2"),
            (ENV_MAX_RETRY_WAIT, "10s"),
            (ENV_REQUEST_DEADLINE, "1m"),
        ]);
        let policy = RetryPolicy::from_env(&env).expect("valid values");
        assert_eq!(policy.max_retries, 2);
        assert_eq!(policy.max_wait, Duration::from_secs(10));
        assert_eq!(policy.deadline, Duration::from_secs(60));

        let env = Env::from_pairs([(ENV_MAX_RETRIES, "many")]);
        let error = RetryPolicy::from_env(&env).expect_err("many is not a number");
        assert!(error.to_string().contains(ENV_MAX_RETRIES));
    }
}
