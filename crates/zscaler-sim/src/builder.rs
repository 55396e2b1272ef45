//! Configuration of a simulator before it starts.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;

use crate::faults::{FaultState, Faults};
use crate::generate;
use crate::oneapi::assertion::ClientKey;
use crate::oneapi::token::OneApiTokens;
use crate::rate_limit::{RateLimitConfig, RateLimiter};
use crate::recorder::Recorder;
use crate::seed::{RECORDED_CUSTOMER_ID, recorded_store};
use crate::server;
use crate::simulator::Simulator;
use crate::state::{OneApiCredentials, Settings, Shared, ZiaCredentials, ZpaCredentials};
use crate::store::Store;
use crate::zia::auth::ZiaSessions;
use crate::zpa::auth::ZpaTokens;

/// Builder of a [`Simulator`]; see [`Simulator::builder`].
#[derive(Clone, Debug)]
pub struct SimulatorBuilder {
    seed: u64,
    zia_users: Option<usize>,
    zpa_application_segments: Option<usize>,
    zia_session_idle_timeout: Duration,
    zpa_token_lifetime: Duration,
    rate_limits: bool,
    rate_limit_config: RateLimitConfig,
    faults: Faults,
    latency: Duration,
    recorded_seed: bool,
    zia_credentials: Option<ZiaCredentials>,
    zpa_credentials: Option<ZpaCredentials>,
    oneapi_credentials: Option<OneApiCredentials>,
    oneapi_token_lifetime: Duration,
    zia_migrated_to_oneapi: bool,
    port: u16,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        Self {
            seed: 0,
            zia_users: None,
            zpa_application_segments: None,
            zia_session_idle_timeout: Duration::from_secs(300),
            zpa_token_lifetime: Duration::from_secs(3600),
            rate_limits: false,
            rate_limit_config: RateLimitConfig::default(),
            faults: Faults::default(),
            latency: Duration::ZERO,
            recorded_seed: true,
            zia_credentials: None,
            zpa_credentials: None,
            oneapi_credentials: None,
            oneapi_token_lifetime: Duration::from_secs(3600),
            zia_migrated_to_oneapi: false,
            port: 0,
        }
    }
}

impl SimulatorBuilder {
    /// Sets the seed of generated data, credentials and fault draws (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Replaces the ZIA `/users`, `/departments` and `/groups` with generated ones: `users`
    /// users, one department per 200 users and one group per 50.
    pub fn zia_users(mut self, users: usize) -> Self {
        self.zia_users = Some(users);
        self
    }

    /// Replaces the ZPA `/application`, `/segmentGroup`, `/serverGroup` and
    /// `/appConnectorGroup` with generated ones: `segments` application segments, one segment
    /// group per 20, one server group per 10 and one app connector group per 100.
    pub fn zpa_application_segments(mut self, segments: usize) -> Self {
        self.zpa_application_segments = Some(segments);
        self
    }

    /// Sets how long a ZIA session may stay unused before requests with it get 401 (default 5 minutes).
    pub fn zia_session_idle_timeout(mut self, timeout: Duration) -> Self {
        self.zia_session_idle_timeout = timeout;
        self
    }

