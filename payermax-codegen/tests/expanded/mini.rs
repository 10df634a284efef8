// The expansion of the mini fixture spec (payermax-spec/tests/fixtures/mini), as in
// tests/snapshots/snapshot__mini.snap. Written by tests/snapshot.rs (INSTA_UPDATE=always);
// compiled by ui-tests/tests/compile_pass.rs.
///
#[derive(
    Debug,
    Clone,
    PartialEq,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
pub struct PayRequest {
    /**`outTradeNo`.

JSON `outTradeNo`; required; at most 63 characters; pattern `^[A-Za-z0-9_]{1,63}$`; source: OAS.*/
    #[serde(rename = "outTradeNo")]
    #[serde(default, skip_serializing_if = "::std::string::String::is_empty")]
    pub out_trade_no: ::std::string::String,
    /**`country`.

JSON `country`; required.*/
    #[serde(rename = "country")]
    #[serde(default, skip_serializing_if = "::std::string::String::is_empty")]
    pub country: ::std::string::String,
    /**`clearingRail`.

JSON `clearingRail`.*/
    #[serde(rename = "clearingRail")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub clearing_rail: ::std::option::Option<ClearingRail>,
    /**`trade`.

JSON `trade`; required.*/
    #[serde(rename = "trade")]
    pub trade: Trade,
    /**`payeeInfo`.

JSON `payeeInfo`; required.*/
    #[serde(rename = "payeeInfo")]
    pub payee_info: PayeeInfo,
}
impl PayRequest {
    ///A `PayRequest` with its required fields; the optional ones are empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        out_trade_no: impl ::std::convert::Into<::std::string::String>,
        country: impl ::std::convert::Into<::std::string::String>,
        trade: Trade,
        payee_info: PayeeInfo,
    ) -> Self {
        PayRequest {
            out_trade_no: out_trade_no.into(),
            country: country.into(),
            clearing_rail: ::std::option::Option::None,
            trade,
            payee_info,
        }
    }
}
///
#[derive(
    Debug,
    Clone,
    PartialEq,
    Default,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
pub struct Trade {
    /**`amount`.

JSON `amount`; required; at most 12 characters.*/
    #[serde(rename = "amount")]
    pub amount: ::payermax::Amount,
    /**`currency`.

JSON `currency`; required.*/
    #[serde(rename = "currency")]
    #[serde(default, skip_serializing_if = "::std::string::String::is_empty")]
    pub currency: ::std::string::String,
}
impl Trade {
    ///A `Trade` with its required fields; the optional ones are empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        amount: ::payermax::Amount,
        currency: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        Trade {
            amount,
            currency: currency.into(),
        }
    }
}
///
#[derive(
    Debug,
    Clone,
    PartialEq,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
pub struct PayeeInfo {
    /**`paymentMethodType`.

JSON `paymentMethodType`; required.*/
    #[serde(rename = "paymentMethodType")]
    pub payment_method_type: PaymentMethodType,
    /**`targetOrg`.

JSON `targetOrg`.*/
    #[serde(rename = "targetOrg")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub target_org: ::std::option::Option<::std::string::String>,
    /**`payeeType`.

JSON `payeeType`.*/
    #[serde(rename = "payeeType")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub payee_type: ::std::option::Option<PayeeType>,
    /**`accountInfo`.

JSON `accountInfo`; required.*/
    #[serde(rename = "accountInfo")]
    pub account_info: AccountInfo,
    /**`bankInfo`.

JSON `bankInfo`.*/
    #[serde(rename = "bankInfo")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub bank_info: ::std::option::Option<BankInfo>,
    /**`name`.

JSON `name`.*/
    #[serde(rename = "name")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub name: ::std::option::Option<Name>,
}
impl PayeeInfo {
    ///A `PayeeInfo` with its required fields; the optional ones are empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        payment_method_type: PaymentMethodType,
        account_info: AccountInfo,
    ) -> Self {
        PayeeInfo {
            payment_method_type,
            target_org: ::std::option::Option::None,
            payee_type: ::std::option::Option::None,
            account_info,
            bank_info: ::std::option::Option::None,
            name: ::std::option::Option::None,
        }
    }
}
///
#[derive(
    Debug,
    Clone,
    PartialEq,
    Default,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
pub struct AccountInfo {
    /**`accountNo`.

JSON `accountNo`; required; at most 128 characters.*/
    #[serde(rename = "accountNo")]
    #[serde(default, skip_serializing_if = "::std::string::String::is_empty")]
    pub account_no: ::std::string::String,
}
impl AccountInfo {
    ///A `AccountInfo` with its required fields; the optional ones are empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new(account_no: impl ::std::convert::Into<::std::string::String>) -> Self {
        AccountInfo {
            account_no: account_no.into(),
        }
    }
}
///
#[derive(
    Debug,
    Clone,
    PartialEq,
    Default,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
pub struct BankInfo {
    /**`bankCode`.

JSON `bankCode`; at most 64 characters.*/
    #[serde(rename = "bankCode")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub bank_code: ::std::option::Option<::std::string::String>,
}
impl BankInfo {
    ///A `BankInfo` with its required fields; the optional ones are empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> Self {
        BankInfo {
            bank_code: ::std::option::Option::None,
        }
    }
}
///
#[derive(
    Debug,
    Clone,
    PartialEq,
    Default,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
pub struct Name {
    /**`firstName`.

JSON `firstName`; at most 64 characters.*/
    #[serde(rename = "firstName")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub first_name: ::std::option::Option<::std::string::String>,
    /**`lastName`.

JSON `lastName`; at most 64 characters.*/
    #[serde(rename = "lastName")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub last_name: ::std::option::Option<::std::string::String>,
}
impl Name {
    ///A `Name` with its required fields; the optional ones are empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new() -> Self {
        Name {
            first_name: ::std::option::Option::None,
            last_name: ::std::option::Option::None,
        }
    }
}
///
#[derive(
    Debug,
    Clone,
    PartialEq,
    Default,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
