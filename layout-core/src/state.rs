//! A mirror of what the portal shows: the layout, the buttons, lock and finish, to which
//! commands and events are applied as Bitrix24 applies them (blocks found by id at any
//! depth, properties merged shallowly), with the rules of the table checked after every
//! change. A refused command changes nothing.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::check::check_block;
use crate::command::{Binding, ButtonPatch, Command, Event};
use crate::layout::LayoutDto;
use crate::pointer::join;
use crate::schema::{self, block_spec, did_you_mean, Kind, Nest};
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

/// Where a block stands: the keys from the root to it, and what its container takes.
#[derive(Clone, Debug)]
struct Place {
    path: Vec<String>,
    nest: &'static Nest,
}

impl Place {
    fn pointer(&self) -> String {
        self.path.iter().fold(String::new(), |p, k| join(&p, k))
    }
}

/// The mirrored state of a widget's built-in interface.
#[derive(Clone, Debug, Default)]
pub struct WidgetState {
    root: Option<Map<String, Value>>,
    index: HashMap<String, Vec<Place>>,
    pub locked: bool,
    pub finished: bool,
    pub bindings: Vec<Binding>,
}

fn index_blocks(
    blocks: &Map<String, Value>,
    path: &mut Vec<String>,
    nest: &'static Nest,
    out: &mut HashMap<String, Vec<Place>>,
) {
    for (id, block) in blocks {
        path.push(id.clone());
        out.entry(id.clone()).or_default().push(Place {
            path: path.clone(),
            nest,
        });
        let ty = block.get("type").and_then(Value::as_str).unwrap_or_default();
        if let (Some(spec), Some(Value::Object(props))) = (block_spec(ty), block.get("properties")) {
            for field in spec.fields {
                // withTitle's block has no id of its own: nothing to find it by
                if let (Kind::Blocks(inner), Some(Value::Object(children))) =
                    (field.kind, props.get(field.name))
                {
                    path.extend(["properties".to_owned(), field.name.to_owned()]);
                    index_blocks(children, path, inner, out);
                    path.truncate(path.len() - 2);
                }
            }
        }
        path.pop();
    }
}

fn block_at<'a>(root: &'a mut Map<String, Value>, path: &[String]) -> Option<&'a mut Value> {
    let (first, rest) = path.split_first()?;
    let mut node = root.get_mut(first)?;
    for key in rest {
        node = node.get_mut(key)?;
    }
    Some(node)
}

/// The one block `id` names.
fn find<'a>(index: &'a HashMap<String, Vec<Place>>, id: &str) -> Result<&'a Place, StateError> {
    match index.get(id).map(Vec::as_slice) {
        Some([place]) => Ok(place),
        Some(places) if places.len() > 1 => Err(StateError::AmbiguousId {
            id: id.to_owned(),
            pointers: places.iter().map(Place::pointer).collect(),
        }),
        _ => Err(StateError::UnknownId {
            id: id.to_owned(),
            help: did_you_mean(id, index.keys().map(String::as_str)),
        }),
    }
}

impl WidgetState {
    /// A state showing `layout`.
    pub fn new(layout: &LayoutDto) -> Result<Self, StateError> {
        let mut state = WidgetState::default();
        state.apply(&Command::SetLayout(Box::new(layout.clone())))?;
        Ok(state)
    }

    /// The layout as the portal shows it now (buttons included; a hidden one left out).
    pub fn layout(&self) -> Option<LayoutDto> {
        let root = Value::Object(self.root.clone()?);
        LayoutDto::from_wire(&root, &crate::pointer::Ptr::Root).ok()
    }

    /// The layout as JSON.
    pub fn layout_json(&self) -> Option<Value> {
        self.root.clone().map(Value::Object)
    }

    fn reindex(&mut self) {
        self.index.clear();
        if let Some(Value::Object(blocks)) = self.root.as_ref().and_then(|r| r.get("blocks")) {
            index_blocks(
                blocks,
                &mut vec!["blocks".to_owned()],
                &schema::TOP_LEVEL,
                &mut self.index,
            );
        }
    }

    fn place(&self, id: &str) -> Result<&Place, StateError> {
        find(&self.index, id)
    }

