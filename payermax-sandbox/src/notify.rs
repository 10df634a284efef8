//! Notifications: signed `PAYOUT` bodies (reference §7.2) and RFI bodies (PayerMax's
//! `/rfiNotifyUrl`) POSTed to the order's notify URL, retried on the documented schedule until
//! the merchant acknowledges. (PayerMax sends RFI notifications to the URL configured for them
//! in its dashboard; the sandbox has one URL per order for both.)
//!
//! - The schedule is the spec's `notification.retry_schedule_secs` (0 s, 30 s, 300 s, 600 s,
//!   3600 s, 43200 s: 6 attempts), read as gaps *before* each attempt (the reference does not
//!   say gaps or offsets, §18.17), multiplied by the configured scale.
//! - Acknowledged means: an HTTP 2xx answer whose body is JSON with `code` equal to the spec's
//!   acknowledgement code (`SUCCESS`); `msg` and extra fields are not looked at. Whether PayerMax
//!   accepts the acknowledgement under a non-2xx status is not documented (§18.9); the sandbox
//!   does not.
//! - `notifyTime` and the order times use the `yyyy-MM-dd'T'HH:mm:ss +0000` form of the
//!   reference's example (the declared format differs, §7.2).
//! - Only `http://` URLs: the sandbox speaks no TLS.

use crate::order::{Order, RFI_MATERIAL, Rfi};
use crate::records::{Attempt, AttemptResult, Delivery};
use crate::state::Shared;
use crate::time::rfc3339;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Bytes;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    code: &'a str,
    msg: &'a str,
    key_version: &'a str,
    app_id: &'a str,
    merchant_no: &'a str,
    notify_time: String,
    notify_type: &'a str,
    data: Value,
}

/// The body of a notification about an order whose view is `data`.
pub(crate) fn body(
    shared: &Shared,
    app_id: &str,
    merchant_no: &str,
    data: Value,
) -> Result<String, serde_json::Error> {
    let api = &shared.spec.api;
    serde_json::to_string(&Body {
        code: &api.envelope.success_code,
        msg: crate::gateway::SUCCESS_MSG,
        key_version: &api.envelope.key_version,
        app_id,
        merchant_no,
        notify_time: crate::time::order_time(shared.now()),
        notify_type: &api.notification.notify_type,
        data,
    })
}

/// The body of an RFI notification about `order` (PayerMax's `/rfiNotifyUrl` schema and
/// example): the envelope without `code`, `msg` or `notifyType`; `data` with the RFI's
/// `status`, the material asked for ([`RFI_MATERIAL`]), the deadline and the order's
/// `outTradeNo` in `relateOrderId`. Times in the example's form, `2023-10-20T03:28:23.092Z`.
///
/// [`RFI_MATERIAL`]: crate::RFI_MATERIAL
pub(crate) fn rfi_body(
    shared: &Shared,
    order: &Order,
    rfi: &Rfi,
    status: &str,
) -> Result<String, serde_json::Error> {
    let api = &shared.spec.api;
    let remark = match status {
        "PASS" => "The material was approved; the payout goes on.",
        "CLOSE" => {
            "No material came before expireTime: the payout failed, and later payouts to this payee are refused."
        }
        _ => "Submit the listed material with putRfiMaterialList before expireTime.",
    };
    let (field_name, field_type) = RFI_MATERIAL;
    serde_json::to_string(&json!({
        "version": shared.spec.endpoint(RFI_UPLOAD_API)
            .and_then(|e| e.version.as_ref())
            .map_or(api.envelope.version.as_str(), |v| v.as_str()),
        "keyVersion": api.envelope.key_version,
        "notifyTime": rfc3339::format(shared.now()),
        "appId": order.app_id,
        "merchantNo": order.merchant_no,
        "data": {
            "rfiNo": rfi.rfi_no,
            "remark": remark,
            "businessType": "PAYMENT",
            "expireTime": rfc3339::format(rfi.expire_at),
            "status": status,
            "materialList": [{"fieldName": field_name, "fieldType": field_type}],
            "relateOrderId": [order.out_trade_no],
        },
    }))
}

