//! Verification as middleware: [`verify_handler`] guards the routes that open frames. It
//! reads the handler request once, asks the router's [`Verifier`] whether its portal has
//! installed the app with this application token, refuses with 403 before any frame is
//! made, and hands the request on to the handler (which does not read it again). The
//! frames it lets through keep their verifier: each event asks it again whether the
//! portal is still installed (another instance may have seen it leave).
//!
//! Each router carries its own verifier as its middleware's state: two routers with two
//! life cycles in one process do not meet.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use b24_placement::HandlerRequest;

use crate::error::Error;
use crate::extract::read_request;

/// What a verifier's calls give back.
pub type VerifyFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// Why a portal's call is refused (logged; the answer says neither which nor why).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No installed portal has this `member_id`.
    NotInstalled,
    /// The call's `APPLICATION_TOKEN` is missing or not the portal's.
    WrongToken,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::NotInstalled => "the portal has not installed the app",
            Refusal::WrongToken => "the application token is missing or not the portal's",
        }
    }
}

/// Decides which portals' calls are served: the app's life cycle
/// ([`Lifecycle`](crate::Lifecycle), with the `lifecycle` feature) or an app's own.
pub trait Verifier: Send + Sync + 'static {
    /// Whether `request` comes from a portal that installed the app (its application
    /// token compared in constant time).
    fn verify<'a>(&'a self, request: &'a HandlerRequest) -> VerifyFuture<'a, Result<(), Refusal>>;
    /// Whether the portal `member_id` is still installed (asked on each event of its frames).
    fn installed<'a>(&'a self, member_id: &'a str) -> VerifyFuture<'a, bool>;
}

/// A request that [`verify_handler`] read and let through, with the verifier that vouched
/// for it; put in the request's extensions.
#[derive(Clone)]
pub(crate) struct Verified {
    pub(crate) request: Arc<HandlerRequest>,
    pub(crate) verifier: Arc<dyn Verifier>,
}

/// The verifier of a frame's route, if the route is guarded: what its frames ask on each
/// event.
pub(crate) struct FrameGuard(pub(crate) Option<Arc<dyn Verifier>>);

impl<S: Send + Sync> FromRequestParts<S> for FrameGuard {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(FrameGuard(
            parts.extensions.get::<Verified>().map(|v| v.verifier.clone()),
        ))
    }
}

/// The middleware: reads the handler request (the body limit and the field errors of
/// [`Placement`](crate::Placement)), verifies it, and passes it on in the extensions.
pub async fn verify_handler(
    State(verifier): State<Arc<dyn Verifier>>,
    request: Request,
    next: Next,
) -> Result<Response, Error> {
    let (mut parts, body) = request.into_parts();
    let handler_request = read_request(&parts, body).await?;
    if let Err(refusal) = verifier.verify(&handler_request).await? {
        tracing::warn!(
            domain = %handler_request.domain,
            member_id = %handler_request.member_id,
            placement = %handler_request.placement,
            why = refusal.as_str(),
            "refused a handler call"
        );
        return Err(Error::Forbidden);
    }
    parts.extensions.insert(Verified {
        request: Arc::new(handler_request),
        verifier,
    });
    Ok(next.run(Request::from_parts(parts, Body::empty())).await)
}
