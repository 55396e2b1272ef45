//! Helpers shared by the integration tests: a client pointed at an httpmock server on
//! 127.0.0.1, `/signin` mocks and short-lived JWTs.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use httpmock::{HttpMockResponse, Method, Mock, MockServer};
use serde_json::{Value, json};
use zscaler_zpa::{RateLimitSettings, RetryPolicy, ZpaClient, ZpaClientBuilder};

pub const CLIENT_ID: &str = "test-client-id";
pub const CLIENT_SECRET: &str = "client-secret-Zq81x";
pub const CUSTOMER_ID: &str = "216196257331281920";

/// Returns the mgmtconfig v1 root of the test tenant.
pub fn base() -> String {
    format!("/mgmtconfig/v1/admin/customers/{CUSTOMER_ID}")
}

/// Returns a builder for a client of the test tenant on `server`, with rate limiting off and
/// millisecond backoffs.
pub fn builder(server: &MockServer) -> ZpaClientBuilder {
    ZpaClient::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .customer_id(CUSTOMER_ID)
        .base_url(server.base_url())
        .rate_limit(RateLimitSettings::disabled())
        .retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_deadline(Duration::from_secs(20)),
        )
}

/// Returns a client of the test tenant on `server`.
pub fn client(server: &MockServer) -> ZpaClient {
    builder(server).build().expect("valid test settings")
}

/// Returns an unsigned JWT whose `exp` lies `lifetime` seconds from now.
pub fn jwt(lifetime: u64, subject: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = json!({"sub": subject, "iat": now, "exp": now + lifetime});
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.c2lnbmF0dXJl")
}

/// Mocks `/signin` for the test credentials, returning `token` and `expires_in`.
pub async fn mock_signin<'a>(server: &'a MockServer, token: &str, expires_in: Value) -> Mock<'a> {
    let body = json!({"token_type": "Bearer", "access_token": token, "expires_in": expires_in});
    server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/signin")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
            then.status(200)
                .header("content-type", "application/json")
                .body(body.to_string());
        })
        .await
}

/// Mocks `/signin` so that the n-th sign-in (from 1) returns the token `make_token(n)` with
/// `expires_in`. Returns the mock and the sign-in counter.
pub async fn mock_signin_sequence<'a, F>(
    server: &'a MockServer,
    expires_in: Value,
    make_token: F,
) -> (Mock<'a>, Arc<AtomicUsize>)
where
    F: Fn(usize) -> String + Send + Sync + 'static,
{
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let mock = server
        .mock_async(move |when, then| {
            when.method(Method::POST)
                .path("/signin")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
            then.respond_with(move |_| {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let body = json!({
                    "token_type": "Bearer",
                    "access_token": make_token(n),
                    "expires_in": expires_in.clone()
                });
                json_response(200, &body)
            });
        })
        .await;
    (mock, count)
}

/// Builds a JSON response for `respond_with`.
pub fn json_response(status: u16, body: &Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

/// Returns a page envelope as ZPA sends it, with the totals as strings.
pub fn page(total_pages: u64, items: Vec<Value>) -> Value {
    json!({
        "totalPages": total_pages.to_string(),
        "totalCount": (items.len() as u64 * total_pages).to_string(),
        "list": items
    })
}

/// Returns `count` segment groups with ids `first..first+count`.
pub fn groups(first: u64, count: u64) -> Vec<Value> {
    (first..first + count)
        .map(|id| json!({"id": id.to_string(), "name": format!("group-{id}"), "enabled": true}))
        .collect()
}
