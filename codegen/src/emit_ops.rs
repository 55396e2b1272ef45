//! Writing resource handles, their operations, list builders and options structs.

use crate::plan::{
    BodyPlan, ListFormat, ListPlan, OpPlan, OptionsPlan, PathType, Plan, ResourcePlan, ResponsePlan,
};
use crate::product::Product;
use crate::spec::TypeRef;
use crate::text::{doc, literal, prose};

/// Writes the handle of a resource with all its generated operations.
pub fn emit_resource(plan: &Plan, resource: &ResourcePlan) -> String {
    let product = plan.product;
    let mut out = String::new();
    let mut text = format!(
        "{} (`{}`), returned by [`{}::{}`](crate::{}::{}).",
        prose(resource.summary.trim_end_matches('.')),
        resource.name,
        product.client,
        resource.client_method,
        product.client,
        resource.client_method,
    );
    if !resource.hand_written.is_empty() {
        let names: Vec<String> = resource
            .hand_written
            .iter()
            .map(|name| format!("`{name}`"))
            .collect();
        text.push_str(&format!(
            "\n\nThe operations {} are served by the hand-written API of the same resource, so \
             this handle leaves them out.",
            names.join(", ")
        ));
    }
    out.push_str(&doc(&text, 0));
    out.push_str("#[derive(Debug, Clone)]\n");
    out.push_str(&format!(
        "pub struct {} {{\n    api: Api,\n}}\n\n",
        resource.handle
    ));
    out.push_str(&format!("impl {} {{\n", resource.handle));
    out.push_str(&format!(
        "    pub(crate) fn new(api: Api) -> Self {{\n        {} {{ api }}\n    }}\n",
        resource.handle
    ));
    for op in &resource.ops {
        out.push('\n');
        match &op.list {
            Some(list) => out.push_str(&emit_list_method(product, resource, op, list)),
            None => out.push_str(&emit_call(product, op)),
        }
    }
    if let Some(method) = emit_get_by_name(plan, resource) {
        out.push('\n');
        out.push_str(&method);
    }
    out.push_str("}\n\n");

    for op in &resource.ops {
        if let Some(list) = &op.list {
            out.push_str(&emit_list_builder(product, resource, op, list));
        }
        if let (Some(options), false) = (&op.options, op.shared_options) {
            let users = format!("`{}.{}`", resource.name, op.op.name);
            out.push_str(&emit_options(product, options, &users));
        }
    }
    out
}

/// Returns a ZPA `get_by_name` for a resource whose `list` pages, takes `search` and yields a
/// model with a `name` string: the server-side search narrows the list, then the name is
/// compared exactly, so only an item of exactly that name is returned.
fn emit_get_by_name(plan: &Plan, resource: &ResourcePlan) -> Option<String> {
    if plan.product.key != "zpa" || resource.ops.iter().any(|op| op.method == "get_by_name") {
        return None;
    }
    let (op, list) = resource.ops.iter().find_map(|op| {
        let list = op.list.as_ref()?;
        let usable = op.op.name == "list"
            && op.path_params.is_empty()
            && op.body.is_none()
            && list.format == ListFormat::Product
            && list.setters.iter().any(|setter| setter.wire == "search");
        usable.then_some((op, list))
    })?;
    let model = plan
        .models
        .iter()
        .find(|model| model.rust == list.item_rust)?;
    let has_name = model
        .fields
        .iter()
        .any(|field| field.wire == "name" && field.ident == "name" && field.rust_ty == "String");
    if !has_name {
        return None;
    }
    let text = format!(
        "Returns the item whose `name` is exactly `name`, or `None`. It lists `{} {}` with \
         `search` set to `name+EQ+<name>`, then compares the names exactly.",
        op.op.method, op.op.path
    );
    let mut out = doc(&text, 4);
    out.push_str(&format!(
        "    pub async fn get_by_name(&self, name: &str) -> Result<Option<{item}>> {{\n\
         \x20       let items = self\n\
         \x20           .{method}()\n\
         \x20           .search(crate::pagination::name_equals(name))\n\
         \x20           .collect()\n\
         \x20           .await?;\n\
         \x20       Ok(items\n\
         \x20           .into_iter()\n\
         \x20           .find(|item| item.name.as_deref() == Some(name)))\n\
         \x20   }}\n",
        item = list.item_rust,
        method = op.method,
    ));
    Some(out)
}

