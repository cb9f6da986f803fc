//! ContentBlockDto and the properties of every block type.
//!
//! Property names are the wire names (`imageSrc`, `selectedValue`), so a block reads like
//! its JSON: `Text::default().value("Hello").size(Size::lg)`.

use indexmap::IndexMap;
use serde_json::Value;

use crate::action::ActionDto;
use crate::enums::{Color, ImageSize, SectionType, Size, TitleWidth};
use crate::pointer::Ptr;
use crate::schema::{self, Cross, Kind, Lang, StrRule};
use crate::violation::{Rule, Violation};
use crate::wire::{deserialize_via_wire, expect_object, FromWire, Order};

/// An ordered map of block id to block. The order is the display order.
pub type Blocks = IndexMap<String, ContentBlockDto>;

/// Option code to the label the user sees, in display order.
pub type Values = IndexMap<String, String>;

/// Declares every block type of a language, once each: its wire name, its properties (a
/// wire struct) and the containers it may stand in. From it come the language's block
/// enum, its conversions, and its table's list (whence [`schema::Nest::allowed`]). The
/// widget's types are declared below, the timeline's in
/// [`timeline::blocks`](crate::timeline::blocks); a type both have is declared in each,
/// with what differs.
macro_rules! block_types {
    (
        $lang:ident: enum $Block:ident, dto $Dto:ident, table $TABLE:ident;
        $(
            $(#[$meta:meta])*
            $wire:ident($ty:ident) in [$($place:ident),* $(,)?] {
                $($fields:tt)*
            }
            cross: [$($cross:expr),* $(,)?];
        )*
    ) => {
        $(
            $crate::wire::wire_struct! {
                $(#[$meta])*
                $ty (stringify!($wire), Block) {
                    $($fields)*
                }
                cross: [$($cross),*]
            }
        )*

        /// Every block type: its properties' spec and where it may stand.
        pub const $TABLE: &[$crate::schema::BlockType] = &[$(
            $crate::schema::BlockType { props: &$ty::SPEC, inside: 0 $(| $crate::schema::$place.bit)* },
        )*];

        /// The type and properties of a block.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(non_camel_case_types)]
        pub enum $Block {
            $( $(#[$meta])* $wire($ty), )*
        }

        impl $Block {
            /// The `type` on the wire.
            pub fn type_name(&self) -> &'static str {
                match self { $( $Block::$wire(_) => $ty::SPEC.name, )* }
            }

            /// The `type` and the properties, as the checker sees them.
            fn nodes(&self) -> (&'static $crate::typed::Typed, &$crate::typed::Typed) {
                match self { $( $Block::$wire(p) => (&$ty::SPEC.name, p), )* }
            }

            fn write_type_and_properties(&self, out: &mut String, visible: Option<bool>, visible_first: bool) {
                match self { $( $Block::$wire(p) => {
                    out.push_str(concat!("{\"type\":\"", stringify!($wire), "\""));
                    let visible = |out: &mut String| if let Some(v) = visible {
                        out.push_str(if v { ",\"visible\":true" } else { ",\"visible\":false" });
                    };
                    if visible_first {
                        visible(out);
                    }
                    out.push_str(",\"properties\":");
                    $crate::write::WriteJson::write_json(p, out);
                    if !visible_first {
                        visible(out);
                    }
                    out.push('}');
                } )* }
            }

            /// Gives back the spare capacity of the maps it holds (see `LayoutDto::compact`).
            pub fn compact(&mut self) {
                match self { $( $Block::$wire(p) => p.compact(), )* }
            }

            /// The properties as a JSON object, in the order they were set.
            pub fn properties_json(&self) -> serde_json::Map<String, serde_json::Value> {
                let value = match self { $( $Block::$wire(p) => serde_json::to_value(p), )* };
                match value {
                    Ok(serde_json::Value::Object(map)) => map,
                    // a wire struct serializes as a map, always
                    _ => serde_json::Map::new(),
                }
            }

            /// The containers this block's type may stand in (bits of `Nest::bit`).
            pub fn inside(&self) -> u8 {
                match self { $( $Block::$wire(_) => 0 $(| $crate::schema::$place.bit)*, )* }
            }

            /// Whether the properties break no rule (see [`fast`](crate::fast)).
            fn fast_ok(&self) -> bool {
                match self { $( $Block::$wire(p) => p.fast_ok(), )* }
            }

            fn serialize_properties<M: serde_core::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> Result<(), M::Error> {
                match self { $( $Block::$wire(p) => map.serialize_entry("properties", p), )* }
            }

            pub(crate) fn from_properties(
                ty: &str,
                props: &serde_json::Value,
                ptr: &$crate::pointer::Ptr,
            ) -> Option<Result<Self, $crate::violation::Violation>> {
                $( if ty == $ty::SPEC.name {
                    return Some(<$ty as $crate::wire::FromWire>::from_wire(props, ptr).map($Block::$wire));
                } )*
                None
            }
        }

        $crate::blocks::block_types!(@held $lang $Block [$($wire)*]);

        $(
            impl From<$ty> for $Block {
                fn from(p: $ty) -> Self {
                    $Block::$wire(p)
                }
            }
            impl From<$ty> for $Dto {
                fn from(p: $ty) -> Self {
                    $Dto::new($Block::$wire(p))
                }
            }
            impl From<$ty> for Box<$Dto> {
                fn from(p: $ty) -> Self {
                    Box::new($Dto::new($Block::$wire(p)))
                }
            }
        )*
    };
    // the widget's containers are walked by the runtime state
    (@held Widget $Block:ident [$($wire:ident)*]) => {
        impl $Block {
            /// The blocks this block holds (its field's wire name, its container's rules) (a section, a
            /// list, a line of blocks); `None` for the others.
            pub fn children(&self) -> Option<(&'static str, &'static $crate::schema::Nest, &Blocks)> {
                match self { $( $Block::$wire(p) => p.held_blocks(), )* }
            }

            /// [`children`](Self::children), to change them.
            pub fn children_mut(&mut self) -> Option<(&'static str, &'static $crate::schema::Nest, &mut Blocks)> {
                match self { $( $Block::$wire(p) => p.held_blocks_mut(), )* }
            }
        }
    };
    (@held Timeline $Block:ident [$($wire:ident)*]) => {};
}
pub(crate) use block_types;

block_types! {
    Widget: enum Block, dto ContentBlockDto, table BLOCK_TYPES;

    /// `text`: formatted text.
    text(Text) in [TOP_LEVEL, SECTION, LIST, LINE_OF_BLOCKS, WITH_TITLE] {
        /// The text.
        "value" value: String = Kind::Str(StrRule::ANY) => required;
        /// Turn `\n` into line breaks. Default false.
        "multiline" multiline: bool = Kind::Bool;
        /// Default false.
        "bold" bold: bool = Kind::Bool;
        /// Default `md`.
        "size" size: Size = Kind::Enum(&Size::SPEC);
        "color" color: Color = Kind::Enum(&Color::SPEC);
        /// A tooltip (not in the docs; Bitrix24's renderer reads it).
        "title" title: String = Kind::Str(StrRule::ANY);
    }
    cross: [];

    /// `link`: a text that runs an action when clicked.
    link(Link) in [TOP_LEVEL, SECTION, LIST, LINE_OF_BLOCKS, WITH_TITLE] {
        /// The link text; HTML is not supported.
        "text" text: String = Kind::Str(StrRule::ANY) => required;
        "action" action: ActionDto = Kind::Action(Lang::Widget) => required;
        /// Default `md`.
        "size" size: Size = Kind::Enum(&Size::SPEC);
        /// Default false.
        "bold" bold: bool = Kind::Bool;
    }
    cross: [];

    /// `withTitle`: a title and, as the value, one text, link or lineOfBlocks.
    withTitle(WithTitle) in [TOP_LEVEL, SECTION] {
        "title" title: String = Kind::Str(StrRule::ANY) => required;
        /// Title and value on one line. Default false.
        "inline" inline: bool = Kind::Bool;
        /// Only applies when `inline` is true. Default `md`.
        "titleWidth" titleWidth: TitleWidth = Kind::Enum(&TitleWidth::SPEC);
        /// The value: a text, link or lineOfBlocks.
        "block" block: Box<ContentBlockDto> = Kind::Block(&schema::WITH_TITLE) => required;
    }
    cross: [Cross::NeedsTrue { field: "titleWidth", flag: "inline", rule: Rule::TitleWidthWithoutInline }];

    /// `lineOfBlocks`: texts and links on one line.
    lineOfBlocks(LineOfBlocks) in [TOP_LEVEL, SECTION, LIST, WITH_TITLE] {
        "blocks" blocks: Blocks = Kind::Blocks(&schema::LINE_OF_BLOCKS) => required;
    }
    cross: [];

    /// `dropdownMenu`: a menu of options; changes go to `bindValueChangeCallback`.
    dropdownMenu(DropdownMenu) in [TOP_LEVEL, SECTION] {
        /// A key of `values`; Bitrix24 shows the first option when unset.
        "selectedValue" selectedValue: String = Kind::Str(StrRule::ANY);
        "values" values: Values = Kind::Values => required;
    }
    cross: [Cross::KeyOf { field: "selectedValue", map: "values", rule: Rule::SelectedValueNotInValues }];

    /// `input`: a one-line text field.
    input(Input) in [TOP_LEVEL, SECTION] {
        "title" title: String = Kind::Str(StrRule::ANY);
        "value" value: String = Kind::Str(StrRule::ANY);
        "placeholder" placeholder: String = Kind::Str(StrRule::ANY);
        "disabled" disabled: bool = Kind::Bool;
        /// A non-empty text marks the value as invalid and is shown to the user.
        "errorText" errorText: String = Kind::Str(StrRule::ANY);
    }
    cross: [];

    /// `textarea`: a multi-line text field.
    textarea(Textarea) in [TOP_LEVEL, SECTION] {
        "title" title: String = Kind::Str(StrRule::ANY);
        "value" value: String = Kind::Str(StrRule::ANY);
        "placeholder" placeholder: String = Kind::Str(StrRule::ANY);
        "disabled" disabled: bool = Kind::Bool;
        /// A non-empty text marks the value as invalid and is shown to the user.
        "errorText" errorText: String = Kind::Str(StrRule::ANY);
    }
    cross: [];

    /// `select`: a drop-down field.
    select(Select) in [TOP_LEVEL, SECTION] {
        "title" title: String = Kind::Str(StrRule::ANY);
        /// A key of `values`; Bitrix24 shows the first option when unset.
        "selectedValue" selectedValue: String = Kind::Str(StrRule::ANY);
        "values" values: Values = Kind::Values => required;
        "disabled" disabled: bool = Kind::Bool;
        /// A non-empty text marks the value as invalid and is shown to the user.
        "errorText" errorText: String = Kind::Str(StrRule::ANY);
    }
    cross: [Cross::KeyOf { field: "selectedValue", map: "values", rule: Rule::SelectedValueNotInValues }];

    /// `list`: a bulleted list of texts, links and lineOfBlocks.
    list(List) in [TOP_LEVEL, SECTION] {
        "blocks" blocks: Blocks = Kind::Blocks(&schema::LIST) => required;
    }
    cross: [];

    /// `section`: 1 to 20 blocks, grouped, with an optional image.
    section(Section) in [TOP_LEVEL] {
        /// Appearance. Default `default`.
        "type" r#type: SectionType = Kind::Enum(&SectionType::SPEC);
        /// An absolute http(s) URL; Bitrix24 drops any other image.
        "imageSrc" imageSrc: String = Kind::Str(schema::IMAGE_URL);
        /// Default `lg`.
        "imageSize" imageSize: ImageSize = Kind::Enum(&ImageSize::SPEC);
        "blocks" blocks: Blocks = Kind::Blocks(&schema::SECTION) => required;
    }
    cross: [];
}

/// The keys of a block besides `type`, which is always printed first.
const ENVELOPE: &[&str] = &["visible", "properties"];

/// A content block: `{"type": ..., "visible": ..., "properties": {...}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentBlockDto {
    /// Shown or hidden; Bitrix24's default is shown. Change it later with
    /// `setLayoutItemState` to make the interface dynamic.
    pub visible: Option<bool>,
    pub block: Block,
    #[doc(hidden)]
    pub _order: Order,
}

impl ContentBlockDto {
    pub fn new(block: impl Into<Block>) -> Self {
        ContentBlockDto {
            visible: None,
            block: block.into(),
            _order: Order::default(),
        }
    }

    /// Sets `visible`.
    #[must_use]
    pub fn visible(mut self, visible: bool) -> Self {
        self.visible = Some(visible);
        self._order.touch(ENVELOPE, "visible");
        self
    }

    /// The `type` on the wire.
    pub fn type_name(&self) -> &'static str {
        self.block.type_name()
    }
}

impl From<Block> for ContentBlockDto {
    fn from(block: Block) -> Self {
        ContentBlockDto::new(block)
    }
}

impl serde_core::Serialize for ContentBlockDto {
    fn serialize<S: serde_core::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde_core::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", self.block.type_name())?;
        for key in self._order.with_rest(ENVELOPE) {
            match key {
                "visible" => {
                    if let Some(v) = self.visible {
                        map.serialize_entry("visible", &v)?;
                    }
                }
                _ => self.block.serialize_properties(&mut map)?,
            }
        }
        map.end()
    }
}

