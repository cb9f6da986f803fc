//! The client search (`CRM_DETAIL_SEARCH`) and the requisite and bank-detail autofill
//! (`CRM_REQUISITE_AUTOCOMPLETE`, `CRM_BANK_DETAIL_AUTOCOMPLETE`) as a typed protocol.
//!
//! The handler gets what the user typed (`PlacementOptions::Search` / `::Query`); the
//! app's frame answers with [`SearchCommand::ShowFound`] (`crmShowFoundEntities`), the
//! portal tells which option the user picked with [`NeedToCreate`]
//! (`onCrmEntityIsNeedToCreate`), and the app puts the created entity into the form with
//! [`SearchCommand::ShowCreated`] (`crmShowCreatedEntity`). Each command prints to and
//! reads back from the `{"command", "params"}` form of the built-in interface's commands.

use serde_json::{json, Map, Value};

/// An option the app found, as `crmShowFoundEntities` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundEntity {
    /// The app's own id of the option.
    pub id: String,
    /// What the user sees.
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
}

impl FoundEntity {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        FoundEntity {
            id: id.into(),
            name: name.into(),
            phone: None,
            email: None,
            web: None,
        }
    }

    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    #[must_use]
    pub fn web(mut self, web: impl Into<String>) -> Self {
        self.web = Some(web.into());
        self
    }

    fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), self.id.clone().into());
        o.insert("name".into(), self.name.clone().into());
        for (k, v) in [("phone", &self.phone), ("email", &self.email), ("web", &self.web)] {
            if let Some(v) = v {
                o.insert(k.into(), v.clone().into());
            }
        }
        Value::Object(o)
    }

    fn from_json(v: &Value, at: &str) -> Result<Self, SearchError> {
        let o = v
            .as_object()
            .ok_or_else(|| SearchError::at(at, "an option is an object {id, name, ...}"))?;
        let text = |k: &str, required: bool| -> Result<Option<String>, SearchError> {
            match o.get(k) {
                Some(Value::String(s)) if required && s.trim().is_empty() => {
                    Err(SearchError::at(&format!("{at}/{k}"), "must not be empty"))
                }
                Some(Value::String(s)) => Ok(Some(s.clone())),
                // ids arrive as numbers from some apps: kept as their text
                Some(Value::Number(n)) if k == "id" => Ok(Some(n.to_string())),
                None | Some(Value::Null) if !required => Ok(None),
                None => Err(SearchError::at(&format!("{at}/{k}"), "required")),
                Some(_) => Err(SearchError::at(&format!("{at}/{k}"), "expected a string")),
            }
        };
        if let Some(k) = o
            .keys()
            .find(|k| !matches!(k.as_str(), "id" | "name" | "phone" | "email" | "web"))
        {
            return Err(SearchError::at(
                &format!("{at}/{k}"),
                "an option has id, name, phone, email and web only",
            ));
        }
        Ok(FoundEntity {
            id: text("id", true)?.unwrap_or_default(),
            name: text("name", true)?.unwrap_or_default(),
            phone: text("phone", false)?,
            email: text("email", false)?,
            web: text("web", false)?,
        })
    }
}

/// The entity the app created for the picked option, as `crmShowCreatedEntity` puts it
/// into the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedEntity {
    /// `company` or `contact` for the client search; the app's type of option for the
    /// autofill (the bank's example says `bank`).
    pub entity_type: String,
    pub id: String,
    pub title: String,
    /// The requisite or bank-detail fields to fill in (`RQ_COMPANY_NAME`, `RQ_BIK`, ...),
    /// in order; empty for the client search.
    pub fields: Vec<(String, String)>,
}

/// The bank-detail fields the docs list for `crmShowCreatedEntity`.
pub const BANK_FIELDS: &[&str] = &[
    "NAME",
    "RQ_BANK_NAME",
    "RQ_BIK",
    "RQ_BANK_ADDR",
    "RQ_COR_ACC_NUM",
    "RQ_SWIFT",
];

