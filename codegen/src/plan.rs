//! The plan of one product: every Rust name, type and module decided before any code is
//! written, so that the emitters only format.

use std::collections::{BTreeMap, BTreeSet};

use crate::handwritten::HandWritten;
use crate::names::{self, Unique};
use crate::plan_ops::op_plan;
use crate::product::Product;
use crate::spec::{Catalog, Field, Model, Operation, TypeRef};

/// Module names the generated tree uses for itself; a group with one of these names gets a
/// `_api` suffix.
const RESERVED_MODULES: &[&str] = &["support", "registry", "options", "client", "models"];

/// Module of the models no operation refers to.
pub const UNREFERENCED_MODULE: &str = "models";

/// Everything generated for one product.
#[derive(Debug)]
pub struct Plan {
    /// The product.
    pub product: &'static Product,
    /// Models in catalog order.
    pub models: Vec<ModelPlan>,
    /// Resources in catalog order, hand-written ones included.
    pub resources: Vec<ResourcePlan>,
    /// Module names in the order they first appear.
    pub modules: Vec<String>,
    /// Options structs shared by several operations.
    pub shared_options: Vec<OptionsPlan>,
}

/// One generated struct.
#[derive(Debug)]
pub struct ModelPlan {
    /// Catalog name.
    pub catalog: String,
    /// Rust type name.
    pub rust: String,
    /// Module it is written in.
    pub module: String,
    /// Fields in catalog order.
    pub fields: Vec<FieldPlan>,
    /// Enums declared for its fields.
    pub enums: Vec<EnumPlan>,
    /// True when the catalog inferred the field types.
    pub inferred: bool,
}

/// One field of a generated struct.
#[derive(Debug)]
pub struct FieldPlan {
    /// Wire name.
    pub wire: String,
    /// Rust field name (may be a raw identifier).
    pub ident: String,
    /// Rust type without the `Option`.
    pub rust_ty: String,
    /// Catalog type.
    pub ty: TypeRef,
    /// First known value when the field is an enum, for samples.
    pub enum_sample: Option<String>,
    /// True for a number held in a string.
    pub number_string: bool,
    /// Doc comment text.
    pub doc: String,
}

/// A string enum for one field.
#[derive(Debug)]
pub struct EnumPlan {
    /// Rust type name.
    pub rust: String,
    /// Doc comment text.
    pub doc: String,
    /// Variant names and wire values.
    pub variants: Vec<(String, String)>,
}

/// Connection of a resource handle: the client's service, or a service of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Through the client's authenticated service.
    Client,
    /// Through a transport to another base URL, without credentials.
    Unauthenticated {
        /// The catalog's base URL template.
        base_url: String,
    },
    /// Through a service to another base URL, with a bearer token the caller gives.
    Bearer {
        /// The catalog's base URL template.
        base_url: String,
    },
}

/// One resource handle.
#[derive(Debug)]
pub struct ResourcePlan {
    /// Catalog name.
    pub name: String,
    /// Module it is written in.
    pub module: String,
    /// Handle type name, such as `LocationsApi`.
    pub handle: String,
    /// Client method returning the handle.
    pub client_method: String,
    /// Catalog summary.
    pub summary: String,
    /// Connection of the handle.
    pub access: Access,
    /// Generated operations.
    pub ops: Vec<OpPlan>,
    /// Operations served by hand-written methods, not generated.
    pub hand_written: Vec<String>,
}

/// The Rust type of a path parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathType {
    /// `i64`.
    Integer,
    /// `&str`.
    Str,
}

/// A path parameter passed by the caller.
#[derive(Debug, Clone)]
pub struct PathParam {
    /// Name in the path template.
    pub wire: String,
    /// Argument name.
    pub ident: String,
    /// Argument type.
    pub ty: PathType,
}

