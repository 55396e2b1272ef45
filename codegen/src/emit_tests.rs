//! Writing the route and decode tests of the generated operations: one test per resource that
//! sends every operation to a local mock server, and replays of recorded exchanges.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::emit_tree::{header, select_sections};
use crate::plan::{
    Access, BodyPlan, ListFormat, ModelPlan, OpPlan, PathType, Plan, ResourcePlan, ResponsePlan,
};
use crate::product::Product;
use crate::spec::{Catalog, TypeRef};
use crate::text::{doc, literal};

/// The shared test harness, one section per product.
const HARNESS: &str = include_str!("../templates/harness.rs");

/// Customer id of the test tenant; the recorded ZPA exchanges use the same one.
const CUSTOMER_ID: &str = "216196257331281920";

/// Depth of nested models a sample fills; deeper models are empty objects.
const SAMPLE_DEPTH: usize = 2;

/// Bearer token the tests give detached resources.
const TEST_TOKEN: &str = "route-test-token";

/// Raw request body the tests send.
const RAW_BODY: &str = "raw request body";

/// Name of the field every sample object carries that no model declares, to check that
/// unknown fields survive a decode and encode.
pub const UNKNOWN_FIELD: &str = "sdkUnknownField";

/// Returns the generated test files of one product, relative to its `tests/` folder.
pub fn emit_tests(
    plan: &Plan,
    _catalog: &Catalog,
    fixtures: &Path,
) -> Result<Vec<(String, String)>, String> {
    let product = plan.product;
    let head = header(product.key);
    let samples = Samples::new(plan);
    let mut files = Vec::new();
    let mut modules = Vec::new();

    let mut by_module: BTreeMap<&str, Vec<&ResourcePlan>> = BTreeMap::new();
    for resource in plan.resources.iter().filter(|r| !r.ops.is_empty()) {
        by_module
            .entry(&resource.module)
            .or_default()
            .push(resource);
    }
    let type_names = crate::emit_replays::type_names(plan);
    let mut get_back_done = false;
    for module in &plan.modules {
        let Some(resources) = by_module.get(module.as_str()) else {
            continue;
        };
        let mut body = String::new();
        for resource in resources {
            body.push_str(&resource_test(product, &samples, resource));
            if !get_back_done && let Some(op) = resource.ops.iter().find(|op| op.get_back) {
                body.push_str(&get_back_test(product, &samples, resource, op));
                get_back_done = true;
            }
        }
        let text = format!(
            "{head}//! Route tests of the {} resources of the `{module}` module.\n\n{}\n{body}",
            product.title,
            test_imports(product, &body, &type_names)
        );
        files.push((format!("generated_routes/{module}.rs"), text));
        modules.push(module.clone());
    }

    let replays = crate::emit_replays::emit_replays(plan, fixtures)?;
    if let Some(text) = replays {
        files.push((
            "generated_routes/recorded.rs".to_owned(),
            format!("{head}{text}"),
        ));
        modules.push("recorded".to_owned());
    }

    let all_tests: String = files.iter().map(|(_, text)| text.as_str()).collect();
    let mut used = std::collections::BTreeSet::new();
    used.insert(product.key);
    for (marker, section) in [
        (".raw_body(", "raw_body"),
        (".reply_raw(", "raw_reply"),
        ("mock_get(", "get_back"),
    ] {
        if all_tests.contains(marker) {
            used.insert(section);
        }
    }
    files.push((
        "generated_routes/harness.rs".to_owned(),
        format!("{head}{}", select_sections(HARNESS, &used)),
    ));
    files.push((
        "generated_routes/samples.json".to_owned(),
        samples.to_json(),
    ));

    let mut root = format!(
        "{head}{}",
        doc(
            &format!(
                "Route and decode tests of every generated {} operation. Each call goes to a \
                 local httpmock server that checks its method, path, query, body and \
                 credentials; the server replies with a sample built from the catalog's field \
                 list (every field set), and the decoded result must encode back to that \
                 sample. Recorded exchanges are replayed the same way.",
                product.title
            ),
            0
        )
        .replace("///", "//!")
    );
    // A test crate root looks for modules next to itself, so the files in
    // `generated_routes/` are named by path.
    root.push('\n');
    for module in std::iter::once("harness").chain(modules.iter().map(String::as_str)) {
        root.push_str(&format!(
            "#[path = \"generated_routes/{module}.rs\"]\nmod {module};\n"
        ));
    }
    files.push(("generated_routes.rs".to_owned(), root));
    Ok(files)
}