impl crate::typed::AsNode for ContentBlockDto {
    fn as_shape(&self) -> crate::check::Shape<'_, crate::typed::Typed> {
        use crate::typed::entry;
        let (ty, properties) = self.block.nodes();
        let mut entries = Vec::with_capacity(3);
        entries.push(entry("type", ty));
        for key in self._order.with_rest(ENVELOPE) {
            match key {
                "visible" => {
                    if let Some(v) = &self.visible {
                        entries.push(entry("visible", v));
                    }
                }
                _ => entries.push(entry("properties", properties)),
            }
        }
        crate::check::Shape::Object(entries)
    }
}

impl FromWire for ContentBlockDto {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        let object = expect_object(value, ptr)?;
        let mut order = Order::default();
        let mut visible = None;
        for (key, v) in object {
            match key.as_str() {
                "type" => {}
                "visible" => {
                    visible = Some(bool::from_wire(v, &ptr.key("visible"))?);
                    order.touch(ENVELOPE, "visible");
                }
                "properties" => order.touch(ENVELOPE, "properties"),
                other => {
                    return Err(crate::check::unknown_block_key(
                        &ptr.key(other).render(),
                        other,
                        (),
                    ))
                }
            }
        }
        let at = ptr.key("type");
        let ty = object
            .get("type")
            .ok_or_else(|| Violation::new(at.render(), Rule::MissingRequired, "a block needs a `type`"))?;
        let ty = String::from_wire(ty, &at)?;
        let at = ptr.key("properties");
        let props = object.get("properties").ok_or_else(|| {
            Violation::new(at.render(), Rule::MissingRequired, "a block needs `properties`")
        })?;
        let block = Block::from_properties(&ty, props, &at).unwrap_or_else(|| {
            Err(crate::check::unknown_block_type(
                &ptr.key("type").render(),
                &ty,
                (),
            ))
        })?;
        Ok(ContentBlockDto {
            visible,
            block,
            _order: order,
        })
    }
}

