//! The whole payout flow, start to finish, with no credentials and no network: a local
//! PayerMax sandbox, a merchant key pair, element validation (a mistake, then the fix), a
//! payout, the signed notification arriving at a local webhook, an inquiry, and the day's
//! orders through the batch query.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With `PAYERMAX_ENV=uat` and `PAYERMAX_MERCHANT_NO`, `PAYERMAX_APP_ID`,
//! `PAYERMAX_PRIVATE_KEY` (your private key, dashboard format or PEM) and
//! `PAYERMAX_PUBLIC_KEY` (PayerMax's public key) set, the same flow runs against PayerMax's
//! UAT instead (PayerMax cannot reach a local webhook, so the example polls the inquiry).

use payermax::runtime::{Config, Environment, RetryPolicy};
use payermax::{
    AccountType, Address, ClearingRail, Client, Currency, CurrentBalanceQueryRequest, PayeeName,
    PaymentFieldValidationRequest, PaymentOrderBatchQryFilters, PaymentOrderPayRequest,
    PaymentOrderQryRequest, PayoutStatus, StreamExt, Trade, payee,
};
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig, Timings};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let uat = std::env::var("PAYERMAX_ENV").is_ok_and(|e| e.eq_ignore_ascii_case("uat"));
    let (client, sandbox, webhook) = if uat {
        uat_client()?
    } else {
        local_client().await?
    };

    step(
        2,
        "Element validation of a SEPA payee, with a typo in the IBAN",
    );
    let mut check =
        PaymentFieldValidationRequest::new("NO", "EUR", sepa_payee("NO9386011117948").into());
    check.clearing_rail = Some(ClearingRail::Sepa);
    let answer = client.validate_payment_fields(&check).await?;
    println!("   validationCode: {}", answer.validation_code);
    for failed in &answer.validation_failed_fields {
        println!("   failed  {}: {}", failed.field, failed.error_msg);
    }
    check.payee_info.account_info.account_no = "NO9386011117947".into();
    let answer = client.validate_payment_fields(&check).await?;
    println!(
        "   corrected IBAN -> validationCode: {}",
        answer.validation_code
    );

    step(3, "A payout to a Brazilian PIX payee, placed idempotently");
    let out_trade_no = format!(
        "quickstart_{}",
        chrono::Utc::now().format("%Y%m%d%H%M%S%3f")
    );
    let payee = payee::br::Pix::builder().account_no("12345678901").build();
    let amount = Currency::Brl.amount("25.50")?;
    let mut request = PaymentOrderPayRequest::new(
        out_trade_no.clone(),
        "BR",
        Trade::new(amount, "BRL"),
        payee.into(),
    );
    request.notify_url = webhook.as_ref().map(|w| w.url.clone());
    // What the payout account holds first (currentBalanceQuery): a payout it cannot cover is
    // refused with BALANCE_INSUFFICIENT.
    let balances = client
        .current_balance(&CurrentBalanceQueryRequest {
            account_type: vec![AccountType::Disbursement],
            account_currency: vec!["BRL".into()],
            ..Default::default()
        })
        .await?;
    for account in &balances.account_real_time_types {
        println!(
            "   payout balance: {} {} ({})",
            account.balance, account.currency, account.account_type
        );
    }
    let payout = client.pay_idempotent(&request).await?;
    println!(
        "   {} accepted: status {}, tradeNo {}",
        payout.out_trade_no,
        payout.status,
        payout.trade_no.as_deref().unwrap_or("-")
    );

    step(4, "The signed result notification");
    match &webhook {
        Some(webhook) => {
            let notification = webhook.next().await?;
            println!(
                "   webhook verified the signature: {} is {}; answered {}",
                notification.0,
                notification.1,
                payermax::NOTIFICATION_ACK
            );
        }
        None => {
            println!("   (UAT cannot reach a local webhook: the inquiry below tells the result)")
        }
    }

    step(5, "Inquiry by outTradeNo");
    let mut status = PayoutStatus::Pending;
    for _ in 0..60 {
        let order = client
            .query(&PaymentOrderQryRequest::new(out_trade_no.clone()))
            .await?;
        status = order.status.unwrap_or(PayoutStatus::Pending);
        if status != PayoutStatus::Pending {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!("   {out_trade_no} is {status}");

    step(
        6,
        "The day's orders, through the batch query (windows of a day, pages of 100)",
    );
    let end = payermax::Utc::now() + chrono::Duration::minutes(1);
    let begin = end - chrono::Duration::days(1);
    let filters = PaymentOrderBatchQryFilters::default(); // status, country: none
    let mut orders = client.batch_query_stream(begin, end, filters);
    while let Some(order) = orders.next().await {
        let order = order?;
        println!(
            "   {} {} {}",
            order.out_trade_no.as_deref().unwrap_or("-"),
            // The batch answer's shape is not published: every field may be missing.
            order.trade.as_ref().map_or("-", |t| t.amount.as_str()),
            order
                .status
                .as_ref()
                .map_or("-".to_owned(), |s| s.to_string())
        );
    }
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    step(
        7,
        "Done: validated, paid once, notified, queried and listed.",
    );
    Ok(())
}

fn step(n: u32, what: &str) {
    println!("\n[{n}] {what}");
}

fn sepa_payee(iban: &str) -> payee::sepa::Sepa {
    payee::sepa::Sepa::builder()
        .account_no(iban)
        .bank_code("DNBANOKK")
        .name(PayeeName {
            full_name: Some("Ola Nordmann".into()),
            ..Default::default()
        })
        .address(Address {
            city: Some("Oslo".into()),
            ..Default::default()
        })
        .build()
}

/// A sandbox on loopback, a fresh merchant key pair, a webhook, and a client for them.
async fn local_client() -> Result<(Client, Option<Sandbox>, Option<Webhook>), BoxError> {
    step(
        1,
        "A local PayerMax sandbox, a merchant key pair and a webhook",
    );
    let timings = Timings {
        settle: Duration::from_millis(300),
        ..Timings::default()
    };
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .timings(timings)
            .notify_scale(0.001),
    )
    .await?;
    let (merchant, private_key) = Merchant::generate("quickstart_app", "QUICKSTART01")?;
    let webhook = Webhook::start(sandbox.public_key().clone()).await?;
    // The sandbox's payout account: payouts debit it, failed ones give the amount back.
    sandbox.register_merchant(merchant.balance("BRL", "1000.00"));
    println!("   sandbox at {}", sandbox.base_url());
    println!("   webhook at {}", webhook.url);
    let config = Config::builder()
        .merchant_no("QUICKSTART01")
        .app_id("quickstart_app")
        .merchant_private_key_parsed(private_key)
        .payermax_public_key_parsed(sandbox.public_key().clone())
        .environment(Environment::Custom(sandbox.base_url()))
        .retry_policy(RetryPolicy {
            not_found_wait: Duration::from_millis(200),
            ..RetryPolicy::default()
        })
        .build()?;
    Ok((Client::new(config)?, Some(sandbox), Some(webhook)))
}

