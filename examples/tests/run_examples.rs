//! Runs every example program against the simulator, as a user would run it, with only the
//! environment variables the README documents.

use std::process::{Command, Output};

use zscaler_sim::Simulator;

/// Variables removed from the child's environment so that nothing from the developer's shell
/// can point an example at a real tenant.
const CLEARED: [&str; 23] = [
    "ZIA_USERNAME",
    "ZIA_PASSWORD",
    "ZIA_API_KEY",
    "ZIA_CLOUD",
    "ZIA_BASE_URL",
    "ZPA_CLIENT_ID",
    "ZPA_CLIENT_SECRET",
    "ZPA_CUSTOMER_ID",
    "ZPA_CLOUD",
    "ZPA_BASE_URL",
    "ZPA_MICROTENANT_ID",
    "ZSCALER_SDK_LOG",
    "ZSCALER_SDK_VERBOSE",
    "ZSCALER_CLIENT_ID",
    "ZSCALER_CLIENT_SECRET",
    "ZSCALER_PRIVATE_KEY",
    "ZSCALER_VANITY_DOMAIN",
    "ZSCALER_CLOUD",
    "ZSCALER_CUSTOMER_ID",
    "ZSCALER_MICROTENANT_ID",
    "ZSCALER_PARTNER_ID",
    "ZSCALER_TOKEN_URL",
    "ZSCALER_GATEWAY_URL",
];

async fn start_simulator() -> Simulator {
    Simulator::builder()
        .seed(11)
        .zia_users(730)
        .zpa_application_segments(130)
        .start()
        .await
        .expect("simulator starts on loopback")
}

fn zia_env(sim: &Simulator) -> Vec<(String, String)> {
    let credentials = sim.zia_credentials();
    vec![
        ("ZIA_USERNAME".into(), credentials.username),
        ("ZIA_PASSWORD".into(), credentials.password),
        ("ZIA_API_KEY".into(), credentials.api_key),
        ("ZIA_BASE_URL".into(), sim.base_url()),
    ]
}

fn zpa_env(sim: &Simulator) -> Vec<(String, String)> {
    let credentials = sim.zpa_credentials();
    vec![
        ("ZPA_CLIENT_ID".into(), credentials.client_id),
        ("ZPA_CLIENT_SECRET".into(), credentials.client_secret),
        ("ZPA_CUSTOMER_ID".into(), credentials.customer_id),
        ("ZPA_BASE_URL".into(), sim.base_url()),
    ]
}

fn oneapi_env(sim: &Simulator) -> Vec<(String, String)> {
    let credentials = sim.oneapi_credentials();
    vec![
        ("ZSCALER_CLIENT_ID".into(), credentials.client_id),
        (
            "ZSCALER_CLIENT_SECRET".into(),
            credentials
                .client_secret
                .expect("default client has a secret"),
        ),
        ("ZSCALER_TOKEN_URL".into(), sim.oneapi_token_url()),
        ("ZSCALER_GATEWAY_URL".into(), sim.base_url()),
        (
            "ZSCALER_CUSTOMER_ID".into(),
            sim.zpa_credentials().customer_id,
        ),
    ]
}

async fn run(program: &'static str, env: Vec<(String, String)>, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(program);
        for name in CLEARED {
            command.env_remove(name);
        }
        command
            .envs(env)
            .args(args)
            .output()
            .expect("example starts")
    })
    .await
    .expect("example finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn zia_list_users_lists_every_user() {
    let sim = start_simulator().await;
    let output = run(env!("CARGO_BIN_EXE_zia_list_users"), zia_env(&sim), &[]).await;

    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let expected = sim.zia_collection("/users").len();
    assert!(
        stdout(&output).ends_with(&format!("users: {expected}\n")),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        sim.request_count("DELETE", "/api/v1/authenticatedSession"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn zpa_list_app_segments_lists_every_segment() {
    let sim = start_simulator().await;
    let output = run(
        env!("CARGO_BIN_EXE_zpa_list_app_segments"),
        zpa_env(&sim),
        &[],
    )
    .await;

    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let expected = sim.zpa_collection("/application").len();
    assert!(
        stdout(&output).ends_with(&format!("application segments: {expected}\n")),
        "{}",
        stdout(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_limits_stops_early() {
    let sim = start_simulator().await;
    let mut env = zia_env(&sim);
    env.extend(zpa_env(&sim));
    let output = run(env!("CARGO_BIN_EXE_list_limits"), env, &[]).await;

    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("first page of 50 gave 50 users"), "{text}");
    assert!(text.contains("max_items(10) gave 10 users"), "{text}");
    assert!(text.contains("max_items(5) gave 5 segments"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn oneapi_list_uses_one_token() {
    let sim = start_simulator().await;
    let output = run(env!("CARGO_BIN_EXE_oneapi_list"), oneapi_env(&sim), &[]).await;

    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    let locations = sim.zia_collection("/locations").len();
    let groups = sim.zpa_collection("/segmentGroup").len();
    assert!(locations > 0, "the seeded tenant has locations");
    assert!(groups > 0, "the seeded tenant has segment groups");
    assert!(
        text.contains(&format!("ZIA locations: {locations}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("ZPA segment groups: {groups}")),
        "{text}"
    );
    assert!(
        text.contains("OneAPI tokens fetched for both products: 1"),
        "{text}"
    );
    assert_eq!(sim.oneapi_token_requests(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_variables_give_message_not_panic() {
    let cases = [
        (env!("CARGO_BIN_EXE_zia_list_users"), "ZIA_USERNAME"),
        (env!("CARGO_BIN_EXE_zpa_list_app_segments"), "ZPA_CLIENT_ID"),
        (env!("CARGO_BIN_EXE_list_limits"), "ZIA_USERNAME"),
        (env!("CARGO_BIN_EXE_oneapi_list"), "ZSCALER_CLIENT_ID"),
    ];
    for (program, variable) in cases {
        let output = run(program, Vec::new(), &[]).await;
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{program}: {text}");
        assert!(text.starts_with("error: "), "{program}: {text}");
        assert!(text.contains(variable), "{program}: {text}");
        assert!(!text.contains("panicked"), "{program}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_show_calls_without_secrets() {
    let sim = start_simulator().await;
    let mut env = zia_env(&sim);
    env.push(("ZSCALER_SDK_VERBOSE".into(), "true".into()));
    let output = run(env!("CARGO_BIN_EXE_zia_list_users"), env, &[]).await;

    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let logs = stderr(&output);
    assert!(logs.contains("/api/v1/users"), "{logs}");
    assert!(logs.contains("/api/v1/authenticatedSession"), "{logs}");
    let credentials = sim.zia_credentials();
    assert!(!logs.contains(&credentials.password), "password in logs");
    assert!(!logs.contains(&credentials.api_key), "API key in logs");
    for (offset, _) in logs.match_indices("JSESSIONID=") {
        let value = &logs[offset + "JSESSIONID=".len()..];
        assert!(
            value.starts_with("[redacted]"),
            "session id in logs: {value:.40}"
        );
    }
}
