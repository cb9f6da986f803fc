//! The parsed `layout!` input, and its parser.
//!
//! The parser is guided by the rule table: once it knows a property's kind it knows what
//! may follow (`size: xl` is an enum value, `value: name` a Rust expression). It recovers
//! from a mistake by skipping to the next `,` of the same level, so that one compile
//! reports every mistake, each on its own token.

use layout_core::schema::{Kind, Lang, StructSpec};
use proc_macro2::{Span, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{braced, bracketed, parenthesized, token, Expr, Ident, Lit, LitStr, Pat, Token};

/// Errors collected while parsing; the parse goes on after each.
#[derive(Default)]
pub struct Diag {
    pub errors: Vec<syn::Error>,
}

impl Diag {
    pub fn push(&mut self, e: syn::Error) {
        self.errors.push(e);
    }
}

/// A value in the layout.
pub enum Val {
    Str {
        value: String,
        span: Span,
    },
    /// A bare identifier in an enumerated slot (`xl`, `base_90`, `withBorder`).
    Enum {
        ident: Ident,
        value: String,
        /// The last token of a word written with dashes (`base-90`); else the ident's.
        end: Span,
    },
    Bool(bool, Span),
    Num {
        value: serde_json::Number,
        span: Span,
    },
    Null(Span),
    /// A Rust expression: its value is only known at run time.
    Expr(Box<Expr>),
    Obj(Obj),
    Arr(Vec<Val>, Span),
    Block(Box<BlockAst>),
    Action(Box<ActionAst>),
    Blocks(BlocksAst),
    /// What could not be parsed (an error is already reported).
    Invalid(Span),
}

impl Val {
    pub fn span(&self) -> Span {
        match self {
            Val::Str { span, .. } | Val::Num { span, .. } => *span,
            Val::Enum { ident, .. } => ident.span(),
            Val::Bool(_, s) | Val::Null(s) | Val::Arr(_, s) | Val::Invalid(s) => *s,
            Val::Expr(e) => e.span(),
            Val::Obj(o) => o.span,
            Val::Block(b) => b.ty.span(),
            Val::Action(a) => a.ty.span(),
            Val::Blocks(b) => b.span,
        }
    }
}

/// `{ key: value, ... }`
pub struct Obj {
    pub fields: Vec<FieldAst>,
    /// The token blamed for what the object lacks.
    pub span: Span,
}

pub struct FieldAst {
    pub key: String,
    pub key_span: Span,
    pub value: Val,
}

/// `type { properties }`
pub struct BlockAst {
    pub ty: Ident,
    pub ty_val: Val,
    pub spec: Option<&'static StructSpec>,
    pub visible: Option<(Span, Val)>,
    /// Always a `Val::Obj`, whose span is the type's.
    pub props: Val,
}

/// `redirect("/crm/")`, `openRestApp { value: ..., sliderParams: {...} }`
pub struct ActionAst {
    pub ty: Ident,
    pub ty_val: Val,
    pub spec: Option<&'static StructSpec>,
    pub fields: Vec<FieldAst>,
}

/// `{ id: block, if cond { ... } else { ... }, for pat in iter { ... } }`
pub struct BlocksAst {
    pub items: Vec<Item>,
    pub span: Span,
}

pub enum Key {
    Static(String),
    Dynamic(Box<Expr>),
}

pub enum Item {
    Entry {
        key: Key,
        key_span: Span,
        value: Val,
    },
    If {
        cond: Box<Expr>,
        then: Vec<Item>,
        els: Option<Vec<Item>>,
    },
    For {
        pat: Box<Pat>,
        expr: Box<Expr>,
        body: Vec<Item>,
    },
}

impl BlocksAst {
    pub fn is_static(&self) -> bool {
        self.items.iter().all(|i| {
            matches!(
                i,
                Item::Entry {
                    key: Key::Static(_),
                    ..
                }
            )
        })
    }
}

/// Parses the whole macro input: the fields of the document whose root is `root`.
pub fn parse_layout(tokens: proc_macro2::TokenStream, root: &'static StructSpec, diag: &mut Diag) -> Obj {
    let mut out = None;
    let parser = |input: ParseStream| {
        out = Some(Obj {
            fields: parse_fields(input, Some(root), &[], diag),
            span: Span::call_site(),
        });
        Ok(())
    };
    if let Err(e) = parser.parse2(tokens) {
        diag.push(e);
    }
    out.unwrap_or(Obj {
        fields: Vec::new(),
        span: Span::call_site(),
    })
}

fn skip_to_comma(input: ParseStream) {
    while !input.is_empty() && !input.peek(Token![,]) {
        if input.parse::<TokenTree>().is_err() {
            break;
        }
    }
    let _ = input.parse::<Option<Token![,]>>();
}

/// The separator after an item: a comma, or the end.
fn separator(input: ParseStream, what: &str, diag: &mut Diag) {
    if input.is_empty() {
        return;
    }
    if input.peek(Token![,]) {
        let _ = input.parse::<Token![,]>();
        return;
    }
    diag.push(input.error(format!("expected `,` after the {what}")));
    skip_to_comma(input);
}

fn parse_key(input: ParseStream) -> syn::Result<(String, Span)> {
    if input.peek(LitStr) {
        let s: LitStr = input.parse()?;
        Ok((s.value(), s.span()))
    } else if input.peek(Ident::peek_any) {
        let i = Ident::parse_any(input)?;
        Ok((i.unraw().to_string(), i.span()))
    } else {
        Err(input.error("expected a property name"))
    }
}

fn colon(input: ParseStream, key: &str) -> syn::Result<()> {
    if input.peek(Token![:]) {
        input.parse::<Token![:]>()?;
        Ok(())
    } else {
        Err(input.error(format!(
            "expected `:` after `{key}`\nhelp: a property is written `{key}: value`"
        )))
    }
}

/// `key: value, ...` of an object described by `spec` (unknown keys are kept, with an
/// unparsed value, for the checker to name). The envelope's `flags` (a widget block's
/// `visible`) are accepted too, as booleans.
fn parse_fields(
    input: ParseStream,
    spec: Option<&'static StructSpec>,
    flags: &[&str],
    diag: &mut Diag,
) -> Vec<FieldAst> {
    parse_pairs(input, "property", diag, |input, key, diag| {
        let kind = match spec {
            _ if flags.contains(&key) => Some(Kind::Bool),
            Some(spec) => spec.field(key).map(|f| f.kind),
            None => None,
        };
        parse_value(input, kind, diag)
    })
}

/// `key: value, ...` with `value` read by `read`. A pair that fails to parse is reported
/// and kept with an invalid value, so that its key does not also count as missing.
fn parse_pairs(
    input: ParseStream,
    what: &str,
    diag: &mut Diag,
    mut read: impl FnMut(ParseStream, &str, &mut Diag) -> syn::Result<Val>,
) -> Vec<FieldAst> {
    let mut fields = Vec::new();
    while !input.is_empty() {
        let (key, key_span) = match parse_key(input) {
            Ok(k) => k,
            Err(e) => {
                diag.push(e);
                skip_to_comma(input);
                continue;
            }
        };
        match colon(input, &key).and_then(|()| read(input, &key, diag)) {
            Ok(value) => {
                fields.push(FieldAst { key, key_span, value });
                separator(input, what, diag);
            }
            Err(e) => {
                fields.push(FieldAst {
                    key,
                    key_span,
                    value: Val::Invalid(key_span),
                });
                diag.push(e);
                skip_to_comma(input);
            }
        }
    }
    fields
}

fn paren_expr(input: ParseStream) -> syn::Result<Val> {
    let content;
    parenthesized!(content in input);
    let expr: Expr = content.parse()?;
    if !content.is_empty() {
        return Err(content.error("expected `)` after the expression"));
    }
    Ok(Val::Expr(Box::new(expr)))
}

fn expr(input: ParseStream) -> syn::Result<Val> {
    Ok(Val::Expr(Box::new(input.parse()?)))
}

/// Whether the next tokens are a lone identifier (not a path, call or method chain).
fn lone_ident(input: ParseStream) -> bool {
    input.peek(Ident::peek_any)
        && !input.peek2(Token![::])
        && !input.peek2(token::Paren)
        && !input.peek2(Token![.])
        && !input.peek2(Token![!])
        && !input.peek2(token::Brace)
}

/// Whether the next tokens are a word written with dashes (`base-90`, `with-border`):
/// the spelling of an enum value in CSS, which the checker answers with a suggestion.
fn dashed_word(input: ParseStream) -> bool {
    input.peek(Ident::peek_any) && input.peek2(Token![-]) && {
        let fork = input.fork();
        let _ = Ident::parse_any(&fork);
        let _ = fork.parse::<Token![-]>();
        (fork.peek(Ident::peek_any) || fork.peek(syn::LitInt))
            && (fork.peek2(Token![,]) || fork.peek2(Token![-]) || {
                let _ = fork.parse::<TokenTree>();
                fork.is_empty()
            })
    }
}

/// An enum value: a lone identifier, or a word with dashes read whole (its span covers
/// every piece), so that `base-90` is one value the checker can name.
fn enum_word(input: ParseStream) -> syn::Result<Val> {
    let ident = Ident::parse_any(input)?;
    let mut value = ident.unraw().to_string();
    let mut end = ident.span();
    while input.peek(Token![-]) && (input.peek2(Ident::peek_any) || input.peek2(syn::LitInt)) {
        input.parse::<Token![-]>()?;
        let piece: TokenTree = input.parse()?;
        value.push('-');
        value.push_str(&piece.to_string());
        end = piece.span();
    }
    Ok(Val::Enum { value, ident, end })
}

pub fn parse_value(input: ParseStream, kind: Option<Kind>, diag: &mut Diag) -> syn::Result<Val> {
    let Some(kind) = kind else {
        // an unknown property: the checker names it; skip its value
        let span = input.span();
        while !input.is_empty() && !input.peek(Token![,]) {
            input.parse::<TokenTree>()?;
        }
        return Ok(Val::Invalid(span));
    };
    if input.peek(token::Paren) && !matches!(kind, Kind::Any) {
        return paren_expr(input);
    }
    // a literal is a value whatever the slot: the checker says when it is of the wrong type
    let literal = input.peek(Lit) || (input.peek(Token![-]) && input.peek2(Lit));
    let button_title = input.peek(LitStr) && matches!(kind, Kind::Object(spec) if spec.name == "ButtonDto");
    if literal
        && !button_title
        && !matches!(
            kind,
            Kind::Str(_) | Kind::Bool | Kind::Enum(_) | Kind::Flag | Kind::Text
        )
    {
        return parse_json(input, diag);
    }
    match kind {
        Kind::Str(_) | Kind::Bool | Kind::Flag => {
            if literal {
                parse_json(input, diag)
            } else {
                expr(input)
            }
        }
        Kind::UInt => {
            if input.peek(Lit) || input.peek(Token![-]) {
                parse_json(input, diag)
            } else {
                expr(input)
            }
        }
        Kind::Enum(_) => {
            if literal {
                parse_json(input, diag)
            } else if lone_ident(input) || dashed_word(input) {
                enum_word(input)
            } else {
                expr(input)
            }
        }
        Kind::Any => parse_json(input, diag),
        Kind::Object(spec) => {
            if input.peek(token::Brace) {
                let content;
                let brace = braced!(content in input);
                Ok(Val::Obj(Obj {
                    fields: parse_fields(&content, Some(spec), &[], diag),
                    span: brace.span.join(),
                }))
            } else if button_title {
                // a button's short form: `primaryButton: "Save"`
                let s: LitStr = input.parse()?;
                let title = FieldAst {
                    key: "title".into(),
                    key_span: s.span(),
                    value: Val::Str {
                        value: s.value(),
                        span: s.span(),
                    },
                };
                Ok(Val::Obj(Obj {
                    fields: vec![title],
                    span: s.span(),
                }))
            } else {
                expr(input)
            }
        }
        Kind::Action(lang) => parse_action(input, lang, diag),
        // a text, or `{ en: "...", de: "..." }`
        Kind::Text => {
            if literal {
                parse_json(input, diag)
            } else if input.peek(token::Brace) {
                string_map(input, "translation", diag)
            } else {
                expr(input)
            }
        }
        Kind::Params => parse_json(input, diag),
        // `{ id: { fields }, ... }`
        Kind::Items(items) => {
            if input.peek(token::Brace) {
                let content;
                let brace = braced!(content in input);
                let fields = parse_pairs(&content, items.what, diag, |input, _, diag| {
                    if input.peek(token::Brace) {
                        let content;
                        let brace = braced!(content in input);
                        Ok(Val::Obj(Obj {
                            fields: parse_fields(&content, Some(items.spec), &[], diag),
                            span: brace.span.join(),
                        }))
                    } else {
                        expr(input)
                    }
                });
                Ok(Val::Obj(Obj {
                    fields,
                    span: brace.span.join(),
                }))
            } else {
                expr(input)
            }
        }
        Kind::Block(nest) => parse_block(input, nest.lang, diag),
        Kind::Blocks(nest) => {
            if input.peek(token::Brace) {
                let content;
                let brace = braced!(content in input);
                let items = parse_items(&content, false, nest.lang, diag);
                Ok(Val::Blocks(BlocksAst {
                    items,
                    span: brace.span.join(),
                }))
            } else {
                expr(input)
            }
        }
        Kind::Values => {
            if input.peek(token::Brace) {
                string_map(input, "option", diag)
            } else {
                expr(input)
            }
        }
    }
}

/// `{ key: "text", ... }`: a widget's option labels, a timeline text's translations.
fn string_map(input: ParseStream, what: &str, diag: &mut Diag) -> syn::Result<Val> {
    let content;
    let brace = braced!(content in input);
    let fields = parse_pairs(&content, what, diag, |input, _, diag| {
        parse_value(input, Some(Kind::Str(layout_core::schema::StrRule::ANY)), diag)
    });
    Ok(Val::Obj(Obj {
        fields,
        span: brace.span.join(),
    }))
}

/// A JSON-like value: literals, `null`, `{ key: value }`, `[a, b]`, or `(expr)`.
fn parse_json(input: ParseStream, diag: &mut Diag) -> syn::Result<Val> {
    if input.peek(token::Paren) {
        return paren_expr(input);
    }
    if input.peek(token::Brace) {
        let content;
        let brace = braced!(content in input);
        let fields = parse_pairs(&content, "value", diag, |input, _, diag| parse_json(input, diag));
        return Ok(Val::Obj(Obj {
            fields,
            span: brace.span.join(),
        }));
    }
    if input.peek(token::Bracket) {
        let content;
        let bracket = bracketed!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(parse_json(&content, diag)?);
            separator(&content, "value", diag);
        }
        return Ok(Val::Arr(items, bracket.span.join()));
    }
    if input.peek(Ident::peek_any)
        && input.fork().call(Ident::parse_any).is_ok_and(|i| i == "null")
        && !input.peek2(Token![.])
    {
        let i = Ident::parse_any(input)?;
        return Ok(Val::Null(i.span()));
    }
    let negative = input.peek(Token![-]) && input.peek2(Lit);
    let minus = if negative {
        Some(input.parse::<Token![-]>()?)
    } else {
        None
    };
    if input.peek(Lit) {
        let lit: Lit = input.parse()?;
        let span = minus.map_or(lit.span(), |m| m.span.join(lit.span()).unwrap_or(lit.span()));
        let sign = if negative { "-" } else { "" };
        return Ok(match lit {
            Lit::Str(s) if !negative => Val::Str {
                value: s.value(),
                span,
            },
            Lit::Bool(b) if !negative => Val::Bool(b.value, span),
            Lit::Int(i) => {
                let text = format!("{sign}{}", i.base10_digits());
                let value = text
                    .parse::<u64>()
                    .map(serde_json::Number::from)
                    .or_else(|_| text.parse::<i64>().map(serde_json::Number::from))
                    .map_err(|_| syn::Error::new(span, "this number does not fit in 64 bits"))?;
                Val::Num { value, span }
            }
            Lit::Float(f) => {
                let value = format!("{sign}{}", f.base10_digits())
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .ok_or_else(|| syn::Error::new(span, "not a finite number"))?;
                Val::Num { value, span }
            }
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "expected a string, number, true, false or null",
                ))
            }
        });
    }
    expr(input)
}

