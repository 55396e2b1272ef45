//! Zscaler Internet Access (ZIA) client for the Zscaler SDK for Rust.
//!
//! [`ZiaClient`] logs in to a ZIA tenant with the legacy credentials (administrator user name,
//! password and API key), keeps the `JSESSIONID` session alive and renews it, retries
//! rate-limited and locked requests according to its [`RetryPolicy`](zscaler_core::RetryPolicy),
//! and exposes typed resource APIs whose list calls stream every page.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use zscaler_zia::{Cloud, ZiaClient};
//!
//! # async fn run() -> zscaler_core::Result<()> {
//! let zia = ZiaClient::builder()
//!     .username("admin@example.com")
//!     .password("correct horse battery staple")
//!     .api_key("0123456789abcdef")
//!     .cloud(Cloud::ZscalerTwo)
//!     .build()?;
//!
//! let mut users = zia.users().list().department("Engineering").stream();
//! while let Some(user) = users.try_next().await? {
//!     println!("{} <{}>", user.name.unwrap_or_default(), user.email.unwrap_or_default());
//! }
//!
//! println!("activation: {}", zia.activation().status().await?);
//! zia.close().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Modules:
//! - [`cloud`]: the ZIA clouds and their base URLs;
//! - [`builder`]: settings in code and from `ZIA_*` environment variables;
//! - [`auth`]: the login, the session and its renewal;
//! - [`pagination`]: how ZIA pages and the [`ZiaPages`](pagination::ZiaPages) format;
//! - [`users`], [`groups`], [`departments`]: the user management resources;
//! - [`activation`]: the status and activation of staged changes;
//! - [`common`]: the [`Reference`] type the models share;
//! - [`generated`]: every other catalog resource (locations, URL categories, firewall, DLP, ...),
//!   generated from the API catalog `spec/zia.json` by `cargo run -p codegen`.

pub mod activation;
pub mod auth;
pub mod builder;
mod client;
pub mod cloud;
pub mod common;
pub mod departments;
pub mod generated;
pub mod groups;
pub mod pagination;
mod resource;
pub mod users;

pub use activation::{ActivationApi, ActivationStatus};
pub use builder::ZiaClientBuilder;
pub use client::ZiaClient;
pub use cloud::{Cloud, UnknownCloud};
pub use common::Reference;
pub use departments::{Department, DepartmentList, DepartmentsApi};
pub use groups::{Group, GroupList, GroupsApi};
pub use users::{User, UserList, UsersApi};
