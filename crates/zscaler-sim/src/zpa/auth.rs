//! ZPA legacy authentication: `POST /signin` and bearer tokens that are JWTs signed with
//! HS256 under a key of the simulator.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::http::{RequestContext, json_response};
use crate::state::Shared;

/// Issued ZPA tokens with their expiry instants.
#[derive(Debug)]
pub(crate) struct ZpaTokens {
    tokens: HashMap<String, Instant>,
    signing_key: Vec<u8>,
    rng: fastrand::Rng,
}

impl ZpaTokens {
    /// Creates an empty token table whose key and token ids come from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed ^ 0x70c3_e115);
        let signing_key = (0..32).map(|_| rng.u8(..)).collect();
        Self {
            tokens: HashMap::new(),
            signing_key,
            rng,
        }
    }

    /// Issues a token for a client and returns it.
    ///
    /// The `exp` claim is the current Unix time plus the whole seconds of `lifetime`; the token
    /// stops working exactly `lifetime` after it was issued.
    pub fn issue(&mut self, client_id: &str, customer_id: &str, lifetime: Duration) -> String {
        let issued_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .unwrap_or(0);
        let token_id: String = (0..16).map(|_| self.rng.alphanumeric()).collect();
        let header = json!({"alg": "HS256", "typ": "JWT"});
        let claims = json!({
            "iss": "zscaler-sim",
            "sub": client_id,
            "customerId": customer_id,
            "iat": issued_at,
            "exp": issued_at + lifetime.as_secs(),
            "jti": token_id,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.signing_key)
            .expect("HMAC accepts keys of any length");
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        let token = format!("{signing_input}.{signature}");
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

/// Builds the 401 response for a missing, expired or revoked token.
pub(crate) fn authentication_failed() -> Response<Body> {
    json_response(
        401,
        &json!({
            "id": "authentication.failed",
            "reason": "The bearer token is missing, expired or revoked. Sign in again."
        }),
    )
}

/// Handles `POST /signin` with the form fields `client_id` and `client_secret`.
pub(crate) fn signin(shared: &Shared, ctx: &RequestContext) -> Response<Body> {
    let fields = ctx.form_body();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    };
    let credentials = &shared.settings.zpa;
    if field("client_id") != credentials.client_id
        || field("client_secret") != credentials.client_secret
    {
        tracing::debug!(client_id = field("client_id"), "ZPA sign-in rejected");
        return json_response(
            401,
            &json!({"id": "invalid.credentials", "reason": "Invalid client id or client secret"}),
        );
    }
    let lifetime = shared.settings.zpa_token_lifetime;
    let token = shared
        .zpa_tokens
        .lock()
        .expect("token lock poisoned")
        .issue(&credentials.client_id, &credentials.customer_id, lifetime);
    json_response(
        200,
        &json!({
            "token_type": "Bearer",
            "access_token": token,
            "expires_in": lifetime.as_secs().to_string()
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_jwt_with_exp() {
        let mut tokens = ZpaTokens::new(3);
        let token = tokens.issue("client", "123", Duration::from_secs(3600));
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url"))
                .expect("JSON claims");
        let exp = claims["exp"].as_u64().expect("exp claim");
        let iat = claims["iat"].as_u64().expect("iat claim");
        assert_eq!(exp - iat, 3600);
        assert!(tokens.is_live(&token));
    }

    #[test]
    fn token_expires_and_revokes() {
        let mut tokens = ZpaTokens::new(3);
        let short = tokens.issue("client", "123", Duration::from_millis(10));
        let long = tokens.issue("client", "123", Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(20));
        assert!(!tokens.is_live(&short));
        assert!(tokens.is_live(&long));
        tokens.revoke(&long);
        assert!(!tokens.is_live(&long));
    }
}
