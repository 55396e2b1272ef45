//! App connector groups: connectors at one location that share upgrade and network settings.
//!
//! ```no_run
//! # async fn run(zpa: zscaler_zpa::ZpaClient) -> zscaler_zpa::Result<()> {
//! use zscaler_zpa::app_connector_groups::{AppConnectorGroup, UpgradeDay};
//!
//! let group = AppConnectorGroup {
//!     location: Some("San Jose, CA, USA".into()),
//!     latitude: Some("37.33874".into()),
//!     longitude: Some("-121.8852525".into()),
//!     upgrade_day: Some(UpgradeDay::Sunday),
//!     upgrade_time_in_secs: Some("66600".into()),
//!     ..AppConnectorGroup::new("san-jose")
//! };
//! let created = zpa.app_connector_groups().create(&group).await?;
//! println!("created {}", created.id);
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::NumberString;

use crate::paths::ApiBase;
use crate::resource::{Resources, ZpaResource};
use crate::server_groups::ServerGroup;

/// The app connector group API: `zpa.app_connector_groups()`.
pub type AppConnectorGroups = Resources<AppConnectorGroup>;

zscaler_core::string_enum! {
    /// The address records the connectors of a group look up.
    pub enum DnsQueryType {
        /// IPv4 and IPv6 records.
        Ipv4Ipv6 = "IPV4_IPV6",
        /// IPv4 records only.
        Ipv4 = "IPV4",
        /// IPv6 records only.
        Ipv6 = "IPV6",
    }
}

zscaler_core::string_enum! {
    /// A day of the week, for connector upgrades.
    pub enum UpgradeDay {
        /// Sunday.
        Sunday = "SUNDAY",
        /// Monday.
        Monday = "MONDAY",
        /// Tuesday.
        Tuesday = "TUESDAY",
        /// Wednesday.
        Wednesday = "WEDNESDAY",
        /// Thursday.
        Thursday = "THURSDAY",
        /// Friday.
        Friday = "FRIDAY",
        /// Saturday.
        Saturday = "SATURDAY",
    }
}

/// An app connector group: connectors at one location that share settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppConnectorGroup {
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
    /// Location of the connectors, such as `San Jose, CA, USA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Latitude of the location, in decimal degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<NumberString>,
    /// Longitude of the location, in decimal degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<NumberString>,
    /// City and country code, such as `San Jose, US`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city_country: Option<String>,
    /// Two-letter country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Id of the geographic location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo_location_id: Option<String>,
    /// Address records the connectors look up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_query_type: Option<DnsQueryType>,
    /// Kind of group, such as `APP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_group_type: Option<String>,
    /// Connectors in the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connectors: Option<Vec<AppConnector>>,
    /// Server groups that use the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_groups: Option<Vec<ServerGroup>>,
    /// Day of the week the connectors upgrade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_day: Option<UpgradeDay>,
    /// Time of day the connectors upgrade, in seconds after midnight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_time_in_secs: Option<NumberString>,
    /// Upgrade priority, such as `WEEK`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_priority: Option<String>,
    /// Whether the group uses its own version profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_version_profile: Option<bool>,
    /// Id of the version profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_profile_id: Option<String>,
    /// Name of the version profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_profile_name: Option<String>,
    /// Visibility scope of the version profile, such as `ALL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_profile_visibility_scope: Option<String>,
    /// Whether privileged remote access is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pra_enabled: Option<bool>,
    /// Whether the web application firewall is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waf_disabled: Option<bool>,
    /// Whether TCP quick acknowledgement is on towards applications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_quick_ack_app: Option<bool>,
    /// Whether TCP quick acknowledgement is on towards the connectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_quick_ack_assistant: Option<bool>,
    /// Whether TCP quick acknowledgement is on for reads from the connectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_quick_ack_read_assistant: Option<bool>,
    /// Whether the group stays in use in disaster recovery mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_in_dr_mode: Option<bool>,
    /// Whether the group serves log streaming.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lss_app_connector_group: Option<bool>,
    /// Data centre hosting information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dc_hosting_info: Option<String>,
    /// Id of the site the group belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
    /// Name of the site the group belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// Id of the enrollment certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrollment_cert_id: Option<String>,
    /// Id of the private cloud.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_cloud_id: Option<String>,
    /// IP addresses or ranges the connectors accept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_acl: Option<Vec<String>>,
    /// Name as it was entered, with surrounding spaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_without_trim: Option<String>,
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

