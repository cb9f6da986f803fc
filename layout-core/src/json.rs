//! Reading a LayoutDto from JSON written anywhere (PHP, JS, by hand): first the rule
//! table over the raw JSON, so that every problem is reported with its pointer, then the
//! conversion into the typed model.

use serde_json::Value;

use crate::check::check_layout;
use crate::layout::LayoutDto;
use crate::violation::Violations;
use crate::wire::FromWire;

/// Why a JSON text is not a valid layout.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON at all (serde_json's line and column).
    #[error("not valid JSON: {0}")]
    Syntax(#[from] serde_json::Error),
    /// JSON, but it breaks rules of the layout.
    #[error("{0}")]
    Invalid(#[from] Violations),
}

/// Every rule `value` breaks as a LayoutDto.
pub fn check_value(value: &Value) -> Result<(), Violations> {
    let report = check_layout(value);
    if report.violations.is_empty() {
        Ok(())
    } else {
        Err(Violations(report.violations))
    }
}

impl LayoutDto {
    /// Reads and validates a layout from JSON text.
    pub fn from_json(text: &str) -> Result<LayoutDto, ReadError> {
        let value: Value = serde_json::from_str(text)?;
        Ok(LayoutDto::from_value(&value)?)
    }

    /// Validates a JSON value and reads it into the typed model.
    pub fn from_value(value: &Value) -> Result<LayoutDto, Violations> {
        check_value(value)?;
        LayoutDto::from_wire(value, "").map_err(|v| Violations(vec![v]))
    }
}
