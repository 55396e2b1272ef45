//! Create, update, delete and bulk delete, and the response forms ZIA uses for writes.

use std::sync::{Arc, Mutex};

use httpmock::MockServer;
use httpmock::prelude::*;
use serde_json::{Value, json};
use zscaler_core::Secret;
use zscaler_zia::{ActivationStatus, Reference, User, ZiaClient};

use crate::support::{client, mock_login};

async fn setup(server: &MockServer) -> ZiaClient {
    mock_login(server).await;
    client(server)
}

#[tokio::test]
async fn create_sends_new_user_without_id() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v1/users").json_body(json!({
                "name": "Jane Doe",
                "email": "jane@example.com",
                "groups": [{"id": 9}],
                "department": {"id": 7, "name": "Sales"},
                "password": "a long passphrase"
            }));
            then.status(200).json_body(json!({
                "id": 1001,
                "name": "Jane Doe",
                "email": "jane@example.com",
                "groups": [{"id": 9, "name": "Staff"}],
                "department": {"id": 7, "name": "Sales"},
                "adminUser": false
            }));
        })
        .await;
    let user = User::new(
        "Jane Doe",
        "jane@example.com",
        Reference::with_name(7, "Sales"),
        vec![Reference::new(9)],
    )
    .with_password("a long passphrase");

    let created = zia.users().create(&user).await.expect("created");

    assert_eq!(create.calls_async().await, 1);
    assert_eq!(created.id, 1001);
    assert_eq!(created.password, None);
    assert_eq!(created.admin_user, Some(false));
}

#[tokio::test]
async fn update_keeps_unknown_fields() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let stored = json!({
        "id": 42,
        "name": "Jane",
        "email": "jane@example.com",
        "department": {"id": 7, "name": "Sales", "idp_id": 3},
        "someFutureSetting": {"enabled": true, "level": 3}
    });
    let mut expected = stored.clone();
    expected["comments"] = json!("moved");
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/42");
            then.status(200).json_body(stored);
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/api/v1/users/42")
                .json_body(expected.clone());
            then.status(200).json_body(expected);
        })
        .await;

    let mut user = zia.users().get(42).await.expect("read");
    user.comments = Some("moved".into());
    let updated = zia.users().update(42, &user).await.expect("update");

    assert_eq!(update.calls_async().await, 1);
    assert_eq!(updated, user);
}

#[tokio::test]
async fn update_without_json_body_reads_back() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let update = server
        .mock_async(|when, then| {
            when.method(PUT).path("/api/v1/departments/5");
            then.status(204);
        })
        .await;
    let read = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/departments/5");
            then.status(200)
                .json_body(json!({"id": 5, "name": "Stored name"}));
        })
        .await;

    let department = zia
        .departments()
        .update(5, &zscaler_zia::Department::new("Sent name"))
        .await
        .expect("updated");

    assert_eq!(department.name.as_deref(), Some("Stored name"));
    assert_eq!(update.calls_async().await, 1);
    assert_eq!(read.calls_async().await, 1);
}

#[tokio::test]
async fn delete_accepts_204_and_plain_text() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let no_content = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/api/v1/users/1");
            then.status(204);
        })
        .await;
    let plain_text = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/api/v1/users/2");
            then.status(200)
                .header("content-type", "text/plain")
                .body("SUCCESS");
        })
        .await;

    zia.users().delete(1).await.expect("204");
    zia.users().delete(2).await.expect("plain text");

    assert_eq!(no_content.calls_async().await, 1);
    assert_eq!(plain_text.calls_async().await, 1);
}

#[tokio::test]
async fn bulk_delete_sends_chunks_of_500() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let bodies: Arc<Mutex<Vec<Vec<i64>>>> = Arc::default();
    let seen = Arc::clone(&bodies);
    let bulk = server
        .mock_async(move |when, then| {
            when.method(POST).path("/api/v1/users/bulkDelete");
            then.respond_with(move |request| {
                let body: Value = serde_json::from_slice(request.body_ref()).expect("JSON body");
                let ids: Vec<i64> =
                    serde_json::from_value(body["ids"].clone()).expect("an ids array");
                let mut seen = seen.lock().expect("lock");
                seen.push(ids.clone());
                let response = HttpMockResponse::builder();
                match seen.len() {
                    // The first chunk reports all but its first id deleted.
                    1 => response
                        .status(200)
                        .header("content-type", "application/json")
                        .body(json!({"ids": ids[1..]}).to_string()),
                    2 => response.status(204),
                    _ => response.status(200).body("SUCCESS"),
                }
                .build()
            });
        })
        .await;
    let ids: Vec<i64> = (1..=1201).collect();

    let deleted = zia.users().bulk_delete(&ids).await.expect("bulk delete");

    assert_eq!(bulk.calls_async().await, 3);
    let sizes: Vec<usize> = bodies.lock().expect("lock").iter().map(Vec::len).collect();
    assert_eq!(sizes, [500, 500, 201]);
    assert_eq!(deleted.len(), 1200);
    assert_eq!(deleted[0], 2, "the server did not report id 1");
    assert_eq!(deleted.last(), Some(&1201));
}

#[tokio::test]
async fn bulk_delete_of_nothing_sends_nothing() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let bulk = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v1/users/bulkDelete");
            then.status(204);
        })
        .await;

    let deleted = zia.users().bulk_delete(&[]).await.expect("nothing");
    assert!(deleted.is_empty(), "{deleted:?}");
    assert_eq!(bulk.calls_async().await, 0);
}

#[tokio::test]
async fn activate_without_body_reads_status() {
    let server = MockServer::start_async().await;
    let zia = setup(&server).await;
    let activate = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v1/status/activate")
                .json_body(json!({}));
            then.status(204);
        })
        .await;
    let status = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/status");
            then.status(200).json_body(json!({"status": "INPROGRESS"}));
        })
        .await;

    let reported = zia.activation().activate().await.expect("activated");

    assert_eq!(reported, ActivationStatus::InProgress);
    assert_eq!(activate.calls_async().await, 1);
    assert_eq!(status.calls_async().await, 1);
}

#[test]
fn user_password_is_a_secret() {
    let user = User {
        password: Some(Secret::new("n0t-in-debug")),
        ..User::default()
    };
    assert!(!format!("{user:?}").contains("n0t-in-debug"));
}
