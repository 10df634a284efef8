//! Paying many payees from one CSV file: [`PayoutFile`] reads and checks every row before
//! anything is sent, [`pay_file`] pays the rows with bounded concurrency and appends each
//! outcome to a [`ResultsFile`] as soon as it is known. `payermax payout --csv FILE` is this
//! module on the command line.
//!
//! ```no_run
//! # async fn demo(client: payermax::Client) -> Result<(), payermax::bulk::BulkError> {
//! use payermax::bulk::{self, PayoutFile, ResultsFile};
//! use std::path::Path;
//!
//! let file = PayoutFile::read(Path::new("payouts.csv"))?; // every invalid row, or all rows
//! let mut results = ResultsFile::open(Path::new("payouts.results.csv"))?;
//! let summary = bulk::pay_file(&client, &file, &mut results, 8, |row| {
//!     if let Some(error) = &row.error {
//!         eprintln!("row {}: {error}", row.row);
//!     }
//! })
//! .await?;
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
//! outTradeNo,country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName
//! ,BR,25.50,BRL,REALTIME_PAYMENT,PIX,12345678901,Maria Silva
//! june_0042,BR,10,BRL,REALTIME_PAYMENT,PIX,98765432100,João Souza
//! ```
//!
//! - Any field of the request that is not a list may be a column ([`columns`] lists them all);
//!   columns come in any order. An unknown or repeated column name is an error: a typo would
//!   otherwise silently drop a field from every payout.
//! - Cells are trimmed. An empty cell is not sent (a nested object whose cells are all empty is
//!   not sent either), so one file can mix countries and methods that need different fields.
//! - Values are sent as JSON strings, except fields whose spec type is `integer`.
//! - Rows are numbered from 1; the header is not a row. Reports give the row, and the line
//!   of the file where it starts (they differ when a quoted cell spans lines).
//!
//! # outTradeNo: from the file or derived from it
//!
//! A non-empty `outTradeNo` cell is used as it is. Otherwise the row's order number is derived
//! from the file name and the row number, see [`derived_out_trade_no`]: `<file stem>_r<row>`
//! (`june_payouts.csv`, row 7 → `june_payouts_r7`). A stem with characters outside
//! `[A-Za-z0-9_]`, or too long for 63 characters, has them replaced by `_`, is cut, and gains 8
//! hex digits of its SHA-256, so that distinct names never derive the same numbers
//! (`june payouts.csv`, row 7 → `june_payouts_dfbe9ed1_r7`).
//!
//! The order number is PayerMax's idempotency key, so running the same file again (after a
//! crash, a kill, a lost results file) never pays a row twice: a row whose order exists is
//! answered `ORDER_REPEAT` and resolved by an inquiry. It follows that:
//! - **renaming the file changes every derived id**: the renamed file is a new batch and
//!   would pay every row again;
//! - builds of this SDK before the hash was added derived ids without it for names that had
//!   to be changed (`june payouts.csv` → `june_payouts_r7`): finish a file that such a build
//!   started with that build, or first copy its ids into an `outTradeNo` column;
//! - **inserting, deleting or reordering rows changes the derived ids of the rows after the
//!   change**: only append rows to a file that was (partly) paid, or give each row an
//!   `outTradeNo`;
//! - two files with the same stem (`june/payouts.csv`, `july/payouts.csv`) derive the same
//!   ids: the second would find the first's orders instead of paying. A row whose existing
//!   order has another amount or currency is reported as an error, not as paid — but give
//!   such files distinct names or an `outTradeNo` column.
//!
//! # Checks before sending
//!
//! [`PayoutFile::read`] checks the header, then every row with the spec
//! (`validate_payout`: API-wide rules and the rules of the row's country and method), the
//! number of cells and duplicate order numbers. All problems come back together as
//! [`BulkError::Invalid`], each with its row and JSON path; nothing is sent from a file with
//! any invalid row.
//!
//! # Paying and the results file
//!
//! [`pay_file`] pays each row with [`Client::pay_idempotent`](crate::Client::pay_idempotent)'s
//! runtime call, at most `concurrency` rows at once. `TOO_MANY_REQUEST` (transient in the
//! spec's error table) and HTTP 429 are sent again by the runtime with exponential back-off and
//! jitter, within the client's [`RetryPolicy`](crate::runtime::RetryPolicy); a row whose retries
//! run out is recorded with its error and sent again by the next run.
//!
//! The results file ([`RESULT_COLUMNS`]: `outTradeNo,status,tradeNo,error`) gets one line per
//! finished row, written and flushed at once, so a killed run leaves every line it finished.
//! A row either has an order (its `status`: `PENDING`, `SUCCESS`, `FAILED`, `BOUNCEBACK`, as
//! PayerMax reported it then) or an `error` saying why not, with an empty `status`. On the next run
//! with the same results file, rows already recorded with a status are skipped; the others are
//! sent again under the same order number. A run holds an exclusive lock on its results file.

