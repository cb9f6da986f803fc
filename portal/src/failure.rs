//! A refusal as Bitrix24 sends it: the HTTP status, the error code, its description.

use serde_json::{json, Value};

/// A refusal: the HTTP status, the error code and its description, as Bitrix24 sends them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub status: u16,
    pub code: String,
    pub description: String,
}

impl Failure {
    pub fn new(status: u16, code: &str, description: &str) -> Self {
        Failure {
            status,
            code: code.to_owned(),
            description: description.to_owned(),
        }
    }

    /// 400 with this code (methods' own errors are mostly 400).
    pub fn bad(code: &str, description: &str) -> Self {
        Failure::new(400, code, description)
    }

    /// The error envelope: `{"error", "error_description"}`.
    pub(crate) fn body(&self) -> Value {
        json!({"error": self.code, "error_description": self.description})
    }
}
