//! Server-side token buckets per product and method class, with the documented ceilings as
//! defaults.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::catalog::Product;

/// Request ceilings that the simulator enforces when rate limits are on.
///
/// The defaults are the documented ZIA and ZPA limits that the Go SDK's client-side limiter
/// also uses: 20 `GET` and 10 `POST`/`PUT`/`DELETE` per 10 seconds, per product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// `GET` (and `HEAD`) requests allowed per window.
    pub get_per_window: u32,
    /// `POST`, `PUT`, `PATCH` and `DELETE` requests allowed per window.
    pub write_per_window: u32,
    /// Length of the window; tokens refill evenly over it.
    pub window: Duration,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            get_per_window: 20,
            write_per_window: 10,
            window: Duration::from_secs(10),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum MethodClass {
    Read,
    Write,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// The buckets of both products.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// Whether limits are enforced.
    pub enabled: bool,
    /// Ceilings.
    pub config: RateLimitConfig,
    buckets: HashMap<(Product, MethodClass), Bucket>,
}

impl RateLimiter {
    /// Creates the limiter with full buckets.
    pub fn new(enabled: bool, config: RateLimitConfig) -> Self {
        Self {
            enabled,
            config,
            buckets: HashMap::new(),
        }
    }

    /// Takes a token for a request, or returns how long until one is available.
    pub fn acquire(&mut self, product: Product, method: &str) -> Result<(), Duration> {
        if !self.enabled {
            return Ok(());
        }
        let class = if method == "GET" || method == "HEAD" {
            MethodClass::Read
        } else {
            MethodClass::Write
        };

        let capacity = f64::from(match class {
            MethodClass::Read => self.config.get_per_window,
            MethodClass::Write => self.config.write_per_window,
        });
        let window = self.config.window.as_secs_f64().max(f64::EPSILON);
        let per_second = capacity / window;

        let now = Instant::now();
        let bucket = self.buckets.entry((product, class)).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.updated = now;

        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        if per_second <= 0.0 {
            return Err(self.config.window);
        }
        Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_capacity_then_rejects() {
        let config = RateLimitConfig {
            get_per_window: 3,
            write_per_window: 1,
            window: Duration::from_secs(60),
        };
        let mut limiter = RateLimiter::new(true, config);
        for _ in 0..3 {
            assert!(limiter.acquire(Product::Zia, "GET").is_ok());
        }
        let wait = limiter
            .acquire(Product::Zia, "GET")
            .expect_err("fourth GET is limited");
        assert!(wait > Duration::from_secs(10));
        assert!(limiter.acquire(Product::Zpa, "GET").is_ok());
        assert!(limiter.acquire(Product::Zia, "POST").is_ok());
        assert!(limiter.acquire(Product::Zia, "DELETE").is_err());
    }

    #[test]
    fn disabled_limiter_allows_everything() {
        let mut limiter = RateLimiter::new(false, RateLimitConfig::default());
        for _ in 0..100 {
            assert!(limiter.acquire(Product::Zia, "GET").is_ok());
        }
    }
}
