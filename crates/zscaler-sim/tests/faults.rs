//! End-to-end checks of rate limits, fault injection, latency and the request log.

mod common;

use std::time::{Duration, Instant};

use common::{client, json_of, zia, zia_login, zpa, zpa_base, zpa_signin};
use serde_json::json;
use zscaler_sim::{Faults, RateLimitConfig, RetryAfterFormat, Simulator};

fn always_limited(format: RetryAfterFormat) -> Faults {
    Faults {
        rate_limit: 1.0,
        retry_after: format,
        ..Faults::default()
    }
}

#[tokio::test]
async fn zia_429_formats() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    // (format, Retry-After header, x-ratelimit-reset header, body Retry-After field)
    let cases = [
        (
            RetryAfterFormat::Seconds,
            Some("1"),
            None,
            Some("1 seconds"),
        ),
        (
            RetryAfterFormat::SecondsWithUnit,
            Some("1s"),
            None,
            Some("1 seconds"),
        ),
        (
            RetryAfterFormat::ZiaJsonBodyOnly,
            None,
            None,
            Some("1 seconds"),
        ),
        (
            RetryAfterFormat::ZiaZeroSeconds,
            None,
            None,
            Some("0 seconds"),
        ),
        (RetryAfterFormat::None, None, None, None),
        (RetryAfterFormat::RateLimitReset, None, Some("1"), None),
    ];
    for (format, retry_after, reset, body_hint) in cases {
        sim.set_faults(always_limited(format));
        let response = zia(&client, &sim, &cookie, "GET", "/users", None).await;
        assert_eq!(response.status(), 429, "{format}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().expect("text").to_string())
        };
        assert_eq!(
            header("retry-after").as_deref(),
            retry_after,
            "{format} Retry-After"
        );
        assert_eq!(
            header("x-ratelimit-reset").as_deref(),
            reset,
            "{format} x-ratelimit-reset"
        );
        let body = json_of(response).await;
        assert_eq!(
            body["message"], "Rate Limit (1/SECOND) exceeded",
            "{format}"
        );
        assert_eq!(
            body.get("Retry-After").and_then(|v| v.as_str()),
            body_hint,
            "{format} body"
        );
    }
}

#[tokio::test]
async fn http_date_retry_after() {
    let sim = Simulator::builder()
        .faults(Faults {
            retry_after_secs: 30,
            ..always_limited(RetryAfterFormat::HttpDate)
        })
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let response = zia(&client, &sim, &cookie, "GET", "/users", None).await;
    assert_eq!(response.status(), 429);
    let date = response.headers()["retry-after"]
        .to_str()
        .expect("text")
        .to_string();
    let when = httpdate::parse_http_date(&date).expect("an HTTP date");
    let ahead = when
        .duration_since(std::time::SystemTime::now())
        .expect("the date is in the future");
    assert!(ahead <= Duration::from_secs(30), "{date}");
    assert!(ahead >= Duration::from_secs(25), "{date}");
}

#[tokio::test]
async fn zpa_429_format() {
    let sim = Simulator::builder()
        .faults(Faults {
            retry_after_secs: 4,
            ..always_limited(RetryAfterFormat::SecondsWithUnit)
        })
        .start()
        .await
        .expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let response = zpa(
        &client,
        &token,
        "GET",
        &format!("{}/segmentGroup", zpa_base(&sim)),
        None,
    )
    .await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "4s");
    assert_eq!(
        json_of(response).await,
        json!({"id": "invalid.toomanyrequests", "reason": "Exceeded the number of requests allowed."})
    );
}

