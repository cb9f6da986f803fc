//! A mirror of what the portal shows: the layout, the buttons, lock and finish, to which
//! commands and events are applied as Bitrix24 applies them (blocks found by id at any
//! depth, properties merged shallowly), with the rules of the table checked after every
//! change. A refused command changes nothing.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::blocks::{Block, Blocks, ContentBlockDto};
use crate::check::check_block;
use crate::command::{Binding, Button, ButtonPatch, Command, Event};
use crate::enums::ButtonState;
use crate::layout::LayoutDto;
use crate::pointer::join;
use crate::schema::{self, block_spec, did_you_mean, Nest};
use crate::violation::Violations;

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
/// and what its container takes. The keys of its JSON pointer are read from the layout
/// when a message needs them.
#[derive(Clone, Debug)]
struct Place {
    indices: Vec<usize>,
    nest: &'static Nest,
}

impl Place {
    /// The keys of the block's JSON pointer, read from the layout's `blocks`.
    fn keys(&self, top: &Blocks) -> Vec<String> {
        let mut keys = vec!["blocks".to_owned()];
        let mut blocks = top;
        for (depth, i) in self.indices.iter().enumerate() {
            let Some((key, block)) = blocks.get_index(*i) else {
                break;
            };
            keys.push(key.clone());
            if depth + 1 < self.indices.len() {
                if let Some((field, _, children)) = block.block.children() {
                    keys.extend(["properties".to_owned(), field.to_owned()]);
                    blocks = children;
                }
            }
        }
        keys
    }

    fn pointer(&self, top: &Blocks) -> String {
        self.keys(top).iter().fold(String::new(), |p, k| join(&p, k))
    }
}

/// The mirrored state of a widget's built-in interface: the typed layout as the portal
/// shows it (checked when it was set, and on every change), lock, finish and bindings.
#[derive(Clone, Debug, Default)]
pub struct WidgetState {
    layout: Option<LayoutDto>,
    /// Where each id stands, for a layout of more than [`INDEXED_FROM`] blocks (a small
    /// layout is walked: a frame keeps no index it does not need).
    index: Option<Box<Index>>,
    pub locked: bool,
    pub finished: bool,
    pub bindings: Vec<Binding>,
}

/// The block ids of a large layout and where each stands (its indices, its container).
type Index = HashMap<String, Vec<(Vec<usize>, &'static Nest)>>;

/// From how many blocks a layout is indexed by id.
pub const INDEXED_FROM: usize = 64;

/// Every block of `blocks` by id (all of them, for the index).
fn index_all(blocks: &Blocks, nest: &'static Nest, at: &mut Vec<usize>, out: &mut Index) {
    for (i, (key, block)) in blocks.iter().enumerate() {
        at.push(i);
        out.entry(key.clone()).or_default().push((at.clone(), nest));
        if let Some((_, inner, children)) = block.block.children() {
            index_all(children, inner, at, out);
        }
        at.pop();
    }
}

/// How many blocks `blocks` holds, at any depth, counting up to `limit`.
fn count_blocks(blocks: &Blocks, limit: usize) -> usize {
    let mut n = 0;
    for block in blocks.values() {
        n += 1;
        if n > limit {
            break;
        }
        if let Some((_, _, children)) = block.block.children() {
            n += count_blocks(children, limit - n);
        }
    }
    n
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

/// Every block id, depth first (for "did you mean").
fn all_ids<'a>(blocks: &'a Blocks, out: &mut Vec<&'a str>) {
    for (key, block) in blocks {
        out.push(key);
        if let Some((_, _, children)) = block.block.children() {
            all_ids(children, out);
        }
    }
}

/// The layout's top-level blocks.
fn top(layout: &LayoutDto) -> Result<&Blocks, StateError> {
    layout.blocks.as_ref().ok_or(StateError::NoLayout)
}

fn block_at<'a>(layout: &'a mut LayoutDto, indices: &[usize]) -> Option<&'a mut ContentBlockDto> {
    let (first, rest) = indices.split_first()?;
    let mut block = layout.blocks.as_mut()?.get_index_mut(*first)?.1;
    for i in rest {
        block = block.block.children_mut()?.2.get_index_mut(*i)?.1;
    }
    Some(block)
}

/// Why a changed block was not taken: its JSON, for the explaining checker, or why it
/// could not be read.
enum Refused {
    /// The quick verdict said no: the block's JSON for the explaining checker, and the
    /// block as it was read (the checker has the last word).
    Check(Value, Result<Box<ContentBlockDto>, crate::violation::Violation>),
    Read(crate::violation::Violation),
}

/// The block with `properties` merged into its own (and `visible`, when given), read back
/// into the model; with `check`, it must keep the table's rules where it stands (`nest`):
/// the quick verdict first, the explaining checker only when it says no.
fn merged(
    block: &ContentBlockDto,
    visible: Option<bool>,
    properties: &mut dyn Iterator<Item = (&str, &Value)>,
    nest: &'static Nest,
    check: bool,
) -> Result<ContentBlockDto, Box<Refused>> {
    let mut props = block.block.properties_json();
    for (k, v) in properties {
        props.insert(k.to_owned(), v.clone());
    }
    let props = Value::Object(props);
    let read = Block::from_properties(
        block.type_name(),
        &props,
        &crate::pointer::Ptr::Root.key("properties"),
    );
    let envelope = |props: Value| {
        let mut object = Map::new();
        object.insert("type".into(), Value::from(block.type_name()));
        if let Some(v) = visible.or(block.visible) {
            object.insert("visible".into(), Value::Bool(v));
        }
        object.insert("properties".into(), props);
        Value::Object(object)
    };
    match read {
        Some(Ok(read)) => {
            let mut new = ContentBlockDto {
                visible: block.visible,
                block: read,
                _order: block._order,
            };
            if let Some(v) = visible {
                new = new.visible(v);
            }
            new.block.compact();
            if check && !new.fast_ok_in(nest) {
                return Err(Box::new(Refused::Check(envelope(props), Ok(Box::new(new)))));
            }
            Ok(new)
        }
        Some(Err(v)) if check => Err(Box::new(Refused::Check(envelope(props), Err(v)))),
        Some(Err(v)) => Err(Box::new(Refused::Read(v))),
        // a block's type is one of the table's: it was read from it
        None => Err(Box::new(Refused::Read(crate::violation::Violation::new(
            "/type",
            crate::violation::Rule::UnknownBlockType,
            format!("`{}` is no block type", block.type_name()),
        )))),
    }
}