fn parse_action(input: ParseStream, lang: Lang, diag: &mut Diag) -> syn::Result<Val> {
    if !lone_ident_then_group(input) {
        if input.peek(Ident::peek_any) && !input.peek2(Token![::]) {
            let ident = Ident::parse_any(input)?;
            return Err(syn::Error::new(
                ident.span(),
                match lang {
                    Lang::Widget => format!(
                        "expected an action such as `{ident}(\"...\")`\nhelp: actions are written `redirect(\"/crm/deal/details/1/\")`, `layoutEvent(\"clicked\")`, `openRestApp(\"howto\")`, or as a Rust expression in parentheses"
                    ),
                    Lang::Timeline => format!(
                        "expected an action such as `{ident}(\"...\")`\nhelp: actions are written `redirect(\"/crm/deal/details/1/\")`, `restEvent(\"confirm\")`, `openRestApp {{ actionParams: {{...}} }}`, or as a Rust expression in parentheses"
                    ),
                },
            ));
        }
        return expr(input);
    }
    let ty = Ident::parse_any(input)?;
    let name = ty.unraw().to_string();
    let spec = lang.action_spec(&name);
    let ty_val = Val::Enum {
        ident: ty.clone(),
        value: name,
        end: ty.span(),
    };
    let fields = if input.peek(token::Paren) {
        let content;
        parenthesized!(content in input);
        let mut fields = Vec::new();
        let named_field =
            content.peek(Ident::peek_any) && content.peek2(Token![:]) && !content.peek2(Token![::]);
        if !content.is_empty() && !named_field {
            // the action's first field (`value` of the widget's, `uri`, `id`...)
            let span = content.span();
            let first = spec.and_then(|s| s.fields.first());
            let value = parse_value(&content, first.map(|f| f.kind), diag)?;
            fields.push(FieldAst {
                key: first.map_or("value", |f| f.name).into(),
                key_span: span,
                value,
            });
            separator(&content, "action's value", diag);
        }
        fields.extend(parse_fields(&content, spec, &[], diag));
        fields
    } else {
        let content;
        braced!(content in input);
        parse_fields(&content, spec, &[], diag)
    };
    Ok(Val::Action(Box::new(ActionAst {
        ty,
        ty_val,
        spec,
        fields,
    })))
}