#[tokio::test]
async fn rate_limits_enforced() {
    let sim = Simulator::builder()
        .rate_limits(true)
        .rate_limit_config(RateLimitConfig {
            get_per_window: 5,
            write_per_window: 2,
            window: Duration::from_secs(60),
        })
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    for _ in 0..5 {
        assert_eq!(
            zia(&client, &sim, &cookie, "GET", "/status", None)
                .await
                .status(),
            200
        );
    }
    let limited = zia(&client, &sim, &cookie, "GET", "/status", None).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("whole seconds");
    assert!(
        (1..=12).contains(&wait),
        "one token refills in at most 12 s, got {wait}"
    );

    let token = zpa_signin(&sim, &client).await;
    let url = format!("{}/segmentGroup", zpa_base(&sim));
    for _ in 0..5 {
        assert_eq!(
            zpa(&client, &token, "GET", &url, None).await.status(),
            200,
            "ZPA has its own bucket"
        );
    }
    let limited = zpa(&client, &token, "GET", &url, None).await;
    assert_eq!(limited.status(), 429);
    let hint = limited.headers()["retry-after"]
        .to_str()
        .expect("text")
        .to_string();
    assert!(
        hint.ends_with('s'),
        "ZPA sends seconds with a unit, got {hint}"
    );

    for _ in 0..2 {
        let created = zpa(&client, &token, "POST", &url, Some(json!({"name": "x"}))).await;
        assert_eq!(created.status(), 201, "writes have their own bucket");
    }
    let limited = zpa(&client, &token, "POST", &url, Some(json!({"name": "x"}))).await;
    assert_eq!(limited.status(), 429);
}

#[tokio::test]
async fn default_limits_allow_twenty_gets() {
    let sim = Simulator::builder()
        .rate_limits(true)
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    for index in 0..20 {
        let response = zia(&client, &sim, &cookie, "GET", "/status", None).await;
        assert_eq!(response.status(), 200, "GET {index}");
    }
    assert_eq!(
        zia(&client, &sim, &cookie, "GET", "/status", None)
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn server_failures_by_kind() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    sim.set_faults(Faults {
        server_error: 1.0,
        ..Faults::default()
    });
    let response = zia(&client, &sim, &cookie, "GET", "/users", None).await;
    assert_eq!(response.status(), 500);
    assert_eq!(json_of(response).await["code"], "UNEXPECTED_ERROR");

    sim.set_faults(Faults {
        unavailable: 1.0,
        ..Faults::default()
    });
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            zia(&client, &sim, &cookie, "GET", "/users", None)
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [503, 504, 503, 504]);

    sim.set_faults(Faults {
        html_error: 1.0,
        ..Faults::default()
    });
    let response = zia(&client, &sim, &cookie, "GET", "/users", None).await;
    assert_eq!(response.status(), 502);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("text")
        .to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(response.text().await.expect("text").contains("<html>"));
}

#[tokio::test]
async fn reset_closes_connection() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    sim.set_faults(Faults {
        reset_connection: 1.0,
        ..Faults::default()
    });
    let result = client
        .get(format!("{}/api/v1/users", sim.base_url()))
        .header("cookie", &cookie)
        .send()
        .await;
    assert!(
        result.is_err(),
        "expected a transport error, got {result:?}"
    );
    let log = sim.requests();
    assert_eq!(log.last().expect("logged").status, 0);
    sim.set_faults(Faults::default());
    assert_eq!(
        zia(&client, &sim, &cookie, "GET", "/users", None)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn stall_delays_answer() {
    let sim = Simulator::builder()
        .faults(Faults {
            stall: Some(Duration::from_millis(300)),
            stall_probability: 1.0,
            ..Faults::default()
        })
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let started = Instant::now();
    let response = zia(&client, &sim, &cookie, "GET", "/status", None).await;
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let timeout = client
        .get(format!("{}/api/v1/status", sim.base_url()))
        .header("cookie", &cookie)
        .timeout(Duration::from_millis(100))
        .send()
        .await;
    assert!(timeout.is_err_and(|error| error.is_timeout()));
}

#[tokio::test]
async fn latency_applies_to_all() {
    let sim = Simulator::builder()
        .latency(Duration::from_millis(150))
        .start()
        .await
        .expect("start");
    let client = client();
    let started = Instant::now();
    zia_login(&sim, &client).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn every_nth_request_limited() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    sim.set_faults(Faults {
        every_nth_rate_limited: Some(3),
        ..Faults::default()
    });
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            zia(&client, &sim, &cookie, "GET", "/status", None)
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 429, 200, 200, 429]);
}

