//! End-to-end checks of the simulated OneAPI: tokens by client secret and by signed client
//! assertion, the `/zia` and `/zpa` gateway paths, token expiry and the partner id. A migrated
//! ZIA tenant rejects legacy logins.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{client, json_of, zia_login_response, zpa_signin};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Client, Response};
use serde_json::{Value, json};
use zscaler_core::oneapi::{ClientCredential, OneApiAuth, PrivateKey};
use zscaler_core::{CacheSettings, Product, Request, Service, Transport, TransportConfig};
use zscaler_sim::{Faults, OneApiClientAuth, OneApiCredentials, Simulator};

const PRIVATE_KEY: &str = include_str!("fixtures/rsa2048.pem");
const PUBLIC_KEY: &str = include_str!("fixtures/rsa2048.pub.pem");
const AUDIENCE: &str = "https://api.zscaler.com";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CLIENT_ID: &str = "oneapi-test-client";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Returns the claims the SDK signs: `iss` = `sub` = client id, the OneAPI audience, `iat`
/// now, `exp` ten minutes later and a `jti`.
fn assertion_claims() -> Value {
    let issued = now();
    json!({
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": AUDIENCE,
        "iat": issued,
        "exp": issued + 600,
        "jti": "5f0c2a9b7d3e41c8",
    })
}

fn sign(claims: &Value) -> String {
    let key = EncodingKey::from_rsa_pem(PRIVATE_KEY.as_bytes()).expect("test private key");
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), claims, &key).expect("signing")
}

/// Starts a simulator whose OneAPI client has a secret and the test public key.
async fn start_with_key() -> Simulator {
    Simulator::builder()
        .oneapi_client(OneApiCredentials {
            client_id: CLIENT_ID.to_string(),
            client_secret: Some("test-client-secret".to_string()),
            public_key_pem: Some(PUBLIC_KEY.to_string()),
        })
        .start()
        .await
        .expect("start")
}

async fn token_request(sim: &Simulator, client: &Client, fields: &[(&str, &str)]) -> Response {
    client
        .post(sim.oneapi_token_url())
        .form(fields)
        .send()
        .await
        .expect("token request")
}

async fn assertion_request(sim: &Simulator, client: &Client, assertion: &str) -> Response {
    token_request(
        sim,
        client,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("audience", AUDIENCE),
            ("client_assertion", assertion),
            ("client_assertion_type", ASSERTION_TYPE),
        ],
    )
    .await
}

/// Requests a token with the simulator's client secret and returns the access token.
async fn secret_token(sim: &Simulator, client: &Client) -> String {
    let credentials = sim.oneapi_credentials();
    let secret = credentials.client_secret.expect("the client has a secret");
    let response = token_request(
        sim,
        client,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", secret.as_str()),
            ("audience", AUDIENCE),
        ],
    )
    .await;
    assert_eq!(response.status(), 200, "token status");
    json_of(response).await["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

/// Asserts an OAuth2 error response and returns its description.
async fn oauth_error(response: Response, status: u16, error: &str) -> String {
    assert_eq!(response.status(), status);
    let body = json_of(response).await;
    assert_eq!(body["error"], error, "{body}");
    body["error_description"]
        .as_str()
        .expect("error_description")
        .to_string()
}

fn gateway_zpa_base(sim: &Simulator) -> String {
    format!(
        "{}/zpa/mgmtconfig/v1/admin/customers/{}",
        sim.base_url(),
        sim.zpa_credentials().customer_id
    )
}

async fn get(client: &Client, url: &str, token: &str) -> Response {
    client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("gateway request")
}

#[tokio::test]
async fn token_with_client_secret() {
    let sim = Simulator::builder()
        .oneapi_token_lifetime(Duration::from_secs(83_999))
        .start()
        .await
        .expect("start");
    let client = client();
    let credentials = sim.oneapi_credentials();
    let secret = credentials.client_secret.clone().expect("generated secret");
    assert!(credentials.public_key_pem.is_none());
    assert!(
        !format!("{credentials:?}").contains(&secret),
        "Debug masks the secret"
    );

    let response = token_request(
        &sim,
        &client,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", secret.as_str()),
            ("audience", AUDIENCE),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 83_999, "expires_in is a number");
    let token = body["access_token"].as_str().expect("access_token");
    assert_eq!(token.split('.').count(), 3, "the token is a JWT");

    assert_eq!(sim.oneapi_token_requests(), 1);
    let log = sim.oneapi_token_request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].client_auth, OneApiClientAuth::ClientSecret);
    assert_eq!(
        log[0].client_id.as_deref(),
        Some(credentials.client_id.as_str())
    );
    assert_eq!(log[0].audience.as_deref(), Some(AUDIENCE));
    assert_eq!(log[0].status, 200);
    let recorded = sim.requests()[0].body.clone().expect("recorded form");
    assert_eq!(recorded["client_secret"], "[masked]");
    assert!(!recorded.to_string().contains(&secret));
}

