//! Paying many payees from one CSV file, on the payout [`ledger`](crate::ledger):
//! [`check_file`] reads and checks every row (and the ledger) before anything is sent,
//! [`pay_checked`] records each row's intent and pays it at most once, with bounded
//! concurrency, and [`export_csv`] writes where every row stands. `payermax payout --csv FILE
//! --batch NAME` is this module on the command line.
//!
//! ```no_run
//! # async fn demo(client: payermax::Client) -> Result<(), payermax::bulk::BulkError> {
//! use payermax::bulk::{self, BulkOptions, RowIds};
//! use payermax::ledger::Ledger;
//! use std::path::Path;
//!
//! let ledger = Ledger::open("payermax-ledger.sqlite").await?;
//! let options = BulkOptions::new(RowIds::Batch("2026-06-payroll".into()));
//! let checked = bulk::check_file(Path::new("payouts.csv"), &ledger, &options).await?; // every invalid row, or none
//! let summary = bulk::pay_checked(&client, &ledger, &checked, &options, &|event| eprintln!("{event}")).await?;
//! println!("{summary}");
//! # Ok(()) }
//! ```
//!
//! # The payee file
//!
//! CSV with a header row, one payee per row. A column's name is the JSON path of a field of
//! the `paymentOrderPay` request `data`, nested names joined by dots:
//!
//! ```text
//! country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName
//! BR,25.50,BRL,REALTIME_PAYMENT,PIX,12345678901,Maria Silva
//! BR,10,BRL,REALTIME_PAYMENT,PIX,98765432100,João Souza
//! ```
//!
//! - Any field of the request that is not a list may be a column ([`columns`] lists them all);
//!   columns come in any order. An unknown or repeated column name is an error: a typo would
//!   otherwise silently drop a field from every payout. A name that does not look like a
//!   column (a key file given by mistake) is not echoed.
//! - Cells are trimmed. An empty cell is not sent (a nested object whose cells are all empty is
//!   not sent either), so one file can mix countries and methods that need different fields.
//! - Values are sent as JSON strings, except fields whose spec type is `integer`.
//! - Rows are numbered from 1; the header is not a row. Reports give the row, and the line
//!   of the file where it starts (they differ when a quoted cell spans lines).
//!
//! # Order numbers: a row's identity
//!
//! A non-empty `outTradeNo` cell is used as it is. Otherwise ([`RowIds`]):
//! - **`RowIds::Batch(name)`** (`--batch 2026-06-payroll`): the number is derived from the
//!   batch name, the payee's identity (country, method, organisation, bank code, account) and
//!   the occurrence of that payee in the batch ([`ledger::derive_out_trade_no`](crate::ledger::derive_out_trade_no)).
//!   It does not depend on the file's name or the row's position: copying, renaming, sorting or
//!   inserting rows gives every payee the same number again (the ledger and PayerMax know it),
//!   and another batch name gives every payee another one (July never collides with June).
//! - **`RowIds::Legacy`** (`--legacy-ids`): `<file stem>_r<row>` ([`derived_out_trade_no`]),
//!   as versions before the ledger derived them. Only to finish files those versions started:
//!   their orders are found under the old numbers (`--adopt-existing` records them).
//! - Neither: every row must have its `outTradeNo`, or [`check_file`] refuses the file and says
//!   what to add.
//!
//! # What is checked before anything is sent
//!
//! [`check_file`] reads the file once, keeping only a few bytes per row (memory does not grow
//! with the rows' size): the header; every row against the spec (API-wide rules and the rules of
//! the row's country and method); the number of cells; order numbers used twice; and every row
//! against the ledger. A row whose order number the ledger holds for another payout (another
//! payee, amount or detail: a corrected amount after a crash) is refused with both versions and
//! the recorded order's status ([`IntentConflict`]); it is never
//! sent under a new number. All problems come back together as [`BulkError::Invalid`]; nothing
//! is sent from a file with any of them.
//!
//! **Duplicate-payment guard.** A row whose payee, amount and currency match a payout the
//! ledger recorded from *another* batch within [`BulkOptions::repeat_window`] (7 days by
//! default), and whose order did not fail, is held back ([`CheckedFile::held`]) and reported
//! with the earlier batch and date; [`BulkOptions::allow_repeat`] sends it. So running a copy
//! of a paid file under a new batch name pays nobody twice by accident.
//!
//! # Paying
//!
//! [`pay_checked`] reads the file again. It refuses to go on if a row differs from what was
//! checked (the file was edited meanwhile). Rows are recorded in the ledger in chunks **before**
//! any of them is sent, then each is claimed, sent with
//! [`Client::pay_idempotent`](crate::Client::pay_idempotent)'s runtime call, and its outcome
//! appended, at most `concurrency` at once. A row the ledger already knows an order for is not
//! sent. A row claimed by another live process working the same ledger is left to it and
//! waited for; a claim left by a dead process is taken over. Unknown outcomes are resolved by
//! inquiry under the same number; each long wait is reported ([`BulkEvent::Waiting`]).
//!
//! The results file of earlier versions is gone: the ledger is the record, and
//! [`export_csv`] writes where each payout stands ([`EXPORT_COLUMNS`]).

use crate::Client;
use crate::ledger::{
    Intent, IntentConflict, Ledger, LedgerError, Origin, PaidBy, PayeeIdentity, PayoutRecord,
    Recorded, Repeat,
};
use futures_util::{StreamExt, TryStreamExt};
use payermax_runtime::{PayEvent, PayoutCalls};
use payermax_spec::plan::{Kind, Plan};
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The columns of [`export_csv`], in order.
pub const EXPORT_COLUMNS: [&str; 14] = [
    "outTradeNo",
    "batch",
    "file",
    "line",
    "payee",
    "amount",
    "currency",
    "status",
    "subStatus",
    "tradeNo",
    "sends",
    "updated",
    "source",
    "error",
];

/// The longest `outTradeNo` PayerMax accepts.
pub const OUT_TRADE_NO_MAX_LEN: usize = 63;

/// The column that holds the order number.
const OUT_TRADE_NO: &str = "outTradeNo";

/// How many rows are recorded in one ledger transaction, and checked in one ledger query.
const CHUNK: usize = 256;

/// Problems kept for the report; the rest are counted.
const MAX_PROBLEMS: usize = 1000;

/// The api names of the payout, for the runtime.
pub(crate) const CALLS: PayoutCalls<'static> = PayoutCalls {
    pay: "paymentOrderPay",
    query: "paymentOrderQry",
};

/// A column of a payee file: a field of the payout request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The JSON path relative to `data`, e.g. `payeeInfo.accountInfo.accountNo`.
    pub path: String,
    /// The field is a JSON integer (spec type `integer`); every other column is a string.
    pub integer: bool,
    /// The spec requires it for every payout.
    pub required: bool,
    /// The spec's one-line description.
    pub doc: Option<String>,
}