/// A command of the search and autofill placements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchCommand {
    /// `crmShowFoundEntities`: the options the app found; none greys the app's item out.
    ShowFound(Vec<FoundEntity>),
    /// `crmShowCreatedEntity`: the entity created for the picked option.
    ShowCreated(CreatedEntity),
}

/// A search command or event that does not have the documented shape: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct SearchError {
    /// A JSON pointer into the params.
    pub pointer: String,
    pub message: String,
}

impl SearchError {
    fn at(pointer: &str, message: &str) -> Self {
        SearchError {
            pointer: pointer.to_owned(),
            message: message.to_owned(),
        }
    }
}

impl SearchCommand {
    /// The command name for `BX24.placement.call`.
    pub fn name(&self) -> &'static str {
        match self {
            SearchCommand::ShowFound(_) => "crmShowFoundEntities",
            SearchCommand::ShowCreated(_) => "crmShowCreatedEntity",
        }
    }

    /// The params for `BX24.placement.call`.
    pub fn params(&self) -> Value {
        match self {
            SearchCommand::ShowFound(found) => {
                json!({ "data": found.iter().map(FoundEntity::to_json).collect::<Vec<_>>() })
            }
            SearchCommand::ShowCreated(c) => {
                let mut o = json!({ "entityType": c.entity_type, "id": c.id, "title": c.title });
                if !c.fields.is_empty() {
                    o["fields"] = Value::Object(
                        c.fields
                            .iter()
                            .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                            .collect(),
                    );
                }
                o
            }
        }
    }

    /// `{"command": name, "params": params}`.
    pub fn to_json(&self) -> Value {
        json!({ "command": self.name(), "params": self.params() })
    }

    /// Reads a command back from its name and params.
    pub fn from_json(name: &str, params: &Value) -> Result<SearchCommand, SearchError> {
        match name {
            "crmShowFoundEntities" => {
                let data = params
                    .get("data")
                    .ok_or_else(|| SearchError::at("/data", "required: the options found, [] for none"))?;
                let list = data
                    .as_array()
                    .ok_or_else(|| SearchError::at("/data", "expected an array of options"))?;
                let found = list
                    .iter()
                    .enumerate()
                    .map(|(i, v)| FoundEntity::from_json(v, &format!("/data/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(SearchCommand::ShowFound(found))
            }
            "crmShowCreatedEntity" => {
                let o = params
                    .as_object()
                    .ok_or_else(|| SearchError::at("", "expected an object {entityType, id, title}"))?;
                let text = |k: &str| match o.get(k) {
                    Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                    Some(Value::Number(n)) if k == "id" => Ok(n.to_string()),
                    Some(_) => Err(SearchError::at(&format!("/{k}"), "expected a non-empty string")),
                    None => Err(SearchError::at(&format!("/{k}"), "required")),
                };
                let fields = match o.get("fields") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Object(f)) => f
                        .iter()
                        .map(|(k, v)| match v {
                            Value::String(s) => Ok((k.clone(), s.clone())),
                            _ => Err(SearchError::at(&format!("/fields/{k}"), "expected a string")),
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                    Some(_) => {
                        return Err(SearchError::at("/fields", "expected an object of field to value"))
                    }
                };
                Ok(SearchCommand::ShowCreated(CreatedEntity {
                    entity_type: text("entityType")?,
                    id: text("id")?,
                    title: text("title")?,
                    fields,
                }))
            }
            other => Err(SearchError::at(
                "",
                &format!("`{other}` is not a search command: crmShowFoundEntities or crmShowCreatedEntity"),
            )),
        }
    }
}

/// `onCrmEntityIsNeedToCreate`: the user picked one of the app's options; the app creates
/// the entity and answers with [`SearchCommand::ShowCreated`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedToCreate {
    pub app_sid: String,
    /// The option picked, as the app sent it.
    pub picked: FoundEntity,
}

impl NeedToCreate {
    /// The name to subscribe to with `BX24.placement.bindEvent`.
    pub const EVENT: &'static str = "onCrmEntityIsNeedToCreate";

    /// Reads the event's payload `{appSid, data}`.
    pub fn from_frame(payload: &Value) -> Result<NeedToCreate, SearchError> {
        let app_sid = payload
            .get("appSid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let data = payload
            .get("data")
            .ok_or_else(|| SearchError::at("/data", "required: the option picked"))?;
        Ok(NeedToCreate {
            app_sid,
            picked: FoundEntity::from_json(data, "/data")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_shapes() {
        let found = SearchCommand::ShowFound(vec![FoundEntity::new("company-123", "Daisy Ltd")
            .phone("+1 555 000-00-00")
            .email("info@example.com")
            .web("https://example.com")]);
        assert_eq!(
            found.to_json(),
            json!({"command": "crmShowFoundEntities", "params": {"data": [{"id": "company-123", "name": "Daisy Ltd",
                "phone": "+1 555 000-00-00", "email": "info@example.com", "web": "https://example.com"}]}})
        );
        assert_eq!(
            SearchCommand::from_json(found.name(), &found.params()).unwrap(),
            found
        );
        let bank = SearchCommand::ShowCreated(CreatedEntity {
            entity_type: "bank".into(),
            id: "b-1".into(),
            title: "First Bank".into(),
            fields: BANK_FIELDS
                .iter()
                .map(|f| ((*f).to_owned(), format!("{f} value")))
                .collect(),
        });
        assert_eq!(
            SearchCommand::from_json(bank.name(), &bank.params()).unwrap(),
            bank
        );
        assert_eq!(bank.params()["fields"]["RQ_BIK"], "RQ_BIK value");
        let picked = NeedToCreate::from_frame(
            &json!({"appSid": "s1", "data": {"id": "company-123", "name": "Daisy Ltd"}}),
        )
        .unwrap();
        assert_eq!(picked.picked.id, "company-123");
        // none found: an empty list, which greys the app's item out
        assert_eq!(SearchCommand::ShowFound(vec![]).params(), json!({"data": []}));
    }

    #[test]
    fn refusals_name_the_member() {
        let e = |name: &str, v: Value| SearchCommand::from_json(name, &v).unwrap_err().to_string();
        assert_eq!(
            e("crmShowFoundEntities", json!({})),
            "/data: required: the options found, [] for none"
        );
        assert_eq!(
            e("crmShowFoundEntities", json!({"data": [{"id": "1"}]})),
            "/data/0/name: required"
        );
        assert_eq!(
            e(
                "crmShowFoundEntities",
                json!({"data": [{"id": "1", "name": "x", "fax": "1"}]})
            ),
            "/data/0/fax: an option has id, name, phone, email and web only"
        );
        assert_eq!(
            e(
                "crmShowCreatedEntity",
                json!({"entityType": "company", "id": "1"})
            ),
            "/title: required"
        );
        assert_eq!(
            e(
                "crmShowCreatedEntity",
                json!({"entityType": "company", "id": "1", "title": "t", "fields": {"RQ_BIK": 7}})
            ),
            "/fields/RQ_BIK: expected a string"
        );
        assert!(e("crmShowFound", json!({})).contains("not a search command"));
    }

    proptest::proptest! {
        #[test]
        fn any_params_are_read_without_panic(name in "crmShow(Found|Created)Entit(ies|y)", text in r#"\{("(data|id|name|appSid|entityType|title|fields|phone)":("[a-z]{0,3}"|\[\]|\[\{"id":"1"\}\]|[0-9]|\{\}|null),?){0,5}\}"#) {
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                let _ = SearchCommand::from_json(&name, &v);
                let _ = NeedToCreate::from_frame(&v);
            }
        }

        #[test]
        fn options_print_and_read_back(id in "[a-z0-9-]{1,10}", name in "\\PC{1,20}", phone in proptest::option::of("[0-9 +-]{1,12}")) {
            proptest::prop_assume!(!name.trim().is_empty());
            let mut f = FoundEntity::new(id, name);
            f.phone = phone;
            let c = SearchCommand::ShowFound(vec![f]);
            proptest::prop_assert_eq!(SearchCommand::from_json(c.name(), &c.params()).unwrap(), c);
        }
    }
}
