//! `payermax payout --csv FILE --batch NAME` (pay a payee file at most once, on the ledger),
//! `payermax payout status` and `payermax payout export` (where the ledger's payouts stand),
//! and `payermax reconcile` (the ledger against PayerMax's batch query). Credentials come from
//! `PAYERMAX_*` environment variables ([`crate::env`]); progress, waits and row errors go to
//! stderr (a bar only on a terminal), summaries to stdout. A closed stdout or stderr (`| head`)
//! never stops a run.

use crate::env::{config_from_env, process_var, retry, shown_url};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use payermax::bulk::{self, BulkError, BulkEvent, BulkOptions, RowIds, Rules};
use payermax::ledger::{Ledger, LedgerExt as _, PayoutRecord};
use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

const AFTER_LONG_HELP: &str = "\
THE PAYEE FILE
  CSV (UTF-8), a header row, then one payee per row. Column names are the JSON paths of the
  paymentOrderPay request data, nested names joined by dots, in any order:
    country,trade.amount,trade.currency,payeeInfo.paymentMethodType,
    payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName,...
  `payermax payout --columns` lists every column; an unknown column name is an error. Cells
  are trimmed; an empty cell is not sent, so one file can mix countries and methods.
  Rows count from 1 (the header is not a row). Example: examples/payouts.csv.

