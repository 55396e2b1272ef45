//! Writing the end-to-end tests of the generated resources: one test per resource with create,
//! get, update and delete, which runs the whole round trip against the simulator.

use std::collections::BTreeMap;

use crate::emit_tree::{header, select_sections};
use crate::plan::{
    Access, BodyPlan, ListFormat, ModelPlan, OpPlan, PathType, Plan, ResourcePlan, ResponsePlan,
};
use crate::spec::TypeRef;
use crate::text::literal;

/// The shared end-to-end harness, one section per product.
const SUPPORT: &str = include_str!("../templates/e2e_support.rs");

/// The calls of one resource that the round trip uses.
struct Covered<'a> {
    resource: &'a ResourcePlan,
    create: &'a OpPlan,
    get: &'a OpPlan,
    update: &'a OpPlan,
    delete: &'a OpPlan,
    list: Option<&'a OpPlan>,
    collection: String,
    model: String,
    field: Option<String>,
    /// Field that contains the id of an item.
    id_field: String,
    /// Argument expressions of the parent path parameters.
    parents: Vec<String>,
    /// True when the update takes the id in the body, not in the path.
    update_by_body: bool,
}

/// Returns the end-to-end test files of one product, relative to its `tests/` folder.
pub fn emit_e2e(plan: &Plan) -> Vec<(String, String)> {
    let product = plan.product;
    let head = header(product.key);
    let models: BTreeMap<&str, &ModelPlan> = plan
        .models
        .iter()
        .map(|model| (model.catalog.as_str(), model))
        .collect();

    let mut covered: BTreeMap<&str, Vec<Covered<'_>>> = BTreeMap::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    let mut count = 0;
    for resource in &plan.resources {
        let has_all = ["create", "get", "update", "delete"].iter().all(|name| {
            resource.ops.iter().any(|op| op.op.name == *name)
                || resource.hand_written.iter().any(|op| op == name)
        });
        if !has_all {
            continue;
        }
        match coverage(plan, &models, resource) {
            Ok(item) => {
                covered
                    .entry(resource.module.as_str())
                    .or_default()
                    .push(item);
                count += 1;
            }
            Err(reason) => skipped.push((resource.name.clone(), reason)),
        }
    }

    let mut files = Vec::new();
    let mut modules = Vec::new();
    for module in &plan.modules {
        let Some(items) = covered.get(module.as_str()) else {
            continue;
        };
        let body: String = items.iter().map(|item| test(plan, item)).collect();
        files.push((
            format!("generated_e2e/{module}.rs"),
            format!(
                "{head}//! End-to-end tests of the {} resources of the `{module}` module.\n\n\
                 use super::support::*;\n\n{body}",
                product.title
            ),
        ));
        modules.push(module.clone());
    }

    let mut used = std::collections::BTreeSet::from([product.key]);
    if files.iter().any(|(_, text)| text.contains("int(&id)")) {
        used.insert("int_ids");
    }
    files.push((
        "generated_e2e/support.rs".to_owned(),
        format!("{head}{}", select_sections(SUPPORT, &used)),
    ));

    let mut root = format!(
        "{head}//! End-to-end tests of the generated {title} resources against the simulator. Each \
         test\n//! creates an item from the catalog sample and reads it back. It then changes a \
         field and\n//! looks for the change in a read, in the simulator's store and in the list. \
         Last, it\n//! deletes the item and checks that a read gives not found.\n//!\n//! {count} \
         resources are covered, and these {} are not:\n",
        skipped.len(),
        title = product.title,
    );
    for (name, reason) in &skipped {
        root.push_str(&format!("//! - `{name}`: {reason}\n"));
    }
    root.push('\n');
    for module in std::iter::once("support").chain(modules.iter().map(String::as_str)) {
        root.push_str(&format!(
            "#[path = \"generated_e2e/{module}.rs\"]\nmod {module};\n"
        ));
    }
    files.push(("generated_e2e.rs".to_owned(), root));
    files
}

