//! The handle of a running simulator: its address, credentials, request log, state
//! inspection and the switches that tests flip at run time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;
use tokio::task::JoinHandle;

use crate::builder::SimulatorBuilder;
use crate::faults::Faults;
use crate::oneapi::TOKEN_PATH;
use crate::oneapi::log::OneApiTokenRequest;
use crate::recorder::RecordedRequest;
use crate::state::{OneApiCredentials, Shared, ZiaCredentials, ZpaCredentials};
use crate::store::{ProductStore, id_text};
use crate::zia::activation_status;
use crate::zpa::resources::now_text;

/// A running simulator of the ZIA and ZPA APIs on `127.0.0.1`. It stops when dropped.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let sim = zscaler_sim::Simulator::builder().seed(42).zia_users(1_000).start().await?;
/// println!("ZIA at {}/api/v1, ZPA at {}", sim.base_url(), sim.base_url());
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    address: SocketAddr,
    task: JoinHandle<()>,
}

impl Simulator {
    pub(crate) fn new(shared: Arc<Shared>, address: SocketAddr, task: JoinHandle<()>) -> Self {
        Self {
            shared,
            address,
            task,
        }
    }

    /// Returns a builder with the defaults: seed 0, the recorded resources, 5-minute ZIA idle
    /// timeout, 3600 s ZPA and OneAPI tokens, no rate limits, no faults, no latency. The
    /// OneAPI client has a secret, and the ZIA tenant accepts legacy logins.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// Returns the base URL, `http://127.0.0.1:PORT`, which serves both products: ZIA under
    /// `/api/v1`, ZPA under `/signin`, `/mgmtconfig`, `/userconfig`, `/cbiconfig` and
    /// `/waap-pra-config`, and OneAPI at `/oauth2/v1/token` with the gateway paths under `/zia`
    /// and `/zpa`. The base URL is also the OneAPI gateway URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Returns the OneAPI token URL, `http://127.0.0.1:PORT/oauth2/v1/token`.
    pub fn oneapi_token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url())
    }

    /// Returns the bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// Returns the ZIA credentials the simulator accepts.
    pub fn zia_credentials(&self) -> ZiaCredentials {
        self.shared.settings.zia.clone()
    }

    /// Returns the ZPA credentials and customer id the simulator accepts.
    pub fn zpa_credentials(&self) -> ZpaCredentials {
        self.shared.settings.zpa.clone()
    }

    /// Returns the OneAPI client the token endpoint accepts.
    pub fn oneapi_credentials(&self) -> OneApiCredentials {
        self.shared.settings.oneapi.clone()
    }

    /// Counts the `POST /oauth2/v1/token` requests in the request log, accepted or not.
    pub fn oneapi_token_requests(&self) -> usize {
        self.shared.recorder.count("POST", TOKEN_PATH)
    }

    /// Returns the `POST /oauth2/v1/token` requests in the request log, in order, with their
    /// form fields but without secrets.
    pub fn oneapi_token_request_log(&self) -> Vec<OneApiTokenRequest> {
        self.shared
            .recorder
            .entries()
            .iter()
            .filter_map(OneApiTokenRequest::from_entry)
            .collect()
    }

    /// Returns the claims of the last client assertion a token request carried, decoded
    /// without verification and whether it was accepted or not. Returns `None` before the first
    /// assertion, after [`Simulator::clear_requests`], and when the last one was not a JWT.
    pub fn last_assertion_claims(&self) -> Option<Value> {
        self.shared
            .last_assertion_claims
            .lock()
            .expect("assertion lock poisoned")
            .clone()
    }

    /// Returns the `x-partner-id` header of the last request in the log that carried one.
    pub fn last_partner_id(&self) -> Option<String> {
        self.shared.recorder.last_partner_id()
    }

    /// Returns every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorder.entries()
    }

    /// Counts the requests with this method (case-insensitive) and exact path (no query),
    /// e.g. `request_count("GET", "/api/v1/users")`.
    pub fn request_count(&self, method: &str, path: &str) -> usize {
        self.shared.recorder.count(method, path)
    }

    /// Empties the request log, which also empties the OneAPI token request log and clears
    /// the last assertion claims and partner id.
    pub fn clear_requests(&self) {
        self.shared.recorder.clear();
        *self
            .shared
            .last_assertion_claims
            .lock()
            .expect("assertion lock poisoned") = None;
    }

    /// Ends every current ZIA session, so that requests with their `JSESSIONID` get
    /// 401 `SESSION_NOT_VALID`. New logins work as usual.
    pub fn invalidate_zia_sessions(&self) {
        self.shared
            .zia_sessions
            .lock()
            .expect("session lock poisoned")
            .clear();
    }

    /// Revokes every issued ZPA token, so that requests with them get 401. New sign-ins
    /// work as usual.
    pub fn expire_zpa_tokens(&self) {
        self.shared
            .zpa_tokens
            .lock()
            .expect("token lock poisoned")
            .clear();
    }

    /// Revokes every issued OneAPI access token, so that gateway calls with them get 401. New
    /// token requests work as usual.
    pub fn expire_oneapi_tokens(&self) {
        self.shared
            .oneapi_tokens
            .lock()
            .expect("token lock poisoned")
            .clear();
    }

    /// Replaces the fault configuration and restarts its counters.
    pub fn set_faults(&self, faults: Faults) {
        self.shared
            .faults
            .lock()
            .expect("fault lock poisoned")
            .set(faults);
    }

    /// Returns the current fault configuration.
    pub fn faults(&self) -> Faults {
        self.shared
            .faults
            .lock()
            .expect("fault lock poisoned")
            .faults
            .clone()
    }

    /// Sets the delay added to every request from now on.
    pub fn set_latency(&self, latency: Duration) {
        *self.shared.latency.lock().expect("latency lock poisoned") = latency;
    }

    /// Returns the ZIA activation status: `ACTIVE`, or `PENDING` after a change that was
    /// not activated yet.
    pub fn zia_activation_status(&self) -> String {
        let pending = self
            .shared
            .store
            .lock()
            .expect("store lock poisoned")
            .zia_pending;
        activation_status(pending).to_string()
    }

    /// Makes another admin hold the ZIA edit lock (true) or release it (false). While it is
    /// held, ZIA writes get 409 `EDIT_LOCK_NOT_AVAILABLE`.
    pub fn hold_zia_edit_lock(&self, locked: bool) {
        self.shared.zia_edit_lock.store(locked, Ordering::SeqCst);
    }

    /// Returns the items of a ZIA collection by its path under `/api/v1`, e.g. `/users`.
    pub fn zia_collection(&self, path: &str) -> Vec<Value> {
        let store = self.shared.store.lock().expect("store lock poisoned");
        collection_items(&store.zia, path)
    }

    /// Returns the items of a ZPA collection by its path under the customer base, e.g.
    /// `/application` for `/mgmtconfig/v1/admin/customers/{customerId}/application`.
    pub fn zpa_collection(&self, path: &str) -> Vec<Value> {
        let store = self.shared.store.lock().expect("store lock poisoned");
        collection_items(&store.zpa, path)
    }

    /// Adds an item to a ZIA collection (path as for [`Simulator::zia_collection`]) without
    /// an HTTP call, giving it a new integer `id` when it has none. Returns the stored item.
    pub fn zia_insert(&self, path: &str, mut item: Value) -> Value {
        let mut store = self.shared.store.lock().expect("store lock poisoned");
        if item.get("id").is_none() {
            item["id"] = Value::from(store.zia.allocate_id());
        }
        store
            .zia
            .collection_mut(&normalise(path), "id")
            .upsert(item.clone());
        item
    }

    /// Adds an item to a ZPA collection (path as for [`Simulator::zpa_collection`]) without
    /// an HTTP call, giving it a new numeric-string `id` and creation times when it has none.
    /// Returns the stored item.
    pub fn zpa_insert(&self, path: &str, mut item: Value) -> Value {
        let mut store = self.shared.store.lock().expect("store lock poisoned");
        if item.get("id").and_then(id_text).is_none() {
            item["id"] = Value::String(store.zpa.allocate_id().to_string());
        }
        for field in ["creationTime", "modifiedTime"] {
            if item.get(field).is_none() {
                item[field] = Value::String(now_text());
            }
        }
        store
            .zpa
            .collection_mut(&normalise(path), "id")
            .upsert(item.clone());
        item
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn normalise(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

fn collection_items(store: &ProductStore, path: &str) -> Vec<Value> {
    store
        .collections
        .get(&normalise(path))
        .map(|collection| collection.items.values().cloned().collect())
        .unwrap_or_default()
}
