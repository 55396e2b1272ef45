//! The optional in-memory cache of GET responses.
//!
//! Off by default. Entries are keyed by tenant and full URL, query included. Any write (POST,
//! PUT, PATCH, DELETE) evicts its own path, everything below it, and its parent collection with
//! every page of it: a PUT to `/users/42` evicts `/users/42` and every cached `/users?page=N`.
//! Only 2xx responses are stored.

use std::time::Duration;

use bytes::Bytes;
use moka::future::Cache;
use reqwest::header::HeaderMap;

use crate::config::{ENV_CACHE_ENABLED, ENV_CACHE_TTI, ENV_CACHE_TTL, Env, Problems};
use crate::error::ConfigError;

/// Cache settings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CacheSettings {
    /// Whether responses are cached (default false).
    pub enabled: bool,
    /// How long an entry lives after it is stored (default 3600 s).
    pub ttl: Duration,
    /// How long an entry may go unread before it is dropped (default 1800 s).
    pub tti: Duration,
    /// Maximum number of cached responses (default 10,000).
    pub max_entries: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            enabled: false,
            ttl: Duration::from_secs(3600),
            tti: Duration::from_secs(1800),
            max_entries: 10_000,
        }
    }
}

impl CacheSettings {
    /// Returns default settings with the cache turned on.
    pub fn enabled() -> Self {
        CacheSettings {
            enabled: true,
            ..CacheSettings::default()
        }
    }

    /// Sets how long an entry lives after it is stored.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets how long an entry may go unread before it is dropped.
    pub fn with_tti(mut self, tti: Duration) -> Self {
        self.tti = tti;
        self
    }

    /// Sets the maximum number of cached responses.
    pub fn with_max_entries(mut self, max_entries: u64) -> Self {
        self.max_entries = max_entries;
        self
    }

    /// Reads `ZSCALER_CLIENT_CACHE_ENABLED`, `ZSCALER_CLIENT_CACHE_DEFAULT_TTL` and
    /// `ZSCALER_CLIENT_CACHE_DEFAULT_TTI` (seconds, or a number with a unit) over the defaults.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let mut problems = Problems::default();
        let mut settings = CacheSettings::default();
        if let Some(enabled) = problems.take(env.bool(ENV_CACHE_ENABLED)) {
            settings.enabled = enabled;
        }
        if let Some(ttl) = problems.take(env.duration(ENV_CACHE_TTL)) {
            settings.ttl = ttl;
        }
        if let Some(tti) = problems.take(env.duration(ENV_CACHE_TTI)) {
            settings.tti = tti;
        }
        problems.finish()?;
        Ok(settings)
    }
}

/// A cached response.
#[derive(Debug, Clone)]
pub(crate) struct CachedResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// The cache of one client, shared by its clones.
#[derive(Debug, Clone)]
pub(crate) struct ResponseCache {
    entries: Cache<String, CachedResponse>,
    tenant: String,
}

impl ResponseCache {
    pub(crate) fn new(settings: &CacheSettings, tenant: &str) -> Self {
        let entries = Cache::builder()
            .max_capacity(settings.max_entries)
            .time_to_live(settings.ttl)
            .time_to_idle(settings.tti)
            .support_invalidation_closures()
            .build();
        ResponseCache {
            entries,
            tenant: tenant.to_owned(),
        }
    }

    /// Returns the key of a URL: the tenant, a NUL byte, then the path and query.
    pub(crate) fn key(&self, path_and_query: &str) -> String {
        format!("{}\0{path_and_query}", self.tenant)
    }

    pub(crate) async fn get(&self, key: &str) -> Option<CachedResponse> {
        self.entries.get(key).await
    }

    pub(crate) async fn insert(&self, key: String, response: CachedResponse) {
        self.entries.insert(key, response).await;
    }

    /// Evicts everything a write to `path` may have changed.
    pub(crate) fn invalidate_for_write(&self, path: &str) {
        let path = path.trim_end_matches('/').to_owned();
        let parent = match path.rfind('/') {
            Some(slash) if slash > 0 => path[..slash].to_owned(),
            _ => path.clone(),
        };
        let tenant = self.tenant.clone();
        let evicted = self.entries.invalidate_entries_if(move |key, _| {
            let Some((key_tenant, url)) = key.split_once('\0') else {
                return false;
            };
            let key_path = url.split('?').next().unwrap_or(url);
            key_tenant == tenant && (key_path == parent || is_same_or_below(key_path, &path))
        });
        if let Err(error) = evicted {
            // Only possible when invalidation closures are not enabled, and `new` enables them.
            tracing::warn!(%error, "failed to evict cached responses; clearing the whole cache");
            self.entries.invalidate_all();
        }
    }
}

