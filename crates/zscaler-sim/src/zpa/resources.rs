//! Generic ZPA resource handlers driven by the catalog: the `{totalPages,totalCount,list}`
//! envelope with numbers as strings, search expressions, microtenant scoping, numeric-string
//! ids, and 204 responses to updates and deletes.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::Response;
use serde_json::{Map, Value, json};

use crate::catalog::{OpKind, Operation, Pagination, RouteMatch, Segment};
use crate::http::{RequestContext, empty_response, json_response};
use crate::store::{ProductStore, id_text, project_lite};
use crate::zpa::search::{Condition, parse_expression, parse_filter_by};

/// Page size when a request gives none.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 20;

/// Maximum page size when the catalog states none.
pub(crate) const MAX_PAGE_SIZE: usize = 500;

/// Microtenant id of items that carry none, the `Default` microtenant.
const DEFAULT_MICROTENANT_ID: &str = "0";

/// Admin id written to `modifiedBy` by simulated writes.
pub(crate) const ADMIN_ID: &str = "216196257331372705";

/// Builds a ZPA error response.
pub(crate) fn error(status: u16, id: &str, reason: &str) -> Response<Body> {
    json_response(status, &json!({"id": id, "reason": reason}))
}

/// Builds the 404 response for an unknown item.
pub(crate) fn not_found() -> Response<Body> {
    error(404, "resource.not.found", "Resource not found")
}

fn invalid_body() -> Response<Body> {
    error(
        400,
        "bad.request",
        "The request body is not a valid JSON object.",
    )
}

/// Returns the current Unix time in seconds as ZPA writes it, a string.
pub(crate) fn now_text() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
        .to_string()
}

/// Serves a matched ZPA operation from the store.
pub(crate) fn serve(
    store: &mut ProductStore,
    ctx: &RequestContext,
    matched: &RouteMatch<'_>,
) -> Response<Body> {
    let op = matched.op;
    let key = |template: &[Segment]| matched.key_of(template);
    let id = matched.last_value();
    match (&op.kind, id) {
        (OpKind::List(template), _) => match key(template) {
            Some(key) => list(store, ctx, op, &key, false, search_conditions(ctx)),
            None => not_found(),
        },
        (OpKind::Lite(template), _) => match key(template) {
            Some(key) => list(store, ctx, op, &key, true, search_conditions(ctx)),
            None => not_found(),
        },
        (OpKind::PostSearch(template), _) => match key(template) {
            Some(key) => post_search(store, ctx, op, &key),
            None => not_found(),
        },
        (OpKind::Get(template) | OpKind::LiteGet(template), Some(id)) => match key(template) {
            Some(key) => get(store, ctx, &key, id, matches!(op.kind, OpKind::LiteGet(_))),
            None => not_found(),
        },
        (OpKind::Create(template), _) => match key(template) {
            Some(key) => create(store, ctx, &key, &op.id_field),
            None => not_found(),
        },
        (OpKind::Update(template), Some(id)) => match key(template) {
            Some(key) => update(store, ctx, &key, &op.id_field, Some(id)),
            None => not_found(),
        },
        (OpKind::UpdateByBodyId(template), _) => match key(template) {
            Some(key) => update(store, ctx, &key, &op.id_field, None),
            None => not_found(),
        },
        (OpKind::Delete(template), Some(id)) => match key(template) {
            Some(key) => delete(store, ctx, &key, id),
            None => not_found(),
        },
        (OpKind::BulkDelete(template), _) => match key(template) {
            Some(key) => bulk_delete(store, ctx, &key),
            None => not_found(),
        },
        (OpKind::Singleton, _) => singleton(store, ctx, op, &matched.relative_path()),
        _ => action(store, ctx, op, &matched.relative_path()),
    }
}

/// Conditions from the `search` query parameter.
pub(crate) fn search_conditions(ctx: &RequestContext) -> Vec<Condition> {
    ctx.query_value("search")
        .filter(|expression| !expression.trim().is_empty())
        .map(|expression| vec![parse_expression(expression)])
        .unwrap_or_default()
}

fn microtenant_of(item: &Value) -> String {
    item.get("microtenantId")
        .and_then(id_text)
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| DEFAULT_MICROTENANT_ID.to_string())
}

/// Reports whether an item is visible to the request's `microtenantId`, if it gives one.
fn in_microtenant(ctx: &RequestContext, item: &Value) -> bool {
    match ctx.query_value("microtenantId").filter(|id| !id.is_empty()) {
        Some(requested) => microtenant_of(item) == requested,
        None => true,
    }
}

