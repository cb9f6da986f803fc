//! Every item of a list method, as a stream, by the fast recipe of the docs: ordered by
//! id, filtered on `>id` of the last item seen, `start=-1` (no count of the total).

use std::collections::VecDeque;

use futures_util::stream::{self, Stream, StreamExt};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Error;

/// A page holds at most this many items; a shorter one is the last.
pub const PAGE: usize = 50;

/// The id field of a list method: `id` for `crm.item.list`, `ID` for the others.
fn id_field(method: &str) -> &'static str {
    if method.starts_with("crm.item.") {
        "id"
    } else {
        "ID"
    }
}

/// The items of a page: `result`, or `result.items` (`crm.item.list`), or the one array
/// member of `result` (`tasks.task.list` gives `result.tasks`).
fn page_items(result: Value) -> Vec<Value> {
    match result {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("items") {
            Some(Value::Array(a)) => a,
            _ => {
                let arrays: Vec<Value> = o.into_iter().map(|(_, v)| v).filter(Value::is_array).collect();
                match <[Value; 1]>::try_from(arrays) {
                    Ok([Value::Array(a)]) => a,
                    _ => Vec::new(),
                }
            }
        },
        _ => Vec::new(),
    }
}

fn item_id(item: &Value, field: &str) -> Option<u64> {
    crate::answer::whole(item.get(field).or_else(|| item.get(field.to_ascii_uppercase()))?)
}

struct State {
    client: Client,
    method: String,
    params: Map<String, Value>,
    last: Option<u64>,
    buffer: VecDeque<Value>,
    done: bool,
}

impl Client {
    /// [`Client::list`], each item in its typed form (`client.list_as::<Deal>("crm.deal.list",
    /// json!({"select": ["*", "UF_*"]}))`).
    pub fn list_as<T: b24_crm::Object + Send + 'static>(
        &self,
        method: &str,
        params: Value,
    ) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        let method_name = method.to_owned();
        self.list(method, params).map(move |item| {
            let item = item?;
            let kind = crate::answer_kind(&item);
            T::from_value(item).ok_or_else(|| Error::NotJson {
                method: method_name.clone(),
                status: 200,
                what: format!("an item that is not an object ({kind})"),
            })
        })
    }

    /// Every item of the list method `method` (`crm.deal.list`, `crm.item.list`, ...),
    /// as a stream, one page of 50 per call. `params` may hold `filter` and `select`; the
    /// order and the `start` are the recipe's. Stops after the first error.
    pub fn list(
        &self,
        method: &str,
        params: Value,
    ) -> impl Stream<Item = Result<Value, Error>> + Send + 'static {
        let state = State {
            client: self.clone(),
            method: method.to_owned(),
            params: match params {
                Value::Object(o) => o,
                _ => Map::new(),
            },
            last: None,
            buffer: VecDeque::new(),
            done: false,
        };
        stream::unfold(state, |mut st| async move {
            loop {
                if let Some(item) = st.buffer.pop_front() {
                    return Some((Ok(item), st));
                }
                if st.done {
                    return None;
                }
                let field = id_field(&st.method);
                let mut params = st.params.clone();
                let mut filter = match params.remove("filter") {
                    Some(Value::Object(f)) => f,
                    _ => Map::new(),
                };
                if let Some(last) = st.last {
                    filter.insert(format!(">{field}"), Value::from(last));
                }
                params.insert("filter".into(), Value::Object(filter));
                params.insert("order".into(), serde_json::json!({ field: "ASC" }));
                params.insert("start".into(), Value::from(-1));
                match st.client.call(&st.method, Value::Object(params)).await {
                    Err(e) => {
                        st.done = true;
                        return Some((Err(e), st));
                    }
                    Ok(answer) => {
                        let items = page_items(answer.result);
                        st.done = items.len() < PAGE;
                        match items.last().and_then(|i| item_id(i, field)) {
                            Some(id) if st.last.is_none_or(|l| id > l) => st.last = Some(id),
                            // without an id to go on from, one page is all there is
                            _ => st.done = true,
                        }
                        st.buffer.extend(items);
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_are_found_where_each_method_puts_them() {
        assert_eq!(page_items(json!([{"ID": "1"}])).len(), 1);
        assert_eq!(page_items(json!({"items": [{"id": 1}, {"id": 2}]})).len(), 2);
        assert_eq!(page_items(json!({"tasks": [{"id": 1}]})).len(), 1);
        assert!(page_items(json!({"a": [1], "b": [2]})).is_empty());
        assert_eq!(item_id(&json!({"ID": "17"}), "ID"), Some(17));
        assert_eq!(item_id(&json!({"id": 17}), "id"), Some(17));
    }
}
