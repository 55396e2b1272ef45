//! The request loop against real HTTP exchanges: retries, waits, deadlines, transport
//! failures, credential renewal, the cache and pagination.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::TryStreamExt;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::de::DeserializeOwned;
use support::{Reply, ScriptedServer};
use zscaler_core::{
    Authenticator, CacheSettings, Credentials, Error, HttpSettings, List, Page, PageFormat,
    PageLimits, PageRequest, Product, RateLimitSettings, Request, Response, Result, RetryPolicy,
    Service, Transport, TransportConfig,
};

/// Credentials `token-<generation>`, renewed when a 401 body contains `expired`.
#[derive(Default)]
struct CountingAuth {
    generation: AtomicU64,
}

#[async_trait]
impl Authenticator for CountingAuth {
    async fn credentials(&self, _transport: &Transport) -> Result<Credentials> {
        let generation = match self.generation.load(Ordering::SeqCst) {
            0 => {
                self.generation.store(1, Ordering::SeqCst);
                1
            }
            current => current,
        };
        let value = HeaderValue::from_str(&format!("token-{generation}")).expect("ascii");
        Ok(Credentials {
            generation,
            headers: vec![(AUTHORIZATION, value)],
        })
    }

    fn is_expired(&self, status: u16, body: &[u8]) -> bool {
        status == 401 && String::from_utf8_lossy(body).contains("expired")
    }

