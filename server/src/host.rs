//! The widget host: one widget per opened frame, made by the app's factory from the
//! placement request; `POST /handler` answers with the frame's page.

use std::sync::{Arc, Mutex};

use axum::extract::{OriginalUri, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use b24_placement::HandlerRequest;
use layout_core::widget::Widget;

use crate::error::Error;
use crate::extract::Placement;
use crate::page::{render_config, PageBody};
use crate::sessions::{session_hex, Session, SessionIds, Sessions};

type Factory<W> = dyn Fn(&HandlerRequest) -> W + Send + Sync;

/// Runs one widget per opened frame: the factory makes it from the placement request.
pub struct WidgetHost<W> {
    factory: Box<Factory<W>>,
    ids: SessionIds,
    pub(crate) sessions: Mutex<Sessions<W>>,
}

impl<W: Widget + Send + 'static> WidgetHost<W> {
    pub fn new(factory: impl Fn(&HandlerRequest) -> W + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(WidgetHost {
            factory: Box::new(factory),
            ids: SessionIds::new(),
            sessions: Mutex::new(Sessions { slots: Vec::new() }),
        })
    }

    /// Remembers a frame's widget in its slot, forgetting the frame that held it.
    fn remember(&self, id: u128, session: Session<W>) {
        let forgotten = {
            let Ok(mut sessions) = self.sessions.lock() else {
                return;
            };
            let slot = Sessions::<W>::slot(id);
            if sessions.slots.len() <= slot {
                sessions.slots.resize_with(slot + 1, || None);
            }
            sessions.slots[slot].replace((id, session))
        };
        // dropped once the lock is released
        drop(forgotten);
    }
}

/// The event URL of the page served at `handler_path`: its sibling `event`, so a router
/// nested under a prefix (`/deal/handler`) gets its own events (`/deal/event`).
pub(crate) fn event_url(handler_path: &str) -> String {
    match handler_path.trim_end_matches('/').rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/event"),
        None => "/event".to_owned(),
    }
}

/// `POST /handler`: the frame's page, with the widget's first layout.
pub(crate) async fn handler<W: Widget + Send + 'static>(
    State(host): State<Arc<WidgetHost<W>>>,
    OriginalUri(uri): OriginalUri,
    Placement(request): Placement,
) -> Result<Response, Error> {
    let widget = (host.factory)(&request);
    let layout = widget.view();
    layout.validate().map_err(Error::InvalidLayout)?;
    let id = host.ids.next();
    let hex = session_hex(id);
    let session = std::str::from_utf8(&hex).unwrap_or_default();
    let (config, layout) = render_config(&layout, session, &event_url(uri.path()));
    host.remember(id, Session::Opened { widget, layout });
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        axum::body::Body::new(PageBody::new(config)),
    )
        .into_response())
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
