//! Segment groups: application segments that access policies treat as one.
//!
//! ```no_run
//! # async fn run(zpa: zscaler_zpa::ZpaClient) -> zscaler_zpa::Result<()> {
//! if let Some(group) = zpa.segment_groups().get_by_name("crm").await? {
//!     let segments = group.applications.unwrap_or_default();
//!     println!("{} holds {} segments", group.id, segments.len());
//! }
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::NumberString;

use crate::application_segments::ApplicationSegment;
use crate::common::ConfigSpace;
use crate::paths::ApiBase;
use crate::resource::{Resources, ZpaResource};

/// The segment group API: `zpa.segment_groups()`.
pub type SegmentGroups = Resources<SegmentGroup>;

/// A segment group: application segments that policies treat as one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentGroup {
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
    /// Application segments in the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applications: Option<Vec<ApplicationSegment>>,
    /// Configuration space of the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_space: Option<ConfigSpace>,
    /// Whether the group's policies were migrated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_migrated: Option<bool>,
    /// TCP keep-alive setting, `"0"` (off) or `"1"` (on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_keep_alive_enabled: Option<NumberString>,
    /// Id of the microtenant the group belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_id: Option<String>,
    /// Name of the microtenant the group belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_name: Option<String>,
    /// Whether the group is read-only for this API client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
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

impl SegmentGroup {
    /// Creates an enabled group with a name.
    pub fn new(name: impl Into<String>) -> Self {
        SegmentGroup {
            name: Some(name.into()),
            enabled: Some(true),
            ..SegmentGroup::default()
        }
    }
}

impl ZpaResource for SegmentGroup {
    const BASE: ApiBase = ApiBase::MgmtConfigV1;
    const COLLECTION: &'static str = "segmentGroup";
    const KIND: &'static str = "segment group";

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_group_is_enabled() {
        assert_eq!(
            serde_json::to_value(SegmentGroup::new("crm")).expect("encodes"),
            json!({"name": "crm", "enabled": true})
        );
    }

    #[test]
    fn applications_decode_as_segments() {
        let json = json!({
            "id": "216196257331370167",
            "name": "Example100",
            "tcpKeepAliveEnabled": "0",
            "applications": [{"id": "216196257331370170", "name": "app09", "tcpKeepAlive": "0"}]
        });
        let group: SegmentGroup = serde_json::from_value(json.clone()).expect("decodes");
        let applications = group.applications.as_deref().expect("applications");
        assert_eq!(applications[0].id, "216196257331370170");
        assert_eq!(serde_json::to_value(&group).expect("encodes"), json);
    }
}
