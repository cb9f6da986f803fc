//! `POST /event`: an event of the bridge, run through its frame's widget. The answer is
//! streamed, one JSON line per command as the widget sends it (`{"command", "params"}`),
//! then one line that says how the event ended: `{"done": true}`, `{"dropped": why}` (the
//! portal would not have sent it) or `{"error": message}` (the update failed or panicked:
//! the frame is told, the server and the other frames go on).

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use layout_core::command::{Binding, Command, Event};
use layout_core::state::WidgetState;
use layout_core::widget::{AsyncWidget, Frame as WidgetFrame};
use layout_core::LayoutDto;
use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedSender;

use crate::error::Error;
use crate::host::WidgetHost;
use crate::sessions::{session_of, Frame, Gate, Mirror};

/// The bridge's event: `kind` names the callback it came from, the rest is the frame's
/// payload, read as [`Event::from_frame`] reads it.
fn event_from_json(v: &Value) -> Result<Event, Error> {
    let binding = match v.get("kind").and_then(Value::as_str) {
        Some("layoutEvent") => Binding::LayoutEvent(None),
        Some("valueChange") => Binding::ValueChange(None),
        Some("primaryButtonClick") => Binding::PrimaryButtonClick,
        Some("secondaryButtonClick") => Binding::SecondaryButtonClick,
        Some("entityUpdate") => Binding::EntityUpdate,
        _ => return Err(Error::Event {
            field: "kind",
            message:
                "must be layoutEvent, valueChange, primaryButtonClick, secondaryButtonClick or entityUpdate"
                    .into(),
        }),
    };
    Event::from_frame(&binding, v).map_err(|e| Error::Event {
        field: "payload",
        message: e.to_string(),
    })
}

/// Which button a click is on: 0 primary, 1 secondary.
fn button(event: &Event) -> Option<usize> {
    match event {
        Event::PrimaryButtonClick => Some(0),
        Event::SecondaryButtonClick => Some(1),
        _ => None,
    }
}

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
    let event = event_from_json(&v)?;
    let id = session_of(session).ok_or(Error::SessionGone)?;
    let session = host
        .sessions
        .lock()
        .map_err(|_| Error::SessionGone)?
        .get(id)
        .ok_or(Error::SessionGone)?;
    // the frame's portal is still installed (another instance may have seen it leave)
    if let Some(life) = host.lifecycle.get() {
        if life.portal(&session.member).await?.is_none() {
            host.forget_portal(&session.member);
            return Err(Error::Forbidden);
        }
    }
    // what a click meets as it arrives, before it waits for the frame's turn
    let arrival = button(&event).map(|b| {
        (
            session.gate.busy[b].load(Ordering::SeqCst),
            session.gate.became_busy[b].load(Ordering::SeqCst),
        )
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let task_tx = tx.clone();
    let task = tokio::spawn(async move {
        // events of one frame in order; other frames are not waited for
        let mut frame = session.inner.lock().await;
        let end = run(&mut frame, &session.gate, &event, arrival, &task_tx).await;
        let _ = task_tx.send(line(&end));
    });
    // an update that panics answers its own frame; the server goes on
    tokio::spawn(async move {
        if let Err(e) = task.await {
            let why = if e.is_panic() {
                "the widget's update panicked"
            } else {
                "the widget's update was cancelled"
            };
            let _ = tx.send(line(&json!({ "error": why })));
        }
    });
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

/// Runs one event on its frame; gives the last line of the answer.
async fn run<W: AsyncWidget>(
    frame: &mut Frame<W>,
    gate: &Gate,
    event: &Event,
    arrival: Option<(bool, u64)>,
    tx: &UnboundedSender<String>,
) -> Value {
    if let Mirror::Opened(layout) = &frame.mirror {
        // the layout was checked when the page was served, and reads back as it was
        let started = LayoutDto::from_json(layout)
            .map_err(|e| e.to_string())
            .and_then(|layout| WidgetState::new(&layout).map_err(|e| e.to_string()));
        match started {
            Ok(state) => {
                gate.record(&state);
                frame.mirror = Mirror::Running(Box::new(state));
            }
            Err(e) => return json!({ "error": format!("the widget's layout is not valid: {e}") }),
        }
    }
    let Frame { widget, mirror } = frame;
    let Mirror::Running(state) = mirror else {
        return json!({ "error": "the frame has no layout" });
    };
    if let Some(why) = state.drops(event) {
        return json!({ "dropped": why });
    }
    // a click the portal would not have sent: on a busy button when it arrived, or one
    // that became busy while the click waited for the update before it
    if let (Some((busy, seen)), Some(b)) = (arrival, button(event)) {
        if busy || gate.became_busy[b].load(Ordering::SeqCst) != seen {
            return json!({ "dropped": "the button was busy when clicked" });
        }
    }
    if let Err(e) = state.on_event(event) {
        return json!({ "error": e.to_string() });
    }
    let mut sink = |c: &Command, state: &WidgetState| {
        gate.record(state);
        let _ = tx.send(line(&c.to_json()));
    };
    let mut wf = WidgetFrame::new(state, &mut sink);
    match widget.update(event, &mut wf).await {
        Ok(()) => json!({ "done": true }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}
