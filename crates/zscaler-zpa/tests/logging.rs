//! Verbose logs of a sign-in, a listing and an update never show the secret or the token.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::{Method, MockServer};
use serde_json::json;
use zscaler_core::logging::{LogLevel, subscriber};
use zscaler_zpa::segment_groups::SegmentGroup;

use common::{CLIENT_SECRET, base, client, jwt, mock_signin, page};

/// A log writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

#[tokio::test]
async fn verbose_logs_hide_secret_and_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let _guard =
        tracing::subscriber::set_default(subscriber(LogLevel::Verbose, move || writer.clone()));

    let server = MockServer::start_async().await;
    let token = jwt(3600, "log-test");
    mock_signin(&server, &token, json!("3600")).await;
    let collection = format!("{}/segmentGroup", base());
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path(collection.as_str());
            then.status(200)
                .header("content-type", "application/json")
                .body(page(1, vec![json!({"id": "1", "name": "one"})]).to_string());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(Method::PUT).path(format!("{collection}/1"));
            then.status(204);
        })
        .await;
    let zpa = client(&server);

    let groups = zpa.segment_groups().list().collect().await.expect("list");
    zpa.segment_groups()
        .update("1", &SegmentGroup::new("renamed"))
        .await
        .expect("update");
    assert_eq!(groups.len(), 1);

    let logs = captured.text();
    assert!(
        logs.contains("signed in to ZPA"),
        "no sign-in event:\n{logs}"
    );
    assert!(logs.contains("/signin"), "no sign-in request:\n{logs}");
    assert!(
        logs.contains("renamed"),
        "no request body at verbose level:\n{logs}"
    );
    assert!(logs.contains("[redacted]"), "nothing was masked:\n{logs}");
    assert!(
        !logs.contains(CLIENT_SECRET),
        "client secret leaked:\n{logs}"
    );
    assert!(!logs.contains(&token), "access token leaked:\n{logs}");
    let signature_free = token.rsplit_once('.').expect("a JWT").0;
    assert!(
        !logs.contains(signature_free),
        "token payload leaked:\n{logs}"
    );
}
