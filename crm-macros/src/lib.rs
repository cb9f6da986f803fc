//! `fields!`: the `fields` of a CRM add or update, checked at compile time against the
//! portal's fields: a snapshot made by `b24 fields pull` (`b24-fields.json` beside the
//! crate's `Cargo.toml`, or the file `B24_FIELDS` names), else the documented standard
//! fields. The same checker as the REST client's checked writes (`b24_crm::check_write`):
//! a field the portal does not have (with a "did you mean"), a user field in the other
//! spelling, a read-only or immutable field, a literal of the wrong type, an enumeration
//! value that is not an item, a required field left out of an add; every error at once, on
//! the exact token. A Rust expression is checked by the compiler against the field's type
//! (`b24_crm::write`). Use it through `b24_widgets::crm::fields!`.

use std::path::PathBuf;

use b24_crm::schema::{Field, NameForm};
use b24_crm::snapshot::{entity_key, entity_of_key, Snapshot};
use b24_crm::{check_write, FieldType, Problem, WriteKind};
use b24_placement::placement::Entity;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use serde_json::{Map, Value};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{braced, parenthesized, Expr, Ident, Lit, LitInt, LitStr, Token};

#[cfg(test)]
mod tests;

/// The `fields` of an add or an update of a CRM object, checked at compile time: a
/// `serde_json::Map` to give `Client::update_fields` / `add_fields`.
///
/// ```text
/// fields!(update deal {
///     TITLE: "Delivery to the warehouse",
///     OPPORTUNITY: 1200.50,
///     UF_CRM_LEVEL: "Gold",      // an enumeration's label: written as its item's ID
///     UF_CRM_VIP: true,          // a Y/N field: written "Y"
///     CLOSEDATE: (closes),       // a Rust value: the compiler checks it is a date
/// })
/// ```
///
/// `update` or `add`; then `deal`, `lead`, `contact`, `company`, `quote`, `activity`,
/// `invoice` (a smart invoice) or `item(N)` (a custom type's items, in `crm.item`'s
/// spelling).
#[proc_macro]
pub fn fields(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand(input.into(), &Source::from_env()).into()
}

/// Where the portal's fields come from.
pub(crate) enum Source {
    /// A snapshot file, read.
    Snapshot { path: PathBuf, snapshot: Snapshot },
    /// No snapshot: the documented standard fields.
    Standard,
    /// A snapshot that could not be read: the error, with the file and the place.
    Broken(String),
}

impl Source {
    /// `B24_FIELDS` (relative to the crate's directory), else `b24-fields.json` there when
    /// it exists, else the standard fields.
    fn from_env() -> Source {
        let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
        let path = match std::env::var("B24_FIELDS") {
            Ok(p) if !p.trim().is_empty() => dir.join(p),
            _ => {
                let p = dir.join("b24-fields.json");
                if !p.exists() {
                    return Source::Standard;
                }
                p
            }
        };
        let shown = path.display().to_string();
        match Snapshot::read(&shown) {
            Ok(snapshot) => Source::Snapshot { path, snapshot },
            Err(e) => Source::Broken(e.to_string()),
        }
    }
}

/// `update` or `add`.
struct Verb {
    kind: WriteKind,
}

/// `deal`, ..., `item(183)`.
struct Target {
    entity: Option<Entity>,
    span: Span,
    name: String,
}

struct Entry {
    key: String,
    key_span: Span,
    value: Expr,
}

struct Input {
    verb: Result<Verb, syn::Error>,
    target: Target,
    entries: Vec<Entry>,
}

const ENTITIES: &[&str] = &[
    "deal", "lead", "contact", "company", "quote", "activity", "invoice", "item",
];

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Input> {
        let verb_ident: Ident = input.parse()?;
        let verb = match verb_ident.to_string().as_str() {
            "update" => Ok(Verb {
                kind: WriteKind::Update,
            }),
            "add" => Ok(Verb { kind: WriteKind::Add }),
            other => Err(syn::Error::new(
                verb_ident.span(),
                format!("expected `update` or `add`, found `{other}`\nhelp: write `fields!(update deal {{ TITLE: \"...\" }})`"),
            )),
        };
        let ident: Ident = input.parse()?;
        let name = ident.to_string();
        let mut span = ident.span();
        let entity = match name.as_str() {
            "invoice" => Some(Entity::SMART_INVOICE),
            "item" => {
                let inner;
                parenthesized!(inner in input);
                let n: LitInt = inner.parse()?;
                span = span.join(n.span()).unwrap_or(span);
                n.base10_parse::<u32>()
                    .ok()
                    .and_then(|n| entity_of_key(&format!("item:{n}")))
            }
            other if other != "item" => entity_of_key(other).filter(|_| other == other.to_lowercase()),
            _ => None,
        };
        let body;
        braced!(body in input);
        let entries = Punctuated::<Entry, Token![,]>::parse_terminated(&body)?;
        Ok(Input {
            verb,
            target: Target { entity, span, name },
            entries: entries.into_iter().collect(),
        })
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Entry> {
        let (key, key_span) = if input.peek(LitStr) {
            let s: LitStr = input.parse()?;
            (s.value(), s.span())
        } else {
            let i: Ident = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected a field name such as `TITLE` or `UF_CRM_LEVEL`",
                )
            })?;
            (i.to_string(), i.span())
        };
        input.parse::<Token![:]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected `:` after `{key}`\nhelp: a field is written `{key}: value`"),
            )
        })?;
        let value: Expr = input.parse()?;
        Ok(Entry { key, key_span, value })
    }
}