/// The api that answers an RFI.
pub(crate) const RFI_UPLOAD_API: &str = "putRfiMaterialList";

/// Delivers notification `index` of the record list, then its deliberate duplicate if asked.
pub(crate) async fn deliver(shared: Arc<Shared>, index: usize, duplicate_after: bool) {
    let Some((url, body, sign)) = shared.with_state(|s| {
        s.notifications
            .get(index)
            .map(|n| (n.url.clone(), n.body.clone(), n.sign.clone()))
    }) else {
        return;
    };
    let schedule = shared.spec.api.notification.retry_schedule_secs.clone();
    let schedule = if schedule.is_empty() {
        vec![0]
    } else {
        schedule
    };
    let mut delivery = Delivery::GaveUp;
    for gap in schedule {
        let wait =
            Duration::try_from_secs_f64(gap as f64 * shared.notify_scale).unwrap_or(Duration::MAX);
        if !shared.sleep(wait).await {
            return;
        }
        let at = shared.now();
        let result = post(&shared, &url, &body, &sign).await;
        let acked = result == AttemptResult::Acknowledged;
        shared.with_state(|s| {
            if let Some(n) = s.notifications.get_mut(index) {
                n.attempts.push(Attempt { at, result });
            }
        });
        if acked {
            delivery = Delivery::Acknowledged;
            break;
        }
    }
    let again = shared.with_state(|s| {
        let record = s.notifications.get_mut(index)?;
        record.delivery = delivery;
        if !duplicate_after {
            return None;
        }
        let mut copy = record.clone();
        copy.duplicate = true;
        copy.attempts.clear();
        copy.delivery = Delivery::InProgress;
        s.notifications.push(copy);
        Some(s.notifications.len() - 1)
    });
    if let Some(copy) = again {
        Box::pin(deliver(shared, copy, false)).await;
    }
}

/// One POST; the answer judged.
async fn post(shared: &Shared, url: &str, body: &str, sign: &str) -> AttemptResult {
    let attempt = async {
        let uri: Uri = url
            .parse()
            .map_err(|e| format!("invalid notify URL `{url}`: {e}"))?;
        if uri.scheme_str() != Some("http") {
            return Err(format!(
                "the sandbox only delivers to http:// URLs, not `{url}`"
            ));
        }
        let host = uri
            .host()
            .ok_or_else(|| format!("no host in `{url}`"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(80);
        let stream = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| format!("cannot connect to {host}:{port}: {e}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake with {host}:{port} failed: {e}"))?;
        tokio::spawn(connection);
        let authority = uri.authority().map_or(host.clone(), |a| a.to_string());
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let request = Request::post(path)
            .header(hyper::header::HOST, authority)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(shared.spec.api.envelope.sign_header.as_str(), sign)
            .body(Full::new(Bytes::from(body.to_owned())))
            .map_err(|e| format!("cannot build the request: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status().as_u16();
        let bytes = Limited::new(response.into_body(), 64 * 1024)
            .collect()
            .await
            .map_err(|e| format!("cannot read the answer: {e}"))?
            .to_bytes();
        Ok((status, bytes))
    };
    let (status, bytes) = match tokio::time::timeout(shared.notify_timeout, attempt).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(message)) => return AttemptResult::Failed(message),
        Err(_) => {
            return AttemptResult::Failed(format!("no answer within {:?}", shared.notify_timeout));
        }
    };
    let ack_code = shared.spec.api.notification.ack.code.as_str();
    let code = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned));
    if (200..300).contains(&status) && code.as_deref() == Some(ack_code) {
        AttemptResult::Acknowledged
    } else {
        let text = String::from_utf8_lossy(&bytes);
        AttemptResult::Rejected {
            http_status: status,
            body: text.chars().take(4096).collect(),
        }
    }
}