fn matching<'a>(
    store: &'a ProductStore,
    ctx: &RequestContext,
    key: &str,
    conditions: &[Condition],
) -> Vec<&'a Value> {
    let Some(collection) = store.collections.get(key) else {
        return Vec::new();
    };
    collection
        .items
        .values()
        .filter(|item| in_microtenant(ctx, item))
        .filter(|item| conditions.iter().all(|condition| condition.matches(item)))
        .collect()
}

fn id_field_of(store: &ProductStore, key: &str, fallback: &str) -> String {
    store
        .collections
        .get(key)
        .map(|collection| collection.id_field.clone())
        .unwrap_or_else(|| fallback.to_string())
}

/// Builds the ZPA list envelope for one page. An empty result has only `totalPages` "0";
/// a page past the end has the totals but no `list`.
pub(crate) fn envelope(items: Vec<Value>, total: usize, page_size: usize) -> Value {
    if total == 0 {
        return json!({"totalPages": "0"});
    }
    let total_pages = total.div_ceil(page_size.max(1));
    let mut body = Map::new();
    body.insert(
        "totalPages".to_string(),
        Value::String(total_pages.to_string()),
    );
    body.insert("totalCount".to_string(), Value::String(total.to_string()));
    if !items.is_empty() {
        body.insert("list".to_string(), Value::Array(items));
    }
    Value::Object(body)
}

/// Serves a list. ZPA-paged endpoints return the envelope, emergency access returns
/// `{items,nextPage}`, and endpoints without pagination return a bare array.
pub(crate) fn list(
    store: &ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    key: &str,
    lite: bool,
    conditions: Vec<Condition>,
) -> Response<Body> {
    let items = matching(store, ctx, key, &conditions);
    let id_field = id_field_of(store, key, &op.id_field);
    let render = |item: &Value| {
        if lite {
            project_lite(item, &id_field)
        } else {
            item.clone()
        }
    };
    let max = op.max_page_size.unwrap_or(MAX_PAGE_SIZE);
    match op.pagination {
        Pagination::ZpaPage | Pagination::PostSearch => {
            let size = ctx
                .query_number("pagesize")
                .unwrap_or(DEFAULT_PAGE_SIZE)
                .min(max);
            let page = ctx.query_number("page").unwrap_or(1);
            let total = items.len();
            let start = (page - 1).saturating_mul(size);
            let chunk = items
                .into_iter()
                .skip(start)
                .take(size)
                .map(render)
                .collect();
            json_response(200, &envelope(chunk, total, size))
        }
        Pagination::PageId => {
            let size = ctx
                .query_number("pageSize")
                .unwrap_or(DEFAULT_PAGE_SIZE)
                .min(max);
            let page = ctx.query_number("pageId").unwrap_or(1);
            let start = (page - 1).saturating_mul(size);
            let has_more = items.len() > start.saturating_add(size);
            let chunk: Vec<Value> = items
                .into_iter()
                .skip(start)
                .take(size)
                .map(render)
                .collect();
            let mut body = json!({"items": chunk});
            if has_more {
                body["nextPage"] = Value::String((page + 1).to_string());
            }
            json_response(200, &body)
        }
        Pagination::None | Pagination::ZiaPage => {
            let all: Vec<Value> = items.into_iter().map(render).collect();
            json_response(200, &Value::Array(all))
        }
    }
}

/// Serves `POST .../search`: conditions from `filterBy`, page from `pageBy`.
fn post_search(
    store: &ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    key: &str,
) -> Response<Body> {
    let body = match ctx.json_body() {
        Ok(body) => body.unwrap_or_else(|| json!({})),
        Err(_) => return invalid_body(),
    };
    let conditions = parse_filter_by(body.get("filterBy"));
    let items = matching(store, ctx, key, &conditions);
    let page_by = body.get("pageBy");
    let number = |name: &str| {
        page_by
            .and_then(|page_by| page_by.get(name))
            .and_then(|value| value.as_u64().or_else(|| value.as_str()?.parse().ok()))
            .and_then(|value| usize::try_from(value).ok())
            .filter(|value| *value > 0)
    };
    let size = number("pageSize")
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .min(op.max_page_size.unwrap_or(MAX_PAGE_SIZE));
    let page = number("page").unwrap_or(1);
    let total = items.len();
    let chunk = items
        .into_iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .cloned()
        .collect();
    json_response(200, &envelope(chunk, total, size))
}

/// Serves a read of one item, hidden when it is outside the requested microtenant.
pub(crate) fn get(
    store: &ProductStore,
    ctx: &RequestContext,
    key: &str,
    id: &str,
    lite: bool,
) -> Response<Body> {
    let item = store
        .collections
        .get(key)
        .and_then(|collection| collection.items.get(id))
        .filter(|item| in_microtenant(ctx, item));
    match item {
        Some(item) if lite => {
            json_response(200, &project_lite(item, &id_field_of(store, key, "id")))
        }
        Some(item) => json_response(200, item),
        None => not_found(),
    }
}

