//! Rust values written to CRM fields, one trait per kind of field: what `fields!` calls on
//! an expression, so that the compiler checks that a `bool` goes to a `Y`/`N` field, a
//! date to a date field, a number to an amount. Each writes the value as the portal reads
//! it (`"Y"`, `"2026-12-31"`, `"300.50|EUR"`). The field types name their writer
//! ([`FieldType::writer`](crate::FieldType::writer)); a test holds the two lists together.

use std::borrow::Cow;

use serde_json::{json, Value};

use crate::value::{Currency, DateTime, Decimal, FixedOffset, Money, Multifield, NaiveDate, Stage};

macro_rules! kinds {
    ($(
        $(#[$doc:meta])*
        $trait:ident, $fn:ident, $many:ident, $message:literal, $label:literal {
            $($ty:ty => |$v:ident| $body:expr;)*
        }
    )*) => {
        $(
            $(#[$doc])*
            #[diagnostic::on_unimplemented(message = $message, label = $label)]
            pub trait $trait {
                /// The value as the portal reads it.
                fn write(self) -> Value;
            }

            $(
                impl $trait for $ty {
                    fn write(self) -> Value {
                        let $v = self;
                        $body
                    }
                }
            )*

            /// Writes one value of this kind.
            pub fn $fn<T: $trait>(value: T) -> Value {
                value.write()
            }

            /// Writes the values of a multiple field of this kind.
            pub fn $many<I>(values: I) -> Value
            where
                I: IntoIterator,
                I::Item: $trait,
            {
                Value::Array(values.into_iter().map($trait::write).collect())
            }
        )*

        /// Every writer's name.
        pub const WRITERS: &[&str] = &[$(stringify!($fn)),*];
    };
}

fn int<T: Into<Value>>(v: T) -> Value {
    v.into()
}

kinds! {
    /// Ids and whole numbers (`integer`, `user`, `crm_deal`, `enumeration`...).
    Whole, whole, whole_many,
        "`{Self}` is not a whole number: this field takes an id or an integer",
        "expected an integer (u64, i64, u32...)" {
        u8 => |v| int(v);
        u16 => |v| int(v);
        u32 => |v| int(v);
        u64 => |v| int(v);
        usize => |v| int(v as u64);
        i8 => |v| int(v);
        i16 => |v| int(v);
        i32 => |v| int(v);
        i64 => |v| int(v);
        &u64 => |v| int(*v);
        &i64 => |v| int(*v);
    }

    /// Amounts and quantities (`double`), written exactly for a [`Decimal`].
    Number, number, number_many,
        "`{Self}` is not a number: this field takes an amount",
        "expected a number (Decimal, f64, an integer)" {
        Decimal => |v| Value::String(v.to_string());
        &Decimal => |v| Value::String(v.to_string());
        f64 => |v| json!(v);
        f32 => |v| json!(v);
        u32 => |v| int(v);
        u64 => |v| int(v);
        i32 => |v| int(v);
        i64 => |v| int(v);
    }

    /// Text (`string`, `text`, `url`, `address`, a status code of `crm_status`).
    Text, text, text_many,
        "`{Self}` is not text: this field takes a string",
        "expected &str or String" {
        &str => |v| Value::String(v.to_owned());
        String => |v| Value::String(v);
        &String => |v| Value::String(v.clone());
        Cow<'_, str> => |v| Value::String(v.into_owned());
        Stage => |v| Value::String(v.0);
        &Stage => |v| Value::String(v.0.clone());
    }

    /// `Y`/`N` (`char`, `boolean`), from a `bool`.
    YesNo, yes_no, yes_no_many,
        "`{Self}` is not a bool: this field takes `Y` or `N`",
        "expected a bool (written \"Y\" or \"N\")" {
        bool => |v| Value::String(if v { "Y" } else { "N" }.to_owned());
        &bool => |v| Value::String(if *v { "Y" } else { "N" }.to_owned());
    }

    /// A date (`date`): `2026-12-31`.
    Date, date, date_many,
        "`{Self}` is not a date: this field takes a chrono::NaiveDate",
        "expected a NaiveDate (or a DateTime<FixedOffset>)" {
        NaiveDate => |v| Value::String(v.format("%Y-%m-%d").to_string());
        &NaiveDate => |v| Value::String(v.format("%Y-%m-%d").to_string());
        DateTime<FixedOffset> => |v| Value::String(v.to_rfc3339());
    }

    /// A date and time with its zone (`datetime`): `2026-12-31T10:00:00+03:00`.
    Datetime, datetime, datetime_many,
        "`{Self}` is not a date-time with its zone: this field takes a chrono::DateTime<FixedOffset>",
        "expected a DateTime<FixedOffset> (or a NaiveDate)" {
        DateTime<FixedOffset> => |v| Value::String(v.to_rfc3339());
        &DateTime<FixedOffset> => |v| Value::String(v.to_rfc3339());
        NaiveDate => |v| Value::String(v.format("%Y-%m-%d").to_string());
    }

    /// A currency code (`crm_currency`).
    CurrencyCode, currency, currency_many,
        "`{Self}` is not a currency: this field takes a b24 Currency",
        "expected a Currency (Currency::new(\"EUR\"))" {
        Currency => |v| Value::String(v.as_str().to_owned());
    }

    /// An amount with its currency (`money`): `300.50|EUR`.
    MoneyValue, money, money_many,
        "`{Self}` is not money: this field takes an amount with its currency",
        "expected a Money (\"300.50|EUR\".parse()?)" {
        Money => |v| Value::String(v.to_string());
        &Money => |v| Value::String(v.to_string());
    }

    /// A CRM binding (`crm`): `D_1`, `CO_3`, or an id where the field binds one kind.
    Binding, binding, binding_many,
        "`{Self}` is not a CRM binding: this field takes `CO_3`, `D_1` or an id",
        "expected &str, String or u64" {
        &str => |v| Value::String(v.to_owned());
        String => |v| Value::String(v);
        u64 => |v| int(v);
    }

    /// A phone, e-mail, site, messenger or link entry (`crm_multifield`).
    MultifieldEntry, multifield, multifield_many,
        "`{Self}` is not a multifield entry: this field takes a b24 Multifield",
        "expected a Multifield" {
        Multifield => |v| {
            let mut o = serde_json::Map::new();
            if let Some(id) = v.id {
                o.insert("ID".into(), int(id));
            }
            o.insert("VALUE".into(), Value::String(v.value));
            o.insert("VALUE_TYPE".into(), Value::String(v.value_type));
            Value::Object(o)
        };
    }

    /// A field whose values this project does not read (`file`, a type of an app): any
    /// JSON value.
    Any, any, any_many,
        "`{Self}` cannot be written as JSON",
        "expected a serde_json::Value or something that converts into one" {
        Value => |v| v;
        &str => |v| Value::String(v.to_owned());
        String => |v| Value::String(v);
        u64 => |v| int(v);
        i64 => |v| int(v);
        bool => |v| Value::Bool(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldType;

    /// Each field type's writer is one of this module's.
    #[test]
    fn every_type_has_its_writer() {
        for w in FieldType::WRITERS {
            assert!(WRITERS.contains(w), "no writer `{w}`");
        }
        for w in WRITERS {
            assert!(FieldType::WRITERS.contains(w), "`{w}` writes no field type");
        }
        assert_eq!(FieldType::Other("x".into()).writer(), "any");
    }

    #[test]
    fn values_as_the_portal_reads_them() {
        assert_eq!(yes_no(true), "Y");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()), "2026-12-31");
        assert_eq!(number(Decimal::new(30050, 2)), "300.50");
        assert_eq!(money("300.50|EUR".parse::<Money>().unwrap()), "300.50|EUR");
        assert_eq!(whole_many([3u64, 4]), json!([3, 4]));
        assert_eq!(currency(Currency::new("EUR").unwrap()), "EUR");
        let when = crate::value::parse_datetime("2026-12-31T10:00:00+03:00").unwrap();
        assert_eq!(datetime(when), "2026-12-31T10:00:00+03:00");
    }
}
