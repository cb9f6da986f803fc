//! Where a violation is in the JSON text it was read from: line and column, as editors and
//! CI logs point at them (`layout.json:3:15`).
//!
//! Positions are found only when there is an error to place: [`SourceMap::new`] reads the
//! text once more, recording where each key and value starts by JSON pointer. A valid
//! layout never pays for it.

use std::collections::HashMap;

use crate::pointer::join;
use crate::violation::{Rule, Violation};

/// A place in a text: 1-based line and column (in characters), and the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// Where each member of a JSON text starts: by pointer, every occurrence (a key written
/// twice has two) with the offset of its key (none for the root) and of its value.
pub struct SourceMap<'t> {
    text: &'t str,
    members: HashMap<String, Vec<(Option<usize>, usize)>>,
    line_starts: Vec<usize>,
}

impl<'t> SourceMap<'t> {
    /// Indexes `text`. Text that is not JSON is indexed as far as it goes.
    pub fn new(text: &'t str) -> SourceMap<'t> {
        let mut map = SourceMap {
            text,
            members: HashMap::new(),
            line_starts: std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                .collect(),
        };
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            text,
            at: 0,
        };
        scanner.skip_ws();
        let _ = scanner.value(String::new(), None, &mut map.members);
        map
    }

    /// The line and column of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Position { line, column, offset }
    }

    /// Where the value at `pointer` starts (its first occurrence), if the text has it.
    pub fn value_offset(&self, pointer: &str) -> Option<usize> {
        self.members.get(pointer)?.first().map(|&(_, v)| v)
    }

    /// Where the violation is: its key for a key at fault (unknown, written twice: the
    /// second time), the `type` of a block that may not stand where it stands, its value
    /// otherwise, and for what is missing, the object that lacks it.
    pub fn locate(&self, v: &Violation) -> Option<Position> {
        let key_at_fault = matches!(
            v.rule,
            Rule::UnknownProperty | Rule::DuplicateKey | Rule::RedirectUri
        );
        // a block where it may not stand: its type says what it is
        if v.rule == Rule::BlockNotAllowed {
            if let Some(offset) = self.value_offset(&join(&v.pointer, "type")) {
                return Some(self.position(offset));
            }
        }
        if let Some(found) = self.members.get(&v.pointer) {
            let (key, value) = if v.rule == Rule::DuplicateKey {
                *found.last()?
            } else {
                *found.first()?
            };
            let offset = if key_at_fault { key.unwrap_or(value) } else { value };
            return Some(self.position(offset));
        }
        // not in the text (a missing member): the nearest enclosing value
        let mut pointer = v.pointer.as_str();
        while let Some((parent, _)) = pointer.rsplit_once('/') {
            if let Some(found) = self.members.get(parent) {
                return found.first().map(|&(_, value)| self.position(value));
            }
            pointer = parent;
        }
        None
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
}

type Members = HashMap<String, Vec<(Option<usize>, usize)>>;

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
    }

    /// A value at `self.at` (after whitespace), recorded at `pointer`. `None` on a syntax
    /// error: what was indexed so far stays.
    fn value(&mut self, pointer: String, key: Option<usize>, out: &mut Members) -> Option<()> {
        let start = self.at;
        let first = *self.bytes.get(self.at)?;
        out.entry(pointer.clone()).or_default().push((key, start));
        match first {
            b'{' => {
                self.at += 1;
                self.skip_ws();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.skip_ws();
                    let key_at = self.at;
                    let name = self.string()?;
                    self.skip_ws();
                    if self.bytes.get(self.at) != Some(&b':') {
                        return None;
                    }
                    self.at += 1;
                    self.skip_ws();
                    self.value(join(&pointer, &name), Some(key_at), out)?;
                    self.skip_ws();
                    match self.bytes.get(self.at)? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut i = 0usize;
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.at) == Some(&b']') && i == 0 {
                        self.at += 1;
                        return Some(());
                    }
                    self.value(join(&pointer, &i.to_string()), None, out)?;
                    i += 1;
                    self.skip_ws();
                    match self.bytes.get(self.at)? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            _ => {
                // a number, true, false or null: up to the next delimiter
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }

    /// A string at `self.at`, decoded (escapes included, as keys are matched decoded).
    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at;
        self.at += 1;
        let mut escaped = false;
        loop {
            match self.bytes.get(self.at)? {
                b'\\' => {
                    escaped = true;
                    self.at += 2;
                }
                b'"' => {
                    self.at += 1;
                    break;
                }
                _ => self.at += 1,
            }
        }
        let raw = self.text.get(start..self.at)?;
        if escaped {
            serde_json::from_str(raw).ok()
        } else {
            raw.get(1..raw.len() - 1).map(str::to_owned)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, pointer: &str, rule: Rule) -> (usize, usize) {
        let p = SourceMap::new(text)
            .locate(&Violation::new(pointer, rule, "x"))
            .unwrap();
        (p.line, p.column)
    }

    #[test]
    fn values_keys_and_missing_members() {
        let text = "{\n  \"blocks\": {\n    \"t\": {\"type\": \"text\", \"properties\": {\"colour\": \"red\"}}\n  }\n}";
        assert_eq!(
            at(text, "/blocks/t/properties/colour", Rule::UnknownProperty),
            (3, 42)
        );
        assert_eq!(at(text, "/blocks/t/type", Rule::InvalidValue), (3, 19));
        // a missing member: the object that lacks it
        assert_eq!(
            at(text, "/blocks/t/properties/value", Rule::MissingRequired),
            (3, 41)
        );
        assert_eq!(at(text, "", Rule::WrongType), (1, 1));
    }

    #[test]
    fn a_key_written_twice_is_placed_at_its_second_time() {
        let text = r#"{"blocks": {"a": 1, "a": 2}}"#;
        assert_eq!(at(text, "/blocks/a", Rule::DuplicateKey), (1, 21));
    }

    #[test]
    fn escapes_and_wide_characters() {
        // columns count characters; keys are matched decoded; pointers escape `/`
        let text = "{\"ё\": 1, \"a\\/b\": {\"x\": 2}}";
        assert_eq!(at(text, "/a~1b/x", Rule::WrongType), (1, 24));
        assert_eq!(at(text, "/ё", Rule::WrongType), (1, 7));
    }

    #[test]
    fn broken_text_is_indexed_as_far_as_it_goes() {
        let map = SourceMap::new("{\"a\": {\"b\": tru");
        assert!(map.members.contains_key("/a/b"));
        let map = SourceMap::new("");
        assert!(map.locate(&Violation::new("/a", Rule::WrongType, "x")).is_none());
    }
}