/// Every column a payee file may have: the payout request's fields that are not lists, in the
/// spec's order, with the spec's descriptions (read from the built-in spec's text once: a
/// listing for people; checking and paying a file read the rule plan only).
///
/// ```
/// let columns = payermax::bulk::columns();
/// assert!(columns.iter().any(|c| c.path == "payeeInfo.accountInfo.accountNo"));
/// ```
pub fn columns() -> Vec<Column> {
    let spec = payermax_spec::builtin().ok();
    let mut out = Vec::new();
    columns_of(crate::loaded_plan(), &mut |column, ty, field| {
        let doc = spec
            .as_ref()
            .and_then(|s| s.api.types.get(ty)?.fields.get(field)?.doc.clone());
        out.push(Column { doc, ..column });
    });
    out
}

/// The columns of the plan's payout request, each with its field's place in the plan (type
/// and field number), by numbers: no path is looked up by name.
fn columns_of(plan: &Plan, each: &mut dyn FnMut(Column, usize, usize)) {
    fn walk(
        plan: &Plan,
        ty: usize,
        prefix: &str,
        required: bool,
        depth: usize,
        each: &mut dyn FnMut(Column, usize, usize),
    ) {
        let Some(def) = plan.types.get(ty) else {
            return;
        };
        for (number, field) in def.fields.iter().enumerate() {
            if field.list {
                continue;
            }
            let path = if prefix.is_empty() {
                field.name.clone()
            } else {
                format!("{prefix}.{}", field.name)
            };
            let required = required && field.required;
            match field.kind {
                // The spec's types nest a few levels; the bound only guards against a cycle.
                Kind::Object(inner) if depth < 8 => {
                    walk(plan, inner, &path, required, depth + 1, each);
                }
                Kind::Object(_) => {}
                kind => each(
                    Column {
                        path,
                        integer: kind == Kind::Integer,
                        required,
                        doc: None,
                    },
                    ty,
                    number,
                ),
            }
        }
    }
    if let Some(root) = plan.payout {
        walk(plan, root, "", true, 0, each);
    }
}

/// The order number versions before the ledger derived for row `row` (from 1) of a file named
/// `file_name`: `<stem>_r<row>`, or `<stem'>_<hash>_r<row>` when the stem had to be changed
/// to fit `[A-Za-z0-9_]{1,63}` (`hash`: 8 hex digits of the SHA-256 of the exact stem). It
/// depends on the file's name and the row's position, which is why it is kept only for
/// [`RowIds::Legacy`].
///
/// ```
/// use payermax::bulk::derived_out_trade_no;
/// assert_eq!(derived_out_trade_no("june_payouts.csv", 7), "june_payouts_r7");
/// assert_eq!(derived_out_trade_no("/data/2024-06.csv", 12), "2024_06_55f2d845_r12");
/// ```
pub fn derived_out_trade_no(file_name: &str, row: usize) -> String {
    let stem = Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix = format!("_r{row}");
    let room = OUT_TRADE_NO_MAX_LEN.saturating_sub(suffix.len());
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if !stem.is_empty() && stem.len() <= room && stem.chars().all(plain) {
        return stem + &suffix;
    }
    let digest = Sha256::digest(stem.as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let room = room.saturating_sub(hash.len() + 1);
    let mut id: String = stem
        .chars()
        .map(|c| if plain(c) { c } else { '_' })
        .take(room)
        .collect();
    if id.is_empty() {
        id.push_str("payout");
    }
    id.push('_');
    id.push_str(&hash);
    id.push_str(&suffix);
    id
}

/// How rows without an `outTradeNo` cell get their order number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowIds {
    /// From the batch name, the payee and its occurrence in the batch (the default way).
    Batch(String),
    /// `<file stem>_r<row>`, as versions before the ledger did; to finish their files.
    Legacy,
    /// Every row must have its own `outTradeNo`.
    OwnOnly,
}

/// The rules rows are checked by: the built-in spec's ([`Rules::builtin`], the default), or
/// those of a spec loaded with extension files (`payermax payout --extend`).
#[derive(Clone, Copy)]
pub struct Rules(&'static Plan);

impl Rules {
    /// The built-in spec's rules (what `generate!()` embedded).
    pub fn builtin() -> Rules {
        Rules(crate::loaded_plan())
    }

    /// The rules of a loaded spec's plan (`&spec.plan`, kept for the process: leak a boxed
    /// spec, or keep it in a `static`).
    pub fn from_plan(plan: &'static Plan) -> Rules {
        Rules(plan)
    }
}

impl PartialEq for Rules {
    fn eq(&self, other: &Rules) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let builtin = std::ptr::eq(self.0, crate::loaded_plan());
        f.write_str(if builtin {
            "Rules(built-in)"
        } else {
            "Rules(loaded)"
        })
    }
}

/// How a bulk run checks and pays.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkOptions {
    /// Order numbers of rows without one.
    pub ids: RowIds,
    /// A batch name recorded with every row, when `ids` is not `Batch` (which names it).
    pub batch: Option<String>,
    /// How far back the duplicate-payment guard looks. Default 7 days.
    pub repeat_window: Duration,
    /// Send rows the guard would hold back.
    pub allow_repeat: bool,
    /// Record an order PayerMax already had under a row's number, on the ledger's first send,
    /// as that row's when its amount and currency are the row's (files paid by versions before
    /// the ledger). Off by default: such an order's payee cannot be compared.
    pub adopt_existing: bool,
    /// How many rows are paid at the same time (`0` counts as 1). Default 8.
    pub concurrency: usize,
    /// The rules the rows are checked by. Default: the built-in spec's.
    pub rules: Rules,
}

impl BulkOptions {
    /// The defaults, with `ids`.
    pub fn new(ids: RowIds) -> BulkOptions {
        BulkOptions {
            ids,
            batch: None,
            repeat_window: Duration::from_secs(7 * 24 * 3600),
            allow_repeat: false,
            adopt_existing: false,
            concurrency: 8,
            rules: Rules::builtin(),
        }
    }

    /// The batch the rows are recorded under: the batch name, or one made from the file name.
    fn batch_label(&self, file_name: &str) -> String {
        match (&self.ids, &self.batch) {
            (RowIds::Batch(name), _) => name.clone(),
            (_, Some(name)) => name.clone(),
            (RowIds::Legacy, None) => format!("legacy:{file_name}"),
            (RowIds::OwnOnly, None) => format!("file:{file_name}"),
        }
    }
}

