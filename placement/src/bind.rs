//! `placement.bind`: the params that register a handler for a placement.

use serde_json::{json, Map, Value};

use crate::placement::{Family, KnownPlacement};

/// Why placement.bind params would be refused or do nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct BindError {
    pub field: &'static str,
    pub message: String,
}

/// The params of `placement.bind`.
///
/// ```
/// use b24_placement::bind::PlacementBind;
///
/// let bind = PlacementBind::new("CRM_DEAL_DETAIL_ACTIVITY".parse().unwrap(), "https://app.example.com/handler", "My widget")
///     .unwrap()
///     .built_in_interface(true)
///     .unwrap();
/// assert_eq!(bind.to_json()["OPTIONS"]["useBuiltInInterface"], "Y");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementBind {
    placement: KnownPlacement,
    handler: String,
    title: String,
    description: Option<String>,
    use_built_in_interface: Option<bool>,
    notification: Option<(String, String)>,
    countries: Option<String>,
}

/// Whether `url` is absolute https, or http on localhost.
pub fn handler_ok(url: &str) -> bool {
    let host_of = |rest: &str| {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or("");
        let host = if host.starts_with('[') {
            host.split(']').next().map(|h| &h[1..]).unwrap_or("")
        } else {
            host.split(':').next().unwrap_or("")
        };
        host.to_ascii_lowercase()
    };
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("https://") {
        return !host_of(rest).is_empty();
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        return matches!(host_of(rest).as_str(), "localhost" | "127.0.0.1" | "::1");
    }
    false
}

impl PlacementBind {
    pub fn new(
        placement: KnownPlacement,
        handler: impl Into<String>,
        title: impl Into<String>,
    ) -> Result<Self, BindError> {
        let handler = handler.into();
        if !handler_ok(&handler) {
            return Err(BindError {
                field: "HANDLER",
                message: format!(
                    "`{handler}` is not an absolute https URL (http is allowed only for localhost)"
                ),
            });
        }
        let title = title.into();
        if title.trim().is_empty() {
            return Err(BindError {
                field: "TITLE",
                message: "the menu item needs a title".into(),
            });
        }
        Ok(PlacementBind {
            placement,
            handler,
            title,
            description: None,
            use_built_in_interface: None,
            notification: None,
            countries: None,
        })
    }

    fn detail_activity_only(&self, field: &'static str) -> Result<(), BindError> {
        if self.placement.family() == Family::DETAIL_ACTIVITY {
            Ok(())
        } else {
            Err(BindError {
                field,
                message: format!("only DETAIL_ACTIVITY placements take it, not {}", self.placement),
            })
        }
    }

    /// OPTIONS.useBuiltInInterface: draw the widget with a LayoutDto (DETAIL_ACTIVITY only).
    pub fn built_in_interface(mut self, on: bool) -> Result<Self, BindError> {
        self.detail_activity_only("OPTIONS.useBuiltInInterface")?;
        self.use_built_in_interface = Some(on);
        Ok(self)
    }

    /// OPTIONS.newUserNotificationTitle and newUserNotificationText (DETAIL_ACTIVITY only).
    pub fn new_user_notification(
        mut self,
        title: impl Into<String>,
        text: impl Into<String>,
    ) -> Result<Self, BindError> {
        self.detail_activity_only("OPTIONS.newUserNotificationTitle")?;
        self.notification = Some((title.into(), text.into()));
        Ok(self)
    }

