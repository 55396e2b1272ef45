//! Client-side rate limiting, so that well-behaved programs rarely see a 429.
//!
//! One token bucket per method class, shared by every clone of a client. The defaults are the
//! documented ceilings that Zscaler's Go SDK also limits itself to, for both products: 20 GET
//! requests and 10 POST, PUT or DELETE requests per 10 seconds.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::Method;
use tokio::time::Instant;

use crate::config::Env;
use crate::error::ConfigError;

/// `ZSCALER_RATE_LIMIT`: `false` turns the client-side rate limit off.
pub const ENV_RATE_LIMIT: &str = "ZSCALER_RATE_LIMIT";

/// Limits for the two method classes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RateLimitSettings {
    /// Whether the client limits itself at all (default true).
    pub enabled: bool,
    /// GET and HEAD requests allowed per window.
    pub reads: u32,
    /// POST, PUT, PATCH and DELETE requests allowed per window.
    pub writes: u32,
    /// Length of the window.
    pub window: Duration,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        RateLimitSettings {
            enabled: true,
            reads: 20,
            writes: 10,
            window: Duration::from_secs(10),
        }
    }
}

impl RateLimitSettings {
    /// Sets the requests allowed per window for reads and for writes.
    pub fn with_limits(mut self, reads: u32, writes: u32, window: Duration) -> Self {
        self.reads = reads;
        self.writes = writes;
        self.window = window;
        self
    }

    /// Reads `ZSCALER_RATE_LIMIT` over the defaults.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let mut settings = RateLimitSettings::default();
        if let Some(enabled) = env.bool(ENV_RATE_LIMIT)? {
            settings.enabled = enabled;
        }
        Ok(settings)
    }

    /// Returns settings that never delay a request.
    pub fn disabled() -> Self {
        RateLimitSettings {
            enabled: false,
            ..RateLimitSettings::default()
        }
    }
}

/// The limiter of one client.
#[derive(Debug)]
pub struct RateLimiter {
    reads: Option<Mutex<Bucket>>,
    writes: Option<Mutex<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    capacity: f64,
    tokens: f64,
    per_second: f64,
    updated: Instant,
}

impl Bucket {
    fn new(capacity: u32, window: Duration) -> Self {
        let capacity = f64::from(capacity.max(1));
        Bucket {
            capacity,
            tokens: capacity,
            per_second: capacity / window.as_secs_f64().max(0.001),
            updated: Instant::now(),
        }
    }

    /// Takes a token, possibly borrowing from the future, and returns how long to wait first.
    fn reserve(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.updated = now;
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.per_second)
        }
    }
}

impl RateLimiter {
    /// Creates a limiter from settings.
    pub fn new(settings: &RateLimitSettings) -> Self {
        if !settings.enabled {
            return RateLimiter {
                reads: None,
                writes: None,
            };
        }
        RateLimiter {
            reads: Some(Mutex::new(Bucket::new(settings.reads, settings.window))),
            writes: Some(Mutex::new(Bucket::new(settings.writes, settings.window))),
        }
    }

    /// Waits until a request of this method may be sent.
    pub async fn acquire(&self, method: &Method) {
        let bucket = if matches!(*method, Method::GET | Method::HEAD) {
            &self.reads
        } else {
            &self.writes
        };
        let Some(bucket) = bucket else {
            return;
        };
        let wait = bucket
            .lock()
            .expect("rate limiter lock is never held across a panic")
            .reserve(Instant::now());
        if !wait.is_zero() {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "client-side rate limit: waiting"
            );
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_then_steady_rate() {
        let limiter = RateLimiter::new(&RateLimitSettings::default());
        let start = Instant::now();
        for _ in 0..20 {
            limiter.acquire(&Method::GET).await;
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "the first 20 GETs pass at once"
        );
        limiter.acquire(&Method::GET).await;
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(499), "{elapsed:?}");
        assert!(elapsed <= Duration::from_millis(501), "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn writes_have_their_own_bucket() {
        let limiter = RateLimiter::new(&RateLimitSettings::default());
        let start = Instant::now();
        for _ in 0..20 {
            limiter.acquire(&Method::GET).await;
        }
        for _ in 0..10 {
            limiter.acquire(&Method::PUT).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(&Method::DELETE).await;
        assert!(start.elapsed() >= Duration::from_millis(999));
    }

    #[test]
    fn settings_from_env() {
        let env = Env::from_pairs([(ENV_RATE_LIMIT, "false")]);
        assert!(!RateLimitSettings::from_env(&env).expect("valid").enabled);
        assert!(
            RateLimitSettings::from_env(&Env::default())
                .expect("defaults")
                .enabled
        );
        let env = Env::from_pairs([(ENV_RATE_LIMIT, "sometimes")]);
        let error = RateLimitSettings::from_env(&env).expect_err("invalid");
        assert!(error.to_string().contains(ENV_RATE_LIMIT), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn disabled_never_waits() {
        let limiter = RateLimiter::new(&RateLimitSettings::disabled());
        let start = Instant::now();
        for _ in 0..1000 {
            limiter.acquire(&Method::POST).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