/// Something wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The row number, from 1.
    pub row: usize,
    /// The line of the file where the row starts.
    pub line: u64,
    /// The JSON path of the field (the column), empty for the row as a whole.
    pub path: String,
    /// A stable code: the spec's violation codes (`required`, `pattern`, `amount_precision`,
    /// …), `cells` for a row with the wrong number of cells, `duplicate` for an order number
    /// used twice, `conflict` for an order number the ledger holds for another payout,
    /// `intent` for a row the ledger cannot record (no decimal amount, say).
    pub code: &'static str,
    /// What is wrong, in English.
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} (line {}): ", self.row, self.line)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// Why a payee file cannot be paid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BulkError {
    /// The payee file cannot be opened or read.
    #[error("cannot read {}: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The payee file is not well-formed CSV.
    #[error("{file}: not a readable CSV file: {message}")]
    Csv {
        /// The file name.
        file: String,
        /// What the CSV reader said, with the position.
        message: String,
    },
    /// Column names that are not fields of the payout request, or repeated.
    #[error(
        "{file}: the header is not usable; nothing was sent:\n{}\ncolumn names are the JSON paths of the paymentOrderPay request data, e.g. payeeInfo.accountInfo.accountNo",
        bullets(problems)
    )]
    Header {
        /// The file name.
        file: String,
        /// One sentence per bad column.
        problems: Vec<String>,
    },
    /// The file has a header but no row.
    #[error("{file}: there is no payee row under the header; nothing was sent")]
    NoRows {
        /// The file name.
        file: String,
    },
    /// Rows that break the spec's rules or conflict with the ledger; nothing was sent.
    #[error(
        "{file}: {} of {rows} rows cannot be paid; nothing was sent. Fix these:\n{}{}",
        invalid_rows(problems),
        bullets(problems),
        omitted_note(*omitted)
    )]
    Invalid {
        /// The file name.
        file: String,
        /// How many rows the file has.
        rows: usize,
        /// The problems, by row, then by path (the first 1000).
        problems: Vec<RowProblem>,
        /// Problems not listed.
        omitted: usize,
    },
    /// Rows without an order number and no way to derive one.
    #[error(
        "{file}: {rows} rows have no outTradeNo; nothing was sent. Name the batch these payouts belong to, e.g. `--batch 2026-06-payroll` (each payee's order number is then derived from the batch name and the payee, whatever the file is called or where the row is), or fill in an outTradeNo column. A file partly paid by a version before the ledger (order numbers <file stem>_r<row>) is finished with `--legacy-ids --adopt-existing`"
    )]
    NoIds {
        /// The file name.
        file: String,
        /// How many rows lack one.
        rows: usize,
    },
    /// The file changed between the check and the payment.
    #[error(
        "{file}: row {row} (line {line}) is not what was checked a moment ago (the file was edited or replaced while running); stopped. Rows sent before it are in the ledger; run again to check the file as it is now"
    )]
    Changed {
        /// The file name.
        file: String,
        /// The row.
        row: usize,
        /// Its line.
        line: u64,
    },
    /// The payout account cannot cover the rows to send (`currentBalanceQuery` before the
    /// first send); nothing was sent.
    #[error(
        "{file}: the payout balance does not cover the rows to send; nothing was sent:\n{}\ntop up the payout (DISBURSEMENT) account, or pay part of the file",
        bullets(shortfalls)
    )]
    Balance {
        /// The file name.
        file: String,
        /// Per currency short.
        shortfalls: Vec<Shortfall>,
    },
    /// The ledger failed or refused (damaged, unreachable).
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The export could not be written.
    #[error("cannot write the export {}: {source}", file.display())]
    Export {
        /// The file.
        file: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
}

/// A currency whose rows to send need more than the payout account holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// ISO 4217.
    pub currency: String,
    /// The sum of the rows to send in it.
    pub needed: String,
    /// The balance PayerMax reported.
    pub available: String,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the rows to send need {} {}, the payout account holds {} {}",
            self.currency, self.needed, self.currency, self.available, self.currency
        )
    }
}

fn bullets<T: fmt::Display>(items: &[T]) -> String {
    let lines: Vec<String> = items.iter().map(|i| format!("  {i}")).collect();
    lines.join("\n")
}

fn invalid_rows(problems: &[RowProblem]) -> usize {
    problems.iter().map(|p| p.row).collect::<HashSet<_>>().len()
}

fn omitted_note(omitted: usize) -> String {
    if omitted == 0 {
        String::new()
    } else {
        format!("\n  … and {omitted} more problems not shown")
    }
}

/// A row held back by the duplicate-payment guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRow {
    /// The row.
    pub row: usize,
    /// Its line.
    pub line: u64,
    /// The order number it would have.
    pub out_trade_no: String,
    /// The payee, account masked.
    pub payee: String,
    /// `currency amount`.
    pub amount: String,
    /// The earlier payouts it matches.
    pub earlier: Vec<Repeat>,
}

impl fmt::Display for HeldRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {} (line {}): {} to {} was already paid",
            self.row, self.line, self.amount, self.payee
        )?;
        for e in &self.earlier {
            let when = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(e.created_ms)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            write!(
                f,
                " in batch {} on {when} (outTradeNo {}, {})",
                e.batch.as_deref().unwrap_or("(none)"),
                e.out_trade_no,
                e.status.as_deref().unwrap_or("no order known yet")
            )?;
        }
        f.write_str("; held back, not sent (use --allow-repeat to send it)")
    }
}

/// A payee file checked against the spec and the ledger, ready for [`pay_checked`].
#[derive(Debug, Clone)]
pub struct CheckedFile {
    path: PathBuf,
    name: String,
    batch: String,
    rows: usize,
    /// Per row (index row - 1): the hashes of its order number and fingerprint as checked
    /// (`(0, 0)` for a row without either). 16 bytes a row, whatever the row's size.
    digests: Vec<(u64, u64)>,
    /// Hashes of the payees that appear more than once in the file (the only ones whose
    /// occurrences must be counted).
    repeated: HashSet<u64>,
    recorded: usize,
    with_order: BTreeMap<String, usize>,
    held: Vec<HeldRow>,
    first_ids: Vec<String>,
    /// The first [`MAX_PROBLEMS`] advisory violations, and how many there were.
    warnings: Vec<RowProblem>,
    warning_count: usize,
    /// Per currency, the sum of the rows this run would send (not yet sent, not held back).
    to_send: BTreeMap<String, rust_decimal::Decimal>,
}

impl CheckedFile {
    /// Advisory violations of rows that are otherwise fine (the first 1,000): rules resting on
    /// an example or a guess. They never hold a row back; look at them before paying.
    pub fn warnings(&self) -> &[RowProblem] {
        &self.warnings
    }

    /// How many advisory violations the file has in all.
    pub fn warning_count(&self) -> usize {
        self.warning_count
    }

    /// Per currency, what the rows this run would send add up to (rows already sent and rows
    /// held back left out), as decimal text.
    pub fn totals_to_send(&self) -> BTreeMap<String, String> {
        self.to_send
            .iter()
            .map(|(c, d)| (c.clone(), d.normalize().to_string()))
            .collect()
    }

    /// The file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The batch its rows are recorded under.
    pub fn batch(&self) -> &str {
        &self.batch
    }

    /// How many rows it has.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Rows the ledger already records (same payout), whether or not they were sent.
    pub fn recorded(&self) -> usize {
        self.recorded
    }

    /// Rows the ledger already knows an order for, by status.
    pub fn with_order(&self) -> &BTreeMap<String, usize> {
        &self.with_order
    }

