//! The settings every client shares, read together from the environment.

use crate::cache::CacheSettings;
use crate::config::{Env, Problems};
use crate::rate_limit::RateLimitSettings;
use crate::retry::RetryPolicy;
use crate::transport::HttpSettings;

/// HTTP, retry, cache and rate-limit settings: the part of every client's configuration that
/// does not depend on the product.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ClientSettings {
    /// HTTP client settings.
    pub http: HttpSettings,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Response cache settings.
    pub cache: CacheSettings,
    /// Client-side rate limits.
    pub rate_limit: RateLimitSettings,
}

impl ClientSettings {
    /// Reads the `ZSCALER_HTTP_*`, `ZSCALER_PROXY`, `ZSCALER_CA_BUNDLE`, retry, cache and
    /// rate-limit variables over the defaults. Every invalid value is added to `problems`, and
    /// the setting it belongs to keeps its default.
    pub fn from_env(env: &Env, problems: &mut Problems) -> Self {
        let mut settings = ClientSettings::default();
        match HttpSettings::from_env(env) {
            Ok(http) => settings.http = http,
            Err(error) => problems.extend(error),
        }
        match RetryPolicy::from_env(env) {
            Ok(retry) => settings.retry = retry,
            Err(error) => problems.extend(error),
        }
        match CacheSettings::from_env(env) {
            Ok(cache) => settings.cache = cache,
            Err(error) => problems.extend(error),
        }
        match RateLimitSettings::from_env(env) {
            Ok(rate_limit) => settings.rate_limit = rate_limit,
            Err(error) => problems.extend(error),
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_setting_and_problem() {
        let env = Env::from_pairs([
            ("ZSCALER_MAX_RETRIES", "2"),
            ("ZSCALER_CLIENT_CACHE_ENABLED", "true"),
            ("ZSCALER_RATE_LIMIT", "false"),
            ("ZSCALER_HTTP_REQUEST_TIMEOUT", "never"),
        ]);
        let mut problems = Problems::default();
        let settings = ClientSettings::from_env(&env, &mut problems);

        assert_eq!(settings.retry.max_retries, 2);
        assert!(settings.cache.enabled);
        assert!(!settings.rate_limit.enabled);
        assert_eq!(settings.http, HttpSettings::default());
        let error = problems.finish().expect_err("one invalid value");
        assert!(
            error.to_string().contains("ZSCALER_HTTP_REQUEST_TIMEOUT"),
            "{error}"
        );
    }
}
