//! How errors read when they are printed.

use httpmock::MockServer;
use httpmock::prelude::*;
use serde_json::json;
use zscaler_core::{Error, RetryPolicy};
use zscaler_zia::{Group, ZiaClient};

use crate::support::{builder, mock_login};

/// Returns a client that does not retry, so each error comes from the first response.
async fn setup(server: &MockServer) -> ZiaClient {
    mock_login(server).await;
    builder(server)
        .retry(RetryPolicy::none())
        .build()
        .expect("valid settings")
}

#[tokio::test]
async fn edit_lock_conflict_reads_alone() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    server
        .mock_async(|when, then| {
            when.method(PUT).path("/api/v1/groups/42");
            then.status(409)
                .header("x-request-id", "req-7f3a")
                .json_body(json!({
                    "code": "EDIT_LOCK_NOT_AVAILABLE",
                    "message": "another admin holds the edit lock"
                }));
        })
        .await;

    let error = zia
        .groups()
        .update(42, &Group::new("x"))
        .await
        .expect_err("locked");

    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "ZIA 409 EDIT_LOCK_NOT_AVAILABLE on PUT /api/v1/groups/42: another admin holds the edit \
         lock [request id req-7f3a]"
    );
}

#[tokio::test]
async fn not_found_reads_alone() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/departments/9");
            then.status(404)
                .json_body(json!({"code": "RESOURCE_NOT_FOUND", "message": "Resource not found"}));
        })
        .await;

    let error = zia.departments().get(9).await.expect_err("missing");

    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "ZIA 404 RESOURCE_NOT_FOUND on GET /api/v1/departments/9: Resource not found"
    );
}

#[tokio::test]
async fn html_gateway_error_shows_excerpt() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/1");
            then.status(502).header("content-type", "text/html").body(
                "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>",
            );
        })
        .await;

    let error = zia.users().get(1).await.expect_err("gateway error");

    assert_eq!(error.status(), Some(502));
    assert_eq!(
        error.to_string(),
        "ZIA 502 on GET /api/v1/users/1 (body starts with \"<html> <head><title>502 Bad \
         Gateway</title></head> <body>nginx</body></html>\")"
    );
}

#[tokio::test]
async fn wrong_type_names_json_path() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "1");
            then.status(200)
                .json_body(json!([{"id": 1, "name": "a"}, {"id": "two", "name": "b"}]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/2");
            then.status(200)
                .json_body(json!({"id": 2, "groups": [{"id": 1}, {"id": "x"}]}));
        })
        .await;

    let error = zia
        .users()
        .list()
        .collect()
        .await
        .expect_err("id is a string");
    let Error::InvalidResponse(details) = &error else {
        panic!("expected an invalid response, got {error:?}");
    };
    assert_eq!(details.json_path, "[1].id");
    let text = error.to_string();
    assert!(
        text.starts_with("ZIA returned an invalid response body for GET /api/v1/users"),
        "{text}"
    );
    assert!(text.contains("at `[1].id`"), "{text}");

    let error = zia.users().get(2).await.expect_err("group id is a string");
    let Error::InvalidResponse(details) = &error else {
        panic!("expected an invalid response, got {error:?}");
    };
    assert_eq!(details.json_path, "groups[1].id");
}

#[tokio::test]
async fn malformed_json_shows_excerpt() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/3");
            then.status(200).body(r#"{"id": 3, "name": "#);
        })
        .await;

    let error = zia.users().get(3).await.expect_err("truncated JSON");

    let text = error.to_string();
    assert!(matches!(error, Error::InvalidResponse(_)), "{error:?}");
    assert!(text.contains("body starts with"), "{text}");
}

#[tokio::test]
async fn create_without_json_body_is_an_error() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v1/groups");
            then.status(200)
                .header("content-type", "text/plain")
                .body("SUCCESS");
        })
        .await;

    let error = zia
        .groups()
        .create(&Group::new("x"))
        .await
        .expect_err("no id to return");

    let text = error.to_string();
    assert!(matches!(error, Error::InvalidResponse(_)), "{error:?}");
    assert!(text.contains("id of the new resource is unknown"), "{text}");
    assert!(text.contains("SUCCESS"), "{text}");
}
