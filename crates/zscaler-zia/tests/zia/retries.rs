//! Which failures are retried, how long the client waits, and what it returns when retries run
//! out, through real HTTP.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use httpmock::prelude::*;
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};
use zscaler_zia::{Group, ZiaClient};

use crate::support::{client, mock_login};

/// Mocks `GET /api/v1/users/1`: the first `failures` calls get `status` with `headers` and
/// `body`, later calls get the user.
async fn failing_then_ok<'a>(
    server: &'a MockServer,
    failures: usize,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> (Mock<'a>, Mock<'a>) {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    let body = body.to_owned();
    let failing = server
        .mock_async(move |when, then| {
            when.method(GET).path("/api/v1/users/1");
            let mut then = then.status(status).body(body);
            for (name, value) in headers {
                then = then.header(name, value);
            }
        })
        .await;
    failing.up_to_n_times_async(failures).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/1");
            then.status(200).json_body(json!({"id": 1, "name": "Jane"}));
        })
        .await;
    (failing, ok)
}

async fn setup(server: &MockServer) -> ZiaClient {
    mock_login(server).await;
    client(server)
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after_header() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let (limited, ok) = failing_then_ok(
        &server,
        1,
        429,
        &[("retry-after", "1"), ("content-type", "text/plain")],
        "",
    )
    .await;

    let started = Instant::now();
    let user = zia.users().get(1).await.expect("retried");

    assert_eq!(user.id, 1);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(limited.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
    assert_eq!(zia.stats().retries, 1);
}

#[tokio::test]
async fn rate_limit_waits_for_json_body_field() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let body = r#"{"message":"Rate Limit (1/SECOND) exceeded","Retry-After":"1 seconds"}"#;
    let (limited, ok) = failing_then_ok(&server, 1, 429, &[], body).await;

    let started = Instant::now();
    zia.users().get(1).await.expect("retried");

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(limited.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
}

#[tokio::test]
async fn rate_limit_with_zero_seconds_retries_at_once() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let body = r#"{"message":"Rate Limit (1/SECOND) exceeded","Retry-After":"0 seconds"}"#;
    let (limited, ok) = failing_then_ok(&server, 2, 429, &[], body).await;

    let started = Instant::now();
    zia.users().get(1).await.expect("retried");

    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(limited.calls_async().await, 2);
    assert_eq!(ok.calls_async().await, 1);
}

#[tokio::test]
async fn edit_lock_on_update_is_retried() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let locked = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/api/v1/groups/168108675")
                .json_body(json!({"name": "Renamed"}));
            then.status(409)
                .json_body(json!({"code": "EDIT_LOCK_NOT_AVAILABLE"}));
        })
        .await;
    locked.up_to_n_times_async(1).await;
    let updated = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/api/v1/groups/168108675")
                .json_body(json!({"name": "Renamed"}));
            then.status(200)
                .json_body(json!({"id": 168108675, "name": "Renamed"}));
        })
        .await;

    let group = zia
        .groups()
        .update(168108675, &Group::new("Renamed"))
        .await
        .expect("retried after the lock");

    assert_eq!(group.id, 168108675);
    assert_eq!(locked.calls_async().await, 1);
    assert_eq!(updated.calls_async().await, 1);
}

#[tokio::test]
async fn unavailable_then_success() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let (unavailable, ok) = failing_then_ok(&server, 1, 503, &[], "").await;

    zia.users().get(1).await.expect("retried");

    assert_eq!(unavailable.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
}

#[tokio::test]
async fn access_blocked_is_retried() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let body = r#"{"message":"Resource Access Blocked"}"#;
    let (blocked, ok) = failing_then_ok(&server, 1, 401, &[], body).await;

    zia.users().get(1).await.expect("retried");

    assert_eq!(blocked.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
    assert_eq!(
        zia.stats().renewals,
        0,
        "access blocked is not an expired session"
    );
}

#[tokio::test]
async fn retries_run_out_with_last_failure() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let attempts = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&attempts);
    let unavailable = server
        .mock_async(move |when, then| {
            when.method(GET).path("/api/v1/users/1");
            then.respond_with(move |_| {
                let attempt = counter.fetch_add(1, Ordering::SeqCst) + 1;
                HttpMockResponse::builder()
                    .status(503)
                    .header("content-type", "application/json")
                    .body(
                        json!({"code": "UNAVAILABLE", "message": format!("attempt {attempt}")})
                            .to_string(),
                    )
                    .build()
            });
        })
        .await;

    let error = zia.users().get(1).await.expect_err("every attempt fails");

    assert_eq!(
        unavailable.calls_async().await,
        6,
        "first attempt and 5 retries"
    );
    assert_eq!(error.status(), Some(503));
    assert!(error.to_string().contains("attempt 6"), "{error}");
    assert_eq!(zia.stats().retries, 5);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let cases: [(u16, Value); 4] = [
        (
            400,
            json!({"code": "INVALID_INPUT_ARGUMENT", "message": "Invalid name"}),
        ),
        (
            403,
            json!({"code": "LIMIT_EXCEEDED", "message": "Number of users exceeds the limit"}),
        ),
        (
            404,
            json!({"code": "RESOURCE_NOT_FOUND", "message": "Resource not found"}),
        ),
        (
            409,
            json!({"code": "DUPLICATE_ITEM", "message": "User already exists"}),
        ),
    ];
    for (status, body) in cases {
        let server = MockServer::start_async().await;
        let zia = setup(&server).await;
        let failing = server
            .mock_async(|when, then| {
                when.method(GET).path("/api/v1/users/1");
                then.status(status)
                    .header("retry-after", "1")
                    .json_body(body.clone());
            })
            .await;

        let error = zia.users().get(1).await.expect_err("client error");

        assert_eq!(
            failing.calls_async().await,
            1,
            "{status} must not be retried"
        );
        assert_eq!(error.status(), Some(status));
        assert_eq!(zia.stats().retries, 0, "{status}");
        if status == 404 {
            assert!(error.is_not_found(), "{error:?}");
        }
    }
}
