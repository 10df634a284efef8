//! The inspection API over real HTTP: `GET /__sandbox/orders` and
//! `GET /__sandbox/orders/{outTradeNo}` show what the sandbox holds, unsigned, GET only, never
//! logged, next to the PayerMax paths; and the sandbox listens on loopback only.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_runtime::keys::sign;
use payermax_sandbox::{Merchant, Sandbox, SandboxError};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::SystemTime;

const PAY: &str = "paymentOrderPay";

/// GET `url`: status, content type, whether a `sign` header came, JSON body.
async fn get(url: &str) -> (u16, String, bool, Value) {
    let response = http().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let signed = response.headers().contains_key("sign");
    let json = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or(Value::Null);
    (status, content_type, signed, json)
}

async fn orders(sandbox: &Sandbox) -> Vec<Value> {
    let (status, _, _, json) = get(&format!("{}/orders", sandbox.inspect_url())).await;
    assert_eq!(status, 200, "{json}");
    json["orders"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_are_listed_and_found_over_http() {
    let sandbox = start().await;
    assert!(
        sandbox.inspect_url().starts_with("http://127.0.0.1:"),
        "{}",
        sandbox.inspect_url()
    );
    let (status, content_type, signed, json) =
        get(&format!("{}/orders", sandbox.inspect_url())).await;
    assert_eq!((status, json), (200, json!({"orders": []})));
    assert_eq!(content_type, "application/json");
    assert!(!signed, "the inspection API is not PayerMax's: unsigned");

    let first = call(&sandbox, PAY, &payout("insp_1", "10")).await;
    assert_eq!(first.code(), "APPLY_SUCCESS");
    // amount 110: the FAILED rule
    let second = call(&sandbox, PAY, &payout("insp_2", "110")).await;
    wait_status(&sandbox, "insp_2", "FAILED").await;
    wait_status(&sandbox, "insp_1", "SUCCESS").await;
    // a resend is ORDER_REPEAT and changes nothing
    assert_eq!(
        call(&sandbox, PAY, &payout("insp_1", "10")).await.code(),
        "ORDER_REPEAT"
    );

    let list = orders(&sandbox).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["outTradeNo"], "insp_1", "creation order");
    assert_eq!(list[0]["tradeNo"], first.json["data"]["tradeNo"]);
    assert_eq!(list[0]["status"], "SUCCESS");
    assert_eq!(list[0]["amount"], "10");
    assert_eq!(list[0]["currency"], "BRL");
    assert_eq!(list[0]["country"], "BR");
    assert_eq!(list[0]["appId"], APP_ID);
    assert_eq!(list[0]["merchantNo"], MERCHANT_NO);
    assert_eq!(list[0]["orderCount"], 1);
    assert_eq!(list[1]["outTradeNo"], "insp_2");
    assert_eq!(list[1]["tradeNo"], second.json["data"]["tradeNo"]);
    assert_eq!(list[1]["status"], "FAILED");
    assert_eq!(list[1]["amount"], "110");
    // what the Rust API says
    let held = sandbox.orders();
    for (shown, order) in list.iter().zip(&held) {
        assert_eq!(shown["tradeNo"], order.trade_no.as_str());
        assert_eq!(shown["status"], order.status.as_str());
    }

    // one order, with its history; the path segment is percent-decoded
    let (status, _, signed, one) = get(&format!("{}/orders/insp%5F2", sandbox.inspect_url())).await;
    assert_eq!(status, 200, "{one}");
    assert!(!signed);
    assert_eq!(one["outTradeNo"], "insp_2");
    assert_eq!(one["tradeNo"], list[1]["tradeNo"]);
    assert_eq!(one["status"], "FAILED");
    assert_eq!(one["outcome"], "FAILED");
    assert_eq!(one["orderCount"], 1);
    let history: Vec<&str> = one["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["PENDING", "FAILED"]);

    // unknown: 404 with a JSON error
    let (status, _, _, json) = get(&format!("{}/orders/nobody", sandbox.inspect_url())).await;
    assert_eq!(status, 404);
    assert!(
        json["error"].as_str().unwrap().contains("outTradeNo"),
        "{json}"
    );

    // the same outTradeNo at another merchant: each has one order, the number has two
    let (other, other_key) = Merchant::generate("other-app", "M0000002").unwrap();
    sandbox.register_merchant(other);
    let body = json!({
        "version": "1.4", "keyVersion": "1",
        "requestTime": request_time(SystemTime::now()),
        "appId": "other-app", "merchantNo": "M0000002", "data": payout("insp_1", "10"),
    })
    .to_string();
    let answer = post_raw(
        &http(),
        &sandbox.url(PAY),
        Some("application/json"),
        Some(&sign(&other_key, body.as_bytes())),
        body.into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(answer.code(), "APPLY_SUCCESS");
    let list = orders(&sandbox).await;
    let counts: Vec<(&str, &str, u64)> = list
        .iter()
        .map(|o| {
            (
                o["outTradeNo"].as_str().unwrap(),
                o["merchantNo"].as_str().unwrap(),
                o["orderCount"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("insp_1", MERCHANT_NO, 2),
            ("insp_2", MERCHANT_NO, 1),
            ("insp_1", "M0000002", 2)
        ]
    );
    assert_eq!(sandbox.order_count("insp_1"), 2);
    // the single lookup is the first merchant's order, as Sandbox::order
    let (_, _, _, one) = get(&format!("{}/orders/insp_1", sandbox.inspect_url())).await;
    assert_eq!(one["merchantNo"], MERCHANT_NO);
    assert_eq!(one["orderCount"], 2);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_get_on_known_paths_and_nothing_logged_or_changed() {
    let sandbox = start().await;
    call(&sandbox, PAY, &payout("insp_post", "10")).await;
    let logged = sandbox.requests().len();
    let client = http();
    let orders_url = format!("{}/orders", sandbox.inspect_url());

    for method in [
        reqwest::Method::POST,
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
    ] {
        let response = client
            .request(method.clone(), &orders_url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 405, "{method}");
        assert_eq!(
            response.headers().get("allow").unwrap().to_str().unwrap(),
            "GET"
        );
        let json: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert!(json["error"].is_string(), "{json}");
    }
    let response = client
        .delete(format!("{orders_url}/insp_post"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        sandbox.order_count("insp_post"),
        1,
        "a DELETE deletes nothing"
    );

    for path in ["", "/", "/request", "/requestsX", "/ordersX", "/orders/a/b"] {
        let (status, _, _, json) = get(&format!("{}{path}", sandbox.inspect_url())).await;
        assert_eq!(status, 404, "{path}: {json}");
        assert!(json["error"].is_string(), "{path}: {json}");
    }
    // a broken percent escape
    let (status, _, _, _) = get(&format!("{orders_url}/bad%zz")).await;
    assert_eq!(status, 400);

    // none of that reached the request log
    assert_eq!(sandbox.requests().len(), logged);

    // the PayerMax paths are as before: GET is 405 with a signed PARAMS_INVALID envelope, and
    // a look-alike of the inspection prefix is an unknown gateway path
    let answer = client.get(sandbox.url(PAY)).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 405);
    assert!(answer.headers().contains_key("sign"));
    let unknown = post_raw(
        &client,
        &format!("http://{}/__sandboxes/orders", sandbox.addr()),
        Some("application/json"),
        None,
        b"{}".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.code(), "PARAMS_INVALID");
    assert!(unknown.signed_by(sandbox.public_key()));
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_listens_on_loopback_only() {
    for addr in ["0.0.0.0:0", "192.0.2.1:0"] {
        let addr: SocketAddr = addr.parse().unwrap();
        let error = Sandbox::start(config().bind(addr)).await.unwrap_err();
        assert!(matches!(error, SandboxError::Config(_)), "{error:?}");
        assert!(error.to_string().contains("loopback"), "{error}");
    }
    // any address of 127.0.0.0/8 is loopback
    let sandbox = Sandbox::start(config().bind("127.0.0.1:0".parse().unwrap()))
        .await
        .unwrap();
    assert!(sandbox.addr().ip().is_loopback());
    sandbox.shutdown().await;
}

/// What PayerMax's answers leave out (they carry `code` and `msg` only): every violation of a
/// refused request, and the warnings of an accepted one, in `GET /__sandbox/requests`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_shows_what_the_answers_leave_out() {
    let sandbox = start().await;
    let mut bad = payout("insp_bad", "10");
    bad["payeeInfo"]["targetOrg"] = json!("NOT_A_BANK");
    let refused = call(&sandbox, PAY, &bad).await;
    assert_eq!(refused.code(), "PARAMS_INVALID");
    assert_eq!(refused.json.get("data"), None);
    // An advisory rule broken (the derived Latin-letters name pattern): paid, and logged.
    let mut accented = payout("insp_warn", "10");
    accented["payeeInfo"]["name"] = json!({"fullName": "João D'Ávila"});
    let paid = call(&sandbox, PAY, &accented).await;
    assert_eq!(paid.code(), "APPLY_SUCCESS");

    let (status, _, signed, json) = get(&format!("{}/requests", sandbox.inspect_url())).await;
    assert_eq!((status, signed), (200, false));
    let requests = json["requests"].as_array().unwrap();
    let entry = |out: &str| {
        requests
            .iter()
            .find(|r| r["outTradeNo"] == out)
            .unwrap_or_else(|| panic!("{out} not logged: {json}"))
    };
    let refused = entry("insp_bad");
    assert_eq!(refused["code"], "PARAMS_INVALID");
    assert_eq!(refused["violations"][0]["path"], "payeeInfo.targetOrg");
    assert_eq!(refused["violations"][0]["level"], "enforce");
    assert!(refused.get("body").is_none(), "bodies are not served");
    let warned = entry("insp_warn");
    assert_eq!(warned["code"], "APPLY_SUCCESS");
    assert_eq!(warned["violations"][0]["path"], "payeeInfo.name.fullName");
    assert_eq!(warned["violations"][0]["level"], "advise");
    sandbox.shutdown().await;
}