/// A query parameter with its Rust name.
#[derive(Debug, Clone)]
pub struct QueryParam {
    /// Wire name.
    pub wire: String,
    /// Setter or field name.
    pub ident: String,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum BodyPlan {
    /// A JSON body; the argument type is given.
    Json {
        /// Catalog type.
        ty: TypeRef,
        /// Argument type, such as `&Locations` or `&[String]`.
        arg: String,
    },
    /// A model sent as form fields.
    Form {
        /// Catalog type.
        ty: TypeRef,
        /// Argument type.
        arg: String,
    },
    /// Bytes with a content type.
    Raw,
}

/// Decoding of a response.
#[derive(Debug, Clone)]
pub enum ResponsePlan {
    /// No body is decoded.
    Unit,
    /// JSON decoded into the given Rust type.
    Json {
        /// Catalog type.
        ty: TypeRef,
        /// Rust type.
        rust: String,
    },
    /// A JSON string or plain text.
    Text,
    /// The body bytes.
    Bytes,
}

/// Paging scheme of a list call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// The product's own paged format.
    Product,
    /// One request returns everything.
    Single,
    /// SCIM `startIndex`/`count` query on a GET.
    ScimGet,
    /// SCIM search: `startIndex`/`count` in a POST body.
    ScimSearch,
    /// ZPA POST search with `pageBy` in the body.
    Search,
    /// ZPA `pageSize`/`pageId` cursor.
    Cursor,
}

/// A list call.
#[derive(Debug, Clone)]
pub struct ListPlan {
    /// Builder type name.
    pub builder: String,
    /// Item type in the catalog.
    pub item: TypeRef,
    /// Item Rust type.
    pub item_rust: String,
    /// Paging.
    pub format: ListFormat,
    /// Default and maximum page size, for paged formats.
    pub limits: Option<(u32, u32)>,
    /// Filter setters.
    pub setters: Vec<QueryParam>,
}

/// An options struct for the query parameters of a call that is not a list.
#[derive(Debug, Clone)]
pub struct OptionsPlan {
    /// Type name.
    pub name: String,
    /// Fields.
    pub params: Vec<QueryParam>,
}

/// A method generated for a fixed query value such as `action=ADD_TO_LIST`.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Method name.
    pub method: String,
    /// Query parameter.
    pub param: String,
    /// Fixed value.
    pub value: String,
}

/// One generated operation.
#[derive(Debug)]
pub struct OpPlan {
    /// The catalog operation.
    pub op: Operation,
    /// Method name.
    pub method: String,
    /// Parameters the caller passes, in path order.
    pub path_params: Vec<PathParam>,
    /// Request body.
    pub body: Option<BodyPlan>,
    /// Response reading, for calls that are not lists.
    pub response: ResponsePlan,
    /// The list builder, for list calls.
    pub list: Option<ListPlan>,
    /// Options struct of a call that is not a list, and whether it is shared.
    pub options: Option<OptionsPlan>,
    /// True when the options struct is one of the shared ones.
    pub shared_options: bool,
    /// Methods for fixed query values.
    pub variants: Vec<Variant>,
    /// True when the call is sent without credentials.
    pub unauthenticated: bool,
    /// True when a PUT whose response is not JSON is followed by a GET of the same path.
    pub get_back: bool,
    /// Largest number of ids per request of a bulk delete, from the operation's note.
    pub chunk: Option<usize>,
}

