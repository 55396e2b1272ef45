//! Zscaler Private Access (ZPA) API client.
//!
//! A [`ZpaClient`] signs in with an API client's id and secret (`POST /signin`), keeps the
//! bearer token and renews it before it expires or after a 401, with one sign-in shared by
//! every concurrent call. Requests get retries that honour `Retry-After`, client-side rate
//! limits, an optional response cache and logs that never show the secret or the token. All
//! of that comes from `zscaler-core`.
//!
//! Each configuration collection is a handle with the same operations: `list()` returns a
//! [`ZpaList`] builder that streams every page, and `get`, `get_by_name`, `create`, `update`
//! and `delete` act on one item. Models keep fields they do not know in an `extra` map, and
//! numbers that ZPA sends as strings stay strings, so a read-modify-write sends back what it
//! read.
//!
//! # Example
//!
//! ```no_run
//! use zscaler_zpa::ZpaClient;
//!
//! # async fn run() -> zscaler_zpa::Result<()> {
//! // ZPA_CLIENT_ID, ZPA_CLIENT_SECRET, ZPA_CUSTOMER_ID and optionally ZPA_CLOUD.
//! let zpa = ZpaClient::from_env()?;
//!
//! let segments = zpa
//!     .application_segments()
//!     .list()
//!     .search("name+STARTSWITH+crm")
//!     .collect()
//!     .await?;
//! for segment in &segments {
//!     println!("{} {}", segment.id, segment.name.as_deref().unwrap_or_default());
//! }
//!
//! if let Some(mut group) = zpa.segment_groups().get_by_name("crm").await? {
//!     group.description = Some("CRM applications".into());
//!     zpa.segment_groups().update(&group.id, &group).await?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Modules
//!
//! - [`application_segments`], [`segment_groups`], [`server_groups`],
//!   [`app_connector_groups`]: the models and handles of each collection;
//! - [`common`]: types several models share;
//! - [`resource`]: the operations every collection shares, and [`ZpaResource`] for models of
//!   collections this crate has no module for;
//! - [`pagination`]: the ZPA page envelope, search expressions and [`ZpaList`];
//! - [`policy`]: policy rules (access policy by default), with a typed condition builder and
//!   writes serialised per policy set;
//! - [`paths`]: the one place API paths are built;
//! - [`cloud`]: the ZPA clouds and their hosts;
//! - [`client`]: the client, its builder and the environment variables;
//! - [`generated`]: every other catalog resource (policies, app connectors, provisioning keys,
//!   microtenants, ...), generated from the API catalog `spec/zpa.json` by `cargo run -p codegen`.

pub mod app_connector_groups;
pub mod application_segments;
mod auth;
pub mod client;
pub mod cloud;
pub mod common;
pub mod generated;
pub mod pagination;
pub mod paths;
pub mod policy;
pub mod resource;
pub mod segment_groups;
pub mod server_groups;

pub use client::{ZpaClient, ZpaClientBuilder};
pub use cloud::Cloud;
pub use pagination::{SortOrder, ZpaList};
pub use resource::{Resources, ZpaResource};
pub use zscaler_core::{
    ApiError, CacheSettings, ConfigError, Env, Error, HttpSettings, NumberString,
    RateLimitSettings, Result, RetryPolicy, Secret, Stats,
};
