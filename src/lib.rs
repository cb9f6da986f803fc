//! Bitrix24 CRM widgets in Rust: the one dependency to add.
//!
//! | feature | default | what it brings |
//! |---|---|---|
//! | `macros` | yes | [`layout!`] and [`layout_json!`]: a LayoutDto checked at compile time; [`timeline!`] and [`timeline_json!`]: a timeline record checked the same way |
//! | `server` | no | [`server`]: the axum widget server, its local preview, and what a `main` needs to run it (`server::run`, `server::tokio`, `server::axum`) |
//! | `rest` | no | [`rest`]: the async REST client of a portal (typed errors, token refresh, rate limit, batch, lists as streams) |
//! | `crm` | no (with `rest`) | [`crm`]: CRM objects typed against the portal's fields, and `crm::fields!`, a write checked at compile time |
//! | `portal` | no | [`portal`]: a local stand-in of a portal's REST side, to try a widget and test a client without a portal |
//!
//! Always there: the typed LayoutDto of the built-in timeline interface
//! (`CRM_XXX_DETAIL_ACTIVITY` with `useBuiltInInterface = Y`) and `validate()`, the
//! frame's [`command`]s and events, the portal's mirror ([`state`]), widgets tested in
//! plain Rust ([`widget`]), and the placement codes, handler request and placement.bind
//! params ([`placement`], [`request`], [`bind`]).
//!
//! ```
//! use b24_widgets::{LayoutDto, Text, Color};
//!
//! let layout = LayoutDto::default().blocks([(
//!     "hello".to_owned(),
//!     Text::default().value("Hello!").color(Color::base_90).into(),
//! )]);
//! assert!(layout.validate().is_ok());
//! ```

pub use layout_core::action::*;
pub use layout_core::blocks::*;
pub use layout_core::enums::*;
pub use layout_core::json::ReadError;
pub use layout_core::layout::{ButtonDto, LayoutDto};
pub use layout_core::violation::{Rule, Violation, Violations};
pub use layout_core::{action, blocks, command, document, enums, state, timeline, widget};

pub use b24_placement::{bind, placement, request, search, Secret};

/// The portal's events and `event.bind` (with `rest`, which every app that receives them has).
#[cfg(feature = "rest")]
pub use b24_placement::event;

#[cfg(feature = "macros")]
pub use layout_macros::{layout, layout_json, timeline, timeline_json};

/// The axum widget server: `router(WidgetHost::new(|request| MyWidget::new(request)))`,
/// served by [`run`](server::run) from a plain `fn main`, or by `axum::serve` inside your
/// own runtime.
#[cfg(feature = "server")]
pub mod server {
    pub use b24_server::*;
}

/// The async REST client: `Client::from_request(&request)?.build()?`, then `call`,
/// `read`, `get`, `add_comment`, `batch`, `list`, `bind`.
#[cfg(feature = "rest")]
pub mod rest {
    pub use b24_rest::*;
}

/// CRM objects typed against the portal's fields: [`Deal`](crm::Deal), [`Lead`](crm::Lead)...
/// read from any answer, the portal's fields ([`Schema`](crm::Schema)), writes checked
/// before they are sent ([`check_write`](crm::check_write)), and [`fields!`](crm::fields):
/// a write checked at compile time against a snapshot of the portal's fields.
#[cfg(feature = "crm")]
pub mod crm {
    pub use b24_crm::*;
    pub use b24_crm_macros::fields;
}

/// A local stand-in of a portal's REST side: `portal::router(portal::Portal::new(...))`
/// serves `/rest/...` and `/oauth/token/`.
#[cfg(feature = "portal")]
pub mod portal {
    pub use b24_portal::*;
}

/// What the code `layout!` generates calls at run time. Not an API.
#[doc(hidden)]
pub mod __private {
    pub use layout_core::{build, pointer};
    pub use serde_json;

    /// Stands for the value of a `layout!` that did not compile, beside its errors.
    pub const fn never<T>() -> T {
        panic!("a layout! with errors")
    }
}
