//! The parsed input seen as the JSON it stands for, so that the rule table's checker of
//! `layout-core` can walk it: the same checker `validate()` runs, located by spans.

use layout_core::check::{Count, Entry, Node, Shape};
use proc_macro2::Span;

/// Where a value is: its first and last token (the same for most values; `base-90` spans
/// three).
pub type Loc = (Span, Span);

fn at(span: Span) -> Loc {
    (span, span)
}

use crate::ast::{FieldAst, Item, Key, Val};

fn fields(fields: &[FieldAst]) -> impl Iterator<Item = Entry<'_, Val>> {
    fields.iter().map(|f| Entry {
        key: Some(f.key.as_str()),
        key_loc: at(f.key_span),
        value: &f.value,
        count: Count::One,
    })
}

fn flatten<'a>(items: &'a [Item], count: Count, out: &mut Vec<Entry<'a, Val>>) {
    for item in items {
        match item {
            Item::Entry { key, key_span, value } => out.push(Entry {
                key: match key {
                    Key::Static(k) => Some(k.as_str()),
                    Key::Dynamic(_) => None,
                },
                key_loc: at(*key_span),
                value,
                count,
            }),
            Item::If { then, els, .. } => {
                let c = if count == Count::Many {
                    Count::Many
                } else {
                    Count::Optional
                };
                flatten(then, c, out);
                if let Some(els) = els {
                    flatten(els, c, out);
                }
            }
            Item::For { body, .. } => flatten(body, Count::Many, out),
        }
    }
}

impl Node for Val {
    type Loc = Loc;

    fn loc(&self) -> Loc {
        match self {
            Val::Enum { ident, end, .. } => (ident.span(), *end),
            other => at(other.span()),
        }
    }

    fn shape(&self) -> Shape<'_, Self> {
        match self {
            Val::Str { value, .. } | Val::Enum { value, .. } => Shape::Str(value),
            Val::Bool(b, _) => Shape::Bool(*b),
            Val::Num { value, .. } => Shape::Number(value.as_u64()),
            Val::Null(_) => Shape::Null,
            Val::Expr(_) | Val::Invalid(_) => Shape::Opaque,
            Val::Arr(..) => Shape::Array,
            Val::Obj(o) => Shape::Object(fields(&o.fields).collect()),
            Val::Block(b) => {
                let mut entries = vec![Entry {
                    key: Some("type"),
                    key_loc: at(b.ty.span()),
                    value: &b.ty_val,
                    count: Count::One,
                }];
                if let Some((span, v)) = &b.visible {
                    entries.push(Entry {
                        key: Some("visible"),
                        key_loc: at(*span),
                        value: v,
                        count: Count::One,
                    });
                }
                entries.push(Entry {
                    key: Some("properties"),
                    key_loc: at(b.ty.span()),
                    value: &b.props,
                    count: Count::One,
                });
                Shape::Object(entries)
            }
            Val::Action(a) => {
                let mut entries = vec![Entry {
                    key: Some("type"),
                    key_loc: at(a.ty.span()),
                    value: &a.ty_val,
                    count: Count::One,
                }];
                entries.extend(fields(&a.fields));
                Shape::Object(entries)
            }
            Val::Blocks(b) => {
                let mut out = Vec::new();
                flatten(&b.items, Count::One, &mut out);
                Shape::Object(out)
            }
        }
    }
}
