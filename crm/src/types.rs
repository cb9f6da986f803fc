//! The field types of the `*.fields` methods (`type` of a field description), and what
//! a value of each may be on a write.

use serde_json::Value;

/// Declares every field type once: its wire name and what a written value must be.
macro_rules! field_types {
    ($($variant:ident = $wire:literal: $takes:literal => $writer:ident),* $(,)?) => {
        /// A field's `type`. A type this crate does not know is kept by name
        /// ([`FieldType::Other`]): its values are not checked.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum FieldType {
            $($variant,)*
            Other(String),
        }

        impl FieldType {
            /// Every known type's wire name.
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];

            pub fn parse(name: &str) -> FieldType {
                match name {
                    $($wire => FieldType::$variant,)*
                    other => FieldType::Other(other.to_owned()),
                }
            }

            /// The name as the portal spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(FieldType::$variant => $wire,)*
                    FieldType::Other(name) => name,
                }
            }

            /// The function of [`crate::write`] that writes a Rust value to a field of
            /// this type (what `fields!` calls on an expression, so that the compiler
            /// checks its type).
            pub fn writer(&self) -> &'static str {
                match self {
                    $(FieldType::$variant => stringify!($writer),)*
                    FieldType::Other(_) => "any",
                }
            }

            /// Every writer's name, once per type.
            pub const WRITERS: &'static [&'static str] = &[$(stringify!($writer)),*];

            /// What a value of this type is, for messages.
            pub fn takes(&self) -> &'static str {
                match self {
                    $(FieldType::$variant => $takes,)*
                    FieldType::Other(_) => "any value (a type this project does not know)",
                }
            }
        }
    };
}

field_types! {
    Integer = "integer": "a whole number" => whole,
    Double = "double": "a number" => number,
    String = "string": "a string" => text,
    Text = "text": "a string" => text,
    Char = "char": "\"Y\" or \"N\"" => yes_no,
    Boolean = "boolean": "\"Y\" or \"N\" (or 1/0, true/false)" => yes_no,
    Date = "date": "a date, YYYY-MM-DD" => date,
    Datetime = "datetime": "a date and time, YYYY-MM-DDThh:mm:ss+hh:mm" => datetime,
    File = "file": "a file: its id, or [name, base64]" => any,
    User = "user": "a user id" => whole,
    Employee = "employee": "a user id" => whole,
    CrmStatus = "crm_status": "a status code (crm.status.list)" => text,
    CrmLead = "crm_lead": "a lead id" => whole,
    CrmDeal = "crm_deal": "a deal id" => whole,
    CrmContact = "crm_contact": "a contact id" => whole,
    CrmCompany = "crm_company": "a company id" => whole,
    CrmQuote = "crm_quote": "a quote id" => whole,
    CrmCategory = "crm_category": "a funnel id" => whole,
    CrmEntity = "crm_entity": "an item id" => whole,
    CrmCurrency = "crm_currency": "a currency code such as \"EUR\"" => currency,
    CrmMultifield = "crm_multifield": "an entry {\"VALUE\": ..., \"VALUE_TYPE\": ...}" => multifield,
    Location = "location": "a location id" => whole,
    Enumeration = "enumeration": "the ID of one of its items" => whole,
    Money = "money": "an amount and a currency: \"300|EUR\"" => money,
    Url = "url": "an address" => text,
    Address = "address": "an address string" => text,
    Crm = "crm": "a CRM binding such as \"D_1\" or \"CO_3\"" => binding,
    IblockSection = "iblock_section": "a section id" => whole,
    IblockElement = "iblock_element": "an element id" => whole,
    CrmUserfield = "crm_userfield": "a user field's value" => any,
}

/// The value types of multifield entries, per `TYPE_ID` (FIELDS.md §4.1).
pub const MULTIFIELD_VALUE_TYPES: &[(&str, &[&str])] = &[
    (
        "PHONE",
        &["WORK", "MOBILE", "FAX", "HOME", "PAGER", "MAILING", "OTHER"],
    ),
    ("EMAIL", &["WORK", "HOME", "MAILING", "OTHER"]),
    ("WEB", &["WORK", "HOME", "VK", "LIVEJOURNAL", "TWITTER", "OTHER"]),
    (
        "IM",
        &[
            "TELEGRAM", "VK", "SKYPE", "VIBER", "BITRIX24", "OPENLINE", "IMOL", "ICQ", "MSN", "JABBER",
            "OTHER",
        ],
    ),
    ("LINK", &["USER", "OTHER"]),
];

fn is_whole(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::String(s) => !s.is_empty() && s.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

fn is_number(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => s.trim().parse::<f64>().is_ok_and(f64::is_finite),
        _ => false,
    }
}

fn digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

