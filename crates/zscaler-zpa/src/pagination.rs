//! ZPA list calls: the `{totalPages, totalCount, list}` envelope, `page`/`pagesize` queries,
//! search expressions, and the [`ZpaList`] builder every list call returns.
//!
//! ```no_run
//! # async fn run(zpa: zscaler_zpa::ZpaClient) -> zscaler_zpa::Result<()> {
//! use futures::TryStreamExt;
//!
//! let mut segments = zpa
//!     .application_segments()
//!     .list()
//!     .search("name+STARTSWITH+crm")
//!     .page_size(500)
//!     .stream();
//! while let Some(segment) = segments.try_next().await? {
//!     println!("{}", segment.name.unwrap_or_default());
//! }
//! # Ok(())
//! # }
//! ```

use std::marker::PhantomData;

use futures::stream::BoxStream;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use zscaler_core::{
    Error, List, NumberString, Page, PageFormat, PageLimits, PageRequest, Request, Response,
    Result, Service,
};

/// Items per page when the caller sets none (the ZPA API's own default).
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Largest page the ZPA list endpoints serve; larger sizes are clamped to it.
pub const MAX_PAGE_SIZE: u32 = 500;

/// The operators a ZPA search expression accepts.
pub const SEARCH_OPERATORS: [&str; 9] = [
    "EQ",
    "NE",
    "GT",
    "LT",
    "GE",
    "LE",
    "CONTAINS",
    "STARTSWITH",
    "ENDSWITH",
];

/// The ZPA page strategy: `page` (1-based) and `pagesize` in the query, and the
/// `{totalPages, totalCount, list}` envelope in the body.
#[derive(Debug, Clone, Copy, Default)]
pub struct ZpaPageFormat;

/// The envelope of one page. `totalPages` arrives as a string or a number, and `list` is
/// missing from an empty result.
#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "totalPages")]
    total_pages: Option<NumberString>,
    list: Option<Vec<T>>,
}

impl PageFormat for ZpaPageFormat {
    fn page_query(&self, request: Request, page: PageRequest) -> Request {
        request
            .query("page", page.number.to_string())
            .query("pagesize", page.size.to_string())
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        // An empty body decodes as `null`, which is an empty result like `{}`.
        let envelope: Option<Envelope<T>> = service.transport().decode(request, response)?;
        let Some(envelope) = envelope else {
            return Ok(Page {
                items: Vec::new(),
                total_pages: None,
            });
        };
        let total_pages = match envelope.total_pages {
            None => None,
            Some(total) => Some(total.as_u64().ok_or_else(|| {
                Error::invalid_response(
                    service.product(),
                    request,
                    "totalPages",
                    format!("expected a whole number of pages, got {:?}", total.as_str()),
                    None,
                )
            })?),
        };
        Ok(Page {
            items: envelope.list.unwrap_or_default(),
            total_pages,
        })
    }
}

/// Returns the `search` value to send for what the caller gave: an operator expression such as
/// `name+EQ+crm` or `description+CONTAINS+test` is sent as it is, and anything else is taken
/// as a name and sent as `name+EQ+<value>`.
///
/// The value is sent percent-encoded once, so `name+EQ+a b` goes on the wire as
/// `name%2BEQ%2Ba%20b`.
pub fn search_expression(value: &str) -> String {
    if is_operator_expression(value) {
        value.to_owned()
    } else {
        name_equals(value)
    }
}

/// Returns the expression that matches items whose name equals `name`.
pub fn name_equals(name: &str) -> String {
    format!("name+EQ+{name}")
}

/// Returns true for `<field>+<OP>+<value>` with a field name of letters, digits, `_` or `.`
/// and an operator from [`SEARCH_OPERATORS`] (any case).
fn is_operator_expression(value: &str) -> bool {
    let mut parts = value.splitn(3, '+');
    let (Some(field), Some(operator), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let field_ok = field.starts_with(|c: char| c.is_ascii_alphabetic())
        && field
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    field_ok
        && SEARCH_OPERATORS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(operator))
}

/// The direction of a sorted list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first (`ASC`).
    Ascending,
    /// Largest first (`DESC`).
    Descending,
}

impl SortOrder {
    /// Returns the value sent in the `sortDir` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Ascending => "ASC",
            SortOrder::Descending => "DESC",
        }
    }
}

