//! The calls a widget makes through `BX24.placement.call` in the built-in interface, and
//! the events the frame sends back. Each command serializes to exactly the name and params
//! the frame expects.

use serde_json::{json, Map, Value};

use crate::blocks::Block;
use crate::enums::ButtonState;
use crate::layout::LayoutDto;
use crate::schema::did_you_mean;

/// `setLayoutItemState` params: `{id, visible, properties}`; properties are merged
/// shallowly into the block's.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemState {
    pub id: String,
    pub visible: Option<bool>,
    pub properties: Option<Map<String, Value>>,
}

impl ItemState {
    /// A state change for the block `id`.
    pub fn new(id: impl Into<String>) -> Self {
        ItemState {
            id: id.into(),
            visible: None,
            properties: None,
        }
    }

    /// Shows or hides the block.
    #[must_use]
    pub fn visible(mut self, visible: bool) -> Self {
        self.visible = Some(visible);
        self
    }

    /// Properties to merge, typed by block type: `Input::default().errorText("Invalid")`.
    /// Only what is set is sent. (`Text::default().bold(true)` for a text block; an input
    /// has no `bold`, so that does not compile.)
    #[must_use]
    pub fn properties(mut self, properties: impl Into<Block>) -> Self {
        self.properties = Some(properties.into().properties_json());
        self
    }
}

/// A partial button state for `setPrimaryButtonState` / `setSecondaryButtonState`: what is
/// set is merged into the current state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ButtonPatch {
    pub title: Option<String>,
    pub state: Option<ButtonState>,
}

impl ButtonPatch {
    pub fn state(state: ButtonState) -> Self {
        ButtonPatch {
            title: None,
            state: Some(state),
        }
    }
    pub fn title(title: impl Into<String>) -> Self {
        ButtonPatch {
            title: Some(title.into()),
            state: None,
        }
    }
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(t) = &self.title {
            m.insert("title".into(), t.clone().into());
        }
        if let Some(s) = self.state {
            m.insert("state".into(), s.as_str().into());
        }
        Value::Object(m)
    }
}

/// What a `bind*` registration listens to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// `bindLayoutEventCallback`, for one block or (None) all.
    LayoutEvent(Option<String>),
    /// `bindValueChangeCallback`, for one block or (None) all.
    ValueChange(Option<String>),
    PrimaryButtonClick,
    SecondaryButtonClick,
    EntityUpdate,
}

/// One `BX24.placement.call`.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SetLayout(Box<LayoutDto>),
    SetLayoutItemState(ItemState),
    /// `None` (`null` on the wire) hides the button.
    SetPrimaryButtonState(Option<ButtonPatch>),
    SetSecondaryButtonState(Option<ButtonPatch>),
    Lock,
    Unlock,
    Finish,
    Bind(Binding),
}

/// The command names the frame knows.
pub const COMMANDS: &[&str] = &[
    "setLayout",
    "setLayoutItemState",
    "setPrimaryButtonState",
    "setSecondaryButtonState",
    "lock",
    "unlock",
    "finish",
    "bindLayoutEventCallback",
    "bindValueChangeCallback",
    "bindPrimaryButtonClickCallback",
    "bindSecondaryButtonClickCallback",
    "bindEntityUpdateCallback",
];

/// A command that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub message: String,
}

fn cerr(message: impl Into<String>) -> CommandError {
    CommandError {
        message: message.into(),
    }
}

/// A violation of the rule table as a command error: its message and its help.
fn table_error(v: crate::violation::Violation) -> CommandError {
    match v.help {
        Some(help) => cerr(format!("{}; {help}", v.message)),
        None => cerr(v.message),
    }
}

fn button_patch(params: &Value, name: &str) -> Result<Option<ButtonPatch>, CommandError> {
    let map = match params {
        Value::Null => return Ok(None),
        Value::Object(m) => m,
        other => return Err(cerr(format!("{name} takes an object or null, found {other}"))),
    };
    let mut patch = ButtonPatch::default();
    for (k, v) in map {
        match (k.as_str(), v) {
            ("title", Value::String(s)) => patch.title = Some(s.clone()),
            ("title", other) => return Err(cerr(format!("`title` must be a string, found {other}"))),
            ("state", Value::String(s)) => {
                patch.state = Some(
                    ButtonState::from_wire_str(s)
                        .ok_or_else(|| table_error(ButtonState::SPEC.violation("", s)))?,
                )
            }
            ("state", other) => return Err(cerr(format!("`state` must be a string, found {other}"))),
            (other, _) => {
                return Err(table_error(
                    crate::layout::ButtonDto::SPEC.unknown_field("", other),
                ))
            }
        }
    }
    Ok(Some(patch))
}