#[tokio::test]
async fn session_invalidated_after_count() {
    let sim = Simulator::builder()
        .faults(Faults {
            invalidate_session_after: Some(2),
            ..Faults::default()
        })
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            zia(&client, &sim, &cookie, "GET", "/status", None)
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 401]);
    let fresh = zia_login(&sim, &client).await;
    assert_eq!(
        zia(&client, &sim, &fresh, "GET", "/status", None)
            .await
            .status(),
        200,
        "only once"
    );
}

#[tokio::test]
async fn random_invalidation_hits_zpa() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    sim.set_faults(Faults {
        invalidate_session: 1.0,
        ..Faults::default()
    });
    let url = format!("{}/segmentGroup", zpa_base(&sim));
    assert_eq!(zpa(&client, &token, "GET", &url, None).await.status(), 401);
    sim.set_faults(Faults::default());
    assert_eq!(
        zpa(&client, &token, "GET", &url, None).await.status(),
        401,
        "the token stays revoked"
    );
}

#[tokio::test]
async fn login_exempt_unless_asked() {
    let sim = Simulator::builder()
        .faults(Faults {
            server_error: 1.0,
            ..Faults::default()
        })
        .start()
        .await
        .expect("start");
    let client = client();
    zia_login(&sim, &client).await;
    zpa_signin(&sim, &client).await;
    sim.set_faults(Faults {
        server_error: 1.0,
        faults_on_login: true,
        ..Faults::default()
    });
    let response = common::zia_login_response(&sim, &client).await;
    assert_eq!(response.status(), 500);
}

#[tokio::test]
async fn random_faults_repeat_for_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let sim = Simulator::builder()
            .seed(seed)
            .faults(Faults {
                server_error: 0.3,
                rate_limit: 0.2,
                ..Faults::default()
            })
            .start()
            .await
            .expect("start");
        let client = client();
        let cookie = zia_login(&sim, &client).await;
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(
                zia(&client, &sim, &cookie, "GET", "/status", None)
                    .await
                    .status()
                    .as_u16(),
            );
        }
        statuses
    }
    let first = statuses(11).await;
    assert_eq!(first, statuses(11).await);
    assert!(first.contains(&200));
    assert!(first.contains(&500));
    assert!(first.contains(&429));
}

#[tokio::test]
async fn request_log_and_counts() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    zia(
        &client,
        &sim,
        &cookie,
        "GET",
        "/users?page=2&pageSize=5",
        None,
    )
    .await;
    zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/ruleLabels",
        Some(json!({"name": "x"})),
    )
    .await;
    zia(&client, &sim, &cookie, "GET", "/users", None).await;

    let log = sim.requests();
    assert_eq!(log.len(), 4);
    assert_eq!(log[0].path, "/api/v1/authenticatedSession");
    assert_eq!(log[0].status, 200);
    assert_eq!(
        log[1].query,
        vec![
            ("page".to_string(), "2".to_string()),
            ("pageSize".to_string(), "5".to_string())
        ]
    );
    assert_eq!(log[2].method, "POST");
    assert_eq!(log[2].body, Some(json!({"name": "x"})));

    assert_eq!(sim.request_count("GET", "/api/v1/users"), 2);
    assert_eq!(sim.request_count("post", "/api/v1/ruleLabels"), 1);
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn dropped_simulator_stops() {
    let sim = Simulator::builder().start().await.expect("start");
    let url = format!("{}/api/v1/status", sim.base_url());
    drop(sim);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let result = client()
        .get(&url)
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(result.is_err(), "server still answering: {result:?}");
}
