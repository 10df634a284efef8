//! The batch query's answer (#14 §2): PayerMax publishes no shape for it, so its generated
//! type takes any item: every field optional, unknown fields kept.
#![allow(clippy::unwrap_used)]

use payermax::{BatchOrder, PaymentOrderBatchQryResponse, PayoutStatus};
use serde_json::json;

#[test]
fn any_answer_parses_and_keeps_what_it_does_not_know() {
    let answer = json!({
        "pageSize": 2, "currentPageIndex": 1, "totalCount": 7,
        "orderList": [
            // An item shaped like an inquiry answer.
            {"outTradeNo": "o_1", "tradeNo": "T1", "status": "SUCCESS",
             "transactionUtcTime": "2026-12-01T10:00:00 +0000",
             "trade": {"amount": "10", "currency": "BRL"}},
            // One with almost nothing, and fields no page mentions.
            {"outTradeNo": "o_2", "settlementBatch": "B7", "fee": {"amount": "0.10"}},
            {}
        ]
    });
    let parsed: PaymentOrderBatchQryResponse = serde_json::from_value(answer).unwrap();
    assert_eq!(parsed.order_list.len(), 3);
    let first: &BatchOrder = &parsed.order_list[0];
    assert_eq!(first.status, Some(PayoutStatus::Success));
    let second = &parsed.order_list[1];
    assert_eq!(second.out_trade_no.as_deref(), Some("o_2"));
    assert_eq!(second.extra["settlementBatch"], "B7");
    assert_eq!(second.extra["fee"]["amount"], "0.10");
    assert_eq!(parsed.extra["totalCount"], 7);
    assert!(parsed.order_list[2].trade.is_none());
}
