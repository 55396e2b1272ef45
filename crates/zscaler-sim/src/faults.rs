//! Fault injection: configuration, the seeded decision per request, and the formats of
//! `Retry-After`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Format of the retry hint that a 429 response gives the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RetryAfterFormat {
    /// Header `Retry-After: 1` (whole seconds), the ZIA format.
    #[default]
    Seconds,
    /// Header `Retry-After: 1s` (seconds with a unit), the ZPA format.
    SecondsWithUnit,
    /// Header `Retry-After` holding an HTTP date.
    HttpDate,
    /// No header; only the ZIA body field `"Retry-After":"1 seconds"`.
    ZiaJsonBodyOnly,
    /// No header; the ZIA body field is `"0 seconds"`, as legacy ZIA has sent.
    ZiaZeroSeconds,
    /// No hint at all.
    None,
    /// Only the header `x-ratelimit-reset: 1` (seconds until the window resets).
    RateLimitReset,
}

impl RetryAfterFormat {
    /// Every format with its command-line name.
    pub const ALL: [(RetryAfterFormat, &'static str); 7] = [
        (RetryAfterFormat::Seconds, "seconds"),
        (RetryAfterFormat::SecondsWithUnit, "seconds-with-unit"),
        (RetryAfterFormat::HttpDate, "http-date"),
        (RetryAfterFormat::ZiaJsonBodyOnly, "zia-json-body-only"),
        (RetryAfterFormat::ZiaZeroSeconds, "zia-zero-seconds"),
        (RetryAfterFormat::None, "none"),
        (RetryAfterFormat::RateLimitReset, "rate-limit-reset"),
    ];

    /// Returns the command-line name of the format.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(format, _)| *format == self)
            .map(|(_, name)| *name)
            .unwrap_or("seconds")
    }
}

impl fmt::Display for RetryAfterFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

/// Error returned when a text is not a [`RetryAfterFormat`] name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRetryAfterFormat(pub String);

impl fmt::Display for UnknownRetryAfterFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = RetryAfterFormat::ALL
            .iter()
            .map(|(_, name)| *name)
            .collect();
        write!(
            formatter,
            "unknown Retry-After format {:?}; expected one of: {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownRetryAfterFormat {}

impl FromStr for RetryAfterFormat {
    type Err = UnknownRetryAfterFormat;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let normalised = text.trim().to_ascii_lowercase().replace('_', "-");
        Self::ALL
            .iter()
            .find(|(_, name)| *name == normalised)
            .map(|(format, _)| *format)
            .ok_or_else(|| UnknownRetryAfterFormat(text.to_string()))
    }
}

/// Faults to inject. Probabilities are in `0.0..=1.0` and drawn from a generator seeded by the
/// simulator seed, so a run with the same requests in the same order gets the same faults.
///
/// Login calls (`POST /api/v1/authenticatedSession`, `POST /signin`) get no random fault and do
/// not count for `every_nth_rate_limited` unless `faults_on_login` is true.
#[derive(Clone, Debug, PartialEq)]
pub struct Faults {
    /// Probability of a 429 response.
    pub rate_limit: f64,
    /// Format of the retry hint on injected 429 responses.
    pub retry_after: RetryAfterFormat,
    /// Seconds given in the retry hint of injected 429 responses (except `ZiaZeroSeconds`).
    pub retry_after_secs: u64,
    /// Probability of a 500 response.
    pub server_error: f64,
    /// Probability of a 503 or 504 response (the two alternate).
    pub unavailable: f64,
    /// Probability that the connection is closed without any response.
    pub reset_connection: f64,
    /// Delay before responding to a stalled request.
    pub stall: Option<Duration>,
    /// Probability that a request stalls for `stall`.
    pub stall_probability: f64,
    /// Probability that the ZIA session or ZPA token of a request is invalidated before it is
    /// handled, so that the request gets 401.
    pub invalidate_session: f64,
    /// Probability of a 502 response with an HTML proxy error page.
    pub html_error: f64,
    /// Every Nth API request gets 429, counting from the first one after the faults were set.
    pub every_nth_rate_limited: Option<u32>,
    /// After this many authenticated requests, the session or token of the next request is
    /// invalidated once.
    pub invalidate_session_after: Option<u32>,
    /// Whether login calls are subject to faults too.
    pub faults_on_login: bool,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            rate_limit: 0.0,
            retry_after: RetryAfterFormat::Seconds,
            retry_after_secs: 1,
            server_error: 0.0,
            unavailable: 0.0,
            reset_connection: 0.0,
            stall: None,
            stall_probability: 0.0,
            invalidate_session: 0.0,
            html_error: 0.0,
            every_nth_rate_limited: None,
            invalidate_session_after: None,
            faults_on_login: false,
        }
    }
}

/// The response that a fault sends in place of the real one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FaultResponse {
    /// Close the connection without a response.
    Reset,
    /// 429 in the product's format.
    RateLimited,
    /// 500.
    ServerError,
    /// 503 or 504.
    Unavailable(u16),
    /// 502 with an HTML page.
    HtmlError,
}

