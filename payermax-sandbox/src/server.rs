//! The HTTP side: hyper's HTTP/1 server on a tokio listener, routing, body limits, signing, and
//! the faults that need the connection itself (latency, dropping it).
//!
//! Served with hyper directly rather than a framework so that a dropped connection is really
//! one: when the service returns an error, hyper closes the socket without writing a response.
//!
//! Transport-level refusals (answered before the envelope is read, each signed, each with a
//! `PARAMS_INVALID` envelope and a `msg` saying what is wrong): 404 for an unknown path, 405 for
//! a method other than POST, 415 for a `Content-Type` other than `application/json`, 413 for a
//! body over the limit, 408 for a body not received within the read timeout.
//!
//! Paths under `/__sandbox/` are the inspection API ([`crate::inspect`]), answered before any
//! of that and never logged.
//!
//! Slow senders are bounded: hyper closes a connection whose request headers take longer than
//! the read timeout (it needs a timer for that; without one its 30 s default does nothing), and
//! the body gets the same time again.

use crate::gateway::{self, Answer, GATEWAY_PATH, Reply};
use crate::inspect::{self, INSPECT_PATH};
use crate::lifecycle::placed;
use crate::records::Api;
use crate::state::Shared;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

pub(crate) type HttpResponse = Response<Full<Bytes>>;

/// Accepts connections until shutdown.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut stop = shared.shutdown.clone();
    loop {
        let accepted = tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, for instance: wait a little rather than spin.
                eprintln!("payermax-sandbox: accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        let mut stop = shared.shutdown.clone();
        tokio::spawn(async move {
            let service_state = Arc::clone(&shared);
            let service = hyper::service::service_fn(move |request| {
                handle(Arc::clone(&service_state), request)
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(shared.read_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = stop.wait_for(|stopped| *stopped) => {}
            }
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<HttpResponse, DropConnection> {
    if inspect::is_inspection(request.uri().path()) {
        return Ok(inspect::answer(
            &shared,
            request.method(),
            request.uri().path(),
        ));
    }
    let api_name = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let accepted = match read(&shared, request).await {
        Ok(accepted) => accepted,
        Err(reply) => {
            let answer = Answer::Reply {
                reply,
                corrupt_sign: false,
            };
            let entry = gateway::summary(&api_name, shared.now(), 0, &answer);
            shared.with_state(|s| s.log_request(entry));
            // The body was not read (or not to its end): this connection cannot carry another
            // request, and the client must be told so, or it pools the connection and its next
            // request meets a closed socket.
            let mut response = respond(&shared, answer)?;
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            return Ok(response);
        }
    };
    let processed = gateway::process(
        &shared,
        accepted.api,
        &accepted.body,
        accepted.sign.as_deref(),
    );
    if let Some(key) = processed.created {
        placed(&shared, key);
    }
    if !processed.latency.is_zero() && !shared.sleep(processed.latency).await {
        return Err(DropConnection);
    }
    respond(&shared, processed.answer)
}

/// A request that passed the transport checks.
struct Accepted {
    api: Api,
    body: Bytes,
    sign: Option<String>,
}

/// Routing, method, content type, size: the api, the body and the `sign` header, or a refusal.
async fn read(shared: &Shared, request: Request<Incoming>) -> Result<Accepted, Reply> {
    let refuse = |status: StatusCode, msg: String| Reply::bad_request(status.as_u16(), msg);
    let path = request.uri().path();
    let api = path
        .strip_prefix(GATEWAY_PATH)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(Api::from_name)
        .ok_or_else(|| {
            refuse(
                StatusCode::NOT_FOUND,
                format!(
                    "Unknown path {path}; the sandbox serves {GATEWAY_PATH}/{{{}}} \
                     (and GET {INSPECT_PATH}/orders for tests).",
                    Api::names()
                ),
            )
        })?;
    if request.method() != Method::POST {
        return Err(refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "{} is not allowed; every PayerMax call is a POST.",
                request.method()
            ),
        ));
    }
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content-Type must be application/json, not `{content_type}`."),
        ));
    }
    let too_big = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The request body is larger than {} bytes.", shared.max_body),
        )
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > shared.max_body as u64) {
        return Err(too_big());
    }
    let sign = request
        .headers()
        .get(shared.spec.api.envelope.sign_header.as_str())
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let collect = Limited::new(request.into_body(), shared.max_body).collect();
    let body = match tokio::time::timeout(shared.read_timeout, collect).await {
        Err(_elapsed) => {
            return Err(refuse(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "The request body was not received within {} ms.",
                    shared.read_timeout.as_millis()
                ),
            ));
        }
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return Err(too_big()),
        Ok(Err(e)) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                format!("The request body could not be read: {e}."),
            ));
        }
    };
    Ok(Accepted { api, body, sign })
}

/// Turns an answer into the HTTP response (or a dropped connection).
fn respond(shared: &Shared, answer: Answer) -> Result<HttpResponse, DropConnection> {
    let response = match answer {
        Answer::Drop => return Err(DropConnection),
        Answer::Reply {
            reply,
            corrupt_sign,
        } => {
            let body = reply.to_bytes();
            let signed = if corrupt_sign {
                // A real signature, of other bytes: well-formed, and it does not verify.
                [body.as_slice(), b" "].concat()
            } else {
                body.clone()
            };
            let sign = payermax_runtime::keys::sign(&shared.key, &signed);
            let mut response = Response::new(Full::new(Bytes::from(body)));
            *response.status_mut() = StatusCode::from_u16(reply.http).unwrap_or(StatusCode::OK);
            let headers = response.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            );
            let name = HeaderName::from_bytes(shared.spec.api.envelope.sign_header.as_bytes());
            if let (Ok(name), Ok(value)) = (name, HeaderValue::from_str(&sign)) {
                headers.insert(name, value);
            }
            response
        }
        Answer::ServerError { status, json } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let reason = status.canonical_reason().unwrap_or("Server Error");
            let (content_type, body) = if json {
                (
                    "application/json",
                    format!(
                        r#"{{"code":"SYSTEM_ERROR","msg":"{reason} (injected by the sandbox)"}}"#
                    ),
                )
            } else {
                (
                    "text/html",
                    format!(
                        "<html><body><h1>{} {reason}</h1></body></html>",
                        status.as_u16()
                    ),
                )
            };
            let mut response = Response::new(Full::new(Bytes::from(body)));
            *response.status_mut() = status;
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            response
        }
    };
    Ok(response)
}