    /// Rows held back by the duplicate-payment guard.
    pub fn held(&self) -> &[HeldRow] {
        &self.held
    }

    /// The order numbers of the first rows (at most 3), to show.
    pub fn first_ids(&self) -> &[String] {
        &self.first_ids
    }
}

/// A stream of records of a payee file: the header's layout, then each row's data.
struct Rows {
    plan: &'static Plan,
    file: String,
    layout: Vec<Column>,
    reader: csv::Reader<File>,
    record: csv::StringRecord,
    row: usize,
}

/// One row as read: its number, line, cell count check and request data (without a derived
/// order number).
struct RawRow {
    row: usize,
    line: u64,
    cells_ok: Option<(usize, usize)>,
    data: Map<String, Value>,
}

impl Rows {
    fn open(plan: &'static Plan, path: &Path) -> Result<Rows, BulkError> {
        let handle = File::open(path).map_err(|source| BulkError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(handle);
        let header = reader.headers().map_err(|e| csv_error(&file, &e))?.clone();
        let mut known = Vec::new();
        columns_of(plan, &mut |column, _, _| known.push(column));
        let mut layout = Vec::with_capacity(header.len());
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                problems.push(format!("column {} has no name", i + 1));
            } else if !looks_like_column(name) {
                problems.push(format!(
                    "column {} is not a field of the payout request (its name is not shown: it does not look like a column name; is this the payee file?)",
                    i + 1
                ));
            } else if !seen.insert(name) {
                problems.push(format!("column `{name}` appears twice"));
            } else if let Some(column) = known.iter().find(|c| c.path == name) {
                layout.push(column.clone());
                continue;
            } else {
                problems.push(unknown_column(name, &known));
            }
        }
        if !problems.is_empty() {
            return Err(BulkError::Header { file, problems });
        }
        Ok(Rows {
            plan,
            file,
            layout,
            reader,
            record: csv::StringRecord::new(),
            row: 0,
        })
    }

    fn next(&mut self) -> Result<Option<RawRow>, BulkError> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.row += 1;
                let line = self.record.position().map_or(0, |p| p.line());
                let cells_ok = (self.record.len() != self.layout.len())
                    .then_some((self.record.len(), self.layout.len()));
                let mut data = row_data(&self.layout, &self.record);
                electronic(self.plan, &mut data);
                Ok(Some(RawRow {
                    row: self.row,
                    line,
                    cells_ok,
                    data,
                }))
            }
            Err(e) => Err(csv_error(&self.file, &e)),
        }
    }
}

fn csv_error(file: &str, e: &csv::Error) -> BulkError {
    // The CSV reader's messages give positions, never cell contents.
    BulkError::Csv {
        file: file.to_owned(),
        message: e.to_string(),
    }
}

/// A column name is a dotted path of identifiers; anything else (a key's base64, a PEM line)
/// is never echoed.
fn looks_like_column(name: &str) -> bool {
    name.len() <= 80
        && name.split('.').all(|part| {
            // The spec's field names are short words; a key's base64 is one long run.
            (1..=40).contains(&part.len())
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

fn unknown_column(name: &str, known: &[Column]) -> String {
    let closest = known
        .iter()
        .map(|c| (strsim::jaro_winkler(name, &c.path), c))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match closest {
        Some((_, c)) => format!(
            "column `{name}` is not a field of the payout request (did you mean `{}`?)",
            c.path
        ),
        None => format!("column `{name}` is not a field of the payout request"),
    }
}

/// The request `data` of one record: non-empty cells at their paths.
fn row_data(layout: &[Column], record: &csv::StringRecord) -> Map<String, Value> {
    let mut data = Map::new();
    for (column, cell) in layout.iter().zip(record.iter()) {
        if cell.is_empty() {
            continue;
        }
        let value = match cell.parse::<i64>() {
            Ok(n) if column.integer => Value::from(n),
            // Not an integer where one is expected: sent as text, so the spec reports it.
            _ => Value::String(cell.to_owned()),
        };
        insert_at(&mut data, &column.path, value);
    }
    data
}

/// IBANs and BICs written in print format (`DE89 3704 0044 0532 0130 00`, lower case) turned
/// into the electronic format PayerMax takes, as the typed payee builders do: the fields of
/// the method the row selects whose named check has a print format. Applied when a row is
/// read, so the check, the ledger's record and the payout all see the same value.
fn electronic(plan: &Plan, data: &mut Map<String, Value>) {
    let doc = Value::Object(std::mem::take(data));
    let fixes: Vec<(&str, String)> = match plan.select(&doc) {
        Ok(Some(selection)) => selection
            .method
            .rules
            .iter()
            .filter_map(|rule| {
                let path = plan.path(rule.path)?;
                let value = payermax_spec::doc::lookup(&doc, &path.text);
                Some((path.text.as_str(), rule.check?.electronic(value.as_str()?)?))
            })
            .collect(),
        _ => Vec::new(),
    };
    if let Value::Object(map) = doc {
        *data = map;
    }
    for (path, value) in fixes {
        insert_at(data, path, Value::String(value));
    }
}

/// Sets `path` (dot-separated) in `root`, creating the objects on the way.
fn insert_at(root: &mut Map<String, Value>, path: &str, value: Value) {
    let mut map = root;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            map.insert(part.to_owned(), value);
            return;
        }
        let entry = map
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(next) = entry else {
            return;
        };
        map = next;
    }
}

fn hash64(text: &str) -> u64 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    for (slot, b) in first.iter_mut().zip(digest.iter()) {
        *slot = *b;
    }
    u64::from_le_bytes(first)
}

/// Gives rows their order numbers, the same way in both passes.
struct Numbering<'o> {
    options: &'o BulkOptions,
    file: String,
    /// Payees (hashed) that appear more than once; every other payee's occurrence is 1.
    repeated: &'o HashSet<u64>,
    occurrences: HashMap<u64, u64>,
}

impl Numbering<'_> {
    /// The row's order number, or `None` when it has none and none can be derived.
    fn number(&mut self, raw: &mut RawRow) -> Option<String> {
        if let Some(own) = raw.data.get(OUT_TRADE_NO).and_then(Value::as_str) {
            return Some(own.to_owned());
        }
        let id = match &self.options.ids {
            RowIds::Batch(batch) => {
                let payee = PayeeIdentity::of(&Value::Object(raw.data.clone()));
                let key = hash64(&payee.key());
                let n = if self.repeated.contains(&key) {
                    let n = self.occurrences.entry(key).or_insert(0);
                    *n += 1;
                    *n
                } else {
                    1
                };
                crate::ledger::derive_out_trade_no(batch, &payee, n)
            }
            RowIds::Legacy => derived_out_trade_no(&self.file, raw.row),
            RowIds::OwnOnly => return None,
        };
        raw.data
            .insert(OUT_TRADE_NO.to_owned(), Value::String(id.clone()));
        Some(id)
    }
}

