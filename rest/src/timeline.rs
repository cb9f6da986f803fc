//! The timeline's own records: configurable activities, content-block sets on activities
//! and timeline records, badges. Every layout is checked against the rule table before
//! it is sent ([`Error::Refused`] names each broken rule at its pointer), since Bitrix24
//! refuses a broken one with a code and no place.

use b24_placement::placement::Entity;
use layout_core::timeline::{LayoutDto, RestAppLayoutDto, TagType, Translated};
use layout_core::{Rule, Violation, Violations};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::client::Client;
use crate::error::Error;

/// The `fields` of a configurable activity (`crm.activity.configurable.add|update`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityFields {
    /// `CONFIGURABLE` (the default), or a type this app registered with
    /// `crm.activity.type.add` and `IS_CONFIGURABLE_TYPE=Y`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub type_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default, deserialize_with = "yes_no")]
    pub completed: Option<bool>,
    /// A date and time with its zone: `2026-12-04T10:00:00+03:00`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub deadline: Option<String>,
    /// Minutes before the deadline when the user is reminded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ping_offsets: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none", default, deserialize_with = "yes_no")]
    pub is_incoming_channel: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub responsible_id: Option<u64>,
    /// A code of `crm.activity.badge.list`, shown on the owner's kanban card.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "empty_none"
    )]
    pub badge_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub originator_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub origin_id: Option<String>,
}

/// `Y`/`N`, `1`/`0`, `true`/`false`, as the portal reads and writes them.
fn yes_no<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => Some(n.as_i64() != Some(0)),
        Some(Value::String(s)) => match s.as_str() {
            "Y" | "1" | "true" => Some(true),
            "N" | "0" | "false" | "" => Some(false),
            other => return Err(serde::de::Error::custom(format!("`{other}` is not Y or N"))),
        },
        Some(other) => return Err(serde::de::Error::custom(format!("{other} is not Y or N"))),
    })
}

fn empty_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

impl ActivityFields {
    /// What the portal would refuse in these fields, at `/fields/...`.
    pub fn violations(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        if self.is_incoming_channel == Some(true) && self.deadline.is_some() {
            out.push(
                Violation::new(
                    "/fields/deadline",
                    Rule::ExclusiveProperties,
                    "an incoming activity cannot have a deadline",
                )
                .with_help("leave `deadline` out, or `isIncomingChannel` (Bitrix24: INCOMING_ACTIVITY_CAN_NOT_BE_WITH_DEADLINE)"),
            );
        }
        if self.type_id.as_deref().is_some_and(|t| t.trim().is_empty()) {
            out.push(
                Violation::new("/fields/typeId", Rule::EmptyValue, "`typeId` is empty")
                    .with_help("leave it out for CONFIGURABLE, or name a type this app registered"),
            );
        }
        if let Some(deadline) = &self.deadline {
            if !looks_like_datetime(deadline) {
                out.push(
                    Violation::new(
                        "/fields/deadline",
                        Rule::WrongType,
                        format!("`{deadline}` is not a date and time"),
                    )
                    .with_help("write it as 2026-12-04T10:00:00+03:00"),
                );
            }
        }
        out
    }
}

/// `YYYY-MM-DDThh:mm:ss` with an optional zone, or `YYYY-MM-DD hh:mm:ss`.
fn looks_like_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
}

/// A configurable activity as `crm.activity.configurable.get` gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigurableActivity {
    pub id: u64,
    pub owner_type_id: u32,
    pub owner_id: u64,
    pub fields: ActivityFields,
    pub layout: LayoutDto,
}

/// A badge on the kanban card of an activity's owner (`crm.activity.badge.*`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    /// Unique; a badge is found by it.
    pub code: String,
    pub title: Translated,
    /// The text inside the icon, shown upper-case.
    pub value: Translated,
    /// Its color: the tag colors.
    #[serde(rename = "type")]
    pub r#type: TagType,
}

fn refused(method: &str, violations: Vec<Violation>) -> Result<(), Error> {
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Error::Refused {
            method: method.to_owned(),
            violations: Violations(violations),
        })
    }
}

/// The layout's violations, placed under `/layout`.
fn under_layout(result: Result<(), Violations>) -> Vec<Violation> {
    match result {
        Ok(()) => Vec::new(),
        Err(Violations(list)) => list
            .into_iter()
            .map(|v| Violation {
                pointer: format!("/layout{}", v.pointer),
                ..v
            })
            .collect(),
    }
}

fn not_shaped(method: &str, what: &str, result: &Value) -> Error {
    Error::NotJson {
        method: method.to_owned(),
        status: 200,
        what: format!("a result that is not {what} ({})", crate::answer_kind(result)),
    }
}

