//! LayoutDto, the whole built-in interface, and its buttons.

use crate::blocks::Blocks;
use crate::enums::ButtonState;
use crate::schema::{self, Kind, StrRule};
use crate::wire::wire_struct;

wire_struct! {
    /// A button at the bottom of the interface.
    ButtonDto ("ButtonDto") {
        /// The button text.
        "title" title: String = Kind::Str(StrRule::ANY) => required;
        /// Default `normal`.
        "state" state: ButtonState = Kind::Enum(&ButtonState::SPEC);
    }
    cross: []
}

impl ButtonDto {
    /// A button with this title.
    pub fn new(title: impl Into<String>) -> Self {
        ButtonDto::default().title(title)
    }
}

wire_struct! {
    /// The built-in interface of a `CRM_XXX_DETAIL_ACTIVITY` placement registered with
    /// `useBuiltInInterface = Y`: what `setLayout` takes.
    ///
    /// ```
    /// use layout_core::{LayoutDto, Text, Size, ButtonDto};
    ///
    /// let layout = LayoutDto::default()
    ///     .blocks([("hello".to_owned(), Text::default().value("Hello!").size(Size::lg).into())])
    ///     .primaryButton(ButtonDto::new("Save"));
    /// layout.validate().unwrap();
    /// assert_eq!(
    ///     layout.to_json(),
    ///     r#"{"blocks":{"hello":{"type":"text","properties":{"value":"Hello!","size":"lg"}}},"primaryButton":{"title":"Save"}}"#
    /// );
    /// ```
    LayoutDto ("LayoutDto") {
        /// Block id to block, in display order. At least one.
        "blocks" blocks: Blocks = Kind::Blocks(&schema::TOP_LEVEL) => required;
        /// Usually completes and saves; clicks go to `bindPrimaryButtonClickCallback`.
        "primaryButton" primaryButton: ButtonDto = Kind::Object(&ButtonDto::SPEC);
        /// Usually cancels; clicks go to `bindSecondaryButtonClickCallback`.
        "secondaryButton" secondaryButton: ButtonDto = Kind::Object(&ButtonDto::SPEC);
    }
    cross: []
}

/// What every document of the table has: reading and checking outside JSON (every broken
/// rule at its pointer), `validate()` (the quick verdict first, see [`fast`](crate::fast)),
/// printing. One declaration for the widget's LayoutDto and the timeline's two.
macro_rules! document {
    ($($ty:ident),*) => {$(
        impl $ty {
            /// Every rule of the table this document breaks, each with its JSON pointer.
            pub fn validate(&self) -> Result<(), crate::violation::Violations> {
                if self.fast_ok() {
                    return Ok(());
                }
                self.validate_full()
            }

            /// The verdict of the full checker alone (for tests and benchmarks).
            #[doc(hidden)]
            pub fn validate_full(&self) -> Result<(), crate::violation::Violations> {
                let report = crate::check::check_root(self as &crate::typed::Typed, &Self::SPEC);
                if report.violations.is_empty() {
                    Ok(())
                } else {
                    Err(crate::violation::Violations(report.violations))
                }
            }

            /// Reads and checks a document from JSON text: every broken rule at once.
            pub fn from_json(text: &str) -> Result<Self, crate::json::ReadError> {
                let value = crate::json::check_json_as(text, &Self::SPEC)?;
                Ok(<Self as crate::wire::FromWire>::from_wire(&value, &crate::pointer::Ptr::Root)
                    .map_err(|v| crate::violation::Violations(vec![v]))?)
            }

            /// Checks a JSON value and reads it into the typed model.
            pub fn from_value(value: &serde_json::Value) -> Result<Self, crate::violation::Violations> {
                crate::json::check_value_as(value, &Self::SPEC)?;
                <Self as crate::wire::FromWire>::from_wire(value, &crate::pointer::Ptr::Root)
                    .map_err(|v| crate::violation::Violations(vec![v]))
            }

            /// The document as a JSON value (key order kept).
            pub fn to_value(&self) -> serde_json::Value {
                serde_json::to_value(self).expect("a document always serializes")
            }

            /// Compact JSON, as the portal takes it (`setLayout` for a widget, the REST methods
            /// for a timeline record).
            pub fn to_json(&self) -> String {
                let mut out = String::with_capacity(512);
                crate::write::WriteJson::write_json(self, &mut out);
                out
            }

            /// Indented JSON, for people and snapshots.
            pub fn to_json_pretty(&self) -> String {
                crate::write::pretty(self)
            }
        }
    )*};
}
pub(crate) use document;

document!(LayoutDto);
