//! Types shared by the ZIA models.
//!
//! A [`Reference`] points at another resource by id, as the `department` and `groups` of a
//! user do. Like every model of this crate it keeps the fields it does not know in `extra`,
//! so a read-modify-write sends them back unchanged.
//!
//! ```
//! use zscaler_zia::common::Reference;
//!
//! let department: Reference = serde_json::from_str(r#"{"id":7,"name":"Sales","idp_id":2}"#)?;
//! assert_eq!(department.id, 7);
//! assert_eq!(department.extra["idp_id"], 2);
//! assert_eq!(
//!     serde_json::to_value(&department)?,
//!     serde_json::json!({"id": 7, "name": "Sales", "idp_id": 2})
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A reference to another resource: its id, and usually its name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// Id of the referenced resource.
    pub id: i64,
    /// Name of the referenced resource. ZIA ignores it on writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Id of the resource in an external identity provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Extra attributes some references carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Map<String, Value>>,
    /// Fields this version of the SDK does not know, kept so that updates send them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Reference {
    /// Creates a reference to the resource with this id.
    pub fn new(id: i64) -> Self {
        Reference {
            id,
            ..Reference::default()
        }
    }

    /// Creates a reference with an id and a name.
    pub fn with_name(id: i64, name: impl Into<String>) -> Self {
        Reference {
            id,
            name: Some(name.into()),
            ..Reference::default()
        }
    }
}

impl From<i64> for Reference {
    fn from(id: i64) -> Self {
        Reference::new(id)
    }
}

/// Returns true for an id that has not been assigned by the server yet. Such an id is not
/// sent, so that a create request carries no `id` field.
pub(crate) fn is_unassigned(id: &i64) -> bool {
    *id == 0
}

/// Serde functions for an optional [`Secret`](zscaler_core::Secret) sent as a JSON string.
pub(crate) mod optional_secret {
    use serde::{Deserialize, Deserializer, Serializer};
    use zscaler_core::Secret;

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Secret>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(secret) => serializer.serialize_some(secret.expose()),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?.map(Secret::new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_keeps_unknown_fields() {
        let json = serde_json::json!({
            "id": 24326814,
            "name": "Service Admin",
            "isSystemDefined": "true",
            "extensions": {"x": 1}
        });
        let reference: Reference = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(reference.id, 24326814);
        assert_eq!(reference.extensions.as_ref().map(Map::len), Some(1));
        assert_eq!(serde_json::to_value(&reference).expect("encodes"), json);
    }

    #[test]
    fn new_reference_sends_only_id() {
        assert_eq!(
            serde_json::to_value(Reference::new(5)).expect("encodes"),
            serde_json::json!({"id": 5})
        );
    }
}
