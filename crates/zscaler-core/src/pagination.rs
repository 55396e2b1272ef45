//! Listing every item of a collection, page by page, as a stream.
//!
//! A [`List`] is a builder returned by every list call. Its [`stream`](List::stream) yields
//! items while holding at most one page in memory; [`collect`](List::collect) gathers them into
//! a `Vec`; [`pages`](List::pages) yields whole pages, for progress reports. Each product
//! describes its envelope and end-of-list signal with a [`PageFormat`].

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::service::{Request, Response, Service};

/// The position and size of one page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Page number, starting at 1.
    pub number: u32,
    /// Items per page.
    pub size: u32,
}

/// One decoded page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of the page.
    pub items: Vec<T>,
    /// Total number of pages, when the envelope states it (ZPA).
    pub total_pages: Option<u64>,
}

/// A product's paging scheme: the query it sends and the envelope it decodes.
pub trait PageFormat: Clone + Send + Sync + 'static {
    /// Adds the page number and size to a request.
    fn page_query(&self, request: Request, page: PageRequest) -> Request;

    /// Decodes one page from a response.
    fn decode<T: DeserializeOwned>(
        &self,
        service: &Service,
        request: &Request,
        response: &Response,
    ) -> Result<Page<T>>;
}

/// The page sizes an endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    /// Size used when the caller sets none.
    pub default_size: u32,
    /// Largest size the endpoint serves; larger requests are clamped to it.
    pub max_size: u32,
}

impl PageLimits {
    /// Creates limits; `default_size` is clamped to `1..=max_size`.
    pub const fn new(default_size: u32, max_size: u32) -> Self {
        let max_size = if max_size == 0 { 1 } else { max_size };
        let default_size = if default_size == 0 {
            1
        } else if default_size > max_size {
            max_size
        } else {
            default_size
        };
        PageLimits {
            default_size,
            max_size,
        }
    }
}

/// Whether an endpoint pages at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Paged(PageLimits),
    /// One request returns everything; page parameters are not sent.
    Single,
}

/// A list call: set filters and limits, then [`stream`](List::stream) or
/// [`collect`](List::collect).
#[must_use = "a list does nothing until it is streamed or collected"]
pub struct List<T, F> {
    service: Service,
    request: Request,
    format: F,
    mode: Mode,
    page_size: Option<u32>,
    max_pages: Option<u32>,
    max_items: Option<usize>,
    item: PhantomData<fn() -> T>,
}

impl<T, F> std::fmt::Debug for List<T, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("List")
            .field("path", &self.request.path())
            .field("query", &self.request.query_pairs())
            .field("page_size", &self.page_size)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T, F> List<T, F>
where
    T: DeserializeOwned + Send + 'static,
    F: PageFormat,
{
    /// Creates a paged list of the collection at `request`'s path.
    pub fn paged(service: Service, request: Request, format: F, limits: PageLimits) -> Self {
        List::with_mode(service, request, format, Mode::Paged(limits))
    }

    /// Creates a list of an endpoint that returns everything in one response.
    pub fn single(service: Service, request: Request, format: F) -> Self {
        List::with_mode(service, request, format, Mode::Single)
    }

    fn with_mode(service: Service, request: Request, format: F, mode: Mode) -> Self {
        List {
            service,
            request,
            format,
            mode,
            page_size: None,
            max_pages: None,
            max_items: None,
            item: PhantomData,
        }
    }

    /// Adds a query parameter, for filters.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request = self.request.query(name, value);
        self
    }

    /// Sets the items per page. Values above the endpoint's maximum are clamped to it, and 0
    /// means the endpoint's default.
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

    /// Returns the page size that will be requested: the caller's size (or the endpoint's
    /// default) clamped to the endpoint's maximum, and no larger than `max_items`.
    pub fn effective_page_size(&self) -> Option<u32> {
        let Mode::Paged(limits) = self.mode else {
            return None;
        };
        let mut size = self
            .page_size
            .filter(|size| *size > 0)
            .unwrap_or(limits.default_size)
            .clamp(1, limits.max_size);
        if let Some(max_items) = self.max_items
            && self.page_size.is_none()
        {
            size = size.min(u32::try_from(max_items.max(1)).unwrap_or(u32::MAX));
        }
        Some(size)
    }

    /// Streams whole pages. Stops at the product's end-of-list signal, at `max_pages` or
    /// `max_items`, or with [`Error::RepeatedPage`] when the server repeats a page.
    pub fn pages(self) -> BoxStream<'static, Result<Vec<T>>> {
        let size = self.effective_page_size();
        let state = PagerState {
            list: self,
            size,
            next_page: 1,
            pages_done: 0,
            items_done: 0,
            previous_fingerprint: None,
            finished: false,
        };
        stream::try_unfold(state, PagerState::next_page).boxed()
    }

    /// Streams items, holding at most one page in memory.
    pub fn stream(self) -> BoxStream<'static, Result<T>> {
        self.pages()
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// Collects every item into a `Vec`.
    pub async fn collect(self) -> Result<Vec<T>> {
        self.stream().try_collect().await
    }
}

struct PagerState<T, F> {
    list: List<T, F>,
    size: Option<u32>,
    next_page: u32,
    pages_done: u32,
    items_done: usize,
    previous_fingerprint: Option<u64>,
    finished: bool,
}

impl<T, F> PagerState<T, F>
where
    T: DeserializeOwned + Send + 'static,
    F: PageFormat,
{
    async fn next_page(mut self) -> Result<Option<(Vec<T>, Self)>> {
        let list = &self.list;
        let limit_reached = list.max_pages.is_some_and(|max| self.pages_done >= max)
            || list.max_items.is_some_and(|max| self.items_done >= max);
        if self.finished || limit_reached {
            return Ok(None);
        }

        let request = match self.size {
            Some(size) => list.format.page_query(
                list.request.clone(),
                PageRequest {
                    number: self.next_page,
                    size,
                },
            ),
            None => list.request.clone(),
        };
        let response = list.service.execute(&request).await?;
        let page: Page<T> = list.format.decode(&list.service, &request, &response)?;
        let page_number = self.next_page;
        self.pages_done += 1;
        self.next_page += 1;

        if self.size.is_none() {
            self.finished = true;
        }
        if page.items.is_empty() {
            return Ok(None);
        }
        let fingerprint = fingerprint(&response.body);
        if self.previous_fingerprint == Some(fingerprint) {
            return Err(Error::RepeatedPage {
                product: list.service.product(),
                path: list.request.path().to_owned(),
                page: page_number,
            });
        }
        self.previous_fingerprint = Some(fingerprint);
        if page
            .total_pages
            .is_some_and(|total| u64::from(page_number) >= total)
        {
            self.finished = true;
        }

        let mut items = page.items;
        if let Some(max) = self.list.max_items {
            items.truncate(max - self.items_done);
        }
        self.items_done += items.len();
        tracing::debug!(
            page = page_number,
            items = items.len(),
            total_items = self.items_done,
            "page received"
        );
        Ok(Some((items, self)))
    }
}

fn fingerprint(body: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_clamp_default() {
        assert_eq!(PageLimits::new(100, 50), PageLimits::new(50, 50));
        assert_eq!(PageLimits::new(0, 0).max_size, 1);
    }
}
