//! What the REST methods' names tell: the one list of the final words of methods that
//! only read (the client sends such a call again after a transport error; the local
//! portal lets them through without a write's delay).

/// The last part of a method name (`crm.deal.get` -> `get`) that marks it as read-only.
pub const READ_ONLY_VERBS: &[&str] = &[
    "get", "list", "fields", "info", "search", "count", "current", "scope", "methods",
];

/// Whether `method` only reads (its last part is one of [`READ_ONLY_VERBS`]), so that
/// sending it twice does no harm.
pub fn is_read_only(method: &str) -> bool {
    let last = method.rsplit('.').next().unwrap_or(method);
    READ_ONLY_VERBS.iter().any(|v| v.eq_ignore_ascii_case(last))
}

#[cfg(test)]
mod tests {
    use super::is_read_only;

    #[test]
    fn reads_are_told_from_writes() {
        for m in [
            "crm.deal.get",
            "crm.item.list",
            "crm.deal.fields",
            "app.info",
            "user.current",
            "methods",
        ] {
            assert!(is_read_only(m), "{m}");
        }
        for m in [
            "crm.deal.update",
            "crm.timeline.comment.add",
            "placement.bind",
            "batch",
            "event.bind",
        ] {
            assert!(!is_read_only(m), "{m}");
        }
    }
}
