//! Replays recorded ZIA exchanges: the client must send each recorded request and decode each
//! recorded response, and encoding what it decoded must give back the recorded JSON exactly.

use std::path::PathBuf;

use httpmock::prelude::*;
use httpmock::{Mock, MockServer};
use serde::Deserialize;
use serde_json::{Value, json};
use zscaler_zia::{Department, Group, ZiaClient};

use crate::support::{client, mock_login};

#[derive(Debug, Deserialize)]
struct Recording {
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
    headers: serde_json::Map<String, Value>,
    body: Value,
}

impl Exchange {
    fn label(&self) -> String {
        format!(
            "{} {} {:?} -> {}",
            self.method, self.path, self.query, self.status
        )
    }

    fn same_request(&self, other: &Exchange) -> bool {
        self.method == other.method
            && self.path == other.path
            && self.query == other.query
            && self.request_body == other.request_body
    }

    fn body_bytes(&self) -> Vec<u8> {
        match &self.body {
            Value::String(text) if text.is_empty() => Vec::new(),
            Value::Object(map) if map.len() == 1 && map.contains_key("_text") => map["_text"]
                .as_str()
                .unwrap_or_default()
                .as_bytes()
                .to_vec(),
            other => other.to_string().into_bytes(),
        }
    }

    fn is_list(&self) -> bool {
        self.method == "GET" && self.body.is_array()
    }

    /// Returns the id at the end of the path, if the path ends with one.
    fn trailing_id(&self) -> Option<i64> {
        self.path.rsplit('/').next()?.parse().ok()
    }
}

fn load(name: &str) -> Vec<Exchange> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/recorded")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("fixture is readable");
    let recording: Recording = serde_json::from_str(&text).expect("fixture is valid");
    recording
        .exchanges
        .into_iter()
        .filter(|exchange| exchange.host_kind == "api")
        .collect()
}

/// Mocks one recorded exchange. A listing is served as page 1, and an empty page 2 ends it.
async fn mock_exchange<'a>(server: &'a MockServer, exchange: &Exchange) -> Vec<Mock<'a>> {
    let mut mocks = Vec::new();
    let page = exchange.is_list().then_some("1");
    let recorded = exchange.clone();
    let body = exchange.body_bytes();
    mocks.push(
        server
            .mock_async(move |when, then| {
                let mut when = when
                    .method(recorded.method.as_str())
                    .path(recorded.path.as_str())
                    .header_exists("cookie");
                for (name, value) in &recorded.query {
                    when = when.query_param(name.as_str(), value.as_str());
                }
                if let Some(page) = page {
                    when = when.query_param("page", page);
                }
                if matches!(recorded.method.as_str(), "POST" | "PUT") {
                    when.json_body(recorded.request_body.clone());
                }
                let mut then = then.status(recorded.status).body(body);
                for (name, value) in &recorded.headers {
                    then = then.header(name.as_str(), value.as_str().unwrap_or_default());
                }
            })
            .await,
    );
    if exchange.is_list() && exchange.status == 200 {
        let recorded = exchange.clone();
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path(recorded.path.as_str())
                        .query_param("page", "2");
                    then.status(200)
                        .header("content-type", "application/json")
                        .body("[]");
                })
                .await,
        );
    }
    mocks
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a decoded model encodes")
}

/// Applies a recorded query to a list: the page size through the builder, which then sends
/// `page=1` itself, and every other parameter as it is.
macro_rules! with_query {
    ($list:expr, $exchange:expr) => {{
        let mut list = $list;
        for (name, value) in &$exchange.query {
            match name.as_str() {
                "pageSize" => list = list.page_size(value.parse().expect("numeric page size")),
                "page" => assert_eq!(value, "1", "replays start at the first page"),
                _ => list = list.query(name.as_str(), value.as_str()),
            }
        }
        list
    }};
}

