//! What a widget's handler receives: a form-encoded POST (DOMAIN, PROTOCOL, LANG and
//! APP_SID may come in the query string instead), read into a typed request. Tokens are
//! kept in [`Secret`], which never prints them.

use std::borrow::Cow;
use std::fmt;

use serde_json::{json, Map, Value};

use crate::placement::{Entity, Family, KnownPlacement, Placement};
pub use crate::secret::Secret;

/// How the portal is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Http,
    Https,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
        }
    }
}

/// The kind of app that registered the handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppStatus {
    /// `L`: a local app.
    Local,
    /// `F`: a free mass-market app.
    Free,
    /// `D`: a demo.
    Demo,
    /// `T`: a time-limited trial.
    Trial,
    /// `P`: a paid app.
    Paid,
    /// Another letter: Bitrix24 has more than the docs list.
    Other(String),
}

impl AppStatus {
    pub fn as_str(&self) -> &str {
        match self {
            AppStatus::Local => "L",
            AppStatus::Free => "F",
            AppStatus::Demo => "D",
            AppStatus::Trial => "T",
            AppStatus::Paid => "P",
            AppStatus::Other(s) => s,
        }
    }
}

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

/// A field of the request that is missing or malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RequestError {
    /// The field, as sent (`DOMAIN`, `PLACEMENT_OPTIONS.ID`, ...).
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> RequestError {
    RequestError {
        field: field.into(),
        message: message.into(),
    }
}

/// The handler's request, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerRequest {
    /// The portal's host, optionally with a port.
    pub domain: String,
    pub protocol: Option<Protocol>,
    pub lang: Option<String>,
    pub app_sid: Option<String>,
    pub auth_id: Option<Secret>,
    /// Seconds until `auth_id` expires.
    pub auth_expires: Option<u64>,
    pub refresh_id: Option<Secret>,
    /// The OAuth server's REST address (`https://oauth.bitrix.info/rest/`), where tokens
    /// are refreshed.
    pub server_endpoint: Option<String>,
    /// The app's token on this portal, the same as `application_token` at install: what
    /// proves the call came from Bitrix24.
    pub application_token: Option<Secret>,
    /// The scopes granted to the app, comma-separated (`crm,placement`).
    pub application_scope: Option<String>,
    pub member_id: String,
    pub status: Option<AppStatus>,
    pub placement: Placement,
    pub options: PlacementOptions,
    /// `URI` of PLACEMENT_OPTIONS: the path and query of the page the widget was opened
    /// from (absent when the browser sent no Referer).
    pub uri: Option<String>,
}

/// A REST call, ready to send: the method and its params.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestCall {
    pub method: &'static str,
    pub params: Value,
}

impl RestCall {
    pub fn to_json(&self) -> Value {
        json!({ "method": self.method, "params": self.params })
    }
}

/// The REST call that reads `entity` number `id`: `crm.deal.get {id}`, ...,
/// `crm.item.get {entityTypeId, id}` for smart invoices and custom types,
/// `crm.invoice.get` for the old invoice, `sale.order.get` for an order.
pub fn read_call_of(entity: Entity, id: u64) -> RestCall {
    let by_id = |method| RestCall {
        method,
        params: json!({ "id": id }),
    };
    match entity {
        Entity::LEAD => by_id("crm.lead.get"),
        Entity::DEAL => by_id("crm.deal.get"),
        Entity::CONTACT => by_id("crm.contact.get"),
        Entity::COMPANY => by_id("crm.company.get"),
        Entity::QUOTE => by_id("crm.quote.get"),
        Entity::ACTIVITY => by_id("crm.activity.get"),
        Entity::INVOICE => by_id("crm.invoice.get"),
        // the online store's order: its own method (scope `sale`)
        Entity::ORDER => by_id("sale.order.get"),
        Entity::SMART_INVOICE | Entity::DYNAMIC(_) => RestCall {
            method: "crm.item.get",
            params: json!({ "entityTypeId": entity.entity_type_id(), "id": id }),
        },
    }
}