fn lone_ident_then_group(input: ParseStream) -> bool {
    input.peek(Ident::peek_any) && (input.peek2(token::Paren) || input.peek2(token::Brace))
}

/// `type { properties }`, or `(expr)` for a block built at run time.
pub fn parse_block(input: ParseStream, lang: Lang, diag: &mut Diag) -> syn::Result<Val> {
    if input.peek(token::Paren) {
        return paren_expr(input);
    }
    if input.peek(token::Brace) {
        return Err(input.error(
            "expected a block type before `{`\nhelp: a block is written `type { properties }`, e.g. `greeting: text { value: \"Hello\" }`, not as JSON",
        ));
    }
    if !input.peek(Ident::peek_any) {
        return Err(
            input.error("expected a block: `text { value: \"...\" }`, or a Rust expression in parentheses")
        );
    }
    let ty = Ident::parse_any(input)?;
    let name = ty.unraw().to_string();
    if !input.peek(token::Brace) {
        let hint = if lang.block_spec(&name).is_some() {
            format!("write the block's properties in braces: `{name} {{ ... }}`")
        } else {
            "a block is written `type { properties }`, e.g. `text { value: \"Hello\" }`".to_owned()
        };
        return Err(syn::Error::new(
            ty.span(),
            format!("expected `{{` after `{name}`\nhelp: {hint}"),
        ));
    }
    let spec = lang.block_spec(&name);
    let content;
    braced!(content in input);
    let mut fields = match spec {
        Some(spec) => parse_fields(&content, Some(spec), lang.block_envelope().flags, diag),
        None => {
            // an unknown type: the checker names it; its properties are not checked
            let _ = content.parse::<proc_macro2::TokenStream>();
            Vec::new()
        }
    };
    let visible = fields.iter().position(|f| f.key == "visible").map(|i| {
        let f = fields.remove(i);
        (f.key_span, f.value)
    });
    let ty_val = Val::Enum {
        ident: ty.clone(),
        value: name,
        end: ty.span(),
    };
    Ok(Val::Block(Box::new(BlockAst {
        props: Val::Obj(Obj {
            fields,
            span: ty.span(),
        }),
        ty,
        ty_val,
        spec,
        visible,
    })))
}

