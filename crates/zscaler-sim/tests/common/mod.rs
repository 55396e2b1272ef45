//! Helpers shared by the integration tests: an HTTP client and login calls for both products.

#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::{Client, Response};
use serde_json::{Value, json};
use zscaler_sim::{Simulator, obfuscate_api_key};

/// Returns a client that never uses a proxy, so every request goes to the loopback simulator.
pub fn client() -> Client {
    Client::builder()
        .no_proxy()
        .build()
        .expect("building a reqwest client without a proxy")
}

/// Logs in to ZIA and returns the `Cookie` header value carrying the session.
pub async fn zia_login(sim: &Simulator, client: &Client) -> String {
    let response = zia_login_response(sim, client).await;
    assert_eq!(response.status(), 200, "ZIA login status");
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("login sets a cookie")
        .to_str()
        .expect("cookie is text")
        .to_string();
    let session = cookie
        .split(';')
        .next()
        .expect("cookie has a name=value part");
    assert!(session.starts_with("JSESSIONID="), "cookie {cookie}");
    session.to_string()
}

/// Sends the ZIA login request with the simulator's credentials.
pub async fn zia_login_response(sim: &Simulator, client: &Client) -> Response {
    let credentials = sim.zia_credentials();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis()
        .to_string();
    let api_key =
        obfuscate_api_key(&credentials.api_key, &timestamp).expect("generated key is long enough");
    client
        .post(format!("{}/api/v1/authenticatedSession", sim.base_url()))
        .json(&json!({
            "apiKey": api_key,
            "username": credentials.username,
            "password": credentials.password,
            "timestamp": timestamp
        }))
        .send()
        .await
        .expect("login request")
}

/// Sends a ZIA request with the session cookie and an optional JSON body.
pub async fn zia(
    client: &Client,
    sim: &Simulator,
    cookie: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Response {
    let url = format!("{}/api/v1{}", sim.base_url(), path);
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
    let mut request = client.request(method, url).header("cookie", cookie);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("ZIA request")
}

/// Signs in to ZPA and returns the bearer token.
pub async fn zpa_signin(sim: &Simulator, client: &Client) -> String {
    let credentials = sim.zpa_credentials();
    let response = client
        .post(format!("{}/signin", sim.base_url()))
        .form(&[
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", credentials.client_secret.as_str()),
        ])
        .send()
        .await
        .expect("sign-in request");
    assert_eq!(response.status(), 200, "ZPA sign-in status");
    let body: Value = response.json().await.expect("sign-in JSON");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

/// Returns the customer base of ZPA management paths.
pub fn zpa_base(sim: &Simulator) -> String {
    format!(
        "{}/mgmtconfig/v1/admin/customers/{}",
        sim.base_url(),
        sim.zpa_credentials().customer_id
    )
}

/// Sends a ZPA request to `url` with the bearer token and an optional JSON body.
pub async fn zpa(
    client: &Client,
    token: &str,
    method: &str,
    url: &str,
    body: Option<Value>,
) -> Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
    let mut request = client.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("ZPA request")
}

/// Reads a response body as JSON.
pub async fn json_of(response: Response) -> Value {
    response.json().await.expect("JSON body")
}
