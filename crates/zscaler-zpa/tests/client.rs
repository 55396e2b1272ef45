//! Building the client from settings and the environment, its Debug output, and the cache.

mod common;

use httpmock::{Method, MockServer};
use serde_json::json;
use zscaler_zpa::segment_groups::SegmentGroup;
use zscaler_zpa::{CacheSettings, Cloud, Env, Error, ZpaClient};

use common::{CLIENT_SECRET, CUSTOMER_ID, base, builder, mock_signin, page};

fn config_problems(result: zscaler_zpa::Result<ZpaClient>) -> Vec<String> {
    match result {
        Err(Error::Config(error)) => error.problems().to_vec(),
        Err(other) => panic!("expected a configuration error, got {other:?}"),
        Ok(client) => panic!("expected a configuration error, got {client:?}"),
    }
}

fn complete_env(extra: &[(&str, &str)]) -> Env {
    let mut pairs = vec![
        ("ZPA_CLIENT_ID", "client-id"),
        ("ZPA_CLIENT_SECRET", CLIENT_SECRET),
        ("ZPA_CUSTOMER_ID", CUSTOMER_ID),
    ];
    pairs.extend_from_slice(extra);
    Env::from_pairs(pairs)
}

#[test]
fn from_env_lists_every_missing_variable() {
    let problems = config_problems(ZpaClient::from_env_with(&Env::default()));

    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(
        problems[0],
        "missing ZPA client id: call `ZpaClientBuilder::client_id` or set ZPA_CLIENT_ID"
    );
    assert_eq!(
        problems[1],
        "missing ZPA client secret: call `ZpaClientBuilder::client_secret` or set \
         ZPA_CLIENT_SECRET"
    );
    assert_eq!(
        problems[2],
        "missing ZPA customer id: call `ZpaClientBuilder::customer_id` or set ZPA_CUSTOMER_ID"
    );
}

#[test]
fn from_env_defaults_to_production() {
    let zpa = ZpaClient::from_env_with(&complete_env(&[])).expect("complete settings");

    assert_eq!(zpa.cloud(), Some(Cloud::Production));
    assert_eq!(zpa.base_url(), "https://config.private.zscaler.com");
    assert_eq!(zpa.customer_id(), CUSTOMER_ID);
    assert_eq!(zpa.microtenant_id(), None);
}

#[test]
fn from_env_reads_cloud_and_microtenant() {
    let env = complete_env(&[("ZPA_CLOUD", "zpaTwo"), ("ZPA_MICROTENANT_ID", "mt-9")]);
    let zpa = ZpaClient::from_env_with(&env).expect("complete settings");

    assert_eq!(zpa.cloud(), Some(Cloud::ZpaTwo));
    assert_eq!(zpa.base_url(), "https://config.zpatwo.net");
    assert_eq!(zpa.microtenant_id(), Some("mt-9"));
}

#[test]
fn invalid_cloud_lists_valid_names() {
    let problems = config_problems(ZpaClient::from_env_with(&complete_env(&[(
        "ZPA_CLOUD",
        "zscalerthree",
    )])));

    assert_eq!(problems.len(), 1, "{problems:?}");
    let problem = &problems[0];
    assert!(problem.contains("\"zscalerthree\""), "{problem}");
    assert!(problem.contains("ZPA_CLOUD"), "{problem}");
    for cloud in Cloud::ALL {
        assert!(problem.contains(cloud.name()), "{problem} lacks {cloud}");
    }
}

#[test]
fn plain_http_to_remote_host_rejected() {
    let problems = config_problems(ZpaClient::from_env_with(&complete_env(&[(
        "ZPA_BASE_URL",
        "http://config.private.zscaler.com",
    )])));

    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("plain http"), "{}", problems[0]);
    assert!(problems[0].contains("ZPA_BASE_URL"), "{}", problems[0]);
}

#[test]
fn base_url_override_replaces_cloud_host() {
    let env = complete_env(&[
        ("ZPA_BASE_URL", "http://127.0.0.1:9/"),
        ("ZPA_CLOUD", "BETA"),
    ]);
    let zpa = ZpaClient::from_env_with(&env).expect("loopback http is allowed");

    assert_eq!(zpa.base_url(), "http://127.0.0.1:9");
    assert_eq!(zpa.cloud(), Some(Cloud::Beta));
}