#[tokio::test]
async fn default_client_follows_seed() {
    let first = Simulator::builder().seed(9).start().await.expect("start");
    let again = Simulator::builder().seed(9).start().await.expect("start");
    let other = Simulator::builder().seed(10).start().await.expect("start");
    assert_eq!(first.oneapi_credentials(), again.oneapi_credentials());
    assert_ne!(first.oneapi_credentials(), other.oneapi_credentials());
    assert_eq!(first.zia_credentials(), again.zia_credentials());
}

#[tokio::test]
async fn token_with_valid_assertion() {
    let sim = start_with_key().await;
    let client = client();
    let claims = assertion_claims();
    let response = assertion_request(&sim, &client, &sign(&claims)).await;
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().expect("access_token");

    assert_eq!(sim.last_assertion_claims(), Some(claims));
    let log = sim.oneapi_token_request_log();
    assert_eq!(log[0].client_auth, OneApiClientAuth::ClientAssertion);
    assert_eq!(log[0].client_auth.as_str(), "client_assertion");
    assert_eq!(
        log[0].client_assertion_type.as_deref(),
        Some(ASSERTION_TYPE)
    );
    let recorded = sim.requests()[0].body.clone().expect("recorded form");
    assert_eq!(recorded["client_assertion"], "[masked]");

    let users = get(
        &client,
        &format!("{}/zia/api/v1/users", sim.base_url()),
        token,
    )
    .await;
    assert_eq!(
        users.status(),
        200,
        "the assertion token works on the gateway"
    );
}

#[tokio::test]
async fn tampered_signature_rejected() {
    let sim = start_with_key().await;
    let client = client();
    let assertion = sign(&assertion_claims());
    let signature_start = assertion.rfind('.').expect("JWT has a signature") + 1;
    let position = signature_start + (assertion.len() - signature_start) / 2;
    let mut bytes = assertion.into_bytes();
    bytes[position] = if bytes[position] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).expect("ASCII JWT");

    let response = assertion_request(&sim, &client, &tampered).await;
    let description = oauth_error(response, 401, "invalid_client").await;
    assert!(description.contains("signature"), "{description}");
    assert_eq!(sim.oneapi_token_request_log()[0].status, 401);
}

#[tokio::test]
async fn wrong_audience_rejected() {
    let sim = start_with_key().await;
    let client = client();
    let mut claims = assertion_claims();
    claims["aud"] = json!("https://api.example.com");
    let response = assertion_request(&sim, &client, &sign(&claims)).await;
    let description = oauth_error(response, 401, "invalid_client").await;
    assert!(description.contains("aud"), "{description}");
    assert!(
        description.contains("https://api.example.com"),
        "{description}"
    );
    assert_eq!(
        sim.last_assertion_claims().expect("claims")["aud"],
        "https://api.example.com",
        "rejected assertions are recorded too"
    );
}

#[tokio::test]
async fn expired_assertion_rejected() {
    let sim = start_with_key().await;
    let client = client();
    let mut claims = assertion_claims();
    claims["iat"] = json!(now() - 1200);
    claims["exp"] = json!(now() - 600);
    let response = assertion_request(&sim, &client, &sign(&claims)).await;
    let description = oauth_error(response, 401, "invalid_client").await;
    assert!(description.contains("expired"), "{description}");
}

#[tokio::test]
async fn other_assertion_claims_rejected() {
    let sim = start_with_key().await;
    let client = client();
    // (claim, value, word expected in the description)
    let cases = [
        ("iss", json!("someone-else"), "iss"),
        ("sub", json!("someone-else"), "sub"),
        ("exp", json!(now() + 3 * 3600), "at most"),
    ];
    for (claim, value, word) in cases {
        let mut claims = assertion_claims();
        claims[claim] = value;
        let response = assertion_request(&sim, &client, &sign(&claims)).await;
        let description = oauth_error(response, 401, "invalid_client").await;
        assert!(description.contains(word), "{claim}: {description}");
    }
    let response = assertion_request(&sim, &client, "not-a-jwt").await;
    let description = oauth_error(response, 401, "invalid_client").await;
    assert!(description.contains("well-formed"), "{description}");
}

