//! `POST /event`: an event of the bridge, run through its frame's widget. The answer is
//! streamed, one JSON line per command as the widget sends it (`{"command", "params"}`),
//! then one line that says how the event ended: `{"done": true}`, `{"dropped": why}` (the
//! portal would not have sent it) or `{"error": message}` (the update failed or panicked:
//! the frame is told, the server and the other frames go on).
//!
//! `GET /event?session=...`: the frame's push stream (server-sent events), one command a
//! message: what the widget answers to [`Event::ObjectChanged`] when the portal says the
//! frame's object changed elsewhere.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use layout_core::command::{Command, Event, EVENT_KINDS};
use layout_core::state::WidgetState;
use layout_core::widget::{AsyncWidget, Frame as WidgetFrame};
use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedSender;
use tracing::Instrument;

use crate::error::Error;
use crate::host::WidgetHost;
use crate::sessions::{session_of, Arrival, Frame, Gate};
#[cfg(feature = "lifecycle")]
use crate::{sessions::Session, verify::Verifier};

fn line(v: &Value) -> String {
    let mut s = v.to_string();
    s.push('\n');
    s
}

pub(crate) async fn event<W: AsyncWidget + 'static>(
    State(host): State<Arc<WidgetHost<W>>>,
    body: Bytes,
) -> Result<Response, Error> {
    let v = serde_json::from_slice::<Value>(&body).map_err(|e| Error::Event {
        field: "body",
        message: format!("not JSON: {e}"),
    })?;
    let session = v.get("session").and_then(Value::as_str).ok_or(Error::Event {
        field: "session",
        message: "a string is required".into(),
    })?;
    let event = Event::from_bridge(&v).map_err(|e| Error::Event {
        // a known kind that cannot be read lacks its payload's `id`
        field: match v.get("kind").and_then(Value::as_str) {
            Some(kind) if EVENT_KINDS.contains(&kind) => "id",
            _ => "kind",
        },
        message: e.message,
    })?;
    let span = tracing::info_span!(
        "event",
        frame = session,
        member_id = tracing::field::Empty,
        kind = v
            .get("kind")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default(),
    );
    let id = session_of(session).ok_or(Error::SessionGone);
    async move {
        let session = id.and_then(|id| {
            host.sessions
                .lock()
                .map_err(|_| Error::SessionGone)?
                .get(id)
                .ok_or(Error::SessionGone)
        });
        let session = session.inspect_err(|e| tracing::info!("refused: {e}"))?;
        tracing::Span::current().record("member_id", session.member.as_str());
        // the frame's portal is still installed (another instance may have seen it leave)
        if let Some(guard) = &session.guard {
            if !guard.installed(&session.member).await? {
                tracing::warn!("refused: the frame's portal is no longer installed");
                host.forget_portal(&session.member, guard);
                return Err(Error::Forbidden);
            }
        }
        // what a click meets as it arrives, before it waits for the frame's turn
        let arrival = event.button().map(|b| session.gate.arrive(b));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let task_tx = tx.clone();
        let task = tokio::spawn(
            async move {
                // events of one frame in order; other frames are not waited for
                let mut frame = session.inner.lock().await;
                let end = run(&mut frame, &session.gate, &event, arrival, &task_tx).await;
                let _ = task_tx.send(line(&end));
            }
            .in_current_span(),
        );
        // an update that panics answers its own frame; the server goes on
        tokio::spawn(
            async move {
                if let Err(e) = task.await {
                    let why = if e.is_panic() {
                        "the widget's update panicked"
                    } else {
                        "the widget's update was cancelled"
                    };
                    tracing::error!("{why}");
                    let _ = tx.send(line(&json!({ "error": why })));
                }
            }
            .in_current_span(),
        );
        let stream = futures_util::stream::poll_fn(move |cx| {
            rx.poll_recv(cx)
                .map(|l| l.map(|l| Ok::<_, Infallible>(Bytes::from(l))))
        });
        Response::builder()
            .header(header::CONTENT_TYPE, "application/x-ndjson")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::from_stream(stream))
            .map_err(|e| Error::Internal(e.to_string()))
    }
    .instrument(span)
    .await
}