use crate::Client;
use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use payermax_runtime::{Error, PayoutCalls};
use payermax_spec::Spec;
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The columns of a results file, in order.
pub const RESULT_COLUMNS: [&str; 4] = ["outTradeNo", "status", "tradeNo", "error"];

/// The longest `outTradeNo` PayerMax accepts.
pub const OUT_TRADE_NO_MAX_LEN: usize = 63;

/// The column that holds the order number.
const OUT_TRADE_NO: &str = "outTradeNo";

/// The api names of the payout, for the runtime.
const CALLS: PayoutCalls<'static> = PayoutCalls {
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
/// spec's order.
///
/// ```
/// let columns = payermax::bulk::columns();
/// assert!(columns.iter().any(|c| c.path == "payeeInfo.accountInfo.accountNo"));
/// ```
pub fn columns() -> Vec<Column> {
    columns_of(crate::loaded_spec())
}

fn columns_of(spec: &Spec) -> Vec<Column> {
    fn walk(
        spec: &Spec,
        ty: &payermax_spec::model::TypeDef,
        prefix: &str,
        required: bool,
        depth: usize,
        out: &mut Vec<Column>,
    ) {
        for field in &ty.fields {
            if field.list {
                continue;
            }
            let path = if prefix.is_empty() {
                field.name.value.clone()
            } else {
                format!("{prefix}.{}", field.name.value)
            };
            match spec.type_def(&field.ty) {
                // The spec's types nest a few levels; the bound only guards against a cycle.
                Some(inner) if depth < 8 => {
                    walk(
                        spec,
                        inner,
                        &path,
                        required && field.required,
                        depth + 1,
                        out,
                    );
                }
                Some(_) => {}
                None => out.push(Column {
                    path,
                    integer: field.ty.value == "integer",
                    required: required && field.required,
                    doc: field.doc.clone(),
                }),
            }
        }
    }
    let mut out = Vec::new();
    if let Some(root) = spec.payout_request_type() {
        walk(spec, root, "", true, 0, &mut out);
    }
    out
}

/// The order number of row `row` (from 1) of a file named `file_name`, when the row has none:
/// `<stem>_r<row>`, where the stem is the file name without its extension, when the stem is
/// made of `[A-Za-z0-9_]` only and fits (at most 63 characters in all). Otherwise
/// `<stem'>_<hash>_r<row>`: `stem'` is the stem with each character outside `[A-Za-z0-9_]`
/// replaced by `_`, cut to fit, and `hash` the first 8 hex digits of the SHA-256 of the exact
/// stem, so that names that differ only where they were replaced or cut (`payouts-06`,
/// `payouts.06`, `payouts_06`; `выплаты_июнь`, `выплаты_июль`) still derive different order
/// numbers. Two such files that derived the same numbers would find each other's orders and
/// report rows as paid that were never paid.
///
/// Renaming the file changes the result; see the [module documentation](self).
///
/// ```
/// use payermax::bulk::derived_out_trade_no;
/// assert_eq!(derived_out_trade_no("june_payouts.csv", 7), "june_payouts_r7");
/// assert_eq!(derived_out_trade_no("/data/2024-06.csv", 12), "2024_06_55f2d845_r12");
/// assert_ne!(derived_out_trade_no("2024.06.csv", 12), derived_out_trade_no("2024-06.csv", 12));
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

/// One payee row, checked and ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutRow {
    /// The row number, from 1 (the header is not a row).
    pub row: usize,
    /// The line of the file where the row starts, from 1.
    pub line: u64,
    /// The order number: from the `outTradeNo` cell, or [`derived_out_trade_no`].
    pub out_trade_no: String,
    /// The `paymentOrderPay` request `data`, `outTradeNo` included.
    pub data: Value,
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
    /// used twice.
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

