//! Verification of OneAPI client assertions: RS256 JWTs that the API client signs with its
//! private key and sends as `client_assertion` instead of a client secret.

use std::fmt;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rsa::RsaPublicKey;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use serde_json::Value;

use crate::oneapi::AUDIENCE;

/// Smallest RSA key that OneAPI accepts, in bits.
const MIN_RSA_BITS: usize = 2048;

/// Clock difference tolerated on `exp`, `nbf` and `iat`, in seconds.
const CLOCK_SKEW_SECS: u64 = 30;

/// Maximum time an assertion may stay valid from now, in seconds. The SDKs sign assertions
/// that expire ten minutes after they are made, so one hour leaves room for slow clocks.
const MAX_LIFETIME_SECS: u64 = 3600;

/// The public key registered for the API client, ready to verify assertions.
#[derive(Clone)]
pub(crate) struct ClientKey {
    decoding: DecodingKey,
    bits: usize,
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "ClientKey {{ RSA {} bits }}", self.bits)
    }
}

impl ClientKey {
    /// Reads an RSA public key in PEM form, PKCS#1 (`BEGIN RSA PUBLIC KEY`) or SPKI
    /// (`BEGIN PUBLIC KEY`), and checks that it has at least 2048 bits.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let pem = pem.trim();
        let key = RsaPublicKey::from_pkcs1_pem(pem)
            .or_else(|_| RsaPublicKey::from_public_key_pem(pem))
            .map_err(|_| {
                "invalid OneAPI public key: not an RSA public key in PEM form (BEGIN RSA PUBLIC \
                 KEY or BEGIN PUBLIC KEY)"
                    .to_string()
            })?;
        let bits = key.n().bits();
        if bits < MIN_RSA_BITS {
            return Err(format!(
                "invalid OneAPI public key: it has {bits} bits, and OneAPI needs an RSA key of \
                 at least {MIN_RSA_BITS} bits"
            ));
        }
        let decoding =
            DecodingKey::from_rsa_raw_components(&key.n().to_bytes_be(), &key.e().to_bytes_be());
        Ok(ClientKey { decoding, bits })
    }
}

/// Decodes the claims of an assertion without verifying it, for the request log.
pub(crate) fn peek_claims(assertion: &str) -> Option<Value> {
    jsonwebtoken::dangerous::insecure_decode::<Value>(assertion)
        .ok()
        .map(|data| data.claims)
}

/// Verifies an assertion of `client_id` at Unix time `now`. The checks are the RS256 signature
/// under `key`, `aud`, `iss` and `sub`, and the times (see [`check_times`]). Returns the
/// claims, or a description of the first check that failed.
pub(crate) fn verify(
    assertion: &str,
    key: &ClientKey,
    client_id: &str,
    now: u64,
) -> Result<Value, String> {
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| "the client_assertion is not a well-formed JWT".to_string())?;
    if header.alg != Algorithm::RS256 {
        return Err(format!(
            "the client_assertion is signed with {:?}, and OneAPI requires RS256",
            header.alg
        ));
    }

    // The library checks the signature, the presence of the claims, `aud`, `iss` and `sub`.
    // The times are checked below against `now`, so that tests can choose the clock.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_issuer(&[client_id]);
    validation.sub = Some(client_id.to_string());

    let claims = jsonwebtoken::decode::<Value>(assertion, &key.decoding, &validation)
        .map_err(|error| describe(error.kind(), assertion, client_id))?
        .claims;
    check_times(&claims, now)?;
    Ok(claims)
}

/// Checks `exp` (not passed, at most an hour ahead), and `nbf` and `iat` when present (not in
/// the future), allowing [`CLOCK_SKEW_SECS`] of clock difference.
fn check_times(claims: &Value, now: u64) -> Result<(), String> {
    let time = |name: &str| match claims.get(name) {
        None => Ok(None),
        Some(value) => value.as_u64().map(Some).ok_or_else(|| {
            format!("the client_assertion {name} claim is {value}, not a number of seconds")
        }),
    };
    if let Some(expiry) = time("exp")? {
        if expiry + CLOCK_SKEW_SECS < now {
            return Err(format!(
                "the client_assertion has expired: its exp claim is {expiry}, and now is {now}"
            ));
        }
        if expiry > now + MAX_LIFETIME_SECS + CLOCK_SKEW_SECS {
            return Err(format!(
                "the client_assertion exp claim is {} s ahead; an assertion may be valid for \
                 at most {MAX_LIFETIME_SECS} s",
                expiry - now
            ));
        }
    }
    if let Some(not_before) = time("nbf")?
        && not_before > now + CLOCK_SKEW_SECS
    {
        return Err(format!(
            "the client_assertion is not valid yet: its nbf claim is {not_before}, and now is \
             {now}"
        ));
    }
    if let Some(issued) = time("iat")?
        && issued > now + CLOCK_SKEW_SECS
    {
        return Err(format!(
            "the client_assertion iat claim ({issued}) is in the future (now {now})"
        ));
    }
    Ok(())
}

