//! A marketplace that pays its sellers through PayerMax: the shape of a real service, small
//! enough to read in one go.
//!
//! - [`Seller`]s have a typed payee each (Brazil PIX, a Mexican bank account, an Egyptian Meeza
//!   wallet, a German IBAN over SEPA); [`payout_request`] turns one into a request with the
//!   typed constructors, so country, rail and currency always match the payee's method.
//! - [`Marketplace::pay`] places each payout once (`pay_idempotent`: resends reuse the order
//!   number) and records it as `PENDING`.
//! - [`Marketplace::router`] is the webhook: `payermax::axum::notifications` verifies each
//!   notification and [`Marketplace::on_notice`] moves the stored order with
//!   `OrderView::apply` (duplicates and impossible moves change nothing).

use payermax::runtime::{Error, OrderView, StatusUpdate};
use payermax::{Client, Country, Notice, PaymentOrderPayRequest, payee};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Where a seller is paid.
#[derive(Debug, Clone)]
pub enum PayTo {
    /// Brazil, PIX.
    Pix(payee::br::Pix),
    /// Mexico, bank transfer.
    MexicanBank(payee::mx::BankTransfer),
    /// Egypt, Meeza wallet.
    Meeza(payee::eg::MeezaNetwork),
    /// A SEPA country, by IBAN.
    Sepa(Country, payee::sepa::Sepa),
}

/// A seller and what they are owed.
#[derive(Debug, Clone)]
pub struct Seller {
    /// The marketplace's id for this payout; the PayerMax order number.
    pub payout_id: String,
    /// Where to pay.
    pub pay_to: PayTo,
    /// The amount, in the method's currency (BRL, MXN, EGP, EUR).
    pub amount: String,
}

/// The request for one seller: country, rail and currency from the payee's method.
pub fn payout_request(seller: &Seller) -> Result<PaymentOrderPayRequest, payermax::AmountError> {
    let (id, amount) = (seller.payout_id.clone(), seller.amount.as_str());
    match seller.pay_to.clone() {
        PayTo::Pix(p) => PaymentOrderPayRequest::to_payee(id, p, amount),
        PayTo::MexicanBank(p) => PaymentOrderPayRequest::to_payee(id, p, amount),
        PayTo::Meeza(p) => PaymentOrderPayRequest::to_payee(id, p, amount),
        PayTo::Sepa(country, p) => PaymentOrderPayRequest::via_rail(id, country, p, amount),
    }
}

/// Why a seller was not paid.
#[derive(Debug)]
pub enum PayError {
    /// The amount does not fit the currency.
    Amount(payermax::AmountError),
    /// PayerMax (or the SDK's own checks) refused it, or its outcome is not known yet.
    PayerMax(Error),
}

impl std::fmt::Display for PayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PayError::Amount(e) => write!(f, "amount: {e}"),
            PayError::PayerMax(e) => write!(f, "{e}"),
        }
    }
}

/// The service: a PayerMax client and the orders it placed.
#[derive(Clone)]
pub struct Marketplace {
    client: Client,
    orders: Arc<Mutex<HashMap<String, OrderView>>>,
}

impl Marketplace {
    /// A marketplace paying through `client`.
    pub fn new(client: Client) -> Self {
        Marketplace {
            client,
            orders: Arc::default(),
        }
    }

    /// Pays one seller, once: a resend after a timeout reuses the order number, so PayerMax
    /// never places it twice. Returns the order number.
    pub async fn pay(&self, seller: &Seller) -> Result<String, PayError> {
        let request = payout_request(seller).map_err(PayError::Amount)?;
        let payout = self
            .client
            .pay_idempotent(&request)
            .await
            .map_err(PayError::PayerMax)?;
        let view = OrderView::placed(
            request.trade.amount.as_str(),
            request.trade.currency.as_str(),
        );
        self.orders()
            .entry(payout.out_trade_no.clone())
            .or_insert(view);
        Ok(payout.out_trade_no)
    }

    /// The stored status of an order (`PENDING`, `SUCCESS`, …).
    pub fn status(&self, payout_id: &str) -> Option<String> {
        self.orders().get(payout_id).map(|o| o.status.clone())
    }

    /// The webhook: mount it at the path of the callback URL configured at PayerMax.
    pub fn router(&self) -> axum::Router {
        let this = self.clone();
        let webhook = payermax::axum::notifications(self.client.clone(), move |notice| {
            let this = this.clone();
            async move { this.on_notice(notice) }
        });
        axum::Router::new().route("/payermax/notify", webhook)
    }

    /// Applies a verified notification. An error makes PayerMax deliver it again.
    pub fn on_notice(&self, notice: Notice) -> Result<(), String> {
        match notice {
            Notice::Payout(n) => {
                let update = StatusUpdate {
                    status: n.data.status.to_string(),
                    sub_status: n.data.sub_status.map(|s| s.to_string()),
                    amount: n.data.trade.amount.clone(),
                    currency: n.data.trade.currency.clone(),
                };
                let mut orders = self.orders();
                let Some(order) = orders.get_mut(&n.data.out_trade_no) else {
                    // Placed by another process, or not recorded yet: retry later.
                    return Err(format!("unknown order {}", n.data.out_trade_no));
                };
                // Duplicates and late notices are fine; an impossible move is refused and
                // the stored status kept (ask PayerMax with a query).
                order.apply(&update).map(|_| ()).map_err(|e| e.to_string())
            }
            Notice::Rfi(rfi) => {
                // PayerMax asks for material about these orders: hand it to the compliance team.
                println!(
                    "RFI {} for {:?}, due {}",
                    rfi.data.rfi_no, rfi.data.relate_order_id, rfi.data.expire_time
                );
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn orders(&self) -> std::sync::MutexGuard<'_, HashMap<String, OrderView>> {
        self.orders.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
