//! The embedded API catalogs, compiled into route templates with a behaviour per operation.
//!
//! Every operation of `spec/zia.json` and `spec/zpa.json` becomes an [`Operation`] whose
//! [`OpKind`] selects how the generic handlers serve it: a list of a collection, an item of a
//! collection, a projection such as `/lite`, a settings object, or an action that only echoes.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

mod compile;

const ZIA_CATALOG: &str = include_str!("../../../spec/zia.json");
const ZPA_CATALOG: &str = include_str!("../../../spec/zpa.json");

/// The product an operation or request belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Product {
    /// Zscaler Internet Access.
    Zia,
    /// Zscaler Private Access.
    Zpa,
}

/// One segment of a path template.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Segment {
    /// A fixed segment that must match exactly.
    Literal(String),
    /// A `{name}` segment that captures any value.
    Param(String),
}

/// The pagination style the catalog gives an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pagination {
    /// One request returns everything.
    None,
    /// ZIA `page` and `pageSize` with a bare JSON array.
    ZiaPage,
    /// ZPA `page` and `pagesize` with the `{totalPages,totalCount,list}` envelope.
    ZpaPage,
    /// ZPA `POST .../search` with a `pageBy` body and the ZPA envelope.
    PostSearch,
    /// ZPA emergency access cursor paging with `pageSize`, `pageId` and `{items,nextPage}`.
    PageId,
}

/// Behaviour of the generic handlers for an operation. Collection templates are relative to
/// the product base (`/api/v1` for ZIA, the customer base for ZPA).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OpKind {
    /// Lists the collection.
    List(Vec<Segment>),
    /// Lists the collection projected to ids and names (`/lite`, `/summary`, `/references`).
    Lite(Vec<Segment>),
    /// Reads one item of the collection projected to its id and name (`/lite/{id}`).
    LiteGet(Vec<Segment>),
    /// Returns the number of items in the collection (`/count`).
    Count(Vec<Segment>),
    /// Reads the item named by the last path segment.
    Get(Vec<Segment>),
    /// Adds an item to the collection.
    Create(Vec<Segment>),
    /// Replaces the item named by the last path segment.
    Update(Vec<Segment>),
    /// Replaces the item whose id is in the request body (`PUT /extranet`).
    UpdateByBodyId(Vec<Segment>),
    /// Removes the item named by the last path segment.
    Delete(Vec<Segment>),
    /// Removes the items listed in the body's `ids`.
    BulkDelete(Vec<Segment>),
    /// Lists the collection filtered and paged by a ZPA search request body.
    PostSearch(Vec<Segment>),
    /// Reads or replaces a settings object stored at the request path.
    Singleton,
    /// Any other call: reads return an empty value, writes echo their body.
    Action,
}

/// One compiled operation of a catalog.
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    /// Catalog resource name, e.g. `users`.
    pub resource: String,
    /// Catalog operation name, e.g. `list`.
    pub name: String,
    /// HTTP method in upper case.
    pub method: String,
    /// The full template matched against request paths (ZIA: relative to `/api/v1`).
    pub segments: Vec<Segment>,
    /// Number of leading segments that form the ZPA customer base (0 for ZIA).
    pub base_len: usize,
    /// Pagination style.
    pub pagination: Pagination,
    /// Per-endpoint maximum page size from the catalog.
    pub max_page_size: Option<usize>,
    /// Query parameter names the SDKs send to this operation.
    pub query: Vec<String>,
    /// Whether the catalog gives an array response (`Model[]`).
    pub response_array: bool,
    /// Whether the catalog gives any response body at all.
    pub has_response: bool,
    /// The catalog's response type, e.g. `Users[]`, `boolean` or a model name.
    pub response: Option<String>,
    /// Scalar fields of the response model, used to apply query filters of the same name.
    pub filter_fields: HashMap<String, FieldType>,
    /// The key holding an item's id (`id` for almost every model).
    pub id_field: String,
    /// Behaviour of the generic handlers for this operation.
    pub kind: OpKind,
}

impl Operation {
    /// Returns the value served for a read that has no stored data: `false`, `0`, `""` or
    /// `[]` for those response types, else an empty object.
    pub fn empty_response(&self) -> Value {
        match self.response.as_deref() {
            Some("boolean") => Value::Bool(false),
            Some("integer" | "number") => Value::from(0),
            Some("string" | "raw") => Value::String(String::new()),
            Some(response) if response.ends_with("[]") => Value::Array(Vec::new()),
            _ => Value::Object(serde_json::Map::new()),
        }
    }
}

