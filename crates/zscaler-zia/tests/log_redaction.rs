//! Verbose logs of a whole session never show a secret.
//!
//! This test has a binary of its own because `tracing` caches per call site whether any
//! subscriber is interested. Tests running on other threads without a subscriber can make the
//! call sites of this test look uninteresting, and then its events would be lost.

#[allow(dead_code)] // This binary uses only part of the shared helpers.
#[path = "zia/support.rs"]
mod support;

use std::io;
use std::sync::{Arc, Mutex};

use httpmock::MockServer;
use httpmock::prelude::*;
use serde_json::json;
use zscaler_core::logging::{LogLevel, subscriber};

use support::{API_KEY, PASSWORD, SESSION_PREFIX, USERNAME, client, mock_login, mock_logout};

#[tokio::test]
async fn verbose_logs_hide_every_secret() {
    let capture = LogCapture::default();
    let _guard = capture.install();

    let server = MockServer::start_async().await;
    mock_login(&server).await;
    mock_logout(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users")
                .query_param("page", "1");
            then.status(200)
                .json_body(json!([{"id": 42, "name": "Jane", "email": "jane@example.com"}]));
        })
        .await;
    server
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
                .header(
                    "set-cookie",
                    format!("JSESSIONID={SESSION_PREFIX}-1; Path=/"),
                )
                .json_body(json!({"id": 42, "name": "Jane Roe"}));
        })
        .await;
    let zia = client(&server);

    let mut user = zia.users().list().collect().await.expect("list").remove(0);
    user.name = Some("Jane Roe".into());
    user.password = Some("N3w-user-password-secret".into());
    zia.users().update(42, &user).await.expect("update");
    zia.close().await.expect("logout");
    assert_eq!(update.calls_async().await, 1);

    let logs = capture.text();
    assert!(
        logs.contains("/api/v1/users"),
        "the path is logged:\n{logs}"
    );
    assert!(
        logs.contains("/api/v1/authenticatedSession"),
        "the login is logged:\n{logs}"
    );
    assert!(
        logs.contains("ZIA session started"),
        "the login result is logged:\n{logs}"
    );
    assert!(
        logs.contains(USERNAME),
        "the user name is not a secret:\n{logs}"
    );
    assert!(
        logs.contains("request body"),
        "bodies are logged at trace:\n{logs}"
    );

    let obfuscated_keys: Vec<String> = logs
        .lines()
        .filter_map(|line| line.split("\"timestamp\":\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .filter_map(|timestamp| zscaler_zia::auth::obfuscate_api_key(API_KEY, timestamp))
        .collect();
    assert!(
        !obfuscated_keys.is_empty(),
        "the login body is logged:\n{logs}"
    );
    for secret in [
        PASSWORD,
        API_KEY,
        "N3w-user-password-secret",
        SESSION_PREFIX,
    ]
    .into_iter()
    .chain(obfuscated_keys.iter().map(String::as_str))
    {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into the logs:\n{logs}"
        );
    }
}

/// A buffer that collects everything the SDK logs while it is installed.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

struct CaptureWriter(Arc<Mutex<Vec<u8>>>);

impl io::Write for CaptureWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .expect("log buffer lock")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl LogCapture {
    /// Installs the SDK's verbose subscriber on this thread until the guard is dropped.
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let buffer = Arc::clone(&self.0);
        let writer = move || CaptureWriter(Arc::clone(&buffer));
        tracing::subscriber::set_default(subscriber(LogLevel::Verbose, writer))
    }

    /// Returns everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer lock")).into_owned()
    }
}
