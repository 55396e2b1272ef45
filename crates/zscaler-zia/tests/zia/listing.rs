//! When a listing stops, which page sizes it requests, and how filters are sent.

use futures::TryStreamExt;
use httpmock::MockServer;
use httpmock::prelude::*;
use serde_json::{Value, json};
use zscaler_core::{Error, List, Request};
use zscaler_zia::ZiaClient;
use zscaler_zia::pagination::ZiaPages;

use crate::support::{client, mock_login, users};

async fn setup(server: &MockServer) -> ZiaClient {
    mock_login(server).await;
    client(server)
}

/// Mocks page `page` of `/api/v1/users` with `body`.
async fn users_page<'a>(server: &'a MockServer, page: &str, body: Value) -> httpmock::Mock<'a> {
    let page = page.to_owned();
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", page);
            then.status(200).json_body(body);
        })
        .await
}

fn ids(users: &[zscaler_zia::User]) -> Vec<i64> {
    users.iter().map(|user| user.id).collect()
}

#[tokio::test]
async fn empty_page_ends_listing() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let first = users_page(&server, "1", users(1, 2)).await;
    let end = users_page(&server, "2", json!([])).await;

    let listed = zia
        .users()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect("listing");

    assert_eq!(ids(&listed), [1, 2]);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(end.calls_async().await, 1);
}

#[tokio::test]
async fn short_page_is_not_the_end() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let first = users_page(&server, "1", users(1, 2)).await;
    let second = users_page(&server, "2", users(3, 1)).await;
    let end = users_page(&server, "3", json!([])).await;

    let listed = zia
        .users()
        .list()
        .page_size(5)
        .collect()
        .await
        .expect("listing");

    assert_eq!(ids(&listed), [1, 2, 3]);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(end.calls_async().await, 1);
}

#[tokio::test]
async fn empty_body_ends_listing() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let first = users_page(&server, "1", users(1, 1)).await;
    let end = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "2");
            then.status(200).body("");
        })
        .await;

    let listed = zia.users().list().collect().await.expect("listing");

    assert_eq!(ids(&listed), [1]);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(end.calls_async().await, 1);
}

#[tokio::test]
async fn page_sizes_default_and_clamp() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let default_size = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("pageSize", "100");
            then.status(200).json_body(json!([]));
        })
        .await;
    let clamped_users = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("pageSize", "10000");
            then.status(200).json_body(json!([]));
        })
        .await;
    let clamped_groups = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/groups")
                .query_param("pageSize", "1000");
            then.status(200).json_body(json!([]));
        })
        .await;

    zia.users().list().collect().await.expect("default size");
    let list = zia.users().list().page_size(50_000);
    assert_eq!(list.effective_page_size(), Some(10_000));
    list.collect().await.expect("clamped size");
    zia.groups()
        .list()
        .page_size(5_000)
        .collect()
        .await
        .expect("groups");

    assert_eq!(default_size.calls_async().await, 1);
    assert_eq!(clamped_users.calls_async().await, 1);
    assert_eq!(clamped_groups.calls_async().await, 1);
}

#[tokio::test]
async fn max_pages_stops_early() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let first = users_page(&server, "1", users(1, 2)).await;
    let second = users_page(&server, "2", users(3, 2)).await;
    let third = users_page(&server, "3", users(5, 2)).await;

    let pages: Vec<Vec<zscaler_zia::User>> = zia
        .users()
        .list()
        .page_size(2)
        .max_pages(2)
        .pages()
        .try_collect()
        .await
        .expect("two pages");

    assert_eq!(pages.len(), 2);
    assert_eq!(ids(&pages[1]), [3, 4]);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(third.calls_async().await, 0);
}

