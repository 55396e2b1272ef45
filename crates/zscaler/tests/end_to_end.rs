//! The SDK against the simulator: long listings through expired sessions and tokens, 429
//! storms, 5xx and dropped connections, the edit lock, and reads after writes with the cache.

use std::collections::HashSet;
use std::time::Duration;

use futures::TryStreamExt;
use zscaler::zia::ZiaClient;
use zscaler::zia::groups::Group;
use zscaler::zpa::ZpaClient;
use zscaler::zpa::segment_groups::SegmentGroup;
use zscaler::{CacheSettings, RateLimitSettings, RetryPolicy};
use zscaler_sim::{Faults, RetryAfterFormat, Simulator};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(8)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(50))
}

fn zia_client(sim: &Simulator) -> ZiaClient {
    let credentials = sim.zia_credentials();
    ZiaClient::builder()
        .username(credentials.username)
        .password(credentials.password)
        .api_key(credentials.api_key)
        .base_url(sim.base_url())
        .retry(fast_retries())
        .rate_limit(RateLimitSettings::disabled())
        .build()
        .expect("valid ZIA settings")
}

fn zpa_client(sim: &Simulator) -> ZpaClient {
    let credentials = sim.zpa_credentials();
    ZpaClient::builder()
        .client_id(credentials.client_id)
        .client_secret(credentials.client_secret)
        .customer_id(credentials.customer_id)
        .base_url(sim.base_url())
        .retry(fast_retries())
        .rate_limit(RateLimitSettings::disabled())
        .build()
        .expect("valid ZPA settings")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zia_listing_survives_session_expiry_and_429s() {
    let faults = Faults {
        every_nth_rate_limited: Some(4),
        retry_after: RetryAfterFormat::ZiaZeroSeconds,
        invalidate_session_after: Some(7),
        ..Faults::default()
    };
    let sim = Simulator::builder()
        .seed(3)
        .zia_users(10_000)
        .faults(faults)
        .start()
        .await
        .expect("simulator starts");
    let zia = zia_client(&sim);

    let mut ids = HashSet::new();
    let mut stream = zia.users().list().page_size(250).stream();
    while let Some(user) = stream.try_next().await.expect("listing survives faults") {
        assert!(ids.insert(user.id), "user {} returned twice", user.id);
    }

    assert_eq!(ids.len(), 10_000);
    let stats = zia.stats();
    assert!(
        stats.renewals >= 1,
        "the session was invalidated mid-list: {stats:?}"
    );
    assert!(
        stats.retries >= 5,
        "every fourth request answered 429: {stats:?}"
    );
    assert!(sim.request_count("POST", "/api/v1/authenticatedSession") >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zia_listing_survives_random_faults() {
    let faults = Faults {
        rate_limit: 0.15,
        retry_after: RetryAfterFormat::ZiaZeroSeconds,
        unavailable: 0.05,
        html_error: 0.0,
        reset_connection: 0.05,
        invalidate_session: 0.03,
        ..Faults::default()
    };
    let sim = Simulator::builder()
        .seed(21)
        .zia_users(3_000)
        .faults(faults)
        .start()
        .await
        .expect("simulator starts");
    let zia = zia_client(&sim);

    let users = zia
        .users()
        .list()
        .page_size(100)
        .collect()
        .await
        .expect("listing survives faults");

    let unique: HashSet<i64> = users.iter().map(|user| user.id).collect();
    assert_eq!(users.len(), 3_000);
    assert_eq!(unique.len(), 3_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zpa_listing_survives_token_expiry() {
    let faults = Faults {
        invalidate_session_after: Some(5),
        every_nth_rate_limited: Some(6),
        retry_after: RetryAfterFormat::SecondsWithUnit,
        retry_after_secs: 0,
        ..Faults::default()
    };
    let sim = Simulator::builder()
        .seed(5)
        .zpa_application_segments(2_400)
        .faults(faults)
        .start()
        .await
        .expect("simulator starts");
    let zpa = zpa_client(&sim);

    let mut ids = HashSet::new();
    let mut stream = zpa.application_segments().list().page_size(100).stream();
    while let Some(segment) = stream.try_next().await.expect("listing survives expiry") {
        assert!(
            ids.insert(segment.id.clone()),
            "segment {} returned twice",
            segment.id
        );
    }

    assert_eq!(ids.len(), 2_400);
    assert!(zpa.stats().renewals >= 1, "{:?}", zpa.stats());
    assert!(sim.request_count("POST", "/signin") >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zpa_token_lifetime_shorter_than_listing() {
    let sim = Simulator::builder()
        .seed(9)
        .zpa_application_segments(600)
        .zpa_token_lifetime(Duration::from_millis(600))
        .latency(Duration::from_millis(40))
        .start()
        .await
        .expect("simulator starts");
    let zpa = zpa_client(&sim);

    let segments = zpa
        .application_segments()
        .list()
        .page_size(30)
        .collect()
        .await
        .expect("listing outlives its token");

    let unique: HashSet<&str> = segments.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(segments.len(), 600);
    assert_eq!(unique.len(), 600);
    assert!(
        sim.request_count("POST", "/signin") >= 2,
        "the token was renewed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zia_write_waits_for_edit_lock() {
    let sim = Simulator::builder()
        .seed(1)
        .zia_users(10)
        .start()
        .await
        .expect("simulator starts");
    let zia = zia_client(&sim);
    sim.hold_zia_edit_lock(true);

    let write = tokio::spawn({
        let zia = zia.clone();
        async move {
            zia.groups()
                .create(&Group::new("locked out for a while"))
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(60)).await;
    sim.hold_zia_edit_lock(false);
    let group = write
        .await
        .expect("task ran")
        .expect("write succeeds after the lock is released");

    assert_eq!(group.name.as_deref(), Some("locked out for a while"));
    assert!(zia.stats().retries >= 1);
    assert_eq!(sim.zia_activation_status(), "PENDING");
    zia.activation().activate().await.expect("activation");
    assert_eq!(sim.zia_activation_status(), "ACTIVE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_reads_are_fresh_after_writes() {
    let sim = Simulator::builder()
        .seed(2)
        .zpa_application_segments(40)
        .start()
        .await
        .expect("simulator starts");
    let credentials = sim.zpa_credentials();
    let zpa = ZpaClient::builder()
        .client_id(credentials.client_id)
        .client_secret(credentials.client_secret)
        .customer_id(credentials.customer_id)
        .base_url(sim.base_url())
        .cache(CacheSettings::enabled())
        .rate_limit(RateLimitSettings::disabled())
        .build()
        .expect("valid settings");
    let groups = zpa.segment_groups();

    let before = groups.list().collect().await.expect("first listing");
    let again = groups.list().collect().await.expect("cached listing");
    assert_eq!(before.len(), again.len());
    assert!(zpa.stats().cache_hits >= 1);

    let created = groups
        .create(&SegmentGroup::new("fresh-after-write"))
        .await
        .expect("create");
    let after = groups.list().collect().await.expect("listing after create");
    assert_eq!(after.len(), before.len() + 1);

    let mut renamed = groups.get(&created.id).await.expect("get");
    renamed.name = Some("renamed-after-write".into());
    groups.update(&created.id, &renamed).await.expect("update");
    let fetched = groups.get(&created.id).await.expect("get after update");
    assert_eq!(fetched.name.as_deref(), Some("renamed-after-write"));

    groups.delete(&created.id).await.expect("delete");
    let error = groups.get(&created.id).await.expect_err("deleted");
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_keeps_fields_sdk_does_not_model() {
    let sim = Simulator::builder()
        .seed(4)
        .zia_users(5)
        .start()
        .await
        .expect("simulator starts");
    let zia = zia_client(&sim);
    let mut user = zia
        .users()
        .list()
        .max_items(1)
        .collect()
        .await
        .expect("list")
        .pop()
        .expect("one user");
    sim.zia_insert(
        "/users",
        serde_json::json!({"id": user.id, "name": user.name, "futureField": {"nested": [1, 2]}}),
    );
    let fetched = zia.users().get(user.id).await.expect("get");
    assert!(
        fetched.extra.contains_key("futureField"),
        "{:?}",
        fetched.extra
    );

    user = fetched;
    user.comments = Some("edited by the SDK".into());
    zia.users().update(user.id, &user).await.expect("update");

    let stored = sim
        .zia_collection("/users")
        .into_iter()
        .find(|item| item["id"] == user.id)
        .expect("user stored");
    assert_eq!(stored["futureField"], serde_json::json!({"nested": [1, 2]}));
    assert_eq!(stored["comments"], "edited by the SDK");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_get_by_name_matches_exactly() {
    let sim = Simulator::builder()
        .seed(6)
        .start()
        .await
        .expect("simulator starts");
    let zpa = zpa_client(&sim);
    let seeded = sim.zpa_collection("/idp");
    let name = seeded
        .iter()
        .find_map(|idp| idp["name"].as_str())
        .expect("the recorded tenant has an IdP")
        .to_owned();

    let found = zpa.idp().get_by_name(&name).await.expect("search works");
    let missing = zpa
        .idp()
        .get_by_name(&format!("{name} (no such copy)"))
        .await
        .expect("search works");

    assert_eq!(found.and_then(|idp| idp.name), Some(name));
    assert!(missing.is_none());
    let searches: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|request| request.path.ends_with("/idp"))
        .collect();
    assert_eq!(searches.len(), 2, "one search per lookup");
    assert!(searches.iter().all(|request| {
        request
            .query
            .iter()
            .any(|(key, value)| key == "search" && value.starts_with("name+EQ+"))
    }));
}
