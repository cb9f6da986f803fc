//! The portal's fields: `crm.*.fields`, `crm.item.fields` (with `useOriginalUfNames`), the
//! user fields of the classic objects (`crm.*.userfield.add|get|list|update|delete`), and
//! what a write keeps: as Bitrix24, a field the portal does not have (or cannot write) is
//! ignored, without a word. The standard fields are `b24_crm::standard`'s declarations,
//! the same the app's checks read.

use b24_crm::names;
use b24_crm::schema::{EnumItem, Field, NameForm, Schema};
use b24_crm::standard;
use b24_crm::FieldType;
use b24_placement::placement::Entity;
use serde_json::{json, Map, Value};

use crate::crm::Crm;
use crate::failure::Failure;
use crate::params::as_id;

/// A user field of a CRM object.
#[derive(Clone, Debug)]
pub struct UserField {
    pub id: u64,
    /// entityTypeId of its object.
    pub type_id: u64,
    /// `UF_CRM_...`.
    pub field_name: String,
    pub user_type_id: String,
    pub multiple: bool,
    pub mandatory: bool,
    pub label: String,
    pub sort: i64,
    /// The options of an enumeration: (ID, VALUE).
    pub list: Vec<(u64, String)>,
    pub settings: Value,
}

/// The user types `crm.*.userfield.add` takes (FIELDS.md §6.1).
pub const USER_TYPES: &[&str] = &[
    "string",
    "integer",
    "double",
    "boolean",
    "datetime",
    "date",
    "money",
    "url",
    "address",
    "enumeration",
    "file",
    "employee",
    "crm_status",
    "iblock_section",
    "iblock_element",
    "crm",
];

/// The entity of an entityTypeId.
fn entity(type_id: u64) -> Option<Entity> {
    let t = u32::try_from(type_id).ok()?;
    Some(match t {
        1 => Entity::LEAD,
        2 => Entity::DEAL,
        3 => Entity::CONTACT,
        4 => Entity::COMPANY,
        6 => Entity::ACTIVITY,
        7 => Entity::QUOTE,
        31 => Entity::SMART_INVOICE,
        5 | 14 => return None,
        n => Entity::DYNAMIC(n),
    })
}

impl UserField {
    /// The field's description in a schema, spelled as `form` spells user fields.
    fn description(&self, form: NameForm) -> Field {
        let name = match form {
            NameForm::Upper => self.field_name.clone(),
            NameForm::Camel => names::to_camel(&self.field_name).unwrap_or_else(|| self.field_name.clone()),
        };
        Field {
            name,
            r#type: FieldType::parse(&self.user_type_id),
            is_required: self.mandatory,
            is_read_only: false,
            is_immutable: false,
            is_multiple: self.multiple,
            is_dynamic: true,
            // the classic methods title a user field by its code
            title: match form {
                NameForm::Upper => self.field_name.clone(),
                NameForm::Camel => self.label.clone(),
            },
            upper_name: (form == NameForm::Camel).then(|| self.field_name.clone()),
            status_type: None,
            items: self
                .list
                .iter()
                .map(|(id, v)| EnumItem {
                    id: id.to_string(),
                    value: v.clone(),
                })
                .collect(),
        }
    }

    /// The field object of `crm.*.userfield.get|list`: scalars as strings.
    fn to_json(&self) -> Value {
        let yn = |b: bool| if b { "Y" } else { "N" };
        let mut o = json!({
            "ID": self.id.to_string(),
            "ENTITY_ID": format!("CRM_{}", entity(self.type_id).map(|e| e.kind().as_str().to_owned()).unwrap_or_default()),
            "FIELD_NAME": self.field_name,
            "USER_TYPE_ID": self.user_type_id,
            "XML_ID": null,
            "SORT": self.sort.to_string(),
            "MULTIPLE": yn(self.multiple),
            "MANDATORY": yn(self.mandatory),
            "SHOW_FILTER": "N",
            "SHOW_IN_LIST": "Y",
            "EDIT_IN_LIST": "Y",
            "IS_SEARCHABLE": "N",
            "SETTINGS": self.settings,
            "EDIT_FORM_LABEL": self.label,
            "LIST_COLUMN_LABEL": self.label,
            "LIST_FILTER_LABEL": self.label,
        });
        if self.user_type_id == "enumeration" {
            o["LIST"] = Value::Array(
                self.list
                    .iter()
                    .enumerate()
                    .map(|(i, (id, v))| json!({"ID": id.to_string(), "SORT": ((i + 1) * 10).to_string(), "VALUE": v, "DEF": "N", "XML_ID": format!("{id}")}))
                    .collect(),
            );
        }
        o
    }
}

