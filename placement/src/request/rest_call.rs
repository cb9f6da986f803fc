//! The REST call that reads the object a placement was opened for.

use serde_json::{json, Value};

use crate::placement::Entity;

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
