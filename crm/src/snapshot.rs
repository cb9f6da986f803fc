//! A portal's field schemas saved to a file (`b24 fields pull`), committed with the app as
//! sqlx's offline data are, and read back: by `b24 fields diff` and by the compile-time
//! checks. A file that is not what `pull` writes is an error naming the file and the place.

use b24_placement::placement::Entity;
use indexmap::IndexMap;
use serde_json::{json, Value};

use crate::schema::Schema;

/// The format's version, the value of `b24FieldsSnapshot`.
pub const VERSION: u64 = 1;

/// The schemas of a portal's objects.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The portal it was pulled from (its domain), for people.
    pub portal: String,
    /// By [`entity_key`]: `deal`, `lead`, `item:183`.
    pub entities: IndexMap<String, Schema>,
}

/// Why a snapshot file could not be read: the file, the place, what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotError {
    pub file: String,
    /// `line:column` for a syntax error, a JSON pointer otherwise.
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.place, self.message)
    }
}

impl std::error::Error for SnapshotError {}

/// The key of an entity in a snapshot: `deal`, `lead`, ..., `item:31`, `item:183`.
pub fn entity_key(entity: Entity) -> String {
    if crate::standard::CLASSIC.contains(&entity) {
        entity.kind().as_str().to_ascii_lowercase()
    } else {
        format!("item:{}", entity.entity_type_id())
    }
}

/// The entity of a key of [`entity_key`].
pub fn entity_of_key(key: &str) -> Option<Entity> {
    if let Some(n) = key.strip_prefix("item:") {
        let n: u32 = n.parse().ok()?;
        return Some(match n {
            31 => Entity::SMART_INVOICE,
            n => Entity::DYNAMIC(n),
        });
    }
    crate::standard::CLASSIC
        .iter()
        .copied()
        .find(|e| e.kind().as_str().eq_ignore_ascii_case(key))
}

impl Snapshot {
    /// The file's JSON, indented, keys in order.
    pub fn to_json(&self) -> String {
        let entities: serde_json::Map<String, Value> = self
            .entities
            .iter()
            .map(|(k, s)| (k.clone(), s.to_result()))
            .collect();
        let v = json!({"b24FieldsSnapshot": VERSION, "portal": self.portal, "entities": entities});
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    /// Reads a snapshot's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Snapshot, SnapshotError> {
        let err = |place: String, message: String| SnapshotError {
            file: file.to_owned(),
            place,
            message,
        };
        let v: Value = serde_json::from_str(text)
            .map_err(|e| err(format!("{}:{}", e.line(), e.column()), format!("not JSON: {e}")))?;
        match v.get("b24FieldsSnapshot") {
            Some(n) if n.as_u64() == Some(VERSION) => {}
            Some(n) => {
                return Err(err(
                    "/b24FieldsSnapshot".into(),
                    format!("version {n}, this b24 reads version {VERSION}"),
                ))
            }
            None => {
                return Err(err(
                    "/b24FieldsSnapshot".into(),
                    "not a fields snapshot (no `b24FieldsSnapshot`): make one with `b24 fields pull`".into(),
                ))
            }
        }
        let portal = v
            .get("portal")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(map)) = v.get("entities") else {
            return Err(err(
                "/entities".into(),
                "`entities` is an object of entity to its fields".into(),
            ));
        };
        let mut entities = IndexMap::new();
        for (key, fields) in map {
            let at = format!("/entities/{key}");
            if entity_of_key(key).is_none() {
                return Err(err(
                    at,
                    format!("`{key}` is no entity: deal, lead, contact, company, quote, activity, item:N"),
                ));
            }
            let schema =
                Schema::from_result(fields).map_err(|e| err(format!("{at}{}", e.pointer), e.message))?;
            entities.insert(key.clone(), schema);
        }
        Ok(Snapshot { portal, entities })
    }

    /// Reads the snapshot file at `path`.
    pub fn read(path: &str) -> Result<Snapshot, SnapshotError> {
        let text = std::fs::read_to_string(path).map_err(|e| SnapshotError {
            file: path.to_owned(),
            place: "1:1".into(),
            message: format!("cannot read it: {e}"),
        })?;
        Snapshot::parse(path, &text)
    }

    /// The schema of `entity`, if the snapshot has it.
    pub fn schema(&self, entity: Entity) -> Option<&Schema> {
        self.entities.get(&entity_key(entity))
    }
}