/// Returns the round trip of a resource, or why it cannot run against the simulator.
fn coverage<'a>(
    plan: &Plan,
    models: &BTreeMap<&str, &'a ModelPlan>,
    resource: &'a ResourcePlan,
) -> Result<Covered<'a>, String> {
    if !resource.hand_written.is_empty() {
        return Err("hand-written; the umbrella crate tests it end to end".to_owned());
    }
    if resource.access != Access::Client {
        return Err("served on another host, which the simulator does not serve".to_owned());
    }
    let op = |name: &str| {
        resource
            .ops
            .iter()
            .find(|op| op.op.name == name)
            .expect("the caller checked that the operation exists")
    };
    let (create, get, update, delete) = (op("create"), op("get"), op("update"), op("delete"));
    let item_shape = shape(&get.op.path);
    let collection_shape = shape(&create.op.path);
    let Some(parents) = get.path_params.len().checked_sub(1) else {
        return Err("its get takes no id".to_owned());
    };
    // The simulator keeps the items of every call in the list's collection, so with a list
    // the item path may differ from the create path (`/banner` and `/banners/{id}`).
    let list = resource.ops.iter().find(|op| {
        op.op.name == "list"
            && op.path_params.len() == parents
            && op
                .list
                .as_ref()
                .is_some_and(|list| matches!(list.format, ListFormat::Product | ListFormat::Single))
    });
    if (list.is_none() && item_shape != format!("{collection_shape}/{{}}"))
        || shape(&delete.op.path) != item_shape
        || create.path_params.len() != parents
    {
        return Err("its calls do not share one item path".to_owned());
    }
    let update_by_body = shape(&update.op.path) == collection_shape;
    if shape(&update.op.path) != item_shape && !update_by_body {
        return Err("its update path is not its item path".to_owned());
    }
    let model = match (&create.body, &update.body) {
        (
            Some(BodyPlan::Json {
                ty: TypeRef::Model(name),
                ..
            }),
            Some(BodyPlan::Json {
                ty: TypeRef::Model(_),
                ..
            }),
        ) => name.clone(),
        _ => return Err("its create or update body is not a JSON object".to_owned()),
    };
    let returns_model = |op: &OpPlan| {
        matches!(
            &op.response,
            ResponsePlan::Json {
                ty: TypeRef::Model(_),
                ..
            }
        )
    };
    if !returns_model(create) {
        return Err("its create returns no body, so the new id is unknown".to_owned());
    }
    if !returns_model(get) {
        return Err("its get does not return the item".to_owned());
    }
    let Some(body_model) = models.get(model.as_str()) else {
        return Err(format!("its body model {model} is not in the catalog"));
    };
    // The field that holds the id: `id`, else as the simulator picks it, `userId` or the
    // first field whose name ends in `Id`.
    let has = |name: &str| body_model.fields.iter().any(|field| field.wire == name);
    let id_field = if has("id") {
        "id".to_owned()
    } else if has("userId") {
        "userId".to_owned()
    } else {
        match body_model
            .fields
            .iter()
            .find(|field| field.wire.ends_with("Id"))
        {
            Some(field) => field.wire.clone(),
            None => return Err("its items have no id field".to_owned()),
        }
    };
    let parent_values: Vec<(String, String, String)> = get.path_params[..parents]
        .iter()
        .map(|param| match param.ty {
            PathType::Integer => (param.wire.clone(), "7".to_owned(), "7".to_owned()),
            PathType::Str => {
                let value = format!("e2e-{}", param.wire);
                (param.wire.clone(), literal(&value), value)
            }
        })
        .collect();
    let relative = |path: &str| -> String {
        let mut path = match plan.product.tenant_param {
            Some(tenant) => path
                .split_once(&format!("{{{tenant}}}"))
                .map_or(path, |(_, rest)| rest)
                .to_owned(),
            None => path.to_owned(),
        };
        for (wire, _, value) in &parent_values {
            path = path.replace(&format!("{{{wire}}}"), value);
        }
        path
    };
    let collection = relative(&list.unwrap_or(create).op.path);
    let parent = relative(&get.op.path);
    let parent = parent.rsplit_once('/').map_or("", |(parent, _)| parent);
    if list.is_none() && parent != collection {
        return Err("its item path is not under its create path".to_owned());
    }
    Ok(Covered {
        resource,
        create,
        get,
        update,
        delete,
        list,
        collection,
        field: update_field(body_model, &id_field),
        id_field,
        parents: parent_values.into_iter().map(|(_, arg, _)| arg).collect(),
        update_by_body,
        model,
    })
}

