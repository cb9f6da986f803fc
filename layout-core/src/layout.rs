//! LayoutDto, the whole built-in interface, and its buttons.

use crate::blocks::Blocks;
use crate::enums::ButtonState;
use crate::schema::{self, Kind, StrRule};
use crate::violation::Violations;
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

impl LayoutDto {
    /// Every rule of the table this layout breaks, each with its JSON pointer.
    pub fn validate(&self) -> Result<(), Violations> {
        // most layouts keep every rule: that is answered without a message (see `fast`)
        if self.fast_ok() {
            return Ok(());
        }
        // the typed model itself is walked (see `typed`): no JSON copy is made
        let report = crate::check::check_layout(self as &crate::typed::Typed);
        if report.violations.is_empty() {
            Ok(())
        } else {
            Err(Violations(report.violations))
        }
    }

    /// The verdict of the full checker alone, without the quick answer of
    /// [`fast`](crate::fast) (for tests and benchmarks that compare the two).
    #[doc(hidden)]
    pub fn validate_full(&self) -> Result<(), Violations> {
        let report = crate::check::check_layout(self as &crate::typed::Typed);
        if report.violations.is_empty() {
            Ok(())
        } else {
            Err(Violations(report.violations))
        }
    }

    /// The layout as a JSON value (key order kept).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a LayoutDto always serializes")
    }

    /// The layout as compact JSON, as `setLayout` takes it.
    pub fn to_json(&self) -> String {
        // written by the model itself (see `write`): the same bytes as serde_json's
        let mut out = String::with_capacity(256);
        crate::write::WriteJson::write_json(self, &mut out);
        out
    }

    /// The layout as indented JSON, for people and snapshots.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a LayoutDto always serializes")
    }
}
