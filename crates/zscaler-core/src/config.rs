//! Reading settings from the environment.
//!
//! Every setting can be given in code; where a variable exists it is read from an [`Env`],
//! which is a snapshot of the process environment or a map given by a test. Values are parsed
//! strictly, and an invalid value is a [`ConfigError`] that names the variable and the value.

use std::collections::HashMap;
use std::time::Duration;

use crate::error::ConfigError;

/// `ZSCALER_SDK_LOG`: `true` installs the SDK's log subscriber (see [`crate::logging`]).
pub const ENV_SDK_LOG: &str = "ZSCALER_SDK_LOG";
/// `ZSCALER_SDK_VERBOSE`: `true` logs at debug level, bodies included (secrets masked).
pub const ENV_SDK_VERBOSE: &str = "ZSCALER_SDK_VERBOSE";
/// `ZSCALER_CLIENT_CACHE_ENABLED`: `true` turns the response cache on.
pub const ENV_CACHE_ENABLED: &str = "ZSCALER_CLIENT_CACHE_ENABLED";
/// `ZSCALER_CLIENT_CACHE_DEFAULT_TTL`: seconds a cached response lives.
pub const ENV_CACHE_TTL: &str = "ZSCALER_CLIENT_CACHE_DEFAULT_TTL";
/// `ZSCALER_CLIENT_CACHE_DEFAULT_TTI`: seconds a cached response may go unread.
pub const ENV_CACHE_TTI: &str = "ZSCALER_CLIENT_CACHE_DEFAULT_TTI";

/// A set of environment variables to read settings from.
///
/// [`Env::process`] snapshots the process environment; [`Env::from_pairs`] builds one for tests,
/// so no test has to change the real environment.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
    not_unicode: Vec<String>,
}

impl Env {
    /// Snapshots the variables of the current process.
    pub fn process() -> Self {
        let mut env = Env::default();
        for (name, value) in std::env::vars_os() {
            let Some(name) = name.to_str().map(str::to_owned) else {
                continue;
            };
            match value.into_string() {
                Ok(value) => {
                    env.vars.insert(name, value);
                }
                Err(_) => env.not_unicode.push(name),
            }
        }
        env
    }

    /// Builds an environment from name and value pairs.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            not_unicode: Vec::new(),
        }
    }

    /// Returns the value of a variable, or `None` when it is unset or blank. The value is
    /// returned as it is, spaces included, since a password may start or end with one; the
    /// parsing methods trim what they parse.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.trim().is_empty())
    }

    /// Returns a variable's value, failing if it is set but not valid UTF-8.
    pub fn text(&self, name: &str) -> Result<Option<String>, ConfigError> {
        if self.not_unicode.iter().any(|n| n == name) {
            return Err(ConfigError::new(format!(
                "invalid value for {name}: it is not valid UTF-8"
            )));
        }
        Ok(self.get(name).map(str::to_owned))
    }

    /// Parses a boolean variable: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ConfigError> {
        self.text(name)?
            .map(|value| {
                parse_bool(&value).ok_or_else(|| {
                    ConfigError::new(format!(
                        "invalid value {value:?} for {name}: expected true or false"
                    ))
                })
            })
            .transpose()
    }

    /// Parses a non-negative integer variable.
    pub fn u64(&self, name: &str) -> Result<Option<u64>, ConfigError> {
        self.text(name)?
            .map(|value| {
                value.trim().parse::<u64>().map_err(|_| {
                    ConfigError::new(format!(
                        "invalid value {value:?} for {name}: expected a whole number such as 30"
                    ))
                })
            })
            .transpose()
    }

    /// Parses a duration variable: a number of seconds (`30`) or a number with a unit
    /// (`250ms`, `30s`, `5m`, `1h`).
    pub fn duration(&self, name: &str) -> Result<Option<Duration>, ConfigError> {
        self.text(name)?
            .map(|value| {
                parse_duration(&value).ok_or_else(|| {
                    ConfigError::new(format!(
                        "invalid value {value:?} for {name}: expected seconds such as 30, or a \
                         number with a unit such as 250ms, 30s, 5m or 1h"
                    ))
                })
            })
            .transpose()
    }

    /// Parses a duration variable like [`duration`](Self::duration) and rejects zero, for
    /// timeouts and deadlines that would make every call fail.
    pub fn positive_duration(&self, name: &str) -> Result<Option<Duration>, ConfigError> {
        match self.duration(name)? {
            Some(duration) if duration.is_zero() => Err(ConfigError::new(format!(
                "invalid value {:?} for {name}: it must be greater than zero",
                self.get(name).unwrap_or_default()
            ))),
            other => Ok(other),
        }
    }
}