/// The demo's user fields: on deals one of each common type; on the custom type 183 (a
/// smart process whose own id is 5: its fields are `UF_CRM_5_...`, `ufCrm5...` in
/// `crm.item.*`) a route and a weight.
pub(crate) fn demo_user_fields() -> Vec<UserField> {
    let on = |type_id: u64, id: u64, name: &str, ty: &str, label: &str, list: Vec<(u64, &str)>| UserField {
        id,
        type_id,
        field_name: format!("UF_CRM_{name}"),
        user_type_id: ty.to_owned(),
        multiple: false,
        mandatory: false,
        label: label.to_owned(),
        sort: 100 + id as i64,
        list: list.into_iter().map(|(i, v)| (i, v.to_owned())).collect(),
        settings: if ty == "crm" {
            json!({"DEAL": "N", "CONTACT": "Y", "COMPANY": "Y", "LEAD": "N"})
        } else {
            json!({})
        },
    };
    let f =
        |id: u64, name: &str, ty: &str, label: &str, list: Vec<(u64, &str)>| on(2, id, name, ty, label, list);
    vec![
        f(1, "DELIVERY_NOTE", "string", "Delivery note", vec![]),
        f(2, "WEIGHT", "double", "Weight, kg", vec![]),
        f(3, "DELIVERY_DATE", "date", "Delivery date", vec![]),
        f(
            4,
            "LEVEL",
            "enumeration",
            "Customer level",
            vec![(11, "Bronze"), (12, "Silver"), (13, "Gold")],
        ),
        f(5, "VIP", "boolean", "VIP", vec![]),
        f(6, "BUDGET", "money", "Budget", vec![]),
        f(7, "PARTNER", "crm", "Partner", vec![]),
        on(183, 8, "5_ROUTE", "string", "Route", vec![]),
        on(183, 9, "5_WEIGHT", "double", "Weight, kg", vec![]),
    ]
}

impl Crm {
    /// The schema of `type_id`: its standard fields and its user fields, spelled as the
    /// method spells them (`crm.item.*` camelCase, its user fields in their original
    /// names with `useOriginalUfNames=Y`).
    pub fn schema(&self, type_id: u64, form: NameForm, original_uf: bool) -> Option<Schema> {
        let mut schema = standard::schema(entity(type_id)?, form);
        let uf_form = if original_uf { NameForm::Upper } else { form };
        for uf in self.user_fields.iter().filter(|u| u.type_id == type_id) {
            let mut d = uf.description(uf_form);
            if form == NameForm::Camel {
                d.upper_name = Some(uf.field_name.clone());
            }
            schema.fields.insert(d.name.clone(), d);
        }
        Some(schema)
    }

    /// The fields of a write the portal keeps, by their stored (`UPPER_CASE` for a classic
    /// object) name: those of the schema that can be written; the others are dropped, as
    /// Bitrix24 drops them.
    pub(crate) fn kept(
        &self,
        type_id: u64,
        fields: &Map<String, Value>,
        form: NameForm,
        original_uf: bool,
        add: bool,
    ) -> Vec<(String, Value)> {
        let Some(schema) = self.schema(type_id, form, original_uf) else {
            return Vec::new();
        };
        fields
            .iter()
            .filter_map(|(k, v)| {
                let f = schema.fields.get(k.as_str())?;
                if f.is_read_only || (f.is_immutable && !add && form == NameForm::Upper) {
                    return None;
                }
                Some((k.clone(), v.clone()))
            })
            .collect()
    }

    /// `crm.<entity>.userfield.*`.
    pub(crate) fn userfield(
        &mut self,
        type_id: u64,
        op: &str,
        p: &Map<String, Value>,
    ) -> Option<Result<Value, Failure>> {
        Some(match op {
            "add" => self.userfield_add(type_id, p),
            "get" => self.userfield_find(type_id, p).map(|u| u.to_json()),
            "list" => Ok(Value::Array(
                self.user_fields
                    .iter()
                    .filter(|u| u.type_id == type_id)
                    .map(UserField::to_json)
                    .collect(),
            )),
            "update" => self.userfield_update(type_id, p),
            "delete" => self.userfield_find(type_id, p).map(|u| u.id).map(|id| {
                self.user_fields.retain(|u| u.id != id);
                Value::Bool(true)
            }),
            _ => return None,
        })
    }

    fn userfield_find(&self, type_id: u64, p: &Map<String, Value>) -> Result<UserField, Failure> {
        let id = as_id(p.get("id").or_else(|| p.get("ID")))
            .ok_or_else(|| Failure::bad("", "ID is not defined or invalid"))?;
        self.user_fields
            .iter()
            .find(|u| u.id == id && u.type_id == type_id)
            .cloned()
            .ok_or_else(|| Failure::bad("", "Not found"))
    }

