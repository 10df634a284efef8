//! One merchant's settings: identifiers, keys, environment, envelope versions, timeouts, ISV
//! fields, retry policy and clock. Built with [`Config::builder`]; keys are parsed once, there.
//!
//! A process may hold several configs (several merchants, or UAT next to production): each
//! [`Client`](crate::Client) owns one.

use crate::clock::{Clock, SystemClock};
use crate::error::Error;
use crate::keys::{KeyError, PrivateKey, PublicKey};
use crate::retry::RetryPolicy;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// PayerMax's UAT (sandbox) gateway.
pub const UAT_BASE_URL: &str = "https://pay-gate-uat.payermax.com/aggregate-pay/api/gateway";
/// PayerMax's production gateway.
pub const PRODUCTION_BASE_URL: &str = "https://pay-gate.payermax.com/aggregate-pay/api/gateway";

/// Where requests go: `<base URL>/<api name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// PayerMax's UAT environment (no money moves). Its credentials differ from production's.
    Uat,
    /// PayerMax's production environment.
    Production,
    /// Any other base URL, e.g. the local sandbox at `http://127.0.0.1:8080/aggregate-pay/api/gateway`.
    Custom(String),
}

impl Environment {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Uat => UAT_BASE_URL,
            Environment::Production => PRODUCTION_BASE_URL,
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

/// The envelope `version` when neither the merchant nor the spec gives one.
const DEFAULT_API_VERSION: &str = "1.4";

/// One merchant's settings. Cheap to clone (keys are shared, not copied).
///
/// `Debug` shows identifiers and key fingerprints, never key material or the ISV token.
///
/// ```no_run
/// use payermax_runtime::{Config, Environment};
/// # fn main() -> Result<(), payermax_runtime::Error> {
/// let config = Config::builder()
///     .merchant_no("010213834784554")
///     .app_id("6666c8b036a24579974497c2f9a33333")
///     .merchant_private_key(&std::env::var("PAYERMAX_PRIVATE_KEY").unwrap_or_default())
///     .payermax_public_key(&std::env::var("PAYERMAX_PUBLIC_KEY").unwrap_or_default())
///     .environment(Environment::Uat)
///     .build()?;
/// # let _ = config; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) merchant_no: String,
    pub(crate) app_id: String,
    pub(crate) private_key: Arc<PrivateKey>,
    pub(crate) payermax_public_key: Arc<PublicKey>,
    pub(crate) environment: Environment,
    pub(crate) key_version: String,
    /// Set by the merchant: wins over every endpoint's version.
    pub(crate) api_version: Option<String>,
    /// Each endpoint's `version` from the spec ([`Config::with_endpoint_versions`]).
    pub(crate) endpoint_versions: Vec<(String, String)>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) sp_merchant_no: Option<String>,
    pub(crate) merchant_auth_token: Option<Arc<Zeroizing<String>>>,
    pub(crate) retry: RetryPolicy,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) currency_decimals: Vec<(String, u8)>,
}

impl Config {
    /// The decimal places the merchant's contract allows for `currency`, when the
    /// configuration says so ([`ConfigBuilder::currency_decimals`]); `None`: the spec's.
    pub fn currency_decimals(&self, currency: &str) -> Option<u8> {
        self.currency_decimals
            .iter()
            .find(|(c, _)| c == currency)
            .map(|&(_, d)| d)
    }

    /// Starts a builder.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The merchant number (`merchantNo`); in ISV mode, the sub-merchant's.
    pub fn merchant_no(&self) -> &str {
        &self.merchant_no
    }

    /// The application id (`appId`).
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The merchant's private key, which signs requests.
    pub fn private_key(&self) -> &PrivateKey {
        &self.private_key
    }

    /// PayerMax's public key, which verifies responses and notifications.
    pub fn payermax_public_key(&self) -> &PublicKey {
        &self.payermax_public_key
    }

    /// Where requests go.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The envelope's `keyVersion` (default `1`).
    pub fn key_version(&self) -> &str {
        &self.key_version
    }

    /// The envelope's `version` the merchant set ([`ConfigBuilder::api_version`]), else the
    /// default `1.4`; requests to an endpoint carry [`Config::version_for`].
    pub fn api_version(&self) -> &str {
        self.api_version.as_deref().unwrap_or(DEFAULT_API_VERSION)
    }

