//! ZIA legacy authentication: the obfuscated API key, the `JSESSIONID` session, renewal and
//! logout.
//!
//! A client logs in with `POST /api/v1/authenticatedSession` on its first request and sends the
//! session cookie on every request after that. It logs in again when ZIA reports the session
//! invalid, or when the session has been idle for almost the idle timeout. It logs out on
//! [`ZiaClient::close`](crate::ZiaClient::close).
//!
//! ```
//! // The key sent at login is derived from the API key and the login timestamp.
//! let sent = zscaler_zia::auth::obfuscate_api_key("0123456789abcdef", "1700000123456");
//! assert_eq!(sent.as_deref(), Some("12345628394a"));
//! ```

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use zscaler_core::auth::sensitive_header;
use zscaler_core::http::{HeaderMap, HeaderName, HeaderValue};
use zscaler_core::{
    ApiError, Authenticator, Credentials, Error, Renewable, Request, Response, Result, Secret,
    SessionSlot, Transport,
};

/// Path of the session resource: POST logs in, DELETE logs out.
pub const SESSION_PATH: &str = "/api/v1/authenticatedSession";

/// Minimum length of an API key, in characters: the obfuscation reads up to index 11.
pub const MIN_API_KEY_CHARS: usize = 12;

/// Name of the session cookie ZIA sets at login.
const SESSION_COOKIE: &str = "JSESSIONID";

/// Maximum margin by which a session is renewed ahead of its idle timeout.
const MAX_RENEWAL_MARGIN: Duration = Duration::from_secs(30);

const MIGRATED_TENANT: &str = "this ZIA tenant has been migrated to Zscaler OneAPI and no longer \
     accepts logins with a username, password and API key; switch to OneAPI credentials (an API \
     client with a client id and secret or private key, created in ZIdentity)";

/// Obfuscates an API key with a login timestamp in milliseconds, as ZIA expects in the
/// `apiKey` field of the login request.
///
/// With `n` the last six digits of the timestamp and `r` equal to `n >> 1` written with six
/// digits, the result is `key[d]` for each digit `d` of `n`, followed by `key[d + 2]` for each
/// digit `d` of `r`: 12 characters. Returns `None` when the key has fewer than
/// [`MIN_API_KEY_CHARS`] characters or the timestamp has fewer than six digits or other
/// characters.
pub fn obfuscate_api_key(api_key: &str, timestamp_ms: &str) -> Option<String> {
    let key: Vec<char> = api_key.chars().collect();
    let digits = timestamp_ms.as_bytes();
    if key.len() < MIN_API_KEY_CHARS || digits.len() < 6 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }

    let low = &timestamp_ms[timestamp_ms.len() - 6..];
    let number: u32 = low.parse().ok()?;
    let shifted = format!("{:06}", number >> 1);

    let mut obfuscated = String::with_capacity(12);
    for digit in low.bytes() {
        obfuscated.push(key[usize::from(digit - b'0')]);
    }
    for digit in shifted.bytes() {
        obfuscated.push(key[usize::from(digit - b'0') + 2]);
    }
    Some(obfuscated)
}

/// Returns true when a failed response means the ZIA session expired or was invalidated:
/// a 401 whose body contains `SESSION_NOT_VALID`, or reports in any case that the session is
/// invalid, invalidated or expired.
///
/// Returns false for bad credentials (`AUTHENTICATION_FAILED`) and for 401
/// `Resource Access Blocked`, which ZIA sends under load and which the retry policy treats as
/// a rate-limit signal.
pub fn is_session_expired(status: u16, body: &[u8]) -> bool {
    status == 401 && reports_session_expired(&String::from_utf8_lossy(body))
}

fn reports_session_expired(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    if text.contains("resource access blocked") || text.contains("authentication_failed") {
        return false;
    }
    if text.contains("session_not_valid") {
        return true;
    }
    text.contains("session")
        && [
            "invalidated",
            "invalid",
            "not valid",
            "expired",
            "timed out",
        ]
        .iter()
        .any(|marker| text.contains(marker))
}

/// A live session: the cookie to send and when it was last used.
pub(crate) struct ZiaSession {
    cookie: HeaderValue,
    idle_timeout: Duration,
    last_used: Mutex<Instant>,
}

