//! Turning wire names into Rust identifiers.

use std::collections::BTreeSet;

/// Rust keywords, strict and reserved, of edition 2024.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Splits a wire name into lower-case words: `zappSSLScanEnabled` gives `zapp`, `ssl`, `scan`,
/// `enabled`; `ip_addr_setting` and `urn:a.b-c` split on the punctuation.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1).copied();
        let boundary = match previous {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Returns the snake-case form of a wire name, such as `zapp_ssl_scan_enabled`.
pub fn snake(name: &str) -> String {
    let joined = words(name).join("_");
    if joined.is_empty() {
        "value".to_owned()
    } else if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{joined}")
    } else {
        joined
    }
}

/// Returns the camel-case form of a name, such as `UrlCategories`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        "Value".to_owned()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{out}")
    } else {
        out
    }
}

/// Returns a snake-case name usable as a field, argument or method name: keywords become raw
/// identifiers (`r#type`), and the few keywords that cannot be raw get a trailing underscore.
pub fn ident(snake_name: &str) -> String {
    if NOT_RAW.contains(&snake_name) {
        format!("{snake_name}_")
    } else if KEYWORDS.contains(&snake_name) {
        format!("r#{snake_name}")
    } else {
        snake_name.to_owned()
    }
}

/// Returns a type name for a catalog model name. Names that are already camel case are kept
/// (`URLCategory`), so that the Rust type reads like the catalog; others are converted.
pub fn type_name(model: &str) -> String {
    let valid = model.starts_with(|c: char| c.is_ascii_uppercase())
        && model.chars().all(|c| c.is_ascii_alphanumeric())
        && model.chars().any(|c| c.is_ascii_lowercase());
    if valid {
        model.to_owned()
    } else {
        camel(model)
    }
}

/// Hands out names that are unique within one scope, appending `_2`, `_3`, ... (or `2`, `3`
/// for type names) to repeats.
#[derive(Debug, Default)]
pub struct Unique {
    taken: BTreeSet<String>,
}

impl Unique {
    /// Creates a scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Unique {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Returns `base`, or `base` with the first free suffix.
    pub fn claim(&mut self, base: &str, separator: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_splits_acronyms() {
        assert_eq!(snake("zappSSLScanEnabled"), "zapp_ssl_scan_enabled");
        assert_eq!(snake("ip_addr_setting"), "ip_addr_setting");
        assert_eq!(snake("rootCert\t"), "root_cert");
        assert_eq!(snake("$ref"), "ref");
        assert_eq!(snake("IDNameExtensions"), "id_name_extensions");
        assert_eq!(snake("z_ver_id_md32"), "z_ver_id_md32");
        assert_eq!(snake("ipv6Enabled"), "ipv6_enabled");
        assert_eq!(
            snake("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
            "urn_ietf_params_scim_schemas_extension_enterprise_2_0_user"
        );
    }

    #[test]
    fn camel_and_type_names() {
        assert_eq!(camel("url_categories"), "UrlCategories");
        assert_eq!(camel("ADD_TO_LIST"), "AddToList");
        assert_eq!(camel("2.0"), "V20");
        assert_eq!(type_name("URLCategory"), "URLCategory");
        assert_eq!(type_name("DLP"), "Dlp");
    }

    #[test]
    fn keywords_become_raw() {
        assert_eq!(ident("type"), "r#type");
        assert_eq!(ident("self"), "self_");
        assert_eq!(ident("name"), "name");
    }

    #[test]
    fn unique_appends_suffix() {
        let mut scope = Unique::with_reserved(&["extra"]);
        assert_eq!(scope.claim("extra", "_"), "extra_2");
        assert_eq!(scope.claim("a", "_"), "a");
        assert_eq!(scope.claim("a", "_"), "a_2");
    }
}
