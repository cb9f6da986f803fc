//! A write (`fields` of an add or an update) checked against a schema before it is sent:
//! every problem at once, each at its JSON pointer, with what is allowed.

use serde_json::{Map, Value};

use crate::schema::{Field, NameForm, Schema};
use crate::types::{FieldType, MULTIFIELD_VALUE_TYPES};

/// An add or an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    Add,
    Update,
}

/// What is wrong with one field of a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The portal has no such field: it would ignore it.
    Unknown,
    /// A user field in the spelling the method does not read (`ufCrm_...` in a classic
    /// method, `UF_CRM_...` in `crm.item.*`): it would be ignored.
    OtherSpelling,
    ReadOnly,
    /// Set only when the object is added.
    Immutable,
    WrongType,
    /// Not one of the enumeration's items.
    NotAnItem,
    /// A required field left out of an add.
    MissingRequired,
}

impl Problem {
    /// The stable code, as `b24` prints it.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Unknown => "unknown-field",
            Problem::OtherSpelling => "other-spelling",
            Problem::ReadOnly => "read-only",
            Problem::Immutable => "immutable",
            Problem::WrongType => "wrong-type",
            Problem::NotAnItem => "not-an-item",
            Problem::MissingRequired => "missing-required",
        }
    }
}

/// One problem of a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// `/fields/TITEL`, `/fields/PHONE/0/VALUE_TYPE`.
    pub pointer: String,
    pub problem: Problem,
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} [{}]", self.pointer, self.message, self.problem.code())?;
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

