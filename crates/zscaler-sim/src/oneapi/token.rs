//! The OneAPI token endpoint `POST /oauth2/v1/token` (client-credentials grant with a client
//! secret or a signed client assertion) and the table of the access tokens it issues.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{Response, header};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::http::{RequestContext, json_response};
use crate::oneapi::{AUDIENCE, assertion, oauth_error};
use crate::state::Shared;

/// The only grant type the token endpoint accepts.
const GRANT_TYPE: &str = "client_credentials";

/// The `client_assertion_type` of a JWT client assertion (RFC 7523).
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Issued OneAPI access tokens with their expiry instants.
#[derive(Debug)]
pub(crate) struct OneApiTokens {
    tokens: HashMap<String, Instant>,
    signing_key: Vec<u8>,
    rng: fastrand::Rng,
}

impl OneApiTokens {
    /// Creates an empty token table whose signing key and token ids come from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed ^ 0x0ae1_70c3);
        let signing_key = (0..32).map(|_| rng.u8(..)).collect();
        Self {
            tokens: HashMap::new(),
            signing_key,
            rng,
        }
    }

    /// Issues an access token for a client: a JWT signed with HS256 under the simulator's key,
    /// whose `exp` claim is now plus the whole seconds of `lifetime`. The token stops working
    /// exactly `lifetime` after it was issued.
    pub fn issue(&mut self, client_id: &str, lifetime: Duration) -> String {
        let issued_at = unix_now();
        let token_id: String = (0..16).map(|_| self.rng.alphanumeric()).collect();
        let claims = json!({
            "iss": "zscaler-sim",
            "sub": client_id,
            "aud": AUDIENCE,
            "iat": issued_at,
            "exp": issued_at + lifetime.as_secs(),
            "jti": token_id,
        });
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&self.signing_key),
        )
        .expect("signing JSON claims with an HMAC key cannot fail");
        self.tokens.insert(token.clone(), Instant::now() + lifetime);
        token
    }

    /// Reports whether a token was issued here, is not revoked and has not expired.
    pub fn is_live(&mut self, token: &str) -> bool {
        match self.tokens.get(token) {
            Some(expiry) if Instant::now() < *expiry => true,
            Some(_) => {
                self.tokens.remove(token);
                false
            }
            None => false,
        }
    }

    /// Revokes one token.
    pub fn revoke(&mut self, token: &str) {
        self.tokens.remove(token);
    }

    /// Revokes every token.
    pub fn clear(&mut self) {
        self.tokens.clear();
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

/// Handles a request to `/oauth2/v1/token`.
///
/// Form errors (a wrong method or content type, a repeated field, a missing or unsupported
/// `grant_type`, `audience` or `client_assertion_type`, both a secret and an assertion) get
/// 400 `invalid_request`. A failed client authentication gets 401 `invalid_client` with a
/// description of the check that failed.
pub(crate) fn token_endpoint(shared: &Shared, ctx: &RequestContext) -> Response<Body> {
    if ctx.method != "POST" {
        let description = format!(
            "Method {} is not supported on the token endpoint; use POST.",
            ctx.method
        );
        return oauth_error(405, "invalid_request", &description);
    }
    let is_form = ctx
        .header(header::CONTENT_TYPE.as_str())
        .is_some_and(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if !is_form {
        return oauth_error(
            400,
            "invalid_request",
            "The token request must be a form (content type application/x-www-form-urlencoded).",
        );
    }

    let fields = ctx.form_body();
    for (index, (name, _)) in fields.iter().enumerate() {
        if fields[..index].iter().any(|(earlier, _)| earlier == name) {
            let description = format!("The form field {name} is repeated; send it once.");
            return oauth_error(400, "invalid_request", &description);
        }
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    if let Some(signed) = field("client_assertion") {
        *shared
            .last_assertion_claims
            .lock()
            .expect("assertion lock poisoned") = assertion::peek_claims(signed);
    }

    match field("grant_type") {
        Some(GRANT_TYPE) => {}
        Some(other) => {
            let description =
                format!("The grant_type {other:?} is not supported; use {GRANT_TYPE}.");
            return oauth_error(400, "invalid_request", &description);
        }
        None => {
            let description = format!("The grant_type field is missing; send {GRANT_TYPE}.");
            return oauth_error(400, "invalid_request", &description);
        }
    }
    match field("audience") {
        Some(AUDIENCE) => {}
        Some(other) => {
            let description = format!("The audience {other:?} is invalid; send {AUDIENCE}.");
            return oauth_error(400, "invalid_request", &description);
        }
        None => {
            let description = format!("The audience field is missing; send {AUDIENCE}.");
            return oauth_error(400, "invalid_request", &description);
        }
    }

    let credentials = &shared.settings.oneapi;
    let Some(client_id) = field("client_id") else {
        return oauth_error(401, "invalid_client", "The client_id field is missing.");
    };
    if client_id != credentials.client_id {
        tracing::debug!(
            client_id,
            "OneAPI token request for an unknown client rejected"
        );
        let description = format!("Client authentication failed: unknown client_id {client_id:?}.");
        return oauth_error(401, "invalid_client", &description);
    }

    let verdict = match (field("client_secret"), field("client_assertion")) {
        (Some(_), Some(_)) => {
            return oauth_error(
                400,
                "invalid_request",
                "Send either client_secret or client_assertion, not both.",
            );
        }
        (Some(secret), None) => check_secret(shared, secret),
        (None, Some(signed)) => {
            if field("client_assertion_type") != Some(ASSERTION_TYPE) {
                let description = format!(
                    "The client_assertion_type field is missing or invalid; send {ASSERTION_TYPE}."
                );
                return oauth_error(400, "invalid_request", &description);
            }
            check_assertion(shared, signed)
        }
        (None, None) => Err(
            "Client authentication failed: send client_secret or a signed client_assertion."
                .to_string(),
        ),
    };
    if let Err(description) = verdict {
        tracing::debug!(client_id, %description, "OneAPI token request rejected");
        return oauth_error(401, "invalid_client", &description);
    }

    let lifetime = shared.settings.oneapi_token_lifetime;
    let token = shared
        .oneapi_tokens
        .lock()
        .expect("token lock poisoned")
        .issue(client_id, lifetime);
    tracing::debug!(client_id, "OneAPI token issued");
    json_response(
        200,
        &json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs()
        }),
    )
}

fn check_secret(shared: &Shared, secret: &str) -> Result<(), String> {
    match &shared.settings.oneapi.client_secret {
        Some(expected) if expected == secret => Ok(()),
        Some(_) => Err("Client authentication failed: the client_secret is invalid.".to_string()),
        None => Err(
            "Client authentication failed: this client has no secret; sign a client_assertion \
             with its private key."
                .to_string(),
        ),
    }
}

fn check_assertion(shared: &Shared, signed: &str) -> Result<(), String> {
    let Some(key) = &shared.settings.oneapi_key else {
        return Err(
            "Client authentication failed: no public key is registered for this client; send \
             its client_secret."
                .to_string(),
        );
    };
    assertion::verify(signed, key, &shared.settings.oneapi.client_id, unix_now())
        .map(|_| ())
        .map_err(|description| format!("Client authentication failed: {description}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_jwt_with_exp() {
        let mut tokens = OneApiTokens::new(3);
        let token = tokens.issue("client", Duration::from_secs(3600));
        let claims = jsonwebtoken::dangerous::insecure_decode::<serde_json::Value>(&token)
            .expect("a JWT")
            .claims;
        assert_eq!(claims["sub"], "client");
        assert_eq!(claims["aud"], AUDIENCE);
        let exp = claims["exp"].as_u64().expect("exp claim");
        let iat = claims["iat"].as_u64().expect("iat claim");
        assert_eq!(exp - iat, 3600);
        assert!(tokens.is_live(&token));
    }

    #[test]
    fn token_expires_and_revokes() {
        let mut tokens = OneApiTokens::new(3);
        let short = tokens.issue("client", Duration::from_millis(10));
        let long = tokens.issue("client", Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(20));
        assert!(!tokens.is_live(&short));
        assert!(tokens.is_live(&long));
        tokens.revoke(&long);
        assert!(!tokens.is_live(&long));
        assert!(!tokens.is_live("unknown"));
    }
}