/// Returns the `use` lines of a test module.
pub fn test_imports(
    product: &Product,
    body: &str,
    type_names: &std::collections::BTreeSet<String>,
) -> String {
    let mut lines = vec!["use httpmock::MockServer;".to_owned()];
    if body.contains("Value::") {
        lines.push("use serde_json::Value;".to_owned());
    }
    lines.push("use super::harness::*;".to_owned());
    if crate::text::identifiers(body)
        .iter()
        .any(|name| type_names.contains(name))
    {
        lines.push(format!("use {}::generated::*;", product.crate_name));
    }
    lines.join("\n") + "\n"
}

/// Samples of every model, and JSON of every other catalog type.
pub struct Samples<'a> {
    models: BTreeMap<&'a str, &'a ModelPlan>,
    product: &'static Product,
}

impl<'a> Samples<'a> {
    /// Indexes the models of a plan.
    pub fn new(plan: &'a Plan) -> Self {
        Samples {
            models: plan
                .models
                .iter()
                .map(|m| (m.catalog.as_str(), m))
                .collect(),
            product: plan.product,
        }
    }

    /// Returns `samples.json`: every model's sample, one per line.
    fn to_json(&self) -> String {
        let mut out = String::from("{\n");
        let count = self.models.len();
        for (index, name) in self.models.keys().enumerate() {
            let value = self.model(name, 0);
            let comma = if index + 1 < count { "," } else { "" };
            out.push_str(&format!("{}: {value}{comma}\n", Value::from(*name)));
        }
        out.push_str("}\n");
        out
    }

    /// Returns the sample of a model: every field set, nested models filled to a depth.
    pub fn model(&self, name: &str, depth: usize) -> Value {
        let mut object = serde_json::Map::new();
        let Some(model) = self.models.get(name) else {
            return Value::Object(object);
        };
        if depth > SAMPLE_DEPTH {
            return Value::Object(object);
        }
        for field in &model.fields {
            let value = match (&field.ty, &field.enum_sample) {
                (TypeRef::String, Some(first)) => Value::from(first.as_str()),
                (TypeRef::Array(inner), Some(first)) if **inner == TypeRef::String => {
                    json!([first])
                }
                (TypeRef::String, None) if field.number_string => Value::from("12345"),
                (ty, _) => self.value(ty, depth + 1),
            };
            object.insert(field.wire.clone(), value);
        }
        object.insert(UNKNOWN_FIELD.to_owned(), Value::from("kept"));
        Value::Object(object)
    }

    /// Returns a sample of any catalog type.
    pub fn value(&self, ty: &TypeRef, depth: usize) -> Value {
        match ty {
            TypeRef::String => Value::from("sample"),
            TypeRef::Integer => Value::from(42),
            TypeRef::Number => Value::from(1.5),
            TypeRef::Boolean => Value::from(true),
            TypeRef::Object => json!({"key": "value"}),
            TypeRef::Any | TypeRef::Raw => Value::from("any"),
            TypeRef::Model(name) => self.model(name, depth),
            TypeRef::Array(inner) => Value::Array(vec![self.value(inner, depth)]),
        }
    }

    /// Returns Rust code for the sample of a type: `sample("Model")` for models, else a JSON
    /// literal.
    pub fn expr(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Model(name) if self.models.contains_key(name.as_str()) => {
                format!("sample({})", literal(name))
            }
            TypeRef::Array(inner) if matches!(**inner, TypeRef::Model(_)) => {
                format!("Value::Array(vec![{}])", self.expr(inner))
            }
            other => format!("json({})", literal(&self.value(other, 0).to_string())),
        }
    }

    /// Returns the product.
    pub fn product(&self) -> &'static Product {
        self.product
    }
}

/// Returns the expression of the handle of a resource on the test server.
pub fn handle_expr(product: &Product, resource: &ResourcePlan) -> String {
    let _ = product;
    match &resource.access {
        Access::Client => format!("client.{}()", resource.client_method),
        Access::Unauthenticated { .. } => format!(
            "client.{}(&server.base_url()).expect(\"valid base URL\")",
            resource.client_method
        ),
        Access::Bearer { .. } => format!(
            "client.{}(&server.base_url(), {}).expect(\"valid base URL\")",
            resource.client_method,
            literal(TEST_TOKEN)
        ),
    }
}

/// Returns the path a call sends, with test values for the parameters.
fn expected_path(product: &Product, resource: &ResourcePlan, op: &OpPlan) -> String {
    let mut path = String::new();
    if product.key == "zia" && resource.access == Access::Client {
        path.push_str("/api/v1");
    }
    let mut rest = op.op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = open
            + rest[open..]
                .find('}')
                .expect("catalog paths close every brace");
        path.push_str(&rest[..open]);
        let wire = &rest[open + 1..close];
        if Some(wire) == product.tenant_param {
            path.push_str(CUSTOMER_ID);
        } else {
            path.push_str(&param_value(op, wire).1);
        }
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    path
}

