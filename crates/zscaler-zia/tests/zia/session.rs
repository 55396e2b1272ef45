//! Login, re-login, renewal and logout against a mock ZIA.

use std::time::Duration;

use httpmock::MockServer;
use httpmock::prelude::*;
use serde_json::json;
use zscaler_core::Error;

use crate::support::{
    SESSION_PATH, builder, client, mock_login, mock_logout, session_cookie, users,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_log_in_once() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path(SESSION_PATH);
            then.status(200)
                .header("set-cookie", format!("{}; Path=/", session_cookie(1)))
                .json_body(json!({"authType": "ADMIN_LOGIN"}))
                .delay(Duration::from_millis(50));
        })
        .await;
    let status = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/status")
                .header("cookie", session_cookie(1));
            then.status(200).json_body(json!({"status": "ACTIVE"}));
        })
        .await;
    let zia = client(&server);

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let zia = zia.clone();
            tokio::spawn(async move { zia.activation().status().await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task ran").expect("status read");
    }

    assert_eq!(login.calls_async().await, 1);
    assert_eq!(status.calls_async().await, 20);
}

#[tokio::test]
async fn expired_session_mid_listing_logs_in_again() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server).await;
    let first_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "1")
                .header("cookie", session_cookie(1));
            then.status(200).json_body(users(1, 2));
        })
        .await;
    let expired = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "2")
                .header("cookie", session_cookie(1));
            then.status(401)
                .json_body(json!({"code": "SESSION_NOT_VALID", "message": "Session is not valid"}));
        })
        .await;
    let second_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "2")
                .header("cookie", session_cookie(2));
            then.status(200).json_body(users(3, 2));
        })
        .await;
    let end = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "3")
                .header("cookie", session_cookie(2));
            then.status(200).json_body(json!([]));
        })
        .await;
    let zia = client(&server);

    let listed = zia
        .users()
        .list()
        .page_size(2)
        .collect()
        .await
        .expect("listing");

    let ids: Vec<i64> = listed.iter().map(|user| user.id).collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    assert_eq!(login.calls_async().await, 2);
    assert_eq!(first_page.calls_async().await, 1);
    assert_eq!(expired.calls_async().await, 1);
    assert_eq!(second_page.calls_async().await, 1);
    assert_eq!(end.calls_async().await, 1);
    assert_eq!(zia.stats().renewals, 1);
}

#[tokio::test]
async fn bad_credentials_fail_once() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path(SESSION_PATH);
            then.status(401).json_body(json!({
                "code": "AUTHENTICATION_FAILED",
                "message": "Invalid username, password or API key"
            }));
        })
        .await;
    let resource = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/1");
            then.status(200).json_body(json!({"id": 1}));
        })
        .await;
    let zia = client(&server);

    let error = zia.users().get(1).await.expect_err("login must fail");

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("AUTHENTICATION_FAILED"), "{text}");
    assert!(
        text.contains("check the username, password and API key"),
        "{text}"
    );
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(resource.calls_async().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_rejected_login() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path(SESSION_PATH);
            then.status(401)
                .json_body(json!({"code": "AUTHENTICATION_FAILED"}))
                .delay(Duration::from_millis(50));
        })
        .await;
    let zia = client(&server);

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let zia = zia.clone();
            tokio::spawn(async move { zia.users().get(1).await })
        })
        .collect();
    for task in tasks {
        let error = task.await.expect("task ran").expect_err("login fails");
        assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    }
    assert_eq!(login.calls_async().await, 1);

    zia.users()
        .get(1)
        .await
        .expect_err("a later call tries again");
    assert_eq!(login.calls_async().await, 2);
}

#[tokio::test]
async fn bad_credentials_with_400_are_authentication_errors() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path(SESSION_PATH);
            then.status(400)
                .json_body(json!({"code": "AUTHENTICATION_FAILED", "message": "Login failed"}));
        })
        .await;
    let zia = client(&server);

    let error = zia
        .activation()
        .status()
        .await
        .expect_err("login must fail");

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    assert_eq!(error.status(), Some(400));
    assert_eq!(login.calls_async().await, 1);
}