/// Returns the expression of an operation's path: a literal, or a `format!` call.
fn path_expr(product: &Product, op: &OpPlan, fallible: bool) -> String {
    let mut template = String::new();
    let mut args = Vec::new();
    if product.key == "zia" {
        template.push_str("{}");
        args.push("self.api.prefix()".to_owned());
    }
    let mut rest = op.op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = open
            + rest[open..]
                .find('}')
                .expect("catalog paths close every brace");
        template.push_str(&rest[..open]);
        let wire = &rest[open + 1..close];
        if Some(wire) == product.tenant_param {
            template.push_str("{}");
            args.push("self.api.customer_id()".to_owned());
        } else {
            let param = op
                .path_params
                .iter()
                .find(|p| p.wire == wire)
                .expect("every path parameter was planned");
            match (param.ty, fallible) {
                (PathType::Integer, _) => template.push_str(&format!("{{{}}}", param.ident)),
                (PathType::Str, true) => {
                    template.push_str("{}");
                    args.push(format!("segment({}, {})?", literal(wire), param.ident));
                }
                (PathType::Str, false) => {
                    template.push_str("{}");
                    args.push(format!("zscaler_core::service::encode({})", param.ident));
                }
            }
        }
        rest = &rest[close + 1..];
    }
    template.push_str(rest);
    if args.is_empty() && !template.contains('{') {
        literal(&template)
    } else if args.is_empty() {
        format!("format!({})", literal(&template))
    } else {
        format!("format!({}, {})", literal(&template), args.join(", "))
    }
}

/// Returns the request constructor for an HTTP method.
fn request_new(method: &str, path: &str) -> String {
    match method {
        "GET" => format!("Request::get({path})"),
        "POST" => format!("Request::post({path})"),
        "PUT" => format!("Request::put({path})"),
        "DELETE" => format!("Request::delete({path})"),
        other => format!("Request::new(zscaler_core::http::Method::{other}, {path})"),
    }
}

/// Returns the arguments of an operation's path parameters.
fn path_args(op: &OpPlan) -> Vec<String> {
    op.path_params
        .iter()
        .map(|param| match param.ty {
            PathType::Integer => format!("{}: i64", param.ident),
            PathType::Str => format!("{}: &str", param.ident),
        })
        .collect()
}

/// Returns the Rust return type and the doc phrase of a response.
fn response_signature(response: &ResponsePlan) -> (String, String) {
    match response {
        ResponsePlan::Unit => ("()".into(), "ignores the response body".into()),
        ResponsePlan::Text => ("String".into(), "returns the response body as text".into()),
        ResponsePlan::Bytes => ("Vec<u8>".into(), "returns the response body bytes".into()),
        ResponsePlan::Json { ty, rust } => {
            let phrase = match ty {
                TypeRef::Model(_) => format!("decodes the response as [`{rust}`]"),
                TypeRef::Array(inner) if matches!(**inner, TypeRef::Model(_)) => format!(
                    "decodes the response as a list of [`{}`]",
                    rust.trim_start_matches("Vec<").trim_end_matches('>')
                ),
                TypeRef::Object | TypeRef::Any => "returns the response as JSON".into(),
                _ => format!("decodes the response as `{rust}`"),
            };
            (rust.clone(), phrase)
        }
    }
}

