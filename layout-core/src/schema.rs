//! The rule table: which blocks, actions and properties exist, what each property holds,
//! what is required, what may nest where and how many times.
//!
//! This is the only place the rules live. `validate()` interprets the table at run time,
//! and the `layout!` macro interprets the very same table at compile time (through
//! [`check`](crate::check)). The per-object field lists come from the `wire_struct!`
//! declarations of the model, so the Rust types and the table cannot disagree.

use crate::violation::{Rule, Violation};

/// What a property holds, and so what the checker enforces for it.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A string, with an extra rule on its content.
    Str(StrRule),
    Bool,
    /// A non-negative whole number (pixels).
    UInt,
    /// One of a fixed list of strings.
    Enum(&'static EnumSpec),
    /// Any JSON value (openRestApp's `value`).
    Any,
    /// A nested object with its own fields (a button, slider parameters).
    Object(&'static StructSpec),
    /// An ActionDto of a language: an object with a `type` naming one of its actions.
    Action(Lang),
    /// Exactly one content block (withTitle's `block`).
    Block(&'static Nest),
    /// An ordered map of block id to content block.
    Blocks(&'static Nest),
    /// An ordered map of option code to label, with at least one option.
    Values,
    /// A boolean the timeline also takes spelled as a string (`"false"`, as the docs'
    /// examples write it); kept as written.
    Flag,
    /// textWithTranslation: a string, or an object of language code to text.
    Text,
    /// A keyed object of DTOs (a header's tags, a footer's buttons, a menu's items).
    Items(&'static Items),
    /// Free parameters handed back to the app (`actionParams`): an object or an array.
    Params,
}

/// A keyed object of DTOs of one kind, and how many it takes.
#[derive(Clone, Copy, Debug)]
pub struct Items {
    /// What one entry is, for messages ("tag").
    pub what: &'static str,
    /// The Rust type of the map in the model (`Tags`).
    pub rust: &'static str,
    pub spec: &'static StructSpec,
    pub max: Option<usize>,
}

/// The two layout languages of Bitrix24 CRM: the built-in interface of a
/// `CRM_XXX_DETAIL_ACTIVITY` widget, and the timeline's own records (configurable
/// activities and content-block sets). One checker serves both: each language is its
/// block types, its action types, its envelopes and its key rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Widget,
    Timeline,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 2] = [Lang::Widget, Lang::Timeline];

    /// The block types of this language, in declaration order.
    pub fn block_types(self) -> &'static [BlockType] {
        match self {
            Lang::Widget => crate::blocks::BLOCK_TYPES,
            Lang::Timeline => crate::timeline::blocks::BLOCK_TYPES,
        }
    }

    /// The action types of this language.
    pub fn actions(self) -> &'static [&'static StructSpec] {
        match self {
            Lang::Widget => crate::action::ACTION_TYPES,
            Lang::Timeline => crate::timeline::action::ACTION_TYPES,
        }
    }

    /// The envelope of a block.
    pub fn block_envelope(self) -> &'static Envelope {
        match self {
            Lang::Widget => &BLOCK,
            Lang::Timeline => &TIMELINE_BLOCK,
        }
    }

    /// The envelope of an action (the same in both).
    pub fn action_envelope(self) -> &'static Envelope {
        &ACTION
    }

    /// Every container of blocks.
    pub fn containers(self) -> &'static [&'static Nest] {
        match self {
            Lang::Widget => CONTAINERS,
            Lang::Timeline => TIMELINE_CONTAINERS,
        }
    }

    /// Whether the keys of its maps (blocks, tags, buttons, items) are limited to Latin
    /// letters, digits, `-` and `_` (the timeline's `KEY_CONTAIN_WRONG_SYMBOLS`).
    pub fn strict_keys(self) -> bool {
        self == Lang::Timeline
    }

    /// The block type spelled `name` on the wire.
    pub fn block_type(self, name: &str) -> Option<&'static BlockType> {
        self.block_types().iter().find(|b| b.props.name == name)
    }

    /// The spec of the `properties` of the block type `name`.
    pub fn block_spec(self, name: &str) -> Option<&'static StructSpec> {
        self.block_type(name).map(|b| b.props)
    }

    pub fn action_spec(self, name: &str) -> Option<&'static StructSpec> {
        self.actions().iter().copied().find(|a| a.name == name)
    }
}

