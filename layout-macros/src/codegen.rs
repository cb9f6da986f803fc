//! The Rust code `layout!` expands to: builder calls on the typed model of `layout-core`,
//! in the order the layout is written, so that the JSON keeps that order.

use layout_core::schema::{Field, Kind, Lang, StructSpec};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Ident, LitStr};

use crate::ast::{BlockAst, BlocksAst, FieldAst, Item, Key, Obj, Val};

/// The path of the crate users depend on, as seen from their code.
fn krate() -> TokenStream {
    quote!(::b24_widgets)
}

fn private(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

fn setter(wire: &str, span: Span) -> Ident {
    if syn::parse_str::<Ident>(wire).is_ok() {
        Ident::new(wire, span)
    } else {
        Ident::new_raw(wire, span)
    }
}

/// Where a language's types are, as seen from the user's code.
fn module(lang: Lang) -> TokenStream {
    let k = krate();
    match lang {
        Lang::Widget => quote!(#k),
        Lang::Timeline => quote!(#k::timeline),
    }
}

/// One segment of the JSON pointer of a place, known at compile time or held in a
/// variable of the generated code (an id computed in a loop).
#[derive(Clone)]
enum Seg {
    Static(String),
    Var(Ident),
}

/// Expands to the code that builds the document whose root is `spec` in `lang`: the
/// document, or with `dynamic` a `Result<_, Violations>` that checks at run time what the
/// compiler could not.
pub fn layout(root: &Obj, spec: &'static StructSpec, lang: Lang, dynamic: bool) -> TokenStream {
    let k = krate();
    let mut gen = Gen {
        dynamic,
        ids: 0,
        module: module(lang),
    };
    let chain = gen.object(&root.fields, spec, &[]);
    if dynamic {
        let errors = private("__b24_errors");
        quote! {{
            #[allow(unused_mut)]
            let mut #errors: ::std::vec::Vec<#k::Violation> = ::std::vec::Vec::new();
            let layout = #chain;
            #k::__private::build::finish(layout, #errors)
        }}
    } else {
        quote! {{ #chain }}
    }
}

struct Gen {
    dynamic: bool,
    ids: usize,
    /// Where the document's types are.
    module: TokenStream,
}

impl Gen {
    /// `Type::default().field(value)...` for the fields of an object, in order.
    fn rust_type(&self, rust: &str) -> TokenStream {
        let m = &self.module;
        let ty = Ident::new(rust, Span::call_site());
        quote!(#m::#ty)
    }

    fn object(&mut self, fields: &[FieldAst], spec: &StructSpec, ptr: &[Seg]) -> TokenStream {
        let ty = self.rust_type(spec.rust);
        let mut chain = quote!(#ty::default());
        for f in fields {
            let Some(field) = spec.field(&f.key) else { continue };
            let name = setter(field.name, f.key_span);
            let mut at = ptr.to_vec();
            at.push(Seg::Static(f.key.clone()));
            let value = self.value(&f.value, field, &at);
            chain = quote!(#chain.#name(#value));
        }
        chain
    }

    fn value(&mut self, val: &Val, field: &Field, ptr: &[Seg]) -> TokenStream {
        let k = krate();
        match (val, field.kind) {
            (Val::Expr(e), _) => e.to_token_stream(),
            (Val::Str { value, span }, Kind::Str(_)) => LitStr::new(value, *span).into_token_stream(),
            (Val::Str { value, .. } | Val::Enum { value, .. }, Kind::Enum(spec)) => {
                self.enum_value(spec.rust, value, val.span())
            }
            (Val::Bool(b, span), _) => quote_spanned!(*span=> #b),
            (Val::Num { value, span }, Kind::UInt) => {
                let n = value.as_u64().unwrap_or_default() as u32;
                quote_spanned!(*span=> #n)
            }
            (v, Kind::Any) => json(v),
            (Val::Obj(o), Kind::Object(spec)) => self.object(&o.fields, spec, ptr),
            (Val::Obj(o), Kind::Values) => {
                let values = private("__b24_values");
                let inserts = o.fields.iter().map(|f| {
                    let key = LitStr::new(&f.key, f.key_span);
                    let label = match &f.value {
                        Val::Str { value, span } => LitStr::new(value, *span).into_token_stream(),
                        Val::Expr(e) => e.to_token_stream(),
                        _ => quote!(""),
                    };
                    quote!(#values.insert(::std::string::String::from(#key), ::core::convert::Into::<::std::string::String>::into(#label));)
                });
                let capacity = o.fields.len();
                quote! {{
                    let mut #values = #k::Values::with_capacity(#capacity);
                    #(#inserts)*
                    #values
                }}
            }
            (Val::Obj(o), Kind::Text) => {
                let m = &self.module;
                let pairs = o.fields.iter().map(|f| {
                    let lang = LitStr::new(&f.key, f.key_span);
                    let text = match &f.value {
                        Val::Str { value, span } => LitStr::new(value, *span).into_token_stream(),
                        Val::Expr(e) => e.to_token_stream(),
                        _ => quote!(""),
                    };
                    quote!((#lang, ::core::convert::Into::<::std::string::String>::into(#text)))
                });
                quote!(#m::Translated::languages([#(#pairs),*]))
            }
            (Val::Str { value, span }, Kind::Text) => LitStr::new(value, *span).into_token_stream(),
            // written as a string, as the docs write it: kept so
            (Val::Str { value, span }, Kind::Flag) => {
                let m = &self.module;
                let b = value == "true";
                quote_spanned!(*span=> #m::Flag { value: #b, quoted: true })
            }
            (v, Kind::Params) => json(v),
            (Val::Obj(o), Kind::Items(items)) => {
                let map = self.rust_type(items.rust);
                let entries: Vec<TokenStream> = o
                    .fields
                    .iter()
                    .map(|f| {
                        let key = LitStr::new(&f.key, f.key_span);
                        let mut at = ptr.to_vec();
                        at.push(Seg::Static(f.key.clone()));
                        let item = match &f.value {
                            Val::Obj(inner) => self.object(&inner.fields, items.spec, &at),
                            Val::Expr(e) => e.to_token_stream(),
                            _ => quote!(::core::unreachable!()),
                        };
                        quote!((::std::string::String::from(#key), #item))
                    })
                    .collect();
                quote!(<#map as ::core::iter::FromIterator<_>>::from_iter([#(#entries),*]))
            }
            (Val::Action(a), Kind::Action(_)) => match a.spec {
                Some(spec) => {
                    let chain = self.object(&a.fields, spec, ptr);
                    let m = &self.module;
                    quote!(#m::ActionDto::from(#chain))
                }
                None => quote!(::core::unreachable!()),
            },
            (Val::Block(b), Kind::Block(_)) => self.block(b, ptr),
            (Val::Blocks(b), Kind::Blocks(_)) => self.blocks(b, ptr),
            // anything else was reported by the checker; no code is emitted then
            _ => quote!(::core::unreachable!()),
        }
    }

    fn enum_value(&self, rust: &str, value: &str, span: Span) -> TokenStream {
        let ty = self.rust_type(rust);
        let variant = Ident::new(value, span);
        quote!(#ty::#variant)
    }

    fn block(&mut self, b: &BlockAst, ptr: &[Seg]) -> TokenStream {
        let m = self.module.clone();
        let (Some(spec), Val::Obj(props)) = (b.spec, &b.props) else {
            return quote!(::core::unreachable!());
        };
        let mut at = ptr.to_vec();
        at.push(Seg::Static("properties".into()));
        let props = self.object(&props.fields, spec, &at);
        let mut out = quote!(#m::ContentBlockDto::new(#props));
        if let Some((span, v)) = &b.visible {
            let v = match v {
                Val::Bool(b, s) => quote_spanned!(*s=> #b),
                Val::Expr(e) => e.to_token_stream(),
                _ => quote!(true),
            };
            let name = Ident::new("visible", *span);
            out = quote!(#out.#name(#v));
        }
        out
    }

    fn blocks(&mut self, b: &BlocksAst, ptr: &[Seg]) -> TokenStream {
        let m = self.module.clone();
        let map = private("__b24_map");
        let checked = self.dynamic && !b.is_static();
        let items = self.items(&b.items, ptr, &map, checked);
        let capacity = b.items.len();
        quote! {{
            #[allow(unused_mut)]
            let mut #map = #m::Blocks::with_capacity(#capacity);
            #(#items)*
            #map
        }}
    }

    fn items(&mut self, items: &[Item], ptr: &[Seg], map: &Ident, checked: bool) -> Vec<TokenStream> {
        let k = krate();
        let m = self.module.clone();
        let errors = private("__b24_errors");
        items
            .iter()
            .map(|item| match item {
                Item::Entry { key, value, .. } => {
                    let (id_setup, id_expr, seg) = match key {
                        Key::Static(s) => (quote!(), quote!(::std::string::String::from(#s)), Seg::Static(s.clone())),
                        Key::Dynamic(e) => {
                            self.ids += 1;
                            let var = Ident::new(&format!("__b24_id{}", self.ids), Span::mixed_site());
                            (
                                quote!(let #var: ::std::string::String = ::std::string::ToString::to_string(&(#e));),
                                quote!(::std::clone::Clone::clone(&#var)),
                                Seg::Var(var),
                            )
                        }
                    };
                    let mut at = ptr.to_vec();
                    at.push(seg);
                    let block = match value {
                        Val::Block(b) => self.block(b, &at),
                        Val::Expr(e) => quote!(::core::convert::Into::<#m::ContentBlockDto>::into(#e)),
                        _ => quote!(::core::unreachable!()),
                    };
                    let block_var = private("__b24_block");
                    if checked {
                        let parent = pointer(ptr);
                        quote! {{
                            #id_setup
                            let #block_var = #block;
                            #k::__private::build::insert_block(&mut #map, #id_expr, #block_var, &mut #errors, || #parent);
                        }}
                    } else {
                        quote! {{
                            #id_setup
                            let #block_var = #block;
                            #map.insert(#id_expr, #block_var);
                        }}
                    }
                }
                Item::If { cond, then, els } => {
                    let then = self.items(then, ptr, map, checked);
                    let els = els.as_ref().map(|e| {
                        let e = self.items(e, ptr, map, checked);
                        quote!(else { #(#e)* })
                    });
                    quote!(if #cond { #(#then)* } #els)
                }
                Item::For { pat, expr, body } => {
                    let body = self.items(body, ptr, map, checked);
                    quote!(for #pat in #expr { #(#body)* })
                }
            })
            .collect()
    }
}

/// Code computing the JSON pointer of a place (only run when an error is reported).
fn pointer(ptr: &[Seg]) -> TokenStream {
    let k = krate();
    let mut out = quote!("");
    for seg in ptr {
        out = match seg {
            Seg::Static(s) => quote!(#k::__private::pointer::join(&#out, #s)),
            Seg::Var(v) => quote!(#k::__private::pointer::join(&#out, &#v)),
        };
    }
    quote!(::std::string::String::from(#out))
}

/// A JSON-like value (openRestApp's `value`) as a `serde_json::Value`.
fn json(val: &Val) -> TokenStream {
    let k = krate();
    let v = quote!(#k::__private::serde_json::Value);
    match val {
        Val::Str { value, .. } | Val::Enum { value, .. } => {
            let lit = LitStr::new(value, val.span());
            quote!(#v::from(#lit))
        }
        Val::Bool(b, _) => quote!(#v::Bool(#b)),
        Val::Null(_) => quote!(#v::Null),
        Val::Num { value, .. } => {
            if let Some(u) = value.as_u64() {
                quote!(#v::from(#u))
            } else if let Some(i) = value.as_i64() {
                quote!(#v::from(#i))
            } else {
                let f = value.as_f64().unwrap_or_default();
                quote!(#v::from(#f))
            }
        }
        Val::Expr(e) => quote!(#v::from(#e)),
        Val::Arr(items, _) => {
            let items = items.iter().map(json);
            quote!(#v::Array(::std::vec![#(#items),*]))
        }
        Val::Obj(o) => {
            let m = private("__b24_json");
            let inserts = o.fields.iter().map(|f| {
                let key = LitStr::new(&f.key, f.key_span);
                let value = json(&f.value);
                quote!(#m.insert(::std::string::String::from(#key), #value);)
            });
            quote! {{
                let mut #m = #k::__private::serde_json::Map::new();
                #(#inserts)*
                #v::Object(#m)
            }}
        }
        _ => quote!(::core::unreachable!()),
    }
}

use quote::ToTokens;