/// Returns the doc paragraphs every operation has: its note and how it authenticates.
fn op_notes(op: &OpPlan) -> String {
    let mut text = String::new();
    if let Some(note) = &op.op.note {
        text.push_str(&format!("\n\n{}", prose(note)));
    }
    if op.unauthenticated {
        text.push_str("\n\nSent without the client's credentials.");
    }
    if op.get_back {
        text.push_str(
            "\n\nWhen the response is not JSON (204 or `SUCCESS`), the resource is read back \
             with a GET of the same path.",
        );
    }
    text
}

/// Writes a call that is not a list, and its fixed-value variants.
fn emit_call(product: &Product, op: &OpPlan) -> String {
    let mut out = String::new();
    let (rust, phrase) = response_signature(&op.response);
    let body_phrase = match &op.body {
        Some(BodyPlan::Json { .. }) if op.chunk.is_some() => " with the ids as JSON",
        Some(BodyPlan::Json { .. }) => " with `body` as JSON",
        Some(BodyPlan::Form { .. }) => " with `body` as form fields",
        Some(BodyPlan::Raw) => " with `body` as it is, labelled `content_type`",
        None => "",
    };
    let mut text = format!(
        "Sends `{} {}`{body_phrase} and {phrase} (catalog operation `{}`).",
        op.op.method, op.op.path, op.op.name
    );
    if let Some(chunk) = op.chunk {
        text.push_str(&format!(
            " The ids are sent in requests of at most {chunk}, the documented maximum."
        ));
    }
    text.push_str(&op_notes(op));

    let mut args = path_args(op);
    match (&op.body, op.chunk) {
        (Some(_), Some(_)) => args.push("ids: &[i64]".into()),
        (Some(BodyPlan::Json { arg, .. } | BodyPlan::Form { arg, .. }), None) => {
            args.push(format!("body: {arg}"));
        }
        (Some(BodyPlan::Raw), None) => {
            args.push("body: Vec<u8>".into());
            args.push("content_type: &str".into());
        }
        (None, _) => {}
    }
    let with_options = {
        let mut args = args.clone();
        if let Some(options) = &op.options {
            args.push(format!("options: &{}", options.name));
        }
        args
    };
    out.push_str(&doc(&text, 4));
    out.push_str(&call_fn(
        product,
        op,
        &op.method,
        &with_options,
        &rust,
        None,
    ));

    for variant in &op.variants {
        let text = format!(
            "Sends `{} {}?{}={}`{body_phrase} and {phrase}: the catalog operation `{}` with \
             its fixed query value.",
            op.op.method, op.op.path, variant.param, variant.value, op.op.name
        );
        out.push('\n');
        out.push_str(&doc(&text, 4));
        out.push_str(&call_fn(
            product,
            op,
            &variant.method,
            &args,
            &rust,
            Some((&variant.param, &variant.value)),
        ));
    }
    out
}

