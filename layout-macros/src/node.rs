//! The parsed input seen as the JSON it stands for, so that the rule table's checker of
//! `layout-core` can walk it: the same checker `validate()` runs, located by spans.

use layout_core::check::{Count, Entry, Node, Shape};
use proc_macro2::Span;

use crate::ast::{FieldAst, Item, Key, Val};

fn fields(fields: &[FieldAst]) -> impl Iterator<Item = Entry<'_, Val>> {
    fields.iter().map(|f| Entry {
        key: Some(f.key.as_str()),
        key_loc: f.key_span,
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
                key_loc: *key_span,
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
    type Loc = Span;

    fn loc(&self) -> Span {
        self.span()
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
                    key_loc: b.ty.span(),
                    value: &b.ty_val,
                    count: Count::One,
                }];
                if let Some((span, v)) = &b.visible {
                    entries.push(Entry {
                        key: Some("visible"),
                        key_loc: *span,
                        value: v,
                        count: Count::One,
                    });
                }
                entries.push(Entry {
                    key: Some("properties"),
                    key_loc: b.ty.span(),
                    value: &b.props,
                    count: Count::One,
                });
                Shape::Object(entries)
            }
            Val::Action(a) => {
                let mut entries = vec![Entry {
                    key: Some("type"),
                    key_loc: a.ty.span(),
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
