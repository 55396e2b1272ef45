
/// The connection of a generated ZIA handle: a service and the path prefix of the API.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    service: Service,
    prefix: &'static str,
}

impl Api {
    /// Sends through the client's authenticated service, under `/api/v1`.
    pub(crate) fn from_client(client: &crate::ZiaClient) -> Self {
        Api {
            service: client.service().clone(),
            prefix: crate::cloud::API_PREFIX,
        }
    }

    /// Sends to a resource on its own host: paths are appended to `base_url` as they are.
    pub(crate) fn detached(base_url: &str, token: Option<Secret>) -> Result<Self> {
        Ok(Api {
            service: detached_service(Product::Zia, base_url, token)?,
            prefix: "",
        })
    }

    /// Returns the prefix of every path, such as `/api/v1`.
    pub(crate) fn prefix(&self) -> &'static str {
        self.prefix
    }
}
