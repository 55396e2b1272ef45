//! The Zscaler products this SDK talks to.

use std::fmt;

/// A Zscaler product API. It names the product in errors, logs and cache keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Product {
    /// Zscaler Internet Access.
    Zia,
    /// Zscaler Private Access.
    Zpa,
}

impl Product {
    /// Returns the short upper-case name used in messages (`ZIA`, `ZPA`).
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Zia => "ZIA",
            Product::Zpa => "ZPA",
        }
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
