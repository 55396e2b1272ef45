//! Replays recorded ZPA exchanges: for each one the SDK must send the recorded method, path,
//! query and body, and decode the recorded response into a model that encodes back to the
//! same JSON, field for field.

mod common;

use std::fmt::Debug;
use std::sync::atomic::Ordering;

use httpmock::{Method, MockServer};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use zscaler_zpa::app_connector_groups::AppConnectorGroup;
use zscaler_zpa::application_segments::ApplicationSegment;
use zscaler_zpa::segment_groups::SegmentGroup;
use zscaler_zpa::server_groups::ServerGroup;
use zscaler_zpa::{ZpaClient, ZpaResource};

use common::{CUSTOMER_ID, client, mock_signin_sequence};

#[derive(Debug, Deserialize)]
struct Recording {
    source: String,
    exchanges: Vec<Exchange>,
}

#[derive(Debug, Clone, Deserialize)]
struct Exchange {
    method: String,
    host_kind: String,
    path: String,
    query: Vec<(String, String)>,
    request_body: Value,
    status: u16,
    headers: Map<String, Value>,
    body: Value,
}

impl Exchange {
    /// Returns the recorded request body, or `None` when the request had none. The recordings
    /// give GET and DELETE requests `{}` or `""` as their body.
    fn sent_body(&self) -> Option<Value> {
        let empty = self.request_body == json!({}) || self.request_body == json!("");
        if empty && matches!(self.method.as_str(), "GET" | "DELETE") {
            return None;
        }
        Some(self.request_body.clone())
    }

    /// Returns the collection name and the item id of the path.
    fn target(&self) -> (String, Option<String>) {
        let prefix = format!("/mgmtconfig/v1/admin/customers/{CUSTOMER_ID}/");
        let rest = self
            .path
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("unexpected path {}", self.path));
        let mut parts = rest.split('/');
        let collection = parts.next().expect("a collection").to_owned();
        (collection, parts.next().map(str::to_owned))
    }

    fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