BATCHES AND ORDER NUMBERS (outTradeNo, THE IDEMPOTENCY KEY)
  A row's outTradeNo cell is used as it is. Otherwise --batch NAME derives it from the batch
  name and the payee (country, method, organisation, bank code, account; and which payment
  to that payee it is within the batch). It does not depend on the file's name or the row's
  position: copying, renaming, sorting the file or inserting rows gives every payee the same
  number again, so nobody is paid twice; another batch name (next month's) gives new ones.
  Without --batch, every row needs its outTradeNo.
  Files partly paid by versions before the ledger (numbers <file stem>_r<row>): finish them
  with --legacy-ids --adopt-existing (their orders are found and recorded, not paid again).

THE LEDGER
  Every payout is recorded before it is sent, with every status afterwards (answer, inquiry,
  notification, batch query): an SQLite file (default: payermax-ledger.sqlite beside the
  payee file; one ledger for all your payee files is best: set PAYERMAX_LEDGER) or a
  PostgreSQL URL (postgres://user:password@host/db) for several machines. A damaged ledger
  file is refused, never read as \"nothing paid\". Several `payermax payout` processes may work
  one ledger and one file at once: each row is sent by one of them.

BEFORE SENDING
  Every row is checked against the spec, order numbers must be unique, and a row whose
  number the ledger holds for another payout (a corrected amount after a crash) is refused
  with both versions and the recorded order's status. All problems are listed with their row,
  line and field path, and nothing is sent (exit status 1).
  Duplicate-payment guard: a row paying the same payee the same amount as a payout of
  another batch recorded within --repeat-window (7d) is held back and reported, unless
  --allow-repeat.

SENDING
  At most --concurrency rows at a time. TOO_MANY_REQUEST and HTTP 429 are sent again with
  exponential back-off and jitter; unclear outcomes (timeouts, 5xx, ORDER_REPEAT) are resolved
  by inquiry under the same number. When PayerMax does not know an order whose send had an
  unknown outcome, the row waits --unknown-outcome-wait (5m, twice) before it is sent again;
  each waiting row is shown and the other rows go on. A run can be killed at any moment and
  run again: nothing is paid twice.

RESULTS
  <FILE>.results.csv (or --results FILE) is written at the end of each run as an export of
  the ledger (outTradeNo,batch,file,line,payee,amount,currency,status,...), whole or not at
  all. `payermax payout status --batch NAME --refresh` asks PayerMax for the statuses of
  pending payouts; `payermax payout export` writes the ledger as CSV.

ENVIRONMENT
  PAYERMAX_MERCHANT_NO       the merchant number
  PAYERMAX_APP_ID            the app id
  PAYERMAX_PRIVATE_KEY       the merchant private key (dashboard format or PEM), or
  PAYERMAX_PRIVATE_KEY_FILE  a file holding it
  PAYERMAX_PUBLIC_KEY        PayerMax's public key (dashboard format or PEM), or
  PAYERMAX_PUBLIC_KEY_FILE   a file holding it
  PAYERMAX_ENV               uat | production | a base URL, e.g. the local sandbox's
                             http://127.0.0.1:PORT/aggregate-pay/api/gateway
  PAYERMAX_LEDGER            the ledger (a path or a postgres:// URL), when --ledger is absent
  PAYERMAX_UNKNOWN_OUTCOME_WAIT  --unknown-outcome-wait, when the flag is absent
  No key, token or password is ever printed.

EXIT STATUS
  0  every row has an order and none FAILED or BOUNCED BACK (as far as known)
  1  invalid or conflicting rows (nothing sent), rows held back, rows without an order (run
     again to retry them), or FAILED / BOUNCEBACK orders
  2  usage, configuration, ledger or file errors";

/// `payermax payout` arguments: a run (`--csv`) or a subcommand.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = AFTER_LONG_HELP)]
pub struct PayoutArgs {
    #[command(subcommand)]
    command: Option<PayoutCommand>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum PayoutCommand {
    /// Where the ledger's payouts stand; --refresh asks PayerMax first. Exit 1 while any
    /// payout FAILED or BOUNCED BACK, or has no order.
    Status(StatusArgs),
    /// Write the ledger's payouts as CSV (stdout, or --out FILE).
    Export(ExportArgs),
}

#[derive(Args)]
struct RunArgs {
    /// The payee file: CSV, one payee per row, columns named by JSON path (see --help).
    #[arg(long, value_name = "FILE", required_unless_present = "columns")]
    csv: Option<PathBuf>,
    /// The batch the rows belong to (e.g. 2026-06-payroll): names the order numbers of rows
    /// without an outTradeNo, and is recorded with every row.
    #[arg(long, value_name = "NAME")]
    batch: Option<String>,
    /// Derive missing order numbers as versions before the ledger did (`<file stem>_r<row>`),
    /// to finish files they started.
    #[arg(long, conflicts_with = "batch")]
    legacy_ids: bool,
    /// Record orders PayerMax already has under a row's number (placed before the ledger
    /// existed) as that row's, when amount and currency match.
    #[arg(long)]
    adopt_existing: bool,
    /// Send rows the duplicate-payment guard holds back.
    #[arg(long)]
    allow_repeat: bool,
    /// Spec extension files (your own countries or rails, as `generate!(extend = ...)` reads
    /// them): rows are checked by the built-in spec plus these.
    #[arg(long, value_name = "FILE")]
    extend: Vec<PathBuf>,
    /// How far back the duplicate-payment guard looks (e.g. 7d, 48h).
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = humantime::parse_duration)]
    repeat_window: Duration,
    /// The ledger: an SQLite file or a postgres:// URL [default: PAYERMAX_LEDGER, else
    /// payermax-ledger.sqlite beside the payee file].
    #[arg(long, value_name = "PATH|URL")]
    ledger: Option<String>,
    /// The results export [default: the payee file with extension .results.csv].
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    /// How many rows are paid at the same time.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// How long to wait before asking again when PayerMax does not know an order whose send
    /// had an unknown outcome [default: PAYERMAX_UNKNOWN_OUTCOME_WAIT, else 5m].
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    unknown_outcome_wait: Option<Duration>,
    /// Check the file (and the ledger) and show the order numbers; send and record nothing
    /// (no credentials needed).
    #[arg(long)]
    dry_run: bool,
    /// List every column a payee file may have, and exit.
    #[arg(long, exclusive = true)]
    columns: bool,
}

#[derive(Args)]
struct StatusArgs {
    /// The ledger [default: PAYERMAX_LEDGER, else ./payermax-ledger.sqlite].
    #[arg(long, value_name = "PATH|URL")]
    ledger: Option<String>,
    /// Only this batch.
    #[arg(long, value_name = "NAME")]
    batch: Option<String>,
    /// First ask PayerMax about payouts without a settled status (needs the PAYERMAX_*
    /// credentials).
    #[arg(long)]
    refresh: bool,
    /// With --refresh: only payouts last seen longer ago than this.
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = humantime::parse_duration)]
    older_than: Duration,
}