#[tokio::test]
async fn assertion_without_registered_key_rejected() {
    let sim = Simulator::builder()
        .oneapi_client(OneApiCredentials {
            client_id: CLIENT_ID.to_string(),
            client_secret: Some("only-a-secret".to_string()),
            public_key_pem: None,
        })
        .start()
        .await
        .expect("start");
    let client = client();
    let response = assertion_request(&sim, &client, &sign(&assertion_claims())).await;
    let description = oauth_error(response, 401, "invalid_client").await;
    assert!(description.contains("no public key"), "{description}");
}

/// Fields of a token request form.
type Form<'a> = Vec<(&'a str, &'a str)>;

#[tokio::test]
async fn bad_client_rejected() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let credentials = sim.oneapi_credentials();
    let id = credentials.client_id.as_str();
    let secret = credentials.client_secret.clone().expect("generated secret");
    // (form, status, error, word expected in the description)
    let cases: [(Form, u16, &str, &str); 7] = [
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", "wrong"),
                ("audience", AUDIENCE),
            ],
            401,
            "invalid_client",
            "client_secret",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", "unknown-client"),
                ("client_secret", secret.as_str()),
                ("audience", AUDIENCE),
            ],
            401,
            "invalid_client",
            "unknown-client",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("audience", AUDIENCE),
            ],
            401,
            "invalid_client",
            "client_secret",
        ),
        (
            vec![
                ("client_id", id),
                ("client_secret", secret.as_str()),
                ("audience", AUDIENCE),
            ],
            400,
            "invalid_request",
            "grant_type",
        ),
        (
            vec![
                ("grant_type", "password"),
                ("client_id", id),
                ("client_secret", secret.as_str()),
                ("audience", AUDIENCE),
            ],
            400,
            "invalid_request",
            "password",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret.as_str()),
            ],
            400,
            "invalid_request",
            "audience",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret.as_str()),
                ("audience", "https://api.example.com"),
            ],
            400,
            "invalid_request",
            "audience",
        ),
    ];
    for (form, status, error, word) in cases {
        let response = token_request(&sim, &client, &form).await;
        let description = oauth_error(response, status, error).await;
        assert!(description.contains(word), "{form:?}: {description}");
    }
    assert_eq!(sim.oneapi_token_requests(), 7);

    let json_body = client
        .post(sim.oneapi_token_url())
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .expect("token request");
    let description = oauth_error(json_body, 400, "invalid_request").await;
    assert!(description.contains("form"), "{description}");
}

#[tokio::test]
async fn gateway_serves_zia_and_zpa() {
    let sim = Simulator::builder()
        .zia_users(30)
        .zpa_application_segments(25)
        .start()
        .await
        .expect("start");
    let client = client();
    let token = secret_token(&sim, &client).await;

    let users_url = format!("{}/zia/api/v1/users?page=1&pageSize=10", sim.base_url());
    let users = get(&client, &users_url, &token).await;
    assert_eq!(users.status(), 200);
    assert_eq!(
        json_of(users).await.as_array().expect("bare array").len(),
        10
    );

    let segments_url = format!("{}/application?pagesize=20", gateway_zpa_base(&sim));
    let segments = json_of(get(&client, &segments_url, &token).await).await;
    assert_eq!(segments["totalCount"], "25");
    assert_eq!(segments["totalPages"], "2");

    let created = client
        .post(format!("{}/zia/api/v1/ruleLabels", sim.base_url()))
        .bearer_auth(&token)
        .json(&json!({"name": "through the gateway"}))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 200);
    let labels = sim.zia_collection("/ruleLabels");
    assert!(
        labels
            .iter()
            .any(|label| label["name"] == "through the gateway"),
        "the gateway writes the same tenant as the legacy paths"
    );
    assert_eq!(sim.zia_activation_status(), "PENDING");
    let status = json_of(
        get(
            &client,
            &format!("{}/zia/api/v1/status", sim.base_url()),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(status["status"], "PENDING");

    let missing = get(
        &client,
        &format!("{}/zia/api/v1/users/987654321", sim.base_url()),
        &token,
    )
    .await;
    assert_eq!(missing.status(), 404);
    assert_eq!(json_of(missing).await["code"], "RESOURCE_NOT_FOUND");
}

#[tokio::test]
async fn gateway_needs_oneapi_token() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let users_url = format!("{}/zia/api/v1/users", sim.base_url());

    let anonymous = client.get(&users_url).send().await.expect("request");
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    assert_eq!(json_of(anonymous).await["error"], "invalid_token");

    let zpa_token = zpa_signin(&sim, &client).await;
    let legacy_token = get(&client, &users_url, &zpa_token).await;
    assert_eq!(legacy_token.status(), 401, "a ZPA token is no OneAPI token");

    let token = secret_token(&sim, &client).await;
    let legacy_path = format!(
        "{}/mgmtconfig/v1/admin/customers/{}/segmentGroup",
        sim.base_url(),
        sim.zpa_credentials().customer_id
    );
    let on_legacy = get(&client, &legacy_path, &token).await;
    assert_eq!(on_legacy.status(), 401, "legacy paths need a ZPA token");

    let session = client
        .post(format!(
            "{}/zia/api/v1/authenticatedSession",
            sim.base_url()
        ))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(session.status(), 404, "the gateway has no ZIA sessions");

    let signin = client
        .post(format!("{}/zpa/signin", sim.base_url()))
        .send()
        .await
        .expect("request");
    assert_eq!(signin.status(), 404, "the gateway has no ZPA sign-in");
}

