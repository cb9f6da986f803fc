//! The timeline's own layouts: the records an app writes into a CRM object's timeline.
//!
//! - A **configurable activity** (`crm.activity.configurable.add|update|get`) is drawn
//!   from a [`LayoutDto`]: `icon`, `header` (title, tags), `body` (logo, 1 to 20 content
//!   blocks), `footer` (buttons, menu).
//! - A **content-block set** (`crm.activity.layout.blocks.set`,
//!   `crm.timeline.layout.blocks.set`) is a [`RestAppLayoutDto`]: 1 to 20 blocks added to
//!   an activity or a timeline record.
//!
//! Bitrix24 refuses a broken timeline layout as a whole (`FIELD_IS_REQUIRED`,
//! `FIELD_IS_REDUNDANT`, `ENUM_FIELD`, `TOO_MANY_ITEMS`, `KEY_CONTAIN_WRONG_SYMBOLS`,
//! `WRONG_LANG`), with a code and no place. Here the same rule table and checker as the
//! widget's built-in interface ([`schema`](crate::schema), [`check`](crate::check))
//! say every broken rule at once, each at its JSON pointer; the timeline is a second
//! [`Lang`](crate::schema::Lang) of that table.
//!
//! ```
//! use layout_core::timeline::LayoutDto;
//!
//! let err = LayoutDto::from_json(r#"{"icon":{"code":"info"},"header":{"title":"Call",
//!     "tags":{"t1":{"title":"new","type":"lavender"}}},"body":{"logo":{"code":"document"},
//!     "blocks":{"b":{"type":"largeText","properties":{"value":"..."}}}}}"#)
//!     .unwrap_err()
//!     .to_string();
//! assert!(err.contains("/header/tags/t1/type: `lavender` is not a tag type"));
//! ```

pub mod action;
pub mod blocks;
mod text;

use indexmap::IndexMap;

pub use action::{ActionDto, ActionSliderParamsDto, OpenRestApp, Redirect, RestEvent};
pub use blocks::{Block, Blocks, ContentBlockDto, Deadline, LargeText, LineOfBlocks, Link, Text, WithTitle};
pub use text::{Flag, Translated};

use crate::schema::{self, Items, Kind, Lang, StructSpec};
use crate::wire::{wire_enum, wire_struct};

/// The interface languages of Bitrix24, by the codes the portals use (as
/// `catalog.price.type.lang.getLanguages` lists them, with `ru` and `ua`). A key of a
/// text with translations must be one of the portal's; any other is `WRONG_LANG`.
pub const LANGUAGES: &[&str] = &[
    "en", "de", "ru", "ua", "ar", "br", "fr", "id", "it", "ja", "kz", "la", "ms", "pl", "sc", "tc", "th",
    "tr", "vn",
];

/// Whether `code` is one of [`LANGUAGES`].
pub fn is_language_code(code: &str) -> bool {
    LANGUAGES.contains(&code)
}

wire_enum! {
    /// Text size of a timeline `text`. Default `md`.
    TextSize ("text size") { xs, sm, md }
}

wire_enum! {
    /// Text color of a timeline `text`.
    TextColor ("text color") { base_50, base_60, base_70, base_90 }
}

wire_enum! {
    /// Where a block, tag, button or menu item shows: the browser or the mobile app;
    /// everywhere when left out.
    Scope ("scope") { web, mobile }
}

wire_enum! {
    /// Color of a header tag: yellow, green, red, blue, grey. (`lavender`, seen in
    /// Bitrix24's own records, is refused over REST.)
    TagType ("tag type") { warning, success, failure, primary, secondary }
}

wire_enum! {
    /// Appearance of a footer button: blue or white.
    ButtonType ("button type") { primary, secondary }
}

wire_enum! {
    /// What a `restEvent` click blocks until the app updates the activity: the whole
    /// record under a loader, or the button.
    AnimationType ("animation type") { loader, disable }
}

/// Tag id to tag, in display order (at most 2).
pub type Tags = IndexMap<String, TagDto>;
/// Button id to button (at most 2).
pub type Buttons = IndexMap<String, FooterButtonDto>;
/// Menu item id to item.
pub type MenuItems = IndexMap<String, MenuItemDto>;

/// A header's tags: at most 2.
pub const TAGS: Items = Items {
    what: "tag",
    rust: "Tags",
    spec: &TagDto::SPEC,
    max: Some(2),
};

/// A footer's buttons: at most 2.
pub const BUTTONS: Items = Items {
    what: "button",
    rust: "Buttons",
    spec: &FooterButtonDto::SPEC,
    max: Some(2),
};

/// A footer menu's items.
pub const MENU_ITEMS: Items = Items {
    what: "menu item",
    rust: "MenuItems",
    spec: &MenuItemDto::SPEC,
    max: None,
};

wire_struct! {
    /// The icon left of the record.
    IconDto ("IconDto") {
        /// A code of `crm.timeline.icon.list` (`info`, `document`, `call-completed`...).
        "code" code: String = Kind::Str(schema::CODE) => required;
    }
    cross: []
}

wire_struct! {
    /// The logo of the body.
    LogoDto ("LogoDto") {
        /// A code of `crm.timeline.logo.list` (`document`, `call-incoming`...).
        "code" code: String = Kind::Str(schema::CODE) => required;
        "action" action: ActionDto = Kind::Action(Lang::Timeline);
    }
    cross: []
}