/// Writes the function of a call; `fixed` replaces the options by one fixed query value.
///
/// Calls are `#[inline]` so that the crates that use them compile them. Without it, building
/// the product crate generates code for all of its several hundred futures: on 2 cores,
/// `cargo build -p zscaler-zia --lib` after touching `lib.rs` took 45 s, and 14 s with this and
/// the inlined list terminals.
fn call_fn(
    product: &Product,
    op: &OpPlan,
    method: &str,
    args: &[String],
    rust: &str,
    fixed: Option<(&str, &str)>,
) -> String {
    let mut out = format!(
        "    #[inline]\n    pub async fn {method}(&self{}{}) -> Result<{rust}> {{\n",
        if args.is_empty() { "" } else { ", " },
        args.join(", ")
    );
    let path = path_expr(product, op, true);
    out.push_str(&format!(
        "        let request = {};\n",
        request_new(&op.op.method, &path)
    ));
    match (fixed, &op.options) {
        (Some((param, value)), _) => out.push_str(&format!(
            "        let request = request.query({}, {});\n",
            literal(param),
            literal(value)
        )),
        (None, Some(options)) => out.push_str(&options_query(product, options)),
        (None, None) => {}
    }
    let authenticated = if op.unauthenticated { "false" } else { "true" };
    if let Some(chunk) = op.chunk {
        out.push_str(&format!(
            "        for chunk in ids.chunks({chunk}) {{\n            let request = \
             request.clone().json(&serde_json::json!({{\"ids\": chunk}}))?;\n            \
             self.api.unit(request, {authenticated}).await?;\n        }}\n        Ok(())\n    }}\n"
        ));
        return out;
    }
    match &op.body {
        Some(BodyPlan::Json { .. }) => out.push_str("        let request = request.json(body)?;\n"),
        Some(BodyPlan::Form { .. }) => {
            out.push_str("        let request = form_body(request, body)?;\n");
        }
        Some(BodyPlan::Raw) => {
            out.push_str("        let request = request.raw_body(content_type.to_owned(), body);\n")
        }
        None => {}
    }
    let send = match &op.response {
        _ if op.get_back => "self.api.json_or_get(request).await".to_owned(),
        ResponsePlan::Unit => format!("self.api.unit(request, {authenticated}).await"),
        ResponsePlan::Json { .. } => format!("self.api.json(request, {authenticated}).await"),
        ResponsePlan::Text => format!("self.api.text(request, {authenticated}).await"),
        ResponsePlan::Bytes => format!("self.api.bytes(request, {authenticated}).await"),
    };
    out.push_str(&format!("        {send}\n    }}\n"));
    out
}

/// Returns the statements that add an options struct's fields to `request`.
fn options_query(product: &Product, options: &OptionsPlan) -> String {
    let mut out = String::new();
    for param in &options.params {
        let field = format!("options.{}.as_deref()", param.ident);
        let value = if product.key == "zpa" && param.wire == "microtenantId" {
            format!("self.api.microtenant({field})")
        } else if product.key == "zpa" && param.wire == "search" {
            out.push_str(&format!(
                "        let search = {field}.map(crate::pagination::search_expression);\n"
            ));
            "search.as_deref()".to_owned()
        } else {
            field
        };
        out.push_str(&format!(
            "        let request = query_opt(request, {}, {value});\n",
            literal(&param.wire)
        ));
    }
    out
}

/// Returns the page format expression and type of a list.
fn format_of(product: &Product, list: &ListPlan) -> (String, String) {
    let search = "serde_json::to_value(search).expect(\"catalog models always encode as JSON\")";
    match list.format {
        ListFormat::Product => (product.page_format.into(), product.page_format.into()),
        ListFormat::Single => ("ArrayPages".into(), "ArrayPages".into()),
        ListFormat::ScimGet => ("ScimPages::default()".into(), "ScimPages".into()),
        ListFormat::ScimSearch => (
            format!("ScimSearchPages::new({search})"),
            "ScimSearchPages".into(),
        ),
        ListFormat::Search => (format!("SearchPages::new({search})"), "SearchPages".into()),
        ListFormat::Cursor => ("CursorPages::default()".into(), "CursorPages".into()),
    }
}

