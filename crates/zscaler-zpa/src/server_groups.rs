//! Server groups: the servers behind application segments and the app connector groups that
//! reach them.
//!
//! ```no_run
//! # async fn run(zpa: zscaler_zpa::ZpaClient) -> zscaler_zpa::Result<()> {
//! use zscaler_zpa::app_connector_groups::AppConnectorGroup;
//! use zscaler_zpa::server_groups::ServerGroup;
//!
//! let group = ServerGroup {
//!     dynamic_discovery: Some(true),
//!     app_connector_groups: Some(vec![AppConnectorGroup::reference("216196257331404636")]),
//!     ..ServerGroup::new("crm servers")
//! };
//! let created = zpa.server_groups().create(&group).await?;
//! println!("created {}", created.id);
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::NumberString;

use crate::app_connector_groups::AppConnectorGroup;
use crate::common::{ApplicationServer, ConfigSpace, Reference};
use crate::paths::ApiBase;
use crate::resource::{Resources, ZpaResource};

/// The server group API: `zpa.server_groups()`.
pub type ServerGroups = Resources<ServerGroup>;

/// A server group: the servers of application segments and the app connector groups that reach them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerGroup {
    /// Id of the group, empty before it is created.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Name of the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the group is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether servers are discovered from the segments' domains instead of listed in `servers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dynamic_discovery: Option<bool>,
    /// App connector groups that reach the servers. To set them, send references made with [`AppConnectorGroup::reference`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_connector_groups: Option<Vec<AppConnectorGroup>>,
    /// Servers of the group, used when dynamic discovery is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servers: Option<Vec<ApplicationServer>>,
    /// Application segments the group serves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applications: Option<Vec<Reference>>,
    /// Configuration space of the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_space: Option<ConfigSpace>,
    /// Whether traffic leaves through ZIA with the source IP anchored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_anchored: Option<bool>,
    /// Whether the group is reachable through an extranet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extranet_enabled: Option<bool>,
    /// Weight of the group when an application segment balances by weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<NumberString>,
    /// Whether the group only takes traffic when the others fail, in a segment that balances by weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passive: Option<bool>,
    /// Id of the microtenant the group belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_id: Option<String>,
    /// Name of the microtenant the group belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_name: Option<String>,
    /// Whether the group is read-only for this API client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Restriction that applies to the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restriction_type: Option<String>,
    /// Whether Zscaler manages the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zscaler_managed: Option<bool>,
    /// Creation time, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<NumberString>,
    /// Id of the administrator who last changed the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    /// Time of the last change, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_time: Option<NumberString>,
    /// Fields this crate does not model, kept so that an update sends them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ServerGroup {
    /// Creates an enabled group with a name.
    pub fn new(name: impl Into<String>) -> Self {
        ServerGroup {
            name: Some(name.into()),
            enabled: Some(true),
            ..ServerGroup::default()
        }
    }

    /// Creates a reference to the group `id`, for the `serverGroups` of an application segment.
    pub fn reference(id: impl Into<String>) -> Self {
        ServerGroup {
            id: id.into(),
            ..ServerGroup::default()
        }
    }
}

impl ZpaResource for ServerGroup {
    const BASE: ApiBase = ApiBase::MgmtConfigV1;
    const COLLECTION: &'static str = "serverGroup";
    const KIND: &'static str = "server group";

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reference_sends_only_the_id() {
        assert_eq!(
            serde_json::to_value(ServerGroup::reference("216196257331404638")).expect("encodes"),
            json!({"id": "216196257331404638"})
        );
    }

    #[test]
    fn weight_and_passive_decode() {
        let json = json!({"id": "1", "weight": "0", "passive": false, "servers": [{"id": "2", "address": "10.0.0.1"}]});
        let group: ServerGroup = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(group.weight.as_ref().and_then(|w| w.as_u64()), Some(0));
        assert_eq!(group.passive, Some(false));
        assert_eq!(serde_json::to_value(&group).expect("encodes"), json);
    }
}
