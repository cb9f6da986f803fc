//! The compact JSON of the typed model, written straight into a `String`.
//!
//! The model's `Serialize` goes through serde, which escapes every key and enum value it
//! is handed. Here the wire names are written as the constants they are (`"type":"text"`
//! needs no escaping), and only text that comes from the user is escaped, exactly as
//! serde_json escapes it. `to_json()` uses this writer; a property test holds it to
//! `serde_json::to_string` byte for byte.

use indexmap::IndexMap;
use serde_json::Value;

/// Indented JSON of a part of the model, printed from its `Value` (key order kept): the
/// model's `Serialize` is compiled for serde_json's value serializer only, not again for
/// its pretty writer. The text is what `serde_json::to_string_pretty` prints.
pub fn pretty<T: serde_core::Serialize + ?Sized>(typed: &T) -> String {
    serde_json::to_value(typed)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .expect("the model always serializes: its keys are strings")
}

/// A part of the model that writes its own compact JSON.
pub trait WriteJson {
    fn write_json(&self, out: &mut String);
}

/// Which bytes serde_json escapes, and how: 0 none, `u` as `\u00XX`, else `\` + the byte.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// `s` as a JSON string, escaped as serde_json escapes it.
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        // escapes are ASCII: `i` is a character boundary
        out.push_str(&s[start..i]);
        match escape {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            }
            other => {
                out.push('\\');
                out.push(char::from(other));
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

impl WriteJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(self, out);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl WriteJson for u32 {
    fn write_json(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
}

/// Free JSON (an `openRestApp` action's `value`): serde_json's own output.
impl WriteJson for Value {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// Maps keyed by id or option code, in their order.
impl<T: WriteJson> WriteJson for IndexMap<String, T> {
    fn write_json(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(k, out);
            out.push(':');
            v.write_json(out);
        }
        out.push('}');
    }
}
