//! Listing: page envelopes, limits, search encoding and the microtenant parameter.

mod common;

use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use httpmock::{Method, MockServer};
use serde_json::{Value, json};
use zscaler_zpa::segment_groups::SegmentGroup;
use zscaler_zpa::{Error, SortOrder};

use common::{base, builder, client, groups, json_response, mock_signin, page};

fn groups_path() -> String {
    format!("{}/segmentGroup", base())
}

/// Mocks the segment group collection to return `body` for every GET and records the raw
/// query string of each request, exactly as it arrived.
async fn recording_list(server: &MockServer, body: Value) -> Arc<Mutex<Vec<String>>> {
    let queries = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&queries);
    server
        .mock_async(move |when, then| {
            when.method(Method::GET).path(groups_path());
            then.respond_with(move |request| {
                let query = request.uri().query().unwrap_or("").to_owned();
                seen.lock().expect("not poisoned").push(query);
                json_response(200, &body)
            });
        })
        .await;
    queries
}

async fn mock_page(server: &MockServer, number: u32, body: Value) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(groups_path())
                .query_param("page", number.to_string());
            then.status(200)
                .header("content-type", "application/json")
                .body(body.to_string());
        })
        .await
}

fn ids(items: &[SegmentGroup]) -> Vec<String> {
    items.iter().map(|group| group.id.clone()).collect()
}

#[tokio::test]
async fn total_pages_as_string() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let pages = [
        mock_page(&server, 1, page(3, groups(1, 2))).await,
        mock_page(&server, 2, page(3, groups(3, 2))).await,
        mock_page(&server, 3, page(3, groups(5, 1))).await,
    ];
    let beyond = mock_page(&server, 4, page(3, groups(9, 1))).await;
    let zpa = client(&server);

    let items = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect("lists");

    assert_eq!(ids(&items), ["1", "2", "3", "4", "5"]);
    for mock in &pages {
        assert_eq!(mock.calls_async().await, 1);
    }
    assert_eq!(beyond.calls_async().await, 0, "stopped after totalPages");
}

#[tokio::test]
async fn total_pages_as_number() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    mock_page(
        &server,
        1,
        json!({"totalPages": 2, "totalCount": 4, "list": groups(1, 2)}),
    )
    .await;
    mock_page(
        &server,
        2,
        json!({"totalPages": 2, "totalCount": 4, "list": groups(3, 2)}),
    )
    .await;
    let beyond = mock_page(&server, 3, page(2, groups(9, 1))).await;
    let zpa = client(&server);

    let items = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect("lists");

    assert_eq!(ids(&items), ["1", "2", "3", "4"]);
    assert_eq!(beyond.calls_async().await, 0);
}

#[tokio::test]
async fn empty_results() {
    for body in [
        json!({}),
        json!({"totalPages": "0"}),
        json!({"totalPages": "0", "totalCount": "0", "list": []}),
        json!({"totalPages": 1, "totalCount": 0}),
    ] {
        let server = MockServer::start_async().await;
        mock_signin(&server, "token", json!("3600")).await;
        let queries = recording_list(&server, body.clone()).await;
        let zpa = client(&server);

        let items = zpa
            .segment_groups()
            .list()
            .collect()
            .await
            .unwrap_or_else(|error| panic!("{body}: {error}"));

        assert!(items.is_empty(), "{body}");
        assert_eq!(queries.lock().unwrap().len(), 1, "{body}");
    }
}

#[tokio::test]
async fn missing_total_pages_stops_on_empty_page() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    mock_page(&server, 1, json!({"list": groups(1, 2)})).await;
    let second = mock_page(&server, 2, json!({"list": []})).await;
    let zpa = client(&server);

    let items = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect("lists");

    assert_eq!(ids(&items), ["1", "2"]);
    assert_eq!(second.calls_async().await, 1);
}