fn block_filter(params: &Value, name: &str) -> Result<Option<String>, CommandError> {
    match params {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(cerr(format!("{name} takes null or a block id, found {other}"))),
    }
}

impl Command {
    /// The command name, as passed to `BX24.placement.call`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::SetLayout(_) => "setLayout",
            Command::SetLayoutItemState(_) => "setLayoutItemState",
            Command::SetPrimaryButtonState(_) => "setPrimaryButtonState",
            Command::SetSecondaryButtonState(_) => "setSecondaryButtonState",
            Command::Lock => "lock",
            Command::Unlock => "unlock",
            Command::Finish => "finish",
            Command::Bind(Binding::LayoutEvent(_)) => "bindLayoutEventCallback",
            Command::Bind(Binding::ValueChange(_)) => "bindValueChangeCallback",
            Command::Bind(Binding::PrimaryButtonClick) => "bindPrimaryButtonClickCallback",
            Command::Bind(Binding::SecondaryButtonClick) => "bindSecondaryButtonClickCallback",
            Command::Bind(Binding::EntityUpdate) => "bindEntityUpdateCallback",
        }
    }

    /// The params, as passed to `BX24.placement.call` (`null` when there are none).
    pub fn params(&self) -> Value {
        match self {
            Command::SetLayout(layout) => layout.to_value(),
            Command::SetLayoutItemState(s) => {
                let mut m = Map::new();
                m.insert("id".into(), s.id.clone().into());
                if let Some(v) = s.visible {
                    m.insert("visible".into(), v.into());
                }
                if let Some(p) = &s.properties {
                    m.insert("properties".into(), Value::Object(p.clone()));
                }
                Value::Object(m)
            }
            Command::SetPrimaryButtonState(p) | Command::SetSecondaryButtonState(p) => {
                p.as_ref().map_or(Value::Null, ButtonPatch::to_json)
            }
            Command::Bind(Binding::LayoutEvent(id) | Binding::ValueChange(id)) => {
                id.as_ref().map_or(Value::Null, |id| id.clone().into())
            }
            Command::Lock | Command::Unlock | Command::Finish | Command::Bind(_) => Value::Null,
        }
    }

    /// `{"command": name, "params": params}`, the form `b24 apply` reads.
    pub fn to_json(&self) -> Value {
        json!({ "command": self.name(), "params": self.params() })
    }

    /// Reads a command from its name and params (absent params are `null`).
    pub fn from_json(name: &str, params: &Value) -> Result<Command, CommandError> {
        Ok(match name {
            "setLayout" => Command::SetLayout(Box::new(
                LayoutDto::from_value(params).map_err(|v| cerr(format!("the layout is not valid: {v}")))?,
            )),
            "setLayoutItemState" => {
                let Value::Object(m) = params else {
                    return Err(cerr(format!(
                        "setLayoutItemState takes {{id, visible, properties}}, found {params}"
                    )));
                };
                let id = match m.get("id") {
                    Some(Value::String(s)) if !s.is_empty() => s.clone(),
                    Some(other) => return Err(cerr(format!("`id` must be a block id, found {other}"))),
                    None => return Err(cerr("`id` is required: the block to change")),
                };
                let visible = match m.get("visible") {
                    None => None,
                    Some(Value::Bool(b)) => Some(*b),
                    Some(other) => {
                        return Err(cerr(format!("`visible` must be true or false, found {other}")))
                    }
                };
                let properties = match m.get("properties") {
                    None => None,
                    Some(Value::Object(p)) => Some(p.clone()),
                    Some(other) => {
                        return Err(cerr(format!("`properties` must be an object, found {other}")))
                    }
                };
                if let Some(k) = m
                    .keys()
                    .find(|k| !["id", "visible", "properties"].contains(&k.as_str()))
                {
                    let help = did_you_mean(k, ["id", "visible", "properties"]).unwrap_or_else(|| {
                        "setLayoutItemState takes `id`, `visible` and `properties`".into()
                    });
                    return Err(cerr(format!("unknown key `{k}`; {help}")));
                }
                Command::SetLayoutItemState(ItemState {
                    id,
                    visible,
                    properties,
                })
            }
            "setPrimaryButtonState" => Command::SetPrimaryButtonState(button_patch(params, name)?),
            "setSecondaryButtonState" => Command::SetSecondaryButtonState(button_patch(params, name)?),
            "lock" => Command::Lock,
            "unlock" => Command::Unlock,
            "finish" => Command::Finish,
            "bindLayoutEventCallback" => Command::Bind(Binding::LayoutEvent(block_filter(params, name)?)),
            "bindValueChangeCallback" => Command::Bind(Binding::ValueChange(block_filter(params, name)?)),
            "bindPrimaryButtonClickCallback" => Command::Bind(Binding::PrimaryButtonClick),
            "bindSecondaryButtonClickCallback" => Command::Bind(Binding::SecondaryButtonClick),
            "bindEntityUpdateCallback" => Command::Bind(Binding::EntityUpdate),
            other => {
                let help = did_you_mean(other, COMMANDS.iter().copied())
                    .unwrap_or_else(|| format!("commands: {}", COMMANDS.join(", ")));
                return Err(cerr(format!("unknown command `{other}`; {help}")));
            }
        })
    }
}