deserialize_via_wire!(ContentBlockDto);

/// Gives back the spare capacity of `blocks` and of every map they hold.
pub fn compact_blocks(blocks: &mut Blocks) {
    blocks.shrink_to_fit();
    for block in blocks.values_mut() {
        block.block.compact();
    }
}

impl ContentBlockDto {
    /// Whether this block may stand in `nest` and breaks no rule (see
    /// [`fast`](crate::fast)).
    pub(crate) fn fast_ok_in(&self, nest: &schema::Nest) -> bool {
        self.block.inside() & nest.bit != 0 && self.block.fast_ok()
    }
}

/// withTitle's one block.
impl crate::fast::FastValue for Box<ContentBlockDto> {
    fn fast_value(&self, kind: &Kind) -> bool {
        matches!(kind, Kind::Block(nest) if self.fast_ok_in(nest))
    }
}

/// A map of blocks: their count, and each block where it stands.
impl crate::fast::FastValue for Blocks {
    fn fast_value(&self, kind: &Kind) -> bool {
        let Kind::Blocks(nest) = kind else { return false };
        self.len() >= nest.min
            && nest.max.is_none_or(|max| self.len() <= max)
            && self.values().all(|b| b.fast_ok_in(nest))
    }
}

impl crate::write::WriteJson for ContentBlockDto {
    fn write_json(&self, out: &mut String) {
        let visible_first = self._order.with_rest(ENVELOPE).next() == Some("visible");
        self.block
            .write_type_and_properties(out, self.visible, visible_first);
    }
}