/// Returns a path with its parameter names blanked, to compare the shapes of two paths.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Returns the plain string field an update changes: `name`, else `description`, else one
/// whose name ends in `Name`, else the first other one.
fn update_field(model: &ModelPlan, id_field: &str) -> Option<String> {
    let plain: Vec<&str> = model
        .fields
        .iter()
        .filter(|field| {
            field.ty == TypeRef::String
                && field.enum_sample.is_none()
                && !field.number_string
                && field.wire != "id"
                && field.wire != id_field
                && !matches!(
                    field.wire.as_str(),
                    "creationTime" | "modifiedTime" | "modifiedBy"
                )
        })
        .map(|field| field.wire.as_str())
        .collect();
    ["name", "description"]
        .into_iter()
        .find(|name| plain.contains(name))
        .or_else(|| plain.iter().copied().find(|name| name.ends_with("Name")))
        .or_else(|| plain.first().copied())
        .map(str::to_owned)
}

/// Returns the argument expression of the id of an item call.
fn id_arg(op: &OpPlan) -> &'static str {
    match op.path_params.last().map(|param| param.ty) {
        Some(PathType::Integer) => "int(&id)",
        _ => "&id",
    }
}

/// Returns the call expression of one operation: the parent arguments, then `args`, then
/// default options when the call takes some.
fn call_expr(item: &Covered<'_>, op: &OpPlan, args: &[&str]) -> String {
    let mut all: Vec<&str> = item.parents.iter().map(String::as_str).collect();
    all.extend(args);
    if op.options.is_some() {
        all.push("&Default::default()");
    }
    format!(
        "call(async move {{ api.{}({}).await }})",
        op.method,
        all.join(", ")
    )
}

/// Returns the test of one resource.
fn test(plan: &Plan, item: &Covered<'_>) -> String {
    let resource = item.resource;
    let create = call_expr(item, item.create, &["&decode(body)"]);
    let get = call_expr(item, item.get, &[id_arg(item.get)]);
    let (update_id, update) = if item.update_by_body {
        ("_id", call_expr(item, item.update, &["&decode(body)"]))
    } else {
        (
            "id",
            call_expr(item, item.update, &[id_arg(item.update), "&decode(body)"]),
        )
    };
    let delete = call_expr(item, item.delete, &[id_arg(item.delete)]);
    let list = match item.list {
        Some(op) => format!(
            "Some(Box::new(move || call(async move {{ api.{}({}).collect().await }})))",
            op.method,
            item.parents.join(", ")
        ),
        None => "None".to_owned(),
    };
    let field = match &item.field {
        Some(field) => format!("Some({})", literal(field)),
        None => "None".to_owned(),
    };
    let finish = if plan.product.key == "zia" {
        "    activate(&sim, &client).await;\n"
    } else {
        ""
    };
    format!(
        "#[tokio::test]\nasync fn {name}() {{\n    let (sim, client) = start().await;\n    \
         let api = &client.{method}();\n    Crud {{\n        resource: {resource_name},\n        \
         collection: {collection},\n        id_field: {id_field},\n        \
         sample: sample({model}, {id_field}),\n        field: {field},\n        \
         create: Box::new(move |body| {create}),\n        get: Box::new(move |id| {get}),\n        \
         update: Box::new(move |{update_id}, body| {update}),\n        delete: Box::new(move |id| \
         {delete}),\n        list: {list},\n    }}\n    .run(&sim)\n    .await;\n{finish}}}\n\n",
        name = crate::names::ident(&resource.name),
        method = resource.client_method,
        resource_name = literal(&resource.name),
        collection = literal(&item.collection),
        id_field = literal(&item.id_field),
        model = literal(&item.model),
    )
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn shapes_ignore_parameter_names() {
        assert_eq!(
            shape("/alertRuleConfiguration/rules/{alertId}"),
            shape("/alertRuleConfiguration/rules/{alertDefinitionId}")
        );
        assert_eq!(shape("/a/{x}/b/{id}"), "/a/{}/b/{}");
        assert_ne!(shape("/banner/{id}"), shape("/banners/{id}"));
    }
}
