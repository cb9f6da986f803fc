//! Escaping for what reaches the browser: text as HTML, JSON inside `<script>`.

use serde_json::Value;

/// JSON for a `<script>` element: `<`, `>`, `&` and the JS line separators escaped, so no
/// value can close the element or start markup.
pub fn json_for_script(value: &Value) -> String {
    let mut out = Vec::new();
    escape_script_bytes(value.to_string().as_bytes(), &mut out);
    // only ASCII escapes were put in place of whole characters
    utf8(out)
}

/// Text that is UTF-8 by construction (templates, and JSON escaped by whole characters),
/// checked the fast way.
pub fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends serde_json's output with `<`, `>`, `&`, U+2028 and U+2029 escaped. They can
/// only be inside strings (keys included), where `\u003c` means the same character. The
/// search is memchr's: a layout usually has none of them.
pub fn escape_script_bytes(json: &[u8], out: &mut Vec<u8>) {
    out.reserve(json.len());
    let (mut done, mut at) = (0, 0);
    while let Some(found) = next_special(json, at) {
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8
        let (escape, len): (&[u8], usize) = match (json[found], json.get(found + 1..found + 3)) {
            (b'<', _) => (b"\\u003c", 1),
            (b'>', _) => (b"\\u003e", 1),
            (b'&', _) => (b"\\u0026", 1),
            (_, Some([0x80, 0xA8])) => (b"\\u2028", 3),
            (_, Some([0x80, 0xA9])) => (b"\\u2029", 3),
            _ => {
                at = found + 1;
                continue;
            }
        };
        out.extend_from_slice(&json[done..found]);
        out.extend_from_slice(escape);
        done = found + len;
        at = done;
    }
    out.extend_from_slice(&json[done..]);
}

/// Where the next byte that may need escaping is, from `at`.
pub fn next_special(json: &[u8], at: usize) -> Option<usize> {
    let rest = json.get(at..)?;
    match (
        memchr::memchr3(b'<', b'>', b'&', rest),
        memchr::memchr(0xE2, rest),
    ) {
        (Some(a), Some(b)) => Some(at + a.min(b)),
        (Some(i), None) | (None, Some(i)) => Some(at + i),
        (None, None) => None,
    }
}

/// Text for HTML (element content or a quoted attribute).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
