//! Initial resources from recorded traffic in `seed/`: every successful exchange is replayed
//! into a store, so collections end as the recorded tenant left them.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::catalog::{Catalog, OpKind, Product, RouteMatch, split_path};
use crate::store::{ProductStore, Store, id_text};
use crate::zpa::policy;

const RECORDINGS: [&str; 33] = [
    include_str!("../seed/zia/TestActivation.json"),
    include_str!("../seed/zia/TestAdminUsers.json"),
    include_str!("../seed/zia/TestCloudFirewallIPSourceGroup.json"),
    include_str!("../seed/zia/TestCloudFirewallNetworkServices.json"),
    include_str!("../seed/zia/TestCloudFirewallRules.json"),
    include_str!("../seed/zia/TestDLPDictionary.json"),
    include_str!("../seed/zia/TestLocationManagement.json"),
    include_str!("../seed/zia/TestLocations.json"),
    include_str!("../seed/zia/TestRuleLabels.json"),
    include_str!("../seed/zia/TestSSLInspectionRules.json"),
    include_str!("../seed/zia/TestTimeIntervals.json"),
    include_str!("../seed/zia/TestTrafficStaticIP.json"),
    include_str!("../seed/zia/TestTrafficVPNCredentials.json"),
    include_str!("../seed/zia/TestURLCategories.json"),
    include_str!("../seed/zia/TestURLFilteringRule.json"),
    include_str!("../seed/zia/TestUserGroup.json"),
    include_str!("../seed/zia/TestUserManagement.json"),
    include_str!("../seed/zia/TestUsers.json"),
    include_str!("../seed/zpa/TestAccessPolicyRule.json"),
    include_str!("../seed/zpa/TestAccessPolicyRuleV2.json"),
    include_str!("../seed/zpa/TestAppConnectorGroup.json"),
    include_str!("../seed/zpa/TestAppConnectorGroupProvisioningKey.json"),
    include_str!("../seed/zpa/TestApplicationSegment.json"),
    include_str!("../seed/zpa/TestApplicationServer.json"),
    include_str!("../seed/zpa/TestIdP.json"),
    include_str!("../seed/zpa/TestMicrotenants.json"),
    include_str!("../seed/zpa/TestPostureProfiles.json"),
    include_str!("../seed/zpa/TestSamlAttributes.json"),
    include_str!("../seed/zpa/TestScimGroups.json"),
    include_str!("../seed/zpa/TestSegmentGroup.json"),
    include_str!("../seed/zpa/TestServerGroup.json"),
    include_str!("../seed/zpa/TestServiceEdgeGroup.json"),
    include_str!("../seed/zpa/TestTrustedNetworks.json"),
];

/// Tenant id in the recorded ZPA paths; the simulator uses it as its default customer id.
pub(crate) const RECORDED_CUSTOMER_ID: &str = "216196257331281920";

#[derive(Deserialize)]
struct Recording {
    exchanges: Vec<Exchange>,
}

#[derive(Deserialize)]
struct Exchange {
    method: String,
    path: String,
    #[serde(default)]
    request_body: Value,
    status: u16,
    #[serde(default)]
    body: Value,
}

/// Returns the store built from the recordings, replayed once per process.
pub(crate) fn recorded_store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut store = Store::new();
        for text in RECORDINGS {
            let recording: Recording = serde_json::from_str(text)
                .expect("the embedded recordings are valid JSON of the known shape");
            for exchange in &recording.exchanges {
                replay(&mut store, exchange);
            }
        }
        store.zia.bump_next_id_past_items();
        store.zpa.bump_next_id_past_items();
        store.zia_pending = false;
        store
    })
}