/// The type of a scalar model field, which decides how a query filter compares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldType {
    /// Compared as a case-insensitive substring.
    Text,
    /// Compared for equality of the text form (`true`, `42`).
    Exact,
}

/// A request path matched to an operation, with the captured path parameters.
#[derive(Debug)]
pub(crate) struct RouteMatch<'a> {
    /// The matched operation.
    pub op: &'a Operation,
    /// Captured `{name}` values in path order.
    pub params: Vec<(String, String)>,
}

impl RouteMatch<'_> {
    /// Returns the value captured for a path parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Builds the concrete collection key of a template from the captured parameters.
    ///
    /// Returns `None` when the template needs a parameter that the request path did not carry.
    pub fn key_of(&self, template: &[Segment]) -> Option<String> {
        let mut key = String::new();
        for segment in template {
            key.push('/');
            match segment {
                Segment::Literal(text) => key.push_str(text),
                Segment::Param(name) => key.push_str(self.param(name)?),
            }
        }
        if key.is_empty() {
            key.push('/');
        }
        Some(key)
    }

    /// Returns the last path segment of the request, the item id of item operations.
    pub fn last_value(&self) -> Option<&str> {
        match self.op.segments.last()? {
            Segment::Param(name) => self.param(name),
            Segment::Literal(_) => None,
        }
    }

    /// Returns the concrete request path after the product base, e.g. `/application/42`.
    pub fn relative_path(&self) -> String {
        let rest = &self.op.segments[self.op.base_len..];
        self.key_of(rest).unwrap_or_else(|| "/".to_string())
    }
}

/// The compiled operations of one product.
#[derive(Debug)]
pub(crate) struct ProductCatalog {
    /// Every operation, catalog ones first, then the synthesised item operations.
    pub operations: Vec<Operation>,
    by_shape: HashMap<(String, usize), Vec<usize>>,
}

impl ProductCatalog {
    /// Indexes operations by method and segment count.
    fn new(operations: Vec<Operation>) -> Self {
        let mut by_shape: HashMap<(String, usize), Vec<usize>> = HashMap::new();
        for (index, op) in operations.iter().enumerate() {
            by_shape
                .entry((op.method.clone(), op.segments.len()))
                .or_default()
                .push(index);
        }
        Self {
            operations,
            by_shape,
        }
    }

    /// Finds the most specific operation for a method and a path split into decoded segments.
    ///
    /// A literal segment beats a parameter at the first position where two templates differ,
    /// so `/users/auditors` wins over `/users/{id}`.
    pub fn find(&self, method: &str, path: &[String]) -> Option<RouteMatch<'_>> {
        let candidates = self.by_shape.get(&(method.to_string(), path.len()))?;
        let mut best: Option<(&Operation, Vec<bool>)> = None;
        for &index in candidates {
            let op = &self.operations[index];
            if !template_matches(&op.segments, path) {
                continue;
            }
            let score: Vec<bool> = op
                .segments
                .iter()
                .map(|segment| matches!(segment, Segment::Literal(_)))
                .collect();
            if best
                .as_ref()
                .is_none_or(|(_, best_score)| score > *best_score)
            {
                best = Some((op, score));
            }
        }
        let (op, _) = best?;
        let params = op
            .segments
            .iter()
            .zip(path)
            .filter_map(|(segment, value)| match segment {
                Segment::Param(name) => Some((name.clone(), value.clone())),
                Segment::Literal(_) => None,
            })
            .collect();
        Some(RouteMatch { op, params })
    }

    /// Reports whether any method serves this path, to tell 405 from 404.
    pub fn path_exists(&self, path: &[String]) -> bool {
        self.operations
            .iter()
            .any(|op| template_matches(&op.segments, path))
    }
}

/// Both compiled catalogs.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// ZIA operations, templates relative to `/api/v1`.
    pub zia: ProductCatalog,
    /// ZPA operations, templates written in full.
    pub zpa: ProductCatalog,
}