fn origin(batch: &str, file: &str, line: u64) -> Origin {
    Origin {
        batch: Some(batch.to_owned()),
        file: Some(file.to_owned()),
        line: Some(line),
    }
}

/// Reads and checks the payee file at `path` against the spec and `ledger`; sends nothing and
/// records nothing. Every problem of every row comes back at once ([`BulkError::Invalid`]);
/// rows without an order number and no [`RowIds`] to derive one are [`BulkError::NoIds`].
pub async fn check_file(
    path: &Path,
    ledger: &Ledger,
    options: &BulkOptions,
) -> Result<CheckedFile, BulkError> {
    check_with(options.rules.0, path, ledger, options).await
}

async fn check_with(
    plan: &'static Plan,
    path: &Path,
    ledger: &Ledger,
    options: &BulkOptions,
) -> Result<CheckedFile, BulkError> {
    let repeated = match options.ids {
        RowIds::Batch(_) => repeated_payees(plan, path)?,
        RowIds::Legacy | RowIds::OwnOnly => HashSet::new(),
    };
    let mut rows = Rows::open(plan, path)?;
    let file = rows.file.clone();
    let batch = options.batch_label(&file);
    let mut numbering = Numbering {
        options,
        file: file.clone(),
        repeated: &repeated,
        occurrences: HashMap::new(),
    };
    let mut lines: Vec<u32> = Vec::new();
    let mut checked = CheckedFile {
        path: path.to_path_buf(),
        name: file.clone(),
        batch: batch.clone(),
        rows: 0,
        digests: Vec::new(),
        repeated: HashSet::new(),
        recorded: 0,
        with_order: BTreeMap::new(),
        held: Vec::new(),
        first_ids: Vec::new(),
        warnings: Vec::new(),
        warning_count: 0,
        to_send: BTreeMap::new(),
    };
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut omitted = 0usize;
    let mut no_ids = 0usize;
    let mut push = |problems: &mut Vec<RowProblem>, p: RowProblem| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(p);
        } else {
            omitted += 1;
        }
    };
    let mut chunk: Vec<(usize, u64, Intent)> = Vec::with_capacity(CHUNK);
    loop {
        let next = rows.next()?;
        let end = next.is_none();
        if let Some(mut raw) = next {
            checked.rows = raw.row;
            let (row, line) = (raw.row, raw.line);
            checked.digests.push((0, 0));
            lines.push(u32::try_from(line).unwrap_or(u32::MAX));
            let problem = |path: &str, code, message: String| RowProblem {
                row,
                line,
                path: path.to_owned(),
                code,
                message,
            };
            if let Some((cells, columns)) = raw.cells_ok {
                push(
                    &mut problems,
                    problem(
                        "",
                        "cells",
                        format!("has {cells} cells, the header has {columns} columns"),
                    ),
                );
            }
            let id = numbering.number(&mut raw);
            let data = Value::Object(raw.data);
            let mut reported = false;
            for v in plan.validate_payout(&data) {
                // A missing order number is reported once for the file (`NoIds`), with what
                // to add, not as a broken rule of every row.
                if id.is_none() && v.path == OUT_TRADE_NO && v.code == "required" {
                    continue;
                }
                if v.is_advisory() {
                    // A warning: the row is paid as it is.
                    checked.warning_count += 1;
                    if checked.warnings.len() < MAX_PROBLEMS {
                        checked.warnings.push(problem(&v.path, v.code, v.message));
                    }
                    continue;
                }
                reported = true;
                push(&mut problems, problem(&v.path, v.code, v.message));
            }
            let Some(id) = id else {
                no_ids += 1;
                continue;
            };
            if checked.first_ids.len() < 3 {
                checked.first_ids.push(id.clone());
            }
            let intent = match Intent::new(data, origin(&batch, &file, line)) {
                Ok(intent) => intent,
                Err(e) => {
                    // Usually the spec's report already says what is wrong (the amount); if
                    // not, the row is still refused, never skipped.
                    if !reported {
                        push(&mut problems, problem("", "intent", e.to_string()));
                    }
                    continue;
                }
            };
            if let Some(slot) = checked.digests.last_mut() {
                *slot = (hash64(&id), hash64(intent.fingerprint()));
            }
            chunk.push((row, line, intent));
        }
        if chunk.len() >= CHUNK || (end && !chunk.is_empty()) {
            check_chunk(ledger, options, &mut chunk, &mut checked, &mut |p| {
                push(&mut problems, p)
            })
            .await?;
        }
        if end {
            break;
        }
    }
    if checked.rows == 0 {
        return Err(BulkError::NoRows { file });
    }
    drop(numbering);
    // Order numbers used twice: sorted, equal neighbours (no map of every number is kept).
    let mut numbers: Vec<(u64, u32)> = checked
        .digests
        .iter()
        .zip(1u32..)
        .filter(|((id, _), _)| *id != 0)
        .map(|((id, _), row)| (*id, row))
        .collect();
    numbers.sort_unstable();
    for pair in numbers.windows(2) {
        if let [(a, first), (b, again)] = pair {
            if a == b {
                let line = lines.get(*again as usize - 1).copied().map_or(0, u64::from);
                push(
                    &mut problems,
                    RowProblem {
                        row: *again as usize,
                        line,
                        path: OUT_TRADE_NO.to_owned(),
                        code: "duplicate",
                        message: format!(
                            "its order number is also the order number of row {first}: each row needs its own"
                        ),
                    },
                );
            }
        }
    }
    drop(numbers);
    drop(lines);
    checked.repeated = repeated;
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return Err(BulkError::Invalid {
            file,
            rows: checked.rows,
            problems,
            omitted,
        });
    }
    if no_ids > 0 {
        return Err(BulkError::NoIds { file, rows: no_ids });
    }
    Ok(checked)
}

/// The payees (hashed) of rows without their own order number that appear more than once in
/// the file: a first, light pass (8 bytes a row, freed at once) so that the check counts
/// occurrences only for them.
fn repeated_payees(plan: &'static Plan, path: &Path) -> Result<HashSet<u64>, BulkError> {
    let mut rows = Rows::open(plan, path)?;
    let mut keys = Vec::new();
    while let Some(raw) = rows.next()? {
        if raw.data.get(OUT_TRADE_NO).is_none() {
            keys.push(hash64(&PayeeIdentity::of(&Value::Object(raw.data)).key()));
        }
    }
    keys.sort_unstable();
    Ok(keys
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if a == b => Some(*a),
            _ => None,
        })
        .collect())
}

