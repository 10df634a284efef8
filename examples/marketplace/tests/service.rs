//! The marketplace against the in-process sandbox, over loopback: sellers in BR, MX, EG and
//! Germany (SEPA) are paid once each through the typed constructors, and the sandbox's signed
//! notifications reach the service's axum webhook, which records the final statuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payermax::runtime::{Config, Environment};
use payermax::{Client, Country, payee};
use payermax_example_marketplace::{Marketplace, PayTo, Seller};
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig, Timings};
use std::time::Duration;

fn sellers() -> Vec<Seller> {
    let seller = |id: &str, pay_to: PayTo, amount: &str| Seller {
        payout_id: id.into(),
        pay_to,
        amount: amount.into(),
    };
    let sepa = payee::sepa::Sepa::builder()
        .account_no("DE89 3704 0044 0532 0130 00")
        .bank_code("COBADEFFXXX")
        .name(payermax::PayeeName {
            full_name: Some("Erika Mustermann".into()),
            ..Default::default()
        })
        .address(payermax::Address {
            city: Some("Berlin".into()),
            ..Default::default()
        })
        .build();
    vec![
        seller(
            "seller_br",
            PayTo::Pix(payee::br::Pix::builder().account_no("12345678901").build()),
            "10.50",
        ),
        seller(
            "seller_mx",
            PayTo::MexicanBank(
                payee::mx::BankTransfer::builder()
                    .account_no("012180001234567891")
                    .build(),
            ),
            "250",
        ),
        seller(
            "seller_eg",
            PayTo::Meeza(
                payee::eg::MeezaNetwork::builder()
                    .account_no("01012345678")
                    .build(),
            ),
            "150", // (not 100: the sandbox, like PayerMax's UAT, keeps 100 pending)
        ),
        seller("seller_de", PayTo::Sepa(Country::De, sepa), "99.99"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sellers_are_paid_once_and_the_webhook_records_the_results() {
    let timings = Timings {
        settle: Duration::from_millis(100),
        ..Timings::default()
    };
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .timings(timings)
            .notify_scale(0.001),
    )
    .await
    .unwrap();
    let (merchant, key) = Merchant::generate("market_app", "M_MARKET").unwrap();

    // The service, with its webhook on a loopback port.
    let config = Config::builder()
        .merchant_no("M_MARKET")
        .app_id("market_app")
        .merchant_private_key_parsed(key)
        .payermax_public_key_parsed(sandbox.public_key().clone())
        .environment(Environment::Custom(sandbox.base_url()))
        .build()
        .unwrap();
    let marketplace = Marketplace::new(Client::new(config).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let webhook = format!("http://{}/payermax/notify", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, marketplace.router()).into_future());
    sandbox.register_merchant(merchant.notify_url(webhook));

    for seller in sellers() {
        let id = marketplace.pay(&seller).await.unwrap();
        assert_eq!(sandbox.order_count(&id), 1, "{id}");
    }
    // A second run pays nobody twice: ORDER_REPEAT resolves to the placed orders.
    for seller in sellers() {
        marketplace.pay(&seller).await.unwrap();
        assert_eq!(sandbox.order_count(&seller.payout_id), 1);
    }
    // The sandbox settles each order and notifies the webhook, which applies the result.
    for _ in 0..400 {
        if sellers()
            .iter()
            .all(|s| marketplace.status(&s.payout_id).as_deref() == Some("SUCCESS"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for s in sellers() {
        assert_eq!(
            marketplace.status(&s.payout_id).as_deref(),
            Some("SUCCESS"),
            "{}",
            s.payout_id
        );
    }
    // Every notification was acknowledged with exactly what PayerMax expects.
    let notifications = sandbox.notifications();
    assert_eq!(notifications.len(), 4);
    assert!(
        notifications.iter().all(|n| n.acknowledged()),
        "{notifications:?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_answers_what_payermax_expects() {
    // A notification signed with another key than PayerMax's: 401, not acknowledged.
    let (merchant_key, _) = payermax::runtime::keys::generate_keypair().unwrap();
    let (payermax_key, payermax_public) = payermax::runtime::keys::generate_keypair().unwrap();
    let (forger, _) = payermax::runtime::keys::generate_keypair().unwrap();
    let config = Config::builder()
        .merchant_no("M1")
        .app_id("app1")
        .merchant_private_key_parsed(merchant_key)
        .payermax_public_key_parsed(payermax_public)
        .environment(Environment::Custom("http://127.0.0.1:9".into()))
        .build()
        .unwrap();
    let marketplace = Marketplace::new(Client::new(config).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/payermax/notify", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, marketplace.router()).into_future());

    let post = |body: String, key: &payermax::runtime::PrivateKey| {
        let sign = payermax::runtime::sign_notification(key, body.as_bytes());
        let url = url.clone();
        async move {
            let stream = tokio::net::TcpStream::connect(
                url.trim_start_matches("http://").split('/').next().unwrap(),
            )
            .await
            .unwrap();
            http_post(stream, &body, &sign).await
        }
    };
    let payout = |app: &str, out: &str| {
        serde_json::json!({
            "code": "APPLY_SUCCESS", "msg": "Success.", "keyVersion": "1", "appId": app,
            "merchantNo": "M1", "notifyTime": "2023-03-08T16:22:05 +0000", "notifyType": "PAYOUT",
            "data": {"outTradeNo": out, "tradeNo": "t1", "status": "SUCCESS"}
        })
        .to_string()
    };
    let rfi = serde_json::json!({
        "keyVersion": "1", "notifyTime": "2023-10-20T03:28:23.092Z", "appId": "app1", "merchantNo": "M1",
        "data": {"rfiNo": "r1", "remark": "test", "businessType": "PAYMENT", "status": "REVIEW",
                 "relateOrderId": ["o1"], "expireTime": "2023-10-20T03:28:23.092Z"}
    })
    .to_string();
    let (status, body) = post(rfi.clone(), &payermax_key).await;
    assert_eq!((status, body.as_str()), (200, payermax::NOTIFICATION_ACK));
    let (status, body) = post(rfi, &forger).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("SIGN_VERIFY_FAILED"), "{body}");
    let (status, body) = post(payout("app2", "o1"), &payermax_key).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("NOT_FOR_THIS_CLIENT"), "{body}");
    let (status, body) = post("{\"notifyType\":\"PAYOUT\"}".into(), &payermax_key).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("UNREADABLE"), "{body}");
}

/// One HTTP/1.1 POST on `stream`: the status and the body of the answer.
async fn http_post(mut stream: tokio::net::TcpStream, body: &str, sign: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let request = format!(
        "POST /payermax/notify HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\nsign: {sign}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer.split(' ').nth(1).unwrap().parse().unwrap();
    let body = answer.split_once("\r\n\r\n").unwrap().1.to_owned();
    (status, body)
}
