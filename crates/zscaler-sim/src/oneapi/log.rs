//! The OneAPI token requests in the request log, in a typed form.

use serde_json::Value;

use crate::oneapi::TOKEN_PATH;
use crate::recorder::RecordedRequest;

/// Client authentication method of a token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OneApiClientAuth {
    /// The form carried `client_secret`.
    ClientSecret,
    /// The form carried `client_assertion`, a signed JWT.
    ClientAssertion,
    /// The form carried both, which the token endpoint rejects.
    Both,
    /// The form carried neither.
    Missing,
}

impl OneApiClientAuth {
    /// Returns the name of the form field used: `client_secret`, `client_assertion`, `both`
    /// or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            OneApiClientAuth::ClientSecret => "client_secret",
            OneApiClientAuth::ClientAssertion => "client_assertion",
            OneApiClientAuth::Both => "both",
            OneApiClientAuth::Missing => "none",
        }
    }
}

/// One `POST /oauth2/v1/token` request as the simulator received it, without its secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneApiTokenRequest {
    /// The `grant_type` field.
    pub grant_type: Option<String>,
    /// The `client_id` field.
    pub client_id: Option<String>,
    /// The `audience` field.
    pub audience: Option<String>,
    /// The `client_assertion_type` field.
    pub client_assertion_type: Option<String>,
    /// The client authentication the form carried.
    pub client_auth: OneApiClientAuth,
    /// The `x-partner-id` header.
    pub partner_id: Option<String>,
    /// Status code of the response, or 0 when no response was sent.
    pub status: u16,
}

impl OneApiTokenRequest {
    /// Reads a token request from its log entry. Returns `None` for entries of other requests.
    pub(crate) fn from_entry(entry: &RecordedRequest) -> Option<Self> {
        if entry.method != "POST" || entry.path.trim_end_matches('/') != TOKEN_PATH {
            return None;
        }
        let fields = entry.body.as_ref().and_then(Value::as_object);
        let field = |name: &str| {
            fields
                .and_then(|fields| fields.get(name))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let has = |name: &str| fields.is_some_and(|fields| fields.contains_key(name));
        let client_auth = match (has("client_secret"), has("client_assertion")) {
            (true, true) => OneApiClientAuth::Both,
            (true, false) => OneApiClientAuth::ClientSecret,
            (false, true) => OneApiClientAuth::ClientAssertion,
            (false, false) => OneApiClientAuth::Missing,
        };
        Some(OneApiTokenRequest {
            grant_type: field("grant_type"),
            client_id: field("client_id"),
            audience: field("audience"),
            client_assertion_type: field("client_assertion_type"),
            client_auth,
            partner_id: entry.partner_id.clone(),
            status: entry.status,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn entry(method: &str, path: &str, body: Option<Value>) -> RecordedRequest {
        RecordedRequest {
            method: method.to_string(),
            path: path.to_string(),
            query: Vec::new(),
            status: 200,
            body,
            partner_id: Some("partner-1".to_string()),
        }
    }

    #[test]
    fn entry_to_token_request() {
        let body = json!({
            "grant_type": "client_credentials",
            "client_id": "abc",
            "audience": "https://api.zscaler.com",
            "client_assertion": "[masked]",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        });
        let request = OneApiTokenRequest::from_entry(&entry("POST", TOKEN_PATH, Some(body)))
            .expect("a token request");
        assert_eq!(request.client_id.as_deref(), Some("abc"));
        assert_eq!(request.client_auth, OneApiClientAuth::ClientAssertion);
        assert_eq!(request.client_auth.as_str(), "client_assertion");
        assert_eq!(request.partner_id.as_deref(), Some("partner-1"));
        assert_eq!(request.status, 200);
    }

    #[test]
    fn other_entries_skipped() {
        assert_eq!(
            OneApiTokenRequest::from_entry(&entry("GET", TOKEN_PATH, None)),
            None
        );
        assert_eq!(
            OneApiTokenRequest::from_entry(&entry("POST", "/signin", None)),
            None
        );
        let empty = OneApiTokenRequest::from_entry(&entry("POST", TOKEN_PATH, None))
            .expect("a token request without a body");
        assert_eq!(empty.client_auth, OneApiClientAuth::Missing);
        assert_eq!(empty.grant_type, None);
    }
}
