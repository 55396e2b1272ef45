//! Writing the model structs and their enums.

use std::collections::BTreeMap;

use crate::plan::{ModelPlan, Plan};
use crate::spec::TypeRef;
use crate::text::{doc, literal, prose};

/// Returns, for each catalog model, the operations whose body or response names it directly,
/// as `resource.operation`.
pub fn model_usage(plan: &Plan) -> BTreeMap<String, Vec<String>> {
    let mut usage: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for resource in &plan.resources {
        for op in &resource.ops {
            for text in [&op.op.body, &op.op.response].into_iter().flatten() {
                if let Some(model) = TypeRef::parse(text).model() {
                    let entry = usage.entry(model.to_owned()).or_default();
                    let name = format!("{}.{}", resource.name, op.op.name);
                    if !entry.contains(&name) {
                        entry.push(name);
                    }
                }
            }
        }
    }
    usage
}

/// Writes one model and its enums.
pub fn emit_model(model: &ModelPlan, usage: Option<&Vec<String>>, product: &str) -> String {
    let mut out = String::new();
    for item in &model.enums {
        out.push_str("zscaler_core::string_enum! {\n");
        out.push_str(&doc(&item.doc, 4));
        out.push_str(&format!("    pub enum {} {{\n", item.rust));
        for (variant, wire) in &item.variants {
            out.push_str(&format!("        /// `{}`.\n", wire.escape_default()));
            out.push_str(&format!("        {variant} = {},\n", literal(wire)));
        }
        out.push_str("    }\n}\n\n");
    }

    let mut text = format!("A `{}` object of the {product} API", model.catalog);
    match usage {
        Some(ops) if !ops.is_empty() => {
            let shown: Vec<String> = ops.iter().take(4).map(|op| format!("`{op}`")).collect();
            text.push_str(&format!(", used by {}", shown.join(", ")));
            if ops.len() > 4 {
                text.push_str(&format!(" and {} more operations", ops.len() - 4));
            }
            text.push('.');
        }
        _ if model.module == crate::plan::UNREFERENCED_MODULE => {
            text.push_str(", referenced by no operation of the catalog.");
        }
        _ => text.push_str(", found inside other models."),
    }
    text.push_str(
        "\n\nEvery field is optional, so that a create body can leave out what the server \
         sets; fields the catalog does not list are kept in `extra` and sent back on update.",
    );
    if model.inferred {
        text.push_str(
            "\n\nNOTE: the field types were inferred from the Python SDK's defaults and may be \
             wider than the API's.",
        );
    }
    out.push_str(&doc(&text, 0));
    out.push_str(
        "#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]\n",
    );
    out.push_str("#[serde(rename_all = \"camelCase\")]\n");
    out.push_str(&format!("pub struct {} {{\n", model.rust));
    for field in &model.fields {
        out.push_str(&doc(&prose(&field.doc), 4));
        let bare = field.ident.trim_start_matches("r#");
        let rename = if serde_camel_case(bare) == field.wire {
            String::new()
        } else {
            format!("rename = {}, ", literal(&field.wire))
        };
        out.push_str(&format!(
            "    #[serde({rename}skip_serializing_if = \"Option::is_none\")]\n"
        ));
        out.push_str(&format!(
            "    pub {}: Option<{}>,\n",
            field.ident, field.rust_ty
        ));
    }
    out.push_str(
        "    /// Fields this version of the SDK does not know, kept so that an update sends \
         them back.\n",
    );
    out.push_str("    #[serde(flatten)]\n");
    out.push_str("    pub extra: serde_json::Map<String, serde_json::Value>,\n");
    out.push_str("}\n\n");
    out
}

/// Returns the wire name serde's `rename_all = "camelCase"` gives a field name.
fn serde_camel_case(field: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_matches_serde() {
        assert_eq!(
            serde_camel_case("zapp_ssl_scan_enabled"),
            "zappSslScanEnabled"
        );
        assert_eq!(serde_camel_case("ipv6_enabled"), "ipv6Enabled");
        assert_eq!(serde_camel_case("id"), "id");
    }

    #[test]
    fn camel_case_agrees_with_serde_derive() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Sample {
            zapp_ssl_scan_enabled: bool,
            ipv6_enabled: bool,
            n2_factor_auth: bool,
        }
        let value = serde_json::to_value(Sample {
            zapp_ssl_scan_enabled: true,
            ipv6_enabled: true,
            n2_factor_auth: true,
        })
        .expect("encodes");
        for field in ["zapp_ssl_scan_enabled", "ipv6_enabled", "n2_factor_auth"] {
            assert!(
                value.get(serde_camel_case(field)).is_some(),
                "{field}: {value}"
            );
        }
    }
}