/// Returns the argument expression and the path text of a path parameter's test value.
fn param_value(op: &OpPlan, wire: &str) -> (String, String) {
    let param = op.path_params.iter().find(|p| p.wire == wire);
    match param.map(|p| p.ty) {
        Some(PathType::Integer) => ("7".to_owned(), "7".to_owned()),
        _ => {
            let value = format!("p-{wire}");
            (literal(&value), value)
        }
    }
}

/// Returns the Rust type a body argument is decoded into, such as `Vec<String>`.
pub fn body_type(arg: &str) -> String {
    let bare = arg.trim_start_matches('&');
    if let Some(inner) = bare.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        format!("Vec<{inner}>")
    } else if bare == "str" {
        "String".to_owned()
    } else {
        bare.to_owned()
    }
}

/// Returns the query value the test sets for a parameter, and the value the call must send.
fn query_value(product: &Product, resource: &ResourcePlan, wire: &str) -> (String, String) {
    let argument = format!("v-{wire}");
    let sent = if product.key == "zpa" && wire == "search" && !resource.name.starts_with("scim") {
        format!("name+EQ+{argument}")
    } else {
        argument.clone()
    };
    (argument, sent)
}

/// Returns the statements and expressions that test one operation: setup lines, the case
/// expression and the call expression. `variant` selects a fixed-value method.
pub fn op_case(
    samples: &Samples<'_>,
    resource: &ResourcePlan,
    op: &OpPlan,
    variant: Option<usize>,
) -> (String, String, String) {
    let product = samples.product();
    let name = match variant {
        Some(index) => format!("{}.{}", resource.name, op.variants[index].method),
        None => format!("{}.{}", resource.name, op.op.name),
    };
    let mut setup = String::new();
    let mut case = format!(
        "Case::new({}, {}, {})",
        literal(&name),
        literal(&op.op.method),
        literal(&expected_path(product, resource, op))
    );
    let mut args: Vec<String> = op
        .path_params
        .iter()
        .map(|p| param_value(op, &p.wire).0)
        .collect();

    match (&op.body, &op.list) {
        (Some(BodyPlan::Json { ty, arg }), Some(list)) => {
            setup.push_str(&format!(
                "let search: {} = decode({}, {});\n",
                body_type(arg),
                samples.expr(ty),
                literal(&name)
            ));
            args.push("&search".to_owned());
            let mut expected = samples.value(ty, 0);
            let size = list.limits.map_or(0, |(default, _)| default);
            if let Some(object) = expected.as_object_mut() {
                if list.format == ListFormat::Search {
                    let page_by = object.entry("pageBy").or_insert_with(|| json!({}));
                    page_by["page"] = json!(1);
                    page_by["pageSize"] = json!(size);
                } else {
                    object.insert("startIndex".into(), json!(1));
                    object.insert("count".into(), json!(size));
                }
            }
            case.push_str(&format!(
                ".json_body(json({}))",
                literal(&expected.to_string())
            ));
        }
        (Some(BodyPlan::Json { ty, arg }), None) => {
            setup.push_str(&format!(
                "let body: {} = decode({}, {});\n",
                body_type(arg),
                samples.expr(ty),
                literal(&name)
            ));
            args.push("&body".to_owned());
            case.push_str(&format!(".json_body({})", samples.expr(ty)));
        }
        (Some(BodyPlan::Form { ty, arg }), _) => {
            setup.push_str(&format!(
                "let body: {} = decode({}, {});\n",
                body_type(arg),
                samples.expr(ty),
                literal(&name)
            ));
            args.push("&body".to_owned());
            case.push_str(&format!(".form_body(&{})", samples.expr(ty)));
        }
        (Some(BodyPlan::Raw), _) => {
            args.push(format!("{}.to_vec()", byte_literal(RAW_BODY)));
            args.push(literal("application/octet-stream"));
            case.push_str(&format!(
                ".raw_body(\"application/octet-stream\", {})",
                byte_literal(RAW_BODY)
            ));
        }
        (None, _) => {}
    }

    let mut method_call = String::new();
    if let Some(list) = &op.list {
        let size = list.limits.map(|(default, _)| default.to_string());
        match (list.format, &size) {
            (ListFormat::Product, Some(size)) => {
                for name in product.paging_params(&op.op.pagination) {
                    let value = if name.starts_with("page") && !name.contains("ize") {
                        "1".to_owned()
                    } else {
                        size.clone()
                    };
                    case.push_str(&format!(".query({}, {})", literal(name), literal(&value)));
                }
            }
            (ListFormat::ScimGet, Some(size)) => {
                case.push_str(&format!(
                    ".query(\"startIndex\", \"1\").query(\"count\", {})",
                    literal(size)
                ));
            }
            (ListFormat::Cursor, Some(size)) => {
                case.push_str(&format!(".query(\"pageSize\", {})", literal(size)));
            }
            _ => {}
        }
        for setter in &list.setters {
            let (argument, sent) = query_value(product, resource, &setter.wire);
            case.push_str(&format!(
                ".query({}, {})",
                literal(&setter.wire),
                literal(&sent)
            ));
            method_call.push_str(&format!(".{}({})", setter.ident, literal(&argument)));
        }
        method_call.push_str(".max_pages(1).collect()");
        setup.push_str(&format!("let item = {};\n", samples.expr(&list.item)));
        let envelope = match (list.format, product.key) {
            (ListFormat::Product | ListFormat::Search, "zpa") => {
                "serde_json::json!({\"totalPages\": \"1\", \"totalCount\": \"1\", \"list\": [item.clone()]})"
            }
            (ListFormat::ScimGet | ListFormat::ScimSearch, _) => {
                "serde_json::json!({\"Resources\": [item.clone()], \"totalResults\": 1})"
            }
            (ListFormat::Cursor, _) => "serde_json::json!({\"items\": [item.clone()]})",
            _ => "Value::Array(vec![item.clone()])",
        };
        case.push_str(&format!(
            ".reply_envelope({envelope}, Value::Array(vec![item]))"
        ));
    } else {
        match variant {
            Some(index) => {
                let fixed = &op.variants[index];
                case.push_str(&format!(
                    ".query({}, {})",
                    literal(&fixed.param),
                    literal(&fixed.value)
                ));
            }
            None => {
                if let Some(options) = &op.options {
                    let mut build = format!("{}::default()", options.name);
                    for param in &options.params {
                        let (argument, sent) = query_value(product, resource, &param.wire);
                        build.push_str(&format!(".{}({})", param.ident, literal(&argument)));
                        case.push_str(&format!(
                            ".query({}, {})",
                            literal(&param.wire),
                            literal(&sent)
                        ));
                    }
                    setup.push_str(&format!("let options = {build};\n"));
                    args.push("&options".to_owned());
                }
            }
        }
        match &op.response {
            ResponsePlan::Unit => {}
            ResponsePlan::Bytes => case.push_str(".reply_raw(b\"raw response\")"),
            ResponsePlan::Text => case.push_str(".reply(json(\"\\\"sample text\\\"\"))"),
            ResponsePlan::Json { ty, .. } => {
                case.push_str(&format!(".reply({})", samples.expr(ty)));
            }
        }
    }
    if op.unauthenticated {
        case.push_str(".no_credentials()");
    } else if matches!(resource.access, Access::Bearer { .. }) {
        case.push_str(&format!(".bearer({})", literal(TEST_TOKEN)));
    }
    let method = match variant {
        Some(index) => op.variants[index].method.clone(),
        None => op.method.clone(),
    };
    let call = format!("api.{method}({}){method_call}", args.join(", "));
    (setup, case, call)
}