#[tokio::test]
async fn invalid_total_pages_is_reported() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    mock_page(
        &server,
        1,
        json!({"totalPages": "many", "list": groups(1, 1)}),
    )
    .await;
    let zpa = client(&server);

    let error = zpa
        .segment_groups()
        .list()
        .collect()
        .await
        .expect_err("totalPages is not a number");

    assert!(matches!(error, Error::InvalidResponse(_)), "{error:?}");
    assert!(error.to_string().contains("totalPages"), "{error}");
}

#[tokio::test]
async fn page_size_default_and_clamp() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let queries = recording_list(&server, page(1, groups(1, 1))).await;
    let zpa = client(&server);

    zpa.segment_groups()
        .list()
        .collect()
        .await
        .expect("default");
    zpa.segment_groups()
        .list()
        .page_size(1000)
        .collect()
        .await
        .expect("clamped");
    zpa.segment_groups()
        .list()
        .page_size(500)
        .collect()
        .await
        .expect("maximum");

    let queries = queries.lock().unwrap().clone();
    assert_eq!(
        queries,
        [
            "page=1&pagesize=20",
            "page=1&pagesize=500",
            "page=1&pagesize=500"
        ]
    );
}

#[tokio::test]
async fn max_pages_stops_early() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    mock_page(&server, 1, page(5, groups(1, 2))).await;
    mock_page(&server, 2, page(5, groups(3, 2))).await;
    let third = mock_page(&server, 3, page(5, groups(5, 2))).await;
    let zpa = client(&server);

    let items = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .max_pages(2)
        .collect()
        .await
        .expect("lists");

    assert_eq!(ids(&items), ["1", "2", "3", "4"]);
    assert_eq!(third.calls_async().await, 0);
}

#[tokio::test]
async fn max_items_truncates() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    mock_page(&server, 1, page(5, groups(1, 2))).await;
    mock_page(&server, 2, page(5, groups(3, 2))).await;
    let third = mock_page(&server, 3, page(5, groups(5, 2))).await;
    let zpa = client(&server);

    let items = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .max_items(3)
        .collect()
        .await
        .expect("lists");

    assert_eq!(ids(&items), ["1", "2", "3"]);
    assert_eq!(third.calls_async().await, 0);
}

#[tokio::test]
async fn pages_yields_whole_pages() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    mock_page(&server, 1, page(2, groups(1, 2))).await;
    mock_page(&server, 2, page(2, groups(3, 1))).await;
    let zpa = client(&server);

    let pages: Vec<Vec<SegmentGroup>> = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .expect("lists");

    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 1]);
}

#[tokio::test]
async fn repeated_page_is_an_error() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let queries = recording_list(&server, page(5, groups(1, 2))).await;
    let zpa = client(&server);

    let error = zpa
        .segment_groups()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect_err("the server repeats page 1");

    assert!(
        matches!(error, Error::RepeatedPage { page: 2, .. }),
        "{error:?}"
    );
    assert_eq!(queries.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn search_is_encoded_once() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let queries = recording_list(&server, page(1, groups(1, 1))).await;
    let zpa = client(&server);

    for search in ["name+EQ+a b", "crm", "description+CONTAINS+x+y", "50% off"] {
        zpa.segment_groups()
            .list()
            .search(search)
            .collect()
            .await
            .expect("lists");
    }

    let queries = queries.lock().unwrap().clone();
    assert_eq!(
        queries,
        [
            "search=name%2BEQ%2Ba%20b&page=1&pagesize=20",
            "search=name%2BEQ%2Bcrm&page=1&pagesize=20",
            "search=description%2BCONTAINS%2Bx%2By&page=1&pagesize=20",
            "search=name%2BEQ%2B50%25%20off&page=1&pagesize=20",
        ]
    );
}