impl ZiaSession {
    fn new(cookie: HeaderValue, idle_timeout: Duration) -> Self {
        ZiaSession {
            cookie,
            idle_timeout,
            last_used: Mutex::new(Instant::now()),
        }
    }

    fn touch(&self) {
        *self.last_used.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    fn idle_for(&self) -> Duration {
        self.last_used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }
}

impl Renewable for ZiaSession {
    /// Renews a session that has been idle for the idle timeout less a margin of a tenth of
    /// it (at most 30 s), so that no request is sent on a session the server already dropped.
    fn needs_renewal(&self) -> bool {
        let margin = (self.idle_timeout / 10).min(MAX_RENEWAL_MARGIN);
        self.idle_for() + margin >= self.idle_timeout
    }
}

impl fmt::Debug for ZiaSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZiaSession")
            .field("idle_timeout", &self.idle_timeout)
            .field("idle_for", &self.idle_for())
            .finish_non_exhaustive()
    }
}

/// The login request body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginBody<'a> {
    api_key: &'a str,
    username: &'a str,
    password: &'a str,
    timestamp: &'a str,
}

/// The parts of the login response worth logging. Every field may be missing.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginInfo {
    auth_type: Option<String>,
    source: Option<String>,
    password_expiry_days: Option<i64>,
}

/// The legacy ZIA credentials and the session made from them.
pub(crate) struct ZiaAuth {
    username: String,
    password: Secret,
    api_key: Secret,
    idle_timeout: Duration,
    slot: SessionSlot<ZiaSession>,
    logins: AtomicU64,
    rejection: Mutex<Option<Rejection>>,
}

/// The last login that ZIA rejected, shared with the callers that waited for it.
struct Rejection {
    at: Instant,
    details: Box<ApiError>,
}

impl fmt::Debug for ZiaAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZiaAuth")
            .field("username", &self.username)
            .field("idle_timeout", &self.idle_timeout)
            .finish_non_exhaustive()
    }
}

impl ZiaAuth {
    /// Creates the authenticator. The API key must have at least [`MIN_API_KEY_CHARS`]
    /// characters; the builder checks that.
    pub(crate) fn new(
        username: String,
        password: Secret,
        api_key: Secret,
        idle_timeout: Duration,
    ) -> Self {
        ZiaAuth {
            username,
            password,
            api_key,
            idle_timeout,
            slot: SessionSlot::new(),
            logins: AtomicU64::new(0),
            rejection: Mutex::new(None),
        }
    }

    /// Logs in and returns the new session.
    async fn login(&self, transport: &Transport) -> Result<ZiaSession> {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis()
            .to_string();
        let api_key = obfuscate_api_key(self.api_key.expose(), &timestamp).ok_or_else(|| {
            Error::Config(zscaler_core::ConfigError::new(format!(
                "invalid ZIA API key: it must have at least {MIN_API_KEY_CHARS} characters"
            )))
        })?;
        let body = LoginBody {
            api_key: &api_key,
            username: &self.username,
            password: self.password.expose(),
            timestamp: &timestamp,
        };
        // The whole body of a refused login is needed to spot a migrated tenant's message,
        // which error excerpts may cut off.
        let request = Request::post(SESSION_PATH)
            .json(&body)?
            .return_error_responses();

        let earlier_logins = self.logins.fetch_add(1, Ordering::Relaxed);
        tracing::info!(
            username = %self.username,
            renewal = earlier_logins > 0,
            "logging in to ZIA"
        );
        let response = transport
            .send(&request)
            .await
            .map_err(|error| login_error(error, &self.username))?;

        if !looks_like_json(&response.body) && mentions_oneapi(&response.text()) {
            return Err(login_failure(
                transport,
                &request,
                &response,
                MIGRATED_TENANT,
            ));
        }
        if !response.is_success() {
            let error = transport.response_error(&request, &response);
            return Err(login_error(error, &self.username));
        }
        let Some(session_id) = session_cookie(&response.headers) else {
            return Err(login_failure(
                transport,
                &request,
                &response,
                "the login succeeded but the response set no JSESSIONID cookie, so there is no \
                 session to send; check that nothing between this client and ZIA strips cookies",
            ));
        };
        let cookie = sensitive_header(&format!("{SESSION_COOKIE}={session_id}"))?;

        let info: LoginInfo = serde_json::from_slice(&response.body).unwrap_or_default();
        tracing::info!(
            username = %self.username,
            auth_type = info.auth_type.as_deref().unwrap_or("unknown"),
            source = info.source.as_deref().unwrap_or("unknown"),
            password_expiry_days = info.password_expiry_days,
            "ZIA session started"
        );
        Ok(ZiaSession::new(cookie, self.idle_timeout))
    }