#[tokio::test]
async fn migrated_tenant_asks_for_oneapi() {
    for status in [401, 403, 200] {
        let server = MockServer::start_async().await;
        let login = server
            .mock_async(|when, then| {
                when.method(POST).path(SESSION_PATH);
                then.status(status)
                    .header("content-type", "text/plain")
                    .body(
                        "Legacy API access is disabled. Access is allowed only through Zscaler \
                         OneAPI.",
                    );
            })
            .await;
        let zia = client(&server);

        let error = zia.users().get(1).await.expect_err("login must fail");

        assert!(
            matches!(error, Error::Authentication(_)),
            "{status}: {error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains("migrated to Zscaler OneAPI"),
            "{status}: {text}"
        );
        assert!(
            text.contains("switch to OneAPI credentials"),
            "{status}: {text}"
        );
        assert_eq!(login.calls_async().await, 1, "{status}");
    }
}

#[tokio::test]
async fn login_without_session_cookie_is_an_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(SESSION_PATH);
            then.status(200)
                .json_body(json!({"authType": "ADMIN_LOGIN"}));
        })
        .await;
    let zia = client(&server);

    let error = zia.users().get(1).await.expect_err("no session");

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    assert!(
        error.to_string().contains("no JSESSIONID cookie"),
        "{error}"
    );
}

#[tokio::test]
async fn idle_session_is_renewed_before_use() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server).await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users/1")
                .header("cookie", session_cookie(1));
            then.status(200).json_body(json!({"id": 1}));
        })
        .await;
    let renewed = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users/1")
                .header("cookie", session_cookie(2));
            then.status(200).json_body(json!({"id": 1}));
        })
        .await;
    let zia = builder(&server)
        .session_idle_timeout(Duration::from_millis(300))
        .build()
        .expect("valid settings");

    zia.users().get(1).await.expect("first call");
    zia.users()
        .get(1)
        .await
        .expect("call while the session is fresh");
    assert_eq!(login.calls_async().await, 1);

    tokio::time::sleep(Duration::from_millis(320)).await;
    zia.users()
        .get(1)
        .await
        .expect("call after the idle timeout");

    assert_eq!(login.calls_async().await, 2);
    assert_eq!(first.calls_async().await, 2);
    assert_eq!(renewed.calls_async().await, 1);
    assert_eq!(
        zia.stats().renewals,
        0,
        "renewed before use, not after a 401"
    );
}

#[tokio::test]
async fn close_logs_out_once() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server).await;
    let logout = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(SESSION_PATH)
                .header("cookie", session_cookie(1));
            then.status(204);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/status");
            then.status(200).json_body(json!({"status": "PENDING"}));
        })
        .await;
    let zia = client(&server);

    zia.close()
        .await
        .expect("close without a session sends nothing");
    assert_eq!(logout.calls_async().await, 0);

    zia.activation().status().await.expect("status");
    zia.close().await.expect("logout");
    zia.close().await.expect("second close sends nothing");
    assert_eq!(logout.calls_async().await, 1);

    zia.activation().status().await.expect("status after close");
    assert_eq!(login.calls_async().await, 2);
}

#[tokio::test]
async fn close_accepts_a_session_the_server_dropped() {
    let server = MockServer::start_async().await;
    mock_login(&server).await;
    let logout = server
        .mock_async(|when, then| {
            when.method(DELETE).path(SESSION_PATH);
            then.status(401)
                .json_body(json!({"code": "SESSION_NOT_VALID"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/status");
            then.status(200).json_body(json!({"status": "ACTIVE"}));
        })
        .await;
    let zia = client(&server);

    zia.activation().status().await.expect("status");
    zia.close()
        .await
        .expect("an expired session counts as closed");

    assert_eq!(logout.calls_async().await, 1);
}

#[tokio::test]
async fn close_ends_session_shared_by_clones() {
    let server = MockServer::start_async().await;
    mock_login(&server).await;
    let logout = mock_logout(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/users/9");
            then.status(200).json_body(json!({"id": 9}));
        })
        .await;
    let zia = client(&server);

    let clone = zia.clone();
    clone.users().get(9).await.expect("get");
    zia.close().await.expect("a clone's session is closed too");

    assert_eq!(logout.calls_async().await, 1);
}