/// Runs one event on its frame; gives the last line of the answer.
async fn run<W: AsyncWidget>(
    frame: &mut Frame<W>,
    gate: &Gate,
    event: &Event,
    arrival: Option<Arrival>,
    tx: &UnboundedSender<String>,
) -> Value {
    let Frame { widget, state } = frame;
    if let Some(why) = state.drops(event) {
        tracing::debug!(why, "dropped");
        return json!({ "dropped": why });
    }
    // a click the portal would not have sent: on a busy button when it arrived, or one
    // that became busy while the click waited for the update before it
    if arrival.is_some_and(|a| gate.was_busy(a)) {
        tracing::debug!("dropped: the button was busy when clicked");
        return json!({ "dropped": "the button was busy when clicked" });
    }
    if let Err(e) = state.on_event(event) {
        tracing::info!("refused: {e}");
        return json!({ "error": e.to_string() });
    }
    let mut sink = |c: &Command, state: &WidgetState| {
        gate.record(state);
        let _ = tx.send(line(&c.to_json()));
    };
    let mut wf = WidgetFrame::new(state, &mut sink);
    match widget.update(event, &mut wf).await {
        Ok(()) => json!({ "done": true }),
        Err(e) => {
            tracing::warn!("the widget's update failed: {e}");
            json!({ "error": e.to_string() })
        }
    }
}

/// `GET /event?session=...`: the frame's push stream. What waited for the page comes
/// first; the stream ends when the frame is forgotten.
pub(crate) async fn push_stream<W: AsyncWidget + 'static>(
    State(host): State<Arc<WidgetHost<W>>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, Error> {
    // a session id is hex: nothing in it is escaped
    let id = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("session="))
        .and_then(session_of)
        .ok_or(Error::SessionGone)?;
    let session = host
        .sessions
        .lock()
        .map_err(|_| Error::SessionGone)?
        .get(id)
        .ok_or(Error::SessionGone)?;
    if let Some(guard) = &session.guard {
        if !guard.installed(&session.member).await? {
            return Err(Error::Forbidden);
        }
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    session.connect(tx);
    // the stream holds no reference to the frame: a forgotten frame drops its sender
    drop(session);
    let stream = futures_util::stream::poll_fn(move |cx| {
        rx.poll_recv(cx)
            .map(|l| l.map(|l| Ok::<_, Infallible>(axum::response::sse::Event::default().data(l.trim_end()))))
    });
    use axum::response::IntoResponse;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        axum::response::sse::Sse::new(stream).keep_alive(axum::response::sse::KeepAlive::default()),
    )
        .into_response())
}

/// Runs [`Event::ObjectChanged`] on a frame: its commands go to the frame's push stream.
#[cfg(feature = "lifecycle")]
async fn follow<W: AsyncWidget + 'static>(session: Arc<Session<W>>, event: Event) {
    let mut frame = session.inner.lock().await;
    let Frame { widget, state } = &mut *frame;
    if let Some(why) = state.drops(&event) {
        tracing::debug!(why, "not followed");
        return;
    }
    let pushing = session.clone();
    let mut sink = |c: &Command, state: &WidgetState| {
        pushing.gate.record(state);
        pushing.push(line(&c.to_json()));
    };
    let mut wf = WidgetFrame::new(state, &mut sink);
    if let Err(e) = widget.update(&event, &mut wf).await {
        tracing::warn!("the widget's update failed: {e}");
        session.push(line(&json!({ "error": e.to_string() })));
    }
}

/// The open frames, as the portal's events see them.
#[cfg(feature = "lifecycle")]
pub(crate) trait Frames: Send + Sync + 'static {
    /// Tells each open frame of portal `member` on the object (`entity_type_id`, `id`)
    /// that it changed (`event` says how); gives how many were told.
    fn object_changed(&self, member: &str, entity_type_id: u32, id: u64, event: &str) -> usize;
    /// Forgets the frames of a portal that `verifier` let open.
    fn forget(&self, member: &str, verifier: &Arc<dyn Verifier>);
}

#[cfg(feature = "lifecycle")]
impl<W: AsyncWidget + 'static> Frames for WidgetHost<W> {
    fn object_changed(&self, member: &str, entity_type_id: u32, id: u64, event: &str) -> usize {
        let frames = match self.sessions.lock() {
            Ok(s) => s.of_object(member, (entity_type_id, id)),
            Err(_) => return 0,
        };
        for session in &frames {
            let changed = Event::ObjectChanged {
                event: event.to_owned(),
            };
            let task = tokio::spawn(follow(session.clone(), changed).in_current_span());
            // an update that panics is logged; the other frames go on
            tokio::spawn(
                async move {
                    if let Err(e) = task.await {
                        if e.is_panic() {
                            tracing::error!("the widget's update panicked");
                        }
                    }
                }
                .in_current_span(),
            );
        }
        frames.len()
    }

    fn forget(&self, member: &str, verifier: &Arc<dyn Verifier>) {
        self.forget_portal(member, verifier);
    }
}
