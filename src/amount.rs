//! Payout amounts: decimal strings as PayerMax expects them, checked when built.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The longest amount PayerMax accepts (`trade.amount` is at most 12 characters).
pub const MAX_LEN: usize = 12;

/// A payout amount such as `"10.50"`: digits, optionally a dot and decimals, at most 12
/// characters. Build one with [`Amount::new`], or with a currency's precision through
/// `Currency::amount` so that `"10.5"` is refused for KRW.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Amount(String);

/// Why a string is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Not digits with an optional decimal part.
    #[error("`{0}` is not a decimal amount such as 10 or 10.50")]
    Format(String),
    /// Longer than PayerMax accepts.
    #[error("`{0}` is longer than {MAX_LEN} characters")]
    TooLong(String),
    /// More decimal places than the currency has.
    #[error("`{value}` has {places} decimal places; the currency allows {allowed}")]
    Precision {
        /// The amount given.
        value: String,
        /// Its decimal places.
        places: usize,
        /// The currency's decimal places.
        allowed: u8,
    },
    /// A currency the payee's method does not pay out in.
    #[error("the method pays out in {paid}, not in {currency}")]
    Currency {
        /// The currency asked for.
        currency: String,
        /// The currencies the method pays out in, comma-separated.
        paid: String,
    },
}

impl Amount {
    /// An amount in any currency: checks the format and the length.
    pub fn new(value: &str) -> Result<Self, AmountError> {
        if !payermax_spec::validate::is_decimal(value) {
            return Err(AmountError::Format(value.to_owned()));
        }
        if value.len() > MAX_LEN {
            return Err(AmountError::TooLong(value.to_owned()));
        }
        Ok(Amount(value.to_owned()))
    }

    /// An amount with at most `decimals` decimal places.
    pub fn with_decimals(value: &str, decimals: u8) -> Result<Self, AmountError> {
        let amount = Amount::new(value)?;
        let places = value.split_once('.').map_or(0, |(_, f)| f.len());
        if places > usize::from(decimals) {
            return Err(AmountError::Precision {
                value: value.to_owned(),
                places,
                allowed: decimals,
            });
        }
        Ok(amount)
    }

    /// The decimal string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Amount {
    fn default() -> Self {
        Amount("0".to_owned())
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Amount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Amount::new(s)
    }
}

impl payermax_spec::doc::ToNode for Amount {
    fn node(&self) -> payermax_spec::doc::Node<'_> {
        payermax_spec::doc::Node::Str(&self.0)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Amount::new(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_is_enforced() {
        assert_eq!(
            Amount::with_decimals("10", 0).map(|a| a.to_string()),
            Ok("10".into())
        );
        assert!(matches!(
            Amount::with_decimals("10.5", 0),
            Err(AmountError::Precision {
                places: 1,
                allowed: 0,
                ..
            })
        ));
        assert!(Amount::with_decimals("10.50", 2).is_ok());
        assert!(matches!(Amount::new("1e3"), Err(AmountError::Format(_))));
        assert!(matches!(Amount::new("-1"), Err(AmountError::Format(_))));
        assert!(matches!(
            Amount::new("1234567890.12"),
            Err(AmountError::TooLong(_))
        ));
    }

    #[test]
    fn serde_round_trip_refuses_bad_amounts() {
        let a: Amount = serde_json::from_str("\"10.50\"").unwrap_or_default();
        assert_eq!(serde_json::to_string(&a).ok(), Some("\"10.50\"".to_owned()));
        assert!(serde_json::from_str::<Amount>("\"ten\"").is_err());
    }
}
