//! In-memory resource state of one simulated tenant: collections of JSON items keyed by their
//! concrete path, settings objects, id counters and the ZIA activation state.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// First id handed out by ZPA creates; ZPA ids are numeric strings of 18 digits.
pub(crate) const ZPA_FIRST_ID: u64 = 216_196_257_332_000_000;

/// First id handed out by ZIA creates when no seeded or generated item has a larger one.
pub(crate) const ZIA_FIRST_ID: u64 = 100_000_000;

/// Returns the text form of an id value: strings as they are, numbers in decimal.
pub(crate) fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The items of one collection in insertion order, keyed by the text form of their id.
#[derive(Clone, Debug, Default)]
pub(crate) struct Collection {
    /// The JSON key holding each item's id.
    pub id_field: String,
    /// Items by id text.
    pub items: IndexMap<String, Value>,
}

impl Collection {
    /// Creates an empty collection whose items carry their id under `id_field`.
    pub fn new(id_field: &str) -> Self {
        Self {
            id_field: id_field.to_string(),
            items: IndexMap::new(),
        }
    }

    /// Inserts or replaces an item by its id; items without an id are ignored.
    pub fn upsert(&mut self, item: Value) {
        if let Some(id) = item.get(&self.id_field).and_then(id_text) {
            self.items.insert(id, item);
        }
    }

    /// Removes an item by id text, keeping the order of the others.
    pub fn remove(&mut self, id: &str) -> Option<Value> {
        self.items.shift_remove(id)
    }
}

/// The state of one product.
#[derive(Clone, Debug)]
pub(crate) struct ProductStore {
    /// Collections by relative concrete path, e.g. `/users` or `/webApplicationRules/DLP`.
    pub collections: HashMap<String, Collection>,
    /// Settings objects by relative concrete path, e.g. `/advancedSettings`.
    pub singletons: HashMap<String, Value>,
    /// Next numeric id to hand out.
    pub next_id: u64,
}

impl ProductStore {
    /// Creates an empty store whose first id is `first_id`.
    pub fn new(first_id: u64) -> Self {
        Self {
            collections: HashMap::new(),
            singletons: HashMap::new(),
            next_id: first_id,
        }
    }

    /// Returns a collection, creating it empty when it does not exist yet.
    pub fn collection_mut(&mut self, key: &str, id_field: &str) -> &mut Collection {
        self.collections
            .entry(key.to_string())
            .or_insert_with(|| Collection::new(id_field))
    }

    /// Hands out the next numeric id.
    pub fn allocate_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Moves the id counter past every numeric id already stored.
    pub fn bump_next_id_past_items(&mut self) {
        let max = self
            .collections
            .values()
            .flat_map(|collection| collection.items.keys())
            .filter_map(|id| id.parse::<u64>().ok())
            .max();
        if let Some(max) = max {
            self.next_id = self.next_id.max(max + 1);
        }
    }
}

/// The state of both products.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    /// ZIA resources.
    pub zia: ProductStore,
    /// ZPA resources.
    pub zpa: ProductStore,
    /// Whether ZIA has staged changes that are not activated.
    pub zia_pending: bool,
}

impl Store {
    /// Creates an empty store.
    pub fn new() -> Self {
        Self {
            zia: ProductStore::new(ZIA_FIRST_ID),
            zpa: ProductStore::new(ZPA_FIRST_ID),
            zia_pending: false,
        }
    }
}

/// Reads a field by a dotted path where an array step matches any element, and returns every
/// scalar found there as text.
pub(crate) fn field_texts(item: &Value, path: &[&str]) -> Vec<String> {
    let Some((first, rest)) = path.split_first() else {
        return scalar_texts(item);
    };
    match item {
        Value::Object(map) => map
            .get(*first)
            .map(|value| field_texts(value, rest))
            .unwrap_or_default(),
        Value::Array(values) => values
            .iter()
            .flat_map(|value| field_texts(value, path))
            .collect(),
        _ => Vec::new(),
    }
}

fn scalar_texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Number(number) => vec![number.to_string()],
        Value::Bool(flag) => vec![flag.to_string()],
        Value::Array(values) => values.iter().flat_map(scalar_texts).collect(),
        _ => Vec::new(),
    }
}

/// Projects an item to its id and names, the shape of `/lite`, `/summary` and `/references`.
pub(crate) fn project_lite(item: &Value, id_field: &str) -> Value {
    let mut lite = Map::new();
    for key in [id_field, "name", "configuredName", "externalId"] {
        if let Some(value) = item.get(key) {
            lite.insert(key.to_string(), value.clone());
        }
    }
    Value::Object(lite)
}

/// Sorts items by a field when `sort_by` names one; `sort_order` `DESC` reverses the order.
pub(crate) fn sort_items(items: &mut [&Value], sort_by: Option<&str>, sort_order: Option<&str>) {
    let Some(field) = sort_by else {
        return;
    };
    items.sort_by(|left, right| compare_values(left.get(field), right.get(field)));
    if sort_order.is_some_and(|order| order.eq_ignore_ascii_case("desc")) {
        items.reverse();
    }
}

fn compare_values(left: Option<&Value>, right: Option<&Value>) -> std::cmp::Ordering {
    match (left, right) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Some(a), Some(b)) => {
            let a = id_text(a).unwrap_or_default().to_lowercase();
            let b = id_text(b).unwrap_or_default().to_lowercase();
            a.cmp(&b)
        }
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// Applies `ADD_TO_LIST` or `REMOVE_FROM_LIST` to every array field of `changes` on `target`:
/// adding appends the values that are not there yet, removing drops equal values.
pub(crate) fn apply_list_action(target: &mut Value, changes: &Value, add: bool) {
    let (Some(target), Some(changes)) = (target.as_object_mut(), changes.as_object()) else {
        return;
    };
    for (key, change) in changes {
        let Some(values) = change.as_array() else {
            continue;
        };
        let entry = target
            .entry(key.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Some(existing) = entry.as_array_mut() else {
            continue;
        };
        if add {
            for value in values {
                if !existing.contains(value) {
                    existing.push(value.clone());
                }
            }
        } else {
            existing.retain(|value| !values.contains(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn field_texts_through_arrays() {
        let user =
            json!({"groups": [{"name": "Sales"}, {"name": "Ops"}], "department": {"name": "HQ"}});
        assert_eq!(
            field_texts(&user, &["groups", "name"]),
            vec!["Sales", "Ops"]
        );
        assert_eq!(field_texts(&user, &["department", "name"]), vec!["HQ"]);
        assert!(field_texts(&user, &["missing"]).is_empty());
    }

    #[test]
    fn list_action_adds_and_removes() {
        let mut category = json!({"id": "CUSTOM_01", "urls": ["a.com"]});
        apply_list_action(&mut category, &json!({"urls": ["b.com", "a.com"]}), true);
        assert_eq!(category["urls"], json!(["a.com", "b.com"]));
        apply_list_action(
            &mut category,
            &json!({"urls": ["a.com"], "dbCategorizedUrls": ["c.com"]}),
            false,
        );
        assert_eq!(category["urls"], json!(["b.com"]));
        assert_eq!(category["dbCategorizedUrls"], json!([]));
    }

    #[test]
    fn next_id_moves_past_items() {
        let mut store = ProductStore::new(10);
        store
            .collection_mut("/users", "id")
            .upsert(json!({"id": 41}));
        store.bump_next_id_past_items();
        assert_eq!(store.allocate_id(), 42);
    }
}
