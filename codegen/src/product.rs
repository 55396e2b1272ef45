//! What differs between the two products: crate, client, page formats, ids and paths.

/// Settings of one product crate.
#[derive(Debug)]
pub struct Product {
    /// Catalog key and file stem: `zia` or `zpa`.
    pub key: &'static str,
    /// Upper-case name used in docs: `ZIA` or `ZPA`.
    pub title: &'static str,
    /// Crate folder relative to the workspace root.
    pub crate_dir: &'static str,
    /// Crate name as used in `use` paths of integration tests.
    pub crate_name: &'static str,
    /// The client type the resource methods are added to.
    pub client: &'static str,
    /// Variable name of a client in docs and tests.
    pub client_var: &'static str,
    /// The hand-written page format of the product's paged lists.
    pub page_format: &'static str,
    /// Page size sent when the caller sets none.
    pub default_page_size: u32,
    /// Largest page size when the catalog states none for a paged list.
    pub fallback_max_page_size: u32,
    /// Query parameters the product's own paging sends, never offered as filters.
    pub paging_query: &'static [&'static str],
    /// True when every `{id}` is a string (ZPA); false when ids are integers unless the
    /// resource's model says otherwise (ZIA).
    pub string_ids: bool,
    /// Path parameter filled from the client rather than passed by the caller.
    pub tenant_param: Option<&'static str>,
}

/// Zscaler Internet Access.
pub const ZIA: Product = Product {
    key: "zia",
    title: "ZIA",
    crate_dir: "crates/zscaler-zia",
    crate_name: "zscaler_zia",
    client: "ZiaClient",
    client_var: "zia",
    page_format: "crate::pagination::ZiaPages",
    default_page_size: 100,
    // NOTE: ZIA states no maximum for most lists. 10,000 is the largest any ZIA list is
    // documented to serve (`/users`); the server caps larger requests silently and the
    // listing then ends on an empty page, so a lower real cap only costs more pages.
    fallback_max_page_size: 10_000,
    paging_query: &["page", "pageSize"],
    string_ids: false,
    tenant_param: None,
};

/// Zscaler Private Access.
pub const ZPA: Product = Product {
    key: "zpa",
    title: "ZPA",
    crate_dir: "crates/zscaler-zpa",
    crate_name: "zscaler_zpa",
    client: "ZpaClient",
    client_var: "zpa",
    page_format: "crate::pagination::ZpaPageFormat",
    default_page_size: 20,
    fallback_max_page_size: 500,
    paging_query: &["page", "pagesize"],
    string_ids: true,
    tenant_param: Some("customerId"),
};

/// Both products, in the order they are generated.
pub const PRODUCTS: [&Product; 2] = [&ZIA, &ZPA];

impl Product {
    /// Returns the query parameters a list of this pagination sends itself.
    pub fn paging_params(&self, pagination: &str) -> &'static [&'static str] {
        match pagination {
            "zia_page" | "zpa_page" => self.paging_query,
            "scim" => &["startIndex", "count"],
            "page_id" => &["pageSize", "pageId"],
            _ => &[],
        }
    }

    /// Returns the catalog path of this product's catalog, relative to the workspace root.
    pub fn catalog_path(&self) -> String {
        format!("spec/{}.json", self.key)
    }

    /// Returns the folder of the generated module tree, relative to the workspace root.
    pub fn generated_dir(&self) -> String {
        format!("{}/src/generated", self.crate_dir)
    }
}
