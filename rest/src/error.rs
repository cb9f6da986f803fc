//! Errors of a REST call, typed from the portal's envelope and the HTTP status. No error
//! carries a token, a webhook code or a URL that holds one.

use std::fmt;

/// The portal's error code (`error` of the envelope), with the codes a caller acts on
/// named; any other is kept as it was sent, empty included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// `expired_token`: refresh the access token and call again.
    ExpiredToken,
    /// `invalid_token`.
    InvalidToken,
    /// `NO_AUTH_FOUND`: wrong token or webhook code.
    NoAuthFound,
    /// `QUERY_LIMIT_EXCEEDED`: the portal's leaky bucket is full.
    QueryLimitExceeded,
    /// `OPERATION_TIME_LIMIT`: the method's time budget is spent until a reset time.
    OperationTimeLimit,
    /// `ACCESS_DENIED`.
    AccessDenied,
    /// `insufficient_scope`: the app lacks the method's scope.
    InsufficientScope,
    /// `ERROR_METHOD_NOT_FOUND`.
    MethodNotFound,
    /// `ERROR_BATCH_LENGTH_EXCEEDED`: more than 50 commands in one batch.
    BatchLengthExceeded,
    /// `ERROR_BATCH_METHOD_NOT_ALLOWED`: a method a batch cannot hold.
    BatchMethodNotAllowed,
    /// `WRONG_AUTH_TYPE`: an app-context method called through a webhook.
    WrongAuthType,
    /// Any other code, as sent (it may be empty: `crm.deal.get` sends `""`).
    Other(String),
}

impl ErrorCode {
    pub fn parse(code: &str) -> Self {
        match code {
            "expired_token" => ErrorCode::ExpiredToken,
            "invalid_token" => ErrorCode::InvalidToken,
            "NO_AUTH_FOUND" => ErrorCode::NoAuthFound,
            "QUERY_LIMIT_EXCEEDED" => ErrorCode::QueryLimitExceeded,
            "OPERATION_TIME_LIMIT" => ErrorCode::OperationTimeLimit,
            "ACCESS_DENIED" => ErrorCode::AccessDenied,
            "insufficient_scope" => ErrorCode::InsufficientScope,
            "ERROR_METHOD_NOT_FOUND" => ErrorCode::MethodNotFound,
            "ERROR_BATCH_LENGTH_EXCEEDED" => ErrorCode::BatchLengthExceeded,
            "ERROR_BATCH_METHOD_NOT_ALLOWED" => ErrorCode::BatchMethodNotAllowed,
            "WRONG_AUTH_TYPE" => ErrorCode::WrongAuthType,
            other => ErrorCode::Other(other.to_owned()),
        }
    }

    /// The code as the portal spells it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::ExpiredToken => "expired_token",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::NoAuthFound => "NO_AUTH_FOUND",
            ErrorCode::QueryLimitExceeded => "QUERY_LIMIT_EXCEEDED",
            ErrorCode::OperationTimeLimit => "OPERATION_TIME_LIMIT",
            ErrorCode::AccessDenied => "ACCESS_DENIED",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::MethodNotFound => "ERROR_METHOD_NOT_FOUND",
            ErrorCode::BatchLengthExceeded => "ERROR_BATCH_LENGTH_EXCEEDED",
            ErrorCode::BatchMethodNotAllowed => "ERROR_BATCH_METHOD_NOT_ALLOWED",
            ErrorCode::WrongAuthType => "WRONG_AUTH_TYPE",
            ErrorCode::Other(code) => code,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error the portal answered: its code and description (a batch's command errors are
/// these too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub description: String,
    /// The HTTP status it came with (200 for a command of a batch).
    pub status: u16,
    /// For `OPERATION_TIME_LIMIT`: when the method may be called again (unix seconds), as
    /// the portal last said in `time.operating_reset_at`.
    pub reset_at: Option<u64>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code.as_str(), self.description.as_str()) {
            ("", "") => write!(f, "an error without code or description (HTTP {})", self.status),
            ("", d) => f.write_str(d),
            (c, "") => f.write_str(c),
            (c, d) => write!(f, "{c}: {d}"),
        }?;
        if let Some(at) = self.reset_at {
            write!(f, " (the method may be called again at unix time {at})")?;
        }
        Ok(())
    }
}

