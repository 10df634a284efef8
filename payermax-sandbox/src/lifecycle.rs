//! How orders move through their simulated lifecycle: each status change is scheduled from
//! the order's last one, written to the state (and the journal), and announced by a
//! notification. Depends on the state and the notifier; neither depends on it.

use crate::journal::Event;
use crate::order::{Status, StatusChange};
use crate::records::{Delivery, NotificationRecord};
use crate::state::{OrderKey, Shared};
use std::sync::Arc;

/// Schedules the next simulated status change of order `key`, if it has one. The delay counts
/// from the order's last change, so a restarted sandbox continues where the old one stopped.
pub(crate) fn schedule_next(shared: &Arc<Shared>, key: OrderKey) {
    let next = shared.with_state(|s| {
        let order = s.order(&key)?;
        let (to, step) = order.outcome.next(order.status)?;
        let elapsed = shared
            .now()
            .duration_since(order.last_change())
            .unwrap_or_default();
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

/// Moves order `key` from `from` to `to`: journal, notification, next step.
fn change_status(shared: &Arc<Shared>, key: OrderKey, from: Status, to: Status) {
    let notification = shared.with_state(|s| {
        if s.closed {
            return None;
        }
        let index = *s.index.get(&key)?;
        let order = s.orders.get_mut(index)?;
        if order.status != from {
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
        let url = order.notify_url.clone()?;
        let duplicate = s.duplicate_notify.contains(&key);
        Some((order, url, duplicate))
    });
    schedule_next(shared, key);
    let Some((order, url, duplicate)) = notification else {
        return;
    };
    let body = match crate::notify::body(shared, &order.app_id, &order.merchant_no, order.view()) {
        Ok(body) => body,
        Err(e) => {
            eprintln!("payermax-sandbox: cannot encode a notification: {e}");
            return;
        }
    };
    let sign = payermax_runtime::keys::sign(&shared.key, body.as_bytes());
    let index = shared.with_state(|s| {
        s.notifications.push(NotificationRecord {
            merchant_no: order.merchant_no.clone(),
            out_trade_no: order.out_trade_no.clone(),
            trade_no: order.trade_no.clone(),
            status: to,
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