/// The activity id of `{"activity": {"id": N}}`.
fn activity_id(method: &str, result: &Value) -> Result<u64, Error> {
    result
        .pointer("/activity/id")
        .and_then(crate::answer::whole)
        .ok_or_else(|| not_shaped(method, "{\"activity\": {\"id\": ...}}", result))
}

/// Where a content-block set goes: an activity, or another timeline record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    /// `crm.activity.layout.blocks.*`, by `activityId`.
    Activity(u64),
    /// `crm.timeline.layout.blocks.*` (a comment...), by `timelineId`.
    Timeline(u64),
}

impl Record {
    fn method(self, verb: &str) -> String {
        match self {
            Record::Activity(_) => format!("crm.activity.layout.blocks.{verb}"),
            Record::Timeline(_) => format!("crm.timeline.layout.blocks.{verb}"),
        }
    }

    fn params(self, owner: Entity, owner_id: u64) -> Value {
        let mut params = json!({"entityTypeId": owner.entity_type_id(), "entityId": owner_id});
        match self {
            Record::Activity(id) => params["activityId"] = json!(id),
            Record::Timeline(id) => params["timelineId"] = json!(id),
        }
        params
    }
}

impl Client {
    /// `crm.activity.configurable.add`: a configurable activity in the timeline of
    /// `owner` number `owner_id`; gives its id. The layout and fields are checked first.
    pub async fn add_configurable_activity(
        &self,
        owner: Entity,
        owner_id: u64,
        fields: &ActivityFields,
        layout: &LayoutDto,
    ) -> Result<u64, Error> {
        const METHOD: &str = "crm.activity.configurable.add";
        let mut violations = fields.violations();
        violations.extend(under_layout(layout.validate()));
        refused(METHOD, violations)?;
        let params = json!({
            "ownerTypeId": owner.entity_type_id(),
            "ownerId": owner_id,
            "fields": fields,
            "layout": layout,
        });
        let result = self.call(METHOD, params).await?.result;
        activity_id(METHOD, &result)
    }

    /// `crm.activity.configurable.update`: a whole new layout (the portal takes no part
    /// of one) and the fields. Only the app that made the activity may.
    pub async fn update_configurable_activity(
        &self,
        id: u64,
        fields: &ActivityFields,
        layout: &LayoutDto,
    ) -> Result<u64, Error> {
        const METHOD: &str = "crm.activity.configurable.update";
        let mut violations = fields.violations();
        violations.extend(under_layout(layout.validate()));
        refused(METHOD, violations)?;
        let params = json!({"id": id, "fields": fields, "layout": layout});
        let result = self.call(METHOD, params).await?.result;
        activity_id(METHOD, &result)
    }

    /// `crm.activity.configurable.get`: the activity with its fields and layout, read as
    /// stored (not checked: it is what the portal has).
    pub async fn configurable_activity(&self, id: u64) -> Result<ConfigurableActivity, Error> {
        const METHOD: &str = "crm.activity.configurable.get";
        let result = self.call(METHOD, json!({"id": id})).await?.result;
        let activity = result
            .get("activity")
            .ok_or_else(|| not_shaped(METHOD, "{\"activity\": {...}}", &result))?;
        let whole = |k: &str| activity.get(k).and_then(crate::answer::whole);
        let bad = |what: String| Error::NotJson {
            method: METHOD.to_owned(),
            status: 200,
            what,
        };
        Ok(ConfigurableActivity {
            id: whole("id").ok_or_else(|| not_shaped(METHOD, "an activity with an id", &result))?,
            owner_type_id: whole("ownerTypeId").unwrap_or(0) as u32,
            owner_id: whole("ownerId").unwrap_or(0),
            fields: serde_json::from_value(activity.get("fields").cloned().unwrap_or(json!({})))
                .map_err(|e| bad(format!("fields that cannot be read: {e}")))?,
            layout: serde_json::from_value(activity.get("layout").cloned().unwrap_or(Value::Null))
                .map_err(|e| bad(format!("a layout that cannot be read: {e}")))?,
        })
    }

    /// Sets this app's content blocks on `record` in the timeline of `owner` number
    /// `owner_id` (replacing its earlier set). The set is checked first.
    pub async fn set_layout_blocks(
        &self,
        owner: Entity,
        owner_id: u64,
        record: Record,
        layout: &RestAppLayoutDto,
    ) -> Result<(), Error> {
        let method = record.method("set");
        refused(&method, under_layout(layout.validate()))?;
        let mut params = record.params(owner, owner_id);
        params["layout"] = serde_json::to_value(layout).unwrap_or_default();
        self.call(&method, params).await?;
        Ok(())
    }

