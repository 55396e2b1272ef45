//! Page formats of the lists that do not use the product's own paging: SCIM lists, POST
//! searches, cursor lists and lists that return everything at once. Each implements
//! [`PageFormat`] for a core [`List`](zscaler_core::List).

use std::sync::{Arc, Mutex, MutexGuard};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use zscaler_core::{Error, Page, PageFormat, PageRequest, Request, Response, Result, Service};

// @@ lock

/// Locks a mutex, taking the value even when another thread panicked while holding it. The
/// values guarded here are plain numbers and strings, which a panic cannot leave half-written.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
// @@ end
// @@ array

/// Returns the first byte of the body that is not whitespace.
fn first_byte(response: &Response) -> Option<u8> {
    response
        .body
        .iter()
        .copied()
        .find(|byte| !byte.is_ascii_whitespace())
}

/// A list that returns everything in one response: a bare JSON array, or an object whose
/// `list` contains the items. An empty body is an empty list.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArrayPages;

/// The `{list}` envelope some lists that are not paged still use.
#[derive(Deserialize)]
struct ListEnvelope<T> {
    list: Option<Vec<T>>,
}

impl PageFormat for ArrayPages {
    fn page_query(&self, request: Request, _page: PageRequest) -> Request {
        request
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        let items = match first_byte(response) {
            None => Vec::new(),
            Some(b'{') => {
                let envelope: ListEnvelope<T> = service.transport().decode(request, response)?;
                envelope.list.unwrap_or_default()
            }
            Some(_) => service.transport().decode(request, response)?,
        };
        Ok(Page {
            items,
            total_pages: None,
        })
    }
}
// @@ end
// @@ scim

/// Returns the number of pages of `total` items at `size` per page.
fn page_count(total: u64, size: u32) -> u64 {
    total.div_ceil(u64::from(size.max(1)))
}

/// Builds the error for a page envelope whose total is not a whole number.
fn invalid_total(service: &Service, request: &Request, field: &str, value: &str) -> Error {
    Error::invalid_response(
        service.product(),
        request,
        field,
        format!("expected a whole number, got {value:?}"),
        None,
    )
}

/// The SCIM 2.0 list envelope: `{Resources, totalResults}`.
#[derive(Deserialize)]
struct ScimEnvelope<T> {
    #[serde(rename = "Resources", default = "Option::default")]
    resources: Option<Vec<T>>,
    #[serde(rename = "totalResults", default)]
    total_results: Option<zscaler_core::NumberString>,
}

/// Decodes a SCIM page and derives the page count from `totalResults`.
fn decode_scim<T: DeserializeOwned>(
    service: &Service,
    request: &Request,
    response: &Response,
    size: u32,
) -> Result<Page<T>> {
    let envelope: Option<ScimEnvelope<T>> = service.transport().decode(request, response)?;
    let Some(envelope) = envelope else {
        return Ok(Page {
            items: Vec::new(),
            total_pages: None,
        });
    };
    let total_pages = match &envelope.total_results {
        None => None,
        Some(total) => Some(page_count(
            total
                .as_u64()
                .ok_or_else(|| invalid_total(service, request, "totalResults", total.as_str()))?,
            size,
        )),
    };
    Ok(Page {
        items: envelope.resources.unwrap_or_default(),
        total_pages,
    })
}
// @@ end
// @@ scim_get

/// SCIM 2.0 paging on a GET: `startIndex` (1-based item index) and `count` in the query, and
/// the `{Resources, totalResults}` envelope. The list ends after the page that reaches
/// `totalResults`.
#[derive(Debug, Clone, Default)]
pub struct ScimPages {
    size: Arc<Mutex<u32>>,
}

impl PageFormat for ScimPages {
    fn page_query(&self, request: Request, page: PageRequest) -> Request {
        *lock(&self.size) = page.size;
        let start = u64::from(page.number.saturating_sub(1)) * u64::from(page.size) + 1;
        request
            .query("startIndex", start.to_string())
            .query("count", page.size.to_string())
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        let size = *lock(&self.size);
        decode_scim(service, request, response, size)
    }
}
// @@ end
// @@ scim_search

/// SCIM 2.0 search (`POST .../.search`): the search request is sent as the body of every page
/// with its `startIndex` and `count` set, and pages come in the `{Resources, totalResults}`
/// envelope.
#[derive(Debug, Clone)]
pub struct ScimSearchPages {
    body: serde_json::Map<String, serde_json::Value>,
    size: Arc<Mutex<u32>>,
}

