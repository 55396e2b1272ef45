//! Corrections to catalog field types that recorded exchanges contradict. Each entry names
//! the product, model and field, the type used instead, and the evidence.

/// One corrected field type.
pub struct FieldOverride {
    /// `zia` or `zpa`.
    pub product: &'static str,
    /// Catalog model name.
    pub model: &'static str,
    /// Wire name of the field.
    pub field: &'static str,
    /// Catalog type used instead of the catalog's.
    pub ty: &'static str,
    /// Why, for the field's doc comment.
    pub reason: &'static str,
}

/// The corrections.
pub const FIELD_OVERRIDES: &[FieldOverride] = &[FieldOverride {
    product: "zia",
    model: "DLPPatternValidation",
    field: "status",
    ty: "integer",
    reason: "The catalog infers a string from the Python SDK, but ZIA returns a number (`0` \
             for a valid pattern in a recorded response).",
}];

/// Returns the correction of a field, if any.
pub fn field_override(product: &str, model: &str, field: &str) -> Option<&'static FieldOverride> {
    FIELD_OVERRIDES
        .iter()
        .find(|o| o.product == product && o.model == model && o.field == field)
}

/// One corrected operation response type.
pub struct ResponseOverride {
    /// `zia` or `zpa`.
    pub product: &'static str,
    /// Catalog resource name.
    pub resource: &'static str,
    /// Catalog operation name.
    pub operation: &'static str,
    /// Response type used instead of the catalog's, in the catalog's notation.
    pub response: &'static str,
    /// Why, for the method's doc comment.
    pub reason: &'static str,
}

/// The response corrections.
pub const RESPONSE_OVERRIDES: &[ResponseOverride] = &[ResponseOverride {
    product: "zpa",
    resource: "microtenants",
    operation: "list_summary",
    response: "MicroTenant[]",
    reason: "The catalog gives one microtenant, but ZPA returns a bare array of `{id, name, \
             enabled}` summaries (recorded response), so this is a list.",
}];

/// Returns the operation with its response corrected, when a correction applies.
pub fn corrected_operation(
    product: &str,
    resource: &str,
    op: &crate::spec::Operation,
) -> crate::spec::Operation {
    let mut op = op.clone();
    if let Some(correction) = RESPONSE_OVERRIDES
        .iter()
        .find(|o| o.product == product && o.resource == resource && o.operation == op.name)
    {
        op.response = Some(correction.response.to_owned());
        op.note = Some(match &op.note {
            Some(note) => format!("{note} {}", correction.reason),
            None => correction.reason.to_owned(),
        });
    }
    op
}
