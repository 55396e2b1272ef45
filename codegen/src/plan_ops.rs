//! The plan of one operation: method name, arguments, body, response and list builder.

use std::collections::BTreeMap;

use crate::names::{self, Unique};
use crate::plan::{
    Access, BodyPlan, ListFormat, ListPlan, OpContext, OpPlan, OptionsPlan, PathParam, PathType,
    QueryParam, ResponsePlan, Variant, call_query, is_list, primitive_type,
};
use crate::spec::{Operation, TypeRef};

/// Methods every list builder has; a filter with one of these names gets a `_param` suffix.
const BUILDER_METHODS: &[&str] = &[
    "new",
    "query",
    "page_size",
    "max_pages",
    "max_items",
    "effective_page_size",
    "pages",
    "stream",
    "collect",
    "into_inner",
];

/// Content type of form bodies.
const FORM: &str = "application/x-www-form-urlencoded";

/// Plans one operation of a resource.
pub fn op_plan(
    cx: &OpContext<'_>,
    op: &Operation,
    types: &mut Unique,
    method_names: &mut Unique,
    shared: &mut BTreeMap<Vec<String>, OptionsPlan>,
) -> Result<OpPlan, String> {
    let where_ = format!("{}.{}", cx.resource_name, op.name);
    let method = names::ident(&method_names.claim(&names::snake(&op.name), "_"));
    let path_params = path_params(cx, op);
    let body = op
        .body
        .as_deref()
        .map(|text| body_plan(cx, op, text))
        .transpose()
        .map_err(|problem| format!("{where_}: {problem}"))?;
    let response = match op.response.as_deref() {
        None => ResponsePlan::Unit,
        Some(text) => response_plan(cx, text).map_err(|problem| format!("{where_}: {problem}"))?,
    };

    let resource_camel = names::camel(cx.resource_name);
    let op_camel = names::camel(&op.name);
    let list = if is_list(op) {
        Some(
            list_plan(cx, op, &resource_camel, &op_camel, types)
                .map_err(|p| format!("{where_}: {p}"))?,
        )
    } else {
        None
    };

    let mut options = None;
    let mut shared_options = false;
    if list.is_none() {
        let params = call_query(op);
        if !params.is_empty() {
            let fields = query_params(&params, &[]);
            if cx.option_sets.contains(&params) {
                shared_options = true;
                let plan = shared.entry(params.clone()).or_insert_with(|| OptionsPlan {
                    name: types.claim(&format!("{}Options", names::camel(&params.join("_"))), ""),
                    params: fields,
                });
                options = Some(plan.clone());
            } else {
                options = Some(OptionsPlan {
                    name: types.claim(&format!("{resource_camel}{op_camel}Options"), ""),
                    params: fields,
                });
            }
        }
    }

    let mut variants = Vec::new();
    for (param, values) in &op.query_values {
        for value in values {
            let name = format!("{}_{}", op.name, names::snake(value));
            variants.push(Variant {
                method: names::ident(&method_names.claim(&name, "_")),
                param: param.clone(),
                value: value.clone(),
            });
        }
    }

    let unauthenticated = matches!(cx.access, Access::Unauthenticated { .. })
        || (cx.group == "auth" && op.method == "POST");
    // Both products return 204 with no body for many updates. An update whose catalog
    // response is the resource therefore reads it back when the response is not JSON.
    let get_back = op.method == "PUT"
        && matches!(
            &response,
            ResponsePlan::Json {
                ty: TypeRef::Model(_),
                ..
            }
        )
        && cx
            .resource_ops
            .iter()
            .any(|other| other.method == "GET" && path_shape(&other.path) == path_shape(&op.path));
    let chunk = if op.name == "bulk_delete" && matches!(response, ResponsePlan::Unit) {
        op.note.as_deref().and_then(documented_maximum)
    } else {
        None
    };

    Ok(OpPlan {
        op: op.clone(),
        method,
        path_params,
        body,
        response,
        list,
        options,
        shared_options,
        variants,
        unauthenticated,
        get_back,
        chunk,
    })
}

/// Returns the path with its parameters blanked, to compare the shapes of two paths.
fn path_shape(path: &str) -> String {
    let mut shape = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push('{');
            }
            '}' => {
                in_param = false;
                shape.push('}');
            }
            _ if in_param => {}
            other => shape.push(other),
        }
    }
    shape
}

/// Returns the names of a path's parameters, in order.
pub fn path_param_names(path: &str) -> Vec<String> {
    let mut params = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        params.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    params
}

/// Returns the parameters the caller passes.
fn path_params(cx: &OpContext<'_>, op: &Operation) -> Vec<PathParam> {
    let mut idents = Unique::with_reserved(&["body", "options", "content_type", "ids"]);
    path_param_names(&op.path)
        .into_iter()
        .filter(|name| Some(name.as_str()) != cx.product.tenant_param)
        .map(|wire| {
            let ty = if wire == "id" && !cx.string_id {
                PathType::Integer
            } else {
                PathType::Str
            };
            PathParam {
                ident: names::ident(&idents.claim(&names::snake(&wire), "_")),
                wire,
                ty,
            }
        })
        .collect()
}

