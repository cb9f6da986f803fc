//! Compile-fail tests of `layout!`: each mistake gives an error on the exact token, naming
//! the rule and what is allowed. Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
