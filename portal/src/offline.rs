//! The offline queue as the docs describe it: one record per object (the latest change),
//! a queue per `auth_connector` channel that the channel's own changes do not enter,
//! `event.offline.get` (take, or reserve under a `process_id` with `clear=0`),
//! `event.offline.clear` (only a reservation's records), `event.offline.error` (set aside,
//! returned with `error=1`), and the read-only `event.offline.list`.

use b24_placement::event::EventName;
use b24_placement::time::unix_now;
use serde_json::{json, Map, Value};

use crate::crm::Listed;
use crate::events::{flag, get, text};
use crate::failure::Failure;
use crate::oauth::random_token;
use crate::params::{as_id, as_int};
use crate::portal::{Inner, Portal};

/// A record of the queue.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    id: u64,
    time: u64,
    event: String,
    data: Value,
    /// The object it is about (`data` again, as the key of "one record per object").
    object: String,
    message_id: String,
    process_id: Option<String>,
    error: bool,
    connector: Option<String>,
}

impl Record {
    fn to_json(&self, full: bool) -> Value {
        let mut r = json!({"ID": self.id.to_string(), "TIMESTAMP_X": timestamp(self.time), "EVENT_NAME": self.event,
            "EVENT_DATA": self.data, "EVENT_ADDITIONAL": {"USER_ID": "1"}, "MESSAGE_ID": self.message_id});
        if full {
            r["PROCESS_ID"] = json!(self.process_id.clone().unwrap_or_default());
            r["ERROR"] = json!(if self.error { "1" } else { "0" });
        }
        r
    }
}

