//! Compilation of a catalog JSON file into operations: parsing, the collection each
//! operation works on, its [`OpKind`], and the item operations a collection lacks.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::{
    FieldType, OpKind, Operation, Pagination, Product, ProductCatalog, Segment, parse_template,
};

/// ZPA path prefixes that contain the tenant id. Collections are keyed by the path after them.
/// A list under `/mgmtconfig/v2/...` and a get under `/mgmtconfig/v1/...` so share one
/// collection, as the real API does for SAML attributes, IdPs and posture profiles.
const ZPA_CUSTOMER_BASES: [&str; 6] = [
    "/mgmtconfig/v1/admin/customers/{customerId}",
    "/mgmtconfig/v2/admin/customers/{customerId}",
    "/mgmtconfig/v1/customers/{customerId}",
    "/cbiconfig/cbi/api/customers/{customerId}",
    "/userconfig/v1/customers/{customerId}",
    "/waap-pra-config/v1/admin/customers/{customerId}",
];

#[derive(Deserialize)]
struct RawCatalog {
    resources: Vec<RawResource>,
    models: HashMap<String, RawModel>,
}

#[derive(Deserialize)]
struct RawResource {
    name: String,
    #[serde(default)]
    base_url: Option<String>,
    operations: Vec<RawOperation>,
}

#[derive(Deserialize)]
struct RawOperation {
    name: String,
    method: String,
    path: String,
    pagination: String,
    #[serde(default)]
    max_page_size: Option<usize>,
    #[serde(default)]
    query: Vec<String>,
    #[serde(default)]
    response: Option<String>,
}

#[derive(Deserialize)]
struct RawModel {
    fields: Vec<RawField>,
}

#[derive(Deserialize)]
struct RawField {
    json: String,
    #[serde(rename = "type")]
    field_type: String,
}

/// An operation parsed from the catalog, before its kind is decided.
struct Draft {
    resource: String,
    raw: RawOperation,
    segments: Vec<Segment>,
    base_len: usize,
}

impl Draft {
    fn rest(&self) -> &[Segment] {
        &self.segments[self.base_len..]
    }

    fn param_names(&self) -> HashSet<&str> {
        self.segments
            .iter()
            .filter_map(|segment| match segment {
                Segment::Param(name) => Some(name.as_str()),
                Segment::Literal(_) => None,
            })
            .collect()
    }

    fn last_literal(&self) -> Option<&str> {
        match self.segments.last()? {
            Segment::Literal(text) => Some(text),
            Segment::Param(_) => None,
        }
    }

    fn ends_with_param(&self) -> bool {
        matches!(self.segments.last(), Some(Segment::Param(_)))
    }

    fn response_is_array(&self) -> bool {
        self.raw
            .response
            .as_deref()
            .is_some_and(|response| response.ends_with("[]"))
    }

    /// Lists of ids and names that belong to a parent collection.
    fn is_projection(&self) -> bool {
        matches!(
            self.last_literal(),
            Some("lite" | "summary" | "references" | "count")
        )
    }

    fn is_list_like(&self) -> bool {
        self.raw.method == "GET"
            && (self.raw.name == "list"
                || self.response_is_array()
                || self.raw.pagination != "none")
    }
}

