//! Typed CRM objects: a deal, a lead, a contact, a company, a quote, an activity, an item
//! of `crm.item` (smart invoices, custom types), each with its documented standard fields
//! in their own types ([`crate::value`]), its user fields by name (either spelling finds
//! them) and every other field kept as sent.
//!
//! Reading never fails on a field: a field this project does not declare, or a declared
//! field whose value is not of its type, is kept in `other` as the portal sent it.
//! An object reads from the classic methods' answers (`TITLE`, `UF_CRM_...`) and from
//! `crm.item.*` (`title`, `ufCrm...`) alike.
//!
//! ```
//! use b24_crm::object::{Deal, Object};
//!
//! let deal: Deal = serde_json::from_str(r#"{"ID": "7", "TITLE": "Delivery",
//!     "OPPORTUNITY": "1200.50", "CURRENCY_ID": "EUR", "STAGE_ID": "C1:NEW",
//!     "IS_NEW": "Y", "UF_CRM_LEVEL": "13", "SOMETHING_NEW": 1}"#).unwrap();
//! assert_eq!(deal.id, Some(7));
//! assert_eq!(deal.amount().unwrap().to_string(), "1200.50|EUR");
//! assert_eq!(deal.stage_id.as_ref().unwrap().category(), 1);
//! assert_eq!(deal.is_new, Some(true));
//! assert_eq!(deal.user_fields.text("ufCrm_LEVEL"), Some("13"));
//! assert_eq!(deal.other["SOMETHING_NEW"], 1);
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use b24_placement::placement::Entity;
use indexmap::IndexMap;
use serde_core::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::names;
use crate::schema::Schema;
use crate::value::Wire;
pub use crate::value::{
    Currency, DateTime, Decimal, FixedOffset, Money, Multifield, NaiveDate, Semantic, Stage,
};

/// One typed field of an object: its classic name, its Rust name, what it reads.
#[derive(Clone, Copy, Debug)]
pub struct Declared {
    pub upper: &'static str,
    pub rust: &'static str,
    /// The field types its Rust type reads ([`Wire::TYPES`]; empty: any).
    pub types: &'static [&'static str],
    pub multiple: bool,
}

/// The user fields of an object, by the name the portal sent, found by either spelling
/// (`UF_CRM_LEVEL` or `ufCrm_LEVEL`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserFields(pub IndexMap<String, Value>);

impl UserFields {
    /// The value of `name`, in either spelling.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .get(name)
            .or_else(|| self.0.get(&names::other_spelling(name)?))
    }

    /// The value of `name` in a type of its own (`u64`, `Decimal`, `bool`, `NaiveDate`,
    /// `Money`...); `None` when it is empty or not of that type.
    pub fn get_as<T: Wire>(&self, name: &str) -> Option<T> {
        T::from_wire(self.get(name)?.clone()).ok()
    }

    /// A text value (`string`, and an enumeration's item ID as the portal sends it).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// The label of an enumeration field's value, from the portal's fields.
    pub fn label<'s>(&self, name: &str, schema: &'s Schema) -> Option<&'s str> {
        let field = schema.field(name)?;
        let id = match self.get(name)? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        field.items.iter().find(|i| i.id == id).map(|i| i.value.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What every typed object does.
pub trait Object: Default + Sized {
    /// The object's fields declared in Rust, in the order of the docs.
    const FIELDS: &'static [Declared];
    /// The entity whose standard fields it holds (`DYNAMIC(0)` for any `crm.item`).
    fn entity() -> Entity;
    /// Keeps one field of an answer: a declared one in its type (or in `other` when it is
    /// not of that type), a user field, or anything else as sent.
    fn put(&mut self, name: Cow<'_, str>, value: Value);

    /// Reads an object from an answer's object; never fails on a field.
    fn from_map(map: Map<String, Value>) -> Self {
        let mut out = Self::default();
        for (k, v) in map {
            out.put(Cow::Owned(k), v);
        }
        out
    }

    /// Reads an object from an answer (`crm.deal.get`'s `result`, `crm.item.get`'s
    /// `result.item`); `None` when it is not an object.
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Self::from_map(map)),
            _ => None,
        }
    }
}

