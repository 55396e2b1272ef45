//! The legacy ZPA token exchange: `POST /signin` with the API client's id and secret returns a
//! bearer token (a JWT), which is renewed before it expires and after a 401.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::Value;
use tokio::time::Instant;
use zscaler_core::http::{HeaderName, HeaderValue};
use zscaler_core::{
    Authenticator, Credentials, Error, Renewable, Request, Result, Secret, SessionSlot, Transport,
    auth::sensitive_header,
};

use crate::paths::SIGNIN;

const AUTHORIZATION: HeaderName = HeaderName::from_static("authorization");

/// Maximum time by which a token is renewed ahead of its expiry.
const MAX_RENEWAL_MARGIN: Duration = Duration::from_secs(60);

/// Signs in to ZPA and stores the current token. One per client, shared by its clones.
pub(crate) struct ZpaAuthenticator {
    client_id: String,
    client_secret: Secret,
    customer_id: String,
    slot: SessionSlot<Token>,
}

/// A bearer token and the moment it should be replaced.
struct Token {
    authorization: HeaderValue,
    /// `None` when the response gave no usable lifetime: the token is then renewed only after
    /// the API rejects it with a 401.
    renew_at: Option<Instant>,
}

impl Renewable for Token {
    fn needs_renewal(&self) -> bool {
        self.renew_at.is_some_and(|at| Instant::now() >= at)
    }
}

/// The `/signin` response. The token is moved into a sensitive header at once and never kept
/// as plain text.
#[derive(Deserialize)]
struct SigninResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<Value>,
}

impl ZpaAuthenticator {
    pub(crate) fn new(client_id: String, client_secret: Secret, customer_id: String) -> Self {
        ZpaAuthenticator {
            client_id,
            client_secret,
            customer_id,
            slot: SessionSlot::new(),
        }
    }

    async fn sign_in(&self, transport: &Transport) -> Result<Token> {
        let request = Request::post(SIGNIN).form(&[
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ]);
        let response = transport
            .send(&request)
            .await
            .map_err(rejected_credentials)?;

        let body: SigninResponse = serde_json::from_slice(&response.body)
            .map_err(|error| invalid_signin_response(&request, describe_json_error(&error)))?;
        if body.access_token.trim().is_empty() {
            return Err(invalid_signin_response(
                &request,
                "access_token is empty".to_owned(),
            ));
        }
        let authorization = sensitive_header(&format!("Bearer {}", body.access_token.trim()))?;

        let lifetime = token_lifetime(
            &body.access_token,
            body.expires_in.as_ref(),
            SystemTime::now(),
        );
        let renew_at = lifetime.map(|lifetime| Instant::now() + (lifetime - margin(lifetime)));
        match lifetime {
            Some(lifetime) => tracing::info!(
                customer_id = %self.customer_id,
                lifetime_s = lifetime.as_secs(),
                "signed in to ZPA"
            ),
            None => tracing::info!(
                customer_id = %self.customer_id,
                "signed in to ZPA; the token states no lifetime, so it is renewed after a 401"
            ),
        }
        Ok(Token {
            authorization,
            renew_at,
        })
    }
}

#[async_trait]
impl Authenticator for ZpaAuthenticator {
    async fn credentials(&self, transport: &Transport) -> Result<Credentials> {
        let (token, generation) = self.slot.get_or_login(|| self.sign_in(transport)).await?;
        Ok(Credentials {
            generation,
            headers: vec![(AUTHORIZATION, token.authorization.clone())],
        })
    }

    /// ZPA returns 401 for an expired or revoked token. `/signin` itself never reaches here,
    /// because it is sent without credentials, so bad client credentials do not loop.
    fn is_expired(&self, status: u16, _body: &[u8]) -> bool {
        status == 401
    }

    async fn invalidate(&self, generation: u64) {
        self.slot.invalidate(generation).await;
    }
}

/// Turns a rejected `/signin` into [`Error::Authentication`]: a 400, 401 or 403 from it means
/// the client id or secret was not accepted.
fn rejected_credentials(error: Error) -> Error {
    match error {
        Error::Api(details) | Error::NotFound(details) | Error::Conflict(details)
            if matches!(details.status, 400 | 401 | 403) =>
        {
            Error::Authentication(details)
        }
        other => other,
    }
}

fn invalid_signin_response(request: &Request, message: String) -> Error {
    Error::invalid_response(zscaler_core::Product::Zpa, request, ".", message, None)
}

