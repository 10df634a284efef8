//! `payermax payout --csv FILE`: pays every row of a payee CSV at most once, on top of
//! [`payermax::bulk`]. Credentials come from `PAYERMAX_*` environment variables
//! ([`config_from_env`]); progress and row errors go to stderr (a bar only on a terminal), the
//! summary to stdout.

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use payermax::bulk::{self, BulkError, PayoutFile, ResultsFile};
use payermax::runtime::{Config, Environment, Error, RetryPolicy};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

const AFTER_LONG_HELP: &str = "\
THE PAYEE FILE
  CSV (UTF-8), a header row, then one payee per row. Column names are the JSON paths of the
  paymentOrderPay request data, nested names joined by dots, in any order:
    outTradeNo,country,trade.amount,trade.currency,payeeInfo.paymentMethodType,
    payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName,...
  `payermax payout --columns` lists every column; an unknown column name is an error. Cells
  are trimmed; an empty cell is not sent, so one file can mix countries and methods.
  Rows count from 1 (the header is not a row). Example: examples/payouts.csv.

ORDER NUMBERS (outTradeNo, THE IDEMPOTENCY KEY)
  Taken from the outTradeNo cell; when that is empty or absent, derived from the file name
  and the row number: <file stem>_r<row> (\"june_payouts.csv\", row 7 -> june_payouts_r7).
  A stem with characters outside [A-Za-z0-9_], or too long for 63 characters, has them
  replaced by _, is cut, and gains 8 hex digits of its SHA-256, so distinct names never
  share ids (\"june payouts.csv\", row 7 -> june_payouts_dfbe9ed1_r7).
  Running the same file again (after a crash or a kill) never pays a row twice: an order
  placed by an earlier run is answered ORDER_REPEAT and resolved by an inquiry.
  RENAMING THE FILE CHANGES THE DERIVED IDS (the renamed file pays every row again), and so
  does inserting, deleting or reordering rows (for the rows after the change): only append
  to a file that was (partly) paid, or fill in outTradeNo. Files with the same stem in
  different directories derive the same ids: give them distinct names.

BEFORE SENDING
  Every row is checked against the spec (API-wide rules and the rules of its country and
  method), and order numbers must be unique. All invalid rows are listed with their row,
  line and field path, and nothing is sent (exit status 1).

SENDING
  At most --concurrency rows at a time. TOO_MANY_REQUEST and HTTP 429 are sent again with
  exponential back-off and jitter (0.5 s doubling to 8 s, up to 8 sends per row within 60 s);
  unclear outcomes (timeouts, 5xx, ORDER_REPEAT) are resolved by inquiry.

THE RESULTS FILE
  Columns outTradeNo,status,tradeNo,error; one line per finished row, appended and flushed
  at once, so a killed run keeps every line it finished. status is PayerMax's answer at the
  time (PENDING until the order settles); a row without an order has an empty status and
  an error. Run the same command again to finish a run: rows recorded with a status are
  skipped, the others are sent again under the same outTradeNo.

ENVIRONMENT
  PAYERMAX_MERCHANT_NO       the merchant number
  PAYERMAX_APP_ID            the app id
  PAYERMAX_PRIVATE_KEY       the merchant private key (dashboard format or PEM), or
  PAYERMAX_PRIVATE_KEY_FILE  a file holding it
  PAYERMAX_PUBLIC_KEY        PayerMax's public key (dashboard format or PEM), or
  PAYERMAX_PUBLIC_KEY_FILE   a file holding it
  PAYERMAX_ENV               uat | production | a base URL, e.g. the local sandbox's
                             http://127.0.0.1:PORT/aggregate-pay/api/gateway
  Key material is never printed.

EXIT STATUS
  0  every row has an order (whatever its status: a FAILED order is PayerMax's answer)
  1  invalid rows (nothing sent), or rows without an order (run again to retry them)
  2  usage, configuration or file errors";

/// `payermax payout` arguments.
#[derive(Args)]
#[command(after_long_help = AFTER_LONG_HELP)]
pub struct PayoutArgs {
    /// The payee file: CSV, one payee per row, columns named by JSON path (see --help).
    #[arg(long, value_name = "FILE", required_unless_present = "columns")]
    csv: Option<PathBuf>,
    /// The results file, appended to [default: the payee file with extension .results.csv].
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    /// How many rows are paid at the same time.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// Check the file and show the order numbers; send nothing (no credentials needed).
    #[arg(long)]
    dry_run: bool,
    /// List every column a payee file may have, and exit.
    #[arg(long, exclusive = true)]
    columns: bool,
}

/// Runs `payermax payout`.
pub fn run(args: PayoutArgs) -> Result<ExitCode, String> {
    if args.columns {
        print_columns();
        return Ok(ExitCode::SUCCESS);
    }
    let Some(csv) = args.csv else {
        return Err("--csv FILE is required".into());
    };
    let file = match PayoutFile::read(&csv) {
        Ok(file) => file,
        Err(e @ BulkError::Read { .. }) => return Err(e.to_string()),
        // The file's content is wrong: every problem at once, nothing sent.
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if args.dry_run {
        let rows = file.rows();
        let ids: Vec<&str> = [rows.first(), rows.last()]
            .into_iter()
            .flatten()
            .map(|r| r.out_trade_no.as_str())
            .collect();
        println!(
            "{}: {} rows are valid (outTradeNo {}); nothing was sent",
            file.name(),
            rows.len(),
            ids.join(" … ")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let config = config_from_env(&|name| match std::env::var(name) {
        Ok(value) => Ok(Some(value).filter(|v| !v.trim().is_empty())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    })?;
    let results_path = args
        .results
        .unwrap_or_else(|| csv.with_extension("results.csv"));
    if same_file(&csv, &results_path) {
        return Err(format!(
            "--results {} is the payee file; choose another results file",
            results_path.display()
        ));
    }
    let mut results = ResultsFile::open(&results_path).map_err(|e| e.to_string())?;
    let base_url = config.environment().base_url().to_owned();
    let client = payermax::Client::new(config).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let pending = file
        .rows()
        .iter()
        .filter(|r| results.recorded_status(&r.out_trade_no).is_none())
        .count();
    eprintln!(
        "{}: paying {pending} of {} rows ({} at a time) at {base_url}; results in {}",
        file.name(),
        file.rows().len(),
        args.concurrency,
        results.path().display()
    );
    let bar = progress_bar(pending as u64);
    let summary = runtime.block_on(bulk::pay_file(
        &client,
        &file,
        &mut results,
        usize::from(args.concurrency),
        |row| {
            if let Some(error) = &row.error {
                bar.suspend(|| eprintln!("row {} ({}): {error}", row.row, row.out_trade_no));
            }
            bar.inc(1);
        },
    ));
    bar.finish_and_clear();
    let summary = summary.map_err(|e| e.to_string())?;
    println!("{}: {summary}", file.name());
    if summary.complete() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} rows have no order (see their error in {}); run the same command again to retry them: they keep their outTradeNo and are never paid twice",
            summary.errors,
            results.path().display()
        );
        Ok(ExitCode::FAILURE)
    }
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

/// Reads one environment variable: `Ok(None)` when unset or blank.
pub type Lookup<'a> = dyn Fn(&str) -> Result<Option<String>, String> + 'a;

/// The merchant's configuration from `PAYERMAX_*` variables (see the command's help). Every
/// missing or malformed variable is named in the error; key material never appears in it.
pub fn config_from_env(var: &Lookup<'_>) -> Result<Config, String> {
    let mut problems = Vec::new();
    let mut required = |name: &str, what: &str| match var(name) {
        Ok(Some(value)) => Some(value),
        Ok(None) => {
            problems.push(format!("{name} is not set: {what}"));
            None
        }
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let merchant_no = required(
        "PAYERMAX_MERCHANT_NO",
        "the merchant number PayerMax issued",
    );
    let app_id = required("PAYERMAX_APP_ID", "the app id PayerMax issued");
    let environment = required(
        "PAYERMAX_ENV",
        "uat, production, or a base URL such as http://127.0.0.1:8080/aggregate-pay/api/gateway",
    );
    let private_key = key(
        var,
        "PAYERMAX_PRIVATE_KEY",
        "the merchant private key (dashboard format or PEM)",
    );
    let public_key = key(
        var,
        "PAYERMAX_PUBLIC_KEY",
        "PayerMax's public key (dashboard format or PEM)",
    );
    let environment = environment.and_then(|text| match parse_environment(&text) {
        Ok(env) => Some(env),
        Err(e) => {
            problems.push(e);
            None
        }
    });
    let (private_key, private_var) = match private_key {
        Ok(k) => k,
        Err(e) => {
            problems.push(e);
            (Zeroizing::new(String::new()), "")
        }
    };
    let (public_key, public_var) = match public_key {
        Ok(k) => k,
        Err(e) => {
            problems.push(e);
            (Zeroizing::new(String::new()), "")
        }
    };
    let (Some(merchant_no), Some(app_id), Some(environment), true) =
        (merchant_no, app_id, environment, problems.is_empty())
    else {
        return Err(problems.join("\n"));
    };
    Config::builder()
        .merchant_no(merchant_no)
        .app_id(app_id)
        .merchant_private_key(&private_key)
        .payermax_public_key(&public_key)
        .environment(environment)
        .retry_policy(RetryPolicy {
            max_attempts: 8,
            ..RetryPolicy::default()
        })
        .build()
        .map_err(|e| match e {
            Error::Config { field, message } => {
                let variable = match field {
                    "merchant_no" => "PAYERMAX_MERCHANT_NO",
                    "app_id" => "PAYERMAX_APP_ID",
                    "merchant_private_key" => private_var,
                    "payermax_public_key" => public_var,
                    "environment" => "PAYERMAX_ENV",
                    other => other,
                };
                format!("{variable}: {message}")
            }
            other => other.to_string(),
        })
}

/// A key's text from `NAME` or from the file named by `NAME_FILE` (exactly one of them), and
/// the variable it came from. The text is wiped from memory when dropped.
fn key(
    var: &Lookup<'_>,
    name: &'static str,
    what: &str,
) -> Result<(Zeroizing<String>, &'static str), String> {
    let file_var: &'static str = match name {
        "PAYERMAX_PRIVATE_KEY" => "PAYERMAX_PRIVATE_KEY_FILE",
        _ => "PAYERMAX_PUBLIC_KEY_FILE",
    };
    match (var(name)?, var(file_var)?) {
        (Some(_), Some(_)) => Err(format!("both {name} and {file_var} are set: set only one")),
        (Some(text), None) => Ok((Zeroizing::new(text), name)),
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map(|text| (Zeroizing::new(text), file_var))
            .map_err(|e| format!("{file_var}: cannot read {path}: {e}")),
        (None, None) => Err(format!("{name} (or {file_var}) is not set: {what}")),
    }
}

fn parse_environment(text: &str) -> Result<Environment, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("uat") {
        Ok(Environment::Uat)
    } else if text.eq_ignore_ascii_case("production") {
        Ok(Environment::Production)
    } else if text.starts_with("http://") || text.starts_with("https://") {
        Ok(Environment::Custom(text.to_owned()))
    } else {
        Err(format!(
            "PAYERMAX_ENV is `{text}`: expected uat, production, or a base URL such as http://127.0.0.1:8080/aggregate-pay/api/gateway"
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &HashMap<&str, String>) -> impl Fn(&str) -> Result<Option<String>, String> {
        move |name| Ok(vars.get(name).cloned())
    }

    fn keys() -> (String, String) {
        let (private, _) = payermax::runtime::keys::generate_keypair().unwrap();
        let (_, payermax_public) = payermax::runtime::keys::generate_keypair().unwrap();
        (
            private.to_dashboard().unwrap().to_string(),
            payermax_public.to_dashboard(),
        )
    }

    #[test]
    fn every_missing_variable_is_named() {
        let err = config_from_env(&lookup(&HashMap::new())).unwrap_err();
        for name in [
            "PAYERMAX_MERCHANT_NO",
            "PAYERMAX_APP_ID",
            "PAYERMAX_ENV",
            "PAYERMAX_PRIVATE_KEY (or PAYERMAX_PRIVATE_KEY_FILE)",
            "PAYERMAX_PUBLIC_KEY (or PAYERMAX_PUBLIC_KEY_FILE)",
        ] {
            assert!(err.contains(&format!("{name} is not set")), "{name}: {err}");
        }
    }

    #[test]
    fn a_full_environment_builds_a_config() {
        let (private, public) = keys();
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("key.txt");
        std::fs::write(&key_file, &private).unwrap();
        let vars = HashMap::from([
            ("PAYERMAX_MERCHANT_NO", "M1".to_owned()),
            ("PAYERMAX_APP_ID", "app1".to_owned()),
            ("PAYERMAX_PRIVATE_KEY_FILE", key_file.display().to_string()),
            ("PAYERMAX_PUBLIC_KEY", public),
            (
                "PAYERMAX_ENV",
                "http://127.0.0.1:9/aggregate-pay/api/gateway".to_owned(),
            ),
        ]);
        let config = config_from_env(&lookup(&vars)).unwrap();
        assert_eq!(config.merchant_no(), "M1");
        assert_eq!(
            config.environment(),
            &Environment::Custom("http://127.0.0.1:9/aggregate-pay/api/gateway".into())
        );
        assert_eq!(config.retry_policy().max_attempts, 8);
    }

    #[test]
    fn malformed_variables_are_named_without_key_material() {
        let (private, public) = keys();
        let broken = format!("{}x", &private[..private.len() / 2]);
        let vars = HashMap::from([
            ("PAYERMAX_MERCHANT_NO", "M1".to_owned()),
            ("PAYERMAX_APP_ID", "app1".to_owned()),
            ("PAYERMAX_PRIVATE_KEY", broken.clone()),
            ("PAYERMAX_PUBLIC_KEY", public.clone()),
            ("PAYERMAX_ENV", "uat".to_owned()),
        ]);
        let err = config_from_env(&lookup(&vars)).unwrap_err();
        assert!(err.starts_with("PAYERMAX_PRIVATE_KEY: "), "{err}");
        assert!(!err.contains(&broken[..20]), "key material in {err}");

        let mut vars = vars;
        vars.insert("PAYERMAX_PRIVATE_KEY", private.clone());
        vars.insert("PAYERMAX_ENV", "staging".to_owned());
        let err = config_from_env(&lookup(&vars)).unwrap_err();
        assert!(
            err.starts_with("PAYERMAX_ENV is `staging`: expected uat"),
            "{err}"
        );

        vars.insert("PAYERMAX_ENV", "production".to_owned());
        vars.insert("PAYERMAX_PUBLIC_KEY_FILE", "/nonexistent".to_owned());
        let err = config_from_env(&lookup(&vars)).unwrap_err();
        assert_eq!(
            err,
            "both PAYERMAX_PUBLIC_KEY and PAYERMAX_PUBLIC_KEY_FILE are set: set only one"
        );

        vars.remove("PAYERMAX_PUBLIC_KEY_FILE");
        // The merchant's own public key where PayerMax's belongs: the runtime notices.
        let own_public = payermax::runtime::PrivateKey::parse(&private)
            .unwrap()
            .public_key()
            .unwrap()
            .to_dashboard();
        vars.insert("PAYERMAX_PUBLIC_KEY", own_public);
        let err = config_from_env(&lookup(&vars)).unwrap_err();
        assert!(
            err.starts_with("PAYERMAX_PUBLIC_KEY: is the public half"),
            "{err}"
        );
        assert!(!err.contains(&private[..40]));
    }

    #[test]
    fn environments() {
        assert_eq!(parse_environment(" UAT "), Ok(Environment::Uat));
        assert_eq!(parse_environment("production"), Ok(Environment::Production));
        assert!(parse_environment("prod").is_err());
    }
}
