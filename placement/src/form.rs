//! Reading `application/x-www-form-urlencoded` text (a handler's body and query) in one
//! pass. Most of what Bitrix24 sends is plain (`DOMAIN=x.bitrix24.com`, hex tokens): such
//! a pair is borrowed from the text as it is. Only a name or value that carries an escape
//! (`%` or `+`) is decoded. The result is exactly what `form_urlencoded::parse` gives (a
//! property test holds it to that), without its allocations for the plain pairs.

use std::borrow::Cow;

/// Calls `pair` with each `(name, value)` of `text`, decoded, in order; empty pieces
/// (`a=1&&b=2`) are skipped and a piece without `=` has an empty value.
pub fn for_each_pair<'a>(text: &'a str, mut pair: impl FnMut(Cow<'a, str>, Cow<'a, str>)) {
    let bytes = text.as_bytes();
    let mut piece = |start: usize, end: usize, escaped: bool| {
        if end == start {
            return;
        }
        // names are short: a plain loop finds the `=` sooner than a vector search starts
        let eq = bytes[start..end]
            .iter()
            .position(|&b| b == b'=')
            .map(|i| start + i);
        // `&`, `=` and `%` are ASCII: every index here is a char boundary
        let (name, value) = match eq {
            Some(i) => (&text[start..i], &text[i + 1..end]),
            None => (&text[start..end], ""),
        };
        if escaped {
            pair(decode(name), decode(value));
        } else {
            pair(Cow::Borrowed(name), Cow::Borrowed(value));
        }
    };
    // one vector search over the whole text for the bytes that matter: the tokens are long
    // and plain, the separators few
    let (mut start, mut escaped) = (0, false);
    for i in memchr::memchr3_iter(b'&', b'%', b'+', bytes) {
        if bytes[i] == b'&' {
            piece(start, i, escaped);
            (start, escaped) = (i + 1, false);
        } else {
            escaped = true;
        }
    }
    piece(start, bytes.len(), escaped);
}

/// Decodes a name or a value as `form_urlencoded` does: `+` is a space, `%XX` is a byte,
/// a `%` without two hex digits after it stays, and bytes that are not UTF-8 become
/// U+FFFD.
fn decode(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&b| b == b'%' || b == b'+') {
        return Cow::Borrowed(text);
    }
    let hex = |b: Option<&u8>| match b? {
        b @ b'0'..=b'9' => Some(b - b'0'),
        b @ b'a'..=b'f' => Some(b - b'a' + 10),
        b @ b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                if let (Some(high), Some(low)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for_each_pair(text, |k, v| out.push((k.into_owned(), v.into_owned())));
        out
    }

    fn reference(text: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn plain_pairs_are_borrowed() {
        let mut borrowed = 0;
        for_each_pair("DOMAIN=x.bitrix24.com&PROTOCOL=1&flag", |k, v| {
            borrowed += usize::from(matches!((k, v), (Cow::Borrowed(_), Cow::Borrowed(_))));
        });
        assert_eq!(borrowed, 3);
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(
            pairs("PLACEMENT_OPTIONS=%7B%22ID%22%3A%2212%22%7D&a+b=c+d&&e=&=f&g%ZZ=%E2%82"),
            [
                ("PLACEMENT_OPTIONS", r#"{"ID":"12"}"#),
                ("a b", "c d"),
                ("e", ""),
                ("", "f"),
                ("g%ZZ", "\u{FFFD}"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    proptest! {
        #[test]
        fn same_as_form_urlencoded(text in "([a-zA-Z0-9_=&%+.]|%[0-9a-fA-F]{2}|%E2%82%AC|\\PC){0,40}") {
            prop_assert_eq!(pairs(&text), reference(&text));
        }

        #[test]
        fn same_as_form_urlencoded_on_any_text(text in any::<String>()) {
            prop_assert_eq!(pairs(&text), reference(&text));
        }
    }
}