/// Writes the method that returns a list builder.
fn emit_list_method(
    product: &Product,
    resource: &ResourcePlan,
    op: &OpPlan,
    list: &ListPlan,
) -> String {
    let mut text = format!(
        "Lists the results of `{} {}` (catalog operation `{}.{}`)",
        op.op.method, op.op.path, resource.name, op.op.name
    );
    match (list.format, list.limits) {
        (ListFormat::Single, _) | (_, None) => {
            text.push_str(", which returns them in one response.")
        }
        (_, Some((default, max))) => text.push_str(&format!(
            ", {default} items per page unless set otherwise and at most {max}."
        )),
    }
    match list.format {
        ListFormat::ScimSearch => text.push_str(
            " `search` is sent as the body of every page, with its `startIndex` and `count` set.",
        ),
        ListFormat::Search => {
            text.push_str(" `search` is sent as the body of every page, with its `pageBy` set.")
        }
        _ => {}
    }
    text.push_str(&op_notes(op));

    let mut args = path_args(op);
    if let Some(BodyPlan::Json { arg, .. }) = &op.body {
        args.push(format!("search: {arg}"));
    }
    let mut out = doc(&text, 4);
    out.push_str(&format!(
        "    pub fn {}(&self{}{}) -> {} {{\n",
        op.method,
        if args.is_empty() { "" } else { ", " },
        args.join(", "),
        list.builder
    ));
    let path = path_expr(product, op, false);
    out.push_str(&format!(
        "        let request = {};\n",
        request_new(&op.op.method, &path)
    ));
    let (format, _) = format_of(product, list);
    let core = match (list.format, list.limits) {
        (ListFormat::Single, _) | (_, None) => {
            format!("List::single(self.api.service().clone(), request, {format})")
        }
        (_, Some((default, max))) => format!(
            "List::paged(self.api.service().clone(), request, {format}, PageLimits::new({default}, {max}))"
        ),
    };
    let defaults = if product.key == "zpa" && list.setters.iter().any(|s| s.wire == "microtenantId")
    {
        "self.api.microtenant(None).map(|id| (\"microtenantId\", id.to_owned())).into_iter().collect()"
    } else {
        "Vec::new()"
    };
    out.push_str(&format!(
        "        {}::new({core}, {defaults})\n    }}\n",
        list.builder
    ));
    out
}

/// Writes a list builder type and its filter setters.
fn emit_list_builder(
    product: &Product,
    resource: &ResourcePlan,
    op: &OpPlan,
    list: &ListPlan,
) -> String {
    let (_, format_ty) = format_of(product, list);
    let mut out = String::from("list_call! {\n");
    out.push_str(&doc(
        &format!(
            "The list call of `{}.{}` (`{} {}`): set filters, then stream or collect the items.",
            resource.name, op.op.name, op.op.method, op.op.path
        ),
        4,
    ));
    out.push_str(&format!(
        "    {}, {}, {format_ty}\n}}\n\n",
        list.builder, list.item_rust
    ));
    if list.setters.is_empty() {
        return out;
    }
    out.push_str(&format!("impl {} {{\n", list.builder));
    let scim = resource.name.starts_with("scim");
    for (index, setter) in list.setters.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let mut text = format!("Sets the `{}` query parameter.", setter.wire);
        let value = if product.key == "zpa" && setter.wire == "search" && !scim {
            text.push_str(
                " An operator expression such as `name+EQ+crm` is sent as it is; a bare value \
                 is sent as `name+EQ+<value>`.",
            );
            "crate::pagination::search_expression(&value.to_string())"
        } else {
            if product.key == "zpa" && setter.wire == "microtenantId" {
                text.push_str(" When unset, the client's default microtenant is sent, if any.");
            }
            "value.to_string()"
        };
        out.push_str(&doc(&prose(&text), 4));
        out.push_str(&format!(
            "    pub fn {}(self, value: impl std::fmt::Display) -> Self {{\n        \
             self.query({}, {value})\n    }}\n",
            setter.ident,
            literal(&setter.wire)
        ));
    }
    out.push_str("}\n\n");
    out
}