/// A literal's JSON, with the span of each array item.
struct Literal {
    value: Value,
    items: Vec<Span>,
}

fn scalar(expr: &Expr) -> Option<Value> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(Value::String(s.value())),
            Lit::Int(i) => i.base10_parse::<i64>().ok().map(Value::from),
            // an amount keeps its digits: "1200.50", as the portal writes them
            Lit::Float(f) => Some(Value::String(f.base10_digits().to_owned())),
            Lit::Bool(b) => Some(Value::Bool(b.value)),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match scalar(&u.expr)? {
            Value::Number(n) => n.as_i64().map(|n| Value::from(-n)),
            Value::String(s) => Some(Value::String(format!("-{s}"))),
            _ => None,
        },
        Expr::Group(g) => scalar(&g.expr),
        _ => None,
    }
}

fn literal(expr: &Expr) -> Option<Literal> {
    if let Expr::Array(a) = expr {
        let mut values = Vec::new();
        let mut items = Vec::new();
        for e in &a.elems {
            values.push(scalar(e)?);
            items.push(e.span());
        }
        return Some(Literal {
            value: Value::Array(values),
            items,
        });
    }
    scalar(expr).map(|value| Literal {
        value,
        items: Vec::new(),
    })
}

/// What the portal reads for a literal written the Rust way: `true` for a `Y`/`N` field,
/// an enumeration's label for its item's ID.
fn as_portal_reads(field: &Field, v: Value) -> Value {
    match v {
        // a literal array holds scalars only
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| one_as_portal_reads(field, v)).collect())
        }
        v => one_as_portal_reads(field, v),
    }
}

fn one_as_portal_reads(field: &Field, v: Value) -> Value {
    match (&field.r#type, v) {
        (FieldType::Char | FieldType::Boolean, Value::Bool(b)) => {
            Value::String(if b { "Y" } else { "N" }.into())
        }
        // a label, unless it is also an item's ID
        (FieldType::Enumeration, Value::String(s)) if !field.items.iter().any(|i| i.id == s) => {
            match field.items.iter().find(|i| i.value == s) {
                Some(item) => Value::String(item.id.clone()),
                None => Value::String(s),
            }
        }
        (_, v) => v,
    }
}