/// Checks a chunk of rows against the ledger: conflicts, already recorded, repeats.
async fn check_chunk(
    ledger: &Ledger,
    options: &BulkOptions,
    chunk: &mut Vec<(usize, u64, Intent)>,
    checked: &mut CheckedFile,
    push: &mut dyn FnMut(RowProblem),
) -> Result<(), BulkError> {
    let ids: Vec<String> = chunk
        .iter()
        .map(|(_, _, i)| i.out_trade_no().to_owned())
        .collect();
    let recorded: HashMap<String, PayoutRecord> = ledger
        .payouts_by_number(&ids)
        .await?
        .into_iter()
        .map(|r| (r.out_trade_no.clone(), r))
        .collect();
    let mut fresh = Vec::new();
    let add = |checked: &mut CheckedFile, intent: &Intent, sign: rust_decimal::Decimal| {
        if let Ok(amount) = intent.amount().parse::<rust_decimal::Decimal>() {
            *checked
                .to_send
                .entry(intent.currency().to_owned())
                .or_default() += sign * amount;
        }
    };
    for (row, line, intent) in chunk.drain(..) {
        match recorded.get(intent.out_trade_no()) {
            Some(r) if r.fingerprint == intent.fingerprint() => {
                checked.recorded += 1;
                if let Some(status) = &r.status {
                    *checked.with_order.entry(status.clone()).or_default() += 1;
                } else {
                    // Recorded, never answered with an order: this run sends it.
                    add(checked, &intent, rust_decimal::Decimal::ONE);
                }
            }
            Some(r) => push(RowProblem {
                row,
                line,
                path: OUT_TRADE_NO.to_owned(),
                code: "conflict",
                message: IntentConflict::between(r, &intent).to_string(),
            }),
            None if !options.allow_repeat => {
                add(checked, &intent, rust_decimal::Decimal::ONE);
                fresh.push((row, line, intent));
            }
            None => add(checked, &intent, rust_decimal::Decimal::ONE),
        }
    }
    if fresh.is_empty() {
        return Ok(());
    }
    let intents: Vec<Intent> = fresh.iter().map(|(_, _, i)| i.clone()).collect();
    let repeats = ledger
        .find_repeats_many(&intents, options.repeat_window)
        .await?;
    for ((row, line, intent), earlier) in fresh.into_iter().zip(repeats) {
        if !earlier.is_empty() {
            add(checked, &intent, rust_decimal::Decimal::NEGATIVE_ONE);
            checked.held.push(HeldRow {
                row,
                line,
                out_trade_no: intent.out_trade_no().to_owned(),
                payee: intent.payee().to_string(),
                amount: format!("{} {}", intent.currency(), intent.amount()),
                earlier,
            });
        }
    }
    Ok(())
}

/// Before the first send: the rows to send, per currency, against the payout (DISBURSEMENT)
/// account's balance (`currentBalanceQuery`). A currency short is [`BulkError::Balance`],
/// naming each shortfall, and nothing is sent. Tolerant where PayerMax says nothing: a
/// currency the answer does not list is not checked (its payouts are refused one by one if
/// unfunded), and a balance that cannot be read is [`BulkEvent::BalanceUnknown`], not a stop.
async fn check_funds(
    client: &Client,
    checked: &CheckedFile,
    on_event: &(dyn Fn(BulkEvent) + Send + Sync),
) -> Result<(), BulkError> {
    let needed: Vec<(&String, &rust_decimal::Decimal)> = checked
        .to_send
        .iter()
        .filter(|(_, amount)| amount.is_sign_positive() && !amount.is_zero())
        .collect();
    if needed.is_empty() {
        return Ok(());
    }
    let request = crate::CurrentBalanceQueryRequest {
        plain_sign: Some(true),
        account_type: vec![crate::AccountType::Disbursement],
        account_currency: needed.iter().map(|(c, _)| (*c).clone()).collect(),
    };
    let answer = match client.current_balance(&request).await {
        Ok(answer) => answer,
        Err(e) => {
            on_event(BulkEvent::BalanceUnknown {
                error: e.to_string(),
            });
            return Ok(());
        }
    };
    let mut shortfalls = Vec::new();
    for (currency, amount) in needed {
        let available = answer
            .account_real_time_types
            .iter()
            .filter(|a| {
                a.currency == *currency && a.account_type == crate::AccountType::Disbursement
            })
            .find_map(|a| a.balance.to_string().parse::<rust_decimal::Decimal>().ok());
        if let Some(available) = available.filter(|available| amount > available) {
            shortfalls.push(Shortfall {
                currency: currency.clone(),
                needed: amount.normalize().to_string(),
                available: available.normalize().to_string(),
            });
        }
    }
    if shortfalls.is_empty() {
        Ok(())
    } else {
        Err(BulkError::Balance {
            file: checked.name.clone(),
            shortfalls,
        })
    }
}

/// What happened to a row while paying (for progress and logs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkEvent {
    /// The row has an order.
    Paid {
        /// The row.
        row: usize,
        /// Its order number.
        out_trade_no: String,
        /// The order's status.
        status: String,
        /// How it became known.
        by: PaidBy,
    },
    /// The row has no order after this run (its error is in the ledger); the next run sends it
    /// again under the same number, unless the error says otherwise.
    Failed {
        /// The row.
        row: usize,
        /// Its order number.
        out_trade_no: String,
        /// Why, in one line.
        error: String,
    },
    /// The row waits: PayerMax does not know its order after a send whose outcome was
    /// unknown, or it is sent again.
    Waiting {
        /// The row.
        row: usize,
        /// What it waits for.
        event: PayEvent,
    },
    /// Another live worker is sending the row; this run waits for it.
    ByAnotherWorker {
        /// The row.
        row: usize,
        /// Its order number.
        out_trade_no: String,
    },
    /// The payout balance could not be read before the first send, so the file's totals were
    /// not checked against it; the run goes on (PayerMax refuses what it cannot cover).
    BalanceUnknown {
        /// Why, in one line.
        error: String,
    },
}

impl fmt::Display for BulkEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BulkEvent::Paid {
                row,
                out_trade_no,
                status,
                by,
            } => {
                let how = match by {
                    PaidBy::Placed => "placed",
                    PaidBy::FoundByInquiry => "found by inquiry",
                    PaidBy::AlreadyRecorded => "already recorded",
                };
                write!(f, "row {row} ({out_trade_no}): {status} ({how})")
            }
            BulkEvent::Failed {
                row,
                out_trade_no,
                error,
            } => write!(f, "row {row} ({out_trade_no}): not paid: {error}"),
            BulkEvent::Waiting { row, event } => match event {
                PayEvent::WaitingForOrder {
                    out_trade_no,
                    requery,
                    of,
                    wait,
                    ..
                } => write!(
                    f,
                    "row {row} ({out_trade_no}): outcome unknown and PayerMax does not know the order yet; querying again in {} ({requery} of {of}); other rows go on",
                    human(*wait)
                ),
                PayEvent::Resending {
                    out_trade_no,
                    attempt,
                    ..
                } => write!(
                    f,
                    "row {row} ({out_trade_no}): PayerMax still does not know the order; sending it again under the same number (attempt {attempt})"
                ),
                other => write!(f, "row {row}: {other:?}"),
            },
            BulkEvent::ByAnotherWorker { row, out_trade_no } => write!(
                f,
                "row {row} ({out_trade_no}): being sent by another process on this ledger; waiting for it"
            ),
            BulkEvent::BalanceUnknown { error } => write!(
                f,
                "the payout balance could not be read ({error}); the file's totals were not checked against it"
            ),
        }
    }
}

fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 120_000 {
        format!("{} s", ms / 1000)
    } else {
        format!("{} min", ms / 60_000)
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows in the file.
    pub rows: usize,
    /// Rows that have an order, by status (placed now, found by inquiry, or recorded before).
    pub orders: BTreeMap<String, usize>,
    /// Of those, rows whose order was recorded before this run (nothing was sent for them).
    pub already_recorded: usize,
    /// Rows without an order after this run.
    pub errors: usize,
    /// Rows held back by the duplicate-payment guard (not sent).
    pub held: usize,
}

impl Summary {
    /// Every row has an order, and none is known to have failed or bounced back.
    pub fn complete(&self) -> bool {
        self.errors == 0
            && self.held == 0
            && self.orders.values().sum::<usize>() == self.rows
            && !self.orders.contains_key("FAILED")
            && !self.orders.contains_key("BOUNCEBACK")
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let with_order: usize = self.orders.values().sum();
        write!(f, "{} rows: {with_order} with an order", self.rows)?;
        if !self.orders.is_empty() {
            let by_status: Vec<String> = self
                .orders
                .iter()
                .map(|(status, n)| format!("{status} {n}"))
                .collect();
            write!(f, " ({})", by_status.join(", "))?;
        }
        write!(
            f,
            ", {} already recorded before this run, {} without an order, {} held back",
            self.already_recorded, self.errors, self.held
        )
    }
}

enum RowOutcome {
    Paid(String, PaidBy),
    Failed(String),
    Busy,
}

/// Pays the rows of `checked`: reads the file again (refusing rows that changed since the
/// check), records each chunk's intents before any of its rows is sent, then pays every row the
/// ledger knows no order for, at most `options.concurrency` at once, telling `on_event` about
/// each. Rows held back by the guard are not recorded or sent. Stops at the first ledger
/// failure (rows in flight are resolved by the next run, under the same numbers).
pub async fn pay_checked(
    client: &Client,
    ledger: &Ledger,
    checked: &CheckedFile,
    options: &BulkOptions,
    on_event: &(dyn Fn(BulkEvent) + Send + Sync),
) -> Result<Summary, BulkError> {
    check_funds(client, checked, on_event).await?;
    let mut rows = Rows::open(options.rules.0, &checked.path)?;
    let mut numbering = Numbering {
        options,
        file: checked.name.clone(),
        repeated: &checked.repeated,
        occurrences: HashMap::new(),
    };
    let held: HashSet<usize> = checked.held.iter().map(|h| h.row).collect();
    let mut summary = Summary {
        rows: checked.rows,
        held: held.len(),
        ..Summary::default()
    };
    let api = crate::ledger::payout_api();
    let batch = checked.batch.clone();
    let file = checked.name.clone();

    // The file, a chunk at a time: intents recorded, then the chunk's rows to pay.
    let chunks =
        futures_util::stream::try_unfold((&mut rows, &mut numbering), |(rows, numbering)| {
            let held = &held;
            let batch = &batch;
            let file = &file;
            async move {
                let mut intents = Vec::with_capacity(CHUNK);
                let mut places = Vec::with_capacity(CHUNK);
                while intents.len() < CHUNK {
                    let Some(mut raw) = rows.next()? else { break };
                    let (row, line) = (raw.row, raw.line);
                    let changed = || BulkError::Changed {
                        file: file.clone(),
                        row,
                        line,
                    };
                    let id = numbering.number(&mut raw).ok_or_else(changed)?;
                    if held.contains(&row) {
                        continue;
                    }
                    let intent = Intent::new(Value::Object(raw.data), origin(batch, file, line))
                        .map_err(|_| changed())?;
                    let expected = row.checked_sub(1).and_then(|i| checked.digests.get(i));
                    if expected != Some(&(hash64(&id), hash64(intent.fingerprint()))) {
                        return Err(changed());
                    }
                    places.push((row, id));
                    intents.push(intent);
                }
                if intents.is_empty() {
                    return Ok(None);
                }
                let recorded = ledger.record_intents(&intents).await?;
                let mut out = Vec::with_capacity(places.len());
                for ((row, id), rec) in places.into_iter().zip(recorded) {
                    let conflict = match rec {
                        Recorded::Conflict(c) => Some(c.to_string()),
                        Recorded::New | Recorded::Existing => None,
                    };
                    out.push((row, id, conflict));
                }
                Ok(Some((
                    futures_util::stream::iter(out.into_iter().map(Ok::<_, BulkError>)),
                    (rows, numbering),
                )))
            }
        })
        .try_flatten();
    let pay_one = |(row, id, conflict): (usize, String, Option<String>)| {
        let api = &api;
        async move {
            if let Some(conflict) = conflict {
                // Another process recorded a different payout under this number between the
                // check and now.
                return Ok((row, id, RowOutcome::Failed(conflict)));
            }
            let observer = |event: PayEvent| on_event(BulkEvent::Waiting { row, event });
            let outcome = match ledger
                .pay_recorded(client.runtime(), api, &id, &observer)
                .await
            {
                Ok(paid) => RowOutcome::Paid(paid.status, paid.by),
                Err(LedgerError::Busy { .. }) => RowOutcome::Busy,
                Err(LedgerError::ForeignOrder { order, .. }) if options.adopt_existing => {
                    match ledger.adopt(&order).await {
                        Ok(_) => match ledger.payout(&id).await?.and_then(|r| r.status) {
                            Some(status) => RowOutcome::Paid(status, PaidBy::FoundByInquiry),
                            None => RowOutcome::Failed("adopted order has no status".into()),
                        },
                        Err(e) if e.is_per_payout() => RowOutcome::Failed(one_line(&e)),
                        Err(e) => return Err(BulkError::Ledger(e)),
                    }
                }
                Err(e) if e.is_per_payout() => RowOutcome::Failed(one_line(&e)),
                Err(e) => return Err(BulkError::Ledger(e)),
            };
            Ok::<_, BulkError>((row, id, outcome))
        }
    };
    let results = chunks
        .map(|item| async move {
            match item {
                Ok(job) => pay_one(job).await,
                Err(e) => Err(e),
            }
        })
        .buffer_unordered(options.concurrency.max(1));
    let mut results = std::pin::pin!(results);
    let mut waiting: Vec<(usize, String)> = Vec::new();
    let record = |summary: &mut Summary,
                  waiting: &mut Vec<(usize, String)>,
                  row: usize,
                  id: String,
                  outcome: RowOutcome| {
        match outcome {
            RowOutcome::Paid(status, by) => {
                if by == PaidBy::AlreadyRecorded {
                    summary.already_recorded += 1;
                }
                *summary.orders.entry(status.clone()).or_default() += 1;
                on_event(BulkEvent::Paid {
                    row,
                    out_trade_no: id,
                    status,
                    by,
                });
            }
            RowOutcome::Failed(error) => {
                summary.errors += 1;
                on_event(BulkEvent::Failed {
                    row,
                    out_trade_no: id,
                    error,
                });
            }
            RowOutcome::Busy => {
                on_event(BulkEvent::ByAnotherWorker {
                    row,
                    out_trade_no: id.clone(),
                });
                waiting.push((row, id));
            }
        }
    };
    while let Some(done) = results.next().await {
        let (row, id, outcome) = done?;
        record(&mut summary, &mut waiting, row, id, outcome);
    }
    // Rows another live worker was sending: wait until they have an order or the worker is
    // gone (then send them here, under the same number).
    while !waiting.is_empty() {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut still = Vec::new();
        let mut none = Vec::new();
        for (row, id) in std::mem::take(&mut waiting) {
            let Some(rec) = ledger.payout(&id).await? else {
                still.push((row, id));
                continue;
            };
            if let Some(status) = rec.status {
                record(
                    &mut summary,
                    &mut none,
                    row,
                    id,
                    RowOutcome::Paid(status, PaidBy::FoundByInquiry),
                );
                continue;
            }
            // Sending claims it: `Busy` while the other worker lives, taken over once it is gone.
            let (row, id, outcome) = pay_one((row, id, None)).await?;
            match outcome {
                RowOutcome::Busy => still.push((row, id)),
                other => record(&mut summary, &mut none, row, id, other),
            }
        }
        waiting = still;
    }
    Ok(summary)
}