/// A client for PayerMax's UAT from environment variables.
fn uat_client() -> Result<(Client, Option<Sandbox>, Option<Webhook>), BoxError> {
    step(
        1,
        "PayerMax UAT, with the merchant's credentials from the environment",
    );
    let var =
        |name: &str| std::env::var(name).map_err(|_| format!("set {name} to run against UAT"));
    let config = Config::builder()
        .merchant_no(var("PAYERMAX_MERCHANT_NO")?)
        .app_id(var("PAYERMAX_APP_ID")?)
        .merchant_private_key(&var("PAYERMAX_PRIVATE_KEY")?)
        .payermax_public_key(&var("PAYERMAX_PUBLIC_KEY")?)
        .environment(Environment::Uat)
        .build()?;
    Ok((Client::new(config)?, None, None))
}

/// A minimal webhook: verifies each notification's signature with PayerMax's public key and
/// answers with the exact acknowledgement. (In an application this is a route of your web
/// framework; the SDK part is `payermax::verify_notification`.)
struct Webhook {
    url: String,
    received: Arc<Mutex<Vec<(String, String)>>>,
}

impl Webhook {
    async fn start(payermax_key: payermax::runtime::PublicKey) -> Result<Webhook, BoxError> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/payermax/notify", listener.local_addr()?);
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (store, key) = (store.clone(), payermax_key.clone());
                tokio::spawn(async move {
                    let Some((sign, body)) = read_http_request(&mut socket).await else {
                        return;
                    };
                    let reply = match payermax::verify_notification(&key, &body, sign.as_deref()) {
                        Ok(n) => {
                            if let Ok(mut list) = store.lock() {
                                list.push((n.data.out_trade_no.clone(), n.data.status.to_string()));
                            }
                            payermax::NOTIFICATION_ACK
                        }
                        Err(_) => r#"{"code":"FAIL","msg":"signature"}"#,
                    };
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        reply.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Ok(Webhook { url, received })
    }

    /// Waits for the next verified notification: (outTradeNo, status).
    async fn next(&self) -> Result<(String, String), BoxError> {
        for _ in 0..200 {
            if let Some(first) = self
                .received
                .lock()
                .map_err(|_| "webhook poisoned")?
                .first()
                .cloned()
            {
                return Ok(first);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err("no notification within 10 s".into())
    }
}

/// Reads one HTTP/1.1 request with a Content-Length body: the `sign` header and the raw body.
async fn read_http_request(
    socket: &mut tokio::net::TcpStream,
) -> Option<(Option<String>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(chunk.get(..n)?);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(buf.get(..head_end)?).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let len: usize = header("content-length")?.parse().ok()?;
    while buf.len() < head_end + len {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(chunk.get(..n)?);
    }
    Some((header("sign"), buf.get(head_end..head_end + len)?.to_vec()))
}