    /// Applies a command as the portal would, or refuses it and changes nothing.
    pub fn apply(&mut self, command: &Command) -> Result<(), StateError> {
        match command {
            Command::SetLayout(layout) => {
                let value = layout.to_value();
                crate::json::check_value(&value).map_err(StateError::Invalid)?;
                let Value::Object(root) = value else {
                    unreachable!("a LayoutDto is an object")
                };
                self.root = Some(root);
                self.reindex();
            }
            Command::SetLayoutItemState(item) => {
                let place = find(&self.index, &item.id)?;
                let root = self.root.as_mut().ok_or(StateError::NoLayout)?;
                let block = block_at(root, &place.path).ok_or(StateError::NoLayout)?;
                let ty = block.get("type").and_then(Value::as_str).unwrap_or_default();
                let spec = block_spec(ty).ok_or(StateError::NoLayout)?;
                let properties = item.properties.iter().flatten();
                let mut reindex = false;
                for (k, _) in properties.clone() {
                    let Some(field) = spec.field(k) else {
                        return Err(StateError::UnknownProperty {
                            pointer: place.pointer(),
                            block_type: ty.to_owned(),
                            property: k.clone(),
                            help: did_you_mean(k, spec.field_names())
                                .unwrap_or_else(|| format!("it has: {}", schema::list(spec.field_names()))),
                        });
                    };
                    reindex |= matches!(field.kind, Kind::Blocks(_));
                }
                // change in place, keeping what is needed to undo: cheaper than a copy
                let object = block.as_object_mut().ok_or(StateError::NoLayout)?;
                let old_visible = item
                    .visible
                    .map(|v| object.insert("visible".into(), Value::Bool(v)));
                let mut old_props = Vec::new();
                if let Some(Value::Object(props)) = object.get_mut("properties") {
                    for (k, v) in properties {
                        old_props.push((k.as_str(), props.insert(k.clone(), v.clone())));
                    }
                }
                let report = check_block(&*block, &place.path, place.nest);
                if !report.violations.is_empty() {
                    let block = block.as_object_mut().ok_or(StateError::NoLayout)?;
                    if let Some(Value::Object(props)) = block.get_mut("properties") {
                        for (k, old) in old_props.into_iter().rev() {
                            match old {
                                Some(old) => props.insert(k.to_owned(), old),
                                None => props.shift_remove(k),
                            };
                        }
                    }
                    match old_visible {
                        Some(Some(old)) => {
                            block.insert("visible".into(), old);
                        }
                        Some(None) => {
                            block.shift_remove("visible");
                        }
                        None => {}
                    }
                    return Err(StateError::Invalid(Violations(report.violations)));
                }
                if reindex {
                    self.reindex();
                }
            }
            Command::SetPrimaryButtonState(patch) => self.button("primaryButton", patch.as_ref())?,
            Command::SetSecondaryButtonState(patch) => self.button("secondaryButton", patch.as_ref())?,
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

    fn button(&mut self, key: &str, patch: Option<&ButtonPatch>) -> Result<(), StateError> {
        let root = self.root.as_mut().ok_or(StateError::NoLayout)?;
        let Some(patch) = patch else {
            root.shift_remove(key);
            return Ok(());
        };
        let mut button = match root.get(key) {
            Some(Value::Object(b)) => b.clone(),
            _ => Map::new(),
        };
        if let Some(title) = &patch.title {
            button.insert("title".into(), title.clone().into());
        }
        if let Some(state) = patch.state {
            button.insert("state".into(), state.as_str().into());
        }
        let button = Value::Object(button);
        let report = crate::check::check_member(&button, key);
        if !report.violations.is_empty() {
            return Err(StateError::Invalid(Violations(report.violations)));
        }
        root.insert(key.to_owned(), button);
        Ok(())
    }

    /// Applies what an event changes in the portal (a value change updates the mirrored
    /// value); clicks and entity updates change nothing here.
    pub fn on_event(&mut self, event: &Event) -> Result<(), StateError> {
        let Event::ValueChange { id, value } = event else {
            return Ok(());
        };
        let place = self.place(id)?.clone();
        let root = self.root.as_mut().ok_or(StateError::NoLayout)?;
        let block = block_at(root, &place.path).ok_or(StateError::NoLayout)?;
        let ty = block
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let key = match ty.as_str() {
            "input" | "textarea" => "value",
            "select" | "dropdownMenu" => "selectedValue",
            _ => {
                return Err(StateError::NoValue {
                    pointer: place.pointer(),
                    block_type: ty,
                })
            }
        };
        if let Some(props) = block.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert(key.into(), Value::String(value.clone()));
        }
        Ok(())
    }

    /// A button's state as shown: `None` when the button is hidden, `normal` when shown
    /// without a state.
    pub fn button_state(&self, primary: bool) -> Option<&str> {
        let key = if primary {
            "primaryButton"
        } else {
            "secondaryButton"
        };
        let button = self.root.as_ref()?.get(key)?;
        Some(button.get("state").and_then(Value::as_str).unwrap_or("normal"))
    }

    /// Whether a button shows that it takes no click now: locked widget, finished
    /// widget, or a button that is disabled or loading.
    pub fn busy(&self, primary: bool) -> bool {
        self.locked
            || self.finished
            || matches!(self.button_state(primary), Some("disabled" | "loading") | None)
    }

    /// Why the portal would drop `event` now, if it would: a click while the widget is
    /// locked or finished, or on a button that is hidden, disabled or loading (the portal
    /// never sends those); after `finish`, nothing.
    pub fn drops(&self, event: &Event) -> Option<&'static str> {
        let primary = match event {
            Event::PrimaryButtonClick => true,
            Event::SecondaryButtonClick => false,
            _ if self.finished => return Some("the widget is finished"),
            _ => return None,
        };
        if self.finished {
            Some("the widget is finished")
        } else if self.locked {
            Some("the widget is locked")
        } else {
            match self.button_state(primary) {
                None => Some("the button is hidden"),
                Some("disabled") => Some("the button is disabled"),
                Some("loading") => Some("the button is loading"),
                Some(_) => None,
            }
        }
    }

    /// The current value of an input, textarea, select or dropdownMenu.
    pub fn value_of(&self, id: &str) -> Option<String> {
        let place = self.place(id).ok()?;
        let mut node = self.root.as_ref()?.get(place.path.first()?)?;
        for key in &place.path[1..] {
            node = node.get(key)?;
        }
        let props = node.get("properties")?;
        props
            .get("value")
            .or_else(|| props.get("selectedValue"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}
