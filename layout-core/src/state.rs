//! A mirror of what the portal shows: the layout, the buttons, lock and finish, to which
//! commands and events are applied as Bitrix24 applies them (blocks found by id at any
//! depth, properties merged shallowly), with the rules of the table checked after every
//! change. A refused command changes nothing.

use serde_json::{Map, Value};

use crate::blocks::{Blocks, ContentBlockDto};
use crate::check::check_block;
use crate::command::{Binding, Button, ButtonPatch, Command, Event};
use crate::enums::ButtonState;
use crate::layout::LayoutDto;
use crate::pointer::join;
use crate::schema::{self, block_spec, did_you_mean, Nest};
use crate::violation::Violations;
use crate::wire::FromWire;

/// Why a command or event was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StateError {
    #[error("no block has the id `{id}`{}", help.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
    UnknownId { id: String, help: Option<String> },
    #[error("the id `{id}` matches {} blocks ({}); Bitrix24 would change one of them at random: give the blocks distinct ids", pointers.len(), pointers.join(", "))]
    AmbiguousId { id: String, pointers: Vec<String> },
    #[error("{pointer}: {} has no property `{property}`; {help}", a_block(block_type))]
    UnknownProperty {
        pointer: String,
        block_type: String,
        property: String,
        help: String,
    },
    #[error("{0}")]
    Invalid(Violations),
    #[error("{pointer}: {} has no value to change", a_block(block_type))]
    NoValue { pointer: String, block_type: String },
    #[error("no layout yet: call setLayout first")]
    NoLayout,
}

/// "a `text` block", "an `input` block".
fn a_block(block_type: &str) -> String {
    let a = if block_type.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{a} `{block_type}` block")
}

/// Where a block stands: its index in each container from the layout's `blocks` down,
/// the keys of its JSON pointer, and what its container takes.
#[derive(Clone, Debug)]
struct Place {
    indices: Vec<usize>,
    keys: Vec<String>,
    nest: &'static Nest,
}

impl Place {
    fn pointer(&self) -> String {
        self.keys.iter().fold(String::new(), |p, k| join(&p, k))
    }
}

/// The mirrored state of a widget's built-in interface: the typed layout as the portal
/// shows it (checked when it was set, and on every change), lock, finish and bindings.
#[derive(Clone, Debug, Default)]
pub struct WidgetState {
    layout: Option<LayoutDto>,
    pub locked: bool,
    pub finished: bool,
    pub bindings: Vec<Binding>,
}

/// The indices of every block `id` in `blocks` (held by `nest`), depth first, with the
/// container each stands in. Only indices are kept while walking: the keys of a place are
/// read once it is found.
fn places_of(
    blocks: &Blocks,
    nest: &'static Nest,
    id: &str,
    at: &mut Vec<usize>,
    out: &mut Vec<(Vec<usize>, &'static Nest)>,
) {
    for (i, (key, block)) in blocks.iter().enumerate() {
        at.push(i);
        if key == id {
            out.push((at.clone(), nest));
        }
        // withTitle's block has no id of its own: nothing to find it by
        if let Some((_, inner, children)) = block.block.children() {
            places_of(children, inner, id, at, out);
        }
        at.pop();
    }
}

/// The place of the block at `indices`: its pointer's keys read from the layout.
fn place_at(top: &Blocks, indices: Vec<usize>, nest: &'static Nest) -> Place {
    let mut keys = vec!["blocks".to_owned()];
    let mut blocks = top;
    for (depth, i) in indices.iter().enumerate() {
        let Some((key, block)) = blocks.get_index(*i) else {
            break;
        };
        keys.push(key.clone());
        if depth + 1 < indices.len() {
            if let Some((field, _, children)) = block.block.children() {
                keys.extend(["properties".to_owned(), field.to_owned()]);
                blocks = children;
            }
        }
    }
    Place { indices, keys, nest }
}

/// Every block id, depth first (for "did you mean").
fn all_ids<'a>(blocks: &'a Blocks, out: &mut Vec<&'a str>) {
    for (key, block) in blocks {
        out.push(key);
        if let Some((_, _, children)) = block.block.children() {
            all_ids(children, out);
        }
    }
}

fn block_at<'a>(layout: &'a mut LayoutDto, indices: &[usize]) -> Option<&'a mut ContentBlockDto> {
    let (first, rest) = indices.split_first()?;
    let mut block = layout.blocks.as_mut()?.get_index_mut(*first)?.1;
    for i in rest {
        block = block.block.children_mut()?.2.get_index_mut(*i)?.1;
    }
    Some(block)
}

