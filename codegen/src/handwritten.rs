//! The hand-written side of a product crate, which the generator must not duplicate. The
//! catalog operations it serves are read from the table in the crate's `tests/coverage.rs`,
//! and the client's method names from its `impl` blocks, so that no generated method clashes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Name of the table in `tests/coverage.rs`.
const TABLE: &str = "const HAND_WRITTEN";

/// The hand-written side of one product crate.
#[derive(Debug, Default)]
pub struct HandWritten {
    /// Operations served by hand-written methods: resource name to operation names.
    pub operations: BTreeMap<String, BTreeSet<String>>,
    /// Methods the client type already has.
    pub client_methods: BTreeSet<String>,
}

impl HandWritten {
    /// Reads the table in `tests_dir/coverage.rs` and the client methods of the crate at
    /// `crate_dir`.
    pub fn load(crate_dir: &Path, tests_dir: &Path, client: &str) -> Result<HandWritten, String> {
        let coverage = tests_dir.join("coverage.rs");
        let operations = match std::fs::read_to_string(&coverage) {
            Ok(text) => parse_table(&text)
                .map_err(|problem| format!("{}: {problem}", coverage.display()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(error) => {
                return Err(format!("failed to read {}: {error}", coverage.display()));
            }
        };

        let mut client_methods = BTreeSet::new();
        let src = crate_dir.join("src");
        let entries = std::fs::read_dir(&src)
            .map_err(|error| format!("failed to list {}: {error}", src.display()))?;
        let mut files: Vec<_> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|error| format!("failed to read {}: {error}", file.display()))?;
            client_methods.extend(impl_methods(&text, client));
        }
        Ok(HandWritten {
            operations,
            client_methods,
        })
    }

    /// Returns true when a hand-written method serves this operation.
    pub fn covers(&self, resource: &str, operation: &str) -> bool {
        self.operations
            .get(resource)
            .is_some_and(|names| names.contains(operation))
    }
}

/// Parses `const HAND_WRITTEN: &[(&str, &str, &str)] = &[("users", "list", "..."), ...];`.
pub fn parse_table(text: &str) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let Some(start) = text.find(TABLE) else {
        return Ok(BTreeMap::new());
    };
    let body = &text[start..];
    let open = body
        .find("= &[")
        .ok_or("the HAND_WRITTEN table has no `= &[` opening")?;
    let close = body[open..]
        .find("];")
        .ok_or("the HAND_WRITTEN table has no closing `];`")?;
    let literals = string_literals(&body[open..open + close]);
    if !literals.len().is_multiple_of(3) {
        return Err(format!(
            "the HAND_WRITTEN table must hold (resource, operation, method) triples, found {} \
             strings",
            literals.len()
        ));
    }
    let mut table: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for triple in literals.chunks(3) {
        table
            .entry(triple[0].clone())
            .or_default()
            .insert(triple[1].clone());
    }
    Ok(table)
}

/// Returns the contents of the double-quoted string literals in `text`, in order. The table
/// contains plain names, so escapes other than `\"` are kept as written.
fn string_literals(text: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '/' && chars.clone().next() == Some('/') {
            for c in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
            continue;
        }
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        literal.push(escaped);
                    }
                }
                '"' => break,
                other => literal.push(other),
            }
        }
        literals.push(literal);
    }
    literals
}

/// Returns the names of the functions defined in `impl <type_name> {` blocks of `text`.
fn impl_methods(text: &str, type_name: &str) -> Vec<String> {
    let header = format!("impl {type_name} {{");
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(position) = rest.find(&header) {
        let block = &rest[position + header.len()..];
        let mut depth = 1usize;
        let mut end = block.len();
        for (index, c) in block.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = index;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &block[..end];
        for line in body.lines() {
            let line = line.trim_start();
            let line = line
                .strip_prefix("pub(crate) ")
                .or_else(|| line.strip_prefix("pub "))
                .unwrap_or(line);
            let line = line.strip_prefix("async ").unwrap_or(line);
            if let Some(signature) = line.strip_prefix("fn ") {
                let name: String = signature
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                names.push(name);
            }
        }
        rest = &block[end..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses_triples() {
        let text = r#"
            // A comment with "quotes" is skipped.
            const HAND_WRITTEN: &[(&str, &str, &str)] = &[
                ("users", "list", "zia.users().list()"),
                ("users", "get", "zia.users().get(id)"),
            ];
        "#;
        let table = parse_table(text).expect("valid table");
        assert_eq!(table["users"].len(), 2);
        assert!(table["users"].contains("get"));
    }

    #[test]
    fn table_rejects_pairs() {
        let text = r#"const HAND_WRITTEN: &[(&str, &str)] = &[("users", "list")];"#;
        assert!(parse_table(text).is_err());
    }

    #[test]
    fn impl_methods_are_found() {
        let text = "impl ZiaClient {\n    pub fn users(&self) -> U { U {} }\n    \
                    pub async fn close(&self) {}\n}\nimpl Other {\n    fn no(&self) {}\n}\n";
        assert_eq!(impl_methods(text, "ZiaClient"), ["users", "close"]);
    }
}
