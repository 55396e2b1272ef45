//! The HTTP server: the accept loop, and the pipeline every request runs through (record,
//! latency, faults, authentication, rate limits, then the product handler).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::catalog::Product;
use crate::faults::{FaultResponse, RetryAfterFormat};
use crate::http::{RequestContext, json_response, text_response, with_header};
use crate::recorder::RecordedRequest;
use crate::state::Shared;
use crate::{oneapi, zia, zpa};

/// Largest request body read. Larger bodies get 413.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Marker on a response that makes the connection task close the connection instead of
/// sending it.
#[derive(Clone, Copy, Debug)]
struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for ResetConnection {}

/// Accepts connections until the task is aborted; aborting it also ends every connection.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let router = Router::new().fallback(handle).with_state(shared);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, router: Router) {
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let router = router.clone();
        async move {
            let response = match router.oneshot(request.map(Body::new)).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response.extensions().get::<ResetConnection>().is_some() {
                return Err(ResetConnection);
            }
            Ok::<_, ResetConnection>(response)
        }
    });
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    if let Err(error) = builder
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::debug!(%error, "connection ended with an error");
    }
}

/// The part of the API a request addresses.
enum Route {
    /// Legacy ZIA login, `POST /api/v1/authenticatedSession`.
    ZiaLogin,
    /// Legacy ZPA sign-in, `POST /signin`.
    ZpaSignin,
    /// The OneAPI token endpoint.
    OneApiToken,
    /// An API call of one product.
    Api(ApiCall),
}

/// An API call after routing.
struct ApiCall {
    product: Product,
    /// Path segments as the product handler expects them: after `/api/v1` for ZIA, from the
    /// first segment of the legacy path for ZPA.
    segments: Vec<String>,
    /// Whether the call came through the OneAPI gateway prefix, so that it needs a OneAPI
    /// token.
    gateway: bool,
}

/// A request path that no route serves.
enum NoRoute {
    /// `/zia/api/v1/authenticatedSession`: the gateway has no ZIA sessions.
    GatewaySession,
    /// Any other unknown path.
    Unknown,
}

/// The body format of errors that the pipeline sends before a product handler runs.
#[derive(Clone, Copy)]
enum ErrorStyle {
    /// ZIA `{"code","message"}`.
    Zia,
    /// ZPA `{"id","reason"}`.
    Zpa,
    /// OAuth2 `{"error","error_description"}` of the token endpoint.
    OAuth,
}

impl From<Product> for ErrorStyle {
    fn from(product: Product) -> Self {
        match product {
            Product::Zia => ErrorStyle::Zia,
            Product::Zpa => ErrorStyle::Zpa,
        }
    }
}

fn route_of(ctx: &RequestContext) -> Result<Route, NoRoute> {
    let segments = ctx.segments.as_slice();
    if oneapi::is_token_path(segments) {
        return Ok(Route::OneApiToken);
    }
    match segments.first().map(String::as_str) {
        Some(oneapi::ZIA_PREFIX) => zia_route(ctx, &segments[1..], true),
        Some(oneapi::ZPA_PREFIX) => zpa_route(&segments[1..], true),
        _ => zia_route(ctx, segments, false).or_else(|_| zpa_route(segments, false)),
    }
}

fn zia_route(ctx: &RequestContext, segments: &[String], gateway: bool) -> Result<Route, NoRoute> {
    if segments.len() < 2 || segments[0] != "api" || segments[1] != "v1" {
        return Err(NoRoute::Unknown);
    }
    let rest = segments[2..].to_vec();
    if rest.len() == 1 && rest[0] == "authenticatedSession" {
        if gateway {
            return Err(NoRoute::GatewaySession);
        }
        if ctx.method == "POST" {
            return Ok(Route::ZiaLogin);
        }
    }
    Ok(Route::Api(ApiCall {
        product: Product::Zia,
        segments: rest,
        gateway,
    }))
}

fn zpa_route(segments: &[String], gateway: bool) -> Result<Route, NoRoute> {
    if !gateway && segments.len() == 1 && segments[0] == "signin" {
        return Ok(Route::ZpaSignin);
    }
    if segments
        .first()
        .is_some_and(|first| zpa::ROOTS.contains(&first.as_str()))
    {
        return Ok(Route::Api(ApiCall {
            product: Product::Zpa,
            segments: segments.to_vec(),
            gateway,
        }));
    }
    Err(NoRoute::Unknown)
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return json_response(
            413,
            &json!({"message": "The request body is too large or unreadable."}),
        );
    };
    let ctx = RequestContext::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        parts.headers,
        bytes,
    );
    let mut body = ctx.body_for_log();
    if oneapi::is_token_path(&ctx.segments) {
        body = oneapi::mask_token_body(body);
    }
    let entry = shared.recorder.begin(RecordedRequest {
        method: ctx.method.clone(),
        path: ctx.path.clone(),
        query: ctx.query.clone(),
        status: 0,
        body,
        partner_id: ctx.header("x-partner-id").map(str::to_string),
    });
    let outcome = process(&shared, &ctx).await;
    match outcome {
        Some(response) => {
            let status = response.status().as_u16();
            tracing::debug!(method = %ctx.method, path = %ctx.path, status, "request served");
            shared.recorder.finish(entry, status);
            response
        }
        None => {
            tracing::debug!(method = %ctx.method, path = %ctx.path, "connection reset by fault injection");
            shared.recorder.finish(entry, 0);
            let mut response = Response::new(Body::empty());
            response.extensions_mut().insert(ResetConnection);
            response
        }
    }
}

