//! Every enumerated value of the wire format. Variants are spelled exactly as in the
//! Bitrix24 JSON (`base_90`, `withBorder`), so the docs translate line by line.
//! Bitrix24 looks colors and sizes up by upper-casing them: `base-90` silently fails,
//! which is why a value outside these lists is an error, not a warning.

use crate::wire::wire_enum;

wire_enum! {
    /// Text size of `text` and `link`. Bitrix24's default is `md`.
    Size ("text size") { xs, sm, md, lg, xl }
}

wire_enum! {
    /// Text color of `text`.
    Color ("text color") { base_50, base_60, base_70, base_90, primary, warning, danger, success }
}

wire_enum! {
    /// Title width of `withTitle`, applied only when `inline` is true. Default `md`.
    TitleWidth ("title width") { sm, md, lg }
}

wire_enum! {
    /// Appearance of a `section`. Default `default`.
    SectionType ("section type") { default, primary, warning, danger, success, withBorder }
}

wire_enum! {
    /// Image size of a `section`. Default `lg`.
    ImageSize ("image size") { lg, md, sm }
}

wire_enum! {
    /// State of a primary or secondary button. `loading` is not in the docs but Bitrix24's
    /// renderer knows it: it shows a spinner and, like `disabled`, ignores clicks.
    ButtonState ("button state") { normal, disabled, loading }
}