/// Writes an options struct.
pub fn emit_options(product: &Product, options: &OptionsPlan, users: &str) -> String {
    let mut out = doc(
        &format!("Query parameters of {users}. Fields left `None` are not sent."),
        0,
    );
    out.push_str("#[derive(Debug, Clone, Default, PartialEq, Eq)]\n");
    out.push_str(&format!("pub struct {} {{\n", options.name));
    for param in &options.params {
        let mut text = format!("The `{}` query parameter.", param.wire);
        if product.key == "zpa" && param.wire == "microtenantId" {
            text.push_str(" When `None`, the client's default microtenant is sent, if any.");
        }
        if product.key == "zpa" && param.wire == "search" {
            text.push_str(" A bare value is sent as `name+EQ+<value>`.");
        }
        out.push_str(&doc(&prose(&text), 4));
        out.push_str(&format!("    pub {}: Option<String>,\n", param.ident));
    }
    out.push_str("}\n\n");
    out.push_str(&format!("impl {} {{\n", options.name));
    for (index, param) in options.params.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "    /// Sets `{}`.\n    pub fn {}(mut self, value: impl std::fmt::Display) -> Self \
             {{\n        self.{} = Some(value.to_string());\n        self\n    }}\n",
            param.ident.trim_start_matches("r#"),
            param.ident,
            param.ident
        ));
    }
    out.push_str("}\n\n");
    out
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::handwritten::HandWritten;
    use crate::product::{ZIA, ZPA};
    use crate::spec::Catalog;

    /// Plans a one-resource catalog and returns the code of its handle.
    fn emit(product: &'static Product, operations: Value, models: Value) -> String {
        let catalog: Catalog = serde_json::from_value(json!({
            "product": product.key,
            "resources": [{
                "name": "things",
                "group": "things",
                "summary": "Things.",
                "operations": operations,
            }],
            "models": models,
        }))
        .expect("valid catalog");
        let plan = crate::plan::build(product, &catalog, &HandWritten::default()).expect("plans");
        emit_resource(&plan, &plan.resources[0])
    }

    #[test]
    fn bulk_delete_is_chunked_to_documented_maximum() {
        let code = emit(
            &ZIA,
            json!([{"name": "bulk_delete", "method": "POST", "path": "/things/bulkDelete",
                    "pagination": "none", "body": "BulkDeleteIds",
                    "note": "Deletes at most 100 ids per request."}]),
            json!({"BulkDeleteIds": {"fields": [{"json": "ids", "type": "array", "items": "integer"}]}}),
        );
        assert!(code.contains("ids: &[i64]"), "{code}");
        assert!(code.contains("ids.chunks(100)"), "{code}");
    }

    #[test]
    fn string_ids_and_fixed_query_values() {
        let code = emit(
            &ZIA,
            json!([{"name": "update", "method": "PUT", "path": "/things/{id}", "query": ["action"],
                    "query_values": {"action": ["ADD_TO_LIST"]}, "pagination": "none",
                    "body": "Thing", "response": "Thing"},
                   {"name": "get", "method": "GET", "path": "/things/{id}", "pagination": "none",
                    "response": "Thing"}]),
            json!({"Thing": {"fields": [{"json": "id", "type": "string"}]}}),
        );
        assert!(code.contains("id: &str"), "{code}");
        assert!(code.contains("segment(\"id\", id)?"), "{code}");
        assert!(code.contains("pub async fn update_add_to_list("), "{code}");
        assert!(
            code.contains("request.query(\"action\", \"ADD_TO_LIST\")"),
            "{code}"
        );
        assert!(code.contains("self.api.json_or_get(request)"), "{code}");
    }

    #[test]
    fn zpa_paths_take_customer_and_microtenant() {
        let code = emit(
            &ZPA,
            json!([{"name": "delete", "method": "DELETE",
                    "path": "/mgmtconfig/v1/admin/customers/{customerId}/thing/{id}",
                    "query": ["microtenantId"], "pagination": "none"},
                   {"name": "list", "method": "GET",
                    "path": "/mgmtconfig/v1/admin/customers/{customerId}/thing",
                    "query": ["page", "pagesize", "search"], "pagination": "zpa_page",
                    "max_page_size": 500, "response": "Thing[]"}]),
            json!({"Thing": {"fields": [{"json": "id", "type": "string"}]}}),
        );
        assert!(code.contains("self.api.customer_id()"), "{code}");
        assert!(
            code.contains("self.api.microtenant(options.microtenant_id.as_deref())"),
            "{code}"
        );
        assert!(code.contains("PageLimits::new(20, 500)"), "{code}");
        assert!(
            code.contains("crate::pagination::search_expression"),
            "{code}"
        );
        assert!(
            !code.contains("fn page("),
            "paging parameters get no setter: {code}"
        );
    }
}