#[non_exhaustive]
pub struct PayResponse {
    /**`status`.

JSON `status`.*/
    #[serde(rename = "status")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub status: ::std::option::Option<PayoutStatus>,
}
///
///
/// PayerMax may send values this SDK does not know yet: they decode as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentMethodType {
    ///`BANK_TRANSFER`:
    BankTransfer,
    ///`REALTIME_PAYMENT`:
    RealtimePayment,
    /// A value the spec does not document, kept as received.
    Unknown(::std::string::String),
}
impl PaymentMethodType {
    ///Every documented value of [`PaymentMethodType`], in spec order.
    pub const ALL: &'static [PaymentMethodType] = &[
        PaymentMethodType::BankTransfer,
        PaymentMethodType::RealtimePayment,
    ];
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            PaymentMethodType::BankTransfer => "BANK_TRANSFER",
            PaymentMethodType::RealtimePayment => "REALTIME_PAYMENT",
            PaymentMethodType::Unknown(s) => s,
        }
    }
}
#[automatically_derived]
impl ::std::convert::From<&str> for PaymentMethodType {
    fn from(s: &str) -> Self {
        match s {
            "BANK_TRANSFER" => PaymentMethodType::BankTransfer,
            "REALTIME_PAYMENT" => PaymentMethodType::RealtimePayment,
            other => PaymentMethodType::Unknown(other.to_owned()),
        }
    }
}
#[automatically_derived]
impl ::std::fmt::Display for PaymentMethodType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl ::payermax::__private::serde::Serialize for PaymentMethodType {
    fn serialize<S: ::payermax::__private::serde::Serializer>(
        &self,
        s: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
#[automatically_derived]
impl<'de> ::payermax::__private::serde::Deserialize<'de> for PaymentMethodType {
    fn deserialize<D: ::payermax::__private::serde::Deserializer<'de>>(
        d: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let s = <::std::borrow::Cow<
            'de,
            str,
        > as ::payermax::__private::serde::Deserialize>::deserialize(d)?;
        ::std::result::Result::Ok(PaymentMethodType::from(s.as_ref()))
    }
}
///
///
/// PayerMax may send values this SDK does not know yet: they decode as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PayeeType {
    ///`PERSONAL`:
    Personal,
    ///`CORPORATION`:
    Corporation,
    /// A value the spec does not document, kept as received.
    Unknown(::std::string::String),
}
impl PayeeType {
    ///Every documented value of [`PayeeType`], in spec order.
    pub const ALL: &'static [PayeeType] = &[PayeeType::Personal, PayeeType::Corporation];
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            PayeeType::Personal => "PERSONAL",
            PayeeType::Corporation => "CORPORATION",
            PayeeType::Unknown(s) => s,
        }
    }
}
#[automatically_derived]
impl ::std::convert::From<&str> for PayeeType {
    fn from(s: &str) -> Self {
        match s {
            "PERSONAL" => PayeeType::Personal,
            "CORPORATION" => PayeeType::Corporation,
            other => PayeeType::Unknown(other.to_owned()),
        }
    }
}
#[automatically_derived]
impl ::std::fmt::Display for PayeeType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl ::payermax::__private::serde::Serialize for PayeeType {
    fn serialize<S: ::payermax::__private::serde::Serializer>(
        &self,
        s: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
#[automatically_derived]
impl<'de> ::payermax::__private::serde::Deserialize<'de> for PayeeType {
    fn deserialize<D: ::payermax::__private::serde::Deserializer<'de>>(
        d: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let s = <::std::borrow::Cow<
            'de,
            str,
        > as ::payermax::__private::serde::Deserialize>::deserialize(d)?;
        ::std::result::Result::Ok(PayeeType::from(s.as_ref()))
    }
}
///
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    ::payermax::__private::serde::Serialize,
    ::payermax::__private::serde::Deserialize
)]
#[serde(crate = "::payermax::__private::serde")]
pub enum ClearingRail {
    ///`SEPA`:
    #[serde(rename = "SEPA")]
    Sepa,
    ///`LOCAL`:
    #[serde(rename = "LOCAL")]
    Local,
}
impl ClearingRail {
    ///Every documented value of [`ClearingRail`], in spec order.
    pub const ALL: &'static [ClearingRail] = &[ClearingRail::Sepa, ClearingRail::Local];
    /// The wire value.
    pub const fn as_str(&self) -> &'static str {
        match self {
            ClearingRail::Sepa => "SEPA",
            ClearingRail::Local => "LOCAL",
        }
    }
}
#[automatically_derived]
impl ::std::fmt::Display for ClearingRail {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
///
///
/// PayerMax may send values this SDK does not know yet: they decode as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PayoutStatus {
    ///`PENDING`:
    Pending,
    ///`SUCCESS`:
    Success,
    ///`FAILED`:
    Failed,
    ///`BOUNCEBACK`:
    Bounceback,
    /// A value the spec does not document, kept as received.
    Unknown(::std::string::String),
}
impl PayoutStatus {
    ///Every documented value of [`PayoutStatus`], in spec order.
    pub const ALL: &'static [PayoutStatus] = &[
        PayoutStatus::Pending,
        PayoutStatus::Success,
        PayoutStatus::Failed,
        PayoutStatus::Bounceback,
    ];
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            PayoutStatus::Pending => "PENDING",
            PayoutStatus::Success => "SUCCESS",
            PayoutStatus::Failed => "FAILED",
            PayoutStatus::Bounceback => "BOUNCEBACK",
            PayoutStatus::Unknown(s) => s,
        }
    }
}
#[automatically_derived]
impl ::std::convert::From<&str> for PayoutStatus {
    fn from(s: &str) -> Self {
        match s {
            "PENDING" => PayoutStatus::Pending,
            "SUCCESS" => PayoutStatus::Success,
            "FAILED" => PayoutStatus::Failed,
            "BOUNCEBACK" => PayoutStatus::Bounceback,
            other => PayoutStatus::Unknown(other.to_owned()),
        }
    }
}
#[automatically_derived]
impl ::std::fmt::Display for PayoutStatus {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[automatically_derived]
impl ::payermax::__private::serde::Serialize for PayoutStatus {
    fn serialize<S: ::payermax::__private::serde::Serializer>(
        &self,
        s: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
#[automatically_derived]
impl<'de> ::payermax::__private::serde::Deserialize<'de> for PayoutStatus {
    fn deserialize<D: ::payermax::__private::serde::Deserializer<'de>>(
        d: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let s = <::std::borrow::Cow<
            'de,
            str,
        > as ::payermax::__private::serde::Deserialize>::deserialize(d)?;
        ::std::result::Result::Ok(PayoutStatus::from(s.as_ref()))
    }
}
/// The countries the spec describes: those with a file of their own, then those its
/// rails reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Country {
    ///Brazil (BR).
    Br,
    ///Norway (NO).
    No,
    ///reached through SEPA (AT).
    At,
    ///reached through SEPA (DE).
    De,
}
impl Country {
    /// ISO 3166-1 alpha-2 code.
    pub const fn as_str(&self) -> &'static str {
        match *self {
            Country::Br => "BR",
            Country::No => "NO",
            Country::At => "AT",
            Country::De => "DE",
        }
    }
}
impl ::std::fmt::Display for Country {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
/// The currencies the spec's payout methods pay in, with their precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    ///BRL: 2 decimal places.
    Brl,
    ///EUR: 2 decimal places.
    Eur,
    ///NOK: 2 decimal places.
    Nok,
}
impl Currency {
    /// ISO 4217 code.
    pub const fn as_str(&self) -> &'static str {
        match *self {
            Currency::Brl => "BRL",
            Currency::Eur => "EUR",
            Currency::Nok => "NOK",
        }
    }
    /// Decimal places an amount in this currency may carry.
    pub const fn decimals(&self) -> u8 {
        match *self {
            Currency::Brl => 2u8,
            Currency::Eur => 2u8,
            Currency::Nok => 2u8,
        }
    }
    /// An amount in this currency: refuses more decimal places than the currency has
    /// (`Currency::Krw.amount("10.5")` is an error).
    pub fn amount(
        &self,
        value: &str,
    ) -> ::std::result::Result<::payermax::Amount, ::payermax::AmountError> {
        ::payermax::Amount::with_decimals(value, self.decimals())
    }
}
impl ::std::fmt::Display for Currency {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
/// Payee types per country (and rail) and payment method, with builders whose required
/// fields are checked by the compiler.
pub mod payee {
    /// The state of a required builder field that has not been set.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Missing;
    /// A payee of a country's method: the payout's `country` and currency are the
    /// method's (see `PaymentOrderPayRequest::to_payee`).
    pub trait CountryPayee: ::std::convert::Into<super::PayeeInfo> {
        /// The country the method pays in.
        const COUNTRY: super::Country;
        /// The currency the method pays out in.
        const CURRENCY: super::Currency;
    }
    /// A payee of a rail's method (SEPA, SWIFT): the payout names the rail and the
    /// payee's country (see `PaymentOrderPayRequest::via_rail`).
    pub trait RailPayee: ::std::convert::Into<super::PayeeInfo> {
        /// The rail (`clearingRail`).
        const CLEARING_RAIL: super::ClearingRail;
        /// The currency the method pays out in (`via_rail`).
        const CURRENCY: super::Currency;
        /// Every currency the rail pays out in, `CURRENCY` first (`via_rail_in`).
        const CURRENCIES: &'static [super::Currency];
    }
    ///Payees for Brazil (BR).
    pub mod br {
        #[allow(unused_imports)]
        use super::super::*;
        /**A payee for BR REALTIME_PAYMENT (pix): `REALTIME_PAYMENT` in BRL.

Build it with [`Pix::builder`]; the compiler refuses `build()` until every required field is set.*/
        #[derive(Debug, Clone, PartialEq)]
        pub struct Pix {
            ///`payeeInfo.accountInfo.accountNo` (required).
            pub account_no: ::std::string::String,
        }
        impl Pix {
            /// The country code or rail name.
            pub const MARKET: &'static str = "BR";
            /// The spec's method id.
            pub const METHOD_ID: &'static str = "pix";
            /// `paymentMethodType`.
            pub const METHOD_TYPE: &'static str = "REALTIME_PAYMENT";
            /// The currency this method pays out in.
            pub const CURRENCY: &'static str = "BRL";
            /// Starts a builder with nothing set.
            pub fn builder() -> PixBuilder<super::Missing> {
                PixBuilder {
                    account_no: super::Missing,
                }
            }
        }
        ///Builder for [`Pix`].
        #[derive(Debug, Clone)]
        #[must_use = "call `.build()` to get the payee"]
        pub struct PixBuilder<R0> {
            account_no: R0,
        }
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(
            message = "missing required payee field `payeeInfo.accountInfo.accountNo` for BR REALTIME_PAYMENT (pix)",
            label = "call `.account_no(...)` before `.build()`",
            note = "the spec requires `payeeInfo.accountInfo.accountNo` for BR REALTIME_PAYMENT (pix); see payermax-spec/spec for its source"
        )]
        pub trait __PixAccountNoRequired {
            #[doc(hidden)]
            fn __take(self) -> ::std::string::String;
        }
        #[diagnostic::do_not_recommend]
        impl __PixAccountNoRequired for ::std::string::String {
            fn __take(self) -> ::std::string::String {
                self
            }
        }
        impl<R0> PixBuilder<R0> {
            ///Sets `payeeInfo.accountInfo.accountNo`.
            pub fn account_no(
                self,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> PixBuilder<::std::string::String> {
                PixBuilder {
                    account_no: value.into(),
                }
            }
        }
        impl<R0> PixBuilder<R0> {
            /// The payee; the compiler refuses it until every required field is set.
            pub fn build(self) -> Pix
            where
                R0: __PixAccountNoRequired,
            {
                Pix {
                    account_no: __PixAccountNoRequired::__take(self.account_no),
                }
            }
        }
        #[automatically_derived]
        impl ::std::convert::From<Pix> for PayeeInfo {
            fn from(p: Pix) -> Self {
                #[allow(unused_mut)]
                let mut out = PayeeInfo {
                    payment_method_type: PaymentMethodType::RealtimePayment,
                    target_org: ::std::option::Option::Some(
                        ::std::string::String::from("PIX"),
                    ),
                    payee_type: ::std::option::Option::None,
                    account_info: AccountInfo {
                        account_no: p.account_no,
                    },
                    bank_info: ::std::option::Option::None,
                    name: ::std::option::Option::None,
                };
                out
            }
        }
        impl super::CountryPayee for Pix {
            const COUNTRY: Country = Country::Br;
            const CURRENCY: Currency = Currency::Brl;
        }
        /**A payee for BR BANK_TRANSFER (bank_transfer): `BANK_TRANSFER` in BRL.

Build it with [`BankTransfer::builder`]; the compiler refuses `build()` until every required field is set.*/
        #[derive(Debug, Clone, PartialEq)]
        pub struct BankTransfer {
            ///`payeeInfo.accountInfo.accountNo` (required).
            pub account_no: ::std::string::String,
            ///`payeeInfo.name` (required).
            pub name: Name,
        }
        impl BankTransfer {
            /// The country code or rail name.
            pub const MARKET: &'static str = "BR";
            /// The spec's method id.
            pub const METHOD_ID: &'static str = "bank_transfer";
            /// `paymentMethodType`.
            pub const METHOD_TYPE: &'static str = "BANK_TRANSFER";
            /// The currency this method pays out in.
            pub const CURRENCY: &'static str = "BRL";
            /// Starts a builder with nothing set.
            pub fn builder() -> BankTransferBuilder<super::Missing, super::Missing> {
                BankTransferBuilder {
                    account_no: super::Missing,
                    name: super::Missing,
                }
            }
        }
        ///Builder for [`BankTransfer`].
        #[derive(Debug, Clone)]
        #[must_use = "call `.build()` to get the payee"]
        pub struct BankTransferBuilder<R0, R1> {
            account_no: R0,
            name: R1,
        }
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(
            message = "missing required payee field `payeeInfo.accountInfo.accountNo` for BR BANK_TRANSFER (bank_transfer)",
            label = "call `.account_no(...)` before `.build()`",
            note = "the spec requires `payeeInfo.accountInfo.accountNo` for BR BANK_TRANSFER (bank_transfer); see payermax-spec/spec for its source"
        )]
        pub trait __BankTransferAccountNoRequired {
            #[doc(hidden)]
            fn __take(self) -> ::std::string::String;
        }
        #[diagnostic::do_not_recommend]
        impl __BankTransferAccountNoRequired for ::std::string::String {
            fn __take(self) -> ::std::string::String {
                self
            }
        }
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(
            message = "missing required payee field `payeeInfo.name` for BR BANK_TRANSFER (bank_transfer)",
            label = "call `.name(...)` before `.build()`",
            note = "the spec requires `payeeInfo.name` for BR BANK_TRANSFER (bank_transfer); see payermax-spec/spec for its source"
        )]
        pub trait __BankTransferNameRequired {
            #[doc(hidden)]
            fn __take(self) -> Name;
        }
        #[diagnostic::do_not_recommend]
        impl __BankTransferNameRequired for Name {
            fn __take(self) -> Name {
                self
            }
        }
        impl<R0, R1> BankTransferBuilder<R0, R1> {
            ///Sets `payeeInfo.accountInfo.accountNo`.
            pub fn account_no(
                self,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> BankTransferBuilder<::std::string::String, R1> {
                BankTransferBuilder {
                    account_no: value.into(),
                    name: self.name,
                }
            }
            ///Sets `payeeInfo.name`.
            pub fn name(self, value: Name) -> BankTransferBuilder<R0, Name> {
                BankTransferBuilder {
                    account_no: self.account_no,
                    name: value,
                }
            }
        }
        impl<R0, R1> BankTransferBuilder<R0, R1> {
            /// The payee; the compiler refuses it until every required field is set.
            pub fn build(self) -> BankTransfer
            where
                R0: __BankTransferAccountNoRequired,
                R1: __BankTransferNameRequired,
            {
                BankTransfer {
                    account_no: __BankTransferAccountNoRequired::__take(self.account_no),
                    name: __BankTransferNameRequired::__take(self.name),
                }
            }
        }
        #[automatically_derived]
        impl ::std::convert::From<BankTransfer> for PayeeInfo {
            fn from(p: BankTransfer) -> Self {
                #[allow(unused_mut)]
                let mut out = PayeeInfo {
                    payment_method_type: PaymentMethodType::BankTransfer,
                    target_org: ::std::option::Option::None,
                    payee_type: ::std::option::Option::None,
                    account_info: AccountInfo {
                        account_no: p.account_no,
                    },
                    bank_info: ::std::option::Option::None,
                    name: ::std::option::Option::Some(p.name),
                };
                out
            }
        }
        impl super::CountryPayee for BankTransfer {
            const COUNTRY: Country = Country::Br;
            const CURRENCY: Currency = Currency::Brl;
        }
    }
    ///Payees for Norway (NO).
    pub mod no {
        #[allow(unused_imports)]
        use super::super::*;
        /**A payee for NO BANK_TRANSFER (bank_transfer): `BANK_TRANSFER` in NOK.

Build it with [`BankTransfer::builder`]; the compiler refuses `build()` until every required field is set.*/
        #[derive(Debug, Clone, PartialEq)]
        pub struct BankTransfer {
            ///`payeeInfo.accountInfo.accountNo` (required).
            pub account_no: ::std::string::String,
        }
        impl BankTransfer {
            /// The country code or rail name.
            pub const MARKET: &'static str = "NO";
            /// The spec's method id.
            pub const METHOD_ID: &'static str = "bank_transfer";
            /// `paymentMethodType`.
            pub const METHOD_TYPE: &'static str = "BANK_TRANSFER";
            /// The currency this method pays out in.
            pub const CURRENCY: &'static str = "NOK";
            /// Starts a builder with nothing set.
            pub fn builder() -> BankTransferBuilder<super::Missing> {
                BankTransferBuilder {
                    account_no: super::Missing,
                }
            }
        }
        ///Builder for [`BankTransfer`].
        #[derive(Debug, Clone)]
        #[must_use = "call `.build()` to get the payee"]
        pub struct BankTransferBuilder<R0> {
            account_no: R0,
        }
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(
            message = "missing required payee field `payeeInfo.accountInfo.accountNo` for NO BANK_TRANSFER (bank_transfer)",
            label = "call `.account_no(...)` before `.build()`",
            note = "the spec requires `payeeInfo.accountInfo.accountNo` for NO BANK_TRANSFER (bank_transfer); see payermax-spec/spec for its source"
        )]
        pub trait __BankTransferAccountNoRequired {
            #[doc(hidden)]
            fn __take(self) -> ::std::string::String;
        }
        #[diagnostic::do_not_recommend]
        impl __BankTransferAccountNoRequired for ::std::string::String {
            fn __take(self) -> ::std::string::String {
                self
            }
        }
        impl<R0> BankTransferBuilder<R0> {
            ///Sets `payeeInfo.accountInfo.accountNo`.
            pub fn account_no(
                self,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> BankTransferBuilder<::std::string::String> {
                BankTransferBuilder {
                    account_no: value.into(),
                }
            }
        }
        impl<R0> BankTransferBuilder<R0> {
            /// The payee; the compiler refuses it until every required field is set.
            pub fn build(self) -> BankTransfer
            where
                R0: __BankTransferAccountNoRequired,
            {
                BankTransfer {
                    account_no: __BankTransferAccountNoRequired::__take(self.account_no),
                }
            }
        }
        #[automatically_derived]
        impl ::std::convert::From<BankTransfer> for PayeeInfo {
            fn from(p: BankTransfer) -> Self {
                #[allow(unused_mut)]
                let mut out = PayeeInfo {
                    payment_method_type: PaymentMethodType::BankTransfer,
                    target_org: ::std::option::Option::None,
                    payee_type: ::std::option::Option::None,
                    account_info: AccountInfo {
                        account_no: p.account_no,
                    },
                    bank_info: ::std::option::Option::None,
                    name: ::std::option::Option::None,
                };
                out
            }
        }
        impl super::CountryPayee for BankTransfer {
            const COUNTRY: Country = Country::No;
            const CURRENCY: Currency = Currency::Nok;
        }
    }
    ///Payees for Single Euro Payments Area (SEPA).
    pub mod sepa {
        #[allow(unused_imports)]
        use super::super::*;
        /**A payee for SEPA BANK_TRANSFER (sepa): `BANK_TRANSFER` in EUR.

Build it with [`Sepa::builder`]; the compiler refuses `build()` until every required field is set.*/
        #[derive(Debug, Clone, PartialEq)]
        pub struct Sepa {
            ///`payeeInfo.accountInfo.accountNo` (required).
            pub account_no: ::std::string::String,
            ///`payeeInfo.bankInfo.bankCode` (required).
            pub bank_code: ::std::string::String,
        }
        impl Sepa {
            /// The country code or rail name.
            pub const MARKET: &'static str = "SEPA";
            /// The spec's method id.
            pub const METHOD_ID: &'static str = "sepa";
            /// `paymentMethodType`.
            pub const METHOD_TYPE: &'static str = "BANK_TRANSFER";
            /// The currency this method pays out in.
            pub const CURRENCY: &'static str = "EUR";
            /// Starts a builder with nothing set.
            pub fn builder() -> SepaBuilder<super::Missing, super::Missing> {
                SepaBuilder {
                    account_no: super::Missing,
                    bank_code: super::Missing,
                }
            }
        }
        ///Builder for [`Sepa`].
        #[derive(Debug, Clone)]
        #[must_use = "call `.build()` to get the payee"]
        pub struct SepaBuilder<R0, R1> {
            account_no: R0,
            bank_code: R1,
        }
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(
            message = "missing required payee field `payeeInfo.accountInfo.accountNo` for SEPA BANK_TRANSFER (sepa)",
            label = "call `.account_no(...)` before `.build()`",
            note = "the spec requires `payeeInfo.accountInfo.accountNo` for SEPA BANK_TRANSFER (sepa); see payermax-spec/spec for its source"
        )]
        pub trait __SepaAccountNoRequired {
            #[doc(hidden)]
            fn __take(self) -> ::std::string::String;
        }
        #[diagnostic::do_not_recommend]
        impl __SepaAccountNoRequired for ::std::string::String {
            fn __take(self) -> ::std::string::String {
                self
            }
        }
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(
            message = "missing required payee field `payeeInfo.bankInfo.bankCode` for SEPA BANK_TRANSFER (sepa)",
            label = "call `.bank_code(...)` before `.build()`",
            note = "the spec requires `payeeInfo.bankInfo.bankCode` for SEPA BANK_TRANSFER (sepa); see payermax-spec/spec for its source"
        )]
        pub trait __SepaBankCodeRequired {
            #[doc(hidden)]
            fn __take(self) -> ::std::string::String;
        }
        #[diagnostic::do_not_recommend]
        impl __SepaBankCodeRequired for ::std::string::String {
            fn __take(self) -> ::std::string::String {
                self
            }
        }
        impl<R0, R1> SepaBuilder<R0, R1> {
            ///Sets `payeeInfo.accountInfo.accountNo`; a IBAN in print format (spaces, lower case) is converted to the electronic format.
            pub fn account_no(
                self,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> SepaBuilder<::std::string::String, R1> {
                SepaBuilder {
                    account_no: {
                        let value: ::std::string::String = value.into();
                        ::payermax::__private::spec::fast::NamedCheck::Iban
                            .electronic(&value)
                            .unwrap_or(value)
                    },
                    bank_code: self.bank_code,
                }
            }
            ///Sets `payeeInfo.bankInfo.bankCode`; a BIC in print format (spaces, lower case) is converted to the electronic format.
            pub fn bank_code(
                self,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> SepaBuilder<R0, ::std::string::String> {
                SepaBuilder {
                    account_no: self.account_no,
                    bank_code: {
                        let value: ::std::string::String = value.into();
                        ::payermax::__private::spec::fast::NamedCheck::SwiftBic
                            .electronic(&value)
                            .unwrap_or(value)
                    },
                }
            }
        }
        impl<R0, R1> SepaBuilder<R0, R1> {
            /// The payee; the compiler refuses it until every required field is set.
            pub fn build(self) -> Sepa
            where
                R0: __SepaAccountNoRequired,
                R1: __SepaBankCodeRequired,
            {
                Sepa {
                    account_no: __SepaAccountNoRequired::__take(self.account_no),
                    bank_code: __SepaBankCodeRequired::__take(self.bank_code),
                }
            }
        }
        #[automatically_derived]
        impl ::std::convert::From<Sepa> for PayeeInfo {
            fn from(p: Sepa) -> Self {
                #[allow(unused_mut)]
                let mut out = PayeeInfo {
                    payment_method_type: PaymentMethodType::BankTransfer,
                    target_org: ::std::option::Option::None,
                    payee_type: ::std::option::Option::None,
                    account_info: AccountInfo {
                        account_no: p.account_no,
                    },
                    bank_info: ::std::option::Option::Some(BankInfo {
                        bank_code: ::std::option::Option::Some(p.bank_code),
                    }),
                    name: ::std::option::Option::None,
                };
                out
            }
        }
        impl super::RailPayee for Sepa {
            const CLEARING_RAIL: ClearingRail = ClearingRail::Sepa;
            const CURRENCY: Currency = Currency::Eur;
            const CURRENCIES: &'static [Currency] = &[Currency::Eur];
        }
    }
}
impl PayRequest {
    /// A payout of `amount` to a payee of a country's method, with the request's
    /// `country` and `trade.currency` taken from the method: a payee cannot be sent
    /// to another country or in another currency by mistake. `amount` must fit the
    /// currency's precision (`"10.505"` in BRL is an error).
    ///
    /// For a payee reached through a rail (SEPA, SWIFT), see `via_rail`; to pay an
    /// amount in another currency converted by PayerMax, build the request with `new`
    /// and set `destinationCurrency`.
    pub fn to_payee<P: payee::CountryPayee>(
        out_trade_no: impl ::std::convert::Into<::std::string::String>,
        payee: P,
        amount: &str,
    ) -> ::std::result::Result<Self, ::payermax::AmountError> {
        let amount = P::CURRENCY.amount(amount)?;
        ::std::result::Result::Ok(
            Self::new(
                out_trade_no,
                P::COUNTRY.as_str(),
                Trade::new(amount, P::CURRENCY.as_str()),
                payee.into(),
            ),
        )
    }
    /// A payout of `amount` to a payee in `country` reached through a rail's method:
    /// `clearingRail` and `trade.currency` come from the method, so the payee keeps
    /// its rail (without it PayerMax would not apply the rail's rules, nor would
    /// `validate()`, which refuses a rail-only country without one).
    pub fn via_rail<P: payee::RailPayee>(
        out_trade_no: impl ::std::convert::Into<::std::string::String>,
        country: Country,
        payee: P,
        amount: &str,
    ) -> ::std::result::Result<Self, ::payermax::AmountError> {
        Self::via_rail_in(out_trade_no, country, P::CURRENCY, payee, amount)
    }
    /// Like `via_rail`, in another currency the rail pays out in: SWIFT pays USD
    /// and EUR, and its method (whose limits PayerMax states in USD) is in USD, so
    /// `via_rail` pays USD and `via_rail_in(…, Currency::Eur, …)` pays EUR. A currency
    /// the rail does not pay is an error before any request exists; `amount` must
    /// fit its precision.
    pub fn via_rail_in<P: payee::RailPayee>(
        out_trade_no: impl ::std::convert::Into<::std::string::String>,
        country: Country,
        currency: Currency,
        payee: P,
        amount: &str,
    ) -> ::std::result::Result<Self, ::payermax::AmountError> {
        if !P::CURRENCIES.contains(&currency) {
            let paid: ::std::vec::Vec<&str> = P::CURRENCIES
                .iter()
                .map(|c| c.as_str())
                .collect();
            return ::std::result::Result::Err(::payermax::AmountError::Currency {
                currency: ::std::string::String::from(currency.as_str()),
                paid: paid.join(", "),
            });
        }
        let amount = currency.amount(amount)?;
        let mut request = Self::new(
            out_trade_no,
            country.as_str(),
            Trade::new(amount, currency.as_str()),
            payee.into(),
        );
        request.clearing_rail = ::std::option::Option::Some(P::CLEARING_RAIL);
        ::std::result::Result::Ok(request)
    }
}
/// Every documented error code and what to do after it, from the spec.
pub static ERROR_TABLE: &[(&str, ::payermax::__private::runtime::RetryClass)] = &[
    ("ORDER_REPEAT", ::payermax::__private::runtime::RetryClass::DoNotResend),
];
/// The rule plan these bindings were generated from (`payermax_spec::plan::Plan`), read
/// once from the JSON the macro embedded: `validate()` runs it without reading the
/// spec's YAML, and `loaded_plan().validate_payout(&json)` checks a JSON request by
/// the same rules.
pub fn loaded_plan() -> &'static ::payermax::__private::spec::plan::Plan {
    static PLAN: ::std::sync::OnceLock<::payermax::__private::spec::plan::Plan> = ::std::sync::OnceLock::new();
    PLAN.get_or_init(|| match ::payermax::__private::spec::plan::Plan::from_json(
        r#"{"types":[{"name":"PayRequest","fields":[{"name":"outTradeNo","kind":"Text","required":true,"len":{"max":63},"pattern":{"source":"^[A-Za-z0-9_]{1,63}$","class":{"Bytes":{"class":10633823849912963253799171395480977408,"min":1,"max":63}}}},{"name":"country","kind":"Text","required":true},{"name":"clearingRail","kind":{"Enum":2}},{"name":"trade","kind":{"Object":1},"required":true},{"name":"payeeInfo","kind":{"Object":2},"required":true}]},{"name":"Trade","fields":[{"name":"amount","kind":"Amount","required":true,"len":{"max":12}},{"name":"currency","kind":"Text","required":true}]},{"name":"PayeeInfo","fields":[{"name":"paymentMethodType","kind":{"Enum":0},"required":true},{"name":"targetOrg","kind":"Text"},{"name":"payeeType","kind":{"Enum":1}},{"name":"accountInfo","kind":{"Object":3},"required":true},{"name":"bankInfo","kind":{"Object":4}},{"name":"name","kind":{"Object":5}}]},{"name":"AccountInfo","fields":[{"name":"accountNo","kind":"Text","required":true,"len":{"max":128}}]},{"name":"BankInfo","fields":[{"name":"bankCode","kind":"Text","len":{"max":64}}]},{"name":"Name","fields":[{"name":"firstName","kind":"Text","len":{"max":64}},{"name":"lastName","kind":"Text","len":{"max":64}}]},{"name":"PayResponse","fields":[{"name":"status","kind":{"Enum":3}}]}],"enums":[{"name":"PaymentMethodType","values":["BANK_TRANSFER","REALTIME_PAYMENT"],"lenient":true},{"name":"PayeeType","values":["PERSONAL","CORPORATION"],"lenient":true},{"name":"ClearingRail","values":["SEPA","LOCAL"]},{"name":"PayoutStatus","values":["PENDING","SUCCESS","FAILED","BOUNCEBACK"],"lenient":true}],"payout":0,"rule_roots":[0],"method_types":["BANK_TRANSFER","REALTIME_PAYMENT"],"paths":[{"text":"country"},{"text":"clearingRail"},{"text":"payeeInfo.paymentMethodType"},{"text":"payeeInfo.targetOrg"},{"text":"payeeInfo.payeeType"},{"text":"trade.amount"},{"text":"trade.currency"},{"text":"destinationCurrency"},{"text":"payeeInfo.accountInfo.accountNo"},{"text":"payeeInfo.name"},{"text":"payeeInfo.bankInfo.bankCode"}],"countries":[{"key":"BR","rail":false,"decimals":[["BRL",2]],"methods":[{"id":"pix","method_type":"REALTIME_PAYMENT","currency":"BRL","what":"BR REALTIME_PAYMENT (pix)","org":{"required":true,"values":["PIX"],"refuse_unlisted":true},"limits":{"min":{"value":"0.01","digits":["","01"]},"max":{"value":"5000","digits":["5000",""]}},"rules":[{"path":8,"pattern":{"source":"^[0-9]+$","class":{"Bytes":{"class":287948901175001088,"min":1,"max":null}}}}]},{"id":"bank_transfer","method_type":"BANK_TRANSFER","currency":"BRL","what":"BR BANK_TRANSFER (bank_transfer)","limits":{},"rules":[{"path":9,"required":true}]}],"by_type":[{"method_type":"REALTIME_PAYMENT","first":0},{"method_type":"BANK_TRANSFER","first":1}],"unlisted":"DeclaredPass"},{"key":"NO","rail":false,"decimals":[["NOK",2]],"methods":[{"id":"bank_transfer","method_type":"BANK_TRANSFER","currency":"NOK","what":"NO BANK_TRANSFER (bank_transfer)","limits":{},"rules":[]}],"by_type":[{"method_type":"BANK_TRANSFER","first":0}],"unlisted":"DeclaredPass"}],"rails":[{"key":"SEPA","rail":true,"reach":["AT","NO","DE"],"decimals":[["EUR",2]],"methods":[{"id":"sepa","method_type":"BANK_TRANSFER","currency":"EUR","what":"SEPA BANK_TRANSFER (sepa)","limits":{},"rules":[{"path":8,"required":true,"check":"Iban"},{"path":10,"required":true,"check":"SwiftBic"}]}],"by_type":[{"method_type":"BANK_TRANSFER","first":0}],"unlisted":"Refused"}],"transitions":[["PENDING","SUCCESS"]],"fingerprint":10816252109147996434}"#,
    ) {
        ::std::result::Result::Ok(plan) => plan,
        ::std::result::Result::Err(e) => {
            ::std::unreachable!("rule plan written at compile time: {e}")
        }
    })
}
impl PayRequest {
    /**Checks every rule of the spec, API-wide and of the request's country (or rail) and method: all violations at once, each with its JSON path, sorted by path.

`Ok` carries the advisory violations (warnings: rules resting on an example or a guess, which never block sending); `Err` means an enforced rule is broken, and the client will not send the request.*/
    pub fn validate(
        &self,
    ) -> ::std::result::Result<
        ::payermax::__private::runtime::Warnings,
        ::payermax::__private::runtime::ValidationErrors,
    > {
        if self.__payermax_fast_valid(true) {
            return ::std::result::Result::Ok(
                ::payermax::__private::runtime::Warnings::default(),
            );
        }
        ::payermax::__private::validate(
            loaded_plan(),
            ::payermax::__private::Check::Payout,
            self,
        )
    }
    /// Whether [`validate`](Self::validate) would return `Ok` (every enforced
    /// rule holds; advisory ones may not): the same verdict, from the same
    /// generated code, without building a report. For the payout it never
    /// allocates; use it to screen many requests (a bulk file, a queue) and call
    /// `validate()` on the ones that fail, for their violations.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.__payermax_fast_valid(false)
            || (!Self::__PAYERMAX_FAST_EXACT
                && ::payermax::__private::validate(
                        loaded_plan(),
                        ::payermax::__private::Check::Payout,
                        self,
                    )
                    .is_ok())
    }
}
#[allow(
    dead_code,
    unused_variables,
    unreachable_code,
    non_camel_case_types,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