pub(super) fn compile(product: Product, source: &str) -> ProductCatalog {
    let raw: RawCatalog = serde_json::from_str(source)
        .expect("the embedded catalog is valid JSON of the known shape");
    let models = raw.models;
    let mut drafts = Vec::new();
    for resource in raw.resources {
        // Resources on other hosts (SCIM, sandbox submission, OneAPI tokens) are not served.
        if resource.base_url.is_some() {
            continue;
        }
        for operation in resource.operations {
            let segments = parse_template(&operation.path);
            let base_len = match product {
                Product::Zia => 0,
                Product::Zpa => zpa_base_len(&operation.path),
            };
            drafts.push(Draft {
                resource: resource.name.clone(),
                raw: operation,
                segments,
                base_len,
            });
        }
    }

    // The list template of each resource, used to join singular item paths such as
    // `/emergencyAccess/user/{id}` to the plural list `/emergencyAccess/users`.
    let mut resource_lists: HashMap<&str, &Draft> = HashMap::new();
    for draft in &drafts {
        if draft.raw.name == "list" && draft.raw.method == "GET" {
            resource_lists.entry(&draft.resource).or_insert(draft);
        }
    }
    let canonical = |draft: &Draft, base: &[Segment]| -> Vec<Segment> {
        let crud = matches!(
            draft.raw.name.as_str(),
            "create" | "get" | "update" | "delete"
        );
        if let Some(list) = resource_lists.get(draft.resource.as_str()) {
            let list_names = list.param_names();
            if crud && list.rest() != base && list_names.is_subset(&draft.param_names()) {
                return list.rest().to_vec();
            }
        }
        base.to_vec()
    };

    let mut collections: HashSet<Vec<Segment>> = HashSet::new();
    for draft in &drafts {
        let list_like = draft.is_list_like() && !draft.is_projection();
        let create = draft.raw.method == "POST" && draft.raw.name == "create";
        if list_like || create {
            collections.insert(canonical(draft, draft.rest()));
        }
    }
    // A projection without a parent collection (e.g. `/appServices/lite`) is its own list.
    for draft in &drafts {
        if draft.is_list_like() && draft.is_projection() {
            let rest = draft.rest();
            let parent = &rest[..rest.len().saturating_sub(1)];
            if !collections.contains(parent) {
                collections.insert(rest.to_vec());
            }
        }
    }

    let mut operations: Vec<Operation> = drafts
        .iter()
        .map(|draft| {
            let kind = classify(product, draft, &collections, &canonical);
            build_operation(draft, kind, &models)
        })
        .collect();
    add_item_operations(&mut operations, &collections);

    ProductCatalog::new(operations)
}

fn zpa_base_len(path: &str) -> usize {
    ZPA_CUSTOMER_BASES
        .iter()
        .find(|base| path == **base || path.starts_with(&format!("{base}/")))
        .map(|base| parse_template(base).len())
        .unwrap_or(0)
}

fn classify(
    product: Product,
    draft: &Draft,
    collections: &HashSet<Vec<Segment>>,
    canonical: &dyn Fn(&Draft, &[Segment]) -> Vec<Segment>,
) -> OpKind {
    let rest = draft.rest();
    let parent: Vec<Segment> = rest[..rest.len().saturating_sub(1)].to_vec();
    let item_base = canonical(draft, &parent);
    let own = canonical(draft, rest);
    match draft.raw.method.as_str() {
        "GET" => {
            let last = draft.last_literal();
            if matches!(last, Some("lite" | "summary" | "references"))
                && collections.contains(&parent)
            {
                return OpKind::Lite(parent);
            }
            if last == Some("count") && product == Product::Zia && collections.contains(&parent) {
                return OpKind::Count(parent);
            }
            if draft.ends_with_param() && rest.len() >= 2 {
                let lite = Segment::Literal("lite".to_string());
                if rest[rest.len() - 2] == lite {
                    let grandparent = rest[..rest.len() - 2].to_vec();
                    if collections.contains(&grandparent) {
                        return OpKind::LiteGet(grandparent);
                    }
                }
            }
            if draft.ends_with_param()
                && !draft.response_is_array()
                && collections.contains(&item_base)
            {
                return OpKind::Get(item_base);
            }
            if draft.is_list_like() && collections.contains(&own) {
                return OpKind::List(own);
            }
            if draft.is_list_like() {
                return OpKind::Action;
            }
            OpKind::Singleton
        }
        "POST" => {
            if draft.last_literal() == Some("bulkDelete") && collections.contains(&parent) {
                return OpKind::BulkDelete(parent);
            }
            if draft.raw.pagination == "post_search" && collections.contains(&parent) {
                return OpKind::PostSearch(parent);
            }
            if draft.raw.pagination == "post_search" {
                return OpKind::PostSearch(parent);
            }
            if collections.contains(&own) {
                return OpKind::Create(own);
            }
            OpKind::Action
        }
        "PUT" => {
            if draft.ends_with_param() && collections.contains(&item_base) {
                return OpKind::Update(item_base);
            }
            if collections.contains(&own) {
                return OpKind::UpdateByBodyId(own);
            }
            if draft.ends_with_param() {
                return OpKind::Action;
            }
            OpKind::Singleton
        }
        "DELETE" => {
            if draft.ends_with_param() && collections.contains(&item_base) {
                return OpKind::Delete(item_base);
            }
            OpKind::Action
        }
        _ => OpKind::Action,
    }
}