    /// OPTIONS.countries: the countries (ids of `crm.requisite.preset.countries`) where
    /// the requisite or bank-detail autofill offers the app; all when not given
    /// (the autocomplete placements only).
    pub fn countries(mut self, ids: &[u32]) -> Result<Self, BindError> {
        if !self.placement.family().bind_options().contains(&"countries") {
            return Err(BindError {
                field: "OPTIONS.countries",
                message: format!(
                    "only the requisite and bank-detail autofill take countries, not {}",
                    self.placement
                ),
            });
        }
        if ids.is_empty() {
            return Err(BindError {
                field: "OPTIONS.countries",
                message: "give at least one country id, or leave countries out for all".into(),
            });
        }
        // comma-separated, without spaces, as the docs require
        self.countries = Some(ids.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
        Ok(self)
    }

    /// DESCRIPTION: what the app does there, shown by the portal beside the title.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The placement bound.
    pub fn placement(&self) -> &KnownPlacement {
        &self.placement
    }

    /// The handler's address.
    pub fn handler(&self) -> &str {
        &self.handler
    }

    /// The params, as `BX24.callMethod('placement.bind', params)` takes them.
    pub fn to_json(&self) -> Value {
        let mut params = json!({
            "PLACEMENT": self.placement.to_string(),
            "HANDLER": self.handler,
            "TITLE": self.title,
        });
        if let Some(d) = &self.description {
            params["DESCRIPTION"] = Value::String(d.clone());
        }
        let mut options = Map::new();
        if let Some(on) = self.use_built_in_interface {
            options.insert("useBuiltInInterface".into(), (if on { "Y" } else { "N" }).into());
        }
        if let Some((title, text)) = &self.notification {
            options.insert("newUserNotificationTitle".into(), title.clone().into());
            options.insert("newUserNotificationText".into(), text.clone().into());
        }
        if let Some(countries) = &self.countries {
            options.insert("countries".into(), countries.clone().into());
        }
        if !options.is_empty() {
            params["OPTIONS"] = Value::Object(options);
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(code: &str) -> KnownPlacement {
        code.parse().unwrap()
    }

    #[test]
    fn the_docs_registration_example() {
        let bind = PlacementBind::new(
            p("CRM_DEAL_DETAIL_ACTIVITY"),
            "https://your-handler-uri.com",
            "My Integration",
        )
        .unwrap()
        .built_in_interface(true)
        .unwrap()
        .new_user_notification("Meet the new application", "E-invoice will help manage invoices")
        .unwrap();
        assert_eq!(
            serde_json::to_string(&bind.to_json()).unwrap(),
            r#"{"PLACEMENT":"CRM_DEAL_DETAIL_ACTIVITY","HANDLER":"https://your-handler-uri.com","TITLE":"My Integration","OPTIONS":{"useBuiltInInterface":"Y","newUserNotificationTitle":"Meet the new application","newUserNotificationText":"E-invoice will help manage invoices"}}"#
        );
    }

    #[test]
    fn handler_must_be_https_or_local_http() {
        let new = |h: &str| PlacementBind::new(p("CRM_LEAD_LIST_MENU"), h, "T");
        assert!(new("https://app.example.com/h?x=1").is_ok());
        assert!(new("http://localhost:8080/h").is_ok());
        assert!(new("http://127.0.0.1/h").is_ok());
        for bad in [
            "http://app.example.com/h",
            "/handler",
            "ftp://x",
            "https://",
            "javascript:alert(1)",
            "http://localhost.evil.com/",
        ] {
            assert_eq!(new(bad).unwrap_err().field, "HANDLER", "{bad}");
        }
        assert_eq!(
            new("https://a.b")
                .map(|_| ())
                .and(PlacementBind::new(p("CRM_LEAD_LIST_MENU"), "https://a.b", " ").map(|_| ()))
                .unwrap_err()
                .field,
            "TITLE"
        );
    }

    #[test]
    fn built_in_interface_only_on_detail_activity() {
        let bind = PlacementBind::new(p("CRM_DEAL_DETAIL_TAB"), "https://a.example.com", "T").unwrap();
        assert_eq!(
            bind.clone().built_in_interface(true).unwrap_err().field,
            "OPTIONS.useBuiltInInterface"
        );
        assert!(bind.new_user_notification("a", "b").is_err());
    }
}