/// Decision of the fault injector for one request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FaultDecision {
    /// Sleep this long before responding.
    pub stall: Option<Duration>,
    /// Replace the response.
    pub response: Option<FaultResponse>,
    /// Invalidate the request's session or token before handling it.
    pub invalidate: bool,
}

/// The fault configuration with its random generator and counters.
#[derive(Debug)]
pub(crate) struct FaultState {
    /// Current configuration.
    pub faults: Faults,
    rng: fastrand::Rng,
    api_requests: u64,
    authenticated_requests: u64,
    invalidated_after: bool,
    unavailable_count: u64,
}

impl FaultState {
    /// Creates the state with a generator derived from the simulator seed.
    pub fn new(faults: Faults, seed: u64) -> Self {
        Self {
            faults,
            rng: fastrand::Rng::with_seed(seed ^ 0x5eed_fa17),
            api_requests: 0,
            authenticated_requests: 0,
            invalidated_after: false,
            unavailable_count: 0,
        }
    }

    /// Replaces the configuration and restarts the deterministic counters.
    pub fn set(&mut self, faults: Faults) {
        self.faults = faults;
        self.api_requests = 0;
        self.authenticated_requests = 0;
        self.invalidated_after = false;
    }

    fn draw(&mut self, probability: f64) -> bool {
        probability > 0.0 && self.rng.f64() < probability
    }

    /// Decides the faults of one request. `login` marks sign-in calls.
    pub fn decide(&mut self, login: bool) -> FaultDecision {
        let mut decision = FaultDecision::default();
        if login && !self.faults.faults_on_login {
            return decision;
        }
        self.api_requests += 1;
        let faults = self.faults.clone();
        if self.draw(faults.stall_probability) {
            decision.stall = faults.stall;
        }
        let nth = faults
            .every_nth_rate_limited
            .is_some_and(|n| n > 0 && self.api_requests.is_multiple_of(u64::from(n)));
        decision.response = if self.draw(faults.reset_connection) {
            Some(FaultResponse::Reset)
        } else if nth || self.draw(faults.rate_limit) {
            Some(FaultResponse::RateLimited)
        } else if self.draw(faults.server_error) {
            Some(FaultResponse::ServerError)
        } else if self.draw(faults.unavailable) {
            self.unavailable_count += 1;
            let status = if self.unavailable_count % 2 == 1 {
                503
            } else {
                504
            };
            Some(FaultResponse::Unavailable(status))
        } else if self.draw(faults.html_error) {
            Some(FaultResponse::HtmlError)
        } else {
            None
        };
        decision.invalidate = !login && self.draw(faults.invalidate_session);
        decision
    }

    /// Counts an authenticated request and reports whether `invalidate_session_after`
    /// requires that this one finds its session invalidated.
    pub fn count_authenticated(&mut self) -> bool {
        self.authenticated_requests += 1;
        match self.faults.invalidate_session_after {
            Some(after)
                if !self.invalidated_after && self.authenticated_requests > u64::from(after) =>
            {
                self.invalidated_after = true;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_format_names_round_trip() {
        for (format, name) in RetryAfterFormat::ALL {
            assert_eq!(name.parse::<RetryAfterFormat>(), Ok(format));
            assert_eq!(format.to_string(), name);
        }
        assert!("sometimes".parse::<RetryAfterFormat>().is_err());
    }

    #[test]
    fn every_nth_request_rate_limited() {
        let faults = Faults {
            every_nth_rate_limited: Some(3),
            ..Faults::default()
        };
        let mut state = FaultState::new(faults, 1);
        let limited: Vec<bool> = (0..6)
            .map(|_| state.decide(false).response.is_some())
            .collect();
        assert_eq!(limited, [false, false, true, false, false, true]);
    }

    #[test]
    fn login_exempt_by_default() {
        let faults = Faults {
            server_error: 1.0,
            ..Faults::default()
        };
        let mut state = FaultState::new(faults, 1);
        assert_eq!(state.decide(true).response, None);
        assert_eq!(
            state.decide(false).response,
            Some(FaultResponse::ServerError)
        );
    }

    #[test]
    fn decisions_repeat_for_seed() {
        let faults = Faults {
            server_error: 0.5,
            ..Faults::default()
        };
        let run = |seed| {
            let mut state = FaultState::new(faults.clone(), seed);
            (0..32)
                .map(|_| state.decide(false).response.is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert!(run(7).contains(&true));
        assert!(run(7).contains(&false));
    }

    #[test]
    fn invalidate_after_fires_once() {
        let faults = Faults {
            invalidate_session_after: Some(2),
            ..Faults::default()
        };
        let mut state = FaultState::new(faults, 1);
        let fired: Vec<bool> = (0..5).map(|_| state.count_authenticated()).collect();
        assert_eq!(fired, [false, false, true, false, false]);
    }
}
