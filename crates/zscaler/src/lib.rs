//! Zscaler SDK for Rust.
//!
//! Typed, streaming clients for the Zscaler Internet Access (ZIA) and Zscaler Private Access
//! (ZPA) APIs, with retries that honour `Retry-After`, re-login when a session or token
//! expires, an optional response cache, and logs that never show a secret.
//!
//! Two ways to log in: [`Client`] takes one OneAPI (ZIdentity) API client for every product,
//! for tenants migrated to OneAPI; [`zia::ZiaClient`] and [`zpa::ZpaClient`] take the legacy
//! per-product credentials. Both give the same resource APIs.
//!
//! Each product is a cargo feature (`zia`, `zpa`, both on by default), so a program compiles
//! only what it uses:
//!
//! ```toml
//! zscaler = { version = "0.1", default-features = false, features = ["zpa"] }
//! ```
//!
//! # Example
//!
//! ```no_run
//! # #[cfg(all(feature = "zia", feature = "zpa"))]
//! # async fn run() -> zscaler::Result<()> {
//! use futures::TryStreamExt;
//!
//! zscaler::init_logging_from_env()?;
//!
//! let zia = zscaler::zia::ZiaClient::from_env()?;
//! let mut users = zia.users().list().stream();
//! while let Some(user) = users.try_next().await? {
//!     println!("{} <{}>", user.name.unwrap_or_default(), user.email.unwrap_or_default());
//! }
//!
//! let zpa = zscaler::zpa::ZpaClient::from_env()?;
//! let segments = zpa
//!     .application_segments()
//!     .list()
//!     .max_pages(1)
//!     .max_items(5)
//!     .collect()
//!     .await?;
//! println!("{} application segments", segments.len());
//! # Ok(())
//! # }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;

pub use client::{Client, ClientBuilder, ENV_GATEWAY_URL, ENV_TOKEN_URL};
pub use zscaler_core::oneapi::OneApiCloud;
pub use zscaler_core::{
    ApiError, CacheSettings, ConfigError, Env, Error, HttpSettings, NumberString, Product,
    RateLimitSettings, Result, RetryPolicy, Secret, Stats,
};

/// The shared foundation: transport, retries, pagination, logging and wire types.
#[doc(inline)]
pub use zscaler_core as core;

/// Zscaler Internet Access: [`zia::ZiaClient`] and every ZIA resource API.
#[cfg(feature = "zia")]
#[cfg_attr(docsrs, doc(cfg(feature = "zia")))]
#[doc(inline)]
pub use zscaler_zia as zia;

/// Zscaler Private Access: [`zpa::ZpaClient`] and every ZPA resource API.
#[cfg(feature = "zpa")]
#[cfg_attr(docsrs, doc(cfg(feature = "zpa")))]
#[doc(inline)]
pub use zscaler_zpa as zpa;

/// Installs the SDK's ready-made log subscriber on standard error when `ZSCALER_SDK_LOG=true`
/// (calls, logins, retries) or `ZSCALER_SDK_VERBOSE=true` (also bodies, secrets masked).
/// Returns whether it installed one. The SDK never installs a subscriber by itself.
pub fn init_logging_from_env() -> Result<bool> {
    zscaler_core::logging::init_from_env()
}

/// Compiles the README's Rust examples as doctests, so they stay correct.
#[cfg(all(doctest, feature = "zia", feature = "zpa"))]
#[doc = include_str!("../../../README.md")]
mod readme_examples {}
