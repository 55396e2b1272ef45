//! A local, stateful simulator of the Zscaler ZIA and ZPA REST APIs on loopback, for the
//! SDK's end-to-end tests, demos and benchmarks, and for users' own tests.
//!
//! One server on `127.0.0.1` serves both products:
//!
//! - **ZIA** under `/api/v1`: legacy login with the obfuscated API key and a `JSESSIONID`
//!   cookie that expires when idle, bare-array lists with `page` and `pageSize` capped at each
//!   endpoint's maximum, integer ids (`CUSTOM_NN` for URL categories), staged changes with
//!   `/status` and `/status/activate`, and the edit lock.
//! - **ZPA** under `/signin`, `/mgmtconfig`, `/userconfig`, `/cbiconfig` and
//!   `/waap-pra-config`: bearer JWTs with an `exp` claim, the
//!   `{"totalPages","totalCount","list"}` envelope with numbers as strings, `search`
//!   expressions, `microtenantId` scoping and numeric-string ids.
//! - **OneAPI**: the ZIdentity token endpoint `POST /oauth2/v1/token`, whose
//!   client-credentials grant takes a client secret or an RS256 client assertion that is
//!   verified against a registered public key. The gateway paths `/zia/api/v1/...` and
//!   `/zpa/mgmtconfig/...` (and the other ZPA roots) serve the same tenant as the legacy paths
//!   to calls with a OneAPI bearer token. A ZIA tenant marked as migrated rejects legacy logins
//!   with the non-JSON page that real migrated tenants send.
//!
//! Every collection and item path of the embedded API catalogs (`spec/zia.json`,
//! `spec/zpa.json`) is served from generic JSON collections. The tenant starts with the
//! resources of recorded real traffic, optionally replaced by generated users and
//! application segments. Rate limits and fault injection (429 in every `Retry-After` format,
//! 5xx, HTML proxy errors, connection resets, stalls, invalidated sessions) are configured
//! on the builder or changed at run time.
//!
//! Not simulated: SCIM and sandbox submission (they live on other hosts), the gateway's
//! `x-ratelimit-*` headers, replay checks of assertion `jti`s, validation of required fields
//! and of references between resources, and the real effects of special operations. Calls
//! without a generic meaning (validations, exports, restarts) return an empty value or echo
//! their body.
//!
//! ```no_run
//! use std::time::Duration;
//! use zscaler_sim::{Faults, RetryAfterFormat, Simulator};
//!
//! # async fn run() -> std::io::Result<()> {
//! let sim = Simulator::builder()
//!     .seed(42)
//!     .zia_users(10_000)
//!     .zpa_application_segments(2_000)
//!     .zia_session_idle_timeout(Duration::from_secs(300))
//!     .faults(Faults {
//!         rate_limit: 0.1,
//!         retry_after: RetryAfterFormat::SecondsWithUnit,
//!         ..Faults::default()
//!     })
//!     .start()
//!     .await?;
//! let credentials = sim.zia_credentials();
//! println!("{} as {}", sim.base_url(), credentials.username);
//! # Ok(())
//! # }
//! ```

mod builder;
mod catalog;
mod faults;
mod generate;
mod http;
mod oneapi;
mod rate_limit;
mod recorder;
mod seed;
mod server;
mod simulator;
mod state;
mod store;
mod zia;
mod zpa;

pub use builder::SimulatorBuilder;
pub use faults::{Faults, RetryAfterFormat, UnknownRetryAfterFormat};
pub use oneapi::log::{OneApiClientAuth, OneApiTokenRequest};
pub use rate_limit::RateLimitConfig;
pub use recorder::RecordedRequest;
pub use simulator::Simulator;
pub use state::{OneApiCredentials, ZiaCredentials, ZpaCredentials};
pub use zia::auth::obfuscate_api_key;