/// Parses `true`/`false` and the usual synonyms, case-insensitively.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Parses a duration given as seconds or as a number with a unit (`ms`, `s`, `m`, `h`).
pub fn parse_duration(value: &str) -> Option<Duration> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    if !number.is_finite() || number < 0.0 {
        return None;
    }
    let seconds = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => number,
        "ms" => number / 1000.0,
        "m" | "min" | "mins" | "minute" | "minutes" => number * 60.0,
        "h" | "hour" | "hours" => number * 3600.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// Collects configuration problems so that one error can report all of them.
#[derive(Debug, Default)]
pub struct Problems(Vec<String>);

impl Problems {
    /// Records the problem of a failed read and returns the value of a successful one.
    pub fn take<T>(&mut self, result: Result<Option<T>, ConfigError>) -> Option<T> {
        match result {
            Ok(value) => value,
            Err(error) => {
                self.0.extend(error.problems().iter().cloned());
                None
            }
        }
    }

    /// Records a problem.
    pub fn push(&mut self, problem: impl Into<String>) {
        self.0.push(problem.into());
    }

    /// Records every problem of an error.
    pub fn extend(&mut self, error: ConfigError) {
        self.0.extend(error.problems().iter().cloned());
    }

    /// Returns an error listing every recorded problem, or `Ok` when there were none.
    pub fn finish(self) -> Result<(), ConfigError> {
        match ConfigError::from_problems(self.0) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bool_accepts_true_and_false() {
        let env = Env::from_pairs([("A", "TRUE"), ("B", "false"), ("C", " 1 ")]);
        assert_eq!(env.bool("A"), Ok(Some(true)));
        assert_eq!(env.bool("B"), Ok(Some(false)));
        assert_eq!(env.bool("C"), Ok(Some(true)));
        assert_eq!(env.bool("UNSET"), Ok(None));
    }

    #[test]
    fn bool_rejects_other_words() {
        let env = Env::from_pairs([("ZSCALER_SDK_LOG", "maybe")]);
        let error = env
            .bool("ZSCALER_SDK_LOG")
            .expect_err("maybe is not a boolean");
        let text = error.to_string();
        assert!(text.contains("ZSCALER_SDK_LOG"), "{text}");
        assert!(text.contains("\"maybe\""), "{text}");
    }

    #[test]
    fn text_keeps_surrounding_spaces() {
        let env = Env::from_pairs([("ZIA_PASSWORD", " pass word ")]);
        assert_eq!(env.text("ZIA_PASSWORD"), Ok(Some(" pass word ".to_owned())));
    }

    #[test]
    fn blank_value_counts_as_unset() {
        let env = Env::from_pairs([("A", "  ")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.u64("A"), Ok(None));
    }

    #[test]
    fn durations_parse_with_and_without_unit() {
        let cases = [
            ("30", Some(Duration::from_secs(30))),
            ("30s", Some(Duration::from_secs(30))),
            ("250ms", Some(Duration::from_millis(250))),
            ("5m", Some(Duration::from_secs(300))),
            ("1h", Some(Duration::from_secs(3600))),
            ("1.5", Some(Duration::from_millis(1500))),
            ("-1", None),
            ("ten", None),
            ("5 parsecs", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text), expected, "input {text:?}");
        }
    }

    #[test]
    fn zero_timeout_rejected() {
        let env = Env::from_pairs([("T", "0s")]);
        let error = env.positive_duration("T").expect_err("zero");
        assert!(error.to_string().contains("greater than zero"), "{error}");
        assert_eq!(env.positive_duration("UNSET"), Ok(None));
    }

    #[test]
    fn invalid_number_names_variable_and_value() {
        let env = Env::from_pairs([("ZSCALER_CLIENT_CACHE_DEFAULT_TTL", "1h30")]);
        let error = env
            .u64("ZSCALER_CLIENT_CACHE_DEFAULT_TTL")
            .expect_err("1h30 is not a number");
        assert!(
            error
                .to_string()
                .contains("ZSCALER_CLIENT_CACHE_DEFAULT_TTL")
        );
        assert!(error.to_string().contains("\"1h30\""));
    }

    #[test]
    fn problems_collect_into_one_error() {
        let env = Env::from_pairs([("A", "x"), ("B", "y")]);
        let mut problems = Problems::default();
        assert_eq!(problems.take(env.bool("A")), None);
        assert_eq!(problems.take(env.u64("B")), None);
        let error = problems.finish().expect_err("two problems");
        assert_eq!(error.problems().len(), 2);
    }
}
