//! Wire types shared by the product models.
//!
//! - [`NumberString`]: a number that the API may send as a JSON string (`"1234"`) or as a
//!   JSON number (`1234`); it is kept exactly and sent back in the form it came.
//! - [`string_enum!`](crate::string_enum): declares an enum of known string values with an
//!   `Unknown(String)` variant, so that values added to the API later are accepted and sent
//!   back unchanged.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// A number that the API sends as a JSON string or a JSON number. The text is kept exactly, so
/// 19-digit ids and large counters never lose digits, and it is serialized back in the form it
/// arrived in.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NumberString {
    text: String,
    quoted: bool,
}

impl NumberString {
    /// Creates a value that is sent as a JSON string, the usual ZPA form.
    pub fn new(value: impl fmt::Display) -> Self {
        NumberString {
            text: value.to_string(),
            quoted: true,
        }
    }

    /// Creates a value that is sent as a bare JSON number.
    pub fn number(value: impl Into<serde_json::Number>) -> Self {
        NumberString {
            text: value.into().to_string(),
            quoted: false,
        }
    }

    /// Returns the text exactly as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Returns true when the value arrived, or is sent, as a JSON string.
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// Parses the value as an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.trim().parse().ok()
    }

    /// Parses the value as a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.text.trim().parse().ok()
    }

    /// Parses the value as an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        self.text.trim().parse().ok()
    }
}

impl fmt::Debug for NumberString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "{:?}", self.text)
        } else {
            f.write_str(&self.text)
        }
    }
}

impl fmt::Display for NumberString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<i64> for NumberString {
    fn from(value: i64) -> Self {
        NumberString::new(value)
    }
}

impl From<u64> for NumberString {
    fn from(value: u64) -> Self {
        NumberString::new(value)
    }
}

impl From<&str> for NumberString {
    fn from(value: &str) -> Self {
        NumberString::new(value)
    }
}

impl Serialize for NumberString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.quoted {
            return serializer.serialize_str(&self.text);
        }
        // The text came from a JSON number, so it parses back into one exactly.
        let number: serde_json::Number = self
            .text
            .parse()
            .map_err(|_| serde::ser::Error::custom(format!("{:?} is not a number", self.text)))?;
        number.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for NumberString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberStringVisitor;

        impl Visitor<'_> for NumberStringVisitor {
            type Value = NumberString;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a string holding a number")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<NumberString, E> {
                Ok(NumberString {
                    text: value.to_owned(),
                    quoted: true,
                })
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<NumberString, E> {
                Ok(NumberString::number(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<NumberString, E> {
                Ok(NumberString::number(value))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<NumberString, E> {
                serde_json::Number::from_f64(value)
                    .map(NumberString::number)
                    .ok_or_else(|| E::custom("a number that is not finite"))
            }
        }

        deserializer.deserialize_any(NumberStringVisitor)
    }
}

/// Declares a string enum whose unknown values are kept in an `Unknown(String)` variant and
/// serialized back unchanged.
///
/// ```
/// zscaler_core::string_enum! {
///     /// The state of an activation.
///     pub enum Status {
///         /// Changes are live.
///         Active = "ACTIVE",
///         /// Changes are waiting.
///         Pending = "PENDING",
///     }
/// }
/// let status: Status = serde_json::from_str("\"NEW_STATE\"").unwrap();
/// assert_eq!(status, Status::Unknown("NEW_STATE".into()));
/// assert_eq!(serde_json::to_string(&status).unwrap(), "\"NEW_STATE\"");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value this version of the SDK does not know, kept as it was received.
            Unknown(String),
        }

        impl $name {
            /// Returns the value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(value.as_str()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_string_keeps_form() {
        for json in [
            r#""216196257331282000""#,
            "1773370207",
            r#""0""#,
            "-5",
            "1.25",
        ] {
            let value: NumberString = serde_json::from_str(json).expect("decodes");
            assert_eq!(serde_json::to_string(&value).expect("encodes"), json);
        }
    }

    #[test]
    fn number_string_parses() {
        let value: NumberString =
            serde_json::from_str(r#""9223372036854775807""#).expect("decodes");
        assert_eq!(value.as_i64(), Some(i64::MAX));
        assert!(value.is_quoted());
        let value: NumberString = serde_json::from_str("42").expect("decodes");
        assert_eq!(value.as_u64(), Some(42));
        assert!(!value.is_quoted());
    }

    #[test]
    fn number_string_rejects_objects() {
        let error = serde_json::from_str::<NumberString>("{}").expect_err("not a number");
        assert!(
            error
                .to_string()
                .contains("a number, or a string holding a number")
        );
    }

    crate::string_enum! {
        /// A test enum.
        pub enum Color {
            /// Red.
            Red = "RED",
        }
    }

    #[test]
    fn string_enum_round_trips_unknown() {
        let known: Color = serde_json::from_str(r#""RED""#).expect("decodes");
        assert_eq!(known, Color::Red);
        let unknown: Color = serde_json::from_str(r#""ULTRAVIOLET""#).expect("decodes");
        assert_eq!(unknown, Color::Unknown("ULTRAVIOLET".into()));
        assert_eq!(
            serde_json::to_string(&unknown).expect("encodes"),
            r#""ULTRAVIOLET""#
        );
    }
}
