//! Shared pieces of the generated end-to-end tests: a simulator with a client of it, and the
//! create, read, update, list and delete round trip that every test runs.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use zscaler_sim::Simulator;

/// A sample of every catalog model, the one the route tests use.
const SAMPLES: &str = include_str!("../generated_routes/samples.json");

/// Fields the simulator sets itself on every write, left out of the comparisons.
const SERVER_FIELDS: [&str; 4] = ["id", "creationTime", "modifiedTime", "modifiedBy"];

/// Returns the sample of a catalog model without its id field, as a create body.
pub fn sample(model: &str, id_field: &str) -> Value {
    static PARSED: OnceLock<serde_json::Map<String, Value>> = OnceLock::new();
    let samples = PARSED.get_or_init(|| {
        serde_json::from_str(SAMPLES).expect("samples.json is valid JSON")
    });
    let mut value = samples
        .get(model)
        .cloned()
        .unwrap_or_else(|| panic!("samples.json has no sample of {model}"));
    if let Some(object) = value.as_object_mut() {
        object.remove(id_field);
    }
    value
}

/// Decodes a JSON body into the argument type of a call.
pub fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value)
        .unwrap_or_else(|error| panic!("the body does not decode: {error}"))
}

// @@ int_ids
/// Parses the text of an integer id.
pub fn int(id: &str) -> i64 {
    id.parse()
        .unwrap_or_else(|_| panic!("the simulator gave the non-integer id {id:?}"))
}
// @@ end

/// One call of a round trip, with its result encoded as JSON.
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

/// A call that takes the id of the item.
pub type ById<'a> = Box<dyn Fn(String) -> Call<'a> + 'a>;

/// The calls of one resource and what the round trip needs to know about it.
pub struct Crud<'a> {
    /// Catalog name of the resource, for messages.
    pub resource: &'static str,
    /// Path of the simulator collection that stores the items.
    pub collection: &'static str,
    /// Field that contains the id of an item.
    pub id_field: &'static str,
    /// The create body.
    pub sample: Value,
    /// A string field the update changes, when the model has one.
    pub field: Option<&'static str>,
    /// Creates an item from a body.
    pub create: Box<dyn Fn(Value) -> Call<'a> + 'a>,
    /// Reads an item.
    pub get: ById<'a>,
    /// Replaces an item with a body.
    pub update: Box<dyn Fn(String, Value) -> Call<'a> + 'a>,
    /// Deletes an item.
    pub delete: ById<'a>,
    /// Lists every item, when the resource has a list call.
    pub list: Option<Box<dyn Fn() -> Call<'a> + 'a>>,
}

/// Returns the text of an id, whether the JSON value is a number or a string.
pub fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Checks that every field of `sent` but the server's own comes back unchanged in `got`.
fn assert_kept(resource: &str, step: &str, sent: &Value, got: &Value) {
    let sent = sent.as_object().expect("a body is an object");
    for (name, value) in sent {
        if SERVER_FIELDS.contains(&name.as_str()) {
            continue;
        }
        assert_eq!(
            got.get(name),
            Some(value),
            "{resource}: after {step}, field {name:?} did not come back as sent"
        );
    }
}

/// Finds the item whose `id_field` is `id` in a list of items.
fn find<'v>(items: &'v [Value], id_field: &str, id: &str) -> Option<&'v Value> {
    items
        .iter()
        .find(|item| item.get(id_field).and_then(id_text).as_deref() == Some(id))
}

