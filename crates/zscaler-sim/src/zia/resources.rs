//! Generic ZIA resource handlers driven by the catalog: bare-array lists with `page` and
//! `pageSize`, integer ids, full-replace updates, projections and settings objects.

use axum::body::Body;
use axum::http::Response;
use serde_json::{Value, json};

use crate::catalog::{FieldType, OpKind, Operation, Pagination, RouteMatch, Segment};
use crate::http::{RequestContext, empty_response, json_response};
use crate::store::{
    Collection, ProductStore, apply_list_action, field_texts, id_text, project_lite, sort_items,
};

/// Page size when a request gives none.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 100;

/// Maximum page size of paginated endpoints for which the catalog states none.
// NOTE: a guess; the SDK sources state no maximum for these endpoints.
pub(crate) const DEFAULT_MAX_PAGE_SIZE: usize = 1000;

/// Maximum number of ids accepted by one `bulkDelete` call.
pub(crate) const BULK_DELETE_LIMIT: usize = 500;

/// Query parameters that never filter a list.
const NON_FILTER_PARAMS: [&str; 5] = ["page", "pageSize", "search", "sortBy", "sortOrder"];

/// Builds a ZIA error response.
pub(crate) fn error(status: u16, code: &str, message: &str) -> Response<Body> {
    json_response(status, &json!({"code": code, "message": message}))
}

/// Builds the 404 response for an unknown item.
pub(crate) fn not_found() -> Response<Body> {
    error(404, "RESOURCE_NOT_FOUND", "Resource not found")
}

fn invalid_body() -> Response<Body> {
    error(400, "INVALID_INPUT_ARGUMENT", "Request body is invalid.")
}

/// Result of a handler: the response and whether it staged a configuration change.
pub(crate) struct Served {
    /// The response.
    pub response: Response<Body>,
    /// Whether the activation status becomes `PENDING`.
    pub staged_change: bool,
}

impl Served {
    fn read(response: Response<Body>) -> Self {
        Self {
            response,
            staged_change: false,
        }
    }

    fn write(response: Response<Body>) -> Self {
        let staged_change = response.status().is_success();
        Self {
            response,
            staged_change,
        }
    }
}

/// Serves a matched ZIA operation from the store.
pub(crate) fn serve(
    store: &mut ProductStore,
    ctx: &RequestContext,
    matched: &RouteMatch<'_>,
) -> Served {
    let op = matched.op;
    let key = |template: &[Segment]| matched.key_of(template);
    match &op.kind {
        OpKind::List(template) => match key(template) {
            Some(key) => Served::read(list(store, ctx, op, &key, false)),
            None => Served::read(not_found()),
        },
        OpKind::Lite(template) => match key(template) {
            Some(key) => Served::read(list(store, ctx, op, &key, true)),
            None => Served::read(not_found()),
        },
        OpKind::Count(template) => {
            let count = key(template)
                .map(|key| filtered(store, ctx, op, &key).len())
                .unwrap_or(0);
            Served::read(json_response(200, &json!(count)))
        }
        OpKind::Get(template) | OpKind::LiteGet(template) => {
            let lite = matches!(op.kind, OpKind::LiteGet(_));
            let item = key(template)
                .zip(matched.last_value())
                .and_then(|(key, id)| store.collections.get(&key)?.items.get(id).cloned());
            Served::read(match item {
                Some(item) if lite => json_response(200, &project_lite(&item, &op.id_field)),
                Some(item) => json_response(200, &item),
                None => not_found(),
            })
        }
        OpKind::Create(template) => match key(template) {
            Some(key) => Served::write(create(store, ctx, op, &key)),
            None => Served::read(not_found()),
        },
        OpKind::Update(template) => match (key(template), matched.last_value()) {
            (Some(key), Some(id)) => Served::write(update(store, ctx, op, &key, Some(id))),
            _ => Served::read(not_found()),
        },
        OpKind::UpdateByBodyId(template) => match key(template) {
            Some(key) => Served::write(update(store, ctx, op, &key, None)),
            None => Served::read(not_found()),
        },
        OpKind::Delete(template) => {
            let removed = key(template)
                .zip(matched.last_value())
                .and_then(|(key, id)| store.collections.get_mut(&key)?.remove(id));
            match removed {
                Some(_) => Served::write(empty_response(204)),
                None => Served::read(not_found()),
            }
        }
        OpKind::BulkDelete(template) => match key(template) {
            Some(key) => Served::write(bulk_delete(store, ctx, op, &key)),
            None => Served::read(not_found()),
        },
        OpKind::Singleton => singleton(store, ctx, op, &matched.relative_path()),
        OpKind::PostSearch(_) | OpKind::Action => action(store, ctx, op, &matched.relative_path()),
    }
}

