//! The code generated for the small fixture spec, pretty-printed: reviewers see every change
//! of generated code in the snapshot's diff (`cargo insta review`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[test]
fn mini_spec_expansion() {
    let spec = payermax_spec::from_root_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../payermax-spec/tests/fixtures/mini/payermax.yaml"
    ))
    .unwrap();
    let tokens = payermax_codegen::generate(&spec, &payermax_codegen::SpecSource::Builtin);
    let code = payermax_codegen::pretty(&tokens).unwrap();
    insta::assert_snapshot!("mini", code);
    // The same expansion as a file of its own, which `ui-tests/tests/compile_pass.rs` compiles
    // as a module of a merchant's crate: the reviewed snapshot is known to build.
    let crate_text = format!(
        "// The expansion of the mini fixture spec (payermax-spec/tests/fixtures/mini), as in\n\
         // tests/snapshots/snapshot__mini.snap. Written by tests/snapshot.rs (INSTA_UPDATE=always);\n\
         // compiled by ui-tests/tests/compile_pass.rs.\n{code}"
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expanded/mini.rs");
    if std::env::var("INSTA_UPDATE").as_deref() == Ok("always") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &crate_text).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == crate_text,
        "{} is not the snapshot's expansion: run this test with INSTA_UPDATE=always",
        path.display()
    );
}
