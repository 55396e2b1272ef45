//! Shared pieces of the generated route tests: a client aimed at a local mock server, the
//! expected request of one call, and the check that runs the call against a mock of it.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use httpmock::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A sample of every catalog model, built by the generator with every field set.
const SAMPLES: &str = include_str!("samples.json");

/// Returns the sample of a catalog model.
pub fn sample(model: &str) -> Value {
    static PARSED: OnceLock<serde_json::Map<String, Value>> = OnceLock::new();
    let samples =
        PARSED.get_or_init(|| serde_json::from_str(SAMPLES).expect("samples.json is valid JSON"));
    samples
        .get(model)
        .cloned()
        .unwrap_or_else(|| panic!("samples.json has no sample of {model}"))
}

/// Parses a JSON literal of the generated tests.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("invalid JSON {text}: {error}"))
}

/// Decodes a sample into the argument type of a call.
pub fn decode<T: DeserializeOwned>(value: Value, context: &str) -> T {
    serde_json::from_value(value)
        .unwrap_or_else(|error| panic!("{context}: the sample does not decode: {error}"))
}

/// One call under test, with its result encoded as JSON.
pub type Call<'a> = Pin<Box<dyn Future<Output = zscaler_core::Result<Value>> + 'a>>;

/// Wraps a call so that its result is encoded back to JSON.
pub fn call<'a, T: Serialize>(
    future: impl Future<Output = zscaler_core::Result<T>> + 'a,
) -> Call<'a> {
    Box::pin(async move {
        let value = future.await?;
        Ok(serde_json::to_value(value).expect("a decoded response encodes as JSON"))
    })
}

/// The request body a call must send.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
// @@ raw_body
    Raw(String, String),
// @@ end
}

/// The response the mock sends.
#[derive(Debug, Clone)]
enum Reply {
    Empty,
    Json(Value),
// @@ raw_reply
    Raw(Vec<u8>),
// @@ end
}

/// The credentials a call must carry.
#[derive(Debug, Clone, Copy)]
enum Credentials {
    Client,
    None,
    Bearer(&'static str),
}

/// The expected request of one call and the response it gets.
#[derive(Debug, Clone)]
pub struct Case {
    name: &'static str,
    method: String,
    path: String,
    query: Option<Vec<(String, String)>>,
    body: Body,
    status: u16,
    reply: Reply,
    expected: Value,
    credentials: Credentials,
    recorded: Option<Exchange>,
}

impl Case {
    /// Expects `method path` with no query, no body and the client's credentials, and
    /// replies 204 with no body.
    pub fn new(name: &'static str, method: &str, path: impl Into<String>) -> Self {
        Case {
            name,
            method: method.to_owned(),
            path: path.into(),
            query: Some(Vec::new()),
            body: Body::None,
            status: 200,
            reply: Reply::Empty,
            expected: Value::Null,
            credentials: Credentials::Client,
            recorded: None,
        }
    }

    /// Expects a query parameter.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        if let Some(query) = &mut self.query {
            query.push((name.to_owned(), value.to_owned()));
        }
        self
    }

// @@ get_back
    /// Expects the call to decode to `expected`, whatever the reply.
    pub fn expect(mut self, expected: Value) -> Self {
        self.expected = expected;
        self
    }

// @@ end
    /// Expects the recorded request body, null fields left out (the models drop them).
    pub fn recorded_request_body(self) -> Self {
        let body = self.exchange().request_body.clone();
        self.json_body(without_nulls(body))
    }

    /// Replies with the recorded body, which the call must return unchanged but for its null
    /// fields.
    pub fn reply_recorded(self) -> Self {
        let body = self.exchange().body.clone();
        let expected = without_nulls(body.clone());
        self.reply_envelope(body, expected)
    }

    /// Replies with the recorded body, which the call ignores.
    pub fn reply_recorded_ignored(mut self) -> Self {
        let body = self.exchange().body.clone();
        if body.is_object() || body.is_array() {
            self.reply = Reply::Json(body);
        }
        self.expected = Value::Null;
        self
    }

    fn exchange(&self) -> &Exchange {
        self.recorded
            .as_ref()
            .expect("a recorded case is made by Exchange::case")
    }

    /// Expects a JSON body.
    pub fn json_body(mut self, body: Value) -> Self {
        self.body = Body::Json(body);
        self
    }

    /// Expects the fields of `body` as a form: strings as they are, other values as JSON.
    pub fn form_body(mut self, body: &Value) -> Self {
        let fields = body
            .as_object()
            .expect("a form body sample is an object")
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| match value {
                Value::String(text) => (name.clone(), text.clone()),
                other => (name.clone(), other.to_string()),
            })
            .collect();
        self.body = Body::Form(fields);
        self
    }