/// Makes the SDK call that sends `exchange`'s request and returns what it decoded, encoded
/// back to JSON (`""` for a call that returns nothing).
async fn call(zia: &ZiaClient, exchange: &Exchange) -> Value {
    let path = exchange.path.as_str();
    let id = exchange.trailing_id();
    let request_body = exchange.request_body.clone();
    match (exchange.method.as_str(), path, id) {
        ("GET", "/api/v1/users", _) => {
            let list = with_query!(zia.users().list(), exchange);
            encode(&list.collect().await.expect("users"))
        }
        ("GET", "/api/v1/users/references", _) => {
            let list = with_query!(zia.users().references(), exchange);
            encode(&list.collect().await.expect("references"))
        }
        ("GET", "/api/v1/users/auditors", _) => {
            encode(&zia.users().auditors().collect().await.expect("auditors"))
        }
        ("GET", _, Some(id)) if path.starts_with("/api/v1/users/") => {
            encode(&zia.users().get(id).await.expect("user"))
        }
        ("GET", "/api/v1/groups", _) => {
            let list = with_query!(zia.groups().list(), exchange);
            encode(&list.collect().await.expect("groups"))
        }
        ("GET", "/api/v1/groups/lite", _) => encode(
            &zia.groups()
                .list_lite()
                .collect()
                .await
                .expect("lite groups"),
        ),
        ("GET", _, Some(id)) if path.starts_with("/api/v1/groups/") => {
            encode(&zia.groups().get(id).await.expect("group"))
        }
        ("POST", "/api/v1/groups", _) => {
            let group: Group = serde_json::from_value(request_body).expect("group body");
            encode(&zia.groups().create(&group).await.expect("create group"))
        }
        ("PUT", _, Some(id)) if path.starts_with("/api/v1/groups/") => {
            let group: Group = serde_json::from_value(request_body).expect("group body");
            encode(&zia.groups().update(id, &group).await.expect("update group"))
        }
        ("DELETE", _, Some(id)) if path.starts_with("/api/v1/groups/") => {
            zia.groups().delete(id).await.expect("delete group");
            json!("")
        }
        ("GET", "/api/v1/departments", _) => {
            let list = with_query!(zia.departments().list(), exchange);
            encode(&list.collect().await.expect("departments"))
        }
        ("GET", _, Some(id)) if path.starts_with("/api/v1/departments/lite/") => encode(
            &zia.departments()
                .get_lite(id)
                .await
                .expect("lite department"),
        ),
        ("GET", _, Some(id)) if path.starts_with("/api/v1/departments/") => {
            encode(&zia.departments().get(id).await.expect("department"))
        }
        ("POST", "/api/v1/departments", _) => {
            let department: Department =
                serde_json::from_value(request_body).expect("department body");
            encode(&zia.departments().create(&department).await.expect("create"))
        }
        ("PUT", _, Some(id)) if path.starts_with("/api/v1/departments/") => {
            let department: Department =
                serde_json::from_value(request_body).expect("department body");
            encode(
                &zia.departments()
                    .update(id, &department)
                    .await
                    .expect("update"),
            )
        }
        ("DELETE", _, Some(id)) if path.starts_with("/api/v1/departments/") => {
            zia.departments()
                .delete(id)
                .await
                .expect("delete department");
            json!("")
        }
        ("GET", "/api/v1/status", _) => {
            let status = zia.activation().status().await.expect("status");
            json!({"status": status.as_str()})
        }
        ("POST", "/api/v1/status/activate", _) => {
            let status = zia.activation().activate().await.expect("activate");
            json!({"status": status.as_str()})
        }
        _ => panic!("no SDK call replays {}", exchange.label()),
    }
}

/// Replays every exchange of a fixture and returns how many were replayed.
async fn replay(name: &str) -> usize {
    let exchanges = load(name);
    let server = MockServer::start_async().await;
    mock_login(&server).await;
    let zia = client(&server);

    let mut index = 0;
    let mut replayed = 0;
    while index < exchanges.len() {
        let exchange = &exchanges[index];
        let retried = exchanges
            .get(index + 1)
            .filter(|next| exchange.status >= 400 && next.same_request(exchange));

        let mut mocks = mock_exchange(&server, exchange).await;
        let failing = if let Some(success) = retried {
            // The recorded failure is served once, then the recorded success.
            mocks[0].up_to_n_times_async(1).await;
            let failing = mocks.remove(0);
            mocks.extend(mock_exchange(&server, success).await);
            Some(failing)
        } else {
            None
        };
        let answered = retried.unwrap_or(exchange);

        let decoded = call(&zia, answered).await;

        assert_eq!(decoded, answered.body, "{name}: {}", answered.label());
        assert_eq!(
            mocks[0].calls_async().await,
            1,
            "{name}: {}",
            answered.label()
        );
        if let Some(failing) = failing {
            assert_eq!(
                failing.calls_async().await,
                1,
                "{name}: {}",
                exchange.label()
            );
            failing.delete_async().await;
        }
        for mock in mocks {
            mock.delete_async().await;
        }
        index += if retried.is_some() { 2 } else { 1 };
        replayed += 1;
    }
    replayed
}

#[tokio::test]
async fn users_listing_replays() {
    assert_eq!(replay("TestUsers").await, 3);
}

#[tokio::test]
async fn user_management_replays() {
    // 23 exchanges, of which two 429s and one 409 are each replayed with their retry.
    assert_eq!(replay("TestUserManagement").await, 20);
}

#[tokio::test]
async fn user_group_replays() {
    assert_eq!(replay("TestUserGroup").await, 2);
}

#[tokio::test]
async fn activation_replays() {
    assert_eq!(replay("TestActivation").await, 2);
}