#[tokio::test]
async fn expired_token_answers_401() {
    let sim = Simulator::builder()
        .oneapi_token_lifetime(Duration::from_millis(500))
        .start()
        .await
        .expect("start");
    let client = client();
    let url = format!("{}/segmentGroup", gateway_zpa_base(&sim));
    let token = secret_token(&sim, &client).await;
    assert_eq!(get(&client, &url, &token).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(get(&client, &url, &token).await.status(), 401, "expired");

    let fresh = secret_token(&sim, &client).await;
    assert_eq!(get(&client, &url, &fresh).await.status(), 200);
    sim.expire_oneapi_tokens();
    assert_eq!(get(&client, &url, &fresh).await.status(), 401, "revoked");
    assert_eq!(sim.oneapi_token_requests(), 2);
}

#[tokio::test]
async fn partner_id_recorded() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    assert_eq!(sim.last_partner_id(), None);
    let token = secret_token(&sim, &client).await;
    let response = client
        .get(format!("{}/zia/api/v1/status", sim.base_url()))
        .bearer_auth(&token)
        .header("x-partner-id", "partner-42")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert_eq!(sim.last_partner_id().as_deref(), Some("partner-42"));
    let requests = sim.requests();
    assert_eq!(requests[0].partner_id, None, "the token request had none");
    assert_eq!(requests[1].partner_id.as_deref(), Some("partner-42"));

    sim.clear_requests();
    assert_eq!(sim.last_partner_id(), None);
    assert_eq!(sim.oneapi_token_requests(), 0);
}

#[tokio::test]
async fn migrated_tenant_rejects_legacy_login() {
    let sim = Simulator::builder()
        .zia_migrated_to_oneapi(true)
        .start()
        .await
        .expect("start");
    let client = client();
    let response = zia_login_response(&sim, &client).await;
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("set-cookie").is_none());
    let content_type = response
        .headers()
        .get("content-type")
        .expect("content type")
        .to_str()
        .expect("text")
        .to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let body = response.text().await.expect("body");
    assert!(serde_json::from_str::<Value>(&body).is_err(), "not JSON");
    assert!(body.contains("only through Zscaler OneAPI"), "{body}");

    let token = secret_token(&sim, &client).await;
    let users = get(
        &client,
        &format!("{}/zia/api/v1/users", sim.base_url()),
        &token,
    )
    .await;
    assert_eq!(users.status(), 200, "the gateway still works");
}

#[tokio::test]
async fn gateway_keeps_faults_and_edit_lock() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = secret_token(&sim, &client).await;
    let labels_url = format!("{}/zia/api/v1/ruleLabels", sim.base_url());

    sim.hold_zia_edit_lock(true);
    let locked = client
        .post(&labels_url)
        .bearer_auth(&token)
        .json(&json!({"name": "locked"}))
        .send()
        .await
        .expect("request");
    assert_eq!(locked.status(), 409);
    assert_eq!(json_of(locked).await["code"], "EDIT_LOCK_NOT_AVAILABLE");
    sim.hold_zia_edit_lock(false);

    sim.set_faults(Faults {
        rate_limit: 1.0,
        ..Faults::default()
    });
    let limited = get(&client, &labels_url, &token).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "1");
    let token_call = token_request(&sim, &client, &[("grant_type", "client_credentials")]).await;
    assert_eq!(
        token_call.status(),
        400,
        "token calls are exempt by default"
    );

    sim.set_faults(Faults {
        rate_limit: 1.0,
        faults_on_login: true,
        ..Faults::default()
    });
    let token_call = token_request(&sim, &client, &[("grant_type", "client_credentials")]).await;
    let description = oauth_error(token_call, 429, "too_many_requests").await;
    assert!(description.contains("retry"), "{description}");

    sim.set_faults(Faults {
        invalidate_session_after: Some(1),
        ..Faults::default()
    });
    assert_eq!(get(&client, &labels_url, &token).await.status(), 200);
    assert_eq!(
        get(&client, &labels_url, &token).await.status(),
        401,
        "the fault revokes the OneAPI token"
    );
}

