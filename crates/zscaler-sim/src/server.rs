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
use crate::{zia, zpa};

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
    ZiaLogin,
    Zia(Vec<String>),
    ZpaSignin,
    Zpa,
    Unknown,
}

fn route_of(ctx: &RequestContext) -> Route {
    let segments = &ctx.segments;
    if segments.len() >= 2 && segments[0] == "api" && segments[1] == "v1" {
        let rest = segments[2..].to_vec();
        if ctx.method == "POST" && rest.len() == 1 && rest[0] == "authenticatedSession" {
            return Route::ZiaLogin;
        }
        return Route::Zia(rest);
    }
    if segments.len() == 1 && segments[0] == "signin" {
        return Route::ZpaSignin;
    }
    if segments
        .first()
        .is_some_and(|first| zpa::ROOTS.contains(&first.as_str()))
    {
        return Route::Zpa;
    }
    Route::Unknown
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
    let entry = shared.recorder.begin(RecordedRequest {
        method: ctx.method.clone(),
        path: ctx.path.clone(),
        query: ctx.query.clone(),
        status: 0,
        body: ctx.body_for_log(),
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

    let route = route_of(ctx);
    let product = match route {
        Route::ZiaLogin | Route::Zia(_) => Product::Zia,
        Route::ZpaSignin | Route::Zpa => Product::Zpa,
        Route::Unknown => {
            let message = format!("No simulated API at {}", ctx.path);
            return Some(json_response(404, &json!({"message": message})));
        }
    };

    let login = matches!(route, Route::ZiaLogin | Route::ZpaSignin);
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
            FaultResponse::RateLimited => Some(rate_limited(product, format, secs)),
            other => Some(failure(product, other)),
        };
    }

    match route {
        Route::ZiaLogin => return Some(zia::auth::login(shared, ctx)),
        Route::ZpaSignin => return Some(zpa::auth::signin(shared, ctx)),
        _ => {}
    }

    let rejection = match product {
        Product::Zia => authenticate_zia(shared, ctx, decision.invalidate),
        Product::Zpa => authenticate_zpa(shared, ctx, decision.invalidate),
    };
    if rejection.is_some() {
        return rejection;
    }

    let limited = shared
        .limiter
        .lock()
        .expect("rate limiter lock poisoned")
        .acquire(product, &ctx.method);
    if let Err(wait) = limited {
        let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
        let format = match product {
            Product::Zia => RetryAfterFormat::Seconds,
            Product::Zpa => RetryAfterFormat::SecondsWithUnit,
        };
        return Some(rate_limited(product, format, secs));
    }

    let response = match route {
        Route::Zia(path) => zia::handle(shared, ctx, &path),
        _ => zpa::handle(shared, ctx),
    };
    Some(response)
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
    let forced = shared
        .faults
        .lock()
        .expect("fault lock poisoned")
        .count_authenticated();
    if invalidate || forced {
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
    let forced = shared
        .faults
        .lock()
        .expect("fault lock poisoned")
        .count_authenticated();
    if invalidate || forced {
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

/// Builds a 429 response in the product's body format with the retry hint in `format`.
pub(crate) fn rate_limited(
    product: Product,
    format: RetryAfterFormat,
    secs: u64,
) -> Response<Body> {
    let body = match product {
        Product::Zia => {
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
        Product::Zpa => json!({
            "id": "invalid.toomanyrequests",
            "reason": "Exceeded the number of requests allowed."
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
fn failure(product: Product, fault: FaultResponse) -> Response<Body> {
    let (status, code, id, message) = match fault {
        FaultResponse::Unavailable(status) => (
            status,
            "SERVICE_UNAVAILABLE",
            "service.unavailable",
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
            "An unexpected error occurred.",
        ),
    };
    let body = match product {
        Product::Zia => json!({"code": code, "message": message}),
        Product::Zpa => json!({"id": id, "reason": message}),
    };
    json_response(status, &body)
}