/// Builds the plan of one product.
pub fn build(
    product: &'static Product,
    catalog: &Catalog,
    hand: &HandWritten,
) -> Result<Plan, String> {
    let models = catalog.parsed_models()?;
    let model_map: BTreeMap<&str, &Model> = models
        .iter()
        .map(|(name, model)| (name.as_str(), model))
        .collect();

    // Type names: models first, so that they keep their catalog names.
    let mut types = Unique::with_reserved(&["Api", "OperationInfo", "Request", "Result"]);
    let mut model_names = BTreeMap::new();
    for (name, _) in &models {
        model_names.insert(name.clone(), types.claim(&names::type_name(name), ""));
    }

    let modules_by_group = group_modules(catalog);
    let model_modules = place_models(catalog, &model_map, &modules_by_group);
    let boxed = boxed_fields(&model_map);

    let mut model_plans = Vec::new();
    for (name, model) in &models {
        let rust = model_names[name].clone();
        let module = model_modules
            .get(name.as_str())
            .cloned()
            .unwrap_or_else(|| UNREFERENCED_MODULE.to_owned());
        let mut plan = ModelPlan {
            catalog: name.clone(),
            rust: rust.clone(),
            module,
            fields: Vec::new(),
            enums: Vec::new(),
            inferred: model.types_inferred,
        };
        let mut idents = Unique::with_reserved(&["extra"]);
        for field in &model.fields {
            let corrected;
            let field = match crate::overrides::field_override(product.key, name, &field.json) {
                Some(correction) => {
                    let mut changed = field.clone();
                    changed.ty = correction.ty.to_owned();
                    changed.note = Some(match &field.note {
                        Some(note) => format!("{note} {}", correction.reason),
                        None => correction.reason.to_owned(),
                    });
                    corrected = changed;
                    &corrected
                }
                None => field,
            };
            let ident = names::ident(&idents.claim(&names::snake(&field.json), "_"));
            let ty = TypeRef::of_field(field);
            let mut enum_name = None;
            if let Some(values) = field.enum_values.as_ref().filter(|v| !v.is_empty()) {
                let enum_rust = types.claim(&format!("{rust}{}", names::camel(&field.json)), "");
                plan.enums.push(enum_plan(&enum_rust, &rust, field, values));
                enum_name = Some(enum_rust);
            }
            let is_boxed = boxed.contains(&(name.clone(), field.json.clone()));
            let rust_ty = field_type(
                &ty,
                enum_name.as_deref(),
                field.string_encoded_number,
                is_boxed,
                &model_names,
            )
            .map_err(|problem| format!("model {name}, field {:?}: {problem}", field.json))?;
            plan.fields.push(FieldPlan {
                wire: field.json.clone(),
                ident,
                rust_ty,
                ty,
                enum_sample: field.enum_values.as_ref().and_then(|v| v.first().cloned()),
                number_string: field.string_encoded_number,
                doc: field_doc(field),
            });
        }
        model_plans.push(plan);
    }

    let mut modules = Vec::new();
    for resource in &catalog.resources {
        let module = modules_by_group[&resource.group].clone();
        if !modules.contains(&module) {
            modules.push(module);
        }
    }
    if model_plans.iter().any(|m| m.module == UNREFERENCED_MODULE) {
        modules.push(UNREFERENCED_MODULE.to_owned());
    }

    let option_sets = shared_option_sets(catalog);
    let mut shared_options: BTreeMap<Vec<String>, OptionsPlan> = BTreeMap::new();
    let mut client_methods: BTreeSet<String> = hand.client_methods.clone();
    let mut resources = Vec::new();
    for resource in &catalog.resources {
        let module = modules_by_group[&resource.group].clone();
        let hand_written: Vec<String> = resource
            .operations
            .iter()
            .filter(|op| hand.covers(&resource.name, &op.name))
            .map(|op| op.name.clone())
            .collect();
        let base_method = names::ident(&resource.name);
        let client_method = if !client_methods.contains(&base_method) {
            base_method
        } else if hand_written.is_empty() {
            format!("{}_api", resource.name)
        } else {
            format!("{}_more", resource.name)
        };
        client_methods.insert(client_method.clone());
        let handle = types.claim(&format!("{}Api", handle_stem(&client_method)), "");
        let access = access_of(resource);
        let string_id = product.string_ids || resource_uses_string_ids(resource, &model_map);

        let mut method_names = Unique::with_reserved(&["new"]);
        let mut ops = Vec::new();
        for op in &resource.operations {
            if hand.covers(&resource.name, &op.name) {
                continue;
            }
            let context = OpContext {
                product,
                resource_name: &resource.name,
                group: &resource.group,
                access: &access,
                string_id,
                model_names: &model_names,
                option_sets: &option_sets,
                resource_ops: &resource.operations,
            };
            let op = crate::overrides::corrected_operation(product.key, &resource.name, op);
            let plan = op_plan(
                &context,
                &op,
                &mut types,
                &mut method_names,
                &mut shared_options,
            )?;
            ops.push(plan);
        }
        resources.push(ResourcePlan {
            name: resource.name.clone(),
            module,
            handle,
            client_method,
            summary: resource.summary.clone(),
            access,
            ops,
            hand_written,
        });
    }

    let modules = crate::layout::split_modules(&mut model_plans, &resources, &modules);

    Ok(Plan {
        product,
        models: model_plans,
        resources,
        modules,
        shared_options: shared_options.into_values().collect(),
    })
}

