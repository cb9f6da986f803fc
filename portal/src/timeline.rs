//! The timeline's own records on the stand-in: configurable activities
//! (`crm.activity.configurable.*`), content-block sets on activities and timeline
//! records (`crm.activity.layout.blocks.*`, `crm.timeline.layout.blocks.*`) and badges
//! (`crm.activity.badge.*`). Layouts are checked by the same rule table as the app's
//! (`layout_core`), and refused with the codes the docs give; what is kept is drawn in
//! the card's timeline ([`crate::timeline_ui`]).

use std::collections::BTreeMap;

use b24_placement::event::{Action, EventName, Object};
use indexmap::IndexMap;
use layout_core::timeline::{LayoutDto, RestAppLayoutDto};
use layout_core::{Rule, Violations};
use serde_json::{json, Map, Value};

use crate::events::Change;
use crate::failure::Failure;
use crate::oauth::Caller;
use crate::params::as_id;
use crate::portal::Portal;

/// The languages installed on the stand-in: a translation into any other is `WRONG_LANG`.
pub const INSTALLED_LANGUAGES: &[&str] = &["en", "de", "ru"];

/// A configurable activity.
#[derive(Clone, Debug)]
pub struct Configurable {
    pub id: u64,
    pub owner_type_id: u64,
    pub owner_id: u64,
    /// `fields` as `get` gives them back (booleans as booleans).
    pub fields: Map<String, Value>,
    pub layout: Value,
    /// What a `restEvent` click blocked, until the app updates the activity: the whole
    /// record (`loader`), or the clicked footer buttons (`disable`), by their pointers.
    pub blocked: Option<Blocked>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocked {
    Record,
    Buttons(Vec<String>),
}

/// Where a content-block set stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Activity(u64),
    Timeline(u64),
}

/// The timeline's records.
#[derive(Default)]
pub struct Records {
    pub activities: BTreeMap<u64, Configurable>,
    /// The app's set on each record (one app: a new `set` replaces it).
    pub sets: BTreeMap<Target, Value>,
    pub badges: IndexMap<String, Value>,
}

const APP_ONLY: &str = "Method call is only possible in the context of a REST application";

/// The methods this module answers.
pub(crate) fn handles(method: &str) -> bool {
    method == "crm.activity.delete"
        || method.starts_with("crm.activity.configurable.")
        || method.starts_with("crm.activity.layout.blocks.")
        || method.starts_with("crm.timeline.layout.blocks.")
        || method.starts_with("crm.activity.badge.")
}

/// The docs' code for a broken rule of a layout.
fn code_of(rule: Rule) -> &'static str {
    match rule {
        Rule::MissingRequired | Rule::TooFewBlocks => "FIELD_IS_REQUIRED",
        Rule::UnknownProperty | Rule::RedirectValue => "FIELD_IS_REDUNDANT",
        Rule::InvalidValue => "ENUM_FIELD",
        Rule::TooManyItems | Rule::TooManyBlocks => "TOO_MANY_ITEMS",
        Rule::KeyWrongSymbols => "KEY_CONTAIN_WRONG_SYMBOLS",
        Rule::WrongLanguage => "WRONG_LANG",
        _ => "WRONG_FIELD_VALUE",
    }
}

/// The refusal for the first broken rule (Bitrix24 names one code), the layout's pointer
/// in the description.
fn refusal(violations: &Violations) -> Failure {
    let first = &violations.0[0];
    Failure::bad(
        code_of(first.rule),
        &format!("layout{}: {}", first.pointer, first.message),
    )
}

/// Translations into a language the portal does not have, anywhere in `layout`.
fn foreign_language(layout: &Value, ptr: &str) -> Option<String> {
    match layout {
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let at = format!("{ptr}/{k}");
            let is_text = matches!(k.as_str(), "title" | "value" | "text");
            match v {
                Value::Object(langs)
                    if is_text && langs.values().all(Value::is_string) && !langs.is_empty() =>
                {
                    langs
                        .keys()
                        .find(|l| !INSTALLED_LANGUAGES.contains(&l.as_str()))
                        .map(|l| format!("layout{at}/{l}: the portal has no language `{l}`"))
                }
                _ => foreign_language(v, &at),
            }
        }),
        _ => None,
    }
}