/// Why a call did not give a result.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The portal answered an error envelope.
    #[error("{method}: {error}")]
    Api { method: String, error: ApiError },
    /// The portal (or something in front of it) answered what is not a REST envelope: an
    /// HTML page, a proxy's error, plain text.
    #[error("{method}: the portal answered HTTP {status} with {what}, not a REST answer")]
    NotJson {
        method: String,
        status: u16,
        what: String,
    },
    /// The portal could not be reached, or the connection broke.
    #[error("{method}: cannot reach the portal: {message}")]
    Transport { method: String, message: String },
    /// No answer in time.
    #[error("{method}: no answer within {after:?}")]
    Timeout {
        method: String,
        after: std::time::Duration,
    },
    /// A call that changes data failed after it may have reached the portal; it is not
    /// repeated, since it may have been done.
    #[error("{method}: the connection broke after the call was sent; it may have been done, so it was not repeated: {message}")]
    MaybeDone { method: String, message: String },
    /// The access token expired and could not be refreshed.
    #[error("refreshing the access token failed: {0}")]
    Refresh(String),
    /// The OAuth server refused the refresh token (`invalid_grant`) even after the stored
    /// tokens were read again: the app was removed, or the token chain is lost. The portal
    /// must install the app again; no refresh is tried again until then.
    #[error("the portal's tokens can no longer be refreshed ({0}): the app must be installed again")]
    NeedsReinstall(String),
    /// The tokens were renewed but could not be stored: they are kept in memory and written
    /// at the next chance (the call itself was not made).
    #[error(
        "the renewed tokens are not stored: {0}; they are kept in memory and written at the next chance"
    )]
    TokensNotStored(String),
    /// The token store could not be read or locked: nothing was renewed.
    #[error("the token store failed: {0}")]
    Store(String),
    /// The client was made with something it cannot use (named).
    #[error("{0}")]
    Config(String),
    /// A write refused before it was sent: a field the portal does not have (it would be
    /// ignored), a read-only or immutable one, a value of the wrong type (every problem at
    /// its pointer).
    #[error("{method}: not sent: {errors}")]
    Fields {
        method: String,
        errors: b24_crm::FieldErrors,
    },
    /// A call refused before it was sent: its layout or fields break rules that the
    /// portal would refuse them for (every broken rule, each at its JSON pointer).
    #[error("{method}: not sent: {violations}")]
    Refused {
        method: String,
        violations: layout_core::Violations,
    },
}

impl Error {
    /// The portal's error, if it answered one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The portal's error code, if it answered one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api().map(|e| &e.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_code_reads_back_as_spelled() {
        for code in [
            "expired_token",
            "invalid_token",
            "NO_AUTH_FOUND",
            "QUERY_LIMIT_EXCEEDED",
            "OPERATION_TIME_LIMIT",
            "ACCESS_DENIED",
            "insufficient_scope",
            "ERROR_METHOD_NOT_FOUND",
            "ERROR_BATCH_LENGTH_EXCEEDED",
            "ERROR_BATCH_METHOD_NOT_ALLOWED",
            "WRONG_AUTH_TYPE",
        ] {
            let parsed = ErrorCode::parse(code);
            assert!(!matches!(parsed, ErrorCode::Other(_)), "{code} is named");
            assert_eq!(parsed.as_str(), code);
        }
        // case matters: Bitrix24 spells each one way
        assert_eq!(
            ErrorCode::parse("EXPIRED_TOKEN"),
            ErrorCode::Other("EXPIRED_TOKEN".into())
        );
        assert_eq!(ErrorCode::parse(""), ErrorCode::Other(String::new()));
    }

    #[test]
    fn messages_say_what_there_is() {
        let e = |code: &str, description: &str| ApiError {
            code: ErrorCode::parse(code),
            description: description.into(),
            status: 400,
            reset_at: None,
        };
        assert_eq!(e("", "Not found").to_string(), "Not found");
        assert_eq!(e("NOT_FOUND", "").to_string(), "NOT_FOUND");
        assert_eq!(
            e("", "").to_string(),
            "an error without code or description (HTTP 400)"
        );
        let limited = ApiError {
            reset_at: Some(1778747792),
            ..e("OPERATION_TIME_LIMIT", "Method is blocked")
        };
        assert_eq!(
            limited.to_string(),
            "OPERATION_TIME_LIMIT: Method is blocked (the method may be called again at unix time 1778747792)"
        );
    }
}
