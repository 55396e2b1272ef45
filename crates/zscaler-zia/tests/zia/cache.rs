//! The optional response cache: repeated reads, eviction on writes, and errors left uncached.

use httpmock::MockServer;
use httpmock::prelude::*;
use serde_json::json;
use zscaler_core::CacheSettings;
use zscaler_zia::ZiaClient;

use crate::support::{builder, mock_login};

async fn cached_client(server: &MockServer) -> ZiaClient {
    mock_login(server).await;
    builder(server)
        .cache(CacheSettings::enabled())
        .build()
        .expect("valid settings")
}

#[tokio::test]
async fn repeated_get_hits_server_once() {
    let server = MockServer::start_async().await;
    let zia = cached_client(&server).await;
    let user = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/42");
            then.status(200)
                .json_body(json!({"id": 42, "name": "Jane"}));
        })
        .await;

    let first = zia.users().get(42).await.expect("first read");
    let second = zia.users().get(42).await.expect("cached read");

    assert_eq!(first, second);
    assert_eq!(user.calls_async().await, 1);
    assert_eq!(zia.stats().cache_hits, 1);
}

#[tokio::test]
async fn update_evicts_item_and_listing() {
    let server = MockServer::start_async().await;
    let zia = cached_client(&server).await;
    let user = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/42");
            then.status(200)
                .json_body(json!({"id": 42, "name": "Jane"}));
        })
        .await;
    let first_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "1");
            then.status(200)
                .json_body(json!([{"id": 42, "name": "Jane"}]));
        })
        .await;
    let end = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "2");
            then.status(200).json_body(json!([]));
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(PUT).path("/api/v1/users/42");
            then.status(200)
                .json_body(json!({"id": 42, "name": "Jane Roe"}));
        })
        .await;

    let mut read = zia.users().get(42).await.expect("read");
    zia.users().list().collect().await.expect("list");
    zia.users().list().collect().await.expect("cached list");
    assert_eq!(first_page.calls_async().await, 1);

    read.name = Some("Jane Roe".into());
    zia.users().update(42, &read).await.expect("update");
    zia.users().get(42).await.expect("fresh read");
    zia.users().list().collect().await.expect("fresh list");

    assert_eq!(update.calls_async().await, 1);
    assert_eq!(user.calls_async().await, 2);
    assert_eq!(first_page.calls_async().await, 2);
    assert_eq!(end.calls_async().await, 2);
}

#[tokio::test]
async fn error_responses_are_not_cached() {
    let server = MockServer::start_async().await;
    let zia = cached_client(&server).await;
    let missing = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/43");
            then.status(404)
                .json_body(json!({"code": "RESOURCE_NOT_FOUND", "message": "Resource not found"}));
        })
        .await;

    assert!(
        zia.users()
            .get(43)
            .await
            .expect_err("missing")
            .is_not_found()
    );
    assert!(
        zia.users()
            .get(43)
            .await
            .expect_err("still missing")
            .is_not_found()
    );

    assert_eq!(missing.calls_async().await, 2);
    assert_eq!(zia.stats().cache_hits, 0);
}

#[tokio::test]
async fn cache_is_off_by_default() {
    let server = MockServer::start_async().await;
    mock_login(&server).await;
    let zia = crate::support::client(&server);
    let status = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/status");
            then.status(200).json_body(json!({"status": "ACTIVE"}));
        })
        .await;

    zia.activation().status().await.expect("first");
    zia.activation().status().await.expect("second");

    assert_eq!(status.calls_async().await, 2);
}
