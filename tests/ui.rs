//! Compile-fail tests of `layout!`, `timeline!` and `crm::fields!`: each mistake gives an
//! error on the exact token, naming the rule and what is allowed. Regenerate the `.stderr`
//! files with `TRYBUILD=overwrite cargo test --test ui` and review the diff.

#[test]
fn ui() {
    // `fields!` checks against the snapshot of the local portal's fields committed at the
    // workspace's root (trybuild builds the cases in a directory of its own)
    std::env::set_var(
        "B24_FIELDS",
        concat!(env!("CARGO_MANIFEST_DIR"), "/b24-fields.json"),
    );
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