/// `YYYY-MM-DD` with a month and a day that can be.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(&b[0..4])
        || !digits(&b[5..7])
        || !digits(&b[8..10])
    {
        return false;
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// A date, then `T` or a space and `hh:mm[:ss]`, then an optional zone (`+03:00`, `Z`).
pub fn is_datetime(s: &str) -> bool {
    if s.len() < 16 || !s.get(..10).is_some_and(is_date) || !matches!(s.as_bytes()[10], b'T' | b' ') {
        return false;
    }
    let rest = &s[11..];
    let (time, zone) = match rest.find(['+', '-', 'Z']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let t = time.as_bytes();
    let time_ok = (t.len() == 5 || t.len() == 8)
        && digits(&t[0..2])
        && t[2] == b':'
        && digits(&t[3..5])
        && (t.len() == 5 || (t[5] == b':' && digits(&t[6..8])));
    let z = zone.as_bytes();
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (z.len() == 6 && digits(&z[1..3]) && z[3] == b':' && digits(&z[4..6]))
        || (z.len() == 5 && digits(&z[1..5]));
    time_ok && zone_ok
}

impl FieldType {
    /// Whether `v` is a value of this type as a write (one value: a multiple field's
    /// array is checked item by item by the caller). `None` for a type whose values are
    /// not checked.
    pub fn accepts(&self, v: &Value) -> Option<bool> {
        use FieldType as T;
        let s = v.as_str();
        Some(match self {
            T::Integer
            | T::User
            | T::Employee
            | T::CrmLead
            | T::CrmDeal
            | T::CrmContact
            | T::CrmCompany
            | T::CrmQuote
            | T::CrmCategory
            | T::CrmEntity
            | T::Location
            | T::IblockSection
            | T::IblockElement => is_whole(v),
            T::Double => is_number(v),
            T::String | T::Text | T::Url | T::Address | T::CrmStatus => v.is_string() || v.is_number(),
            T::Char => matches!(s, Some("Y" | "N")),
            T::Boolean => {
                matches!(s, Some("Y" | "N" | "1" | "0" | "true" | "false"))
                    || v.is_boolean()
                    || matches!(v.as_i64(), Some(0 | 1))
            }
            T::Date => s.is_some_and(|d| is_date(d) || is_datetime(d)),
            T::Datetime => s.is_some_and(|d| is_datetime(d) || is_date(d)),
            T::CrmCurrency => s.is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())),
            T::Money => s.is_some_and(|m| {
                let (amount, currency) = m.split_once('|').unwrap_or((m, ""));
                amount.trim().parse::<f64>().is_ok()
                    && currency.len() == 3
                    && currency.bytes().all(|b| b.is_ascii_uppercase())
            }),
            T::Crm => {
                s.is_some_and(|b| {
                    let (prefix, id) = b.rsplit_once('_').unwrap_or(("", b));
                    (prefix.is_empty() || prefix.bytes().all(|c| c.is_ascii_alphanumeric()))
                        && digits(id.as_bytes())
                        && !id.is_empty()
                }) || is_whole(v)
            }
            T::File => v.is_object() || v.is_array() || is_whole(v),
            T::Enumeration => is_whole(v),
            T::CrmMultifield => v.is_object(),
            T::CrmUserfield | T::Other(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_type_reads_back_as_spelled() {
        for name in FieldType::KNOWN {
            assert_eq!(FieldType::parse(name).as_str(), *name);
            assert!(!matches!(FieldType::parse(name), FieldType::Other(_)));
        }
        assert_eq!(
            FieldType::parse("rest_1_app_type"),
            FieldType::Other("rest_1_app_type".into())
        );
    }

    #[test]
    fn values_as_the_docs_write_them() {
        let t = |ty: &str, v: Value| FieldType::parse(ty).accepts(&v);
        assert_eq!(t("integer", json!("410")), Some(true));
        assert_eq!(t("integer", json!("4a")), Some(false));
        assert_eq!(t("double", json!("1000000.00")), Some(true));
        assert_eq!(t("double", json!("lots")), Some(false));
        assert_eq!(t("char", json!("Y")), Some(true));
        assert_eq!(t("char", json!(true)), Some(false));
        assert_eq!(t("date", json!("2024-08-30")), Some(true));
        assert_eq!(t("date", json!("2024-13-30")), Some(false));
        assert_eq!(t("datetime", json!("2024-08-30T02:00:00+02:00")), Some(true));
        assert_eq!(t("datetime", json!("yesterday")), Some(false));
        assert_eq!(t("money", json!("300|EUR")), Some(true));
        assert_eq!(t("money", json!("300 EUR")), Some(false));
        assert_eq!(t("crm", json!("CO_3")), Some(true));
        assert_eq!(t("crm_currency", json!("eur")), Some(false));
        assert_eq!(t("rest_1_app_type", json!([1])), None);
    }
}
