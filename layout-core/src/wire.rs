//! The machinery shared by every wire type: key order, conversion from JSON with a
//! pointer to the value at fault, and the two declarative macros that generate a wire
//! struct or enum *and* its entry in the rule table from one declaration.
//!
//! Every property a block, action or button can carry is declared exactly once, with its
//! wire name, its Rust type and its [`Kind`](crate::schema::Kind) (what the checker
//! enforces). The typed model and the rule table cannot drift apart.

use serde_json::Value;

use crate::pointer::Ptr;
use crate::violation::{Rule, Violation};

/// The order in which the properties of an object were read or set.
///
/// Bitrix24 ignores the order of properties, but people read the JSON: printing a layout
/// back keeps the order it was written in. Fields never set are printed after the
/// recorded ones, in declaration order. Two objects that differ only in property order are
/// equal, as two JSON objects are.
#[derive(Clone, Copy, Default)]
pub struct Order {
    len: u8,
    /// Indices into the object's list of field names; no object has more than 15 fields,
    /// so the order lives inline, without an allocation.
    idx: [u8; 15],
}

/// The position of `name` in `all`, computed at compile time by the setters.
pub const fn index_of(all: &[&str], name: &str) -> u8 {
    let mut i = 0;
    while i < all.len() {
        let (a, b) = (all[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i as u8;
            }
        }
        i += 1;
    }
    panic!("not a field name")
}

impl Order {
    /// Records `name`, one of `all`, as set; a name already recorded keeps its place.
    pub fn touch(&mut self, all: &[&'static str], name: &str) {
        if let Some(i) = all.iter().position(|n| *n == name) {
            self.touch_index(i as u8);
        }
    }

    /// Records the field at index `i` as set.
    pub fn touch_index(&mut self, i: u8) {
        let len = usize::from(self.len);
        if !self.idx[..len].contains(&i) && len < self.idx.len() {
            self.idx[len] = i;
            self.len += 1;
        }
    }

    /// The recorded indices, then every index below `n` not recorded.
    pub fn indices(&self, n: usize) -> impl Iterator<Item = usize> + '_ {
        let recorded = &self.idx[..usize::from(self.len)];
        recorded
            .iter()
            .map(|&i| usize::from(i))
            .chain((0..n).filter(move |i| !recorded.contains(&(*i as u8))))
    }

    /// The recorded names, then every name of `all` not recorded, in `all`'s order.
    pub fn with_rest<'a>(&'a self, all: &'a [&'static str]) -> impl Iterator<Item = &'static str> + 'a {
        let recorded = &self.idx[..usize::from(self.len)];
        recorded
            .iter()
            .filter_map(|&i| all.get(usize::from(i)).copied())
            .chain(
                all.iter()
                    .enumerate()
                    .filter(|(i, _)| !recorded.contains(&(*i as u8)))
                    .map(|(_, n)| *n),
            )
    }
}

impl PartialEq for Order {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Order {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Order")
    }
}

/// Conversion of a JSON value into a wire type, naming the JSON pointer of the first
/// value that does not fit. The rule checker reports *every* problem; this conversion
/// runs after it (or on its own through `Deserialize`) and stops at the first.
pub trait FromWire: Sized {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation>;
}

/// The JSON type of a value, as error messages name it.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn wrong_type(ptr: &Ptr, expected: &str, value: &Value) -> Violation {
    Violation::new(
        ptr.render(),
        Rule::WrongType,
        format!("expected {expected}, found {}", json_type(value)),
    )
}

pub(crate) fn expect_object<'v>(
    value: &'v Value,
    ptr: &Ptr,
) -> Result<&'v serde_json::Map<String, Value>, Violation> {
    value
        .as_object()
        .ok_or_else(|| wrong_type(ptr, "an object", value))
}

impl FromWire for String {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| wrong_type(ptr, "a string", value))
    }
}

impl FromWire for bool {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        value.as_bool().ok_or_else(|| wrong_type(ptr, "a boolean", value))
    }
}

impl FromWire for u32 {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| wrong_type(ptr, "a whole number of pixels (0 to 4294967295)", value))
    }
}

impl FromWire for Value {
    fn from_wire(value: &Value, _: &Ptr) -> Result<Self, Violation> {
        Ok(value.clone())
    }
}

