//! A widget as plain Rust: a view of its state and an update per event, driven against a
//! [`WidgetState`] mirror, so a whole widget is unit-tested without a browser or a portal.

use crate::command::{Command, Event};
use crate::layout::LayoutDto;
use crate::state::{StateError, WidgetState};

/// A widget of the built-in interface.
pub trait Widget {
    /// The layout to show when the widget opens (sent with `setLayout`).
    fn view(&self) -> LayoutDto;
    /// The commands to send in answer to an event.
    fn update(&mut self, event: &Event) -> Vec<Command>;
}

/// Runs a widget against a mirror of the portal: what a frame would do, in memory.
pub struct Harness<W> {
    pub widget: W,
    pub state: WidgetState,
    /// Every command the widget sent, in order.
    pub sent: Vec<Command>,
}

impl<W: Widget> Harness<W> {
    /// Opens the widget: its view is set as the layout.
    pub fn start(widget: W) -> Result<Self, StateError> {
        let layout = widget.view();
        Self::with_layout(widget, layout)
    }

    /// Opens the widget with the layout its `view` already gave (a server answers a
    /// frame's page with it, and starts the mirror only when the first event comes).
    pub fn with_layout(widget: W, layout: LayoutDto) -> Result<Self, StateError> {
        let first = Command::SetLayout(Box::new(layout));
        let mut state = WidgetState::default();
        state.apply(&first)?;
        Ok(Harness {
            widget,
            state,
            sent: vec![first],
        })
    }

    /// Delivers an event as the portal would (a value change updates the mirrored value
    /// first), then applies every command the widget answers with. Stops at the first
    /// refused command.
    pub fn send(&mut self, event: Event) -> Result<Vec<Command>, StateError> {
        self.state.on_event(&event)?;
        let commands = self.widget.update(&event);
        for c in &commands {
            self.state.apply(c)?;
            self.sent.push(c.clone());
        }
        Ok(commands)
    }
}