/// Whether `key` keeps the timeline's key rule: Latin letters, digits, `-` and `_`, at
/// least one.
pub fn is_strict_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A rule on the content of a string: its own check, rule code and message.
#[derive(Clone, Copy, Debug)]
pub struct StrRule {
    /// What the string is, for messages ("a redirect target").
    pub name: &'static str,
    /// `None` when any string will do; else the failure for a string that breaks it.
    pub check: Option<fn(&str) -> Option<StrFailure>>,
    /// The members of a JSON Schema that say as much of the rule as a schema can (an
    /// object's members, as JSON text; `{}` for none).
    pub schema: &'static str,
    /// Whether `schema` says all of it (else the checker knows more: a tab inside
    /// `java\tscript:` is still refused).
    pub schema_is_exact: bool,
}

impl StrRule {
    /// Any string.
    pub const ANY: StrRule = StrRule {
        name: "a string",
        check: None,
        schema: "{}",
        schema_is_exact: true,
    };
}

/// Why a string breaks its [`StrRule`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrFailure {
    pub rule: Rule,
    pub message: String,
    pub help: &'static str,
}

/// Why `s` is no redirect target (empty, or a scheme that runs code), with the help
/// for the language's way of running code on click.
fn redirect_failure(s: &str, run_code: &'static str) -> Option<StrFailure> {
    if s.trim().is_empty() {
        Some(StrFailure {
            rule: Rule::EmptyValue,
            message: "a redirect needs an address, found an empty string".into(),
            help: "write a relative Bitrix24 path such as \"/crm/deal/details/1/\" or an https:// URL",
        })
    } else {
        dangerous_scheme(s).map(|scheme| StrFailure {
            rule: Rule::DangerousUri,
            message: format!("a redirect to a `{scheme}` URI is not allowed"),
            help: run_code,
        })
    }
}

const REDIRECT_SCHEMA: &str = r#"{"pattern":"\\S","not":{"pattern":"^[\\u0000-\\u0020]*([jJ][aA][vV][aA][sS][cC][rR][iI][pP][tT]|[dD][aA][tT][aA]|[vV][bB][sS][cC][rR][iI][pP][tT]):"}}"#;

/// A redirect target: not empty, and not a `javascript:`, `data:` or `vbscript:` URI.
pub const REDIRECT_TARGET: StrRule = StrRule {
    name: "a redirect target",
    check: Some(|s| {
        redirect_failure(
            s,
            "redirect to an http(s) URL or a relative path; to run code on click, use a `layoutEvent` action and handle it in bindLayoutEventCallback",
        )
    }),
    schema: REDIRECT_SCHEMA,
    schema_is_exact: false,
};

/// A timeline redirect's `uri`: the same rule, with the timeline's way of running code.
pub const TIMELINE_REDIRECT: StrRule = StrRule {
    name: "a redirect target",
    check: Some(|s| {
        redirect_failure(
            s,
            "redirect to an http(s) URL or a relative path; to run code on click, use a `restEvent` action and handle onCrmTimelineItemAction",
        )
    }),
    schema: REDIRECT_SCHEMA,
    schema_is_exact: false,
};

/// A restEvent's `id`: it comes back in onCrmTimelineItemAction and tells actions apart.
pub const ACTION_ID: StrRule = StrRule {
    name: "an action id",
    check: Some(|s| {
        s.trim().is_empty().then(|| StrFailure {
            rule: Rule::EmptyValue,
            message: "a restEvent needs an `id`, found an empty string".into(),
            help: "name the action (\"confirm\"): onCrmTimelineItemAction gets it as `id`",
        })
    }),
    schema: r#"{"pattern":"\\S"}"#,
    schema_is_exact: true,
};