fn value_tokens(v: &Value) -> TokenStream {
    let p = quote!(::b24_widgets::crm::__private);
    match v {
        Value::Null => quote!(#p::Value::Null),
        Value::Bool(b) => quote!(#p::Value::Bool(#b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => quote!(#p::Value::from(#i)),
            None => {
                let f = n.as_f64().unwrap_or_default();
                quote!(#p::Value::from(#f))
            }
        },
        Value::String(s) => quote!(#p::Value::String(::std::string::String::from(#s))),
        Value::Array(items) => {
            let items = items.iter().map(value_tokens);
            quote!(#p::Value::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = value_tokens(v);
                quote!(m.insert(::std::string::String::from(#k), #v);)
            });
            quote!({ let mut m = #p::Map::new(); #(#entries)* #p::Value::Object(m) })
        }
    }
}

fn unescape(key: &str) -> String {
    key.replace("~1", "/").replace("~0", "~")
}

/// Expands `fields!`, with the portal's fields from `source`.
pub(crate) fn expand(input: TokenStream, source: &Source) -> TokenStream {
    let ty = quote!(::b24_widgets::crm::__private::Map<::std::string::String, ::b24_widgets::crm::__private::Value>);
    match analyse(input, source, &ty) {
        Ok(tokens) => tokens,
        Err(errs) => errors(errs, &ty),
    }
}

/// The map's code, or every error.
pub(crate) fn analyse(
    input: TokenStream,
    source: &Source,
    ty: &TokenStream,
) -> Result<TokenStream, Vec<syn::Error>> {
    let input: Input = syn::parse2(input).map_err(|e| vec![e])?;
    let mut errs = Vec::new();
    let kind = match &input.verb {
        Ok(v) => v.kind,
        Err(e) => {
            errs.push(e.clone());
            WriteKind::Update
        }
    };
    let Some(entity) = input.target.entity else {
        let closest = ENTITIES
            .iter()
            .map(|e| {
                (
                    strsim::damerau_levenshtein(e, &input.target.name.to_lowercase()),
                    e,
                )
            })
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d);
        let help = match closest {
            Some((_, e)) if input.target.name != "item" => format!("did you mean `{e}`?"),
            _ => "the objects: deal, lead, contact, company, quote, activity, invoice, item(N) for a custom type".into(),
        };
        errs.push(syn::Error::new(
            input.target.span,
            format!("`{}` is no CRM object\nhelp: {help}", input.target.name),
        ));
        return Err(errs);
    };
    let key = entity_key(entity);
    let form = if b24_crm::standard::CLASSIC.contains(&entity) {
        NameForm::Upper
    } else {
        NameForm::Camel
    };
    let (schema, origin, include) = match source {
        Source::Snapshot { path, snapshot } => {
            let p = path.display().to_string();
            let include = quote!(const _: &[u8] = ::core::include_bytes!(#p););
            match snapshot.schema(entity) {
                Some(s) => (s.clone(), None, include),
                None => (
                    b24_crm::standard::schema(entity, form),
                    Some(format!(
                        "the snapshot {p} has no `{key}`, so only its standard fields are known: `b24 fields pull{}` adds it",
                        if key.starts_with("item:") {
                            format!(" --item {}", entity.entity_type_id())
                        } else {
                            String::new()
                        }
                    )),
                    include,
                ),
            }
        }
        Source::Standard => (
            b24_crm::standard::schema(entity, form),
            Some("without a snapshot of the portal's fields only the standard fields are known: `b24 fields pull` writes b24-fields.json beside Cargo.toml".into()),
            TokenStream::new(),
        ),
        Source::Broken(e) => {
            errs.push(syn::Error::new(
                Span::call_site(),
                format!("{e}\nhelp: `b24 fields pull` writes the snapshot; B24_FIELDS names another file"),
            ));
            return Err(errs);
        }
    };

    // the write as the checker sees it: literals as the portal reads them, expressions as
    // null (their names are checked here, their types by the compiler)
    let mut map = Map::new();
    let mut literals = Vec::new();
    for entry in &input.entries {
        if map.contains_key(&entry.key) {
            errs.push(syn::Error::new(
                entry.key_span,
                format!("`{}` is written twice\nhelp: keep one", entry.key),
            ));
            literals.push(None);
            continue;
        }
        let lit = literal(&entry.value).map(|mut l| {
            if let Some(f) = schema.fields.get(&entry.key) {
                l.value = as_portal_reads(f, l.value);
            }
            l
        });
        map.insert(
            entry.key.clone(),
            lit.as_ref().map_or(Value::Null, |l| l.value.clone()),
        );
        literals.push(lit);
    }
    if let Err(problems) = check_write(&schema, &map, kind) {
        for p in problems.0 {
            let rest = p.pointer.strip_prefix("/fields/").unwrap_or(&p.pointer);
            let mut parts = rest.splitn(2, '/');
            let name = unescape(parts.next().unwrap_or_default());
            let index: Option<usize> = parts.next().and_then(|i| i.split('/').next()?.parse().ok());
            let at = input.entries.iter().position(|e| e.key == name);
            let span = match (at, p.problem) {
                (_, Problem::MissingRequired) | (None, _) => input.target.span,
                (Some(i), Problem::WrongType | Problem::NotAnItem) => {
                    let item = index.and_then(|n| literals[i].as_ref()?.items.get(n).copied());
                    item.unwrap_or_else(|| input.entries[i].value.span())
                }
                (Some(i), _) => input.entries[i].key_span,
            };
            let mut message = p.message.clone();
            if let Some(h) = &p.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            if let (Some(o), Problem::Unknown) = (&origin, p.problem) {
                message.push_str(&format!("\nnote: {o}"));
            }
            errs.push(syn::Error::new(span, message));
        }
    }
    if !errs.is_empty() {
        errs.sort_by_key(|e| {
            let start = e.span().start();
            (start.line, start.column)
        });
        return Err(errs);
    }

    let inserts = input.entries.iter().zip(&literals).map(|(entry, lit)| {
        let key = &entry.key;
        let value = match lit {
            Some(l) => value_tokens(&l.value),
            None => {
                let field = schema.fields.get(key);
                let writer = field.map_or("any", |f| f.r#type.writer());
                let many = field.is_some_and(|f| f.is_multiple);
                let writer = Ident::new(
                    &if many {
                        format!("{writer}_many")
                    } else {
                        writer.to_owned()
                    },
                    Span::call_site(),
                );
                // `(x)` as in `layout!`: the parentheses are the macro's, not the value's
                let expr = match &entry.value {
                    Expr::Paren(p) => &*p.expr,
                    other => other,
                };
                quote_spanned!(expr.span()=> ::b24_widgets::crm::write::#writer(#expr))
            }
        };
        quote!(__fields.insert(::std::string::String::from(#key), #value);)
    });
    Ok(quote!({
        #include
        let mut __fields = <#ty>::new();
        #(#inserts)*
        __fields
    }))
}

/// The errors, in an expression of the macro's type, so that the compiler adds none of
/// its own.
fn errors(errors: Vec<syn::Error>, ty: &TokenStream) -> TokenStream {
    let errors = errors.into_iter().map(|e| e.to_compile_error());
    quote!({ #(#errors)* ::b24_widgets::crm::__private::never::<#ty>() })
}
