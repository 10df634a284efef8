//! The HTTP client: one signed POST per attempt, optional retries for idempotent calls.

use crate::config::Config;
use crate::envelope::{decode_response, format_request_time, request_body};
use crate::error::{Error, RetryClass};
use crate::retry::retry_idempotent;
use crate::validation::Violation;
use rustls_platform_verifier::BuilderVerifierExt as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::sync::Arc;
use tracing::Instrument as _;

/// A PayerMax client for one merchant configuration. Cheap to clone: clones share the
/// configuration and the connection pool.
///
/// Endpoint-specific methods are generated on top of [`call`](Self::call),
/// [`call_idempotent`](Self::call_idempotent) and [`pay_idempotent`](Self::pay_idempotent).
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    http: reqwest::Client,
    auth_token: Option<reqwest::header::HeaderValue>,
}

/// The TLS provider: *ring*, chosen per client rather than installed process-wide (a library
/// must not pick the process default), so another crate's rustls features cannot change or
/// break it.
///
/// rustls 0.23.48 deprecates `crypto::ring::default_provider` because *ring* has no
/// post-quantum key exchange. PayerMax's gateway is reached over classical TLS 1.2/1.3 either
/// way, and the alternative (aws-lc-rs) needs a C toolchain and CMake on every merchant's
/// build machine; the deprecation is acknowledged here so that it does not show in every
/// dependent crate's build.
#[allow(deprecated)]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

