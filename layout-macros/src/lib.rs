//! `layout!`: a Bitrix24 CRM widget layout (LayoutDto) written in Rust and checked at
//! compile time against the rule table of `layout-core`, the same table `validate()`
//! enforces at run time. Use it through the `b24-widgets` crate, which re-exports it.

mod ast;
mod codegen;
mod node;
mod static_json;
#[cfg(test)]
mod tests;

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
    let (root, diag, dynamic) = analyse(input.into());
    if !diag.errors.is_empty() {
        let ty = if dynamic {
            quote!(::core::result::Result<::b24_widgets::LayoutDto, ::b24_widgets::Violations>)
        } else {
            quote!(::b24_widgets::LayoutDto)
        };
        return errors(diag.errors, ty).into();
    }
    let Val::Obj(obj) = &root else {
        unreachable!("the root is always an object")
    };
    codegen::layout(obj, dynamic).into()
}

/// The compact JSON of a layout known entirely at compile time, as a `&'static str`:
/// byte for byte what `layout!{...}.to_json()` prints.
#[proc_macro]
pub fn layout_json(input: TokenStream) -> TokenStream {
    let (root, diag, _) = analyse(input.into());
    let ty = quote!(&'static str);
    if !diag.errors.is_empty() {
        return errors(diag.errors, ty).into();
    }
    match static_json::expand(&root) {
        Ok(tokens) => tokens.into(),
        Err(e) => errors(e, ty).into(),
    }
}

/// Parses and checks; returns the tree, every error, and whether checks remain for the run.
fn analyse(input: proc_macro2::TokenStream) -> (Val, Diag, bool) {
    let mut diag = Diag::default();
    let root = Val::Obj(ast::parse_layout(input, &mut diag));
    let report = layout_core::check::check_layout(&root);
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
