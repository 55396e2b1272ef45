//! The state one simulator shares between its server tasks and its [`crate::Simulator`] handle.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde_json::Value;

use crate::faults::FaultState;
use crate::oneapi::assertion::ClientKey;
use crate::oneapi::token::OneApiTokens;
use crate::rate_limit::RateLimiter;
use crate::recorder::Recorder;
use crate::store::Store;
use crate::zia::auth::ZiaSessions;
use crate::zpa::auth::ZpaTokens;

/// ZIA legacy API credentials of the simulated tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZiaCredentials {
    /// Admin user name, an e-mail address.
    pub username: String,
    /// Admin password.
    pub password: String,
    /// API key in clear; clients send it obfuscated with the login timestamp.
    pub api_key: String,
}

/// ZPA legacy API credentials of the simulated tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZpaCredentials {
    /// API client id for `POST /signin`.
    pub client_id: String,
    /// API client secret for `POST /signin`.
    pub client_secret: String,
    /// Tenant id that appears in every ZPA path.
    pub customer_id: String,
}

/// The OneAPI client of the simulated tenant: one ZIdentity API client whose token authorizes
/// ZIA and ZPA calls through the gateway paths `/zia/...` and `/zpa/...`.
///
/// The client authenticates with its secret, with a JWT assertion signed by the private key
/// that matches `public_key_pem`, or with either when both are set. `Debug` masks the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct OneApiCredentials {
    /// The `client_id` of token requests, and the `iss` and `sub` of client assertions.
    pub client_id: String,
    /// The `client_secret` the token endpoint accepts; `None` rejects secret grants.
    pub client_secret: Option<String>,
    /// The RSA public key (at least 2048 bits) in PEM form, PKCS#1 (`BEGIN RSA PUBLIC KEY`)
    /// or SPKI (`BEGIN PUBLIC KEY`), that verifies client assertions; `None` rejects
    /// assertions.
    pub public_key_pem: Option<String>,
}

impl fmt::Debug for OneApiCredentials {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("OneApiCredentials")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[masked]"),
            )
            .field("public_key_pem", &self.public_key_pem.is_some())
            .finish()
    }
}

/// Settings fixed when the simulator starts.
#[derive(Debug)]
pub(crate) struct Settings {
    /// ZIA credentials.
    pub zia: ZiaCredentials,
    /// ZPA credentials.
    pub zpa: ZpaCredentials,
    /// A ZIA session unused for longer than this gets 401.
    pub zia_idle_timeout: Duration,
    /// Lifetime of ZPA bearer tokens.
    pub zpa_token_lifetime: Duration,
    /// OneAPI client credentials.
    pub oneapi: OneApiCredentials,
    /// Key that verifies client assertions, parsed from `oneapi.public_key_pem`.
    pub oneapi_key: Option<ClientKey>,
    /// Lifetime of OneAPI access tokens.
    pub oneapi_token_lifetime: Duration,
    /// Whether legacy ZIA logins are rejected because the tenant moved to OneAPI.
    pub zia_migrated_to_oneapi: bool,
}

/// Everything a request handler needs. Each lock is held only for synchronous work.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Fixed settings.
    pub settings: Settings,
    /// Resources of both products.
    pub store: Mutex<Store>,
    /// Live ZIA sessions.
    pub zia_sessions: Mutex<ZiaSessions>,
    /// Live ZPA tokens.
    pub zpa_tokens: Mutex<ZpaTokens>,
    /// Live OneAPI access tokens.
    pub oneapi_tokens: Mutex<OneApiTokens>,
    /// Claims of the last client assertion received, decoded without verification.
    pub last_assertion_claims: Mutex<Option<Value>>,
    /// Fault configuration and its generator.
    pub faults: Mutex<FaultState>,
    /// Server-side rate limits.
    pub limiter: Mutex<RateLimiter>,
    /// Log of every request.
    pub recorder: Recorder,
    /// Whether another admin holds the ZIA edit lock.
    pub zia_edit_lock: AtomicBool,
    /// Delay added to every request.
    pub latency: Mutex<Duration>,
}