/// Every problem of a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.len();
        write!(f, "the write has {n} problem{}", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            write!(f, "\n{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

fn key(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn error(pointer: String, problem: Problem, message: String, help: Option<String>) -> FieldError {
    FieldError {
        pointer,
        problem,
        message,
        help,
    }
}

/// Checks `fields` against `schema` for an add or an update.
pub fn check_write(schema: &Schema, fields: &Map<String, Value>, kind: WriteKind) -> Result<(), FieldErrors> {
    let mut out = Vec::new();
    for (name, value) in fields {
        let at = format!("/fields/{}", key(name));
        let Some(field) = schema.fields.get(name.as_str()) else {
            out.push(unknown(schema, name, at));
            continue;
        };
        if field.is_read_only {
            out.push(error(
                at,
                Problem::ReadOnly,
                format!("`{name}` is read-only: the portal would ignore it"),
                Some("leave it out of the write".into()),
            ));
            continue;
        }
        if field.is_immutable && kind == WriteKind::Update {
            out.push(error(
                at,
                Problem::Immutable,
                format!("`{name}` is set only when the object is added"),
                Some("leave it out of the update".into()),
            ));
            continue;
        }
        value_of(field, value, &at, &mut out);
    }
    if kind == WriteKind::Add {
        for f in schema
            .fields
            .values()
            .filter(|f| f.is_required && !f.is_read_only)
        {
            if !fields.contains_key(&f.name) {
                out.push(error(
                    format!("/fields/{}", key(&f.name)),
                    Problem::MissingRequired,
                    format!("`{}` is required", f.name),
                    Some(format!("add `{}`: {}", f.name, f.r#type.takes())),
                ));
            }
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(FieldErrors(out))
    }
}

/// The error for a name the schema does not have as written.
fn unknown(schema: &Schema, name: &str, at: String) -> FieldError {
    if let Some(f) = schema.field(name) {
        let method = match schema.form {
            NameForm::Upper => "the classic methods read",
            NameForm::Camel => "crm.item.* reads (without useOriginalUfNames=Y)",
        };
        return error(
            at,
            Problem::OtherSpelling,
            format!(
                "`{name}` is spelled `{}` here: the portal would ignore it",
                f.name
            ),
            Some(format!("{method} `{}`", f.name)),
        );
    }
    let help = match schema.closest(name) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let user: Vec<&str> = schema
                .fields
                .values()
                .filter(|f| f.is_dynamic)
                .map(|f| f.name.as_str())
                .collect();
            if crate::names::is_user_field(name) && !user.is_empty() {
                format!("this portal's user fields: {}", user.join(", "))
            } else {
                "`b24 fields` lists the portal's fields".to_owned()
            }
        }
    };
    error(
        at,
        Problem::Unknown,
        format!("the portal has no field `{name}`: it would ignore it"),
        Some(help),
    )
}

fn is_clear(v: &Value) -> bool {
    v.is_null() || v.as_str() == Some("")
}

fn value_of(field: &Field, value: &Value, at: &str, out: &mut Vec<FieldError>) {
    if is_clear(value) {
        return;
    }
    if field.is_multiple {
        match value {
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    one(field, v, &format!("{at}/{i}"), out);
                }
            }
            // crm.item.update's `fm` and a single value for a multiple field are read as one
            other => one(field, other, at, out),
        }
    } else if value.is_array() && field.r#type != FieldType::File {
        out.push(error(
            at.to_owned(),
            Problem::WrongType,
            format!("`{}` takes one value, found an array", field.name),
            Some(format!("write {}", field.r#type.takes())),
        ));
    } else {
        one(field, value, at, out);
    }
}

fn one(field: &Field, v: &Value, at: &str, out: &mut Vec<FieldError>) {
    match field.r#type {
        FieldType::CrmMultifield => return multifield(field, v, at, out),
        FieldType::Enumeration if !field.items.is_empty() => {
            let id = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            if !field.items.iter().any(|i| i.id == id) {
                let items: Vec<String> = field
                    .items
                    .iter()
                    .map(|i| format!("{} ({})", i.id, i.value))
                    .collect();
                let by_label = field.items.iter().find(|i| v.as_str() == Some(i.value.as_str()));
                let help = match by_label {
                    Some(i) => format!("write the item's ID, not its label: {}", i.id),
                    None => format!("its items: {}", items.join(", ")),
                };
                out.push(error(
                    at.to_owned(),
                    Problem::NotAnItem,
                    format!("{v} is not an item of `{}`", field.name),
                    Some(help),
                ));
            }
            return;
        }
        _ => {}
    }
    if field.r#type.accepts(v) == Some(false) {
        out.push(error(
            at.to_owned(),
            Problem::WrongType,
            format!(
                "`{}` ({}) takes {}, found {v}",
                field.name,
                field.r#type.as_str(),
                field.r#type.takes()
            ),
            None,
        ));
    }
}

/// A PHONE/EMAIL/WEB/IM/LINK entry: `VALUE`, a `VALUE_TYPE` of its list, or an `ID` to
/// change or delete.
fn multifield(field: &Field, v: &Value, at: &str, out: &mut Vec<FieldError>) {
    let Some(entry) = v.as_object() else {
        out.push(error(
            at.to_owned(),
            Problem::WrongType,
            format!("an entry of `{}` is an object, found {v}", field.name),
            Some("write {\"VALUE\": \"+1 555 0100\", \"VALUE_TYPE\": \"WORK\"}".into()),
        ));
        return;
    };
    let type_id = entry
        .get("TYPE_ID")
        .and_then(Value::as_str)
        .unwrap_or(field.upper_name.as_deref().unwrap_or(&field.name))
        .to_ascii_uppercase();
    let Some((_, allowed)) = MULTIFIELD_VALUE_TYPES.iter().find(|(t, _)| *t == type_id) else {
        return;
    };
    if let Some(vt) = entry.get("VALUE_TYPE") {
        let ok = vt.as_str().is_some_and(|s| allowed.contains(&s));
        if !ok {
            out.push(error(
                format!("{at}/VALUE_TYPE"),
                Problem::NotAnItem,
                format!("{vt} is not a value type of {type_id}"),
                Some(format!("{type_id} value types: {}", allowed.join(", "))),
            ));
        }
    }
    if entry.get("ID").is_none() && entry.get("VALUE").is_none_or(|v| !v.is_string()) {
        out.push(error(
            format!("{at}/VALUE"),
            Problem::WrongType,
            format!("a new entry of `{}` needs its `VALUE`, a string", field.name),
            None,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::EnumItem;
    use crate::standard;
    use b24_placement::placement::Entity;
    use serde_json::json;

    fn deal() -> Schema {
        let mut s = standard::schema(Entity::DEAL, NameForm::Upper);
        let mut level = s.fields["TITLE"].clone();
        level.name = "UF_CRM_LEVEL".into();
        level.r#type = FieldType::Enumeration;
        level.is_dynamic = true;
        level.items = vec![EnumItem {
            id: "81".into(),
            value: "Gold".into(),
        }];
        s.fields.insert(level.name.clone(), level);
        s
    }

    fn problems(fields: Value, kind: WriteKind) -> Vec<(String, Problem)> {
        let Value::Object(m) = fields else { panic!() };
        match check_write(&deal(), &m, kind) {
            Ok(()) => Vec::new(),
            Err(FieldErrors(e)) => e.into_iter().map(|e| (e.pointer, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_write_passes() {
        assert_eq!(
            problems(
                json!({"TITLE": "x", "OPPORTUNITY": "1000.50", "CURRENCY_ID": "EUR", "CLOSEDATE": "2026-12-31", "UF_CRM_LEVEL": 81, "CONTACT_IDS": [1, "2"], "COMMENTS": ""}),
                WriteKind::Update
            ),
            []
        );
    }

    #[test]
    fn every_problem_at_its_pointer() {
        let found = problems(
            json!({"TITEL": "x", "ID": 5, "CATEGORY_ID": 1, "OPPORTUNITY": "lots", "UF_CRM_LEVEL": "Gold", "ufCrm_LEVEL": 81, "IS_RECURRING": true}),
            WriteKind::Update,
        );
        assert_eq!(
            found,
            [
                ("/fields/TITEL".to_owned(), Problem::Unknown),
                ("/fields/ID".to_owned(), Problem::ReadOnly),
                ("/fields/CATEGORY_ID".to_owned(), Problem::Immutable),
                ("/fields/OPPORTUNITY".to_owned(), Problem::WrongType),
                ("/fields/UF_CRM_LEVEL".to_owned(), Problem::NotAnItem),
                ("/fields/ufCrm_LEVEL".to_owned(), Problem::OtherSpelling),
                ("/fields/IS_RECURRING".to_owned(), Problem::WrongType),
            ]
        );
        let Value::Object(m) = json!({"TITEL": "x", "UF_CRM_LEVEL": "Gold"}) else {
            panic!()
        };
        let text = check_write(&deal(), &m, WriteKind::Update)
            .unwrap_err()
            .to_string();
        assert!(text.contains("/fields/TITEL: the portal has no field `TITEL`: it would ignore it [unknown-field]\n  help: did you mean `TITLE`?"), "{text}");
        assert!(
            text.contains("help: write the item's ID, not its label: 81"),
            "{text}"
        );
        // on an add, the funnel may be set
        assert_eq!(problems(json!({"CATEGORY_ID": 1}), WriteKind::Add), []);
    }

    #[test]
    fn multifields_and_required_fields() {
        let company = standard::schema(Entity::COMPANY, NameForm::Upper);
        let Value::Object(m) =
            json!({"PHONE": [{"VALUE": "+1 555", "VALUE_TYPE": "CELL"}, {"ID": 5, "DELETE": "Y"}]})
        else {
            panic!()
        };
        let e = check_write(&company, &m, WriteKind::Add).unwrap_err().0;
        assert_eq!(e[0].pointer, "/fields/PHONE/0/VALUE_TYPE");
        assert!(e[0].help.as_deref().unwrap().contains("MOBILE"));
        assert_eq!(
            (e[1].pointer.as_str(), e[1].problem),
            ("/fields/TITLE", Problem::MissingRequired)
        );
    }
}