impl ResponseCache {
    /// Evicts every entry at or below `path`, whatever its query.
    pub(crate) fn invalidate_below(&self, path: &str) {
        let path = path.trim_end_matches('/').to_owned();
        let tenant = self.tenant.clone();
        let evicted = self.entries.invalidate_entries_if(move |key, _| {
            let Some((key_tenant, url)) = key.split_once('\0') else {
                return false;
            };
            let key_path = url.split('?').next().unwrap_or(url);
            key_tenant == tenant && is_same_or_below(key_path, &path)
        });
        if let Err(error) = evicted {
            tracing::warn!(%error, "failed to evict cached responses; clearing the whole cache");
            self.entries.invalidate_all();
        }
    }
}

fn is_same_or_below(candidate: &str, path: &str) -> bool {
    candidate == path
        || (candidate.starts_with(path) && candidate.as_bytes().get(path.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &'static str) -> CachedResponse {
        CachedResponse {
            status: 200,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[tokio::test]
    async fn write_evicts_item_and_every_page_of_parent() {
        let cache = ResponseCache::new(&CacheSettings::enabled(), "tenant-a");
        let keys = [
            "/api/v1/users/42",
            "/api/v1/users?page=1&pageSize=100",
            "/api/v1/users?page=2&pageSize=100",
            "/api/v1/users",
            "/api/v1/users/43",
            "/api/v1/departments",
            "/api/v1/users/42/extra",
        ];
        for key in keys {
            cache.insert(cache.key(key), response("x")).await;
        }

        cache.invalidate_for_write("/api/v1/users/42");

        for evicted in [
            "/api/v1/users/42",
            "/api/v1/users?page=1&pageSize=100",
            "/api/v1/users?page=2&pageSize=100",
            "/api/v1/users",
            "/api/v1/users/42/extra",
        ] {
            assert!(
                cache.get(&cache.key(evicted)).await.is_none(),
                "{evicted} must be evicted"
            );
        }
        for kept in ["/api/v1/users/43", "/api/v1/departments"] {
            assert!(
                cache.get(&cache.key(kept)).await.is_some(),
                "{kept} must stay"
            );
        }
    }

    #[tokio::test]
    async fn invalidate_below_evicts_subtree() {
        let cache = ResponseCache::new(&CacheSettings::enabled(), "t");
        for key in [
            "/api/v1/users",
            "/api/v1/users/1",
            "/api/v1/users?page=2",
            "/api/v1/groups",
        ] {
            cache.insert(cache.key(key), response("x")).await;
        }
        cache.invalidate_below("/api/v1/users");
        for evicted in ["/api/v1/users", "/api/v1/users/1", "/api/v1/users?page=2"] {
            assert!(cache.get(&cache.key(evicted)).await.is_none(), "{evicted}");
        }
        assert!(cache.get(&cache.key("/api/v1/groups")).await.is_some());
    }

    #[tokio::test]
    async fn tenants_do_not_share_entries() {
        let settings = CacheSettings::enabled();
        let a = ResponseCache::new(&settings, "a");
        let b = ResponseCache {
            entries: a.entries.clone(),
            tenant: "b".into(),
        };
        a.insert(a.key("/x"), response("from a")).await;
        assert!(b.get(&b.key("/x")).await.is_none());
        b.insert(b.key("/x"), response("from b")).await;
        a.invalidate_for_write("/x");
        assert!(a.get(&a.key("/x")).await.is_none());
        assert!(b.get(&b.key("/x")).await.is_some());
    }

    #[test]
    fn settings_from_env() {
        let env = Env::from_pairs([
            (ENV_CACHE_ENABLED, "true"),
            (ENV_CACHE_TTL, "60"),
            (ENV_CACHE_TTI, "30"),
        ]);
        let settings = CacheSettings::from_env(&env).expect("valid values");
        assert!(settings.enabled);
        assert_eq!(settings.ttl, Duration::from_secs(60));
        assert_eq!(settings.tti, Duration::from_secs(30));
        assert!(
            !CacheSettings::from_env(&Env::default())
                .expect("defaults")
                .enabled
        );

        let env = Env::from_pairs([(ENV_CACHE_ENABLED, "sometimes")]);
        let error = CacheSettings::from_env(&env).expect_err("invalid boolean");
        assert!(error.to_string().contains(ENV_CACHE_ENABLED));
    }
}