/// Returns the camel-case stem of a handle name for a client method name.
fn handle_stem(client_method: &str) -> String {
    names::camel(client_method.trim_start_matches("r#"))
}

/// Maps each group to its module name.
fn group_modules(catalog: &Catalog) -> BTreeMap<String, String> {
    let mut modules = BTreeMap::new();
    for resource in &catalog.resources {
        let mut module = names::snake(&resource.group);
        if RESERVED_MODULES.contains(&module.as_str()) || names::ident(&module) != module {
            module.push_str("_api");
        }
        modules.entry(resource.group.clone()).or_insert(module);
    }
    modules
}

/// Places each model in the module of the first resource that uses it, directly or through
/// the fields of another model.
fn place_models(
    catalog: &Catalog,
    models: &BTreeMap<&str, &Model>,
    modules_by_group: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut placed: BTreeMap<String, String> = BTreeMap::new();
    for resource in &catalog.resources {
        let module = &modules_by_group[&resource.group];
        for op in &resource.operations {
            for text in [&op.body, &op.response].into_iter().flatten() {
                let mut queue: Vec<String> = TypeRef::parse(text)
                    .model()
                    .map(str::to_owned)
                    .into_iter()
                    .collect();
                while let Some(name) = queue.pop() {
                    let Some(model) = models.get(name.as_str()) else {
                        continue;
                    };
                    if placed.contains_key(&name) {
                        continue;
                    }
                    placed.insert(name.clone(), module.clone());
                    for field in &model.fields {
                        if let Some(inner) = TypeRef::of_field(field).model() {
                            queue.push(inner.to_owned());
                        }
                    }
                }
            }
        }
    }
    placed
}