/// A ZPA list call: set a search, sorting, a microtenant and limits, then
/// [`stream`](ZpaList::stream), [`pages`](ZpaList::pages) or [`collect`](ZpaList::collect).
///
/// Nothing is sent until one of those three is called. The listing stops after the last page
/// by `totalPages`, on an empty page, at `max_pages` or `max_items`, or with
/// [`Error::RepeatedPage`] when the server returns the same page twice in a row.
#[must_use = "a list does nothing until it is streamed or collected"]
pub struct ZpaList<T> {
    service: Service,
    path: String,
    search: Option<String>,
    sort_by: Option<String>,
    sort_order: Option<SortOrder>,
    microtenant_id: Option<String>,
    extra_query: Vec<(String, String)>,
    page_size: Option<u32>,
    max_pages: Option<u32>,
    max_items: Option<usize>,
    item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for ZpaList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZpaList")
            .field("path", &self.path)
            .field("search", &self.search)
            .field("sort_by", &self.sort_by)
            .field("sort_order", &self.sort_order)
            .field("microtenant_id", &self.microtenant_id)
            .field("page_size", &self.page_size)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T> ZpaList<T>
where
    T: DeserializeOwned + Send + 'static,
{
    /// Creates a list of the collection at `path`. `microtenant_id` is the client's default.
    pub(crate) fn new(service: Service, path: String, microtenant_id: Option<String>) -> Self {
        ZpaList {
            service,
            path,
            search: None,
            sort_by: None,
            sort_order: None,
            microtenant_id,
            extra_query: Vec::new(),
            page_size: None,
            max_pages: None,
            max_items: None,
            item: PhantomData,
        }
    }

    /// Filters the list on the server. An operator expression such as `name+EQ+crm` or
    /// `name+CONTAINS+test` is sent as it is; a bare value is sent as `name+EQ+<value>`.
    /// See [`search_expression`]. An empty or blank value removes the filter.
    pub fn search(mut self, value: impl AsRef<str>) -> Self {
        let value = value.as_ref();
        self.search = (!value.trim().is_empty()).then(|| search_expression(value));
        self
    }

    /// Sets a search expression that is sent exactly as given, for exact-name lookups.
    pub(crate) fn raw_search(mut self, expression: String) -> Self {
        self.search = Some(expression);
        self
    }

    /// Sorts by a field, sent as `sortBy`.
    // NOTE: the API reference lists `sortBy` and `sortDir` only for some collections (PRA
    // approvals, credential pools, private cloud controllers); others may ignore them.
    pub fn sort_by(mut self, field: impl Into<String>) -> Self {
        self.sort_by = Some(field.into());
        self
    }

    /// Sets the sort direction, sent as `sortDir`.
    pub fn sort_order(mut self, order: SortOrder) -> Self {
        self.sort_order = Some(order);
        self
    }

    /// Lists the items of this microtenant, replacing the client's default microtenant.
    pub fn microtenant_id(mut self, id: impl Into<String>) -> Self {
        self.microtenant_id = Some(id.into());
        self
    }

    /// Adds another query parameter, for filters this builder has no method for.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((name.into(), value.into()));
        self
    }

    /// Sets the items per page (default 20). Sizes above 500 are clamped to 500, and 0
    /// counts as 1.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Stops after this many pages.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Stops after this many items.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = Some(items);
        self
    }

    /// Streams whole pages.
    pub fn pages(self) -> BoxStream<'static, Result<Vec<T>>> {
        self.into_list().pages()
    }

    /// Streams items, holding at most one page in memory.
    pub fn stream(self) -> BoxStream<'static, Result<T>> {
        self.into_list().stream()
    }

    /// Collects every item into a `Vec`.
    pub async fn collect(self) -> Result<Vec<T>> {
        self.into_list().collect().await
    }

    fn into_list(self) -> List<T, ZpaPageFormat> {
        let mut request = Request::get(self.path);
        if let Some(search) = self.search {
            request = request.query("search", search);
        }
        if let Some(field) = self.sort_by {
            request = request.query("sortBy", field);
        }
        if let Some(order) = self.sort_order {
            request = request.query("sortDir", order.as_str());
        }
        if let Some(id) = self.microtenant_id {
            request = request.query("microtenantId", id);
        }
        request = request.queries(self.extra_query);

        let limits = PageLimits::new(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        let mut list = List::paged(self.service, request, ZpaPageFormat, limits);
        if let Some(size) = self.page_size {
            list = list.page_size(size);
        }
        if let Some(pages) = self.max_pages {
            list = list.max_pages(pages);
        }
        if let Some(items) = self.max_items {
            list = list.max_items(items);
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_word_becomes_name_equals() {
        assert_eq!(search_expression("crm"), "name+EQ+crm");
        assert_eq!(search_expression("a b"), "name+EQ+a b");
        assert_eq!(search_expression("c++"), "name+EQ+c++");
        assert_eq!(search_expression("1+1+2"), "name+EQ+1+1+2");
        assert_eq!(search_expression("name+XX+y"), "name+EQ+name+XX+y");
    }

    #[test]
    fn operator_expressions_are_kept() {
        for expression in [
            "name+EQ+a b",
            "name+NE+x",
            "description+CONTAINS+test",
            "name+STARTSWITH+crm",
            "name+ENDSWITH+.com",
            "modifiedTime+GT+1700000000",
            "modifiedTime+LT+1",
            "ruleOrder+GE+2",
            "ruleOrder+LE+3",
            "name+eq+lower-case operator",
            "name+EQ+",
        ] {
            assert_eq!(search_expression(expression), expression);
        }
    }

    #[test]
    fn field_must_look_like_a_name() {
        assert_eq!(search_expression("+EQ+x"), "name+EQ++EQ+x");
        assert_eq!(search_expression("my app+EQ+x"), "name+EQ+my app+EQ+x");
        assert_eq!(search_expression("1abc+EQ+x"), "name+EQ+1abc+EQ+x");
    }

    #[test]
    fn sort_order_values() {
        assert_eq!(SortOrder::Ascending.as_str(), "ASC");
        assert_eq!(SortOrder::Descending.as_str(), "DESC");
    }
}
