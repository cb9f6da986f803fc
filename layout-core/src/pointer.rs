//! JSON pointers (RFC 6901): how every error says where it is.

/// `ptr` extended by one reference token, escaped (`~` as `~0`, `/` as `~1`).
pub fn join(ptr: &str, token: &str) -> String {
    let mut out = String::with_capacity(ptr.len() + token.len() + 1);
    out.push_str(ptr);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_tokens() {
        assert_eq!(super::join("", "blocks"), "/blocks");
        assert_eq!(super::join("/blocks", "a/b~c"), "/blocks/a~1b~0c");
        assert_eq!(super::join("/blocks", ""), "/blocks/");
    }
}