#[tokio::test]
async fn max_items_stops_mid_page() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let first = users_page(&server, "1", users(1, 2)).await;
    let second = users_page(&server, "2", users(3, 2)).await;
    let third = users_page(&server, "3", users(5, 2)).await;

    let listed = zia
        .users()
        .list()
        .page_size(2)
        .max_items(3)
        .collect()
        .await
        .expect("three items");

    assert_eq!(ids(&listed), [1, 2, 3]);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(third.calls_async().await, 0);
}

#[tokio::test]
async fn repeated_page_stops_with_error() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let same = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users");
            then.status(200).json_body(users(1, 2));
        })
        .await;

    let error = zia
        .users()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect_err("the server ignores page");

    assert!(
        matches!(error, Error::RepeatedPage { page: 2, .. }),
        "{error:?}"
    );
    assert_eq!(same.calls_async().await, 2);
}

#[tokio::test]
async fn stream_yields_items_in_order() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    users_page(&server, "1", users(1, 2)).await;
    users_page(&server, "2", users(3, 2)).await;
    users_page(&server, "3", json!([])).await;

    let mut stream = zia.users().list().page_size(2).stream();
    let mut seen = Vec::new();
    while let Some(user) = stream.try_next().await.expect("item") {
        seen.push(user.id);
    }

    assert_eq!(seen, [1, 2, 3, 4]);
}

#[tokio::test]
async fn unpaged_endpoint_sends_one_request() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let categories = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/urlCategories")
                .query_param_missing("page")
                .query_param_missing("pageSize");
            then.status(200)
                .json_body(json!([{"id": "CUSTOM_01"}, {"id": "CUSTOM_02"}]));
        })
        .await;

    let listed: Vec<Value> = List::single(
        zia.service().clone(),
        Request::get("/api/v1/urlCategories"),
        ZiaPages,
    )
    .collect()
    .await
    .expect("one request");

    assert_eq!(listed.len(), 2);
    assert_eq!(categories.calls_async().await, 1);
}

#[tokio::test]
async fn object_body_is_invalid_response() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    users_page(&server, "1", json!({"list": [{"id": 1}]})).await;

    let error = zia
        .users()
        .list()
        .collect()
        .await
        .expect_err("not an array");

    let Error::InvalidResponse(details) = &error else {
        panic!("expected an invalid response, got {error:?}");
    };
    assert_eq!(details.json_path, ".");
    assert!(error.to_string().contains("GET /api/v1/users"), "{error}");
}

#[tokio::test]
async fn filters_are_sent_encoded() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let users_filtered = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("name", "Jane Doe")
                .query_param("dept", "R&D")
                .query_param("group", "Admins+Ops")
                .query_param("sortBy", "name")
                .query_param("sortOrder", "desc")
                .is_true(|request| {
                    // Each value is percent-encoded exactly once: space as %20, not +.
                    let uri = request.uri().to_string();
                    uri.contains("name=Jane%20Doe")
                        && uri.contains("dept=R%26D")
                        && uri.contains("group=Admins%2BOps")
                });
            then.status(200).json_body(json!([]));
        })
        .await;
    let departments = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/departments")
                .query_param("search", "Sales")
                .query_param("limitSearch", "true");
            then.status(200).json_body(json!([]));
        })
        .await;
    let groups = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/groups")
                .query_param("search", "Eng")
                .query_param("definedBy", "SCIM");
            then.status(200).json_body(json!([]));
        })
        .await;

    zia.users()
        .list()
        .name("Jane Doe")
        .department("R&D")
        .group("Admins+Ops")
        .sort_by("name")
        .sort_order(zscaler_zia::pagination::SortOrder::Desc)
        .collect()
        .await
        .expect("users");
    zia.departments()
        .list()
        .search("Sales")
        .limit_search(true)
        .collect()
        .await
        .expect("departments");
    zia.groups()
        .list()
        .search("Eng")
        .defined_by("SCIM")
        .collect()
        .await
        .expect("groups");

    assert_eq!(users_filtered.calls_async().await, 1);
    assert_eq!(departments.calls_async().await, 1);
    assert_eq!(groups.calls_async().await, 1);
}
