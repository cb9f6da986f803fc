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

/// A JSON pointer under construction, kept as a chain of borrowed tokens: reading a
/// document builds one per value, and only an error turns it into a string.
#[derive(Clone, Copy, Debug)]
pub enum Ptr<'a> {
    Root,
    Key(&'a Ptr<'a>, &'a str),
}

impl<'a> Ptr<'a> {
    /// The pointer one level down, at `token`.
    pub fn key(&'a self, token: &'a str) -> Ptr<'a> {
        Ptr::Key(self, token)
    }

    /// The pointer as RFC 6901 text.
    pub fn render(&self) -> String {
        match self {
            Ptr::Root => String::new(),
            Ptr::Key(parent, token) => join(&parent.render(), token),
        }
    }
}

impl From<&Ptr<'_>> for String {
    fn from(ptr: &Ptr<'_>) -> String {
        ptr.render()
    }
}

impl From<Ptr<'_>> for String {
    fn from(ptr: Ptr<'_>) -> String {
        ptr.render()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_tokens() {
        assert_eq!(super::join("", "blocks"), "/blocks");
        assert_eq!(super::join("/blocks", "a/b~c"), "/blocks/a~1b~0c");
        assert_eq!(super::join("/blocks", ""), "/blocks/");
    }

    #[test]
    fn lazy_pointers_render_like_join() {
        let root = super::Ptr::Root;
        let blocks = root.key("blocks");
        assert_eq!(blocks.key("a/b").render(), "/blocks/a~1b");
        assert_eq!(root.render(), "");
    }
}