/// Returns the (model, field) pairs that must be boxed: direct (not array) model fields that
/// lead back to their own model through other direct model fields.
fn boxed_fields(models: &BTreeMap<&str, &Model>) -> BTreeSet<(String, String)> {
    let direct = |name: &str| -> Vec<String> {
        models
            .get(name)
            .map(|model| {
                model
                    .fields
                    .iter()
                    .filter_map(|field| match TypeRef::of_field(field) {
                        TypeRef::Model(target) => Some(target),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(direct(&name));
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for (name, model) in models {
        for field in &model.fields {
            if let TypeRef::Model(target) = TypeRef::of_field(field)
                && reaches(&target, name)
            {
                boxed.insert(((*name).to_owned(), field.json.clone()));
            }
        }
    }
    boxed
}

/// Returns the Rust type of a field, without the `Option`.
fn field_type(
    ty: &TypeRef,
    enum_name: Option<&str>,
    number_string: bool,
    boxed: bool,
    model_names: &BTreeMap<String, String>,
) -> Result<String, String> {
    Ok(match ty {
        TypeRef::String => match (enum_name, number_string) {
            (Some(name), _) => name.to_owned(),
            (None, true) => "zscaler_core::NumberString".to_owned(),
            (None, false) => "String".to_owned(),
        },
        TypeRef::Array(inner) => format!(
            "Vec<{}>",
            field_type(inner, enum_name, number_string, false, model_names)?
        ),
        TypeRef::Model(name) => {
            let rust = model_names
                .get(name)
                .ok_or_else(|| format!("unknown model {name:?}"))?;
            if boxed {
                format!("Box<{rust}>")
            } else {
                rust.clone()
            }
        }
        other => primitive_type(other).to_owned(),
    })
}

/// Returns the Rust type of a primitive catalog type.
pub fn primitive_type(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Integer => "i64",
        TypeRef::Number => "f64",
        TypeRef::Boolean => "bool",
        TypeRef::Object => "serde_json::Map<String, serde_json::Value>",
        _ => "serde_json::Value",
    }
}

/// Returns the doc comment of a field: its wire name and type, then the catalog's notes.
fn field_doc(field: &Field) -> String {
    let ty = match (field.ty.as_str(), &field.items) {
        ("array", Some(items)) => format!("array of {items}"),
        (ty, _) => ty.to_owned(),
    };
    let mut doc = format!("`{}` ({ty}", field.json.escape_default());
    if field.string_encoded_number {
        doc.push_str(", a number sent as a string");
    }
    if let Some(format) = &field.format {
        doc.push_str(&format!(", {format}"));
    }
    doc.push_str(").");
    if let Some(values) = &field.enum_values {
        let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        doc.push_str(&format!(" Known values: {}.", listed.join(", ")));
    }
    if let Some(hint) = &field.values_hint {
        doc.push_str(&format!(" Values: `{hint}`."));
    }
    if field.read_only {
        doc.push_str(" Read-only: the server sets it.");
    }
    if field.sources == ["python"] {
        doc.push_str(" Known from the Python SDK only.");
    }
    if let Some(note) = &field.note {
        doc.push(' ');
        doc.push_str(note);
    }
    doc
}

/// Builds the enum of a field with known values.
fn enum_plan(rust: &str, model: &str, field: &Field, values: &[String]) -> EnumPlan {
    let mut variant_names = Unique::with_reserved(&["Unknown"]);
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .filter(|value| seen.insert((*value).clone()))
        .map(|value| (variant_names.claim(&names::camel(value), ""), value.clone()))
        .collect();
    EnumPlan {
        rust: rust.to_owned(),
        doc: format!(
            "Values of `{}` in [`{model}`].",
            field.json.escape_default()
        ),
        variants,
    }
}

/// Returns how a resource reaches its server.
fn access_of(resource: &crate::spec::Resource) -> Access {
    let Some(base_url) = &resource.base_url else {
        return Access::Client;
    };
    let keyed = resource
        .operations
        .iter()
        .any(|op| op.query.iter().any(|q| q == "api_token"));
    if resource.group == "auth" || keyed {
        Access::Unauthenticated {
            base_url: base_url.clone(),
        }
    } else {
        Access::Bearer {
            base_url: base_url.clone(),
        }
    }
}

/// Returns true when the resource's models give `id` a string type (ZIA URL categories,
/// network applications, SCIM).
fn resource_uses_string_ids(
    resource: &crate::spec::Resource,
    models: &BTreeMap<&str, &Model>,
) -> bool {
    resource.operations.iter().any(|op| {
        op.path.contains("{id}")
            && [&op.response, &op.body]
                .into_iter()
                .flatten()
                .filter_map(|text| TypeRef::parse(text).model().map(str::to_owned))
                .filter_map(|name| models.get(name.as_str()).copied())
                .any(|model| {
                    model
                        .fields
                        .iter()
                        .any(|field| field.json == "id" && field.ty == "string")
                })
    })
}

/// Returns the query parameter sets shared by several calls that are not lists, so that
/// they get one options struct instead of one each.
fn shared_option_sets(catalog: &Catalog) -> BTreeSet<Vec<String>> {
    let mut counts: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for resource in &catalog.resources {
        for op in &resource.operations {
            if is_list(op) {
                continue;
            }
            let params = call_query(op);
            if !params.is_empty() && params.len() <= 2 {
                *counts.entry(params).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .map(|(params, _)| params)
        .collect()
}

/// Returns true when the operation becomes a list builder.
pub fn is_list(op: &Operation) -> bool {
    if op.pagination != "none" {
        return true;
    }
    op.method == "GET"
        && op
            .response
            .as_deref()
            .is_some_and(|r| matches!(TypeRef::parse(r), TypeRef::Array(_)))
}

/// Returns the query parameters of a call that is not a list, without those that repeat a
/// path parameter.
pub fn call_query(op: &Operation) -> Vec<String> {
    op.query
        .iter()
        .filter(|q| !op.path.contains(&format!("{{{q}}}")))
        .cloned()
        .collect()
}

/// Facts about the resource that `op_plan` uses.
pub struct OpContext<'a> {
    pub product: &'static Product,
    pub resource_name: &'a str,
    pub group: &'a str,
    pub access: &'a Access,
    pub string_id: bool,
    pub model_names: &'a BTreeMap<String, String>,
    pub option_sets: &'a BTreeSet<Vec<String>>,
    pub resource_ops: &'a [Operation],
}