/// A list filter: the item matches when any of the field paths contains a matching value.
struct Filter {
    paths: Vec<Vec<&'static str>>,
    field: Option<String>,
    needle: String,
    exact: bool,
}

impl Filter {
    fn matches(&self, item: &Value) -> bool {
        let needle = self.needle.to_lowercase();
        let test = |text: &String| {
            let text = text.to_lowercase();
            if self.exact {
                text == needle
            } else {
                text.contains(&needle)
            }
        };
        if let Some(field) = &self.field {
            return field_texts(item, &[field.as_str()]).iter().any(test);
        }
        self.paths
            .iter()
            .map(|path| field_texts(item, path))
            .find(|texts| !texts.is_empty())
            .is_some_and(|texts| texts.iter().any(test))
    }
}

/// Builds the filters that a list request sets, limited to the parameters the catalog lists
/// for the endpoint.
fn filters(ctx: &RequestContext, op: &Operation) -> Vec<Filter> {
    let mut filters = Vec::new();
    for (name, value) in &ctx.query {
        if value.is_empty() || !op.query.iter().any(|known| known == name) {
            continue;
        }
        let name = name.as_str();
        let filter = match name {
            // `search` matches the display name; URL categories carry it as `configuredName`.
            "search" => Some(Filter {
                paths: vec![vec!["name"], vec!["configuredName"]],
                field: None,
                needle: value.clone(),
                exact: false,
            }),
            "dept" => Some(Filter {
                paths: vec![vec!["department", "name"]],
                field: None,
                needle: value.clone(),
                exact: false,
            }),
            "group" => Some(Filter {
                paths: vec![vec!["groups", "name"]],
                field: None,
                needle: value.clone(),
                exact: false,
            }),
            "customOnly" if value.eq_ignore_ascii_case("true") => Some(Filter {
                paths: Vec::new(),
                field: Some("customCategory".to_string()),
                needle: "true".to_string(),
                exact: true,
            }),
            _ if NON_FILTER_PARAMS.contains(&name) => None,
            _ => op.filter_fields.get(name).map(|field_type| Filter {
                paths: Vec::new(),
                field: Some(name.to_string()),
                needle: value.clone(),
                exact: *field_type == FieldType::Exact,
            }),
        };
        filters.extend(filter);
    }
    filters
}

fn filtered<'a>(
    store: &'a ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    key: &str,
) -> Vec<&'a Value> {
    let Some(collection) = store.collections.get(key) else {
        return Vec::new();
    };
    let filters = filters(ctx, op);
    let mut items: Vec<&Value> = collection
        .items
        .values()
        .filter(|item| filters.iter().all(|filter| filter.matches(item)))
        .collect();
    if op.query.iter().any(|name| name == "sortBy") {
        sort_items(
            &mut items,
            ctx.query_value("sortBy"),
            ctx.query_value("sortOrder"),
        );
    }
    items
}

/// Serves a list as a bare array. Paginated endpoints cut the page silently at the catalog's
/// maximum; endpoints without pagination ignore `page` and `pageSize`.
fn list(
    store: &ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    key: &str,
    lite: bool,
) -> Response<Body> {
    let items = filtered(store, ctx, op, key);
    let page: Vec<&Value> = if op.pagination == Pagination::ZiaPage {
        let max = op.max_page_size.unwrap_or(DEFAULT_MAX_PAGE_SIZE);
        let size = ctx
            .query_number("pageSize")
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .min(max);
        let number = ctx.query_number("page").unwrap_or(1);
        let start = (number - 1).saturating_mul(size);
        items.into_iter().skip(start).take(size).collect()
    } else {
        items
    };
    let id_field = store
        .collections
        .get(key)
        .map(|collection| collection.id_field.as_str())
        .unwrap_or("id");
    let body: Vec<Value> = page
        .into_iter()
        .map(|item| {
            if lite {
                project_lite(item, id_field)
            } else {
                item.clone()
            }
        })
        .collect();
    json_response(200, &Value::Array(body))
}

