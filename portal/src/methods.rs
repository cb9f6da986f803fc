//! The REST methods the portal answers: one dispatch, each method's own errors.

use serde_json::{json, Map, Value};

use crate::crm::Listed;
use crate::failure::Failure;
use crate::oauth::Caller;
use crate::params::as_id;
use crate::portal::Portal;

impl Portal {
    /// Runs one method (a batch's commands too).
    pub(crate) fn run(
        &self,
        caller: Caller,
        method: &str,
        p: &Map<String, Value>,
        nested: bool,
    ) -> Result<Listed, Failure> {
        let one = |result: Value| Listed {
            result,
            total: None,
            next: None,
        };
        match method {
            "batch" if nested => Err(Failure::new(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")),
            "batch" => self.batch(caller, p).map(one),
            "placement.bind" | "placement.unbind" | "placement.get" if caller == Caller::Webhook => Err(Failure::new(
                403,
                "WRONG_AUTH_TYPE",
                "Current authorization type is denied for this method Application context required",
            )),
            "placement.bind" => self.bind(p).map(one),
            "placement.unbind" => self.unbind(p).map(one),
            "placement.get" => Ok(one(Value::Array(
                self.lock()
                    .placements
                    .iter()
                    .map(|b| {
                        let options = if b.options.is_empty() { json!([]) } else { Value::Object(b.options.clone()) };
                        json!({"placement": b.placement, "userId": 0, "handler": b.handler, "options": options,
                               "title": b.title, "description": "", "langAll": []})
                    })
                    .collect(),
            ))),
            "app.info" => Ok(one(json!({"ID": 1, "CODE": self.config.client_id, "VERSION": 1, "STATUS": "L",
                "INSTALLED": true, "PAYMENT_EXPIRED": "N", "DAYS": null, "LICENSE": "en_project"}))),
            // the online store's order (its own method, scope `sale`)
            "sale.order.get" => {
                let id = as_id(p.get("id")).filter(|&id| id > 0).ok_or_else(|| Failure::bad("", "ID is not defined or invalid"))?;
                let order = self.lock().crm.objects.get(&14).and_then(|m| m.get(&id)).cloned();
                order.map(|o| one(json!({"order": o}))).ok_or_else(|| Failure::bad("", "Not found"))
            }
            // the scopes the app was granted
            "scope" => Ok(one(json!(["crm", "placement", "user"]))),
            "sale.order.list" => {
                let listed = self.lock().crm.list(14, p, false)?;
                Ok(Listed {
                    result: json!({ "orders": listed.result }),
                    ..listed
                })
            }
            "user.current" => {
                let (id, name, last_name) = crate::crm::USER;
                Ok(one(json!({"ID": id.to_string(), "NAME": name, "LAST_NAME": last_name, "ADMIN": true})))
            }
            m if crate::timeline::handles(m) => self.timeline_method(caller, m, p).map(one),
            m if m.starts_with("crm.") => {
                let (answer, changes) = {
                    let mut inner = self.lock();
                    let answer = inner.crm.call(m, p);
                    (answer, std::mem::take(&mut inner.crm.changes))
                };
                // raised once the CRM is saved; a change made through a channel
                // (`auth_connector`) is not queued back to that channel
                let connector = crate::events::text(p, "auth_connector");
                self.raise(changes, Some(connector.as_str()).filter(|c| !c.is_empty()));
                match answer {
                    Some(r) => r,
                    None => Err(Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
                }
            }
            m if m == "events" || m.starts_with("event.") => match self.event_method(caller, m, p) {
                Some(r) => r,
                None => Err(Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
            },
            _ => Err(Failure::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
        }
    }
}