fn replay(store: &mut Store, exchange: &Exchange) {
    if !(200..300).contains(&exchange.status) {
        return;
    }
    let segments = split_path(&exchange.path);
    let catalog = Catalog::get();
    let (product, path) = if segments.len() >= 2 && segments[0] == "api" && segments[1] == "v1" {
        (Product::Zia, segments[2..].to_vec())
    } else {
        (Product::Zpa, segments)
    };
    let Some(matched) = catalog.product(product).find(&exchange.method, &path) else {
        return;
    };
    let target = match product {
        Product::Zia => &mut store.zia,
        Product::Zpa => &mut store.zpa,
    };
    if product == Product::Zpa && matched.op.resource == policy::RESOURCE {
        replay_policy(target, exchange, &matched);
        return;
    }
    let kind = matched.op.kind.clone();
    let key = |template: &[_]| matched.key_of(template);
    match kind {
        OpKind::List(template) => {
            if let Some(key) = key(&template) {
                upsert_all(target, &key, &matched, list_items(&exchange.body));
            }
        }
        OpKind::Get(template) | OpKind::Create(template) => {
            if let Some(key) = key(&template) {
                upsert_all(target, &key, &matched, vec![exchange.body.clone()]);
            }
        }
        OpKind::Update(template) => {
            if let (Some(key), Some(id)) = (key(&template), matched.last_value()) {
                let item = updated_item(exchange, &matched.op.id_field, id);
                upsert_all(target, &key, &matched, vec![item]);
            }
        }
        OpKind::Delete(template) => {
            if let (Some(key), Some(id)) = (key(&template), matched.last_value())
                && let Some(collection) = target.collections.get_mut(&key)
            {
                collection.remove(id);
            }
        }
        OpKind::Singleton if exchange.method == "GET" && exchange.body.is_object() => {
            target
                .singletons
                .insert(matched.relative_path(), exchange.body.clone());
        }
        _ => {}
    }
}

/// Returns the new state of an updated item: the response when it is the item (ZIA), else
/// the request body (ZPA returns 204) with the id from the path.
fn updated_item(exchange: &Exchange, id_field: &str, id: &str) -> Value {
    if exchange.body.get(id_field).is_some() {
        return exchange.body.clone();
    }
    let mut item = exchange.request_body.clone();
    if item.is_object() && item.get(id_field).is_none() {
        item[id_field] = Value::String(id.to_string());
    }
    item
}

fn replay_policy(store: &mut ProductStore, exchange: &Exchange, matched: &RouteMatch<'_>) {
    if matched.op.name == "get_policy_set_by_type" {
        if let Some(policy_type) = matched.param("policyType") {
            store.singletons.insert(
                format!("/policySet/policyType/{policy_type}"),
                exchange.body.clone(),
            );
        }
        return;
    }
    let Some(key) = policy::rules_key_for(store, matched) else {
        return;
    };
    match matched.op.name.as_str() {
        "list_rules_by_policy_type" => upsert_all(store, &key, matched, list_items(&exchange.body)),
        "get_rule" | "create_rule" | "create_rule_v2" => {
            upsert_all(store, &key, matched, vec![exchange.body.clone()]);
        }
        "update_rule" | "update_rule_v2" => {
            if let Some(id) = matched.param("id") {
                let item = updated_item(exchange, "id", id);
                upsert_all(store, &key, matched, vec![item]);
            }
        }
        "delete_rule" => {
            if let (Some(collection), Some(id)) =
                (store.collections.get_mut(&key), matched.param("id"))
            {
                collection.remove(id);
            }
        }
        _ => {}
    }
}

/// Returns the items of a list body: a bare array or the `list` of a ZPA envelope.
fn list_items(body: &Value) -> Vec<Value> {
    match body {
        Value::Array(items) => items.clone(),
        Value::Object(map) => map
            .get("list")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn upsert_all(store: &mut ProductStore, key: &str, matched: &RouteMatch<'_>, items: Vec<Value>) {
    let collection = store.collection_mut(key, &matched.op.id_field);
    for item in items {
        if item.get(&collection.id_field).and_then(id_text).is_some() {
            collection.upsert(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_fill_collections() {
        let store = recorded_store();
        let users = &store.zia.collections["/users"];
        assert!(users.items.len() >= 100);
        let categories = &store.zia.collections["/urlCategories"];
        assert!(categories.items.contains_key("CUSTOM_01") || !categories.items.is_empty());
        assert!(
            !categories.items.contains_key("CUSTOM_36"),
            "deleted in the recording"
        );
        let segments = &store.zpa.collections["/application"];
        assert!(
            !segments.items.contains_key("216196257331404639"),
            "deleted in the recording"
        );
        let idps = &store.zpa.collections["/idp"];
        assert_eq!(idps.items.len(), 2);
        let access = &store.zpa.singletons["/policySet/policyType/ACCESS_POLICY"];
        assert_eq!(access["id"], "216196257331281925");
    }
}
