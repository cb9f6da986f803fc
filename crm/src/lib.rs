//! CRM data typed against the portal's own fields.
//!
//! Bitrix24's `crm.*.update` and `crm.item.update` ignore a field they do not know and
//! answer `true`: a misspelt `TITEL` changes nothing, without a word. Here a write is
//! checked against the portal's fields before it is sent: an unknown field (with a "did
//! you mean", both spellings of user fields understood), a read-only or immutable one, a
//! value of the wrong type, an enumeration value that is not one of its items.
//!
//! | module | what it holds |
//! |---|---|
//! | [`types`] | [`FieldType`]: the field types of the `*.fields` methods, and what each takes |
//! | [`names`] | the two spellings of a user field (`UF_CRM_5_DIGIT` / `ufCrm5Digit`) |
//! | [`schema`] | [`Field`], [`Schema`]: a portal's `crm.*.fields` / `crm.item.fields` read |
//! | [`standard`] | the documented standard fields of each object: the schema without a portal |
//! | [`value`] | field values in their own types: decimals, dates with their zone, money, stages |
//! | [`object`] | [`Deal`](object::Deal), [`Lead`](object::Lead)...: typed objects read from any answer |
//! | [`write`] | Rust values written to fields, one trait per kind (what `fields!` checks an expression with) |
//! | [`check`] | [`check_write`]: a write checked against a schema, every error at once |
//! | [`snapshot`] | a portal's schemas saved to a file (`b24 fields pull`), read back with places |

pub mod check;
pub mod names;
pub mod object;
pub mod schema;
pub mod snapshot;
pub mod standard;
pub mod types;
pub mod value;
pub mod write;

pub use check::{check_write, FieldError, FieldErrors, Problem, WriteKind};
pub use object::{Activity, Company, Contact, Deal, Item, Lead, Object, Quote, UserFields};
pub use schema::{EnumItem, Field, NameForm, Schema};
pub use snapshot::{Snapshot, SnapshotError};
pub use types::FieldType;
pub use value::{Currency, DateTime, Decimal, FixedOffset, Money, Multifield, NaiveDate, Semantic, Stage};

/// What the code `fields!` generates calls. Not an API.
#[doc(hidden)]
pub mod __private {
    pub use serde_json::{Map, Value};

    /// Stands for the value of a `fields!` that did not compile, beside its errors.
    pub const fn never<T>() -> T {
        panic!("a fields! with errors")
    }
}
