//! `zscaler-sim`: runs the ZIA, ZPA and OneAPI simulator on `127.0.0.1` until Ctrl-C.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use zscaler_sim::{Faults, OneApiCredentials, RateLimitConfig, RetryAfterFormat, Simulator};

/// Local simulator of the Zscaler ZIA and ZPA REST APIs. Binds 127.0.0.1 only, prints the
/// base URL and the credentials it accepts, then serves until Ctrl-C.
#[derive(Debug, Parser)]
#[command(name = "zscaler-sim", version)]
struct Args {
    /// TCP port on 127.0.0.1 (0 picks a free port).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Seed of generated data, credentials and fault draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,

    /// Number of generated ZIA users, replacing the recorded users, departments and groups.
    #[arg(long)]
    zia_users: Option<usize>,

    /// Number of generated ZPA application segments, replacing the recorded segments, segment
    /// groups, server groups and app connector groups.
    #[arg(long)]
    zpa_segments: Option<usize>,

    /// Start with empty collections instead of the recorded resources.
    #[arg(long)]
    no_recorded_seed: bool,

    /// Enforce 20 GET and 10 POST/PUT/DELETE requests per 10 seconds per product.
    #[arg(long)]
    rate_limits: bool,

    /// GET requests allowed per rate-limit window (with --rate-limits).
    #[arg(long, default_value_t = 20)]
    rate_limit_gets: u32,

    /// POST, PUT, PATCH and DELETE requests allowed per rate-limit window (with --rate-limits).
    #[arg(long, default_value_t = 10)]
    rate_limit_writes: u32,

    /// Length of the rate-limit window in seconds (with --rate-limits).
    #[arg(long, default_value_t = 10)]
    rate_limit_window_secs: u64,

    /// Idle time in seconds after which a ZIA session gets 401.
    #[arg(long, default_value_t = 300)]
    session_idle_timeout_secs: u64,

    /// Lifetime of ZPA bearer tokens in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime_secs: u64,

    /// Delay in milliseconds added to every request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,

    /// Probability (0.0 to 1.0) that a request gets 429.
    #[arg(long, default_value_t = 0.0)]
    rate_limit_probability: f64,

    /// Send 429 to every Nth request.
    #[arg(long)]
    every_nth_rate_limited: Option<u32>,

    /// Retry hint of injected 429 responses: seconds, seconds-with-unit, http-date,
    /// zia-json-body-only, zia-zero-seconds, none or rate-limit-reset.
    #[arg(long, default_value = "seconds")]
    retry_after_format: RetryAfterFormat,

    /// Seconds given in the retry hint of injected 429 responses.
    #[arg(long, default_value_t = 1)]
    retry_after_secs: u64,

    /// Probability that a request gets 500.
    #[arg(long, default_value_t = 0.0)]
    server_error_probability: f64,

    /// Probability that a request gets 503 or 504.
    #[arg(long, default_value_t = 0.0)]
    unavailable_probability: f64,

    /// Probability that a request gets 502 with an HTML proxy page.
    #[arg(long, default_value_t = 0.0)]
    html_error_probability: f64,

    /// Probability that the connection is closed without a response.
    #[arg(long, default_value_t = 0.0)]
    reset_probability: f64,

    /// Probability that a request stalls for --stall-ms before it gets a response.
    #[arg(long, default_value_t = 0.0)]
    stall_probability: f64,

    /// Stall length in milliseconds.
    #[arg(long, default_value_t = 0)]
    stall_ms: u64,

    /// Probability that a request's session or token is invalidated before it is handled.
    #[arg(long, default_value_t = 0.0)]
    invalidate_session_probability: f64,

    /// Invalidate the session or token once after this many authenticated requests.
    #[arg(long)]
    invalidate_session_after: Option<u32>,

    /// Apply faults to login, sign-in and OneAPI token calls too.
    #[arg(long)]
    faults_on_login: bool,

    /// OneAPI client id (default: generated from the seed, with a generated secret).
    #[arg(long)]
    oneapi_client_id: Option<String>,

    /// OneAPI client secret (needs --oneapi-client-id).
    #[arg(long)]
    oneapi_client_secret: Option<String>,

    /// PEM file of the RSA public key (at least 2048 bits) that verifies OneAPI client
    /// assertions (needs --oneapi-client-id).
    #[arg(long, value_name = "PATH")]
    oneapi_public_key: Option<PathBuf>,

    /// Lifetime of OneAPI access tokens in seconds.
    #[arg(long, default_value_t = 3600)]
    oneapi_token_lifetime_secs: u64,

    /// Reject legacy ZIA logins with the page of a tenant migrated to OneAPI.
    #[arg(long)]
    zia_migrated_to_oneapi: bool,
}

fn probability(name: &str, value: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("--{name} must be between 0.0 and 1.0, got {value}"))
    }
}

