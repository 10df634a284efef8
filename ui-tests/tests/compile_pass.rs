//! The compile-pass cases: programs a merchant writes against the generated API, built with
//! this package's tests and run. A case that stops compiling fails the build, which names
//! it; so they compile once, with the rest of the workspace's tests, instead of in a second
//! build of every dependency (the compile-fail cases, whose errors are what is tested, are
//! `tests/ui.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

#[path = "ui/pass/extend.rs"]
mod extend;
#[path = "ui/pass/notification_handler.rs"]
mod notification_handler;
#[path = "ui/pass/payouts.rs"]
mod payouts;
/// The reviewed expansion snapshot of payermax-codegen, compiled as a merchant's code. Clippy
/// reads it as hand-written code, which macro output is not (in a merchant's crate these
/// lints do not fire on it): empty docs of undocumented spec types, a one-arm `match` over a
/// one-variant enum, `unreachable!` after an exhaustive parse.
#[allow(
    dead_code,
    clippy::empty_docs,
    clippy::match_single_binding,
    clippy::unreachable
)]
// Written by payermax-codegen's snapshot test as prettyplease prints it; rustfmt keeps off.
#[rustfmt::skip]
#[path = "../../payermax-codegen/tests/expanded/mini.rs"]
mod mini;

#[test]
fn payouts_in_several_countries() {
    payouts::main();
}

#[test]
fn notification_handlers() {
    notification_handler::main();
}

#[test]
fn a_merchants_own_country() {
    extend::main();
}

/// Editing a spec file rebuilds the crate that invoked `generate!`: the macro emits
/// `include_str!` for every file it read, so rustc lists them in the crate's dep-info, which
/// is what cargo compares with the files on disk to decide a rebuild. Checked on the dep-info
/// rustc wrote for this very test binary, whose `extend` module reads an extension file and
/// the country file it lists, so no second build is needed. (The built-in spec is the SDK's
/// own source: payermax-spec embeds it, and cargo rebuilds that crate when it changes.)
#[test]
fn every_spec_file_read_is_an_input_of_the_build() {
    let exe = std::env::current_exe().unwrap();
    let dep_info = std::fs::read_to_string(exe.with_extension("d"))
        .unwrap_or_else(|e| panic!("no dep-info beside {}: {e}", exe.display()));
    // rustc runs in the workspace's folder: relative paths are relative to it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let inputs: Vec<PathBuf> = dep_info
        .lines()
        .filter_map(|line| line.strip_suffix(':'))
        .filter_map(|path| std::fs::canonicalize(root.join(path.replace("\\ ", " "))).ok())
        .collect();
    for file in [
        "tests/fixtures/extend/extra.yaml",
        "tests/fixtures/extend/countries/zz.yaml",
    ] {
        let file = std::fs::canonicalize(root.join(file)).unwrap();
        assert!(
            inputs.contains(&file),
            "{} is not an input of the build, so editing it would not rebuild: {inputs:?}",
            file.display()
        );
    }
}
