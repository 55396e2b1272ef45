//! The ZIA client and its resource APIs.
//!
//! ```no_run
//! # async fn run() -> zscaler_core::Result<()> {
//! let zia = zscaler_zia::ZiaClient::from_env()?;
//! let groups = zia.groups().list().max_items(20).collect().await?;
//! println!("{} groups; {:?}", groups.len(), zia.stats());
//! zia.close().await?;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;

use zscaler_core::{Env, Result, Service, Stats};

use crate::activation::ActivationApi;
use crate::auth::ZiaAuth;
use crate::builder::ZiaClientBuilder;
use crate::cloud::Cloud;
use crate::departments::DepartmentsApi;
use crate::groups::GroupsApi;
use crate::users::UsersApi;

/// A client of one ZIA tenant.
///
/// Cheap to clone: clones share the session, the connection pool, the rate limiter, the cache
/// and the counters. The first request logs in; concurrent first requests share one login.
#[derive(Clone)]
pub struct ZiaClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    service: Service,
    /// The legacy session login; `None` for a client built on a OneAPI service.
    auth: Option<Arc<ZiaAuth>>,
    base_url: String,
    cloud: Option<Cloud>,
    username: Option<String>,
}

impl fmt::Debug for ZiaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZiaClient")
            .field("base_url", &self.inner.base_url)
            .field("cloud", &self.inner.cloud)
            .field("username", &self.inner.username)
            .field(
                "logins",
                &self.inner.auth.as_ref().map(|auth| auth.logins()),
            )
            .finish_non_exhaustive()
    }
}

impl ZiaClient {
    pub(crate) fn from_parts(
        service: Service,
        auth: Arc<ZiaAuth>,
        base_url: String,
        cloud: Option<Cloud>,
        username: String,
    ) -> Self {
        ZiaClient {
            inner: Arc::new(ClientInner {
                service,
                auth: Some(auth),
                base_url,
                cloud,
                username: Some(username),
            }),
        }
    }

    /// Builds a client on a service that already authenticates its requests, such as the
    /// OneAPI service of `zscaler::Client`. The service's base URL ends with the ZIA prefix of
    /// the gateway (`https://api.zsapi.net/zia`), since every path starting with `/api/v1` is
    /// appended to it. Makes no request.
    pub fn from_service(service: Service) -> Result<Self> {
        let base_url = service.transport().base_url().to_owned();
        Ok(ZiaClient {
            inner: Arc::new(ClientInner {
                service,
                auth: None,
                base_url,
                cloud: None,
                username: None,
            }),
        })
    }

    /// Returns a builder for configuring a client in code.
    pub fn builder() -> ZiaClientBuilder {
        ZiaClientBuilder::new()
    }

    /// Builds a client from the process environment: `ZIA_USERNAME`, `ZIA_PASSWORD`,
    /// `ZIA_API_KEY`, `ZIA_CLOUD` or `ZIA_BASE_URL`, and the `ZSCALER_*` HTTP, retry and cache
    /// variables. Fails with one error that lists every missing or invalid variable.
    pub fn from_env() -> Result<Self> {
        ZiaClient::from_env_with(&Env::process())
    }

    /// Same as [`from_env`](Self::from_env), reading the given environment.
    pub fn from_env_with(env: &Env) -> Result<Self> {
        ZiaClientBuilder::from_env(env).build()
    }

    /// Returns the users API.
    pub fn users(&self) -> UsersApi<'_> {
        UsersApi::new(self)
    }

    /// Returns the groups API.
    pub fn groups(&self) -> GroupsApi<'_> {
        GroupsApi::new(self)
    }

    /// Returns the departments API.
    pub fn departments(&self) -> DepartmentsApi<'_> {
        DepartmentsApi::new(self)
    }

    /// Returns the activation API.
    pub fn activation(&self) -> ActivationApi<'_> {
        ActivationApi::new(self)
    }

    /// Returns the service that sends this client's requests with its session, retries and
    /// cache, for endpoints this crate has no typed call for. Paths start with `/api/v1`.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// Returns the base URL requests go to, without `/api/v1`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Returns the cloud, unless the base URL was set directly.
    pub fn cloud(&self) -> Option<Cloud> {
        self.inner.cloud
    }

    /// Returns the counters of requests, retries, re-logins and cache hits, shared by clones.
    pub fn stats(&self) -> Stats {
        self.inner.service.stats()
    }

    /// Ends the session with `DELETE /api/v1/authenticatedSession`, which also activates
    /// staged configuration changes. Does nothing when no session is open, or for a OneAPI
    /// client, which has a token rather than a session; a session the server had already
    /// dropped counts as ended. A later call logs in again.
    pub async fn close(&self) -> Result<()> {
        let Some(auth) = &self.inner.auth else {
            return Ok(());
        };
        auth.logout(self.inner.service.transport())
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_shareable<T: Clone + Send + Sync + fmt::Debug + 'static>() {}

    #[test]
    fn client_is_clone_send_sync_debug() {
        assert_shareable::<ZiaClient>();
    }

    #[test]
    fn build_needs_no_runtime_and_debug_hides_secrets() {
        let zia = ZiaClient::builder()
            .username("admin@example.com")
            .password("p4ssw0rd-value")
            .api_key("0123456789abcdefKEY")
            .cloud_name("ZSCLOUD")
            .build()
            .expect("valid settings");
        assert_eq!(zia.cloud(), Some(Cloud::ZsCloud));
        assert_eq!(zia.base_url(), "https://zsapi.zscloud.net");
        let printed = format!("{zia:?}");
        assert!(printed.contains("admin@example.com"), "{printed}");
        assert!(!printed.contains("p4ssw0rd-value"), "{printed}");
        assert!(!printed.contains("0123456789abcdefKEY"), "{printed}");
    }
}
