//! Turning the SDK's logs on from the environment.
//!
//! The SDK emits `tracing` spans and events and never installs a subscriber by itself.
//! Programs that want the ready-made one call [`init_from_env`] once at start:
//! `ZSCALER_SDK_LOG=true` logs each call, login, retry and wait at info level, and
//! `ZSCALER_SDK_VERBOSE=true` adds debug decisions and request and response bodies, with every
//! secret masked by [`crate::redact`].

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{ENV_SDK_LOG, ENV_SDK_VERBOSE, Env, Problems};
use crate::error::{ConfigError, Error, Result};

/// The crates whose events the ready-made subscriber shows.
const SDK_TARGETS: [&str; 5] = [
    "zscaler",
    "zscaler_core",
    "zscaler_zia",
    "zscaler_zpa",
    "zscaler_sim",
];

/// How much the ready-made subscriber shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    /// Nothing.
    Off,
    /// Calls, logins, retries and waits.
    Info,
    /// Everything, bodies included (secrets masked).
    Verbose,
}

impl LogLevel {
    /// Reads `ZSCALER_SDK_LOG` and `ZSCALER_SDK_VERBOSE`. Verbose implies logging.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let mut problems = Problems::default();
        let log = problems.take(env.bool(ENV_SDK_LOG)).unwrap_or(false);
        let verbose = problems.take(env.bool(ENV_SDK_VERBOSE)).unwrap_or(false);
        problems.finish()?;
        Ok(match (log, verbose) {
            (_, true) => LogLevel::Verbose,
            (true, false) => LogLevel::Info,
            (false, false) => LogLevel::Off,
        })
    }

    fn filter(self) -> EnvFilter {
        let level = match self {
            LogLevel::Off => "off",
            LogLevel::Info => "info",
            LogLevel::Verbose => "trace",
        };
        let directives: Vec<String> = SDK_TARGETS
            .iter()
            .map(|target| format!("{target}={level}"))
            .collect();
        EnvFilter::new(directives.join(","))
    }
}

/// Builds the ready-made subscriber writing to `writer`. Tests use this to capture logs.
pub fn subscriber<W>(level: LogLevel, writer: W) -> impl Subscriber + Send + Sync + 'static
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(level.filter())
        .with_writer(writer)
        .with_target(true)
        .with_ansi(false)
        .finish()
}

/// Installs the ready-made subscriber as the global default when `ZSCALER_SDK_LOG` or
/// `ZSCALER_SDK_VERBOSE` is `true`, writing to standard error. Returns whether it installed one.
///
/// Fails when a variable has an invalid value, or when another global subscriber is already
/// installed.
pub fn init_from_env() -> Result<bool> {
    init_from(&Env::process())
}

/// Same as [`init_from_env`], reading the given environment.
pub fn init_from(env: &Env) -> Result<bool> {
    let level = LogLevel::from_env(env)?;
    if level == LogLevel::Off {
        return Ok(false);
    }
    tracing::subscriber::set_global_default(subscriber(level, std::io::stderr)).map_err(|_| {
        Error::Config(ConfigError::new(
            "failed to install the SDK's log subscriber: another global tracing subscriber is \
             already installed; drop the other one or leave ZSCALER_SDK_LOG unset",
        ))
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_from_env() {
        let cases = [
            (vec![], LogLevel::Off),
            (vec![(ENV_SDK_LOG, "true")], LogLevel::Info),
            (vec![(ENV_SDK_LOG, "false")], LogLevel::Off),
            (vec![(ENV_SDK_VERBOSE, "true")], LogLevel::Verbose),
            (
                vec![(ENV_SDK_LOG, "true"), (ENV_SDK_VERBOSE, "true")],
                LogLevel::Verbose,
            ),
        ];
        for (pairs, expected) in cases {
            let env = Env::from_pairs(pairs.clone());
            assert_eq!(LogLevel::from_env(&env), Ok(expected), "{pairs:?}");
        }
    }

    #[test]
    fn invalid_log_value_is_rejected() {
        let env = Env::from_pairs([(ENV_SDK_LOG, "loud")]);
        let error = LogLevel::from_env(&env).expect_err("loud is not a boolean");
        assert!(error.to_string().contains(ENV_SDK_LOG));
        assert!(init_from(&env).is_err());
    }

    #[test]
    fn off_installs_nothing() {
        assert_eq!(init_from(&Env::default()).ok(), Some(false));
    }
}