impl Crud<'_> {
    /// Creates an item, reads it back, updates a field, finds the change in a read, in the
    /// simulator's store and in the list, deletes the item and checks that a read gives
    /// not found.
    pub async fn run(self, sim: &Simulator) {
        let resource = self.resource;
        let fail = |step: &str, error: zscaler_core::Error| -> Value {
            panic!("{resource}: {step} failed: {error}")
        };
        let created = (self.create)(self.sample.clone())
            .await
            .unwrap_or_else(|error| fail("create", error));
        let id = created
            .get(self.id_field)
            .and_then(id_text)
            .unwrap_or_else(|| panic!("{resource}: the created item has no id: {created}"));
        assert_kept(resource, "create", &self.sample, &created);
        let got = (self.get)(id.clone())
            .await
            .unwrap_or_else(|error| fail("get", error));
        assert_kept(resource, "get", &self.sample, &got);

        let changed = format!("changed by the {resource} test");
        let mut replacement = got;
        if let Some(field) = self.field {
            replacement[field] = Value::from(changed.as_str());
        }
        (self.update)(id.clone(), replacement.clone())
            .await
            .unwrap_or_else(|error| fail("update", error));
        let got = (self.get)(id.clone())
            .await
            .unwrap_or_else(|error| fail("get after update", error));
        assert_kept(resource, "update", &replacement, &got);
        let stored = collection(sim, self.collection);
        let item = find(&stored, self.id_field, &id).unwrap_or_else(|| {
            panic!("{resource}: item {id} is not in the collection {}", self.collection)
        });
        if let Some(field) = self.field {
            assert_eq!(item[field], Value::from(changed.as_str()), "{resource}: stored {field}");
        }

        if let Some(list) = &self.list {
            let items = list().await.unwrap_or_else(|error| fail("list", error));
            let items = items.as_array().expect("a list encodes as an array");
            let item = find(items, self.id_field, &id)
                .unwrap_or_else(|| panic!("{resource}: item {id} is not in the list"));
            if let Some(field) = self.field {
                assert_eq!(item[field], Value::from(changed.as_str()), "{resource}: listed {field}");
            }
        }

        (self.delete)(id.clone())
            .await
            .unwrap_or_else(|error| fail("delete", error));
        let error = (self.get)(id.clone())
            .await
            .expect_err("a read after the delete fails");
        assert!(
            error.is_not_found(),
            "{resource}: a read after the delete gave {error} instead of not found"
        );
        assert!(
            find(&collection(sim, self.collection), self.id_field, &id).is_none(),
            "{resource}: item {id} is still stored after the delete"
        );
    }
}
// @@ zia

/// Returns the items of a simulator collection.
fn collection(sim: &Simulator, path: &str) -> Vec<Value> {
    sim.zia_collection(path)
}

/// Starts a simulator with a small tenant and returns it with a client of it.
pub async fn start() -> (Simulator, zscaler_zia::ZiaClient) {
    let sim = Simulator::builder()
        .zia_users(0)
        .start()
        .await
        .expect("the simulator starts");
    let credentials = sim.zia_credentials();
    let client = zscaler_zia::ZiaClient::builder()
        .username(credentials.username)
        .password(credentials.password)
        .api_key(credentials.api_key)
        .base_url(sim.base_url())
        .rate_limit(zscaler_core::RateLimitSettings::disabled())
        .retry(zscaler_core::RetryPolicy::none())
        .build()
        .expect("valid simulator settings");
    (sim, client)
}

/// Checks that the round trip staged changes, activates them and checks that the tenant is
/// active again.
pub async fn activate(sim: &Simulator, client: &zscaler_zia::ZiaClient) {
    assert_eq!(sim.zia_activation_status(), "PENDING", "the writes staged changes");
    client
        .activation()
        .activate()
        .await
        .expect("the activation succeeds");
    assert_eq!(sim.zia_activation_status(), "ACTIVE");
}
// @@ end
// @@ zpa

/// Returns the items of a simulator collection.
fn collection(sim: &Simulator, path: &str) -> Vec<Value> {
    sim.zpa_collection(path)
}

/// Starts a simulator with a small tenant and returns it with a client of it.
pub async fn start() -> (Simulator, zscaler_zpa::ZpaClient) {
    let sim = Simulator::builder()
        .zpa_application_segments(0)
        .start()
        .await
        .expect("the simulator starts");
    let credentials = sim.zpa_credentials();
    let client = zscaler_zpa::ZpaClient::builder()
        .client_id(credentials.client_id)
        .client_secret(credentials.client_secret)
        .customer_id(credentials.customer_id)
        .base_url(sim.base_url())
        .rate_limit(zscaler_core::RateLimitSettings::disabled())
        .retry(zscaler_core::RetryPolicy::none())
        .build()
        .expect("valid simulator settings");
    (sim, client)
}
// @@ end
