//! Activation of staged configuration changes: `/api/v1/status`.
//!
//! ZIA stages every configuration write until it is activated. Ending the session with
//! [`ZiaClient::close`] also activates staged changes.
//!
//! ```no_run
//! # async fn run(zia: zscaler_zia::ZiaClient) -> zscaler_core::Result<()> {
//! use zscaler_zia::activation::ActivationStatus;
//!
//! if zia.activation().status().await? == ActivationStatus::Pending {
//!     let status = zia.activation().activate().await?;
//!     println!("activation: {status}");
//! }
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::{Request, Result};

use crate::ZiaClient;
use crate::resource::{self, is_json};

/// Path of the activation status.
pub const STATUS_PATH: &str = "/api/v1/status";

/// Path that activates staged changes.
pub const ACTIVATE_PATH: &str = "/api/v1/status/activate";

zscaler_core::string_enum! {
    /// The state of the tenant's configuration changes.
    pub enum ActivationStatus {
        /// Every change is active.
        Active = "ACTIVE",
        /// Changes are staged and wait for activation.
        Pending = "PENDING",
        /// An activation is running.
        InProgress = "INPROGRESS",
    }
}

/// The body of `GET /status` and `POST /status/activate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activation {
    /// The activation state.
    pub status: ActivationStatus,
    /// Fields this version of the SDK does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The activation API, returned by [`ZiaClient::activation`].
#[derive(Debug, Clone, Copy)]
pub struct ActivationApi<'a> {
    client: &'a ZiaClient,
}

impl<'a> ActivationApi<'a> {
    pub(crate) fn new(client: &'a ZiaClient) -> Self {
        ActivationApi { client }
    }

    /// Returns the activation state (`GET /status`).
    pub async fn status(&self) -> Result<ActivationStatus> {
        let activation: Activation = resource::get(self.client.service(), STATUS_PATH).await?;
        Ok(activation.status)
    }

    /// Activates every staged change (`POST /status/activate` with `{}`) and returns the state
    /// ZIA reports. When the response has no JSON body, the state is read with
    /// [`status`](Self::status).
    pub async fn activate(&self) -> Result<ActivationStatus> {
        let service = self.client.service();
        let request = Request::post(ACTIVATE_PATH).json(&Map::new())?;
        let response = service.execute(&request).await?;
        if !is_json(&response) {
            return self.status().await;
        }
        let activation: Activation = service.transport().decode(&request, &response)?;
        tracing::info!(status = %activation.status, "ZIA activation requested");
        Ok(activation.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_values_and_unknown() {
        for (wire, expected) in [
            ("ACTIVE", ActivationStatus::Active),
            ("PENDING", ActivationStatus::Pending),
            ("INPROGRESS", ActivationStatus::InProgress),
            ("QUEUED", ActivationStatus::Unknown("QUEUED".into())),
        ] {
            let body = format!(r#"{{"status":"{wire}"}}"#);
            let activation: Activation = serde_json::from_str(&body).expect("decodes");
            assert_eq!(activation.status, expected, "{wire}");
            assert_eq!(serde_json::to_string(&activation).expect("encodes"), body);
        }
    }
}
