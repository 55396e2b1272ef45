//! Shared pieces of the integration tests: a client aimed at a local mock server and a login
//! mock that checks the obfuscated key.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use httpmock::prelude::*;
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};
use zscaler_core::{RateLimitSettings, RetryPolicy};
use zscaler_zia::{ZiaClient, ZiaClientBuilder};

pub const USERNAME: &str = "admin@example.com";
pub const PASSWORD: &str = "Pa55-word-that-must-not-leak";
pub const API_KEY: &str = "k3yQ9w8e7r6t5y4u";
pub const SESSION_PATH: &str = "/api/v1/authenticatedSession";

/// Prefix of the session ids the login mock hands out; the n-th login gets `<prefix>-<n>`.
pub const SESSION_PREFIX: &str = "7C1E0D5A9B3F4E2A8D6C0B1A2F3E4D5C";

/// Returns the cookie header the n-th login's session is sent with.
pub fn session_cookie(login: u32) -> String {
    format!("JSESSIONID={SESSION_PREFIX}-{login}")
}

/// Returns a builder aimed at `server`, with no client-side rate limit and millisecond
/// backoffs, so retry tests take milliseconds.
pub fn builder(server: &MockServer) -> ZiaClientBuilder {
    ZiaClient::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .api_key(API_KEY)
        .base_url(server.base_url())
        .rate_limit(RateLimitSettings::disabled())
        .retry(quick_retries())
}

/// Returns the default policy (5 retries) with backoffs of a few milliseconds.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// Returns a client aimed at `server`.
pub fn client(server: &MockServer) -> ZiaClient {
    builder(server).build().expect("valid test settings")
}

/// Returns true when a login body carries the test credentials, a current timestamp and the
/// API key obfuscated with that timestamp, and nothing else.
fn is_valid_login(request: &HttpMockRequest) -> bool {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(request.body_ref()) else {
        return false;
    };
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or_default();
    let timestamp = text("timestamp");
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis();
    let recent = timestamp
        .parse::<u128>()
        .is_ok_and(|sent| now_ms.abs_diff(sent) < 60_000);
    let expected_key = zscaler_zia::auth::obfuscate_api_key(API_KEY, timestamp);
    body.len() == 4
        && text("username") == USERNAME
        && text("password") == PASSWORD
        && recent
        && expected_key.as_deref() == Some(text("apiKey"))
}

/// Mocks a login that accepts the test credentials and returns a new session each time.
pub async fn mock_login(server: &MockServer) -> Mock<'_> {
    let logins = Arc::new(AtomicU32::new(0));
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path(SESSION_PATH)
                .header("content-type", "application/json")
                .is_true(is_valid_login);
            then.respond_with(move |_| {
                let login = logins.fetch_add(1, Ordering::SeqCst) + 1;
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .header(
                        "set-cookie",
                        format!("{}; Path=/; Secure; HttpOnly", session_cookie(login)),
                    )
                    .body(
                        json!({
                            "authType": "ADMIN_LOGIN",
                            "obfuscateApiKey": true,
                            "passwordExpiryTime": 0,
                            "passwordExpiryDays": 0,
                            "source": "API"
                        })
                        .to_string(),
                    )
                    .build()
            });
        })
        .await
}

/// Mocks a logout of any session.
pub async fn mock_logout(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(DELETE).path(SESSION_PATH);
            then.status(204);
        })
        .await
}

/// Returns `count` users with ids starting at `first`, as ZIA lists them.
pub fn users(first: i64, count: i64) -> Value {
    Value::Array(
        (first..first + count)
            .map(|id| {
                let email = format!("u{id}@example.com");
                json!({"id": id, "name": format!("user {id}"), "email": email})
            })
            .collect(),
    )
}
