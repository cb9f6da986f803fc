//! A widget as plain Rust: a view of its state and an update per event, driven against a
//! [`WidgetState`] mirror, so a whole widget is unit-tested without a browser or a portal.

use std::future::Future;

use crate::command::{Command, Event};
use crate::layout::LayoutDto;
use crate::state::{StateError, WidgetState};
use crate::violation::Violations;

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

/// What an update may fail with: any error (a REST call's, a refused command's...). The
/// frame is answered with its message; the widget and the other frames go on.
pub type UpdateError = Box<dyn std::error::Error + Send + Sync>;

/// Where an async widget's commands go as it makes them: each is applied to the mirror at
/// once (a command the portal would refuse is an error, and is not sent), then handed on
/// to the frame (a server streams it to the browser; a test records it).
pub struct Frame<'a> {
    state: &'a mut WidgetState,
    sink: &'a mut (dyn FnMut(&Command, &WidgetState) + Send),
}

impl<'a> Frame<'a> {
    /// A frame whose commands go to `sink`, with the state each leaves the portal in.
    pub fn new(state: &'a mut WidgetState, sink: &'a mut (dyn FnMut(&Command, &WidgetState) + Send)) -> Self {
        Frame { state, sink }
    }

    /// Sends a command to the frame now.
    pub fn send(&mut self, command: Command) -> Result<(), StateError> {
        self.state.apply(&command)?;
        (self.sink)(&command, self.state);
        Ok(())
    }

    /// Sends several, in order; stops at the first refused one.
    pub fn send_all(&mut self, commands: impl IntoIterator<Item = Command>) -> Result<(), StateError> {
        commands.into_iter().try_for_each(|c| self.send(c))
    }

    /// The portal's state as the commands sent so far left it.
    pub fn state(&self) -> &WidgetState {
        self.state
    }

    /// The current value of an input, textarea, select or dropdownMenu.
    pub fn value_of(&self, id: &str) -> Option<String> {
        self.state.value_of(id)
    }
}

/// A widget whose update awaits (a REST call, a timer) and sends commands while it runs:
/// `lock` and the loading state go out at once, the frame sees them while the save is
/// awaited.
///
/// ```
/// use layout_core::command::{ButtonPatch, Command, Event};
/// use layout_core::enums::ButtonState;
/// use layout_core::widget::{AsyncWidget, Frame, UpdateError};
/// use layout_core::{LayoutDto, Text, ButtonDto, Violations};
///
/// struct Save;
///
/// impl AsyncWidget for Save {
///     fn view(&self) -> Result<LayoutDto, Violations> {
///         Ok(LayoutDto::default()
///             .blocks([("t".to_owned(), Text::default().value("Ready").into())])
///             .primaryButton(ButtonDto::new("Save")))
///     }
///
///     async fn update(&mut self, event: &Event, frame: &mut Frame<'_>) -> Result<(), UpdateError> {
///         if let Event::PrimaryButtonClick = event {
///             frame.send(Command::Lock)?;
///             frame.send(Command::SetPrimaryButtonState(Some(ButtonPatch::state(ButtonState::loading))))?;
///             // ... await the REST call here ...
///             frame.send(Command::Finish)?;
///         }
///         Ok(())
///     }
/// }
/// ```
pub trait AsyncWidget: Send {
    /// The layout to show when the widget opens. A layout `layout!` could only check when
    /// built is a `Result`: a refused one is answered with its errors, never a panic.
    fn view(&self) -> Result<LayoutDto, Violations>;

    /// Handles one event, sending commands through `frame` as they are made.
    fn update(
        &mut self,
        event: &Event,
        frame: &mut Frame<'_>,
    ) -> impl Future<Output = Result<(), UpdateError>> + Send;
}

/// A plain [`Widget`] run as an [`AsyncWidget`]: its commands are sent when `update`
/// returns.
pub struct Blocking<W>(pub W);

impl<W: Widget + Send> AsyncWidget for Blocking<W> {
    fn view(&self) -> Result<LayoutDto, Violations> {
        Ok(self.0.view())
    }

    async fn update(&mut self, event: &Event, frame: &mut Frame<'_>) -> Result<(), UpdateError> {
        let commands = self.0.update(event);
        frame.send_all(commands)?;
        Ok(())
    }
}

/// What an event did in a test: the commands sent, or why the portal dropped it.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivered {
    Sent(Vec<Command>),
    Dropped(&'static str),
}

/// Runs an async widget against a mirror of the portal, in a test: plain Rust, any
/// executor (`#[tokio::test]`).
pub struct AsyncHarness<W> {
    pub widget: W,
    pub state: WidgetState,
    /// Every command the widget sent, in order.
    pub sent: Vec<Command>,
}

impl<W: AsyncWidget> AsyncHarness<W> {
    /// Opens the widget: its view is set as the layout (a refused view is an error).
    pub fn start(widget: W) -> Result<Self, UpdateError> {
        let layout = widget.view()?;
        let first = Command::SetLayout(Box::new(layout));
        let mut state = WidgetState::default();
        state.apply(&first)?;
        Ok(AsyncHarness {
            widget,
            state,
            sent: vec![first],
        })
    }

    /// Delivers an event as the portal would: dropped when the portal would drop it (a
    /// click on a loading button...), else mirrored and handed to `update`; gives the
    /// commands it sent.
    pub async fn send(&mut self, event: Event) -> Result<Delivered, UpdateError> {
        if let Some(why) = self.state.drops(&event) {
            return Ok(Delivered::Dropped(why));
        }
        self.state.on_event(&event)?;
        let mut out = Vec::new();
        let mut sink = |c: &Command, _: &WidgetState| out.push(c.clone());
        let mut frame = Frame::new(&mut self.state, &mut sink);
        let result = self.widget.update(&event, &mut frame).await;
        self.sent.extend(out.iter().cloned());
        result.map(|()| Delivered::Sent(out))
    }
}
