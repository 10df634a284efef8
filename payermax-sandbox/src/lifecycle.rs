//! How orders move through their simulated lifecycle: each status change is scheduled from
//! the order's last one, written to the state (and the journal), and announced by a
//! notification. Depends on the state and the notifier; neither depends on it.

use crate::journal::Event;
use crate::order::{Order, Status, StatusChange};
use crate::records::{Delivery, NotificationKind, NotificationRecord};
use crate::state::{OrderKey, Shared};
use std::sync::Arc;

/// RFI statuses the sandbox sends (the spec's `RfiStatus`).
const RFI_REVIEW: &str = "REVIEW";
const RFI_PASS: &str = "PASS";
const RFI_CLOSE: &str = "CLOSE";

/// After a request created order `key` or changed what comes next for it (RFI material): an
/// RFI order's first RFI notification, unless it went out already, then the next step.
pub(crate) fn placed(shared: &Arc<Shared>, key: OrderKey) {
    let opening = shared.with_state(|s| {
        let order = s.order(&key)?;
        let rfi = order.rfi.as_ref()?;
        let sent = s.notifications.iter().any(
            |n| matches!(&n.kind, NotificationKind::Rfi { rfi_no, .. } if *rfi_no == rfi.rfi_no),
        );
        (!sent).then(|| order.clone())
    });
    if let Some(order) = opening {
        notify_rfi(shared, &order, RFI_REVIEW);
    }
    schedule_next(shared, key);
}

/// Schedules the next simulated status change of order `key`, if it has one. The delay counts
/// from the order's last change (an RFI order: from its creation, or from its material), so a
/// restarted sandbox continues where the old one stopped.
pub(crate) fn schedule_next(shared: &Arc<Shared>, key: OrderKey) {
    let next = shared.with_state(|s| {
        let order = s.order(&key)?;
        let (to, step, since) = order.next()?;
        let elapsed = shared.now().duration_since(since).unwrap_or_default();
        Some((order.status, to, shared.delay(step).saturating_sub(elapsed)))
    });
    let Some((from, to, wait)) = next else {
        return;
    };
    // The simulation only makes moves the spec documents (`status_transitions:`).
    let documented = shared
        .spec
        .plan
        .transitions
        .iter()
        .any(|(a, b)| a == from.as_str() && b == to.as_str());
    if !documented {
        eprintln!(
            "payermax-sandbox: {} → {} is not a documented transition of the spec; the order stays {}",
            from.as_str(),
            to.as_str(),
            from.as_str()
        );
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        if shared.sleep(wait).await {
            change_status(&shared, key, from, to);
        }
    });
}

/// Moves order `key` from `from` to `to`: journal, notifications, next step. Nothing happens
/// when the order is no longer at `from` or its next step is no longer `to` (an RFI answered
/// after its deadline was scheduled: that timer finds the order bound for `SUCCESS`).
fn change_status(shared: &Arc<Shared>, key: OrderKey, from: Status, to: Status) {
    let changed = shared.with_state(|s| {
        if s.closed {
            return None;
        }
        let index = *s.index.get(&key)?;
        let order = s.orders.get_mut(index)?;
        if order.status != from || order.next().map(|(next, ..)| next) != Some(to) {
            return None;
        }
        let at = shared.now();
        if let Some(j) = s.journal.as_mut()
            && let Err(e) = j.append(&Event::StatusChanged {
                merchant_no: key.0.clone(),
                out_trade_no: key.1.clone(),
                status: to,
                at,
            })
        {
            eprintln!("payermax-sandbox: {e} (the change stays in memory)");
        }
        order.status = to;
        order.history.push(StatusChange { status: to, at });
        let order = order.clone();
        let duplicate = s.duplicate_notify.contains(&key);
        Some((order, duplicate))
    });
    schedule_next(shared, key);
    let Some((order, duplicate)) = changed else {
        return;
    };
    // The RFI's end first (PASS: the order goes on; CLOSE: it fails), then the payout result.
    if order.rfi.is_some() {
        notify_rfi(
            shared,
            &order,
            if to == Status::Failed {
                RFI_CLOSE
            } else {
                RFI_PASS
            },
        );
    }
    let body = match crate::notify::body(shared, &order.app_id, &order.merchant_no, order.view()) {
        Ok(body) => body,
        Err(e) => {
            eprintln!("payermax-sandbox: cannot encode a notification: {e}");
            return;
        }
    };
    send(shared, &order, NotificationKind::Payout, body, duplicate);
}

/// Sends an RFI notification about `order` with RFI status `status`.
fn notify_rfi(shared: &Arc<Shared>, order: &Order, status: &str) {
    let Some(rfi) = &order.rfi else {
        return;
    };
    let body = match crate::notify::rfi_body(shared, order, rfi, status) {
        Ok(body) => body,
        Err(e) => {
            eprintln!("payermax-sandbox: cannot encode an RFI notification: {e}");
            return;
        }
    };
    let kind = NotificationKind::Rfi {
        rfi_no: rfi.rfi_no.clone(),
        status: status.to_owned(),
    };
    send(shared, order, kind, body, false);
}

/// Records a signed notification about `order` and delivers it to the order's notify URL
/// (none: not sent).
fn send(
    shared: &Arc<Shared>,
    order: &Order,
    kind: NotificationKind,
    body: String,
    duplicate: bool,
) {
    let Some(url) = order.notify_url.clone() else {
        return;
    };
    let sign = payermax_runtime::keys::sign(&shared.key, body.as_bytes());
    let index = shared.with_state(|s| {
        s.notifications.push(NotificationRecord {
            kind,
            merchant_no: order.merchant_no.clone(),
            out_trade_no: order.out_trade_no.clone(),
            trade_no: order.trade_no.clone(),
            status: order.status,
            url,
            body,
            sign,
            duplicate: false,
            attempts: Vec::new(),
            delivery: Delivery::InProgress,
        });
        s.notifications.len() - 1
    });
    tokio::spawn(crate::notify::deliver(Arc::clone(shared), index, duplicate));
}
