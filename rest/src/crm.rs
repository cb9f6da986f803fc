//! Typed reads of CRM objects, timeline comments, and placement registration.

use b24_placement::bind::PlacementBind;
use b24_placement::placement::{Entity, Placement};
use b24_placement::request::{HandlerRequest, RestCall};
use serde_json::{json, Map, Value};

use crate::client::Client;
use crate::error::Error;

/// A CRM object as the portal gives it: its fields by name (`TITLE`, `OPPORTUNITY` for
/// the classic methods; `title`, `opportunity` for `crm.item.get`).
#[derive(Clone, Debug, PartialEq)]
pub struct CrmObject {
    pub entity: Entity,
    pub fields: Map<String, Value>,
}

impl CrmObject {
    /// A field, whatever case the method spells it in.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.fields
            .get(name)
            .or_else(|| self.fields.get(&name.to_ascii_uppercase()))
            .or_else(|| self.fields.get(&lower_camel(name)))
    }

    /// A text field (`TITLE`, `title`, `NAME`...).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(Value::as_str)
    }

    pub fn id(&self) -> Option<u64> {
        crate::answer::whole(self.field("id")?)
    }

    /// The object in its typed form ([`b24_crm::Deal`], [`b24_crm::Item`]...): its
    /// standard fields in their own types, its user fields by name, the rest as sent.
    pub fn typed<T: b24_crm::Object>(&self) -> T {
        T::from_map(self.fields.clone())
    }

    /// The object's title (a deal's, a quote's...) or, for people, its name.
    pub fn title(&self) -> Option<&str> {
        self.text("title").or_else(|| self.text("name"))
    }
}

fn lower_camel(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut up = false;
    for c in lower.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The lower-case type name `crm.timeline.comment.add` takes: `deal`, `dynamic_183`.
pub fn timeline_entity_type(entity: Entity) -> String {
    match entity {
        Entity::DYNAMIC(n) => format!("dynamic_{n}"),
        other => other.kind().as_str().to_ascii_lowercase(),
    }
}

/// The call that reads `entity` number `id` (the same mapping as
/// [`HandlerRequest::read_call`]).
pub fn get_call(entity: Entity, id: u64) -> RestCall {
    b24_placement::request::read_call_of(entity, id)
}

/// One registration of `placement.get`.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundPlacement {
    pub placement: Placement,
    pub handler: String,
    pub title: String,
    /// `options` (an empty object when the portal sent `[]`).
    pub options: Map<String, Value>,
    pub user_id: u64,
}

impl Client {
    /// Runs a call described by a [`RestCall`] (e.g. [`HandlerRequest::read_call`]).
    pub async fn run(&self, call: &RestCall) -> Result<Value, Error> {
        Ok(self.call(call.method, &call.params).await?.result)
    }

    /// Reads `entity` number `id` (`crm.deal.get`, ..., `crm.item.get` for smart invoices
    /// and custom types, whose `item` is unwrapped).
    pub async fn get(&self, entity: Entity, id: u64) -> Result<CrmObject, Error> {
        let call = get_call(entity, id);
        let result = self.run(&call).await?;
        let fields = match result {
            // crm.item.get answers {"item": {...}}, sale.order.get {"order": {...}}
            Value::Object(mut o) if matches!(call.method, "crm.item.get" | "sale.order.get") => {
                match o.remove("item").or_else(|| o.remove("order")) {
                    Some(Value::Object(item)) => item,
                    _ => o,
                }
            }
            Value::Object(o) => o,
            other => {
                return Err(Error::NotJson {
                    method: call.method.to_owned(),
                    status: 200,
                    what: format!("a result that is not an object ({})", crate::answer_kind(&other)),
                })
            }
        };
        Ok(CrmObject { entity, fields })
    }

    /// Reads `entity` number `id` into its typed form: `client.get_as::<Deal>(Entity::DEAL,
    /// 7)`, `client.get_as::<Item>(Entity::DYNAMIC(183), 1)`. A field the type does not
    /// declare, or whose value is not of its type, is kept in `other`, never an error.
    pub async fn get_as<T: b24_crm::Object>(&self, entity: Entity, id: u64) -> Result<T, Error> {
        Ok(T::from_map(self.get(entity, id).await?.fields))
    }

    /// Reads the object a widget was opened for; `None` when its placement carries none
    /// (a list toolbar, analytics).
    pub async fn read(&self, request: &HandlerRequest) -> Result<Option<CrmObject>, Error> {
        match request.entity() {
            Some((entity, id)) => self.get(entity, id).await.map(Some),
            None => Ok(None),
        }
    }

    /// Adds a comment to the timeline of `entity` number `id`; gives the comment's id.
    pub async fn add_comment(&self, entity: Entity, id: u64, text: &str) -> Result<u64, Error> {
        let params = json!({"fields": {"ENTITY_ID": id, "ENTITY_TYPE": timeline_entity_type(entity), "COMMENT": text}});
        let result = self.call("crm.timeline.comment.add", params).await?.result;
        crate::answer::whole(&result).ok_or_else(|| Error::NotJson {
            method: "crm.timeline.comment.add".into(),
            status: 200,
            what: format!(
                "a result that is not a comment id ({})",
                crate::answer_kind(&result)
            ),
        })
    }

    /// `placement.bind` with the params of `bind`.
    pub async fn bind(&self, bind: &PlacementBind) -> Result<bool, Error> {
        Ok(self
            .call("placement.bind", bind.to_json())
            .await?
            .result
            .as_bool()
            .unwrap_or(false))
    }

    /// `placement.unbind` of `placement`: one handler, or every handler of the app.
    pub async fn unbind(&self, placement: &Placement, handler: Option<&str>) -> Result<u64, Error> {
        let mut params = json!({"PLACEMENT": placement.to_string()});
        if let Some(h) = handler {
            params["HANDLER"] = Value::from(h);
        }
        let result = self.call("placement.unbind", params).await?.result;
        Ok(result.get("count").and_then(crate::answer::whole).unwrap_or(0))
    }

    /// `placement.get`: every registration of the app.
    pub async fn bound(&self) -> Result<Vec<BoundPlacement>, Error> {
        let result = self.call("placement.get", Value::Null).await?.result;
        let Value::Array(items) = result else {
            return Ok(Vec::new());
        };
        Ok(items
            .iter()
            .filter_map(|i| {
                let text = |k: &str| i.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                Some(BoundPlacement {
                    // as the portal sends it: a code this crate does not know is kept
                    placement: Placement::parse(i.get("placement")?.as_str()?),
                    handler: text("handler"),
                    title: text("title"),
                    options: match i.get("options") {
                        Some(Value::Object(o)) => o.clone(),
                        _ => Map::new(),
                    },
                    user_id: i.get("userId").and_then(crate::answer::whole).unwrap_or(0),
                })
            })
            .collect())
    }
}
