//! Bitrix24 CRM widgets in Rust: the one dependency to add.
//!
//! It re-exports [`layout_core`]: the typed LayoutDto of the built-in timeline interface
//! (`CRM_XXX_DETAIL_ACTIVITY` with `useBuiltInInterface = Y`), its rule table and
//! `validate()`.
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

pub use layout_core::*;

pub use layout_macros::{layout, layout_json};

#[doc(hidden)]
pub mod __private {
    pub use serde_json;

    /// Stands for the value of a `layout!` that did not compile, beside its errors.
    pub const fn never<T>() -> T {
        panic!("a layout! with errors")
    }
}
