//! ActionDto: what a click on a link does.

use serde_json::Value;

use crate::schema::{self, Cross, Kind, Mistake, StrRule};
use crate::violation::Rule;
use crate::wire::{deserialize_via_wire, wire_struct};

/// Declares every action type, once each: its wire name and its fields (a wire struct
/// whose `type` is the tag). From it come the language's action enum, its conversions, its
/// serialization and reading, and its table's list ([`ACTION_TYPES`] for widgets).
macro_rules! action_types {
    (
        $lang:ident: enum $ActionDto:ident, table $TABLE:ident;
        $(
            $(#[$meta:meta])*
            $wire:ident($ty:ident) {
                $($fields:tt)*
            }
            cross: [$($cross:expr),* $(,)?]
            $(mistakes: [$($mistake:expr),* $(,)?])?;
        )*
    ) => {
        $(
            $crate::wire::wire_struct! {
                $(#[$meta])*
                $ty (stringify!($wire), Action) {
                    $($fields)*
                }
                cross: [$($cross),*]
                mistakes: [$($($mistake),*)?]
            }
        )*

        /// Every action type: the spec of its fields besides `type`.
        pub const $TABLE: &[&$crate::schema::StructSpec] = &[$(&$ty::SPEC),*];

        /// An action, tagged by `type` on the wire.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(non_camel_case_types)]
        pub enum $ActionDto {
            $( $(#[$meta])* $wire($ty), )*
        }

        impl $ActionDto {
            /// The `type` on the wire.
            pub fn type_name(&self) -> &'static str {
                match self { $( $ActionDto::$wire(_) => $ty::SPEC.name, )* }
            }
        }

        impl $crate::write::WriteJson for $ActionDto {
            fn write_json(&self, out: &mut String) {
                match self { $( $ActionDto::$wire(a) => {
                    out.push_str(concat!("{\"type\":\"", stringify!($wire), "\""));
                    a.write_fields(out, false);
                } )* }
                out.push('}');
            }
        }

        impl $crate::fast::FastValue for $ActionDto {
            fn fast_value(&self, kind: &$crate::schema::Kind) -> bool {
                matches!(kind, $crate::schema::Kind::Action($crate::schema::Lang::$lang)) && match self { $( $ActionDto::$wire(a) => a.fast_ok(), )* }
            }
        }

        $(
            impl From<$ty> for $ActionDto {
                fn from(a: $ty) -> Self {
                    $ActionDto::$wire(a)
                }
            }
        )*

        impl serde_core::Serialize for $ActionDto {
            fn serialize<S: serde_core::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde_core::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                map.serialize_entry($crate::schema::ACTION.tag, self.type_name())?;
                match self { $( $ActionDto::$wire(a) => a.serialize_fields(&mut map)?, )* }
                map.end()
            }
        }

        impl $crate::typed::AsNode for $ActionDto {
            fn as_shape(&self) -> $crate::check::Shape<'_, $crate::typed::Typed> {
                let ty: &'static $crate::typed::Typed = match self { $( $ActionDto::$wire(_) => &$ty::SPEC.name, )* };
                let mut entries = vec![$crate::typed::entry($crate::schema::ACTION.tag, ty)];
                match self { $( $ActionDto::$wire(a) => a.node_entries(&mut entries), )* }
                $crate::check::Shape::Object(entries)
            }
        }

        impl $crate::wire::FromWire for $ActionDto {
            fn from_wire(value: &serde_json::Value, ptr: &$crate::pointer::Ptr) -> Result<Self, $crate::violation::Violation> {
                let tag = $crate::schema::ACTION.tag;
                let object = $crate::wire::expect_object(value, ptr)?;
                let at = ptr.key(tag);
                let ty = object
                    .get(tag)
                    .ok_or_else(|| $crate::violation::Violation::new(at.render(), $crate::violation::Rule::MissingRequired, "an action needs a `type`"))?;
                let ty = <String as $crate::wire::FromWire>::from_wire(ty, &at)?;
                $( if ty == $ty::SPEC.name {
                    return Ok($ActionDto::$wire($ty::from_wire_skipping(value, ptr, tag)?));
                } )*
                Err($crate::check::unknown_action_in($crate::schema::Lang::$lang, &at.render(), &ty, ()))
            }
        }
    };
}
pub(crate) use action_types;

action_types! {
    Widget: enum ActionDto, table ACTION_TYPES;

    /// `redirect`: open a URI (in a slider for Bitrix24's own relative links).
    redirect(Redirect) {
        /// The address, e.g. `/crm/deal/details/1/` or `https://example.com`.
        "value" value: String = Kind::Str(schema::REDIRECT_TARGET) => required;
    }
    cross: []
    mistakes: [Mistake {
        key: "uri",
        rule: Rule::RedirectUri,
        help: "Bitrix24 reads only `value`: write the address as `value`; with `uri` the link does nothing",
    }];

    /// `layoutEvent`: send `{id, value}` to the app's `bindLayoutEventCallback`.
    layoutEvent(LayoutEvent) {
        /// The event identifier: not empty, it tells events apart.
        "value" value: String = Kind::Str(schema::EVENT_NAME) => required;
    }
    cross: [];

    /// `openRestApp`: open the app's own slider.
    openRestApp(OpenRestApp) {
        /// Passed to the slider. The docs call it an "array" but pass a string or an
        /// object: any JSON value is accepted.
        "value" value: Value = Kind::Any;
        /// (Boxed: the parameters are rare, and every link would otherwise carry their room.)
        "sliderParams" sliderParams: Box<ActionSliderParamsDto> = Kind::Object(&ActionSliderParamsDto::SPEC);
    }
    cross: [];
}

wire_struct! {
    /// How the app slider of `openRestApp` opens.
    ActionSliderParamsDto ("ActionSliderParamsDto") {
        /// Slider width in px; not together with `leftBoundary`.
        "width" width: u32 = Kind::UInt;
        /// Full-width slider with this left margin in px; not together with `width`.
        "leftBoundary" leftBoundary: u32 = Kind::UInt;
        /// Browser window title while the slider is open.
        "title" title: String = Kind::Str(StrRule::ANY);
        /// Label background color (not in the docs; read by Bitrix24's slider).
        "labelBgColor" labelBgColor: String = Kind::Str(StrRule::ANY);
        /// Label text color (not in the docs; read by Bitrix24's slider).
        "labelColor" labelColor: String = Kind::Str(StrRule::ANY);
        /// Label text (not in the docs; read by Bitrix24's slider).
        "labelText" labelText: String = Kind::Str(StrRule::ANY);
    }
    cross: [Cross::Exclusive { a: "width", b: "leftBoundary", rule: Rule::ExclusiveProperties }]
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
}

deserialize_via_wire!(ActionDto);

impl crate::fast::FastValue for Box<ActionSliderParamsDto> {
    fn fast_value(&self, kind: &Kind) -> bool {
        crate::fast::FastValue::fast_value(&**self, kind)
    }
}