/// Returns a byte string literal of ASCII text.
fn byte_literal(text: &str) -> String {
    format!("b{}", literal(text))
}

/// Returns the test of every operation of one resource.
fn resource_test(product: &Product, samples: &Samples<'_>, resource: &ResourcePlan) -> String {
    let mut out = format!(
        "#[tokio::test]\nasync fn {}() {{\n    let server = MockServer::start_async().await;\n    \
         let client = client(&server).await;\n    let api = {};\n",
        resource.name,
        handle_expr(product, resource)
    );
    for op in &resource.ops {
        let mut cases = vec![None];
        cases.extend((0..op.variants.len()).map(Some));
        for variant in cases {
            let (setup, case, call) = op_case(samples, resource, op, variant);
            out.push_str(&format!(
                "    {{\n{setup}        check(&server, {case}, call({call})).await;\n    }}\n"
            ));
        }
    }
    out.push_str("}\n\n");
    out
}

/// Returns the test of a write whose response is not JSON: the resource is read back.
fn get_back_test(
    product: &Product,
    samples: &Samples<'_>,
    resource: &ResourcePlan,
    op: &OpPlan,
) -> String {
    let (setup, case, call) = op_case(samples, resource, op, None);
    let ResponsePlan::Json { ty, .. } = &op.response else {
        return String::new();
    };
    let expected = samples.expr(ty);
    let case = case.replace(
        &format!(".reply({expected})"),
        &format!(".expect({expected})"),
    );
    format!(
        "#[tokio::test]\nasync fn {}_{}_reads_back_without_json() {{\n    let server = \
         MockServer::start_async().await;\n    let client = client(&server).await;\n    let api = \
         {};\n    let get = mock_get(&server, {}, {expected}).await;\n{setup}    check(&server, \
         {case}, call({call})).await;\n    assert_eq!(get.calls_async().await, 1, \"one GET \
         reads the resource back\");\n}}\n\n",
        resource.name,
        op.op.name,
        handle_expr(product, resource),
        literal(&expected_path(product, resource, op)),
    )
}
