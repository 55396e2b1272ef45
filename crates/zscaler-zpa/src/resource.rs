//! The operations every ZPA configuration collection shares: list, get, get by name, create,
//! update and delete.
//!
//! Each collection is a [`Resources`] handle over its model; the client's methods such as
//! [`ZpaClient::segment_groups`](crate::ZpaClient::segment_groups) return one.
//!
//! ```no_run
//! # async fn run(zpa: zscaler_zpa::ZpaClient) -> zscaler_zpa::Result<()> {
//! use zscaler_zpa::segment_groups::SegmentGroup;
//!
//! let groups = zpa.segment_groups();
//! let created = groups.create(&SegmentGroup::new("crm")).await?;
//! let mut changed = groups.get(&created.id).await?;
//! changed.description = Some("CRM servers".into());
//! groups.update(&created.id, &changed).await?;
//! groups.delete(&created.id).await?;
//! # Ok(())
//! # }
//! ```

use std::marker::PhantomData;

use futures::TryStreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use zscaler_core::{ConfigError, Error, Request, Result};

use crate::client::ZpaClient;
use crate::pagination::{ZpaList, name_equals};
use crate::paths::ApiBase;

/// A model of a ZPA collection: where it lives and how to read its name.
///
/// The crate implements it for its models. A program can implement it for a model of its own
/// and reach a collection this crate has no module for through [`ZpaClient::resources`].
pub trait ZpaResource: Serialize + DeserializeOwned + Send + 'static {
    /// The service root the collection lives under.
    const BASE: ApiBase;
    /// The collection's path under the base, such as `segmentGroup`.
    const COLLECTION: &'static str;
    /// Name of one item in messages, such as `segment group`.
    const KIND: &'static str;

    /// Returns the item's name, for [`Resources::get_by_name`].
    fn name(&self) -> Option<&str>;
}

/// The operations of one ZPA collection. Cheap to clone.
pub struct Resources<T> {
    client: ZpaClient,
    microtenant_id: Option<String>,
    item: PhantomData<fn() -> T>,
}

impl<T> Clone for Resources<T> {
    fn clone(&self) -> Self {
        Resources {
            client: self.client.clone(),
            microtenant_id: self.microtenant_id.clone(),
            item: PhantomData,
        }
    }
}

impl<T: ZpaResource> std::fmt::Debug for Resources<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resources")
            .field("collection", &T::COLLECTION)
            .field("microtenant_id", &self.microtenant_id)
            .finish_non_exhaustive()
    }
}

impl<T: ZpaResource> Resources<T> {
    pub(crate) fn new(client: ZpaClient) -> Self {
        let microtenant_id = client.microtenant_id().map(str::to_owned);
        Resources {
            client,
            microtenant_id,
            item: PhantomData,
        }
    }

    /// Sends `microtenantId=<id>` on every call of this handle, replacing the client's
    /// default microtenant.
    pub fn microtenant_id(mut self, id: impl Into<String>) -> Self {
        self.microtenant_id = Some(id.into());
        self
    }

    /// Returns a list builder for the collection. Nothing is sent until it is streamed or
    /// collected.
    pub fn list(&self) -> ZpaList<T> {
        ZpaList::new(
            self.client.service().clone(),
            self.collection_path(),
            self.microtenant_id.clone(),
        )
    }

    /// Fetches one item by id. A missing item is [`Error::NotFound`].
    pub async fn get(&self, id: impl AsRef<str>) -> Result<T> {
        let request = self.with_microtenant(Request::get(self.item_path(id.as_ref())?));
        self.client.service().json(&request).await
    }

    /// Finds the item whose name is exactly `name` (case-sensitive) among the items the
    /// server's `name+EQ+<name>` search returns. Returns `None` when there is none.
    pub async fn get_by_name(&self, name: impl AsRef<str>) -> Result<Option<T>> {
        let name = name.as_ref();
        let mut items = self.list().raw_search(name_equals(name)).stream();
        while let Some(item) = items.try_next().await? {
            if item.name() == Some(name) {
                return Ok(Some(item));
            }
        }
        Ok(None)
    }

    /// Creates an item and returns it as the server stored it, with its new id.
    pub async fn create(&self, item: &T) -> Result<T> {
        let request = self.with_microtenant(Request::post(self.collection_path()).json(item)?);
        self.client.service().json(&request).await
    }

    /// Replaces the item `id` with `item`.
    ///
    /// ZPA updates are full replacements that return `204 No Content`, so this returns `()`.
    /// Call [`get`](Self::get) to read the stored result. Send back an item that was read
    /// with `get` and then changed, so fields this crate does not model (kept in each model's
    /// `extra`) survive.
    pub async fn update(&self, id: impl AsRef<str>, item: &T) -> Result<()> {
        let path = self.item_path(id.as_ref())?;
        let request = self.with_microtenant(Request::put(path).json(item)?);
        self.client.service().execute(&request).await?;
        Ok(())
    }

    /// Deletes the item `id`.
    pub async fn delete(&self, id: impl AsRef<str>) -> Result<()> {
        self.delete_with_query(id.as_ref(), &[]).await
    }

    pub(crate) async fn delete_with_query(&self, id: &str, query: &[(&str, &str)]) -> Result<()> {
        let mut request = Request::delete(self.item_path(id)?);
        for (name, value) in query {
            request = request.query(*name, *value);
        }
        let request = self.with_microtenant(request);
        self.client.service().execute(&request).await?;
        Ok(())
    }

    fn collection_path(&self) -> String {
        self.client.paths().collection(T::BASE, T::COLLECTION)
    }

    fn item_path(&self, id: &str) -> Result<String> {
        validate_id(T::KIND, id)?;
        Ok(self.client.paths().item(T::BASE, T::COLLECTION, id))
    }

    fn with_microtenant(&self, request: Request) -> Request {
        match &self.microtenant_id {
            Some(id) => request.query("microtenantId", id.as_str()),
            None => request,
        }
    }
}

/// Rejects ids that would not name one item: empty ones, and `.` or `..`, which URL
/// normalization would turn into the parent path even when percent-encoded.
fn validate_id(kind: &str, id: &str) -> Result<()> {
    let trimmed = id.trim();
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        return Err(Error::Config(ConfigError::new(format!(
            "invalid {kind} id {id:?}: expected the id the API returned, such as \
             216196257331404639"
        ))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_dot_ids_are_rejected() {
        for id in ["", "  ", ".", ".."] {
            let error = validate_id("segment group", id).expect_err("invalid id");
            assert!(
                error.to_string().contains("invalid segment group id"),
                "{error}"
            );
        }
        assert!(validate_id("segment group", "216196257331404639").is_ok());
        assert!(validate_id("segment group", "a.b").is_ok());
    }
}
