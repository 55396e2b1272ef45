//! Helpers the generated handles share: sending a request and reading its response, path
//! segments, query and form values, and the connections of resources on their own host.

use std::sync::Arc;

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use zscaler_core::http::{HeaderName, HeaderValue};
use zscaler_core::{
    Authenticator, CacheSettings, ConfigError, Credentials, Error, Product, Request, Response,
    Result, Secret, Service, Transport, TransportConfig,
};

/// Percent-encodes one path segment. Rejects values that would not name one item: empty
/// ones, and `.` or `..`, which URL normalization turns into a parent path.
pub(crate) fn segment(name: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        return Err(Error::Config(ConfigError::new(format!(
            "invalid {name} {value:?}: expected a non-empty value other than `.` or `..`"
        ))));
    }
    Ok(zscaler_core::service::encode(value))
}

/// Adds a query parameter when it has a value.
pub(crate) fn query_opt(request: Request, name: &str, value: Option<&str>) -> Request {
    match value {
        Some(value) => request.query(name, value),
        None => request,
    }
}

// @@ form
/// Sets a form body from the JSON fields of `body`. Strings are sent as they are, other
/// values as their JSON text; missing and null fields are left out.
pub(crate) fn form_body<B: Serialize + ?Sized>(request: Request, body: &B) -> Result<Request> {
    let value = serde_json::to_value(body).map_err(|error| {
        Error::Config(ConfigError::new(format!(
            "failed to encode the form body of {} {}: {error}",
            request.method(),
            request.path()
        )))
    })?;
    let serde_json::Value::Object(fields) = value else {
        return Err(Error::Config(ConfigError::new(format!(
            "the form body of {} {} must be an object with named fields",
            request.method(),
            request.path()
        ))));
    };
    let pairs: Vec<(String, String)> = fields
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| match value {
            serde_json::Value::String(text) => (name, text),
            other => (name, other.to_string()),
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    Ok(request.form(&borrowed))
}

// @@ end
// @@ json_or_get
/// Returns true when the body starts like a JSON object or array.
fn is_json(response: &Response) -> bool {
    response
        .body
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|first| *first == b'{' || *first == b'[')
}

// @@ end
impl Api {
    /// Returns the service requests go through.
    pub(crate) fn service(&self) -> &Service {
        &self.service
    }

    /// Sends a request, with the service's credentials unless `authenticated` is false
    /// (login, token and key-in-query calls).
    pub(crate) async fn send(&self, request: &Request, authenticated: bool) -> Result<Response> {
        if authenticated {
            self.service.execute(request).await
        } else {
            self.service.transport().send(request).await
        }
    }

    /// Sends a request and decodes its JSON body.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        request: Request,
        authenticated: bool,
    ) -> Result<T> {
        let response = self.send(&request, authenticated).await?;
        self.service.transport().decode(&request, &response)
    }

    /// Sends a request and ignores its body.
    pub(crate) async fn unit(&self, request: Request, authenticated: bool) -> Result<()> {
        self.send(&request, authenticated).await?;
        Ok(())
    }

// @@ text
    /// Sends a request and returns its body as text: the value of a JSON string, or the body
    /// as it is.
    pub(crate) async fn text(&self, request: Request, authenticated: bool) -> Result<String> {
        let response = self.send(&request, authenticated).await?;
        if let Ok(text) = serde_json::from_slice::<String>(&response.body) {
            return Ok(text);
        }
        Ok(response.text())
    }

// @@ end
// @@ bytes
    /// Sends a request and returns the body bytes.
    pub(crate) async fn bytes(&self, request: Request, authenticated: bool) -> Result<Vec<u8>> {
        let response = self.send(&request, authenticated).await?;
        Ok(response.body.to_vec())
    }

// @@ end
// @@ json_or_get
    /// Sends a write and decodes the stored resource: the response body when it is JSON,
    /// else the result of a GET of the same path (some writes return 204 or `SUCCESS`).
    pub(crate) async fn json_or_get<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let response = self.send(&request, true).await?;
        if is_json(&response) {
            return self.service.transport().decode(&request, &response);
        }
        tracing::debug!(
            path = request.path(),
            status = response.status,
            "the write returned no JSON; reading the resource back"
        );
        self.json(Request::get(request.path()), true).await
    }
// @@ end
}

/// Builds a service for a resource that lives on its own host, such as SCIM, sandbox
/// submission or the token endpoint. `token` is sent as a bearer token; without one, requests
/// carry no credentials. The base URL must be `https://`, or `http://` to a loopback address.
// NOTE: the service uses default HTTP, retry and rate-limit settings, not the client's, so a
// proxy set on the client does not apply to it.
pub(crate) fn detached_service(
    product: Product,
    base_url: &str,
    token: Option<Secret>,
) -> Result<Service> {
    let base_url = checked_base_url(base_url)?;
    let config = TransportConfig::new(
        product,
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        base_url.clone(),
    );
    let transport = Transport::new(config)?;
    let auth: Arc<dyn Authenticator> = match token {
        Some(token) => Arc::new(BearerToken::new(&token)?),
        None => Arc::new(NoCredentials),
    };
    Ok(Service::new(
        transport,
        auth,
        &CacheSettings::default(),
        &base_url,
    ))
}

