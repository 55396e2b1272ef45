//! The OneAPI client against the simulator: one token for both products, single-flight
//! fetching, renewal ahead of expiry and after a 401, signed client assertions, the partner
//! header, proxy routing, and the migrated tenant's refusal of legacy logins.

mod proxy;

use std::time::Duration;

use proxy::Proxy;
use zscaler::zia::ZiaClient;
use zscaler::{Client, HttpSettings, RateLimitSettings, RetryPolicy};
use zscaler_sim::{OneApiCredentials, Simulator};

const PRIVATE_KEY: &str = include_str!("fixtures/rsa2048.pem");
const PUBLIC_KEY: &str = include_str!("fixtures/rsa2048.pub.pem");

async fn simulator() -> Simulator {
    Simulator::builder()
        .seed(17)
        .zia_users(300)
        .zpa_application_segments(50)
        .start()
        .await
        .expect("simulator starts")
}

fn builder(sim: &Simulator) -> zscaler::ClientBuilder {
    let credentials = sim.oneapi_credentials();
    Client::builder()
        .client_id(credentials.client_id)
        .client_secret(
            credentials
                .client_secret
                .expect("default client has a secret"),
        )
        .token_url(sim.oneapi_token_url())
        .gateway_url(sim.base_url())
        .customer_id(sim.zpa_credentials().customer_id)
        .retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .rate_limit(RateLimitSettings::disabled())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_serves_both_products() {
    let sim = simulator().await;
    let client = builder(&sim).build().expect("valid settings");

    let users = client
        .zia()
        .users()
        .list()
        .collect()
        .await
        .expect("ZIA users");
    let groups = client
        .zpa()
        .expect("customer id set")
        .segment_groups()
        .list()
        .collect()
        .await
        .expect("ZPA segment groups");

    assert_eq!(users.len(), 300);
    assert!(!groups.is_empty());
    assert_eq!(sim.oneapi_token_requests(), 1);
    assert_eq!(client.tokens_fetched().await, 1);
    assert!(sim.request_count("GET", "/zia/api/v1/users") >= 1);
    assert_eq!(sim.request_count("POST", "/api/v1/authenticatedSession"), 0);
    assert_eq!(sim.request_count("POST", "/signin"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_fetch_one_token() {
    let sim = simulator().await;
    let client = builder(&sim).build().expect("valid settings");

    let mut tasks = Vec::new();
    for index in 0..20 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            if index % 2 == 0 {
                client
                    .zia()
                    .users()
                    .list()
                    .max_items(3)
                    .collect()
                    .await
                    .map(|v| v.len())
            } else {
                let zpa = client.zpa()?;
                zpa.application_segments()
                    .list()
                    .max_items(3)
                    .collect()
                    .await
                    .map(|v| v.len())
            }
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task ran").expect("call works"), 3);
    }
    assert_eq!(sim.oneapi_token_requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_renewed_ahead_of_expiry() {
    let sim = Simulator::builder()
        .seed(2)
        .zia_users(20)
        .oneapi_token_lifetime(Duration::from_secs(1))
        .start()
        .await
        .expect("simulator starts");
    let client = builder(&sim).build().expect("valid settings");

    client
        .zia()
        .users()
        .list()
        .collect()
        .await
        .expect("first call");
    // A one-second token is renewed a tenth of its lifetime early, so after 950 ms the next
    // call fetches a new one before sending, and the gateway never answers 401.
    tokio::time::sleep(Duration::from_millis(950)).await;
    client
        .zia()
        .users()
        .list()
        .collect()
        .await
        .expect("second call");

    assert_eq!(sim.oneapi_token_requests(), 2);
    let unauthorized = sim.requests().iter().filter(|r| r.status == 401).count();
    assert_eq!(unauthorized, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_renewed_after_401() {
    let sim = simulator().await;
    let client = builder(&sim).build().expect("valid settings");
    client
        .zia()
        .users()
        .list()
        .max_items(1)
        .collect()
        .await
        .expect("first call");

    sim.expire_oneapi_tokens();
    let users = client
        .zia()
        .users()
        .list()
        .collect()
        .await
        .expect("replayed");

    assert_eq!(users.len(), 300);
    assert_eq!(sim.oneapi_token_requests(), 2);
    assert_eq!(client.zia().stats().renewals, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_key_assertion_accepted() {
    let sim = Simulator::builder()
        .seed(3)
        .zia_users(10)
        .oneapi_client(OneApiCredentials {
            client_id: "key-client".into(),
            client_secret: None,
            public_key_pem: Some(PUBLIC_KEY.into()),
        })
        .start()
        .await
        .expect("simulator starts");
    let client = Client::builder()
        .client_id("key-client")
        .private_key(PRIVATE_KEY)
        .token_url(sim.oneapi_token_url())
        .gateway_url(sim.base_url())
        .rate_limit(RateLimitSettings::disabled())
        .build()
        .expect("valid settings");

    let users = client
        .zia()
        .users()
        .list()
        .collect()
        .await
        .expect("ZIA users");

    assert_eq!(users.len(), 10);
    let claims = sim.last_assertion_claims().expect("an assertion was sent");
    assert_eq!(claims["iss"], "key-client");
    assert_eq!(claims["sub"], "key-client");
    assert_eq!(claims["aud"], "https://api.zscaler.com");
    let lifetime = claims["exp"].as_u64().expect("exp") - claims["iat"].as_u64().expect("iat");
    assert_eq!(lifetime, 600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_is_authentication_error() {
    let sim = simulator().await;
    let client = builder(&sim)
        .client_secret("not-the-secret")
        .build()
        .expect("valid settings");

    let error = client
        .zia()
        .users()
        .list()
        .collect()
        .await
        .expect_err("wrong secret");

    assert!(
        matches!(error, zscaler::Error::Authentication(_)),
        "{error:?}"
    );
    assert!(!error.to_string().contains("not-the-secret"), "{error}");
    assert_eq!(
        sim.oneapi_token_requests(),
        1,
        "no retry loop on bad credentials"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_id_on_every_request() {
    let sim = simulator().await;
    let client = builder(&sim)
        .partner_id("partner-42")
        .build()
        .expect("valid settings");

    client
        .zia()
        .users()
        .list()
        .max_items(5)
        .collect()
        .await
        .expect("ZIA call");
    client
        .zpa()
        .expect("customer id")
        .segment_groups()
        .list()
        .collect()
        .await
        .expect("ZPA call");

    let requests = sim.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert_eq!(
            request.partner_id.as_deref(),
            Some("partner-42"),
            "{request:?}"
        );
    }
    for token_request in sim.oneapi_token_request_log() {
        assert_eq!(token_request.partner_id.as_deref(), Some("partner-42"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_goes_through_proxy() {
    let sim = simulator().await;
    let proxy = Proxy::start().await;
    let client = builder(&sim)
        .http(HttpSettings::default().with_proxy(proxy.url.clone()))
        .build()
        .expect("valid settings");

    client
        .zia()
        .users()
        .list()
        .page_size(100)
        .collect()
        .await
        .expect("ZIA via proxy");
    client
        .zpa()
        .expect("customer id")
        .application_segments()
        .list()
        .collect()
        .await
        .expect("ZPA via proxy");

    let forwarded = proxy.forwarded();
    let received = sim.requests().len();
    assert!(received > 0);
    assert!(
        forwarded
            .iter()
            .any(|r| r.uri.ends_with("/oauth2/v1/token")),
        "the token request went through the proxy: {forwarded:?}"
    );
    assert_eq!(forwarded.len(), received, "{forwarded:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_login_uses_proxy_with_masked_credentials() {
    let sim = simulator().await;
    let proxy = Proxy::start().await;
    let proxy_url = proxy
        .url
        .replace("http://", "http://proxyuser:proxy-pass-9@");
    let credentials = sim.zia_credentials();
    let zia = ZiaClient::builder()
        .username(credentials.username)
        .password(credentials.password)
        .api_key(credentials.api_key)
        .base_url(sim.base_url())
        .http(HttpSettings::default().with_proxy(proxy_url))
        .rate_limit(RateLimitSettings::disabled())
        .build()
        .expect("valid settings");

    zia.users().list().collect().await.expect("ZIA via proxy");

    let forwarded = proxy.forwarded();
    assert!(
        forwarded
            .iter()
            .any(|r| r.uri.ends_with("/api/v1/authenticatedSession"))
    );
    assert_eq!(forwarded.len(), sim.requests().len());
    assert!(forwarded.iter().all(|r| r.proxy_authorization.is_some()));
    assert!(!format!("{zia:?}").contains("proxy-pass-9"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrated_tenant_refusal_says_switch_to_oneapi() {
    let sim = Simulator::builder()
        .seed(8)
        .zia_users(5)
        .zia_migrated_to_oneapi(true)
        .start()
        .await
        .expect("simulator starts");
    let credentials = sim.zia_credentials();
    let zia = ZiaClient::builder()
        .username(credentials.username)
        .password(credentials.password)
        .api_key(credentials.api_key)
        .base_url(sim.base_url())
        .build()
        .expect("valid settings");

    let error = zia
        .users()
        .list()
        .collect()
        .await
        .expect_err("legacy login refused");

    let text = error.to_string();
    assert!(
        matches!(error, zscaler::Error::Authentication(_)),
        "{error:?}"
    );
    assert!(text.contains("OneAPI"), "{text}");
    assert_eq!(sim.request_count("POST", "/api/v1/authenticatedSession"), 1);

    let client = builder(&sim).build().expect("valid settings");
    let users = client
        .zia()
        .users()
        .list()
        .collect()
        .await
        .expect("OneAPI works");
    assert_eq!(users.len(), 5);
}
