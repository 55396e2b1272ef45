
/// The connection of a generated ZPA handle: a service, the tenant's customer id and the
/// client's default microtenant.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    service: Service,
    customer_id: String,
    microtenant_id: Option<String>,
}

impl Api {
    /// Sends through the client's authenticated service, for the client's tenant.
    pub(crate) fn from_client(client: &crate::ZpaClient) -> Self {
        Api {
            service: client.service().clone(),
            customer_id: zscaler_core::service::encode(client.customer_id()),
            microtenant_id: client.microtenant_id().map(str::to_owned),
        }
    }

    /// Sends to a resource on its own host (SCIM): paths are appended to `base_url` as they
    /// are, and no microtenant is added.
    pub(crate) fn detached(base_url: &str, token: Option<Secret>) -> Result<Self> {
        Ok(Api {
            service: detached_service(Product::Zpa, base_url, token)?,
            customer_id: String::new(),
            microtenant_id: None,
        })
    }

    /// Returns the customer id, percent-encoded for a path.
    // NOTE: through OneAPI the Go SDK also sends `customerId` as a query parameter on paths
    // without the tenant segment (such as the log streaming client types); these calls do not.
    pub(crate) fn customer_id(&self) -> &str {
        &self.customer_id
    }

    /// Returns the microtenant to send: the one the caller set, else the client's default.
    pub(crate) fn microtenant<'a>(&'a self, explicit: Option<&'a str>) -> Option<&'a str> {
        explicit.or(self.microtenant_id.as_deref())
    }
}