impl Catalog {
    /// Returns the catalogs compiled once per process.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog {
            zia: compile::compile(Product::Zia, ZIA_CATALOG),
            zpa: compile::compile(Product::Zpa, ZPA_CATALOG),
        })
    }

    /// Returns the catalog of one product.
    pub fn product(&self, product: Product) -> &ProductCatalog {
        match product {
            Product::Zia => &self.zia,
            Product::Zpa => &self.zpa,
        }
    }
}

/// Splits a path into percent-decoded segments, ignoring empty ones.
pub(crate) fn split_path(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

fn template_matches(template: &[Segment], path: &[String]) -> bool {
    template.len() == path.len()
        && template
            .iter()
            .zip(path)
            .all(|(segment, value)| match segment {
                Segment::Literal(text) => text == value,
                Segment::Param(_) => true,
            })
}

fn parse_template(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            match segment
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'))
            {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(segment.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        split_path(text)
    }

    #[test]
    fn zia_users_kinds() {
        let catalog = &Catalog::get().zia;
        let list = catalog.find("GET", &path("/users")).expect("users list");
        assert_eq!(list.op.kind, OpKind::List(parse_template("/users")));
        assert_eq!(list.op.max_page_size, Some(10_000));
        let item = catalog.find("GET", &path("/users/42")).expect("users get");
        assert_eq!(item.op.kind, OpKind::Get(parse_template("/users")));
        assert_eq!(item.last_value(), Some("42"));
        let auditors = catalog
            .find("GET", &path("/users/auditors"))
            .expect("auditors");
        assert_eq!(auditors.op.name, "get_all_auditors");
        let bulk = catalog
            .find("POST", &path("/users/bulkDelete"))
            .expect("bulk delete");
        assert_eq!(bulk.op.kind, OpKind::BulkDelete(parse_template("/users")));
    }

    #[test]
    fn zia_projections() {
        let catalog = &Catalog::get().zia;
        let lite = catalog
            .find("GET", &path("/departments/lite"))
            .expect("lite");
        assert_eq!(lite.op.kind, OpKind::Lite(parse_template("/departments")));
        let lite_get = catalog
            .find("GET", &path("/departments/lite/7"))
            .expect("lite get");
        assert_eq!(
            lite_get.op.kind,
            OpKind::LiteGet(parse_template("/departments"))
        );
        let count = catalog
            .find("GET", &path("/locations/groups/count"))
            .expect("count");
        assert_eq!(
            count.op.kind,
            OpKind::Count(parse_template("/locations/groups"))
        );
        let own = catalog
            .find("GET", &path("/appServices/lite"))
            .expect("app services");
        assert_eq!(
            own.op.kind,
            OpKind::List(parse_template("/appServices/lite"))
        );
        let settings = catalog
            .find("GET", &path("/advancedSettings"))
            .expect("settings");
        assert_eq!(settings.op.kind, OpKind::Singleton);
    }

    #[test]
    fn zpa_versions_share_collection() {
        let catalog = &Catalog::get().zpa;
        let list = catalog
            .find(
                "GET",
                &path("/mgmtconfig/v2/admin/customers/1/samlAttribute"),
            )
            .expect("list");
        let get = catalog
            .find(
                "GET",
                &path("/mgmtconfig/v1/admin/customers/1/samlAttribute/5"),
            )
            .expect("get");
        assert_eq!(list.op.kind, OpKind::List(parse_template("/samlAttribute")));
        assert_eq!(get.op.kind, OpKind::Get(parse_template("/samlAttribute")));
        assert_eq!(get.param("customerId"), Some("1"));
    }

    #[test]
    fn zpa_singular_joins_plural() {
        let catalog = &Catalog::get().zpa;
        let create = catalog
            .find(
                "POST",
                &path("/mgmtconfig/v1/admin/customers/1/emergencyAccess/user"),
            )
            .expect("create");
        assert_eq!(
            create.op.kind,
            OpKind::Create(parse_template("/emergencyAccess/users"))
        );
        assert_eq!(create.op.id_field, "userId");
        let banner = catalog
            .find("POST", &path("/cbiconfig/cbi/api/customers/1/banner"))
            .expect("banner");
        assert_eq!(banner.op.kind, OpKind::Create(parse_template("/banners")));
    }

    #[test]
    fn generic_item_operations_added() {
        let catalog = &Catalog::get().zia;
        let get = catalog
            .find("GET", &path("/pacFiles/3"))
            .expect("synthesised get");
        assert_eq!(get.op.kind, OpKind::Get(parse_template("/pacFiles")));
    }
}
