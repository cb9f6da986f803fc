//! The parser and the code generator on token streams, without a compile: what is
//! accepted, the errors and where they point, the recovery, and the generated code.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Val;

/// Every error of the input, as `line:column: message` (first line of the message).
fn errors(input: TokenStream) -> Vec<String> {
    let (_, diag, _) = crate::analyse(input, layout_core::document::DocKind::Widget);
    diag.errors
        .iter()
        .map(|e| {
            let start = e.span().start();
            let first = e.to_string();
            format!(
                "{}:{}: {}",
                start.line,
                start.column,
                first.lines().next().unwrap_or("")
            )
        })
        .collect()
}

fn help(input: TokenStream) -> Vec<String> {
    let (_, diag, _) = crate::analyse(input, layout_core::document::DocKind::Widget);
    diag.errors.iter().map(|e| e.to_string()).collect()
}

#[test]
fn a_layout_with_every_kind_of_value_is_accepted() {
    let (root, diag, dynamic) = crate::analyse(
        quote! {
            blocks: {
                t: text { value: "Hi", size: lg, color: base_90, bold: is_vip, visible: false },
                "my-id": link { text: name, action: redirect("/crm/") },
                w: withTitle { title: "T", inline: true, titleWidth: sm, block: text { value: "v" } },
                s: section {
                    type: withBorder,
                    imageSrc: "https://example.com/a.png",
                    blocks: { d: dropdownMenu { values: { a: "A", "": "none" }, selectedValue: "a" } },
                },
                o: link { text: "o", action: openRestApp({ "id": 1 }, sliderParams: { width: 700 }) },
            },
            primaryButton: { title: "Save", state: disabled },
            secondaryButton: "Cancel",
        },
        layout_core::document::DocKind::Widget,
    );
    assert!(
        diag.errors.is_empty(),
        "{:?}",
        diag.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()
    );
    assert!(!dynamic, "everything here is known at compile time");
    let Val::Obj(obj) = root else {
        panic!("the root is an object")
    };
    let keys: Vec<&str> = obj.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["blocks", "primaryButton", "secondaryButton"]);
}

#[test]
fn values_known_only_at_run_time_make_the_layout_dynamic() {
    let (_, diag, dynamic) = crate::analyse(
        quote! {
            blocks: { l: list { blocks: { for d in deals { (d.id): text { value: d.name.clone() } } } } },
        },
        layout_core::document::DocKind::Widget,
    );
    assert!(diag.errors.is_empty());
    assert!(dynamic);
    let (_, _, dynamic) = crate::analyse(
        quote! { blocks: { a: link { text: "a", action: redirect(url) } } },
        layout_core::document::DocKind::Widget,
    );
    assert!(
        dynamic,
        "a redirect address from a variable is checked when built"
    );
}

#[test]
fn a_dashed_enum_value_is_one_error_on_the_whole_word() {
    let input = quote! { blocks: { t: text { value: "x", color: base-90, size: lg } } };
    let errors = errors(input.clone());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].ends_with("`base-90` is not a text color"), "{errors:?}");
    assert!(help(input)[0].contains("did you mean `base_90`?"));
    // the same for a section type, and a plain expression still parses as one
    let errors = self::errors(
        quote! { blocks: { s: section { type: with-border, blocks: { t: text { value: "x" } } } } },
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].ends_with("`with-border` is not a section type"));
    assert!(self::errors(quote! { blocks: { t: text { value: "x", size: (big - 1) } } }).is_empty());
}

#[test]
fn each_mistake_is_reported_once_and_the_parse_goes_on() {
    let errors = errors(quote! {
        blocks: {
            a: text { value "x" },
            b: text { vlaue: "y" },
            c: input { bold: true },
            d: text { value: 1 },
        },
    });
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(errors[0].contains("expected `:` after `value`"), "{errors:?}");
    assert!(errors[1].contains("unknown property `vlaue` of a `text` block"));
    assert!(errors[2].contains("unknown property `bold` of an `input` block"));
    assert!(errors[3].contains("expected a string, found a number"));
    // no cascade: the misspelt `vlaue` is not also reported as a missing `value`
    assert!(!errors.iter().any(|e| e.contains("needs `value`")));
}

#[test]
fn errors_point_at_their_token_in_source_order() {
    // tokens read from text carry their line and column
    let input: TokenStream = "blocks: {\n    l: lineOfBlocks { blocks: { i: input { } } },\n    t: text { value: \"x\", color: sucess },\n}"
        .parse()
        .unwrap();
    let errors = errors(input);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("2:35: "), "{errors:?}"); // the `input` token
    assert!(errors[1].starts_with("3:33: "), "{errors:?}");
    assert!(errors[0].contains("`input` is not allowed inside a lineOfBlocks"));
    assert!(errors[1].contains("`sucess` is not a text color"));
    let col = |e: &str| e.split(':').nth(1).unwrap().parse::<usize>().unwrap();
    let line = |e: &str| e.split(':').next().unwrap().parse::<usize>().unwrap();
    assert!((line(&errors[0]), col(&errors[0])) < (line(&errors[1]), col(&errors[1])));
}

#[test]
fn syntax_mistakes_name_what_was_expected() {
    let errors = errors(quote! { blocks: { a: text { value: "x" } b: text { value: "y" } } });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("expected `,` after the"), "{errors:?}");
    let errors = self::errors(quote! { blocks: { a: text } });
    assert_eq!(errors.len(), 1, "{errors:?}");
    let errors = self::errors(quote! { blocks: { a: txet { value: "x" } } });
    assert!(errors[0].contains("unknown block type `txet`"), "{errors:?}");
}

/// The generated code of a layout, formatted.
fn expansion(input: TokenStream) -> String {
    let (root, diag, dynamic) = crate::analyse(input, layout_core::document::DocKind::Widget);
    assert!(diag.errors.is_empty());
    let Val::Obj(obj) = &root else { unreachable!() };
    let expr = crate::codegen::layout(
        obj,
        &layout_core::LayoutDto::SPEC,
        layout_core::schema::Lang::Widget,
        dynamic,
    );
    // prettyplease reads syn 2's tree: the tokens are parsed again by that version
    let file: syn2::File = syn2::parse2(quote! { fn layout() { let _ = #expr; } }).unwrap();
    prettyplease::unparse(&file)
}

#[test]
fn generated_code_of_a_static_layout() {
    insta::assert_snapshot!(expansion(quote! {
        blocks: {
            hello: text { value: "Hello", size: lg },
            more: link { text: "More", action: redirect("/crm/") },
        },
        primaryButton: "Save",
    }));
}

#[test]
fn generated_code_of_a_layout_checked_at_run_time() {
    insta::assert_snapshot!(expansion(quote! {
        blocks: {
            deals: list { blocks: { for d in deals { (d.id): text { value: d.title.clone() } } } },
            if vip { badge: text { value: "VIP", color: success } },
        },
    }));
}
