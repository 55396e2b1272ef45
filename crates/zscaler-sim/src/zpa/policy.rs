//! ZPA policy sets and their rules. A policy set exists once per policy type and is created on
//! first read. Its rules are in the collection `/policySet/{policySetId}/rule`, which the
//! by-type list `/policySet/rules/policyType/{policyType}` also reads.

use axum::body::Body;
use axum::http::Response;
use serde_json::{Value, json};

use crate::catalog::RouteMatch;
use crate::http::{RequestContext, empty_response, json_response};
use crate::store::{ProductStore, id_text};
use crate::zpa::resources::{self, not_found, now_text, search_conditions};

/// Name of the catalog resource served here.
pub(crate) const RESOURCE: &str = "policy_set_controller";

/// Returns the key of the stored policy set of a type.
fn set_key(policy_type: &str) -> String {
    format!("/policySet/policyType/{policy_type}")
}

/// Returns the key of the rule collection of a policy set.
pub(crate) fn rules_key(policy_set_id: &str) -> String {
    format!("/policySet/{policy_set_id}/rule")
}

/// Returns the policy set of a type, creating it with a new id when it does not exist.
pub(crate) fn ensure_policy_set(store: &mut ProductStore, policy_type: &str) -> Value {
    let key = set_key(policy_type);
    if let Some(existing) = store.singletons.get(&key) {
        return existing.clone();
    }
    let id = store.allocate_id().to_string();
    let now = now_text();
    // NOTE: only the ACCESS_POLICY code ("1") is known from recorded traffic; other types
    // carry their name in `policyType`.
    let (name, code) = match policy_type {
        "ACCESS_POLICY" | "GLOBAL_POLICY" => ("Global_Policy".to_string(), "1".to_string()),
        other => (other.to_string(), other.to_string()),
    };
    let set = json!({
        "id": id,
        "modifiedTime": now,
        "creationTime": now,
        "modifiedBy": resources::ADMIN_ID,
        "name": name,
        "enabled": true,
        "description": format!("Simulated {policy_type} policy set"),
        "policyType": code,
        "sorted": true
    });
    store.singletons.insert(key, set.clone());
    set
}

/// Returns the rule collection key that a matched policy operation reads or writes, creating
/// the policy set for by-type lists. `None` for operations that are served generically.
pub(crate) fn rules_key_for(store: &mut ProductStore, matched: &RouteMatch<'_>) -> Option<String> {
    match matched.op.name.as_str() {
        "list_rules_by_policy_type" => {
            let set = ensure_policy_set(store, matched.param("policyType")?);
            Some(rules_key(&id_text(set.get("id")?)?))
        }
        "get_rule" | "create_rule" | "update_rule" | "delete_rule" | "create_rule_v2"
        | "update_rule_v2" | "reorder_rule" => Some(rules_key(matched.param("policySetId")?)),
        "bulk_reorder_rules" => Some(rules_key(matched.param("id")?)),
        _ => None,
    }
}

/// Serves a policy operation, or returns `None` when the generic handlers should.
pub(crate) fn serve(
    store: &mut ProductStore,
    ctx: &RequestContext,
    matched: &RouteMatch<'_>,
) -> Option<Response<Body>> {
    let name = matched.op.name.as_str();
    if name == "get_policy_set_by_type" {
        let set = ensure_policy_set(store, matched.param("policyType")?);
        return Some(json_response(200, &set));
    }
    let key = rules_key_for(store, matched)?;
    let response = match name {
        "list_rules_by_policy_type" => {
            resources::list(store, ctx, matched.op, &key, false, search_conditions(ctx))
        }
        "get_rule" => resources::get(store, ctx, &key, matched.param("id")?, false),
        "create_rule" | "create_rule_v2" => {
            create_rule(store, ctx, &key, matched.param("policySetId")?)
        }
        "update_rule" | "update_rule_v2" => {
            resources::update(store, ctx, &key, "id", matched.param("id"))
        }
        "delete_rule" => {
            let response = resources::delete(store, ctx, &key, matched.param("id")?);
            renumber(store, &key);
            response
        }
        "reorder_rule" => reorder_rule(
            store,
            &key,
            matched.param("ruleId")?,
            matched.param("order")?,
        ),
        "bulk_reorder_rules" => bulk_reorder(store, ctx, &key),
        _ => return None,
    };
    Some(response)
}

fn create_rule(
    store: &mut ProductStore,
    ctx: &RequestContext,
    key: &str,
    policy_set_id: &str,
) -> Response<Body> {
    let response = resources::create(store, ctx, key, "id");
    if !response.status().is_success() {
        return response;
    }
    let collection = store.collection_mut(key, "id");
    let order = collection.items.len().to_string();
    let Some((_, rule)) = collection.items.last_mut() else {
        return response;
    };
    rule["policySetId"] = Value::String(policy_set_id.to_string());
    for field in ["ruleOrder", "priority"] {
        if rule.get(field).is_none() {
            rule[field] = Value::String(order.clone());
        }
    }
    json_response(201, rule)
}

/// Rewrites `ruleOrder` and `priority` as 1, 2, 3... in collection order.
fn renumber(store: &mut ProductStore, key: &str) {
    if let Some(collection) = store.collections.get_mut(key) {
        for (position, rule) in collection.items.values_mut().enumerate() {
            let order = Value::String((position + 1).to_string());
            rule["ruleOrder"] = order.clone();
            rule["priority"] = order;
        }
    }
}

fn reorder_rule(store: &mut ProductStore, key: &str, rule_id: &str, order: &str) -> Response<Body> {
    let Some(collection) = store.collections.get_mut(key) else {
        return not_found();
    };
    let Some(from) = collection.items.get_index_of(rule_id) else {
        return not_found();
    };
    let Ok(order) = order.parse::<usize>() else {
        return resources::error(
            400,
            "bad.request",
            "The rule order must be a positive integer.",
        );
    };
    let to = order.clamp(1, collection.items.len()) - 1;
    collection.items.move_index(from, to);
    renumber(store, key);
    empty_response(204)
}

/// Orders the rules as listed in a body that is an array of rule ids; unlisted rules follow.
fn bulk_reorder(store: &mut ProductStore, ctx: &RequestContext, key: &str) -> Response<Body> {
    let Ok(Some(Value::Array(ids))) = ctx.json_body() else {
        return resources::error(400, "bad.request", "The body must be an array of rule ids.");
    };
    let Some(collection) = store.collections.get_mut(key) else {
        return not_found();
    };
    let mut target = 0;
    for id in ids.iter().filter_map(id_text) {
        if let Some(from) = collection.items.get_index_of(&id) {
            collection.items.move_index(from, target);
            target += 1;
        }
    }
    renumber(store, key);
    empty_response(204)
}