// @@ raw_body
    /// Expects raw bytes with a content type.
    pub fn raw_body(mut self, content_type: &str, bytes: &[u8]) -> Self {
        let text = String::from_utf8(bytes.to_vec()).expect("raw test bodies are text");
        self.body = Body::Raw(content_type.to_owned(), text);
        self
    }

// @@ end
    /// Replies with a JSON payload, which the call must decode and encode back unchanged.
    pub fn reply(mut self, payload: Value) -> Self {
        self.expected = payload.clone();
        self.reply = Reply::Json(payload);
        self
    }

    /// Replies with a JSON envelope whose items the call must return: `expected` is what the
    /// decoded result encodes to.
    pub fn reply_envelope(mut self, envelope: Value, expected: Value) -> Self {
        self.reply = Reply::Json(envelope);
        self.expected = expected;
        self
    }

// @@ raw_reply
    /// Replies with raw bytes, which the call must return as they are.
    pub fn reply_raw(mut self, bytes: &[u8]) -> Self {
        self.expected = serde_json::to_value(bytes).expect("bytes encode");
        self.reply = Reply::Raw(bytes.to_vec());
        self
    }

// @@ end
    /// Expects no credentials of the client.
    pub fn no_credentials(mut self) -> Self {
        self.credentials = Credentials::None;
        self
    }

    /// Expects `Authorization: Bearer <token>`.
    pub fn bearer(mut self, token: &'static str) -> Self {
        self.credentials = Credentials::Bearer(token);
        self
    }
}

/// Returns the decoded query pairs of a request, sorted.
fn query_pairs(request: &HttpMockRequest) -> Vec<(String, String)> {
    let uri = request.uri();
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(
        uri.query().unwrap_or_default().as_bytes(),
    )
    .into_owned()
    .collect();
    pairs.sort();
    pairs
}

/// Returns true when the request carries the client's credentials.
fn has_client_credentials(request: &HttpMockRequest) -> bool {
    request.headers().contains_key(CLIENT_CREDENTIAL_HEADER)
}

/// Mocks the expected request, runs the call and checks that it sent exactly that request
/// once and that its result encodes back to the payload.
pub async fn check(server: &MockServer, case: Case, call: Call<'_>) {
    let expected_query = case.query.clone().map(|mut query| {
        query.sort();
        query
    });
    let mock = server
        .mock_async(|when, then| {
            let when = when
                .method(case.method.as_str())
                .path(case.path.as_str())
                .is_true(move |request| {
                    expected_query
                        .as_ref()
                        .is_none_or(|query| query_pairs(request) == *query)
                });
            let when = match &case.body {
                Body::None => when,
                Body::Json(body) => when.json_body(body.clone()),
                Body::Form(fields) => {
                    let mut when =
                        when.header("content-type", "application/x-www-form-urlencoded");
                    for (name, value) in fields {
                        when = when.form_urlencoded_tuple(name, value);
                    }
                    when
                }
// @@ raw_body
                Body::Raw(content_type, bytes) => {
                    when.header("content-type", content_type).body(bytes.as_str())
                }
// @@ end
            };
            match case.credentials {
                Credentials::Client => {
                    when.is_true(has_client_credentials);
                }
                Credentials::None => {
                    when.header_missing("authorization").header_missing("cookie");
                }
                Credentials::Bearer(token) => {
                    when.header("authorization", format!("Bearer {token}"));
                }
            }
            match &case.reply {
                Reply::Empty => {
                    then.status(if case.status == 200 { 204 } else { case.status });
                }
                Reply::Json(payload) => {
                    then.status(case.status)
                        .header("content-type", "application/json")
                        .body(payload.to_string());
                }
// @@ raw_reply
                Reply::Raw(bytes) => {
                    then.status(200)
                        .header("content-type", "application/octet-stream")
                        .body(bytes);
                }
// @@ end
            }
        })
        .await;
    let result = call.await;
    let calls = mock.calls_async().await;
    mock.delete_async().await;
    let value = result.unwrap_or_else(|error| {
        panic!(
            "{}: the call failed ({calls} matching requests): {error}",
            case.name
        )
    });
    assert_eq!(
        calls, 1,
        "{}: expected exactly one matching request",
        case.name
    );
    // A recorded payload may hold nulls, which the models drop but `extra` keeps; neither
    // changes what the API receives.
    let value = match case.recorded {
        Some(_) => without_nulls(value),
        None => value,
    };
    assert_eq!(
        value, case.expected,
        "{}: the decoded response does not encode back to the payload",
        case.name
    );
}
/// Returns `value` without the null fields of its objects, at any depth.
pub fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| (name, without_nulls(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

// @@ get_back
/// Mocks `GET path` replying `payload`.
pub async fn mock_get<'a>(server: &'a MockServer, path: &str, payload: Value) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(GET).path(path);
            then.status(200)
                .header("content-type", "application/json")
                .body(payload.to_string());
        })
        .await
}

