//! `placement.bind` and `placement.unbind`: the app's registrations, checked as Bitrix24
//! checks them.

use serde_json::{json, Map, Value};

use crate::failure::Failure;
use crate::portal::{Bound, Portal};

impl Portal {
    pub(crate) fn bind(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let text = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let placement = text("PLACEMENT");
        if placement.is_empty() {
            return Err(Failure::new(
                200,
                "ERROR_ARGUMENT",
                "Argument 'PLACEMENT' is null or empty",
            ));
        }
        if !matches!(
            placement.parse::<b24_placement::Placement>(),
            Ok(b24_placement::Placement::Known(_))
        ) {
            return Err(Failure::bad("ERROR_PLACEMENT_NOT_FOUND", "Placement not found"));
        }
        let handler = text("HANDLER");
        if handler.is_empty() {
            return Err(Failure::new(
                200,
                "ERROR_ARGUMENT",
                "Argument 'HANDLER' is null or empty",
            ));
        }
        let lower = handler.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(Failure::bad(
                "ERROR_UNSUPPORTED_PROTOCOL",
                "Unsupported event handler protocol",
            ));
        }
        let options = match p.get("OPTIONS") {
            Some(Value::Object(o)) => o.clone(),
            _ => Map::new(),
        };
        let mut inner = self.lock();
        // the same placement and handler bound again is updated, not doubled
        let bound = Bound {
            placement: placement.clone(),
            handler: handler.clone(),
            title: text("TITLE"),
            options,
        };
        match inner
            .placements
            .iter_mut()
            .find(|b| b.placement == placement && b.handler == handler)
        {
            Some(b) => *b = bound,
            None => inner.placements.push(bound),
        }
        Ok(Value::Bool(true))
    }

    pub(crate) fn unbind(&self, p: &Map<String, Value>) -> Result<Value, Failure> {
        let placement = p.get("PLACEMENT").and_then(Value::as_str).unwrap_or_default();
        if placement.is_empty() {
            return Err(Failure::bad(
                "ERROR_ARGUMENT",
                "Argument 'PLACEMENT' is null or empty",
            ));
        }
        let handler = p.get("HANDLER").and_then(Value::as_str).filter(|h| !h.is_empty());
        let mut inner = self.lock();
        let before = inner.placements.len();
        inner
            .placements
            .retain(|b| !(b.placement == placement && handler.is_none_or(|h| h == b.handler)));
        Ok(json!({"count": before - inner.placements.len()}))
    }
}