const _: () = {
    use ::payermax::__private::spec::doc as __doc;
    use ::payermax::__private::spec::fast as __fast;
    use ::std::option::Option as __Option;
    #[automatically_derived]
    impl __doc::Doc for PayRequest {
        fn get(&self, name: &str) -> __doc::Node<'_> {
            match name {
                "outTradeNo" => __doc::ToNode::node(&self.out_trade_no),
                "country" => __doc::ToNode::node(&self.country),
                "clearingRail" => __doc::ToNode::node(&self.clearing_rail),
                "trade" => __doc::ToNode::node(&self.trade),
                "payeeInfo" => __doc::ToNode::node(&self.payee_info),
                _ => __doc::Node::Absent,
            }
        }
        fn field_count(&self) -> usize {
            5usize
        }
        fn generated_as(&self) -> __Option<(u64, &str)> {
            __Option::Some((10816252109147996434u64, "PayRequest"))
        }
        fn field_at(&self, index: usize) -> __doc::Node<'_> {
            match index {
                0usize => __doc::ToNode::node(&self.out_trade_no),
                1usize => __doc::ToNode::node(&self.country),
                2usize => __doc::ToNode::node(&self.clearing_rail),
                3usize => __doc::ToNode::node(&self.trade),
                4usize => __doc::ToNode::node(&self.payee_info),
                _ => __doc::Node::Absent,
            }
        }
        fn fields_ok(&self, required: bool) -> __Option<bool> {
            __Option::Some(self.__payermax_fields_ok(required, true))
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for PayRequest {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Obj(self)
        }
    }
    #[automatically_derived]
    impl __doc::Doc for Trade {
        fn get(&self, name: &str) -> __doc::Node<'_> {
            match name {
                "amount" => __doc::ToNode::node(&self.amount),
                "currency" => __doc::ToNode::node(&self.currency),
                _ => __doc::Node::Absent,
            }
        }
        fn field_count(&self) -> usize {
            2usize
        }
        fn generated_as(&self) -> __Option<(u64, &str)> {
            __Option::Some((10816252109147996434u64, "Trade"))
        }
        fn field_at(&self, index: usize) -> __doc::Node<'_> {
            match index {
                0usize => __doc::ToNode::node(&self.amount),
                1usize => __doc::ToNode::node(&self.currency),
                _ => __doc::Node::Absent,
            }
        }
        fn fields_ok(&self, required: bool) -> __Option<bool> {
            __Option::Some(self.__payermax_fields_ok(required, true))
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for Trade {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Obj(self)
        }
    }
    #[automatically_derived]
    impl __doc::Doc for PayeeInfo {
        fn get(&self, name: &str) -> __doc::Node<'_> {
            match name {
                "paymentMethodType" => __doc::ToNode::node(&self.payment_method_type),
                "targetOrg" => __doc::ToNode::node(&self.target_org),
                "payeeType" => __doc::ToNode::node(&self.payee_type),
                "accountInfo" => __doc::ToNode::node(&self.account_info),
                "bankInfo" => __doc::ToNode::node(&self.bank_info),
                "name" => __doc::ToNode::node(&self.name),
                _ => __doc::Node::Absent,
            }
        }
        fn field_count(&self) -> usize {
            6usize
        }
        fn generated_as(&self) -> __Option<(u64, &str)> {
            __Option::Some((10816252109147996434u64, "PayeeInfo"))
        }
        fn field_at(&self, index: usize) -> __doc::Node<'_> {
            match index {
                0usize => __doc::ToNode::node(&self.payment_method_type),
                1usize => __doc::ToNode::node(&self.target_org),
                2usize => __doc::ToNode::node(&self.payee_type),
                3usize => __doc::ToNode::node(&self.account_info),
                4usize => __doc::ToNode::node(&self.bank_info),
                5usize => __doc::ToNode::node(&self.name),
                _ => __doc::Node::Absent,
            }
        }
        fn fields_ok(&self, required: bool) -> __Option<bool> {
            __Option::Some(self.__payermax_fields_ok(required, true))
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for PayeeInfo {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Obj(self)
        }
    }
    #[automatically_derived]
    impl __doc::Doc for AccountInfo {
        fn get(&self, name: &str) -> __doc::Node<'_> {
            match name {
                "accountNo" => __doc::ToNode::node(&self.account_no),
                _ => __doc::Node::Absent,
            }
        }
        fn field_count(&self) -> usize {
            1usize
        }
        fn generated_as(&self) -> __Option<(u64, &str)> {
            __Option::Some((10816252109147996434u64, "AccountInfo"))
        }
        fn field_at(&self, index: usize) -> __doc::Node<'_> {
            match index {
                0usize => __doc::ToNode::node(&self.account_no),
                _ => __doc::Node::Absent,
            }
        }
        fn fields_ok(&self, required: bool) -> __Option<bool> {
            __Option::Some(self.__payermax_fields_ok(required, true))
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for AccountInfo {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Obj(self)
        }
    }
    #[automatically_derived]
    impl __doc::Doc for BankInfo {
        fn get(&self, name: &str) -> __doc::Node<'_> {
            match name {
                "bankCode" => __doc::ToNode::node(&self.bank_code),
                _ => __doc::Node::Absent,
            }
        }
        fn field_count(&self) -> usize {
            1usize
        }
        fn generated_as(&self) -> __Option<(u64, &str)> {
            __Option::Some((10816252109147996434u64, "BankInfo"))
        }
        fn field_at(&self, index: usize) -> __doc::Node<'_> {
            match index {
                0usize => __doc::ToNode::node(&self.bank_code),
                _ => __doc::Node::Absent,
            }
        }
        fn fields_ok(&self, required: bool) -> __Option<bool> {
            __Option::Some(self.__payermax_fields_ok(required, true))
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for BankInfo {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Obj(self)
        }
    }
    #[automatically_derived]
    impl __doc::Doc for Name {
        fn get(&self, name: &str) -> __doc::Node<'_> {
            match name {
                "firstName" => __doc::ToNode::node(&self.first_name),
                "lastName" => __doc::ToNode::node(&self.last_name),
                _ => __doc::Node::Absent,
            }
        }
        fn field_count(&self) -> usize {
            2usize
        }
        fn generated_as(&self) -> __Option<(u64, &str)> {
            __Option::Some((10816252109147996434u64, "Name"))
        }
        fn field_at(&self, index: usize) -> __doc::Node<'_> {
            match index {
                0usize => __doc::ToNode::node(&self.first_name),
                1usize => __doc::ToNode::node(&self.last_name),
                _ => __doc::Node::Absent,
            }
        }
        fn fields_ok(&self, required: bool) -> __Option<bool> {
            __Option::Some(self.__payermax_fields_ok(required, true))
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for Name {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Obj(self)
        }
    }
    #[automatically_derived]
    impl __doc::Doc for PayResponse {
        fn get(&self, name: &str) -> __doc::Node<'_> {
            match name {
                "status" => __doc::ToNode::node(&self.status),
                _ => __doc::Node::Absent,
            }
        }
        fn field_count(&self) -> usize {
            1usize
        }
        fn generated_as(&self) -> __Option<(u64, &str)> {
            __Option::Some((10816252109147996434u64, "PayResponse"))
        }
        fn field_at(&self, index: usize) -> __doc::Node<'_> {
            match index {
                0usize => __doc::ToNode::node(&self.status),
                _ => __doc::Node::Absent,
            }
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for PayResponse {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Obj(self)
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for PaymentMethodType {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Str(self.as_str())
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for PayeeType {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Str(self.as_str())
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for ClearingRail {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Str(self.as_str())
        }
    }
    #[automatically_derived]
    impl __doc::ToNode for PayoutStatus {
        fn node(&self) -> __doc::Node<'_> {
            __doc::Node::Str(self.as_str())
        }
    }
    impl AccountInfo {
        #[inline]
        fn __payermax_fields_ok(&self, payout: bool, advisory: bool) -> bool {
            {
                let s: &str = self.account_no.as_str();
                if s.is_empty() {
                    if payout {
                        return false;
                    }
                } else {
                    if !__fast::max_chars(s, 128usize) {
                        return false;
                    }
                }
            }
            true
        }
    }
    impl BankInfo {
        #[inline]
        fn __payermax_fields_ok(&self, payout: bool, advisory: bool) -> bool {
            match self.bank_code.as_ref().map(|v| v.as_str()) {
                __Option::Some(s) if !s.is_empty() => {
                    if !__fast::max_chars(s, 64usize) {
                        return false;
                    }
                }
                _ => {}
            }
            true
        }
    }
    impl Name {
        #[inline]
        fn __payermax_fields_ok(&self, payout: bool, advisory: bool) -> bool {
            match self.first_name.as_ref().map(|v| v.as_str()) {
                __Option::Some(s) if !s.is_empty() => {
                    if !__fast::max_chars(s, 64usize) {
                        return false;
                    }
                }
                _ => {}
            }
            match self.last_name.as_ref().map(|v| v.as_str()) {
                __Option::Some(s) if !s.is_empty() => {
                    if !__fast::max_chars(s, 64usize) {
                        return false;
                    }
                }
                _ => {}
            }
            true
        }
    }
    impl PayRequest {
        #[inline]
        fn __payermax_fields_ok(&self, payout: bool, advisory: bool) -> bool {
            {
                let s: &str = self.out_trade_no.as_str();
                if s.is_empty() {
                    if payout {
                        return false;
                    }
                } else {
                    if !__fast::max_chars(s, 63usize) {
                        return false;
                    }
                    if !__fast::bytes_match::<
                        10633823849912963253799171395480977408u128,
                    >(
                        s,
                        1usize,
                        63usize,
                        |b: u8| {
                            false | (b.wrapping_sub(48u8) <= 9u8)
                                | (b.wrapping_sub(65u8) <= 25u8) | (b == 95u8)
                                | (b.wrapping_sub(97u8) <= 25u8)
                        },
                    ) {
                        return false;
                    }
                }
            }
            {
                let s: &str = self.country.as_str();
                if s.is_empty() {
                    if payout {
                        return false;
                    }
                } else {}
            }
            if !self.trade.__payermax_fields_ok(payout, advisory) {
                return false;
            }
            if !self.payee_info.__payermax_fields_ok(payout, advisory) {
                return false;
            }
            true
        }
    }
    impl PayeeInfo {
        #[inline]
        fn __payermax_fields_ok(&self, payout: bool, advisory: bool) -> bool {
            {
                let s: &str = self.payment_method_type.as_str();
                if s.is_empty() {
                    if payout {
                        return false;
                    }
                } else {}
            }
            if !self.account_info.__payermax_fields_ok(payout, advisory) {
                return false;
            }
            match &self.bank_info {
                __Option::Some(v) => {
                    if !v.__payermax_fields_ok(payout, advisory) {
                        return false;
                    }
                }
                __Option::None => {}
            }
            match &self.name {
                __Option::Some(v) => {
                    if !v.__payermax_fields_ok(payout, advisory) {
                        return false;
                    }
                }
                __Option::None => {}
            }
            true
        }
    }
    impl Trade {
        #[inline]
        fn __payermax_fields_ok(&self, payout: bool, advisory: bool) -> bool {
            {
                let s: &str = self.amount.as_str();
                if s.is_empty() {
                    if payout {
                        return false;
                    }
                } else {
                    if !__fast::max_chars(s, 12usize) {
                        return false;
                    }
                }
            }
            {
                let s: &str = self.currency.as_str();
                if s.is_empty() {
                    if payout {
                        return false;
                    }
                } else {}
            }
            true
        }
    }
    /// The fields the method rules read, by number (generated; see `__payermax_method_ok`).
    #[doc(hidden)]
    trait __PayermaxRuleFields {
        fn __payermax_field(&self, index: usize) -> __fast::Field<'_>;
    }
    /// The country and method rules of the spec, as straight-line code, for the payout and
    /// element-validation requests alike (`payout`: absent required fields count;
    /// `advisory`: advisory rules count).
    fn __payermax_method_ok<T: __PayermaxRuleFields>(
        req: &T,
        payout: bool,
        advisory: bool,
    ) -> bool {
        fn __payermax_org_listed(method_type: &str, target_org: __Option<&str>) -> bool {
            let __Option::Some(o) = target_org else {
                return false;
            };
            match method_type {
                "REALTIME_PAYMENT" => ::core::matches!(o, "PIX"),
                _ => false,
            }
        }
        let (__Option::Some(country), __Option::Some(method_type)) = (
            req.__payermax_field(0usize).text(),
            req.__payermax_field(2usize).text(),
        ) else {
            return true;
        };
        let target_org: __Option<&str> = req.__payermax_field(3usize).text();
        let payee_type: __Option<&str> = req.__payermax_field(4usize).text();
        let amount: __Option<&str> = req.__payermax_field(5usize).text();
        let currency: __Option<&str> = req.__payermax_field(6usize).text();
        let destination_currency: __Option<&str> = req.__payermax_field(7usize).text();
        let rail: __Option<&str> = req.__payermax_field(1usize).text();
        match rail {
            __Option::Some("SEPA") => {
                if !::core::matches!(country, "AT" | "NO" | "DE") {
                    return false;
                }
                return {
                    let index: usize = match (
                        method_type.len(),
                        __fast::pack16(method_type),
                    ) {
                        (13usize, 6518148810054692549713558651202u128) => 0usize,
                        _ => return false,
                    };
                    if let __Option::Some(c) = destination_currency.or(currency) {
                        if !::core::matches!(c, "EUR") {
                            return false;
                        }
                    }
                    match index {
                        0usize => {
                            if let (__Option::Some(amount), __Option::Some(currency)) = (
                                amount,
                                currency,
                            ) {
                                if let __Option::Some(amount) = __fast::Decimal::parse(
                                    amount,
                                ) {
                                    if amount.digits() > 18 {
                                        return false;
                                    }
                                    match (currency.len(), __fast::pack16(currency)) {
                                        (3usize, 5395781u128) => {
                                            if amount.scale() > 2usize {
                                                return false;
                                            }
                                        }
                                        _ => {}
                                    }
                                    if currency == "EUR" {}
                                }
                            }
                            match req.__payermax_field(8usize) {
                                __fast::Field::Str(s) => {
                                    if __fast::NamedCheck::Iban.check(s).is_err() {
                                        return false;
                                    }
                                }
                                __fast::Field::Present => {}
                                __fast::Field::Absent => {
                                    if payout {
                                        return false;
                                    }
                                }
                            }
                            match req.__payermax_field(10usize) {
                                __fast::Field::Str(s) => {
                                    if __fast::NamedCheck::SwiftBic.check(s).is_err() {
                                        return false;
                                    }
                                }
                                __fast::Field::Present => {}
                                __fast::Field::Absent => {
                                    if payout {
                                        return false;
                                    }
                                }
                            }
                            true
                        }
                        _ => true,
                    }
                };
            }
            _ => {}
        }
        match (country.len(), __fast::pack16(country)) {
            (2usize, 21058u128) => {
                let index: usize = match (
                    method_type.len(),
                    __fast::pack16(method_type),
                ) {
                    (16usize, 112061556415352941041686125615566112082u128) => 0usize,
                    (13usize, 6518148810054692549713558651202u128) => 1usize,
                    _ => {
                        return ::core::matches!(
                            method_type, "BANK_TRANSFER" | "REALTIME_PAYMENT"
                        ) && !__payermax_org_listed(method_type, target_org);
                    }
                };
                if let __Option::Some(c) = destination_currency.or(currency) {
                    if !::core::matches!(c, "BRL") {
                        return false;
                    }
                }
                match index {
                    0usize => {
                        match target_org {
                            __Option::None => {
                                if payout {
                                    return false;
                                }
                            }
                            __Option::Some(o) => {
                                if !::core::matches!(o, "PIX") {
                                    return false;
                                }
                            }
                        }
                        if let (__Option::Some(amount), __Option::Some(currency)) = (
                            amount,
                            currency,
                        ) {
                            if let __Option::Some(amount) = __fast::Decimal::parse(
                                amount,
                            ) {
                                if amount.digits() > 18 {
                                    return false;
                                }
                                match (currency.len(), __fast::pack16(currency)) {
                                    (3usize, 5001794u128) => {
                                        if amount.scale() > 2usize {
                                            return false;
                                        }
                                    }
                                    _ => {}
                                }
                                if currency == "BRL" {
                                    if amount.cmp_digits(b"", b"01")
                                        == ::std::cmp::Ordering::Less
                                    {
                                        return false;
                                    }
                                    if amount.cmp_digits(b"5000", b"")
                                        == ::std::cmp::Ordering::Greater
                                    {
                                        return false;
                                    }
                                }
                            }
                        }
                        match req.__payermax_field(8usize) {
                            __fast::Field::Str(s) => {
                                if !__fast::bytes_match::<
                                    287948901175001088u128,
                                >(
                                    s,
                                    1usize,
                                    usize::MAX,
                                    |b: u8| false | (b.wrapping_sub(48u8) <= 9u8),
                                ) {
                                    return false;
                                }
                            }
                            __fast::Field::Present => {}
                            __fast::Field::Absent => {}
                        }
                        true
                    }
                    1usize => {
                        if let (__Option::Some(amount), __Option::Some(currency)) = (
                            amount,
                            currency,
                        ) {
                            if let __Option::Some(amount) = __fast::Decimal::parse(
                                amount,
                            ) {
                                if amount.digits() > 18 {
                                    return false;
                                }
                                match (currency.len(), __fast::pack16(currency)) {
                                    (3usize, 5001794u128) => {
                                        if amount.scale() > 2usize {
                                            return false;
                                        }
                                    }
                                    _ => {}
                                }
                                if currency == "BRL" {}
                            }
                        }
                        match req.__payermax_field(9usize) {
                            __fast::Field::Str(s) => {}
                            __fast::Field::Present => {}
                            __fast::Field::Absent => {
                                if payout {
                                    return false;
                                }
                            }
                        }
                        true
                    }
                    _ => true,
                }
            }
            (2usize, 20302u128) => {
                let index: usize = match (
                    method_type.len(),
                    __fast::pack16(method_type),
                ) {
                    (13usize, 6518148810054692549713558651202u128) => 0usize,
                    _ => {
                        return ::core::matches!(
                            method_type, "BANK_TRANSFER" | "REALTIME_PAYMENT"
                        ) && !__payermax_org_listed(method_type, target_org);
                    }
                };
                if let __Option::Some(c) = destination_currency.or(currency) {
                    if !::core::matches!(c, "NOK") {
                        return false;
                    }
                }
                match index {
                    0usize => {
                        if let (__Option::Some(amount), __Option::Some(currency)) = (
                            amount,
                            currency,
                        ) {
                            if let __Option::Some(amount) = __fast::Decimal::parse(
                                amount,
                            ) {
                                if amount.digits() > 18 {
                                    return false;
                                }
                                match (currency.len(), __fast::pack16(currency)) {
                                    (3usize, 4935502u128) => {
                                        if amount.scale() > 2usize {
                                            return false;
                                        }
                                    }
                                    _ => {}
                                }
                                if currency == "NOK" {}
                            }
                        }
                        true
                    }
                    _ => true,
                }
            }
            _ => !(payout && rail.is_none() && ::core::matches!(country, "AT" | "DE")),
        }
    }
    #[automatically_derived]
    impl __PayermaxRuleFields for PayRequest {
        #[inline(always)]
        fn __payermax_field(&self, index: usize) -> __fast::Field<'_> {
            match index {
                0usize => {
                    match __Option::Some(self)
                        .map(|x| x.country.as_str())
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                1usize => {
                    match __Option::Some(self)
                        .and_then(|x| x.clearing_rail.as_ref().map(|v| v.as_str()))
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                2usize => {
                    match __Option::Some(self)
                        .map(|x| &x.payee_info)
                        .map(|x| x.payment_method_type.as_str())
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                3usize => {
                    match __Option::Some(self)
                        .map(|x| &x.payee_info)
                        .and_then(|x| x.target_org.as_ref().map(|v| v.as_str()))
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                4usize => {
                    match __Option::Some(self)
                        .map(|x| &x.payee_info)
                        .and_then(|x| x.payee_type.as_ref().map(|v| v.as_str()))
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                5usize => {
                    match __Option::Some(self)
                        .map(|x| &x.trade)
                        .map(|x| x.amount.as_str())
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                6usize => {
                    match __Option::Some(self)
                        .map(|x| &x.trade)
                        .map(|x| x.currency.as_str())
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                7usize => __fast::Field::Absent,
                8usize => {
                    match __Option::Some(self)
                        .map(|x| &x.payee_info)
                        .map(|x| &x.account_info)
                        .map(|x| x.account_no.as_str())
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                9usize => {
                    __fast::Field::present(
                        __Option::Some(self)
                            .map(|x| &x.payee_info)
                            .and_then(|x| x.name.as_ref())
                            .is_some_and(|o| __doc::Doc::any_present(o)),
                    )
                }
                10usize => {
                    match __Option::Some(self)
                        .map(|x| &x.payee_info)
                        .and_then(|x| x.bank_info.as_ref())
                        .and_then(|x| x.bank_code.as_ref().map(|v| v.as_str()))
                        .filter(|s| !s.is_empty())
                    {
                        __Option::Some(s) => __fast::Field::Str(s),
                        __Option::None => __fast::Field::Absent,
                    }
                }
                _ => __fast::Field::Absent,
            }
        }
    }
    impl PayRequest {
        /// Whether `validate()` would find nothing (`advisory`: counting advisory
        /// rules; else nothing enforced), answered by straight-line code generated from
        /// the spec (not a stable API; `validate()` and `is_valid()` use it).
        #[doc(hidden)]
        pub fn __payermax_fast_valid(&self, advisory: bool) -> bool {
            if !self.__payermax_fields_ok(true, advisory) {
                return false;
            }
            __payermax_method_ok(self, true, advisory)
        }
        /// Whether `__payermax_fast_valid`'s `false` is exact (else: ask the interpreter).
        #[doc(hidden)]
        pub const __PAYERMAX_FAST_EXACT: bool = true;
    }
};
/// The envelope `version` of each endpoint's requests, from the spec (PayerMax's pages
/// disagree; `Config::builder().api_version(..)` overrides them all).
pub static ENDPOINT_VERSIONS: &[(&str, &str)] = &[("paymentOrderPay", "1.4")];
/// A PayerMax payout client for one merchant: typed methods, one per endpoint. Cheap to
/// clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    inner: ::payermax::__private::runtime::Client,
}
impl Client {
    /// A client for `config`.
    pub fn new(
        config: ::payermax::__private::runtime::Config,
    ) -> ::std::result::Result<Self, ::payermax::__private::runtime::Error> {
        let config = config.with_endpoint_versions(ENDPOINT_VERSIONS);
        ::std::result::Result::Ok(Client {
            inner: ::payermax::__private::runtime::Client::new(config)?,
        })
    }
    /// Wraps a runtime client.
    pub fn from_runtime(inner: ::payermax::__private::runtime::Client) -> Self {
        Client { inner }
    }
    /// The runtime client underneath (raw calls, configuration).
    pub fn runtime(&self) -> &::payermax::__private::runtime::Client {
        &self.inner
    }
    /**

One attempt, never retried.*/
    pub async fn pay(
        &self,
        request: &PayRequest,
    ) -> ::std::result::Result<PayResponse, ::payermax::__private::runtime::Error> {
        ::payermax::__private::runtime::validation::admit(
            self.inner.config(),
            request.validate(),
        )?;
        self.inner.call("paymentOrderPay", request, ERROR_TABLE).await
    }
    /// Verifies a notification's `sign` header over the raw body with this client's
    /// PayerMax public key, decodes it, and refuses one addressed to another merchant
    /// or app, or not a payout notification. Answer PayerMax with [`NOTIFICATION_ACK`].
    pub fn verify_notification(
        &self,
        body: &[u8],
        sign: ::std::option::Option<&str>,
    ) -> ::std::result::Result<PayResponse, ::payermax::__private::runtime::Error> {
        self.inner.verify_notification(body, sign)
    }
    /// Verifies any notification PayerMax POSTs (the `sign` header over the raw body,
    /// with this client's PayerMax public key), refuses one addressed to another
    /// merchant or app, and decodes it as the kind it is: one entry point for one
    /// callback URL. Answer PayerMax with [`NOTIFICATION_ACK`] once it is stored.
    pub fn verify_notice(
        &self,
        body: &[u8],
        sign: ::std::option::Option<&str>,
    ) -> ::std::result::Result<Notice, ::payermax::__private::runtime::Error> {
        Notice::decode(self.inner.classify_notice(body, sign, NOTICE_KINDS)?, body)
    }
}
/// Where a payout stands after an idempotent send.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Payout {
    /// The merchant's order number, as sent every time.
    pub out_trade_no: ::std::string::String,
    /// The order's status as PayerMax last reported it.
    pub status: PayoutStatus,
    /// PayerMax's order number, when known.
    pub trade_no: ::std::option::Option<::std::string::String>,
    /// How the status became known.
    pub resolved_by: ::payermax::__private::runtime::ResolvedBy,
    /// How many times the order was sent.
    pub attempts: u32,
    /// The `data` of the last answer.
    pub data: ::payermax::__private::serde_json::Value,
}
impl ::std::convert::From<::payermax::__private::runtime::PayoutOutcome> for Payout {
    fn from(o: ::payermax::__private::runtime::PayoutOutcome) -> Self {
        Payout {
            status: PayoutStatus::from(o.status.as_str()),
            out_trade_no: o.out_trade_no,
            trade_no: o.trade_no,
            resolved_by: o.resolved_by,
            attempts: o.attempts,
            data: o.data,
        }
    }
}
/// Verifies a notification's `sign` header over the raw body with PayerMax's public
/// key, then decodes it. Framework-agnostic: bytes in, value out.
pub fn verify_notification(
    payermax_public_key: &::payermax::__private::runtime::PublicKey,
    body: &[u8],
    sign: ::std::option::Option<&str>,
) -> ::std::result::Result<PayResponse, ::payermax::__private::runtime::Error> {
    ::payermax::__private::runtime::verify_notification(payermax_public_key, body, sign)
}
///The exact body PayerMax expects in answer to a notification: `{"code":"SUCCESS","msg":"Success"}`.
pub const NOTIFICATION_ACK: &str = "{\"code\":\"SUCCESS\",\"msg\":\"Success\"}";
/// A verified notification, of the kind it turned out to be (see `Client::verify_notice`).
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum Notice {
    /// The payout result (`notifyType` `PAYOUT`).
    Payout(PayResponse),
}
/// How each kind of notification is told apart, in `Notice`'s order.
pub static NOTICE_KINDS: &[::payermax::__private::runtime::NoticeKind] = &[
    ::payermax::__private::runtime::NoticeKind {
        field: "notifyType",
        value: "PAYOUT",
    },
];
impl Notice {
    fn decode(
        kind: usize,
        body: &[u8],
    ) -> ::std::result::Result<Notice, ::payermax::__private::runtime::Error> {
        ::std::result::Result::Ok(
            match kind {
                _ => {
                    Notice::Payout(
                        ::payermax::__private::runtime::decode_notification(body)?,
                    )
                }
            },
        )
    }
}
/// Verifies any notification's `sign` header over the raw body with PayerMax's public
/// key and decodes it as the kind it is. Framework-agnostic: bytes in, value out. (It
/// does not check the addressee: `Client::verify_notice` does.)
pub fn verify_notice(
    payermax_public_key: &::payermax::__private::runtime::PublicKey,
    body: &[u8],
    sign: ::std::option::Option<&str>,
) -> ::std::result::Result<Notice, ::payermax::__private::runtime::Error> {
    Notice::decode(
        ::payermax::__private::runtime::classify_notice(
            payermax_public_key,
            body,
            sign,
            NOTICE_KINDS,
        )?,
        body,
    )
}