#[tokio::test]
async fn sort_and_extra_query() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let queries = recording_list(&server, page(1, groups(1, 1))).await;
    let zpa = client(&server);

    zpa.segment_groups()
        .list()
        .sort_by("name")
        .sort_order(SortOrder::Descending)
        .query("expandAll", "true")
        .collect()
        .await
        .expect("lists");

    let queries = queries.lock().unwrap().clone();
    assert_eq!(
        queries,
        ["sortBy=name&sortDir=DESC&expandAll=true&page=1&pagesize=20"]
    );
}

#[tokio::test]
async fn get_by_name_needs_exact_match() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let body = page(
        1,
        vec![
            json!({"id": "1", "name": "a b c"}),
            json!({"id": "2", "name": "A B"}),
            json!({"id": "3", "name": "a b"}),
        ],
    );
    let queries = recording_list(&server, body).await;
    let zpa = client(&server);

    let found = zpa
        .segment_groups()
        .get_by_name("a b")
        .await
        .expect("searches");
    assert_eq!(found.map(|group| group.id).as_deref(), Some("3"));

    let missing = zpa
        .segment_groups()
        .get_by_name("a")
        .await
        .expect("searches");
    assert!(missing.is_none());

    // A name that looks like an expression is still searched as a name.
    zpa.segment_groups()
        .get_by_name("x+EQ+y")
        .await
        .expect("searches");

    let queries = queries.lock().unwrap().clone();
    assert_eq!(
        queries,
        [
            "search=name%2BEQ%2Ba%20b&page=1&pagesize=20",
            "search=name%2BEQ%2Ba&page=1&pagesize=20",
            "search=name%2BEQ%2Bx%2BEQ%2By&page=1&pagesize=20",
        ]
    );
}

#[tokio::test]
async fn microtenant_on_every_call() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let item = format!("{}/1", groups_path());
    let list = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(groups_path())
                .query_param("microtenantId", "mt-1");
            then.status(200).body(page(1, groups(1, 1)).to_string());
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path(item.as_str())
                .query_param("microtenantId", "mt-1");
            then.status(200).body(r#"{"id":"1","name":"one"}"#);
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path(groups_path())
                .query_param("microtenantId", "mt-1");
            then.status(201).body(r#"{"id":"2","name":"two"}"#);
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(Method::PUT)
                .path(item.as_str())
                .query_param("microtenantId", "mt-1");
            then.status(204);
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(Method::DELETE)
                .path(item.as_str())
                .query_param("microtenantId", "mt-1");
            then.status(204);
        })
        .await;
    let zpa = builder(&server)
        .microtenant_id("mt-1")
        .build()
        .expect("valid settings");
    let api = zpa.segment_groups();

    api.list().collect().await.expect("list");
    api.get("1").await.expect("get");
    api.create(&SegmentGroup::new("two")).await.expect("create");
    api.update("1", &SegmentGroup::new("one"))
        .await
        .expect("update");
    api.delete("1").await.expect("delete");

    for (name, mock) in [
        ("list", &list),
        ("get", &get),
        ("create", &create),
        ("update", &update),
        ("delete", &delete),
    ] {
        assert_eq!(mock.calls_async().await, 1, "{name}");
    }
}

#[tokio::test]
async fn microtenant_override_replaces_default() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let queries = recording_list(&server, page(1, groups(1, 1))).await;
    let zpa = builder(&server)
        .microtenant_id("mt-1")
        .build()
        .expect("valid settings");

    zpa.segment_groups()
        .list()
        .microtenant_id("mt-2")
        .collect()
        .await
        .expect("per-list microtenant");
    zpa.segment_groups()
        .microtenant_id("mt-3")
        .list()
        .collect()
        .await
        .expect("per-handle microtenant");
    client(&server)
        .segment_groups()
        .list()
        .collect()
        .await
        .expect("no microtenant");

    let queries = queries.lock().unwrap().clone();
    assert_eq!(
        queries,
        [
            "microtenantId=mt-2&page=1&pagesize=20",
            "microtenantId=mt-3&page=1&pagesize=20",
            "page=1&pagesize=20",
        ]
    );
}