fn check_activity_layout(layout: Option<&Value>) -> Result<Value, Failure> {
    let layout = match layout {
        None | Some(Value::Null) => return Err(Failure::bad("ERROR_EMPTY_LAYOUT", "Layout must be filled")),
        Some(Value::Array(a)) if a.is_empty() => {
            return Err(Failure::bad("ERROR_EMPTY_LAYOUT", "Layout must be filled"))
        }
        Some(l) => l,
    };
    LayoutDto::from_value(layout).map_err(|v| refusal(&v))?;
    if let Some(m) = foreign_language(layout, "") {
        return Err(Failure::bad("WRONG_LANG", &m));
    }
    Ok(layout.clone())
}

fn check_set_layout(layout: Option<&Value>) -> Result<Value, Failure> {
    let Some(layout) = layout.filter(|l| l.get("blocks").is_some()) else {
        return Err(Failure::bad(
            "FIELD_IS_REQUIRED",
            "layout.blocks: the field is required",
        ));
    };
    RestAppLayoutDto::from_value(layout).map_err(|v| refusal(&v))?;
    if let Some(m) = foreign_language(layout, "") {
        return Err(Failure::bad("WRONG_LANG", &m));
    }
    Ok(layout.clone())
}

/// `Y`/`N`, `1`/`0`, `true`/`false` as a boolean.
fn flag(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(n.as_i64() != Some(0)),
        Value::String(s) => match s.as_str() {
            "Y" | "1" | "true" => Some(true),
            "N" | "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

impl Portal {
    /// Runs a method of the timeline's records; the caller checked [`handles`].
    pub(crate) fn timeline_method(
        &self,
        caller: Caller,
        method: &str,
        p: &Map<String, Value>,
    ) -> Result<Value, Failure> {
        let badge = method.starts_with("crm.activity.badge.");
        if caller == Caller::Webhook && !badge && method != "crm.activity.delete" {
            return Err(Failure::bad("ERROR_WRONG_CONTEXT", APP_ONLY));
        }
        let (answer, changes) = {
            let mut inner = self.lock();
            let inner = &mut *inner;
            let answer = match method {
                "crm.activity.delete" => activity_delete(inner, p),
                "crm.activity.configurable.add" => configurable_add(inner, p),
                "crm.activity.configurable.update" => configurable_update(inner, p),
                "crm.activity.configurable.get" => configurable_get(inner, p),
                "crm.activity.badge.add" => badge_add(inner, p),
                "crm.activity.badge.get" => text(p, "code")
                    .and_then(|c| inner.timeline.badges.get(&c).cloned())
                    .map(|b| json!({"badge": b}))
                    .ok_or_else(|| Failure::bad("NOT_FOUND", "Badge not found")),
                "crm.activity.badge.list" => {
                    Ok(json!({"badges": inner.timeline.badges.values().cloned().collect::<Vec<_>>()}))
                }
                "crm.activity.badge.delete" => text(p, "code")
                    .and_then(|c| inner.timeline.badges.shift_remove(&c))
                    .map(|_| Value::Bool(true))
                    .ok_or_else(|| Failure::bad("NOT_FOUND", "Badge not found")),
                m => {
                    let verb = m.rsplit('.').next().unwrap_or_default();
                    let activity = m.starts_with("crm.activity.");
                    blocks_method(inner, activity, verb, p)
                }
            };
            (answer, std::mem::take(&mut inner.crm.changes))
        };
        self.raise(changes, None);
        answer
    }

    /// A `restEvent` action clicked on the card: its layout is read at `pointer` of the
    /// activity's (or a set's) layout; ONCRMTIMELINEITEMACTION goes to the app with the
    /// context and `actionParams`, and the record is blocked as `animationType` says.
    pub fn timeline_action(&self, target: Target, pointer: &str) -> Result<(), String> {
        let (action, context) = {
            let mut inner = self.lock();
            let layout = match target {
                Target::Activity(id) => match inner.timeline.activities.get(&id) {
                    Some(a) => a.layout.clone(),
                    None => inner
                        .timeline
                        .sets
                        .get(&target)
                        .cloned()
                        .ok_or(format!("no activity #{id}"))?,
                },
                Target::Timeline(id) => inner
                    .timeline
                    .sets
                    .get(&target)
                    .cloned()
                    .ok_or(format!("no set on record #{id}"))?,
            };
            let owner = owner_of(&inner, target);
            let action = layout
                .pointer(pointer)
                .cloned()
                .ok_or(format!("nothing at {pointer}"))?;
            if action.get("type").and_then(Value::as_str) != Some("restEvent") {
                return Err(format!("{pointer} is not a restEvent action"));
            }
            if let Target::Activity(id) = target {
                if let Some(a) = inner.timeline.activities.get_mut(&id) {
                    match action.get("animationType").and_then(Value::as_str) {
                        Some("loader") => a.blocked = Some(Blocked::Record),
                        Some("disable") => {
                            let button = pointer.trim_end_matches("/action").to_owned();
                            match &mut a.blocked {
                                Some(Blocked::Buttons(b)) => b.push(button),
                                Some(Blocked::Record) => {}
                                None => a.blocked = Some(Blocked::Buttons(vec![button])),
                            }
                        }
                        _ => {}
                    }
                }
            }
            (action, owner)
        };
        let (owner_type_id, owner_id) = context.unwrap_or((0, 0));
        let mut data = json!({
            "id": action.get("id").cloned().unwrap_or(Value::Null),
            "entityTypeId": owner_type_id,
            "entityId": owner_id,
            "userId": 1,
        });
        match target {
            Target::Activity(id) => data["activityId"] = json!(id),
            Target::Timeline(id) => data["timelineId"] = json!(id),
        }
        // the docs list the params' keys beside the context
        if let Some(Value::Object(params)) = action.get("actionParams") {
            for (k, v) in params {
                data[k.as_str()] = v.clone();
            }
        }
        self.raise_with_data(EventName::parse("ONCRMTIMELINEITEMACTION"), data);
        Ok(())
    }

    /// The CRM object a timeline record belongs to: (entityTypeId, id).
    pub fn record_owner(&self, target: Target) -> Option<(u64, u64)> {
        owner_of(&self.lock(), target)
    }

    /// The timeline's records of `owner_type_id` number `owner_id`: the configurable
    /// activities, and the sets on its comments and activities.
    pub fn timeline_records(
        &self,
        owner_type_id: u64,
        owner_id: u64,
    ) -> (Vec<Configurable>, Vec<(Target, Value)>) {
        let inner = self.lock();
        let activities = inner
            .timeline
            .activities
            .values()
            .filter(|a| a.owner_type_id == owner_type_id && a.owner_id == owner_id)
            .cloned()
            .collect();
        let sets = inner.timeline.sets.iter().map(|(t, v)| (*t, v.clone())).collect();
        (activities, sets)
    }
}

/// The owner of a configurable activity, an activity or a comment.
fn owner_of(inner: &crate::portal::Inner, target: Target) -> Option<(u64, u64)> {
    match target {
        Target::Activity(id) => match inner.timeline.activities.get(&id) {
            Some(a) => Some((a.owner_type_id, a.owner_id)),
            None => activity_owner(&inner.crm, id),
        },
        Target::Timeline(id) => inner
            .crm
            .comments
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| Some((crate::crm::type_id_of(&c.entity_type)?, c.entity_id))),
    }
}

fn text(p: &Map<String, Value>, key: &str) -> Option<String> {
    p.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

fn owner_exists(crm: &crate::crm::Crm, type_id: u64, id: u64) -> bool {
    crm.objects.get(&type_id).is_some_and(|m| m.contains_key(&id))
}

/// The owner of an ordinary activity (`OWNER_TYPE_ID`, `OWNER_ID`).
fn activity_owner(crm: &crate::crm::Crm, id: u64) -> Option<(u64, u64)> {
    let a = crm.objects.get(&6)?.get(&id)?;
    Some((as_id(a.get("OWNER_TYPE_ID"))?, as_id(a.get("OWNER_ID"))?))
}

/// The `fields` of a configurable activity, checked and as `get` gives them back.
fn activity_fields(
    inner: &crate::portal::Inner,
    p: &Map<String, Value>,
) -> Result<Map<String, Value>, Failure> {
    let Some(Value::Object(f)) = p.get("fields") else {
        return Err(Failure::bad("100", "Required fields: fields"));
    };
    let mut out = Map::new();
    let type_id = f.get("typeId").and_then(Value::as_str).unwrap_or("CONFIGURABLE");
    if type_id != "CONFIGURABLE" {
        return Err(Failure::bad(
            "WRONG_FIELD_VALUE",
            &format!("fields.typeId: `{type_id}` is not an activity type of this app"),
        ));
    }
    out.insert("typeId".into(), json!(type_id));
    for key in ["completed", "isIncomingChannel"] {
        let value = match f.get(key) {
            None => false,
            Some(v) => {
                flag(v).ok_or_else(|| Failure::bad("WRONG_FIELD_VALUE", &format!("fields.{key}: Y or N")))?
            }
        };
        out.insert(key.into(), json!(value));
    }
    let deadline = f
        .get("deadline")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty());
    if deadline.is_some() && out["isIncomingChannel"] == json!(true) {
        return Err(Failure::bad(
            "INCOMING_ACTIVITY_CAN_NOT_BE_WITH_DEADLINE",
            "An incoming activity cannot have a deadline",
        ));
    }
    out.insert("deadline".into(), json!(deadline));
    out.insert(
        "pingOffsets".into(),
        f.get("pingOffsets").cloned().unwrap_or(json!([])),
    );
    out.insert(
        "responsibleId".into(),
        json!(as_id(f.get("responsibleId")).unwrap_or(1)),
    );
    let badge = f.get("badgeCode").and_then(Value::as_str).unwrap_or("");
    if !badge.is_empty() && !inner.timeline.badges.contains_key(badge) {
        return Err(Failure::bad(
            "WRONG_FIELD_VALUE",
            &format!("fields.badgeCode: no badge `{badge}`"),
        ));
    }
    out.insert("badgeCode".into(), json!(badge));
    out.insert(
        "originatorId".into(),
        f.get("originatorId").cloned().unwrap_or(Value::Null),
    );
    out.insert(
        "originId".into(),
        f.get("originId").cloned().unwrap_or(Value::Null),
    );
    Ok(out)
}

/// The activity as `crm.activity.list` shows it.
fn activity_row(a: &Configurable) -> Map<String, Value> {
    let subject = a
        .layout
        .pointer("/header/title")
        .map(crate::timeline_ui::text)
        .unwrap_or_default();
    let yn = |k: &str| {
        if a.fields.get(k) == Some(&json!(true)) {
            "Y"
        } else {
            "N"
        }
    };
    let mut row = Map::new();
    row.insert("ID".into(), json!(a.id.to_string()));
    row.insert("OWNER_TYPE_ID".into(), json!(a.owner_type_id.to_string()));
    row.insert("OWNER_ID".into(), json!(a.owner_id.to_string()));
    row.insert("PROVIDER_ID".into(), json!("CONFIGURABLE_REST_APP"));
    row.insert(
        "PROVIDER_TYPE_ID".into(),
        a.fields.get("typeId").cloned().unwrap_or(json!("CONFIGURABLE")),
    );
    row.insert("SUBJECT".into(), json!(subject));
    row.insert("COMPLETED".into(), json!(yn("completed")));
    row.insert(
        "DEADLINE".into(),
        a.fields.get("deadline").cloned().unwrap_or(Value::Null),
    );
    row.insert(
        "RESPONSIBLE_ID".into(),
        json!(a
            .fields
            .get("responsibleId")
            .cloned()
            .unwrap_or(json!(1))
            .to_string()),
    );
    row
}

fn configurable_add(inner: &mut crate::portal::Inner, p: &Map<String, Value>) -> Result<Value, Failure> {
    let owner_type_id =
        as_id(p.get("ownerTypeId")).ok_or_else(|| Failure::bad("100", "Required fields: ownerTypeId"))?;
    let owner_id = as_id(p.get("ownerId")).ok_or_else(|| Failure::bad("100", "Required fields: ownerId"))?;
    if !owner_exists(&inner.crm, owner_type_id, owner_id) {
        return Err(Failure::bad("NOT_FOUND", "Owner not found"));
    }
    let fields = activity_fields(inner, p)?;
    let layout = check_activity_layout(p.get("layout"))?;
    let activities = inner.crm.objects.entry(6).or_default();
    let id = activities.keys().next_back().map_or(1, |k| k + 1);
    let activity = Configurable {
        id,
        owner_type_id,
        owner_id,
        fields,
        layout,
        blocked: None,
    };
    activities.insert(id, activity_row(&activity));
    inner.timeline.activities.insert(id, activity);
    inner.crm.changes.push(Change {
        name: EventName::crm(Object::Activity, Action::Add),
        id,
        entity_type_id: None,
        data: None,
    });
    Ok(json!({"activity": {"id": id}}))
}

/// `crm.activity.delete`: an activity (configurable or not) and the sets on it.
fn activity_delete(inner: &mut crate::portal::Inner, p: &Map<String, Value>) -> Result<Value, Failure> {
    let id = as_id(p.get("id").or_else(|| p.get("ID")))
        .filter(|&id| id > 0)
        .ok_or_else(|| Failure::bad("", "ID is not defined or invalid"))?;
    if inner
        .crm
        .objects
        .get_mut(&6)
        .and_then(|m| m.remove(&id))
        .is_none()
    {
        return Err(Failure::bad("", "Not found"));
    }
    inner.timeline.activities.remove(&id);
    inner.timeline.sets.remove(&Target::Activity(id));
    inner.crm.changes.push(Change {
        name: EventName::crm(Object::Activity, Action::Delete),
        id,
        entity_type_id: None,
        data: None,
    });
    Ok(Value::Bool(true))
}

fn configurable_update(inner: &mut crate::portal::Inner, p: &Map<String, Value>) -> Result<Value, Failure> {
    let id = as_id(p.get("id")).ok_or_else(|| Failure::bad("100", "Required fields: id"))?;
    if !inner.timeline.activities.contains_key(&id) {
        return Err(Failure::bad("NOT_FOUND", "Not found."));
    }
    let fields = activity_fields(inner, p)?;
    let layout = check_activity_layout(p.get("layout"))?;
    let activity = inner.timeline.activities.get_mut(&id).expect("checked above");
    activity.fields = fields;
    activity.layout = layout;
    // an update releases what a click blocked
    activity.blocked = None;
    let row = activity_row(activity);
    inner.crm.objects.entry(6).or_default().insert(id, row);
    inner.crm.changes.push(Change {
        name: EventName::crm(Object::Activity, Action::Update),
        id,
        entity_type_id: None,
        data: None,
    });
    Ok(json!({"activity": {"id": id}}))
}

fn configurable_get(inner: &crate::portal::Inner, p: &Map<String, Value>) -> Result<Value, Failure> {
    let id = as_id(p.get("id")).ok_or_else(|| Failure::bad("100", "Required fields: id"))?;
    let a = inner
        .timeline
        .activities
        .get(&id)
        .ok_or_else(|| Failure::bad("NOT_FOUND", "Not found."))?;
    Ok(
        json!({"activity": {"id": a.id, "ownerTypeId": a.owner_type_id, "ownerId": a.owner_id,
        "fields": a.fields, "layout": a.layout}}),
    )
}

fn badge_add(inner: &mut crate::portal::Inner, p: &Map<String, Value>) -> Result<Value, Failure> {
    for key in ["code", "title", "value", "type"] {
        if p.get(key).is_none_or(|v| v.is_null() || v == "") {
            return Err(Failure::bad(
                "REQUIRED_ARG_MISSING",
                &format!("Required argument `{key}` is missing"),
            ));
        }
    }
    let code = text(p, "code").unwrap_or_default();
    let ty = p.get("type").and_then(Value::as_str).unwrap_or_default();
    if !layout_core::timeline::TagType::VALUES.contains(&ty) {
        return Err(Failure::bad(
            "WRONG_FIELD_VALUE",
            &format!("type: `{ty}` is not a badge type"),
        ));
    }
    if inner.timeline.badges.contains_key(&code) {
        return Err(Failure::bad(
            "WRONG_FIELD_VALUE",
            &format!("code: a badge `{code}` exists"),
        ));
    }
    let badge = json!({"code": code, "title": p["title"], "value": p["value"], "type": ty});
    inner.timeline.badges.insert(code, badge.clone());
    Ok(json!({"badge": badge}))
}

fn blocks_method(
    inner: &mut crate::portal::Inner,
    activity: bool,
    verb: &str,
    p: &Map<String, Value>,
) -> Result<Value, Failure> {
    let owner_type_id =
        as_id(p.get("entityTypeId")).ok_or_else(|| Failure::bad("100", "Required fields: entityTypeId"))?;
    let owner_id =
        as_id(p.get("entityId")).ok_or_else(|| Failure::bad("100", "Required fields: entityId"))?;
    if !owner_exists(&inner.crm, owner_type_id, owner_id) {
        return Err(Failure::bad("OWNER_NOT_FOUND", "Owner not found"));
    }
    let target = if activity {
        let id =
            as_id(p.get("activityId")).ok_or_else(|| Failure::bad("100", "Required fields: activityId"))?;
        if activity_owner(&inner.crm, id) != Some((owner_type_id, owner_id)) {
            return Err(Failure::bad("NOT_FOUND", "Activity not found"));
        }
        if inner.timeline.activities.contains_key(&id) {
            return Err(Failure::bad(
                "UNSUITABLE_ACTIVITY_TYPE_ERROR",
                "A configurable activity takes no content blocks: its look is its layout",
            ));
        }
        Target::Activity(id)
    } else {
        let id =
            as_id(p.get("timelineId")).ok_or_else(|| Failure::bad("100", "Required fields: timelineId"))?;
        let found = inner.crm.comments.iter().find(|c| c.id == id);
        let owned = found.is_some_and(|c| {
            c.entity_id == owner_id && crate::crm::type_id_of(&c.entity_type) == Some(owner_type_id)
        });
        if !owned {
            return Err(Failure::bad("NOT_FOUND", "Timeline record not found"));
        }
        Target::Timeline(id)
    };
    match verb {
        "set" => {
            let layout = check_set_layout(p.get("layout"))?;
            inner.timeline.sets.insert(target, layout);
            Ok(json!({"success": true}))
        }
        "get" => Ok(json!({"layout": inner.timeline.sets.get(&target).cloned().unwrap_or(Value::Null)})),
        "delete" => match inner.timeline.sets.remove(&target) {
            Some(_) => Ok(json!({"success": true})),
            None => Err(Failure::bad("NOT_FOUND", "Set not found")),
        },
        _ => Err(Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
    }
}