    /// This app's content blocks on `record`, as stored; `None` when it has set none.
    pub async fn layout_blocks(
        &self,
        owner: Entity,
        owner_id: u64,
        record: Record,
    ) -> Result<Option<RestAppLayoutDto>, Error> {
        let method = record.method("get");
        let result = self.call(&method, record.params(owner, owner_id)).await?.result;
        match result.get("layout") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) if a.is_empty() => Ok(None),
            Some(layout) => serde_json::from_value(layout.clone())
                .map(Some)
                .map_err(|e| Error::NotJson {
                    method,
                    status: 200,
                    what: format!("a layout that cannot be read: {e}"),
                }),
        }
    }

    /// Removes this app's content blocks from `record`.
    pub async fn delete_layout_blocks(
        &self,
        owner: Entity,
        owner_id: u64,
        record: Record,
    ) -> Result<(), Error> {
        let method = record.method("delete");
        self.call(&method, record.params(owner, owner_id)).await?;
        Ok(())
    }

    /// `crm.activity.badge.add`.
    pub async fn add_badge(&self, badge: &Badge) -> Result<Badge, Error> {
        const METHOD: &str = "crm.activity.badge.add";
        if badge.code.trim().is_empty() {
            refused(
                METHOD,
                vec![
                    Violation::new("/code", Rule::EmptyValue, "a badge needs a `code`")
                        .with_help("name it (\"missedCall\"): activities refer to it by `badgeCode`"),
                ],
            )?;
        }
        let result = self.call(METHOD, badge).await?.result;
        read_badge(METHOD, &result)
    }

    /// `crm.activity.badge.get`.
    pub async fn badge(&self, code: &str) -> Result<Badge, Error> {
        const METHOD: &str = "crm.activity.badge.get";
        let result = self.call(METHOD, json!({"code": code})).await?.result;
        read_badge(METHOD, &result)
    }

    /// `crm.activity.badge.list`.
    pub async fn badges(&self) -> Result<Vec<Badge>, Error> {
        const METHOD: &str = "crm.activity.badge.list";
        let result = self.call(METHOD, json!({})).await?.result;
        // the docs call it an array and show {"badges": [...]}: both are read
        let list = result.get("badges").unwrap_or(&result);
        serde_json::from_value(list.clone()).map_err(|e| Error::NotJson {
            method: METHOD.to_owned(),
            status: 200,
            what: format!("badges that cannot be read: {e}"),
        })
    }

    /// `crm.activity.badge.delete`.
    pub async fn delete_badge(&self, code: &str) -> Result<(), Error> {
        self.call("crm.activity.badge.delete", json!({"code": code}))
            .await?;
        Ok(())
    }
}

fn read_badge(method: &str, result: &Value) -> Result<Badge, Error> {
    serde_json::from_value(result.get("badge").cloned().unwrap_or(Value::Null)).map_err(|e| Error::NotJson {
        method: method.to_owned(),
        status: 200,
        what: format!("a badge that cannot be read: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_as_the_portal_writes_them_and_written_as_the_docs_say() {
        let fields: ActivityFields = serde_json::from_value(json!({
            "typeId": "CONFIGURABLE", "completed": "N", "deadline": "2026-12-04T10:00:00+03:00",
            "isIncomingChannel": false, "responsibleId": 1, "badgeCode": "", "originatorId": null
        }))
        .unwrap();
        assert_eq!(fields.completed, Some(false));
        assert_eq!(fields.badge_code, None);
        assert_eq!(
            serde_json::to_string(&fields).unwrap(),
            r#"{"typeId":"CONFIGURABLE","completed":false,"deadline":"2026-12-04T10:00:00+03:00","isIncomingChannel":false,"responsibleId":1}"#
        );
        assert!(fields.violations().is_empty());
    }

    #[test]
    fn an_incoming_activity_with_a_deadline_is_refused_at_its_pointer() {
        let fields = ActivityFields {
            is_incoming_channel: Some(true),
            deadline: Some("tomorrow".into()),
            ..Default::default()
        };
        let v = fields.violations();
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].pointer.as_str(), v[0].rule),
            ("/fields/deadline", Rule::ExclusiveProperties)
        );
        assert!(v[0]
            .help
            .as_deref()
            .unwrap()
            .contains("INCOMING_ACTIVITY_CAN_NOT_BE_WITH_DEADLINE"));
        assert_eq!(v[1].message, "`tomorrow` is not a date and time");
    }
}