/// An icon or logo code (from `crm.timeline.icon.list` / `crm.timeline.logo.list`).
pub const CODE: StrRule = StrRule {
    name: "a code",
    check: Some(|s| {
        s.trim().is_empty().then(|| StrFailure {
            rule: Rule::EmptyValue,
            message: "a code is needed, found an empty string".into(),
            help: "use a code of crm.timeline.icon.list or crm.timeline.logo.list, such as \"info\" or \"document\"",
        })
    }),
    schema: r#"{"pattern":"\\S"}"#,
    schema_is_exact: true,
};

/// A layoutEvent's value: the event's name, which tells events apart; not empty.
pub const EVENT_NAME: StrRule = StrRule {
    name: "an event name",
    check: Some(|s| {
        s.trim().is_empty().then(|| StrFailure {
            rule: Rule::EmptyValue,
            message: "a layoutEvent needs a value, found an empty string".into(),
            help: "name the event (\"showDetails\"): bindLayoutEventCallback gets it as `value`, and tells one link's event from another's by it",
        })
    }),
    schema: r#"{"pattern":"\\S"}"#,
    schema_is_exact: true,
};

/// An image address: `http://` or `https://` only (Bitrix24 drops anything else).
pub const IMAGE_URL: StrRule = StrRule {
    name: "an image URL",
    check: Some(|s| {
        (!is_http_url(s)).then(|| StrFailure {
            rule: Rule::ImageSrcScheme,
            message: format!("`imageSrc` \"{s}\" is not an http(s) URL"),
            help: "write a full address starting with https:// (Bitrix24 drops any other image)",
        })
    }),
    schema: r#"{"pattern":"^[hH][tT][tT][pP][sS]?://."}"#,
    schema_is_exact: true,
};

/// One property of an object.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

/// A rule between two properties of one object, with the rule code it reports.
#[derive(Clone, Copy, Debug)]
pub enum Cross {
    /// `field` is only valid when `flag` is `true` (titleWidth needs inline).
    NeedsTrue {
        field: &'static str,
        flag: &'static str,
        rule: Rule,
    },
    /// `field` must be a key of the map `map` (selectedValue of values).
    KeyOf {
        field: &'static str,
        map: &'static str,
        rule: Rule,
    },
    /// `a` and `b` cannot both be set (width and leftBoundary).
    Exclusive {
        a: &'static str,
        b: &'static str,
        rule: Rule,
    },
}

/// A key people write for another one, with its own rule code and help (a redirect's
/// `uri`, which Bitrix24 ignores).
#[derive(Clone, Copy, Debug)]
pub struct Mistake {
    pub key: &'static str,
    pub rule: Rule,
    pub help: &'static str,
}

/// What an object of the table is, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A block's `properties`: "a `text` block".
    Block,
    /// An action: "a `redirect` action".
    Action,
    /// Any other object, named by its DTO name: "ButtonDto".
    Object,
}

/// An object of the wire format: a block's properties, an action, a button, the layout.
#[derive(Clone, Copy, Debug)]
pub struct StructSpec {
    /// The block or action type, or the DTO name for other objects.
    pub name: &'static str,
    /// The Rust type of the model that holds it.
    pub rust: &'static str,
    pub role: Role,
    pub fields: &'static [Field],
    pub cross: &'static [Cross],
    pub mistakes: &'static [Mistake],
}