/// What a refused change breaks, each with its pointer (under the block's place); or the
/// changed block, when the explaining checker finds that it breaks nothing after all.
fn explain(refused: Refused, place: &Place, top: &Blocks) -> Result<ContentBlockDto, StateError> {
    let under_place = |mut v: crate::violation::Violation| {
        v.pointer = format!("{}{}", place.pointer(top), v.pointer);
        StateError::Invalid(Violations(vec![v]))
    };
    match refused {
        Refused::Check(value, read) => {
            let report = check_block(&value, &place.keys(top), place.nest);
            if !report.violations.is_empty() {
                return Err(StateError::Invalid(Violations(report.violations)));
            }
            read.map(|b| *b).map_err(under_place)
        }
        Refused::Read(v) => Err(under_place(v)),
    }
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
        let mut state = WidgetState {
            layout: Some(layout),
            ..WidgetState::default()
        };
        state.reindex();
        Ok(state)
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

    /// Indexes a large layout's ids (drops the index of a small one).
    fn reindex(&mut self) {
        self.index = None;
        let Some((_, nest, blocks)) = self.layout.as_ref().and_then(LayoutDto::held_blocks) else {
            return;
        };
        if count_blocks(blocks, INDEXED_FROM) > INDEXED_FROM {
            let mut index = Index::new();
            index_all(blocks, nest, &mut Vec::new(), &mut index);
            self.index = Some(Box::new(index));
        }
    }

    /// The one block `id` names, at any depth.
    fn place(&self, id: &str) -> Result<Place, StateError> {
        let layout = self.layout.as_ref().ok_or(StateError::NoLayout)?;
        let mut found = Vec::new();
        let (_, nest, blocks) = layout.held_blocks().ok_or(StateError::NoLayout)?;
        match &self.index {
            Some(index) => found.extend(index.get(id).into_iter().flatten().cloned()),
            None => places_of(blocks, nest, id, &mut Vec::new(), &mut found),
        }
        match found.len() {
            1 => {
                let (indices, nest) = found.remove(0);
                Ok(Place { indices, nest })
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
                    .map(|(indices, nest)| Place { indices, nest }.pointer(blocks))
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
                self.reindex();
            }
            Command::SetLayoutItemState(item) => {
                let place = self.place(&item.id)?;
                let layout = self.layout.as_mut().ok_or(StateError::NoLayout)?;
                let block = block_at(layout, &place.indices).ok_or(StateError::NoLayout)?;
                let ty = block.type_name();
                let spec = block_spec(ty).ok_or(StateError::NoLayout)?;
                let mut reindex = false;
                let mut unknown = None;
                for k in item.properties.iter().flatten().map(|(k, _)| k) {
                    match spec.field(k) {
                        Some(f) => {
                            reindex |= matches!(f.kind, schema::Kind::Blocks(_) | schema::Kind::Block(_))
                        }
                        None => {
                            unknown = Some(k);
                            break;
                        }
                    }
                }
                let mut properties = item.properties.iter().flatten().map(|(k, v)| (k.as_str(), v));
                // the block is changed whole or not at all
                let changed = match unknown {
                    Some(_) => None,
                    None => Some(merged(block, item.visible, &mut properties, place.nest, true)),
                };
                match changed {
                    Some(Ok(new)) => *block = new,
                    Some(Err(refused)) => {
                        let new = explain(*refused, &place, top(layout)?)?;
                        *block_at(layout, &place.indices).ok_or(StateError::NoLayout)? = new;
                    }
                    None => {
                        let k = unknown.map(String::as_str).unwrap_or_default();
                        return Err(StateError::UnknownProperty {
                            pointer: place.pointer(top(layout)?),
                            block_type: ty.to_owned(),
                            property: k.to_owned(),
                            help: did_you_mean(k, spec.field_names())
                                .unwrap_or_else(|| format!("it has: {}", schema::list(spec.field_names()))),
                        });
                    }
                }
                if reindex {
                    self.reindex();
                }
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
            "input" | "textarea" => Some("value"),
            "select" | "dropdownMenu" => Some("selectedValue"),
            _ => None,
        };
        let ty = block.type_name();
        let value = Value::String(value.clone());
        // what the user typed or picked is what the portal shows: not checked again
        let changed = key.map(|key| {
            merged(
                block,
                None,
                &mut std::iter::once((key, &value)),
                place.nest,
                false,
            )
        });
        match changed {
            Some(Ok(new)) => {
                *block = new;
                Ok(())
            }
            Some(Err(refused)) => {
                let new = explain(*refused, &place, top(layout)?)?;
                *block_at(layout, &place.indices).ok_or(StateError::NoLayout)? = new;
                Ok(())
            }
            None => Err(StateError::NoValue {
                pointer: place.pointer(top(layout)?),
                block_type: ty.to_owned(),
            }),
        }
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
