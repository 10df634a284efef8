//! The `payermax` command: spec tools, payee validation, keys and signatures.

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
            print!("{}", spec_cmd::docs(&spec_cmd::load(root.as_deref(), &[])?));
            Ok(ExitCode::SUCCESS)
        }
        Command::Spec(SpecCommand::Diff { old, new }) => {
            let old = spec_cmd::load(Some(&old), &[])?;
            let new = spec_cmd::load(Some(&new), &[])?;
            for line in spec_cmd::diff(&old, &new) {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
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

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
