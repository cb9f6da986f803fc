//! The values of CRM fields in their own types, read from what the portal sends: ids
//! (`"5"` or `5`), amounts as decimals (`"1000.00"`), `Y`/`N`, dates and date-times with
//! their zone, currencies, stages and their semantics, multifield entries, `300|EUR` money.
//!
//! [`Wire`] is the one reader of each type; [`Wire::TYPES`] says which field types of the
//! `*.fields` methods it reads (a test holds every typed object to its field table).

use std::fmt;
use std::str::FromStr;

pub use chrono::{DateTime, FixedOffset, NaiveDate};
pub use rust_decimal::Decimal;
use serde_json::Value;

use crate::types::{is_date, is_datetime, MULTIFIELD_VALUE_TYPES};

/// A value read from a field, in its own type.
pub trait Wire: Sized {
    /// The field types (`type` of a field description) this type reads.
    const TYPES: &'static [&'static str];
    /// A multiple field (a list of values).
    const MULTIPLE: bool = false;
    /// Whether an empty string is a value of this type (text) rather than no value (the
    /// portal sends `""` for an empty number, date or id).
    const EMPTY_IS_A_VALUE: bool = false;
    /// The value as this type, or the value back when it is not one.
    fn from_wire(v: Value) -> Result<Self, Value>;
}

const IDS: &[&str] = &[
    "integer",
    "user",
    "employee",
    "crm_lead",
    "crm_deal",
    "crm_contact",
    "crm_company",
    "crm_quote",
    "crm_category",
    "crm_entity",
    "location",
    "iblock_section",
    "iblock_element",
    "enumeration",
];

impl Wire for u64 {
    const TYPES: &'static [&'static str] = IDS;
    fn from_wire(v: Value) -> Result<Self, Value> {
        match &v {
            Value::Number(n) => n.as_u64().ok_or(v),
            Value::String(s) => s.parse().map_err(|_| v),
            _ => Err(v),
        }
    }
}

impl Wire for i64 {
    const TYPES: &'static [&'static str] = &["integer"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        match &v {
            Value::Number(n) => n.as_i64().ok_or(v),
            Value::String(s) => s.parse().map_err(|_| v),
            _ => Err(v),
        }
    }
}

impl Wire for Decimal {
    const TYPES: &'static [&'static str] = &["double", "integer"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        let parsed = match &v {
            Value::String(s) => Decimal::from_str_exact(s.trim()).ok(),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Some(Decimal::from(i)),
                // as the number was written: `12.5`, not the float nearest it
                None => Decimal::from_str(&n.to_string()).ok(),
            },
            _ => None,
        };
        parsed.ok_or(v)
    }
}

impl Wire for String {
    const TYPES: &'static [&'static str] = &[
        "string",
        "text",
        "crm_status",
        "url",
        "address",
        "location",
        "crm",
    ];
    const EMPTY_IS_A_VALUE: bool = true;
    fn from_wire(v: Value) -> Result<Self, Value> {
        match v {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(other),
        }
    }
}

