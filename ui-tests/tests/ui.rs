//! The generated API under rustc: each `tests/ui/fail/*.rs` must fail to compile with the
//! output in its `.stderr` (`cargo test -p payermax-ui-tests --test ui -- --bless` rewrites
//! them; each was read and judged: it must name the field, country and method, or the spec's
//! file:line:column), and each `tests/ui/pass/*.rs` (marked `//@check-pass`) must compile as a
//! merchant's crate root with no output. The pass cases also run, as modules of
//! `tests/compile_pass.rs`.
//!
//! The cases are compiled against the `payermax` this test binary was built with: its rlib and
//! every dependency's are beside this executable, so no second build of the dependency graph
//! is made (trybuild, which builds one in a target folder of its own, took most of
//! `cargo test --workspace`'s time). rustc runs from this package's folder, where the facade's
//! relative source path `src/lib.rs` does not resolve: notes into the SDK's source show the
//! path without its line (and no snippet), which is what a merchant's build shows of the
//! SDK's `generate!()` anyway.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use ui_test::custom_flags::edition::Edition;
use ui_test::custom_flags::rustfix::RustfixMode;
use ui_test::spanned::Spanned;
use ui_test::{Config, run_tests};

fn main() -> ui_test::Result<()> {
    let deps = std::env::current_exe()?
        .parent()
        .expect("the test binary is in cargo's deps folder")
        .to_path_buf();
    let facade = facade_rlib(&deps);
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));

    let mut config = Config::rustc(package.join("tests/ui"));
    if std::env::var_os("RUSTC").is_none() {
        // The rustc of the toolchain whose cargo runs this test, which built the rlibs: a
        // `rustc` of another toolchain refuses them (E0514).
        if let Some(rustc) = std::env::var_os("CARGO")
            .map(|cargo| PathBuf::from(cargo).with_file_name("rustc"))
            .filter(|rustc| rustc.is_file())
        {
            config.program.program = rustc;
        }
    }
    config.out_dir = deps.join("../ui-tests");
    config.program.args.extend([
        "-L".into(),
        format!("dependency={}", deps.display()).into(),
        "--extern".into(),
        format!("payermax={}", facade.display()).into(),
        // The errors are what is tested; stop before code generation.
        "--emit=metadata".into(),
    ]);
    // The macro reads spec paths relative to the crate's Cargo.toml, as cargo tells it.
    config
        .program
        .envs
        .push(("CARGO_MANIFEST_DIR".into(), Some(package.into())));
    let base = config.comment_defaults.base();
    base.set_custom("edition", Edition("2024".into()));
    base.set_custom("rustfix", RustfixMode::Disabled);
    // The expected output is the whole `.stderr`, not `//~` annotations in the cases.
    base.require_annotations = Spanned::dummy(false).into();
    // Paths as they read on any machine: the case relative to this package, the SDK's own
    // files under $WORKSPACE, and no line numbers of the SDK's source (the facade's
    // `generate!()`, which rustc names in notes), which move with every edit of it.
    config.path_stderr_filter(&package.join("Cargo.toml"), "$PACKAGE");
    config.path_stderr_filter(&package.join("../Cargo.toml"), "$WORKSPACE");
    config.stderr_filter(r"\$PACKAGE/", "");
    config.stderr_filter(
        r"(?m)^ --> src/lib\.rs:\d+:\d+$",
        " --> $$WORKSPACE/src/lib.rs",
    );
    run_tests(config)
}

/// The `payermax` rlib in cargo's deps folder (`libpayermax-<hash>.rlib`) that this test
/// binary was linked with. A folder that has seen other builds holds several (older sources,
/// other features). Cargo writes the facade's rlib before it links this binary, so the one
/// to use is the newest that is not newer than this executable: an older one predates the
/// sources it was rebuilt from, a newer one is another build (other features) made since.
fn facade_rlib(deps: &Path) -> PathBuf {
    let built = std::env::current_exe()
        .and_then(|exe| exe.metadata())
        .and_then(|m| m.modified())
        .expect("the test binary's modification time");
    std::fs::read_dir(deps)
        .expect("read the deps folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("libpayermax-") && name.ends_with(".rlib"))
        })
        .filter_map(|path| {
            let modified = path.metadata().and_then(|m| m.modified()).ok()?;
            (modified <= built).then_some((modified, path))
        })
        .max()
        .map(|(_, path)| path)
        .unwrap_or_else(|| {
            panic!(
                "no libpayermax-*.rlib older than this test in {}",
                deps.display()
            )
        })
}
