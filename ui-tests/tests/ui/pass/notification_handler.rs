//@check-pass
//! A framework-agnostic notification handler: bytes and the `sign` header in, ack out.
use payermax::runtime::PublicKey;

fn handle(key: &PublicKey, body: &[u8], sign: Option<&str>) -> (u16, &'static str) {
    match payermax::verify_notification(key, body, sign) {
        Ok(notification) => {
            let status: &payermax::PayoutStatus = &notification.data.status;
            println!("{} is now {status}", notification.data.out_trade_no);
            (200, payermax::NOTIFICATION_ACK)
        }
        Err(_) => (401, "{}"),
    }
}

/// One entry point for every notification PayerMax POSTs: payout results and RFIs.
fn handle_any(key: &PublicKey, body: &[u8], sign: Option<&str>) -> (u16, &'static str) {
    match payermax::verify_notice(key, body, sign) {
        Ok(payermax::Notice::Payout(n)) => {
            println!("{} is now {}", n.data.out_trade_no, n.data.status)
        }
        Ok(payermax::Notice::Rfi(n)) => {
            let orders: &[String] = &n.data.relate_order_id;
            let status: &payermax::RfiStatus = &n.data.status;
            println!(
                "RFI {} ({status}) holds {orders:?} until {}",
                n.data.rfi_no, n.data.expire_time
            );
        }
        Ok(_) => {}
        Err(_) => return (401, "{}"),
    }
    (200, payermax::NOTIFICATION_ACK)
}

pub fn main() {
    let _ = handle;
    let _ = handle_any;
    assert_eq!(
        payermax::NOTIFICATION_ACK,
        r#"{"code":"SUCCESS","msg":"Success"}"#
    );
}