/// What one schema has that another has not, and what changed, field by field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// In the portal, not in the snapshot.
    pub added: Vec<String>,
    /// In the snapshot, not in the portal.
    pub removed: Vec<String>,
    /// In both, with another type or other flags: (field, what changed).
    pub changed: Vec<(String, String)>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// `snapshot` against `portal`.
    pub fn of(snapshot: &Schema, portal: &Schema) -> Diff {
        let mut d = Diff::default();
        for (name, f) in &portal.fields {
            match snapshot.fields.get(name) {
                None => d.added.push(name.clone()),
                Some(s) => {
                    let mut what = Vec::new();
                    if s.r#type != f.r#type {
                        what.push(format!("type {} -> {}", s.r#type.as_str(), f.r#type.as_str()));
                    }
                    for (flag, a, b) in [
                        ("required", s.is_required, f.is_required),
                        ("read-only", s.is_read_only, f.is_read_only),
                        ("immutable", s.is_immutable, f.is_immutable),
                        ("multiple", s.is_multiple, f.is_multiple),
                    ] {
                        if a != b {
                            what.push(format!("{}{flag}", if b { "now " } else { "no longer " }));
                        }
                    }
                    if s.items != f.items {
                        what.push("other items".into());
                    }
                    if !what.is_empty() {
                        d.changed.push((name.clone(), what.join(", ")));
                    }
                }
            }
        }
        d.removed = snapshot
            .fields
            .keys()
            .filter(|k| !portal.fields.contains_key(*k))
            .cloned()
            .collect();
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::NameForm;

    #[test]
    fn a_snapshot_reads_back_and_bad_files_say_where() {
        let mut entities = IndexMap::new();
        entities.insert(
            "deal".to_owned(),
            crate::standard::schema(Entity::DEAL, NameForm::Upper),
        );
        entities.insert(
            "item:183".to_owned(),
            crate::standard::schema(Entity::DYNAMIC(183), NameForm::Camel),
        );
        let s = Snapshot {
            portal: "example.bitrix24.com".into(),
            entities,
        };
        let back = Snapshot::parse("f.json", &s.to_json()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.schema(Entity::DYNAMIC(183)).unwrap().form, NameForm::Camel);
        let e = Snapshot::parse("f.json", "{\n  \"x\": ").unwrap_err();
        assert!(e.to_string().starts_with("f.json:2:"), "{e}");
        let e = Snapshot::parse("f.json", r#"{"entities": {}}"#).unwrap_err();
        assert_eq!(e.place, "/b24FieldsSnapshot");
        let e = Snapshot::parse(
            "f.json",
            r#"{"b24FieldsSnapshot": 1, "entities": {"deal": {"TITLE": {"title": "x"}}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.json:/entities/deal/TITLE/type: a field description needs its `type`"
        );
        let e =
            Snapshot::parse("f.json", r#"{"b24FieldsSnapshot": 1, "entities": {"deals": {}}}"#).unwrap_err();
        assert_eq!(e.place, "/entities/deals");
    }

    #[test]
    fn diffs_say_each_side() {
        let a = crate::standard::schema(Entity::DEAL, NameForm::Upper);
        let mut b = a.clone();
        b.fields.shift_remove("TITLE");
        let mut uf = a.fields["COMMENTS"].clone();
        uf.name = "UF_CRM_1".into();
        b.fields.insert("UF_CRM_1".into(), uf);
        b.fields.get_mut("OPPORTUNITY").unwrap().is_read_only = true;
        let d = Diff::of(&a, &b);
        assert_eq!(d.added, ["UF_CRM_1"]);
        assert_eq!(d.removed, ["TITLE"]);
        assert_eq!(
            d.changed,
            [("OPPORTUNITY".to_owned(), "now read-only".to_owned())]
        );
    }
}
