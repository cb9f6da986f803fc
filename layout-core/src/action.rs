//! ActionDto: what a click on a link does.

use serde_json::Value;

use crate::pointer::Ptr;
use crate::schema::{Cross, Kind, StrRule};
use crate::violation::{Rule, Violation};
use crate::wire::{deserialize_via_wire, expect_object, wire_struct, FromWire};

wire_struct! {
    /// `redirect`: open a URI (in a slider for Bitrix24's own relative links).
    Redirect ("redirect") {
        /// The address, e.g. `/crm/deal/details/1/` or `https://example.com`.
        "value" value: String = Kind::Str(StrRule::Uri) => required;
    }
    cross: []
}

wire_struct! {
    /// `layoutEvent`: send `{id, value}` to the app's `bindLayoutEventCallback`.
    LayoutEvent ("layoutEvent") {
        /// The event identifier.
        "value" value: String = Kind::Str(StrRule::Any) => required;
    }
    cross: []
}

wire_struct! {
    /// `openRestApp`: open the app's own slider.
    OpenRestApp ("openRestApp") {
        /// Passed to the slider. The docs call it an "array" but pass a string or an
        /// object: any JSON value is accepted.
        "value" value: Value = Kind::Any;
        "sliderParams" sliderParams: ActionSliderParamsDto = Kind::Object(&ActionSliderParamsDto::SPEC);
    }
    cross: []
}

wire_struct! {
    /// How the app slider of `openRestApp` opens.
    ActionSliderParamsDto ("ActionSliderParamsDto") {
        /// Slider width in px; not together with `leftBoundary`.
        "width" width: u32 = Kind::UInt;
        /// Full-width slider with this left margin in px; not together with `width`.
        "leftBoundary" leftBoundary: u32 = Kind::UInt;
        /// Browser window title while the slider is open.
        "title" title: String = Kind::Str(StrRule::Any);
        /// Label background color (not in the docs; read by Bitrix24's slider).
        "labelBgColor" labelBgColor: String = Kind::Str(StrRule::Any);
        /// Label text color (not in the docs; read by Bitrix24's slider).
        "labelColor" labelColor: String = Kind::Str(StrRule::Any);
        /// Label text (not in the docs; read by Bitrix24's slider).
        "labelText" labelText: String = Kind::Str(StrRule::Any);
    }
    cross: [Cross::Exclusive { a: "width", b: "leftBoundary" }]
}

/// An action, tagged by `type` on the wire.
#[derive(Clone, Debug, PartialEq)]
#[allow(non_camel_case_types)]
pub enum ActionDto {
    redirect(Redirect),
    layoutEvent(LayoutEvent),
    openRestApp(OpenRestApp),
}

impl ActionDto {
    /// `{"type":"redirect","value":uri}`
    pub fn redirect_to(uri: impl Into<String>) -> Self {
        ActionDto::redirect(Redirect::default().value(uri))
    }

    /// `{"type":"layoutEvent","value":event}`
    pub fn event(event: impl Into<String>) -> Self {
        ActionDto::layoutEvent(LayoutEvent::default().value(event))
    }

    /// `{"type":"openRestApp","value":value}`
    pub fn open_app(value: impl Into<Value>) -> Self {
        ActionDto::openRestApp(OpenRestApp::default().value(value))
    }

    /// The `type` on the wire.
    pub fn type_name(&self) -> &'static str {
        match self {
            ActionDto::redirect(_) => "redirect",
            ActionDto::layoutEvent(_) => "layoutEvent",
            ActionDto::openRestApp(_) => "openRestApp",
        }
    }
}

impl From<Redirect> for ActionDto {
    fn from(a: Redirect) -> Self {
        ActionDto::redirect(a)
    }
}
impl From<LayoutEvent> for ActionDto {
    fn from(a: LayoutEvent) -> Self {
        ActionDto::layoutEvent(a)
    }
}
impl From<OpenRestApp> for ActionDto {
    fn from(a: OpenRestApp) -> Self {
        ActionDto::openRestApp(a)
    }
}

impl serde::Serialize for ActionDto {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", self.type_name())?;
        match self {
            ActionDto::redirect(a) => a.serialize_fields(&mut map)?,
            ActionDto::layoutEvent(a) => a.serialize_fields(&mut map)?,
            ActionDto::openRestApp(a) => a.serialize_fields(&mut map)?,
        }
        map.end()
    }
}

impl crate::typed::AsNode for ActionDto {
    fn as_shape(&self) -> crate::check::Shape<'_, crate::typed::Typed> {
        let ty: &'static crate::typed::Typed = match self {
            ActionDto::redirect(_) => &"redirect",
            ActionDto::layoutEvent(_) => &"layoutEvent",
            ActionDto::openRestApp(_) => &"openRestApp",
        };
        let mut entries = vec![crate::typed::entry("type", ty)];
        match self {
            ActionDto::redirect(a) => a.node_entries(&mut entries),
            ActionDto::layoutEvent(a) => a.node_entries(&mut entries),
            ActionDto::openRestApp(a) => a.node_entries(&mut entries),
        }
        crate::check::Shape::Object(entries)
    }
}

impl FromWire for ActionDto {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        let object = expect_object(value, ptr)?;
        let at = ptr.key("type");
        let ty = object
            .get("type")
            .ok_or_else(|| Violation::new(at.render(), Rule::MissingRequired, "an action needs a `type`"))?;
        let ty = String::from_wire(ty, &at)?;
        Ok(match ty.as_str() {
            "redirect" => ActionDto::redirect(Redirect::from_wire_skipping(value, ptr, "type")?),
            "layoutEvent" => ActionDto::layoutEvent(LayoutEvent::from_wire_skipping(value, ptr, "type")?),
            "openRestApp" => ActionDto::openRestApp(OpenRestApp::from_wire_skipping(value, ptr, "type")?),
            other => return Err(crate::check::unknown_action(&at.render(), other, ())),
        })
    }
}

deserialize_via_wire!(ActionDto);