    /// The envelope `version` of a request to `api`: the merchant's
    /// [`ConfigBuilder::api_version`] when set, else the endpoint's version in the spec, else
    /// `1.4`. PayerMax's pages disagree (1.4 in the OpenAPI file, 1.5 on the English payout
    /// page) and its official SDKs send 1.1 and 1.2 and are answered, so the spec's choice can
    /// be overridden.
    pub fn version_for(&self, api: &str) -> &str {
        self.api_version
            .as_deref()
            .or_else(|| {
                self.endpoint_versions
                    .iter()
                    .find(|(a, _)| a == api)
                    .map(|(_, v)| v.as_str())
            })
            .unwrap_or(DEFAULT_API_VERSION)
    }

    /// This configuration with each endpoint's `version` from the spec (`(api name,
    /// version)`): what the generated `Client::new` does. A version the merchant set still
    /// wins.
    #[must_use]
    pub fn with_endpoint_versions(mut self, versions: &[(&str, &str)]) -> Config {
        self.endpoint_versions = versions
            .iter()
            .map(|(a, v)| ((*a).to_owned(), (*v).to_owned()))
            .collect();
        self
    }

    /// Time allowed to open a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Time allowed for a whole request, from sending to the end of the response.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// ISV mode: the service provider's own merchant number (`spMerchantNo`).
    pub fn sp_merchant_no(&self) -> Option<&str> {
        self.sp_merchant_no.as_deref()
    }

    /// Whether an ISV `merchant_auth_token` is set (the token itself is not readable back).
    pub fn has_merchant_auth_token(&self) -> bool {
        self.merchant_auth_token.is_some()
    }

    /// Retry settings.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The clock that stamps `requestTime`.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("merchant_no", &self.merchant_no)
            .field("app_id", &self.app_id)
            .field("private_key", &self.private_key)
            .field("payermax_public_key", &self.payermax_public_key)
            .field("environment", &self.environment)
            .field("key_version", &self.key_version)
            .field("api_version", &self.api_version)
            .field("endpoint_versions", &self.endpoint_versions)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("sp_merchant_no", &self.sp_merchant_no)
            .field(
                "merchant_auth_token",
                &self.merchant_auth_token.as_ref().map(|_| "<redacted>"),
            )
            .field("retry", &self.retry)
            .field("currency_decimals", &self.currency_decimals)
            .field("clock", &self.clock)
            .finish()
    }
}

/// A key given as text (parsed in [`ConfigBuilder::build`]) or already parsed.
enum KeyInput<K> {
    Text(Zeroizing<String>),
    Parsed(K),
}

impl<K> KeyInput<K> {
    fn resolve(
        self,
        parse: impl FnOnce(&str) -> Result<K, KeyError>,
        field: &'static str,
        what: &str,
    ) -> Result<K, Error> {
        match self {
            KeyInput::Parsed(key) => Ok(key),
            KeyInput::Text(text) => {
                parse(&text).map_err(|e| Error::config(field, format!("the {what} {}", e.problem)))
            }
        }
    }
}

/// Builds a [`Config`]. Required: merchant number, app id, merchant private key, PayerMax public
/// key, environment. Everything else has a default.
#[derive(Default)]
pub struct ConfigBuilder {
    merchant_no: Option<String>,
    app_id: Option<String>,
    private_key: Option<KeyInput<PrivateKey>>,
    payermax_public_key: Option<KeyInput<PublicKey>>,
    merchant_public_key: Option<KeyInput<PublicKey>>,
    environment: Option<Environment>,
    key_version: Option<String>,
    api_version: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    sp_merchant_no: Option<String>,
    merchant_auth_token: Option<Zeroizing<String>>,
    retry: Option<RetryPolicy>,
    clock: Option<Arc<dyn Clock>>,
    currency_decimals: Vec<(String, u8)>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("merchant_no", &self.merchant_no)
            .field("app_id", &self.app_id)
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// The merchant number PayerMax issued (`merchantNo`, at most 32 characters). In ISV mode,
    /// the sub-merchant's number.
    pub fn merchant_no(mut self, merchant_no: impl Into<String>) -> Self {
        self.merchant_no = Some(merchant_no.into());
        self
    }