#[test]
fn all_problems_reported_together() {
    let env = Env::from_pairs([
        ("ZPA_CUSTOMER_ID", "acme"),
        ("ZPA_CLOUD", "mars"),
        ("ZPA_BASE_URL", "http://10.1.2.3"),
        ("ZSCALER_MAX_RETRIES", "many"),
        ("ZSCALER_CLIENT_CACHE_ENABLED", "perhaps"),
    ]);
    let problems = config_problems(ZpaClient::from_env_with(&env));
    let text = problems.join("\n");

    for expected in [
        "ZPA_CLIENT_ID",
        "ZPA_CLIENT_SECRET",
        "invalid ZPA customer id \"acme\"",
        "unknown ZPA cloud \"mars\"",
        "plain http",
        "ZSCALER_MAX_RETRIES",
        "ZSCALER_CLIENT_CACHE_ENABLED",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(problems.len(), 7, "{text}");
}

#[test]
fn builder_rejects_non_numeric_customer_id() {
    let problems = config_problems(
        ZpaClient::builder()
            .client_id("id")
            .client_secret("secret")
            .customer_id("2161-9625")
            .build(),
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("`ZpaClientBuilder::customer_id`"),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("ZPA_CUSTOMER_ID"), "{}", problems[0]);
}

#[test]
fn builder_parses_cloud_name() {
    let zpa = ZpaClient::builder()
        .client_id("id")
        .client_secret("secret")
        .customer_id(CUSTOMER_ID)
        .cloud_name("govus")
        .build()
        .expect("valid settings");
    assert_eq!(zpa.cloud(), Some(Cloud::GovUs));
    assert_eq!(zpa.base_url(), "https://config.zpagov.us");
}

#[test]
fn debug_shows_no_secret() {
    let builder = ZpaClient::builder()
        .client_id("id")
        .client_secret(CLIENT_SECRET)
        .customer_id(CUSTOMER_ID);
    let builder_text = format!("{builder:?}");
    assert!(!builder_text.contains(CLIENT_SECRET), "{builder_text}");

    let zpa = builder.build().expect("valid settings");
    let text = format!("{zpa:?}");
    assert!(!text.contains(CLIENT_SECRET), "{text}");
    assert!(text.contains(CUSTOMER_ID), "{text}");
}

#[test]
fn client_is_clone_send_sync() {
    fn check<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    check::<ZpaClient>();
}

#[tokio::test]
async fn cache_is_invalidated_by_writes() {
    let server = MockServer::start_async().await;
    mock_signin(&server, "token", json!("3600")).await;
    let item = format!("{}/segmentGroup/1", base());
    let collection = format!("{}/segmentGroup", base());
    let get = server
        .mock_async(|when, then| {
            when.method(Method::GET).path(item.as_str());
            then.status(200).body(r#"{"id":"1","name":"one"}"#);
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(Method::GET).path(collection.as_str());
            then.status(200)
                .body(page(1, vec![json!({"id": "1", "name": "one"})]).to_string());
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(Method::PUT).path(item.as_str());
            then.status(204);
        })
        .await;
    let zpa = builder(&server)
        .cache(CacheSettings::enabled())
        .build()
        .expect("valid settings");
    let groups = zpa.segment_groups();

    groups.get("1").await.expect("first read");
    groups.get("1").await.expect("cached read");
    groups.list().collect().await.expect("first list");
    groups.list().collect().await.expect("cached list");
    assert_eq!(get.calls_async().await, 1);
    assert_eq!(list.calls_async().await, 1);
    assert_eq!(zpa.stats().cache_hits, 2);

    groups
        .update("1", &SegmentGroup::new("renamed"))
        .await
        .expect("update");
    groups.get("1").await.expect("read after write");
    groups.list().collect().await.expect("list after write");

    assert_eq!(update.calls_async().await, 1);
    assert_eq!(get.calls_async().await, 2, "item evicted by the write");
    assert_eq!(
        list.calls_async().await,
        2,
        "collection evicted by the write"
    );
}