impl Wire for bool {
    const TYPES: &'static [&'static str] = &["char", "boolean"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        match &v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) => match s.as_str() {
                "Y" | "1" | "true" => Ok(true),
                "N" | "0" | "false" => Ok(false),
                _ => Err(v),
            },
            Value::Number(n) => match n.as_i64() {
                Some(1) => Ok(true),
                Some(0) => Ok(false),
                _ => Err(v),
            },
            _ => Err(v),
        }
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD`, or the date of a date-time (the classic methods send a date field as a
/// date-time at midnight in the portal's zone).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let d = s.get(..10)?;
    if !is_date(d) || (s.len() > 10 && !is_datetime(s)) {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(&d[..4])? as i32, digits(&d[5..7])?, digits(&d[8..10])?)
}

/// `YYYY-MM-DDThh:mm:ss+hh:mm` (or `Z`, or `+hhmm`), as the portal writes date-times. A
/// date-time without its zone is not read: the moment it names is not known.
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    if !is_datetime(s) {
        return None;
    }
    let date = parse_date(&s[..10])?;
    let rest = &s[11..];
    let zone_at = rest.find(['+', '-', 'Z'])?;
    let (time, zone) = rest.split_at(zone_at);
    let hour = digits(&time[0..2])?;
    let minute = digits(&time[3..5])?;
    let second = if time.len() == 8 { digits(&time[6..8])? } else { 0 };
    let offset = if zone == "Z" {
        0
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let z = zone[1..].replace(':', "");
        let h = digits(z.get(..2)?)? as i32;
        let m = digits(z.get(2..4)?)? as i32;
        sign * (h * 3600 + m * 60)
    };
    let offset = FixedOffset::east_opt(offset)?;
    date.and_hms_opt(hour, minute, second)?
        .and_local_timezone(offset)
        .single()
}

impl Wire for NaiveDate {
    const TYPES: &'static [&'static str] = &["date"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        v.as_str().and_then(parse_date).ok_or(v)
    }
}

impl Wire for DateTime<FixedOffset> {
    const TYPES: &'static [&'static str] = &["datetime"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        v.as_str().and_then(parse_datetime).ok_or(v)
    }
}

/// Any value, kept as sent (files, a type this project does not read).
impl Wire for Value {
    const TYPES: &'static [&'static str] = &[];
    fn from_wire(v: Value) -> Result<Self, Value> {
        Ok(v)
    }
}

impl<T: Wire> Wire for Vec<T> {
    const TYPES: &'static [&'static str] = T::TYPES;
    const MULTIPLE: bool = true;
    /// A list whose every entry reads; anything else comes back whole.
    fn from_wire(v: Value) -> Result<Self, Value> {
        let Value::Array(items) = v else { return Err(v) };
        let mut out = Vec::with_capacity(items.len());
        let mut rest = items.into_iter();
        while let Some(item) = rest.next() {
            match T::from_wire(item) {
                Ok(t) => out.push(t),
                Err(bad) => {
                    // give the list back as it was sent
                    let mut back: Vec<Value> = Vec::with_capacity(out.len() + 1 + rest.len());
                    back.extend(out.into_iter().map(|_| Value::Null));
                    back.push(bad);
                    back.extend(rest);
                    return Err(Value::Array(back));
                }
            }
        }
        Ok(out)
    }
}

/// A currency code: `EUR`, `USD`, `RUB`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Three capital letters, as the portal writes currencies.
    pub fn new(code: &str) -> Option<Currency> {
        let b = code.as_bytes();
        (b.len() == 3 && b.iter().all(u8::is_ascii_uppercase)).then(|| Currency([b[0], b[1], b[2]]))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl Wire for Currency {
    const TYPES: &'static [&'static str] = &["crm_currency"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        v.as_str().and_then(Currency::new).ok_or(v)
    }
}

/// An amount in a currency: a deal's `OPPORTUNITY` with its `CURRENCY_ID`, or a `money`
/// user field (`"300.50|EUR"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl FromStr for Money {
    type Err = String;
    fn from_str(s: &str) -> Result<Money, String> {
        let (amount, currency) = s
            .split_once('|')
            .ok_or_else(|| format!("`{s}` is no amount: write `300.50|EUR`"))?;
        Ok(Money {
            amount: Decimal::from_str_exact(amount.trim())
                .map_err(|_| format!("`{amount}` is no decimal amount"))?,
            currency: Currency::new(currency).ok_or_else(|| format!("`{currency}` is no currency code"))?,
        })
    }
}

impl fmt::Display for Money {
    /// As the portal writes it: `300.50|EUR`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}|{}", self.amount, self.currency)
    }
}

impl Wire for Money {
    const TYPES: &'static [&'static str] = &["money"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        v.as_str().and_then(|s| s.parse().ok()).ok_or(v)
    }
}