/// `2026-12-03T16:27:07+00:00`, as the portal writes a time.
fn timestamp(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    // the civil date of a day count (Howard Hinnant's algorithm)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The queues of all channels.
#[derive(Default)]
pub(crate) struct Queue {
    records: Vec<Record>,
    next_id: u64,
}

/// How many records one `event.offline.get` may take.
const MAX_LIMIT: u64 = 1000;

fn connector_of(p: &Map<String, Value>) -> Option<String> {
    Some(text(p, "auth_connector")).filter(|c| !c.is_empty())
}

impl Portal {
    /// Queues `name` into every offline channel bound for it but `from`'s; gives whether
    /// anything was queued. A record of the same object that waits (neither reserved nor
    /// set aside) is replaced: the queue keeps the latest change.
    pub(crate) fn queue_offline(
        &self,
        inner: &mut Inner,
        name: &EventName,
        data: &Value,
        from: Option<&str>,
    ) -> bool {
        let wanted = name.to_string();
        let mut channels: Vec<Option<String>> = inner
            .events
            .bindings
            .iter()
            .filter(|b| b.offline && b.event == wanted)
            .map(|b| b.connector.clone())
            .collect();
        channels.dedup();
        let object = format!("{}:{}", object_stem(&wanted), data);
        let mut queued = false;
        for channel in channels {
            // a channel's own changes do not come back to it
            if channel.is_some() && channel.as_deref() == from {
                continue;
            }
            let queue = &mut inner.events.queue;
            queue.records.retain(|r| {
                !(r.connector == channel && r.object == object && r.process_id.is_none() && !r.error)
            });
            queue.next_id += 1;
            queue.records.push(Record {
                id: queue.next_id,
                time: unix_now(),
                event: wanted.clone(),
                data: data.clone(),
                object: object.clone(),
                message_id: random_token("", 16),
                process_id: None,
                error: false,
                connector: channel,
            });
            queued = true;
        }
        queued
    }

    /// `event.offline.get`.
    pub(crate) fn offline_get(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let limit = match get(p, "limit") {
            None => 50,
            Some(v) => as_id(Some(v))
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .ok_or_else(|| Failure::bad("ERROR_ARGUMENT", "limit is a whole number from 1 to 1000"))?,
        } as usize;
        let clear = flag(p, "clear", true);
        let with_errors = flag(p, "error", false);
        let channel = connector_of(p);
        let asked = Some(text(p, "process_id")).filter(|s| !s.is_empty());
        let filter = match get(p, "filter") {
            Some(Value::Object(f)) => f.clone(),
            _ => Map::new(),
        };
        let mut inner = self.lock();
        let queue = &mut inner.events.queue;
        // a process asks again for what it reserved and did not clear
        let mut picked: Vec<usize> = match &asked {
            Some(pid) => (0..queue.records.len())
                .filter(|&i| {
                    queue.records[i].process_id.as_deref() == Some(pid.as_str()) && !queue.records[i].error
                })
                .take(limit)
                .collect(),
            None => Vec::new(),
        };
        if picked.is_empty() {
            for (i, r) in queue.records.iter().enumerate() {
                if picked.len() >= limit {
                    break;
                }
                let free = r.process_id.is_none() && (!r.error || with_errors);
                if free && r.connector == channel && matches(r, &filter)? {
                    picked.push(i);
                }
            }
        }
        let events: Vec<Value> = picked.iter().map(|&i| queue.records[i].to_json(false)).collect();
        let process_id = if clear {
            let mut n = 0;
            queue.records.retain(|_| {
                n += 1;
                !picked.contains(&(n - 1))
            });
            None
        } else if picked.is_empty() {
            asked
        } else {
            let pid = asked.unwrap_or_else(|| random_token("", 16));
            for &i in &picked {
                queue.records[i].process_id = Some(pid.clone());
                queue.records[i].error = false;
            }
            Some(pid)
        };
        Ok(json!({"process_id": process_id, "events": events}))
    }

    /// `event.offline.clear`: a reservation's records (all, or by `id` / `message_id`).
    pub(crate) fn offline_clear(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let pid = text(p, "process_id");
        if pid.is_empty() {
            return Err(Failure::bad(
                "ERROR_ARGUMENT",
                "Argument 'process_id' is null or empty",
            ));
        }
        let ids = list(get(p, "id"));
        let messages = list(get(p, "message_id"));
        let mut inner = self.lock();
        inner.events.queue.records.retain(|r| {
            let mine = r.process_id.as_deref() == Some(pid.as_str());
            let chosen = if !ids.is_empty() {
                ids.contains(&r.id.to_string())
            } else if !messages.is_empty() {
                messages.contains(&r.message_id)
            } else {
                true
            };
            !(mine && chosen)
        });
        Ok(Value::Bool(true))
    }

    /// `event.offline.error`: a reservation's records set aside as failed (returned by a
    /// get with `error=1`).
    pub(crate) fn offline_error(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let pid = text(p, "process_id");
        if pid.is_empty() {
            return Err(Failure::bad(
                "ERROR_ARGUMENT",
                "Argument 'process_id' is null or empty",
            ));
        }
        let messages = list(get(p, "message_id"));
        let mut inner = self.lock();
        for r in &mut inner.events.queue.records {
            if r.process_id.as_deref() == Some(pid.as_str()) && messages.contains(&r.message_id) {
                r.error = true;
                r.process_id = None;
            }
        }
        Ok(Value::Bool(true))
    }

    /// `event.offline.list`: the queue as it is, 50 a page, nothing reserved.
    pub(crate) fn offline_list(&self, p: &Map<String, Value>) -> Result<Listed, Failure> {
        let channel = connector_of(p);
        let filter = match get(p, "filter") {
            Some(Value::Object(f)) => f.clone(),
            _ => Map::new(),
        };
        let start = as_int(get(p, "start")).unwrap_or(0).max(0) as usize;
        let inner = self.lock();
        let mut rows = Vec::new();
        for r in &inner.events.queue.records {
            if r.connector == channel && matches(r, &filter)? {
                rows.push(r.to_json(true));
            }
        }
        let total = rows.len();
        let page: Vec<Value> = rows.into_iter().skip(start).take(crate::crm::PAGE).collect();
        Ok(Listed {
            result: Value::Array(page),
            total: Some(total as u64),
            next: (start + crate::crm::PAGE < total).then_some((start + crate::crm::PAGE) as u64),
        })
    }

    /// How many records wait in the queue of `channel` (not reserved, not set aside).
    pub fn offline_waiting(&self, channel: Option<&str>) -> usize {
        self.lock()
            .events
            .queue
            .records
            .iter()
            .filter(|r| r.connector.as_deref() == channel && r.process_id.is_none() && !r.error)
            .count()
    }
}

/// The object part of an event's name: `ONCRMDEAL` for ONCRMDEALADD and ONCRMDEALUPDATE
/// alike, so that a deal added then changed is one record.
fn object_stem(event: &str) -> &str {
    for action in ["ADD", "UPDATE", "DELETE"] {
        if let Some(i) = event.find(action) {
            return &event[..i];
        }
    }
    event
}

/// The items of a list param (`[1, 2]`, or `{"0": 1, "1": 2}` from a form), as text.
fn list(v: Option<&Value>) -> Vec<String> {
    let items: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => o.values().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// Whether a record passes a filter on `ID`, `EVENT_NAME`, `MESSAGE_ID`, `PROCESS_ID`,
/// `ERROR` (`=`, `!`, `>`, `>=`, `<`, `<=` before the name).
fn matches(r: &Record, filter: &Map<String, Value>) -> Result<bool, Failure> {
    for (key, want) in filter {
        let (op, field) = crate::crm::split_op(key);
        let want = match want {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let have = match field.to_ascii_uppercase().as_str() {
            "ID" => r.id.to_string(),
            "EVENT_NAME" => r.event.clone(),
            "MESSAGE_ID" => r.message_id.clone(),
            "PROCESS_ID" => r.process_id.clone().unwrap_or_default(),
            "ERROR" => (if r.error { "1" } else { "0" }).to_owned(),
            "TIMESTAMP_X" => r.time.to_string(),
            other => {
                return Err(Failure::bad(
                    "ERROR_ARGUMENT",
                    &format!("the queue is filtered by ID, TIMESTAMP_X, EVENT_NAME, MESSAGE_ID, PROCESS_ID or ERROR, not `{other}`"),
                ))
            }
        };
        let num = |s: &str| s.parse::<f64>().ok();
        let ok = match op {
            "" | "=" => have.eq_ignore_ascii_case(&want),
            "!" => !have.eq_ignore_ascii_case(&want),
            "%" => have.to_lowercase().contains(&want.to_lowercase()),
            cmp => match (num(&have), num(&want)) {
                (Some(a), Some(b)) => match cmp {
                    ">" => a > b,
                    ">=" => a >= b,
                    "<" => a < b,
                    "<=" => a <= b,
                    _ => {
                        return Err(Failure::bad(
                            "ERROR_ARGUMENT",
                            &format!("unknown operator `{cmp}`"),
                        ))
                    }
                },
                _ => {
                    return Err(Failure::bad(
                        "ERROR_ARGUMENT",
                        &format!("filter `{key}` compares numbers"),
                    ))
                }
            },
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_written_as_the_portal_writes_them() {
        assert_eq!(super::timestamp(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(super::timestamp(1_796_315_227), "2026-12-03T16:27:07+00:00");
        assert_eq!(super::timestamp(951_782_400), "2000-02-29T00:00:00+00:00");
    }
}
