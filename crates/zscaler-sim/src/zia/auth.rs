//! ZIA legacy authentication: API key obfuscation, `JSESSIONID` sessions with an idle timeout,
//! login, session check and logout.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Response;
use serde_json::{Value, json};

use crate::http::{RequestContext, empty_response, json_response, with_header};
use crate::oneapi;
use crate::state::Shared;

/// Obfuscates a ZIA API key with a login timestamp in milliseconds, as ZIA expects in the
/// `apiKey` field of `POST /api/v1/authenticatedSession`.
///
/// With `n` the last six digits of the timestamp and `r` equal to `n >> 1` written with six
/// digits, the result is `key[d]` for each digit `d` of `n` followed by `key[d + 2]` for each
/// digit `d` of `r`. Returns `None` when the timestamp has fewer than six digits or other
/// characters, or the key is shorter than 12 characters.
///
/// ```
/// assert_eq!(
///     zscaler_sim::obfuscate_api_key("0123456789abcdef", "1700000123456").as_deref(),
///     Some("12345628394a")
/// );
/// ```
pub fn obfuscate_api_key(api_key: &str, timestamp: &str) -> Option<String> {
    let key: Vec<char> = api_key.chars().collect();
    if key.len() < 12 || timestamp.len() < 6 || !timestamp.bytes().all(|byte| byte.is_ascii_digit())
    {
        return None;
    }
    let high = &timestamp[timestamp.len() - 6..];
    let number: u32 = high.parse().ok()?;
    let shifted = format!("{:06}", number >> 1);
    let mut obfuscated = String::with_capacity(12);
    for digit in high.bytes() {
        obfuscated.push(key[usize::from(digit - b'0')]);
    }
    for digit in shifted.bytes() {
        obfuscated.push(key[usize::from(digit - b'0') + 2]);
    }
    Some(obfuscated)
}

/// Live ZIA sessions by `JSESSIONID`, with the time each was last used.
#[derive(Debug)]
pub(crate) struct ZiaSessions {
    sessions: HashMap<String, Instant>,
    rng: fastrand::Rng,
}

impl ZiaSessions {
    /// Creates an empty session table whose ids come from a generator derived from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            sessions: HashMap::new(),
            rng: fastrand::Rng::with_seed(seed ^ 0x2a1a_5e55),
        }
    }

    /// Starts a session and returns its id.
    pub fn create(&mut self) -> String {
        let id: String = (0..32)
            .map(|_| {
                let digit = self.rng.u32(0..16);
                char::from_digit(digit, 16)
                    .expect("a number below 16 is a hex digit")
                    .to_ascii_uppercase()
            })
            .collect();
        self.sessions.insert(id.clone(), Instant::now());
        id
    }

    /// Checks a session and marks it used. A session idle for longer than `idle_timeout` is
    /// removed and reported invalid.
    pub fn touch(&mut self, id: &str, idle_timeout: Duration) -> bool {
        let now = Instant::now();
        match self.sessions.get_mut(id) {
            Some(last_used) if now.duration_since(*last_used) <= idle_timeout => {
                *last_used = now;
                true
            }
            Some(_) => {
                self.sessions.remove(id);
                false
            }
            None => false,
        }
    }

    /// Ends one session.
    pub fn remove(&mut self, id: &str) {
        self.sessions.remove(id);
    }

    /// Ends every session.
    pub fn clear(&mut self) {
        self.sessions.clear();
    }
}

/// Returns the session id a request carries: the `JSESSIONID` cookie, or the `JSessionID`
/// header that the Go SDK also sends.
pub(crate) fn session_id(ctx: &RequestContext) -> Option<String> {
    ctx.cookie("JSESSIONID")
        .or_else(|| ctx.header("jsessionid").map(str::to_string))
}

/// Builds the 401 response for a missing, expired or invalidated session.
pub(crate) fn session_not_valid() -> Response<Body> {
    json_response(
        401,
        &json!({"code": "SESSION_NOT_VALID", "message": "Session is not valid"}),
    )
}

fn session_info() -> Value {
    json!({
        "authType": "ADMIN_LOGIN",
        "obfuscateApiKey": true,
        "passwordExpiryTime": 0,
        "passwordExpiryDays": 0,
        "source": "API"
    })
}

/// Handles `POST /api/v1/authenticatedSession`. A tenant migrated to OneAPI rejects every
/// legacy login with an HTML page.
pub(crate) fn login(shared: &Shared, ctx: &RequestContext) -> Response<Body> {
    if shared.settings.zia_migrated_to_oneapi {
        tracing::debug!("legacy ZIA login rejected: the tenant is migrated to OneAPI");
        return oneapi::legacy_login_rejected();
    }
    let Ok(Some(body)) = ctx.json_body() else {
        return json_response(
            400,
            &json!({"code": "INVALID_INPUT_ARGUMENT", "message": "Request body is invalid."}),
        );
    };
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or_default();
    let credentials = &shared.settings.zia;
    let expected_key = obfuscate_api_key(&credentials.api_key, text("timestamp"));
    let accepted = text("username") == credentials.username
        && text("password") == credentials.password
        && expected_key.as_deref() == Some(text("apiKey"));
    if !accepted {
        tracing::debug!(username = text("username"), "ZIA login rejected");
        return json_response(
            401,
            &json!({
                "code": "AUTHENTICATION_FAILED",
                "message": "Invalid username, password or API key"
            }),
        );
    }
    let session = shared
        .zia_sessions
        .lock()
        .expect("session lock poisoned")
        .create();
    let response = json_response(200, &session_info());
    with_header(
        response,
        "set-cookie",
        &format!("JSESSIONID={session}; Path=/; Secure; HttpOnly"),
    )
}

/// Handles `GET /api/v1/authenticatedSession` for a request whose session was checked.
pub(crate) fn current_session() -> Response<Body> {
    json_response(200, &session_info())
}

/// Handles `DELETE /api/v1/authenticatedSession`: ends the session and activates staged
/// changes.
pub(crate) fn logout(shared: &Shared, ctx: &RequestContext) -> Response<Body> {
    if let Some(id) = session_id(ctx) {
        shared
            .zia_sessions
            .lock()
            .expect("session lock poisoned")
            .remove(&id);
    }
    shared
        .store
        .lock()
        .expect("store lock poisoned")
        .zia_pending = false;
    empty_response(204)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obfuscation_vector() {
        assert_eq!(
            obfuscate_api_key("0123456789abcdef", "1700000123456").as_deref(),
            Some("12345628394a")
        );
    }

    #[test]
    fn obfuscation_rejects_bad_input() {
        assert_eq!(obfuscate_api_key("short", "1700000123456"), None);
        assert_eq!(obfuscate_api_key("0123456789abcdef", "12345"), None);
        assert_eq!(obfuscate_api_key("0123456789abcdef", "17000001234x6"), None);
    }

    #[test]
    fn session_idle_expiry() {
        let mut sessions = ZiaSessions::new(1);
        let id = sessions.create();
        assert_eq!(id.len(), 32);
        assert!(sessions.touch(&id, Duration::from_secs(60)));
        std::thread::sleep(Duration::from_millis(20));
        assert!(!sessions.touch(&id, Duration::from_millis(5)));
        assert!(!sessions.touch(&id, Duration::from_secs(60)));
    }
}
