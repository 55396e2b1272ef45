//! Writing doc comments and string literals, and finding the names a piece of code uses.

use std::collections::BTreeSet;

/// Width doc comments are wrapped at, comment markers and indentation included.
const DOC_WIDTH: usize = 100;

/// Returns `text` as `///` doc comment lines, wrapped to fit 100 columns at `indent` spaces.
/// Blank lines in `text` become empty doc lines (paragraph breaks).
pub fn doc(text: &str, indent: usize) -> String {
    let width = DOC_WIDTH.saturating_sub(indent + 4).max(40);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (index, paragraph) in text.split("\n\n").enumerate() {
        if index > 0 {
            out.push_str(&format!("{pad}///\n"));
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                out.push_str(&format!("{pad}/// {line}\n"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push_str(&format!("{pad}/// {line}\n"));
        }
    }
    out
}

/// Makes catalog prose safe for rustdoc: brackets and angle brackets are escaped so that they
/// are not read as links or HTML, and URLs are put in code spans.
pub fn prose(text: &str) -> String {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        if word.contains("://") && !word.contains('`') {
            let trimmed = word.trim_end_matches(['.', ',', ';', ')']);
            let tail = &word[trimmed.len()..];
            let head = trimmed.trim_start_matches('(');
            let lead = &trimmed[..trimmed.len() - head.len()];
            out.push(format!("{lead}`{head}`{tail}"));
            continue;
        }
        let mut escaped = String::new();
        let mut in_code = false;
        for c in word.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    escaped.push(c);
                }
                '[' | ']' | '<' | '>' | '*' if !in_code => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                other => escaped.push(other),
            }
        }
        out.push(escaped);
    }
    out.join(" ")
}

/// Returns a Rust string literal for `value`.
pub fn literal(value: &str) -> String {
    format!("{value:?}")
}

/// Returns the identifiers that appear in `code`, outside comments and string literals.
pub fn identifiers(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        let mut current = String::new();
        let mut in_string = false;
        let mut escaped = false;
        let chars: Vec<char> = line.chars().collect();
        for (index, &c) in chars.iter().enumerate() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            if c == '"' {
                in_string = true;
            }
            if c.is_ascii_alphanumeric() || c == '_' {
                current.push(c);
            } else if !current.is_empty() {
                let rest: String = chars[index..].iter().collect();
                let word = std::mem::take(&mut current);
                // `Name = "WIRE"` declares an enum variant, not a use of a type.
                if !rest.starts_with(" = \"") {
                    found.insert(word);
                }
            }
        }
        if !current.is_empty() {
            found.insert(current);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_wraps_and_keeps_paragraphs() {
        let text = format!("{}\n\nSecond.", "word ".repeat(30));
        let out = doc(&text, 4);
        assert!(out.lines().all(|line| line.len() <= 100), "{out}");
        assert!(out.contains("    ///\n    /// Second.\n"), "{out}");
    }

    #[test]
    fn prose_escapes_links_and_urls() {
        assert_eq!(prose("see [x] and <id>"), r"see \[x\] and \<id\>");
        assert_eq!(prose("at https://a.b/c."), "at `https://a.b/c`.");
        assert_eq!(prose("keep `a_b[0]` as is"), "keep `a_b[0]` as is");
        assert_eq!(prose("CUSTOM_01"), "CUSTOM_01");
    }

    #[test]
    fn identifiers_skip_strings_and_comments() {
        let found = identifiers("// Foo\nlet x = Bar::new(\"Baz\");\n    Qux = \"QUX\",");
        assert!(found.contains("Bar"));
        assert!(found.contains("x"));
        assert!(!found.contains("Baz"));
        assert!(!found.contains("Foo"));
        assert!(!found.contains("Qux"));
    }
}
