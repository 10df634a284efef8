//! # payermax-spec
//!
//! The PayerMax payout spec: the YAML files under `spec/` (embedded in this crate), the typed
//! model they load into, the loader with `file:line:column` diagnostics, the semantic checks,
//! the named checks for public-standard identifiers, and the rule interpreter that validates a
//! payout request against the rules of its country and method.
//!
//! ```
//! let spec = payermax_spec::builtin().expect("the built-in spec is valid");
//! let request = serde_json::json!({
//!     "outTradeNo": "order_1", "country": "BR",
//!     "trade": {"amount": "10.50", "currency": "BRL"},
//!     "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
//!                   "accountInfo": {"accountNo": "12345678901"}}
//! });
//! let report = spec.validate_payout(&request);
//! assert!(report.is_empty(), "{report:?}");
//! ```
//!
//! The format of the files is described in `SPEC_FORMAT.md`.
#![deny(missing_docs)]

pub mod checks;
pub mod diag;
#[doc(hidden)]
pub mod doc;
#[doc(hidden)]
pub mod fast;
pub mod load;
pub mod model;
pub mod names;
pub mod pattern;
pub mod plan;
mod semantic;
pub mod sp;
pub mod validate;

pub use diag::{Diagnostic, Diagnostics};
pub use load::{BUILTIN_STATUS_TRANSITIONS, LoadOptions, Root, builtin, from_root_file, load};
pub use semantic::{
    CLEARING_RAIL_ENUM, FIELD_VALIDATION_API, METHOD_TYPE_ENUM, PAYEE_TYPE_ENUM, PAYOUT_API,
    PRIMITIVES, STATUS_ENUM, enum_values,
};
pub use validate::{FieldReport, Level, METHOD_UNAVAILABLE, ORG_ELSEWHERE, Violation};

use model::{ApiFile, EndpointDef, EnumDef, ErrorCodeDef, MarketFile, TypeDef};
use std::path::PathBuf;

/// A loaded and checked spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The API file.
    pub api: ApiFile,
    /// How the API file is named in diagnostics.
    pub api_file: String,
    /// Country files.
    pub countries: Vec<Market>,
    /// Rail files (SWIFT, SEPA).
    pub rails: Vec<Market>,
    /// Every file read from disk (the built-in spec reads none), for rebuild tracking.
    pub disk_files: Vec<PathBuf>,
    /// The spec lowered once: every rule both executors (the interpreter and the generated
    /// fast path) apply.
    pub plan: plan::Plan,
}

/// A country or rail, with the file it came from.
#[derive(Debug, Clone)]
pub struct Market {
    /// How the file is named in diagnostics.
    pub file: String,
    /// Its contents.
    pub def: MarketFile,
}

impl Market {
    /// Whether a `targetOrg` that no method of type `method_type` lists is refused: every
    /// method of that type has a `complete` list (or none). The interpreter and the generated
    /// check both ask this.
    pub fn org_lists_complete(&self, method_type: &str) -> bool {
        self.def
            .methods
            .iter()
            .filter(|m| m.method_type.value == method_type)
            .all(|m| m.target_org.as_ref().is_none_or(|t| t.complete))
    }

    /// The country code, or the rail name.
    pub fn key(&self) -> &str {
        self.def
            .code
            .as_ref()
            .or(self.def.rail.as_ref())
            .map(|s| s.as_str())
            .unwrap_or("")
    }

    /// Decimal places of `currency`, when the file gives them.
    pub fn decimals(&self, currency: &str) -> Option<u8> {
        self.def
            .currencies
            .iter()
            .find(|c| c.code.value == currency)
            .map(|c| c.decimals.value)
    }
}

/// How big a spec is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Endpoints (merchant → PayerMax calls).
    pub endpoints: usize,
    /// Object types.
    pub types: usize,
    /// Fields over all object types.
    pub fields: usize,
    /// Enums.
    pub enums: usize,
    /// Error codes.
    pub error_codes: usize,
    /// Countries.
    pub countries: usize,
    /// Rails.
    pub rails: usize,
    /// Payout methods over countries and rails.
    pub methods: usize,
    /// Field rules over all methods.
    pub rules: usize,
    /// Checks that block sending when broken: method rules, their named checks, and API field
    /// patterns, each counted at its level.
    pub enforced: usize,
    /// Checks whose violations are warnings (`advise`).
    pub advisory: usize,
}

impl Spec {
    /// The object type `name`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.api.types.iter().find(|t| t.name.value == name)
    }

    /// The enum `name`.
    pub fn enum_def(&self, name: &str) -> Option<&EnumDef> {
        self.api.enums.iter().find(|e| e.name.value == name)
    }

    /// The endpoint whose api name is `api_name`.
    pub fn endpoint(&self, api_name: &str) -> Option<&EndpointDef> {
        self.api
            .endpoints
            .iter()
            .find(|e| e.api_name.value == api_name)
    }

    /// The documented error code `code`.
    pub fn error_code(&self, code: &str) -> Option<&ErrorCodeDef> {
        self.api.error_codes.iter().find(|c| c.code.value == code)
    }

    /// The country `code`.
    pub fn country(&self, code: &str) -> Option<&Market> {
        self.countries.iter().find(|m| m.key() == code)
    }

    /// The rail `name` (`SWIFT`, `SEPA`).
    pub fn rail(&self, name: &str) -> Option<&Market> {
        self.rails.iter().find(|m| m.key() == name)
    }

    /// The request type of the payout call.
    pub fn payout_request_type(&self) -> Option<&TypeDef> {
        self.endpoint(PAYOUT_API)
            .and_then(|e| self.type_def(&e.request.value))
    }

    /// The payment method types the API declares (the values of `PaymentMethodType`, as the
    /// spec checks read them).
    pub fn method_types(&self) -> Vec<&str> {
        enum_values(&self.api, METHOD_TYPE_ENUM)
    }

    /// How big the spec is.
    pub fn counts(&self) -> Counts {
        let markets = self.countries.iter().chain(&self.rails);
        Counts {
            endpoints: self.api.endpoints.len(),
            types: self.api.types.len(),
            fields: self.api.types.iter().map(|t| t.fields.len()).sum(),
            enums: self.api.enums.len(),
            error_codes: self.api.error_codes.len(),
            countries: self.countries.len(),
            rails: self.rails.len(),
            methods: markets.clone().map(|m| m.def.methods.len()).sum(),
            rules: markets
                .flat_map(|m| &m.def.methods)
                .map(|m| m.rules.len())
                .sum(),
            enforced: self.levels().filter(|l| *l == Level::Enforce).count(),
            advisory: self.levels().filter(|l| *l == Level::Advise).count(),
        }
    }

    /// The level of every leveled check: each method rule, its named check, each field pattern.
    fn levels(&self) -> impl Iterator<Item = Level> + '_ {
        let plan = &self.plan;
        let patterns = plan
            .types
            .iter()
            .flat_map(|t| &t.fields)
            .filter(|f| f.pattern.is_some())
            .map(|f| f.pattern_level);
        let rules = plan
            .countries
            .iter()
            .chain(&plan.rails)
            .flat_map(|m| &m.methods)
            .flat_map(|m| &m.rules)
            .flat_map(|r| std::iter::once(r.level).chain(r.check.map(|_| r.check_level)));
        patterns.chain(rules)
    }
}
