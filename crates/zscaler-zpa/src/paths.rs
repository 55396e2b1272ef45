//! Every ZPA API path is built here, from one of the service bases and the tenant's customer
//! id, so that the resource modules never write a path by hand.
//!
//! ```
//! use zscaler_zpa::paths::{ApiBase, Paths};
//!
//! let paths = Paths::new("216196257331281920");
//! assert_eq!(
//!     paths.item(ApiBase::MgmtConfigV1, "segmentGroup", "72 58"),
//!     "/mgmtconfig/v1/admin/customers/216196257331281920/segmentGroup/72%2058",
//! );
//! ```

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are in a path segment: the unreserved set of RFC 3986. Everything
/// else, `/` included, is percent-encoded, so an id can never change the path's shape.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The path of the legacy token exchange.
pub const SIGNIN: &str = "/signin";

/// A ZPA service root. Each resource lives under one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiBase {
    /// `/mgmtconfig/v1/admin/customers/{customerId}`: most configuration resources.
    MgmtConfigV1,
    /// `/mgmtconfig/v1/admin/customers/{customerId}/v2`: the v2 policy rule paths.
    MgmtConfigV1V2,
    /// `/mgmtconfig/v2/admin/customers/{customerId}`: v2 variants such as segment group updates.
    MgmtConfigV2,
    /// `/mgmtconfig/v1/customers/{customerId}`: the few paths without `admin`.
    MgmtConfigV1Customer,
    /// `/mgmtconfig/v2/admin`: tenant-independent lists (log streaming client types, formats).
    MgmtConfigV2Global,
    /// `/cbiconfig/cbi/api/customers/{customerId}`: cloud browser isolation.
    CbiConfig,
    /// `/userconfig/v1/customers/{customerId}`: SCIM groups and attributes.
    UserConfig,
    /// `/waap-pra-config/v1/admin/customers/{customerId}`: privileged remote access.
    WaapPraConfig,
}

impl ApiBase {
    /// Returns the base with `{customerId}` where the tenant id goes.
    pub fn template(self) -> &'static str {
        match self {
            ApiBase::MgmtConfigV1 => "/mgmtconfig/v1/admin/customers/{customerId}",
            ApiBase::MgmtConfigV1V2 => "/mgmtconfig/v1/admin/customers/{customerId}/v2",
            ApiBase::MgmtConfigV2 => "/mgmtconfig/v2/admin/customers/{customerId}",
            ApiBase::MgmtConfigV1Customer => "/mgmtconfig/v1/customers/{customerId}",
            ApiBase::MgmtConfigV2Global => "/mgmtconfig/v2/admin",
            ApiBase::CbiConfig => "/cbiconfig/cbi/api/customers/{customerId}",
            ApiBase::UserConfig => "/userconfig/v1/customers/{customerId}",
            ApiBase::WaapPraConfig => "/waap-pra-config/v1/admin/customers/{customerId}",
        }
    }
}

// NOTE: SCIM 2.0 endpoints live on a separate host (`scim1.<cloud domain>/scim/1`), so they
// are not an `ApiBase`. A resource module that adds them needs its own base URL.

/// Builds the paths of one tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    customer_id: String,
}

impl Paths {
    /// Creates the path builder of a tenant. The customer id is percent-encoded where it is
    /// inserted, though a valid one is all digits.
    pub fn new(customer_id: impl Into<String>) -> Self {
        Paths {
            customer_id: customer_id.into(),
        }
    }

    /// Returns the customer id.
    pub fn customer_id(&self) -> &str {
        &self.customer_id
    }

    /// Returns the root of a service for this tenant, such as
    /// `/mgmtconfig/v1/admin/customers/216196257331281920`.
    pub fn base(&self, base: ApiBase) -> String {
        base.template()
            .replace("{customerId}", &encode_segment(&self.customer_id))
    }

    /// Returns the path of a collection. `collection` is a fixed path from the API reference
    /// such as `application` or `inspectionControls/custom`, and is not encoded.
    pub fn collection(&self, base: ApiBase, collection: &str) -> String {
        format!("{}/{}", self.base(base), collection.trim_matches('/'))
    }

    /// Returns the path of one item of a collection, with the id percent-encoded.
    pub fn item(&self, base: ApiBase, collection: &str, id: &str) -> String {
        format!(
            "{}/{}",
            self.collection(base, collection),
            encode_segment(id)
        )
    }
}

/// Percent-encodes one path segment (an id or a name) so that it stays one segment.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUSTOMER: &str = "216196257331281920";

    #[test]
    fn bases_insert_customer_id() {
        let paths = Paths::new(CUSTOMER);
        let cases = [
            (
                ApiBase::MgmtConfigV1,
                "/mgmtconfig/v1/admin/customers/216196257331281920",
            ),
            (
                ApiBase::MgmtConfigV1V2,
                "/mgmtconfig/v1/admin/customers/216196257331281920/v2",
            ),
            (
                ApiBase::MgmtConfigV2,
                "/mgmtconfig/v2/admin/customers/216196257331281920",
            ),
            (
                ApiBase::MgmtConfigV1Customer,
                "/mgmtconfig/v1/customers/216196257331281920",
            ),
            (ApiBase::MgmtConfigV2Global, "/mgmtconfig/v2/admin"),
            (
                ApiBase::CbiConfig,
                "/cbiconfig/cbi/api/customers/216196257331281920",
            ),
            (
                ApiBase::UserConfig,
                "/userconfig/v1/customers/216196257331281920",
            ),
            (
                ApiBase::WaapPraConfig,
                "/waap-pra-config/v1/admin/customers/216196257331281920",
            ),
        ];
        for (base, expected) in cases {
            assert_eq!(paths.base(base), expected, "{base:?}");
        }
    }

    #[test]
    fn collection_and_item() {
        let paths = Paths::new(CUSTOMER);
        assert_eq!(
            paths.collection(ApiBase::MgmtConfigV1, "application"),
            "/mgmtconfig/v1/admin/customers/216196257331281920/application"
        );
        assert_eq!(
            paths.item(ApiBase::MgmtConfigV1, "serverGroup", "216196257331404638"),
            "/mgmtconfig/v1/admin/customers/216196257331281920/serverGroup/216196257331404638"
        );
    }

    #[test]
    fn ids_are_encoded_as_one_segment() {
        assert_eq!(encode_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode_segment("../x"), "..%2Fx");
        assert_eq!(encode_segment("ok-1.2_3~"), "ok-1.2_3~");
        assert_eq!(encode_segment("é"), "%C3%A9");
    }
}
