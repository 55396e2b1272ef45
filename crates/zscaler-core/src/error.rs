//! The one error type of the SDK.
//!
//! Every fallible call returns [`Result<T>`]. The [`Display`](std::fmt::Display) form of an
//! [`Error`] reads well on its own, for example
//! `ZIA 409 EDIT_LOCK_NOT_AVAILABLE on PUT /api/v1/users/42: another admin holds the edit lock`,
//! and the details (status, API error code, request id, body excerpt) are available through
//! [`ApiError`].

use std::fmt;
use std::time::Duration;

use crate::product::Product;

/// The result type of every fallible SDK call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error used as the source of transport failures, so no third-party type appears in
/// a public variant.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when talking to a Zscaler API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is missing or invalid. Nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),

    /// The request could not be sent or the response could not be read (DNS, connect, TLS,
    /// connection reset), even after the retries the policy allows.
    #[error("{product} transport failure on {method} {path}: {message}")]
    Transport {
        /// Product the request was for.
        product: Product,
        /// HTTP method.
        method: String,
        /// URL path, without the query.
        path: String,
        /// Short description of the failure.
        message: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The call did not finish within the per-request timeout or the overall deadline.
    #[error("{product} {method} {path} timed out after {elapsed:?} (limit {limit:?})")]
    Timeout {
        /// Product the request was for.
        product: Product,
        /// HTTP method.
        method: String,
        /// URL path, without the query.
        path: String,
        /// Time spent on the call, retries included.
        elapsed: Duration,
        /// The limit that was reached.
        limit: Duration,
    },

    /// The credentials were rejected, or a session could not be established or renewed.
    #[error("{0}")]
    Authentication(Box<ApiError>),

    /// The API kept returning 429, or requested a wait longer than the configured maximum.
    #[error("{details} (retry after {retry_after:?})")]
    RateLimited {
        /// The last 429 response.
        details: Box<ApiError>,
        /// The wait the server requested, or 2 s when it named none.
        retry_after: Duration,
    },

    /// Another change holds a lock the request needs: the ZIA edit lock, or a ZPA concurrent
    /// change to the same object, even after the retries the policy allows.
    #[error("{0}")]
    Conflict(Box<ApiError>),

    /// The resource does not exist.
    #[error("{0}")]
    NotFound(Box<ApiError>),

    /// Any other error response of the API.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A success response whose body could not be decoded into the expected type.
    #[error("{0}")]
    InvalidResponse(Box<InvalidBody>),

    /// A list call saw the server return the same non-empty page twice in a row and stopped
    /// rather than loop forever.
    #[error("{product} returned page {page} of {path} twice in a row; stopping the listing")]
    RepeatedPage {
        /// Product the request was for.
        product: Product,
        /// URL path of the listing.
        path: String,
        /// The page number that repeated the previous page.
        page: u32,
    },
}

impl Error {
    /// Builds an [`Error::InvalidResponse`] for a body of `request` that failed to decode at
    /// `json_path` (`.` for the whole body).
    pub fn invalid_response(
        product: Product,
        request: &crate::service::Request,
        json_path: impl Into<String>,
        message: impl Into<String>,
        body_excerpt: Option<String>,
    ) -> Self {
        Error::InvalidResponse(Box::new(InvalidBody {
            product,
            method: request.method().to_string(),
            path: request.path().to_owned(),
            json_path: json_path.into(),
            message: message.into(),
            body_excerpt,
        }))
    }

    /// Returns the API error details when the error came from an HTTP response.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Authentication(details)
            | Error::Conflict(details)
            | Error::NotFound(details)
            | Error::Api(details)
            | Error::RateLimited { details, .. } => Some(details),
            _ => None,
        }
    }

    /// Returns the HTTP status of the response behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|details| details.status)
    }

    /// Returns true for [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(_))
    }
}

/// The details of a success response whose body did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidBody {
    /// Product the request was for.
    pub product: Product,
    /// HTTP method.
    pub method: String,
    /// URL path, without the query.
    pub path: String,
    /// JSON path of the value that failed to decode (`.` for the whole body).
    pub json_path: String,
    /// Description of the decoding failure.
    pub message: String,
    /// The start of the body, when it was not JSON, with secrets masked.
    pub body_excerpt: Option<String>,
}

impl fmt::Display for InvalidBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} returned an invalid response body for {} {}: at `{}`: {}",
            self.product, self.method, self.path, self.json_path, self.message
        )?;
        if let Some(excerpt) = &self.body_excerpt {
            write!(f, " (body starts with {excerpt:?})")?;
        }
        Ok(())
    }
}

/// The details of an error response: what the API returned and for which request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// Product that returned the error.
    pub product: Product,
    /// HTTP status code.
    pub status: u16,
    /// The API's error code: ZIA `code` (`EDIT_LOCK_NOT_AVAILABLE`) or ZPA `id`
    /// (`resource.not.found`).
    pub code: Option<String>,
    /// The API's error message: ZIA `message` or ZPA `reason`.
    pub message: Option<String>,
    /// HTTP method of the request.
    pub method: String,
    /// URL path of the request, without the query (queries never carry secrets here, but they
    /// can be long).
    pub path: String,
    /// Value of the request id header of the response, when there is one.
    pub request_id: Option<String>,
    /// The start of the body when it was not JSON (an HTML page from a proxy, plain text).
    pub body_excerpt: Option<String>,
}

