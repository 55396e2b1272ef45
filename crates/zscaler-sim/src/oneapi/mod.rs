//! OneAPI: the ZIdentity token endpoint `POST /oauth2/v1/token` and the API gateway, whose
//! paths are the legacy ones behind a `/zia` or `/zpa` prefix and whose calls carry a OneAPI
//! bearer token instead of a `JSESSIONID` cookie or a ZPA token.

pub(crate) mod assertion;
pub(crate) mod log;
pub(crate) mod token;

use axum::body::Body;
use axum::http::Response;
use serde_json::{Value, json};

use crate::http::{json_response, text_response, with_header};

/// Path of the token endpoint. Real tenants serve it on their ZIdentity host
/// (`https://<vanity>.zslogin.net`), and the simulator serves it beside the gateway paths.
pub(crate) const TOKEN_PATH: &str = "/oauth2/v1/token";

/// The `audience` of every token request and client assertion.
pub(crate) const AUDIENCE: &str = "https://api.zscaler.com";

/// First path segment of ZIA calls through the gateway (`/zia/api/v1/...`).
pub(crate) const ZIA_PREFIX: &str = "zia";

/// First path segment of ZPA calls through the gateway (`/zpa/mgmtconfig/...` and the other
/// ZPA roots).
pub(crate) const ZPA_PREFIX: &str = "zpa";

/// Form fields of a token request whose values are masked in the request log.
const SECRET_FIELDS: [&str; 2] = ["client_secret", "client_assertion"];

/// Text that replaces secret values in the request log.
pub(crate) const MASK: &str = "[masked]";

/// Reports whether decoded path segments address the token endpoint.
pub(crate) fn is_token_path(segments: &[String]) -> bool {
    segments.len() == 3 && segments[0] == "oauth2" && segments[1] == "v1" && segments[2] == "token"
}

/// Builds an OAuth2 error response (`{"error","error_description"}`, RFC 6749 section 5.2).
pub(crate) fn oauth_error(status: u16, error: &str, description: &str) -> Response<Body> {
    json_response(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

/// Builds the gateway's 401 response for a missing, unknown, expired or revoked token.
// NOTE: the real gateway's 401 body is not recorded. This one follows RFC 6750, so clients
// should rely on the status only.
pub(crate) fn invalid_token() -> Response<Body> {
    let response = oauth_error(
        401,
        "invalid_token",
        "The access token is missing, expired or revoked. Request a new token from \
         /oauth2/v1/token.",
    );
    with_header(
        response,
        "www-authenticate",
        "Bearer error=\"invalid_token\"",
    )
}

/// Builds the response a migrated ZIA tenant sends to a legacy login: an HTML page, not JSON.
pub(crate) fn legacy_login_rejected() -> Response<Body> {
    let page = "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body>\
                <h1>403 Forbidden</h1><p>Legacy API authentication is disabled for this \
                organization. API access is available only through Zscaler OneAPI: request \
                an access token from your ZIdentity tenant and call the API gateway.</p>\
                </body></html>\n";
    text_response(403, "text/html; charset=utf-8", page.to_string())
}

/// Builds the response to `/zia/api/v1/authenticatedSession` on the gateway, where OneAPI
/// tokens replace ZIA sessions.
// NOTE: the real gateway's response here is not recorded. The simulator rejects the path, so a
// client that logs in or out through the gateway notices.
pub(crate) fn no_sessions_on_gateway(path: &str) -> Response<Body> {
    let message = format!(
        "No API at {path}: OneAPI access tokens replace ZIA sessions, so there is no session \
         to create, read or end."
    );
    json_response(
        404,
        &json!({"code": "RESOURCE_NOT_FOUND", "message": message}),
    )
}

/// Masks the secret fields of a token request body as recorded in the request log. A body
/// that is not a form is masked whole, because it may contain a secret in any shape.
pub(crate) fn mask_token_body(body: Option<Value>) -> Option<Value> {
    match body? {
        Value::Object(mut fields) => {
            for name in SECRET_FIELDS {
                if let Some(value) = fields.get_mut(name) {
                    *value = Value::String(MASK.to_string());
                }
            }
            Some(Value::Object(fields))
        }
        _ => Some(Value::String(MASK.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_path_match() {
        let segments = |path: &str| crate::catalog::split_path(path);
        assert!(is_token_path(&segments("/oauth2/v1/token")));
        assert!(is_token_path(&segments("/oauth2/v1/token/")));
        assert!(!is_token_path(&segments("/oauth2/v1")));
        assert!(!is_token_path(&segments("/zia/oauth2/v1/token")));
    }

    #[test]
    fn token_body_masking() {
        let form = json!({
            "grant_type": "client_credentials",
            "client_id": "abc",
            "client_secret": "s3cret",
            "client_assertion": "a.b.c"
        });
        let masked = mask_token_body(Some(form)).expect("a body");
        assert_eq!(masked["client_id"], "abc");
        assert_eq!(masked["client_secret"], MASK);
        assert_eq!(masked["client_assertion"], MASK);
        assert_eq!(
            mask_token_body(Some(json!("client_secret=s3cret"))),
            Some(json!(MASK))
        );
        assert_eq!(mask_token_body(None), None);
    }
}
