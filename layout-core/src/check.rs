//! The interpreter of the rule table. It walks any tree that implements [`Node`]: a
//! `serde_json::Value` at run time, the parsed `layout!` input at compile time, where a
//! value may be a Rust expression known only at run time ([`Shape::Opaque`]).
//!
//! It reports every violation, in document order, each with the JSON pointer of the value
//! at fault and the node's location `L` (nothing for JSON, a span for the macro). What it
//! cannot decide because a value is opaque it lists as [`Deferred`], so that the macro
//! knows the layout needs a check when it is built.

use crate::pointer::Ptr;
use crate::schema::{
    self, did_you_mean, is_strict_key, list, Cross, Field, Items, Kind, Lang, Nest, StrRule, StructSpec,
};
use crate::violation::{Rule, Violation};

/// A tree the checker can walk.
pub trait Node {
    /// Where a node is in its source: `()` for JSON, a span for the macro.
    type Loc: Clone;
    fn loc(&self) -> Self::Loc;
    fn shape(&self) -> Shape<'_, Self>;
}

/// What a node is.
pub enum Shape<'a, N: Node + ?Sized> {
    Null,
    Bool(bool),
    /// A number, with its value when it is a non-negative integer.
    Number(Option<u64>),
    Str(&'a str),
    Array,
    Object(Vec<Entry<'a, N>>),
    /// A value computed at run time. Its Rust type is checked by the compiler; what it
    /// holds is not known to the checker.
    Opaque,
}

/// How many times an entry of an object will be there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    One,
    /// Zero or one time (under an `if`).
    Optional,
    /// Any number of times (one per item of a loop).
    Many,
}

/// One member of an object.
pub struct Entry<'a, N: Node + ?Sized> {
    /// The key, or `None` when it is computed at run time.
    pub key: Option<&'a str>,
    pub key_loc: N::Loc,
    pub value: &'a N,
    pub count: Count,
}

/// A check that could not be made because a value is only known at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deferred<L> {
    pub pointer: String,
    pub loc: L,
    pub why: &'static str,
}

/// The result of a check.
#[derive(Clone, Debug)]
pub struct Report<L> {
    pub violations: Vec<Violation<L>>,
    pub deferred: Vec<Deferred<L>>,
}

/// Checks a whole widget LayoutDto.
pub fn check_layout<N: Node + ?Sized>(root: &N) -> Report<N::Loc> {
    check_root(root, schema::ROOT)
}

/// Checks a whole document whose root object is `spec`: a widget's LayoutDto, a
/// configurable activity's LayoutDto, a content-block set.
pub fn check_root<N: Node + ?Sized>(root: &N, spec: &'static StructSpec) -> Report<N::Loc> {
    let mut c = Checker {
        violations: Vec::new(),
        deferred: Vec::new(),
    };
    c.object(root, &Ptr::Root, spec, &[]);
    Report {
        violations: c.violations,
        deferred: c.deferred,
    }
}

/// Checks one block standing at `pointer` (its tokens) in a container of kind `nest`:
/// what a change to that block alone can break, without walking the rest of the layout.
pub fn check_block<N: Node + ?Sized, S: AsRef<str>>(block: &N, pointer: &[S], nest: &Nest) -> Report<N::Loc> {
    fn go<N: Node + ?Sized, S: AsRef<str>>(
        c: &mut Checker<N::Loc>,
        block: &N,
        ptr: &Ptr,
        rest: &[S],
        nest: &Nest,
    ) {
        match rest.split_first() {
            Some((first, rest)) => go(c, block, &ptr.key(first.as_ref()), rest, nest),
            None => c.block(block, ptr, nest),
        }
    }
    let mut c = Checker {
        violations: Vec::new(),
        deferred: Vec::new(),
    };
    go(&mut c, block, &Ptr::Root, pointer, nest);
    Report {
        violations: c.violations,
        deferred: c.deferred,
    }
}

/// Checks one member of the layout's top-level object (a button), as `check_layout`
/// would, without walking the blocks.
pub fn check_member<N: Node + ?Sized>(value: &N, key: &str) -> Report<N::Loc> {
    let mut c = Checker {
        violations: Vec::new(),
        deferred: Vec::new(),
    };
    match schema::ROOT.field(key) {
        Some(field) => c.value(value, &Ptr::Root.key(key), field, &value.loc()),
        None => {
            let v = schema::ROOT.unknown_field(&Ptr::Root.key(key).render(), key);
            c.push(v, &value.loc());
        }
    }
    Report {
        violations: c.violations,
        deferred: c.deferred,
    }
}

