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

fn main() {
    let _ = handle;
    assert_eq!(
        payermax::NOTIFICATION_ACK,
        r#"{"code":"SUCCESS","msg":"Success"}"#
    );
}