#[derive(Args)]
struct ExportArgs {
    /// The ledger [default: PAYERMAX_LEDGER, else ./payermax-ledger.sqlite].
    #[arg(long, value_name = "PATH|URL")]
    ledger: Option<String>,
    /// Only this batch.
    #[arg(long, value_name = "NAME")]
    batch: Option<String>,
    /// Write here (whole or not at all) instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// `payermax reconcile` arguments.
#[derive(Args)]
pub struct ReconcileArgs {
    /// The ledger [default: PAYERMAX_LEDGER, else ./payermax-ledger.sqlite].
    #[arg(long, value_name = "PATH|URL")]
    ledger: Option<String>,
    /// Start of the range, UTC: `2026-06-01` or `2026-06-01 08:00:00`.
    #[arg(long, value_parser = parse_time)]
    from: chrono::DateTime<chrono::Utc>,
    /// End of the range (exclusive), UTC.
    #[arg(long, value_parser = parse_time)]
    to: chrono::DateTime<chrono::Utc>,
}

fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let text = text.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .map_err(|_| "expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC)".to_owned())?;
    Ok(naive.and_utc())
}

/// Writes a line to stdout; a closed pipe is not an error and never a panic.
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

/// Writes a line to stderr; likewise.
fn err(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

fn ledger_location(given: Option<String>, beside: Option<&Path>) -> Result<String, String> {
    if let Some(given) = given {
        return Ok(given);
    }
    if let Some(from_env) = process_var("PAYERMAX_LEDGER")? {
        return Ok(from_env);
    }
    let dir = beside
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(dir.join("payermax-ledger.sqlite").display().to_string())
}

/// For commands that read a ledger: an SQLite path must exist (opening would create an empty
/// one, which says nothing).
fn existing(location: &str) -> Result<(), String> {
    let is_url = location.starts_with("postgres://") || location.starts_with("postgresql://");
    let path = location.strip_prefix("sqlite:").unwrap_or(location);
    if !is_url && !Path::new(path).exists() {
        return Err(format!(
            "there is no ledger at {path}: give --ledger PATH|URL or set PAYERMAX_LEDGER"
        ));
    }
    Ok(())
}

fn client(unknown_outcome_wait: Option<Duration>) -> Result<(payermax::Client, String), String> {
    let wait = match unknown_outcome_wait {
        Some(w) => Some(w),
        None => process_var("PAYERMAX_UNKNOWN_OUTCOME_WAIT")?
            .map(|text| {
                humantime::parse_duration(text.trim())
                    .map_err(|e| format!("PAYERMAX_UNKNOWN_OUTCOME_WAIT: {e} (e.g. 30s, 5m)"))
            })
            .transpose()?,
    };
    let config = config_from_env(&process_var, retry(wait))?;
    let base_url = shown_url(config.environment().base_url());
    let client = payermax::Client::new(config).map_err(|e| e.to_string())?;
    Ok((client, base_url))
}

/// Runs `payermax payout`.
pub fn run(args: PayoutArgs) -> Result<ExitCode, String> {
    match args.command {
        Some(PayoutCommand::Status(status)) => run_status(status),
        Some(PayoutCommand::Export(export)) => run_export(export),
        None => run_file(args.run),
    }
}

fn run_file(args: RunArgs) -> Result<ExitCode, String> {
    if args.columns {
        print_columns();
        return Ok(ExitCode::SUCCESS);
    }
    let Some(csv) = args.csv.clone() else {
        return Err("--csv FILE is required".into());
    };
    let ids = match (&args.batch, args.legacy_ids) {
        (Some(batch), _) => {
            if batch.trim().is_empty() {
                return Err("--batch needs a name, e.g. --batch 2026-06-payroll".into());
            }
            RowIds::Batch(batch.trim().to_owned())
        }
        (None, true) => RowIds::Legacy,
        (None, false) => RowIds::OwnOnly,
    };
    let rules = if args.extend.is_empty() {
        Rules::builtin()
    } else {
        // Kept for the rest of the process, which runs one file.
        let spec = crate::spec_cmd::load(None, &args.extend)?;
        Rules::from_plan(&Box::leak(Box::new(spec)).plan)
    };
    let options = BulkOptions {
        repeat_window: args.repeat_window,
        allow_repeat: args.allow_repeat,
        adopt_existing: args.adopt_existing,
        concurrency: usize::from(args.concurrency),
        rules,
        ..BulkOptions::new(ids)
    };
    let runtime = runtime()?;
    let location = if args.dry_run {
        // A dry run records nothing: a ledger that does not exist yet is not created.
        let location = ledger_location(args.ledger.clone(), Some(&csv))?;
        match existing(&location) {
            Ok(()) => location,
            Err(_) => std::env::temp_dir()
                .join(format!("payermax-dry-run-{}.sqlite", std::process::id()))
                .display()
                .to_string(),
        }
    } else {
        ledger_location(args.ledger.clone(), Some(&csv))?
    };
    let code = runtime.block_on(async {
        let ledger = Ledger::open(&location).await.map_err(|e| e.to_string())?;
        let result = pay_file(&ledger, &csv, &options, &args).await;
        ledger.close().await;
        result
    });
    if args.dry_run && location.contains("payermax-dry-run-") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{location}{suffix}"));
        }
        let _ = std::fs::remove_dir_all(format!("{location}.workers"));
    }
    code
}

