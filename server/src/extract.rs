//! The handler request as an axum extractor.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::http::request::Parts;
use b24_placement::HandlerRequest;
use http_body_util::BodyExt;

use crate::error::Error;
use crate::verify::Verified;

/// The largest handler request body accepted (Bitrix24's are well under 2 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// The placement request of a handler call: 400 naming the field when malformed, 413
/// when larger than [`BODY_LIMIT`]. On a route guarded by
/// [`verify_handler`](crate::verify::verify_handler), the request it already read and
/// verified.
pub struct Placement(pub HandlerRequest);

impl<S: Send + Sync> FromRequest<S> for Placement {
    type Rejection = Error;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        if let Some(verified) = parts.extensions.remove::<Verified>() {
            drop(verified.verifier);
            let request = Arc::try_unwrap(verified.request).unwrap_or_else(|shared| (*shared).clone());
            return Ok(Placement(request));
        }
        Ok(Placement(read_request(&parts, body).await?))
    }
}

/// Reads a handler request: the query of its URL and its body, at most [`BODY_LIMIT`]
/// bytes, UTF-8, form-encoded.
pub(crate) async fn read_request(parts: &Parts, body: Body) -> Result<HandlerRequest, Error> {
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        return Err(Error::TooLarge);
    }
    let body = read_limited(body).await?;
    let body = std::str::from_utf8(&body).map_err(|_| Error::Body("is not UTF-8"))?;
    Ok(HandlerRequest::parse(body, parts.uri.query())?)
}

/// The body, at most [`BODY_LIMIT`] bytes, checked while it is read. A handler request
/// comes in one chunk, used as it is; more are joined.
pub(crate) async fn read_limited(mut body: axum::body::Body) -> Result<Bytes, Error> {
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Error::Body("could not be read"))?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        let read = first.as_ref().map_or(0, Bytes::len) + joined.len() + data.len();
        if read > BODY_LIMIT {
            return Err(Error::TooLarge);
        }
        match first.take() {
            None if joined.is_empty() => first = Some(data),
            Some(earlier) => {
                joined.extend_from_slice(&earlier);
                joined.extend_from_slice(&data);
            }
            None => joined.extend_from_slice(&data),
        }
    }
    Ok(first.unwrap_or_else(|| Bytes::from(joined)))
}
