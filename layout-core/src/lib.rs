//! The typed model of the Bitrix24 CRM widget LayoutDto (the built-in interface of a
//! `CRM_XXX_DETAIL_ACTIVITY` placement), and its rules.
//!
//! Bitrix24's renderer validates nothing: a block that breaks a rule is dropped without a
//! word. Here every rule lives once, in [`schema`], and is enforced by
//! [`LayoutDto::validate`] at run time and by the `layout!` macro at compile time.
//!
//! ```
//! let layout = layout_core::LayoutDto::from_json(
//!     r#"{"blocks":{"l":{"type":"lineOfBlocks","properties":{"blocks":{
//!         "i":{"type":"input","properties":{}}}}}}}"#,
//! );
//! let err = layout.unwrap_err().to_string();
//! assert!(err.contains("/blocks/l/properties/blocks/i: `input` is not allowed inside a lineOfBlocks"));
//! ```

pub mod action;
pub mod blocks;
pub mod build;
pub mod check;
pub mod command;
pub mod document;
pub mod enums;
pub mod fast;
pub mod json;
pub mod json_schema;
pub mod layout;
pub mod pointer;
pub mod position;
pub mod schema;
pub mod state;
pub mod timeline;
pub mod typed;
pub mod violation;
pub mod widget;
pub mod wire;
pub mod write;

pub use action::*;
pub use blocks::*;
pub use enums::*;
pub use json::ReadError;
pub use layout::{ButtonDto, LayoutDto};
pub use violation::{Rule, Violation, Violations};
