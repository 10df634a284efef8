//! The four calls: element validation, payout with its simulated outcomes, inquiry, batch query.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_sandbox::{Outcome, Sandbox, Status};
use serde_json::{Value, json};
use std::time::SystemTime;

const PAY: &str = "paymentOrderPay";

async fn pay(sandbox: &Sandbox, data: &Value) -> Answer {
    call(sandbox, PAY, data).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payout_is_accepted_pending_then_succeeds() {
    let sandbox = start().await;
    let answer = pay(&sandbox, &payout("order_ok", "10.50")).await;
    assert_eq!(
        (answer.status, answer.code(), answer.msg()),
        (200, "APPLY_SUCCESS", "Success.")
    );
    let data = &answer.json["data"];
    assert_eq!(data["outTradeNo"], "order_ok");
    assert_eq!(data["status"], "PENDING");
    let trade_no = data["tradeNo"].as_str().unwrap();
    // yyyyMMddHHmmss + PO + digits
    assert_eq!(trade_no.len(), 14 + 2 + 16, "{trade_no}");
    assert!(
        trade_no[..14].bytes().all(|b| b.is_ascii_digit()),
        "{trade_no}"
    );
    assert_eq!(&trade_no[14..16], "PO");
    assert!(
        trade_no[16..].bytes().all(|b| b.is_ascii_digit()),
        "{trade_no}"
    );

    let view = wait_status(&sandbox, "order_ok", "SUCCESS").await;
    assert_eq!(view["tradeNo"], trade_no);
    assert_eq!(view["trade"], json!({"amount": "10.50", "currency": "BRL"}));
    assert_eq!(view["source"]["amount"], "10.50");
    assert_eq!(view["destination"]["currency"], "BRL");
    let utc = view["transactionUtcTime"].as_str().unwrap();
    assert!(
        utc.ends_with(" +0000") && utc.len() == 25 && &utc[10..11] == "T",
        "{utc}"
    );
    assert!(view["payFinishTime"].is_string());
    assert!(view.get("responseCode").is_none());
    assert!(view.get("bounceBackTime").is_none());

    let order = sandbox.order("order_ok").unwrap();
    assert_eq!(order.outcome, Outcome::Success);
    let statuses: Vec<Status> = order.history.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [Status::Pending, Status::Success]);
    assert_eq!(sandbox.order_count("order_ok"), 1);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amount_110_and_11000_fail_with_a_response_code() {
    let sandbox = start().await;
    for (out, amount) in [("fail_110", "110"), ("fail_11000", "11000.00")] {
        let answer = pay(&sandbox, &payout(out, amount)).await;
        assert_eq!(
            answer.json["data"]["status"], "PENDING",
            "placement is always PENDING"
        );
        let view = wait_status(&sandbox, out, "FAILED").await;
        assert_eq!(view["responseCode"], payermax_sandbox::FAILED_RESPONSE_CODE);
        assert!(view["responseMsg"].as_str().unwrap().contains("110"));
        assert!(view["fundsReturnTime"].is_string());
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amount_100_stays_pending_until_the_pending_rule_delay() {
    let sandbox = start().await;
    let placed = SystemTime::now();
    pay(&sandbox, &payout("pend_100", "100.00")).await;
    pay(&sandbox, &payout("plain", "7")).await;
    // an ordinary order settles after the settle delay (50 ms) while this one stays pending
    wait_status(&sandbox, "plain", "SUCCESS").await;
    let answer = query(&sandbox, "pend_100").await;
    let elapsed = placed.elapsed().unwrap();
    if elapsed < fast().pending_rule {
        assert_eq!(
            answer.json["data"]["status"], "PENDING",
            "after {elapsed:?}"
        );
    }
    wait_status(&sandbox, "pend_100", "SUCCESS").await;
    let order = sandbox.order("pend_100").unwrap();
    let waited = order
        .reached(Status::Success)
        .unwrap()
        .duration_since(order.created_at)
        .unwrap();
    assert!(waited >= fast().pending_rule, "{waited:?}");
    assert_eq!(order.outcome, Outcome::PendingThenSuccess);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remark_overrides_the_amount() {
    let sandbox = start().await;
    let cases = [
        ("r_success", "110", "SUCCESS", "SUCCESS"),
        ("r_failed", "811", "FAILED", "FAILED"),
        ("r_pending_amount", "10000", "SUCCESS", "SUCCESS"),
    ];
    for (out, amount, remark, _) in cases {
        pay(&sandbox, &with(payout(out, amount), "remark", remark)).await;
    }
    for (out, _, _, expected) in cases {
        let view = wait_status(&sandbox, out, expected).await;
        assert_eq!(view["status"], expected);
    }
    // remark wins over the pending rule: it settled after the short delay
    let order = sandbox.order("r_pending_amount").unwrap();
    assert_eq!(order.outcome, Outcome::Success);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounceback_comes_after_success() {
    let sandbox = start().await;
    pay(
        &sandbox,
        &with(payout("bounce", "25"), "remark", "BOUNCEBACK"),
    )
    .await;
    let view = wait_status(&sandbox, "bounce", "BOUNCEBACK").await;
    assert!(view["bounceBackTime"].is_string());
    assert!(view["payFinishTime"].is_string());
    let order = sandbox.order("bounce").unwrap();
    let statuses: Vec<Status> = order.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [Status::Pending, Status::Success, Status::Bounceback]
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_repeat_returns_the_current_status_and_never_creates_a_second_order() {
    let sandbox = start().await;
    let first = pay(&sandbox, &payout("once", "10")).await;
    let trade_no = first.json["data"]["tradeNo"].clone();
    let repeat = pay(&sandbox, &payout("once", "10")).await;
    assert_eq!(repeat.code(), "ORDER_REPEAT");
    assert_eq!(repeat.msg(), "The order number repeat.");
    assert_eq!(repeat.json["data"]["outTradeNo"], "once");
    assert_eq!(repeat.json["data"]["tradeNo"], trade_no);
    wait_status(&sandbox, "once", "SUCCESS").await;
    // a different body with the same outTradeNo, even an invalid one, is still the same order
    let different = pay(&sandbox, &json!({"outTradeNo": "once", "country": "XX"})).await;
    assert_eq!(different.code(), "ORDER_REPEAT");
    assert_eq!(different.json["data"]["status"], "SUCCESS");
    assert_eq!(sandbox.order_count("once"), 1);
    assert_eq!(sandbox.orders().len(), 1);
    // Three payouts; `wait_status` polled as many times as the settle delay took.
    let pays = sandbox.requests_for("once");
    let pays = pays.iter().filter(|r| r.api == "paymentOrderPay");
    assert_eq!(pays.count(), 3);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_payouts_are_params_invalid_and_create_nothing() {
    let sandbox = start().await;
    let mut bad = payout("bad_1", "10");
    bad["payeeInfo"]["targetOrg"] = json!("NOT_A_BANK");
    bad["trade"]["amount"] = json!("10.123");
    let answer = pay(&sandbox, &bad).await;
    assert_eq!(answer.code(), "PARAMS_INVALID");
    // As PayerMax answers: code and msg, no data (§2.2, §5.2); the details are in the log.
    assert_eq!(answer.json.get("data"), None, "{}", answer.json);
    let logged = sandbox.requests().last().unwrap().violations.clone();
    let violations = &logged;
    let paths: Vec<&str> = violations
        .iter()
        .map(|v| v["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"payeeInfo.targetOrg"), "{paths:?}");
    assert!(paths.contains(&"trade.amount"), "{paths:?}");
    assert_eq!(answer.msg(), format!("The {} is incorrect.", paths[0]));
    // exactly the spec interpreter's report
    let expected: Vec<Value> = spec()
        .validate_payout(&bad)
        .iter()
        .map(|v| v.to_json())
        .collect();
    assert_eq!(violations, &expected);

    let missing = pay(&sandbox, &json!({"outTradeNo": "bad_2"})).await;
    assert_eq!(missing.code(), "PARAMS_INVALID");
    assert_eq!(sandbox.orders().len(), 0);
    // fixed and resent with the same outTradeNo: accepted (the refusal created no order)
    let fixed = pay(&sandbox, &payout("bad_1", "10")).await;
    assert_eq!(fixed.code(), "APPLY_SUCCESS");
    assert_eq!(sandbox.order_count("bad_1"), 1);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_validation_reports_passed_ignored_and_failed_fields() {
    let sandbox = start().await;
    let mut data = payout("ignored_here", "10");
    data["destinationCurrency"] = json!("BRL");
    data["payeeInfo"]["name"] = json!({"firstName": "x".repeat(65)});
    data["remark"] = json!("hello");
    data["trade"]["amount"] = json!("10.001");
    let answer = call(&sandbox, "paymentFieldValidation", &data).await;
    assert_eq!(answer.code(), "APPLY_SUCCESS");
    let report = &answer.json["data"];
    let report_of = spec().field_report(&data);
    assert_eq!(report["validationCode"], report_of.validation_code);
    assert_eq!(report["validationCode"], "PARAMS_INVALID");
    let failed = report["validationFailedFields"].as_array().unwrap();
    assert!(
        failed
            .iter()
            .any(|f| f["field"] == "trade.amount" && f["errorMsg"].is_string()),
        "{failed:?}"
    );
    let fields = |key: &str| -> Vec<Value> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].clone())
            .collect()
    };
    // Outside PIX's rule set: ignored whatever its value, even too long (reference §4).
    let ignored = fields("ignoredFields");
    assert!(
        ignored.contains(&json!("payeeInfo.name.firstName")),
        "{ignored:?}"
    );
    assert!(
        !failed
            .iter()
            .any(|f| f["field"] == "payeeInfo.name.firstName"),
        "{failed:?}"
    );
    let passed = fields("validationPassedFields");
    assert!(
        passed.contains(&json!("payeeInfo.accountInfo.accountNo")),
        "{passed:?}"
    );
    assert_eq!(
        report["ignoredFields"].as_array().unwrap().len(),
        report_of.ignored.len()
    );

    let mut good = payout("x", "10");
    good["destinationCurrency"] = json!("BRL");
    let good = call(&sandbox, "paymentFieldValidation", &good).await;
    assert_eq!(good.json["data"]["validationCode"], "PASS");
    assert_eq!(good.json["data"]["validationFailedFields"], json!([]));

    // Without what selects the rule set there is nothing to validate against (reference §4).
    let empty = call(&sandbox, "paymentFieldValidation", &json!({})).await;
    assert_eq!(empty.code(), "PARAMS_INVALID");
    assert_eq!(empty.json.get("data"), None);
    let logged = sandbox.requests().last().unwrap().violations.clone();
    let paths: Vec<&Value> = logged.iter().map(|v| &v["path"]).collect();
    assert_eq!(
        paths,
        [
            &json!("country"),
            &json!("destinationCurrency"),
            &json!("payeeInfo.paymentMethodType")
        ]
    );
    let no_currency = call(&sandbox, "paymentFieldValidation", &payout("y", "10")).await;
    assert_eq!(no_currency.code(), "PARAMS_INVALID");
    assert!(sandbox.orders().is_empty(), "validation places nothing");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inquiry_of_unknown_or_invalid_order() {
    let sandbox = start().await;
    let answer = query(&sandbox, "never_placed").await;
    assert_eq!(
        (answer.code(), answer.msg()),
        ("ORDER_NOT_EXIST", "The order does not exist.")
    );
    let answer = call(&sandbox, "paymentOrderQry", &json!({})).await;
    assert_eq!(
        (answer.code(), answer.msg()),
        ("PARAMS_INVALID", "The outTradeNo is incorrect.")
    );
    let answer = call(
        &sandbox,
        "paymentOrderQry",
        &json!({"outTradeNo": "has-a-dash"}),
    )
    .await;
    assert_eq!(answer.code(), "PARAMS_INVALID");
    sandbox.shutdown().await;
}

fn window(from: SystemTime, minutes: i64) -> (String, String) {
    let begin = chrono::DateTime::<chrono::Utc>::from(from) - chrono::Duration::minutes(1);
    let end = begin + chrono::Duration::minutes(minutes);
    let f = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    (f(begin), f(end))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_query_pages_filters_and_window() {
    let sandbox = start().await;
    let started = SystemTime::now();
    for i in 0..5 {
        pay(&sandbox, &payout(&format!("batch_{i}"), "10")).await;
    }
    pay(&sandbox, &payout("batch_fail", "110")).await;
    wait_status(&sandbox, "batch_fail", "FAILED").await;
    let (begin, end) = window(started, 60);
    let batch = |extra: Value| {
        let mut data = json!({"queryBeginTime": begin, "queryEndTime": end});
        for (k, v) in extra.as_object().unwrap() {
            data[k] = v.clone();
        }
        data
    };
    let answer = call(&sandbox, "paymentOrderBatchQry", &batch(json!({}))).await;
    assert_eq!(answer.code(), "APPLY_SUCCESS");
    let data = &answer.json["data"];
    assert_eq!(
        (data["pageSize"].as_u64(), data["currentPageIndex"].as_u64()),
        (Some(20), Some(1))
    );
    assert_eq!(data["totalCount"], 6);
    let outs: Vec<&str> = data["orderList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outTradeNo"].as_str().unwrap())
        .collect();
    assert_eq!(
        outs,
        [
            "batch_0",
            "batch_1",
            "batch_2",
            "batch_3",
            "batch_4",
            "batch_fail"
        ],
        "creation order"
    );

    let page2 = call(
        &sandbox,
        "paymentOrderBatchQry",
        &batch(json!({"pageSize": 4, "currentPageIndex": 2})),
    )
    .await;
    let outs: Vec<&Value> = page2.json["data"]["orderList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["outTradeNo"])
        .collect();
    assert_eq!(outs, [&json!("batch_4"), &json!("batch_fail")]);
    let page0 = call(
        &sandbox,
        "paymentOrderBatchQry",
        &batch(json!({"pageSize": 4, "currentPageIndex": 0})),
    )
    .await;
    assert_eq!(
        page0.json["data"]["currentPageIndex"], 1,
        "0 is read as the first page"
    );
    assert_eq!(page0.json["data"]["orderList"].as_array().unwrap().len(), 4);

    let failed = call(
        &sandbox,
        "paymentOrderBatchQry",
        &batch(json!({"status": "FAILED"})),
    )
    .await;
    assert_eq!(failed.json["data"]["totalCount"], 1);
    assert_eq!(
        failed.json["data"]["orderList"][0]["responseCode"],
        payermax_sandbox::FAILED_RESPONSE_CODE
    );
    let other_country = call(
        &sandbox,
        "paymentOrderBatchQry",
        &batch(json!({"country": "PH"})),
    )
    .await;
    assert_eq!(other_country.json["data"]["totalCount"], 0);
    let brazil = call(
        &sandbox,
        "paymentOrderBatchQry",
        &batch(json!({"country": "BR"})),
    )
    .await;
    assert_eq!(brazil.json["data"]["totalCount"], 6);

    // a window before the orders finds nothing
    let (old_begin, old_end) = window(started - std::time::Duration::from_secs(7200), 30);
    let old = call(
        &sandbox,
        "paymentOrderBatchQry",
        &json!({"queryBeginTime": old_begin, "queryEndTime": old_end}),
    )
    .await;
    assert_eq!(old.json["data"]["totalCount"], 0);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_query_refusals() {
    let sandbox = start().await;
    let now = SystemTime::now();
    let (begin, _) = window(now, 0);
    let (_, more_than_a_day) = window(now, 24 * 60 + 1);
    let (_, exactly_a_day) = window(now, 24 * 60);
    let cases = [
        (
            json!({"queryBeginTime": begin, "queryEndTime": more_than_a_day}),
            "queryEndTime",
        ),
        (
            json!({"queryBeginTime": exactly_a_day, "queryEndTime": begin}),
            "queryEndTime",
        ),
        (
            json!({"queryBeginTime": "2025-04-23T01:00:00", "queryEndTime": begin}),
            "queryBeginTime",
        ),
        (json!({"queryEndTime": begin}), "queryBeginTime"),
        (
            json!({"queryBeginTime": begin, "queryEndTime": begin, "pageSize": 101}),
            "pageSize",
        ),
        (
            json!({"queryBeginTime": begin, "queryEndTime": begin, "pageSize": 0}),
            "pageSize",
        ),
        (
            json!({"queryBeginTime": begin, "queryEndTime": begin, "pageSize": "20"}),
            "pageSize",
        ),
        (
            json!({"queryBeginTime": begin, "queryEndTime": begin, "currentPageIndex": -1}),
            "currentPageIndex",
        ),
        (
            json!({"queryBeginTime": begin, "queryEndTime": begin, "status": "DONE"}),
            "status",
        ),
    ];
    for (data, field) in cases {
        let answer = call(&sandbox, "paymentOrderBatchQry", &data).await;
        assert_eq!(answer.code(), "PARAMS_INVALID", "{data}");
        assert_eq!(answer.msg(), format!("The {field} is incorrect."), "{data}");
    }
    let ok = call(
        &sandbox,
        "paymentOrderBatchQry",
        &json!({"queryBeginTime": begin, "queryEndTime": exactly_a_day, "pageSize": 100}),
    )
    .await;
    assert_eq!(ok.code(), "APPLY_SUCCESS");
    sandbox.shutdown().await;
}
