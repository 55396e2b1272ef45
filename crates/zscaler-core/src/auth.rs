//! The interface a product's login implements, and a single-flight holder for sessions and
//! tokens.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use reqwest::header::{HeaderName, HeaderValue};
use tokio::sync::Mutex;

use crate::error::Result;
use crate::service::Transport;

/// Credentials to attach to one request: headers such as `Authorization` or `Cookie`.
///
/// `generation` identifies the login that produced them, so that a task that saw them expire
/// can invalidate exactly that login and not a newer one another task already made.
#[derive(Clone)]
pub struct Credentials {
    /// Number of the login these credentials came from.
    pub generation: u64,
    /// Headers to add to the request. Their values are marked sensitive.
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Credentials")
            .field("generation", &self.generation)
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}

/// A product's way of authenticating requests. Product crates implement it; the request loop
/// in [`crate::service`] calls it.
#[async_trait]
pub trait Authenticator: Send + Sync + 'static {
    /// Returns the credentials for the next request, logging in first when there are none or
    /// they are about to expire. Concurrent callers must share one login.
    async fn credentials(&self, transport: &Transport) -> Result<Credentials>;

    /// Returns true when a failed response means the credentials expired or were invalidated,
    /// so one fresh login and a replay may succeed. Bad credentials must return false.
    fn is_expired(&self, status: u16, body: &[u8]) -> bool;

    /// Forgets the login of `generation` so that the next [`credentials`](Self::credentials)
    /// call logs in again. Does nothing when a newer login has already replaced it.
    async fn invalidate(&self, generation: u64);
}

/// A session or token that can tell when it should be renewed.
pub trait Renewable: Send + Sync + 'static {
    /// Returns true when the session should be renewed before the next request.
    fn needs_renewal(&self) -> bool;
}

/// Holds the current session of a client and makes renewal single-flight: when many tasks need
/// a session at once, one logs in and the others wait for its result.
pub struct SessionSlot<S> {
    state: Mutex<SlotState<S>>,
}

struct SlotState<S> {
    session: Option<Arc<S>>,
    generation: u64,
}

impl<S> Default for SessionSlot<S> {
    fn default() -> Self {
        SessionSlot {
            state: Mutex::new(SlotState {
                session: None,
                generation: 0,
            }),
        }
    }
}

impl<S> fmt::Debug for SessionSlot<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionSlot").finish_non_exhaustive()
    }
}

impl<S: Renewable> SessionSlot<S> {
    /// Creates an empty slot.
    pub fn new() -> Self {
        SessionSlot::default()
    }

    /// Returns the current session and its generation, calling `login` first when there is
    /// none or it needs renewal. The lock is held during `login`, so concurrent callers wait
    /// for one login instead of each making their own.
    pub async fn get_or_login<F, Fut>(&self, login: F) -> Result<(Arc<S>, u64)>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<S>>,
    {
        let mut state = self.state.lock().await;
        if let Some(session) = &state.session
            && !session.needs_renewal()
        {
            return Ok((Arc::clone(session), state.generation));
        }
        let session = Arc::new(login().await?);
        state.generation += 1;
        state.session = Some(Arc::clone(&session));
        Ok((session, state.generation))
    }

    /// Drops the session of `generation`, unless a newer one has replaced it.
    pub async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state.generation == generation {
            state.session = None;
        }
    }

    /// Removes and returns the current session, for logout.
    pub async fn take(&self) -> Option<Arc<S>> {
        self.state.lock().await.session.take()
    }

    /// Returns the number of logins made so far.
    pub async fn logins(&self) -> u64 {
        self.state.lock().await.generation
    }
}

/// Marks a header value as sensitive so that `reqwest` and the SDK's logs never print it.
pub fn sensitive_header(value: &str) -> Result<HeaderValue> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        crate::Error::Config(crate::ConfigError::new(
            "a credential contains characters that cannot be sent in an HTTP header",
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    struct Token {
        stale: bool,
    }

    impl Renewable for Token {
        fn needs_renewal(&self) -> bool {
            self.stale
        }
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_login() {
        let slot = Arc::new(SessionSlot::<Token>::new());
        let logins = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let slot = Arc::clone(&slot);
            let logins = Arc::clone(&logins);
            tasks.push(tokio::spawn(async move {
                slot.get_or_login(|| async {
                    logins.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok(Token { stale: false })
                })
                .await
                .map(|(_, generation)| generation)
            }));
        }
        for task in tasks {
            assert_eq!(task.await.expect("task ran").expect("login worked"), 1);
        }
        assert_eq!(logins.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn invalidate_ignores_older_generation() {
        let slot = SessionSlot::<Token>::new();
        let (_, first) = slot
            .get_or_login(|| async { Ok(Token { stale: false }) })
            .await
            .expect("login");
        slot.invalidate(first).await;
        let (_, second) = slot
            .get_or_login(|| async { Ok(Token { stale: false }) })
            .await
            .expect("login");
        assert_eq!(second, 2);
        slot.invalidate(first).await;
        let (_, still) = slot
            .get_or_login(|| async { panic!("no login expected") })
            .await
            .expect("session kept");
        assert_eq!(still, 2);
    }

    #[tokio::test]
    async fn stale_session_is_renewed() {
        let slot = SessionSlot::<Token>::new();
        slot.get_or_login(|| async { Ok(Token { stale: true }) })
            .await
            .expect("login");
        let (_, generation) = slot
            .get_or_login(|| async { Ok(Token { stale: false }) })
            .await
            .expect("renewal");
        assert_eq!(generation, 2);
    }

    #[test]
    fn credentials_debug_hides_values() {
        let credentials = Credentials {
            generation: 1,
            headers: vec![(
                reqwest::header::AUTHORIZATION,
                sensitive_header("Bearer abc").expect("valid"),
            )],
        };
        let printed = format!("{credentials:?}");
        assert!(!printed.contains("abc"), "{printed}");
        assert!(printed.contains("authorization"), "{printed}");
    }
}