wire_struct! {
    /// A tag of the header.
    TagDto ("TagDto") {
        "title" title: Translated = Kind::Text => required;
        "type" r#type: TagType = Kind::Enum(&TagType::SPEC) => required;
        "action" action: ActionDto = Kind::Action(Lang::Timeline);
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
        /// Hidden from a user who cannot edit. Default false.
        "hideIfReadonly" hideIfReadonly: Flag = Kind::Flag;
    }
    cross: []
}

wire_struct! {
    /// The title line.
    HeaderDto ("HeaderDto") {
        "title" title: Translated = Kind::Text => required;
        "titleAction" titleAction: ActionDto = Kind::Action(Lang::Timeline);
        /// At most 2.
        "tags" tags: Tags = Kind::Items(&TAGS);
    }
    cross: []
}

wire_struct! {
    /// The main part: a logo and 1 to 20 blocks.
    BodyDto ("BodyDto") {
        "logo" logo: LogoDto = Kind::Object(&LogoDto::SPEC) => required;
        /// Block id to block, 1 to 20.
        "blocks" blocks: Blocks = Kind::Blocks(&schema::TIMELINE_TOP) => required;
    }
    cross: []
}

wire_struct! {
    /// A button at the bottom.
    FooterButtonDto ("FooterButtonDto") {
        "title" title: Translated = Kind::Text => required;
        "type" r#type: ButtonType = Kind::Enum(&ButtonType::SPEC) => required;
        "action" action: ActionDto = Kind::Action(Lang::Timeline) => required;
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
        /// Hidden from a user who cannot edit. Default false.
        "hideIfReadonly" hideIfReadonly: Flag = Kind::Flag;
    }
    cross: []
}

wire_struct! {
    /// An item of the footer's menu.
    MenuItemDto ("MenuItemDto") {
        "title" title: Translated = Kind::Text => required;
        "action" action: ActionDto = Kind::Action(Lang::Timeline) => required;
        "scope" scope: Scope = Kind::Enum(&Scope::SPEC);
        /// Hidden from a user who cannot edit. Default false.
        "hideIfReadonly" hideIfReadonly: Flag = Kind::Flag;
    }
    cross: []
}

wire_struct! {
    /// The menu at the bottom: Bitrix24's own items (each shown by default) and the app's.
    FooterMenuDto ("FooterMenuDto") {
        /// "Pin" (not on an activity that is not completed). Default true.
        "showPinItem" showPinItem: Flag = Kind::Flag;
        /// "Postpone" (not on incoming, deadline-less or completed activities). Default true.
        "showPostponeItem" showPostponeItem: Flag = Kind::Flag;
        /// "Delete". Default true.
        "showDeleteItem" showDeleteItem: Flag = Kind::Flag;
        "items" items: MenuItems = Kind::Items(&MENU_ITEMS);
    }
    cross: []
}

wire_struct! {
    /// Buttons and a menu.
    FooterDto ("FooterDto") {
        /// At most 2.
        "buttons" buttons: Buttons = Kind::Items(&BUTTONS);
        "menu" menu: FooterMenuDto = Kind::Object(&FooterMenuDto::SPEC);
    }
    cross: []
}

wire_struct! {
    /// A configurable activity's look: what `crm.activity.configurable.add` and
    /// `update` take as `layout`.
    ///
    /// ```
    /// use layout_core::timeline::*;
    ///
    /// let layout = LayoutDto::default()
    ///     .icon(IconDto::default().code("info"))
    ///     .header(HeaderDto::default().title("Delivery booked"))
    ///     .body(BodyDto::default()
    ///         .logo(LogoDto::default().code("document"))
    ///         .blocks([("when".to_owned(), Text::default().value("Tomorrow, 10:00").into())]));
    /// layout.validate().unwrap();
    /// assert_eq!(layout.to_json(), r#"{"icon":{"code":"info"},"header":{"title":"Delivery booked"},"body":{"logo":{"code":"document"},"blocks":{"when":{"type":"text","properties":{"value":"Tomorrow, 10:00"}}}}}"#);
    /// ```
    LayoutDto ("LayoutDto") {
        "icon" icon: IconDto = Kind::Object(&IconDto::SPEC) => required;
        "header" header: HeaderDto = Kind::Object(&HeaderDto::SPEC) => required;
        "body" body: BodyDto = Kind::Object(&BodyDto::SPEC) => required;
        "footer" footer: FooterDto = Kind::Object(&FooterDto::SPEC);
    }
    cross: []
}

wire_struct! {
    /// A set of content blocks an app adds to an activity or a timeline record:
    /// what `crm.activity.layout.blocks.set` and `crm.timeline.layout.blocks.set` take.
    RestAppLayoutDto ("RestAppLayoutDto") {
        /// Block id to block, 1 to 20.
        "blocks" blocks: Blocks = Kind::Blocks(&schema::TIMELINE_TOP) => required;
    }
    cross: []
}

/// The keyed objects of DTOs: their count, their ids, each entry.
macro_rules! fast_items {
    ($($ty:ty),*) => {$(
        impl crate::fast::FastValue for IndexMap<String, $ty> {
            fn fast_value(&self, kind: &Kind) -> bool {
                let Kind::Items(items) = kind else { return false };
                items.max.is_none_or(|max| self.len() <= max)
                    && self.iter().all(|(id, v)| schema::is_strict_key(id) && v.fast_ok())
            }
        }
    )*};
}
fast_items!(TagDto, FooterButtonDto, MenuItemDto);

crate::layout::document!(LayoutDto, RestAppLayoutDto);

/// The root objects of the timeline language, for tools that take any document.
pub const ROOTS: &[&StructSpec] = &[&LayoutDto::SPEC, &RestAppLayoutDto::SPEC];

#[cfg(test)]
mod tests;
