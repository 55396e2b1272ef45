//! The API catalog (`spec/zia.json`, `spec/zpa.json`) as Rust types, and its loading.
//!
//! Only the keys the generator uses are read; the catalog's other keys (sources, Go and Python
//! names) are ignored.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// One product catalog.
#[derive(Debug, Deserialize)]
pub struct Catalog {
    /// `zia` or `zpa`.
    pub product: String,
    /// Resources in catalog order.
    pub resources: Vec<Resource>,
    /// Models by name, in catalog order.
    pub models: serde_json::Map<String, serde_json::Value>,
}

/// A resource: a set of operations on one family of paths.
#[derive(Debug, Clone, Deserialize)]
pub struct Resource {
    /// Resource name in snake case, such as `url_categories`.
    pub name: String,
    /// Group the resource belongs to; one generated module per group.
    pub group: String,
    /// One-line description.
    pub summary: String,
    /// Host and prefix that replace the product's, for SCIM, sandbox and token endpoints.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Operations in catalog order.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, Deserialize)]
pub struct Operation {
    /// Operation name in snake case, unique within the resource.
    pub name: String,
    /// HTTP method in upper case.
    pub method: String,
    /// Path template with `{param}` placeholders.
    pub path: String,
    /// Query parameter names, paging ones included.
    #[serde(default)]
    pub query: Vec<String>,
    /// Fixed values some query parameters take.
    #[serde(default)]
    pub query_values: BTreeMap<String, Vec<String>>,
    /// `none`, `zia_page`, `zpa_page`, `scim`, `post_search` or `page_id`.
    pub pagination: String,
    /// Largest page size the endpoint serves, when a source states it.
    #[serde(default)]
    pub max_page_size: Option<u32>,
    /// Request body type: a model name, `Model[]`, a primitive, `object` or `raw`.
    #[serde(default)]
    pub body: Option<String>,
    /// Response type, in the same notation; `None` when no body is decoded.
    #[serde(default)]
    pub response: Option<String>,
    /// Content type of the request body when it is not JSON.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Facts about the operation worth knowing.
    #[serde(default)]
    pub note: Option<String>,
}

/// A model: a JSON object with named fields.
#[derive(Debug, Clone, Deserialize)]
pub struct Model {
    /// Fields in catalog order.
    pub fields: Vec<Field>,
    /// True when the field types were inferred from one SDK's defaults.
    #[serde(default)]
    pub types_inferred: bool,
}

/// One field of a model.
#[derive(Debug, Clone, Deserialize)]
pub struct Field {
    /// Wire name, exactly as sent.
    pub json: String,
    /// `string`, `integer`, `number`, `boolean`, `object`, `any`, `array` or a model name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Item type of an array.
    #[serde(default)]
    pub items: Option<String>,
    /// Known values of a string field (or of the items of a string array).
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// A range of values such as `CH0..CH143`, given instead of a list.
    #[serde(default)]
    pub values_hint: Option<String>,
    /// True for a ZPA string that holds a number.
    #[serde(default)]
    pub string_encoded_number: bool,
    /// True when the server ignores the field on writes.
    #[serde(default)]
    pub read_only: bool,
    /// `date-time` for timestamps.
    #[serde(default)]
    pub format: Option<String>,
    /// A fact about the field.
    #[serde(default)]
    pub note: Option<String>,
    /// Which SDKs define the field.
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Catalog {
    /// Reads and parses a catalog file.
    pub fn load(path: &Path) -> Result<Catalog, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("failed to read the catalog {}: {error}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|error| format!("invalid catalog {}: {error}", path.display()))
    }

    /// Returns the models in catalog order, parsed.
    pub fn parsed_models(&self) -> Result<Vec<(String, Model)>, String> {
        self.models
            .iter()
            .map(|(name, value)| {
                serde_json::from_value::<Model>(value.clone())
                    .map(|model| (name.clone(), model))
                    .map_err(|error| format!("invalid model {name} in the catalog: {error}"))
            })
            .collect()
    }
}

/// A catalog type reference as written in `body`, `response`, `type` and `items`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `object`: a free map.
    Object,
    /// `any`.
    Any,
    /// `raw`: a non-JSON body.
    Raw,
    /// A model name.
    Model(String),
    /// `T[]` or `array` with items.
    Array(Box<TypeRef>),
}

impl TypeRef {
    /// Parses the notation of `body` and `response` (`Model`, `Model[]`, `string[]`, ...).
    pub fn parse(text: &str) -> TypeRef {
        if let Some(inner) = text.strip_suffix("[]") {
            return TypeRef::Array(Box::new(TypeRef::parse(inner)));
        }
        match text {
            "string" => TypeRef::String,
            "integer" => TypeRef::Integer,
            "number" => TypeRef::Number,
            "boolean" => TypeRef::Boolean,
            "object" => TypeRef::Object,
            "any" => TypeRef::Any,
            "raw" => TypeRef::Raw,
            model => TypeRef::Model(model.to_owned()),
        }
    }

    /// Returns the type of a model field.
    pub fn of_field(field: &Field) -> TypeRef {
        if field.ty == "array" {
            let items = field.items.as_deref().unwrap_or("any");
            return TypeRef::Array(Box::new(TypeRef::parse(items)));
        }
        TypeRef::parse(&field.ty)
    }

    /// Returns the model this type names, directly or as array items.
    pub fn model(&self) -> Option<&str> {
        match self {
            TypeRef::Model(name) => Some(name),
            TypeRef::Array(inner) => inner.model(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_notation_parses() {
        assert_eq!(
            TypeRef::parse("Users[]"),
            TypeRef::Array(Box::new(TypeRef::Model("Users".into())))
        );
        assert_eq!(TypeRef::parse("raw"), TypeRef::Raw);
        assert_eq!(
            TypeRef::parse("string[]"),
            TypeRef::Array(Box::new(TypeRef::String))
        );
        assert_eq!(TypeRef::parse("Users[]").model(), Some("Users"));
    }
}