impl StructSpec {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_names(&self) -> impl Iterator<Item = &'static str> {
        self.fields.iter().map(|f| f.name)
    }

    /// The violation for a key `key` this object does not have.
    pub fn unknown_field(&self, ptr: &str, key: &str) -> Violation {
        let what = self.what();
        let v = Violation::new(
            ptr,
            Rule::UnknownProperty,
            format!("unknown property `{key}` of {what}"),
        );
        if let Some(m) = self.mistakes.iter().find(|m| m.key == key) {
            return Violation { rule: m.rule, ..v }.with_help(m.help);
        }
        v.with_help(did_you_mean(key, self.field_names()).unwrap_or_else(|| {
            let has = format!("{what} has: {}", list(self.field_names()));
            // a block written beside `blocks` rather than inside it
            match self.fields.iter().find(|f| matches!(f.kind, Kind::Blocks(_))) {
                Some(f) => format!(
                    "{has}; if `{key}` is a block, put it inside `{}: {{ ... }}`",
                    f.name
                ),
                None => has,
            }
        }))
    }

    /// How messages name this object: "`text` block", "`redirect` action", "ButtonDto".
    pub fn what(&self) -> String {
        let a = if self.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        match self.role {
            Role::Block => format!("{a} `{}` block", self.name),
            Role::Action => format!("{a} `{}` action", self.name),
            Role::Object => self.name.to_owned(),
        }
    }
}

/// An enumeration of the wire format.
#[derive(Clone, Copy, Debug)]
pub struct EnumSpec {
    /// What the values are (e.g. "text size"), for messages.
    pub name: &'static str,
    /// The Rust enum of the model.
    pub rust: &'static str,
    pub values: &'static [&'static str],
}

impl EnumSpec {
    pub fn contains(&self, value: &str) -> bool {
        self.values.contains(&value)
    }

    /// The violation for `value`, which is not one of `values`.
    pub fn violation(&self, ptr: &str, value: &str) -> Violation {
        let allowed = format!("allowed {}s: {}", self.name, list(self.values.iter().copied()));
        let help = match did_you_mean(value, self.values.iter().copied()) {
            Some(dym) => format!("{dym}; {allowed}"),
            None => allowed,
        };
        Violation::new(
            ptr,
            Rule::InvalidValue,
            format!("`{value}` is not a {}", self.name),
        )
        .with_help(help)
    }
}

/// A container of blocks: how many it takes, and its place bit; which types it takes is
/// said by each block type ([`BlockType::inside`]).
#[derive(Clone, Copy, Debug)]
pub struct Nest {
    /// The language whose block types it holds.
    pub lang: Lang,
    /// The container, for messages ("section", "list", ...).
    pub parent: &'static str,
    /// The top level of the layout (messages say "at the top level", "a layout").
    pub top: bool,
    /// This container's bit in [`BlockType::inside`].
    pub bit: u8,
    pub min: usize,
    pub max: Option<usize>,
    /// Why a block type is refused here when the docs alone would not say: (type, why).
    pub notes: &'static [(&'static str, &'static str)],
}

impl Nest {
    pub fn allows(&self, block_type: &str) -> bool {
        self.lang
            .block_type(block_type)
            .is_some_and(|b| b.inside & self.bit != 0)
    }

    /// The block types this container takes, in declaration order.
    pub fn allowed(&self) -> impl Iterator<Item = &'static str> + Clone + '_ {
        self.lang
            .block_types()
            .iter()
            .filter(move |b| b.inside & self.bit != 0)
            .map(|b| b.props.name)
    }

    /// Why `block_type` is refused here, if the table says.
    pub fn note(&self, block_type: &str) -> Option<&'static str> {
        self.notes.iter().find(|(t, _)| *t == block_type).map(|(_, n)| *n)
    }
}

/// The top level of a LayoutDto: at least one block.
pub const TOP_LEVEL: Nest = Nest {
    lang: Lang::Widget,
    parent: "LayoutDto",
    top: true,
    bit: 1,
    min: 1,
    max: None,
    notes: &[],
};

/// A section: 1 to 20 blocks.
pub const SECTION: Nest = Nest {
    lang: Lang::Widget,
    parent: "section",
    top: false,
    bit: 1 << 1,
    min: 1,
    max: Some(20),
    notes: &[("section", "Bitrix24 drops a section nested in a section")],
};

/// A list: at least one block.
pub const LIST: Nest = Nest {
    lang: Lang::Widget,
    parent: "list",
    top: false,
    bit: 1 << 2,
    min: 1,
    max: None,
    notes: &[],
};