fn one_line(error: &dyn std::error::Error) -> String {
    let text = error.to_string();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("; ")
}

/// Writes where every payout of `batch` (every payout when `None`) stands, as CSV with
/// [`EXPORT_COLUMNS`], in the order they were recorded. Returns the number of rows written.
pub async fn export_csv<W: Write>(
    ledger: &Ledger,
    batch: Option<&str>,
    out: W,
) -> Result<usize, BulkError> {
    let mut writer = csv::Writer::from_writer(out);
    let io = |e: csv::Error| BulkError::Export {
        file: PathBuf::from("(output)"),
        source: io::Error::other(e),
    };
    writer.write_record(EXPORT_COLUMNS).map_err(io)?;
    let mut after = 0;
    let mut written = 0;
    loop {
        let (page, next) = ledger.list(batch, after, 1000).await?;
        if page.is_empty() {
            break;
        }
        after = next;
        for r in page {
            let updated = r
                .status_ms
                .and_then(chrono::DateTime::<chrono::Utc>::from_timestamp_millis)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default();
            let line = r.source_line.map(|l| l.to_string()).unwrap_or_default();
            let sends = r.sends.to_string();
            writer
                .write_record([
                    r.out_trade_no.as_str(),
                    r.batch.as_deref().unwrap_or(""),
                    r.source_file.as_deref().unwrap_or(""),
                    line.as_str(),
                    r.payee.as_str(),
                    r.amount.as_str(),
                    r.currency.as_str(),
                    r.status.as_deref().unwrap_or(""),
                    r.sub_status.as_deref().unwrap_or(""),
                    r.trade_no.as_deref().unwrap_or(""),
                    sends.as_str(),
                    updated.as_str(),
                    r.status_source.map(|s| s.as_str()).unwrap_or(""),
                    r.last_error.as_deref().unwrap_or(""),
                ])
                .map_err(io)?;
            written += 1;
        }
    }
    writer.flush().map_err(|e| BulkError::Export {
        file: PathBuf::from("(output)"),
        source: e,
    })?;
    Ok(written)
}

/// Writes [`export_csv`] to `path` whole or not at all (a temporary file renamed over it), so
/// that a crash never leaves a cut export.
pub async fn export_file(
    ledger: &Ledger,
    batch: Option<&str>,
    path: &Path,
) -> Result<usize, BulkError> {
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let fail = |source: io::Error| BulkError::Export {
        file: path.to_path_buf(),
        source,
    };
    let file = File::create(&tmp).map_err(fail)?;
    let mut buffered = io::BufWriter::new(file);
    let written = export_csv(ledger, batch, &mut buffered).await;
    let finished = written.and_then(|n| {
        let file = buffered.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)?;
        Ok(n)
    });
    if finished.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    finished
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn legacy_ids_are_sanitized_and_bounded() {
        assert_eq!(
            derived_out_trade_no("dir/june_payouts.csv", 7),
            "june_payouts_r7"
        );
        assert_eq!(
            derived_out_trade_no("june payouts.csv", 7),
            "june_payouts_dfbe9ed1_r7"
        );
        let long = "x".repeat(100) + ".csv";
        let id = derived_out_trade_no(&long, 123_456);
        assert_eq!(id.len(), OUT_TRADE_NO_MAX_LEN);
        assert!(id.ends_with("_r123456"));
    }

    #[test]
    fn integer_columns_become_numbers() {
        let column = Column {
            path: "a.n".into(),
            integer: true,
            required: false,
            doc: None,
        };
        let text = Column {
            path: "a.s".into(),
            integer: false,
            required: false,
            doc: None,
        };
        let layout = [column, text];
        let record = csv::StringRecord::from(vec!["42", "42"]);
        assert_eq!(
            Value::Object(row_data(&layout, &record)),
            json!({"a": {"n": 42, "s": "42"}})
        );
        let record = csv::StringRecord::from(vec!["4.2", ""]);
        assert_eq!(
            Value::Object(row_data(&layout, &record)),
            json!({"a": {"n": "4.2"}})
        );
    }

    #[test]
    fn column_names_that_could_be_secrets_are_not_echoed() {
        assert!(looks_like_column("payeeInfo.accountInfo.accountNo"));
        assert!(looks_like_column("bogus"));
        assert!(!looks_like_column(
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"
        ));
        assert!(!looks_like_column("-----BEGIN PRIVATE KEY-----"));
        assert!(!looks_like_column("a..b"));
    }

    #[test]
    fn columns_are_the_requests_leaves() {
        let columns = columns();
        let paths: Vec<&str> = columns.iter().map(|c| c.path.as_str()).collect();
        for path in [
            "outTradeNo",
            "country",
            "trade.amount",
            "payeeInfo.accountInfo.accountNo",
        ] {
            assert!(paths.contains(&path), "{path} not in {paths:?}");
        }
        assert!(!paths.contains(&"trade"), "objects are not columns");
    }

    #[test]
    fn summaries_are_complete_only_without_failures() {
        let mut summary = Summary {
            rows: 2,
            orders: BTreeMap::from([("SUCCESS".into(), 1), ("PENDING".into(), 1)]),
            ..Summary::default()
        };
        assert!(summary.complete());
        summary.orders = BTreeMap::from([("SUCCESS".into(), 1), ("FAILED".into(), 1)]);
        assert!(!summary.complete());
        assert_eq!(
            summary.to_string(),
            "2 rows: 2 with an order (FAILED 1, SUCCESS 1), 0 already recorded before this run, 0 without an order, 0 held back"
        );
    }
}