/// The entries of a blocks map.
fn parse_items(input: ParseStream, in_loop: bool, lang: Lang, diag: &mut Diag) -> Vec<Item> {
    let mut items = Vec::new();
    while !input.is_empty() {
        let control = if input.peek(Token![if]) {
            Some(parse_if(input, in_loop, lang, diag))
        } else if input.peek(Token![for]) {
            Some(parse_for(input, lang, diag))
        } else {
            None
        };
        if let Some(item) = control {
            match item {
                Ok(item) => items.push(item),
                Err(e) => {
                    diag.push(e);
                    skip_to_comma(input);
                }
            }
            let _ = input.parse::<Option<Token![,]>>();
            continue;
        }
        let head = (|| {
            if input.peek(token::Paren) {
                let content;
                let paren = parenthesized!(content in input);
                return Ok((Key::Dynamic(Box::new(content.parse()?)), paren.span.join()));
            }
            let (k, span) = parse_key(input).map_err(|_| {
                input.error("expected a block id (a name, a \"string\", or a Rust expression in parentheses), `if` or `for`")
            })?;
            if in_loop {
                diag.push(syn::Error::new(
                    span,
                    format!("block id `{k}` would repeat on every item of the loop\nhelp: compute the id from the item: `(format!(\"{k}{{}}\", item.id)): text {{ ... }}`"),
                ));
            }
            Ok((Key::Static(k), span))
        })();
        let (key, key_span) = match head {
            Ok(h) => h,
            Err(e) => {
                diag.push(e);
                skip_to_comma(input);
                continue;
            }
        };
        let key_name = match &key {
            Key::Static(k) => k.clone(),
            Key::Dynamic(_) => "id".into(),
        };
        match colon(input, &key_name).and_then(|()| parse_block(input, lang, diag)) {
            Ok(value) => {
                items.push(Item::Entry { key, key_span, value });
                separator(input, "block", diag);
            }
            Err(e) => {
                // keep the entry, so that the map does not also look empty
                items.push(Item::Entry {
                    key,
                    key_span,
                    value: Val::Invalid(key_span),
                });
                diag.push(e);
                skip_to_comma(input);
            }
        }
    }
    items
}