fn build_operation(draft: &Draft, kind: OpKind, models: &HashMap<String, RawModel>) -> Operation {
    let model = draft
        .raw
        .response
        .as_deref()
        .map(|response| response.trim_end_matches("[]"))
        .and_then(|name| models.get(name));
    let mut filter_fields = HashMap::new();
    let mut id_field = "id".to_string();
    if let Some(model) = model {
        for field in &model.fields {
            let field_type = match field.field_type.as_str() {
                "string" => Some(FieldType::Text),
                "integer" | "number" | "boolean" => Some(FieldType::Exact),
                _ => None,
            };
            if let Some(field_type) = field_type {
                filter_fields.insert(field.json.clone(), field_type);
            }
        }
        // Emergency access users are keyed by `userId`; every other model has `id`.
        let has_id = model.fields.iter().any(|field| field.json == "id");
        if !has_id {
            let user_id = model.fields.iter().find(|field| field.json == "userId");
            let any_id = || model.fields.iter().find(|field| field.json.ends_with("Id"));
            if let Some(field) = user_id.or_else(any_id) {
                id_field = field.json.clone();
            }
        }
    }
    let pagination = match draft.raw.pagination.as_str() {
        "zia_page" => Pagination::ZiaPage,
        "zpa_page" => Pagination::ZpaPage,
        "post_search" => Pagination::PostSearch,
        "page_id" => Pagination::PageId,
        _ => Pagination::None,
    };
    Operation {
        resource: draft.resource.clone(),
        name: draft.raw.name.clone(),
        method: draft.raw.method.clone(),
        segments: draft.segments.clone(),
        base_len: draft.base_len,
        pagination,
        max_page_size: draft.raw.max_page_size,
        query: draft.raw.query.clone(),
        response_array: draft.response_is_array(),
        has_response: draft.raw.response.is_some(),
        response: draft.raw.response.clone(),
        filter_fields,
        id_field,
        kind,
    }
}

/// Adds `GET`, `PUT`, `DELETE` on `<collection>/{id}` and `POST` on `<collection>` wherever the
/// catalog lists a collection without them, so that every collection has the full item set.
fn add_item_operations(operations: &mut Vec<Operation>, collections: &HashSet<Vec<Segment>>) {
    let mut added = Vec::new();
    for op in operations.iter() {
        let OpKind::List(template) = &op.kind else {
            continue;
        };
        if op.segments[op.base_len..] != template[..] || !collections.contains(template) {
            continue;
        }
        let mut item_segments = op.segments.clone();
        item_segments.push(Segment::Param("id".to_string()));
        let required = [
            ("GET", item_segments.clone(), OpKind::Get(template.clone())),
            (
                "PUT",
                item_segments.clone(),
                OpKind::Update(template.clone()),
            ),
            ("DELETE", item_segments, OpKind::Delete(template.clone())),
            (
                "POST",
                op.segments.clone(),
                OpKind::Create(template.clone()),
            ),
        ];
        for (method, segments, kind) in required {
            let exists = operations
                .iter()
                .chain(added.iter())
                .any(|other: &Operation| {
                    other.method == method && shape_equal(&other.segments, &segments)
                });
            if exists {
                continue;
            }
            added.push(Operation {
                name: format!("generic_{}", method.to_lowercase()),
                method: method.to_string(),
                segments,
                pagination: Pagination::None,
                max_page_size: None,
                query: Vec::new(),
                response_array: false,
                has_response: method != "DELETE",
                response: None,
                kind,
                ..op.clone()
            });
        }
    }
    operations.extend(added);
}

fn shape_equal(left: &[Segment], right: &[Segment]) -> bool {
    left.len() == right.len()
        && left.iter().zip(right).all(|pair| match pair {
            (Segment::Literal(a), Segment::Literal(b)) => a == b,
            (Segment::Param(_), Segment::Param(_)) => true,
            _ => false,
        })
}