#[tokio::test]
async fn invalid_client_settings_fail_start() {
    let no_credential = Simulator::builder()
        .oneapi_client(OneApiCredentials {
            client_id: CLIENT_ID.to_string(),
            client_secret: None,
            public_key_pem: None,
        })
        .start()
        .await
        .expect_err("neither secret nor key");
    assert_eq!(no_credential.kind(), std::io::ErrorKind::InvalidInput);
    assert!(
        no_credential.to_string().contains(CLIENT_ID),
        "{no_credential}"
    );

    let bad_key = Simulator::builder()
        .oneapi_client(OneApiCredentials {
            client_id: CLIENT_ID.to_string(),
            client_secret: None,
            public_key_pem: Some(PRIVATE_KEY.to_string()),
        })
        .start()
        .await
        .expect_err("a private key is no public key");
    assert_eq!(bad_key.kind(), std::io::ErrorKind::InvalidInput);
    assert!(
        bad_key.to_string().contains("not an RSA public key"),
        "{bad_key}"
    );
}

/// Builds a core service for one product behind the simulator's gateway prefix, sending
/// `x-partner-id` on every request.
fn sdk_service(sim: &Simulator, product: Product, prefix: &str, auth: Arc<OneApiAuth>) -> Service {
    let mut config = TransportConfig::new(
        product,
        "zscaler-sim-tests",
        "0.0.0",
        format!("{}{prefix}", sim.base_url()),
    );
    config.default_headers.insert(
        "x-partner-id",
        reqwest::header::HeaderValue::from_static("partner-7"),
    );
    let transport = Transport::new(config).expect("transport");
    Service::new(transport, auth, &CacheSettings::default(), "sim")
}

#[tokio::test]
async fn core_authenticator_round_trip() {
    let sim = start_with_key().await;
    let key = PrivateKey::parse(PRIVATE_KEY).expect("test private key");
    let auth = Arc::new(OneApiAuth::new(
        CLIENT_ID,
        ClientCredential::PrivateKey(Arc::new(key)),
        sim.oneapi_token_url(),
    ));
    let zia = sdk_service(&sim, Product::Zia, "/zia", Arc::clone(&auth));
    let zpa = sdk_service(&sim, Product::Zpa, "/zpa", Arc::clone(&auth));

    let users: Value = zia
        .json(&Request::get("/api/v1/users"))
        .await
        .expect("ZIA users through the gateway");
    assert!(users.is_array());
    let groups_path = format!(
        "/mgmtconfig/v1/admin/customers/{}/segmentGroup",
        sim.zpa_credentials().customer_id
    );
    let groups: Value = zpa
        .json(&Request::get(groups_path.as_str()))
        .await
        .expect("ZPA segment groups through the gateway");
    assert!(groups.get("totalPages").is_some(), "{groups}");
    assert_eq!(
        sim.oneapi_token_requests(),
        1,
        "ZIA and ZPA share one token"
    );

    let claims = sim
        .last_assertion_claims()
        .expect("the SDK sent an assertion");
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    assert_eq!(claims["aud"], AUDIENCE);
    assert!(claims["jti"].is_string(), "{claims}");
    let log = sim.oneapi_token_request_log();
    assert_eq!(log[0].client_auth, OneApiClientAuth::ClientAssertion);
    assert_eq!(log[0].partner_id.as_deref(), Some("partner-7"));
    assert_eq!(sim.last_partner_id().as_deref(), Some("partner-7"));

    sim.expire_oneapi_tokens();
    let again: Value = zia
        .json(&Request::get("/api/v1/users"))
        .await
        .expect("the SDK fetches a new token after a 401");
    assert!(again.is_array());
    assert_eq!(sim.oneapi_token_requests(), 2);
}
