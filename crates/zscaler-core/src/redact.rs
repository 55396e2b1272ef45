//! Masking of secrets in what the SDK logs.
//!
//! Headers, JSON bodies, form bodies, URLs and free text all pass through here before they
//! reach a log event. The mask is `[redacted]`.

use reqwest::header::HeaderMap;

/// The text that replaces a secret.
pub const MASK: &str = "[redacted]";

/// Maximum body text written to a log event, in bytes.
const MAX_LOGGED_BODY: usize = 4096;

/// Returns true for a header or field name whose value is a secret. Names are compared without
/// case, `-` or `_`, so `client_secret`, `clientSecret` and `Client-Secret` all match.
pub fn is_sensitive_name(name: &str) -> bool {
    let normalized: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        normalized.as_str(),
        "password"
            | "apikey"
            | "clientsecret"
            | "secret"
            | "accesstoken"
            | "refreshtoken"
            | "idtoken"
            | "token"
            | "clientassertion"
            | "privatekey"
            | "authorization"
            | "proxyauthorization"
            | "cookie"
            | "setcookie"
            | "jsessionid"
            | "presharedkey"
            | "psk"
            | "xapikey"
    )
}

/// Formats headers for a log line with every sensitive value masked.
pub fn headers_for_log(headers: &HeaderMap) -> String {
    let mut out = String::new();
    for (name, value) in headers {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(name.as_str());
        out.push_str(": ");
        if is_sensitive_name(name.as_str()) || value.is_sensitive() {
            out.push_str(MASK);
        } else {
            out.push_str(&text_for_log(value.to_str().unwrap_or("<binary>")));
        }
    }
    out
}

/// Masks the sensitive fields of a JSON value, at any depth.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if is_sensitive_name(key) && !field.is_null() {
                    *field = serde_json::Value::String(MASK.to_owned());
                } else {
                    redact_json(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Formats a request or response body for a log event: JSON and form bodies with sensitive
/// fields masked, other text with session cookies and bearer tokens masked, all cut at 4 KiB.
pub fn body_for_log(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let text = if let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(body) {
        redact_json(&mut json);
        json.to_string()
    } else {
        let raw = String::from_utf8_lossy(body);
        if looks_like_form(&raw) {
            form_for_log(&raw)
        } else {
            text_for_log(&raw)
        }
    };
    truncate(text)
}

fn looks_like_form(text: &str) -> bool {
    !text.contains(char::is_whitespace) && text.contains('=')
}

fn form_for_log(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_sensitive_name(name) => format!("{name}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Field names whose values [`text_for_log`] masks inside text that is not valid JSON, such as
/// a cut or broken body.
const SECRET_FIELDS: [&str; 9] = [
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "client_assertion",
    "password",
    "apiKey",
    "token",
    "preSharedKey",
];

/// Masks `JSESSIONID=...` values, bearer tokens, and the values of secret fields written as
/// `"name":"value"` or `name=value` inside free text.
pub fn text_for_log(text: &str) -> String {
    let mut out = mask_after(text, "JSESSIONID=", |c| {
        c == ';' || c == ',' || c.is_whitespace()
    });
    out = mask_after(&out, "Bearer ", |c| {
        c.is_whitespace() || c == '"' || c == ','
    });
    for field in SECRET_FIELDS {
        out = mask_after(&out, &format!("\"{field}\":\""), |c| c == '"');
        out = mask_after(&out, &format!("\"{field}\": \""), |c| c == '"');
        out = mask_after(&out, &format!("{field}="), |c| {
            c == '&' || c.is_whitespace()
        });
    }
    out
}

fn mask_after(text: &str, marker: &str, ends: impl Fn(char) -> bool) -> String {
    let lower = text.to_ascii_lowercase();
    let marker_lower = marker.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut rest_start = 0;
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find(&marker_lower) {
        let value_start = search_from + found + marker.len();
        let value_end = text[value_start..]
            .find(&ends)
            .map_or(text.len(), |offset| value_start + offset);
        out.push_str(&text[rest_start..value_start]);
        if value_end > value_start {
            out.push_str(MASK);
        }
        rest_start = value_end;
        search_from = value_end.max(value_start);
    }
    out.push_str(&text[rest_start..]);
    out
}

/// Masks the password of a URL such as a proxy URL with credentials.
pub fn url_for_log(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Setting a password only fails for URLs that cannot have one, and this one has one.
            let _ = parsed.set_password(Some(MASK));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => match (url.find("://"), url.rfind('@')) {
            (Some(scheme_end), Some(at)) if at > scheme_end => {
                format!("{}{MASK}{}", &url[..scheme_end + 3], &url[at..])
            }
            _ => url.to_owned(),
        },
    }
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_LOGGED_BODY {
        let mut cut = MAX_LOGGED_BODY;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let total = text.len();
        text.truncate(cut);
        text.push_str(&format!("… ({total} bytes in all)"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn sensitive_names_match_every_spelling() {
        for name in [
            "password",
            "apiKey",
            "client_secret",
            "clientSecret",
            "access_token",
            "Authorization",
            "Set-Cookie",
            "JSESSIONID",
            "preSharedKey",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in ["name", "email", "username", "client_id", "tokenType"] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn json_body_masks_nested_secrets() {
        let body = br#"{"username":"admin@example.com","password":"pw1","nested":{"apiKey":"k2"},"list":[{"preSharedKey":"psk3"}]}"#;
        let logged = body_for_log(body);
        assert!(logged.contains("admin@example.com"), "{logged}");
        for secret in ["pw1", "k2", "psk3"] {
            assert!(!logged.contains(secret), "{logged}");
        }
    }

    #[test]
    fn form_body_masks_secret_fields() {
        let logged = body_for_log(b"client_id=abc&client_secret=s3cr3t&grant_type=x");
        assert_eq!(
            logged,
            "client_id=abc&client_secret=[redacted]&grant_type=x"
        );
    }

    #[test]
    fn text_masks_session_cookie_and_bearer() {
        let logged = text_for_log("JSESSIONID=ABC123; Path=/ and Bearer eyJhbGc.x.y, done");
        assert_eq!(
            logged,
            "JSESSIONID=[redacted]; Path=/ and Bearer [redacted], done"
        );
    }

    #[test]
    fn text_masks_secret_fields_in_broken_json() {
        let logged = text_for_log(r#"{"access_token":"abc.def","password": "pw", "name":"n""#);
        assert!(!logged.contains("abc.def"), "{logged}");
        assert!(!logged.contains("\"pw\""), "{logged}");
        assert!(logged.contains("\"name\":\"n\""), "{logged}");
    }

    #[test]
    fn headers_mask_credentials() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer tok"));
        headers.insert("cookie", HeaderValue::from_static("JSESSIONID=abc"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let logged = headers_for_log(&headers);
        assert!(!logged.contains("tok"), "{logged}");
        assert!(!logged.contains("abc"), "{logged}");
        assert!(logged.contains("application/json"), "{logged}");
    }

    #[test]
    fn proxy_url_password_masked() {
        let logged = url_for_log("http://user:pa55@proxy.local:3128");
        assert!(!logged.contains("pa55"), "{logged}");
        assert!(logged.contains("user"), "{logged}");
    }

    #[test]
    fn long_body_is_cut() {
        let body = "x".repeat(10_000);
        let logged = body_for_log(body.as_bytes());
        assert!(logged.len() < 4200);
        assert!(logged.ends_with("(10000 bytes in all)"));
    }
}
