//! Application segments: the domains and ports of an application, and the server groups
//! that serve it.
//!
//! ```no_run
//! # async fn run(zpa: zscaler_zpa::ZpaClient) -> zscaler_zpa::Result<()> {
//! use zscaler_zpa::application_segments::ApplicationSegment;
//! use zscaler_zpa::server_groups::ServerGroup;
//!
//! let segment = ApplicationSegment {
//!     domain_names: Some(vec!["crm.example.com".into()]),
//!     segment_group_id: Some("216196257331404637".into()),
//!     server_groups: Some(vec![ServerGroup::reference("216196257331404638")]),
//!     tcp_port_ranges: Some(vec!["443".into(), "443".into()]),
//!     enabled: Some(true),
//!     ..ApplicationSegment::new("crm")
//! };
//! let created = zpa.application_segments().create(&segment).await?;
//! println!("created {}", created.id);
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::{NumberString, Result};

use crate::common::{ConfigSpace, PortRange};
use crate::paths::ApiBase;
use crate::resource::{Resources, ZpaResource};
use crate::server_groups::ServerGroup;

/// The application segment API: `zpa.application_segments()`.
pub type ApplicationSegments = Resources<ApplicationSegment>;

zscaler_core::string_enum! {
    /// The condition under which Zscaler Client Connector bypasses ZPA for a segment.
    pub enum BypassType {
        /// Always bypass.
        Always = "ALWAYS",
        /// Never bypass.
        Never = "NEVER",
        /// Bypass while the device is on the corporate network.
        OnNet = "ON_NET",
    }
}

zscaler_core::string_enum! {
    /// The kind of health check run against a segment's servers.
    pub enum HealthCheckType {
        /// The default check.
        Default = "DEFAULT",
        /// No check.
        None = "NONE",
    }
}

zscaler_core::string_enum! {
    /// The moments at which the health of a segment's servers is reported.
    pub enum HealthReporting {
        /// Never.
        None = "NONE",
        /// When a user accesses the segment.
        OnAccess = "ON_ACCESS",
        /// All the time.
        Continuous = "CONTINUOUS",
    }
}

zscaler_core::string_enum! {
    /// The ICMP traffic allowed to reach a segment's servers.
    pub enum IcmpAccessType {
        /// Ping and traceroute.
        PingTracerouting = "PING_TRACEROUTING",
        /// Ping only.
        Ping = "PING",
        /// No ICMP.
        None = "NONE",
    }
}

zscaler_core::string_enum! {
    /// The matching rule for a segment's domains when several segments cover one name.
    pub enum MatchStyle {
        /// Only the most specific segment matches.
        Exclusive = "EXCLUSIVE",
        /// Every segment that covers the name matches.
        Inclusive = "INCLUSIVE",
    }
}