/// The index in `fields` of each of the entity's standard names, in both spellings.
fn lookup(entity: Entity, fields: &[Declared]) -> HashMap<&'static str, usize> {
    let mut map = HashMap::new();
    for (upper, camel) in crate::standard::names(entity) {
        if let Some(i) = fields.iter().position(|d| d.upper == upper) {
            map.insert(upper, i);
            map.insert(camel, i);
        }
    }
    map
}

/// A map key, borrowed from the text when it can be.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CRM object (a map of field to value)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let v: Value = map.next_value()?;
            out.put(k, v);
        }
        Ok(out)
    }
}

/// The typed objects, each with its fields; `person`, `tracked` and `multifields` stand
/// for the groups of fields several objects share (as `standard.rs` shares them).
macro_rules! objects {
    ($(
        $(#[$doc:meta])*
        $name:ident ($entity:expr) { $($body:tt)* }
    )*) => {$(
        objects!(@munch [$(#[$doc])*] $name ($entity) [] $($body)*);
    )*};
    (@munch $meta:tt $name:ident $entity:tt [$($done:tt)*] person, $($rest:tt)*) => {
        objects!(@munch $meta $name $entity [$($done)* honorific: String = "HONORIFIC", name: String = "NAME", second_name: String = "SECOND_NAME", last_name: String = "LAST_NAME", birthdate: NaiveDate = "BIRTHDATE", post: String = "POST", address: String = "ADDRESS", address_2: String = "ADDRESS_2", address_city: String = "ADDRESS_CITY", address_postal_code: String = "ADDRESS_POSTAL_CODE", address_region: String = "ADDRESS_REGION", address_province: String = "ADDRESS_PROVINCE", address_country: String = "ADDRESS_COUNTRY", address_country_code: String = "ADDRESS_COUNTRY_CODE", address_loc_addr_id: u64 = "ADDRESS_LOC_ADDR_ID",] $($rest)*);
    };
    (@munch $meta:tt $name:ident $entity:tt [$($done:tt)*] tracked, $($rest:tt)*) => {
        objects!(@munch $meta $name $entity [$($done)* assigned_by_id: u64 = "ASSIGNED_BY_ID", created_by_id: u64 = "CREATED_BY_ID", modify_by_id: u64 = "MODIFY_BY_ID", date_create: DateTime<FixedOffset> = "DATE_CREATE", date_modify: DateTime<FixedOffset> = "DATE_MODIFY", opened: bool = "OPENED", comments: String = "COMMENTS", source_id: String = "SOURCE_ID", source_description: String = "SOURCE_DESCRIPTION", originator_id: String = "ORIGINATOR_ID", origin_id: String = "ORIGIN_ID", utm_source: String = "UTM_SOURCE", utm_medium: String = "UTM_MEDIUM", utm_campaign: String = "UTM_CAMPAIGN", utm_content: String = "UTM_CONTENT", utm_term: String = "UTM_TERM", last_activity_time: DateTime<FixedOffset> = "LAST_ACTIVITY_TIME", last_activity_by: u64 = "LAST_ACTIVITY_BY",] $($rest)*);
    };
    (@munch $meta:tt $name:ident $entity:tt [$($done:tt)*] multifields, $($rest:tt)*) => {
        objects!(@munch $meta $name $entity [$($done)* phone: Vec<Multifield> = "PHONE", email: Vec<Multifield> = "EMAIL", web: Vec<Multifield> = "WEB", im: Vec<Multifield> = "IM", link: Vec<Multifield> = "LINK",] $($rest)*);
    };
    (@munch $meta:tt $name:ident $entity:tt [$($done:tt)*] $field:ident: $ty:ty = $upper:literal, $($rest:tt)*) => {
        objects!(@munch $meta $name $entity [$($done)* $field: $ty = $upper,] $($rest)*);
    };
    (@munch [$($meta:tt)*] $name:ident $entity:tt [$($done:tt)*]) => {
        object! { $($meta)* $name $entity { $($done)* } }
    };
}

/// One typed object: its struct, its reading, its entry in [`Object`].
macro_rules! object {
    (
        $(#[$doc:meta])*
        $name:ident ($entity:expr) {
            $($field:ident: $ty:ty = $upper:literal,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $(
                #[doc = concat!("`", $upper, "`")]
                pub $field: Option<$ty>,
            )*
            /// Its user fields, by the name the portal sent.
            pub user_fields: UserFields,
            /// Every other field, and a declared field whose value was not of its type,
            /// as the portal sent it.
            pub other: IndexMap<String, Value>,
        }

        impl Object for $name {
            const FIELDS: &'static [Declared] = &[$(Declared {
                upper: $upper,
                rust: stringify!($field),
                types: <$ty as Wire>::TYPES,
                multiple: <$ty as Wire>::MULTIPLE,
            },)*];

            fn entity() -> Entity {
                $entity
            }

            fn put(&mut self, name: Cow<'_, str>, value: Value) {
                type Set = fn(&mut $name, Value) -> Result<(), Value>;
                const SET: &[Set] = &[$(|o, v| {
                    o.$field = match v {
                        Value::Null => None,
                        Value::String(s) if s.is_empty() && !<$ty as Wire>::EMPTY_IS_A_VALUE => None,
                        v => Some(<$ty as Wire>::from_wire(v)?),
                    };
                    Ok(())
                },)*];
                static LOOKUP: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
                let lookup = LOOKUP.get_or_init(|| lookup($entity, Self::FIELDS));
                match lookup.get(&*name) {
                    Some(&i) => {
                        if let Err(v) = SET[i](self, value) {
                            self.other.insert(name.into_owned(), v);
                        }
                    }
                    None if names::is_user_field(&name) => {
                        self.user_fields.0.insert(name.into_owned(), value);
                    }
                    None => {
                        self.other.insert(name.into_owned(), value);
                    }
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(ObjectVisitor::<$name>(std::marker::PhantomData))
            }
        }
    };
}

objects! {
    /// A deal (`crm.deal.get`, `crm.deal.list`; `crm.item.get` with `entityTypeId` 2).
    Deal (Entity::DEAL) {
        id: u64 = "ID",
        title: String = "TITLE",
        type_id: String = "TYPE_ID",
        category_id: u64 = "CATEGORY_ID",
        stage_id: Stage = "STAGE_ID",
        stage_semantic_id: Semantic = "STAGE_SEMANTIC_ID",
        is_new: bool = "IS_NEW",
        is_recurring: bool = "IS_RECURRING",
        is_return_customer: bool = "IS_RETURN_CUSTOMER",
        is_repeated_approach: bool = "IS_REPEATED_APPROACH",
        probability: i64 = "PROBABILITY",
        currency_id: Currency = "CURRENCY_ID",
        opportunity: Decimal = "OPPORTUNITY",
        is_manual_opportunity: bool = "IS_MANUAL_OPPORTUNITY",
        tax_value: Decimal = "TAX_VALUE",
        company_id: u64 = "COMPANY_ID",
        contact_id: u64 = "CONTACT_ID",
        contact_ids: Vec<u64> = "CONTACT_IDS",
        quote_id: u64 = "QUOTE_ID",
        begindate: NaiveDate = "BEGINDATE",
        closedate: NaiveDate = "CLOSEDATE",
        opened: bool = "OPENED",
        closed: bool = "CLOSED",
        comments: String = "COMMENTS",
        assigned_by_id: u64 = "ASSIGNED_BY_ID",
        created_by_id: u64 = "CREATED_BY_ID",
        modify_by_id: u64 = "MODIFY_BY_ID",
        moved_by_id: u64 = "MOVED_BY_ID",
        date_create: DateTime<FixedOffset> = "DATE_CREATE",
        date_modify: DateTime<FixedOffset> = "DATE_MODIFY",
        moved_time: DateTime<FixedOffset> = "MOVED_TIME",
        source_id: String = "SOURCE_ID",
        source_description: String = "SOURCE_DESCRIPTION",
        lead_id: u64 = "LEAD_ID",
        additional_info: String = "ADDITIONAL_INFO",
        location_id: String = "LOCATION_ID",
        originator_id: String = "ORIGINATOR_ID",
        origin_id: String = "ORIGIN_ID",
        utm_source: String = "UTM_SOURCE",
        utm_medium: String = "UTM_MEDIUM",
        utm_campaign: String = "UTM_CAMPAIGN",
        utm_content: String = "UTM_CONTENT",
        utm_term: String = "UTM_TERM",
        last_activity_time: DateTime<FixedOffset> = "LAST_ACTIVITY_TIME",
        last_activity_by: u64 = "LAST_ACTIVITY_BY",
    }
    /// A lead (`crm.lead.get`, `crm.lead.list`).
    Lead (Entity::LEAD) {
        id: u64 = "ID",
        title: String = "TITLE",
        person,
        company_title: String = "COMPANY_TITLE",
        status_id: Stage = "STATUS_ID",
        status_description: String = "STATUS_DESCRIPTION",
        status_semantic_id: Semantic = "STATUS_SEMANTIC_ID",
        currency_id: Currency = "CURRENCY_ID",
        opportunity: Decimal = "OPPORTUNITY",
        is_manual_opportunity: bool = "IS_MANUAL_OPPORTUNITY",
        has_phone: bool = "HAS_PHONE",
        has_email: bool = "HAS_EMAIL",
        has_imol: bool = "HAS_IMOL",
        moved_by_id: u64 = "MOVED_BY_ID",
        moved_time: DateTime<FixedOffset> = "MOVED_TIME",
        company_id: u64 = "COMPANY_ID",
        contact_id: u64 = "CONTACT_ID",
        contact_ids: Vec<u64> = "CONTACT_IDS",
        is_return_customer: bool = "IS_RETURN_CUSTOMER",
        date_closed: DateTime<FixedOffset> = "DATE_CLOSED",
        tracked,
        multifields,
    }
    /// A contact (`crm.contact.get`, `crm.contact.list`).
    Contact (Entity::CONTACT) {
        id: u64 = "ID",
        person,
        photo: Value = "PHOTO",
        type_id: String = "TYPE_ID",
        export: bool = "EXPORT",
        company_id: u64 = "COMPANY_ID",
        company_ids: Vec<u64> = "COMPANY_IDS",
        lead_id: u64 = "LEAD_ID",
        tracked,
        multifields,
    }
    /// A company (`crm.company.get`, `crm.company.list`).
    Company (Entity::COMPANY) {
        id: u64 = "ID",
        title: String = "TITLE",
        company_type: String = "COMPANY_TYPE",
        logo: Value = "LOGO",
        address: String = "ADDRESS",
        address_legal: String = "ADDRESS_LEGAL",
        banking_details: String = "BANKING_DETAILS",
        industry: String = "INDUSTRY",
        employees: String = "EMPLOYEES",
        currency_id: Currency = "CURRENCY_ID",
        revenue: Decimal = "REVENUE",
        is_my_company: bool = "IS_MY_COMPANY",
        contact_id: Vec<u64> = "CONTACT_ID",
        lead_id: u64 = "LEAD_ID",
        last_communication_time: String = "LAST_COMMUNICATION_TIME",
        tracked,
        multifields,
    }
    /// A quote (`crm.quote.get`, `crm.quote.list`).
    Quote (Entity::QUOTE) {
        id: u64 = "ID",
        quote_number: String = "QUOTE_NUMBER",
        title: String = "TITLE",
        status_id: Stage = "STATUS_ID",
        currency_id: Currency = "CURRENCY_ID",
        opportunity: Decimal = "OPPORTUNITY",
        tax_value: Decimal = "TAX_VALUE",
        company_id: u64 = "COMPANY_ID",
        mycompany_id: u64 = "MYCOMPANY_ID",
        contact_id: u64 = "CONTACT_ID",
        contact_ids: Vec<u64> = "CONTACT_IDS",
        begindate: NaiveDate = "BEGINDATE",
        closedate: NaiveDate = "CLOSEDATE",
        actual_date: NaiveDate = "ACTUAL_DATE",
        closed: bool = "CLOSED",
        content: String = "CONTENT",
        terms: String = "TERMS",
        client_title: String = "CLIENT_TITLE",
        client_addr: String = "CLIENT_ADDR",
        client_contact: String = "CLIENT_CONTACT",
        client_email: String = "CLIENT_EMAIL",
        client_phone: String = "CLIENT_PHONE",
        lead_id: u64 = "LEAD_ID",
        deal_id: u64 = "DEAL_ID",
        person_type_id: u64 = "PERSON_TYPE_ID",
        location_id: String = "LOCATION_ID",
        tracked,
    }
    /// An activity (`crm.activity.get`, `crm.activity.list`).
    Activity (Entity::ACTIVITY) {
        id: u64 = "ID",
        owner_id: u64 = "OWNER_ID",
        owner_type_id: u64 = "OWNER_TYPE_ID",
        type_id: String = "TYPE_ID",
        provider_id: String = "PROVIDER_ID",
        provider_type_id: String = "PROVIDER_TYPE_ID",
        subject: String = "SUBJECT",
        start_time: DateTime<FixedOffset> = "START_TIME",
        end_time: DateTime<FixedOffset> = "END_TIME",
        deadline: DateTime<FixedOffset> = "DEADLINE",
        completed: bool = "COMPLETED",
        status: String = "STATUS",
        responsible_id: u64 = "RESPONSIBLE_ID",
        priority: String = "PRIORITY",
        description: String = "DESCRIPTION",
        direction: String = "DIRECTION",
        communications: Vec<Value> = "COMMUNICATIONS",
        author_id: u64 = "AUTHOR_ID",
        editor_id: u64 = "EDITOR_ID",
        created: DateTime<FixedOffset> = "CREATED",
        last_updated: DateTime<FixedOffset> = "LAST_UPDATED",
    }
    /// An item of `crm.item.*`: a smart invoice, an item of a custom type (its user
    /// fields under `user_fields`).
    Item (Entity::DYNAMIC(0)) {
        id: u64 = "ID",
        xml_id: String = "XML_ID",
        title: String = "TITLE",
        created_by: u64 = "CREATED_BY",
        updated_by: u64 = "UPDATED_BY",
        moved_by: u64 = "MOVED_BY",
        created_time: DateTime<FixedOffset> = "CREATED_TIME",
        updated_time: DateTime<FixedOffset> = "UPDATED_TIME",
        moved_time: DateTime<FixedOffset> = "MOVED_TIME",
        category_id: u64 = "CATEGORY_ID",
        opened: bool = "OPENED",
        stage_id: Stage = "STAGE_ID",
        previous_stage_id: Stage = "PREVIOUS_STAGE_ID",
        begindate: NaiveDate = "BEGINDATE",
        closedate: NaiveDate = "CLOSEDATE",
        company_id: u64 = "COMPANY_ID",
        contact_id: u64 = "CONTACT_ID",
        contact_ids: Vec<u64> = "CONTACT_IDS",
        opportunity: Decimal = "OPPORTUNITY",
        is_manual_opportunity: bool = "IS_MANUAL_OPPORTUNITY",
        tax_value: Decimal = "TAX_VALUE",
        currency_id: Currency = "CURRENCY_ID",
        mycompany_id: u64 = "MYCOMPANY_ID",
        source_id: String = "SOURCE_ID",
        source_description: String = "SOURCE_DESCRIPTION",
        assigned_by_id: u64 = "ASSIGNED_BY_ID",
        observers: Vec<u64> = "OBSERVERS",
        webform_id: u64 = "WEBFORM_ID",
        last_activity_time: DateTime<FixedOffset> = "LAST_ACTIVITY_TIME",
        last_activity_by: u64 = "LAST_ACTIVITY_BY",
    }
}

macro_rules! amounts {
    ($($name:ident: $amount:ident),*) => {$(
        impl $name {
            #[doc = concat!("`", stringify!($amount), "` in `CURRENCY_ID`, when both are there.")]
            pub fn amount(&self) -> Option<Money> {
                Some(Money {
                    amount: self.$amount?,
                    currency: self.currency_id?,
                })
            }
        }
    )*};
}

amounts!(Deal: opportunity, Lead: opportunity, Quote: opportunity, Item: opportunity, Company: revenue);

#[cfg(test)]
mod tests;