/// One of the two buttons at the bottom of the built-in interface: the one type the
/// mirror, the server's gate of clicks and the bridge name a button by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Button {
    Primary,
    Secondary,
}

impl Button {
    /// Both, in the order of the layout's keys.
    pub const BOTH: [Button; 2] = [Button::Primary, Button::Secondary];

    /// The layout's key: `primaryButton` / `secondaryButton`.
    pub fn key(self) -> &'static str {
        match self {
            Button::Primary => "primaryButton",
            Button::Secondary => "secondaryButton",
        }
    }

    /// 0 for the primary button, 1 for the secondary: an index into per-button arrays.
    pub fn index(self) -> usize {
        match self {
            Button::Primary => 0,
            Button::Secondary => 1,
        }
    }
}

/// The event names of the frame's callbacks, as the bridge sends them in `kind` (in the
/// order `Event::read` numbers them).
pub const EVENT_KINDS: &[&str] = &[
    "layoutEvent",
    "valueChange",
    "primaryButtonClick",
    "secondaryButtonClick",
    "entityUpdate",
];

/// What the frame sends to a bound callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A `layoutEvent` action was clicked: `{id, value}`.
    Layout {
        id: String,
        value: String,
    },
    /// An input, textarea, select or dropdownMenu changed: `{id, value}`.
    ValueChange {
        id: String,
        value: String,
    },
    PrimaryButtonClick,
    SecondaryButtonClick,
    /// The entity's fields were saved in the editor.
    EntityUpdate,
    /// The portal's event says the frame's object changed elsewhere (`event` is its name,
    /// `ONCRMDEALUPDATE`, or `ONCRMDEALDELETE` when it is gone): the widget may read it
    /// again and show the change. Sent by the server, never by the frame.
    ObjectChanged {
        event: String,
    },
}

impl Event {
    /// The button a click is on.
    pub fn button(&self) -> Option<Button> {
        match self {
            Event::PrimaryButtonClick => Some(Button::Primary),
            Event::SecondaryButtonClick => Some(Button::Secondary),
            _ => None,
        }
    }

    /// Reads an event as the bridge posts it: the callback's name in `kind` (one of
    /// [`EVENT_KINDS`]) beside what the frame sent (`id`, `value`).
    pub fn from_bridge(event: &Value) -> Result<Event, CommandError> {
        let kind = match event.get("kind") {
            Some(Value::String(k)) => k.as_str(),
            Some(other) => return Err(cerr(format!("`kind` must be a string, found {other}"))),
            None => {
                return Err(cerr(format!(
                    "the event has no `kind`; one of: {}",
                    EVENT_KINDS.join(", ")
                )))
            }
        };
        let Some(kind) = EVENT_KINDS.iter().position(|k| *k == kind) else {
            let help = did_you_mean(kind, EVENT_KINDS.iter().copied())
                .unwrap_or_else(|| format!("one of: {}", EVENT_KINDS.join(", ")));
            return Err(cerr(format!("unknown event kind `{kind}`; {help}")));
        };
        Event::read(kind, event)
    }