/// A stage (`C1:NEW`, `DT183_10:PREPARATION`, `WON`), with its funnel when it names one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Stage(pub String);

impl Stage {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The funnel it belongs to: `C1:NEW` and `DT183_1:NEW` are in funnel 1, `NEW` and
    /// `DT183_0:NEW`... in the general one (0).
    pub fn category(&self) -> u64 {
        let Some((prefix, _)) = self.0.split_once(':') else {
            return 0;
        };
        let number = match prefix.strip_prefix('C') {
            Some(n) => n,
            None => prefix.rsplit_once('_').map_or("", |(_, n)| n),
        };
        number.parse().unwrap_or(0)
    }

    /// The stage's own code, without its funnel: `NEW` of `C1:NEW`.
    pub fn code(&self) -> &str {
        self.0.split_once(':').map_or(&self.0, |(_, c)| c)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Wire for Stage {
    const TYPES: &'static [&'static str] = &["crm_status"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        match v {
            Value::String(s) if !s.is_empty() => Ok(Stage(s)),
            other => Err(other),
        }
    }
}

/// What a stage means: `STAGE_SEMANTIC_ID` (`P`, `S`, `F`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Semantic {
    /// In progress (`P`).
    Process,
    /// Won (`S`).
    Success,
    /// Lost (`F`).
    Failure,
}

impl Semantic {
    pub fn as_str(self) -> &'static str {
        match self {
            Semantic::Process => "P",
            Semantic::Success => "S",
            Semantic::Failure => "F",
        }
    }
}

impl Wire for Semantic {
    const TYPES: &'static [&'static str] = &["string"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        match v.as_str() {
            Some("P") => Ok(Semantic::Process),
            Some("S") => Ok(Semantic::Success),
            Some("F") => Ok(Semantic::Failure),
            _ => Err(v),
        }
    }
}

/// One entry of a phone, e-mail, site, messenger or link field:
/// `{"ID": "10", "VALUE_TYPE": "WORK", "VALUE": "+1 555 0100", "TYPE_ID": "PHONE"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Multifield {
    /// The entry's id, for updating or deleting it.
    pub id: Option<u64>,
    /// `PHONE`, `EMAIL`, `WEB`, `IM`, `LINK`, when the portal says.
    pub type_id: Option<String>,
    /// `WORK`, `MOBILE`, `HOME`, `TELEGRAM`...
    pub value_type: String,
    pub value: String,
}

impl Multifield {
    /// Whether its value type is one its field takes (FIELDS.md §4.1); `None` when the
    /// entry does not say its field.
    pub fn value_type_is_known(&self) -> Option<bool> {
        let field = self.type_id.as_deref()?;
        let (_, types) = MULTIFIELD_VALUE_TYPES.iter().find(|(t, _)| *t == field)?;
        Some(types.contains(&self.value_type.as_str()))
    }
}

