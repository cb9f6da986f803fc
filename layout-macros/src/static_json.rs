//! `layout_json!`: the compact JSON of a layout known entirely at compile time, computed
//! by the very model and serializer the run time uses, so the two agree byte for byte.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use crate::ast::{Item, Key, Val};

/// Every place where the layout holds something only the run knows.
pub fn runtime_parts(val: &Val, out: &mut Vec<(Span, &'static str)>) {
    match val {
        Val::Expr(e) => out.push((syn::spanned::Spanned::span(e), "a Rust expression")),
        Val::Obj(o) => o.fields.iter().for_each(|f| runtime_parts(&f.value, out)),
        Val::Arr(items, _) => items.iter().for_each(|v| runtime_parts(v, out)),
        Val::Block(b) => {
            runtime_parts(&b.props, out);
            if let Some((_, v)) = &b.visible {
                runtime_parts(v, out);
            }
        }
        Val::Action(a) => a.fields.iter().for_each(|f| runtime_parts(&f.value, out)),
        Val::Blocks(b) => items(&b.items, out),
        _ => {}
    }
}

fn items(list: &[Item], out: &mut Vec<(Span, &'static str)>) {
    for item in list {
        match item {
            Item::Entry { key, key_span, value } => {
                if let Key::Dynamic(_) = key {
                    out.push((*key_span, "an id computed at run time"));
                }
                runtime_parts(value, out);
            }
            Item::If { cond, .. } => out.push((syn::spanned::Spanned::span(cond), "an `if`")),
            Item::For { expr, .. } => out.push((syn::spanned::Spanned::span(expr), "a `for` loop")),
        }
    }
}

/// The JSON the parsed layout stands for (the layout holds no runtime part).
fn to_value(val: &Val) -> Value {
    match val {
        Val::Str { value, .. } | Val::Enum { value, .. } => Value::String(value.clone()),
        Val::Bool(b, _) => Value::Bool(*b),
        Val::Num { value, .. } => Value::Number(value.clone()),
        Val::Obj(o) => Value::Object(
            o.fields
                .iter()
                .map(|f| (f.key.clone(), to_value(&f.value)))
                .collect(),
        ),
        Val::Arr(items, _) => Value::Array(items.iter().map(to_value).collect()),
        Val::Block(b) => {
            let mut m = Map::new();
            m.insert("type".into(), to_value(&b.ty_val));
            if let Some((_, v)) = &b.visible {
                m.insert("visible".into(), to_value(v));
            }
            m.insert("properties".into(), to_value(&b.props));
            Value::Object(m)
        }
        Val::Action(a) => {
            let mut m = Map::new();
            m.insert("type".into(), to_value(&a.ty_val));
            for f in &a.fields {
                m.insert(f.key.clone(), to_value(&f.value));
            }
            Value::Object(m)
        }
        Val::Blocks(b) => Value::Object(
            b.items
                .iter()
                .filter_map(|i| match i {
                    Item::Entry {
                        key: Key::Static(k),
                        value,
                        ..
                    } => Some((k.clone(), to_value(value))),
                    _ => None,
                })
                .collect(),
        ),
        Val::Null(_) | Val::Expr(_) | Val::Invalid(_) => Value::Null,
    }
}

/// The string literal of the document's compact JSON, or the errors that prevent it.
pub fn expand(
    root: &Val,
    kind: layout_core::document::DocKind,
    name: &str,
) -> Result<TokenStream, Vec<syn::Error>> {
    let mut parts = Vec::new();
    runtime_parts(root, &mut parts);
    if !parts.is_empty() {
        return Err(parts
            .into_iter()
            .map(|(span, what)| {
                syn::Error::new(
                    span,
                    format!("`{name}_json!` needs a layout known at compile time; this is {what}\nhelp: build it with `{name}!` and call `.to_json()` on the result"),
                )
            })
            .collect());
    }
    let json = kind.format(&to_value(root), true).map_err(|v| {
        v.iter()
            .map(|v| syn::Error::new(Span::call_site(), v.to_string()))
            .collect::<Vec<_>>()
    })?;
    Ok(quote!(#json))
}