/// The block with `properties` merged into its own (and `visible`, when given), read back
/// into the model; `check` runs the table's rules for its place first.
fn merged(
    block: &ContentBlockDto,
    visible: Option<bool>,
    properties: &mut dyn Iterator<Item = (&str, &Value)>,
    place: &Place,
    check: bool,
) -> Result<ContentBlockDto, StateError> {
    let mut object = Map::new();
    object.insert("type".into(), Value::from(block.type_name()));
    if let Some(v) = visible.or(block.visible) {
        object.insert("visible".into(), Value::Bool(v));
    }
    let mut props = block.block.properties_json();
    for (k, v) in properties {
        props.insert(k.to_owned(), v.clone());
    }
    object.insert("properties".into(), Value::Object(props));
    let value = Value::Object(object);
    if check {
        let report = check_block(&value, &place.keys, place.nest);
        if !report.violations.is_empty() {
            return Err(StateError::Invalid(Violations(report.violations)));
        }
    }
    let read = ContentBlockDto::from_wire(&value, &crate::pointer::Ptr::Root).map(|mut b| {
        b.block.compact();
        b
    });
    read.map_err(|mut v| {
        // read at the root: its pointer is put under the block's place
        v.pointer = format!("{}{}", place.pointer(), v.pointer);
        StateError::Invalid(Violations(vec![v]))
    })
}

impl WidgetState {
    /// A state showing `layout` (a copy of it, checked).
    pub fn new(layout: &LayoutDto) -> Result<Self, StateError> {
        Self::open(layout.clone()).map_err(StateError::Invalid)
    }

    /// A state showing `layout`, checked once here: what a frame is opened with.
    pub fn open(mut layout: LayoutDto) -> Result<Self, Violations> {
        layout.validate()?;
        layout.compact();
        Ok(WidgetState {
            layout: Some(layout),
            ..WidgetState::default()
        })
    }

    /// The layout as the portal shows it now (buttons included; a hidden one left out).
    pub fn layout(&self) -> Option<LayoutDto> {
        self.layout.clone()
    }

    /// [`layout`](Self::layout), without a copy.
    pub fn layout_ref(&self) -> Option<&LayoutDto> {
        self.layout.as_ref()
    }

    /// The layout as JSON.
    pub fn layout_json(&self) -> Option<Value> {
        self.layout.as_ref().map(LayoutDto::to_value)
    }

    /// The one block `id` names, at any depth.
    fn place(&self, id: &str) -> Result<Place, StateError> {
        let layout = self.layout.as_ref().ok_or(StateError::NoLayout)?;
        let mut found = Vec::new();
        let (_, nest, blocks) = layout.held_blocks().ok_or(StateError::NoLayout)?;
        places_of(blocks, nest, id, &mut Vec::new(), &mut found);
        match found.len() {
            1 => {
                let (indices, nest) = found.remove(0);
                Ok(place_at(blocks, indices, nest))
            }
            0 => {
                let mut ids = Vec::new();
                all_ids(blocks, &mut ids);
                Err(StateError::UnknownId {
                    id: id.to_owned(),
                    help: did_you_mean(id, ids),
                })
            }
            _ => Err(StateError::AmbiguousId {
                id: id.to_owned(),
                pointers: found
                    .into_iter()
                    .map(|(indices, nest)| place_at(blocks, indices, nest).pointer())
                    .collect(),
            }),
        }
    }

    /// Applies a command as the portal would, or refuses it and changes nothing.
    pub fn apply(&mut self, command: &Command) -> Result<(), StateError> {
        match command {
            Command::SetLayout(layout) => {
                layout.validate().map_err(StateError::Invalid)?;
                let mut layout = (**layout).clone();
                layout.compact();
                self.layout = Some(layout);
            }
            Command::SetLayoutItemState(item) => {
                let place = self.place(&item.id)?;
                let layout = self.layout.as_mut().ok_or(StateError::NoLayout)?;
                let block = block_at(layout, &place.indices).ok_or(StateError::NoLayout)?;
                let ty = block.type_name();
                let spec = block_spec(ty).ok_or(StateError::NoLayout)?;
                for k in item.properties.iter().flatten().map(|(k, _)| k) {
                    if spec.field(k).is_none() {
                        return Err(StateError::UnknownProperty {
                            pointer: place.pointer(),
                            block_type: ty.to_owned(),
                            property: k.clone(),
                            help: did_you_mean(k, spec.field_names())
                                .unwrap_or_else(|| format!("it has: {}", schema::list(spec.field_names()))),
                        });
                    }
                }
                let mut properties = item.properties.iter().flatten().map(|(k, v)| (k.as_str(), v));
                // the block is changed whole or not at all
                *block = merged(block, item.visible, &mut properties, &place, true)?;
            }
            Command::SetPrimaryButtonState(patch) => self.button(Button::Primary, patch.as_ref())?,
            Command::SetSecondaryButtonState(patch) => self.button(Button::Secondary, patch.as_ref())?,
            Command::Lock => self.locked = true,
            Command::Unlock => self.locked = false,
            Command::Finish => self.finished = true,
            Command::Bind(binding) => {
                if !self.bindings.contains(binding) {
                    self.bindings.push(binding.clone());
                }
            }
        }
        Ok(())
    }