    async fn invalidate(&self, generation: u64) {
        let _ = self.generation.compare_exchange(
            generation,
            generation + 1,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

fn transport(url: &str, policy: RetryPolicy, http: HttpSettings) -> Transport {
    let mut config = TransportConfig::new(Product::Zia, "zscaler-test", "0.0.0", url);
    config.retry = policy;
    config.http = http;
    config.rate_limit = RateLimitSettings::disabled();
    Transport::new(config).expect("transport builds")
}

fn service(url: &str, policy: RetryPolicy, cache: CacheSettings) -> Service {
    Service::new(
        transport(url, policy, HttpSettings::default()),
        Arc::new(CountingAuth::default()),
        &cache,
        "tenant",
    )
}

#[tokio::test]
async fn rate_limit_then_success() {
    let zia_429 = r#"{"message":"Rate Limit (1/SECOND) exceeded","Retry-After":"0 seconds"}"#;
    let server = ScriptedServer::start(vec![
        Reply::json(429, zia_429),
        Reply::json(429, "{}").with_header("retry-after", "0"),
        Reply::json(200, r#"{"ok":true}"#),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());

    let body: serde_json::Value = service
        .json(&Request::get("/api/v1/users"))
        .await
        .expect("third attempt succeeds");

    assert_eq!(body["ok"], true);
    assert_eq!(server.hits(), 3);
    assert_eq!(service.stats().retries, 2);
}

#[tokio::test]
async fn retry_after_header_is_honoured() {
    let server = ScriptedServer::start(vec![
        Reply::json(429, "{}").with_header("retry-after", "1"),
        Reply::json(200, "[]"),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());
    let started = Instant::now();

    service
        .execute(&Request::get("/x"))
        .await
        .expect("second attempt succeeds");

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn wait_over_maximum_fails_at_once() {
    let server = ScriptedServer::start(vec![
        Reply::json(429, "{}").with_header("retry-after", "3600"),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());

    let error = service
        .execute(&Request::get("/x"))
        .await
        .expect_err("an hour is over the maximum");

    let Error::RateLimited { retry_after, .. } = &error else {
        panic!("expected a rate-limit error, got {error:?}");
    };
    assert_eq!(*retry_after, Duration::from_secs(3600));
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn last_failure_returned_after_retries() {
    let server = ScriptedServer::start(vec![Reply::json(
        503,
        r#"{"code":"UNAVAILABLE","message":"try later"}"#,
    )])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());

    let error = service
        .execute(&Request::get("/api/v1/users"))
        .await
        .expect_err("always 503");

    assert_eq!(server.hits(), 6, "one attempt and five retries");
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        error.to_string(),
        "ZIA 503 UNAVAILABLE on GET /api/v1/users: try later"
    );
}

#[tokio::test]
async fn errors_not_retried() {
    let cases = [
        (400, r#"{"code":"INVALID_INPUT_ARGUMENT","message":"bad"}"#),
        (403, r#"{"code":"LIMIT_EXCEEDED","message":"limit"}"#),
        (404, r#"{"code":"RESOURCE_NOT_FOUND","message":"none"}"#),
    ];
    for (status, body) in cases {
        let server = ScriptedServer::start(vec![Reply::json(status, body)]).await;
        let service = service(&server.url, fast_policy(), CacheSettings::default());
        let error = service
            .execute(&Request::get("/x"))
            .await
            .expect_err("error status");
        assert_eq!(server.hits(), 1, "status {status}");
        assert_eq!(error.status(), Some(status));
    }
}

#[tokio::test]
async fn not_found_is_typed() {
    let server =
        ScriptedServer::start(vec![Reply::json(404, r#"{"code":"RESOURCE_NOT_FOUND"}"#)]).await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());
    let error = service
        .execute(&Request::get("/api/v1/users/7"))
        .await
        .expect_err("404");
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn deadline_stops_retries() {
    let server = ScriptedServer::start(vec![Reply::json(503, "{}")]).await;
    let policy = RetryPolicy::default()
        .with_backoff(Duration::from_millis(100), Duration::from_millis(100))
        .with_deadline(Duration::from_millis(250));
    let service = service(&server.url, policy, CacheSettings::default());

    let started = Instant::now();
    let error = service
        .execute(&Request::get("/x"))
        .await
        .expect_err("deadline reached");

    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(server.hits() < 6, "hits {}", server.hits());
    assert_eq!(error.status(), Some(503));
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let service = service(&url, fast_policy(), CacheSettings::default());

    let error = service
        .execute(&Request::post("/api/v1/users"))
        .await
        .expect_err("nothing listens");

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(service.stats().attempts, 6, "refused POSTs are retried");
    assert!(
        error
            .to_string()
            .contains("could not connect to 127.0.0.1:"),
        "{error}"
    );
}

#[tokio::test]
async fn timed_out_post_is_not_retried() {
    let slow = Reply::Delay(Duration::from_millis(500), Box::new(Reply::json(200, "{}")));
    let server = ScriptedServer::start(vec![slow]).await;
    let http = HttpSettings::default().with_request_timeout(Duration::from_millis(100));
    let transport = transport(&server.url, fast_policy(), http);

    let error = transport
        .send(&Request::post("/x"))
        .await
        .expect_err("times out");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(server.hits(), 1);

    let error = transport
        .send(&Request::get("/x"))
        .await
        .expect_err("times out");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(server.hits(), 1 + 6, "GETs are retried");
}

#[tokio::test]
async fn dropped_connection_retried_for_get() {
    let server = ScriptedServer::start(vec![Reply::Drop, Reply::json(200, "{}")]).await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());
    service
        .execute(&Request::get("/x"))
        .await
        .expect("second attempt works");
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn expired_credentials_renewed_once() {
    let server = ScriptedServer::start(vec![
        Reply::json(401, r#"{"code":"expired"}"#),
        Reply::json(200, "{}"),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());

    service
        .execute(&Request::get("/x"))
        .await
        .expect("replayed with new credentials");

    let received = server.received();
    assert_eq!(received[0].header("authorization"), Some("token-1"));
    assert_eq!(received[1].header("authorization"), Some("token-2"));
    assert_eq!(service.stats().renewals, 1);
}

#[tokio::test]
async fn renewal_is_bounded() {
    let server = ScriptedServer::start(vec![Reply::json(401, r#"{"code":"expired"}"#)]).await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());

    let error = service
        .execute(&Request::get("/x"))
        .await
        .expect_err("always expired");

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("expired again after 2 fresh logins"),
        "{error}"
    );
    assert_eq!(server.hits(), 3, "first attempt and two renewals");
}

#[tokio::test]
async fn cache_serves_reads_and_write_evicts() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, r#"[{"id":1}]"#),
        Reply::json(200, "{}"),
        Reply::json(200, r#"[{"id":1,"name":"changed"}]"#),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::enabled());
    let list = Request::get("/api/v1/users").query("page", "1");

    let first = service.execute(&list).await.expect("first read");
    let cached = service.execute(&list).await.expect("cached read");
    assert_eq!(first.body, cached.body);
    assert_eq!(server.hits(), 1);
    assert_eq!(service.stats().cache_hits, 1);

    service
        .execute(&Request::put("/api/v1/users/1"))
        .await
        .expect("write");
    let fresh = service.execute(&list).await.expect("fresh read");
    assert_eq!(server.hits(), 3);
    assert!(fresh.text().contains("changed"));
}

#[tokio::test]
async fn error_responses_not_cached() {
    let server = ScriptedServer::start(vec![
        Reply::json(404, r#"{"code":"RESOURCE_NOT_FOUND"}"#),
        Reply::json(200, r#"{"id":5}"#),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::enabled());
    let get = Request::get("/api/v1/users/5");

    assert!(service.execute(&get).await.is_err());
    assert!(service.execute(&get).await.is_ok());
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn invalid_body_names_json_path() {
    let server = ScriptedServer::start(vec![Reply::json(200, r#"[{"id":1},{"id":"two"}]"#)]).await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Item {
        id: i64,
    }
    let error = service
        .json::<Vec<Item>>(&Request::get("/api/v1/users"))
        .await
        .expect_err("string id");

    let text = error.to_string();
    assert!(text.contains("`[1].id`"), "{text}");
    assert!(text.contains("GET /api/v1/users"), "{text}");
}

#[tokio::test]
async fn query_values_encoded_once() {
    let server = ScriptedServer::start(vec![Reply::json(200, "{}")]).await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());
    service
        .execute(&Request::get("/x").query("search", "name+EQ+a b/c"))
        .await
        .expect("request works");
    assert_eq!(
        server.received()[0].target,
        "/x?search=name%2BEQ%2Ba%20b%2Fc"
    );
}

/// Pages of a bare JSON array with `page` and `pageSize`, ending on an empty page.
#[derive(Clone)]
struct ArrayPages;

impl PageFormat for ArrayPages {
    fn page_query(&self, request: Request, page: PageRequest) -> Request {
        request
            .query("page", page.number.to_string())
            .query("pageSize", page.size.to_string())
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        Ok(Page {
            items: service.transport().decode(request, response)?,
            total_pages: None,
        })
    }
}

fn list(service: &Service) -> List<u32, ArrayPages> {
    List::paged(
        service.clone(),
        Request::get("/items"),
        ArrayPages,
        PageLimits::new(2, 3),
    )
}

#[tokio::test]
async fn listing_ends_on_empty_page() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, "[1,2]"),
        Reply::json(200, "[3]"),
        Reply::json(200, "[]"),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());

    let items = list(&service).collect().await.expect("listing works");

    assert_eq!(items, vec![1, 2, 3]);
    let targets: Vec<String> = server.received().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/items?page=1&pageSize=2",
            "/items?page=2&pageSize=2",
            "/items?page=3&pageSize=2"
        ]
    );
}

#[tokio::test]
async fn page_size_clamped_to_maximum() {
    let server = ScriptedServer::start(vec![Reply::json(200, "[]")]).await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());
    let items = list(&service)
        .page_size(1000)
        .collect()
        .await
        .expect("listing works");
    assert!(items.is_empty());
    assert_eq!(server.received()[0].target, "/items?page=1&pageSize=3");
}

#[tokio::test]
async fn max_pages_and_max_items_stop_listing() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, "[1,2,3]"),
        Reply::json(200, "[4,5,6]"),
    ])
    .await;
    let service = service(&server.url, fast_policy(), CacheSettings::default());
    let items = list(&service)
        .page_size(3)
        .max_pages(1)
        .collect()
        .await
        .expect("listing works");
    assert_eq!(items, vec![1, 2, 3]);
    assert_eq!(server.hits(), 1);

    let server = ScriptedServer::start(vec![
        Reply::json(200, "[1,2,3]"),
        Reply::json(200, "[4,5,6]"),
    ])
    .await;
    let service = service_for(&server);
    let items = list(&service)
        .page_size(3)
        .max_items(4)
        .collect()
        .await
        .expect("listing works");
    assert_eq!(items, vec![1, 2, 3, 4]);
    assert_eq!(server.hits(), 2);
}

fn service_for(server: &ScriptedServer) -> Service {
    service(&server.url, fast_policy(), CacheSettings::default())
}

#[tokio::test]
async fn repeated_page_is_an_error() {
    let server = ScriptedServer::start(vec![Reply::json(200, "[1,2]")]).await;
    let service = service_for(&server);

    let mut stream = list(&service).stream();
    let mut seen = Vec::new();
    let error = loop {
        match stream.try_next().await {
            Ok(Some(item)) => seen.push(item),
            Ok(None) => panic!("a repeating server must not end normally"),
            Err(error) => break error,
        }
    };

    assert_eq!(seen, vec![1, 2]);
    assert!(
        matches!(error, Error::RepeatedPage { page: 2, .. }),
        "{error:?}"
    );
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn single_mode_sends_one_request_without_page_query() {
    let server = ScriptedServer::start(vec![Reply::json(200, "[7,8,9]")]).await;
    let service = service_for(&server);
    let items = List::<u32, _>::single(service.clone(), Request::get("/all"), ArrayPages)
        .collect()
        .await
        .expect("listing works");
    assert_eq!(items, vec![7, 8, 9]);
    assert_eq!(server.received()[0].target, "/all");
}

#[tokio::test]
async fn redirect_to_other_server_not_followed() {
    let other = ScriptedServer::start(vec![Reply::json(200, "{}")]).await;
    let redirect = Reply::json(302, "").with_header("location", &format!("{}/steal", other.url));
    let server = ScriptedServer::start(vec![redirect]).await;
    let service = service_for(&server);

    let error = service
        .execute(&Request::get("/api/v1/users"))
        .await
        .expect_err("a redirect to another server is not followed");

    assert_eq!(error.status(), Some(302));
    assert_eq!(
        other.hits(),
        0,
        "credentials must not reach the other server"
    );
}

#[tokio::test]
async fn redirect_within_same_server_followed() {
    let server = ScriptedServer::start(vec![
        Reply::json(302, "").with_header("location", "/api/v1/users?page=1"),
        Reply::json(200, "[]"),
    ])
    .await;
    let service = service_for(&server);

    service
        .execute(&Request::get("/api/v1/users"))
        .await
        .expect("same-origin redirect followed");

    let received = server.received();
    assert_eq!(received[1].target, "/api/v1/users?page=1");
    assert_eq!(received[1].header("authorization"), Some("token-1"));
}
