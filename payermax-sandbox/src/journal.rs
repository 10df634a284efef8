//! The state file: an append-only journal, one JSON object per line, so that a restarted
//! sandbox still knows its orders.
//!
//! ```text
//! {"event":"order_created","order":{"appId":…,"outTradeNo":…,"status":"PENDING",…}}
//! {"event":"status_changed","merchantNo":…,"outTradeNo":…,"status":"SUCCESS","at":"2026-01-02T03:04:05.678Z"}
//! {"event":"rfi_material","merchantNo":…,"outTradeNo":…,"at":"2026-01-02T03:04:05.678Z"}
//! ```
//!
//! An order is journaled before it exists in memory (a failed write refuses the order). A last
//! line cut short by a crash is dropped when the journal is opened; any other unreadable line
//! is an error. Notification deliveries are not journaled: after a restart, orders still on
//! their way to a final status settle (and notify) again, deliveries in progress are not resumed.

use crate::error::SandboxError;
use crate::order::{Order, Status};
use crate::time::rfc3339;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Event {
    OrderCreated {
        order: Box<Order>,
    },
    #[serde(rename_all = "camelCase")]
    StatusChanged {
        merchant_no: String,
        out_trade_no: String,
        status: Status,
        #[serde(with = "rfc3339")]
        at: SystemTime,
    },
    /// The material for an order's RFI came (`putRfiMaterialList`).
    #[serde(rename_all = "camelCase")]
    RfiMaterial {
        merchant_no: String,
        out_trade_no: String,
        #[serde(with = "rfc3339")]
        at: SystemTime,
    },
}

/// The open journal.
#[derive(Debug)]
pub(crate) struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates) the journal at `path` and reads the events already in it.
    pub(crate) fn open(path: &Path) -> Result<(Journal, Vec<Event>), SandboxError> {
        let fail = |message: String| SandboxError::State {
            path: path.to_owned(),
            message,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| fail(format!("cannot open: {e}")))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| fail(format!("cannot read: {e}")))?;
        // Everything after the last newline is a write a crash cut short.
        let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if complete < bytes.len() {
            file.set_len(complete as u64)
                .map_err(|e| fail(format!("cannot drop the incomplete last line: {e}")))?;
        }
        let mut events = Vec::new();
        let lines = bytes.get(..complete).unwrap_or_default();
        for (n, line) in lines.split(|&b| b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let event =
                serde_json::from_slice(line).map_err(|e| fail(format!("line {}: {e}", n + 1)))?;
            events.push(event);
        }
        Ok((
            Journal {
                file,
                path: path.to_owned(),
            },
            events,
        ))
    }

    /// Appends one event as one line, written with a single `write` call.
    pub(crate) fn append(&mut self, event: &Event) -> Result<(), SandboxError> {
        let mut line = serde_json::to_vec(event).map_err(|e| SandboxError::State {
            path: self.path.clone(),
            message: format!("cannot encode an event: {e}"),
        })?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .and_then(|()| self.file.flush())
            .map_err(|e| SandboxError::State {
                path: self.path.clone(),
                message: format!("cannot write: {e}"),
            })
    }
}