/// Creates an item with a new numeric-string id, creation and modification times as strings,
/// and the request's `microtenantId` when the body has none. Returns 201 with the item.
pub(crate) fn create(
    store: &mut ProductStore,
    ctx: &RequestContext,
    key: &str,
    id_field: &str,
) -> Response<Body> {
    let Ok(Some(Value::Object(mut item))) = ctx.json_body() else {
        return invalid_body();
    };
    let id = store.allocate_id().to_string();
    let now = now_text();
    item.insert(id_field.to_string(), Value::String(id));
    item.insert("creationTime".to_string(), Value::String(now.clone()));
    item.insert("modifiedTime".to_string(), Value::String(now));
    item.insert(
        "modifiedBy".to_string(),
        Value::String(ADMIN_ID.to_string()),
    );
    if let Some(microtenant) = ctx.query_value("microtenantId").filter(|id| !id.is_empty()) {
        item.entry("microtenantId".to_string())
            .or_insert_with(|| Value::String(microtenant.to_string()));
    }
    let item = Value::Object(item);
    store.collection_mut(key, id_field).upsert(item.clone());
    json_response(201, &item)
}

/// Replaces an item in full, keeping its id and creation time. Returns 204.
pub(crate) fn update(
    store: &mut ProductStore,
    ctx: &RequestContext,
    key: &str,
    id_field: &str,
    path_id: Option<&str>,
) -> Response<Body> {
    let Ok(Some(Value::Object(mut replacement))) = ctx.json_body() else {
        return invalid_body();
    };
    let id = match path_id {
        Some(id) => id.to_string(),
        None => match replacement.get(id_field).and_then(id_text) {
            Some(id) => id,
            None => return invalid_body(),
        },
    };
    let Some(existing) = store
        .collections
        .get_mut(key)
        .and_then(|collection| collection.items.get_mut(&id))
        .filter(|item| in_microtenant(ctx, item))
    else {
        return not_found();
    };
    replacement.insert(id_field.to_string(), Value::String(id));
    if let Some(created) = existing.get("creationTime") {
        replacement
            .entry("creationTime".to_string())
            .or_insert_with(|| created.clone());
    }
    replacement.insert("modifiedTime".to_string(), Value::String(now_text()));
    replacement.insert(
        "modifiedBy".to_string(),
        Value::String(ADMIN_ID.to_string()),
    );
    *existing = Value::Object(replacement);
    empty_response(204)
}

/// Removes an item. Returns 204, or 404 when it does not exist in the requested microtenant.
pub(crate) fn delete(
    store: &mut ProductStore,
    ctx: &RequestContext,
    key: &str,
    id: &str,
) -> Response<Body> {
    let Some(collection) = store.collections.get_mut(key) else {
        return not_found();
    };
    let visible = collection
        .items
        .get(id)
        .is_some_and(|item| in_microtenant(ctx, item));
    if !visible {
        return not_found();
    }
    collection.remove(id);
    empty_response(204)
}

fn bulk_delete(store: &mut ProductStore, ctx: &RequestContext, key: &str) -> Response<Body> {
    let Ok(Some(body)) = ctx.json_body() else {
        return invalid_body();
    };
    let Some(ids) = body.get("ids").and_then(Value::as_array) else {
        return invalid_body();
    };
    if let Some(collection) = store.collections.get_mut(key) {
        for id in ids.iter().filter_map(id_text) {
            collection.remove(&id);
        }
    }
    empty_response(204)
}

fn singleton(
    store: &mut ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    path: &str,
) -> Response<Body> {
    if !ctx.is_write() {
        let value = store
            .singletons
            .get(path)
            .cloned()
            .unwrap_or_else(|| op.empty_response());
        return json_response(200, &value);
    }
    match ctx.json_body() {
        Ok(Some(body)) => {
            store.singletons.insert(path.to_string(), body);
            empty_response(204)
        }
        _ => invalid_body(),
    }
}

/// Serves an operation without a generic meaning: reads return an empty list or the stored
/// object, `POST` echoes its body, `PUT`, `PATCH` and `DELETE` return 204.
fn action(
    store: &mut ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    path: &str,
) -> Response<Body> {
    match ctx.method.as_str() {
        "GET" if op.pagination == Pagination::ZpaPage => {
            json_response(200, &envelope(Vec::new(), 0, 1))
        }
        "GET" => {
            let value = store
                .singletons
                .get(path)
                .cloned()
                .unwrap_or_else(|| op.empty_response());
            json_response(200, &value)
        }
        "POST" if op.has_response => match ctx.json_body() {
            Ok(Some(body)) => json_response(200, &body),
            Ok(None) => json_response(200, &json!({})),
            Err(_) => invalid_body(),
        },
        _ => empty_response(204),
    }
}
