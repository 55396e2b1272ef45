//! Writing the replays of recorded exchanges: each successful exchange whose method and path
//! match a generated operation is served by the mock server as recorded, and the decoded
//! result must encode back to the recorded JSON (null fields aside).

use std::path::Path;

use serde_json::Value;

use crate::plan::{
    Access, BodyPlan, ModelPlan, OpPlan, PathType, Plan, ResourcePlan, ResponsePlan,
};
use crate::spec::TypeRef;
use crate::text::literal;

/// Customer id the replays expect in ZPA paths; it is also the test client's.
const CUSTOMER_ID: &str = "216196257331281920";

/// Prefix of the recorded ZIA paths.
const ZIA_PREFIX: &str = "/api/v1";

/// Returns the replay test module, or `None` when no recorded exchange matches.
pub fn emit_replays(plan: &Plan, fixtures: &Path) -> Result<Option<String>, String> {
    let Ok(entries) = std::fs::read_dir(fixtures) else {
        return Ok(None);
    };
    let mut files: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();

    let mut tests = String::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|error| format!("failed to read {}: {error}", file.display()))?;
        let recording: Value = serde_json::from_str(&text)
            .map_err(|error| format!("invalid recording {}: {error}", file.display()))?;
        let stem = file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some(exchanges) = recording["exchanges"].as_array() else {
            continue;
        };
        let mut blocks = String::new();
        for (index, exchange) in exchanges.iter().enumerate() {
            match replay_block(plan, &stem, index, exchange) {
                Replay::Block(block) => blocks.push_str(&block),
                Replay::Skipped(reason) => {
                    blocks.push_str(&format!(
                        "    // Exchange {index} is not replayed: {reason}\n"
                    ));
                }
                Replay::Unmatched => {}
                Replay::Contradicts(problem) => {
                    return Err(format!(
                        "{}, exchange {index}: {problem}; correct the type in codegen/src/overrides.rs",
                        file.display()
                    ));
                }
            }
        }
        if !blocks.contains("check(") {
            continue;
        }
        tests.push_str(&format!(
            "#[tokio::test]\nasync fn {}() {{\n    let server = MockServer::start_async().await;\n    \
             let client = client(&server).await;\n    let recorded = Recorded::parse(include_str!(\
             \"../fixtures/recorded/{stem}.json\"));\n{blocks}}}\n\n",
            crate::names::snake(&stem)
        ));
    }
    if tests.is_empty() {
        return Ok(None);
    }
    let imports = crate::emit_tests::test_imports(plan.product, &tests, &type_names(plan));
    Ok(Some(format!(
        "//! Replays of the recorded exchanges in `tests/fixtures/recorded/` whose method and \
         path match a\n//! generated operation.\n\n{imports}\n{tests}"
    )))
}

/// Returns the generated type names a test can mention.
pub fn type_names(plan: &Plan) -> std::collections::BTreeSet<String> {
    let mut names: std::collections::BTreeSet<String> =
        plan.models.iter().map(|m| m.rust.clone()).collect();
    names.extend(plan.shared_options.iter().map(|o| o.name.clone()));
    for op in plan.resources.iter().flat_map(|r| &r.ops) {
        if let Some(options) = &op.options {
            names.insert(options.name.clone());
        }
    }
    names
}

/// Outcome of one recorded exchange.
enum Replay {
    /// The test block that replays it.
    Block(String),
    /// It matches an operation but cannot be replayed, for this reason.
    Skipped(String),
    /// It matches no generated operation, or is not a success with a JSON body.
    Unmatched,
    /// Its response does not fit the operation's types: the catalog is wrong.
    Contradicts(String),
}

