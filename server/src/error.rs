//! The one error type of the server: every refusal names what is at fault, and answers
//! with its status and a plain-text message. No message carries a token.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use b24_placement::RequestError;
use layout_core::state::StateError;
use layout_core::Violations;

use crate::extract::BODY_LIMIT;

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the handler request lacks a field or has a malformed one (named).
    #[error("bad placement request: {0}")]
    Request(#[from] RequestError),
    /// 413: the body is larger than [`BODY_LIMIT`].
    #[error("the request body is larger than {BODY_LIMIT} bytes")]
    TooLarge,
    /// 400: the body could not be read, or is not UTF-8.
    #[error("the request body {0}")]
    Body(&'static str),
    /// 400: an event of the bridge is malformed; `field` names the member at fault.
    #[error("bad event: `{field}`: {message}")]
    Event { field: &'static str, message: String },
    /// 400: a portal's event form is malformed (the field is named).
    #[cfg(feature = "lifecycle")]
    #[error("bad event: {0}")]
    PortalEvent(b24_placement::event::EventError),
    /// 404: the frame's session is unknown or was forgotten.
    #[error("no such session: reload the widget")]
    SessionGone,
    /// 500: the widget's view breaks a rule (each violation with its JSON pointer).
    #[error("the widget's layout is not valid: {0}")]
    InvalidLayout(Violations),
    /// 422: the widget answered with a command the portal would refuse.
    #[error("the widget answered with a refused command: {0}")]
    RefusedCommand(#[from] StateError),
    /// 403: the portal has not installed the app, or the call does not carry its
    /// application token (which of the two, and the token, are not said).
    #[error("this portal has not installed the app, or the call did not come from it")]
    Forbidden,
    /// 502: the install could not be completed (the portal's answer says why).
    #[error("the install could not be completed: {0}")]
    Install(String),
    /// 500: the store of installed portals failed.
    #[error("the store of installed portals failed: {0}")]
    Store(String),
    /// 500: the widget's async factory failed (its message).
    #[error("the widget could not be opened: {0}")]
    Open(String),
    /// 500: what should not happen did (the message says what).
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::Request(_) | Error::Body(_) | Error::Event { .. } => StatusCode::BAD_REQUEST,
            #[cfg(feature = "lifecycle")]
            Error::PortalEvent(_) => StatusCode::BAD_REQUEST,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::SessionGone => StatusCode::NOT_FOUND,
            Error::InvalidLayout(_) | Error::Open(_) | Error::Store(_) | Error::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Error::Forbidden => StatusCode::FORBIDDEN,
            Error::Install(_) => StatusCode::BAD_GATEWAY,
            Error::RefusedCommand(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl IntoResponse for Error {
    /// The answer, and its log line: a failure of the server at `error`, a refusal at
    /// `debug` (its reason was logged where it was known), a bad request at `info`.
    fn into_response(self) -> Response {
        let status = self.status();
        match status.as_u16() {
            500.. => tracing::error!(status = status.as_u16(), "{self}"),
            403 => tracing::debug!(status = status.as_u16(), "{self}"),
            _ => tracing::info!(status = status.as_u16(), "{self}"),
        }
        (status, self.to_string()).into_response()
    }
}

/// A JSON answer (`application/json`), the one way the server writes one. Written with
/// serde_json rather than `axum::Json`: axum's `json` feature asks serde_json for
/// `raw_value`, which `layout!`'s side of the build does not, and cargo would then build
/// `layout-core` twice in an installed app.
#[cfg(feature = "lifecycle")]
pub(crate) fn json_answer(value: &serde_json::Value) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}