/// Whether `domain` is a host name (or IPv4 address), optionally with `:port`.
pub fn is_valid_domain(domain: &str) -> bool {
    let bytes = domain.as_bytes();
    let (host, port) = match bytes.iter().rposition(|&b| b == b':') {
        Some(i) => (&bytes[..i], Some(&bytes[i + 1..])),
        None => (bytes, None),
    };
    if let Some(p) = port {
        // 1 to 65535, at most five digits
        if p.is_empty() || p.len() > 5 || !p.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let n = p.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        if n == 0 || n > 65535 {
            return false;
        }
    }
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    // labels of 1 to 63 letters, digits and inner hyphens, separated by dots: one pass
    let (mut label, mut last) = (0, b'.');
    for &b in host {
        match b {
            b'.' if label == 0 || last == b'-' => return false,
            b'.' => label = 0,
            b'-' if label == 0 => return false,
            b'-' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => label += 1,
            _ => return false,
        }
        if label > 63 {
            return false;
        }
        last = b;
    }
    label > 0 && last != b'-'
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

/// PLACEMENT_OPTIONS as sent: an object (PHP's empty array `[]` is an empty one), or
/// something else. Read without a hash map, and with its strings borrowed from the text
/// where they have no escapes: it holds a handful of ids, looked up by name a few times.
enum RawOptions<'a> {
    Object(Members<'a>),
    NotAnObject,
}

/// The members of an object, in order; a repeated name keeps its first place and its last
/// value, as `serde_json::Map` does.
struct Members<'a>(Vec<(Cow<'a, str>, Member<'a>)>);

/// A member's value: a string (what ids are), or any other JSON.
enum Member<'a> {
    Str(Cow<'a, str>),
    Other(Value),
}

impl Member<'_> {
    fn to_value(&self) -> Value {
        match self {
            Member::Str(s) => Value::String(s.to_string()),
            Member::Other(v) => v.clone(),
        }
    }

    fn into_value(self) -> Value {
        match self {
            Member::Str(s) => Value::String(s.into_owned()),
            Member::Other(v) => v,
        }
    }

    /// The id in a string of digits (as Bitrix24 sends ids) or a JSON whole number, or
    /// why there is none.
    fn id(&self) -> Result<u64, String> {
        match self {
            Member::Other(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or_default()),
            Member::Str(s) if !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()) => s
                .parse()
                .map_err(|_| "an id must be a string of digits".to_owned()),
            other => Err(format!(
                "an id must be a string of digits or a whole number, found {}",
                other.to_value()
            )),
        }
    }
}

impl<'a> Members<'a> {
    fn get(&self, key: &str) -> Option<&Member<'a>> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn into_map(self) -> Map<String, Value> {
        self.0
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_value()))
            .collect()
    }
}

/// A string borrowed from the text when it can be.
struct Text<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(s)))
    }
}

impl<'de> serde::Deserialize<'de> for Member<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        use serde::de::{MapAccess, SeqAccess, Visitor};
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Member<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Member<'de>, E> {
                TextVisitor.visit_borrowed_str(s).map(|Text(s)| Member::Str(s))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Member<'de>, E> {
                TextVisitor.visit_str(s).map(|Text(s)| Member::Str(s))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Member<'de>, E> {
                TextVisitor.visit_string(s).map(|Text(s)| Member::Str(s))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::from(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::from(n)))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::from(n)))
            }
            fn visit_unit<E>(self) -> Result<Member<'de>, E> {
                Ok(Member::Other(Value::Null))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member<'de>, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(Member::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Member<'de>, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(seq)).map(Member::Other)
            }
        }
        use serde::Deserialize;
        d.deserialize_any(Any)
    }
}

