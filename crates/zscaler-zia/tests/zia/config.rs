//! Building a client from environment variables and from the builder.

use zscaler_core::{Env, Error};
use zscaler_zia::{Cloud, ZiaClient};

fn config_problems(result: zscaler_core::Result<ZiaClient>) -> Vec<String> {
    match result {
        Err(Error::Config(error)) => error.problems().to_vec(),
        Err(other) => panic!("expected a configuration error, got {other:?}"),
        Ok(client) => panic!("expected a configuration error, got {client:?}"),
    }
}

#[test]
fn missing_variables_are_listed_together() {
    let problems = config_problems(ZiaClient::from_env_with(&Env::default()));

    assert_eq!(
        problems,
        [
            "missing ZIA username: call `ZiaClientBuilder::username` or set ZIA_USERNAME",
            "missing ZIA password: call `ZiaClientBuilder::password` or set ZIA_PASSWORD",
            "missing ZIA API key: call `ZiaClientBuilder::api_key` or set ZIA_API_KEY",
            "missing ZIA cloud: call `ZiaClientBuilder::cloud` or set ZIA_CLOUD, or give a base \
             URL with `ZiaClientBuilder::base_url` or ZIA_BASE_URL",
        ]
    );
}

#[test]
fn invalid_values_are_listed_with_missing_ones() {
    let env = Env::from_pairs([
        ("ZIA_USERNAME", "admin@example.com"),
        ("ZIA_API_KEY", "short-key"),
        ("ZIA_CLOUD", "zscalerfour"),
        ("ZSCALER_MAX_RETRIES", "many"),
        ("ZSCALER_CLIENT_CACHE_ENABLED", "sometimes"),
    ]);

    let problems = config_problems(ZiaClient::from_env_with(&env));
    let text = problems.join("\n");

    assert_eq!(problems.len(), 5, "{text}");
    assert!(text.contains("ZSCALER_MAX_RETRIES"), "{text}");
    assert!(text.contains("ZSCALER_CLIENT_CACHE_ENABLED"), "{text}");
    assert!(text.contains("missing ZIA password"), "{text}");
    assert!(text.contains("has 9 characters but at least 12"), "{text}");
    assert!(
        !text.contains("short-key"),
        "the key is not printed: {text}"
    );
    assert!(text.contains("unknown ZIA cloud \"zscalerfour\""), "{text}");
    for cloud in Cloud::ALL {
        assert!(text.contains(cloud.name()), "{text} lacks {cloud}");
    }
}

#[test]
fn complete_environment_builds() {
    let env = Env::from_pairs([
        ("ZIA_USERNAME", "admin@example.com"),
        ("ZIA_PASSWORD", "secret"),
        ("ZIA_API_KEY", "0123456789abcdef"),
        ("ZIA_CLOUD", "ZscalerThree"),
    ]);

    let zia = ZiaClient::from_env_with(&env).expect("valid environment");

    assert_eq!(zia.cloud(), Some(Cloud::ZscalerThree));
    assert_eq!(zia.base_url(), "https://zsapi.zscalerthree.net");
}

#[test]
fn base_url_variable_replaces_cloud() {
    let env = Env::from_pairs([
        ("ZIA_USERNAME", "admin@example.com"),
        ("ZIA_PASSWORD", "secret"),
        ("ZIA_API_KEY", "0123456789abcdef"),
        ("ZIA_BASE_URL", "http://127.0.0.1:8080/api/v1/"),
    ]);

    let zia = ZiaClient::from_env_with(&env).expect("valid environment");

    assert_eq!(zia.cloud(), None);
    assert_eq!(zia.base_url(), "http://127.0.0.1:8080");
}

#[test]
fn plain_http_to_remote_host_is_rejected() {
    let env = Env::from_pairs([
        ("ZIA_USERNAME", "admin@example.com"),
        ("ZIA_PASSWORD", "secret"),
        ("ZIA_API_KEY", "0123456789abcdef"),
        ("ZIA_BASE_URL", "http://zsapi.zscaler.net"),
    ]);

    let problems = config_problems(ZiaClient::from_env_with(&env));

    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("plain http is allowed only for loopback hosts"),
        "{problems:?}"
    );
    assert!(problems[0].contains("ZIA_BASE_URL"), "{problems:?}");
}

#[test]
fn builder_reports_every_problem() {
    let problems = config_problems(
        ZiaClient::builder()
            .password("")
            .cloud_name("nowhere")
            .session_idle_timeout(std::time::Duration::ZERO)
            .build(),
    );
    let text = problems.join("\n");

    assert_eq!(problems.len(), 5, "{text}");
    assert!(text.contains("ZiaClientBuilder::username"), "{text}");
    assert!(text.contains("missing ZIA password"), "{text}");
    assert!(text.contains("ZiaClientBuilder::api_key"), "{text}");
    assert!(text.contains("unknown ZIA cloud \"nowhere\""), "{text}");
    assert!(text.contains("session idle timeout"), "{text}");
}

#[test]
fn setters_override_environment() {
    let env = Env::from_pairs([
        ("ZIA_USERNAME", "admin@example.com"),
        ("ZIA_PASSWORD", "secret"),
        ("ZIA_API_KEY", "0123456789abcdef"),
        ("ZIA_CLOUD", "not-a-cloud"),
    ]);

    let zia = zscaler_zia::ZiaClientBuilder::from_env(&env)
        .cloud(Cloud::ZsPreview)
        .build()
        .expect("the setter replaces the invalid variable");

    assert_eq!(zia.base_url(), "https://admin.zspreview.net");
}