/// Describes a JSON error by its kind and position only: the body may hold a token, so no part
/// of it goes into the message.
fn describe_json_error(error: &serde_json::Error) -> String {
    let kind = match error.classify() {
        serde_json::error::Category::Io => "could not be read",
        serde_json::error::Category::Syntax => "is not valid JSON",
        serde_json::error::Category::Data => "is not a token object with a string access_token",
        serde_json::error::Category::Eof => "ended early",
    };
    format!(
        "the sign-in response {kind} (line {}, column {})",
        error.line(),
        error.column()
    )
}

/// Returns how long a token is valid: from the JWT `exp` claim when the token is a JWT whose
/// expiry lies in the future, else from `expires_in` (seconds, as a string or a number).
/// The signature is not checked: the expiry only decides when to renew.
fn token_lifetime(token: &str, expires_in: Option<&Value>, now: SystemTime) -> Option<Duration> {
    let now_secs = now.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
    if let Some(exp) = jwt_expiry(token)
        && exp > now_secs
    {
        return Duration::try_from_secs_f64(exp - now_secs).ok();
    }
    expires_in.and_then(seconds)
}

/// Returns the `exp` claim of a JWT, in seconds since the epoch.
fn jwt_expiry(token: &str) -> Option<f64> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("exp").and_then(number)
}

/// Reads a number of seconds given as a JSON number or a string of digits.
fn seconds(value: &Value) -> Option<Duration> {
    number(value)
        .filter(|secs| *secs >= 0.0)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|number| number.is_finite())
}

/// Returns how long before expiry a token is renewed: a fifth of its lifetime, at most 60 s,
/// so a one-hour token is renewed a minute early and a short one well before it lapses.
fn margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(MAX_RENEWAL_MARGIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwt(claims: &Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("{header}.{payload}.c2lnbmF0dXJl")
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn lifetime_from_jwt_exp() {
        let token = jwt(&json!({"exp": 1_700_003_600, "sub": "x"}));
        let lifetime = token_lifetime(&token, Some(&json!("60")), at(1_700_000_000));
        assert_eq!(lifetime, Some(Duration::from_secs(3600)));
    }

    #[test]
    fn lifetime_from_expires_in_string_and_number() {
        let now = at(1_700_000_000);
        assert_eq!(
            token_lifetime("opaque", Some(&json!("3600")), now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            token_lifetime("opaque", Some(&json!(3600)), now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(token_lifetime("opaque", Some(&json!("soon")), now), None);
        assert_eq!(token_lifetime("opaque", Some(&json!(-5)), now), None);
        assert_eq!(token_lifetime("opaque", None, now), None);
    }

    #[test]
    fn past_jwt_exp_falls_back_to_expires_in() {
        let token = jwt(&json!({"exp": 1_600_000_000}));
        let lifetime = token_lifetime(&token, Some(&json!(120)), at(1_700_000_000));
        assert_eq!(lifetime, Some(Duration::from_secs(120)));
    }

    #[test]
    fn jwt_without_exp_uses_expires_in() {
        let token = jwt(&json!({"sub": "x"}));
        assert_eq!(jwt_expiry(&token), None);
        let lifetime = token_lifetime(&token, Some(&json!("30")), at(1_700_000_000));
        assert_eq!(lifetime, Some(Duration::from_secs(30)));
    }

    #[test]
    fn exp_as_string_and_padded_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE.encode(r#"{"exp":"1700000100"}"#);
        let token = format!("e30.{payload}.sig");
        assert_eq!(jwt_expiry(&token), Some(1_700_000_100.0));
    }

    #[test]
    fn malformed_jwts_give_no_expiry() {
        for token in ["", "a.b", "a.b.c.d", "a.!!!.c", "e30.bm90IGpzb24.c"] {
            assert_eq!(jwt_expiry(token), None, "{token:?}");
        }
    }

    #[test]
    fn margin_is_a_fifth_capped_at_a_minute() {
        assert_eq!(margin(Duration::from_secs(3600)), Duration::from_secs(60));
        assert_eq!(margin(Duration::from_secs(10)), Duration::from_secs(2));
        assert_eq!(margin(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn signin_errors_become_authentication_errors() {
        let details = zscaler_core::ApiError::from_response(
            zscaler_core::Product::Zpa,
            "POST",
            SIGNIN,
            400,
            br#"{"id":"invalid.client","reason":"bad client credentials"}"#,
            None,
        );
        let error = rejected_credentials(Error::Api(Box::new(details)));
        assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    }

    #[test]
    fn json_error_message_hides_body() {
        let error = serde_json::from_slice::<SigninResponse>(br#"{"access_token": 12345678}"#)
            .err()
            .expect("a number is not a token");
        let message = describe_json_error(&error);
        assert!(!message.contains("12345678"), "{message}");
        assert!(message.contains("access_token"), "{message}");
    }
}