    fn button(&mut self, which: Button, patch: Option<&ButtonPatch>) -> Result<(), StateError> {
        let layout = self.layout.as_mut().ok_or(StateError::NoLayout)?;
        let slot = match which {
            Button::Primary => &mut layout.primaryButton,
            Button::Secondary => &mut layout.secondaryButton,
        };
        let Some(patch) = patch else {
            *slot = None;
            return Ok(());
        };
        let mut button = slot.clone().unwrap_or_default();
        if let Some(title) = &patch.title {
            button = button.title(title.clone());
        }
        if let Some(state) = patch.state {
            button = button.state(state);
        }
        let report = crate::check::check_member(&button as &crate::typed::Typed, which.key());
        if !report.violations.is_empty() {
            return Err(StateError::Invalid(Violations(report.violations)));
        }
        *slot = Some(button);
        Ok(())
    }

    /// Applies what an event changes in the portal (a value change updates the mirrored
    /// value); clicks and entity updates change nothing here.
    pub fn on_event(&mut self, event: &Event) -> Result<(), StateError> {
        let Event::ValueChange { id, value } = event else {
            return Ok(());
        };
        let place = self.place(id)?;
        let layout = self.layout.as_mut().ok_or(StateError::NoLayout)?;
        let block = block_at(layout, &place.indices).ok_or(StateError::NoLayout)?;
        let key = match block.type_name() {
            "input" | "textarea" => "value",
            "select" | "dropdownMenu" => "selectedValue",
            ty => {
                return Err(StateError::NoValue {
                    pointer: place.pointer(),
                    block_type: ty.to_owned(),
                })
            }
        };
        let value = Value::String(value.clone());
        // what the user typed or picked is what the portal shows: not checked again
        *block = merged(block, None, &mut std::iter::once((key, &value)), &place, false)?;
        Ok(())
    }

    /// A button's state as shown: `None` when the button is hidden, `normal` when shown
    /// without a state.
    pub fn button_state(&self, button: Button) -> Option<ButtonState> {
        let layout = self.layout.as_ref()?;
        let shown = match button {
            Button::Primary => layout.primaryButton.as_ref(),
            Button::Secondary => layout.secondaryButton.as_ref(),
        }?;
        Some(shown.state.unwrap_or(ButtonState::normal))
    }

    /// Whether a button takes no click now: the one place this is decided (the server's
    /// gate records it, the bridge is told). A click is dropped while the widget is locked
    /// or finished, or on a button that is hidden, disabled or loading.
    pub fn busy(&self, button: Button) -> bool {
        self.refuses(button).is_some()
    }

    fn refuses(&self, button: Button) -> Option<&'static str> {
        if self.finished {
            Some("the widget is finished")
        } else if self.locked {
            Some("the widget is locked")
        } else {
            match self.button_state(button) {
                None => Some("the button is hidden"),
                Some(ButtonState::disabled) => Some("the button is disabled"),
                Some(ButtonState::loading) => Some("the button is loading"),
                Some(_) => None,
            }
        }
    }

    /// Why the portal would drop `event` now, if it would: a click on a [`busy`](Self::busy)
    /// button (the portal never sends those); after `finish`, nothing.
    pub fn drops(&self, event: &Event) -> Option<&'static str> {
        match event.button() {
            Some(button) => self.refuses(button),
            None if self.finished => Some("the widget is finished"),
            None => None,
        }
    }

    /// The current value of an input, textarea, select or dropdownMenu.
    pub fn value_of(&self, id: &str) -> Option<String> {
        let place = self.place(id).ok()?;
        let mut blocks = self.layout.as_ref()?.blocks.as_ref()?;
        let mut block = None;
        for i in &place.indices {
            let found = blocks.get_index(*i)?.1;
            block = Some(found);
            if let Some((_, _, children)) = found.block.children() {
                blocks = children;
            }
        }
        let props = block?.block.properties_json();
        props
            .get("value")
            .or_else(|| props.get("selectedValue"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}
