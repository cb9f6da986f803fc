//! The portal's demo CRM: deals, leads, contacts, companies, quotes, activities, smart
//! invoices and one custom type, with their timeline comments; the `crm.*` methods on it.

use std::collections::BTreeMap;

use b24_placement::event::{Action, EventName, Object};
use b24_placement::placement::Entity;
use serde_json::{json, Map, Value};

use crate::events::Change;
use crate::failure::Failure;
use crate::params::{as_id, as_int};

/// Items per page of a list method.
pub const PAGE: usize = 50;

/// The classic entities and their `crm.<name>.*` methods, with their entityTypeId.
const CLASSIC: &[Entity] = &[
    Entity::LEAD,
    Entity::DEAL,
    Entity::CONTACT,
    Entity::COMPANY,
    Entity::QUOTE,
    Entity::ACTIVITY,
    // the old invoice, still in the seed's list placements
    Entity::INVOICE,
];

/// The portal's one user (the webhook's, the app's installer): id, name, last name.
pub const USER: (u64, &str, &str) = (1, "Anna", "Admin");

/// The types `crm.item.*` serves: smart invoices (31) and the custom type 183.
const ITEM_TYPES: &[u64] = &[31, 183];

/// A stage of a pipeline: its code, its name, what it means (`P` in progress, `S` won,
/// `F` lost) and its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage {
    pub id: &'static str,
    pub name: &'static str,
    pub semantics: &'static str,
    pub color: &'static str,
}

const fn stage(id: &'static str, name: &'static str, semantics: &'static str, color: &'static str) -> Stage {
    Stage {
        id,
        name,
        semantics,
        color,
    }
}

/// The stages of each pipeline the demo CRM has, in order: deals (the general funnel),
/// leads, quotes, smart invoices, the custom type. Declared once: the cards' stage bars,
/// the kanban, the analytics and the demo data read them.
const PIPELINES: &[(u64, &str, &[Stage])] = &[
    (
        2,
        "STAGE_ID",
        &[
            stage("NEW", "New", "P", "#39a8ef"),
            stage("PREPARATION", "Preparing documents", "P", "#2fc6f6"),
            stage("PREPAYMENT_INVOICE", "Invoice", "P", "#55d0e0"),
            stage("EXECUTING", "In progress", "P", "#47e4c2"),
            stage("WON", "Deal won", "S", "#7bd500"),
            stage("LOSE", "Deal lost", "F", "#ff5752"),
        ],
    ),
    (
        1,
        "STATUS_ID",
        &[
            stage("NEW", "Unassigned", "P", "#39a8ef"),
            stage("IN_PROCESS", "In progress", "P", "#2fc6f6"),
            stage("PROCESSED", "Processed", "P", "#55d0e0"),
            stage("CONVERTED", "Good lead", "S", "#7bd500"),
            stage("JUNK", "Junk lead", "F", "#ff5752"),
        ],
    ),
    (
        7,
        "STATUS_ID",
        &[
            stage("DRAFT", "New", "P", "#39a8ef"),
            stage("SENT", "Sent to client", "P", "#2fc6f6"),
            stage("APPROVED", "Approved", "S", "#7bd500"),
            stage("DECLAINED", "Declined", "F", "#ff5752"),
        ],
    ),
    (
        31,
        "stageId",
        &[
            stage("DT31_1:N", "New", "P", "#39a8ef"),
            stage("DT31_1:S", "Sent", "P", "#2fc6f6"),
            stage("DT31_1:P", "Paid", "S", "#7bd500"),
            stage("DT31_1:D", "Not paid", "F", "#ff5752"),
        ],
    ),
    (
        183,
        "stageId",
        &[
            stage("DT183_1:NEW", "New", "P", "#39a8ef"),
            stage("DT183_1:PREPARATION", "Packing", "P", "#2fc6f6"),
            stage("DT183_1:SUCCESS", "Delivered", "S", "#7bd500"),
            stage("DT183_1:FAIL", "Lost", "F", "#ff5752"),
        ],
    ),
];

