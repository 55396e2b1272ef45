//! The simulated ZPA API: `/signin` and the catalog paths under `/mgmtconfig`,
//! `/userconfig`, `/cbiconfig` and `/waap-pra-config`.

pub(crate) mod auth;
pub(crate) mod policy;
pub(crate) mod resources;
pub(crate) mod search;

use axum::body::Body;
use axum::http::Response;

use crate::catalog::Catalog;
use crate::http::RequestContext;
use crate::state::Shared;

/// First path segments of the ZPA API.
pub(crate) const ROOTS: [&str; 4] = ["mgmtconfig", "userconfig", "cbiconfig", "waap-pra-config"];

/// Serves an authenticated ZPA API request; `segments` is the legacy path, without the
/// gateway's `/zpa` prefix.
pub(crate) fn handle(shared: &Shared, ctx: &RequestContext, segments: &[String]) -> Response<Body> {
    let catalog = &Catalog::get().zpa;
    let Some(matched) = catalog.find(&ctx.method, segments) else {
        if catalog.path_exists(segments) {
            let reason = format!("Method {} is not supported on {}", ctx.method, ctx.path);
            return resources::error(405, "method.not.allowed", &reason);
        }
        let reason = format!("No API at {}", ctx.path);
        return resources::error(404, "resource.not.found", &reason);
    };
    let customer_id = &shared.settings.zpa.customer_id;
    if let Some(requested) = matched.param("customerId")
        && requested != customer_id
    {
        let reason = format!("The token does not grant access to customer {requested}.");
        return resources::error(403, "authorization.failed", &reason);
    }
    let mut store = shared.store.lock().expect("store lock poisoned");
    if matched.op.resource == policy::RESOURCE
        && let Some(response) = policy::serve(&mut store.zpa, ctx, &matched)
    {
        return response;
    }
    resources::serve(&mut store.zpa, ctx, &matched)
}
