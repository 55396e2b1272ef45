//! The ZIA clouds and their API hosts.
//!
//! Each ZIA tenant lives on one cloud, named in the admin portal's URL. The API of cloud
//! `<name>` is served at `https://zsapi.<name>.net`, except `zspreview`, which is served at
//! `https://admin.zspreview.net`. Every API path is under [`API_PREFIX`].
//!
//! ```
//! use zscaler_zia::Cloud;
//!
//! let cloud: Cloud = "ZscalerTwo".parse()?;
//! assert_eq!(cloud, Cloud::ZscalerTwo);
//! assert_eq!(cloud.base_url(), "https://zsapi.zscalertwo.net");
//! # Ok::<(), zscaler_zia::UnknownCloud>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// Path prefix of every ZIA API call, appended to the base URL.
pub const API_PREFIX: &str = "/api/v1";

/// A ZIA cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cloud {
    /// `zscaler`: `https://zsapi.zscaler.net`.
    Zscaler,
    /// `zscalerone`: `https://zsapi.zscalerone.net`.
    ZscalerOne,
    /// `zscalertwo`: `https://zsapi.zscalertwo.net`.
    ZscalerTwo,
    /// `zscalerthree`: `https://zsapi.zscalerthree.net`.
    ZscalerThree,
    /// `zscloud`: `https://zsapi.zscloud.net`.
    ZsCloud,
    /// `zscalerbeta`: `https://zsapi.zscalerbeta.net`.
    ZscalerBeta,
    /// `zscalergov`: `https://zsapi.zscalergov.net`.
    ZscalerGov,
    /// `zscalerten`: `https://zsapi.zscalerten.net`.
    ZscalerTen,
    /// `zspreview`: `https://admin.zspreview.net`.
    ZsPreview,
}

impl Cloud {
    /// Every cloud, in the order the names are listed in error messages.
    pub const ALL: [Cloud; 9] = [
        Cloud::Zscaler,
        Cloud::ZscalerOne,
        Cloud::ZscalerTwo,
        Cloud::ZscalerThree,
        Cloud::ZsCloud,
        Cloud::ZscalerBeta,
        Cloud::ZscalerGov,
        Cloud::ZscalerTen,
        Cloud::ZsPreview,
    ];

    /// Returns the cloud's name in lower case, as in `ZIA_CLOUD` (`zscalertwo`).
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Zscaler => "zscaler",
            Cloud::ZscalerOne => "zscalerone",
            Cloud::ZscalerTwo => "zscalertwo",
            Cloud::ZscalerThree => "zscalerthree",
            Cloud::ZsCloud => "zscloud",
            Cloud::ZscalerBeta => "zscalerbeta",
            Cloud::ZscalerGov => "zscalergov",
            Cloud::ZscalerTen => "zscalerten",
            Cloud::ZsPreview => "zspreview",
        }
    }

    /// Returns the base URL of the cloud's API, without the [`API_PREFIX`] and without a
    /// trailing slash.
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Zscaler => "https://zsapi.zscaler.net",
            Cloud::ZscalerOne => "https://zsapi.zscalerone.net",
            Cloud::ZscalerTwo => "https://zsapi.zscalertwo.net",
            Cloud::ZscalerThree => "https://zsapi.zscalerthree.net",
            Cloud::ZsCloud => "https://zsapi.zscloud.net",
            Cloud::ZscalerBeta => "https://zsapi.zscalerbeta.net",
            Cloud::ZscalerGov => "https://zsapi.zscalergov.net",
            Cloud::ZscalerTen => "https://zsapi.zscalerten.net",
            Cloud::ZsPreview => "https://admin.zspreview.net",
        }
    }

    /// Returns the valid names joined with commas, for messages.
    pub fn valid_names() -> String {
        Cloud::ALL.map(Cloud::name).join(", ")
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cloud {
    type Err = UnknownCloud;

    /// Parses a cloud name without regard to case or surrounding whitespace.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let name = value.trim();
        Cloud::ALL
            .into_iter()
            .find(|cloud| cloud.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownCloud {
                name: value.to_owned(),
            })
    }
}

/// The error of parsing a name that is not a ZIA cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCloud {
    name: String,
}

impl UnknownCloud {
    /// Returns the name that was rejected.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for UnknownCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown ZIA cloud {:?}: expected one of {}",
            self.name,
            Cloud::valid_names()
        )
    }
}

impl std::error::Error for UnknownCloud {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cloud_has_its_base_url() {
        let rows = [
            ("zscaler", Cloud::Zscaler, "https://zsapi.zscaler.net"),
            (
                "zscalerone",
                Cloud::ZscalerOne,
                "https://zsapi.zscalerone.net",
            ),
            (
                "zscalertwo",
                Cloud::ZscalerTwo,
                "https://zsapi.zscalertwo.net",
            ),
            (
                "zscalerthree",
                Cloud::ZscalerThree,
                "https://zsapi.zscalerthree.net",
            ),
            ("zscloud", Cloud::ZsCloud, "https://zsapi.zscloud.net"),
            (
                "zscalerbeta",
                Cloud::ZscalerBeta,
                "https://zsapi.zscalerbeta.net",
            ),
            (
                "zscalergov",
                Cloud::ZscalerGov,
                "https://zsapi.zscalergov.net",
            ),
            (
                "zscalerten",
                Cloud::ZscalerTen,
                "https://zsapi.zscalerten.net",
            ),
            ("zspreview", Cloud::ZsPreview, "https://admin.zspreview.net"),
        ];
        assert_eq!(rows.len(), Cloud::ALL.len());
        for (name, cloud, url) in rows {
            assert_eq!(name.parse::<Cloud>(), Ok(cloud), "parse {name}");
            assert_eq!(cloud.name(), name, "name of {cloud:?}");
            assert_eq!(cloud.base_url(), url, "base URL of {name}");
            assert_eq!(cloud.to_string(), name, "display of {cloud:?}");
        }
    }

    #[test]
    fn names_parse_without_case() {
        assert_eq!("ZSCALERTWO".parse::<Cloud>(), Ok(Cloud::ZscalerTwo));
        assert_eq!("ZsCloud".parse::<Cloud>(), Ok(Cloud::ZsCloud));
        assert_eq!(" zspreview ".parse::<Cloud>(), Ok(Cloud::ZsPreview));
    }

    #[test]
    fn unknown_name_lists_valid_ones() {
        let error = "zscalerfour".parse::<Cloud>().expect_err("not a cloud");
        let text = error.to_string();
        assert!(text.contains("\"zscalerfour\""), "{text}");
        for cloud in Cloud::ALL {
            assert!(text.contains(cloud.name()), "{text} lacks {cloud}");
        }
        assert!("".parse::<Cloud>().is_err());
        assert!("zsapi.zscaler.net".parse::<Cloud>().is_err());
    }
}
