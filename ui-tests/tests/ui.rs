//! Compile-pass and compile-fail cases of the generated API (trybuild). Each `.stderr` was read
//! and judged: it must name the field, country and method, or the spec's file:line:column.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    // The reviewed expansion snapshot of payermax-codegen, as a crate.
    t.pass("../payermax-codegen/tests/expanded/mini.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
