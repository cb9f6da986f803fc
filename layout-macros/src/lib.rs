//! `layout!`: a Bitrix24 CRM widget layout (LayoutDto) written in Rust and checked at
//! compile time against the rule table of `layout-core`, the same table `validate()`
//! enforces at run time; `timeline!`: a timeline record (a configurable activity, or a
//! content-block set) checked the same way against the same table. Use them through the
//! `b24-widgets` crate, which re-exports them.

mod ast;
mod codegen;
mod node;
mod static_json;
#[cfg(test)]
mod tests;

use layout_core::document::DocKind;
use layout_core::schema::Lang;
use proc_macro::TokenStream;
use quote::quote;

use ast::{Diag, Val};

/// Builds a `LayoutDto`, checked at compile time.
///
/// It evaluates to a `LayoutDto` when every rule could be checked by the compiler, and to
/// a `Result<LayoutDto, Violations>` when one depends on a value only the run knows (a
/// block count under `for`, an id computed from an item, a redirect address or an event
/// name held in a variable). See the `b24-widgets` crate for the syntax.
#[proc_macro]
pub fn layout(input: TokenStream) -> TokenStream {
    build(input.into(), DocKind::Widget).into()
}

/// Builds a timeline record, checked at compile time: a configurable activity's
/// `timeline::LayoutDto` when the input has `icon`, `header`, `body` or `footer`, else a
/// content-block set (`timeline::RestAppLayoutDto`, `blocks` alone). As `layout!`, it
/// evaluates to a `Result<_, Violations>` when a rule depends on the run.
#[proc_macro]
pub fn timeline(input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    let kind = timeline_kind(&input);
    build(input, kind).into()
}

/// The compact JSON of a timeline record known entirely at compile time, as a
/// `&'static str`: byte for byte what `timeline!{...}.to_json()` prints.
#[proc_macro]
pub fn timeline_json(input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    let kind = timeline_kind(&input);
    static_json(input, kind, "timeline").into()
}

/// An activity when a top-level key of the input is one only an activity has.
fn timeline_kind(input: &proc_macro2::TokenStream) -> DocKind {
    let mut tokens = input.clone().into_iter().peekable();
    while let Some(t) = tokens.next() {
        if let proc_macro2::TokenTree::Ident(i) = &t {
            let is_key =
                matches!(tokens.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ':');
            if is_key && ["icon", "header", "body", "footer"].contains(&i.to_string().as_str()) {
                return DocKind::Activity;
            }
        }
    }
    DocKind::Blocks
}

/// The path of the document's type, as seen from the user's code.
fn doc_type(kind: DocKind) -> proc_macro2::TokenStream {
    match kind {
        DocKind::Widget => quote!(::b24_widgets::LayoutDto),
        DocKind::Activity => quote!(::b24_widgets::timeline::LayoutDto),
        DocKind::Blocks => quote!(::b24_widgets::timeline::RestAppLayoutDto),
    }
}

fn lang(kind: DocKind) -> Lang {
    match kind {
        DocKind::Widget => Lang::Widget,
        DocKind::Activity | DocKind::Blocks => Lang::Timeline,
    }
}

fn build(input: proc_macro2::TokenStream, kind: DocKind) -> proc_macro2::TokenStream {
    let (root, diag, dynamic) = analyse(input, kind);
    let doc = doc_type(kind);
    if !diag.errors.is_empty() {
        let ty = if dynamic {
            quote!(::core::result::Result<#doc, ::b24_widgets::Violations>)
        } else {
            doc
        };
        return errors(diag.errors, ty);
    }
    let Val::Obj(obj) = &root else {
        unreachable!("the root is always an object")
    };
    codegen::layout(obj, kind.root(), lang(kind), dynamic)
}

fn static_json(input: proc_macro2::TokenStream, kind: DocKind, name: &str) -> proc_macro2::TokenStream {
    let (root, diag, _) = analyse(input, kind);
    let ty = quote!(&'static str);
    if !diag.errors.is_empty() {
        return errors(diag.errors, ty);
    }
    match static_json::expand(&root, kind, name) {
        Ok(tokens) => tokens,
        Err(e) => errors(e, ty),
    }
}

/// The compact JSON of a layout known entirely at compile time, as a `&'static str`:
/// byte for byte what `layout!{...}.to_json()` prints.
#[proc_macro]
pub fn layout_json(input: TokenStream) -> TokenStream {
    static_json(input.into(), DocKind::Widget, "layout").into()
}

/// Parses and checks; returns the tree, every error, and whether checks remain for the run.
fn analyse(input: proc_macro2::TokenStream, kind: DocKind) -> (Val, Diag, bool) {
    let mut diag = Diag::default();
    let root = Val::Obj(ast::parse_layout(input, kind.root(), &mut diag));
    let report = layout_core::check::check_root(&root, kind.root());
    for v in report.violations {
        let mut help = v.help.clone();
        if v.rule == layout_core::Rule::InvalidValue {
            let field = v.pointer.rsplit('/').next().unwrap_or("value");
            let hint = format!(
                "a Rust value goes in parentheses: `{field}: (my_{})`",
                field.to_lowercase()
            );
            help = Some(match help {
                Some(h) => format!("{h}\n      {hint}"),
                None => hint,
            });
        }
        let message = match help {
            Some(help) => format!("{}\nhelp: {help}", v.message),
            None => v.message.clone(),
        };
        // an error spanning from the first to the last token of the value
        let (start, end) = v.loc;
        let tokens = quote::quote_spanned!(start=> __b24_start)
            .into_iter()
            .chain(quote::quote_spanned!(end=> __b24_end));
        diag.push(syn::Error::new_spanned(
            tokens.collect::<proc_macro2::TokenStream>(),
            message,
        ));
    }
    diag.errors.sort_by_key(|e| {
        let start = e.span().start();
        (start.line, start.column)
    });
    (root, diag, !report.deferred.is_empty())
}

/// The errors, in an expression of the type the macro would have had, so that the
/// compiler adds no error of its own about the missing value.
fn errors(errors: Vec<syn::Error>, ty: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let errors = errors.into_iter().map(|e| e.to_compile_error());
    quote!({ #(#errors)* ::b24_widgets::__private::never::<#ty>() })
}
