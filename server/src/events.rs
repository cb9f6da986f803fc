//! `POST /event`: the bridge's events, each run through its frame's widget; the answer is
//! the JSON array of commands the widget sent.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use layout_core::command::{Binding, Event};
use layout_core::widget::{Harness, Widget};
use layout_core::LayoutDto;
use serde_json::Value;

use crate::error::Error;
use crate::host::WidgetHost;
use crate::sessions::{session_of, Session, Sessions};

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

pub(crate) async fn event<W: Widget + Send + 'static>(
    State(host): State<Arc<WidgetHost<W>>>,
    body: Bytes,
) -> Result<Json<Vec<Value>>, Error> {
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
    let mut sessions = host.sessions.lock().map_err(|_| Error::SessionGone)?;
    let session = sessions.get_mut(id).ok_or(Error::SessionGone)?;
    if let Session::Opened { .. } = session {
        let slot = Sessions::<W>::slot(id);
        let Some((_, Session::Opened { widget, layout })) = sessions.slots[slot].take() else {
            return Err(Error::SessionGone);
        };
        // the layout was checked when the page was served, and reads back as it was
        // (a failure here forgets the frame: its slot was taken)
        let started = LayoutDto::from_json(&layout)
            .map_err(|e| e.to_string())
            .and_then(|layout| Harness::with_layout(widget, layout).map_err(|e| e.to_string()));
        let harness =
            started.map_err(|e| Error::Internal(format!("the widget's layout is not valid: {e}")))?;
        sessions.slots[slot] = Some((id, Session::Running(Box::new(harness))));
    }
    let Some(Session::Running(harness)) = sessions.get_mut(id) else {
        return Err(Error::SessionGone);
    };
    let commands = harness.send(event)?;
    Ok(Json(commands.iter().map(|c| c.to_json()).collect()))
}