// @@ end
/// A recording of real exchanges, in the format of `tests/fixtures/recorded/`.
pub struct Recorded {
    exchanges: Vec<Value>,
}

impl Recorded {
    /// Parses a recording.
    pub fn parse(text: &str) -> Self {
        let recording: Value = serde_json::from_str(text).expect("a recording is valid JSON");
        let exchanges = recording["exchanges"]
            .as_array()
            .cloned()
            .expect("a recording has exchanges");
        Recorded { exchanges }
    }

    /// Returns one exchange.
    pub fn exchange(&self, index: usize) -> Exchange {
        let exchange = &self.exchanges[index];
        Exchange {
            method: exchange["method"].as_str().expect("a method").to_owned(),
            path: exchange["path"].as_str().expect("a path").to_owned(),
            status: exchange["status"]
                .as_u64()
                .and_then(|status| u16::try_from(status).ok())
                .expect("a status"),
            request_body: exchange["request_body"].clone(),
            body: exchange["body"].clone(),
        }
    }
}

/// One recorded request and response.
#[derive(Debug, Clone)]
pub struct Exchange {
    method: String,
    path: String,
    status: u16,
    /// The recorded request body.
    pub request_body: Value,
    body: Value,
}

impl Exchange {
    /// Expects the recorded method and path, with any query, and replies with the recorded
    /// status.
    pub fn case(&self, name: &'static str) -> Case {
        let mut case = Case::new(name, &self.method, self.path.as_str());
        case.query = None;
        case.status = self.status;
        case.recorded = Some(self.clone());
        case
    }
}
// @@ zia

/// Header that carries the ZIA session.
const CLIENT_CREDENTIAL_HEADER: &str = "cookie";

/// Returns a client aimed at `server`, with a login mock that accepts any login.
pub async fn client(server: &MockServer) -> zscaler_zia::ZiaClient {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v1/authenticatedSession");
            then.status(200)
                .header("content-type", "application/json")
                .header("set-cookie", "JSESSIONID=generated-route-tests; Path=/")
                .body("{}");
        })
        .await;
    zscaler_zia::ZiaClient::builder()
        .username("admin@example.com")
        .password("not-a-real-password")
        .api_key("0123456789abcdef")
        .base_url(server.base_url())
        .rate_limit(zscaler_core::RateLimitSettings::disabled())
        .retry(zscaler_core::RetryPolicy::none())
        .build()
        .expect("valid test settings")
}
// @@ end
// @@ zpa

impl Case {
    /// Replies with the recorded ZPA page, whose `list` the call must return.
    pub fn reply_recorded_list(self) -> Self {
        let body = self.exchange().body.clone();
        let items = body
            .get("list")
            .cloned()
            .unwrap_or_else(|| Value::Array(Vec::new()));
        self.reply_envelope(body, without_nulls(items))
    }
}

/// Header that carries the ZPA token.
const CLIENT_CREDENTIAL_HEADER: &str = "authorization";

/// The customer id of the test tenant.
pub const CUSTOMER_ID: &str = "216196257331281920";

/// Returns a client of the test tenant aimed at `server`, with a sign-in mock that returns a
/// token valid for an hour.
pub async fn client(server: &MockServer) -> zscaler_zpa::ZpaClient {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"routes","exp":{}}}"#, now + 3600));
    let token = format!("{header}.{claims}.c2lnbmF0dXJl");
    server
        .mock_async(|when, then| {
            when.method(POST).path("/signin");
            then.status(200)
                .header("content-type", "application/json")
                .body(
                    serde_json::json!({
                        "token_type": "Bearer",
                        "access_token": token,
                        "expires_in": "3600"
                    })
                    .to_string(),
                );
        })
        .await;
    zscaler_zpa::ZpaClient::builder()
        .client_id("route-tests")
        .client_secret("not-a-real-secret")
        .customer_id(CUSTOMER_ID)
        .base_url(server.base_url())
        .rate_limit(zscaler_core::RateLimitSettings::disabled())
        .retry(zscaler_core::RetryPolicy::none())
        .build()
        .expect("valid test settings")
}
// @@ end