/// The stages of `type_id`'s pipeline, in order (none for a type without one).
pub fn pipeline(type_id: u64) -> &'static [Stage] {
    PIPELINES
        .iter()
        .find(|(t, ..)| *t == type_id)
        .map_or(&[], |(_, _, stages)| *stages)
}

/// The name of the stage `id` of `type_id`'s pipeline (`C1:NEW`... by its code).
pub fn stage_name(type_id: u64, id: &str) -> Option<&'static str> {
    pipeline(type_id).iter().find(|s| s.id == id).map(|s| s.name)
}

/// The field that holds the stage of `type_id` (`STAGE_ID`, `STATUS_ID`, `stageId`).
pub fn stage_field(type_id: u64) -> Option<&'static str> {
    PIPELINES.iter().find(|(t, ..)| *t == type_id).map(|(_, f, _)| *f)
}

/// A timeline comment.
#[derive(Clone, Debug)]
pub struct Comment {
    pub id: u64,
    pub entity_type: String,
    pub entity_id: u64,
    pub comment: String,
}

/// The CRM's data.
pub struct Crm {
    /// entityTypeId -> id -> fields (UPPER_CASE keys for the classic entities,
    /// camelCase for `crm.item`).
    pub objects: BTreeMap<u64, BTreeMap<u64, Map<String, Value>>>,
    pub comments: Vec<Comment>,
    /// The user fields of the classic objects.
    pub user_fields: Vec<crate::fields::UserField>,
    /// The changes the last method made, to raise as events.
    pub(crate) changes: Vec<Change>,
}

/// The object kind of an entityTypeId the CRM holds, and the type of an item.
fn object_of(t: u64) -> Option<(Object, Option<u32>)> {
    let t32 = u32::try_from(t).ok()?;
    if ITEM_TYPES.contains(&t) {
        return Some((Object::Item, Some(t32)));
    }
    let entity = CLASSIC.iter().find(|e| e.entity_type_id() == t32)?;
    Some((Object::of(*entity)?, None))
}

/// `categoryId` as a classic entity's field: `CATEGORY_ID`.
fn upper_snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// How a classic object stores a field `crm.item.*` names: `categoryId` -> `CATEGORY_ID`,
/// `ufCrm_LEVEL` -> `UF_CRM_LEVEL`, an original name as it is.
pub(crate) fn stored_name(name: &str) -> String {
    if name.starts_with("UF_") {
        return name.to_owned();
    }
    b24_crm::names::to_upper(name).unwrap_or_else(|| upper_snake(name))
}