    /// The application id PayerMax issued (`appId`, at most 64 characters).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The merchant's private key as text: the dashboard's one line of base64 (PKCS#8 DER) or
    /// PEM (PKCS#8 or PKCS#1). Parsed in [`build`](Self::build).
    pub fn merchant_private_key(mut self, text: &str) -> Self {
        self.private_key = Some(KeyInput::Text(Zeroizing::new(text.to_owned())));
        self
    }

    /// The merchant's private key, already parsed.
    pub fn merchant_private_key_parsed(mut self, key: PrivateKey) -> Self {
        self.private_key = Some(KeyInput::Parsed(key));
        self
    }

    /// PayerMax's public key as text: the dashboard's one line of base64 (X.509
    /// SubjectPublicKeyInfo DER) or PEM. Parsed in [`build`](Self::build).
    pub fn payermax_public_key(mut self, text: &str) -> Self {
        self.payermax_public_key = Some(KeyInput::Text(Zeroizing::new(text.to_owned())));
        self
    }

    /// PayerMax's public key, already parsed.
    pub fn payermax_public_key_parsed(mut self, key: PublicKey) -> Self {
        self.payermax_public_key = Some(KeyInput::Parsed(key));
        self
    }

    /// Optional: the merchant's own public key (the one uploaded to PayerMax).
    /// [`build`](Self::build) then checks that it belongs to the merchant private key, which
    /// catches a swapped or stale key before PayerMax answers `SIGN_VERIFY_FAILED`.
    pub fn merchant_public_key(mut self, text: &str) -> Self {
        self.merchant_public_key = Some(KeyInput::Text(Zeroizing::new(text.to_owned())));
        self
    }

    /// Optional: the merchant's own public key, already parsed; see
    /// [`merchant_public_key`](Self::merchant_public_key).
    pub fn merchant_public_key_parsed(mut self, key: PublicKey) -> Self {
        self.merchant_public_key = Some(KeyInput::Parsed(key));
        self
    }

    /// UAT, production, or a custom base URL.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// The envelope's `keyVersion`. Default `1`.
    pub fn key_version(mut self, key_version: impl Into<String>) -> Self {
        self.key_version = Some(key_version.into());
        self
    }

    /// The envelope's `version` for every request, over the spec's per-endpoint versions
    /// (default: those, else `1.4`).
    pub fn api_version(mut self, api_version: impl Into<String>) -> Self {
        self.api_version = Some(api_version.into());
        self
    }

    /// Time allowed to open a connection. Default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole request. Default 15 s, as PayerMax's own SDKs use.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The decimal places PayerMax agreed with this merchant for `currency` (ISO 4217), when
    /// they differ from the spec's: Jordan's dinar takes 2 unless PayerMax support has enabled
    /// 3 (the currency table's "3 *"; reference payee-rules.md §6), so a merchant with that
    /// arrangement sets `.currency_decimals("JOD", 3)`. The client then sends amounts with up to
    /// that many places; every other rule stays as the spec says.
    pub fn currency_decimals(mut self, currency: impl Into<String>, places: u8) -> Self {
        let currency = currency.into();
        self.currency_decimals.retain(|(c, _)| *c != currency);
        self.currency_decimals.push((currency, places));
        self
    }

    /// ISV mode: the service provider's own merchant number, sent as `spMerchantNo`.
    pub fn sp_merchant_no(mut self, sp_merchant_no: impl Into<String>) -> Self {
        self.sp_merchant_no = Some(sp_merchant_no.into());
        self
    }

    /// ISV mode: the token binding the provider to this sub-merchant, sent in the
    /// `merchant_auth_token` header. Never shown in `Debug` or logs.
    pub fn merchant_auth_token(mut self, token: &str) -> Self {
        self.merchant_auth_token = Some(Zeroizing::new(token.to_owned()));
        self
    }

