//! [`LedgerError`]: what went wrong, and what to do next.

use std::fmt;

/// A payout as recorded, or as offered, shown in a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentSummary {
    /// `currency amount`, e.g. `BRL 10.5`.
    pub amount: String,
    /// The payee, account masked.
    pub payee: String,
    /// Batch, file and line, when known.
    pub origin: String,
}

impl fmt::Display for IntentSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.amount, self.payee)?;
        if !self.origin.is_empty() {
            write!(f, " ({})", self.origin)?;
        }
        Ok(())
    }
}

/// An order number already recorded for another payout (another payee, amount or detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentConflict {
    /// The order number.
    pub out_trade_no: String,
    /// What the ledger holds under it.
    pub recorded: IntentSummary,
    /// What was offered now.
    pub offered: IntentSummary,
    /// The recorded payout's status, when an order is known.
    pub status: Option<String>,
    /// How many times the recorded payout was sent.
    pub sends: u32,
}

impl fmt::Display for IntentConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "outTradeNo {} is recorded for {}; this request is {}: refused, nothing sent. ",
            self.out_trade_no, self.recorded, self.offered
        )?;
        match (&self.status, self.sends) {
            (Some(status), _) => write!(
                f,
                "The recorded payout is a PayerMax order (status {status}): its payee has been paid, or is being paid, the recorded amount under {}. Do not pay it again under another number; settle a correction with a separate payout for the difference",
                self.out_trade_no
            ),
            (None, 0) => write!(
                f,
                "The recorded payout was never sent. To send the corrected one, give it another batch name or its own outTradeNo"
            ),
            (None, _) => write!(
                f,
                "The recorded payout was sent ({} times) and its outcome is not known: it may have been paid. Run `payermax payout status --refresh` (or Ledger::refresh) before anything else",
                self.sends
            ),
        }
    }
}

/// Everything the ledger can refuse or fail at.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The ledger cannot be opened or created (a path, a permission, a server that does not
    /// answer). Connection strings are shown without their password.
    #[error("ledger {location}: cannot open it: {message}")]
    Open {
        /// The ledger's location, credentials removed.
        location: String,
        /// What failed.
        message: String,
    },
    /// The ledger exists but is damaged (truncated, overwritten, edited): it is refused rather
    /// than read as "nothing paid".
    #[error(
        "ledger {location} is damaged and was not used: {problem}. Nothing was sent. Restore it from a backup (or find out what overwrote it); never replace it with an empty ledger, which would forget what was paid"
    )]
    Corrupt {
        /// The ledger's location.
        location: String,
        /// What is wrong.
        problem: String,
    },
    /// The file or database is not a payout ledger.
    #[error("{location} is not a payermax ledger: {problem}. Nothing was sent")]
    NotALedger {
        /// The location.
        location: String,
        /// What it is instead.
        problem: String,
    },
    /// A database operation failed.
    #[error("ledger {location}: {context}: {message}")]
    Database {
        /// The ledger's location.
        location: String,
        /// What the ledger was doing.
        context: &'static str,
        /// The database's message (credentials removed).
        message: String,
    },
    /// The request data cannot be recorded (no `outTradeNo`, no amount).
    #[error("the payout cannot be recorded: {message}")]
    InvalidIntent {
        /// What is missing.
        message: String,
    },
    /// The order number is recorded for another payout; nothing was sent.
    #[error("{0}")]
    Conflict(Box<IntentConflict>),
    /// Another live worker is sending this payout right now.
    #[error("outTradeNo {out_trade_no} is being sent by another worker ({worker}); not sent again")]
    Busy {
        /// The order number.
        out_trade_no: String,
        /// The other worker.
        worker: String,
    },
    /// PayerMax holds an order under this number that this ledger never sent: it was placed by
    /// another program, an older version, or another ledger. Not recorded as paid, not sent.
    #[error(
        "outTradeNo {out_trade_no}: PayerMax already has an order under this number ({found}, status {status}) that this ledger never sent, and its payee cannot be compared (an inquiry does not return the payee). Not recorded as paid and not sent. If that order is this payout (placed before this ledger existed), run again with `--adopt-existing` (or Ledger::adopt) to record it as this payout's; otherwise this payout needs another number"
    )]
    ForeignOrder {
        /// The order number.
        out_trade_no: String,
        /// The existing order's currency and amount.
        found: String,
        /// The existing order's status.
        status: String,
        /// What PayerMax said about it.
        order: Box<crate::reports::Observation>,
    },
    /// PayerMax's order under this number has another amount or currency than the one this
    /// ledger recorded and sent.
    #[error(
        "outTradeNo {out_trade_no}: PayerMax's order under this number is for {found} (status {status}), but this ledger recorded {recorded}. Not recorded as paid. Investigate that order before paying this payee: the ledger cannot tell whether they were paid"
    )]
    OrderConflict {
        /// The order number.
        out_trade_no: String,
        /// PayerMax's order's currency and amount.
        found: String,
        /// Its status.
        status: String,
        /// What the ledger recorded.
        recorded: String,
    },
    /// The payout call failed; the ledger recorded the error and the order number is kept.
    #[error("outTradeNo {out_trade_no}: {source}")]
    Payout {
        /// The order number.
        out_trade_no: String,
        /// What the client said.
        #[source]
        source: payermax_runtime::Error,
    },
    /// The order number is not in the ledger.
    #[error("outTradeNo {out_trade_no} is not in the ledger")]
    NotRecorded {
        /// The order number.
        out_trade_no: String,
    },
}

impl LedgerError {
    /// The error is about one payout and the others can go on (a conflict, a refusal by
    /// PayerMax); `false` for errors of the ledger itself (damage, database failures).
    pub fn is_per_payout(&self) -> bool {
        matches!(
            self,
            LedgerError::InvalidIntent { .. }
                | LedgerError::Conflict(_)
                | LedgerError::Busy { .. }
                | LedgerError::ForeignOrder { .. }
                | LedgerError::OrderConflict { .. }
                | LedgerError::Payout { .. }
                | LedgerError::NotRecorded { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict(status: Option<&str>, sends: u32) -> String {
        IntentConflict {
            out_trade_no: "b_1".into(),
            recorded: IntentSummary {
                amount: "BRL 10".into(),
                payee: "BR PIX account …8901".into(),
                origin: "batch june, payouts.csv line 2".into(),
            },
            offered: IntentSummary {
                amount: "BRL 12".into(),
                payee: "BR PIX account …8901".into(),
                origin: String::new(),
            },
            status: status.map(str::to_owned),
            sends,
        }
        .to_string()
    }

    #[test]
    fn a_conflict_never_advises_a_new_number_when_the_recorded_payee_was_paid() {
        let paid = conflict(Some("SUCCESS"), 1);
        assert!(paid.contains("BRL 10 to BR PIX account …8901 (batch june, payouts.csv line 2)"));
        assert!(paid.contains("this request is BRL 12"), "{paid}");
        assert!(paid.contains("status SUCCESS"), "{paid}");
        assert!(paid.contains("Do not pay it again under another number"));
        assert!(!paid.contains("its own outTradeNo"), "{paid}");
        let unknown = conflict(None, 2);
        assert!(unknown.contains("may have been paid"), "{unknown}");
        assert!(!unknown.contains("its own outTradeNo"), "{unknown}");
        let never = conflict(None, 0);
        assert!(never.contains("never sent"), "{never}");
    }
}
