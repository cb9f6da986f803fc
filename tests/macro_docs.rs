//! The doc examples written with `layout!` equal the docs' JSON, and the compile-time JSON
//! of `layout_json!` equals the serialized LayoutDto.

#[path = "../examples/doc_examples.rs"]
mod doc_examples;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/docs/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap().trim_end().to_owned()
}

#[test]
fn each_doc_example_built_with_the_macro_equals_the_docs_json() {
    for (name, (layout, _)) in [
        ("example1", doc_examples::example1()),
        ("example2", doc_examples::example2()),
        ("example3", doc_examples::example3()),
    ] {
        assert_eq!(layout.to_json(), fixture(name), "{name}");
        layout.validate().unwrap();
    }
}

#[test]
fn the_static_json_equals_the_serialized_layout() {
    for (layout, json) in [
        doc_examples::example1(),
        doc_examples::example2(),
        doc_examples::example3(),
    ] {
        assert_eq!(json, layout.to_json());
    }
}