fn faults_of(args: &Args) -> Result<Faults, String> {
    Ok(Faults {
        rate_limit: probability("rate-limit-probability", args.rate_limit_probability)?,
        retry_after: args.retry_after_format,
        retry_after_secs: args.retry_after_secs,
        server_error: probability("server-error-probability", args.server_error_probability)?,
        unavailable: probability("unavailable-probability", args.unavailable_probability)?,
        reset_connection: probability("reset-probability", args.reset_probability)?,
        stall: (args.stall_ms > 0).then(|| Duration::from_millis(args.stall_ms)),
        stall_probability: probability("stall-probability", args.stall_probability)?,
        invalidate_session: probability(
            "invalidate-session-probability",
            args.invalidate_session_probability,
        )?,
        html_error: probability("html-error-probability", args.html_error_probability)?,
        every_nth_rate_limited: args.every_nth_rate_limited,
        invalidate_session_after: args.invalidate_session_after,
        faults_on_login: args.faults_on_login,
    })
}

/// Builds the OneAPI client from the flags; `None` keeps the generated one.
fn oneapi_client_of(args: &Args) -> Result<Option<OneApiCredentials>, String> {
    let Some(client_id) = args.oneapi_client_id.clone() else {
        if args.oneapi_client_secret.is_some() || args.oneapi_public_key.is_some() {
            return Err(
                "--oneapi-client-secret and --oneapi-public-key need --oneapi-client-id"
                    .to_string(),
            );
        }
        return Ok(None);
    };
    if args.oneapi_client_secret.is_none() && args.oneapi_public_key.is_none() {
        return Err(
            "--oneapi-client-id needs --oneapi-client-secret, --oneapi-public-key or both"
                .to_string(),
        );
    }
    let public_key_pem = match &args.oneapi_public_key {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|error| {
            format!(
                "reading the OneAPI public key {} failed: {error}",
                path.display()
            )
        })?),
        None => None,
    };
    Ok(Some(OneApiCredentials {
        client_id,
        client_secret: args.oneapi_client_secret.clone(),
        public_key_pem,
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let args = Args::parse();
    let faults = match faults_of(&args) {
        Ok(faults) => faults,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let oneapi_client = match oneapi_client_of(&args) {
        Ok(client) => client,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };

    let mut builder = Simulator::builder()
        .port(args.port)
        .seed(args.seed)
        .recorded_seed(!args.no_recorded_seed)
        .rate_limits(args.rate_limits)
        .rate_limit_config(RateLimitConfig {
            get_per_window: args.rate_limit_gets,
            write_per_window: args.rate_limit_writes,
            window: Duration::from_secs(args.rate_limit_window_secs),
        })
        .zia_session_idle_timeout(Duration::from_secs(args.session_idle_timeout_secs))
        .zpa_token_lifetime(Duration::from_secs(args.token_lifetime_secs))
        .oneapi_token_lifetime(Duration::from_secs(args.oneapi_token_lifetime_secs))
        .zia_migrated_to_oneapi(args.zia_migrated_to_oneapi)
        .latency(Duration::from_millis(args.latency_ms))
        .faults(faults);

    if let Some(client) = oneapi_client {
        builder = builder.oneapi_client(client);
    }
    if let Some(users) = args.zia_users {
        builder = builder.zia_users(users);
    }
    if let Some(segments) = args.zpa_segments {
        builder = builder.zpa_application_segments(segments);
    }

    let sim = match builder.start().await {
        Ok(sim) => sim,
        Err(error) if error.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
        Err(error) => {
            eprintln!("error: binding 127.0.0.1:{} failed: {error}", args.port);
            return ExitCode::FAILURE;
        }
    };

    let zia = sim.zia_credentials();
    let zpa = sim.zpa_credentials();
    println!("base URL:           {}", sim.base_url());
    println!("ZIA_USERNAME={}", zia.username);
    println!("ZIA_PASSWORD={}", zia.password);
    println!("ZIA_API_KEY={}", zia.api_key);
    println!("ZPA_CLIENT_ID={}", zpa.client_id);
    println!("ZPA_CLIENT_SECRET={}", zpa.client_secret);
    println!("ZPA_CUSTOMER_ID={}", zpa.customer_id);
    let oneapi = sim.oneapi_credentials();
    println!("OneAPI token URL:   {}", sim.oneapi_token_url());
    println!("OneAPI gateway URL: {}", sim.base_url());
    println!("ZSCALER_CLIENT_ID={}", oneapi.client_id);
    if let Some(secret) = &oneapi.client_secret {
        println!("ZSCALER_CLIENT_SECRET={secret}");
    }
    if let Some(path) = &args.oneapi_public_key {
        println!(
            "OneAPI client assertions verify against {}; set ZSCALER_PRIVATE_KEY to its private key",
            path.display()
        );
    }
    println!("ZSCALER_CUSTOMER_ID={}", zpa.customer_id);
    if args.zia_migrated_to_oneapi {
        println!("ZIA legacy logins are rejected: the tenant is migrated to OneAPI");
    }
    println!("serving until Ctrl-C");

    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("error: waiting for Ctrl-C failed: {error}");
        return ExitCode::FAILURE;
    }
    tracing::info!("simulator stopped");
    ExitCode::SUCCESS
}
