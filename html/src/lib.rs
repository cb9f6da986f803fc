//! What reaches a browser, in one place for the widget server and the local portal:
//!
//! - [`escape`]: the one escaper: text for HTML ([`escape_html`]), JSON inside `<script>`
//!   ([`json_for_script`], [`escape_script_bytes`]).
//! - [`assets`]: the built-in interface drawn as the portal draws it (the renderer of a
//!   LayoutDto, `preview.js`, with its CSS) and the parent side of the frame protocol
//!   (`frame-protocol.js`): the app's local preview and the local portal's pages serve them.

pub mod escape;

pub use escape::{escape_html, escape_script_bytes, json_for_script, next_special, utf8};

/// The renderer of the built-in interface and its style.
pub mod assets {
    /// The parent side of the frame protocol (`window.B24Frame`: a message read, an
    /// answer posted, a button's busy state): loaded before [`PREVIEW_JS`] and the local
    /// portal's own pages.
    pub const FRAME_PROTOCOL_JS: &str = include_str!("../assets/frame-protocol.js");
    /// Draws a LayoutDto as the portal does and answers the widget frame's protocol.
    pub const PREVIEW_JS: &str = include_str!("../assets/preview.js");
    /// The style of what [`PREVIEW_JS`] draws.
    pub const PREVIEW_CSS: &str = include_str!("../assets/preview.css");
}