/// `for pat in expr { entries }`: one entry per item, ids computed from the item.
fn parse_for(input: ParseStream, lang: Lang, diag: &mut Diag) -> syn::Result<Item> {
    input.parse::<Token![for]>()?;
    let pat = Pat::parse_multi_with_leading_vert(input)?;
    input.parse::<Token![in]>()?;
    let expr = Expr::parse_without_eager_brace(input)?;
    let content;
    braced!(content in input);
    let body = parse_items(&content, true, lang, diag);
    Ok(Item::For {
        pat: Box::new(pat),
        expr: Box::new(expr),
        body,
    })
}

fn parse_if(input: ParseStream, in_loop: bool, lang: Lang, diag: &mut Diag) -> syn::Result<Item> {
    input.parse::<Token![if]>()?;
    let cond = Expr::parse_without_eager_brace(input)?;
    let content;
    braced!(content in input);
    let then = parse_items(&content, in_loop, lang, diag);
    let els = if input.peek(Token![else]) {
        input.parse::<Token![else]>()?;
        if input.peek(Token![if]) {
            Some(vec![parse_if(input, in_loop, lang, diag)?])
        } else {
            let content;
            braced!(content in input);
            Some(parse_items(&content, in_loop, lang, diag))
        }
    } else {
        None
    };
    Ok(Item::If {
        cond: Box::new(cond),
        then,
        els,
    })
}
