//! The widget host: one widget per opened frame, made by the app's factory from the
//! placement request (at once, or awaited: an async factory may read the CRM first);
//! `POST /handler` answers with the frame's page.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use axum::extract::{OriginalUri, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use b24_placement::HandlerRequest;
use layout_core::widget::{AsyncWidget, Blocking, UpdateError, Widget};

use crate::error::Error;
use crate::extract::Placement;
use crate::page::{render_config, PageBody};
use crate::sessions::{new_session_id, session_hex, Frame, Gate, Session, Sessions};
use crate::verify::{FrameGuard, Verifier};
use layout_core::state::WidgetState;
use tracing::Instrument;

type Opening<W> = Pin<Box<dyn Future<Output = Result<W, UpdateError>> + Send>>;

enum Factory<W> {
    /// Made at once from the request.
    Now(Box<dyn Fn(&HandlerRequest) -> W + Send + Sync>),
    /// Awaited: it may call the portal before the first view.
    Later(Box<dyn Fn(HandlerRequest) -> Opening<W> + Send + Sync>),
}

/// Runs one widget per opened frame: the factory makes it from the placement request.
pub struct WidgetHost<W> {
    factory: Factory<W>,
    pub(crate) sessions: Mutex<Sessions<W>>,
}

impl<U: Widget + Send + 'static> WidgetHost<Blocking<U>> {
    /// A host of a plain [`Widget`], made at once from the request.
    pub fn new(factory: impl Fn(&HandlerRequest) -> U + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(WidgetHost::with(Factory::Now(Box::new(move |r| {
            Blocking(factory(r))
        }))))
    }
}

impl<W: AsyncWidget + 'static> WidgetHost<W> {
    fn with(factory: Factory<W>) -> Self {
        WidgetHost {
            factory,
            sessions: Mutex::new(Sessions::default()),
        }
    }

    /// A host of an [`AsyncWidget`] opened by an async factory: it gets the request (with
    /// what a REST client needs: `b24_rest::Client::from_request`) and may read the CRM
    /// before the first view. A factory that fails answers the frame with its error.
    pub fn open<F, Fut>(factory: F) -> Arc<Self>
    where
        F: Fn(HandlerRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<W, UpdateError>> + Send + 'static,
    {
        Arc::new(WidgetHost::with(Factory::Later(Box::new(move |r| {
            Box::pin(factory(r))
        }))))
    }

    /// Remembers a frame's widget, forgetting the frames it pushes out.
    fn remember(&self, id: u128, session: Arc<Session<W>>) {
        let forgotten = {
            let Ok(mut sessions) = self.sessions.lock() else {
                return;
            };
            sessions.insert(id, session)
        };
        // dropped once the lock is released
        drop(forgotten);
    }

    /// Forgets the open frames of a portal that `verifier` let open (it saw the portal
    /// leave).
    pub(crate) fn forget_portal(&self, member: &str, verifier: &Arc<dyn Verifier>) {
        let forgotten = match self.sessions.lock() {
            Ok(mut s) => s.remove_portal(member, verifier),
            Err(_) => return,
        };
        drop(forgotten);
    }
}

/// Where a frame's page sends its events, when a middleware in front of the handler
/// says (the preview's handler sends them to its router's `/event`).
#[derive(Clone)]
pub(crate) struct EventUrl(pub(crate) String);

/// The event URL of the page served at `handler_path`: its sibling `event`, so a router
/// nested under a prefix (`/deal/handler`) gets its own events (`/deal/event`).
pub(crate) fn event_url(handler_path: &str) -> String {
    match handler_path.trim_end_matches('/').rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/event"),
        None => "/event".to_owned(),
    }
}

/// `POST /handler`: the frame's page, with the widget's first layout. On a guarded route
/// the request was verified by the middleware before it got here.
pub(crate) async fn handler<W: AsyncWidget + 'static>(
    State(host): State<Arc<WidgetHost<W>>>,
    OriginalUri(uri): OriginalUri,
    FrameGuard(guard): FrameGuard,
    events: Option<axum::Extension<EventUrl>>,
    Placement(request): Placement,
) -> Result<Response, Error> {
    let event_url = match events {
        Some(axum::Extension(EventUrl(url))) => url,
        None => event_url(uri.path()),
    };
    let span = tracing::info_span!(
        "frame",
        domain = %request.domain,
        member_id = %request.member_id,
        placement = %request.placement,
        frame = tracing::field::Empty,
    );
    open_frame(&host, request, &event_url, guard)
        .instrument(span)
        .await
}

/// Opens a frame: its page, its events sent to `event_url`, its portal asked of `guard`
/// on each event.
async fn open_frame<W: AsyncWidget + 'static>(
    host: &Arc<WidgetHost<W>>,
    request: HandlerRequest,
    event_url: &str,
    guard: Option<Arc<dyn Verifier>>,
) -> Result<Response, Error> {
    let member = request.member_id.clone();
    let object = request.entity().map(|(e, id)| (e.entity_type_id(), id));
    // the page may be framed by its portal only
    let frame_ancestors = frame_ancestors(&request);
    let widget = match &host.factory {
        Factory::Now(make) => make(&request),
        Factory::Later(open) => open(request).await.map_err(|e| Error::Open(e.to_string()))?,
    };
    let layout = widget.view().map_err(Error::InvalidLayout)?;
    let id = new_session_id().map_err(|e| Error::Internal(format!("no random session id: {e}")))?;
    let hex = session_hex(id);
    let session = std::str::from_utf8(&hex).unwrap_or_default();
    tracing::Span::current().record("frame", session);
    // checked once here: the frame's mirror starts from this checked layout
    let state = WidgetState::open(layout).map_err(Error::InvalidLayout)?;
    let gate = Gate::new(&state);
    let config = match state.layout_ref() {
        Some(layout) => render_config(layout, session, event_url),
        None => return Err(Error::Internal("the frame has no layout".into())),
    };
    let frame = Frame { widget, state };
    host.remember(
        id,
        Arc::new(Session {
            member,
            guard,
            gate,
            inner: tokio::sync::Mutex::new(frame),
            object,
            push: std::sync::Mutex::new(crate::sessions::Push::Waiting(Vec::new())),
        }),
    );
    tracing::info!("frame opened");
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_SECURITY_POLICY, frame_ancestors),
            (header::REFERRER_POLICY, "no-referrer".to_owned()),
        ],
        axum::body::Body::new(PageBody::new(config)),
    )
        .into_response())
}

/// `Content-Security-Policy` of a frame's page: only the portal that opened it (its
/// `DOMAIN` and `PROTOCOL`) may frame it.
pub(crate) fn frame_ancestors(request: &HandlerRequest) -> String {
    // DOMAIN was checked to be a host name (and port): nothing else can enter the header
    format!("frame-ancestors {}", request.origin())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_event_url_is_the_handlers_sibling() {
        assert_eq!(super::event_url("/handler"), "/event");
        assert_eq!(super::event_url("/deal/handler"), "/deal/event");
        assert_eq!(super::event_url("/a/b/handler/"), "/a/b/event");
        assert_eq!(super::event_url(""), "/event");
    }
}