/// Why a payee file cannot be paid, or a results file not written.
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
    /// Rows that break the spec's rules, every one of them; nothing was sent.
    #[error(
        "{file}: {} of {rows} rows are invalid; nothing was sent. Fix these fields:\n{}",
        invalid_rows(problems),
        bullets(problems)
    )]
    Invalid {
        /// The file name.
        file: String,
        /// How many rows the file has.
        rows: usize,
        /// Every problem, by row, then by path.
        problems: Vec<RowProblem>,
    },
    /// The results file cannot be read, locked or written.
    #[error("results file {}: {message}", file.display())]
    Results {
        /// The results file.
        file: PathBuf,
        /// What went wrong.
        message: String,
        /// The I/O error, when there is one.
        #[source]
        source: Option<io::Error>,
    },
}

fn bullets<T: fmt::Display>(items: &[T]) -> String {
    let lines: Vec<String> = items.iter().map(|i| format!("  {i}")).collect();
    lines.join("\n")
}

fn invalid_rows(problems: &[RowProblem]) -> usize {
    problems.iter().map(|p| p.row).collect::<HashSet<_>>().len()
}

/// The rows of a payee file, every one valid.
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutFile {
    name: String,
    rows: Vec<PayoutRow>,
}

impl PayoutFile {
    /// Reads and checks the payee file at `path`: its name derives missing order numbers.
    /// Every problem of every row is reported at once ([`BulkError::Invalid`]).
    ///
    /// ```no_run
    /// let file = payermax::bulk::PayoutFile::read(std::path::Path::new("payouts.csv"))?;
    /// println!("{} rows", file.rows().len());
    /// # Ok::<(), payermax::bulk::BulkError>(())
    /// ```
    pub fn read(path: &Path) -> Result<PayoutFile, BulkError> {
        let file = File::open(path).map_err(|source| BulkError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        PayoutFile::parse(file, &name)
    }

    /// Reads and checks CSV from `reader`; `file_name` (e.g. `payouts.csv`) derives the order
    /// numbers of rows without one and names the file in errors.
    ///
    /// ```
    /// use payermax::bulk::PayoutFile;
    /// let csv = "country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo\n\
    ///            BR,25.50,BRL,REALTIME_PAYMENT,PIX,12345678901\n";
    /// let file = PayoutFile::parse(csv.as_bytes(), "june.csv")?;
    /// assert_eq!(file.rows()[0].out_trade_no, "june_r1");
    /// assert_eq!(file.rows()[0].data["trade"]["amount"], "25.50");
    /// # Ok::<(), payermax::bulk::BulkError>(())
    /// ```
    pub fn parse<R: Read>(reader: R, file_name: &str) -> Result<PayoutFile, BulkError> {
        parse_with(crate::loaded_spec(), reader, file_name)
    }

    /// The file name given to [`PayoutFile::read`] or [`PayoutFile::parse`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The rows, in file order.
    pub fn rows(&self) -> &[PayoutRow] {
        &self.rows
    }
}

fn parse_with<R: Read>(spec: &Spec, reader: R, file_name: &str) -> Result<PayoutFile, BulkError> {
    let csv_error = |e: csv::Error| BulkError::Csv {
        file: file_name.to_owned(),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = reader.headers().map_err(csv_error)?.clone();
    let known = columns_of(spec);
    let mut layout: Vec<&Column> = Vec::with_capacity(header.len());
    let mut header_problems = Vec::new();
    let mut seen = HashSet::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            header_problems.push(format!("column {} has no name", i + 1));
        } else if !seen.insert(name) {
            header_problems.push(format!("column `{name}` appears twice"));
        } else if let Some(column) = known.iter().find(|c| c.path == name) {
            layout.push(column);
            continue;
        } else {
            header_problems.push(unknown_column(name, &known));
        }
    }
    if !header_problems.is_empty() {
        return Err(BulkError::Header {
            file: file_name.to_owned(),
            problems: header_problems,
        });
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut owners: HashMap<String, usize> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(csv_error)?;
        let row = index + 1;
        let line = record.position().map_or(0, |p| p.line());
        let mut problem = |path: &str, code, message: String| {
            problems.push(RowProblem {
                row,
                line,
                path: path.to_owned(),
                code,
                message,
            })
        };
        if record.len() != layout.len() {
            problem(
                "",
                "cells",
                format!(
                    "has {} cells, the header has {} columns",
                    record.len(),
                    layout.len()
                ),
            );
        }
        let mut data = row_data(&layout, &record);
        let out_trade_no = match data.get(OUT_TRADE_NO).and_then(Value::as_str) {
            Some(given) => given.to_owned(),
            None => {
                let derived = derived_out_trade_no(file_name, row);
                data.insert(OUT_TRADE_NO.to_owned(), Value::String(derived.clone()));
                derived
            }
        };
        let data = Value::Object(data);
        for v in spec.validate_payout(&data) {
            problem(&v.path, v.code, v.message);
        }
        match owners.get(&out_trade_no) {
            Some(first) => problem(
                OUT_TRADE_NO,
                "duplicate",
                format!(
                    "`{out_trade_no}` is also the order number of row {first}: each row needs its own"
                ),
            ),
            None => {
                owners.insert(out_trade_no.clone(), row);
            }
        }
        rows.push(PayoutRow {
            row,
            line,
            out_trade_no,
            data,
        });
    }
    if !problems.is_empty() {
        return Err(BulkError::Invalid {
            file: file_name.to_owned(),
            rows: rows.len(),
            problems,
        });
    }
    if rows.is_empty() {
        return Err(BulkError::NoRows {
            file: file_name.to_owned(),
        });
    }
    Ok(PayoutFile {
        name: file_name.to_owned(),
        rows,
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
fn row_data(layout: &[&Column], record: &csv::StringRecord) -> Map<String, Value> {
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

/// How one row ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowResult {
    /// The row number, from 1.
    pub row: usize,
    /// The order number sent.
    pub out_trade_no: String,
    /// The order's status as PayerMax reported it, when the row has an order.
    pub status: Option<String>,
    /// PayerMax's order number, when known.
    pub trade_no: Option<String>,
    /// Why the row has no order (one line); `None` when it has one.
    pub error: Option<String>,
}

impl RowResult {
    fn failed(row: &PayoutRow, error: String) -> RowResult {
        RowResult {
            row: row.row,
            out_trade_no: row.out_trade_no.clone(),
            status: None,
            trade_no: None,
            error: Some(error),
        }
    }
}

/// Pays every row, at most `concurrency` at once (`0` counts as 1), and yields each row's
/// result as it finishes (not in file order). Dropping the stream stops sending; rows in
/// flight may or may not have been placed, and a later run resolves them by inquiry.
pub fn pay_rows(
    client: &Client,
    rows: Vec<PayoutRow>,
    concurrency: usize,
) -> BoxStream<'static, RowResult> {
    let client = client.clone();
    stream::iter(rows)
        .map(move |row| pay_row(client.clone(), row))
        .buffer_unordered(concurrency.max(1))
        .boxed()
}

async fn pay_row(client: Client, row: PayoutRow) -> RowResult {
    let outcome = client
        .runtime()
        .pay_idempotent(CALLS, &row.data, crate::ERROR_TABLE)
        .await;
    match outcome {
        // An order found under the row's number with another amount or currency is the
        // runtime's `Error::OrderConflict`: the row is recorded as not paid.
        Ok(outcome) => RowResult {
            row: row.row,
            out_trade_no: outcome.out_trade_no,
            status: Some(outcome.status),
            trade_no: outcome.trade_no,
            error: None,
        },
        Err(e) => RowResult::failed(&row, one_line(&e)),
    }
}

fn one_line(error: &Error) -> String {
    let text = error.to_string();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("; ")
}

/// A results file: one line per finished row, appended and flushed at once, read back on
/// the next run so that rows with an order are not sent again. Holds an exclusive lock on the file
/// while open.
#[derive(Debug)]
pub struct ResultsFile {
    path: PathBuf,
    out: csv::Writer<File>,
    orders: HashMap<String, String>,
}

impl ResultsFile {
    /// Opens (or creates, with its header) the results file at `path` and reads the rows it
    /// already records. Fails when it is not a results file (its header is not
    /// [`RESULT_COLUMNS`]) or when another run holds it.
    ///
    /// ```no_run
    /// let results = payermax::bulk::ResultsFile::open(std::path::Path::new("payouts.results.csv"))?;
    /// println!("{:?}", results.recorded_status("payouts_r1"));
    /// # Ok::<(), payermax::bulk::BulkError>(())
    /// ```
    pub fn open(path: &Path) -> Result<ResultsFile, BulkError> {
        let fail = |message: &str, source: Option<io::Error>| BulkError::Results {
            file: path.to_path_buf(),
            message: match &source {
                Some(e) => format!("{message}: {e}"),
                None => message.to_owned(),
            },
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| fail("cannot open it", Some(e)))?;
        file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => fail(
                "another payout run is writing it; wait for it to end, or choose another results file",
                None,
            ),
            std::fs::TryLockError::Error(e) => fail("cannot lock it", Some(e)),
        })?;
        let mut text = Vec::new();
        file.read_to_end(&mut text)
            .map_err(|e| fail("cannot read it", Some(e)))?;
        let orders = recorded(&text).map_err(|m| fail(&m, None))?;
        if text.last().is_some_and(|b| *b != b'\n') {
            // A line cut short (a crash in the middle of a write): end it, so that the next
            // line starts on its own. The cut line has too few cells and is ignored.
            file.write_all(b"\n")
                .map_err(|e| fail("cannot write it", Some(e)))?;
        }
        let mut out = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(file);
        if text.is_empty() {
            out.write_record(RESULT_COLUMNS)
                .and_then(|()| out.flush().map_err(csv::Error::from))
                .map_err(|e| fail("cannot write it", Some(io::Error::other(e))))?;
        }
        Ok(ResultsFile {
            path: path.to_path_buf(),
            out,
            orders,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The status recorded for `out_trade_no` when its row has an order (placed or found by
    /// this run or an earlier one); `None` when it has no line, or only an error.
    pub fn recorded_status(&self, out_trade_no: &str) -> Option<&str> {
        self.orders.get(out_trade_no).map(String::as_str)
    }

    /// Appends one line and flushes it to the operating system.
    pub fn append(&mut self, result: &RowResult) -> Result<(), BulkError> {
        let record = [
            result.out_trade_no.as_str(),
            result.status.as_deref().unwrap_or(""),
            result.trade_no.as_deref().unwrap_or(""),
            result.error.as_deref().unwrap_or(""),
        ];
        self.out
            .write_record(record)
            .map_err(io::Error::other)
            .and_then(|()| self.out.flush())
            .map_err(|e| BulkError::Results {
                file: self.path.clone(),
                message: format!("cannot write it: {e}"),
                source: Some(e),
            })?;
        if let (Some(status), None) = (&result.status, &result.error) {
            self.orders
                .insert(result.out_trade_no.clone(), status.clone());
        }
        Ok(())
    }
}

/// The rows with an order in an existing results file: `outTradeNo` → status. Lines with the wrong
/// number of cells (cut short) are ignored; a later line for the same order wins.
fn recorded(text: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut orders = HashMap::new();
    if text.is_empty() {
        return Ok(orders);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text);
    let mut records = reader.records();
    let header = records
        .next()
        .and_then(Result::ok)
        .filter(|h| h.iter().eq(RESULT_COLUMNS));
    if header.is_none() {
        return Err(format!(
            "is not a results file (its first line is not `{}`); choose another path",
            RESULT_COLUMNS.join(",")
        ));
    }
    for record in records.flatten() {
        if record.len() != RESULT_COLUMNS.len() {
            continue;
        }
        let (out, status, error) = (&record[0], &record[1], &record[3]);
        if !status.is_empty() && error.is_empty() {
            orders.insert(out.to_owned(), status.to_owned());
        } else {
            orders.remove(out);
        }
    }
    Ok(orders)
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows in the file.
    pub rows: usize,
    /// Rows skipped because the results file already records their order.
    pub already_recorded: usize,
    /// Rows sent that have an order (placed now, or found by inquiry), by status.
    pub orders: BTreeMap<String, usize>,
    /// Rows sent that have no order, or an unclear one (their line has an error).
    pub errors: usize,
}

impl Summary {
    /// Every row of the file has an order, recorded by this run or an earlier one.
    pub fn complete(&self) -> bool {
        self.errors == 0 && self.already_recorded + self.orders.values().sum::<usize>() == self.rows
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sent: usize = self.orders.values().sum();
        write!(f, "{} rows: {sent} orders", self.rows)?;
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
            ", {} errors, {} already recorded",
            self.errors, self.already_recorded
        )
    }
}

/// Pays the rows of `file` whose order `results` does not record, at most `concurrency`
/// at once, appending each row's line to `results` as it finishes and then calling
/// `on_result` (for progress). Stops at the first results-file write error.
///
/// Order numbers make this safe to run again at any time: an order placed by an earlier,
/// interrupted run is resolved by inquiry, not paid again.
pub async fn pay_file(
    client: &Client,
    file: &PayoutFile,
    results: &mut ResultsFile,
    concurrency: usize,
    mut on_result: impl FnMut(&RowResult),
) -> Result<Summary, BulkError> {
    let mut summary = Summary {
        rows: file.rows.len(),
        ..Summary::default()
    };
    let todo: Vec<PayoutRow> = file
        .rows
        .iter()
        .filter(|r| results.recorded_status(&r.out_trade_no).is_none())
        .cloned()
        .collect();
    summary.already_recorded = summary.rows - todo.len();
    let mut finished = pay_rows(client, todo, concurrency);
    while let Some(result) = finished.next().await {
        results.append(&result)?;
        match &result.status {
            Some(status) if result.error.is_none() => {
                *summary.orders.entry(status.clone()).or_default() += 1;
            }
            _ => summary.errors += 1,
        }
        on_result(&result);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    const HEADER: &str = "outTradeNo,country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName";

    fn parse(body: &str) -> Result<PayoutFile, BulkError> {
        PayoutFile::parse(format!("{HEADER}\n{body}").as_bytes(), "june_payouts.csv")
    }

    #[test]
    fn derived_ids_are_sanitized_and_bounded() {
        // A plain stem is used as it is.
        assert_eq!(
            derived_out_trade_no("dir/june_payouts.csv", 7),
            "june_payouts_r7"
        );
        // A stem that had to change carries 8 hex digits of its SHA-256 (`sha256sum`).
        assert_eq!(
            derived_out_trade_no("june payouts.csv", 7),
            "june_payouts_dfbe9ed1_r7"
        );
        assert_eq!(
            derived_out_trade_no("dir/pay-2024.06.csv", 1),
            "pay_2024_06_ad01a38e_r1"
        );
        assert_eq!(
            derived_out_trade_no("Zahlungen_März.csv", 3),
            "Zahlungen_M_rz_f287c993_r3"
        );
        assert_eq!(derived_out_trade_no("", 2), "payout_e3b0c442_r2");
        // Names that differ only where characters were replaced or cut stay apart.
        let ids: HashSet<String> = [
            "payouts-06.csv",
            "payouts.06.csv",
            "payouts 06.csv",
            "payouts_06.csv",
            "выплаты_июнь.csv",
            "выплаты_июль.csv",
        ]
        .iter()
        .map(|name| derived_out_trade_no(name, 1))
        .collect();
        assert_eq!(ids.len(), 6, "{ids:?}");
        let (a, b) = ("y".repeat(80), "y".repeat(81));
        assert_ne!(derived_out_trade_no(&a, 1), derived_out_trade_no(&b, 1));
        for id in &ids {
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{id}"
            );
        }
        let long = "x".repeat(100) + ".csv";
        let id = derived_out_trade_no(&long, 123_456);
        assert_eq!(id.len(), OUT_TRADE_NO_MAX_LEN);
        assert!(id.ends_with("_r123456"));
        // The same name and row give the same id; another name gives another.
        assert_eq!(
            derived_out_trade_no("a.csv", 5),
            derived_out_trade_no("a.csv", 5)
        );
        assert_ne!(
            derived_out_trade_no("a.csv", 5),
            derived_out_trade_no("b.csv", 5)
        );
        // The spec's pattern for outTradeNo: `^[A-Za-z0-9_]{1,63}$`.
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    }

    #[test]
    fn cells_become_nested_json_and_empty_cells_are_not_sent() {
        let file = parse(
            ",BR,25.50,BRL,REALTIME_PAYMENT,PIX,12345678901,\n\
             own_id_1, BR ,10,BRL,REALTIME_PAYMENT,PIX,98765432100,Joao Souza\n",
        )
        .unwrap();
        assert_eq!(file.name(), "june_payouts.csv");
        let [first, second] = file.rows() else {
            panic!("two rows expected")
        };
        assert_eq!(first.row, 1);
        assert_eq!(first.line, 2);
        assert_eq!(first.out_trade_no, "june_payouts_r1");
        assert_eq!(
            first.data,
            json!({
                "outTradeNo": "june_payouts_r1",
                "country": "BR",
                "trade": {"amount": "25.50", "currency": "BRL"},
                "payeeInfo": {
                    "paymentMethodType": "REALTIME_PAYMENT",
                    "targetOrg": "PIX",
                    "accountInfo": {"accountNo": "12345678901"}
                }
            })
        );
        assert_eq!(second.out_trade_no, "own_id_1");
        assert_eq!(second.data["country"], "BR", "cells are trimmed");
        assert_eq!(second.data["payeeInfo"]["name"]["fullName"], "Joao Souza");
    }

    #[test]
    fn every_invalid_row_is_reported_with_row_and_path() {
        let err = parse(
            ",BR,25.505,BRL,REALTIME_PAYMENT,PIX,12345678901,\n\
             ,BR,10,BRL,REALTIME_PAYMENT,PIX,12345678901,\n\
             ,Brazil,10,BRL,REALTIME_PAYMENT,PIX,12345678901,\n\
             ,BR,10,BRL,REALTIME_PAYMENT,PIX,,\n\
             june_payouts_r2,BR,10,BRL,REALTIME_PAYMENT,PIX,12345678901,\n\
             ,BR,10,BRL\n",
        )
        .unwrap_err();
        let BulkError::Invalid {
            rows, ref problems, ..
        } = err
        else {
            panic!("expected Invalid, got {err}")
        };
        assert_eq!(rows, 6);
        let found: Vec<(usize, &str, &str)> = problems
            .iter()
            .map(|p| (p.row, p.path.as_str(), p.code))
            .collect();
        for expected in [
            (1, "trade.amount", "amount_precision"),
            (3, "country", "pattern"),
            // The only cell of accountInfo is empty: the object is not sent.
            (4, "payeeInfo.accountInfo", "required"),
            (5, "outTradeNo", "duplicate"),
            (6, "", "cells"),
        ] {
            assert!(found.contains(&expected), "{expected:?} not in {found:?}");
        }
        assert!(!found.iter().any(|(row, _, _)| *row == 2), "{found:?}");
        let text = err.to_string();
        assert!(
            text.contains("5 of 6 rows are invalid; nothing was sent"),
            "{text}"
        );
        assert!(
            text.contains(
                "row 5 (line 6): outTradeNo: `june_payouts_r2` is also the order number of row 2"
            ),
            "{text}"
        );
        assert!(text.contains("row 1 (line 2): trade.amount: "), "{text}");
    }

    #[test]
    fn unknown_and_repeated_columns_are_refused_with_a_hint() {
        let err = PayoutFile::parse(
            "country,trade.amount,payeeInfo.acountInfo.accountNo,country,bogus\nBR,1,2,BR,x\n"
                .as_bytes(),
            "x.csv",
        )
        .unwrap_err();
        let BulkError::Header { problems, .. } = &err else {
            panic!("expected Header, got {err}")
        };
        assert_eq!(
            problems,
            &[
                "column `payeeInfo.acountInfo.accountNo` is not a field of the payout request (did you mean `payeeInfo.accountInfo.accountNo`?)",
                "column `country` appears twice",
                "column `bogus` is not a field of the payout request",
            ]
        );
    }

    #[test]
    fn a_header_without_rows_is_refused() {
        assert!(matches!(parse(""), Err(BulkError::NoRows { .. })));
    }

    #[test]
    fn a_utf8_bom_and_quoted_multiline_cells_are_read() {
        // Excel writes a byte order mark; a quoted cell may span lines (and then the row's
        // line is not row + 1). The remark's pattern refuses the line break.
        let csv = format!(
            "\u{feff}{HEADER},remark\n\"a_1\",BR,1,BRL,REALTIME_PAYMENT,PIX,12345678901,,\"two\nlines\"\n,BR,2.555,BRL,REALTIME_PAYMENT,PIX,12345678901,,\n"
        );
        let err = PayoutFile::parse(csv.as_bytes(), "b.csv").unwrap_err();
        let BulkError::Invalid { problems, .. } = &err else {
            panic!("expected Invalid, got {err}")
        };
        let found: Vec<(usize, u64, &str)> = problems
            .iter()
            .map(|p| (p.row, p.line, p.path.as_str()))
            .collect();
        assert_eq!(found, [(1, 2, "remark"), (2, 4, "trade.amount")]);
        let csv = format!("\u{feff}{HEADER}\n\"a_1\",BR,1,BRL,REALTIME_PAYMENT,PIX,12345678901,\n");
        let file = PayoutFile::parse(csv.as_bytes(), "b.csv").unwrap();
        assert_eq!(file.rows()[0].out_trade_no, "a_1");
    }

    #[test]
    fn columns_are_the_requests_leaves() {
        let columns = columns();
        let paths: Vec<&str> = columns.iter().map(|c| c.path.as_str()).collect();
        for path in [
            "outTradeNo",
            "country",
            "trade.amount",
            "trade.currency",
            "payeeInfo.paymentMethodType",
            "payeeInfo.accountInfo.accountNo",
            "payeeInfo.name.fullName",
        ] {
            assert!(paths.contains(&path), "{path} not in {paths:?}");
        }
        assert!(!paths.contains(&"trade"), "objects are not columns");
        let required: Vec<&str> = columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.path.as_str())
            .collect();
        assert!(required.contains(&"trade.amount"), "{required:?}");
    }

    #[test]
    fn the_example_file_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/payouts.csv");
        let file = PayoutFile::read(&path).unwrap();
        assert!(file.rows().len() >= 3);
        assert!(file.rows().iter().any(|r| r.out_trade_no == "payouts_r1"));
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
        let record = csv::StringRecord::from(vec!["42", "42"]);
        let data = row_data(&[&column, &text], &record);
        assert_eq!(Value::Object(data), json!({"a": {"n": 42, "s": "42"}}));
        let record = csv::StringRecord::from(vec!["4.2", ""]);
        let data = row_data(&[&column, &text], &record);
        assert_eq!(Value::Object(data), json!({"a": {"n": "4.2"}}));
    }

    #[test]
    fn results_file_appends_remembers_orders_and_mends_a_cut_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        {
            let mut results = ResultsFile::open(&path).unwrap();
            results
                .append(&RowResult {
                    row: 1,
                    out_trade_no: "a_r1".into(),
                    status: Some("PENDING".into()),
                    trade_no: Some("T1".into()),
                    error: None,
                })
                .unwrap();
            results
                .append(&RowResult {
                    row: 2,
                    out_trade_no: "a_r2".into(),
                    status: None,
                    trade_no: None,
                    error: Some("TOO_MANY_REQUEST, \"later\"".into()),
                })
                .unwrap();
        }
        // A line cut short by a crash.
        OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"a_r3,PEND")
            .unwrap();
        let mut results = ResultsFile::open(&path).unwrap();
        assert_eq!(results.recorded_status("a_r1"), Some("PENDING"));
        assert_eq!(results.recorded_status("a_r2"), None);
        assert_eq!(results.recorded_status("a_r3"), None);
        results
            .append(&RowResult {
                row: 3,
                out_trade_no: "a_r3".into(),
                status: Some("SUCCESS".into()),
                trade_no: Some("T3".into()),
                error: None,
            })
            .unwrap();
        assert_eq!(results.recorded_status("a_r3"), Some("SUCCESS"));
        drop(results);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "outTradeNo,status,tradeNo,error\na_r1,PENDING,T1,\na_r2,,,\"TOO_MANY_REQUEST, \"\"later\"\"\"\na_r3,PEND\na_r3,SUCCESS,T3,\n"
        );
    }

    #[test]
    fn results_file_refuses_other_files_and_a_second_writer() {
        let dir = tempfile::tempdir().unwrap();
        let payees = dir.path().join("payouts.csv");
        std::fs::write(&payees, format!("{HEADER}\n")).unwrap();
        let err = ResultsFile::open(&payees).unwrap_err().to_string();
        assert!(err.contains("is not a results file"), "{err}");
        let path = dir.path().join("r.csv");
        let _first = ResultsFile::open(&path).unwrap();
        let err = ResultsFile::open(&path).unwrap_err().to_string();
        assert!(err.contains("another payout run is writing it"), "{err}");
    }

    #[test]
    fn summary_reads_well() {
        let summary = Summary {
            rows: 5,
            already_recorded: 1,
            orders: BTreeMap::from([("PENDING".into(), 3)]),
            errors: 1,
        };
        assert_eq!(
            summary.to_string(),
            "5 rows: 3 orders (PENDING 3), 1 errors, 1 already recorded"
        );
        assert!(!summary.complete());
    }
}