/// A lineOfBlocks: at least one block.
pub const LINE_OF_BLOCKS: Nest = Nest {
    lang: Lang::Widget,
    parent: "lineOfBlocks",
    top: false,
    bit: 1 << 3,
    min: 1,
    max: None,
    notes: &[],
};

/// withTitle's `block`: exactly one.
pub const WITH_TITLE: Nest = Nest {
    lang: Lang::Widget,
    parent: "withTitle",
    top: false,
    bit: 1 << 4,
    min: 1,
    max: Some(1),
    notes: &[],
};

/// Every container of blocks of the widget language.
pub const CONTAINERS: &[&Nest] = &[&TOP_LEVEL, &SECTION, &LIST, &LINE_OF_BLOCKS, &WITH_TITLE];

/// The blocks of a timeline record: a configurable activity's `body.blocks`, or a
/// content-block set (RestAppLayoutDto): 1 to 20.
pub const TIMELINE_TOP: Nest = Nest {
    lang: Lang::Timeline,
    parent: "blocks",
    top: true,
    bit: 1,
    min: 1,
    max: Some(20),
    notes: &[],
};

/// A timeline lineOfBlocks: at least one block.
pub const TIMELINE_LINE: Nest = Nest {
    lang: Lang::Timeline,
    parent: "lineOfBlocks",
    top: false,
    bit: 1 << 1,
    min: 1,
    max: None,
    notes: &[],
};

/// A timeline withTitle's `block`: exactly one.
pub const TIMELINE_WITH_TITLE: Nest = Nest {
    lang: Lang::Timeline,
    parent: "withTitle",
    top: false,
    bit: 1 << 2,
    min: 1,
    max: Some(1),
    notes: &[],
};

/// Every container of blocks of the timeline language.
pub const TIMELINE_CONTAINERS: &[&Nest] = &[&TIMELINE_TOP, &TIMELINE_LINE, &TIMELINE_WITH_TITLE];

/// A block type: the spec of its `properties` (its wire name is the spec's name), and
/// the containers it may stand in (bits of [`Nest::bit`]). Declared once per type, in
/// [`blocks`](crate::blocks), by `block_types!`.
#[derive(Clone, Copy, Debug)]
pub struct BlockType {
    pub props: &'static StructSpec,
    pub inside: u8,
}

/// Every block type, in declaration order.
pub const BLOCK_TYPES: &[BlockType] = crate::blocks::BLOCK_TYPES;

/// The block type spelled `name` on the wire.
pub fn block_type_named(name: &str) -> Option<&'static BlockType> {
    BLOCK_TYPES.iter().find(|b| b.props.name == name)
}

/// The envelope of a tagged object: a block (`type`, `visible`, `properties`) or an
/// action (`type` beside its fields).
#[derive(Clone, Copy, Debug)]
pub struct Envelope {
    /// The DTO name, for messages ("ContentBlockDto").
    pub dto: &'static str,
    /// The key naming the type.
    pub tag: &'static str,
    /// The key holding the type's own fields; `None` when they stand beside the tag.
    pub body: Option<&'static str>,
    /// Other keys of the envelope, each a boolean (a block's `visible`).
    pub flags: &'static [&'static str],
    /// Whether the body must be there (a timeline `deadline` block may stand without
    /// `properties`, as the docs' example writes it).
    pub body_required: bool,
}

impl Envelope {
    /// Every key of the envelope.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + Clone {
        std::iter::once(self.tag)
            .chain(self.flags.iter().copied())
            .chain(self.body)
    }

    pub fn has_key(&self, key: &str) -> bool {
        self.keys().any(|k| k == key)
    }
}

/// A ContentBlockDto: `{"type": ..., "visible": ..., "properties": {...}}`.
pub const BLOCK: Envelope = Envelope {
    dto: "ContentBlockDto",
    tag: "type",
    body: Some("properties"),
    flags: &["visible"],
    body_required: true,
};

/// A timeline ContentBlockDto: `{"type": ..., "properties": {...}}`, no `visible`;
/// `properties` may be left out when the type needs none.
pub const TIMELINE_BLOCK: Envelope = Envelope {
    dto: "ContentBlockDto",
    tag: "type",
    body: Some("properties"),
    flags: &[],
    body_required: false,
};