impl ScimSearchPages {
    /// Pages through the results of `search`, a SCIM search request as JSON. Its `schemas`
    /// default to the SCIM search request schema when it has none.
    pub fn new(search: serde_json::Value) -> Self {
        let mut body = match search {
            serde_json::Value::Object(body) => body,
            _ => serde_json::Map::new(),
        };
        body.entry("schemas").or_insert_with(|| {
            serde_json::json!(["urn:ietf:params:scim:api:messages:2.0:SearchRequest"])
        });
        ScimSearchPages {
            body,
            size: Arc::default(),
        }
    }
}

impl PageFormat for ScimSearchPages {
    fn page_query(&self, request: Request, page: PageRequest) -> Request {
        *lock(&self.size) = page.size;
        let start = u64::from(page.number.saturating_sub(1)) * u64::from(page.size) + 1;
        let mut body = self.body.clone();
        body.insert("startIndex".to_owned(), start.into());
        body.insert("count".to_owned(), page.size.into());
        request
            .json(&body)
            .expect("a JSON object with string keys always encodes")
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        let size = *lock(&self.size);
        decode_scim(service, request, response, size)
    }
}
// @@ end
// @@ search

/// ZPA POST search: the search request is sent as the body of every page with its
/// `pageBy.page` and `pageBy.pageSize` set, and pages come in the
/// `{totalPages, totalCount, list}` envelope.
#[derive(Debug, Clone)]
pub struct SearchPages {
    body: serde_json::Map<String, serde_json::Value>,
}

impl SearchPages {
    /// Pages through the results of `search`, a search request as JSON (`filterBy`,
    /// `sortBy`; `pageBy` is filled per page).
    pub fn new(search: serde_json::Value) -> Self {
        let body = match search {
            serde_json::Value::Object(body) => body,
            _ => serde_json::Map::new(),
        };
        SearchPages { body }
    }
}

impl PageFormat for SearchPages {
    fn page_query(&self, request: Request, page: PageRequest) -> Request {
        let mut body = self.body.clone();
        let page_by = body
            .entry("pageBy")
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        if !page_by.is_object() {
            *page_by = serde_json::Value::Object(serde_json::Map::new());
        }
        if let Some(page_by) = page_by.as_object_mut() {
            page_by.insert("page".to_owned(), page.number.into());
            page_by.insert("pageSize".to_owned(), page.size.into());
        }
        request
            .json(&body)
            .expect("a JSON object with string keys always encodes")
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        crate::pagination::ZpaPageFormat.decode(service, request, response)
    }
}
// @@ end
// @@ cursor

/// ZPA cursor paging: `pageSize` in the query, `pageId` from the previous page's `nextPage`,
/// and the `{items, nextPage}` envelope. The list ends at a page without `nextPage`.
#[derive(Debug, Clone, Default)]
pub struct CursorPages {
    state: Arc<Mutex<CursorState>>,
}

#[derive(Debug, Default)]
struct CursorState {
    next: Option<String>,
    pages: u64,
}

/// The cursor envelope.
#[derive(Deserialize)]
struct CursorEnvelope<T> {
    items: Option<Vec<T>>,
    #[serde(rename = "nextPage")]
    next_page: Option<String>,
}

