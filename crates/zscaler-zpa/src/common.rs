//! Types that several ZPA models share: port ranges, references, servers and the
//! configuration space.
//!
//! ```
//! use zscaler_zpa::common::PortRange;
//!
//! let range: PortRange = serde_json::from_str(r#"{"from":"8000","to":"8080"}"#)?;
//! assert_eq!(range.to.and_then(|port| port.as_u64()), Some(8080));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::NumberString;

zscaler_core::string_enum! {
    /// The configuration space an object belongs to.
    pub enum ConfigSpace {
        /// The ordinary configuration.
        Default = "DEFAULT",
        /// Objects used for log streaming (SIEM).
        Siem = "SIEM",
    }
}

/// A range of ports, both ends included. The API sends the ports as strings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortRange {
    /// First port of the range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NumberString>,
    /// Last port of the range, inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NumberString>,
    /// Fields this crate does not model, kept so that an update sends them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PortRange {
    /// Creates a range from `from` to `to`, both included, sent as strings like the API does.
    pub fn new(from: u16, to: u16) -> Self {
        PortRange {
            from: Some(NumberString::new(from)),
            to: Some(NumberString::new(to)),
            extra: Map::new(),
        }
    }
}

/// A reference to another object by id, with its name when the API includes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// Id of the object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Name of the object, when the API includes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this crate does not model, kept so that an update sends them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Reference {
    /// Creates a reference to the object `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Reference {
            id: id.into(),
            ..Reference::default()
        }
    }
}

/// A server of a server group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationServer {
    /// Id of the server, empty before it is created.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Name of the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// IP address or fully qualified domain name of the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Whether the server is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Ids of the server groups the server belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_server_group_ids: Option<Vec<String>>,
    /// Configuration space of the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_space: Option<ConfigSpace>,
    /// Creation time, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<NumberString>,
    /// Id of the administrator who last changed the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    /// Time of the last change, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_time: Option<NumberString>,
    /// Id of the microtenant the server belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_id: Option<String>,
    /// Name of the microtenant the server belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microtenant_name: Option<String>,
    /// Fields this crate does not model, kept so that an update sends them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_range_keeps_string_form() {
        let range = PortRange::new(443, 443);
        assert_eq!(
            serde_json::to_string(&range).expect("encodes"),
            r#"{"from":"443","to":"443"}"#
        );
    }

    #[test]
    fn reference_with_unknown_fields_round_trips() {
        let json =
            serde_json::json!({"id": "216196257331370170", "name": "app09", "enabled": true});
        let reference: Reference = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(reference.id, "216196257331370170");
        assert_eq!(reference.extra.get("enabled"), Some(&Value::Bool(true)));
        assert_eq!(serde_json::to_value(&reference).expect("encodes"), json);
    }

    #[test]
    fn unknown_config_space_is_kept() {
        let space: ConfigSpace = serde_json::from_str(r#""NEW_SPACE""#).expect("decodes");
        assert_eq!(space, ConfigSpace::Unknown("NEW_SPACE".into()));
    }
}