impl Wire for Multifield {
    const TYPES: &'static [&'static str] = &["crm_multifield"];
    fn from_wire(v: Value) -> Result<Self, Value> {
        let Value::Object(o) = &v else { return Err(v) };
        let text = |k: &str| match o.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let (Some(value), Some(value_type)) = (text("VALUE"), text("VALUE_TYPE")) else {
            return Err(v);
        };
        Ok(Multifield {
            id: o.get("ID").cloned().and_then(|i| u64::from_wire(i).ok()),
            type_id: text("TYPE_ID"),
            value_type,
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn values_as_the_portal_sends_them() {
        assert_eq!(u64::from_wire(json!("5")), Ok(5));
        assert_eq!(u64::from_wire(json!(5)), Ok(5));
        assert_eq!(u64::from_wire(json!("five")), Err(json!("five")));
        assert_eq!(
            Decimal::from_wire(json!("1000.50")).unwrap().to_string(),
            "1000.50"
        );
        assert_eq!(Decimal::from_wire(json!(12)).unwrap(), Decimal::from(12));
        assert_eq!(Decimal::from_wire(json!(12.5)).unwrap().to_string(), "12.5");
        assert_eq!(bool::from_wire(json!("Y")), Ok(true));
        assert_eq!(bool::from_wire(json!("N")), Ok(false));
        assert!(bool::from_wire(json!("maybe")).is_err());
        assert_eq!(
            NaiveDate::from_wire(json!("2024-08-30T03:00:00+03:00")).unwrap(),
            NaiveDate::from_ymd_opt(2024, 8, 30).unwrap()
        );
        let t = DateTime::<FixedOffset>::from_wire(json!("2024-08-30T02:05:09+02:00")).unwrap();
        assert_eq!(t.to_rfc3339(), "2024-08-30T02:05:09+02:00");
        assert_eq!(t.offset().local_minus_utc(), 7200);
        assert_eq!(
            DateTime::<FixedOffset>::from_wire(json!("2024-08-30T02:05:09Z"))
                .unwrap()
                .timestamp(),
            1724983509
        );
        // no zone: the moment is not known, the text is kept
        assert!(DateTime::<FixedOffset>::from_wire(json!("2024-08-30T02:05:09")).is_err());
        let money: Money = "300.50|EUR".parse().unwrap();
        assert_eq!(money.amount.to_string(), "300.50");
        assert_eq!(money.currency.as_str(), "EUR");
        assert_eq!(money.to_string(), "300.50|EUR");
        assert!("300 EUR".parse::<Money>().is_err());
        let stage = Stage::from_wire(json!("C1:PREPARATION")).unwrap();
        assert_eq!((stage.category(), stage.code()), (1, "PREPARATION"));
        let stage = Stage::from_wire(json!("DT183_10:NEW")).unwrap();
        assert_eq!((stage.category(), stage.code()), (10, "NEW"));
        assert_eq!(Stage("WON".into()).category(), 0);
        assert_eq!(Semantic::from_wire(json!("S")), Ok(Semantic::Success));
        let phone = Multifield::from_wire(
            json!({"ID": "10", "VALUE_TYPE": "WORK", "VALUE": "+1 555 0100", "TYPE_ID": "PHONE"}),
        )
        .unwrap();
        assert_eq!(phone.id, Some(10));
        assert_eq!(phone.value_type_is_known(), Some(true));
        assert_eq!(
            Vec::<u64>::from_wire(json!(["1", 2, "x"])),
            Err(json!([null, null, "x"]))
        );
    }

    proptest! {
        /// Any text is read or given back whole, never a panic.
        #[test]
        fn any_text_reads_or_comes_back(s in "\\PC{0,32}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:?[0-9]{2}") {
            let v = Value::String(s.clone());
            // and every field type's check of a write takes it without a panic
            for t in crate::types::FieldType::KNOWN {
                let _ = crate::types::FieldType::parse(t).accepts(&v);
            }
            for back in [
                u64::from_wire(v.clone()).err(),
                Decimal::from_wire(v.clone()).err(),
                NaiveDate::from_wire(v.clone()).err(),
                DateTime::<FixedOffset>::from_wire(v.clone()).err(),
                Money::from_wire(v.clone()).err(),
                Currency::from_wire(v.clone()).err(),
            ].into_iter().flatten() {
                prop_assert_eq!(back, v.clone());
            }
        }

        /// A date-time read prints back as the same moment.
        #[test]
        fn datetimes_keep_their_moment(y in 1971i32..2100, mo in 1u32..13, d in 1u32..29, h in 0u32..24, mi in 0u32..60, s in 0u32..60, zh in 0i32..14, neg: bool) {
            let sign = if neg && zh > 0 { '-' } else { '+' };
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{zh:02}:00");
            let t = parse_datetime(&text).unwrap();
            prop_assert_eq!(t.to_rfc3339(), text);
        }
    }
}
