//! What the clients of one portal share, by the portal's key (its REST address): its
//! bucket, its fields. Made on first use, kept while a client holds it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// A registry of one thing per portal.
pub(crate) struct PerPortal<T>(OnceLock<Mutex<HashMap<String, Weak<T>>>>);

impl<T> PerPortal<T> {
    pub(crate) const fn new() -> Self {
        PerPortal(OnceLock::new())
    }

    /// The portal `key`'s, when one is alive and `fits`; else a new one from `make`.
    pub(crate) fn get(&self, key: &str, fits: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> Arc<T> {
        let mut all = self
            .0
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(t) = all.get(key).and_then(Weak::upgrade).filter(|t| fits(t)) {
            return t;
        }
        all.retain(|_, t| t.strong_count() > 0);
        let t = Arc::new(make());
        all.insert(key.to_owned(), Arc::downgrade(&t));
        t
    }
}
