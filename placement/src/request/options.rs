//! PLACEMENT_OPTIONS typed for the placement's family.

use serde_json::{json, Map, Value};

use super::raw::{Member, Members, RawOptions};
use super::{err, RequestError};
use crate::placement::{Entity, Family, Placement};

/// PLACEMENT_OPTIONS, read according to the placement's family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlacementOptions {
    /// None sent (absent, empty, `undefined`, `{}`).
    None,
    /// `{"ID"}`: the object the widget was opened for.
    Id { id: u64 },
    /// `{"ENTITY_ID"}`.
    EntityId { entity_id: u64 },
    /// The built-in interface of DETAIL_ACTIVITY: `{entityTypeId, entityId, useBuiltInInterface}`.
    BuiltInInterface {
        entity_type_id: u64,
        entity_id: u64,
        use_built_in_interface: bool,
    },
    /// ACTIVITY_TIMELINE_MENU: the card's object and the timeline item's activity.
    TimelineItem {
        entity_id: u64,
        associated_entity_id: u64,
        associated_entity_type_id: u64,
        type_id: Option<u64>,
        type_category_id: Option<u64>,
        timeline_item_id: Option<u64>,
    },
    /// CRM_DETAIL_SEARCH: what the user typed in the form's Contact or Company field.
    Search {
        /// `CONTACT` or `COMPANY`.
        entity_type_name: SearchEntity,
        search_query: String,
    },
    /// The requisite and bank-detail autofill: what the user typed.
    Query { search_query: String },
    /// The options of an unknown placement, or of one that carries none, as sent.
    Other(Map<String, Value>),
}

/// What the client search looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchEntity {
    Contact,
    Company,
}

impl SearchEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchEntity::Contact => "CONTACT",
            SearchEntity::Company => "COMPANY",
        }
    }
}

impl PlacementOptions {
    /// The id of the object the widget was opened for.
    pub fn entity_id(&self) -> Option<u64> {
        match *self {
            PlacementOptions::Id { id } => Some(id),
            PlacementOptions::EntityId { entity_id }
            | PlacementOptions::BuiltInInterface { entity_id, .. }
            | PlacementOptions::TimelineItem { entity_id, .. } => Some(entity_id),
            PlacementOptions::None
            | PlacementOptions::Search { .. }
            | PlacementOptions::Query { .. }
            | PlacementOptions::Other(_) => None,
        }
    }

    /// The options as JSON, with the wire names.
    pub fn to_json(&self) -> Value {
        let s = |n: u64| Value::String(n.to_string());
        match self {
            PlacementOptions::None => json!({}),
            PlacementOptions::Id { id } => json!({ "ID": s(*id) }),
            PlacementOptions::EntityId { entity_id } => json!({ "ENTITY_ID": s(*entity_id) }),
            PlacementOptions::BuiltInInterface {
                entity_type_id,
                entity_id,
                use_built_in_interface,
            } => json!({
                "entityTypeId": s(*entity_type_id),
                "entityId": s(*entity_id),
                "useBuiltInInterface": if *use_built_in_interface { "Y" } else { "N" },
            }),
            PlacementOptions::TimelineItem {
                entity_id,
                associated_entity_id,
                associated_entity_type_id,
                type_id,
                type_category_id,
                timeline_item_id,
            } => {
                let mut m = Map::new();
                m.insert("ENTITY_ID".into(), s(*entity_id));
                m.insert("ASSOCIATED_ENTITY_ID".into(), s(*associated_entity_id));
                m.insert("ASSOCIATED_ENTITY_TYPE_ID".into(), s(*associated_entity_type_id));
                for (k, v) in [
                    ("TYPE_ID", type_id),
                    ("TYPE_CATEGORY_ID", type_category_id),
                    ("TIMELINE_ITEM_ID", timeline_item_id),
                ] {
                    if let Some(v) = v {
                        m.insert(k.into(), s(*v));
                    }
                }
                Value::Object(m)
            }
            PlacementOptions::Search {
                entity_type_name,
                search_query,
            } => json!({ "entityTypeName": entity_type_name.as_str(), "searchQuery": search_query }),
            PlacementOptions::Query { search_query } => json!({ "searchQuery": search_query }),
            PlacementOptions::Other(m) => Value::Object(m.clone()),
        }
    }
}

fn opt_id(map: &Members, key: &str) -> Result<Option<u64>, RequestError> {
    let named = |message| err(format!("PLACEMENT_OPTIONS.{key}"), message);
    match map.get(key) {
        None | Some(Member::Other(Value::Null)) => Ok(None),
        Some(Member::Str(s)) if s.is_empty() || s == "undefined" => Ok(None),
        Some(m) => m.id().map(Some).map_err(named),
    }
}

/// A required text member of PLACEMENT_OPTIONS.
fn text(map: &Members, key: &str) -> Result<String, RequestError> {
    match map.get(key) {
        Some(Member::Str(s)) => Ok(s.to_string()),
        Some(other) => Err(err(
            format!("PLACEMENT_OPTIONS.{key}"),
            format!("expected a string, found {}", other.to_value()),
        )),
        None => Err(err(
            format!("PLACEMENT_OPTIONS.{key}"),
            "required for this placement",
        )),
    }
}

