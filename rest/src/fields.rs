//! CRM writes checked against the portal's own fields: a misspelt, read-only or wrongly
//! typed field is refused before anything is sent ([`Error::Fields`]), where the portal
//! would answer `true` and ignore it. The schema of each object is read once per portal
//! (`crm.<entity>.fields`, `crm.item.fields`) and kept for [`KEPT`], shared by every client
//! of that portal (a widget server makes one per request); `call` stays for raw writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::per_portal::PerPortal;
use std::time::{Duration, Instant};

use b24_crm::snapshot::entity_key;
use b24_crm::{check_write, NameForm, Schema, WriteKind};
use b24_placement::placement::Entity;
use serde_json::{json, Map, Value};

use crate::client::Client;
use crate::error::Error;

/// How long a portal's fields are kept before they are read again (a user field added on
/// the portal is seen by then; `forget_fields` sooner).
pub const KEPT: Duration = Duration::from_secs(600);

/// A portal's schemas read so far, by entity key, with when each was read.
pub(crate) type Schemas = Mutex<HashMap<String, (Instant, Arc<Schema>)>>;

/// The schemas of the portal `key` (the key its bucket is shared by), shared by its
/// clients while one of them lives.
pub(crate) fn schemas_for(key: &str) -> Arc<Schemas> {
    static ALL: PerPortal<Schemas> = PerPortal::new();
    ALL.get(key, |_| true, Schemas::default)
}

/// How an entity is reached: its own `crm.<name>.*` methods, or `crm.item.*`.
fn family(entity: Entity) -> Option<String> {
    b24_crm::standard::CLASSIC
        .contains(&entity)
        .then(|| format!("crm.{}", entity.kind().as_str().to_ascii_lowercase()))
}

impl Client {
    /// The portal's fields of `entity` (standard and user fields, with types, flags and
    /// enumeration items), read once and kept for [`KEPT`] by every client of the portal.
    pub async fn fields(&self, entity: Entity) -> Result<Arc<Schema>, Error> {
        let key = entity_key(entity);
        let kept = self.schemas().lock().ok().and_then(|m| {
            m.get(&key)
                .filter(|(read, _)| read.elapsed() < KEPT)
                .map(|(_, s)| s.clone())
        });
        if let Some(s) = kept {
            return Ok(s);
        }
        let (method, params) = match family(entity) {
            Some(f) => (format!("{f}.fields"), json!({})),
            None => (
                "crm.item.fields".to_owned(),
                json!({"entityTypeId": entity.entity_type_id()}),
            ),
        };
        let result = self.call(&method, params).await?.result;
        let schema = Arc::new(Schema::from_result(&result).map_err(|e| Error::NotJson {
            method: method.clone(),
            status: 200,
            what: format!("fields that cannot be read ({e})"),
        })?);
        if let Ok(mut m) = self.schemas().lock() {
            m.insert(key, (Instant::now(), schema.clone()));
        }
        Ok(schema)
    }

    /// Forgets the portal's fields read (for every client of the portal), so that the next
    /// check reads them again (a user field was added).
    pub fn forget_fields(&self) {
        if let Ok(mut m) = self.schemas().lock() {
            m.clear();
        }
    }

    /// Checks `fields` against the portal's fields of `entity`; the method that will take
    /// them, with every problem when there is one.
    async fn checked(
        &self,
        entity: Entity,
        verb: &str,
        fields: &Map<String, Value>,
        kind: WriteKind,
    ) -> Result<String, Error> {
        let method = match family(entity) {
            Some(f) => format!("{f}.{verb}"),
            None => format!("crm.item.{verb}"),
        };
        let schema = self.fields(entity).await?;
        check_write(&schema, fields, kind).map_err(|errors| Error::Fields {
            method: method.clone(),
            errors,
        })?;
        Ok(method)
    }

    /// Updates `entity` number `id` with `fields`, checked first: names as the method
    /// spells them (`TITLE`, `UF_CRM_...` for the classic objects; `title`, `ufCrm...` for
    /// `crm.item.*`).
    pub async fn update_fields(
        &self,
        entity: Entity,
        id: u64,
        fields: &Map<String, Value>,
    ) -> Result<(), Error> {
        let method = self.checked(entity, "update", fields, WriteKind::Update).await?;
        let params = match family(entity) {
            Some(_) => json!({"id": id, "fields": fields}),
            None => json!({"entityTypeId": entity.entity_type_id(), "id": id, "fields": fields}),
        };
        self.call(&method, params).await?;
        Ok(())
    }

    /// Adds an object of `entity` with `fields`, checked first; its id.
    pub async fn add_fields(&self, entity: Entity, fields: &Map<String, Value>) -> Result<u64, Error> {
        let method = self.checked(entity, "add", fields, WriteKind::Add).await?;
        let params = match family(entity) {
            Some(_) => json!({"fields": fields}),
            None => json!({"entityTypeId": entity.entity_type_id(), "fields": fields}),
        };
        let result = self.call(&method, params).await?.result;
        let id = result
            .pointer("/item/id")
            .or(Some(&result))
            .and_then(crate::answer::whole);
        id.ok_or_else(|| Error::NotJson {
            method,
            status: 200,
            what: format!("a result that is not an id ({})", crate::answer_kind(&result)),
        })
    }
}

/// The spelling a method of `entity` reads.
pub fn form_of(entity: Entity) -> NameForm {
    if family(entity).is_some() {
        NameForm::Upper
    } else {
        NameForm::Camel
    }
}