    /// Retry settings. Default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The clock for `requestTime`. Default [`SystemClock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Checks the settings and parses the keys.
    ///
    /// Errors are [`Error::Config`] naming the setting (for keys: which key and what is wrong).
    pub fn build(self) -> Result<Config, Error> {
        let merchant_no = required_text(self.merchant_no, "merchant_no", 32)?;
        let app_id = required_text(self.app_id, "app_id", 64)?;
        let private_key = self
            .private_key
            .ok_or_else(|| Error::config("merchant_private_key", "is required"))?
            .resolve(
                PrivateKey::parse,
                "merchant_private_key",
                "merchant private key",
            )?;
        let payermax_public_key = self
            .payermax_public_key
            .ok_or_else(|| Error::config("payermax_public_key", "is required"))?
            .resolve(
                PublicKey::parse,
                "payermax_public_key",
                "PayerMax public key",
            )?;
        if let Some(input) = self.merchant_public_key {
            let merchant_public = input.resolve(
                PublicKey::parse,
                "merchant_public_key",
                "merchant public key",
            )?;
            if !private_key.matches(&merchant_public) {
                return Err(Error::config(
                    "merchant_public_key",
                    format!(
                        "does not belong to the merchant private key (public key {} vs private key's {}): upload the public half of the private key in use, or configure the matching private key",
                        merchant_public.fingerprint(),
                        private_key
                            .public_key()
                            .map(|p| p.fingerprint())
                            .unwrap_or_default()
                    ),
                ));
            }
        }
        if private_key.matches(&payermax_public_key) {
            return Err(Error::config(
                "payermax_public_key",
                "is the public half of the merchant private key; PayerMax's own public key (from the dashboard) belongs here",
            ));
        }
        let environment = self.environment.ok_or_else(|| {
            Error::config(
                "environment",
                "is required: Uat, Production or Custom(base URL)",
            )
        })?;
        if let Environment::Custom(url) = &environment {
            let parsed = reqwest::Url::parse(url)
                .map_err(|e| Error::config("environment", format!("`{url}` is not a URL ({e})")))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::config(
                    "environment",
                    format!("`{url}` must start with http:// or https://"),
                ));
            }
        }
        let key_version = optional_text(self.key_version, "key_version", "1")?;
        let api_version = match self.api_version {
            Some(v) => Some(optional_text(Some(v), "api_version", DEFAULT_API_VERSION)?),
            None => None,
        };
        let connect_timeout = positive(self.connect_timeout, "connect_timeout", 5)?;
        let request_timeout = positive(self.request_timeout, "request_timeout", 15)?;
        let sp_merchant_no = match self.sp_merchant_no {
            Some(no) => Some(required_text(Some(no), "sp_merchant_no", 32)?),
            None => None,
        };
        let merchant_auth_token = self.merchant_auth_token;
        if let Some(token) = &merchant_auth_token {
            if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::config(
                    "merchant_auth_token",
                    "must be non-empty printable ASCII without spaces (it is sent as an HTTP header)",
                ));
            }
        }
        if merchant_auth_token.is_some() != sp_merchant_no.is_some() {
            return Err(Error::config(
                if sp_merchant_no.is_some() {
                    "merchant_auth_token"
                } else {
                    "sp_merchant_no"
                },
                "ISV mode needs both sp_merchant_no and merchant_auth_token",
            ));
        }
        let retry = self.retry.unwrap_or_default();
        if retry.max_attempts == 0 {
            return Err(Error::config(
                "retry_policy",
                "max_attempts must be at least 1",
            ));
        }
        Ok(Config {
            merchant_no,
            app_id,
            private_key: Arc::new(private_key),
            payermax_public_key: Arc::new(payermax_public_key),
            environment,
            key_version,
            api_version,
            endpoint_versions: Vec::new(),
            connect_timeout,
            request_timeout,
            sp_merchant_no,
            merchant_auth_token: merchant_auth_token.map(Arc::new),
            retry,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            currency_decimals: self.currency_decimals,
        })
    }
}

fn required_text(value: Option<String>, field: &'static str, max: usize) -> Result<String, Error> {
    let value = value.ok_or_else(|| Error::config(field, "is required"))?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::config(field, "is empty"));
    }
    if trimmed.chars().count() > max {
        return Err(Error::config(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

fn optional_text(
    value: Option<String>,
    field: &'static str,
    default: &str,
) -> Result<String, Error> {
    match value {
        None => Ok(default.to_owned()),
        Some(v) if v.trim().is_empty() => Err(Error::config(field, "is empty")),
        Some(v) => Ok(v.trim().to_owned()),
    }
}

fn positive(
    value: Option<Duration>,
    field: &'static str,
    default_secs: u64,
) -> Result<Duration, Error> {
    match value {
        None => Ok(Duration::from_secs(default_secs)),
        Some(d) if d.is_zero() => Err(Error::config(field, "must be longer than zero")),
        Some(d) => Ok(d),
    }
}