/// Runs the pipeline; `None` means the connection must be closed without a response.
async fn process(shared: &Shared, ctx: &RequestContext) -> Option<Response<Body>> {
    let latency = *shared.latency.lock().expect("latency lock poisoned");
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let route = match route_of(ctx) {
        Ok(route) => route,
        Err(NoRoute::GatewaySession) => return Some(oneapi::no_sessions_on_gateway(&ctx.path)),
        Err(NoRoute::Unknown) => {
            let message = format!("No simulated API at {}", ctx.path);
            return Some(json_response(404, &json!({"message": message})));
        }
    };
    let style = match &route {
        Route::ZiaLogin => ErrorStyle::Zia,
        Route::ZpaSignin => ErrorStyle::Zpa,
        Route::OneApiToken => ErrorStyle::OAuth,
        Route::Api(call) => ErrorStyle::from(call.product),
    };

    let login = !matches!(route, Route::Api(_));
    let decision = shared
        .faults
        .lock()
        .expect("fault lock poisoned")
        .decide(login);
    if let Some(stall) = decision.stall {
        tokio::time::sleep(stall).await;
    }
    if let Some(fault) = decision.response {
        let (format, secs) = {
            let state = shared.faults.lock().expect("fault lock poisoned");
            (state.faults.retry_after, state.faults.retry_after_secs)
        };
        return match fault {
            FaultResponse::Reset => None,
            FaultResponse::RateLimited => Some(rate_limited(style, format, secs)),
            other => Some(failure(style, other)),
        };
    }

    let call = match route {
        Route::ZiaLogin => return Some(zia::auth::login(shared, ctx)),
        Route::ZpaSignin => return Some(zpa::auth::signin(shared, ctx)),
        Route::OneApiToken => return Some(oneapi::token::token_endpoint(shared, ctx)),
        Route::Api(call) => call,
    };

    let rejection = match (call.gateway, call.product) {
        (true, _) => authenticate_oneapi(shared, ctx, decision.invalidate),
        (false, Product::Zia) => authenticate_zia(shared, ctx, decision.invalidate),
        (false, Product::Zpa) => authenticate_zpa(shared, ctx, decision.invalidate),
    };
    if rejection.is_some() {
        return rejection;
    }

    let limited = shared
        .limiter
        .lock()
        .expect("rate limiter lock poisoned")
        .acquire(call.product, &ctx.method);
    if let Err(wait) = limited {
        let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
        let format = match call.product {
            Product::Zia => RetryAfterFormat::Seconds,
            Product::Zpa => RetryAfterFormat::SecondsWithUnit,
        };
        return Some(rate_limited(call.product.into(), format, secs));
    }

    let response = match call.product {
        Product::Zia => zia::handle(shared, ctx, &call.segments),
        Product::Zpa => zpa::handle(shared, ctx, &call.segments),
    };
    Some(response)
}

/// Counts an authenticated request for the fault injector and reports whether its session or
/// token must be invalidated now: by this request's random draw (`drawn`) or by
/// `invalidate_session_after`.
fn must_invalidate(shared: &Shared, drawn: bool) -> bool {
    let forced = shared
        .faults
        .lock()
        .expect("fault lock poisoned")
        .count_authenticated();
    drawn || forced
}

/// Checks the ZIA session and applies session-invalidating faults. Returns the 401 response
/// when the request is not authenticated.
fn authenticate_zia(
    shared: &Shared,
    ctx: &RequestContext,
    invalidate: bool,
) -> Option<Response<Body>> {
    let Some(session) = zia::auth::session_id(ctx) else {
        return Some(zia::auth::session_not_valid());
    };
    let idle_timeout = shared.settings.zia_idle_timeout;
    let live = shared
        .zia_sessions
        .lock()
        .expect("session lock poisoned")
        .touch(&session, idle_timeout);
    if !live {
        return Some(zia::auth::session_not_valid());
    }
    if must_invalidate(shared, invalidate) {
        tracing::debug!("ZIA session invalidated by fault injection");
        shared
            .zia_sessions
            .lock()
            .expect("session lock poisoned")
            .remove(&session);
        return Some(zia::auth::session_not_valid());
    }
    None
}

