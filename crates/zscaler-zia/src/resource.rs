//! The get, create, update and delete calls every ZIA resource shares, and how their
//! responses are read.
//!
//! ZIA responds to most writes with the resource as JSON, but to some with `204 No Content` or a
//! plain-text body such as `SUCCESS`. An update that returns no JSON is followed by a GET of
//! the resource, so the caller always receives what the server stored; a create that returns
//! no JSON is an error, because the id of the new resource is then unknown.

use serde::Serialize;
use serde::de::DeserializeOwned;
use zscaler_core::{Error, Request, Response, Result, Service};

/// Characters of a non-JSON body kept in an error.
const EXCERPT_CHARS: usize = 200;

/// Sends a GET and decodes the JSON body.
pub(crate) async fn get<T: DeserializeOwned>(service: &Service, path: &str) -> Result<T> {
    service.json(&Request::get(path)).await
}

/// Sends a POST with a JSON body and decodes the created resource.
pub(crate) async fn create<B, T>(service: &Service, path: &str, body: &B) -> Result<T>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let request = Request::post(path).json(body)?;
    let response = service.execute(&request).await?;
    if !is_json(&response) {
        return Err(not_json(
            service,
            &request,
            &response,
            "expected the created resource as JSON, so the id of the new resource is unknown",
        ));
    }
    service.transport().decode(&request, &response)
}

/// Sends a PUT with a JSON body and returns the stored resource: the response body when it is
/// JSON, else the result of a GET of the same path.
pub(crate) async fn update<B, T>(service: &Service, path: &str, body: &B) -> Result<T>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let request = Request::put(path).json(body)?;
    let response = service.execute(&request).await?;
    if is_json(&response) {
        return service.transport().decode(&request, &response);
    }
    tracing::debug!(
        path,
        status = response.status,
        "the update returned no JSON; reading the resource back"
    );
    get(service, path).await
}

/// Sends a DELETE. Any 2xx counts as success, whatever the body.
pub(crate) async fn delete(service: &Service, path: &str) -> Result<()> {
    service.execute(&Request::delete(path)).await?;
    Ok(())
}

/// Returns true when the body starts like a JSON object or array.
pub(crate) fn is_json(response: &Response) -> bool {
    response
        .body
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|first| *first == b'{' || *first == b'[')
}

/// Builds the error for a success response whose body is not the expected JSON.
pub(crate) fn not_json(
    service: &Service,
    request: &Request,
    response: &Response,
    message: &str,
) -> Error {
    let text = response.text();
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut excerpt: String = collapsed.chars().take(EXCERPT_CHARS).collect();
    if collapsed.chars().count() > EXCERPT_CHARS {
        excerpt.push('…');
    }
    let described = if excerpt.is_empty() {
        format!("status {} with an empty body; {message}", response.status)
    } else {
        format!("status {}; {message}", response.status)
    };
    Error::invalid_response(
        service.product(),
        request,
        ".",
        described,
        (!excerpt.is_empty()).then_some(excerpt),
    )
}