fn classic(fields: Value) -> Map<String, Value> {
    match fields {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

impl Crm {
    /// The demo data: `deals` deals (120 by default: three pages), three leads, contacts
    /// and companies, two quotes, activities, smart invoices and custom items.
    pub fn demo(deals: u64) -> Crm {
        let mut objects: BTreeMap<u64, BTreeMap<u64, Map<String, Value>>> = BTreeMap::new();
        let stages: Vec<&str> = pipeline(2)
            .iter()
            .map(|s| s.id)
            .filter(|s| *s != "LOSE")
            .collect();
        let deal_count = deals;
        let deals = objects.entry(2).or_default();
        for id in 1..=deal_count {
            deals.insert(
                id,
                classic(json!({
                    "ID": id.to_string(),
                    "TITLE": if id == 1 { "Website redesign".to_owned() } else { format!("Deal #{id}") },
                    "STAGE_ID": stages[(id as usize) % stages.len()],
                    "OPPORTUNITY": format!("{}.00", 1000 * id),
                    "CURRENCY_ID": "USD",
                    "CONTACT_ID": ((id - 1) % 3 + 1).to_string(),
                    "COMPANY_ID": ((id - 1) % 3 + 1).to_string(),
                    "CATEGORY_ID": "0",
                    "TYPE_ID": "SALE",
                    "ASSIGNED_BY_ID": "1",
                    "CREATED_BY_ID": "1",
                    "DATE_CREATE": format!("2026-11-{:02}T10:00:00+03:00", (id - 1) % 28 + 1),
                    "BEGINDATE": format!("2026-11-{:02}T03:00:00+03:00", (id - 1) % 28 + 1),
                    "CLOSEDATE": format!("2026-12-{:02}T03:00:00+03:00", (id - 1) % 28 + 1),
                    "OPENED": "Y",
                    "COMMENTS": "",
                    "UF_CRM_DELIVERY_NOTE": if id == 1 { "Ring twice" } else { "" },
                    "UF_CRM_WEIGHT": if id == 1 { "12.5" } else { "" },
                    "UF_CRM_DELIVERY_DATE": if id == 1 { "2026-12-24" } else { "" },
                    "UF_CRM_LEVEL": if id == 1 { "13" } else { "11" },
                    "UF_CRM_VIP": if id == 1 { "1" } else { "0" },
                    "UF_CRM_BUDGET": format!("{}|USD", 2000 * id),
                    "UF_CRM_PARTNER": if id == 1 { "CO_2" } else { "" },
                })),
            );
        }
        let people = [("Anna", "Smith"), ("Boris", "Ivanov"), ("Chloe", "Martin")];
        for (i, (name, last)) in people.iter().enumerate() {
            let id = i as u64 + 1;
            objects.entry(3).or_default().insert(
                id,
                classic(json!({"ID": id.to_string(), "NAME": name, "LAST_NAME": last, "COMPANY_ID": id.to_string(),
                    "PHONE": [{"ID": id.to_string(), "VALUE_TYPE": "WORK", "VALUE": format!("+1 555 000-00-0{id}"), "TYPE_ID": "PHONE"}]})),
            );
            objects.entry(1).or_default().insert(
                id,
                classic(json!({"ID": id.to_string(), "TITLE": format!("Lead from {name}"), "NAME": name, "STATUS_ID": "NEW"})),
            );
        }
        for (i, title) in ["Daisy Ltd", "Globex", "Initech"].iter().enumerate() {
            let id = i as u64 + 1;
            objects.entry(4).or_default().insert(
                id,
                classic(json!({"ID": id.to_string(), "TITLE": title, "COMPANY_TYPE": "CUSTOMER"})),
            );
        }
        for id in 1..=2u64 {
            objects.entry(7).or_default().insert(
                id,
                classic(json!({"ID": id.to_string(), "TITLE": format!("Estimate #{id}"), "DEAL_ID": id.to_string(), "OPPORTUNITY": "500.00"})),
            );
            objects.entry(6).or_default().insert(
                id,
                classic(
                    json!({"ID": id.to_string(), "OWNER_ID": "1", "OWNER_TYPE_ID": "2", "TYPE_ID": "2",
                    "SUBJECT": format!("Call #{id}"), "COMPLETED": "N", "RESPONSIBLE_ID": "1"}),
                ),
            );
            objects.entry(5).or_default().insert(
                id,
                classic(json!({"ID": id.to_string(), "ORDER_TOPIC": format!("Old invoice #{id}"), "PRICE": "100.00"})),
            );
            objects.entry(14).or_default().insert(
                id,
                classic(json!({"ID": id.to_string(), "TITLE": format!("Order #{id}"), "PRICE": "75.00"})),
            );
            objects.entry(31).or_default().insert(
                id,
                classic(json!({"id": id, "title": format!("Invoice #{id}"), "opportunity": 250.0 * id as f64, "entityTypeId": 31})),
            );
            objects.entry(183).or_default().insert(
                id,
                classic(json!({"id": id, "title": format!("Shipment #{id}"), "stageId": "DT183_1:NEW", "entityTypeId": 183,
                    "ufCrm5Route": if id == 1 { "Lisbon - Porto" } else { "" }, "ufCrm5Weight": if id == 1 { "120.5" } else { "" }})),
            );
        }
        Crm {
            objects,
            user_fields: crate::fields::demo_user_fields(),
            changes: Vec::new(),
            comments: vec![Comment {
                id: 1,
                entity_type: "deal".into(),
                entity_id: 1,
                comment: "Kick-off call done".into(),
            }],
        }
    }

    /// Runs a `crm.*` method; `None` when there is no such method.
    pub fn call(&mut self, method: &str, p: &Map<String, Value>) -> Option<Result<Listed, Failure>> {
        let parts: Vec<&str> = method.split('.').collect();
        Some(match parts.as_slice() {
            ["crm", "item", "fields"] => self
                .item_type(p)
                .and_then(|t| self.fields(t, true, p))
                .map(Listed::one),
            ["crm", "item", "get"] => self
                .item_type(p)
                .and_then(|t| self.item_get(t, p))
                .map(Listed::one),
            ["crm", "item", "list"] => self.item_type(p).and_then(|t| self.list(t, p, true)),
            ["crm", "item", "update"] => self
                .item_type(p)
                .and_then(|t| self.item_update(t, p))
                .map(Listed::one),
            ["crm", "item", "add"] => self
                .item_type(p)
                .and_then(|t| self.add(t, p, true))
                .map(Listed::one),
            ["crm", "item", "delete"] => self
                .item_type(p)
                .and_then(|t| self.delete(t, p, true))
                .map(Listed::one),
            ["crm", "timeline", "comment", "add"] => self.comment_add(p).map(Listed::one),
            ["crm", "timeline", "comment", "list"] => self.comment_list(p),
            ["crm", name, "userfield", op] => {
                let e = CLASSIC
                    .iter()
                    .find(|e| e.kind().as_str().eq_ignore_ascii_case(name) && e.entity_type_id() != 6)?;
                return self
                    .userfield(u64::from(e.entity_type_id()), op, p)
                    .map(|r| r.map(Listed::one));
            }
            ["crm", name, op] => {
                let type_id = u64::from(
                    CLASSIC
                        .iter()
                        .find(|e| e.kind().as_str().eq_ignore_ascii_case(name))?
                        .entity_type_id(),
                );
                match *op {
                    "fields" => self.fields(type_id, false, p).map(Listed::one),
                    "get" => self.get(type_id, p).map(Listed::one),
                    "list" => self.list(type_id, p, false),
                    "update" if type_id != 6 => self.update(type_id, p).map(Listed::one),
                    "add" if type_id != 6 => self.add(type_id, p, false).map(Listed::one),
                    "delete" if type_id != 6 => self.delete(type_id, p, false).map(Listed::one),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    fn get(&self, type_id: u64, p: &Map<String, Value>) -> Result<Value, Failure> {
        let id = as_id(p.get("id").or_else(|| p.get("ID")))
            .filter(|&id| id > 0)
            .ok_or_else(|| Failure::bad("", "ID is not defined or invalid"))?;
        self.objects
            .get(&type_id)
            .and_then(|m| m.get(&id))
            .map(|o| Value::Object(o.clone()))
            .ok_or_else(|| Failure::bad("", "Not found"))
    }

    fn update(&mut self, type_id: u64, p: &Map<String, Value>) -> Result<Value, Failure> {
        let id = as_id(p.get("id").or_else(|| p.get("ID")))
            .filter(|&id| id > 0)
            .ok_or_else(|| Failure::bad("", "ID is not defined or invalid"))?;
        let Some(Value::Object(fields)) = p.get("fields") else {
            return Err(Failure::bad("", "The parameter 'fields' must be an array."));
        };
        // what the portal does not have, or cannot write, is dropped without a word
        let kept = self.kept(type_id, fields, b24_crm::NameForm::Upper, false, false);
        let object = self
            .objects
            .get_mut(&type_id)
            .and_then(|m| m.get_mut(&id))
            .ok_or_else(|| Failure::bad("", "Not found"))?;
        let mut changed = false;
        for (k, v) in kept {
            changed |= object.insert(k, v.clone()).as_ref() != Some(&v);
        }
        // nothing changed, nothing saved: no event
        if changed {
            self.changed(type_id, Action::Update, id);
        }
        Ok(Value::Bool(true))
    }

    /// Records a change of object `id` of type `t`, to raise as its event.
    fn changed(&mut self, t: u64, action: Action, id: u64) {
        if let Some((object, entity_type_id)) = object_of(t) {
            self.changes.push(Change {
                name: EventName::crm(object, action),
                id,
                entity_type_id,
                data: None,
            });
        }
    }

    /// `crm.<entity>.add` and `crm.item.add`: the new object's id (items: the item).
    fn add(&mut self, t: u64, p: &Map<String, Value>, items: bool) -> Result<Value, Failure> {
        let Some(Value::Object(fields)) = p.get("fields") else {
            return Err(Failure::bad("", "The parameter 'fields' must be an array."));
        };
        // what the portal does not have, or cannot write, is dropped without a word
        let original = matches!(p.get("useOriginalUfNames").and_then(Value::as_str), Some("Y"));
        let form = if items {
            b24_crm::NameForm::Camel
        } else {
            b24_crm::NameForm::Upper
        };
        let fields: Map<String, Value> = self.kept(t, fields, form, original, true).into_iter().collect();
        let fields = &fields;
        let objects = self.objects.entry(t).or_default();
        let id = objects.keys().next_back().map_or(1, |last| last + 1);
        let mut object = Map::new();
        if items && !ITEM_TYPES.contains(&t) {
            object.insert("ID".into(), Value::String(id.to_string()));
            for (k, v) in fields {
                object.insert(stored_name(k), v.clone());
            }
        } else if items {
            object.insert("id".into(), Value::from(id));
            for (k, v) in fields {
                object.insert(item_key(k), v.clone());
            }
            object.insert("entityTypeId".into(), Value::from(t));
        } else {
            object.insert("ID".into(), Value::String(id.to_string()));
            for (k, v) in fields {
                object.insert(k.to_ascii_uppercase(), v.clone());
            }
        }
        let view = item_view(&object, t);
        objects.insert(id, object);
        self.changed(t, Action::Add, id);
        Ok(if items {
            json!({"item": view})
        } else {
            Value::from(id)
        })
    }

    /// `crm.<entity>.delete` and `crm.item.delete`.
    fn delete(&mut self, t: u64, p: &Map<String, Value>, items: bool) -> Result<Value, Failure> {
        let id = as_id(p.get("id").or_else(|| p.get("ID")))
            .filter(|&id| id > 0)
            .ok_or_else(|| Failure::bad("", "ID is not defined or invalid"))?;
        if self.objects.get_mut(&t).and_then(|m| m.remove(&id)).is_none() {
            return Err(Failure::bad(if items { "NOT_FOUND" } else { "" }, "Not found"));
        }
        self.changed(t, Action::Delete, id);
        Ok(if items { json!([]) } else { Value::Bool(true) })
    }

    fn item_type(&self, p: &Map<String, Value>) -> Result<u64, Failure> {
        let t = as_id(p.get("entityTypeId"))
            .ok_or_else(|| Failure::bad("INVALID_ARG_VALUE", "entityTypeId is required"))?;
        if t == 5 {
            return Err(Failure::bad(
                "ENTITY_TYPE_NOT_SUPPORTED",
                "Entity type `Invoice` is not supported",
            ));
        }
        if ITEM_TYPES.contains(&t)
            || CLASSIC
                .iter()
                .any(|e| u64::from(e.entity_type_id()) == t && t != 6)
        {
            Ok(t)
        } else {
            Err(Failure::bad("NOT_FOUND", "SPA not found"))
        }
    }

    fn item_get(&self, t: u64, p: &Map<String, Value>) -> Result<Value, Failure> {
        let id = as_id(p.get("id")).ok_or_else(|| Failure::bad("INVALID_ARG_VALUE", "id is required"))?;
        let item = self
            .objects
            .get(&t)
            .and_then(|m| m.get(&id))
            .ok_or_else(|| Failure::bad("NOT_FOUND", "Element not found"))?;
        let original = matches!(p.get("useOriginalUfNames").and_then(Value::as_str), Some("Y"));
        Ok(json!({"item": uf_spelling(item_view(item, t), original)}))
    }

    fn item_update(&mut self, t: u64, p: &Map<String, Value>) -> Result<Value, Failure> {
        let id = as_id(p.get("id")).ok_or_else(|| Failure::bad("INVALID_ARG_VALUE", "id is required"))?;
        let Some(Value::Object(fields)) = p.get("fields") else {
            return Err(Failure::bad("INVALID_ARG_VALUE", "fields is required"));
        };
        let original = matches!(p.get("useOriginalUfNames").and_then(Value::as_str), Some("Y"));
        let kept: Map<String, Value> = self
            .kept(t, fields, b24_crm::NameForm::Camel, original, false)
            .into_iter()
            .collect();
        let fields = &kept;
        let item = self
            .objects
            .get_mut(&t)
            .and_then(|m| m.get_mut(&id))
            .ok_or_else(|| Failure::bad("NOT_FOUND", "Element not found"))?;
        let classic = !ITEM_TYPES.contains(&t);
        let category_before = item.get("CATEGORY_ID").cloned();
        let mut changed = false;
        for (k, v) in fields {
            if k != "id" {
                // a classic entity keeps its fields in upper case
                let key = if classic { stored_name(k) } else { item_key(k) };
                changed |= item.insert(key, v.clone()).as_ref() != Some(v);
            }
        }
        let view = json!({"item": item_view(item, t)});
        let moved = t == 2 && item.get("CATEGORY_ID") != category_before.as_ref();
        let stage = item.get("STAGE_ID").cloned();
        if moved {
            // a deal moved to another funnel: that event alone
            let category = as_id(item.get("CATEGORY_ID")).unwrap_or(0);
            let stage = match stage {
                Some(Value::String(s)) => s,
                _ => String::new(),
            };
            self.changes.push(Change {
                name: EventName::DealMoveToCategory,
                id,
                entity_type_id: None,
                data: Some(json!({"FIELDS": {"ID": id.to_string(), "CATEGORY_ID": category.to_string(), "STAGE_ID": stage}})),
            });
        } else if changed {
            self.changed(t, Action::Update, id);
        }
        Ok(view)
    }

    /// A list method: filter, order by id, pages of 50 (`start=-1`: one page, no count).
    pub(crate) fn list(&self, t: u64, p: &Map<String, Value>, items: bool) -> Result<Listed, Failure> {
        let empty = BTreeMap::new();
        let all = self.objects.get(&t).unwrap_or(&empty);
        let original_uf = matches!(p.get("useOriginalUfNames").and_then(Value::as_str), Some("Y"));
        let filter = match p.get("filter") {
            Some(Value::Object(f)) => f.clone(),
            None | Some(Value::Array(_)) => Map::new(),
            Some(_) => return Err(Failure::bad("INVALID_ARG_VALUE", "filter must be an object")),
        };
        // the filter reads the fields as the method spells them; only the page is copied
        let filter = if items && !ITEM_TYPES.contains(&t) {
            filter
                .into_iter()
                .map(|(k, v)| {
                    let (op, field) = split_op(&k);
                    let upper = if field.chars().any(|c| c.is_ascii_lowercase()) {
                        stored_name(field)
                    } else {
                        field.to_owned()
                    };
                    (format!("{op}{upper}"), v)
                })
                .collect()
        } else {
            filter
        };
        let mut rows: Vec<&Map<String, Value>> = Vec::new();
        for row in all.values() {
            if matches_filter(row, &filter)? {
                rows.push(row);
            }
        }
        let descending = match p.get("order") {
            Some(Value::Object(o)) => match o.iter().next() {
                None => false,
                Some((field, dir)) => {
                    if !field.eq_ignore_ascii_case("id") {
                        return Err(Failure::bad(
                            "INVALID_ARG_VALUE",
                            &format!("this portal sorts by id only, not by `{field}`"),
                        ));
                    }
                    match dir.as_str().map(str::to_ascii_uppercase).as_deref() {
                        Some("ASC") => false,
                        Some("DESC") => true,
                        _ => {
                            return Err(Failure::bad(
                                "INVALID_ARG_VALUE",
                                "an order direction is ASC or DESC",
                            ))
                        }
                    }
                }
            },
            _ => false,
        };
        if descending {
            rows.reverse();
        }
        let start = as_int(p.get("start")).unwrap_or(0);
        let total = rows.len();
        let (from, counted) = if start < 0 {
            (0, false)
        } else {
            (start as usize, true)
        };
        let page: Vec<Value> = rows
            .into_iter()
            .skip(from)
            .take(PAGE)
            .map(|o| {
                Value::Object(if items {
                    uf_spelling(item_view(o, t), original_uf)
                } else {
                    o.clone()
                })
            })
            .collect();
        let next = (counted && from + PAGE < total).then_some((from + PAGE) as u64);
        let result = if items {
            json!({"items": page})
        } else {
            Value::Array(page)
        };
        Ok(Listed {
            result,
            total: Some(if counted { total as u64 } else { 0 }),
            next,
        })
    }

    fn comment_add(&mut self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let Some(Value::Object(f)) = p.get("fields") else {
            return Err(Failure::bad(
                "100",
                "Required fields: ENTITY_ID, ENTITY_TYPE, COMMENT",
            ));
        };
        let entity_id =
            as_id(f.get("ENTITY_ID")).ok_or_else(|| Failure::bad("100", "Required field: ENTITY_ID"))?;
        let entity_type = f
            .get("ENTITY_TYPE")
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::bad("100", "Required field: ENTITY_TYPE"))?
            .to_owned();
        let comment = f
            .get("COMMENT")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if comment.trim().is_empty() {
            return Err(Failure::bad("INVALID_ARG_VALUE", "The comment is empty"));
        }
        let type_id = type_id_of(&entity_type)
            .ok_or_else(|| Failure::bad("OWNER_NOT_FOUND", "Owner type not found"))?;
        if !self
            .objects
            .get(&type_id)
            .is_some_and(|m| m.contains_key(&entity_id))
        {
            return Err(Failure::bad("OWNER_NOT_FOUND", "Owner not found"));
        }
        let id = self.comments.last().map_or(1, |c| c.id + 1);
        self.comments.push(Comment {
            id,
            entity_type,
            entity_id,
            comment,
        });
        self.changes.push(Change {
            name: EventName::crm(Object::TimelineComment, Action::Add),
            id,
            entity_type_id: None,
            data: None,
        });
        Ok(Value::from(id))
    }

    fn comment_list(&self, p: &Map<String, Value>) -> Result<Listed, Failure> {
        let f = match p.get("filter") {
            Some(Value::Object(f)) => f.clone(),
            _ => Map::new(),
        };
        let entity_id = as_id(f.get("ENTITY_ID"));
        let entity_type = f.get("ENTITY_TYPE").and_then(Value::as_str);
        let after = as_id(f.get(">ID"));
        let rows: Vec<Value> = self
            .comments
            .iter()
            .filter(|c| entity_id.is_none_or(|e| e == c.entity_id))
            .filter(|c| entity_type.is_none_or(|t| t.eq_ignore_ascii_case(&c.entity_type)))
            .filter(|c| after.is_none_or(|a| c.id > a))
            .map(|c| json!({"ID": c.id.to_string(), "ENTITY_ID": c.entity_id.to_string(), "ENTITY_TYPE": c.entity_type, "COMMENT": c.comment}))
            .collect();
        let total = rows.len() as u64;
        let start = as_int(p.get("start")).unwrap_or(0).max(0) as usize;
        let page: Vec<Value> = rows.into_iter().skip(start).take(PAGE).collect();
        let next = (start + PAGE < total as usize).then_some((start + PAGE) as u64);
        Ok(Listed {
            result: Value::Array(page),
            total: Some(total),
            next,
        })
    }
}

/// A method's result, with `total` and `next` for list methods.
pub struct Listed {
    pub result: Value,
    pub total: Option<u64>,
    pub next: Option<u64>,
}

impl Listed {
    pub(crate) fn one(result: Value) -> Listed {
        Listed {
            result,
            total: None,
            next: None,
        }
    }
}

/// An object as `crm.item.*` shows it: camelCase keys, numbers as numbers.
/// How an item of `crm.item` keeps a field: user fields in `crm.item`'s spelling.
fn item_key(name: &str) -> String {
    b24_crm::names::to_camel(name).unwrap_or_else(|| name.to_owned())
}

/// An item's user fields as `useOriginalUfNames=Y` asks: `UF_CRM_5_ROUTE`, not `ufCrm5Route`.
fn uf_spelling(item: Map<String, Value>, original: bool) -> Map<String, Value> {
    if !original {
        return item;
    }
    item.into_iter()
        .map(|(k, v)| (b24_crm::names::to_upper(&k).unwrap_or(k), v))
        .collect()
}

fn item_view(o: &Map<String, Value>, t: u64) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in o {
        let key = if k.chars().any(|c| c.is_ascii_lowercase()) {
            k.clone()
        } else {
            camel(k)
        };
        let value = match (key.as_str(), v) {
            ("id", Value::String(s)) => s.parse::<u64>().map(Value::from).unwrap_or_else(|_| v.clone()),
            _ => v.clone(),
        };
        out.insert(key, value);
    }
    out.insert("entityTypeId".into(), Value::from(t));
    out
}

pub(crate) fn camel(upper: &str) -> String {
    if let Some(uf) = b24_crm::names::to_camel(upper) {
        return uf;
    }
    let mut out = String::new();
    for (i, part) in upper.split('_').enumerate() {
        let lower = part.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut c = lower.chars();
            if let Some(f) = c.next() {
                out.push(f.to_ascii_uppercase());
                out.extend(c);
            }
        }
    }
    out
}

/// The entityTypeId an entity name stands for, in any case: `deal`, `smart_invoice`,
/// `dynamic_183` (a timeline's ENTITY_TYPE, a page's address).
pub(crate) fn type_id_of(name: &str) -> Option<u64> {
    Entity::parse(&name.to_ascii_uppercase()).map(|e| u64::from(e.entity_type_id()))
}

/// Whether `row` passes `filter`: `FIELD` / `=FIELD` equal, `!FIELD` not equal,
/// `>`/`>=`/`<`/`<=` compared as numbers, `%FIELD` contains.
fn matches_filter(row: &Map<String, Value>, filter: &Map<String, Value>) -> Result<bool, Failure> {
    for (key, want) in filter {
        let (op, field) = split_op(key);
        let have = row.get(field).or_else(|| {
            row.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(field))
                .map(|(_, v)| v)
        });
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let num = |v: &Value| text(v).parse::<f64>().ok();
        let ok = match (op, have) {
            ("!", None) => true,
            (_, None) => false,
            ("" | "=", Some(h)) => text(h) == text(want),
            ("!", Some(h)) => text(h) != text(want),
            ("%", Some(h)) => text(h).to_lowercase().contains(&text(want).to_lowercase()),
            (cmp, Some(h)) => {
                let (Some(a), Some(b)) = (num(h), num(want)) else {
                    return Err(Failure::bad(
                        "INVALID_ARG_VALUE",
                        &format!("filter `{key}` compares numbers"),
                    ));
                };
                match cmp {
                    ">" => a > b,
                    ">=" => a >= b,
                    "<" => a < b,
                    "<=" => a <= b,
                    _ => false,
                }
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A filter key's operator and field: `>=ID` is (`>=`, `ID`); the list filters and the
/// offline queue read them alike.
pub(crate) fn split_op(key: &str) -> (&str, &str) {
    for op in [">=", "<=", ">", "<", "=", "!", "%"] {
        if let Some(rest) = key.strip_prefix(op) {
            return (op, rest);
        }
    }
    ("", key)
}

#[cfg(test)]
mod tests {
    use super::type_id_of;

    #[test]
    fn entity_names_give_the_placement_tables_type_ids() {
        for (name, id) in [
            ("deal", Some(2)),
            ("LEAD", Some(1)),
            ("smart_invoice", Some(31)),
            ("order", Some(14)),
            ("dynamic_183", Some(183)),
            ("dynamic_0183", None),
            ("dynamic_", None),
            ("deals", None),
        ] {
            assert_eq!(type_id_of(name), id, "{name}");
        }
    }
}