impl<'de> serde::Deserialize<'de> for RawOptions<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Raw;
        impl<'de> Visitor<'de> for Raw {
            type Value = RawOptions<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawOptions<'de>, A::Error> {
                let mut members: Vec<(Cow<'de, str>, Member<'de>)> = Vec::new();
                while let Some((Text(key), value)) = map.next_entry::<Text<'de>, Member<'de>>()? {
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(member) => member.1 = value,
                        None => members.push((key, value)),
                    }
                }
                Ok(RawOptions::Object(Members(members)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawOptions<'de>, A::Error> {
                let mut empty = true;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    empty = false;
                }
                // PHP encodes an empty array as []
                Ok(if empty {
                    RawOptions::Object(Members(Vec::new()))
                } else {
                    RawOptions::NotAnObject
                })
            }
            fn visit_bool<E>(self, _: bool) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_i64<E>(self, _: i64) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_u64<E>(self, _: u64) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_f64<E>(self, _: f64) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_str<E>(self, _: &str) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
            fn visit_unit<E>(self) -> Result<RawOptions<'de>, E> {
                Ok(RawOptions::NotAnObject)
            }
        }
        d.deserialize_any(Raw)
    }
}

/// PLACEMENT_OPTIONS typed for the placement's family, and its `URI`.
fn parse_options(
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

/// The fields of a handler request, as last given (the body is read after the query).
#[derive(Default)]
struct Fields<'a> {
    domain: Option<Cow<'a, str>>,
    protocol: Option<Cow<'a, str>>,
    lang: Option<Cow<'a, str>>,
    app_sid: Option<Cow<'a, str>>,
    auth_id: Option<Cow<'a, str>>,
    auth_expires: Option<Cow<'a, str>>,
    refresh_id: Option<Cow<'a, str>>,
    server_endpoint: Option<Cow<'a, str>>,
    application_token: Option<Cow<'a, str>>,
    application_scope: Option<Cow<'a, str>>,
    member_id: Option<Cow<'a, str>>,
    status: Option<Cow<'a, str>>,
    placement: Option<Cow<'a, str>>,
    placement_options: Option<Cow<'a, str>>,
}

impl<'a> Fields<'a> {
    fn read(&mut self, text: &'a str) {
        crate::form::for_each_pair(text.trim().trim_start_matches('?'), |name, value| {
            let slot = match &*name {
                "DOMAIN" => &mut self.domain,
                "PROTOCOL" => &mut self.protocol,
                "LANG" => &mut self.lang,
                "APP_SID" => &mut self.app_sid,
                "AUTH_ID" => &mut self.auth_id,
                "AUTH_EXPIRES" => &mut self.auth_expires,
                "REFRESH_ID" => &mut self.refresh_id,
                "SERVER_ENDPOINT" => &mut self.server_endpoint,
                "APPLICATION_TOKEN" => &mut self.application_token,
                "APPLICATION_SCOPE" => &mut self.application_scope,
                "member_id" => &mut self.member_id,
                "status" => &mut self.status,
                "PLACEMENT" => &mut self.placement,
                "PLACEMENT_OPTIONS" => &mut self.placement_options,
                _ => return,
            };
            *slot = Some(value);
        });
    }
}

impl HandlerRequest {
    /// The portal's origin as the browser sees it: `https://DOMAIN` (`http://` when
    /// `PROTOCOL` is 0), the one that frames the widget.
    pub fn origin(&self) -> String {
        let scheme = match self.protocol {
            Some(Protocol::Http) => "http",
            _ => "https",
        };
        format!("{scheme}://{}", self.domain)
    }

    /// The portal's REST address for this request's tokens: `https://DOMAIN/rest/`.
    pub fn client_endpoint(&self) -> String {
        let mut endpoint = self.origin();
        endpoint.push_str("/rest/");
        endpoint
    }

    /// Reads the POST body (form-encoded) and, when given, the query string of the
    /// handler URL. A field in the body wins over the same field in the query.
    pub fn parse<'a>(body: &'a str, query: Option<&'a str>) -> Result<HandlerRequest, RequestError> {
        let mut f = Fields::default();
        if let Some(q) = query {
            f.read(q);
        }
        f.read(body);
        fn non_empty<'v>(v: &'v Option<Cow<'_, str>>) -> Option<&'v str> {
            v.as_deref().filter(|v| !v.is_empty())
        }