/// Returns the test block of one exchange.
fn replay_block(plan: &Plan, stem: &str, index: usize, exchange: &Value) -> Replay {
    let status = exchange["status"].as_u64().unwrap_or_default();
    if !(200..300).contains(&status) || exchange["host_kind"].as_str() != Some("api") {
        return Replay::Unmatched;
    }
    let (Some(method), Some(path)) = (exchange["method"].as_str(), exchange["path"].as_str())
    else {
        return Replay::Unmatched;
    };
    let body = &exchange["body"];
    let json_body = body.is_object() && body.get("_text").is_none() || body.is_array();
    let Some((resource, op, values)) = find_op(plan, method, path) else {
        return Replay::Unmatched;
    };
    let checker = Checker::new(plan);

    let name = format!("{stem}#{index} {}.{}", resource.name, op.op.name);
    let mut setup = String::new();
    let mut args: Vec<String> = Vec::new();
    for (param, value) in op.path_params.iter().zip(&values) {
        args.push(match param.ty {
            PathType::Integer => value.clone(),
            PathType::Str => literal(value),
        });
    }
    let mut case = format!("exchange.case({})", literal(&name));
    match (&op.body, &op.list) {
        (Some(BodyPlan::Json { arg, ty }), _) => {
            let request = &exchange["request_body"];
            if !(request.is_object() || request.is_array()) {
                return Replay::Unmatched;
            }
            if let Some(problem) = checker.misfit(request, ty, "") {
                return Replay::Skipped(format!(
                    "its request body (sent by another SDK) does not fit the model: {problem}."
                ));
            }
            let variable = if op.list.is_some() { "search" } else { "body" };
            setup.push_str(&format!(
                "        let {variable}: {} = decode(exchange.request_body.clone(), {});\n",
                crate::emit_tests::body_type(arg),
                literal(&name)
            ));
            args.push(format!("&{variable}"));
            case.push_str(".recorded_request_body()");
        }
        (Some(_), _) => return Replay::Unmatched,
        (None, _) => {}
    }

    let call = if let Some(list) = &op.list {
        if !json_body {
            return Replay::Unmatched;
        }
        let items = match body.get("list") {
            Some(items) if plan.product.key == "zpa" => items,
            _ => body,
        };
        if let Some(problem) =
            checker.misfit(items, &TypeRef::Array(Box::new(list.item.clone())), "")
        {
            return Replay::Contradicts(format!("{}.{}: {problem}", resource.name, op.op.name));
        }
        let items = if plan.product.key == "zpa" && body.is_object() {
            ".reply_recorded_list()"
        } else {
            ".reply_recorded()"
        };
        case.push_str(items);
        format!(
            "api.{}({}).max_pages(1).collect()",
            op.method,
            args.join(", ")
        )
    } else {
        if let Some(options) = &op.options {
            setup.push_str(&format!(
                "        let options = {}::default();\n",
                options.name
            ));
            args.push("&options".to_owned());
        }
        match &op.response {
            ResponsePlan::Unit => case.push_str(".reply_recorded_ignored()"),
            ResponsePlan::Json { ty, .. } if json_body => {
                if let Some(problem) = checker.misfit(body, ty, "") {
                    return Replay::Contradicts(format!(
                        "{}.{}: {problem}",
                        resource.name, op.op.name
                    ));
                }
                case.push_str(".reply_recorded()");
            }
            _ => return Replay::Unmatched,
        }
        format!("api.{}({})", op.method, args.join(", "))
    };
    Replay::Block(format!(
        "    {{\n        let exchange = recorded.exchange({index});\n        let api = client.{}();\n\
         {setup}        check(&server, {case}, call({call})).await;\n    }}\n",
        resource.client_method
    ))
}