/// An application segment: the domains and ports of an application and the server groups that serve it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSegment {
    /// Id of the segment, empty before it is created.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Name of the segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the segment is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Domain names, wildcard domains and IP addresses the segment covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_names: Option<Vec<String>>,
    /// The first domain name, as segment group listings show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// Id of the segment group the segment belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_group_id: Option<String>,
    /// Name of the segment group the segment belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_group_name: Option<String>,
    /// Server groups that serve the segment. To set them, send references made with [`ServerGroup::reference`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_groups: Option<Vec<ServerGroup>>,
    /// TCP ports as a flat list of first and last port pairs, such as `["80", "80", "8000", "8080"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_port_ranges: Option<Vec<NumberString>>,
    /// UDP ports as a flat list of first and last port pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udp_port_ranges: Option<Vec<NumberString>>,
    /// TCP ports as ranges; the API fills both this and `tcp_port_ranges`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_port_range: Option<Vec<PortRange>>,
    /// UDP ports as ranges; the API fills both this and `udp_port_ranges`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udp_port_range: Option<Vec<PortRange>>,
    /// Condition under which Zscaler Client Connector bypasses ZPA for the segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bypass_type: Option<BypassType>,
    /// Whether traffic bypasses ZPA while the user authenticates again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bypass_on_reauth: Option<bool>,
    /// Configuration space of the segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_space: Option<ConfigSpace>,
    /// Whether traffic is encrypted a second time inside the tunnel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub double_encrypt: Option<bool>,
    /// Kind of health check run against the servers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_type: Option<HealthCheckType>,
    /// Moments at which the health of the servers is reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_reporting: Option<HealthReporting>,
    /// Whether passive health checks are on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passive_health_enabled: Option<bool>,
    /// ICMP traffic allowed to reach the servers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icmp_access_type: Option<IcmpAccessType>,
    /// Whether traffic leaves through ZIA with the source IP anchored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_anchored: Option<bool>,
    /// Whether DNS CNAME records of the domains are resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_cname_enabled: Option<bool>,
    /// Whether the connector checks that the domain names resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fqdn_dns_check: Option<bool>,
    /// Whether the connector closest to the application is chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select_connector_close_to_app: Option<bool>,
    /// Matching rule for the segment's domains when several segments cover one name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_style: Option<MatchStyle>,
    /// Whether ZIA inspects the segment's traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inspect_traffic_with_zia: Option<bool>,
    /// Whether the segment stays reachable in disaster recovery mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_in_dr_mode: Option<bool>,
    /// Whether the disaster recovery configuration of the segment is incomplete.
    #[serde(
        rename = "isIncompleteDRConfig",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_incomplete_dr_config: Option<bool>,
    /// Whether server groups receive traffic by weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_load_balancing: Option<bool>,
    /// TCP keep-alive setting, `"0"` (off) or `"1"` (on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_keep_alive: Option<NumberString>,
    /// Idle timeout of connections, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_idle_timeout: Option<NumberString>,
    /// Maximum age of connections, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_max_age: Option<NumberString>,
    /// Whether the segment is reachable through an extranet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extranet_enabled: Option<bool>,
    /// Whether API protection is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_protection_enabled: Option<bool>,
    /// Whether AppProtection is applied automatically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_app_protect_enabled: Option<bool>,
    /// Whether application discovery and protection is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adp_enabled: Option<bool>,
    /// Id of the application recommendation the segment was made from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_recommendation_id: Option<String>,
    /// Policy style of the segment, such as `NONE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_style: Option<String>,
    /// Logging features, as segment group listings show them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_features: Option<Vec<String>>,
    /// Ids of the microtenants the segment is shared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_to_microtenants: Option<Vec<String>>,
    /// Id of the microtenant the segment belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_id: Option<String>,
    /// Name of the microtenant the segment belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_name: Option<String>,
    /// Whether the segment is read-only for this API client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Restriction that applies to the segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restriction_type: Option<String>,
    /// Whether Zscaler manages the segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zscaler_managed: Option<bool>,
    /// Creation time, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<NumberString>,
    /// Id of the administrator who last changed the segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    /// Time of the last change, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_time: Option<NumberString>,
    /// Fields this crate does not model, kept so that an update sends them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ApplicationSegment {
    /// Creates a segment with a name and nothing else set.
    pub fn new(name: impl Into<String>) -> Self {
        ApplicationSegment {
            name: Some(name.into()),
            ..ApplicationSegment::default()
        }
    }
}

impl ZpaResource for ApplicationSegment {
    const BASE: ApiBase = ApiBase::MgmtConfigV1;
    const COLLECTION: &'static str = "application";
    const KIND: &'static str = "application segment";

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Resources<ApplicationSegment> {
    /// Deletes the segment `id` even when policy rules still reference it, by sending
    /// `forceDelete=true`. ZPA removes the segment from those rules.
    pub async fn delete_forced(&self, id: impl AsRef<str>) -> Result<()> {
        self.delete_with_query(id.as_ref(), &[("forceDelete", "true")])
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_segment_sends_only_what_is_set() {
        let segment = ApplicationSegment {
            tcp_port_ranges: Some(vec!["9001".into(), "9001".into()]),
            ..ApplicationSegment::new("web")
        };
        assert_eq!(
            serde_json::to_value(&segment).expect("encodes"),
            json!({"name": "web", "tcpPortRanges": ["9001", "9001"]})
        );
    }

    #[test]
    fn wire_names_and_enums() {
        let json = json!({
            "id": "216196257331404639",
            "isIncompleteDRConfig": false,
            "bypassType": "NEVER",
            "healthReporting": "ON_ACCESS",
            "icmpAccessType": "SOMETHING_NEW",
            "tcpPortRange": [{"from": "9001", "to": "9001"}],
            "tcpKeepAlive": "0",
            "someFutureField": {"a": 1}
        });
        let segment: ApplicationSegment = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(segment.is_incomplete_dr_config, Some(false));
        assert_eq!(segment.bypass_type, Some(BypassType::Never));
        assert_eq!(segment.health_reporting, Some(HealthReporting::OnAccess));
        assert_eq!(
            segment.icmp_access_type,
            Some(IcmpAccessType::Unknown("SOMETHING_NEW".into()))
        );
        assert!(segment.extra.contains_key("someFutureField"));
        assert_eq!(serde_json::to_value(&segment).expect("encodes"), json);
    }
}