/// Returns the next `CUSTOM_NN` id of the URL categories collection.
fn next_custom_category_id(collection: &Collection) -> String {
    let max = collection
        .items
        .keys()
        .filter_map(|id| id.strip_prefix("CUSTOM_")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("CUSTOM_{:02}", max + 1)
}

fn create(
    store: &mut ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    key: &str,
) -> Response<Body> {
    let Ok(Some(Value::Object(mut item))) = ctx.json_body() else {
        return invalid_body();
    };
    let id = if key == "/urlCategories" {
        let collection = store.collection_mut(key, &op.id_field);
        Value::String(next_custom_category_id(collection))
    } else {
        Value::from(store.allocate_id())
    };
    item.insert(op.id_field.clone(), id);
    let item = Value::Object(item);
    store.collection_mut(key, &op.id_field).upsert(item.clone());
    json_response(200, &item)
}

/// Replaces an item in full, or with `action=ADD_TO_LIST|REMOVE_FROM_LIST` adds or removes the
/// body's list entries. The id comes from the path, or from the body when `path_id` is `None`.
fn update(
    store: &mut ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    key: &str,
    path_id: Option<&str>,
) -> Response<Body> {
    let Ok(Some(body)) = ctx.json_body() else {
        return invalid_body();
    };
    if !body.is_object() {
        return invalid_body();
    }
    let id = match path_id {
        Some(id) => id.to_string(),
        None => match body.get(&op.id_field).and_then(id_text) {
            Some(id) => id,
            None => return invalid_body(),
        },
    };
    let Some(existing) = store
        .collections
        .get_mut(key)
        .and_then(|collection| collection.items.get_mut(&id))
    else {
        return not_found();
    };
    match list_action(ctx) {
        Some(add) => apply_list_action(existing, &body, add),
        None => {
            let id_value = existing
                .get(&op.id_field)
                .cloned()
                .unwrap_or(Value::String(id));
            let mut replacement = body;
            replacement[op.id_field.as_str()] = id_value;
            *existing = replacement;
        }
    }
    json_response(200, existing)
}

/// Reads `action=ADD_TO_LIST` (true) or `action=REMOVE_FROM_LIST` (false).
fn list_action(ctx: &RequestContext) -> Option<bool> {
    match ctx.query_value("action")? {
        "ADD_TO_LIST" => Some(true),
        "REMOVE_FROM_LIST" => Some(false),
        _ => None,
    }
}

fn bulk_delete(
    store: &mut ProductStore,
    ctx: &RequestContext,
    op: &Operation,
    key: &str,
) -> Response<Body> {
    let Ok(Some(body)) = ctx.json_body() else {
        return invalid_body();
    };
    let Some(ids) = body.get("ids").and_then(Value::as_array) else {
        return invalid_body();
    };
    if ids.len() > BULK_DELETE_LIMIT {
        let message = format!(
            "At most {BULK_DELETE_LIMIT} ids can be deleted in one request; got {}.",
            ids.len()
        );
        return error(400, "INVALID_INPUT_ARGUMENT", &message);
    }
    let collection = store.collection_mut(key, &op.id_field);
    for id in ids.iter().filter_map(id_text) {
        collection.remove(&id);
    }
    empty_response(204)
}

/// Reads or replaces a settings object stored at the request path.
fn singleton(store: &mut ProductStore, ctx: &RequestContext, op: &Operation, path: &str) -> Served {
    if !ctx.is_write() {
        let value = store
            .singletons
            .get(path)
            .cloned()
            .unwrap_or_else(|| op.empty_response());
        return Served::read(json_response(200, &value));
    }
    let Ok(Some(body)) = ctx.json_body() else {
        return Served::read(invalid_body());
    };
    let stored = match list_action(ctx) {
        Some(add) => {
            let target = store
                .singletons
                .entry(path.to_string())
                .or_insert_with(|| json!({}));
            apply_list_action(target, &body, add);
            target.clone()
        }
        None => {
            store.singletons.insert(path.to_string(), body.clone());
            body
        }
    };
    Served::write(json_response(200, &stored))
}

/// Serves an operation without a generic meaning. Reads return the stored settings object or
/// an empty value, list edits (`action=`) change the settings object they name, other writes
/// echo their body.
fn action(store: &mut ProductStore, ctx: &RequestContext, op: &Operation, path: &str) -> Served {
    if list_action(ctx).is_some() {
        // The blacklist edit is posted to a child path of the settings object it changes.
        let target = path.strip_suffix("/blacklistUrls").unwrap_or(path);
        return singleton(store, ctx, op, target);
    }
    match ctx.method.as_str() {
        "GET" => {
            let value = store
                .singletons
                .get(path)
                .cloned()
                .unwrap_or_else(|| op.empty_response());
            Served::read(json_response(200, &value))
        }
        "DELETE" => Served::write(empty_response(204)),
        _ if !op.has_response => Served::write(empty_response(204)),
        _ => {
            let body = match ctx.json_body() {
                Ok(Some(body)) if !op.response_array || body.is_array() => body,
                Ok(_) if op.response_array => json!([]),
                Ok(_) => json!({}),
                Err(_) => return Served::read(invalid_body()),
            };
            // POST actions (validations, lookups, exports) stage nothing.
            let response = json_response(200, &body);
            if ctx.method == "POST" {
                Served::read(response)
            } else {
                Served::write(response)
            }
        }
    }
}