impl<T: FromWire> FromWire for Box<T> {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        T::from_wire(value, ptr).map(Box::new)
    }
}

/// Maps keyed by id or option code: blocks, `values`, tags, buttons, translations.
impl<T: FromWire> FromWire for indexmap::IndexMap<String, T> {
    fn from_wire(value: &Value, ptr: &Ptr) -> Result<Self, Violation> {
        expect_object(value, ptr)?
            .iter()
            .map(|(k, v)| Ok((k.clone(), T::from_wire(v, &ptr.key(k))?)))
            .collect()
    }
}

/// Implements `Deserialize` through [`FromWire`], so that serde users get the JSON
/// pointer of the value at fault in the message.
macro_rules! deserialize_via_wire {
    ($name:ty) => {
        impl<'de> serde_core::Deserialize<'de> for $name {
            fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(d)?;
                <$name as $crate::wire::FromWire>::from_wire(&value, &$crate::pointer::Ptr::Root)
                    .map_err(<D::Error as serde_core::de::Error>::custom)
            }
        }
    };
}
pub(crate) use deserialize_via_wire;

/// Declares an enumerated wire value: the Rust enum (variants spelled as on the wire),
/// its list of allowed values for the rule table, and its conversions.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value allowed on the wire, in the order the docs list them.
            pub const VALUES: &'static [&'static str] = &[$(stringify!($variant)),*];
            /// The entry of this enumeration in the rule table.
            pub const SPEC: $crate::schema::EnumSpec =
                $crate::schema::EnumSpec { name: $what, rust: stringify!($name), values: Self::VALUES };

            /// The value as spelled on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => stringify!($variant), )* }
            }

            /// The value spelled `s` on the wire, if there is one.
            pub fn from_wire_str(s: &str) -> Option<Self> {
                match s { $( stringify!($variant) => Some(Self::$variant), )* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde_core::Serialize for $name {
            fn serialize<S: serde_core::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::typed::AsNode for $name {
            fn as_shape(&self) -> $crate::check::Shape<'_, $crate::typed::Typed> {
                $crate::check::Shape::Str(self.as_str())
            }
        }

        impl $crate::fast::FastValue for $name {
            fn fast_value(&self, kind: &$crate::schema::Kind) -> bool {
                // declared with its own list, a typed value is one of it by construction
                matches!(kind, $crate::schema::Kind::Enum(spec)
                    if spec.rust == Self::SPEC.rust || spec.contains(self.as_str()))
            }
        }

        impl $crate::write::WriteJson for $name {
            fn write_json(&self, out: &mut String) {
                // wire values are identifiers: nothing to escape
                out.push('"');
                out.push_str(self.as_str());
                out.push('"');
            }
        }

        impl $crate::wire::FromWire for $name {
            fn from_wire(
                value: &serde_json::Value,
                ptr: &$crate::pointer::Ptr,
            ) -> Result<Self, $crate::violation::Violation> {
                let s = value
                    .as_str()
                    .ok_or_else(|| $crate::wire::wrong_type(ptr, "a string", value))?;
                Self::from_wire_str(s).ok_or_else(|| Self::SPEC.violation(&ptr.render(), s))
            }
        }

        $crate::wire::deserialize_via_wire!($name);
    };
}
pub(crate) use wire_enum;