/// Returns the base URL without a trailing slash, or a configuration error.
fn checked_base_url(base_url: &str) -> Result<String> {
    let shown = zscaler_core::redact::url_for_log(base_url.trim());
    let parsed = url::Url::parse(base_url.trim()).map_err(|error| {
        Error::Config(ConfigError::new(format!(
            "invalid base URL {shown:?}: {error}; expected a URL such as https://host.example.net/path"
        )))
    })?;
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::Config(ConfigError::new(format!(
                "invalid base URL {shown:?}: plain http is allowed only for loopback addresses; \
                 use https"
            ))));
        }
        other => {
            return Err(Error::Config(ConfigError::new(format!(
                "invalid base URL {shown:?}: unsupported scheme {other:?}; use https"
            ))));
        }
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::Config(ConfigError::new(format!(
            "invalid base URL {shown:?}: it must not contain a user name or password"
        ))));
    }
    Ok(base_url.trim().trim_end_matches('/').to_owned())
}

/// A fixed bearer token, such as a SCIM token.
struct BearerToken {
    header: HeaderValue,
}

impl BearerToken {
    fn new(token: &Secret) -> Result<Self> {
        let header = zscaler_core::auth::sensitive_header(&format!("Bearer {}", token.expose()))?;
        Ok(BearerToken { header })
    }
}

#[async_trait]
impl Authenticator for BearerToken {
    async fn credentials(&self, _transport: &Transport) -> Result<Credentials> {
        Ok(Credentials {
            generation: 1,
            headers: vec![(HeaderName::from_static("authorization"), self.header.clone())],
        })
    }

    fn is_expired(&self, _status: u16, _body: &[u8]) -> bool {
        // A fixed token cannot be renewed, so a rejection is final.
        false
    }

    async fn invalidate(&self, _generation: u64) {}
}

/// No credentials, for endpoints that take a key in the query or none at all.
struct NoCredentials;

#[async_trait]
impl Authenticator for NoCredentials {
    async fn credentials(&self, _transport: &Transport) -> Result<Credentials> {
        Ok(Credentials {
            generation: 1,
            headers: Vec::new(),
        })
    }

    fn is_expired(&self, _status: u16, _body: &[u8]) -> bool {
        false
    }

    async fn invalidate(&self, _generation: u64) {}
}

/// Defines a list builder around a core `List` of one item type and page format, with the
/// paging options every list has. Filters are added in an `impl` block of their own.
/// `defaults` are query parameters sent unless the caller sets the same name, such as the
/// client's default ZPA microtenant. The methods that start a listing are `#[inline]`, so that
/// only the crates that list a type compile its stream machinery.
macro_rules! list_call {
    ($(#[$meta:meta])* $name:ident, $item:ty, $format:ty) => {
        $(#[$meta])*
        #[must_use = "a list does nothing until it is streamed or collected"]
        #[derive(Debug)]
        pub struct $name {
            list: zscaler_core::List<$item, $format>,
            defaults: Vec<(&'static str, String)>,
            set: Vec<String>,
        }

        impl $name {
            fn new(
                list: zscaler_core::List<$item, $format>,
                defaults: Vec<(&'static str, String)>,
            ) -> Self {
                $name {
                    list,
                    defaults,
                    set: Vec::new(),
                }
            }

            /// Adds a query parameter this builder has no method for. The value is
            /// percent-encoded once.
            pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                let name = name.into();
                self.set.push(name.clone());
                self.list = self.list.query(name, value);
                self
            }

            /// Sets the items per page. Sizes above the endpoint's maximum are clamped to it,
            /// and 0 counts as 1. A list that is not paged ignores it.
            pub fn page_size(mut self, size: u32) -> Self {
                self.list = self.list.page_size(size);
                self
            }

            /// Stops after this many pages.
            pub fn max_pages(mut self, pages: u32) -> Self {
                self.list = self.list.max_pages(pages);
                self
            }

            /// Stops after this many items.
            pub fn max_items(mut self, items: usize) -> Self {
                self.list = self.list.max_items(items);
                self
            }

            /// Returns the page size that will be requested, or `None` for a list that is not
            /// paged.
            pub fn effective_page_size(&self) -> Option<u32> {
                self.list.effective_page_size()
            }

            /// Streams whole pages until the end of the list, `max_pages` or `max_items`. Fails
            /// with [`Error::RepeatedPage`](zscaler_core::Error::RepeatedPage) when the server
            /// returns the same page twice in a row.
            #[inline]
            pub fn pages(self) -> futures::stream::BoxStream<'static, zscaler_core::Result<Vec<$item>>> {
                self.into_inner().pages()
            }

            /// Streams items, holding at most one page in memory.
            #[inline]
            pub fn stream(self) -> futures::stream::BoxStream<'static, zscaler_core::Result<$item>> {
                self.into_inner().stream()
            }

            /// Collects every item into a `Vec`.
            #[inline]
            pub async fn collect(self) -> zscaler_core::Result<Vec<$item>> {
                self.into_inner().collect().await
            }

            /// Returns the core list with every query parameter added, for options this
            /// builder does not wrap.
            #[inline]
            pub fn into_inner(self) -> zscaler_core::List<$item, $format> {
                let mut list = self.list;
                for (name, value) in self.defaults {
                    if !self.set.iter().any(|set| set == name) {
                        list = list.query(name, value);
                    }
                }
                list
            }
        }
    };
}

pub(crate) use list_call;