/// Returns the Rust type of a catalog type used whole (a response or an array item).
fn value_type(cx: &OpContext<'_>, ty: &TypeRef) -> Result<String, String> {
    Ok(match ty {
        TypeRef::Model(name) => cx
            .model_names
            .get(name)
            .cloned()
            .ok_or_else(|| format!("unknown model {name:?}"))?,
        TypeRef::Array(inner) => format!("Vec<{}>", value_type(cx, inner)?),
        TypeRef::Object | TypeRef::Any | TypeRef::Raw => "serde_json::Value".to_owned(),
        other => primitive_type(other).to_owned(),
    })
}

/// Plans the request body.
fn body_plan(cx: &OpContext<'_>, op: &Operation, text: &str) -> Result<BodyPlan, String> {
    let ty = TypeRef::parse(text);
    let arg = match &ty {
        TypeRef::Raw => return Ok(BodyPlan::Raw),
        TypeRef::Array(inner) => format!("&[{}]", value_type(cx, inner)?),
        TypeRef::String => "&str".to_owned(),
        other => format!("&{}", value_type(cx, other)?),
    };
    if op.content_type.as_deref() == Some(FORM) {
        return Ok(BodyPlan::Form { ty, arg });
    }
    Ok(BodyPlan::Json { ty, arg })
}

/// Plans the reading of the response.
fn response_plan(cx: &OpContext<'_>, text: &str) -> Result<ResponsePlan, String> {
    let ty = TypeRef::parse(text);
    Ok(match ty {
        TypeRef::Raw => ResponsePlan::Bytes,
        TypeRef::String => ResponsePlan::Text,
        other => ResponsePlan::Json {
            rust: value_type(cx, &other)?,
            ty: other,
        },
    })
}

/// Plans a list builder.
fn list_plan(
    cx: &OpContext<'_>,
    op: &Operation,
    resource_camel: &str,
    op_camel: &str,
    types: &mut Unique,
) -> Result<ListPlan, String> {
    let response = op
        .response
        .as_deref()
        .ok_or("a list operation must have an array response")?;
    let TypeRef::Array(item) = TypeRef::parse(response) else {
        return Err(format!(
            "a list operation must return an array, not {response:?}"
        ));
    };
    let item = *item;
    let format = match (op.pagination.as_str(), op.method.as_str()) {
        ("zia_page" | "zpa_page", _) => ListFormat::Product,
        ("none", _) => ListFormat::Single,
        ("scim", "POST") => ListFormat::ScimSearch,
        ("scim", _) => ListFormat::ScimGet,
        ("post_search", _) => ListFormat::Search,
        ("page_id", _) => ListFormat::Cursor,
        (other, _) => return Err(format!("unknown pagination {other:?}")),
    };
    let product = cx.product;
    let limits = match format {
        ListFormat::Single => None,
        ListFormat::ScimGet | ListFormat::ScimSearch => {
            let max = op.max_page_size.unwrap_or(100);
            Some((max.min(100), max))
        }
        _ => {
            let max = op.max_page_size.unwrap_or(product.fallback_max_page_size);
            Some((product.default_page_size.min(max), max))
        }
    };
    let paging = product.paging_params(&op.pagination);
    let params: Vec<String> = op
        .query
        .iter()
        .filter(|q| !paging.contains(&q.as_str()))
        .filter(|q| !op.path.contains(&format!("{{{q}}}")))
        .cloned()
        .collect();
    let builder_base = if op.name == "list" {
        format!("{resource_camel}List")
    } else if op.name.contains("list") {
        format!("{resource_camel}{op_camel}")
    } else {
        format!("{resource_camel}{op_camel}List")
    };
    Ok(ListPlan {
        builder: types.claim(&builder_base, ""),
        item_rust: value_type(cx, &item)?,
        item,
        format,
        limits,
        setters: query_params(&params, BUILDER_METHODS),
    })
}

/// Gives query parameters unique Rust names, avoiding `reserved`.
fn query_params(params: &[String], reserved: &[&str]) -> Vec<QueryParam> {
    let mut idents = Unique::default();
    params
        .iter()
        .map(|wire| {
            let mut base = names::snake(wire);
            if reserved.contains(&base.as_str()) {
                base.push_str("_param");
            }
            QueryParam {
                wire: wire.clone(),
                ident: names::ident(&idents.claim(&base, "_")),
            }
        })
        .collect()
}

/// Returns the largest count a note documents, from phrases such as "at most 100 ids" or
/// "up to 500".
pub fn documented_maximum(note: &str) -> Option<usize> {
    let lower = note.to_ascii_lowercase();
    ["at most ", "up to ", "maximum of ", "max "]
        .iter()
        .find_map(|phrase| {
            let start = lower.find(phrase)? + phrase.len();
            let digits: String = lower[start..]
                .chars()
                .filter(|c| *c != ',')
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok().filter(|n| *n > 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_in_order() {
        assert_eq!(
            path_param_names("/a/{customerId}/b/{id}/c/{ruleId}"),
            ["customerId", "id", "ruleId"]
        );
    }

    #[test]
    fn shapes_ignore_param_names() {
        assert_eq!(path_shape("/users/{id}"), path_shape("/users/{userId}"));
        assert_ne!(path_shape("/users/{id}"), path_shape("/users/{id}/enroll"));
    }

    #[test]
    fn maximum_from_note() {
        assert_eq!(
            documented_maximum("Deletes at most 100 ids per call."),
            Some(100)
        );
        assert_eq!(
            documented_maximum("Accepts up to 1,000 locations."),
            Some(1000)
        );
        assert_eq!(documented_maximum("No limit stated."), None);
    }
}