impl ApiError {
    /// Builds the details of an error response from its status, body and request id.
    pub fn from_response(
        product: Product,
        method: &str,
        path: &str,
        status: u16,
        body: &[u8],
        request_id: Option<String>,
    ) -> Self {
        let (code, message, body_excerpt) = parse_error_body(body);
        ApiError {
            product,
            status,
            code,
            message,
            method: method.to_owned(),
            path: path.to_owned(),
            request_id,
            body_excerpt,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.product, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, " on {} {}", self.method, self.path)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(excerpt) = &self.body_excerpt {
            write!(f, " (body starts with {excerpt:?})")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

/// Maximum number of characters of a non-JSON body kept in an error.
const EXCERPT_CHARS: usize = 200;

/// Splits an error body into (code, message, excerpt). JSON bodies of both products give a code
/// and a message; anything else gives a whitespace-collapsed excerpt.
fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
    if body.iter().all(u8::is_ascii_whitespace) {
        return (None, None, None);
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        let text = |keys: &[&str]| {
            keys.iter().find_map(|key| match map.get(*key) {
                Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
                _ => None,
            })
        };
        let code = text(&["code", "id", "error"]);
        let message = text(&[
            "message",
            "reason",
            "detail",
            "exception",
            "error_description",
        ]);
        return (code, message, None);
    }
    (None, None, Some(excerpt(body)))
}

/// Returns the first characters of a body with runs of whitespace collapsed and secrets
/// (session cookies, bearer tokens, JSON or form fields such as `access_token`) masked.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = crate::redact::text_for_log(&String::from_utf8_lossy(body));
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    let joined = collapsed.join(" ");
    let mut out: String = joined.chars().take(EXCERPT_CHARS).collect();
    if joined.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// A missing or invalid setting.
///
/// `from_env()` constructors collect every problem they find, so one error lists them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    problems: Vec<String>,
}

impl ConfigError {
    /// Creates an error with one problem.
    pub fn new(problem: impl Into<String>) -> Self {
        ConfigError {
            problems: vec![problem.into()],
        }
    }

    /// Creates an error from several problems. Returns `None` when the list is empty.
    pub fn from_problems(problems: Vec<String>) -> Option<Self> {
        if problems.is_empty() {
            None
        } else {
            Some(ConfigError { problems })
        }
    }

    /// Returns a missing-setting error naming the builder argument and the variable.
    pub fn missing(what: &str, setter: &str, variable: Option<&str>) -> Self {
        let problem = match variable {
            Some(variable) => format!("missing {what}: call `{setter}` or set {variable}"),
            None => format!("missing {what}: call `{setter}`"),
        };
        ConfigError::new(problem)
    }

    /// Lists the problems, one sentence each.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {}", self.problems.join("; "))
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_display_reads_alone() {
        let details = ApiError::from_response(
            Product::Zia,
            "PUT",
            "/api/v1/users/42",
            409,
            br#"{"code":"EDIT_LOCK_NOT_AVAILABLE","message":"another admin holds the edit lock"}"#,
            Some("abc-123".into()),
        );
        assert_eq!(
            Error::Conflict(Box::new(details)).to_string(),
            "ZIA 409 EDIT_LOCK_NOT_AVAILABLE on PUT /api/v1/users/42: another admin holds the \
             edit lock [request id abc-123]"
        );
    }

    #[test]
    fn zpa_error_body_gives_id_and_reason() {
        let details = ApiError::from_response(
            Product::Zpa,
            "GET",
            "/mgmtconfig/v1/admin/customers/1/application/9",
            404,
            br#"{"id":"resource.not.found","reason":"Resource not found","params":[]}"#,
            None,
        );
        assert_eq!(details.code.as_deref(), Some("resource.not.found"));
        assert_eq!(details.message.as_deref(), Some("Resource not found"));
        assert!(details.body_excerpt.is_none());
    }

    #[test]
    fn html_body_becomes_short_excerpt() {
        let page = format!(
            "<html>\n  <head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
            "x".repeat(500)
        );
        let details = ApiError::from_response(
            Product::Zia,
            "GET",
            "/api/v1/users",
            502,
            page.as_bytes(),
            None,
        );
        let excerpt = details.body_excerpt.expect("HTML keeps an excerpt");
        assert!(excerpt.starts_with("<html> <head><title>502 Bad Gateway</title>"));
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
        assert!(details.code.is_none());
    }

    #[test]
    fn excerpt_masks_token_in_broken_json() {
        let details = ApiError::from_response(
            Product::Zpa,
            "POST",
            "/signin",
            500,
            br#"{"token_type":"Bearer","access_token":"eyJhbGciOi.payload.sig","expires_in":"#,
            None,
        );
        let excerpt = details.body_excerpt.expect("broken JSON keeps an excerpt");
        assert!(!excerpt.contains("eyJhbGciOi"), "{excerpt}");
        assert!(excerpt.contains("[redacted]"), "{excerpt}");
    }

    #[test]
    fn empty_body_has_no_details() {
        let details = ApiError::from_response(Product::Zpa, "PUT", "/x", 500, b"  ", None);
        assert_eq!(details.to_string(), "ZPA 500 on PUT /x");
    }

    #[test]
    fn error_stays_small() {
        assert!(
            std::mem::size_of::<Error>() <= 112,
            "{}",
            std::mem::size_of::<Error>()
        );
    }

    #[test]
    fn config_error_lists_every_problem() {
        let error = ConfigError::from_problems(vec!["a is missing".into(), "b is invalid".into()])
            .expect("two problems");
        assert_eq!(
            error.to_string(),
            "invalid configuration: a is missing; b is invalid"
        );
    }
}