/// An ActionDto: `{"type": ..., "value": ...}`.
pub const ACTION: Envelope = Envelope {
    dto: "ActionDto",
    tag: "type",
    body: None,
    flags: &[],
    body_required: true,
};

/// The root of the table: LayoutDto.
pub const ROOT: &StructSpec = &crate::layout::LayoutDto::SPEC;

/// Every action type, with the spec of its fields besides `type`; declared once per
/// type, in [`action`](crate::action), by `action_types!`.
pub const ACTIONS: &[&StructSpec] = crate::action::ACTION_TYPES;

/// The spec of the `properties` of the block type `name`.
pub fn block_spec(name: &str) -> Option<&'static StructSpec> {
    block_type_named(name).map(|b| b.props)
}

pub fn action_spec(name: &str) -> Option<&'static StructSpec> {
    ACTIONS.iter().copied().find(|a| a.name == name)
}

/// The schemes a redirect may not use: each runs code or smuggles content.
pub const DANGEROUS_SCHEMES: &[&str] = &["javascript:", "data:", "vbscript:"];

/// The dangerous scheme `uri` starts with, read the way a browser reads it: leading
/// spaces and control characters skipped, tabs and newlines anywhere ignored, any case.
/// (A scheme is ASCII: a character outside ASCII ends it. Nothing is allocated: this runs
/// for every redirect of every layout.)
pub fn dangerous_scheme(uri: &str) -> Option<&'static str> {
    let mut head = [0u8; 16];
    let mut len = 0;
    for b in uri.trim_start_matches(|c: char| c <= ' ').bytes() {
        if matches!(b, b'\t' | b'\n' | b'\r') {
            continue;
        }
        if len == head.len() || !b.is_ascii() {
            break;
        }
        head[len] = b.to_ascii_lowercase();
        len += 1;
    }
    let head = &head[..len];
    DANGEROUS_SCHEMES
        .iter()
        .copied()
        .find(|s| head.starts_with(s.as_bytes()))
}

/// Whether `src` is an absolute http(s) URL, as Bitrix24 requires of `imageSrc`.
pub fn is_http_url(src: &str) -> bool {
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    (lower.starts_with("http://") && src.len() > 7) || (lower.starts_with("https://") && src.len() > 8)
}

