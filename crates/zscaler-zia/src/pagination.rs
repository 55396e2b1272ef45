//! Pagination of ZIA collections.
//!
//! A ZIA list call takes `page` (starting at 1) and `pageSize`, and returns a bare JSON array
//! with no total. Servers cap the page size silently, so a page shorter than the requested
//! size does not prove that the list has ended: the end is an empty page. The list builders of
//! this crate ([`UserList`](crate::users::UserList) and the others) stream every item until
//! then.
//!
//! [`ZiaPages`] is public so that endpoints this crate has no typed call for yet can be listed
//! through [`ZiaClient::service`](crate::ZiaClient::service):
//!
//! ```no_run
//! # async fn run(zia: zscaler_zia::ZiaClient) -> zscaler_core::Result<()> {
//! use zscaler_core::{List, PageLimits, Request};
//! use zscaler_zia::pagination::ZiaPages;
//!
//! let request = Request::get("/api/v1/locations");
//! let locations: Vec<serde_json::Value> =
//!     List::paged(zia.service().clone(), request, ZiaPages, PageLimits::new(100, 1000))
//!         .collect()
//!         .await?;
//! # Ok(())
//! # }
//! ```

use serde::de::DeserializeOwned;
use zscaler_core::{Page, PageFormat, PageRequest, Request, Response, Result, Service};

/// Page size used when the caller sets none.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// The ZIA page format: `page` and `pageSize` in the query, a bare JSON array in the body.
/// An empty body counts as an empty page; a JSON object is an invalid response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ZiaPages;

impl PageFormat for ZiaPages {
    fn page_query(&self, request: Request, page: PageRequest) -> Request {
        request
            .query("page", page.number.to_string())
            .query("pageSize", page.size.to_string())
    }

    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>> {
        let items: Option<Vec<T>> = service.transport().decode(request, response)?;
        Ok(Page {
            items: items.unwrap_or_default(),
            total_pages: None,
        })
    }
}

zscaler_core::string_enum! {
    /// The order of a sorted listing (`sortOrder`).
    pub enum SortOrder {
        /// Ascending.
        Asc = "asc",
        /// Descending.
        Desc = "desc",
        /// The order in which rules are evaluated.
        RuleExecution = "ruleExecution",
    }
}

/// Defines a list builder around a core [`List`](zscaler_core::List) of one model, with the
/// paging options and sorting every ZIA list takes. Filters specific to a resource are added
/// in its own module.
macro_rules! list_builder {
    ($(#[$meta:meta])* $name:ident, $item:ty) => {
        $(#[$meta])*
        #[must_use = "a list does nothing until it is streamed or collected"]
        #[derive(Debug)]
        pub struct $name {
            list: zscaler_core::List<$item, $crate::pagination::ZiaPages>,
        }

        impl $name {
            pub(crate) fn new(
                list: zscaler_core::List<$item, $crate::pagination::ZiaPages>,
            ) -> Self {
                $name { list }
            }

            /// Adds a query parameter this builder has no method for. The value is
            /// percent-encoded once.
            pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.list = self.list.query(name, value);
                self
            }

            /// Sorts by a field (`sortBy`), such as `name` or `id`.
            pub fn sort_by(self, field: impl Into<String>) -> Self {
                self.query("sortBy", field)
            }

            /// Sets the sort order (`sortOrder`).
            pub fn sort_order(self, order: $crate::pagination::SortOrder) -> Self {
                self.query("sortOrder", order.as_str().to_owned())
            }

            /// Sets the items per page. Sizes above the endpoint's maximum are clamped to it,
            /// and 0 counts as 1.
            pub fn page_size(mut self, size: u32) -> Self {
                self.list = self.list.page_size(size);
                self
            }

            /// Stops after this many pages.
            pub fn max_pages(mut self, pages: u32) -> Self {
                self.list = self.list.max_pages(pages);
                self
            }

            /// Stops after this many items.
            pub fn max_items(mut self, items: usize) -> Self {
                self.list = self.list.max_items(items);
                self
            }

            /// Returns the page size that will be sent in `pageSize`.
            pub fn effective_page_size(&self) -> Option<u32> {
                self.list.effective_page_size()
            }

            /// Streams whole pages until an empty page, `max_pages` or `max_items`. Fails with
            /// [`Error::RepeatedPage`](zscaler_core::Error::RepeatedPage) when the server
            /// returns the same page twice in a row.
            pub fn pages(
                self,
            ) -> futures::stream::BoxStream<'static, zscaler_core::Result<Vec<$item>>> {
                self.list.pages()
            }

            /// Streams items, holding at most one page in memory.
            pub fn stream(
                self,
            ) -> futures::stream::BoxStream<'static, zscaler_core::Result<$item>> {
                self.list.stream()
            }

            /// Collects every item into a `Vec`.
            pub async fn collect(self) -> zscaler_core::Result<Vec<$item>> {
                self.list.collect().await
            }

            /// Returns the core list, for options this builder does not wrap.
            pub fn into_inner(self) -> zscaler_core::List<$item, $crate::pagination::ZiaPages> {
                self.list
            }
        }
    };
}

pub(crate) use list_builder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_query_starts_at_one() {
        let request = ZiaPages.page_query(
            Request::get("/api/v1/users").query("name", "a b"),
            PageRequest {
                number: 1,
                size: 500,
            },
        );
        assert_eq!(
            request.path_and_query(),
            "/api/v1/users?name=a%20b&page=1&pageSize=500"
        );
    }

    #[test]
    fn sort_order_wire_values() {
        assert_eq!(SortOrder::Asc.as_str(), "asc");
        assert_eq!(SortOrder::RuleExecution.as_str(), "ruleExecution");
    }
}
