//! Sign-in, token renewal and credential failures against an httpmock server.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use httpmock::{Method, MockServer};
use serde_json::json;
use zscaler_zpa::Error;

use common::{
    CLIENT_SECRET, base, builder, client, groups, jwt, mock_signin, mock_signin_sequence, page,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_calls_share_one_signin() {
    let server = MockServer::start_async().await;
    let token = jwt(3600, "shared");
    let signin = mock_signin(&server, &token, json!("3600")).await;
    let expected_auth = format!("Bearer {token}");
    let get = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("{}/segmentGroup/7", base()))
                .header("authorization", expected_auth.as_str());
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"id":"7","name":"seven"}"#);
        })
        .await;
    let zpa = client(&server);

    let mut tasks = Vec::new();
    for _ in 0..20 {
        let zpa = zpa.clone();
        tasks.push(tokio::spawn(
            async move { zpa.segment_groups().get("7").await },
        ));
    }
    for task in tasks {
        let group = task.await.expect("task ran").expect("get succeeded");
        assert_eq!(group.name.as_deref(), Some("seven"));
    }

    assert_eq!(signin.calls_async().await, 1);
    assert_eq!(get.calls_async().await, 20);
}

#[tokio::test]
async fn short_lived_jwt_is_renewed_before_expiry() {
    let server = MockServer::start_async().await;
    // The JWT expires in 2 s while expires_in claims an hour, so a renewal proves that the
    // client read the JWT's exp claim.
    let (_signin, signins) =
        mock_signin_sequence(&server, json!("3600"), |n| jwt(2, &format!("token-{n}"))).await;
    let get = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("{}/segmentGroup/1", base()));
            then.status(200).body(r#"{"id":"1"}"#);
        })
        .await;
    let zpa = client(&server);

    zpa.segment_groups().get("1").await.expect("first call");
    zpa.segment_groups().get("1").await.expect("second call");
    assert_eq!(
        signins.load(Ordering::SeqCst),
        1,
        "token reused while fresh"
    );

    tokio::time::sleep(Duration::from_millis(1700)).await;
    zpa.segment_groups().get("1").await.expect("third call");
    assert_eq!(
        signins.load(Ordering::SeqCst),
        2,
        "token renewed before exp"
    );
    assert_eq!(get.calls_async().await, 3);
    assert_eq!(zpa.stats().renewals, 0, "renewed ahead, not after a 401");
}

async fn renewal_from_expires_in(expires_in: serde_json::Value) {
    let server = MockServer::start_async().await;
    let (_signin, signins) =
        mock_signin_sequence(&server, expires_in, |n| format!("opaque-token-{n}")).await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("{}/segmentGroup/1", base()));
            then.status(200).body(r#"{"id":"1"}"#);
        })
        .await;
    let zpa = client(&server);

    zpa.segment_groups().get("1").await.expect("first call");
    assert_eq!(signins.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    zpa.segment_groups().get("1").await.expect("second call");
    assert_eq!(signins.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn expires_in_as_string() {
    renewal_from_expires_in(json!("2")).await;
}

#[tokio::test]
async fn expires_in_as_number() {
    renewal_from_expires_in(json!(2)).await;
}

#[tokio::test]
async fn long_expires_in_keeps_token() {
    let server = MockServer::start_async().await;
    let signin = mock_signin(&server, "opaque-token", json!(3600)).await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("{}/segmentGroup/1", base()))
                .header("authorization", "Bearer opaque-token");
            then.status(200).body(r#"{"id":"1"}"#);
        })
        .await;
    let zpa = client(&server);
    for _ in 0..3 {
        zpa.segment_groups().get("1").await.expect("call");
    }
    assert_eq!(signin.calls_async().await, 1);
}

#[tokio::test]
async fn unauthorized_mid_listing_renews_once() {
    let server = MockServer::start_async().await;
    let (_signin, signins) =
        mock_signin_sequence(&server, json!("3600"), |n| format!("token-{n}")).await;
    let path = format!("{}/segmentGroup", base());
    let first = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(path.as_str())
                .query_param("page", "1");
            then.status(200).body(page(3, groups(1, 2)).to_string());
        })
        .await;
    let expired = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(path.as_str())
                .query_param("page", "2")
                .header("authorization", "Bearer token-1");
            then.status(401)
                .body(r#"{"id":"authentication.failed","reason":"token expired"}"#);
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(path.as_str())
                .query_param("page", "2")
                .header("authorization", "Bearer token-2");
            then.status(200).body(page(3, groups(3, 2)).to_string());
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(path.as_str())
                .query_param("page", "3")
                .header("authorization", "Bearer token-2");
            then.status(200).body(page(3, groups(5, 2)).to_string());
        })
        .await;
    let zpa = client(&server);

    let items = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect("listing survives one 401");

    let ids: Vec<&str> = items.iter().map(|group| group.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(signins.load(Ordering::SeqCst), 2);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(expired.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(third.calls_async().await, 1);
    assert_eq!(zpa.stats().renewals, 1);
}

#[tokio::test]
async fn bad_client_secret_fails_once() {
    for status in [400u16, 401, 403] {
        let server = MockServer::start_async().await;
        let signin = server
            .mock_async(|when, then| {
                when.method(Method::POST).path("/signin");
                then.status(status).body(
                    r#"{"id":"authentication.failed","reason":"Invalid client credentials"}"#,
                );
            })
            .await;
        let api = server
            .mock_async(|when, then| {
                when.path_prefix("/mgmtconfig");
                then.status(200).body("{}");
            })
            .await;
        let zpa = builder(&server)
            .client_secret("wrong-secret-Xy7")
            .build()
            .expect("valid settings");

        let error = zpa
            .segment_groups()
            .get("1")
            .await
            .expect_err("bad credentials");

        assert!(
            matches!(error, Error::Authentication(_)),
            "status {status}: {error:?}"
        );
        let text = error.to_string();
        assert!(text.contains("Invalid client credentials"), "{text}");
        assert!(!text.contains("wrong-secret-Xy7"), "{text}");
        assert_eq!(signin.calls_async().await, 1, "status {status}");
        assert_eq!(api.calls_async().await, 0, "status {status}");
    }
}

#[tokio::test]
async fn signin_without_token_is_invalid_response() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/signin");
            then.status(200)
                .body(r#"{"token_type":"Bearer","expires_in":"3600"}"#);
        })
        .await;
    let zpa = client(&server);
    let error = zpa
        .segment_groups()
        .get("1")
        .await
        .expect_err("no access_token");
    assert!(matches!(error, Error::InvalidResponse(_)), "{error:?}");
    assert!(error.to_string().contains("access_token"), "{error}");
}

#[tokio::test]
async fn signin_sends_form_credentials() {
    let server = MockServer::start_async().await;
    // mock_signin matches only the form content type and both credential fields.
    let signin = mock_signin(&server, "opaque-token", json!("3600")).await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(format!("{}/segmentGroup/1", base()));
            then.status(200).body(r#"{"id":"1"}"#);
        })
        .await;
    let zpa = client(&server);
    zpa.segment_groups().get("1").await.expect("call");
    assert_eq!(signin.calls_async().await, 1);
    assert!(!format!("{zpa:?}").contains(CLIENT_SECRET));
}