fn load(name: &str) -> Recording {
    let path = format!(
        "{}/tests/fixtures/recorded/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Removes `null` members at any depth. The recording's client sent explicit nulls for unset
/// fields; this SDK leaves unset fields out, which ZPA treats the same.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, field)| !field.is_null())
                .map(|(key, field)| (key.clone(), without_nulls(field)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Mounts a mock that returns the recorded response of `exchange` only when the request carries `token`, exactly the
/// recorded query (plus `page` and `pagesize` on list calls) and the recorded body.
async fn mount<'a>(
    server: &'a MockServer,
    exchange: &Exchange,
    token: &str,
    is_list: bool,
) -> httpmock::Mock<'a> {
    let expected_query = exchange.query.clone();
    let expected_body = exchange.sent_body().map(|body| without_nulls(&body));
    let method: Method = exchange.method.parse().expect("HTTP method");
    let authorization = format!("Bearer {token}");
    server
        .mock_async(|when, then| {
            let mut when = when
                .method(method)
                .path(exchange.path.as_str())
                .header("authorization", authorization);
            let expects_body = expected_body.is_some();
            when = when.is_true(move |request| {
                let mut sent = request.query_params();
                if is_list {
                    sent.retain(|(name, _)| name != "page" && name != "pagesize");
                }
                sent == expected_query && (expects_body || request.body_ref().is_empty())
            });
            if let Some(body) = expected_body {
                when.json_body(body);
            }
            let mut then = then.status(exchange.status);
            for (name, value) in &exchange.headers {
                then = then.header(name.as_str(), value.as_str().expect("header text"));
            }
            if exchange.body != json!("") {
                then.body(exchange.body.to_string());
            }
        })
        .await
}

/// Top-level fields of the recordings that the models deliberately leave in `extra`. Any
/// other field found there means a typed field has the wrong wire name.
const UNMODELED: [&str; 2] = ["version", "extranetDTO"];

/// Access to a model's map of unmodeled fields.
trait Extra {
    fn extra(&self) -> &Map<String, Value>;
}

macro_rules! impl_extra {
    ($($model:ty),+) => {
        $(impl Extra for $model {
            fn extra(&self) -> &Map<String, Value> {
                &self.extra
            }
        })+
    };
}

impl_extra!(
    ApplicationSegment,
    SegmentGroup,
    ServerGroup,
    AppConnectorGroup
);

/// Performs the SDK call that produces `exchange`, and checks the decoded result.
async fn call<T>(zpa: &ZpaClient, exchange: &Exchange, context: &str)
where
    T: ZpaResource + Debug + Extra,
{
    let api = zpa.resources::<T>();
    let (_, id) = exchange.target();
    match (exchange.method.as_str(), id) {
        ("POST", None) => {
            let body = exchange.sent_body().expect("a create body");
            let item: T = serde_json::from_value(body.clone()).expect("request decodes");
            assert_same(&item, &body, context);
            let created = api.create(&item).await.expect(context);
            assert_same(&created, &exchange.body, context);
        }
        ("GET", Some(id)) => {
            let item = api.get(&id).await.expect(context);
            assert_same(&item, &exchange.body, context);
        }
        ("GET", None) => {
            let mut list = api.list();
            if let Some(search) = exchange.query_value("search") {
                list = list.search(search);
            }
            let items = list.collect().await.expect(context);
            let expected = exchange.body["list"].as_array().expect("a list");
            assert_eq!(items.len(), expected.len(), "{context}: item count");
            for (item, expected) in items.iter().zip(expected) {
                assert_same(item, expected, context);
            }
        }
        ("PUT", Some(id)) => {
            let body = without_nulls(&exchange.sent_body().expect("an update body"));
            let item: T = serde_json::from_value(body.clone()).expect("request decodes");
            assert_same(&item, &body, context);
            api.update(&id, &item).await.expect(context);
        }
        ("DELETE", Some(id)) => {
            api.delete(&id).await.expect(context);
        }
        (method, id) => panic!("{context}: no SDK call for {method} with id {id:?}"),
    }
}

fn assert_same<T: serde::Serialize + Debug + Extra>(item: &T, expected: &Value, context: &str) {
    let unexpected: Vec<&String> = item
        .extra()
        .keys()
        .filter(|key| !UNMODELED.contains(&key.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{context}: fields fell into extra: {unexpected:?}"
    );
    let encoded = serde_json::to_value(item).expect("model encodes");
    if &encoded != expected {
        let expected_map = expected.as_object().cloned().unwrap_or_default();
        let encoded_map = encoded.as_object().cloned().unwrap_or_default();
        let differing: Vec<&String> = expected_map
            .keys()
            .chain(encoded_map.keys())
            .filter(|key| expected_map.get(*key) != encoded_map.get(*key))
            .collect();
        panic!("{context}: re-encoded model differs in {differing:?}");
    }
}

async fn dispatch(zpa: &ZpaClient, exchange: &Exchange, context: &str) {
    let (collection, id) = exchange.target();
    if exchange.method == "DELETE" && exchange.query_value("forceDelete") == Some("true") {
        assert_eq!(collection, "application", "{context}");
        let id = id.expect("an id");
        zpa.application_segments()
            .delete_forced(&id)
            .await
            .expect(context);
        return;
    }
    match collection.as_str() {
        "application" => call::<ApplicationSegment>(zpa, exchange, context).await,
        "segmentGroup" => call::<SegmentGroup>(zpa, exchange, context).await,
        "serverGroup" => call::<ServerGroup>(zpa, exchange, context).await,
        "appConnectorGroup" => call::<AppConnectorGroup>(zpa, exchange, context).await,
        other => panic!("{context}: no model for {other}"),
    }
}

/// Replays every API exchange of a recording in order. A recorded 401 and the retry after it
/// are one SDK call: the SDK signs in again and repeats the request.
async fn replay(name: &str) -> usize {
    let recording = load(name);
    let server = MockServer::start_async().await;
    let (_signin, signins) =
        mock_signin_sequence(&server, json!("3600"), |n| format!("token-{n}")).await;
    let zpa = client(&server);
    let exchanges: Vec<&Exchange> = recording
        .exchanges
        .iter()
        .filter(|exchange| exchange.host_kind == "api")
        .collect();

    let mut token = 1;
    let mut index = 0;
    let mut replayed = 0;
    while index < exchanges.len() {
        let exchange = exchanges[index];
        let context = format!(
            "{} exchange {index} ({} {})",
            recording.source, exchange.method, exchange.path
        );
        let is_list = exchange.method == "GET" && exchange.target().1.is_none();

        if exchange.status == 401 {
            let retry = exchanges.get(index + 1).expect("a retry after the 401");
            let rejected = mount(&server, exchange, &format!("token-{token}"), false).await;
            let accepted = mount(&server, retry, &format!("token-{}", token + 1), false).await;
            dispatch(&zpa, retry, &context).await;
            assert_eq!(rejected.calls_async().await, 1, "{context}: 401");
            assert_eq!(accepted.calls_async().await, 1, "{context}: retry");
            rejected.delete_async().await;
            accepted.delete_async().await;
            token += 1;
            index += 2;
            replayed += 2;
            continue;
        }

        let mock = mount(&server, exchange, &format!("token-{token}"), is_list).await;
        dispatch(&zpa, exchange, &context).await;
        assert_eq!(
            mock.calls_async().await,
            1,
            "{context}: request not as recorded"
        );
        mock.delete_async().await;
        index += 1;
        replayed += 1;
    }
    assert_eq!(signins.load(Ordering::SeqCst), token, "{name}: sign-ins");
    replayed
}

#[tokio::test]
async fn application_segment_recording() {
    assert_eq!(replay("TestApplicationSegment").await, 12);
}

#[tokio::test]
async fn segment_group_recording() {
    assert_eq!(replay("TestSegmentGroup").await, 6);
}

#[tokio::test]
async fn server_group_recording() {
    assert_eq!(replay("TestServerGroup").await, 9);
}

#[tokio::test]
async fn app_connector_group_recording() {
    assert_eq!(replay("TestAppConnectorGroup").await, 7);
}
