//! The simulated ZIA API under `/api/v1`.

pub(crate) mod auth;
pub(crate) mod resources;

use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::http::Response;
use serde_json::json;

use crate::catalog::Catalog;
use crate::http::{RequestContext, json_response};
use crate::state::Shared;

/// Returns the activation status text for the pending flag.
pub(crate) fn activation_status(pending: bool) -> &'static str {
    if pending { "PENDING" } else { "ACTIVE" }
}

/// Serves an authenticated ZIA request; `path` contains the segments after `/api/v1`.
pub(crate) fn handle(shared: &Shared, ctx: &RequestContext, path: &[String]) -> Response<Body> {
    let path_text: Vec<&str> = path.iter().map(String::as_str).collect();
    match (ctx.method.as_str(), path_text.as_slice()) {
        ("GET", ["authenticatedSession"]) => return auth::current_session(),
        ("DELETE", ["authenticatedSession"]) => return auth::logout(shared, ctx),
        ("GET", ["status"]) => {
            let pending = shared
                .store
                .lock()
                .expect("store lock poisoned")
                .zia_pending;
            return json_response(200, &json!({"status": activation_status(pending)}));
        }
        _ => {}
    }
    if ctx.is_write() && shared.zia_edit_lock.load(Ordering::SeqCst) {
        return resources::error(
            409,
            "EDIT_LOCK_NOT_AVAILABLE",
            "Another admin holds the edit lock; retry later.",
        );
    }
    if let ("POST", ["status", "activate"]) = (ctx.method.as_str(), path_text.as_slice()) {
        shared
            .store
            .lock()
            .expect("store lock poisoned")
            .zia_pending = false;
        return json_response(200, &json!({"status": "ACTIVE"}));
    }
    let catalog = &Catalog::get().zia;
    let Some(matched) = catalog.find(&ctx.method, path) else {
        if catalog.path_exists(path) {
            let message = format!("Method {} is not supported on {}", ctx.method, ctx.path);
            return resources::error(405, "METHOD_NOT_ALLOWED", &message);
        }
        let message = format!("No API at {}", ctx.path);
        return resources::error(404, "RESOURCE_NOT_FOUND", &message);
    };
    let mut store = shared.store.lock().expect("store lock poisoned");
    let served = resources::serve(&mut store.zia, ctx, &matched);
    if served.staged_change {
        store.zia_pending = true;
    }
    served.response
}