    /// Sets the lifetime of ZPA bearer tokens (default 3600 s).
    pub fn zpa_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.zpa_token_lifetime = lifetime;
        self
    }

    /// Turns the server-side rate limits on or off (default off).
    pub fn rate_limits(mut self, enabled: bool) -> Self {
        self.rate_limits = enabled;
        self
    }

    /// Sets the ceilings enforced when rate limits are on.
    pub fn rate_limit_config(mut self, config: RateLimitConfig) -> Self {
        self.rate_limit_config = config;
        self
    }

    /// Sets the faults to inject (default none).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Sets a delay added to every request (default zero).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Chooses whether the tenant starts with the resources of the recorded traffic embedded
    /// from `seed/` (default true); with false every collection starts empty.
    pub fn recorded_seed(mut self, enabled: bool) -> Self {
        self.recorded_seed = enabled;
        self
    }

    /// Sets the ZIA credentials instead of generating them from the seed.
    pub fn zia_credentials(mut self, credentials: ZiaCredentials) -> Self {
        self.zia_credentials = Some(credentials);
        self
    }

    /// Sets the ZPA credentials and customer id instead of generating them from the seed.
    pub fn zpa_credentials(mut self, credentials: ZpaCredentials) -> Self {
        self.zpa_credentials = Some(credentials);
        self
    }

    /// Sets the OneAPI client instead of generating one from the seed. The generated client
    /// has a secret and no public key.
    ///
    /// With a `public_key_pem`, the token endpoint accepts client assertions that verify
    /// against it; [`SimulatorBuilder::start`] fails when the key is not an RSA public key of at
    /// least 2048 bits, or when the client has neither a secret nor a key.
    pub fn oneapi_client(mut self, credentials: OneApiCredentials) -> Self {
        self.oneapi_credentials = Some(credentials);
        self
    }

    /// Sets the lifetime of OneAPI access tokens (default 3600 s). The token response gives
    /// it in whole seconds as `expires_in`.
    pub fn oneapi_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.oneapi_token_lifetime = lifetime;
        self
    }

    /// Makes the ZIA tenant one that was migrated to OneAPI (default false): legacy logins at
    /// `POST /api/v1/authenticatedSession` get a 403 HTML page saying that API access works
    /// only through Zscaler OneAPI, even with valid credentials. Gateway calls are unaffected.
    pub fn zia_migrated_to_oneapi(mut self, migrated: bool) -> Self {
        self.zia_migrated_to_oneapi = migrated;
        self
    }

    /// Sets the loopback port to bind (default 0, a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Builds the tenant, binds `127.0.0.1` and starts serving on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// Returns an [`std::io::ErrorKind::InvalidInput`] error when the OneAPI client is
    /// invalid (see [`SimulatorBuilder::oneapi_client`]), and the error of binding the port,
    /// e.g. when it is in use.
    pub async fn start(self) -> std::io::Result<Simulator> {
        let port = self.port;
        let shared = Arc::new(self.build_shared()?);
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
        let address = listener.local_addr()?;
        let task = tokio::spawn(server::serve(listener, Arc::clone(&shared)));
        tracing::info!(%address, "simulator started");
        Ok(Simulator::new(shared, address, task))
    }

    fn build_shared(self) -> std::io::Result<Shared> {
        let (oneapi, oneapi_key) = self.oneapi_client_settings()?;
        let mut rng = fastrand::Rng::with_seed(self.seed);
        let mut secret =
            |length: usize| -> String { (0..length).map(|_| rng.alphanumeric()).collect() };
        let zia = self
            .zia_credentials
            .clone()
            .unwrap_or_else(|| ZiaCredentials {
                username: format!("api-admin@tenant-{}.zscaler-sim.example", self.seed),
                password: secret(20),
                api_key: secret(16),
            });
        let zpa = self
            .zpa_credentials
            .clone()
            .unwrap_or_else(|| ZpaCredentials {
                client_id: secret(24),
                client_secret: secret(32),
                customer_id: RECORDED_CUSTOMER_ID.to_string(),
            });
        let mut store = if self.recorded_seed {
            recorded_store().clone()
        } else {
            Store::new()
        };
        if let Some(users) = self.zia_users {
            generate::zia_users(&mut store.zia, users, self.seed);
        }
        if let Some(segments) = self.zpa_application_segments {
            generate::zpa_segments(&mut store.zpa, segments, self.seed);
        }
        Ok(Shared {
            settings: Settings {
                zia,
                zpa,
                zia_idle_timeout: self.zia_session_idle_timeout,
                zpa_token_lifetime: self.zpa_token_lifetime,
                oneapi,
                oneapi_key,
                oneapi_token_lifetime: self.oneapi_token_lifetime,
                zia_migrated_to_oneapi: self.zia_migrated_to_oneapi,
            },
            store: Mutex::new(store),
            zia_sessions: Mutex::new(ZiaSessions::new(self.seed)),
            zpa_tokens: Mutex::new(ZpaTokens::new(self.seed)),
            oneapi_tokens: Mutex::new(OneApiTokens::new(self.seed)),
            last_assertion_claims: Mutex::new(None),
            faults: Mutex::new(FaultState::new(self.faults, self.seed)),
            limiter: Mutex::new(RateLimiter::new(self.rate_limits, self.rate_limit_config)),
            recorder: Recorder::default(),
            zia_edit_lock: AtomicBool::new(false),
            latency: Mutex::new(self.latency),
        })
    }

    /// Returns the OneAPI client, generated from the seed unless one was set, and the key
    /// that verifies its assertions.
    fn oneapi_client_settings(&self) -> std::io::Result<(OneApiCredentials, Option<ClientKey>)> {
        let invalid =
            |message: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, message);
        let Some(credentials) = self.oneapi_credentials.clone() else {
            // A generator of its own keeps the ZIA and ZPA credentials of a seed unchanged.
            let mut rng = fastrand::Rng::with_seed(self.seed ^ 0x0ae1_c11e);
            let mut secret =
                |length: usize| -> String { (0..length).map(|_| rng.alphanumeric()).collect() };
            let generated = OneApiCredentials {
                client_id: secret(24),
                client_secret: Some(secret(40)),
                public_key_pem: None,
            };
            return Ok((generated, None));
        };
        if credentials.client_id.trim().is_empty() {
            return Err(invalid(
                "the OneAPI client id is empty; set a client id".to_string(),
            ));
        }
        if credentials.client_secret.is_none() && credentials.public_key_pem.is_none() {
            return Err(invalid(format!(
                "the OneAPI client {} has neither a client secret nor a public key, so no token \
                 request could succeed; set one of them",
                credentials.client_id
            )));
        }
        let key = credentials
            .public_key_pem
            .as_deref()
            .map(ClientKey::from_pem)
            .transpose()
            .map_err(invalid)?;
        Ok((credentials, key))
    }
}