/// "did you mean `x`?" for the candidate closest to `got`, if one is close enough.
pub fn did_you_mean<'a>(got: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let norm = |s: &str| s.to_lowercase().replace(['-', '_', ' '], "");
    let got_n = norm(got);
    candidates
        .into_iter()
        .map(|c| {
            let c_n = norm(c);
            let d = if c_n == got_n {
                0
            } else {
                strsim::damerau_levenshtein(&got_n, &c_n) + 1
            };
            (d, c)
        })
        .filter(|&(d, c)| d <= 1 + (c.len().max(got.len()) / 3).min(3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// `a, b, c` for messages.
pub fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_schemes_as_a_browser_reads_them() {
        assert_eq!(dangerous_scheme("javascript:alert(1)"), Some("javascript:"));
        assert_eq!(dangerous_scheme("  JavaScript:alert(1)"), Some("javascript:"));
        assert_eq!(dangerous_scheme("java\tscript:alert(1)"), Some("javascript:"));
        assert_eq!(dangerous_scheme("\u{1}data:text/html,x"), Some("data:"));
        assert_eq!(dangerous_scheme("VBScript:x"), Some("vbscript:"));
        assert_eq!(dangerous_scheme("/crm/deal/details/1/"), None);
        assert_eq!(dangerous_scheme("https://example.com/?q=javascript:"), None);
    }

    #[test]
    fn http_urls() {
        assert!(is_http_url("https://helpdesk.bitrix24.com/examples/section.png"));
        assert!(is_http_url("HTTP://x"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("//cdn.example.com/a.png"));
        assert!(!is_http_url("/upload/a.png"));
        assert!(!is_http_url("data:image/png;base64,AAAA"));
        assert!(!is_http_url("ftp://x"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("bolt", ["bold", "size"]).unwrap(),
            "did you mean `bold`?"
        );
        assert_eq!(
            did_you_mean("base-90", ["base_70", "base_90"]).unwrap(),
            "did you mean `base_90`?"
        );
        assert_eq!(
            did_you_mean("ImageSrc", ["imageSrc", "type"]).unwrap(),
            "did you mean `imageSrc`?"
        );
        assert_eq!(
            did_you_mean("lineofblocks", BLOCK_TYPES.iter().map(|b| b.props.name)).unwrap(),
            "did you mean `lineOfBlocks`?"
        );
        assert_eq!(did_you_mean("zzzzzz", ["bold", "size"]), None);
    }

    /// Each block type is declared once (`block_types!` in blocks.rs); the enum, the
    /// table's list, the containers' lists and the reader all come from it and agree.
    #[test]
    fn one_declaration_per_block_type_and_everything_agrees() {
        use crate::blocks::ContentBlockDto;
        use crate::pointer::Ptr;
        use crate::wire::FromWire;

        let names: Vec<&str> = BLOCK_TYPES.iter().map(|b| b.props.name).collect();
        assert_eq!(
            names,
            [
                "text",
                "link",
                "withTitle",
                "lineOfBlocks",
                "dropdownMenu",
                "input",
                "textarea",
                "select",
                "list",
                "section"
            ]
        );
        for b in BLOCK_TYPES {
            let name = b.props.name;
            assert_eq!(b.props.role, Role::Block, "{name}");
            assert!(block_spec(name).is_some_and(|s| s.rust == b.props.rust));
            // the reader makes the variant of that name, and it prints the same name
            let json = serde_json::json!({"type": name, "properties": {}});
            let block = ContentBlockDto::from_wire(&json, &Ptr::Root).unwrap();
            assert_eq!(block.type_name(), name);
            assert_eq!(block.block.type_name(), name);
            assert!(b.inside != 0, "`{name}` may stand nowhere");
            assert!(
                CONTAINERS.iter().any(|c| c.allows(name)),
                "`{name}` is in no container"
            );
        }
        // every container a field names is a known container, with its own bit
        let mut bits = 0u8;
        for c in CONTAINERS {
            assert_eq!(bits & c.bit, 0, "{} shares a bit", c.parent);
            bits |= c.bit;
        }
        for b in BLOCK_TYPES {
            for f in b.props.fields {
                if let Kind::Blocks(n) | Kind::Block(n) = f.kind {
                    assert!(
                        CONTAINERS.iter().any(|c| c.bit == n.bit && c.parent == n.parent),
                        "{}.{}",
                        b.props.name,
                        f.name
                    );
                }
            }
        }
        let allowed = |n: &Nest| n.allowed().collect::<Vec<_>>();
        assert_eq!(allowed(&TOP_LEVEL), names);
        assert_eq!(allowed(&SECTION), &names[..9]);
        assert_eq!(allowed(&LIST), ["text", "link", "lineOfBlocks"]);
        assert_eq!(allowed(&LINE_OF_BLOCKS), ["text", "link"]);
        assert_eq!(allowed(&WITH_TITLE), ["text", "link", "lineOfBlocks"]);
    }

    #[test]
    fn one_declaration_per_action_type_and_everything_agrees() {
        use crate::action::ActionDto;
        use crate::pointer::Ptr;
        use crate::wire::FromWire;

        let names: Vec<&str> = ACTIONS.iter().map(|a| a.name).collect();
        assert_eq!(names, ["redirect", "layoutEvent", "openRestApp"]);
        for a in ACTIONS {
            assert_eq!(a.role, Role::Action);
            let json = serde_json::json!({"type": a.name});
            let action = ActionDto::from_wire(&json, &Ptr::Root).unwrap();
            assert_eq!(action.type_name(), a.name);
            assert_eq!(serde_json::to_value(&action).unwrap()["type"], a.name);
        }
    }
}