/// Finds the generated operation of a recorded method and path: the one whose template
/// matches with the most literal segments. Returns it with the values of its path
/// parameters, in order.
fn find_op<'a>(
    plan: &'a Plan,
    method: &str,
    path: &str,
) -> Option<(&'a ResourcePlan, &'a OpPlan, Vec<String>)> {
    let path = if plan.product.key == "zia" {
        path.strip_prefix(ZIA_PREFIX)?
    } else {
        path
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut best: Option<(usize, &ResourcePlan, &OpPlan, Vec<String>)> = None;
    for resource in plan.resources.iter().filter(|r| r.access == Access::Client) {
        for op in resource.ops.iter().filter(|op| op.op.method == method) {
            let Some((score, values)) = match_path(plan, op, &segments) else {
                continue;
            };
            if best.as_ref().is_none_or(|(top, ..)| score > *top) {
                best = Some((score, resource, op, values));
            }
        }
    }
    best.map(|(_, resource, op, values)| (resource, op, values))
}

/// Matches recorded path segments against an operation's template. Returns the number of
/// literal segments and the values of the caller's path parameters.
fn match_path(plan: &Plan, op: &OpPlan, segments: &[&str]) -> Option<(usize, Vec<String>)> {
    let template: Vec<&str> = op.op.path.trim_matches('/').split('/').collect();
    if template.len() != segments.len() {
        return None;
    }
    let mut literal_count = 0;
    let mut values = Vec::new();
    for (pattern, segment) in template.iter().zip(segments) {
        match pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) if Some(name) == plan.product.tenant_param => {
                if *segment != CUSTOMER_ID {
                    return None;
                }
            }
            Some(name) => {
                let param = op.path_params.iter().find(|p| p.wire == name)?;
                if param.ty == PathType::Integer && segment.parse::<i64>().is_err() {
                    return None;
                }
                values.push((*segment).to_owned());
            }
            None if pattern == segment => literal_count += 1,
            None => return None,
        }
    }
    Some((literal_count, values))
}

/// Checks recorded JSON against the catalog types the models decode.
struct Checker<'a> {
    models: std::collections::BTreeMap<&'a str, &'a ModelPlan>,
}

impl<'a> Checker<'a> {
    fn new(plan: &'a Plan) -> Self {
        Checker {
            models: plan
                .models
                .iter()
                .map(|m| (m.catalog.as_str(), m))
                .collect(),
        }
    }

    /// Returns where and how `value` does not fit `ty`, or `None` when it decodes.
    fn misfit(&self, value: &Value, ty: &TypeRef, at: &str) -> Option<String> {
        if value.is_null() {
            return None;
        }
        let fits = match ty {
            TypeRef::String => value.is_string(),
            TypeRef::Integer => value.is_i64(),
            TypeRef::Number => value.is_number(),
            TypeRef::Boolean => value.is_boolean(),
            TypeRef::Object => value.is_object(),
            TypeRef::Any | TypeRef::Raw => true,
            TypeRef::Array(inner) => {
                let Some(items) = value.as_array() else {
                    return Some(format!("`{at}` is {value}, not an array"));
                };
                return items
                    .iter()
                    .find_map(|item| self.misfit(item, inner, &format!("{at}[]")));
            }
            TypeRef::Model(name) => {
                let Some(object) = value.as_object() else {
                    return Some(format!("`{at}` is {value}, not an object"));
                };
                let model = self.models.get(name.as_str())?;
                return model.fields.iter().find_map(|field| {
                    let inner = object.get(&field.wire)?;
                    let path = format!("{at}.{}", field.wire);
                    if field.number_string && (inner.is_string() || inner.is_number()) {
                        return None;
                    }
                    self.misfit(inner, &field.ty, &path)
                });
            }
        };
        if fits {
            None
        } else {
            let shown: String = value.to_string().chars().take(40).collect();
            Some(format!(
                "`{}` is {shown}, which is not {}",
                if at.is_empty() { "." } else { at },
                describe(ty)
            ))
        }
    }
}

/// Names a catalog type in a message.
fn describe(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "a string",
        TypeRef::Integer => "an integer",
        TypeRef::Number => "a number",
        TypeRef::Boolean => "a boolean",
        TypeRef::Object => "an object",
        _ => "of the catalog type",
    }
}