/// Checks the ZPA bearer token and applies token-invalidating faults. Returns the 401 response
/// when the request is not authenticated.
fn authenticate_zpa(
    shared: &Shared,
    ctx: &RequestContext,
    invalidate: bool,
) -> Option<Response<Body>> {
    let Some(token) = ctx.bearer_token() else {
        return Some(zpa::auth::authentication_failed());
    };
    let live = shared
        .zpa_tokens
        .lock()
        .expect("token lock poisoned")
        .is_live(token);
    if !live {
        return Some(zpa::auth::authentication_failed());
    }
    if must_invalidate(shared, invalidate) {
        tracing::debug!("ZPA token revoked by fault injection");
        shared
            .zpa_tokens
            .lock()
            .expect("token lock poisoned")
            .revoke(token);
        return Some(zpa::auth::authentication_failed());
    }
    None
}

/// Checks the OneAPI bearer token of a gateway call and applies token-invalidating faults.
/// Returns the 401 response when the request is not authenticated.
fn authenticate_oneapi(
    shared: &Shared,
    ctx: &RequestContext,
    invalidate: bool,
) -> Option<Response<Body>> {
    let Some(token) = ctx.bearer_token() else {
        return Some(oneapi::invalid_token());
    };
    let live = shared
        .oneapi_tokens
        .lock()
        .expect("token lock poisoned")
        .is_live(token);
    if !live {
        return Some(oneapi::invalid_token());
    }
    if must_invalidate(shared, invalidate) {
        tracing::debug!("OneAPI token revoked by fault injection");
        shared
            .oneapi_tokens
            .lock()
            .expect("token lock poisoned")
            .revoke(token);
        return Some(oneapi::invalid_token());
    }
    None
}

/// Builds a 429 response in the body format of `style` with the retry hint in `format`.
fn rate_limited(style: ErrorStyle, format: RetryAfterFormat, secs: u64) -> Response<Body> {
    let body = match style {
        ErrorStyle::Zia => {
            let mut body = json!({"message": "Rate Limit (1/SECOND) exceeded"});
            let hint = match format {
                RetryAfterFormat::None | RetryAfterFormat::RateLimitReset => None,
                RetryAfterFormat::ZiaZeroSeconds => Some("0 seconds".to_string()),
                _ => Some(format!("{secs} seconds")),
            };
            if let Some(hint) = hint {
                body["Retry-After"] = json!(hint);
            }
            body
        }
        ErrorStyle::Zpa => json!({
            "id": "invalid.toomanyrequests",
            "reason": "Exceeded the number of requests allowed."
        }),
        // NOTE: ZIdentity's 429 and 5xx bodies are not recorded; the token endpoint's fault
        // responses use the OAuth2 error shape of its other errors.
        ErrorStyle::OAuth => json!({
            "error": "too_many_requests",
            "error_description": "Too many token requests; retry later."
        }),
    };
    let response = json_response(429, &body);
    match format {
        RetryAfterFormat::Seconds => with_header(response, "retry-after", &secs.to_string()),
        RetryAfterFormat::SecondsWithUnit => {
            with_header(response, "retry-after", &format!("{secs}s"))
        }
        RetryAfterFormat::HttpDate => {
            let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs));
            with_header(response, "retry-after", &date)
        }
        RetryAfterFormat::RateLimitReset => {
            with_header(response, "x-ratelimit-reset", &secs.to_string())
        }
        RetryAfterFormat::ZiaJsonBodyOnly
        | RetryAfterFormat::ZiaZeroSeconds
        | RetryAfterFormat::None => response,
    }
}

/// Builds the response of an injected server-side failure.
fn failure(style: ErrorStyle, fault: FaultResponse) -> Response<Body> {
    let (status, code, id, error, message) = match fault {
        FaultResponse::Unavailable(status) => (
            status,
            "SERVICE_UNAVAILABLE",
            "service.unavailable",
            "temporarily_unavailable",
            "The service is temporarily unavailable.",
        ),
        FaultResponse::HtmlError => {
            let page = "<html><head><title>502 Bad Gateway</title></head><body>\
                        <h1>502 Bad Gateway</h1><p>The proxy received an invalid response \
                        from the upstream server.</p></body></html>";
            return text_response(502, "text/html; charset=utf-8", page.to_string());
        }
        _ => (
            500,
            "UNEXPECTED_ERROR",
            "internal.server.error",
            "server_error",
            "An unexpected error occurred.",
        ),
    };
    let body = match style {
        ErrorStyle::Zia => json!({"code": code, "message": message}),
        ErrorStyle::Zpa => json!({"id": id, "reason": message}),
        ErrorStyle::OAuth => json!({"error": error, "error_description": message}),
    };
    json_response(status, &body)
}