fn req_id(map: &Members, key: &str) -> Result<u64, RequestError> {
    opt_id(map, key)?.ok_or_else(|| err(format!("PLACEMENT_OPTIONS.{key}"), "required for this placement"))
}

/// PLACEMENT_OPTIONS typed for the placement's family, and its `URI`.
pub(crate) fn parse_options(
    raw: Option<&str>,
    placement: &Placement,
) -> Result<(PlacementOptions, Option<String>), RequestError> {
    let raw = raw.map(str::trim).unwrap_or("");
    if raw.is_empty() || raw == "undefined" || raw == "null" {
        return Ok((PlacementOptions::None, None));
    }
    let raw: RawOptions =
        serde_json::from_str(raw).map_err(|e| err("PLACEMENT_OPTIONS", format!("not a JSON object: {e}")))?;
    let mut map = match raw {
        RawOptions::Object(m) => m,
        RawOptions::NotAnObject => return Err(err("PLACEMENT_OPTIONS", "not a JSON object")),
    };
    // every placement may carry the page it was opened from
    let uri = match map.0.iter().position(|(k, _)| k == "URI") {
        Some(i) => match map.0.remove(i).1 {
            Member::Str(s) => Some(s.into_owned()),
            Member::Other(Value::Null) => None,
            Member::Other(v) => {
                return Err(err(
                    "PLACEMENT_OPTIONS.URI",
                    format!("expected a string, found {v}"),
                ))
            }
        },
        None => None,
    };
    let options = typed_options(map, placement)?;
    // the bank-detail autofill is told which requisite form asked: its URI is required
    if uri.is_none()
        && placement
            .known()
            .is_some_and(|p| p.family() == Family::BANK_DETAIL_AUTOCOMPLETE)
    {
        return Err(err(
            "PLACEMENT_OPTIONS.URI",
            "required for the bank-detail autofill (the requisite form's address)",
        ));
    }
    Ok((options, uri))
}

fn typed_options(map: Members<'_>, placement: &Placement) -> Result<PlacementOptions, RequestError> {
    if map.is_empty() {
        return Ok(PlacementOptions::None);
    }
    let Placement::Known(p) = placement else {
        return Ok(PlacementOptions::Other(map.into_map()));
    };
    let family = p.family();
    if family == Family::DETAIL_ACTIVITY
        && (map.contains_key("entityId") || map.contains_key("useBuiltInInterface"))
    {
        let flag = match map.get("useBuiltInInterface") {
            None => false,
            Some(Member::Str(s)) if s == "Y" => true,
            Some(Member::Str(s)) if s == "N" => false,
            Some(Member::Other(Value::Bool(b))) => *b,
            Some(v) => {
                return Err(err(
                    "PLACEMENT_OPTIONS.useBuiltInInterface",
                    format!("expected \"Y\" or \"N\", found {}", v.to_value()),
                ))
            }
        };
        let entity_type_id = match map.get("entityTypeId") {
            Some(v) => v.id().map_err(|m| err("PLACEMENT_OPTIONS.entityTypeId", m))?,
            None => u64::from(p.entity().map_or(0, Entity::entity_type_id)),
        };
        let entity_id = map
            .get("entityId")
            .unwrap_or(&Member::Other(Value::Null))
            .id()
            .map_err(|m| err("PLACEMENT_OPTIONS.entityId", m))?;
        return Ok(PlacementOptions::BuiltInInterface {
            entity_type_id,
            entity_id,
            use_built_in_interface: flag,
        });
    }
    use crate::placement::OptionsShape as S;
    Ok(match family.options() {
        S::Id | S::IdOrEntityId if map.contains_key("ID") => PlacementOptions::Id {
            id: req_id(&map, "ID")?,
        },
        S::EntityId | S::IdOrEntityId if map.contains_key("ENTITY_ID") => PlacementOptions::EntityId {
            entity_id: req_id(&map, "ENTITY_ID")?,
        },
        S::Id => PlacementOptions::Id {
            id: req_id(&map, "ID")?,
        },
        S::EntityId | S::IdOrEntityId => PlacementOptions::EntityId {
            entity_id: req_id(&map, "ENTITY_ID")?,
        },
        S::TimelineItem => PlacementOptions::TimelineItem {
            entity_id: req_id(&map, "ENTITY_ID")?,
            associated_entity_id: req_id(&map, "ASSOCIATED_ENTITY_ID")?,
            associated_entity_type_id: req_id(&map, "ASSOCIATED_ENTITY_TYPE_ID")?,
            type_id: opt_id(&map, "TYPE_ID")?,
            type_category_id: opt_id(&map, "TYPE_CATEGORY_ID")?,
            timeline_item_id: opt_id(&map, "TIMELINE_ITEM_ID")?,
        },
        S::Search => {
            let entity_type_name = match text(&map, "entityTypeName")?.as_str() {
                "CONTACT" => SearchEntity::Contact,
                "COMPANY" => SearchEntity::Company,
                other => {
                    return Err(err(
                        "PLACEMENT_OPTIONS.entityTypeName",
                        format!("expected CONTACT or COMPANY, found {other:?}"),
                    ))
                }
            };
            PlacementOptions::Search {
                entity_type_name,
                search_query: text(&map, "searchQuery")?,
            }
        }
        S::Query => PlacementOptions::Query {
            search_query: text(&map, "searchQuery")?,
        },
        S::None => PlacementOptions::Other(map.into_map()),
    })
}