/// Describes a failed check, quoting the claim the assertion sent.
fn describe(kind: &ErrorKind, assertion: &str, client_id: &str) -> String {
    let claims = peek_claims(assertion).unwrap_or(Value::Null);
    let sent = |name: &str| {
        claims
            .get(name)
            .map_or("none".to_string(), Value::to_string)
    };
    match kind {
        ErrorKind::InvalidSignature => "the client_assertion signature does not verify against \
                                        the public key registered for the client"
            .to_string(),
        ErrorKind::InvalidAudience => format!(
            "the client_assertion aud claim is {}, expected \"{AUDIENCE}\"",
            sent("aud")
        ),
        ErrorKind::InvalidIssuer => format!(
            "the client_assertion iss claim is {}, expected the client id \"{client_id}\"",
            sent("iss")
        ),
        ErrorKind::InvalidSubject => format!(
            "the client_assertion sub claim is {}, expected the client id \"{client_id}\"",
            sent("sub")
        ),
        ErrorKind::MissingRequiredClaim(claim) => match claims.get(claim.as_str()) {
            Some(value) => format!(
                "the client_assertion {claim} claim is {value}, which has the wrong type (exp \
                 is a number of seconds, the others are strings)"
            ),
            None => format!("the client_assertion has no {claim} claim"),
        },
        ErrorKind::InvalidClaimFormat(claim) => {
            format!("the client_assertion {claim} claim has an invalid format")
        }
        ErrorKind::InvalidAlgorithm => "the client_assertion must be signed with RS256".to_string(),
        _ => "the client_assertion is not a well-formed JWT".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;

    use super::*;

    const PRIVATE_KEY: &str = include_str!("../../tests/fixtures/rsa2048.pem");
    const PUBLIC_KEY: &str = include_str!("../../tests/fixtures/rsa2048.pub.pem");
    const NOW: u64 = 1_700_000_000;

    fn sign(claims: &Value) -> String {
        let key = EncodingKey::from_rsa_pem(PRIVATE_KEY.as_bytes()).expect("test private key");
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), claims, &key).expect("signs")
    }

    fn claims() -> Value {
        json!({
            "iss": "client-1", "sub": "client-1", "aud": AUDIENCE,
            "iat": NOW, "exp": NOW + 600, "jti": "0123"
        })
    }

    fn key() -> ClientKey {
        ClientKey::from_pem(PUBLIC_KEY).expect("test public key")
    }

    fn rejection(claims: &Value) -> String {
        verify(&sign(claims), &key(), "client-1", NOW).expect_err("rejected")
    }

    #[test]
    fn valid_assertion_accepted() {
        let verified = verify(&sign(&claims()), &key(), "client-1", NOW).expect("accepted");
        assert_eq!(verified["jti"], "0123");
    }

    #[test]
    fn claim_checks() {
        let mut far = claims();
        far["exp"] = json!(NOW + 2 * MAX_LIFETIME_SECS);
        assert!(rejection(&far).contains("at most 3600 s"));

        let mut expired = claims();
        expired["exp"] = json!(NOW - 120);
        assert!(rejection(&expired).contains("has expired"));

        let mut audience = claims();
        audience["aud"] = json!("https://example.com");
        assert!(rejection(&audience).contains("aud claim is \"https://example.com\""));

        let mut issuer = claims();
        issuer["iss"] = json!("other");
        assert!(rejection(&issuer).contains("iss claim is \"other\""));

        let mut subject = claims();
        subject["sub"] = json!("other");
        assert!(rejection(&subject).contains("sub claim is \"other\""));

        let mut missing = claims();
        missing.as_object_mut().expect("object").remove("sub");
        assert!(rejection(&missing).contains("no sub claim"));

        let mut future = claims();
        future["iat"] = json!(NOW + 300);
        assert!(rejection(&future).contains("iat claim"));

        let mut early = claims();
        early["nbf"] = json!(NOW + 300);
        assert!(rejection(&early).contains("not valid yet"));

        let mut text = claims();
        text["exp"] = json!("soon");
        assert!(rejection(&text).contains("exp claim is \"soon\", which has the wrong type"));

        let mut skewed = claims();
        skewed["exp"] = json!(NOW - 10);
        assert!(verify(&sign(&skewed), &key(), "client-1", NOW).is_ok());
    }

    #[test]
    fn other_algorithms_rejected() {
        let hs256 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims(),
            &EncodingKey::from_secret(b"shared"),
        )
        .expect("signs");
        let error = verify(&hs256, &key(), "client-1", NOW).expect_err("HS256");
        assert!(error.contains("requires RS256"), "{error}");
        let error = verify("not-a-jwt", &key(), "client-1", NOW).expect_err("garbage");
        assert!(error.contains("not a well-formed JWT"), "{error}");
    }

    #[test]
    fn key_parsing() {
        let error =
            ClientKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .expect_err("garbage");
        assert!(error.contains("not an RSA public key"), "{error}");
        let error = ClientKey::from_pem(PRIVATE_KEY).expect_err("a private key");
        assert!(error.contains("not an RSA public key"), "{error}");
        assert_eq!(key().bits, 2048);
    }

    #[test]
    fn spki_and_short_keys() {
        use rsa::RsaPrivateKey;
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::pkcs8::{EncodePublicKey, LineEnding};

        let spki = RsaPublicKey::from_pkcs1_pem(PUBLIC_KEY)
            .expect("test public key")
            .to_public_key_pem(LineEnding::LF)
            .expect("SPKI encoding");
        assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----"));
        let from_spki = ClientKey::from_pem(&spki).expect("SPKI key");
        assert!(verify(&sign(&claims()), &from_spki, "client-1", NOW).is_ok());

        let short = RsaPrivateKey::from_pkcs1_pem(include_str!("../../tests/fixtures/rsa1024.pem"))
            .expect("1024-bit test key")
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("SPKI encoding");
        let error = ClientKey::from_pem(&short).expect_err("too short");
        assert!(error.contains("1024 bits"), "{error}");
    }
}
