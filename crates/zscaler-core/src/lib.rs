//! Shared foundation of the Zscaler SDK for Rust.
//!
//! The product crates (`zscaler-zia`, `zscaler-zpa`) build on this crate; most programs use
//! it through them or through the `zscaler` umbrella crate. It provides:
//!
//! - [`config`]: settings read from arguments or the environment, with strict parsing;
//! - [`Secret`]: a string that never prints;
//! - [`transport`]: the HTTP client settings and user agent;
//! - [`retry`]: the pure retry decision and the [`RetryPolicy`];
//! - [`rate_limit`]: client-side token buckets;
//! - [`cache`]: the optional response cache;
//! - [`auth`]: the [`Authenticator`] trait and single-flight session holder;
//! - [`service`]: the request loop that ties these together;
//! - [`settings`]: the settings every client shares, read together from the environment;
//! - [`pagination`]: [`List`], a builder that streams every item of a collection;
//! - [`oneapi`]: the ZIdentity token shared by every product of a OneAPI login;
//! - [`logging`] and [`redact`]: `tracing` output with secrets masked;
//! - [`wire`]: number strings and open string enums for the models;
//! - [`Error`]: the one error type.

pub mod auth;
pub mod cache;
pub mod config;
pub mod error;
pub mod logging;
pub mod oneapi;
pub mod pagination;
pub mod product;
pub mod rate_limit;
pub mod redact;
pub mod retry;
pub mod secret;
pub mod service;
pub mod settings;
pub mod transport;
pub mod wire;

pub use auth::{Authenticator, Credentials, Renewable, SessionSlot};
pub use cache::CacheSettings;
pub use config::Env;
pub use error::{ApiError, ConfigError, Error, InvalidBody, Result};
pub use pagination::{List, Page, PageFormat, PageLimits, PageRequest};
pub use product::Product;
pub use rate_limit::RateLimitSettings;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use service::{Request, Response, Service, Stats, Transport, TransportConfig};
pub use settings::ClientSettings;
pub use transport::HttpSettings;
pub use wire::NumberString;

/// Re-exports of the HTTP types that appear in this crate's API.
pub mod http {
    pub use reqwest::Method;
    pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
}
