//! The quick answer of `validate()` for the typed model: whether it breaks no rule of
//! the table, without a message, an allocation or a pointer.
//!
//! A typed layout already satisfies much of the table by construction (no unknown key, no
//! key twice, no wrong JSON type, no enum value outside its list). What remains is read
//! from the same declarations as the table itself (`wire_struct!` passes each field's
//! `Kind` and `required` to both): required members, string rules, nesting and counts,
//! options, cross-field rules. When the answer is "no", [`check`](crate::check) walks the
//! layout to say what and where. A property test holds the two to the same verdict.

use indexmap::IndexMap;
use serde_json::Value;

use crate::schema::{Cross, Kind};
use crate::typed::Typed;

/// A part of the typed model that can say whether it keeps the rules of its kind.
pub trait FastValue {
    /// Whether this value, declared as `kind`, breaks no rule.
    fn fast_value(&self, kind: &Kind) -> bool;
}

impl FastValue for String {
    fn fast_value(&self, kind: &Kind) -> bool {
        match kind {
            Kind::Str(rule) => rule.check.is_none_or(|check| check(self).is_none()),
            _ => false,
        }
    }
}

impl FastValue for bool {
    fn fast_value(&self, kind: &Kind) -> bool {
        matches!(kind, Kind::Bool)
    }
}

impl FastValue for u32 {
    fn fast_value(&self, kind: &Kind) -> bool {
        matches!(kind, Kind::UInt)
    }
}

impl FastValue for Value {
    fn fast_value(&self, kind: &Kind) -> bool {
        match kind {
            Kind::Any => true,
            Kind::Params => self.is_object() || self.is_array(),
            _ => false,
        }
    }
}

/// `values`: at least one option (codes are unique by construction).
impl FastValue for IndexMap<String, String> {
    fn fast_value(&self, kind: &Kind) -> bool {
        matches!(kind, Kind::Values) && !self.is_empty()
    }
}

/// Whether a cross-field rule holds, each member found by `get`.
/// `get` is a `dyn`: one copy of this function, not one per struct of the model.
pub fn cross_ok<'a>(cross: &Cross, get: &dyn Fn(&str) -> Option<&'a Typed>) -> bool {
    use crate::check::Shape;
    match *cross {
        Cross::NeedsTrue { field, flag, .. } => {
            get(field).is_none() || get(flag).is_some_and(|f| matches!(f.as_shape(), Shape::Bool(true)))
        }
        Cross::KeyOf { field, map, .. } => {
            let (Some(f), Some(m)) = (get(field), get(map)) else {
                return true;
            };
            match (f.as_shape(), m.key_set()) {
                (Shape::Str(selected), Some(keys)) => keys.is_empty() || keys.contains(selected),
                _ => false,
            }
        }
        Cross::Exclusive { a, b, .. } => get(a).is_none() || get(b).is_none(),
    }
}

/// The keys of a map of the model (option codes), for [`Cross::KeyOf`].
pub trait KeySet {
    fn is_empty(&self) -> bool;
    fn contains(&self, key: &str) -> bool;
}

impl<T> KeySet for IndexMap<String, T> {
    fn is_empty(&self) -> bool {
        IndexMap::is_empty(self)
    }
    fn contains(&self, key: &str) -> bool {
        self.contains_key(key)
    }
}
