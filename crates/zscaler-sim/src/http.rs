//! The parsed form of a request and helpers that build responses.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::catalog::split_path;

/// Content type of JSON responses, as ZIA and ZPA send it.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// A request read in full.
#[derive(Debug)]
pub(crate) struct RequestContext {
    /// Method in upper case.
    pub method: String,
    /// Path as sent, without the query.
    pub path: String,
    /// Percent-decoded path segments.
    pub segments: Vec<String>,
    /// Decoded query pairs (`+` decodes to a space, as in forms).
    pub query: Vec<(String, String)>,
    /// Request headers.
    pub headers: HeaderMap,
    /// Raw body.
    pub body: Bytes,
}

/// The body of a request could not be parsed as JSON.
#[derive(Debug)]
pub(crate) struct InvalidBody;

impl RequestContext {
    /// Builds the context from the request parts and the collected body.
    pub fn new(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let query = query
            .map(|text| {
                url::form_urlencoded::parse(text.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        Self {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            segments: split_path(path),
            query,
            headers,
            body,
        }
    }

    /// Returns the first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Parses a query parameter as a positive integer; missing, invalid and zero give `None`.
    pub fn query_number(&self, name: &str) -> Option<usize> {
        self.query_value(name)
            .and_then(|value| value.trim().parse::<usize>().ok())
            .filter(|number| *number > 0)
    }

    /// Parses the body as JSON; an empty body is `Ok(None)`.
    pub fn json_body(&self) -> Result<Option<Value>, InvalidBody> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(&self.body)
            .map(Some)
            .map_err(|_| InvalidBody)
    }

    /// Parses a form-encoded body into its fields.
    pub fn form_body(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .into_owned()
            .collect()
    }

    /// Describes the body for the request log: JSON, form fields or text.
    pub fn body_for_log(&self) -> Option<Value> {
        if self.body.is_empty() {
            return None;
        }
        if let Ok(Some(value)) = self.json_body() {
            return Some(value);
        }
        let is_form = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            let fields: Map<String, Value> = self
                .form_body()
                .into_iter()
                .map(|(key, value)| (key, Value::String(value)))
                .collect();
            return Some(Value::Object(fields));
        }
        Some(Value::String(
            String::from_utf8_lossy(&self.body).into_owned(),
        ))
    }

    /// Returns the value of a cookie from the `Cookie` headers.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_string())
    }

    /// Returns a header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Returns the token of an `Authorization: Bearer` header.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim())
            .filter(|token| !token.is_empty())
    }

    /// Reports whether the request changes state.
    pub fn is_write(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }
}

/// Builds a JSON response.
pub(crate) fn json_response(status: u16, value: &Value) -> Response<Body> {
    let body = serde_json::to_vec(value).expect("a JSON value always serialises");
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status_code(status);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

/// Builds a response without a body.
pub(crate) fn empty_response(status: u16) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status_code(status);
    response
}

/// Builds a response with a text body and content type.
pub(crate) fn text_response(
    status: u16,
    content_type: &'static str,
    text: String,
) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status_code(status);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Adds a header to a response; values that are not valid header text are skipped.
pub(crate) fn with_header(
    mut response: Response<Body>,
    name: &'static str,
    value: &str,
) -> Response<Body> {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
    response
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(query: &str, headers: HeaderMap, body: &str) -> RequestContext {
        RequestContext::new(
            "get",
            "/a%20b/c",
            Some(query),
            headers,
            Bytes::from(body.to_string()),
        )
    }

    #[test]
    fn query_decoding() {
        let ctx = context("search=name+EQ+x&page=2&pageSize=0", HeaderMap::new(), "");
        assert_eq!(ctx.method, "GET");
        assert_eq!(ctx.segments, vec!["a b", "c"]);
        assert_eq!(ctx.query_value("search"), Some("name EQ x"));
        assert_eq!(ctx.query_number("page"), Some(2));
        assert_eq!(ctx.query_number("pageSize"), None);
    }

    #[test]
    fn cookie_and_bearer() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; JSESSIONID=abc"),
        );
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer tok"),
        );
        let ctx = context("", headers, "");
        assert_eq!(ctx.cookie("JSESSIONID").as_deref(), Some("abc"));
        assert_eq!(ctx.bearer_token(), Some("tok"));
    }

    #[test]
    fn body_kinds_for_log() {
        let json = context("", HeaderMap::new(), "{\"a\":1}");
        assert_eq!(json.body_for_log(), Some(serde_json::json!({"a": 1})));
        let empty = context("", HeaderMap::new(), "");
        assert_eq!(empty.body_for_log(), None);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let form = context("", headers, "client_id=a&client_secret=b");
        assert_eq!(
            form.body_for_log(),
            Some(serde_json::json!({"client_id": "a", "client_secret": "b"}))
        );
    }
}