    /// Logs in, unless ZIA rejected a login that ended after `requested_at`. Callers that
    /// waited for a rejected login receive its error instead of sending the same credentials
    /// again, so a burst of requests with a wrong password costs one failed login, not one per
    /// request.
    async fn login_unless_rejected(
        &self,
        transport: &Transport,
        requested_at: Instant,
    ) -> Result<ZiaSession> {
        {
            let rejection = self.rejection.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(rejection) = rejection.as_ref()
                && rejection.at >= requested_at
            {
                return Err(Error::Authentication(rejection.details.clone()));
            }
        }
        let result = self.login(transport).await;
        if let Err(Error::Authentication(details)) = &result {
            *self.rejection.lock().unwrap_or_else(|e| e.into_inner()) = Some(Rejection {
                at: Instant::now(),
                details: details.clone(),
            });
        }
        result
    }

    /// Ends the current session with `DELETE /api/v1/authenticatedSession`. Returns false when
    /// there was no session, or the server had already ended it.
    pub(crate) async fn logout(&self, transport: &Transport) -> Result<bool> {
        let Some(session) = self.slot.take().await else {
            return Ok(false);
        };
        let request = Request::delete(SESSION_PATH).header(cookie_name(), session.cookie.clone());
        match transport.send(&request).await {
            Ok(_) => {
                tracing::info!(username = %self.username, "ZIA session ended");
                Ok(true)
            }
            Err(Error::Authentication(details)) if details_report_expired(&details) => {
                tracing::info!(
                    username = %self.username,
                    "ZIA session had already ended before logout"
                );
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    /// Returns the number of logins made so far, renewals included.
    pub(crate) fn logins(&self) -> u64 {
        self.logins.load(Ordering::Relaxed)
    }
}

#[async_trait]
impl Authenticator for ZiaAuth {
    async fn credentials(&self, transport: &Transport) -> Result<Credentials> {
        let requested_at = Instant::now();
        let (session, generation) = self
            .slot
            .get_or_login(|| self.login_unless_rejected(transport, requested_at))
            .await?;
        session.touch();
        Ok(Credentials {
            generation,
            headers: vec![(cookie_name(), session.cookie.clone())],
        })
    }

    fn is_expired(&self, status: u16, body: &[u8]) -> bool {
        is_session_expired(status, body)
    }

    async fn invalidate(&self, generation: u64) {
        self.slot.invalidate(generation).await;
    }
}

fn cookie_name() -> HeaderName {
    HeaderName::from_static("cookie")
}

/// Returns the value of the `JSESSIONID` cookie set by a response.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| {
            let pair = cookie.split(';').next()?;
            let (name, value) = pair.split_once('=')?;
            let value = value.trim().trim_matches('"');
            (name.trim().eq_ignore_ascii_case(SESSION_COOKIE) && !value.is_empty())
                .then(|| value.to_owned())
        })
}

fn looks_like_json(body: &[u8]) -> bool {
    body.iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|first| *first == b'{' || *first == b'[')
}

fn mentions_oneapi(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("oneapi") || text.contains("one api")
}