        let domain = non_empty(&f.domain).ok_or_else(|| err("DOMAIN", "required: the portal's host name"))?;
        if !is_valid_domain(domain) {
            return Err(err(
                "DOMAIN",
                "expected a host name, optionally with a port (example.bitrix24.com)",
            ));
        }
        let protocol = match non_empty(&f.protocol) {
            None => None,
            Some("0") => Some(Protocol::Http),
            Some("1") => Some(Protocol::Https),
            Some(_) => return Err(err("PROTOCOL", "expected 0 (http) or 1 (https)")),
        };
        let member_id =
            non_empty(&f.member_id).ok_or_else(|| err("member_id", "required: the portal's id"))?;
        let placement = Placement::parse(
            non_empty(&f.placement).ok_or_else(|| err("PLACEMENT", "required: the placement code"))?,
        );
        let auth_expires = match non_empty(&f.auth_expires) {
            None => None,
            Some(s) => Some(
                s.parse::<u64>()
                    .map_err(|_| err("AUTH_EXPIRES", "expected a number of seconds"))?,
            ),
        };
        let status = non_empty(&f.status).map(|s| match s {
            "L" => AppStatus::Local,
            "F" => AppStatus::Free,
            "D" => AppStatus::Demo,
            "T" => AppStatus::Trial,
            "P" => AppStatus::Paid,
            other => AppStatus::Other(other.to_owned()),
        });
        let (options, uri) = parse_options(f.placement_options.as_deref(), &placement)?;
        let server_endpoint = match non_empty(&f.server_endpoint) {
            None => None,
            Some(s) if s.starts_with("https://") || s.starts_with("http://") => Some(s.to_owned()),
            Some(_) => return Err(err("SERVER_ENDPOINT", "expected an http(s) address")),
        };
        Ok(HandlerRequest {
            domain: domain.to_owned(),
            protocol,
            lang: non_empty(&f.lang).map(str::to_owned),
            app_sid: non_empty(&f.app_sid).map(str::to_owned),
            auth_id: non_empty(&f.auth_id).map(Secret::new),
            auth_expires,
            refresh_id: non_empty(&f.refresh_id).map(Secret::new),
            server_endpoint,
            application_token: non_empty(&f.application_token).map(Secret::new),
            application_scope: non_empty(&f.application_scope).map(str::to_owned),
            member_id: member_id.to_owned(),
            status,
            placement,
            options,
            uri,
        })
    }

    /// The placement, when it is one of the table.
    pub fn known(&self) -> Option<&KnownPlacement> {
        self.placement.known()
    }

    /// The object the widget was opened for: its type and id.
    pub fn entity(&self) -> Option<(Entity, u64)> {
        Some((self.known()?.entity()?, self.options.entity_id()?))
    }

    /// The REST call that reads the object the widget was opened for.
    pub fn read_call(&self) -> Option<RestCall> {
        let (entity, id) = self.entity()?;
        Some(read_call_of(entity, id))
    }

    /// The summary `b24-layout placement` prints: no token in it.
    pub fn summary(&self) -> Value {
        let known = self.known();
        let entity = known.and_then(KnownPlacement::entity);
        json!({
            "placement": self.placement.to_string(),
            "family": known.map(|p| p.family().as_str()),
            "entity": entity.map(|e| e.kind().as_str()),
            "entityTypeId": entity.map(Entity::entity_type_id),
            "entityId": self.options.entity_id(),
            "scope": known.map(|p| p.scope().as_str()),
            "domain": self.domain,
            "protocol": self.protocol.map(Protocol::as_str),
            "lang": self.lang,
            "memberId": self.member_id,
            "status": self.status.as_ref().map(AppStatus::as_str),
            "options": self.options.to_json(),
            "read": self.read_call().map(|c| c.to_json()),
        })
    }
}