/// The violation for a widget block type that does not exist.
pub fn unknown_block_type<L>(ptr: &str, ty: &str, loc: L) -> Violation<L> {
    unknown_block_type_in(Lang::Widget, ptr, ty, loc)
}

/// The violation for a block type that `lang` does not have; the other language's
/// types are named as such.
pub fn unknown_block_type_in<L>(lang: Lang, ptr: &str, ty: &str, loc: L) -> Violation<L> {
    let names = lang.block_types().iter().map(|b| b.props.name);
    let other = Lang::ALL
        .into_iter()
        .find(|l| *l != lang && l.block_type(ty).is_some());
    if let Some(other) = other {
        let (here, there) = match other {
            Lang::Widget => ("a timeline record", "a widget's built-in interface"),
            Lang::Timeline => ("a widget's built-in interface", "a timeline record"),
        };
        return Violation::at(
            ptr,
            Rule::UnknownBlockType,
            format!("`{ty}` is a block of {there}, not of {here}"),
            loc,
        )
        .with_help(format!("block types here: {}", list(names)));
    }
    let help = match did_you_mean(ty, names.clone()) {
        Some(d) => d,
        None => format!("block types: {}", list(names)),
    };
    Violation::at(
        ptr,
        Rule::UnknownBlockType,
        format!("unknown block type `{ty}`"),
        loc,
    )
    .with_help(help)
}

/// The violation for a widget action type that does not exist.
pub fn unknown_action<L>(ptr: &str, ty: &str, loc: L) -> Violation<L> {
    unknown_action_in(Lang::Widget, ptr, ty, loc)
}

/// The violation for an action type that `lang` does not have.
pub fn unknown_action_in<L>(lang: Lang, ptr: &str, ty: &str, loc: L) -> Violation<L> {
    let names = lang.actions().iter().map(|a| a.name);
    let help = match did_you_mean(ty, names.clone()) {
        Some(d) => d,
        None => format!("action types: {}", list(names)),
    };
    Violation::at(
        ptr,
        Rule::UnknownActionType,
        format!("unknown action type `{ty}`"),
        loc,
    )
    .with_help(help)
}

/// The violation for a key of a widget block that is not a key of its envelope.
pub fn unknown_block_key<L>(ptr: &str, key: &str, loc: L) -> Violation<L> {
    unknown_block_key_in(Lang::Widget, ptr, key, loc)
}

/// The violation for a key of a block that is not a key of `lang`'s block envelope.
pub fn unknown_block_key_in<L>(lang: Lang, ptr: &str, key: &str, loc: L) -> Violation<L> {
    let envelope = lang.block_envelope();
    let help = match did_you_mean(key, envelope.keys()) {
        Some(d) => d,
        None => {
            let keys: Vec<String> = envelope.keys().map(|k| format!("`{k}`")).collect();
            let (last, first) = keys.split_last().expect("an envelope has a tag");
            format!(
                "a block has only {} and {last}; put `{key}` inside `{}` if the block type has it",
                first.join(", "),
                envelope.body.unwrap_or(envelope.tag)
            )
        }
    };
    Violation::at(
        ptr,
        Rule::UnknownProperty,
        format!("unknown key `{key}` of a block"),
        loc,
    )
    .with_help(help)
}

