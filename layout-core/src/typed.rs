//! The typed model as the rule checker sees it, without a JSON copy.
//!
//! [`LayoutDto::validate`](crate::LayoutDto::validate) runs the same table, through the
//! same [`check`](crate::check) code, as the reader of outside JSON and the macro. It walks
//! the typed model in place: a JSON value of the layout would cost an allocation for every
//! key and a hash table for every object, only to be thrown away (a widget server checks
//! the layout of every frame it opens). Each part of the model shows its shape as its
//! JSON would have it (the same keys, in the same order as printed), so both paths find
//! the same violations at the same pointers; a property test holds them to that.

use indexmap::IndexMap;
use serde_json::Value;

use crate::check::{Count, Entry, Node, Shape};

/// A part of the typed model, shown to the checker as its JSON would be.
pub trait AsNode {
    fn as_shape(&self) -> Shape<'_, Typed>;

    /// The keys of a map, without listing its entries (see [`fast`](crate::fast)).
    fn key_set(&self) -> Option<&dyn crate::fast::KeySet> {
        None
    }
}

/// Any part of the typed model.
pub type Typed = dyn AsNode;

impl Node for Typed {
    type Loc = ();

    fn loc(&self) {}

    fn shape(&self) -> Shape<'_, Self> {
        self.as_shape()
    }
}

/// The member `key` holding `value`.
pub fn entry<'a>(key: &'a str, value: &'a Typed) -> Entry<'a, Typed> {
    Entry {
        key: Some(key),
        key_loc: (),
        value,
        count: Count::One,
    }
}

impl AsNode for String {
    fn as_shape(&self) -> Shape<'_, Typed> {
        Shape::Str(self)
    }
}

/// A fixed string of the wire (a block's or an action's `type`).
impl AsNode for &'static str {
    fn as_shape(&self) -> Shape<'_, Typed> {
        Shape::Str(self)
    }
}

impl AsNode for bool {
    fn as_shape(&self) -> Shape<'_, Typed> {
        Shape::Bool(*self)
    }
}

impl AsNode for u32 {
    fn as_shape(&self) -> Shape<'_, Typed> {
        Shape::Number(Some(u64::from(*self)))
    }
}

impl<T: AsNode + ?Sized> AsNode for Box<T> {
    fn as_shape(&self) -> Shape<'_, Typed> {
        (**self).as_shape()
    }
}

/// Maps keyed by id or option code: blocks, `values`.
impl<T: AsNode + 'static> AsNode for IndexMap<String, T> {
    fn as_shape(&self) -> Shape<'_, Typed> {
        Shape::Object(self.iter().map(|(k, v)| entry(k, v)).collect())
    }

    fn key_set(&self) -> Option<&dyn crate::fast::KeySet> {
        Some(self)
    }
}

/// Free JSON (an `openRestApp` action's `value`).
impl AsNode for Value {
    fn as_shape(&self) -> Shape<'_, Typed> {
        crate::check::json_shape(self, |v| v)
    }
}
