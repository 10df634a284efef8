//! The code generated for the small fixture spec, pretty-printed: reviewers see every change
//! of generated code in the snapshot's diff (`cargo insta review`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
}