fn details_text(details: &ApiError) -> String {
    [
        details.code.as_deref(),
        details.message.as_deref(),
        details.body_excerpt.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

fn details_report_expired(details: &ApiError) -> bool {
    details.status == 401 && reports_session_expired(&details_text(details))
}

/// Turns the error of a failed login into the error the caller receives. Bad credentials and a
/// migrated tenant become [`Error::Authentication`] with a message that states what to fix.
fn login_error(error: Error, username: &str) -> Error {
    let mut details = match error {
        Error::Authentication(details) | Error::Api(details) => details,
        other => return other,
    };
    let text = details_text(&details);
    if mentions_oneapi(&text) {
        details.message = Some(MIGRATED_TENANT.to_owned());
        return Error::Authentication(details);
    }

    let code = details
        .code
        .as_deref()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let rejected = details.status == 401
        || (matches!(details.status, 400 | 403)
            && (code.contains("AUTHENTICATION") || code.contains("CREDENTIAL")));
    if !rejected {
        return Error::Api(details);
    }
    tracing::warn!(
        username,
        status = details.status,
        code = details.code.as_deref().unwrap_or(""),
        "ZIA login rejected"
    );
    let hint = "ZIA rejected the login; check the username, password and API key";
    details.message = Some(match details.message.take() {
        Some(message) => format!("{message} ({hint})"),
        None => hint.to_owned(),
    });
    Error::Authentication(details)
}

/// Builds an authentication error for a login response that gave no usable session.
fn login_failure(
    transport: &Transport,
    request: &Request,
    response: &Response,
    message: &str,
) -> Error {
    let mut details = ApiError::from_response(
        transport.product(),
        request.method().as_str(),
        request.path(),
        response.status,
        &response.body,
        None,
    );
    details.message = Some(message.to_owned());
    Error::Authentication(Box::new(details))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obfuscation_matches_vector() {
        assert_eq!(
            obfuscate_api_key("0123456789abcdef", "1700000123456").as_deref(),
            Some("12345628394a")
        );
    }

    #[test]
    fn obfuscation_uses_last_six_digits() {
        // n = 000000 and r = 000000: key[0] six times, then key[2] six times.
        assert_eq!(
            obfuscate_api_key("abcdefghijkl", "1700000000000").as_deref(),
            Some("aaaaaacccccc")
        );
        // n = 999999 and r = 499999: key[9] six times, then key[6] and key[11] five times.
        assert_eq!(
            obfuscate_api_key("abcdefghijkl", "1700000999999").as_deref(),
            Some("jjjjjjglllll")
        );
    }

    #[test]
    fn obfuscation_rejects_bad_input() {
        assert_eq!(obfuscate_api_key("0123456789a", "1700000123456"), None);
        assert_eq!(obfuscate_api_key("0123456789abcdef", "12345"), None);
        assert_eq!(obfuscate_api_key("0123456789abcdef", "17000001234x6"), None);
    }

    #[test]
    fn session_expiry_wordings() {
        let expired = [
            r#"{"code":"SESSION_NOT_VALID","message":"Session is not valid"}"#,
            "Session already invalidated",
            r#"{"message":"The session is invalid"}"#,
            "session has been invalidated, please log in",
            "SESSION EXPIRED",
        ];
        for body in expired {
            assert!(is_session_expired(401, body.as_bytes()), "{body}");
        }
        let not_expired = [
            (
                401,
                r#"{"code":"AUTHENTICATION_FAILED","message":"Invalid session user"}"#,
            ),
            (401, r#"{"message":"Resource Access Blocked"}"#),
            (401, ""),
            (403, r#"{"code":"SESSION_NOT_VALID"}"#),
            (400, "Session already invalidated"),
        ];
        for (status, body) in not_expired {
            assert!(
                !is_session_expired(status, body.as_bytes()),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn session_cookie_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            "set-cookie",
            HeaderValue::from_static("ZS_SESSION=x; Path=/"),
        );
        headers.append(
            "set-cookie",
            HeaderValue::from_static("JSESSIONID=ABC123; Path=/; Secure; HttpOnly"),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("ABC123"));

        let mut empty = HeaderMap::new();
        empty.append(
            "set-cookie",
            HeaderValue::from_static("JSESSIONID=; Path=/"),
        );
        assert_eq!(session_cookie(&empty), None);
    }

    #[tokio::test(start_paused = true)]
    async fn session_renews_before_idle_timeout() {
        let cookie = HeaderValue::from_static("JSESSIONID=x");
        let session = ZiaSession::new(cookie, Duration::from_secs(300));
        assert!(!session.needs_renewal());

        tokio::time::advance(Duration::from_secs(269)).await;
        assert!(!session.needs_renewal(), "31 s before the timeout");
        session.touch();
        tokio::time::advance(Duration::from_secs(270)).await;
        assert!(session.needs_renewal(), "30 s before the timeout");
    }

    #[test]
    fn login_body_has_wire_names() {
        let body = LoginBody {
            api_key: "k",
            username: "u",
            password: "p",
            timestamp: "1",
        };
        assert_eq!(
            serde_json::to_value(&body).expect("encodes"),
            serde_json::json!({"apiKey": "k", "username": "u", "password": "p", "timestamp": "1"})
        );
    }
}
