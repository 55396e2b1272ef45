//! The ZPA clouds and their API hosts.
//!
//! ```
//! use zscaler_zpa::Cloud;
//!
//! let cloud: Cloud = "zpatwo".parse()?;
//! assert_eq!(cloud, Cloud::ZpaTwo);
//! assert_eq!(cloud.base_url(), "https://config.zpatwo.net");
//! # Ok::<(), zscaler_zpa::cloud::UnknownCloud>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// A ZPA cloud: the set of hosts a tenant lives on. Names parse case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Cloud {
    /// `PRODUCTION`, the default: `https://config.private.zscaler.com`.
    #[default]
    Production,
    /// `ZPATWO`: `https://config.zpatwo.net`.
    ZpaTwo,
    /// `BETA`: `https://config.zpabeta.net`.
    Beta,
    /// `GOV`: `https://config.zpagov.net`.
    Gov,
    /// `GOVUS`: `https://config.zpagov.us`.
    GovUs,
    /// `PREVIEW`: `https://config.zpapreview.net`.
    Preview,
    /// `DEV`: `https://public-api.dev.zpath.net`.
    Dev,
    /// `QA`: `https://config.qa.zpath.net`.
    Qa,
    /// `QA2`: `https://pdx2-zpa-config.qa2.zpath.net`.
    Qa2,
}

impl Cloud {
    /// Every cloud, in the order error messages list them.
    pub const ALL: [Cloud; 9] = [
        Cloud::Production,
        Cloud::ZpaTwo,
        Cloud::Beta,
        Cloud::Gov,
        Cloud::GovUs,
        Cloud::Preview,
        Cloud::Dev,
        Cloud::Qa,
        Cloud::Qa2,
    ];

    /// Returns the name used in `ZPA_CLOUD`, such as `PRODUCTION` or `ZPATWO`.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Production => "PRODUCTION",
            Cloud::ZpaTwo => "ZPATWO",
            Cloud::Beta => "BETA",
            Cloud::Gov => "GOV",
            Cloud::GovUs => "GOVUS",
            Cloud::Preview => "PREVIEW",
            Cloud::Dev => "DEV",
            Cloud::Qa => "QA",
            Cloud::Qa2 => "QA2",
        }
    }

    /// Returns the base URL of the cloud's legacy API host, without a trailing slash.
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Production => "https://config.private.zscaler.com",
            Cloud::ZpaTwo => "https://config.zpatwo.net",
            Cloud::Beta => "https://config.zpabeta.net",
            Cloud::Gov => "https://config.zpagov.net",
            Cloud::GovUs => "https://config.zpagov.us",
            Cloud::Preview => "https://config.zpapreview.net",
            Cloud::Dev => "https://public-api.dev.zpath.net",
            Cloud::Qa => "https://config.qa.zpath.net",
            Cloud::Qa2 => "https://pdx2-zpa-config.qa2.zpath.net",
        }
    }

    /// Returns the valid names joined with commas, for error messages.
    pub fn valid_names() -> String {
        Cloud::ALL
            .iter()
            .map(|cloud| cloud.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cloud {
    type Err = UnknownCloud;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let trimmed = value.trim();
        Cloud::ALL
            .into_iter()
            .find(|cloud| cloud.name().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| UnknownCloud {
                name: trimmed.to_owned(),
            })
    }
}

/// The error of parsing a name that is not a ZPA cloud. Its message lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCloud {
    /// The name that was given.
    pub name: String,
}

impl fmt::Display for UnknownCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown ZPA cloud {:?}: expected one of {}",
            self.name,
            Cloud::valid_names()
        )
    }
}

impl std::error::Error for UnknownCloud {}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, cloud: Cloud, url: &str) {
        assert_eq!(name.parse::<Cloud>(), Ok(cloud), "parsing {name}");
        assert_eq!(
            name.to_lowercase().parse::<Cloud>(),
            Ok(cloud),
            "parsing lower-case {name}"
        );
        assert_eq!(cloud.name(), name);
        assert_eq!(cloud.base_url(), url);
        assert_eq!(cloud.to_string(), name);
    }

    #[test]
    fn production() {
        check(
            "PRODUCTION",
            Cloud::Production,
            "https://config.private.zscaler.com",
        );
    }

    #[test]
    fn zpatwo() {
        check("ZPATWO", Cloud::ZpaTwo, "https://config.zpatwo.net");
    }

    #[test]
    fn beta() {
        check("BETA", Cloud::Beta, "https://config.zpabeta.net");
    }

    #[test]
    fn gov() {
        check("GOV", Cloud::Gov, "https://config.zpagov.net");
    }

    #[test]
    fn govus() {
        check("GOVUS", Cloud::GovUs, "https://config.zpagov.us");
    }

    #[test]
    fn preview() {
        check("PREVIEW", Cloud::Preview, "https://config.zpapreview.net");
    }

    #[test]
    fn dev() {
        check("DEV", Cloud::Dev, "https://public-api.dev.zpath.net");
    }

    #[test]
    fn qa() {
        check("QA", Cloud::Qa, "https://config.qa.zpath.net");
    }

    #[test]
    fn qa2() {
        check("QA2", Cloud::Qa2, "https://pdx2-zpa-config.qa2.zpath.net");
    }

    #[test]
    fn default_is_production() {
        assert_eq!(Cloud::default(), Cloud::Production);
    }

    #[test]
    fn mixed_case_and_spaces_parse() {
        assert_eq!(" ZpaTwo ".parse::<Cloud>(), Ok(Cloud::ZpaTwo));
        assert_eq!("govUS".parse::<Cloud>(), Ok(Cloud::GovUs));
    }

    #[test]
    fn unknown_name_lists_valid_ones() {
        let error = "zscalertwo".parse::<Cloud>().expect_err("not a ZPA cloud");
        let text = error.to_string();
        assert!(text.contains("\"zscalertwo\""), "{text}");
        for cloud in Cloud::ALL {
            assert!(text.contains(cloud.name()), "{text} lacks {cloud}");
        }
    }
}
