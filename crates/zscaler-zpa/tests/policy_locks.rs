//! Policy writes through `zpa.policies()` are serialised per policy set, while writes to
//! another policy set and reads run in parallel. A scripted server on 127.0.0.1 delays each
//! rule call and counts the calls in flight per policy set.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use futures::future::join_all;
use serde_json::{Value, json};
use zscaler_zpa::generated::PolicyRuleV2;
use zscaler_zpa::{RateLimitSettings, RetryPolicy, ZpaClient};

const DELAY: Duration = Duration::from_millis(30);

/// Calls in flight and the maximum seen, per policy set id and method.
#[derive(Default)]
struct Counters {
    in_flight: HashMap<String, usize>,
    max: HashMap<String, usize>,
    set_lookups: usize,
}

type Shared = Arc<Mutex<Counters>>;

/// Counts one call under `"{method} {set_id}"` and under `method` while it sleeps for
/// [`DELAY`].
async fn delayed(counters: &Shared, method: &str, set_id: &str) {
    let keys = [format!("{method} {set_id}"), method.to_owned()];
    {
        let mut counters = counters.lock().unwrap();
        for key in &keys {
            let now = {
                let in_flight = counters.in_flight.entry(key.clone()).or_default();
                *in_flight += 1;
                *in_flight
            };
            let max = counters.max.entry(key.clone()).or_default();
            *max = (*max).max(now);
        }
    }
    tokio::time::sleep(DELAY).await;
    let mut counters = counters.lock().unwrap();
    for key in &keys {
        *counters.in_flight.get_mut(key).unwrap() -= 1;
    }
}

async fn signin() -> Json<Value> {
    Json(json!({
        "token_type": "Bearer",
        "access_token": common::jwt(3600, "policy-locks"),
        "expires_in": "3600",
    }))
}

async fn policy_set(
    State(counters): State<Shared>,
    Path((_, policy_type)): Path<(String, String)>,
) -> Json<Value> {
    counters.lock().unwrap().set_lookups += 1;
    tokio::time::sleep(DELAY).await;
    let id = match policy_type.as_str() {
        "ACCESS_POLICY" => "1001",
        _ => "1002",
    };
    Json(json!({"id": id, "policyType": "1", "name": policy_type}))
}

async fn create(
    State(counters): State<Shared>,
    Path((_, set_id)): Path<(String, String)>,
    Json(mut rule): Json<Value>,
) -> Json<Value> {
    delayed(&counters, "POST", &set_id).await;
    rule["id"] = json!("7");
    rule["policySetId"] = json!(set_id);
    Json(rule)
}

async fn read(
    State(counters): State<Shared>,
    Path((_, set_id, rule_id)): Path<(String, String, String)>,
) -> Json<Value> {
    delayed(&counters, "GET", &set_id).await;
    Json(json!({"id": rule_id, "policySetId": set_id, "name": "read"}))
}

/// Starts the scripted server and returns a client of it with its counters.
async fn start() -> (ZpaClient, Shared) {
    let counters = Shared::default();
    let app = Router::new()
        .route("/signin", post(signin))
        .route(
            "/mgmtconfig/v1/admin/customers/{customer}/policySet/policyType/{policy_type}",
            get(policy_set),
        )
        .route(
            "/mgmtconfig/v2/admin/customers/{customer}/policySet/{set}/rule",
            post(create),
        )
        .route(
            "/mgmtconfig/v1/admin/customers/{customer}/policySet/{set}/rule/{rule}",
            get(read),
        )
        .with_state(counters.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let zpa = ZpaClient::builder()
        .client_id(common::CLIENT_ID)
        .client_secret(common::CLIENT_SECRET)
        .customer_id(common::CUSTOMER_ID)
        .base_url(format!("http://{address}"))
        .rate_limit(RateLimitSettings::disabled())
        .retry(RetryPolicy::default().with_deadline(Duration::from_secs(20)))
        .build()
        .unwrap();
    (zpa, counters)
}

fn rule(name: String) -> PolicyRuleV2 {
    PolicyRuleV2 {
        name: Some(name),
        ..PolicyRuleV2::default()
    }
}

fn max(counters: &Shared, key: &str) -> usize {
    counters
        .lock()
        .unwrap()
        .max
        .get(key)
        .copied()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn creates_on_one_set_never_overlap() {
    let (zpa, counters) = start().await;

    let started = Instant::now();
    let creates = (0..10).map(|i| {
        let policies = zpa.clone().policies();
        async move { policies.create_rule(&rule(format!("rule-{i}"))).await }
    });
    let results = join_all(creates).await;
    let elapsed = started.elapsed();

    for result in results {
        assert_eq!(result.unwrap().policy_set_id.as_deref(), Some("1001"));
    }
    assert_eq!(max(&counters, "POST 1001"), 1);
    assert!(elapsed >= DELAY * 10, "10 creates took only {elapsed:?}");
    assert_eq!(counters.lock().unwrap().set_lookups, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sets_proceed_in_parallel() {
    let (zpa, counters) = start().await;
    let access = zpa.policies();
    let timeout = zpa.policies().policy_type("TIMEOUT_POLICY");
    // Look both sets up first, so the creates below start together.
    assert_eq!(access.policy_set_id().await.unwrap(), "1001");
    assert_eq!(timeout.policy_set_id().await.unwrap(), "1002");

    let started = Instant::now();
    let creates = (0..5).flat_map(|i| {
        let access = access.clone();
        let timeout = timeout.clone();
        [
            tokio::spawn(async move { access.create_rule(&rule(format!("a-{i}"))).await }),
            tokio::spawn(async move { timeout.create_rule(&rule(format!("t-{i}"))).await }),
        ]
    });
    for result in join_all(creates).await {
        result.unwrap().unwrap();
    }
    let elapsed = started.elapsed();

    assert_eq!(max(&counters, "POST 1001"), 1);
    assert_eq!(max(&counters, "POST 1002"), 1);
    assert_eq!(
        max(&counters, "POST"),
        2,
        "the two sets did not run in parallel"
    );
    assert!(
        elapsed >= DELAY * 5,
        "5 creates per set took only {elapsed:?}"
    );
    assert_eq!(counters.lock().unwrap().set_lookups, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_overlap_writes_and_each_other() {
    let (zpa, counters) = start().await;
    let policies = zpa.policies();
    policies.policy_set_id().await.unwrap();

    let _guard = policies.lock_policy_set("1001").await;
    let reads = (0..5).map(|i| {
        let policies = policies.clone();
        async move { policies.get_rule(&format!("{i}")).await }
    });
    let results = join_all(reads).await;

    for (i, result) in results.into_iter().enumerate() {
        assert_eq!(result.unwrap().id, Some(i.to_string()));
    }
    assert!(max(&counters, "GET 1001") > 1, "reads did not overlap");
}

#[tokio::test]
async fn invalid_reorder_arguments_rejected() {
    let (zpa, _counters) = start().await;

    let error = zpa.policies().reorder("7", 0).await.unwrap_err();
    assert!(error.to_string().contains("orders start at 1"), "{error}");
    let error = zpa.policies().bulk_reorder(&[]).await.unwrap_err();
    assert!(error.to_string().contains("empty"), "{error}");
    let error = zpa.policies().get_rule(" ").await.unwrap_err();
    assert!(error.to_string().contains("invalid rule id"), "{error}");
}