/// Declares a wire object: a struct whose every field is optional (what is required is a
/// rule of the table, checked by `validate()`), builder-style setters that record the
/// order, `Serialize` in that order, [`FromWire`], and the table entry
/// [`StructSpec`](crate::schema::StructSpec) under `SPEC`.
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        $name:ident ($what:expr $(, $role:ident)?) {
            $(
                $(#[$fmeta:meta])*
                $wire:literal $field:ident : $ty:ty = $kind:expr $(=> $req:ident)?;
            )*
        }
        cross: [$($cross:expr),* $(,)?]
        $(mistakes: [$($mistake:expr),* $(,)?])?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[allow(non_snake_case)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// The order properties were set or read in (see [`Order`](crate::wire::Order)).
            #[doc(hidden)]
            pub _order: $crate::wire::Order,
        }

        #[allow(non_snake_case)]
        impl $name {
            /// Wire names of the fields, in declaration order.
            pub const FIELD_NAMES: &'static [&'static str] = &[$($wire),*];
            /// The entry of this object in the rule table.
            pub const SPEC: $crate::schema::StructSpec = $crate::schema::StructSpec {
                name: $what,
                rust: stringify!($name),
                role: $crate::wire::wire_struct!(@role $($role)?),
                fields: &[$(
                    $crate::schema::Field {
                        name: $wire,
                        kind: $kind,
                        required: $crate::wire::wire_struct!(@req $($req)?),
                    }
                ),*],
                cross: &[$($cross),*],
                mistakes: &[$($($mistake),*)?],
            };

            $(
                $(#[$fmeta])*
                #[must_use]
                pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    const INDEX: u8 = $crate::wire::index_of($name::FIELD_NAMES, $wire);
                    self._order.touch_index(INDEX);
                    self
                }
            )*
        }

        impl $name {
            /// The blocks this object holds (its field of kind `Blocks`: a section's, a
            /// list's, a line's, the layout's): the field's wire name, the rules of that
            /// container, the blocks. Read
            /// from the declaration: no type is named by hand.
            #[doc(hidden)]
            pub fn held_blocks(&self) -> Option<(&'static str, &'static $crate::schema::Nest, &$crate::blocks::Blocks)> {
                $(
                    if let $crate::schema::Kind::Blocks(nest) = $kind {
                        let field: &dyn std::any::Any = &self.$field;
                        if let Some(Some(blocks)) = field.downcast_ref::<Option<$crate::blocks::Blocks>>() {
                            return Some(($wire, nest, blocks));
                        }
                    }
                )*
                None
            }

            /// Gives back the spare capacity of every map it holds, at any depth (a
            /// layout read from JSON grows its maps as it reads them): what a layout
            /// kept for long, as a frame's mirror, costs no more than it holds.
            #[doc(hidden)]
            pub fn compact(&mut self) {
                $(
                    let field: &mut dyn std::any::Any = &mut self.$field;
                    if let Some(Some(blocks)) = field.downcast_mut::<Option<$crate::blocks::Blocks>>() {
                        $crate::blocks::compact_blocks(blocks);
                    } else if let Some(Some(values)) = field.downcast_mut::<Option<$crate::blocks::Values>>() {
                        values.shrink_to_fit();
                    } else if let Some(Some(block)) = field.downcast_mut::<Option<Box<$crate::blocks::ContentBlockDto>>>() {
                        block.block.compact();
                    }
                )*
            }

            /// [`held_blocks`](Self::held_blocks), to change them.
            #[doc(hidden)]
            pub fn held_blocks_mut(&mut self) -> Option<(&'static str, &'static $crate::schema::Nest, &mut $crate::blocks::Blocks)> {
                $(
                    if let $crate::schema::Kind::Blocks(nest) = $kind {
                        let field: &mut dyn std::any::Any = &mut self.$field;
                        if let Some(Some(blocks)) = field.downcast_mut::<Option<$crate::blocks::Blocks>>() {
                            return Some(($wire, nest, blocks));
                        }
                    }
                )*
                None
            }
        }

        impl $name {
            /// Writes the set fields into `map`, in order.
            #[doc(hidden)]
            pub fn serialize_fields<M: serde_core::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> Result<(), M::Error> {
                for index in self._order.indices(Self::FIELD_NAMES.len()) {
                    let mut field = 0;
                    $(
                        if field == index {
                            if let Some(v) = &self.$field {
                                map.serialize_entry($wire, v)?;
                            }
                            continue;
                        }
                        field += 1;
                    )*
                    let _ = field;
                }
                Ok(())
            }
        }

        impl serde_core::Serialize for $name {
            fn serialize<S: serde_core::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde_core::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                self.serialize_fields(&mut map)?;
                map.end()
            }
        }

        impl $name {
            /// Writes the set fields as `"key":value` pairs, in order, each after a `,`
            /// unless it is the first of the object (`first`). Returns whether any was.
            #[doc(hidden)]
            pub fn write_fields(&self, out: &mut String, mut first: bool) -> bool {
                for index in self._order.indices(Self::FIELD_NAMES.len()) {
                    let mut field = 0;
                    $(
                        if field == index {
                            if let Some(v) = &self.$field {
                                if !first {
                                    out.push(',');
                                }
                                first = false;
                                // wire names are identifiers: written as they are
                                out.push_str(concat!("\"", $wire, "\":"));
                                $crate::write::WriteJson::write_json(v, out);
                            }
                            continue;
                        }
                        field += 1;
                    )*
                    let _ = field;
                }
                !first
            }
        }

        impl $crate::write::WriteJson for $name {
            fn write_json(&self, out: &mut String) {
                out.push('{');
                self.write_fields(out, true);
                out.push('}');
            }
        }

        impl $name {
            /// The set fields as the checker sees them, in the order they are printed.
            #[doc(hidden)]
            pub fn node_entries<'a>(
                &'a self,
                entries: &mut Vec<$crate::check::Entry<'a, $crate::typed::Typed>>,
            ) {
                for index in self._order.indices(Self::FIELD_NAMES.len()) {
                    let mut field = 0;
                    $(
                        if field == index {
                            if let Some(v) = &self.$field {
                                entries.push($crate::typed::entry($wire, v));
                            }
                            continue;
                        }
                        field += 1;
                    )*
                    let _ = field;
                }
            }
        }

        impl $name {
            /// Whether this object breaks no rule of its table entry (see
            /// [`fast`](crate::fast)): read from the same declaration as `SPEC`.
            #[doc(hidden)]
            pub fn fast_ok(&self) -> bool {
                $(
                    match &self.$field {
                        None => {
                            if $crate::wire::wire_struct!(@req $($req)?) {
                                return false;
                            }
                        }
                        Some(v) => {
                            if !$crate::fast::FastValue::fast_value(v, &$kind) {
                                return false;
                            }
                        }
                    }
                )*
                Self::SPEC.cross.iter().all(|c| $crate::fast::cross_ok(c, &|name| self.field_node(name)))
            }

            /// The member `name`, if set, as the checker sees it.
            #[allow(unreachable_patterns)]
            fn field_node(&self, name: &str) -> Option<&$crate::typed::Typed> {
                match name {
                    $( $wire => self.$field.as_ref().map(|v| v as &$crate::typed::Typed), )*
                    _ => None,
                }
            }
        }

        impl $crate::fast::FastValue for $name {
            fn fast_value(&self, kind: &$crate::schema::Kind) -> bool {
                matches!(kind, $crate::schema::Kind::Object(_)) && self.fast_ok()
            }
        }

        impl $crate::typed::AsNode for $name {
            fn as_shape(&self) -> $crate::check::Shape<'_, $crate::typed::Typed> {
                let mut entries = Vec::with_capacity(Self::FIELD_NAMES.len());
                self.node_entries(&mut entries);
                $crate::check::Shape::Object(entries)
            }
        }

        impl $name {
            /// Reads the fields from `value`, leaving out the key `skip` (an action's
            /// `type`, read by its caller).
            #[doc(hidden)]
            pub fn from_wire_skipping(
                value: &serde_json::Value,
                ptr: &$crate::pointer::Ptr,
                skip: &str,
            ) -> Result<Self, $crate::violation::Violation> {
                let object = $crate::wire::expect_object(value, ptr)?;
                let mut out = Self::default();
                for (key, value) in object {
                    let at = ptr.key(key);
                    match key.as_str() {
                        $( $wire => {
                            out.$field = Some($crate::wire::FromWire::from_wire(value, &at)?);
                            out._order.touch(Self::FIELD_NAMES, $wire);
                        } )*
                        k if k == skip => {}
                        _ => return Err(Self::SPEC.unknown_field(&at.render(), key)),
                    }
                }
                Ok(out)
            }
        }

        impl $crate::wire::FromWire for $name {
            fn from_wire(
                value: &serde_json::Value,
                ptr: &$crate::pointer::Ptr,
            ) -> Result<Self, $crate::violation::Violation> {
                Self::from_wire_skipping(value, ptr, "")
            }
        }

        $crate::wire::deserialize_via_wire!($name);
    };
    (@req required) => { true };
    (@req) => { false };
    (@role Block) => { $crate::schema::Role::Block };
    (@role Action) => { $crate::schema::Role::Action };
    (@role) => { $crate::schema::Role::Object };
}
pub(crate) use wire_struct;