impl PageFormat for CursorPages {
    fn page_query(&self, request: Request, page: PageRequest) -> Request {
        let state = lock(&self.state);
        let request = request.query("pageSize", page.size.to_string());
        match (&state.next, page.number) {
            (Some(cursor), number) if number > 1 => request.query("pageId", cursor.as_str()),
            _ => request,
        }
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        let envelope: Option<CursorEnvelope<T>> = service.transport().decode(request, response)?;
        let mut state = lock(&self.state);
        state.pages += 1;
        let (items, next) = match envelope {
            Some(envelope) => (envelope.items.unwrap_or_default(), envelope.next_page),
            None => (Vec::new(), None),
        };
        state.next = next.filter(|cursor| !cursor.trim().is_empty());
        let total_pages = match state.next {
            Some(_) => None,
            None => Some(state.pages),
        };
        Ok(Page { items, total_pages })
    }
}
// @@ end

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use zscaler_core::http::HeaderMap;
    use zscaler_core::{
        Authenticator, CacheSettings, Credentials, Product, Transport, TransportConfig,
    };

    use super::*;

    struct NoAuth;

    #[async_trait::async_trait]
    impl Authenticator for NoAuth {
        async fn credentials(&self, _transport: &Transport) -> Result<Credentials> {
            Ok(Credentials {
                generation: 1,
                headers: Vec::new(),
            })
        }

        fn is_expired(&self, _status: u16, _body: &[u8]) -> bool {
            false
        }

        async fn invalidate(&self, _generation: u64) {}
    }

    /// Returns a service that is never sent anything: the tests only decode.
    fn service() -> Service {
        let config = TransportConfig::new(Product::Zpa, "pages-test", "0", "http://127.0.0.1:9");
        let transport = Transport::new(config).expect("valid transport settings");
        Service::new(transport, Arc::new(NoAuth), &CacheSettings::default(), "test")
    }

    fn response(body: &str) -> Response {
        Response {
            status: 200,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    fn page(number: u32, size: u32) -> PageRequest {
        PageRequest { number, size }
    }
// @@ array

    #[test]
    fn array_pages_accept_arrays_envelopes_and_empty_bodies() {
        let (service, request) = (service(), Request::get("/list"));
        for (body, expected) in [("[1, 2]", vec![1, 2]), (r#"{"list": [3]}"#, vec![3]), ("", vec![])] {
            let page: Page<i64> = ArrayPages
                .decode(&service, &request, &response(body))
                .expect("decodes");
            assert_eq!(page.items, expected, "{body}");
            assert_eq!(page.total_pages, None, "{body}");
        }
    }
// @@ end
// @@ scim_get

    #[test]
    fn scim_pages_count_from_start_index() {
        let format = ScimPages::default();
        let request = format.page_query(Request::get("/Users"), page(3, 10));
        assert_eq!(request.path_and_query(), "/Users?startIndex=21&count=10");
        let decoded: Page<i64> = format
            .decode(&service(), &request, &response(r#"{"Resources": [1], "totalResults": 25}"#))
            .expect("decodes");
        assert_eq!(decoded.items, vec![1]);
        assert_eq!(decoded.total_pages, Some(3), "25 results at 10 per page");
    }
// @@ end
// @@ scim_search

    #[test]
    fn scim_search_sets_start_index_in_body() {
        let format = ScimSearchPages::new(serde_json::json!({"filter": "userName eq \"a\""}));
        let request = format.page_query(Request::post("/Users/.search"), page(2, 50));
        let shown = format!("{request:?}");
        assert!(shown.contains(r#"\"startIndex\":51"#), "{shown}");
        assert!(shown.contains(r#"\"count\":50"#), "{shown}");
        assert!(shown.contains("SearchRequest"), "the schema is added: {shown}");
        assert!(shown.contains("userName"), "the filter is kept: {shown}");
    }
// @@ end
// @@ search

    #[test]
    fn search_pages_set_page_by_in_body() {
        let format = SearchPages::new(serde_json::json!({"pageBy": {"validPage": 1}}));
        let request = format.page_query(Request::post("/tagGroup/search"), page(4, 100));
        let shown = format!("{request:?}");
        assert!(shown.contains(r#"\"page\":4"#), "{shown}");
        assert!(shown.contains(r#"\"pageSize\":100"#), "{shown}");
        assert!(shown.contains(r#"\"validPage\":1"#), "{shown}");
    }
// @@ end
// @@ cursor

    #[test]
    fn cursor_pages_follow_next_page() {
        let (service, format) = (service(), CursorPages::default());
        let first = format.page_query(Request::get("/users"), page(1, 20));
        assert_eq!(first.path_and_query(), "/users?pageSize=20");
        let decoded: Page<i64> = format
            .decode(&service, &first, &response(r#"{"items": [1], "nextPage": "abc"}"#))
            .expect("decodes");
        assert_eq!(decoded.total_pages, None, "more pages follow");

        let second = format.page_query(Request::get("/users"), page(2, 20));
        assert_eq!(second.path_and_query(), "/users?pageSize=20&pageId=abc");
        let decoded: Page<i64> = format
            .decode(&service, &second, &response(r#"{"items": [2], "nextPage": ""}"#))
            .expect("decodes");
        assert_eq!(decoded.items, vec![2]);
        assert_eq!(decoded.total_pages, Some(2), "an empty nextPage ends the list");
    }
// @@ end
}
