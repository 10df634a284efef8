//! The inspection API: what the sandbox holds, over HTTP on the gateway's own listener, for
//! shell scripts and other processes (tests in the same process use [`crate::Sandbox`]'s
//! methods, which read the same state).
//!
//! - `GET /__sandbox/orders`: `{"orders": [...]}`, every order in creation order.
//! - `GET /__sandbox/orders/{outTradeNo}` (percent-encoded): the first order placed with that
//!   `outTradeNo` (as [`crate::Sandbox::order`]), with its status history; 404 when there is
//!   none.
//!
//! - `GET /__sandbox/requests`: `{"requests": [...]}`, the request log, oldest first: each
//!   `{api, at, appId, outTradeNo, verified, code, httpStatus, bodyLen, violations}`, where
//!   `violations` lists what the sandbox found wrong (PayerMax's error answers carry only
//!   `code` and `msg`), advisory ones included. Bodies are not served.
//!
//! An order is `{appId, merchantNo, outTradeNo, tradeNo, status, amount, currency, country,
//! createdAt, orderCount}`: `amount`, `currency` and `country` as the request sent them,
//! `createdAt` RFC 3339 in UTC, and `orderCount` how many orders that `outTradeNo` ever created
//! over all merchants and restarts ([`crate::Sandbox::order_count`]: more than 1 for one
//! merchant would be a double payment). The single order adds `outcome` (the simulated result
//! chosen at placement) and `history` (`[{status, at}]`).
//!
//! Answers are JSON and unsigned (they are not PayerMax's); another method is HTTP 405, another
//! path under `/__sandbox/` 404, each with `{"error": "..."}`. Nothing here changes state or is
//! written to the request log. The sandbox binds loopback only ([`crate::Sandbox::start`]), so
//! only processes on the same machine can read this.

use crate::order::Order;
use crate::server::HttpResponse;
use crate::state::Shared;
use crate::time::rfc3339;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Response, StatusCode};
use serde_json::{Value, json};

/// Where the inspection API lives.
pub(crate) const INSPECT_PATH: &str = "/__sandbox";

/// Whether `path` belongs to the inspection API.
pub(crate) fn is_inspection(path: &str) -> bool {
    path.strip_prefix(INSPECT_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The answer to a request for `path` (one for which [`is_inspection`] holds).
pub(crate) fn answer(shared: &Shared, method: &Method, path: &str) -> HttpResponse {
    let rest = path
        .strip_prefix(INSPECT_PATH)
        .unwrap_or_default()
        .trim_start_matches('/');
    let route = match rest.strip_prefix("orders") {
        _ if rest == "requests" || rest == "requests/" => Route::Requests,
        Some("" | "/") => Route::Orders,
        Some(one) if one.starts_with('/') => Route::Order(one.get(1..).unwrap_or_default()),
        _ => {
            return error(
                StatusCode::NOT_FOUND,
                &format!(
                    "Unknown inspection path; the sandbox serves GET {INSPECT_PATH}/orders, \
                     GET {INSPECT_PATH}/orders/{{outTradeNo}} and GET {INSPECT_PATH}/requests."
                ),
            );
        }
    };
    if method != Method::GET {
        let mut response = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "The inspection API answers GET only.",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET"));
        return response;
    }
    match route {
        Route::Orders => {
            let orders = shared.with_state(|s| {
                let counts = s.order_counts();
                s.orders
                    .iter()
                    .map(|o| {
                        let count = counts.get(o.out_trade_no.as_str()).copied().unwrap_or(0);
                        summary(o, count)
                    })
                    .collect::<Vec<_>>()
            });
            ok(&json!({ "orders": orders }))
        }
        Route::Order(encoded) => {
            let Some(out_trade_no) = percent_decode(encoded) else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "The outTradeNo in the path is not valid percent-encoded UTF-8.",
                );
            };
            let found = shared.with_state(|s| {
                s.first_order(&out_trade_no)
                    .map(|o| detail(o, s.order_count(&out_trade_no)))
            });
            match found {
                Some(order) => ok(&order),
                None => error(StatusCode::NOT_FOUND, "No order has this outTradeNo."),
            }
        }
        Route::Requests => {
            let requests =
                shared.with_state(|s| s.requests.iter().map(request).collect::<Vec<_>>());
            ok(&json!({ "requests": requests }))
        }
    }
}

/// One request-log entry, without its body.
fn request(entry: &crate::records::ReceivedRequest) -> Value {
    json!({
        "api": entry.api,
        "at": rfc3339::format(entry.at),
        "appId": entry.app_id,
        "outTradeNo": entry.out_trade_no,
        "verified": entry.verified,
        "code": entry.code,
        "httpStatus": entry.http_status,
        "bodyLen": entry.body_len,
        "violations": entry.violations,
    })
}

enum Route<'a> {
    Orders,
    Order(&'a str),
    Requests,
}

/// An order in the list.
fn summary(order: &Order, order_count: usize) -> Value {
    let text = |pointer: &str| order.data.pointer(pointer).cloned().unwrap_or(Value::Null);
    json!({
        "appId": order.app_id,
        "merchantNo": order.merchant_no,
        "outTradeNo": order.out_trade_no,
        "tradeNo": order.trade_no,
        "status": order.status.as_str(),
        "amount": text("/trade/amount"),
        "currency": text("/trade/currency"),
        "country": text("/country"),
        "createdAt": rfc3339::format(order.created_at),
        "orderCount": order_count,
    })
}

/// One order, with its outcome and history.
fn detail(order: &Order, order_count: usize) -> Value {
    let mut value = summary(order, order_count);
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "outcome".into(),
            serde_json::to_value(order.outcome).unwrap_or(Value::Null),
        );
        let history = order
            .history
            .iter()
            .map(|c| json!({"status": c.status.as_str(), "at": rfc3339::format(c.at)}))
            .collect();
        object.insert("history".into(), Value::Array(history));
    }
    value
}

fn ok(body: &Value) -> HttpResponse {
    respond(StatusCode::OK, body)
}

fn error(status: StatusCode, message: &str) -> HttpResponse {
    respond(status, &json!({ "error": message }))
}

fn respond(status: StatusCode, body: &Value) -> HttpResponse {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Decodes `%XX` escapes; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let (hex, after) = tail.split_at_checked(2)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            bytes.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            rest = after;
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspection_paths_are_only_those_under_the_prefix() {
        assert!(is_inspection("/__sandbox"));
        assert!(is_inspection("/__sandbox/orders"));
        assert!(is_inspection("/__sandbox/orders/o_1"));
        assert!(!is_inspection("/__sandboxes/orders"));
        assert!(!is_inspection("/aggregate-pay/api/gateway/paymentOrderPay"));
        assert!(!is_inspection("/"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("order_1").as_deref(), Some("order_1"));
        assert_eq!(percent_decode("o%20bad").as_deref(), Some("o bad"));
        assert_eq!(percent_decode("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(percent_decode("a%2fb").as_deref(), Some("a/b"));
        assert_eq!(percent_decode("bad%2"), None);
        assert_eq!(percent_decode("bad%zz"), None);
        assert_eq!(
            percent_decode("%+1x"),
            None,
            "from_str_radix accepts a sign"
        );
        assert_eq!(percent_decode("%FF"), None, "not UTF-8");
    }
}
