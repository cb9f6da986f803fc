//! The timeline's ActionDto: what a click on a title, tag, logo, link, button or menu
//! item does. Differs from the widget's ([`crate::action`]): a redirect reads `uri`;
//! `restEvent` raises onCrmTimelineItemAction on the app's server instead of the
//! widget's `layoutEvent`; parameters travel in `actionParams`.

use serde_json::Value;

use super::AnimationType;
use crate::schema::{self, Cross, Kind, Mistake, StrRule};
use crate::violation::Rule;
use crate::wire::{deserialize_via_wire, wire_struct};

crate::action::action_types! {
    Timeline: enum ActionDto, table ACTION_TYPES;

    /// `redirect`: follow a link; a relative link to a Bitrix24 object opens in a
    /// slider, a link with a domain in a new tab.
    redirect(Redirect) {
        /// `/crm/deal/details/1/` or `https://example.com`.
        "uri" uri: String = Kind::Str(schema::TIMELINE_REDIRECT) => required;
    }
    cross: []
    mistakes: [Mistake {
        key: "value",
        rule: Rule::RedirectValue,
        help: "the timeline's redirect reads `uri` (`value` is the widget's spelling): write the address as `uri`",
    }];

    /// `restEvent`: raise onCrmTimelineItemAction for the app that made the record.
    restEvent(RestEvent) {
        /// Comes back as `id` in the event.
        "id" id: String = Kind::Str(schema::ACTION_ID) => required;
        /// Handed back to the app's handler as they are.
        "actionParams" actionParams: Value = Kind::Params;
        /// Blocks the record (`loader`) or the button (`disable`) until the app updates
        /// the activity.
        "animationType" animationType: AnimationType = Kind::Enum(&AnimationType::SPEC);
    }
    cross: [];

    /// `openRestApp`: open the app's slider (not in the mobile app).
    openRestApp(OpenRestApp) {
        "actionParams" actionParams: Value = Kind::Params;
        "sliderParams" sliderParams: Box<ActionSliderParamsDto> = Kind::Object(&ActionSliderParamsDto::SPEC);
    }
    cross: [];
}

deserialize_via_wire!(ActionDto);

wire_struct! {
    /// How the slider of `openRestApp` opens. The widget's has label keys besides
    /// ([`crate::action::ActionSliderParamsDto`]); the timeline refuses them
    /// (FIELD_IS_REDUNDANT).
    ActionSliderParamsDto ("ActionSliderParamsDto") {
        /// Slider width in px; not together with `leftBoundary`.
        "width" width: u32 = Kind::UInt;
        /// Full-width slider with this left margin in px; not together with `width`.
        "leftBoundary" leftBoundary: u32 = Kind::UInt;
        /// Browser window title while the slider is open.
        "title" title: String = Kind::Str(StrRule::ANY);
    }
    cross: [Cross::Exclusive { a: "width", b: "leftBoundary", rule: Rule::ExclusiveProperties }]
}

impl crate::fast::FastValue for Box<ActionSliderParamsDto> {
    fn fast_value(&self, kind: &Kind) -> bool {
        crate::fast::FastValue::fast_value(&**self, kind)
    }
}

impl ActionDto {
    /// `{"type":"redirect","uri":uri}`
    pub fn redirect_to(uri: impl Into<String>) -> Self {
        ActionDto::redirect(Redirect::default().uri(uri))
    }

    /// `{"type":"restEvent","id":id}`
    pub fn rest_event(id: impl Into<String>) -> Self {
        ActionDto::restEvent(RestEvent::default().id(id))
    }

    /// `{"type":"openRestApp"}`
    pub fn open_app() -> Self {
        ActionDto::openRestApp(OpenRestApp::default())
    }
}
