//! The state one simulator shares between its server tasks and its [`crate::Simulator`] handle.

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::faults::FaultState;
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