impl Client {
    /// Builds the client: one connection pool over rustls (TLS 1.2+, the system's root
    /// certificates), with the configuration's timeouts.
    ///
    /// Fails with [`Error::Config`] when the system has no CA certificates.
    pub fn new(config: Config) -> Result<Client, Error> {
        let provider = Arc::new(ring_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::config("tls", e.to_string()))?
            .with_platform_verifier()
            .map_err(|e| {
                Error::config(
                    "tls",
                    format!("{e}; install the system's CA certificates (ca-certificates)"),
                )
            })?
            .with_no_client_auth();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirected POST may turn into a GET or go somewhere unexpected: never follow.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("payermax-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::config("http_client", e.to_string()))?;
        let auth_token = match &config.merchant_auth_token {
            Some(token) => {
                let mut value = reqwest::header::HeaderValue::from_str(token).map_err(|_| {
                    Error::config("merchant_auth_token", "is not a valid header value")
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                http,
                auth_token,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// One attempt at `api`: wrap `data` in a fresh envelope, sign, send, verify, decode.
    ///
    /// `R` is the type of the response's `data` (`()` or `Option<_>` when there is none).
    /// `errors` maps error codes to retry classes; codes not in it are [`RetryClass::Unknown`].
    pub async fn call<D, R>(
        &self,
        api: &str,
        data: &D,
        errors: &[(&str, RetryClass)],
    ) -> Result<R, Error>
    where
        D: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let data = serialize_data(data)?;
        let out_trade_no = out_trade_no(&data);
        self.attempt(api, &data, errors, out_trade_no.as_deref(), 1)
            .await
    }

    /// Like [`call`](Self::call), retrying what is safe to retry for an idempotent operation
    /// (inquiry, batch query, element validation): codes classed [`RetryClass::Transient`],
    /// requests not sent, unknown outcomes, and HTTP 429/5xx without a PayerMax answer. Each
    /// attempt has a fresh `requestTime` and signature; `data` is serialized once. Pauses and
    /// limits come from the configuration's [`RetryPolicy`](crate::RetryPolicy).
    ///
    /// Never use it for `paymentOrderPay`: use [`pay_idempotent`](Self::pay_idempotent).
    pub async fn call_idempotent<D, R>(
        &self,
        api: &str,
        data: &D,
        errors: &[(&str, RetryClass)],
    ) -> Result<R, Error>
    where
        D: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let data = serialize_data(data)?;
        let out_trade_no = out_trade_no(&data);
        self.retrying(api, &data, errors, out_trade_no.as_deref())
            .await
    }

    /// Verifies and decodes a notification with this configuration's PayerMax public key (see
    /// [`verify_notification`](crate::verify_notification)), then checks that it is addressed
    /// to this client: a `merchantNo` or `appId` other than the configuration's, or a
    /// `notifyType` other than `PAYOUT`, is [`Error::NotForThisClient`] (absent or empty fields
    /// are accepted).
    pub fn verify_notification<T: DeserializeOwned>(
        &self,
        body: &[u8],
        sign: Option<&str>,
    ) -> Result<T, Error> {
        let config = &self.inner.config;
        let notification =
            crate::notify::verify_notification(&config.payermax_public_key, body, sign)?;
        crate::notify::check_addressee(body, &config.merchant_no, &config.app_id)?;
        Ok(notification)
    }

    /// Verifies a notification's `sign` header over the raw body with the configured PayerMax
    /// public key, refuses one addressed to another merchant or app (as
    /// [`Client::verify_notification`]), and tells which of `kinds` it is (see
    /// [`crate::notify::classify_notice`]). Decode it with
    /// [`decode_notification`](crate::notify::decode_notification) as that kind's type; the
    /// generated `Client::verify_notice` does both.
    pub fn classify_notice(
        &self,
        body: &[u8],
        sign: Option<&str>,
        kinds: &[crate::notify::NoticeKind],
    ) -> Result<usize, Error> {
        let config = &self.inner.config;
        let kind = crate::notify::classify_notice(&config.payermax_public_key, body, sign, kinds)?;
        crate::notify::check_addressee(body, &config.merchant_no, &config.app_id)?;
        Ok(kind)
    }

    pub(crate) async fn retrying<R: DeserializeOwned>(
        &self,
        api: &str,
        data: &RawValue,
        errors: &[(&str, RetryClass)],
        out_trade_no: Option<&str>,
    ) -> Result<R, Error> {
        let mut schedule = self.inner.config.retry.schedule();
        let mut attempt = 1;
        loop {
            match self.attempt(api, data, errors, out_trade_no, attempt).await {
                Err(e) if retry_idempotent(&e) => match schedule.next_delay() {
                    Some(delay) => {
                        tracing::debug!(
                            api,
                            attempt,
                            delay_ms = delay.as_millis() as u64,
                            "retrying"
                        );
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
                other => return other,
            }
        }
    }

    /// One signed request; the span records api, outTradeNo, attempt, latency and result code.
    pub(crate) async fn attempt<R: DeserializeOwned>(
        &self,
        api: &str,
        data: &RawValue,
        errors: &[(&str, RetryClass)],
        out_trade_no: Option<&str>,
        attempt: u32,
    ) -> Result<R, Error> {
        let span = tracing::info_span!(
            "payermax.call",
            api,
            out_trade_no,
            attempt,
            latency_ms = tracing::field::Empty,
            result = tracing::field::Empty,
        );
        async move {
            let started = std::time::Instant::now();
            let result = self.send(api, data, errors).await;
            let latency_ms = started.elapsed().as_millis() as u64;
            let outcome = result_label(&result);
            let span = tracing::Span::current();
            span.record("latency_ms", latency_ms);
            span.record("result", outcome.as_str());
            tracing::debug!(
                latency_ms,
                result = outcome.as_str(),
                "payermax call finished"
            );
            result
        }
        .instrument(span)
        .await
    }

    async fn send<R: DeserializeOwned>(
        &self,
        api: &str,
        data: &RawValue,
        errors: &[(&str, RetryClass)],
    ) -> Result<R, Error> {
        let config = &self.inner.config;
        let request_time = format_request_time(config.clock.now());
        let body = request_body(config, api, &request_time, data).map_err(|e| Error::NotSent {
            api: api.to_owned(),
            reason: format!("the envelope could not be serialized: {e}"),
            source: None,
        })?;
        let sign = config
            .private_key
            .try_sign(&body)
            .map_err(|e| Error::NotSent {
                api: api.to_owned(),
                reason: e.to_string(),
                source: None,
            })?;
        let url = format!("{}/{api}", config.environment.base_url());
        let mut request = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .header(crate::SIGN_HEADER, sign)
            .body(body);
        if let Some(token) = &self.inner.auth_token {
            request = request.header("merchant_auth_token", token.clone());
        }
        let response = request
            .send()
            .await
            .map_err(|e| transport_error(api, e, config))?;
        let status = response.status().as_u16();
        // A `sign` header that is not text is a bad signature, not a missing one.
        let sign = response
            .headers()
            .get(crate::SIGN_HEADER)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let bytes = read_body(api, response, config).await?;
        decode_response(
            api,
            status,
            sign.as_deref(),
            &bytes,
            &config.payermax_public_key,
            errors,
        )
    }
}

/// The largest response body read: PayerMax's answers are a few kilobytes (a batch query page
/// holds at most 100 orders). A larger one (a misbehaving proxy, say) is not read into memory.
pub const MAX_RESPONSE_BYTES: usize = 8 << 20;

/// The body, read up to [`MAX_RESPONSE_BYTES`]. Past the limit, or cut off, it is no usable
/// answer: the outcome is unknown (a payout is then resolved by inquiry).
async fn read_body(
    api: &str,
    mut response: reqwest::Response,
    config: &Config,
) -> Result<Vec<u8>, Error> {
    let too_large = || Error::OutcomeUnknown {
        api: api.to_owned(),
        reason: format!("the response body is larger than {MAX_RESPONSE_BYTES} bytes"),
        source: None,
    };
    let declared = response.content_length().unwrap_or(0);
    if usize::try_from(declared).map_or(true, |n| n > MAX_RESPONSE_BYTES) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => {
                return Err(Error::OutcomeUnknown {
                    api: api.to_owned(),
                    reason: format!("the response was cut off: {}", describe(&e, config)),
                    // Without the URL: a base URL may carry credentials.
                    source: Some(Box::new(e.without_url())),
                });
            }
        }
    }
}

/// Connection failures happen before the request is written: not sent. Anything later
/// (timeouts, resets, a cut-off response) may have reached PayerMax: outcome unknown.
fn transport_error(api: &str, e: reqwest::Error, config: &Config) -> Error {
    let reason = describe(&e, config);
    if e.is_connect() || e.is_builder() {
        Error::NotSent {
            api: api.to_owned(),
            reason,
            // Without the URL: a base URL may carry credentials.
            source: Some(Box::new(e.without_url())),
        }
    } else {
        Error::OutcomeUnknown {
            api: api.to_owned(),
            reason,
            source: Some(Box::new(e.without_url())),
        }
    }
}

/// The innermost cause, which says more than reqwest's "error sending request".
fn describe(e: &reqwest::Error, config: &Config) -> String {
    if e.is_timeout() {
        let limit = if e.is_connect() {
            config.connect_timeout
        } else {
            config.request_timeout
        };
        return format!("timed out after {limit:?}");
    }
    let mut innermost: &dyn std::error::Error = e;
    while let Some(next) = innermost.source() {
        innermost = next;
    }
    let what = if e.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    format!("{what}: {innermost}")
}

fn result_label<R>(result: &Result<R, Error>) -> String {
    match result {
        Ok(_) => crate::error::APPLY_SUCCESS.to_owned(),
        Err(Error::Api(e)) => e.code.clone(),
        Err(Error::NotSent { .. }) => "not_sent".to_owned(),
        Err(Error::OutcomeUnknown { .. }) => "outcome_unknown".to_owned(),
        Err(Error::Signature { .. }) => "bad_signature".to_owned(),
        Err(Error::HttpStatus { status, .. }) => format!("http_{status}"),
        Err(Error::Decode { .. }) => "decode_error".to_owned(),
        Err(Error::Validation(_)) => "invalid".to_owned(),
        Err(Error::Config { .. }) => "config_error".to_owned(),
        Err(Error::OrderConflict { .. }) => "order_conflict".to_owned(),
        Err(Error::NotForThisClient { .. }) => "not_for_this_client".to_owned(),
    }
}

/// Serializes the caller's `data` once; it must be a JSON object.
pub(crate) fn serialize_data<D: Serialize + ?Sized>(data: &D) -> Result<Box<RawValue>, Error> {
    let raw = serde_json::value::to_raw_value(data).map_err(|e| {
        Error::Validation(
            vec![Violation::new(
                "",
                "serialize",
                format!("could not be serialized as JSON: {e}"),
            )]
            .into(),
        )
    })?;
    if !raw.get().starts_with('{') {
        return Err(Error::Validation(
            vec![Violation::new(
                "",
                "type",
                "the request data must be a JSON object",
            )]
            .into(),
        ));
    }
    Ok(raw)
}

/// `data.outTradeNo`, when there is one (for tracing and payouts).
pub(crate) fn out_trade_no(data: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(rename = "outTradeNo")]
        out_trade_no: Option<String>,
    }
    serde_json::from_str::<Probe>(data.get()).ok()?.out_trade_no
}
