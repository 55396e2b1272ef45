//! ZPA search expressions: the `search=name+EQ+value` query parameter and the `filterBy`
//! part of `POST .../search` bodies.

use serde_json::Value;

use crate::store::field_texts;

/// A comparison operator of a search expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operator {
    /// Equal, ignoring case.
    Eq,
    /// Not equal, ignoring case.
    Ne,
    /// Contains, ignoring case.
    Contains,
    /// Starts with, ignoring case.
    StartsWith,
    /// Ends with, ignoring case.
    EndsWith,
    /// Greater than: numbers when both sides are numbers, else text ignoring case.
    Gt,
    /// Less than.
    Lt,
    /// Greater than or equal.
    Ge,
    /// Less than or equal.
    Le,
}

impl Operator {
    fn parse(text: &str) -> Option<Self> {
        let operator = match text.to_ascii_uppercase().as_str() {
            "EQ" => Self::Eq,
            "NE" => Self::Ne,
            "CONTAINS" => Self::Contains,
            "STARTSWITH" => Self::StartsWith,
            "ENDSWITH" => Self::EndsWith,
            "GT" => Self::Gt,
            "LT" => Self::Lt,
            "GE" => Self::Ge,
            "LE" => Self::Le,
            _ => return None,
        };
        Some(operator)
    }

    fn test(self, actual: &str, expected: &str) -> bool {
        let actual_lower = actual.to_lowercase();
        let expected_lower = expected.to_lowercase();
        let ordering = || match (actual.trim().parse::<f64>(), expected.trim().parse::<f64>()) {
            (Ok(a), Ok(b)) => a.partial_cmp(&b),
            _ => Some(actual_lower.cmp(&expected_lower)),
        };
        match self {
            Self::Eq => actual_lower == expected_lower,
            Self::Ne => actual_lower != expected_lower,
            Self::Contains => actual_lower.contains(&expected_lower),
            Self::StartsWith => actual_lower.starts_with(&expected_lower),
            Self::EndsWith => actual_lower.ends_with(&expected_lower),
            Self::Gt => ordering().is_some_and(std::cmp::Ordering::is_gt),
            Self::Lt => ordering().is_some_and(std::cmp::Ordering::is_lt),
            Self::Ge => ordering().is_some_and(std::cmp::Ordering::is_ge),
            Self::Le => ordering().is_some_and(std::cmp::Ordering::is_le),
        }
    }
}

/// One `field OPERATOR value` condition on a top-level JSON key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Condition {
    /// JSON key of the item.
    pub field: String,
    /// Comparison.
    pub operator: Operator,
    /// Values to compare with; the condition holds when any of them matches (`NE`: none).
    pub values: Vec<String>,
}

impl Condition {
    /// Reports whether an item satisfies the condition. Array fields match when any element
    /// does; a missing field only satisfies `NE`.
    pub fn matches(&self, item: &Value) -> bool {
        let actual = field_texts(item, &[self.field.as_str()]);
        if self.operator == Operator::Ne {
            return self
                .values
                .iter()
                .all(|expected| actual.iter().all(|text| Operator::Ne.test(text, expected)));
        }
        self.values
            .iter()
            .any(|expected| actual.iter().any(|text| self.operator.test(text, expected)))
    }
}

/// Parses a `search` query value.
///
/// The parts may be separated by `+` (when the client percent-encoded it as `%2B`) or by
/// spaces (a `+` in a query decodes to a space). Everything after the operator is the value,
/// kept as is. A text without a known operator is taken as `name EQ <text>`, which is how the
/// SDKs rewrite a bare word.
pub(crate) fn parse_expression(expression: &str) -> Condition {
    let expression = expression.trim();
    let is_separator = |c: char| c == '+' || c.is_whitespace();
    if let Some((field, rest)) = expression.split_once(is_separator) {
        let (operator, value) = rest.split_once(is_separator).unwrap_or((rest, ""));
        if let Some(operator) = Operator::parse(operator)
            && !field.is_empty()
        {
            return Condition {
                field: field.to_string(),
                operator,
                values: vec![value.to_string()],
            };
        }
    }
    Condition {
        field: "name".to_string(),
        operator: Operator::Eq,
        values: vec![expression.to_string()],
    }
}

/// Parses the `filterBy` object of a search request body into conditions that must all hold.
/// Filters without a known operator are skipped.
pub(crate) fn parse_filter_by(filter_by: Option<&Value>) -> Vec<Condition> {
    let Some(groups) = filter_by
        .and_then(|filter_by| filter_by.get("filterGroups"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut conditions = Vec::new();
    for filter in groups
        .iter()
        .filter_map(|group| group.get("filters")?.as_array())
        .flatten()
    {
        let text = |name: &str| filter.get(name).and_then(Value::as_str).unwrap_or_default();
        let Some(operator) = Operator::parse(text("operator")) else {
            continue;
        };
        let mut values: Vec<String> = filter
            .get("values")
            .and_then(Value::as_array)
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if !text("value").is_empty() {
            values.push(text("value").to_string());
        }
        values.extend(
            text("commaSepValues")
                .split(',')
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string),
        );
        conditions.push(Condition {
            field: text("filterName").to_string(),
            operator,
            values,
        });
    }
    conditions
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn expression_separators() {
        let plus = parse_expression("name+EQ+My App");
        let spaces = parse_expression("name EQ My App");
        assert_eq!(plus, spaces);
        assert_eq!(plus.field, "name");
        assert_eq!(plus.operator, Operator::Eq);
        assert_eq!(plus.values, vec!["My App"]);
    }

    #[test]
    fn bare_word_means_name_eq() {
        let condition = parse_expression("web01");
        assert_eq!(condition.field, "name");
        assert_eq!(condition.operator, Operator::Eq);
        assert_eq!(condition.values, vec!["web01"]);
    }

    #[test]
    fn operators_compare() {
        let item = json!({"name": "Web-Portal", "creationTime": "1700000000", "domainNames": ["a.example", "b.example"]});
        let check = |text: &str| parse_expression(text).matches(&item);
        assert!(check("name EQ web-portal"));
        assert!(!check("name NE web-portal"));
        assert!(check("name CONTAINS portal"));
        assert!(check("name STARTSWITH web"));
        assert!(check("name ENDSWITH PORTAL"));
        assert!(check("creationTime GT 999"));
        assert!(check("creationTime LT 1700000001"));
        assert!(check("creationTime GE 1700000000"));
        assert!(check("creationTime LE 1700000000"));
        assert!(check("domainNames EQ b.example"));
        assert!(!check("missing EQ x"));
        assert!(check("missing NE x"));
    }

    #[test]
    fn filter_by_body() {
        let filter_by = json!({"filterGroups": [{"filters": [
            {"filterName": "name", "operator": "CONTAINS", "values": ["sales"]},
            {"filterName": "enabled", "operator": "EQ", "value": "true"}
        ]}]});
        let conditions = parse_filter_by(Some(&filter_by));
        assert_eq!(conditions.len(), 2);
        assert!(
            conditions
                .iter()
                .all(|c| c.matches(&json!({"name": "Sales EU", "enabled": true})))
        );
    }
}