    fn userfield_add(&mut self, type_id: u64, p: &Map<String, Value>) -> Result<Value, Failure> {
        let Some(Value::Object(f)) = p.get("fields") else {
            return Err(Failure::bad("", "The 'FIELD_NAME' field is not found."));
        };
        let text = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").trim().to_owned();
        let code = text("FIELD_NAME").to_ascii_uppercase();
        if code.is_empty() {
            return Err(Failure::bad("", "The 'FIELD_NAME' field is not found."));
        }
        let ty = text("USER_TYPE_ID");
        if ty.is_empty() {
            return Err(Failure::bad("", "The 'USER_TYPE_ID' field is not found."));
        }
        if !USER_TYPES.contains(&ty.as_str()) {
            return Err(Failure::bad("ERROR_CORE", "Incorrect custom type specified."));
        }
        if !code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Failure::bad(
                "ERROR_CORE",
                "Field name contains invalid characters. Allowed characters are: A-Z, 0-9 and _.",
            ));
        }
        // UF_CRM_ is always prefixed: MANAGER_NOTE -> UF_CRM_MANAGER_NOTE, UF_X -> UF_CRM_X
        let name = if code.starts_with("UF_CRM_") {
            code
        } else {
            format!("UF_CRM_{}", code.strip_prefix("UF_").unwrap_or(&code))
        };
        if name.len() > 50 {
            return Err(Failure::bad(
                "ERROR_CORE",
                "Field name is too long (more than 50 characters).",
            ));
        }
        if self
            .user_fields
            .iter()
            .any(|u| u.type_id == type_id && u.field_name == name)
        {
            return Err(Failure::bad(
                "ERROR_CORE",
                "A field with this code already exists.",
            ));
        }
        let yn = |k: &str| matches!(f.get(k).and_then(Value::as_str), Some("Y"));
        let list = match f.get("LIST") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| {
                    i.get("VALUE")
                        .and_then(Value::as_str)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let id = self.user_fields.iter().map(|u| u.id).max().unwrap_or(0) + 1;
        let first_item = self
            .user_fields
            .iter()
            .flat_map(|u| u.list.iter().map(|(i, _)| *i))
            .max()
            .unwrap_or(100)
            + 1;
        self.user_fields.push(UserField {
            id,
            type_id,
            field_name: name.clone(),
            user_type_id: ty.clone(),
            // a boolean field cannot be multiple
            multiple: yn("MULTIPLE") && ty != "boolean",
            mandatory: yn("MANDATORY"),
            label: f.get("LABEL").and_then(Value::as_str).unwrap_or(&name).to_owned(),
            sort: f
                .get("SORT")
                .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                .unwrap_or(100),
            list: list
                .into_iter()
                .enumerate()
                .map(|(i, v)| (first_item + i as u64, v))
                .collect(),
            settings: f.get("SETTINGS").cloned().unwrap_or(json!({})),
        });
        Ok(Value::from(id))
    }

    fn userfield_update(&mut self, type_id: u64, p: &Map<String, Value>) -> Result<Value, Failure> {
        let found = self.userfield_find(type_id, p)?;
        let Some(Value::Object(f)) = p.get("fields") else {
            return Err(Failure::bad("", "The parameter 'fields' must be an array."));
        };
        let Some(u) = self.user_fields.iter_mut().find(|u| u.id == found.id) else {
            return Err(Failure::bad("", "Not found"));
        };
        // USER_TYPE_ID, FIELD_NAME and MULTIPLE are not in the update list: ignored
        if let Some(m) = f.get("MANDATORY").and_then(Value::as_str) {
            u.mandatory = m == "Y";
        }
        if let Some(l) = f
            .get("EDIT_FORM_LABEL")
            .or_else(|| f.get("LABEL"))
            .and_then(Value::as_str)
        {
            u.label = l.to_owned();
        }
        if let Some(s) = f
            .get("SORT")
            .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        {
            u.sort = s;
        }
        Ok(Value::Bool(true))
    }

    /// `crm.<entity>.fields` and `crm.item.fields`.
    pub(crate) fn fields(&self, type_id: u64, item: bool, p: &Map<String, Value>) -> Result<Value, Failure> {
        let original = matches!(p.get("useOriginalUfNames").and_then(Value::as_str), Some("Y"));
        let form = if item { NameForm::Camel } else { NameForm::Upper };
        self.schema(type_id, form, original)
            .map(|s| s.to_result())
            .ok_or_else(|| Failure::bad("NOT_FOUND", "SPA not found"))
    }
}
