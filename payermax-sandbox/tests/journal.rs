//! `state_file`: a restarted sandbox still knows its orders.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_sandbox::{Sandbox, SandboxError, Status, Timings};
use std::io::Write as _;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_sandbox_knows_its_orders_and_finishes_their_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.jsonl");
    let timings = Timings {
        pending_rule: Duration::from_millis(2500),
        ..fast()
    };
    let first = Sandbox::start(config().timings(timings).state_file(&path))
        .await
        .unwrap();
    let done = call(&first, "paymentOrderPay", &payout("j_done", "10")).await;
    let placed = std::time::Instant::now();
    call(&first, "paymentOrderPay", &payout("j_pending", "100")).await;
    call(&first, "paymentOrderPay", &payout("j_failed", "110")).await;
    wait_status(&first, "j_done", "SUCCESS").await;
    wait_status(&first, "j_failed", "FAILED").await;
    let still_pending = first.order("j_pending").unwrap().status == Status::Pending;
    first.shutdown().await;
    // (on a very slow machine it may have settled already; then there is nothing to resume)
    assert!(still_pending || placed.elapsed() >= timings.pending_rule);

    let lines = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        lines
            .lines()
            .filter(|l| l.contains(r#""event":"order_created""#))
            .count(),
        3
    );
    assert_eq!(
        lines
            .lines()
            .filter(|l| l.contains(r#""event":"status_changed""#))
            .count(),
        if still_pending { 2 } else { 3 }
    );

    let second = Sandbox::start(config().timings(timings).state_file(&path))
        .await
        .unwrap();
    let view = query(&second, "j_done").await.json["data"].clone();
    assert_eq!(view["status"], "SUCCESS");
    assert_eq!(view["tradeNo"], done.json["data"]["tradeNo"]);
    assert_eq!(
        query(&second, "j_failed").await.json["data"]["status"],
        "FAILED"
    );
    let repeat = call(&second, "paymentOrderPay", &payout("j_done", "10")).await;
    assert_eq!(repeat.code(), "ORDER_REPEAT");
    assert_eq!(second.order_count("j_done"), 1);
    // the pending order resumes its timer from its last change and settles
    wait_status(&second, "j_pending", "SUCCESS").await;
    // new orders get new trade numbers
    let new = call(&second, "paymentOrderPay", &payout("j_new", "10")).await;
    let trade_nos: Vec<String> = second.orders().iter().map(|o| o.trade_no.clone()).collect();
    assert_eq!(trade_nos.len(), 4);
    assert_eq!(
        trade_nos
            .iter()
            .filter(|t| **t == new.json["data"]["tradeNo"])
            .count(),
        1
    );
    second.shutdown().await;

    // and a third start sees all four, with the full history
    let third = Sandbox::start(config().state_file(&path)).await.unwrap();
    assert_eq!(third.orders().len(), 4);
    let history: Vec<Status> = third
        .order("j_pending")
        .unwrap()
        .history
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(history, [Status::Pending, Status::Success]);
    third.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torn_last_line_is_dropped_and_a_corrupt_line_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.jsonl");
    let sandbox = Sandbox::start(config().state_file(&path)).await.unwrap();
    call(&sandbox, "paymentOrderPay", &payout("t_1", "10")).await;
    wait_status(&sandbox, "t_1", "SUCCESS").await;
    sandbox.shutdown().await;

    // a crash in the middle of a write
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(br#"{"event":"status_changed","merchantNo":"M00"#)
        .unwrap();
    drop(file);
    let sandbox = Sandbox::start(config().state_file(&path)).await.unwrap();
    assert_eq!(sandbox.orders().len(), 1);
    call(&sandbox, "paymentOrderPay", &payout("t_2", "10")).await;
    sandbox.shutdown().await;
    let sandbox = Sandbox::start(config().state_file(&path)).await.unwrap();
    assert_eq!(
        sandbox.orders().len(),
        2,
        "appending after the torn line kept the file readable"
    );
    sandbox.shutdown().await;

    // garbage in the middle is not silently skipped
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("not json\n{text}")).unwrap();
    let error = Sandbox::start(config().state_file(&path))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SandboxError::State { message, .. } if message.starts_with("line 1:")),
        "{error}"
    );
}

/// An RFI answered before a restart stays answered: the restarted sandbox settles the order
/// (SUCCESS) instead of failing it at the RFI's deadline, and one left unanswered still fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfi_material_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.jsonl");
    let timings = Timings {
        settle: Duration::from_millis(700),
        rfi_deadline: Duration::from_millis(1500),
        ..fast()
    };
    let first = Sandbox::start(config().timings(timings).state_file(&path))
        .await
        .unwrap();
    let answered = with(payout("j_rfi_answered", "10"), "remark", "RFI");
    let mut unanswered = with(payout("j_rfi_unanswered", "10"), "remark", "RFI");
    unanswered["payeeInfo"]["accountInfo"]["accountNo"] = "98765432100".into();
    call(&first, "paymentOrderPay", &answered).await;
    call(&first, "paymentOrderPay", &unanswered).await;
    let rfi_no = first.order("j_rfi_answered").unwrap().rfi.unwrap().rfi_no;
    let upload = serde_json::json!({
        "rfiNo": rfi_no,
        "materialList": [{"fieldName": "ID", "fieldValue": "https://files.example/id.pdf"}],
    });
    let answer = call(&first, "putRfiMaterialList", &upload).await;
    assert_eq!(answer.code(), "APPLY_SUCCESS", "{answer:?}");
    assert_eq!(answer.json["data"], true);
    assert_eq!(
        query(&first, "j_rfi_answered").await.json["data"]["subStatus"],
        "REVIEW"
    );
    first.shutdown().await;
    let lines = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        lines
            .lines()
            .filter(|l| l.contains(r#""event":"rfi_material""#))
            .count(),
        1
    );

    let second = Sandbox::start(config().timings(timings).state_file(&path))
        .await
        .unwrap();
    wait_status(&second, "j_rfi_unanswered", "FAILED").await;
    wait_status(&second, "j_rfi_answered", "SUCCESS").await;
    second.shutdown().await;
}
