//! Tokens the portal hands the app: `AUTH_ID`, `REFRESH_ID`, `APPLICATION_TOKEN`, the
//! client secret. A [`Secret`] never prints its value (Debug shows `Secret(***)`, Display
//! `***`), and two secrets are compared in constant time.

use std::fmt;

/// A token: its Debug and Display never show it; `==` takes the same time wherever the
/// two values first differ.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(token: impl Into<String>) -> Self {
        Secret(token.into())
    }

    /// The token itself, for the REST call that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this token, compared in constant time.
    pub fn matches(&self, other: &str) -> bool {
        constant_time_eq(self.0.as_bytes(), other.as_bytes())
    }
}

/// Whether `a` and `b` are equal, in a time that depends on their lengths only: every
/// byte is compared, and the comparison is hidden from the optimizer.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
    std::hint::black_box(diff) == 0
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.matches(&other.0)
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed_and_compared_whole() {
        let s = Secret::new("39e69f6600631fcd");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert!(s.matches("39e69f6600631fcd"));
        assert!(!s.matches("39e69f6600631fc"));
        assert!(!s.matches("39e69f6600631fcE"));
        assert_eq!(s, Secret::new("39e69f6600631fcd"));
        assert_ne!(s, Secret::new(""));
    }
}