/// An app connector, as its group lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppConnector {
    /// Id of the connector.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Name of the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the connector is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Id of the group the connector belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_connector_group_id: Option<String>,
    /// Name of the group the connector belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_connector_group_name: Option<String>,
    /// State of the control channel, such as `ZPN_STATUS_ONLINE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_channel_status: Option<String>,
    /// Name of the broker of the control channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ctrl_broker_name: Option<String>,
    /// Software version running now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<String>,
    /// Software version the connector will upgrade to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<String>,
    /// Software version that ran before the last upgrade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
    /// State of the current upgrade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_status: Option<String>,
    /// Number of upgrade attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_attempt: Option<NumberString>,
    /// Fingerprint of the connector's certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Id of the certificate issued to the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_cert_id: Option<String>,
    /// Id of the provisioning key the connector enrolled with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_key_id: Option<String>,
    /// Name of the provisioning key the connector enrolled with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_key_name: Option<String>,
    /// Location of the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Latitude of the location, in decimal degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<NumberString>,
    /// Longitude of the location, in decimal degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<NumberString>,
    /// Platform the connector runs on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Details of the platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_detail: Option<String>,
    /// Operating system the connector runs on.
    #[serde(rename = "runtimeOS", skip_serializing_if = "Option::is_none")]
    pub runtime_os: Option<String>,
    /// Version of the connector's package manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sarge_version: Option<String>,
    /// Private IP address of the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    /// Public IP address of the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    /// Start time of the connector software, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_start_time: Option<NumberString>,
    /// Time of the last connection to a broker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_broker_connect_time: Option<NumberString>,
    /// Time of the last disconnection from a broker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_broker_disconnect_time: Option<NumberString>,
    /// Time of the last upgrade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_upgrade_time: Option<NumberString>,
    /// Time of the next upgrade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_upgrade_time: Option<NumberString>,
    /// Id of the microtenant the connector belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_id: Option<String>,
    /// Name of the microtenant the connector belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_name: Option<String>,
    /// Whether the connector is read-only for this API client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Restriction that applies to the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restriction_type: Option<String>,
    /// Whether Zscaler manages the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zscaler_managed: Option<bool>,
    /// Creation time, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<NumberString>,
    /// Id of the administrator who last changed the connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    /// Time of the last change, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_time: Option<NumberString>,
    /// Fields this crate does not model, kept so that an update sends them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AppConnectorGroup {
    /// Creates an enabled group with a name.
    pub fn new(name: impl Into<String>) -> Self {
        AppConnectorGroup {
            name: Some(name.into()),
            enabled: Some(true),
            ..AppConnectorGroup::default()
        }
    }

    /// Creates a reference to the group `id`, for the `appConnectorGroups` of a server group.
    pub fn reference(id: impl Into<String>) -> Self {
        AppConnectorGroup {
            id: id.into(),
            ..AppConnectorGroup::default()
        }
    }
}

impl ZpaResource for AppConnectorGroup {
    const BASE: ApiBase = ApiBase::MgmtConfigV1;
    const COLLECTION: &'static str = "appConnectorGroup";
    const KIND: &'static str = "app connector group";

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coordinates_stay_exact() {
        let json = json!({"id": "1", "latitude": "37.3382082", "longitude": "-121.8863286", "upgradeDay": "SUNDAY", "dnsQueryType": "IPV4_IPV6"});
        let group: AppConnectorGroup = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(
            group.latitude.as_ref().map(|l| l.as_str()),
            Some("37.3382082")
        );
        assert_eq!(group.upgrade_day, Some(UpgradeDay::Sunday));
        assert_eq!(group.dns_query_type, Some(DnsQueryType::Ipv4Ipv6));
        assert_eq!(serde_json::to_value(&group).expect("encodes"), json);
    }

    #[test]
    fn connector_runtime_os_wire_name() {
        let json =
            json!({"id": "7", "runtimeOS": "Linux", "controlChannelStatus": "ZPN_STATUS_ONLINE"});
        let connector: AppConnector = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(connector.runtime_os.as_deref(), Some("Linux"));
        assert_eq!(serde_json::to_value(&connector).expect("encodes"), json);
    }
}
