//! Webhooks with no glue (feature `axum`): one route that reads the raw body and the `sign`
//! header, verifies the notification with the client's PayerMax key, hands the typed
//! [`Notice`] (a payout result or an RFI) to your async function, and answers PayerMax as its
//! notification rules expect.
//!
//! ```no_run
//! # async fn serve(client: payermax::Client) -> std::io::Result<()> {
//! use payermax::Notice;
//! let webhook = payermax::axum::notifications(client, |notice: Notice| async move {
//!     match notice {
//!         Notice::Payout(n) => println!("{} is {}", n.data.out_trade_no, n.data.status),
//!         Notice::Rfi(n) => println!("RFI {} due {}", n.data.rfi_no, n.data.expire_time),
//!         _ => {}
//!     }
//!     Ok::<_, std::io::Error>(()) // Err: PayerMax is told to deliver it again
//! });
//! let app = axum::Router::new().route("/payermax/notify", webhook);
//! axum::serve(tokio::net::TcpListener::bind("0.0.0.0:8080").await?, app).await
//! # }
//! ```
//!
//! What PayerMax is answered ([`answer`]):
//!
//! | case | HTTP | body | PayerMax then |
//! |---|---|---|---|
//! | verified, your function returned `Ok` | 200 | [`NOTIFICATION_ACK`], exactly | stops delivering it |
//! | your function returned `Err` (store down…) | 500 | `{"code":"HANDLER_FAILED",…}` | delivers it again on its schedule (6 attempts over about 13 h) |
//! | `sign` missing or not PayerMax's signature over the body | 401 | `{"code":"SIGN_VERIFY_FAILED",…}` | retries; a forger learns nothing and nothing is applied |
//! | genuinely signed, but for another `merchantNo`/`appId`, or another business (an acquiring RFI) | 400 | `{"code":"NOT_FOR_THIS_CLIENT",…}` | retries, so the misrouted notice stays visible in PayerMax's dashboard until the callback URL is fixed; it is never applied here |
//! | signed, but not a notification this SDK can read | 400 | `{"code":"UNREADABLE",…}` | retries: a fixed release can still take it |
//!
//! Anything but the exact acknowledgement counts as a failed delivery (reference §7.3). The
//! same notification can come twice: make your function idempotent (the ledger's
//! `apply` is). Your function's error text is logged with `tracing` and never sent back.

use crate::runtime::Error;
use crate::{Client, NOTIFICATION_ACK, Notice};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use std::fmt::Display;
use std::future::Future;

/// A `POST` route for PayerMax's notifications: verify, decode, hand to `handler`, answer
/// (see the [module documentation](self)). Mount it at the path your callback URL names.
pub fn notifications<H, Fut, E, S>(client: Client, handler: H) -> MethodRouter<S>
where
    H: Fn(Notice) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Display + 'static,
    S: Clone + Send + Sync + 'static,
{
    post(move |headers: HeaderMap, body: Bytes| {
        let (client, handler) = (client.clone(), handler.clone());
        async move { answer(&client, handler, &headers, &body).await }
    })
}

/// The answer to one notification delivery: for a framework other than axum's router, or a
/// route of your own.
pub async fn answer<H, Fut, E>(
    client: &Client,
    handler: H,
    headers: &HeaderMap,
    body: &[u8],
) -> Response
where
    H: FnOnce(Notice) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Display,
{
    let sign = headers
        .get(crate::runtime::SIGN_HEADER)
        .and_then(|v| v.to_str().ok());
    let notice = match client.verify_notice(body, sign) {
        Ok(notice) => notice,
        Err(e) => return refusal(&e),
    };
    match handler(notice).await {
        Ok(()) => json(StatusCode::OK, NOTIFICATION_ACK.to_owned()),
        Err(e) => {
            tracing::warn!(error = %e, "payermax notification: the handler failed; PayerMax will deliver it again");
            failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "HANDLER_FAILED",
                "The notification was not processed; deliver it again.",
            )
        }
    }
}

fn refusal(e: &Error) -> Response {
    tracing::warn!(error = %e, "payermax notification refused");
    match e {
        Error::Signature { .. } => failure(
            StatusCode::UNAUTHORIZED,
            "SIGN_VERIFY_FAILED",
            "The sign header does not verify over the body.",
        ),
        Error::NotForThisClient { .. } => failure(
            StatusCode::BAD_REQUEST,
            "NOT_FOR_THIS_CLIENT",
            "This notification is not addressed to this merchant application.",
        ),
        _ => failure(
            StatusCode::BAD_REQUEST,
            "UNREADABLE",
            "The notification could not be read.",
        ),
    }
}

fn failure(status: StatusCode, code: &str, msg: &str) -> Response {
    json(
        status,
        serde_json::json!({ "code": code, "msg": msg }).to_string(),
    )
}

fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