    /// The event of callback `kind` (an index of [`EVENT_KINDS`]) with what the frame sent.
    fn read(kind: usize, payload: &Value) -> Result<Event, CommandError> {
        let id_value = || -> Result<(String, String), CommandError> {
            let id = payload
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| cerr("the event has no `id`"))?;
            let value = match payload.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            Ok((id.to_owned(), value))
        };
        Ok(match kind {
            0 => {
                let (id, value) = id_value()?;
                Event::Layout { id, value }
            }
            1 => {
                let (id, value) = id_value()?;
                Event::ValueChange { id, value }
            }
            2 => Event::PrimaryButtonClick,
            3 => Event::SecondaryButtonClick,
            _ => Event::EntityUpdate,
        })
    }

    /// Reads what the frame sent to the callback registered by `binding`.
    pub fn from_frame(binding: &Binding, payload: &Value) -> Result<Event, CommandError> {
        let kind = match binding {
            Binding::LayoutEvent(_) => 0,
            Binding::ValueChange(_) => 1,
            Binding::PrimaryButtonClick => 2,
            Binding::SecondaryButtonClick => 3,
            Binding::EntityUpdate => 4,
        };
        Event::read(kind, payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::Input;

    #[test]
    fn the_bridge_s_events_are_read_by_kind() {
        let read = |v: Value| Event::from_bridge(&v).map_err(|e| e.message);
        assert_eq!(
            read(json!({"kind": "primaryButtonClick"})),
            Ok(Event::PrimaryButtonClick)
        );
        assert_eq!(
            read(json!({"kind": "valueChange", "id": "email", "value": "a@b"})),
            Ok(Event::ValueChange {
                id: "email".into(),
                value: "a@b".into()
            })
        );
        assert_eq!(
            read(json!({"kind": "layoutEvent", "id": "more", "value": "open"})),
            Ok(Event::Layout {
                id: "more".into(),
                value: "open".into()
            })
        );
        assert_eq!(read(json!({"kind": "entityUpdate"})), Ok(Event::EntityUpdate));
        assert_eq!(
            read(json!({"kind": "primaryButonClick"})),
            Err("unknown event kind `primaryButonClick`; did you mean `primaryButtonClick`?".into())
        );
        assert!(read(json!({})).unwrap_err().contains("no `kind`"));
        assert!(read(json!({"kind": "valueChange"}))
            .unwrap_err()
            .contains("no `id`"));
        for (kind, button) in [
            ("primaryButtonClick", Some(Button::Primary)),
            ("secondaryButtonClick", Some(Button::Secondary)),
            ("entityUpdate", None),
        ] {
            assert_eq!(read(json!({"kind": kind})).unwrap().button(), button);
        }
    }

    #[test]
    fn commands_serialize_as_the_frame_expects() {
        let c = Command::SetLayoutItemState(
            ItemState::new("email").properties(Input::default().errorText("Invalid")),
        );
        assert_eq!(
            c.to_json(),
            json!({"command": "setLayoutItemState", "params": {"id": "email", "properties": {"errorText": "Invalid"}}})
        );
        assert_eq!(
            Command::SetPrimaryButtonState(None).to_json(),
            json!({"command": "setPrimaryButtonState", "params": null})
        );
        assert_eq!(
            Command::SetPrimaryButtonState(Some(ButtonPatch::state(ButtonState::loading))).params(),
            json!({"state": "loading"})
        );
        assert_eq!(
            Command::Bind(Binding::ValueChange(Some("email".into()))).params(),
            json!("email")
        );
        for name in COMMANDS {
            let params = match *name {
                "setLayout" => json!({"blocks": {"a": {"type": "text", "properties": {"value": "x"}}}}),
                "setLayoutItemState" => json!({"id": "a", "visible": false}),
                _ => Value::Null,
            };
            let c = Command::from_json(name, &params).unwrap();
            assert_eq!(c.name(), *name);
            assert_eq!(Command::from_json(name, &c.params()).unwrap(), c);
        }
    }

    #[test]
    fn button_patches_use_the_table() {
        let e = Command::from_json("setPrimaryButtonState", &json!({"state": "hiden"})).unwrap_err();
        assert_eq!(
            e.message,
            "`hiden` is not a button state; allowed button states: normal, disabled, loading"
        );
        let e = Command::from_json("setPrimaryButtonState", &json!({"titel": "x"})).unwrap_err();
        assert_eq!(
            e.message,
            "unknown property `titel` of ButtonDto; did you mean `title`?"
        );
    }

    #[test]
    fn unknown_commands_get_a_suggestion() {
        let e = Command::from_json("setLayoutItemStat", &Value::Null).unwrap_err();
        assert_eq!(
            e.message,
            "unknown command `setLayoutItemStat`; did you mean `setLayoutItemState`?"
        );
    }
}
