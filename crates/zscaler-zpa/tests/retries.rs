//! Retries of rate limits and concurrent-change errors, and the errors that are not retried.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use httpmock::{HttpMockResponse, Method, MockServer};
use serde_json::json;
use zscaler_zpa::Error;

use common::{base, client, mock_signin};

/// Mocks GET segmentGroup/1 to fail with `status`, `headers` and `body` `failures` times,
/// then succeed. Returns the attempt counter.
async fn flaky_get(
    server: &MockServer,
    failures: usize,
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
) -> Arc<AtomicUsize> {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&attempts);
    server
        .mock_async(move |when, then| {
            when.method(Method::GET)
                .path(format!("{}/segmentGroup/1", base()));
            then.respond_with(move |_| {
                let attempt = counter.fetch_add(1, Ordering::SeqCst);
                if attempt < failures {
                    let mut response = HttpMockResponse::builder()
                        .status(status)
                        .header("content-type", "application/json");
                    for (name, value) in &headers {
                        response = response.header(*name, *value);
                    }
                    response.body(body).build()
                } else {
                    HttpMockResponse::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(r#"{"id":"1","name":"one"}"#)
                        .build()
                }
            });
        })
        .await;
    attempts
}

const TOO_MANY: &str =
    r#"{"id":"invalid.toomanyrequests","reason":"Exceeded the number of requests allowed."}"#;

#[tokio::test]
async fn rate_limit_with_zero_seconds_is_retried() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let attempts = flaky_get(&server, 2, 429, vec![("retry-after", "0s")], TOO_MANY).await;
    let zpa = client(&server);

    let group = zpa.segment_groups().get("1").await.expect("retried");

    assert_eq!(group.name.as_deref(), Some("one"));
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
    assert_eq!(zpa.stats().retries, 2);
}

#[tokio::test]
async fn rate_limit_waits_retry_after_seconds() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let attempts = flaky_get(&server, 1, 429, vec![("retry-after", "1s")], TOO_MANY).await;
    let zpa = client(&server);

    let started = Instant::now();
    zpa.segment_groups().get("1").await.expect("retried");

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn concurrent_access_400_and_409_are_retried() {
    for status in [400u16, 409] {
        let server = MockServer::start_async().await;
        mock_signin(&server, "token", json!("3600")).await;
        let attempts = flaky_get(
            &server,
            2,
            status,
            vec![],
            r#"{"id":"api.concurrent.access.error","reason":"Another request is changing this object."}"#,
        )
        .await;
        let zpa = client(&server);

        zpa.segment_groups()
            .get("1")
            .await
            .unwrap_or_else(|error| panic!("status {status} not retried: {error}"));

        assert_eq!(attempts.load(Ordering::SeqCst), 3, "status {status}");
    }
}

#[tokio::test]
async fn simultaneous_request_is_retried() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let attempts = flaky_get(
        &server,
        1,
        400,
        vec![],
        r#"{"id":"db.simultaneous.request","reason":"Simultaneous request"}"#,
    )
    .await;
    let zpa = client(&server);
    zpa.segment_groups().get("1").await.expect("retried");
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn bad_request_is_not_retried() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let attempts = flaky_get(
        &server,
        5,
        400,
        vec![],
        r#"{"id":"bad.request","reason":"Invalid segment group name","params":[]}"#,
    )
    .await;
    let zpa = client(&server);

    let error = zpa.segment_groups().get("1").await.expect_err("400 fails");

    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status(), Some(400));
    let details = error.api_error().expect("details");
    assert_eq!(details.code.as_deref(), Some("bad.request"));
    assert_eq!(
        details.message.as_deref(),
        Some("Invalid segment group name")
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    assert_eq!(zpa.stats().retries, 0);
}

#[tokio::test]
async fn missing_resource_is_not_found() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let get = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("{}/application/404404", base()));
            then.status(404)
                .body(r#"{"id":"resource.not.found","reason":"Resource not found","params":[]}"#);
        })
        .await;
    let zpa = client(&server);

    let error = zpa
        .application_segments()
        .get("404404")
        .await
        .expect_err("missing");

    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(
        error.api_error().and_then(|d| d.code.as_deref()),
        Some("resource.not.found")
    );
    assert_eq!(get.calls_async().await, 1);
}
