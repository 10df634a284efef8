//! The `payermax` command: spec tools, payee validation, bulk payouts, keys and signatures.

/// `println!` that never panics: a closed stdout (`payermax … | head`) is not an error.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod env;
mod keys;
mod payout;
mod spec_cmd;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// PayerMax payouts from the command line.
#[derive(Parser)]
#[command(name = "payermax", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check, document or compare payout specs.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Validate a payout request's `data` JSON against the spec (stdin when FILE is absent).
    Validate {
        /// Destination country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: String,
        /// Payment method type, e.g. BANK_TRANSFER.
        #[arg(long)]
        method: String,
        /// Print the violations as a JSON array.
        #[arg(long)]
        json: bool,
        /// A spec root file to use instead of the built-in spec.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Extension files adding countries or rails.
        #[arg(long)]
        extend: Vec<PathBuf>,
        /// The request file.
        file: Option<PathBuf>,
    },
    /// Run a local PayerMax payout gateway (no config: a demo merchant, keys printed).
    Sandbox(payermax_sandbox::cli::SandboxArgs),
    /// Pay every row of a payee CSV file at most once, on the payout ledger; resumable
    /// (see --help). `payout status` and `payout export` show the ledger.
    Payout(payout::PayoutArgs),
    /// Compare the ledger with PayerMax's orders of a time range (batch query): orders the
    /// ledger lacks, statuses that differ. Exit 1 when there is anything to look into.
    Reconcile(payout::ReconcileArgs),
    /// Generate a 2048-bit RSA key pair in the dashboard format (one line of base64 DER).
    Keygen {
        /// Directory for private_key.txt and public_key.txt.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the base64 SHA256withRSA signature of BODY (stdin when absent).
    Sign {
        /// The merchant private key file (dashboard format or PEM).
        #[arg(long)]
        private_key: PathBuf,
        /// The exact body bytes to sign.
        body: Option<PathBuf>,
    },
    /// Check a `sign` header against BODY (stdin when absent): prints valid or invalid.
    Verify {
        /// The public key file (dashboard format or PEM).
        #[arg(long)]
        public_key: PathBuf,
        /// The base64 signature from the `sign` header.
        #[arg(long)]
        sign: String,
        /// The exact body bytes received.
        body: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum SpecCommand {
    /// Load and check a spec; print a summary, or every error with file:line:column.
    Check {
        /// The root file (default: the built-in spec).
        root: Option<PathBuf>,
        /// Extension files adding countries or rails.
        #[arg(long)]
        extend: Vec<PathBuf>,
    },
    /// Print a Markdown table of countries, methods and field rules.
    Docs {
        /// The root file (default: the built-in spec).
        root: Option<PathBuf>,
    },
    /// Print the code `generate!()` expands to, pretty-printed (for review and editors).
    Expand {
        /// A spec root file to use instead of the built-in spec.
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// List countries, methods and rules added, removed or changed from OLD to NEW.
    Diff {
        /// The old root file.
        old: PathBuf,
        /// The new root file.
        new: PathBuf,
    },
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Spec(SpecCommand::Check { root, extend }) => {
            Ok(spec_cmd::check(root.as_deref(), &extend))
        }
        Command::Spec(SpecCommand::Docs { root }) => {
            emit(&spec_cmd::docs(&spec_cmd::load(root.as_deref(), &[])?));
            Ok(ExitCode::SUCCESS)
        }
        Command::Spec(SpecCommand::Diff { old, new }) => {
            let old = spec_cmd::load(Some(&old), &[])?;
            let new = spec_cmd::load(Some(&new), &[])?;
            for line in spec_cmd::diff(&old, &new) {
                outln!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Spec(SpecCommand::Expand { spec }) => {
            let loaded = spec_cmd::load(spec.as_deref(), &[])?;
            let source = match &spec {
                None => payermax_codegen::SpecSource::Builtin,
                Some(_) => payermax_codegen::SpecSource::Files(
                    loaded
                        .disk_files
                        .iter()
                        .map(|p| p.to_string_lossy().into_owned())
                        .collect(),
                ),
            };
            let tokens = payermax_codegen::generate(&loaded, &source);
            emit(&payermax_codegen::pretty(&tokens)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Sandbox(args) => {
            payermax_sandbox::cli::run_cli(args).map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Payout(args) => payout::run(args),
        Command::Reconcile(args) => payout::reconcile(args),
        Command::Keygen { out } => {
            keys::keygen(&out)?;
            outln!(
                "wrote {0}/private_key.txt (keep it secret) and {0}/public_key.txt (upload it to PayerMax)",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Sign { private_key, body } => {
            outln!(
                "{}",
                keys::sign(&private_key, &read_body(body.as_deref())?)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            public_key,
            sign,
            body,
        } => {
            if keys::verify(&public_key, &sign, &read_body(body.as_deref())?)? {
                outln!("valid");
                Ok(ExitCode::SUCCESS)
            } else {
                outln!("invalid");
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Validate {
            country,
            method,
            json,
            spec,
            extend,
            file,
        } => {
            let spec = spec_cmd::load(spec.as_deref(), &extend)?;
            spec_cmd::validate(&spec, &country, &method, file.as_deref(), json)
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The bytes of `file`, or of stdin.
fn read_body(file: Option<&std::path::Path>) -> Result<Vec<u8>, String> {
    use std::io::Read;
    match file {
        Some(f) => std::fs::read(f).map_err(|e| format!("cannot read {}: {e}", f.display())),
        None => {
            let mut body = Vec::new();
            std::io::stdin()
                .read_to_end(&mut body)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            Ok(body)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(message) => {
            errln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
