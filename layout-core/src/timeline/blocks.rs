//! The timeline's ContentBlockDto and the properties of each of its block types.
//!
//! Four types share their name with a block of the widget's built-in interface
//! ([`crate::blocks`]); each is declared here with the timeline's own properties:
//! - `text`: the value may carry translations; `title` is an HTML title; `size` only
//!   `xs`, `sm`, `md`; `color` only the `base_*` colors; `scope`.
//! - `link`: translations; a timeline action (`redirect` reads `uri`); no `size`; `scope`.
//! - `withTitle`: its block is a `text`, `link` or `deadline`; no `titleWidth`; `scope`.
//! - `lineOfBlocks`: holds `text`, `link` and `deadline`; `scope`.
//!
//! `largeText` and `deadline` exist only here.

use indexmap::IndexMap;
use serde_json::Value;

use super::action::ActionDto;
use super::text::{Flag, Translated};
use super::{Scope, TextColor, TextSize};
use crate::check::Shape;
use crate::pointer::Ptr;
use crate::schema::{self, Kind, Lang};
use crate::typed::{entry, AsNode, Typed};
use crate::violation::{Rule, Violation};
use crate::wire::{deserialize_via_wire, expect_object, FromWire};

/// Block id to block, in display order.
pub type Blocks = IndexMap<String, ContentBlockDto>;

crate::blocks::block_types! {
    Timeline: enum Block, dto ContentBlockDto, table BLOCK_TYPES;

    /// `text`: a text (see the module's notes for how it differs from the widget's).
    text(Text) in [TIMELINE_TOP, TIMELINE_LINE, TIMELINE_WITH_TITLE] {
        "value" value: Translated = Kind::Text => required;
        /// `\n` becomes a line break. Default false.
        "multiline" multiline: Flag = Kind::Flag;
        /// The HTML title attribute.
        "title" title: Translated = Kind::Text;
        /// Default false.
        "bold" bold: Flag = Kind::Flag;
        /// Default `md`.
        "size" size: TextSize = Kind::Enum(&TextSize::SPEC);
        "color" color: TextColor = Kind::Enum(&TextColor::SPEC);
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
    }
    cross: [];

    /// `largeText`: a long text folded into a preview with "show more".
    largeText(LargeText) in [TIMELINE_TOP] {
        "value" value: Translated = Kind::Text => required;
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
    }
    cross: [];

    /// `link`: a text that runs a timeline action.
    link(Link) in [TIMELINE_TOP, TIMELINE_LINE, TIMELINE_WITH_TITLE] {
        /// HTML is not supported.
        "text" text: Translated = Kind::Text => required;
        "action" action: ActionDto = Kind::Action(Lang::Timeline) => required;
        /// Default false.
        "bold" bold: Flag = Kind::Flag;
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
    }
    cross: [];

    /// `withTitle`: a title and, as the value, one `text`, `link` or `deadline`.
    withTitle(WithTitle) in [TIMELINE_TOP] {
        "title" title: Translated = Kind::Text => required;
        "block" block: Box<ContentBlockDto> = Kind::Block(&schema::TIMELINE_WITH_TITLE) => required;
        /// Title and value on one line. Default false.
        "inline" inline: Flag = Kind::Flag;
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
    }
    cross: [];

    /// `lineOfBlocks`: texts, links and deadlines on one line.
    lineOfBlocks(LineOfBlocks) in [TIMELINE_TOP] {
        "blocks" blocks: Blocks = Kind::Blocks(&schema::TIMELINE_LINE) => required;
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
    }
    cross: [];

    /// `deadline`: the activity's deadline with a quick editor. Not shown on an incoming
    /// activity or on one without a deadline.
    deadline(Deadline) in [TIMELINE_TOP, TIMELINE_LINE, TIMELINE_WITH_TITLE] {
        /// Default false; Bitrix24 forces it when the user cannot edit the activity.
        "readonly" readonly: Flag = Kind::Flag;
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
    }
    cross: [];
}

/// A timeline content block: `{"type": ..., "properties": {...}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentBlockDto {
    pub block: Block,
    /// Written without `properties` (`{"type": "deadline"}`, as a docs example does);
    /// printed so again while the block has no property.
    pub bare: bool,
}

impl ContentBlockDto {
    pub fn new(block: impl Into<Block>) -> Self {
        ContentBlockDto {
            block: block.into(),
            bare: false,
        }
    }

    /// The `type` on the wire.
    pub fn type_name(&self) -> &'static str {
        self.block.type_name()
    }

    fn is_bare(&self) -> bool {
        self.bare && self.block.properties_json().is_empty()
    }

    pub(crate) fn fast_ok_in(&self, nest: &schema::Nest) -> bool {
        nest.lang == Lang::Timeline && self.block.inside() & nest.bit != 0 && self.block.fast_ok()
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
        if !self.is_bare() {
            self.block.serialize_properties(&mut map)?;
        }
        map.end()
    }
}

impl AsNode for ContentBlockDto {
    fn as_shape(&self) -> Shape<'_, Typed> {
        let (ty, properties) = self.block.nodes();
        let mut entries = vec![entry("type", ty)];
        if !self.is_bare() {
            entries.push(entry("properties", properties));
        }
        Shape::Object(entries)
    }
}

impl FromWire for ContentBlockDto {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        let object = expect_object(value, ptr)?;
        if let Some(other) = object.keys().find(|k| *k != "type" && *k != "properties") {
            return Err(crate::check::unknown_block_key_in(
                Lang::Timeline,
                &ptr.key(other).render(),
                other,
                (),
            ));
        }
        let at = ptr.key("type");
        let ty = object
            .get("type")
            .ok_or_else(|| Violation::new(at.render(), Rule::MissingRequired, "a block needs a `type`"))?;
        let ty = String::from_wire(ty, &at)?;
        let empty = Value::Object(serde_json::Map::new());
        let props = object.get("properties");
        let block = Block::from_properties(&ty, props.unwrap_or(&empty), &ptr.key("properties"))
            .unwrap_or_else(|| {
                Err(crate::check::unknown_block_type_in(
                    Lang::Timeline,
                    &at.render(),
                    &ty,
                    (),
                ))
            })?;
        Ok(ContentBlockDto {
            block,
            bare: props.is_none(),
        })
    }
}

deserialize_via_wire!(ContentBlockDto);

impl crate::write::WriteJson for ContentBlockDto {
    fn write_json(&self, out: &mut String) {
        if self.is_bare() {
            out.push_str("{\"type\":\"");
            out.push_str(self.block.type_name());
            out.push_str("\"}");
        } else {
            self.block.write_type_and_properties(out, None, false);
        }
    }
}

/// withTitle's one block.
impl crate::fast::FastValue for Box<ContentBlockDto> {
    fn fast_value(&self, kind: &Kind) -> bool {
        matches!(kind, Kind::Block(nest) if self.fast_ok_in(nest))
    }
}

/// A map of blocks: their count, their ids, and each block where it stands.
impl crate::fast::FastValue for Blocks {
    fn fast_value(&self, kind: &Kind) -> bool {
        let Kind::Blocks(nest) = kind else { return false };
        self.len() >= nest.min
            && nest.max.is_none_or(|max| self.len() <= max)
            && self
                .iter()
                .all(|(id, b)| schema::is_strict_key(id) && b.fast_ok_in(nest))
    }
}