fn shape_name<N: Node + ?Sized>(shape: &Shape<'_, N>) -> &'static str {
    match shape {
        Shape::Null => "null",
        Shape::Bool(_) => "a boolean",
        Shape::Number(_) => "a number",
        Shape::Str(_) => "a string",
        Shape::Array => "an array",
        Shape::Object(_) => "an object",
        Shape::Opaque => "a value",
    }
}

struct Checker<L> {
    violations: Vec<Violation<L>>,
    deferred: Vec<Deferred<L>>,
}

impl<L: Clone> Checker<L> {
    fn push(&mut self, v: Violation, loc: &L) {
        self.violations.push(v.relocate(loc.clone()));
    }

    fn defer(&mut self, ptr: &Ptr, loc: &L, why: &'static str) {
        self.deferred.push(Deferred {
            pointer: ptr.render(),
            loc: loc.clone(),
            why,
        });
    }

    fn wrong_type<N: Node<Loc = L> + ?Sized>(
        &mut self,
        ptr: &Ptr,
        expected: &str,
        node: &N,
        shape: &Shape<'_, N>,
    ) {
        let mut v = Violation::new(
            ptr,
            Rule::WrongType,
            format!("expected {expected}, found {}", shape_name(shape)),
        );
        if matches!(shape, Shape::Null) {
            v = v.with_help("leave the property out instead of writing null");
        }
        self.push(v, &node.loc());
    }

    /// Checks an object against `spec`, ignoring the keys in `skip`.
    fn object<N: Node<Loc = L> + ?Sized>(
        &mut self,
        node: &N,
        ptr: &Ptr,
        spec: &'static StructSpec,
        skip: &[&str],
    ) {
        let entries = match node.shape() {
            Shape::Object(entries) => entries,
            Shape::Opaque => return self.defer(ptr, &node.loc(), "an object built at run time"),
            other => {
                let expected = format!("an object ({})", spec.what());
                return self.wrong_type(ptr, &expected, node, &other);
            }
        };
        // what was seen is looked up in `entries` itself: no list is allocated per object
        let seen = |key: &str, before: usize| entries[..before].iter().any(|e| e.key == Some(key));
        let mut unknown: Vec<&str> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let Some(key) = e.key else {
                self.defer(ptr, &e.key_loc, "a property name computed at run time");
                continue;
            };
            if skip.contains(&key) {
                continue;
            }
            let at = ptr.key(key);
            if seen(key, i) {
                self.push(
                    Violation::new(at, Rule::DuplicateKey, format!("property `{key}` is set twice"))
                        .with_help("keep one of them"),
                    &e.key_loc,
                );
                continue;
            }
            match spec.field(key) {
                Some(field) => self.value(e.value, &at, field, &e.key_loc),
                None => {
                    unknown.push(key);
                    self.push(spec.unknown_field(&at.render(), key), &e.key_loc)
                }
            }
        }
        for field in spec.fields.iter().filter(|f| f.required) {
            // a misspelt `vlaue` was said already: no second error for the missing `value`
            let misspelt = unknown.iter().any(|k| did_you_mean(k, [field.name]).is_some());
            if !seen(field.name, entries.len()) && !misspelt {
                let v = Violation::new(
                    ptr.key(field.name),
                    Rule::MissingRequired,
                    format!("{} needs `{}`", spec.what(), field.name),
                )
                .with_help(format!("add `{}`: {}", field.name, describe(field)));
                self.push(v, &node.loc());
            }
        }
        for cross in spec.cross {
            self.cross(cross, &entries, ptr);
        }
    }

    fn cross<N: Node<Loc = L> + ?Sized>(&mut self, cross: &Cross, entries: &[Entry<'_, N>], ptr: &Ptr) {
        let get = |name: &str| entries.iter().find(|e| e.key == Some(name));
        match *cross {
            Cross::NeedsTrue { field, flag, rule } => {
                let Some(f) = get(field) else { return };
                let at = ptr.key(field);
                match get(flag).map(|e| (e, e.value.shape())) {
                    Some((_, Shape::Bool(true))) => {}
                    Some((e, Shape::Opaque)) => self.defer(&at, &e.key_loc, "a flag known at run time"),
                    Some((_, Shape::Bool(false))) | None => self.push(
                        Violation::new(at, rule, format!("`{field}` applies only when `{flag}` is true"))
                            .with_help(format!("set `{flag}: true`, or remove `{field}`")),
                        &f.key_loc,
                    ),
                    Some(_) => {} // wrong type, reported already
                }
            }
            Cross::KeyOf { field, map, rule } => {
                let Some(f) = get(field) else { return };
                let at = ptr.key(field);
                let Some(m) = get(map) else { return };
                let (Shape::Str(selected), Shape::Object(options)) = (f.value.shape(), m.value.shape())
                else {
                    if matches!(f.value.shape(), Shape::Opaque) || matches!(m.value.shape(), Shape::Opaque) {
                        self.defer(&at, &f.key_loc, "a selected value known at run time");
                    }
                    return;
                };
                if options.iter().any(|o| o.key.is_none()) {
                    return self.defer(&at, &f.key_loc, "option codes computed at run time");
                }
                if !options.is_empty() && !options.iter().any(|o| o.key == Some(selected)) {
                    let codes: Vec<&str> = options.iter().filter_map(|o| o.key).collect();
                    let help = match did_you_mean(selected, codes.iter().copied()) {
                        Some(d) => format!(
                            "{d}; the codes of `{map}`: {}",
                            list(
                                codes
                                    .iter()
                                    .map(|c| quoted(c))
                                    .collect::<Vec<_>>()
                                    .iter()
                                    .map(String::as_str)
                            )
                        ),
                        None => format!(
                            "use one of the codes of `{map}`: {}",
                            list(
                                codes
                                    .iter()
                                    .map(|c| quoted(c))
                                    .collect::<Vec<_>>()
                                    .iter()
                                    .map(String::as_str)
                            )
                        ),
                    };
                    self.push(
                        Violation::new(
                            at,
                            rule,
                            format!("`{field}` \"{selected}\" is not a key of `{map}`"),
                        )
                        .with_help(help),
                        &f.value.loc(),
                    );
                }
            }
            Cross::Exclusive { a, b, rule } => {
                if let (Some(_), Some(eb)) = (get(a), get(b)) {
                    self.push(
                        Violation::new(
                            ptr.key(b),
                            rule,
                            format!("`{a}` and `{b}` cannot be used together"),
                        )
                        .with_help(format!("keep either `{a}` or `{b}`")),
                        &eb.key_loc,
                    );
                }
            }
        }
    }

    fn value<N: Node<Loc = L> + ?Sized>(&mut self, node: &N, ptr: &Ptr, field: &Field, key_loc: &L) {
        // containers look at their own shape (once: an object's shape lists its entries)
        match field.kind {
            Kind::Object(spec) => return self.object(node, ptr, spec, &[]),
            Kind::Action(lang) => return self.action(node, ptr, lang),
            Kind::Block(nest) => return self.block(node, ptr, nest),
            Kind::Blocks(nest) => return self.blocks(node, ptr, nest, key_loc),
            Kind::Items(items) => return self.items(node, ptr, items),
            Kind::Text => return self.text(node, ptr),
            _ => {}
        }
        let shape = node.shape();
        if let Shape::Opaque = shape {
            if matches!(
                field.kind,
                Kind::Str(StrRule { check: Some(_), .. }) | Kind::Values
            ) {
                self.defer(ptr, &node.loc(), "a value known at run time");
            }
            return;
        }
        match field.kind {
            Kind::Str(rule) => match shape {
                Shape::Str(s) => self.string(s, rule, ptr, node),
                other => self.wrong_type(ptr, "a string", node, &other),
            },
            Kind::Bool => {
                if !matches!(shape, Shape::Bool(_)) {
                    self.wrong_type(ptr, "a boolean (true or false)", node, &shape);
                }
            }
            Kind::UInt => match shape {
                Shape::Number(Some(n)) if n <= u64::from(u32::MAX) => {}
                other => self.wrong_type(ptr, "a whole number of pixels", node, &other),
            },
            Kind::Enum(spec) => match shape {
                Shape::Str(s) if spec.contains(s) => {}
                Shape::Str(s) => self.push(spec.violation(&ptr.render(), s), &node.loc()),
                other => {
                    let expected = format!("a string ({}: {})", spec.name, list(spec.values.iter().copied()));
                    self.wrong_type(ptr, &expected, node, &other)
                }
            },
            Kind::Flag => match shape {
                Shape::Bool(_) | Shape::Str("true" | "false") => {}
                Shape::Str(s) => self.push(
                    Violation::new(
                        ptr,
                        Rule::WrongType,
                        format!("expected a boolean, found the string \"{s}\""),
                    )
                    .with_help("write true or false"),
                    &node.loc(),
                ),
                other => self.wrong_type(ptr, "a boolean (true or false)", node, &other),
            },
            Kind::Params => {
                if !matches!(shape, Shape::Object(_) | Shape::Array) {
                    self.wrong_type(
                        ptr,
                        "an object or an array (parameters handed back to the app)",
                        node,
                        &shape,
                    );
                }
            }
            Kind::Any
            | Kind::Object(_)
            | Kind::Action(_)
            | Kind::Block(_)
            | Kind::Blocks(_)
            | Kind::Items(_)
            | Kind::Text => {}
            Kind::Values => self.values(node, ptr, shape, key_loc),
        }
    }

    fn string<N: Node<Loc = L> + ?Sized>(&mut self, s: &str, rule: StrRule, ptr: &Ptr, node: &N) {
        if let Some(failure) = rule.check.and_then(|check| check(s)) {
            self.push(
                Violation::new(ptr, failure.rule, failure.message).with_help(failure.help),
                &node.loc(),
            );
        }
    }

    fn values<N: Node<Loc = L> + ?Sized>(&mut self, node: &N, ptr: &Ptr, shape: Shape<'_, N>, key_loc: &L) {
        let Shape::Object(options) = shape else {
            return self.wrong_type(ptr, "an object of option code to label", node, &shape);
        };
        if options.is_empty() {
            self.push(
                Violation::new(ptr, Rule::EmptyValues, "`values` has no option")
                    .with_help("add at least one option: \"code\": \"label\""),
                key_loc,
            );
        } else if options.iter().all(|o| o.count != Count::One) {
            self.defer(ptr, key_loc, "options computed at run time");
        }
        let mut seen: Vec<&str> = Vec::new();
        for o in &options {
            let Some(code) = o.key else {
                self.defer(ptr, &o.key_loc, "option codes computed at run time");
                continue;
            };
            let at = ptr.key(code);
            if seen.contains(&code) {
                self.push(
                    Violation::new(at, Rule::DuplicateKey, format!("option `{code}` is listed twice")),
                    &o.key_loc,
                );
            }
            seen.push(code);
            match o.value.shape() {
                Shape::Str(_) | Shape::Opaque => {}
                other => self.wrong_type(&at, "a string (the label)", o.value, &other),
            }
        }
    }

    fn action<N: Node<Loc = L> + ?Sized>(&mut self, node: &N, ptr: &Ptr, lang: Lang) {
        let action = lang.action_envelope();
        let shape = node.shape();
        let entries = match &shape {
            Shape::Object(entries) => entries,
            Shape::Opaque => return self.defer(ptr, &node.loc(), "an action built at run time"),
            _ => return self.wrong_type(ptr, &format!("an object ({})", action.dto), node, &shape),
        };
        let at = ptr.key(action.tag);
        let Some(ty) = entries.iter().find(|e| e.key == Some(action.tag)) else {
            let v = Violation::new(
                at,
                Rule::MissingRequired,
                format!("an action needs a `{}`", action.tag),
            )
            .with_help(format!(
                "action types: {}",
                list(lang.actions().iter().map(|a| a.name))
            ));
            return self.push(v, &node.loc());
        };
        match ty.value.shape() {
            Shape::Str(name) => match lang.action_spec(name) {
                Some(spec) => self.object(node, ptr, spec, &[action.tag]),
                None => self
                    .violations
                    .push(unknown_action_in(lang, &at.render(), name, ty.value.loc())),
            },
            Shape::Opaque => self.defer(&at, &ty.value.loc(), "an action type known at run time"),
            other => self.wrong_type(&at, "a string (the action type)", ty.value, &other),
        }
    }

    fn block<N: Node<Loc = L> + ?Sized>(&mut self, node: &N, ptr: &Ptr, nest: &Nest) {
        let lang = nest.lang;
        let envelope = lang.block_envelope();
        let shape = node.shape();
        let entries = match shape {
            Shape::Object(entries) => entries,
            Shape::Opaque => return self.defer(ptr, &node.loc(), "a block built at run time"),
            other => return self.wrong_type(ptr, &format!("an object ({})", envelope.dto), node, &other),
        };
        if nest.max == Some(1)
            && !entries.is_empty()
            && entries
                .iter()
                .all(|e| e.key.is_some_and(|k| !envelope.has_key(k)))
        {
            let v = Violation::new(
                ptr,
                Rule::WrongType,
                format!("expected one block, found a map of {} id(s)", entries.len()),
            )
            .with_help(format!(
                "a {}'s block is the block itself, without an id: {{\"type\": \"text\", \"properties\": {{...}}}}",
                nest.parent
            ));
            return self.push(v, &node.loc());
        }
        let mut ty = None;
        let mut props = None;
        for (i, e) in entries.iter().enumerate() {
            let Some(key) = e.key else { continue };
            let at = ptr.key(key);
            if entries[..i].iter().any(|p| p.key == Some(key)) {
                self.push(
                    Violation::new(at, Rule::DuplicateKey, format!("key `{key}` is set twice")),
                    &e.key_loc,
                );
                continue;
            }
            if key == envelope.tag {
                ty = Some(e);
            } else if Some(key) == envelope.body {
                props = Some(e);
            } else if envelope.flags.contains(&key) {
                match e.value.shape() {
                    Shape::Bool(_) | Shape::Opaque => {}
                    other => self.wrong_type(&at, "a boolean (true or false)", e.value, &other),
                }
            } else {
                self.violations
                    .push(unknown_block_key_in(lang, &at.render(), key, e.key_loc.clone()));
            }
        }
        let at_type = ptr.key(envelope.tag);
        let spec = match ty.map(|e| (e, e.value.shape())) {
            None => {
                let v = Violation::new(
                    at_type,
                    Rule::MissingRequired,
                    format!("a block needs a `{}`", envelope.tag),
                )
                .with_help(format!("allowed here: {}", list(nest.allowed())));
                self.push(v, &node.loc());
                None
            }
            Some((e, Shape::Str(name))) => match lang.block_spec(name) {
                None => {
                    self.violations.push(unknown_block_type_in(
                        lang,
                        &at_type.render(),
                        name,
                        e.value.loc(),
                    ));
                    None
                }
                Some(spec) => {
                    if !nest.allows(name) {
                        self.not_allowed(ptr, name, nest, &e.value.loc());
                    }
                    Some(spec)
                }
            },
            Some((e, Shape::Opaque)) => {
                self.defer(&at_type, &e.value.loc(), "a block type known at run time");
                None
            }
            Some((e, other)) => {
                self.wrong_type(&at_type, "a string (the block type)", e.value, &other);
                None
            }
        };
        let body = envelope.body.unwrap_or(envelope.tag);
        let at_props = ptr.key(body);
        match (props, spec) {
            // a type with nothing required may stand without its properties
            (None, Some(spec)) if !envelope.body_required && !spec.fields.iter().any(|f| f.required) => {}
            (None, spec) => {
                let mut v =
                    Violation::new(at_props, Rule::MissingRequired, format!("a block needs `{body}`"));
                if let (Some(spec), false) = (spec, envelope.body_required) {
                    let required: Vec<&str> = spec
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.name)
                        .collect();
                    v = v.with_help(format!("{} needs {}", spec.what(), list(required)));
                }
                self.push(v, &node.loc());
            }
            (Some(p), Some(spec)) => self.object(p.value, &at_props, spec, &[]),
            (Some(_), None) => {}
        }
    }

    /// A key of the timeline's keyed objects: Latin letters, digits, `-`, `_`.
    fn strict_key(&mut self, at: &Ptr, key: &str, what: &str, loc: &L) {
        if !is_strict_key(key) {
            self.push(
                Violation::new(
                    at,
                    Rule::KeyWrongSymbols,
                    format!("{what} `{key}` has characters Bitrix24 refuses"),
                )
                .with_help("keys take only Latin letters, digits, `-` and `_`"),
                loc,
            );
        }
    }

    /// textWithTranslation: a string, or a non-empty object of language code to string.
    fn text<N: Node<Loc = L> + ?Sized>(&mut self, node: &N, ptr: &Ptr) {
        match node.shape() {
            Shape::Str(_) | Shape::Opaque => {}
            Shape::Object(entries) => {
                if entries.is_empty() {
                    self.push(
                        Violation::new(ptr, Rule::EmptyTranslation, "a text with translations has none")
                            .with_help("write a string, or {\"en\": \"...\"} with at least one language"),
                        &node.loc(),
                    );
                }
                for (i, e) in entries.iter().enumerate() {
                    let Some(lang) = e.key else {
                        self.defer(ptr, &e.key_loc, "a language computed at run time");
                        continue;
                    };
                    let at = ptr.key(lang);
                    if entries[..i].iter().any(|p| p.key == Some(lang)) {
                        self.push(
                            Violation::new(at, Rule::DuplicateKey, format!("language `{lang}` is set twice")),
                            &e.key_loc,
                        );
                        continue;
                    }
                    if !crate::timeline::is_language_code(lang) {
                        let mut v = Violation::new(
                            at,
                            Rule::WrongLanguage,
                            format!("`{lang}` is not a language code"),
                        );
                        v = v.with_help(
                            match did_you_mean(lang, crate::timeline::LANGUAGES.iter().copied()) {
                                Some(d) => {
                                    format!("{d}; Bitrix24 refuses a language the portal does not have")
                                }
                                None => format!(
                                    "a key is a Bitrix24 language code: {}",
                                    list(crate::timeline::LANGUAGES.iter().copied())
                                ),
                            },
                        );
                        self.push(v, &e.key_loc);
                    }
                    match e.value.shape() {
                        Shape::Str(_) | Shape::Opaque => {}
                        other => {
                            self.wrong_type(&at, "a string (the text in that language)", e.value, &other)
                        }
                    }
                }
            }
            other => self.wrong_type(
                ptr,
                "a string, or an object of language code to text",
                node,
                &other,
            ),
        }
    }

    /// A keyed object of DTOs: each entry checked against `items.spec`, at most `max`.
    fn items<N: Node<Loc = L> + ?Sized>(&mut self, node: &N, ptr: &Ptr, items: &Items) {
        let shape = node.shape();
        let entries = match shape {
            Shape::Object(entries) => entries,
            Shape::Opaque => return self.defer(ptr, &node.loc(), "entries built at run time"),
            Shape::Array => {
                let v = Violation::new(
                    ptr,
                    Rule::WrongType,
                    format!("expected an object of id to {}, found an array", items.spec.name),
                )
                .with_help(format!(
                    "key each {} by an id: {{\"id1\": {{...}}}}; in PHP use string keys",
                    items.what
                ));
                return self.push(v, &node.loc());
            }
            other => {
                let expected = format!("an object of id to {}", items.spec.name);
                return self.wrong_type(ptr, &expected, node, &other);
            }
        };
        let definite = entries.iter().filter(|e| e.count == Count::One).count();
        let mut seen = 0usize;
        for (i, e) in entries.iter().enumerate() {
            let Some(key) = e.key else {
                self.defer(ptr, &e.key_loc, "ids computed at run time");
                self.object(e.value, &ptr.key("*"), items.spec, &[]);
                continue;
            };
            let at = ptr.key(key);
            self.strict_key(&at, key, &format!("{} id", items.what), &e.key_loc);
            if entries[..i].iter().any(|p| p.key == Some(key)) {
                if e.count == Count::One
                    && entries[..i]
                        .iter()
                        .all(|p| p.key != Some(key) || p.count == Count::One)
                {
                    self.push(
                        Violation::new(
                            at,
                            Rule::DuplicateKey,
                            format!("{} id `{key}` is used twice", items.what),
                        ),
                        &e.key_loc,
                    );
                } else {
                    self.defer(&at, &e.key_loc, "an id that may repeat at run time");
                }
            }
            if e.count == Count::One {
                seen += 1;
                if let Some(max) = items.max {
                    if seen == max + 1 {
                        self.push(
                            Violation::new(
                                at,
                                Rule::TooManyItems,
                                format!("at most {max} {}s, found {definite}", items.what),
                            )
                            .with_help(format!(
                                "Bitrix24 refuses the record (TOO_MANY_ITEMS): keep {max}"
                            )),
                            &e.key_loc,
                        );
                    }
                }
            } else if items.max.is_some() {
                self.defer(&at, &e.key_loc, "a count known at run time");
            }
            self.object(e.value, &at, items.spec, &[]);
        }
    }

    fn not_allowed(&mut self, ptr: &Ptr, name: &str, nest: &Nest, loc: &L) {
        let (message, mut help) = if nest.max == Some(1) && nest.min == 1 {
            (
                format!("`{name}` cannot be the block of a {}", nest.parent),
                format!("a {}'s block is one of: {}", nest.parent, list(nest.allowed())),
            )
        } else if nest.top {
            (
                format!("`{name}` is not allowed at the top level"),
                format!("allowed: {}", list(nest.allowed())),
            )
        } else {
            (
                format!("`{name}` is not allowed inside a {}", nest.parent),
                format!("a {} takes: {}", nest.parent, list(nest.allowed())),
            )
        };
        if let Some(note) = nest.note(name) {
            help = format!("{note}; {help}");
        }
        self.push(
            Violation::new(ptr, Rule::BlockNotAllowed, message).with_help(help),
            loc,
        );
    }

    fn blocks<N: Node<Loc = L> + ?Sized>(&mut self, node: &N, ptr: &Ptr, nest: &Nest, key_loc: &L) {
        let shape = node.shape();
        let entries = match shape {
            Shape::Object(entries) => entries,
            Shape::Opaque => return self.defer(ptr, &node.loc(), "blocks built at run time"),
            Shape::Array => {
                let v = Violation::new(ptr, Rule::WrongType, "expected an object of block id to block, found an array")
                    .with_help("`blocks` is keyed by block id: {\"header\": {\"type\": \"text\", ...}}; in PHP use string keys (an empty PHP array encodes as [])");
                return self.push(v, &node.loc());
            }
            other => return self.wrong_type(ptr, "an object of block id to block", node, &other),
        };
        let mut definite = 0usize;
        let mut uncertain = false;
        let mut too_many_reported = false;
        let total_definite = entries.iter().filter(|e| e.count == Count::One).count();
        for (i, e) in entries.iter().enumerate() {
            let id = e.key.unwrap_or("*");
            let at = ptr.key(id);
            if let Some(k) = e.key {
                if nest.lang.strict_keys() {
                    self.strict_key(&at, k, "block id", &e.key_loc);
                }
                // the first entry with this id, if any
                match entries[..i].iter().find(|p| p.key == Some(k)).map(|p| p.count) {
                    Some(Count::One) if e.count == Count::One => self.push(
                        Violation::new(
                            at,
                            Rule::DuplicateKey,
                            format!("block id `{k}` is used twice in the same `blocks`"),
                        )
                        .with_help(
                            "block ids of one map must differ: the second block would replace the first",
                        ),
                        &e.key_loc,
                    ),
                    // in two branches of an `if`, or under a loop: only the run can tell
                    Some(_) => self.defer(&at, &e.key_loc, "an id that may repeat at run time"),
                    None => {}
                }
            }
            match e.count {
                Count::One => definite += 1,
                Count::Optional | Count::Many => uncertain = true,
            }
            if let Some(max) = nest.max {
                if e.count == Count::One && definite > max && !too_many_reported {
                    too_many_reported = true;
                    let what = if nest.top { "layout" } else { nest.parent };
                    let v = Violation::new(
                        at,
                        Rule::TooManyBlocks,
                        format!("a {what} holds at most {max} blocks; this is block {definite} of {total_definite}"),
                    )
                    .with_help(match (nest.top, definite == total_definite) {
                        (true, true) => "remove this block, or join it with another (a lineOfBlocks)".to_owned(),
                        (true, false) => format!(
                            "remove blocks {definite} to {total_definite}, or join blocks (a lineOfBlocks)"
                        ),
                        (false, true) => format!("move this block into another {}", nest.parent),
                        (false, false) => format!(
                            "move blocks {definite} to {total_definite} into another {}",
                            nest.parent
                        ),
                    });
                    self.push(v, &e.key_loc);
                }
            }
            self.block(e.value, &at, nest);
        }
        if definite < nest.min {
            if uncertain {
                self.defer(ptr, key_loc, "a block count known at run time");
            } else {
                let what = if nest.top {
                    "a layout".to_owned()
                } else {
                    format!("a {}", nest.parent)
                };
                let v = Violation::new(
                    ptr,
                    Rule::TooFewBlocks,
                    format!("{what} needs at least {} block, found none", nest.min),
                )
                .with_help(format!("add a block: {}", list(nest.allowed())));
                self.push(v, key_loc);
            }
        } else if uncertain && nest.max.is_some_and(|max| definite <= max) {
            self.defer(ptr, key_loc, "a block count known at run time");
        }
        if entries.iter().any(|e| e.key.is_none()) {
            self.defer(ptr, key_loc, "block ids computed at run time");
        }
    }
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

/// What a field holds, for "add `x`: ..." hints.
fn describe(field: &Field) -> String {
    match field.kind {
        Kind::Str(_) => "a string".into(),
        Kind::Bool => "true or false".into(),
        Kind::UInt => "a number".into(),
        Kind::Enum(e) => format!("one of {}", list(e.values.iter().copied())),
        Kind::Any => "any value".into(),
        Kind::Object(s) => format!("a {}", s.name),
        Kind::Action(lang) => {
            let types: Vec<String> = lang.actions().iter().map(|a| format!("\"{}\"", a.name)).collect();
            format!(
                "an action {{\"{}\": {}, ...}}",
                lang.action_envelope().tag,
                types.join(" | ")
            )
        }
        Kind::Flag => "true or false".into(),
        Kind::Text => "a text, or {\"en\": \"...\", \"de\": \"...\"}".into(),
        Kind::Items(items) => format!("{{\"id\": {}, ...}}", items.spec.name),
        Kind::Params => "an object or an array".into(),
        Kind::Block(n) => format!("one block: {}", list(n.allowed())),
        Kind::Blocks(n) => format!("blocks by id: {}", list(n.allowed())),
        Kind::Values => "{\"code\": \"label\", ...}".into(),
    }
}

/// The shape of a JSON value, its members seen through `member`: the value itself here,
/// the typed model's view of it in [`typed`](crate::typed).
pub(crate) fn json_shape<'a, N: Node<Loc = ()> + ?Sized>(
    value: &'a serde_json::Value,
    member: fn(&'a serde_json::Value) -> &'a N,
) -> Shape<'a, N> {
    use serde_json::Value;
    match value {
        Value::Null => Shape::Null,
        Value::Bool(b) => Shape::Bool(*b),
        Value::Number(n) => Shape::Number(n.as_u64()),
        Value::String(s) => Shape::Str(s),
        Value::Array(_) => Shape::Array,
        Value::Object(map) => Shape::Object(
            map.iter()
                .map(|(k, v)| Entry {
                    key: Some(k.as_str()),
                    key_loc: (),
                    value: member(v),
                    count: Count::One,
                })
                .collect(),
        ),
    }
}

impl Node for serde_json::Value {
    type Loc = ();

    fn loc(&self) {}

    fn shape(&self) -> Shape<'_, Self> {
        json_shape(self, |v| v)
    }
}