async fn pay_file(
    ledger: &Ledger,
    csv: &Path,
    options: &BulkOptions,
    args: &RunArgs,
) -> Result<ExitCode, String> {
    let checked = match bulk::check_file(csv, ledger, options).await {
        Ok(checked) => checked,
        Err(e @ (BulkError::Read { .. } | BulkError::Ledger(_))) => return Err(e.to_string()),
        // The file's content is wrong: every problem at once, nothing sent.
        Err(e) => {
            err(&e.to_string());
            return Ok(ExitCode::FAILURE);
        }
    };
    for held in checked.held() {
        err(&held.to_string());
    }
    // Advisory rules rest on an example or a guess: shown, never blocking.
    for warning in checked.warnings() {
        err(&format!("warning: {warning} (advisory)"));
    }
    if checked.warning_count() > checked.warnings().len() {
        err(&format!(
            "warning: {} more advisory warnings not shown",
            checked.warning_count() - checked.warnings().len()
        ));
    }
    let recorded: usize = checked.with_order().values().sum();
    if args.dry_run {
        out(&format!(
            "{}: {} rows are valid (batch {}; outTradeNo {}{}); {} already have an order, {} held back; nothing was sent",
            checked.name(),
            checked.rows(),
            checked.batch(),
            checked.first_ids().join(", "),
            if checked.rows() > checked.first_ids().len() {
                ", …"
            } else {
                ""
            },
            recorded,
            checked.held().len()
        ));
        return Ok(if checked.held().is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let (client, base_url) = client(args.unknown_outcome_wait)?;
    let to_send = checked
        .rows()
        .saturating_sub(recorded + checked.held().len());
    err(&format!(
        "{}: batch {}, {} rows ({recorded} already with an order, {} held back); paying up to {to_send} ({} at a time) at {base_url}; ledger {}",
        checked.name(),
        checked.batch(),
        checked.rows(),
        checked.held().len(),
        options.concurrency,
        ledger.location()
    ));
    let bar = progress_bar(checked.rows() as u64);
    let on_event = |event: BulkEvent| {
        match &event {
            BulkEvent::Paid { .. } => {}
            BulkEvent::Failed { .. }
            | BulkEvent::Waiting { .. }
            | BulkEvent::ByAnotherWorker { .. }
            | BulkEvent::BalanceUnknown { .. } => {
                bar.suspend(|| err(&event.to_string()));
            }
        }
        if matches!(event, BulkEvent::Paid { .. } | BulkEvent::Failed { .. }) {
            bar.inc(1);
        }
    };
    let summary = bulk::pay_checked(&client, ledger, &checked, options, &on_event).await;
    bar.finish_and_clear();
    let results = args
        .results
        .clone()
        .unwrap_or_else(|| csv.with_extension("results.csv"));
    let exported = if same_file(csv, &results) {
        Err(format!(
            "--results {} is the payee file; not written",
            results.display()
        ))
    } else {
        bulk::export_file(ledger, Some(checked.batch()), &results)
            .await
            .map_err(|e| e.to_string())
    };
    let summary = match summary {
        // Nothing was sent and the file is fine: the account needs funds (exit 1, like a
        // file with problems), not a failure of the run.
        Err(e @ BulkError::Balance { .. }) => {
            err(&e.to_string());
            return Ok(ExitCode::FAILURE);
        }
        other => other.map_err(|e| e.to_string())?,
    };
    out(&format!("{}: {summary}", checked.name()));
    match exported {
        Ok(_) => err(&format!("results: {}", results.display())),
        Err(e) => err(&e),
    }
    if summary.complete() {
        return Ok(ExitCode::SUCCESS);
    }
    if summary.errors > 0 {
        err(&format!(
            "{} rows have no order; run the same command again to retry them: they keep their outTradeNo and are never paid twice",
            summary.errors
        ));
    }
    if summary.held > 0 {
        err(&format!(
            "{} rows were held back as likely repeats (see above); --allow-repeat sends them",
            summary.held
        ));
    }
    let failed: usize = ["FAILED", "BOUNCEBACK"]
        .iter()
        .filter_map(|s| summary.orders.get(*s))
        .sum();
    if failed > 0 {
        err(&format!(
            "{failed} orders FAILED or BOUNCED BACK: `payermax payout status --batch {}` lists them",
            checked.batch()
        ));
    }
    Ok(ExitCode::FAILURE)
}

fn run_status(args: StatusArgs) -> Result<ExitCode, String> {
    let location = ledger_location(args.ledger, None)?;
    existing(&location)?;
    runtime()?.block_on(async {
        let ledger = Ledger::open(&location).await.map_err(|e| e.to_string())?;
        let result = status(
            &ledger,
            args.batch.as_deref(),
            args.refresh,
            args.older_than,
        )
        .await;
        ledger.close().await;
        result
    })
}

async fn status(
    ledger: &Ledger,
    batch: Option<&str>,
    refresh: bool,
    older_than: Duration,
) -> Result<ExitCode, String> {
    if refresh {
        let (client, _) = client(None)?;
        let report = ledger
            .refresh_with(&client, older_than, batch)
            .await
            .map_err(|e| e.to_string())?;
        err(&format!("refresh: {report}"));
        for (id, _, change) in &report.changed {
            err(&format!("  {id}: {change}"));
        }
        for (id, why) in &report.refused {
            err(&format!("  {id}: {why}"));
        }
        for (id, e) in &report.errors {
            err(&format!("  {id}: inquiry failed: {e}"));
        }
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut attention: Vec<PayoutRecord> = Vec::new();
    let mut after = 0;
    let mut total = 0;
    loop {
        let (page, next) = ledger
            .list(batch, after, 1000)
            .await
            .map_err(|e| e.to_string())?;
        if page.is_empty() {
            break;
        }
        after = next;
        for record in page {
            total += 1;
            let key = record
                .status
                .clone()
                .unwrap_or_else(|| "NO_ORDER".to_owned());
            *counts.entry(key).or_default() += 1;
            if !matches!(record.status.as_deref(), Some("SUCCESS" | "PENDING")) {
                attention.push(record);
            }
        }
    }
    let by_status: Vec<String> = counts.iter().map(|(s, n)| format!("{s} {n}")).collect();
    out(&format!(
        "{}{total} payouts: {}",
        batch.map(|b| format!("batch {b}: ")).unwrap_or_default(),
        if by_status.is_empty() {
            "none".to_owned()
        } else {
            by_status.join(", ")
        }
    ));
    for r in &attention {
        let what = match (&r.status, &r.last_error) {
            (Some(s), _) => s.clone(),
            (None, Some(e)) => format!("no order: {e}"),
            (None, None) if r.sends == 0 => "recorded, never sent".to_owned(),
            (None, None) => "sent, outcome not known (use --refresh)".to_owned(),
        };
        out(&format!(
            "  {} ({}): {} {} to {}: {what}",
            r.out_trade_no,
            r.origin(),
            r.currency,
            r.amount,
            r.payee
        ));
    }
    let bad = attention.iter().any(|r| {
        matches!(r.status.as_deref(), Some("FAILED" | "BOUNCEBACK")) || r.status.is_none()
    });
    Ok(if bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn run_export(args: ExportArgs) -> Result<ExitCode, String> {
    let location = ledger_location(args.ledger, None)?;
    existing(&location)?;
    runtime()?.block_on(async {
        let ledger = Ledger::open(&location).await.map_err(|e| e.to_string())?;
        let result = match &args.out {
            Some(path) => bulk::export_file(&ledger, args.batch.as_deref(), path).await,
            None => {
                let stdout = std::io::stdout();
                bulk::export_csv(&ledger, args.batch.as_deref(), IgnorePipe(stdout.lock())).await
            }
        };
        ledger.close().await;
        let n = result.map_err(|e| e.to_string())?;
        err(&format!("{n} payouts exported"));
        Ok(ExitCode::SUCCESS)
    })
}

/// A writer for which a closed pipe ends the output quietly.
struct IgnorePipe<W>(W);

impl<W: std::io::Write> std::io::Write for IgnorePipe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
            other => other,
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

/// Runs `payermax reconcile`.
pub fn reconcile(args: ReconcileArgs) -> Result<ExitCode, String> {
    if args.to <= args.from {
        return Err("--to must be later than --from".into());
    }
    let location = ledger_location(args.ledger, None)?;
    existing(&location)?;
    let (client, base_url) = client(None)?;
    runtime()?.block_on(async {
        let ledger = Ledger::open(&location).await.map_err(|e| e.to_string())?;
        err(&format!(
            "reconciling {} .. {} (UTC) at {base_url} with ledger {}",
            args.from.format("%Y-%m-%d %H:%M:%S"),
            args.to.format("%Y-%m-%d %H:%M:%S"),
            ledger.location()
        ));
        let report = ledger.reconcile_range(&client, args.from, args.to).await;
        ledger.close().await;
        let report = report.map_err(|e| e.to_string())?;
        out(&report.to_string());
        for m in &report.missing_from_ledger {
            out(&format!(
                "  missing from the ledger: {} ({}, {})",
                m.out_trade_no,
                m.amount,
                m.status.as_deref().unwrap_or("no status")
            ));
        }
        for d in &report.status_differs {
            out(&format!(
                "  {}: ledger {}, PayerMax {} ({})",
                d.out_trade_no,
                d.ledger.as_deref().unwrap_or("no order"),
                d.payermax,
                d.change
            ));
        }
        Ok(if report.is_clean() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

fn print_columns() {
    let mut text = String::new();
    for column in bulk::columns() {
        let mut notes = Vec::new();
        if column.required {
            notes.push("required");
        }
        if column.integer {
            notes.push("integer");
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        let doc = column.doc.as_deref().unwrap_or("");
        text.push_str(&format!("{}{notes}\t{doc}\n", column.path));
    }
    crate::emit(&text);
}

/// A bar on stderr when it is a terminal; hidden otherwise (logs, pipes, CI).
fn progress_bar(len: u64) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    let style =
        ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {pos}/{len} rows, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn times_parse_as_utc() {
        assert_eq!(
            parse_time("2026-06-01").unwrap().to_rfc3339(),
            "2026-06-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_time("2026-06-01 08:30:00").unwrap().to_rfc3339(),
            "2026-06-01T08:30:00+00:00"
        );
        assert!(parse_time("June").is_err());
    }
}
